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

static const char *
op_setting(struct qs_analysis *an, const struct qs_node *node,
    const char *key)
{
	const struct qs_setting	*s;

	s = qs_setting_get(an->run, node, QS_SYS_ETCD, key);
	return s != NULL ? s->value : NULL;
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
	const char	*id = op_setting(an, node, "etcd.member_id");

	return id != NULL ? id : op_setting(an, node, "etcd.status.member_id");
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
		cid = op_setting(an, nodes[i], "etcd.cluster_id");
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
			if ((major = op_setting(an, same[j],
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
