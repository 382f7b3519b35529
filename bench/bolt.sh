#!/usr/bin/env bash
# BoltDB benchmark: quorumscope's read-only reader (src/bolt.c) against
# boltdb/bolt, the Go library raft-boltdb uses (bbolt shares its format and
# cursor code), iterating every key of the same large raft.db.
#
# Generates a raft.db of at least BENCH_BOLT_BYTES (default 500 MiB) with
# the real raft-boltdb (bench/bolt/gen.go, GOPATH mode on Debian's packaged
# Go sources) in a temporary directory removed on exit, warms the page
# cache, then times RUNS times each (median reported), under
# /usr/bin/time -v for the peak RSS:
#   go      bench/bolt/iter.go: bolt ForEach over bucket "logs"
#   c       bench/bolt/iter.c:  qs_bolt_foreach over bucket "logs" (mmap)
#   parse   quorumscope inventory on a directory holding the file: the
#           consul.raft_db parser decoding every entry, after the bundle
#           reader has spooled the 500 MiB entry to a temporary file
# checks that go and c saw the same keys, bytes and checksum, and prints
# the ratio go/c.  It measures; it fails only on a broken set-up.
#
# Needs a built tree (src/libquorumscope.a, config.h) and the Debian
# packages golang-go golang-github-hashicorp-raft-boltdb-dev
# golang-github-hashicorp-raft-dev golang-github-boltdb-bolt-dev.
#
# Environment: RUNS (default 3), BENCH_BOLT_BYTES, BENCH_TMPDIR,
# QUORUMSCOPE (default src/quorumscope), CC (default cc).
set -u

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
runs=${RUNS:-3}
size=${BENCH_BOLT_BYTES:-524288000}
qs=${QUORUMSCOPE:-$top/src/quorumscope}
builddir=${top_builddir:-$top}

die() { echo "bolt.sh: $*" >&2; exit 1; }
command -v go >/dev/null || die "go missing: apt-get install golang-go golang-github-hashicorp-raft-boltdb-dev"
[ -f "$builddir/src/libquorumscope.a" ] || die "build the tree first (make)"

work=$(mktemp -d "${BENCH_TMPDIR:-${TMPDIR:-/tmp}}/qs-bolt-bench.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

export GO111MODULE=off GOFLAGS= GOPATH="$work/gopath:/usr/share/gocode" GOCACHE="$work/gocache"
mkdir -p "$work/gopath"
go build -o "$work/gen" "$here/bolt/gen.go" || die "building gen.go failed"
go build -o "$work/iter-go" "$here/bolt/iter.go" || die "building iter.go failed"
# shellcheck disable=SC2046
${CC:-cc} -O2 -std=c11 -I"$builddir" -I"$top/src" -o "$work/iter-c" "$here/bolt/iter.c" \
    "$builddir/src/libquorumscope.a" $(pkg-config --libs libarchive libcjson) -lmagic ||
    die "building iter.c failed"

mkdir -p "$work/node1/consul/data/raft"
db="$work/node1/consul/data/raft/raft.db"
echo "generating a raft.db of at least $size bytes with raft-boltdb..." >&2
"$work/gen" "$db" "$size" >"$work/gen.out" || die "generation failed"
bytes=$(wc -c <"$db")
cat "$db" >/dev/null		# page cache warm for every contender

now() { date +%s.%N; }
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# run NAME CMD...: RUNS timings; sets t_NAME (median s) and rss_NAME (KiB).
run() {
	name=$1
	shift
	times=() rss=()
	for _ in $(seq "$runs"); do
		a=$(now)
		/usr/bin/time -v -o "$work/time.$name" "$@" >"$work/out.$name" 2>/dev/null ||
		    die "$name failed"
		b=$(now)
		times+=("$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.3f", b - a }')")
		rss+=("$(awk -F': ' '/Maximum resident/ { print $2 }' "$work/time.$name")")
	done
	eval "t_$name=$(median "${times[@]}")"
	eval "rss_$name=$(median "${rss[@]}")"
}

run go "$work/iter-go" "$db"
run c "$work/iter-c" "$db"
run parse "$qs" inventory -q "$work/node1"
cmp -s "$work/out.go" "$work/out.c" || die "go and c disagree: $(cat "$work/out.go") / $(cat "$work/out.c")"

printf 'raft.db: %s bytes, %s (%s)\n' "$bytes" "$(cat "$work/out.c")" "$(cat "$work/gen.out")"
printf '%-8s %10s %12s\n' WHAT SECONDS PEAK_RSS_KIB
printf '%-8s %10s %12s\n' go "$t_go" "$rss_go"
printf '%-8s %10s %12s\n' c "$t_c" "$rss_c"
printf '%-8s %10s %12s\n' parse "$t_parse" "$rss_parse"
awk -v g="$t_go" -v c="$t_c" 'BEGIN { printf "ratio go/c: %.2f (above 1: quorumscope faster)\n", g / c }'
