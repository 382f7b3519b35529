// Command gen writes the BoltDB fixtures of quorumscope's bolt reader and
// raft.db / etcd backend parsers with the real libraries Debian packages:
// boltdb/bolt 1.3.1 (same on-disk format as etcd-io/bbolt), hashicorp/raft
// 1.1.2, raft-boltdb and go-msgpack 0.5.5.  Every value the unit tests
// check is printed to expected.txt beside the files, so the tests never
// hard-code what the generator chose.
//
//	go run gen.go OUTDIR     (GOPATH mode: see run.sh)
package main

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io/ioutil"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/boltdb/bolt"
	"github.com/hashicorp/go-msgpack/codec"
	"github.com/hashicorp/raft"
	raftboltdb "github.com/hashicorp/raft-boltdb"
)

var expect bytes.Buffer

func must(err error) {
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}

func note(format string, a ...interface{}) {
	fmt.Fprintf(&expect, format+"\n", a...)
}

// fnv1a64 over key, value pairs in iteration order, each preceded by its
// length as u32le, so that the C tests can recompute it.
type digest struct{ h uint64 }

func newDigest() *digest { return &digest{0xcbf29ce484222325} }
func (d *digest) add(b []byte) {
	var l [4]byte
	binary.LittleEndian.PutUint32(l[:], uint32(len(b)))
	for _, c := range append(l[:], b...) {
		d.h ^= uint64(c)
		d.h *= 0x100000001b3
	}
}

func pattern(n int, seed byte) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*7) ^ seed
	}
	return b
}

// bucketNote records count, first, last and digest of a bucket.
func bucketNote(name string, b *bolt.Bucket) {
	d := newDigest()
	n := 0
	var first, last []byte
	b.ForEach(func(k, v []byte) error {
		if first == nil {
			first = append([]byte{}, k...)
		}
		last = append(last[:0], k...)
		d.add(k)
		if v == nil {
			v = []byte{}
		}
		d.add(v)
		n++
		return nil
	})
	note("%s.count %d", name, n)
	note("%s.first %s", name, first)
	note("%s.last %s", name, last)
	note("%s.digest %016x", name, d.h)
}

// genBig: thousands of keys over many leaf and branch pages, an overflow
// value of three pages, nested buckets, inline buckets.
func genBig(path string) {
	os.Remove(path)
	db, err := bolt.Open(path, 0600, nil)
	must(err)
	must(db.Update(func(tx *bolt.Tx) error {
		many, err := tx.CreateBucket([]byte("many"))
		must(err)
		many.FillPercent = 0.9
		for i := 0; i < 5000; i++ {
			must(many.Put([]byte(fmt.Sprintf("k%05d", i)),
				[]byte(fmt.Sprintf("value-%05d-%x", i, i*2654435761))))
		}
		ov, err := tx.CreateBucket([]byte("overflow"))
		must(err)
		must(ov.Put([]byte("big"), pattern(3*4096, 0x5a)))
		must(ov.Put([]byte("small"), []byte("after the big one")))
		outer, err := tx.CreateBucket([]byte("outer"))
		must(err)
		inner, err := outer.CreateBucket([]byte("inner"))
		must(err)
		for i := 0; i < 300; i++ {
			must(inner.Put([]byte(fmt.Sprintf("inner-%03d", i)), pattern(40, byte(i))))
		}
		tiny, err := outer.CreateBucket([]byte("tiny"))
		must(err)
		must(tiny.Put([]byte("a"), []byte("1")))
		must(tiny.Put([]byte("b"), []byte("2")))
		must(outer.Put([]byte("plain"), []byte("not a bucket")))
		small, err := tx.CreateBucket([]byte("small"))
		must(err)
		must(small.Put([]byte("x"), []byte("inline")))
		must(small.Put([]byte("y"), []byte{}))
		return nil
	}))
	// A second transaction so both meta pages are in use.
	must(db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket([]byte("small")).Put([]byte("z"), []byte("second tx"))
	}))
	must(db.View(func(tx *bolt.Tx) error {
		note("big.txid %d", tx.ID())
		bucketNote("many", tx.Bucket([]byte("many")))
		bucketNote("overflow", tx.Bucket([]byte("overflow")))
		bucketNote("outer", tx.Bucket([]byte("outer")))
		bucketNote("outer/inner", tx.Bucket([]byte("outer")).Bucket([]byte("inner")))
		bucketNote("outer/tiny", tx.Bucket([]byte("outer")).Bucket([]byte("tiny")))
		bucketNote("small", tx.Bucket([]byte("small")))
		v := tx.Bucket([]byte("many")).Get([]byte("k04321"))
		note("many.k04321 %s", v)
		return nil
	}))
	must(db.Close())
}

// damage writes a copy of big.db with the newer meta's checksum flipped
// (the reader must fall back to the older one) and one branch element of
// bucket "many" pointing far past the end of the file.
func damage(src, dst string) {
	b, err := ioutil.ReadFile(src)
	must(err)
	ps := int(binary.LittleEndian.Uint32(b[24:]))
	t0 := binary.LittleEndian.Uint64(b[64:])
	t1 := binary.LittleEndian.Uint64(b[ps+64:])
	newer := 0
	if t1 > t0 {
		newer = ps
	}
	b[newer+72] ^= 0xff
	note("damaged.meta_flipped %d", newer/ps)
	// Find bucket many's root (a branch page) through the older meta's
	// root, which is the same tree minus the second transaction.
	db, err := bolt.Open(src, 0400, &bolt.Options{ReadOnly: true})
	must(err)
	var root uint64
	must(db.View(func(tx *bolt.Tx) error {
		root = uint64(tx.Bucket([]byte("many")).Root())
		return nil
	}))
	db.Close()
	off := int(root) * ps
	if binary.LittleEndian.Uint16(b[off+8:]) != 0x01 {
		must(fmt.Errorf("bucket many's root %d is not a branch page", root))
	}
	// Second element's child pgid.
	binary.LittleEndian.PutUint64(b[off+16+16+8:], 1<<40)
	note("damaged.bad_page_parent %d", root)
	must(ioutil.WriteFile(dst, b, 0644))
}

// Consul's catalog requests, as msgpack maps (agent/structs field names).
type healthCheck struct {
	Node    string
	CheckID string
	Name    string
	Status  string
	Output  string
}
type registerRequest struct {
	Datacenter     string
	ID             string
	Node           string
	Address        string
	Check          *healthCheck
	SkipNodeUpdate bool
}
type deregisterRequest struct {
	Datacenter string
	Node       string
	ServiceID  string
	CheckID    string
}

func msgpack(in interface{}) []byte {
	var buf bytes.Buffer
	hd := codec.MsgpackHandle{}
	must(codec.NewEncoder(&buf, &hd).Encode(in))
	return buf.Bytes()
}

func fsm(t byte, in interface{}) []byte {
	return append([]byte{t}, msgpack(in)...)
}

func config(servers ...raft.Server) []byte {
	return raft.EncodeConfiguration(raft.Configuration{Servers: servers})
}

func voter(id, addr string) raft.Server {
	return raft.Server{Suffrage: raft.Voter, ID: raft.ServerID(id), Address: raft.ServerAddress(addr)}
}

func peers(addrs ...string) []byte {
	var b [][]byte
	for _, a := range addrs {
		b = append(b, []byte(a))
	}
	return msgpack(b)
}

// chunkInfo: protobuf {1 op_num, 2 sequence_num, 3 num_chunks}.
func chunkInfo(op uint64, seq, total uint32) []byte {
	var b []byte
	put := func(field int, v uint64) {
		if v == 0 {
			return
		}
		b = append(b, byte(field<<3))
		for v >= 0x80 {
			b = append(b, byte(v)|0x80)
			v >>= 7
		}
		b = append(b, byte(v))
	}
	put(1, op)
	put(2, uint64(seq))
	put(3, uint64(total))
	return b
}

// logWithTime is raft.Log plus AppendedAt (raft >= 1.3), encoded by the
// same codec as raft-boltdb; time.Time goes out as Go binary time.
type logWithTime struct {
	Index      uint64
	Term       uint64
	Type       raft.LogType
	Data       []byte
	Extensions []byte
	AppendedAt time.Time
}

// genRaft: a raft.db written by raft-boltdb with every entry kind the
// parser reads.
func genRaft(path string) {
	os.Remove(path)
	st, err := raftboltdb.NewBoltStore(path)
	must(err)
	must(st.SetUint64([]byte("CurrentTerm"), 4))
	must(st.SetUint64([]byte("LastVoteTerm"), 4))
	must(st.Set([]byte("LastVoteCand"), []byte("10.0.0.2:8300")))
	reg := fsm(0, registerRequest{Datacenter: "dc1", ID: "0b5f3e6c-1111-2222-3333-444455556666",
		Node: "node3", Address: "10.0.0.3",
		Check: &healthCheck{Node: "node3", CheckID: "serfHealth", Name: "Serf Health Status",
			Status: "critical", Output: "Agent not live or unreachable"}})
	big := fsm(0x80|0, registerRequest{Datacenter: "dc1", Node: "node5", Address: "10.0.0.5",
		ID: "55555555-0000-0000-0000-000000000005",
		Check: &healthCheck{Node: "node5", CheckID: "serfHealth", Status: "critical",
			Output: string(pattern(600, 'a'))}})
	half := len(big) / 2
	logs := []*raft.Log{
		{Index: 1, Term: 1, Type: raft.LogRemovePeerDeprecated, Data: peers("10.0.0.1:8300", "10.0.0.2:8300", "10.0.0.3:8300")},
		{Index: 2, Term: 2, Type: raft.LogNoop},
		{Index: 3, Term: 2, Type: raft.LogConfiguration, Data: config(voter("10.0.0.1:8300", "10.0.0.1:8300"),
			voter("10.0.0.2:8300", "10.0.0.2:8300"), voter("10.0.0.3:8300", "10.0.0.3:8300"))},
		{Index: 4, Term: 2, Type: raft.LogCommand, Data: reg},
		{Index: 5, Term: 3, Type: raft.LogNoop},
		{Index: 6, Term: 3, Type: raft.LogConfiguration, Data: config(voter("10.0.0.1:8300", "10.0.0.1:8300"),
			voter("10.0.0.2:8300", "10.0.0.2:8300"),
			raft.Server{Suffrage: raft.Nonvoter, ID: "10.0.0.4:8300", Address: "10.0.0.4:8300"})},
		{Index: 7, Term: 3, Type: raft.LogCommand, Data: fsm(1, deregisterRequest{Datacenter: "dc1", Node: "node3"})},
		{Index: 8, Term: 3, Type: raft.LogCommand, Data: fsm(1, deregisterRequest{Datacenter: "dc1", Node: "node4", CheckID: "web"})},
		{Index: 9, Term: 3, Type: raft.LogCommand, Data: big[:half], Extensions: chunkInfo(7, 0, 2)},
		{Index: 10, Term: 3, Type: raft.LogCommand, Data: big[half:], Extensions: chunkInfo(7, 1, 2)},
		{Index: 11, Term: 3, Type: raft.LogBarrier},
	}
	must(st.StoreLogs(logs))
	must(st.Close())
	// Two entries of a newer raft: AppendedAt as Go binary time.
	db, err := bolt.Open(path, 0600, nil)
	must(err)
	at := time.Date(2026, 11, 22, 5, 9, 59, 123000000, time.UTC)
	must(db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket([]byte("logs"))
		for i, l := range []logWithTime{
			{Index: 12, Term: 4, Type: raft.LogNoop, AppendedAt: at},
			{Index: 13, Term: 4, Type: raft.LogConfiguration, AppendedAt: at.Add(time.Second),
				Data: config(voter("10.0.0.1:8300", "10.0.0.1:8300"), voter("10.0.0.2:8300", "10.0.0.2:8300"),
					voter("10.0.0.4:8300", "10.0.0.4:8300"))},
		} {
			var k [8]byte
			binary.BigEndian.PutUint64(k[:], l.Index)
			if err := b.Put(k[:], msgpack(&l)); err != nil {
				return err
			}
			_ = i
		}
		return nil
	}))
	must(db.Close())
	note("raft.appended_at_ms %d", at.UnixNano()/1e6)
	note("raft.appended_at2_ms %d", at.Add(time.Second).UnixNano()/1e6)
}

// etcdMember is etcd's membership.Member JSON.
func etcdMember(id uint64, name string, peer string, learner bool) []byte {
	s := fmt.Sprintf(`{"id":%d,"peerURLs":["%s"],"name":"%s","clientURLs":["http://%s:2379"]`, id, peer, name, name)
	if name == "" {
		s = fmt.Sprintf(`{"id":%d,"peerURLs":["%s"]`, id, peer)
	}
	if learner {
		s += `,"isLearner":true`
	}
	return []byte(s + "}")
}

// genEtcd: an etcd 3.5-style backend (members, members_removed, cluster,
// meta with term and confState); ids above 2^53 on purpose.
func genEtcd(path string) {
	os.Remove(path)
	db, err := bolt.Open(path, 0600, nil)
	must(err)
	ids := []uint64{0x8e9e05c52164694d, 0x91bc3c398fb3c146, 0xfd422379fda50e48, 0x2f0e1d4c3b2a1908}
	names := []string{"etcd1", "etcd2", "etcd3", ""}
	must(db.Update(func(tx *bolt.Tx) error {
		m, _ := tx.CreateBucket([]byte("members"))
		for i, id := range ids {
			peer := fmt.Sprintf("http://10.0.1.%d:2380", i+1)
			must(m.Put([]byte(fmt.Sprintf("%x", id)), etcdMember(id, names[i], peer, i == 3)))
		}
		r, _ := tx.CreateBucket([]byte("members_removed"))
		must(r.Put([]byte("a1b2c3d4e5f60718"), []byte("removed")))
		c, _ := tx.CreateBucket([]byte("cluster"))
		must(c.Put([]byte("clusterVersion"), []byte("3.5.0")))
		meta, _ := tx.CreateBucket([]byte("meta"))
		var b [8]byte
		binary.BigEndian.PutUint64(b[:], 12345)
		must(meta.Put([]byte("consistent_index"), append([]byte{}, b[:]...)))
		binary.BigEndian.PutUint64(b[:], 7)
		must(meta.Put([]byte("term"), append([]byte{}, b[:]...)))
		must(meta.Put([]byte("confState"), []byte(fmt.Sprintf(
			`{"voters":[%d,%d,%d],"learners":[%d],"auto_leave":false}`, ids[0], ids[1], ids[2], ids[3]))))
		_, err := tx.CreateBucket([]byte("key"))
		return err
	}))
	must(db.Close())
	sort.Slice(ids, func(i, j int) bool { return fmt.Sprintf("%x", ids[i]) < fmt.Sprintf("%x", ids[j]) })
}

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: gen OUTDIR")
		os.Exit(2)
	}
	out := os.Args[1]
	genBig(filepath.Join(out, "big.db"))
	damage(filepath.Join(out, "big.db"), filepath.Join(out, "damaged.db"))
	genRaft(filepath.Join(out, "raft.db"))
	genEtcd(filepath.Join(out, "etcd.db"))
	must(ioutil.WriteFile(filepath.Join(out, "expected.txt"), expect.Bytes(), 0644))
}
