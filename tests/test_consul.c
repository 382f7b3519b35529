/*
 * The Consul facts and history (consul.c) and the rules that read them,
 * on clusters written line by line: each test states what the servers'
 * logs, raft configurations and settings said, at what second, then
 * checks the history (liveness, terms, voters) and the findings.
 */
#include "config.h"

#include <stdarg.h>
#include <stdlib.h>

#include "test.h"

#define S	1000	/* one second, in ms */
#define CT_MAX	8	/* servers in one test */

/* A cluster under construction: its run, one log per node. */
struct ct {
	struct qs_run		*run;
	struct qs_analysis	 an;
	int			 analysed;
	const char		*name[CT_MAX];
	struct qs_parse_ctx	*log[CT_MAX];
	size_t			 n;
};

static struct qs_parse_ctx *
ct_log(struct ct *t, const char *node)
{
	size_t	i;

	for (i = 0; i < t->n; i++)
		if (strcmp(t->name[i], node) == 0)
			return t->log[i];
	if (t->n == CT_MAX)
		abort();
	t->name[t->n] = node;
	t->log[t->n] = qs_test_model_ctx(t->run, node, "consul.log",
	    "var/log/consul.log");
	return t->log[t->n++];
}

static struct qs_evidence
ct_ev(struct qs_parse_ctx *ctx)
{
	static uint64_t	line;

	return qs_evidence_line(ctx, ++line, "a line");
}

static void
ct_when(struct qs_time *t, int64_t ms)
{
	if (ms < 0)
		return;
	t->set = t->zone_known = 1;
	t->ms = ms;
}

/* A setting from the node's configuration file. */
static void
ct_setting(struct ct *t, const char *node, const char *key,
    const char *value)
{
	struct qs_parse_ctx	*ctx = qs_test_model_ctx(t->run, node,
	    "consul.config", "consul.d/consul.json");
	struct qs_evidence	 ev = ct_ev(ctx);

	qs_emit_setting(ctx, key, value, &ev);
}

/*
 * Servers named in the NULL-terminated list, at 10.0.0.1, .2, ... (raft
 * on 8300), each with its own raft address logged.
 */
static void
ct_init(struct ct *t, ...)
{
	const char	*name;
	va_list		 ap;
	size_t		 i = 0;

	memset(t, 0, sizeof(*t));
	t->run = qs_run_new();
	t->run->echo_diags = 0;
	va_start(ap, t);
	while ((name = va_arg(ap, const char *)) != NULL) {
		struct qs_parse_ctx	*ctx = ct_log(t, name);
		struct qs_evidence	 ev = ct_ev(ctx);

		ct_setting(t, name, "server", "true");
		ct_setting(t, name, "skip_leave_on_interrupt", "true");
		qs_emit_identity(ctx, QS_ID_ADDRESS, qs_arena_printf(
		    &t->run->arena, "10.0.0.%zu:8300", ++i), "raft", NULL, &ev);
	}
	va_end(ap);
}

static struct qs_event *
ct_event(struct ct *t, const char *node, int64_t ms,
    enum qs_event_kind kind, const char *subject, uint64_t term)
{
	struct qs_parse_ctx	*ctx = ct_log(t, node);
	struct qs_evidence	 ev = ct_ev(ctx);
	struct qs_event		*e = qs_emit_event(ctx, kind, subject, &ev);

	ct_when(&e->time, ms);
	if (term != 0) {
		e->clock.set |= QS_CLOCK_TERM;
		e->clock.term = term;
	}
	return e;
}

static struct qs_signal *
ct_signal(struct ct *t, const char *node, int64_t ms,
    enum qs_signal_kind kind, const char *subject)
{
	struct qs_parse_ctx	*ctx = ct_log(t, node);
	struct qs_evidence	 ev = ct_ev(ctx);
	struct qs_signal	*s = qs_emit_signal(ctx, kind, subject, &ev);

	ct_when(&s->time, ms);
	return s;
}

/* Lines of its own every `step` ms from `from` to `to`: it ran. */
static void
ct_runs(struct ct *t, const char *node, int64_t from, int64_t to,
    int64_t step)
{
	int64_t	ms;

	for (ms = from; ms <= to; ms += step)
		ct_event(t, node, ms, QS_EV_UPDATE, NULL, 0);
}

/* The raft configuration a node's raft.db holds at `index`: voters by
 * their last address octet, NULL-terminated ("3" is 10.0.0.3:8300). */
static void
ct_config(struct ct *t, const char *node, uint64_t index, ...)
{
	struct qs_parse_ctx	*ctx = qs_test_model_ctx(t->run, node,
	    "consul.raft_db", "raft/raft.db");
	struct qs_evidence	 ev = qs_evidence_offset(ctx, index * 64,
	    "log entry");
	struct qs_view		*v;
	const char		*octet;
	va_list			 ap;

	v = qs_emit_view(ctx, QS_VIEW_CONSENSUS,
	    "raft configuration (raft.db)", &ev);
	v->clock.set = QS_CLOCK_INDEX;
	v->clock.index = index;
	va_start(ap, index);
	while ((octet = va_arg(ap, const char *)) != NULL)
		qs_view_add(ctx, v, NULL, qs_arena_printf(&t->run->arena,
		    "10.0.0.%s:8300", octet), NULL, QS_MEMBER_VOTER);
	va_end(ap);
}

/* raft/peers.json as Consul before 0.7 keeps it on `node`: the
 * addresses, NULL-terminated; none and `is_null` for "null". */
static void
ct_peers(struct ct *t, const char *node, int is_null, ...)
{
	struct qs_parse_ctx	*ctx = qs_test_model_ctx(t->run, node,
	    "consul.peers_json", "raft/peers.json");
	struct qs_evidence	 ev = ct_ev(ctx);
	struct qs_view		*v;
	const char		*addr;
	va_list			 ap;

	v = qs_emit_view(ctx, QS_VIEW_CONSENSUS, "raft/peers.json (legacy)",
	    &ev);
	v->is_null = is_null;
	va_start(ap, is_null);
	while ((addr = va_arg(ap, const char *)) != NULL)
		qs_view_add(ctx, v, NULL, addr, NULL, QS_MEMBER_LISTED);
	va_end(ap);
}

/* Three servers a, b, c whose raft.db holds all three at `index`. */
static void
ct_three(struct ct *t, uint64_t index)
{
	ct_init(t, "a", "b", "c", NULL);
	ct_config(t, "a", index, "1", "2", "3", NULL);
	ct_config(t, "b", index, "1", "2", "3", NULL);
	ct_config(t, "c", index, "1", "2", "3", NULL);
}

/* a, b and c all ran from `from` to `to`. */
static void
ct_runs_all(struct ct *t, int64_t from, int64_t to, int64_t step)
{
	ct_runs(t, "a", from, to, step);
	ct_runs(t, "b", from, to, step);
	ct_runs(t, "c", from, to, step);
}

/* A serf LAN view on `node`: each server by name and serf address,
 * alive, or failed when the name starts with '!'. */
static void
ct_serf(struct ct *t, const char *node, ...)
{
	struct qs_parse_ctx	*ctx = qs_test_model_ctx(t->run, node,
	    "consul.serf_snapshot", "serf/local.snapshot");
	struct qs_evidence	 ev = ct_ev(ctx);
	struct qs_view		*v;
	const char		*name;
	va_list			 ap;

	v = qs_emit_view(ctx, QS_VIEW_GOSSIP, "serf LAN snapshot", &ev);
	va_start(ap, node);
	while ((name = va_arg(ap, const char *)) != NULL) {
		const char	*bare = name + (*name == '!');
		size_t		 i;

		for (i = 0; i < t->n && strcmp(t->name[i], bare) != 0; i++)
			;
		qs_view_add(ctx, v, bare, qs_arena_printf(&t->run->arena,
		    "10.0.0.%zu:8301", i + 1), NULL, *name == '!' ?
		    QS_MEMBER_FAILED : QS_MEMBER_ALIVE);
	}
	va_end(ap);
}

static void
ct_analyse(struct ct *t)
{
	qs_nodes_resolve(t->run);
	qs_analyse(t->run, &t->an);
	t->analysed = 1;
}

static void
ct_free(struct ct *t)
{
	if (t->analysed)
		qs_analysis_free(&t->an);
	qs_run_free(t->run);
}

static const struct qs_finding *
ct_finding(struct ct *t, const char *rule)
{
	return qs_test_finding(&t->an, rule, NULL);
}

/* The worst level of any finding, or -1 with none. */
static int
ct_worst(const struct ct *t)
{
	size_t	i;
	int	worst = -1;

	for (i = 0; i < t->an.findings.n; i++) {
		const struct qs_finding	*f = t->an.findings.v[i];

		if ((int)f->level > worst)
			worst = (int)f->level;
	}
	return worst;
}

static const struct qs_consul_server *
ct_server(struct ct *t, const char *node)
{
	const struct qs_consul	*c = qs_consul_facts(&t->an);
	size_t			 i;

	for (i = 0; c != NULL && i < c->servers.n; i++) {
		const struct qs_consul_server	*srv = c->servers.v[i];

		if (strcmp(srv->node->name, node) == 0)
			return srv;
	}
	return NULL;
}

static enum qs_live
ct_state(struct ct *t, const char *node, int64_t ms)
{
	const struct qs_consul_server	*srv = ct_server(t, node);

	return srv != NULL && srv->member != NULL ?
	    qs_history_state_at(srv->member, ms, NULL) : QS_LIVE_UNKNOWN;
}

static size_t
ct_voters_at(struct ct *t, int64_t ms)
{
	const struct qs_consul	*c = qs_consul_facts(&t->an);
	const struct qs_voters	*v = NULL;
	size_t			 i;

	for (i = 0; c != NULL && i < c->history->voters.n; i++) {
		const struct qs_voters	*x = c->history->voters.v[i];

		if (x->from.lo <= ms || v == NULL)
			v = x;
	}
	return v != NULL ? v->members.n : 0;
}

static int
ct_has_node(const struct qs_finding *f, const char *node)
{
	size_t	i;

	for (i = 0; f != NULL && i < f->nodes.n; i++)
		if (strcmp(((struct qs_node *)f->nodes.v[i])->name, node) == 0)
			return 1;
	return 0;
}

/*
 * Three servers; a leads; b's host dies, then c's: the leader steps down
 * and campaigns alone.  Quorum lost when c went down, never regained;
 * each dead server named with the range it went down in; the survivor
 * is the server still up, though a dead one holds more log.
 */
DEFINE_TEST(test_consul_two_dead)
{
	struct ct		 t;
	const struct qs_finding	*f;
	const struct qs_span	*s;
	const struct qs_consul	*c;

	ct_three(&t, 5);
	ct_event(&t, "a", 1 * S, QS_EV_LEADER_ELECTED, NULL, 2);
	ct_event(&t, "b", 1 * S, QS_EV_LEADER_ELECTED, "a", 0);
	ct_runs(&t, "a", 2 * S, 60 * S, 2 * S);
	ct_runs(&t, "b", 2 * S, 10 * S, 2 * S);
	ct_runs(&t, "c", 2 * S, 30 * S, 2 * S);
	ct_signal(&t, "a", 12 * S, QS_SIG_PEER_UNREACHABLE, "10.0.0.2:8300");
	ct_event(&t, "a", 15 * S, QS_EV_FAIL, "b", 0);
	ct_signal(&t, "a", 31 * S, QS_SIG_PEER_UNREACHABLE, "10.0.0.3:8300");
	ct_signal(&t, "a", 33 * S, QS_SIG_QUORUM_LOST, NULL);
	ct_event(&t, "a", 33 * S, QS_EV_LEADER_LOST, NULL, 0);
	ct_event(&t, "a", 40 * S, QS_EV_ELECTION_START, NULL, 3);
	ct_signal(&t, "a", 45 * S, QS_SIG_NO_LEADER, NULL);
	ct_setting(&t, "a", "raft.last_index", "120");
	ct_setting(&t, "b", "raft.last_index", "125");
	ct_setting(&t, "c", "raft.last_index", "110");
	ct_analyse(&t);

	c = qs_consul_facts(&t.an);
	CHECK(c != NULL && c->history != NULL && c->history->timed);
	CHECK_INT(ct_voters_at(&t, 20 * S), 3);
	/* b: from its last line to the first complaint, inferred. */
	CHECK(ct_state(&t, "b", 9 * S) == QS_LIVE_UP);
	CHECK(ct_state(&t, "b", 11 * S) == QS_LIVE_UNKNOWN);
	CHECK(ct_state(&t, "b", 13 * S) == QS_LIVE_DOWN);
	(void)qs_history_state_at(ct_server(&t, "b")->member, 20 * S, &s);
	CHECK(s != NULL && s->from.lo == 10 * S && s->from.hi == 12 * S &&
	    s->from.grade == QS_GRADE_INFERRED);
	CHECK(ct_state(&t, "c", 32 * S) == QS_LIVE_DOWN);
	CHECK(ct_state(&t, "a", 60 * S) == QS_LIVE_UP);
	/* One term, ended by the step-down. */
	CHECK_INT(c->history->terms.n, 1);
	CHECK(c->history->terms.n == 1 && ((struct qs_term *)
	    c->history->terms.v[0])->to.lo == 33 * S);
	CHECK(!c->leader_at_end);

	f = ct_finding(&t, "consul-no-leader");
	CHECK(f != NULL);
	if (f != NULL) {
		CHECK_INT(f->level, QS_LEVEL_CRITICAL);
		CHECK(strstr(f->title, "lost its quorum at") != NULL);
		CHECK(strstr(f->title, "2 of 3 voters down") != NULL);
		CHECK(strstr(f->title, "to the end of the evidence") != NULL);
		CHECK(ct_has_node(f, "b") && ct_has_node(f, "c") &&
		    !ct_has_node(f, "a"));
		CHECK(qs_test_vec_has(&f->facts, "b went down between "));
		CHECK(qs_test_vec_has(&f->facts, "c went down between "));
		CHECK(qs_test_vec_has(&f->facts, "Nothing in the bundle says "
		    "why they went down"));
		CHECK_INT(f->role, QS_ROLE_CAUSE);
		CHECK(qs_test_vec_has(&f->steps, "Start Consul on b again"));
		CHECK(qs_test_vec_has(&f->steps, "use a: a has the most of the "
		    "raft log, among the servers still up (a last log index "
		    "120, b last log index 125 (down), c last log index 110 "
		    "(down))"));
		CHECK(qs_test_vec_has(&f->steps, "[\"10.0.0.1:8300\"]"));
	}
	CHECK(ct_finding(&t, "consul-stale-peer") == NULL);
	CHECK(ct_finding(&t, "consul-peers-differ") == NULL);
	ct_free(&t);
}

/*
 * A follower killed, marked failed, reaped and removed from raft by the
 * leader; its own raft.db still lists three servers.  Quorum held all
 * along: no error, no warning, only what happened to it; nothing says to
 * stop the servers.
 */
DEFINE_TEST(test_consul_reaped_follower)
{
	struct ct			 t;
	const struct qs_finding		*f;
	const struct qs_consul_server	*gone;
	size_t				 i;

	ct_init(&t, "a", "b", "c", NULL);
	ct_config(&t, "a", 9, "1", "2", NULL);
	ct_config(&t, "b", 9, "1", "2", NULL);
	ct_config(&t, "c", 5, "1", "2", "3", NULL);
	ct_serf(&t, "a", "a", "b", NULL);
	ct_serf(&t, "b", "a", "b", NULL);
	ct_serf(&t, "c", "a", "b", "c", NULL);
	ct_event(&t, "a", 1 * S, QS_EV_LEADER_ELECTED, NULL, 2);
	ct_runs(&t, "a", 2 * S, 80 * S, 2 * S);
	ct_runs(&t, "b", 2 * S, 80 * S, 2 * S);
	ct_runs(&t, "c", 2 * S, 10 * S, 2 * S);
	ct_event(&t, "a", 14 * S, QS_EV_FAIL, "c", 0);
	ct_event(&t, "b", 14 * S, QS_EV_FAIL, "c", 0);
	ct_event(&t, "a", 60 * S, QS_EV_REAP, "c", 0);
	ct_event(&t, "b", 60 * S, QS_EV_REAP, "c", 0);
	ct_event(&t, "a", 61 * S, QS_EV_MEMBER_REMOVE, "10.0.0.3:8300", 0);
	ct_analyse(&t);

	gone = ct_server(&t, "c");
	CHECK(gone != NULL && gone->removed != NULL && gone->reaped != NULL);
	CHECK(ct_server(&t, "a") != NULL && ct_server(&t, "a")->removed ==
	    NULL);
	/* A voter until the leader removed it. */
	CHECK_INT(ct_voters_at(&t, 30 * S), 3);
	CHECK_INT(ct_voters_at(&t, 70 * S), 2);
	CHECK(qs_consul_facts(&t.an)->leader_at_end);
	CHECK(ct_worst(&t) == QS_LEVEL_INFO);
	f = ct_finding(&t, "consul-removed-server");
	CHECK(f != NULL && ct_has_node(f, "c"));
	CHECK(f != NULL && qs_test_vec_has(&f->facts, "serf reaped it"));
	CHECK(f != NULL && qs_test_vec_has(&f->facts, "still lists {a, b, c}"));
	for (i = 0; i < t.an.findings.n; i++) {
		const struct qs_finding	*g = t.an.findings.v[i];

		CHECK(!qs_test_vec_has(&g->steps, "Stop the Consul agent on "
		    "every server"));
	}
	ct_free(&t);

	/* The same server come back and running: a member again. */
	ct_init(&t, "a", "b", "c", NULL);
	ct_config(&t, "a", 9, "1", "2", NULL);
	ct_config(&t, "b", 9, "1", "2", NULL);
	ct_config(&t, "c", 5, "1", "2", "3", NULL);
	ct_event(&t, "a", 1 * S, QS_EV_LEADER_ELECTED, NULL, 2);
	ct_runs(&t, "a", 2 * S, 80 * S, 2 * S);
	ct_runs(&t, "b", 2 * S, 80 * S, 2 * S);
	ct_runs(&t, "c", 2 * S, 10 * S, 2 * S);
	ct_event(&t, "a", 14 * S, QS_EV_FAIL, "c", 0);
	ct_event(&t, "a", 60 * S, QS_EV_REAP, "c", 0);
	ct_event(&t, "c", 70 * S, QS_EV_START, NULL, 0);
	ct_runs(&t, "c", 71 * S, 80 * S, 2 * S);
	ct_analyse(&t);
	CHECK(ct_server(&t, "c") != NULL && ct_server(&t, "c")->removed ==
	    NULL);
	CHECK(ct_finding(&t, "consul-removed-server") == NULL);
	ct_free(&t);
}

/*
 * Rolling restart: each server stopped by its shutdown line and started
 * again, the leader last; the restarted ones log "No cluster leader"
 * before they hear of the leader.  Nothing to report.
 */
DEFINE_TEST(test_consul_rolling_restart)
{
	struct ct	t;

	ct_three(&t, 9);
	ct_setting(&t, "a", "performance.raft_multiplier", "1");
	ct_event(&t, "a", 1 * S, QS_EV_LEADER_ELECTED, NULL, 2);
	ct_runs(&t, "a", 2 * S, 30 * S, 1 * S);
	ct_runs(&t, "b", 2 * S, 20 * S, 1 * S);
	ct_runs(&t, "c", 2 * S, 10 * S, 1 * S);
	ct_event(&t, "c", 10 * S + 500, QS_EV_STOP, NULL, 0);
	ct_event(&t, "c", 13 * S, QS_EV_START, NULL, 0);
	ct_signal(&t, "c", 13 * S + 200, QS_SIG_NO_LEADER, NULL);
	ct_event(&t, "c", 14 * S, QS_EV_LEADER_ELECTED, "a", 0);
	ct_runs(&t, "c", 14 * S, 60 * S, 1 * S);
	ct_event(&t, "b", 20 * S + 500, QS_EV_STOP, NULL, 0);
	ct_event(&t, "b", 23 * S, QS_EV_START, NULL, 0);
	ct_signal(&t, "b", 23 * S + 200, QS_SIG_NO_LEADER, NULL);
	ct_event(&t, "b", 24 * S, QS_EV_LEADER_ELECTED, "a", 0);
	ct_runs(&t, "b", 24 * S, 60 * S, 1 * S);
	ct_event(&t, "a", 30 * S + 500, QS_EV_STOP, NULL, 0);
	ct_event(&t, "b", 32 * S, QS_EV_ELECTION_START, NULL, 3);
	ct_event(&t, "b", 32 * S + 100, QS_EV_LEADER_ELECTED, NULL, 3);
	ct_event(&t, "c", 32 * S + 200, QS_EV_LEADER_ELECTED, "b", 0);
	ct_event(&t, "a", 34 * S, QS_EV_START, NULL, 0);
	ct_event(&t, "a", 35 * S, QS_EV_LEADER_ELECTED, "b", 0);
	ct_runs(&t, "a", 35 * S, 60 * S, 1 * S);
	ct_analyse(&t);
	CHECK(qs_consul_facts(&t.an)->history->terms.n == 2);
	CHECK(qs_consul_facts(&t.an)->leader_at_end);
	CHECK(ct_state(&t, "a", 32 * S) == QS_LIVE_DOWN);
	CHECK_INT(t.an.findings.n, 0);
	ct_free(&t);
}

/*
 * Two leaders of one term whose configurations differ, the first still
 * active long after the second: a split brain.  A leader cut off and
 * replaced, stepping down within its lease, with the same configuration,
 * and a follower reporting the old leader late: none.
 */
DEFINE_TEST(test_consul_split_brain)
{
	struct ct		 t;
	const struct qs_finding	*f;

	ct_init(&t, "a", "b", "c", NULL);
	ct_config(&t, "a", 7, "1", "3", NULL);
	ct_config(&t, "b", 7, "2", "3", NULL);
	ct_config(&t, "c", 7, "1", "3", NULL);
	ct_setting(&t, "a", "bootstrap", "true");
	ct_setting(&t, "b", "bootstrap", "true");
	ct_event(&t, "a", 1 * S, QS_EV_LEADER_ELECTED, NULL, 2);
	ct_event(&t, "b", 1 * S + 500, QS_EV_LEADER_ELECTED, NULL, 2);
	ct_runs_all(&t, 2 * S, 30 * S, 2 * S);
	ct_analyse(&t);
	CHECK_INT(qs_consul_facts(&t.an)->reigns.n, 2);
	f = ct_finding(&t, "consul-split-brain");
	CHECK(f != NULL && ct_has_node(f, "a") && ct_has_node(f, "b"));
	CHECK(f != NULL && qs_test_vec_has(&f->facts, "a's lists {a, c}, b's "
	    "lists {b, c}"));
	CHECK(f != NULL && qs_test_vec_has(&f->facts, "in the same term"));
	/* Two bootstrappers explain it. */
	CHECK(f != NULL && f->role == QS_ROLE_CONSEQUENCE && f->causes.n == 1 &&
	    strcmp(((struct qs_finding *)f->causes.v[0])->rule->id,
	    "consul-multiple-bootstrap") == 0);
	ct_free(&t);

	ct_three(&t, 7);
	ct_event(&t, "a", 1 * S, QS_EV_LEADER_ELECTED, NULL, 2);
	ct_runs_all(&t, 2 * S, 30 * S, 1 * S);
	ct_event(&t, "b", 10 * S, QS_EV_LEADER_ELECTED, NULL, 3);
	ct_event(&t, "a", 10 * S + 800, QS_EV_LEADER_LOST, NULL, 0);
	ct_event(&t, "c", 12 * S, QS_EV_LEADER_ELECTED, "a", 0);
	ct_analyse(&t);
	CHECK(ct_finding(&t, "consul-split-brain") == NULL);
	ct_free(&t);
}

/*
 * Leaderless with every server up: how long is too long comes from the
 * cluster's raft timing.  25 s is beyond 10 x 1000 ms at raft_multiplier
 * 1, within the 50 s of Consul's default multiplier of 5.
 */
DEFINE_TEST(test_consul_election_threshold)
{
	struct ct		 t;
	const struct qs_finding	*f;
	const char		*mult;
	int			 pass;

	for (pass = 0; pass < 2; pass++) {
		mult = pass == 0 ? "1" : NULL;
		ct_three(&t, 7);
		if (mult != NULL)
			ct_setting(&t, "b", "performance.raft_multiplier",
			    mult);
		ct_event(&t, "a", 1 * S, QS_EV_LEADER_ELECTED, NULL, 2);
		ct_event(&t, "a", 5 * S, QS_EV_LEADER_LOST, NULL, 0);
		ct_runs_all(&t, 2 * S, 40 * S, 1 * S);
		ct_signal(&t, "b", 10 * S, QS_SIG_NO_LEADER, NULL);
		ct_event(&t, "c", 30 * S, QS_EV_LEADER_ELECTED, NULL, 5);
		ct_analyse(&t);
		CHECK_INT(qs_consul_facts(&t.an)->multiplier, pass == 0 ? 1 :
		    5);
		f = ct_finding(&t, "consul-no-leader");
		if (pass == 0) {
			CHECK(f != NULL && strstr(f->title, "No Consul leader "
			    "for 25 s from") != NULL);
			CHECK(f != NULL && strstr(f->title, "although 3 of 3 "
			    "voters were up") != NULL);
			CHECK(f != NULL && qs_test_vec_has(&f->facts,
			    "raft_multiplier 1 (performance.raft_multiplier)"));
			CHECK(f != NULL && qs_test_vec_has(&f->facts,
			    "No other finding explains it"));
		} else
			CHECK(f == NULL);
		ct_free(&t);
	}
}

/*
 * What explains a stretch without a leader: bootstrap_expect that
 * disagrees (never bootstrapped, so no voter at all), and a stale peer
 * among the voters down.  "No cluster leader" is the consequence; the
 * cause is the cluster's verdict.
 */
DEFINE_TEST(test_consul_no_leader_causes)
{
	struct ct		 t;
	struct qs_parse_ctx	*ctx;
	struct qs_evidence	 ev;
	const struct qs_finding	*f;
	const struct qs_cluster	*cl;
	static const char *const names[] = { "a", "b", "c" };
	size_t			 i;
	int64_t			 ms;

	ct_init(&t, "a", "b", "c", NULL);
	ct_setting(&t, "a", "bootstrap_expect", "3");
	ct_setting(&t, "b", "bootstrap_expect", "3");
	ct_setting(&t, "c", "bootstrap_expect", "5");
	/* Their raft.db read, and no configuration in it. */
	for (i = 0; i < 3; i++) {
		ctx = qs_test_model_ctx(t.run, names[i], "consul.raft_db",
		    "raft/raft.db");
		ev = ct_ev(ctx);
		qs_emit_setting(ctx, "raft.current_term", "0", &ev);
	}
	ct_setting(&t, "a", "performance.raft_multiplier", "1");
	ct_runs_all(&t, 0, 20 * S, 1 * S);
	for (ms = 3 * S; ms <= 20 * S; ms += 3 * S)
		ct_signal(&t, "b", ms, QS_SIG_NO_LEADER, NULL);
	ct_signal(&t, "a", 2 * S, QS_SIG_NO_PEERS, NULL);
	ct_analyse(&t);
	f = ct_finding(&t, "consul-no-leader");
	CHECK(f != NULL && strstr(f->title, "never bootstrapped") != NULL);
	CHECK(f != NULL && f->role == QS_ROLE_CONSEQUENCE);
	CHECK(f != NULL && qs_test_vec_has(&f->facts, "Caused by "
	    "consul-expect-mismatch"));
	CHECK(f != NULL && qs_test_vec_has(&f->facts, "\"No cluster leader\" "
	    "6 times"));
	CHECK(f != NULL && qs_test_vec_has(&f->facts, "a knew no raft peers"));
	cl = t.an.clusters.n > 0 ? t.an.clusters.v[0] : NULL;
	CHECK(cl != NULL && cl->cause != NULL &&
	    strcmp(cl->cause->rule->id, "consul-expect-mismatch") == 0);
	ct_free(&t);

	/* No raft.db in the bundle: who votes is not known, not "never". */
	ct_init(&t, "a", "b", "c", NULL);
	ct_setting(&t, "a", "performance.raft_multiplier", "1");
	ct_runs_all(&t, 0, 20 * S, 1 * S);
	for (ms = 3 * S; ms <= 20 * S; ms += 3 * S)
		ct_signal(&t, "b", ms, QS_SIG_NO_LEADER, NULL);
	ct_analyse(&t);
	f = ct_finding(&t, "consul-no-leader");
	CHECK(f != NULL && strstr(f->title, "which servers vote is not "
	    "known") != NULL);
	ct_free(&t);

	/* A fourth voter no server answers to, and one server dies. */
	ct_init(&t, "a", "b", "c", NULL);
	ct_config(&t, "a", 7, "1", "2", "3", "9", NULL);
	ct_config(&t, "b", 7, "1", "2", "3", "9", NULL);
	ct_config(&t, "c", 7, "1", "2", "3", "9", NULL);
	ct_serf(&t, "a", "a", "b", "c", NULL);
	ct_setting(&t, "a", "performance.raft_multiplier", "1");
	ct_event(&t, "a", 1 * S, QS_EV_LEADER_ELECTED, NULL, 2);
	ct_runs(&t, "a", 2 * S, 40 * S, 1 * S);
	ct_runs(&t, "b", 2 * S, 10 * S, 1 * S);
	ct_runs(&t, "c", 2 * S, 40 * S, 1 * S);
	ct_signal(&t, "a", 3 * S, QS_SIG_PEER_UNREACHABLE, "10.0.0.9:8300");
	ct_signal(&t, "a", 11 * S, QS_SIG_PEER_UNREACHABLE, "10.0.0.2:8300");
	ct_event(&t, "a", 12 * S, QS_EV_LEADER_LOST, NULL, 0);
	ct_analyse(&t);
	f = ct_finding(&t, "consul-no-leader");
	CHECK(f != NULL && strstr(f->title, "2 of 4 voters down") != NULL);
	CHECK(f != NULL && qs_test_vec_has(&f->facts,
	    "10.0.0.9:8300 went down"));
	CHECK(f != NULL && qs_test_vec_has(&f->facts, "Caused by "
	    "consul-stale-peer"));
	CHECK(f != NULL && qs_test_vec_has(&f->steps, "10.0.0.9:8300 is a raft "
	    "peer no server answers to any more"));
	CHECK(ct_finding(&t, "consul-stale-peer") != NULL);
	ct_free(&t);
}

/* The servers stopped by their own shutdown lines as the logs end: the
 * bundle was taken from a cluster shut down on purpose. */
DEFINE_TEST(test_consul_shutdown_at_end)
{
	struct ct	t;

	ct_three(&t, 7);
	ct_event(&t, "a", 1 * S, QS_EV_LEADER_ELECTED, NULL, 2);
	ct_runs_all(&t, 2 * S, 20 * S, 1 * S);
	ct_event(&t, "a", 20 * S + 100, QS_EV_STOP, NULL, 0)->detail =
	    "interrupt";
	ct_event(&t, "b", 20 * S + 200, QS_EV_STOP, NULL, 0);
	ct_event(&t, "c", 20 * S + 300, QS_EV_STOP, NULL, 0);
	ct_analyse(&t);
	CHECK(ct_state(&t, "b", 20 * S + 300) == QS_LIVE_DOWN);
	CHECK(ct_finding(&t, "consul-no-leader") == NULL);
	ct_free(&t);
}

/* Logs without times: "No cluster leader" itself is the evidence. */
DEFINE_TEST(test_consul_no_leader_untimed)
{
	struct ct		 t;
	const struct qs_finding	*f;

	ct_init(&t, "a", "b", "c", NULL);
	ct_signal(&t, "a", -1, QS_SIG_NO_LEADER, NULL);
	ct_signal(&t, "b", -1, QS_SIG_NO_LEADER, NULL);
	ct_analyse(&t);
	CHECK(!qs_consul_facts(&t.an)->history->timed);
	f = ct_finding(&t, "consul-no-leader");
	CHECK(f != NULL && strcmp(f->title, "No Consul leader was elected") ==
	    0);
	CHECK(f != NULL && qs_test_vec_has(&f->facts, "2 times"));
	ct_free(&t);
}

/*
 * Consul before 0.7 keeps its peers in raft/peers.json: every server
 * that left cleared its own, and after the restart no server has a voter.
 * The leaves are the cause; nothing was regained.
 */
DEFINE_TEST(test_consul_legacy_restart_no_voters)
{
	struct ct		 t;
	const struct qs_finding	*f;
	static const char *const names[] = { "a", "b", "c" };
	size_t			 i;

	ct_init(&t, "a", "b", "c", NULL);
	for (i = 0; i < 3; i++) {
		ct_config(&t, names[i], 4, "1", "2", "3", NULL);
		ct_peers(&t, names[i], 1, NULL);
		ct_signal(&t, names[i], 10 * S, QS_SIG_GRACEFUL_LEAVE, NULL);
		ct_runs(&t, names[i], 1 * S, 10 * S, 1 * S);
		ct_event(&t, names[i], 11 * S, QS_EV_STOP, NULL, 0);
		ct_event(&t, names[i], 15 * S, QS_EV_START, NULL, 0);
		ct_runs(&t, names[i], 16 * S, 40 * S, 2 * S);
		ct_signal(&t, names[i], 17 * S, QS_SIG_NO_PEERS, NULL);
	}
	ct_event(&t, "a", 2 * S, QS_EV_LEADER_ELECTED, NULL, 0);
	ct_event(&t, "a", 10 * S, QS_EV_LEADER_LOST, NULL, 0);
	ct_setting(&t, "a", "skip_leave_on_interrupt", "false");
	ct_analyse(&t);
	CHECK_INT(qs_consul_facts(&t.an)->multiplier, 1);
	CHECK_INT(ct_voters_at(&t, 5 * S), 3);
	CHECK_INT(ct_voters_at(&t, 20 * S), 0);
	f = ct_finding(&t, "consul-no-leader");
	CHECK(f != NULL && strstr(f->title, "to the end of the evidence") !=
	    NULL);
	CHECK(f != NULL && qs_test_vec_has(&f->facts, "lists no voter "
	    "(every server's peers.json, null or empty at its start)"));
	CHECK(f != NULL && f->causes.n == 2 && strcmp(((struct qs_finding *)
	    f->causes.v[0])->rule->id, "consul-majority-left") == 0);
	f = ct_finding(&t, "consul-peers-empty");
	CHECK(f != NULL && f->role == QS_ROLE_CONSEQUENCE);
	CHECK(ct_finding(&t, "consul-leave-hazard") != NULL &&
	    ct_finding(&t, "consul-leave-hazard")->level == QS_LEVEL_WARNING);
	ct_free(&t);
}

/*
 * A server rebuilt at a new address under its old name: serf's name
 * conflict between its dead old incarnation and itself is information,
 * the stale raft peer it left behind is the error.  Only the LAN pool
 * says who is alive: the WAN pool still had the old address alive.
 */
DEFINE_TEST(test_consul_rebuilt_server)
{
	struct ct		 t;
	struct qs_parse_ctx	*ctx;
	struct qs_evidence	 ev;
	struct qs_view		*v;
	const struct qs_finding	*f;

	ct_init(&t, "a", "b", "c", NULL);
	ct_config(&t, "a", 9, "1", "2", "3", "9", NULL);
	ct_config(&t, "b", 9, "1", "2", "3", "9", NULL);
	ct_serf(&t, "a", "a", "b", "c", NULL);
	ctx = qs_test_model_ctx(t.run, "a", "consul.serf_snapshot",
	    "serf/remote.snapshot");
	ev = ct_ev(ctx);
	v = qs_emit_view(ctx, QS_VIEW_GOSSIP, "serf WAN snapshot", &ev);
	qs_view_add(ctx, v, "c.dc1", "10.0.0.9:8302", NULL, QS_MEMBER_ALIVE);
	ct_event(&t, "a", 1 * S, QS_EV_LEADER_ELECTED, NULL, 2);
	ct_runs(&t, "a", 2 * S, 30 * S, 1 * S);
	ct_runs(&t, "b", 2 * S, 30 * S, 1 * S);
	ct_runs(&t, "c", 12 * S, 30 * S, 1 * S);
	ct_signal(&t, "a", 5 * S, QS_SIG_PEER_UNREACHABLE, "10.0.0.9:8300");
	ct_signal(&t, "a", 13 * S, QS_SIG_NAME_CONFLICT, "c.dc1")->detail =
	    "10.0.0.9:8302 10.0.0.3:8302";
	ct_analyse(&t);
	f = ct_finding(&t, "consul-name-conflict");
	CHECK(f != NULL && f->level == QS_LEVEL_INFO);
	CHECK(f != NULL && strcmp(f->title, "c came back at a new address "
	    "under its old name") == 0);
	f = ct_finding(&t, "consul-stale-peer");
	CHECK(f != NULL && qs_test_vec_has(&f->facts, "10.0.0.9:8300"));
	/* The cluster has a leader: repair through it, nothing stopped. */
	CHECK(qs_consul_facts(&t.an)->leader_at_end);
	CHECK(f != NULL && qs_test_vec_has(&f->steps, "do not stop the "
	    "servers"));
	CHECK(f != NULL && !qs_test_vec_has(&f->steps, "Stop the Consul "
	    "agent on every server"));
	ct_free(&t);

	/* Two live agents with one name stay an error. */
	ct_init(&t, "a", "b", "c", NULL);
	ct_runs(&t, "a", 2 * S, 30 * S, 1 * S);
	ct_signal(&t, "a", 13 * S, QS_SIG_NAME_CONFLICT, "c")->detail =
	    "10.0.0.2:8301 10.0.0.3:8301";
	ct_analyse(&t);
	f = ct_finding(&t, "consul-name-conflict");
	CHECK(f != NULL && f->level == QS_LEVEL_ERROR);
	ct_free(&t);
}

/*
 * The survivor of a quorum loss campaigns in rising terms: the quorum
 * loss names its term, and consul-term-ahead stays quiet.  Far ahead in
 * a cluster that has a leader, it is reported.
 */
DEFINE_TEST(test_consul_term_ahead_survivor)
{
	struct ct		 t;
	const struct qs_finding	*f;

	ct_three(&t, 5);
	ct_event(&t, "a", 1 * S, QS_EV_LEADER_ELECTED, NULL, 2);
	ct_runs(&t, "a", 2 * S, 60 * S, 2 * S);
	ct_runs(&t, "b", 2 * S, 10 * S, 2 * S);
	ct_runs(&t, "c", 2 * S, 12 * S, 2 * S);
	ct_signal(&t, "a", 14 * S, QS_SIG_PEER_UNREACHABLE, "10.0.0.2:8300");
	ct_signal(&t, "a", 14 * S, QS_SIG_PEER_UNREACHABLE, "10.0.0.3:8300");
	ct_signal(&t, "a", 15 * S, QS_SIG_QUORUM_LOST, NULL);
	ct_setting(&t, "a", "raft.current_term", "17");
	ct_setting(&t, "b", "raft.current_term", "2");
	ct_setting(&t, "c", "raft.current_term", "2");
	ct_analyse(&t);
	CHECK(ct_finding(&t, "consul-term-ahead") == NULL);
	f = ct_finding(&t, "consul-no-leader");
	CHECK(f != NULL && qs_test_vec_has(&f->facts, "a campaigned in vain: "
	    "its raft.db has CurrentTerm 17, the last term that had a leader "
	    "was 2"));
	ct_free(&t);

	ct_init(&t, "a", "b", "c", NULL);
	ct_event(&t, "a", 1 * S, QS_EV_LEADER_ELECTED, NULL, 2);
	ct_runs_all(&t, 2 * S, 60 * S, 2 * S);
	ct_setting(&t, "a", "raft.current_term", "2");
	ct_setting(&t, "b", "raft.current_term", "2");
	ct_setting(&t, "c", "raft.current_term", "17");
	ct_analyse(&t);
	CHECK(ct_finding(&t, "consul-term-ahead") != NULL);
	ct_free(&t);
}

/* A raft peer written as a host name no node answers to is unknown,
 * not stale: nothing to report on a healthy cluster. */
DEFINE_TEST(test_consul_peer_by_host_name)
{
	struct ct		 t;
	static const char *const names[] = { "a", "b", "c" };
	size_t			 i;

	ct_init(&t, "a", "b", "c", NULL);
	for (i = 0; i < 3; i++) {
		ct_peers(&t, names[i], 0, "10.0.0.1:8300", "10.0.0.2:8300",
		    "consul-x.example.internal:8300", NULL);
		ct_serf(&t, names[i], "a", "b", "c", NULL);
	}
	ct_event(&t, "a", 1 * S, QS_EV_LEADER_ELECTED, NULL, 2);
	ct_runs_all(&t, 2 * S, 20 * S, 1 * S);
	ct_analyse(&t);
	CHECK(ct_finding(&t, "consul-stale-peer") == NULL);
	ct_free(&t);

	/* The same written as an address no serf member has: stale. */
	ct_init(&t, "a", "b", "c", NULL);
	for (i = 0; i < 3; i++) {
		ct_peers(&t, names[i], 0, "10.0.0.1:8300", "10.0.0.77:8300",
		    NULL);
		ct_serf(&t, names[i], "a", "b", "c", NULL);
	}
	ct_runs(&t, "a", 2 * S, 20 * S, 1 * S);
	ct_analyse(&t);
	CHECK(ct_finding(&t, "consul-stale-peer") != NULL);
	ct_free(&t);
}
