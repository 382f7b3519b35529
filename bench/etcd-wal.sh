#!/usr/bin/env bash
# etcd WAL benchmark: quorumscope's WAL decoder (src/parse-etcd-wal.c)
# against etcd's own wal package reading the same WAL of at least
# BENCH_WAL_BYTES (default 1.1 GB), in the same run.
#
# Generates the WAL with etcd 3.4's wal package (bench/etcd-wal/gen.go,
# GOPATH mode on Debian's golang-etcd-server-dev; 64 MB segments as etcd
# cuts them) into a temporary directory removed on exit, warms the page
# cache, then times RUNS times each (median reported), under
# /usr/bin/time -v for the peak RSS:
#   go      bench/etcd-wal/read.go: wal.OpenForRead + ReadAll, the way
#           etcd reads its WAL at start (what etcd-dump-logs does)
#   c       bench/etcd-wal/read.c: the directory read as quorumscope
#           does (qs_bundle_read: walk, recognition, the etcd.wal parser
#           over every segment), summary printed from what it recorded
#   tool    quorumscope inventory -q on the same directory
# checks that go and c print the same metadata, entry count, ConfChange
# count, last index and term, and HardState, and prints the ratios.  It
# measures; it fails only on a broken set-up.
#
# Needs a built tree (src/libquorumscope.a, config.h) and the Debian
# packages golang-go golang-etcd-server-dev time.
#
# Environment: RUNS (default 3), BENCH_WAL_BYTES, BENCH_TMPDIR,
# QUORUMSCOPE (default src/quorumscope), CC (default cc).
# t_*, cpu_* and rss_* are set by run() through eval.
# shellcheck disable=SC2154
set -u

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
runs=${RUNS:-3}
size=${BENCH_WAL_BYTES:-1100000000}
qs=${QUORUMSCOPE:-$top/src/quorumscope}
builddir=${top_builddir:-$top}

die() { echo "etcd-wal.sh: $*" >&2; exit 1; }
command -v go >/dev/null || die "go missing: apt-get install golang-go golang-etcd-server-dev"
[ -d /usr/share/gocode/src/go.etcd.io/etcd/wal ] ||
    die "etcd's wal package missing: apt-get install golang-etcd-server-dev"
[ -x /usr/bin/time ] || die "/usr/bin/time missing: apt-get install time"
[ -f "$builddir/src/libquorumscope.a" ] || die "build the tree first (make)"

work=$(mktemp -d "${BENCH_TMPDIR:-${TMPDIR:-/tmp}}/qs-etcd-wal-bench.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

export GO111MODULE=off GOFLAGS='' GOPATH="$work/gopath:/usr/share/gocode" GOCACHE="$work/gocache"
mkdir -p "$work/gopath"
echo "building the Go programs against etcd's packages (about 20 s)..." >&2
go build -o "$work/gen" "$here/etcd-wal/gen.go" || die "building gen.go failed"
go build -o "$work/read-go" "$here/etcd-wal/read.go" || die "building read.go failed"
# shellcheck disable=SC2046
${CC:-cc} -O2 -std=c11 -I"$builddir" -I"$top/src" -o "$work/read-c" \
    "$here/etcd-wal/read.c" "$builddir/src/libquorumscope.a" \
    $(pkg-config --libs libarchive libcjson) -lmagic ||
    die "building read.c failed"

# The tool sees an etcd member's data dir: node1/member/wal/*.wal.
wal="$work/node1/member/wal"
mkdir -p "$work/node1/member"
echo "generating a WAL of at least $size bytes with etcd's wal package..." >&2
a=$(date +%s.%N)
"$work/gen" "$wal" "$size" >"$work/gen.out" || die "generation failed"
b=$(date +%s.%N)
gen_s=$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.1f", b - a }')
bytes=$(cat "$wal"/*.wal | wc -c)
segs=$(find "$wal" -name '*.wal' | wc -l)
cat "$wal"/*.wal >/dev/null	# page cache warm for every contender

now() { date +%s.%N; }
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# run NAME OKCODES CMD...: RUNS timings; sets t_NAME (median s), rss_NAME
# (KiB) and cpu_NAME (median user+sys s).  OKCODES: exit codes accepted.
run() {
	name=$1 ok=$2
	shift 2
	times=() rss=() cpu=()
	for _ in $(seq "$runs"); do
		a=$(now)
		/usr/bin/time -v -o "$work/time.$name" "$@" >"$work/out.$name" 2>"$work/err.$name"
		rc=$?
		b=$(now)
		case " $ok " in
		*" $rc "*) ;;
		*)	tail -5 "$work/err.$name" >&2
			die "$name exited $rc" ;;
		esac
		times+=("$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.3f", b - a }')")
		rss+=("$(awk -F': ' '/Maximum resident/ { print $2 }' "$work/time.$name")")
		cpu+=("$(awk -F': ' '/User time/ { u = $2 } /System time/ { s = $2 } END { printf "%.2f", u + s }' "$work/time.$name")")
	done
	eval "t_$name=$(median "${times[@]}")"
	eval "rss_$name=$(median "${rss[@]}")"
	eval "cpu_$name=$(median "${cpu[@]}")"
}

load=$(cut -d' ' -f1-3 /proc/loadavg)
run go 0 "$work/read-go" "$wal"
run c 0 "$work/read-c" "$work/node1"
run tool "0 1" "$qs" inventory -q "$work/node1"
cmp -s "$work/out.go" "$work/out.c" ||
    die "go and c disagree: $(cat "$work/out.go") / $(cat "$work/out.c")"

echo "etcd WAL benchmark (median of $runs runs; load average before: $load; $(nproc) CPUs)"
printf 'WAL: %s bytes in %s segments, generated in %s s (%s)\n' "$bytes" "$segs" \
    "$gen_s" "$(cat "$work/gen.out")"
sed 's/^/both read: /' "$work/out.c"
printf '%-6s %10s %10s %14s\n' WHAT SECONDS CPU_S PEAK_RSS_KIB
printf '%-6s %10s %10s %14s\n' go "$t_go" "$cpu_go" "$rss_go"
printf '%-6s %10s %10s %14s\n' c "$t_c" "$cpu_c" "$rss_c"
printf '%-6s %10s %10s %14s\n' tool "$t_tool" "$cpu_tool" "$rss_tool"
awk -v g="$t_go" -v c="$t_c" -v t="$t_tool" -v b="$bytes" 'BEGIN {
	printf "ratio go/c: %.2f, go/tool: %.2f (above 1: quorumscope faster; target >= 2)\n", g / c, g / t
	printf "throughput: go %.0f MB/s, c %.0f MB/s, tool %.0f MB/s\n", b / g / 1e6, b / c / 1e6, b / t / 1e6
}'
echo "etcd-wal-bench: bytes=$bytes go=$t_go c=$t_c tool=$t_tool rss_go=$rss_go rss_c=$rss_c rss_tool=$rss_tool"
