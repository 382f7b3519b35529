/*
 * The rules, the timeline and node resolution on hand-built models: each
 * test records the observations a parser would, runs the analysis, and
 * checks which findings come out (and which do not).
 */
#include "config.h"

#include <stdarg.h>
#include <stdlib.h>

#include "test.h"

/* A model under construction: one run, artifacts on named nodes. */
struct tm {
	struct qs_run		*run;
	struct qs_analysis	 an;
	int			 analysed;
};

static void
tm_init(struct tm *m)
{
	memset(m, 0, sizeof(*m));
	m->run = qs_run_new();
	m->run->echo_diags = 0;
}

/* A parse context for an artifact of `kind` in node `node`'s directory. */
static struct qs_parse_ctx *
tm_ctx(struct tm *m, const char *node, const char *kind, const char *file)
{
	return qs_test_model_ctx(m->run, node, kind, file);
}

static struct qs_evidence
tm_ev(struct qs_parse_ctx *ctx, uint64_t line)
{
	return qs_evidence_line(ctx, line, "excerpt");
}

static void
tm_setting(struct tm *m, const char *node, const char *key, const char *value)
{
	struct qs_parse_ctx	*ctx = tm_ctx(m, node, "consul.config",
	    "consul/config/consul.json");
	struct qs_evidence	 ev = tm_ev(ctx, 1);

	qs_emit_setting(ctx, key, value, &ev);
}

/* Three servers, node1..node3 at 10.0.0.1..3, with their serf views. */
static void
tm_servers(struct tm *m, int with_serf)
{
	static const char *const names[] = { "node1", "node2", "node3" };
	size_t			 i, j;

	for (i = 0; i < 3; i++) {
		struct qs_parse_ctx	*ctx;
		struct qs_evidence	 ev;
		struct qs_view		*v;

		tm_setting(m, names[i], "server", "true");
		/* Explicitly safe, so that only what a test adds is found. */
		tm_setting(m, names[i], "skip_leave_on_interrupt", "true");
		ctx = tm_ctx(m, names[i], "consul.log", "consul.log");
		ev = tm_ev(ctx, 1);
		qs_emit_identity(ctx, QS_ID_ADDRESS, qs_arena_printf(
		    &m->run->arena, "10.0.0.%zu:8300", i + 1), "raft", NULL, &ev);
		if (!with_serf)
			continue;
		ctx = tm_ctx(m, names[i], "consul.serf_snapshot",
		    "serf/local.snapshot");
		ev = tm_ev(ctx, 1);
		v = qs_emit_view(ctx, QS_VIEW_GOSSIP, "serf LAN snapshot", &ev);
		for (j = 0; j < 3; j++)
			qs_view_add(ctx, v, names[j], qs_arena_printf(
			    &m->run->arena, "10.0.0.%zu:8301", j + 1), NULL,
			    QS_MEMBER_ALIVE);
	}
}

/* A legacy peers.json view on `node`; addresses NULL-terminated. */
static void
tm_peers(struct tm *m, const char *node, int is_null, ...)
{
	struct qs_parse_ctx	*ctx = tm_ctx(m, node, "consul.peers_json",
	    "raft/peers.json");
	struct qs_evidence	 ev = tm_ev(ctx, 1);
	struct qs_view		*v;
	const char		*a;
	va_list			 ap;

	v = qs_emit_view(ctx, QS_VIEW_CONSENSUS, "raft/peers.json (legacy)",
	    &ev);
	v->is_null = is_null;
	va_start(ap, is_null);
	while ((a = va_arg(ap, const char *)) != NULL)
		qs_view_add(ctx, v, NULL, a, NULL, QS_MEMBER_LISTED);
	va_end(ap);
}

static struct qs_event *
tm_event(struct tm *m, const char *node, enum qs_event_kind kind,
    const char *subject, int64_t ms, uint64_t term)
{
	struct qs_parse_ctx	*ctx = tm_ctx(m, node, "consul.log", "consul.log");
	struct qs_evidence	 ev = tm_ev(ctx, 1);
	struct qs_event		*e = qs_emit_event(ctx, kind, subject, &ev);

	if (ms >= 0) {
		e->time.set = e->time.zone_known = 1;
		e->time.ms = ms;
	}
	if (term != 0) {
		e->clock.set |= QS_CLOCK_TERM;
		e->clock.term = term;
	}
	return e;
}

static struct qs_signal *
tm_signal(struct tm *m, const char *node, enum qs_signal_kind kind,
    const char *subject, int64_t ms)
{
	struct qs_parse_ctx	*ctx = tm_ctx(m, node, "consul.log", "consul.log");
	struct qs_evidence	 ev = tm_ev(ctx, 1);
	struct qs_signal	*s = qs_emit_signal(ctx, kind, subject, &ev);

	if (ms >= 0) {
		s->time.set = 1;
		s->time.ms = ms;
	}
	return s;
}

static void
tm_analyse(struct tm *m)
{
	qs_nodes_resolve(m->run);
	qs_analyse(m->run, &m->an);
	m->analysed = 1;
}

/* The finding of `rule`, or NULL; *count gets how many there are. */
static const struct qs_finding *
tm_finding(struct tm *m, const char *rule, size_t *count)
{
	const struct qs_finding	*found = NULL;
	size_t			 i, n = 0;

	for (i = 0; i < m->an.findings.n; i++) {
		const struct qs_finding	*f = m->an.findings.v[i];

		if (strcmp(f->rule->id, rule) == 0) {
			if (found == NULL)
				found = f;
			n++;
		}
	}
	if (count != NULL)
		*count = n;
	return found;
}

static int
tm_has_step(const struct qs_finding *f, const char *needle)
{
	size_t	i;

	for (i = 0; f != NULL && i < f->steps.n; i++)
		if (strstr(f->steps.v[i], needle) != NULL)
			return 1;
	return 0;
}

static void
tm_free(struct tm *m)
{
	if (m->analysed)
		qs_analysis_free(&m->an);
	qs_run_free(m->run);
}

DEFINE_TEST(test_rules_consul_peers_empty)
{
	struct tm			 m;
	const struct qs_finding		*f;

	tm_init(&m);
	tm_servers(&m, 1);
	tm_peers(&m, "node1", 1, NULL);
	tm_peers(&m, "node2", 0, NULL);
	tm_peers(&m, "node3", 0, "10.0.0.1:8300", "10.0.0.2:8300",
	    "10.0.0.3:8300", NULL);
	tm_analyse(&m);
	f = tm_finding(&m, "consul-peers-empty", NULL);
	CHECK(f != NULL);
	if (f != NULL) {
		CHECK_INT(f->level, QS_LEVEL_CRITICAL);	/* 2 of 3 */
		CHECK_INT(f->nodes.n, 2);
		/* The exact file to write, legacy form, on every server. */
		CHECK(tm_has_step(f, "On node1 write raft/peers.json in its "
		    "data directory:\n[\"10.0.0.1:8300\", \"10.0.0.2:8300\", "
		    "\"10.0.0.3:8300\"]"));
	}
	tm_free(&m);

	/* One server of three: an error, not yet a lost quorum. */
	tm_init(&m);
	tm_servers(&m, 1);
	tm_peers(&m, "node1", 1, NULL);
	tm_analyse(&m);
	f = tm_finding(&m, "consul-peers-empty", NULL);
	CHECK(f != NULL && f->level == QS_LEVEL_ERROR);
	tm_free(&m);

	/* A single server is allowed to be alone. */
	tm_init(&m);
	tm_setting(&m, "solo", "server", "true");
	tm_peers(&m, "solo", 0, "10.0.0.1:8300", NULL);
	tm_analyse(&m);
	CHECK(tm_finding(&m, "consul-peers-empty", NULL) == NULL);
	tm_free(&m);
}

DEFINE_TEST(test_rules_consul_peers_differ_and_stale)
{
	struct tm			 m;
	const struct qs_finding		*f;

	tm_init(&m);
	tm_servers(&m, 1);
	tm_peers(&m, "node1", 0, "10.0.0.1:8300", "10.0.0.2:8300",
	    "10.0.0.3:8300", NULL);
	tm_peers(&m, "node2", 0, "10.0.0.1:8300", "10.0.0.2:8300",
	    "10.0.0.3:8300", NULL);
	tm_peers(&m, "node3", 0, "10.0.0.1:8300", "10.0.0.2:8300",
	    "10.0.0.3:8300", "10.0.0.9:8300", NULL);
	tm_analyse(&m);
	CHECK(tm_finding(&m, "consul-peers-differ", NULL) != NULL);
	f = tm_finding(&m, "consul-stale-peer", NULL);
	CHECK(f != NULL);
	if (f != NULL) {
		CHECK_INT(f->nodes.n, 1);
		CHECK_STR(((struct qs_node *)f->nodes.v[0])->name, "node3");
		CHECK(strstr(f->facts.v[0], "10.0.0.9:8300") != NULL);
		CHECK(strstr(f->facts.v[0], "never seen") != NULL);
	}
	tm_free(&m);

	/* The same sets everywhere, all alive in serf: nothing. */
	tm_init(&m);
	tm_servers(&m, 1);
	tm_peers(&m, "node1", 0, "10.0.0.1:8300", "10.0.0.2:8300",
	    "10.0.0.3:8300", NULL);
	tm_peers(&m, "node2", 0, "10.0.0.3:8300", "10.0.0.2:8300",
	    "10.0.0.1:8300", NULL);
	tm_analyse(&m);
	CHECK(tm_finding(&m, "consul-peers-differ", NULL) == NULL);
	CHECK(tm_finding(&m, "consul-stale-peer", NULL) == NULL);
	if (m.an.findings.n != 0)
		CHECK_STR(((struct qs_finding *)m.an.findings.v[0])->rule->id,
		    "(none)");
	tm_free(&m);
}

DEFINE_TEST(test_rules_consul_peers_recovery)
{
	struct tm		 m;
	struct qs_parse_ctx	*ctx;
	struct qs_evidence	 ev;
	struct qs_view		*v;
	const struct qs_finding	*f;

	tm_init(&m);
	tm_servers(&m, 1);
	ctx = tm_ctx(&m, "node1", "consul.peers_info", "raft/peers.info");
	ev = tm_ev(ctx, 1);
	qs_emit_setting(ctx, "raft.peers_info", "present", &ev);
	ctx = tm_ctx(&m, "node1", "consul.peers_json", "raft/peers.json");
	ev = tm_ev(ctx, 1);
	v = qs_emit_view(ctx, QS_VIEW_CONSENSUS, "raft/peers.json (recovery)",
	    &ev);
	qs_view_add(ctx, v, NULL, "10.0.0.1:8300", "id-1", QS_MEMBER_VOTER);
	tm_setting(&m, "node1", "raft_protocol", "2");
	tm_analyse(&m);
	f = tm_finding(&m, "consul-peers-recovery", NULL);
	CHECK(f != NULL);
	/* Objects for a protocol-2 server: the recovery would fail. */
	CHECK(f != NULL && f->level == QS_LEVEL_ERROR);
	tm_free(&m);
}

DEFINE_TEST(test_rules_consul_bootstrap)
{
	struct tm		 m;
	const struct qs_finding	*f;

	tm_init(&m);
	tm_servers(&m, 1);
	tm_setting(&m, "node1", "bootstrap", "true");
	tm_setting(&m, "node2", "bootstrap", "true");
	tm_analyse(&m);
	f = tm_finding(&m, "consul-multiple-bootstrap", NULL);
	CHECK(f != NULL && f->level == QS_LEVEL_CRITICAL);
	tm_free(&m);

	tm_init(&m);
	tm_servers(&m, 1);
	tm_setting(&m, "node1", "bootstrap", "true");
	tm_analyse(&m);
	f = tm_finding(&m, "consul-multiple-bootstrap", NULL);
	CHECK(f != NULL && f->level == QS_LEVEL_WARNING);
	tm_free(&m);

	tm_init(&m);
	tm_servers(&m, 1);
	tm_setting(&m, "node1", "bootstrap_expect", "3");
	tm_setting(&m, "node2", "bootstrap_expect", "3");
	tm_setting(&m, "node3", "bootstrap_expect", "5");
	tm_analyse(&m);
	CHECK(tm_finding(&m, "consul-expect-mismatch", NULL) != NULL);
	CHECK(tm_finding(&m, "consul-multiple-bootstrap", NULL) == NULL);
	tm_free(&m);

	tm_init(&m);
	tm_servers(&m, 1);
	tm_setting(&m, "node1", "bootstrap_expect", "3");
	tm_setting(&m, "node2", "bootstrap_expect", "3");
	tm_setting(&m, "node3", "bootstrap_expect", "3");
	tm_analyse(&m);
	CHECK(tm_finding(&m, "consul-expect-mismatch", NULL) == NULL);
	tm_free(&m);
}

DEFINE_TEST(test_rules_consul_leaving)
{
	struct tm		 m;
	const struct qs_finding	*f;

	tm_init(&m);
	tm_servers(&m, 1);
	tm_setting(&m, "node1", "skip_leave_on_interrupt", "false");
	tm_signal(&m, "node1", QS_SIG_GRACEFUL_LEAVE, NULL, 1000);
	tm_signal(&m, "node2", QS_SIG_GRACEFUL_LEAVE, NULL, 1100);
	tm_analyse(&m);
	f = tm_finding(&m, "consul-majority-left", NULL);
	CHECK(f != NULL && f->nodes.n == 2);
	f = tm_finding(&m, "consul-leave-hazard", NULL);
	CHECK(f != NULL && f->nodes.n == 1);
	tm_free(&m);

	/* One of three left: a departure, not an outage. */
	tm_init(&m);
	tm_servers(&m, 1);
	tm_signal(&m, "node1", QS_SIG_GRACEFUL_LEAVE, NULL, 1000);
	tm_setting(&m, "node1", "skip_leave_on_interrupt", "true");
	tm_analyse(&m);
	CHECK(tm_finding(&m, "consul-majority-left", NULL) == NULL);
	CHECK(tm_finding(&m, "consul-leave-hazard", NULL) == NULL);
	tm_free(&m);
}

DEFINE_TEST(test_rules_consul_leaders)
{
	struct tm		 m;
	const struct qs_finding	*f;

	/* Two leaders of one term, both still active: split brain. */
	tm_init(&m);
	tm_servers(&m, 1);
	tm_event(&m, "node1", QS_EV_LEADER_ELECTED, NULL, 1000, 2);
	tm_event(&m, "node2", QS_EV_LEADER_ELECTED, NULL, 5000, 2);
	tm_event(&m, "node1", QS_EV_JOIN, "node3", 9000, 0);
	tm_analyse(&m);
	f = tm_finding(&m, "consul-split-brain", NULL);
	CHECK(f != NULL && f->nodes.n == 2);
	tm_free(&m);

	/* A clean handover: node1 steps down before node2 is elected. */
	tm_init(&m);
	tm_servers(&m, 1);
	tm_event(&m, "node1", QS_EV_LEADER_ELECTED, NULL, 1000, 2);
	tm_event(&m, "node1", QS_EV_LEADER_LOST, NULL, 4000, 0);
	tm_event(&m, "node2", QS_EV_LEADER_ELECTED, NULL, 5000, 3);
	tm_event(&m, "node1", QS_EV_JOIN, "node3", 9000, 0);
	tm_analyse(&m);
	CHECK(tm_finding(&m, "consul-split-brain", NULL) == NULL);
	CHECK(tm_finding(&m, "consul-stale-leader", NULL) == NULL);
	tm_free(&m);

	/* node1 goes silent, node2 is elected, node1 restarts later. */
	tm_init(&m);
	tm_servers(&m, 1);
	tm_event(&m, "node1", QS_EV_LEADER_ELECTED, NULL, 1000, 2);
	tm_event(&m, "node2", QS_EV_LEADER_ELECTED, NULL, 5000, 3);
	tm_event(&m, "node1", QS_EV_START, NULL, 9000, 0);
	tm_analyse(&m);
	CHECK(tm_finding(&m, "consul-split-brain", NULL) == NULL);
	f = tm_finding(&m, "consul-stale-leader", NULL);
	CHECK(f != NULL && f->level == QS_LEVEL_WARNING);
	tm_free(&m);

	/* "No cluster leader" after the last election. */
	tm_init(&m);
	tm_servers(&m, 1);
	tm_event(&m, "node1", QS_EV_LEADER_ELECTED, NULL, 1000, 2);
	tm_signal(&m, "node2", QS_SIG_NO_LEADER, NULL, 500);
	tm_analyse(&m);
	CHECK(tm_finding(&m, "consul-no-leader", NULL) == NULL);
	tm_free(&m);
	/*
	 * The leader's and node3's logs end, the others report them: the
	 * quorum is lost, and the survivor with the most log is named.
	 */
	tm_init(&m);
	tm_servers(&m, 1);
	tm_peers(&m, "node1", 0, "10.0.0.1:8300", "10.0.0.2:8300",
	    "10.0.0.3:8300", NULL);
	tm_event(&m, "node1", QS_EV_LEADER_ELECTED, NULL, 1000, 2);
	tm_event(&m, "node1", QS_EV_UPDATE, NULL, 2000, 0);
	tm_event(&m, "node3", QS_EV_UPDATE, NULL, 3000, 0);
	tm_event(&m, "node2", QS_EV_FAIL, "node1", 6000, 0);
	tm_event(&m, "node2", QS_EV_FAIL, "node3", 7000, 0);
	tm_signal(&m, "node2", QS_SIG_NO_LEADER, NULL, 8000);
	tm_signal(&m, "node2", QS_SIG_NO_LEADER, NULL, 20000);
	/* The survivor: the most raft log, whatever its source. */
	tm_setting(&m, "node1", "raft.last_index", "120");
	tm_setting(&m, "node2", "raft.last_index", "131");
	tm_setting(&m, "node3", "raft.snapshot_index", "125");
	tm_analyse(&m);
	f = tm_finding(&m, "consul-no-leader", NULL);
	CHECK(f != NULL && f->nodes.n == 2);
	CHECK(f != NULL && strstr(f->title, "2 of 3 voters down") != NULL);
	CHECK(tm_has_step(f, "use node2: node2 has the most of the raft log, "
	    "among the servers still up (node1 last log index 120 (down), "
	    "node2 last log index 131, node3 snapshot index 125 (down))"));
	tm_free(&m);
}

DEFINE_TEST(test_rules_consul_identity)
{
	struct tm		 m;
	struct qs_parse_ctx	*ctx;
	struct qs_evidence	 ev;

	tm_init(&m);
	tm_servers(&m, 1);
	ctx = tm_ctx(&m, "node1", "consul.node_id", "node-id");
	ev = tm_ev(ctx, 1);
	qs_emit_identity(ctx, QS_ID_NODE_ID, "0a1b2c3d-1111-2222-3333-"
	    "444455556666", NULL, NULL, &ev);
	ctx = tm_ctx(&m, "node2", "consul.node_id", "node-id");
	ev = tm_ev(ctx, 1);
	qs_emit_identity(ctx, QS_ID_NODE_ID, "0a1b2c3d-1111-2222-3333-"
	    "444455556666", NULL, NULL, &ev);
	tm_signal(&m, "node3", QS_SIG_NAME_CONFLICT, "node3", 1000);
	tm_signal(&m, "node3", QS_SIG_KEY_MISMATCH, "10.0.0.1:8301", 1000);
	tm_analyse(&m);
	CHECK(tm_finding(&m, "consul-duplicate-node-id", NULL) != NULL);
	CHECK(tm_finding(&m, "consul-name-conflict", NULL) != NULL);
	CHECK(tm_finding(&m, "consul-gossip-key", NULL) != NULL);
	tm_free(&m);
}

DEFINE_TEST(test_timeline_merge_and_skew)
{
	struct tm		 m;
	struct qs_tl_entry	*t;
	size_t			 i;

	tm_init(&m);
	tm_servers(&m, 0);
	/*
	 * One join seen by three nodes; node3's clock runs 1.5 s ahead,
	 * over three shared events.
	 */
	for (i = 0; i < 3; i++) {
		int64_t	base = 100000 + (int64_t)i * 60000;

		tm_event(&m, "node1", QS_EV_JOIN, "node2", base, 0);
		tm_event(&m, "node2", QS_EV_JOIN, "node2", base + 10, 0);
		tm_event(&m, "node3", QS_EV_JOIN, "node2", base + 1500, 0);
	}
	/* Not the same event: another subject, and far apart in time. */
	tm_event(&m, "node1", QS_EV_JOIN, "node3", 100000, 0);
	tm_event(&m, "node1", QS_EV_FAIL, "node2", 100000, 0);
	tm_analyse(&m);
	CHECK_INT(m.an.timeline.entries.n, 5);
	for (i = 0, t = NULL; i < m.an.timeline.entries.n; i++) {
		struct qs_tl_entry	*c = m.an.timeline.entries.v[i];

		if (c->event->kind == QS_EV_JOIN && c->event->time.ms <
		    110000 && strcmp(qs_tl_subject(c->event), "node2") == 0)
			t = c;
	}
	CHECK(t != NULL);
	CHECK(t != NULL && t->observers.n == 3);
	CHECK(t != NULL && t->seen.n == 3);
	CHECK_INT(m.an.timeline.skews.n, 1);
	if (m.an.timeline.skews.n == 1) {
		struct qs_skew	*sk = m.an.timeline.skews.v[0];

		CHECK_STR(sk->node->name, "node3");
		CHECK(sk->ms >= 1400 && sk->ms <= 1500);
	}
	tm_free(&m);
}

DEFINE_TEST(test_timeline_order_untimed_by_clock)
{
	struct tm		 m;
	struct qs_event		*e;
	size_t			 i;

	tm_init(&m);
	tm_servers(&m, 0);
	e = tm_event(&m, "node1", QS_EV_JOIN, "node3", -1, 0);
	e->clock.set = QS_CLOCK_LAMPORT;
	e->clock.lamport = 9;
	e = tm_event(&m, "node1", QS_EV_JOIN, "node2", -1, 0);
	e->clock.set = QS_CLOCK_LAMPORT;
	e->clock.lamport = 4;
	tm_event(&m, "node2", QS_EV_LEAVE, "node1", 5000, 0);
	tm_analyse(&m);
	CHECK_INT(m.an.timeline.entries.n, 3);
	for (i = 0; i < m.an.timeline.entries.n; i++) {
		struct qs_tl_entry	*t = m.an.timeline.entries.v[i];

		if (i == 0)
			CHECK(t->event->time.set);
		if (i == 1)
			CHECK_INT(t->event->clock.lamport, 4);
		if (i == 2)
			CHECK_INT(t->event->clock.lamport, 9);
	}
	tm_free(&m);
}

DEFINE_TEST(test_resolve_members_to_nodes)
{
	struct tm		 m;
	struct qs_parse_ctx	*ctx;
	struct qs_evidence	 ev;
	struct qs_event		*e;

	tm_init(&m);
	tm_servers(&m, 0);
	/* node2 says that "srv-b" is at 10.0.0.2: its serf name. */
	ctx = tm_ctx(&m, "node2", "consul.log", "consul.log");
	ev = tm_ev(ctx, 1);
	qs_emit_identity(ctx, QS_ID_ADDRESS, "10.0.0.2", "serf", "srv-b", &ev);
	e = tm_event(&m, "node1", QS_EV_FAIL, "srv-b", 1000, 0);
	tm_analyse(&m);
	CHECK(e->subject_node != NULL &&
	    strcmp(e->subject_node->name, "node2") == 0);
	CHECK(qs_model_lookup(m.run, "10.0.0.3:8301") != NULL);
	CHECK(qs_model_lookup(m.run, "10.0.0.99") == NULL);
	tm_free(&m);
}

DEFINE_TEST(test_rules_consul_raft_state)
{
	struct tm		 m;
	const struct qs_finding	*f;

	tm_init(&m);
	tm_servers(&m, 1);
	tm_setting(&m, "node1", "raft.current_term", "4");
	tm_setting(&m, "node2", "raft.current_term", "4");
	tm_setting(&m, "node3", "raft.current_term", "12");
	tm_analyse(&m);
	f = tm_finding(&m, "consul-term-ahead", NULL);
	CHECK(f != NULL && f->nodes.n == 1 &&
	    strcmp(((struct qs_node *)f->nodes.v[0])->name, "node3") == 0);
	tm_free(&m);

	/* One or two terms apart is ordinary. */
	tm_init(&m);
	tm_servers(&m, 1);
	tm_setting(&m, "node1", "raft.current_term", "4");
	tm_setting(&m, "node2", "raft.current_term", "5");
	tm_setting(&m, "node3", "raft.current_term", "6");
	tm_analyse(&m);
	CHECK(tm_finding(&m, "consul-term-ahead", NULL) == NULL);
	tm_free(&m);

	/* Removed, then campaigning. */
	tm_init(&m);
	tm_servers(&m, 1);
	tm_event(&m, "node1", QS_EV_MEMBER_REMOVE, "node3", 1000, 2);
	tm_event(&m, "node3", QS_EV_ELECTION_START, NULL, 5000, 3);
	tm_analyse(&m);
	f = tm_finding(&m, "consul-removed-campaigns", NULL);
	CHECK(f != NULL && f->level == QS_LEVEL_ERROR);
	tm_free(&m);

	/* Removed because it was leaving: its last timeout is no campaign. */
	tm_init(&m);
	tm_servers(&m, 1);
	tm_signal(&m, "node3", QS_SIG_GRACEFUL_LEAVE, NULL, 900);
	tm_event(&m, "node1", QS_EV_MEMBER_REMOVE, "node3", 1000, 2);
	tm_event(&m, "node3", QS_EV_ELECTION_START, NULL, 5000, 3);
	tm_analyse(&m);
	CHECK(tm_finding(&m, "consul-removed-campaigns", NULL) == NULL);
	tm_free(&m);

	/* Removed and added back: nothing stale. */
	tm_init(&m);
	tm_servers(&m, 1);
	tm_event(&m, "node1", QS_EV_MEMBER_REMOVE, "node3", 1000, 2);
	tm_event(&m, "node1", QS_EV_MEMBER_ADD, "node3", 3000, 2);
	tm_event(&m, "node3", QS_EV_ELECTION_START, NULL, 5000, 3);
	tm_analyse(&m);
	CHECK(tm_finding(&m, "consul-removed-campaigns", NULL) == NULL);
	tm_free(&m);
}

/* A ZooKeeper node with its myid and its own (client) address. */
static int
tm_has_fact(const struct qs_finding *f, const char *needle)
{
	size_t	i;

	for (i = 0; f != NULL && i < f->facts.n; i++)
		if (strstr(f->facts.v[i], needle) != NULL)
			return 1;
	return 0;
}

static void
tm_zk_node(struct tm *m, const char *node, const char *myid, const char *addr)
{
	struct qs_parse_ctx	*ctx = tm_ctx(m, node, "zk.myid",
	    "zookeeper/myid");
	struct qs_evidence	 ev = tm_ev(ctx, 1);

	qs_emit_identity(ctx, QS_ID_MYID, myid, NULL, NULL, &ev);
	ctx = tm_ctx(m, node, "zk.log", "var/log/zookeeper/zookeeper.log");
	ev = tm_ev(ctx, 1);
	qs_emit_identity(ctx, QS_ID_ADDRESS, addr, "client", NULL, &ev);
}

/* A zoo.cfg on `node` listing servers "id=host" (NULL-terminated). */
static void
tm_zk_cfg(struct tm *m, const char *node, ...)
{
	struct qs_parse_ctx	*ctx = tm_ctx(m, node, "zk.cfg", "zoo.cfg");
	struct qs_evidence	 ev = tm_ev(ctx, 1);
	struct qs_view		*v = qs_emit_view(ctx, QS_VIEW_CONFIGURED,
	    "zoo.cfg", &ev);
	const char		*spec;
	va_list			 ap;

	va_start(ap, node);
	while ((spec = va_arg(ap, const char *)) != NULL) {
		const char	*eq = strchr(spec, '=');
		const char	*id = qs_arena_strndup(&m->run->arena, spec,
		    (size_t)(eq - spec));
		const char	*addr = qs_arena_printf(&m->run->arena,
		    "%s:2888", eq + 1);

		qs_view_add(ctx, v, NULL, addr, id, QS_MEMBER_VOTER);
		qs_emit_identity(ctx, QS_ID_ADDRESS, addr, "quorum", id, &ev);
		qs_emit_setting(ctx, qs_arena_printf(&m->run->arena,
		    "zk.server.%s", id), qs_arena_printf(&m->run->arena,
		    "%s:2888:3888", eq + 1), &ev);
	}
	va_end(ap);
}
/*
 * etcd log rules (rule-etcd-log.c, and etcd-quorum-loss's pre-vote case):
 * what parse-etcd-log.c records, on nodes etcd1..etcd3.
 */
static struct qs_parse_ctx *
tm_etcd_log(struct tm *m, const char *node)
{
	return tm_ctx(m, node, "etcd.log", "var/log/etcd/etcd.log");
}

static struct qs_event *
tm_etcd_event(struct tm *m, const char *node, enum qs_event_kind kind,
    const char *subject, int64_t ms, uint64_t term, const char *detail)
{
	struct qs_parse_ctx	*ctx = tm_etcd_log(m, node);
	struct qs_evidence	 ev = tm_ev(ctx, 1);
	struct qs_event		*e = qs_emit_event(ctx, kind, subject, &ev);

	e->time.set = e->time.zone_known = 1;
	e->time.ms = ms;
	e->clock.set |= QS_CLOCK_TERM;
	e->clock.term = term;
	e->detail = detail;
	return e;
}

static void
tm_etcd_setting(struct tm *m, const char *node, const char *key,
    const char *value)
{
	struct qs_parse_ctx	*ctx = tm_etcd_log(m, node);
	struct qs_evidence	 ev = tm_ev(ctx, 9);

	qs_emit_setting(ctx, key, value, &ev);
}

#define TM_T0	1795334400000LL		/* 2026-11-22T00:00:00Z */

/* Five leaders 5 s apart: `stop` makes each one a planned stop. */
static void
tm_etcd_flapping(struct tm *m, int stop, int64_t gap)
{
	static const char *const who[] = { "etcd1", "etcd2", "etcd3" };
	struct qs_parse_ctx	*ctx;
	struct qs_evidence	 ev;
	uint64_t		 term;
	int			 i;

	for (i = 0; i < 3; i++) {
		ctx = tm_etcd_log(m, who[i]);
		ev = tm_ev(ctx, 2);
		qs_emit_identity(ctx, QS_ID_NAME, who[i], NULL, NULL, &ev);
	}
	for (term = 2; term <= 7; term++) {
		const char	*leader = who[term % 3];
		int64_t		 at = TM_T0 + (int64_t)(term - 2) * gap;

		for (i = 0; i < 3; i++)
			tm_etcd_event(m, who[i], QS_EV_LEADER_ELECTED, leader,
			    at + i * 10, term, NULL);
		tm_etcd_event(m, who[(term + 1) % 3], QS_EV_ELECTION_START,
		    NULL, at - 500, term, NULL);
		if (stop)
			tm_etcd_event(m, leader, QS_EV_STOP, NULL,
			    at + gap - 100, term, NULL);
	}
	tm_etcd_setting(m, "etcd1", "etcd.log.election_timeout_ms", "1000");
}

DEFINE_TEST(test_rules_etcd_election_storm)
{
	struct tm		 m;
	const struct qs_finding	*f;

	tm_init(&m);
	tm_etcd_flapping(&m, 0, 5000);
	tm_etcd_setting(&m, "etcd2", "etcd.log.heartbeat_late_lines", "4");
	tm_etcd_setting(&m, "etcd2", "etcd.log.heartbeat_late_max", "2853");
	tm_analyse(&m);
	f = tm_finding(&m, "etcd-election-storm", NULL);
	CHECK(f != NULL);
	CHECK(tm_has_fact(f, "Term 3: etcd1 led from"));
	CHECK(tm_has_fact(f, "for 5.0 s"));
	CHECK(tm_has_fact(f, "sent heartbeats late 4 times"));
	CHECK(tm_has_step(f, "--election-timeout"));
	CHECK(tm_has_step(f, "etcdctl endpoint status --cluster"));
	/* the slow disk is named as a cause of the storm */
	f = tm_finding(&m, "etcd-slow-disk", NULL);
	CHECK(f != NULL);
	CHECK(tm_has_fact(f, "contributes to etcd-election-storm"));
	CHECK(tm_has_step(f, "--wal-dir"));
	CHECK(tm_has_step(f, "ionice"));
	CHECK(tm_finding(&m, "etcd-quorum-loss", NULL) == NULL);
	tm_free(&m);
}

DEFINE_TEST(test_rules_etcd_election_storm_not)
{
	struct tm	 m;

	/* Each leader was stopped (a rolling restart): planned changes. */
	tm_init(&m);
	tm_etcd_flapping(&m, 1, 5000);
	tm_analyse(&m);
	CHECK(tm_finding(&m, "etcd-election-storm", NULL) == NULL);
	CHECK(tm_finding(&m, "etcd-slow-disk", NULL) == NULL);
	tm_free(&m);
	/* Leaders lasting 15 election timeouts: not a storm. */
	tm_init(&m);
	tm_etcd_flapping(&m, 0, 15000);
	tm_analyse(&m);
	CHECK(tm_finding(&m, "etcd-election-storm", NULL) == NULL);
	tm_free(&m);
}

/*
 * Late heartbeats against the cluster's own election timeout: a gap of
 * 2 x 100 ms + 31 ms is noise under 1000 ms; 200 ms + 900 ms reaches it,
 * and so does 200 + 31 ms against a 220 ms timeout.
 */
static int
tm_etcd_late(const char *late, const char *timeout)
{
	struct tm	 m;
	int		 found;

	tm_init(&m);
	tm_etcd_setting(&m, "etcd1", "etcd.log.heartbeat_late_lines", "4");
	tm_etcd_setting(&m, "etcd1", "etcd.log.heartbeat_late_max", late);
	tm_etcd_setting(&m, "etcd1", "etcd.log.heartbeat_expected_ms", "200");
	if (timeout != NULL)
		tm_etcd_setting(&m, "etcd1", "etcd.log.election_timeout_ms",
		    timeout);
	tm_analyse(&m);
	found = tm_finding(&m, "etcd-slow-disk", NULL) != NULL;
	tm_free(&m);
	return found;
}

DEFINE_TEST(test_rules_etcd_late_heartbeat_threshold)
{
	CHECK(!tm_etcd_late("31", NULL));
	CHECK(!tm_etcd_late("31", "1000"));
	CHECK(tm_etcd_late("900", NULL));
	CHECK(tm_etcd_late("31", "220"));
	CHECK(!tm_etcd_late("125", "2500"));
}

/* A survivor pre-campaigning at one term after its leader is gone. */
DEFINE_TEST(test_rules_etcd_quorum_loss_prevote)
{
	struct tm		 m;
	const struct qs_finding	*f;
	int			 i;

	tm_init(&m);
	tm_etcd_event(&m, "etcd3", QS_EV_LEADER_ELECTED, "etcd1", TM_T0, 2,
	    NULL);
	for (i = 1; i <= 4; i++)
		tm_etcd_event(&m, "etcd3", QS_EV_ELECTION_START, NULL,
		    TM_T0 + i * 1600, 2, "pre-vote");
	tm_analyse(&m);
	f = tm_finding(&m, "etcd-quorum-loss", NULL);
	CHECK(f != NULL);
	CHECK(tm_has_fact(f, "4 pre-vote rounds"));
	tm_free(&m);

	/* Two rounds, or rounds that a new leader ends: no finding. */
	tm_init(&m);
	tm_etcd_event(&m, "etcd3", QS_EV_LEADER_ELECTED, "etcd1", TM_T0, 2,
	    NULL);
	for (i = 1; i <= 2; i++)
		tm_etcd_event(&m, "etcd3", QS_EV_ELECTION_START, NULL,
		    TM_T0 + i * 1600, 2, "pre-vote");
	tm_etcd_event(&m, "etcd2", QS_EV_ELECTION_START, NULL, TM_T0 + 1600,
	    2, "pre-vote");
	tm_etcd_event(&m, "etcd2", QS_EV_ELECTION_START, NULL, TM_T0 + 3200,
	    2, "pre-vote");
	tm_etcd_event(&m, "etcd2", QS_EV_ELECTION_START, NULL, TM_T0 + 4800,
	    2, "pre-vote");
	tm_etcd_event(&m, "etcd2", QS_EV_LEADER_ELECTED, "etcd2",
	    TM_T0 + 5000, 3, NULL);
	tm_analyse(&m);
	CHECK(tm_finding(&m, "etcd-quorum-loss", NULL) == NULL);
	tm_free(&m);
}

static void
tm_etcd_bootstrap(struct tm *m, const char *node, const char *text,
    const char *id)
{
	struct qs_parse_ctx	*ctx = tm_etcd_log(m, node);
	struct qs_evidence	 ev = qs_evidence_line(ctx, 42, text);

	qs_emit_signal(ctx, QS_SIG_BOOTSTRAP_CONFLICT, id, &ev);
}

DEFINE_TEST(test_rules_etcd_bootstrap_conflict)
{
	struct tm		 m;
	const struct qs_finding	*f;
	struct qs_parse_ctx	*ctx;
	struct qs_evidence	 ev;
	struct qs_view		*v;

	tm_init(&m);
	ctx = tm_ctx(&m, "etcd1", "etcd.wal", "var/lib/etcd/member/wal/0.wal");
	ev = tm_ev(ctx, 0);
	v = qs_emit_view(ctx, QS_VIEW_CONSENSUS, "etcd WAL membership", &ev);
	qs_view_add(ctx, v, "etcd1", "http://10.0.0.1:2380", "a1",
	    QS_MEMBER_VOTER);
	qs_view_add(ctx, v, "etcd2", "http://10.0.0.2:2380", "a2",
	    QS_MEMBER_VOTER);
	tm_etcd_bootstrap(&m, "etcd3", "{\"level\":\"fatal\",\"msg\":"
	    "\"discovery failed\",\"error\":\"error validating peerURLs "
	    "{...}: member count is unequal\"}", NULL);
	tm_analyse(&m);
	f = tm_finding(&m, "etcd-bootstrap-conflict", NULL);
	CHECK(f != NULL);
	CHECK(tm_has_fact(f, "member count is unequal"));
	CHECK(tm_has_step(f, "--initial-cluster-state existing"));
	CHECK(tm_has_step(f, "from etcd1's WAL, is --initial-cluster="
	    "etcd1=http://10.0.0.1:2380,etcd2=http://10.0.0.2:2380"));
	CHECK(!tm_has_step(f, "member remove"));
	tm_free(&m);

	tm_init(&m);
	tm_etcd_bootstrap(&m, "etcd3", "member 984bd2f86d62a320 has already "
	    "been bootstrapped", "984bd2f86d62a320");
	tm_analyse(&m);
	f = tm_finding(&m, "etcd-bootstrap-conflict", NULL);
	CHECK(f != NULL);
	CHECK(tm_has_step(f, "etcdctl member remove 984bd2f86d62a320"));
	CHECK(tm_has_step(f, "--initial-cluster-token"));
	tm_free(&m);
}

/* The member then bootstrapped a cluster of its own: not this rule's. */
DEFINE_TEST(test_rules_etcd_bootstrap_conflict_not)
{
	struct tm	 m;
	struct qs_parse_ctx *ctx;
	struct qs_evidence ev;
	static const char *const cid[] = { "aaaa", "aaaa", "bbbb" };
	char		 node[8];
	int		 i;

	tm_init(&m);
	for (i = 0; i < 3; i++) {
		snprintf(node, sizeof(node), "etcd%d", i + 1);
		ctx = tm_ctx(&m, node, "etcd.wal",
		    "var/lib/etcd/member/wal/0.wal");
		ev = tm_ev(ctx, 0);
		qs_emit_setting(ctx, "etcd.cluster_id", cid[i], &ev);
	}
	tm_etcd_bootstrap(&m, "etcd3", "member 984bd2f86d62a320 has already "
	    "been bootstrapped", "984bd2f86d62a320");
	tm_analyse(&m);
	CHECK(tm_finding(&m, "etcd-bootstrap-conflict", NULL) == NULL);
	CHECK(tm_finding(&m, "etcd-cluster-id-mismatch", NULL) != NULL);
	tm_free(&m);
}

DEFINE_TEST(test_rules_etcd_clock_drift)
{
	struct tm		 m;
	const struct qs_finding	*f;
	struct qs_parse_ctx	*ctx;
	struct qs_evidence	 ev;

	tm_init(&m);
	tm_etcd_setting(&m, "etcd1", "etcd.log.clock_drift_lines", "2");
	tm_etcd_setting(&m, "etcd1", "etcd.log.clock_drift_max", "480640");
	tm_etcd_setting(&m, "etcd1", "etcd.log.clock_drift_peer",
	    "e3dfec9fb786d5b4");
	ctx = tm_etcd_log(&m, "etcd2");
	ev = tm_ev(ctx, 3);
	qs_emit_identity(ctx, QS_ID_MEMBER_ID, "e3dfec9fb786d5b4", NULL, NULL,
	    &ev);
	tm_analyse(&m);
	f = tm_finding(&m, "etcd-clock-drift", NULL);
	CHECK(f != NULL);
	CHECK(tm_has_fact(f, "480640 ms against peer e3dfec9fb786d5b4 "
	    "(etcd2)"));
	CHECK(tm_has_step(f, "chronyc tracking"));
	CHECK(tm_finding(&m, "etcd-slow-disk", NULL) == NULL);
	tm_free(&m);

	/* Late heartbeats alone: a slow disk, no clock finding. */
	tm_init(&m);
	tm_etcd_setting(&m, "etcd1", "etcd.log.slow_apply_lines", "3");
	tm_etcd_setting(&m, "etcd1", "etcd.log.slow_apply_max", "1221");
	tm_analyse(&m);
	CHECK(tm_finding(&m, "etcd-clock-drift", NULL) == NULL);
	f = tm_finding(&m, "etcd-slow-disk", NULL);
	CHECK(f != NULL);
	CHECK(tm_has_fact(f, "3 slow applies, the longest 1221 ms"));
	CHECK(!tm_has_fact(f, "contributes"));
	tm_free(&m);
}


DEFINE_TEST(test_rules_zookeeper)
{
	struct tm		 m;
	const struct qs_finding	*f;

	/* Server 2 was replaced: it is at .9, every zoo.cfg says .2. */
	tm_init(&m);
	tm_zk_node(&m, "zk1", "1", "10.0.0.1:2181");
	tm_zk_node(&m, "zk2", "2", "10.0.0.9:2181");
	tm_zk_cfg(&m, "zk1", "1=10.0.0.1", "2=10.0.0.2", NULL);
	tm_zk_cfg(&m, "zk2", "1=10.0.0.1", "2=10.0.0.2", NULL);
	tm_analyse(&m);
	f = tm_finding(&m, "zk-stale-address", NULL);
	CHECK(f != NULL);
	CHECK(tm_has_step(f, "replace `server.2=10.0.0.2:2888:3888` with "
	    "`server.2=10.0.0.9:2888:3888`"));
	CHECK(tm_finding(&m, "zk-cfg-differ", NULL) == NULL);
	CHECK(tm_finding(&m, "zk-myid-missing", NULL) == NULL);
	tm_free(&m);

	/* Different ensembles, and a myid nobody lists. */
	tm_init(&m);
	tm_zk_node(&m, "zk1", "1", "10.0.0.1:2181");
	tm_zk_node(&m, "zk3", "3", "10.0.0.3:2181");
	tm_zk_cfg(&m, "zk1", "1=10.0.0.1", "2=10.0.0.2", NULL);
	tm_zk_cfg(&m, "zk3", "1=10.0.0.1", "2=10.0.0.2", "4=10.0.0.4", NULL);
	tm_analyse(&m);
	CHECK(tm_finding(&m, "zk-cfg-differ", NULL) != NULL);
	f = tm_finding(&m, "zk-myid-missing", NULL);
	CHECK(f != NULL && f->level == QS_LEVEL_ERROR);
	tm_free(&m);

	/* Only the log says it: "My id 3 not in the peer list". */
	tm_init(&m);
	tm_zk_node(&m, "zk1", "1", "10.0.0.1:2181");
	tm_zk_cfg(&m, "zk1", "1=10.0.0.1", "2=10.0.0.2", NULL);
	{
		struct qs_parse_ctx	*ctx = tm_ctx(&m, "zk3", "zk.log",
		    "var/log/zookeeper/zookeeper.log");
		struct qs_evidence	 ev = tm_ev(ctx, 42);

		(void)qs_emit_signal(ctx, QS_SIG_REMOVED_SELF, NULL, &ev);
		/* A follower the leader turned away is not this. */
		ctx = tm_ctx(&m, "zk1", "zk.log",
		    "var/log/zookeeper/zookeeper.log");
		ev = tm_ev(ctx, 7);
		(void)qs_emit_signal(ctx, QS_SIG_REMOVED_SELF, "3", &ev);
	}
	tm_analyse(&m);
	f = tm_finding(&m, "zk-myid-missing", NULL);
	CHECK(f != NULL && strstr(f->title, "zk3 refused to start") != NULL);
	CHECK(f != NULL && tm_has_fact(f, "(line 42)"));
	CHECK(f != NULL && f->nodes.n == 1);
	tm_free(&m);
}

static void	tm_zk_set(struct tm *, const char *, const char *,
		    const char *, const char *, const char *);
static struct qs_event *tm_zk_event(struct tm *, const char *,
		    enum qs_event_kind, int64_t, uint64_t);

/* Runs the real parser of `kind` over `text` as `file` of node `node`. */
static void
tm_parse_on(struct tm *m, const char *node, const char *kind,
    const char *file, const char *text)
{
	struct qs_parse_ctx	*ctx = tm_ctx(m, node, kind, file);
	struct qs_source	 src;

	qs_source_init_mem(&src, (const unsigned char *)text, strlen(text));
	ctx->src = &src;
	ctx->artifact->kind->parse(ctx);
	qs_source_release(&src);
	ctx->src = NULL;
}

/*
 * Servers 1-3, then "reconfig -remove 3" at version 100000007: every
 * server keeps both dynamic files and points zoo.cfg at the new one.
 */
static void
tm_zk_reconfig(struct tm *m)
{
	static const char *const nodes[] = { "z1", "z2", "z3", NULL };
	size_t		i;

	for (i = 0; nodes[i] != NULL; i++) {
		tm_zk_node(m, nodes[i], i == 0 ? "1" : i == 1 ? "2" : "3",
		    i == 0 ? "10.0.0.1:2181" : i == 1 ? "10.0.0.2:2181" :
		    "10.0.0.3:2181");
		tm_parse_on(m, nodes[i], "zk.cfg", "conf/zoo.cfg",
		    "tickTime=2000\ninitLimit=10\nreconfigEnabled=true\n"
		    "dynamicConfigFile=/conf/zoo.cfg.dynamic.100000007\n");
		tm_parse_on(m, nodes[i], "zk.dynamic_cfg",
		    "conf/zoo.cfg.dynamic.100000000",
		    "server.1=10.0.0.1:2888:3888:participant;2181\n"
		    "server.2=10.0.0.2:2888:3888:participant;2181\n"
		    "server.3=10.0.0.3:2888:3888:participant;2181\n");
		tm_parse_on(m, nodes[i], "zk.dynamic_cfg",
		    "conf/zoo.cfg.dynamic.100000007",
		    "server.1=10.0.0.1:2888:3888:participant;2181\n"
		    "server.2=10.0.0.2:2888:3888:participant;2181\n");
	}
}

DEFINE_TEST(test_rules_zookeeper_reconfig)
{
	struct tm		 m;
	const struct qs_finding	*f;
	size_t			 i, removes;

	/* The removed server answered srvr at collection: still running. */
	tm_init(&m);
	tm_zk_reconfig(&m);
	tm_zk_set(&m, "z3", "zk.fourletter_output", "zk-srvr.txt",
	    "zk.4lw.mode", "follower");
	tm_zk_set(&m, "z1", "zk.fourletter_output", "zk-srvr.txt",
	    "zk.4lw.mode", "leader");
	tm_analyse(&m);
	f = tm_finding(&m, "zk-removed-member-present", NULL);
	CHECK(f != NULL && strstr(f->title, "z3 (myid 3)") != NULL);
	CHECK(tm_has_fact(f, "version 100000007"));
	CHECK(tm_has_fact(f, "non-voting follower"));
	CHECK(tm_has_step(f, "reconfig -add server.3=10.0.0.3:2888"));
	/* The older dynamic file is history, not a competing list. */
	CHECK(tm_finding(&m, "zk-myid-missing", NULL) == NULL);
	CHECK(tm_finding(&m, "zk-cfg-differ", NULL) == NULL);
	CHECK(tm_finding(&m, "zk-ensemble-size", NULL) != NULL &&
	    tm_finding(&m, "zk-ensemble-size", NULL)->level ==
	    QS_LEVEL_INFO);
	for (removes = 0, i = 0; i < m.run->events.n; i++) {
		const struct qs_event	*e = m.run->events.v[i];

		if (e->kind == QS_EV_MEMBER_REMOVE && e->subject != NULL &&
		    strcmp(e->subject, "z3") == 0)
			removes++;
	}
	CHECK(removes == 1);
	tm_free(&m);

	/* Others answered, it did not: stopped after its removal, quiet. */
	tm_init(&m);
	tm_zk_reconfig(&m);
	tm_zk_set(&m, "z1", "zk.fourletter_output", "zk-srvr.txt",
	    "zk.4lw.mode", "leader");
	tm_analyse(&m);
	CHECK(tm_finding(&m, "zk-removed-member-present", NULL) == NULL);
	CHECK(tm_finding(&m, "zk-myid-missing", NULL) == NULL);
	tm_free(&m);

	/* A myid no version ever listed is still a missing myid. */
	tm_init(&m);
	tm_zk_reconfig(&m);
	tm_zk_node(&m, "z4", "4", "10.0.0.4:2181");
	tm_parse_on(&m, "z4", "zk.dynamic_cfg", "conf/zoo.cfg.dynamic.100000007",
	    "server.1=10.0.0.1:2888:3888:participant;2181\n"
	    "server.2=10.0.0.2:2888:3888:participant;2181\n");
	tm_analyse(&m);
	f = tm_finding(&m, "zk-myid-missing", NULL);
	CHECK(f != NULL && strstr(f->title, "z4") != NULL);
	CHECK(tm_finding(&m, "zk-removed-member-present", NULL) == NULL);
	tm_free(&m);
}

/*
 * Crash loops: `n` starts of zk1, each followed 3 s later by an exit with
 * `detail` (NULL: a stop by signal, which ZooKeeper does not log, so
 * nothing), and the bind failure before it.
 */
static void
tm_zk_starts(struct tm *m, int n, const char *detail)
{
	struct qs_parse_ctx	*ctx;
	struct qs_evidence	 ev;
	struct qs_event		*e;
	struct qs_signal	*g;
	int			 i;

	tm_zk_node(m, "zk1", "1", "10.0.0.1:2181");
	tm_zk_node(m, "zk2", "2", "10.0.0.2:2181");
	tm_zk_cfg(m, "zk1", "1=10.0.0.1", "2=10.0.0.2", "3=10.0.0.3", NULL);
	tm_zk_cfg(m, "zk2", "1=10.0.0.1", "2=10.0.0.2", "3=10.0.0.3", NULL);
	for (i = 0; i < n; i++) {
		(void)tm_zk_event(m, "zk1", QS_EV_START, 1000000 + i * 10000,
		    0);
		if (detail == NULL)
			continue;
		ctx = tm_ctx(m, "zk1", "zk.log",
		    "var/log/zookeeper/zookeeper.log");
		ev = tm_ev(ctx, 5);
		g = qs_emit_signal(ctx, QS_SIG_VOTE_FAILED, NULL, &ev);
		g->time.set = 1;
		g->time.ms = 1000000 + i * 10000 + 2000;
		g->detail = "cannot listen on election address "
		    "10.0.0.9:3888: java.net.BindException: Cannot assign "
		    "requested address";
		e = tm_zk_event(m, "zk1", QS_EV_STOP, 1000000 + i * 10000 +
		    3000, 0);
		e->detail = detail;
	}
}

DEFINE_TEST(test_rules_crash_loop)
{
	struct tm		 m;
	const struct qs_finding	*f;

	tm_init(&m);
	tm_zk_starts(&m, 4, "exit code 14");
	tm_analyse(&m);
	f = tm_finding(&m, "zk-crash-loop", NULL);
	CHECK(f != NULL && strstr(f->title, "zk1 is in a crash loop: 4 "
	    "failed starts") != NULL);
	CHECK(tm_has_fact(f, "Every attempt ended the same way: \"cannot "
	    "listen on election address 10.0.0.9:3888"));
	CHECK(tm_has_fact(f, "still looping or stopped"));
	tm_free(&m);

	/* Two failed starts are not yet a loop. */
	tm_init(&m);
	tm_zk_starts(&m, 2, "exit code 14");
	tm_analyse(&m);
	CHECK(tm_finding(&m, "zk-crash-loop", NULL) == NULL);
	tm_free(&m);

	/* Restarts that ran, or a clean exit, are never a loop. */
	tm_init(&m);
	tm_zk_starts(&m, 5, NULL);
	tm_analyse(&m);
	CHECK(tm_finding(&m, "zk-crash-loop", NULL) == NULL);
	tm_free(&m);
	tm_init(&m);
	tm_zk_starts(&m, 5, "exit code 0");
	tm_analyse(&m);
	CHECK(tm_finding(&m, "zk-crash-loop", NULL) == NULL);
	tm_free(&m);
}

DEFINE_TEST(test_rules_zookeeper_quorum)
{
	struct tm		 m;
	struct qs_parse_ctx	*ctx;
	struct qs_evidence	 ev;
	struct qs_event		*e;
	struct qs_signal	*s;

	tm_init(&m);
	tm_zk_node(&m, "zk1", "1", "10.0.0.1:2181");
	ctx = tm_ctx(&m, "zk1", "zk.log", "zookeeper.log");
	ev = tm_ev(ctx, 2);
	e = qs_emit_event(ctx, QS_EV_LEADER_ELECTED, NULL, &ev);
	e->time.set = 1;
	e->time.ms = 1000;
	s = qs_emit_signal(ctx, QS_SIG_QUORUM_LOST, NULL, &ev);
	s->time.set = 1;
	s->time.ms = 5000;
	tm_analyse(&m);
	CHECK(tm_finding(&m, "zk-no-quorum", NULL) != NULL);
	tm_free(&m);

	/* Lost, then a new leader: recovered. */
	tm_init(&m);
	tm_zk_node(&m, "zk1", "1", "10.0.0.1:2181");
	ctx = tm_ctx(&m, "zk1", "zk.log", "zookeeper.log");
	ev = tm_ev(ctx, 2);
	s = qs_emit_signal(ctx, QS_SIG_QUORUM_LOST, NULL, &ev);
	s->time.set = 1;
	s->time.ms = 500;
	e = qs_emit_event(ctx, QS_EV_LEADER_ELECTED, NULL, &ev);
	e->time.set = 1;
	e->time.ms = 1000;
	tm_analyse(&m);
	CHECK(tm_finding(&m, "zk-no-quorum", NULL) == NULL);
	tm_free(&m);
}

/* Runs the real parser of `kind` over `text` as `file` of the bundle root. */
static void
tm_parse(struct tm *m, const char *kind, const char *file, const char *text)
{
	struct qs_parse_ctx	*ctx = tm_ctx(m, file, kind, "");
	struct qs_source	 src;

	/* tm_ctx names members node/file; a root file has no node. */
	ctx->artifact->member = ctx->artifact->logical = file;
	qs_source_init_mem(&src, (const unsigned char *)text, strlen(text));
	ctx->src = &src;
	ctx->artifact->kind->parse(ctx);
	qs_source_release(&src);
	ctx->src = NULL;
}

static const char tm_sapi[] =
    "[{\"uuid\": \"aaaaaaaa-0000-0000-0000-000000000001\", \"name\": \"sdc\",\n"
    " \"metadata\": {\"ZK_SERVERS\": [\n"
    "  {\"host\": \"10.0.0.1\", \"port\": 2181, \"num\": 1},\n"
    "  {\"host\": \"10.0.0.7\", \"port\": 2181, \"num\": 2},\n"
    "  {\"host\": \"10.0.0.3\", \"port\": 2181, \"num\": 3, \"last\": true}"
    "]}}]\n";

DEFINE_TEST(test_rules_triton_zk_servers)
{
	struct tm		 m;
	const struct qs_finding	*f;

	tm_init(&m);
	tm_zk_node(&m, "binder0", "1", "10.0.0.1:2181");
	tm_zk_node(&m, "binder1", "2", "10.0.0.2:2181");
	tm_zk_node(&m, "binder2", "3", "10.0.0.3:2181");
	tm_zk_cfg(&m, "binder0", "1=10.0.0.1", "2=10.0.0.2", "3=10.0.0.3",
	    NULL);
	tm_parse(&m, "triton.sapi_dump", "sapi.json", tm_sapi);
	tm_analyse(&m);
	f = tm_finding(&m, "triton-zk-servers-mismatch", NULL);
	CHECK(f != NULL);
	CHECK(tm_has_step(f, "\"host\": \"10.0.0.2\",\n"
	    "        \"port\": 2181,\n        \"num\": 2\n"));
	CHECK(tm_has_step(f, "\"num\": 3,\n        \"last\": true\n"));
	CHECK(tm_has_step(f, "sapiadm update "
	    "aaaaaaaa-0000-0000-0000-000000000001 -f /opt/root/zk-servers"));
	CHECK(tm_finding(&m, "zk-ensemble-size", NULL) == NULL);
	tm_free(&m);

	/* SAPI agrees with the servers: nothing to say. */
	tm_init(&m);
	tm_zk_node(&m, "binder0", "1", "10.0.0.1:2181");
	tm_zk_node(&m, "binder1", "2", "10.0.0.7:2181");
	tm_parse(&m, "triton.sapi_dump", "sapi.json", tm_sapi);
	tm_analyse(&m);
	CHECK(tm_finding(&m, "triton-zk-servers-mismatch", NULL) == NULL);
	tm_free(&m);
}

static const char tm_vms[] =
    "[{\"uuid\": \"u-old\", \"alias\": \"binder1\", \"state\": \"running\",\n"
    "  \"server_uuid\": \"cn-dead\", \"nics\": [{\"ip\": \"10.0.0.8\"}],\n"
    "  \"tags\": {\"smartdc_role\": \"binder\"}},\n"
    " {\"uuid\": \"u-new\", \"alias\": \"binder1\", \"state\": \"running\",\n"
    "  \"server_uuid\": \"cn-2\", \"nics\": [{\"ip\": \"10.0.0.2\"}],\n"
    "  \"tags\": {\"smartdc_role\": \"binder\"}},\n"
    " {\"uuid\": \"u-0\", \"alias\": \"binder0\", \"state\": \"running\",\n"
    "  \"server_uuid\": \"cn-1\", \"nics\": [{\"ip\": \"10.0.0.1\"}],\n"
    "  \"tags\": {\"smartdc_role\": \"binder\"}}]\n";

DEFINE_TEST(test_rules_triton_ghost)
{
	struct tm		 m;
	const struct qs_finding	*f;
	size_t			 n;

	/* The zone binder1 is at 10.0.0.2: u-old is the ghost. */
	tm_init(&m);
	tm_zk_node(&m, "binder0", "1", "10.0.0.1:2181");
	tm_zk_node(&m, "binder1", "2", "10.0.0.2:2181");
	tm_parse(&m, "triton.vmapi_dump", "vmapi-vms.json", tm_vms);
	tm_analyse(&m);
	f = tm_finding(&m, "triton-ghost-instance", &n);
	CHECK(f != NULL);
	CHECK_INT(n, 1);
	CHECK(tm_has_step(f, "sdc-vmapi /vms/u-old?sync=true"));
	tm_free(&m);

	/* The zone has the old address: the old VM is not the ghost. */
	tm_init(&m);
	tm_zk_node(&m, "binder1", "2", "10.0.0.8:2181");
	tm_parse(&m, "triton.vmapi_dump", "vmapi-vms.json", tm_vms);
	tm_analyse(&m);
	f = tm_finding(&m, "triton-ghost-instance", &n);
	CHECK(f == NULL || !tm_has_step(f, "/vms/u-old?"));
	tm_free(&m);

	/* No zones in the bundle: no way to tell, no finding. */
	tm_init(&m);
	tm_parse(&m, "triton.vmapi_dump", "vmapi-vms.json", tm_vms);
	tm_analyse(&m);
	CHECK(tm_finding(&m, "triton-ghost-instance", NULL) == NULL);
	tm_free(&m);
}

DEFINE_TEST(test_rules_zk_ensemble_size)
{
	struct tm		 m;
	const struct qs_finding	*f;

	tm_init(&m);
	tm_zk_node(&m, "zk1", "1", "10.0.0.1:2181");
	tm_zk_cfg(&m, "zk1", "1=10.0.0.1", "2=10.0.0.2", "3=10.0.0.3",
	    "4=10.0.0.4", NULL);
	tm_analyse(&m);
	f = tm_finding(&m, "zk-ensemble-size", NULL);
	CHECK(f != NULL);
	CHECK(tm_has_step(f, "sdcadm post-setup ha-binder"));
	tm_free(&m);

	tm_init(&m);
	tm_zk_node(&m, "zk1", "1", "10.0.0.1:2181");
	tm_zk_cfg(&m, "zk1", "1=10.0.0.1", "2=10.0.0.2", "3=10.0.0.3",
	    "4=10.0.0.4", "5=10.0.0.5", "6=10.0.0.6", "7=10.0.0.7", NULL);
	tm_analyse(&m);
	CHECK(tm_finding(&m, "zk-ensemble-size", NULL) != NULL);
	tm_free(&m);

	tm_init(&m);
	tm_zk_node(&m, "zk1", "1", "10.0.0.1:2181");
	tm_zk_cfg(&m, "zk1", "1=10.0.0.1", NULL);
	tm_analyse(&m);
	CHECK(tm_finding(&m, "zk-ensemble-size", NULL) == NULL);
	tm_free(&m);
}

/* No binder zones in the bundle: SAPI instance ZK_ID and VMAPI decide. */
DEFINE_TEST(test_rules_triton_zk_servers_vmapi)
{
	struct tm		 m;
	const struct qs_finding	*f;

	tm_init(&m);
	tm_parse(&m, "triton.sapi_dump", "sapi.json", tm_sapi);
	tm_parse(&m, "triton.sapi_dump", "sapi-instances.json",
	    "[{\"uuid\": \"u-b1\", \"service_uuid\": \"s-binder\", "
	    "\"metadata\": {\"ZK_ID\": \"2\"}}]");
	tm_parse(&m, "triton.vmapi_dump", "vmapi-vms.json",
	    "[{\"uuid\": \"u-b1\", \"alias\": \"binder1\", \"state\": "
	    "\"running\", \"nics\": [{\"ip\": \"10.0.0.2\"}]}]");
	tm_analyse(&m);
	f = tm_finding(&m, "triton-zk-servers-mismatch", NULL);
	CHECK(f != NULL);
	CHECK(tm_has_step(f, "\"host\": \"10.0.0.2\""));
	tm_free(&m);
}

/* A SAPI binder instance whose VM VMAPI no longer has. */
DEFINE_TEST(test_rules_triton_leftover_instance)
{
	struct tm		 m;
	const struct qs_finding	*f;
	static const char	 sapi[] =
	    "[{\"uuid\": \"s-binder\", \"name\": \"binder\", "
	    "\"application_uuid\": \"a\"},\n"
	    "{\"uuid\": \"u-gone\", \"service_uuid\": \"s-binder\"},\n"
	    "{\"uuid\": \"u-ok\", \"service_uuid\": \"s-binder\"},\n"
	    "{\"uuid\": \"u-dead\", \"service_uuid\": \"s-binder\"}]\n";
	size_t			 n;

	tm_init(&m);
	tm_parse(&m, "triton.sapi_dump", "sapi.json", sapi);
	tm_parse(&m, "triton.vmapi_dump", "vmapi-vms.json",
	    "[{\"uuid\": \"u-ok\", \"alias\": \"binder0\", \"state\": "
	    "\"running\"}, {\"uuid\": \"u-dead\", \"alias\": \"binder2\", "
	    "\"state\": \"destroyed\"}]");
	tm_analyse(&m);
	f = tm_finding(&m, "triton-ghost-instance", &n);
	CHECK(f != NULL);
	CHECK(tm_has_step(f, "-X DELETE"));
	CHECK_INT(n, 2);	/* u-gone and u-dead, not u-ok */
	tm_free(&m);
}

/* A ZooKeeper setting as the parser of `kind` records it, at `line`. */
static void
tm_zk_set(struct tm *m, const char *node, const char *kind, const char *file,
    const char *key, const char *value)
{
	struct qs_parse_ctx	*ctx = tm_ctx(m, node, kind, file);
	struct qs_evidence	 ev = tm_ev(ctx, 1);

	qs_emit_setting(ctx, key, value, &ev);
}

/* A server's log: LEADING with the epoch of "Have quorum", or a state. */
static struct qs_event *
tm_zk_event(struct tm *m, const char *node, enum qs_event_kind kind,
    int64_t ms, uint64_t epoch)
{
	struct qs_parse_ctx	*ctx = tm_ctx(m, node, "zk.log",
	    "var/log/zookeeper/zookeeper.log");
	struct qs_evidence	 ev = tm_ev(ctx, 3);
	struct qs_event		*e = qs_emit_event(ctx, kind, NULL, &ev);

	e->time.set = 1;
	e->time.ms = ms;
	if (epoch != 0) {
		e->clock.set = QS_CLOCK_TERM | QS_CLOCK_ZXID;
		e->clock.term = epoch;
		e->clock.zxid = epoch << 32;
		e->detail = "epoch, supporters [[1, 2]]";
	}
	return e;
}

DEFINE_TEST(test_rules_zk_split_brain)
{
	struct tm		 m;
	const struct qs_finding	*f;

	/* Two sides, each a majority of its own list, both lead epoch 3. */
	tm_init(&m);
	tm_zk_node(&m, "zk1", "1", "10.0.0.1:2181");
	tm_zk_node(&m, "zk2", "2", "10.0.0.2:2181");
	tm_zk_node(&m, "zk4", "1", "10.0.0.4:2181");
	tm_zk_cfg(&m, "zk1", "1=10.0.0.1", "2=10.0.0.2", "3=10.0.0.3", NULL);
	tm_zk_cfg(&m, "zk2", "1=10.0.0.1", "2=10.0.0.2", "3=10.0.0.3", NULL);
	tm_zk_cfg(&m, "zk4", "1=10.0.0.4", "2=10.0.0.5", "3=10.0.0.3", NULL);
	tm_zk_event(&m, "zk2", QS_EV_LEADER_ELECTED, 1000, 3);
	tm_zk_event(&m, "zk4", QS_EV_LEADER_ELECTED, 1100, 3);
	tm_zk_set(&m, "zk2", "zk.txnlog", "version-2/log.300000001",
	    "zk.txnlog.last_zxid", "0x300000012");
	tm_zk_set(&m, "zk4", "zk.txnlog", "version-2/log.300000001",
	    "zk.txnlog.last_zxid", "0x300000005");
	tm_zk_set(&m, "zk4", "zk.log", "var/log/zookeeper/zookeeper.log",
	    "zk.log.slow_fsync_max_ms", "2500");
	tm_analyse(&m);
	f = tm_finding(&m, "zk-split-brain", NULL);
	CHECK(f != NULL && f->level == QS_LEVEL_ERROR);
	CHECK(tm_has_step(f, "start zk2 first: it has the highest zxid "
	    "0x300000012"));
	CHECK(tm_has_step(f, "Stop ZooKeeper on zk4"));
	CHECK(tm_has_step(f, "replace `server.1=10.0.0.4:2888:3888` with "
	    "`server.1=10.0.0.1:2888:3888`"));
	CHECK(!tm_has_step(f, "Stop ZooKeeper on zk1"));
	CHECK(tm_has_fact(f, "Contributing: zk4"));
	f = tm_finding(&m, "zk-slow-fsync", NULL);
	CHECK(f != NULL && f->level == QS_LEVEL_WARNING);
	CHECK(tm_has_fact(f, "Contributing cause"));
	/* myid 1 on two servers: a cloned zone, not a stale address. */
	f = tm_finding(&m, "zk-duplicate-myid", NULL);
	CHECK(f != NULL);
	CHECK(tm_has_step(f, "Keep myid 1 on zk1: its address is the "
	    "server.1 line of zk2"));
	CHECK(tm_has_step(f, "On zk4, stop ZooKeeper and rewrite its myid: "
	    "`echo 4 >"));
	CHECK(tm_has_step(f, "`server.4=10.0.0.4:2888:3888`"));
	f = tm_finding(&m, "zk-stale-address", NULL);
	CHECK(f == NULL || strstr(f->title, "server 1 ") == NULL);
	tm_free(&m);

	/* Succession: leader of epoch 1 went LOOKING, another leads 2. */
	tm_init(&m);
	tm_zk_node(&m, "zk1", "1", "10.0.0.1:2181");
	tm_zk_node(&m, "zk2", "2", "10.0.0.2:2181");
	tm_zk_cfg(&m, "zk1", "1=10.0.0.1", "2=10.0.0.2", "3=10.0.0.3", NULL);
	tm_zk_cfg(&m, "zk2", "1=10.0.0.1", "2=10.0.0.2", "3=10.0.0.3", NULL);
	tm_zk_event(&m, "zk1", QS_EV_LEADER_ELECTED, 1000, 1);
	tm_zk_event(&m, "zk1", QS_EV_ELECTION_START, 5000, 0);
	tm_zk_event(&m, "zk2", QS_EV_LEADER_ELECTED, 6000, 2);
	tm_analyse(&m);
	CHECK(tm_finding(&m, "zk-split-brain", NULL) == NULL);
	CHECK(tm_finding(&m, "zk-duplicate-myid", NULL) == NULL);
	CHECK(tm_finding(&m, "zk-slow-fsync", NULL) == NULL);
	tm_free(&m);

	/*
	 * srvr: two leaders now, in different epochs, different lists that
	 * share a server (one ensemble whose configuration was rewritten on
	 * part of it).
	 */
	tm_init(&m);
	tm_zk_node(&m, "zk1", "1", "10.0.0.1:2181");
	tm_zk_node(&m, "zk5", "5", "10.0.0.5:2181");
	tm_zk_cfg(&m, "zk1", "1=10.0.0.1", "2=10.0.0.2", "3=10.0.0.3", NULL);
	tm_zk_cfg(&m, "zk5", "3=10.0.0.3", "5=10.0.0.5", "6=10.0.0.6", NULL);
	tm_zk_set(&m, "zk1", "zk.fourletter_output", "zk-srvr.txt",
	    "zk.4lw.zxid", "0x200000004");
	tm_zk_set(&m, "zk1", "zk.fourletter_output", "zk-srvr.txt",
	    "zk.4lw.mode", "leader");
	tm_zk_set(&m, "zk5", "zk.fourletter_output", "zk-srvr.txt",
	    "zk.4lw.zxid", "0x700000001");
	tm_zk_set(&m, "zk5", "zk.fourletter_output", "zk-srvr.txt",
	    "zk.4lw.mode", "leader");
	tm_analyse(&m);
	f = tm_finding(&m, "zk-split-brain", NULL);
	CHECK(f != NULL);
	CHECK(tm_has_step(f, "start zk5 first"));
	tm_free(&m);

	/* The same two answers with one ensemble: not split brain. */
	tm_init(&m);
	tm_zk_node(&m, "zk1", "1", "10.0.0.1:2181");
	tm_zk_node(&m, "zk2", "2", "10.0.0.2:2181");
	tm_zk_cfg(&m, "zk1", "1=10.0.0.1", "2=10.0.0.2", "3=10.0.0.3", NULL);
	tm_zk_cfg(&m, "zk2", "1=10.0.0.1", "2=10.0.0.2", "3=10.0.0.3", NULL);
	tm_zk_set(&m, "zk1", "zk.fourletter_output", "zk-srvr.txt",
	    "zk.4lw.mode", "follower");
	tm_zk_set(&m, "zk2", "zk.fourletter_output", "zk-srvr.txt",
	    "zk.4lw.zxid", "0x200000004");
	tm_zk_set(&m, "zk2", "zk.fourletter_output", "zk-srvr.txt",
	    "zk.4lw.mode", "leader");
	tm_analyse(&m);
	CHECK(tm_finding(&m, "zk-split-brain", NULL) == NULL);
	tm_free(&m);
}

DEFINE_TEST(test_rules_zk_standalone)
{
	struct tm		 m;
	const struct qs_finding	*f;

	tm_init(&m);
	tm_zk_node(&m, "zk1", "1", "10.0.0.1:2181");
	tm_zk_node(&m, "zk2", "2", "10.0.0.2:2181");
	tm_zk_set(&m, "zk1", "zk.log", "var/log/zookeeper/zookeeper.log",
	    "zk.log.standalone", "true");
	tm_zk_set(&m, "zk2", "zk.fourletter_output", "zk-srvr.txt",
	    "zk.4lw.mode", "standalone");
	tm_zk_set(&m, "zk1", "zk.txnlog", "version-2/log.1",
	    "zk.txnlog.last_zxid", "0x5");
	tm_zk_set(&m, "zk2", "zk.txnlog", "version-2/log.1",
	    "zk.txnlog.last_zxid", "0xd");
	tm_analyse(&m);
	f = tm_finding(&m, "zk-standalone", NULL);
	CHECK(f != NULL && f->nodes.n == 2);
	CHECK(tm_has_step(f, "server.1=10.0.0.1:2888:3888, "
	    "server.2=10.0.0.2:2888:3888"));
	CHECK(tm_has_step(f, "Start zk2 first"));
	tm_free(&m);

	/* One server alone in the bundle: nothing to compare with. */
	tm_init(&m);
	tm_zk_node(&m, "zk1", "1", "10.0.0.1:2181");
	tm_zk_set(&m, "zk1", "zk.log", "var/log/zookeeper/zookeeper.log",
	    "zk.log.standalone", "true");
	tm_analyse(&m);
	CHECK(tm_finding(&m, "zk-standalone", NULL) == NULL);
	tm_free(&m);

	/* An ensemble: followers and a leader. */
	tm_init(&m);
	tm_zk_node(&m, "zk1", "1", "10.0.0.1:2181");
	tm_zk_node(&m, "zk2", "2", "10.0.0.2:2181");
	tm_zk_set(&m, "zk1", "zk.fourletter_output", "zk-srvr.txt",
	    "zk.4lw.mode", "follower");
	tm_zk_set(&m, "zk2", "zk.fourletter_output", "zk-srvr.txt",
	    "zk.4lw.mode", "leader");
	tm_analyse(&m);
	CHECK(tm_finding(&m, "zk-standalone", NULL) == NULL);
	tm_free(&m);
}

static void
tm_zk_epochs(struct tm *m, const char *node, const char *cur,
    const char *acc)
{
	tm_zk_set(m, node, "zk.epoch", "version-2/currentEpoch",
	    "zk.currentEpoch", cur);
	tm_zk_set(m, node, "zk.epoch", "version-2/acceptedEpoch",
	    "zk.acceptedEpoch", acc);
}

DEFINE_TEST(test_rules_zk_epoch_mismatch)
{
	struct tm		 m;
	const struct qs_finding	*f;
	struct qs_parse_ctx	*ctx;
	struct qs_evidence	 ev;
	struct qs_signal	*s;
	size_t			 n;

	/* Written ahead of everyone, and refused by the leader. */
	tm_init(&m);
	tm_zk_node(&m, "zk1", "1", "10.0.0.1:2181");
	tm_zk_node(&m, "zk2", "2", "10.0.0.2:2181");
	tm_zk_epochs(&m, "zk1", "5", "5");
	tm_zk_epochs(&m, "zk2", "1", "1");
	tm_zk_set(&m, "zk1", "zk.txnlog", "version-2/log.100000001",
	    "zk.txnlog.last_zxid", "0x10000000d");
	tm_zk_event(&m, "zk2", QS_EV_LEADER_ELECTED, 1000, 1);
	ctx = tm_ctx(&m, "zk1", "zk.log", "var/log/zookeeper/zookeeper.log");
	ev = tm_ev(ctx, 7);
	s = qs_emit_signal(ctx, QS_SIG_EPOCH_REFUSED, NULL, &ev);
	s->detail = "Leaders epoch, 1 is less than accepted epoch, 5";
	s->time.set = 1;
	s->time.ms = 9000;
	tm_analyse(&m);
	f = tm_finding(&m, "zk-epoch-mismatch", &n);
	CHECK(f != NULL && n == 1);
	CHECK(f != NULL && f->nodes.n == 1 &&
	    strcmp(((struct qs_node *)f->nodes.v[0])->name, "zk1") == 0);
	CHECK(tm_has_fact(f, "ahead of every other server's (highest 1)"));
	CHECK(tm_has_step(f, "printf 1 > /zookeeper/zookeeper/version-2/"
	    "currentEpoch") || tm_has_step(f, "printf 1 > <dataDir>/version-2"
	    "/currentEpoch"));
	/* The learner's complaint is not a lost quorum. */
	CHECK(tm_finding(&m, "zk-no-quorum", NULL) == NULL);
	tm_free(&m);

	/* acceptedEpoch two past currentEpoch on one server. */
	tm_init(&m);
	tm_zk_node(&m, "zk1", "1", "10.0.0.1:2181");
	tm_zk_epochs(&m, "zk1", "1", "3");
	tm_analyse(&m);
	f = tm_finding(&m, "zk-epoch-mismatch", NULL);
	CHECK(f != NULL && tm_has_fact(f, "more than one step"));
	tm_free(&m);

	/* A new epoch without writes yet, one promise ahead: healthy. */
	tm_init(&m);
	tm_zk_node(&m, "zk1", "1", "10.0.0.1:2181");
	tm_zk_node(&m, "zk2", "2", "10.0.0.2:2181");
	tm_zk_epochs(&m, "zk1", "2", "3");
	tm_zk_epochs(&m, "zk2", "2", "2");
	tm_zk_set(&m, "zk1", "zk.txnlog", "version-2/log.100000001",
	    "zk.txnlog.last_zxid", "0x100000004");
	tm_analyse(&m);
	CHECK(tm_finding(&m, "zk-epoch-mismatch", NULL) == NULL);
	tm_free(&m);
}

DEFINE_TEST(test_rules_zk_no_quorum_survivor)
{
	struct tm		 m;
	const struct qs_finding	*f;
	struct qs_parse_ctx	*ctx;
	struct qs_evidence	 ev;
	struct qs_signal	*s;

	tm_init(&m);
	tm_zk_node(&m, "zk1", "1", "10.0.0.1:2181");
	tm_zk_node(&m, "zk2", "2", "10.0.0.2:2181");
	tm_zk_event(&m, "zk1", QS_EV_LEADER_ELECTED, 1000, 3);
	ctx = tm_ctx(&m, "zk1", "zk.log", "var/log/zookeeper/zookeeper.log");
	ev = tm_ev(ctx, 9);
	s = qs_emit_signal(ctx, QS_SIG_QUORUM_LOST, NULL, &ev);
	s->time.set = 1;
	s->time.ms = 5000;
	tm_zk_set(&m, "zk1", "zk.snapshot", "version-2/snapshot.300000010",
	    "zk.snapshot.zxid", "0x300000010");
	tm_zk_set(&m, "zk2", "zk.txnlog", "version-2/log.300000001",
	    "zk.txnlog.last_zxid", "0x300000012");
	tm_zk_epochs(&m, "zk1", "3", "3");
	tm_zk_epochs(&m, "zk2", "3", "3");
	tm_zk_set(&m, "zk1", "zk.log", "var/log/zookeeper/zookeeper.log",
	    "zk.log.slow_fsync_max_ms", "4200");
	tm_analyse(&m);
	f = tm_finding(&m, "zk-no-quorum", NULL);
	CHECK(f != NULL);
	CHECK(tm_has_step(f, "start zk2 first: it has the highest zxid "
	    "0x300000012 (txn log log.300000001, currentEpoch 3)"));
	CHECK(tm_has_fact(f, "Contributing: zk1"));
	f = tm_finding(&m, "zk-slow-fsync", NULL);
	CHECK(f != NULL && tm_has_fact(f, "zk-no-quorum"));
	tm_free(&m);
}

/*
 * Two servers claim myid 2 (cloned zones): what a third server's
 * configuration says of "server 2" cannot be pinned on either, so its
 * leader at 10.0.0.3 stays the server at 10.0.0.3, not the first
 * claimer of the id.
 */
DEFINE_TEST(test_rule_zk_shared_myid_not_merged)
{
	struct tm		 m;
	struct qs_parse_ctx	*ctx;
	struct qs_evidence	 ev;
	struct qs_event		*e;

	tm_init(&m);
	tm_zk_node(&m, "zk1", "2", "10.0.0.1:2181");
	tm_zk_node(&m, "zk3", "2", "10.0.0.3:2181");
	ctx = tm_ctx(&m, "zk4", "zk.cfg", "zoo.cfg");
	ev = tm_ev(ctx, 14);
	qs_emit_identity(ctx, QS_ID_ADDRESS, "10.0.0.3:2888", "quorum", "2",
	    &ev);
	ctx = tm_ctx(&m, "zk4", "zk.log", "var/log/zookeeper/zookeeper.log");
	ev = tm_ev(ctx, 20);
	e = qs_emit_event(ctx, QS_EV_LEADER_ELECTED, "10.0.0.3:2888", &ev);
	tm_analyse(&m);
	CHECK(e->subject_node != NULL &&
	    strcmp(e->subject_node->name, "zk3") == 0);
	tm_free(&m);
}

/* Equal history: the server still answering at collection goes first. */
DEFINE_TEST(test_rule_zk_survivor_tie_running)
{
	struct tm		 m;
	const char		*why = NULL;
	const struct qs_node	*sv;

	tm_init(&m);
	tm_zk_node(&m, "zk1", "1", "10.0.0.1:2181");
	tm_zk_node(&m, "zk2", "2", "10.0.0.2:2181");
	tm_zk_set(&m, "zk1", "zk.txnlog", "version-2/log.100000001",
	    "zk.txnlog.last_zxid", "0x100000013");
	tm_zk_set(&m, "zk2", "zk.txnlog", "version-2/log.100000001",
	    "zk.txnlog.last_zxid", "0x100000013");
	tm_zk_set(&m, "zk2", "zk.fourletter_output", "zk-srvr.txt",
	    "zk.4lw.serving", "false");
	tm_analyse(&m);
	sv = qs_zk_survivor(&m.an, &why, NULL);
	CHECK(sv != NULL && strcmp(sv->name, "zk2") == 0);
	CHECK(why != NULL && strstr(why, "still answered at collection") !=
	    NULL);
	tm_free(&m);
}

/* A fast fsync logged under a lowered threshold is no slow disk. */
DEFINE_TEST(test_rule_zk_slow_fsync_below_default)
{
	struct tm		 m;
	const struct qs_finding	*f;

	tm_init(&m);
	tm_zk_node(&m, "zk1", "1", "10.0.0.1:2181");
	tm_zk_set(&m, "zk1", "zk.log", "var/log/zookeeper/zookeeper.log",
	    "zk.log.slow_fsync_max_ms", "999");
	tm_zk_set(&m, "zk2", "zk.log", "var/log/zookeeper/zookeeper.log",
	    "zk.log.slow_fsync_max_ms", "1000");
	tm_analyse(&m);
	f = tm_finding(&m, "zk-slow-fsync", NULL);
	CHECK(f != NULL && strstr(f->title, "zk2") != NULL);
	CHECK(f == NULL || strstr(f->title, "zk1") == NULL);
	tm_free(&m);
}

/* The first transaction of a txn log, as the txn log parser records it. */
static void
tm_zk_txn(struct tm *m, const char *node, uint64_t zxid, int64_t ms)
{
	struct qs_parse_ctx	*ctx = tm_ctx(m, node, "zk.txnlog",
	    "version-2/log.100000001");
	struct qs_evidence	 ev = qs_evidence_offset(ctx, 16, "zxid");
	struct qs_event		*e = qs_emit_event(ctx, QS_EV_TERM_CHANGE, NULL,
	    &ev);

	e->time.set = e->time.zone_known = 1;
	e->time.ms = ms;
	e->clock.set = QS_CLOCK_ZXID | QS_CLOCK_TERM;
	e->clock.zxid = zxid;
	e->clock.term = zxid >> 32;
}

/* Txn logs alone: one zxid, two times, so two leaders issued it. */
DEFINE_TEST(test_rules_zk_split_brain_txnlogs)
{
	struct tm		 m;
	const struct qs_finding	*f;

	tm_init(&m);
	tm_zk_node(&m, "zk1", "1", "10.0.0.1:2181");
	tm_zk_node(&m, "zk2", "2", "10.0.0.2:2181");
	tm_zk_txn(&m, "zk1", 0x100000001ULL, 1000);
	tm_zk_txn(&m, "zk2", 0x100000001ULL, 2500);
	tm_analyse(&m);
	f = tm_finding(&m, "zk-split-brain", NULL);
	CHECK(f != NULL && strstr(f->title, "Two histories of ZooKeeper "
	    "epoch 1") != NULL);
	CHECK(tm_has_fact(f, "both hold zxid 0x100000001"));
	tm_free(&m);

	/* The same transaction replicated: one time. */
	tm_init(&m);
	tm_zk_node(&m, "zk1", "1", "10.0.0.1:2181");
	tm_zk_node(&m, "zk2", "2", "10.0.0.2:2181");
	tm_zk_txn(&m, "zk1", 0x100000001ULL, 1000);
	tm_zk_txn(&m, "zk2", 0x100000001ULL, 1000);
	tm_zk_txn(&m, "zk2", 0x200000001ULL, 9000);
	tm_analyse(&m);
	CHECK(tm_finding(&m, "zk-split-brain", NULL) == NULL);
	tm_free(&m);
}

/* zoo.cfg alone: one voter and standaloneEnabled left on. */
DEFINE_TEST(test_rules_zk_standalone_cfg)
{
	struct tm		 m;
	const struct qs_finding	*f;

	tm_init(&m);
	tm_zk_node(&m, "zk1", "1", "10.0.0.1:2181");
	tm_zk_node(&m, "zk2", "2", "10.0.0.2:2181");
	tm_zk_cfg(&m, "zk1", "1=10.0.0.1", NULL);
	tm_zk_cfg(&m, "zk2", "1=10.0.0.1", "2=10.0.0.2", "3=10.0.0.3", NULL);
	tm_analyse(&m);
	f = tm_finding(&m, "zk-standalone", NULL);
	CHECK(f != NULL && f->nodes.n == 1);
	CHECK(tm_has_fact(f, "so QuorumPeerMain runs it standalone"));
	tm_free(&m);

	/* standaloneEnabled=false: a one-server ensemble, not standalone. */
	tm_init(&m);
	tm_zk_node(&m, "zk1", "1", "10.0.0.1:2181");
	tm_zk_node(&m, "zk2", "2", "10.0.0.2:2181");
	tm_zk_cfg(&m, "zk1", "1=10.0.0.1", NULL);
	tm_zk_set(&m, "zk1", "zk.cfg", "zoo.cfg", "zk.standaloneEnabled",
	    "false");
	tm_zk_cfg(&m, "zk2", "1=10.0.0.1", "2=10.0.0.2", "3=10.0.0.3", NULL);
	tm_analyse(&m);
	CHECK(tm_finding(&m, "zk-standalone", NULL) == NULL);
	tm_free(&m);
}

/* Overlapping leaderships of different epochs. */
DEFINE_TEST(test_rules_zk_split_brain_overlap)
{
	struct tm		 m;
	struct qs_event		*e;

	/* Disjoint supporters (a list of 5: {1,2} and {4,5} are no quorum
	 * of one list), zk1 still leading when zk4 starts. */
	tm_init(&m);
	tm_zk_node(&m, "zk1", "1", "10.0.0.1:2181");
	tm_zk_node(&m, "zk4", "4", "10.0.0.4:2181");
	e = tm_zk_event(&m, "zk1", QS_EV_LEADER_ELECTED, 1000, 2);
	e->detail = "epoch 2, supporters [[1, 2]]";
	tm_zk_event(&m, "zk1", QS_EV_ELECTION_START, 9000, 0);
	e = tm_zk_event(&m, "zk4", QS_EV_LEADER_ELECTED, 5000, 3);
	e->detail = "epoch 3, supporters [[4, 5]]";
	tm_analyse(&m);
	CHECK(tm_finding(&m, "zk-split-brain", NULL) != NULL);
	CHECK(tm_has_fact(tm_finding(&m, "zk-split-brain", NULL),
	    "to 1970-01-01T00:00:09"));
	tm_free(&m);

	/* Overlap with shared supporters in one ensemble: a partitioned old
	 * leader that has not noticed yet, not a split. */
	tm_init(&m);
	tm_zk_node(&m, "zk1", "1", "10.0.0.1:2181");
	tm_zk_node(&m, "zk2", "2", "10.0.0.2:2181");
	tm_zk_cfg(&m, "zk1", "1=10.0.0.1", "2=10.0.0.2", "3=10.0.0.3", NULL);
	tm_zk_cfg(&m, "zk2", "1=10.0.0.1", "2=10.0.0.2", "3=10.0.0.3", NULL);
	e = tm_zk_event(&m, "zk1", QS_EV_LEADER_ELECTED, 1000, 2);
	e->detail = "epoch 2, supporters [[1, 2, 3]]";
	e = tm_zk_event(&m, "zk2", QS_EV_LEADER_ELECTED, 5000, 3);
	e->detail = "epoch 3, supporters [[2, 3]]";
	tm_zk_event(&m, "zk1", QS_EV_ELECTION_START, 9000, 0);
	tm_analyse(&m);
	CHECK(tm_finding(&m, "zk-split-brain", NULL) == NULL);
	tm_free(&m);
}

/*
 * formats.md 7.4 cases 2-4.  tg_bundle() parses a headnode's SAPI and
 * VMAPI dumps: three binder VMs u-0..u-2 at 10.0.0.1..3 with ZK_ID 1..3,
 * the sdc application's ZK_SERVERS `app`, moray's `moray` and manatee's
 * the good list; `insts` and `extra_vm` vary the instances and VMs.
 */
#define TG_GOOD \
    "[{\"host\": \"10.0.0.1\", \"port\": 2181, \"num\": 1},\n" \
    " {\"host\": \"10.0.0.2\", \"port\": 2181, \"num\": 2},\n" \
    " {\"host\": \"10.0.0.3\", \"port\": 2181, \"num\": 3, \"last\": true}]"
#define TG_INSTS \
    "{\"uuid\": \"u-0\", \"service_uuid\": \"s-binder\", " \
    "\"metadata\": {\"ZK_ID\": \"1\"}},\n" \
    "{\"uuid\": \"u-1\", \"service_uuid\": \"s-binder\", " \
    "\"metadata\": {\"ZK_ID\": \"2\"}},\n" \
    "{\"uuid\": \"u-2\", \"service_uuid\": \"s-binder\", " \
    "\"metadata\": {\"ZK_ID\": \"3\"}}"

static void
tg_bundle(struct tm *m, const char *app, const char *moray,
    const char *insts, const char *extra_vm)
{
	const char		*vms = "[";
	int			 i;

	tm_parse(m, "triton.sapi_dump", "sdc-sapi-applications.json",
	    qs_arena_printf(&m->run->arena, "[{\"uuid\": \"a-sdc\", "
	    "\"name\": \"sdc\", \"metadata\": {\"ZK_SERVERS\": %s}}]\n", app));
	tm_parse(m, "triton.sapi_dump", "sdc-sapi-services.json",
	    qs_arena_printf(&m->run->arena, "[{\"uuid\": \"s-binder\", "
	    "\"name\": \"binder\", \"application_uuid\": \"a-sdc\"},\n"
	    "{\"uuid\": \"s-moray\", \"name\": \"moray\", "
	    "\"application_uuid\": \"a-sdc\", \"metadata\": "
	    "{\"ZK_SERVERS\": %s}},\n"
	    "{\"uuid\": \"s-manatee\", \"name\": \"manatee\", "
	    "\"application_uuid\": \"a-sdc\", \"metadata\": {\"ZK_SERVERS\": "
	    "%s}}]\n", moray, TG_GOOD));
	tm_parse(m, "triton.sapi_dump", "sdc-sapi-instances.json",
	    qs_arena_printf(&m->run->arena, "[%s]\n", insts));
	for (i = 0; i < 3; i++)
		vms = qs_arena_printf(&m->run->arena, "%s{\"uuid\": "
		    "\"u-%d\", \"alias\": \"binder%d\", \"state\": "
		    "\"running\", \"server_uuid\": \"cn-%d\", \"nics\": "
		    "[{\"ip\": \"10.0.0.%d\"}], \"tags\": {\"smartdc_role\": "
		    "\"binder\"}},\n", vms, i, i, i, i + 1);
	vms = qs_arena_printf(&m->run->arena, "%s%s]\n", vms,
	    extra_vm != NULL ? extra_vm : "{\"uuid\": \"u-m\", \"alias\": "
	    "\"moray0\", \"state\": \"running\", \"nics\": [{\"ip\": "
	    "\"10.0.0.40\"}], \"tags\": {\"smartdc_role\": \"moray\"}}");
	tm_parse(m, "triton.vmapi_dump", "vmapi-vms.json", vms);
}

/* No Triton rule has anything to say about a consistent headnode. */
static int
tg_quiet(struct tm *m)
{
	return tm_finding(m, "triton-ghost-instance", NULL) == NULL &&
	    tm_finding(m, "triton-zk-servers-invalid", NULL) == NULL &&
	    tm_finding(m, "triton-zk-servers-copies", NULL) == NULL &&
	    tm_finding(m, "triton-zk-servers-mismatch", NULL) == NULL;
}

DEFINE_TEST(test_rules_triton_consistent)
{
	struct tm	m;

	tm_init(&m);
	tg_bundle(&m, TG_GOOD, TG_GOOD, TG_INSTS, NULL);
	tm_analyse(&m);
	CHECK(tg_quiet(&m));
	tm_free(&m);

	/* With the zones: their zoo.cfg and myid agree too. */
	tm_init(&m);
	tm_zk_node(&m, "binder0", "1", "10.0.0.1:2181");
	tm_zk_node(&m, "binder2", "3", "10.0.0.3:2181");
	tm_zk_cfg(&m, "binder0", "1=10.0.0.1", "2=10.0.0.2", "3=10.0.0.3",
	    NULL);
	tm_zk_cfg(&m, "binder2", "1=10.0.0.1", "2=10.0.0.2", "3=10.0.0.3",
	    NULL);
	tg_bundle(&m, TG_GOOD, TG_GOOD, TG_INSTS, NULL);
	tm_analyse(&m);
	CHECK(tg_quiet(&m));
	tm_free(&m);
}

/* Case 2: a running binder VM that is no SAPI instance. */
DEFINE_TEST(test_rules_triton_unregistered)
{
	struct tm		 m;
	const struct qs_finding	*f;
	size_t			 n;

	/* Outside the ensemble: destroy it (a warning). */
	tm_init(&m);
	tg_bundle(&m, TG_GOOD, TG_GOOD, TG_INSTS, "{\"uuid\": \"u-x\", "
	    "\"alias\": \"binder9\", \"state\": \"running\", \"server_uuid\": "
	    "\"cn-9\", \"nics\": [{\"ip\": \"10.0.0.9\"}], \"tags\": "
	    "{\"smartdc_role\": \"binder\"}}");
	tm_analyse(&m);
	f = tm_finding(&m, "triton-ghost-instance", &n);
	CHECK(f != NULL);
	CHECK_INT(n, 1);
	if (f != NULL) {
		CHECK(f->level == QS_LEVEL_WARNING);
		CHECK(tm_has_step(f, "sdc-oneachnode -n cn-9 'vmadm delete "
		    "u-x'"));
	}
	/* The list sdcadm would write leaves it out: nothing invalid. */
	CHECK(tm_finding(&m, "triton-zk-servers-invalid", NULL) == NULL);
	tm_free(&m);

	/*
	 * binder2, in ZK_SERVERS as num 3, has no instance: an ensemble
	 * member SAPI lost; adopt it with ZK_ID 3 (an error), and do not
	 * call num 3 invalid for it.
	 */
	tm_init(&m);
	tg_bundle(&m, TG_GOOD, TG_GOOD,
	    "{\"uuid\": \"u-0\", \"service_uuid\": \"s-binder\", "
	    "\"metadata\": {\"ZK_ID\": \"1\"}},\n"
	    "{\"uuid\": \"u-1\", \"service_uuid\": \"s-binder\", "
	    "\"metadata\": {\"ZK_ID\": \"2\"}}", NULL);
	tm_analyse(&m);
	f = tm_finding(&m, "triton-ghost-instance", &n);
	CHECK(f != NULL);
	CHECK_INT(n, 1);
	if (f != NULL) {
		CHECK(f->level == QS_LEVEL_ERROR);
		CHECK(tm_has_step(f, "sdc-sapi /instances -X POST"));
		CHECK(tm_has_step(f, "\"uuid\": \"u-2\""));
		CHECK(tm_has_step(f, "{\"ZK_ID\": \"3\"}, \"exists\": true"));
	}
	CHECK(tm_finding(&m, "triton-zk-servers-invalid", NULL) == NULL);
	tm_free(&m);

	/* Untagged: the alias binderN counts, another alias does not. */
	tm_init(&m);
	tg_bundle(&m, TG_GOOD, TG_GOOD, TG_INSTS, "{\"uuid\": \"u-y\", "
	    "\"alias\": \"binder7\", \"state\": \"running\", \"nics\": "
	    "[{\"ip\": \"10.0.0.9\"}]}, {\"uuid\": \"u-z\", \"alias\": "
	    "\"binderx\", \"state\": \"running\", \"nics\": [{\"ip\": "
	    "\"10.0.0.10\"}]}");
	tm_analyse(&m);
	f = tm_finding(&m, "triton-ghost-instance", &n);
	CHECK(f != NULL);
	CHECK_INT(n, 1);
	if (f != NULL)
		CHECK(strstr(f->title, "u-y") != NULL);
	tm_free(&m);

	/* Without SAPI's instances nothing can be said. */
	tm_init(&m);
	tg_bundle(&m, TG_GOOD, TG_GOOD, "", "{\"uuid\": \"u-x\", "
	    "\"alias\": \"binder9\", \"state\": \"running\", \"nics\": "
	    "[{\"ip\": \"10.0.0.9\"}], \"tags\": {\"smartdc_role\": "
	    "\"binder\"}}");
	tm_analyse(&m);
	CHECK(tm_finding(&m, "triton-ghost-instance", NULL) == NULL);
	tm_free(&m);
}

/* Case 3: elements no binder answers to, repeats, "last". */
DEFINE_TEST(test_rules_triton_zk_invalid)
{
	struct tm		 m;
	const struct qs_finding	*f;

	/* A fourth element at an address no binder VM has. */
	tm_init(&m);
	tg_bundle(&m, "[{\"host\": \"10.0.0.1\", \"port\": 2181, \"num\": 1},"
	    "{\"host\": \"10.0.0.2\", \"port\": 2181, \"num\": 2},"
	    "{\"host\": \"10.0.0.3\", \"port\": 2181, \"num\": 3},"
	    "{\"host\": \"10.0.0.8\", \"port\": 2181, \"num\": 4, "
	    "\"last\": true}]", TG_GOOD, TG_INSTS, NULL);
	tm_analyse(&m);
	f = tm_finding(&m, "triton-zk-servers-invalid", NULL);
	CHECK(f != NULL);
	if (f != NULL) {
		CHECK(f->level == QS_LEVEL_ERROR);
		CHECK(tm_has_step(f, "\"host\": \"10.0.0.3\",\n"
		    "        \"port\": 2181,\n        \"num\": 3,\n"
		    "        \"last\": true\n"));
		CHECK(!tm_has_step(f, "10.0.0.8"));
		CHECK(tm_has_step(f, "sapiadm update a-sdc -f "
		    "/opt/root/zk-servers"));
	}
	/* The copies differ as well. */
	CHECK(tm_finding(&m, "triton-zk-servers-copies", NULL) != NULL);
	tm_free(&m);

	/* "last" on the first element of moray's copy. */
	tm_init(&m);
	tg_bundle(&m, TG_GOOD,
	    "[{\"host\": \"10.0.0.1\", \"port\": 2181, \"num\": 1, "
	    "\"last\": true},"
	    "{\"host\": \"10.0.0.2\", \"port\": 2181, \"num\": 2},"
	    "{\"host\": \"10.0.0.3\", \"port\": 2181, \"num\": 3}]",
	    TG_INSTS, NULL);
	tm_analyse(&m);
	f = tm_finding(&m, "triton-zk-servers-invalid", NULL);
	CHECK(f != NULL);
	if (f != NULL)
		CHECK(tm_has_step(f, "sapiadm update s-moray"));
	/* Same pairs: the copies agree. */
	CHECK(tm_finding(&m, "triton-zk-servers-copies", NULL) == NULL);
	tm_free(&m);

	/* The same element twice (num and host repeated). */
	tm_init(&m);
	tg_bundle(&m, "[{\"host\": \"10.0.0.1\", \"port\": 2181, \"num\": 1},"
	    "{\"host\": \"10.0.0.2\", \"port\": 2181, \"num\": 2},"
	    "{\"host\": \"10.0.0.3\", \"port\": 2181, \"num\": 3},"
	    "{\"host\": \"10.0.0.3\", \"port\": 2181, \"num\": 3, "
	    "\"last\": true}]", TG_GOOD, TG_INSTS, NULL);
	tm_analyse(&m);
	CHECK(tm_finding(&m, "triton-zk-servers-invalid", NULL) != NULL);
	tm_free(&m);

	/* A num that is no instance's ZK_ID, at a binder's address. */
	tm_init(&m);
	tg_bundle(&m, "[{\"host\": \"10.0.0.1\", \"port\": 2181, \"num\": 1},"
	    "{\"host\": \"10.0.0.2\", \"port\": 2181, \"num\": 2},"
	    "{\"host\": \"10.0.0.3\", \"port\": 2181, \"num\": 7, "
	    "\"last\": true}]", TG_GOOD, TG_INSTS, NULL);
	tm_analyse(&m);
	f = tm_finding(&m, "triton-zk-servers-invalid", NULL);
	CHECK(f != NULL);
	if (f != NULL)
		CHECK(tm_has_step(f, "\"num\": 3,\n        \"last\": true"));
	tm_free(&m);
}

/* Case 4: the copies, zoo.cfg and myid. */
DEFINE_TEST(test_rules_triton_zk_copies)
{
	struct tm		 m;
	const struct qs_finding	*f;

	/* moray's copy lacks server 3. */
	tm_init(&m);
	tg_bundle(&m, TG_GOOD,
	    "[{\"host\": \"10.0.0.1\", \"port\": 2181, \"num\": 1},"
	    "{\"host\": \"10.0.0.2\", \"port\": 2181, \"num\": 2, "
	    "\"last\": true}]", TG_INSTS, NULL);
	tm_analyse(&m);
	f = tm_finding(&m, "triton-zk-servers-copies", NULL);
	CHECK(f != NULL);
	if (f != NULL) {
		CHECK(tm_has_step(f, "sapiadm update s-moray -f "
		    "/opt/root/zk-servers"));
		CHECK(!tm_has_step(f, "sapiadm update a-sdc"));
		CHECK(!tm_has_step(f, "sapiadm update s-manatee"));
	}
	tm_free(&m);

	/* A zone's zoo.cfg has another host for server 2. */
	tm_init(&m);
	tm_zk_node(&m, "binder2", "3", "10.0.0.3:2181");
	tm_zk_cfg(&m, "binder2", "1=10.0.0.1", "2=10.0.0.7", "3=10.0.0.3",
	    NULL);
	tg_bundle(&m, TG_GOOD, TG_GOOD, TG_INSTS, NULL);
	tm_analyse(&m);
	f = tm_finding(&m, "triton-zk-servers-copies", NULL);
	CHECK(f != NULL);
	if (f != NULL)
		CHECK(tm_has_step(f, "sdc-oneachnode -n cn-2 '/usr/sbin/zlogin "
		    "u-2 "));
	tm_free(&m);

	/* A zone whose myid is not its instance's ZK_ID. */
	tm_init(&m);
	tm_zk_node(&m, "binder1", "5", "10.0.0.2:2181");
	tm_zk_cfg(&m, "binder1", "1=10.0.0.1", "2=10.0.0.2", "3=10.0.0.3",
	    NULL);
	tg_bundle(&m, TG_GOOD, TG_GOOD, TG_INSTS, NULL);
	tm_analyse(&m);
	f = tm_finding(&m, "triton-zk-servers-copies", NULL);
	CHECK(f != NULL);
	if (f != NULL)
		CHECK(strstr(f->title, "myid") != NULL);
	tm_free(&m);
}

/* A hosts file on `node` mapping `name` to `ip`. */
static void
tm_hosts(struct tm *m, const char *node, const char *ip, const char *name)
{
	struct qs_parse_ctx	*ctx = tm_ctx(m, node, "host.hosts",
	    "etc/hosts");
	struct qs_evidence	 ev = tm_ev(ctx, 1);

	qs_emit_identity(ctx, QS_ID_ADDRESS, ip, "hosts", name, &ev);
}

/*
 * Servers named by host name: healthy when the hosts files map the names
 * to the servers' own addresses, unknown (no finding) when nothing
 * resolves them, stale when the hosts files map a name elsewhere.
 */
DEFINE_TEST(test_rules_zk_host_names)
{
	static const char *const node[] = { "zk-a", "zk-b", "zk-c" };
	static const char *const ip[] = { "10.0.0.1", "10.0.0.2",
	    "10.0.0.3" };
	static const char *const fqdn[] = { "zk-a.example.internal",
	    "zk-b.example.internal", "zk-c.example.internal" };
	struct tm		 m;
	const struct qs_finding	*f;
	char			 myid[4], addr[32];
	int			 i, j, round;

	for (round = 0; round < 3; round++) {
		tm_init(&m);
		for (i = 0; i < 3; i++) {
			snprintf(myid, sizeof(myid), "%d", i + 1);
			snprintf(addr, sizeof(addr), "%s:2181", ip[i]);
			/* Directory names that are not the host names. */
			tm_zk_node(&m, round == 1 ? qs_arena_printf(
			    &m.run->arena, "n%d", i) : node[i], myid, addr);
		}
		for (i = 0; i < 3; i++) {
			const char	*n = round == 1 ? qs_arena_printf(
			    &m.run->arena, "n%d", i) : node[i];

			tm_zk_cfg(&m, n, qs_arena_printf(&m.run->arena,
			    "1=%s", fqdn[0]), qs_arena_printf(&m.run->arena,
			    "2=%s", fqdn[1]), qs_arena_printf(&m.run->arena,
			    "3=%s", fqdn[2]), NULL);
			for (j = 0; round != 1 && j < 3; j++)
				tm_hosts(&m, n, round == 2 && j == 2 ?
				    "10.0.0.9" : ip[j], fqdn[j]);
		}
		tm_analyse(&m);
		f = tm_finding(&m, "zk-stale-address", NULL);
		if (round < 2)
			CHECK(f == NULL);
		else
			CHECK(f != NULL && strstr(f->title, "server 3 ") !=
			    NULL);
		tm_free(&m);
	}
}
