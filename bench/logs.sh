#!/usr/bin/env bash
# Log throughput benchmark: the Consul, etcd and ZooKeeper log parsers of
# this tree against those of a base commit (by default the one before the
# shared log-line layer, src/wire-logline.c, came in), on the same logs in
# the same run.
#
# bench/make-logs.py writes about BENCH_LOG_BYTES (default 100000000) of
# logs into a temporary directory (removed on exit): one node with
# consul/consul.log, etcd/etcd.log and zookeeper/zookeeper.log, each a
# third, in the layouts the parsers read, behind the wrappers logs arrive
# in (none, journald, docker json-file, CRI, compose), one event line in a
# hundred.  The base is exported with git archive and built in the same
# temporary directory (configure; make), a few minutes on
# two cores.  hyperfine then times `quorumscope inventory -q DIR` of both,
# RUNS runs each after a warm-up, and prints the ratio (new/base; below 1
# is faster).  It measures; it fails only on a broken set-up.
#
# Environment: RUNS (default 5), BENCH_LOG_BYTES, BENCH_BASE (a commit),
# BENCH_BASE_BIN (an already built base binary instead of building one),
# BENCH_TMPDIR, QUORUMSCOPE (default src/quorumscope).
set -u

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
runs=${RUNS:-5}
bytes=${BENCH_LOG_BYTES:-100000000}
qs=${QUORUMSCOPE:-$top/src/quorumscope}
tmpbase=${BENCH_TMPDIR:-${TMPDIR:-/tmp}}

die() { echo "logs.sh: $*" >&2; exit 1; }
command -v hyperfine >/dev/null || die "hyperfine missing: apt-get install hyperfine"
[ -x "$qs" ] || die "no quorumscope binary at $qs (build first)"

tmp=$(mktemp -d "$tmpbase/qs-bench-logs.XXXXXX") || die "mktemp failed"
trap 'rm -rf "$tmp"' EXIT INT TERM

base_bin=${BENCH_BASE_BIN:-}
if [ -z "$base_bin" ]; then
	base=${BENCH_BASE:-}
	if [ -z "$base" ]; then
		added=$(git -C "$top" log --format=%H --diff-filter=A -1 -- \
		    src/wire-logline.c) || die "not a git checkout; set BENCH_BASE_BIN"
		[ -n "$added" ] || die "src/wire-logline.c not committed; set BENCH_BASE"
		base=$added^
	fi
	echo "building base $(git -C "$top" rev-parse --short "$base") ..."
	mkdir "$tmp/base" && git -C "$top" archive "$base" | tar -x -C "$tmp/base" ||
	    die "git archive $base failed"
	(cd "$tmp/base" && autoreconf -fi && ./configure && make -j2) \
	    > "$tmp/base.log" 2>&1 || { tail -20 "$tmp/base.log"; die "base build failed"; }
	base_bin=$tmp/base/src/quorumscope
fi

echo "writing $bytes bytes of logs ..."
python3 "$here/make-logs.py" "$tmp/logs" "$bytes" || die "make-logs.py failed"

hyperfine --style basic --warmup 1 --runs "$runs" \
    --export-json "$tmp/times.json" \
    -n base "$base_bin inventory -q $tmp/logs" \
    -n new "$qs inventory -q $tmp/logs" || die "hyperfine failed"
python3 - "$tmp/times.json" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
b, n = r["base"]["median"], r["new"]["median"]
print("median base %.3f s, new %.3f s, ratio new/base %.3f" % (b, n, n / b))
PY
exit 0
