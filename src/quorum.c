/*
 * Quorum loss read from a cluster's history, for every system's quorum
 * rule: the leaderless stretches of the sweep (history.c), what each one
 * was, and the chain of facts that explains it.
 *
 * A stretch is a run of the sweep's intervals in which no leader held a
 * term and either the voters known down left fewer than a majority up
 * (a quorum loss, however the members went down) or some member said
 * there was no leader (an election, "no leader").  It is reported when
 * the majority was lost, or when it lasted longer than the cluster takes
 * to elect (history->election_ms, from the cluster's own settings) while
 * a majority was up or unknown: then something other than dead members
 * kept the leader away, and the rule links the finding that says what.
 * A rolling restart (one member down at a time, leaders moving within
 * the election time) gives no stretch.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quorumscope.h"

#define QUORUM_SHOWN	4	/* stretches described in full */

static int
quorum_breaks(const struct qs_qspan *s)
{
	return s->term == NULL && (s->state == QS_QUORUM_LOST ||
	    s->leaderless);
}

/*
 * The stretches of `h`, merged and judged, into `out` (struct
 * qs_quorum_stretch *, allocated from the run's arena).
 */
void
qs_quorum_stretches(struct qs_run *run, const struct qs_history *h,
    struct qs_vec *out)
{
	struct qs_quorum_stretch	*cur = NULL;
	size_t				 i;

	if (h == NULL || !h->timed)
		return;
	for (i = 0; i < h->quorum.n; i++) {
		const struct qs_qspan	*s = h->quorum.v[i];

		if (!quorum_breaks(s)) {
			cur = NULL;
			continue;
		}
		if (cur == NULL) {
			cur = qs_arena_alloc(&run->arena, sizeof(*cur));
			cur->from = s->from;
			qs_vec_push(out, cur);
		}
		cur->to = s->to;
		cur->open = i + 1 == h->quorum.n;
		if (s->state == QS_QUORUM_LOST)
			cur->lost_ms += s->to - s->from;
		else if (s->state == QS_QUORUM_HELD)
			cur->held_ms += s->to - s->from;
		if (s->state == QS_QUORUM_LOST) {
			if (cur->lost == NULL)
				cur->lost = s;
			if (cur->worst == NULL || s->down > cur->worst->down)
				cur->worst = s;
		} else if (s->state == QS_QUORUM_HELD && cur->held == NULL)
			cur->held = s;
		if (cur->last == NULL || s->to >= cur->last->to)
			cur->last = s;
		if (cur->first == NULL)
			cur->first = s;
	}
	/* Keep the losses, and the long leaderless stretches. */
	for (i = 0; i < out->n;) {
		struct qs_quorum_stretch	*st = out->v[i];

		st->ms = st->to - st->from;
		if (st->lost == NULL && st->ms <= h->election_ms &&
		    !(st->open && h->no_leader_at_end)) {
			memmove(&out->v[i], &out->v[i + 1], (out->n - i - 1) *
			    sizeof(*out->v));
			out->n--;
			continue;
		}
		i++;
	}
}

static const char *
quorum_duration(struct qs_arena *a, int64_t ms)
{
	if (ms < 1000)
		return qs_arena_printf(a, "%lld ms", (long long)ms);
	if (ms < 120000)
		return qs_arena_printf(a, "%lld s", (long long)(ms / 1000));
	if (ms < 7200000)
		return qs_arena_printf(a, "%lld min %lld s",
		    (long long)(ms / 60000), (long long)(ms % 60000 / 1000));
	return qs_arena_printf(a, "%lld h %lld min", (long long)(ms / 3600000),
	    (long long)(ms % 3600000 / 60000));
}

static const char *
quorum_list(struct qs_arena *a, const struct qs_vec *members)
{
	const char	*out = "";
	size_t		 i;

	for (i = 0; i < members->n; i++)
		out = qs_arena_printf(a, "%s%s%s", out, i == 0 ? "" :
		    i + 1 == members->n ? " and " : ", ",
		    ((struct qs_hmember *)members->v[i])->label);
	return out;
}

/* The voters in force at `t` with their state, for facts. */
static void
quorum_voters_at(const struct qs_history *h, int64_t t, struct qs_vec *all,
    struct qs_vec *up)
{
	const struct qs_voters	*v = NULL;
	size_t			 i;

	for (i = 0; i < h->voters.n; i++) {
		const struct qs_voters	*x = h->voters.v[i];

		if (x->from.lo <= t || v == NULL)
			v = x;
	}
	for (i = 0; v != NULL && i < v->members.n; i++) {
		struct qs_hmember	*m = v->members.v[i];

		qs_vec_push(all, m);
		if (qs_history_state_at(m, t, NULL) == QS_LIVE_UP)
			qs_vec_push(up, m);
	}
}

/*
 * Was the stretch mostly one in which a majority was up and no leader
 * was elected for longer than an election takes?  Then something other
 * than dead members kept the leader away, even when the majority was
 * also lost for a moment (a member restarting).
 */
int
qs_quorum_leaderless_held(const struct qs_history *h,
    const struct qs_quorum_stretch *st)
{
	return st->held != NULL && st->held_ms > h->election_ms &&
	    st->held_ms > st->lost_ms;
}

/* The title of a stretch, for the finding that reports it. */
const char *
qs_quorum_title(struct qs_run *run, const struct qs_history *h,
    const struct qs_quorum_stretch *st, const char *system)
{
	struct qs_arena	*a = &run->arena;
	char		 t[40];

	if (st->lost != NULL && qs_quorum_leaderless_held(h, st))
		return qs_arena_printf(a, "No %s leader for %s from %s, %s of it "
		    "with %zu of %zu voters up", system, quorum_duration(a,
		    st->ms), qs_ms_text(st->from, t, sizeof(t)),
		    quorum_duration(a, st->held_ms), st->held->up,
		    st->held->voters);
	if (st->lost != NULL) {
		const struct qs_qspan	*w = st->worst;

		if (st->open)
			return qs_arena_printf(a, "%s lost its quorum at %s "
			    "and had no leader to the end of the evidence: "
			    "%zu of %zu voters down", system, qs_ms_text(
			    st->lost->from, t, sizeof(t)), w->down, w->voters);
		return qs_arena_printf(a, "%s lost its quorum for %s from %s: "
		    "%zu of %zu voters down", system, quorum_duration(a,
		    st->ms), qs_ms_text(st->lost->from, t, sizeof(t)),
		    w->down, w->voters);
	}
	if (st->open && st->ms <= h->election_ms)
		return qs_arena_printf(a, "No %s leader since %s, to the end of "
		    "the evidence", system, qs_ms_text(st->from, t, sizeof(t)));
	if (st->held != NULL)
		return qs_arena_printf(a, "No %s leader for %s from %s although "
		    "%zu of %zu voters were up", system, quorum_duration(a,
		    st->ms), qs_ms_text(st->from, t, sizeof(t)), st->held->up,
		    st->held->voters);
	return qs_arena_printf(a, "No %s leader for %s from %s", system,
	    quorum_duration(a, st->ms), qs_ms_text(st->from, t, sizeof(t)));
}

/*
 * The facts and evidence of one stretch: the voters and the majority,
 * each member down with when and how it went, when the majority was lost
 * and regained, or why a majority up did not elect.
 */
void
qs_quorum_explain(struct qs_analysis *an, struct qs_finding *f,
    const struct qs_history *h, const struct qs_quorum_stretch *st,
    const char *member_word)
{
	struct qs_arena		*a = &an->run->arena;
	struct qs_vec		 all = { NULL, 0, 0 }, up = { NULL, 0, 0 };
	const struct qs_qspan	*w = st->worst != NULL ? st->worst :
	    st->held != NULL ? st->held : st->first;
	size_t			 i;
	char			 t[40];

	quorum_voters_at(h, w->from, &all, &up);
	qs_finding_fact(an, f, "%zu voting %ss (%s); a leader needs the votes "
	    "of %zu.", all.n, member_word, quorum_list(a, &all), w->needed);
	for (i = 0; i < w->down_members.n; i++) {
		const struct qs_hmember	*m = w->down_members.v[i];
		const struct qs_span	*s;

		(void)qs_history_state_at(m, w->from, &s);
		if (s == NULL)
			continue;
		qs_finding_node(f, m->node);
		qs_finding_evidence(f, s->from.ev);
		if (s->from.grade == QS_GRADE_SEEN)
			qs_finding_fact(an, f, "%s went down %s (%s).",
			    m->label, qs_mark_text(a, &s->from),
			    s->from.why != NULL ? s->from.why : "its own line");
		else
			qs_finding_fact(an, f, "%s went down %s: %s (inferred; "
			    "its own log says nothing).", m->label,
			    qs_mark_text(a, &s->from), s->from.why != NULL ?
			    s->from.why : "peers lost contact");
	}
	if (st->lost != NULL && qs_quorum_leaderless_held(h, st)) {
		struct qs_vec	 hall = { NULL, 0, 0 }, hup = { NULL, 0, 0 };

		quorum_voters_at(h, st->held->from, &hall, &hup);
		qs_finding_fact(an, f, "%s %s up from %s (%zu of %zu, a "
		    "majority), yet no leader was elected for %s of the "
		    "stretch; an election takes at most %s here (%s).",
		    quorum_list(a, &hup), hup.n == 1 ? "was" : "were",
		    qs_ms_text(st->held->from, t, sizeof(t)), hup.n,
		    hall.n, quorum_duration(a, st->held_ms),
		    quorum_duration(a, h->election_ms), h->election_from);
		qs_vec_free(&hall);
		qs_vec_free(&hup);
		qs_finding_fact(an, f, "For %s of it the majority was lost "
		    "as well, from %s.", quorum_duration(a, st->lost_ms),
		    qs_ms_text(st->lost->from, t, sizeof(t)));
	} else if (st->lost != NULL) {
		const char	*regain;

		if (st->open)
			regain = qs_arena_printf(a, "it was still lost at the "
			    "end of the evidence (%s)", qs_ms_text(st->to, t,
			    sizeof(t)));
		else {
			const struct qs_term	*next = NULL;

			for (i = 0; i < h->terms.n; i++) {
				const struct qs_term	*tm = h->terms.v[i];

				if (tm->from.lo >= st->to) {
					next = tm;
					break;
				}
			}
			regain = next != NULL ? qs_arena_printf(a, "it was "
			    "regained at %s, when %s was elected%s",
			    qs_ms_text(st->to, t, sizeof(t)),
			    next->leader->label, next->has_term ?
			    qs_arena_printf(a, " (term %llu)",
			    (unsigned long long)next->term) : "") :
			    qs_arena_printf(a, "enough %ss were back at %s",
			    member_word, qs_ms_text(st->to, t, sizeof(t)));
		}
		const struct qs_span	*fs = NULL;
		const char		*when;

		if (st->lost->fell != NULL)
			(void)qs_history_state_at(st->lost->fell,
			    st->lost->from, &fs);
		when = fs != NULL && fs->from.hi > fs->from.lo ?
		    qs_arena_printf(a, "%s at the latest", qs_ms_text(
		    st->lost->from, t, sizeof(t))) : qs_arena_strdup(a,
		    qs_ms_text(st->lost->from, t, sizeof(t)));
		qs_finding_fact(an, f, "The majority was lost %s%s%s; %s.",
		    fs != NULL && fs->from.hi > fs->from.lo ? "by " : "at ",
		    when, st->lost->fell != NULL ? qs_arena_printf(a,
		    ", when %s went down", st->lost->fell->label) : "",
		    regain);
		if (up.n > 0)
			qs_finding_fact(an, f, "Still up: %s, short of a "
			    "majority: %s cannot elect a leader alone.",
			    quorum_list(a, &up), up.n == 1 ? "it" : "they");
	} else {
		qs_finding_fact(an, f, "%s %s up (%zu of %zu, a majority), yet no "
		    "leader was elected for %s; an election takes at most %s "
		    "here (%s).", quorum_list(a, &up), up.n == 1 ? "was" :
		    "were", up.n, all.n, quorum_duration(a, st->ms),
		    quorum_duration(a, h->election_ms), h->election_from);
	}
	for (i = 0; i < h->terms.n; i++) {
		const struct qs_term	*tm = h->terms.v[i];

		if (tm->to.lo <= st->from && tm->to.lo + 1 >= st->from &&
		    tm->ended != NULL) {
			qs_finding_evidence(f, tm->to.ev);
			qs_finding_fact(an, f, "The last leader before it was "
			    "%s%s; its term ended %s: %s.",
			    tm->leader->label, tm->has_term ? qs_arena_printf(a,
			    " (term %llu)", (unsigned long long)tm->term) : "",
			    qs_mark_text(a, &tm->to), tm->ended);
		}
	}
	qs_vec_free(&all);
	qs_vec_free(&up);
}

/*
 * Links `f` to the findings among `ids` that explain why a member that
 * went down in the stretch could not run: a finding naming the member's
 * node, when the member stopped by itself (its own stop or exit line; a
 * member killed from outside is explained by nothing in the bundle).
 * Returns how many were linked.
 */
size_t
qs_quorum_link(struct qs_analysis *an, struct qs_finding *f,
    const struct qs_quorum_stretch *st, const char *const *ids)
{
	size_t	i, j, k, n = 0;

	for (i = 0; st->worst != NULL && i < st->worst->down_members.n; i++) {
		const struct qs_hmember	*m = st->worst->down_members.v[i];
		const struct qs_span	*s;

		(void)qs_history_state_at(m, st->worst->from, &s);
		if (m->node == NULL || s == NULL ||
		    s->from.grade != QS_GRADE_SEEN)
			continue;
		for (j = 0; ids[j] != NULL; j++) {
			struct qs_finding	*c = qs_finding_find(an, ids[j]);

			for (k = 0; c != NULL && k < c->nodes.n; k++)
				if (c->nodes.v[k] == m->node) {
					qs_finding_caused_by(f, c);
					qs_finding_fact(an, f, "%s could not run "
					    "because of %s: %s.", m->label,
					    c->rule->id, c->title);
					n++;
					break;
				}
		}
	}
	return n;
}

/* One line for each stretch after the first QUORUM_SHOWN, and a count. */
void
qs_quorum_others(struct qs_analysis *an, struct qs_finding *f,
    const struct qs_vec *stretches, size_t shown)
{
	struct qs_arena	*a = &an->run->arena;
	size_t		 i;
	char		 t[40];

	for (i = 0; i < stretches->n; i++) {
		const struct qs_quorum_stretch	*st = stretches->v[i];

		if (i == shown)
			continue;
		if (i >= QUORUM_SHOWN + 1) {
			qs_finding_fact(an, f, "And %zu more such stretches.",
			    stretches->n - i);
			break;
		}
		qs_finding_fact(an, f, "Also %s from %s for %s.", st->lost !=
		    NULL ? qs_arena_printf(a, "quorum lost (%zu of %zu voters "
		    "down)", st->worst->down, st->worst->voters) :
		    "no leader", qs_ms_text(st->from, t, sizeof(t)),
		    quorum_duration(a, st->ms));
	}
}

/*
 * Which of the stretches (not empty) a quorum rule reports: the latest in
 * which the majority was lost, else the latest of all.
 */
size_t
qs_quorum_latest_loss(const struct qs_vec *stretches)
{
	size_t	i;

	for (i = stretches->n; i-- > 0;)
		if (((const struct qs_quorum_stretch *)stretches->v[i])->lost !=
		    NULL)
			return i;
	return stretches->n - 1;
}
