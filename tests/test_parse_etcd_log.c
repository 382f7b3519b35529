/*
 * etcd.log parser tests: the three line shapes (capnslog, raft's Go log,
 * zap JSON) in one file, and hostile input.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "quorumscope.h"
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
	CHECK_INT(t_nsig(run, QS_SIG_COMMIT_OUT_OF_RANGE), 1);
	CHECK_INT(t_nev(run, QS_EV_STOP), 1);
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
