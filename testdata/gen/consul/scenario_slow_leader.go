package main

import (
	"fmt"
	"strings"
	"time"
)

func init() {
	scenarioDocs["consul-slow-leader"] = scenarioDoc{
		Title: "leader stopped without leave, re-election, old leader rejoins (hclog)",
		Story: `Seed 003 (Cloud Foundry / BOSH rolling deploy): "when the leader takes longer
than expected to restart, the cluster may attempt to elect a new leader".
Three servers consul1..consul3 (127.0.0.11-13, bootstrap_expect=3, Consul's
default raft_multiplier 5, i.e. 5 s heartbeat/election timeouts) form a healthy
cluster. The leader's process is then stopped without leaving (its log simply
ends, as with SIGKILL / VM stop), and stays down long enough for the two others
to notice (serf EventMemberFailed, raft heartbeat timeout), elect a new leader
in a higher term and mark the old leader's serfHealth critical. The old leader
then restarts from its data dir, serf re-joins from its snapshot, raft follows
the new leader (its CurrentTerm moves up to the new term and it receives the
new term's entries), and the new leader marks it alive again.`,
		Expected: `Healthy at collection (no error). The leader was stopped without leaving
and came back late; the two others elected a new leader in a higher term
(2 of 3 voters alive, a normal election) and the old leader rejoined as a
follower. Informational or a warning at most about that downtime and the
leadership change; nothing to repair.`,
		Differs: `Class "slow leader" (with consul-slow-leader-bosh). Here: Consul 1.8 hclog,
raft_multiplier 5.`,
		Synthetic: []string{
			"The stop is modelled by freezing the victim's log and shutting its raft/serf down without a leave (no shutdown lines, as with SIGKILL).",
		},
	}
	scenarioChecks["consul-slow-leader"] = checkSlowLeader
}

type slowLeaderState struct {
	oldLeader, newLeader string
	oldTerm, newTerm     uint64
	restartAt            float64
}

var slowLeader slowLeaderState

func runSlowLeader(sc *Scenario) error {
	ips := []string{"127.0.0.11", "127.0.0.12", "127.0.0.13"}
	var servers []*Agent
	for i, ip := range ips {
		cfg := serverCfg(fmt.Sprintf("consul%d", i+1), ip, "1.8", ips)
		cfg.Expect = 3
		cfg.RaftMultiplier = 5
		a, err := sc.NewAgent(cfg)
		if err != nil {
			return err
		}
		servers = append(servers, a)
	}
	sc.Note("start consul1, consul2, consul3 together (bootstrap_expect=3, raft_multiplier=5)")
	if err := sc.StartAll(servers); err != nil {
		return err
	}
	if !sc.WaitFor(40*time.Second, func() bool { return catalogAll(servers, healthPassing, "consul1", "consul2", "consul3") }) {
		return fmt.Errorf("cluster never became healthy")
	}
	old := clusterLeader(servers)
	if old == nil {
		return fmt.Errorf("no leader")
	}
	oldTerm := old.term()
	sc.Note("cluster healthy, leader %s (term %d)", old.cfg.Name, oldTerm)
	time.Sleep(3 * time.Second)

	sc.Note("%s (leader) stopped: process killed, no leave", old.cfg.Name)
	old.Kill()
	var rest []*Agent
	for _, a := range servers {
		if a != old {
			rest = append(rest, a)
		}
	}
	if !sc.WaitFor(40*time.Second, func() bool { return clusterLeader(rest) != nil }) {
		return fmt.Errorf("no new leader elected")
	}
	nl := clusterLeader(rest)
	sc.Note("new leader %s (term %d)", nl.cfg.Name, nl.term())
	if !sc.WaitFor(30*time.Second, func() bool { return catalogAll(rest, healthCritical, old.cfg.Name) }) {
		return fmt.Errorf("old leader never marked critical")
	}
	sc.Note("%s marked %s critical in the catalog", nl.cfg.Name, old.cfg.Name)
	time.Sleep(2 * time.Second)

	sc.Note("%s restarts from its data dir", old.cfg.Name)
	restartAt := sc.since()
	if err := old.Start(); err != nil {
		return err
	}
	ok := sc.WaitFor(40*time.Second, func() bool {
		return catalogAll(servers, healthPassing, "consul1", "consul2", "consul3") && old.raftLeaderIs(nl)
	})
	if !ok {
		return fmt.Errorf("old leader did not rejoin cleanly")
	}
	sc.Note("%s follows %s again; catalog shows all three passing", old.cfg.Name, nl.cfg.Name)
	time.Sleep(6 * time.Second)
	slowLeader = slowLeaderState{oldLeader: old.cfg.Name, newLeader: nl.cfg.Name, oldTerm: oldTerm, newTerm: nl.term(), restartAt: restartAt}
	sc.Capture()
	return nil
}

func (a *Agent) term() uint64 {
	a.mu.Lock()
	r := a.raft
	a.mu.Unlock()
	if r == nil {
		return 0
	}
	var t uint64
	fmt.Sscan(r.Stats()["term"], &t)
	return t
}

func (a *Agent) raftLeaderIs(l *Agent) bool {
	got, ok := a.raftLeader()
	return ok && got == l.raftAddr()
}

// catalogAll: the current leader among agents has every named node with the
// given serfHealth status.
func catalogAll(agents []*Agent, status string, names ...string) bool {
	l := clusterLeader(agents)
	if l == nil {
		return false
	}
	for _, n := range names {
		c, ok := l.fsm.Lookup(n)
		if !ok || c.Status != status {
			return false
		}
	}
	return true
}

func checkSlowLeader(r *result, sc *Scenario) {
	st := slowLeader
	if sc == nil || st.oldLeader == "" {
		return // inspect-only mode: generic checks only
	}
	leaders := sc.sortedLeaders()
	r.check(len(leaders) == 2 && leaders[0].Node == st.oldLeader && leaders[1].Node == st.newLeader && leaders[1].Term > leaders[0].Term,
		"exactly two leadership acquisitions: %s", leaderSummary(sc))
	old, nl := r.node(st.oldLeader), r.node(st.newLeader)
	if old == nil || nl == nil || old.DB == nil || nl.DB == nil {
		r.check(false, "old and new leader node dirs with raft.db")
		return
	}
	r.check(old.DB.CurrentTerm == st.newTerm && nl.DB.CurrentTerm == st.newTerm,
		"old leader %s and new leader %s both end with CurrentTerm=%d", st.oldLeader, st.newLeader, st.newTerm)
	_, okOld := old.DB.NoopTerms[st.oldTerm]
	_, okNew := old.DB.NoopTerms[st.newTerm]
	r.check(okOld && okNew, "%s's raft.db holds the LogNoop of term %d (its own) and of term %d (replicated from %s)", st.oldLeader, st.oldTerm, st.newTerm, st.newLeader)
	for _, n := range r.nodes {
		r.check(n.Log.Count("cluster leadership acquired") == map[bool]int{true: 1, false: 0}[n.Name == st.oldLeader || n.Name == st.newLeader],
			"%s: 'cluster leadership acquired' count matches its leaderships", n.Name)
		_, cfg := n.LastConfig()
		r.check(len(cfg) == 3, "%s: latest raft configuration still has 3 voters", n.Name)
		if n.Name != st.oldLeader {
			r.check(n.Log.Count("serf: EventMemberFailed: "+st.oldLeader) >= 1 && n.Log.Count("serf: EventMemberJoin: "+st.oldLeader) >= 2,
				"%s: serf logged EventMemberFailed and a second EventMemberJoin for %s", n.Name, st.oldLeader)
			r.check(strings.Contains(strings.Join(n.LAN.Lines, "\n"), "not-alive: "+st.oldLeader), "%s: local.snapshot has 'not-alive: %s'", n.Name, st.oldLeader)
		}
	}
	var crit, pass int
	for _, e := range nl.DB.Entries {
		if e.Term == st.newTerm && strings.Contains(e.Summary, "node="+st.oldLeader+" ") {
			if strings.Contains(e.Summary, "serfHealth=critical") {
				crit++
			}
			if strings.Contains(e.Summary, "serfHealth=passing") {
				pass++
			}
		}
	}
	r.check(crit == 1 && pass == 1, "new leader's log: in term %d one Register %s critical, then one Register %s passing", st.newTerm, st.oldLeader, st.oldLeader)
	r.check(nl.Log.Count("member failed, marking health critical: member="+st.oldLeader) == 1, "%s logs 'member failed, marking health critical: member=%s'", st.newLeader, st.oldLeader)
	r.check(old.Log.Count("==> Starting Consul agent...") == 2, "%s's log shows two agent starts", st.oldLeader)
	r.check(old.Log.Count("Raft data found, disabling bootstrap mode") >= 1, "%s logs 'Raft data found, disabling bootstrap mode' after the restart", st.oldLeader)
	r.check(old.LAN.Leaves == 0, "%s's local.snapshot has no 'leave' line (it never left)", st.oldLeader)
	r.check(nl.Log.Count("heartbeat timeout reached, starting election") >= 1, "%s logs the heartbeat timeout that started its election", st.newLeader)

	r.fact("%s was leader in term %d; it was stopped without leave (its log has no shutdown lines before the second '==> Starting Consul agent...')", st.oldLeader, st.oldTerm)
	r.fact("%s won the election of term %d and marked %s critical (Register serfHealth=critical in term %d), later passing again after the restart", st.newLeader, st.newTerm, st.oldLeader, st.newTerm)
	r.fact("after restarting, %s is a follower: its raft.db CurrentTerm is %d and it holds term-%d entries it received from %s; no further election happened", st.oldLeader, st.newTerm, st.newTerm, st.newLeader)
	r.fact("all three raft configurations still list the same 3 voters; every serf snapshot ends with all three alive")
}
