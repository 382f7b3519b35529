/*
 * One history from every node's events.
 *
 * Merging: two observations are one event when they agree on system,
 * kind and subject (the node the event is about; for an event about the
 * observer itself, the observer), do not disagree on the term, and either
 * both carry times less than QS_TL_WINDOW apart or neither carries a time
 * and their logical clocks are equal.  A join that every member logs, or
 * "entering leader state" on the leader and "New leader elected" on the
 * followers, becomes one entry with several observers.
 *
 * Order: timed entries by time; untimed ones after them by term, index,
 * Lamport clock and zxid; ties by observer name and evidence, so that the
 * output never depends on input order or hash layout.
 *
 * Clock skew: for every entry seen with times by several nodes, each
 * observer's offset from the median time is a sample; a node's skew is the
 * median of its samples, reported from one second up.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "quorumscope.h"

#define QS_TL_WINDOW	2000	/* ms: the same event on several nodes */
#define QS_SKEW_MIN	1000	/* ms: smaller offsets are not reported */
#define QS_TL_SCAN	4096	/* entries searched for a merge at most */

static int
tl_cmp_i64(int64_t a, int64_t b)
{
	return a < b ? -1 : a > b;
}

static int
tl_cmp_u64(uint64_t a, uint64_t b)
{
	return a < b ? -1 : a > b;
}

static const char *
tl_node_name(const struct qs_node *n)
{
	return n != NULL ? n->name : "";
}

/* The total order on single observations. */
static int
tl_cmp_event(const struct qs_event *a, const struct qs_event *b)
{
	int	c;

	if (a->time.set != b->time.set)
		return a->time.set ? -1 : 1;
	if (a->time.set && (c = tl_cmp_i64(a->time.ms, b->time.ms)) != 0)
		return c;
	if ((c = tl_cmp_u64(a->clock.term, b->clock.term)) != 0)
		return c;
	if ((c = tl_cmp_u64(a->clock.index, b->clock.index)) != 0)
		return c;
	if ((c = tl_cmp_u64(a->clock.lamport, b->clock.lamport)) != 0)
		return c;
	if ((c = tl_cmp_u64(a->clock.zxid, b->clock.zxid)) != 0)
		return c;
	if ((c = strcmp(tl_node_name(a->observer),
	    tl_node_name(b->observer))) != 0)
		return c;
	if (a->ev.artifact != NULL && b->ev.artifact != NULL &&
	    (c = strcmp(a->ev.artifact->member, b->ev.artifact->member)) != 0)
		return c;
	if ((c = tl_cmp_u64(a->ev.line, b->ev.line)) != 0)
		return c;
	return tl_cmp_u64(a->ev.offset, b->ev.offset);
}

static int
tl_qsort_event(const void *a, const void *b)
{
	return tl_cmp_event(*(const struct qs_event *const *)a,
	    *(const struct qs_event *const *)b);
}

static int
tl_qsort_entry(const void *a, const void *b)
{
	return tl_cmp_event((*(const struct qs_tl_entry *const *)a)->event,
	    (*(const struct qs_tl_entry *const *)b)->event);
}

static int
tl_same_subject(const struct qs_event *a, const struct qs_event *b)
{
	if (a->subject_node != NULL || b->subject_node != NULL)
		return a->subject_node == b->subject_node;
	if (a->subject == NULL || b->subject == NULL)
		return a->subject == b->subject;
	return strcmp(a->subject, b->subject) == 0;
}

/* May observation e join the entry whose first observation is f? */
static int
tl_mergeable(const struct qs_event *f, const struct qs_event *e)
{
	if (f->system != e->system || f->kind != e->kind ||
	    !tl_same_subject(f, e))
		return 0;
	if ((f->clock.set & e->clock.set & QS_CLOCK_TERM) &&
	    f->clock.term != e->clock.term)
		return 0;
	if (f->time.set && e->time.set)
		return e->time.ms - f->time.ms <= QS_TL_WINDOW;
	if (f->time.set || e->time.set)
		return 0;
	return f->clock.set != 0 && f->clock.set == e->clock.set &&
	    f->clock.term == e->clock.term &&
	    f->clock.index == e->clock.index &&
	    f->clock.lamport == e->clock.lamport &&
	    f->clock.zxid == e->clock.zxid;
}

static void
tl_add_observer(struct qs_tl_entry *t, struct qs_node *n)
{
	size_t	i;

	if (n == NULL)
		return;
	for (i = 0; i < t->observers.n; i++)
		if (t->observers.v[i] == n)
			return;
	qs_vec_push(&t->observers, n);
}

static int
tl_qsort_i64(const void *a, const void *b)
{
	return tl_cmp_i64(*(const int64_t *)a, *(const int64_t *)b);
}

/* Median offsets per node from entries several nodes saw with times. */
static void
tl_skews(struct qs_run *run, struct qs_timeline *tl)
{
	size_t		 i, j, k, nn = run->nodes.n, ns;
	int64_t		**samples, *times;
	size_t		*counts;

	if (nn == 0)
		return;
	samples = qs_xcalloc(nn, sizeof(*samples));
	counts = qs_xcalloc(nn, sizeof(*counts));
	for (i = 0; i < tl->entries.n; i++) {
		struct qs_tl_entry	*t = tl->entries.v[i];
		int64_t			 median;

		if (t->observers.n < 2 || !t->event->time.set)
			continue;
		times = qs_xcalloc(t->seen.n, sizeof(*times));
		for (j = ns = 0; j < t->seen.n; j++) {
			struct qs_event	*e = t->seen.v[j];

			if (e->time.set)
				times[ns++] = e->time.ms;
		}
		qsort(times, ns, sizeof(*times), tl_qsort_i64);
		median = times[ns / 2];
		free(times);
		for (j = 0; j < t->seen.n; j++) {
			struct qs_event	*e = t->seen.v[j];

			for (k = 0; k < nn; k++)
				if (run->nodes.v[k] == e->observer)
					break;
			if (k == nn || !e->time.set)
				continue;
			samples[k] = qs_xreallocarray(samples[k], counts[k] + 1,
			    sizeof(**samples));
			samples[k][counts[k]++] = e->time.ms - median;
		}
	}
	for (k = 0; k < nn; k++) {
		struct qs_skew	*sk;
		int64_t		 m;

		if (counts[k] < 2) {
			free(samples[k]);
			continue;
		}
		qsort(samples[k], counts[k], sizeof(**samples), tl_qsort_i64);
		m = samples[k][counts[k] / 2];
		free(samples[k]);
		if (m > -QS_SKEW_MIN && m < QS_SKEW_MIN)
			continue;
		sk = qs_arena_alloc(&run->arena, sizeof(*sk));
		sk->node = run->nodes.v[k];
		sk->ms = m;
		sk->samples = counts[k];
		qs_vec_push(&tl->skews, sk);
	}
	free(samples);
	free(counts);
}

void
qs_timeline_build(struct qs_run *run, struct qs_timeline *tl)
{
	struct qs_event	**ev;
	size_t		  i, j, n = run->events.n, open = 0;
	int		  untimed = 0;

	memset(tl, 0, sizeof(*tl));
	if (n == 0)
		return;
	ev = qs_xcalloc(n, sizeof(*ev));
	memcpy(ev, run->events.v, n * sizeof(*ev));
	qsort(ev, n, sizeof(*ev), tl_qsort_event);

	for (i = 0; i < n; i++) {
		struct qs_tl_entry	*t = NULL;

		/*
		 * Entries still open for merging: timed ones within the
		 * window (the list is in time order), untimed ones all.
		 */
		if (!ev[i]->time.set && !untimed) {
			untimed = 1;
			open = tl->entries.n;
		}
		while (open < tl->entries.n) {
			struct qs_event	*f = ((struct qs_tl_entry *)
			    tl->entries.v[open])->event;

			if (ev[i]->time.set && f->time.set &&
			    ev[i]->time.ms - f->time.ms > QS_TL_WINDOW)
				open++;
			else
				break;
		}
		/* Untimed entries stay open; look at the recent ones only. */
		if (tl->entries.n - open > QS_TL_SCAN)
			open = tl->entries.n - QS_TL_SCAN;
		for (j = open; j < tl->entries.n && t == NULL; j++) {
			struct qs_tl_entry	*c = tl->entries.v[j];

			if (tl_mergeable(c->event, ev[i]))
				t = c;
		}
		if (t == NULL) {
			t = qs_arena_alloc(&run->arena, sizeof(*t));
			t->event = ev[i];
			qs_vec_push(&tl->entries, t);
		}
		qs_vec_push(&t->seen, ev[i]);
		tl_add_observer(t, ev[i]->observer);
	}
	free(ev);
	/*
	 * An event a node reports about itself (the leader's own "entering
	 * leader state") speaks for the entry: it carries the term, which
	 * the others' "new leader elected" lines lack.
	 */
	for (i = 0; i < tl->entries.n; i++) {
		struct qs_tl_entry	*t = tl->entries.v[i];

		for (j = 0; j < t->seen.n; j++) {
			struct qs_event	*e = t->seen.v[j], *b = t->event;
			int		 self_e, self_b;

			self_e = e->observer != NULL &&
			    e->observer == e->subject_node;
			self_b = b->observer != NULL &&
			    b->observer == b->subject_node;
			if (self_e > self_b || (self_e == self_b &&
			    __builtin_popcount(e->clock.set) >
			    __builtin_popcount(b->clock.set)))
				t->event = e;
		}
	}
	qsort(tl->entries.v, tl->entries.n, sizeof(*tl->entries.v),
	    tl_qsort_entry);
	tl_skews(run, tl);
}

void
qs_timeline_free(struct qs_timeline *tl)
{
	size_t	i;

	for (i = 0; i < tl->entries.n; i++) {
		struct qs_tl_entry	*t = tl->entries.v[i];

		qs_vec_free(&t->seen);
		qs_vec_free(&t->observers);
	}
	qs_vec_free(&tl->entries);
	qs_vec_free(&tl->skews);
}
