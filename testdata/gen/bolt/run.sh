#!/bin/sh
# Regenerates testdata/bolt/ (the BoltDB fixtures of the bolt reader and of
# the consul.raft_db and etcd.db parsers) with the real Go libraries:
# boltdb/bolt 1.3.1, hashicorp/raft 1.1.2, raft-boltdb, go-msgpack 0.5.5.
# GOPATH mode on Debian's packaged sources; nothing is downloaded.
#
#   testdata/gen/bolt/run.sh
#
# Writes testdata/bolt/{big,damaged,raft,etcd}.db.gz and expected.txt (the
# values the unit tests compare against).  Leaves no temp dir behind.
set -eu
GEN_DIR=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$GEN_DIR/../../.." && pwd)
OUT=${OUT_DIR:-$TOP/testdata/bolt}
PKGS="golang-go golang-github-boltdb-bolt-dev golang-github-hashicorp-raft-dev golang-github-hashicorp-raft-boltdb-dev golang-github-hashicorp-go-msgpack-dev"

command -v go >/dev/null || { echo "run.sh: go missing: apt-get install $PKGS" >&2; exit 1; }
for d in github.com/boltdb/bolt github.com/hashicorp/raft github.com/hashicorp/raft-boltdb github.com/hashicorp/go-msgpack; do
	[ -d "/usr/share/gocode/src/$d" ] || { echo "run.sh: $d missing: apt-get install $PKGS" >&2; exit 1; }
done
WORK=$(mktemp -d /tmp/quorumscope-bolt-gen.XXXXXX)
trap 'rm -rf "$WORK"' EXIT INT TERM
mkdir -p "$WORK/gopath" "$WORK/out" "$OUT"
(cd "$GEN_DIR" && GO111MODULE=off GOFLAGS= GOPATH="$WORK/gopath:/usr/share/gocode" \
    GOCACHE="$WORK/cache" go run gen.go "$WORK/out")
for f in big damaged raft etcd; do
	gzip -9 -n -c "$WORK/out/$f.db" > "$OUT/$f.db.gz"
done
cp "$WORK/out/expected.txt" "$OUT/expected.txt"
echo "run.sh: wrote $OUT"
