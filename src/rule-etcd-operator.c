/*
 * etcd rules on what operators do to a cluster, read from the members'
 * configuration (etcd.config) against their data and logs:
 *
 *   etcd-force-new-cluster-left  force-new-cluster still set in a running
 *                                member's configuration after a recovery:
 *                                every start rewrites the membership to
 *                                that member alone.
 *   etcd-token-differ            members configured with different
 *                                initial-cluster-token values; a member
 *                                that bootstraps with another token gets
 *                                other member and cluster IDs (the IDs are
 *                                hashes of the peer URLs and the token:
 *                                etcd-io/etcd server/etcdserver/api/membership
 *                                NewClusterFromURLsMap, NewMember).
 *   etcd-peer-url-moved          a member listens and advertises a peer URL
 *                                the membership does not have for it: the
 *                                advertise flags are read only when a
 *                                member is added or bootstrapped, so a
 *                                changed --initial-advertise-peer-urls
 *                                without `etcdctl member update` leaves the
 *                                others dialling the old URL.
 *   etcd-restore-rollback        members restored from a snapshot (`etcdctl
 *                                or etcdutl snapshot restore`): the data dir
 *                                kept beside the live one belongs to
 *                                another cluster with a longer log; the
 *                                writes after the backup are lost, and a
 *                                member not restored stays on the old
 *                                cluster.
 *
 * These run after the rules of rule-etcd.c and rule-etcd-state.c, whose
 * findings they explain (they become consequences).
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "quorumscope.h"

#define OP_NODES_MAX	64

/* The node's last setting `key` from its etcd configuration files. */
static const struct qs_setting *
op_cfg(const struct qs_analysis *an, const struct qs_node *node,
    const char *key)
{
	const struct qs_setting	*found = NULL;
	size_t			 i;

	for (i = 0; i < an->run->settings.n; i++) {
		const struct qs_setting	*s = an->run->settings.v[i];

		if (s->observer == node && s->ev.artifact != NULL &&
		    s->ev.artifact->kind != NULL &&
		    strcmp(s->ev.artifact->kind->name, "etcd.config") == 0 &&
		    strcmp(s->key, key) == 0)
			found = s;
	}
	return found;
}

/* "/etc/default/etcd line 16" */
static const char *
op_where(struct qs_analysis *an, const struct qs_setting *s)
{
	return qs_arena_printf(&an->run->arena, "%s line %" PRIu64,
	    qs_etcd_host_path(s->ev.artifact), s->ev.line);
}

/* "a, b and c" of node names. */
static const char *
op_names(struct qs_analysis *an, struct qs_node *const *v, size_t n)
{
	const char	*out = "";
	size_t		 i;

	for (i = 0; i < n; i++)
		out = qs_arena_printf(&an->run->arena, "%s%s%s", out,
		    i == 0 ? "" : i + 1 == n ? " and " : ", ", v[i]->name);
	return out;
}

/* Makes every finding of rule `id` naming `node` (any, if NULL) a
 * consequence of `cause`. */
static void
op_explains(struct qs_analysis *an, struct qs_finding *cause,
    const char *id, const struct qs_node *node)
{
	size_t	i, j;

	for (i = 0; i < an->findings.n; i++) {
		struct qs_finding	*f = an->findings.v[i];

		if (f == cause || f->cluster != an->cluster ||
		    strcmp(f->rule->id, id) != 0)
			continue;
		if (node == NULL) {
			qs_finding_caused_by(f, cause);
			continue;
		}
		for (j = 0; j < f->nodes.n; j++)
			if (f->nodes.v[j] == node) {
				qs_finding_caused_by(f, cause);
				break;
			}
	}
}

/* The latest membership entry any node holds for member `id`. */
static const struct qs_member *
op_member(struct qs_analysis *an, const char *id, const struct qs_view **vp)
{
	const struct qs_member	*best = NULL;
	const struct qs_view	*bestv = NULL;
	size_t			 i, j;

	for (i = 0; i < an->run->views.n; i++) {
		const struct qs_view	*v = an->run->views.v[i];

		if (v->system != QS_SYS_ETCD || v->kind != QS_VIEW_CONSENSUS ||
		    v->observer == NULL || strstr(v->source, "removed") != NULL)
			continue;
		for (j = 0; j < v->members.n; j++) {
			const struct qs_member	*m = v->members.v[j];

			if (m->id == NULL || m->address == NULL ||
			    strcmp(m->id, id) != 0)
				continue;
			if (bestv == NULL || ((v->clock.set & QS_CLOCK_INDEX) &&
			    (!(bestv->clock.set & QS_CLOCK_INDEX) ||
			    v->clock.index > bestv->clock.index))) {
				best = m;
				bestv = v;
			}
		}
	}
	*vp = bestv;
	return best;
}

/* The member id a node's live data (or its etcdctl status) gives it. */
static const char *
op_member_id(struct qs_analysis *an, const struct qs_node *node)
{
	const char	*id = qs_etcd_setting(an, node, "etcd.member_id");

	return id != NULL ? id : qs_etcd_setting(an, node, "etcd.status.member_id");
}

/* ---- etcd-force-new-cluster-left ---- */

static void
op_fnc_node(struct qs_analysis *an, const struct qs_rule *rule,
    struct qs_node *node, const struct qs_setting *fnc)
{
	struct qs_run		*run = an->run;
	struct qs_finding	*f;
	struct qs_node		*absent[OP_NODES_MAX], *removed[OP_NODES_MAX];
	const struct qs_setting	*last = NULL;
	size_t			 i, nabsent = 0, nremoved = 0, starts = 0;
	const char		*path = qs_etcd_host_path(fnc->ev.artifact);

	for (i = 0; i < run->settings.n; i++) {
		const struct qs_setting	*s = run->settings.v[i];

		if (s->observer == node && strcmp(s->key,
		    "etcd.log.force_new_cluster_start") == 0) {
			starts++;
			last = s;
		}
	}
	for (i = 0; i < run->nodes.n; i++) {
		struct qs_node	*o = run->nodes.v[i];

		if (o == node || !qs_node_has_kind(o, "etcd.config"))
			continue;
		if (!qs_setting_true(op_cfg(an, o, "etcd.config."
		    "force-new-cluster")) && nabsent < OP_NODES_MAX)
			absent[nabsent++] = o;
	}
	for (i = 0; i < run->signals.n; i++) {
		const struct qs_signal	*s = run->signals.v[i];
		size_t			 k;

		if (s->kind != QS_SIG_REMOVED_SELF || s->observer == NULL ||
		    s->observer == node)
			continue;
		for (k = 0; k < nremoved; k++)
			if (removed[k] == s->observer)
				break;
		if (k == nremoved && nremoved < OP_NODES_MAX)
			removed[nremoved++] = s->observer;
	}
	f = qs_finding_new(an, rule, "force-new-cluster left in %s's "
	    "configuration (%s)", node->name, op_where(an, fnc));
	qs_finding_node(f, node);
	qs_finding_evidence(f, &fnc->ev);
	qs_finding_fact(an, f, "%s's %s sets force-new-cluster: etcd applies "
	    "it at every start, rewriting the membership to %s alone.",
	    node->name, op_where(an, fnc), node->name);
	if (nabsent > 0)
		qs_finding_fact(an, f, "The configuration of %s does not set "
		    "it.", op_names(an, absent, nabsent));
	if (starts >= 2 && last != NULL) {
		f->level = QS_LEVEL_ERROR;
		qs_finding_evidence(f, &last->ev);
		qs_finding_fact(an, f, "%s started with force-new-cluster %zu "
		    "times, the last at %s (log line %" PRIu64 "): the flag "
		    "left in place after the recovery was applied again.",
		    node->name, starts, last->value, last->ev.line);
		if (nremoved > 0)
			qs_finding_fact(an, f, "%s %s told that %s been removed "
			    "from the cluster: the forced membership cut %s "
			    "off.", op_names(an, removed, nremoved),
			    nremoved == 1 ? "was" : "were", nremoved == 1 ?
			    "it had" : "they had", nremoved == 1 ? "it" :
			    "them");
	} else if (starts == 1 && last != NULL) {
		qs_finding_evidence(f, &last->ev);
		qs_finding_fact(an, f, "%s started with it once, at %s (log "
		    "line %" PRIu64 "), the recovery; nothing is broken now, "
		    "but its next restart cuts the other members off again.",
		    node->name, last->value, last->ev.line);
	} else
		qs_finding_fact(an, f, "No start with it is in the logs read; "
		    "the next start of %s applies it.", node->name);
	qs_finding_step(an, f, "On %s, delete the setting (%s, line %" PRIu64
	    ")%s; do not restart etcd there before it is gone.", node->name,
	    path, fnc->ev.line, strstr(path, "/systemd/") != NULL ?
	    " and run `systemctl daemon-reload`" : "");
	for (i = 0; i < nremoved; i++) {
		const struct qs_setting	*peer = op_cfg(an, removed[i],
		    "etcd.config.initial-advertise-peer-urls");

		qs_finding_step(an, f, "Add %s back: on %s `etcdctl member add "
		    "%s --peer-urls=%s`, then on %s move its data dir aside and "
		    "start it with --initial-cluster-state existing.",
		    removed[i]->name, node->name, removed[i]->name,
		    peer != NULL ? peer->value : "<its peer URL>",
		    removed[i]->name);
	}
	if (starts >= 2) {
		op_explains(an, f, "etcd-removed-member-present", NULL);
		op_explains(an, f, "etcd-membership-differ", NULL);
	}
}

static void
rule_etcd_fnc_left(struct qs_analysis *an, const struct qs_rule *rule)
{
	size_t	i;

	for (i = 0; i < an->run->nodes.n; i++) {
		struct qs_node		*node = an->run->nodes.v[i];
		const struct qs_setting	*s;

		s = op_cfg(an, node, "etcd.config.force-new-cluster");
		if (qs_setting_true(s))
			op_fnc_node(an, rule, node, s);
	}
}

/* ---- etcd-token-differ ---- */

static void
rule_etcd_token_differ(struct qs_analysis *an, const struct qs_rule *rule)
{
	struct qs_run		*run = an->run;
	const struct qs_setting	*tok[OP_NODES_MAX];
	struct qs_node		*nodes[OP_NODES_MAX], *same[OP_NODES_MAX];
	struct qs_finding	*f;
	const char		*major, *cluster;
	size_t			 n = 0, i, j, best = 0, bestc = 0, nsame, distinct;

	for (i = 0; i < run->nodes.n && n < OP_NODES_MAX; i++) {
		const struct qs_setting	*s = op_cfg(an, run->nodes.v[i],
		    "etcd.config.initial-cluster-token");

		if (s != NULL) {
			nodes[n] = run->nodes.v[i];
			tok[n++] = s;
		}
	}
	/* The value most members carry. */
	for (i = 0; i < n; i++) {
		size_t	c = 0;

		for (j = 0; j < n; j++)
			c += strcmp(tok[i]->value, tok[j]->value) == 0;
		if (c > bestc) {
			bestc = c;
			best = i;
		}
	}
	if (n < 2 || bestc == n)
		return;
	major = tok[best]->value;
	cluster = qs_etcd_majority_cluster(an, &distinct);
	for (nsame = 0, j = 0; j < n; j++)
		if (strcmp(tok[j]->value, major) == 0)
			same[nsame++] = nodes[j];
	for (i = 0; i < n; i++) {
		const struct qs_setting	*state;
		const char		*cid, *mid = NULL, *peer = NULL;
		struct qs_node		*good = NULL;

		if (strcmp(tok[i]->value, major) == 0)
			continue;
		cid = qs_etcd_setting(an, nodes[i], "etcd.cluster_id");
		f = qs_finding_new(an, rule, "%s is configured with "
		    "initial-cluster-token %s, the others with %s",
		    nodes[i]->name, tok[i]->value, major);
		qs_finding_node(f, nodes[i]);
		qs_finding_evidence(f, &tok[i]->ev);
		qs_finding_evidence(f, &tok[best]->ev);
		qs_finding_fact(an, f, "initial-cluster-token %s in %s's %s, "
		    "against %s in the configuration of %s (%s's %s).",
		    tok[i]->value, nodes[i]->name, op_where(an, tok[i]), major,
		    op_names(an, same, nsame), nodes[best]->name,
		    op_where(an, tok[best]));
		state = op_cfg(an, nodes[i], "etcd.config.initial-cluster-state");
		if (state != NULL && strcmp(state->value, "new") == 0)
			qs_finding_fact(an, f, "%s's %s says initial-cluster-"
			    "state new: started on an empty data dir, it "
			    "bootstraps a cluster from its configuration "
			    "instead of joining one.", nodes[i]->name,
			    op_where(an, state));
		for (j = 0; j < run->signals.n; j++) {
			const struct qs_signal	*s = run->signals.v[j];

			if (s->kind == QS_SIG_BOOTSTRAP_CONFLICT &&
			    s->observer == nodes[i]) {
				qs_finding_evidence(f, &s->ev);
				qs_finding_fact(an, f, "Its data dir was wiped: "
				    "before, it refused to start because its "
				    "member \"has already been bootstrapped\" "
				    "(log line %" PRIu64 ").", s->ev.line);
				break;
			}
		}
		if (cid == NULL || cluster == NULL || strcmp(cid, cluster) ==
		    0) {
			qs_finding_fact(an, f, "Its data still belongs to the "
			    "cluster%s%s: the token is read only when a member "
			    "bootstraps, so nothing is wrong yet, but a rebuild "
			    "of %s with an empty data dir would form a cluster "
			    "of its own.", cid != NULL ? " " : "",
			    cid != NULL ? cid : "", nodes[i]->name);
			qs_finding_step(an, f, "On %s, set initial-cluster-"
			    "token back to %s (%s).", nodes[i]->name, major,
			    op_where(an, tok[i]));
			continue;
		}
		f->level = QS_LEVEL_ERROR;
		qs_finding_fact(an, f, "Member and cluster IDs are hashes of "
		    "the peer URLs and the token: with its own token %s "
		    "bootstrapped cluster %s instead of joining %s.",
		    nodes[i]->name, cid, cluster);
		for (j = 0; j < nsame; j++)
			if ((major = qs_etcd_setting(an, same[j],
			    "etcd.cluster_id")) != NULL &&
			    strcmp(major, cluster) == 0) {
				good = same[j];
				break;
			}
		major = tok[best]->value;
		if (good != NULL) {
			const struct qs_view	*v = qs_view_latest(run, good,
			    QS_VIEW_CONSENSUS, "etcd WAL membership");

			for (j = 0; v != NULL && j < v->members.n; j++) {
				const struct qs_member	*m = v->members.v[j];

				if (m->name != NULL && strcmp(m->name,
				    nodes[i]->name) == 0) {
					mid = m->id;
					peer = m->address;
				}
			}
		}
		if (mid != NULL)
			qs_finding_fact(an, f, "Cluster %s still counts %s's "
			    "old member %s as a voter, one that never answers.",
			    cluster, nodes[i]->name, mid);
		qs_finding_step(an, f, "On %s, set initial-cluster-token back "
		    "to %s (%s) and initial-cluster-state to existing.",
		    nodes[i]->name, major, op_where(an, tok[i]));
		if (mid != NULL && good != NULL)
			qs_finding_step(an, f, "On %s, `etcdctl member remove "
			    "%s`, then `etcdctl member add %s --peer-urls=%s`.",
			    good->name, mid, nodes[i]->name, peer != NULL ?
			    peer : "<its peer URL>");
		qs_finding_step(an, f, "On %s, stop etcd, move its data dir "
		    "(cluster %s) aside and start it again: it joins %s.",
		    nodes[i]->name, cid, cluster);
		op_explains(an, f, "etcd-cluster-id-mismatch", NULL);
		op_explains(an, f, "etcd-quorum-loss", nodes[i]);
		op_explains(an, f, "etcd-bootstrap-conflict", nodes[i]);
	}
}

/* ---- etcd-peer-url-moved ---- */

/* `url` is one of the comma-separated `list`, a trailing "/" aside. */
static int
op_url_in(const char *url, const char *list)
{
	size_t		 n = strlen(url), k;
	const char	*p = list, *e;

	while (n > 0 && url[n - 1] == '/')
		n--;
	while (*p != '\0') {
		e = strchr(p, ',');
		k = e != NULL ? (size_t)(e - p) : strlen(p);
		while (k > 0 && p[k - 1] == '/')
			k--;
		if (k == n && strncmp(p, url, n) == 0)
			return 1;
		if (e == NULL)
			break;
		p = e + 1;
	}
	return 0;
}

static void
rule_etcd_peer_url_moved(struct qs_analysis *an, const struct qs_rule *rule)
{
	struct qs_run	*run = an->run;
	size_t		 i, j;

	for (i = 0; i < run->nodes.n; i++) {
		struct qs_node		*node = run->nodes.v[i];
		struct qs_node		*dialers[OP_NODES_MAX];
		const struct qs_setting	*adv, *ic;
		const struct qs_member	*m;
		const struct qs_view	*v;
		const struct qs_setting	*first = NULL;
		struct qs_finding	*f;
		const char		*id, *old, *hostport;
		size_t			 ndial = 0;
		uint64_t		 nlines = 0;

		adv = op_cfg(an, node, "etcd.config.initial-advertise-peer-urls");
		if (adv == NULL || (id = op_member_id(an, node)) == NULL ||
		    (m = op_member(an, id, &v)) == NULL ||
		    op_url_in(m->address, adv->value))
			continue;
		old = m->address;
		hostport = strstr(old, "://") != NULL ? strstr(old, "://") + 3 :
		    old;
		for (j = 0; j < run->settings.n; j++) {
			const struct qs_setting	*s = run->settings.v[j];
			size_t			 k, hn = strlen(hostport);
			uint64_t		 c;

			while (hn > 0 && hostport[hn - 1] == '/')
				hn--;
			if (s->observer == NULL || s->observer == node ||
			    strcmp(s->key, "etcd.log.dial_failed") != 0 ||
			    strncmp(s->value, hostport, hn) != 0 ||
			    s->value[hn] != ' ' || qs_parse_dec_u64(s->value +
			    hn + 1, strlen(s->value + hn + 1), &c) != 0)
				continue;
			if (first == NULL)
				first = s;
			nlines += c;
			for (k = 0; k < ndial; k++)
				if (dialers[k] == s->observer)
					break;
			if (k == ndial && ndial < OP_NODES_MAX)
				dialers[ndial++] = s->observer;
		}
		f = qs_finding_new(an, rule, "etcd member %s (%s) advertises "
		    "%s, the membership still has %s", id, node->name,
		    adv->value, old);
		qs_finding_node(f, node);
		qs_finding_evidence(f, &adv->ev);
		qs_finding_evidence(f, &v->ev);
		qs_finding_fact(an, f, "%s's %s advertises peer URL %s.",
		    node->name, op_where(an, adv), adv->value);
		qs_finding_fact(an, f, "The membership lists member %s with "
		    "peer URL %s (%s's %s%s): the advertise flags are read "
		    "only when a member is added or bootstrapped, and no "
		    "`etcdctl member update` followed the change.", id, old,
		    v->observer->name, v->source,
		    (v->clock.set & QS_CLOCK_INDEX) ? qs_arena_printf(
		    &run->arena, ", index %" PRIu64, v->clock.index) : "");
		ic = op_cfg(an, node, "etcd.config.initial-cluster");
		if (ic != NULL && strstr(ic->value, adv->value) != NULL)
			qs_finding_fact(an, f, "Its initial-cluster (%s) "
			    "names the new URL too; the running cluster does "
			    "not read it.", op_where(an, ic));
		if (first != NULL) {
			qs_finding_evidence(f, &first->ev);
			qs_finding_fact(an, f, "%s cannot open connections to "
			    "it: %" PRIu64 " log line%s show dials to %s failing "
			    "(first: %s's log line %" PRIu64 "); messages flow only over the connections "
			    "%s opens, and a restarted or new member will not "
			    "reach it.", op_names(an, dialers, ndial), nlines,
			    nlines == 1 ? "" : "s", hostport,
			    first->observer->name, first->ev.line, node->name);
		}
		qs_finding_step(an, f, "On any member: `etcdctl member update "
		    "%s --peer-urls=%s`.", id, adv->value);
	}
}

/* ---- etcd-restore-rollback ---- */

/* A leftover's setting `key` of `node`, from artifact `a` if set. */
static const struct qs_setting *
op_left(const struct qs_analysis *an, const struct qs_node *node,
    const struct qs_artifact *a, const char *kind, const char *key)
{
	const struct qs_setting	*found = NULL;
	size_t			 i;

	for (i = 0; i < an->whole->settings.n; i++) {
		const struct qs_setting	*s = an->whole->settings.v[i];
		const struct qs_artifact *sa = s->ev.artifact;

		if (sa == NULL || !sa->leftover || sa->node != node ||
		    (a != NULL && sa != a) || (kind != NULL &&
		    strcmp(sa->kind->name, kind) != 0) ||
		    strcmp(s->key, key) != 0)
			continue;
		found = s;
	}
	return found;
}

static uint64_t
op_u64(const struct qs_setting *s)
{
	uint64_t	n;

	if (s == NULL || qs_parse_dec_u64(s->value, strlen(s->value), &n) != 0)
		return 0;
	return n;
}

/* A snapshot file, not a member dir: no "member" path component. */
static int
op_backup_file(const struct qs_artifact *a)
{
	return a->leftover && strcmp(a->kind->name, "etcd.db") == 0 &&
	    strstr(a->member, "/member/") == NULL &&
	    strstr(a->member, "/member.") == NULL;
}

/* The member dir an artifact sits in, as on its host. */
static const char *
op_member_dir(struct qs_analysis *an, const struct qs_artifact *a)
{
	const char	*p = qs_etcd_host_path(a), *e;

	if ((e = strstr(p, "/wal/")) == NULL && (e = strstr(p, "/snap/")) ==
	    NULL)
		return p;
	/* The data dir when the member dir is its "member". */
	if (e - p > 7 && strncmp(e - 7, "/member", 7) == 0)
		e -= 7;
	return qs_arena_printf(&an->run->arena, "%.*s", (int)(e - p), p);
}

struct op_restored {
	struct qs_node		*node;
	const struct qs_setting	*old_cid;	/* leftover WAL's */
	const char		*new_cid;
	uint64_t		 old_index, new_index;
	const struct qs_setting	*old_rev;	/* leftover backend's */
};

/* Does `rev key` appear among the node's live backend writes? */
static int
op_live_write(const struct qs_analysis *an, const struct qs_node *node,
    const char *w)
{
	size_t	i;

	for (i = 0; i < an->run->settings.n; i++) {
		const struct qs_setting	*s = an->run->settings.v[i];

		if (s->observer == node && strcmp(s->key, "etcd.db.write") ==
		    0 && strcmp(s->value, w) == 0)
			return 1;
	}
	return 0;
}

static void
rule_etcd_restore_rollback(struct qs_analysis *an, const struct qs_rule *rule)
{
	struct qs_run		*run = an->run;
	struct op_restored	 r[OP_NODES_MAX];
	struct qs_node		*stay[OP_NODES_MAX], *rnodes[OP_NODES_MAX];
	const struct qs_artifact *backup = NULL;
	const struct qs_setting	*sent = NULL, *brev = NULL;
	struct qs_finding	*f;
	const char		*lost = "", *dirs = "";
	size_t			 nr = 0, nstay = 0, i, j, nlost = 0, nwrites;
	uint64_t		 oldmax = 0, revmax = 0, b = 0;

	for (i = 0; i < run->nodes.n && nr < OP_NODES_MAX; i++) {
		struct qs_node		*node = run->nodes.v[i];
		const struct qs_setting	*old, *live;

		live = qs_setting_get(run, node, QS_SYS_ETCD, "etcd.cluster_id");
		old = op_left(an, node, NULL, "etcd.wal", "etcd.cluster_id");
		if (live == NULL || old == NULL || strcmp(live->value,
		    old->value) == 0)
			continue;
		memset(&r[nr], 0, sizeof(r[nr]));
		r[nr].node = node;
		r[nr].old_cid = old;
		r[nr].new_cid = live->value;
		r[nr].old_index = op_u64(op_left(an, node, old->ev.artifact,
		    NULL, "etcd.wal.last_index"));
		r[nr].new_index = op_u64(qs_setting_get(run, node, QS_SYS_ETCD,
		    "etcd.wal.last_index"));
		r[nr].old_rev = op_left(an, node, NULL, NULL,
		    "etcd.db.revision");
		for (j = 0; j < node->artifacts.n; j++) {
			const struct qs_artifact *a = node->artifacts.v[j];

			if (a->kind != NULL && op_backup_file(a) &&
			    backup == NULL)
				backup = a;
		}
		rnodes[nr] = node;
		nr++;
	}
	if (nr == 0)
		return;
	/* Members that still run the cluster the others left. */
	for (i = 0; i < run->nodes.n && nstay < OP_NODES_MAX; i++) {
		struct qs_node	*node = run->nodes.v[i];
		const char	*cid = qs_etcd_setting(an, node, "etcd.cluster_id");

		for (j = 0; cid != NULL && j < nr; j++)
			if (strcmp(cid, r[j].old_cid->value) == 0) {
				stay[nstay++] = node;
				break;
			}
	}
	for (i = 0; i < nr; i++) {
		if (r[i].old_index > oldmax)
			oldmax = r[i].old_index;
		if (op_u64(r[i].old_rev) > revmax)
			revmax = op_u64(r[i].old_rev);
	}
	if (backup != NULL) {
		brev = op_left(an, backup->node, backup, NULL,
		    "etcd.db.revision");
		b = op_u64(brev);
	}
	for (i = 0; i < run->settings.n; i++) {
		const struct qs_setting	*s = run->settings.v[i];

		if (strcmp(s->key, "etcd.log.snapshot_sent") == 0 &&
		    (sent == NULL || strcmp(s->value, sent->value) > 0))
			sent = s;
	}
	f = qs_finding_new(an, rule, "%s restored from a snapshot: cluster "
	    "%s became %s, writes after the backup lost",
	    op_names(an, rnodes, nr), r[0].old_cid->value, r[0].new_cid);
	f->level = nstay > 0 ? QS_LEVEL_ERROR : QS_LEVEL_WARNING;
	for (i = 0; i < nr; i++) {
		qs_finding_node(f, r[i].node);
		qs_finding_evidence(f, &r[i].old_cid->ev);
		qs_finding_fact(an, f, "%s's live data dir belongs to cluster "
		    "%s, its raft log restarting low (last index %" PRIu64
		    "); the data kept beside it, %s, belongs to cluster "
		    "%s and reached index %" PRIu64 "%s%s: a snapshot restore "
		    "replaced the data.", r[i].node->name, r[i].new_cid,
		    r[i].new_index, op_member_dir(an, r[i].old_cid->ev.artifact),
		    r[i].old_cid->value, r[i].old_index, r[i].old_rev != NULL ?
		    ", revision " : "", r[i].old_rev != NULL ?
		    r[i].old_rev->value : "");
		dirs = qs_arena_printf(&run->arena, "%s%s%s's %s", dirs,
		    *dirs != '\0' ? (i + 1 == nr ? " and " : ", ") : "",
		    r[i].node->name, op_member_dir(an,
		    r[i].old_cid->ev.artifact));
	}
	if (backup != NULL) {
		qs_finding_evidence(f, &brev->ev);
		qs_finding_fact(an, f, "The snapshot file %s on %s is at "
		    "revision %s.", qs_etcd_host_path(backup),
		    backup->node->name, brev != NULL ? brev->value : "?");
	}
	if (sent != NULL && strcmp(sent->value, "-") != 0) {
		qs_finding_evidence(f, &sent->ev);
		qs_finding_fact(an, f, "The backup was taken at %s: %s logged "
		    "sending a database snapshot to a client (log line %"
		    PRIu64 ").", sent->value, sent->observer->name,
		    sent->ev.line);
	}
	/* The writes the old backend has and the new one lost. */
	nwrites = 0;
	for (i = 0; i < nr; i++) {
		const struct qs_setting	*rev = r[i].old_rev;

		if (rev == NULL || op_u64(rev) != revmax)
			continue;
		for (j = 0; j < an->whole->settings.n; j++) {
			const struct qs_setting	*s = an->whole->settings.v[j];
			uint64_t		 wr;
			const char		*sp;

			if (s->ev.artifact != rev->ev.artifact ||
			    strcmp(s->key, "etcd.db.write") != 0 ||
			    (sp = strchr(s->value, ' ')) == NULL ||
			    qs_parse_dec_u64(s->value, (size_t)(sp - s->value),
			    &wr) != 0)
				continue;
			if ((b > 0 && wr <= b) || (b == 0 &&
			    op_live_write(an, r[i].node, s->value)))
				continue;
			nwrites++;
			if (nlost++ < 20)
				lost = qs_arena_printf(&run->arena, "%s%s%s@%"
				    PRIu64, lost, *lost != '\0' ? ", " : "",
				    sp + 1, wr);
		}
		break;
	}
	if (b > 0 && revmax > b)
		qs_finding_fact(an, f, "Writes lost: revisions %" PRIu64 " to %"
		    PRIu64 " (%" PRIu64 " write%s after the backup; raft "
		    "index up to %" PRIu64 " before the restore)%s%s%s.", b + 1,
		    revmax, revmax - b, revmax - b == 1 ? "" : "s", oldmax,
		    nwrites > 0 ? ", key@revision: " : "", lost,
		    nlost > 20 ? ", ..." : "");
	else if (nwrites > 0)
		qs_finding_fact(an, f, "Writes lost (in the old backend, not "
		    "in the restored one), key@revision: %s%s.", lost,
		    nlost > 20 ? ", ..." : "");
	qs_finding_fact(an, f, "%s %s leftover%s of the old cluster, not "
	    "live members.", dirs, nr == 1 ? "is a" : "are", nr == 1 ? "" :
	    "s");
	if (nstay > 0) {
		qs_finding_fact(an, f, "%s %s not restored and still run%s the "
		    "old cluster %s, with the writes the others lost: two "
		    "clusters at the same peer URLs, each refusing the other's "
		    "messages.", op_names(an, stay, nstay), nstay == 1 ? "was" :
		    "were", nstay == 1 ? "s" : "", r[0].old_cid->value);
		for (i = 0; i < nstay; i++) {
			qs_finding_node(f, stay[i]);
			qs_finding_step(an, f, "Bring %s into cluster %s: "
			    "restore it from the same snapshot with the same "
			    "--initial-cluster and --initial-cluster-token as "
			    "the others (its member ID is then the one the "
			    "new cluster waits for), or on %s `etcdctl member "
			    "remove` its entry and `etcdctl member add` it, "
			    "move its data dir aside and start it with "
			    "--initial-cluster-state existing.", stay[i]->name,
			    r[0].new_cid, rnodes[0]->name);
		}
	} else
		qs_finding_fact(an, f, "No member still runs the old cluster.");
	if (nwrites > 0 || (b > 0 && revmax > b))
		qs_finding_step(an, f, "The lost writes are still in %s%s: "
		    "re-apply those still wanted with `etcdctl put` before "
		    "removing the old data.", dirs, nstay > 0 ? " and on the "
		    "members not restored" : "");
	qs_finding_step(an, f, "Keep %s until then; they are not read by "
	    "etcd.", dirs);
	op_explains(an, f, "etcd-cluster-id-mismatch", NULL);
	for (i = 0; i < nstay; i++)
		op_explains(an, f, "etcd-quorum-loss", stay[i]);
	for (i = 0; i < nr; i++)
		op_explains(an, f, "etcd-store-differ", r[i].node);
}

const struct qs_rule qs_rule_etcd_fnc_left = {
	.id = "etcd-force-new-cluster-left",
	.kind = "inconsistent-config",
	.level = QS_LEVEL_WARNING,
	.system = QS_SYS_ETCD,
	.title = "force-new-cluster left in an etcd member's configuration",
	.explanation = "--force-new-cluster rewrites the membership to the "
	    "member alone at every start; left in the configuration after a "
	    "recovery, the next routine restart cuts the other members off "
	    "again.",
	.remediation = "Delete the setting before the member restarts; add "
	    "back members a forced start removed.",
	.check = rule_etcd_fnc_left,
};

const struct qs_rule qs_rule_etcd_token_differ = {
	.id = "etcd-token-differ",
	.kind = "inconsistent-config",
	.level = QS_LEVEL_WARNING,
	.system = QS_SYS_ETCD,
	.title = "etcd members are configured with different "
	    "initial-cluster-token values",
	.explanation = "Member and cluster IDs are hashes of the peer URLs "
	    "and the token: a member that bootstraps with another token "
	    "forms a cluster of its own and never joins.",
	.remediation = "Give every member the cluster's token; re-add a "
	    "member that bootstrapped apart with an empty data dir and "
	    "initial-cluster-state existing.",
	.check = rule_etcd_token_differ,
};

const struct qs_rule qs_rule_etcd_peer_url_moved = {
	.id = "etcd-peer-url-moved",
	.kind = "stale-peer",
	.level = QS_LEVEL_WARNING,
	.system = QS_SYS_ETCD,
	.title = "an etcd member listens at a peer URL the membership does "
	    "not have",
	.explanation = "The membership keeps the peer URL a member was added "
	    "with; restarted with another --initial-advertise-peer-urls and "
	    "no `etcdctl member update`, the others dial the old URL for "
	    "ever.",
	.remediation = "etcdctl member update <id> --peer-urls=<new URL>.",
	.check = rule_etcd_peer_url_moved,
};

const struct qs_rule qs_rule_etcd_restore_rollback = {
	.id = "etcd-restore-rollback",
	.kind = "restore-rollback",
	.level = QS_LEVEL_WARNING,
	.system = QS_SYS_ETCD,
	.title = "etcd members were restored from a snapshot",
	.explanation = "A snapshot restore builds a new cluster from the "
	    "backup: everything written after the backup is gone, and a "
	    "member that was not restored stays in the old cluster, refusing "
	    "and refused by the new one.",
	.remediation = "Re-apply the writes still wanted from the old data; "
	    "restore or re-add the members left on the old cluster.",
	.check = rule_etcd_restore_rollback,
};
