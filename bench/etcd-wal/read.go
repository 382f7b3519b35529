// Command read is bench/etcd-wal.sh's Go side: it reads a whole WAL
// directory with etcd's own wal package (wal.OpenForRead from the start,
// then ReadAll, which checks the CRC chain, decodes every record and
// returns the metadata, the last HardState and the entries) and prints
// the summary etcd-dump-logs would give, in the same words as
// bench/etcd-wal/read.c (ids in hex as etcd's types.ID prints them).
// Debian does not package etcd-dump-logs.
//
//	read DIR
package main

import (
	"fmt"
	"os"

	pb "go.etcd.io/etcd/etcdserver/etcdserverpb"
	"go.etcd.io/etcd/pkg/pbutil"
	"go.etcd.io/etcd/raft/raftpb"
	"go.etcd.io/etcd/wal"
	"go.etcd.io/etcd/wal/walpb"
	"go.uber.org/zap"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: read DIR")
		os.Exit(2)
	}
	w, err := wal.OpenForRead(zap.NewNop(), os.Args[1], walpb.Snapshot{})
	if err != nil {
		fmt.Fprintln(os.Stderr, "read:", err)
		os.Exit(1)
	}
	meta, st, ents, err := w.ReadAll()
	if err != nil {
		fmt.Fprintln(os.Stderr, "read:", err)
		os.Exit(1)
	}
	w.Close()
	var md pb.Metadata
	pbutil.MustUnmarshal(&md, meta)
	conf := 0
	for i := range ents {
		if ents[i].Type == raftpb.EntryConfChange {
			var cc raftpb.ConfChange
			pbutil.MustUnmarshal(&cc, ents[i].Data)
			if cc.NodeID != 0 {
				conf++
			}
		}
	}
	var last raftpb.Entry
	if len(ents) > 0 {
		last = ents[len(ents)-1]
	}
	fmt.Printf("metadata node %x cluster %x\n", md.NodeID, md.ClusterID)
	fmt.Printf("entries %d confchanges %d last index %d term %d\n",
		len(ents), conf, last.Index, last.Term)
	fmt.Printf("hardstate term %d vote %x commit %d\n", st.Term, st.Vote, st.Commit)
}
