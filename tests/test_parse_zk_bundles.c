/*
 * The ZooKeeper parsers on the real fixtures (testdata/bundles/zk-*,
 * ZooKeeper 3.8.0 in Triton's binder layout): every artifact parses
 * clean, and the observations match the facts each bundle's README lists.
 */
#include "config.h"

#include <stdio.h>

#include "test_zk.h"

/* The data directory of a zone, as member path tails. */
#define V2(zone)	zone "/zookeeper/zookeeper/version-2/"
#define ETC(zone)	zone "/opt/local/etc/zookeeper/"

static struct qs_run *
zk_bundle(const char *name)
{
	return qs_test_bundle(name);
}

/* Every ZooKeeper artifact parsed, no diagnostic at all. */
static void
zk_all_clean(const struct qs_run *run, size_t want_zk)
{
	size_t	i, zk = 0;

	for (i = 0; i < run->artifacts.n; i++) {
		const struct qs_artifact	*a = run->artifacts.v[i];

		if (a->kind == NULL || a->kind->system != QS_SYS_ZOOKEEPER)
			continue;
		zk++;
		if (a->status != QS_STATUS_PARSED)
			qs_test_fail(__FILE__, __LINE__, "%s: %s (%s)",
			    a->member, qs_status_name(a->status),
			    a->message != NULL ? a->message : "");
	}
	for (i = 0; i < run->diags.n; i++) {
		const struct qs_diag	*d = run->diags.v[i];

		qs_test_fail(__FILE__, __LINE__, "diagnostic: %s: %s",
		    d->path != NULL ? d->path : "-", d->message);
	}
	CHECK_INT(zk, want_zk);
}

/* The node a member of a view or an event's subject resolved to. */
static const char *
node_name(const struct qs_node *n)
{
	return n != NULL ? n->name : "(none)";
}

static void
zk_zone(const struct qs_run *run, const char *zone, const char *myid,
    const char *epoch, const char *last_zxid, const char *txns)
{
	char	tail[256];

	snprintf(tail, sizeof(tail), "%s/zookeeper/zookeeper/myid", zone);
	CHECK(zk_t_has_ident(run, tail, QS_ID_MYID, myid, NULL, NULL));
	snprintf(tail, sizeof(tail), "%s/zookeeper/zookeeper/version-2/"
	    "currentEpoch", zone);
	CHECK_STR(zk_t_setting(run, tail, "zk.currentEpoch"), epoch);
	snprintf(tail, sizeof(tail), "%s/zookeeper/zookeeper/version-2/"
	    "acceptedEpoch", zone);
	CHECK_STR(zk_t_setting(run, tail, "zk.acceptedEpoch"), epoch);
	snprintf(tail, sizeof(tail), "%s/zookeeper/zookeeper/version-2/"
	    "log.100000001", zone);
	if (strstr(zone, "zk-reconfig/binder3") != NULL)
		snprintf(tail, sizeof(tail), "%s/zookeeper/zookeeper/"
		    "version-2/log.10000000e", zone);
	CHECK_STR(zk_t_setting(run, tail, "zk.txnlog.last_zxid"), last_zxid);
	CHECK_STR(zk_t_setting(run, tail, "zk.txnlog.txns"), txns);
	CHECK(zk_t_setting(run, tail, "zk.txnlog.corrupt_offset") == NULL);
}

DEFINE_TEST(test_parse_zk_bundle_healthy)
{
	struct qs_run		*run = zk_bundle("zk-healthy");
	const struct qs_view	*v;
	const struct qs_event	*e;
	size_t			 i;

	zk_all_clean(run, 33);
	zk_zone(run, "binder0", "1", "1", "0x100000019", "25");
	zk_zone(run, "binder1", "2", "1", "0x100000019", "25");
	zk_zone(run, "binder2", "3", "1", "0x100000019", "25");
	CHECK_STR(zk_t_setting(run, "binder0/zk-srvr.txt", "zk.4lw.mode"),
	    "follower");
	CHECK_STR(zk_t_setting(run, "binder1/zk-srvr.txt", "zk.4lw.mode"),
	    "follower");
	CHECK_STR(zk_t_setting(run, "binder2/zk-srvr.txt", "zk.4lw.mode"),
	    "leader");
	CHECK_STR(zk_t_setting(run, "binder2/zk-mntr.txt",
	    "zk.4lw.synced_followers"), "2");
	CHECK_STR(zk_t_setting(run, V2("binder0") "log.100000001",
	    "zk.txnlog.sessions_created"), "4");
	CHECK_STR(zk_t_setting(run, V2("binder0") "log.100000001",
	    "zk.txnlog.open_sessions"), "");
	CHECK_STR(zk_t_setting(run, V2("binder0") "snapshot.0",
	    "zk.snapshot.znodes"), "4");
	CHECK_STR(zk_t_setting(run, V2("binder0") "snapshot.0",
	    "zk.snapshot.sessions"), "0");
	CHECK_STR(zk_t_setting(run, ETC("binder1") "zoo.cfg",
	    "zk.clientPortAddress"), "127.0.0.52");
	/* zoo.cfg's servers resolve to the three zones. */
	v = zk_t_view(run, "binder0/opt/local/etc/zookeeper/zoo.cfg",
	    "zoo.cfg", 0);
	CHECK(v != NULL && v->members.n == 3);
	for (i = 0; v != NULL && i < v->members.n; i++) {
		char	want[32];

		snprintf(want, sizeof(want), "binder%zu", i);
		CHECK_STR(node_name(zk_t_member(v, i)->node), want);
		CHECK_INT(zk_t_member(v, i)->state, QS_MEMBER_VOTER);
	}
	/* Leader of epoch 1: binder2, supported by 2 and 3. */
	CHECK_INT(zk_t_nevents(run, "binder2/var/log/zookeeper/zookeeper.log",
	    QS_EV_LEADER_ELECTED), 2);
	e = zk_t_event(run, "binder2/var/log/zookeeper/zookeeper.log",
	    QS_EV_LEADER_ELECTED, 1);
	CHECK(e != NULL && e->clock.term == 1 &&
	    strcmp(e->detail, "epoch 1, supporters [[2, 3]]") == 0);
	/* Followers name the leader by its quorum address. */
	e = zk_t_event(run, "binder0/var/log/zookeeper/zookeeper.log",
	    QS_EV_LEADER_ELECTED, 0);
	CHECK(e != NULL && strcmp(node_name(e->subject_node), "binder2") == 0);
	CHECK_INT(zk_t_nevents(run, "binder0/var/log/zookeeper/zookeeper.log",
	    QS_EV_ELECTION_START), 1);
	CHECK_INT(zk_t_nsignals(run, "binder1/var/log/zookeeper/zookeeper.log",
	    QS_SIG_VOTE_FAILED), 2);
	/* Every srvr, stat and mntr answer of the three: a serving probe. */
	CHECK_INT(zk_t_nsignals(run, NULL, QS_SIG_PROBE_UP), 9);
	CHECK_INT(run->signals.n, 2 + 9);
	CHECK_INT(zk_t_nevents(run, NULL, QS_EV_LEADER_LOST), 0);
	/* Each zone is known by its myid. */
	CHECK_STR(node_name(qs_model_lookup(run, "3")), "binder2");
	qs_run_free(run);
}

DEFINE_TEST(test_parse_zk_bundle_quorum_loss)
{
	struct qs_run		*run = zk_bundle("zk-quorum-loss");
	const char		*log2 =
	    "binder2/var/log/zookeeper/zookeeper.log";
	const struct qs_signal	*s;
	size_t			 i, to1 = 0, to2 = 0;

	zk_all_clean(run, 25);
	zk_zone(run, "binder0", "1", "1", "0x100000013", "19");
	zk_zone(run, "binder1", "2", "1", "0x100000013", "19");
	zk_zone(run, "binder2", "3", "1", "0x100000013", "19");
	/* The registrar session never closed, in every copy of the log. */
	CHECK_STR(zk_t_setting(run, "binder0/zookeeper/zookeeper/version-2/"
	    "log.100000001", "zk.txnlog.open_sessions"), "0x30000266a4c0000");
	CHECK_STR(zk_t_setting(run, "binder2/zookeeper/zookeeper/version-2/"
	    "log.100000001", "zk.txnlog.open_sessions"), "0x30000266a4c0000");
	/* The survivor: leader of epoch 1, lost its quorum, LOOKING. */
	CHECK_INT(zk_t_nevents(run, log2, QS_EV_ELECTION_START), 2);
	CHECK_INT(zk_t_nevents(run, log2, QS_EV_LEADER_LOST), 1);
	CHECK_INT(zk_t_nsignals(run, log2, QS_SIG_QUORUM_LOST), 1);
	s = zk_t_signal(run, log2, QS_SIG_QUORUM_LOST, 0);
	CHECK(s != NULL && strcmp(s->detail, "Not sufficient followers synced, "
	    "only synced with sids: [ [3] ]") == 0);
	for (i = 0; i < run->signals.n; i++) {
		s = run->signals.v[i];
		if (s->kind != QS_SIG_VOTE_FAILED || !zk_t_from(&s->ev, log2))
			continue;
		if (strcmp(node_name(s->subject_node), "binder0") == 0)
			to1++;
		if (strcmp(node_name(s->subject_node), "binder1") == 0)
			to2++;
	}
	CHECK_INT(to1, 7);
	CHECK_INT(to2, 7);
	CHECK_STR(zk_t_setting(run, "binder2/zk-srvr.txt", "zk.4lw.serving"),
	    "false");
	CHECK(zk_t_setting(run, "binder2/zk-srvr.txt", "zk.4lw.mode") == NULL);
	qs_run_free(run);
}

DEFINE_TEST(test_parse_zk_bundle_reconfig)
{
	struct qs_run		*run = zk_bundle("zk-reconfig");
	const struct qs_view	*v;
	const struct qs_event	*e;
	const struct qs_signal	*s;
	const char		*b0 = "binder0/zookeeper/zookeeper/version-2/"
	    "log.100000001";
	const char		*l1 = "binder1/var/log/zookeeper/zookeeper.log";
	const char		*l2 = "binder2/var/log/zookeeper/zookeeper.log";

	zk_all_clean(run, 58);
	zk_zone(run, "binder0", "1", "2", "0x200000006", "30");
	zk_zone(run, "binder1", "2", "2", "0x200000006", "30");
	zk_zone(run, "binder2", "3", "2", "0x200000006", "30");
	zk_zone(run, "zk-reconfig/binder3", "4", "2", "0x200000006", "17");
	/* Both reconfig transactions, as events and views. */
	CHECK_INT(zk_t_nevents(run, b0, QS_EV_CONFIG_CHANGE), 2);
	v = zk_t_view(run, b0, "txn log reconfig", 0);
	CHECK(v != NULL && v->clock.zxid == UINT64_C(0x10000000f) &&
	    v->members.n == 4);
	v = zk_t_view(run, b0, "txn log reconfig", 1);
	CHECK(v != NULL && v->clock.zxid == UINT64_C(0x100000018) &&
	    v->members.n == 3);
	CHECK(v != NULL && strcmp(zk_t_member(v, 2)->id, "4") == 0);
	CHECK(v != NULL && strcmp(node_name(zk_t_member(v, 2)->node),
	    "binder3") == 0);
	/* Every zone keeps all three dynamic files. */
	CHECK(zk_t_view(run, "binder3/opt/local/etc/zookeeper/"
	    "zoo.cfg.dynamic.100000000", "zoo.cfg.dynamic.100000000", 0) !=
	    NULL);
	v = zk_t_view(run, "binder2/opt/local/etc/zookeeper/"
	    "zoo.cfg.dynamic.100000018", "zoo.cfg.dynamic.100000018", 0);
	CHECK(v != NULL && v->members.n == 3);
	CHECK_STR(zk_t_setting(run, "binder2/opt/local/etc/zookeeper/zoo.cfg",
	    "zk.dynamicConfigFile"),
	    "/opt/local/etc/zookeeper/zoo.cfg.dynamic.100000018");
	CHECK(zk_t_view(run, "binder2/opt/local/etc/zookeeper/zoo.cfg",
	    "zoo.cfg", 0) == NULL);
	v = zk_t_view(run, "binder3/opt/local/etc/zookeeper/zoo.cfg.bak",
	    "backup zoo.cfg.bak", 0);
	CHECK(v != NULL && v->members.n == 4);
	v = zk_t_view(run, "binder1/zk-conf.txt", "4lw conf", 0);
	CHECK(v != NULL && v->clock.zxid == UINT64_C(0x100000018) &&
	    v->members.n == 3);
	/* Leaders: binder2 of epoch 1, binder1 of epoch 2. */
	e = zk_t_event(run, l2, QS_EV_LEADER_ELECTED, 1);
	CHECK(e != NULL && e->clock.term == 1);
	e = zk_t_event(run, l1, QS_EV_LEADER_ELECTED, 2);
	CHECK(e != NULL && e->clock.term == 2 &&
	    strcmp(e->detail, "epoch 2, supporters [[1, 2]]") == 0);
	CHECK_STR(zk_t_setting(run, "binder1/zk-srvr.txt", "zk.4lw.mode"),
	    "leader");
	/* The removed leader stepped down; nobody lost a quorum. */
	e = zk_t_event(run, l2, QS_EV_LEADER_LOST, 0);
	CHECK(e != NULL && strncmp(e->detail, "stepped down", 12) == 0);
	CHECK_INT(zk_t_nsignals(run, NULL, QS_SIG_QUORUM_LOST), 0);
	/* "Follower sid: N not in the current config". */
	s = zk_t_signal(run, l1, QS_SIG_REMOVED_SELF, 0);
	CHECK(s != NULL && strcmp(node_name(s->subject_node), "binder2") == 0);
	s = zk_t_signal(run, l2, QS_SIG_REMOVED_SELF, 0);
	CHECK(s != NULL && strcmp(node_name(s->subject_node), "binder3") == 0);
	CHECK_STR(zk_t_setting(run, V2("binder1") "snapshot.100000018",
	    "zk.snapshot.sessions"), "1");
	CHECK_STR(zk_t_setting(run, V2("binder1") "snapshot.100000018",
	    "zk.snapshot.znodes"), "16");
	CHECK_STR(zk_t_setting(run, V2("binder3") "snapshot.10000000d",
	    "zk.snapshot.znodes"), "15");
	qs_run_free(run);
}

DEFINE_TEST(test_parse_zk_bundle_stale_address)
{
	struct qs_run		*run = zk_bundle("zk-stale-address");
	const char		*l1 = "binder1/var/log/zookeeper/zookeeper.log";
	const char		*l3 = "binder3/var/log/zookeeper/zookeeper.log";
	const struct qs_view	*v;
	const struct qs_event	*e;
	const struct qs_signal	*s;
	size_t			 i, to1 = 0, to4 = 0;

	zk_all_clean(run, 26);
	zk_zone(run, "binder0", "1", "2", "0x200000009", "22");
	zk_zone(run, "binder1", "3", "2", "0x200000009", "22");
	zk_zone(run, "binder3", "4", "2", "0x200000004", "17");
	/* server.4 still names the old zone's address, everywhere. */
	v = zk_t_view(run, "binder3/opt/local/etc/zookeeper/zoo.cfg",
	    "zoo.cfg", 0);
	CHECK(v != NULL && v->members.n == 3);
	CHECK(v != NULL && strcmp(zk_t_member(v, 2)->address,
	    "127.0.0.58:22882") == 0);
	/* binder3 itself says where it really is. */
	CHECK(zk_t_has_ident(run, "binder3/opt/local/etc/zookeeper/zoo.cfg",
	    QS_ID_ADDRESS, "127.0.0.59:21812", "client", NULL));
	CHECK(zk_t_has_ident(run, l3, QS_ID_ADDRESS, "127.0.0.59:21812",
	    "client", NULL));
	/* Three starts, three exits with code 14, the bind error each. */
	CHECK_INT(zk_t_nevents(run, l3, QS_EV_START), 3);
	CHECK_INT(zk_t_nevents(run, l3, QS_EV_STOP), 3);
	e = zk_t_event(run, l3, QS_EV_STOP, 2);
	CHECK(e != NULL && strcmp(e->detail, "exit code 14") == 0);
	CHECK_INT(zk_t_nsignals(run, l3, QS_SIG_VOTE_FAILED), 3);
	s = zk_t_signal(run, l3, QS_SIG_VOTE_FAILED, 0);
	CHECK(s != NULL && s->subject == NULL && strcmp(s->detail,
	    "cannot listen on election address 127.0.0.58:22982: "
	    "java.net.BindException: Cannot assign requested address") == 0);
	/* The survivor: leader of epoch 2, lost quorum, cannot reach 1, 4. */
	e = zk_t_event(run, l1, QS_EV_LEADER_ELECTED, 2);
	CHECK(e != NULL && e->clock.term == 2 &&
	    strcmp(e->detail, "epoch 2, supporters [[1, 3]]") == 0);
	CHECK_INT(zk_t_nsignals(run, l1, QS_SIG_QUORUM_LOST), 1);
	for (i = 0; i < run->signals.n; i++) {
		s = run->signals.v[i];
		if (s->kind != QS_SIG_VOTE_FAILED || !zk_t_from(&s->ev, l1))
			continue;
		if (strcmp(s->subject, "1") == 0)
			to1++;
		if (strcmp(s->subject, "4") == 0 &&
		    strcmp(s->detail, "127.0.0.58:22982") == 0)
			to4++;
	}
	CHECK_INT(to1, 8);
	CHECK_INT(to4, 9);
	CHECK_STR(zk_t_setting(run, "binder1/zk-srvr.txt", "zk.4lw.serving"),
	    "false");
	CHECK_STR(zk_t_setting(run, "binder0/zookeeper/zookeeper/version-2/"
	    "log.100000001", "zk.txnlog.open_sessions"), "0x3000025d3250001");
	CHECK_STR(zk_t_setting(run, V2("binder1") "snapshot.10000000d",
	    "zk.snapshot.znodes"), "15");
	qs_run_free(run);
}

/* How many findings of `rule` an analysis holds. */
static int
zk_fired(const struct qs_analysis *an, const char *rule)
{
	size_t	n;

	(void)qs_test_finding(an, rule, &n);
	return (int)n;
}

/* Two groups of clones, two leaders of epoch 1 (README facts). */
DEFINE_TEST(test_parse_zk_bundle_split_brain)
{
	struct qs_run		*run = zk_bundle("zk-split-brain");
	struct qs_analysis	 an;

	zk_all_clean(run, 44);
	CHECK_STR(zk_t_setting(run, "binder1/zk-srvr.txt", "zk.4lw.mode"),
	    "leader");
	CHECK_STR(zk_t_setting(run, "binder3/zk-srvr.txt", "zk.4lw.mode"),
	    "leader");
	CHECK_STR(zk_t_setting(run, "binder3/zk-srvr.txt", "zk.4lw.zxid"),
	    "0x100000008");
	CHECK(zk_t_setting(run, "binder2/var/log/zookeeper/zookeeper.log",
	    "zk.log.slow_fsync_max_ms") != NULL);
	qs_analyse(run, &an);
	CHECK_INT(zk_fired(&an, "zk-split-brain"), 1);
	CHECK_INT(zk_fired(&an, "zk-duplicate-myid"), 2);
	/* binder2's fsyncs were logged under a lowered threshold, 1 ms. */
	CHECK_INT(zk_fired(&an, "zk-slow-fsync"), 0);
	CHECK_INT(zk_fired(&an, "zk-standalone"), 0);
	CHECK_INT(zk_fired(&an, "zk-epoch-mismatch"), 0);
	/* The clones' lines are not stale addresses: their myids repeat. */
	CHECK_INT(zk_fired(&an, "zk-stale-address"), 0);
	qs_analysis_free(&an);
	qs_run_free(run);
}

DEFINE_TEST(test_parse_zk_bundle_standalone)
{
	struct qs_run		*run = zk_bundle("zk-standalone");
	struct qs_analysis	 an;

	zk_all_clean(run, 27);
	CHECK_STR(zk_t_setting(run, "binder0/var/log/zookeeper/zookeeper.log",
	    "zk.log.standalone"), "true");
	CHECK_STR(zk_t_setting(run, "binder2/zk-srvr.txt", "zk.4lw.mode"),
	    "standalone");
	CHECK(zk_t_setting(run, NULL, "zk.currentEpoch") == NULL);
	qs_analyse(run, &an);
	CHECK_INT(zk_fired(&an, "zk-standalone"), 1);
	CHECK_INT(zk_fired(&an, "zk-split-brain"), 0);
	CHECK_INT(zk_fired(&an, "zk-duplicate-myid"), 0);
	qs_analysis_free(&an);
	qs_run_free(run);
}

DEFINE_TEST(test_parse_zk_bundle_epoch_skew)
{
	struct qs_run		*run = zk_bundle("zk-epoch-skew");
	struct qs_analysis	 an;

	zk_all_clean(run, 34);
	CHECK_STR(zk_t_setting(run, V2("binder0") "currentEpoch",
	    "zk.currentEpoch"), "5");
	CHECK_STR(zk_t_setting(run, V2("binder0") "acceptedEpoch",
	    "zk.acceptedEpoch"), "5");
	CHECK(zk_t_nsignals(run, "binder0/var/log/zookeeper/zookeeper.log",
	    QS_SIG_EPOCH_REFUSED) > 0);
	/* Refusing the leader's epoch is no lost quorum. */
	CHECK_INT(zk_t_nsignals(run, "binder0/var/log/zookeeper/zookeeper.log",
	    QS_SIG_QUORUM_LOST), 0);
	qs_analyse(run, &an);
	CHECK_INT(zk_fired(&an, "zk-epoch-mismatch"), 1);
	CHECK_INT(zk_fired(&an, "zk-no-quorum"), 0);
	CHECK_INT(zk_fired(&an, "zk-split-brain"), 0);
	qs_analysis_free(&an);
	qs_run_free(run);
}

/* The other ensembles: none of the history rules fires. */
DEFINE_TEST(test_parse_zk_bundle_history_rules_quiet)
{
	static const char *const bundles[] = { "zk-healthy", "zk-reconfig",
	    "zk-quorum-loss", "zk-stale-address" };
	static const char *const rules[] = { "zk-split-brain",
	    "zk-duplicate-myid", "zk-standalone", "zk-epoch-mismatch",
	    "zk-slow-fsync" };
	size_t	i, j;

	for (i = 0; i < sizeof(bundles) / sizeof(bundles[0]); i++) {
		struct qs_run		*run = zk_bundle(bundles[i]);
		struct qs_analysis	 an;

		qs_analyse(run, &an);
		for (j = 0; j < sizeof(rules) / sizeof(rules[0]); j++)
			if (zk_fired(&an, rules[j]) != 0)
				qs_test_fail(__FILE__, __LINE__, "%s fires on "
				    "%s", rules[j], bundles[i]);
		qs_analysis_free(&an);
		qs_run_free(run);
	}
}
