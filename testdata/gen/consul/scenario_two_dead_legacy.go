package main

import "time"

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
	_, servers, leader, err := sc.startHealthy(cfgs, "docker-compose up: cs1, cs2, cs3")
	if err != nil {
		return err
	}
	time.Sleep(5 * time.Second)
	// The leader dies first; the second victim is whoever leads next.
	next := func(nl *Agent) *Agent { return nl }
	return killTwo(sc, servers, leader, leader, next, 20*time.Second, "docker kill %s")
}
