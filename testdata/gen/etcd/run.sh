#!/bin/bash
# Generate the etcd fixture bundles of quorumscope from REAL etcd 3.4 runs.
#
#   testdata/gen/etcd/run.sh [SCENARIO ...]      (default: all scenarios)
#
# Needs the Debian packages etcd-server, etcd-client (etcd/etcdctl 3.4) and
# python3; the host scenarios (hosts.sh) also root and unshare.  Runs
# short-lived etcd members on 127.0.0.31-127.0.0.49 (ports 23790-23999) and
# 127.0.1.0/24 (ports above 30000), writes testdata/bundles/etcd-<scenario>.tar.gz
# and testdata/bundles/etcd-<scenario>.README, and leaves no process or temp
# dir behind.  See testdata/gen/etcd/README for details.
set -euo pipefail

GEN_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_TOP=$(cd "$GEN_DIR/../../.." && pwd)
OUT_DIR=${OUT_DIR:-$REPO_TOP/testdata/bundles}
export LC_ALL=C TZ=UTC
# no stray etcd/etcdctl settings from the caller's environment
while read -r v; do unset "$v"; done < <(compgen -e | grep -E '^ETCD(CTL)?_' || true)

# shellcheck source=lib.sh
. "$GEN_DIR/lib.sh"
# shellcheck source=scenarios.sh
. "$GEN_DIR/scenarios.sh"
# shellcheck source=scenarios-state.sh
. "$GEN_DIR/scenarios-state.sh"

for tool in "$ETCD_BIN" "$ETCDCTL_BIN" python3 tar gzip nice; do
	command -v "$tool" >/dev/null || die "missing $tool (apt-get install -y etcd-server etcd-client python3)"
done
ETCD_VERSION=$("$ETCD_BIN" --version | sed -n 's/^etcd Version: //p')
ETCD_GO=$("$ETCD_BIN" --version | sed -n 's/^Go Version: //p')
ETCDCTL_VERSION=$("$ETCDCTL_BIN" version | sed -n 's/^etcdctl version: //p')
case $ETCD_VERSION in
3.4.*) ;;
*) die "these scenarios are written for etcd 3.4 (found ${ETCD_VERSION:-unknown})" ;;
esac
PKG_SERVER=$(dpkg-query -W -f '${Version}' etcd-server 2>/dev/null || echo "not from dpkg")
PKG_CLIENT=$(dpkg-query -W -f '${Version}' etcd-client 2>/dev/null || echo "not from dpkg")

WORK=$(mktemp -d /tmp/quorumscope-etcd-gen.XXXXXX)
trap cleanup EXIT
set -E
trap 'log "command failed (status $?): ${BASH_COMMAND} [${FUNCNAME[0]:-main} ${BASH_SOURCE[0]##*/}:${LINENO}]"' ERR
trap 'exit 130' INT TERM

ALL=(etcd-healthy etcd-member-changes etcd-wiped-member etcd-force-new-cluster etcd-backup-dump
	etcd-force-split etcd-restored-old-member etcd-copied-backend)
. "$GEN_DIR/scenarios-logs.sh"	# adds its scenarios to ALL
# shellcheck source=hosts.sh
. "$GEN_DIR/hosts.sh"
HOSTS_FROM=${#ALL[@]}	# the scenarios from here on run their members as hosts (namespaces)
# shellcheck source=scenarios-history.sh
. "$GEN_DIR/scenarios-history.sh"	# adds its scenarios to ALL
# shellcheck source=scenarios-operator.sh
. "$GEN_DIR/scenarios-operator.sh"	# adds its scenarios to ALL
if (($#)); then SELECTED=("$@"); else SELECTED=("${ALL[@]}"); fi
for s in "${SELECTED[@]}"; do
	case " ${ALL[*]} " in *" $s "*) ;; *) die "unknown scenario $s (known: ${ALL[*]})" ;; esac
done
HOSTED=" ${ALL[*]:HOSTS_FROM} "
for s in "${SELECTED[@]}"; do
	if [[ $HOSTED == *" $s "* ]] && { ((EUID != 0)) || ! command -v unshare >/dev/null; }; then
		die "$s runs its members in mount/UTS namespaces: needs root and unshare (util-linux)"
	fi
done
for s in "${SELECTED[@]}"; do
	"sc_${s//-/_}"
	# members of one scenario must all be gone before the next one starts
	for p in "${!PIDS[@]}" "${!N_PID[@]}"; do die "scenario $s left $p running"; done
done
log "done: ${SELECTED[*]}"
