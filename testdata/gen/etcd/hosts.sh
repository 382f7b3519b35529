# shellcheck shell=bash
# Generated hosts for the history and operator scenarios (scenarios-history.sh,
# scenarios-operator.sh).  Sourced by run.sh after lib.sh (uses log, die,
# check_ports_free, ALL_PIDS, WORK, OUT_DIR, SC, SCDIR, HISTORY).
#
# Every member runs on a host of its own: a mount and UTS namespace
# (unshare -mu, needs root) where
#   /etc               is an overlay whose upper layer is the host's own etc/
#                      (its /etc/hosts, /etc/hostname, /etc/default/etcd,
#                      /etc/etcd/etcd.conf.yml, systemd units, kubeadm manifest)
#   /var/lib/etcd, /srv, /opt   are bind mounts of the host's directories
#                      (whichever holds its data dir), so etcd prints and uses
#                      the data-dir path the configuration names
#   the host name      is the member's host name.
# etcd is started from those files by launch.py (systemd unit + drop-ins +
# EnvironmentFile, or a kubeadm manifest); etcdctl runs on the host too, with
# the host's /etc/hosts, so host names in URLs resolve as on the real machine.
# stamp.py records every line etcd prints with its arrival time; the plain,
# journal (journalctl -u etcd) and kubelet (CRI) copies of a log are rendered
# from that record at collection time by render_log.
#
# Addresses: 127.0.1.0/24 only, ports above 30000 (see README).

declare -a NODES=()
declare -A N_IP=() N_CP=() N_PP=() N_HOST=() N_PURL=() N_CURL=() N_DATA=() N_CONF=() \
	N_LOGOUT=() N_LOGPATH=() N_MOUNT=() N_DEST=() N_RUN=() N_PID=() N_SUP=() N_SET=() \
	N_KEYS=() N_DAEMON=() N_DROPIN=() N_PODUID=() N_EXTRA_ETC=() N_XMOUNT=() N_DROPIN_FILE=()
STAGE=""          # $WORK/stage-$SC: the bundle tree as the collector leaves it
HOSTS_LINES=""    # extra /etc/hosts lines every host of the scenario gets
MANIFEST=""       # path of the scenario's collection manifest (in the stage) or empty
SPARES_LIMIT=300000

now() { date -u +%s.%6N; }
hms() { date -u -d "@$1" +%H:%M:%S.%3N; }

# say TEXT: a line of the operator transcript, time with milliseconds
say() {
	local t
	t=$(now)
	HISTORY+="$(hms "$t") $*"$'\n'
	printf '%s\t%s\n' "$t" "$*" >>"$SCDIR/ops.tsv"
}
# quote OUTPUT: verbatim command output in the transcript
quote() { [[ -z $1 ]] || HISTORY+="$(sed 's/^/      | /' <<<"$1")"$'\n'; }

# ---------------------------------------------------------------------------
# scenario and hosts

# hscenario NAME: start a scenario of this file family (no port check yet:
# hosts are defined after this; hosts_ready checks their ports)
hscenario() {
	SC=$1 HISTORY="" HOSTS_LINES="" MANIFEST=""
	# lib.sh's op, wait_healthy, put_keys, leader_of on these hosts
	# shellcheck disable=SC2034 # read by lib.sh's helpers
	CTL=nctl HIST=say RUNNING=running
	SCDIR=$WORK/$SC
	STAGE=$WORK/stage-$SC
	rm -rf "$SCDIR" "$STAGE"
	mkdir -p "$SCDIR" "$STAGE"
	NODES=()
	N_IP=() N_CP=() N_PP=() N_HOST=() N_PURL=() N_CURL=() N_DATA=() N_CONF=()
	N_LOGOUT=() N_LOGPATH=() N_MOUNT=() N_DEST=() N_RUN=() N_PID=() N_SUP=() N_SET=()
	N_KEYS=() N_DAEMON=() N_DROPIN=() N_PODUID=() N_EXTRA_ETC=() N_XMOUNT=() N_DROPIN_FILE=()
	log "=== scenario $SC"
}

# node_def NAME key=value ...
#   ip=127.0.1.N  cport=  pport=      addresses (required)
#   host=NAME      host name (UTS namespace, /etc/hostname, journal prefix)
#   phost= chost=  host part of the advertised peer / client URLs (default: ip)
#   data=/var/lib/etcd   data dir; conf=env|yaml|unit|kubeadm; logger=capnslog|zap
#   logout=file|journal|pods  how the collector got the log; logpath= its path
#   dest=PATH      the host's directory inside the bundle tree
#   mounts="/var/backups /root"  more host directories of its own (bind mounts)
node_def() {
	local n=$1 kv k v
	shift
	NODES+=("$n")
	N_HOST[$n]=$n N_DATA[$n]=/var/lib/etcd N_CONF[$n]=env N_LOGOUT[$n]=file
	N_DEST[$n]=$SC/$n N_RUN[$n]=0 N_KEYS[$n]="" N_DAEMON[$n]="" N_DROPIN[$n]=""
	local phost="" chost="" logger=capnslog
	for kv in "$@"; do
		k=${kv%%=*} v=${kv#*=}
		case $k in
		ip) N_IP[$n]=$v ;;
		cport) N_CP[$n]=$v ;;
		pport) N_PP[$n]=$v ;;
		host) N_HOST[$n]=$v ;;
		phost) phost=$v ;;
		chost) chost=$v ;;
		data) N_DATA[$n]=$v ;;
		conf) N_CONF[$n]=$v ;;
		logger) logger=$v ;;
		logout) N_LOGOUT[$n]=$v ;;
		logpath) N_LOGPATH[$n]=$v ;;
		dest) N_DEST[$n]=$v ;;
		mounts) N_XMOUNT[$n]=$v ;;
		*) die "node_def $n: unknown key $k" ;;
		esac
	done
	[[ -n ${N_IP[$n]:-} && -n ${N_CP[$n]:-} && -n ${N_PP[$n]:-} ]] || die "node_def $n: ip, cport, pport needed"
	case ${N_IP[$n]} in 127.0.1.*) ;; *) die "node_def $n: address ${N_IP[$n]} outside 127.0.1.0/24" ;; esac
	N_PURL[$n]=http://${phost:-${N_IP[$n]}}:${N_PP[$n]}
	N_CURL[$n]=http://${chost:-${N_IP[$n]}}:${N_CP[$n]}
	case ${N_DATA[$n]} in
	/var/lib/etcd | /var/lib/etcd/*) N_MOUNT[$n]=/var/lib/etcd ;;
	/srv/*) N_MOUNT[$n]=/srv ;;
	/opt/*) N_MOUNT[$n]=/opt ;;
	*) die "node_def $n: data dir ${N_DATA[$n]} must be under /var/lib/etcd, /srv or /opt" ;;
	esac
	if [[ -z ${N_LOGPATH[$n]:-} ]]; then
		case ${N_LOGOUT[$n]} in
		file) N_LOGPATH[$n]=var/log/etcd/etcd.log ;;
		journal) N_LOGPATH[$n]=journalctl-u-etcd.txt ;;
		syslog) N_LOGPATH[$n]=var/log/syslog ;;
		pods) N_LOGPATH[$n]=var/log/pods ;;
		esac
	fi
	N_PODUID[$n]=$(printf '%s' "$SC/$n" | md5sum | sed -E 's/^(.{8})(.{4})(.{4})(.{4})(.{12}).*/\1-\2-\3-\4-\5/')
	nset "$n" name "$n"
	nset "$n" data-dir "${N_DATA[$n]}"
	nset "$n" listen-peer-urls "http://${N_IP[$n]}:${N_PP[$n]}"
	nset "$n" listen-client-urls "http://${N_IP[$n]}:${N_CP[$n]}"
	nset "$n" initial-advertise-peer-urls "${N_PURL[$n]}"
	nset "$n" advertise-client-urls "${N_CURL[$n]}"
	[[ $logger == capnslog ]] || nset "$n" logger "$logger"
	mkdir -p "$SCDIR/root/$n/etc" "$SCDIR/ns/$n" "$SCDIR/raw"
	: >"$SCDIR/raw/$n.log"
}

# nset NAME FLAG VALUE: an etcd setting of NAME (rendered by render_config);
# nunset NAME FLAG
nset() {
	local n=$1 k=$2
	[[ " ${N_KEYS[$n]} " == *" $k "* ]] || N_KEYS[$n]+=" $k"
	N_SET[$n|$k]=$3
}
nunset() {
	local n=$1 k=$2
	N_KEYS[$n]=$(tr ' ' '\n' <<<"${N_KEYS[$n]}" | grep -vx -- "$k" | tr '\n' ' ')
	unset "N_SET[$n|$k]"
}
nget() { echo "${N_SET[$1|$2]:-}"; }

# cluster_def TOKEN STATE NAME...: the bootstrap settings of NAME... (all of them
# listed in each other's initial-cluster)
cluster_def() {
	local token=$1 state=$2 ic="" n
	shift 2
	for n in "$@"; do ic+="${ic:+,}$n=${N_PURL[$n]}"; done
	for n in "$@"; do
		nset "$n" initial-cluster "$ic"
		nset "$n" initial-cluster-token "$token"
		nset "$n" initial-cluster-state "$state"
	done
}

# hosts_ready: port check, /etc/hosts and /etc/hostname of every host, configs
hosts_ready() {
	local n hp=()
	for n in "${NODES[@]}"; do hp+=("${N_IP[$n]}:${N_CP[$n]}" "${N_IP[$n]}:${N_PP[$n]}"); done
	check_ports_free "${hp[@]}" "$@"
	for n in "${NODES[@]}"; do
		write_hosts_files "$n"
		render_config "$n"
		# as the Debian package leaves it (etcd warns about anything wider)
		if [[ ${N_MOUNT[$n]} == /var/lib/etcd ]]; then
			mkdir -p "$SCDIR/root/$n/var/lib/etcd"
			chmod 700 "$SCDIR/root/$n/var/lib/etcd"
		fi
	done
}

write_hosts_files() {
	local n=$1 r=$SCDIR/root/$1 short=${N_HOST[$1]%%.*}
	printf '%s\n' "${N_HOST[$n]}" >"$r/etc/hostname"
	{
		printf '127.0.0.1\tlocalhost\n'
		if [[ $short != "${N_HOST[$n]}" ]]; then
			printf '%s\t%s %s\n' "${N_IP[$n]}" "${N_HOST[$n]}" "$short"
		else
			printf '%s\t%s\n' "${N_IP[$n]}" "${N_HOST[$n]}"
		fi
		printf '\n# The following lines are desirable for IPv6 capable hosts\n'
		printf '::1     localhost ip6-localhost ip6-loopback\nff02::1 ip6-allnodes\nff02::2 ip6-allrouters\n'
		if [[ -n $HOSTS_LINES ]]; then
			printf '\n%s\n' "$HOSTS_LINES"
		fi
	} >"$r/etc/hosts"
}

# ---------------------------------------------------------------------------
# configuration files (what the service manager starts etcd from)

flag_env() { local k=${1^^}; echo "ETCD_${k//-/_}"; }

render_config() {
	local n=$1 r=$SCDIR/root/$1 k v
	case ${N_CONF[$n]} in
	env)
		# Debian: /lib/systemd/system/etcd.service (the package's unit, not copied)
		# reads /etc/default/etcd; flags named in N_DAEMON go to DAEMON_ARGS
		mkdir -p "$r/etc/default"
		{
			printf '## etcd(1) daemon options\n## See "/usr/share/doc/etcd-server/op-guide/configuration.md.gz"\n'
			printf '## for available options.\n##\n## Use environment to override, for example: ETCD_NAME=default\n\n'
			local da=""
			for k in ${N_KEYS[$n]}; do
				v=${N_SET[$n|$k]}
				if [[ " ${N_DAEMON[$n]} " == *" $k "* ]]; then
					if [[ $v == true ]]; then da+="${da:+ }--$k"; else da+="${da:+ }--$k=$v"; fi
				else
					printf '%s="%s"\n' "$(flag_env "$k")" "$v"
				fi
			done
			[[ -z $da ]] || printf 'DAEMON_ARGS="%s"\n' "$da"
		} >"$r/etc/default/etcd"
		;;
	yaml)
		mkdir -p "$r/etc/etcd" "$r/etc/systemd/system"
		{
			printf '# /etc/etcd/etcd.conf.yml -- managed by configuration management\n'
			for k in ${N_KEYS[$n]}; do
				v=${N_SET[$n|$k]}
				case $v in
				true | false | [0-9] | [0-9]*[0-9]) printf '%s: %s\n' "$k" "$v" ;;
				*) printf "%s: '%s'\n" "$k" "$v" ;;
				esac
			done
		} >"$r/etc/etcd/etcd.conf.yml"
		cat >"$r/etc/systemd/system/etcd.service" <<'EOF'
[Unit]
Description=etcd key-value store
Documentation=https://etcd.io/docs
After=network-online.target
Wants=network-online.target

[Service]
Type=notify
ExecStart=/usr/bin/etcd --config-file /etc/etcd/etcd.conf.yml
Restart=on-failure
RestartSec=5s
LimitNOFILE=65536

[Install]
WantedBy=multi-user.target
EOF
		;;
	unit)
		# flags on ExecStart; the ones named in N_DROPIN as Environment= of a drop-in
		mkdir -p "$r/etc/systemd/system"
		{
			printf '[Unit]\nDescription=etcd\nDocumentation=https://github.com/etcd-io/etcd\n'
			printf 'After=network-online.target\nWants=network-online.target\n\n[Service]\nType=notify\n'
			printf 'ExecStart=/usr/bin/etcd'
			for k in ${N_KEYS[$n]}; do
				[[ " ${N_DROPIN[$n]} " == *" $k "* ]] && continue
				v=${N_SET[$n|$k]}
				if [[ $v == true ]]; then printf ' \\\n  --%s' "$k"; else printf ' \\\n  --%s=%s' "$k" "$v"; fi
			done
			printf '\nRestart=on-failure\nRestartSec=5\nLimitNOFILE=40000\n\n[Install]\nWantedBy=multi-user.target\n'
		} >"$r/etc/systemd/system/etcd.service"
		rm -f "$r/etc/systemd/system/etcd.service.d/${N_DROPIN_FILE[$n]:-10-tuning.conf}"
		if [[ -n ${N_DROPIN[$n]// /} ]]; then
			mkdir -p "$r/etc/systemd/system/etcd.service.d"
			{
				printf '# installed by configuration management\n[Service]\n'
				for k in ${N_DROPIN[$n]}; do
					[[ -n ${N_SET[$n|$k]+x} ]] || continue
					printf 'Environment="%s=%s"\n' "$(flag_env "$k")" "${N_SET[$n|$k]}"
				done
			} >"$r/etc/systemd/system/etcd.service.d/${N_DROPIN_FILE[$n]:-10-tuning.conf}"
		fi
		;;
	kubeadm)
		mkdir -p "$r/etc/kubernetes/manifests"
		{
			cat <<EOF
apiVersion: v1
kind: Pod
metadata:
  annotations:
    kubeadm.kubernetes.io/etcd.advertise-client-urls: ${N_CURL[$n]}
  creationTimestamp: null
  labels:
    component: etcd
    tier: control-plane
  name: etcd
  namespace: kube-system
spec:
  containers:
  - command:
    - etcd
EOF
			for k in ${N_KEYS[$n]}; do
				v=${N_SET[$n|$k]}
				if [[ $v == true ]]; then printf '    - --%s\n' "$k"; else printf '    - --%s=%s\n' "$k" "$v"; fi
			done
			cat <<EOF
    image: registry.k8s.io/etcd:3.4.23-0
    imagePullPolicy: IfNotPresent
    name: etcd
    resources:
      requests:
        cpu: 100m
        memory: 100Mi
    volumeMounts:
    - mountPath: ${N_DATA[$n]}
      name: etcd-data
  hostNetwork: true
  priorityClassName: system-node-critical
  volumes:
  - hostPath:
      path: ${N_DATA[$n]}
      type: DirectoryOrCreate
    name: etcd-data
status: {}
EOF
		} >"$r/etc/kubernetes/manifests/etcd.yaml"
		;;
	*) die "render_config $n: unknown conf ${N_CONF[$n]}" ;;
	esac
}

# conf_files NAME: the host's configuration files (paths relative to its root)
conf_files() {
	local r=$SCDIR/root/$1
	local f
	for f in etc/default/etcd etc/etcd etc/systemd etc/kubernetes; do
		if [[ -e $r/$f ]]; then (cd "$r" && find "$f" -type f); fi
	done | sort
}

# ---------------------------------------------------------------------------
# running things on a host

# node_ns NAME full|light CMD...: CMD in NAME's namespaces.  full: /etc overlay
# (etcd itself); light: only /etc/hosts bound (etcdctl, tools)
node_ns() {
	local n=$1 mode=$2
	shift 2
	unshare -mu -- /bin/sh "$GEN_DIR/nsrun.sh" "$SCDIR/root/$n" "$SCDIR/ns/$n" "${N_HOST[$n]}" \
		"$mode" "${N_MOUNT[$n]} ${N_XMOUNT[$n]:-}" -- "$@"
}

# start_etcd NAME [ARG...]: start etcd as the host's service manager would
# (launch.py); ARGs are one-off flags typed by the operator
start_etcd() {
	local n=$1 how=systemd
	shift
	[[ -z ${N_PID[$n]:-} ]] || die "start_etcd: $n is already running"
	[[ ${N_CONF[$n]} == kubeadm ]] && how=kubeadm
	N_RUN[$n]=$((N_RUN[$n] + 1))
	local raw=$SCDIR/raw/$n.log pidf=$SCDIR/ns/$n.pid
	rm -f "$pidf"
	[[ -n ${QUIET_START:-} ]] || say "[$n] systemctl start etcd${*:+   (one-off flags: $*)}"
	printf '%s\t\001start %d\n' "$(now)" "${N_RUN[$n]}" >>"$raw"
	python3 "$GEN_DIR/stamp.py" "$raw" "$pidf" -- unshare -mu -- /bin/sh "$GEN_DIR/nsrun.sh" \
		"$SCDIR/root/$n" "$SCDIR/ns/$n" "${N_HOST[$n]}" full "${N_MOUNT[$n]} ${N_XMOUNT[$n]:-}" -- \
		python3 "$GEN_DIR/launch.py" "$how" "$@" &
	N_SUP[$n]=$!
	ALL_PIDS+=("$!")
	local i
	for ((i = 0; i < 100; i++)); do
		[[ -s $pidf ]] && break
		sleep 0.05
	done
	[[ -s $pidf ]] || die "start_etcd $n: no pid"
	N_PID[$n]=$(<"$pidf")
	mark "$n" "pid ${N_RUN[$n]} ${N_PID[$n]}"
	ALL_PIDS+=("${N_PID[$n]}")
	log "started $n pid ${N_PID[$n]} (run ${N_RUN[$n]}) $*"
}

running() { [[ -n ${N_PID[$1]:-} ]] && kill -0 "${N_PID[$1]}" 2>/dev/null; }

# mark NAME TEXT: an event of the host's service manager, in its log record
mark() { printf '%s\t\001%s\n' "$(now)" "$2" >>"$SCDIR/raw/$1.log"; }

# reap NAME: wait for the stamper of NAME (it has written the exit marker)
reap() {
	local n=$1
	wait "${N_SUP[$n]}" 2>/dev/null || true
	unset "N_PID[$n]" "N_SUP[$n]"
}

# stop_etcd NAME [SIGNAL]: systemctl stop (SIGTERM) or a lost host (KILL)
stop_etcd() {
	local n=$1 sig=${2:-TERM} pid=${N_PID[$1]:-} i
	[[ -n $pid ]] || die "stop_etcd: $n is not running"
	if [[ $sig == KILL ]]; then
		mark "$n" hostlost
		say "[$n] host lost (etcd killed with SIGKILL, pid $pid)"
	else
		mark "$n" "stopreq $sig"
		say "[$n] systemctl stop etcd   (SIG$sig to pid $pid)"
	fi
	kill -s "$sig" "$pid" 2>/dev/null || true
	for ((i = 0; i < 200; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.05
	done
	if kill -0 "$pid" 2>/dev/null; then
		log "$n did not stop on SIG$sig, sending SIGKILL"
		kill -s KILL "$pid" 2>/dev/null || true
	fi
	reap "$n"
	log "stopped $n (SIG$sig)"
}

# restart_etcd NAME [PAUSE]: systemctl restart (stop, PAUSE seconds, start)
restart_etcd() {
	local n=$1 pause=${2:-0}
	say "[$n] systemctl restart etcd"
	stop_etcd "$n"
	sleep "$pause"
	QUIET_START=1 start_etcd "$n"
}

# wait_exit_etcd NAME SECONDS: etcd is expected to exit by itself; sets
# WAITED_STATUS (exit code, or "signal SIGxxx"); returns 124 if it still runs
wait_exit_etcd() {
	local n=$1 secs=$2 pid=${N_PID[$1]} i
	for ((i = 0; i < secs * 20; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.05
	done
	kill -0 "$pid" 2>/dev/null && return 124
	reap "$n"
	WAITED_STATUS=$(grep -a $'\001exit ' "$SCDIR/raw/$n.log" | tail -1 | sed 's/.*\x01exit //')
	log "$n exited by itself (status $WAITED_STATUS)"
}

# nctl NAME ARGS: etcdctl on host NAME against its own client URL
nctl() {
	local n=$1
	shift
	node_ns "$n" light env ETCDCTL_API=3 /usr/bin/etcdctl --endpoints="${N_CURL[$n]}" \
		--dial-timeout=2s --command-timeout=5s "$@"
}

# any_leader NAME...: the leader seen by the first member that knows one
any_leader() {
	local n l
	for n in "$@"; do
		running "$n" || continue
		l=$(leader_of "$n")
		[[ -n $l ]] && { echo "$l"; return 0; }
	done
}

# idhex NAME VIA: member id of NAME (by name, else by peer URL) from VIA's member list
idhex() {
	nctl "$2" member list -w json | python3 -c '
import json, sys
for m in json.load(sys.stdin)["members"]:
    if m.get("name") == sys.argv[1] or sys.argv[2] in m.get("peerURLs", []):
        print("%x" % m["ID"])
        break
' "$1" "${N_PURL[$1]}"
}

clusterhex() {
	nctl "$1" endpoint status -w json | python3 -c '
import json, sys
print("%x" % json.load(sys.stdin)[0]["Status"]["header"]["cluster_id"])'
}

# ---------------------------------------------------------------------------
# collection

# probe NAME SUBDIR files|transcript SPEC...: what the engineer ran on host NAME,
# saved into its bundle directory. SPEC = "file|etcdctl args" (files: one file
# each, stdout and stderr as with >file 2>&1) or "|etcdctl args" (transcript:
# one file SUBDIR, a prompt line before each command's output)
probe() {
	local n=$1 sub=$2 style=$3 spec file args rc out d
	shift 3
	d=$STAGE/${N_DEST[$n]}
	for spec in "$@"; do
		file=${spec%%|*} args=${spec#*|}
		rc=0
		# shellcheck disable=SC2086
		out=$(nctl "$n" $args 2>&1) || rc=$?
		if [[ $style == files ]]; then
			mkdir -p "$d/$sub"
			printf '%s\n' "$out" >"$d/$sub/$file"
			manifest "$n" "$sub/$file" "exit=$rc  etcdctl --endpoints=${N_CURL[$n]} $args"
		else
			mkdir -p "$(dirname "$d/$sub")"
			{
				printf 'root@%s:~# ETCDCTL_API=3 etcdctl --endpoints=%s %s\n' "${N_HOST[$n]%%.*}" "${N_CURL[$n]}" "$args"
				printf '%s\n' "$out"
			} >>"$d/$sub"
		fi
	done
	[[ $style == files ]] || manifest "$n" "$sub" "etcdctl session ($# commands)"
	log "probed $n into ${sub}"
}

# probe_header NAME FILE: a timestamp header in a transcript-style probe file
probe_header() {
	local d=$STAGE/${N_DEST[$1]}
	mkdir -p "$(dirname "$d/$2")"
	printf '=== %s  %s ===\n' "$(date -u '+%a %b %e %H:%M:%S UTC %Y')" "${N_HOST[$1]}" >>"$d/$2"
}

manifest() {
	[[ -n $MANIFEST ]] || return 0
	printf '%-10s %-44s %s %s\n' "$1" "$2" "$(date -u +%H:%M:%SZ)" "$3" >>"$STAGE/$MANIFEST"
}

# collect NAME [DIR...]: copy the host's files into its bundle directory: its
# configuration files, the log (rendered as the collector got it), the data
# dir's mount (whole /var/lib/etcd, or /srv/etcd, /opt/etcd) and the extra
# directories given (absolute host paths, e.g. /var/backups/etcd); live copies
# if etcd is still running
collect() {
	local n=$1 d=$STAGE/${N_DEST[$1]} r=$SCDIR/root/$1 f src
	shift
	mkdir -p "$d"
	while read -r f; do
		[[ -n $f ]] || continue
		mkdir -p "$d/$(dirname "$f")"
		cp -p "$r/$f" "$d/$f"
	done < <(conf_files "$n")
	for f in ${N_EXTRA_ETC[$n]:-}; do
		mkdir -p "$d/$(dirname "$f")"
		cp -p "$r/$f" "$d/$f"
	done
	case ${N_MOUNT[$n]} in
	/var/lib/etcd) src=var/lib/etcd ;;
	/srv) src=srv/etcd ;;
	/opt) src=opt/etcd ;;
	esac
	for f in "$src" "${@#/}"; do
		[[ -e $r/$f ]] || continue
		mkdir -p "$d/$(dirname "$f")"
		cp -a "$r/$f" "$d/$f"
	done
	render_log "$n"
	now >"$SCDIR/ns/$n.collected"
	manifest "$n" "(files)" "config, log ($(log_desc "$n")), /$src$(printf ' %s' "$@")"
	log "collected $n"
}

log_desc() {
	case ${N_LOGOUT[$1]} in
	file) echo "/${N_LOGPATH[$1]}" ;;
	journal) echo "journalctl -u etcd > ${N_LOGPATH[$1]}" ;;
	syslog) echo "/${N_LOGPATH[$1]} (rsyslog)" ;;
	pods) echo "/var/log/pods/kube-system_etcd-${N_HOST[$1]%%.*}_${N_PODUID[$1]}/etcd/*.log" ;;
	esac
}

# render_log NAME: the log as its collector got it, from the stamped record
render_log() {
	local n=$1 d=$STAGE/${N_DEST[$1]} desc
	desc="etcd - highly-available key value store"	# the Debian unit's
	if [[ -f $SCDIR/root/$n/etc/systemd/system/etcd.service ]]; then
		desc=$(sed -n 's/^Description=//p' "$SCDIR/root/$n/etc/systemd/system/etcd.service" | tail -1)
	fi
	python3 "$GEN_DIR/renderlog.py" "$SCDIR/raw/$n.log" "${N_LOGOUT[$n]}" "$d" "${N_LOGPATH[$n]}" \
		"${N_HOST[$n]%%.*}" "$desc" "etcd-${N_HOST[$n]%%.*}" "${N_PODUID[$n]}"
}

# ---------------------------------------------------------------------------
# packing

# pack LAYOUT [OUTER_DIR]: the bundle testdata/bundles/$SC.tar.gz from the stage.
#   tree     the stage as it is (a wrapping directory, or host directories at the top)
#   pernode  each top-level directory of the stage packed as DIR.tar.gz, the
#            outer tarball holds those (under OUTER_DIR if given)
pack() {
	local layout=$1 outer=${2:-} spares
	spares=$(cd "$STAGE" && find . -path '*/member/wal/*.tmp' -printf '%P\n' | sort)
	SPARES_REMOVED=""
	pack_once "$layout" "$outer"
	if [[ -n $spares ]] && (($(stat -c %s "$OUT_DIR/$SC.tar.gz") > SPARES_LIMIT)); then
		(cd "$STAGE" && find . -path '*/member/wal/*.tmp' -delete)
		SPARES_REMOVED=$spares
		pack_once "$layout" "$outer"
	fi
	log "wrote $OUT_DIR/$SC.tar.gz ($(stat -c %s "$OUT_DIR/$SC.tar.gz") bytes)"
}

pack_once() {
	local layout=$1 outer=$2 tmp=$WORK/pack-$SC e
	rm -rf "$tmp"
	mkdir -p "$tmp/${outer:-.}"
	case $layout in
	tree) cp -a "$STAGE/." "$tmp/" ;;
	pernode)
		for e in $(cd "$STAGE" && ls -1); do
			if [[ -d $STAGE/$e ]]; then
				tar --sort=name --owner=0 --group=0 --numeric-owner -C "$STAGE" -cf - "$e" |
					gzip -n -9 >"$tmp/${outer:-.}/$e.tar.gz"
			else
				cp -p "$STAGE/$e" "$tmp/${outer:-.}/$e"
			fi
		done
		;;
	*) die "pack: unknown layout $layout" ;;
	esac
	# shellcheck disable=SC2046
	tar --sort=name --owner=0 --group=0 --numeric-owner -C "$tmp" -cf - $(cd "$tmp" && ls -1) |
		gzip -n -9 >"$OUT_DIR/$SC.tar.gz.part"
	mv "$OUT_DIR/$SC.tar.gz.part" "$OUT_DIR/$SC.tar.gz"
	rm -rf "$tmp"
}

# stop_all: stop every running member (followers first), end of a scenario
stop_all() {
	local n l
	l=$(any_leader "${NODES[@]}")
	for n in "${NODES[@]}"; do
		[[ $n != "$l" ]] && running "$n" && stop_etcd "$n"
	done
	if [[ -n $l ]] && running "$l"; then stop_etcd "$l"; fi
	for n in "${NODES[@]}"; do [[ -z ${N_PID[$n]:-} ]] || die "$n still running"; done
}

# ---------------------------------------------------------------------------
# README

# hfacts: facts and timeline (history.py) of the current scenario
hfacts() {
	local n cfg=$WORK/$SC.cfg.json
	for n in "${NODES[@]}"; do
		printf '%s\t' "$n" "${N_HOST[$n]}" "${N_DEST[$n]}" "$SCDIR/raw/$n.log" "${N_IP[$n]}" \
			"${N_CP[$n]}" "${N_PP[$n]}" "${N_PURL[$n]}" "${N_CURL[$n]}" "${N_SET[$n|logger]:-capnslog}" \
			"$(log_desc "$n")" "${N_DATA[$n]}" "$(conf_files "$n" | sed 's|^|/|' | tr '\n' ' ')" \
			"$(cat "$SCDIR/ns/$n.collected" 2>/dev/null || true)"
		printf '\n'
	done | python3 -c '
import json, sys
keys = ["name", "host", "dest", "record", "ip", "cport", "pport", "purl", "curl",
        "logger", "logdesc", "data", "conf_files", "collected"]
nodes = []
for line in sys.stdin:
    node = dict(zip(keys, line.rstrip("\n").split("\t")))
    node["conf_files"] = node["conf_files"].split()
    nodes.append(node)
json.dump({"scenario": sys.argv[1], "stage": sys.argv[2], "ops": sys.argv[3], "nodes": nodes},
          open(sys.argv[4], "w"), indent=1)
' "$SC" "$STAGE" "$SCDIR/ops.tsv" "$cfg"
	python3 "$GEN_DIR/history.py" facts "$cfg"
}

# t_first NAME REGEX [AFTER]: unix time of NAME's first log line matching REGEX
t_first() { python3 "$GEN_DIR/history.py" first "$SCDIR/raw/$1.log" "$2" "${3:-}"; }
t_last() { python3 "$GEN_DIR/history.py" last "$SCDIR/raw/$1.log" "$2"; }
# n_lines NAME REGEX [AFTER]: how many; g_lines NAME REGEX [N [AFTER]]: the first N lines
n_lines() { python3 "$GEN_DIR/history.py" count "$SCDIR/raw/$1.log" "$2" "${3:-}"; }
g_lines() { python3 "$GEN_DIR/history.py" grep "$SCDIR/raw/$1.log" "$2" "${3:-1}" "${4:-}"; }
# t_exit NAME: time of NAME's last exit
t_exit() { grep -a $'\001exit ' "$SCDIR/raw/$1.log" | tail -1 | cut -f1; }
# tm UNIXTIME: HH:MM:SS.mmm (or "?" when empty)
tm() { if [[ -n ${1:-} ]]; then hms "$1"; else echo "?"; fi; }

# hprov FILE: the provenance paragraph
hprov() {
	local n
	printf 'Provenance\n'
	printf '  Generated by testdata/gen/etcd/run.sh (function sc_%s in\n' "${SC//-/_}"
	printf '  testdata/gen/etcd/%s) on %s, from real runs of etcd %s\n' "$1" "$(date -u +%Y-%m-%d)" "$ETCD_VERSION"
	printf '  (%s; Debian etcd-server %s) and etcdctl %s (Debian\n' "$ETCD_GO" "$PKG_SERVER" "$ETCDCTL_VERSION"
	printf '  etcd-client %s) on loopback.\n' "$PKG_CLIENT"
	cat <<'EOF'
  Each member ran on a host of its own: a mount + UTS namespace with its own
  host name, its own /etc (hosts, hostname, the etcd configuration) and its data
  dir at the configured path, so the paths and names in the logs are those of
  the bundle. etcd was started from the configuration files in the bundle by
  the generator's launch.py, the way systemd (unit, drop-ins, EnvironmentFile)
  or kubelet (static pod command) would start it. Ids of bootstrapped members
  and clusters repeat from run to run (hashes of peer URLs and token); ids of
  added members, terms, indexes, pids and all times differ.
  Hosts:
EOF
	for n in "${NODES[@]}"; do
		printf '    %-12s host %-26s %s:%s (peer) %s:%s (client), data dir %s\n' "$n" "${N_HOST[$n]}" \
			"${N_IP[$n]}" "${N_PP[$n]}" "${N_IP[$n]}" "${N_CP[$n]}" "${N_DATA[$n]}"
	done
	cat <<'EOF'

Written by the generator (not program output)
  The configuration files (etcd ran with exactly these), /etc/hosts and
  /etc/hostname, the collection manifest if any, and the log envelopes: a
  journal copy is rendered as `journalctl -u etcd` prints it ("Mon DD HH:MM:SS
  host etcd[pid]: line", the time being when the line arrived), with the unit's
  own systemd[1] lines written in systemd 252's wording at the moments the
  generator started, stopped or lost the process; a kubelet copy is one CRI
  file per container start ("<RFC 3339 time> stderr F <line>"). The lines
  themselves, the data dirs and the etcdctl outputs are real program output.
EOF
}

# hreadme FILE: README = narrative (stdin) + provenance + transcript + facts
hreadme() {
	local readme=$OUT_DIR/$SC.README
	{
		sed 's/[[:space:]]*$//'
		echo
		hprov "$1"
		echo
		echo "Operator transcript (UTC; etcdctl output verbatim)"
		echo "--------------------------------------------------"
		printf '%s' "$HISTORY"
		echo
		echo "Facts read back from the bundle (testdata/gen/etcd/history.py)"
		echo "--------------------------------------------------------------"
		hfacts
		if [[ -n ${SPARES_REMOVED:-} ]]; then
			echo
			echo "Removed from the bundle to keep it small (preallocated all-zero WAL spare"
			echo "segments; etcd recreates them; they hold no records):"
			sed 's/^/  /' <<<"$SPARES_REMOVED"
		fi
	} >"$readme"
	log "wrote $readme"
}

# ---------------------------------------------------------------------------
# operator actions on a host

# opsh NAME 'SHELL COMMAND': a command the operator typed on host NAME (its
# paths are the host's: it runs in NAME's namespaces); output in the transcript
opsh() {
	local n=$1 out rc=0
	out=$(node_ns "$n" light /bin/sh -c "$2" 2>&1) || rc=$?
	say "[$n] $2${3:+   ($3)}"
	quote "$out"
	((rc == 0)) || die "opsh $n: '$2' failed (exit $rc)"
}

# reconfigure NAME WHAT: the configuration of NAME was edited (nset/nunset
# before); the files are written again
reconfigure() {
	render_config "$1"
	say "[$1] configuration edited: $2"
}

# crashloop NAME ATTEMPTS DELAY: NAME's etcd was just started and exits at once;
# its supervisor starts it again DELAY s after each exit, ATTEMPTS starts in
# all (the first one included); restart markers for the journal.  Sets
# LOOP_STARTS (starts that exited) and LOOP_STATUS (the last exit status).
crashloop() {
	local n=$1 max=$2 delay=$3 k
	for ((k = 1; ; k++)); do
		wait_exit_etcd "$n" 30 || die "crashloop $n: start $k did not exit within 30 s"
		say "[$n] etcd exited (status $WAITED_STATUS), start $k of the loop"
		((k < max)) || break
		sleep "$delay"
		mark "$n" "restart $k"
		QUIET_START=1 start_etcd "$n"
	done
	# shellcheck disable=SC2034 # read by the scenarios
	LOOP_STARTS=$k LOOP_STATUS=$WAITED_STATUS
}

# support_stamp: the time part of support tarball names (20261207T1630)
support_stamp() { date -u +%Y%m%dT%H%M; }

# attempts N FUNCTION: run a scenario body up to N times; a body that finds the
# real run told another story than intended (timing) sets RETRY_WHY and
# returns; whatever it left running is stopped before the next attempt
attempts() {
	local max=$1 fn=$2 k n
	for ((k = 1; k <= max; k++)); do
		RETRY_WHY=""
		"$fn"
		[[ -n $RETRY_WHY ]] || return 0
		log "attempt $k of $SC told another story: $RETRY_WHY"
		for n in "${NODES[@]}"; do
			if [[ -n ${N_PID[$n]:-} ]]; then stop_etcd "$n" KILL; fi
		done
	done
	die "$SC: no attempt told the intended story ($RETRY_WHY)"
}

# followers_of LEADER NAME...: the others, in order
followers_of() {
	local l=$1 n
	shift
	for n in "$@"; do [[ $n == "$l" ]] || echo "$n"; done
}

# walinfo NAME: NAME's WAL as left on disk: "last index I (entry term T), commit C, term H"
walinfo() {
	python3 "$GEN_DIR/history.py" wal "$SCDIR/root/$1${N_DATA[$1]}/member/wal" | python3 -c '
import json, sys
w = json.load(sys.stdin)
hs = w.get("hardstate") or {}
print("last index %s (entry term %s), commit %s, term %s"
      % (w.get("last_index"), w.get("last_term"), hs.get("commit"), hs.get("term")))'
}

# most_log NAME...: which of NAME... holds the most log (highest last entry
# term, then index; among equals the one named last: list the survivor last)
most_log() {
	local n
	for n in "$@"; do
		python3 "$GEN_DIR/history.py" wal "$SCDIR/root/$n${N_DATA[$n]}/member/wal" | python3 -c '
import json, sys
w = json.load(sys.stdin)
print("%d %d %s" % (w.get("last_term") or 0, w.get("last_index") or 0, sys.argv[1]))' "$n"
	done | sort -s -k1,1n -k2,2n | tail -1 | cut -d" " -f3
}

# leader_after TIME NAME...: the member that became leader first after TIME
leader_after() {
	local t=$1 n x
	shift
	for n in "$@"; do
		x=$(t_first "$n" "became leader at term" "$t")
		[[ -z $x ]] || echo "$x $n"
	done | sort -n | head -1 | cut -d' ' -f2
}

# hb_noise: a sentence on the late-heartbeat lines a healthy run logged anyway
# (load on the shared machine), or nothing
hb_noise() {
	local n
	for n in "${NODES[@]}"; do
		python3 "$GEN_DIR/history.py" grep "$SCDIR/raw/$n.log" "heartbeat on time" 9999 "" \
			"$(cat "$SCDIR/ns/$n.collected" 2>/dev/null || true)" || true
	done | python3 -c '
import re, sys
n, worst = 0, 0.0
for line in sys.stdin:
    m = re.search(r"timeout for ([0-9.]+)(µs|ms|s)\b|\"exceeded-duration\":\"([0-9.]+)(µs|ms|s)\"", line)
    if m:
        v, u = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        n += 1
        worst = max(worst, float(v) * {"s": 1000, "ms": 1, "µs": 0.001}[u])
if n:
    print("The logs hold %d late-heartbeat lines anyway (at most %.1f ms late: load on"
          " the shared test machine), far below the election timeout: no finding." % (n, worst))'
}

# start_all NAME...: start every member, then wait until each is healthy
start_all() {
	local n
	for n in "$@"; do start_etcd "$n"; done
	for n in "$@"; do wait_healthy "$n" 60; done
}

# collect_all SPEC...: on every host, the etcdctl outputs SPEC... (probe NAME
# etcdctl files SPEC...), then its files (collect NAME $COLLECT_DIRS)
collect_all() {
	local n
	for n in "${NODES[@]}"; do
		probe "$n" etcdctl files "$@"
		# shellcheck disable=SC2086 # a list of directories
		collect "$n" ${COLLECT_DIRS:-}
	done
}

# hosts_add ADDRESS NAME...: a line of the /etc/hosts every host of the scenario gets
hosts_add() { HOSTS_LINES+="${HOSTS_LINES:+$'\n'}$1${2:+	${*:2}}"; }

# bootstrap TOKEN NAME... [-- ADDRESS:PORT...]: NAME... bootstrap a new cluster
# together (cluster_def, hosts_ready with the extra ports to check, start_all)
bootstrap() {
	local token=$1 names=() ports=()
	shift
	while (($#)) && [[ $1 != -- ]]; do names+=("$1"); shift; done
	(($#)) && shift
	ports=("$@")
	cluster_def "$token" new "${names[@]}"
	hosts_ready "${ports[@]}"
	start_all "${names[@]}"
}

# wipe_member NAME WHY: NAME stopped and its member dir gone (a replaced disk)
wipe_member() {
	stop_etcd "$1"
	rm -rf "$SCDIR/root/$1${N_DATA[$1]}/member"
	say "[$1] $2"
}
