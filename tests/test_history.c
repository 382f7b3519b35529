/*
 * The history reconstruction (history.c) and the quorum stretches read
 * from it (quorum.c), on observations fed by hand: interval boundaries
 * and their grades, unknown stretches, partitions that are not crashes,
 * terms ended by a leader's death, learners that never count, and the
 * quiet of a rolling restart.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "test.h"

#define S	1000	/* one second, in ms */

static struct qs_time
th_t(int64_t ms)
{
	struct qs_time	t = { 1, 1, ms };

	return t;
}

static struct qs_evidence	th_ev;	/* any evidence will do */

static void
th_alive(struct qs_history *h, struct qs_hmember *m, int64_t from,
    int64_t to)
{
	struct qs_time	t;
	int64_t		ms;

	for (ms = from; ms <= to; ms += S) {
		t = th_t(ms);
		qs_history_alive(h, m, &t, &th_ev);
	}
}

static void
th_at(void (*fn)(struct qs_history *, struct qs_hmember *,
    const struct qs_time *, const struct qs_evidence *),
    struct qs_history *h, struct qs_hmember *m, int64_t ms)
{
	struct qs_time	t = th_t(ms);

	fn(h, m, &t, &th_ev);
}

static void
th_no_leader(struct qs_history *h, int64_t ms)
{
	struct qs_time	t = th_t(ms);

	qs_history_no_leader(h, &t, &th_ev);
}

static void
th_lost(struct qs_history *h, struct qs_hmember *m, struct qs_hmember *by,
    int64_t ms)
{
	struct qs_time	t = th_t(ms);

	qs_history_unreachable(h, m, by, &t, &th_ev);
}

static void
th_lead(struct qs_history *h, struct qs_hmember *m, uint64_t term, int64_t ms)
{
	struct qs_time	t = th_t(ms);

	qs_history_leader(h, m, 1, term, &t, &th_ev);
}

static void
th_voters(struct qs_history *h, struct qs_hmember **m, size_t n)
{
	struct qs_vec	v = { NULL, 0, 0 };
	size_t		i;

	for (i = 0; i < n; i++)
		qs_vec_push(&v, m[i]);
	qs_history_voters(h, &v, NULL, &th_ev, "test");
	qs_vec_free(&v);
}

static enum qs_live
th_state(const struct qs_hmember *m, int64_t ms)
{
	return qs_history_state_at(m, ms, NULL);
}

static size_t
th_stretches(struct qs_run *run, struct qs_history *h, struct qs_vec *out)
{
	memset(out, 0, sizeof(*out));
	qs_quorum_stretches(run, h, out);
	return out->n;
}

/* A log that ends while a peer goes on complaining: an inferred crash
 * bounded by the last line and the first complaint. */
DEFINE_TEST(test_history_crash_range)
{
	struct qs_arena		 a = { NULL };
	struct qs_history	*h = qs_history_new(&a, QS_SYS_ZOOKEEPER);
	struct qs_hmember	*x = qs_history_member(h, NULL, "1", "x");
	struct qs_hmember	*y = qs_history_member(h, NULL, "2", "y");
	const struct qs_span	*s;

	th_alive(h, x, 0, 10 * S);
	th_alive(h, y, 0, 30 * S);
	th_lost(h, x, y, 14 * S);
	th_lost(h, x, y, 20 * S);
	qs_history_finish(h);
	CHECK(th_state(x, 5 * S) == QS_LIVE_UP);
	CHECK(th_state(x, 12 * S) == QS_LIVE_UNKNOWN);
	CHECK(th_state(x, 14 * S) == QS_LIVE_DOWN);
	CHECK(th_state(x, 29 * S) == QS_LIVE_DOWN);
	(void)qs_history_state_at(x, 20 * S, &s);
	CHECK(s != NULL && s->from.lo == 10 * S && s->from.hi == 14 * S);
	CHECK(s != NULL && s->from.grade == QS_GRADE_INFERRED);
	/* The peer that kept logging stays up to the end. */
	CHECK(th_state(y, 30 * S) == QS_LIVE_UP);
	qs_history_free(h);
	qs_arena_free(&a);
}

/* Complaints while the member's own log goes on are a partition. */
DEFINE_TEST(test_history_partition_not_crash)
{
	struct qs_arena		 a = { NULL };
	struct qs_history	*h = qs_history_new(&a, QS_SYS_ETCD);
	struct qs_hmember	*x = qs_history_member(h, NULL, "a1", "x");
	struct qs_hmember	*y = qs_history_member(h, NULL, "b2", "y");

	th_alive(h, x, 0, 30 * S);
	th_alive(h, y, 0, 30 * S);
	th_lost(h, x, y, 10 * S);
	qs_history_finish(h);
	CHECK(th_state(x, 15 * S) == QS_LIVE_UP);
	CHECK(th_state(x, 30 * S) == QS_LIVE_UP);
	qs_history_free(h);
	qs_arena_free(&a);
}

/* A stop line and a start line: down between them, seen both ways. */
DEFINE_TEST(test_history_seen_restart)
{
	struct qs_arena		 a = { NULL };
	struct qs_history	*h = qs_history_new(&a, QS_SYS_ETCD);
	struct qs_hmember	*x = qs_history_member(h, NULL, "a1", "x");
	const struct qs_span	*s;
	struct qs_time		 t = th_t(10 * S);

	th_alive(h, x, 0, 9 * S);
	qs_history_stop(h, x, &t, &th_ev, "shut down");
	th_at(qs_history_start, h, x, 15 * S);
	th_alive(h, x, 16 * S, 20 * S);
	qs_history_finish(h);
	CHECK(th_state(x, 9 * S) == QS_LIVE_UP);
	CHECK(th_state(x, 12 * S) == QS_LIVE_DOWN);
	CHECK(th_state(x, 15 * S) == QS_LIVE_UP);
	(void)qs_history_state_at(x, 12 * S, &s);
	CHECK(s != NULL && s->from.grade == QS_GRADE_SEEN &&
	    s->from.lo == 10 * S && s->to.lo == 15 * S);
	qs_history_free(h);
	qs_arena_free(&a);
}

/* A start without a stop: it died somewhere in between (unknown). */
DEFINE_TEST(test_history_restart_without_stop)
{
	struct qs_arena		 a = { NULL };
	struct qs_history	*h = qs_history_new(&a, QS_SYS_ZOOKEEPER);
	struct qs_hmember	*x = qs_history_member(h, NULL, "1", "x");

	th_at(qs_history_start, h, x, 0);
	th_alive(h, x, S, 10 * S);
	th_at(qs_history_start, h, x, 20 * S);
	th_alive(h, x, 21 * S, 25 * S);
	qs_history_finish(h);
	CHECK(th_state(x, 10 * S - 1) == QS_LIVE_UP);
	CHECK(th_state(x, 15 * S) == QS_LIVE_UNKNOWN);
	CHECK(th_state(x, 20 * S) == QS_LIVE_UP);
	qs_history_free(h);
	qs_arena_free(&a);
}

/* A member without files: unknown until a peer says, then down. */
DEFINE_TEST(test_history_unknown_member)
{
	struct qs_arena		 a = { NULL };
	struct qs_history	*h = qs_history_new(&a, QS_SYS_ZOOKEEPER);
	struct qs_hmember	*x = qs_history_member(h, NULL, "4", "server.4");
	struct qs_hmember	*y = qs_history_member(h, NULL, "1", "y");
	struct qs_time		 t;

	th_alive(h, y, 0, 30 * S);
	qs_history_finish(h);
	CHECK(th_state(x, 10 * S) == QS_LIVE_UNKNOWN);
	qs_history_free(h);
	qs_arena_free(&a);

	h = qs_history_new(&a, QS_SYS_ZOOKEEPER);
	x = qs_history_member(h, NULL, "4", "server.4");
	y = qs_history_member(h, NULL, "1", "y");
	th_alive(h, y, 0, 30 * S);
	th_lost(h, x, y, 12 * S);
	t = th_t(25 * S);
	qs_history_reachable(h, x, y, &t, &th_ev);
	qs_history_finish(h);
	CHECK(th_state(x, 10 * S) == QS_LIVE_UNKNOWN);
	CHECK(th_state(x, 12 * S) == QS_LIVE_DOWN);
	CHECK(th_state(x, 26 * S) == QS_LIVE_UP);
	qs_history_free(h);
	qs_arena_free(&a);
}

/* Two of three killed: the majority is lost from the second death, the
 * survivor campaigns alone, the term ended by the leader's death. */
DEFINE_TEST(test_history_quorum_lost)
{
	struct qs_arena			 a = { NULL };
	struct qs_run			*run = qs_run_new();
	struct qs_history		*h = qs_history_new(&a, QS_SYS_ETCD);
	struct qs_hmember		*m[3];
	const struct qs_quorum_stretch	*st;
	struct qs_vec			 v;

	m[0] = qs_history_member(h, NULL, "a", "a");
	m[1] = qs_history_member(h, NULL, "b", "b");
	m[2] = qs_history_member(h, NULL, "c", "c");
	th_voters(h, m, 3);
	th_alive(h, m[0], 0, 10 * S);
	th_alive(h, m[1], 0, 20 * S);
	th_alive(h, m[2], 0, 60 * S);
	th_lead(h, m[0], 2, 1 * S);
	th_lost(h, m[0], m[2], 11 * S);
	th_lost(h, m[1], m[2], 21 * S);
	th_no_leader(h, 12 * S);
	th_no_leader(h, 30 * S);
	qs_history_finish(h);
	CHECK(h->terms.n == 1);
	/* Its death is known from the first complaint: the term ends there. */
	CHECK(((struct qs_term *)h->terms.v[0])->to.lo == 11 * S);
	CHECK_INT(th_stretches(run, h, &v), 1);
	st = v.v[0];
	CHECK(st->lost != NULL && st->lost->from == 21 * S);
	CHECK(st->open);
	CHECK(st->worst->down == 2 && st->worst->voters == 3);
	CHECK(st->lost->fell == m[1]);
	qs_vec_free(&v);
	qs_history_free(h);
	qs_arena_free(&a);
	qs_run_free(run);
}

/* One member at a time, leaders moving within the election time: quiet. */
DEFINE_TEST(test_history_rolling_restart_quiet)
{
	struct qs_arena		 a = { NULL };
	struct qs_run		*run = qs_run_new();
	struct qs_history	*h = qs_history_new(&a, QS_SYS_ETCD);
	struct qs_hmember	*m[3];
	struct qs_vec		 v;
	struct qs_time		 t;
	int			 i;

	h->election_ms = 5 * S;
	for (i = 0; i < 3; i++)
		m[i] = qs_history_member(h, NULL, i == 0 ? "a" : i == 1 ?
		    "b" : "c", NULL);
	th_voters(h, m, 3);
	th_lead(h, m[0], 2, 0);
	for (i = 0; i < 3; i++) {
		int64_t	down = (10 + 20 * i) * S;

		th_alive(h, m[i], 0, down - S);
		t = th_t(down);
		qs_history_stop(h, m[i], &t, &th_ev, "shut down");
		th_at(qs_history_start, h, m[i], down + 3 * S);
		th_alive(h, m[i], down + 4 * S, 80 * S);
		th_no_leader(h, down + S);
		th_lead(h, m[(i + 1) % 3], 3 + i, down + 2 * S);
	}
	qs_history_finish(h);
	CHECK_INT(th_stretches(run, h, &v), 0);
	qs_vec_free(&v);
	qs_history_free(h);
	qs_arena_free(&a);
	qs_run_free(run);
}

/* Learners never count: one down learner and one down voter of three
 * voters keep the majority. */
DEFINE_TEST(test_history_learner_never_counts)
{
	struct qs_arena		 a = { NULL };
	struct qs_run		*run = qs_run_new();
	struct qs_history	*h = qs_history_new(&a, QS_SYS_ETCD);
	struct qs_hmember	*m[4];
	struct qs_vec		 v;
	const struct qs_qspan	*q;
	int			 i;

	h->election_ms = 5 * S;
	for (i = 0; i < 4; i++)
		m[i] = qs_history_member(h, NULL, i == 0 ? "a" : i == 1 ? "b" :
		    i == 2 ? "c" : "l", NULL);
	m[3]->learner = 1;
	th_voters(h, m, 4);
	for (i = 0; i < 3; i++)
		th_alive(h, m[i], 0, 60 * S);
	th_lead(h, m[0], 2, 0);
	th_lost(h, m[2], m[0], 20 * S);
	th_lost(h, m[3], m[0], 20 * S);
	qs_history_finish(h);
	q = h->quorum.v[h->quorum.n - 1];
	CHECK_INT(q->voters, 3);
	CHECK(q->state == QS_QUORUM_HELD);
	CHECK_INT(th_stretches(run, h, &v), 0);
	qs_vec_free(&v);
	qs_history_free(h);
	qs_arena_free(&a);
	qs_run_free(run);
}

/* A majority up and no leader for longer than an election: reported;
 * for less: not. */
DEFINE_TEST(test_history_leaderless_majority_up)
{
	struct qs_arena			 a = { NULL };
	struct qs_run			*run = qs_run_new();
	struct qs_history		*h;
	struct qs_hmember		*m[3];
	const struct qs_quorum_stretch	*st;
	struct qs_vec			 v;
	int				 i, len;

	for (len = 2; len <= 60; len += 58) {
		h = qs_history_new(&a, QS_SYS_ZOOKEEPER);
		h->election_ms = 20 * S;
		for (i = 0; i < 3; i++)
			m[i] = qs_history_member(h, NULL, i == 0 ? "1" :
			    i == 1 ? "2" : "3", NULL);
		th_voters(h, m, 3);
		th_alive(h, m[0], 0, 100 * S);
		th_alive(h, m[1], 0, 100 * S);
		th_lost(h, m[2], m[0], 5 * S);
		th_lead(h, m[0], 1, 0);
		qs_history_step_down(h, m[0], &(struct qs_time){ 1, 1,
		    10 * S }, &th_ev, "lost its quorum");
		th_no_leader(h, 11 * S);
		th_lead(h, m[1], 2, (10 + len) * S);
		qs_history_finish(h);
		th_stretches(run, h, &v);
		if (len == 2)
			CHECK_INT(v.n, 0);
		else {
			CHECK_INT(v.n, 1);
			st = v.n > 0 ? v.v[0] : NULL;
			CHECK(st != NULL && st->lost == NULL &&
			    st->held != NULL && st->ms == len * S);
		}
		qs_vec_free(&v);
		qs_history_free(h);
	}
	qs_arena_free(&a);
	qs_run_free(run);
}

/* Two inputs of two unrelated etcd clusters: judged apart, no invented
 * cluster-ID mismatch. */
DEFINE_TEST(test_clusters_two_inputs_apart)
{
	struct qs_run		*run = qs_run_new();
	struct qs_analysis	 an;
	const char		*names[] = { "etcd-healthy",
	    "etcd-prevote-quorum-loss" };
	char			 path[4096];
	size_t			 i, n;

	run->echo_diags = 0;
	run->quiet = 1;
	for (i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/testdata/bundles/%s.tar.gz",
		    qs_test_srcdir(), names[i]);
		CHECK(qs_bundle_read(run, path) == 0);
	}
	qs_nodes_resolve(run);
	qs_analyse(run, &an);
	CHECK_INT(an.clusters.n, 2);
	CHECK(qs_test_finding(&an, "etcd-cluster-id-mismatch", &n) == NULL);
	for (i = 0; i < an.clusters.n; i++) {
		const struct qs_cluster	*c = an.clusters.v[i];

		CHECK_INT(c->nodes.n, 3);
		CHECK(c->system == QS_SYS_ETCD);
	}
	qs_analysis_free(&an);
	qs_run_free(run);
}

/* One bundle of ZooKeeper servers: one ensemble, its history built. */
DEFINE_TEST(test_clusters_zk_one_ensemble)
{
	struct qs_run		*run = qs_test_bundle("zk-quorum-loss");
	struct qs_analysis	 an;
	const struct qs_cluster	*c;

	qs_analyse(run, &an);
	CHECK_INT(an.clusters.n, 1);
	c = an.clusters.n > 0 ? an.clusters.v[0] : NULL;
	CHECK(c != NULL && c->nodes.n == 3 && c->history != NULL &&
	    c->history->timed);
	CHECK(c != NULL && c->verdict == QS_VERDICT_FINDINGS &&
	    c->cause != NULL && strcmp(c->cause->rule->id, "zk-no-quorum") == 0);
	qs_analysis_free(&an);
	qs_run_free(run);
}
