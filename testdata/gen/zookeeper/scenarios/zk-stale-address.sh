#!/usr/bin/env bash
# zk-stale-address (seed 004): binder3 was replaced by a new zone with a new
# address, but every zoo.cfg (cloned from binder0's image) still lists the old
# address for server.4.  Runs inside a private network namespace (run.sh uses
# unshare) so that the destroyed zone's address can really be gone.
set -euo pipefail
. "$ZK_GEN_DIR/lib.sh"
trap zk_kill_all EXIT

S=zk-stale-address
R="$ZK_WORK/run"
T="$ZK_STAGE/tree/$S"
PORT=21812 QP=22882 EP=22982

B0=127.0.0.56   # binder0, myid 1 (headnode)
B1=127.0.0.57   # binder1, myid 3
OLD=127.0.0.58  # old binder3 (myid 4), zone destroyed with its CN
NEW=127.0.0.59  # new binder3 (myid 4), the replacement zone
SAPI=127.0.0.60 # what SAPI ZK_SERVERS says for num 4 (hand-written dump)

# --- private network: only the addresses that exist in the story
ip link set lo up
ip addr add 127.0.0.1/32 dev lo 2>/dev/null || true
ip addr del 127.0.0.1/8 dev lo 2>/dev/null || true
for a in $B0 $B1 $OLD; do ip addr add "$a/32" dev lo; done

# binder_cfg ROOT CLIENTADDR: the seed's zoo.cfg (all three zones share the
# same server list: the one binder0 had when the new zone was cloned).
binder_cfg() {
	zone_write_cfg "$1" "$2" \
	    "server.1=$B0:$QP:$EP" \
	    "server.3=$B1:$QP:$EP" \
	    "server.4=$OLD:$QP:$EP"
}

declare -A PID

# --- phase 1: the original ensemble (old binder3 alive at 127.0.0.58)
zone_init "$R/binder0" 1
zone_init "$R/binder1" 3
zone_init "$ZK_WORK/old/binder3" 4
binder_cfg "$R/binder0" $B0
binder_cfg "$R/binder1" $B1
binder_cfg "$ZK_WORK/old/binder3" $OLD
zk_start "$R/binder0"; PID[binder0]=$ZK_LAST_PID
zk_start "$R/binder1"; PID[binder1]=$ZK_LAST_PID
zk_start "$ZK_WORK/old/binder3"; PID[old]=$ZK_LAST_PID
wait_modes 60 $B0:$PORT $B1:$PORT $OLD:$PORT
P1_LEADER=""
for a in $B0 $B1 $OLD; do
	[ "$(zk_mode $a $PORT)" = leader ] && P1_LEADER=$a
done
triton_base_cmds | zkcli $B0:$PORT

# --- phase 2: the CN of old binder3 dies; its address disappears
T_CNDEAD=$(stamp)
zk_kill "${PID[old]}" KILL
ip addr del $OLD/32 dev lo
ip route add unreachable $OLD/32     # connects fail with "No route to host"
wait_modes 60 $B0:$PORT $B1:$PORT
P2_LEADER=""
for a in $B0 $B1; do
	[ "$(zk_mode $a $PORT)" = leader ] && P2_LEADER=$a
done
triton_takeover_cmds 1 | zkcli $B1:$PORT

# --- phase 3: "sdcadm post-setup ha-binder --allow-delete": new binder3 zone
# at 127.0.0.59, ZooKeeper data copied from binder0 (sdcadm backs up binder0's
# version-2 and restores it into new instances), zoo.cfg cloned from binder0's
# image (only the per-zone clientPortAddress differs).  ZooKeeper 3.8 cannot
# bind the election port on 127.0.0.58 and exits with code 14 after three
# retries; SMF restarts it, and after three quick failures puts the service
# into maintenance.  Meanwhile binder0 + binder1 keep a quorum.
ip addr add $NEW/32 dev lo
zone_init "$R/binder3" 4
cp -a "$R/binder0/zookeeper/zookeeper/version-2" "$R/binder3/zookeeper/zookeeper/"
rm -f "$R/binder3/zookeeper/zookeeper/version-2"/*.tmp
binder_cfg "$R/binder3" $NEW
T_NEWZONE=$(stamp)
B3_EXITS=""
for try in 1 2 3; do
	zk_start "$R/binder3"
	p=$ZK_LAST_PID
	rc=0
	for i in $(seq 1 60); do
		kill -0 "$p" 2>/dev/null || break
		sleep 0.5
	done
	if kill -0 "$p" 2>/dev/null; then
		echo "$S: binder3 did not exit on its own" >&2
		exit 1
	fi
	wait "$p" || rc=$?
	B3_EXITS="$B3_EXITS $rc"
	sleep 1
done
T_MAINT=$(stamp)

# A registrar session (moray0's) lives on binder1 from now on.
zkcli_bg reg $B1:$PORT
REG=$ZK_LAST_PID
registrar_cmds 7cb5f4b8-0f3a-4d8e-9c1d-5e2f6a7b8c90 127.0.0.41 | while IFS= read -r l; do zkcli_send reg "$l"; done
wait_log "$ZK_WORK/zkcli-reg.out" 'Created /com/example/de-gt-4/moray/' 30
printf '%s\n' "create /binder-probe 'before-reboot'" | zkcli $B0:$PORT
MODES_BEFORE="binder0=$(zk_mode $B0 $PORT) binder1=$(zk_mode $B1 $PORT)"

# --- phase 4: the headnode reboots: binder0's zone is shut down (SIGTERM).
# binder1 is left alone with a server.4 it can never reach: no quorum.
T_REBOOT=$(stamp)
zk_kill "${PID[binder0]}" TERM
L1="$R/binder1/var/log/zookeeper/zookeeper.log"
wait_log "$L1" ' - LOOKING$' 30 "$(log_lines "$L1")"
sleep 15

# --- collection (during the outage; binder0's ZooKeeper is not running)
collect_4lw "$R/binder1" $B1 $PORT
for n in binder0 binder1 binder3; do collect_zone "$R/$n" "$T/$n"; done
python3 "$ZK_GEN_DIR/triton/make-dumps.py" "$ZK_WORK/triton"
for f in sdc-sapi-applications.json vmapi-vms.json sdc-role-list.txt; do
	cp "$ZK_WORK/triton/$f" "$T/$f"
done

zk_kill "$REG" KILL
zkcli_bg_close_fd reg
zk_kill "${PID[binder1]}" TERM

name_of() {
	case $1 in
	$B0) echo "binder0 (myid 1)" ;;
	$B1) echo "binder1 (myid 3)" ;;
	$OLD) echo "old binder3 (myid 4, 127.0.0.58, the zone that is gone)" ;;
	*) echo "none" ;;
	esac
}
EPOCH1_NOTE=""
[ "$P1_LEADER" = "$OLD" ] && EPOCH1_NOTE=": only visible as the leader id in binder0's and
    binder1's logs (its own log is not in the bundle)"
SRVR1=$(cat "$R/binder1/zk-srvr.txt" 2>/dev/null || true)

{
	cat <<EOT
zk-stale-address -- seed 004: replaced binder zone, zoo.cfg still lists the old address
=====================================================================================

Provenance
  Generated by testdata/gen/zookeeper/run.sh (scenarios/zk-stale-address.sh) from a real run
  of ZooKeeper $(zk_pkg_version zookeeper) (Debian packages zookeeper/libzookeeper-java,
  QuorumPeerMain) on $(java_version), inside a private network namespace (unshare -n)
  whose loopback carries only the zone addresses of the story, client port $PORT, quorum
  port $QP, election port $EP. Log4j 1.2 file log, pattern
  "%d{ISO8601} [myid:%X{myid}] - %-5p [%t:%C{1}@%L] - %m%n", level INFO. Writes with the real
  CLI (ZooKeeperMain); "srvr"/"stat"/"mntr"/"conf" sent like "echo srvr | nc host port".
  The Triton headnode dumps at the bundle root are hand-written (see below).

Addresses (the analyzer should find all of these)
  binder0  myid 1  127.0.0.56   headnode zone
  binder1  myid 3  127.0.0.57
  binder3  myid 4  127.0.0.59   new zone (VM d32b44e1-9a44-4fb6-a344-7facc8fb5910) = RIGHT address
           zoo.cfg in all three zones: server.4=127.0.0.58:$QP:$EP = STALE address (old binder3,
           VM 5f6b1c2e-8d3a-4e7b-9a0c-2b4d6e8f1a35, destroyed with its CN)
           SAPI sdc application ZK_SERVERS num 4: host 127.0.0.60 = yet another wrong address
           (matches no VM at all)

Timeline (timestamps in the logs' local time)
  1. Original ensemble binder0 (1), binder1 (3), old binder3 (4, 127.0.0.58). Leader of epoch 1:
     $(name_of "$P1_LEADER"). Triton-like tree written (registrar records, manatee state).
  2. $T_CNDEAD: the CN of old binder3 dies (SIGKILL; 127.0.0.58 removed and made unreachable,
     so connects fail with "No route to host"). Leader of epoch 2: $(name_of "$P2_LEADER").
     Manatee takeover written (setData + sequential history node).
  3. $T_NEWZONE: new binder3 zone at 127.0.0.59 (myid 4) with ZooKeeper data copied from
     binder0 and binder0's zoo.cfg (server.4 still 127.0.0.58). It cannot bind its election
     port ("Exception while listening to address /127.0.0.58:$EP ... Cannot assign requested
     address", "Leaving listener thread ... after 3 errors", "Exiting JVM with code 14").
     Started 3 times (SMF restarts), exit codes:$B3_EXITS; then left in maintenance
     ($T_MAINT). Nobody notices: binder0 + binder1 (2 of 3 voters) still have quorum.
     A registrar session on binder1 creates an ephemeral moray record; /binder-probe created.
     Modes before the reboot: $MODES_BEFORE.
  4. $T_REBOOT: headnode reboot: binder0's ZooKeeper is stopped (SIGTERM, writes nothing).
     binder1 loses its quorum (leader: "Not sufficient followers synced"; follower: "Exception
     when following the leader") and stays LOOKING: "Cannot open channel to 4 at election
     address /127.0.0.58:$EP" (java.net.NoRouteToHostException; right after the CN died, before
     the address was gone from the network, the same line came with "Connection refused") and
     "Cannot open channel to 1 ..." (Connection refused).
  5. Collection during the outage: binder1 running and LOOKING, binder0 and binder3 not
     running. zk-*.txt exist only for binder1. binder1's srvr answer:
       $SRVR1

Synthetic / edited
  - Hand-written headnode files, produced by testdata/gen/zookeeper/triton/make-dumps.py
    (shapes from seed 004 and the Triton tools; all values invented):
      sdc-sapi-applications.json  "sdc-sapi /applications?name=sdc" body (JSON array, HTTP
                                  headers stripped as by "json -H")
      vmapi-vms.json              "sdc-vmapi /vms?owner_uuid=<admin>&state=active" body
      sdc-role-list.txt           "sdc-role list" output
  - zoo.cfg = seed 004's binder zoo.cfg with loopback addresses and test ports plus a per-zone
    clientPortAddress line (the three zones share one network stack here; in Triton each zone
    has its own IP and listens on 0.0.0.0:2181).
  - Znode contents (registrar/manatee JSON) are made up.
  - The run directory prefix was replaced by "/" in text files (zoo.cfg dataDir, logs,
    zk-conf.txt); binary files untouched; txn logs keep the 64 MiB preallocation.
  - Inside the namespace a peer connection's source address is the destination's own address
    (e.g. "LearnerHandler-/127.0.0.57:33696" on binder1 for binder0's connection), not the
    peer's zone address: attribute peers by sid, not by source address.
  - JVM options: -Dzookeeper.admin.enableServer=false, -Dzookeeper.4lw.commands.whitelist=*.

Facts a test should find
  - Stale address: 127.0.0.58 (server.4 in every zoo.cfg); right address: 127.0.0.59 (binder3's
    own clientPortAddress, its "binding to port /127.0.0.59:$PORT" log line, VMAPI nics[0].ip of
    VM d32b44e1-9a44-4fb6-a344-7facc8fb5910); SAPI ZK_SERVERS num 4 = 127.0.0.60 (wrong too).
  - Ghost VM: 5f6b1c2e-8d3a-4e7b-9a0c-2b4d6e8f1a35 (alias binder3, state "running" in VMAPI,
    server_uuid of a CN that no longer exists, nics[0].ip 127.0.0.58); also listed by
    sdc-role list. The real binder3 is d32b44e1-9a44-4fb6-a344-7facc8fb5910.
  - No quorum at collection: 1 of 3 voters running (binder1); binder3 keeps exiting (code 14,
    BindException on 127.0.0.58); binder0 down (headnode reboot).
  - Leader of epoch 1 = $(name_of "$P1_LEADER")$EPOCH1_NOTE. Leader of epoch 2 = the server whose log
    has "Have quorum of supporters" (see "led:" below). binder1's log line
    "Follower sid: 4 : info : 127.0.0.58:$QP:$EP:participant" shows the leader also takes the
    follower's address from its own (stale) config.
  - The registrar session opened on binder1 has no closeSession (see "sessions never closed");
    its ephemeral /com/example/de-gt-4/moray/7cb5f4b8-0f3a-4d8e-9c1d-5e2f6a7b8c90 stays on disk.
  - The fix, as in seed 004: put 127.0.0.59 into server.4 of all three zoo.cfg files and restart
    ZooKeeper, and persist it in SAPI (application 8b7af59b-390e-4537-982e-8bc5584533dd):
      sapiadm update 8b7af59b-390e-4537-982e-8bc5584533dd -f /opt/root/zk-servers
    with /opt/root/zk-servers containing exactly:
$(sed 's/^/      /' "$ZK_WORK/triton/expected-sapiadm-update.json")
    and "sdc-vmapi /vms/5f6b1c2e-8d3a-4e7b-9a0c-2b4d6e8f1a35?sync=true" to clear the ghost.

Per-zone facts (from the files, by zkdump.py --facts)
EOT
	zkfacts "$T/binder0" "$T/binder1" "$T/binder3" | sed 's/^/  /'
} >"$ZK_STAGE/README"
