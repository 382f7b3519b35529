/*
 * Running the rules, and what findings are made of.
 *
 * qs_analyse() builds the timeline, runs every rule of qs_rules[] over the
 * resolved model, and sorts the findings most severe first (then by rule
 * id and title, so that output is stable).  The queries at the end are
 * the vocabulary rules share: a node's setting, its latest view of some
 * kind, its identities.
 */
#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "quorumscope.h"

const char *
qs_level_name(enum qs_level l)
{
	switch (l) {
	case QS_LEVEL_INFO:
		return "info";
	case QS_LEVEL_WARNING:
		return "warning";
	case QS_LEVEL_ERROR:
		return "error";
	case QS_LEVEL_CRITICAL:
		return "critical";
	}
	return "?";
}

int
qs_level_parse(const char *s, enum qs_level *out)
{
	enum qs_level	l;

	for (l = QS_LEVEL_INFO; l <= QS_LEVEL_CRITICAL; l++)
		if (strcmp(s, qs_level_name(l)) == 0) {
			*out = l;
			return 0;
		}
	return -1;
}

const struct qs_rule *
qs_rule_find(const char *id)
{
	size_t	i;

	for (i = 0; qs_rules[i] != NULL; i++)
		if (strcmp(qs_rules[i]->id, id) == 0)
			return qs_rules[i];
	return NULL;
}

struct qs_finding *
qs_finding_new(struct qs_analysis *an, const struct qs_rule *rule,
    const char *fmt, ...)
{
	struct qs_finding	*f;
	va_list			 ap;

	f = qs_arena_alloc(&an->run->arena, sizeof(*f));
	f->rule = rule;
	f->level = rule->level;
	va_start(ap, fmt);
	f->title = qs_arena_vprintf(&an->run->arena, fmt, ap);
	va_end(ap);
	qs_vec_push(&an->findings, f);
	return f;
}

void
qs_finding_node(struct qs_finding *f, struct qs_node *node)
{
	size_t	i;

	if (node == NULL)
		return;
	for (i = 0; i < f->nodes.n; i++)
		if (f->nodes.v[i] == node)
			return;
	qs_vec_push(&f->nodes, node);
}

void
qs_finding_evidence(struct qs_finding *f, const struct qs_evidence *ev)
{
	size_t	i;

	if (ev == NULL || ev->artifact == NULL)
		return;
	for (i = 0; i < f->evidence.n; i++) {
		const struct qs_evidence	*e = f->evidence.v[i];

		if (e->artifact == ev->artifact && e->line == ev->line &&
		    e->offset == ev->offset)
			return;
	}
	qs_vec_push(&f->evidence, (void *)ev);
}

void
qs_finding_fact(struct qs_analysis *an, struct qs_finding *f,
    const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	qs_vec_push(&f->facts, qs_arena_vprintf(&an->run->arena, fmt, ap));
	va_end(ap);
}

void
qs_finding_step(struct qs_analysis *an, struct qs_finding *f,
    const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	qs_vec_push(&f->steps, qs_arena_vprintf(&an->run->arena, fmt, ap));
	va_end(ap);
}

static int
analysis_cmp(const void *a, const void *b)
{
	const struct qs_finding	*x = *(const struct qs_finding *const *)a;
	const struct qs_finding	*y = *(const struct qs_finding *const *)b;
	int			 c;

	if (x->level != y->level)
		return x->level > y->level ? -1 : 1;
	if ((c = strcmp(x->rule->id, y->rule->id)) != 0)
		return c;
	return strcmp(x->title, y->title);
}

void
qs_analyse(struct qs_run *run, struct qs_analysis *an)
{
	size_t	i;

	memset(an, 0, sizeof(*an));
	an->run = run;
	qs_model_resolve(run);
	qs_timeline_build(run, &an->timeline);
	for (i = 0; qs_rules[i] != NULL; i++)
		qs_rules[i]->check(an, qs_rules[i]);
	if (an->findings.n > 1)
		qsort(an->findings.v, an->findings.n, sizeof(*an->findings.v),
		    analysis_cmp);
}

void
qs_analysis_free(struct qs_analysis *an)
{
	size_t	i;

	for (i = 0; i < an->findings.n; i++) {
		struct qs_finding	*f = an->findings.v[i];

		qs_vec_free(&f->nodes);
		qs_vec_free(&f->facts);
		qs_vec_free(&f->evidence);
		qs_vec_free(&f->steps);
	}
	qs_vec_free(&an->findings);
	qs_timeline_free(&an->timeline);
}

/* A node's setting `key` of a system, the last one read; NULL if none. */
const struct qs_setting *
qs_setting_get(const struct qs_run *run, const struct qs_node *node,
    enum qs_system sys, const char *key)
{
	const struct qs_setting	*found = NULL;
	size_t			 i;

	for (i = 0; i < run->settings.n; i++) {
		const struct qs_setting	*s = run->settings.v[i];

		if (s->observer == node && s->system == sys &&
		    strcmp(s->key, key) == 0)
			found = s;
	}
	return found;
}

int
qs_setting_true(const struct qs_setting *s)
{
	return s != NULL && (strcmp(s->value, "true") == 0 ||
	    strcmp(s->value, "1") == 0);
}

/*
 * The latest view of a kind a node holds, optionally only from sources
 * starting with `source`: the highest raft index or term when clocks are
 * known, else the latest time, else the last one read.
 */
const struct qs_view *
qs_view_latest(const struct qs_run *run, const struct qs_node *node,
    enum qs_view_kind kind, const char *source)
{
	const struct qs_view	*best = NULL;
	size_t			 i;

	for (i = 0; i < run->views.n; i++) {
		const struct qs_view	*v = run->views.v[i];

		if (v->observer != node || v->kind != kind)
			continue;
		if (source != NULL && strncmp(v->source, source,
		    strlen(source)) != 0)
			continue;
		if (best != NULL) {
			if ((best->clock.set & QS_CLOCK_INDEX) &&
			    (v->clock.set & QS_CLOCK_INDEX) &&
			    v->clock.index < best->clock.index)
				continue;
			if (best->time.set && v->time.set &&
			    v->time.ms < best->time.ms)
				continue;
		}
		best = v;
	}
	return best;
}

int
qs_node_has_kind(const struct qs_node *node, const char *kind)
{
	size_t	i;

	for (i = 0; i < node->artifacts.n; i++) {
		const struct qs_artifact	*a = node->artifacts.v[i];

		if (a->kind != NULL && strcmp(a->kind->name, kind) == 0)
			return 1;
	}
	return 0;
}

/* A node's own identity of a kind (and role prefix when given). */
const struct qs_identity *
qs_node_ident(const struct qs_node *node, enum qs_ident kind,
    const char *role)
{
	size_t	i;

	for (i = 0; i < node->idents.n; i++) {
		const struct qs_identity	*id = node->idents.v[i];

		if (id->kind != kind)
			continue;
		if (role != NULL && (id->role == NULL ||
		    strncmp(id->role, role, strlen(role)) != 0))
			continue;
		return id;
	}
	return NULL;
}

/* The host of the node's first own address other than `not`, or NULL. */
const char *
qs_node_host(struct qs_run *run, const struct qs_node *node, const char *not)
{
	const char	*h;
	size_t		 i;

	for (i = 0; i < node->idents.n; i++) {
		const struct qs_identity	*id = node->idents.v[i];

		if (id->kind != QS_ID_ADDRESS)
			continue;
		h = qs_address_host(&run->arena, id->value);
		if (h != NULL && (not == NULL || strcmp(h, not) != 0))
			return h;
	}
	return NULL;
}

/*
 * Is `host` among the node's own addresses?  1 yes, 0 no, -1 when the
 * node states no address at all (nothing to compare with).
 */
int
qs_node_has_host(struct qs_run *run, const struct qs_node *node,
    const char *host)
{
	const char	*h;
	size_t		 i;
	int		 known = 0;

	for (i = 0; i < node->idents.n; i++) {
		const struct qs_identity	*id = node->idents.v[i];

		if (id->kind != QS_ID_ADDRESS)
			continue;
		known = 1;
		h = qs_address_host(&run->arena, id->value);
		if (h != NULL && strcmp(h, host) == 0)
			return 1;
	}
	return known ? 0 : -1;
}
