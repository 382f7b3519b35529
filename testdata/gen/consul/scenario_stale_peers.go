package main

import (
	"fmt"
	"os"
	"strings"
	"time"
)

func init() {
	scenarioDocs["consul-stale-peers"] = scenarioDoc{
		Title: "Consul 0.6: a server replaced under the same name with a new IP leaves its old address in the raft peers; a later failure loses quorum (legacy log format)",
		Story: `Seed 001 ("Raft (L1) and Serf (L2) peers lists may be unsynced in a way of
containing totally different nodes ... if your raft peers list contains some
old nodes ip's which missing in the lan's serf, then you have to go and get rid
of them manually"; "force-leave works only for nodes present in serf peers
list").
node1..node3 run as Consul 0.6-era servers (127.0.0.21-23, bootstrap_expect 3).
One follower's host dies (killed, no leave). The server is rebuilt with the same
node name but a new IP, 127.0.0.24, and an empty data dir. Serf sees the same
member name come back with a new address, so the old address is never left or
reaped in serf, and the leader (Consul 0.5/0.6 reconcile) just AddPeer()s the
new address: the raft peer set becomes four addresses, one of them (the old IP)
dead forever, invisible in serf, and impossible to force-leave. Quorum is now 3
of 4. When the other follower also goes down, only 2 of 4 voters are alive:
the leader steps down ("Failed to contact quorum of nodes, stepping down") and
no new leader can be elected; "No cluster leader" everywhere.
The bundle holds the three hosts that exist at collection time: the two
original servers and the replacement (its directory carries the node name;
the dead host's disk is gone).`,
		Expected: `Quorum lost (error). Cause: a stale raft peer: the replaced server's old
address is still in every raft peer set (4 peers) while no serf member has
it (it cannot be force-left); a majority of 4 is 3. Consequence: when the
other follower died, 2 of 4 peers were alive: the leader stepped down, the
survivors campaign in vain, "No cluster leader". Repair: peers.json
recovery with the live servers (the stale address removed), then bring the
dead follower back.`,
		Differs: `Class "stale raft peer" (with consul-stale-peers-modern). Here: Consul 0.6,
raft protocol 1 (peers by address), ` + "`consul monitor`" + ` style log capture.`,
		Synthetic: []string{
			"Logs were captured with `consul monitor` style output: no console banner and no leading indentation (the other legacy bundle has both).",
			"memberlist gossip_to_the_dead_time was lowered to 1 s (default 30 s) so that the replacement can take over the old name within the run instead of after 30 s.",
			"The replacement runs with bootstrap_expect 3 like the others; it asks the existing servers for their peers (imitated Status.Peers RPC: their peers.json) and logs 'Existing Raft peers reported by ..., disabling bootstrap mode'.",
		},
	}
	scenarioChecks["consul-stale-peers"] = checkStalePeers
}

type stalePeersState struct {
	leader, replaced, failed string
	oldIP, newIP             string
}

var stalePeers stalePeersState

func stalePeerCfg(name, ip string, join []string) AgentConfig {
	return AgentConfig{Name: name, IP: ip, Server: true, Expect: 3, Era: "0.6",
		RetryJoin: join, RetryInterval: 2 * time.Second, NoBanner: true,
		GossipToTheDead: time.Second, SkipLeaveOnInterrupt: false}
}

func runStalePeers(sc *Scenario) error {
	ips := []string{"127.0.0.21", "127.0.0.22", "127.0.0.23"}
	var servers []*Agent
	for i, ip := range ips {
		a, err := sc.NewAgent(stalePeerCfg(fmt.Sprintf("node%d", i+1), ip, ips))
		if err != nil {
			return err
		}
		servers = append(servers, a)
	}
	sc.Note("start node1, node2, node3 together (Consul 0.6 style, bootstrap_expect=3)")
	if err := sc.StartAll(servers); err != nil {
		return err
	}
	if !sc.WaitFor(30*time.Second, func() bool { return catalogAll(servers, healthPassing, "node1", "node2", "node3") }) {
		return fmt.Errorf("cluster never became healthy")
	}
	leader := clusterLeader(servers)
	var followers []*Agent
	for _, a := range servers {
		if a != leader {
			followers = append(followers, a)
		}
	}
	// The follower with the highest name is replaced, the other fails later.
	replaced, failed := followers[1], followers[0]
	sc.Note("cluster healthy, leader %s", leader.cfg.Name)
	time.Sleep(3 * time.Second)

	oldIP := replaced.cfg.IP
	sc.Note("%s's host (%s) dies: process killed, no leave", replaced.cfg.Name, oldIP)
	replaced.Kill()
	replaced.log.Close()
	live := []*Agent{leader, failed}
	if !sc.WaitFor(20*time.Second, func() bool { return catalogAll(live, healthCritical, replaced.cfg.Name) }) {
		return fmt.Errorf("replaced node never marked critical")
	}
	sc.Note("leader %s marks %s critical", leader.cfg.Name, replaced.cfg.Name)
	time.Sleep(3 * time.Second)

	// The host is rebuilt: same node name, new IP, empty disk.
	if err := os.RemoveAll(replaced.nodeDir); err != nil {
		return err
	}
	newIP := "127.0.0.24"
	join := []string{ips[0], ips[1], ips[2], newIP}
	repl, err := sc.newAgentIn(replaced.cfg.Name, stalePeerCfg(replaced.cfg.Name, newIP, join))
	if err != nil {
		return err
	}
	sc.dropAgent(replaced)
	sc.Note("replacement %s starts on a new host with IP %s and an empty data dir", repl.cfg.Name, newIP)
	if err := repl.Start(); err != nil {
		return err
	}
	ok := sc.WaitFor(40*time.Second, func() bool {
		l := clusterLeader([]*Agent{leader, failed, repl})
		if l == nil {
			return false
		}
		c, found := l.fsm.Lookup(repl.cfg.Name)
		if !found || c.Status != healthPassing || c.Address != newIP {
			return false
		}
		peers, _ := repl.peers.Peers()
		return len(peers) == 4
	})
	if !ok {
		return fmt.Errorf("replacement never joined raft")
	}
	sc.Note("leader registered %s at %s and added %s:%d to raft: 4 peers, %s:%d is stale", repl.cfg.Name, newIP, newIP, raftPort, oldIP, raftPort)
	time.Sleep(5 * time.Second)

	sc.Note("%s's host goes down too (killed, no leave): 2 of 4 raft voters alive", failed.cfg.Name)
	failed.Kill()
	if !sc.WaitFor(20*time.Second, func() bool { return clusterLeader([]*Agent{leader, repl}) == nil }) {
		return fmt.Errorf("leader did not step down")
	}
	sc.Note("leader %s stepped down; no quorum", leader.cfg.Name)
	time.Sleep(15 * time.Second)
	if clusterLeader([]*Agent{leader, repl}) != nil {
		return fmt.Errorf("a leader was elected without quorum?")
	}
	stalePeers = stalePeersState{leader: leader.cfg.Name, replaced: repl.cfg.Name, failed: failed.cfg.Name, oldIP: oldIP, newIP: newIP}
	sc.Capture()
	return nil
}

func (sc *Scenario) dropAgent(a *Agent) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	for i, x := range sc.agents {
		if x == a {
			sc.agents = append(sc.agents[:i], sc.agents[i+1:]...)
			return
		}
	}
}

func checkStalePeers(r *result, sc *Scenario) {
	st := stalePeers
	if sc == nil || st.leader == "" {
		return // inspect-only mode: generic checks only
	}
	oldAddr := st.oldIP + ":18300"
	newAddr := st.newIP + ":18300"
	for _, n := range r.nodes {
		r.check(n.PeersJSON != nil, "%s: raft/peers.json present", n.Name)
		if n.PeersJSON == nil {
			continue
		}
		pj := *n.PeersJSON
		r.check(strings.Count(pj, ":18300") == 4 && strings.Contains(pj, oldAddr) && strings.Contains(pj, newAddr),
			"%s: peers.json lists 4 addresses including the stale %s and the new %s", n.Name, oldAddr, newAddr)
		_, cfg := n.LastConfig()
		r.check(len(cfg) == 4, "%s: latest raft.db peer-change entry lists 4 addresses (%s)", n.Name, strings.Join(cfg, ","))
		for name, addr := range n.LAN.Alive {
			r.check(!strings.HasPrefix(addr, st.oldIP+":"), "%s: serf alive set has no member at %s (%s=%s)", n.Name, st.oldIP, name, addr)
		}
		r.check(n.LAN.Alive[st.replaced] == st.newIP+":18301" || n.Name == st.failed, "%s: serf has %s at the new address %s", n.Name, st.replaced, st.newIP)
		r.check(n.Log.Format == "legacy" && !strings.HasPrefix(n.Log.Lines[0], " ") && n.Log.Banner == 0, "%s: legacy format, no banner, no indentation", n.Name)
		r.check(n.NodeID == "", "%s: no node-id (Consul 0.6)", n.Name)
	}
	if l := r.node(st.leader); l != nil {
		r.check(l.Log.Count("raft: Failed to contact quorum of nodes, stepping down") >= 1, "%s logs 'Failed to contact quorum of nodes, stepping down'", st.leader)
		failedAddr := ""
		if fn := r.node(st.failed); fn != nil {
			for _, line := range fn.LAN.Lines {
				if strings.HasPrefix(line, "alive: "+st.failed+" ") {
					failedAddr = strings.Split(strings.TrimPrefix(line, "alive: "+st.failed+" "), ":")[0] + ":18300"
				}
			}
		}
		r.check(failedAddr != "" && l.Log.Count("raft: Failed to contact "+failedAddr) >= 1, "%s logs 'Failed to contact %s' for %s (the stale %s is only logged at DEBUG: it has been unreachable for longer than 3x the lease)", st.leader, failedAddr, st.failed, oldAddr)
		r.check(l.Log.Count("No cluster leader") >= 1, "%s logs 'No cluster leader'", st.leader)
		r.check(l.Log.Count("consul: member '"+st.replaced+"' failed, marking health critical") == 1, "%s logs that %s failed", st.leader, st.replaced)
		adds := 0
		for _, c := range l.DB.Configs {
			if len(c.Addrs) == 4 {
				adds++
			}
		}
		r.check(adds >= 1, "%s's raft.db has a type-3 entry with 4 peers", st.leader)
	}
	if rn := r.node(st.replaced); rn != nil {
		r.check(rn.Log.Count("Existing Raft peers reported by") >= 1, "replacement %s logs 'Existing Raft peers reported by ..., disabling bootstrap mode'", st.replaced)
		cand := rn.Log.Count("[Candidate] entering Candidate state")
		if l := r.node(st.leader); l != nil {
			cand += l.Log.Count("[Candidate] entering Candidate state") - 1 // minus its first election
		}
		r.check(cand >= 1, "after the quorum loss the survivors campaign in vain (%d 'entering Candidate state' lines)", cand)
	}
	r.fact("%s was leader; %s (old IP %s) died and was rebuilt with IP %s under the same name; %s died last", st.leader, st.replaced, st.oldIP, st.newIP, st.failed)
	r.fact("raft peers on every node (peers.json and the last type-3 entry of raft.db): 4 addresses, including the stale %s that no serf member has", oldAddr)
	r.fact("serf: %s is known only at %s; the old address appears in serf snapshots only before 'not-alive: %s' on the original nodes", st.replaced, st.newIP+":18301", st.replaced)
	r.fact("quorum of 4 is 3; alive voters at collection: %s and %s (2) -> no leader: 'Failed to contact quorum of nodes, stepping down', repeated candidate terms, 'No cluster leader'", st.leader, st.replaced)
	for _, n := range r.nodes {
		if n.DB != nil {
			r.fact("%s: raft.db CurrentTerm=%d, last index %d", n.Name, n.DB.CurrentTerm, n.DB.Last)
		}
	}
}
