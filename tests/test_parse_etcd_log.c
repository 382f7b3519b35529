/*
 * etcd.log parser tests: the three line shapes (capnslog, raft's Go log,
 * zap JSON) in one file, and hostile input.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "quorumscope.h"
#include <stdlib.h>

#include "test.h"

#define LOG	"etcd1/var/log/etcd/etcd.log"

static const char mixed_log[] =
    "2026-11-22 06:02:34.016000 I | etcdmain: etcd Version: 3.4.23\n"
    "2026-11-22 06:02:34.100000 I | etcdserver: starting member "
    "420b9075c1521d54 in cluster 6e9cb2625f5356c6\n"
    "raft2026/11/22 06:02:34 INFO: 420b9075c1521d54 is starting a new "
    "election at term 1\n"
    "raft2026/11/22 06:02:34 INFO: 420b9075c1521d54 became candidate at "
    "term 2\n"
    "raft2026/11/22 06:02:34 INFO: 420b9075c1521d54 became leader at "
    "term 2\n"
    "raft2026/11/22 06:02:34 INFO: raft.node: 420b9075c1521d54 elected "
    "leader 420b9075c1521d54 at term 2\n"
    "2026-11-22 06:02:40.231259 I | etcdserver/membership: removed member "
    "f0571bfc918b88ca from cluster 6e9cb2625f5356c6\n"
    "2026-11-22 06:02:41.401290 I | etcdserver/membership: added member "
    "f0571bfc918b88ca [http://127.0.0.32:23862] to cluster 6e9cb2625f5356c6 "
    "from store\n"
    "{\"level\":\"info\",\"ts\":\"2026-11-22T06:02:44.614Z\",\"msg\":"
    "\"added member\",\"local-member-id\":\"420b9075c1521d54\","
    "\"added-peer-id\":\"5cf031bdbb155b4b\"}\n"
    "{\"level\":\"warn\",\"ts\":\"2026-11-22T06:07:12.896Z\",\"msg\":"
    "\"request cluster ID mismatch\"}\n"
    "{\"level\":\"warn\",\"ts\":\"2026-11-22T06:07:12.897Z\",\"msg\":"
    "\"request cluster ID mismatch\"}\n"
    "{\"level\":\"warn\",\"ts\":\"2026-11-22T06:07:13.000Z\",\"msg\":"
    "\"slow fdatasync\",\"took\":\"1.5s\",\"expected-duration\":\"1s\"}\n"
    "2026-11-22 06:07:20.000000 E | etcdserver: the member has been "
    "permanently removed from the cluster\n"
    "{\"level\":\"fatal\",\"ts\":\"2026-11-22T06:07:30.766Z\",\"msg\":"
    "\"discovery failed\",\"error\":\"member 984bd2f86d62a320 has already "
    "been bootstrapped\"}\n"
    "\tgo.etcd.io/etcd/etcdmain.Main\n"
    "raft2026/11/22 06:08:00 PANIC: tocommit(12) is out of range "
    "[lastIndex(3)]. Was the raft log corrupted, truncated, or lost?\n"
    "2026-11-22 06:09:00.000000 I | embed: force new cluster\n"
    "raft2026/11/22 06:09:30 WARN: 420b9075c1521d54 stepped down to "
    "follower since quorum is not active\n";

static size_t
t_nev(const struct qs_run *run, enum qs_event_kind k)
{
	size_t	i, n = 0;

	for (i = 0; i < run->events.n; i++)
		if (((const struct qs_event *)run->events.v[i])->kind == k)
			n++;
	return n;
}

static size_t
t_nsig(const struct qs_run *run, enum qs_signal_kind k)
{
	size_t	i, n = 0;

	for (i = 0; i < run->signals.n; i++)
		if (((const struct qs_signal *)run->signals.v[i])->kind == k)
			n++;
	return n;
}

static const struct qs_event *
t_ev(const struct qs_run *run, enum qs_event_kind k)
{
	size_t	i;

	for (i = 0; i < run->events.n; i++)
		if (((const struct qs_event *)run->events.v[i])->kind == k)
			return run->events.v[i];
	return NULL;
}

DEFINE_TEST(test_parse_etcd_log_mixed)
{
	struct qs_run		*run = qs_test_parse("etcd.log", LOG,
	    mixed_log, 0);
	const struct qs_event	*e;

	CHECK_INT(qs_test_status(run), QS_STATUS_PARSED);
	CHECK_INT(t_nev(run, QS_EV_START), 1);
	/* "starting a new election" and "became candidate": one election */
	CHECK_INT(t_nev(run, QS_EV_ELECTION_START), 1);
	e = t_ev(run, QS_EV_ELECTION_START);
	CHECK(e != NULL && e->clock.term == 2);
	CHECK_INT(t_nev(run, QS_EV_LEADER_ELECTED), 2);
	e = t_ev(run, QS_EV_LEADER_ELECTED);
	CHECK(e != NULL && e->subject != NULL &&
	    strcmp(e->subject, "420b9075c1521d54") == 0 &&
	    (e->clock.set & QS_CLOCK_TERM) && e->clock.term == 2);
	CHECK_INT(t_nev(run, QS_EV_MEMBER_REMOVE), 1);
	/* the "from store" replay is no add */
	CHECK_INT(t_nev(run, QS_EV_MEMBER_ADD), 1);
	e = t_ev(run, QS_EV_MEMBER_ADD);
	CHECK(e != NULL && strcmp(e->subject, "5cf031bdbb155b4b") == 0);
	CHECK_INT(t_nsig(run, QS_SIG_CLUSTER_ID_MISMATCH), 2);
	CHECK_INT(t_nsig(run, QS_SIG_REMOVED_SELF), 1);
	CHECK_INT(t_nsig(run, QS_SIG_BOOTSTRAP_CONFLICT), 1);
	{
		size_t	i;

		for (i = 0; i < run->signals.n; i++) {
			const struct qs_signal	*s = run->signals.v[i];

			if (s->kind == QS_SIG_BOOTSTRAP_CONFLICT)
				CHECK(s->subject != NULL && strcmp(s->subject,
				    "984bd2f86d62a320") == 0 && s->detail !=
				    NULL && strcmp(s->detail, "has already "
				    "been bootstrapped") == 0);
		}
	}
	CHECK_INT(t_nsig(run, QS_SIG_COMMIT_OUT_OF_RANGE), 1);
	CHECK_INT(t_nev(run, QS_EV_STOP), 1);
	/* The fatal line's msg and error are the stop's reason. */
	e = t_ev(run, QS_EV_STOP);
	CHECK(e != NULL && e->detail != NULL && strcmp(e->detail,
	    "discovery failed: member 984bd2f86d62a320 has already been "
	    "bootstrapped") == 0);
	CHECK_INT(t_nev(run, QS_EV_LEADER_LOST), 1);
	CHECK_INT(t_nsig(run, QS_SIG_QUORUM_LOST), 1);
	CHECK_STR(qs_test_setting(run, "etcd.log.slow_fdatasync_max"),
	    "1500");
	CHECK_STR(qs_test_setting(run, "etcd.log.force_new_cluster"), "true");
	CHECK_STR(qs_test_setting(run, "etcd.log.cluster_id_mismatch_lines"),
	    "2");
	CHECK_INT(run->identities.n, 1);
	qs_run_free(run);
}

/* A capnslog "C" line: the text after the level mark, quotes kept. */
DEFINE_TEST(test_parse_etcd_log_fatal_capnslog)
{
	static const char log[] =
	    "2026-12-07 20:13:17.790858 I | etcdmain: etcd Version: 3.4.23\n"
	    "2026-12-07 20:13:17.793000 C | etcdmain: couldn't find local "
	    "name \"sync4\" in the initial cluster configuration\n";
	struct qs_run		*run = qs_test_parse("etcd.log", LOG, log, 0);
	const struct qs_event	*e = t_ev(run, QS_EV_STOP);

	CHECK(e != NULL && e->detail != NULL && strcmp(e->detail,
	    "etcdmain: couldn't find local name \"sync4\" in the initial "
	    "cluster configuration") == 0);
	qs_run_free(run);
}

DEFINE_TEST(test_parse_etcd_log_hostile)
{
	static const char *const bad[] = {
		"{", "{\"ts\":\"", "raft", "raft2026/11/22 06:08:00 INFO: x "
		"became leader at term ", "{\"msg\":\"added member\","
		"\"added-peer-id\":\"", " elected leader ffffffffffffffffff "
		"at term 99999999999999999999999",
		"2026-11-22 06:02:34.016000 I | x lost leader",
		"{\"msg\":\"slow fdatasync\",\"took\":\"99999999999999999s\"}",
		"raft2026/11/22 06:02:34 INFO: 1 is starting a new election at "
		"term 18446744073709551615\n",
		NULL
	};
	size_t	i;

	for (i = 0; bad[i] != NULL; i++) {
		struct qs_run	*run = qs_test_parse("etcd.log", LOG, bad[i],
		    0);

		CHECK(run != NULL);
		qs_run_free(run);
	}
}

/*
 * The slow-disk, clock and peer warnings in their zap and capnslog forms
 * (zap lines as etcd 3.4.23 wrote them in testdata/bundles/
 * etcd-leader-flapping; capnslog texts from etcd 3.4's
 * etcdserver/{raft,util,server}.go and rafthttp/{probing,peer}_status.go).
 */
static const char slow_log[] =
    "{\"level\":\"info\",\"ts\":\"2026-11-22T08:54:01.066Z\",\"caller\":"
    "\"embed/etcd.go:305\",\"msg\":\"starting an etcd server\","
    "\"heartbeat-interval\":\"100ms\",\"election-timeout\":\"1s\"}\n"
    "{\"level\":\"warn\",\"ts\":\"2026-11-22T08:54:08.052Z\",\"caller\":"
    "\"etcdserver/raft.go:440\",\"msg\":\"leader failed to send out "
    "heartbeat on time; took too long, leader is overloaded likely from "
    "slow disk\",\"to\":\"ff32a96f64481cb8\",\"heartbeat-interval\":"
    "\"100ms\",\"expected-duration\":\"200ms\",\"exceeded-duration\":"
    "\"2.853471s\"}\n"
    "2026-11-22 08:54:20.718561 W | etcdserver: failed to send out "
    "heartbeat on time (exceeded the 100ms timeout for 3.819141226s, to "
    "d0024a9a1f1b5249)\n"
    "2026-11-22 08:54:20.718600 W | etcdserver: server is likely "
    "overloaded\n"
    "{\"level\":\"warn\",\"ts\":\"2026-11-22T08:54:21.000Z\",\"caller\":"
    "\"etcdserver/util.go:163\",\"msg\":\"apply request took too long\","
    "\"took\":\"412.5ms\",\"expected-duration\":\"100ms\",\"prefix\":"
    "\"\",\"request\":\"header:<ID:1 > put:<key:\\\"/a\\\" >\"}\n"
    "2026-11-22 08:54:22.000000 W | etcdserver: apply entries took too "
    "long [1.221680793s for 1 entries]\n"
    "2026-11-22 08:54:22.100000 W | etcdserver: read-only range request "
    "\"key:\\\"/a\\\" \" with result \"range_response_count:1 size:9\" "
    "took too long (204.0239ms) to execute\n"
    "{\"level\":\"warn\",\"ts\":\"2026-11-22T08:54:23.000Z\",\"caller\":"
    "\"rafthttp/probing_status.go:70\",\"msg\":\"prober found high clock "
    "drift\",\"remote-peer-id\":\"e3dfec9fb786d5b4\",\"clock-drift\":"
    "\"502.906\xc2\xb5s\",\"rtt\":\"8m0.640985013s\"}\n"
    "2026-11-22 08:54:24.000000 W | rafthttp: the clock difference "
    "against peer d0024a9a1f1b5249 is too high [1.5s > 1s]\n"
    "2026-11-22 08:54:25.000000 W | wal: sync duration of 2.5s, expected "
    "less than 1s\n"
    "raft2026/11/22 08:54:30 INFO: 47bbb48a7eb5f3eb is starting a new "
    "election at term 2\n"
    "raft2026/11/22 08:54:30 INFO: 47bbb48a7eb5f3eb became pre-candidate "
    "at term 2\n"
    "raft2026/11/22 08:54:30 INFO: 47bbb48a7eb5f3eb [logterm: 2, index: "
    "23] sent MsgPreVote request to 1cc7c0558830a59f at term 2\n"
    "{\"level\":\"warn\",\"ts\":\"2026-11-22T08:54:44.353Z\",\"caller\":"
    "\"rafthttp/peer_status.go:68\",\"msg\":\"peer became inactive "
    "(message send to peer failed)\",\"peer-id\":\"cebb2dcdc5859e53\"}\n"
    "2026-11-22 08:54:44.400000 I | rafthttp: peer 1cc7c0558830a59f became "
    "inactive (message send to peer failed)\n"
    "2026-11-22 08:54:44.500000 W | rafthttp: lost the TCP streaming "
    "connection with peer 1cc7c0558830a59f (stream MsgApp v2 reader)\n"
    "2026-11-22 08:54:50.000000 I | rafthttp: peer 1cc7c0558830a59f became "
    "active\n"
    "{\"level\":\"info\",\"ts\":\"2026-11-22T08:54:59.000Z\",\"caller\":"
    "\"rafthttp/peer.go:340\",\"msg\":\"stopped remote peer\","
    "\"remote-peer-id\":\"cebb2dcdc5859e53\"}\n";

DEFINE_TEST(test_parse_etcd_log_slow_and_drift)
{
	struct qs_run		*run = qs_test_parse("etcd.log", LOG,
	    slow_log, 0);
	const struct qs_event	*e;

	CHECK_INT(qs_test_status(run), QS_STATUS_PARSED);
	CHECK_STR(qs_test_setting(run, "etcd.log.election_timeout_ms"),
	    "1000");
	CHECK_STR(qs_test_setting(run, "etcd.log.heartbeat_late_lines"), "2");
	CHECK_STR(qs_test_setting(run, "etcd.log.heartbeat_late_max"),
	    "3819");
	CHECK_STR(qs_test_setting(run, "etcd.log.heartbeat_late_peer"),
	    "d0024a9a1f1b5249");
	/* the last line's: capnslog names the 100 ms interval, twice it */
	CHECK_STR(qs_test_setting(run, "etcd.log.heartbeat_expected_ms"),
	    "200");
	CHECK_STR(qs_test_setting(run, "etcd.log.slow_apply_lines"), "3");
	CHECK_STR(qs_test_setting(run, "etcd.log.slow_apply_max"), "1221");
	/* 3.4's zap swaps the fields: the larger value is the drift */
	CHECK_STR(qs_test_setting(run, "etcd.log.clock_drift_lines"), "2");
	CHECK_STR(qs_test_setting(run, "etcd.log.clock_drift_max"), "480640");
	CHECK_STR(qs_test_setting(run, "etcd.log.clock_drift_peer"),
	    "e3dfec9fb786d5b4");
	CHECK_STR(qs_test_setting(run, "etcd.log.slow_fdatasync_max"), "2500");
	CHECK_STR(qs_test_setting(run, "etcd.log.peer_inactive_lines"), "2");
	CHECK_STR(qs_test_setting(run, "etcd.log.stream_lost_lines"), "1");
	/* 1cc7 came back; cebb was gone 15 s before this member stopped */
	CHECK_STR(qs_test_setting(run, "etcd.log.peers_unreachable"),
	    "cebb2dcdc5859e53");
	/* a pre-vote round: one election, the term does not rise */
	CHECK_INT(t_nev(run, QS_EV_ELECTION_START), 1);
	e = t_ev(run, QS_EV_ELECTION_START);
	CHECK(e != NULL && e->clock.term == 2 && e->detail != NULL &&
	    strcmp(e->detail, "pre-vote") == 0);
	qs_run_free(run);
}

/* journald (short-iso and syslog time), a container runtime, bare text. */
static const char wrapped_log[] =
    "2026-11-22T06:06:17+0000 host1 etcd[123]: {\"level\":\"info\",\"ts\":"
    "\"2026-11-22T06:06:17.100Z\",\"msg\":\"47bbb48a7eb5f3eb became leader "
    "at term 5\"}\n"
    "Nov 22 06:06:18 host1 etcd[123]: raft2026/11/22 06:06:18 INFO: "
    "47bbb48a7eb5f3eb became candidate at term 6\n"
    "2026-11-22T06:06:19.123456789Z stderr F 2026-11-22 06:06:19.123456 I "
    "| rafthttp: peer 1cc7c0558830a59f became active\n"
    "2026-11-22T06:06:20+0000 host1 etcd[123]: failed to send out "
    "heartbeat on time (exceeded the 100ms timeout for 218.239421ms, to "
    "1cc7c0558830a59f)\n"
    "Nov  2 06:06:21 host1 etcd[123]: raft.node: 47bbb48a7eb5f3eb elected "
    "leader 1cc7c0558830a59f at term 6\n"
    "Nov 22 06:06:22 host1 kernel: 47bbb48a7eb5f3eb became leader at term "
    "9\n";

DEFINE_TEST(test_parse_etcd_log_wrapped)
{
	struct qs_run		*run = qs_test_parse("etcd.log", LOG,
	    wrapped_log, 0);
	const struct qs_event	*e;
	size_t			 i, elected = 0;

	CHECK_INT(qs_test_status(run), QS_STATUS_PARSED);
	for (i = 0; i < run->events.n; i++) {
		e = run->events.v[i];
		if (e->kind != QS_EV_LEADER_ELECTED)
			continue;
		elected++;
		if (elected == 1)
			/* the zap line's own time, not the journal's */
			CHECK(e->time.set && e->time.ms % 1000 == 100 &&
			    e->clock.term == 5);
		else
			/* a bare message behind syslog: no year, no time */
			CHECK(!e->time.set && e->clock.term == 6 &&
			    strcmp(e->subject, "1cc7c0558830a59f") == 0);
	}
	/* the kernel line has no "]: " after its ident: not read */
	CHECK_INT(elected, 2);
	CHECK_INT(t_nev(run, QS_EV_ELECTION_START), 1);
	e = t_ev(run, QS_EV_ELECTION_START);
	CHECK(e != NULL && e->time.set && e->clock.term == 6);
	CHECK_STR(qs_test_setting(run, "etcd.log.heartbeat_late_max"), "218");
	qs_run_free(run);
}

/* Snapshots and compactions, as etcd 3.4 wrote them in both shapes. */
static const char context_log[] =
    "2026-11-22 06:02:29.244867 I | etcdserver: saved snapshot at index 21\n"
    "2026-11-22 06:02:29.245088 I | etcdserver: compacted raft log at 1\n"
    "2026-11-22 06:02:30.100000 I | mvcc: finished scheduled compaction at "
    "446329 (took 13.540866ms)\n"
    "{\"level\":\"info\",\"ts\":\"2026-11-22T06:02:39.777Z\",\"caller\":"
    "\"etcdserver/server.go:2430\",\"msg\":\"saved snapshot\","
    "\"snapshot-index\":42}\n"
    "{\"level\":\"info\",\"ts\":\"2026-11-22T06:02:39.778Z\",\"caller\":"
    "\"etcdserver/server.go:2479\",\"msg\":\"compacted Raft logs\","
    "\"compact-index\":22}\n"
    "{\"level\":\"info\",\"ts\":\"2026-11-22T06:02:41.000Z\",\"caller\":"
    "\"mvcc/kvstore_compaction.go:56\",\"msg\":\"finished scheduled "
    "compaction\",\"compact-revision\":447019,\"took\":\"4.1ms\"}\n"
    "2026-11-22 06:02:42.000000 I | etcdserver: saved snapshot at index x\n";

DEFINE_TEST(test_parse_etcd_log_context)
{
	struct qs_run	*run = qs_test_parse("etcd.log", LOG, context_log, 0);

	CHECK_INT(qs_test_status(run), QS_STATUS_PARSED);
	CHECK_STR(qs_test_setting(run, "etcd.log.last_snapshot_index"), "42");
	CHECK_STR(qs_test_setting(run, "etcd.log.snapshot_index_lines"), "2");
	CHECK_STR(qs_test_setting(run,
	    "etcd.log.last_raft_log_compact_index"), "22");
	CHECK_STR(qs_test_setting(run, "etcd.log.last_compact_revision"),
	    "447019");
	CHECK_STR(qs_test_setting(run, "etcd.log.compact_revision_lines"),
	    "2");
	qs_run_free(run);
}

/*
 * A week of repeated warnings costs no memory: the run's arena after
 * 20,000 late-heartbeat and peer lines holds what it holds after one.
 */
static size_t
heartbeat_arena(size_t lines)
{
	static const char	 line[] =
	    "2026-11-22 08:54:09.100000 W | etcdserver: failed to send out "
	    "heartbeat on time (exceeded the 100ms timeout for 2.853s, to "
	    "e3dfec9fb786d5b4)\n"
	    "2026-11-22 08:54:09.200000 W | rafthttp: peer e3dfec9fb786d5b4 "
	    "became inactive (message send to peer failed)\n";
	char			*text, *p;
	size_t			 i, used;
	struct qs_run		*run;

	text = qs_xmalloc(lines * (sizeof(line) - 1) + 1);
	for (i = 0, p = text; i < lines; i++, p += sizeof(line) - 1)
		memcpy(p, line, sizeof(line) - 1);
	*p = '\0';
	run = qs_test_parse("etcd.log", LOG, text, 0);
	CHECK_STR(qs_test_setting(run, "etcd.log.heartbeat_late_peer"),
	    "e3dfec9fb786d5b4");
	used = qs_arena_used(&run->arena);
	qs_run_free(run);
	free(text);
	return used;
}

DEFINE_TEST(test_parse_etcd_log_repeats_bounded)
{
	size_t	one = heartbeat_arena(1), many = heartbeat_arena(20000);

	CHECK(many < one + 4096);
}

/*
 * What operators did, as the log shows it: every start that applied
 * force-new-cluster (zap's start line and capnslog's "embed: force new
 * cluster" of one start count once), a backup taken through the member,
 * and failed dials counted per address.
 */
static const char operator_log[] =
    "{\"level\":\"info\",\"ts\":\"2026-12-07T20:10:49.800Z\",\"caller\":"
    "\"embed/etcd.go:117\",\"msg\":\"starting an etcd server\","
    "\"force-new-cluster\":true}\n"
    "{\"level\":\"warn\",\"ts\":\"2026-12-07T20:10:50.100Z\",\"caller\":"
    "\"rafthttp/peer_status.go:68\",\"msg\":\"peer became inactive "
    "(message send to peer failed)\",\"peer-id\":\"a0b31398dea894ee\","
    "\"error\":\"failed to dial a0b31398dea894ee on stream Message (dial "
    "tcp 127.0.1.212:35380: connect: connection refused)\"}\n"
    "2026-12-07 20:11:00.000000 I | etcdmain: etcd Version: 3.4.23\n"
    "2026-12-07 20:11:00.100000 I | embed: force new cluster\n"
    "2026-12-07 20:11:01.000000 E | rafthttp: failed to dial "
    "a0b31398dea894ee on stream MsgApp v2 (dial tcp 127.0.1.212:35380: "
    "connect: connection refused)\n"
    "2026-12-07 20:11:02.000000 W | rafthttp: health check for peer "
    "ef2c1c820516c84 could not connect: dial tcp 127.0.1.201:34380: "
    "connect: connection refused\n"
    "2026-12-07 20:11:03.000000 I | etcdmain: etcd Version: 3.4.23\n"
    "2026-12-07 20:11:05.629916 I | etcdserver/api/v3rpc: sending database "
    "snapshot to client 20 kB [20480 bytes]\n"
    "2026-12-07 20:11:05.638844 I | etcdserver/api/v3rpc: successfully "
    "sent database snapshot to client 20 kB [20480 bytes]\n";

static size_t
t_settings(const struct qs_run *run, const char *key, const char **last)
{
	size_t	i, n = 0;

	for (i = 0; i < run->settings.n; i++) {
		const struct qs_setting	*s = run->settings.v[i];

		if (strcmp(s->key, key) == 0) {
			n++;
			*last = s->value;
		}
	}
	return n;
}

DEFINE_TEST(test_parse_etcd_log_operator)
{
	struct qs_run	*run = qs_test_parse("etcd.log", LOG, operator_log, 0);
	const char	*v = NULL;

	CHECK_INT(qs_test_status(run), QS_STATUS_PARSED);
	CHECK_INT(t_settings(run, "etcd.log.force_new_cluster_start", &v), 2);
	CHECK_STR(v, "2026-12-07T20:11:00.100Z");
	CHECK_INT(t_settings(run, "etcd.log.force_new_cluster", &v), 1);
	CHECK_INT(t_settings(run, "etcd.log.snapshot_sent", &v), 1);
	CHECK_STR(v, "2026-12-07T20:11:05.629Z");
	CHECK_INT(t_settings(run, "etcd.log.dial_failed", &v), 2);
	CHECK_STR(v, "127.0.1.201:34380 1");
	v = NULL;
	{
		size_t	i;

		for (i = 0; i < run->settings.n; i++) {
			const struct qs_setting	*s = run->settings.v[i];

			if (strcmp(s->key, "etcd.log.dial_failed") == 0) {
				v = s->value;
				CHECK_INT(s->ev.line, 2);
				break;
			}
		}
	}
	CHECK_STR(v, "127.0.1.212:35380 2");
	qs_run_free(run);
}

/*
 * A request that ended in an error waited for a leader until its client
 * gave up: not a slow apply.  One that succeeded slowly is.
 */
DEFINE_TEST(test_parse_etcd_log_apply_error_not_slow)
{
	struct qs_run	*run;

	run = qs_test_parse("etcd.log", LOG,
	    "2026-12-07 19:57:00.824975 W | etcdserver: read-only range "
	    "request \"key:\\\"health\\\" \" with result \"error:context "
	    "canceled\" took too long (4.999758403s) to execute\n"
	    "{\"level\":\"warn\",\"ts\":\"2026-12-07T19:57:01.000Z\","
	    "\"msg\":\"apply request took too long\",\"took\":\"5.000s\","
	    "\"expected-duration\":\"100ms\",\"error\":\"context deadline "
	    "exceeded\"}\n", 0);
	CHECK(qs_test_setting(run, "etcd.log.slow_apply_max") == NULL);
	qs_run_free(run);
	run = qs_test_parse("etcd.log", LOG,
	    "2026-12-07 19:57:00.824975 W | etcdserver: read-only range "
	    "request \"key:\\\"a\\\" \" with result \"range_response_count:1 "
	    "size:42\" took too long (312.5ms) to execute\n", 0);
	CHECK_STR(qs_test_setting(run, "etcd.log.slow_apply_max"), "312");
	qs_run_free(run);
}

/* etcd-io/raft becomeFollower: a term reached this member. */
DEFINE_TEST(test_parse_etcd_log_follower_term)
{
	struct qs_run		*run = qs_test_parse("etcd.log", LOG,
	    "Mar 03 10:12:01 db-2 etcd[811]: raft: 5a1e2f became follower "
	    "at term 0\n"
	    "Mar 03 10:12:01 db-2 etcd[811]: raft: 5a1e2f became follower "
	    "at term 6\n"
	    "{\"level\":\"info\",\"ts\":\"2026-11-22T06:02:34.036Z\",\"caller\":"
	    "\"raft/raft.go:706\",\"msg\":\"420b9075c1521d54 became follower at "
	    "term 7\"}\n", 0);
	const struct qs_event	*e;

	CHECK_INT(t_nev(run, QS_EV_TERM_CHANGE), 2);
	e = t_ev(run, QS_EV_TERM_CHANGE);
	CHECK(e != NULL && e->clock.term == 6 && !e->time.set);
	qs_run_free(run);
}
