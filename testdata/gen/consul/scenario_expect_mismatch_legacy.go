package main

import (
	"fmt"
	"strings"
	"time"
)

// bootstrap_expect that differs between servers (Consul 0.5): every
// server's maybeBootstrap sees a member whose "expect" tag differs from its
// own and gives up ("consul: Member <m> has a conflicting expect value. All
// nodes should expect the same number.", hashicorp/consul consul/serf.go
// maybeBootstrap of the 0.5 era), so raft is never bootstrapped.

func init() {
	sites["consul-expect-mismatch-legacy"] = withDefaultPorts(Site{DC: "east", Version: "0.5.2",
		DataDir: "/var/consul", ConfigPath: "/etc/consul.d/config.json",
		LogPath: "/var/log/consul.journal", LogWrap: wrapJournald16, Layout: layoutPerNode, InnerTop: true,
		Collect: []Collect{
			{Cmd: cmdInfo, Path: "/consul_info.txt"},
			{Cmd: cmdMembers, Path: "/consul_members.txt"},
		}})
	scenarioDocs["consul-expect-mismatch-legacy"] = scenarioDoc{
		Title: "bootstrap_expect 5 on two servers and 3 on the third: the cluster never bootstraps (Consul 0.5, journald)",
		Story: `Servers consul-east-01..03 (127.0.3.121-123, default ports) in datacenter east,
Consul 0.5 era. consul-east-01 and consul-east-02 were configured with
bootstrap_expect = 5 (the size planned for later), consul-east-03 with
bootstrap_expect = 3. All three start and join each other in serf. Each
server's bootstrap check meets a member whose expect value differs from its
own and gives up, so raft is never bootstrapped: no log entry, no term, no
leader; every agent keeps failing its anti-entropy sync with "No cluster
leader".`,
		Expected: `No leader ever (error): the cluster was never bootstrapped. Cause:
bootstrap_expect differs between the servers (5, 5 and 3: "Member ... has a
conflicting expect value"). Consequence: empty raft.db everywhere
(CurrentTerm 0, no entries), "No cluster leader". Not a quorum loss of a
running cluster: there never was one, no server died. Repair: the same
bootstrap_expect on every server (3 here), then restart them.`,
		Differs: `Class "bootstrap_expect mismatch" (with consul-expect-mismatch). Here: Consul
0.5 Go log under journald (systemd 229) instead of 1.8 hclog/JSON, the
majority says 5 and one server says 3 (instead of 3, 3 and 5), /var/consul and
/etc/consul.d/config.json, one tarball per node under the bundle's top (each
with a top directory), consul info and consul members collected.`,
	}
	scenarioChecks["consul-expect-mismatch-legacy"] = checkExpectMismatchLegacy
}

var expectLegacyDone bool

func runExpectMismatchLegacy(sc *Scenario) error {
	ips := []string{"127.0.3.121", "127.0.3.122", "127.0.3.123"}
	var cfgs []AgentConfig
	for i := range ips {
		expect := 5
		if i == 2 {
			expect = 3
		}
		cfgs = append(cfgs, AgentConfig{Name: fmt.Sprintf("consul-east-%02d", i+1), IP: ips[i], Server: true,
			Expect: expect, Era: "0.5", RetryJoin: ips, RetryInterval: 5 * time.Second})
	}
	servers, err := sc.start(cfgs, "start consul-east-01, -02 (bootstrap_expect=5) and -03 (bootstrap_expect=3) together")
	if err != nil {
		return err
	}
	if !sc.WaitFor(30*time.Second, func() bool {
		for _, a := range servers {
			s, _, up := a.live()
			if !up || s.NumNodes() != 3 {
				return false
			}
		}
		return true
	}) {
		return fmt.Errorf("serf never converged")
	}
	sc.Note("all three see each other in serf; nobody bootstraps")
	time.Sleep(20 * time.Second)
	if clusterLeader(servers) != nil {
		return fmt.Errorf("unexpected leader")
	}
	expectLegacyDone = true
	sc.Capture()
	return nil
}

func checkExpectMismatchLegacy(r *result, sc *Scenario) {
	if sc == nil || !expectLegacyDone {
		return
	}
	r.check(len(sc.sortedLeaders()) == 0, "no leadership at all")
	for _, n := range r.nodes {
		if n.DB == nil {
			r.check(false, "%s has raft.db", n.Name)
			continue
		}
		r.check(len(n.DB.Entries) == 0 && n.DB.CurrentTerm == 0, "%s: raft.db has no entries and CurrentTerm 0", n.Name)
		r.check(n.Log.Count("has a conflicting expect value. All nodes should expect the same number.") >= 1, "%s logs the conflicting expect value", n.Name)
		r.check(n.Log.Count("No cluster leader") >= 2, "%s logs 'No cluster leader'", n.Name)
		r.check(n.Log.Count("Found expected number of peers") == 0, "%s never attempts a bootstrap", n.Name)
		r.check(n.Log.Count("coordinate update error") == 0, "%s: no coordinate lines (Consul 0.5 had none)", n.Name)
		r.check(strings.Contains(n.Commands[cmdInfo], "term = 0") && strings.Contains(n.Commands[cmdInfo], "leader = false"), "%s: consul info: term 0, no leader", n.Name)
		r.check(n.Log.Header != "" && n.Log.SystemCount("Started consul agent.") == 1, "%s: journal header and systemd start line", n.Name)
	}
	r.fact("configs: consul-east-01 and -02 bootstrap_expect=5, consul-east-03 bootstrap_expect=3")
	r.fact("no raft.db holds an entry; no server ever voted or led")
	r.expect("from the first start (%s) to the end of the logs: no bootstrap, no election, no leader", r.node("consul-east-01").Log.FirstTime)
	r.expect("all three servers alive and in serf the whole time; nothing died")
}
