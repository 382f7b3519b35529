package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/serf/serf"
)

// Three servers, two killed one after the other without leaving: the
// survivor alone is 1 of 3 voters. raft 1.1.2 steps a leader down when it
// cannot reach a quorum within the leader lease ("failed to contact quorum
// of nodes, stepping down"), and a follower without a leader campaigns
// forever ("heartbeat timeout reached, starting election", "entering
// candidate state", "Election timeout reached, restarting election",
// "failed to make requestVote RPC"): real library lines.

func init() {
	sites["consul-two-dead"] = Site{DC: "eu-central-1", RaftPort: 9300, LANPort: 9301, WANPort: 9302,
		Version: "1.8.4", DataDir: "/opt/consul", ConfigPath: "/etc/consul.d/server.hcl",
		LogPath: "/var/log/consul.log", Layout: layoutFlat,
		Collect: []Collect{
			{Cmd: cmdMembers, Path: "/cmds/members.txt"},
			{Cmd: cmdListPeers, Path: "/cmds/raft-peers.txt"},
			{Cmd: cmdInfo, Path: "/cmds/info.txt"},
		}}
	scenarioDocs["consul-two-dead"] = scenarioDoc{
		Title: "three servers, two followers killed one after the other: the leader steps down, no quorum (Consul 1.8, hclog)",
		Story: `Servers alpha, bravo, charlie (127.0.3.61-63, ports 9300/9301/9302,
bootstrap_expect 3) in datacenter eu-central-1, data_dir /opt/consul. After
the cluster is healthy one follower's host dies (process killed, no leave);
the leader goes on with 2 of 3 voters and marks it critical. Some fifteen
seconds later the other follower dies the same way. The leader can no longer
reach a majority: it steps down and campaigns in vain, term after term. The
bundle is collected while it is still campaigning; consul members on it
shows both others failed, operator raft list-peers fails for lack of a
leader, and the two dead hosts answer nothing.`,
		Expected: `Quorum lost (error). Cause: two of the three voters are down (killed, no
leave); each is named with the time it went down (its log just ends; peers
report it failed). The consequence: no leader from the survivor's step-down
until the end of the logs, the survivor campaigning in rising terms, "No
cluster leader" errors. Not regained. The survivor is the only live voter
and holds the most log. Recovery needs the dead servers back (or a
peers.json recovery on the survivor); nothing about the survivor itself is
wrong.`,
		Differs: `Class "two of three servers dead" (with consul-two-dead-legacy). Here: Consul
1.8 hclog text in /var/log/consul.log, non-default ports 9300-9302, the
LEADER survives (two followers die), data_dir /opt/consul, HCL config, node
directories at the top of the bundle, consul members / operator raft
list-peers / consul info collected.`,
	}
	scenarioChecks["consul-two-dead"] = checkTwoDead
}

type twoDeadState struct {
	survivor      string
	dead          []string
	killed        []string // log-format times
	leader        string   // leader when the first one died
	term          uint64
	servers       []string
	survivorLost  string // time the survivor stopped leading / lost its leader
	survivorFinal uint64
}

var twoDead twoDeadState

func runTwoDead(sc *Scenario) error {
	ips := []string{"127.0.3.61", "127.0.3.62", "127.0.3.63"}
	var cfgs []AgentConfig
	for i, n := range []string{"alpha", "bravo", "charlie"} {
		cfgs = append(cfgs, AgentConfig{Name: n, IP: ips[i], Server: true, Expect: 3, Era: "1.8",
			RetryJoin: ips, RetryInterval: 10 * time.Second, SkipLeaveOnInterrupt: true, ConfigHCL: true})
	}
	_, servers, leader, err := sc.startHealthy(cfgs, "start alpha, bravo, charlie together")
	if err != nil {
		return err
	}
	time.Sleep(5 * time.Second)
	fs := followers(servers)
	next := func(*Agent) *Agent { return fs[1] }
	return killTwo(sc, servers, leader, fs[0], next, 15*time.Second, "%s's host dies (killed, no leave)")
}

// killTwo kills first (no leave) and waits until a leader among the others
// marks it critical; after gap it kills the server next picks given that
// leader, and waits until the last server has no leader and sees both
// others failed in serf. how describes a death ("%s" is the server).
func killTwo(sc *Scenario, servers []*Agent, leader, first *Agent, next func(*Agent) *Agent, gap time.Duration, how string) error {
	term := leader.term()
	nl, err := sc.failover(servers, first, fmt.Sprintf(how, first.cfg.Name))
	if err != nil {
		return err
	}
	time.Sleep(gap)
	if clusterLeader(without(servers, first)) != nl {
		return fmt.Errorf("leadership moved again: %s (retry)", leaderSummary(sc))
	}
	second := next(nl)
	sc.Note(how+": 1 of 3 voters left", second.cfg.Name)
	second.Kill()
	surv := without(servers, first, second)[0]
	if !sc.WaitFor(30*time.Second, func() bool { l, _ := surv.raftLeader(); return l == "" && clusterLeader([]*Agent{surv}) == nil }) {
		return fmt.Errorf("survivor still has a leader")
	}
	lostAt := time.Now()
	sc.Note("%s has no leader any more", surv.cfg.Name)
	if !sc.WaitFor(60*time.Second, func() bool { return serfFailedCount(surv) == 2 }) {
		return fmt.Errorf("survivor's serf never saw both failed")
	}
	sc.Note("%s's serf sees %s and %s failed", surv.cfg.Name, first.cfg.Name, second.cfg.Name)
	time.Sleep(20 * time.Second)
	if clusterLeader([]*Agent{surv}) != nil {
		return fmt.Errorf("a leader without quorum?")
	}
	twoDead = twoDeadState{survivor: surv.cfg.Name, dead: []string{first.cfg.Name, second.cfg.Name},
		killed: []string{first.logStamp(first.lastEvent("kill")), second.logStamp(second.lastEvent("kill"))},
		leader: leader.cfg.Name, term: term, servers: names(servers),
		survivorLost: surv.logStamp(lostAt), survivorFinal: surv.term()}
	sc.Capture()
	return nil
}

func checkTwoDead(r *result, sc *Scenario) {
	st := twoDead
	if sc == nil || st.survivor == "" {
		return
	}
	s := r.node(st.survivor)
	if s == nil || s.DB == nil {
		r.check(false, "survivor %s has raft.db", st.survivor)
		return
	}
	legacy := sc.agents[0].legacy
	for i, d := range st.dead {
		n := r.node(d)
		if n == nil {
			continue
		}
		r.check(n.Log.Count("shutting down server") == 0 && n.Log.Count("Caught") == 0, "%s's log ends without a shutdown", d)
		failedAt := s.Log.First("EventMemberFailed: " + d)
		r.check(failedAt != "", "%s logs serf's EventMemberFailed for %s", st.survivor, d)
		r.expect("%s went down at %s (killed, no leave; its log ends at %s); %s saw it fail at %s", d, st.killed[i], n.Log.LastTime, st.survivor, failedAt)
		r.check(strings.Contains(n.Commands[cmdMembers], "connection refused"), "%s: consul members got connection refused", d)
	}
	members := s.Commands[cmdMembers]
	for _, d := range st.dead {
		ok := false
		for _, line := range strings.Split(members, "\n") {
			if strings.HasPrefix(line, d+" ") && strings.Contains(line, " failed ") {
				ok = true
			}
		}
		r.check(ok, "%s: consul members shows %s failed", st.survivor, d)
	}
	c := lastConfigAddrs(s)
	r.check(len(c) == 3, "%s: raft configuration still lists 3 voters (%s)", st.survivor, strings.Join(c, ","))
	stepdown := ""
	if legacy {
		stepdown = s.Log.First("raft: Failed to contact quorum of nodes, stepping down")
	} else {
		stepdown = s.Log.First("failed to contact quorum of nodes, stepping down")
	}
	cand := s.Log.Count("entering candidate state") + s.Log.Count("entering Candidate state")
	r.check(cand >= 2, "%s campaigns after losing its leader (%d candidate lines)", st.survivor, cand)
	r.check(s.DB.CurrentTerm > st.term, "%s: CurrentTerm %d above the term %d it had when healthy", st.survivor, s.DB.CurrentTerm, st.term)
	r.check(s.Log.Count("No cluster leader") >= 2, "%s logs 'No cluster leader'", st.survivor)
	if _, ok := s.Commands[cmdListPeers]; ok {
		r.check(strings.Contains(s.Commands[cmdListPeers], "No cluster leader"), "%s: list-peers fails with 'No cluster leader'", st.survivor)
	}
	if info, ok := s.Commands[cmdInfo]; ok {
		r.check(strings.Contains(info, "leader = false") && (strings.Contains(info, "state = Candidate") || strings.Contains(info, "state = Follower")),
			"%s: consul info shows no leadership (state Candidate or Follower)", st.survivor)
	}
	most, mt, mi := r.survivorWithMostLog(st.survivor)
	r.fact("%s led term %d while healthy; %s then %s died; %s is the only live voter, CurrentTerm %d after its failed elections", st.leader, st.term, st.dead[0], st.dead[1], st.survivor, s.DB.CurrentTerm)
	if stepdown != "" {
		r.fact("%s: 'failed to contact quorum of nodes, stepping down' at %s", st.survivor, stepdown)
		r.expect("quorum lost when %s died: the leader %s stepped down at %s (failed to contact quorum); 1 of 3 voters alive, 2 needed", st.dead[1], st.survivor, stepdown)
	} else {
		lost := st.survivorLost
		for i, line := range s.Log.Lines {
			t := s.Log.Times[i]
			if t != "" && t >= st.killed[1] && strings.Contains(strings.ToLower(line), "heartbeat timeout reached, starting election") {
				lost = t
				break
			}
		}
		r.expect("quorum lost when %s died: %s, the only voter left, lost its leader (heartbeat timeout, first election at %s) and never elected one; 1 of 3 voters alive, 2 needed", st.dead[1], st.survivor, lost)
	}
	r.expect("no leader from then to the end of the logs (%s); %s campaigns in rising terms (CurrentTerm %d)", s.Log.LastTime, st.survivor, s.DB.CurrentTerm)
	r.expect("survivor with the most log: %s (last entry term %d, index %d) - the only live voter", most, mt, mi)
	for _, l := range leadershipLines(sc, sc.agents[0]) {
		r.expect("%s", l)
	}
}

func serfFailedCount(a *Agent) int {
	s, _, up := a.live()
	if !up {
		return 0
	}
	n := 0
	for _, m := range s.Members() {
		if m.Status == serf.StatusFailed {
			n++
		}
	}
	return n
}
