package main

import (
	"fmt"
	"time"
)

func init() {
	scenarioDocs["consul-expect-mismatch"] = scenarioDoc{
		Title: "bootstrap_expect 3 on two servers, 5 on the third: cluster never bootstraps (hclog + JSON log)",
		Story: `Seed 001 ("you need to know/be sure you have consistent set of those two
(bootstrap mode, expect count) values across your set of consul servers").
consul1 and consul2 (127.0.0.11-12) have bootstrap_expect = 3, consul3
(127.0.0.13) has bootstrap_expect = 5. All three start together and join each
other in serf. Each server's bootstrap check finds a member whose expect tag
differs from its own and refuses to bootstrap ("Member has a conflicting expect
value. All nodes should expect the same number."), so raft is never
bootstrapped: empty logs bucket, no term, no leader, and every agent keeps
failing anti-entropy and coordinate updates with "No cluster leader".
consul3 logs in JSON (log_json = true).`,
		Expected: `No leader ever (error): the cluster was never bootstrapped. Cause:
bootstrap_expect differs between the servers (3, 3 and 5: "Member has a
conflicting expect value"). Consequence: empty raft.db everywhere, "No
cluster leader". No server died. Repair: the same bootstrap_expect on all.`,
		Differs: `Class "bootstrap_expect mismatch" (with consul-expect-mismatch-legacy).
Here: Consul 1.8, hclog text and one JSON log, 3/3/5.`,
	}
	scenarioChecks["consul-expect-mismatch"] = checkExpectMismatch
}

func runExpectMismatch(sc *Scenario) error {
	ips := []string{"127.0.0.11", "127.0.0.12", "127.0.0.13"}
	var servers []*Agent
	for i, ip := range ips {
		cfg := serverCfg(fmt.Sprintf("consul%d", i+1), ip, "1.8", ips)
		cfg.Expect = 3
		if i == 2 {
			cfg.Expect = 5
			cfg.LogJSON = true
		}
		a, err := sc.NewAgent(cfg)
		if err != nil {
			return err
		}
		servers = append(servers, a)
	}
	sc.Note("start consul1, consul2 (bootstrap_expect=3) and consul3 (bootstrap_expect=5) together")
	if err := sc.StartAll(servers); err != nil {
		return err
	}
	if !sc.WaitFor(20*time.Second, func() bool {
		for _, a := range servers {
			if a.serfLAN == nil || a.serfLAN.NumNodes() != 3 {
				return false
			}
		}
		return true
	}) {
		return fmt.Errorf("serf never converged")
	}
	sc.Note("all three servers see each other in serf; nobody bootstraps")
	time.Sleep(15 * time.Second)
	if clusterLeader(servers) != nil {
		return fmt.Errorf("unexpected leader")
	}
	sc.Capture()
	return nil
}

func checkExpectMismatch(r *result, sc *Scenario) {
	if sc == nil {
		return // inspect-only mode: generic checks only
	}
	if sc != nil {
		r.check(len(sc.sortedLeaders()) == 0, "no leadership acquisition at all")
	}
	for _, n := range r.nodes {
		if n.DB == nil {
			r.check(false, "%s has raft.db", n.Name)
			continue
		}
		r.check(len(n.DB.Entries) == 0 && n.DB.CurrentTerm == 0 && n.DB.LastVoteCand == "", "%s: raft.db has an empty logs bucket, CurrentTerm=0 and no vote (%d entries)", n.Name, len(n.DB.Entries))
		r.check(len(n.Snapshots) == 0, "%s: no raft snapshot", n.Name)
		r.check(n.Log.Count("no known peers, aborting election") == 1, "%s: raft warned 'no known peers, aborting election' once", n.Name)
		r.check(n.Log.Count("Member has a conflicting expect value. All nodes should expect the same number.") >= 1,
			"%s logs the conflicting expect value error (%d times)", n.Name, n.Log.Count("Member has a conflicting expect value"))
		r.check(n.Log.Count("No cluster leader") >= 2, "%s logs 'No cluster leader' (%d times)", n.Name, n.Log.Count("No cluster leader"))
		r.check(n.Log.Count("Found expected number of peers") == 0, "%s never attempts a bootstrap", n.Name)
		r.check(len(n.LAN.Alive) == 3, "%s: local.snapshot alive set has the three servers", n.Name)
	}
	if c3 := r.node("consul3"); c3 != nil {
		r.check(c3.Log.Format == "json", "consul3's log is hclog JSON (log_json)")
	}
	if c1 := r.node("consul1"); c1 != nil {
		r.check(c1.Log.Format == "hclog", "consul1's log is hclog text")
	}
	r.fact("configs: consul1 and consul2 bootstrap_expect=3, consul3 bootstrap_expect=5 (serf tags expect=3/3/5)")
	r.fact("no server ever bootstrapped: in every raft.db the conf bucket holds only CurrentTerm = 8 zero bytes (no LastVoteTerm/LastVoteCand) and the logs bucket is empty; raft/snapshots/ is empty; no leader in any log; raft logged 'no known peers, aborting election' once")
	r.fact("every server logs 'Member has a conflicting expect value. All nodes should expect the same number.' and repeated 'No cluster leader' errors (agent.anti_entropy and Coordinate update)")
	r.fact("consul3's consul.log is JSON (one object per line with @timestamp/@level/@module/@message); the console banner lines before it are plain text")
}
