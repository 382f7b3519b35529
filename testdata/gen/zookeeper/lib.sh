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
