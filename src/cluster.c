/*
 * Clusters, found from what the data says before any rule runs.
 *
 * For each system, the nodes holding its artifacts are joined (union-find)
 * by the identities that tie them:
 *
 *   every system  a node's membership view (raft peers or configuration,
 *                 an etcd member list, a zoo.cfg server list, a serf LAN
 *                 pool, SAPI's ZK_SERVERS) names a member that resolves to
 *                 another node: the two are one cluster;
 *   etcd          equal cluster IDs (WAL metadata, backend, etcdctl);
 *   Consul        never across two known datacenters (a WAN pool is not a
 *                 raft cluster);
 *   Triton        the nodes whose SAPI and VMAPI dumps name binder zones
 *                 join those zones (their ZooKeeper is the ensemble).
 *
 * Then, within one scope (one input, or one bundle nested in it), the
 * pieces left apart are joined unless their identities conflict: two
 * Consul pieces with different datacenters (federated datacenters are
 * separate raft clusters), two ZooKeeper pieces whose server lists share
 * no address stay apart.  etcd pieces of one scope are joined even with
 * different cluster IDs: members collected together that disagree on the
 * cluster ID are a cluster that split (a wiped member bootstrapped anew),
 * which etcd-cluster-id-mismatch explains; unrelated etcd clusters come
 * in different inputs or nested bundles.  A node with no identity at all (logs only) goes with its
 * scope.  Two nodes of different scopes are never joined by their names
 * alone; only an identity joins them (per-node tarballs of one cluster are
 * joined by the addresses and ids their views share).
 *
 * Rules then run once per cluster on a run that sees only that cluster's
 * nodes and observations (qs_cluster_run), so that comparisons (cluster
 * IDs, configurations) stay within it.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "quorumscope.h"

struct cl_set {
	struct qs_node	**node;		/* candidates, by pointer */
	size_t		 *parent;
	size_t		  n;
};

static size_t
cl_find(struct cl_set *s, size_t i)
{
	while (s->parent[i] != i) {
		s->parent[i] = s->parent[s->parent[i]];
		i = s->parent[i];
	}
	return i;
}

static void
cl_union(struct cl_set *s, size_t a, size_t b)
{
	a = cl_find(s, a);
	b = cl_find(s, b);
	if (a == b)
		return;
	/* The smaller index is the root: deterministic cluster order. */
	if (a < b)
		s->parent[b] = a;
	else
		s->parent[a] = b;
}

static int
cl_cmp_ptr(const void *a, const void *b)
{
	uintptr_t	x = (uintptr_t)*(void *const *)a;
	uintptr_t	y = (uintptr_t)*(void *const *)b;

	return x < y ? -1 : x > y;
}

/* Index of `node` among the candidates (sorted by pointer), or -1. */
static long
cl_index(const struct cl_set *s, const struct qs_node *node)
{
	struct qs_node	**p;

	if (node == NULL || s->n == 0)
		return -1;
	p = bsearch(&node, s->node, s->n, sizeof(*s->node), cl_cmp_ptr);
	return p == NULL ? -1 : (long)(p - s->node);
}

/*
 * A node's identity values of one kind for a system: etcd cluster IDs,
 * Consul datacenters, ZooKeeper server addresses.  Pushed as strings.
 */
static void
cl_identity(const struct qs_run *run, const struct qs_node *node,
    enum qs_system sys, struct qs_vec *out)
{
	size_t	i, j;

	for (i = 0; i < run->settings.n; i++) {
		const struct qs_setting	*s = run->settings.v[i];

		if (s->observer != node || s->system != sys)
			continue;
		if ((sys == QS_SYS_ETCD && (strcmp(s->key,
		    "etcd.cluster_id") == 0 || strcmp(s->key,
		    "etcd.members.cluster_id") == 0 || strcmp(s->key,
		    "etcd.status.cluster_id") == 0)) ||
		    (sys == QS_SYS_CONSUL && strcmp(s->key, "datacenter") == 0))
			qs_vec_push(out, (void *)s->value);
	}
	if (sys != QS_SYS_ZOOKEEPER)
		return;
	for (i = 0; i < run->views.n; i++) {
		const struct qs_view	*v = run->views.v[i];

		if (v->observer != node || v->system != sys ||
		    v->kind != QS_VIEW_CONFIGURED)
			continue;
		for (j = 0; j < v->members.n; j++) {
			const struct qs_member	*m = v->members.v[j];

			if (m->address != NULL)
				qs_vec_push(out, (void *)m->address);
		}
	}
}

static int
cl_vec_has(const struct qs_vec *v, const char *s)
{
	size_t	i;

	for (i = 0; i < v->n; i++)
		if (strcmp(v->v[i], s) == 0)
			return 1;
	return 0;
}

/* Do two sets of identity values allow one cluster? */
static int
cl_compatible(const struct qs_vec *a, const struct qs_vec *b)
{
	size_t	i;

	if (a->n == 0 || b->n == 0)
		return 1;
	for (i = 0; i < a->n; i++)
		if (cl_vec_has(b, a->v[i]))
			return 1;
	return 0;
}

/*
 * Is the node one of the system's?  Its artifacts say (the bundle node's
 * too: Triton dumps sit at the top of a bundle); Triton takes the binder
 * zones its dumps name.
 */
static int
cl_member(const struct qs_run *run, const struct qs_node *node,
    enum qs_system sys)
{
	size_t	i, j;

	for (i = 0; i < node->artifacts.n; i++) {
		const struct qs_artifact *a = node->artifacts.v[i];

		if (a->kind != NULL && a->kind->system == sys)
			return 1;
	}
	if (sys != QS_SYS_TRITON)
		return 0;
	for (i = 0; i < run->views.n; i++) {
		const struct qs_view	*v = run->views.v[i];

		if (v->system != QS_SYS_TRITON)
			continue;
		for (j = 0; j < v->members.n; j++)
			if (((struct qs_member *)v->members.v[j])->node == node)
				return 1;
	}
	return 0;
}

static int
cl_cmp_node(const void *a, const void *b)
{
	return strcmp((*(struct qs_node *const *)a)->name,
	    (*(struct qs_node *const *)b)->name);
}

static int
cl_cmp_cluster(const void *a, const void *b)
{
	const struct qs_cluster	*x = *(const struct qs_cluster *const *)a;
	const struct qs_cluster	*y = *(const struct qs_cluster *const *)b;

	if (x->system != y->system)
		return (int)x->system - (int)y->system;
	return strcmp(((struct qs_node *)x->nodes.v[0])->name,
	    ((struct qs_node *)y->nodes.v[0])->name);
}

/* The value most nodes of the cluster give, for its name. */
static const char *
cl_common(const struct qs_run *run, const struct qs_cluster *c)
{
	struct qs_vec	 all = { NULL, 0, 0 };
	const char	*best = NULL;
	size_t		 i, j, k, n, bestn = 0;

	for (i = 0; i < c->nodes.n; i++) {
		struct qs_vec	one = { NULL, 0, 0 };

		cl_identity(run, c->nodes.v[i], c->system, &one);
		for (j = 0; j < one.n; j++)
			if (!cl_vec_has(&all, one.v[j]) || c->system ==
			    QS_SYS_ETCD)
				qs_vec_push(&all, one.v[j]);
		qs_vec_free(&one);
	}
	for (i = 0; i < all.n; i++) {
		for (k = n = 0; k < all.n; k++)
			n += strcmp(all.v[i], all.v[k]) == 0;
		if (n > bestn || (n == bestn && best != NULL &&
		    strcmp(all.v[i], best) < 0)) {
			bestn = n;
			best = all.v[i];
		}
	}
	qs_vec_free(&all);
	return best;
}

static void
cl_name(struct qs_run *run, struct qs_cluster *c)
{
	const char	*v = cl_common(run, c);

	switch (c->system) {
	case QS_SYS_ETCD:
		c->name = v != NULL ? qs_arena_printf(&run->arena,
		    "etcd cluster %s", v) : "etcd cluster (ID not read)";
		break;
	case QS_SYS_CONSUL:
		c->name = v != NULL ? qs_arena_printf(&run->arena,
		    "Consul datacenter %s", v) : "Consul datacenter";
		break;
	case QS_SYS_ZOOKEEPER:
		c->name = "ZooKeeper ensemble";
		break;
	case QS_SYS_TRITON:
		c->name = "Triton headnode services";
		break;
	default:
		c->name = qs_system_name(c->system);
		break;
	}
}

static void
cl_build_system(struct qs_run *run, enum qs_system sys, struct qs_vec *out)
{
	struct cl_set	 s = { NULL, NULL, 0 };
	struct qs_vec	*ids;
	struct qs_vec	 group = { NULL, 0, 0 };
	size_t		 i, j, k;
	long		 a, b;

	for (i = 0; i < run->nodes.n; i++)
		if (cl_member(run, run->nodes.v[i], sys))
			s.n++;
	if (s.n == 0)
		return;
	s.node = qs_xreallocarray(NULL, s.n, sizeof(*s.node));
	s.parent = qs_xreallocarray(NULL, s.n, sizeof(*s.parent));
	for (i = j = 0; i < run->nodes.n; i++)
		if (cl_member(run, run->nodes.v[i], sys))
			s.node[j++] = run->nodes.v[i];
	qsort(s.node, s.n, sizeof(*s.node), cl_cmp_ptr);
	for (i = 0; i < s.n; i++)
		s.parent[i] = i;
	ids = qs_xcalloc(s.n, sizeof(*ids));
	for (i = 0; i < s.n; i++)
		cl_identity(run, s.node[i], sys, &ids[i]);

	/* Views naming other nodes. */
	for (i = 0; i < run->views.n; i++) {
		const struct qs_view	*v = run->views.v[i];

		if (v->system != sys || (a = cl_index(&s, v->observer)) < 0)
			continue;
		if (v->kind == QS_VIEW_GOSSIP && v->source != NULL &&
		    strstr(v->source, "WAN") != NULL)
			continue;
		for (j = 0; j < v->members.n; j++) {
			const struct qs_member	*m = v->members.v[j];

			if ((b = cl_index(&s, m->node)) < 0 || a == b)
				continue;
			if (sys == QS_SYS_CONSUL &&
			    !cl_compatible(&ids[a], &ids[b]))
				continue;
			cl_union(&s, (size_t)a, (size_t)b);
		}
	}
	/* Equal etcd cluster IDs. */
	if (sys == QS_SYS_ETCD)
		for (i = 0; i < s.n; i++)
			for (j = i + 1; j < s.n; j++)
				if (ids[i].n > 0 && ids[j].n > 0 &&
				    cl_compatible(&ids[i], &ids[j]))
					cl_union(&s, i, j);
	/*
	 * Pieces of one scope join unless their identities conflict; a
	 * piece's identity is the union of its nodes'.
	 */
	for (i = 0; i < s.n; i++) {
		size_t	ri = cl_find(&s, i);

		for (j = 0; j < s.n; j++) {
			size_t		 rj = cl_find(&s, j);
			struct qs_vec	 va = { NULL, 0, 0 }, vb = { NULL, 0, 0 };
			int		 ok;

			if (ri == rj || strcmp(qs_node_scope(s.node[i]),
			    qs_node_scope(s.node[j])) != 0)
				continue;
			for (k = 0; k < s.n; k++) {
				size_t	rk = cl_find(&s, k), m;

				for (m = 0; m < ids[k].n; m++) {
					if (rk == ri)
						qs_vec_push(&va, ids[k].v[m]);
					else if (rk == rj)
						qs_vec_push(&vb, ids[k].v[m]);
				}
			}
			ok = sys == QS_SYS_TRITON || sys == QS_SYS_ETCD ||
			    cl_compatible(&va, &vb);
			qs_vec_free(&va);
			qs_vec_free(&vb);
			if (ok) {
				cl_union(&s, ri, rj);
				ri = cl_find(&s, i);
			}
		}
	}

	/* One cluster per root, its nodes by name. */
	for (i = 0; i < s.n; i++) {
		struct qs_cluster	*c;
		size_t			 root = cl_find(&s, i);
		int			 seen = 0;

		for (j = 0; j < i; j++)
			if (cl_find(&s, j) == root)
				seen = 1;
		if (seen)
			continue;
		c = qs_arena_alloc(&run->arena, sizeof(*c));
		c->system = sys;
		for (j = 0; j < s.n; j++)
			if (cl_find(&s, j) == root)
				qs_vec_push(&c->nodes, s.node[j]);
		qsort(c->nodes.v, c->nodes.n, sizeof(*c->nodes.v),
		    cl_cmp_node);
		qs_vec_push(&group, c);
	}
	qsort(group.v, group.n, sizeof(*group.v), cl_cmp_cluster);
	for (i = 0; i < group.n; i++) {
		struct qs_cluster	*c = group.v[i];

		c->id = group.n == 1 ? qs_system_name(sys) :
		    qs_arena_printf(&run->arena, "%s-%zu", qs_system_name(sys),
		    i + 1);
		cl_name(run, c);
		for (j = 0; j < c->nodes.n; j++) {
			const struct qs_node	*node = c->nodes.v[j];

			for (k = 0; k < node->artifacts.n; k++) {
				const struct qs_artifact *art =
				    node->artifacts.v[k];

				if (art->kind == NULL || art->kind->system !=
				    sys)
					continue;
				if (art->status == QS_STATUS_PARSED ||
				    art->status == QS_STATUS_PARTIAL)
					c->decoded++;
				else
					c->undecoded++;
				if (art->status == QS_STATUS_NOTHING)
					c->not_understood++;
			}
		}
		qs_vec_push(out, c);
	}
	qs_vec_free(&group);
	for (i = 0; i < s.n; i++)
		qs_vec_free(&ids[i]);
	free(ids);
	free(s.node);
	free(s.parent);
}

const char *
qs_verdict_name(enum qs_verdict v)
{
	switch (v) {
	case QS_VERDICT_HEALTHY:
		return "healthy";
	case QS_VERDICT_FINDINGS:
		return "findings";
	case QS_VERDICT_UNKNOWN:
		break;
	}
	return "unknown";
}

void
qs_clusters_build(struct qs_run *run, struct qs_vec *out)
{
	enum qs_system	sys;

	for (sys = QS_SYS_CONSUL; sys <= QS_SYS_TRITON; sys++)
		cl_build_system(run, sys, out);
}

void
qs_clusters_free(struct qs_vec *v)
{
	size_t	i;

	for (i = 0; i < v->n; i++) {
		struct qs_cluster	*c = v->v[i];

		qs_vec_free(&c->nodes);
		qs_vec_free(&c->why);
		qs_history_free(c->history);
	}
	qs_vec_free(v);
}

struct qs_cluster *
qs_cluster_of(const struct qs_vec *clusters, const struct qs_node *node,
    enum qs_system sys)
{
	size_t	i, j;

	for (i = 0; i < clusters->n; i++) {
		struct qs_cluster	*c = clusters->v[i];

		if (c->system != sys)
			continue;
		for (j = 0; j < c->nodes.n; j++)
			if (c->nodes.v[j] == node)
				return c;
	}
	return NULL;
}

/* Keeps the elements of `from` whose node is in the sorted `in`. */
static void
cl_filter(struct qs_vec *to, const struct qs_vec *from, void *const *in,
    size_t nin, struct qs_node *(*node_of)(void *))
{
	size_t	i;

	memset(to, 0, sizeof(*to));
	for (i = 0; i < from->n; i++) {
		struct qs_node	*n = node_of(from->v[i]);

		if (n != NULL && bsearch(&n, in, nin, sizeof(*in),
		    cl_cmp_ptr) != NULL)
			qs_vec_push(to, from->v[i]);
	}
}

static struct qs_node *
cl_node_artifact(void *p)
{
	return ((struct qs_artifact *)p)->node;
}

static struct qs_node *
cl_node_event(void *p)
{
	return ((struct qs_event *)p)->observer;
}

static struct qs_node *
cl_node_signal(void *p)
{
	return ((struct qs_signal *)p)->observer;
}

static struct qs_node *
cl_node_view(void *p)
{
	return ((struct qs_view *)p)->observer;
}

static struct qs_node *
cl_node_setting(void *p)
{
	return ((struct qs_setting *)p)->observer;
}

static struct qs_node *
cl_node_identity(void *p)
{
	const struct qs_identity	*id = p;

	return id->ev.artifact != NULL ? id->ev.artifact->node : NULL;
}

/*
 * A run for one cluster: the same arena, limits and aliases, and vectors
 * holding only what the cluster's nodes observed.  What rules allocate
 * goes to the arena; qs_cluster_run_done() hands it back to the whole run.
 */
void
qs_cluster_run(const struct qs_run *whole, const struct qs_cluster *c,
    struct qs_run *sub)
{
	void	**in;
	size_t	  n = c->nodes.n, i;

	*sub = *whole;
	in = qs_xreallocarray(NULL, n > 0 ? n : 1, sizeof(*in));
	for (i = 0; i < n; i++)
		in[i] = c->nodes.v[i];
	qsort(in, n, sizeof(*in), cl_cmp_ptr);
	memset(&sub->nodes, 0, sizeof(sub->nodes));
	for (i = 0; i < n; i++)
		qs_vec_push(&sub->nodes, c->nodes.v[i]);
	memset(&sub->inputs, 0, sizeof(sub->inputs));
	for (i = 0; i < whole->inputs.n; i++)
		qs_vec_push(&sub->inputs, whole->inputs.v[i]);
	memset(&sub->diags, 0, sizeof(sub->diags));
	memset(&sub->node_rules, 0, sizeof(sub->node_rules));
	cl_filter(&sub->artifacts, &whole->artifacts, in, n,
	    cl_node_artifact);
	cl_filter(&sub->events, &whole->events, in, n, cl_node_event);
	cl_filter(&sub->signals, &whole->signals, in, n, cl_node_signal);
	cl_filter(&sub->views, &whole->views, in, n, cl_node_view);
	cl_filter(&sub->settings, &whole->settings, in, n, cl_node_setting);
	cl_filter(&sub->identities, &whole->identities, in, n,
	    cl_node_identity);
	free(in);
}

void
qs_cluster_run_done(struct qs_run *whole, struct qs_run *sub)
{
	size_t	i;

	whole->arena = sub->arena;
	/* Diagnostics a rule added belong to the whole run. */
	for (i = 0; i < sub->diags.n; i++)
		qs_vec_push(&whole->diags, sub->diags.v[i]);
	qs_vec_free(&sub->nodes);
	qs_vec_free(&sub->inputs);
	qs_vec_free(&sub->diags);
	qs_vec_free(&sub->node_rules);
	qs_vec_free(&sub->artifacts);
	qs_vec_free(&sub->events);
	qs_vec_free(&sub->signals);
	qs_vec_free(&sub->views);
	qs_vec_free(&sub->settings);
	qs_vec_free(&sub->identities);
}
