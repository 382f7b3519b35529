#!/usr/bin/env bash
# Generate the ZooKeeper / Triton binder fixture bundles from real runs of the
# Debian-packaged ZooKeeper server on loopback addresses.
#
#   testdata/gen/zookeeper/run.sh [SCENARIO...]
#
# Scenarios: see ALL below (default: all).  Output:
# testdata/bundles/<scenario>.tar.gz and <scenario>.README.  The Triton
# scenarios use 127.0.0.51-127.0.0.83, client ports 21811-21817, quorum ports
# 22881-22887, election ports 22981-22987; the others 127.0.2.0/24 and ports
# above 30000 (README.md has the table).  zk-stale-address and zk-crash-loop
# run in a private network namespace (unshare -n, or unshare -r -n when not
# root) so that an address can really be absent; zk-hostnames in a private
# mount namespace (unshare -m, root only) with its own /etc/hosts.  A
# scenario that exits 75 saw the timing tell another story and is run again
# (three times at most).
#
# Needs: zookeeper (Debian, 3.8.x) + its Java deps, python3, iproute2 (ip),
# util-linux (unshare), tar, gzip.  See README.md in this directory.
set -euo pipefail

GEN_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(cd "$GEN_DIR/../../.." && pwd)
OUT_DIR=${ZK_FIXTURE_OUT:-$TOP/testdata/bundles}
ALL="zk-healthy zk-stale-address zk-quorum-loss zk-reconfig zk-split-brain zk-standalone zk-epoch-skew
zk-kill2of3-nc zk-kill2of3-journal zk-kill3of5-paused zk-kill3of5-maint zk-leader-moved
zk-hostnames zk-rolling-3 zk-rolling-5 zk-crash-loop zk-reconfig-removed-running zk-kafka"
# shellcheck disable=SC2086,SC2116 # one line, single blanks
ALL=$(echo $ALL)

# script_of SCENARIO: the script that makes it (variants share one).
script_of() {
	case $1 in
	zk-kill2of3-*) echo "$GEN_DIR/scenarios/zk-kill2of3.sh" ;;
	zk-kill3of5-*) echo "$GEN_DIR/scenarios/zk-kill3of5.sh" ;;
	zk-rolling-*) echo "$GEN_DIR/scenarios/zk-rolling.sh" ;;
	*) echo "$GEN_DIR/scenarios/$1.sh" ;;
	esac
}

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

for tool in java python3 tar gzip nc ss; do
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
# SIGKILLed on purpose and the "Done" of journal readers; pass everything
# else to stderr.
quiet_jobs() {
	grep --line-buffered -vE '^[^ ]+: line [0-9]+: +[0-9]+ Killed |^ +[0-9]+ (Done|Killed) +\| journal_tee' >&2 || true
}

# run_scenario NAME: one run of the scenario's script in its namespace.
run_scenario() {
	local s=$1 script
	script=$(script_of "$s")
	case $s in
	zk-stale-address | zk-crash-loop)
		command -v ip >/dev/null || { echo "$s needs iproute2 (ip)" >&2; return 1; }
		command -v unshare >/dev/null || { echo "$s needs unshare (util-linux)" >&2; return 1; }
		run_in_netns bash "$script" "$s" 2>&1 | quiet_jobs
		;;
	zk-hostnames)
		[ "$(id -u)" = 0 ] || { echo "$s needs root (unshare -m, bind mount over /etc/hosts)" >&2; return 1; }
		unshare -m -- bash "$script" "$s" 2>&1 | quiet_jobs
		;;
	*)
		bash "$script" "$s" 2>&1 | quiet_jobs
		;;
	esac
}

for s in $SCENARIOS; do
	stage="$WORK/$s"
	export ZK_STAGE="$stage" ZK_GEN_DIR="$GEN_DIR" ZK_WORK="$stage/work"
	for try in 1 2 3; do
		echo "=== $s${try#1}" >&2
		rm -rf "$stage"
		mkdir -p "$ZK_WORK"
		rc=0
		run_scenario "$s" || rc=$?
		[ "$rc" = 75 ] && continue
		[ "$rc" = 0 ] || { echo "$s: failed (exit $rc)" >&2; exit "$rc"; }
		break
	done
	[ "$rc" = 0 ] || { echo "$s: three runs, none told the intended story" >&2; exit 1; }
	if [ ! -d "$stage/tree" ] || [ -z "$(ls -A "$stage/tree")" ]; then
		echo "$s: scenario produced no tree" >&2
		exit 1
	fi
	# shellcheck disable=SC2046 # top-level names carry no blanks
	tar --sort=name --owner=0 --group=0 --numeric-owner -C "$stage/tree" \
	    -cf - $(cd "$stage/tree" && LC_ALL=C ls -A) |
		gzip -n -9 >"$OUT_DIR/$s.tar.gz.tmp"
	mv "$OUT_DIR/$s.tar.gz.tmp" "$OUT_DIR/$s.tar.gz"
	cp "$stage/README" "$OUT_DIR/$s.README"
	echo "$s: $(wc -c <"$OUT_DIR/$s.tar.gz") bytes -> $OUT_DIR/$s.tar.gz" >&2
	rm -rf "$stage"
done
