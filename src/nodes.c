/*
 * Node attribution: which node of the cluster every entry came from.
 *
 * Bundles arrive in a few shapes, and the rules below follow them:
 *
 *   collect-2024-05-01/node1/var/lib/etcd/...    wrapping dir, node dirs
 *   node1/..., node2/..., MANIFEST.txt           node dirs at the top
 *   node1.tar.gz, node2.tar.gz (in an outer tar) a nested archive per node
 *   var/lib/etcd/..., consul.log                 one node's files
 *
 * Per input: up to two wrapping directories are stripped (a single
 * top-level directory that holds everything and is not itself a known
 * data-dir root such as var/ or consul/).  Below them, every directory that
 * is not a data-dir root is a node directory, named as the directory is (a
 * nested archive counts as a directory named after its stem).  Files beside
 * node directories belong to the bundle itself, not to a node.  An input
 * without node directories, or with data-dir roots at that level (one
 * host's file system: var/ beside backup/), is one node, named after the
 * last wrapping directory, or else after the input.  --node NAME=GLOB
 * rules come first.
 *
 * The bundle is read in one pass, so entries are attributed after it: the
 * reader notes each path's first few components here (a bounded set, not
 * every path), and qs_nodes_resolve() decides once everything is seen.
 */
#include "config.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "quorumscope.h"

/* Components of a path worth remembering: wrappers (2), node, child. */
#define PLACE_DEPTH	4

struct place {
	char	*prefix;	/* first PLACE_DEPTH components at most */
	int	 is_dir;	/* the prefix names a directory */
};

struct qs_place_set {
	struct place	*slots;
	size_t		 cap;		/* power of two */
	size_t		 n;
};

/* Data-dir roots: a component naming one of these is never a node. */
static const char *const nodes_roots[] = {
	"var", "etc", "opt", "usr", "srv", "home", "root", "tmp", "run",
	"data", "consul", "consul.d", "etcd", "zookeeper", "zk", "logs", "log",
	"member", "raft", "serf", "version-2", "snapshots", "wal", "snap",
	NULL
};

/* Directories that only occur inside a data dir. */
static const char *const nodes_data_children[] = {
	"raft", "serf", "member", "version-2", NULL
};

static int
nodes_in_list(const char *const *list, const char *s, size_t len)
{
	size_t	i;

	for (i = 0; list[i] != NULL; i++)
		if (strlen(list[i]) == len && strncmp(list[i], s, len) == 0)
			return 1;
	return 0;
}

static int
nodes_is_root(const char *s, size_t len)
{
	if (nodes_in_list(nodes_roots, s, len))
		return 1;
	/* etcd's default data dirs: default.etcd, <name>.etcd */
	return len > 5 && strncmp(s + len - 5, ".etcd", 5) == 0;
}

static uint64_t
nodes_hash(const char *s)
{
	uint64_t	h = 1469598103934665603ULL;	/* FNV-1a */

	while (*s != '\0')
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h;
}

static void
nodes_set_insert(struct qs_place_set *set, char *prefix, int is_dir)
{
	size_t	i, mask;

	if ((set->n + 1) * 2 > set->cap) {
		struct place	*old = set->slots;
		size_t		 ocap = set->cap, j;

		set->cap = ocap == 0 ? 64 : ocap * 2;
		set->slots = qs_xcalloc(set->cap, sizeof(*set->slots));
		set->n = 0;
		for (j = 0; j < ocap; j++)
			if (old[j].prefix != NULL)
				nodes_set_insert(set, old[j].prefix,
				    old[j].is_dir);
		free(old);
	}
	mask = set->cap - 1;
	for (i = nodes_hash(prefix) & mask; set->slots[i].prefix != NULL;
	    i = (i + 1) & mask) {
		if (strcmp(set->slots[i].prefix, prefix) == 0) {
			set->slots[i].is_dir |= is_dir;
			free(prefix);
			return;
		}
	}
	set->slots[i].prefix = prefix;
	set->slots[i].is_dir = is_dir;
	set->n++;
}

/*
 * Remember where a path sits: its first PLACE_DEPTH components, and
 * whether that prefix is a directory (is_dir, or more components follow).
 */
void
qs_nodes_note_path(struct qs_run *run, struct qs_input *in,
    const char *logical, int is_dir)
{
	const char	*p = logical;
	char		*prefix;
	int		 comps = 0;

	(void)run;
	if (in->places == NULL)
		in->places = qs_xcalloc(1, sizeof(*in->places));
	while (*p != '\0') {
		const char	*slash = strchr(p, '/');

		comps++;
		if (slash == NULL) {
			/*
			 * A file as deep as a node's child says no more than
			 * its directory does: note that, so that a million
			 * files in one directory are one place, not a million.
			 */
			if (comps == PLACE_DEPTH && !is_dir && p > logical) {
				p--;
				is_dir = 1;
				break;
			}
			p += strlen(p);
			break;
		}
		if (comps == PLACE_DEPTH) {
			is_dir = 1;
			p = slash;
			break;
		}
		p = slash + 1;
	}
	if (p > logical && p[-1] == '/')
		p--;
	if (p == logical)
		return;
	prefix = strndup(logical, (size_t)(p - logical));
	if (prefix == NULL)
		qs_fatal("out of memory noting a path");
	nodes_set_insert(in->places, prefix, is_dir);
}

void
qs_nodes_free_places(struct qs_input *in)
{
	size_t	i;

	if (in->places == NULL)
		return;
	for (i = 0; i < in->places->cap; i++)
		free(in->places->slots[i].prefix);
	free(in->places->slots);
	free(in->places);
	in->places = NULL;
}

/* Component `idx` of path: pointer and length; NULL when absent. */
static const char *
nodes_component(const char *path, int idx, size_t *len, int *last)
{
	const char	*p = path, *slash;

	for (;;) {
		slash = strchr(p, '/');
		if (idx == 0) {
			*len = slash != NULL ? (size_t)(slash - p) : strlen(p);
			*last = slash == NULL;
			return *len > 0 ? p : NULL;
		}
		if (slash == NULL)
			return NULL;
		p = slash + 1;
		idx--;
	}
}

/* How an input's paths map to nodes, decided from its places. */
struct nodes_layout {
	int		 skip;		/* wrapping components stripped */
	const char	*single;	/* the input is this one node, or NULL */
	struct qs_vec	 dirs;		/* node directory names (arena) */
	struct qs_map	 dir_set;	/* the same, for lookups: hashed, so
					   200,000 node dirs stay linear */
};

static int
nodes_layout_has_dir(const struct nodes_layout *lay, const char *s,
    size_t len)
{
	char	buf[256], *key = len < sizeof(buf) ? buf : qs_xmalloc(len + 1);
	int	found;

	memcpy(key, s, len);
	key[len] = '\0';
	found = qs_map_get(&lay->dir_set, key) != NULL;
	if (key != buf)
		free(key);
	return found;
}

static void
nodes_layout_forget_dirs(struct nodes_layout *lay)
{
	qs_vec_free(&lay->dirs);
	qs_map_free(&lay->dir_set);
	memset(&lay->dir_set, 0, sizeof(lay->dir_set));
}

static void
nodes_layout(struct qs_run *run, struct qs_input *in, struct nodes_layout *lay)
{
	struct qs_place_set	*set = in->places;
	const char		*wrapper = NULL, *c, *first;
	size_t			 i, len, flen = 0;
	int			 last, level, child_root, roots, debug;

	memset(lay, 0, sizeof(*lay));
	if (set == NULL) {
		lay->single = in->stem;
		return;
	}
	/* Strip up to two wrapping directories. */
	for (level = 0; level < 2; level++) {
		first = NULL;
		for (i = 0; i < set->cap; i++) {
			struct place	*pl = &set->slots[i];

			if (pl->prefix == NULL)
				continue;
			c = nodes_component(pl->prefix, level, &len, &last);
			if (c == NULL && pl->is_dir)
				continue;	/* an ancestor directory */
			if (c == NULL || (last && !pl->is_dir))
				break;		/* a file at this level */
			if (first == NULL) {
				first = c;
				flen = len;
			} else if (len != flen || strncmp(c, first, len) != 0)
				break;
		}
		if (i < set->cap || first == NULL || nodes_is_root(first, flen))
			break;
		wrapper = qs_arena_strndup(&run->arena, first, flen);
		lay->skip = level + 1;
	}

	/* Node directories below the wrappers. */
	child_root = 0;
	roots = 0;
	debug = 0;
	for (i = 0; i < set->cap; i++) {
		struct place	*pl = &set->slots[i];
		size_t		 clen;
		int		 clast;

		if (pl->prefix == NULL)
			continue;
		c = nodes_component(pl->prefix, lay->skip, &len, &last);
		/* A `consul debug` archive's root (parse-consul-debug.c). */
		if (c != NULL && last && !pl->is_dir)
			debug |= (len == 10 && strncmp(c, "index.json", 10) ==
			    0) | (len == 10 && strncmp(c, "agent.json", 10) ==
			    0) << 1;
		if (c == NULL || (last && !pl->is_dir))
			continue;
		if (nodes_is_root(c, len)) {
			roots = 1;
			continue;
		}
		if (!nodes_layout_has_dir(lay, c, len)) {
			char	*d = qs_arena_strndup(&run->arena, c, len);

			qs_vec_push(&lay->dirs, d);
			qs_map_put(&lay->dir_set, &run->arena, d, d);
		}
		c = nodes_component(pl->prefix, lay->skip + 1, &clen, &clast);
		if (c != NULL && nodes_in_list(nodes_data_children, c, clen))
			child_root = 1;
	}
	/*
	 * A lone candidate holding raft/, serf/, member/ or version-2/ is a
	 * data dir (consul-data/raft/...), not a node.
	 */
	if (lay->dirs.n == 1 && child_root)
		nodes_layout_forget_dirs(lay);
	/*
	 * var/, etc/, consul/ beside the candidates: this level is one
	 * host's file system (node1/backup beside node1/var), not a list of
	 * nodes.
	 */
	if (roots)
		nodes_layout_forget_dirs(lay);
	/* Its interval directories are times, not nodes: one agent. */
	if (debug == 3)
		nodes_layout_forget_dirs(lay);
	if (lay->dirs.n == 0)
		lay->single = wrapper != NULL ? wrapper : in->stem;
}

/* The node of that name, made on first use; `byname` indexes them. */
static struct qs_node *
nodes_get(struct qs_run *run, struct qs_map *byname, const char *name)
{
	struct qs_node	*node;

	if ((node = qs_map_get(byname, name)) != NULL)
		return node;
	node = qs_arena_alloc(&run->arena, sizeof(*node));
	node->name = qs_arena_strdup(&run->arena, name);
	qs_vec_push(&run->nodes, node);
	qs_map_put(byname, &run->arena, node->name, node);
	return node;
}

static const char *
nodes_for_path(const struct nodes_layout *lay, const char *logical)
{
	const char	*c;
	size_t		 len;
	int		 last;

	if (lay->single != NULL)
		return lay->single;
	c = nodes_component(logical, lay->skip, &len, &last);
	if (c == NULL || last || !nodes_layout_has_dir(lay, c, len))
		return QS_BUNDLE_NODE;
	return NULL;	/* the caller takes the component */
}

static int
nodes_cmp(const void *a, const void *b)
{
	const struct qs_node	*x = *(const struct qs_node *const *)a;
	const struct qs_node	*y = *(const struct qs_node *const *)b;
	int			 bx = strcmp(x->name, QS_BUNDLE_NODE) == 0;
	int			 by = strcmp(y->name, QS_BUNDLE_NODE) == 0;

	if (bx != by)
		return bx - by;		/* the bundle's own files last */
	return strcmp(x->name, y->name);
}

/*
 * Attribute every artifact to a node, once the whole bundle is read.
 * Node directories without any recognised artifact still become nodes:
 * "node3 is there but nothing in it was readable" is a finding in itself.
 */
void
qs_nodes_resolve(struct qs_run *run)
{
	struct nodes_layout	*lays;
	struct qs_map		 byname = { NULL, 0, 0 };
	size_t			 i, j;

	for (i = 0; i < run->nodes.n; i++)
		qs_map_put(&byname, &run->arena,
		    ((struct qs_node *)run->nodes.v[i])->name, run->nodes.v[i]);
	lays = qs_xcalloc(run->inputs.n + 1, sizeof(*lays));
	for (i = 0; i < run->inputs.n; i++) {
		struct qs_input	*in = run->inputs.v[i];

		if (!in->opened)
			continue;
		nodes_layout(run, in, &lays[i]);
		/* With --node rules, only what the rules leave makes nodes. */
		if (run->node_rules.n > 0)
			continue;
		if (lays[i].single != NULL)
			nodes_get(run, &byname, lays[i].single);
		for (j = 0; j < lays[i].dirs.n; j++)
			nodes_get(run, &byname, lays[i].dirs.v[j]);
	}
	for (i = 0; i < run->artifacts.n; i++) {
		struct qs_artifact	*art = run->artifacts.v[i];
		const char		*name = NULL, *c;
		size_t			 k, len = 0;
		int			 last;

		for (k = 0; k < run->node_rules.n && name == NULL; k++) {
			struct qs_node_rule	*r = run->node_rules.v[k];

			if (fnmatch(r->glob, art->member, 0) == 0 ||
			    fnmatch(r->glob, art->logical, 0) == 0)
				name = r->name;
		}
		for (j = 0; name == NULL && j < run->inputs.n; j++) {
			if (run->inputs.v[j] != art->input)
				continue;
			name = nodes_for_path(&lays[j], art->logical);
			if (name == NULL) {
				c = nodes_component(art->logical, lays[j].skip,
				    &len, &last);
				name = qs_arena_strndup(&run->arena, c, len);
			}
		}
		if (name == NULL)
			name = QS_BUNDLE_NODE;
		art->node = nodes_get(run, &byname, name);
		qs_vec_push(&art->node->artifacts, art);
	}
	for (i = 0; i < run->inputs.n; i++)
		nodes_layout_forget_dirs(&lays[i]);
	free(lays);
	qs_map_free(&byname);
	qs_consul_debug_rename(run);
	if (run->nodes.n > 1)
		qsort(run->nodes.v, run->nodes.n, sizeof(*run->nodes.v),
		    nodes_cmp);
}
