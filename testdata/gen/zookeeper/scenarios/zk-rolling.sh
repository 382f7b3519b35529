#!/usr/bin/env bash
# zk-rolling-3, zk-rolling-5: a rolling restart, one server at a time, each
# waited for until it serves again; leadership moves at least once.  Healthy
# churn: a correct analysis reports nothing.
#   3  meta-1..3 (myid 1-3), Debian paths, 3.4-era log pattern, followers
#      first and the leader last; a wrapping directory; four-letter words
#      taken with the Python sender after the restart.
#   5  zk01..zk05 (myid 21-25), /srv/zookeeper, log only in the journal, the
#      leader first; one tarball per host; no four-letter words.
set -euo pipefail
. "$ZK_GEN_DIR/lib.sh"
scenario_begin "$1"
EXTRA=()
case $S in
zk-rolling-3)
	PORT=44181 QP=44888 EP=45888
	ALL="meta-1 meta-2 meta-3"
	i=0
	for n in $ALL; do
		i=$((i + 1))
		node_def "$n" "$i" "127.0.2.$((70 + i))" etc/zookeeper/conf/zoo.cfg var/lib/zookeeper plain
	done
	LAYOUT=etc/zookeeper/conf/zoo.cfg:var/lib/zookeeper:var/log/zookeeper/zookeeper.log
	EXTRA=(-Dzookeeper.preAllocSize=8192)
	;;
zk-rolling-5)
	PORT=46181 QP=46888 EP=47888
	ALL="zk01 zk02 zk03 zk04 zk05"
	i=0
	for n in $ALL; do
		i=$((i + 1))
		node_def "$n" "$((20 + i))" "127.0.2.$((80 + i))" srv/zookeeper/conf/zoo.cfg srv/zookeeper/data journald - "$n"
	done
	JOURNALFILE=journal/zookeeper.service.txt
	LAYOUT=srv/zookeeper/conf/zoo.cfg:srv/zookeeper/data:$JOURNALFILE
	EXTRA=(-Dzookeeper.preAllocSize=4096)
	;;
*) echo "unknown variant $S" >&2; exit 2 ;;
esac

nodes_write_static_cfg
nodes_start_elect 90 "${EXTRA[@]}"
app_writes "${NIP[$L1]}:$PORT" jobs
sleep 5

FOLLOWERS=""
for n in $ALL; do [ "$n" != "$L1" ] && FOLLOWERS="$FOLLOWERS $n"; done
case $S in
zk-rolling-3) ORDER="$FOLLOWERS $L1" ;;
zk-rolling-5) ORDER="$L1 $FOLLOWERS" ;;
esac

STEPS=""
LEADERS="$L1"
k=0
for n in $ORDER; do
	k=$((k + 1))
	t0=$(stamp)
	zk_kill "${NPID[$n]}" TERM
	sleep 2
	t1=$(stamp)
	node_start "$n" "${EXTRA[@]}"
	nodes_wait_modes 90 $ALL || retry_exit "$n did not rejoin"
	t2=$(stamp)
	L=$(nodes_leader $ALL)
	[ -n "$L" ] || retry_exit "no leader after restarting $n"
	[ "${LEADERS##* }" = "$L" ] || LEADERS="$LEADERS $L"
	STEPS="$STEPS  $k. $n (myid ${NID[$n]}): stopped (SIGTERM) $t0, started $t1, serving again by $t2
     ($(node_mode "$n")); leader afterwards: $L
"
	printf '%s\n' "create /jobs/after-restart-$k '$n'" | zkcli "${NIP[$L]}:$PORT"
	sleep 8
done
set -- $LEADERS
[ $# -ge 2 ] || retry_exit "leadership never moved ($LEADERS)"

for n in $ALL; do
	if [ "$S" = zk-rolling-3 ]; then
		node_collect_4lw "$n" fourlw_py zk-%s.txt srvr stat
	else
		node_collect "$n" "$TF/$n"
	fi
done
MODES=""
for n in $ALL; do MODES="$MODES $n=$(node_mode "$n")"; done
for n in $ALL; do zk_kill "${NPID[$n]}" TERM; done

T="$ZK_STAGE/tree"
case $S in
zk-rolling-3)
	mkdir -p "$T/meta-zk-$(date +%Y%m%d)"
	for n in $ALL; do cp -a "$TF/$n" "$T/meta-zk-$(date +%Y%m%d)/$n"; done
	LAYOUT_TEXT="  meta-zk-<date>/<host>/: etc/zookeeper/conf/zoo.cfg, var/lib/zookeeper/{myid,version-2/},
  var/log/zookeeper/zookeeper.log, zk-srvr.txt and zk-stat.txt (the Python sender's output)."
	;;
zk-rolling-5)
	mkdir -p "$T" "$ZK_WORK/pack"
	STAMP=$(date +%Y%m%dT%H%M)
	for n in $ALL; do
		d="$n-zk-support-$STAMP"
		cp -a "$TF/$n" "$ZK_WORK/pack/$d"
		pack_dir "$ZK_WORK/pack" "$d" "$T/$d.tar.gz"
	done
	LAYOUT_TEXT="  One tarball per host at the top, <host>-zk-support-$STAMP.tar.gz, holding
  <host>-zk-support-$STAMP/: srv/zookeeper/conf/zoo.cfg, srv/zookeeper/data/{myid,version-2/},
  $JOURNALFILE (the server's output as \"journalctl -u zookeeper\" prints it; no log file).
  No four-letter words."
	;;
esac

{
	readme_head "rolling restart of a healthy ensemble, one server at a time" \
	    "JVMs on loopback addresses" "${NLOGSTYLE[$L1]}"
	cat <<EOT

Timeline (local time of the log timestamps)
  $T_START: all start and elect $L1. Application znodes written under /jobs.
  Rolling restart, each server stopped with SIGTERM (ZooKeeper logs nothing about it), started
  2 s later, and the next one only after every server reported a mode again:
$STEPS  Leaders in order (each change is an election): $LEADERS. Modes at collection:$MODES.

Layout
$LAYOUT_TEXT

Synthetic / edited
  - Znode contents are made up.
  - The run directory prefix was replaced by "/" in text files; binary files are untouched.
EOT
	echo "  - Txn logs were preallocated with ${EXTRA[0]} (KiB; instead of 64 MiB) to keep the bundle small."
	[ "$S" = zk-rolling-5 ] && cat <<EOT
  - The journal is the server's real stdout, framed by the generator the way journald's short
    format prints it (no systemd here): the time each line arrived, the host name, and
    "zookeeper[<JVM PID>]:" (a new PID after each restart). No systemd lines.
EOT
	cat <<EOT
  - JVM options: -Dzookeeper.admin.enableServer=false, -Dzookeeper.4lw.commands.whitelist=*.

Facts a test should find
  - Each server stops once (no shutdown line; the next start banner follows) and comes back
    within seconds; at most one server is down at any moment, so a quorum is there throughout
    except for the short elections after the leader's restart.
  - Leadership moves: $LEADERS (one epoch per election; see "led:" below).

Expected diagnosis
  Healthy: no finding. A rolling restart is healthy churn: no crash, no quorum loss (the
  leaderless stretch while the leader restarts lasts well under the election time), no
  warning.

Per-host facts (from the files, by zkdump.py --facts-at)
EOT
	node_facts "$LAYOUT" $ALL | sed 's/^/  /'
} >"$ZK_STAGE/README"
