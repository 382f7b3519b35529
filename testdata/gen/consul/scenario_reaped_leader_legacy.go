package main

import (
	"fmt"
	"strings"
	"time"
)

// The Consul 0.6 reap path: serf reaps the failed member (hashicorp/serf
// serf.go reap); the leader's handleReapMember -> handleDeregisterMember
// ("reaped") removes the server by address (RemovePeer; Consul 0.6/0.7
// removeConsulServer logs nothing on success) and logs "consul: member
// '<name>' reaped, deregistering" (hashicorp/consul consul/leader.go of
// the 0.6/0.7 era). Consul 0.6 has no autopilot.

func init() {
	sites["consul-reaped-leader-legacy"] = withDefaultPorts(Site{DC: "fra1", Version: "0.6.4",
		DataDir: "/var/lib/consul", ConfigPath: "/etc/consul/config.json",
		LogPath: "/logs/journalctl-u-consul.txt", LogWrap: wrapJournald16, Layout: layoutPerNode,
		Collect: []Collect{
			{Cmd: cmdMembers, Path: "/cmd/consul_members.out"},
			{Cmd: cmdInfo, Path: "/cmd/consul_info.out"},
		}})
	scenarioDocs["consul-reaped-leader-legacy"] = scenarioDoc{
		Title: "the leader of five servers crashes, a new leader is elected, the dead one is reaped and removed (Consul 0.6, journald)",
		Story: `Five servers consul01..consul05 (127.0.3.21-25, default ports, bootstrap_expect 5)
in datacenter fra1, Consul 0.6 era (raft protocol 1: peers by address, the raft
v0.x peers.json store), skip_leave_on_interrupt = true. The leader's process
is killed by the kernel (SIGKILL; systemd records "Main process exited,
code=killed, status=9/KILL"; the unit has no Restart= so it stays down). The four others elect a new leader, which
marks the dead server critical; after reconnect_timeout serf reaps it and the
new leader removes it from the raft peers (RemovePeer) and deregisters it.
Four voters remain, all alive. The dead host's disk is collected too: its
raft.db and peers.json still list five servers.`,
		Synthetic: []string{
			"reconnect_timeout is compressed to 45 s and serf's reaper runs every 5 s so the reap happens within the run (serf's default in Consul 0.6: 24h; the configuration files do not mention it).",
		},
		Expected: `Healthy: no error and no warning. Informational at most: the leader died,
a new leader was elected within seconds (4 of 5 voters alive, a majority),
the dead server was reaped and removed from the raft peers. Quorum was
never lost. The dead server's raft.db and peers.json (5 peers) are the stale
view of a removed member, not a peer-set disagreement between live servers.
No repair; nothing tells anyone to stop the cluster.`,
		Differs: `Class "server failed, reaped and removed" (with consul-reaped-server).
Here: Consul 0.6 Go log under journald (systemd 229 wording, header line),
five servers, no client, the LEADER dies (so leadership moves), JSON config in
/etc/consul, data in /var/lib/consul, one tarball per node at the top of the
bundle, consul members and consul info collected (no operator command in 0.6).`,
	}
	scenarioChecks["consul-reaped-leader-legacy"] = checkReapedLeaderLegacy
}

func runReapedLeaderLegacy(sc *Scenario) error {
	var ips []string
	for i := 1; i <= 5; i++ {
		ips = append(ips, fmt.Sprintf("127.0.3.%d", 20+i))
	}
	var cfgs []AgentConfig
	for i, ip := range ips {
		cfgs = append(cfgs, AgentConfig{Name: fmt.Sprintf("consul%02d", i+1), IP: ip, Server: true, Expect: 5,
			Era: "0.6", RetryJoin: ips, RetryInterval: 5 * time.Second, SkipLeaveOnInterrupt: true,
			ReconnectTimeout: 45 * time.Second, ReapInterval: 5 * time.Second})
	}
	_, servers, old, err := sc.startHealthy(cfgs, "start consul01..consul05 together (Consul 0.6 style, bootstrap_expect=5)")
	if err != nil {
		return err
	}
	oldTerm := old.term()
	time.Sleep(5 * time.Second)
	nl, err := sc.failover(servers, old, old.cfg.Name+" (leader) is killed (SIGKILL, no leave); systemd does not restart it")
	if err != nil {
		return err
	}
	l, err := sc.waitReaped(without(servers, old), old)
	if err != nil {
		return err
	}
	time.Sleep(8 * time.Second)
	leaders := sc.sortedLeaders()
	if l != nl || len(leaders) != 2 {
		return fmt.Errorf("unexpected leaderships: %s", leaderSummary(sc))
	}
	electedAt := nl.logStamp(leaders[1].When)
	reaped = reapedState{leader: l.cfg.Name, victim: old.cfg.Name, term: l.term(), oldLeader: old.cfg.Name,
		oldTerm: oldTerm, electedAt: electedAt, victimAddr: old.raftAddr(),
		killedAt: old.logStamp(old.lastEvent("kill"))}
	sc.Capture()
	return nil
}

func checkReapedLeaderLegacy(r *result, sc *Scenario) {
	st := reaped
	if sc == nil || st.victim == "" {
		return
	}
	servers := []string{"consul01", "consul02", "consul03", "consul04", "consul05"}
	checkReaped(r, st, servers)
	v, l := r.node(st.victim), r.node(st.leader)
	if v == nil || l == nil {
		return
	}
	r.check(l.Log.Count("[INFO] consul: member '"+st.victim+"' reaped, deregistering") == 1, "%s logs \"consul: member '%s' reaped, deregistering\"", st.leader, st.victim)
	r.check(l.Log.Count("raft: Removed peer "+st.victimAddr+", stopping replication") == 1, "%s: raft logs 'Removed peer %s, stopping replication'", st.leader, st.victimAddr)
	r.check(v.PeersJSON != nil && strings.Count(*v.PeersJSON, ":8300") == 5, "%s (dead): raft/peers.json still lists 5 peers", st.victim)
	for _, s := range servers {
		n := r.node(s)
		if s == st.victim || n == nil {
			continue
		}
		r.check(n.PeersJSON != nil && strings.Count(*n.PeersJSON, ":8300") == 4 && !strings.Contains(*n.PeersJSON, st.victimAddr),
			"%s: raft/peers.json lists the 4 survivors", s)
		r.check(strings.Contains(n.Commands[cmdInfo], "num_peers = 3"), "%s: consul info says num_peers = 3", s)
	}
	r.check(v.Log.SystemCount("consul.service: Main process exited, code=killed, status=9/KILL") == 1, "%s: the journal holds systemd's 'code=killed, status=9/KILL' line", st.victim)
	r.check(v.Log.Header != "" && v.Log.Format == "legacy", "%s: journal header, legacy Go log lines", st.victim)
	r.check(strings.HasPrefix(v.Commands[cmdMembers], "Error connecting to Consul agent"), "%s: consul members could not reach the dead agent", st.victim)
	r.check(l.Log.Count("raft: Heartbeat timeout reached, starting election")+r.node(st.leader).Log.Count("entering Candidate state") >= 1, "%s campaigned after the leader died", st.leader)
}
