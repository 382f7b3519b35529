#!/usr/bin/env bash
# Generate the ZooKeeper / Triton binder fixture bundles from real runs of the
# Debian-packaged ZooKeeper server on loopback addresses.
#
#   testdata/gen/zookeeper/run.sh [SCENARIO...]
#
# Scenarios: zk-healthy zk-stale-address zk-quorum-loss zk-reconfig
# zk-split-brain zk-standalone zk-epoch-skew (default: all).  Output:
# testdata/bundles/<scenario>.tar.gz and <scenario>.README.  Addresses
# 127.0.0.51-127.0.0.83, client ports 21811-21817, quorum ports
# 22881-22887, election ports 22981-22987.  zk-stale-address runs in a private
# network namespace (unshare -n, or unshare -r -n when not root) so that a
# "destroyed" zone address can really be absent.
#
# Needs: zookeeper (Debian, 3.8.x) + its Java deps, python3, iproute2 (ip),
# util-linux (unshare), tar, gzip.  See README.md in this directory.
set -euo pipefail

GEN_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(cd "$GEN_DIR/../../.." && pwd)
OUT_DIR=${ZK_FIXTURE_OUT:-$TOP/testdata/bundles}
ALL="zk-healthy zk-stale-address zk-quorum-loss zk-reconfig zk-split-brain zk-standalone zk-epoch-skew"

if [ $# -gt 0 ]; then
	SCENARIOS="$*"
else
	SCENARIOS=$ALL
fi

for s in $SCENARIOS; do
	case " $ALL " in
	*" $s "*) ;;
	*) echo "unknown scenario: $s (known: $ALL)" >&2; exit 2 ;;
	esac
done

# shellcheck source=lib.sh
. "$GEN_DIR/lib.sh"

for tool in java python3 tar gzip; do
	command -v "$tool" >/dev/null || { echo "missing tool: $tool" >&2; exit 1; }
done
zk_classpath >/dev/null

WORK=$(mktemp -d "${TMPDIR:-/tmp}/zkfixtures.XXXXXX")
export ZK_PIDFILE="$WORK/pids"
: >"$ZK_PIDFILE"

cleanup() {
	local rc=$?
	zk_kill_all
	rm -rf "$WORK"
	exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$OUT_DIR"

# run_in_netns SCRIPT ARGS...: run a scenario in a private network namespace.
run_in_netns() {
	if [ "$(id -u)" = 0 ]; then
		unshare -n -- "$@"
	else
		unshare -r -n -- "$@"
	fi
}

# quiet_jobs: drop bash's "<pid> Killed ..." reports about servers we
# SIGKILLed on purpose; pass everything else to stderr.
quiet_jobs() {
	grep --line-buffered -vE '^[^ ]+: line [0-9]+: +[0-9]+ Killed ' >&2 || true
}

for s in $SCENARIOS; do
	echo "=== $s" >&2
	stage="$WORK/$s"
	mkdir -p "$stage"
	export ZK_WORK="$stage/work" ZK_STAGE="$stage" ZK_GEN_DIR="$GEN_DIR"
	mkdir -p "$ZK_WORK"
	case $s in
	zk-stale-address)
		command -v ip >/dev/null || { echo "zk-stale-address needs iproute2 (ip)" >&2; exit 1; }
		command -v unshare >/dev/null || { echo "zk-stale-address needs unshare (util-linux)" >&2; exit 1; }
		run_in_netns bash "$GEN_DIR/scenarios/$s.sh" 2>&1 | quiet_jobs
		;;
	*)
		bash "$GEN_DIR/scenarios/$s.sh" 2>&1 | quiet_jobs
		;;
	esac
	[ -d "$stage/tree/$s" ] || { echo "$s: scenario produced no tree" >&2; exit 1; }
	tar --sort=name --owner=0 --group=0 --numeric-owner -C "$stage/tree" -cf - "$s" |
		gzip -n -9 >"$OUT_DIR/$s.tar.gz.tmp"
	mv "$OUT_DIR/$s.tar.gz.tmp" "$OUT_DIR/$s.tar.gz"
	cp "$stage/README" "$OUT_DIR/$s.README"
	echo "$s: $(wc -c <"$OUT_DIR/$s.tar.gz") bytes -> $OUT_DIR/$s.tar.gz" >&2
	rm -rf "$stage"
done
