// A site is everything about a scenario that is not its story: datacenter
// name, ports, where an operator put the data dir, the configuration and
// the captured log, how the log was captured (plain file, journald, docker
// compose), how the support bundle was laid out and which commands the
// collector ran. The tool under test is judged on bundles it has never
// seen, so scenarios of one failure class differ in all of these.
//
// One scenario runs per consulgen process, so the site is applied to a few
// package variables (datacenter and ports) that the agent code reads.
package main

import (
	"fmt"
	"path/filepath"
	"strings"
)

// Log capture styles.
const (
	wrapNone       = ""             // the agent's own output file
	wrapIndent     = "indent"       // `consul agent` console capture: 4-space indent (Consul <= 0.6)
	wrapJournald   = "journald"     // journalctl -u consul, systemd 245 wording, no header
	wrapJournald16 = "journald-229" // journalctl -u consul, systemd 229 wording, "-- Logs begin at" header
	wrapCompose    = "compose"      // docker compose v2 logs: "<service>  | <line>"
	wrapComposeV1  = "compose-v1"   // docker-compose v1 logs: "<name>_1  | <line>"
)

// Bundle layouts.
const (
	layoutWrapped = "wrapped" // <wrapper>/<node>/...
	layoutFlat    = "flat"    // <node>/... at the top of the tarball
	layoutPerNode = "pernode" // [<wrapper>/]<node>.tar.gz, each holding the node's files
	layoutSupport = "support" // <host>-consul-support-<stamp>.tar.gz holding <host>-consul-support-<stamp>/...
)

// Commands a collector may have run on each node.
const (
	cmdMembers        = "members"          // consul members
	cmdListPeers      = "list-peers"       // consul operator raft list-peers
	cmdListPeersStale = "list-peers-stale" // consul operator raft list-peers -stale
	cmdInfo           = "info"             // consul info
)

type Collect struct {
	Cmd         string
	Path        string // inside the node directory
	ServersOnly bool
}

type Site struct {
	DC         string
	RaftPort   int
	LANPort    int
	WANPort    int
	Version    string // Consul version printed in banners, tags and `consul info`
	DataDir    string // host path of data_dir
	ConfigPath string // host path of the configuration file (.json or .hcl)
	LogPath    string // host path of the captured log
	LogWrap    string
	Layout     string
	Wrapper    string // top directory of layoutWrapped, tarball directory of layoutPerNode
	InnerTop   bool   // layoutPerNode: the node tarball has a top directory
	Collect    []Collect
	Hosts      bool // /etc/hosts and /etc/hostname in every node directory
}

// defaultSite is the site of the first six scenarios (before sites existed).
func defaultSite(name string) Site {
	return Site{DC: "dc1", RaftPort: 18300, LANPort: 18301, WANPort: 18302,
		Version: "1.8.4", DataDir: "/consul/data", ConfigPath: "/consul/config/consul.json",
		LogPath: "/var/log/consul/consul.log", Layout: layoutWrapped, Wrapper: name}
}

var sites = map[string]Site{}

func siteFor(name string) Site {
	if s, ok := sites[name]; ok {
		return s
	}
	return defaultSite(name)
}

// The datacenter and ports of the running scenario.
var (
	dcName   = "dc1"
	raftPort = 18300
	lanPort  = 18301
	wanPort  = 18302
)

func applySite(s Site) {
	dcName, raftPort, lanPort, wanPort = s.DC, s.RaftPort, s.LANPort, s.WANPort
}

// host joins a host path to a node directory.
func host(nodeDir, p string) string {
	return filepath.Join(nodeDir, filepath.FromSlash(strings.TrimPrefix(p, "/")))
}

func (s Site) journald() bool { return s.LogWrap == wrapJournald || s.LogWrap == wrapJournald16 }
func (s Site) compose() bool  { return s.LogWrap == wrapCompose || s.LogWrap == wrapComposeV1 }
func (s Site) hcl() bool      { return strings.HasSuffix(s.ConfigPath, ".hcl") }

// describeLayout is the README's account of where things are.
func (s Site) describeLayout(name string, nodes []string) []string {
	var out []string
	ex := "<node>"
	if len(nodes) > 0 {
		ex = nodes[0]
	}
	switch s.Layout {
	case layoutWrapped:
		out = append(out, fmt.Sprintf("%s.tar.gz holds %s/<node>/ for every node (e.g. %s/%s/).", name, s.Wrapper, s.Wrapper, ex))
	case layoutFlat:
		out = append(out, fmt.Sprintf("%s.tar.gz holds one directory per node at its top (e.g. %s/), no wrapping directory.", name, ex))
	case layoutPerNode:
		dir := ""
		if s.Wrapper != "" {
			dir = s.Wrapper + "/"
		}
		top := "the node's files directly (etc/, var/, ...)"
		if s.InnerTop {
			top = "one top directory named after the node"
		}
		out = append(out, fmt.Sprintf("%s.tar.gz holds one gzipped tarball per node, %s<node>.tar.gz (e.g. %s%s.tar.gz), each holding %s.", name, dir, dir, ex, top))
	case layoutSupport:
		out = append(out, fmt.Sprintf("%s.tar.gz holds one gzipped tarball per node named <host>-consul-support-<YYYYMMDDTHHMM>.tar.gz, each holding a directory of the same name.", name))
	}
	out = append(out,
		fmt.Sprintf("In a node's tree: configuration %s, data_dir %s, log %s (%s).", s.ConfigPath, s.DataDir, s.LogPath, s.describeWrap()))
	for _, c := range s.Collect {
		who := "every node"
		if c.ServersOnly {
			who = "every server"
		}
		out = append(out, fmt.Sprintf("Collected on %s: %s -> %s (stdout and stderr).", who, commandLine(c.Cmd), c.Path))
	}
	if s.Hosts {
		out = append(out, "Every node directory holds its etc/hosts and etc/hostname.")
	}
	return out
}

func (s Site) describeWrap() string {
	switch s.LogWrap {
	case wrapIndent:
		return "captured console output of `consul agent`: banner lines and 4-space indented log lines"
	case wrapJournald:
		return "`journalctl -u consul` output, systemd 245 short format: \"Mon DD HH:MM:SS <host> consul[<pid>]: <line>\" and systemd's own unit lines"
	case wrapJournald16:
		return "`journalctl -u consul` output, systemd 229 short format with its \"-- Logs begin at\" header, consul[<pid>] lines and systemd's unit lines"
	case wrapCompose:
		return "`docker compose logs --no-color <service>` output: \"<service>  | <line>\""
	case wrapComposeV1:
		return "`docker-compose logs --no-color <service>` (compose v1) output: \"<service>_1  | <line>\""
	}
	return "the agent's stdout/stderr written to a file"
}

func commandLine(cmd string) string {
	switch cmd {
	case cmdMembers:
		return "`consul members`"
	case cmdListPeers:
		return "`consul operator raft list-peers`"
	case cmdListPeersStale:
		return "`consul operator raft list-peers -stale`"
	case cmdInfo:
		return "`consul info`"
	}
	return cmd
}
