/*
 * Consul rules about leadership, read from the cluster's facts and history
 * (consul.c) and from the merged timeline (seed 002's BOSH failures):
 *
 *   consul-split-brain      two servers leading at once with different
 *                           raft configurations, or two leaders of one
 *                           term: two clusters.
 *   consul-stale-leader     a leader died without a shutdown line, another
 *                           was elected, and the old leader came back.
 *   consul-no-leader        a stretch without a leader in which the
 *                           voters known down left no majority up, or one
 *                           longer than an election takes (history.c,
 *                           quorum.c); "No cluster leader" lines are its
 *                           evidence.  Without timed logs, those lines
 *                           after the last election are.
 *
 * Two leadership intervals overlap in a healthy cluster only while an old
 * leader has not yet noticed that it lost its followers: it steps down
 * within LeaderLeaseTimeout and cannot commit meanwhile.  A split brain
 * is an old leader still active later than that, with a configuration
 * that lets it commit without the new leader's voters.  A follower that
 * learns of a leader late opens no interval.  Silence is not activity: a
 * leader that was killed logs nothing.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "quorumscope.h"

/* Pairs of leaders described in one split-brain finding. */
#define SPLIT_PAIRS_MAX	8

struct reign {
	struct qs_node		*leader;
	const struct qs_event	*start;
	int64_t			 end_ms;	/* INT64_MAX: not seen ending */
	const struct qs_event	*end;
};

static int
leader_is(const struct qs_event *e, enum qs_event_kind kind)
{
	return e->system == QS_SYS_CONSUL && e->kind == kind && e->time.set;
}

/* Every timed Consul leader election, with where its reign ended. */
static void
leader_reigns(struct qs_analysis *an, struct qs_vec *out)
{
	struct qs_vec	*entries = &an->timeline.entries;
	size_t		 i, j;

	for (i = 0; i < entries->n; i++) {
		struct qs_tl_entry	*t = entries->v[i];
		struct reign		*r;

		if (!leader_is(t->event, QS_EV_LEADER_ELECTED) ||
		    t->event->subject_node == NULL)
			continue;
		r = qs_arena_alloc(&an->run->arena, sizeof(*r));
		r->leader = t->event->subject_node;
		r->start = t->event;
		r->end_ms = INT64_MAX;
		for (j = i + 1; j < entries->n; j++) {
			const struct qs_event	*e =
			    ((struct qs_tl_entry *)entries->v[j])->event;
			int			 saw = 0;

			if (e->system != QS_SYS_CONSUL || !e->time.set)
				continue;
			if ((e->kind == QS_EV_LEADER_LOST ||
			    e->kind == QS_EV_STOP || e->kind == QS_EV_START) &&
			    e->subject_node == r->leader)
				saw = 1;
			if (e->kind == QS_EV_LEADER_ELECTED &&
			    e->subject_node == r->leader && e != r->start)
				saw = 1;	/* re-elected: a new reign */
			if (saw) {
				r->end_ms = e->time.ms;
				r->end = e;
				break;
			}
		}
		qs_vec_push(out, r);
	}
}

/* Time of the last thing `node` logged before `before`, as text. */
static const char *
leader_last_seen(struct qs_analysis *an, const struct qs_node *node,
    int64_t before)
{
	struct qs_time	last = { 0, 0, 0 };
	size_t		i;
	char		t[40];

	for (i = 0; i < an->run->events.n; i++) {
		const struct qs_event	*e = an->run->events.v[i];

		if (e->observer == node && e->time.set && e->time.ms <
		    before && (!last.set || e->time.ms > last.ms))
			last = e->time;
	}
	for (i = 0; i < an->run->signals.n; i++) {
		const struct qs_signal	*s = an->run->signals.v[i];

		if (s->observer == node && s->time.set && s->time.ms <
		    before && (!last.set || s->time.ms > last.ms))
			last = s->time;
	}
	return qs_arena_strdup(&an->run->arena, qs_time_format(&last, t,
	    sizeof(t)));
}

/* Names the server with the most of the raft log, when that is known. */
static void
leader_survivor_step(struct qs_analysis *an, struct qs_finding *f)
{
	struct qs_consul		*c = qs_consul_facts(an);
	const struct qs_consul_server	*best;
	const char			*why = NULL;

	if (c != NULL && (best = qs_consul_survivor(an, c, &why)) != NULL)
		qs_finding_step(an, f, "If one server's data must seed the "
		    "recovery, use %s: %s.", best->node->name, why);
}

static const char *
leader_term(struct qs_analysis *an, const struct qs_event *e)
{
	if (!(e->clock.set & QS_CLOCK_TERM))
		return "";
	return qs_arena_printf(&an->run->arena, " (term %llu)",
	    (unsigned long long)e->clock.term);
}

static const char *
leader_when(struct qs_analysis *an, const struct qs_event *e)
{
	char	t[40];

	return qs_arena_strdup(&an->run->arena, qs_time_format(&e->time, t,
	    sizeof(t)));
}

/* A server's own timed lines, sorted, to ask what it said when. */
struct leader_line {
	int64_t			 ms;
	const struct qs_evidence *ev;
};
struct leader_lines {
	struct leader_line	*v;
	size_t			 n;
};

static int
leader_cmp_line(const void *a, const void *b)
{
	const struct leader_line	*x = a, *y = b;

	return x->ms < y->ms ? -1 : x->ms > y->ms;
}

static void
leader_lines(const struct qs_run *run, const struct qs_node *node,
    struct leader_lines *out)
{
	size_t	i, n = 0;

	for (i = 0; i < run->events.n; i++)
		n += ((struct qs_event *)run->events.v[i])->observer == node;
	for (i = 0; i < run->signals.n; i++)
		n += ((struct qs_signal *)run->signals.v[i])->observer == node;
	out->v = qs_xreallocarray(NULL, n > 0 ? n : 1, sizeof(*out->v));
	out->n = 0;
	for (i = 0; i < run->events.n; i++) {
		const struct qs_event	*e = run->events.v[i];

		if (e->observer == node && e->time.set &&
		    e->system == QS_SYS_CONSUL) {
			out->v[out->n].ms = e->time.ms;
			out->v[out->n++].ev = &e->ev;
		}
	}
	for (i = 0; i < run->signals.n; i++) {
		const struct qs_signal	*g = run->signals.v[i];

		if (g->observer == node && g->time.set &&
		    g->system == QS_SYS_CONSUL) {
			out->v[out->n].ms = g->time.ms;
			out->v[out->n++].ev = &g->ev;
		}
	}
	if (out->n > 1)
		qsort(out->v, out->n, sizeof(*out->v), leader_cmp_line);
}

/* The first of the lines in (from, to), as evidence, or NULL. */
static const struct qs_evidence *
leader_active_between(const struct leader_lines *l, int64_t from, int64_t to)
{
	size_t	lo = 0, hi = l->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (l->v[mid].ms <= from)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < l->n && l->v[lo].ms < to ? l->v[lo].ev : NULL;
}

static const char *
leader_reign_term(struct qs_analysis *an, const struct qs_consul_reign *r)
{
	return r->has_term ? qs_arena_printf(&an->run->arena, " (term %llu)",
	    (unsigned long long)r->term) : "";
}

/*
 * Two leadership intervals of different servers that overlap: in one
 * term, or with the older one still active after the newer began plus a
 * lease, while their configurations differ.
 */
static void
rule_consul_split_brain(struct qs_analysis *an, const struct qs_rule *rule)
{
	struct qs_consul	*c = qs_consul_facts(an);
	struct qs_finding	*f = NULL, *cause;
	struct leader_lines	*lines;
	size_t			 i, j, k, pairs = 0;
	char			 t[40];

	if (c == NULL || c->reigns.n < 2)
		return;
	lines = qs_xcalloc(c->servers.n, sizeof(*lines));
	for (k = 0; k < c->servers.n; k++)
		leader_lines(an->run, ((struct qs_consul_server *)
		    c->servers.v[k])->node, &lines[k]);
	/* Intervals by start: those that begin before `a` ends overlap it. */
	for (i = 0; i < c->reigns.n && pairs < SPLIT_PAIRS_MAX; i++) {
		const struct qs_consul_reign	*a = c->reigns.v[i];

		for (k = 0; c->servers.v[k] != a->server; k++)
			;
		for (j = i + 1; j < c->reigns.n && pairs < SPLIT_PAIRS_MAX;
		    j++) {
			const struct qs_consul_reign	*b = c->reigns.v[j];
			const struct qs_evidence	*act;
			int				 same_term, differ;

			if (b->from >= a->to)
				break;
			if (a->server == b->server)
				continue;
			same_term = a->has_term && b->has_term &&
			    a->term == b->term;
			differ = a->server->config != NULL &&
			    b->server->config != NULL &&
			    !qs_consul_same_voters(an, c, a->server->config,
			    b->server->config);
			act = leader_active_between(&lines[k],
			    b->from + c->lease_ms, a->to < b->to ? a->to : b->to);
			if (!same_term && (act == NULL || !differ))
				continue;
			pairs++;
			if (f == NULL)
				f = qs_finding_new(an, rule, "Two Consul leaders "
				    "at once: %s and %s", a->server->node->name,
				    b->server->node->name);
			qs_finding_node(f, a->server->node);
			qs_finding_node(f, b->server->node);
			qs_finding_evidence(f, &a->start->ev);
			qs_finding_evidence(f, &b->start->ev);
			qs_finding_fact(an, f, "%s became leader%s at %s.",
			    a->server->node->name, leader_reign_term(an, a),
			    qs_ms_text(a->from, t, sizeof(t)));
			qs_finding_fact(an, f, "%s became leader%s at %s%s.",
			    b->server->node->name, leader_reign_term(an, b),
			    qs_ms_text(b->from, t, sizeof(t)), same_term ?
			    ", in the same term: they cannot be one raft "
			    "cluster" : "");
			if (differ) {
				qs_finding_evidence(f, &a->server->config->ev);
				qs_finding_evidence(f, &b->server->config->ev);
				qs_finding_fact(an, f, "Their raft configurations "
				    "differ: %s's lists %s, %s's lists %s; each "
				    "counts its own majority.",
				    a->server->node->name,
				    qs_consul_voters_text(an, a->server->config),
				    b->server->node->name,
				    qs_consul_voters_text(an,
				    b->server->config));
			}
			if (act != NULL) {
				qs_finding_evidence(f, act);
				qs_finding_fact(an, f, "%s was still active "
				    "without having stepped down after that "
				    "(%s line %llu), later than a leader that "
				    "lost its followers keeps leading (%lld ms, "
				    "LeaderLeaseTimeout): both led at once, and "
				    "both could accept writes.",
				    a->server->node->name,
				    act->artifact->member,
				    (unsigned long long)act->line,
				    (long long)c->lease_ms);
			}
		}
	}
	for (k = 0; k < c->servers.n; k++)
		free(lines[k].v);
	free(lines);
	if (f == NULL)
		return;
	qs_finding_fact(an, f, "Two leaders mean two clusters: writes "
	    "accepted by one are unknown to the other.");
	if ((cause = qs_finding_find(an, "consul-multiple-bootstrap")) !=
	    NULL && cause->level == QS_LEVEL_CRITICAL) {
		qs_finding_caused_by(f, cause);
		qs_finding_fact(an, f, "Caused by %s: %s.", cause->rule->id,
		    cause->title);
	}
	qs_finding_step(an, f, "Find out which leader the clients wrote to "
	    "(the KV data, the catalog) and keep that cluster.");
	leader_survivor_step(an, f);
	qs_finding_step(an, f, "Stop the servers of the other cluster, move "
	    "their raft/ directory aside, make sure none of them has "
	    "\"bootstrap\": true, and start them with retry_join pointing at "
	    "the kept servers.");
	qs_finding_step(an, f, "Check that one leader remains and every server "
	    "is a peer: `consul operator raft list-peers`.");
}

static void
rule_consul_stale_leader(struct qs_analysis *an, const struct qs_rule *rule)
{
	struct qs_vec		 reigns = { 0 };
	struct qs_finding	*f;
	size_t			 i, j;

	leader_reigns(an, &reigns);
	for (i = 0; i < reigns.n; i++) {
		struct reign	*a = reigns.v[i];

		/*
		 * The reign ended with the leader starting again without a
		 * shutdown line before: it was killed or crashed.  A leader
		 * stopped cleanly and started again is a rolling restart.
		 */
		if (a->end == NULL || a->end->kind != QS_EV_START)
			continue;
		for (j = 0; j < reigns.n; j++) {
			struct reign	*b = reigns.v[j];

			if (b->leader == a->leader ||
			    b->start->time.ms <= a->start->time.ms)
				continue;
			/*
			 * b was elected while a was gone, and a came back
			 * (started) after that.
			 */
			if (a->end->time.ms <= b->start->time.ms)
				continue;
			f = qs_finding_new(an, rule, "Former leader %s came "
			    "back after %s was elected", a->leader->name,
			    b->leader->name);
			qs_finding_node(f, a->leader);
			qs_finding_node(f, b->leader);
			qs_finding_evidence(f, &a->start->ev);
			qs_finding_evidence(f, &a->end->ev);
			qs_finding_evidence(f, &b->start->ev);
			qs_finding_fact(an, f, "%s was leader%s from %s.",
			    a->leader->name, leader_term(an, a->start),
			    leader_when(an, a->start));
			qs_finding_fact(an, f, "It was down without a "
			    "shutdown line: the last event it logged is at "
			    "%s, and it restarted at %s.  In between, %s was "
			    "elected%s at %s.", leader_last_seen(an,
			    a->leader, a->end->time.ms), leader_when(an,
			    a->end), b->leader->name, leader_term(an,
			    b->start), leader_when(an, b->start));
			qs_finding_fact(an, f, "%s then came back with the state "
			    "of its own reign; while it catches up it may call "
			    "elections with an older log, and a deploy tool that "
			    "restarts it again at that moment can leave the "
			    "cluster without a stable leader.", a->leader->name);
			qs_finding_step(an, f, "Check that %s is now a follower "
			    "of the current leader and a voter "
			    "(`consul operator raft list-peers`).",
			    a->leader->name);
			qs_finding_step(an, f, "In rolling deploys, wait after "
			    "each server for a stable leader and for the "
			    "restarted server to be a voter again before "
			    "stopping the next, and stop the leader last.");
			break;
		}
	}
	qs_vec_free(&reigns);
}

/*
 * Without times there is no history to sweep: "No cluster leader" after
 * the last election seen (or with none) is the evidence.
 */
static void
leader_no_leader_phrase(struct qs_analysis *an, const struct qs_rule *rule)
{
	struct qs_run		*run = an->run;
	struct qs_vec		*entries = &an->timeline.entries;
	const struct qs_event	*last = NULL;
	struct qs_finding	*f = NULL;
	size_t			 i, count = 0;

	for (i = 0; i < entries->n; i++) {
		const struct qs_event	*e =
		    ((struct qs_tl_entry *)entries->v[i])->event;

		if (leader_is(e, QS_EV_LEADER_ELECTED))
			last = e;
	}
	for (i = 0; i < run->signals.n; i++) {
		const struct qs_signal	*s = run->signals.v[i];

		if (s->system != QS_SYS_CONSUL || s->kind != QS_SIG_NO_LEADER)
			continue;
		if (last != NULL && s->time.set && s->time.ms <= last->time.ms)
			continue;
		if (f == NULL)
			f = qs_finding_new(an, rule, last != NULL ? "No Consul "
			    "leader after %s" : "No Consul leader was elected",
			    last != NULL ? leader_when(an, last) : "");
		count++;
		qs_finding_node(f, s->observer);
		if (f->evidence.n < 6)
			qs_finding_evidence(f, &s->ev);
	}
	if (f == NULL)
		return;
	if (last != NULL) {
		qs_finding_evidence(f, &last->ev);
		qs_finding_fact(an, f, "The last leader election seen is %s%s "
		    "at %s.", last->subject_node != NULL ?
		    last->subject_node->name : "?", leader_term(an, last),
		    leader_when(an, last));
	} else
		qs_finding_fact(an, f, "No log shows a leader being elected.");
	qs_finding_fact(an, f, "%s agents logged \"No cluster leader\" %zu "
	    "time%s: the servers could not form a quorum.  The logs have no "
	    "times, so when servers went down is not known.", last != NULL ?
	    "After it," : "Meanwhile", count, count == 1 ? "" : "s");
	qs_finding_step(an, f, "Look at the other findings for the cause "
	    "(empty or stale peer sets, servers that left, split "
	    "bootstraps); if none explains it, bring back the servers that "
	    "are down: a majority of the raft peers must be up and reachable "
	    "on port 8300.");
	qs_finding_step(an, f, "If they cannot come back, recover with "
	    "raft/peers.json listing the surviving servers (Consul's outage "
	    "recovery).");
	leader_survivor_step(an, f);
}

/*
 * The servers stopped at the end of the evidence, each by its own
 * shutdown line, just before the bundle was taken: the quorum was given
 * up on purpose, not lost.  Short, open, and every voter down stopped
 * itself cleanly.
 */
static int
leader_shutdown(const struct qs_history *h, const struct qs_quorum_stretch *st)
{
	const struct qs_qspan	*w = st->worst != NULL ? st->worst : st->last;
	size_t			 i;

	if (!st->open || st->ms > h->election_ms || w == NULL ||
	    w->down_members.n == 0)
		return 0;
	for (i = 0; i < w->down_members.n; i++) {
		const struct qs_span	*s;

		(void)qs_history_state_at(w->down_members.v[i], w->from, &s);
		if (s == NULL || s->from.grade != QS_GRADE_SEEN ||
		    s->from.why == NULL ||
		    strncmp(s->from.why, "its shutdown line", 17) != 0)
			return 0;
	}
	return 1;
}

/* The "No cluster leader" and no-peers lines inside a stretch. */
static void
leader_stretch_lines(struct qs_analysis *an, struct qs_finding *f,
    const struct qs_quorum_stretch *st)
{
	struct qs_run			*run = an->run;
	const struct qs_signal		*first = NULL, *last = NULL;
	const struct qs_signal		*nopeers = NULL;
	size_t				 i, n = 0;
	char				 a[40], b[40];

	for (i = 0; i < run->signals.n; i++) {
		const struct qs_signal	*s = run->signals.v[i];

		if (s->system != QS_SYS_CONSUL || !s->time.set ||
		    s->time.ms < st->from || s->time.ms > st->to)
			continue;
		if (s->kind == QS_SIG_NO_PEERS && nopeers == NULL)
			nopeers = s;
		if (s->kind != QS_SIG_NO_LEADER)
			continue;
		if (first == NULL || s->time.ms < first->time.ms)
			first = s;
		if (last == NULL || s->time.ms >= last->time.ms)
			last = s;
		n++;
	}
	if (n > 0) {
		qs_finding_evidence(f, &first->ev);
		if (last != first)
			qs_finding_evidence(f, &last->ev);
		qs_finding_fact(an, f, "Agents logged \"No cluster leader\" "
		    "%zu time%s in it (%s%s%s).", n, n == 1 ? "" : "s",
		    qs_time_format(&first->time, a, sizeof(a)), n > 1 ?
		    " to " : "", n > 1 ? qs_time_format(&last->time, b,
		    sizeof(b)) : "");
	}
	if (nopeers != NULL) {
		qs_finding_evidence(f, &nopeers->ev);
		qs_finding_fact(an, f, "%s knew no raft peers, so it did not "
		    "even start an election (\"%s\").", nopeers->observer !=
		    NULL ? nopeers->observer->name : "?", nopeers->detail !=
		    NULL ? nopeers->detail : "no known peers");
	}
}

/*
 * The servers still up at the end of a stretch that lasts: their raft
 * terms went on rising while they campaigned in vain.
 */
static void
leader_campaigns(struct qs_analysis *an, struct qs_finding *f,
    const struct qs_consul *c, const struct qs_quorum_stretch *st)
{
	const struct qs_history	*h = c->history;
	uint64_t		 led = 0, term;
	size_t			 i;

	if (!st->open || st->lost == NULL)
		return;
	for (i = 0; i < h->terms.n; i++) {
		const struct qs_term	*t = h->terms.v[i];

		if (t->has_term && t->term > led)
			led = t->term;
	}
	for (i = 0; i < c->servers.n; i++) {
		const struct qs_consul_server	*srv = c->servers.v[i];
		const struct qs_setting		*s;

		s = qs_setting_get(an->run, srv->node, QS_SYS_CONSUL,
		    "raft.current_term");
		/* Terms known from the logs, and a few elections since. */
		if (s == NULL || led == 0 || qs_consul_down_at_end(c, srv) ||
		    qs_parse_dec_u64(s->value, strlen(s->value), &term) != 0 ||
		    term < led + 3)
			continue;
		qs_finding_evidence(f, &s->ev);
		qs_finding_fact(an, f, "%s campaigned in vain: its raft.db has "
		    "CurrentTerm %llu, the last term that had a leader was "
		    "%llu.", srv->node->name, (unsigned long long)term,
		    (unsigned long long)led);
	}
}

/*
 * Every server's raft.db was read and none holds a configuration: they
 * never bootstrapped (without raft.db, only that the bundle lacks it).
 */
static int
leader_unbootstrapped(const struct qs_consul *c)
{
	size_t	i;

	for (i = 0; i < c->servers.n; i++)
		if (!qs_node_has_kind(((struct qs_consul_server *)
		    c->servers.v[i])->node, "consul.raft_db"))
			return 0;
	return c->servers.n > 0;
}

/*
 * A stretch that ends with no voter: the last leadership before it, why
 * there were no voters, who was running.
 */
static void
leader_no_voters(struct qs_analysis *an, struct qs_finding *f,
    const struct qs_consul *c, const struct qs_quorum_stretch *st,
    int explained)
{
	const struct qs_consul_reign	*last = NULL;
	const struct qs_voters		*v = NULL;
	const char			*up = "";
	size_t				 i, n = 0;
	char				 t[40];

	for (i = 0; i < c->history->voters.n; i++) {
		const struct qs_voters	*x = c->history->voters.v[i];

		if (x->from.lo <= st->last->from)
			v = x;
	}
	for (i = 0; !explained && i < c->reigns.n; i++) {
		const struct qs_consul_reign	*r = c->reigns.v[i];

		if (!r->open && r->to <= st->from && (last == NULL ||
		    r->to >= last->to))
			last = r;
	}
	if (last != NULL) {
		if (last->end_ev != NULL)
			qs_finding_evidence(f, last->end_ev);
		qs_finding_fact(an, f, "The last leader before it was %s%s, "
		    "until %s: %s.", last->server->node->name,
		    leader_reign_term(an, last), qs_ms_text(last->to, t,
		    sizeof(t)), last->ended);
	}
	if (c->latest == NULL && leader_unbootstrapped(c))
		qs_finding_fact(an, f, "No server holds a raft configuration: "
		    "the cluster was never bootstrapped, so no server can "
		    "ask for votes (a server with bootstrap_expect waits "
		    "until that many servers agree).");
	else if (c->latest == NULL)
		qs_finding_fact(an, f, "The bundle holds no raft configuration "
		    "(no raft.db, snapshot or collected list-peers): which "
		    "servers vote, and so whether a majority was up, is not "
		    "known.");
	else {
		if (v != NULL && v->from.ev != NULL)
			qs_finding_evidence(f, v->from.ev);
		qs_finding_fact(an, f, "From %s on, the raft configuration in "
		    "force lists no voter (%s).", qs_ms_text(v != NULL ?
		    v->from.lo : st->last->from, t, sizeof(t)), v != NULL &&
		    v->source != NULL ? v->source : "every server removed");
	}
	for (i = 0; i < c->servers.n; i++) {
		const struct qs_consul_server	*srv = c->servers.v[i];
		size_t				 k;

		for (k = 0; srv->member != NULL && k < srv->member->live.n;
		    k++) {
			const struct qs_span	*s = srv->member->live.v[k];

			if (s->state == QS_LIVE_UP && s->from.lo < st->to &&
			    s->to.lo > st->from)
				break;
		}
		if (srv->member == NULL || k == srv->member->live.n)
			continue;
		up = qs_arena_printf(&an->run->arena, "%s%s%s", up, n++ > 0 ?
		    ", " : "", srv->node->name);
		qs_finding_node(f, srv->node);
	}
	if (n > 0)
		qs_finding_fact(an, f, "Running in it: %s.", up);
}

/* Is a down member of the stretch a node among `f`'s nodes? */
static int
leader_down_in(const struct qs_quorum_stretch *st, const struct qs_finding *f)
{
	size_t	i, j;

	for (i = 0; st->worst != NULL && i < st->worst->down_members.n; i++) {
		const struct qs_hmember	*m = st->worst->down_members.v[i];

		for (j = 0; m->node != NULL && j < f->nodes.n; j++)
			if (f->nodes.v[j] == m->node)
				return 1;
	}
	return 0;
}

/*
 * Is `m`, a voter without files in the bundle, a peer that
 * consul-stale-peer names (rather than a server not collected)?
 */
static int
leader_stale_entry(const struct qs_analysis *an, const struct qs_hmember *m)
{
	const struct qs_finding	*f = qs_finding_find(an, "consul-stale-peer");
	size_t			 i;

	for (i = 0; f != NULL && m->node == NULL && m->id != NULL &&
	    i < f->facts.n; i++)
		if (strstr(f->facts.v[i], m->id) != NULL)
			return 1;
	return 0;
}

/* Is a down voter of the stretch a stale peer? */
static int
leader_down_entry(const struct qs_analysis *an,
    const struct qs_quorum_stretch *st)
{
	size_t	i;

	for (i = 0; st->worst != NULL && i < st->worst->down_members.n; i++)
		if (leader_stale_entry(an, st->worst->down_members.v[i]))
			return 1;
	return 0;
}

/*
 * The findings that explain the stretch, root causes first: servers that
 * left (when the voters down are they, or the stretch was mostly one
 * with a majority up: `held`), separate bootstraps and bootstrap_expect
 * that disagree (when `held`), peer sets emptied (the same, or no voter
 * was left), a stale peer among the voters down.
 */
static size_t
leader_causes(struct qs_analysis *an, struct qs_finding *f,
    const struct qs_quorum_stretch *st, int held)
{
	struct qs_finding	*c;
	size_t			 n = 0;
	int			 i, link;
	static const char *const ids[] = { "consul-majority-left",
	    "consul-multiple-bootstrap", "consul-expect-mismatch",
	    "consul-peers-empty", "consul-stale-peer", NULL };

	for (i = 0; ids[i] != NULL; i++) {
		if ((c = qs_finding_find(an, ids[i])) == NULL)
			continue;
		switch (i) {
		case 0:
			link = held || leader_down_in(st, c);
			break;
		case 3:
			link = held || st->last->voters == 0;
			break;
		case 4:
			link = st->lost != NULL && leader_down_entry(an, st);
			break;
		default:
			link = held;
			break;
		}
		if (!link)
			continue;
		qs_finding_caused_by(f, c);
		qs_finding_fact(an, f, "Caused by %s: %s.", c->rule->id,
		    c->title);
		n++;
	}
	return n;
}

static void
leader_quorum_steps(struct qs_analysis *an, struct qs_finding *f,
    const struct qs_consul *c, const struct qs_quorum_stretch *st, int held)
{
	struct qs_vec	 keep = { NULL, 0, 0 };
	const char	*json = NULL;
	size_t		 i;

	if (held) {
		if (f->causes.n > 0)
			qs_finding_step(an, f, "Repair what the findings it is "
			    "caused by say; the servers elect a leader once "
			    "they agree on the peers.");
		else
			qs_finding_step(an, f, "Find why the running servers "
			    "cannot elect: each must reach every other on the "
			    "server port (8300 unless ports.server says "
			    "otherwise) at the address the raft configuration "
			    "lists; `consul operator raft list-peers` and "
			    "`consul members` on each show what it runs "
			    "with.");
		leader_survivor_step(an, f);
		return;
	}
	for (i = 0; st->worst != NULL && i < st->worst->down_members.n; i++) {
		const struct qs_hmember	*m = st->worst->down_members.v[i];

		if (leader_stale_entry(an, m))
			qs_finding_step(an, f, "%s is a raft peer no server "
			    "answers to any more: it has to go from the "
			    "configuration (consul-stale-peer).", m->label);
		else
			qs_finding_step(an, f, "Start Consul on %s again (or "
			    "bring its host back) with its data directory as "
			    "it is; a majority of the voters must run and "
			    "reach each other on the server port.", m->label);
	}
	for (i = 0; i < c->servers.n; i++) {
		const struct qs_consul_server	*srv = c->servers.v[i];

		if (srv->removed == NULL && !qs_consul_down_at_end(c, srv))
			qs_vec_push(&keep, (void *)srv);
	}
	if (keep.n > 0)
		json = qs_consul_peers_json(an, c, keep.v[0], &keep);
	if (json != NULL)
		qs_finding_step(an, f, "If they cannot come back, recover the "
		    "servers still up without them (Consul's outage recovery): "
		    "stop them, write raft/peers.json on each with only them:"
		    "\n%s\nand start them together.", json);
	leader_survivor_step(an, f);
	qs_vec_free(&keep);
}

/*
 * Quorum loss from the cluster's history (quorum.c): every stretch without
 * a leader in which the voters known down left no majority up, or which
 * lasted longer than an election takes (raft timing, consul.c) although
 * a majority was up or unknown.  The latest loss of the majority is the
 * finding, else the latest stretch; earlier ones are listed in it.  The
 * servers' own shutdown at the very end of the evidence is not one.
 */
static void
rule_consul_no_leader(struct qs_analysis *an, const struct qs_rule *rule)
{
	struct qs_consul		*c = qs_consul_facts(an);
	struct qs_history		*h;
	const struct qs_quorum_stretch	*st;
	struct qs_finding		*f;
	struct qs_vec			 all = { NULL, 0, 0 };
	size_t				 i, pick;
	int				 held;
	char				 t[40];

	if (c == NULL)
		return;
	h = c->history;
	if (h == NULL || !h->timed) {
		leader_no_leader_phrase(an, rule);
		return;
	}
	qs_quorum_stretches(an->run, h, &all);
	for (i = 0; i < all.n;) {
		if (leader_shutdown(h, all.v[i])) {
			memmove(&all.v[i], &all.v[i + 1], (all.n - i - 1) *
			    sizeof(*all.v));
			all.n--;
		} else
			i++;
	}
	if (all.n == 0) {
		qs_vec_free(&all);
		return;
	}
	pick = qs_quorum_latest_loss(&all);
	st = all.v[pick];
	/* It ended with no voter at all: no majority to speak of. */
	if (st->lost == NULL && st->last->voters == 0) {
		f = qs_finding_new(an, rule, "No Consul leader %s %s%s (%lld "
		    "s): %s", st->open ? "from" : "for a while from",
		    qs_ms_text(st->from, t, sizeof(t)), st->open ? " to the "
		    "end of the evidence" : "", (long long)(st->ms / 1000),
		    c->latest != NULL ? "no voter was left in the raft "
		    "configuration" : leader_unbootstrapped(c) ? "the servers "
		    "never bootstrapped a raft configuration" : "which servers "
		    "vote is not known");
		leader_no_voters(an, f, c, st, 0);
	} else {
		f = qs_finding_new(an, rule, "%s", qs_quorum_title(an->run, h,
		    st, "Consul"));
		qs_quorum_explain(an, f, h, st, "server");
		if (st->last->voters == 0)
			leader_no_voters(an, f, c, st, 1);
	}
	qs_quorum_others(an, f, &all, pick);
	leader_stretch_lines(an, f, st);
	leader_campaigns(an, f, c, st);
	/* Mostly a majority up without a leader: not the dead members. */
	held = st->lost == NULL || qs_quorum_leaderless_held(h, st);
	if (leader_causes(an, f, st, held) == 0) {
		if (!held)
			qs_finding_fact(an, f, "Nothing in the bundle says why "
			    "they went down: their own logs just end (a host "
			    "lost, a kill, a reboot).");
		else
			qs_finding_fact(an, f, "No other finding explains it: "
			    "look for a network partition or a firewall "
			    "between the servers' raft ports.");
	}
	leader_quorum_steps(an, f, c, st, held);
	qs_vec_free(&all);
}

const struct qs_rule qs_rule_consul_split_brain = {
	.id = "consul-split-brain",
	.kind = "split-brain",
	.level = QS_LEVEL_CRITICAL,
	.system = QS_SYS_CONSUL,
	.title = "two Consul leaders at once",
	.explanation = "A raft cluster has at most one leader per term.  Two "
	    "servers leading at the same time, or in the same term, are "
	    "leaders of two clusters, each accepting writes the other never "
	    "sees.",
	.remediation = "Keep the cluster the clients wrote to; wipe the raft "
	    "data of the other cluster's servers and join them to it.",
	.check = rule_consul_split_brain,
};

const struct qs_rule qs_rule_consul_stale_leader = {
	.id = "consul-stale-leader",
	.kind = "split-brain",
	.level = QS_LEVEL_WARNING,
	.system = QS_SYS_CONSUL,
	.title = "a former leader rejoined after a new election",
	.explanation = "A leader that is stopped (or restarted slowly) while "
	    "the others elect a new leader comes back with its own, older "
	    "view.  Raft handles this, but during rolling deploys the "
	    "resulting elections and catch-up are where clusters were seen "
	    "to fall apart.",
	.remediation = "Check the old leader follows the new one; restart "
	    "servers one at a time, waiting for a stable leader in between.",
	.check = rule_consul_stale_leader,
};

const struct qs_rule qs_rule_consul_no_leader = {
	.id = "consul-no-leader",
	.kind = "quorum-loss",
	.level = QS_LEVEL_CRITICAL,
	.system = QS_SYS_CONSUL,
	.title = "the servers lost their quorum or had no leader",
	.explanation = "A leader needs the votes of a majority of the raft "
	    "voters; when too many are down, or the running ones cannot reach "
	    "each other or do not agree on who the peers are, there is no "
	    "leader and agents report \"No cluster leader\".  Read from the "
	    "cluster's history: who was up, who led, which servers voted, "
	    "over time.",
	.remediation = "Restore a majority of the raft voters, or recover "
	    "with raft/peers.json listing the survivors.",
	.check = rule_consul_no_leader,
};
