/*
 * quorumscope report -f html: one self-contained page an engineer can
 * attach to an incident review.  Everything on it is drawn from the
 * report's JSON document (and the peers matrix's), which the page also
 * embeds verbatim, so what is drawn and what is exported cannot
 * disagree.  The swimlane picture is SVG written here, readable with
 * scripting off and when printed; the inline script only adds zoom, pan,
 * tooltips with the evidence, finding highlights and copy buttons.  The
 * page loads nothing: no font, script, style or image from anywhere, and
 * its Content-Security-Policy forbids it.
 *
 * Every string from a bundle goes through html_text(), the one place it
 * is made safe for HTML.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "quorumscope.h"
#include "report-html-assets.h"

/* The SVG's user units: a 1200-wide picture the page scales to fit. */
#define SVG_W		1200
#define LABEL_W		200
#define PLOT_W		(SVG_W - LABEL_W - 10)
#define AXIS_H		22
#define QUORUM_H	16
#define ROW_H		24
#define UNTIMED_H	26
#define PLOT_PAD	8	/* each side, so that no mark is cut in half */

struct html {
	FILE			*f;
	struct qs_arena		 a;
	const cJSON		*report;
	const cJSON		*peers;
	struct qs_swimlane	 sw;
	const cJSON		**entries;	/* "timeline", by index */
	size_t			 nentries;
};

static const char *
html_str(const cJSON *o, const char *key)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static double
html_num(const cJSON *o, const char *key)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsNumber(v) ? v->valuedouble : 0;
}

static const cJSON *
html_arr(const cJSON *o, const char *key)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsArray(v) ? v : NULL;
}

/*
 * s with each character that has a replacement in `with` replaced: what
 * HTML gives a meaning to, or what could end a script element.
 */
static void
html_replace(struct html *h, const char *s, const char *const *with)
{
	const unsigned char	*p;

	for (p = (const unsigned char *)s; *p != '\0'; p++)
		if (with[*p] != NULL)
			fputs(with[*p], h->f);
		else
			fputc(*p, h->f);
}

static const char *const html_entities[256] = {
	['&'] = "&amp;", ['<'] = "&lt;", ['>'] = "&gt;", ['"'] = "&quot;",
	['\''] = "&#39;"
};
static const char *const html_json_escapes[256] = {
	['&'] = "\\u0026", ['<'] = "\\u003c", ['>'] = "\\u003e"
};

/*
 * Text from a bundle, safe in element content and in quoted attributes:
 * control characters shown as the terminal output shows them (\x1b),
 * then the five characters HTML gives a meaning to as references.
 */
static void
html_text(struct html *h, const char *s)
{
	if (s != NULL)
		html_replace(h, qs_escape(&h->a, s), html_entities);
}

/* Our own markup, with printf arguments that never come from a bundle. */
static void
html_out(struct html *h, const char *fmt, ...) QS_PRINTF(2, 3);

static void
html_out(struct html *h, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vfprintf(h->f, fmt, ap);
	va_end(ap);
}

/* A token for a class name or an id: letters, digits and '-' only. */
static void
html_token(struct html *h, const char *s)
{
	const unsigned char	*p;

	for (p = (const unsigned char *)(s != NULL ? s : ""); *p != '\0'; p++)
		fputc((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' ? *p : '_', h->f);
}

static void
html_lines(struct html *h, const char *const *lines)
{
	for (; *lines != NULL; lines++)
		fputs(*lines, h->f);
}

/*
 * A JSON document inside <script type="application/json">: printed as
 * cJSON prints it, with '<', '>' and '&' (which only occur inside
 * strings) as \u escapes so that no "</script>" or "<!--" can end or
 * change the element.  JSON.parse gives back the same document.
 */
static void
html_json(struct html *h, const char *id, const cJSON *doc)
{
	char		*s = qs_json_terminal_safe(cJSON_PrintUnformatted(doc));

	if (s == NULL)
		qs_fatal("out of memory printing JSON");
	html_out(h, "<script type=\"application/json\" id=\"%s\">", id);
	html_replace(h, s, html_json_escapes);
	html_out(h, "</script>\n");
	free(s);
}

static const cJSON *
html_finding(const struct html *h, const char *id)
{
	const cJSON	*f;

	cJSON_ArrayForEach(f, html_arr(h->report, "findings"))
		if (id != NULL && html_str(f, "id") != NULL &&
		    strcmp(html_str(f, "id"), id) == 0)
			return f;
	return NULL;
}

/* <span class="CLASS-WORD">WORD</span>: a badge whose class is its word. */
static void
html_badge(struct html *h, const char *cls, const char *word)
{
	html_out(h, "<span class=\"%s", cls);
	html_token(h, word);
	html_out(h, "\">");
	html_text(h, word);
	html_out(h, "</span>");
}

/* <a href="#finding-f1">f1: title</a> */
static void
html_finding_link(struct html *h, const cJSON *f)
{
	html_out(h, "<a href=\"#finding-");
	html_token(h, html_str(f, "id"));
	html_out(h, "\">");
	html_text(h, html_str(f, "id"));
	html_out(h, ": ");
	html_text(h, html_str(f, "title"));
	html_out(h, "</a>");
}

/* "input: path:line", "input: path@offset" or "input: path". */
static void
html_where(struct html *h, const cJSON *ev)
{
	const cJSON	*line = cJSON_GetObjectItemCaseSensitive(ev, "line");
	const cJSON	*off = cJSON_GetObjectItemCaseSensitive(ev, "offset");

	html_text(h, html_str(ev, "input"));
	html_out(h, ": ");
	html_text(h, html_str(ev, "path"));
	if (cJSON_IsNumber(line))
		html_out(h, ":%.0f", line->valuedouble);
	else if (cJSON_IsNumber(off))
		html_out(h, "@%.0f", off->valuedouble);
}

/*
 * A repair step: its first line, `quoted` commands and values as code
 * with a copy button each, the lines after it (a file's contents) as a
 * block with its own copy button.
 */
static void
html_step(struct html *h, const char *step)
{
	const char	*nl = strchr(step, '\n'), *p, *q, *end;

	end = nl != NULL ? nl : step + strlen(step);
	for (p = step; p < end; p = q + 1) {
		q = memchr(p, '`', (size_t)(end - p));
		if (q == NULL) {
			html_text(h, qs_arena_strndup(&h->a, p,
			    (size_t)(end - p)));
			break;
		}
		html_text(h, qs_arena_strndup(&h->a, p, (size_t)(q - p)));
		p = q + 1;
		q = memchr(p, '`', (size_t)(end - p));
		if (q == NULL) {
			html_text(h, qs_arena_strndup(&h->a, p - 1,
			    (size_t)(end - p + 1)));
			break;
		}
		html_out(h, "<code>");
		html_text(h, qs_arena_strndup(&h->a, p, (size_t)(q - p)));
		html_out(h, "</code><button class=\"copy\" type=\"button\">"
		    "copy</button>");
	}
	if (nl != NULL) {
		html_out(h, "<pre class=\"file\">");
		html_text(h, nl + 1);
		html_out(h, "</pre><button class=\"copy\" type=\"button\">"
		    "copy</button>");
	}
}

static void
html_head(struct html *h)
{
	const cJSON	*tool = cJSON_GetObjectItemCaseSensitive(h->report,
	    "tool");
	const cJSON	*in;
	size_t		 n = 0;

	html_out(h, "<!DOCTYPE html>\n<html lang=\"en\" class=\"nojs\">\n"
	    "<head>\n<meta charset=\"utf-8\">\n"
	    "<meta http-equiv=\"Content-Security-Policy\" content=\""
	    "default-src 'none'; style-src 'unsafe-inline'; "
	    "script-src 'unsafe-inline'\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width, "
	    "initial-scale=1\">\n<meta name=\"generator\" content=\"");
	html_text(h, html_str(tool, "name"));
	html_out(h, " ");
	html_text(h, html_str(tool, "version"));
	html_out(h, "\">\n<title>quorumscope report: ");
	cJSON_ArrayForEach(in, html_arr(h->report, "inputs")) {
		if (n++ > 0)
			html_out(h, ", ");
		html_text(h, html_str(in, "path"));
	}
	html_out(h, "</title>\n<style>\n");
	html_lines(h, qs_html_css);
	html_out(h, "</style>\n</head>\n<body>\n");
	/* The hatching of inferred boundaries, shared by every picture. */
	html_out(h, "<svg width=\"0\" height=\"0\" style=\"position:absolute\" "
	    "aria-hidden=\"true\"><defs><pattern id=\"qs-hatch\" "
	    "width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" "
	    "patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" "
	    "fill=\"#f1f3f5\"/><line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" "
	    "stroke=\"#495057\" stroke-width=\"2\"/></pattern></defs></svg>\n");
}

static void
html_header(struct html *h)
{
	const cJSON	*in;
	size_t		 ninputs = 0, nnodes;

	cJSON_ArrayForEach(in, html_arr(h->report, "inputs"))
		ninputs++;
	nnodes = (size_t)cJSON_GetArraySize(html_arr(h->report, "nodes"));
	html_out(h, "<header>\n<h1>quorumscope report</h1>\n<p class=\"muted\">"
	    "%zu input%s, %zu node%s: ", ninputs, ninputs == 1 ? "" : "s",
	    nnodes, nnodes == 1 ? "" : "s");
	ninputs = 0;
	cJSON_ArrayForEach(in, html_arr(h->report, "inputs")) {
		if (ninputs++ > 0)
			html_out(h, ", ");
		html_out(h, "<code>");
		html_text(h, html_str(in, "path"));
		html_out(h, "</code>");
	}
	html_out(h, "</p>\n<nav><a href=\"#verdict\">Verdict</a>"
	    "<a href=\"#timeline\">Timeline</a>"
	    "<a href=\"#findings\">Findings</a>"
	    "<a href=\"#membership\">Membership</a>"
	    "<a href=\"#coverage\">Coverage</a>"
	    "<a href=\"#diagnostics\">Diagnostics</a></nav>\n</header>\n");
}

static void
html_verdict(struct html *h)
{
	const cJSON	*v, *c, *f, *steps, *sk;
	const char	*sev, *state, *line;

	html_out(h, "<section id=\"verdict\">\n<h2>Verdict</h2>\n");
	if (cJSON_GetArraySize(html_arr(h->report, "verdict")) == 0)
		html_out(h, "<div class=\"verdict\"><p class=\"line\">unknown: "
		    "no artifact of Consul, etcd, ZooKeeper or Triton was "
		    "recognised</p></div>\n");
	cJSON_ArrayForEach(v, html_arr(h->report, "verdict")) {
		const cJSON	*cv = NULL;

		cJSON_ArrayForEach(c, html_arr(h->report, "clusters"))
			if (html_str(c, "id") != NULL && html_str(v,
			    "cluster") != NULL && strcmp(html_str(c, "id"),
			    html_str(v, "cluster")) == 0)
				cv = cJSON_GetObjectItemCaseSensitive(c,
				    "verdict");
		state = html_str(cv, "state");
		sev = html_str(cv, "severity");
		html_out(h, "<div class=\"verdict v-");
		html_token(h, sev != NULL ? sev : state);
		html_out(h, "\" data-cluster=\"");
		html_text(h, html_str(v, "cluster"));
		html_out(h, "\">\n<p>");
		html_badge(h, sev != NULL ? "badge sev-" : "badge state-",
		    sev != NULL ? sev : state);
		html_out(h, " <b>");
		html_text(h, html_str(v, "cluster"));
		html_out(h, "</b> <span class=\"muted\">(");
		html_text(h, html_str(v, "system"));
		html_out(h, ", %.0f node%s, %.0f artifact%s decoded",
		    html_num(v, "nodes"), html_num(v, "nodes") == 1 ? "" : "s",
		    html_num(v, "artifacts_decoded"),
		    html_num(v, "artifacts_decoded") == 1 ? "" : "s");
		if (html_num(v, "artifacts_not_decoded") > 0)
			html_out(h, ", %.0f not", html_num(v,
			    "artifacts_not_decoded"));
		html_out(h, ")</span></p>\n");
		if ((line = html_str(v, "summary")) != NULL) {
			html_out(h, "<p class=\"muted\">");
			html_text(h, line);
			html_out(h, "</p>\n");
		}
		html_out(h, "<p class=\"line\">");
		html_text(h, html_str(v, "state"));
		html_out(h, "</p>\n");
		f = html_finding(h, html_str(cv, "cause"));
		if (f != NULL) {
			html_out(h, "<p>Cause: ");
			html_finding_link(h, f);
			html_out(h, " <span class=\"muted\">[");
			html_text(h, html_str(f, "rule"));
			html_out(h, "]</span></p>\n");
			steps = html_arr(f, "steps");
			if (cJSON_GetArraySize(steps) > 0 && cJSON_IsString(
			    cJSON_GetArrayItem(steps, 0))) {
				html_out(h, "<p>First repair: ");
				html_step(h, cJSON_GetArrayItem(steps,
				    0)->valuestring);
				html_out(h, "</p>\n");
			}
		}
		html_out(h, "</div>\n");
	}
	cJSON_ArrayForEach(sk, html_arr(h->report, "clock_skew")) {
		html_out(h, "<p>Clock: <b>");
		html_text(h, html_str(sk, "node"));
		html_out(h, "</b> runs %+.1f s from the others (%.0f shared "
		    "events).</p>\n", html_num(sk, "offset_ms") / 1000,
		    html_num(sk, "samples"));
	}
	html_out(h, "</section>\n");
}

/*
 * x of a time in a group's plot, in SVG units: t0 to t1 across the plot
 * less a margin each side (the script's View.x() is the same function).
 */
static double
html_x(const struct qs_sl_group *g, int64_t t)
{
	if (!g->timed || t <= g->t0)
		return PLOT_PAD;
	if (t >= g->t1)
		return PLOT_W - PLOT_PAD;
	return PLOT_PAD + (double)(t - g->t0) * (PLOT_W - 2 * PLOT_PAD) /
	    (double)(g->t1 - g->t0);
}

static void
html_rect(struct html *h, const char *cls, double x0, double x1, double y,
    double hh)
{
	html_out(h, "<rect class=\"%s\" x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" "
	    "height=\"%.1f\"", cls, x0, y, x1 - x0 > 0 ? x1 - x0 : 0, hh);
}

static void
html_time(struct html *h, int64_t ms)
{
	struct qs_time	t = { 1, 1, ms };
	char		buf[40];

	html_out(h, "%s", qs_time_format(&t, buf, sizeof(buf)));
}

/*
 * A band over [x0, x1]: its class, the index the script finds its JSON
 * by (data-KEY), and a title "WHAT a SEP b" for scripting off.  WHAT and
 * SEP are our own words, never a bundle's.
 */
static void
html_band(struct html *h, const char *cls, double x0, double x1, double y,
    double hh, const char *key, size_t index, const char *what, int64_t a,
    const char *sep, int64_t b)
{
	html_rect(h, cls, x0, x1, y, hh);
	html_out(h, " data-%s=\"%zu\"><title>%s", key, index, what);
	html_time(h, a);
	html_out(h, "%s", sep);
	html_time(h, b);
	html_out(h, "</title></rect>\n");
}

/* A mark's native tooltip: time, event, subject, who saw it. */
static void
html_mark_title(struct html *h, const cJSON *e)
{
	const char	*s;

	html_out(h, "<title>");
	html_text(h, html_str(e, "time") != NULL ? html_str(e, "time") :
	    "untimed");
	html_out(h, " ");
	html_text(h, html_str(e, "event"));
	if ((s = html_str(e, "subject")) != NULL && *s != '\0') {
		html_out(h, " ");
		html_text(h, s);
	}
	if ((s = html_str(e, "node")) != NULL && *s != '\0') {
		html_out(h, " (seen by ");
		html_text(h, s);
		html_out(h, ")");
	}
	html_out(h, "</title>");
}

static void
html_mark(struct html *h, const struct qs_sl_mark *m, double x, double y0,
    double y1)
{
	const cJSON	*e = m->entry < h->nentries ? h->entries[m->entry] :
	    NULL;

	html_out(h, "<line class=\"mark ev-%s\" x1=\"%.2f\" x2=\"%.2f\" "
	    "y1=\"%.1f\" y2=\"%.1f\" data-i=\"%zu\">",
	    qs_event_kind_name(m->kind), x, x, y0, y1, m->entry);
	html_mark_title(h, e);
	html_out(h, "</line>\n");
}

static void
html_axis(struct html *h, const struct qs_sl_group *g)
{
	int64_t		step, t;
	char		label[64];
	int		first = 1;

	step = qs_sl_tick_step(g->t1 - g->t0, 8);
	t = g->t0 - ((g->t0 % step) + step) % step;
	if (t < g->t0)
		t += step;
	html_out(h, "<g class=\"axis\">\n");
	for (; t <= g->t1; t += step) {
		double	x = LABEL_W + html_x(g, t);

		html_out(h, "<line x1=\"%.2f\" x2=\"%.2f\" y1=\"%d\" y2=\"%d\"/>"
		    "<text x=\"%.2f\" y=\"%d\">%s</text>\n", x, x, AXIS_H - 6,
		    AXIS_H, x + 2, AXIS_H - 9, qs_sl_tick_label(t, step,
		    first, label, sizeof(label)));
		first = 0;
	}
	html_out(h, "</g>\n");
}

/* One lane: liveness spans, their inferred boundaries, terms, marks. */
static void
html_lane(struct html *h, const struct qs_sl_group *g,
    const struct qs_sl_lane *l, double y)
{
	size_t	i;

	html_out(h, "<g class=\"lane\" data-lane=\"");
	html_text(h, l->label);
	html_out(h, "\"");
	if (l->node != NULL) {
		html_out(h, " data-node=\"");
		html_text(h, l->node);
		html_out(h, "\"");
	}
	if (l->member != SIZE_MAX)
		html_out(h, " data-m=\"%zu\"", l->member);
	html_out(h, ">\n");
	html_rect(h, "lanebg", 0, PLOT_W, y, ROW_H);
	html_out(h, "/>\n");
	for (i = 0; i < l->spans.n; i++) {
		const struct qs_sl_span	*s = l->spans.v[i];
		static const char *const cls[] = {
			"live unknown", "live up", "live down"
		};

		html_band(h, cls[s->state], html_x(g, s->from_hi),
		    html_x(g, s->to), y + 6, ROW_H - 9, "s", s->index,
		    s->state == QS_LIVE_UP ? "up " : s->state ==
		    QS_LIVE_DOWN ? "down " : "unknown ", s->from, " to ", s->to);
	}
	/* Where a boundary is only known to lie in a range, the range. */
	for (i = 0; i < l->spans.n; i++) {
		const struct qs_sl_span	*s = l->spans.v[i];

		if (s->to_hi > s->to)
			html_band(h, "range", html_x(g, s->to), html_x(g,
			    s->to_hi), y + 6, ROW_H - 9, "s", s->index,
			    "changed between ", s->to, " and ", s->to_hi);
	}
	for (i = 0; i < l->terms.n; i++) {
		const struct qs_sl_term	*t = l->terms.v[i];

		html_band(h, "term", html_x(g, t->from), html_x(g, t->to),
		    y + 1, 4, "t", t->index, t->term != NULL ?
		    qs_arena_printf(&h->a, "leader, term %s: ", t->term) :
		    "leader: ", t->from, " to ", t->to);
	}
	for (i = 0; i < l->marks.n; i++) {
		const struct qs_sl_mark	*m = l->marks.v[i];

		html_mark(h, m, html_x(g, m->t), y + 3, y + ROW_H - 2);
	}
	html_out(h, "</g>\n");
}

static void
html_group(struct html *h, const struct qs_sl_group *g, size_t gi)
{
	double		 y, ph, height;
	size_t		 i;
	const char	*s;

	ph = (g->quorum.n > 0 ? QUORUM_H : 0) + (double)g->lanes.n * ROW_H;
	height = (g->lanes.n > 0 || g->quorum.n > 0 ? AXIS_H + ph : 0) +
	    (g->untimed.n > 0 ?
	    UNTIMED_H + 4 : 0) + 4;
	html_out(h, "<figure class=\"group\" id=\"group-");
	html_token(h, g->id);
	html_out(h, "\" data-g=\"%zu\"", gi);
	if (g->cluster != SIZE_MAX) {
		html_out(h, " data-cluster=\"");
		html_text(h, g->id);
		html_out(h, "\"");
	}
	html_out(h, ">\n<figcaption>");
	html_text(h, g->id);
	if (g->name != NULL) {
		html_out(h, ": ");
		html_text(h, g->name);
	}
	html_out(h, " <span class=\"muted\">");
	html_out(h, "%zu lane%s", g->lanes.n, g->lanes.n == 1 ? "" : "s");
	if (g->timed) {
		html_out(h, ", ");
		html_time(h, g->t0);
		html_out(h, " to ");
		html_time(h, g->t1);
	}
	if (!g->has_history && g->cluster != SIZE_MAX)
		html_out(h, "; no liveness history for this cluster, events "
		    "only");
	html_out(h, "</span></figcaption>\n<div class=\"slwrap\">\n");
	html_out(h, "<svg class=\"sl\" viewBox=\"0 0 %d %.0f\" width=\"%d\" "
	    "height=\"%.0f\" role=\"img\" aria-label=\"", SVG_W, height, SVG_W,
	    height);
	html_out(h, "swimlanes of ");
	html_text(h, g->id);
	html_out(h, "\"");
	if (g->timed) {
		html_out(h, " data-t0=\"");
		html_time(h, g->t0);
		html_out(h, "\" data-t1=\"");
		html_time(h, g->t1);
		html_out(h, "\" data-pad=\"%d\"", PLOT_PAD);
	}
	html_out(h, ">\n");
	y = AXIS_H;
	if (g->lanes.n > 0 || g->quorum.n > 0) {
		if (g->timed)
			html_axis(h, g);
		html_out(h, "<g class=\"labels\">\n");
		if (g->quorum.n > 0) {
			html_out(h, "<text class=\"sub\" x=\"4\" y=\"%.1f\">"
			    "quorum</text>\n", y + QUORUM_H - 4);
			y += QUORUM_H;
		}
		for (i = 0; i < g->lanes.n; i++, y += ROW_H) {
			const struct qs_sl_lane	*l = g->lanes.v[i];

			html_out(h, "<text class=\"lbl\" x=\"4\" y=\"%.1f\" "
			    "data-lane=\"", y + ROW_H - 8);
			html_text(h, l->label);
			html_out(h, "\">");
			/* Long names are cut in the picture, whole on hover. */
			s = l->label;
			if (strlen(s) > 24)
				s = qs_arena_printf(&h->a, "%.22s..", s);
			html_text(h, s);
			html_out(h, "<title>");
			html_text(h, l->label);
			html_out(h, "</title></text>\n");
			if (l->has_skew)
				html_out(h, "<text class=\"skew\" x=\"%d\" "
				    "y=\"%.1f\" text-anchor=\"end\">%+.1f s"
				    "<title>clock offset from the others, "
				    "%zu shared events</title></text>\n",
				    LABEL_W - 6, y + ROW_H - 8,
				    (double)l->skew_ms / 1000,
				    l->skew_samples);
		}
		html_out(h, "</g>\n");
		html_out(h, "<svg class=\"plot\" x=\"%d\" y=\"%d\" width=\"%d\" "
		    "height=\"%.0f\" viewBox=\"0 0 %d %.0f\" "
		    "preserveAspectRatio=\"none\">\n", LABEL_W, AXIS_H, PLOT_W,
		    ph, PLOT_W, ph);
		html_rect(h, "plotbg", 0, PLOT_W, 0, ph);
		html_out(h, "/>\n<g class=\"zoom\">\n");
		y = 0;
		if (g->quorum.n > 0) {
			html_out(h, "<g class=\"quorum\">\n");
			for (i = 0; i < g->quorum.n; i++) {
				const struct qs_sl_quorum *q = g->quorum.v[i];
				const char		  *cls;

				cls = q->state == 2 ? "q lost" : q->state ==
				    0 ? "q unknown" : q->leader != NULL ?
				    "q held" : "q leaderless";
				html_rect(h, cls, html_x(g, q->from),
				    html_x(g, q->to), y + 2, QUORUM_H - 4);
				html_out(h, " data-q=\"%zu\"><title>", q->index);
				html_out(h, "%s", q->state == 2 ? "quorum lost" :
				    q->state == 0 ? "quorum unknown" :
				    q->leader != NULL ? "quorum held, leader " :
				    "quorum held, no leader");
				if (q->state == 1 && q->leader != NULL)
					html_text(h, q->leader);
				html_out(h, "</title></rect>\n");
			}
			html_out(h, "</g>\n");
			y += QUORUM_H;
		}
		for (i = 0; i < g->lanes.n; i++, y += ROW_H)
			html_lane(h, g, g->lanes.v[i], y);
		html_out(h, "</g>\n</svg>\n");
		y = AXIS_H + ph;
	} else
		y = 0;
	if (g->untimed.n > 0) {
		html_out(h, "<g class=\"untimed\">\n<text class=\"sub\" x=\"4\" "
		    "y=\"%.1f\">untimed, in order</text>\n", y + 17);
		html_out(h, "<svg class=\"uplot\" x=\"%d\" y=\"%.0f\" "
		    "width=\"%d\" height=\"%d\">\n", LABEL_W, y + 4, PLOT_W,
		    UNTIMED_H - 4);
		html_rect(h, "plotbg", 0, PLOT_W, 0, UNTIMED_H - 4);
		html_out(h, "/>\n");
		for (i = 0; i < g->untimed.n; i++)
			html_mark(h, g->untimed.v[i], ((double)i + 0.5) *
			    PLOT_W / (double)g->untimed.n, 2, UNTIMED_H - 6);
		html_out(h, "</svg>\n</g>\n");
	}
	html_out(h, "</svg>\n</div>\n</figure>\n");
}

static void
html_legend(struct html *h)
{
	int	k;

	html_out(h, "<div class=\"legend\">"
	    "<span><i class=\"sw\" style=\"background:var(--up)\"></i> up</span>"
	    "<span><i class=\"sw\" style=\"background:var(--down)\"></i> down"
	    "</span><span><i class=\"sw\" style=\"background:var(--unk)\">"
	    "</i> unknown</span><span><i class=\"sw\" style=\"background:"
	    "repeating-linear-gradient(45deg,#495057 0 2px,#f1f3f5 2px 5px)"
	    "\"></i> boundary inferred within this range</span>"
	    "<span><i class=\"sw\" style=\"background:var(--lead);height:4px\">"
	    "</i> leader (one band per term)</span>"
	    "<span><i class=\"sw\" style=\"background:#8ce99a\"></i> quorum "
	    "held</span><span><i class=\"sw\" style=\"background:#ffe066\">"
	    "</i> held, no leader</span><span><i class=\"sw\" style=\""
	    "background:#fa5252\"></i> quorum lost</span></div>\n"
	    "<div class=\"legend\">");
	for (k = 0; k < QS_EV_COUNT; k++)
		html_out(h, "<span><i class=\"tick ev-%s\"></i> %s</span>",
		    qs_event_kind_name(k), qs_event_kind_name(k));
	html_out(h, "</div>\n");
}

static void
html_timeline(struct html *h)
{
	size_t	i;

	html_out(h, "<section id=\"timeline\">\n<h2>Timeline</h2>\n");
	html_out(h, "<p class=\"muted\">One lane per member, grouped by "
	    "cluster; %zu timed event%s and %zu without a time (placed by "
	    "their order). Hover a mark for its evidence; click a finding to "
	    "see its nodes and the time it covers.</p>\n", h->sw.marks,
	    h->sw.marks == 1 ? "" : "s", h->sw.untimed);
	html_out(h, "<div class=\"controls\"><button type=\"button\" "
	    "data-zoom=\"in\">zoom in</button> <button type=\"button\" "
	    "data-zoom=\"out\">zoom out</button> <button type=\"button\" "
	    "data-zoom=\"reset\">whole history</button><span class=\"hint\">"
	    "wheel to zoom, drag to pan</span></div>\n");
	html_legend(h);
	if (h->sw.groups.n == 0)
		html_out(h, "<p>No lane to draw: no cluster and no event in the "
		    "evidence read.</p>\n");
	for (i = 0; i < h->sw.groups.n; i++) {
		const struct qs_sl_group *g = h->sw.groups.v[i];
		const struct qs_sl_group *prev = i > 0 ?
		    h->sw.groups.v[i - 1] : NULL;
		const char		 *sys = g->system != NULL ?
		    g->system : "outside every cluster";

		/* Clusters come sorted by system: a heading per system. */
		if (h->sw.groups.n > 1 && (prev == NULL || prev->system ==
		    NULL || g->system == NULL || strcmp(prev->system,
		    g->system) != 0)) {
			html_out(h, "<h3 class=\"system\">");
			html_text(h, sys);
			html_out(h, "</h3>\n");
		}
		html_group(h, g, i);
	}
	html_out(h, "</section>\n");
}

static void
html_strings(struct html *h, const cJSON *arr, const char *sep)
{
	const cJSON	*s;
	size_t		 n = 0;

	cJSON_ArrayForEach(s, arr)
		if (cJSON_IsString(s)) {
			if (n++ > 0)
				html_out(h, "%s", sep);
			html_text(h, s->valuestring);
		}
}

static void
html_fact_item(struct html *h, const cJSON *x)
{
	html_text(h, cJSON_IsString(x) ? x->valuestring : "");
}

static void
html_evidence_item(struct html *h, const cJSON *ev)
{
	html_out(h, "<span class=\"mono ev-where\">");
	html_where(h, ev);
	html_out(h, "</span>");
	if (html_str(ev, "excerpt") != NULL) {
		html_out(h, "<pre>");
		html_text(h, html_str(ev, "excerpt"));
		html_out(h, "</pre>");
	}
}

static void
html_step_item(struct html *h, const cJSON *x)
{
	if (cJSON_IsString(x))
		html_step(h, x->valuestring);
}

/* A finding's facts, evidence or steps: a heading and a list, if any. */
static void
html_list(struct html *h, const cJSON *arr, const char *heading,
    const char *tag, void (*item)(struct html *, const cJSON *))
{
	const cJSON	*x;

	if (cJSON_GetArraySize(arr) == 0)
		return;
	html_out(h, "<h4>%s</h4>\n<%s>\n", heading, tag);
	cJSON_ArrayForEach(x, arr) {
		html_out(h, "<li>");
		item(h, x);
		html_out(h, "</li>\n");
	}
	html_out(h, "</%s>\n", tag);
}

static void
html_findings(struct html *h)
{
	const cJSON	*f, *g, *x;
	const char	*id, *sev;
	size_t		 n;

	n = (size_t)cJSON_GetArraySize(html_arr(h->report, "findings"));
	html_out(h, "<section id=\"findings\">\n<h2>Findings <span "
	    "class=\"muted\">(%zu)</span></h2>\n", n);
	if (n == 0)
		html_out(h, "<p>No finding.</p>\n");
	cJSON_ArrayForEach(f, html_arr(h->report, "findings")) {
		id = html_str(f, "id");
		sev = html_str(f, "severity");
		html_out(h, "<article class=\"finding\" id=\"finding-");
		html_token(h, id);
		html_out(h, "\" data-finding=\"");
		html_text(h, id);
		html_out(h, "\">\n<h3 title=\"show on the timeline\">");
		html_badge(h, "badge sev-", sev);
		html_out(h, " ");
		html_text(h, html_str(f, "title"));
		html_out(h, " ");
		html_badge(h, "role role-", html_str(f, "role"));
		html_out(h, "</h3>\n<p class=\"muted\">");
		html_text(h, id);
		html_out(h, " &middot; ");
		html_text(h, html_str(f, "rule"));
		html_out(h, " &middot; ");
		html_text(h, html_str(f, "kind"));
		if (html_str(f, "cluster") != NULL) {
			html_out(h, " &middot; cluster ");
			html_text(h, html_str(f, "cluster"));
		}
		if (cJSON_GetArraySize(html_arr(f, "nodes")) > 0) {
			html_out(h, " &middot; nodes: ");
			html_strings(h, html_arr(f, "nodes"), ", ");
		}
		html_out(h, "</p>\n");
		/* Cause and consequence, both ways. */
		n = 0;
		cJSON_ArrayForEach(x, html_arr(f, "caused_by"))
			if (cJSON_IsString(x) && (g = html_finding(h,
			    x->valuestring)) != NULL) {
				html_out(h, "%s", n++ == 0 ? "<p class=\"links\">"
				    "Caused by: " : "");
				html_finding_link(h, g);
			}
		if (n > 0)
			html_out(h, "</p>\n");
		n = 0;
		cJSON_ArrayForEach(g, html_arr(h->report, "findings"))
			cJSON_ArrayForEach(x, html_arr(g, "caused_by"))
				if (cJSON_IsString(x) && id != NULL &&
				    strcmp(x->valuestring, id) == 0) {
					html_out(h, "%s", n++ == 0 ? "<p class="
					    "\"links\">Leads to: " : "");
					html_finding_link(h, g);
				}
		if (n > 0)
			html_out(h, "</p>\n");
		html_list(h, html_arr(f, "facts"), "Why", "ul", html_fact_item);
		html_list(h, html_arr(f, "evidence"), "Evidence", "ul",
		    html_evidence_item);
		html_list(h, html_arr(f, "steps"), "Repair", "ol",
		    html_step_item);
		html_out(h, "</article>\n");
	}
	html_out(h, "</section>\n");
}

/* Does a state say the member belongs (a voter, alive) or not? */
static int
html_state_in(const char *s)
{
	return s != NULL && (strcmp(s, "voter") == 0 || strcmp(s,
	    "non-voter") == 0 || strcmp(s, "alive") == 0 || strcmp(s,
	    "listed") == 0);
}

static size_t
html_index_of(struct qs_vec *v, const char *s)
{
	size_t	i;

	for (i = 0; i < v->n; i++)
		if (strcmp(v->v[i], s) == 0)
			return i;
	qs_vec_push(v, (void *)s);
	return i;
}

static const char *
html_row_state(const cJSON *row, const cJSON *col)
{
	return html_str(cJSON_GetObjectItemCaseSensitive(row, "states"),
	    cJSON_IsString(col) ? col->valuestring : "");
}

/*
 * The membership matrix, one table per system: a row per node and
 * source, a column per member any of them names.  Where the same kind of
 * source on different nodes disagrees (one node's serf snapshot has the
 * member alive, another's has it left), the member's name is red and the
 * cells that leave it out are outlined.
 */
static void
html_membership(struct html *h)
{
	const cJSON	*rows = html_arr(h->peers, "rows");
	const cJSON	*cols = html_arr(h->peers, "members");
	const cJSON	*r, *c;
	struct qs_vec	 systems = { 0 }, sources = { 0 };
	size_t		 i, j, k, ncols = (size_t)cJSON_GetArraySize(cols);
	char		*use, *in, *out;

	html_out(h, "<section id=\"membership\">\n<h2>Membership</h2>\n");
	if (cJSON_GetArraySize(rows) == 0)
		html_out(h, "<p>No membership view in the bundle (no "
		    "peers.json, raft configuration or serf snapshot was "
		    "decoded).</p>\n");
	else
		html_out(h, "<p class=\"muted\">What each node's sources say "
		    "of each member, as <code>quorumscope peers</code> "
		    "prints it: the latest view of each node and source. "
		    "Outlined: a cell that leaves out a member the same kind "
		    "of source on another node counts in; stale-address: "
		    "named at an address its node no longer has.</p>\n");
	cJSON_ArrayForEach(r, rows) {
		if (html_str(r, "system") != NULL)
			html_index_of(&systems, html_str(r, "system"));
		if (html_str(r, "source") != NULL)
			html_index_of(&sources, html_str(r, "source"));
	}
	use = qs_xcalloc(ncols + 1, 1);
	in = qs_xcalloc((ncols + 1) * (sources.n + 1), 1);
	out = qs_xcalloc((ncols + 1) * (sources.n + 1), 1);
	cJSON_ArrayForEach(r, rows) {
		if (html_str(r, "source") == NULL)
			continue;
		k = html_index_of(&sources, html_str(r, "source"));
		j = 0;
		cJSON_ArrayForEach(c, cols) {
			if (html_state_in(html_row_state(r, c)))
				in[k * ncols + j] = 1;
			else
				out[k * ncols + j] = 1;
			j++;
		}
	}
	for (i = 0; i < systems.n; i++) {
		const char	*sys = systems.v[i];

		memset(use, 0, ncols);
		cJSON_ArrayForEach(r, rows) {
			if (html_str(r, "system") == NULL || strcmp(html_str(r,
			    "system"), sys) != 0)
				continue;
			j = 0;
			cJSON_ArrayForEach(c, cols) {
				const char *st = html_row_state(r, c);

				if (st != NULL && strcmp(st, "absent") != 0)
					use[j] = 1;
				j++;
			}
		}
		html_out(h, "<h3>");
		html_text(h, sys);
		html_out(h, "</h3>\n<table class=\"matrix\" data-system=\"");
		html_text(h, sys);
		html_out(h, "\">\n<tr><th>node</th><th>source</th>");
		j = 0;
		cJSON_ArrayForEach(c, cols) {
			int	odd = 0;

			for (k = 0; k < sources.n; k++)
				odd |= in[k * ncols + j] && out[k * ncols + j];
			if (use[j]) {
				html_out(h, "<th class=\"col%s\">", odd ?
				    " disagree" : "");
				html_text(h, cJSON_IsString(c) ?
				    c->valuestring : "");
				html_out(h, "</th>");
			}
			j++;
		}
		html_out(h, "</tr>\n");
		cJSON_ArrayForEach(r, rows) {
			if (html_str(r, "system") == NULL || strcmp(html_str(r,
			    "system"), sys) != 0 || html_str(r, "source") ==
			    NULL)
				continue;
			k = html_index_of(&sources, html_str(r, "source"));
			html_out(h, "<tr><th>");
			html_text(h, html_str(r, "node"));
			html_out(h, "</th><th title=\"");
			html_where(h, cJSON_GetObjectItemCaseSensitive(r,
			    "evidence"));
			html_out(h, "\">");
			html_text(h, html_str(r, "source"));
			html_out(h, "</th>");
			j = 0;
			cJSON_ArrayForEach(c, cols) {
				const char *st = html_row_state(r, c);

				if (use[j]) {
					html_out(h, "<td class=\"st-");
					html_token(h, st);
					html_out(h, "%s\">", in[k * ncols + j] &&
					    !html_state_in(st) ? " odd" : "");
					html_text(h, st);
					html_out(h, "</td>");
				}
				j++;
			}
			html_out(h, "</tr>\n");
		}
		html_out(h, "</table>\n");
	}
	free(use);
	free(in);
	free(out);
	qs_vec_free(&systems);
	qs_vec_free(&sources);
	html_out(h, "</section>\n");
}

static void
html_coverage(struct html *h)
{
	const cJSON	*in, *n, *a, *d;
	size_t		 arts, bad;

	html_out(h, "<section id=\"coverage\">\n<h2>Coverage</h2>\n"
	    "<table>\n<tr><th>input</th><th>entries</th><th>bytes</th>"
	    "<th>read</th></tr>\n");
	cJSON_ArrayForEach(in, html_arr(h->report, "inputs")) {
		const cJSON	*readable = cJSON_GetObjectItemCaseSensitive(in,
		    "readable");
		const cJSON	*complete = cJSON_GetObjectItemCaseSensitive(in,
		    "complete");

		html_out(h, "<tr%s><td class=\"mono\">", cJSON_IsTrue(complete) ?
		    "" : " class=\"partial\"");
		html_text(h, html_str(in, "path"));
		html_out(h, "</td><td>%.0f</td><td>%.0f</td><td>%s</td></tr>\n",
		    html_num(in, "entries"), html_num(in, "bytes"),
		    !cJSON_IsTrue(readable) ? "unreadable" :
		    cJSON_IsTrue(complete) ? "whole" : "only in part (a limit "
		    "was reached)");
	}
	html_out(h, "</table>\n<table>\n<tr><th>node</th><th>systems</th>"
	    "<th>artifacts</th><th>not fully decoded</th></tr>\n");
	cJSON_ArrayForEach(n, html_arr(h->report, "nodes")) {
		arts = bad = 0;
		cJSON_ArrayForEach(a, html_arr(n, "artifacts")) {
			arts++;
			if (html_str(a, "status") != NULL && strcmp(html_str(a,
			    "status"), "parsed") != 0)
				bad++;
		}
		html_out(h, "<tr%s><td>", bad > 0 ? " class=\"partial\"" : "");
		html_text(h, html_str(n, "name"));
		html_out(h, "</td><td>");
		html_strings(h, html_arr(n, "systems"), ", ");
		html_out(h, "</td><td>%zu</td><td>", arts);
		cJSON_ArrayForEach(a, html_arr(n, "artifacts"))
			if (html_str(a, "status") != NULL && strcmp(html_str(a,
			    "status"), "parsed") != 0) {
				html_out(h, "<div><span class=\"mono\">");
				html_text(h, html_str(a, "path"));
				html_out(h, "</span> (");
				html_text(h, html_str(a, "kind"));
				html_out(h, "): ");
				html_text(h, html_str(a, "status"));
				if (html_str(a, "message") != NULL) {
					html_out(h, ", ");
					html_text(h, html_str(a, "message"));
				}
				html_out(h, "</div>");
			}
		html_out(h, "</td></tr>\n");
	}
	html_out(h, "</table>\n");
	if (html_num(h->report, "unrecognised") > 0)
		html_out(h, "<p>%.0f entr%s recognised as no artifact kind.</p>\n",
		    html_num(h->report, "unrecognised"), html_num(h->report,
		    "unrecognised") == 1 ? "y was" : "ies were");
	html_out(h, "</section>\n<section id=\"diagnostics\">\n"
	    "<h2>Diagnostics</h2>\n");
	if (cJSON_GetArraySize(html_arr(h->report, "diagnostics")) == 0)
		html_out(h, "<p>None: every input was read without a "
		    "complaint.</p>\n");
	else
		html_out(h, "<table>\n<tr><th>severity</th><th>where</th>"
		    "<th>message</th></tr>\n");
	cJSON_ArrayForEach(d, html_arr(h->report, "diagnostics")) {
		const cJSON	*off = cJSON_GetObjectItemCaseSensitive(d,
		    "offset");

		html_out(h, "<tr><td>");
		html_text(h, html_str(d, "severity"));
		html_out(h, "</td><td class=\"mono\">");
		html_text(h, html_str(d, "input"));
		if (html_str(d, "path") != NULL) {
			html_out(h, ": ");
			html_text(h, html_str(d, "path"));
		}
		if (cJSON_IsNumber(off))
			html_out(h, " @%.0f", off->valuedouble);
		html_out(h, "</td><td>");
		html_text(h, html_str(d, "message"));
		html_out(h, "</td></tr>\n");
	}
	if (cJSON_GetArraySize(html_arr(h->report, "diagnostics")) > 0)
		html_out(h, "</table>\n");
	html_out(h, "</section>\n");
}

/*
 * Writes the page for a report document and a peers document, and frees
 * both.  Returns -1 on a write error.
 */
int
qs_report_html(FILE *f, cJSON *report, cJSON *peers)
{
	struct html	h;
	const cJSON	*tool = cJSON_GetObjectItemCaseSensitive(report, "tool");
	const cJSON	*e;
	int		rc;

	/* Every name and excerpt the page shows comes from these. */
	qs_json_sanitise(report);
	qs_json_sanitise(peers);
	memset(&h, 0, sizeof(h));
	h.f = f;
	h.report = report;
	h.peers = peers;
	qs_swimlane_build(&h.sw, report, NULL);
	/* cJSON arrays are lists: index the timeline once. */
	h.entries = qs_xcalloc((size_t)cJSON_GetArraySize(html_arr(report,
	    "timeline")) + 1, sizeof(*h.entries));
	cJSON_ArrayForEach(e, html_arr(report, "timeline"))
		h.entries[h.nentries++] = e;
	html_head(&h);
	html_header(&h);
	html_verdict(&h);
	html_timeline(&h);
	html_findings(&h);
	html_membership(&h);
	html_coverage(&h);
	html_out(&h, "<footer><p class=\"muted\">Made by ");
	html_text(&h, html_str(tool, "name"));
	html_out(&h, " ");
	html_text(&h, html_str(tool, "version"));
	html_out(&h, ". The page embeds its data as JSON: "
	    "<code>qs-report</code> is what <code>quorumscope report -f "
	    "json</code> prints, <code>qs-peers</code> what "
	    "<code>quorumscope peers -f json</code> prints.</p></footer>\n"
	    "<div id=\"tip\" role=\"tooltip\"></div>\n");
	html_json(&h, "qs-report", report);
	html_json(&h, "qs-peers", peers);
	html_out(&h, "<script>\n");
	html_lines(&h, qs_html_js);
	html_out(&h, "</script>\n</body>\n</html>\n");
	rc = ferror(f) ? -1 : 0;
	qs_swimlane_free(&h.sw);
	free(h.entries);
	qs_arena_free(&h.a);
	cJSON_Delete(report);
	cJSON_Delete(peers);
	return rc;
}
