/*
 * A cluster's reconstructed history: who was up, who led, which voters
 * counted, over wall-clock time, and the quorum arithmetic of every moment.
 *
 * Facts modules feed observations member by member (the member's own
 * lines, what peers said of it, probes at collection time, leadership and
 * voter sets); qs_history_finish() turns them into intervals:
 *
 * Liveness.  A member's own lines make runs: a run starts at its start
 * line (or its first line) and ends at its stop or fatal line (seen), or
 * at its last line before the next start (a crash and a restart, the
 * boundary somewhere between the two).  After its last line, what peers
 * say decides: a peer that loses contact afterwards bounds an inferred
 * crash between the last line and that first complaint; a probe at
 * collection time that got no answer bounds it by the collection; a peer
 * that regains contact brings it back up.  Silence with no complaint while
 * peers' evidence goes on is taken as up (inferred); without any later
 * evidence the member is unknown.  Complaints while the member's own log
 * goes on are a partition, not a crash, and do not make it down.  A member
 * with no files of its own is known only by what peers and probes say.
 *
 * Leadership.  Leader observations open a term; it ends at the next term,
 * at the leader's step-down, or when the leader stops being up; otherwise
 * it runs to the end of the evidence.  A gap between terms is known to be
 * leaderless when some member said so within it (an election, "no
 * leader", LOOKING) or when the term before it ended by a step-down or the
 * leader's death.
 *
 * Voters.  Sets given with a time apply from then; an untimed set applies
 * from the beginning until the first timed one.
 *
 * The sweep.  Every boundary of the three timelines, sorted; in each
 * stretch between two boundaries the voter set, each voter's liveness and
 * the term are constant.  With n voters a leader needs n / 2 + 1: the
 * quorum is lost when the voters known down leave fewer than that, held
 * when the voters known up are that many, unknown otherwise.  Equal
 * stretches are merged.
 *
 * Everything is allocated from the arena given to qs_history_new(), except
 * the vectors, which qs_history_free() releases.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "quorumscope.h"

enum hobs_kind {
	H_ALIVE,		/* its own line: running then */
	H_START,		/* its own start line */
	H_STOP,			/* its own stop or fatal line */
	H_LOST,			/* a peer lost contact with it */
	H_FOUND,		/* a peer (re)gained contact */
	H_PROBE_UP,		/* a probe at collection was answered */
	H_PROBE_DOWN		/* a probe got no answer */
};

struct hobs {
	enum hobs_kind		 kind;
	int64_t			 t;
	int			 timed;
	const struct qs_evidence *ev;
	struct qs_hmember	*by;		/* the peer, for H_LOST/H_FOUND */
	const char		*why;
};

struct hlead {
	struct qs_hmember	*m;
	int			 has_term;
	uint64_t		 term;
	int64_t			 t;
	const struct qs_evidence *ev;
	int			 down;		/* a step-down, not a lead */
	const char		*why;
};

struct hvoters {
	size_t			 seq;		/* order given */
	struct qs_vec		 members;
	int			 timed;
	int64_t			 t;
	const struct qs_evidence *ev;
	const char		*source;
};

struct hnoleader {
	int64_t			 t;
	const struct qs_evidence *ev;
};

/* Private state that outlives the builder calls, hung off the history. */
struct hpriv {
	struct qs_vec		 leads;		/* struct hlead * */
	struct qs_vec		 voters;	/* struct hvoters * */
};

#define HIST_NO_TIME	INT64_MIN
/* Lines a boot may log before its start line (configuration, banner). */
#define HIST_BOOT_MS	30000

static struct hpriv *
hist_priv(struct qs_history *h)
{
	/* The first slot of `leaderless` is never used for marks. */
	if (h->leaderless.n == 0)
		qs_vec_push(&h->leaderless, qs_arena_alloc(h->arena,
		    sizeof(struct hpriv)));
	return h->leaderless.v[0];
}

struct qs_history *
qs_history_new(struct qs_arena *a, enum qs_system sys)
{
	struct qs_history	*h;

	h = qs_arena_alloc(a, sizeof(*h));
	h->arena = a;
	h->system = sys;
	h->begin = h->end = HIST_NO_TIME;
	(void)hist_priv(h);
	return h;
}

void
qs_history_free(struct qs_history *h)
{
	struct hpriv	*p;
	size_t		 i;

	if (h == NULL)
		return;
	p = h->leaderless.v[0];
	for (i = 0; i < h->members.n; i++) {
		struct qs_hmember	*m = h->members.v[i];

		qs_vec_free(&m->live);
		qs_vec_free(&m->obs);
	}
	for (i = 0; i < p->voters.n; i++)
		qs_vec_free(&((struct hvoters *)p->voters.v[i])->members);
	for (i = 0; i < h->voters.n; i++)
		qs_vec_free(&((struct qs_voters *)h->voters.v[i])->members);
	for (i = 0; i < h->quorum.n; i++)
		qs_vec_free(&((struct qs_qspan *)h->quorum.v[i])->down_members);
	qs_vec_free(&p->leads);
	qs_vec_free(&p->voters);
	qs_vec_free(&h->members);
	qs_vec_free(&h->terms);
	qs_vec_free(&h->voters);
	qs_vec_free(&h->quorum);
	qs_vec_free(&h->leaderless);
}

/*
 * The member for a node or, for a member without files, for its system
 * id; created on first use.  `label` names it in reports when there is no
 * node.
 */
struct qs_hmember *
qs_history_member(struct qs_history *h, struct qs_node *node,
    const char *id, const char *label)
{
	struct qs_hmember	*m;

	if ((m = qs_history_find(h, node, id)) != NULL) {
		if (m->id == NULL && id != NULL)
			m->id = qs_arena_strdup(h->arena, id);
		return m;
	}
	m = qs_arena_alloc(h->arena, sizeof(*m));
	m->node = node;
	if (id != NULL)
		m->id = qs_arena_strdup(h->arena, id);
	if (node != NULL)
		m->label = node->name;
	else
		m->label = qs_arena_strdup(h->arena, label != NULL ? label :
		    id != NULL ? id : "?");
	qs_vec_push(&h->members, m);
	return m;
}

struct qs_hmember *
qs_history_find(const struct qs_history *h, const struct qs_node *node,
    const char *id)
{
	size_t	i;

	for (i = 0; i < h->members.n; i++) {
		struct qs_hmember	*m = h->members.v[i];

		if (node != NULL && m->node == node)
			return m;
	}
	if (id == NULL)
		return NULL;
	for (i = 0; i < h->members.n; i++) {
		struct qs_hmember	*m = h->members.v[i];

		if (m->id != NULL && strcmp(m->id, id) == 0 &&
		    (node == NULL || m->node == NULL))
			return m;
	}
	return NULL;
}

static void
hist_see(struct qs_history *h, int64_t t)
{
	if (h->begin == HIST_NO_TIME || t < h->begin)
		h->begin = t;
	if (h->end == HIST_NO_TIME || t > h->end)
		h->end = t;
	h->timed = 1;
}

static void
hist_obs(struct qs_history *h, struct qs_hmember *m, enum hobs_kind kind,
    struct qs_hmember *by, const struct qs_time *t,
    const struct qs_evidence *ev, const char *why)
{
	struct hobs	*o;

	if (m == NULL)
		return;
	o = qs_arena_alloc(h->arena, sizeof(*o));
	o->kind = kind;
	o->by = by;
	o->ev = ev;
	o->why = why;
	if (t != NULL && t->set) {
		o->t = t->ms;
		o->timed = 1;
		hist_see(h, t->ms);
	} else
		o->t = HIST_NO_TIME;
	qs_vec_push(&m->obs, o);
}

/* The member's own line at `t`: it was running. */
void
qs_history_alive(struct qs_history *h, struct qs_hmember *m,
    const struct qs_time *t, const struct qs_evidence *ev)
{
	if (t != NULL && t->set)
		hist_obs(h, m, H_ALIVE, NULL, t, ev, NULL);
}

void
qs_history_start(struct qs_history *h, struct qs_hmember *m,
    const struct qs_time *t, const struct qs_evidence *ev)
{
	if (t != NULL && t->set)
		hist_obs(h, m, H_START, NULL, t, ev, NULL);
}

/* Its own stop: `why` says how ("shut down", "fatal: ..."). */
void
qs_history_stop(struct qs_history *h, struct qs_hmember *m,
    const struct qs_time *t, const struct qs_evidence *ev, const char *why)
{
	if (t != NULL && t->set)
		hist_obs(h, m, H_STOP, NULL, t, ev, why);
}

void
qs_history_unreachable(struct qs_history *h, struct qs_hmember *m,
    struct qs_hmember *by, const struct qs_time *t,
    const struct qs_evidence *ev)
{
	if (t != NULL && t->set && m != by)
		hist_obs(h, m, H_LOST, by, t, ev, NULL);
}

void
qs_history_reachable(struct qs_history *h, struct qs_hmember *m,
    struct qs_hmember *by, const struct qs_time *t,
    const struct qs_evidence *ev)
{
	if (t != NULL && t->set && m != by)
		hist_obs(h, m, H_FOUND, by, t, ev, NULL);
}

/* A probe at collection; an untimed one counts at the end of evidence. */
void
qs_history_probe(struct qs_history *h, struct qs_hmember *m,
    enum qs_live state, const struct qs_time *t, const struct qs_evidence *ev)
{
	if (state == QS_LIVE_UNKNOWN)
		return;
	hist_obs(h, m, state == QS_LIVE_UP ? H_PROBE_UP : H_PROBE_DOWN, NULL,
	    t, ev, NULL);
}

static void
hist_lead(struct qs_history *h, struct qs_hmember *m, int has_term,
    uint64_t term, const struct qs_time *t, const struct qs_evidence *ev,
    int down, const char *why)
{
	struct hlead	*l;

	if (m == NULL || t == NULL || !t->set)
		return;
	l = qs_arena_alloc(h->arena, sizeof(*l));
	l->m = m;
	l->has_term = has_term;
	l->term = term;
	l->t = t->ms;
	l->ev = ev;
	l->down = down;
	l->why = why;
	hist_see(h, t->ms);
	qs_vec_push(&hist_priv(h)->leads, l);
	/* Leading, or followed by a follower: running then. */
	if (!down)
		hist_obs(h, m, H_ALIVE, NULL, t, ev, NULL);
}

/* `m` led (term `term` when has_term) at `t`: a lead line, a follower
 * connecting to it, an election won. */
void
qs_history_leader(struct qs_history *h, struct qs_hmember *m, int has_term,
    uint64_t term, const struct qs_time *t, const struct qs_evidence *ev)
{
	hist_lead(h, m, has_term, term, t, ev, 0, NULL);
}

void
qs_history_step_down(struct qs_history *h, struct qs_hmember *m,
    const struct qs_time *t, const struct qs_evidence *ev, const char *why)
{
	hist_lead(h, m, 0, 0, t, ev, 1, why);
}

/* Someone saw no leader at `t` (an election, "no leader", LOOKING);
 * untimed: at collection. */
void
qs_history_no_leader(struct qs_history *h, const struct qs_time *t,
    const struct qs_evidence *ev)
{
	struct hnoleader	*n;

	(void)hist_priv(h);
	n = qs_arena_alloc(h->arena, sizeof(*n));
	n->ev = ev;
	if (t != NULL && t->set) {
		n->t = t->ms;
		hist_see(h, t->ms);
	} else
		n->t = HIST_NO_TIME;	/* at collection: the end */
	qs_vec_push(&h->leaderless, n);
}

/* The voter set from `t` on (untimed: from the beginning). */
void
qs_history_voters(struct qs_history *h, const struct qs_vec *members,
    const struct qs_time *t, const struct qs_evidence *ev,
    const char *source)
{
	struct hvoters	*v;
	size_t		 i;

	v = qs_arena_alloc(h->arena, sizeof(*v));
	for (i = 0; i < members->n; i++)
		if (!((struct qs_hmember *)members->v[i])->learner)
			qs_vec_push(&v->members, members->v[i]);
	v->ev = ev;
	v->source = source;
	v->seq = hist_priv(h)->voters.n;
	if (t != NULL && t->set) {
		v->timed = 1;
		v->t = t->ms;
		hist_see(h, t->ms);
	} else
		v->t = HIST_NO_TIME;
	qs_vec_push(&hist_priv(h)->voters, v);
}

static int
hist_cmp_obs(const void *a, const void *b)
{
	const struct hobs	*x = *(const struct hobs *const *)a;
	const struct hobs	*y = *(const struct hobs *const *)b;

	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	/* At one instant a stop comes after the lines it ends. */
	return (int)x->kind - (int)y->kind;
}

static int
hist_cmp_lead(const void *a, const void *b)
{
	const struct hlead	*x = *(const struct hlead *const *)a;
	const struct hlead	*y = *(const struct hlead *const *)b;

	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return x->down - y->down;
}

static int
hist_cmp_i64(const void *a, const void *b)
{
	int64_t	x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

static struct qs_mark
hist_mark(int64_t lo, int64_t hi, enum qs_grade grade,
    const struct qs_evidence *ev, const char *why)
{
	struct qs_mark	m;

	m.lo = lo;
	m.hi = hi < lo ? lo : hi;
	m.grade = grade;
	m.ev = ev;
	m.why = why;
	return m;
}

/* Appends a span, merging it into the last one when the state is equal. */
static void
hist_span(struct qs_history *h, struct qs_hmember *m, enum qs_live state,
    struct qs_mark from, struct qs_mark to)
{
	struct qs_span	*s;

	if (to.lo < from.lo)
		to = from;
	/* Nothing before the first line: no empty unknown span. */
	if (state == QS_LIVE_UNKNOWN && to.lo == from.lo && to.hi == from.hi)
		return;
	if (m->live.n > 0) {
		s = m->live.v[m->live.n - 1];
		if (s->state == state) {
			s->to = to;
			return;
		}
	}
	s = qs_arena_alloc(h->arena, sizeof(*s));
	s->state = state;
	s->from = from;
	s->to = to;
	qs_vec_push(&m->live, s);
}

/*
 * One member's liveness from its observations (see the file comment).
 * `cur` is the state since `since`; the loop closes it at each change.
 */
static void
hist_liveness(struct qs_history *h, struct qs_hmember *m)
{
	struct qs_mark		 since, last_own;
	enum qs_live		 cur = QS_LIVE_UNKNOWN;
	const struct hobs	*o;
	int64_t			 end = h->end;
	size_t			 i;
	int64_t			 run_begin = 0;
	int			 own_seen = 0, in_run = 0, run_started = 0;
	int			 new_run;

	for (i = 0; i < m->obs.n; i++) {
		struct hobs	*x = m->obs.v[i];

		if (!x->timed)
			x->t = end;	/* collection time */
	}
	if (m->obs.n > 1)
		qsort(m->obs.v, m->obs.n, sizeof(*m->obs.v), hist_cmp_obs);
	since = hist_mark(h->begin, h->begin, QS_GRADE_ASSUMED, NULL,
	    "start of the evidence");
	memset(&last_own, 0, sizeof(last_own));

	for (i = 0; i < m->obs.n; i++) {
		o = m->obs.v[i];
		switch (o->kind) {
		case H_START:
		case H_ALIVE:
			new_run = !in_run || cur != QS_LIVE_UP;
			/*
			 * A start line ends a run that had one already, or
			 * a run of lines long before it (a log that begins
			 * mid-run); the lines a boot logs before its start
			 * line are that boot.
			 */
			if (cur == QS_LIVE_UP && in_run && o->kind == H_START &&
			    last_own.lo < o->t && (run_started ||
			    o->t - run_begin > HIST_BOOT_MS)) {
				/* A start without a stop: it died in between. */
				hist_span(h, m, QS_LIVE_UP, since,
				    hist_mark(last_own.lo, o->t,
				    QS_GRADE_INFERRED, last_own.ev,
				    "its log stops, then it starts again"));
				since = hist_mark(last_own.lo, o->t,
				    QS_GRADE_INFERRED, last_own.ev,
				    "its log stops, then it starts again");
				cur = QS_LIVE_DOWN;
				new_run = 1;
			}
			if (cur != QS_LIVE_UP) {
				struct qs_mark	at = hist_mark(o->t, o->t,
				    QS_GRADE_SEEN, o->ev, o->kind == H_START ?
				    "its start line" : "its own log");

				hist_span(h, m, cur, since, at);
				since = at;
				cur = QS_LIVE_UP;
			}
			if (new_run) {
				run_begin = o->t;
				run_started = 0;
			}
			if (o->kind == H_START)
				run_started = 1;
			in_run = 1;
			own_seen = 1;
			last_own = hist_mark(o->t, o->t, QS_GRADE_SEEN, o->ev,
			    NULL);
			break;
		case H_STOP:
			if (cur != QS_LIVE_DOWN || since.grade !=
			    QS_GRADE_SEEN) {
				struct qs_mark	at = hist_mark(o->t, o->t,
				    QS_GRADE_SEEN, o->ev, o->why != NULL ?
				    o->why : "its stop line");

				hist_span(h, m, cur, since, at);
				since = at;
				cur = QS_LIVE_DOWN;
			}
			in_run = 0;
			own_seen = 1;
			last_own = hist_mark(o->t, o->t, QS_GRADE_SEEN, o->ev,
			    NULL);
			break;
		case H_LOST:
		case H_PROBE_DOWN:
			if (cur == QS_LIVE_DOWN)
				break;
			if (cur == QS_LIVE_UP && in_run) {
				/* Does its own log go on after this? */
				size_t	j;
				int	goes_on = 0;

				for (j = i + 1; j < m->obs.n; j++) {
					const struct hobs *n = m->obs.v[j];

					if (n->kind == H_START)
						break;
					if (n->kind == H_ALIVE ||
					    n->kind == H_STOP) {
						goes_on = 1;
						break;
					}
				}
				if (goes_on)
					break;	/* a partition */
			}
			{
				int64_t		 lo = cur == QS_LIVE_UP &&
				    own_seen ? last_own.lo : o->t;
				const char	*why = o->kind == H_LOST ?
				    "a peer lost contact" :
				    "no answer at collection";
				struct qs_mark	 at = hist_mark(lo, o->t,
				    QS_GRADE_INFERRED, o->ev, why);

				hist_span(h, m, cur, since, at);
				since = at;
				cur = QS_LIVE_DOWN;
				in_run = 0;
			}
			break;
		case H_FOUND:
		case H_PROBE_UP:
			if (cur == QS_LIVE_UP)
				break;
			{
				struct qs_mark	at = hist_mark(o->t, o->t,
				    QS_GRADE_INFERRED, o->ev, o->kind ==
				    H_FOUND ? "a peer regained contact" :
				    "answered at collection");

				hist_span(h, m, cur, since, at);
				since = at;
				cur = QS_LIVE_UP;
			}
			break;
		}
	}
	/*
	 * After its last line: up while peers' evidence goes on without a
	 * complaint (they would have logged the lost connection); the
	 * history's end is the latest evidence of any member.
	 */
	hist_span(h, m, cur, since, hist_mark(end, end, cur == QS_LIVE_UP ?
	    QS_GRADE_INFERRED : QS_GRADE_ASSUMED, NULL, "end of the evidence"));
}

/* The state of a member at `t`, and the span that says so. */
enum qs_live
qs_history_state_at(const struct qs_hmember *m, int64_t t,
    const struct qs_span **out)
{
	const struct qs_span	*s;
	size_t			 lo = 0, hi = m->live.n, mid;
	int			 last;

	if (out != NULL)
		*out = NULL;
	/* Spans are in time order: the last one starting at or before t. */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (((const struct qs_span *)m->live.v[mid])->from.lo <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return QS_LIVE_UNKNOWN;
	s = m->live.v[lo - 1];
	last = lo == m->live.n;
	if (t >= s->to.lo && !(last && t == s->to.lo))
		return QS_LIVE_UNKNOWN;
	if (out != NULL)
		*out = s;
	/* Inside the range of an uncertain boundary. */
	if (t < s->from.hi && s->from.hi > s->from.lo)
		return QS_LIVE_UNKNOWN;
	return s->state;
}

/*
 * Terms from leader observations.  Observations of one leader follow
 * each other until another leader, another term or a step-down.
 */
static void
hist_terms(struct qs_history *h)
{
	struct hpriv	*p = hist_priv(h);
	struct qs_term	*cur = NULL;
	size_t		 i;

	if (p->leads.n > 1)
		qsort(p->leads.v, p->leads.n, sizeof(*p->leads.v),
		    hist_cmp_lead);
	for (i = 0; i < p->leads.n; i++) {
		const struct hlead	*l = p->leads.v[i];

		if (l->down) {
			if (cur != NULL && cur->leader == l->m &&
			    cur->ended == NULL) {
				cur->to = hist_mark(l->t, l->t, QS_GRADE_SEEN,
				    l->ev, l->why);
				cur->ended = l->why != NULL ? l->why :
				    "stepped down";
				cur = NULL;
			}
			continue;
		}
		if (cur != NULL && cur->leader == l->m &&
		    (!l->has_term || !cur->has_term || l->term == cur->term)) {
			if (!cur->has_term && l->has_term) {
				cur->has_term = 1;
				cur->term = l->term;
			}
			continue;
		}
		/* The same term seen again after a step-down by a follower
		 * that learnt late: not a new term. */
		if (cur == NULL && h->terms.n > 0) {
			struct qs_term	*prev = h->terms.v[h->terms.n - 1];

			if (prev->leader == l->m && prev->has_term &&
			    l->has_term && prev->term == l->term)
				continue;
		}
		if (cur != NULL && cur->ended == NULL) {
			cur->to = hist_mark(l->t, l->t, QS_GRADE_SEEN, l->ev,
			    "a new leader was elected");
			cur->ended = "a new leader was elected";
		}
		cur = qs_arena_alloc(h->arena, sizeof(*cur));
		cur->leader = l->m;
		cur->has_term = l->has_term;
		cur->term = l->term;
		cur->from = hist_mark(l->t, l->t, QS_GRADE_SEEN, l->ev, NULL);
		cur->to = hist_mark(h->end, h->end, QS_GRADE_ASSUMED, NULL,
		    "end of the evidence");
		qs_vec_push(&h->terms, cur);
	}
	/*
	 * A leader that went down ended its term then.  When only peers'
	 * complaints say when (a range), the term is taken to last until
	 * the first complaint: a quiet leader's log says nothing while it
	 * leads, and followers that kept following it say it led.
	 */
	for (i = 0; i < h->terms.n; i++) {
		struct qs_term	*t = h->terms.v[i];
		size_t		 j;

		for (j = 0; j < t->leader->live.n; j++) {
			const struct qs_span	*s = t->leader->live.v[j];
			int64_t			 end;

			if (s->state != QS_LIVE_DOWN || s->from.hi < t->from.lo ||
			    s->from.lo >= t->to.lo)
				continue;
			end = s->from.grade == QS_GRADE_SEEN ? s->from.lo :
			    s->from.hi;
			if (end >= t->to.lo)
				break;
			t->to = hist_mark(end, end, s->from.grade, s->from.ev,
			    s->from.why);
			t->ended = s->from.grade == QS_GRADE_SEEN ?
			    "the leader stopped" : "the leader went down";
			break;
		}
	}
}

/* The voter set in force at `t` (the sets are in time order). */
static const struct qs_voters *
hist_voters_at(const struct qs_history *h, int64_t t)
{
	size_t	lo = 0, hi = h->voters.n, mid;

	if (h->voters.n == 0)
		return NULL;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (((const struct qs_voters *)h->voters.v[mid])->from.lo <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return h->voters.v[lo > 0 ? lo - 1 : 0];
}

static int
hist_cmp_hvoters(const void *a, const void *b)
{
	const struct hvoters	*x = *(const struct hvoters *const *)a;
	const struct hvoters	*y = *(const struct hvoters *const *)b;

	if (x->timed != y->timed)
		return x->timed - y->timed;
	if (x->timed && x->t != y->t)
		return x->t < y->t ? -1 : 1;
	/* Equal: the order given (stable by address of arrival). */
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void
hist_voter_spans(struct qs_history *h)
{
	struct hpriv	*p = hist_priv(h);
	struct qs_voters *prev = NULL;
	size_t		 i, j;
	int		 pass;

	/* Untimed sets first (the last given wins), then timed in order. */
	if (p->voters.n > 1)
		qsort(p->voters.v, p->voters.n, sizeof(*p->voters.v),
		    hist_cmp_hvoters);
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < p->voters.n; i++) {
			const struct hvoters	*hv = p->voters.v[i];
			struct qs_voters	*v;

			if (hv->timed != pass)
				continue;
			if (!pass && prev != NULL) {
				/* A later untimed set replaces the earlier. */
				qs_vec_free(&prev->members);
				for (j = 0; j < hv->members.n; j++)
					qs_vec_push(&prev->members,
					    hv->members.v[j]);
				prev->source = hv->source;
				prev->from.ev = hv->ev;
				continue;
			}
			v = qs_arena_alloc(h->arena, sizeof(*v));
			for (j = 0; j < hv->members.n; j++)
				qs_vec_push(&v->members, hv->members.v[j]);
			v->source = hv->source;
			v->from = hist_mark(pass ? hv->t : h->begin, pass ?
			    hv->t : h->begin, pass ? QS_GRADE_SEEN :
			    QS_GRADE_ASSUMED, hv->ev, NULL);
			v->to = hist_mark(h->end, h->end, QS_GRADE_ASSUMED,
			    NULL, NULL);
			if (prev != NULL)
				prev->to = v->from;
			qs_vec_push(&h->voters, v);
			prev = v;
		}
	}
}

/* Terms looked back at from a time: overlapping terms are few. */
#define HIST_TERMS_BACK	64

/* Index past the last term starting at or before `t` (terms by start). */
static size_t
hist_terms_upto(const struct qs_history *h, int64_t t)
{
	size_t	lo = 0, hi = h->terms.n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (((const struct qs_term *)h->terms.v[mid])->from.lo <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * Is `t`, in no term, in a stretch someone said was leaderless?  The
 * stretch runs from the latest term end before `t` to the next term's
 * start; no-leader marks are sorted (qs_history_finish()).
 */
static int
hist_leaderless_known(const struct qs_history *h, int64_t t)
{
	int64_t	lo = h->begin, hi = h->end;
	size_t	i, n, k, from, to, mid;
	int	ended_seen = 0;

	n = hist_terms_upto(h, t);
	if (n < h->terms.n)
		hi = ((const struct qs_term *)h->terms.v[n])->from.lo;
	for (i = n, k = 0; i-- > 0 && k < HIST_TERMS_BACK; k++) {
		const struct qs_term	*tm = h->terms.v[i];

		if (tm->to.lo <= t && tm->to.lo >= lo) {
			lo = tm->to.lo;
			ended_seen = tm->ended != NULL;
		}
	}
	if (ended_seen)
		return 1;
	/* The first mark at or after lo, if it is before hi. */
	from = 1;
	to = h->leaderless.n;
	while (from < to) {
		mid = from + (to - from) / 2;
		if (((const struct hnoleader *)h->leaderless.v[mid])->t < lo)
			from = mid + 1;
		else
			to = mid;
	}
	return from < h->leaderless.n &&
	    ((const struct hnoleader *)h->leaderless.v[from])->t <= hi;
}

static const struct qs_term *
hist_term_at(const struct qs_history *h, int64_t t)
{
	size_t	i, k;

	for (i = hist_terms_upto(h, t), k = 0; i-- > 0 &&
	    k < HIST_TERMS_BACK; k++) {
		const struct qs_term	*tm = h->terms.v[i];

		if (t < tm->to.lo || (tm->ended == NULL && t <= tm->to.lo))
			return tm;
	}
	return NULL;
}

static int
hist_cmp_noleader(const void *a, const void *b)
{
	const struct hnoleader	*x = *(const struct hnoleader *const *)a;
	const struct hnoleader	*y = *(const struct hnoleader *const *)b;

	return x->t < y->t ? -1 : x->t > y->t;
}

static void
hist_sweep(struct qs_history *h)
{
	int64_t		*b;
	size_t		 nb = 0, cap, i, j, k;
	struct qs_qspan	*cur = NULL;

	cap = 2;
	for (i = 0; i < h->members.n; i++)
		cap += 4 * ((struct qs_hmember *)h->members.v[i])->live.n;
	cap += 2 * h->terms.n + 2 * h->voters.n;
	b = qs_xreallocarray(NULL, cap, sizeof(*b));
	b[nb++] = h->begin;
	b[nb++] = h->end;
	for (i = 0; i < h->members.n; i++) {
		const struct qs_hmember	*m = h->members.v[i];

		for (j = 0; j < m->live.n; j++) {
			const struct qs_span	*s = m->live.v[j];

			b[nb++] = s->from.lo;
			b[nb++] = s->from.hi;
			b[nb++] = s->to.lo;
			b[nb++] = s->to.hi;
		}
	}
	for (i = 0; i < h->terms.n; i++) {
		b[nb++] = ((struct qs_term *)h->terms.v[i])->from.lo;
		b[nb++] = ((struct qs_term *)h->terms.v[i])->to.lo;
	}
	for (i = 0; i < h->voters.n; i++) {
		b[nb++] = ((struct qs_voters *)h->voters.v[i])->from.lo;
		b[nb++] = ((struct qs_voters *)h->voters.v[i])->to.lo;
	}
	qsort(b, nb, sizeof(*b), hist_cmp_i64);
	for (i = j = 0; i < nb; i++)
		if ((j == 0 || b[i] != b[j - 1]) && b[i] >= h->begin &&
		    b[i] <= h->end)
			b[j++] = b[i];
	nb = j;

	for (i = 0; i < nb; i++) {
		int64_t			 a = b[i];
		int64_t			 z = i + 1 < nb ? b[i + 1] : h->end;
		const struct qs_voters	*v = hist_voters_at(h, a);
		const struct qs_term	*tm = hist_term_at(h, a);
		struct qs_qspan		 s;
		struct qs_vec		 down = { NULL, 0, 0 };

		if (z == a && i + 1 < nb)
			continue;
		memset(&s, 0, sizeof(s));
		s.from = a;
		s.to = z;
		/* A term holds while its leader is not known down. */
		s.term = tm != NULL && qs_history_state_at(tm->leader, a,
		    NULL) != QS_LIVE_DOWN ? tm : NULL;
		s.leaderless = s.term == NULL && hist_leaderless_known(h, a);
		if (v != NULL) {
			s.voters = v->members.n;
			for (k = 0; k < v->members.n; k++) {
				struct qs_hmember *m = v->members.v[k];

				switch (qs_history_state_at(m, a, NULL)) {
				case QS_LIVE_UP:
					s.up++;
					break;
				case QS_LIVE_DOWN:
					s.down++;
					qs_vec_push(&down, m);
					break;
				case QS_LIVE_UNKNOWN:
					break;
				}
			}
		}
		s.needed = s.voters / 2 + 1;
		if (s.voters == 0)
			s.state = QS_QUORUM_UNKNOWN;
		else if (s.down > s.voters - s.needed)
			s.state = QS_QUORUM_LOST;
		else if (s.up >= s.needed)
			s.state = QS_QUORUM_HELD;
		else
			s.state = QS_QUORUM_UNKNOWN;
		if (cur != NULL && cur->state == s.state &&
		    cur->term == s.term && cur->leaderless == s.leaderless &&
		    cur->up == s.up && cur->down == s.down &&
		    cur->voters == s.voters) {
			cur->to = z;
			qs_vec_free(&down);
			continue;
		}
		if (s.state == QS_QUORUM_LOST) {
			/* The last voter to go down before this stretch. */
			int64_t	latest = INT64_MIN;

			for (k = 0; k < down.n; k++) {
				struct qs_hmember	*m = down.v[k];
				const struct qs_span	*sp;

				(void)qs_history_state_at(m, a, &sp);
				if (sp != NULL && sp->from.lo >= latest) {
					latest = sp->from.lo;
					s.fell = m;
				}
			}
		}
		cur = qs_arena_alloc(h->arena, sizeof(*cur));
		*cur = s;
		cur->down_members = down;
		qs_vec_push(&h->quorum, cur);
	}
	free(b);
}

void
qs_history_finish(struct qs_history *h)
{
	size_t	i;

	for (i = 1; i < h->leaderless.n; i++) {
		struct hnoleader	*n = h->leaderless.v[i];

		if (n->t == HIST_NO_TIME)
			n->t = h->end;
		if (n->t == h->end)
			h->no_leader_at_end = 1;
	}

	if (!h->timed) {
		hist_voter_spans(h);
		return;
	}
	for (i = 0; i < h->members.n; i++)
		hist_liveness(h, h->members.v[i]);
	hist_terms(h);
	hist_voter_spans(h);
	/* Marks sorted for hist_leaderless_known(); slot 0 is private. */
	if (h->leaderless.n > 2)
		qsort(h->leaderless.v + 1, h->leaderless.n - 1,
		    sizeof(*h->leaderless.v), hist_cmp_noleader);
	hist_sweep(h);
}

const char *
qs_ms_text(int64_t ms, char *buf, size_t len)
{
	struct qs_time	t = { 1, 1, ms };

	return qs_time_format(&t, buf, len);
}

/* "at 2026-11-22T06:16:08.324Z" or "between A and B". */
const char *
qs_mark_text(struct qs_arena *a, const struct qs_mark *m)
{
	char	lo[40], hi[40];

	if (m->hi <= m->lo)
		return qs_arena_printf(a, "at %s", qs_ms_text(m->lo, lo,
		    sizeof(lo)));
	return qs_arena_printf(a, "between %s and %s", qs_ms_text(m->lo, lo,
	    sizeof(lo)), qs_ms_text(m->hi, hi, sizeof(hi)));
}
