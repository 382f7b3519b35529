# shellcheck shell=bash
# Helpers shared by the ZooKeeper/Triton fixture scenarios (sourced by run.sh
# and by scenarios/*.sh).  Everything runs the real ZooKeeper server from the
# Debian "zookeeper"/"libzookeeper-java" packages on loopback addresses.
#
# Environment used: ZK_WORK (scratch dir), ZK_PIDFILE (PIDs we started),
# ZK_STAGE (scenario stage dir: tree/<scenario>/... and README).

: "${ZK_JAVA:=java}"

# Classpath: the server jar (its manifest Class-Path pulls in jute, netty,
# jetty, slf4j-api, ...) plus the slf4j -> log4j 1.2 binding that Debian ships
# (libslf4j-java, liblog4j1.2-java), so a log4j.properties drives the output.
zk_classpath() {
	local j cp=""
	for j in /usr/share/java/zookeeper.jar /usr/share/java/slf4j-log4j12.jar \
		/usr/share/java/log4j-1.2.jar; do
		[ -r "$j" ] || {
			echo "missing $j (apt-get install zookeeper libslf4j-java liblog4j1.2-java)" >&2
			return 1
		}
		cp="${cp:+$cp:}$j"
	done
	printf '%s\n' "$cp"
}

zk_pkg_version() {
	dpkg-query -W -f='${Version}' "${1:-zookeeper}" 2>/dev/null || echo unknown
}

java_version() {
	"$ZK_JAVA" -version 2>&1 | head -n 1
}

# JVM options shared by servers and the CLI: small heap, no AdminServer (it
# would open :8080), all four-letter words allowed (a system property, so that
# zoo.cfg keeps the Triton shape; Triton's ZooKeeper 3.4 allowed them all).
ZK_JVM_OPTS=(-Xms32m -Xmx96m -XX:+UseSerialGC -XX:TieredStopAtLevel=1
	-Djava.net.preferIPv4Stack=true
	-Dzookeeper.admin.enableServer=false
	'-Dzookeeper.4lw.commands.whitelist=*')

# write_log4j FILE LOGFILE: INFO file log in the usual ZooKeeper pattern.
write_log4j() {
	cat >"$1" <<EOT
log4j.rootLogger=INFO, ROLLINGFILE
log4j.appender.ROLLINGFILE=org.apache.log4j.RollingFileAppender
log4j.appender.ROLLINGFILE.Threshold=INFO
log4j.appender.ROLLINGFILE.File=$2
log4j.appender.ROLLINGFILE.MaxFileSize=10MB
log4j.appender.ROLLINGFILE.MaxBackupIndex=2
log4j.appender.ROLLINGFILE.layout=org.apache.log4j.PatternLayout
log4j.appender.ROLLINGFILE.layout.ConversionPattern=%d{ISO8601} [myid:%X{myid}] - %-5p [%t:%C{1}@%L] - %m%n
EOT
}

# Registry of processes we started: one PID per line in $ZK_PIDFILE.
zk_register_pid() { echo "$1" >>"$ZK_PIDFILE"; }

# zk_kill PID [SIGNAL]: signal one of our processes and wait for it to end.
zk_kill() {
	local pid=$1 sig=${2:-TERM} i
	kill -"$sig" "$pid" 2>/dev/null || return 0
	for i in $(seq 1 100); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$pid" 2>/dev/null; then
		kill -KILL "$pid" 2>/dev/null || true
	fi
	# (braces: keeps bash's "Killed ..." job report off stderr)
	{ wait "$pid"; } 2>/dev/null || true
}

# zk_kill_all: SIGKILL every PID recorded in $ZK_PIDFILE (traps only).
zk_kill_all() {
	local pid
	[ -n "${ZK_PIDFILE:-}" ] && [ -f "$ZK_PIDFILE" ] || return 0
	while read -r pid; do
		[ -n "$pid" ] || continue
		kill -KILL "$pid" 2>/dev/null || true
	done <"$ZK_PIDFILE"
	: >"$ZK_PIDFILE"
}

# Zone layout helpers.  A node ("zone") root holds:
#   zookeeper/zookeeper/{myid,version-2/}   dataDir
#   opt/local/etc/zookeeper/zoo.cfg         config
#   var/log/zookeeper/zookeeper.log         server log
zone_cfg() { echo "$1/opt/local/etc/zookeeper/zoo.cfg"; }
zone_data() { echo "$1/zookeeper/zookeeper"; }

# zone_init ROOT MYID: create the zone directories and myid.
zone_init() {
	mkdir -p "$1/zookeeper/zookeeper" "$1/opt/local/etc/zookeeper" "$1/var/log/zookeeper"
	echo "$2" >"$1/zookeeper/zookeeper/myid"
}

# zone_write_cfg ROOT CLIENTADDR [SERVERLINE...]: the zoo.cfg a Triton
# binder zone renders (seed 004), with clientPort $PORT, plus
# clientPortAddress so the client port listens on the zone's loopback
# address only, then the server.N lines given.
zone_write_cfg() {
	local root=$1 addr=$2
	shift 2
	{
		cat <<EOT
# The number of milliseconds of each tick
tickTime=2000
# The number of ticks that the initial
# synchronization phase can take
initLimit=10
# The number of ticks that can pass between
# sending a request and getting an acknowledgement
syncLimit=5
dataDir=$root/zookeeper/zookeeper
# the port at which the clients will connect
clientPort=$PORT
clientPortAddress=$addr
maxClientCnxns=0
EOT
		[ $# -eq 0 ] || printf '%s\n' "$@"
	} >"$(zone_cfg "$root")"
}

# zk_find_roles NAME...: LEADER (the zone whose srvr says leader, or empty)
# and FOLLOWERS (the others), from the IP array and $PORT.
zk_find_roles() {
	local n
	LEADER="" FOLLOWERS=""
	for n in "$@"; do
		if [ "$(zk_mode "${IP[$n]}" "$PORT")" = leader ]; then LEADER=$n; else FOLLOWERS="$FOLLOWERS $n"; fi
	done
}

# zk_start ROOT [extra -D options...]: start QuorumPeerMain for the zone at
# ROOT, in the background, with the JVM's cwd at ROOT.  Sets ZK_LAST_PID.
zk_start() {
	local root=$1; shift
	local cfg logdir tag
	cfg=$(zone_cfg "$root")
	logdir="$root/var/log/zookeeper"
	mkdir -p "$logdir" "$ZK_WORK/jvm"
	tag=$(basename "$root")
	write_log4j "$ZK_WORK/jvm/log4j-$tag.properties" "$logdir/zookeeper.log"
	(cd "$root" && exec nice -n 10 "$ZK_JAVA" "${ZK_JVM_OPTS[@]}" \
		-Dlog4j.configuration="file:$ZK_WORK/jvm/log4j-$tag.properties" \
		-Dzookeeper.log.dir="$logdir" \
		"$@" \
		-cp "$(zk_classpath)" org.apache.zookeeper.server.quorum.QuorumPeerMain "$cfg" \
		>>"$ZK_WORK/jvm/stdout-$tag.txt" 2>&1 </dev/null) &
	ZK_LAST_PID=$!
	zk_register_pid "$ZK_LAST_PID"
}

# fourlw HOST PORT CMD: send a four-letter word, print the answer.
fourlw() {
	python3 - "$1" "$2" "$3" <<'PY'
import socket, sys
host, port, cmd = sys.argv[1], int(sys.argv[2]), sys.argv[3]
try:
    s = socket.create_connection((host, port), timeout=5)
    s.sendall(cmd.encode())
    out = b""
    while True:
        b = s.recv(65536)
        if not b:
            break
        out += b
    s.close()
    sys.stdout.write(out.decode("utf-8", "replace"))
except Exception as e:
    sys.stderr.write("4lw %s to %s:%d failed: %s\n" % (cmd, host, port, e))
    sys.exit(1)
PY
}

# zk_mode HOST PORT: print leader/follower/standalone, or nothing.
zk_mode() {
	fourlw "$1" "$2" srvr 2>/dev/null | sed -n 's/^Mode: //p'
}

# wait_modes TIMEOUT HOST:PORT...: wait until every server reports a Mode.
wait_modes() {
	local t=$1 hp ok i
	shift
	for i in $(seq 1 $((t * 2))); do
		ok=1
		for hp in "$@"; do
			[ -n "$(zk_mode "${hp%:*}" "${hp##*:}")" ] || { ok=0; break; }
		done
		[ $ok = 1 ] && return 0
		sleep 0.5
	done
	echo "servers did not all reach a mode within ${t}s: $*" >&2
	return 1
}

# wait_log FILE REGEX TIMEOUT [FROMLINE]: wait until FILE (after line
# FROMLINE) has a line matching REGEX.
wait_log() {
	local f=$1 re=$2 t=$3 from=${4:-1} i
	for i in $(seq 1 $((t * 4))); do
		if [ -f "$f" ] && tail -n +"$from" "$f" | grep -qE "$re"; then
			return 0
		fi
		sleep 0.25
	done
	echo "timeout waiting for /$re/ in $f" >&2
	return 1
}

log_lines() { if [ -f "$1" ]; then wc -l <"$1"; else echo 0; fi; }

# zkcli HOST:PORT [JVM -D options]: run the real CLI (ZooKeeperMain) on
# commands read from stdin, ending with "quit" (a clean closeSession).  The
# CLI's output is appended to $ZK_WORK/zkcli.out, its log to the scratch dir.
zkcli() {
	local server=$1
	shift
	mkdir -p "$ZK_WORK/jvm"
	write_log4j "$ZK_WORK/jvm/log4j-cli.properties" "$ZK_WORK/jvm/zkcli.log"
	{ cat; echo quit; } | nice -n 10 "$ZK_JAVA" "${ZK_JVM_OPTS[@]}" \
		-Dlog4j.configuration="file:$ZK_WORK/jvm/log4j-cli.properties" \
		"$@" \
		-cp "$(zk_classpath)" org.apache.zookeeper.ZooKeeperMain \
		-waitforconnection -server "$server" >>"$ZK_WORK/zkcli.out" 2>&1
}

# zkcli_bg NAME HOST:PORT: start a long-lived CLI session (a "registrar")
# reading commands from a FIFO; write commands with zkcli_send NAME CMD...
# End it with zkcli_bg_stop NAME (clean quit) or zk_kill PID KILL.
# Sets ZK_LAST_PID to the CLI's PID.
zkcli_bg() {
	local name=$1 server=$2 fifo="$ZK_WORK/cli-$1.fifo"
	mkfifo "$fifo"
	write_log4j "$ZK_WORK/jvm/log4j-cli.properties" "$ZK_WORK/jvm/zkcli.log"
	(exec nice -n 10 "$ZK_JAVA" "${ZK_JVM_OPTS[@]}" \
		-Dlog4j.configuration="file:$ZK_WORK/jvm/log4j-cli.properties" \
		-cp "$(zk_classpath)" org.apache.zookeeper.ZooKeeperMain \
		-waitforconnection -server "$server" <"$fifo" >>"$ZK_WORK/zkcli-$name.out" 2>&1) &
	ZK_LAST_PID=$!
	zk_register_pid "$ZK_LAST_PID"
	# keep a writer open on the FIFO so the CLI does not see EOF
	eval "exec {ZKCLI_FD_$name}>\"\$fifo\""
}

zkcli_send() {
	local name=$1 fdvar="ZKCLI_FD_$1"
	shift
	printf '%s\n' "$@" >&"${!fdvar}"
}

# zkcli_bg_stop NAME PID: send quit, close the FIFO, wait for the CLI.
zkcli_bg_stop() {
	local name=$1 pid=$2 fdvar="ZKCLI_FD_$1" i
	printf 'quit\n' >&"${!fdvar}" 2>/dev/null || true
	eval "exec ${!fdvar}>&-"
	for i in $(seq 1 60); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.25
	done
	zk_kill "$pid" TERM
}

# zkcli_bg_close_fd NAME: close our end of the FIFO (after killing the CLI).
zkcli_bg_close_fd() {
	local fdvar="ZKCLI_FD_$1"
	eval "exec ${!fdvar}>&-" 2>/dev/null || true
}

# collect_4lw ROOT HOST PORT: write <ROOT>/zk-<cmd>.txt the way a support
# engineer would (echo <cmd> | nc HOST PORT > zk-<cmd>.txt).
collect_4lw() {
	local root=$1 host=$2 port=$3 c
	for c in srvr stat mntr conf; do
		fourlw "$host" "$port" "$c" >"$root/zk-$c.txt" 2>/dev/null || true
	done
}

# collect_zone RUNROOT DEST: copy a zone's files the way a support bundle
# collector would (while the server may still be running), then rewrite the
# run directory prefix to "/" in text files (configs, logs, 4lw output), as
# the zone itself sees its paths.  mtimes are kept.
collect_zone() {
	mkdir -p "$(dirname "$2")"
	cp -a "$1" "$2"
	normalize_zone "$2" "$1"
}

# normalize_zone DIR [PREFIX]: replace PREFIX (default DIR) by "/" in the
# text files under DIR.
normalize_zone() {
	local root=${2:-$1} f
	while IFS= read -r -d '' f; do
		case $f in
		*/version-2/*) continue ;;
		esac
		if grep -Iq . "$f" 2>/dev/null && grep -qF "$root" "$f"; then
			# keep mtimes: the analyzer may look at them
			local m
			m=$(stat -c %Y "$f")
			sed -i -e "s#$root/#/#g" -e "s#$root\\b#/#g" "$f"
			touch -d "@$m" "$f"
		fi
	done < <(find "$1" -type f -print0)
}

# zkfacts ROOT...: per-node facts block for READMEs (from zkdump.py).
zkfacts() {
	python3 "$ZK_GEN_DIR/zkdump.py" --facts "$@"
}

# --- Triton-flavoured znode content (synthetic, written through the real CLI)
# Datacenter "de-gt-4", DNS domain "example.com": binder's registrar paths are
# the reversed service names (/com/example/de-gt-4/<service>), manatee keeps
# its shard state under /manatee/<shard>/.
TRITON_SHARD=/manatee/1.moray.de-gt-4.example.com

# triton_base_cmds: CLI commands creating the persistent tree.
triton_base_cmds() {
	cat <<'EOT'
create /com ''
create /com/example ''
create /com/example/de-gt-4 ''
create /com/example/de-gt-4/moray '{"type":"service","service":{"srvce":"_moray","proto":"_tcp","port":2020,"ttl":60}}'
create /com/example/de-gt-4/sapi '{"type":"service","service":{"srvce":"_sapi","proto":"_tcp","port":80,"ttl":60}}'
create /manatee ''
create /manatee/1.moray.de-gt-4.example.com ''
create /manatee/1.moray.de-gt-4.example.com/history ''
create /manatee/1.moray.de-gt-4.example.com/election ''
create /manatee/1.moray.de-gt-4.example.com/state '{"generation":0,"primary":{"id":"127.0.0.31:5432:12345","ip":"127.0.0.31","zoneId":"a0d9e7f3-5d4a-4f3e-9a51-1f6a3c2b7e01"},"sync":{"id":"127.0.0.32:5432:12345","ip":"127.0.0.32","zoneId":"b1e0f804-6e5b-4a4f-8b62-2a7b4d3c8f12"},"async":[],"deposed":[],"initWal":"0/16D8C38"}'
create -s /manatee/1.moray.de-gt-4.example.com/history/0- '{"generation":0,"primary":"a0d9e7f3","sync":"b1e0f804"}'
EOT
}

# triton_takeover_cmds GEN: a manatee takeover bumping the generation
# (setData + sequential history node).
triton_takeover_cmds() {
	cat <<EOT
set /manatee/1.moray.de-gt-4.example.com/state '{"generation":$1,"primary":{"id":"127.0.0.32:5432:12345","ip":"127.0.0.32","zoneId":"b1e0f804-6e5b-4a4f-8b62-2a7b4d3c8f12"},"sync":{"id":"127.0.0.31:5432:12345","ip":"127.0.0.31","zoneId":"a0d9e7f3-5d4a-4f3e-9a51-1f6a3c2b7e01"},"async":[],"deposed":[],"initWal":"0/16D9F20"}'
create -s /manatee/1.moray.de-gt-4.example.com/history/$1- '{"generation":$1,"primary":"b1e0f804","sync":"a0d9e7f3"}'
EOT
}

# registrar_cmds UUID IP: ephemeral DNS records of a moray instance.
registrar_cmds() {
	cat <<EOT
create -e /com/example/de-gt-4/moray/$1 '{"type":"load_balancer","address":"$2","ttl":30,"load_balancer":{"address":"$2","ports":[2020]}}'
EOT
}

# --- Hosts with their own layout (the scenarios after the Triton ones) -------
# A node NAME runs in $R/NAME (its "/"), described by global associative
# arrays filled by node_def: NIP (address), NID (myid), NCFG (config file),
# NDATA (dataDir), NLOGSTYLE (how its log is written, below), NHOST (host
# name), NSTARTS (how many times started).  Paths are relative to the node
# root.  Log styles:
#   myid      log4j file, "%d{ISO8601} [myid:%X{myid}] - %-5p [%t:%C{1}@%L] - %m%n"
#             (the pattern ZooKeeper 3.5-3.8 ship) in NLOGFILE
#   plain     log4j file, "%d{ISO8601} - %-5p [%t:%C{1}@%L] - %m%n" (the
#             3.4-era pattern Debian's /etc/zookeeper/conf/log4j.properties
#             still has) in NLOGFILE
#   journald  console appender with the myid pattern, its stdout read line by
#             line by journal_tee (journald's "short" format, as
#             `journalctl -u zookeeper` prints it) into $ZK_WORK/journal-NAME
#   kafka     Kafka's config/log4j.properties: "[%d] %p %m (%c)%n" to stdout
#             (-daemon: logs/zookeeper.out) and to logs/server.log
nodes_init() {
	# shellcheck disable=SC2034 # NPID and the others are read by the scenarios
	declare -gA NIP=() NID=() NCFG=() NDATA=() NLOGSTYLE=() NLOGFILE=() NHOST=() NSTARTS=() NPID=()
}

# node_def NAME MYID ADDR CFG DATADIR LOGSTYLE [LOGFILE [HOSTNAME]]
node_def() {
	NID[$1]=$2 NIP[$1]=$3 NCFG[$1]=$4 NDATA[$1]=$5 NLOGSTYLE[$1]=$6
	NLOGFILE[$1]=${7:-var/log/zookeeper/zookeeper.log}
	NHOST[$1]=${8:-$1}
	NSTARTS[$1]=0
	mkdir -p "$R/$1/${NDATA[$1]}" "$(dirname "$R/$1/${NCFG[$1]}")"
	echo "$2" >"$R/$1/${NDATA[$1]}/myid"
}

# port_free ADDR PORT...: fail if something listens on ADDR:PORT or
# 0.0.0.0:PORT (another engineer's server, a leftover of ours).
ports_free() {
	local a=$1 p
	shift
	for p in "$@"; do
		if ss -Htln "( sport = :$p )" 2>/dev/null | awk '{print $4}' |
			grep -qE "^($a|0\\.0\\.0\\.0|\\*|\\[::\\]):$p\$"; then
			echo "port $a:$p is in use" >&2
			return 1
		fi
	done
}

# node_cfg_common NAME: the lines every zoo.cfg here starts with (the
# upstream zoo_sample.cfg values), dataDir and the client port bound to the
# node's own address.
node_cfg_common() {
	cat <<EOT
tickTime=2000
initLimit=10
syncLimit=5
dataDir=$R/$1/${NDATA[$1]}
clientPort=$PORT
clientPortAddress=${NIP[$1]}
EOT
}

# node_log4j NAME FILE: the log4j.properties for the node's log style.
node_log4j() {
	local n=$1 f=$2 myid='%d{ISO8601} [myid:%X{myid}] - %-5p [%t:%C{1}@%L] - %m%n'
	local plain='%d{ISO8601} - %-5p [%t:%C{1}@%L] - %m%n' kafka='[%d] %p %m (%c)%n'
	case ${NLOGSTYLE[$n]} in
	myid | plain)
		local pat=$myid
		[ "${NLOGSTYLE[$n]}" = plain ] && pat=$plain
		cat >"$f" <<EOT
log4j.rootLogger=INFO, ROLLINGFILE
log4j.appender.ROLLINGFILE=org.apache.log4j.RollingFileAppender
log4j.appender.ROLLINGFILE.Threshold=INFO
log4j.appender.ROLLINGFILE.File=$R/$n/${NLOGFILE[$n]}
log4j.appender.ROLLINGFILE.MaxFileSize=10MB
log4j.appender.ROLLINGFILE.MaxBackupIndex=2
log4j.appender.ROLLINGFILE.layout=org.apache.log4j.PatternLayout
log4j.appender.ROLLINGFILE.layout.ConversionPattern=$pat
EOT
		;;
	journald)
		cat >"$f" <<EOT
log4j.rootLogger=INFO, CONSOLE
log4j.appender.CONSOLE=org.apache.log4j.ConsoleAppender
log4j.appender.CONSOLE.Threshold=INFO
log4j.appender.CONSOLE.layout=org.apache.log4j.PatternLayout
log4j.appender.CONSOLE.layout.ConversionPattern=$myid
EOT
		;;
	kafka)
		cat >"$f" <<EOT
log4j.rootLogger=INFO, stdout, kafkaAppender
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=$kafka
log4j.appender.kafkaAppender=org.apache.log4j.DailyRollingFileAppender
log4j.appender.kafkaAppender.DatePattern='.'yyyy-MM-dd-HH
log4j.appender.kafkaAppender.File=\${kafka.logs.dir}/server.log
log4j.appender.kafkaAppender.layout=org.apache.log4j.PatternLayout
log4j.appender.kafkaAppender.layout.ConversionPattern=$kafka
EOT
		;;
	esac
}

# journal_tee HOST PIDFILE OUT: prefix each line read on stdin the way
# journald's short output does ("Dec 07 18:12:01 HOST zookeeper[PID]: "),
# with the time the line arrived.  The PID is the JVM's (PIDFILE).
journal_tee() {
	python3 -u -c '
import os, sys, time
host, pidfile, out = sys.argv[1:4]
pid = ""
for _ in range(200):
    try:
        pid = open(pidfile).read().strip()
    except OSError:
        pid = ""
    if pid:
        break
    time.sleep(0.05)
with open(out, "a") as o:
    for line in sys.stdin.buffer:
        t = time.strftime("%b %d %H:%M:%S", time.localtime())
        o.write("%s %s zookeeper[%s]: %s\n" % (t, host, pid,
                line.decode("utf-8", "replace").rstrip("\n")))
        o.flush()
' "$1" "$2" "$3"
}

# node_start NAME [extra JVM options]: start QuorumPeerMain on the node's
# config, its cwd the node root.  Sets NPID[NAME] and ZK_LAST_PID (the
# JVM's PID).
node_start() {
	local n=$1 root="$R/$1" props pidf
	shift
	mkdir -p "$ZK_WORK/jvm" "$(dirname "$root/${NLOGFILE[$n]}")"
	NSTARTS[$n]=$((NSTARTS[$n] + 1))
	props="$ZK_WORK/jvm/log4j-$n.properties"
	# Kafka reads its own config/log4j.properties (beside zookeeper.properties)
	[ "${NLOGSTYLE[$n]}" = kafka ] && props="$(dirname "$root/${NCFG[$n]}")/log4j.properties"
	node_log4j "$n" "$props"
	# ZK_4LW_DEFAULT=1: leave the whitelist at ZooKeeper's default (srvr only)
	local -a jvm=() o
	for o in "${ZK_JVM_OPTS[@]}"; do
		case $o in -Dzookeeper.4lw.commands.whitelist=*) [ -n "${ZK_4LW_DEFAULT:-}" ] && continue ;; esac
		jvm+=("$o")
	done
	local -a cmd=(nice -n 10 "$ZK_JAVA" "${jvm[@]}"
		-Dlog4j.configuration="file:$props" -Dkafka.logs.dir="$(dirname "$root/${NLOGFILE[$n]}")" "$@"
		-cp "$(zk_classpath)" org.apache.zookeeper.server.quorum.QuorumPeerMain "$root/${NCFG[$n]}")
	case ${NLOGSTYLE[$n]} in
	journald)
		pidf="$ZK_WORK/jvm/pid-$n-${NSTARTS[$n]}"
		rm -f "$pidf"
		(cd "$root" && { echo "$BASHPID" >"$pidf"; exec "${cmd[@]}" 2>&1 </dev/null; } |
			journal_tee "${NHOST[$n]}" "$pidf" "$ZK_WORK/journal-$n") &
		local _
		for _ in $(seq 1 100); do
			[ -s "$pidf" ] && break
			sleep 0.05
		done
		ZK_LAST_PID=$(cat "$pidf")
		;;
	kafka)
		(cd "$root" && exec "${cmd[@]}" >>"$root/${NLOGFILE[$n]}" 2>&1 </dev/null) &
		ZK_LAST_PID=$!
		;;
	*)
		(cd "$root" && exec "${cmd[@]}" >>"$ZK_WORK/jvm/stdout-$n.txt" 2>&1 </dev/null) &
		ZK_LAST_PID=$!
		;;
	esac
	# shellcheck disable=SC2034 # read by the scenarios
	NPID[$n]=$ZK_LAST_PID
	zk_register_pid "$ZK_LAST_PID"
}

# node_log NAME: the file holding the node's server log lines while it runs.
node_log() {
	if [ "${NLOGSTYLE[$1]}" = journald ]; then
		echo "$ZK_WORK/journal-$1"
	else
		echo "$R/$1/${NLOGFILE[$1]}"
	fi
}

# node_wait_pid PID TIMEOUT: wait for a process (not necessarily our direct
# child) to end.
node_wait_pid() {
	local _
	for _ in $(seq 1 $(($2 * 4))); do
		kill -0 "$1" 2>/dev/null || return 0
		sleep 0.25
	done
	return 1
}

# node_mode NAME: leader/follower/..., or nothing.
node_mode() { zk_mode "${NIP[$1]}" "$PORT"; }

# nodes_wait_modes TIMEOUT NAME...: every named node reports a Mode.
nodes_wait_modes() {
	local t=$1 n hps=()
	shift
	for n in "$@"; do hps+=("${NIP[$n]}:$PORT"); done
	wait_modes "$t" "${hps[@]}"
}

# nodes_leader NAME...: print the node that says "Mode: leader".
nodes_leader() {
	local n
	for n in "$@"; do
		[ "$(node_mode "$n")" = leader ] && { echo "$n"; return 0; }
	done
	return 0
}

# fourlw_nc HOST PORT CMD OUT: what a collector running
# "echo CMD | nc -v HOST PORT >OUT 2>&1" saves.  netcat-openbsd says nothing
# about a refused connection without -v (the file would be empty); with -v it
# prints "nc: connect to HOST port PORT (tcp) failed: Connection refused", or
# "Connection to HOST PORT port [tcp/*] succeeded!" before the answer.
fourlw_nc() {
	echo "$3" | nc -v -w 5 "$1" "$2" >"$4" 2>&1 || true
}

# fourlw_py HOST PORT CMD OUT: what a collector using the Python sender
# (fourlw) saves with 2>&1: the answer, or its error line.
fourlw_py() {
	fourlw "$1" "$2" "$3" >"$4" 2>&1 || true
}

# node_collect NAME DEST: copy the node's files (while it may run) and make
# its paths read as the node sees them; a journald node gets its journal as
# `journalctl -u zookeeper` output in DEST/JOURNALFILE (default
# journalctl-u-zookeeper.txt).
node_collect() {
	local n=$1 dest=$2 jf=${JOURNALFILE:-journalctl-u-zookeeper.txt}
	collect_zone "$R/$n" "$dest"
	if [ "${NLOGSTYLE[$n]}" = journald ] && [ -f "$ZK_WORK/journal-$n" ]; then
		mkdir -p "$(dirname "$dest/$jf")"
		sed -e "s#$R/$n/#/#g" -e "s#$R/$n\\b#/#g" "$ZK_WORK/journal-$n" >"$dest/$jf"
	fi
}

# pack_dir SRC_PARENT NAME OUT.tar.gz: deterministic tarball of one
# directory (per-node tarballs inside an outer one).
pack_dir() {
	tar --sort=name --owner=0 --group=0 --numeric-owner -C "$1" -cf - "$2" | gzip -n -9 >"$3"
}

# node_facts LAYOUT NAME...: zkdump.py facts for nodes collected at
# $T/<name>, LAYOUT = CFG:DATADIR:LOG relative to the node root.
node_facts() {
	local layout=$1 n a=()
	shift
	for n in "$@"; do a+=("$TF/$n"); done
	python3 "$ZK_GEN_DIR/zkdump.py" --facts-at "$layout" "${a[@]}"
}

# stamp: local time as the log4j ISO8601 timestamps print it.
stamp() { date '+%Y-%m-%d %H:%M:%S,%3N'; }

# retry_exit MSG: the run told another story than intended (timing); run.sh
# runs the scenario again.
retry_exit() {
	echo "$S: $* (retrying)" >&2
	exit 75
}

# app_writes HOST:PORT PREFIX: an application's persistent znodes (a
# service registry and a config blob), written with the real CLI.
app_writes() {
	zkcli "$1" <<EOT
create /$2 ''
create /$2/config '{"replicas":3,"owner":"payments"}'
create /$2/services ''
create /$2/services/api ''
create -s /$2/services/api/member- '{"host":"api-1","port":8443}'
set /$2/config '{"replicas":3,"owner":"payments","rev":2}'
EOT
}

# log_style_text STYLE: how a README names a log style.
log_style_text() {
	case $1 in
	myid) echo 'log4j 1.2 file log, pattern "%d{ISO8601} [myid:%X{myid}] - %-5p [%t:%C{1}@%L] - %m%n"' ;;
	plain) echo 'log4j 1.2 file log, pattern "%d{ISO8601} - %-5p [%t:%C{1}@%L] - %m%n" (Debian'"'"'s /etc/zookeeper/conf/log4j.properties, no myid)' ;;
	journald) echo 'log4j 1.2 console appender, pattern "%d{ISO8601} [myid:%X{myid}] - %-5p [%t:%C{1}@%L] - %m%n", each stdout line prefixed as journald'"'"'s short format prints it ("Dec 07 18:12:01 HOST zookeeper[PID]: ...")' ;;
	kafka) echo 'Kafka'"'"'s config/log4j.properties (rootLogger=INFO, stdout, kafkaAppender; pattern "[%d] %p %m (%c)%n"): stdout redirected to logs/zookeeper.out as kafka-run-class.sh -daemon does, and logs/server.log' ;;
	esac
}

# Superuser for reconfig (ZooKeeper 3.5.3+ only lets a superuser or an ACL'd
# user write /zookeeper/config): the digest of "super:$ZK_SUPER_PW".
# shellcheck disable=SC2034 # used by the reconfig scenarios
ZK_SUPER_PW=binder-fixture
# shellcheck disable=SC2034
ZK_SUPER_OPT=-Dzookeeper.DigestAuthenticationProvider.superDigest=super:AA7WbHEtmavFcB/GRI4qFrrkU1o=

# scenario_begin NAME: what every later scenario script starts with: S (the
# bundle name), R (where the nodes run), TF (one directory per node, as
# collected), the trap that stops our servers, empty node tables.
scenario_begin() {
	S=$1
	R="$ZK_WORK/run"
	TF="$ZK_WORK/collected"
	trap zk_kill_all EXIT
	nodes_init
}

# nodes_write_static_cfg [LINE...]: for every node in $ALL, check its ports
# and write its config: the common lines, LINEs, one server.N line per node.
nodes_write_static_cfg() {
	local n m
	for n in $ALL; do
		ports_free "${NIP[$n]}" "$PORT" "$QP" "$EP"
		{
			node_cfg_common "$n"
			[ $# -eq 0 ] || printf '%s\n' "$@"
			for m in $ALL; do echo "server.${NID[$m]}=${NIP[$m]}:$QP:$EP"; done
		} >"$R/$n/${NCFG[$n]}"
	done
}

# nodes_start_elect TIMEOUT [JVM options]: start every node in $ALL, wait
# until each reports a mode; sets T_START and L1 (the leader).
nodes_start_elect() {
	local t=$1 n
	shift
	# shellcheck disable=SC2034 # the scenario's README prints it
	T_START=$(stamp)
	for n in $ALL; do node_start "$n" "$@"; done
	# shellcheck disable=SC2086
	nodes_wait_modes "$t" $ALL || retry_exit "not every server reached a mode"
	# shellcheck disable=SC2086
	L1=$(nodes_leader $ALL)
	[ -n "$L1" ] || retry_exit "no leader after start"
}

# readme_head TITLE WHAT LOGSTYLE: a README's title, its Provenance
# paragraph (WHAT says which JVMs ran where) and the Hosts list of $ALL.
readme_head() {
	local title="$S -- $1" script n
	script=$(basename "${BASH_SOURCE[1]}")
	cat <<EOT
$title
$(printf '%*s' ${#title} '' | tr ' ' =)

Provenance
  Generated by testdata/gen/zookeeper/run.sh (scenarios/$script) from a real run of
  ZooKeeper $(zk_pkg_version zookeeper) (Debian packages zookeeper/libzookeeper-java,
  QuorumPeerMain) on $(java_version), $2, client port $PORT,
  quorum port $QP, election port $EP. Log: $(log_style_text "$3"), level INFO.
  Writes with the real CLI (ZooKeeperMain).

Hosts
EOT
	for n in $ALL; do echo "  $n  myid ${NID[$n]}  ${NIP[$n]}"; done
}

# node_text NAME...: "name (myid N, address)" for each, comma-separated.
node_text() {
	local n o=""
	for n in "$@"; do o="$o${o:+, }$n (myid ${NID[$n]}, ${NIP[$n]})"; done
	echo "$o"
}

# node_collect_4lw NAME SENDER FORMAT WORD...: node_collect into $TF/NAME,
# then the four-letter words taken with SENDER (fourlw_nc or fourlw_py) into
# the file FORMAT names (printf format, %s = the word, relative to the node),
# and the node's paths made to read as it sees them.
node_collect_4lw() {
	local n=$1 send=$2 format=$3 c f
	shift 3
	node_collect "$n" "$TF/$n"
	for c in "$@"; do
		# shellcheck disable=SC2059 # the format is the caller's
		f="$TF/$n/$(printf "$format" "$c")"
		mkdir -p "$(dirname "$f")"
		"$send" "${NIP[$n]}" "$PORT" "$c" "$f"
	done
	normalize_zone "$TF/$n" "$R/$n"
}

# node_last_zxid NAME: the highest zxid in the node's txn logs and snapshots.
node_last_zxid() {
	python3 "$ZK_GEN_DIR/zkdump.py" --json "$R/$1/${NDATA[$1]}" |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["lastZxid"])'
}
