// Logging for the simulated Consul agents.
//
// Two eras are produced:
//   - "hclog": Consul >= 1.7 style. One hclog root logger per node; the raft
//     library gets hclog sub-loggers directly (so its lines are exactly what
//     raft 1.1.2 prints), serf and memberlist get hclog standard loggers with
//     level inference, and the imitation's own lines go through named
//     sub-loggers (agent, agent.server, ...).
//   - "legacy": Consul <= 0.6 style. A Go std log.Logger with date/time flags
//     behind a logutils level filter. serf and memberlist write into it
//     directly (their own "[INFO] serf: ..." texts); raft 1.1.2's structured
//     events are re-rendered into the old printf texts by legacyRaftLogger.
package main

import (
	"bytes"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"strings"
	"sync"

	hclog "github.com/hashicorp/go-hclog"
	"github.com/hashicorp/logutils"
	"github.com/hashicorp/raft"
)

// nodeLog is the log file of one node. Freezing it models the moment the
// node's process died (it writes nothing more, but a service manager may
// still log about it); capturing it models the moment the support bundle
// was collected (nothing at all is written afterwards).
type nodeLog struct {
	mu       sync.Mutex
	f        *os.File
	path     string
	frozen   bool
	captured bool
	// prefix, when set, starts every line: console indentation, the
	// journald "<time> <host> consul[<pid>]: " or the compose "<name>  | ".
	prefix func() string
	// wrapBanner: console banner lines get the prefix too (journald and
	// compose capture stdout whole; the console indent only hits log lines).
	wrapBanner bool
	atBOL      bool
	strip      []byte // generator staging prefix, removed so paths read as host paths
}

func openNodeLog(path string, prefix func() string, wrapBanner bool, strip string) (*nodeLog, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0755); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0644)
	if err != nil {
		return nil, err
	}
	return &nodeLog{f: f, path: path, prefix: prefix, wrapBanner: wrapBanner, atBOL: true, strip: []byte(strip)}, nil
}

// writeLocked writes p, starting every line with the prefix if asked.
func (l *nodeLog) writeLocked(p []byte, prefixed bool) error {
	if len(l.strip) > 0 {
		p = bytes.Replace(p, l.strip, nil, -1)
	}
	if !prefixed || l.prefix == nil {
		_, err := l.f.Write(p)
		if len(p) > 0 {
			l.atBOL = p[len(p)-1] == '\n'
		}
		return err
	}
	var buf bytes.Buffer
	for _, c := range p {
		if l.atBOL {
			buf.WriteString(l.prefix())
			l.atBOL = false
		}
		buf.WriteByte(c)
		if c == '\n' {
			l.atBOL = true
		}
	}
	_, err := l.f.Write(buf.Bytes())
	return err
}

func (l *nodeLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.frozen || l.captured || l.f == nil {
		return len(p), nil
	}
	if err := l.writeLocked(p, true); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Raw writes console text that is not a log line (the "==> ..." banner).
func (l *nodeLog) Raw(s string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.frozen || l.captured || l.f == nil {
		return
	}
	l.writeLocked([]byte(s), l.wrapBanner)
}

// System writes a complete line of another writer into the same capture
// (systemd's own unit lines in a journal), even after the process died.
func (l *nodeLog) System(line string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.captured || l.f == nil {
		return
	}
	l.writeLocked([]byte(line+"\n"), false)
}

func (l *nodeLog) Freeze() {
	l.mu.Lock()
	l.frozen = true
	l.mu.Unlock()
}

func (l *nodeLog) Capture() {
	l.mu.Lock()
	l.captured = true
	l.mu.Unlock()
}

func (l *nodeLog) Thaw() {
	l.mu.Lock()
	l.frozen = false
	l.mu.Unlock()
}

func (l *nodeLog) Close() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.f != nil {
		l.f.Close()
		l.f = nil
	}
}

// logSet bundles the loggers of one node for one era.
type logSet struct {
	legacy bool
	out    *nodeLog
	root   hclog.Logger // hclog era
	std    *log.Logger  // legacy era: timestamped, level filtered
	mu     sync.Mutex
	named  map[string]hclog.Logger
}

func newLogSet(out *nodeLog, legacy, json bool) *logSet {
	ls := &logSet{legacy: legacy, out: out, named: map[string]hclog.Logger{}}
	if legacy {
		filter := &logutils.LevelFilter{
			Levels:   []logutils.LogLevel{"TRACE", "DEBUG", "INFO", "WARN", "ERR"},
			MinLevel: "INFO",
			Writer:   out,
		}
		ls.std = log.New(filter, "", log.LstdFlags)
	} else {
		ls.root = hclog.New(&hclog.LoggerOptions{
			Level:      hclog.Info,
			Output:     out,
			JSONFormat: json,
			TimeFormat: hclog.TimeFormat,
		})
	}
	return ls
}

// Named returns the hclog sub-logger for a module such as "agent.server".
func (ls *logSet) Named(module string) hclog.Logger {
	ls.mu.Lock()
	defer ls.mu.Unlock()
	if l, ok := ls.named[module]; ok {
		return l
	}
	l := ls.root.Named(module)
	ls.named[module] = l
	return l
}

// StdFor returns the *log.Logger handed to serf or memberlist.
func (ls *logSet) StdFor(module string) *log.Logger {
	if ls.legacy {
		return ls.std
	}
	return ls.Named(module).StandardLogger(&hclog.StandardLoggerOptions{InferLevels: true})
}

// RaftLogger returns the hclog.Logger handed to raft (raft, transport or
// snapshot store). prefix is the legacy subsystem name.
func (ls *logSet) RaftLogger(module, prefix string) hclog.Logger {
	if ls.legacy {
		return &legacyRaftLogger{std: ls.std, prefix: prefix}
	}
	return ls.Named(module)
}

func legacyLevel(l hclog.Level) string {
	switch l {
	case hclog.Trace:
		return "TRACE"
	case hclog.Debug:
		return "DEBUG"
	case hclog.Warn:
		return "WARN"
	case hclog.Error:
		return "ERR"
	default:
		return "INFO"
	}
}

// Emit writes one line of the Consul imitation. legacyText is the complete
// old-style text after the level (e.g. "consul: cluster leadership acquired");
// msg/kv are the hclog message and key/value pairs.
func (ls *logSet) Emit(level hclog.Level, module, legacyText, msg string, kv ...interface{}) {
	if ls.legacy {
		if legacyText == "" {
			return
		}
		ls.std.Printf("[%s] %s", legacyLevel(level), legacyText)
		return
	}
	if msg == "" {
		return
	}
	ls.Named(module).Log(level, msg, kv...)
}

// Banner writes console output that is not a log line (the "==> ..." lines).
func (ls *logSet) Banner(s string) {
	ls.out.Raw(s)
}

// ---------------------------------------------------------------------------
// legacyRaftLogger re-renders raft 1.1.2's structured log events into the
// printf texts of raft v0.x (Consul <= 0.6). Events with no legacy
// counterpart that raft v0.x never printed are dropped ("initial
// configuration"); others fall back to "<Message>: k=v ...".

type legacyRaftLogger struct {
	std    *log.Logger
	prefix string
	name   string
}

func kvMap(args []interface{}) map[string]interface{} {
	m := map[string]interface{}{}
	for i := 0; i+1 < len(args); i += 2 {
		if k, ok := args[i].(string); ok {
			m[k] = args[i+1]
		}
	}
	return m
}

// addrOf renders a raft peer value the way raft v0.x printed a net.Addr.
func addrOf(v interface{}) string {
	switch t := v.(type) {
	case raft.Server:
		return string(t.Address)
	case *raft.Server:
		return string(t.Address)
	case raft.ServerAddress:
		return string(t)
	case raft.ServerID:
		return string(t)
	case nil:
		return ""
	default:
		return fmt.Sprintf("%v", v)
	}
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func renderLegacyRaft(prefix string, level hclog.Level, msg string, args []interface{}) (string, hclog.Level, bool) {
	kv := kvMap(args)
	s := func(k string) string { return addrOf(kv[k]) }
	v := func(k string) interface{} { return kv[k] }
	p := prefix + ": "
	switch msg {
	case "initial configuration":
		return "", level, false
	case "entering follower state":
		return p + fmt.Sprintf("%v entering Follower state", v("follower")), level, true
	case "entering candidate state":
		return p + fmt.Sprintf("%v entering Candidate state", v("node")), level, true
	case "entering leader state":
		return p + fmt.Sprintf("%v entering Leader state", v("leader")), level, true
	case "heartbeat timeout reached, starting election":
		return p + "Heartbeat timeout reached, starting election", level, true
	case "no known peers, aborting election", "not part of stable configuration, aborting election":
		return p + "EnableSingleNode disabled, and no known peers. Aborting election.", level, true
	case "votes":
		return p + fmt.Sprintf("Votes needed: %v", v("needed")), level, true
	case "vote granted":
		return p + fmt.Sprintf("Vote granted from %s. Tally: %v", s("from"), v("tally")), level, true
	case "election won":
		return p + fmt.Sprintf("Election won. Tally: %v", v("tally")), level, true
	case "Election timeout reached, restarting election":
		return p + "Election timeout reached, restarting election", level, true
	case "added peer, starting replication":
		return p + fmt.Sprintf("Added peer %s, starting replication", s("peer")), level, true
	case "removed peer, stopping replication":
		return p + fmt.Sprintf("Removed peer %s, stopping replication (Index: %v)", s("peer"), v("last-index")), level, true
	case "removed ourself, shutting down":
		return p + "Removed ourself, shutting down", level, true
	case "removed ourself, transitioning to follower":
		return p + "Removed ourself, transitioning to follower", level, true
	case "new leader elected, stepping down":
		return p + "New leader elected, stepping down", level, true
	case "failed to contact":
		return p + fmt.Sprintf("Failed to contact %s in %v", s("server-id"), v("time")), level, true
	case "failed to contact quorum of nodes, stepping down":
		return p + "Failed to contact quorum of nodes, stepping down", level, true
	case "updating configuration":
		op := "add"
		if fmt.Sprint(v("command")) == "RemoveServer" {
			op = "remove"
		}
		return p + fmt.Sprintf("Node updated peer set (%s): %s", op, s("server-addr")), hclog.Debug, true
	case "failed to make requestVote RPC":
		return p + fmt.Sprintf("Failed to make RequestVote RPC to %s: %v", s("target"), v("error")), level, true
	case "rejecting vote request since we have a leader":
		return p + fmt.Sprintf("Rejecting vote request from %s since we have a leader: %s", s("from"), s("leader")), level, true
	case "duplicate requestVote for same term":
		return p + fmt.Sprintf("Duplicate RequestVote for same term: %v", v("term")), level, true
	case "duplicate requestVote from":
		return p + fmt.Sprintf("Duplicate RequestVote from candidate: %s", s("candidate")), level, true
	case "rejecting vote request since our last term is greater":
		return p + fmt.Sprintf("Rejecting vote request from %s since our last term is greater (%v, %v)", s("candidate"), v("last-term"), v("last-candidate-term")), level, true
	case "rejecting vote request since our last index is greater":
		return p + fmt.Sprintf("Rejecting vote request from %s since our last index is greater (%v, %v)", s("candidate"), v("last-index"), v("last-candidate-index")), level, true
	case "failed to appendEntries to":
		return p + fmt.Sprintf("Failed to AppendEntries to %s: %v", s("peer"), v("error")), level, true
	case "appendEntries rejected, sending older logs":
		return p + fmt.Sprintf("AppendEntries to %s rejected, sending older logs (next: %v)", s("peer"), v("next")), level, true
	case "failed to heartbeat to":
		return p + fmt.Sprintf("Failed to heartbeat to %s: %v", s("peer"), v("error")), level, true
	case "pipelining replication":
		return p + fmt.Sprintf("pipelining replication to peer %s", s("peer")), level, true
	case "aborting pipeline replication":
		return p + fmt.Sprintf("aborting pipeline replication to peer %s", s("peer")), level, true
	case "failed to pipeline appendEntries":
		return p + fmt.Sprintf("Failed to pipeline AppendEntries to %s: %v", s("peer"), v("error")), level, true
	case "failed to start pipeline replication to":
		return p + fmt.Sprintf("Failed to start pipeline replication to %s: %v", s("peer"), v("error")), level, true
	case "peer has newer term, stopping replication":
		return p + fmt.Sprintf("peer %s has newer term, stopping replication", s("peer")), level, true
	case "failed to get previous log":
		return p + fmt.Sprintf("Failed to get previous log: %v %v (last: %v)", v("previous-index"), v("error"), v("last-index")), level, true
	case "previous log term mis-match":
		return p + fmt.Sprintf("Previous log term mis-match: ours: %v remote: %v", v("ours"), v("remote")), level, true
	case "clearing log suffix":
		return p + fmt.Sprintf("Clearing log suffix from %v to %v", v("from"), v("to")), level, true
	case "creating new snapshot":
		return p + fmt.Sprintf("Creating new snapshot at %v", v("path")), level, true
	case "reaping snapshot":
		return p + fmt.Sprintf("reaping snapshot %v", v("path")), level, true
	case "starting snapshot up to":
		return p + fmt.Sprintf("Starting snapshot up to %v", v("index")), level, true
	case "snapshot complete up to":
		return p + fmt.Sprintf("Snapshot to %v complete", v("index")), level, true
	case "compacting logs":
		return p + fmt.Sprintf("Compacting logs from %v to %v", v("from"), v("to")), level, true
	case "no logs to truncate":
		return p + "No logs to truncate", level, true
	case "restored from snapshot":
		return p + fmt.Sprintf("Restored from snapshot %v", v("id")), level, true
	case "copied to local snapshot":
		return p + fmt.Sprintf("Copied %v bytes to local snapshot", v("bytes")), level, true
	case "accepted connection":
		return p + fmt.Sprintf("Accepted connection from %v", v("remote-address")), level, true
	case "failed to accept connection":
		return p + fmt.Sprintf("Failed to accept connection: %v", v("error")), level, true
	case "failed to decode incoming command":
		return p + fmt.Sprintf("Failed to decode incoming command: %v", v("error")), level, true
	}
	text := capitalize(msg)
	if len(args) > 0 {
		var parts []string
		for i := 0; i+1 < len(args); i += 2 {
			parts = append(parts, fmt.Sprintf("%v=%v", args[i], args[i+1]))
		}
		text += ": " + strings.Join(parts, " ")
	}
	return p + text, level, true
}

func (l *legacyRaftLogger) Log(level hclog.Level, msg string, args ...interface{}) {
	text, lvl, ok := renderLegacyRaft(l.prefix, level, msg, args)
	if !ok {
		return
	}
	l.std.Printf("[%s] %s", legacyLevel(lvl), text)
}

func (l *legacyRaftLogger) Trace(msg string, args ...interface{}) { l.Log(hclog.Trace, msg, args...) }
func (l *legacyRaftLogger) Debug(msg string, args ...interface{}) { l.Log(hclog.Debug, msg, args...) }
func (l *legacyRaftLogger) Info(msg string, args ...interface{})  { l.Log(hclog.Info, msg, args...) }
func (l *legacyRaftLogger) Warn(msg string, args ...interface{})  { l.Log(hclog.Warn, msg, args...) }
func (l *legacyRaftLogger) Error(msg string, args ...interface{}) { l.Log(hclog.Error, msg, args...) }
func (l *legacyRaftLogger) IsTrace() bool                         { return false }
func (l *legacyRaftLogger) IsDebug() bool                         { return false }
func (l *legacyRaftLogger) IsInfo() bool                          { return true }
func (l *legacyRaftLogger) IsWarn() bool                          { return true }
func (l *legacyRaftLogger) IsError() bool                         { return true }
func (l *legacyRaftLogger) ImpliedArgs() []interface{}            { return nil }
func (l *legacyRaftLogger) With(args ...interface{}) hclog.Logger { return l }
func (l *legacyRaftLogger) Name() string                          { return l.name }
func (l *legacyRaftLogger) Named(name string) hclog.Logger        { return l }
func (l *legacyRaftLogger) ResetNamed(name string) hclog.Logger   { return l }
func (l *legacyRaftLogger) SetLevel(level hclog.Level)            {}
func (l *legacyRaftLogger) StandardLogger(opts *hclog.StandardLoggerOptions) *log.Logger {
	return l.std
}
func (l *legacyRaftLogger) StandardWriter(opts *hclog.StandardLoggerOptions) io.Writer {
	return l.std.Writer()
}
