// Command iter walks every key of a raft.db's logs bucket with
// boltdb/bolt (the library raft-boltdb uses; bbolt has the same format
// and cursor code) and prints the count and a checksum of keys and
// values, the same numbers bench/bolt/iter.c prints.
//
//	go run iter.go PATH
package main

import (
	"fmt"
	"os"

	"github.com/boltdb/bolt"
)

func main() {
	db, err := bolt.Open(os.Args[1], 0400, &bolt.Options{ReadOnly: true})
	if err != nil {
		panic(err)
	}
	var n, bytes, sum uint64
	err = db.View(func(tx *bolt.Tx) error {
		return tx.Bucket([]byte("logs")).ForEach(func(k, v []byte) error {
			n++
			bytes += uint64(len(k) + len(v))
			sum += uint64(k[len(k)-1])
			if len(v) > 0 {
				sum += uint64(v[len(v)-1])
			}
			return nil
		})
	})
	if err != nil {
		panic(err)
	}
	db.Close()
	fmt.Printf("keys %d bytes %d sum %d\n", n, bytes, sum)
}
