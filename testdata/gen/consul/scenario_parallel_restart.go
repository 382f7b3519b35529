package main

import (
	"fmt"
	"io/ioutil"
	"path/filepath"
	"strings"
	"time"
)

func init() {
	scenarioDocs["consul-parallel-restart"] = scenarioDoc{
		Title: "Consul 0.5: all servers interrupted at once with a graceful leave, restart without quorum (legacy log format)",
		Story: `Seed 001 ("Case we ran into: We have restarted the whole cluster in parallel;
skip_leave_on_interrupt was set to false, so every node issued leave event to
the cluster, so they end up with cleared raft peers list each. After restart
they of course failed to build a quorum").
node1..node3 (127.0.0.11-13) run as Consul 0.5-era servers with the seed's
configuration (bootstrap_expect 3, leave_on_terminate false,
skip_leave_on_interrupt false, rejoin_after_leave true, retry_join). After the
cluster is healthy, all three get SIGINT at the same moment: each does Consul
0.5's graceful server leave (the leader removes itself from raft, followers
wait up to 5 s to be removed; serf Leave(), which makes real serf append
"leave" to serf/local.snapshot), then shuts down, clearing the raft v0.x peer
store (peers.json = null). All three are then restarted: serf ignores the old
leave (rejoin_after_leave) and re-joins, but with an empty peer set raft v0.x
never starts an election, so there is no leader: "EnableSingleNode disabled,
and no known peers. Aborting election." and "No cluster leader" forever.`,
		Expected: `Quorum lost (error), never regained. Cause: all three servers left the
cluster gracefully at the same moment (SIGINT with skip_leave_on_interrupt
= false: leave on interrupt); Consul 0.5 cleared each server's raft peer
store on shutdown (peers.json null; node3's emptied to [] by hand, the same
thing). Consequence: after the restart no server starts an election ("no
known peers"), no leader, "No cluster leader" on all three; the raft.db
files still hold older peer sets. Repair: a peers.json listing the three
servers on every server (outage recovery); restart one server at a time.`,
		Differs: `Class "parallel restart with leave on interrupt" (with
consul-parallel-restart-five). Here: Consul 0.5, three servers, captured
console output, rejoin_after_leave true, one peers.json emptied by hand.`,
		Synthetic: []string{
			"node3's raft/peers.json is \"[]\" — written by the generator after the shutdown, modelling an operator who emptied the file while troubleshooting. raft v0.x itself encodes an empty peer set as null (it appends to a nil slice), so real Consul 0.5 leaves null on all three; the analyzer must treat [] like null.",
			"The restart phase emulates raft v0.x taking its peers from peers.json: raft 1.1.2 is started on the real raft.db but with a 1 h heartbeat timeout so it never campaigns, and the generator prints raft v0.x's \"EnableSingleNode disabled, and no known peers. Aborting election.\" warning on each (1-2 s) heartbeat timeout. No raft entry is written after the restart.",
			"Console output (\"==> ...\" banner, \"==> Caught signal: interrupt\") and the 4-space indentation of every log line reproduce a captured `consul agent` stdout.",
		},
	}
	scenarioChecks["consul-parallel-restart"] = checkParallelRestart
}

var parallelRestartAt float64

func runParallelRestart(sc *Scenario) error {
	ips := []string{"127.0.0.11", "127.0.0.12", "127.0.0.13"}
	var servers []*Agent
	for i, ip := range ips {
		cfg := AgentConfig{Name: fmt.Sprintf("node%d", i+1), IP: ip, Server: true, Expect: 3, Era: "0.5",
			RetryJoin: ips, RetryInterval: 2 * time.Second, RejoinAfterLeave: true,
			LeaveOnTerminate: false, SkipLeaveOnInterrupt: false, Indent: true}
		a, err := sc.NewAgent(cfg)
		if err != nil {
			return err
		}
		servers = append(servers, a)
	}
	sc.Note("start node1, node2, node3 together (Consul 0.5 style, bootstrap_expect=3)")
	if err := sc.StartAll(servers); err != nil {
		return err
	}
	if !sc.WaitFor(30*time.Second, func() bool { return catalogAll(servers, healthPassing, "node1", "node2", "node3") }) {
		return fmt.Errorf("cluster never became healthy")
	}
	l := clusterLeader(servers)
	sc.Note("cluster healthy, leader %s", l.cfg.Name)
	time.Sleep(4 * time.Second)

	sc.Note("SIGINT to node1, node2, node3 at the same time (graceful leave)")
	interruptAll(servers)
	sc.Note("all three agents exited")
	p := filepath.Join(servers[2].dataDir, "raft", "peers.json")
	if err := ioutil.WriteFile(p, []byte("[]\n"), 0755); err != nil {
		return err
	}
	sc.Note("operator empties node3's raft/peers.json to [] (hand edit)")
	time.Sleep(3 * time.Second)

	sc.Note("restart node1, node2, node3 together")
	parallelRestartAt = sc.since()
	if err := sc.StartAll(servers); err != nil {
		return err
	}
	time.Sleep(15 * time.Second)
	if clusterLeader(servers) != nil {
		return fmt.Errorf("a leader appeared after the restart")
	}
	sc.Capture()
	return nil
}

func checkParallelRestart(r *result, sc *Scenario) {
	if sc == nil {
		return // inspect-only mode: generic checks only
	}
	if sc != nil {
		for _, l := range sc.sortedLeaders() {
			r.check(l.At < parallelRestartAt, "leadership %s/term %d happened before the restart", l.Node, l.Term)
		}
	}
	for _, n := range r.nodes {
		want := "null"
		if n.Name == "node3" {
			want = "[]"
		}
		got := ""
		if n.PeersJSON != nil {
			got = strings.TrimSpace(*n.PeersJSON)
		}
		r.check(got == want, "%s: raft/peers.json is %s", n.Name, want)
		r.check(n.NodeID == "" && !n.PeersInfo, "%s: no node-id, no peers.info (Consul 0.5 layout)", n.Name)
		r.check(n.LAN.Leaves == 1, "%s: serf/local.snapshot has exactly one 'leave' line", n.Name)
		leaveAt := -1
		aliveAfter := 0
		for i, line := range n.LAN.Lines {
			if line == "leave" {
				leaveAt = i
			} else if leaveAt >= 0 && strings.HasPrefix(line, "alive: ") {
				aliveAfter++
			}
		}
		r.check(aliveAfter >= 3, "%s: local.snapshot has alive lines for the restart after the 'leave' (%d)", n.Name, aliveAfter)
		r.check(n.Log.Count("[INFO] consul: server starting leave") == 1, "%s logs 'consul: server starting leave'", n.Name)
		r.check(n.Log.Count("serf: Ignoring previous leave in snapshot") >= 1, "%s: serf 'Ignoring previous leave in snapshot' after restart", n.Name)
		r.check(n.Log.Count("raft: EnableSingleNode disabled, and no known peers. Aborting election.") >= 3, "%s repeats 'EnableSingleNode disabled, and no known peers' (%d)", n.Name, n.Log.Count("no known peers"))
		r.check(n.Log.Count("[ERR] agent: failed to sync remote state: No cluster leader") >= 2, "%s logs 'failed to sync remote state: No cluster leader' (%d)", n.Name, n.Log.Count("No cluster leader"))
		r.check(n.Log.Count("consul: Raft data found, disabling bootstrap mode") >= 1, "%s logs 'Raft data found, disabling bootstrap mode' after the restart", n.Name)
		r.check(n.Log.Format == "legacy" && strings.HasPrefix(n.Log.Lines[len(n.Log.Lines)-1], "    "), "%s: legacy log format with 4-space indent", n.Name)
		if n.DB != nil {
			r.check(len(n.DB.Configs) > 0 && n.DB.Configs[0].Type == 3, "%s: raft.db membership entries are type 3 (RemovePeerDeprecated, protocol 1)", n.Name)
		}
	}
	for _, n := range r.nodes {
		if n.DB == nil {
			continue
		}
		idx, cfg := n.LastConfig()
		r.fact("%s: raft.db CurrentTerm=%d, last index %d, last peer-change entry (index %d) lists %s — but peers.json says %s", n.Name, n.DB.CurrentTerm, n.DB.Last, idx, strings.Join(cfg, ","), strings.TrimSpace(*n.PeersJSON))
	}
	if sc != nil {
		r.fact("leaderships during the run (all before the shutdown): %s", leaderSummary(sc))
	}
	r.fact("every serf/local.snapshot: alive lines, then not-alive lines as the others left, then 'leave', then new alive lines from the restart (rejoin_after_leave=true)")
	r.fact("after the restart nobody campaigns: no 'entering Candidate state' after the second banner, repeated 'EnableSingleNode disabled, and no known peers. Aborting election.' and '[ERR] agent: failed to sync remote state: No cluster leader' on all three")
}
