/*
 * The swimlane model: which lane every span, term and event is drawn in.
 * Both drawings read it, the HTML report's SVG and the terminal's
 * `timeline -f swimlane`, and it is built from the report's JSON document
 * (the man page's JSON OUTPUT) rather than from the analysis itself, so
 * that a picture can only show what `report -f json` exports.
 *
 * Groups: one per cluster in the document's order, then one for events
 * whose observer belongs to no cluster of their system.  Lanes: the
 * members of the cluster's history in its order, then its other nodes;
 * an event goes to the lane of what it is about (its subject) when that
 * is a lane, else to the lane of the node that saw it.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "quorumscope.h"

#define SL_PAD_MS	500	/* each side of a history that is one instant */

static const char *
sl_str(const cJSON *o, const char *key)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* A JSON time ("2026-12-07T18:36:14.268Z"); -1 when null or unreadable. */
static int
sl_time(const cJSON *v, int64_t *ms)
{
	struct qs_time	t;
	size_t		len;

	if (!cJSON_IsString(v))
		return -1;
	len = strlen(v->valuestring);
	if (qs_time_parse_iso(v->valuestring, len, &t) != (int)len || !t.set)
		return -1;
	*ms = t.ms;
	return 0;
}

/* A boundary { "time", "latest"? }: [lo, hi], or -1 when untimed. */
static int
sl_mark(const cJSON *o, int64_t *lo, int64_t *hi)
{
	if (sl_time(cJSON_GetObjectItemCaseSensitive(o, "time"), lo) != 0)
		return -1;
	if (sl_time(cJSON_GetObjectItemCaseSensitive(o, "latest"), hi) != 0 ||
	    *hi < *lo)
		*hi = *lo;
	return 0;
}

static int
sl_grade(const cJSON *mark)
{
	const char	*g = sl_str(mark, "grade");

	if (g != NULL && strcmp(g, "seen") == 0)
		return QS_GRADE_SEEN;
	if (g != NULL && strcmp(g, "inferred") == 0)
		return QS_GRADE_INFERRED;
	return QS_GRADE_ASSUMED;
}

static int
sl_event_kind(const char *name)
{
	int	k;

	for (k = 0; k < QS_EV_COUNT; k++)
		if (name != NULL && strcmp(qs_event_kind_name(k), name) == 0)
			return k;
	return QS_EV_UPDATE;
}

static int
sl_names_match(const char *a, const char *b)
{
	return a != NULL && b != NULL && *a != '\0' && strcmp(a, b) == 0;
}

/* Does --node keep this lane? Every lane when no name was given. */
static int
sl_lane_kept(const struct qs_sl_filter *f, const char *label,
    const char *node)
{
	size_t	i;

	if (f == NULL || f->nodes == NULL || f->nodes->n == 0)
		return 1;
	for (i = 0; i < f->nodes->n; i++)
		if (sl_names_match(label, f->nodes->v[i]) ||
		    sl_names_match(node, f->nodes->v[i]))
			return 1;
	return 0;
}

static struct qs_sl_lane *
sl_lane_find(const struct qs_sl_group *g, const char *name)
{
	size_t	i;

	for (i = 0; i < g->lanes.n; i++) {
		struct qs_sl_lane	*l = g->lanes.v[i];

		if (sl_names_match(l->node, name) ||
		    sl_names_match(l->label, name))
			return l;
	}
	return NULL;
}

static struct qs_sl_lane *
sl_lane_add(struct qs_swimlane *sw, struct qs_sl_group *g, const char *label,
    const char *node, size_t member)
{
	struct qs_sl_lane	*l = qs_arena_alloc(&sw->arena, sizeof(*l));

	memset(l, 0, sizeof(*l));
	l->label = label;
	l->node = node;
	l->member = member;
	qs_vec_push(&g->lanes, l);
	return l;
}

static struct qs_sl_group *
sl_group_add(struct qs_swimlane *sw, const char *id, const char *name,
    const char *system, size_t cluster)
{
	struct qs_sl_group	*g = qs_arena_alloc(&sw->arena, sizeof(*g));

	memset(g, 0, sizeof(*g));
	g->id = id;
	g->name = name;
	g->system = system;
	g->cluster = cluster;
	qs_vec_push(&sw->groups, g);
	return g;
}

static void
sl_group_extend(struct qs_sl_group *g, int64_t lo, int64_t hi)
{
	if (!g->timed) {
		g->t0 = lo;
		g->t1 = hi;
		g->timed = 1;
		return;
	}
	if (lo < g->t0)
		g->t0 = lo;
	if (hi > g->t1)
		g->t1 = hi;
}

/* The history's members, liveness, terms and quorum stretches. */
static void
sl_group_history(struct qs_swimlane *sw, struct qs_sl_group *g,
    const cJSON *h, const struct qs_sl_filter *f)
{
	const cJSON	*members, *m, *live, *s, *terms, *t, *q;
	int64_t		 lo, hi;
	size_t		 mi = 0, si, ti = 0, qi = 0;

	if (sl_time(cJSON_GetObjectItemCaseSensitive(h, "begin"), &lo) == 0 &&
	    sl_time(cJSON_GetObjectItemCaseSensitive(h, "end"), &hi) == 0)
		sl_group_extend(g, lo, hi < lo ? lo : hi);
	members = cJSON_GetObjectItemCaseSensitive(h, "members");
	cJSON_ArrayForEach(m, members) {
		const char		*label = sl_str(m, "label");
		const char		*node = sl_str(m, "node");
		struct qs_sl_lane	*l;

		if (label == NULL || !sl_lane_kept(f, label, node)) {
			mi++;
			continue;
		}
		l = sl_lane_add(sw, g, label, node, mi++);
		live = cJSON_GetObjectItemCaseSensitive(m, "liveness");
		si = 0;
		cJSON_ArrayForEach(s, live) {
			struct qs_sl_span	*sp;
			const char		*state = sl_str(s, "state");
			int64_t			 a, ah, b, bh;

			if (sl_mark(cJSON_GetObjectItemCaseSensitive(s, "from"),
			    &a, &ah) != 0 || sl_mark(
			    cJSON_GetObjectItemCaseSensitive(s, "to"), &b,
			    &bh) != 0) {
				si++;
				continue;
			}
			sp = qs_arena_alloc(&sw->arena, sizeof(*sp));
			sp->state = state == NULL ? QS_LIVE_UNKNOWN :
			    strcmp(state, "up") == 0 ? QS_LIVE_UP :
			    strcmp(state, "down") == 0 ? QS_LIVE_DOWN :
			    QS_LIVE_UNKNOWN;
			sp->from = a;
			sp->from_hi = ah;
			sp->to = b < a ? a : b;
			sp->to_hi = bh < sp->to ? sp->to : bh;
			sp->from_grade = sl_grade(cJSON_GetObjectItemCaseSensitive(
			    s, "from"));
			sp->to_grade = sl_grade(cJSON_GetObjectItemCaseSensitive(
			    s, "to"));
			sp->index = si++;
			qs_vec_push(&l->spans, sp);
			sl_group_extend(g, sp->from, sp->to_hi);
		}
	}
	terms = cJSON_GetObjectItemCaseSensitive(h, "leadership");
	cJSON_ArrayForEach(t, terms) {
		struct qs_sl_lane	*l = sl_lane_find(g, sl_str(t,
		    "leader"));
		struct qs_sl_term	*tm;
		const cJSON		*num;
		int64_t			 a, ah, b, bh;

		if (l == NULL || sl_mark(cJSON_GetObjectItemCaseSensitive(t,
		    "from"), &a, &ah) != 0 || sl_mark(
		    cJSON_GetObjectItemCaseSensitive(t, "to"), &b, &bh) != 0) {
			ti++;
			continue;
		}
		tm = qs_arena_alloc(&sw->arena, sizeof(*tm));
		tm->from = a;
		tm->from_hi = ah;
		tm->to = b < a ? a : b;
		tm->to_hi = bh < tm->to ? tm->to : bh;
		num = cJSON_GetObjectItemCaseSensitive(t, "term");
		tm->term = cJSON_IsNumber(num) ? qs_arena_printf(&sw->arena,
		    "%.0f", num->valuedouble) : NULL;
		tm->index = ti++;
		qs_vec_push(&l->terms, tm);
		sl_group_extend(g, tm->from, tm->to_hi);
	}
	cJSON_ArrayForEach(q, cJSON_GetObjectItemCaseSensitive(h, "quorum")) {
		struct qs_sl_quorum	*qs;
		const char		*state = sl_str(q, "state");

		if (sl_time(cJSON_GetObjectItemCaseSensitive(q, "from"), &lo) !=
		    0 || sl_time(cJSON_GetObjectItemCaseSensitive(q, "to"),
		    &hi) != 0) {
			qi++;
			continue;
		}
		qs = qs_arena_alloc(&sw->arena, sizeof(*qs));
		qs->state = state != NULL && strcmp(state, "held") == 0 ? 1 :
		    state != NULL && strcmp(state, "lost") == 0 ? 2 : 0;
		qs->from = lo;
		qs->to = hi < lo ? lo : hi;
		qs->leader = sl_str(q, "leader");
		qs->index = qi++;
		qs_vec_push(&g->quorum, qs);
		sl_group_extend(g, qs->from, qs->to);
	}
}

/*
 * The group of an event: the cluster of its system that holds the node
 * that saw it, else the one that holds what it is about; NULL: neither.
 */
static struct qs_sl_group *
sl_event_group(struct qs_sl_group **byc, const cJSON *clusters,
    const char *system, const char *observer, const char *subject)
{
	const cJSON	*c, *n;
	size_t		 i;
	int		 pass;

	for (pass = 0; pass < 2; pass++) {
		i = 0;
		cJSON_ArrayForEach(c, clusters) {
			const char	*want = pass == 0 ? observer : subject;

			if (sl_names_match(sl_str(c, "system"), system))
				cJSON_ArrayForEach(n,
				    cJSON_GetObjectItemCaseSensitive(c, "nodes"))
					if (cJSON_IsString(n) && sl_names_match(
					    n->valuestring, want))
						return byc[i];
			i++;
		}
	}
	return NULL;
}

/* The lane of an event: its subject's, else its observer's, else new. */
static struct qs_sl_lane *
sl_event_lane(struct qs_swimlane *sw, struct qs_sl_group *g,
    const struct qs_sl_filter *f, const char *observer, const char *subject)
{
	struct qs_sl_lane	*l;

	if ((l = sl_lane_find(g, subject)) != NULL)
		return l;
	if (observer == NULL || *observer == '\0')
		observer = QS_BUNDLE_NODE;
	if ((l = sl_lane_find(g, observer)) != NULL)
		return l;
	if (!sl_lane_kept(f, observer, observer))
		return NULL;
	return sl_lane_add(sw, g, observer, strcmp(observer,
	    QS_BUNDLE_NODE) != 0 ? observer : NULL, SIZE_MAX);
}

static int
sl_in_range(const struct qs_sl_filter *f, int64_t t)
{
	if (f == NULL)
		return 1;
	if (f->since.set && t < f->since.ms)
		return 0;
	if (f->until.set && t > f->until.ms)
		return 0;
	return 1;
}

void
qs_swimlane_build(struct qs_swimlane *sw, const cJSON *report,
    const struct qs_sl_filter *f)
{
	const cJSON		*clusters, *c, *h, *n, *e, *sk;
	struct qs_sl_group	**byc, *g, *other = NULL;
	struct qs_sl_lane	*l;
	struct qs_vec		 kept = { 0 };
	size_t			 i, j, nc;

	memset(sw, 0, sizeof(*sw));
	clusters = cJSON_GetObjectItemCaseSensitive(report, "clusters");
	nc = (size_t)cJSON_GetArraySize(clusters);
	byc = qs_xcalloc(nc + 1, sizeof(*byc));
	i = 0;
	cJSON_ArrayForEach(c, clusters) {
		const char	*id = sl_str(c, "id");

		g = byc[i] = sl_group_add(sw, id != NULL ? id : "?",
		    sl_str(c, "name"), sl_str(c, "system"), i);
		h = cJSON_GetObjectItemCaseSensitive(c, "history");
		if (cJSON_IsObject(h)) {
			g->has_history = 1;
			sl_group_history(sw, g, h, f);
		}
		/* Nodes of the cluster the history does not name. */
		cJSON_ArrayForEach(n, cJSON_GetObjectItemCaseSensitive(c,
		    "nodes"))
			if (cJSON_IsString(n) && sl_lane_find(g,
			    n->valuestring) == NULL && sl_lane_kept(f,
			    n->valuestring, n->valuestring))
				sl_lane_add(sw, g, n->valuestring,
				    n->valuestring, SIZE_MAX);
		i++;
	}

	i = 0;
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(report,
	    "timeline")) {
		const char		*system = sl_str(e, "system");
		const char		*observer = sl_str(e, "node");
		const char		*subject = sl_str(e, "subject");
		struct qs_sl_mark	*mk;
		int64_t			 t = 0;
		int			 timed;

		timed = sl_time(cJSON_GetObjectItemCaseSensitive(e, "time"),
		    &t) == 0;
		if ((f != NULL && f->keep != NULL && !f->keep[i]) ||
		    (timed && !sl_in_range(f, t))) {
			i++;
			continue;
		}
		if ((g = sl_event_group(byc, clusters, system, observer,
		    subject)) == NULL) {
			if (other == NULL)
				other = sl_group_add(sw, "other", "Events "
				    "outside every cluster", NULL, SIZE_MAX);
			g = other;
		}
		if ((l = sl_event_lane(sw, g, f, observer, subject)) == NULL) {
			i++;
			continue;
		}
		mk = qs_arena_alloc(&sw->arena, sizeof(*mk));
		mk->t = t;
		mk->timed = timed;
		mk->kind = sl_event_kind(sl_str(e, "event"));
		mk->entry = i++;
		mk->lane = l->label;
		if (timed) {
			qs_vec_push(&l->marks, mk);
			sl_group_extend(g, t, t);
			sw->marks++;
		} else {
			qs_vec_push(&g->untimed, mk);
			sw->untimed++;
		}
	}

	cJSON_ArrayForEach(sk, cJSON_GetObjectItemCaseSensitive(report,
	    "clock_skew")) {
		const cJSON	*ms = cJSON_GetObjectItemCaseSensitive(sk,
		    "offset_ms");
		const cJSON	*samples = cJSON_GetObjectItemCaseSensitive(sk,
		    "samples");

		for (i = 0; i < sw->groups.n && cJSON_IsNumber(ms); i++) {
			g = sw->groups.v[i];
			for (j = 0; j < g->lanes.n; j++) {
				l = g->lanes.v[j];
				if (!sl_names_match(l->node, sl_str(sk, "node")))
					continue;
				l->has_skew = 1;
				l->skew_ms = (int64_t)ms->valuedouble;
				l->skew_samples = cJSON_IsNumber(samples) ?
				    (size_t)samples->valuedouble : 0;
			}
		}
	}

	/* --since and --until frame the picture; an instant gets a width. */
	for (i = 0; i < sw->groups.n; i++) {
		g = sw->groups.v[i];
		if (g->lanes.n == 0 && g->untimed.n == 0)
			continue;
		if (f != NULL && f->since.set && (!g->timed ||
		    g->t0 < f->since.ms)) {
			g->t0 = f->since.ms;
			if (!g->timed)
				g->t1 = g->t0;
			g->timed = 1;
		}
		if (f != NULL && f->until.set && (!g->timed ||
		    g->t1 > f->until.ms)) {
			g->t1 = f->until.ms;
			if (!g->timed)
				g->t0 = g->t1;
			g->timed = 1;
		}
		if (g->timed && g->t1 <= g->t0) {
			g->t0 -= SL_PAD_MS;
			g->t1 = g->t0 + 2 * SL_PAD_MS;
		}
		qs_vec_push(&kept, g);
	}
	qs_vec_free(&sw->groups);
	sw->groups = kept;
	free(byc);
}

void
qs_swimlane_free(struct qs_swimlane *sw)
{
	size_t	i, j;

	for (i = 0; i < sw->groups.n; i++) {
		struct qs_sl_group	*g = sw->groups.v[i];

		for (j = 0; j < g->lanes.n; j++) {
			struct qs_sl_lane	*l = g->lanes.v[j];

			qs_vec_free(&l->spans);
			qs_vec_free(&l->terms);
			qs_vec_free(&l->marks);
		}
		qs_vec_free(&g->lanes);
		qs_vec_free(&g->quorum);
		qs_vec_free(&g->untimed);
	}
	qs_vec_free(&sw->groups);
	qs_arena_free(&sw->arena);
}

/* Steps a time axis may take, the largest that gives at most n ticks. */
int64_t
qs_sl_tick_step(int64_t span, int n)
{
	static const int64_t	steps[] = {
		1, 2, 5, 10, 20, 50, 100, 200, 500,
		1000, 2000, 5000, 10000, 15000, 30000,
		60000, 120000, 300000, 600000, 900000, 1800000,
		3600000, 7200000, 10800000, 21600000, 43200000,
		86400000, 172800000, 604800000, 2592000000LL, 31536000000LL
	};
	size_t			i;

	if (n < 1)
		n = 1;
	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
		if (span / steps[i] < n)
			return steps[i];
	return steps[sizeof(steps) / sizeof(steps[0]) - 1];
}

/*
 * A tick's label, as precise as the step needs: "18:36:14.250",
 * "18:36:15", "18:36", or the date for steps of a day and more; `full`
 * puts the date and the zone before it (the first tick).
 */
const char *
qs_sl_tick_label(int64_t t, int64_t step, int full, char *buf, size_t len)
{
	struct qs_time	tm = { 1, 1, t };
	char		iso[40];
	size_t		from = 11, to;

	qs_time_format(&tm, iso, sizeof(iso));
	if (step >= 86400000) {
		from = 0;
		to = 10;
	} else
		to = step < 1000 ? 23 : step < 60000 ? 19 : 16;
	if (full && from == 11)
		snprintf(buf, len, "%.10s %.*sZ", iso, (int)(to - from),
		    iso + from);
	else
		snprintf(buf, len, "%.*s", (int)(to - from), iso + from);
	return buf;
}
