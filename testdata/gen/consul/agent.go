// A simulated Consul agent built from the real libraries Consul is made of:
// memberlist + serf (LAN, and WAN for servers), hashicorp/raft with
// raft-boltdb and a file snapshot store, over TCP on a loopback address.
// The Consul parts (bootstrap, leader reconcile, anti-entropy, log texts)
// are imitated from Consul's documented behaviour.
package main

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"io/ioutil"
	"math/rand"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	hclog "github.com/hashicorp/go-hclog"
	"github.com/hashicorp/memberlist"
	"github.com/hashicorp/raft"
	raftboltdb "github.com/hashicorp/raft-boltdb"
	"github.com/hashicorp/serf/serf"
)

const (
	newLeaderEvent = "consul:new-leader"
	statusReap     = serf.MemberStatus(-1)

	reconcileInterval  = 5 * time.Second  // Consul: 60s
	aeRetryInterval    = 3 * time.Second  // Consul: ~15-30s after a failed sync
	aeSyncInterval     = 20 * time.Second // Consul: ~1min, scaled by cluster size
	coordinateInterval = 5 * time.Second  // Consul: >= 15s, scaled by cluster size
	raftRemoveGrace    = 5 * time.Second  // Consul's raftRemoveGracePeriod
)

var errNoLeader = errors.New("No cluster leader")

type AgentConfig struct {
	Name      string
	IP        string
	Server    bool
	Bootstrap bool
	Expect    int
	// Era is "0.5", "0.6" (legacy log format, raft protocol 1, legacy
	// peers.json) or "1.8" (hclog, raft protocol 3).
	Era                  string
	RetryJoin            []string // IPs of the agents to join (serf LAN port appended)
	RetryInterval        time.Duration
	RejoinAfterLeave     bool
	LeaveOnTerminate     bool
	SkipLeaveOnInterrupt bool
	LogJSON              bool
	ConfigHCL            bool
	Indent               bool // legacy console capture: 4 leading spaces
	SnapshotThreshold    uint64
	SnapshotInterval     time.Duration
	GossipToTheDead      time.Duration
	DeadNodeReclaim      time.Duration
	RaftMultiplier       int      // Consul performance.raft_multiplier (0 -> 1)
	NoBanner             bool     // log captured with "consul monitor": no console banner
	Host                 string   // host name (journald lines, etc/hostname); default Name
	Service              string   // docker compose service name; default Name
	RetryJoinAddrs       []string // retry_join entries as written (host names); default RetryJoin
	BindAddrText         string   // bind_addr as written in the configuration; default IP
	// ReconnectTimeout and ReapInterval are serf's: how long a failed
	// member is kept before it is reaped, and how often the reaper runs.
	// Consul's reconnect_timeout is >= 8h; scenarios that need a reap
	// within a run compress it (and say so in their README).
	ReconnectTimeout time.Duration
	ReapInterval     time.Duration
	AutopilotCleanup *bool // autopilot { cleanup_dead_servers } as written in the configuration
}

func (c AgentConfig) legacy() bool { return c.Era == "0.5" || c.Era == "0.6" }

type serverParts struct {
	Name       string
	ID         string
	Datacenter string
	Port       int
	Bootstrap  bool
	Expect     int
	Addr       string // ip:port of the server RPC/raft port
}

func (p serverParts) String() string {
	return fmt.Sprintf("%s (Addr: tcp/%s) (DC: %s)", p.Name, p.Addr, p.Datacenter)
}

func isServer(m serf.Member) (serverParts, bool) {
	if m.Tags["role"] != "consul" {
		return serverParts{}, false
	}
	port, err := strconv.Atoi(m.Tags["port"])
	if err != nil {
		return serverParts{}, false
	}
	if _, err := strconv.Atoi(m.Tags["vsn"]); err != nil {
		return serverParts{}, false
	}
	expect := 0
	if e, ok := m.Tags["expect"]; ok {
		expect, _ = strconv.Atoi(e)
	}
	_, boot := m.Tags["bootstrap"]
	return serverParts{
		Name:       m.Name,
		ID:         m.Tags["id"],
		Datacenter: m.Tags["dc"],
		Port:       port,
		Bootstrap:  boot,
		Expect:     expect,
		Addr:       net.JoinHostPort(m.Addr.String(), strconv.Itoa(port)),
	}, true
}

type Agent struct {
	sc      *Scenario
	cfg     AgentConfig
	nodeDir string
	dataDir string
	legacy  bool
	nodeID  string

	log *nodeLog
	ls  *logSet

	mu       sync.Mutex
	running  bool
	stopCh   chan struct{}
	wg       sync.WaitGroup
	starts   int
	isLeader int32

	serfLAN     *serf.Serf
	serfWAN     *serf.Serf
	raft        *raft.Raft
	store       *raftboltdb.BoltStore
	trans       *raft.NetworkTransport
	fsm         *catalogFSM
	peers       *legacyPeers
	notifyCh    chan bool
	reconcileCh chan serf.Member
	expect      int
	left        bool
	stuck       bool
	pid         int
	// history: what happened to the process, for the README.
	history []lifeEvent
}

type lifeEvent struct {
	What string // "start", "stop" (clean, no leave), "leave" (graceful leave), "kill"
	At   time.Time
}

func (a *Agent) record(what string) {
	a.history = append(a.history, lifeEvent{What: what, At: time.Now()})
}

// lastEvent returns the time of the agent's last event of a kind.
func (a *Agent) lastEvent(what string) time.Time {
	for i := len(a.history) - 1; i >= 0; i-- {
		if a.history[i].What == what {
			return a.history[i].At
		}
	}
	return time.Time{}
}

func (a *Agent) raftAddr() string { return net.JoinHostPort(a.cfg.IP, strconv.Itoa(raftPort)) }
func (a *Agent) lanAddr() string  { return net.JoinHostPort(a.cfg.IP, strconv.Itoa(lanPort)) }

func (a *Agent) era() string { return a.cfg.Era }

// version is the Consul version the agent claims (banner, build tag,
// `consul info`).
func (a *Agent) version() string {
	v := a.sc.Site.Version
	if a.legacy {
		if strings.HasPrefix(v, "0.") {
			return v
		}
		return a.cfg.Era + ".2"
	}
	if strings.HasPrefix(v, "1.") {
		return v
	}
	return "1.8.4"
}

func (a *Agent) hostName() string {
	if a.cfg.Host != "" {
		return a.cfg.Host
	}
	return a.cfg.Name
}

func (a *Agent) serviceName() string {
	if a.cfg.Service != "" {
		return a.cfg.Service
	}
	return a.cfg.Name
}

// joinAddrs are the retry_join entries as the configuration has them.
func (a *Agent) joinAddrs() []string {
	if len(a.cfg.RetryJoinAddrs) > 0 {
		return a.cfg.RetryJoinAddrs
	}
	var out []string
	for _, ip := range a.cfg.RetryJoin {
		if lanPort == 8301 {
			out = append(out, ip) // the default port goes unsaid
		} else {
			out = append(out, net.JoinHostPort(ip, strconv.Itoa(lanPort)))
		}
	}
	return out
}

// deterministicUUID derives a v4-shaped UUID from a seed string.
func deterministicUUID(seed string) string {
	h := sha256.Sum256([]byte(seed))
	h[6] = (h[6] & 0x0f) | 0x40
	h[8] = (h[8] & 0x3f) | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", h[0:4], h[4:6], h[6:8], h[8:10], h[10:16])
}

func (a *Agent) ensureNodeID() error {
	path := filepath.Join(a.dataDir, "node-id")
	if b, err := ioutil.ReadFile(path); err == nil {
		a.nodeID = strings.TrimSpace(string(b))
		return nil
	}
	if a.nodeID == "" {
		a.nodeID = deterministicUUID("quorumscope/" + a.sc.Name + "/" + a.cfg.Name + "/" + a.cfg.IP)
	}
	// Consul writes the bare UUID, no newline, mode 0600.
	return ioutil.WriteFile(path, []byte(a.nodeID), 0600)
}

func (a *Agent) tags(wan bool) map[string]string {
	t := map[string]string{}
	if a.legacy {
		if a.cfg.Server {
			t["role"] = "consul"
			t["dc"] = dcName
			t["vsn"] = "2"
			t["vsn_min"] = "1"
			t["vsn_max"] = "2"
			t["build"] = a.version() + ":simulated"
			t["port"] = strconv.Itoa(raftPort)
		} else {
			t["role"] = "node"
			t["dc"] = dcName
			t["vsn"] = "2"
			t["vsn_min"] = "1"
			t["vsn_max"] = "2"
			t["build"] = a.version() + ":simulated"
		}
	} else {
		t["dc"] = dcName
		t["id"] = a.nodeID
		t["vsn"] = "2"
		t["vsn_min"] = "2"
		t["vsn_max"] = "3"
		t["build"] = a.version() + ":simulated"
		if !wan {
			t["segment"] = ""
		}
		if a.cfg.Server {
			t["role"] = "consul"
			t["raft_vsn"] = "3"
			t["port"] = strconv.Itoa(raftPort)
			if !wan {
				t["wan_join_port"] = strconv.Itoa(wanPort)
			}
		} else {
			t["role"] = "node"
		}
	}
	if a.cfg.Server {
		if a.cfg.Bootstrap {
			t["bootstrap"] = "1"
		}
		if a.cfg.Expect > 0 {
			t["expect"] = strconv.Itoa(a.cfg.Expect)
		}
	}
	return t
}

// ---------------------------------------------------------------------------
// Start-up

func (a *Agent) banner() {
	c := a.cfg
	if c.NoBanner {
		return
	}
	var b strings.Builder
	if a.legacy {
		if c.Bootstrap {
			b.WriteString("==> WARNING: Bootstrap mode enabled! Do not enable unless necessary\n")
		}
		if c.Expect > 0 {
			fmt.Fprintf(&b, "==> WARNING: Expect Mode enabled, expecting %d servers\n", c.Expect)
		}
		b.WriteString("==> Starting Consul agent...\n")
		b.WriteString("==> Starting Consul agent RPC...\n")
		b.WriteString("==> Consul agent running!\n")
		fmt.Fprintf(&b, "         Node name: '%s'\n", c.Name)
		fmt.Fprintf(&b, "        Datacenter: '%s'\n", dcName)
		fmt.Fprintf(&b, "            Server: %v (bootstrap: %v)\n", c.Server, c.Bootstrap)
		b.WriteString("       Client Addr: 127.0.0.1 (HTTP: 8500, HTTPS: -1, DNS: 8600, RPC: 8400)\n")
		fmt.Fprintf(&b, "      Cluster Addr: %s (LAN: %d, WAN: %d)\n", c.IP, lanPort, wanPort)
		b.WriteString("    Gossip encrypt: false, RPC-TLS: false, TLS-Incoming: false\n")
		b.WriteString("             Atlas: <disabled>\n")
		b.WriteString("\n==> Log data will now stream in as it occurs:\n\n")
	} else {
		b.WriteString("==> Starting Consul agent...\n")
		fmt.Fprintf(&b, "           Version: 'v%s'\n", a.version())
		fmt.Fprintf(&b, "           Node ID: '%s'\n", a.nodeID)
		fmt.Fprintf(&b, "         Node name: '%s'\n", c.Name)
		fmt.Fprintf(&b, "        Datacenter: '%s' (Segment: '%s')\n", dcName, map[bool]string{true: "<all>", false: ""}[c.Server])
		fmt.Fprintf(&b, "            Server: %v (Bootstrap: %v)\n", c.Server, c.Bootstrap)
		b.WriteString("       Client Addr: [127.0.0.1] (HTTP: 8500, HTTPS: -1, gRPC: -1, DNS: 8600)\n")
		fmt.Fprintf(&b, "      Cluster Addr: %s (LAN: %d, WAN: %d)\n", c.IP, lanPort, wanPort)
		b.WriteString("           Encrypt: Gossip: false, TLS-Outgoing: false, TLS-Incoming: false, Auto-Encrypt-TLS: false\n")
		b.WriteString("\n==> Log data will now stream in as it occurs:\n\n")
	}
	a.ls.Banner(b.String())
}

// Start runs the agent (first start or restart from its data dir).
func (a *Agent) Start() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.running {
		return nil
	}
	a.starts++
	if a.log == nil {
		if err := a.openLog(); err != nil {
			return err
		}
	}
	a.log.Thaw()
	a.record("start")
	a.pid = a.nextPID()
	a.systemd("Started " + a.unitDescription() + ".")
	a.ls = newLogSet(a.log, a.legacy, a.cfg.LogJSON)
	a.stopCh = make(chan struct{})
	a.left = false
	a.stuck = false
	if err := os.MkdirAll(a.dataDir, 0755); err != nil {
		return err
	}
	if !a.legacy {
		if err := a.ensureNodeID(); err != nil {
			return err
		}
	}
	a.banner()
	if !a.legacy {
		if a.cfg.Bootstrap {
			a.ls.Emit(hclog.Warn, "agent", "", "bootstrap = true: do not enable unless necessary")
		}
	}
	a.expect = a.cfg.Expect
	a.reconcileCh = make(chan serf.Member, 256)
	if a.cfg.Server {
		if err := a.setupRaft(); err != nil {
			return fmt.Errorf("%s: raft: %v", a.cfg.Name, err)
		}
	}
	lanCh := make(chan serf.Event, 2048)
	s, err := a.setupSerf(false, lanCh)
	if err != nil {
		return fmt.Errorf("%s: serf lan: %v", a.cfg.Name, err)
	}
	a.serfLAN = s
	var wanCh chan serf.Event
	if a.cfg.Server {
		wanCh = make(chan serf.Event, 2048)
		w, err := a.setupSerf(true, wanCh)
		if err != nil {
			return fmt.Errorf("%s: serf wan: %v", a.cfg.Name, err)
		}
		a.serfWAN = w
	}
	a.running = true
	a.sc.register(a)

	a.spawn(func() { a.lanEventLoop(lanCh, a.serfLAN) })
	if wanCh != nil {
		a.spawn(func() { a.wanEventLoop(wanCh, a.serfWAN) })
	}
	if a.cfg.Server {
		a.spawn(a.monitorLeadership)
		if a.stuck {
			a.spawn(a.legacyNoPeersLoop)
		}
	}
	if !a.legacy {
		a.ls.Emit(hclog.Info, "agent", "", "started state syncer")
		a.ls.Emit(hclog.Info, "agent", "", "Consul agent running!")
	}
	a.spawn(a.antiEntropyLoop)
	if a.era() != "0.5" {
		a.spawn(a.coordinateLoop)
	}
	if len(a.joinAddrs()) > 0 {
		a.spawn(a.retryJoinLoop)
	}
	return nil
}

func (a *Agent) spawn(f func()) {
	a.wg.Add(1)
	go func() {
		defer a.wg.Done()
		f()
	}()
}

func (a *Agent) stopped() bool {
	select {
	case <-a.stopCh:
		return true
	default:
		return false
	}
}

func (a *Agent) sleep(d time.Duration) bool {
	select {
	case <-a.stopCh:
		return false
	case <-time.After(d):
		return true
	}
}

func (a *Agent) setupSerf(wan bool, ch chan serf.Event) (*serf.Serf, error) {
	conf := serf.DefaultConfig()
	conf.Init()
	var ml *memberlist.Config
	name := a.cfg.Name
	port := lanPort
	pool := "lan"
	snap := "local.snapshot"
	if wan {
		ml = memberlist.DefaultWANConfig()
		name = a.cfg.Name + "." + dcName
		port = wanPort
		pool = "wan"
		snap = "remote.snapshot"
	} else {
		ml = memberlist.DefaultLANConfig()
	}
	role := "server"
	if !a.cfg.Server {
		role = "client"
	}
	ml.Name = name
	ml.BindAddr = a.cfg.IP
	ml.BindPort = port
	ml.AdvertiseAddr = a.cfg.IP
	ml.AdvertisePort = port
	ml.LogOutput = nil
	ml.Logger = a.ls.StdFor("agent." + role + ".memberlist." + pool)
	if a.cfg.GossipToTheDead > 0 {
		ml.GossipToTheDeadTime = a.cfg.GossipToTheDead
	}
	if !a.legacy && !wan {
		ml.DeadNodeReclaimTime = 30 * time.Second
	}
	if a.cfg.DeadNodeReclaim > 0 {
		ml.DeadNodeReclaimTime = a.cfg.DeadNodeReclaim
	}
	conf.MemberlistConfig = ml
	conf.NodeName = name
	conf.Tags = a.tags(wan)
	conf.EventCh = ch
	conf.LogOutput = nil
	conf.Logger = a.ls.StdFor("agent." + role + ".serf." + pool)
	conf.SnapshotPath = filepath.Join(a.dataDir, "serf", snap)
	conf.RejoinAfterLeave = a.cfg.RejoinAfterLeave
	if a.legacy {
		conf.LeavePropagateDelay = 0
	} else {
		conf.EnableNameConflictResolution = false
		conf.LeavePropagateDelay = 3 * time.Second
		conf.ReconnectTimeout = 72 * time.Hour
	}
	if a.cfg.ReconnectTimeout > 0 {
		conf.ReconnectTimeout = a.cfg.ReconnectTimeout
	}
	if a.cfg.ReapInterval > 0 {
		conf.ReapInterval = a.cfg.ReapInterval
	}
	if err := os.MkdirAll(filepath.Dir(conf.SnapshotPath), 0755); err != nil {
		return nil, err
	}
	return serf.Create(conf)
}

func (a *Agent) peersInfoText() string {
	// Paraphrase of the sentinel note Consul >= 0.7 leaves in raft/; the
	// analyzer only cares about the file's presence.
	return "This file marks a Consul data directory whose raft peers are kept in\n" +
		"raft.db. Do not create raft/peers.json unless you are recovering from\n" +
		"an outage: when present at start-up it replaces the raft configuration\n" +
		"and is deleted afterwards. See Consul's outage recovery guide.\n"
}

func (a *Agent) setupRaft() error {
	dir := filepath.Join(a.dataDir, "raft")
	if err := os.MkdirAll(dir, 0755); err != nil {
		return err
	}
	if !a.legacy {
		info := filepath.Join(dir, "peers.info")
		if _, err := os.Stat(info); os.IsNotExist(err) {
			if err := ioutil.WriteFile(info, []byte(a.peersInfoText()), 0755); err != nil {
				return err
			}
		}
	}
	store, err := raftboltdb.NewBoltStore(filepath.Join(dir, "raft.db"))
	if err != nil {
		return err
	}
	var logs raft.LogStore = store
	if a.legacy {
		a.peers = newLegacyPeers(filepath.Join(dir, "peers.json"), a.raftAddr())
		logs = &legacyLogStore{LogStore: store, peers: a.peers}
	}
	cache, err := raft.NewLogCache(512, logs)
	if err != nil {
		store.Close()
		return err
	}
	snaps, err := raft.NewFileSnapshotStoreWithLogger(dir, 2, a.ls.RaftLogger("agent.server.raft.snapshot", "snapshot"))
	if err != nil {
		store.Close()
		return err
	}
	tcpAddr, _ := net.ResolveTCPAddr("tcp", a.raftAddr())
	trans, err := raft.NewTCPTransportWithLogger(a.raftAddr(), tcpAddr, 3, 10*time.Second, a.ls.RaftLogger("agent.server.raft", "raft-net"))
	if err != nil {
		store.Close()
		return err
	}
	conf := raft.DefaultConfig()
	if a.legacy {
		conf.ProtocolVersion = 1
		conf.LocalID = raft.ServerID(a.raftAddr())
	} else {
		conf.ProtocolVersion = 3
		conf.LocalID = raft.ServerID(a.nodeID)
	}
	conf.Logger = a.ls.RaftLogger("agent.server.raft", "raft")
	conf.ShutdownOnRemove = false
	if m := a.cfg.RaftMultiplier; m > 1 {
		conf.HeartbeatTimeout *= time.Duration(m)
		conf.ElectionTimeout *= time.Duration(m)
		conf.LeaderLeaseTimeout *= time.Duration(m)
	}
	conf.SnapshotThreshold = 16384
	conf.SnapshotInterval = 30 * time.Second
	if a.cfg.SnapshotThreshold > 0 {
		conf.SnapshotThreshold = a.cfg.SnapshotThreshold
	}
	if a.cfg.SnapshotInterval > 0 {
		conf.SnapshotInterval = a.cfg.SnapshotInterval
	}
	a.notifyCh = make(chan bool, 10)
	conf.NotifyCh = a.notifyCh

	hasState, err := raft.HasExistingState(cache, store, snaps)
	if err != nil {
		store.Close()
		trans.Close()
		return err
	}
	if a.legacy && hasState {
		// raft v0.x took its peer set from peers.json, not from the log: an
		// empty set (null, [], or only ourselves) means this server never
		// starts an election. Emulated by keeping raft 1.1.2 from timing out.
		if a.peers.OtherPeers() == 0 {
			a.stuck = true
			conf.HeartbeatTimeout = time.Hour
			conf.ElectionTimeout = time.Hour
		}
	}
	if a.cfg.Bootstrap && !hasState {
		self := raft.Configuration{Servers: []raft.Server{{Suffrage: raft.Voter, ID: conf.LocalID, Address: trans.LocalAddr()}}}
		if err := raft.BootstrapCluster(conf, cache, store, snaps, trans, self); err != nil {
			store.Close()
			trans.Close()
			return err
		}
	}
	a.fsm = newCatalogFSM(a.legacy)
	r, err := raft.NewRaft(conf, a.fsm, cache, store, snaps, trans)
	if err != nil {
		store.Close()
		trans.Close()
		return err
	}
	a.raft, a.store, a.trans = r, store, trans
	return nil
}

// legacyNoPeersLoop repeats raft v0.x's follower warning on every heartbeat
// timeout while the peer set is empty (imitation, see setupRaft).
func (a *Agent) legacyNoPeersLoop() {
	for {
		d := time.Second + time.Duration(rand.Int63n(int64(time.Second)))
		if !a.sleep(d) {
			return
		}
		a.ls.Emit(hclog.Warn, "", "raft: EnableSingleNode disabled, and no known peers. Aborting election.", "")
	}
}

// ---------------------------------------------------------------------------
// Serf event handling

func (a *Agent) lanEventLoop(ch chan serf.Event, s *serf.Serf) {
	for {
		select {
		case e := <-ch:
			if a.stopped() {
				continue
			}
			a.handleLANEvent(e)
		case <-s.ShutdownCh():
			return
		}
	}
}

func (a *Agent) wanEventLoop(ch chan serf.Event, s *serf.Serf) {
	for {
		select {
		case e := <-ch:
			if a.stopped() {
				continue
			}
			me, ok := e.(serf.MemberEvent)
			if !ok {
				continue
			}
			for _, m := range me.Members {
				p, ok := isServer(m)
				if !ok {
					continue
				}
				if a.legacy {
					switch me.Type {
					case serf.EventMemberJoin:
						a.ls.Emit(hclog.Info, "", fmt.Sprintf("consul: adding WAN server %s (Addr: %s) (DC: %s)", m.Name, p.Addr, p.Datacenter), "")
					case serf.EventMemberLeave, serf.EventMemberFailed:
						a.ls.Emit(hclog.Info, "", fmt.Sprintf("consul: removing WAN server %s", m.Name), "")
					}
					continue
				}
				switch me.Type {
				case serf.EventMemberJoin, serf.EventMemberLeave, serf.EventMemberFailed, serf.EventMemberReap:
					a.ls.Emit(hclog.Info, "agent.server", "", "Handled event for server in area",
						"event", me.Type.String(), "server", m.Name, "area", "wan")
				}
			}
		case <-s.ShutdownCh():
			return
		}
	}
}

func (a *Agent) forward(m serf.Member) {
	if atomic.LoadInt32(&a.isLeader) == 0 {
		return
	}
	select {
	case a.reconcileCh <- m:
	default:
	}
}

func (a *Agent) handleLANEvent(e serf.Event) {
	switch ev := e.(type) {
	case serf.MemberEvent:
		switch ev.Type {
		case serf.EventMemberJoin:
			for _, m := range ev.Members {
				if p, ok := isServer(m); ok {
					if a.cfg.Server {
						a.ls.Emit(hclog.Info, "agent.server",
							fmt.Sprintf("consul: adding LAN server %s (Addr: %s) (DC: %s)", p.Name, p.Addr, p.Datacenter),
							"Adding LAN server", "server", p.String())
						if !a.legacy && m.Name != a.cfg.Name && a.serfWAN != nil {
							// Consul >= 0.8 floods LAN servers into the WAN pool.
							wanAddr := net.JoinHostPort(m.Addr.String(), strconv.Itoa(wanPort))
							go a.serfWAN.Join([]string{wanAddr}, true)
						}
					} else {
						a.ls.Emit(hclog.Info, "agent.client",
							fmt.Sprintf("consul: adding server %s", p.String()),
							"adding server", "server", p.String())
					}
				}
			}
			if a.cfg.Server && a.expect > 0 {
				a.maybeBootstrap()
			}
		case serf.EventMemberLeave, serf.EventMemberFailed:
			for _, m := range ev.Members {
				if p, ok := isServer(m); ok {
					if a.cfg.Server {
						a.ls.Emit(hclog.Info, "agent.server",
							fmt.Sprintf("consul: removing LAN server %s (Addr: %s) (DC: %s)", p.Name, p.Addr, p.Datacenter),
							"Removing LAN server", "server", p.String())
					} else {
						a.ls.Emit(hclog.Info, "agent.client",
							fmt.Sprintf("consul: removing server %s", p.String()),
							"removing server", "server", p.String())
					}
				}
			}
		case serf.EventMemberReap:
			for i := range ev.Members {
				ev.Members[i].Status = statusReap
			}
		}
		if a.cfg.Server {
			for _, m := range ev.Members {
				a.forward(m)
			}
		}
	case serf.UserEvent:
		if ev.Name == newLeaderEvent && a.cfg.Server {
			a.ls.Emit(hclog.Info, "agent.server",
				fmt.Sprintf("consul: New leader elected: %s", ev.Payload),
				"New leader elected", "payload", string(ev.Payload))
		}
	}
}

// ---------------------------------------------------------------------------
// Bootstrap (bootstrap_expect)

func (a *Agent) maybeBootstrap() {
	idx, err := a.store.LastIndex()
	if err != nil {
		return
	}
	if idx != 0 {
		a.ls.Emit(hclog.Info, "agent.server", "consul: Raft data found, disabling bootstrap mode",
			"Raft data found, disabling bootstrap mode")
		a.expect = 0
		return
	}
	var servers []serverParts
	for _, m := range a.serfLAN.Members() {
		p, ok := isServer(m)
		if !ok || p.Datacenter != dcName {
			continue
		}
		if p.Expect != 0 && p.Expect != a.expect {
			a.ls.Emit(hclog.Error, "agent.server",
				fmt.Sprintf("consul: Member %v has a conflicting expect value. All nodes should expect the same number.", m),
				"Member has a conflicting expect value. All nodes should expect the same number.", "member", m)
			return
		}
		if p.Bootstrap {
			a.ls.Emit(hclog.Error, "agent.server",
				fmt.Sprintf("consul: Member %v has bootstrap mode. Expect disabled.", m),
				"Member has bootstrap mode. Expect disabled.", "member", m)
			return
		}
		if m.Status == serf.StatusAlive {
			servers = append(servers, p)
		}
	}
	if len(servers) < a.expect {
		return
	}
	if a.era() != "0.5" {
		for _, p := range servers {
			peers, err := a.sc.statusPeers(p.Addr)
			if err != nil {
				a.ls.Emit(hclog.Error, "agent.server",
					fmt.Sprintf("consul: Failed to confirm peer status for %s: %v", p.Name, err),
					"Failed to confirm peer status for server", "name", p.Name, "error", err)
				return
			}
			if len(peers) > 0 {
				a.ls.Emit(hclog.Info, "agent.server",
					fmt.Sprintf("consul: Existing Raft peers reported by %s, disabling bootstrap mode", p.Name),
					"Existing Raft peers reported by server, disabling bootstrap mode", "server", p.Name)
				a.expect = 0
				return
			}
		}
	}
	var addrs []string
	var conf raft.Configuration
	for _, p := range servers {
		addrs = append(addrs, p.Addr)
		id := raft.ServerID(p.Addr)
		if !a.legacy {
			id = raft.ServerID(p.ID)
		}
		conf.Servers = append(conf.Servers, raft.Server{Suffrage: raft.Voter, ID: id, Address: raft.ServerAddress(p.Addr)})
	}
	a.ls.Emit(hclog.Info, "agent.server",
		"consul: Found expected number of peers, attempting bootstrap: "+strings.Join(addrs, ","),
		"Found expected number of peers, attempting bootstrap", "peers", strings.Join(addrs, ","))
	if err := a.raft.BootstrapCluster(conf).Error(); err != nil {
		a.ls.Emit(hclog.Error, "agent.server",
			fmt.Sprintf("consul: Failed to bootstrap cluster: %v", err),
			"Failed to bootstrap cluster", "error", err)
	}
	a.sc.Note("%s bootstraps raft with %s", a.cfg.Name, strings.Join(addrs, ","))
	a.expect = 0
}

// ---------------------------------------------------------------------------
// Leadership and reconcile

func (a *Agent) monitorLeadership() {
	var leaderStop chan struct{}
	for {
		select {
		case isLeader := <-a.notifyCh:
			if isLeader {
				if leaderStop == nil {
					leaderStop = make(chan struct{})
					ch := leaderStop
					a.spawn(func() { a.leaderLoop(ch) })
				}
			} else if leaderStop != nil {
				close(leaderStop)
				leaderStop = nil
				a.ls.Emit(hclog.Info, "agent.server", "consul: cluster leadership lost", "cluster leadership lost")
				a.sc.Note("%s loses leadership", a.cfg.Name)
			}
		case <-a.stopCh:
			if leaderStop != nil {
				close(leaderStop)
			}
			return
		}
	}
}

func (a *Agent) leaderLoop(stop chan struct{}) {
	atomic.StoreInt32(&a.isLeader, 1)
	defer atomic.StoreInt32(&a.isLeader, 0)
	a.ls.Emit(hclog.Info, "agent.server", "consul: cluster leadership acquired", "cluster leadership acquired")
	term, _ := strconv.ParseUint(a.raft.Stats()["term"], 10, 64)
	a.sc.recordLeader(a.cfg.Name, term)
	if err := a.serfLAN.UserEvent(newLeaderEvent, []byte(a.cfg.Name), false); err != nil {
		a.ls.Emit(hclog.Warn, "agent.server", fmt.Sprintf("consul: failed to broadcast new leader event: %v", err),
			"failed to broadcast new leader event", "error", err)
	}
	timer := time.After(0)
	ready := false
	for {
		var rch chan serf.Member
		if ready {
			rch = a.reconcileCh
		}
		select {
		case <-stop:
			return
		case <-a.stopCh:
			return
		case <-timer:
			ready = false
			if err := a.raft.Barrier(time.Minute).Error(); err != nil {
				a.ls.Emit(hclog.Error, "agent.leader", fmt.Sprintf("consul: failed to wait for barrier: %v", err),
					"failed to wait for barrier", "error", err)
			} else if err := a.reconcile(); err != nil {
				a.ls.Emit(hclog.Error, "agent.leader", fmt.Sprintf("consul: failed to reconcile: %v", err),
					"failed to reconcile", "error", err)
			} else {
				ready = true
			}
			timer = time.After(reconcileInterval)
		case m := <-rch:
			a.reconcileMember(m)
		}
	}
}

func (a *Agent) reconcile() error {
	known := map[string]bool{}
	for _, m := range a.serfLAN.Members() {
		a.reconcileMember(m)
		known[m.Name] = true
	}
	// Catalog nodes with a serf health check that serf no longer knows.
	for _, n := range a.fsm.Nodes() {
		if known[n.Name] || n.Status == "" || n.Name == a.cfg.Name {
			continue
		}
		m := serf.Member{Name: n.Name, Status: statusReap, Tags: map[string]string{}}
		if host, _, err := net.SplitHostPort(n.Address + ":0"); err == nil {
			m.Addr = net.ParseIP(host)
		} else {
			m.Addr = net.ParseIP(n.Address)
		}
		if n.ServerPort > 0 {
			m.Tags["role"] = "consul"
			m.Tags["port"] = strconv.Itoa(n.ServerPort)
			m.Tags["vsn"] = "2"
			m.Tags["dc"] = dcName
			m.Tags["id"] = n.ID
		}
		a.reconcileMember(m)
	}
	return nil
}

func (a *Agent) reconcileMember(m serf.Member) {
	if dc, ok := m.Tags["dc"]; ok && dc != dcName {
		return
	}
	var err error
	switch m.Status {
	case serf.StatusAlive:
		err = a.handleAlive(m)
	case serf.StatusFailed:
		err = a.handleFailed(m)
	case serf.StatusLeft:
		err = a.handleDeregister(m, "left")
	case statusReap:
		err = a.handleDeregister(m, "reaped")
	}
	if err != nil && !a.stopped() {
		a.ls.Emit(hclog.Error, "agent.leader",
			fmt.Sprintf("consul: failed to reconcile member: %v: %v", m, err),
			"failed to reconcile member", "member", m, "error", err)
	}
}

func (a *Agent) raftApply(t byte, msg interface{}) error {
	buf, err := encodeMsg(t, msg)
	if err != nil {
		return err
	}
	return a.raft.Apply(buf, 30*time.Second).Error()
}

func (a *Agent) handleAlive(m serf.Member) error {
	p, server := isServer(m)
	if server {
		if err := a.joinServer(m, p); err != nil {
			return err
		}
	}
	addr := m.Addr.String()
	if n, ok := a.fsm.Lookup(m.Name); ok {
		if n.Address == addr && n.Status == healthPassing && (!server || n.ServerPort == p.Port) {
			return nil
		}
	}
	a.ls.Emit(hclog.Info, "agent.server",
		fmt.Sprintf("consul: member '%s' joined, marking health alive", m.Name),
		"member joined, marking health alive", "member", m.Name)
	if a.legacy {
		req := legacyRegisterRequest{Datacenter: dcName, Node: m.Name, Address: addr,
			Check: &legacyHealthCheck{Node: m.Name, CheckID: serfCheckID, Name: serfCheckName, Status: healthPassing, Output: serfAliveOutput}}
		if server {
			req.Service = &legacyNodeService{ID: consulServiceID, Service: consulServiceName, Port: p.Port}
		}
		return a.raftApply(msgRegister, &req)
	}
	req := RegisterRequest{Datacenter: dcName, ID: m.Tags["id"], Node: m.Name, Address: addr,
		TaggedAddresses: map[string]string{"lan": addr, "wan": addr},
		Check:           &HealthCheck{Node: m.Name, CheckID: serfCheckID, Name: serfCheckName, Status: healthPassing, Output: serfAliveOutput}}
	if server {
		req.Service = &NodeService{ID: consulServiceID, Service: consulServiceName, Port: p.Port,
			Meta: map[string]string{"raft_version": m.Tags["raft_vsn"], "serf_protocol_current": strconv.Itoa(int(m.DelegateCur)), "version": a.version()}}
	}
	return a.raftApply(msgRegister, &req)
}

func (a *Agent) handleFailed(m serf.Member) error {
	n, ok := a.fsm.Lookup(m.Name)
	if !ok {
		return nil
	}
	if n.Address == m.Addr.String() && n.Status == healthCritical {
		return nil
	}
	a.ls.Emit(hclog.Info, "agent.server",
		fmt.Sprintf("consul: member '%s' failed, marking health critical", m.Name),
		"member failed, marking health critical", "member", m.Name)
	if a.legacy {
		return a.raftApply(msgRegister, &legacyRegisterRequest{Datacenter: dcName, Node: m.Name, Address: m.Addr.String(),
			Check: &legacyHealthCheck{Node: m.Name, CheckID: serfCheckID, Name: serfCheckName, Status: healthCritical, Output: serfFailedOutput}})
	}
	return a.raftApply(msgRegister, &RegisterRequest{Datacenter: dcName, ID: m.Tags["id"], Node: m.Name, Address: m.Addr.String(),
		Check:          &HealthCheck{Node: m.Name, CheckID: serfCheckID, Name: serfCheckName, Status: healthCritical, Output: serfFailedOutput},
		SkipNodeUpdate: true})
}

func (a *Agent) handleDeregister(m serf.Member, reason string) error {
	self := func() bool {
		if m.Name != a.cfg.Name {
			return false
		}
		a.ls.Emit(hclog.Warn, "agent.server",
			fmt.Sprintf("consul: deregistering self (%s) should be done by follower", m.Name),
			"deregistering self should be done by follower", "name", m.Name)
		return true
	}
	if a.legacy {
		// Consul 0.5/0.6 order: unknown node -> nothing; remove the raft
		// peer (even our own address); refuse to deregister ourselves.
		if _, ok := a.fsm.Lookup(m.Name); !ok {
			return nil
		}
		if p, ok := isServer(m); ok {
			a.removeServer(m, p)
		}
		if self() {
			return nil
		}
	} else {
		// Consul 1.x order: never touch ourselves; remove the raft peer;
		// unknown node -> nothing more.
		if self() {
			return nil
		}
		if p, ok := isServer(m); ok {
			a.removeServer(m, p)
		}
		if _, ok := a.fsm.Lookup(m.Name); !ok {
			return nil
		}
	}
	a.ls.Emit(hclog.Info, "agent.server",
		fmt.Sprintf("consul: member '%s' %s, deregistering", m.Name, reason),
		"deregistering member", "member", m.Name, "reason", reason)
	if a.legacy {
		return a.raftApply(msgDeregister, &legacyDeregisterRequest{Datacenter: dcName, Node: m.Name})
	}
	return a.raftApply(msgDeregister, &DeregisterRequest{Datacenter: dcName, Node: m.Name})
}

func (a *Agent) removeServer(m serf.Member, p serverParts) {
	f := a.raft.GetConfiguration()
	if err := f.Error(); err != nil {
		return
	}
	for _, s := range f.Configuration().Servers {
		if a.legacy {
			// Consul 0.5-0.7 removeConsulServer logs nothing when the
			// removal works ("removing server by address" is 0.8+).
			if string(s.Address) == p.Addr {
				if err := a.raft.RemovePeer(raft.ServerAddress(p.Addr)).Error(); err != nil {
					a.ls.Emit(hclog.Error, "", fmt.Sprintf("consul: failed to remove raft peer '%v': %v", p.Addr, err), "")
				}
				return
			}
			continue
		}
		if p.ID != "" && string(s.ID) == p.ID {
			a.ls.Emit(hclog.Info, "agent.server", "", "removing server by ID", "id", p.ID)
			if err := a.raft.RemoveServer(s.ID, 0, 0).Error(); err != nil {
				a.ls.Emit(hclog.Error, "agent.server", "", "failed to remove raft peer", "id", p.ID, "error", err)
			}
			return
		}
	}
}

func (a *Agent) joinServer(m serf.Member, p serverParts) error {
	if p.Bootstrap {
		for _, other := range a.serfLAN.Members() {
			op, ok := isServer(other)
			if ok && other.Name != m.Name && op.Bootstrap {
				a.ls.Emit(hclog.Error, "agent.server",
					fmt.Sprintf("consul: '%v' and '%v' are both in bootstrap mode. Only one node should be in bootstrap mode, not adding Raft peer.", m.Name, other.Name),
					"Two nodes are in bootstrap mode. Only one node should be in bootstrap mode, not adding Raft peer.",
					"node_to_add", m.Name, "other", other.Name)
				return nil
			}
		}
	}
	f := a.raft.GetConfiguration()
	if err := f.Error(); err != nil {
		return err
	}
	servers := f.Configuration().Servers
	if a.legacy {
		if m.Name == a.cfg.Name {
			return nil
		}
		for _, s := range servers {
			if string(s.Address) == p.Addr {
				return nil // raft v0.x: ErrKnownPeer
			}
		}
		if err := a.raft.AddPeer(raft.ServerAddress(p.Addr)).Error(); err != nil {
			a.ls.Emit(hclog.Error, "", fmt.Sprintf("consul: failed to add raft peer: %v", err), "")
			return err
		}
		return nil
	}
	if m.Name == a.cfg.Name && len(servers) < 3 {
		return nil
	}
	for _, s := range servers {
		if string(s.Address) == p.Addr || string(s.ID) == p.ID {
			if string(s.Address) == p.Addr && string(s.ID) == p.ID {
				return nil
			}
			if m.Name == a.cfg.Name {
				return nil
			}
			// hashicorp/consul 1.8 leader.go joinConsulServer: remove,
			// then "removed server with duplicate address|ID".
			if err := a.raft.RemoveServer(s.ID, 0, 0).Error(); err != nil {
				a.ls.Emit(hclog.Error, "agent.server", "", "failed to remove raft peer", "error", err)
				return err
			}
			if string(s.Address) == p.Addr {
				a.ls.Emit(hclog.Info, "agent.server", "", "removed server with duplicate address", "address", s.Address)
			} else {
				a.ls.Emit(hclog.Info, "agent.server", "", "removed server with duplicate ID", "id", s.ID)
			}
		}
	}
	if err := a.raft.AddVoter(raft.ServerID(p.ID), raft.ServerAddress(p.Addr), 0, 0).Error(); err != nil {
		a.ls.Emit(hclog.Error, "agent.server", "", "failed to add raft peer", "error", err)
		return err
	}
	return nil
}

// ---------------------------------------------------------------------------
// Agent-side loops (anti-entropy, coordinates, retry join)

func (a *Agent) raftLeader() (string, bool) {
	a.mu.Lock()
	r := a.raft
	ok := a.running
	a.mu.Unlock()
	if r == nil || !ok {
		return "", false
	}
	return string(r.Leader()), true
}

// checkLeader imitates an RPC that needs a leader: a server asks its own raft,
// a client asks one alive server it knows from serf.
func (a *Agent) checkLeader() error {
	if a.cfg.Server {
		if l, _ := a.raftLeader(); l == "" {
			return errNoLeader
		}
		return nil
	}
	for _, m := range a.serfLAN.Members() {
		p, ok := isServer(m)
		if !ok || m.Status != serf.StatusAlive {
			continue
		}
		srv := a.sc.lookupServer(p.Addr)
		if srv == nil {
			return fmt.Errorf("rpc error making call: dial tcp %s: connect: connection refused", p.Addr)
		}
		if l, _ := srv.raftLeader(); l == "" {
			return errNoLeader
		}
		return nil
	}
	return errors.New("No known Consul servers")
}

func (a *Agent) antiEntropyLoop() {
	// First sync after a short stagger (Consul staggers its syncer start).
	first := 1500 * time.Millisecond
	if !a.legacy {
		first = 3*time.Second + time.Duration(rand.Int63n(int64(time.Second)))
	}
	if !a.sleep(first) {
		return
	}
	synced := false
	for {
		err := a.checkLeader()
		if a.stopped() {
			return
		}
		wait := aeSyncInterval
		if err != nil {
			a.ls.Emit(hclog.Error, "agent.anti_entropy",
				fmt.Sprintf("agent: failed to sync remote state: %v", err),
				"failed to sync remote state", "error", err)
			synced = false
			wait = aeRetryInterval
		} else if !synced {
			a.ls.Emit(hclog.Info, "agent", "", "Synced node info")
			synced = true
		}
		if !a.sleep(wait) {
			return
		}
	}
}

func (a *Agent) coordinateLoop() {
	for {
		if !a.sleep(coordinateInterval) {
			return
		}
		if err := a.checkLeader(); err != nil && !a.stopped() {
			a.ls.Emit(hclog.Error, "agent",
				fmt.Sprintf("agent: coordinate update error: %v", err),
				"Coordinate update error", "error", err)
		}
	}
}

func (a *Agent) retryJoinLoop() {
	addrs := a.joinAddrs()
	interval := a.cfg.RetryInterval
	if interval == 0 {
		interval = 2 * time.Second
	}
	a.ls.Emit(hclog.Info, "agent", "agent: Joining cluster...", "Joining cluster...", "cluster", "LAN")
	for {
		a.ls.Emit(hclog.Info, "agent", fmt.Sprintf("agent: (LAN) joining: %v", addrs), "(LAN) joining", "lan_addresses", addrs)
		n, err := a.serfLAN.Join(addrs, true)
		if a.stopped() {
			return
		}
		if n > 0 {
			a.ls.Emit(hclog.Info, "agent", fmt.Sprintf("agent: (LAN) joined: %d Err: %v", n, err), "(LAN) joined", "number_of_nodes", n)
			a.ls.Emit(hclog.Info, "agent", fmt.Sprintf("agent: Join completed. Synced with %d initial agents", n),
				"Join cluster completed. Synced with initial agents", "cluster", "LAN", "num_agents", n)
			return
		}
		a.ls.Emit(hclog.Warn, "agent", fmt.Sprintf("agent: (LAN) joined: %d Err: %v", n, err), "(LAN) couldn't join", "number_of_nodes", n, "error", err)
		a.ls.Emit(hclog.Warn, "agent", fmt.Sprintf("agent: Join failed: %v, retrying in %v", err, interval),
			"Join cluster failed, will retry", "cluster", "LAN", "retry_interval", interval.String(), "error", err)
		if !a.sleep(interval) {
			return
		}
	}
}

// ---------------------------------------------------------------------------
// Stopping

func (a *Agent) otherPeers() int {
	if a.legacy {
		return a.peers.OtherPeers()
	}
	f := a.raft.GetConfiguration()
	if f.Error() != nil {
		return 0
	}
	n := 0
	for _, s := range f.Configuration().Servers {
		if string(s.ID) != a.nodeID {
			n++
		}
	}
	return n
}

// Interrupt imitates SIGINT with skip_leave_on_interrupt=false: a graceful
// leave (Consul 0.5/0.6 server.Leave), then shutdown. Exit code 0
// (hashicorp/consul command/agent/command.go handleSignals: a completed
// graceful leave returns 0).
func (a *Agent) Interrupt() {
	a.record("leave")
	a.systemdStopping()
	if !a.cfg.NoBanner {
		a.ls.Banner("==> Caught signal: interrupt\n==> Gracefully shutting down agent...\n")
	}
	if a.cfg.Server {
		a.ls.Emit(hclog.Info, "agent.server", "consul: server starting leave", "server starting leave")
		a.left = true
		num := a.otherPeers()
		isLeader := a.raft.State() == raft.Leader
		if isLeader && num > 0 {
			var err error
			if a.legacy {
				err = a.raft.RemovePeer(raft.ServerAddress(a.raftAddr())).Error()
			} else {
				err = a.raft.RemoveServer(raft.ServerID(a.nodeID), 0, 0).Error()
			}
			if err != nil {
				a.ls.Emit(hclog.Error, "agent.server", fmt.Sprintf("consul: failed to remove ourself as raft peer: %v", err),
					"failed to remove ourself as raft peer", "error", err)
			}
		}
		if a.serfWAN != nil {
			if err := a.serfWAN.Leave(); err != nil {
				a.ls.Emit(hclog.Error, "agent.server", fmt.Sprintf("consul: failed to leave WAN Serf cluster: %v", err),
					"failed to leave WAN Serf cluster", "error", err)
			}
		}
		if err := a.serfLAN.Leave(); err != nil {
			a.ls.Emit(hclog.Error, "agent.server", fmt.Sprintf("consul: failed to leave LAN Serf cluster: %v", err),
				"failed to leave LAN Serf cluster", "error", err)
		}
		if !isLeader {
			limit := time.Now().Add(raftRemoveGrace)
			for num > 0 && time.Now().Before(limit) {
				num = a.otherPeers()
				if num == 0 {
					break
				}
				time.Sleep(50 * time.Millisecond)
			}
			if num != 0 {
				a.ls.Emit(hclog.Warn, "agent.server", "consul: failed to leave raft peer set gracefully, timeout",
					"failed to leave raft peer set gracefully, timeout")
			}
		}
	} else {
		a.serfLAN.Leave()
	}
	a.ls.Emit(hclog.Info, "agent", "agent: requesting shutdown", "Requesting shutdown")
	if a.cfg.Server {
		a.ls.Emit(hclog.Info, "agent.server", "consul: shutting down server", "shutting down server")
	}
	a.shutdown(a.left)
	a.ls.Emit(hclog.Info, "agent", "agent: shutdown complete", "shutdown complete")
	a.log.Freeze() // the process has exited
	a.systemdExited(0)
}

// InterruptNoLeave imitates SIGINT when it is not a departure
// (skip_leave_on_interrupt=true, the server default from Consul 0.7 on):
// no leave, plain shutdown, exit code 1. Texts: hashicorp/consul
// command/agent/agent.go handleSignals ("Caught", "Graceful shutdown
// disabled. Exiting", return 1) and Run ("Exit code"); agent/agent.go
// ShutdownAgent ("Requesting shutdown", "consul server down", "shutdown
// complete"); Consul <= 0.6 printed only "==> Caught signal: interrupt"
// before its deferred agent shutdown. "serf: Shutdown without a Leave" is
// real serf output.
func (a *Agent) InterruptNoLeave() {
	a.record("stop")
	a.systemdStopping()
	if !a.cfg.NoBanner && a.legacy {
		a.ls.Banner("==> Caught signal: interrupt\n")
	}
	a.ls.Emit(hclog.Info, "agent", "", "Caught", "signal", "interrupt")
	a.ls.Emit(hclog.Info, "agent", "", "Graceful shutdown disabled. Exiting")
	a.ls.Emit(hclog.Info, "agent", "agent: requesting shutdown", "Requesting shutdown")
	if a.cfg.Server {
		a.ls.Emit(hclog.Info, "agent.server", "consul: shutting down server", "shutting down server")
	}
	a.shutdown(false)
	if a.cfg.Server {
		a.ls.Emit(hclog.Info, "agent", "", "consul server down")
	}
	a.ls.Emit(hclog.Info, "agent", "agent: shutdown complete", "shutdown complete")
	a.ls.Emit(hclog.Info, "agent", "", "Exit code", "code", 1)
	a.log.Freeze() // the process has exited
	a.systemdExited(1)
}

// Kill stops the agent without a word in its log and without leaving
// (SIGKILL, OOM kill, a container killed, a host gone). A service manager
// still reports the death.
func (a *Agent) Kill() {
	a.record("kill")
	a.log.Freeze()
	a.shutdown(false)
	a.systemdKilled()
}

func (a *Agent) shutdown(left bool) {
	a.mu.Lock()
	if !a.running {
		a.mu.Unlock()
		return
	}
	a.running = false
	close(a.stopCh)
	a.mu.Unlock()
	a.sc.unregister(a)
	if a.serfLAN != nil {
		a.serfLAN.Shutdown()
	}
	if a.serfWAN != nil {
		a.serfWAN.Shutdown()
	}
	if a.raft != nil {
		a.trans.Close()
		a.raft.Shutdown().Error()
		a.store.Close()
		if left && a.legacy {
			a.peers.Set(nil)
		}
	}
	a.wg.Wait()
	a.mu.Lock()
	a.raft, a.store, a.trans = nil, nil, nil
	a.serfLAN, a.serfWAN = nil, nil
	a.mu.Unlock()
}

// ---------------------------------------------------------------------------
// Log capture and the service manager around the agent

// openLog opens the node's captured log where the site keeps it, with the
// capture's per-line prefix.
func (a *Agent) openLog() error {
	site := a.sc.Site
	var prefix func() string
	wrapBanner := false
	switch {
	case site.journald():
		prefix = func() string {
			return fmt.Sprintf("%s %s consul[%d]: ", journalTime(), a.hostName(), a.pid)
		}
		wrapBanner = true
	case site.compose():
		name := a.serviceName()
		if site.LogWrap == wrapComposeV1 {
			name += "_1"
		}
		// docker/compose cmd/formatter/logs.go: the name padded to the
		// widest name plus one, then " | ".
		p := fmt.Sprintf("%-*s | ", len(name)+1, name)
		prefix = func() string { return p }
		wrapBanner = true
	case site.LogWrap == wrapIndent || a.cfg.Indent:
		prefix = func() string { return "    " }
	}
	l, err := openNodeLog(host(a.nodeDir, site.LogPath), prefix, wrapBanner, a.nodeDir)
	if err != nil {
		return err
	}
	a.log = l
	return nil
}

// journalTime is journalctl's short format: local time (UTC here), no year.
func journalTime() string { return time.Now().UTC().Format("Jan 02 15:04:05") }

// nextPID gives every start of the agent a plausible, stable process id.
func (a *Agent) nextPID() int {
	h := sha256.Sum256([]byte(a.sc.Name + "/" + a.cfg.Name))
	base := 700 + int(h[0])<<4 + int(h[1]&0x0f)
	return base + (a.starts-1)*(211+int(h[2]&0x3f))
}

func (a *Agent) unitDescription() string {
	if a.sc.Site.LogWrap == wrapJournald16 {
		return "consul agent"
	}
	return "Consul Agent"
}

// systemd writes one of systemd's own lines into a journald capture.
func (a *Agent) systemd(msg string) {
	if !a.sc.Site.journald() || a.log == nil {
		return
	}
	a.log.System(fmt.Sprintf("%s %s systemd[1]: %s", journalTime(), a.hostName(), msg))
}

// systemdStopping: `systemctl stop|restart consul` sends KillSignal
// (SIGINT in these units).
func (a *Agent) systemdStopping() {
	a.systemd("Stopping " + a.unitDescription() + "...")
}

// systemdExited reports the main process's exit the way systemd 229
// (Ubuntu 16.04) and 245 (Ubuntu 20.04) word it.
func (a *Agent) systemdExited(code int) {
	unit := "consul.service"
	if code == 0 {
		a.systemd("Stopped " + a.unitDescription() + ".")
		return
	}
	a.systemd(fmt.Sprintf("%s: Main process exited, code=exited, status=%d/FAILURE", unit, code))
	if a.sc.Site.LogWrap == wrapJournald16 {
		a.systemd("Stopped " + a.unitDescription() + ".")
		a.systemd(unit + ": Unit entered failed state.")
		a.systemd(unit + ": Failed with result 'exit-code'.")
		return
	}
	a.systemd(unit + ": Failed with result 'exit-code'.")
	a.systemd("Stopped " + a.unitDescription() + ".")
}

func (a *Agent) systemdKilled() {
	unit := "consul.service"
	a.systemd(unit + ": Main process exited, code=killed, status=9/KILL")
	if a.sc.Site.LogWrap == wrapJournald16 {
		a.systemd(unit + ": Unit entered failed state.")
	}
	a.systemd(unit + ": Failed with result 'signal'.")
}

// logStamp renders t the way this agent's log prints its timestamps.
func (a *Agent) logStamp(t time.Time) string {
	t = t.UTC()
	switch {
	case a.legacy:
		return t.Format("2006/01/02 15:04:05")
	case a.cfg.LogJSON:
		return t.Format("2006-01-02T15:04:05.000000Z07:00")
	}
	return t.Format("2006-01-02T15:04:05.000Z0700")
}
