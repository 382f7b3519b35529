#!/usr/bin/env bash
# Generate testdata/bundles/etcd-probes.tar.gz (and .README) from a REAL
# etcd 3.4 cluster: what a collector script saved on each host (a date
# header, then each etcdctl command after a shell prompt, stdout and
# stderr together), once with all three members up and once after two of
# them were killed, plus each member's EnvironmentFile and log.
#
#   testdata/gen/etcd-probes/run.sh
#
# Needs the Debian packages etcd-server and etcd-client (3.4).  Runs three
# short-lived members on 127.0.0.71-73, ports 24771-24793 only, stops every
# process it started by its PID, and leaves no temporary directory behind.
set -euo pipefail

GEN_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(cd "$GEN_DIR/../../.." && pwd)
OUT_DIR=${OUT_DIR:-$TOP/testdata/bundles}
ETCD=${ETCD_BIN:-/usr/bin/etcd}
ETCDCTL=${ETCDCTL_BIN:-/usr/bin/etcdctl}
export LC_ALL=C TZ=UTC ETCDCTL_API=3
while read -r v; do unset "$v"; done < <(compgen -e | grep -E '^ETCD(CTL)?_' | grep -v '^ETCDCTL_API$' || true)

for t in "$ETCD" "$ETCDCTL" tar gzip; do
	command -v "$t" >/dev/null || { echo "missing $t (apt-get install etcd-server etcd-client)" >&2; exit 1; }
done
case $("$ETCD" --version | sed -n 's/^etcd Version: //p') in
3.4.*) ;;
*) echo "written for etcd 3.4" >&2; exit 1 ;;
esac

WORK=$(mktemp -d /tmp/quorumscope-etcd-probes.XXXXXX)
declare -A PID=()
cleanup() {
	local n
	for n in "${!PID[@]}"; do kill -9 "${PID[$n]}" 2>/dev/null || true; done
	rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

NAMES=(kv1 kv2 kv3)
ip() { echo "127.0.0.$((70 + ${1#kv}))"; }
curl_of() { echo "http://$(ip "$1"):$((24770 + ${1#kv}))"; }
purl_of() { echo "http://$(ip "$1"):$((24790 + ${1#kv}))"; }
CLUSTER="kv1=$(purl_of kv1),kv2=$(purl_of kv2),kv3=$(purl_of kv3)"
ENDPOINTS="$(curl_of kv1),$(curl_of kv2),$(curl_of kv3)"
B=$WORK/etcd-probes

start() {
	local n=$1 d=$B/$1
	mkdir -p "$d/etc/default" "$d/var/log" "$WORK/data/$n"
	cat >"$d/etc/default/etcd" <<CFG
# /etc/default/etcd (EnvironmentFile of etcd.service)
ETCD_NAME="$n"
ETCD_DATA_DIR="/var/lib/etcd/default"
ETCD_LISTEN_PEER_URLS="$(purl_of "$n")"
ETCD_LISTEN_CLIENT_URLS="$(curl_of "$n")"
ETCD_INITIAL_ADVERTISE_PEER_URLS="$(purl_of "$n")"
ETCD_ADVERTISE_CLIENT_URLS="$(curl_of "$n")"
ETCD_INITIAL_CLUSTER="$CLUSTER"
ETCD_INITIAL_CLUSTER_TOKEN="probes-$(date -u +%Y%m%d)"
ETCD_INITIAL_CLUSTER_STATE="new"
CFG
	# The EnvironmentFile's settings, as etcd.service passes them.
	env -i PATH="$PATH" bash -c 'set -a; . "$1"; ETCD_DATA_DIR=$2; exec "$3"' _ \
		"$d/etc/default/etcd" "$WORK/data/$n" "$ETCD" \
		>"$d/var/log/etcd.log" 2>&1 &
	PID[$n]=$!
}

# collect HOST TAG ENDPOINTS: the collector script, run on HOST.
collect() {
	local host=$1 tag=$2 eps=$3 f c
	f=$B/$host/collect/etcdctl-$tag.txt
	mkdir -p "$(dirname "$f")"
	{
		echo "=== $(date -u '+%a %b %e %H:%M:%S UTC %Y') ==="
		for c in "endpoint health" "endpoint health -w json" \
		    "endpoint status -w table" "endpoint status -w json"; do
			echo "root@$host:~# etcdctl --endpoints=$eps $c"
			# shellcheck disable=SC2086
			timeout 60 "$ETCDCTL" --endpoints="$eps" --dial-timeout=2s \
			    --command-timeout=5s $c 2>&1 || true
		done
		echo "root@$host:~# "
	} >"$f"
}

wait_healthy() {
	local i
	for i in $(seq 1 60); do
		"$ETCDCTL" --endpoints="$ENDPOINTS" endpoint health >/dev/null 2>&1 && return 0
		sleep 1
	done
	echo "cluster not healthy after 60 s" >&2
	exit 1
}

for n in "${NAMES[@]}"; do start "$n"; done
wait_healthy
"$ETCDCTL" --endpoints="$ENDPOINTS" put /probes/a 1 >/dev/null
sleep 2
for n in "${NAMES[@]}"; do collect "$n" 1-all-up "$(curl_of "$n")"; done
collect kv1 1-all-up-cluster "$ENDPOINTS"

# Two members die at once (SIGKILL: no shutdown line in their logs).
kill -9 "${PID[kv2]}" "${PID[kv3]}"
wait "${PID[kv2]}" "${PID[kv3]}" 2>/dev/null || true
unset 'PID[kv2]' 'PID[kv3]'
sleep 5
collect kv1 2-two-down "$ENDPOINTS"
collect kv2 2-two-down "$(curl_of kv2)"

kill -TERM "${PID[kv1]}"
wait "${PID[kv1]}" 2>/dev/null || true
unset 'PID[kv1]'

# Loopback addresses and the scratch path as the collector saw them.
sed -i "s|$WORK/data|/var/lib/etcd|g" "$B"/*/var/log/etcd.log
tar --sort=name --owner=0 --group=0 --numeric-owner --mtime='2026-11-22 00:00:00Z' \
    -C "$WORK" -cf - etcd-probes | gzip -n -9 >"$OUT_DIR/etcd-probes.tar.gz.tmp"
mv "$OUT_DIR/etcd-probes.tar.gz.tmp" "$OUT_DIR/etcd-probes.tar.gz"
cat >"$OUT_DIR/etcd-probes.README" <<TXT
etcd-probes -- collection-time probes from a real etcd $("$ETCD" --version | sed -n 's/^etcd Version: //p') cluster
=========================================================

Provenance
  Made by testdata/gen/etcd-probes/run.sh with the Debian packages
  etcd-server and etcd-client ($(dpkg-query -W -f '${Version}' etcd-server 2>/dev/null || echo "not from dpkg")): three members kv1, kv2, kv3 on
  loopback, configured by /etc/default/etcd as Debian's unit does.  Each
  collect/etcdctl-*.txt is what a collector script saved on that host: a
  date header, then each etcdctl command after a shell prompt, stdout and
  stderr together (etcdctl's zap warnings included), and a bare prompt.

Story
  1. All three up; every host collects against its own endpoint, and kv1
     against all three (collect/etcdctl-1-all-up*.txt).
  2. kv2 and kv3 killed with SIGKILL at once; five seconds later kv1
     collects against all three and kv2's host against its own endpoint
     (collect/etcdctl-2-two-down.txt): kv1 answers status with
     "etcdserver: no leader", kv2 and kv3 refuse connections.
  3. kv1 stopped (SIGTERM).

What it shows
  - Probes at the first collection: all up.  At the second: kv1 not
    serving (no leader), kv2 and kv3 down.
TXT
echo "wrote $OUT_DIR/etcd-probes.tar.gz"
