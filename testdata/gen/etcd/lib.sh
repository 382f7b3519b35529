# shellcheck shell=bash
# Helpers for testdata/gen/etcd/run.sh: start/stop real etcd 3.4 members on
# loopback, collect etcdctl output the way a support engineer would, package
# one bundle per scenario.  Sourced by run.sh (which sets -euo pipefail).
#
# Address plan (brief: 127.0.0.31-127.0.0.49, ports 23790-23999):
#   member etcdN            -> 127.0.0.(30+N)
#   client port of etcdN    -> BASE + N
#   peer port of etcdN      -> BASE + 20 + N
#   BASE per scenario       -> 23800, 23840, 23880, 23920, 23960

ETCD_BIN=${ETCD_BIN:-/usr/bin/etcd}
ETCDCTL_BIN=${ETCDCTL_BIN:-/usr/bin/etcdctl}

declare -A PIDS=()        # member name -> pid of the running etcd (only while running)
declare -a ALL_PIDS=()    # every pid ever started (for the EXIT trap)
SC=""                     # current scenario name
SCDIR=""                  # $WORK/$SC
BASE=0                    # port base of the current scenario
HISTORY=""                # operator transcript of the current scenario (goes into the README)

log() { printf '[etcd-gen %s] %s\n' "$(date -u +%H:%M:%S)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

ip_of()    { echo "127.0.0.$((${IP_BASE:-30} + ${1#etcd}))"; }
cport_of() { echo $((BASE + ${1#etcd})); }
pport_of() { echo $((BASE + 20 + ${1#etcd})); }
curl_of()  { echo "http://$(ip_of "$1"):$(cport_of "$1")"; }
purl_of()  { echo "http://$(ip_of "$1"):$(pport_of "$1")"; }

# initial_cluster etcd1 etcd2 ... -> "etcd1=http://...,etcd2=http://..."
initial_cluster() {
	local out="" n
	for n in "$@"; do out+="${out:+,}$n=$(purl_of "$n")"; done
	echo "$out"
}

# Record an operator action in the scenario transcript (goes into the README).
hist() { HISTORY+="$(date -u +%H:%M:%S) $*"$'\n'; }

check_ports_free() {
	python3 - "$@" <<'EOF' || die "a port of scenario $SC is in use on loopback; another process holds it"
import socket, sys
for hp in sys.argv[1:]:
    host, port = hp.rsplit(":", 1)
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as Go does; ignores TIME_WAIT
    try:
        s.bind((host, int(port)))
    except OSError as e:
        sys.stderr.write("port busy: %s (%s)\n" % (hp, e))
        sys.exit(1)
    finally:
        s.close()
EOF
}

scenario_begin() {
	SC=$1 BASE=$2 HISTORY=""
	# op, wait_healthy, put_keys, leader_of work on these members (hosts.sh
	# points them at its hosts)
	# shellcheck disable=SC2034 # read by lib.sh's helpers
	CTL=ctl HIST=hist RUNNING=is_running
	SCDIR=$WORK/$SC
	mkdir -p "$SCDIR"
	local n hp=()
	for n in 1 2 3 4 5; do
		hp+=("127.0.0.$((${IP_BASE:-30} + n)):$((BASE + n))" "127.0.0.$((${IP_BASE:-30} + n)):$((BASE + 20 + n))")
	done
	check_ports_free "${hp[@]}"
	{
		echo "# etcd support collection manifest"
		echo "# scenario: $SC"
		echo "# started:  $(date -u +%Y-%m-%dT%H:%M:%SZ)"
		echo "# one directory per etcd host; etcdctl output was taken on each host against its local client URL"
		echo
	} >"$SCDIR/collect.txt"
	log "=== scenario $SC (ports $BASE..$((BASE + 39)))"
}

# write_env NAME STATE TOKEN LOGGER MEMBERS...  -> NAME/etc/default/etcd
# LOGGER: zap | capnslog (capnslog = 3.4 default: ETCD_LOGGER left unset)
# Extra settings may follow after "--": KEY=VALUE ...
write_env() {
	local name=$1 state=$2 token=$3 logger=$4
	shift 4
	local members=() extra=()
	while (($#)); do
		if [[ $1 == -- ]]; then
			shift
			extra=("$@")
			break
		fi
		members+=("$1")
		shift
	done
	local f=$SCDIR/$name/etc/default/etcd
	mkdir -p "$(dirname "$f")"
	{
		echo "# etcd configuration (EnvironmentFile of etcd.service)"
		echo "ETCD_NAME=\"$name\""
		echo "ETCD_DATA_DIR=\"/var/lib/etcd\""
		echo "ETCD_LISTEN_PEER_URLS=\"$(purl_of "$name")\""
		echo "ETCD_LISTEN_CLIENT_URLS=\"$(curl_of "$name")\""
		echo "ETCD_INITIAL_ADVERTISE_PEER_URLS=\"$(purl_of "$name")\""
		echo "ETCD_ADVERTISE_CLIENT_URLS=\"$(curl_of "$name")\""
		echo "ETCD_INITIAL_CLUSTER=\"$(initial_cluster "${members[@]}")\""
		echo "ETCD_INITIAL_CLUSTER_TOKEN=\"$token\""
		echo "ETCD_INITIAL_CLUSTER_STATE=\"$state\""
		if [[ $logger == zap ]]; then echo 'ETCD_LOGGER="zap"'; fi
		local kv
		for kv in "${extra[@]}"; do echo "${kv%%=*}=\"${kv#*=}\""; done
	} >"$f"
}

# set_env NAME KEY VALUE: change one setting in NAME/etc/default/etcd (operator edit)
set_env() {
	local f=$SCDIR/$1/etc/default/etcd
	if grep -q "^$2=" "$f"; then
		sed -i "s|^$2=.*|$2=\"$3\"|" "$f"
	else
		echo "$2=\"$3\"" >>"$f"
	fi
}

# start_node NAME [KEY=VALUE ...]: start etcd from NAME/etc/default/etcd, with the
# data dir mapped to NAME/var/lib/etcd; stdout+stderr appended to
# NAME/var/log/etcd/etcd.log (what the journal of etcd.service would hold).
# Extra KEY=VALUE pairs are one-off environment overrides for this start only.
start_node() {
	local name=$1
	shift
	local dir=$SCDIR/$name
	mkdir -p "$dir/var/log/etcd" "$dir/var/lib"
	(
		set -a
		# shellcheck disable=SC1091
		. "$dir/etc/default/etcd"
		# shellcheck disable=SC2034 # exported by set -a
		ETCD_DATA_DIR="$dir/var/lib/etcd"
		for kv in "$@"; do export "${kv?}"; done
		set +a
		exec nice -n 10 "$ETCD_BIN"
	) >>"$dir/var/log/etcd/etcd.log" 2>&1 &
	PIDS[$name]=$!
	ALL_PIDS+=($!)
	log "started $name pid ${PIDS[$name]} $*"
	hist "[$name] systemctl start etcd${*:+   (one-off environment: $*)}"
}

is_running() { [[ -n ${PIDS[$1]:-} ]] && kill -0 "${PIDS[$1]}" 2>/dev/null; }

# stop_node NAME [SIGNAL]: default SIGTERM (clean stop); waits for the exit.
stop_node() {
	local name=$1 sig=${2:-TERM} pid=${PIDS[$1]:-} i
	[[ -n $pid ]] || die "stop_node: $name is not running"
	# stderr of the whole block goes to /dev/null: bash reports a signalled
	# background job ("... Killed ...") on its own stderr
	{
		kill -s "$sig" "$pid" || true
		for ((i = 0; i < 150; i++)); do
			kill -0 "$pid" || break
			sleep 0.1
		done
		if kill -0 "$pid"; then
			log "$name did not stop on SIG$sig, sending SIGKILL" 2>&3
			kill -s KILL "$pid" || true
		fi
		wait "$pid" || true
	} 3>&2 2>/dev/null
	unset "PIDS[$name]"
	log "stopped $name (SIG$sig)"
	if [[ $sig == KILL ]]; then
		hist "[$name] host lost: etcd killed with SIGKILL"
	else
		hist "[$name] systemctl stop etcd   (SIG$sig)"
	fi
}

# wait_exit NAME SECONDS: the member is expected to exit by itself; returns its exit code.
wait_exit() {
	local name=$1 secs=$2 pid=${PIDS[$1]} i rc=0
	for ((i = 0; i < secs * 10; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -0 "$pid" 2>/dev/null && return 124
	wait "$pid" || rc=$?
	unset "PIDS[$name]"
	log "$name exited by itself with status $rc"
	hist "[$name] etcd exited by itself (exit status $rc)"
	return $rc
}

ctl() {
	local name=$1
	shift
	ETCDCTL_API=3 "$ETCDCTL_BIN" --endpoints="$(curl_of "$name")" \
		--dial-timeout=2s --command-timeout=4s "$@"
}

# ctl2 NAME ARGS: v2 API (needs ETCD_ENABLE_V2=true on the server)
ctl2() {
	local name=$1
	shift
	ETCDCTL_API=2 "$ETCDCTL_BIN" --endpoints="$(curl_of "$name")" --timeout=2s \
		--total-timeout=4s "$@"
}

# The helpers below reach a member through $CTL (ctl), record in the transcript
# through $HIST (hist) and test a member through $RUNNING (is_running).

# op NAME ARGS: an etcdctl command the operator ran on NAME; output kept in the
# transcript.  A refusal with "unhealthy cluster" (3.4 strict reconfig check: all
# members must have been connected for 5 s) is retried once a second, as an
# operator would; every attempt is in the transcript.
op() {
	local name=$1 out rc try
	shift
	for ((try = 1; ; try++)); do
		rc=0
		out=$("${CTL:-ctl}" "$name" "$@" 2>&1) || rc=$?
		"${HIST:-hist}" "[$name] etcdctl $*   (exit $rc)"
		if [[ -n $out ]]; then HISTORY+="$(sed 's/^/      | /' <<<"$out")"$'\n'; fi
		if ((rc != 0)) && [[ $out == *"unhealthy cluster"* ]] && ((try < 20)); then
			sleep 1
			continue
		fi
		break
	done
	printf '%s\n' "$out"
	return $rc
}

wait_healthy() {
	local name=$1 secs=${2:-30} i
	for ((i = 0; i < secs * 2; i++)); do
		if "${CTL:-ctl}" "$name" endpoint health >/dev/null 2>&1; then
			log "$name healthy"
			return 0
		fi
		"${RUNNING:-is_running}" "$name" || die "$name exited while waiting for it to become healthy (see its etcd.log)"
		sleep 0.5
	done
	die "$name not healthy after ${secs}s"
}

# put_keys NAME PREFIX FROM TO: v3 writes through NAME
put_keys() {
	local name=$1 prefix=$2 i
	for ((i = $3; i <= $4; i++)); do
		"${CTL:-ctl}" "$name" put "$prefix/$(printf %03d "$i")" "value-$i" >/dev/null
	done
	"${HIST:-hist}" "[$name] etcdctl put $prefix/$(printf %03d "$3") .. $prefix/$(printf %03d "$4")   ($(($4 - $3 + 1)) keys, v3 API)"
}

leader_of() {
	# prints the name of the current leader as seen by NAME (nothing if none/unknown)
	local name=$1 st ml
	st=$("${CTL:-ctl}" "$name" endpoint status -w json 2>/dev/null) || return 0
	ml=$("${CTL:-ctl}" "$name" member list -w json 2>/dev/null) || return 0
	python3 -c '
import json, sys
lead = json.loads(sys.argv[1])[0]["Status"].get("leader")
for m in json.loads(sys.argv[2]).get("members", []):
    if lead and m["ID"] == lead:
        print(m.get("name", ""))
' "$st" "$ml"
}

# collect_node NAME [SUBDIR]: what the engineer ran on the host (stdout and stderr into
# the file, as with `etcdctl ... >file 2>&1`) into NAME/etcdctl[/SUBDIR]; manifest lines
# in collect.txt
collect_node() {
	local name=$1 sub=${2:+/$2} rc
	local d=$SCDIR/$name/etcdctl$sub
	mkdir -p "$d"
	local -a spec=(
		"member-list.txt|member list -w table"
		"member-list.json|member list -w json"
		"endpoint-status.txt|endpoint status -w table"
		"endpoint-status.json|endpoint status -w json"
	)
	local s file args when
	for s in "${spec[@]}"; do
		file=${s%%|*} args=${s#*|}
		rc=0 when=$(date -u +%H:%M:%SZ)
		# shellcheck disable=SC2086
		ctl "$name" $args >"$d/$file" 2>&1 || rc=$?
		printf '%-6s %-42s exit=%-3s %s ETCDCTL_API=3 etcdctl --endpoints=%s %s\n' \
			"$name" "etcdctl$sub/$file" "$rc" "$when" "$(curl_of "$name")" "$args" >>"$SCDIR/collect.txt"
	done
	if [[ -z $sub ]]; then
		printf '%-6s %-42s %s\n' "$name" "var/log/etcd/etcd.log" "journal of etcd.service (copy)" \
			"$name" "etc/default/etcd" "copy" \
			"$name" "var/lib/etcd/" "copy of the data dir, taken after etcd was stopped" >>"$SCDIR/collect.txt"
	fi
	log "collected etcdctl output of $name${sub:+ into etcdctl$sub}"
}

# package_scenario: list data dirs in collect.txt, drop preallocated WAL spares, tar + gzip.
package_scenario() {
	local n
	{
		echo
		echo "# data directory listings at collection time (mode size mtime path)"
		for n in $(cd "$SCDIR" && find . -mindepth 1 -maxdepth 1 -type d -printf '%P\n' | sort); do
			[[ -d $SCDIR/$n/var/lib/etcd ]] || continue
			echo "## $n: /var/lib/etcd"
			(cd "$SCDIR/$n/var/lib/etcd" && find . -mindepth 1 -printf '%M %10s %TY-%Tm-%Td %TH:%TM %P\n' | sort -k5)
		done
	} >>"$SCDIR/collect.txt"
	# The WAL spare segments (member/wal/N.tmp, 64,000,000 preallocated zero bytes,
	# ~62 KB each after gzip) are kept unless the bundle would exceed 300,000 bytes.
	local spares
	spares=$(cd "$SCDIR" && find . -path '*/member/wal/*.tmp' -printf '%P\n' | sort)
	SPARES_REMOVED=""
	mkdir -p "$OUT_DIR"
	make_tarball
	if [[ -n $spares ]] && (($(stat -c %s "$OUT_DIR/$SC.tar.gz") > 300000)); then
		{
			echo
			echo "# removed from this bundle to keep it small (preallocated, all-zero WAL spare segments):"
			sed 's/^/#   /' <<<"$spares"
		} >>"$SCDIR/collect.txt"
		(cd "$SCDIR" && find . -path '*/member/wal/*.tmp' -delete)
		SPARES_REMOVED=$spares
		make_tarball
	fi
	log "wrote $OUT_DIR/$SC.tar.gz ($(stat -c %s "$OUT_DIR/$SC.tar.gz") bytes)"
}

make_tarball() {
	tar --sort=name --owner=0 --group=0 --numeric-owner -C "$WORK" -cf - "$SC" |
		gzip -n -9 >"$OUT_DIR/$SC.tar.gz.part"
	mv "$OUT_DIR/$SC.tar.gz.part" "$OUT_DIR/$SC.tar.gz"
}

# facts_json NODE...: etcdinspect.py output for the README facts and the checks
facts_json() {
	local args=() n
	for n in "$@"; do args+=("$SCDIR/$n"); done
	python3 "$GEN_DIR/etcdinspect.py" "${args[@]}" >"$WORK/$SC.facts.json"
}

# write_readme TITLE-FILE: README = narrative (stdin) + transcript + generated facts
write_readme() {
	local readme=$OUT_DIR/$SC.README
	{
		cat
		echo
		echo "Operator transcript (UTC times of this generator run; etcdctl output verbatim)"
		echo "---------------------------------------------------------------------------"
		printf '%s' "$HISTORY"
		echo
		python3 "$GEN_DIR/readme_facts.py" "$WORK/$SC.facts.json" "$SC" "$SPARES_REMOVED"
	} >"$readme"
	log "wrote $readme"
}

cleanup() {
	local rc=$? p
	{
		for p in "${ALL_PIDS[@]}"; do
			if kill -0 "$p"; then
				kill -s KILL "$p" || true
				wait "$p" || true
			fi
		done
	} 2>/dev/null
	[[ -n ${WORK:-} && -d $WORK && -z ${KEEP_WORK:-} ]] && rm -rf "$WORK"
	rm -f "$OUT_DIR"/etcd-*.tar.gz.part
	exit $rc
}
