// Helpers shared by the scenarios written against sites (127.0.3.0/24).
package main

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"
)

func boolPtr(b bool) *bool { return &b }

// defaultPorts is Consul's own: server RPC/raft 8300, serf LAN 8301, WAN 8302.
func withDefaultPorts(s Site) Site {
	s.RaftPort, s.LANPort, s.WANPort = 8300, 8301, 8302
	return s
}

// newAgents creates one agent per config, in order.
func (sc *Scenario) newAgents(cfgs []AgentConfig) ([]*Agent, error) {
	var out []*Agent
	for _, c := range cfgs {
		dir := c.Host
		if dir == "" {
			dir = c.Name
		}
		a, err := sc.newAgentIn(dir, c)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

// waitHealthy waits until the leader among servers has every name
// registered with a passing serfHealth check.
func (sc *Scenario) waitHealthy(servers []*Agent, d time.Duration, names ...string) error {
	if !sc.WaitFor(d, func() bool { return catalogAll(servers, healthPassing, names...) }) {
		return fmt.Errorf("cluster never became healthy (%s)", strings.Join(names, ", "))
	}
	return nil
}

func names(agents []*Agent) []string {
	var out []string
	for _, a := range agents {
		out = append(out, a.cfg.Name)
	}
	return out
}

func without(agents []*Agent, drop ...*Agent) []*Agent {
	var out []*Agent
	for _, a := range agents {
		keep := true
		for _, d := range drop {
			if a == d {
				keep = false
			}
		}
		if keep {
			out = append(out, a)
		}
	}
	return out
}

// followers returns the servers that are not the current leader, by name.
func followers(servers []*Agent) []*Agent {
	l := clusterLeader(servers)
	var out []*Agent
	for _, a := range servers {
		if a != l {
			out = append(out, a)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].cfg.Name < out[j].cfg.Name })
	return out
}

// inConfig reports whether the running agent's latest raft configuration
// holds addr.
func (a *Agent) inConfig(addr string) bool {
	a.mu.Lock()
	r := a.raft
	a.mu.Unlock()
	if r == nil {
		return false
	}
	f := r.GetConfiguration()
	if f.Error() != nil {
		return false
	}
	for _, s := range f.Configuration().Servers {
		if string(s.Address) == addr {
			return true
		}
	}
	return false
}

// ---------------------------------------------------------------------------
// Inspection helpers: times come from the logs (UTC), as a tool would read
// them.

// earliest returns the earliest timestamp of a line containing sub among
// the named nodes, and the node that logged it.
func (r *result) earliest(sub string, nodes ...string) (string, string) {
	best, who := "", ""
	for _, name := range nodes {
		n := r.node(name)
		if n == nil {
			continue
		}
		if t := n.Log.First(sub); t != "" && (best == "" || t < best) {
			best, who = t, name
		}
	}
	return best, who
}

// lastConfigNames maps the addresses of a node's latest configuration to
// names using the agents' addresses.
func lastConfigAddrs(n *nodeResult) []string {
	if n == nil {
		return nil
	}
	_, c := n.LastConfig()
	return sortedCopy(c)
}

// survivorWithMostLog names, among nodes, the one whose raft.db has the
// highest (last term, last index).
func (r *result) survivorWithMostLog(nodes ...string) (string, uint64, uint64) {
	best, bt, bi := "", uint64(0), uint64(0)
	for _, name := range nodes {
		n := r.node(name)
		if n == nil || n.DB == nil || len(n.DB.Entries) == 0 {
			continue
		}
		e := n.DB.Entries[len(n.DB.Entries)-1]
		if best == "" || e.Term > bt || (e.Term == bt && e.Index > bi) {
			best, bt, bi = name, e.Term, e.Index
		}
	}
	return best, bt, bi
}

func (r *result) hasCommand(node, cmd, sub string) bool {
	n := r.node(node)
	return n != nil && strings.Contains(n.Commands[cmd], sub)
}

// caughtUp: the agent runs, knows a leader and has applied (nearly) all
// of the leader's log.
func (a *Agent) caughtUp(l *Agent) bool {
	a.mu.Lock()
	r, up := a.raft, a.running
	a.mu.Unlock()
	l.mu.Lock()
	lr := l.raft
	l.mu.Unlock()
	if !up || r == nil || lr == nil || r.Leader() == "" {
		return false
	}
	return lr.LastIndex() <= r.AppliedIndex()+2
}

// leadershipLines renders the scenario's leaderships with log-format
// times of agent a.
func leadershipLines(sc *Scenario, a *Agent) []string {
	var out []string
	for _, l := range sc.sortedLeaders() {
		out = append(out, fmt.Sprintf("%s led term %d from %s", l.Node, l.Term, a.logStamp(l.When)))
	}
	return out
}

// lifeLines renders what happened to each agent's process.
func lifeLines(agents []*Agent) []string {
	var out []string
	for _, a := range agents {
		var ev []string
		for i, e := range a.history {
			if i == 0 && e.What == "start" {
				continue
			}
			what := map[string]string{"start": "started", "stop": "stopped (no leave)", "leave": "left gracefully and stopped", "kill": "killed"}[e.What]
			ev = append(ev, what+" at "+a.logStamp(e.At))
		}
		if len(ev) > 0 {
			out = append(out, a.cfg.Name+": "+strings.Join(ev, ", "))
		}
	}
	return out
}

// start creates the agents and starts them together.
func (sc *Scenario) start(cfgs []AgentConfig, note string) ([]*Agent, error) {
	agents, err := sc.newAgents(cfgs)
	if err != nil {
		return nil, err
	}
	sc.Note("%s", note)
	return agents, sc.StartAll(agents)
}

// startHealthy starts the agents and waits until the leader among the
// servers has registered every agent with a passing serfHealth check.
func (sc *Scenario) startHealthy(cfgs []AgentConfig, note string) (agents, servers []*Agent, leader *Agent, err error) {
	if agents, err = sc.start(cfgs, note); err != nil {
		return nil, nil, nil, err
	}
	for _, a := range agents {
		if a.cfg.Server {
			servers = append(servers, a)
		}
	}
	if err = sc.waitHealthy(servers, 40*time.Second, names(agents)...); err != nil {
		return nil, nil, nil, err
	}
	leader = clusterLeader(servers)
	sc.Note("cluster healthy, leader %s (term %d)", leader.cfg.Name, leader.term())
	return agents, servers, leader, nil
}

// failover kills the victim (no leave) and waits until a leader among the
// other servers has marked it critical; it returns that leader.
func (sc *Scenario) failover(servers []*Agent, victim *Agent, note string) (*Agent, error) {
	sc.Note("%s", note)
	victim.Kill()
	rest := without(servers, victim)
	if !sc.WaitFor(30*time.Second, func() bool {
		return clusterLeader(rest) != nil && catalogAll(rest, healthCritical, victim.cfg.Name)
	}) {
		return nil, fmt.Errorf("no leader marked %s critical", victim.cfg.Name)
	}
	l := clusterLeader(rest)
	sc.Note("leader %s (term %d) marked %s critical", l.cfg.Name, l.term(), victim.cfg.Name)
	return l, nil
}

// interruptAll interrupts the agents at the same moment (graceful leave)
// and returns when all have exited.
func interruptAll(agents []*Agent) {
	var wg sync.WaitGroup
	for _, a := range agents {
		wg.Add(1)
		go func(a *Agent) {
			defer wg.Done()
			a.Interrupt()
		}(a)
	}
	wg.Wait()
}
