/*
 * etcd rules, read from the members' WALs, backends, snapshots, etcdctl
 * output and logs (seed 000: a wiped member re-bootstrapped into a cluster
 * of its own; seed 002: wipe and restore; formats.md 5.7, 5.8, 9):
 *
 *   etcd-cluster-id-mismatch     members' WALs carry different cluster IDs,
 *                                or their logs reject each other's requests.
 *   etcd-removed-member-present  a member removed from the cluster still
 *                                has its data here and ran afterwards.
 *   etcd-unstarted-member        a voter in the membership that no member
 *                                in the bundle is (added, never started).
 *   etcd-quorum-loss             a member campaigns at rising terms, or
 *                                pre-campaigns again and again at one term
 *                                (--pre-vote), and no leader follows.
 *   etcd-membership-differ       members of one cluster hold different
 *                                memberships.
 * Repairs are given in etcdctl terms; the survivor for --force-new-cluster
 * is the member with the highest of its HardState commit and its backend's
 * consistent index (the most of the log it has applied).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "quorumscope.h"

#define ETCD_WAL_VIEW		"etcd WAL membership"
#define ETCD_PREVOTE_ROUNDS	3	/* unanswered pre-vote rounds: lost */

static const char *
etcd_setting(struct qs_analysis *an, const struct qs_node *node,
    const char *key)
{
	const struct qs_setting	*s;

	s = qs_setting_get(an->run, node, QS_SYS_ETCD, key);
	return s != NULL ? s->value : NULL;
}

static uint64_t
etcd_setting_u64(struct qs_analysis *an, const struct qs_node *node,
    const char *key)
{
	const char	*v = etcd_setting(an, node, key);
	uint64_t	 n;

	if (v == NULL || qs_parse_dec_u64(v, strlen(v), &n) != 0)
		return 0;
	return n;
}

/*
 * The bundle path of the data dir: a WAL's or backend's path up to
 * "/member/"; NULL when the node has neither.
 */
const char *
qs_etcd_data_dir(struct qs_analysis *an, const struct qs_node *node)
{
	const char	*p;
	size_t		 i;

	for (i = 0; i < node->artifacts.n; i++) {
		const struct qs_artifact	*a = node->artifacts.v[i];

		if (a->kind == NULL ||
		    (strcmp(a->kind->name, "etcd.wal") != 0 &&
		    strcmp(a->kind->name, "etcd.db") != 0))
			continue;
		if ((p = strstr(a->member, "/member/")) != NULL)
			return qs_arena_printf(&an->run->arena, "%.*s",
			    (int)(p - a->member), a->member);
	}
	return NULL;
}

/* The node whose own WAL says it is member `id`. */
static struct qs_node *
etcd_node_of(struct qs_analysis *an, const char *id)
{
	size_t	i;

	for (i = 0; i < an->run->nodes.n; i++) {
		struct qs_node	*node = an->run->nodes.v[i];
		const char	*mine;

		mine = etcd_setting(an, node, "etcd.member_id");

		if (mine != NULL && strcmp(mine, id) == 0)
			return node;
	}
	return NULL;
}

static const struct qs_view *
etcd_membership(struct qs_analysis *an, const struct qs_node *node)
{
	return qs_view_latest(an->run, node, QS_VIEW_CONSENSUS,
	    ETCD_WAL_VIEW);
}

static const struct qs_member *
etcd_view_find(const struct qs_view *v, const char *name, const char *id)
{
	size_t	i;

	if (v == NULL)
		return NULL;
	for (i = 0; i < v->members.n; i++) {
		const struct qs_member	*m = v->members.v[i];

		if ((id != NULL && m->id != NULL && strcmp(m->id, id) == 0) ||
		    (name != NULL && m->name != NULL &&
		    strcmp(m->name, name) == 0))
			return m;
	}
	return NULL;
}

/*
 * The best survivor for --force-new-cluster: the highest of each node's
 * HardState commit and backend consistent index.  NULL without either.
 */
struct qs_node *
qs_etcd_survivor(struct qs_analysis *an, const char *cluster,
    const struct qs_node *prefer, uint64_t *best_out)
{
	struct qs_node	*best = NULL;
	uint64_t	 bestv = 0, v, w;
	size_t		 i;

	for (i = 0; i < an->run->nodes.n; i++) {
		struct qs_node	*node = an->run->nodes.v[i];
		const char	*cid;

		cid = etcd_setting(an, node, "etcd.cluster_id");
		if (cluster != NULL && cid != NULL && strcmp(cid, cluster) != 0)
			continue;
		if (etcd_setting(an, node, "etcd.hardstate.commit") == NULL &&
		    etcd_setting(an, node, "etcd.db.consistent_index") == NULL)
			continue;
		v = etcd_setting_u64(an, node, "etcd.hardstate.commit");
		w = etcd_setting_u64(an, node, "etcd.db.consistent_index");
		if (w > v)
			v = w;
		/* Equal logs: the member that is still running, if named. */
		if (best == NULL || v > bestv || (v == bestv &&
		    node == prefer)) {
			best = node;
			bestv = v;
		}
	}
	*best_out = bestv;
	return best;
}

/* The cluster ID most nodes carry (ties: the first seen). */
const char *
qs_etcd_majority_cluster(struct qs_analysis *an, size_t *distinct)
{
	const char	*ids[64];
	size_t		 counts[64], n = 0, i, j, best = 0;

	for (i = 0; i < an->run->nodes.n; i++) {
		const char	*c = etcd_setting(an, an->run->nodes.v[i],
		    "etcd.cluster_id");

		if (c == NULL)
			continue;
		for (j = 0; j < n; j++)
			if (strcmp(ids[j], c) == 0)
				break;
		if (j == n) {
			if (n == 64)
				continue;
			ids[n] = c;
			counts[n++] = 0;
		}
		counts[j]++;
	}
	*distinct = n;
	if (n == 0)
		return NULL;
	for (j = 1; j < n; j++)
		if (counts[j] > counts[best])
			best = j;
	return ids[best];
}

static void
rule_etcd_cluster_id_mismatch(struct qs_analysis *an,
    const struct qs_rule *rule)
{
	struct qs_run		*run = an->run;
	struct qs_finding	*f = NULL;
	const struct qs_signal	*sig = NULL;
	const struct qs_setting	*s;
	const struct qs_node	*good = NULL;
	const char		*major, *cid, *dir, *mid, *name, *peer;
	const struct qs_member	*m;
	uint64_t		 lines = 0;
	size_t			 distinct, i, nsig = 0;

	for (i = 0; i < run->signals.n; i++) {
		const struct qs_signal	*x = run->signals.v[i];

		if (x->kind == QS_SIG_CLUSTER_ID_MISMATCH) {
			if (sig == NULL)
				sig = x;
			nsig++;
		}
	}
	major = qs_etcd_majority_cluster(an, &distinct);
	if (distinct < 2 && sig == NULL)
		return;
	f = qs_finding_new(an, rule, distinct >= 2 ? "etcd members carry %zu "
	    "different cluster IDs" : "etcd members reject each other's "
	    "cluster ID", distinct);
	for (i = 0; i < run->nodes.n; i++) {
		const struct qs_node	*node = run->nodes.v[i];

		lines += etcd_setting_u64(an, node,
		    "etcd.log.cluster_id_mismatch_lines");
		if ((cid = etcd_setting(an, node, "etcd.cluster_id")) == NULL)
			continue;
		s = qs_setting_get(run, node, QS_SYS_ETCD, "etcd.cluster_id");
		qs_finding_evidence(f, &s->ev);
		qs_finding_fact(an, f, "%s's WAL belongs to cluster %s.",
		    node->name, cid);
		if (major != NULL && strcmp(cid, major) == 0 && good == NULL)
			good = node;
	}
	if (sig != NULL) {
		qs_finding_evidence(f, &sig->ev);
		qs_finding_fact(an, f, "%llu log line%s say \"cluster ID "
		    "mismatch\", first on %s: the members refuse each other's "
		    "raft messages.", (unsigned long long)(lines > nsig ?
		    lines : nsig), (lines > nsig ? lines : nsig) == 1 ? "" :
		    "s", sig->observer != NULL ? sig->observer->name : "?");
	}
	for (i = 0; i < run->signals.n; i++) {
		const struct qs_signal	*x = run->signals.v[i];

		if (x->kind != QS_SIG_BOOTSTRAP_CONFLICT || x->observer == NULL)
			continue;
		qs_finding_evidence(f, &x->ev);
		qs_finding_fact(an, f, "%s refused to start on its old data: "
		    "\"has already been bootstrapped\" (log line %llu), the "
		    "usual first failure before a member's data dir is wiped "
		    "and it bootstraps anew.", x->observer->name,
		    (unsigned long long)x->ev.line);
		break;
	}
	if (distinct < 2 || major == NULL) {
		qs_finding_step(an, f, "Compare `etcdctl endpoint status -w "
		    "json` (cluster_id) on every member; the member whose ID "
		    "differs was bootstrapped anew and must be re-added.");
		return;
	}
	qs_finding_fact(an, f, "Cluster %s is the one most members carry; "
	    "the others were bootstrapped on their own (a wiped data dir "
	    "started with --initial-cluster-state new).", major);
	for (i = 0; i < run->nodes.n; i++) {
		struct qs_node	*node = run->nodes.v[i];

		if ((cid = etcd_setting(an, node, "etcd.cluster_id")) == NULL ||
		    strcmp(cid, major) == 0)
			continue;
		qs_finding_node(f, node);
		dir = qs_etcd_data_dir(an, node);
		mid = NULL;
		name = node->name;
		peer = NULL;
		if (good != NULL && (m = etcd_view_find(etcd_membership(an,
		    good), node->name, NULL)) != NULL) {
			mid = m->id;
			peer = m->address;
			if (m->name != NULL)
				name = m->name;
		}
		qs_finding_step(an, f, "On %s, stop etcd and move its data dir "
		    "aside: `mv /var/lib/etcd /var/lib/etcd.cluster-%s` (%s in "
		    "the bundle).", node->name, cid, dir != NULL ? dir : "?");
		if (mid != NULL)
			qs_finding_step(an, f, "On %s, remove the old member: "
			    "`etcdctl member remove %s`, then re-add it: "
			    "`etcdctl member add %s --peer-urls=%s`.",
			    good->name, mid, name, peer != NULL ? peer :
			    "<its peer URL>");
		else
			qs_finding_step(an, f, "On %s, `etcdctl member list`; "
			    "remove %s's old entry with `etcdctl member remove "
			    "<id>` and re-add it with `etcdctl member add %s "
			    "--peer-urls=<peer URL>`.", good != NULL ?
			    good->name : "a member of cluster", node->name,
			    name);
		qs_finding_step(an, f, "Start %s with "
		    "--initial-cluster-state existing and the original "
		    "--initial-cluster-token (ETCD_INITIAL_CLUSTER_STATE and "
		    "ETCD_INITIAL_CLUSTER_TOKEN in /etc/default/etcd), and "
		    "--initial-cluster as `etcdctl member add` printed it.",
		    node->name);
	}
}

/* Views listing removed members: the backend's and the v2 store's. */
static int
etcd_removed_view(const struct qs_view *v)
{
	return v->system == QS_SYS_ETCD && v->source != NULL &&
	    strstr(v->source, "removed members") != NULL;
}

static void
rule_etcd_removed_member_present(struct qs_analysis *an,
    const struct qs_rule *rule)
{
	struct qs_run		*run = an->run;
	struct qs_finding	*f = NULL;
	struct qs_node		*done[64];
	size_t			 ndone = 0, i, j, k;

	for (i = 0; i < run->views.n; i++) {
		const struct qs_view	*v = run->views.v[i];

		if (!etcd_removed_view(v))
			continue;
		for (j = 0; j < v->members.n; j++) {
			const struct qs_member	*m = v->members.v[j];
			struct qs_node		*node;
			const struct qs_signal	*self = NULL;
			const struct qs_event	*start = NULL, *rm = NULL;
			const char		*dir;

			if (m->id == NULL ||
			    (node = etcd_node_of(an, m->id)) == NULL)
				continue;
			for (k = 0; k < ndone; k++)
				if (done[k] == node)
					break;
			if (k < ndone || ndone == 64)
				continue;
			done[ndone++] = node;
			for (k = 0; k < run->signals.n; k++) {
				const struct qs_signal	*s = run->signals.v[k];

				if (s->kind == QS_SIG_REMOVED_SELF &&
				    s->system == QS_SYS_ETCD &&
				    s->observer == node && self == NULL)
					self = s;
			}
			for (k = 0; k < run->events.n; k++) {
				const struct qs_event	*e = run->events.v[k];

				if (e->kind == QS_EV_MEMBER_REMOVE &&
				    e->subject != NULL && e->time.set &&
				    strcmp(e->subject, m->id) == 0 &&
				    (rm == NULL || e->time.ms < rm->time.ms))
					rm = e;
			}
			for (k = 0; rm != NULL && k < run->events.n; k++) {
				const struct qs_event	*e = run->events.v[k];

				if (e->kind == QS_EV_START &&
				    e->observer == node && e->time.set &&
				    e->time.ms > rm->time.ms && start == NULL)
					start = e;
			}
			/* Stale files alone are etcd-membership-differ's. */
			if (start == NULL && self == NULL)
				continue;
			if (f == NULL)
				f = qs_finding_new(an, rule, "removed etcd "
				    "member %s (%s) ran again on its old data",
				    m->id, node->name);
			else
				f->title = qs_arena_printf(&run->arena,
				    "%s; also %s (%s)", f->title, m->id,
				    node->name);
			qs_finding_node(f, node);
			qs_finding_evidence(f, &v->ev);
			qs_finding_fact(an, f, "%s's %s lists member %s as "
			    "removed; %s's own WAL says it is %s.",
			    v->observer != NULL ? v->observer->name : "?",
			    v->source, m->id, node->name, m->id);
			if (rm != NULL) {
				qs_finding_evidence(f, &rm->ev);
				qs_finding_fact(an, f, "%s logged the removal.",
				    rm->observer != NULL ? rm->observer->name :
				    "?");
			}
			if (start != NULL) {
				qs_finding_evidence(f, &start->ev);
				qs_finding_fact(an, f, "%s started again after "
				    "its removal (log line %llu).", node->name,
				    (unsigned long long)start->ev.line);
			}
			if (self != NULL) {
				qs_finding_evidence(f, &self->ev);
				qs_finding_fact(an, f, "%s's log says \"the "
				    "member has been permanently removed from "
				    "the cluster\".", node->name);
			}
			dir = qs_etcd_data_dir(an, node);
			qs_finding_step(an, f, "On %s, stop etcd and "
			    "disable it (`systemctl disable --now etcd`): a "
			    "removed member can never rejoin with its old ID.",
			    node->name);
			qs_finding_step(an, f, "To bring %s back, move its "
			    "data dir aside (`mv /var/lib/etcd "
			    "/var/lib/etcd.removed`; %s in the bundle), run "
			    "`etcdctl member add %s --peer-urls=<its peer "
			    "URL>` on a member of the cluster, and start it "
			    "with --initial-cluster-state existing.",
			    node->name, dir != NULL ? dir : "?", node->name);
		}
	}
}

static void
rule_etcd_unstarted_member(struct qs_analysis *an,
    const struct qs_rule *rule)
{
	struct qs_run		*run = an->run;
	struct qs_finding	*f = NULL;
	const char		*seen[64];
	size_t			 nseen = 0, i, j, k;

	for (i = 0; i < run->nodes.n; i++) {
		const struct qs_node	*obs = run->nodes.v[i];
		const struct qs_view	*v = etcd_membership(an, obs);

		if (v == NULL)
			continue;
		for (j = 0; j < v->members.n; j++) {
			const struct qs_member	*m = v->members.v[j];

			if (m->id == NULL || (m->name != NULL &&
			    m->name[0] != '\0') || etcd_node_of(an, m->id) !=
			    NULL)
				continue;
			for (k = 0; k < nseen; k++)
				if (strcmp(seen[k], m->id) == 0)
					break;
			if (k < nseen || nseen == 64)
				continue;
			seen[nseen++] = m->id;
			if (f == NULL)
				f = qs_finding_new(an, rule, "etcd member %s "
				    "was added but never started", m->id);
			qs_finding_node(f, (struct qs_node *)obs);
			qs_finding_evidence(f, &v->ev);
			qs_finding_fact(an, f, "%s's %s lists member %s%s%s "
			    "with no name: it was added (`etcdctl member "
			    "add`) and never joined, and no member in the "
			    "bundle has that ID.", obs->name, v->source, m->id,
			    m->address != NULL ? " at " : "",
			    m->address != NULL ? m->address : "");
			qs_finding_fact(an, f, "It counts as a voter: the "
			    "quorum is larger than the running members "
			    "suggest.");
			qs_finding_step(an, f, "If the member is not coming, "
			    "remove it on a running member: `etcdctl member "
			    "remove %s`.", m->id);
			qs_finding_step(an, f, "Otherwise start etcd on the "
			    "host of %s with an empty data dir, "
			    "--initial-cluster-state existing and the "
			    "--initial-cluster printed by `etcdctl member "
			    "add`.", m->address != NULL ? m->address : m->id);
		}
	}
}

static void
rule_etcd_quorum_loss(struct qs_analysis *an, const struct qs_rule *rule)
{
	struct qs_run		*run = an->run;
	struct qs_finding	*f = NULL;
	struct qs_node		*surv, *camp = NULL;
	const struct qs_setting	*unreach;
	const char		*major, *cid;
	uint64_t		 best;
	size_t			 i, j, distinct;
	char			 t[40];

	for (i = 0; i < run->nodes.n; i++) {
		struct qs_node		*node = run->nodes.v[i];
		const struct qs_event	*last_won = NULL, *first = NULL;
		const struct qs_event	*last = NULL;
		size_t			 n = 0, npre = 0;
		int			 rising;

		for (j = 0; j < run->events.n; j++) {
			const struct qs_event	*e = run->events.v[j];

			if (e->observer == node && e->system == QS_SYS_ETCD &&
			    e->kind == QS_EV_LEADER_ELECTED && e->time.set &&
			    (last_won == NULL || e->time.ms >=
			    last_won->time.ms))
				last_won = e;
		}
		for (j = 0; j < run->events.n; j++) {
			const struct qs_event	*e = run->events.v[j];

			if (e->observer != node || e->system != QS_SYS_ETCD ||
			    e->kind != QS_EV_ELECTION_START || !e->time.set ||
			    (last_won != NULL && e->time.ms <=
			    last_won->time.ms))
				continue;
			n++;
			if (e->detail != NULL &&
			    strcmp(e->detail, "pre-vote") == 0)
				npre++;
			if (first == NULL || e->time.ms < first->time.ms)
				first = e;
			if (last == NULL || e->time.ms > last->time.ms)
				last = e;
		}
		if (n < 2 || !(first->clock.set & QS_CLOCK_TERM) ||
		    !(last->clock.set & QS_CLOCK_TERM))
			continue;
		/*
		 * Without pre-vote every failed election raises the term;
		 * with it (--pre-vote, etcd 3.5's default) a member cut off
		 * from the majority pre-campaigns over and over at one term.
		 */
		rising = last->clock.term > first->clock.term;
		if (!rising && npre < ETCD_PREVOTE_ROUNDS)
			continue;
		if (f == NULL) {
			f = qs_finding_new(an, rule, "etcd has no leader: %s "
			    "campaigns without winning", node->name);
			camp = node;
		}
		qs_finding_node(f, node);
		qs_finding_evidence(f, &first->ev);
		qs_finding_evidence(f, &last->ev);
		if (rising)
			qs_finding_fact(an, f, "%s started %zu elections, "
			    "terms %llu to %llu, the last at %s, and no leader "
			    "was elected after them: it cannot reach a majority "
			    "of its voters.", node->name, n,
			    (unsigned long long)first->clock.term,
			    (unsigned long long)last->clock.term,
			    qs_time_format(&last->time, t, sizeof(t)));
		else
			qs_finding_fact(an, f, "%s ran %zu pre-vote rounds "
			    "(\"became pre-candidate\") at term %llu, the last "
			    "at %s, and no leader was elected after them: with "
			    "--pre-vote the term stays put while no majority "
			    "answers, so a steady term here is no sign of "
			    "health.", node->name, npre,
			    (unsigned long long)last->clock.term,
			    qs_time_format(&last->time, t, sizeof(t)));
	}
	if (f == NULL)
		return;
	unreach = qs_setting_get(run, camp, QS_SYS_ETCD,
	    "etcd.log.peers_unreachable");
	if (unreach != NULL) {
		qs_finding_evidence(f, &unreach->ev);
		qs_finding_fact(an, f, "%s's last word on peer%s %s was "
		    "\"became inactive\" (log line %llu): they stopped "
		    "answering.", camp->name, strchr(unreach->value, ',') !=
		    NULL ? "s" : "", unreach->value,
		    (unsigned long long)unreach->ev.line);
	}
	major = qs_etcd_majority_cluster(an, &distinct);
	cid = etcd_setting(an, camp, "etcd.cluster_id");
	if (distinct >= 2 && major != NULL && cid != NULL &&
	    strcmp(cid, major) != 0) {
		/* Forcing a cluster from the stray makes the split final. */
		qs_finding_fact(an, f, "%s belongs to cluster %s, not to %s "
		    "which most members carry: it campaigns among voters that "
		    "exist only in its own bootstrap (see "
		    "etcd-cluster-id-mismatch).", camp->name, cid, major);
		qs_finding_step(an, f, "Do not run --force-new-cluster on %s; "
		    "repair it as etcd-cluster-id-mismatch says (data dir "
		    "aside, member remove/add, --initial-cluster-state "
		    "existing).", camp->name);
		return;
	}
	qs_finding_step(an, f, "Bring back enough members for a majority "
	    "(`etcdctl endpoint status --cluster` shows who answers).");
	surv = qs_etcd_survivor(an, cid, camp, &best);
	if (surv != NULL) {
		qs_finding_fact(an, f, "%s has applied the most of the log "
		    "(index %llu, the highest HardState commit or backend "
		    "consistent index in the bundle).", surv->name,
		    (unsigned long long)best);
		qs_finding_step(an, f, "If a majority cannot come back: stop "
		    "every member, back up /var/lib/etcd everywhere, and "
		    "start %s once with --force-new-cluster (its data dir is "
		    "kept, the membership becomes %s alone).", surv->name,
		    surv->name);
		qs_finding_step(an, f, "Then, on %s, `etcdctl member add "
		    "<name> --peer-urls=<url>` for each other member, move "
		    "their data dirs aside, and start them with "
		    "--initial-cluster-state existing.", surv->name);
	}
}

/* "a,b,c": the member ids of a view, sorted, for comparison. */
static const char *
etcd_view_ids(struct qs_analysis *an, const struct qs_view *v)
{
	const char	*ids[64], *tmp;
	char		*out;
	size_t		 n = 0, i, j, len = 1;

	for (i = 0; i < v->members.n && n < 64; i++) {
		const struct qs_member	*m = v->members.v[i];

		if (m->id != NULL) {
			ids[n++] = m->id;
			len += strlen(m->id) + 1;
		}
	}
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && strcmp(ids[j - 1], ids[j]) > 0; j--) {
			tmp = ids[j];
			ids[j] = ids[j - 1];
			ids[j - 1] = tmp;
		}
	out = qs_arena_alloc(&an->run->arena, len);
	out[0] = '\0';
	for (i = 0; i < n; i++) {
		if (i > 0)
			strcat(out, ",");
		strcat(out, ids[i]);
	}
	return out;
}

static void
rule_etcd_membership_differ(struct qs_analysis *an,
    const struct qs_rule *rule)
{
	struct qs_run		*run = an->run;
	struct qs_finding	*f = NULL;
	const struct qs_view	*first = NULL, *v;
	const char		*first_ids = NULL, *ids, *cid, *fcid = NULL;
	size_t			 i;

	for (i = 0; i < run->nodes.n; i++) {
		struct qs_node	*node = run->nodes.v[i];

		if ((v = etcd_membership(an, node)) == NULL)
			continue;
		cid = etcd_setting(an, node, "etcd.cluster_id");
		ids = etcd_view_ids(an, v);
		if (first == NULL) {
			first = v;
			first_ids = ids;
			fcid = cid;
			continue;
		}
		/* Other clusters are etcd-cluster-id-mismatch's finding. */
		if (cid != NULL && fcid != NULL && strcmp(cid, fcid) != 0)
			continue;
		if (strcmp(ids, first_ids) == 0)
			continue;
		if (f == NULL) {
			f = qs_finding_new(an, rule, "etcd members hold "
			    "different memberships");
			qs_finding_node(f, first->observer);
			qs_finding_evidence(f, &first->ev);
			qs_finding_fact(an, f, "%s's %s lists %s.",
			    first->observer->name, first->source, first_ids);
		}
		qs_finding_node(f, node);
		qs_finding_evidence(f, &v->ev);
		qs_finding_fact(an, f, "%s's %s lists %s.", node->name,
		    v->source, ids);
	}
	if (f == NULL)
		return;
	for (i = 0; i < run->nodes.n; i++) {
		struct qs_node		*node = run->nodes.v[i];
		const struct qs_setting	*fnc = qs_setting_get(run, node,
		    QS_SYS_ETCD, "etcd.log.force_new_cluster");

		if (!qs_setting_true(fnc))
			continue;
		qs_finding_evidence(f, &fnc->ev);
		qs_finding_fact(an, f, "%s was started with "
		    "--force-new-cluster (log line %llu): its membership is "
		    "the cluster's now, the members that list more hold the "
		    "membership from before.",
		    node->name, (unsigned long long)fnc->ev.line);
	}
	qs_finding_fact(an, f, "Members that applied different membership "
	    "changes have diverged: a member left behind (stopped, removed, "
	    "or cut off by --force-new-cluster) holds an old membership.");
	qs_finding_step(an, f, "Run `etcdctl member list -w table` against "
	    "each member's client URL and take the membership of the member "
	    "with the leader; the findings above name removed or unstarted "
	    "members.");
	qs_finding_step(an, f, "A member whose membership is stale must not "
	    "be restarted with its data: move its data dir aside, `etcdctl "
	    "member remove`/`member add` it on the current cluster, and start "
	    "it with --initial-cluster-state existing.");
}

const struct qs_rule qs_rule_etcd_cluster_id_mismatch = {
	.id = "etcd-cluster-id-mismatch",
	.kind = "cluster-id-mismatch",
	.level = QS_LEVEL_CRITICAL,
	.system = QS_SYS_ETCD,
	.title = "etcd members belong to different clusters",
	.explanation = "A member whose data dir was wiped and restarted with "
	    "--initial-cluster-state new bootstraps a cluster of its own with "
	    "a new cluster ID; the others reject its messages, so it never "
	    "rejoins and the old cluster runs one voter short.",
	.remediation = "Remove the stray member's old entry, move its data "
	    "dir aside, re-add it with etcdctl member add and start it with "
	    "--initial-cluster-state existing and the original token.",
	.check = rule_etcd_cluster_id_mismatch,
};

const struct qs_rule qs_rule_etcd_removed_member_present = {
	.id = "etcd-removed-member-present",
	.kind = "removed-member-present",
	.level = QS_LEVEL_ERROR,
	.system = QS_SYS_ETCD,
	.title = "a removed etcd member still has its data and runs",
	.explanation = "etcd never lets a removed member ID back: a removed "
	    "member restarted on its old data dir is refused by the others "
	    "and exits, or keeps a stale copy of the data.",
	.remediation = "Stop the removed member; to bring the host back, move "
	    "its data dir aside and add it anew.",
	.check = rule_etcd_removed_member_present,
};

const struct qs_rule qs_rule_etcd_unstarted_member = {
	.id = "etcd-unstarted-member",
	.kind = "unstarted-member",
	.level = QS_LEVEL_WARNING,
	.system = QS_SYS_ETCD,
	.title = "an etcd member was added but never started",
	.explanation = "etcdctl member add makes the new member a voter at "
	    "once; until it starts the quorum counts a member that cannot "
	    "vote, and one more failure stops the cluster.",
	.remediation = "Start the member, or remove it with etcdctl member "
	    "remove.",
	.check = rule_etcd_unstarted_member,
};

const struct qs_rule qs_rule_etcd_quorum_loss = {
	.id = "etcd-quorum-loss",
	.kind = "quorum-loss",
	.level = QS_LEVEL_CRITICAL,
	.system = QS_SYS_ETCD,
	.title = "an etcd member campaigns and no leader is elected",
	.explanation = "A member that starts election after election at "
	    "rising terms cannot reach a majority of its voters; the cluster "
	    "serves no writes until a majority is back.",
	.remediation = "Restore a majority, or restart the member with the "
	    "most applied log once with --force-new-cluster and add the "
	    "others back.",
	.check = rule_etcd_quorum_loss,
};

const struct qs_rule qs_rule_etcd_membership_differ = {
	.id = "etcd-membership-differ",
	.kind = "inconsistent-config",
	.level = QS_LEVEL_WARNING,
	.system = QS_SYS_ETCD,
	.title = "etcd members hold different memberships",
	.explanation = "Members of one cluster apply the same membership "
	    "changes in order; different memberships mean some member "
	    "stopped applying them (removed, stopped, or cut off).",
	.remediation = "Take the leader's membership as the truth and rebuild "
	    "the members that disagree.",
	.check = rule_etcd_membership_differ,
};
