# shellcheck shell=bash
# Log-driven etcd scenarios (issue 5: terms racing, pre-vote quorum loss,
# a bootstrap refused for an unequal --initial-cluster).
# Sourced by run.sh after ALL is set; adds its scenarios to ALL and uses
# the lib.sh helpers.  Each sc_* function runs real etcd members, collects,
# stops everything, packages testdata/bundles/<scenario>.tar.gz and writes
# <scenario>.README.
#
# Addresses: the members are named etcd6, etcd7, etcd8, so lib.sh puts them
# on 127.0.0.36-38 with client ports BASE+6..8 and peer ports BASE+26..28:
# no address:port pair of the other scenarios (etcd1..etcd5 on .31-.35).

ALL+=(etcd-leader-flapping etcd-prevote-quorum-loss etcd-bootstrap-unequal)

# logs_ports_free NAME...: scenario_begin checks etcd1..5 only
logs_ports_free() {
	local n hp=()
	for n in "$@"; do
		hp+=("$(ip_of "$n"):$(cport_of "$n")" "$(ip_of "$n"):$(pport_of "$n")")
	done
	check_ports_free "${hp[@]}"
}

# logs_load_start NAME...: a client writing through all members until
# logs_load_stop (a stop file, so no etcdctl is killed half-way)
logs_load_start() {
	local eps="" n
	for n in "$@"; do eps+="${eps:+,}$(curl_of "$n")"; done
	LOAD_STOP=$WORK/$SC.load-stop
	rm -f "$LOAD_STOP"
	(
		i=0
		while [[ ! -e $LOAD_STOP ]]; do
			ETCDCTL_API=3 "$ETCDCTL_BIN" --endpoints="$eps" \
				--dial-timeout=1s --command-timeout=2s \
				put "/load/$((i % 50))" "value-$i" >/dev/null 2>&1 || true
			i=$((i + 1))
			sleep 0.02
		done
	) &
	LOAD_PID=$!
	ALL_PIDS+=("$LOAD_PID")
	hist "client load: etcdctl put /load/<n> in a loop against $eps"
}

# the shared provenance text, with this file's name and addresses
logs_provenance() {
	readme_provenance | sed -e 's|testdata/gen/etcd/scenarios\.sh|testdata/gen/etcd/scenarios-logs.sh|' \
		-e 's|(127\.0\.0\.31\.\., |(127.0.0.36-38, |'
}

logs_load_stop() {
	touch "$LOAD_STOP"
	wait "$LOAD_PID" 2>/dev/null || true
	rm -f "$LOAD_STOP"
	hist "client load stopped"
}

# ---------------------------------------------------------------------------
sc_etcd_leader_flapping() {
	scenario_begin etcd-leader-flapping 23800
	local m all=(etcd6 etcd7 etcd8) token=qs-etcd-leader-flapping
	local round leader leaders="" pid
	logs_ports_free "${all[@]}"
	write_env etcd6 new $token zap "${all[@]}"
	write_env etcd7 new $token capnslog "${all[@]}"
	write_env etcd8 new $token zap "${all[@]}"
	for m in "${all[@]}"; do start_node "$m"; done
	for m in "${all[@]}"; do wait_healthy "$m"; done
	put_keys etcd6 /app/config 1 10
	logs_load_start "${all[@]}"
	sleep 1
	for round in 1 2 3 4 5; do
		leader=""
		for m in "${all[@]}"; do
			leader=$(leader_of "$m")
			[[ -n $leader ]] && break
		done
		[[ -n $leader ]] || die "round $round: no leader found"
		leaders+="${leaders:+ }$leader"
		pid=${PIDS[$leader]}
		# a stalled leader (GC pause, disk stall, VM steal): longer than
		# the 1 s election timeout, shorter than any failure detector
		kill -STOP "$pid"
		hist "[$leader] round $round: kill -STOP $pid (leader frozen for 3 s)"
		sleep 3
		kill -CONT "$pid"
		hist "[$leader] round $round: kill -CONT $pid"
		sleep 3
	done
	logs_load_stop
	leader=$(leader_of etcd6)
	hist "leader seen by etcdctl: ${leader:-none}"
	for m in "${all[@]}"; do collect_node "$m"; done
	for m in "${all[@]}"; do [[ $m == "$leader" ]] || stop_node "$m"; done
	[[ -z $leader ]] || stop_node "$leader"
	package_scenario
	facts_json "${all[@]}"
	local late
	late=$(cat "$SCDIR"/etcd*/var/log/etcd/etcd.log |
		grep -c "failed to send out heartbeat on time" || true)
	((late > 0)) || die "no leader logged a late heartbeat"
	python3 - "$WORK/$SC.facts.json" <<'EOF' || die "etcd-leader-flapping self-check failed"
import json, sys
f = json.load(open(sys.argv[1]))
cids = {n["wal"]["metadata"]["cluster_id"] for n in f}
assert len(cids) == 1, cids
EOF
	{
		cat <<EOF
etcd-leader-flapping.tar.gz -- a 3-member etcd 3.4 cluster whose leader keeps
stalling: terms race, leaders last seconds

Scenario
  Three members etcd6, etcd7, etcd8 (127.0.0.36-38) bootstrapped together (token
  $token, default --heartbeat-interval 100 ms, --election-timeout 1000 ms,
  no pre-vote), 10 puts, then a client writing in a loop through all three
  members. Five rounds: find the leader with etcdctl endpoint status, freeze it
  with SIGSTOP for 3 s (longer than the election timeout: the followers elect a
  new leader at a higher term), SIGCONT it, wait 3 s. Leaders frozen, in order:
  $leaders. On resuming, a frozen leader's overdue heartbeats make it log
  "leader failed to send out heartbeat on time; took too long, leader is
  overloaded likely from slow disk" ($late such lines in the bundle) before it
  learns of the higher term and steps down; its WAL fsync was frozen too, so
  it may also log "slow fdatasync". Then etcdctl output collected on every
  host, clean stops (SIGTERM).
  Logs: etcd6 and etcd8 zap JSON, etcd7 capnslog text.

Facts to find (summary)
  One cluster id, the same membership everywhere (no membership fault).
  Leader elected at about 6 successive terms within ~30 s; each frozen leader held
  its term for a few seconds only: an election storm caused by a stalled
  leader (what a slow disk or a starved CPU does), with late-heartbeat lines as
  the contributing evidence. No quorum loss: a majority was up all the time.
  Leader at collection time: ${leader:-none}

EOF
		logs_provenance
	} | write_readme
}

# ---------------------------------------------------------------------------
sc_etcd_prevote_quorum_loss() {
	scenario_begin etcd-prevote-quorum-loss 23840
	local m all=(etcd6 etcd7 etcd8) token=qs-etcd-prevote leader
	logs_ports_free "${all[@]}"
	write_env etcd6 new $token capnslog "${all[@]}" -- ETCD_PRE_VOTE=true
	write_env etcd7 new $token zap "${all[@]}" -- ETCD_PRE_VOTE=true
	write_env etcd8 new $token zap "${all[@]}" -- ETCD_PRE_VOTE=true
	for m in "${all[@]}"; do start_node "$m"; done
	for m in "${all[@]}"; do wait_healthy "$m"; done
	put_keys etcd8 /app/config 1 15
	leader=$(leader_of etcd8)
	hist "leader seen by etcdctl: ${leader:-none}"
	# two hosts lost at once; etcd8 survives alone
	stop_node etcd6 KILL
	stop_node etcd7 KILL
	sleep 15
	is_running etcd8 || die "the survivor etcd8 exited"
	collect_node etcd8
	stop_node etcd8
	package_scenario
	facts_json "${all[@]}"
	grep -q "became pre-candidate" "$SCDIR/etcd8/var/log/etcd/etcd.log" ||
		die "etcd8 did not pre-campaign"
	python3 - "$WORK/$SC.facts.json" <<'EOF' || die "etcd-prevote-quorum-loss self-check failed"
import json, sys
f = json.load(open(sys.argv[1]))
cids = {n["wal"]["metadata"]["cluster_id"] for n in f}
assert len(cids) == 1, cids
EOF
	{
		cat <<EOF
etcd-prevote-quorum-loss.tar.gz -- two of three etcd members lost; the survivor
pre-campaigns at one term without a leader

Scenario
  Three members etcd6, etcd7, etcd8 (127.0.0.36-38) bootstrapped together (token
  $token) with --pre-vote (ETCD_PRE_VOTE=true; the default from etcd 3.5 on),
  15 puts through etcd8; leader $leader. Then etcd6 and etcd7 are killed
  (SIGKILL: hosts lost, nothing in their own logs), etcd8 keeps running alone for
  15 s: it loses its leader and logs "became pre-candidate at term N" and
  MsgPreVote requests over and over at the SAME term (pre-vote never raises the
  term without a majority), then etcdctl output is collected on etcd8 only
  (endpoint status: "etcdserver: no leader") and etcd8 is stopped (SIGTERM).
  Logs: etcd6 capnslog text, etcd7 and etcd8 zap JSON.

Facts to find (summary)
  Quorum loss: etcd8 alone of three voters, pre-candidate rounds at a constant term,
  no leader after the kills. The best survivor for --force-new-cluster is
  etcd8 (the only member that ran last; all three committed the same writes).

EOF
		logs_provenance
	} | write_readme
}

# ---------------------------------------------------------------------------
sc_etcd_bootstrap_unequal() {
	scenario_begin etcd-bootstrap-unequal 23880
	local m boot=(etcd6 etcd7) token=qs-etcd-bootstrap-unequal rc id8
	logs_ports_free etcd6 etcd7 etcd8
	write_env etcd6 new $token zap "${boot[@]}"
	write_env etcd7 new $token capnslog "${boot[@]}"
	for m in "${boot[@]}"; do start_node "$m"; done
	for m in "${boot[@]}"; do wait_healthy "$m"; done
	put_keys etcd6 /app/config 1 10
	# the operator adds etcd8, then writes its config by hand from an old
	# two-line template: etcd7 is missing from ETCD_INITIAL_CLUSTER
	op etcd6 member add etcd8 --peer-urls="$(purl_of etcd8)" >/dev/null
	# unstarted: no name yet, found by its peer URL
	id8=$(ctl etcd6 member list -w json | python3 -c '
import json, sys
for m in json.load(sys.stdin)["members"]:
    if sys.argv[1] in m["peerURLs"]:
        print("%x" % m["ID"])
' "$(purl_of etcd8)")
	[[ -n $id8 ]] || die "etcd8 not in the member list after member add"
	write_env etcd8 existing $token zap etcd6 etcd8
	start_node etcd8
	rc=0
	wait_exit etcd8 20 || rc=$?
	((rc != 124)) || die "etcd8 with an unequal --initial-cluster kept running"
	grep -q "member count is unequal" "$SCDIR/etcd8/var/log/etcd/etcd.log" ||
		die "etcd8 did not log 'member count is unequal'"
	put_keys etcd7 /app/config 11 15
	local leader
	leader=$(leader_of etcd6)
	hist "leader seen by etcdctl: ${leader:-none}"
	for m in "${boot[@]}"; do collect_node "$m"; done
	for m in "${boot[@]}"; do [[ $m == "$leader" ]] || stop_node "$m"; done
	[[ -z $leader ]] || stop_node "$leader"
	package_scenario
	facts_json etcd6 etcd7 etcd8
	{
		cat <<EOF
etcd-bootstrap-unequal.tar.gz -- a member added with etcdctl member add, started
with an --initial-cluster that lacks one of the cluster's members

Scenario
  Two members etcd6, etcd7 (127.0.0.36-37) bootstrapped together (token $token),
  10 puts. "etcdctl member add etcd8" (id $id8) on etcd6; the operator then
  writes etcd8's /etc/default/etcd with ETCD_INITIAL_CLUSTER_STATE=existing but
  ETCD_INITIAL_CLUSTER listing only etcd6 and etcd8 (etcd7 missing). etcd8
  exits at once: "error validating peerURLs ...: member count is unequal" (zap
  fatal line). It stays down; 5 more puts through etcd7; etcdctl output
  collected on etcd6 and etcd7 (etcd8 never answered), clean stops.
  Logs: etcd6 and etcd8 zap JSON, etcd7 capnslog text.

Facts to find (summary)
  etcd8 refused to start: its --initial-cluster (2 members) differs from the
  cluster's membership (3 members, etcd8 included since member add). The
  cluster counts etcd8 as a voter that never started (added, no name, no client
  URLs): 2 of 3 voters up, no margin left. Repair: start etcd8 with
  --initial-cluster listing etcd6, etcd7 and etcd8 as member add printed it, or
  remove it (etcdctl member remove $id8).

EOF
		logs_provenance
	} | write_readme
}
