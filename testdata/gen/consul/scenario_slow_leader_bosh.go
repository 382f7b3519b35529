package main

import (
	"fmt"
	"strings"
	"time"
)

func init() {
	sites["consul-slow-leader-bosh"] = withDefaultPorts(Site{DC: "cf1", Version: "0.6.4",
		DataDir: "/var/vcap/store/consul_agent", ConfigPath: "/var/vcap/jobs/consul_agent/config/config.json",
		LogPath: "/var/vcap/sys/log/consul_agent/consul_agent.stdout.log", LogWrap: wrapIndent,
		Layout: layoutPerNode, Wrapper: "bosh-logs"})
	scenarioDocs["consul-slow-leader-bosh"] = scenarioDoc{
		Title: "BOSH deploy: the leader's VM is stopped and comes back late, the others elect a new leader (Consul 0.6, console log)",
		Story: `Servers consul-z1-0, consul-z1-1, consul-z2-0 (BOSH instances; 127.0.3.111-113,
default ports, bootstrap_expect 3, skip_leave_on_interrupt = true) in
datacenter cf1, Consul 0.6 era, with
BOSH's paths (/var/vcap/store/consul_agent, /var/vcap/jobs/consul_agent,
/var/vcap/sys/log/consul_agent). During a deploy the leader's VM is stopped
without the agent leaving (its log simply ends) and takes long to come back.
The other two notice (serf EventMemberFailed, raft heartbeat timeout), elect
a new leader in a higher term and mark the old leader critical. About twenty
seconds later the old leader starts again from its disk, re-joins serf and
follows the new leader; the new leader marks it alive again. (raft 1.1.2
has no pre-vote: the returning server's first election timeout may force one
more election before it settles as a follower; the new leader wins it
again.)`,
		Expected: `Healthy at collection (no error). The leader changed because the old leader
was down: it stopped (no leave, log ends) and was back some twenty seconds
later as a follower. Quorum was kept (2 of 3 voters alive) and the
leaderless gap was a normal election of a few seconds (plus, if it
happened, the short re-election the returning server forced). Informational or a
warning at most about the leader's downtime and the leadership change;
nothing to repair now.`,
		Differs: `Class "slow leader" (with consul-slow-leader). Here: Consul 0.6 (raft protocol
1, raft v0.x default timeouts) instead of 1.8 with raft_multiplier 5, BOSH
job paths, captured console output with 4-space indented log lines, one
tarball per instance under bosh-logs/, nothing collected but files.`,
	}
	scenarioChecks["consul-slow-leader-bosh"] = checkSlowLeaderBosh
}

type slowBoshState struct {
	old, nl          string
	oldTerm, newTerm uint64
	downAt, upAt     string
	leaders          []string
}

var slowBosh slowBoshState

func runSlowLeaderBosh(sc *Scenario) error {
	ips := []string{"127.0.3.111", "127.0.3.112", "127.0.3.113"}
	var cfgs []AgentConfig
	for i, n := range []string{"consul-z1-0", "consul-z1-1", "consul-z2-0"} {
		cfgs = append(cfgs, AgentConfig{Name: n, IP: ips[i], Server: true, Expect: 3, Era: "0.6",
			RetryJoin: ips, RetryInterval: 5 * time.Second, SkipLeaveOnInterrupt: true})
	}
	_, servers, old, err := sc.startHealthy(cfgs, "start the three consul_agent instances")
	if err != nil {
		return err
	}
	oldTerm := old.term()
	time.Sleep(5 * time.Second)
	nl, err := sc.failover(servers, old, old.cfg.Name+"'s VM is stopped (agent killed, no leave)")
	if err != nil {
		return err
	}
	time.Sleep(12 * time.Second)
	sc.Note("%s's VM is back; the agent starts from its disk", old.cfg.Name)
	if err := old.Start(); err != nil {
		return err
	}
	ok := sc.WaitFor(40*time.Second, func() bool {
		return clusterLeader(servers) == nl && catalogAll(servers, healthPassing, names(servers)...) && old.caughtUp(nl)
	})
	if !ok {
		return fmt.Errorf("%s did not rejoin under %s (retry)", old.cfg.Name, nl.cfg.Name)
	}
	sc.Note("%s follows %s again; all three passing", old.cfg.Name, nl.cfg.Name)
	time.Sleep(6 * time.Second)
	// raft 1.1.2 has no pre-vote: the returning server may force one more
	// election; the story holds as long as the new leader keeps leading.
	if clusterLeader(servers) != nl {
		return fmt.Errorf("leadership left %s: %s (retry)", nl.cfg.Name, leaderSummary(sc))
	}
	slowBosh = slowBoshState{old: old.cfg.Name, nl: nl.cfg.Name, oldTerm: oldTerm, newTerm: nl.term(),
		downAt: old.logStamp(old.lastEvent("kill")), upAt: old.logStamp(old.lastEvent("start")),
		leaders: leadershipLines(sc, old)}
	sc.Capture()
	return nil
}

func checkSlowLeaderBosh(r *result, sc *Scenario) {
	st := slowBosh
	if sc == nil || st.old == "" {
		return
	}
	o, n := r.node(st.old), r.node(st.nl)
	if o == nil || n == nil || o.DB == nil || n.DB == nil {
		r.check(false, "old and new leader with raft.db")
		return
	}
	r.check(o.DB.CurrentTerm == st.newTerm && n.DB.CurrentTerm == st.newTerm, "both end in term %d", st.newTerm)
	_, okOld := o.DB.NoopTerms[st.oldTerm]
	_, okNew := o.DB.NoopTerms[st.newTerm]
	r.check(okOld && okNew, "%s's raft.db holds the term-%d and term-%d leader entries", st.old, st.oldTerm, st.newTerm)
	r.check(sc.sortedLeaders()[len(sc.sortedLeaders())-1].Node == st.nl, "%s holds the last leadership", st.nl)
	r.check(o.Log.Count("==> Starting Consul agent...") == 2 && o.Log.Count("Caught signal") == 0, "%s: two starts, no shutdown in between", st.old)
	r.check(o.LAN.Leaves == 0, "%s: no 'leave' in its serf snapshot", st.old)
	r.check(n.Log.Count("consul: member '"+st.old+"' failed, marking health critical") == 1, "%s marks %s critical", st.nl, st.old)
	r.check(n.Log.Count("consul: member '"+st.old+"' joined, marking health alive") >= 1, "%s marks %s alive again", st.nl, st.old)
	for _, x := range r.nodes {
		c := lastConfigAddrs(x)
		r.check(len(c) == 3, "%s: raft peers still 3 (%s)", x.Name, strings.Join(c, ","))
		r.check(x.PeersJSON != nil && strings.Count(*x.PeersJSON, ":8300") == 3, "%s: peers.json lists 3 peers", x.Name)
	}
	elected := n.Log.First("[Leader] entering Leader state")
	for _, l := range st.leaders {
		r.expect("%s", l)
	}
	if len(sc.sortedLeaders()) > 2 {
		r.expect("the returning %s forced %d more election(s) (raft without pre-vote); %s won again: a term bump, not a failure", st.old, len(sc.sortedLeaders())-2, st.nl)
	}
	r.expect("%s (leader, term %d) went down at %s (VM stopped, no leave; its log stops before that) and started again at %s; it follows %s since", st.old, st.oldTerm, st.downAt, st.upAt, st.nl)
	r.expect("%s entered leader state at %s: 2 of 3 voters alive throughout, no quorum loss", st.nl, elected)
	r.fact("%s led term %d; %s won term %d while %s was down; after its restart %s is a follower in term %d", st.old, st.oldTerm, st.nl, st.newTerm, st.old, st.old, st.newTerm)
}
