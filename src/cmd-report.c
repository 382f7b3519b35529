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
	if (c->decoded == 0)
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

static void
report_text_finding(const struct qs_globals *g, struct qs_arena *a,
    const struct qs_finding *f, FILE *out)
{
	size_t	i;
	const char *p, *nl;

	fprintf(out, "\n%s%-8s%s  %s%s%s  [%s, %s]\n",
	    report_level_color(g, f->level), qs_level_name(f->level),
	    RESET(g), BOLD(g), qs_escape(a, f->title), RESET(g), f->rule->id,
	    f->rule->kind);
	if (f->nodes.n > 0) {
		fputs("  nodes: ", out);
		for (i = 0; i < f->nodes.n; i++)
			fprintf(out, "%s%s", i > 0 ? ", " : "", qs_escape(a,
			    ((struct qs_node *)f->nodes.v[i])->name));
		fputc('\n', out);
	}
	if (f->facts.n > 0) {
		fputs("  why:\n", out);
		for (i = 0; i < f->facts.n; i++) {
			fputs("    - ", out);
			qs_text_wrap(out, 0, 6, qs_escape(a, f->facts.v[i]),
			    78);
		}
	}
	if (f->evidence.n > 0) {
		fputs("  evidence:\n", out);
		for (i = 0; i < f->evidence.n; i++) {
			const struct qs_evidence *ev = f->evidence.v[i];

			fprintf(out, "    %s\n", qs_escape(a,
			    qs_evidence_text(a, ev)));
			if (ev->excerpt != NULL)
				fprintf(out, "      | %s\n", qs_escape(a,
				    ev->excerpt));
		}
	}
	if (f->steps.n > 0) {
		fputs("  repair:\n", out);
		for (i = 0; i < f->steps.n; i++) {
			/* Multi-line steps (file contents) are indented. */
			p = f->steps.v[i];
			fprintf(out, "    %zu. ", i + 1);
			while ((nl = strchr(p, '\n')) != NULL) {
				fprintf(out, "%s\n         ", qs_escape(a,
				    qs_arena_strndup(a, p, (size_t)(nl - p))));
				p = nl + 1;
			}
			fprintf(out, "%s\n", qs_escape(a, p));
		}
	}
}

static void
report_text(struct qs_globals *g, struct qs_analysis *an)
{
	struct qs_run		*run = g->run;
	struct qs_arena		 a = { NULL };
	size_t			 i, j, shown, kept;
	size_t			 counts[QS_LEVEL_CRITICAL + 1] = { 0 };
	FILE			*out = stdout;
	char			 t[40];

	fprintf(out, "%squorumscope report%s: %zu input%s, %zu node%s\n",
	    BOLD(g), RESET(g), run->inputs.n, run->inputs.n == 1 ? "" : "s",
	    run->nodes.n, run->nodes.n == 1 ? "" : "s");

	fprintf(out, "\n%sCoverage%s\n", BOLD(g), RESET(g));
	for (i = 0; i < run->inputs.n; i++) {
		const struct qs_input	*in = run->inputs.v[i];

		if (qs_input_completeness(in) == QS_UNREADABLE)
			fprintf(out, "  input %s: unreadable\n",
			    qs_escape(&a, in->path));
		else if (qs_input_completeness(in) == QS_PARTIAL)
			fprintf(out, "  input %s: read only in part: %s\n",
			    qs_escape(&a, in->path), qs_escape(&a,
			    in->partial != NULL ? in->partial :
			    "a limit was reached"));
	}
	for (i = 0; i < run->nodes.n; i++) {
		const struct qs_node	*n = run->nodes.v[i];
		const char		*line = "";
		size_t			 bad = 0;

		for (j = 0; j < n->artifacts.n; j++) {
			const struct qs_artifact *art = n->artifacts.v[j];

			if (art->kind == NULL)
				continue;
			if (strstr(line, art->kind->name) == NULL)
				line = qs_arena_printf(&a, "%s%s%s", line,
				    *line != '\0' ? ", " : "",
				    art->kind->name);
			if (art->status != QS_STATUS_PARSED)
				bad++;
		}
		fprintf(out, "  %s: %s", qs_escape(&a, n->name), *line != '\0'
		    ? line : "nothing recognised");
		if (bad > 0)
			fprintf(out, " (%zu not fully decoded)", bad);
		fputc('\n', out);
	}

	fprintf(out, "\n%sVerdict%s\n", BOLD(g), RESET(g));
	if (an->clusters.n == 0)
		fprintf(out, "  unknown: no artifact of Consul, etcd, ZooKeeper "
		    "or Triton was recognised\n");
	for (i = 0; i < an->clusters.n; i++) {
		const struct qs_cluster	*c = an->clusters.v[i];
		const char		*line, *cause;

		fprintf(out, "  %s: %s, %zu node%s", c->id, qs_escape(&a,
		    c->name), c->nodes.n, c->nodes.n == 1 ? "" : "s");
		if (c->system == QS_SYS_CONSUL)
			fprintf(out, ", %s", qs_escape(&a,
			    report_consul_summary(an, c)));
		report_verdict(an, c, &line, &cause);
		fprintf(out, "\n    %s\n", qs_escape(&a, line));
		if (cause != NULL)
			fprintf(out, "    %s\n", qs_escape(&a, cause));
		if (c->partial_evidence)
			fprintf(out, "    drawn from partial evidence: an "
			    "input or artifact was read only in part (see "
			    "Coverage)\n");
	}
	for (i = 0; i < an->timeline.skews.n; i++) {
		const struct qs_skew	*sk = an->timeline.skews.v[i];

		fprintf(out, "  clock: %s runs %+.1f s from the others "
		    "(%zu shared events)\n", qs_escape(&a, sk->node->name),
		    (double)sk->ms / 1000, sk->samples);
	}

	for (i = 0; i < an->findings.n; i++)
		counts[((struct qs_finding *)an->findings.v[i])->level]++;
	fprintf(out, "\n%sFindings%s: %zu", BOLD(g), RESET(g),
	    an->findings.n);
	for (i = QS_LEVEL_CRITICAL + 1; i-- > 0;)
		if (counts[i] > 0)
			fprintf(out, ", %zu %s", counts[i], qs_level_name(i));
	fputc('\n', out);
	for (i = 0; i < an->findings.n; i++)
		report_text_finding(g, &a, an->findings.v[i], out);

	for (i = kept = 0; i < an->timeline.entries.n; i++)
		if (report_condensed(an->timeline.entries.v[i]))
			kept++;
	fprintf(out, "\n%sTimeline%s: %zu membership and leadership event%s",
	    BOLD(g), RESET(g), kept, kept == 1 ? "" : "s");
	if (kept > REPORT_TIMELINE_MAX)
		fprintf(out, ", the last %d shown (all: quorumscope timeline)",
		    REPORT_TIMELINE_MAX);
	fputc('\n', out);
	for (i = shown = 0; i < an->timeline.entries.n; i++) {
		const struct qs_tl_entry *te = an->timeline.entries.v[i];
		const struct qs_event	*e = te->event;

		if (!report_condensed(te) || kept - shown++ >
		    REPORT_TIMELINE_MAX)
			continue;
		fprintf(out, "  %-24s  %-10s %-14s %s", qs_time_format(&e->time,
		    t, sizeof(t)), e->observer != NULL ? qs_escape(&a,
		    e->observer->name) : "-", qs_event_kind_name(e->kind),
		    qs_escape(&a, qs_tl_subject(e)));
		if (e->clock.set & QS_CLOCK_TERM)
			fprintf(out, " term %llu",
			    (unsigned long long)e->clock.term);
		if (e->detail != NULL)
			fprintf(out, " (%s)", qs_escape(&a, e->detail));
		if (te->observers.n > 1)
			fprintf(out, " [seen by %zu]", te->observers.n);
		fputc('\n', out);
	}
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
		cJSON_AddNumberToObject(o, "artifacts_partial",
		    (double)c->partial);
		if (c->system == QS_SYS_CONSUL)
			cJSON_AddStringToObject(o, "summary",
			    report_consul_summary(an, c));
		report_verdict(an, c, &line, &cause);
		cJSON_AddStringToObject(o, "state", line);
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
};
