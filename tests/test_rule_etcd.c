/*
 * etcd rules over the real bundles of testdata/bundles: each rule fires on
 * the bundle whose README states its fault, with the repair naming the
 * right member, and none fires on etcd-healthy.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "quorumscope.h"
#include "test.h"

struct er {
	struct qs_run		*run;
	struct qs_analysis	 an;
};

static void
er_read(struct er *r, const char *name)
{
	memset(r, 0, sizeof(*r));
	r->run = qs_test_bundle(name);
	qs_analyse(r->run, &r->an);
}

static void
er_free(struct er *r)
{
	qs_analysis_free(&r->an);
	qs_run_free(r->run);
}

static const struct qs_finding *
er_finding(struct er *r, const char *rule)
{
	return qs_test_finding(&r->an, rule, NULL);
}

#define er_has	qs_test_vec_has

static size_t
er_etcd_findings(struct er *r)
{
	size_t	i, n = 0;

	for (i = 0; i < r->an.findings.n; i++)
		if (((const struct qs_finding *)r->an.findings.v[i])->rule->
		    system == QS_SYS_ETCD)
			n++;
	return n;
}

DEFINE_TEST(test_rule_etcd_healthy_quiet)
{
	struct er	r;

	er_read(&r, "etcd-healthy");
	CHECK_INT(er_etcd_findings(&r), 0);
	er_free(&r);
	er_read(&r, "etcd-backup-dump");
	CHECK_INT(er_etcd_findings(&r), 0);
	er_free(&r);
}

DEFINE_TEST(test_rule_etcd_wiped_member)
{
	struct er		 r;
	const struct qs_finding	*f;

	er_read(&r, "etcd-wiped-member");
	f = er_finding(&r, "etcd-cluster-id-mismatch");
	CHECK(f != NULL);
	if (f != NULL) {
		CHECK_INT(f->nodes.n, 1);
		CHECK_STR(((const struct qs_node *)f->nodes.v[0])->name,
		    "etcd3");
		CHECK(er_has(&f->facts, "59d08371d4b1f2f5"));
		CHECK(er_has(&f->steps, "etcdctl member remove "
		    "984bd2f86d62a320"));
		CHECK(er_has(&f->steps, "--initial-cluster-state existing"));
		CHECK(er_has(&f->steps,
		    "etcd-wiped-member/etcd3/var/lib/etcd"));
	}
	/*
	 * The stray campaigns in a cluster of its own; the cluster it left
	 * kept its majority, and the stray's members are not its voters.
	 */
	CHECK(er_finding(&r, "etcd-quorum-loss") == NULL);
	CHECK(er_finding(&r, "etcd-removed-member-present") == NULL);
	CHECK(er_finding(&r, "etcd-unstarted-member") == NULL);
	er_free(&r);
}

DEFINE_TEST(test_rule_etcd_member_changes)
{
	struct er		 r;
	const struct qs_finding	*f;

	er_read(&r, "etcd-member-changes");
	f = er_finding(&r, "etcd-removed-member-present");
	CHECK(f != NULL);
	if (f != NULL) {
		CHECK(strstr(f->title, "f0571bfc918b88ca (etcd2) ran again") !=
		    NULL);
		CHECK(er_has(&f->facts, "started again after its removal"));
		CHECK(er_has(&f->facts, "permanently removed"));
	}
	f = er_finding(&r, "etcd-unstarted-member");
	CHECK(f != NULL);
	if (f != NULL) {
		CHECK(strstr(f->title, "5cf031bdbb155b4b") != NULL);
		CHECK(er_has(&f->steps, "etcdctl member remove "
		    "5cf031bdbb155b4b"));
	}
	CHECK(er_finding(&r, "etcd-membership-differ") != NULL);
	CHECK(er_finding(&r, "etcd-cluster-id-mismatch") == NULL);
	CHECK(er_finding(&r, "etcd-quorum-loss") == NULL);
	er_free(&r);
}

DEFINE_TEST(test_rule_etcd_force_new_cluster)
{
	struct er		 r;
	const struct qs_finding	*f;

	er_read(&r, "etcd-force-new-cluster");
	f = er_finding(&r, "etcd-membership-differ");
	CHECK(f != NULL);
	if (f != NULL)
		CHECK_INT(f->nodes.n, 3);
	CHECK(f != NULL && er_has(&f->facts,
	    "etcd1 was started with --force-new-cluster"));
	/* etcd2 came back and was refused; etcd3 never ran again */
	f = er_finding(&r, "etcd-removed-member-present");
	CHECK(f != NULL);
	if (f != NULL) {
		CHECK_INT(f->nodes.n, 1);
		CHECK(strstr(f->title, "(etcd2)") != NULL);
	}
	CHECK(er_finding(&r, "etcd-cluster-id-mismatch") == NULL);
	er_free(&r);
}

/* A model built by hand: settings and events of an etcd artifact. */
static struct qs_parse_ctx *
er_ctx(struct qs_run *run, const char *node)
{
	return qs_test_model_ctx(run, node, "etcd.wal",
	    "var/lib/etcd/member/wal/0000000000000000-0000000000000000.wal");
}

static void
er_setting(struct qs_run *run, const char *node, const char *key,
    const char *value)
{
	struct qs_parse_ctx	*ctx = er_ctx(run, node);
	struct qs_evidence	 ev = qs_evidence_offset(ctx, 0, NULL);

	qs_emit_setting(ctx, key, value, &ev);
}

static void
er_event(struct qs_run *run, const char *node, enum qs_event_kind kind,
    int64_t ms, uint64_t term)
{
	struct qs_parse_ctx	*ctx = er_ctx(run, node);
	struct qs_evidence	 ev = qs_evidence_line(ctx, 1, "excerpt");
	struct qs_event		*e = qs_emit_event(ctx, kind, NULL, &ev);

	e->time.set = e->time.zone_known = 1;
	e->time.ms = ms;
	e->clock.set |= QS_CLOCK_TERM;
	e->clock.term = term;
}

static void
er_model_analyse(struct er *r)
{
	qs_nodes_resolve(r->run);
	qs_analyse(r->run, &r->an);
}

DEFINE_TEST(test_rule_etcd_quorum_loss_survivor)
{
	struct er		 r;
	const struct qs_finding	*f;

	memset(&r, 0, sizeof(r));
	r.run = qs_run_new();
	r.run->echo_diags = 0;
	er_setting(r.run, "node1", "etcd.cluster_id", "c1");
	er_setting(r.run, "node1", "etcd.hardstate.commit", "40");
	er_setting(r.run, "node2", "etcd.cluster_id", "c1");
	er_setting(r.run, "node2", "etcd.hardstate.commit", "41");
	er_setting(r.run, "node2", "etcd.db.consistent_index", "57");
	er_setting(r.run, "node3", "etcd.cluster_id", "c1");
	er_setting(r.run, "node3", "etcd.hardstate.commit", "55");
	er_event(r.run, "node1", QS_EV_LEADER_ELECTED, 1000, 2);
	er_event(r.run, "node1", QS_EV_ELECTION_START, 5000, 3);
	er_event(r.run, "node1", QS_EV_ELECTION_START, 7000, 4);
	er_event(r.run, "node1", QS_EV_ELECTION_START, 9000, 5);
	er_model_analyse(&r);
	f = er_finding(&r, "etcd-quorum-loss");
	CHECK(f != NULL && er_has(&f->steps,
	    "start node2 once with --force-new-cluster"));
	er_free(&r);

	/* A leader after the campaign: no finding. */
	memset(&r, 0, sizeof(r));
	r.run = qs_run_new();
	r.run->echo_diags = 0;
	er_event(r.run, "node1", QS_EV_ELECTION_START, 5000, 3);
	er_event(r.run, "node1", QS_EV_ELECTION_START, 7000, 4);
	er_event(r.run, "node1", QS_EV_LEADER_ELECTED, 8000, 4);
	er_model_analyse(&r);
	CHECK(er_finding(&r, "etcd-quorum-loss") == NULL);
	er_free(&r);
}

/* The leader frozen five times (SIGSTOP): terms race, late heartbeats. */
DEFINE_TEST(test_rule_etcd_leader_flapping)
{
	struct er		 r;
	const struct qs_finding	*f;

	er_read(&r, "etcd-leader-flapping");
	f = er_finding(&r, "etcd-election-storm");
	CHECK(f != NULL);
	if (f != NULL) {
		CHECK_INT(f->nodes.n, 3);
		CHECK(er_has(&f->facts, "Term 4: etcd7 led from"));
		CHECK(er_has(&f->facts, "sent heartbeats late"));
		CHECK(er_has(&f->steps, "--election-timeout"));
	}
	f = er_finding(&r, "etcd-slow-disk");
	CHECK(f != NULL);
	if (f != NULL) {
		CHECK(er_has(&f->facts, "slow fdatasync"));
		CHECK(er_has(&f->facts, "contributes to etcd-election-storm"));
	}
	/* a majority was up all the time */
	CHECK(er_finding(&r, "etcd-quorum-loss") == NULL);
	CHECK(er_finding(&r, "etcd-membership-differ") == NULL);
	er_free(&r);
}

/* Two of three killed; the survivor pre-campaigns at term 2. */
DEFINE_TEST(test_rule_etcd_prevote_quorum_loss)
{
	struct er		 r;
	const struct qs_finding	*f;

	er_read(&r, "etcd-prevote-quorum-loss");
	f = er_finding(&r, "etcd-quorum-loss");
	CHECK(f != NULL);
	if (f != NULL) {
		/* From the history: who went down, who campaigned. */
		CHECK(er_has(&f->facts, "etcd6 went down between"));
		CHECK(er_has(&f->facts, "etcd7 went down between"));
		CHECK(er_has(&f->facts, "etcd8 ran 9 pre-vote rounds at term "
		    "2"));
		CHECK(er_has(&f->facts, "still lost at the end"));
		/* Equal logs: the survivor that still runs. */
		CHECK(er_has(&f->steps, "stop etcd on etcd8 and start it once "
		    "with --force-new-cluster"));
	}
	CHECK(er_finding(&r, "etcd-election-storm") == NULL);
	er_free(&r);
}

/* etcd3's "already bootstrapped" is part of its cluster ID mismatch. */
DEFINE_TEST(test_rule_etcd_bootstrap_conflict_explained)
{
	struct er	r;

	er_read(&r, "etcd-wiped-member");
	CHECK(er_finding(&r, "etcd-cluster-id-mismatch") != NULL);
	CHECK(er_finding(&r, "etcd-bootstrap-conflict") == NULL);
	CHECK(er_finding(&r, "etcd-election-storm") == NULL);
	er_free(&r);
}

/* etcd8 added, then started with a two-member --initial-cluster. */
DEFINE_TEST(test_rule_etcd_bootstrap_unequal)
{
	struct er		 r;
	const struct qs_finding	*f;

	er_read(&r, "etcd-bootstrap-unequal");
	f = er_finding(&r, "etcd-bootstrap-conflict");
	CHECK(f != NULL);
	if (f != NULL) {
		CHECK_INT(f->nodes.n, 1);
		CHECK_STR(((const struct qs_node *)f->nodes.v[0])->name,
		    "etcd8");
		CHECK(er_has(&f->facts, "member count is unequal"));
		CHECK(er_has(&f->steps, "--initial-cluster-state existing"));
		CHECK(er_has(&f->steps, "etcd8=http://127.0.0.38:23908"));
	}
	/* the cluster counts it as a voter that never started */
	CHECK(er_finding(&r, "etcd-unstarted-member") != NULL);
	CHECK(er_finding(&r, "etcd-cluster-id-mismatch") == NULL);
	er_free(&r);
}
