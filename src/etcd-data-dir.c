/*
 * Which of an etcd node's member dirs is live.  etcd reads one data dir,
 * --data-dir (its WAL under member/wal unless --wal-dir moves it;
 * etcd-io/etcd server/etcdserver storage layout, embed/config.go): a
 * bundle that holds more (the data.pre-restore an operator kept before a
 * `snapshot restore`, a copy, member.old-*) or snapshot files saved by
 * `etcdctl snapshot save` holds one live member and leftovers.  The
 * configuration decides: a WAL, backend or .snap under the configured
 * data dir (or WAL dir) is live, any other is a leftover, provided one is
 * live at all (a collector that moved the data elsewhere marks nothing).
 *
 * A leftover's settings and views stay in the run with no observer: no
 * rule reads them as the node's state and clusters are not built from
 * them, while rule-etcd-operator.c still compares them with the live data
 * (a restore's rollback).  Its events and signals, the old life's
 * history, leave the run; the node's log tells that history.  Identities
 * stay: the node was that member once, and its log says so.
 */
#include "config.h"

#include <string.h>

#include "quorumscope.h"

static int
edd_is_data_kind(const struct qs_artifact *a)
{
	return a->kind != NULL && (strcmp(a->kind->name, "etcd.wal") == 0 ||
	    strcmp(a->kind->name, "etcd.db") == 0 ||
	    strcmp(a->kind->name, "etcd.snap") == 0);
}

/* The node's configured directory `key` (data-dir, wal-dir), or NULL. */
static const char *
edd_config_dir(const struct qs_run *run, const struct qs_node *node,
    const char *key)
{
	const char	*found = NULL;
	size_t		 i;

	for (i = 0; i < run->settings.n; i++) {
		const struct qs_setting	*s = run->settings.v[i];

		if (s->ev.artifact == NULL || s->ev.artifact->node != node ||
		    s->ev.artifact->kind == NULL ||
		    strcmp(s->ev.artifact->kind->name, "etcd.config") != 0 ||
		    strcmp(s->key, key) != 0)
			continue;
		if (*s->value == '\0' || strchr(s->value, '$') != NULL)
			continue;
		found = s->value;
	}
	return found;
}

/* `path` holds the directory `dir` followed by `tail`, at a "/". */
static int
edd_under(const char *path, const char *dir, const char *tail)
{
	size_t		 n = strlen(dir), tn = strlen(tail);
	const char	*p;

	while (n > 1 && dir[n - 1] == '/')
		n--;
	while (*dir == '/' && n > 0) {
		dir++;
		n--;
	}
	if (n == 0)
		return 0;
	for (p = path; p != NULL; p = (p = strchr(p, '/')) != NULL ? p + 1 :
	    NULL)
		if (strncmp(p, dir, n) == 0 && strncmp(p + n, tail, tn) == 0)
			return 1;
	return 0;
}

static int
edd_live(const struct qs_artifact *a, const char *data, const char *wal)
{
	if (wal != NULL && strcmp(a->kind->name, "etcd.wal") == 0)
		return edd_under(a->member, wal, "/");
	return edd_under(a->member, data, "/member/");
}

static void
edd_node(struct qs_run *run, struct qs_node *node, size_t *count)
{
	const char	*data, *wal;
	size_t		 i, live = 0;

	if ((data = edd_config_dir(run, node, "etcd.config.data-dir")) == NULL)
		return;
	wal = edd_config_dir(run, node, "etcd.config.wal-dir");
	for (i = 0; i < node->artifacts.n; i++) {
		const struct qs_artifact	*a = node->artifacts.v[i];

		if (edd_is_data_kind(a) && edd_live(a, data, wal))
			live++;
	}
	if (live == 0)
		return;
	for (i = 0; i < node->artifacts.n; i++) {
		struct qs_artifact	*a = node->artifacts.v[i];

		if (edd_is_data_kind(a) && !edd_live(a, data, wal)) {
			a->leftover = 1;
			(*count)++;
		}
	}
}

static int
edd_left(const struct qs_evidence *ev)
{
	return ev->artifact != NULL && ev->artifact->leftover;
}

/*
 * Marks every node's leftovers and takes their observations out of the
 * node's state (above); the number of leftover files.  Runs after
 * qs_model_resolve(), before clusters are built.
 */
size_t
qs_etcd_leftovers(struct qs_run *run)
{
	size_t	i, j, n = 0;

	for (i = 0; i < run->nodes.n; i++)
		edd_node(run, run->nodes.v[i], &n);
	if (n == 0)
		return 0;
	for (i = 0; i < run->settings.n; i++) {
		struct qs_setting	*s = run->settings.v[i];

		if (edd_left(&s->ev))
			s->observer = NULL;
	}
	for (i = 0; i < run->views.n; i++) {
		struct qs_view	*v = run->views.v[i];

		if (edd_left(&v->ev))
			v->observer = NULL;
	}
	for (i = j = 0; i < run->events.n; i++) {
		struct qs_event	*e = run->events.v[i];

		if (!edd_left(&e->ev))
			run->events.v[j++] = e;
	}
	run->events.n = j;
	for (i = j = 0; i < run->signals.n; i++) {
		struct qs_signal	*s = run->signals.v[i];

		if (!edd_left(&s->ev))
			run->signals.v[j++] = s;
	}
	run->signals.n = j;
	return n;
}

/*
 * A file's path on its host, for reports ("/etc/default/etcd"): the
 * bundle path from its first well-known top-level directory, or the
 * bundle path when it has none.
 */
const char *
qs_etcd_host_path(const struct qs_artifact *a)
{
	static const char *const tops[] = { "/etc/", "/var/", "/srv/",
	    "/opt/", "/usr/", "/home/", "/data/", "/run/", NULL };
	const char	*best = NULL, *p;
	size_t		 i;

	for (i = 0; tops[i] != NULL; i++)
		if ((p = strstr(a->member, tops[i])) != NULL &&
		    (best == NULL || p < best))
			best = p;
	return best != NULL ? best : a->member;
}

/*
 * Member `id` is listed by a leftover of `node` (the membership of the
 * cluster it ran before a restore) and not by its live WAL: a restore
 * that keeps the snapshot's members bucket leaves such entries in the
 * new backend.
 */
int
qs_etcd_left_member(const struct qs_run *whole, const struct qs_node *node,
    const char *id)
{
	const struct qs_view	*live;
	size_t			 i, j;

	live = qs_view_latest(whole, node, QS_VIEW_CONSENSUS,
	    "etcd WAL membership");
	for (j = 0; live != NULL && j < live->members.n; j++) {
		const struct qs_member	*m = live->members.v[j];

		if (m->id != NULL && strcmp(m->id, id) == 0)
			return 0;
	}
	for (i = 0; i < whole->views.n; i++) {
		const struct qs_view	*v = whole->views.v[i];

		if (!edd_left(&v->ev) || v->ev.artifact->node != node ||
		    v->kind != QS_VIEW_CONSENSUS ||
		    strstr(v->source, "removed") != NULL)
			continue;
		for (j = 0; j < v->members.n; j++) {
			const struct qs_member	*m = v->members.v[j];

			if (m->id != NULL && strcmp(m->id, id) == 0)
				return 1;
		}
	}
	return 0;
}
