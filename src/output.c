/*
 * Pieces every command's output shares: the JSON header and diagnostics
 * (the stable contract the man page documents), the text diagnostics
 * list, and an aligned table printer.  Output only prints what the run
 * holds; it computes nothing.
 */
#include "config.h"

#include <sys/ioctl.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include <unistd.h>

#include "quorumscope.h"

#define COLOR_BOLD	"\033[1m"
#define COLOR_RED	"\033[31m"
#define COLOR_YELLOW	"\033[33m"
#define COLOR_RESET	"\033[0m"

static cJSON *
output_json_add_object(cJSON *parent, const char *name)
{
	cJSON	*o = cJSON_CreateObject();

	if (o == NULL)
		qs_fatal("out of memory building JSON");
	cJSON_AddItemToObject(parent, name, o);
	return o;
}

/* {"schema", "tool": {name, version}, "inputs": [{path, entries, bytes}]} */
cJSON *
qs_json_header(const struct qs_run *run)
{
	cJSON	*root, *tool, *inputs, *in;
	size_t	 i;

	if ((root = cJSON_CreateObject()) == NULL)
		qs_fatal("out of memory building JSON");
	cJSON_AddNumberToObject(root, "schema", QS_SCHEMA_VERSION);
	tool = output_json_add_object(root, "tool");
	cJSON_AddStringToObject(tool, "name", PACKAGE_NAME);
	cJSON_AddStringToObject(tool, "version", PACKAGE_VERSION);
	inputs = cJSON_AddArrayToObject(root, "inputs");
	for (i = 0; i < run->inputs.n; i++) {
		const struct qs_input	*input = run->inputs.v[i];

		in = cJSON_CreateObject();
		cJSON_AddStringToObject(in, "path", input->path);
		cJSON_AddNumberToObject(in, "entries", (double)input->entries);
		cJSON_AddNumberToObject(in, "bytes", (double)input->bytes);
		cJSON_AddBoolToObject(in, "readable", input->opened);
		cJSON_AddBoolToObject(in, "complete",
		    qs_input_completeness(input) == QS_COMPLETE);
		cJSON_AddStringToObject(in, "state", qs_completeness_name(
		    qs_input_completeness(input)));
		if (input->partial != NULL) {
			cJSON_AddStringToObject(in, "reason", input->partial);
			cJSON_AddNumberToObject(in, "read_until",
			    (double)input->partial_at);
		} else {
			cJSON_AddNullToObject(in, "reason");
			cJSON_AddNullToObject(in, "read_until");
		}
		cJSON_AddItemToArray(inputs, in);
	}
	return root;
}

/* [{input, path, severity, message[, offset]}] */
cJSON *
qs_json_diagnostics(const struct qs_run *run)
{
	cJSON	*arr = cJSON_CreateArray(), *d;
	size_t	 i;

	if (arr == NULL)
		qs_fatal("out of memory building JSON");
	for (i = 0; i < run->diags.n; i++) {
		const struct qs_diag	*diag = run->diags.v[i];

		d = cJSON_CreateObject();
		if (diag->input != NULL)
			cJSON_AddStringToObject(d, "input", diag->input);
		else
			cJSON_AddNullToObject(d, "input");
		if (diag->path != NULL)
			cJSON_AddStringToObject(d, "path", diag->path);
		else
			cJSON_AddNullToObject(d, "path");
		cJSON_AddStringToObject(d, "severity",
		    qs_severity_name(diag->severity));
		cJSON_AddStringToObject(d, "message", diag->message);
		if (diag->has_offset)
			cJSON_AddNumberToObject(d, "offset",
			    (double)diag->offset);
		cJSON_AddItemToArray(arr, d);
	}
	return arr;
}

/* Prints and frees a JSON tree, indented, with a final newline. */
int
qs_json_print(cJSON *root, FILE *f)
{
	char	*s;

	qs_json_sanitise(root);
	s = qs_json_terminal_safe(cJSON_Print(root));
	cJSON_Delete(root);
	if (s == NULL)
		qs_fatal("out of memory printing JSON");
	fputs(s, f);
	fputc('\n', f);
	free(s);
	return ferror(f) ? -1 : 0;
}

void
qs_text_diagnostics(const struct qs_globals *g, FILE *f)
{
	const struct qs_run	*run = g->run;
	struct qs_arena		 a = { NULL };
	size_t			 i;

	if (run->diags.n == 0)
		return;
	fprintf(f, "\n%sDiagnostics%s\n", g->use_color ? COLOR_BOLD : "",
	    g->use_color ? COLOR_RESET : "");
	for (i = 0; i < run->diags.n; i++) {
		const struct qs_diag	*d = run->diags.v[i];
		const char		*color = "";

		if (g->use_color)
			color = d->severity == QS_SEV_ERROR ? COLOR_RED :
			    d->severity == QS_SEV_WARNING ? COLOR_YELLOW : "";
		fprintf(f, "  %s%-7s%s  ", color,
		    qs_severity_name(d->severity),
		    *color != '\0' ? COLOR_RESET : "");
		qs_text_wrap_at(f, 11, 4, qs_arena_printf(&a, "%s%s%s%s%s%s",
		    d->input != NULL ? qs_escape(&a, d->input) : "",
		    d->input != NULL ? ": " : "",
		    d->path != NULL ? qs_escape(&a, d->path) : "",
		    d->path != NULL ? ": " : "",
		    d->has_offset ? qs_arena_printf(&a, "offset %llu: ",
		    (unsigned long long)d->offset) : "",
		    qs_escape(&a, d->message)), qs_output_width(g));
	}
	qs_arena_free(&a);
}

/*
 * An aligned table: cells row-major, the first row the header; right[c]
 * right-aligns column c.  The last column is not padded.  Cells must
 * already be escaped.
 */
void
qs_table_print(FILE *f, size_t ncols, size_t nrows, const char **cells,
    const int *right)
{
	size_t	*width = qs_xcalloc(ncols, sizeof(*width));
	size_t	 r, c, len;

	for (r = 0; r < nrows; r++)
		for (c = 0; c < ncols; c++) {
			len = strlen(cells[r * ncols + c]);
			if (len > width[c])
				width[c] = len;
		}
	for (r = 0; r < nrows; r++) {
		for (c = 0; c < ncols; c++) {
			const char	*cell = cells[r * ncols + c];
			int		 w = (int)width[c];

			if (c + 1 == ncols && !right[c])
				fputs(cell, f);
			else if (right[c])
				fprintf(f, "%*s", w, cell);
			else
				fprintf(f, "%-*s", w, cell);
			if (c + 1 < ncols)
				fputs("  ", f);
		}
		fputc('\n', f);
	}
	free(width);
}

/* "input: path:line" or "input: path@offset" for text output. */
const char *
qs_evidence_text(struct qs_arena *a, const struct qs_evidence *ev)
{
	const struct qs_artifact	*art = ev->artifact;

	if (art == NULL)
		return "";
	if (ev->line != 0)
		return qs_arena_printf(a, "%s: %s:%llu", art->input->path,
		    art->member, (unsigned long long)ev->line);
	if (ev->has_offset)
		return qs_arena_printf(a, "%s: %s@%llu", art->input->path,
		    art->member, (unsigned long long)ev->offset);
	return qs_arena_printf(a, "%s: %s", art->input->path, art->member);
}

/*
 * The artifact's path below its node's directory ("var/log/consul.log"
 * for "collect/node1/var/log/consul.log"), which dump accepts as the
 * tail of the path; the whole path when no component names the node.
 */
const char *
qs_node_path(const struct qs_artifact *art)
{
	const char	*p = art->logical, *name;
	size_t		 len;

	if (art->node == NULL)
		return p;
	name = art->node->name;
	len = strlen(name);
	while (p != NULL && *p != '\0') {
		if (strncmp(p, name, len) == 0 && p[len] == '/' &&
		    p[len + 1] != '\0')
			return p + len + 1;
		p = strchr(p, '/');
		if (p != NULL)
			p++;
	}
	/* A directory named with the suffix its siblings share (nodes.c). */
	for (p = art->logical; p != NULL && *p != '\0'; p = strchr(p, '/'),
	    p = p != NULL ? p + 1 : NULL)
		if (strncmp(p, name, len) == 0 && (p[len] == '-' ||
		    p[len] == '_' || p[len] == '.') && strchr(p, '/') != NULL)
			return strchr(p, '/') + 1;
	return art->logical;
}

/* "NODE:PATH:LINE" or "NODE:PATH@OFFSET": what dump takes, short. */
const char *
qs_evidence_where(struct qs_arena *a, const struct qs_evidence *ev)
{
	const struct qs_artifact	*art = ev->artifact;
	const char			*where;

	if (art == NULL)
		return "";
	where = qs_arena_printf(a, "%s:%s", art->node != NULL ?
	    art->node->name : QS_BUNDLE_NODE, qs_node_path(art));
	if (ev->line != 0)
		return qs_arena_printf(a, "%s:%llu", where,
		    (unsigned long long)ev->line);
	if (ev->has_offset)
		return qs_arena_printf(a, "%s@%llu", where,
		    (unsigned long long)ev->offset);
	return where;
}

/*
 * Columns of text output: --width, else the terminal's on a terminal
 * (or $COLUMNS there), else 80.
 */
int
qs_output_width(const struct qs_globals *g)
{
	struct winsize	ws;
	const char	*env;
	long		 v;

	if (g->width > 0)
		return g->width;
	if (!isatty(STDOUT_FILENO))
		return 80;
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 40)
		return ws.ws_col;
	if ((env = getenv("COLUMNS")) != NULL && (v = strtol(env, NULL,
	    10)) >= 40 && v <= 1000)
		return (int)v;
	return 80;
}

/*
 * One line of at most `width` columns: `text` after `indent` spaces,
 * cut with "..." when longer.  The text must be escaped.
 */
void
qs_text_clip(FILE *f, int indent, const char *text, int width)
{
	size_t	room = width > indent + 3 ? (size_t)(width - indent) : 3;
	size_t	len = strlen(text);

	while (len > 0 && text[len - 1] == ' ')
		len--;
	if (len <= room)
		fprintf(f, "%*s%.*s\n", indent, "", (int)len, text);
	else {
		len = room - 3;
		while (len > 0 && text[len - 1] == ' ')
			len--;
		fprintf(f, "%*s%.*s...\n", indent, "", (int)len, text);
	}
}

/*
 * The stamp every JSON document (and every line of dump's JSON lines)
 * carries: "schema", the version of the layout the man page documents,
 * and "tool" {name, version}.
 */
void
qs_json_stamp(cJSON *o)
{
	cJSON	*tool;

	cJSON_AddNumberToObject(o, "schema", QS_SCHEMA_VERSION);
	tool = output_json_add_object(o, "tool");
	cJSON_AddStringToObject(tool, "name", PACKAGE_NAME);
	cJSON_AddStringToObject(tool, "version", PACKAGE_VERSION);
}

/* {input, path, line, offset, excerpt}: null where unknown. */
cJSON *
qs_json_evidence(const struct qs_evidence *ev)
{
	cJSON	*o = cJSON_CreateObject();

	if (ev->artifact != NULL) {
		cJSON_AddStringToObject(o, "input", ev->artifact->input->path);
		cJSON_AddStringToObject(o, "path", ev->artifact->member);
	} else {
		cJSON_AddNullToObject(o, "input");
		cJSON_AddNullToObject(o, "path");
	}
	if (ev->line != 0)
		cJSON_AddNumberToObject(o, "line", (double)ev->line);
	else
		cJSON_AddNullToObject(o, "line");
	if (ev->has_offset)
		cJSON_AddNumberToObject(o, "offset", (double)ev->offset);
	else
		cJSON_AddNullToObject(o, "offset");
	if (ev->excerpt != NULL)
		cJSON_AddStringToObject(o, "excerpt", ev->excerpt);
	else
		cJSON_AddNullToObject(o, "excerpt");
	return o;
}

static void
output_json_add_unique(cJSON *arr, const char *s)
{
	cJSON	*it;

	cJSON_ArrayForEach(it, arr)
		if (cJSON_IsString(it) && strcmp(it->valuestring, s) == 0)
			return;
	cJSON_AddItemToArray(arr, cJSON_CreateString(s));
}

/*
 * nodes: [{name, systems[], addresses[], ids{}, artifacts[{path, kind,
 * system, size, status, input, message?, target?}]}]
 */
cJSON *
qs_json_nodes(const struct qs_run *run, int with_identity)
{
	cJSON	*nodes = cJSON_CreateArray(), *node, *arts, *a, *sys, *addrs,
		*ids;
	size_t	 i, j;
	enum qs_system s;

	for (i = 0; i < run->nodes.n; i++) {
		const struct qs_node	*n = run->nodes.v[i];

		node = cJSON_CreateObject();
		cJSON_AddStringToObject(node, "name", n->name);
		if (with_identity) {
			sys = cJSON_AddArrayToObject(node, "systems");
			for (s = QS_SYS_CONSUL; s <= QS_SYS_TRITON; s++)
				if (n->systems & (1u << s))
					cJSON_AddItemToArray(sys,
					    cJSON_CreateString(
					    qs_system_name(s)));
			addrs = cJSON_AddArrayToObject(node, "addresses");
			ids = cJSON_AddObjectToObject(node, "ids");
			for (j = 0; j < n->idents.n; j++) {
				const struct qs_identity *id = n->idents.v[j];

				if (id->kind == QS_ID_ADDRESS)
					output_json_add_unique(addrs,
					    id->value);
				else if (id->kind != QS_ID_NAME &&
				    cJSON_GetObjectItem(ids,
				    qs_ident_name(id->kind)) == NULL)
					cJSON_AddStringToObject(ids,
					    qs_ident_name(id->kind), id->value);
			}
		}
		arts = cJSON_AddArrayToObject(node, "artifacts");
		for (j = 0; j < n->artifacts.n; j++) {
			const struct qs_artifact *art = n->artifacts.v[j];

			a = cJSON_CreateObject();
			cJSON_AddStringToObject(a, "path", art->member);
			cJSON_AddStringToObject(a, "kind", art->kind != NULL ?
			    art->kind->name : art->type == QS_ENTRY_SYMLINK ?
			    "symlink" : "hardlink");
			cJSON_AddStringToObject(a, "system", art->kind != NULL ?
			    qs_system_name(art->kind->system) : "none");
			cJSON_AddNumberToObject(a, "size", (double)art->size);
			cJSON_AddStringToObject(a, "status",
			    qs_status_name(art->status));
			if (art->target != NULL)
				cJSON_AddStringToObject(a, "target",
				    art->target);
			if (art->message != NULL)
				cJSON_AddStringToObject(a, "message",
				    art->message);
			/* Bytes not all read: only with the reason. */
			if (art->cut != NULL) {
				cJSON_AddBoolToObject(a, "complete", 0);
				cJSON_AddStringToObject(a, "reason", art->cut);
			}
			cJSON_AddStringToObject(a, "input", art->input->path);
			cJSON_AddItemToArray(arts, a);
		}
		cJSON_AddItemToArray(nodes, node);
	}
	return nodes;
}

/* What an event is about, as a name: the node, else the text written. */
const char *
qs_tl_subject(const struct qs_event *e)
{
	if (e->subject_node != NULL)
		return e->subject_node->name;
	return e->subject != NULL ? e->subject : "";
}

cJSON *
qs_json_tl_entry(const struct qs_tl_entry *t)
{
	const struct qs_event	*e = t->event;
	cJSON			*o = cJSON_CreateObject(), *clock, *obs, *evs;
	char			 buf[40];
	size_t			 i;

	if (e->time.set)
		cJSON_AddStringToObject(o, "time", qs_time_format(&e->time, buf,
		    sizeof(buf)));
	else
		cJSON_AddNullToObject(o, "time");
	clock = cJSON_AddObjectToObject(o, "clock");
	if (e->clock.set & QS_CLOCK_TERM)
		cJSON_AddNumberToObject(clock, "term", (double)e->clock.term);
	if (e->clock.set & QS_CLOCK_INDEX)
		cJSON_AddNumberToObject(clock, "index", (double)e->clock.index);
	if (e->clock.set & QS_CLOCK_LAMPORT)
		cJSON_AddNumberToObject(clock, "lamport",
		    (double)e->clock.lamport);
	if (e->clock.set & QS_CLOCK_ZXID) {
		snprintf(buf, sizeof(buf), "0x%llx",
		    (unsigned long long)e->clock.zxid);
		cJSON_AddStringToObject(clock, "zxid", buf);
	}
	cJSON_AddStringToObject(o, "node", e->observer != NULL ?
	    e->observer->name : "");
	obs = cJSON_AddArrayToObject(o, "observers");
	for (i = 0; i < t->observers.n; i++)
		cJSON_AddItemToArray(obs, cJSON_CreateString(
		    ((struct qs_node *)t->observers.v[i])->name));
	cJSON_AddStringToObject(o, "system", qs_system_name(e->system));
	cJSON_AddStringToObject(o, "event", qs_event_kind_name(e->kind));
	cJSON_AddStringToObject(o, "subject", qs_tl_subject(e));
	if (e->detail != NULL)
		cJSON_AddStringToObject(o, "detail", e->detail);
	else
		cJSON_AddNullToObject(o, "detail");
	evs = cJSON_AddArrayToObject(o, "evidence");
	for (i = 0; i < t->seen.n; i++)
		cJSON_AddItemToArray(evs, qs_json_evidence(
		    &((struct qs_event *)t->seen.v[i])->ev));
	return o;
}

static char *
output_join(const struct qs_vec *v, const char *sep, int numbered)
{
	size_t	i, len = 1, used = 0;
	char	*out;
	int	 n;

	for (i = 0; i < v->n; i++)
		len += strlen(v->v[i]) + strlen(sep) + 24;
	out = qs_xmalloc(len);
	out[0] = '\0';
	for (i = 0; i < v->n; i++) {
		n = snprintf(out + used, len - used, numbered ? "%zu. %s%s" :
		    "%.0zu%s%s", numbered ? i + 1 : 0, (const char *)v->v[i],
		    i + 1 < v->n ? sep : "");
		if (n < 0 || (size_t)n >= len - used)
			break;
		used += (size_t)n;
	}
	return out;
}

/* {rule, kind, severity, title, nodes[], explanation, facts[], evidence[],
 * remediation, steps[]} */
cJSON *
qs_json_finding(const struct qs_finding *f)
{
	cJSON	*o = cJSON_CreateObject(), *arr;
	char	*s;
	size_t	 i;

	if (f->id != NULL)
		cJSON_AddStringToObject(o, "id", f->id);
	if (f->cluster != NULL)
		cJSON_AddStringToObject(o, "cluster", f->cluster->id);
	else
		cJSON_AddNullToObject(o, "cluster");
	cJSON_AddStringToObject(o, "role", f->role == QS_ROLE_CAUSE ?
	    "cause" : "consequence");
	arr = cJSON_AddArrayToObject(o, "caused_by");
	for (i = 0; i < f->causes.n; i++)
		if (((struct qs_finding *)f->causes.v[i])->id != NULL)
			cJSON_AddItemToArray(arr, cJSON_CreateString(
			    ((struct qs_finding *)f->causes.v[i])->id));
	cJSON_AddStringToObject(o, "rule", f->rule->id);
	cJSON_AddStringToObject(o, "kind", f->rule->kind);
	cJSON_AddStringToObject(o, "severity", qs_level_name(f->level));
	cJSON_AddStringToObject(o, "title", f->title);
	arr = cJSON_AddArrayToObject(o, "nodes");
	for (i = 0; i < f->nodes.n; i++)
		cJSON_AddItemToArray(arr, cJSON_CreateString(
		    ((struct qs_node *)f->nodes.v[i])->name));
	s = output_join(&f->facts, " ", 0);
	cJSON_AddStringToObject(o, "explanation", s);
	free(s);
	arr = cJSON_AddArrayToObject(o, "facts");
	for (i = 0; i < f->facts.n; i++)
		cJSON_AddItemToArray(arr, cJSON_CreateString(f->facts.v[i]));
	arr = cJSON_AddArrayToObject(o, "evidence");
	for (i = 0; i < f->evidence.n; i++)
		cJSON_AddItemToArray(arr, qs_json_evidence(f->evidence.v[i]));
	s = output_join(&f->steps, "\n", 1);
	cJSON_AddStringToObject(o, "remediation", s);
	free(s);
	arr = cJSON_AddArrayToObject(o, "steps");
	for (i = 0; i < f->steps.n; i++)
		cJSON_AddItemToArray(arr, cJSON_CreateString(f->steps.v[i]));
	return o;
}

/* A history time; null for the open ends of an untimed history. */
static void
output_json_ms(cJSON *o, const char *key, int64_t ms)
{
	char	buf[40];

	if (ms == INT64_MIN || ms == INT64_MAX)
		cJSON_AddNullToObject(o, key);
	else
		cJSON_AddStringToObject(o, key, qs_ms_text(ms, buf,
		    sizeof(buf)));
}

static const char *const output_grades[] = {
	[QS_GRADE_ASSUMED] = "assumed",
	[QS_GRADE_INFERRED] = "inferred",
	[QS_GRADE_SEEN] = "seen",
};

/* A boundary: { "time", "latest"?, "grade", "why", "evidence" }. */
static cJSON *
output_json_mark(const struct qs_mark *m)
{
	cJSON	*o = cJSON_CreateObject();

	output_json_ms(o, "time", m->lo);
	if (m->hi > m->lo)
		output_json_ms(o, "latest", m->hi);
	cJSON_AddStringToObject(o, "grade", output_grades[m->grade]);
	if (m->why != NULL)
		cJSON_AddStringToObject(o, "why", m->why);
	else
		cJSON_AddNullToObject(o, "why");
	if (m->ev != NULL && m->ev->artifact != NULL)
		cJSON_AddItemToObject(o, "evidence", qs_json_evidence(m->ev));
	else
		cJSON_AddNullToObject(o, "evidence");
	return o;
}

static const char *
output_live_name(enum qs_live l)
{
	return l == QS_LIVE_UP ? "up" : l == QS_LIVE_DOWN ? "down" : "unknown";
}

static cJSON *
output_json_history(const struct qs_history *h)
{
	cJSON		*o = cJSON_CreateObject(), *arr, *x, *y;
	size_t		 i, j;
	static const char *const qnames[] = { "unknown", "held", "lost" };

	if (!h->timed) {
		cJSON_AddNullToObject(o, "begin");
		cJSON_AddNullToObject(o, "end");
	} else {
		output_json_ms(o, "begin", h->begin);
		output_json_ms(o, "end", h->end);
	}
	cJSON_AddNumberToObject(o, "election_ms", (double)h->election_ms);
	cJSON_AddStringToObject(o, "election_from", h->election_from != NULL ?
	    h->election_from : "");
	arr = cJSON_AddArrayToObject(o, "members");
	for (i = 0; i < h->members.n; i++) {
		const struct qs_hmember	*m = h->members.v[i];

		x = cJSON_CreateObject();
		cJSON_AddStringToObject(x, "label", m->label);
		if (m->node != NULL)
			cJSON_AddStringToObject(x, "node", m->node->name);
		else
			cJSON_AddNullToObject(x, "node");
		if (m->id != NULL)
			cJSON_AddStringToObject(x, "id", m->id);
		else
			cJSON_AddNullToObject(x, "id");
		cJSON_AddBoolToObject(x, "learner", m->learner);
		y = cJSON_AddArrayToObject(x, "liveness");
		for (j = 0; j < m->live.n; j++) {
			const struct qs_span	*s = m->live.v[j];
			cJSON			*z = cJSON_CreateObject();

			cJSON_AddStringToObject(z, "state",
			    output_live_name(s->state));
			cJSON_AddItemToObject(z, "from",
			    output_json_mark(&s->from));
			cJSON_AddItemToObject(z, "to", output_json_mark(&s->to));
			cJSON_AddItemToArray(y, z);
		}
		cJSON_AddItemToArray(arr, x);
	}
	arr = cJSON_AddArrayToObject(o, "leadership");
	for (i = 0; i < h->terms.n; i++) {
		const struct qs_term	*t = h->terms.v[i];

		x = cJSON_CreateObject();
		if (t->has_term)
			cJSON_AddNumberToObject(x, "term", (double)t->term);
		else
			cJSON_AddNullToObject(x, "term");
		cJSON_AddStringToObject(x, "leader", t->leader->label);
		cJSON_AddItemToObject(x, "from", output_json_mark(&t->from));
		cJSON_AddItemToObject(x, "to", output_json_mark(&t->to));
		if (t->ended != NULL)
			cJSON_AddStringToObject(x, "ended", t->ended);
		else
			cJSON_AddNullToObject(x, "ended");
		cJSON_AddItemToArray(arr, x);
	}
	arr = cJSON_AddArrayToObject(o, "voters");
	for (i = 0; i < h->voters.n; i++) {
		const struct qs_voters	*v = h->voters.v[i];

		x = cJSON_CreateObject();
		y = cJSON_AddArrayToObject(x, "members");
		for (j = 0; j < v->members.n; j++)
			cJSON_AddItemToArray(y, cJSON_CreateString(
			    ((struct qs_hmember *)v->members.v[j])->label));
		cJSON_AddItemToObject(x, "from", output_json_mark(&v->from));
		cJSON_AddItemToObject(x, "to", output_json_mark(&v->to));
		cJSON_AddStringToObject(x, "source", v->source != NULL ?
		    v->source : "");
		cJSON_AddItemToArray(arr, x);
	}
	arr = cJSON_AddArrayToObject(o, "quorum");
	for (i = 0; i < h->quorum.n; i++) {
		const struct qs_qspan	*q = h->quorum.v[i];

		x = cJSON_CreateObject();
		cJSON_AddStringToObject(x, "state", qnames[q->state]);
		output_json_ms(x, "from", q->from);
		output_json_ms(x, "to", q->to);
		if (q->term != NULL)
			cJSON_AddStringToObject(x, "leader",
			    q->term->leader->label);
		else
			cJSON_AddNullToObject(x, "leader");
		cJSON_AddBoolToObject(x, "leaderless", q->leaderless);
		cJSON_AddNumberToObject(x, "voters", (double)q->voters);
		cJSON_AddNumberToObject(x, "needed", (double)q->needed);
		cJSON_AddNumberToObject(x, "up", (double)q->up);
		cJSON_AddNumberToObject(x, "down", (double)q->down);
		cJSON_AddItemToArray(arr, x);
	}
	return o;
}

/*
 * A cluster: { "id", "system", "name", "nodes", "verdict": { "state",
 * "severity", "cause" }, "history" }.
 */
cJSON *
qs_json_cluster(const struct qs_cluster *c)
{
	cJSON	*o = cJSON_CreateObject(), *arr, *v;
	size_t	 i;

	cJSON_AddStringToObject(o, "id", c->id);
	cJSON_AddStringToObject(o, "system", qs_system_name(c->system));
	cJSON_AddStringToObject(o, "name", c->name);
	arr = cJSON_AddArrayToObject(o, "nodes");
	for (i = 0; i < c->nodes.n; i++)
		cJSON_AddItemToArray(arr, cJSON_CreateString(
		    ((struct qs_node *)c->nodes.v[i])->name));
	v = cJSON_AddObjectToObject(o, "verdict");
	cJSON_AddStringToObject(v, "state", qs_verdict_name(c->verdict));
	if (c->verdict == QS_VERDICT_FINDINGS) {
		cJSON_AddStringToObject(v, "severity", qs_level_name(c->level));
		cJSON_AddStringToObject(v, "cause", c->cause->id);
	} else {
		cJSON_AddNullToObject(v, "severity");
		cJSON_AddNullToObject(v, "cause");
	}
	/* A verdict drawn from inputs or artifacts read only in part. */
	cJSON_AddBoolToObject(v, "partial_evidence", c->partial_evidence);
	if (c->history != NULL)
		cJSON_AddItemToObject(o, "history", output_json_history(
		    c->history));
	else
		cJSON_AddNullToObject(o, "history");
	return o;
}

/* Timeline filters: --node NAME, --event, --since, --until. */
int
qs_tl_keep(const struct qs_globals *g, const struct qs_tl_entry *t)
{
	const struct qs_event	*e = t->event;
	size_t			 i, j;
	int			 hit;

	if (g->events != 0 && !(g->events & (1u << e->kind)))
		return 0;
	if (g->since.set && (!e->time.set || e->time.ms < g->since.ms))
		return 0;
	if (g->until.set && (!e->time.set || e->time.ms > g->until.ms))
		return 0;
	if (g->node_filter.n == 0)
		return 1;
	for (i = 0; i < g->node_filter.n; i++) {
		const char	*want = g->node_filter.v[i];

		hit = e->subject_node != NULL &&
		    strcmp(e->subject_node->name, want) == 0;
		for (j = 0; j < t->observers.n && !hit; j++)
			hit = strcmp(((struct qs_node *)
			    t->observers.v[j])->name, want) == 0;
		if (hit)
			return 1;
	}
	return 0;
}

/* Read the inputs and analyse them; returns how many could be opened. */
int
qs_analysis_inputs(struct qs_globals *g, int argc, char **argv,
    struct qs_analysis *an)
{
	int	opened = qs_read_inputs(g, argc, argv);

	qs_analyse(g->run, an);
	return opened;
}

/*
 * Prints text word-wrapped to `width` columns, every line indented by
 * `indent` spaces (the first by `first` instead), newline-terminated.
 * Words longer than a line are not broken.  The text must be escaped.
 */
void
qs_text_wrap(FILE *f, int first, int indent, const char *text, int width)
{
	fprintf(f, "%*s", first, "");
	qs_text_wrap_at(f, first, indent, text, width);
}

/*
 * The same, after `col` columns the caller has already printed (a
 * label, an aligned table's first cells, whose spaces must stay).
 */
void
qs_text_wrap_at(FILE *f, int col, int indent, const char *text, int width)
{
	const char	*p = text, *end;
	int		 start = 1;

	while (*p != '\0') {
		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		end = p;
		while (*end != '\0' && *end != ' ' && *end != '\n')
			end++;
		if (!start && col + 1 + (end - p) > width) {
			fprintf(f, "\n%*s", indent, "");
			col = indent;
			start = 1;
		}
		if (!start) {
			fputc(' ', f);
			col++;
		}
		fwrite(p, 1, (size_t)(end - p), f);
		col += (int)(end - p);
		start = 0;
		p = end;
		if (*p == '\n') {
			fprintf(f, "\n%*s", indent, "");
			col = indent;
			start = 1;
			p++;
		}
	}
	fputc('\n', f);
}
