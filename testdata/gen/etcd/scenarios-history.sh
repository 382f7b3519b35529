# shellcheck shell=bash
# etcd scenarios for quorumscope issue 10 (diagnosis from each cluster's
# reconstructed history): quorum losses, members added and never started,
# late heartbeats, host names, rolling restarts.  Sourced by run.sh after
# ALL is set; adds its scenarios to ALL; uses hosts.sh.  Every scenario has its
# own names, addresses, data dirs, configuration style, logger and collection
# layout, so that two bundles of one class share nothing but the cause.

# The N_* arrays are hosts.sh's (associative, declared there):
# shellcheck disable=SC2004,SC2034,SC2153

ALL+=(etcd-fnc-prevote etcd-two-dead-campaigning etcd-unstarted-voter-restart
	etcd-unstarted-voter-leader-restart etcd-unstarted-learner-restart etcd-late-heartbeat
	etcd-late-heartbeat-5 etcd-hostnames etcd-hostnames-fqdn etcd-rolling-restart
	etcd-rolling-restart-kubeadm)

# ---------------------------------------------------------------------------
# Rolling restart, Debian packaging: /etc/default/etcd with the unit's own
# defaults (ETCD_NAME=%H, ETCD_DATA_DIR=/var/lib/etcd/default), capnslog text
# in /var/log/etcd/etcd.log, a wrapping directory with one directory per host.
sc_etcd_rolling_restart() {
	hscenario etcd-rolling-restart
	local n i=1 all=(reg-1 reg-2 reg-3) before after order=()
	for n in "${all[@]}"; do
		node_def "$n" ip=127.0.1.10$i cport=42379 pport=42380 data=/var/lib/etcd/default \
			conf=env dest="registry-etcd-support/$n"
		# the Debian unit supplies both (ETCD_NAME=%H, ETCD_DATA_DIR=/var/lib/etcd/default)
		nunset "$n" name
		nunset "$n" data-dir
		i=$((i + 1))
	done
	cluster_def registry-etcd new "${all[@]}"
	MANIFEST=registry-etcd-support/MANIFEST.txt
	hosts_ready
	mkdir -p "$STAGE/registry-etcd-support"
	printf '# registry etcd support collection\n# host  file  time  what\n' >"$STAGE/$MANIFEST"
	start_all "${all[@]}"
	put_keys reg-1 /registry/services 1 12
	before=$(any_leader "${all[@]}")
	say "leader before the rolling restart: $before"
	local t_begin
	t_begin=$(now)
	# one member at a time, each back and healthy (and 5 s settled) before the next
	order=("${all[@]}")
	for n in "${order[@]}"; do
		restart_etcd "$n" 2
		wait_healthy "$n" 40
		say "[$n] etcdctl endpoint health: healthy"
		sleep 5
		put_keys "$n" "/registry/after-$n" 1 3
	done
	after=$(any_leader "${all[@]}")
	say "leader after the rolling restart: $after"
	local nlead
	nlead=$(for n in "${all[@]}"; do n_lines "$n" "became leader at term" "$t_begin"; done | awk '{s += $1} END {print s + 0}')
	((nlead >= 1)) || die "leadership did not move during the rolling restart"
	sleep 2
	collect_all "member-list.txt|member list -w table" \
		"endpoint-status.txt|endpoint status -w table" "endpoint-health.txt|endpoint health"
	stop_all
	pack tree
	hreadme scenarios-history.sh <<EOF
$SC.tar.gz -- a rolling restart of a healthy 3-member etcd 3.4 cluster
(Debian packaging), leadership moving with it

Scenario
  Hosts reg-1, reg-2, reg-3 run etcd from the Debian package's unit with
  /etc/default/etcd (token registry-etcd, name and data dir from the unit's own
  defaults: ETCD_NAME=%H, ETCD_DATA_DIR=/var/lib/etcd/default). 12 writes. Then
  the operator restarts one member at a time (systemctl restart etcd, 2 s
  down), waits until \`etcdctl endpoint health\` is green, waits 5 s more and
  writes 3 keys before going on to the next: reg-1, reg-2, reg-3. Stopping the
  leader makes etcd 3.4 hand leadership over first ("starts leadership
  transfer"); leader before: $before, after: $after (leadership changed hands
  $nlead time(s), see Leaders by term). etcdctl outputs taken on each
  host at the end, data dirs copied while the cluster ran idle, then all stopped
  (not in the bundle).
  Logs: capnslog text (3.4 default), stdout/stderr to /var/log/etcd/etcd.log.
  Layout: registry-etcd-support/<host>/ with etc/default/etcd, var/lib/etcd/default,
  var/log/etcd/etcd.log, etcdctl/*.txt, and registry-etcd-support/MANIFEST.txt.

Expected diagnosis
  Healthy: no finding. One cluster, three voters, every member restarted once,
  one at a time; at every moment at least 2 of 3 voters were up, so quorum was
  never lost (the short leaderless moments of the handovers are elections, not
  outages). Leadership moved with the transfers the restarts caused ($nlead
  time(s); $before before, $after after). Nothing to repair.
  $(hb_noise)
EOF
}

# ---------------------------------------------------------------------------
# Two of three hosts lost (the leader among them), the survivor pre-campaigns
# (--pre-vote) until the operator forces a new cluster out of it; one lost
# host comes back, is rejected, and is re-added as a new member; the other
# never comes back (no files of it at all).  Debian EnvironmentFile with
# DAEMON_ARGS, zap JSON in the journal, one support tarball per host.
sc_etcd_fnc_prevote() { attempts 2 fnc_prevote_body; }
fnc_prevote_body() {
	hscenario etcd-fnc-prevote
	local n i=1 all=(infra-1 infra-2 infra-3) stamp lead fol surv gone back st
	stamp=$(support_stamp)
	for n in "${all[@]}"; do
		node_def "$n" ip=127.0.1.1$i cport=41379 pport=41380 data=/var/lib/etcd conf=env logger=zap \
			logout=journal logpath=logs/journalctl-u-etcd.txt dest="$n-etcd-support-$stamp"
		nset "$n" pre-vote true
		N_DAEMON[$n]="pre-vote logger"
		i=$((i + 1))
	done
	bootstrap infra-etcd-prod "${all[@]}"
	put_keys infra-1 /infra/dns 1 15
	lead=$(any_leader "${all[@]}")
	mapfile -t fol < <(followers_of "$lead" "${all[@]}")
	surv=${fol[1]} back=${fol[0]} gone=$lead
	say "leader: $lead"
	local cid ids
	cid=$(clusterhex "$surv")
	ids="$lead=$(idhex "$lead" "$surv") $back=$(idhex "$back" "$surv") $surv=$(idhex "$surv" "$surv")"
	# two hosts lost within a second: the leader and one follower
	local t_kill
	t_kill=$(now)
	stop_etcd "$gone" KILL
	sleep 0.4
	stop_etcd "$back" KILL
	sleep 20
	running "$surv" || die "survivor $surv exited"
	local w_s w_b w_g best
	w_s=$(walinfo "$surv") w_b=$(walinfo "$back") w_g=$(walinfo "$gone")
	best=$(most_log "$gone" "$back" "$surv")
	probe_header "$surv" outage/etcdctl-during-outage.txt
	probe "$surv" outage/etcdctl-during-outage.txt transcript "|endpoint status -w table" \
		"|endpoint health" "|member list -w table" "|put /infra/probe ping"
	local t_lost precand term_pre
	t_lost=$(t_first "$surv" "lost leader" "$t_kill")
	precand=$(n_lines "$surv" "became pre-candidate")
	term_pre=$(g_lines "$surv" "became pre-candidate at term" 1 | grep -o 'at term [0-9]*' | head -1)
	if ((precand < 5)); then RETRY_WHY="survivor pre-campaigned only $precand times"; return; fi
	if [[ $(n_lines "$surv" "became candidate at term") != 0 ]]; then
		# a real candidacy (term raised) needs a pre-vote majority: must not happen
		RETRY_WHY="survivor became candidate"
		return
	fi
	# recovery: force a new cluster out of the survivor, then take the flag out again
	nset "$surv" force-new-cluster true
	reconfigure "$surv" 'ETCD_FORCE_NEW_CLUSTER="true" appended to /etc/default/etcd'
	restart_etcd "$surv" 1
	wait_healthy "$surv" 30
	local t_fnc_lead
	t_fnc_lead=$(t_last "$surv" "became leader at term")
	nunset "$surv" force-new-cluster
	reconfigure "$surv" 'ETCD_FORCE_NEW_CLUSTER line removed again'
	restart_etcd "$surv" 1
	wait_healthy "$surv" 30
	put_keys "$surv" /infra/dns 16 25
	# the lost follower's host reboots: etcd.service starts on its old data dir
	say "[$back] host back after a reboot (etcd.service enabled)"
	start_etcd "$back"
	wait_exit_etcd "$back" 20 || die "$back kept running on its old data dir"
	st=$WAITED_STATUS
	say "[$back] etcd exited by itself (status $st)"
	[[ $(n_lines "$back" "permanently removed from the cluster") -ge 1 ]] ||
		die "$back was not told it was removed"
	# ... and is re-added properly
	op "$surv" member add "$back" --peer-urls="${N_PURL[$back]}" >/dev/null
	opsh "$back" "mv /var/lib/etcd/member /var/lib/etcd/member.old-$(date -u +%Y%m%d)"
	nset "$back" initial-cluster "$surv=${N_PURL[$surv]},$back=${N_PURL[$back]}"
	nset "$back" initial-cluster-state existing
	reconfigure "$back" "ETCD_INITIAL_CLUSTER=$surv,$back as member add printed it, ETCD_INITIAL_CLUSTER_STATE=existing"
	start_etcd "$back"
	wait_healthy "$back" 40
	put_keys "$back" /infra/dns 26 30
	local newid
	newid=$(idhex "$back" "$surv")
	sleep 2
	for n in "$surv" "$back"; do
		probe "$n" etcdctl files "member-list.json|member list -w json" \
			"endpoint-status.json|endpoint status -w json" "endpoint-health.txt|endpoint health"
		collect "$n"
	done
	say "[$gone] host still down: no support tarball"
	stop_all
	pack pernode
	hreadme scenarios-history.sh <<EOF
$SC.tar.gz -- two of three etcd members lost at once (the leader among them);
the survivor pre-campaigns until --force-new-cluster; a lost member rejoins as a new member

Scenario (token infra-etcd-prod, cluster id $cid; ids $ids)
  1. infra-1, infra-2, infra-3 bootstrap with --pre-vote (DAEMON_ARGS in
     /etc/default/etcd); 15 writes; leader $lead.
  2. $(tm "$t_kill"): the hosts of $gone (leader) and $back are lost (SIGKILL, 0.4 s apart;
     nothing in their own logs). $surv alone: "lost leader" at $(tm "$t_lost"), then
     pre-candidate over and over ($precand lines, all $term_pre: pre-vote does not
     raise the term without a majority). The operator's etcdctl session on $surv
     during the outage is in $surv-etcd-support-*/outage/ (no leader, unhealthy,
     the put times out).
  3. The operator appends ETCD_FORCE_NEW_CLUSTER="true" to $surv's
     /etc/default/etcd and restarts it: $surv removes the two others from its
     membership and leads alone (became leader at $(tm "$t_fnc_lead")); the line is
     removed and etcd restarted once more; 10 writes.
  4. $back's host reboots and etcd.service starts on the old data dir: $surv
     answers that the member was removed; $back logs "the member has been
     permanently removed from the cluster" and exits (status $st). The operator
     re-adds it: \`member add $back\` (new id $newid), moves the old member dir
     aside (/var/lib/etcd/member.old-*), sets ETCD_INITIAL_CLUSTER_STATE=existing
     and starts it: it joins; 5 writes.
  5. $gone's host never comes back: there is no support tarball of it; it is
     known only from the others' data and logs.
  Logs: zap JSON in the journal (journalctl -u etcd, with systemd's lines).
  Layout: one tarball per host, $surv-etcd-support-$stamp.tar.gz and
  $back-etcd-support-$stamp.tar.gz, at the top of the outer tarball.

Expected diagnosis
  Cause: quorum loss. At $(tm "$t_kill") two of three voters went down within a
  second with no line of their own ($gone, the leader, and $back: logs end,
  peers report them inactive; $gone is not in the bundle at all). The survivor
  $surv had 1 of 3 voters, majority 2: leaderless from $(tm "$t_lost") (lost
  leader) to the forced recovery, pre-campaigning at a constant term. Leaders:
  $lead for the first term; nobody until $surv after --force-new-cluster.
  Consequences: the forced recovery at $(tm "$t_fnc_lead") made $surv a one-member cluster
  (same cluster id, the others removed: quorum regained by shrinking the
  membership); $back's restart on its old data dir was refused ("permanently
  removed"), then it was re-added as a new member ($newid) and joined; the
  cluster at collection time has 2 voters, both up ($surv, $back), and
  $gone's old member id is gone from the membership.
  Raft logs at the loss (WALs 20 s after the kills): $surv $w_s; $back $w_b;
  $gone $w_g (not in the bundle). Most log: $best$([[ $best == "$surv" ]] &&
		echo "; the survivor holds as much as anyone, so the force lost nothing committed" ||
		echo "; the survivor holds less").
  Leftover: $back's /var/lib/etcd/member.old-* (its member dir from before the
  removal, not a live member).
EOF
}

# ---------------------------------------------------------------------------
# Two of three hosts lost one after the other (a follower, then the leader);
# the survivor campaigns with a rising term (no pre-vote) until collection.
# etcd.conf.yml + unit, capnslog text in the journal, host directories at the
# top of the tarball, the survivor's etcdctl session as one transcript.
sc_etcd_two_dead_campaigning() { attempts 2 two_dead_body; }
two_dead_body() {
	hscenario etcd-two-dead-campaigning
	local n i=1 all=(kv-a kv-b kv-c) lead fol first surv cid
	for n in "${all[@]}"; do
		node_def "$n" ip=127.0.1.2$i cport=3310$i pport=3320$i data=/srv/etcd/data conf=yaml \
			logout=journal logpath=journal.txt dest="$n"
		i=$((i + 1))
	done
	bootstrap kv-prod-7f3a "${all[@]}"
	put_keys kv-a /kv/users 1 12
	lead=$(any_leader "${all[@]}")
	mapfile -t fol < <(followers_of "$lead" "${all[@]}")
	first=${fol[0]} surv=${fol[1]}
	cid=$(clusterhex "$surv")
	say "leader: $lead"
	local t1 t2
	t1=$(now)
	stop_etcd "$first" KILL
	sleep 12
	put_keys "$lead" /kv/users 13 18
	t2=$(now)
	stop_etcd "$lead" KILL
	sleep 18
	running "$surv" || die "survivor exited"
	local t_lost cands first_term last_term
	t_lost=$(t_first "$surv" "lost leader" "$t2")
	cands=$(n_lines "$surv" "became candidate at term")
	first_term=$(g_lines "$surv" "became candidate at term" 1 | grep -o 'term [0-9]*' | tail -1)
	last_term=$(g_lines "$surv" "became candidate at term" 999 | tail -1 | grep -o 'term [0-9]*' | tail -1)
	((cands >= 5)) || { RETRY_WHY="survivor campaigned only $cands times"; return; }
	probe_header "$surv" etcdctl-session.txt
	probe "$surv" etcdctl-session.txt transcript "|endpoint status -w table" "|endpoint health" \
		"|member list -w json" "|endpoint status --cluster -w table" "|endpoint health --cluster"
	collect "$surv"
	say "collected $surv while it ran (data dir copied live)"
	for n in "$first" "$lead"; do collect "$n"; done
	say "files of $first and $lead taken from their disks later (etcd not running there)"
	stop_etcd "$surv"
	pack tree
	local wa wb wc best
	wa=$(walinfo "$surv") wb=$(walinfo "$first") wc=$(walinfo "$lead")
	best=$(most_log "$first" "$lead" "$surv")
	hreadme scenarios-history.sh <<EOF
$SC.tar.gz -- two of three etcd members lost one after the other; the survivor
campaigns with a rising term and no leader until the bundle is collected

Scenario (token kv-prod-7f3a, cluster id $cid)
  1. kv-a, kv-b, kv-c bootstrap (3.4 default: no pre-vote); 12 writes; leader $lead.
  2. $(tm "$t1"): the host of $first (a follower) is lost (SIGKILL; its log just
     ends). The cluster goes on with 2 of 3: 6 more writes through $lead.
  3. $(tm "$t2"): the host of $lead (the leader) is lost as well. $surv alone:
     "lost leader" at $(tm "$t_lost"), then "became candidate" $cands times, $first_term .. $last_term
     (every election timeout a new term: no pre-vote).
  4. Collected while $surv still campaigned: its etcdctl session (one file,
     $surv/etcdctl-session.txt: a timestamp header, then each command after a
     shell prompt: endpoint status and health fail for lack of a leader, member
     list answers, --cluster commands get connection refused from the dead
     members), its journal up to that moment and a live copy of its data dir.
     The files of $first and $lead were taken from their disks afterwards (etcd
     not running there; their journals end with the loss). Then $surv was stopped
     (not in the bundle).
  Logs: capnslog text (no --logger in etcd.conf.yml) in the journal.
  Layout: host directories at the top of the tarball (kv-a/, kv-b/, kv-c/), each
  with etc/etcd/etcd.conf.yml, etc/systemd/system/etcd.service, srv/etcd/data,
  journal.txt.

Expected diagnosis
  Cause: quorum loss, still ongoing at collection time. $first went down at
  $(tm "$t1") (log ends, peers report it inactive): 2 of 3 voters, still a
  majority, no outage. $lead went down at $(tm "$t2") (log ends): 1 of 3 voters,
  majority 2, quorum lost from then on. Leader $lead until $(tm "$t2"); no leader
  from $(tm "$t_lost") ($surv lost leader) to the end; $surv campaigns $first_term .. $last_term.
  The collection-time probes agree: $surv answers but has no leader, the two
  others refuse connections. Raft logs (WALs as collected): $surv $wa; $first $wb;
  $lead $wc.
  Most log: $best (highest last entry term, then index)$([[ $best == "$surv" ]] &&
		echo "; the survivor $surv holds as much as anyone" || echo "; the survivor $surv holds less").
  Repair: bring $first or $lead back (either restores the majority), or
  --force-new-cluster on the member with the most log.
EOF
}

# ---------------------------------------------------------------------------
# A member added with `etcdctl member add` and never started (4 voters, 3
# running), then a routine restart of a follower: 2 of 4 for some seconds, a
# real quorum loss.  systemd unit with the flags on ExecStart (and a drop-in),
# capnslog text in /var/log/etcd/etcd.log, a wrapping directory.
sc_etcd_unstarted_voter_restart() { attempts 2 unstarted_voter_body; }
unstarted_voter_body() {
	hscenario etcd-unstarted-voter-restart
	local n i=1 all=(alpha bravo charlie) lead f cid id4 durl=http://127.0.1.34:36004
	for n in "${all[@]}"; do
		node_def "$n" ip=127.0.1.3$i cport=3500$i pport=3600$i data=/var/lib/etcd conf=unit \
			dest="etcd-case-0815/$n"
		nset "$n" snapshot-count 5000
		N_DROPIN[$n]="snapshot-count"
		i=$((i + 1))
	done
	bootstrap ops-cluster-2026 "${all[@]}" -- 127.0.1.34:36004
	put_keys alpha /app/cfg 1 10
	cid=$(clusterhex alpha)
	op alpha member add delta --peer-urls="$durl" >/dev/null
	id4=$(nctl alpha member list -w json | python3 -c '
import json, sys
for m in json.load(sys.stdin)["members"]:
    if sys.argv[1] in m["peerURLs"]:
        print("%x" % m["ID"])' "$durl")
	say "(delta's host is never provisioned: etcd is not started there)"
	sleep 15
	put_keys alpha /app/cfg 11 15
	lead=$(any_leader "${all[@]}")
	f=$(followers_of "$lead" "${all[@]}" | head -1)
	say "leader: $lead; routine restart of $f (package upgrade)"
	local t_stop t_down t_back t_lead
	t_stop=$(now)
	restart_etcd "$f" 6
	wait_healthy "$f" 40
	t_down=$(t_first "$lead" "stepped down to follower since quorum is not active|lost leader" "$t_stop")
	t_lead=$(for n in "${all[@]}"; do t_first "$n" "became leader at term" "$t_stop"; done | sort -n | head -1)
	t_back=$(t_first "$f" "etcd Version|starting an etcd server" "$t_stop")
	[[ -n $t_down ]] || { RETRY_WHY="the leader did not step down while $f was down"; return; }
	put_keys "$lead" /app/cfg 16 20
	sleep 2
	collect_all "member-list.txt|member list -w table" \
		"member-list.json|member list -w json" "endpoint-status.json|endpoint status -w json"
	stop_all
	pack tree
	hreadme scenarios-history.sh <<EOF
$SC.tar.gz -- a member added and never started, then a routine restart of a
follower: 2 of 4 voters up for some seconds, a real quorum loss

Scenario (token ops-cluster-2026, cluster id $cid)
  1. alpha, bravo, charlie bootstrap; 10 writes.
  2. \`etcdctl member add delta --peer-urls=$durl\` on alpha: delta (id $id4)
     is a voter from then on (4 voters, majority 3) but its host is never
     provisioned: nothing listens at $durl, no delta directory in the bundle.
     3 of 4 voters run, so the cluster still works (5 more writes).
  3. Routine restart of $f (a follower; leader $lead): systemctl restart etcd with 6 s
     of package upgrade in between: SIGTERM at $(tm "$t_stop"), etcd up again at $(tm "$t_back").
     With $f down only 2 of 4 voters run: the leader $lead steps down (CheckQuorum:
     "stepped down to follower since quorum is not active" / lost leader at
     $(tm "$t_down")) and nobody can be elected until $f is back; the next leader at
     $(tm "$t_lead"). 5 writes after.
  4. etcdctl outputs on every host (member list shows delta as "unstarted", no
     name), data dirs copied idle, all stopped.
  Configuration: /etc/systemd/system/etcd.service with the flags on ExecStart,
  a drop-in etcd.service.d/10-tuning.conf (ETCD_SNAPSHOT_COUNT).
  Logs: capnslog text in /var/log/etcd/etcd.log.
  Layout: etcd-case-0815/<host>/...

Expected diagnosis
  Cause: delta ($id4) was added as a voter and never started, so the
  cluster of 4 voters had no failure margin (3 up, majority 3). Consequence:
  quorum loss from $(tm "$t_stop") ($f stopped for a routine restart; 2 of 4 voters
  up) until $(tm "$t_lead") (after $f was back at $(tm "$t_back")): leader $lead stepped down at
  $(tm "$t_down"), no leader in between. Leaders: $lead before, the one elected at
  $(tm "$t_lead") after (see Leaders by term). No member lost data; all three
  running members end with the same log. Repair: start delta with the settings
  member add printed, or \`etcdctl member remove $id4\`.
EOF
}

# ---------------------------------------------------------------------------
# The same cause in another shape: a member added by a control-plane join that
# failed before its etcd started; then the LEADER's static pod is restarted
# (leadership transfer, then the new leader has 2 of 4 and steps down).
# kubeadm static pod manifests, zap JSON in kubelet's CRI log files, one
# tarball per host under support/.
sc_etcd_unstarted_voter_leader_restart() { attempts 2 unstarted_leader_body; }
unstarted_leader_body() {
	hscenario etcd-unstarted-voter-leader-restart
	local n i=1 all=(db-1 db-2 db-3) lead cid id4 durl=http://127.0.1.44:38380
	for n in "${all[@]}"; do
		node_def "$n" ip=127.0.1.4$i cport=38379 pport=38380 data=/var/lib/etcd conf=kubeadm \
			logger=zap logout=pods dest="$n"
		nset "$n" snapshot-count 10000
		i=$((i + 1))
	done
	bootstrap k8s-etcd-cluster "${all[@]}" -- 127.0.1.44:38380 127.0.1.44:38379
	put_keys db-1 /registry/pods/default 1 12
	cid=$(clusterhex db-1)
	say "[db-4] kubeadm join --control-plane: the etcd member is announced to the cluster, then the join fails before db-4's etcd static pod starts"
	op db-1 member add db-4 --peer-urls="$durl" >/dev/null
	id4=$(nctl db-1 member list -w json | python3 -c '
import json, sys
for m in json.load(sys.stdin)["members"]:
    if sys.argv[1] in m["peerURLs"]:
        print("%x" % m["ID"])' "$durl")
	sleep 15
	put_keys db-2 /registry/pods/default 13 16
	lead=$(any_leader "${all[@]}")
	say "leader: $lead; its etcd static pod is restarted (container stopped, kubelet starts a new one)"
	local t_stop t_back t_lead t_transfer t_down newlead
	t_stop=$(now)
	restart_etcd "$lead" 5
	wait_healthy "$lead" 40
	t_transfer=$(t_first "$lead" "leadership transfer finished|finished leadership transfer" "$t_stop")
	t_back=$(t_first "$lead" "etcd-version|etcd Version" "$t_stop")
	t_down=$(for n in "${all[@]}"; do t_first "$n" "stepped down to follower since quorum is not active" "$t_stop"; done | sort -n | head -1)
	t_lead=$(for n in "${all[@]}"; do t_first "$n" "became leader at term" "$t_back"; done | sort -n | head -1)
	[[ -n $t_down ]] || { RETRY_WHY="nobody stepped down for lack of quorum"; return; }
	[[ -n $t_transfer ]] || { RETRY_WHY="no leadership transfer"; return; }
	local transferee
	transferee=$(leader_after "$t_stop" "${all[@]}")
	local relead
	relead=$(leader_after "$t_back" "${all[@]}")
	put_keys db-3 /registry/pods/default 17 20
	newlead=$(any_leader "${all[@]}")
	sleep 2
	collect_all "member-list.json|member list -w json" \
		"endpoint-status.txt|endpoint status -w table" "endpoint-health.txt|endpoint health"
	stop_all
	pack pernode support
	hreadme scenarios-history.sh <<EOF
$SC.tar.gz -- a member added by a failed control-plane join (never started),
then the leader's etcd pod restarted: leadership moves, then quorum is lost

Scenario (token k8s-etcd-cluster, cluster id $cid)
  1. db-1, db-2, db-3 run etcd as kubeadm static pods (flags in
     /etc/kubernetes/manifests/etcd.yaml, --logger=zap); 12 writes.
  2. A control-plane join of db-4 announces its etcd member (\`etcdctl member
     add db-4 --peer-urls=$durl\`, id $id4) and fails before db-4's etcd
     starts: 4 voters, 3 running, majority 3. No db-4 files.
  3. The leader $lead's etcd container is restarted (SIGTERM at $(tm "$t_stop"), a new
     container 5 s later: a new CRI log file 1.log). Stopping, it hands
     leadership over to $transferee (transfer finished $(tm "$t_transfer")); $transferee has 2 of 4
     voters and steps down ("stepped down to follower since quorum is not
     active" at $(tm "$t_down")); no leader until $lead is back ($(tm "$t_back")); next
     leader elected at $(tm "$t_lead"). Leader at collection time: $newlead.
  Logs: zap JSON in var/log/pods/kube-system_etcd-<host>_<uid>/etcd/N.log (CRI
  format, N = container restart count).
  Layout: support/db-1.tar.gz, support/db-2.tar.gz, support/db-3.tar.gz inside
  the outer tarball; each holds <host>/etc/kubernetes/manifests/etcd.yaml,
  var/lib/etcd, var/log/pods/..., etcdctl/.

Expected diagnosis
  Cause: db-4 ($id4) is a voter that never started: 4 voters, 3 running,
  no failure margin. Consequence: quorum loss from $(tm "$t_stop") ($lead's
  restart; after the leadership transfer only 2 of 4 voters ran) to $(tm "$t_lead");
  the transferee $transferee stepped down at $(tm "$t_down"). Leaders: $lead until the
  transfer, $transferee briefly, nobody from $(tm "$t_down"), then $relead from $(tm "$t_lead")
  (see Leaders by term). No data lost. Repair: finish db-4's join (start its
  etcd) or \`etcdctl member remove $id4\`.
EOF
}

# ---------------------------------------------------------------------------
# The counter-example: the member added and never started is a LEARNER (it
# does not count toward the majority; 3.4 refuses to promote it while it is
# not in sync), then a routine restart of a follower: 2 of 3 voters, no
# quorum loss.  Unit + drop-in holding the cluster settings, zap JSON in the
# journal, a wrapping directory.
sc_etcd_unstarted_learner_restart() { attempts 2 unstarted_learner_body; }
unstarted_learner_body() {
	hscenario etcd-unstarted-learner-restart
	local n i=1 all=(cfg-east-1 cfg-east-2 cfg-east-3) lead f cid id4 lurl=http://127.0.1.54:47024
	for n in "${all[@]}"; do
		node_def "$n" ip=127.0.1.5$i cport=4701$i pport=4702$i data=/opt/etcd/data conf=unit \
			logger=zap logout=journal logpath=journalctl_etcd.log dest="cfg-east-etcd/$n"
		i=$((i + 1))
	done
	cluster_def cfg-east new "${all[@]}"
	for n in "${all[@]}"; do N_DROPIN[$n]="initial-cluster initial-cluster-token initial-cluster-state"; done
	hosts_ready 127.0.1.54:47024 127.0.1.54:47014
	start_all "${all[@]}"
	put_keys cfg-east-1 /config/east 1 10
	cid=$(clusterhex cfg-east-1)
	op cfg-east-1 member add cfg-east-4 --learner --peer-urls="$lurl" >/dev/null
	id4=$(nctl cfg-east-1 member list -w json | python3 -c '
import json, sys
for m in json.load(sys.stdin)["members"]:
    if sys.argv[1] in m["peerURLs"]:
        print("%x" % m["ID"])' "$lurl")
	say "(cfg-east-4's etcd is never started)"
	sleep 5
	local promo
	promo=$(op cfg-east-1 member promote "$id4" 2>&1) || true
	[[ $promo == *"can only promote a learner member which is in sync with leader"* ]] ||
		die "member promote of an unstarted learner: unexpected answer: $promo"
	mkdir -p "$STAGE/cfg-east-etcd/cfg-east-1/root"
	printf 'root@cfg-east-1:~# etcdctl member promote %s\n%s\n' "$id4" "$promo" >"$STAGE/cfg-east-etcd/cfg-east-1/root/promote.out"
	sleep 10
	lead=$(any_leader "${all[@]}")
	f=$(followers_of "$lead" "${all[@]}" | head -1)
	say "leader: $lead; routine restart of $f"
	local t_stop t_back
	t_stop=$(now)
	say "[$f] systemctl restart etcd"
	stop_etcd "$f"
	sleep 2
	put_keys "$lead" /config/east 11 15
	sleep 4
	QUIET_START=1 start_etcd "$f"
	wait_healthy "$f" 40
	t_back=$(t_first "$f" "ready to serve client requests|serving client traffic" "$t_stop")
	local n_down
	n_down=$(for n in "${all[@]}"; do n_lines "$n" "stepped down to follower since quorum is not active|lost leader"; done | awk '{s += $1} END {print s + 0}')
	# lost-leader lines are only expected from the restarted member itself at its shutdown
	if [[ $(n_lines "$lead" "stepped down to follower since quorum is not active|lost leader") != 0 ]]; then
		RETRY_WHY="the leader lost its leadership ($n_down lines)"
		return
	fi
	sleep 2
	collect_all "member-list.txt|member list -w table" \
		"endpoint-status.txt|endpoint status -w table"
	stop_all
	pack tree
	hreadme scenarios-history.sh <<EOF
$SC.tar.gz -- a learner added and never started, then a routine restart of a
follower: no quorum loss (a learner is not a voter)

Scenario (token cfg-east, cluster id $cid)
  1. cfg-east-1, -2, -3 bootstrap; 10 writes. Their /etc/systemd/system/etcd.service
     has the node's own flags on ExecStart; the cluster settings
     (ETCD_INITIAL_CLUSTER, _TOKEN, _STATE) come from the drop-in
     etcd.service.d/10-tuning.conf.
  2. \`etcdctl member add cfg-east-4 --learner --peer-urls=$lurl\`: a learner
     (id $id4) that is never started. \`etcdctl member promote $id4\` is refused:
     "$(tail -1 <<<"$promo")"
     (saved in cfg-east-1/root/promote.out).
  3. Routine restart of $f (leader $lead): SIGTERM at $(tm "$t_stop"), 5 writes through $lead
     while it is down (2 of 3 voters: they succeed), back and ready at $(tm "$t_back").
     $lead stays leader throughout.
  4. etcdctl outputs (member list: cfg-east-4 unstarted, IS LEARNER true), data
     dirs copied idle, all stopped.
  Logs: zap JSON in the journal (journalctl_etcd.log).
  Layout: cfg-east-etcd/<host>/ with etc/systemd/system/etcd.service(.d), opt/etcd/data, ...

Expected diagnosis
  Healthy as far as quorum goes: voters cfg-east-1..3 (majority 2), the learner
  cfg-east-4 does not count. While $f restarted ($(tm "$t_stop") .. $(tm "$t_back")) 2 of 3 voters
  ran: no quorum loss, no leader change ($lead led the whole time). At most an
  informational note: a learner ($id4) was added and never started (it cannot be
  promoted until it runs and catches up; \`etcdctl member remove $id4\` if it is
  not wanted).
  $(hb_noise)
EOF
}

# ---------------------------------------------------------------------------
# Late heartbeats on a healthy cluster: the leader stalls for ~160 ms a few
# times (SIGSTOP/SIGCONT, standing in for a VM pause) with heartbeat 100 ms and
# election timeout 1000 ms: "failed to send out heartbeat on time" some tens of
# ms late, no election.  EnvironmentFile, capnslog text in a file, a wrapper dir.
sc_etcd_late_heartbeat() { attempts 3 late_heartbeat_body; }
late_heartbeat_body() {
	hscenario etcd-late-heartbeat
	local n i=1 all=(meta-1 meta-2 meta-3)
	for n in "${all[@]}"; do
		node_def "$n" ip=127.0.1.6$i cport=45379 pport=45380 data=/var/lib/etcd/meta.etcd conf=env \
			dest="meta-etcd-bundle/$n"
		nset "$n" heartbeat-interval 100
		nset "$n" election-timeout 1000
		i=$((i + 1))
	done
	bootstrap meta-etcd "${all[@]}"
	put_keys meta-1 /meta/schema 1 10
	sleep 3
	stall_leader "${all[@]}" 0.16 2 6 100 || return 0
	put_keys meta-2 /meta/schema 11 15
	sleep 2
	collect_all "endpoint-status.txt|endpoint status -w table" \
		"endpoint-health.txt|endpoint health" "member-list.txt|member list -w table"
	stop_all
	pack tree
	late_heartbeat_readme 100 1000 capnslog "meta-etcd-bundle/<host>/ with etc/default/etcd, var/lib/etcd/meta.etcd, var/log/etcd/etcd.log, etcdctl/*.txt"
}

# stall_leader NAME... SECONDS WANT MAX HEARTBEAT_MS: freeze the leader for
# SECONDS until WANT stalls produced late-heartbeat lines (at most MAX
# stalls); sets STALL_* for the README; RETRY_WHY when the story went wrong
stall_leader() {
	local args=("$@") k=$((${#@} - 4))
	local nodes=("${args[@]:0:k}") secs=${args[k]} want=${args[k + 1]} max=${args[k + 2]} hb=${args[k + 3]}
	local lead pid before after got=0 s m t0 terms0 terms1
	lead=$(any_leader "${nodes[@]}")
	pid=${N_PID[$lead]}
	STALL_LEADER=$lead STALL_TIMES=""
	terms0=$(for m in "${nodes[@]}"; do n_lines "$m" "became leader at term"; done | awk '{s += $1} END {print s}')
	for ((s = 1; s <= max && got < want; s++)); do
		before=$(n_lines "$lead" "heartbeat on time")
		t0=$(now)
		kill -STOP "$pid"
		sleep "$secs"
		kill -CONT "$pid"
		say "[$lead] leader host stalled ~${secs}s (SIGSTOP/SIGCONT of pid $pid: a VM pause)"
		sleep 6
		after=$(n_lines "$lead" "heartbeat on time")
		if ((after > before)); then
			got=$((got + 1))
			STALL_TIMES+="${STALL_TIMES:+, }$(tm "$t0")"
		fi
	done
	terms1=$(for m in "${nodes[@]}"; do n_lines "$m" "became leader at term"; done | awk '{s += $1} END {print s}')
	STALL_N=$((s - 1)) STALL_GOT=$got
	STALL_LINES=$(g_lines "$lead" "heartbeat on time" 20)
	if ((got < want)); then RETRY_WHY="only $got of $STALL_N stalls gave late heartbeats"; return 1; fi
	if ((terms1 != terms0)); then RETRY_WHY="a stall caused an election"; return 1; fi
	# the excess: capnslog "... timeout for 12.3ms, to ...", zap "exceeded-duration":"12.3ms"
	STALL_WORST=$(python3 -c '
import re, sys
best = 0.0
for line in sys.stdin:
    m = re.search(r"timeout for ([0-9.]+)(µs|us|ms|s)\b|\"exceeded-duration\":\"([0-9.]+)(µs|us|ms|s)\"", line)
    if m:
        v, u = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        best = max(best, float(v) * {"s": 1000, "ms": 1, "us": 0.001, "µs": 0.001}[u])
print("%.1f ms" % best)' <<<"$STALL_LINES")
	if [[ ${STALL_WORST%% *} == 0.0 ]] || ((${STALL_WORST%%.*} >= hb)); then
		RETRY_WHY="late by $STALL_WORST"
		return 1
	fi
	return 0
}

late_heartbeat_readme() {
	local hb=$1 et=$2 logger=$3 layout=$4 cid
	cid=$(python3 "$GEN_DIR/history.py" wal "$SCDIR/root/${NODES[0]}${N_DATA[${NODES[0]}]}/member/wal" |
		python3 -c 'import json,sys; print("%x" % json.load(sys.stdin)["metadata"]["cluster_id"])')
	hreadme scenarios-history.sh <<EOF
$SC.tar.gz -- a healthy ${#NODES[@]}-member etcd cluster whose leader logged a few
heartbeats some tens of milliseconds late (heartbeat $hb ms, election timeout $et ms)

Scenario (cluster id $cid)
  ${NODES[*]} bootstrap with --heartbeat-interval $hb --election-timeout $et;
  writes. The leader $STALL_LEADER's host stalls $STALL_N times (the generator
  freezes etcd with SIGSTOP for about as long as two heartbeat intervals and
  resumes it with SIGCONT: what a VM pause or a long GC stop looks like); $STALL_GOT of
  the stalls (at $STALL_TIMES) made the leader log that it failed to send a
  heartbeat on time (etcdserver/raft.go: logged when two heartbeats to one
  follower are more than 2 x heartbeat-interval apart). Worst excess: $STALL_WORST.
  No follower's election timeout ran out: no election, no term change, the
  same leader throughout. More writes, etcdctl outputs, data dirs copied idle.
  The late-heartbeat lines, verbatim:
$(sed 's/^/    /' <<<"$STALL_LINES")
  Logs: $logger.
  Layout: $layout.

Expected diagnosis
  Healthy: no finding. The heartbeats were late by at most $STALL_WORST while a
  follower only starts an election after $et ms without one: the danger
  threshold follows from the cluster's own election timeout ($et ms), and these
  delays are far below it. No election happened, $STALL_LEADER led throughout,
  every member up. (At most an informational note naming the late heartbeats
  and the threshold.)
EOF
}

# ---------------------------------------------------------------------------
# The same on five members with slower timers: heartbeat 250 ms, election
# 2500 ms (etcd.conf.yml), zap JSON in the journal, one tarball per host in a
# directory of the outer tarball.
sc_etcd_late_heartbeat_5() { attempts 3 late_heartbeat_5_body; }
late_heartbeat_5_body() {
	hscenario etcd-late-heartbeat-5
	local n i=1 all=(ledger-a ledger-b ledger-c ledger-d ledger-e) stamp
	stamp=$(support_stamp)
	for n in "${all[@]}"; do
		node_def "$n" ip=127.0.1.7$i cport=3900$i pport=3910$i data=/var/lib/etcd conf=yaml logger=zap \
			logout=journal logpath="logs/etcd.journal" dest="$n-etcd-support-$stamp"
		nset "$n" heartbeat-interval 250
		nset "$n" election-timeout 2500
		i=$((i + 1))
	done
	bootstrap ledger-prod "${all[@]}"
	put_keys ledger-a /ledger/accounts 1 10
	sleep 3
	stall_leader "${all[@]}" 0.42 2 8 250 || return 0
	put_keys ledger-c /ledger/accounts 11 15
	sleep 2
	collect_all "endpoint-status.json|endpoint status -w json" \
		"endpoint-health.txt|endpoint health" "member-list.json|member list -w json"
	stop_all
	pack pernode bundles
	late_heartbeat_readme 250 2500 "zap JSON in the journal (logs/etcd.journal)" \
		"bundles/<host>-etcd-support-$stamp.tar.gz, each with <host>-etcd-support-$stamp/etc/etcd/etcd.conf.yml, var/lib/etcd, logs/etcd.journal, etcdctl/*.json"
}

# ---------------------------------------------------------------------------
# Members named by host name: --initial-cluster a=http://etcd-a.example.internal:32380,
# each host resolving the names through its own /etc/hosts.  Healthy.
# EnvironmentFile, capnslog text in a file, a wrapper dir; /etc/hosts and
# /etc/hostname collected.
sc_etcd_hostnames() {
	hscenario etcd-hostnames
	local n i=1 all=(a b c) h
	hosts_add "# etcd cluster"
	for n in "${all[@]}"; do
		hosts_add "127.0.1.8$((i++))" "etcd-$n.example.internal"
	done
	i=1
	for n in "${all[@]}"; do
		h=etcd-$n.example.internal
		node_def "$n" ip=127.0.1.8$i cport=32379 pport=32380 host="$h" phost="$h" chost="$h" \
			data=/var/lib/etcd conf=env dest="etcd-hostname-cluster/$n"
		N_EXTRA_ETC[$n]="etc/hosts etc/hostname"
		i=$((i + 1))
	done
	bootstrap example-internal-etcd "${all[@]}"
	put_keys a /svc/names 1 12
	sleep 2
	collect_all "member-list.txt|member list -w table" \
		"endpoint-status-cluster.txt|endpoint status --cluster -w table" \
		"endpoint-health-cluster.txt|endpoint health --cluster"
	hostnames_readme tree "capnslog text in /var/log/etcd/etcd.log" \
		"etcd-hostname-cluster/<member>/ with etc/hosts, etc/hostname, etc/default/etcd, var/lib/etcd, var/log/etcd/etcd.log, etcdctl/*.txt"
}

# hostnames_readme PACK LOGGER LAYOUT: the end of a host-name scenario (the
# members still run): leader and cluster id, stop, pack (tree or pernode), README
hostnames_readme() {
	local logger=$2 layout=$3 n lead cid
	lead=$(any_leader "${NODES[@]}")
	cid=$(clusterhex "${NODES[0]}")
	stop_all
	pack "$1"
	hreadme scenarios-history.sh <<EOF
$SC.tar.gz -- a healthy etcd cluster whose members are named by host name
in every URL (peer and client), each host resolving them through /etc/hosts

Scenario (cluster id $cid)
  Members ${NODES[*]} on hosts $(for n in "${NODES[@]}"; do printf '%s ' "${N_HOST[$n]}"; done)
  advertise peer and client URLs with those host names
  (initial-cluster: $(nget "${NODES[0]}" initial-cluster)); they listen on
  their addresses (etcd needs IPs for listening). Every host's /etc/hosts (in
  the bundle, with /etc/hostname) maps all the names; etcd resolved them from it
  (the generator ran each member in a namespace with that file on /etc/hosts).
  Writes; etcdctl outputs by name (member list, endpoint status/health
  --cluster); leader $lead; data dirs copied idle; all stopped.
  Logs: $logger.
  Layout: $layout.

Expected diagnosis
  Healthy: no finding. Every name resolves through the bundle's /etc/hosts
  (each host's own copy); advertised peer URLs, initial-cluster and the
  membership agree. A name that could not be resolved would be
  "unknown", never "stale". Leader $lead, all members up, one cluster id.
  $(hb_noise)
EOF
}

# The same with fully qualified host names, member names different from them,
# a systemd unit + drop-in, zap JSON in the journal, one tarball per host.
sc_etcd_hostnames_fqdn() {
	hscenario etcd-hostnames-fqdn
	local n i=1 all=(db01 db02 db03) h
	hosts_add "# database tier"
	for n in "${all[@]}"; do
		hosts_add "127.0.1.9$((i++))" "$n.prod.corp.example" "$n"
	done
	i=1
	for n in "${all[@]}"; do
		h=$n.prod.corp.example
		node_def "$n" ip=127.0.1.9$i cport=40379 pport=40380 host="$h" phost="$h" chost="$h" \
			data=/var/lib/etcd/default.etcd conf=unit logger=zap logout=journal \
			logpath=var/log/journal-etcd.txt dest="${n}_etcd_collect"
		nset "$n" name "etcd-$n"
		N_EXTRA_ETC[$n]="etc/hosts etc/hostname"
		N_DROPIN[$n]="initial-cluster"
		i=$((i + 1))
	done
	# member names are etcd-db0N, not the host names
	local ic=""
	for n in "${all[@]}"; do ic+="${ic:+,}etcd-$n=${N_PURL[$n]}"; done
	cluster_def corp-db-etcd new "${all[@]}"
	for n in "${all[@]}"; do nset "$n" initial-cluster "$ic"; done
	hosts_ready
	start_all "${all[@]}"
	put_keys db02 /db/shards 1 12
	sleep 2
	collect_all "member-list.json|member list -w json" \
		"endpoint-status.json|endpoint status -w json" "endpoint-health.txt|endpoint health"
	hostnames_readme pernode "zap JSON in the journal (var/log/journal-etcd.txt)" \
		"db01_etcd_collect.tar.gz, db02_..., db03_... at the top of the outer tarball; member names etcd-db01.. differ from the host names db01.prod.corp.example.."
}

# ---------------------------------------------------------------------------
# Rolling restart of five kubeadm static pods, the leader first; zap JSON in
# kubelet's CRI files (one per container start), one tarball per host under
# etcd-diag/.
sc_etcd_rolling_restart_kubeadm() {
	hscenario etcd-rolling-restart-kubeadm
	local n i=1 all=(cp-1 cp-2 cp-3 cp-4 cp-5) lead order=() nlead
	for n in "${all[@]}"; do
		node_def "$n" ip=127.0.1.11$i cport=44379 pport=44380 data=/var/lib/etcd conf=kubeadm \
			logger=zap logout=pods dest="$n"
		i=$((i + 1))
	done
	bootstrap cp-etcd-cluster "${all[@]}"
	put_keys cp-1 /registry/configmaps 1 10
	lead=$(any_leader "${all[@]}")
	order=("$lead")
	mapfile -t -O 1 order < <(followers_of "$lead" "${all[@]}")
	say "leader $lead; restart order: ${order[*]}"
	for n in "${order[@]}"; do
		say "[$n] etcd static pod restarted (container stopped; kubelet starts a new one)"
		QUIET_START=1 restart_etcd "$n" 3
		wait_healthy "$n" 60
		sleep 5
		put_keys "$n" "/registry/leases/$n" 1 2
	done
	nlead=$(for n in "${all[@]}"; do n_lines "$n" "became leader at term"; done | awk '{s += $1} END {print s + 0}')
	((nlead >= 2)) || die "leadership did not move"
	sleep 2
	collect_all "member-list.json|member list -w json" \
		"endpoint-status.json|endpoint status -w json"
	local after
	after=$(any_leader "${all[@]}")
	stop_all
	pack pernode etcd-diag
	hreadme scenarios-history.sh <<EOF
$SC.tar.gz -- a rolling restart of five etcd static pods (kubeadm), the leader first

Scenario (token cp-etcd-cluster)
  cp-1 .. cp-5 run etcd as kubeadm static pods (--logger=zap); 10 writes. The
  etcd pod of each host is restarted in turn, the leader ($lead) first: its
  container is stopped (SIGTERM: etcd hands leadership over first), kubelet
  starts a new one 3 s later (a new CRI log file); the next host only when the
  restarted member is healthy again and 5 s have passed. Order: ${order[*]}.
  Leader at the end: $after.
  Logs: zap JSON in var/log/pods/kube-system_etcd-<host>_<uid>/etcd/0.log and 1.log.
  Layout: etcd-diag/cp-N.tar.gz inside the outer tarball.

Expected diagnosis
  Healthy: no finding. Five voters, majority 3; one member down at a time, so
  4 of 5 ran at every moment. Leadership moved with the first restart (transfer)
  and the terms that followed are ordinary elections (see Leaders by term).
  $(hb_noise)
EOF
}
