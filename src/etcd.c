/*
 * etcd facts, built once per cluster (the members of one cluster ID,
 * cluster.c) before its rules run: every member with files in the bundle
 * (its member ids, how much raft log it holds), every member id the
 * memberships name (learners, members added and never started), the
 * cluster's timing, and its history (liveness, leadership by term,
 * voters over time) that the quorum and split-brain rules reason from.
 *
 * Read from the model, as etcd 3.4 and 3.5 write it (etcd-io/etcd,
 * server/etcdserver and raft; formats.md 5.7, 5.8, 9):
 *
 *   liveness     a member's own start ("starting an etcd server", "etcd
 *                Version:") and stop lines (the signal it got, "closed
 *                etcd server"), fatal and panic lines, every other line
 *                it logged; the lines a member logs between its stop
 *                signal and its exit (leadership transfer, streams
 *                closed) are the stop itself, not a sign of life.  Peers'
 *                "peer ID became inactive" / "became active" (rafthttp)
 *                bound a crash that left no line; a complaint by a
 *                member that is shutting down itself (within
 *                ETCD_STOP_MS) says nothing of the peer.  etcdctl
 *                endpoint health / status at collection (probe.c).
 *   leadership   "ID became leader at term N", "elected leader ID at term
 *                N" open a term; "lost leader", check-quorum's "stepped
 *                down to follower since quorum is not active" end it;
 *                candidates and pre-candidates say there is no leader.
 *   voters       membership changes the logs date ("added member ID",
 *                "removed member ID"; a removed ID never comes back, so
 *                the replays of a restart change nothing); the bootstrap
 *                members (the first batch the earliest log applied) from
 *                the beginning; the WAL, backend and `etcdctl member
 *                list` memberships for members no log dates.  Learners
 *                (IS LEARNER, AddLearnerNode) do not count.  A voter that
 *                no member of the bundle is, whose name no membership
 *                knows (etcd fills it in when the member first publishes
 *                itself) and that no peer ever reached, was added and
 *                never started: it counts in the majority and is down
 *                from its addition.
 *   timing       --election-timeout and --heartbeat-interval from the
 *                configuration or the log (defaults 1000 ms and 100 ms,
 *                etcd's embed config); an election takes at most twice
 *                the election timeout (a follower's randomized timeout
 *                runs up to that), the bound past which a leaderless
 *                stretch with a majority up is reported.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "quorumscope.h"

#define ETCD_ELECTION_DEFAULT	1000	/* ms, etcd's default */
#define ETCD_HEARTBEAT_DEFAULT	100	/* ms, etcd's default */
#define ETCD_STOP_MS		2000	/* a stopping member's own complaints */
#define ETCD_BOOT_BATCH_MS	1000	/* one bootstrap's "added member" run */

/* One observation of a member's own, in time order. */
enum eobs_kind {
	EO_LINE,		/* any line of its own */
	EO_START,
	EO_STOP,
	EO_FATAL
};
struct eobs {
	enum eobs_kind		 kind;
	int64_t			 t;
	struct qs_time		 time;
	const struct qs_evidence *ev;
	const char		*why;
	const struct qs_event	*event;		/* leadership, or NULL */
	const struct qs_signal	*signal;	/* contact, or NULL */
};

static const char *
etcd_set(const struct qs_run *run, const struct qs_node *node,
    const char *key)
{
	const struct qs_setting	*s = qs_setting_get(run, node, QS_SYS_ETCD,
	    key);

	return s != NULL ? s->value : NULL;
}

static int
etcd_set_u64(const struct qs_run *run, const struct qs_node *node,
    const char *key, uint64_t *out)
{
	const char	*v = etcd_set(run, node, key);

	return v != NULL && qs_parse_dec_u64(v, strlen(v), out) == 0 ? 0 : -1;
}

/* The member id entry for `id`, created on first use. */
static struct qs_etcd_mid *
etcd_mid(struct qs_etcd *e, struct qs_arena *a, const char *id, int create)
{
	struct qs_etcd_mid	*x;
	size_t			 i;

	if (id == NULL)
		return NULL;
	for (i = 0; i < e->mids.n; i++) {
		x = e->mids.v[i];
		if (strcmp(x->id, id) == 0)
			return x;
	}
	if (!create)
		return NULL;
	x = qs_arena_alloc(a, sizeof(*x));
	x->id = qs_arena_strdup(a, id);
	qs_vec_push(&e->mids, x);
	return x;
}

/* The history member a text names: a node, a member id, or NULL. */
static struct qs_hmember *
etcd_member_named(const struct qs_etcd *e, const char *text,
    const struct qs_node *node)
{
	size_t	i;

	if (node != NULL)
		for (i = 0; i < e->srvs.n; i++) {
			const struct qs_etcd_srv *s = e->srvs.v[i];

			if (s->node == node)
				return s->member;
		}
	if (text == NULL)
		return NULL;
	for (i = 0; i < e->mids.n; i++) {
		const struct qs_etcd_mid	*x = e->mids.v[i];

		if (strcmp(x->id, text) == 0)
			return x->member;
	}
	return NULL;
}

struct qs_etcd_srv *
qs_etcd_srv_of(const struct qs_etcd *e, const struct qs_node *node)
{
	size_t	i;

	for (i = 0; e != NULL && i < e->srvs.n; i++)
		if (((struct qs_etcd_srv *)e->srvs.v[i])->node == node)
			return e->srvs.v[i];
	return NULL;
}

/* Every member of the cluster with files: its ids and its raft log. */
static void
etcd_srvs(struct qs_analysis *an, struct qs_etcd *e)
{
	struct qs_run	*run = an->run;
	size_t		 i, j;

	for (i = 0; i < run->nodes.n; i++) {
		struct qs_node		*node = run->nodes.v[i];
		struct qs_etcd_srv	*s;
		const struct qs_identity *id;
		const struct qs_setting	*st;

		if (!(node->systems & (1u << QS_SYS_ETCD)))
			continue;
		s = qs_arena_alloc(&run->arena, sizeof(*s));
		s->node = node;
		s->id = etcd_set(run, node, "etcd.member_id");
		if (s->id == NULL && (id = qs_node_ident(node,
		    QS_ID_MEMBER_ID, NULL)) != NULL)
			s->id = id->value;
		s->has_log = etcd_set_u64(run, node, "etcd.wal.last_index",
		    &s->last_index) == 0;
		(void)etcd_set_u64(run, node, "etcd.wal.last_term",
		    &s->last_term);
		(void)etcd_set_u64(run, node, "etcd.hardstate.commit",
		    &s->commit);
		(void)etcd_set_u64(run, node, "etcd.db.consistent_index",
		    &s->applied);
		if ((st = qs_setting_get(run, node, QS_SYS_ETCD,
		    "etcd.wal.last_index")) != NULL)
			s->log_ev = &st->ev;
		if (qs_setting_true(qs_setting_get(run, node, QS_SYS_ETCD,
		    "etcd.log.force_new_cluster")))
			s->forced = qs_setting_get(run, node, QS_SYS_ETCD,
			    "etcd.log.force_new_cluster");
		qs_vec_push(&e->srvs, s);
		/* Every member id it was (a member re-added gets a new one). */
		for (j = 0; j < node->idents.n; j++) {
			const struct qs_identity *x = node->idents.v[j];

			if (x->kind == QS_ID_MEMBER_ID)
				etcd_mid(e, &run->arena, x->value, 1)->srv = s;
		}
		if (s->id != NULL)
			etcd_mid(e, &run->arena, s->id, 1)->srv = s;
	}
}

/*
 * Does the observer belong to the cluster the history is of?  A member
 * that bootstrapped a cluster of its own (another cluster ID in its WAL)
 * names members of that other cluster: not voters of this one.
 */
static int
etcd_same_cluster(const struct qs_run *run, const struct qs_etcd *e,
    const struct qs_node *observer)
{
	const char	*cid;

	if (e->cluster_id == NULL || observer == NULL)
		return 1;
	cid = etcd_set(run, observer, "etcd.cluster_id");
	return cid == NULL || strcmp(cid, e->cluster_id) == 0;
}

/* The ids the memberships and membership changes name. */
static void
etcd_mids(struct qs_analysis *an, struct qs_etcd *e)
{
	struct qs_run	*run = an->run;
	size_t		 i, j, distinct;

	e->cluster_id = qs_etcd_majority_cluster(an, &distinct);
	for (i = 0; i < run->views.n; i++) {
		const struct qs_view	*v = run->views.v[i];
		int			 list;

		if (v->system != QS_SYS_ETCD || v->kind != QS_VIEW_CONSENSUS ||
		    !etcd_same_cluster(run, e, v->observer))
			continue;
		list = strcmp(v->source, "etcdctl member list") == 0;
		for (j = 0; j < v->members.n; j++) {
			const struct qs_member	*m = v->members.v[j];
			struct qs_etcd_mid	*x;

			if (m->id == NULL)
				continue;
			x = etcd_mid(e, &run->arena, m->id, 1);
			if (m->state == QS_MEMBER_REAPED) {
				x->removed_untimed = 1;
				continue;
			}
			if (m->name != NULL && m->name[0] != '\0')
				x->name = m->name;
			if (x->listed == NULL || list)
				x->listed = v;
			/*
			 * The member list at collection has the last word
			 * on learners, except for an unstarted member, which
			 * it lists without saying (etcdctl prints it, the
			 * parser keeps it as listed only).
			 */
			if (list)
				x->in_list = 1;
			if (list && m->state == QS_MEMBER_VOTER)
				x->list_voter = 1;
			if (m->state == QS_MEMBER_NONVOTER)
				x->learner = 1;
		}
	}
	for (i = 0; i < run->events.n; i++) {
		const struct qs_event	*ev = run->events.v[i];
		struct qs_etcd_mid	*x;

		if (ev->system != QS_SYS_ETCD || ev->subject == NULL ||
		    (ev->kind != QS_EV_MEMBER_ADD &&
		    ev->kind != QS_EV_MEMBER_REMOVE) ||
		    !etcd_same_cluster(run, e, ev->observer))
			continue;
		x = etcd_mid(e, &run->arena, ev->subject, 1);
		if (!ev->time.set) {
			if (ev->kind == QS_EV_MEMBER_ADD && ev->detail != NULL &&
			    strstr(ev->detail, "Learner") != NULL)
				x->learner = 1;
			if (ev->kind == QS_EV_MEMBER_REMOVE)
				x->removed_untimed = 1;
			continue;
		}
		if (ev->kind == QS_EV_MEMBER_ADD && (!x->has_added ||
		    ev->time.ms < x->added)) {
			x->has_added = 1;
			x->added = ev->time.ms;
			x->added_ev = &ev->ev;
		} else if (ev->kind == QS_EV_MEMBER_REMOVE &&
		    (!x->has_removed || ev->time.ms < x->removed)) {
			x->has_removed = 1;
			x->removed = ev->time.ms;
			x->removed_ev = &ev->ev;
		}
	}
	/* Promoted since: the member list says it votes. */
	for (i = 0; i < e->mids.n; i++) {
		struct qs_etcd_mid	*x = e->mids.v[i];

		if (x->list_voter)
			x->learner = 0;
	}
	/* The peers some member ever reached: they started. */
	for (i = 0; i < run->signals.n; i++) {
		const struct qs_signal	*g = run->signals.v[i];
		struct qs_etcd_mid	*x;

		if (g->system == QS_SYS_ETCD &&
		    g->kind == QS_SIG_PEER_REACHABLE && (x = etcd_mid(e,
		    &run->arena, g->subject, 0)) != NULL)
			x->reached = 1;
	}
}

/*
 * The members the earliest log applied in one run when it started: the
 * cluster's bootstrap (or what a log that starts late found), voters
 * from the beginning.
 */
static void
etcd_boot(struct qs_analysis *an, struct qs_etcd *e)
{
	struct qs_run		*run = an->run;
	const struct qs_event	*first = NULL;
	size_t			 i;

	for (i = 0; i < run->events.n; i++) {
		const struct qs_event	*ev = run->events.v[i];

		if (ev->system == QS_SYS_ETCD && ev->kind == QS_EV_MEMBER_ADD &&
		    ev->time.set && ev->subject != NULL &&
		    etcd_same_cluster(run, e, ev->observer) &&
		    (first == NULL || ev->time.ms < first->time.ms))
			first = ev;
	}
	if (first == NULL)
		return;
	for (i = 0; i < run->events.n; i++) {
		const struct qs_event	*ev = run->events.v[i];
		struct qs_etcd_mid	*x;

		if (ev->system == QS_SYS_ETCD && ev->kind == QS_EV_MEMBER_ADD &&
		    ev->time.set && ev->observer == first->observer &&
		    ev->time.ms - first->time.ms <= ETCD_BOOT_BATCH_MS &&
		    (x = etcd_mid(e, &run->arena, ev->subject, 0)) != NULL)
			x->boot = 1;
	}
}

static const char *
etcd_mid_label(struct qs_arena *a, const struct qs_etcd_mid *x)
{
	if (x->name != NULL)
		return qs_arena_printf(a, "%s (%s)", x->name, x->id);
	return qs_arena_printf(a, "member %s", x->id);
}

static int
etcd_cmp_i64(const void *a, const void *b)
{
	int64_t	x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* Is `x` a voter at `t` (INT64_MIN: before any dated change)? */
static int
etcd_voter_at(const struct qs_etcd_mid *x, int64_t t)
{
	if (x->learner || x->member == NULL)
		return 0;
	if (x->removed_untimed && !x->has_removed)
		return 0;
	if (x->has_added && !x->boot && (t == INT64_MIN || t < x->added))
		return 0;
	if (x->has_removed && t != INT64_MIN && t >= x->removed)
		return 0;
	return 1;
}

/* Adds a member once: the ids of one member (re-added) are one voter. */
static void
etcd_set_add(struct qs_vec *set, struct qs_hmember *m)
{
	size_t	i;

	for (i = 0; i < set->n; i++)
		if (set->v[i] == m)
			return;
	qs_vec_push(set, m);
}

/* The voter sets: one untimed, then one at every dated change. */
static void
etcd_voters(struct qs_analysis *an, struct qs_etcd *e)
{
	struct qs_history	*h = e->history;
	struct qs_vec		 set = { NULL, 0, 0 };
	int64_t			*b;
	size_t			 nb = 0, i, j;

	b = qs_xreallocarray(NULL, 2 * e->mids.n + 1, sizeof(*b));
	for (i = 0; i < e->mids.n; i++) {
		const struct qs_etcd_mid	*x = e->mids.v[i];

		if (x->has_added && !x->boot)
			b[nb++] = x->added;
		if (x->has_removed)
			b[nb++] = x->removed;
	}
	if (nb > 1)
		qsort(b, nb, sizeof(*b), etcd_cmp_i64);
	for (i = 0; i < e->mids.n; i++)
		if (etcd_voter_at(e->mids.v[i], INT64_MIN))
			etcd_set_add(&set, ((struct qs_etcd_mid *)
			    e->mids.v[i])->member);
	if (set.n > 0)
		qs_history_voters(h, &set, NULL, NULL, "etcd membership");
	for (j = 0; j < nb; j++) {
		struct qs_time			 t = { 1, 1, b[j] };
		const struct qs_evidence	*ev = NULL;

		if (j > 0 && b[j] == b[j - 1])
			continue;
		qs_vec_free(&set);
		for (i = 0; i < e->mids.n; i++) {
			const struct qs_etcd_mid	*x = e->mids.v[i];

			if (etcd_voter_at(x, b[j]))
				etcd_set_add(&set, x->member);
			if (x->has_added && x->added == b[j] && ev == NULL)
				ev = x->added_ev;
			if (x->has_removed && x->removed == b[j] && ev == NULL)
				ev = x->removed_ev;
		}
		qs_history_voters(h, &set, &t, ev, "etcd membership change "
		    "in the logs");
	}
	qs_vec_free(&set);
	free(b);
	(void)an;
}

static int
etcd_cmp_eobs(const void *a, const void *b)
{
	const struct eobs	*x = *(const struct eobs *const *)a;
	const struct eobs	*y = *(const struct eobs *const *)b;

	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return (int)x->kind - (int)y->kind;
}

static struct eobs *
etcd_eobs(struct qs_arena *a, struct qs_vec *v, enum eobs_kind kind,
    const struct qs_time *t, const struct qs_evidence *ev)
{
	struct eobs	*o = qs_arena_alloc(a, sizeof(*o));

	o->kind = kind;
	o->time = *t;
	o->t = t->ms;
	o->ev = ev;
	qs_vec_push(v, o);
	return o;
}

/* Does the member stop within ETCD_STOP_MS after obs[i]? */
static int
etcd_stops_soon(const struct qs_vec *obs, size_t i)
{
	const struct eobs	*o = obs->v[i];
	size_t			 j;

	for (j = i + 1; j < obs->n; j++) {
		const struct eobs	*n = obs->v[j];

		if (n->t - o->t > ETCD_STOP_MS || n->kind == EO_START)
			return 0;
		if (n->kind == EO_STOP || n->kind == EO_FATAL)
			return 1;
	}
	return 0;
}

/*
 * raft's own lines ("raft2026/12/07 19:58:09 INFO: ...") carry whole
 * seconds: one at a whole second with a start line less than a second
 * after it is that boot's, its time cut, not a sign of the run before.
 */
static int
etcd_boot_line(const struct qs_vec *obs, size_t i)
{
	const struct eobs	*o = obs->v[i];
	size_t			 j;

	if (o->t % 1000 != 0)
		return 0;
	for (j = i + 1; j < obs->n; j++) {
		const struct eobs	*n = obs->v[j];

		if (n->t - o->t >= 1000)
			return 0;
		if (n->kind == EO_START)
			return 1;
	}
	return 0;
}

/* A fatal signal on the line of this stop event: the stop is that. */
static int
etcd_stop_is_fatal(const struct qs_run *run, const struct qs_event *ev)
{
	size_t	i;

	for (i = 0; i < run->signals.n; i++) {
		const struct qs_signal	*g = run->signals.v[i];

		if (g->kind == QS_SIG_FATAL && g->ev.artifact ==
		    ev->ev.artifact && g->ev.line == ev->ev.line)
			return 1;
	}
	return 0;
}

/*
 * Did the member that logged election `ev` win that election or a later
 * one within a second of it?  Then the campaign was how it came to lead.
 */
static int
etcd_led_since(const struct qs_run *run, const struct qs_event *ev,
    const struct qs_node *node)
{
	size_t	i;

	for (i = 0; i < run->events.n; i++) {
		const struct qs_event	*e = run->events.v[i];

		if (e->kind != QS_EV_LEADER_ELECTED || e->observer != node ||
		    !e->time.set || (e->subject_node != node &&
		    e->subject != NULL) || !(e->clock.set & QS_CLOCK_TERM))
			continue;
		if (e->clock.term >= ev->clock.term &&
		    e->time.ms >= ev->time.ms - 1000 &&
		    e->time.ms <= ev->time.ms + 1000)
			return 1;
	}
	return 0;
}

/* Leadership and contact of one timed line of a member's own. */
static void
etcd_feed_line(struct qs_run *run, struct qs_etcd *e, struct qs_hmember *self,
    const struct eobs *o)
{
	struct qs_history	*h = e->history;
	const struct qs_event	*ev = o->event;
	const struct qs_signal	*g = o->signal;
	struct qs_hmember	*m;

	if (ev != NULL) {
		switch (ev->kind) {
		case QS_EV_LEADER_ELECTED:
			m = ev->subject == NULL ? self : etcd_member_named(e,
			    ev->subject, ev->subject_node);
			qs_history_leader(h, m, (ev->clock.set &
			    QS_CLOCK_TERM) != 0, ev->clock.term, &ev->time,
			    &ev->ev);
			break;
		case QS_EV_LEADER_LOST:
			/*
			 * "lost leader X": X's term is over as this member
			 * sees it; only X's own line ends it (a follower
			 * learns late, and a new leader's own "lost leader"
			 * of its predecessor comes with its election).
			 */
			m = ev->subject == NULL ? NULL : etcd_member_named(e,
			    ev->subject, ev->subject_node);
			if (m == self || ev->subject == NULL)
				qs_history_step_down(h, self, &ev->time,
				    &ev->ev, "it lost its leadership");
			qs_history_no_leader(h, &ev->time, &ev->ev);
			break;
		case QS_EV_ELECTION_START:
			/*
			 * A leader that campaigns at a later term has lost
			 * its own; the election it won itself is logged in
			 * the same second (raft's own lines have seconds).
			 */
			if ((ev->clock.set & QS_CLOCK_TERM) &&
			    !etcd_led_since(run, ev, self->node))
				qs_history_step_down(h, self, &ev->time,
				    &ev->ev, "it campaigned again");
			qs_history_no_leader(h, &ev->time, &ev->ev);
			break;
		default:
			break;
		}
		return;
	}
	if (g == NULL)
		return;
	switch (g->kind) {
	case QS_SIG_QUORUM_LOST:
		qs_history_step_down(h, self, &g->time, &g->ev, "it stepped "
		    "down: it lost contact with a majority (check quorum)");
		qs_history_no_leader(h, &g->time, &g->ev);
		break;
	case QS_SIG_PEER_UNREACHABLE:
		qs_history_unreachable(h, etcd_member_named(e, g->subject,
		    g->subject_node), self, &g->time, &g->ev);
		break;
	case QS_SIG_PEER_REACHABLE:
		qs_history_reachable(h, etcd_member_named(e, g->subject,
		    g->subject_node), self, &g->time, &g->ev);
		break;
	default:
		break;
	}
	(void)run;
}

/*
 * One member's own observations in time order.  After a stop line, the
 * lines before the next start are its shutdown: no sign of life, and its
 * complaints about peers are its own streams closing.
 */
static void
etcd_history_srv(struct qs_analysis *an, struct qs_etcd *e,
    struct qs_etcd_srv *s)
{
	struct qs_run		*run = an->run;
	struct qs_history	*h = e->history;
	struct qs_hmember	*self = s->member;
	struct qs_vec		 obs = { NULL, 0, 0 };
	size_t			 i;
	int			 stopping = 0;

	for (i = 0; i < run->events.n; i++) {
		const struct qs_event	*ev = run->events.v[i];
		struct eobs		*o;
		enum eobs_kind		 k = EO_LINE;

		if (ev->observer != s->node || ev->system != QS_SYS_ETCD ||
		    !ev->time.set)
			continue;
		if (ev->kind == QS_EV_START)
			k = EO_START;
		else if (ev->kind == QS_EV_STOP) {
			if (etcd_stop_is_fatal(run, ev))
				continue;
			k = EO_STOP;
		}
		o = etcd_eobs(&run->arena, &obs, k, &ev->time, &ev->ev);
		o->event = ev;
		o->why = ev->detail != NULL ? ev->detail : "its stop line";
	}
	for (i = 0; i < run->signals.n; i++) {
		const struct qs_signal	*g = run->signals.v[i];
		struct eobs		*o;

		if (g->observer != s->node || g->system != QS_SYS_ETCD ||
		    !g->time.set || g->kind == QS_SIG_PROBE_UP ||
		    g->kind == QS_SIG_PROBE_DOWN ||
		    g->kind == QS_SIG_PROBE_NOT_SERVING)
			continue;
		o = etcd_eobs(&run->arena, &obs, g->kind == QS_SIG_FATAL ?
		    EO_FATAL : EO_LINE, &g->time, &g->ev);
		o->signal = g;
		if (g->kind == QS_SIG_FATAL)
			o->why = g->detail != NULL ? qs_arena_printf(
			    &run->arena, "fatal: %s", g->detail) : "fatal";
	}
	/* Its logs' first and last lines: heard from then. */
	for (i = 0; i < s->node->artifacts.n; i++) {
		struct qs_artifact	*a = s->node->artifacts.v[i];
		struct qs_evidence	*ev;

		if (!a->last_time.set || a->kind == NULL ||
		    a->kind->system != QS_SYS_ETCD)
			continue;
		ev = qs_arena_alloc(&run->arena, sizeof(*ev));
		ev->artifact = a;
		ev->line = a->last_line;
		(void)etcd_eobs(&run->arena, &obs, EO_LINE, &a->last_time, ev);
		ev = qs_arena_alloc(&run->arena, sizeof(*ev));
		ev->artifact = a;
		ev->line = a->first_line;
		(void)etcd_eobs(&run->arena, &obs, EO_LINE, &a->first_time,
		    ev);
	}
	if (obs.n > 1)
		qsort(obs.v, obs.n, sizeof(*obs.v), etcd_cmp_eobs);
	for (i = 0; i < obs.n; i++) {
		const struct eobs	*o = obs.v[i];

		switch (o->kind) {
		case EO_START:
			stopping = 0;
			qs_history_start(h, self, &o->time, o->ev);
			break;
		case EO_STOP:
		case EO_FATAL:
			if (!stopping)
				qs_history_stop(h, self, &o->time, o->ev,
				    o->why);
			stopping = 1;
			break;
		case EO_LINE:
			if (o->signal != NULL && o->signal->kind ==
			    QS_SIG_PEER_UNREACHABLE && (stopping ||
			    etcd_stops_soon(&obs, i)))
				break;
			if (!stopping && !etcd_boot_line(&obs, i))
				qs_history_alive(h, self, &o->time, o->ev);
			if (o->event != NULL && stopping &&
			    o->event->kind == QS_EV_LEADER_ELECTED)
				break;
			etcd_feed_line(run, e, self, o);
			break;
		}
	}
	qs_vec_free(&obs);
}

/* Collection-time probes (etcdctl): of whom, and what they found. */
static void
etcd_history_probes(struct qs_analysis *an, struct qs_etcd *e)
{
	struct qs_run	*run = an->run;
	size_t		 i;

	for (i = 0; i < run->signals.n; i++) {
		const struct qs_signal	*g = run->signals.v[i];
		struct qs_hmember	*m;

		if (g->system != QS_SYS_ETCD || (g->kind != QS_SIG_PROBE_UP &&
		    g->kind != QS_SIG_PROBE_DOWN &&
		    g->kind != QS_SIG_PROBE_NOT_SERVING))
			continue;
		m = etcd_member_named(e, g->subject, g->subject_node);
		if (m == NULL && g->subject == NULL)
			m = etcd_member_named(e, NULL, g->observer);
		if (m == NULL)
			continue;
		qs_history_probe(e->history, m, g->kind == QS_SIG_PROBE_DOWN ?
		    QS_LIVE_DOWN : QS_LIVE_UP, &g->time, &g->ev);
		if (g->kind == QS_SIG_PROBE_NOT_SERVING)
			qs_history_no_leader(e->history, &g->time, &g->ev);
	}
}

/* The earliest time of any etcd observation: the start of evidence. */
static int
etcd_first_time(const struct qs_run *run, struct qs_time *out)
{
	size_t	i;
	int	found = 0;

	for (i = 0; i < run->events.n; i++) {
		const struct qs_event	*ev = run->events.v[i];

		if (ev->system == QS_SYS_ETCD && ev->time.set && (!found ||
		    ev->time.ms < out->ms)) {
			*out = ev->time;
			found = 1;
		}
	}
	return found;
}

static void
etcd_timing(struct qs_analysis *an, struct qs_etcd *e)
{
	struct qs_run	*run = an->run;
	size_t		 i;
	uint64_t	 v;
	const char	*from = NULL, *hfrom = NULL;

	e->election_ms = ETCD_ELECTION_DEFAULT;
	e->heartbeat_ms = ETCD_HEARTBEAT_DEFAULT;
	for (i = 0; i < e->srvs.n && (from == NULL || hfrom == NULL); i++) {
		const struct qs_node	*node = ((struct qs_etcd_srv *)
		    e->srvs.v[i])->node;

		if (from == NULL && (etcd_set_u64(run, node,
		    "etcd.config.election-timeout", &v) == 0 ||
		    etcd_set_u64(run, node, "etcd.log.election_timeout_ms",
		    &v) == 0) && v > 0 && v < 3600000) {
			e->election_ms = (int64_t)v;
			from = node->name;
		}
		if (hfrom == NULL && etcd_set_u64(run, node,
		    "etcd.config.heartbeat-interval", &v) == 0 && v > 0 &&
		    v < 3600000) {
			e->heartbeat_ms = (int64_t)v;
			hfrom = node->name;
		} else if (hfrom == NULL && etcd_set_u64(run, node,
		    "etcd.log.heartbeat_expected_ms", &v) == 0 && v > 1 &&
		    v < 3600000) {
			e->heartbeat_ms = (int64_t)v / 2;
			hfrom = node->name;
		}
	}
	e->timing_read = from != NULL;
	e->heartbeat_read = hfrom != NULL;
	e->timing_from = from != NULL ? qs_arena_printf(&run->arena,
	    "election timeout %lld ms, as %s runs", (long long)e->election_ms,
	    from) : qs_arena_printf(&run->arena, "election timeout %lld ms "
	    "(not read in the bundle: etcd's default assumed)",
	    (long long)e->election_ms);
}

static void
etcd_history(struct qs_analysis *an, struct qs_etcd *e)
{
	struct qs_run		*run = an->run;
	struct qs_history	*h;
	struct qs_time		 t0;
	int			 have_t0;
	size_t			 i;

	h = qs_history_new(&run->arena, QS_SYS_ETCD);
	e->history = h;
	for (i = 0; i < e->srvs.n; i++) {
		struct qs_etcd_srv	*s = e->srvs.v[i];

		s->member = qs_history_member(h, s->node, s->id, NULL);
	}
	for (i = 0; i < e->mids.n; i++) {
		struct qs_etcd_mid	*x = e->mids.v[i];

		x->member = x->srv != NULL ? x->srv->member :
		    qs_history_member(h, NULL, x->id, etcd_mid_label(
		    &run->arena, x));
		if (x->learner && x->srv == NULL)
			x->member->learner = 1;
	}
	etcd_voters(an, e);
	have_t0 = etcd_first_time(run, &t0);
	for (i = 0; i < e->mids.n; i++) {
		struct qs_etcd_mid	*x = e->mids.v[i];
		struct qs_time		 t;

		if (x->srv != NULL || x->name != NULL || x->reached ||
		    x->listed == NULL || x->has_removed || x->removed_untimed)
			continue;
		x->unstarted = 1;
		if (x->learner)
			continue;
		if (x->has_added) {
			t.set = t.zone_known = 1;
			t.ms = x->added;
		} else if (have_t0)
			t = t0;
		else
			continue;
		qs_history_stop(h, x->member, &t, x->added_ev != NULL ?
		    x->added_ev : &x->listed->ev, "added as a voter and never "
		    "started");
	}
	for (i = 0; i < e->srvs.n; i++)
		etcd_history_srv(an, e, e->srvs.v[i]);
	etcd_history_probes(an, e);
	h->election_ms = 2 * e->election_ms;
	h->election_from = qs_arena_printf(&run->arena, "twice the %s",
	    e->timing_from);
	qs_history_finish(h);
}

static int
etcd_up_at_end(const struct qs_etcd *e, const struct qs_etcd_srv *s)
{
	return e->history != NULL && s->member != NULL &&
	    qs_history_state_at(s->member, e->history->end, NULL) ==
	    QS_LIVE_UP;
}

/*
 * The member with the most raft log: the highest last entry term, then
 * index (raft's own up-to-date order, etcd-io/raft log.go isUpToDate),
 * then the commit and applied indexes when no WAL was read.  NULL when
 * no member says.
 */
const struct qs_etcd_srv *
qs_etcd_most_log(const struct qs_etcd *e)
{
	const struct qs_etcd_srv	*best = NULL;
	size_t				 i;

	for (i = 0; e != NULL && i < e->srvs.n; i++) {
		const struct qs_etcd_srv	*s = e->srvs.v[i];
		uint64_t			 a, b;

		if (!s->has_log && s->commit == 0 && s->applied == 0)
			continue;
		if (best == NULL) {
			best = s;
			continue;
		}
		if (s->has_log != best->has_log) {
			if (s->has_log)
				best = s;
			continue;
		}
		if (s->last_term != best->last_term) {
			if (s->last_term > best->last_term)
				best = s;
			continue;
		}
		if (s->last_index != best->last_index) {
			if (s->last_index > best->last_index)
				best = s;
			continue;
		}
		a = s->commit > s->applied ? s->commit : s->applied;
		b = best->commit > best->applied ? best->commit :
		    best->applied;
		/* As much log: the one still running at the end. */
		if (a > b || (a == b && etcd_up_at_end(e, s) &&
		    !etcd_up_at_end(e, best)))
			best = s;
	}
	return best;
}

/* The etcd facts of the cluster being judged (built once). */
struct qs_etcd *
qs_etcd_facts(struct qs_analysis *an)
{
	struct qs_cluster	*c = qs_facts_cluster(an, QS_SYS_ETCD);
	struct qs_etcd		*e;

	if (c == NULL)
		return NULL;
	if (c->facts != NULL || an->cluster == NULL)
		return c->facts;
	e = qs_xcalloc(1, sizeof(*e));
	etcd_srvs(an, e);
	etcd_mids(an, e);
	etcd_boot(an, e);
	etcd_timing(an, e);
	c->facts = e;
	etcd_history(an, e);
	c->history = e->history;
	return e;
}

void
qs_etcd_facts_free(struct qs_etcd *e)
{
	if (e == NULL)
		return;
	qs_vec_free(&e->srvs);
	qs_vec_free(&e->mids);
	free(e);
}

const char *
qs_etcd_setting(struct qs_analysis *an, const struct qs_node *node,
    const char *key)
{
	const struct qs_setting	*s;

	s = qs_setting_get(an->run, node, QS_SYS_ETCD, key);
	return s != NULL ? s->value : NULL;
}
