// Scenario plumbing: agent registry (used for the few imitated RPCs),
// timeline notes for the README, configuration files, capture.
package main

import (
	"errors"
	"fmt"
	"io/ioutil"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

type leaderFact struct {
	Node string
	Term uint64
	At   float64 // seconds since scenario start
	When time.Time
}

type Scenario struct {
	Name  string
	Root  string // <staging>/<scenario>
	Start time.Time
	Site  Site
	// CapturedAt is when the bundle was collected; names of per-node
	// support tarballs carry it.
	CapturedAt time.Time

	mu       sync.Mutex
	agents   []*Agent
	running  map[string]*Agent // raft address -> running server agent
	timeline []string
	leaders  []leaderFact
	extra    []string // scenario-specific README lines
}

func newScenario(staging, name string) (*Scenario, error) {
	root, err := filepath.Abs(filepath.Join(staging, name))
	if err != nil {
		return nil, err
	}
	if err := os.RemoveAll(root); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(root, 0755); err != nil {
		return nil, err
	}
	site := siteFor(name)
	applySite(site)
	return &Scenario{Name: name, Root: root, Start: time.Now(), Site: site, running: map[string]*Agent{}}, nil
}

func (sc *Scenario) since() float64 { return time.Since(sc.Start).Seconds() }

func (sc *Scenario) Note(format string, args ...interface{}) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	sc.timeline = append(sc.timeline, fmt.Sprintf("t+%5.1fs  %s", sc.since(), fmt.Sprintf(format, args...)))
}

func (sc *Scenario) recordLeader(node string, term uint64) {
	sc.mu.Lock()
	sc.leaders = append(sc.leaders, leaderFact{Node: node, Term: term, At: sc.since(), When: time.Now()})
	sc.mu.Unlock()
	sc.Note("%s becomes raft leader (term %d)", node, term)
}

func (sc *Scenario) register(a *Agent) {
	if !a.cfg.Server {
		return
	}
	sc.mu.Lock()
	sc.running[a.raftAddr()] = a
	sc.mu.Unlock()
}

func (sc *Scenario) unregister(a *Agent) {
	sc.mu.Lock()
	if sc.running[a.raftAddr()] == a {
		delete(sc.running, a.raftAddr())
	}
	sc.mu.Unlock()
}

func (sc *Scenario) lookupServer(addr string) *Agent {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	return sc.running[addr]
}

// statusPeers imitates Consul's Status.Peers RPC against the server at addr.
func (sc *Scenario) statusPeers(addr string) ([]string, error) {
	srv := sc.lookupServer(addr)
	if srv == nil {
		return nil, fmt.Errorf("dial tcp %s: connect: connection refused", addr)
	}
	if srv.legacy {
		return srv.peers.Peers()
	}
	srv.mu.Lock()
	r := srv.raft
	srv.mu.Unlock()
	if r == nil {
		return nil, errors.New("raft is shut down")
	}
	f := r.GetConfiguration()
	if err := f.Error(); err != nil {
		return nil, err
	}
	var out []string
	for _, s := range f.Configuration().Servers {
		out = append(out, string(s.Address))
	}
	return out, nil
}

// NewAgent creates the node directory and writes the agent's configuration
// file the way an operator would have.
func (sc *Scenario) NewAgent(cfg AgentConfig) (*Agent, error) {
	return sc.newAgentIn(cfg.Name, cfg)
}

func (sc *Scenario) newAgentIn(dir string, cfg AgentConfig) (*Agent, error) {
	a := &Agent{sc: sc, cfg: cfg, legacy: cfg.legacy()}
	a.nodeDir = filepath.Join(sc.Root, dir)
	a.dataDir = host(a.nodeDir, sc.Site.DataDir)
	if err := os.MkdirAll(filepath.Dir(a.configPath()), 0755); err != nil {
		return nil, err
	}
	if err := a.writeConfig(); err != nil {
		return nil, err
	}
	if sc.Site.Hosts {
		if err := sc.writeHostFiles(a); err != nil {
			return nil, err
		}
	}
	sc.mu.Lock()
	sc.agents = append(sc.agents, a)
	sc.mu.Unlock()
	return a, nil
}

// StartAll starts agents concurrently (as if their hosts booted together).
func (sc *Scenario) StartAll(agents []*Agent) error {
	errs := make(chan error, len(agents))
	var wg sync.WaitGroup
	for _, a := range agents {
		wg.Add(1)
		go func(a *Agent) {
			defer wg.Done()
			errs <- a.Start()
		}(a)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// WaitFor polls cond until it holds or the timeout expires.
func (sc *Scenario) WaitFor(timeout time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if cond() {
			return true
		}
		time.Sleep(100 * time.Millisecond)
	}
	return cond()
}

// LeaderOf returns the raft leader address seen by a running server ("" if none).
func (sc *Scenario) LeaderSeenBy(a *Agent) string {
	l, _ := a.raftLeader()
	return l
}

// Capture models the moment the support bundle was collected: every log is
// frozen first (nothing after this instant is in the bundle), then every
// running agent is stopped without leaving.
func (sc *Scenario) Capture() {
	sc.Note("bundle collected (all logs end here; agents then stopped without leave)")
	sc.CapturedAt = time.Now().UTC()
	sc.mu.Lock()
	agents := append([]*Agent(nil), sc.agents...)
	sc.mu.Unlock()
	// The collector's commands ran while the agents were still up.
	for _, a := range agents {
		sc.collect(a)
	}
	for _, a := range agents {
		if a.log != nil {
			a.log.Capture()
		}
	}
	var wg sync.WaitGroup
	for _, a := range agents {
		wg.Add(1)
		go func(a *Agent) {
			defer wg.Done()
			a.shutdown(false)
		}(a)
	}
	wg.Wait()
	for _, a := range agents {
		if a.log != nil {
			a.log.Close()
			if sc.Site.LogWrap == wrapJournald16 {
				prependJournalHeader(a.log.path, sc.Start, sc.CapturedAt)
			}
		}
	}
}

// ---------------------------------------------------------------------------
// Configuration files

type kv struct {
	k string
	v interface{}
}

func (a *Agent) configEntries() []kv {
	c := a.cfg
	join := a.joinAddrs()
	bind := c.IP
	if c.BindAddrText != "" {
		bind = c.BindAddrText
	}
	e := []kv{
		{"datacenter", dcName},
		{"node_name", c.Name},
		{"data_dir", a.sc.Site.DataDir},
		{"bind_addr", bind},
		{"advertise_addr", c.IP},
		{"server", c.Server},
	}
	if c.Server {
		e = append(e, kv{"bootstrap", c.Bootstrap})
		if c.Expect > 0 {
			e = append(e, kv{"bootstrap_expect", c.Expect})
		}
	}
	e = append(e,
		kv{"retry_join", join},
		kv{"retry_interval", durText(c.RetryInterval, "2s")},
		kv{"rejoin_after_leave", c.RejoinAfterLeave},
		kv{"leave_on_terminate", c.LeaveOnTerminate},
		kv{"skip_leave_on_interrupt", c.SkipLeaveOnInterrupt},
		kv{"log_level", "INFO"},
	)
	if c.LogJSON {
		e = append(e, kv{"log_json", true})
	}
	if !a.legacy && c.Server {
		if c.SnapshotThreshold > 0 {
			e = append(e, kv{"raft_snapshot_threshold", int(c.SnapshotThreshold)})
		}
		if c.SnapshotInterval > 0 {
			e = append(e, kv{"raft_snapshot_interval", c.SnapshotInterval.String()})
		}
	}
	if c.AutopilotCleanup != nil && c.Server {
		e = append(e, kv{"autopilot", []kv{{"cleanup_dead_servers", *c.AutopilotCleanup}}})
	}
	ports := []kv{{"server", raftPort}, {"serf_lan", lanPort}, {"serf_wan", wanPort}}
	if !c.Server {
		ports = []kv{{"serf_lan", lanPort}}
	}
	// An operator writes the ports block only when leaving the defaults.
	if raftPort != 8300 || lanPort != 8301 || wanPort != 8302 {
		e = append(e, kv{"ports", ports})
	}
	if !a.legacy && c.RaftMultiplier <= 1 {
		e = append(e, kv{"performance", []kv{{"raft_multiplier", 1}}})
	}
	return e
}

func durText(d time.Duration, def string) string {
	if d == 0 {
		return def
	}
	return d.String()
}

func scalarText(v interface{}) string {
	switch t := v.(type) {
	case string:
		return strconv.Quote(t)
	case bool:
		return strconv.FormatBool(t)
	case int:
		return strconv.Itoa(t)
	case []string:
		var q []string
		for _, s := range t {
			q = append(q, strconv.Quote(s))
		}
		return "[" + strings.Join(q, ", ") + "]"
	}
	return fmt.Sprint(v)
}

func renderJSON(entries []kv, indent string) string {
	var b strings.Builder
	b.WriteString("{\n")
	for i, e := range entries {
		b.WriteString(indent + "  " + strconv.Quote(e.k) + ": ")
		if sub, ok := e.v.([]kv); ok {
			b.WriteString(strings.TrimRight(renderJSON(sub, indent+"  "), "\n"))
		} else {
			b.WriteString(scalarText(e.v))
		}
		if i < len(entries)-1 {
			b.WriteString(",")
		}
		b.WriteString("\n")
	}
	b.WriteString(indent + "}\n")
	return b.String()
}

func renderHCL(entries []kv, indent string) string {
	var b strings.Builder
	for _, e := range entries {
		if sub, ok := e.v.([]kv); ok {
			b.WriteString(indent + e.k + " {\n")
			b.WriteString(renderHCL(sub, indent+"  "))
			b.WriteString(indent + "}\n")
			continue
		}
		b.WriteString(indent + e.k + " = " + scalarText(e.v) + "\n")
	}
	return b.String()
}

// configPath is where the agent's configuration file lives on its host.
func (a *Agent) configPath() string {
	p := host(a.nodeDir, a.sc.Site.ConfigPath)
	if a.cfg.ConfigHCL && !a.sc.Site.hcl() {
		p = strings.TrimSuffix(p, filepath.Ext(p)) + ".hcl"
	}
	return p
}

func (a *Agent) writeConfig() error {
	p := a.configPath()
	if strings.HasSuffix(p, ".hcl") {
		return ioutil.WriteFile(p, []byte(renderHCL(a.configEntries(), "")), 0644)
	}
	return ioutil.WriteFile(p, []byte(renderJSON(a.configEntries(), "")), 0644)
}

func (sc *Scenario) sortedLeaders() []leaderFact {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	out := append([]leaderFact(nil), sc.leaders...)
	sort.SliceStable(out, func(i, j int) bool { return out[i].At < out[j].At })
	return out
}
