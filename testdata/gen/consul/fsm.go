// A tiny Consul-like catalog FSM.
//
// Only the two membership-relevant message types are produced and applied:
// Register (0) and Deregister (1). Payloads are msgpack-encoded structs with
// Consul's field names (a subset of them), encoded with hashicorp/go-msgpack
// like Consul's structs.Encode: one type byte, then the msgpack map.
package main

import (
	"bytes"
	"fmt"
	"io"
	"sort"
	"sync"

	"github.com/hashicorp/go-msgpack/codec"
	"github.com/hashicorp/raft"
)

const (
	msgRegister   byte = 0
	msgDeregister byte = 1

	serfCheckID       = "serfHealth"
	serfCheckName     = "Serf Health Status"
	serfAliveOutput   = "Agent alive and reachable"
	serfFailedOutput  = "Agent not live or unreachable"
	healthPassing     = "passing"
	healthCritical    = "critical"
	consulServiceID   = "consul"
	consulServiceName = "consul"
)

var msgpackHandle = &codec.MsgpackHandle{}

// Consul 1.x shaped records (subset of fields).
type HealthCheck struct {
	Node        string
	CheckID     string
	Name        string
	Status      string
	Notes       string
	Output      string
	ServiceID   string
	ServiceName string
	ServiceTags []string
	Type        string
	CreateIndex uint64
	ModifyIndex uint64
}

type NodeService struct {
	ID                string
	Service           string
	Tags              []string
	Address           string
	Meta              map[string]string
	Port              int
	EnableTagOverride bool
	CreateIndex       uint64
	ModifyIndex       uint64
}

type RegisterRequest struct {
	Datacenter      string
	ID              string
	Node            string
	Address         string
	TaggedAddresses map[string]string
	NodeMeta        map[string]string
	Service         *NodeService
	Check           *HealthCheck
	Checks          []*HealthCheck
	SkipNodeUpdate  bool
	Token           string
}

type DeregisterRequest struct {
	Datacenter string
	Node       string
	ServiceID  string
	CheckID    string
	Token      string
}

// Consul 0.5/0.6 shaped records.
type legacyHealthCheck struct {
	Node        string
	CheckID     string
	Name        string
	Status      string
	Notes       string
	Output      string
	ServiceID   string
	ServiceName string
}

type legacyNodeService struct {
	ID      string
	Service string
	Tags    []string
	Address string
	Port    int
}

type legacyRegisterRequest struct {
	Datacenter string
	Node       string
	Address    string
	Service    *legacyNodeService
	Check      *legacyHealthCheck
	Token      string
}

type legacyDeregisterRequest struct {
	Datacenter string
	Node       string
	ServiceID  string
	CheckID    string
	Token      string
}

type snapshotHeader struct {
	LastIndex uint64
}

func encodeMsg(t byte, msg interface{}) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteByte(t)
	err := codec.NewEncoder(&buf, msgpackHandle).Encode(msg)
	return buf.Bytes(), err
}

type catNode struct {
	Name        string
	ID          string
	Address     string
	ServerPort  int // >0 if the "consul" service is registered
	Status      string
	Output      string
	CreateIndex uint64
	ModifyIndex uint64
}

type catalogFSM struct {
	mu        sync.Mutex
	nodes     map[string]*catNode
	lastIndex uint64
	legacy    bool
}

func newCatalogFSM(legacy bool) *catalogFSM {
	return &catalogFSM{nodes: map[string]*catNode{}, legacy: legacy}
}

func (f *catalogFSM) Apply(l *raft.Log) interface{} {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.lastIndex = l.Index
	if len(l.Data) == 0 {
		return nil
	}
	t := l.Data[0] &^ 0x80
	dec := codec.NewDecoder(bytes.NewReader(l.Data[1:]), msgpackHandle)
	switch t {
	case msgRegister:
		var req RegisterRequest
		if err := dec.Decode(&req); err != nil {
			return err
		}
		f.applyRegister(&req, l.Index)
	case msgDeregister:
		var req DeregisterRequest
		if err := dec.Decode(&req); err != nil {
			return err
		}
		delete(f.nodes, req.Node)
	}
	return nil
}

func (f *catalogFSM) applyRegister(req *RegisterRequest, idx uint64) {
	n := f.nodes[req.Node]
	if n == nil {
		n = &catNode{Name: req.Node, CreateIndex: idx}
		f.nodes[req.Node] = n
	}
	if !req.SkipNodeUpdate || n.Address == "" {
		if req.Address != "" {
			n.Address = req.Address
		}
		if req.ID != "" {
			n.ID = req.ID
		}
	}
	if req.Service != nil && req.Service.ID == consulServiceID {
		n.ServerPort = req.Service.Port
	}
	if req.Check != nil && req.Check.CheckID == serfCheckID {
		n.Status = req.Check.Status
		n.Output = req.Check.Output
	}
	n.ModifyIndex = idx
}

// Lookup returns a copy of a catalog node.
func (f *catalogFSM) Lookup(name string) (catNode, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	n, ok := f.nodes[name]
	if !ok {
		return catNode{}, false
	}
	return *n, true
}

func (f *catalogFSM) Nodes() []catNode {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []catNode
	for _, n := range f.nodes {
		out = append(out, *n)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

type fsmSnapshot struct {
	nodes     []catNode
	lastIndex uint64
	legacy    bool
	dc        string
}

func (f *catalogFSM) Snapshot() (raft.FSMSnapshot, error) {
	f.mu.Lock()
	li := f.lastIndex
	f.mu.Unlock()
	return &fsmSnapshot{nodes: f.Nodes(), lastIndex: li, legacy: f.legacy}, nil
}

// Persist writes a Consul-like snapshot stream: a msgpack header followed by
// (type byte, msgpack record) pairs, one Register record per node, one per
// server service and one per serfHealth check.
func (s *fsmSnapshot) Persist(sink raft.SnapshotSink) error {
	enc := codec.NewEncoder(sink, msgpackHandle)
	if err := enc.Encode(&snapshotHeader{LastIndex: s.lastIndex}); err != nil {
		sink.Cancel()
		return err
	}
	write := func(rec interface{}) error {
		if _, err := sink.Write([]byte{msgRegister}); err != nil {
			return err
		}
		return enc.Encode(rec)
	}
	for _, n := range s.nodes {
		if s.legacy {
			if err := write(&legacyRegisterRequest{Node: n.Name, Address: n.Address}); err != nil {
				sink.Cancel()
				return err
			}
			continue
		}
		if err := write(&RegisterRequest{Node: n.Name, ID: n.ID, Address: n.Address,
			TaggedAddresses: map[string]string{"lan": n.Address, "wan": n.Address}}); err != nil {
			sink.Cancel()
			return err
		}
	}
	for _, n := range s.nodes {
		if n.ServerPort == 0 {
			continue
		}
		var rec interface{}
		if s.legacy {
			rec = &legacyRegisterRequest{Node: n.Name, Service: &legacyNodeService{ID: consulServiceID, Service: consulServiceName, Port: n.ServerPort}}
		} else {
			rec = &RegisterRequest{Node: n.Name, Service: &NodeService{ID: consulServiceID, Service: consulServiceName, Port: n.ServerPort, CreateIndex: n.CreateIndex, ModifyIndex: n.ModifyIndex}}
		}
		if err := write(rec); err != nil {
			sink.Cancel()
			return err
		}
	}
	for _, n := range s.nodes {
		if n.Status == "" {
			continue
		}
		var rec interface{}
		if s.legacy {
			rec = &legacyRegisterRequest{Node: n.Name, Check: &legacyHealthCheck{Node: n.Name, CheckID: serfCheckID, Name: serfCheckName, Status: n.Status, Output: n.Output}}
		} else {
			rec = &RegisterRequest{Node: n.Name, Check: &HealthCheck{Node: n.Name, CheckID: serfCheckID, Name: serfCheckName, Status: n.Status, Output: n.Output, CreateIndex: n.CreateIndex, ModifyIndex: n.ModifyIndex}}
		}
		if err := write(rec); err != nil {
			sink.Cancel()
			return err
		}
	}
	return sink.Close()
}

func (s *fsmSnapshot) Release() {}

// byteReader hands the decoder a reader it cannot over-read, so that the
// single type bytes between records can be read from the same stream.
type oneByteReader struct{ r io.Reader }

func (o oneByteReader) Read(p []byte) (int, error) {
	if len(p) > 1 {
		p = p[:1]
	}
	return o.r.Read(p)
}

func (f *catalogFSM) Restore(rc io.ReadCloser) error {
	defer rc.Close()
	r := oneByteReader{rc}
	dec := codec.NewDecoder(r, msgpackHandle)
	var hdr snapshotHeader
	if err := dec.Decode(&hdr); err != nil {
		return fmt.Errorf("snapshot header: %v", err)
	}
	nodes := map[string]*catNode{}
	f.mu.Lock()
	f.nodes = nodes
	f.lastIndex = hdr.LastIndex
	f.mu.Unlock()
	t := make([]byte, 1)
	for {
		if _, err := io.ReadFull(r, t); err == io.EOF {
			break
		} else if err != nil {
			return err
		}
		if t[0] != msgRegister {
			return fmt.Errorf("unexpected snapshot record type %d", t[0])
		}
		var req RegisterRequest
		if err := dec.Decode(&req); err != nil {
			return err
		}
		f.mu.Lock()
		f.applyRegister(&req, hdr.LastIndex)
		f.mu.Unlock()
	}
	return nil
}
