package main

import (
	"fmt"
	"io/ioutil"
	"path/filepath"
	"strings"
	"time"
)

func init() {
	scenarioDocs["consul-dual-bootstrap"] = scenarioDoc{
		Title: "two servers started with bootstrap=true, third joins both (hclog, HCL config)",
		Story: `Seed 001 ("bootstrap ... You are not allowed to have another nodes joined ...
Both servers joined in this mode will found each other in the serf peers list,
but not in raft") and seed 003 (two nodes bootstrapping after a redeploy).
consul1 (127.0.0.11) and consul2 (127.0.0.12) are both configured with
bootstrap = true (consul.hcl). Each bootstraps a single-server raft cluster with
only itself and becomes its leader. They meet in serf (retry_join); each leader
refuses to add the other ("Two nodes are in bootstrap mode ... not adding Raft
peer"), repeatedly on every reconcile. consul3 (127.0.0.13, plain server, no
bootstrap) then joins: BOTH leaders add it with AddVoter to their own raft
cluster, so consul3 receives AppendEntries from two leaders (what happens to
its log is whatever real raft did, see the facts). Finally the operator stops
all three servers (SIGINT, skip_leave_on_interrupt default true: no leave) and
stages a raft-protocol-3 recovery raft/peers.json listing all three servers on
every node; the bundle was collected before anyone restarted, so the recovery
never ran.`,
		Expected: `Split brain (error): two raft clusters in one datacenter, each bootstrapped
alone by a server with bootstrap = true (consul1, consul2), each with its
own leader at the same time and the same term numbers; consul3 received
entries from both. Cause: two servers in bootstrap mode ("Two nodes are in
bootstrap mode" errors). The staged raft/peers.json (all three servers) was
never applied: context for the recovery, not a second fault.`,
		Differs: `Class "dual bootstrap" (with consul-dual-bootstrap-legacy). Here: Consul 1.8
hclog, HCL configuration, the bootstrap servers are the first two, all
stopped before collection with a recovery file staged.`,
		Synthetic: []string{
			"raft/peers.json on every node is hand-written (the operator's staged recovery file, {id,address,non_voter} format, pretty-printed as in Consul's outage guide). peers.info next to it was written by the agent at first start.",
			"The shutdown lines (\"Caught: signal=interrupt\", \"Graceful shutdown disabled. Exiting\", ...) are imitated; \"serf: Shutdown without a Leave\" is real serf output.",
		},
	}
	scenarioChecks["consul-dual-bootstrap"] = checkDualBootstrap
}

func runDualBootstrap(sc *Scenario) error {
	ips := []string{"127.0.0.11", "127.0.0.12", "127.0.0.13"}
	var servers []*Agent
	for i, ip := range ips {
		cfg := serverCfg(fmt.Sprintf("consul%d", i+1), ip, "1.8", ips)
		cfg.ConfigHCL = true
		cfg.Bootstrap = i < 2
		a, err := sc.NewAgent(cfg)
		if err != nil {
			return err
		}
		servers = append(servers, a)
	}
	sc.Note("start consul1 and consul2, both bootstrap = true")
	if err := sc.StartAll(servers[:2]); err != nil {
		return err
	}
	ok := sc.WaitFor(20*time.Second, func() bool {
		return servers[0].isRaftLeader() && servers[1].isRaftLeader() &&
			servers[0].fsmStatus("consul2") == healthPassing && servers[1].fsmStatus("consul1") == healthPassing
	})
	if !ok {
		return fmt.Errorf("the two bootstrap servers did not both lead")
	}
	sc.Note("consul1 and consul2 are both raft leaders of their own one-server clusters and see each other in serf")
	time.Sleep(6 * time.Second)
	sc.Note("start consul3 (plain server)")
	if err := servers[2].Start(); err != nil {
		return err
	}
	time.Sleep(15 * time.Second)
	sc.Note("operator stops consul1, consul2, consul3 (SIGINT, no leave)")
	for _, a := range servers {
		a.InterruptNoLeave()
	}
	// The operator's staged recovery: same file on every server.
	var b strings.Builder
	b.WriteString("[\n")
	for i, a := range servers {
		fmt.Fprintf(&b, "  {\n    \"id\": \"%s\",\n    \"address\": \"%s\",\n    \"non_voter\": false\n  }", a.nodeID, a.raftAddr())
		if i < len(servers)-1 {
			b.WriteString(",")
		}
		b.WriteString("\n")
	}
	b.WriteString("]\n")
	for _, a := range servers {
		p := filepath.Join(a.dataDir, "raft", "peers.json")
		if err := ioutil.WriteFile(p, []byte(b.String()), 0644); err != nil {
			return err
		}
	}
	sc.Note("operator writes raft/peers.json (all three servers, protocol-3 format) on every node; nothing restarted before collection")
	sc.Capture()
	return nil
}

func (a *Agent) isRaftLeader() bool {
	a.mu.Lock()
	r := a.raft
	a.mu.Unlock()
	return r != nil && r.State().String() == "Leader"
}

func (a *Agent) fsmStatus(node string) string {
	a.mu.Lock()
	f := a.fsm
	a.mu.Unlock()
	if f == nil {
		return ""
	}
	n, ok := f.Lookup(node)
	if !ok {
		return ""
	}
	return n.Status
}

func checkDualBootstrap(r *result, sc *Scenario) {
	if sc == nil {
		return // inspect-only mode: generic checks only
	}
	c1, c2, c3 := r.node("consul1"), r.node("consul2"), r.node("consul3")
	if c1 == nil || c2 == nil || c3 == nil || c1.DB == nil || c2.DB == nil || c3.DB == nil {
		r.check(false, "three servers with raft.db")
		return
	}
	first := func(n *nodeResult) configEntry {
		if len(n.DB.Configs) == 0 {
			return configEntry{}
		}
		return n.DB.Configs[0]
	}
	f1, f2 := first(c1), first(c2)
	r.check(f1.Index == 1 && len(f1.Addrs) == 1 && f1.Addrs[0] == "127.0.0.11:18300", "consul1: index 1 is a configuration with only itself (%s)", strings.Join(f1.Servers, " "))
	r.check(f2.Index == 1 && len(f2.Addrs) == 1 && f2.Addrs[0] == "127.0.0.12:18300", "consul2: index 1 is a configuration with only itself (%s)", strings.Join(f2.Servers, " "))
	r.check(c1.ConfigFile == "consul.hcl" && c2.ConfigFile == "consul.hcl" && c3.ConfigFile == "consul.hcl", "configs are HCL (consul.hcl)")
	for _, n := range []*nodeResult{c1, c2} {
		r.check(n.Log.Count("agent: bootstrap = true: do not enable unless necessary") == 1, "%s warns 'bootstrap = true: do not enable unless necessary'", n.Name)
		r.check(n.Log.Count("entering leader state") >= 1 && n.Log.Count("cluster leadership acquired") >= 1, "%s became leader", n.Name)
		r.check(n.Log.Count("Two nodes are in bootstrap mode. Only one node should be in bootstrap mode, not adding Raft peer.") >= 2,
			"%s logs 'Two nodes are in bootstrap mode' (%d times)", n.Name, n.Log.Count("Two nodes are in bootstrap mode"))
		_, cfg := n.LastConfig()
		other := "127.0.0.12:18300"
		if n.Name == "consul2" {
			other = "127.0.0.11:18300"
		}
		has := false
		for _, a := range cfg {
			if a == other {
				has = true
			}
		}
		r.check(!has, "%s's raft configurations never contain the other bootstrap server", n.Name)
	}
	for _, n := range r.nodes {
		r.check(n.PeersJSON != nil && strings.Contains(*n.PeersJSON, "\"non_voter\": false") && n.PeersInfo,
			"%s: staged protocol-3 raft/peers.json next to peers.info", n.Name)
		r.check(n.Log.Count("serf: Shutdown without a Leave") >= 1 && n.Log.Count("Graceful shutdown disabled. Exiting") == 1,
			"%s: log ends with a shutdown without leave", n.Name)
		r.check(n.LAN.Leaves == 0, "%s: no 'leave' in local.snapshot", n.Name)
	}
	// consul3 was added by both leaders.
	adds := 0
	for _, n := range []*nodeResult{c1, c2} {
		for _, c := range n.DB.Configs {
			for _, a := range c.Addrs {
				if a == "127.0.0.13:18300" {
					adds++
					break
				}
			}
		}
	}
	r.check(c1.Log.Count("updating configuration: command=AddStaging") >= 1 && c2.Log.Count("updating configuration: command=AddStaging") >= 1,
		"both leaders logged an AddStaging (AddVoter) configuration change for consul3")
	r.fact("consul1 and consul2 each bootstrapped their own single-voter raft cluster: index 1 of consul1's raft.db is {consul1}, of consul2's is {consul2} (different IDs, same term numbers)")
	r.fact("consul1 and consul2 both logged 'entering leader state' / 'cluster leadership acquired' and each refuses the other with 'Two nodes are in bootstrap mode. Only one node should be in bootstrap mode, not adding Raft peer.: node_to_add=... other=...'")
	r.fact("both leaders appended a configuration adding consul3 (127.0.0.13:18300) to their own cluster; consul3 received AppendEntries from both")
	for _, n := range []*nodeResult{c1, c2, c3} {
		idx, cfg := n.LastConfig()
		r.fact("%s: CurrentTerm=%d, last log index %d, latest configuration (index %d): %s", n.Name, n.DB.CurrentTerm, n.DB.Last, idx, strings.Join(cfg, ","))
	}
	// Whose log did consul3 end up with? Compare entry by entry.
	same := func(a, b *nodeResult) (eq, diff int) {
		m := map[uint64]logEntry{}
		for _, e := range b.DB.Entries {
			m[e.Index] = e
		}
		for _, e := range a.DB.Entries {
			o, ok := m[e.Index]
			if !ok {
				continue
			}
			if o.Term == e.Term && o.Summary == e.Summary {
				eq++
			} else if o.Term == e.Term {
				diff++
			}
		}
		return
	}
	e1, d1 := same(c3, c1)
	e2, d2 := same(c3, c2)
	r.fact("consul3's raft.db vs consul1's: %d entries identical, %d entries with the same (index, term) but different content", e1, d1)
	r.fact("consul3's raft.db vs consul2's: %d entries identical, %d entries with the same (index, term) but different content", e2, d2)
	if d1+d2 > 0 {
		r.fact("split brain visible on disk: the same (index, term) positions hold different entries on different servers (raft's log matching cannot detect it because both leaders used the same term numbers)")
	}
	r.fact("raft/peers.json (staged, never applied) on all three nodes lists consul1, consul2, consul3 with their node-ids; peers.info present")
}
