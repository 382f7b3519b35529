package main

import (
	"fmt"
	"strings"
	"time"
)

// Consul's reap of a failed server (1.x wording): serf reaps a member
// failed for longer than reconnect_timeout (hashicorp/serf serf/serf.go
// reap: "serf: EventMemberReap: <name>"); the leader handles the reap like a
// leave (hashicorp/consul agent/consul/leader.go handleReapMember ->
// handleDeregisterMember("reaped"): removeConsulServer logs "removing server
// by ID" and calls raft RemoveServer, then "deregistering member" and a
// Deregister command). Autopilot's dead-server cleanup does not act first
// with three servers: it removes failed servers only while fewer than half
// the peers would go (agent/consul/autopilot pruneDeadServers:
// removalCount < peers/2, i.e. 1 < 3/2 is false).

func init() {
	sites["consul-reaped-server"] = withDefaultPorts(Site{DC: "us-east-1", Version: "1.8.4",
		DataDir: "/opt/consul/data", ConfigPath: "/etc/consul.d/consul.hcl",
		LogPath: "/var/log/consul/consul.log", Layout: layoutWrapped, Wrapper: "support-case-48213",
		Collect: []Collect{
			{Cmd: cmdMembers, Path: "/commands/consul_members.txt"},
			{Cmd: cmdListPeers, Path: "/commands/consul_operator_raft_list-peers.txt", ServersOnly: true},
		}})
	scenarioDocs["consul-reaped-server"] = scenarioDoc{
		Title: "a server crashes, is marked failed, reaped and removed from raft by the leader (Consul 1.8, hclog)",
		Story: `Three servers srv-a, srv-b, srv-c (127.0.3.11-13, default ports, bootstrap_expect 3)
and one client api-1 (127.0.3.14) run in datacenter us-east-1. A follower's
process is killed (no leave; its log simply ends). serf marks it failed
(EventMemberFailed), the leader marks its serfHealth critical; serf keeps
trying to reconnect. When reconnect_timeout expires serf reaps the member
(EventMemberReap) on every agent, and the leader's reconcile removes the
server from the raft configuration (RemoveServer) and deregisters the node.
The cluster goes on with two voters and one leader throughout. The dead
server's disk is collected too: its raft.db still holds the three-server
configuration it had when it died.`,
		Synthetic: []string{
			"reconnect_timeout is compressed to 45 s and serf's reaper runs every 5 s so the reap happens within the run (Consul: reconnect_timeout default 72h, minimum 8h; serf's reap interval 15 s). The configuration files do not mention it.",
		},
		Expected: `Healthy: no error and no warning. At most an informational finding that
the dead server failed, was reaped and was removed from the raft
configuration by the leader (cleanly removed member). Quorum was never
lost: 2 of 3 voters alive after the crash, 2 of 2 after the removal, one
leader throughout. The dead server's own raft.db and serf snapshot still
list three servers: that is the stale view of a removed member, not a
disagreement between live servers. No repair; nothing tells anyone to stop
the cluster.`,
		Differs: `Class "server failed, reaped and removed" (with consul-reaped-leader-legacy).
Here: Consul 1.8 hclog text in /var/log/consul/consul.log, three servers plus
a client, a follower dies, HCL config in /etc/consul.d, data in
/opt/consul/data, bundle wrapped in support-case-48213/, consul members and
operator raft list-peers collected.`,
	}
	scenarioChecks["consul-reaped-server"] = checkReapedServer
}

type reapedState struct {
	leader, victim string
	term           uint64
	oldLeader      string // the victim led term oldTerm when it died
	oldTerm        uint64
	electedAt      string
	victimAddr     string
	victimID       string
	killedAt       string // in the logs' timestamp format
}

var reaped reapedState

func reapedServerCfg(name, ip string, join []string) AgentConfig {
	return AgentConfig{Name: name, IP: ip, Server: true, Expect: 3, Era: "1.8", RetryJoin: join,
		RetryInterval: 5 * time.Second, SkipLeaveOnInterrupt: true,
		ReconnectTimeout: 45 * time.Second, ReapInterval: 5 * time.Second}
}

func runReapedServer(sc *Scenario) error {
	ips := []string{"127.0.3.11", "127.0.3.12", "127.0.3.13"}
	_, servers, _, err := sc.startHealthy([]AgentConfig{
		reapedServerCfg("srv-a", ips[0], ips),
		reapedServerCfg("srv-b", ips[1], ips),
		reapedServerCfg("srv-c", ips[2], ips),
		{Name: "api-1", IP: "127.0.3.14", Era: "1.8", RetryJoin: ips, RetryInterval: 5 * time.Second,
			ReconnectTimeout: 45 * time.Second, ReapInterval: 5 * time.Second},
	}, "start srv-a, srv-b, srv-c (servers, bootstrap_expect=3) and api-1 (client)")
	if err != nil {
		return err
	}
	time.Sleep(5 * time.Second)

	victim := followers(servers)[1]
	if _, err := sc.failover(servers, victim, victim.cfg.Name+"'s process is killed (SIGKILL, no leave)"); err != nil {
		return err
	}
	l, err := sc.waitReaped(without(servers, victim), victim)
	if err != nil {
		return err
	}
	time.Sleep(8 * time.Second)
	if len(sc.sortedLeaders()) != 1 {
		return fmt.Errorf("leadership changed during the run: %s", leaderSummary(sc))
	}
	reaped = reapedState{leader: l.cfg.Name, victim: victim.cfg.Name, term: l.term(),
		victimAddr: victim.raftAddr(), victimID: victim.nodeID, killedAt: victim.logStamp(victim.lastEvent("kill"))}
	sc.Capture()
	return nil
}

// waitReaped waits until serf has reaped the victim and the leader among
// rest has removed it from raft and from the catalog.
func (sc *Scenario) waitReaped(rest []*Agent, victim *Agent) (*Agent, error) {
	gone := func() bool {
		l := clusterLeader(rest)
		if l == nil || l.inConfig(victim.raftAddr()) {
			return false
		}
		_, found := l.fsm.Lookup(victim.cfg.Name)
		return !found
	}
	if !sc.WaitFor(120*time.Second, gone) {
		return nil, fmt.Errorf("%s was never reaped and removed", victim.cfg.Name)
	}
	l := clusterLeader(rest)
	sc.Note("serf reaped %s; leader %s removed it from raft and deregistered it", victim.cfg.Name, l.cfg.Name)
	return l, nil
}

// checkReaped holds what both reap scenarios must show.
func checkReaped(r *result, st reapedState, servers []string) {
	v := r.node(st.victim)
	l := r.node(st.leader)
	if v == nil || l == nil || v.DB == nil || l.DB == nil {
		r.check(false, "victim and leader directories with raft.db")
		return
	}
	var alive []string
	for _, s := range servers {
		if s != st.victim {
			alive = append(alive, s)
		}
	}
	vcfg := lastConfigAddrs(v)
	r.check(len(vcfg) == len(servers), "%s (dead): its raft.db's latest configuration still lists %d servers (%s)", st.victim, len(servers), strings.Join(vcfg, ","))
	for _, s := range alive {
		c := lastConfigAddrs(r.node(s))
		has := false
		for _, a := range c {
			has = has || a == st.victimAddr
		}
		r.check(len(c) == len(alive) && !has, "%s: latest raft configuration has the %d survivors and not %s (%s)", s, len(alive), st.victimAddr, strings.Join(c, ","))
	}
	failedAt, _ := r.earliest("EventMemberFailed: "+st.victim, alive...)
	reapAt := l.Log.First("EventMemberReap: " + st.victim)
	r.check(failedAt != "", "a survivor logged serf's EventMemberFailed for %s", st.victim)
	r.check(reapAt != "", "%s logged serf's EventMemberReap for %s", st.leader, st.victim)
	crit, dereg := false, false
	for _, e := range l.DB.Entries {
		if strings.Contains(e.Summary, "node="+st.victim+" ") && strings.Contains(e.Summary, "serfHealth=critical") {
			crit = true
		}
		if e.Summary == "Deregister node="+st.victim {
			dereg = true
		}
	}
	r.check(crit && dereg, "%s's raft.db: Register %s critical, then Deregister %s", st.leader, st.victim, st.victim)
	for _, s := range alive {
		n := r.node(s)
		r.check(n.DB.CurrentTerm == st.term, "%s: CurrentTerm %d, the term %s leads", s, n.DB.CurrentTerm, st.leader)
		r.check(!strings.Contains(n.Commands[cmdMembers], st.victim+" "), "%s: consul members no longer lists %s (reaped)", s, st.victim)
	}
	r.check(v.Log.Count("Caught") == 0 && v.Log.Count("shutdown complete") == 0 && v.Log.Count("shutting down server") == 0,
		"%s's log ends without a shutdown line", st.victim)
	if st.oldLeader == "" {
		r.fact("%s was leader in term %d for the whole run; every survivor ends with CurrentTerm %d", st.leader, st.term, st.term)
	} else {
		r.fact("%s led term %d until it died; %s won term %d; every survivor ends with CurrentTerm %d", st.oldLeader, st.oldTerm, st.leader, st.term, st.term)
	}
	r.fact("%s (raft %s) died without leaving; its log ends at %s; first EventMemberFailed at %s; EventMemberReap on %s at %s", st.victim, st.victimAddr, v.Log.LastTime, failedAt, st.leader, reapAt)
	r.fact("%s's raft.db: latest configuration %s (%d voters, stale); survivors' latest configuration: %s", st.victim, strings.Join(vcfg, ","), len(vcfg), strings.Join(lastConfigAddrs(l), ","))
	r.expect("%s went down at %s (process killed, no leave; its own log ends at %s, before that); peers saw it fail at %s (serf EventMemberFailed)", st.victim, st.killedAt, v.Log.LastTime, failedAt)
	r.expect("serf reaped %s at %s (after reconnect_timeout); the leader %s removed it from the raft configuration and deregistered it", st.victim, reapAt, st.leader)
	if st.oldLeader == "" {
		r.expect("%s led term %d from the start to the end of the logs; no leaderless interval after the crash", st.leader, st.term)
	} else {
		r.expect("%s led term %d until it died; %s was elected in term %d at %s (a few seconds without a leader, with %d of %d voters alive: a normal failover, not a quorum loss)", st.oldLeader, st.oldTerm, st.leader, st.term, st.electedAt, len(alive), len(servers))
	}
	r.expect("voters: %d (%s) until the reap, %d afterwards (%s); alive voters never below a majority", len(servers), strings.Join(servers, ", "), len(alive), strings.Join(alive, ", "))
	r.expect("%s's own raft.db still lists %d voters: stale view of a removed member, not a finding", st.victim, len(servers))
}

func checkReapedServer(r *result, sc *Scenario) {
	st := reaped
	if sc == nil || st.victim == "" {
		return
	}
	checkReaped(r, st, []string{"srv-a", "srv-b", "srv-c"})
	l := r.node(st.leader)
	if l == nil {
		return
	}
	r.check(l.Log.Count("removing server by ID: id="+st.victimID) == 1, "%s logs 'removing server by ID: id=%s'", st.leader, st.victimID)
	r.check(l.Log.Count("deregistering member: member="+st.victim+" reason=reaped") == 1, "%s logs 'deregistering member: member=%s reason=reaped'", st.leader, st.victim)
	r.check(l.Log.Count("removed peer, stopping replication: peer="+st.victimID) == 1, "%s: raft logs 'removed peer, stopping replication' for %s", st.leader, st.victim)
	r.check(r.hasCommand(st.leader, cmdListPeers, "leader") && !r.hasCommand(st.leader, cmdListPeers, st.victim),
		"%s: list-peers shows a leader and not %s", st.leader, st.victim)
	r.check(r.hasCommand(st.victim, cmdMembers, "connection refused"), "%s: consul members got connection refused", st.victim)
	if c := r.node("api-1"); c != nil {
		r.check(c.Log.Count("EventMemberReap: "+st.victim) == 1, "api-1 (client) logs serf's EventMemberReap for %s", st.victim)
	}
}
