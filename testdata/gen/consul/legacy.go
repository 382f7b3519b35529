// Emulation of the raft v0.x peer store (Consul 0.5/0.6).
//
// raft v0.x kept the peer set in <data>/raft/peers.json, a JSON array of
// "ip:port" strings rewritten every time a peer-change log entry was applied.
// raft 1.1.2 (which actually runs here) keeps membership only in its log, so
// a LogStore wrapper watches the peer-change entries raft writes and keeps
// peers.json the way raft v0.x did:
//   - a set that contains this server is written as is;
//   - a set that no longer contains this server (it was removed) leaves
//     ["<own address>"] (raft v0.x's removed-self behaviour);
//   - Consul's graceful leave then clears the store on shutdown: SetPeers(nil)
//     encodes a nil slice, i.e. the literal "null".
package main

import (
	"bytes"
	"encoding/json"
	"io/ioutil"
	"os"
	"sync"

	"github.com/hashicorp/go-msgpack/codec"
	"github.com/hashicorp/raft"
)

type legacyPeers struct {
	mu     sync.Mutex
	path   string
	self   string
	member bool
}

func newLegacyPeers(path, self string) *legacyPeers {
	p := &legacyPeers{path: path, self: self}
	if cur, err := p.Peers(); err == nil {
		for _, a := range cur {
			if a == self {
				p.member = true
			}
		}
	}
	return p
}

// Set writes the file exactly like raft v0.x's JSONPeers.SetPeers: the
// addresses are appended to a nil slice (so an empty set encodes as null),
// JSON-encoded with a trailing newline, file mode 0755.
func (p *legacyPeers) Set(peers []string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	var enc []string
	for _, a := range peers {
		enc = append(enc, a)
	}
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(enc); err != nil {
		return err
	}
	return ioutil.WriteFile(p.path, buf.Bytes(), 0755)
}

func (p *legacyPeers) Peers() ([]string, error) {
	buf, err := ioutil.ReadFile(p.path)
	if err != nil {
		if os.IsNotExist(err) {
			return nil, nil
		}
		return nil, err
	}
	if len(buf) == 0 {
		return nil, nil
	}
	var out []string
	if err := json.Unmarshal(buf, &out); err != nil {
		return nil, err
	}
	return out, nil
}

// OtherPeers counts peers other than this server (Consul's numOtherPeers).
func (p *legacyPeers) OtherPeers() int {
	peers, _ := p.Peers()
	n := 0
	for _, a := range peers {
		if a != p.self {
			n++
		}
	}
	return n
}

func (p *legacyPeers) observe(set []string) {
	has := false
	for _, a := range set {
		if a == p.self {
			has = true
		}
	}
	switch {
	case has:
		p.member = true
		p.Set(set)
	case p.member:
		p.Set([]string{p.self})
	default:
		p.Set(set)
	}
}

type legacyLogStore struct {
	raft.LogStore
	peers *legacyPeers
}

func decodePeerSet(data []byte) []string {
	var enc [][]byte
	if err := codec.NewDecoder(bytes.NewReader(data), &codec.MsgpackHandle{}).Decode(&enc); err != nil {
		return nil
	}
	var out []string
	for _, e := range enc {
		out = append(out, string(e))
	}
	return out
}

func (s *legacyLogStore) peek(l *raft.Log) {
	if l.Type == raft.LogAddPeerDeprecated || l.Type == raft.LogRemovePeerDeprecated {
		s.peers.observe(decodePeerSet(l.Data))
	}
}

func (s *legacyLogStore) StoreLog(l *raft.Log) error {
	if err := s.LogStore.StoreLog(l); err != nil {
		return err
	}
	s.peek(l)
	return nil
}

func (s *legacyLogStore) StoreLogs(logs []*raft.Log) error {
	if err := s.LogStore.StoreLogs(logs); err != nil {
		return err
	}
	for _, l := range logs {
		s.peek(l)
	}
	return nil
}
