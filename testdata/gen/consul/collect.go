// What a support engineer's collector ran on each node at collection time:
// `consul members`, `consul operator raft list-peers [-stale]` and
// `consul info`, written the way the real commands print them, from the
// live state of the real serf and raft instances of each agent. Output
// formats follow hashicorp/consul:
//   - command/members/members.go standardOutput: columnize.SimpleFormat of
//     "Node|Address|Status|Type|Build|Protocol|DC" (Consul <= 0.9, RPC
//     client, sorted by name) or "...|DC|Segment" (1.x HTTP client;
//     servers show segment "<all>", clients "<default>"; sorted by segment,
//     then name: ByMemberNameAndSegment);
//   - command/operator/raft list-peers (raftListPeers): columnize of
//     "Node|ID|Address|State|Voter|RaftProtocol"; the server side
//     (agent/consul/operator_raft_endpoint.go RaftGetConfiguration) names a
//     raft server "(unknown)" when no serf member has its address; errors
//     print "Error getting peers: Failed to retrieve raft configuration: ...";
//   - command/info/info.go: sorted sections "<key>:" then "\t<k> = <v>"
//     sorted, from agent.Stats() (agent, build, consul, raft, runtime,
//     serf_lan, serf_wan); Server.Stats() adds leader_addr and acl from
//     Consul 0.7/1.x on; Client.Stats() has known_servers.
//
// The columnizing is the real github.com/ryanuber/columnize. A dead agent
// answers nothing: the collected file holds the client's error (HTTP API on
// 127.0.0.1:8500 for 1.x, RPC on 127.0.0.1:8400 for Consul <= 0.6), as Go of
// the era printed it.
package main

import (
	"fmt"
	"io/ioutil"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/raft"
	"github.com/hashicorp/serf/serf"
	"github.com/ryanuber/columnize"
)

func (sc *Scenario) collect(a *Agent) {
	for _, c := range sc.Site.Collect {
		if c.ServersOnly && !a.cfg.Server {
			continue
		}
		out := a.commandOutput(c.Cmd)
		p := host(a.nodeDir, c.Path)
		if err := os.MkdirAll(filepath.Dir(p), 0755); err == nil {
			ioutil.WriteFile(p, []byte(out), 0644)
		}
	}
}

// live returns the agent's serf and raft if it is running.
func (a *Agent) live() (*serf.Serf, *raft.Raft, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.serfLAN, a.raft, a.running
}

func (a *Agent) refused(path string) string {
	if a.legacy {
		// Consul <= 0.6 commands talk RPC to 127.0.0.1:8400; Go 1.5/1.6
		// wording of a refused connection.
		return "Error connecting to Consul agent: dial tcp 127.0.0.1:8400: getsockopt: connection refused\n"
	}
	// Go >= 1.14 quotes the URL in url.Error.
	return fmt.Sprintf("Get \"http://127.0.0.1:8500%s\": dial tcp 127.0.0.1:8500: connect: connection refused", path)
}

func (a *Agent) commandOutput(cmd string) string {
	s, r, up := a.live()
	switch cmd {
	case cmdMembers:
		if !up {
			if a.legacy {
				return a.refused("")
			}
			return "Error retrieving members: " + a.refused("/v1/agent/members?segment=_all") + "\n"
		}
		return membersOutput(s.Members(), a.legacy) + "\n"
	case cmdListPeers, cmdListPeersStale:
		stale := cmd == cmdListPeersStale
		path := "/v1/operator/raft/configuration"
		if stale {
			path += "?stale="
		}
		if !up {
			return "Error getting peers: Failed to retrieve raft configuration: " + a.refused(path) + "\n"
		}
		return a.listPeersOutput(stale, r)
	case cmdInfo:
		if !up {
			if a.legacy {
				return a.refused("")
			}
			return "Error querying agent: " + a.refused("/v1/agent/self") + "\n"
		}
		return a.infoOutput(s, r)
	}
	return ""
}

func membersOutput(members []serf.Member, legacy bool) string {
	build := func(m serf.Member) string {
		b := m.Tags["build"]
		if b == "" {
			return "< 0.3"
		}
		if i := strings.Index(b, ":"); i >= 0 {
			b = b[:i]
		}
		return b
	}
	typ := func(m serf.Member) string {
		switch m.Tags["role"] {
		case "node":
			return "client"
		case "consul":
			return "server"
		}
		return "unknown"
	}
	segment := func(m serf.Member) string {
		if m.Tags["role"] == "consul" {
			return "<all>"
		}
		if m.Tags["segment"] == "" {
			return "<default>"
		}
		return m.Tags["segment"]
	}
	ms := append([]serf.Member(nil), members...)
	sort.SliceStable(ms, func(i, j int) bool {
		if !legacy && segment(ms[i]) != segment(ms[j]) {
			return segment(ms[i]) < segment(ms[j])
		}
		return ms[i].Name < ms[j].Name
	})
	header := "Node|Address|Status|Type|Build|Protocol|DC|Segment"
	if legacy {
		header = "Node|Address|Status|Type|Build|Protocol|DC"
	}
	rows := []string{header}
	for _, m := range ms {
		addr := (&net.TCPAddr{IP: m.Addr, Port: int(m.Port)}).String()
		row := []string{m.Name, addr, m.Status.String(), typ(m), build(m), m.Tags["vsn"], m.Tags["dc"]}
		if !legacy {
			row = append(row, segment(m))
		}
		rows = append(rows, strings.Join(row, "|"))
	}
	return columnize.SimpleFormat(rows)
}

// listPeersOutput: without -stale the request is answered by the leader
// (forwarded), with -stale by the local server (a client forwards to any
// server it knows).
func (a *Agent) listPeersOutput(stale bool, r *raft.Raft) string {
	noLeader := "Error getting peers: Failed to retrieve raft configuration: Unexpected response code: 500 (No cluster leader)\n"
	var srv *Agent
	if a.cfg.Server {
		srv = a
	} else {
		for _, m := range a.serfLAN.Members() {
			if p, ok := isServer(m); ok && m.Status == serf.StatusAlive {
				if s := a.sc.lookupServer(p.Addr); s != nil {
					srv = s
					break
				}
			}
		}
		if srv == nil {
			return "Error getting peers: Failed to retrieve raft configuration: Unexpected response code: 500 (No known Consul servers)\n"
		}
	}
	if !stale {
		l, _ := srv.raftLeader()
		if l == "" {
			return noLeader
		}
		if ls := a.sc.lookupServer(l); ls != nil {
			srv = ls
		}
	}
	s, sr, up := srv.live()
	if !up || sr == nil {
		return noLeader
	}
	f := sr.GetConfiguration()
	if f.Error() != nil {
		return noLeader
	}
	byAddr := map[string]serf.Member{}
	for _, m := range s.Members() {
		if p, ok := isServer(m); ok {
			byAddr[p.Addr] = m
		}
	}
	leader := string(sr.Leader())
	rows := []string{"Node|ID|Address|State|Voter|RaftProtocol"}
	for _, sv := range f.Configuration().Servers {
		node, proto := "(unknown)", "unknown"
		if m, ok := byAddr[string(sv.Address)]; ok {
			node, proto = m.Name, m.Tags["raft_vsn"]
		}
		if proto == "" {
			proto = "<=1"
		}
		state := "follower"
		if string(sv.Address) == leader {
			state = "leader"
		}
		rows = append(rows, fmt.Sprintf("%s|%s|%s|%s|%v|%s", node, sv.ID, sv.Address, state, sv.Suffrage == raft.Voter, proto))
	}
	return columnize.SimpleFormat(rows) + "\n"
}

// Keys raft v0.x and serf 0.6 reported (Consul 0.5/0.6 `consul info`);
// raft 1.1.2 and serf 0.9 report more.
var legacyRaftKeys = map[string]bool{"applied_index": true, "commit_index": true, "fsm_pending": true,
	"last_contact": true, "last_log_index": true, "last_log_term": true, "last_snapshot_index": true,
	"last_snapshot_term": true, "num_peers": true, "state": true, "term": true}
var legacySerfKeys = map[string]bool{"encrypted": true, "event_queue": true, "event_time": true,
	"failed": true, "intent_queue": true, "left": true, "member_time": true, "members": true,
	"query_queue": true, "query_time": true}

// eraStats keeps, for a Consul <= 0.6 agent, only the keys its libraries
// reported then.
func (a *Agent) eraStats(m map[string]string, legacyKeys map[string]bool) map[string]string {
	if a.legacy {
		for k := range m {
			if !legacyKeys[k] {
				delete(m, k)
			}
		}
	}
	return m
}

func (a *Agent) infoOutput(s *serf.Serf, r *raft.Raft) string {
	stats := map[string]map[string]string{}
	services := "0"
	if a.cfg.Server {
		services = "1" // the agent's own "consul" service
	}
	stats["agent"] = map[string]string{"check_monitors": "0", "check_ttls": "0", "checks": "0", "services": services}
	stats["build"] = map[string]string{"prerelease": "", "revision": "", "version": a.version()}
	stats["runtime"] = map[string]string{"arch": runtime.GOARCH, "os": runtime.GOOS, "version": runtime.Version(),
		"max_procs": strconv.Itoa(runtime.GOMAXPROCS(0)), "cpu_count": strconv.Itoa(runtime.NumCPU()),
		"goroutines": strconv.Itoa(runtime.NumGoroutine())}
	lan := a.eraStats(s.Stats(), legacySerfKeys)
	stats["serf_lan"] = lan
	if !a.cfg.Server {
		known := 0
		for _, m := range s.Members() {
			if _, ok := isServer(m); ok && m.Status == serf.StatusAlive {
				known++
			}
		}
		stats["consul"] = map[string]string{"server": "false", "known_servers": strconv.Itoa(known)}
		if !a.legacy {
			stats["consul"]["acl"] = "disabled"
		}
	} else {
		leader := string(r.Leader())
		c := map[string]string{"server": "true", "leader": fmt.Sprintf("%v", r.State() == raft.Leader),
			"bootstrap": fmt.Sprintf("%v", a.cfg.Bootstrap), "known_datacenters": "1"}
		if !a.legacy {
			c["leader_addr"] = leader
			c["acl"] = "disabled"
		}
		stats["consul"] = c
		rs := a.eraStats(r.Stats(), legacyRaftKeys)
		if a.legacy {
			// raft v0.x counted its peers from peers.json.
			rs["num_peers"] = strconv.Itoa(a.peers.OtherPeers())
		}
		stats["raft"] = rs
		a.mu.Lock()
		wan := a.serfWAN
		a.mu.Unlock()
		if wan != nil {
			stats["serf_wan"] = a.eraStats(wan.Stats(), legacySerfKeys)
		}
	}
	var b strings.Builder
	var keys []string
	for k := range stats {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		b.WriteString(k + ":\n")
		var sub []string
		for sk := range stats[k] {
			sub = append(sub, sk)
		}
		sort.Strings(sub)
		for _, sk := range sub {
			fmt.Fprintf(&b, "\t%s = %s\n", sk, stats[k][sk])
		}
	}
	return b.String()
}

// ---------------------------------------------------------------------------
// Host files

// hostsFile is the /etc/hosts every node of a scenario with site.Hosts got
// (and the one the generator's own lookups ran against, see run.sh).
func hostsFile(entries [][2]string) string {
	var b strings.Builder
	b.WriteString("127.0.0.1\tlocalhost\n")
	b.WriteString("::1\tlocalhost ip6-localhost ip6-loopback\n")
	b.WriteString("ff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n\n")
	b.WriteString("# cluster hosts (managed by provisioning)\n")
	for _, e := range entries {
		short := e[1]
		if i := strings.Index(short, "."); i > 0 {
			short = short[:i]
		}
		if short == e[1] {
			fmt.Fprintf(&b, "%s\t%s\n", e[0], e[1])
		} else {
			fmt.Fprintf(&b, "%s\t%s %s\n", e[0], e[1], short)
		}
	}
	return b.String()
}

// hostEntries lists (ip, fqdn) for a scenario's hosts.
var hostEntries = map[string][][2]string{}

func (sc *Scenario) writeHostFiles(a *Agent) error {
	if err := os.MkdirAll(host(a.nodeDir, "/etc"), 0755); err != nil {
		return err
	}
	if err := ioutil.WriteFile(host(a.nodeDir, "/etc/hosts"), []byte(hostsFile(hostEntries[sc.Name])), 0644); err != nil {
		return err
	}
	return ioutil.WriteFile(host(a.nodeDir, "/etc/hostname"), []byte(a.hostName()+"\n"), 0644)
}

// prependJournalHeader adds the first line journalctl of systemd 229
// printed: "-- Logs begin at <first entry>, end at <last entry>. --".
func prependJournalHeader(path string, from, to time.Time) {
	b, err := ioutil.ReadFile(path)
	if err != nil {
		return
	}
	const f = "Mon 2006-01-02 15:04:05 MST"
	h := fmt.Sprintf("-- Logs begin at %s, end at %s. --\n", from.UTC().Format(f), to.UTC().Format(f))
	ioutil.WriteFile(path, append([]byte(h), b...), 0644)
}
