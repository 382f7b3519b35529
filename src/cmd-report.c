/*
 * quorumscope [report] BUNDLE...: the answer to "why did the cluster
 * break".  In order: what evidence there was (coverage: a cluster whose
 * evidence is missing is unknown, never healthy), the verdict, the
 * findings by severity with their chain of facts, evidence and repair,
 * and a condensed timeline.  Exit status 1 when a finding is at or above
 * --fail-on.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "quorumscope.h"

#define REPORT_TIMELINE_MAX	60	/* entries in the condensed timeline */
#define REPORT_LEADERS_MAX	6	/* last leaders in a Consul summary */
#define QS_SCREEN_LINES		24	/* the first screen: verdicts fit it */

#define BOLD(g)		((g)->use_color ? "\033[1m" : "")
#define RESET(g)	((g)->use_color ? "\033[0m" : "")

static const char *
report_level_color(const struct qs_globals *g, enum qs_level l)
{
	if (!g->use_color)
		return "";
	switch (l) {
	case QS_LEVEL_CRITICAL:
		return "\033[1;31m";
	case QS_LEVEL_ERROR:
		return "\033[31m";
	case QS_LEVEL_WARNING:
		return "\033[33m";
	case QS_LEVEL_INFO:
		break;
	}
	return "";
}

/* Membership and leadership; elections and term bumps are noise here. */
static int
report_condensed(const struct qs_tl_entry *t)
{
	switch (t->event->kind) {
	case QS_EV_ELECTION_START:
	case QS_EV_TERM_CHANGE:
	case QS_EV_UPDATE:
		return 0;
	default:
		return 1;
	}
}

/*
 * The verdict of one cluster, in one or two lines: its worst finding, and
 * the root cause when that is another finding; healthy only when its
 * artifacts were decoded and judged; unknown otherwise, saying why.
 */
static void
report_verdict(struct qs_analysis *an, const struct qs_cluster *c,
    const char **line, const char **cause)
{
	struct qs_run		*run = an->run;
	const struct qs_finding	*worst = NULL;
	size_t			 i;

	*cause = NULL;
	for (i = 0; i < an->findings.n && worst == NULL; i++) {
		const struct qs_finding	*f = an->findings.v[i];

		if (f->cluster == c && f->level == c->level)
			worst = f;
	}
	switch (c->verdict) {
	case QS_VERDICT_FINDINGS:
		*line = qs_arena_printf(&run->arena, "%s: %s", qs_level_name(
		    worst->level), worst->title);
		if (c->cause != NULL && c->cause != worst)
			*cause = qs_arena_printf(&run->arena, "cause: %s [%s]",
			    c->cause->title, c->cause->rule->id);
		return;
	case QS_VERDICT_HEALTHY:
		*line = "no problem found in the evidence read";
		return;
	case QS_VERDICT_UNKNOWN:
		break;
	}
	if (c->decoded == 0 && c->not_understood > 0)
		*line = "unknown: its logs were read, but nothing in them was "
		    "understood";
	else if (c->decoded == 0)
		*line = "unknown: none of its artifacts could be decoded by "
		    "this version";
	else
		*line = qs_arena_printf(&run->arena, "unknown: its artifacts "
		    "are decoded (see the timeline and quorumscope peers), but "
		    "this version has no %s rules to judge them",
		    qs_system_name(c->system));
}

/* "3 servers in the bundle of 4 expected; leaders: a (term 2) -> b". */
static const char *
report_consul_summary(struct qs_analysis *an, const struct qs_cluster *cl)
{
	struct qs_run		*run = an->run;
	const struct qs_consul	*c = cl->facts;
	const struct qs_history	*h = cl->history;
	const char		*out, *leaders = "";
	size_t			 i, n = 0;

	if (c == NULL)
		return "servers not judged";
	out = qs_arena_printf(&run->arena, "%zu server%s", c->servers.n,
	    c->servers.n == 1 ? "" : "s");
	if (c->expected > c->servers.n)
		out = qs_arena_printf(&run->arena, "%s in the bundle of %zu "
		    "expected", out, c->expected);
	/* The first leader and the last few: a line, not a history. */
	for (i = 0; h != NULL && i < h->terms.n; i++) {
		const struct qs_term	*t = h->terms.v[i];

		if (i > 0 && i + REPORT_LEADERS_MAX < h->terms.n) {
			if (i == 1)
				leaders = qs_arena_printf(&run->arena,
				    "%s -> ...", leaders);
			continue;
		}
		leaders = qs_arena_printf(&run->arena, "%s%s%s", leaders,
		    n++ > 0 ? " -> " : "", t->leader->label);
		if (t->has_term)
			leaders = qs_arena_printf(&run->arena, "%s (term "
			    "%llu)", leaders, (unsigned long long)t->term);
	}
	if (n > 0)
		out = qs_arena_printf(&run->arena, "%s; leaders: %s%s", out,
		    leaders, n < h->terms.n ? qs_arena_printf(&run->arena,
		    " (%zu terms)", h->terms.n) : "");
	return out;
}

/*
 * Runs of like lines fold into one: two lines are alike when they differ
 * only in digits (times, indexes, counts, line numbers).
 */
static int
report_alike(const char *x, const char *y)
{
	const char	*x0 = x;

	if (x == NULL || y == NULL)
		return x == y;
	for (;;) {
		int	dx = *x >= '0' && *x <= '9';
		int	dy = *y >= '0' && *y <= '9';
		/* Digits after a letter name something: node1, etcd2. */
		int	named = x > x0 && ((x[-1] >= 'a' && x[-1] <= 'z') ||
			    (x[-1] >= 'A' && x[-1] <= 'Z'));

		if ((dx || dy) && !named) {
			if (!dx || !dy)
				return 0;
			while (*x >= '0' && *x <= '9')
				x++;
			while (*y >= '0' && *y <= '9')
				y++;
			continue;
		}
		if (*x != *y)
			return 0;
		if (*x == '\0')
			return 1;
		x++;
		y++;
	}
}

/* Runs this long or longer fold into their first line and a count. */
#define REPORT_FOLD_MIN	3

/* "node1, node2, node3", or "node1, node2 and 4 more" past `max`. */
static const char *
report_node_list(struct qs_arena *a, const struct qs_vec *nodes, size_t max)
{
	const char	*s = "", *next;
	size_t		 i;

	for (i = 0; i < nodes->n; i++) {
		next = qs_arena_printf(a, "%s%s%s", s, i > 0 ? ", " : "",
		    qs_escape(a, ((struct qs_node *)nodes->v[i])->name));
		if (i > 0 && strlen(next) > max)
			return qs_arena_printf(a, "%s and %zu more", s,
			    nodes->n - i);
		s = next;
	}
	return s;
}

/*
 * The repair step a cluster's summary shows: the cause's first step, or,
 * when that step defers to another finding of the cluster by its rule id
 * ("rebuild the peer set as consul-peers-empty says"), that finding's.
 */
static const struct qs_finding *
report_first_repair(struct qs_analysis *an, const struct qs_cluster *c)
{
	const struct qs_finding	*f = c->cause;
	size_t			 i;

	if (f == NULL || f->steps.n == 0)
		return f;
	for (i = 0; i < an->findings.n; i++) {
		const struct qs_finding	*o = an->findings.v[i];

		if (o != f && o->cluster == c && o->steps.n > 0 &&
		    strstr(f->steps.v[0], o->rule->id) != NULL)
			return o;
	}
	return f;
}

/*
 * Text wrapped as qs_text_wrap does, but at most `max` lines of it; the
 * last line shown ends in "..." when some were left out.  Returns the
 * lines printed.
 */
static size_t
report_wrap_max(FILE *out, int first, int indent, const char *text,
    int width, size_t max)
{
	char	*buf = NULL, *p, *nl;
	size_t	 len = 0, n = 0;
	FILE	*m = open_memstream(&buf, &len);

	if (m == NULL)
		qs_fatal("out of memory");
	qs_text_wrap(m, first, indent, text, width - 4);
	fclose(m);
	for (p = buf; *p != '\0' && n < max; p = nl + 1, n++) {
		nl = strchr(p, '\n');
		if (n + 1 == max && nl[1] != '\0')
			fprintf(out, "%.*s ...\n", (int)(nl - p), p);
		else
			fprintf(out, "%.*s\n", (int)(nl - p), p);
	}
	free(buf);
	return n;
}

/*
 * One cluster's summary: what it is, the verdict, the cause finding when
 * the verdict is drawn from findings, and the first concrete repair step.
 */
static void
report_cluster_summary(struct qs_globals *g, struct qs_analysis *an,
    struct qs_arena *a, const struct qs_cluster *c, FILE *out, int width)
{
	const struct qs_finding	*worst = NULL, *rf;
	const char		*head, *step, *nl;
	size_t			 i, k;

	head = qs_arena_printf(a, "%s%s%s: %s, %zu node%s", BOLD(g), c->id,
	    RESET(g), qs_escape(a, c->name), c->nodes.n, c->nodes.n == 1 ?
	    "" : "s");
	if (c->system == QS_SYS_CONSUL)
		head = qs_arena_printf(a, "%s; %s", head, qs_escape(a,
		    report_consul_summary(an, c)));
	qs_text_wrap(out, 0, 4, head, width + (int)(strlen(BOLD(g)) +
	    strlen(RESET(g))));
	/* Whatever the verdict, it rests on what could be read. */
	if (c->partial_evidence)
		qs_text_wrap(out, 2, 4, "drawn from partial evidence: an input "
		    "or artifact was read only in part (see Coverage)", width);
	for (i = 0; i < an->findings.n && worst == NULL; i++) {
		const struct qs_finding	*f = an->findings.v[i];

		if (f->cluster == c && f->level == c->level)
			worst = f;
	}
	switch (c->verdict) {
	case QS_VERDICT_HEALTHY:
		qs_text_wrap(out, 2, 4, "verdict: healthy: no problem found "
		    "in the evidence read", width);
		return;
	case QS_VERDICT_UNKNOWN:
		qs_text_wrap(out, 2, 4, c->decoded == 0 ? "verdict: unknown: "
		    "none of its artifacts could be decoded by this version" :
		    qs_arena_printf(a, "verdict: unknown: its artifacts are "
		    "decoded (see the timeline and quorumscope peers), but "
		    "this version has no %s rules to judge them",
		    qs_system_name(c->system)), width);
		return;
	case QS_VERDICT_FINDINGS:
		break;
	}
	head = qs_arena_printf(a, "verdict: %s%s%s: %s (%s %s)",
	    report_level_color(g, c->level), qs_level_name(c->level),
	    RESET(g), qs_escape(a, worst->title), worst->id, worst->rule->id);
	/* The colour codes take no columns. */
	qs_text_wrap(out, 2, 4, head, width + (int)(strlen(
	    report_level_color(g, c->level)) + strlen(RESET(g))));
	if (c->cause != NULL && c->cause != worst)
		qs_text_wrap(out, 2, 4, qs_arena_printf(a, "cause: %s (%s %s)",
		    qs_escape(a, c->cause->title), c->cause->id,
		    c->cause->rule->id), width);
	else
		fprintf(out, "  cause: %s itself: no other finding explains "
		    "it\n", worst->id);
	rf = report_first_repair(an, c);
	if (rf == NULL || rf->steps.n == 0) {
		fprintf(out, "  repair: none given\n");
		return;
	}
	step = rf->steps.v[0];
	nl = strchr(step, '\n');
	report_wrap_max(out, 2, 4, qs_arena_printf(a, "repair: %s (%s, step "
	    "1 of %zu)", qs_escape(a, nl != NULL ? qs_arena_strndup(a, step,
	    (size_t)(nl - step)) : step), rf->id, rf->steps.n), width, 3);
	/* A file's contents: the first lines, the rest under the finding. */
	for (k = 0; nl != NULL; k++) {
		step = nl + 1;
		nl = strchr(step, '\n');
		if (k == 2 && nl != NULL) {
			fprintf(out, "       ... (all of it under %s)\n", rf->id);
			break;
		}
		qs_text_clip(out, 7, qs_escape(a, nl != NULL ?
		    qs_arena_strndup(a, step, (size_t)(nl - step)) : step),
		    width);
	}
}

/* One line per finding: id, severity, rule, title, nodes. */
static void
report_finding_line(struct qs_globals *g, struct qs_arena *a,
    const struct qs_finding *f, FILE *out, int width)
{
	const char	*nodes = "", *title = qs_escape(a, f->title);
	int		 head, room;

	/* "  f1 critical rule-id: " */
	head = 2 + (int)strlen(f->id) + 1 + 9 + (int)strlen(f->rule->id) + 2;
	if (f->nodes.n > 0)
		nodes = qs_arena_printf(a, " (%s)", report_node_list(a,
		    &f->nodes, 24));
	room = width - head - (int)strlen(nodes);
	if (f->nodes.n > 1 && (int)strlen(title) > room) {
		nodes = qs_arena_printf(a, " (%zu nodes)", f->nodes.n);
		room = width - head - (int)strlen(nodes);
	}
	if (room < 16) {
		nodes = "";
		room = width - head;
	}
	fprintf(out, "  %s %s%-8s%s %s: ", f->id, report_level_color(g,
	    f->level), qs_level_name(f->level), RESET(g), f->rule->id);
	if (room < 4)
		fputc('\n', out);
	else if ((int)strlen(title) > room)
		fprintf(out, "%.*s...%s\n", room - 3, title, nodes);
	else
		fprintf(out, "%s%s\n", title, nodes);
}

static void
report_text_finding(const struct qs_globals *g, struct qs_arena *a,
    const struct qs_finding *f, FILE *out, int width)
{
	size_t	i, j;
	const char *p, *nl, *head;

	head = qs_arena_printf(a, "%s%s%s %s%-8s%s %s%s%s [%s, %s]", BOLD(g),
	    f->id, RESET(g), report_level_color(g, f->level),
	    qs_level_name(f->level), RESET(g), BOLD(g), qs_escape(a, f->title),
	    RESET(g), f->rule->id, f->rule->kind);
	fputc('\n', out);
	qs_text_wrap(out, 0, 4, head, width + (int)(strlen(head) - strlen(
	    qs_arena_printf(a, "%s %-8s %s [%s, %s]", f->id, qs_level_name(
	    f->level), qs_escape(a, f->title), f->rule->id, f->rule->kind))));
	if (f->nodes.n > 0)
		qs_text_wrap(out, 2, 4, qs_arena_printf(a, "nodes: %s",
		    report_node_list(a, &f->nodes, (size_t)-1)), width);
	if (f->facts.n > 0) {
		fputs("  why:\n", out);
		for (i = 0; i < f->facts.n; i++)
			qs_text_wrap(out, 4, 6, qs_arena_printf(a, "- %s",
			    qs_escape(a, f->facts.v[i])), width);
	}
	if (f->evidence.n > 0) {
		fputs("  evidence:\n", out);
		for (i = 0; i < f->evidence.n; i = j) {
			const struct qs_evidence *ev = f->evidence.v[i];
			const struct qs_evidence *last = ev;

			qs_text_wrap(out, 4, 6, qs_escape(a,
			    qs_evidence_where(a, ev)), width);
			if (ev->excerpt != NULL) {
				p = ev->excerpt;
				while (*p == ' ' || *p == '\t')
					p++;
				qs_text_clip(out, 6, qs_arena_printf(a,
				    "| %s", qs_escape(a, p)), width);
			}
			/* The same artifact saying the like again. */
			for (j = i + 1; j < f->evidence.n; j++) {
				const struct qs_evidence *o =
				    f->evidence.v[j];

				if (o->artifact != ev->artifact ||
				    !report_alike(o->excerpt, ev->excerpt))
					break;
				last = o;
			}
			if (j - i < REPORT_FOLD_MIN) {
				j = i + 1;
				continue;
			}
			qs_text_wrap(out, 6, 8, qs_arena_printf(a,
			    "and %zu more like it, until %s", j - i - 1,
			    last->line != 0 ? qs_arena_printf(a, "line %llu",
			    (unsigned long long)last->line) : last->has_offset ?
			    qs_arena_printf(a, "offset %llu",
			    (unsigned long long)last->offset) : "the end"),
			    width);
		}
	}
	if (f->steps.n > 0) {
		fputs("  repair:\n", out);
		for (i = 0; i < f->steps.n; i++) {
			/*
			 * A step's first line is prose, wrapped; the lines
			 * after it are a file's contents, kept whole so
			 * that they can be pasted.
			 */
			p = f->steps.v[i];
			nl = strchr(p, '\n');
			qs_text_wrap(out, 4, 7, qs_arena_printf(a, "%zu. %s",
			    i + 1, qs_escape(a, nl != NULL ? qs_arena_strndup(
			    a, p, (size_t)(nl - p)) : p)), width);
			while (nl != NULL) {
				p = nl + 1;
				nl = strchr(p, '\n');
				fprintf(out, "         %s\n", qs_escape(a,
				    nl != NULL ? qs_arena_strndup(a, p,
				    (size_t)(nl - p)) : p));
			}
		}
	}
}

/* A condensed timeline line after its time, observer and kind. */
static const char *
report_tl_text(struct qs_arena *a, const struct qs_tl_entry *te)
{
	const struct qs_event	*e = te->event;
	const char		*s;

	s = qs_escape(a, qs_tl_subject(e));
	if (e->clock.set & QS_CLOCK_TERM)
		s = qs_arena_printf(a, "%s term %llu", s,
		    (unsigned long long)e->clock.term);
	if (e->detail != NULL)
		s = qs_arena_printf(a, "%s (%s)", s, qs_escape(a, e->detail));
	if (te->observers.n > 1)
		s = qs_arena_printf(a, "%s [seen by %zu]", s, te->observers.n);
	return s;
}

/* The same kind of event, seen by the same node, about the same one. */
static int
report_tl_alike(struct qs_arena *a, const struct qs_tl_entry *x,
    const struct qs_tl_entry *y)
{
	const struct qs_event	*ex = x->event, *ey = y->event;

	return ex->kind == ey->kind && ex->observer == ey->observer &&
	    ex->time.set == ey->time.set && strcmp(qs_tl_subject(ex),
	    qs_tl_subject(ey)) == 0 && report_alike(report_tl_text(a, x),
	    report_tl_text(a, y));
}

static void
report_timeline(struct qs_globals *g, struct qs_analysis *an,
    struct qs_arena *a, FILE *out, int width)
{
	struct qs_vec	 kept = { NULL, 0, 0 };
	size_t		 i, j, from;
	const char	*obs;
	char		 t[40];
	int		 indent;

	for (i = 0; i < an->timeline.entries.n; i++)
		if (report_condensed(an->timeline.entries.v[i]))
			qs_vec_push(&kept, an->timeline.entries.v[i]);
	fprintf(out, "\n");
	qs_text_wrap(out, 0, 2, qs_arena_printf(a, "%sTimeline%s: %zu "
	    "membership and leadership event%s%s", BOLD(g), RESET(g), kept.n,
	    kept.n == 1 ? "" : "s", kept.n > REPORT_TIMELINE_MAX ?
	    qs_arena_printf(a, ", the last %d shown (all: quorumscope "
	    "timeline)", REPORT_TIMELINE_MAX) : ""), width + (int)(strlen(
	    BOLD(g)) + strlen(RESET(g))));
	from = kept.n > REPORT_TIMELINE_MAX ? kept.n - REPORT_TIMELINE_MAX : 0;
	/* Continuation lines under the observer. */
	indent = 28;
	for (i = from; i < kept.n; i = j) {
		const struct qs_tl_entry *te = kept.v[i];
		const char		*text = report_tl_text(a, te);
		const struct qs_event	*last = te->event;

		fprintf(out, "  %-24s  ", qs_time_format(&te->event->time, t,
		    sizeof(t)));
		obs = te->event->observer != NULL ? qs_escape(a,
		    te->event->observer->name) : "-";
		/* Columns while the names fit them, else words. */
		if (strlen(obs) <= 10) {
			fprintf(out, "%-10s %-14s ", obs, qs_event_kind_name(
			    te->event->kind));
			qs_text_wrap_at(out, 54, indent, text, width);
		} else
			qs_text_wrap_at(out, 28, indent, qs_arena_printf(a,
			    "%s %s %s", obs, qs_event_kind_name(
			    te->event->kind), text), width);
		for (j = i + 1; j < kept.n; j++) {
			const struct qs_tl_entry *o = kept.v[j];

			if (!report_tl_alike(a, te, o))
				break;
			last = o->event;
		}
		if (j - i < REPORT_FOLD_MIN) {
			j = i + 1;
			continue;
		}
		qs_text_wrap(out, 28, indent, qs_arena_printf(a, "and %zu more "
		    "like it%s%s", j - i - 1, last->time.set ? ", until " : "",
		    last->time.set ? qs_time_format(&last->time, t, sizeof(t)) :
		    ""), width);
	}
	qs_vec_free(&kept);
}

static void
report_text(struct qs_globals *g, struct qs_analysis *an)
{
	struct qs_run		*run = g->run;
	struct qs_arena		 a = { NULL };
	size_t			 i, j, lines, room, len = 0;
	size_t			 counts[QS_LEVEL_CRITICAL + 1] = { 0 };
	FILE			*out = stdout, *m;
	const char		*head, *names = "";
	char			*buf = NULL;
	int			 width = qs_output_width(g);

	/* What was read: inputs, nodes, clusters. */
	for (i = 0; i < run->inputs.n; i++)
		names = qs_arena_printf(&a, "%s%s%s", names, i > 0 ? ", " : "",
		    qs_escape(&a, ((struct qs_input *)run->inputs.v[i])->path));
	for (i = 0; i < 3; i++) {
		head = qs_arena_printf(&a, "quorumscope: %s: %zu node%s%s, "
		    "%zu cluster%s", names, run->nodes.n, run->nodes.n == 1 ?
		    "" : "s", i == 0 ? qs_arena_printf(&a, " (%s)",
		    report_node_list(&a, &run->nodes, (size_t)-1)) : "",
		    an->clusters.n, an->clusters.n == 1 ? "" : "s");
		if (i == 0 && an->clusters.n > 0)
			for (j = 0; j < an->clusters.n; j++)
				head = qs_arena_printf(&a, "%s%s%s%s", head,
				    j == 0 ? " (" : ", ", ((struct qs_cluster *)
				    an->clusters.v[j])->id, j + 1 ==
				    an->clusters.n ? ")" : "");
		if ((int)strlen(head) <= width)
			break;
		/* Too long: without the names, then the inputs' bases. */
		if (i == 1)
			for (j = 0, names = ""; j < run->inputs.n; j++) {
				const char	*path = ((struct qs_input *)
				    run->inputs.v[j])->path, *base;

				base = strrchr(path, '/');
				names = qs_arena_printf(&a, "%s%s%s", names,
				    j > 0 ? ", " : "", qs_escape(&a, base !=
				    NULL && base[1] != '\0' ? base + 1 : path));
			}
	}
	qs_text_clip(out, 0, head, width);

	/* The answer: per cluster, verdict, cause and first repair. */
	if ((m = open_memstream(&buf, &len)) == NULL)
		qs_fatal("out of memory");
	if (an->clusters.n == 0)
		qs_text_wrap(m, 0, 2, "verdict: unknown: no artifact of "
		    "Consul, etcd, ZooKeeper or Triton was recognised", width);
	for (i = 0; i < an->clusters.n; i++) {
		fputc('\n', m);
		report_cluster_summary(g, an, &a, an->clusters.v[i], m, width);
	}
	for (i = 0; i < an->timeline.skews.n; i++) {
		const struct qs_skew	*sk = an->timeline.skews.v[i];

		qs_text_wrap(m, 0, 4, qs_arena_printf(&a, "clock: %s runs "
		    "%+.1f s from the others (%zu shared events)", qs_escape(&a,
		    sk->node->name), (double)sk->ms / 1000, sk->samples),
		    width);
	}
	fclose(m);
	fputs(buf, out);
	for (lines = 1, i = 0; i < len; i++)
		if (buf[i] == '\n')
			lines++;
	free(buf);

	/* One line per finding, as many as the first screen holds. */
	for (i = 0; i < an->findings.n; i++)
		counts[((struct qs_finding *)an->findings.v[i])->level]++;
	if (an->findings.n > 0) {
		fprintf(out, "\n%sFindings%s: %zu", BOLD(g), RESET(g),
		    an->findings.n);
		for (i = QS_LEVEL_CRITICAL + 1; i-- > 0;)
			if (counts[i] > 0)
				fprintf(out, ", %zu %s", counts[i],
				    qs_level_name(i));
		fputc('\n', out);
		lines += 2;
		room = lines + an->findings.n <= QS_SCREEN_LINES ?
		    an->findings.n : lines + 2 <= QS_SCREEN_LINES ?
		    QS_SCREEN_LINES - lines - 1 : 1;
		for (i = 0; i < an->findings.n && i < room; i++)
			report_finding_line(g, &a, an->findings.v[i], out,
			    width);
		if (i < an->findings.n)
			fprintf(out, "  and %zu more, in detail below\n",
			    an->findings.n - i);
	}

	fprintf(out, "\n%sCoverage%s\n", BOLD(g), RESET(g));
	for (i = 0; i < run->inputs.n; i++) {
		const struct qs_input	*in = run->inputs.v[i];

		if (qs_input_completeness(in) != QS_COMPLETE)
			qs_text_wrap(out, 2, 4, qs_arena_printf(&a, "input "
			    "%s: %s", qs_escape(&a, in->path),
			    qs_input_completeness(in) == QS_UNREADABLE ?
			    "unreadable" : qs_arena_printf(&a, "read only in "
			    "part: %s", qs_escape(&a, in->partial != NULL ?
			    in->partial : "a limit was reached"))), width);
	}
	for (i = 0; i < run->nodes.n; i++) {
		const struct qs_node	*n = run->nodes.v[i];
		const char		*line = "";
		size_t			 bad = 0, nothing = 0;

		for (j = 0; j < n->artifacts.n; j++) {
			const struct qs_artifact *art = n->artifacts.v[j];

			if (art->kind == NULL)
				continue;
			if (strstr(line, art->kind->name) == NULL)
				line = qs_arena_printf(&a, "%s%s%s", line,
				    *line != '\0' ? ", " : "",
				    art->kind->name);
			if (art->status == QS_STATUS_NOTHING)
				nothing++;
			else if (art->status != QS_STATUS_PARSED)
				bad++;
		}
		line = qs_arena_printf(&a, "%s: %s", qs_escape(&a, n->name),
		    *line != '\0' ? line : "nothing recognised");
		if (bad > 0)
			line = qs_arena_printf(&a, "%s (%zu not fully decoded)",
			    line, bad);
		if (nothing > 0)
			line = qs_arena_printf(&a, "%s (%zu read, nothing "
			    "understood)", line, nothing);
		qs_text_wrap(out, 2, 4, line, width);
	}

	if (an->findings.n > 0)
		fprintf(out, "\n%sFindings in detail%s\n", BOLD(g), RESET(g));
	for (i = 0; i < an->findings.n; i++)
		report_text_finding(g, &a, an->findings.v[i], out, width);

	report_timeline(g, an, &a, out, width);
	qs_text_diagnostics(g, out);
	qs_arena_free(&a);
}

/* The report as JSON: what -f json prints and the HTML report embeds. */
cJSON *
qs_report_json(struct qs_globals *g, struct qs_analysis *an)
{
	struct qs_run		*run = g->run;
	cJSON			*root = qs_json_header(run), *arr, *o;
	size_t			 i;

	cJSON_AddItemToObject(root, "nodes", qs_json_nodes(run, 1));
	arr = cJSON_AddArrayToObject(root, "clusters");
	for (i = 0; i < an->clusters.n; i++)
		cJSON_AddItemToArray(arr, qs_json_cluster(an->clusters.v[i]));
	arr = cJSON_AddArrayToObject(root, "verdict");
	for (i = 0; i < an->clusters.n; i++) {
		const struct qs_cluster	*c = an->clusters.v[i];
		const char		*line, *cause;

		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "system", qs_system_name(c->system));
		cJSON_AddStringToObject(o, "cluster", c->id);
		cJSON_AddNumberToObject(o, "nodes", (double)c->nodes.n);
		cJSON_AddNumberToObject(o, "artifacts_decoded",
		    (double)c->decoded);
		cJSON_AddNumberToObject(o, "artifacts_not_decoded",
		    (double)c->undecoded);
		cJSON_AddNumberToObject(o, "artifacts_not_understood",
		    (double)c->not_understood);
		cJSON_AddNumberToObject(o, "artifacts_partial",
		    (double)c->partial);
		if (c->system == QS_SYS_CONSUL)
			cJSON_AddStringToObject(o, "summary",
			    report_consul_summary(an, c));
		report_verdict(an, c, &line, &cause);
		/* "state" is the sentence; the rest for machines. */
		cJSON_AddStringToObject(o, "state", line);
		cJSON_AddStringToObject(o, "verdict", qs_verdict_name(
		    c->verdict));
		if (c->verdict == QS_VERDICT_FINDINGS) {
			cJSON_AddStringToObject(o, "severity", qs_level_name(
			    c->level));
			cJSON_AddStringToObject(o, "cause", c->cause->id);
		} else {
			cJSON_AddNullToObject(o, "severity");
			cJSON_AddNullToObject(o, "cause");
		}
		cJSON_AddItemToArray(arr, o);
	}
	arr = cJSON_AddArrayToObject(root, "clock_skew");
	for (i = 0; i < an->timeline.skews.n; i++) {
		const struct qs_skew	*sk = an->timeline.skews.v[i];

		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "node", sk->node->name);
		cJSON_AddNumberToObject(o, "offset_ms", (double)sk->ms);
		cJSON_AddNumberToObject(o, "samples", (double)sk->samples);
		cJSON_AddItemToArray(arr, o);
	}
	arr = cJSON_AddArrayToObject(root, "timeline");
	for (i = 0; i < an->timeline.entries.n; i++)
		cJSON_AddItemToArray(arr, qs_json_tl_entry(
		    an->timeline.entries.v[i]));
	arr = cJSON_AddArrayToObject(root, "findings");
	for (i = 0; i < an->findings.n; i++)
		cJSON_AddItemToArray(arr, qs_json_finding(an->findings.v[i]));
	cJSON_AddNumberToObject(root, "unrecognised",
	    (double)run->unrecognised);
	cJSON_AddItemToObject(root, "diagnostics", qs_json_diagnostics(run));
	return root;
}

static int
cmd_report_exec(struct qs_globals *g, int argc, char **argv)
{
	struct qs_analysis	an;
	int			opened, status = QS_EXIT_OK;
	size_t			i;

	opened = qs_analysis_inputs(g, argc, argv, &an);
	if (g->format == QS_FORMAT_JSON) {
		if (qs_json_print(qs_report_json(g, &an), stdout) != 0)
			qs_fatal("write error on standard output");
	} else if (g->format == QS_FORMAT_HTML) {
		if (qs_report_html(stdout, qs_report_json(g, &an),
		    qs_peers_json(g->run)) != 0)
			qs_fatal("write error on standard output");
	} else
		report_text(g, &an);
	for (i = 0; i < an.findings.n; i++)
		if (((struct qs_finding *)an.findings.v[i])->level >=
		    g->fail_on)
			status = QS_EXIT_FINDINGS;
	qs_analysis_free(&an);
	return opened == 0 ? QS_EXIT_NOINPUT : status;
}

const struct qs_command qs_cmd_report = {
	.name = "report",
	.args = "[--fail-on LEVEL] BUNDLE...",
	.summary = "explain why the cluster broke (the default command)",
	.exec = cmd_report_exec,
	.options = QS_OPT_FAIL_ON | QS_OPT_WIDTH | QS_OPT_INPUT,
};
