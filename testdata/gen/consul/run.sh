#!/usr/bin/env bash
# Generate the Consul fixture bundles of quorumscope from real runs of the
# libraries Consul is built on (hashicorp/raft + raft-boltdb, serf, memberlist,
# go-hclog), all from Debian packages, on loopback addresses.
#
#   testdata/gen/consul/run.sh [SCENARIO...]
#
# Scenarios (default: all, see ALL below).  Output:
# testdata/bundles/<scenario>.tar.gz and <scenario>.README.  The first six
# scenarios use 127.0.0.11-127.0.0.14 and 127.0.0.21-127.0.0.24 with ports
# 18300-18302; the others use 127.0.3.0/24 with the ports their site
# names (README of the bundle).  consulgen packs each bundle in its site's
# layout; this script re-reads the packed bundle.  consul-hostnames
# resolves its retry_join host names through a hosts file bind-mounted
# over /etc/hosts in a private mount namespace (unshare; as non-root a
# user namespace).
#
# Needs: golang-go (>= 1.19) and golang-github-hashicorp-{raft,raft-boltdb,serf,
# memberlist,go-hclog,go-msgpack,logutils}-dev, golang-github-boltdb-bolt-dev,
# golang-github-ryanuber-columnize-dev (GOPATH mode, /usr/share/gocode), tar,
# coreutils (timeout, nice), util-linux (unshare, mount).
# All agents of a scenario live in one short-lived Go process; nothing is left
# running and the temporary build/stage directory is removed on exit.
set -euo pipefail

GEN_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(cd "$GEN_DIR/../../.." && pwd)
OUT_DIR=${CONSUL_FIXTURE_OUT:-$TOP/testdata/bundles}
ALL="consul-parallel-restart consul-stale-peers consul-dual-bootstrap consul-expect-mismatch \
consul-slow-leader consul-healthy consul-reaped-server consul-reaped-leader-legacy \
consul-rolling-restart consul-rolling-restart-legacy consul-hostnames consul-two-dead \
consul-two-dead-legacy consul-parallel-restart-five consul-stale-peers-modern \
consul-dual-bootstrap-legacy consul-expect-mismatch-legacy consul-slow-leader-bosh"
ATTEMPTS=${CONSUL_FIXTURE_ATTEMPTS:-4}
export LC_ALL=C TZ=UTC

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
for tool in go tar timeout nice unshare mount; do
	command -v "$tool" >/dev/null || { echo "missing tool: $tool" >&2; exit 1; }
done
[ -d /usr/share/gocode/src/github.com/hashicorp/raft ] ||
	{ echo "missing golang-github-hashicorp-raft-dev (and friends) under /usr/share/gocode" >&2; exit 1; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/consulfixtures.XXXXXX")
CHILD=""
cleanup() {
	local rc=$?
	if [ -n "$CHILD" ] && kill -0 "$CHILD" 2>/dev/null; then
		kill "$CHILD" 2>/dev/null || true
		wait "$CHILD" 2>/dev/null || true
	fi
	rm -rf "$WORK"
	exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Build in GOPATH mode from a private copy of the sources.
mkdir -p "$WORK/src/consulgen" "$WORK/gopath"
cp "$GEN_DIR"/*.go "$WORK/src/consulgen/"
echo "building consulgen ($(go version | awk '{print $3}'))" >&2
(cd "$WORK/src/consulgen" &&
	GO111MODULE=off GOPATH="$WORK/gopath:/usr/share/gocode" GOCACHE="$WORK/gocache" \
		GOFLAGS='' CGO_ENABLED=0 nice -n 10 go build -o "$WORK/consulgen" .)

# run_bg CMD...: run a command in the background and wait for it, so that an
# interrupted run.sh can still stop it by PID.
run_bg() {
	"$@" &
	CHILD=$!
	local rc=0
	wait "$CHILD" || rc=$?
	CHILD=""
	return $rc
}

# in_hosts_ns HOSTS RESOLV CMD...: run CMD with HOSTS over /etc/hosts and
# RESOLV (no name servers) over /etc/resolv.conf, visible to CMD only.
in_hosts_ns() {
	local hosts=$1 resolv=$2
	shift 2
	local userns=
	[ "$(id -u)" -eq 0 ] || userns=-r
	# shellcheck disable=SC2016 # the inner shell expands its own "$1" "$2" "$@"
	exec unshare $userns -m --propagation private sh -c \
		'mount --bind "$1" /etc/hosts && mount --bind "$2" /etc/resolv.conf && shift 2 && exec "$@"' \
		sh "$hosts" "$resolv" "$@"
}

mkdir -p "$OUT_DIR"
for s in $SCENARIOS; do
	stage="$WORK/stage"
	wrap=()
	if "$WORK/consulgen" -hosts "$s" >"$WORK/hosts" 2>/dev/null; then
		echo "# generator run: names come from /etc/hosts only" >"$WORK/resolv.conf"
		wrap=(in_hosts_ns "$WORK/hosts" "$WORK/resolv.conf")
	fi
	ok=0
	for attempt in $(seq 1 "$ATTEMPTS"); do
		rm -rf "$stage"
		mkdir -p "$stage"
		echo "=== $s (attempt $attempt)" >&2
		rc=0
		run_bg ${wrap[@]+"${wrap[@]}"} timeout -s KILL 600 nice -n 10 "$WORK/consulgen" -out "$stage" -scenario "$s" \
			-bundle "$OUT_DIR/$s.tar.gz" >"$WORK/report.txt" 2>&1 || rc=$?
		if [ $rc -eq 0 ]; then
			ok=1
			break
		fi
		# rc 3: the run completed but a scenario check failed; rc 1: the
		# story did not unfold (e.g. a restarted node disrupted the new
		# leader). Real timing varies, so try again; rc 2 is a usage error.
		grep -vE '^  ok ' "$WORK/report.txt" | head -20 >&2 || true
		[ $rc -ne 2 ] || exit 1
	done
	[ $ok -eq 1 ] || { echo "$s: no clean run in $ATTEMPTS attempts" >&2; exit 1; }
	grep -c '^  ok' "$WORK/report.txt" | sed "s/^/$s: checks passed: /" >&2
	cp "$stage/$s.README" "$OUT_DIR/$s.README"

	# Verify the packed bundle itself: list it, unpack it elsewhere (nested
	# per-node tarballs included) and re-read every file (bolt opens
	# raft.db, every log entry decodes, logs parse, snapshot sizes match).
	tar -tzvf "$OUT_DIR/$s.tar.gz" >"$WORK/listing.txt"
	echo "$s: $(grep -c '' "$WORK/listing.txt") entries, $(wc -c <"$OUT_DIR/$s.tar.gz") bytes" >&2
	rm -rf "$WORK/verify"
	mkdir -p "$WORK/verify"
	"$WORK/consulgen" -out "$WORK/verify" -inspect "$s" -verify "$OUT_DIR/$s.tar.gz" >"$WORK/verify.txt" ||
		{ cat "$WORK/verify.txt" >&2; echo "$s: packed bundle failed verification" >&2; exit 1; }
	rm -rf "$WORK/verify" "$stage"
done
echo "done: $SCENARIOS" >&2
