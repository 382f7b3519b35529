#!/usr/bin/env bash
# ZooKeeper transaction log benchmark: quorumscope's txn log reader
# (src/parse-zk-txnlog.c) against ZooKeeper's own TxnLogToolkit, both
# reading the same log of at least BENCH_TXNLOG_BYTES (default 1.1 GB)
# that a real ZooKeeper server (Debian zookeeper 3.8) wrote.
#
# Generation: one standalone server on 127.0.0.91 (BENCH_ZK_PORT, default
# 21891) in a temporary directory removed on exit, with snapCount and
# snapSizeLimitInKb set so that the server never rolls its log, and
# bench/zk-txnlog/Gen.java (compiled with javac against the Debian jars)
# writing creates, setData of 16 B to 300 KiB, deletes, multis and short
# sessions until the log holds the target; the server is stopped by PID.
# A few minutes.  BENCH_KEEP=1 keeps the log under BENCH_TMPDIR and reuses
# it next time; BENCH_TXNLOG=FILE measures an existing log instead.
#
# Then it warms the page cache and times RUNS runs each (median wall time,
# median peak RSS from /usr/bin/time -v):
#   toolkit  java -cp <Debian jars> ...persistence.TxnLogToolkit LOG: dumps
#            every transaction (output to /dev/null)
#   c        bench/zk-txnlog/read.c: the zk.txnlog parser over read(2)
#   dump     quorumscope dump on a directory holding version-2/log.N: the
#            whole command, bundle walk included
# checks that all three saw the same number of transactions and the same
# last zxid (the toolkit's in one more, untimed run whose output is kept),
# and prints the ratio toolkit/c.  It measures; it fails only on a broken
# set-up or a disagreement.
#
# Needs a built tree (src/libquorumscope.a, config.h) and the Debian
# packages zookeeper (3.8), default-jdk-headless (java, javac),
# libslf4j-java, liblog4j1.2-java and time.
#
# Environment: RUNS (default 3), BENCH_TXNLOG_BYTES, BENCH_TXNLOG,
# BENCH_KEEP, BENCH_TMPDIR, BENCH_ZK_PORT, QUORUMSCOPE (default
# src/quorumscope), CC (default cc), JAVA_OPTS (for TxnLogToolkit).
set -u

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
runs=${RUNS:-3}
size=${BENCH_TXNLOG_BYTES:-1100000000}
port=${BENCH_ZK_PORT:-21891}
addr=127.0.0.91
qs=${QUORUMSCOPE:-$top/src/quorumscope}
builddir=${top_builddir:-$top}
tmpbase=${BENCH_TMPDIR:-${TMPDIR:-/tmp}}

die() { echo "zk-txnlog.sh: $*" >&2; exit 1; }
if ! command -v java >/dev/null || ! command -v javac >/dev/null; then
	die "java/javac missing: apt-get install default-jdk-headless zookeeper"
fi
[ -x /usr/bin/time ] || die "/usr/bin/time missing: apt-get install time"
[ -f "$builddir/src/libquorumscope.a" ] || die "build the tree first (make)"
[ -x "$qs" ] || die "no quorumscope binary at $qs"

# zk_classpath, write_log4j, zk_kill, fourlw: the fixture generators' own.
ZK_GEN_DIR=$top/testdata/gen/zookeeper
# shellcheck source=../testdata/gen/zookeeper/lib.sh
. "$ZK_GEN_DIR/lib.sh"
cp=$(zk_classpath) || die "ZooKeeper jars missing"

work=$(mktemp -d "$tmpbase/qs-zk-txnlog-bench.XXXXXX") || exit 1
server=
cleanup() {
	[ -n "$server" ] && zk_kill "$server" KILL
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
export ZK_WORK=$work ZK_PIDFILE=$work/pids	# lib.sh's scratch and PID list

# shellcheck disable=SC2046
${CC:-cc} -O2 -std=c11 -I"$builddir" -I"$top/src" -o "$work/read-c" \
    "$here/zk-txnlog/read.c" "$builddir/src/libquorumscope.a" \
    $(pkg-config --libs libarchive libcjson) -lmagic ||
    die "building read.c failed"

# generate DATADIR: a standalone server and Gen until the log is big
# enough.  Gen's summary goes to $work/gen.out.  (Not in a subshell: the
# EXIT trap must see $server.)
generate() {
	local data=$1 _
	mkdir -p "$data" "$work/cls"
	javac -proc:none -d "$work/cls" -cp "$cp" "$here/zk-txnlog/Gen.java" ||
	    die "compiling Gen.java failed"
	cat >"$work/zoo.cfg" <<EOT
tickTime=2000
dataDir=$data
clientPortAddress=$addr
clientPort=$port
maxClientCnxns=0
EOT
	write_log4j "$work/log4j.properties" "$work/zookeeper.log"
	# Someone else's server there would take our load and our log.
	[ -z "$(zk_mode "$addr" "$port")" ] ||
	    die "a ZooKeeper already answers on $addr:$port; set BENCH_ZK_PORT"
	# snapCount and snapSizeLimitInKb (ZooKeeperServer, read by
	# SyncRequestProcessor.shouldSnapshot) would roll the log after
	# 50,000-100,000 txns or 2-4 GB; forceSync=no skips the fsync per
	# group commit (the bytes written are the same); preAllocSize (KiB)
	# is the default 64 MiB step, spelt out.
	nice -n 10 java -Xms256m -Xmx768m -Djava.net.preferIPv4Stack=true \
	    -Dzookeeper.admin.enableServer=false \
	    '-Dzookeeper.4lw.commands.whitelist=*' \
	    -Dzookeeper.snapCount=2000000000 \
	    -Dzookeeper.snapSizeLimitInKb=-1 \
	    -Dzookeeper.preAllocSize=65536 \
	    -Dzookeeper.forceSync=no \
	    -Dlog4j.configuration="file:$work/log4j.properties" \
	    -cp "$cp" org.apache.zookeeper.server.quorum.QuorumPeerMain \
	    "$work/zoo.cfg" >"$work/server.out" 2>&1 </dev/null &
	server=$!
	for _ in $(seq 1 120); do
		[ -n "$(zk_mode "$addr" "$port")" ] && break
		kill -0 "$server" 2>/dev/null ||
		    die "server exited: $(tail -n 5 "$work/zookeeper.log")"
		sleep 0.5
	done
	[ -n "$(zk_mode "$addr" "$port")" ] ||
	    die "server not serving on $addr:$port"
	nice -n 10 java -Xmx256m -Djava.net.preferIPv4Stack=true \
	    -Dlog4j.configuration="file:$work/log4j.properties" \
	    -cp "$work/cls:$cp" Gen "$addr:$port" "$size" 20261122 \
	    >"$work/gen.out" ||
	    die "Gen failed: $(tail -n 5 "$work/zookeeper.log")"
	zk_kill "$server" TERM
	server=
}

t0=$(date +%s)
if [ -n "${BENCH_TXNLOG:-}" ]; then
	src_log=$BENCH_TXNLOG
	gen="given"
else
	keep=$tmpbase/qs-zk-txnlog-$size
	if [ "${BENCH_KEEP:-0}" = 1 ] && ls "$keep"/version-2/log.* >/dev/null 2>&1; then
		gen="kept in $keep"
	else
		echo "generating a txn log of at least $size bytes with ZooKeeper..." >&2
		generate "$work/data"
		gen="$(cat "$work/gen.out"), generated in $(($(date +%s) - t0)) s"
		if [ "${BENCH_KEEP:-0}" = 1 ]; then
			rm -rf "$keep"
			mkdir -p "$keep"
			mv "$work/data/version-2" "$keep/" || die "keeping the log failed"
		else
			keep=$work/data
		fi
	fi
	# shellcheck disable=SC2012
	[ "$(ls "$keep"/version-2/log.* | wc -l)" = 1 ] ||
	    die "the server rolled its log: $(ls "$keep"/version-2)"
	src_log=$(ls "$keep"/version-2/log.*)
fi
[ -r "$src_log" ] || die "no log at $src_log"

# quorumscope dump wants a node directory and follows no symlink out of
# it: a hard link costs no copy (a copy only across file systems).
mkdir -p "$work/node/zookeeper/zookeeper/version-2"
node_log=$work/node/zookeeper/zookeeper/version-2/$(basename "$src_log")
ln "$src_log" "$node_log" 2>/dev/null || cp "$src_log" "$node_log" ||
    die "cannot link or copy $src_log"
bytes=$(wc -c <"$src_log")
cat "$src_log" >/dev/null		# page cache warm for every contender
load0=$(cut -d' ' -f1-3 /proc/loadavg)

now() { date +%s.%N; }
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# run NAME CMD...: RUNS timings; sets t_NAME (median wall s), cpu_NAME
# (median user + system s: less at the mercy of other jobs on a shared
# machine, but it counts the JVM's compiler and GC threads too) and
# rss_NAME (median peak KiB).
run() {
	local name=$1 a b
	shift
	times=() cpus=() rss=()
	for _ in $(seq "$runs"); do
		a=$(now)
		/usr/bin/time -v -o "$work/time.$name" "$@" >"$work/out.$name" \
		    2>"$work/err.$name" </dev/null ||
		    die "$name failed: $(tail -n 3 "$work/err.$name")"
		b=$(now)
		times+=("$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%.3f", b - a }')")
		rss+=("$(awk -F': ' '/Maximum resident/ { print $2 }' "$work/time.$name")")
		cpus+=("$(awk -F': ' '/(User|System) time/ { s += $2 }
		    END { printf "%.3f", s }' "$work/time.$name")")
	done
	eval "t_$name=$(median "${times[@]}")"
	eval "cpu_$name=$(median "${cpus[@]}")"
	eval "rss_$name=$(median "${rss[@]}")"
}

# shellcheck disable=SC2206	# JAVA_OPTS: words, like zkEnv.sh's JVMFLAGS
toolkit=(java ${JAVA_OPTS:-} -cp "$cp" org.apache.zookeeper.server.persistence.TxnLogToolkit)
# ZooKeeperMain-style output goes to /dev/null: only the reading is timed.
run toolkit sh -c '"$@" >/dev/null' toolkit "${toolkit[@]}" "$src_log"
run c "$work/read-c" "$src_log"
run dump "$qs" dump -q "$work/node" '*:*version-2/log.*'

# The toolkit's count and last zxid, from one more run.  Each txn is one
# line "<date> session 0x.. cxid 0x.. zxid 0x.. <op> <data>"; data may
# hold anything after that, so only the start of a line is trusted.
"${toolkit[@]}" "$src_log" </dev/null 2>/dev/null | awk '
	/^EOF reached after [0-9]+ txns\.$/ { n = $4 }
	match($0, / session 0x[0-9a-f]+ cxid 0x[0-9a-f]+ zxid 0x[0-9a-f]+ /) {
		s = substr($0, RSTART, RLENGTH); sub(/.* zxid /, "", s)
		sub(/ $/, "", s); z = s
	}
	END { printf "txns %s last_zxid %s\n", n, z }' >"$work/check.toolkit"
read -r _ tk_txns _ tk_zxid <"$work/check.toolkit"
read -r _ c_txns _ c_zxid _ c_first _ c_status <"$work/out.c"
d_txns=$(sed -n 's/^setting *zk.txnlog.txns = \([0-9]*\).*/\1/p' "$work/out.dump")
d_zxid=$(sed -n 's/^setting *zk.txnlog.last_zxid = \(0x[0-9a-f]*\).*/\1/p' "$work/out.dump")
[ "$c_status" = parsed ] || die "the C reader found damage: $(cat "$work/err.c")"
[ -n "$tk_txns" ] && [ "$tk_txns" = "$c_txns" ] && [ "$c_txns" = "$d_txns" ] ||
    die "txn counts disagree: toolkit $tk_txns, c $c_txns, dump $d_txns"
[ "$tk_zxid" = "$c_zxid" ] && [ "$c_zxid" = "$d_zxid" ] ||
    die "last zxids disagree: toolkit $tk_zxid, c $c_zxid, dump $d_zxid"

printf 'txn log: %s, %s bytes (%s)\n' "$(basename "$src_log")" "$bytes" "$gen"
printf 'txns %s, zxid %s..%s, agreed by all three\n' "$c_txns" "$c_first" "$c_zxid"
printf 'load before/after: %s / %s\n' "$load0" "$(cut -d' ' -f1-3 /proc/loadavg)"
# shellcheck disable=SC2154	# t_*, cpu_*, rss_*: set by run()'s eval
{
	printf '%-8s %10s %10s %12s\n' WHAT SECONDS CPU_S PEAK_RSS_KIB
	printf '%-8s %10s %10s %12s\n' toolkit "$t_toolkit" "$cpu_toolkit" "$rss_toolkit"
	printf '%-8s %10s %10s %12s\n' c "$t_c" "$cpu_c" "$rss_c"
	printf '%-8s %10s %10s %12s\n' dump "$t_dump" "$cpu_dump" "$rss_dump"
	awk -v t="$t_toolkit" -v c="$t_c" -v d="$t_dump" -v tc="$cpu_toolkit" \
	    -v cc="$cpu_c" -v dc="$cpu_dump" 'BEGIN {
		printf "ratio toolkit/c: %.1f, toolkit/dump: %.1f wall (target >= 5); ", t / c, t / d
		# (a tiny log can take under the 10 ms time(1) resolves)
		if (cc > 0 && dc > 0)
			printf "cpu %.1f, %.1f\n", tc / cc, tc / dc
		else
			printf "cpu too short to tell\n" }'
}
