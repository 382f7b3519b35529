# shellcheck shell=bash
# Two etcd scenarios about the state members keep on disk (quorumscope issue 5:
# split brain after --force-new-cluster, a member restarted on an old copy of
# its data dir).  Sourced by run.sh; uses lib.sh helpers and scenarios.sh's
# cluster_hex / member_hex / readme_provenance.
#
# Addresses: these scenarios use their own loopback addresses (IP_BASE, see
# lib.sh ip_of) so that they never collide with the other scenario files:
#   etcd-force-split           members on 127.0.0.41-43, ports 23800..
#   etcd-restored-old-member   members on 127.0.0.45-47, ports 23840..
#   etcd-copied-backend        members on 127.0.0.41-43, ports 23880..

# ---------------------------------------------------------------------------
sc_etcd_force_split() {
	IP_BASE=40
	scenario_begin etcd-force-split 23800
	local m all=(etcd1 etcd2 etcd3) token=qs-etcd-split cid leader_b
	write_env etcd1 new $token zap "${all[@]}"
	write_env etcd2 new $token capnslog "${all[@]}"
	write_env etcd3 new $token zap "${all[@]}"
	for m in "${all[@]}"; do start_node "$m"; done
	for m in "${all[@]}"; do wait_healthy "$m"; done
	cid=$(cluster_hex etcd1)
	put_keys etcd1 /app/before 1 10

	# etcd2 and etcd3 go down (clean stops); etcd1 alone has no quorum
	stop_node etcd2
	stop_node etcd3
	sleep 3
	# The operator forces a one-member cluster out of etcd1.  Its peer port is
	# moved (a one-off override of ETCD_LISTEN_PEER_URLS) to stand for the
	# network partition that follows: etcd2 and etcd3 can no longer reach it,
	# and it never tells them that they were removed.
	stop_node etcd1
	start_node etcd1 ETCD_FORCE_NEW_CLUSTER=true \
		ETCD_LISTEN_PEER_URLS="http://$(ip_of etcd1):$((BASE + 30 + 1))"
	hist "(network partition from here on: etcd2 and etcd3 cannot reach etcd1's peer URL $(purl_of etcd1))"
	wait_healthy etcd1 30
	put_keys etcd1 /app/side-a 1 10

	# etcd2 and etcd3 come back on their old data dirs: a majority of their
	# old 3-member view, they elect a leader of their own
	start_node etcd2
	start_node etcd3
	wait_healthy etcd2 40
	wait_healthy etcd3 40
	put_keys etcd2 /app/side-b 1 12
	put_keys etcd1 /app/side-a 11 15
	leader_b=$(leader_of etcd2)
	hist "leader seen by etcdctl on etcd2: $leader_b"
	for m in "${all[@]}"; do collect_node "$m"; done
	for m in "${all[@]}"; do stop_node "$m"; done
	package_scenario
	facts_json "${all[@]}"
	python3 - "$WORK/$SC.facts.json" "$cid" <<'EOF' || die "etcd-force-split self-check failed"
import json, sys
f = {n["node"]: n for n in json.load(open(sys.argv[1]))}
cid = int(sys.argv[2], 16)
assert all(n["wal"]["metadata"]["cluster_id"] == cid for n in f.values())
assert len(f["etcd1"]["db"]["members"]) == 1, f["etcd1"]["db"]["members"]
assert len(f["etcd2"]["db"]["members"]) == 3, f["etcd2"]["db"]["members"]
assert len(f["etcd3"]["db"]["members"]) == 3, f["etcd3"]["db"]["members"]
EOF
	{
		cat <<EOF
etcd-force-split.tar.gz -- split brain: two histories under one cluster id after
--force-new-cluster while the other members were only partitioned away

Scenario (token $token, cluster id $cid)
  1. etcd1, etcd2, etcd3 bootstrap; 10 writes (/app/before/...).
  2. etcd2 and etcd3 stopped (SIGTERM). etcd1 alone has no quorum.
  3. etcd1 stopped and started once with ETCD_FORCE_NEW_CLUSTER=true; at the same
     time its listen peer URL is moved to port $((BASE + 31)) (one-off override,
     not in etc/default/etcd): this stands for a network partition, etcd2 and
     etcd3 cannot reach etcd1's advertised peer URL $(purl_of etcd1) any more.
     etcd1 becomes a one-member cluster (RemoveNode entries for etcd2 and etcd3 in
     its WAL, both in its backend's members_removed); 10 writes (/app/side-a/001-010).
  4. etcd2 and etcd3 restarted on their OLD data dirs: 2 of their 3-member view,
     they elect a leader ($leader_b seen by etcdctl) and accept 12 writes
     (/app/side-b/...); etcd1 accepts 5 more (/app/side-a/011-015) at the same time.
  5. etcdctl output collected on each host, then all three stopped (SIGTERM).
  Logs: etcd1 and etcd3 zap JSON, etcd2 capnslog text.

Facts to find (summary)
  one cluster id $cid on all three WALs; two memberships: etcd1 alone (its WAL
  and backend) and etcd1+etcd2+etcd3 (etcd2's and etcd3's); both sides elected
  leaders after the divergence and both accepted writes: split brain. Real
  program output except etc/default/etcd and collect.txt (see below).

EOF
		SC_FILE=scenarios-state.sh readme_provenance
	} | write_readme
	IP_BASE=30
}

# ---------------------------------------------------------------------------
sc_etcd_restored_old_member() {
	IP_BASE=44
	scenario_begin etcd-restored-old-member 23840
	local m all=(etcd1 etcd2 etcd3) token=qs-etcd-restored cid rc=0 old
	write_env etcd1 new $token zap "${all[@]}"
	write_env etcd2 new $token zap "${all[@]}"
	write_env etcd3 new $token capnslog "${all[@]}"
	for m in "${all[@]}"; do start_node "$m"; done
	for m in "${all[@]}"; do wait_healthy "$m"; done
	cid=$(cluster_hex etcd1)
	put_keys etcd1 /app/a 1 10

	# the operator copies etcd3's data dir while it is stopped
	stop_node etcd3
	old=$WORK/$SC.etcd3-data-copy
	cp -a "$SCDIR/etcd3/var/lib/etcd" "$old"
	hist "[etcd3] cp -a /var/lib/etcd /root/etcd-data-copy   (copy of the stopped member's data dir)"
	start_node etcd3
	wait_healthy etcd3 30
	put_keys etcd1 /app/b 1 20
	sleep 2
	stop_node etcd3
	# ... and later puts the old copy back
	rm -rf "$SCDIR/etcd3/var/lib/etcd"
	cp -a "$old" "$SCDIR/etcd3/var/lib/etcd"
	rm -rf "$old"
	hist "[etcd3] rm -rf /var/lib/etcd && cp -a /root/etcd-data-copy /var/lib/etcd   (old copy put back)"
	start_node etcd3
	wait_exit etcd3 20 || rc=$?
	((rc != 124)) || die "etcd3 did not exit on its old data dir"
	put_keys etcd1 /app/c 1 3
	for m in "${all[@]}"; do collect_node "$m"; done
	stop_node etcd1
	stop_node etcd2
	package_scenario
	facts_json "${all[@]}"
	grep -q 'is out of range \[lastIndex' "$SCDIR/etcd3/var/log/etcd/etcd.log" ||
		die "etcd-restored-old-member: etcd3 did not panic with tocommit out of range"
	python3 - "$WORK/$SC.facts.json" "$cid" <<'EOF' || die "etcd-restored-old-member self-check failed"
import json, sys
f = {n["node"]: n for n in json.load(open(sys.argv[1]))}
cid = int(sys.argv[2], 16)
assert all(n["wal"]["metadata"]["cluster_id"] == cid for n in f.values())
EOF
	{
		cat <<EOF
etcd-restored-old-member.tar.gz -- a member restarted on an old copy of its data
dir: the leader's commit index is beyond its log and it panics

Scenario (token $token, cluster id $cid)
  1. etcd1, etcd2, etcd3 bootstrap; 10 writes (/app/a/...).
  2. etcd3 stopped (SIGTERM); its data dir copied; etcd3 started again and
     caught up; 20 more writes (/app/b/...) replicated to it; etcd3 stopped.
  3. The old copy of etcd3's data dir put back in place (its WAL now lacks the
     entries the leader knows etcd3 had acknowledged), etcd3 started: the
     leader's heartbeat carries a commit index beyond etcd3's last index and
     etcd3 panics "tocommit(X) is out of range [lastIndex(Y)]. Was the raft log
     corrupted, truncated, or lost?" (exit status $rc).
  4. 3 more writes through etcd1 (/app/c/...); etcdctl output collected; etcd1 and
     etcd2 stopped (SIGTERM).
  Logs: etcd1 and etcd2 zap JSON, etcd3 capnslog text (the panic is on stderr).

Facts to find (summary)
  etcd3's WAL last index is below the commit index its leader sent; etcd3 must be
  removed, its data dir moved aside and the member re-added. Real program output
  except etc/default/etcd and collect.txt (see below).

EOF
		SC_FILE=scenarios-state.sh readme_provenance
	} | write_readme
	IP_BASE=30
}

# ---------------------------------------------------------------------------
sc_etcd_copied_backend() {
	IP_BASE=40
	scenario_begin etcd-copied-backend 23880
	local m all=(etcd1 etcd2 etcd3) token=qs-etcd-copied cid id3 rc=0
	write_env etcd1 new $token zap "${all[@]}"
	write_env etcd2 new $token zap "${all[@]}"
	write_env etcd3 new $token capnslog "${all[@]}"
	for m in "${all[@]}"; do start_node "$m"; done
	for m in "${all[@]}"; do wait_healthy "$m"; done
	cid=$(cluster_hex etcd1)
	put_keys etcd1 /app/a 1 10

	# etcd3 is taken out of the cluster the documented way
	id3=$(member_hex etcd1 etcd3)
	stop_node etcd3
	op etcd1 member remove "$id3" >/dev/null
	put_keys etcd1 /app/b 1 10
	# ... and later "repaired" by copying a healthy member's backend over its
	# own, instead of member add and an empty data dir
	stop_node etcd1
	cp "$SCDIR/etcd1/var/lib/etcd/member/snap/db" "$SCDIR/etcd3/var/lib/etcd/member/snap/db"
	hist "[etcd3] scp etcd1:/var/lib/etcd/member/snap/db /var/lib/etcd/member/snap/db   (backend copied from etcd1, etcd1 stopped for the copy)"
	start_node etcd1
	wait_healthy etcd1 30
	start_node etcd3
	if wait_exit etcd3 10; then rc=0; else rc=$?; fi
	if ((rc == 124)); then stop_node etcd3; fi
	put_keys etcd1 /app/c 1 3
	for m in "${all[@]}"; do collect_node "$m"; done
	stop_node etcd1
	stop_node etcd2
	package_scenario
	facts_json "${all[@]}"
	python3 - "$WORK/$SC.facts.json" <<'EOF' || die "etcd-copied-backend self-check failed"
import json, sys
f = {n["node"]: n for n in json.load(open(sys.argv[1]))}
db = f["etcd3"]["db"]
removed = {m["key"] for m in db["members_removed"]}
# etcd3 replayed its WAL's AddNode entries into the copied backend: it is
# listed as a member and as removed at once
assert any(m["key"] in removed for m in db["members"]), db
EOF
	{
		cat <<EOF
etcd-copied-backend.tar.gz -- a removed member "repaired" by copying a healthy
member's backend (member/snap/db) over its own: its WAL and its backend disagree

Scenario (token $token, cluster id $cid)
  1. etcd1, etcd2, etcd3 bootstrap; 10 writes (/app/a/...).
  2. etcd3 stopped (SIGTERM) and removed with \`etcdctl member remove $id3\`
     on etcd1; 10 writes (/app/b/...).
  3. etcd1 stopped, its member/snap/db copied over etcd3's member/snap/db, etcd1
     started again; then etcd3 started on its own WAL with etcd1's backend
     (exit status $rc; 124 = still running after 10 s, then stopped). etcd 3.4
     rebuilds its membership from the WAL's AddNode entries ("added member ...")
     and writes the members back into the copied backend, whose members_removed
     bucket (from etcd1) still has etcd3; the others answer that it was
     removed and it exits ("the member has been permanently removed").
  4. 3 more writes (/app/c/...); etcdctl output collected; etcd1 and etcd2
     stopped (SIGTERM).
  Logs: etcd1 and etcd2 zap JSON, etcd3 capnslog text.

Facts to find (summary)
  etcd3's WAL membership still has etcd1, etcd2, etcd3 (last change at entry 3);
  its backend (etcd1's copy, consistent index past that) lists the same three in
  members and has etcd3 itself in members_removed: one copy says etcd3 is a
  member and removed at once. Real program output except the
  copied file (a real etcd1 backend, placed by the generator), etc/default/etcd
  and collect.txt.

EOF
		SC_FILE=scenarios-state.sh readme_provenance
	} | write_readme
	IP_BASE=30
}
