# shellcheck shell=bash
# etcd scenarios for quorumscope issue 11 (the operator's side): snapshot
# restores, configuration as operators keep it, crash loops, WAL damage,
# peer URLs that moved.  Sourced by run.sh after ALL is set; adds its
# scenarios to ALL; uses hosts.sh and scenarios-history.sh's helpers.

# The N_* arrays are hosts.sh's (associative, declared there):
# shellcheck disable=SC2004,SC2034,SC2153

ALL+=(etcd-restore-all etcd-restore-partial etcd-token-rerendered etcd-token-mismatch-bootstrap etcd-fnc-left-in-env
	etcd-fnc-left-restarted etcd-crash-loop-bootstrapped etcd-crash-loop-name etcd-wal-crc
	etcd-wal-crc-kubeadm etcd-peer-port-moved etcd-peer-ip-moved)

# snapshot_rev NAME FILE: revision of a snapshot file (etcdctl snapshot status, on NAME)
snapshot_rev() {
	node_ns "$1" light env ETCDCTL_API=3 /usr/bin/etcdctl snapshot status "$2" -w json |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["revision"])'
}

# rev_of NAME: current revision (endpoint status header) as NAME answers
rev_of() {
	nctl "$1" endpoint status -w json | python3 -c '
import json, sys
print(json.load(sys.stdin)[0]["Status"]["header"]["revision"])'
}

# lost_keys NAME PRE_DIR SNAPREV: keys written after the backup that NAME's
# restored backend lacks (or holds older) while its pre-restore member dir
# PRE_DIR (a host path) has them: "key@mod_revision" lines; none is an error
lost_keys() {
	local r=$SCDIR/root/$1 out
	out=$(lost_keys_between "$r$2/snap/db" "$r${N_DATA[$1]}/member/snap/db" "$3")
	[[ -n $out ]] || die "no lost writes found on $1"
	echo "$out"
}

lost_keys_between() {
	python3 - "$1" "$2" "$3" <<'EOF'
import json, subprocess, sys, os
gen = os.environ["GEN_DIR"]
def keys(db):
    return json.loads(subprocess.check_output(["python3", gen + "/history.py", "keys", db]))
pre, live, rev = keys(sys.argv[1]), keys(sys.argv[2]), int(sys.argv[3])
for k in sorted(pre, key=lambda k: pre[k]):
    if pre[k] > rev and live.get(k) != pre[k]:
        print("%s@%d" % (k, pre[k]))
EOF
}

# ---------------------------------------------------------------------------
# Snapshot restore on every member: a backup taken on a running cluster, more
# writes, then `etcdctl snapshot restore` everywhere (new token: new cluster
# id, raft index restarting low): the writes after the backup are gone.  The
# backups directory and the pre-restore data dirs stay beside the live ones.
# EnvironmentFile, capnslog text in a file, a wrapping directory.
sc_etcd_restore_all() {
	hscenario etcd-restore-all
	local n i=1 all=(pay-1 pay-2 pay-3) ic="" tok=pay-etcd-restore-1207
	for n in "${all[@]}"; do
		node_def "$n" ip=127.0.1.12$i cport=43379 pport=43380 data=/var/lib/etcd/data conf=env \
			mounts=/var/backups dest="pay-etcd-support/$n"
		i=$((i + 1))
	done
	cluster_def pay-etcd new "${all[@]}"
	ic=$(nget pay-1 initial-cluster)
	hosts_ready
	export GEN_DIR
	start_all "${all[@]}"
	put_keys pay-1 /pay/orders 1 10
	local cid_old snap t_save rev_snap rev_end idx_old
	cid_old=$(clusterhex pay-1)
	snap=/var/backups/etcd/pay-etcd-$(date -u +%Y%m%dT%H%M%S).db
	t_save=$(now)
	opsh pay-1 "mkdir -p /var/backups/etcd && ETCDCTL_API=3 etcdctl --endpoints=${N_CURL[pay-1]} snapshot save $snap"
	rev_snap=$(snapshot_rev pay-1 "$snap")
	opsh pay-1 "ETCDCTL_API=3 etcdctl snapshot status $snap -w table"
	put_keys pay-2 /pay/orders 11 20
	put_keys pay-3 /pay/refunds 1 5
	rev_end=$(rev_of pay-1)
	idx_old=$(nctl pay-1 endpoint status -w json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["Status"]["raftIndex"])')
	sleep 3
	say "(a bad deploy wrote wrong data: the team decides to restore the backup on every member)"
	stop_all
	for n in pay-2 pay-3; do
		mkdir -p "$SCDIR/root/$n/var/backups/etcd"
		cp -p "$SCDIR/root/pay-1$snap" "$SCDIR/root/$n$snap"
		say "[pay-1] scp $snap $n:/var/backups/etcd/"
	done
	for n in "${all[@]}"; do
		opsh "$n" "mv /var/lib/etcd/data /var/lib/etcd/data.pre-restore"
		opsh "$n" "ETCDCTL_API=3 etcdctl snapshot restore $snap --name $n --initial-cluster $ic --initial-cluster-token $tok --initial-advertise-peer-urls ${N_PURL[$n]} --data-dir /var/lib/etcd/data"
		nset "$n" initial-cluster-token "$tok"
		reconfigure "$n" "ETCD_INITIAL_CLUSTER_TOKEN=\"$tok\" (as used for the restore)"
	done
	start_all "${all[@]}"
	put_keys pay-1 /pay/orders 21 23
	local cid_new idx_new
	cid_new=$(clusterhex pay-1)
	idx_new=$(nctl pay-1 endpoint status -w json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["Status"]["raftIndex"])')
	[[ $cid_new != "$cid_old" ]] || die "restore kept the cluster id"
	sleep 2
	COLLECT_DIRS=/var/backups/etcd collect_all "member-list.txt|member list -w table" \
		"endpoint-status.txt|endpoint status -w table" "endpoint-status.json|endpoint status -w json"
	stop_all
	local lost
	lost=$(lost_keys pay-2 /var/lib/etcd/data.pre-restore/member "$rev_snap")
	pack tree
	hreadme scenarios-operator.sh <<EOF
$SC.tar.gz -- etcdctl snapshot restore on every member: a new cluster, the
writes made after the backup lost

Scenario
  1. pay-1, pay-2, pay-3 bootstrap (token pay-etcd, cluster id $cid_old); 10 writes.
  2. $(tm "$t_save"): \`etcdctl snapshot save $snap\` on pay-1 (snapshot at
     revision $rev_snap).
  3. 15 more writes (/pay/orders/011-020, /pay/refunds/001-005): revision $rev_end,
     raft index $idx_old.
  4. The team restores the backup everywhere: all members stopped, the snapshot
     copied to pay-2 and pay-3, on each host the data dir moved to
     /var/lib/etcd/data.pre-restore, \`etcdctl snapshot restore\` with a new token
     ($tok) into /var/lib/etcd/data, ETCD_INITIAL_CLUSTER_TOKEN updated in
     /etc/default/etcd, all started again: cluster id $cid_new, raft index
     starting over from the member count ($idx_new after 3 more writes,
     /pay/orders/021-023).
  Left beside the live data: /var/lib/etcd/data.pre-restore (the old cluster's
  member dir) on every host and /var/backups/etcd/ with the snapshot file.
  Logs: capnslog text in /var/log/etcd/etcd.log, both lives of each member.
  Layout: pay-etcd-support/<host>/ with etc/default/etcd, var/lib/etcd/{data,data.pre-restore},
  var/backups/etcd/, var/log/etcd/etcd.log, etcdctl/.

Expected diagnosis
  restore-rollback (cause): every member was restored from the snapshot of
  $(tm "$t_save") (revision $rev_snap). Before: cluster id $cid_old, raft index up to
  $idx_old, revision $rev_end; after: cluster id $cid_new, index restarting
  low. Writes lost (in the old backend, not in the restored one), key@mod_revision:
$(sed 's/^/    /' <<<"$lost")
  No member still runs the old cluster. The data.pre-restore dirs are leftovers
  of the old cluster, not live members; the cluster itself is healthy (3 of 3,
  one leader).
EOF
}

# ---------------------------------------------------------------------------
# The same restore done on two members of three: the third still runs the old
# cluster (cluster id mismatch both ways, no quorum on its side); the new
# cluster counts a member at the third's URL that never started.
# etcd.conf.yml (the token in it NOT updated), zap JSON in the journal, host
# directories at the top; member.pre-restore inside the data dir.
sc_etcd_restore_partial() {
	hscenario etcd-restore-partial
	local n i=1 all=(queue-a queue-b queue-c) ic tok=queue-restored
	for n in "${all[@]}"; do
		node_def "$n" ip=127.0.1.13$i cport=3710$i pport=3720$i data=/srv/etcd/data conf=yaml logger=zap \
			logout=journal logpath=etcd-journal.txt dest="$n"
		i=$((i + 1))
	done
	cluster_def queue-etcd new "${all[@]}"
	ic=$(nget queue-a initial-cluster)
	hosts_ready
	export GEN_DIR
	start_all "${all[@]}"
	put_keys queue-a /queue/jobs 1 10
	local cid_old snap t_save rev_snap rev_end
	cid_old=$(clusterhex queue-a)
	snap=/srv/etcd/backup/queue-etcd-$(support_stamp).db
	t_save=$(now)
	opsh queue-a "mkdir -p /srv/etcd/backup && ETCDCTL_API=3 etcdctl --endpoints=${N_CURL[queue-a]} snapshot save $snap"
	rev_snap=$(snapshot_rev queue-a "$snap")
	put_keys queue-b /queue/jobs 11 18
	rev_end=$(rev_of queue-a)
	sleep 3
	say "(restore planned on all three; queue-c is forgotten and keeps running)"
	local t_stop
	t_stop=$(now)
	stop_etcd queue-b
	stop_etcd queue-a
	mkdir -p "$SCDIR/root/queue-b/srv/etcd/backup"
	cp -p "$SCDIR/root/queue-a$snap" "$SCDIR/root/queue-b$snap"
	say "[queue-a] scp $snap queue-b:/srv/etcd/backup/"
	for n in queue-a queue-b; do
		opsh "$n" "mv /srv/etcd/data/member /srv/etcd/data/member.pre-restore"
		opsh "$n" "ETCDCTL_API=3 etcdctl snapshot restore $snap --name $n --initial-cluster $ic --initial-cluster-token $tok --initial-advertise-peer-urls ${N_PURL[$n]} --data-dir /srv/etcd/restore-tmp && mv /srv/etcd/restore-tmp/member /srv/etcd/data/member && rmdir /srv/etcd/restore-tmp"
	done
	for n in queue-a queue-b; do start_etcd "$n"; done
	for n in queue-a queue-b; do wait_healthy "$n" 40; done
	local cid_new
	cid_new=$(clusterhex queue-a)
	[[ $cid_new != "$cid_old" ]] || die "restore kept the cluster id"
	put_keys queue-a /queue/jobs 19 21
	sleep 15
	running queue-c || die "queue-c exited"
	[[ $(n_lines queue-a "cluster ID mismatch") -ge 1 ]] || die "no cluster ID mismatch on queue-a"
	local c_cands
	c_cands=$(n_lines queue-c "became candidate at term")
	((c_cands >= 3)) || die "queue-c did not campaign"
	collect_all "member-list.json|member list -w json" \
		"endpoint-status.json|endpoint status -w json" "endpoint-health.txt|endpoint health"
	stop_all
	local lost
	lost=$(lost_keys queue-a /srv/etcd/data/member.pre-restore "$rev_snap")
	pack tree
	hreadme scenarios-operator.sh <<EOF
$SC.tar.gz -- a snapshot restore done on two members of three: the restored
pair forms a new cluster, the third still runs the old one

Scenario
  1. queue-a, queue-b, queue-c bootstrap (token queue-etcd, cluster id
     $cid_old); 10 writes.
  2. $(tm "$t_save"): \`etcdctl snapshot save $snap\` on queue-a (revision
     $rev_snap); 8 more writes (/queue/jobs/011-018, revision $rev_end).
  3. $(tm "$t_stop"): queue-a and queue-b stopped; on each the member dir moved to
     /srv/etcd/data/member.pre-restore and the snapshot restored with token
     $tok (into a temporary dir, its member/ moved into /srv/etcd/data).
     etcd.conf.yml is not touched (initial-cluster-token still queue-etcd).
     Both started: cluster id $cid_new, 3 members (queue-c under a new id, at
     queue-c's peer URL), 2 of them running: leader elected, 3 writes
     (/queue/jobs/019-021).
  4. queue-c was never stopped nor restored: it still has the old cluster id
     $cid_old and the writes 011-018. Alone of its three, it campaigns
     ($c_cands "became candidate" lines); queue-a and queue-b reject its messages
     and it rejects theirs ("cluster ID mismatch").
  5. etcdctl outputs on each host (queue-c: no leader, old cluster id), data
     dirs copied idle, all stopped.
  Logs: zap JSON in the journal (etcd-journal.txt).
  Layout: queue-a/, queue-b/, queue-c/ at the top of the tarball, each with
  etc/etcd/etcd.conf.yml, etc/systemd/system/etcd.service, srv/etcd/data/member
  (+ member.pre-restore on a and b), srv/etcd/backup/ (a and b).

Expected diagnosis
  restore-rollback (cause) on queue-a and queue-b: restored from the snapshot of
  $(tm "$t_save") (revision $rev_snap); cluster id $cid_old -> $cid_new, raft index
  restarting low. Writes lost, key@mod_revision:
$(sed 's/^/    /' <<<"$lost")
  queue-c was not restored and still runs the old cluster $cid_old (it, and the
  member.pre-restore dirs, still hold those writes): two clusters at the same
  peer URLs, cluster ID mismatch both ways. Consequences: the old cluster has
  had 1 of 3 voters since $(tm "$t_stop") (queue-a and queue-b stopped for the
  restore): no leader, queue-c campaigns; the new cluster has 2 of 3 (queue-c's new member
  id never started), no failure margin. The member.pre-restore dirs are
  leftovers, not live members. The token in etcd.conf.yml (queue-etcd) no
  longer matches the restored cluster's ($tok): informational.
  Repair: restore queue-c the same way (or remove and re-add it).
EOF
}

# ---------------------------------------------------------------------------
# A member rebuilt after a disk replacement, its drop-in re-rendered by
# configuration management with a new initial-cluster-token: with an empty
# data dir and state "new" it bootstraps a cluster of its own and never joins.
# Unit + drop-in 20-cluster.conf, zap JSON in the journal, a wrapping dir.
sc_etcd_token_rerendered() {
	hscenario etcd-token-rerendered
	local n i=1 all=(app-1 app-2 app-3)
	for n in "${all[@]}"; do
		node_def "$n" ip=127.0.1.14$i cport=46379 pport=46380 data=/var/lib/etcd conf=unit logger=zap \
			logout=journal logpath=journal/etcd.log dest="app-etcd/$n"
		N_DROPIN[$n]="initial-cluster initial-cluster-token initial-cluster-state"
		N_DROPIN_FILE[$n]=20-cluster.conf
		i=$((i + 1))
	done
	bootstrap app-etcd-2025 "${all[@]}"
	put_keys app-1 /app/flags 1 12
	local cid_old id3_old
	cid_old=$(clusterhex app-1)
	id3_old=$(idhex app-3 app-1)
	wipe_member app-3 "disk replaced: /var/lib/etcd is empty"
	nset app-3 initial-cluster-token app-etcd-2026
	reconfigure app-3 "configuration management re-renders etcd.service.d/20-cluster.conf: ETCD_INITIAL_CLUSTER_TOKEN=app-etcd-2026"
	local t_start
	t_start=$(now)
	start_etcd app-3
	sleep 15
	running app-3 || die "app-3 exited (expected a cluster of its own)"
	put_keys app-1 /app/flags 13 16
	local cid3 mism
	cid3=$(python3 "$GEN_DIR/history.py" wal "$SCDIR/root/app-3/var/lib/etcd/member/wal" |
		python3 -c 'import json,sys; print("%x" % json.load(sys.stdin)["metadata"]["cluster_id"])')
	[[ $cid3 != "$cid_old" ]] || die "app-3 joined the old cluster"
	mism=$(($(n_lines app-1 "cluster ID mismatch") + $(n_lines app-2 "cluster ID mismatch")))
	((mism > 0)) || die "no cluster ID mismatch lines"
	collect_all "member-list.txt|member list -w table" \
		"endpoint-status.json|endpoint status -w json" "endpoint-health.txt|endpoint health"
	local mline
	mline=$(g_lines app-1 "cluster ID mismatch" 1)
	stop_all
	pack tree
	hreadme scenarios-operator.sh <<EOF
$SC.tar.gz -- a rebuilt member whose configuration was re-rendered with another
initial-cluster-token: it bootstraps a cluster of its own and never joins

Scenario
  1. app-1, app-2, app-3 bootstrap with the cluster settings in the drop-in
     /etc/systemd/system/etcd.service.d/20-cluster.conf (token app-etcd-2025,
     state new; cluster id $cid_old, app-3 = $id3_old); 12 writes.
  2. app-3 stopped, its disk replaced (/var/lib/etcd empty); configuration
     management re-renders its drop-in with ETCD_INITIAL_CLUSTER_TOKEN=app-etcd-2026
     (state still new, same initial-cluster). Started at $(tm "$t_start"): with another
     token its member id and cluster id are new (cluster $cid3); the old members
     are not asked about it; it runs alone in a cluster whose two other members
     it cannot reach, campaigning. app-1 and app-2 reject its messages and it
     rejects theirs, e.g. on app-1:
       $mline
  3. 4 writes through app-1 (2 of 3 voters of the old cluster); etcdctl outputs
     on every host (app-3: no leader, its own cluster id), data dirs copied, all
     stopped.
  Logs: zap JSON in the journal (journal/etcd.log).
  Layout: app-etcd/<host>/ with etc/systemd/system/etcd.service and
  etcd.service.d/20-cluster.conf, var/lib/etcd, journal/etcd.log, etcdctl/.

Expected diagnosis
  Cause: inconsistent configuration: initial-cluster-token app-etcd-2026 in
  app-3's /etc/systemd/system/etcd.service.d/20-cluster.conf against
  app-etcd-2025 in app-1's and app-2's; with its data dir wiped and state new,
  app-3 bootstrapped a new cluster ($cid3) instead of rejoining $cid_old.
  Consequences: app-3 is not part of the cluster (cluster ID mismatch both
  ways; its own one-of-three cluster has no leader); the real cluster
  $cid_old runs on 2 of 3 voters (app-3's old member $id3_old is still a voter
  there, unreachable): no failure margin. Repair: on a healthy member
  \`etcdctl member remove $id3_old\`, \`member add app-3 --peer-urls=${N_PURL[app-3]}\`,
  restore the old token, empty app-3's data dir and start it with state existing.
EOF
}

# ---------------------------------------------------------------------------
# force-new-cluster left in the configuration after a recovery.
# fnc_left_setup STYLE NAME1 NAME2 NAME3: bootstrap, lose two hosts, force a
# new cluster out of the survivor by adding the flag to its configuration
# (STYLE env: ETCD_FORCE_NEW_CLUSTER in /etc/default/etcd; unit: a drop-in
# etcd.service.d/50-recovery.conf), re-add the two others one at a time.
# The node_def calls are the caller's.  Sets FNC_* for the README.
fnc_left_setup() {
	local style=$1 n
	shift
	FNC_ALL=("$@")
	FNC_TOKEN=$(nget "${FNC_ALL[0]}" initial-cluster-token)
	hosts_ready
	start_all "${FNC_ALL[@]}"
	put_keys "${FNC_ALL[0]}" /ops/runbooks 1 10
	FNC_CID=$(clusterhex "${FNC_ALL[0]}")
	local lead fol
	lead=$(any_leader "${FNC_ALL[@]}")
	mapfile -t fol < <(followers_of "$lead" "${FNC_ALL[@]}")
	FNC_SURV=${fol[1]} FNC_DEAD=("${fol[0]}" "$lead")
	FNC_T_KILL=$(now)
	stop_etcd "${fol[0]}" KILL
	sleep 3
	stop_etcd "$lead" KILL
	sleep 12
	FNC_T_FORCE=$(now)
	if [[ $style == env ]]; then
		FNC_FILE=/etc/default/etcd
		nset "$FNC_SURV" force-new-cluster true
		reconfigure "$FNC_SURV" 'ETCD_FORCE_NEW_CLUSTER="true" added to /etc/default/etcd'
	else
		# a drop-in of its own, written by hand (not part of the rendered configuration)
		FNC_FILE=/etc/systemd/system/etcd.service.d/50-recovery.conf
		mkdir -p "$SCDIR/root/$FNC_SURV/etc/systemd/system/etcd.service.d"
		printf '# recovery after the loss of two members\n[Service]\nEnvironment="ETCD_FORCE_NEW_CLUSTER=true"\n' \
			>"$SCDIR/root/$FNC_SURV$FNC_FILE"
		say "[$FNC_SURV] drop-in $FNC_FILE written (Environment=\"ETCD_FORCE_NEW_CLUSTER=true\"); systemctl daemon-reload"
	fi
	restart_etcd "$FNC_SURV" 1
	wait_healthy "$FNC_SURV" 30
	put_keys "$FNC_SURV" /ops/runbooks 11 15
	local d ic="$FNC_SURV=${N_PURL[$FNC_SURV]}"
	for d in "${FNC_DEAD[@]}"; do
		say "[$d] host back; etcd kept stopped until it is re-added"
		op "$FNC_SURV" member add "$d" --peer-urls="${N_PURL[$d]}" >/dev/null
		opsh "$d" "rm -rf ${N_DATA[$d]}/member"
		ic+=",$d=${N_PURL[$d]}"
		nset "$d" initial-cluster "$ic"
		nset "$d" initial-cluster-state existing
		reconfigure "$d" "initial cluster as member add printed it, initial-cluster-state existing"
		start_etcd "$d"
		wait_healthy "$d" 40
		sleep 6
	done
	put_keys "${FNC_DEAD[0]}" /ops/runbooks 16 20
	FNC_LINE=$(grep -n 'FORCE_NEW_CLUSTER' "$SCDIR/root/$FNC_SURV$FNC_FILE")
}

# The latent hazard: the cluster is healthy again, the flag waits in
# /etc/default/etcd.  EnvironmentFile with DAEMON_ARGS, capnslog text in a
# file, one support tarball per host.
sc_etcd_fnc_left_in_env() {
	hscenario etcd-fnc-left-in-env
	local stamp n i=1
	stamp=$(support_stamp)
	for n in ops-1 ops-2 ops-3; do
		node_def "$n" ip=127.0.1.15$i cport=31379 pport=31380 data=/var/lib/etcd conf=env \
			dest="etcd-support-$n-$stamp"
		nset "$n" snapshot-count 20000
		N_DAEMON[$n]="snapshot-count"
		i=$((i + 1))
	done
	cluster_def ops-etcd new ops-1 ops-2 ops-3
	fnc_left_setup env ops-1 ops-2 ops-3
	sleep 2
	collect_all "member-list.txt|member list -w table" \
		"endpoint-status.txt|endpoint status -w table" "endpoint-health.txt|endpoint health"
	local lead
	lead=$(any_leader "${FNC_ALL[@]}")
	stop_all
	pack pernode
	hreadme scenarios-operator.sh <<EOF
$SC.tar.gz -- ETCD_FORCE_NEW_CLUSTER="true" left in /etc/default/etcd of a
running member after a recovery

Scenario (token $FNC_TOKEN, cluster id $FNC_CID)
  1. ${FNC_ALL[*]} bootstrap; 10 writes.
  2. From $(tm "$FNC_T_KILL"): the hosts of ${FNC_DEAD[0]} and then ${FNC_DEAD[1]} (the leader)
     are lost (SIGKILL, 3 s apart); $FNC_SURV alone campaigns.
  3. $(tm "$FNC_T_FORCE"): the operator adds ETCD_FORCE_NEW_CLUSTER="true" to $FNC_SURV's
     /etc/default/etcd and restarts it: a one-member cluster; 5 writes.
  4. The lost hosts come back; each is re-added (\`member add\`, data dir
     emptied, ETCD_INITIAL_CLUSTER_STATE=existing) and joins, one after the
     other. 5 writes. The cluster is healthy with 3 members, leader $lead.
  5. The line is never taken out of $FNC_SURV's /etc/default/etcd
     (line ${FNC_LINE%%:*}: ${FNC_LINE#*:}). etcdctl outputs, data dirs copied idle, all stopped.
  Logs: capnslog text in /var/log/etcd/etcd.log.
  Layout: etcd-support-<host>-$stamp.tar.gz, one per host, at the top of the
  outer tarball.

Expected diagnosis
  Cause (latent, nothing broken now): force-new-cluster=true left in the
  configuration of a running member: $FNC_SURV's /etc/default/etcd line
  ${FNC_LINE%%:*} (${FNC_LINE#*:}), absent on the other two. At its next restart etcd
  will again rewrite the membership to $FNC_SURV alone and cut the others off
  (etcd-fnc-left-restarted shows what that does). Remove the line now.
  History (informational): quorum lost from $(tm "$FNC_T_KILL") (two of three voters
  lost) to the forced restart at $(tm "$FNC_T_FORCE"); both lost members were re-added
  with new ids; 3 of 3 voters up at collection time, one leader.
EOF
}

# The consequence, on other hosts: the flag was put in a systemd drop-in
# (50-recovery.conf) and left there; weeks later a routine restart of that
# member applies it again.  Unit with flags on ExecStart, zap JSON in the
# journal, a wrapping directory.
sc_etcd_fnc_left_restarted() {
	hscenario etcd-fnc-left-restarted
	local n i=6
	for n in vault-a vault-b vault-c; do
		node_def "$n" ip=127.0.1.15$i cport=31479 pport=31480 data=/var/lib/etcd/vault conf=unit \
			logger=zap logout=journal logpath=journal-etcd.txt dest="vault-etcd-case/$n"
		N_DROPIN[$n]="initial-cluster-state"
		N_DROPIN_FILE[$n]=10-cluster.conf
		i=$((i + 1))
	done
	cluster_def vault-etcd new vault-a vault-b vault-c
	fnc_left_setup unit vault-a vault-b vault-c
	sleep 5
	local t_re
	t_re=$(now)
	say "(weeks later) routine restart of $FNC_SURV"
	restart_etcd "$FNC_SURV" 2
	sleep 15
	local d ex=""
	for d in "${FNC_DEAD[@]}"; do
		if running "$d"; then ex+="${ex:+; }$d still running"; else
			wait_exit_etcd "$d" 1 || true
			ex+="${ex:+; }$d exited at $(tm "$(t_exit "$d")") (status $WAITED_STATUS)"
		fi
	done
	local other t_other t_forced t_out overlap=""
	other=$(leader_after "$t_re" "${FNC_DEAD[@]}")
	t_other=$([[ -z $other ]] || t_first "$other" "became leader at term" "$t_re")
	t_forced=$(t_first "$FNC_SURV" "became leader at term" "$t_re")
	# the end of that leadership: its step-down (no quorum once the third member
	# was gone), the news of its removal (its server stops) or its exit, whichever
	# came first
	t_out=$([[ -z $other ]] || { t_first "$other" "stepped down to follower|became follower at term|lost leader|permanently removed from the cluster" "$t_other"; t_exit "$other"; } | sort -n | head -1)
	if [[ -n $other ]]; then
		if python3 -c 'import sys; sys.exit(0 if float(sys.argv[1]) < float(sys.argv[2]) else 1)' "$t_forced" "$t_out"; then
			overlap="$other led the old 3-member membership from $(tm "$t_other") ($FNC_SURV's SIGTERM
     had handed leadership over) until $(tm "$t_out") (step-down, removal or exit), while $FNC_SURV led the
     forced one-member membership from $(tm "$t_forced"): two leaders of one cluster id
     at once, with different memberships (split brain), for a few seconds."
		else
			overlap="$FNC_SURV's SIGTERM had handed leadership to $other, which led the old
     3-member membership from $(tm "$t_other") until $(tm "$t_out") (step-down, removal or exit);
     $FNC_SURV became leader of its forced one-member
     membership only after that, at $(tm "$t_forced"): no two leaders at once."
		fi
	else
		overlap="$FNC_SURV led its forced one-member membership from $(tm "$t_forced")."
	fi
	collect_all "member-list.json|member list -w json" \
		"endpoint-status.json|endpoint status -w json" "endpoint-health.txt|endpoint health"
	stop_all
	pack tree
	local rm_lines
	rm_lines=$(for d in "${FNC_DEAD[@]}"; do n_lines "$d" "permanently removed from the cluster"; done | awk '{s += $1} END {print s + 0}')
	hreadme scenarios-operator.sh <<EOF
$SC.tar.gz -- force-new-cluster left in a systemd drop-in after a recovery,
then a routine restart of that member: the cluster is cut down again

Scenario (token $FNC_TOKEN, cluster id $FNC_CID)
  1. ${FNC_ALL[*]} bootstrap (flags on ExecStart of /etc/systemd/system/etcd.service,
     initial-cluster-state in the drop-in 10-cluster.conf); 10 writes.
  2. From $(tm "$FNC_T_KILL"): the hosts of ${FNC_DEAD[0]} and then ${FNC_DEAD[1]} (the leader) are lost
     (SIGKILL, 3 s apart); $FNC_SURV alone campaigns.
  3. $(tm "$FNC_T_FORCE"): the operator adds the drop-in $FNC_FILE
     (Environment="ETCD_FORCE_NEW_CLUSTER=true") on $FNC_SURV and restarts it: a
     one-member cluster; the two lost members are re-added one at a time
     (\`member add\`, empty data dir, state existing) and join; 3 members, healthy.
     The drop-in stays (line ${FNC_LINE%%:*}: ${FNC_LINE#*:}).
  4. $(tm "$t_re"): routine restart of $FNC_SURV. The flag forces a new cluster again:
     $FNC_SURV removes ${FNC_DEAD[*]} from its membership (RemoveNode entries in its
     WAL, members_removed in its backend) and leads alone. The two others,
     still running with the 3-member membership, are answered that they were
     removed ($rm_lines "permanently removed" lines; etcd rejects messages from
     members it removed): ${ex}.
     $overlap
  5. etcdctl outputs on every host, data dirs copied, all stopped.
  Logs: zap JSON in the journal (journal-etcd.txt) with systemd's lines.
  Layout: vault-etcd-case/<host>/ with etc/systemd/system/etcd.service(.d/),
  var/lib/etcd/vault, journal-etcd.txt, etcdctl/.

Expected diagnosis
  Cause: force-new-cluster=true left in $FNC_SURV's $FNC_FILE
  (line ${FNC_LINE%%:*}); the routine restart at $(tm "$t_re") applied it again.
  Consequences: $FNC_SURV's membership shrank to itself (same cluster id, the two
  others removed: RemoveNode entries in its WAL); ${FNC_DEAD[*]} were told they
  were removed and exited (${ex}): one member serves, the other two are
  out of the cluster (no quorum loss of the shrunken cluster, but no redundancy
  left). Leadership: $overlap
  Earlier history: quorum lost from $(tm "$FNC_T_KILL") (two of three voters lost) to
  the forced restart at $(tm "$FNC_T_FORCE"). Repair: delete the drop-in (systemctl
  daemon-reload), re-add the two members.
EOF
}

# ---------------------------------------------------------------------------
# The token cause at a first bootstrap: one member's etcd.conf.yml was
# rendered with the staging token; it bootstraps a cluster of its own while the
# two others form theirs.  etcd.conf.yml, capnslog text in a file, host
# directories at the top.
sc_etcd_token_mismatch_bootstrap() {
	hscenario etcd-token-mismatch-bootstrap
	local n i=1 all=(ci-1 ci-2 ci-3)
	for n in "${all[@]}"; do
		node_def "$n" ip=127.0.1.22$i cport=33479 pport=33480 data=/srv/etcd/ci conf=yaml dest="$n"
		i=$((i + 1))
	done
	cluster_def ci-etcd new "${all[@]}"
	nset ci-3 initial-cluster-token ci-etcd-staging
	hosts_ready
	say "(configuration management renders ci-3's etcd.conf.yml from the staging inventory: initial-cluster-token ci-etcd-staging)"
	for n in "${all[@]}"; do start_etcd "$n"; done
	wait_healthy ci-1 40
	wait_healthy ci-2 40
	sleep 15
	running ci-3 || die "ci-3 exited"
	put_keys ci-1 /ci/pipelines 1 10
	local cid cid3 mism id3
	cid=$(clusterhex ci-1)
	id3=$(idhex ci-3 ci-1)
	cid3=$(python3 "$GEN_DIR/history.py" wal "$SCDIR/root/ci-3/srv/etcd/ci/member/wal" |
		python3 -c 'import json,sys; print("%x" % json.load(sys.stdin)["metadata"]["cluster_id"])')
	[[ $cid3 != "$cid" ]] || die "ci-3 joined"
	mism=$(($(n_lines ci-1 "cluster ID mismatch") + $(n_lines ci-2 "cluster ID mismatch")))
	((mism > 0)) || die "no cluster ID mismatch lines"
	for n in "${all[@]}"; do
		probe_header "$n" etcdctl.txt
		probe "$n" etcdctl.txt transcript "|member list -w table" "|endpoint status -w table" "|endpoint health"
		collect "$n"
	done
	local mline tline
	mline=$(g_lines ci-2 "cluster ID mismatch" 1)
	tline=$(grep -n 'initial-cluster-token' "$SCDIR/root/ci-3/etc/etcd/etcd.conf.yml")
	stop_all
	pack tree
	hreadme scenarios-operator.sh <<EOF
$SC.tar.gz -- a new cluster bootstrapped with one member's initial-cluster-token
rendered differently: that member forms a cluster of its own

Scenario
  ci-1, ci-2, ci-3 are bootstrapped together from /etc/etcd/etcd.conf.yml
  (initial-cluster-state new, the same initial-cluster). ci-1's and ci-2's
  files say initial-cluster-token 'ci-etcd'; ci-3's was rendered from the
  staging inventory: line ${tline%%:*}: ${tline#*:}. Member ids and the cluster id are
  hashes of peer URLs and token: ci-1 and ci-2 form cluster $cid (with ci-3
  listed as $id3, a member that never answers); ci-3 forms cluster $cid3 alone
  (its two peers under other ids), campaigning without end. Each side rejects
  the other's messages, e.g. on ci-2:
    $mline
  10 writes through ci-1 (2 of 3 voters). Each host's etcdctl session (etcdctl.txt:
  timestamp header, prompt lines) shows the split: ci-3 no leader and another
  cluster id. Data dirs copied; all stopped.
  Logs: capnslog text in /var/log/etcd/etcd.log.
  Layout: ci-1/, ci-2/, ci-3/ at the top of the tarball, each with
  etc/etcd/etcd.conf.yml, etc/systemd/system/etcd.service, srv/etcd/ci, var/log/etcd/etcd.log, etcdctl.txt.

Expected diagnosis
  Cause: inconsistent configuration: initial-cluster-token 'ci-etcd-staging' in
  ci-3's /etc/etcd/etcd.conf.yml (line ${tline%%:*}) against 'ci-etcd' on ci-1 and
  ci-2. Consequences: two cluster ids from one bootstrap: $cid (ci-1, ci-2;
  2 of 3 voters, no failure margin, ci-3's expected member $id3 never joined)
  and $cid3 (ci-3 alone, no leader); cluster ID mismatch both ways. Repair: fix
  the token on ci-3, empty its data dir and start it again (or remove and
  re-add the member).
EOF
}

# ---------------------------------------------------------------------------
# Crash loop: a member whose data dir was wiped is started with the unchanged
# configuration (state new): "member ... has already been bootstrapped", exit
# 1, restarted by systemd (Restart=on-failure, RestartSec=5) again and again.
# Unit with the flags on ExecStart, zap JSON in the journal with systemd's
# restart lines, a wrapping directory.
sc_etcd_crash_loop_bootstrapped() {
	hscenario etcd-crash-loop-bootstrapped
	local n i=1 all=(edge-1 edge-2 edge-3)
	for n in "${all[@]}"; do
		node_def "$n" ip=127.0.1.16$i cport=36379 pport=36380 data=/var/lib/etcd conf=unit logger=zap \
			logout=journal logpath=journalctl-etcd.txt dest="edge-etcd/$n"
		i=$((i + 1))
	done
	bootstrap edge-etcd "${all[@]}"
	put_keys edge-1 /edge/routes 1 10
	local cid id3
	cid=$(clusterhex edge-1)
	id3=$(idhex edge-3 edge-1)
	wipe_member edge-3 "disk replaced: /var/lib/etcd empty; the unit is unchanged (--initial-cluster-state=new)"
	local t_first_start
	t_first_start=$(now)
	start_etcd edge-3
	crashloop edge-3 6 5
	local t_last_exit
	t_last_exit=$(now)
	[[ $(n_lines edge-3 "has already been bootstrapped") -ge $LOOP_STARTS ]] ||
		die "edge-3 did not fail with 'has already been bootstrapped' on every start"
	put_keys edge-2 /edge/routes 11 14
	collect_all "member-list.txt|member list -w table" "endpoint-health.txt|endpoint health"
	stop_all
	pack tree
	local fatal
	fatal=$(g_lines edge-3 '"level":"fatal".*has already been bootstrapped' 1)
	hreadme scenarios-operator.sh <<EOF
$SC.tar.gz -- a crash loop: a wiped member started again with state new fails
"has already been bootstrapped", and systemd restarts it every 5 s

Scenario (token edge-etcd, cluster id $cid; edge-3 = $id3)
  1. edge-1, edge-2, edge-3 bootstrap (flags on ExecStart of
     /etc/systemd/system/etcd.service, Restart=on-failure, RestartSec=5); 10 writes.
  2. edge-3 stopped; its disk replaced (/var/lib/etcd empty); the unit unchanged
     (--initial-cluster-state=new). From $(tm "$t_first_start") etcd starts, finds its member id
     already published in the running cluster and exits with status $LOOP_STATUS
     (the first time after a warn "failed to start etcd"; from the second start
     on, the member/ dir the first attempt created makes it log "server has been
     already initialized" first):
       $fatal
     systemd restarts it 5 s after each exit ("Scheduled restart job, restart
     counter is at N"): $LOOP_STARTS starts, the last exit at about $(tm "$t_last_exit"); the
     collection happens in the middle of the loop.
  3. 4 writes through edge-2 (2 of 3 voters); etcdctl outputs (edge-3: connection
     refused); data dirs copied; all stopped.
  Logs: zap JSON in the journal (journalctl-etcd.txt) with systemd's lines.
  Layout: edge-etcd/<host>/...

Expected diagnosis
  Cause: crash-loop of edge-3: $LOOP_STARTS starts from $(tm "$t_first_start") to about $(tm "$t_last_exit"), each
  ending with the fatal "member $id3 has already been bootstrapped" (its data
  dir is empty but its member id, from the same peer URL and token with state
  new, is a published member of the running cluster). Consequence: the cluster
  runs on 2 of 3 voters (no failure margin); no quorum loss, leader unchanged.
  Repair: \`etcdctl member remove $id3\`, \`member add edge-3\`, start with
  --initial-cluster-state=existing (or restore its data dir).
EOF
}

# Crash loop, another shape: a member added with `member add sync-4`, whose
# /etc/default/etcd (rendered from a template without ETCD_NAME) leaves the
# Debian unit's default ETCD_NAME=%H = host name "sync4": "couldn't find local
# name" on every start; a drop-in Restart=always restarts it every 3 s.
# capnslog text in /var/log/syslog (rsyslog), one tarball per host under collect/.
sc_etcd_crash_loop_name() {
	hscenario etcd-crash-loop-name
	local n i=1 all=(sync-1 sync-2 sync-3) ic
	for n in "${all[@]}" sync-4; do
		node_def "$n" ip=127.0.1.17$i cport=3741$i pport=3751$i data=/var/lib/etcd/default conf=env \
			logout=syslog dest="$n"
		i=$((i + 1))
	done
	N_HOST["sync-4"]=sync4
	bootstrap sync-etcd "${all[@]}"
	put_keys sync-1 /sync/state 1 10
	local cid id4
	cid=$(clusterhex sync-1)
	op sync-1 member add sync-4 --peer-urls="${N_PURL[sync-4]}" >/dev/null
	id4=$(idhex sync-4 sync-1)
	ic="$(nget sync-1 initial-cluster),sync-4=${N_PURL[sync-4]}"
	nset sync-4 initial-cluster "$ic"
	nset sync-4 initial-cluster-token sync-etcd
	nset sync-4 initial-cluster-state existing
	nunset sync-4 name
	nunset sync-4 data-dir
	render_config sync-4
	mkdir -p "$SCDIR/root/sync-4/etc/systemd/system/etcd.service.d"
	printf '[Service]\nRestart=always\nRestartSec=3\n' >"$SCDIR/root/sync-4/etc/systemd/system/etcd.service.d/restart.conf"
	say "[sync4] /etc/default/etcd rendered from the role's template (no ETCD_NAME), drop-in etcd.service.d/restart.conf (Restart=always, RestartSec=3)"
	local t0
	t0=$(now)
	start_etcd sync-4
	crashloop sync-4 5 3
	[[ $(n_lines sync-4 "couldn't find local name") -ge $LOOP_STARTS ]] ||
		die "sync-4 did not fail with 'couldn't find local name' on every start"
	put_keys sync-2 /sync/state 11 14
	collect_all "member-list.txt|member list -w table" "endpoint-health.txt|endpoint health"
	stop_all
	pack pernode collect
	local fatal
	fatal=$(g_lines sync-4 "couldn't find local name" 1)
	hreadme scenarios-operator.sh <<EOF
$SC.tar.gz -- a crash loop: an added member whose name comes from the Debian
unit's default (the host name) and is not in its initial cluster

Scenario (token sync-etcd, cluster id $cid)
  1. sync-1, sync-2, sync-3 bootstrap (Debian unit, /etc/default/etcd); 10 writes.
  2. \`etcdctl member add sync-4 --peer-urls=${N_PURL[sync-4]}\` (id $id4).
     On host sync4 the role renders /etc/default/etcd without ETCD_NAME (and
     without ETCD_DATA_DIR): the Debian unit's defaults apply, ETCD_NAME=%H =
     "sync4", ETCD_DATA_DIR=/var/lib/etcd/default. ETCD_INITIAL_CLUSTER names
     the member "sync-4". A drop-in (etcd.service.d/restart.conf) sets
     Restart=always, RestartSec=3.
  3. From $(tm "$t0"): etcd exits at once (status $LOOP_STATUS) on every start:
       $fatal
     $LOOP_STARTS starts, 3 s apart.
  4. 4 writes through sync-2 (3 of 4 voters up: sync-4 is a voter since member add);
     etcdctl outputs on every host (sync4: connection refused; member list:
     sync-4 "unstarted"); data dirs copied; all stopped.
  Logs: capnslog text as rsyslog wrote it to /var/log/syslog, with systemd's lines.
  Layout: collect/sync-N.tar.gz inside the outer tarball.

Expected diagnosis
  Cause: crash-loop of sync-4 (host sync4): $LOOP_STARTS starts from $(tm "$t0"), each
  ending with "couldn't find local name \"sync4\" in the initial cluster
  configuration": /etc/default/etcd lacks ETCD_NAME, so the unit's ETCD_NAME=%H
  (the host name) is used, while member add and ETCD_INITIAL_CLUSTER call it
  sync-4. Consequence: the cluster has 4 voters with 3 running (sync-4 added,
  never started): quorum holds (3 of 4) with no failure margin. Repair: set
  ETCD_NAME="sync-4" in sync4's /etc/default/etcd.
EOF
}

# ---------------------------------------------------------------------------
# WAL damage: one record's CRC flipped on a stopped member (hand damage by the
# generator), then the real server's refusal to start.
# EnvironmentFile, capnslog text in a file, a wrapping directory.
sc_etcd_wal_crc() {
	hscenario etcd-wal-crc
	local n i=1 all=(store-a store-b store-c)
	for n in "${all[@]}"; do
		node_def "$n" ip=127.0.1.18$i cport=48379 pport=48380 data=/var/lib/etcd conf=env \
			dest="store-etcd/$n"
		i=$((i + 1))
	done
	bootstrap store-etcd "${all[@]}"
	put_keys store-a /store/items 1 20
	local cid idb
	cid=$(clusterhex store-a)
	idb=$(idhex store-b store-a)
	say "[store-b] maintenance: systemctl stop etcd"
	stop_etcd store-b
	local flip
	flip=$(python3 "$GEN_DIR/walflip.py" "$SCDIR/root/store-b/var/lib/etcd/member/wal" entry 12)
	say "[store-b] (hand damage by the generator: one bit of the stored CRC of a WAL record flipped: $flip)"
	local t1
	t1=$(now)
	start_etcd store-b
	wait_exit_etcd store-b 30 || die "store-b started on a damaged WAL"
	say "[store-b] etcd exited (status $WAITED_STATUS)"
	sleep 5
	QUIET_START=1 start_etcd store-b
	say "[store-b] systemctl start etcd   (second attempt)"
	wait_exit_etcd store-b 30 || die "store-b started on a damaged WAL"
	say "[store-b] etcd exited (status $WAITED_STATUS)"
	[[ $(n_lines store-b "crc mismatch") -ge 2 ]] || die "store-b did not report a crc mismatch"
	put_keys store-c /store/items 21 25
	collect_all "member-list.txt|member list -w table" \
		"endpoint-status.txt|endpoint status -w table"
	stop_all
	pack tree
	wal_crc_readme "$cid" "$idb" store-b "$flip" "$t1" "capnslog text in /var/log/etcd/etcd.log" \
		"store-etcd/<host>/ with etc/default/etcd, var/lib/etcd/member, var/log/etcd/etcd.log, etcdctl/" 2
}

wal_crc_readme() {
	local cid=$1 id=$2 m=$3 flip=$4 t1=$5 logger=$6 layout=$7 tries=$8 refusal
	refusal=$(g_lines "$m" "crc mismatch" 1)
	hreadme scenarios-operator.sh <<EOF
$SC.tar.gz -- a member whose WAL has one record with a wrong CRC (damaged
while etcd was stopped): etcd refuses to start

Scenario (cluster id $cid; $m = $id)
  ${NODES[*]} bootstrap; writes. $m is stopped for maintenance. While it
  is stopped, one record of its WAL is damaged BY HAND (the generator flips
  one bit of the record's stored CRC-32C; data and length unchanged):
    $flip
  $m is then started $tries times (from $(tm "$t1")); each time etcd reads its WAL,
  finds the CRC mismatch and exits:
    $refusal
  (etcd 3.4.23 meets the bad record while it looks for snapshot entries
  (etcdserver NewServer, wal.ValidSnapshotEntries), before the WAL replay that
  would say "read wal error ... cannot be repaired": the error reaches etcdmain,
  which prints it bare in capnslog, and under zap as a fatal "discovery failed"
  whose error is "walpb: crc mismatch".)
  The other two keep the cluster running (2 of 3 voters); more writes;
  etcdctl outputs ($m: connection refused); data dirs copied; all stopped.
  Logs: $logger.
  Layout: $layout.

Hand-made
  The damaged bit in $m's WAL (offset and file above; nothing else in the
  bundle was edited). Everything $m logged about it is the real server's.

Expected diagnosis
  Cause: data-corruption on $m: its WAL file fails the CRC check at the record
  named above (a complete record, not a torn write: etcd cannot repair it), and
  etcd refused to start ($tries attempts, fatal "walpb: crc mismatch").
  Consequence: the cluster runs on 2 of 3 voters, no failure margin; no quorum
  loss, leader unchanged. Repair: \`etcdctl member remove $id\`, move $m's data
  dir aside, \`member add\` it again and start it with an empty data dir and
  state existing (it catches up from the leader).
EOF
}

# The same damage on a kubeadm member, on its last HardState record; kubelet
# restarts the crashing container with back-off (CRI files 0..N), zap JSON;
# one tarball per host at the top.
sc_etcd_wal_crc_kubeadm() {
	hscenario etcd-wal-crc-kubeadm
	local n i=1 all=(mon-1 mon-2 mon-3) stamp
	stamp=$(support_stamp)
	for n in "${all[@]}"; do
		node_def "$n" ip=127.0.1.19$i cport=49379 pport=49380 data=/var/lib/etcd conf=kubeadm logger=zap \
			logout=pods dest="$n-etcd-$stamp"
		i=$((i + 1))
	done
	bootstrap mon-etcd "${all[@]}"
	put_keys mon-1 /registry/events 1 15
	local cid id2
	cid=$(clusterhex mon-1)
	id2=$(idhex mon-2 mon-1)
	say "[mon-2] node drained and rebooted: etcd container stopped"
	stop_etcd mon-2
	local flip
	flip=$(python3 "$GEN_DIR/walflip.py" "$SCDIR/root/mon-2/var/lib/etcd/member/wal" hardstate-last)
	say "[mon-2] (hand damage by the generator: one bit of the stored CRC of the last HardState record flipped: $flip)"
	local t1
	t1=$(now)
	start_etcd mon-2
	crashloop mon-2 3 10
	[[ $(n_lines mon-2 "crc mismatch") -ge 3 ]] || die "mon-2 did not report a crc mismatch"
	put_keys mon-3 /registry/events 16 20
	collect_all "member-list.json|member list -w json" \
		"endpoint-status.json|endpoint status -w json"
	stop_all
	pack pernode
	wal_crc_readme "$cid" "$id2" mon-2 "$flip" "$t1" \
		"zap JSON in kubelet's CRI files var/log/pods/kube-system_etcd-<host>_<uid>/etcd/N.log (one per container start; kubelet restarted the failing container with back-off)" \
		"<host>-etcd-$stamp.tar.gz, one per host, at the top" "$LOOP_STARTS"
}

# ---------------------------------------------------------------------------
# Peer URL moved without `etcdctl member update`: the member restarts with a
# new peer port; the membership keeps the old URL and the others dial it
# forever.  EnvironmentFile, capnslog text in a file, a wrapping directory.
sc_etcd_peer_port_moved() {
	hscenario etcd-peer-port-moved
	local n i=1 all=(lb-1 lb-2 lb-3) old new
	for n in "${all[@]}"; do
		node_def "$n" ip=127.0.1.20$i cport=34379 pport=34380 data=/var/lib/etcd conf=env dest="lb-etcd/$n"
		i=$((i + 1))
	done
	bootstrap lb-etcd "${all[@]}" -- 127.0.1.202:34480
	put_keys lb-1 /lb/backends 1 10
	local cid id2
	cid=$(clusterhex lb-1)
	id2=$(idhex lb-2 lb-1)
	old=${N_PURL[lb-2]} new=http://127.0.1.202:34480
	say "[lb-2] systemctl stop etcd   (peer port to move to 34480 after a firewall change)"
	stop_etcd lb-2
	N_PURL[lb-2]=$new N_PP[lb-2]=34480
	nset lb-2 listen-peer-urls "$new"
	nset lb-2 initial-advertise-peer-urls "$new"
	nset lb-2 initial-cluster "lb-1=${N_PURL[lb-1]},lb-2=$new,lb-3=${N_PURL[lb-3]}"
	reconfigure lb-2 "ETCD_LISTEN_PEER_URLS, ETCD_INITIAL_ADVERTISE_PEER_URLS and ETCD_INITIAL_CLUSTER now say :34480 (no etcdctl member update)"
	local t1
	t1=$(now)
	start_etcd lb-2
	wait_healthy lb-2 40
	put_keys lb-2 /lb/backends 11 15
	sleep 25
	local dial
	local fail="(could not connect|failed to reach the peer ?URL|cannot get the version|failed to get version|failed to dial|unhealthy status).*127\\.0\\.1\\.202:34380"
	dial=$(($(n_lines lb-1 "$fail" "$t1") + $(n_lines lb-3 "$fail" "$t1")))
	((dial > 0)) || die "nobody dialled the old peer URL"
	put_keys lb-3 /lb/backends 16 18
	collect_all "member-list.txt|member list -w table" \
		"endpoint-status.txt|endpoint status -w table" "endpoint-health.txt|endpoint health"
	local ex
	ex=$(g_lines lb-1 "$fail" 1 "$t1")
	stop_all
	pack tree
	peer_moved_readme "$cid" lb-2 "$id2" "$old" "$new" "$t1" "$dial" "$ex" \
		"capnslog text in /var/log/etcd/etcd.log" "lb-etcd/<host>/..." "the peer port (34380 -> 34480)"
}

peer_moved_readme() {
	local cid=$1 m=$2 id=$3 old=$4 new=$5 t1=$6 dial=$7 ex=$8 logger=$9 layout=${10} what=${11}
	hreadme scenarios-operator.sh <<EOF
$SC.tar.gz -- a member restarted with a new peer URL and no \`etcdctl member
update\`: the others dial its old address forever

Scenario (cluster id $cid; $m = $id)
  ${NODES[*]} bootstrap; writes. $m is stopped, its configuration changed
  to move $what: listen and advertise $new instead of $old. No
  \`etcdctl member update\`: the membership keeps $old. Started at $(tm "$t1"),
  $m works: it dials the others, and they reach it over the streams it opened
  (writes through it and through the others succeed; endpoint health is
  green), but every attempt of the others to dial $m's URL from the
  membership fails ($dial log lines naming the old address, e.g.
    $ex
  ). etcdctl member list on every host still shows $old for $m. etcdctl
  outputs, data dirs copied idle, all stopped.
  Logs: $logger.
  Layout: $layout.

Expected diagnosis
  Cause: stale peer URL: member $m ($id) is listed with peer URL $old in the
  membership (member list, every backend) but listens and advertises $new (its
  configuration, its start-up lines). Consequence: the others cannot open
  connections to it (dial errors, prober unhealthy, for the whole run); the
  cluster keeps quorum (3 of 3 up, messages flow over the connections $m
  opens), but a restart of a peer or a new member would not reach $m. Repair:
  \`etcdctl member update $id --peer-urls=$new\`.
EOF
}

# The member moved to another address (peer and client); etcd.conf.yml, zap
# JSON in the journal, one tarball per host under support-bundles/.
sc_etcd_peer_ip_moved() {
	hscenario etcd-peer-ip-moved
	local n i=1 all=(node-a node-b node-c) old new
	for n in "${all[@]}"; do
		node_def "$n" ip=127.0.1.21$i cport=35379 pport=35380 data=/var/lib/etcd/default.etcd conf=yaml \
			logger=zap logout=journal logpath=etcd.journal.txt dest="$n"
		i=$((i + 1))
	done
	bootstrap nodes-etcd "${all[@]}" -- 127.0.1.214:35380 127.0.1.214:35379
	put_keys node-a /nodes/inventory 1 10
	local cid id2
	cid=$(clusterhex node-a)
	id2=$(idhex node-b node-a)
	old=${N_PURL[node-b]} new=http://127.0.1.214:35380
	say "[node-b] systemctl stop etcd   (the VM is moved to another network: new address 127.0.1.214)"
	stop_etcd node-b
	N_IP[node-b]=127.0.1.214 N_PURL[node-b]=$new N_CURL[node-b]=http://127.0.1.214:35379
	nset node-b listen-peer-urls "$new"
	nset node-b initial-advertise-peer-urls "$new"
	nset node-b listen-client-urls "${N_CURL[node-b]}"
	nset node-b advertise-client-urls "${N_CURL[node-b]}"
	write_hosts_files node-b
	reconfigure node-b "etcd.conf.yml: every URL of node-b now 127.0.1.214 (no etcdctl member update)"
	local t1
	t1=$(now)
	start_etcd node-b
	wait_healthy node-b 40
	put_keys node-b /nodes/inventory 11 14
	sleep 25
	local dial
	local fail="(could not connect|failed to reach the peer ?URL|cannot get the version|failed to get version|failed to dial|unhealthy status).*127\\.0\\.1\\.212:35380"
	dial=$(($(n_lines node-a "$fail" "$t1") + $(n_lines node-c "$fail" "$t1")))
	((dial > 0)) || die "nobody dialled the old peer URL"
	collect_all "member-list.json|member list -w json" \
		"endpoint-status.json|endpoint status -w json" "endpoint-health.txt|endpoint health"
	local ex
	ex=$(g_lines node-a "$fail" 1 "$t1")
	stop_all
	pack pernode support-bundles
	peer_moved_readme "$cid" node-b "$id2" "$old" "$new" "$t1" "$dial" "$ex" \
		"zap JSON in the journal (etcd.journal.txt)" \
		"support-bundles/node-X.tar.gz inside the outer tarball; member list shows node-b's NEW client URL (published by the member itself) next to its OLD peer URL" \
		"the host to another address (127.0.1.212 -> 127.0.1.214, peer and client URLs)"
}
