package main

import (
	"fmt"
	"net"
	"strings"
	"time"
)

// retry_join by host name: Consul hands the configured strings to serf's
// Join (hashicorp/consul agent/retry_join.go: entries without
// "provider=" are joined as they are), and memberlist resolves each one
// (hashicorp/memberlist memberlist.go resolveAddr: a TCP DNS query to the
// first resolv.conf server for dotted names, then the Go resolver, which
// reads /etc/hosts). Here the Go resolver really reads the bundled hosts
// file: run.sh bind-mounts it over /etc/hosts for this run only.

func init() {
	sites["consul-hostnames"] = withDefaultPorts(Site{DC: "prod-eu", Version: "1.8.4",
		DataDir: "/var/lib/consul", ConfigPath: "/etc/consul.d/consul.hcl",
		LogPath: "/var/log/consul-journal.log", LogWrap: wrapJournald, Layout: layoutWrapped,
		Wrapper: "consul-diag-prod-eu", Hosts: true,
		Collect: []Collect{
			{Cmd: cmdMembers, Path: "/diag/members.txt"},
			{Cmd: cmdListPeers, Path: "/diag/raft-peers.txt"},
			{Cmd: cmdInfo, Path: "/diag/info.txt"},
		}})
	hostEntries["consul-hostnames"] = [][2]string{
		{"127.0.3.51", "consul-a.example.internal"}, {"127.0.3.52", "consul-b.example.internal"},
		{"127.0.3.53", "consul-c.example.internal"}, {"127.0.3.54", "worker-1.example.internal"}}
	scenarioDocs["consul-hostnames"] = scenarioDoc{
		Title: "healthy cluster whose retry_join names servers by host name, resolved through /etc/hosts (Consul 1.8, journald)",
		Story: `Servers consul-a, consul-b, consul-c (127.0.3.51-53, bootstrap_expect 3) and
client worker-1 (127.0.3.54) in datacenter prod-eu. Every agent's configuration
names the servers only by host name: retry_join = ["consul-a.example.internal",
"consul-b.example.internal", "consul-c.example.internal"]. The names resolve
through /etc/hosts (the same file on every host, in the bundle). All four
agents start together; the ones that start before the others retry; the
servers bootstrap, elect a leader and register everyone. The bundle is taken
while everything is healthy.`,
		Expected: `Healthy: no finding. The retry_join host names resolve (through each node's
etc/hosts, and the logs' own "EventMemberJoin: <name> <ip>" lines agree) to
the addresses the agents advertise and the raft configuration holds: no
stale or unknown address. A name that cannot be resolved from the bundle
would be "unknown", never "stale".`,
		Differs: `Class "servers named by host name" (healthy). Consul 1.8 hclog text under
journald (systemd 245 wording), HCL config in /etc/consul.d, data in
/var/lib/consul, wrapped in consul-diag-prod-eu/, etc/hosts and etc/hostname
in every node directory, consul members, operator raft list-peers and
consul info collected.`,
	}
	scenarioChecks["consul-hostnames"] = checkHostnames
}

var hostnamesLeader string

func runHostnames(sc *Scenario) error {
	// The lookups must go through the bundled hosts file.
	for _, e := range hostEntries[sc.Name] {
		addrs, err := net.LookupHost(e[1])
		if err != nil || len(addrs) != 1 || addrs[0] != e[0] {
			return fmt.Errorf("%s resolves to %v (%v), want %s: run through run.sh, which puts the scenario's hosts file over /etc/hosts", e[1], addrs, err, e[0])
		}
	}
	join := []string{"consul-a.example.internal", "consul-b.example.internal", "consul-c.example.internal"}
	var cfgs []AgentConfig
	for i, n := range []string{"consul-a", "consul-b", "consul-c"} {
		cfgs = append(cfgs, AgentConfig{Name: n, IP: fmt.Sprintf("127.0.3.%d", 51+i), Server: true, Expect: 3,
			Era: "1.8", RetryJoinAddrs: join, RetryInterval: 5 * time.Second, SkipLeaveOnInterrupt: true})
	}
	cfgs = append(cfgs, AgentConfig{Name: "worker-1", IP: "127.0.3.54", Era: "1.8", RetryJoinAddrs: join,
		RetryInterval: 5 * time.Second, LeaveOnTerminate: true})
	_, _, l, err := sc.startHealthy(cfgs, "start consul-a, consul-b, consul-c and worker-1 together (retry_join by host name)")
	if err != nil {
		return err
	}
	time.Sleep(10 * time.Second)
	if len(sc.sortedLeaders()) != 1 {
		return fmt.Errorf("more than one leadership: %s", leaderSummary(sc))
	}
	hostnamesLeader = l.cfg.Name
	sc.Capture()
	return nil
}

func checkHostnames(r *result, sc *Scenario) {
	if sc == nil || hostnamesLeader == "" {
		return
	}
	want := map[string]string{}
	for _, e := range hostEntries[sc.Name] {
		want[strings.SplitN(e[1], ".", 2)[0]] = e[0]
	}
	var ref []string
	for _, n := range r.nodes {
		r.check(n.Log.Count("(LAN) joining: lan_addresses=[consul-a.example.internal, consul-b.example.internal, consul-c.example.internal]") >= 1,
			"%s logs its retry_join host names", n.Name)
		for name, ip := range want {
			r.check(n.LAN.Alive[name] == ip+":8301", "%s: serf snapshot has %s at %s:8301", n.Name, name, ip)
		}
		r.check(len(n.Log.System) >= 1 && n.Log.SystemCount("Started Consul Agent.") == 1, "%s: journal has systemd's start line", n.Name)
		if n.DB != nil {
			c := lastConfigAddrs(n)
			if ref == nil {
				ref = c
			}
			r.check(len(c) == 3 && sameSet(c, ref), "%s: raft configuration %s", n.Name, strings.Join(c, ","))
			r.check(len(unexpectedWarnings(n.Log)) == 0, "%s: no WARN/ERROR lines but the bootstrap-time raft ones", n.Name)
		}
		for _, line := range strings.Split(strings.TrimSpace(n.Commands[cmdMembers]), "\n")[1:] {
			r.check(strings.Contains(line, " alive "), "%s: consul members: %q alive", n.Name, line)
		}
	}
	r.check(r.hasCommand(hostnamesLeader, cmdListPeers, "leader"), "%s: list-peers names it leader", hostnamesLeader)
	r.fact("retry_join in every configuration: consul-a.example.internal, consul-b.example.internal, consul-c.example.internal; etc/hosts maps them to 127.0.3.51-53")
	r.fact("raft configuration on every server: %s; leader %s, one term", strings.Join(ref, ", "), hostnamesLeader)
	r.expect("one leader (%s) for the whole run; 3 of 3 voters alive; every member alive at collection", hostnamesLeader)
	r.expect("host names resolve: consul-a.example.internal=127.0.3.51, consul-b.example.internal=127.0.3.52, consul-c.example.internal=127.0.3.53 (etc/hosts of every node; the same addresses are in serf, raft and the banners)")
}
