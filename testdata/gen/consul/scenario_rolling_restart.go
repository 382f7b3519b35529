package main

import (
	"fmt"
	"strings"
	"time"
)

// A rolling restart: one server at a time is interrupted and started
// again. With skip_leave_on_interrupt = true an interrupt is not a
// departure (hashicorp/consul command/agent/agent.go handleSignals:
// graceful only for SIGINT with skip_leave_on_interrupt false or SIGTERM
// with leave_on_terminate true; otherwise "Graceful shutdown disabled.
// Exiting", exit code 1; Consul <= 0.6: "==> Caught signal: interrupt" and
// return 1). serf keeps the member (it may be marked failed for a moment and
// joins again), raft keeps the voter.

func init() {
	sites["consul-rolling-restart"] = withDefaultPorts(Site{DC: "dc-west", Version: "1.8.4",
		DataDir: "/consul/data", ConfigPath: "/consul/config/server.json",
		LogPath: "/docker-logs.txt", LogWrap: wrapCompose, Layout: layoutFlat,
		Collect: []Collect{
			{Cmd: cmdMembers, Path: "/consul-members.txt"},
			{Cmd: cmdListPeers, Path: "/consul-operator-raft-list-peers.txt"},
		}})
	hostEntries["consul-rolling-restart"] = [][2]string{
		{"127.0.3.31", "consul-1"}, {"127.0.3.32", "consul-2"}, {"127.0.3.33", "consul-3"}}
	scenarioDocs["consul-rolling-restart"] = scenarioDoc{
		Title: "rolling restart of three servers in docker compose, leadership moves (Consul 1.8, hclog JSON)",
		Story: `Three servers consul-1, consul-2, consul-3 (compose services, 127.0.3.31-33,
default ports, bootstrap_expect 3, retry_join by service name, bind_addr a
go-sockaddr template, log_json) in datacenter dc-west. After the cluster is
healthy the operator restarts the containers one at a time (compose
stop_signal SIGINT; skip_leave_on_interrupt = true, so no leave), a follower
first, then the leader, then the last follower, each time waiting until the
restarted server is back in the catalog and caught up with the leader's log.
Stopping the leader moves leadership to another server.`,
		Synthetic: []string{
			"retry_join names consul-1..consul-3 resolve through a hosts file the generator's process saw as /etc/hosts (docker's embedded DNS in a real compose project); the bundle holds no hosts file.",
			"The compose stop_signal (SIGINT) and the few seconds a container takes to restart are the generator's: it stops an agent's serf and raft without a leave and starts them again from the same data dir.",
		},
		Expected: `Healthy: no finding (no error, no warning). Each server was down for a few
seconds, one at a time; raft kept 2 of 3 voters alive throughout, so quorum
was never lost. Leadership moved when the leader was restarted (a new term,
a few seconds without a leader): healthy churn, not a failure. Nothing to
repair.`,
		Differs: `Class "rolling restart" (with consul-rolling-restart-legacy). Here: Consul 1.8,
hclog JSON framed by docker compose ("consul-1  | {...}"), three servers
only, node directories at the top of the bundle, data /consul/data and
config /consul/config/server.json (the official image's paths), consul
members and operator raft list-peers collected.`,
	}
	scenarioChecks["consul-rolling-restart"] = checkRollingRestart

	sites["consul-rolling-restart-legacy"] = withDefaultPorts(Site{DC: "lon", Version: "0.6.4",
		DataDir: "/var/lib/consul", ConfigPath: "/etc/consul.d/server.json",
		LogPath: "/logs/consul.journal", LogWrap: wrapJournald16, Layout: layoutSupport,
		Collect: []Collect{
			{Cmd: cmdInfo, Path: "/diag/consul-info.txt"},
			{Cmd: cmdMembers, Path: "/diag/consul-members.txt"},
		}})
	scenarioDocs["consul-rolling-restart-legacy"] = scenarioDoc{
		Title: "rolling `systemctl restart consul` of three servers and a client watching (Consul 0.6, journald)",
		Story: `Servers lon-consul-01..03 (127.0.3.41-43, default ports, bootstrap_expect 3,
skip_leave_on_interrupt = true set explicitly: Consul 0.6's default for
servers was false) and client lon-web-01 (127.0.3.44) in datacenter lon, raft
protocol 1 (peers by address, raft v0.x peers.json). The operator runs
systemctl restart consul on one server at a time (KillSignal=SIGINT): the
agent exits with status 1 without leaving, systemd logs the failure of the
stop and starts it again. The leader is restarted second, so leadership
moves. Each server is back and caught up before the next one goes.`,
		Expected: `Healthy: no finding (no error, no warning). One server down at a time for a
few seconds; 2 of 3 voters alive throughout; leadership moved once when the
leader was restarted. systemd's "Main process exited, code=exited,
status=1/FAILURE" / "Failed with result 'exit-code'" lines are how Consul
0.6 exits on SIGINT without a leave: expected, not a crash.`,
		Differs: `Class "rolling restart" (with consul-rolling-restart). Here: Consul 0.6 Go
log under journald (systemd 229 wording), three servers and a client, the
leader restarted second instead of last, one support tarball per node named
<host>-consul-support-<stamp>.tar.gz, consul info and consul members
collected.`,
	}
	scenarioChecks["consul-rolling-restart-legacy"] = checkRollingRestart
}

type rollingState struct {
	servers  []string
	expected []string
}

var rolling rollingState

func runRollingRestart(sc *Scenario) error {
	var cfgs []AgentConfig
	var ips, joins []string
	for i := 1; i <= 3; i++ {
		ips = append(ips, fmt.Sprintf("127.0.3.%d", 30+i))
		joins = append(joins, fmt.Sprintf("consul-%d", i))
	}
	for i, ip := range ips {
		cfgs = append(cfgs, AgentConfig{Name: joins[i], IP: ip, Server: true, Expect: 3, Era: "1.8",
			RetryJoinAddrs: joins, RetryInterval: 5 * time.Second, SkipLeaveOnInterrupt: true, LogJSON: true,
			BindAddrText: `{{ GetInterfaceIP "eth0" }}`})
	}
	return rollingRestart(sc, cfgs, "docker compose up: consul-1, consul-2, consul-3 start together", 4*time.Second, false)
}

func runRollingRestartLegacy(sc *Scenario) error {
	var ips []string
	for i := 1; i <= 3; i++ {
		ips = append(ips, fmt.Sprintf("127.0.3.%d", 40+i))
	}
	var cfgs []AgentConfig
	for i, ip := range ips {
		cfgs = append(cfgs, AgentConfig{Name: fmt.Sprintf("lon-consul-%02d", i+1), IP: ip, Server: true, Expect: 3,
			Era: "0.6", RetryJoin: ips, RetryInterval: 5 * time.Second, SkipLeaveOnInterrupt: true})
	}
	cfgs = append(cfgs, AgentConfig{Name: "lon-web-01", IP: "127.0.3.44", Era: "0.6", RetryJoin: ips,
		RetryInterval: 5 * time.Second})
	return rollingRestart(sc, cfgs, "start the three servers and the client", 3*time.Second, true)
}

// rollingRestart restarts the servers one at a time; leaderSecond puts the
// leader in the middle, otherwise it goes last.
func rollingRestart(sc *Scenario, cfgs []AgentConfig, start string, down time.Duration, leaderSecond bool) error {
	all, servers, l, err := sc.startHealthy(cfgs, start)
	if err != nil {
		return err
	}
	time.Sleep(5 * time.Second)
	fs := followers(servers)
	order := []*Agent{fs[0], fs[1], l}
	if leaderSecond {
		order = []*Agent{fs[0], l, fs[1]}
	}
	for _, a := range order {
		sc.Note("restart %s (SIGINT, no leave)", a.cfg.Name)
		a.InterruptNoLeave()
		time.Sleep(down)
		sc.Note("%s starts again from its data dir", a.cfg.Name)
		if err := a.Start(); err != nil {
			return err
		}
		back := func() bool {
			l := clusterLeader(servers)
			return l != nil && catalogAll(servers, healthPassing, names(all)...) && a.caughtUp(l)
		}
		if !sc.WaitFor(60*time.Second, back) {
			return fmt.Errorf("%s did not come back", a.cfg.Name)
		}
		sc.Note("%s is back and caught up (leader %s)", a.cfg.Name, clusterLeader(servers).cfg.Name)
		time.Sleep(5 * time.Second)
	}
	if len(sc.sortedLeaders()) < 2 {
		return fmt.Errorf("leadership never moved: %s", leaderSummary(sc))
	}
	time.Sleep(3 * time.Second)
	rolling = rollingState{servers: names(servers)}
	for _, line := range lifeLines(all) {
		rolling.expected = append(rolling.expected, line)
	}
	for _, line := range leadershipLines(sc, servers[0]) {
		rolling.expected = append(rolling.expected, line)
	}
	sc.Capture()
	return nil
}

func checkRollingRestart(r *result, sc *Scenario) {
	st := rolling
	if sc == nil || len(st.servers) == 0 {
		return
	}
	legacy := sc.agents[0].legacy
	var ref []string
	terms := map[uint64]bool{}
	for _, s := range st.servers {
		n := r.node(s)
		if n == nil || n.DB == nil {
			r.check(false, "%s has raft.db", s)
			continue
		}
		c := lastConfigAddrs(n)
		if ref == nil {
			ref = c
		}
		r.check(len(c) == 3 && sameSet(c, ref), "%s: latest raft configuration has the same 3 voters (%s)", s, strings.Join(c, ","))
		r.check(n.LAN.Leaves == 0, "%s: no 'leave' in its serf snapshot", s)
		r.check(n.Log.Count("==> Starting Consul agent...") == 2, "%s: two agent starts in its log", s)
		if legacy {
			r.check(n.Log.Count("==> Caught signal: interrupt") == 1 && n.Log.Count("server starting leave") == 0, "%s: one interrupt, no leave", s)
			r.check(n.Log.SystemCount("status=1/FAILURE") == 1 && n.Log.SystemCount("Started consul agent.") == 2, "%s: systemd saw exit status 1 once and started it twice", s)
			r.check(n.PeersJSON != nil && strings.Count(*n.PeersJSON, ":8300") == 3, "%s: peers.json lists 3 peers", s)
		} else {
			r.check(n.Log.Count("Graceful shutdown disabled. Exiting") == 1 && n.Log.Count("server starting leave") == 0, "%s: one interrupt without leave", s)
		}
		terms[n.DB.CurrentTerm] = true
		for _, line := range strings.Split(n.Commands[cmdMembers], "\n")[1:] {
			r.check(line == "" || strings.Contains(line, " alive "), "%s: consul members shows every member alive (%q)", s, line)
		}
	}
	r.check(len(terms) == 1, "all servers end in the same term")
	leaders := sc.sortedLeaders()
	r.check(len(leaders) >= 2, "leadership moved at least once: %s", leaderSummary(sc))
	for _, l := range leaders {
		r.fact("%s became leader in term %d", l.Node, l.Term)
	}
	r.fact("every server restarted once (two banners, one interrupt, no leave); at most one server down at any time; all three raft configurations list the same 3 voters")
	for _, e := range st.expected {
		r.expect("%s", e)
	}
	r.expect("at most one of 3 voters down at any moment: quorum (2) held throughout")
}
