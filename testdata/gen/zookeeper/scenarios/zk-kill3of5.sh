#!/usr/bin/env bash
# zk-kill3of5-paused, zk-kill3of5-maint: five servers, three SIGKILLed one
# after another, seconds apart; the two survivors stay LOOKING, one of them
# with more log than the other.
#   paused  zoo1..zoo5 (myid 1-5), apache tarball paths, zkServer.sh-style
#           log name; one survivor's JVM is frozen (SIGSTOP, like a paused VM)
#           while the others go on writing, the leader and two followers are
#           killed 6 s apart, then the frozen one wakes up (SIGCONT).
#           Four-letter words taken with netcat-openbsd.
#   maint   coord-east-1..5 (myid 10-50), SmartOS-like paths, 3.4-era log
#           pattern; one server is stopped cleanly for maintenance while the
#           others go on writing, two followers and then the leader are
#           killed 5 s apart, then the operator starts the maintenance one
#           again.  No four-letter words collected.
set -euo pipefail
. "$ZK_GEN_DIR/lib.sh"
scenario_begin "$1"
PREALLOC=-Dzookeeper.preAllocSize=4096

case $S in
zk-kill3of5-paused)
	PORT=36181 QP=36888 EP=37888 GAP=6
	ALL="zoo1 zoo2 zoo3 zoo4 zoo5"
	ZKHOME=opt/apache-zookeeper-3.8.0-bin
	for spec in zoo1:1:127.0.2.31 zoo2:2:127.0.2.32 zoo3:3:127.0.2.33 zoo4:4:127.0.2.34 zoo5:5:127.0.2.35; do
		IFS=: read -r n id ip <<<"$spec"
		node_def "$n" "$id" "$ip" $ZKHOME/conf/zoo.cfg var/lib/zookeeper myid \
		    "$ZKHOME/logs/zookeeper-zookeeper-server-$n.log"
	done
	;;
zk-kill3of5-maint)
	PORT=38181 QP=38888 EP=39888 GAP=5
	ALL="coord-east-1 coord-east-2 coord-east-3 coord-east-4 coord-east-5"
	i=0
	for n in $ALL; do
		i=$((i + 1))
		node_def "$n" "$((i * 10))" "127.0.2.$((40 + i))" opt/local/etc/zookeeper/zoo.cfg zookeeper/zookeeper plain
	done
	;;
*) echo "unknown variant $S" >&2; exit 2 ;;
esac

nodes_write_static_cfg autopurge.snapRetainCount=3 autopurge.purgeInterval=24
lay() { echo "${NCFG[$1]}:${NDATA[$1]}:${NLOGFILE[$1]}"; }

nodes_start_elect 120 "$PREALLOC"
FOLLOWERS=""
for n in $ALL; do [ "$n" != "$L1" ] && FOLLOWERS="$FOLLOWERS $n"; done
# shellcheck disable=SC2086
set -- $FOLLOWERS
SURV1=$1 LAG=$2 D2=$3 D3=$4
app_writes "${NIP[$SURV1]}:$PORT" orders

# The lagging survivor misses the next writes.
T_LAG=$(stamp)
case $S in
zk-kill3of5-paused) kill -STOP "${NPID[$LAG]}" ;;
zk-kill3of5-maint) zk_kill "${NPID[$LAG]}" TERM ;;
esac
sleep 2
printf '%s\n' "create /orders/batch-1 'while $LAG was away'" "set /orders/config '{\"rev\":3}'" |
	zkcli "${NIP[$D2]}:$PORT"
sleep 1

case $S in
zk-kill3of5-paused) ORDER="$L1 $D2 $D3" ;;
zk-kill3of5-maint) ORDER="$D2 $D3 $L1" ;;
esac
KT=()
k=0
for n in $ORDER; do
	k=$((k + 1))
	KT+=("$(stamp)")
	zk_kill "${NPID[$n]}" KILL
	if [ $k = 1 ]; then
		# Three of five still run: the ensemble keeps (or re-forms) a
		# quorum and takes one more write.
		sleep 2
		left=""
		for m in $ALL; do case " $ORDER $LAG " in *" $m "*) ;; *) left="$left $m" ;; esac; done
		for m in $ORDER; do [ "$m" != "$n" ] && left="$left $m"; done
		# shellcheck disable=SC2086
		nodes_wait_modes 60 $left || retry_exit "no quorum after the first kill"
		# shellcheck disable=SC2086
		L2=$(nodes_leader $left)
		printf '%s\n' "create /orders/batch-2 'after the first loss'" | zkcli "${NIP[$SURV1]}:$PORT"
	fi
	[ $k = 3 ] || sleep "$GAP"
done

T_BACK=$(stamp)
case $S in
zk-kill3of5-paused) kill -CONT "${NPID[$LAG]}" ;;
zk-kill3of5-maint) node_start "$LAG" "$PREALLOC" ;;
esac
wait_log "$(node_log "$SURV1")" 'LOOKING' 60 || retry_exit "$SURV1 never went LOOKING"
sleep 25

for n in $SURV1 $LAG; do
	a=$(fourlw "${NIP[$n]}" "$PORT" srvr 2>&1 || true)
	case $a in
	*"not currently serving requests"*) ;;
	*) retry_exit "$n answers srvr with: $a" ;;
	esac
done
Z_SURV1=$(node_last_zxid "$SURV1") Z_LAG=$(node_last_zxid "$LAG")
[ $((Z_SURV1)) -gt $((Z_LAG)) ] || retry_exit "$SURV1 ($Z_SURV1) is not ahead of $LAG ($Z_LAG)"

for n in $ALL; do
	if [ "$S" = zk-kill3of5-paused ]; then
		node_collect_4lw "$n" fourlw_nc 4lw-%s.txt srvr stat conf
	else
		node_collect "$n" "$TF/$n"
	fi
done
for n in $SURV1 $LAG; do zk_kill "${NPID[$n]}" TERM; done

T="$ZK_STAGE/tree"
case $S in
zk-kill3of5-paused)
	mkdir -p "$T"
	for n in $ALL; do cp -a "$TF/$n" "$T/$n"; done
	LAYOUT_TEXT="  <host>/ at the top of the bundle: $ZKHOME/conf/zoo.cfg,
  $ZKHOME/logs/zookeeper-zookeeper-server-<host>.log (zkServer.sh's file name),
  var/lib/zookeeper/{myid,version-2/}, and 4lw-<word>.txt for srvr, stat, conf: what
  \"echo <word> | nc -v <address> $PORT > 4lw-<word>.txt 2>&1\" saved (netcat-openbsd)."
	LAGSTORY="  $T_LAG: $(node_text "$LAG") is frozen (SIGSTOP, as a paused VM); the leader stops hearing
    from it. Writes go on without it (/orders/batch-1)."
	BACKSTORY="  $T_BACK: $LAG is thawed (SIGCONT); it finds its leader gone and goes LOOKING too."
	LAGNOTE="  $LAG did not crash: its process was frozen from $T_LAG to $T_BACK (a gap in its log,
  no restart; peers stopped hearing from it), so it did not count toward the quorum then; it is
  alive and LOOKING at collection."
	;;
zk-kill3of5-maint)
	mkdir -p "$T/cluster-dump"
	for n in $ALL; do cp -a "$TF/$n" "$T/cluster-dump/$n"; done
	LAYOUT_TEXT="  cluster-dump/<host>/: opt/local/etc/zookeeper/zoo.cfg, zookeeper/zookeeper/{myid,version-2/},
  var/log/zookeeper/zookeeper.log. No four-letter-word output was collected."
	LAGSTORY="  $T_LAG: $(node_text "$LAG") is stopped cleanly for maintenance (SIGTERM; ZooKeeper logs
    nothing about it). Writes go on without it (/orders/batch-1)."
	BACKSTORY="  $T_BACK: the operator starts $LAG again; it comes up LOOKING and finds only $SURV1."
	LAGNOTE="  $LAG was stopped cleanly for maintenance at $T_LAG (not a crash) and started again at
  $T_BACK; it is alive and LOOKING at collection."
	;;
esac

KILLSTORY=""
k=0
for n in $ORDER; do
	role=""
	[ "$n" = "$L1" ] && role=", the leader"
	KILLSTORY="$KILLSTORY  ${KT[$k]}: SIGKILL $(node_text "$n")$role
"
	k=$((k + 1))
done
# shellcheck disable=SC2086
set -- $ORDER
if [ "$S" = zk-kill3of5-paused ]; then
	QLOST="${KT[1]} (second kill: $2 down, $LAG frozen; 2 of 5 voters answering)"
else
	QLOST="${KT[1]} (second kill: $2 down, $LAG stopped; 2 of 5 voters running)"
fi

{
	readme_head "five ZooKeeper servers, three SIGKILLed seconds apart; two survivors stay LOOKING" \
	    "five JVMs on loopback addresses" "${NLOGSTYLE[$SURV1]}"
	cat <<EOT

Timeline (local time of the log timestamps)
  $T_START: all five start and elect $L1.
$LAGSTORY
$KILLSTORY  (after the first kill three voters still ran, with $L2 leading; one more write, /orders/batch-2)
$BACKSTORY
  About 25 s later the bundle is collected with $SURV1 and $LAG running and LOOKING (srvr:
  "This ZooKeeper instance is not currently serving requests").

Layout
$LAYOUT_TEXT

Synthetic / edited
  - Znode contents are made up.
  - The run directory prefix was replaced by "/" in text files so that paths read as the host
    sees them; binary files are untouched. Txn logs were preallocated with
    -Dzookeeper.preAllocSize=4096 (4 MiB instead of 64 MiB) to keep the bundle small.
  - JVM options: -Dzookeeper.admin.enableServer=false, -Dzookeeper.4lw.commands.whitelist=*.

Facts a test should find
  Dead (SIGKILL, logs end without a shutdown line), in order: $(node_text $ORDER).
  Quorum (3 of 5) lost at $QLOST.
  Survivors: $SURV1 (last zxid $Z_SURV1) and $LAG (last zxid $Z_LAG), both LOOKING at collection.
  Highest zxid among the survivors: $SURV1 ($Z_SURV1).

Expected diagnosis
  Cause: quorum loss: three of five voters down (crashed one after another, times above),
  2 of 5 alive, 3 needed. Name the three dead ($(echo $ORDER | sed 's/ /, /g')) with the time each went
  down (its last log line, bounded by the peers' first complaint about it), when quorum was lost
  (the second kill) and that it was not regained. Survivor with the highest zxid: $SURV1
  ($Z_SURV1, ahead of $LAG's $Z_LAG): the one to keep if the ensemble must be rebuilt from the
  survivors. Consequences: no leader since the quorum loss, both survivors LOOKING and not
  serving.
$LAGNOTE

Per-host facts (from the files, by zkdump.py --facts-at)
EOT
	for n in $ALL; do node_facts "$(lay "$n")" "$n"; done | sed 's/^/  /'
} >"$ZK_STAGE/README"
