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
#include <strings.h>

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
	f->cluster = an->cluster;
	f->role = QS_ROLE_CAUSE;
	va_start(ap, fmt);
	f->title = qs_arena_vprintf(&an->run->arena, fmt, ap);
	va_end(ap);
	qs_vec_push(&an->findings, f);
	return f;
}

/* `f` is a consequence of `cause` (a finding made earlier). */
void
qs_finding_caused_by(struct qs_finding *f, struct qs_finding *cause)
{
	size_t	i;

	if (cause == NULL || cause == f)
		return;
	for (i = 0; i < f->causes.n; i++)
		if (f->causes.v[i] == cause)
			return;
	f->role = QS_ROLE_CONSEQUENCE;
	qs_vec_push(&f->causes, cause);
}

/* The first finding of rule `id` about the cluster being judged. */
struct qs_finding *
qs_finding_find(const struct qs_analysis *an, const char *id)
{
	size_t	i;

	for (i = 0; i < an->findings.n; i++) {
		struct qs_finding	*f = an->findings.v[i];

		if (f->cluster == an->cluster && strcmp(f->rule->id, id) == 0)
			return f;
	}
	return NULL;
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

static size_t
analysis_cluster_index(const struct qs_analysis *an,
    const struct qs_cluster *c)
{
	size_t	i;

	for (i = 0; i < an->clusters.n; i++)
		if (an->clusters.v[i] == c)
			return i;
	return an->clusters.n;
}

static const struct qs_analysis *analysis_sorting;

static int
analysis_cmp(const void *a, const void *b)
{
	const struct qs_finding	*x = *(const struct qs_finding *const *)a;
	const struct qs_finding	*y = *(const struct qs_finding *const *)b;
	size_t			 cx, cy;
	int			 c;

	cx = analysis_cluster_index(analysis_sorting, x->cluster);
	cy = analysis_cluster_index(analysis_sorting, y->cluster);
	if (cx != cy)
		return cx < cy ? -1 : 1;
	if (x->level != y->level)
		return x->level > y->level ? -1 : 1;
	if ((c = strcmp(x->rule->id, y->rule->id)) != 0)
		return c;
	return strcmp(x->title, y->title);
}

/*
 * Causes before symptoms: within each cluster, every root cause (most
 * severe first) followed by the consequences it explains; consequences
 * whose cause is elsewhere come last.  Then the ids f1, f2, ...
 */
static void
analysis_order(struct qs_analysis *an)
{
	struct qs_vec	 out = { NULL, 0, 0 };
	size_t		 i, j, n = an->findings.n;
	char		*placed;

	analysis_sorting = an;
	if (n > 1)
		qsort(an->findings.v, n, sizeof(*an->findings.v),
		    analysis_cmp);
	analysis_sorting = NULL;
	placed = qs_xcalloc(n > 0 ? n : 1, 1);
	for (i = 0; i < n; i++) {
		struct qs_finding	*f = an->findings.v[i];

		if (placed[i] || f->role != QS_ROLE_CAUSE)
			continue;
		placed[i] = 1;
		qs_vec_push(&out, f);
		for (j = 0; j < n; j++) {
			struct qs_finding	*g = an->findings.v[j];

			if (!placed[j] && g->causes.n > 0 &&
			    g->causes.v[0] == f) {
				placed[j] = 1;
				qs_vec_push(&out, g);
			}
		}
	}
	for (i = 0; i < n; i++)
		if (!placed[i])
			qs_vec_push(&out, an->findings.v[i]);
	free(placed);
	qs_vec_free(&an->findings);
	an->findings = out;
	for (i = 0; i < an->findings.n; i++)
		((struct qs_finding *)an->findings.v[i])->id =
		    qs_arena_printf(&an->run->arena, "f%zu", i + 1);
}

/*
 * How many of a cluster's artifacts were read only in part, or come from
 * an input read only in part (whose missing entries may have been this
 * cluster's): a verdict drawn from them says so.
 */
static size_t
analysis_partial(const struct qs_cluster *c)
{
	size_t	i, j, n = 0;

	for (i = 0; i < c->nodes.n; i++) {
		const struct qs_node	*node = c->nodes.v[i];

		for (j = 0; j < node->artifacts.n; j++) {
			const struct qs_artifact *art = node->artifacts.v[j];

			if (art->cut != NULL ||
			    qs_input_completeness(art->input) != QS_COMPLETE)
				n++;
		}
	}
	return n;
}

/* The verdict of each cluster: its worst root cause, else healthy when
 * something was decoded and judged, else unknown. */
static void
analysis_verdicts(struct qs_analysis *an)
{
	size_t	i, j;

	for (i = 0; i < an->clusters.n; i++) {
		struct qs_cluster	*c = an->clusters.v[i];
		int			 judged = 0;

		for (j = 0; j < an->findings.n; j++) {
			struct qs_finding	*f = an->findings.v[j];

			if (f->cluster != c)
				continue;
			if (c->cause == NULL || (f->role == QS_ROLE_CAUSE &&
			    (c->cause->role != QS_ROLE_CAUSE ||
			    f->level > c->cause->level)))
				c->cause = f;
			if (c->verdict != QS_VERDICT_FINDINGS ||
			    f->level > c->level)
				c->level = f->level;
			c->verdict = QS_VERDICT_FINDINGS;
		}
		/*
		 * The worst finding's own root cause, when it has one: the
		 * headline is what explains the worst thing seen.
		 */
		for (j = 0; j < an->findings.n; j++) {
			struct qs_finding	*f = an->findings.v[j];

			if (f->cluster != c || f->level != c->level)
				continue;
			while (f->causes.n > 0 && f->causes.v[0] != f)
				f = f->causes.v[0];
			c->cause = f;
			break;
		}
		c->partial = analysis_partial(c);
		c->partial_evidence = c->partial > 0;
		for (j = 0; j < an->run->inputs.n; j++)
			if (qs_input_completeness(an->run->inputs.v[j]) !=
			    QS_COMPLETE)
				c->partial_evidence = 1;
		if (c->verdict == QS_VERDICT_FINDINGS)
			continue;
		for (j = 0; qs_rules[j] != NULL; j++)
			if (qs_rules[j]->system == c->system)
				judged = 1;
		c->verdict = c->decoded > 0 && judged ? QS_VERDICT_HEALTHY :
		    QS_VERDICT_UNKNOWN;
	}
}

/* Runs the rules of one cluster on a run that sees only it. */
static void
analysis_cluster(struct qs_analysis *an, struct qs_run *whole,
    struct qs_cluster *c)
{
	struct qs_run		sub;
	struct qs_timeline	whole_tl = an->timeline;
	size_t			i;

	qs_cluster_run(whole, c, &sub);
	an->run = &sub;
	an->cluster = c;
	qs_timeline_build(&sub, &an->timeline);
	qs_facts_build(an);
	for (i = 0; qs_rules[i] != NULL; i++)
		if (qs_rules[i]->system == c->system)
			qs_rules[i]->check(an, qs_rules[i]);
	qs_timeline_free(&an->timeline);
	an->timeline = whole_tl;
	qs_cluster_run_done(whole, &sub);
	an->run = whole;
	an->cluster = NULL;
}

void
qs_analyse(struct qs_run *run, struct qs_analysis *an)
{
	size_t	i;

	memset(an, 0, sizeof(*an));
	an->run = an->whole = run;
	qs_model_resolve(run);
	qs_etcd_leftovers(run);
	qs_clusters_build(run, &an->clusters);
	for (i = 0; i < an->clusters.n; i++)
		analysis_cluster(an, run, an->clusters.v[i]);
	qs_facts_events(an);
	qs_timeline_build(run, &an->timeline);
	analysis_order(an);
	analysis_verdicts(an);
}

void
qs_analysis_free(struct qs_analysis *an)
{
	size_t	i;

	for (i = 0; i < an->findings.n; i++) {
		struct qs_finding	*f = an->findings.v[i];

		qs_vec_free(&f->causes);
		qs_vec_free(&f->nodes);
		qs_vec_free(&f->facts);
		qs_vec_free(&f->evidence);
		qs_vec_free(&f->steps);
	}
	qs_vec_free(&an->findings);
	qs_facts_free(an);
	qs_clusters_free(&an->clusters);
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

/* An IPv4 or IPv6 literal, not a host name. */
static int
analysis_is_ip(const char *h)
{
	int	digits = 0;

	if (strchr(h, ':') != NULL)
		return 1;
	for (; *h != '\0'; h++) {
		if (*h >= '0' && *h <= '9')
			digits++;
		else if (*h != '.')
			return 0;
	}
	return digits > 0;
}

/*
 * Is a later line of the same artifact a different address of the node
 * for the same role?  Then this one is an address it had before (a zone
 * moved, a server restarted elsewhere), not the one it has now.
 */
static int
analysis_superseded(const struct qs_node *node, const struct qs_identity *id)
{
	size_t	i;

	for (i = 0; i < node->idents.n; i++) {
		const struct qs_identity	*o = node->idents.v[i];

		if (o == id || o->kind != QS_ID_ADDRESS ||
		    o->ev.artifact != id->ev.artifact || o->ev.line <= id->ev.line ||
		    strcmp(o->value, id->value) == 0)
			continue;
		if ((o->role == NULL) != (id->role == NULL) ||
		    (o->role != NULL && strcmp(o->role, id->role) != 0))
			continue;
		return 1;
	}
	return 0;
}

/* Is `host` one of the node's own addresses now (what it says of itself)? */
static int
analysis_own_host(struct qs_run *run, const struct qs_node *node,
    const char *host, int *known)
{
	const char	*h;
	size_t		 i;

	for (i = 0; i < node->idents.n; i++) {
		const struct qs_identity	*id = node->idents.v[i];

		if (id->kind != QS_ID_ADDRESS || analysis_superseded(node, id))
			continue;
		*known = 1;
		h = qs_address_host(&run->arena, id->value);
		if (h != NULL && strcasecmp(h, host) == 0)
			return 1;
	}
	return 0;
}

/*
 * Is `host` among the node's own addresses?  1 yes, 0 no, -1 when it
 * cannot be told: the node states no address at all, or `host` is a
 * name that nothing in the bundle resolves.  A name is the node's when
 * the node calls itself so (its directory, /etc/hostname), or when a
 * hosts file of the bundle maps it to one of the node's own addresses;
 * it is another's when the hosts files map it only elsewhere.  What a
 * configuration says a member's address is never counts here: that is
 * what is being checked.
 */
int
qs_node_has_host(struct qs_run *run, const struct qs_node *node,
    const char *host)
{
	const char	*dot;
	size_t		 i, len;
	int		 known = 0, mapped = 0;

	if (analysis_own_host(run, node, host, &known))
		return 1;
	if (analysis_is_ip(host))
		return known ? 0 : -1;
	/*
	 * What the hosts files of the bundle map the name to.  A host's own
	 * file may map its own name to a loopback address (Debian's
	 * 127.0.1.1 line): that says nothing of where others reach it.
	 */
	for (i = 0; i < run->identities.n; i++) {
		const struct qs_identity	*id = run->identities.v[i];
		int				 k = 0;

		if (id->kind != QS_ID_ADDRESS || id->role == NULL ||
		    strcmp(id->role, "hosts") != 0 || id->subject == NULL ||
		    strcasecmp(id->subject, host) != 0)
			continue;
		if (strncmp(id->value, "127.", 4) == 0 &&
		    id->ev.artifact != NULL && id->ev.artifact->node == node &&
		    !analysis_own_host(run, node, id->value, &k))
			continue;
		mapped = 1;
		if (analysis_own_host(run, node, id->value, &k))
			return 1;
		known |= k;
	}
	if (mapped)
		return known ? 0 : -1;
	/* Its own names, short or fully qualified. */
	dot = strchr(host, '.');
	len = dot != NULL ? (size_t)(dot - host) : strlen(host);
	if (strcasecmp(node->name, host) == 0 || (strlen(node->name) == len &&
	    strncasecmp(node->name, host, len) == 0))
		return 1;
	for (i = 0; i < node->idents.n; i++) {
		const struct qs_identity	*id = node->idents.v[i];

		if (id->kind == QS_ID_NAME && (strcasecmp(id->value, host) ==
		    0 || (strlen(id->value) == len &&
		    strncasecmp(id->value, host, len) == 0)))
			return 1;
	}
	return -1;
}
