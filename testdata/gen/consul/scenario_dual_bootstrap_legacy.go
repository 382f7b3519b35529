package main

import (
	"fmt"
	"strings"
	"time"
)

// Two servers with bootstrap = true in one datacenter (Consul 0.6): each
// bootstraps a raft cluster of its own and leads it; each leader refuses
// to add the other ("consul: '<a>' and '<b>' are both in bootstrap mode.
// Only one node should be in bootstrap mode, not adding Raft peer.",
// hashicorp/consul consul/leader.go joinConsulServer of the 0.6 era) and
// both add the third, plain server.

func init() {
	sites["consul-dual-bootstrap-legacy"] = withDefaultPorts(Site{DC: "ams", Version: "0.6.4",
		DataDir: "/data/consul", ConfigPath: "/etc/consul/consul.json",
		LogPath: "/var/log/consul.log", LogWrap: wrapIndent, Layout: layoutWrapped, Wrapper: "consul-diag",
		Collect: []Collect{{Cmd: cmdInfo, Path: "/consul-info.txt"}}})
	scenarioDocs["consul-dual-bootstrap-legacy"] = scenarioDoc{
		Title: "two servers in bootstrap mode lead two raft clusters at once; the third follows both (Consul 0.6, console log)",
		Story: `Servers ams-c1, ams-c2, ams-c3 (127.0.3.101-103) in datacenter ams, Consul 0.6
era (raft protocol 1, peers.json). ams-c1 and ams-c3 were deployed with
"bootstrap": true (a template meant for the first server applied to two);
ams-c2 is a plain server. ams-c1 and ams-c3 start first: each bootstraps a
one-server raft cluster and becomes its leader; they meet in serf and each
refuses to add the other (both are in bootstrap mode). ams-c2 then starts and
joins: both leaders add it as a raft peer of their own cluster, so it gets
AppendEntries from two leaders. The bundle is taken while all three still
run: two leaders at the same time in one datacenter.`,
		Expected: `Split brain (error): two raft clusters in one datacenter and serf pool, each
with its own leader at the same time (ams-c1 and ams-c3), their leadership
intervals overlapping; the configurations and logs differ (each bootstrapped
alone, index 1 holds only itself). Cause: two servers configured with
bootstrap = true ("both in bootstrap mode" errors). Consequence: ams-c2 is
pulled between two leaders (its log, term and peer set follow whichever
wrote last). Repair: one bootstrap server at most (or bootstrap_expect on
all), then rebuild the cluster from the server whose data should win.`,
		Differs: `Class "dual bootstrap" (with consul-dual-bootstrap). Here: Consul 0.6 instead
of 1.8 (raft protocol 1, addresses as IDs, peers.json as the live peer
store), the bootstrap servers are the first and the third, captured console
output with 4-space indented log lines, JSON config in /etc/consul, data in
/data/consul, wrapped in consul-diag/, consul info collected while both
leaders run, no staged recovery file.`,
	}
	scenarioChecks["consul-dual-bootstrap-legacy"] = checkDualBootstrapLegacy
}

var dualLegacyLeaders []string

func runDualBootstrapLegacy(sc *Scenario) error {
	ips := []string{"127.0.3.101", "127.0.3.102", "127.0.3.103"}
	var cfgs []AgentConfig
	for i, n := range []string{"ams-c1", "ams-c2", "ams-c3"} {
		cfgs = append(cfgs, AgentConfig{Name: n, IP: ips[i], Server: true, Bootstrap: i != 1, Era: "0.6",
			RetryJoin: ips, RetryInterval: 5 * time.Second})
	}
	servers, err := sc.newAgents(cfgs)
	if err != nil {
		return err
	}
	c1, c2, c3 := servers[0], servers[1], servers[2]
	sc.Note("start ams-c1 and ams-c3, both bootstrap = true")
	if err := sc.StartAll([]*Agent{c1, c3}); err != nil {
		return err
	}
	ok := sc.WaitFor(30*time.Second, func() bool {
		return c1.isRaftLeader() && c3.isRaftLeader() && c1.fsmStatus("ams-c3") == healthPassing && c3.fsmStatus("ams-c1") == healthPassing
	})
	if !ok {
		return fmt.Errorf("the two bootstrap servers did not both lead")
	}
	sc.Note("ams-c1 and ams-c3 each lead their own one-server raft cluster and see each other in serf")
	time.Sleep(6 * time.Second)
	sc.Note("start ams-c2 (plain server)")
	if err := c2.Start(); err != nil {
		return err
	}
	if !sc.WaitFor(30*time.Second, func() bool { return c1.inConfig(c2.raftAddr()) && c3.inConfig(c2.raftAddr()) }) {
		return fmt.Errorf("ams-c2 was not added by both leaders")
	}
	sc.Note("both leaders added ams-c2 to their raft clusters")
	time.Sleep(12 * time.Second)
	if !c1.isRaftLeader() || !c3.isRaftLeader() {
		return fmt.Errorf("one of the bootstrap leaders lost leadership (retry)")
	}
	dualLegacyLeaders = leadershipLines(sc, c1)
	sc.Capture()
	return nil
}

func checkDualBootstrapLegacy(r *result, sc *Scenario) {
	if sc == nil || len(dualLegacyLeaders) == 0 {
		return
	}
	c1, c2, c3 := r.node("ams-c1"), r.node("ams-c2"), r.node("ams-c3")
	if c1 == nil || c2 == nil || c3 == nil || c1.DB == nil || c3.DB == nil {
		r.check(false, "three servers with raft.db")
		return
	}
	for _, n := range []*nodeResult{c1, c3} {
		other := "ams-c3"
		if n == c3 {
			other = "ams-c1"
		}
		first := n.DB.Configs[0]
		r.check(first.Index == 1 && len(first.Addrs) == 1, "%s: index 1 is a peer set with only itself (%s)", n.Name, strings.Join(first.Addrs, ","))
		r.check(n.Log.Count("==> WARNING: Bootstrap mode enabled! Do not enable unless necessary") == 1, "%s: bootstrap mode banner", n.Name)
		r.check(n.Log.Count("are both in bootstrap mode. Only one node should be in bootstrap mode, not adding Raft peer.") >= 1, "%s logs 'both in bootstrap mode'", n.Name)
		r.check(strings.Contains(n.Commands[cmdInfo], "leader = true") && strings.Contains(n.Commands[cmdInfo], "state = Leader"), "%s: consul info says leader = true", n.Name)
		c := lastConfigAddrs(n)
		r.check(len(c) == 2, "%s: its raft peers are itself and ams-c2 (%s), never %s", n.Name, strings.Join(c, ","), other)
		r.check(n.Log.Format == "legacy" && strings.HasPrefix(n.Log.Lines[len(n.Log.Lines)-1], "    "), "%s: indented console log", n.Name)
	}
	r.check(!strings.Contains(c2.Commands[cmdInfo], "leader = true"), "ams-c2 is no leader")
	for _, l := range dualLegacyLeaders {
		r.expect("%s", l)
	}
	r.expect("both leaderships last to the end of the logs (%s on ams-c1, %s on ams-c3): two leaders at once", c1.Log.LastTime, c3.Log.LastTime)
	r.expect("ams-c1's raft peers: %s; ams-c3's: %s; ams-c2's peers.json: %s", strings.Join(lastConfigAddrs(c1), ","), strings.Join(lastConfigAddrs(c3), ","), strings.TrimSpace(*c2.PeersJSON))
	r.fact("ams-c1 and ams-c3: bootstrap = true; each raft.db starts with a peer set holding only itself")
	r.fact("ams-c2: CurrentTerm %d, last index %d, latest peer set %s", c2.DB.CurrentTerm, c2.DB.Last, strings.Join(lastConfigAddrs(c2), ","))
}
