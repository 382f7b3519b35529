/*
 * ZooKeeper facts, built once per ensemble (cluster) before its rules run:
 * every server's myid, configuration, epoch files, most history (zxid),
 * leadership and four-letter-word answers, and the ensemble's history
 * (liveness, leadership by epoch, voters) that the quorum rules reason
 * from.
 *
 * Read from the model: each server's own myid (myid file, the log's
 * "[myid:N]", srvr/conf's server id), its configuration (the latest
 * zoo.cfg or dynamic file), settings zk.currentEpoch / zk.acceptedEpoch
 * (epoch files), zk.txnlog.last_zxid, zk.snapshot.zxid, zk.4lw.mode /
 * zk.4lw.zxid / zk.4lw.serving, zk.log.standalone,
 * zk.log.slow_fsync_max_ms, zk.tickTime and zk.initLimit, and the log's
 * events and signals.
 *
 * History, from apache/zookeeper 3.8 behaviour: a server logs LOOKING when
 * it (re)starts an election (QuorumPeer.run), LEADING and "Have quorum of
 * supporters" (Leader.lead, with the new epoch) when it leads, "Successfully
 * connected to leader" (Learner.connectToLeader) when it follows; a leader
 * that loses its synced majority shuts down ("Not sufficient followers
 * synced", Leader.lead); "Cannot open channel to N" and "Connection broken
 * for id N" (QuorumCnxManager) say a peer cannot be reached; SIGKILL and
 * SIGTERM leave nothing in the server's own log.  A leader is elected once
 * a majority synced within initLimit ticks (QuorumPeerConfig: tickTime,
 * initLimit), the threshold beyond which a leaderless stretch with a
 * majority up is reported.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quorumscope.h"

/* ZooKeeperServer.DEFAULT_TICK_TIME; initLimit has no default (10 is the
 * sample zoo.cfg's). */
#define ZK_TICK_DEFAULT		3000
#define ZK_INIT_LIMIT_DEFAULT	10

/* "0x1a2b" or "1a2b" to a number; -1 unless 1..16 hex digits. */
int
qs_zk_hex(const char *s, uint64_t *out)
{
	if (s == NULL)
		return -1;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		s += 2;
	return qs_parse_hex_u64(s, strlen(s), out);
}

/* Decimal without overflow (epoch files, settings). */
int
qs_zk_dec(const char *s, uint64_t *out)
{
	return s == NULL ? -1 : qs_parse_dec_u64(s, strlen(s), out);
}

const char *
qs_zk_artifact_base(const struct qs_evidence *ev)
{
	const char	*p;

	if (ev == NULL || ev->artifact == NULL)
		return "?";
	p = strrchr(ev->artifact->member, '/');
	return p != NULL ? p + 1 : ev->artifact->member;
}

int
qs_zk_from_kind(const struct qs_evidence *ev, const char *kind)
{
	return ev->artifact != NULL && ev->artifact->kind != NULL &&
	    strcmp(ev->artifact->kind->name, kind) == 0;
}

/* Take a zxid as the server's best if it is more history than before. */
static void
zk_srv_zxid(struct qs_zk_srv *s, struct qs_analysis *an, uint64_t z,
    const char *what, const struct qs_evidence *ev)
{
	if (s->has_zxid && (z < s->zxid || (z == s->zxid &&
	    (strcmp(what, "txn log") != 0 ||
	    strncmp(s->zxid_from, "txn log", 7) == 0))))
		return;
	s->zxid = z;
	s->has_zxid = 1;
	s->zxid_ev = ev;
	s->zxid_from = qs_arena_printf(&an->run->arena, "%s %s", what,
	    qs_zk_artifact_base(ev));
}

/* The server's own myid: its myid file first, then srvr/conf, the log. */
static void
zk_srv_myid(struct qs_run *run, struct qs_zk_srv *s)
{
	static const char *const order[] = { "zk.myid",
	    "zk.fourletter_output", "zk.log", NULL };
	size_t	i, k;

	for (k = 0; order[k] != NULL && s->myid == NULL; k++)
		for (i = 0; i < run->identities.n && s->myid == NULL; i++) {
			const struct qs_identity *id = run->identities.v[i];

			if (id->kind != QS_ID_MYID || id->subject != NULL ||
			    id->ev.artifact == NULL ||
			    id->ev.artifact->node != s->node ||
			    !qs_zk_from_kind(&id->ev, order[k]))
				continue;
			s->myid = id->value;
			s->myid_ev = &id->ev;
		}
}

static void
zk_srv_settings(struct qs_analysis *an, struct qs_zk_srv *s)
{
	struct qs_run	*run = an->run;
	uint64_t	 v;
	size_t		 i;

	for (i = 0; i < run->settings.n; i++) {
		const struct qs_setting	*st = run->settings.v[i];

		if (st->observer != s->node || st->system != QS_SYS_ZOOKEEPER)
			continue;
		if (strcmp(st->key, "zk.currentEpoch") == 0 &&
		    qs_zk_dec(st->value, &v) == 0) {
			s->cur = st;
			s->cur_v = v;
		} else if (strcmp(st->key, "zk.acceptedEpoch") == 0 &&
		    qs_zk_dec(st->value, &v) == 0) {
			s->acc = st;
			s->acc_v = v;
		} else if (strcmp(st->key, "zk.txnlog.last_zxid") == 0 &&
		    qs_zk_hex(st->value, &v) == 0) {
			zk_srv_zxid(s, an, v, "txn log", &st->ev);
			if (!s->has_log_epoch || v > s->log_zxid) {
				s->log_epoch = v >> 32;
				s->log_zxid = v;
				s->log_last = st;
				s->has_log_epoch = 1;
			}
		} else if (strcmp(st->key, "zk.snapshot.zxid") == 0 &&
		    qs_zk_hex(st->value, &v) == 0)
			zk_srv_zxid(s, an, v, "snapshot", &st->ev);
		else if (strcmp(st->key, "zk.4lw.zxid") == 0 &&
		    qs_zk_hex(st->value, &v) == 0) {
			s->mode_zxid = st;
			zk_srv_zxid(s, an, v, "four-letter word answer",
			    &st->ev);
		} else if (strcmp(st->key, "zk.4lw.mode") == 0)
			s->mode = st;
		if (strncmp(st->key, "zk.4lw.", 7) == 0)
			s->answered = 1;
		if (strcmp(st->key, "zk.log.standalone") == 0)
			s->standalone = st;
		else if (strcmp(st->key, "zk.log.slow_fsync_max_ms") == 0)
			s->fsync = st;
	}
}

/*
 * Leadership from the server's own log: the last "Have quorum of
 * supporters" (it has the epoch), and whether the last state it logged
 * is still LEADING.  The four-letter answer, taken at collection, wins
 * over the log when there is one.
 */
static void
zk_srv_log(struct qs_run *run, struct qs_zk_srv *s)
{
	const struct qs_event	*last = NULL;
	size_t			 i;
	uint64_t		 z;

	for (i = 0; i < run->events.n; i++) {
		const struct qs_event	*e = run->events.v[i];

		if (e->observer != s->node || e->system != QS_SYS_ZOOKEEPER ||
		    !qs_zk_from_kind(&e->ev, "zk.log"))
			continue;
		if (e->kind == QS_EV_LEADER_ELECTED && e->subject == NULL &&
		    (e->clock.set & QS_CLOCK_TERM)) {
			s->led = e;
			s->lead_epoch = e->clock.term;
			s->has_lead_epoch = 1;
		}
		if (e->kind != QS_EV_LEADER_ELECTED &&
		    e->kind != QS_EV_LEADER_LOST &&
		    e->kind != QS_EV_ELECTION_START &&
		    e->kind != QS_EV_START && e->kind != QS_EV_STOP)
			continue;
		if (last == NULL || !e->time.set || !last->time.set ||
		    e->time.ms >= last->time.ms)
			last = e;
	}
	/* How long the last leadership lasted: to the next state logged. */
	s->led_open = 1;
	for (i = 0; s->led != NULL && s->led->time.set && i < run->events.n;
	    i++) {
		const struct qs_event	*e = run->events.v[i];

		if (e->observer != s->node || e == s->led || !e->time.set ||
		    e->time.ms < s->led->time.ms ||
		    !qs_zk_from_kind(&e->ev, "zk.log") ||
		    (e->kind != QS_EV_LEADER_LOST &&
		    e->kind != QS_EV_ELECTION_START &&
		    e->kind != QS_EV_START && e->kind != QS_EV_STOP))
			continue;
		if (s->led_open || e->time.ms < s->led_end) {
			s->led_end = e->time.ms;
			s->led_open = 0;
		}
	}
	s->leading_now = last != NULL && last->kind == QS_EV_LEADER_ELECTED &&
	    last->subject == NULL;
	for (i = 0; i < run->signals.n; i++) {
		const struct qs_signal	*g = run->signals.v[i];

		if (g->observer == s->node && g->system == QS_SYS_ZOOKEEPER &&
		    g->kind == QS_SIG_EPOCH_REFUSED) {
			s->epoch_sig = g;
			s->epoch_sigs++;
		}
	}
	if (s->mode != NULL) {
		s->leading_now = strcmp(s->mode->value, "leader") == 0;
		if (s->leading_now && s->mode_zxid != NULL &&
		    qs_zk_hex(s->mode_zxid->value, &z) == 0 &&
		    (!s->has_lead_epoch || z >> 32 > s->lead_epoch)) {
			s->lead_epoch = z >> 32;
			s->has_lead_epoch = 1;
		}
	}
}

/*
 * A zoo.cfg without a quorum: QuorumPeerConfig.isDistributed() is false
 * unless standaloneEnabled=false or more than one voter is listed, and
 * QuorumPeerMain then runs a standalone server.  Only an inference: the
 * log or srvr, when present, say what really ran.
 */
static void
zk_srv_cfg_alone(const struct qs_run *run, struct qs_zk_srv *s)
{
	const struct qs_setting	*en;
	size_t			 i, voters = 0;

	if (!qs_node_has_kind(s->node, "zk.cfg") || s->mode != NULL ||
	    s->led != NULL || s->leading_now)
		return;
	en = qs_setting_get(run, s->node, QS_SYS_ZOOKEEPER,
	    "zk.standaloneEnabled");
	if (en != NULL && strcmp(en->value, "false") == 0)
		return;
	for (i = 0; s->cfg != NULL && i < s->cfg->members.n; i++)
		if (((const struct qs_member *)s->cfg->members.v[i])->state !=
		    QS_MEMBER_NONVOTER)
			voters++;
	s->cfg_alone = voters <= 1;
}

static int
zk_is_server(const struct qs_node *node)
{
	return (node->systems & (1u << QS_SYS_ZOOKEEPER)) != 0 &&
	    (qs_node_has_kind(node, "zk.cfg") ||
	    qs_node_has_kind(node, "zk.myid") ||
	    qs_node_has_kind(node, "zk.log") ||
	    qs_node_has_kind(node, "zk.txnlog") ||
	    qs_node_has_kind(node, "zk.fourletter_output"));
}

static void
zk_build(struct qs_analysis *an, struct qs_zk *z)
{
	struct qs_run	*run = an->run;
	size_t		 i;

	memset(z, 0, sizeof(*z));
	for (i = 0; i < run->nodes.n && z->n < QS_ZK_SRV_MAX; i++) {
		struct qs_zk_srv	*s = &z->srv[z->n];

		if (!zk_is_server(run->nodes.v[i]))
			continue;
		s->node = run->nodes.v[i];
		s->cfg = qs_zk_node_cfg(run, s->node);
		zk_srv_myid(run, s);
		zk_srv_settings(an, s);
		zk_srv_log(run, s);
		zk_srv_cfg_alone(run, s);
		z->n++;
	}
}

int
qs_zk_srv_better(const struct qs_zk_srv *a, const struct qs_zk_srv *b)
{
	if (a->has_zxid != b->has_zxid)
		return a->has_zxid;
	if (a->has_zxid && a->zxid != b->zxid)
		return a->zxid > b->zxid;
	if ((a->cur != NULL) != (b->cur != NULL))
		return a->cur != NULL;
	if (a->cur != NULL && a->cur_v != b->cur_v)
		return a->cur_v > b->cur_v;
	if (a->acc != NULL && b->acc != NULL && a->acc_v != b->acc_v)
		return a->acc_v > b->acc_v;
	/* Equal history: the server leading now needs no election. */
	if (a->leading_now != b->leading_now)
		return a->leading_now;
	/*
	 * Then one that answered a four-letter word at collection: it was
	 * still running, where the others may be the servers that died.
	 */
	return a->answered && !b->answered;
}

/* The server with the most history among those `ok` accepts. */
const struct qs_zk_srv *
qs_zk_best(const struct qs_zk *z, int (*ok)(const struct qs_zk_srv *,
    const void *), const void *arg)
{
	const struct qs_zk_srv	*best = NULL;
	size_t			 i;

	for (i = 0; i < z->n; i++) {
		const struct qs_zk_srv	*s = &z->srv[i];

		if (!s->has_zxid && s->cur == NULL)
			continue;
		if (ok != NULL && !ok(s, arg))
			continue;
		if (best == NULL || qs_zk_srv_better(s, best))
			best = s;
	}
	return best;
}

const char *
qs_zk_survivor_text(struct qs_analysis *an, const struct qs_zk *z,
    const struct qs_zk_srv *s)
{
	const char	*tie = "";
	size_t		 i;

	/* Equal history: say what broke the tie. */
	for (i = 0; i < z->n && s->has_zxid; i++)
		if (&z->srv[i] != s && z->srv[i].has_zxid &&
		    z->srv[i].zxid == s->zxid) {
			tie = s->leading_now ? "; others have as much, and "
			    "it is the leader now" : s->answered ? "; others "
			    "have as much, and it still answered at "
			    "collection" : "; others have as much";
			break;
		}
	if (s->has_zxid)
		return qs_arena_printf(&an->run->arena, "it has the highest "
		    "zxid 0x%llx (%s%s%s%s)", (unsigned long long)s->zxid,
		    s->zxid_from, s->cur != NULL ? ", currentEpoch " : "",
		    s->cur != NULL ? s->cur->value : "", tie);
	if (s->cur != NULL)
		return qs_arena_printf(&an->run->arena, "it has the highest "
		    "currentEpoch %s", s->cur->value);
	return "no txn log, snapshot, srvr answer or epoch file in the bundle "
	    "says which server has the most history: compare them on the "
	    "servers (`zkTxnLogToolkit` on the newest log.* file) first";
}

/* A ZooKeeper configuration view: zoo.cfg or one of its dynamic files. */
int
qs_zk_cfg_view(const struct qs_view *v)
{
	return v->system == QS_SYS_ZOOKEEPER && v->kind == QS_VIEW_CONFIGURED &&
	    strncmp(v->source, "zoo.cfg", 7) == 0;
}

/*
 * Whether two configurations list the same servers: the same ids at the
 * same addresses, in any order (NULL only equals NULL).
 */
int
qs_zk_cfg_same(const struct qs_view *a, const struct qs_view *b)
{
	size_t	i, j;

	if (a == NULL || b == NULL)
		return a == b;
	if (a->members.n != b->members.n)
		return 0;
	for (i = 0; i < a->members.n; i++) {
		const struct qs_member	*x = a->members.v[i];
		int			 hit = 0;

		for (j = 0; j < b->members.n && !hit; j++) {
			const struct qs_member	*y = b->members.v[j];

			hit = x->id != NULL && y->id != NULL &&
			    x->address != NULL && y->address != NULL &&
			    strcmp(x->id, y->id) == 0 &&
			    strcmp(x->address, y->address) == 0;
		}
		if (!hit)
			return 0;
	}
	return 1;
}

/*
 * The configuration a node runs: the dynamic file in force
 * (qs_zk_dynamic_active(): the one zoo.cfg's dynamicConfigFile names,
 * else the highest version; older ones are history), else its zoo.cfg's
 * server lines.
 */
const struct qs_view *
qs_zk_node_cfg(const struct qs_run *run, const struct qs_node *node)
{
	const struct qs_view	*best = NULL, *active;
	size_t			 i;

	if ((active = qs_zk_dynamic_active(run, node)) != NULL &&
	    active->members.n > 0)
		return active;
	for (i = 0; i < run->views.n; i++) {
		const struct qs_view	*v = run->views.v[i];

		if (!qs_zk_cfg_view(v) || v->observer != node ||
		    v->members.n == 0)
			continue;
		if (best == NULL || (v->clock.set & QS_CLOCK_ZXID &&
		    (!(best->clock.set & QS_CLOCK_ZXID) ||
		    v->clock.zxid > best->clock.zxid)))
			best = v;
	}
	return best;
}

/*
 * Below ZooKeeper's default threshold (1000 ms) the line only shows that
 * someone lowered zookeeper.fsync.warningthresholdms, not a slow disk:
 * such fsyncs are not reported.
 */
int
qs_zk_fsync_low(const struct qs_setting *st)
{
	uint64_t	v;

	return qs_zk_dec(st->value, &v) == 0 && v < 1000;
}

/* Slow fsync on any server, as a contributing cause (one fact). */
void
qs_zk_fsync_fact(struct qs_analysis *an, struct qs_finding *f,
    const struct qs_zk *z)
{
	size_t	i;

	for (i = 0; i < z->n; i++) {
		const struct qs_zk_srv	*s = &z->srv[i];

		if (s->fsync == NULL || qs_zk_fsync_low(s->fsync))
			continue;
		qs_finding_evidence(f, &s->fsync->ev);
		qs_finding_fact(an, f, "Contributing: %s logged a txn log "
		    "fsync of %s ms (zk-slow-fsync); a slow disk delays the "
		    "acknowledgements a leader counts.", s->node->name,
		    s->fsync->value);
	}
}

/*
 * The best survivor for recovery: the node, and the sentence saying why
 * ("it has the highest zxid 0x100000011 (txn log log.100000001)").
 */
const struct qs_node *
qs_zk_survivor(struct qs_analysis *an, const char **why,
    const struct qs_evidence **ev)
{
	const struct qs_zk	*z = qs_zk_facts(an);
	const struct qs_zk_srv	*s;

	if (z == NULL || (s = qs_zk_best(z, NULL, NULL)) == NULL)
		return NULL;
	if (why != NULL)
		*why = qs_zk_survivor_text(an, z, s);
	if (ev != NULL)
		*ev = s->zxid_ev != NULL ? s->zxid_ev : s->cur != NULL ?
		    &s->cur->ev : NULL;
	return s->node;
}

/* The configuration the ensemble runs: the newest any server holds. */
static const struct qs_view *
zk_ensemble_cfg(const struct qs_zk *z)
{
	const struct qs_view	*best = NULL;
	size_t			 i;

	for (i = 0; i < z->n; i++) {
		const struct qs_view	*v = z->srv[i].cfg;

		if (v == NULL)
			continue;
		if (best == NULL || ((v->clock.set & QS_CLOCK_ZXID) &&
		    (!(best->clock.set & QS_CLOCK_ZXID) ||
		    v->clock.zxid > best->clock.zxid)))
			best = v;
	}
	return best;
}

static struct qs_hmember *
zk_member_of_node(struct qs_history *h, const struct qs_zk *z,
    const struct qs_node *node)
{
	size_t	i;

	if (node == NULL)
		return NULL;
	for (i = 0; i < z->n; i++)
		if (z->srv[i].node == node)
			return qs_history_find(h, node, NULL);
	return NULL;
}

/* The member a text names: a sid ("3"), or a quorum address "h:p". */
static struct qs_hmember *
zk_member_named(struct qs_history *h, const struct qs_zk *z,
    const struct qs_view *cfg, const char *text, const struct qs_node *node)
{
	struct qs_hmember	*m;
	size_t			 i;
	uint64_t		 sid;

	if ((m = zk_member_of_node(h, z, node)) != NULL)
		return m;
	if (text == NULL)
		return NULL;
	if (qs_parse_dec_u64(text, strlen(text), &sid) == 0)
		return qs_history_find(h, NULL, text);
	for (i = 0; cfg != NULL && i < cfg->members.n; i++) {
		const struct qs_member	*cm = cfg->members.v[i];

		if (cm->address != NULL && cm->id != NULL &&
		    strcmp(cm->address, text) == 0)
			return qs_history_find(h, NULL, cm->id);
	}
	return NULL;
}

static int64_t
zk_setting_ms(const struct qs_run *run, const struct qs_zk *z,
    const char *key, int64_t def, int *found)
{
	size_t		i;
	uint64_t	v;

	for (i = 0; i < z->n; i++) {
		const struct qs_setting	*s = qs_setting_get(run,
		    z->srv[i].node, QS_SYS_ZOOKEEPER, key);

		if (s != NULL && qs_zk_dec(s->value, &v) == 0 && v > 0 &&
		    v < 3600000) {
			*found = 1;
			return (int64_t)v;
		}
	}
	return def;
}

/* Feeds one server's own observations and what it says of others. */
static void
zk_history_server(struct qs_analysis *an, struct qs_history *h,
    const struct qs_zk *z, const struct qs_view *cfg,
    const struct qs_zk_srv *s)
{
	struct qs_run		*run = an->run;
	struct qs_hmember	*self = qs_history_find(h, s->node, NULL);
	struct qs_hmember	*m;
	size_t			 i;

	for (i = 0; i < run->events.n; i++) {
		const struct qs_event	*e = run->events.v[i];

		if (e->observer != s->node || e->system != QS_SYS_ZOOKEEPER)
			continue;
		switch (e->kind) {
		case QS_EV_START:
			qs_history_start(h, self, &e->time, &e->ev);
			break;
		case QS_EV_STOP:
			qs_history_stop(h, self, &e->time, &e->ev, e->detail !=
			    NULL ? e->detail : "its stop line");
			break;
		case QS_EV_LEADER_ELECTED:
			qs_history_alive(h, self, &e->time, &e->ev);
			m = e->subject == NULL ? self : zk_member_named(h, z,
			    cfg, e->subject, e->subject_node);
			qs_history_leader(h, m, e->subject == NULL &&
			    (e->clock.set & QS_CLOCK_TERM) != 0, e->clock.term,
			    &e->time, &e->ev);
			break;
		case QS_EV_LEADER_LOST:
			qs_history_alive(h, self, &e->time, &e->ev);
			qs_history_step_down(h, self, &e->time, &e->ev,
			    e->detail != NULL ? e->detail : "it stopped leading");
			qs_history_no_leader(h, &e->time, &e->ev);
			break;
		case QS_EV_ELECTION_START:
			qs_history_alive(h, self, &e->time, &e->ev);
			qs_history_no_leader(h, &e->time, &e->ev);
			break;
		default:
			qs_history_alive(h, self, &e->time, &e->ev);
			break;
		}
	}
	for (i = 0; i < run->signals.n; i++) {
		const struct qs_signal	*g = run->signals.v[i];

		if (g->observer != s->node || g->system != QS_SYS_ZOOKEEPER)
			continue;
		switch (g->kind) {
		case QS_SIG_FATAL:
			qs_history_stop(h, self, &g->time, &g->ev, g->detail !=
			    NULL ? qs_arena_printf(&run->arena, "fatal: %s",
			    g->detail) : "fatal");
			continue;
		case QS_SIG_VOTE_FAILED:
		case QS_SIG_PEER_UNREACHABLE:
			qs_history_alive(h, self, &g->time, &g->ev);
			if (g->subject != NULL)
				qs_history_unreachable(h, zk_member_named(h, z,
				    cfg, g->subject, g->subject_node), self,
				    &g->time, &g->ev);
			continue;
		case QS_SIG_PEER_REACHABLE:
			qs_history_alive(h, self, &g->time, &g->ev);
			qs_history_reachable(h, zk_member_named(h, z, cfg,
			    g->subject, g->subject_node), self, &g->time,
			    &g->ev);
			continue;
		case QS_SIG_PROBE_UP:
		case QS_SIG_PROBE_NOT_SERVING:
		case QS_SIG_PROBE_DOWN:
			m = g->subject == NULL ? self : zk_member_named(h, z,
			    cfg, g->subject, g->subject_node);
			qs_history_probe(h, m, g->kind == QS_SIG_PROBE_DOWN ?
			    QS_LIVE_DOWN : QS_LIVE_UP, &g->time, &g->ev);
			if (g->kind == QS_SIG_PROBE_NOT_SERVING)
				qs_history_no_leader(h, &g->time, &g->ev);
			continue;
		case QS_SIG_QUORUM_LOST:
			qs_history_step_down(h, self, &g->time, &g->ev,
			    g->detail != NULL ? g->detail : "it lost its quorum");
			qs_history_no_leader(h, &g->time, &g->ev);
			break;
		case QS_SIG_NO_LEADER:
			qs_history_no_leader(h, &g->time, &g->ev);
			break;
		default:
			break;
		}
		qs_history_alive(h, self, &g->time, &g->ev);
	}
	/* Its logs' first and last lines: heard from then. */
	for (i = 0; i < s->node->artifacts.n; i++) {
		struct qs_artifact	*a = s->node->artifacts.v[i];
		struct qs_evidence	*ev;

		if (!a->last_time.set || a->kind == NULL ||
		    a->kind->system != QS_SYS_ZOOKEEPER)
			continue;
		ev = qs_arena_alloc(&run->arena, sizeof(*ev));
		ev->artifact = a;
		ev->line = a->last_line;
		qs_history_alive(h, self, &a->last_time, ev);
		ev = qs_arena_alloc(&run->arena, sizeof(*ev));
		ev->artifact = a;
		ev->line = a->first_line;
		qs_history_alive(h, self, &a->first_time, ev);
	}
	/* srvr at collection: running; not serving means no leader. */
	for (i = 0; i < run->settings.n; i++) {
		const struct qs_setting	*st = run->settings.v[i];

		if (st->observer != s->node ||
		    strcmp(st->key, "zk.4lw.serving") != 0)
			continue;
		qs_history_probe(h, self, QS_LIVE_UP, NULL, &st->ev);
		if (strcmp(st->value, "false") == 0)
			qs_history_no_leader(h, NULL, &st->ev);
	}
}

/* A configuration version file or reconfig txn, with its version. */
static int
zk_version_view(const struct qs_view *v)
{
	return v->system == QS_SYS_ZOOKEEPER &&
	    v->kind == QS_VIEW_CONFIGURED && (v->clock.set & QS_CLOCK_ZXID) &&
	    v->members.n > 0 && (strncmp(v->source, "zoo.cfg.dynamic", 15) ==
	    0 || strcmp(v->source, "txn log reconfig") == 0);
}

static const struct qs_zk_srv *
zk_srv_by_myid(const struct qs_zk *z, const char *id)
{
	size_t	i;

	for (i = 0; id != NULL && i < z->n; i++)
		if (z->srv[i].myid != NULL && strcmp(z->srv[i].myid, id) == 0)
			return &z->srv[i];
	return NULL;
}

static const struct qs_member *
zk_view_member(const struct qs_view *v, const char *id)
{
	size_t	i;

	for (i = 0; id != NULL && i < v->members.n; i++) {
		const struct qs_member	*m = v->members.v[i];

		if (m->id != NULL && strcmp(m->id, id) == 0)
			return m;
	}
	return NULL;
}

static void
zk_change_add(struct qs_run *run, struct qs_zk *z, int add,
    const struct qs_member *m, const struct qs_zk_version *to)
{
	struct qs_zk_change	*ch = qs_arena_alloc(&run->arena, sizeof(*ch));

	ch->add = add;
	ch->id = m->id;
	ch->address = m->address;
	ch->srv = zk_srv_by_myid(z, m->id);
	ch->to = to;
	qs_vec_push(&z->changes, ch);
}

/*
 * Every configuration version any server holds (dynamic files
 * "<cfg>.dynamic.<version>", reconfig txns in the txn logs; the version is
 * the zxid of the reconfig, QuorumPeerConfig and
 * ReconfigRequest/FileTxnLog in apache/zookeeper), in version order, and
 * the servers each one added or removed.  A reconfig txn gives the time.
 */
static void
zk_versions(struct qs_run *run, struct qs_zk *z)
{
	struct qs_zk_version	*ver;
	size_t			 i, j, k;

	for (i = 0; i < run->views.n; i++) {
		const struct qs_view	*v = run->views.v[i];

		if (!zk_version_view(v))
			continue;
		for (j = 0; j < z->versions.n; j++) {
			ver = z->versions.v[j];
			if (ver->version >= v->clock.zxid)
				break;
		}
		if (j < z->versions.n && ver->version == v->clock.zxid) {
			if (!ver->time.set && v->time.set) {
				ver->time = v->time;
				ver->ev = &v->ev;
			}
			continue;
		}
		ver = qs_arena_alloc(&run->arena, sizeof(*ver));
		ver->version = v->clock.zxid;
		ver->view = v;
		ver->time = v->time;
		ver->ev = &v->ev;
		qs_vec_push(&z->versions, ver);
		for (k = z->versions.n - 1; k > j; k--)
			z->versions.v[k] = z->versions.v[k - 1];
		z->versions.v[j] = ver;
	}
	for (i = 1; i < z->versions.n; i++) {
		const struct qs_zk_version *a = z->versions.v[i - 1];
		const struct qs_zk_version *b = z->versions.v[i];

		for (j = 0; j < a->view->members.n; j++) {
			const struct qs_member *m = a->view->members.v[j];

			if (m->id != NULL && zk_view_member(b->view, m->id) ==
			    NULL)
				zk_change_add(run, z, 0, m, b);
		}
		for (j = 0; j < b->view->members.n; j++) {
			const struct qs_member *m = b->view->members.v[j];

			if (m->id != NULL && zk_view_member(a->view, m->id) ==
			    NULL)
				zk_change_add(run, z, 1, m, b);
		}
	}
}

/* The last change that removed server `id`, unless it was added back. */
const struct qs_zk_change *
qs_zk_removed(const struct qs_zk *z, const char *id)
{
	const struct qs_zk_change	*last = NULL;
	size_t				 i;

	for (i = 0; id != NULL && i < z->changes.n; i++) {
		const struct qs_zk_change *ch = z->changes.v[i];

		if (strcmp(ch->id, id) == 0)
			last = ch;
	}
	return last != NULL && !last->add ? last : NULL;
}

const struct qs_zk_srv *
qs_zk_srv_of(const struct qs_zk *z, const struct qs_node *node)
{
	size_t	i;

	for (i = 0; node != NULL && i < z->n; i++)
		if (z->srv[i].node == node)
			return &z->srv[i];
	return NULL;
}

/* A configuration's servers as history members (created when unknown). */
static void
zk_cfg_members(struct qs_run *run, struct qs_history *h, const struct qs_zk *z,
    const struct qs_view *cfg, struct qs_vec *out)
{
	struct qs_hmember	*m;
	size_t			 i;

	for (i = 0; i < cfg->members.n; i++) {
		const struct qs_member	*cm = cfg->members.v[i];

		m = zk_member_of_node(h, z, cm->node);
		if (m == NULL && cm->id != NULL)
			m = qs_history_find(h, NULL, cm->id);
		if (m == NULL)
			m = qs_history_member(h, NULL, cm->id,
			    qs_arena_printf(&run->arena, "server.%s (%s)",
			    cm->id != NULL ? cm->id : "?", cm->address != NULL ?
			    cm->address : "?"));
		if (cm->state == QS_MEMBER_NONVOTER)
			m->learner = 1;
		qs_vec_push(out, m);
	}
}

/*
 * The voters over time: the oldest configuration version from the
 * start, each later one from its reconfig txn's time (an untimed one
 * replaces the one before it); without versions, the configuration the
 * ensemble runs.
 */
static void
zk_history_voters(struct qs_run *run, struct qs_history *h,
    const struct qs_zk *z, const struct qs_view *cfg)
{
	struct qs_vec	voters = { NULL, 0, 0 };
	size_t		i;

	if (z->versions.n == 0) {
		if (cfg == NULL)
			return;
		zk_cfg_members(run, h, z, cfg, &voters);
		if (voters.n > 0)
			qs_history_voters(h, &voters, NULL, &cfg->ev,
			    cfg->source);
		qs_vec_free(&voters);
		return;
	}
	for (i = 0; i < z->versions.n; i++) {
		const struct qs_zk_version *ver = z->versions.v[i];

		voters.n = 0;
		zk_cfg_members(run, h, z, ver->view, &voters);
		qs_history_voters(h, &voters, i > 0 && ver->time.set ?
		    &ver->time : NULL, ver->ev, qs_arena_printf(&run->arena,
		    "configuration version %llx",
		    (unsigned long long)ver->version));
	}
	qs_vec_free(&voters);
}

static void
zk_history(struct qs_analysis *an, struct qs_zk *z)
{
	struct qs_run		*run = an->run;
	struct qs_history	*h;
	const struct qs_view	*cfg = zk_ensemble_cfg(z);
	size_t			 i;
	int			 tick_read = 0, init_read = 0;
	int64_t			 tick, init;

	h = qs_history_new(&run->arena, QS_SYS_ZOOKEEPER);
	z->history = h;
	for (i = 0; i < z->n; i++)
		(void)qs_history_member(h, z->srv[i].node, z->srv[i].myid,
		    NULL);
	zk_history_voters(run, h, z, cfg);
	for (i = 0; i < z->n; i++)
		zk_history_server(an, h, z, cfg, &z->srv[i]);
	tick = zk_setting_ms(run, z, "zk.tickTime", ZK_TICK_DEFAULT,
	    &tick_read);
	init = zk_setting_ms(run, z, "zk.initLimit", ZK_INIT_LIMIT_DEFAULT,
	    &init_read);
	h->election_ms = tick * init;
	h->election_from = qs_arena_printf(&run->arena, "initLimit %lld x "
	    "tickTime %lld ms%s", (long long)init, (long long)tick,
	    tick_read && init_read ? "" : " (not read in the bundle: "
	    "defaults assumed)");
	qs_history_finish(h);
}

/* The ZooKeeper facts of the cluster being judged (built once). */
struct qs_zk *
qs_zk_facts(struct qs_analysis *an)
{
	struct qs_cluster	*c = an->cluster;
	struct qs_zk		*z;
	size_t			 i;

	/* After the analysis (tests, commands): the first ensemble's. */
	for (i = 0; c == NULL && i < an->clusters.n; i++)
		if (((struct qs_cluster *)an->clusters.v[i])->system ==
		    QS_SYS_ZOOKEEPER)
			c = an->clusters.v[i];
	if (c == NULL || c->system != QS_SYS_ZOOKEEPER)
		return NULL;
	if (c->facts != NULL || an->cluster == NULL)
		return c->facts;
	z = qs_xcalloc(1, sizeof(*z));
	zk_build(an, z);
	zk_versions(an->run, z);
	c->facts = z;
	zk_history(an, z);
	c->history = z->history;
	return z;
}

void
qs_zk_facts_free(struct qs_zk *z)
{
	qs_vec_free(&z->versions);
	qs_vec_free(&z->changes);
	free(z);
}
