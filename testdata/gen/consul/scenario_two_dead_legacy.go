package main

import (
	"fmt"
	"time"
)

func init() {
	sites["consul-two-dead-legacy"] = withDefaultPorts(Site{DC: "dc2", Version: "0.6.4",
		DataDir: "/consul/data", ConfigPath: "/consul/config/server.json",
		LogPath: "/docker-logs.txt", LogWrap: wrapComposeV1, Layout: layoutPerNode,
		Wrapper: "nodes", InnerTop: true,
		Collect: []Collect{
			{Cmd: cmdMembers, Path: "/consul-members.txt"},
			{Cmd: cmdInfo, Path: "/consul-info.txt"},
		}})
	scenarioDocs["consul-two-dead-legacy"] = scenarioDoc{
		Title: "three servers, the leader killed, then the new leader killed: the last follower cannot elect (Consul 0.6, docker-compose)",
		Story: `Servers cs1, cs2, cs3 (docker-compose v1 services, 127.0.3.71-73, default
ports, bootstrap_expect 3) in datacenter dc2, Consul 0.6 era (raft protocol
1, peers.json). The leader's container is killed (docker kill: no leave, its
log just ends). The two others elect a new leader. Twenty seconds later the
new leader's container is killed as well. The last server cannot win an
election with 1 of 3 votes: it campaigns again and again ("Heartbeat timeout
reached, starting election", "Election timeout reached, restarting
election"). consul members on it shows the other two failed; the dead
containers answer nothing.`,
		Expected: `Quorum lost (error). Cause: two of three voters down (both killed, no
leave), named with the times they went down; the second death (the new
leader's) is when quorum was lost. Consequence: no leader until the end of
the logs, the survivor campaigning in rising terms, "No cluster leader".
The leadership history: first leader until it died, a short normal failover
to the second leader (2 of 3 alive), then nothing. The survivor is the only
live voter; its log is the one to keep.`,
		Differs: `Class "two of three servers dead" (with consul-two-dead). Here: Consul 0.6 Go
log framed by docker-compose v1 ("cs1_1  | ..."), the LEADER dies first and
the survivor was a follower throughout, default ports, paths of the consul
docker image, one tarball per node under nodes/ (each with a top directory),
consul members and consul info collected.`,
	}
	scenarioChecks["consul-two-dead-legacy"] = checkTwoDead
}

func runTwoDeadLegacy(sc *Scenario) error {
	ips := []string{"127.0.3.71", "127.0.3.72", "127.0.3.73"}
	var cfgs []AgentConfig
	for i, n := range []string{"cs1", "cs2", "cs3"} {
		cfgs = append(cfgs, AgentConfig{Name: n, IP: ips[i], Server: true, Expect: 3, Era: "0.6",
			RetryJoin: ips, RetryInterval: 5 * time.Second})
	}
	servers, err := sc.newAgents(cfgs)
	if err != nil {
		return err
	}
	sc.Note("docker-compose up: cs1, cs2, cs3")
	if err := sc.StartAll(servers); err != nil {
		return err
	}
	if err := sc.waitHealthy(servers, 40*time.Second, names(servers)...); err != nil {
		return err
	}
	leader := clusterLeader(servers)
	term := leader.term()
	sc.Note("cluster healthy, leader %s (term %d)", leader.cfg.Name, term)
	time.Sleep(5 * time.Second)
	rest := without(servers, leader)
	// Kill the leader; the second victim is whoever leads next.
	sc.Note("docker kill %s (the leader)", leader.cfg.Name)
	leader.Kill()
	if !sc.WaitFor(30*time.Second, func() bool { return clusterLeader(rest) != nil && catalogAll(rest, healthCritical, leader.cfg.Name) }) {
		return fmt.Errorf("no new leader marking %s critical", leader.cfg.Name)
	}
	second := clusterLeader(rest)
	sc.Note("new leader %s (term %d) marked %s critical", second.cfg.Name, second.term(), leader.cfg.Name)
	time.Sleep(20 * time.Second)
	if clusterLeader(rest) != second {
		return fmt.Errorf("leadership moved again")
	}
	return killTwoSecond(sc, servers, leader, second, leader, term)
}

// killTwoSecond: first is already dead; kill second and wait as killTwo.
func killTwoSecond(sc *Scenario, servers []*Agent, first, second, leader *Agent, term uint64) error {
	sc.Note("docker kill %s: 1 of 3 voters left", second.cfg.Name)
	second.Kill()
	surv := without(servers, first, second)[0]
	if !sc.WaitFor(30*time.Second, func() bool { l, _ := surv.raftLeader(); return l == "" }) {
		return fmt.Errorf("survivor still has a leader")
	}
	lostAt := time.Now()
	sc.Note("%s has no leader any more", surv.cfg.Name)
	if !sc.WaitFor(60*time.Second, func() bool { return serfFailedCount(surv) == 2 }) {
		return fmt.Errorf("survivor's serf never saw both failed")
	}
	sc.Note("%s's serf sees %s and %s failed", surv.cfg.Name, first.cfg.Name, second.cfg.Name)
	time.Sleep(20 * time.Second)
	if clusterLeader([]*Agent{surv}) != nil {
		return fmt.Errorf("a leader without quorum?")
	}
	twoDead = twoDeadState{survivor: surv.cfg.Name, dead: []string{first.cfg.Name, second.cfg.Name},
		killed: []string{first.logStamp(first.lastEvent("kill")), second.logStamp(second.lastEvent("kill"))},
		leader: leader.cfg.Name, term: term, servers: names(servers),
		survivorLost: surv.logStamp(lostAt), survivorFinal: surv.term()}
	sc.Capture()
	return nil
}
