// Command gen writes a large etcd WAL for bench/etcd-wal.sh with etcd's
// own wal package (Debian golang-etcd-server-dev, etcd 3.4): what a
// three-member etcd 3.4 cluster's leader would have logged.
//
// wal.Create writes the crc, metadata (NodeID, ClusterID) and empty
// snapshot records; the first entries are the bootstrap ConfChange
// AddNode entries of the three members with their member JSON, then the
// v2 "publish attributes" requests, then InternalRaftRequest puts with
// keys and values of a few hundred bytes to a few KiB, saved in batches
// with a HardState as raft's Ready loop does.  Every 100,000 entries
// (etcd's default --snapshot-count) a snapshot record; every 100,000
// entries, offset by half, a fourth member is added (AddNode with its
// JSON) and removed 100 entries later; the term moves on every 250,000
// entries with a new leader.  wal.Save cuts a new segment once the
// current one passes 64 MB (wal.SegmentSizeBytes), as etcd does.  The
// WAL is opened with SetUnsafeNoFsync (etcd's --unsafe-no-fsync): the
// bytes are the same, only the fdatasync calls are skipped.
//
//	gen DIR MIN_BYTES
//
// DIR must not exist.  Prints what it wrote on one line.
package main

import (
	"encoding/json"
	"fmt"
	"math/rand"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"go.etcd.io/etcd/etcdserver/api/membership"
	pb "go.etcd.io/etcd/etcdserver/etcdserverpb"
	"go.etcd.io/etcd/pkg/pbutil"
	"go.etcd.io/etcd/pkg/types"
	"go.etcd.io/etcd/raft/raftpb"
	"go.etcd.io/etcd/wal"
	"go.etcd.io/etcd/wal/walpb"
	"go.uber.org/zap"
)

const (
	batch         = 64     // entries per Save, a busy leader's Ready
	snapshotCount = 100000 // etcd's default --snapshot-count
	termEvery     = 250000 // a leader change now and then
	clusterName   = "etcd-cluster"
)

func member(name string, n int) *membership.Member {
	// A fixed time keeps the generated ids (and so the file) stable.
	now := time.Unix(1700000000, 0)
	peer := types.MustNewURLs([]string{fmt.Sprintf("http://127.0.0.%d:2380", n)})
	m := membership.NewMember(name, peer, clusterName, &now)
	m.ClientURLs = []string{fmt.Sprintf("http://127.0.0.%d:2379", n)}
	return m
}

func mustJSON(v interface{}) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: gen DIR MIN_BYTES")
		os.Exit(2)
	}
	dir := os.Args[1]
	min, err := strconv.ParseInt(os.Args[2], 10, 64)
	if err != nil {
		panic(err)
	}
	members := []*membership.Member{member("etcd-1", 1), member("etcd-2", 2), member("etcd-3", 3)}
	extra := member("etcd-4", 4)
	cid := uint64(0x5a1e5a1e5a1e5a1e)
	meta := pbutil.MustMarshal(&pb.Metadata{NodeID: uint64(members[0].ID), ClusterID: cid})
	w, err := wal.Create(zap.NewNop(), dir, meta)
	if err != nil {
		panic(err)
	}
	w.SetUnsafeNoFsync()

	rng := rand.New(rand.NewSource(1))
	const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/"
	text := make([]byte, 8192)
	for i := range text {
		text[i] = alphabet[rng.Intn(len(alphabet))]
	}

	var (
		index, term, commit uint64 = 0, 1, 0
		leader                     = uint64(members[0].ID)
		ents                []raftpb.Entry
		nconf, nput, nsnap  int
		bytes               int64
	)
	add := func(typ raftpb.EntryType, data []byte) {
		index++
		if index%termEvery == 0 {
			term++
			leader = uint64(members[int(term)%len(members)].ID)
		}
		ents = append(ents, raftpb.Entry{Term: term, Index: index, Type: typ, Data: data})
		if typ == raftpb.EntryConfChange {
			nconf++
		}
	}
	flush := func() {
		if len(ents) == 0 {
			return
		}
		st := raftpb.HardState{Term: term, Vote: leader, Commit: commit}
		if err := w.Save(st, ents); err != nil {
			panic(err)
		}
		commit = index
		ents = ents[:0]
	}
	confChange := func(t raftpb.ConfChangeType, m *membership.Member, ctx []byte) {
		cc := raftpb.ConfChange{ID: uint64(rng.Int63()), Type: t, NodeID: uint64(m.ID), Context: ctx}
		add(raftpb.EntryConfChange, pbutil.MustMarshal(&cc))
	}

	// Bootstrap: each member's AddNode, then the v2 publish of its name.
	for _, m := range members {
		confChange(raftpb.ConfChangeAddNode, m, mustJSON(m))
	}
	flush()
	for _, m := range members {
		req := pb.Request{ID: uint64(rng.Int63()), Method: "PUT",
			Path: membership.MemberAttributesStorePath(m.ID),
			Val:  string(mustJSON(m.Attributes))}
		add(raftpb.EntryNormal, pbutil.MustMarshal(&req))
	}
	flush()

	for {
		for len(ents) < batch {
			switch index % snapshotCount {
			case snapshotCount / 2:
				confChange(raftpb.ConfChangeAddNode, extra, mustJSON(extra))
				continue
			case snapshotCount/2 + 100:
				confChange(raftpb.ConfChangeRemoveNode, extra, nil)
				continue
			}
			// A Kubernetes-like key and a value of 200 B to 4 KiB.
			vlen := 200 + rng.Intn(3900)
			off := rng.Intn(len(text) - vlen)
			put := pb.PutRequest{
				Key:   []byte(fmt.Sprintf("/registry/pods/ns-%d/pod-%08d", index%97, rng.Intn(1000000))),
				Value: text[off : off+vlen],
			}
			if rng.Intn(4) == 0 {
				put.Lease = rng.Int63()
			}
			rr := pb.InternalRaftRequest{Header: &pb.RequestHeader{ID: uint64(rng.Int63())}, Put: &put}
			add(raftpb.EntryNormal, pbutil.MustMarshal(&rr))
			nput++
		}
		flush()
		if index/snapshotCount > uint64(nsnap) {
			// What etcd does after applying --snapshot-count entries.
			if err := w.SaveSnapshot(walpb.Snapshot{Index: commit, Term: term}); err != nil {
				panic(err)
			}
			nsnap++
		}
		names, err := filepath.Glob(filepath.Join(dir, "*.wal"))
		if err != nil {
			panic(err)
		}
		bytes = 0
		for _, n := range names {
			fi, err := os.Stat(n)
			if err != nil {
				panic(err)
			}
			bytes += fi.Size()
		}
		if bytes >= min {
			break
		}
	}
	// The last HardState commits everything, as after a clean stop.
	commit = index
	if err := w.Save(raftpb.HardState{Term: term, Vote: leader, Commit: commit}, nil); err != nil {
		panic(err)
	}
	if err := w.Close(); err != nil {
		panic(err)
	}
	fmt.Printf("entries %d puts %d confchanges %d snapshots %d bytes %d\n",
		index, nput, nconf, nsnap, bytes)
}
