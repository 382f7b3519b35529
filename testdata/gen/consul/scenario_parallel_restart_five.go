package main

import (
	"fmt"
	"strings"
	"time"
)

// The Consul 0.5/0.6 story of consul-parallel-restart with five servers:
// SIGINT with skip_leave_on_interrupt = false (the 0.6 default) is a
// graceful leave (hashicorp/consul command/agent/command.go handleSignals;
// consul/server.go Leave: the leader removes itself from the raft peers,
// followers wait to be removed). raft v0.x's peer store then holds no peer
// (peers.json "null": Consul's shutdown after a leave clears it), and a
// raft v0.x server with no known peers never starts an election.

func init() {
	sites["consul-parallel-restart-five"] = withDefaultPorts(Site{DC: "sjc", Version: "0.6.4",
		DataDir: "/var/lib/consul", ConfigPath: "/etc/consul.d/consul.json",
		LogPath: "/var/log/consul/consul-journal.txt", LogWrap: wrapJournald16, Layout: layoutFlat,
		Collect: []Collect{
			{Cmd: cmdInfo, Path: "/consul-info.txt"},
			{Cmd: cmdMembers, Path: "/consul-members.txt"},
		}})
	scenarioDocs["consul-parallel-restart-five"] = scenarioDoc{
		Title: "five servers restarted in parallel with leave on interrupt: every peer set empty, no leader (Consul 0.6, journald)",
		Story: `Servers sjc-cs-1..sjc-cs-5 (127.0.3.81-85, bootstrap_expect 5) in datacenter
sjc, Consul 0.6 era with its defaults: skip_leave_on_interrupt = false and
rejoin_after_leave = false. A configuration push restarts consul on all five
hosts at the same moment (systemctl restart, KillSignal=SIGINT). Each agent
leaves gracefully: the leader removes itself from the raft peers, the
followers wait to be removed, serf broadcasts the leave; on shutdown each
clears its raft peer store, so peers.json is "null" everywhere. systemd
starts them again at once. serf re-joins through retry_join, but raft has no
peer on any server: nobody ever starts an election ("EnableSingleNode
disabled, and no known peers. Aborting election."), "No cluster leader"
everywhere, until the end of the logs.`,
		Synthetic: []string{
			"The restart phase emulates raft v0.x taking its peers from peers.json: raft 1.1.2 is started on the real raft.db but with a 1 h heartbeat timeout so it never campaigns, and the generator prints raft v0.x's \"EnableSingleNode disabled, and no known peers. Aborting election.\" warning on each (1-2 s) heartbeat timeout. No raft entry is written after the restart.",
		},
		Expected: `Quorum lost (error), and never regained. Cause: all five servers left the
cluster gracefully at the same moment (SIGINT with skip_leave_on_interrupt
= false: leave on interrupt), so every server restarted with an empty raft
peer set (peers.json null); a majority (here all) left. Consequence: no
election at all after the restart ("no known peers" on every server), no
leader, "No cluster leader". The raft.db files still hold the older
configurations; the fix is a peers.json listing the five servers on every
server (outage recovery), and skip_leave_on_interrupt = true (or rolling
restarts) to avoid it.`,
		Differs: `Class "parallel restart with leave on interrupt" (with consul-parallel-restart).
Here: five servers instead of three, Consul 0.6 instead of 0.5, Go log under
journald (systemd 229 wording: Stopping/Stopped/Started around each restart,
exit status 0), rejoin_after_leave false, no hand-edited peers.json,
/var/lib/consul and /etc/consul.d/consul.json, node directories at the top of
the bundle, consul info and consul members collected after the restart.`,
	}
	scenarioChecks["consul-parallel-restart-five"] = checkParallelRestartFive
}

type parallelFiveState struct {
	leaveAt, restartAt string
	leaders            []string
}

var parallelFive parallelFiveState

func runParallelRestartFive(sc *Scenario) error {
	var ips []string
	for i := 1; i <= 5; i++ {
		ips = append(ips, fmt.Sprintf("127.0.3.%d", 80+i))
	}
	var cfgs []AgentConfig
	for i, ip := range ips {
		cfgs = append(cfgs, AgentConfig{Name: fmt.Sprintf("sjc-cs-%d", i+1), IP: ip, Server: true, Expect: 5,
			Era: "0.6", RetryJoin: ips, RetryInterval: 5 * time.Second, SkipLeaveOnInterrupt: false})
	}
	_, servers, _, err := sc.startHealthy(cfgs, "start the five servers")
	if err != nil {
		return err
	}
	time.Sleep(6 * time.Second)

	sc.Note("systemctl restart consul on all five hosts at once (SIGINT: graceful leave)")
	leaveAt := servers[0].logStamp(time.Now())
	interruptAll(servers)
	sc.Note("all five exited")
	restartAt := servers[0].logStamp(time.Now())
	if err := sc.StartAll(servers); err != nil {
		return err
	}
	sc.Note("systemd started all five again")
	time.Sleep(20 * time.Second)
	if clusterLeader(servers) != nil {
		return fmt.Errorf("a leader appeared after the restart")
	}
	parallelFive = parallelFiveState{leaveAt: leaveAt, restartAt: restartAt, leaders: leadershipLines(sc, servers[0])}
	sc.Capture()
	return nil
}

func checkParallelRestartFive(r *result, sc *Scenario) {
	st := parallelFive
	if sc == nil || st.leaveAt == "" {
		return
	}
	for _, n := range r.nodes {
		got := ""
		if n.PeersJSON != nil {
			got = strings.TrimSpace(*n.PeersJSON)
		}
		r.check(got == "null", "%s: raft/peers.json is null", n.Name)
		r.check(n.LAN.Leaves == 1, "%s: serf/local.snapshot has one 'leave' line", n.Name)
		r.check(n.Log.Count("[INFO] consul: server starting leave") == 1, "%s logs 'consul: server starting leave'", n.Name)
		r.check(n.Log.Count("raft: EnableSingleNode disabled, and no known peers. Aborting election.") >= 3, "%s repeats 'no known peers' after the restart", n.Name)
		r.check(n.Log.Count("No cluster leader") >= 2, "%s logs 'No cluster leader'", n.Name)
		r.check(n.Log.SystemCount("Stopping consul agent...") == 1 && n.Log.SystemCount("Stopped consul agent.") == 1 && n.Log.SystemCount("Started consul agent.") == 2,
			"%s: journal shows systemd stopping, stopped (exit 0) and starting it again", n.Name)
		r.check(strings.Contains(n.Commands[cmdInfo], "num_peers = 0") && strings.Contains(n.Commands[cmdInfo], "leader = false"), "%s: consul info: num_peers = 0, leader = false", n.Name)
		if n.DB != nil {
			idx, cfg := n.LastConfig()
			r.fact("%s: raft.db CurrentTerm=%d, last index %d, last peer-change entry (index %d) lists %s; peers.json null", n.Name, n.DB.CurrentTerm, n.DB.Last, idx, strings.Join(cfg, ","))
		}
	}
	for _, l := range st.leaders {
		r.fact("until the restart: %s", l)
		r.expect("until the restart: %s (terms after the first began while the servers were leaving)", l)
	}
	r.expect("all five servers left gracefully at %s (consul: server starting leave) and were restarted at %s", st.leaveAt, st.restartAt)
	r.expect("no leader and no election from the restart to the end of the logs: quorum lost for good, 0 of 5 servers with a peer set")
}
