// Post-run inspection: reads back every node directory of a scenario with
// independent code paths (bolt read-only + msgpack decoding, JSON, text
// parsing), derives the facts written into the README and runs the
// scenario's checks.
package main

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io/ioutil"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/boltdb/bolt"
	"github.com/hashicorp/go-msgpack/codec"
	"github.com/hashicorp/raft"
)

type logEntry struct {
	Index, Term uint64
	Type        raft.LogType
	Summary     string
}

type configEntry struct {
	Index, Term uint64
	Type        raft.LogType
	Servers     []string // "id@addr" for type 5, "addr" for type 2/3
	Addrs       []string
}

type raftDB struct {
	CurrentTerm  uint64
	LastVoteTerm uint64
	LastVoteCand string
	First, Last  uint64
	Entries      []logEntry
	Configs      []configEntry
	NoopTerms    map[uint64]uint64 // term -> first index of a LogNoop
	TypeCounts   map[string]int
}

type snapMeta struct {
	Version            int
	ID                 string
	Index, Term        uint64
	ConfigurationIndex uint64
	Configuration      struct {
		Servers []struct {
			Suffrage int
			ID       string
			Address  string
		}
	}
	Size int64
}

type serfSnap struct {
	Present bool
	Lines   []string
	Alive   map[string]string // replay without the leave rule
	Leaves  int
	Clock   string
}

type logFile struct {
	Present   bool
	Path      string   // host path inside the node directory
	Lines     []string // the agent's lines, capture prefix removed
	Times     []string // timestamp text of each line ("" for banner lines)
	System    []string // service manager lines of a journald capture (whole)
	Header    string   // journalctl "-- Logs begin at" header
	Format    string   // "legacy", "hclog", "json", "mixed"
	BadLines  []string
	Banner    int
	Continued int // inner lines of multi-line values
	FirstTime string
	LastTime  string
}

type nodeResult struct {
	Name       string
	Dir        string
	Commands   map[string]string // collected command outputs by command
	HasRaft    bool
	DB         *raftDB
	Snapshots  []snapMeta
	PeersJSON  *string
	PeersInfo  bool
	NodeID     string
	ConfigFile string
	LAN, WAN   serfSnap
	Log        logFile
}

type result struct {
	scenario string
	root     string
	nodes    []*nodeResult
	failures []string
	checks   []string
	facts    []string
	expected []string
}

func (r *result) node(name string) *nodeResult {
	for _, n := range r.nodes {
		if n.Name == name {
			return n
		}
	}
	return nil
}

func (r *result) check(ok bool, format string, args ...interface{}) {
	msg := fmt.Sprintf(format, args...)
	if ok {
		r.checks = append(r.checks, msg)
	} else {
		r.failures = append(r.failures, msg)
	}
}

// expect adds a line to the README's expected diagnosis.
func (r *result) expect(format string, args ...interface{}) {
	r.expected = append(r.expected, fmt.Sprintf(format, args...))
}

func (r *result) fact(format string, args ...interface{}) {
	r.facts = append(r.facts, fmt.Sprintf(format, args...))
}

func (r *result) report() string {
	var b strings.Builder
	fmt.Fprintf(&b, "== %s\n", r.scenario)
	for _, c := range r.checks {
		fmt.Fprintf(&b, "  ok   %s\n", c)
	}
	for _, f := range r.failures {
		fmt.Fprintf(&b, "  FAIL %s\n", f)
	}
	return b.String()
}

var scenarioChecks = map[string]func(*result, *Scenario){}

func inspectScenario(staging, name string, sc *Scenario) (*result, error) {
	root := filepath.Join(staging, name)
	ents, err := ioutil.ReadDir(root)
	if err != nil {
		return nil, err
	}
	res := &result{scenario: name, root: root}
	site := siteFor(name)
	applySite(site)
	for _, e := range ents {
		if !e.IsDir() {
			continue
		}
		n, err := inspectNode(filepath.Join(root, e.Name()), e.Name(), site)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", e.Name(), err)
		}
		res.nodes = append(res.nodes, n)
	}
	sort.Slice(res.nodes, func(i, j int) bool { return res.nodes[i].Name < res.nodes[j].Name })
	for _, n := range res.nodes {
		res.check(n.Log.Present && len(n.Log.BadLines) == 0,
			"%s: every line of %s is a banner line or a %s log line (%d lines)%s", n.Name, site.LogPath, n.Log.Format, len(n.Log.Lines), wrapNote(site))
		if len(n.Log.BadLines) > 0 {
			res.failures = append(res.failures, fmt.Sprintf("%s: first unrecognised log line: %q", n.Name, n.Log.BadLines[0]))
		}
		res.check(n.LAN.Present, "%s: serf/local.snapshot present", n.Name)
		res.check(n.ConfigFile != "", "%s: configuration %s present", n.Name, n.ConfigFile)
		for _, c := range site.Collect {
			if c.ServersOnly && !n.HasRaft {
				continue
			}
			_, ok := n.Commands[c.Cmd]
			res.check(ok, "%s: %s output collected in %s", n.Name, commandLine(c.Cmd), c.Path)
		}
		if site.Hosts {
			_, err1 := os.Stat(host(n.Dir, "/etc/hosts"))
			b, err2 := ioutil.ReadFile(host(n.Dir, "/etc/hostname"))
			res.check(err1 == nil && err2 == nil && strings.TrimSpace(string(b)) == n.Name,
				"%s: etc/hosts present, etc/hostname names the host", n.Name)
		}
	}
	if f := scenarioChecks[name]; f != nil {
		f(res, sc)
	}
	return res, nil
}

func wrapNote(site Site) string {
	if site.LogWrap == wrapNone || site.LogWrap == wrapIndent {
		return ""
	}
	return " inside its " + site.LogWrap + " capture"
}

func inspectNode(dir, name string, site Site) (*nodeResult, error) {
	n := &nodeResult{Name: name, Dir: dir, Commands: map[string]string{}}
	data := host(dir, site.DataDir)
	if b, err := ioutil.ReadFile(filepath.Join(data, "node-id")); err == nil {
		n.NodeID = string(b)
	}
	cfg := host(dir, site.ConfigPath)
	for _, c := range []string{cfg, strings.TrimSuffix(cfg, filepath.Ext(cfg)) + ".hcl"} {
		if _, err := os.Stat(c); err == nil {
			n.ConfigFile = filepath.Base(c)
		}
	}
	for _, c := range site.Collect {
		if b, err := ioutil.ReadFile(host(dir, c.Path)); err == nil {
			n.Commands[c.Cmd] = string(b)
		}
	}
	dbPath := filepath.Join(data, "raft", "raft.db")
	if _, err := os.Stat(dbPath); err == nil {
		n.HasRaft = true
		db, err := readRaftDB(dbPath)
		if err != nil {
			return nil, err
		}
		n.DB = db
		snaps, err := readSnapshots(filepath.Join(data, "raft", "snapshots"))
		if err != nil {
			return nil, err
		}
		n.Snapshots = snaps
	}
	if b, err := ioutil.ReadFile(filepath.Join(data, "raft", "peers.json")); err == nil {
		s := string(b)
		n.PeersJSON = &s
	}
	if _, err := os.Stat(filepath.Join(data, "raft", "peers.info")); err == nil {
		n.PeersInfo = true
	}
	n.LAN = readSerfSnapshot(filepath.Join(data, "serf", "local.snapshot"))
	n.WAN = readSerfSnapshot(filepath.Join(data, "serf", "remote.snapshot"))
	n.Log = readLog(host(dir, site.LogPath), site.LogWrap)
	n.Log.Path = site.LogPath
	return n, nil
}

func decodePeersMsgpack(data []byte) []string {
	var enc [][]byte
	if err := codec.NewDecoder(bytes.NewReader(data), &codec.MsgpackHandle{}).Decode(&enc); err != nil {
		return []string{"<undecodable>"}
	}
	var out []string
	for _, e := range enc {
		out = append(out, string(e))
	}
	return out
}

func summarizeCommand(data []byte) string {
	if len(data) == 0 {
		return "empty"
	}
	t := data[0] &^ 0x80
	dec := codec.NewDecoder(bytes.NewReader(data[1:]), &codec.MsgpackHandle{})
	switch t {
	case msgRegister:
		var req RegisterRequest
		if err := dec.Decode(&req); err != nil {
			return "Register <undecodable>"
		}
		s := "Register node=" + req.Node + " address=" + req.Address
		if req.Service != nil {
			s += " service=" + req.Service.ID
		}
		if req.Check != nil {
			s += " " + req.Check.CheckID + "=" + req.Check.Status
		}
		return s
	case msgDeregister:
		var req DeregisterRequest
		if err := dec.Decode(&req); err != nil {
			return "Deregister <undecodable>"
		}
		return "Deregister node=" + req.Node
	}
	return fmt.Sprintf("message type %d", t)
}

func readRaftDB(path string) (*raftDB, error) {
	db, err := bolt.Open(path, 0600, &bolt.Options{ReadOnly: true, Timeout: 2 * time.Second})
	if err != nil {
		return nil, fmt.Errorf("bolt open %s: %v", path, err)
	}
	defer db.Close()
	out := &raftDB{NoopTerms: map[uint64]uint64{}, TypeCounts: map[string]int{}}
	err = db.View(func(tx *bolt.Tx) error {
		conf := tx.Bucket([]byte("conf"))
		logs := tx.Bucket([]byte("logs"))
		if conf == nil || logs == nil {
			return fmt.Errorf("missing conf/logs bucket")
		}
		if v := conf.Get([]byte("CurrentTerm")); len(v) == 8 {
			out.CurrentTerm = binary.BigEndian.Uint64(v)
		}
		if v := conf.Get([]byte("LastVoteTerm")); len(v) == 8 {
			out.LastVoteTerm = binary.BigEndian.Uint64(v)
		}
		out.LastVoteCand = string(conf.Get([]byte("LastVoteCand")))
		c := logs.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			var l raft.Log
			if err := codec.NewDecoder(bytes.NewReader(v), &codec.MsgpackHandle{}).Decode(&l); err != nil {
				return fmt.Errorf("log %x: %v", k, err)
			}
			if binary.BigEndian.Uint64(k) != l.Index {
				return fmt.Errorf("key %x holds index %d", k, l.Index)
			}
			if out.First == 0 {
				out.First = l.Index
			}
			out.Last = l.Index
			e := logEntry{Index: l.Index, Term: l.Term, Type: l.Type}
			out.TypeCounts[logTypeName(l.Type)]++
			switch l.Type {
			case raft.LogNoop:
				if _, ok := out.NoopTerms[l.Term]; !ok {
					out.NoopTerms[l.Term] = l.Index
				}
				e.Summary = "noop"
			case raft.LogBarrier:
				e.Summary = "barrier"
			case raft.LogCommand:
				e.Summary = summarizeCommand(l.Data)
			case raft.LogAddPeerDeprecated, raft.LogRemovePeerDeprecated:
				addrs := decodePeersMsgpack(l.Data)
				out.Configs = append(out.Configs, configEntry{Index: l.Index, Term: l.Term, Type: l.Type, Servers: addrs, Addrs: addrs})
				e.Summary = "peers " + strings.Join(addrs, ",")
			case raft.LogConfiguration:
				cfg := raft.DecodeConfiguration(l.Data)
				ce := configEntry{Index: l.Index, Term: l.Term, Type: l.Type}
				for _, s := range cfg.Servers {
					ce.Servers = append(ce.Servers, fmt.Sprintf("%s@%s(%s)", s.ID, s.Address, s.Suffrage))
					ce.Addrs = append(ce.Addrs, string(s.Address))
				}
				out.Configs = append(out.Configs, ce)
				e.Summary = "configuration " + strings.Join(ce.Servers, ",")
			}
			out.Entries = append(out.Entries, e)
		}
		return nil
	})
	return out, err
}

func readSnapshots(dir string) ([]snapMeta, error) {
	ents, err := ioutil.ReadDir(dir)
	if err != nil {
		if os.IsNotExist(err) {
			return nil, nil
		}
		return nil, err
	}
	var out []snapMeta
	for _, e := range ents {
		if !e.IsDir() || strings.HasSuffix(e.Name(), ".tmp") {
			continue
		}
		b, err := ioutil.ReadFile(filepath.Join(dir, e.Name(), "meta.json"))
		if err != nil {
			return nil, err
		}
		var m snapMeta
		if err := json.Unmarshal(b, &m); err != nil {
			return nil, err
		}
		st, err := os.Stat(filepath.Join(dir, e.Name(), "state.bin"))
		if err != nil || st.Size() != m.Size {
			return nil, fmt.Errorf("snapshot %s: state.bin size mismatch", e.Name())
		}
		out = append(out, m)
	}
	return out, nil
}

func readSerfSnapshot(path string) serfSnap {
	s := serfSnap{Alive: map[string]string{}}
	b, err := ioutil.ReadFile(path)
	if err != nil {
		return s
	}
	s.Present = true
	for _, line := range strings.Split(strings.TrimRight(string(b), "\n"), "\n") {
		if line == "" {
			continue
		}
		s.Lines = append(s.Lines, line)
		switch {
		case strings.HasPrefix(line, "alive: "):
			rest := strings.TrimPrefix(line, "alive: ")
			i := strings.LastIndex(rest, " ")
			if i > 0 {
				s.Alive[rest[:i]] = rest[i+1:]
			}
		case strings.HasPrefix(line, "not-alive: "):
			delete(s.Alive, strings.TrimPrefix(line, "not-alive: "))
		case line == "leave":
			s.Leaves++
		case strings.HasPrefix(line, "clock: "):
			s.Clock = strings.TrimPrefix(line, "clock: ")
		}
	}
	return s
}

var (
	reLegacy  = regexp.MustCompile(`^(    )?(\d{4}/\d{2}/\d{2} \d{2}:\d{2}:\d{2}) \[(TRACE|DEBUG|INFO|WARN|ERR)\] [a-z-]+: `)
	reHclog   = regexp.MustCompile(`^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z) (\[TRACE\]|\[DEBUG\]|\[INFO\] |\[WARN\] |\[ERROR\]) [a-z_.]+: `)
	reBanner  = regexp.MustCompile(`^(==> .*|\s+[A-Za-z -]+: .*|)$`)
	reJournal = regexp.MustCompile(`^[A-Z][a-z]{2} \d{2} \d{2}:\d{2}:\d{2} ([A-Za-z0-9.-]+) (consul|systemd)\[(\d+)\]: (.*)$`)
	reCompose = regexp.MustCompile(`^([A-Za-z0-9_.-]+) +\| (.*)$`)
	reJHeader = regexp.MustCompile(`^-- Logs begin at .*, end at .*\. --$`)
)

// unwrapLine removes the capture's own prefix. kind is "consul" for the
// agent's output, "systemd" for a service manager line, "header" for the
// journal header, "" if the line does not fit the capture.
func unwrapLine(line, wrap string) (string, string) {
	switch wrap {
	case wrapJournald, wrapJournald16:
		if wrap == wrapJournald16 && reJHeader.MatchString(line) {
			return line, "header"
		}
		m := reJournal.FindStringSubmatch(line)
		if m == nil {
			return line, ""
		}
		return m[4], m[2]
	case wrapCompose, wrapComposeV1:
		m := reCompose.FindStringSubmatch(line)
		if m == nil {
			return line, ""
		}
		return m[2], "consul"
	}
	return line, "consul"
}

func readLog(path, wrap string) logFile {
	var lf logFile
	f, err := os.Open(path)
	if err != nil {
		return lf
	}
	defer f.Close()
	lf.Present = true
	kinds := map[string]bool{}
	open, lastLegacy := false, false
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		raw := sc.Text()
		line, kind := unwrapLine(raw, wrap)
		switch kind {
		case "header":
			lf.Header = line
			continue
		case "systemd":
			lf.System = append(lf.System, raw)
			continue
		case "":
			lf.BadLines = append(lf.BadLines, raw)
			continue
		}
		lf.Lines = append(lf.Lines, line)
		ts := ""
		switch {
		case open && strings.Count(line, `"`)%2 == 1:
			// hclog quotes a multi-line value: its last line closes it.
			open = false
			lf.Continued++
		case open || (lastLegacy && !reLegacy.MatchString(line) && !strings.HasPrefix(line, "==> ")):
			// the inner lines of a multi-line message (a multierror's
			// "\t* ..." list and what follows it) belong to the line
			// before them.
			lf.Continued++
		case reLegacy.MatchString(line):
			kinds["legacy"] = true
			ts = reLegacy.FindStringSubmatch(line)[2]
		case reHclog.MatchString(line):
			kinds["hclog"] = true
			ts = reHclog.FindStringSubmatch(line)[1]
			open = strings.Count(line, `"`)%2 == 1
		case strings.HasPrefix(line, "{"):
			var m map[string]interface{}
			if json.Unmarshal([]byte(line), &m) == nil && m["@timestamp"] != nil && m["@level"] != nil && m["@message"] != nil {
				kinds["json"] = true
				ts = fmt.Sprint(m["@timestamp"])
			} else {
				lf.BadLines = append(lf.BadLines, line)
			}
		case reBanner.MatchString(line):
			lf.Banner++
		default:
			lf.BadLines = append(lf.BadLines, line)
		}
		lf.Times = append(lf.Times, ts)
		if ts != "" {
			lastLegacy = reLegacy.MatchString(line)
		} else if strings.HasPrefix(line, "==> ") {
			lastLegacy = false
		}
		if ts != "" {
			if lf.FirstTime == "" {
				lf.FirstTime = ts
			}
			lf.LastTime = ts
		}
	}
	var ks []string
	for k := range kinds {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	lf.Format = strings.Join(ks, "+")
	return lf
}

// First returns the timestamp of the first line containing sub.
func (l logFile) First(sub string) string {
	for i, line := range l.Lines {
		if strings.Contains(line, sub) {
			return l.Times[i]
		}
	}
	return ""
}

// Last returns the timestamp of the last line containing sub.
func (l logFile) Last(sub string) string {
	for i := len(l.Lines) - 1; i >= 0; i-- {
		if strings.Contains(l.Lines[i], sub) {
			return l.Times[i]
		}
	}
	return ""
}

// FirstAfter returns the timestamp of the first line containing sub that
// comes after the first line containing after.
func (l logFile) FirstAfter(after, sub string) string {
	seen := false
	for i, line := range l.Lines {
		if !seen {
			seen = strings.Contains(line, after)
			continue
		}
		if strings.Contains(line, sub) {
			return l.Times[i]
		}
	}
	return ""
}

// SystemCount counts the service manager lines containing sub.
func (l logFile) SystemCount(sub string) int {
	n := 0
	for _, line := range l.System {
		if strings.Contains(line, sub) {
			n++
		}
	}
	return n
}

// Count returns how many log lines contain sub.
func (l logFile) Count(sub string) int {
	n := 0
	for _, line := range l.Lines {
		if strings.Contains(line, sub) {
			n++
		}
	}
	return n
}

// LastConfig returns the newest membership (addresses) known to the node:
// the last peer-change entry of raft.db, or the newest snapshot's
// configuration if that is newer.
func (n *nodeResult) LastConfig() (uint64, []string) {
	var idx uint64
	var addrs []string
	if n.DB != nil && len(n.DB.Configs) > 0 {
		c := n.DB.Configs[len(n.DB.Configs)-1]
		idx, addrs = c.Index, c.Addrs
	}
	for _, s := range n.Snapshots {
		if s.ConfigurationIndex > idx {
			idx = s.ConfigurationIndex
			addrs = nil
			for _, sv := range s.Configuration.Servers {
				addrs = append(addrs, sv.Address)
			}
		}
	}
	return idx, addrs
}

func sortedCopy(in []string) []string {
	out := append([]string(nil), in...)
	sort.Strings(out)
	return out
}

func sameSet(a, b []string) bool {
	a, b = sortedCopy(a), sortedCopy(b)
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func logTypeName(t raft.LogType) string {
	switch t {
	case raft.LogCommand:
		return "Command"
	case raft.LogNoop:
		return "Noop"
	case raft.LogAddPeerDeprecated:
		return "AddPeer"
	case raft.LogRemovePeerDeprecated:
		return "RemovePeer"
	case raft.LogBarrier:
		return "Barrier"
	case raft.LogConfiguration:
		return "Configuration"
	}
	return fmt.Sprintf("type%d", t)
}
