/*
 * quorumscope timeline BUNDLE...: every node's events as one history,
 * the same event seen by several nodes shown once with its observers.
 * Filters: --node NAME (observer or subject), --event KIND[,KIND],
 * --since TIME, --until TIME.  Text, JSON (the report's timeline array),
 * CSV, or swimlanes: one row per node over time, fitted to the terminal.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "quorumscope.h"

/*
 * A CSV field: escaped as text output is (control characters and bytes
 * that are not UTF-8 as \xNN), quoted when it holds a comma or quote.
 */
static void
timeline_csv_field(FILE *f, const char *raw, int last)
{
	struct qs_arena	 a = { NULL };
	const char	*p, *s = qs_escape(&a, raw);

	if (strpbrk(s, ",\"\r\n") == NULL)
		fputs(s, f);
	else {
		fputc('"', f);
		for (p = s; *p != '\0'; p++) {
			if (*p == '"')
				fputc('"', f);
			fputc(*p, f);
		}
		fputc('"', f);
	}
	fputc(last ? '\n' : ',', f);
	qs_arena_free(&a);
}

static const char *
timeline_clock(struct qs_arena *a, const struct qs_event *e)
{
	const char	*s = "";

	if (e->clock.set & QS_CLOCK_TERM)
		s = qs_arena_printf(a, "term %llu",
		    (unsigned long long)e->clock.term);
	if (e->clock.set & QS_CLOCK_INDEX)
		s = qs_arena_printf(a, "%s%sindex %llu", s, *s ? " " : "",
		    (unsigned long long)e->clock.index);
	if (e->clock.set & QS_CLOCK_LAMPORT)
		s = qs_arena_printf(a, "%s%slamport %llu", s, *s ? " " : "",
		    (unsigned long long)e->clock.lamport);
	if (e->clock.set & QS_CLOCK_ZXID)
		s = qs_arena_printf(a, "%s%szxid 0x%llx", s, *s ? " " : "",
		    (unsigned long long)e->clock.zxid);
	return s;
}

static const char *
timeline_observers(struct qs_arena *a, const struct qs_tl_entry *t)
{
	const char	*s = "";
	size_t		 i;

	for (i = 0; i < t->observers.n; i++)
		s = qs_arena_printf(a, "%s%s%s", s, i > 0 ? " " : "",
		    ((struct qs_node *)t->observers.v[i])->name);
	return s;
}

/*
 * The swimlane in text: the lanes of swimlane.c, one row per lane, one
 * column per slice of time.  A cell shows the event of highest rank in its
 * slice, else the member's state: down wins over up, so that a short
 * outage stays visible however wide the slice.
 */
#define SWIM_LABEL_MAX	22	/* label column, skew included */
#define SWIM_MIN_PLOT	20

static const struct {
	int		 kind;
	char		 c;
	const char	*color;
} swim_events[] = {	/* by rank: the first one present in a cell wins */
	{ QS_EV_FAIL,		'F', "\033[1;31m" },
	{ QS_EV_STOP,		'X', "\033[1;31m" },
	{ QS_EV_LEADER_ELECTED,	'E', "\033[1;33m" },
	{ QS_EV_REAP,		'R', "\033[1;35m" },
	{ QS_EV_MEMBER_REMOVE,	'-', "\033[1;35m" },
	{ QS_EV_MEMBER_ADD,	'+', "\033[1;36m" },
	{ QS_EV_LEAVE,		'l', "\033[1;34m" },
	{ QS_EV_JOIN,		'j', "\033[1;32m" },
	{ QS_EV_START,		'S', "\033[1;32m" },
	{ QS_EV_BOOTSTRAP,	'B', "\033[1;34m" },
	{ QS_EV_CONFIG_CHANGE,	'C', "\033[1;36m" },
	{ QS_EV_LEADER_LOST,	'e', "\033[33m" },
	{ QS_EV_ELECTION_START,	'v', "\033[33m" },
	{ QS_EV_TERM_CHANGE,	't', "\033[33m" },
	{ QS_EV_UPDATE,		'u', "\033[37m" },
};
#define SWIM_NEVENTS	(sizeof(swim_events) / sizeof(swim_events[0]))

/* Cell states below the events, by rank too. */
enum swim_state { SWIM_NONE, SWIM_UNKNOWN, SWIM_UP, SWIM_LEADER, SWIM_DOWN };
static const char	swim_state_char[] = " .=#_";
static const char *const swim_state_color[] = {
	"", "\033[2m", "\033[32m", "\033[1;33m", "\033[31m"
};

struct swim_row {
	char		*cells;		/* the character of each column */
	const char	**colors;	/* its colour, "" for none */
};

static size_t
swim_col(int64_t t, int64_t t0, int64_t t1, size_t cols)
{
	double	x;

	if (t <= t0)
		return 0;
	if (t >= t1)
		return cols - 1;
	x = (double)(t - t0) / (double)(t1 - t0) * (double)cols;
	return x >= (double)cols ? cols - 1 : (size_t)x;
}

static void
swim_state(struct swim_row *r, size_t cols, int64_t t0, int64_t t1,
    int64_t from, int64_t to, enum swim_state st)
{
	size_t	a, b, i;

	if (to < t0 || from > t1)
		return;
	a = swim_col(from, t0, t1, cols);
	/* A span ending exactly on a column's start does not reach it. */
	b = swim_col(to, t0, t1, cols);
	if (b > a && to > from && swim_col(to - 1, t0, t1, cols) < b)
		b--;
	for (i = a; i <= b; i++)
		if ((enum swim_state)(strchr(swim_state_char, r->cells[i]) -
		    swim_state_char) < st) {
			r->cells[i] = swim_state_char[st];
			r->colors[i] = swim_state_color[st];
		}
}

static size_t
swim_rank(char c)
{
	size_t	i;

	for (i = 0; i < SWIM_NEVENTS; i++)
		if (swim_events[i].c == c)
			return i;
	return SWIM_NEVENTS;
}

static void
swim_event(struct swim_row *r, size_t col, int kind)
{
	size_t	i;

	for (i = 0; i < SWIM_NEVENTS; i++)
		if (swim_events[i].kind == kind)
			break;
	if (i == SWIM_NEVENTS || swim_rank(r->cells[col]) <= i)
		return;
	r->cells[col] = swim_events[i].c;
	r->colors[col] = swim_events[i].color;
}

static void
swim_print_row(const struct qs_globals *g, const char *label, size_t lw,
    const struct swim_row *r, size_t cols)
{
	const char	*cur = "";
	size_t		 i, n = cols;

	/* No trailing blanks: they only make the output harder to diff. */
	while (n > 0 && r->cells[n - 1] == ' ')
		n--;
	if (n == 0) {
		printf("%.*s\n", (int)lw, label);
		return;
	}
	printf("%-*.*s ", (int)lw, (int)lw, label);
	for (i = 0; i < n; i++) {
		if (g->use_color && strcmp(cur, r->colors[i]) != 0) {
			fputs(*cur != '\0' ? "\033[0m" : "", stdout);
			fputs(r->colors[i], stdout);
			cur = r->colors[i];
		}
		putchar(r->cells[i]);
	}
	if (g->use_color && *cur != '\0')
		fputs("\033[0m", stdout);
	putchar('\n');
}

static void
swim_row_reset(struct swim_row *r, size_t cols)
{
	size_t	i;

	memset(r->cells, ' ', cols);
	r->cells[cols] = '\0';
	for (i = 0; i < cols; i++)
		r->colors[i] = "";
}

/*
 * The longest suffix after a dot that every label of the group shares
 * ("." + domain), so that "coord-1.dc2.example.net" fits as "coord-1".
 */
static size_t
swim_common_suffix(const struct qs_sl_group *gr)
{
	const char	*first, *p;
	size_t		 i, best = 0;

	if (gr->lanes.n < 2)
		return 0;
	first = ((struct qs_sl_lane *)gr->lanes.v[0])->label;
	for (p = strchr(first, '.'); p != NULL && best == 0;
	    p = strchr(p + 1, '.')) {
		size_t	len = strlen(p);

		for (i = 1; i < gr->lanes.n; i++) {
			const char	*l = ((struct qs_sl_lane *)
			    gr->lanes.v[i])->label;
			size_t		 ll = strlen(l);

			if (ll <= len || strcmp(l + ll - len, p) != 0)
				break;
		}
		if (i == gr->lanes.n)
			best = len;
	}
	return best;
}

static const char *
swim_skew(struct qs_arena *a, const struct qs_sl_lane *l)
{
	if (!l->has_skew)
		return "";
	return qs_arena_printf(a, " %+.1fs", (double)l->skew_ms / 1000);
}

static void
swim_axis(const struct qs_sl_group *gr, size_t lw, size_t cols)
{
	char		*line = qs_xmalloc(cols + 1);
	char		 label[48];
	int64_t		 step, t;
	size_t		 c, n, last = 0;
	int		 any = 0;

	memset(line, ' ', cols);
	line[cols] = '\0';
	step = qs_sl_tick_step(gr->t1 - gr->t0, (int)(cols / 13) + 1);
	t = gr->t0 % step == 0 ? gr->t0 : gr->t0 - (gr->t0 % step + step) %
	    step + step;
	for (; t <= gr->t1; t += step) {
		c = swim_col(t, gr->t0, gr->t1, cols);
		qs_sl_tick_label(t, step, 0, label, sizeof(label));
		n = strlen(label) + 1;
		if ((any && c < last + 1) || c + n > cols)
			continue;
		line[c] = '|';
		memcpy(line + c + 1, label, n - 1);
		last = c + n;
		any = 1;
	}
	n = cols;
	while (n > 0 && line[n - 1] == ' ')
		n--;
	printf("%*s %.*s\n", (int)lw, "", (int)n, line);
	free(line);
}

static void
swim_group(const struct qs_globals *g, struct qs_arena *a,
    const struct qs_sl_group *gr, int width)
{
	struct swim_row	 r;
	size_t		 lw = 7, cols, i, j, suffix, len;
	char		 t0[40], t1[40];
	struct qs_time	 ta = { 1, 1, gr->t0 }, tb = { 1, 1, gr->t1 };
	double		 per;

	suffix = swim_common_suffix(gr);
	for (i = 0; i < gr->lanes.n; i++) {
		const struct qs_sl_lane	*l = gr->lanes.v[i];

		len = strlen(qs_escape(a, l->label)) - suffix +
		    strlen(swim_skew(a, l));
		if (len > lw)
			lw = len;
	}
	if (gr->untimed.n > 0 && lw < 7)
		lw = 7;
	if (lw > SWIM_LABEL_MAX)
		lw = SWIM_LABEL_MAX;
	cols = (size_t)width > lw + 1 + SWIM_MIN_PLOT ? (size_t)width - lw -
	    1 : SWIM_MIN_PLOT;
	r.cells = qs_xmalloc(cols + 1);
	r.colors = qs_xcalloc(cols, sizeof(*r.colors));

	printf("%s%s%s: %s", g->use_color ? "\033[1m" : "", qs_escape(a,
	    gr->id), g->use_color ? "\033[0m" : "", gr->name != NULL ?
	    qs_escape(a, gr->name) : "");
	if (suffix > 0)
		printf(" (names end in %s)", qs_escape(a,
		    ((struct qs_sl_lane *)gr->lanes.v[0])->label +
		    strlen(((struct qs_sl_lane *)gr->lanes.v[0])->label) -
		    suffix));
	putchar('\n');
	if (gr->timed) {
		qs_time_format(&ta, t0, sizeof(t0));
		qs_time_format(&tb, t1, sizeof(t1));
		per = (double)(gr->t1 - gr->t0) / (double)cols / 1000;
		printf("  %s to %s, %.*f s a column\n", t0, strncmp(t0, t1,
		    11) == 0 ? t1 + 11 : t1, per < 1 ? 3 : per < 10 ? 1 : 0,
		    per);
	}
	if (!gr->timed && gr->lanes.n > 0)
		printf("  (no time in its evidence: its lanes are empty)\n");
	else if (!gr->has_history && gr->lanes.n > 0)
		printf("  (no liveness history for this cluster: events "
		    "only)\n");

	if (gr->lanes.n > 0 || gr->quorum.n > 0) {
		if (gr->timed)
			swim_axis(gr, lw, cols);
		if (gr->quorum.n > 0) {
			swim_row_reset(&r, cols);
			for (i = 0; i < gr->quorum.n; i++) {
				const struct qs_sl_quorum *q = gr->quorum.v[i];
				size_t			   a0, b0, k;
				char			   c;
				const char		  *color;

				c = q->state == 2 ? '!' : q->state == 0 ? '.' :
				    q->leader != NULL ? '=' : '-';
				color = q->state == 2 ? "\033[1;31m" :
				    q->state == 0 ? "\033[2m" : q->leader !=
				    NULL ? "\033[32m" : "\033[33m";
				if (q->to < gr->t0 || q->from > gr->t1)
					continue;
				a0 = swim_col(q->from, gr->t0, gr->t1, cols);
				b0 = swim_col(q->to, gr->t0, gr->t1, cols);
				if (b0 > a0 && swim_col(q->to - 1, gr->t0,
				    gr->t1, cols) < b0)
					b0--;
				/* Lost wins a shared column, then held. */
				for (k = a0; k <= b0; k++)
					if (r.cells[k] == ' ' || r.cells[k] ==
					    '.' || c == '!') {
						r.cells[k] = c;
						r.colors[k] = color;
					}
			}
			swim_print_row(g, "quorum", lw, &r, cols);
		}
		for (i = 0; i < gr->lanes.n; i++) {
			const struct qs_sl_lane	*l = gr->lanes.v[i];
			const char		*esc = qs_escape(a, l->label);
			const char		*label;

			swim_row_reset(&r, cols);
			for (j = 0; j < l->spans.n; j++) {
				const struct qs_sl_span *sp = l->spans.v[j];

				swim_state(&r, cols, gr->t0, gr->t1, sp->from,
				    sp->to, sp->state == QS_LIVE_UP ? SWIM_UP :
				    sp->state == QS_LIVE_DOWN ? SWIM_DOWN :
				    SWIM_UNKNOWN);
			}
			for (j = 0; j < l->terms.n; j++) {
				const struct qs_sl_term *tm = l->terms.v[j];
				size_t			 k;

				/* Leading shows only where it is up. */
				for (k = swim_col(tm->from, gr->t0, gr->t1,
				    cols); k <= swim_col(tm->to, gr->t0,
				    gr->t1, cols) && tm->to >= gr->t0 &&
				    tm->from <= gr->t1; k++)
					if (r.cells[k] == '=') {
						r.cells[k] = '#';
						r.colors[k] =
						    swim_state_color[SWIM_LEADER];
					}
			}
			for (j = 0; j < l->marks.n; j++) {
				const struct qs_sl_mark	*m = l->marks.v[j];

				swim_event(&r, swim_col(m->t, gr->t0, gr->t1,
				    cols), m->kind);
			}
			len = strlen(esc) - (strlen(esc) >= suffix +
			    1 && strcmp(esc, l->label) == 0 ? suffix : 0);
			label = qs_arena_printf(a, "%.*s%s", (int)len, esc,
			    swim_skew(a, l));
			if (strlen(label) > lw)
				label = qs_arena_printf(a, "%.*s~%s",
				    (int)(lw - 1 - strlen(swim_skew(a, l))),
				    esc, swim_skew(a, l));
			swim_print_row(g, label, lw, &r, cols);
		}
	}
	if (gr->untimed.n > 0) {
		swim_row_reset(&r, cols);
		for (i = 0; i < gr->untimed.n; i++) {
			const struct qs_sl_mark	*m = gr->untimed.v[i];

			swim_event(&r, gr->untimed.n <= cols ? i : i * cols /
			    gr->untimed.n, m->kind);
		}
		swim_print_row(g, "untimed", lw, &r, cols);
		printf("%*s %zu event%s with no time, in their order\n",
		    (int)lw, "", gr->untimed.n, gr->untimed.n == 1 ? "" :
		    "s");
	}
	putchar('\n');
	free(r.cells);
	free(r.colors);
}

/* The legend, wrapped to the width. */
static void
swim_legend(int width)
{
	struct qs_arena	 a = { NULL };
	const char	*s;
	size_t		 i;

	s = "lanes: = up, # up and leading, _ down, . unknown, blank: no "
	    "history; boundaries inferred from peers are drawn at their "
	    "earliest time.";
	qs_text_wrap(stdout, 0, 2, s, width);
	s = "quorum: = held with a leader, - held with no leader, ! lost, "
	    ". unknown.";
	qs_text_wrap(stdout, 0, 2, s, width);
	s = "events:";
	for (i = 0; i < SWIM_NEVENTS; i++)
		s = qs_arena_printf(&a, "%s %c %s%s", s, swim_events[i].c,
		    qs_event_kind_name(swim_events[i].kind),
		    i + 1 < SWIM_NEVENTS ? "," : " (a cell shows the first "
		    "of these it holds).");
	qs_text_wrap(stdout, 0, 2, s, width);
	qs_arena_free(&a);
}

static void
timeline_swimlane(struct qs_globals *g, struct qs_analysis *an)
{
	struct qs_swimlane	 sw;
	struct qs_sl_filter	 f;
	struct qs_arena		 a = { NULL };
	unsigned char		*keep;
	cJSON			*root;
	size_t			 i;
	int			 width = qs_output_width(g);

	keep = qs_xcalloc(an->timeline.entries.n + 1, 1);
	for (i = 0; i < an->timeline.entries.n; i++)
		keep[i] = (unsigned char)qs_tl_keep(g,
		    an->timeline.entries.v[i]);
	memset(&f, 0, sizeof(f));
	f.since = g->since;
	f.until = g->until;
	f.nodes = &g->node_filter;
	f.keep = keep;
	root = qs_report_json(g, an);
	qs_swimlane_build(&sw, root, &f);
	if (sw.groups.n == 0)
		printf("No lane to draw: no cluster and no event in the "
		    "evidence read%s.\n", g->node_filter.n > 0 ||
		    g->events != 0 || g->since.set || g->until.set ?
		    " (or none left by the filters)" : "");
	for (i = 0; i < sw.groups.n; i++)
		swim_group(g, &a, sw.groups.v[i], width);
	if (sw.groups.n > 0)
		swim_legend(width);
	qs_text_diagnostics(g, stdout);
	qs_swimlane_free(&sw);
	cJSON_Delete(root);
	free(keep);
	qs_arena_free(&a);
}

static int
cmd_timeline_exec(struct qs_globals *g, int argc, char **argv)
{
	struct qs_analysis	 an;
	struct qs_arena		 a = { NULL };
	const char		**cells = NULL;
	static const int	 right[] = { 0, 0, 0, 0, 0, 0, 0, 0 };
	size_t			 i, rows = 1;
	int			 opened;
	char			 t[40];
	cJSON			*arr;

	opened = qs_analysis_inputs(g, argc, argv, &an);
	switch (g->format) {
	case QS_FORMAT_JSON:
		arr = cJSON_CreateArray();
		for (i = 0; i < an.timeline.entries.n; i++)
			if (qs_tl_keep(g, an.timeline.entries.v[i]))
				cJSON_AddItemToArray(arr, qs_json_tl_entry(
				    an.timeline.entries.v[i]));
		if (qs_json_print(arr, stdout) != 0)
			qs_fatal("write error on standard output");
		break;
	case QS_FORMAT_CSV:
		fputs("time,node,observers,system,event,subject,clock,detail,"
		    "evidence\n", stdout);
		for (i = 0; i < an.timeline.entries.n; i++) {
			const struct qs_tl_entry *te = an.timeline.entries.v[i];
			const struct qs_event	 *e = te->event;

			if (!qs_tl_keep(g, te))
				continue;
			timeline_csv_field(stdout, e->time.set ?
			    qs_time_format(&e->time, t, sizeof(t)) : "", 0);
			timeline_csv_field(stdout, e->observer != NULL ?
			    e->observer->name : "", 0);
			timeline_csv_field(stdout, timeline_observers(&a, te),
			    0);
			timeline_csv_field(stdout, qs_system_name(e->system), 0);
			timeline_csv_field(stdout, qs_event_kind_name(e->kind),
			    0);
			timeline_csv_field(stdout, qs_tl_subject(e), 0);
			timeline_csv_field(stdout, timeline_clock(&a, e), 0);
			timeline_csv_field(stdout, e->detail != NULL ?
			    e->detail : "", 0);
			timeline_csv_field(stdout, qs_evidence_text(&a, &e->ev),
			    1);
		}
		break;
	case QS_FORMAT_SWIMLANE:
		timeline_swimlane(g, &an);
		break;
	case QS_FORMAT_HTML:
	case QS_FORMAT_TEXT:
		cells = qs_xcalloc((an.timeline.entries.n + 1) * 7,
		    sizeof(*cells));
		cells[0] = "TIME";
		cells[1] = "NODE";
		cells[2] = "SYSTEM";
		cells[3] = "EVENT";
		cells[4] = "SUBJECT";
		cells[5] = "CLOCK";
		cells[6] = "DETAIL";
		for (i = 0; i < an.timeline.entries.n; i++) {
			const struct qs_tl_entry *te = an.timeline.entries.v[i];
			const struct qs_event	 *e = te->event;
			const char		 *detail;

			if (!qs_tl_keep(g, te))
				continue;
			detail = e->detail != NULL ? qs_escape(&a, e->detail) :
			    "";
			if (te->observers.n > 1)
				detail = qs_arena_printf(&a, "%s%sseen by %s",
				    detail, *detail ? "; " : "",
				    qs_escape(&a, timeline_observers(&a, te)));
			cells[rows * 7] = qs_arena_strdup(&a, qs_time_format(
			    &e->time, t, sizeof(t)));
			cells[rows * 7 + 1] = e->observer != NULL ?
			    qs_escape(&a, e->observer->name) : "-";
			cells[rows * 7 + 2] = qs_system_name(e->system);
			cells[rows * 7 + 3] = qs_event_kind_name(e->kind);
			cells[rows * 7 + 4] = *qs_tl_subject(e) != '\0' ?
			    qs_escape(&a, qs_tl_subject(e)) : "-";
			cells[rows * 7 + 5] = *timeline_clock(&a, e) != '\0' ?
			    timeline_clock(&a, e) : "-";
			cells[rows * 7 + 6] = detail;
			rows++;
		}
		qs_table_print(stdout, 7, rows, cells, right);
		qs_text_diagnostics(g, stdout);
		break;
	}
	free(cells);
	qs_arena_free(&a);
	qs_analysis_free(&an);
	return opened == 0 ? QS_EXIT_NOINPUT : QS_EXIT_OK;
}

const struct qs_command qs_cmd_timeline = {
	.name = "timeline",
	.args = "[--node NAME] [--event KIND,...] [--since TIME] "
	    "[--until TIME] BUNDLE...",
	.summary = "one history of every node's events",
	.exec = cmd_timeline_exec,
};
