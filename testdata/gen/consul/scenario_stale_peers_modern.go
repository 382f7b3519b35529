package main

import (
	"fmt"
	"os"
	"strings"
	"time"
)

// The stale-peer story in Consul 1.x: a server rebuilt with the same name
// but a new address and an empty data dir (so a new node-id) is added by
// the leader as a new voter (hashicorp/consul 1.8 agent/consul/leader.go
// joinConsulServer removes an existing entry only when the address or
// the ID matches, here neither does); its previous raft entry stays.
// Autopilot would prune a raft server no serf member has (autopilot
// pruneDeadServers, "Attempting removal of stale raft server"), but this
// site runs with autopilot { cleanup_dead_servers = false }. memberlist
// hands a dead member's name to a new address only after
// DeadNodeReclaimTime (Consul sets 30 s for the LAN pool).

func init() {
	sites["consul-stale-peers-modern"] = withDefaultPorts(Site{DC: "ap-south-1", Version: "1.8.4",
		DataDir: "/srv/consul/data", ConfigPath: "/srv/consul/etc/consul.json",
		LogPath: "/srv/consul/log/consul.log", Layout: layoutWrapped, Wrapper: "bundle",
		Collect: []Collect{
			{Cmd: cmdListPeersStale, Path: "/out/list-peers.txt", ServersOnly: true},
			{Cmd: cmdMembers, Path: "/out/members.txt"},
		}})
	scenarioDocs["consul-stale-peers-modern"] = scenarioDoc{
		Title: "a server rebuilt at a new address leaves its old raft entry behind; one more failure loses quorum (Consul 1.8, hclog JSON)",
		Story: `Servers kv1, kv2, kv3 (127.0.3.91-93, bootstrap_expect 3, log_json,
autopilot cleanup_dead_servers = false) in datacenter ap-south-1. One
follower's host dies (killed, no leave) and is rebuilt: same node name, new
address 127.0.3.94, empty data dir, hence a new node-id. Once memberlist
lets the name move to the new address, serf reports that server alive at
127.0.3.94 and the leader adds it as a new voter; its old entry (old node-id
at its old address) stays in the raft configuration although no serf member
has that address: four voters, three needed. Then the other follower's host
dies too: two of four voters alive, the leader steps down and nobody can be
elected. The bundle holds the three hosts that exist at collection time (the
rebuilt server's old disk is gone). Which server plays which part depends on
who won the first election: see the lines below.`,
		Synthetic: []string{
			"The old and the new kv2 run in the same generator process; the rebuild is modelled by deleting the old node directory and starting a new agent with an empty one under the same name.",
		},
		Expected: `Quorum lost (error). Cause: a stale raft peer, the rebuilt server's previous
incarnation (its old node-id at its old address), is still a voter although
no serf member has that address (list-peers -stale names it "(unknown)"):
the configuration counts four voters, so three are needed. Consequence: when
the other follower died, two of four voters were alive; the leader stepped
down and no election can succeed; "No cluster leader". Down: the follower
killed last (since its death) and the stale entry (since the rebuilt
server's old host died). Repair: remove the stale peer (operator raft
remove-peer cannot work without a leader, so peers.json recovery with the
live servers) and bring the dead follower back.`,
		Differs: `Class "stale raft peer" (with consul-stale-peers). Here: Consul 1.8 instead of
0.6, raft protocol 3 (server IDs are node-ids: the rebuilt server has a new ID
as well as a new address), hclog JSON in /srv/consul/log/consul.log, autopilot
configured not to clean up, wrapped in bundle/, operator raft list-peers
-stale and consul members collected.`,
	}
	scenarioChecks["consul-stale-peers-modern"] = checkStalePeersModern
}

type staleModernState struct {
	leader, replaced, failed string
	oldAddr, newAddr, oldID  string
	killedOld, killedFailed  string
	stepdown                 string
}

var staleModern staleModernState

func stalePeerModernCfg(name, ip string, join []string) AgentConfig {
	return AgentConfig{Name: name, IP: ip, Server: true, Expect: 3, Era: "1.8", RetryJoin: join,
		RetryInterval: 5 * time.Second, SkipLeaveOnInterrupt: true, LogJSON: true,
		AutopilotCleanup: boolPtr(false)}
}

func runStalePeersModern(sc *Scenario) error {
	ips := []string{"127.0.3.91", "127.0.3.92", "127.0.3.93"}
	_, servers, leader, err := sc.startHealthy([]AgentConfig{
		stalePeerModernCfg("kv1", ips[0], ips), stalePeerModernCfg("kv2", ips[1], ips), stalePeerModernCfg("kv3", ips[2], ips)},
		"start kv1, kv2, kv3 together")
	if err != nil {
		return err
	}
	time.Sleep(4 * time.Second)
	fs := followers(servers)
	old, failed := fs[0], fs[1]
	name := old.cfg.Name
	oldAddr, oldID := old.raftAddr(), old.nodeID
	sc.Note("%s's host dies (killed, no leave)", name)
	old.Kill()
	killedOld := old.logStamp(old.lastEvent("kill"))
	live := []*Agent{leader, failed}
	if !sc.WaitFor(30*time.Second, func() bool { return catalogAll(live, healthCritical, name) }) {
		return fmt.Errorf("%s never marked critical", name)
	}
	sc.Note("%s marks %s critical; the host is rebuilt (memberlist lets the name move after 30 s)", leader.cfg.Name, name)
	time.Sleep(36 * time.Second)
	if err := os.RemoveAll(old.nodeDir); err != nil {
		return err
	}
	sc.dropAgent(old)
	var join []string
	for _, a := range []*Agent{leader, failed} {
		join = append(join, a.cfg.IP)
	}
	join = append(join, "127.0.3.94")
	repl, err := sc.newAgentIn(name, stalePeerModernCfg(name, "127.0.3.94", join))
	if err != nil {
		return err
	}
	sc.Note("the rebuilt %s starts at 127.0.3.94 with an empty data dir", name)
	if err := repl.Start(); err != nil {
		return err
	}
	ok := sc.WaitFor(60*time.Second, func() bool {
		l := clusterLeader([]*Agent{leader, failed, repl})
		if l != leader {
			return false
		}
		c, found := l.fsm.Lookup(name)
		return found && c.Status == healthPassing && c.Address == "127.0.3.94" &&
			l.inConfig(repl.raftAddr()) && l.inConfig(oldAddr) && repl.caughtUp(l)
	})
	if !ok {
		return fmt.Errorf("the rebuilt kv2 never joined raft next to the stale entry")
	}
	sc.Note("%s added the new %s (127.0.3.94:8300) as a voter; the old entry %s stays: 4 voters", leader.cfg.Name, name, oldAddr)
	time.Sleep(6 * time.Second)
	sc.Note("%s's host dies (killed, no leave): 2 of 4 voters alive", failed.cfg.Name)
	failed.Kill()
	killedFailed := failed.logStamp(failed.lastEvent("kill"))
	if !sc.WaitFor(20*time.Second, func() bool { return clusterLeader([]*Agent{leader, repl}) == nil }) {
		return fmt.Errorf("%s did not step down", leader.cfg.Name)
	}
	sc.Note("%s stepped down; no quorum", leader.cfg.Name)
	if !sc.WaitFor(60*time.Second, func() bool { return serfFailedCount(leader) == 1 }) {
		return fmt.Errorf("%s's serf never saw %s failed", leader.cfg.Name, failed.cfg.Name)
	}
	time.Sleep(15 * time.Second)
	if clusterLeader([]*Agent{leader, repl}) != nil {
		return fmt.Errorf("a leader was elected without quorum?")
	}
	staleModern = staleModernState{leader: leader.cfg.Name, replaced: name, failed: failed.cfg.Name, oldAddr: oldAddr,
		newAddr: repl.raftAddr(), oldID: oldID, killedOld: killedOld, killedFailed: killedFailed}
	sc.Capture()
	return nil
}

func checkStalePeersModern(r *result, sc *Scenario) {
	st := staleModern
	if sc == nil || st.leader == "" {
		return
	}
	l, rp, f := r.node(st.leader), r.node(st.replaced), r.node(st.failed)
	if l == nil || rp == nil || f == nil || l.DB == nil || rp.DB == nil {
		r.check(false, "leader, replaced and failed servers with raft.db")
		return
	}
	for _, n := range []*nodeResult{l, rp} {
		c := lastConfigAddrs(n)
		has := func(a string) bool {
			for _, x := range c {
				if x == a {
					return true
				}
			}
			return false
		}
		r.check(len(c) == 4 && has(st.oldAddr) && has(st.newAddr), "%s: latest raft configuration has 4 voters including the stale %s and the new %s (%s)", n.Name, st.oldAddr, st.newAddr, strings.Join(c, ","))
		r.check(n.LAN.Alive[st.replaced] == "127.0.3.94:8301", "%s: serf snapshot has %s at 127.0.3.94", n.Name, st.replaced)
		r.check(n.Log.Format == "json", "%s: hclog JSON log", n.Name)
	}
	peers := l.Commands[cmdListPeersStale]
	unknown := false
	for _, line := range strings.Split(peers, "\n") {
		if strings.HasPrefix(line, "(unknown)") && strings.Contains(line, st.oldID) && strings.Contains(line, st.oldAddr) {
			unknown = true
		}
	}
	r.check(unknown, "%s: list-peers -stale shows the stale entry as (unknown) %s %s", st.leader, st.oldID, st.oldAddr)
	r.check(!strings.Contains(peers, "leader "), "%s: list-peers -stale shows no leader", st.leader)
	failedLine := false
	for _, line := range strings.Split(l.Commands[cmdMembers], "\n") {
		failedLine = failedLine || (strings.HasPrefix(line, st.failed+" ") && strings.Contains(line, " failed "))
	}
	r.check(failedLine, "%s: consul members shows %s failed", st.leader, st.failed)
	stepdown := l.Log.First("failed to contact quorum of nodes, stepping down")
	r.check(stepdown != "", "%s logs 'failed to contact quorum of nodes, stepping down'", st.leader)
	r.check(l.Log.Count("No cluster leader") >= 1, "%s logs 'No cluster leader'", st.leader)
	r.check(rp.Log.Count("Existing Raft peers reported by server, disabling bootstrap mode") >= 1, "the rebuilt %s skipped bootstrap (existing raft peers)", st.replaced)
	r.check(rp.NodeID != st.oldID, "the rebuilt %s has a new node-id", st.replaced)
	r.check(f.Log.Count("shutting down server") == 0, "%s's log ends without a shutdown", st.failed)
	most, mt, mi := r.survivorWithMostLog(st.leader, st.replaced)
	r.fact("stale raft entry: %s@%s (%s before the rebuild); %s now %s@%s", st.oldID, st.oldAddr, st.replaced, st.replaced, rp.NodeID, st.newAddr)
	r.fact("raft configuration on %s and %s: 4 voters, majority 3; alive at collection: %s, %s (rebuilt)", st.leader, st.replaced, st.leader, st.replaced)
	r.expect("%s's old host (%s) went down at %s (killed); the rebuilt %s (new node-id %s) joined at 127.0.3.94 and was added as a fourth voter next to the stale %s@%s", st.replaced, st.oldAddr, st.killedOld, st.replaced, rp.NodeID, st.oldID, st.oldAddr)
	r.expect("%s went down at %s (killed, no leave); %s stepped down at %s (failed to contact quorum of nodes): 2 of 4 voters alive, 3 needed", st.failed, st.killedFailed, st.leader, stepdown)
	r.expect("no leader from then to the end of the logs (%s); not regained", l.Log.LastTime)
	r.expect("survivor with the most log: %s (last entry term %d, index %d)", most, mt, mi)
	for _, line := range leadershipLines(sc, sc.agents[0]) {
		r.expect("%s", line)
	}
}
