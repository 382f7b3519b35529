/*
 * The run: everything one invocation learned from its inputs.  Parsers and
 * the bundle reader add to it; commands print it.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quorumscope.h"

struct qs_run *
qs_run_new(void)
{
	struct qs_run	*run = qs_xcalloc(1, sizeof(*run));

	qs_limits_init(&run->limits);
	run->echo_diags = 1;
	return run;
}

void
qs_run_free(struct qs_run *run)
{
	size_t	i;

	if (run == NULL)
		return;
	for (i = 0; i < run->inputs.n; i++) {
		qs_nodes_free_places(run->inputs.v[i]);
	}
	for (i = 0; i < run->nodes.n; i++) {
		struct qs_node	*node = run->nodes.v[i];

		qs_vec_free(&node->artifacts);
		qs_vec_free(&node->idents);
	}
	qs_vec_free(&run->inputs);
	qs_vec_free(&run->artifacts);
	qs_vec_free(&run->nodes);
	qs_vec_free(&run->diags);
	qs_vec_free(&run->node_rules);
	for (i = 0; i < run->views.n; i++)
		qs_vec_free(&((struct qs_view *)run->views.v[i])->members);
	qs_vec_free(&run->events);
	qs_vec_free(&run->signals);
	qs_vec_free(&run->views);
	qs_vec_free(&run->settings);
	qs_vec_free(&run->identities);
	qs_map_free(&run->aliases);
	qs_arena_free(&run->arena);
	free(run);
}

struct qs_input *
qs_run_add_input(struct qs_run *run, const char *path)
{
	struct qs_input	*in = qs_arena_alloc(&run->arena, sizeof(*in));

	in->path = qs_arena_strdup(&run->arena, path);
	in->stem = qs_path_stem(&run->arena, path);
	qs_vec_push(&run->inputs, in);
	return in;
}

const char *
qs_severity_name(enum qs_severity s)
{
	switch (s) {
	case QS_SEV_INFO:
		return "info";
	case QS_SEV_WARNING:
		return "warning";
	case QS_SEV_ERROR:
		return "error";
	}
	return "?";
}

const char *
qs_status_name(enum qs_status s)
{
	switch (s) {
	case QS_STATUS_PARSED:
		return "parsed";
	case QS_STATUS_PARTIAL:
		return "partial";
	case QS_STATUS_FAILED:
		return "failed";
	case QS_STATUS_UNSUPPORTED:
		return "unsupported";
	case QS_STATUS_SKIPPED:
		return "skipped";
	case QS_STATUS_LINK:
		return "link";
	case QS_STATUS_NOTHING:
		return "read, nothing understood";
	}
	return "?";
}

/*
 * Record a diagnostic and, unless silenced, print it at once as
 * "quorumscope: INPUT: ENTRY: message" so that a long run shows trouble
 * as it happens.  Untrusted parts are escaped for the terminal.
 */
static void	diag_vadd(struct qs_run *, enum qs_severity,
		    const struct qs_input *, const char *, int, uint64_t,
		    const char *, va_list) QS_PRINTF(7, 0);

static void
diag_vadd(struct qs_run *run, enum qs_severity sev, const struct qs_input *in,
    const char *path, int has_offset, uint64_t offset, const char *fmt,
    va_list ap)
{
	struct qs_diag	*d = qs_arena_alloc(&run->arena, sizeof(*d));

	d->severity = sev;
	d->input = in != NULL ? in->path : NULL;
	d->path = path != NULL ? qs_arena_strdup(&run->arena, path) : NULL;
	d->has_offset = has_offset;
	d->offset = offset;
	d->message = qs_arena_vprintf(&run->arena, fmt, ap);
	qs_vec_push(&run->diags, d);

	if (!run->echo_diags || sev == QS_SEV_INFO)
		return;
	qs_progress_done(run);
	fputs("quorumscope: ", stderr);
	if (d->input != NULL) {
		qs_fputs_escaped(d->input, stderr);
		fputs(": ", stderr);
	}
	if (d->path != NULL) {
		qs_fputs_escaped(d->path, stderr);
		fputs(": ", stderr);
	}
	if (d->has_offset)
		fprintf(stderr, "offset %llu: ", (unsigned long long)offset);
	qs_fputs_escaped(d->message, stderr);
	fputc('\n', stderr);
}

void
qs_diag_add(struct qs_run *run, enum qs_severity sev, const struct qs_input *in,
    const char *path, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	diag_vadd(run, sev, in, path, 0, 0, fmt, ap);
	va_end(ap);
}

void
qs_diag_add_at(struct qs_run *run, enum qs_severity sev,
    const struct qs_input *in, const char *path, uint64_t offset,
    const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	diag_vadd(run, sev, in, path, 1, offset, fmt, ap);
	va_end(ap);
}

/* --node NAME=GLOB; returns -1 when the argument has no usable shape. */
int
qs_run_add_node_rule(struct qs_run *run, const char *arg)
{
	const char		*eq = strchr(arg, '=');
	struct qs_node_rule	*r;

	if (eq == NULL || eq == arg || eq[1] == '\0')
		return -1;
	r = qs_arena_alloc(&run->arena, sizeof(*r));
	r->name = qs_arena_strndup(&run->arena, arg, (size_t)(eq - arg));
	r->glob = qs_arena_strdup(&run->arena, eq + 1);
	qs_vec_push(&run->node_rules, r);
	return 0;
}
