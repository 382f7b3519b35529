/*
 * etcd rules about the state members keep on disk, read from their WALs
 * (etcd.wal.tail, etcd.wal.terms, HardState), backends, .snap v2 stores
 * and logs (issue 5; formats.md 5 and 9):
 *
 *   etcd-split-brain       members of one cluster ID hold committed log
 *                          entries that differ at the same index: two
 *                          histories, typically --force-new-cluster on one
 *                          member while the others were only cut off and
 *                          went on electing leaders of their own.
 *   etcd-follower-behind   a member panicked with "tocommit(X) is out of
 *                          range [lastIndex(Y)]": its log lost entries it
 *                          had acknowledged (an old copy of the data dir put
 *                          back, or a disk that lost writes).
 *   etcd-store-differ      one member's three copies of the membership (WAL,
 *                          backend members buckets, v2 store in the .snap)
 *                          disagree where they must agree.
 *
 * Why log entries prove a split: raft's log matching property says two
 * logs holding an entry with the same index and term are identical up to
 * it, and a committed entry is never overwritten.  Committed entries that
 * differ at one index therefore mean two leaders committed different
 * histories, which one raft group never does; --force-new-cluster is the
 * usual way to get there (it rewrites the membership with the old term,
 * etcd release-3.4 etcdserver/raft.go restartAsStandaloneNode).
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "quorumscope.h"

#define ES_MAX_NODES	64	/* etcd members compared per bundle */
#define ES_TAIL_MAX	64	/* items read from one etcd.wal.tail */
#define ES_TERMS_MAX	128	/* items read from one etcd.wal.terms */
#define ES_LEADERS_MAX	4	/* elections named per side */

static int
es_setting_u64(struct qs_analysis *an, const struct qs_node *node,
    const char *key, uint64_t *out)
{
	const char	*v = qs_etcd_setting(an, node, key);

	*out = 0;
	return v != NULL && qs_parse_dec_u64(v, strlen(v), out) == 0;
}

/* The highest value of `key` over all of a node's artifacts (WAL files). */
static int
es_setting_max(struct qs_analysis *an, const struct qs_node *node,
    const char *key, uint64_t *out)
{
	uint64_t	v;
	size_t		i;
	int		found = 0;

	*out = 0;
	for (i = 0; i < an->run->settings.n; i++) {
		const struct qs_setting	*s = an->run->settings.v[i];

		if (s->observer != node || s->system != QS_SYS_ETCD ||
		    strcmp(s->key, key) != 0 ||
		    qs_parse_dec_u64(s->value, strlen(s->value), &v) != 0)
			continue;
		if (!found || v > *out)
			*out = v;
		found = 1;
	}
	return found;
}

/* The highest of the HardState commit and the backend's applied index. */
static uint64_t
es_applied(struct qs_analysis *an, const struct qs_node *node)
{
	uint64_t	c, a;

	es_setting_u64(an, node, "etcd.hardstate.commit", &c);
	es_setting_u64(an, node, "etcd.db.consistent_index", &a);
	return a > c ? a : c;
}

/* The bundle path of the data dir, or "?" in a repair step. */
static const char *
es_data_dir(struct qs_analysis *an, const struct qs_node *node)
{
	const char	*d = qs_etcd_data_dir(an, node);

	return d != NULL ? d : "?";
}

/* The member of view v with id `id`, or NULL. */
static const struct qs_member *
es_view_member(const struct qs_view *v, const char *id)
{
	size_t	i;

	for (i = 0; v != NULL && id != NULL && i < v->members.n; i++) {
		const struct qs_member	*m = v->members.v[i];

		if (m->id != NULL && strcmp(m->id, id) == 0)
			return m;
	}
	return NULL;
}

/* A node's own member entry in one of its membership views. */
static const struct qs_member *
es_self(struct qs_analysis *an, const struct qs_node *node)
{
	static const char *const sources[] = { "etcd WAL membership",
	    "etcd backend members", "etcd v2 store membership" };
	const char		*id = qs_etcd_setting(an, node, "etcd.member_id");
	const struct qs_member	*m;
	size_t			 i;

	for (i = 0; i < sizeof(sources) / sizeof(sources[0]); i++)
		if ((m = es_view_member(qs_view_latest(an->run, node,
		    QS_VIEW_CONSENSUS, sources[i]), id)) != NULL)
			return m;
	return NULL;
}

/*
 * Reads up to `max` items "index:term[:hash]" of a fingerprint setting;
 * anything malformed ends the list.
 */
struct es_item {
	uint64_t	 index;
	uint64_t	 term;
	const char	*hash;		/* 8 hex digits, or NULL */
};

static size_t
es_items(const char *s, struct es_item *out, size_t max)
{
	const char	*p = s, *q;
	size_t		 n = 0;

	while (s != NULL && *p != '\0' && n < max) {
		for (q = p; *q >= '0' && *q <= '9' && q - p < 20; q++)
			continue;
		if (*q != ':' || qs_parse_dec_u64(p, (size_t)(q - p),
		    &out[n].index) != 0)
			break;
		p = q + 1;
		for (q = p; *q >= '0' && *q <= '9' && q - p < 20; q++)
			continue;
		if (qs_parse_dec_u64(p, (size_t)(q - p), &out[n].term) != 0)
			break;
		out[n].hash = NULL;
		if (*q == ':') {
			out[n].hash = q + 1;
			if (strspn(q + 1, "0123456789abcdef") < 8)
				break;
			q += 9;
		}
		n++;
		if (*q != ',')
			break;
		p = q + 1;
	}
	return n;
}

/* The term of entry `index` from term starts, or 0 when not covered. */
static uint64_t
es_term_at(const struct es_item *t, size_t n, uint64_t index, uint64_t last)
{
	size_t	i;

	if (n == 0 || index < t[0].index || index > last)
		return 0;
	for (i = n; i > 0; i--)
		if (t[i - 1].index <= index)
			return t[i - 1].term;
	return 0;
}

/* Where two members' logs first differ. */
struct es_fork {
	uint64_t	 index;		/* 0: no difference found */
	uint64_t	 term_a, term_b;
	int		 same_term;	/* equal terms, different entries */
};

static void
es_fork(struct qs_analysis *an, const struct qs_node *a,
    const struct qs_node *b, struct es_fork *fk)
{
	struct es_item	ta[ES_TAIL_MAX], tb[ES_TAIL_MAX];
	struct es_item	sa[ES_TERMS_MAX], sb[ES_TERMS_MAX];
	size_t		na, nb, i, j;
	uint64_t	la, lb, lo, x, u, v;

	memset(fk, 0, sizeof(*fk));
	na = es_items(qs_etcd_setting(an, a, "etcd.wal.tail"), ta, ES_TAIL_MAX);
	nb = es_items(qs_etcd_setting(an, b, "etcd.wal.tail"), tb, ES_TAIL_MAX);
	/* Entry by entry where both tails cover the same indexes. */
	for (i = 0, j = 0; i < na && j < nb; ) {
		if (ta[i].index < tb[j].index) {
			i++;
			continue;
		}
		if (tb[j].index < ta[i].index) {
			j++;
			continue;
		}
		if (ta[i].term != tb[j].term || ta[i].hash == NULL ||
		    tb[j].hash == NULL || strncmp(ta[i].hash, tb[j].hash,
		    8) != 0) {
			fk->index = ta[i].index;
			fk->term_a = ta[i].term;
			fk->term_b = tb[j].term;
			fk->same_term = ta[i].term == tb[j].term;
			return;
		}
		i++;
		j++;
	}
	/* Otherwise the first index where the terms differ. */
	if (!es_setting_u64(an, a, "etcd.wal.last_index", &la) ||
	    !es_setting_u64(an, b, "etcd.wal.last_index", &lb))
		return;
	na = es_items(qs_etcd_setting(an, a, "etcd.wal.terms"), sa, ES_TERMS_MAX);
	nb = es_items(qs_etcd_setting(an, b, "etcd.wal.terms"), sb, ES_TERMS_MAX);
	if (na == 0 || nb == 0)
		return;
	lo = sa[0].index > sb[0].index ? sa[0].index : sb[0].index;
	/* Candidates: every term start of either log, in index order. */
	for (i = 0; i < na + nb; i++) {
		x = i < na ? sa[i].index : sb[i - na].index;
		if (x < lo)
			x = lo;
		u = es_term_at(sa, na, x, la);
		v = es_term_at(sb, nb, x, lb);
		if (u == 0 || v == 0 || u == v)
			continue;
		if (fk->index == 0 || x < fk->index) {
			fk->index = x;
			fk->term_a = u;
			fk->term_b = v;
		}
	}
}

/* Two members hold differing entries that both have committed. */
static int
es_split(struct qs_analysis *an, const struct qs_node *a,
    const struct qs_node *b, struct es_fork *fk)
{
	uint64_t	ca, cb;

	es_fork(an, a, b, fk);
	if (fk->index == 0)
		return 0;
	if (!es_setting_u64(an, a, "etcd.hardstate.commit", &ca) ||
	    !es_setting_u64(an, b, "etcd.hardstate.commit", &cb))
		return 0;
	return ca >= fk->index && cb >= fk->index;
}

/* "etcd1, etcd2": node names of a side. */
static const char *
es_names(struct qs_analysis *an, struct qs_node *const *v, size_t n)
{
	const char	*out = "";
	size_t		 i;

	for (i = 0; i < n; i++)
		out = qs_arena_printf(&an->run->arena, "%s%s%s", out,
		    i > 0 ? ", " : "", v[i]->name);
	return out;
}

/*
 * The leaders a side's logs saw elected at `from` or later; *first_ms
 * gets the earliest such election, *last_ms the side's last logged event
 * (until then its leader served).  INT64_MIN: unknown.
 */
static void
es_side_leaders(struct qs_analysis *an, struct qs_finding *f,
    struct qs_node *const *side, size_t n, const char *label, uint64_t from,
    int64_t *first_ms, int64_t *last_ms)
{
	const char	*seen = "";
	size_t		 i, j, k = 0;
	char		 t[40];

	*first_ms = *last_ms = INT64_MIN;
	for (i = 0; i < an->run->events.n; i++) {
		const struct qs_event	*e = an->run->events.v[i];

		for (j = 0; j < n && side[j] != e->observer; j++)
			continue;
		if (j < n && e->system == QS_SYS_ETCD && e->time.set &&
		    e->time.ms > *last_ms)
			*last_ms = e->time.ms;
	}
	for (i = 0; i < an->run->events.n; i++) {
		const struct qs_event	*e = an->run->events.v[i];
		char			 key[64];

		if (e->kind != QS_EV_LEADER_ELECTED ||
		    e->system != QS_SYS_ETCD || e->subject == NULL ||
		    !(e->clock.set & QS_CLOCK_TERM) || e->clock.term < from)
			continue;
		for (j = 0; j < n && side[j] != e->observer; j++)
			continue;
		if (j == n)
			continue;
		if (e->time.set && (*first_ms == INT64_MIN ||
		    e->time.ms < *first_ms))
			*first_ms = e->time.ms;
		snprintf(key, sizeof(key), "|%s@%" PRIu64 "|", e->subject,
		    e->clock.term);
		if (strstr(seen, key) != NULL || k >= ES_LEADERS_MAX)
			continue;
		seen = qs_arena_printf(&an->run->arena, "%s%s", seen, key);
		k++;
		qs_finding_evidence(f, &e->ev);
		qs_finding_fact(an, f, "On side %s, %s's log: %s leader "
		    "at term %" PRIu64 "%s%s.", label, e->observer->name,
		    e->subject, e->clock.term, e->time.set ? " at " : "",
		    e->time.set ? qs_time_format(&e->time, t, sizeof(t)) : "");
	}
}

/*
 * Without comparable WALs: two members of one cluster ID whose `etcdctl
 * endpoint status` name different leaders, one of which the other's
 * `etcdctl member list` does not have.  A leader change between the two
 * collections names leaders both lists have; this does not.
 */
static void
es_status_split(struct qs_analysis *an, const struct qs_rule *rule,
    const char *const *done, size_t ndone)
{
	struct qs_run		*run = an->run;
	struct qs_finding	*f;
	const char		*cx, *cy, *lx, *ly, *seen[ES_MAX_NODES];
	const struct qs_view	*mx, *my;
	struct qs_node		*x, *y, *keep, *lose;
	uint64_t		 ix, iy;
	size_t			 i, j, k, nseen = 0;

	for (i = 0; i < run->nodes.n; i++) {
		x = run->nodes.v[i];
		cx = qs_etcd_setting(an, x, "etcd.status.cluster_id");
		lx = qs_etcd_setting(an, x, "etcd.status.leader");
		if (cx == NULL || lx == NULL)
			continue;
		for (k = 0; k < ndone && strcmp(done[k], cx) != 0; k++)
			continue;
		for (j = 0; j < nseen && strcmp(seen[j], cx) != 0; j++)
			continue;
		if (k < ndone || j < nseen || nseen == ES_MAX_NODES)
			continue;
		mx = qs_view_latest(run, x, QS_VIEW_CONSENSUS,
		    "etcdctl member list");
		for (j = i + 1; j < run->nodes.n; j++) {
			y = run->nodes.v[j];
			cy = qs_etcd_setting(an, y, "etcd.status.cluster_id");
			ly = qs_etcd_setting(an, y, "etcd.status.leader");
			my = qs_view_latest(run, y, QS_VIEW_CONSENSUS,
			    "etcdctl member list");
			if (cy == NULL || ly == NULL || strcmp(cx, cy) != 0 ||
			    strcmp(lx, ly) == 0 || mx == NULL || my == NULL ||
			    (es_view_member(mx, ly) != NULL &&
			    es_view_member(my, lx) != NULL))
				continue;
			seen[nseen++] = cx;
			es_setting_u64(an, x, "etcd.status.raft_index", &ix);
			es_setting_u64(an, y, "etcd.status.raft_index", &iy);
			f = qs_finding_new(an, rule, "etcd cluster %s has two "
			    "leaders: %s follows %s, %s follows %s", cx,
			    x->name, lx, y->name, ly);
			qs_finding_node(f, x);
			qs_finding_node(f, y);
			qs_finding_evidence(f, &qs_setting_get(run, x,
			    QS_SYS_ETCD, "etcd.status.leader")->ev);
			qs_finding_evidence(f, &qs_setting_get(run, y,
			    QS_SYS_ETCD, "etcd.status.leader")->ev);
			qs_finding_evidence(f, &mx->ev);
			qs_finding_evidence(f, &my->ev);
			qs_finding_fact(an, f, "`etcdctl endpoint status` on "
			    "%s (cluster %s) names leader %s at raft index %"
			    PRIu64 "; on %s (the same cluster ID) it names "
			    "leader %s at raft index %" PRIu64 ".", x->name, cx,
			    lx, ix, y->name, ly, iy);
			qs_finding_fact(an, f, "%s's member list has %zu "
			    "member%s, %s's %zu; %s: the two are not one raft "
			    "group but two, each with its own leader.", x->name,
			    mx->members.n, mx->members.n == 1 ? "" : "s",
			    y->name, my->members.n,
			    es_view_member(mx, ly) == NULL ? qs_arena_printf(
			    &run->arena, "%s is not in %s's list", ly,
			    x->name) : qs_arena_printf(&run->arena, "%s is not "
			    "in %s's list", lx, y->name));
			keep = ix >= iy ? x : y;
			lose = keep == x ? y : x;
			qs_finding_step(an, f, "Keep the side of %s (raft "
			    "index %" PRIu64 ", the higher); save the other "
			    "side's data first: `etcdctl --endpoints=<client "
			    "URL of %s> snapshot save other-side.db`.",
			    keep->name, ix >= iy ? ix : iy, lose->name);
			qs_finding_step(an, f, "Stop etcd on every member of "
			    "%s's side, move their data dirs aside (`mv "
			    "/var/lib/etcd /var/lib/etcd.split-brain`), and on "
			    "%s `etcdctl member remove`/`member add` each of "
			    "them; start them with "
			    "ETCD_INITIAL_CLUSTER_STATE=existing, one at a "
			    "time.", lose->name, keep->name);
			break;
		}
	}
}

static void
rule_etcd_split_brain(struct qs_analysis *an, const struct qs_rule *rule)
{
	struct qs_run		*run = an->run;
	struct qs_node		*all[ES_MAX_NODES], *a_side[ES_MAX_NODES];
	struct qs_node		*b_side[ES_MAX_NODES], *ref, *keep_node;
	struct qs_node		*const *keep, *const *lose;
	struct qs_finding	*f;
	struct es_fork		 fk, fk1;
	const struct qs_setting	*s;
	const char		*cid, *c, *klabel, *llabel, *ep;
	uint64_t		 best_a = 0, best_b = 0, x;
	int64_t			 a0, a1, b0, b1;
	size_t			 nall = 0, na, nb, i, j, nkeep, nlose;
	size_t			 done = 0, nfound = 0;
	const char		*found[ES_MAX_NODES];
	char			 ta[40], tb[40];

	for (i = 0; i < run->nodes.n && nall < ES_MAX_NODES; i++)
		if (qs_etcd_setting(an, run->nodes.v[i], "etcd.wal.tail") != NULL &&
		    qs_etcd_setting(an, run->nodes.v[i], "etcd.cluster_id") != NULL)
			all[nall++] = run->nodes.v[i];
	/* One finding per cluster ID; the first member found is side A. */
	while (done < nall) {
		ref = all[done];
		cid = qs_etcd_setting(an, ref, "etcd.cluster_id");
		na = nb = 0;
		memset(&fk, 0, sizeof(fk));
		for (i = done; i < nall; i++) {
			c = qs_etcd_setting(an, all[i], "etcd.cluster_id");
			if (strcmp(c, cid) != 0)
				continue;
			if (all[i] != ref && es_split(an, ref, all[i], &fk1)) {
				b_side[nb++] = all[i];
				if (fk.index == 0 || fk1.index < fk.index)
					fk = fk1;
			} else
				a_side[na++] = all[i];
		}
		/* Move this cluster's members behind `done`. */
		for (i = done; i < nall; i++) {
			if (strcmp(qs_etcd_setting(an, all[i], "etcd.cluster_id"),
			    cid) != 0)
				continue;
			ref = all[i];
			all[i] = all[done];
			all[done++] = ref;
		}
		if (nb == 0)
			continue;
		found[nfound++] = cid;
		best_a = best_b = 0;
		for (i = 0; i < na; i++)
			if ((x = es_applied(an, a_side[i])) > best_a)
				best_a = x;
		for (i = 0; i < nb; i++)
			if ((x = es_applied(an, b_side[i])) > best_b)
				best_b = x;
		f = qs_finding_new(an, rule, "etcd cluster %s has two "
		    "histories: %s and %s diverge at entry %" PRIu64, cid,
		    es_names(an, a_side, na), es_names(an, b_side, nb),
		    fk.index);
		for (i = 0; i < na; i++)
			qs_finding_node(f, a_side[i]);
		for (i = 0; i < nb; i++)
			qs_finding_node(f, b_side[i]);
		qs_finding_fact(an, f, "All of them carry cluster ID %s in "
		    "their WAL metadata, yet side A (%s) and side B (%s) hold "
		    "different entries at index %" PRIu64 " (term %" PRIu64 " "
		    "on side A, term %" PRIu64 " on side B%s).", cid,
		    es_names(an, a_side, na), es_names(an, b_side, nb),
		    fk.index, fk.term_a, fk.term_b, fk.same_term ? ": the same "
		    "term with different contents, which only a rewritten log "
		    "such as --force-new-cluster produces" : "");
		for (j = 0; j < 2; j++) {
			struct qs_node	*const *side = j == 0 ? a_side : b_side;
			size_t		 n = j == 0 ? na : nb;

			for (i = 0; i < n; i++) {
				const struct qs_view	*v;
				uint64_t		 t, cm;

				es_setting_u64(an, side[i],
				    "etcd.hardstate.term", &t);
				es_setting_u64(an, side[i],
				    "etcd.hardstate.commit", &cm);
				s = qs_setting_get(run, side[i], QS_SYS_ETCD,
				    "etcd.hardstate.commit");
				if (s != NULL)
					qs_finding_evidence(f, &s->ev);
				v = qs_view_latest(run, side[i],
				    QS_VIEW_CONSENSUS, "etcd WAL membership");
				qs_finding_fact(an, f, "Side %s: %s (member "
				    "%s) has committed up to entry %" PRIu64 " "
				    "at term %" PRIu64 ", applied %" PRIu64 "; "
				    "its WAL membership has %zu member%s.", j ==
				    0 ? "A" : "B", side[i]->name, qs_etcd_setting(an,
				    side[i], "etcd.member_id"), cm, t,
				    es_applied(an, side[i]), v != NULL ?
				    v->members.n : 0, v != NULL && v->members.n
				    == 1 ? "" : "s");
			}
		}
		for (j = 0; j < 2; j++) {
			struct qs_node	*const *side = j == 0 ? a_side : b_side;
			size_t		 n = j == 0 ? na : nb, in = 0;
			const struct qs_view *v = qs_view_latest(run, side[0],
			    QS_VIEW_CONSENSUS, "etcd WAL membership");

			if (v == NULL || v->members.n == 0)
				continue;
			for (i = 0; i < n; i++)
				if (es_view_member(v, qs_etcd_setting(an, side[i],
				    "etcd.member_id")) != NULL)
					in++;
			qs_finding_fact(an, f, "Side %s holds %zu of the %zu "
			    "voters of its own membership%s.", j == 0 ? "A" :
			    "B", in, v->members.n, 2 * in > v->members.n ?
			    ": a quorum, so it could elect leaders and commit "
			    "on its own" : "");
		}
		for (i = 0; i < run->nodes.n; i++) {
			const struct qs_setting *fnc = qs_setting_get(run,
			    run->nodes.v[i], QS_SYS_ETCD,
			    "etcd.log.force_new_cluster");

			if (!qs_setting_true(fnc))
				continue;
			qs_finding_evidence(f, &fnc->ev);
			qs_finding_fact(an, f, "%s was started with "
			    "--force-new-cluster (log line %" PRIu64 "): it "
			    "rewrote its membership to itself alone while the "
			    "other members still held the old one.",
			    ((struct qs_node *)run->nodes.v[i])->name,
			    fnc->ev.line);
		}
		es_side_leaders(an, f, a_side, na, "A", fk.term_a, &a0, &a1);
		es_side_leaders(an, f, b_side, nb, "B", fk.term_b, &b0, &b1);
		if (a0 != INT64_MIN && b0 != INT64_MIN && a0 <= b1 && b0 <= a1)
			qs_finding_fact(an, f, "Both sides had a leader at the "
			    "same time (side A from %s, side B from %s, until "
			    "their last log lines): both accepted writes at "
			    "once.", qs_time_format(&(struct qs_time){ 1, 1, a0
			    }, ta, sizeof(ta)), qs_time_format(&(struct
			    qs_time){
			    1, 1, b0 }, tb, sizeof(tb)));
		/* Keep the side with more applied; a tie goes to the larger. */
		if (best_a > best_b || (best_a == best_b && na >= nb)) {
			keep = a_side, nkeep = na, lose = b_side, nlose = nb;
			klabel = "A", llabel = "B";
		} else {
			keep = b_side, nkeep = nb, lose = a_side, nlose = na;
			klabel = "B", llabel = "A";
		}
		keep_node = keep[0];
		for (i = 1; i < nkeep; i++)
			if (es_applied(an, keep[i]) > es_applied(an, keep_node))
				keep_node = keep[i];
		qs_finding_fact(an, f, "Side %s has the newer data (applied "
		    "index %" PRIu64 " against %" PRIu64 "); writes "
		    "acknowledged on side %s after entry %" PRIu64 " exist "
		    "only there.", klabel, best_a > best_b ? best_a : best_b,
		    best_a > best_b ? best_b : best_a, llabel, fk.index);
		qs_finding_step(an, f, "Keep side %s (%s): it has applied the "
		    "most entries (index %" PRIu64 " on %s).", klabel,
		    es_names(an, keep, nkeep), es_applied(an, keep_node),
		    keep_node->name);
		ep = qs_etcd_setting(an, lose[0], "etcd.status.endpoint");
		qs_finding_step(an, f, "Before stopping side %s, save what "
		    "only it has: `etcdctl --endpoints=%s%s%s snapshot save "
		    "side-%s.db` and `etcdctl --endpoints=%s%s%s get \"\" "
		    "--prefix -w json > side-%s.json`, to re-apply the writes "
		    "it accepted after the split by hand.", llabel, ep != NULL ?
		    ep : "<client URL of ", ep != NULL ? "" : lose[0]->name, ep
		    != NULL ? "" : ">", llabel, ep != NULL ? ep : "<client URL "
		    "of ", ep != NULL ? "" : lose[0]->name, ep != NULL ? "" :
		    ">", llabel);
		for (i = 0; i < nlose; i++)
			qs_finding_step(an, f, "On %s: `systemctl stop etcd`, "
			    "then move its data dir aside: `mv /var/lib/etcd "
			    "/var/lib/etcd.split-brain` (%s in the bundle).",
			    lose[i]->name, es_data_dir(an, lose[i]));
		for (i = 0; i < nlose; i++) {
			const struct qs_member	*self = es_self(an, lose[i]);
			const char		*id = qs_etcd_setting(an, lose[i],
			    "etcd.member_id");
			const char		*name = self != NULL &&
			    self->name != NULL ? self->name : lose[i]->name;
			const struct qs_view	*kv = qs_view_latest(run,
			    keep_node, QS_VIEW_CONSENSUS,
			    "etcd WAL membership");

			if (es_view_member(kv, id) != NULL)
				qs_finding_step(an, f, "On %s: `etcdctl member "
				    "remove %s` (%s's old entry).",
				    keep_node->name, id, name);
			qs_finding_step(an, f, "On %s: `etcdctl member add %s "
			    "--peer-urls=%s`; then start %s with its empty "
			    "data dir, ETCD_INITIAL_CLUSTER_STATE=existing and "
			    "the ETCD_INITIAL_CLUSTER that member add prints "
			    "(/etc/default/etcd); wait for it to be healthy "
			    "before the next one.", keep_node->name, name,
			    self != NULL && self->address != NULL ?
			    self->address : "<its peer URL>", lose[i]->name);
		}
		qs_finding_step(an, f, "Never run --force-new-cluster while "
		    "the other members may still be running: stop them first, "
		    "or they go on as a second cluster under the same ID.");
	}
	es_status_split(an, rule, found, nfound);
}

/* X and Y of "tocommit(X) is out of range [lastIndex(Y)]". */
static int
es_tocommit(const char *s, uint64_t *x, uint64_t *y)
{
	const char	*p, *q;
	size_t		 n;

	if (s == NULL || (p = strstr(s, "tocommit(")) == NULL)
		return -1;
	p += strlen("tocommit(");
	n = strspn(p, "0123456789");
	if (n == 0 || n > 20 || p[n] != ')' ||
	    qs_parse_dec_u64(p, n, x) != 0)
		return -1;
	if ((q = strstr(p + n, "lastIndex(")) == NULL)
		return -1;
	q += strlen("lastIndex(");
	n = strspn(q, "0123456789");
	if (n == 0 || n > 20 || qs_parse_dec_u64(q, n, y) != 0)
		return -1;
	return 0;
}

static void
rule_etcd_follower_behind(struct qs_analysis *an, const struct qs_rule *rule)
{
	struct qs_run		*run = an->run;
	struct qs_node		*done[ES_MAX_NODES], *node, *lead;
	struct qs_finding	*f;
	const struct qs_member	*self;
	const struct qs_setting	*ws;
	const char		*id, *name;
	uint64_t		 x, y, last, best;
	size_t			 ndone = 0, i, j;
	char			 t[40];

	for (i = 0; i < run->signals.n; i++) {
		const struct qs_signal	*s = run->signals.v[i];

		if (s->kind != QS_SIG_COMMIT_OUT_OF_RANGE ||
		    s->system != QS_SYS_ETCD || (node = s->observer) == NULL)
			continue;
		for (j = 0; j < ndone && done[j] != node; j++)
			continue;
		if (j < ndone || ndone == ES_MAX_NODES)
			continue;
		done[ndone++] = node;
		id = qs_etcd_setting(an, node, "etcd.member_id");
		self = es_self(an, node);
		name = self != NULL && self->name != NULL ? self->name :
		    node->name;
		if (es_tocommit(s->ev.excerpt, &x, &y) != 0) {
			/* The excerpt was cut before the numbers. */
			f = qs_finding_new(an, rule, "etcd member %s lost log "
			    "entries: the leader's commit is beyond its last "
			    "index", node->name);
			qs_finding_fact(an, f, "%s panicked with \"tocommit(X) "
			    "is out of range [lastIndex(Y)]\" (log line %"
			    PRIu64 "): the leader's heartbeat carried a commit "
			    "index this member had acknowledged, beyond the "
			    "end of its log.", node->name, s->ev.line);
			y = UINT64_MAX;
		} else {
			f = qs_finding_new(an, rule, "etcd member %s lost log "
			    "entries: the leader's commit %" PRIu64 " is "
			    "beyond its last index %" PRIu64, node->name, x, y);
			qs_finding_fact(an, f, "%s%s%s%s panicked%s%s: "
			    "\"tocommit(%" PRIu64 ") is out of range "
			    "[lastIndex(%" PRIu64 ")]\" (log line %" PRIu64
			    "). The leader's heartbeat carried commit index %"
			    PRIu64 ", which this member had acknowledged, but "
			    "its log ends at %" PRIu64 ".", node->name, id !=
			    NULL ? " (member " : "", id != NULL ? id : "", id !=
			    NULL ? ")" : "", s->time.set ? " at " : "",
			    s->time.set ? qs_time_format(&s->time, t, sizeof(t))
			    : "", x, y, s->ev.line, x, y);
		}
		qs_finding_node(f, node);
		qs_finding_evidence(f, &s->ev);
		ws = qs_setting_get(run, node, QS_SYS_ETCD,
		    "etcd.wal.last_index");
		if (ws != NULL && y != UINT64_MAX && es_setting_u64(an, node,
		    "etcd.wal.last_index", &last)) {
			qs_finding_evidence(f, &ws->ev);
			if (last == y)
				qs_finding_fact(an, f, "Its WAL in the bundle "
				    "ends at entry %" PRIu64 " too: entries %"
				    PRIu64 "-%" PRIu64 " are missing from its "
				    "disk (a data dir restored from an old "
				    "copy, or writes the disk lost).", last, y +
				    1, x);
			else
				qs_finding_fact(an, f, "Its WAL in the bundle "
				    "ends at entry %" PRIu64 " (the panic "
				    "reported %" PRIu64 "): the data dir was "
				    "changed again after the panic.", last, y);
		}
		lead = NULL;
		best = 0;
		for (j = 0; j < run->nodes.n; j++) {
			struct qs_node	*o = run->nodes.v[j];
			uint64_t	 c;

			if (o == node || !es_setting_u64(an, o,
			    "etcd.hardstate.commit", &c))
				continue;
			if (lead == NULL || c > best) {
				lead = o;
				best = c;
			}
		}
		if (lead != NULL) {
			ws = qs_setting_get(run, lead, QS_SYS_ETCD,
			    "etcd.hardstate.commit");
			qs_finding_evidence(f, &ws->ev);
			qs_finding_fact(an, f, "%s's HardState has commit %"
			    PRIu64 ": the cluster went on without %s.",
			    lead->name, best, node->name);
		}
		qs_finding_fact(an, f, "etcd cannot repair this: raft refuses "
		    "a log shorter than what the member promised, so it panics "
		    "at every start.");
		qs_finding_step(an, f, "On %s: `systemctl stop etcd` (it "
		    "crash-loops), then move its data dir aside: `mv "
		    "/var/lib/etcd /var/lib/etcd.behind` (%s in the bundle).",
		    node->name, es_data_dir(an, node));
		qs_finding_step(an, f, "On a healthy member%s%s: `etcdctl "
		    "member remove %s`, then `etcdctl member add %s "
		    "--peer-urls=%s`.", lead != NULL ? " such as " : "", lead !=
		    NULL ? lead->name : "", id != NULL ? id : "<id>", name, self
		    != NULL && self->address != NULL ? self->address : "<its "
		    "peer URL>");
		qs_finding_step(an, f, "Start %s with an empty data dir and "
		    "ETCD_INITIAL_CLUSTER_STATE=existing (and the "
		    "ETCD_INITIAL_CLUSTER member add printed) in "
		    "/etc/default/etcd; it receives a snapshot from the "
		    "leader.", node->name);
	}
}

/* The sorted member ids of a view as "a,b,c"; "" for none. */
static const char *
es_ids(struct qs_analysis *an, const struct qs_view *v)
{
	const char	*ids[ES_MAX_NODES], *tmp, *out = "";
	size_t		 n = 0, i, j;

	for (i = 0; v != NULL && i < v->members.n && n < ES_MAX_NODES; i++) {
		const struct qs_member	*m = v->members.v[i];

		if (m->id != NULL)
			ids[n++] = m->id;
	}
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && strcmp(ids[j - 1], ids[j]) > 0; j--) {
			tmp = ids[j];
			ids[j] = ids[j - 1];
			ids[j - 1] = tmp;
		}
	for (i = 0; i < n; i++)
		out = qs_arena_printf(&an->run->arena, "%s%s%s", out,
		    i > 0 ? "," : "", ids[i]);
	return out;
}

/*
 * A restored member's copy is explained: a snapshot restore carries the
 * old cluster's entries (members a leftover of the node lists and its
 * live WAL does not) into the new backend (its saveDB "deletes" them
 * through the mvcc key space, not the members bucket: etcd-io/etcd
 * etcdutl/snapshot v3_snapshot.go, clientv3/snapshot in 3.4), and etcd
 * 3.4 adds a restored member there only once it publishes itself.  True when `v` has such
 * entries and lists no other member the WAL does not
 * (rule-etcd-operator.c reports the restore).
 */
static int
es_restored_copy(struct qs_analysis *an, const struct qs_node *node,
    const struct qs_view *v, const struct qs_view *wal)
{
	size_t	i, left = 0;

	for (i = 0; v != NULL && i < v->members.n; i++) {
		const struct qs_member	*m = v->members.v[i];

		if (m->id == NULL)
			continue;
		if (qs_etcd_left_member(an->whole, node, m->id))
			left++;
		else if (es_view_member(wal, m->id) == NULL)
			return 0;
	}
	return left > 0;
}

/* The index a view describes, or 0 when it has none. */
static uint64_t
es_view_index(const struct qs_view *v)
{
	return v != NULL && (v->clock.set & QS_CLOCK_INDEX) ? v->clock.index :
	    0;
}

struct es_copy {
	const char		*what;		/* "backend members bucket" */
	const char		*rwhat;		/* where it keeps removed ids */
	const struct qs_view	*members;
	const struct qs_view	*removed;
};

static void
es_store_fact(struct qs_analysis *an, struct qs_finding *f,
    const struct es_copy *c)
{
	qs_finding_evidence(f, &c->members->ev);
	qs_finding_fact(an, f, "Its %s (index %" PRIu64 ") lists %s%s%s.",
	    c->what, es_view_index(c->members),
	    *es_ids(an, c->members) != '\0' ? es_ids(an, c->members) :
	    "no member", c->removed != NULL && c->removed->members.n > 0 ?
	    "; removed: " : "", c->removed != NULL &&
	    c->removed->members.n > 0 ? es_ids(an, c->removed) : "");
}

/* Our WAL decoder stopped at damage in this member's WAL. */
static int
es_wal_damaged(const struct qs_run *run, const struct qs_node *node)
{
	size_t	i;

	for (i = 0; i < run->signals.n; i++) {
		const struct qs_signal	*g = run->signals.v[i];

		if (g->observer == node && g->kind == QS_SIG_DATA_DAMAGE &&
		    g->ev.artifact != NULL && g->ev.artifact->kind != NULL &&
		    strcmp(g->ev.artifact->kind->name, "etcd.wal") == 0)
			return 1;
	}
	return 0;
}

static void
rule_etcd_store_differ(struct qs_analysis *an, const struct qs_rule *rule)
{
	struct qs_run		*run = an->run;
	struct es_copy		 c[3];
	struct qs_finding	*f;
	const struct qs_member	*self;
	const char		*stale[3], *why[3];
	size_t			 i, j, k, l, nstale;
	uint64_t		 wl, ws;
	int			 foreign;

	for (i = 0; i < run->nodes.n; i++) {
		struct qs_node	*node = run->nodes.v[i];

		foreign = 0;
		c[0].what = "WAL membership";
		c[0].rwhat = NULL;
		c[0].members = qs_view_latest(run, node, QS_VIEW_CONSENSUS,
		    "etcd WAL membership");
		c[0].removed = NULL;
		c[1].what = "backend members bucket";
		c[1].rwhat = "backend members_removed bucket";
		c[1].members = qs_view_latest(run, node, QS_VIEW_CONSENSUS,
		    "etcd backend members");
		c[1].removed = qs_view_latest(run, node, QS_VIEW_CONSENSUS,
		    "etcd backend removed members");
		c[2].what = "v2 store in the newest .snap";
		c[2].rwhat = "v2 store's /0/removed_members";
		c[2].members = qs_view_latest(run, node, QS_VIEW_CONSENSUS,
		    "etcd v2 store membership");
		c[2].removed = qs_view_latest(run, node, QS_VIEW_CONSENSUS,
		    "etcd v2 store removed members");
		nstale = 0;
		/*
		 * A removed ID never comes back: a copy at or past the index
		 * of one that has the member removed must not list it.
		 */
		for (j = 0; j < 3; j++)
			for (k = 1; k < 3 && c[j].members != NULL; k++) {
				if (c[k].removed == NULL ||
				    es_view_index(c[j].members) <
				    es_view_index(c[k].removed))
					continue;
				for (l = 0; l < c[j].members->members.n; l++) {
					const struct qs_member *m =
					    c[j].members->members.v[l];

					if (es_view_member(c[k].removed,
					    m->id) == NULL || nstale == 3)
						continue;
					stale[nstale] = c[j].what;
					why[nstale++] = qs_arena_printf(
					    &run->arena, "it lists member %s, "
					    "which the %s (index %" PRIu64 ") "
					    "has as removed, and a removed ID "
					    "never comes back", m->id,
					    c[k].rwhat,
					    es_view_index(c[k].removed));
					break;
				}
			}
		/* A copy at or past the WAL's last change must match it. */
		for (k = 1; k < 3 && c[0].members != NULL; k++) {
			if (c[k].members == NULL || nstale == 3 ||
			    es_view_index(c[k].members) <
			    es_view_index(c[0].members) ||
			    strcmp(es_ids(an, c[k].members),
			    es_ids(an, c[0].members)) == 0 ||
			    es_restored_copy(an, node, c[k].members,
			    c[0].members))
				continue;
			for (j = 0; j < nstale && stale[j] != c[k].what; j++)
				continue;
			if (j < nstale)
				continue;
			stale[nstale] = c[k].what;
			why[nstale++] = qs_arena_printf(&run->arena, "it is at "
			    "index %" PRIu64 ", past the WAL's last membership "
			    "change (entry %" PRIu64 "), yet lists other "
			    "members", es_view_index(c[k].members),
			    es_view_index(c[0].members));
		}
		/*
		 * A backend ahead of the member's own log was copied; unless
		 * the WAL is damaged, when its readable end is not its end
		 * (etcd-data-corruption says so).
		 */
		if (c[1].members != NULL && nstale < 3 &&
		    !es_wal_damaged(an->run, node) &&
		    es_setting_max(an, node, "etcd.wal.last_index", &wl)) {
			es_setting_max(an, node, "etcd.wal.snapshot_index",
			    &ws);
			if (ws > wl)
				wl = ws;
			if (es_view_index(c[1].members) > wl) {
				foreign = 1;
				for (j = 0; j < nstale && stale[j] != c[1].what;
				    j++)
					continue;
				if (j == nstale) {
					stale[nstale] = c[1].what;
					why[nstale++] = "see its consistent "
					    "index";
				}
			}
		}
		if (nstale == 0)
			continue;
		f = qs_finding_new(an, rule, "etcd member %s's copies of the "
		    "membership disagree: its %s is stale or foreign",
		    node->name, stale[0]);
		qs_finding_node(f, node);
		if (foreign)
			qs_finding_fact(an, f, "Its backend has applied "
			    "entries up to %" PRIu64 ", beyond the end of its "
			    "own WAL (entry %" PRIu64 "): a member's backend "
			    "never runs ahead of its log, so this backend was "
			    "written by another member and copied here.",
			    es_view_index(c[1].members), wl);
		for (j = 0; j < 3; j++)
			if (c[j].members != NULL)
				es_store_fact(an, f, &c[j]);
		for (j = 0; j < nstale; j++)
			if (strcmp(why[j], "see its consistent index") != 0)
				qs_finding_fact(an, f, "The %s is stale or "
				    "foreign: %s.", stale[j], why[j]);
		qs_finding_fact(an, f, "On restart etcd 3.4 rebuilds the "
		    "membership from the v2 store (the .snap, then the WAL "
		    "entries after it); 3.5 and later read the backend's "
		    "members and members_removed buckets. Whichever copy the "
		    "running version reads decides who %s talks to: a removed "
		    "member can come back this way.", node->name);
		qs_finding_step(an, f, "Do not restart %s on this data dir. "
		    "`systemctl stop etcd` there and move the data dir aside: "
		    "`mv /var/lib/etcd /var/lib/etcd.inconsistent` (%s in the "
		    "bundle).", node->name, es_data_dir(an, node));
		self = es_self(an, node);
		qs_finding_step(an, f, "If the cluster has a healthy quorum: "
		    "on a healthy member, `etcdctl member remove %s` (if it is "
		    "still listed) and `etcdctl member add %s --peer-urls=%s`, "
		    "then start %s with an empty data dir and "
		    "ETCD_INITIAL_CLUSTER_STATE=existing.", qs_etcd_setting(an, node,
		    "etcd.member_id") != NULL ? qs_etcd_setting(an, node,
		    "etcd.member_id") : "<id>", self != NULL && self->name !=
		    NULL ? self->name : node->name, self != NULL &&
		    self->address != NULL ? self->address : "<peer URL>",
		    node->name);
		qs_finding_step(an, f, "If this is the last copy of the data: "
		    "`etcdctl snapshot restore <backend db or snapshot> "
		    "--skip-hash-check --initial-cluster <the members you "
		    "want> --data-dir /var/lib/etcd`, which writes one "
		    "membership into every copy, then start the members with "
		    "ETCD_INITIAL_CLUSTER_STATE=new.");
	}
}

const struct qs_rule qs_rule_etcd_split_brain = {
	.id = "etcd-split-brain",
	.kind = "split-brain",
	.level = QS_LEVEL_ERROR,
	.system = QS_SYS_ETCD,
	.title = "two etcd histories under one cluster ID",
	.explanation = "Members of one cluster ID hold different committed "
	    "entries at the same log index: each side elected leaders and "
	    "accepted writes on its own (typically --force-new-cluster on one "
	    "member while the others were only cut off). The sides can never "
	    "merge; one side's writes after the split must be given up.",
	.remediation = "Keep the side with the newer data, save and stop the "
	    "other side, move its data dirs aside, member remove/add its "
	    "members and restart them with --initial-cluster-state existing.",
	.check = rule_etcd_split_brain,
};

const struct qs_rule qs_rule_etcd_follower_behind = {
	.id = "etcd-follower-behind",
	.kind = "data-corruption",
	.level = QS_LEVEL_ERROR,
	.system = QS_SYS_ETCD,
	.title = "an etcd member's log lost entries it had acknowledged",
	.explanation = "A member whose WAL ends before the commit index the "
	    "leader knows it acknowledged panics with \"tocommit(X) is out "
	    "of range [lastIndex(Y)]\" at every start: its data dir was "
	    "restored from an old copy, or its disk lost writes.",
	.remediation = "Stop the member, remove it from the cluster, move its "
	    "data dir aside, add it back and start it empty with "
	    "--initial-cluster-state existing.",
	.check = rule_etcd_follower_behind,
};

const struct qs_rule qs_rule_etcd_store_differ = {
	.id = "etcd-store-differ",
	.kind = "inconsistent-config",
	.level = QS_LEVEL_WARNING,
	.system = QS_SYS_ETCD,
	.title = "an etcd member's WAL, backend and v2 store disagree on the "
	    "membership",
	.explanation = "etcd keeps the membership three times: in the WAL, in "
	    "the backend (members, members_removed) and in the v2 store of "
	    "the .snap files. A copy that disagrees where it must agree was "
	    "replaced or restored on its own (a backend copied from another "
	    "member, an old .snap): restarting reads the stale copy, and "
	    "removed members come back.",
	.remediation = "Do not restart the member on that data dir; rebuild "
	    "it (member remove/add, empty data dir) or restore one consistent "
	    "snapshot.",
	.check = rule_etcd_store_differ,
};
