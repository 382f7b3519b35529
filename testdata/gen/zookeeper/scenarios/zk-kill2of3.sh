#!/usr/bin/env bash
# zk-kill2of3-nc, zk-kill2of3-journal: three servers, two of them SIGKILLed
# (the leader among them); the survivor goes back to LOOKING and stays there.
# The variants share only the cause: names, myids, addresses, paths, log
# format, collection layout and the way four-letter words were taken differ.
#   nc       Debian paths, 3.4-era log pattern, leader and one follower killed
#            at the same instant, wrapping directory with one directory per
#            host, four-letter words taken with netcat-openbsd.
#   journal  /opt/zookeeper + /data/zk, log only in the journal, the leader
#            killed, a new leader elected, that one killed 10 s later; one
#            tarball per host inside the bundle, four-letter words taken with
#            a Python sender.
set -euo pipefail
. "$ZK_GEN_DIR/lib.sh"
scenario_begin "$1"

case $S in
zk-kill2of3-nc)
	PORT=32181 QP=32888 EP=33888
	ALL="zk-prod-a zk-prod-b zk-prod-c"
	for spec in zk-prod-a:11:127.0.2.11 zk-prod-b:12:127.0.2.12 zk-prod-c:13:127.0.2.13; do
		IFS=: read -r n id ip <<<"$spec"
		node_def "$n" "$id" "$ip" etc/zookeeper/conf/zoo.cfg var/lib/zookeeper plain
	done
	LAYOUT=etc/zookeeper/conf/zoo.cfg:var/lib/zookeeper:var/log/zookeeper/zookeeper.log
	;;
zk-kill2of3-journal)
	PORT=34181 QP=34888 EP=35888
	ALL="kv-1 kv-2 kv-3"
	for spec in kv-1:4:127.0.2.21 kv-2:7:127.0.2.22 kv-3:9:127.0.2.23; do
		IFS=: read -r n id ip <<<"$spec"
		node_def "$n" "$id" "$ip" opt/zookeeper/conf/zoo.cfg data/zk journald - "$n"
	done
	JOURNALFILE=journalctl-u-zookeeper.txt
	LAYOUT=opt/zookeeper/conf/zoo.cfg:data/zk:$JOURNALFILE
	;;
*) echo "unknown variant $S" >&2; exit 2 ;;
esac

nodes_write_static_cfg
for n in $ALL; do
	mkdir -p "$R/$n/etc"
	echo "$n" >"$R/$n/etc/hostname"
done

nodes_start_elect 90
app_writes "${NIP[$L1]}:$PORT" ledger
sleep 5
MODES_BEFORE=""
for n in $ALL; do MODES_BEFORE="$MODES_BEFORE $n=$(node_mode "$n")"; done


case $S in
zk-kill2of3-nc)
	for n in $ALL; do [ "$n" != "$L1" ] && { F1=$n; break; }; done
	SURV=""
	for n in $ALL; do [ "$n" != "$L1" ] && [ "$n" != "$F1" ] && SURV=$n; done
	T_KILL1=$(stamp)
	kill -KILL "${NPID[$L1]}" "${NPID[$F1]}"
	node_wait_pid "${NPID[$L1]}" 10
	node_wait_pid "${NPID[$F1]}" 10
	KILLED="$L1 $F1"
	STORY="  $T_KILL1: $(node_text "$L1") (the leader) and $(node_text "$F1") (a follower) get SIGKILL at the
    same instant; neither writes a line about it, their logs just end."
	;;
zk-kill2of3-journal)
	T_KILL1=$(stamp)
	zk_kill "${NPID[$L1]}" KILL
	REST=""
	for n in $ALL; do [ "$n" != "$L1" ] && REST="$REST $n"; done
	# shellcheck disable=SC2086
	nodes_wait_modes 90 $REST || retry_exit "the two left did not elect a leader"
	# shellcheck disable=SC2086
	L2=$(nodes_leader $REST)
	[ -n "$L2" ] || retry_exit "no second leader"
	printf '%s\n' "create /ledger/after-failover 'epoch 2'" | zkcli "${NIP[$L2]}:$PORT"
	sleep 10
	SURV=""
	for n in $REST; do [ "$n" != "$L2" ] && SURV=$n; done
	T_KILL2=$(stamp)
	zk_kill "${NPID[$L2]}" KILL
	KILLED="$L1 $L2"
	STORY="  $T_KILL1: $(node_text "$L1"), the leader of the first epoch, gets SIGKILL; its journal just ends.
    $(node_text "$SURV") and $(node_text "$L2") elect $L2; a write (/ledger/after-failover) commits.
  $T_KILL2: $(node_text "$L2"), now the leader, gets SIGKILL; its journal just ends."
	;;
esac

SLOG=$(node_log "$SURV")
wait_log "$SLOG" 'LOOKING' 60 || retry_exit "survivor never went LOOKING"
# Let the survivor go round a few election rounds (notification interval
# doubles up to 60 s) before the collector comes.
sleep 25
SRVR_SURV=$(fourlw "${NIP[$SURV]}" "$PORT" srvr 2>&1 || true)
case $SRVR_SURV in
*"not currently serving requests"*) ;;
*) retry_exit "survivor answers srvr with: $SRVR_SURV" ;;
esac

# --- collection: every host, the survivor still running
for n in $ALL; do
	case $S in
	zk-kill2of3-nc) node_collect_4lw "$n" fourlw_nc 4lw/%s.out srvr stat mntr conf ruok ;;
	zk-kill2of3-journal) node_collect_4lw "$n" fourlw_py fourletter-%s.txt srvr mntr conf ;;
	esac
done
zk_kill "${NPID[$SURV]}" TERM
ZXIDS=""
for n in $ALL; do ZXIDS="$ZXIDS $n=$(node_last_zxid "$n")"; done

# The dead hosts' four-letter words must be refusals, the survivor's "not
# serving" (the collector saw what the story says).
for n in $KILLED; do
	f=$TF/$n/4lw/srvr.out
	[ -f "$f" ] || f=$TF/$n/fourletter-srvr.txt
	grep -q 'Connection refused' "$f" || retry_exit "$n srvr: $(cat "$f")"
done

STAMP=$(date +%Y%m%dT%H%M)
T="$ZK_STAGE/tree"
mkdir -p "$T"
case $S in
zk-kill2of3-nc)
	TOP="zk-support-${STAMP%T*}"
	mkdir -p "$T/$TOP"
	for n in $ALL; do cp -a "$TF/$n" "$T/$TOP/$n"; done
	LAYOUT_TEXT="  $TOP/<host>/ for each host: etc/hostname, etc/zookeeper/conf/zoo.cfg,
  var/lib/zookeeper/{myid,version-2/}, var/log/zookeeper/zookeeper.log, and 4lw/<word>.out:
  what \"echo <word> | nc -v <address> $PORT > 4lw/<word>.out 2>&1\" (netcat-openbsd
  $(zk_pkg_version netcat-openbsd)) saved, for srvr, stat, mntr, conf, ruok."
	FOURLW_DEAD=$(cat "$TF/$L1/4lw/srvr.out")
	RUOK="
    (ruok answers \"$(tail -n 1 "$TF/$SURV/4lw/ruok.out")\": the process is alive)."
	;;
zk-kill2of3-journal)
	for n in $ALL; do
		d="$n-zk-support-$STAMP"
		mkdir -p "$ZK_WORK/pack"
		cp -a "$TF/$n" "$ZK_WORK/pack/$d"
		pack_dir "$ZK_WORK/pack" "$d" "$T/$d.tar.gz"
	done
	LAYOUT_TEXT="  One tarball per host at the top of the bundle, <host>-zk-support-$STAMP.tar.gz, each
  holding <host>-zk-support-$STAMP/: etc/hostname, opt/zookeeper/conf/zoo.cfg,
  data/zk/{myid,version-2/}, $JOURNALFILE (the server's output as
  \"journalctl -u zookeeper\" prints it; there is no log file), and fourletter-<word>.txt for
  srvr, mntr, conf: what the collector's Python sender printed (stdout and stderr) for
  \"<word>\" sent to <address>:$PORT."
	FOURLW_DEAD=$(cat "$TF/$L1/fourletter-srvr.txt")
	RUOK=.
	;;
esac

{
	readme_head "three ZooKeeper servers, two SIGKILLed (the leader among them); the survivor stays LOOKING" \
	    "three JVMs on loopback addresses" "${NLOGSTYLE[$SURV]}"
	cat <<EOT

Timeline (local time of the log timestamps)
  $T_START: all three start and elect $L1 (modes:$MODES_BEFORE).
    Application znodes written under /ledger.
$STORY
  The survivor $(node_text "$SURV") gives up its role, goes LOOKING and stays LOOKING, sending
    notifications nobody answers ("Cannot open channel to N at election address ...
    Connection refused").
  About 25 s later the bundle is collected: the survivor still runs and is LOOKING; its
    four-letter words answer "This ZooKeeper instance is not currently serving requests"$RUOK
    The dead hosts' files are as left on disk; the collector's four-letter words to them
    were refused:
      $FOURLW_DEAD

Layout
$LAYOUT_TEXT

Synthetic / edited
  - Znode contents are made up.
  - The run directory prefix was replaced by "/" in text files (configs, logs, four-letter
    words) so that paths read as the host sees them; binary files (txn logs, snapshots) are
    untouched; txn logs keep the real 64 MiB preallocation.
  - etc/hostname is written by the generator (all JVMs run on one machine).
EOT
	[ "${NLOGSTYLE[$SURV]}" = journald ] && cat <<EOT
  - The journal is the server's real stdout, framed by the generator the way journald's short
    format prints it (no systemd here): the time each line arrived, the host name, and
    "zookeeper[<JVM PID>]:". No systemd lines (Started/Main process exited) are included.
EOT
	cat <<EOT
  - JVM options: -Dzookeeper.admin.enableServer=false, -Dzookeeper.4lw.commands.whitelist=*.

Facts a test should find
  Killed (SIGKILL, no shutdown line): $(node_text $KILLED).
  Survivor: $(node_text "$SURV"), running, LOOKING at collection; 1 of 3 voters alive, 2 needed.
  Leaders: $L1 led the first epoch$( [ -n "${L2:-}" ] && echo "; $L2 the second (see \"led:\" below)").
  Last zxid on disk:$ZXIDS.

Expected diagnosis
  Cause: quorum loss of the ensemble {$(for n in $ALL; do printf '%s ' "${NID[$n]}"; done| sed 's/ $//')}: two of three voters are down
  (crashed: their logs end without a shutdown line and the survivor reports them unreachable;
  the collector's four-letter words to them were refused). Down: $(node_text $KILLED) (times
  above). No leader since the last kill; $SURV runs but cannot lead or serve (LOOKING,
  "not currently serving requests"). The survivor is the only one running: $SURV
  ($(node_last_zxid "$SURV")). Consequence: no leader / clients cannot be served.
  Repair: bring back the dead servers (either one restores the majority); not a
  configuration problem.

Per-host facts (from the files, by zkdump.py --facts-at)
EOT
	# shellcheck disable=SC2086
	node_facts "$LAYOUT" $ALL | sed 's/^/  /'
} >"$ZK_STAGE/README"
