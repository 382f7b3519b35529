package main

import (
	"fmt"
	"strings"
	"time"
)

func init() {
	scenarioDocs["consul-healthy"] = scenarioDoc{
		Title: "healthy 3-server cluster with one client (Consul 1.8-style, hclog)",
		Story: `Three servers consul1..consul3 (127.0.0.11-13, bootstrap_expect=3, retry_join
of all three) and one client agent web1 (127.0.0.14, role=node) form a cluster.
The servers bootstrap together, elect one leader, the leader adds nobody (all
three are in the bootstrap configuration) and registers all four members with a
passing serfHealth check. raft_snapshot_threshold is lowered to 8 so raft takes
a real snapshot during the run. The bundle is collected while everything is
healthy: one leader, identical raft configurations, all serf members alive, no
warnings or errors in any log.`,
		Expected: `Healthy: no finding.`,
		Synthetic: []string{
			"raft_snapshot_threshold=8 / raft_snapshot_interval=2s (Consul defaults: 16384 / 30s) so that raft/snapshots/ is populated.",
		},
	}
	scenarioChecks["consul-healthy"] = checkHealthy
}

func serverCfg(name, ip string, era string, join []string) AgentConfig {
	return AgentConfig{Name: name, IP: ip, Server: true, Era: era, RetryJoin: join,
		RetryInterval: 2 * time.Second, SkipLeaveOnInterrupt: true}
}

func runHealthy(sc *Scenario) error {
	ips := []string{"127.0.0.11", "127.0.0.12", "127.0.0.13"}
	var servers []*Agent
	for i, ip := range ips {
		cfg := serverCfg(fmt.Sprintf("consul%d", i+1), ip, "1.8", ips)
		cfg.Expect = 3
		cfg.SnapshotThreshold = 8
		cfg.SnapshotInterval = 2 * time.Second
		a, err := sc.NewAgent(cfg)
		if err != nil {
			return err
		}
		servers = append(servers, a)
	}
	client, err := sc.NewAgent(AgentConfig{Name: "web1", IP: "127.0.0.14", Era: "1.8", RetryJoin: ips,
		RetryInterval: 2 * time.Second, LeaveOnTerminate: true})
	if err != nil {
		return err
	}
	sc.Note("start consul1, consul2, consul3 together (servers, bootstrap_expect=3)")
	if err := sc.StartAll(servers); err != nil {
		return err
	}
	time.Sleep(500 * time.Millisecond)
	sc.Note("start web1 (client)")
	if err := client.Start(); err != nil {
		return err
	}
	if !sc.WaitFor(30*time.Second, func() bool { return clusterLeader(servers) != nil }) {
		return fmt.Errorf("no leader elected")
	}
	leader := clusterLeader(servers)
	ok := sc.WaitFor(30*time.Second, func() bool {
		l := clusterLeader(servers)
		if l == nil {
			return false
		}
		for _, n := range []string{"consul1", "consul2", "consul3", "web1"} {
			c, found := l.fsm.Lookup(n)
			if !found || c.Status != healthPassing {
				return false
			}
		}
		return true
	})
	if !ok {
		return fmt.Errorf("catalog never converged")
	}
	sc.Note("leader %s has registered all four members as passing", leader.cfg.Name)
	// Let a snapshot happen and everything settle (anti-entropy synced, a
	// few reconcile rounds with barriers).
	time.Sleep(12 * time.Second)
	sc.Capture()
	return nil
}

// clusterLeader returns the running server that currently is raft leader.
func clusterLeader(servers []*Agent) *Agent {
	for _, a := range servers {
		a.mu.Lock()
		r := a.raft
		running := a.running
		a.mu.Unlock()
		if running && r != nil && r.State().String() == "Leader" {
			return a
		}
	}
	return nil
}

// leadersByTerm returns term -> nodes that logged "entering leader state" in it
// (from the scenario record).
func leaderSummary(sc *Scenario) string {
	var parts []string
	for _, l := range sc.sortedLeaders() {
		parts = append(parts, fmt.Sprintf("%s in term %d (t+%.1fs)", l.Node, l.Term, l.At))
	}
	return strings.Join(parts, ", ")
}

func checkHealthy(r *result, sc *Scenario) {
	if sc == nil {
		return // inspect-only mode: generic checks only
	}
	servers := []string{"consul1", "consul2", "consul3"}
	var leaders []leaderFact
	if sc != nil {
		leaders = sc.sortedLeaders()
		r.check(len(leaders) == 1, "exactly one leadership acquisition during the run: %s", leaderSummary(sc))
	}
	var ref []string
	for _, s := range servers {
		n := r.node(s)
		if n == nil || n.DB == nil {
			r.check(false, "%s has raft.db", s)
			continue
		}
		_, cfg := n.LastConfig()
		if ref == nil {
			ref = cfg
		}
		r.check(len(cfg) == 3 && sameSet(cfg, ref), "%s: latest raft configuration has the same 3 voters (%s)", s, strings.Join(cfg, ","))
		r.check(n.PeersInfo && n.PeersJSON == nil, "%s: raft/peers.info present, no peers.json", s)
		r.check(len(n.Snapshots) >= 1, "%s: at least one raft snapshot (%d)", s, len(n.Snapshots))
		bad := unexpectedWarnings(n.Log)
		r.check(len(bad) == 0, "%s: no WARN/ERROR lines in consul.log except the bootstrap-time raft lines %v", s, bad)
		r.check(len(n.LAN.Alive) == 4, "%s: serf/local.snapshot alive set has 4 members", s)
		r.check(len(n.WAN.Alive) == 3, "%s: serf/remote.snapshot alive set has 3 servers (name.dc1)", s)
		r.check(n.NodeID != "", "%s: node-id present", s)
	}
	c := r.node("web1")
	if c != nil {
		r.check(c.DB == nil && !c.WAN.Present, "web1: client has no raft.db and no remote.snapshot")
		r.check(len(c.LAN.Alive) == 4, "web1: serf/local.snapshot alive set has 4 members")
		r.check(c.Log.Count("agent.client.serf.lan: serf: EventMemberJoin") >= 4, "web1: client serf lines use module agent.client.serf.lan")
		r.check(c.Log.Count("[WARN]") == 0 && c.Log.Count("[ERROR]") == 0, "web1: no WARN/ERROR lines")
	}
	if len(leaders) > 0 {
		l := leaders[0]
		ln := r.node(l.Node)
		r.fact("leader: %s, elected in term %d; every server's raft.db has CurrentTerm %d", l.Node, l.Term, l.Term)
		if ln != nil {
			r.check(ln.Log.Count("agent.server.raft: entering leader state") == 1 && ln.Log.Count("cluster leadership acquired") == 1,
				"%s: one 'entering leader state' and one 'cluster leadership acquired' line", l.Node)
			regs := 0
			for _, e := range ln.DB.Entries {
				if strings.HasPrefix(e.Summary, "Register") && strings.Contains(e.Summary, "serfHealth=passing") {
					regs++
				}
			}
			r.check(regs == 4, "leader's raft.db holds 4 Register commands with serfHealth=passing (%d)", regs)
		}
		for _, s := range servers {
			if n := r.node(s); n != nil && n.DB != nil {
				r.check(n.DB.CurrentTerm == l.Term, "%s: CurrentTerm=%d equals the leader's term", s, n.DB.CurrentTerm)
				r.check(n.Log.Count("New leader elected: payload="+l.Node) >= 1, "%s: logs 'New leader elected: payload=%s'", s, l.Node)
			}
		}
	}
	r.fact("raft configuration (every server): %s", strings.Join(sortedCopy(ref), ", "))
	r.fact("no peers.json anywhere; peers.info on every server")
	r.fact("the only WARN lines are bootstrap-time raft lines: the winner's 'heartbeat timeout reached, starting election' and, when a server skipped its own bootstrap ('Existing Raft peers reported by server, disabling bootstrap mode'), one 'failed to get previous log' (and possibly 'no known peers, aborting election' before the leader reached it) on it and one 'appendEntries rejected, sending older logs' on the leader while it was brought up to date; no ERROR line anywhere")
	r.fact("serf: all four agents see consul1, consul2, consul3, web1 alive; servers' WAN pools hold consul1.dc1..consul3.dc1")
}

// unexpectedWarnings counts WARN/ERROR lines other than the normal
// bootstrap-time raft lines.
func unexpectedWarnings(l logFile) []string {
	allowed := []string{
		"agent.server.raft: heartbeat timeout reached, starting election",
		"agent.server.raft: failed to get previous log",
		"agent.server.raft: appendEntries rejected, sending older logs",
		"agent.server.raft: no known peers, aborting election",
	}
	var bad []string
	for _, line := range l.Lines {
		if !strings.Contains(line, "[WARN]") && !strings.Contains(line, "[ERROR]") {
			continue
		}
		ok := false
		for _, a := range allowed {
			if strings.Contains(line, "[WARN]  "+a) {
				ok = true
			}
		}
		if !ok {
			bad = append(bad, line)
		}
	}
	return bad
}
