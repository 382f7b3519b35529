// Command gen writes a large raft.db for bench/bolt.sh with the real
// raft-boltdb (boltdb/bolt underneath): raft.Log entries of realistic
// shape (LogCommand with a Consul-like KVS payload, a LogNoop and a
// LogConfiguration now and then) appended in batches as a raft leader
// does, until the file reaches the requested size.
//
//	go run gen.go PATH MIN_BYTES
package main

import (
	"fmt"
	"os"
	"strconv"

	"github.com/hashicorp/raft"
	raftboltdb "github.com/hashicorp/raft-boltdb"
)

func main() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: gen PATH MIN_BYTES")
		os.Exit(2)
	}
	path := os.Args[1]
	min, err := strconv.ParseInt(os.Args[2], 10, 64)
	if err != nil {
		panic(err)
	}
	st, err := raftboltdb.NewBoltStore(path)
	if err != nil {
		panic(err)
	}
	conf := raft.EncodeConfiguration(raft.Configuration{Servers: []raft.Server{
		{Suffrage: raft.Voter, ID: "a", Address: "10.0.0.1:8300"},
		{Suffrage: raft.Voter, ID: "b", Address: "10.0.0.2:8300"},
		{Suffrage: raft.Voter, ID: "c", Address: "10.0.0.3:8300"},
	}})
	payload := make([]byte, 700)
	for i := range payload {
		payload[i] = byte('a' + i%26)
	}
	payload[0] = 2 // Consul KVS
	index, term := uint64(1), uint64(1)
	for {
		logs := make([]*raft.Log, 0, 4096)
		for i := 0; i < 4096; i++ {
			l := &raft.Log{Index: index, Term: term, Type: raft.LogCommand, Data: payload}
			switch {
			case index%100000 == 1:
				term++
				l.Term = term
				l.Type = raft.LogNoop
				l.Data = nil
			case index%100000 == 2:
				l.Type = raft.LogConfiguration
				l.Data = conf
			}
			logs = append(logs, l)
			index++
		}
		if err := st.StoreLogs(logs); err != nil {
			panic(err)
		}
		fi, err := os.Stat(path)
		if err != nil {
			panic(err)
		}
		if fi.Size() >= min {
			break
		}
	}
	st.SetUint64([]byte("CurrentTerm"), term)
	st.Close()
	fmt.Printf("entries %d\n", index-1)
}
