/*
 * quorumscope peers BUNDLE...: the membership matrix.  One row per node
 * and source (a raft peers.json, a raft configuration, a serf snapshot),
 * one column per member, each cell what that source says of that member:
 * voter, non-voter, alive, left, failed, reaped, absent, or stale-address
 * (the member is named, but at an address its node no longer has).
 * Columns: the bundle's nodes first, then members whose files are not in
 * the bundle.  Rows: the latest view of each node and source; the history
 * of changes is the timeline's.
 *
 * etcd: a member that never started (etcdctl's "unstarted", a backend
 * entry without a name: etcd names a member when it publishes itself) is
 * "unstarted", not a voter; when the nodes' live data belong to more than
 * one cluster ID, a CLUSTER column says whose membership each row is, and
 * rows are grouped by it; --ids adds the member id each source lists.
 * Leftover data dirs (etcd-data-dir.c) have no rows.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "quorumscope.h"

static int	peers_stale_address(struct qs_arena *, const struct qs_member *);

/*
 * A member's column: its node, else its host or name.  A member named at
 * an address its node no longer has gets a column of its own, so that the
 * stale entry stays visible beside the node's current one.
 */
static const char *
peers_key(struct qs_arena *a, const struct qs_member *m)
{
	const char	*host;

	if (m->node != NULL && peers_stale_address(a, m))
		return qs_arena_printf(a, "%s (%s, stale)", m->address,
		    m->node->name);
	if (m->node != NULL)
		return m->node->name;
	if (m->address != NULL && (host = qs_address_host(a, m->address)) !=
	    NULL)
		return host;
	return m->name != NULL ? m->name : m->id != NULL ? m->id : "?";
}

static int
peers_has(const struct qs_vec *v, const char *s)
{
	size_t	i;

	for (i = 0; i < v->n; i++)
		if (strcmp(v->v[i], s) == 0)
			return 1;
	return 0;
}

static int
peers_cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int
peers_cmp_view(const void *a, const void *b)
{
	const struct qs_view	*x = *(const struct qs_view *const *)a;
	const struct qs_view	*y = *(const struct qs_view *const *)b;
	int			 c;

	if ((c = strcmp(x->observer != NULL ? x->observer->name : "",
	    y->observer != NULL ? y->observer->name : "")) != 0)
		return c;
	if ((c = strcmp(x->source, y->source)) != 0)
		return c;
	return strcmp(x->ev.artifact->member, y->ev.artifact->member);
}

/* Does the member's address still belong to its node? */
static int
peers_stale_address(struct qs_arena *a, const struct qs_member *m)
{
	const char	*host;
	size_t		 i;
	int		 known = 0;

	if (m->node == NULL || m->address == NULL ||
	    (host = qs_address_host(a, m->address)) == NULL)
		return 0;
	for (i = 0; i < m->node->idents.n; i++) {
		const struct qs_identity *id = m->node->idents.v[i];
		const char		 *h;

		if (id->kind != QS_ID_ADDRESS)
			continue;
		known = 1;
		if ((h = qs_address_host(a, id->value)) != NULL &&
		    strcmp(h, host) == 0)
			return 0;
	}
	return known;
}

/* An etcd member that has not started: no name where etcd keeps one. */
static int
peers_unstarted(const struct qs_view *v, const struct qs_member *m)
{
	if (v->system != QS_SYS_ETCD || m->name != NULL)
		return 0;
	return strcmp(v->source, "etcdctl member list") == 0 ||
	    strcmp(v->source, "etcd backend members") == 0;
}

static const char *
peers_cell(struct qs_arena *a, const struct qs_view *v, const char *col,
    int ids)
{
	const char	*state;
	size_t		 i;

	for (i = 0; i < v->members.n; i++) {
		const struct qs_member	*m = v->members.v[i];

		if (strcmp(peers_key(a, m), col) != 0)
			continue;
		if (m->node != NULL && peers_stale_address(a, m))
			state = "stale-address";
		else if (peers_unstarted(v, m))
			state = "unstarted";
		else
			state = m->state == QS_MEMBER_LISTED ? "voter" :
			    qs_member_state_name(m->state);
		if (ids && m->id != NULL)
			return qs_arena_printf(a, "%s %s", state, m->id);
		return state;
	}
	return v->is_null ? "null" : "absent";
}

/* The etcd cluster ID of a view's node, from its live data or etcdctl. */
static const char *
peers_cluster(const struct qs_run *run, const struct qs_view *v)
{
	static const char *const keys[] = { "etcd.cluster_id",
	    "etcd.status.cluster_id", "etcd.members.cluster_id", NULL };
	const struct qs_setting	*s;
	size_t			 i;

	if (v->system != QS_SYS_ETCD || v->observer == NULL)
		return NULL;
	for (i = 0; keys[i] != NULL; i++)
		if ((s = qs_setting_get(run, v->observer, QS_SYS_ETCD,
		    keys[i])) != NULL)
			return s->value;
	return NULL;
}

/* More than one etcd cluster ID among the rows' nodes? */
static int
peers_clusters(const struct qs_run *run, const struct qs_vec *views)
{
	const char	*first = NULL, *c;
	size_t		 i;

	for (i = 0; i < views->n; i++) {
		if ((c = peers_cluster(run, views->v[i])) == NULL)
			continue;
		if (first == NULL)
			first = c;
		else if (strcmp(first, c) != 0)
			return 1;
	}
	return 0;
}

/*
 * The matrix: the latest view of each node and source (the timeline has
 * the history; views are recorded in file order, so the last wins), and
 * the members as columns, the bundle's nodes first.
 */
static void
peers_matrix(struct qs_run *run, struct qs_arena *a, struct qs_vec *cols,
    struct qs_vec *views)
{
	struct qs_vec	ext = { 0 };
	size_t		i, j;

	for (i = run->views.n; i-- > 0;) {
		const struct qs_view	*v = run->views.v[i];

		if (v->ev.artifact != NULL && v->ev.artifact->leftover)
			continue;
		for (j = 0; j < views->n; j++) {
			const struct qs_view	*w = views->v[j];

			if (w->observer == v->observer &&
			    strcmp(w->source, v->source) == 0)
				break;
		}
		if (j < views->n)
			continue;
		qs_vec_push(views, (void *)v);
		for (j = 0; j < v->members.n; j++) {
			const struct qs_member	*m = v->members.v[j];
			const char		*k = peers_key(a, m);

			if (m->node != NULL) {
				if (!peers_has(cols, k))
					qs_vec_push(cols, (void *)k);
			} else if (!peers_has(&ext, k))
				qs_vec_push(&ext, (void *)k);
		}
	}
	if (cols->n > 1)
		qsort(cols->v, cols->n, sizeof(*cols->v), peers_cmp_str);
	if (ext.n > 1)
		qsort(ext.v, ext.n, sizeof(*ext.v), peers_cmp_str);
	for (i = 0; i < ext.n; i++)
		qs_vec_push(cols, ext.v[i]);
	if (views->n > 1)
		qsort(views->v, views->n, sizeof(*views->v), peers_cmp_view);
	/* Rows grouped by cluster ID, in order within each (stable). */
	if (peers_clusters(run, views))
		for (i = 1; i < views->n; i++)
			for (j = i; j > 0; j--) {
				const char	*x = peers_cluster(run,
				    views->v[j - 1]);
				const char	*y = peers_cluster(run,
				    views->v[j]);
				void		*t;

				if (strcmp(x != NULL ? x : "", y != NULL ? y :
				    "") <= 0)
					break;
				t = views->v[j];
				views->v[j] = views->v[j - 1];
				views->v[j - 1] = t;
			}
	qs_vec_free(&ext);
}

/* { "members": [...], "rows": [{node, system, source, evidence, states}] } */
cJSON *
qs_peers_json(struct qs_run *run)
{
	struct qs_arena	 a = { NULL };
	struct qs_vec	 cols = { 0 }, views = { 0 };
	size_t		 i, j;
	int		 several;
	cJSON		*root, *arr, *row, *st;

	peers_matrix(run, &a, &cols, &views);
	several = peers_clusters(run, &views);
	root = cJSON_CreateObject();
	arr = cJSON_AddArrayToObject(root, "members");
	for (i = 0; i < cols.n; i++)
		cJSON_AddItemToArray(arr, cJSON_CreateString(cols.v[i]));
	arr = cJSON_AddArrayToObject(root, "rows");
	for (i = 0; i < views.n; i++) {
		const struct qs_view	*v = views.v[i];

		row = cJSON_CreateObject();
		cJSON_AddStringToObject(row, "node", v->observer != NULL ?
		    v->observer->name : "");
		cJSON_AddStringToObject(row, "system",
		    qs_system_name(v->system));
		cJSON_AddStringToObject(row, "source", v->source);
		if (several && peers_cluster(run, v) != NULL)
			cJSON_AddStringToObject(row, "cluster",
			    peers_cluster(run, v));
		cJSON_AddItemToObject(row, "evidence", qs_json_evidence(&v->ev));
		st = cJSON_AddObjectToObject(row, "states");
		for (j = 0; j < cols.n; j++)
			cJSON_AddStringToObject(st, cols.v[j], peers_cell(&a, v,
			    cols.v[j], 0));
		cJSON_AddItemToArray(arr, row);
	}
	qs_vec_free(&cols);
	qs_vec_free(&views);
	qs_arena_free(&a);
	return root;
}

static int
cmd_peers_exec(struct qs_globals *g, int argc, char **argv)
{
	struct qs_analysis	 an;
	struct qs_arena		 a = { NULL };
	struct qs_vec		 cols = { 0 }, views = { 0 };
	const char		**cells;
	int			*right;
	size_t			 i, j, ncols, rows, lead;
	int			 opened;

	opened = qs_analysis_inputs(g, argc, argv, &an);
	peers_matrix(g->run, &a, &cols, &views);
	lead = peers_clusters(g->run, &views) ? 3 : 2;
	ncols = cols.n + lead;

	if (g->format == QS_FORMAT_JSON) {
		if (qs_json_print(qs_peers_json(g->run), stdout) != 0)
			qs_fatal("write error on standard output");
	} else if (views.n == 0) {
		printf("No membership view in the bundle (no peers.json, raft "
		    "configuration or serf snapshot was decoded).\n");
		qs_text_diagnostics(g, stdout);
	} else {
		cells = qs_xcalloc((views.n + 1) * ncols, sizeof(*cells));
		right = qs_xcalloc(ncols, sizeof(*right));
		cells[0] = "NODE";
		if (lead == 3)
			cells[1] = "CLUSTER";
		cells[lead - 1] = "SOURCE";
		for (j = 0; j < cols.n; j++)
			cells[lead + j] = qs_escape(&a, cols.v[j]);
		for (i = 0, rows = 1; i < views.n; i++, rows++) {
			const struct qs_view	*v = views.v[i];
			const char		*c = peers_cluster(g->run, v);

			cells[rows * ncols] = v->observer != NULL ?
			    qs_escape(&a, v->observer->name) : "-";
			if (lead == 3)
				cells[rows * ncols + 1] = c != NULL ?
				    qs_escape(&a, c) : "-";
			cells[rows * ncols + lead - 1] = qs_escape(&a,
			    v->source);
			for (j = 0; j < cols.n; j++)
				cells[rows * ncols + lead + j] = peers_cell(&a,
				    v, cols.v[j], g->ids);
		}
		qs_table_print(stdout, ncols, rows, cells, right);
		free(cells);
		free(right);
		qs_text_diagnostics(g, stdout);
	}
	qs_vec_free(&cols);
	qs_vec_free(&views);
	qs_arena_free(&a);
	qs_analysis_free(&an);
	return opened == 0 ? QS_EXIT_NOINPUT : QS_EXIT_OK;
}

const struct qs_command qs_cmd_peers = {
	.name = "peers",
	.args = "BUNDLE...",
	.summary = "membership matrix: what each node's sources say of each "
	    "member",
	.exec = cmd_peers_exec,
};
