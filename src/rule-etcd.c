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
 *   etcd-quorum-loss             the cluster's history (etcd.c) has a
 *                                stretch without a leader while a majority
 *                                of the voters was down, or longer than an
 *                                election takes; without times, a member
 *                                that campaigns at rising terms (or
 *                                pre-campaigns at one term) with no leader
 *                                after it.
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

static uint64_t
etcd_setting_u64(struct qs_analysis *an, const struct qs_node *node,
    const char *key)
{
	const char	*v = qs_etcd_setting(an, node, key);
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

		mine = qs_etcd_setting(an, node, "etcd.member_id");

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

		cid = qs_etcd_setting(an, node, "etcd.cluster_id");
		if (cluster != NULL && cid != NULL && strcmp(cid, cluster) != 0)
			continue;
		if (qs_etcd_setting(an, node, "etcd.hardstate.commit") == NULL &&
		    qs_etcd_setting(an, node, "etcd.db.consistent_index") == NULL)
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
		const char	*c = qs_etcd_setting(an, an->run->nodes.v[i],
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
		if ((cid = qs_etcd_setting(an, node, "etcd.cluster_id")) == NULL)
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

		if ((cid = qs_etcd_setting(an, node, "etcd.cluster_id")) == NULL ||
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

/* Is member `id` a learner (etcd.c: member list, AddLearnerNode)? */
static int
etcd_is_learner(const struct qs_etcd *e, const char *id)
{
	size_t	i;

	for (i = 0; e != NULL && i < e->mids.n; i++) {
		const struct qs_etcd_mid	*x = e->mids.v[i];

		if (strcmp(x->id, id) == 0)
			return x->learner;
	}
	return 0;
}

static void
rule_etcd_unstarted_member(struct qs_analysis *an,
    const struct qs_rule *rule)
{
	struct qs_run		*run = an->run;
	const struct qs_etcd	*e = qs_etcd_facts(an);
	struct qs_finding	*f = NULL;
	const char		*seen[64];
	size_t			 nseen = 0, i, j, k;
	int			 learner;

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
			learner = etcd_is_learner(e, m->id);
			if (f == NULL) {
				f = qs_finding_new(an, rule, "etcd %s %s was "
				    "added but never started", learner ?
				    "learner" : "member", m->id);
				/* A learner votes for nothing: a note. */
				f->level = QS_LEVEL_INFO;
			}
			if (!learner)
				f->level = rule->level;
			qs_finding_node(f, (struct qs_node *)obs);
			qs_finding_evidence(f, &v->ev);
			qs_finding_fact(an, f, "%s's %s lists member %s%s%s "
			    "with no name: it was added (`etcdctl member "
			    "add`) and never joined, and no member in the "
			    "bundle has that ID.", obs->name, v->source, m->id,
			    m->address != NULL ? " at " : "",
			    m->address != NULL ? m->address : "");
			if (learner)
				qs_finding_fact(an, f, "It is a learner: it "
				    "does not count toward the majority, and "
				    "it cannot be promoted until it runs and "
				    "has caught up.");
			else
				qs_finding_fact(an, f, "It counts as a voter: "
				    "the quorum is larger than the running "
				    "members suggest.");
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

/*
 * Without times there is no history to sweep: a member that campaigns
 * at rising terms (or pre-campaigns again and again at one term) with no
 * leader after it is the evidence left.
 */
static void
etcd_quorum_phrase(struct qs_analysis *an, const struct qs_rule *rule)
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
	cid = qs_etcd_setting(an, camp, "etcd.cluster_id");
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

/* Findings that explain why a member that went down could not run. */
static const char *const etcd_down_causes[] = {
	"etcd-bootstrap-conflict", "etcd-follower-behind",
	"etcd-cluster-id-mismatch", NULL
};
/* Findings that explain a leaderless stretch with a majority up. */
static const char *const etcd_leaderless_causes[] = {
	"etcd-cluster-id-mismatch", "etcd-slow-disk", "etcd-clock-drift",
	NULL
};
/* What a forced recovery leaves behind: consequences of the loss. */
static const char *const etcd_forced_consequences[] = {
	"etcd-removed-member-present", "etcd-membership-differ",
	"etcd-split-brain", "etcd-store-differ", NULL
};

/* Does `from` lead back to `to` through the findings' causes? */
static int
etcd_causes_reach(const struct qs_finding *from, const struct qs_finding *to,
    int depth)
{
	size_t	i;

	if (from == to)
		return 1;
	if (depth > 16)
		return 1;	/* too deep to tell: refuse the link */
	for (i = 0; i < from->causes.n; i++)
		if (etcd_causes_reach(from->causes.v[i], to, depth + 1))
			return 1;
	return 0;
}

/* Links `f` to `cause` unless that would make the causes a cycle. */
static int
etcd_caused_by(struct qs_finding *f, struct qs_finding *cause)
{
	if (cause == NULL || etcd_causes_reach(cause, f, 0))
		return 0;
	qs_finding_caused_by(f, cause);
	return 1;
}

/*
 * Every voter stopped by its own clean stop line and none left running:
 * the cluster was shut down on purpose (maintenance, a restore, the end
 * of a collection), not lost.
 */
static int
etcd_quorum_shutdown(const struct qs_quorum_stretch *st)
{
	const struct qs_qspan	*w = st->worst;
	size_t			 i;

	if (w == NULL || w->up > 0 || w->down < w->voters)
		return 0;
	for (i = 0; i < w->down_members.n; i++) {
		const struct qs_hmember	*m = w->down_members.v[i];
		const struct qs_span	*sp;

		(void)qs_history_state_at(m, w->from, &sp);
		if (m->node == NULL || sp == NULL ||
		    sp->from.grade != QS_GRADE_SEEN || sp->from.why == NULL ||
		    strncmp(sp->from.why, "fatal", 5) == 0)
			return 0;
	}
	return 1;
}

/*
 * The first election of a cluster whose members are starting: no leader
 * had ever been seen, the majority was never known lost, and a leader
 * came.  Not an outage: the cluster was not serving yet.
 */
static int
etcd_quorum_boot(const struct qs_history *h, const struct qs_quorum_stretch *st)
{
	size_t	i;

	if (st->open || st->lost != NULL)
		return 0;
	for (i = 0; i < h->terms.n; i++)
		if (((const struct qs_term *)h->terms.v[i])->from.lo <
		    st->from)
			return 0;
	return 1;
}

/*
 * A leader whose majority went down still believes it leads until
 * check-quorum steps it down, an election timeout later; it commits
 * nothing meanwhile.  The stretch starts where the majority was lost.
 */
static void
etcd_quorum_widen(const struct qs_history *h, struct qs_quorum_stretch *st)
{
	size_t	i;

	for (i = 0; i < h->quorum.n; i++)
		if (h->quorum.v[i] == st->first)
			break;
	while (i-- > 0) {
		const struct qs_qspan	*s = h->quorum.v[i];

		if (s->state != QS_QUORUM_LOST || s->term == NULL ||
		    s->to != st->from)
			break;
		st->from = s->from;
		st->first = s;
		st->lost = s;
		st->lost_ms += s->to - s->from;
		st->ms = st->to - st->from;
	}
}

/*
 * Stretches that touch once widened are one outage: a leader elected
 * while the majority was down (a transfer to a member that then steps
 * down) does not end it.
 */
static void
etcd_quorum_merge(struct qs_vec *all)
{
	size_t	i;

	for (i = 1; i < all->n;) {
		struct qs_quorum_stretch	*a = all->v[i - 1];
		struct qs_quorum_stretch	*b = all->v[i];

		if (b->from > a->to) {
			i++;
			continue;
		}
		b->from = a->from;
		b->first = a->first;
		if (a->lost != NULL)
			b->lost = a->lost;
		if (b->worst == NULL || (a->worst != NULL &&
		    a->worst->down > b->worst->down))
			b->worst = a->worst;
		if (a->held != NULL)
			b->held = a->held;
		b->lost_ms += a->lost_ms;
		b->held_ms += a->held_ms;
		b->ms = b->to - b->from;
		memmove(&all->v[i - 1], &all->v[i], (all->n - i) *
		    sizeof(*all->v));
		all->n--;
	}
}

/* The start of the member's run forced with --force-new-cluster. */
static int64_t
etcd_forced_at(const struct qs_run *run, const struct qs_etcd_srv *s,
    const struct qs_event **start)
{
	const struct qs_event	*best = NULL;
	size_t			 i;

	for (i = 0; i < run->events.n; i++) {
		const struct qs_event	*e = run->events.v[i];

		if (e->kind != QS_EV_START || e->observer != s->node ||
		    !e->time.set || e->ev.artifact != s->forced->ev.artifact ||
		    e->ev.line > s->forced->ev.line)
			continue;
		if (best == NULL || e->ev.line > best->ev.line)
			best = e;
	}
	*start = best;
	return best != NULL ? best->time.ms : INT64_MIN;
}

/*
 * The forced recovery that ended a stretch, if one did: --force-new-
 * cluster on a member whose forced start is in the stretch or just
 * after it.  The findings it left behind are its consequences.
 */
static void
etcd_quorum_forced(struct qs_analysis *an, struct qs_finding *f,
    const struct qs_etcd *e, const struct qs_quorum_stretch *st)
{
	const struct qs_event	*start;
	size_t			 i, j;
	char			 t[40];

	for (i = 0; i < e->srvs.n; i++) {
		const struct qs_etcd_srv	*s = e->srvs.v[i];
		int64_t				 at;

		if (s->forced == NULL)
			continue;
		at = etcd_forced_at(an->run, s, &start);
		if (at == INT64_MIN || at < st->from ||
		    (!st->open && at > st->to + e->election_ms))
			continue;
		qs_finding_evidence(f, &s->forced->ev);
		qs_finding_fact(an, f, "%s was restarted with "
		    "--force-new-cluster at %s: its membership became itself "
		    "alone, which ended the outage and cut the other members "
		    "off for good.", s->node->name, qs_ms_text(at, t,
		    sizeof(t)));
		for (j = 0; etcd_forced_consequences[j] != NULL; j++) {
			struct qs_finding *c = qs_finding_find(an,
			    etcd_forced_consequences[j]);

			/* Explained already (a flag left behind): as is. */
			if (c == NULL || c == f || c->causes.n > 0 ||
			    !etcd_caused_by(c, f))
				continue;
			qs_finding_fact(an, f, "Consequence of the forced "
			    "recovery: %s (%s).", c->title, c->rule->id);
		}
		return;
	}
}

/*
 * The elections each member ran in the stretch: without pre-vote every
 * one raises the term; with it (--pre-vote, etcd 3.5's default) a member
 * cut off from the majority pre-campaigns over and over at one term.
 */
static void
etcd_quorum_campaigns(struct qs_analysis *an, struct qs_finding *f,
    const struct qs_quorum_stretch *st)
{
	struct qs_run	*run = an->run;
	size_t		 i, j;

	for (i = 0; i < run->nodes.n; i++) {
		struct qs_node		*node = run->nodes.v[i];
		const struct qs_event	*first = NULL, *last = NULL;
		size_t			 n = 0, npre = 0;

		for (j = 0; j < run->events.n; j++) {
			const struct qs_event	*e = run->events.v[j];

			if (e->observer != node || e->system != QS_SYS_ETCD ||
			    e->kind != QS_EV_ELECTION_START || !e->time.set ||
			    e->time.ms < st->from || e->time.ms > st->to)
				continue;
			n++;
			if (e->detail != NULL &&
			    strcmp(e->detail, "pre-vote") == 0)
				npre++;
			if (first == NULL)
				first = e;
			last = e;
		}
		if (n < 2)
			continue;
		qs_finding_node(f, node);
		qs_finding_evidence(f, &last->ev);
		if (npre == n)
			qs_finding_fact(an, f, "%s ran %zu pre-vote rounds at "
			    "term %llu without a leader: with --pre-vote the "
			    "term stays put while no majority answers.",
			    node->name, npre, (unsigned long long)
			    last->clock.term);
		else if ((first->clock.set & QS_CLOCK_TERM) &&
		    (last->clock.set & QS_CLOCK_TERM))
			qs_finding_fact(an, f, "%s started %zu elections in it, "
			    "terms %llu to %llu, and won none.", node->name, n,
			    (unsigned long long)first->clock.term,
			    (unsigned long long)last->clock.term);
	}
}

/* Unstarted voters among the members down: they made the loss. */
static size_t
etcd_quorum_unstarted(struct qs_analysis *an, struct qs_finding *f,
    const struct qs_etcd *e, const struct qs_quorum_stretch *st)
{
	struct qs_finding	*cause = qs_finding_find(an,
	    "etcd-unstarted-member");
	const struct qs_qspan	*w = st->worst;
	size_t			 i, j, n = 0;

	for (i = 0; w != NULL && i < w->down_members.n; i++) {
		const struct qs_hmember	*m = w->down_members.v[i];

		for (j = 0; j < e->mids.n; j++) {
			const struct qs_etcd_mid *x = e->mids.v[j];

			if (x->member != m || !x->unstarted)
				continue;
			n++;
			qs_finding_fact(an, f, "%s counts as a voter although "
			    "it never started: with %zu voters a leader needs "
			    "%zu, so %zu running member%s left no failure "
			    "margin and one more member down lost the "
			    "majority.", m->label, w->voters, w->needed,
			    w->voters - 1, w->voters - 1 == 1 ? "" : "s");
			if (cause != NULL && etcd_caused_by(f, cause)) {
				qs_finding_fact(an, f, "Caused by %s: %s.",
				    cause->rule->id, cause->title);
			}
		}
	}
	return n;
}

static void
etcd_quorum_steps(struct qs_analysis *an, struct qs_finding *f,
    const struct qs_etcd *e, const struct qs_quorum_stretch *st, int held,
    size_t unstarted)
{
	const struct qs_etcd_srv	*best = qs_etcd_most_log(e);
	size_t				 i, j;

	if (held) {
		qs_finding_step(an, f, "Find why the running members cannot "
		    "elect: each must reach every other at the peer URL the "
		    "membership gives (`etcdctl member list -w table`), with "
		    "one cluster ID and the same membership everywhere.");
		return;
	}
	for (i = 0; st->open && st->worst != NULL &&
	    i < st->worst->down_members.n; i++) {
		const struct qs_hmember	*m = st->worst->down_members.v[i];
		int			 skip = 0;

		for (j = 0; j < e->mids.n; j++)
			if (((struct qs_etcd_mid *)e->mids.v[j])->member ==
			    m && ((struct qs_etcd_mid *)e->mids.v[j])->unstarted)
				skip = 1;
		if (!skip)
			qs_finding_step(an, f, "Start etcd on %s again (or "
			    "bring its host back) with its data dir as it is; "
			    "a majority of the voters must run and reach each "
			    "other.", m->label);
	}
	if (unstarted > 0)
		qs_finding_step(an, f, "Give the cluster its failure margin "
		    "back: start the member that was added and never started, "
		    "or remove it (etcd-unstarted-member says how).");
	if (!st->open)
		return;
	if (best != NULL) {
		if (best->log_ev != NULL)
			qs_finding_evidence(f, best->log_ev);
		qs_finding_fact(an, f, "%s holds the most raft log: last "
		    "entry term %llu, index %llu (commit %llu).",
		    best->node->name, (unsigned long long)best->last_term,
		    (unsigned long long)best->last_index,
		    (unsigned long long)best->commit);
		qs_finding_step(an, f, "If a majority cannot come back: back "
		    "up every data dir, stop etcd on %s and start it once with "
		    "--force-new-cluster (its data dir is kept, the membership "
		    "becomes %s alone); remove the flag again at once, then "
		    "`etcdctl member add` each other member and start it with "
		    "an empty data dir and --initial-cluster-state existing.",
		    best->node->name, best->node->name);
	} else
		qs_finding_step(an, f, "If a majority cannot come back: "
		    "restart the member with the most raft log (highest last "
		    "entry term, then index) once with --force-new-cluster and "
		    "add the others back.");
}

/*
 * Quorum loss from the cluster's history (quorum.c): every stretch
 * without a leader in which a majority of the voters was down, or which
 * lasted longer than an election takes although a majority was up.  The
 * latest is the finding; earlier ones are listed in it.  An unstarted
 * voter among the members down is its cause; a forced recovery that
 * ended it leaves consequences, linked to it.
 */
static void
rule_etcd_quorum_loss(struct qs_analysis *an, const struct qs_rule *rule)
{
	struct qs_etcd			*e = qs_etcd_facts(an);
	struct qs_history		*h = e != NULL ? e->history : NULL;
	struct qs_quorum_stretch	*st;
	struct qs_finding		*f, *cause;
	struct qs_vec			 all = { NULL, 0, 0 };
	size_t				 i, pick, unstarted;
	int				 held;

	/* No times, or no membership to count a majority of. */
	if (h == NULL || !h->timed || h->voters.n == 0) {
		etcd_quorum_phrase(an, rule);
		return;
	}
	qs_quorum_stretches(an->run, h, &all);
	if (all.n == 0) {
		qs_vec_free(&all);
		return;
	}
	for (i = 0; i < all.n; i++)
		etcd_quorum_widen(h, all.v[i]);
	etcd_quorum_merge(&all);
	for (i = 0; i < all.n;) {
		const struct qs_quorum_stretch	*x = all.v[i];

		/*
		 * Shorter than an election timeout and over: no follower
		 * even noticed, a handover's moment, not an outage.
		 */
		if (etcd_quorum_shutdown(x) || (!x->open && x->ms <
		    e->election_ms) || etcd_quorum_boot(h, x)) {
			memmove(&all.v[i], &all.v[i + 1], (all.n - i - 1) *
			    sizeof(*all.v));
			all.n--;
		} else
			i++;
	}
	if (all.n == 0) {
		qs_vec_free(&all);
		return;
	}
	/* The latest loss of the majority, else the latest stretch. */
	pick = qs_quorum_latest_loss(&all);
	st = all.v[pick];
	f = qs_finding_new(an, rule, "%s", qs_quorum_title(an->run, h, st,
	    "etcd"));
	qs_quorum_explain(an, f, h, st, "member");
	qs_quorum_others(an, f, &all, pick);
	etcd_quorum_campaigns(an, f, st);
	held = st->held != NULL && (st->lost == NULL ||
	    qs_quorum_leaderless_held(h, st));
	unstarted = held ? 0 : etcd_quorum_unstarted(an, f, e, st);
	for (i = 0; held && etcd_leaderless_causes[i] != NULL; i++)
		if ((cause = qs_finding_find(an, etcd_leaderless_causes[i])) !=
		    NULL && etcd_caused_by(f, cause)) {
			qs_finding_fact(an, f, "Caused by %s: %s.",
			    cause->rule->id, cause->title);
		}
	if (!held && qs_quorum_link(an, f, st, etcd_down_causes) == 0 &&
	    unstarted == 0)
		qs_finding_fact(an, f, "Nothing in the bundle says why they "
		    "went down: their own logs just end (a host lost, a kill, "
		    "a reboot).");
	if (held && f->causes.n == 0)
		qs_finding_fact(an, f, "No other finding explains it: look "
		    "for a network partition or a firewall between the "
		    "members' peer URLs.");
	etcd_quorum_forced(an, f, e, st);
	etcd_quorum_steps(an, f, e, st, held, unstarted);
	qs_vec_free(&all);
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
		cid = qs_etcd_setting(an, node, "etcd.cluster_id");
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
	.title = "the cluster lost its quorum or had no leader",
	.explanation = "A leader needs the votes of a majority of the voting "
	    "members (learners do not vote; members added and never started "
	    "do).  When too many are down, or the running ones cannot elect, "
	    "the cluster serves no writes and no linearizable reads.  Read "
	    "from the cluster's history: who was up, who led, which members "
	    "voted, over time.",
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
