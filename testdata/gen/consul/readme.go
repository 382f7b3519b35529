// README writer: provenance, what is real and what is imitated, timeline of
// the run, and facts read back from the produced files.
package main

import (
	"fmt"
	"io/ioutil"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
)

var debPackages = []string{
	"golang-go",
	"golang-github-hashicorp-raft-dev",
	"golang-github-hashicorp-raft-boltdb-dev",
	"golang-github-hashicorp-serf-dev",
	"golang-github-hashicorp-memberlist-dev",
	"golang-github-hashicorp-go-hclog-dev",
	"golang-github-hashicorp-go-msgpack-dev",
	"golang-github-hashicorp-logutils-dev",
	"golang-github-boltdb-bolt-dev",
	"golang-github-ryanuber-columnize-dev",
}

func packageVersions() []string {
	args := append([]string{"-W", "-f", "${Package} ${Version}\n"}, debPackages...)
	out, err := exec.Command("dpkg-query", args...).Output()
	if err != nil {
		return []string{"(dpkg-query unavailable)"}
	}
	return strings.Split(strings.TrimSpace(string(out)), "\n")
}

type scenarioDoc struct {
	Title     string
	Story     string   // what the scenario reproduces
	Synthetic []string // scenario-specific hand-written / imitated parts
	// Expected is what a correct tool concludes, in words that hold for
	// every generation; the scenario's checks add the run's own times,
	// terms and names (result.expect).
	Expected string
	// Differs says what this bundle shares with and how it differs from
	// the other bundles of its failure class.
	Differs string
}

var scenarioDocs = map[string]scenarioDoc{}

const commonRealLegacy = `Real library output (unchanged bytes):
- raft/raft.db: written by hashicorp/raft 1.1.2 through raft-boltdb (bolt), raft
  ProtocolVersion 1 — the lowest it runs; the mode Consul 0.7 used to talk to
  0.5/0.6 servers — (server IDs are "ip:port"; every membership change, the
  bootstrap included, is a LogRemovePeerDeprecated (type 3) entry holding the
  complete msgpack peer list; leaders start their term with a LogNoop).
  NOTE: a real Consul 0.5/0.6 ran raft v0.x, which wrote LogAddPeer (type 2) for
  additions and started each term with a LogAddPeer carrying the whole peer set;
  raft 1.1.2 in protocol 1 never writes type 2. The analyzer must accept both.
- serf/local.snapshot, serf/remote.snapshot: written by serf 0.9.4 itself.
- "serf:" and "memberlist:" log lines: printed by serf 0.9.4 / memberlist 0.2.2
  into a Go log.Logger (flags LstdFlags) behind a logutils INFO filter, as Consul
  0.5/0.6 did.
Re-rendered library output:
- "raft:", "raft-net:" and "snapshot:" lines: every structured event raft 1.1.2
  logged was translated into the legacy raft v0.x printf text (hashicorp/raft
  v0.x raft.go, e.g. "raft: Node at 127.0.0.11:18300 [Leader] entering Leader
  state"). Events without a v0.x text are dropped ("initial configuration") or
  printed as "raft: <Message>: k=v". Timing and order are the library's.
Imitated (written by the generator, modelled on Consul 0.5/0.6):
- raft/peers.json: the raft v0.x peer store, kept by a LogStore wrapper that
  watches the peer-change entries raft 1.1.2 stores (set containing us -> the
  set; set without us after we were a member -> ["<self>"]; Consul's graceful
  leave clears it on shutdown -> null). Encoded like raft v0.x (JSON array plus
  newline, mode 0755).
- "consul:" and "agent:" log lines, the console banner ("==> ..."), serf tags,
  bootstrap_expect logic, leader reconcile (Register/Deregister log commands
  with Consul field names, msgpack via hashicorp/go-msgpack), anti-entropy "No
  cluster leader" errors (checked against the real raft leader state).
- the configuration file.
- No node-id file: Consul 0.5/0.6 did not write one (it appeared in 0.7).`

const commonRealModern = `Real library output (unchanged bytes):
- raft/raft.db, raft/snapshots/*: written by hashicorp/raft 1.1.2 (raft-boltdb,
  FileSnapshotStore, ProtocolVersion 3: server IDs are the node-id UUIDs,
  membership entries are LogConfiguration (type 5); no AppendedAt field).
- serf/local.snapshot, serf/remote.snapshot: written by serf 0.9.4.
- Every agent.server.raft / agent.server.raft.snapshot line is printed by raft
  1.1.2 itself through go-hclog 0.11 (Consul >= 1.7 hands raft an hclog logger).
- serf/memberlist lines go through hclog standard loggers with level inference
  (InferLevels), as Consul >= 1.7 does: "[INFO]  agent.server.serf.lan: serf:
  EventMemberJoin: ...".
Imitated (written by the generator, modelled on Consul 1.7/1.8 — which used raft
1.1.2 too):
- agent / agent.server / agent.client / agent.leader / agent.anti_entropy lines
  (texts of hashicorp/consul 1.7/1.8 agent/consul/leader.go, server_serf.go,
  agent/agent.go, command/agent/agent.go), console banner, serf tags,
  bootstrap / bootstrap_expect logic, leader reconcile (AddVoter / RemoveServer,
  Register/Deregister commands with Consul field names, msgpack), the
  consul:new-leader user event, anti-entropy and coordinate errors (checked
  against the real raft leader state), WAN flood join.
- node-id (deterministic UUID derived from scenario and node name), peers.info
  (written at first start as Consul >= 0.7 does; text paraphrased, not
  Consul's), the configuration file.
- Reconcile runs every 5 s, anti-entropy retries every 3 s, coordinate updates
  every 5 s (Consul: 60 s / 15-30 s / >= 15 s) to keep runs short.
- Servers are added with AddVoter directly (Consul 1.8 with autopilot adds a
  nonvoter first and promotes it after server_stabilization_time).`

func writeReadme(staging string, sc *Scenario, res *result) error {
	doc := scenarioDocs[sc.Name]
	var b strings.Builder
	w := func(format string, args ...interface{}) { fmt.Fprintf(&b, format, args...) }
	w("%s.tar.gz — %s\n", sc.Name, doc.Title)
	w("%s\n\n", strings.Repeat("=", len(sc.Name)+10+len(doc.Title)))
	w("SCENARIO\n%s\n\n", strings.TrimSpace(doc.Story))
	if doc.Differs != "" {
		w("VARIANT\n%s\n\n", strings.TrimSpace(doc.Differs))
	}
	if doc.Expected != "" || len(res.expected) > 0 {
		w("Expected diagnosis\n")
		if doc.Expected != "" {
			w("%s\n", strings.TrimSpace(doc.Expected))
		}
		if len(res.expected) > 0 {
			w("From this run (times are the logs' own, UTC):\n")
			for _, e := range res.expected {
				w("- %s\n", e)
			}
		}
		w("\n")
	}
	w("PROVENANCE\n")
	w("Produced by testdata/gen/consul/run.sh, which builds testdata/gen/consul/*.go\n")
	w("(GOPATH mode, Debian packages only) and runs `consulgen -scenario %s`.\n", sc.Name)
	w("All agents run inside that one process, each with its own loopback address\n")
	w("(%s), raft on port %d, serf LAN %d, serf WAN %d; real TCP/UDP between\n", addrRange(sc), raftPort, lanPort, wanPort)
	w("them; wall-clock timing is real (run started %s UTC).\n", sc.Start.UTC().Format("2006-01-02 15:04:05"))
	w("Go: %s. Debian packages:\n", runtime.Version())
	for _, p := range packageVersions() {
		w("  %s\n", p)
	}
	legacy := len(sc.agents) > 0 && sc.agents[0].legacy
	w("\nWHAT IS REAL, WHAT IS IMITATED\n")
	if legacy {
		w("%s\n", commonRealLegacy)
	} else {
		w("%s\n", commonRealModern)
	}
	for _, s := range doc.Synthetic {
		w("- %s\n", s)
	}
	for _, s := range siteSynthetic(sc.Site, legacy) {
		w("- %s\n", s)
	}
	w("\nLAYOUT\n")
	var nodeNames []string
	for _, n := range res.nodes {
		nodeNames = append(nodeNames, n.Name)
	}
	if sc.Site.Layout == layoutWrapped && sc.Site.Wrapper == sc.Name && sc.Site.DataDir == "/consul/data" {
		w("%s/<node>/consul/config/consul.{json,hcl}   agent configuration\n", sc.Name)
		w("%s/<node>/consul/data/                      Consul data_dir (\"/consul/data\")\n", sc.Name)
		w("%s/<node>/var/log/consul/consul.log         agent stdout/stderr capture\n", sc.Name)
	} else {
		for _, l := range sc.Site.describeLayout(sc.Name, nodeNames) {
			w("%s\n", l)
		}
	}
	w("Files (per node directory, before packing):\n")
	var files []string
	filepath.Walk(res.root, func(p string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			rel, _ := filepath.Rel(res.root, p)
			files = append(files, fmt.Sprintf("  %-72s %8d", rel, info.Size()))
		}
		return nil
	})
	sort.Strings(files)
	for _, f := range files {
		w("%s\n", f)
	}
	w("\nTIMELINE OF THE RUN (seconds since start)\n")
	sc.mu.Lock()
	for _, t := range sc.timeline {
		w("  %s\n", t)
	}
	sc.mu.Unlock()
	w("\nFACTS A TEST SHOULD FIND\n")
	for _, f := range res.facts {
		w("- %s\n", f)
	}
	w("\nPER-NODE STATE (read back from the files)\n")
	for _, n := range res.nodes {
		w("%s:\n", n.Name)
		if n.NodeID != "" {
			w("  node-id %s\n", n.NodeID)
		} else {
			w("  no node-id file\n")
		}
		w("  config file %s\n", n.ConfigFile)
		if n.DB != nil {
			d := n.DB
			w("  raft.db: CurrentTerm=%d LastVoteTerm=%d LastVoteCand=%q logs=[%d..%d] (%d entries) types=%v\n",
				d.CurrentTerm, d.LastVoteTerm, d.LastVoteCand, d.First, d.Last, len(d.Entries), d.TypeCounts)
			var terms []string
			for t, i := range d.NoopTerms {
				terms = append(terms, fmt.Sprintf("term %d from index %d", t, i))
			}
			sort.Strings(terms)
			if len(terms) > 0 {
				w("  leadership starts (first LogNoop of a term): %s\n", strings.Join(terms, "; "))
			}
			for _, c := range d.Configs {
				w("  membership entry index=%d term=%d type=%d: %s\n", c.Index, c.Term, c.Type, strings.Join(c.Servers, " "))
			}
			for _, e := range d.Entries {
				if e.Type == 0 {
					w("  command index=%d term=%d: %s\n", e.Index, e.Term, e.Summary)
				}
			}
		} else {
			w("  no raft.db (client agent)\n")
		}
		for _, s := range n.Snapshots {
			var sv []string
			for _, x := range s.Configuration.Servers {
				sv = append(sv, x.ID+"@"+x.Address)
			}
			w("  snapshot %s: Version=%d Index=%d Term=%d ConfigurationIndex=%d servers=%s\n", s.ID, s.Version, s.Index, s.Term, s.ConfigurationIndex, strings.Join(sv, ","))
		}
		if n.PeersJSON != nil {
			w("  raft/peers.json: %s\n", strings.TrimSpace(strings.Replace(*n.PeersJSON, "\n", " ", -1)))
		}
		if n.PeersInfo {
			w("  raft/peers.info present\n")
		}
		for _, ss := range []struct {
			name string
			s    serfSnap
		}{{"local.snapshot", n.LAN}, {"remote.snapshot", n.WAN}} {
			if !ss.s.Present {
				continue
			}
			var alive []string
			for k, v := range ss.s.Alive {
				alive = append(alive, k+"="+v)
			}
			sort.Strings(alive)
			w("  serf/%s: %d lines, %d 'leave' line(s), last clock %s, alive after replay (ignoring leave): %s\n",
				ss.name, len(ss.s.Lines), ss.s.Leaves, ss.s.Clock, strings.Join(alive, " "))
		}
		w("  consul.log: %d lines (%d banner), format %s, first %s, last %s\n", len(n.Log.Lines), n.Log.Banner, n.Log.Format, n.Log.FirstTime, n.Log.LastTime)
	}
	w("\nCHECKS PASSED WHEN THIS BUNDLE WAS GENERATED\n")
	for _, c := range res.checks {
		w("- %s\n", c)
	}
	return ioutil.WriteFile(filepath.Join(staging, sc.Name+".README"), []byte(b.String()), 0644)
}

func addrRange(sc *Scenario) string {
	var ips []string
	for _, a := range sc.agents {
		ips = append(ips, a.cfg.IP)
	}
	sort.Strings(ips)
	if len(ips) == 0 {
		return "127.0.0.x"
	}
	return strings.Join(ips, ", ")
}

// siteSynthetic lists what the site's capture and collection imitate.
func siteSynthetic(s Site, legacy bool) []string {
	var out []string
	switch {
	case s.journald():
		out = append(out, "The journald framing is written by the generator around the agent's real output: \"<Mon DD HH:MM:SS> <host> consul[<pid>]: \" on every stdout line (banner included), pids made up per start, and systemd[1]'s unit lines (Started/Stopping/Stopped, \"Main process exited, code=...\", \"Failed with result ...\") in the wording of systemd "+map[bool]string{true: "229, with its \"-- Logs begin at\" header", false: "245"}[s.LogWrap == wrapJournald16]+".")
	case s.compose():
		out = append(out, "The docker compose framing (\"<service>  | \" before every stdout line, name padded as docker/compose's log formatter pads it) is written by the generator; a container restart adds nothing to `docker compose logs`, a killed container's log simply ends.")
	}
	if len(s.Collect) > 0 {
		out = append(out, "The collected command outputs are imitated: formatted the way hashicorp/consul's commands print them (see collect.go for the sources; columns by the real ryanuber/columnize) from the live state of each agent's real serf and raft at collection time; a dead agent's file holds the error the command prints when nothing listens on 127.0.0.1:"+map[bool]string{true: "8400 (RPC, Consul <= 0.6)", false: "8500 (HTTP API)"}[legacy]+". The `consul info` runtime section reports the generator's own Go runtime.")
	}
	if s.Hosts {
		out = append(out, "etc/hosts is the file the generator's own name lookups used: run.sh bind-mounts it over /etc/hosts in a private mount namespace, so every retry_join host name went through the real Go resolver. etc/hostname is written by the generator.")
	}
	return out
}
