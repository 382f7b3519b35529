/*
 * ZooKeeper rules about the ensemble's history rather than its
 * configuration text: who led which epoch, which servers ran alone, whose
 * epoch files went out of step, whose disk was slow, and which server has
 * the most history when recovery needs one to start from (issue 6).
 *
 * Read from the model: each server's own myid (myid file, the log's
 * "[myid:N]", srvr/conf's server id), its configuration (qs_zk_node_cfg),
 * settings zk.currentEpoch / zk.acceptedEpoch (epoch files),
 * zk.txnlog.last_zxid, zk.snapshot.zxid, zk.4lw.mode / zk.4lw.zxid,
 * zk.log.standalone, zk.log.slow_fsync_max_ms, zk.dataDir, zk.server.N,
 * and the log's LEADER_ELECTED events ("Have quorum of supporters" carries
 * the epoch) and EPOCH_REFUSED signals ("Leaders epoch, N is less than
 * accepted epoch, M").
 *
 *   zk-split-brain      two servers lead the same epoch, two lead at
 *                       overlapping times with different ensembles or
 *                       disjoint supporters, or two txn logs hold one
 *                       zxid written at two times.
 *   zk-duplicate-myid   one myid on two servers at different addresses.
 *   zk-standalone       servers of a several-server bundle running alone.
 *   zk-epoch-mismatch   epoch files out of step with each other, with the
 *                       server's own txn log, with the ensemble, or the
 *                       learner's complaint about them.
 *   zk-slow-fsync       the txn log's fsync was reported slow; said to be
 *                       a contributing cause when the ensemble broke.
 *
 * Facts checked against apache/zookeeper 3.8 (and the Debian 3.8.0 jar):
 * a leader logs the new epoch only once it has a quorum (Leader.java);
 * Learner.registerWithLeader() refuses a leader epoch below its
 * acceptedEpoch; QuorumPeer.loadDataBase() refuses currentEpoch above
 * acceptedEpoch and a txn log epoch above currentEpoch; QuorumPeerMain runs
 * ZooKeeperServerMain when the configuration has no quorum; FileTxnLog
 * warns when an fsync takes longer than zookeeper.fsync.warningthresholdms
 * (default 1000 ms).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quorumscope.h"

/* "1=127.0.0.71:22885 2=..." for facts. */
static const char *
zk_cfg_text(struct qs_analysis *an, const struct qs_view *v)
{
	const char	*out = "";
	size_t		 i;

	if (v == NULL)
		return "no server lines";
	for (i = 0; i < v->members.n; i++) {
		const struct qs_member	*m = v->members.v[i];

		out = qs_arena_printf(&an->run->arena, "%s%sserver.%s=%s", out,
		    i > 0 ? ", " : "", m->id != NULL ? m->id : "?",
		    m->address != NULL ? m->address : "?");
	}
	return out;
}

/* Both configurations known, and different. */
static int
zk_cfg_differ(const struct qs_view *a, const struct qs_view *b)
{
	return a != NULL && b != NULL && !qs_zk_cfg_same(a, b);
}

static const char *
zk_srv_name(struct qs_analysis *an, const struct qs_zk_srv *s)
{
	const char	*host = qs_node_host(an->run, s->node, NULL);

	return qs_arena_printf(&an->run->arena, "%s (myid %s%s%s)",
	    s->node->name, s->myid != NULL ? s->myid : "?",
	    host != NULL ? ", " : "", host != NULL ? host : "");
}

static const char *
zk_data_dir(struct qs_analysis *an, const struct qs_zk_srv *s)
{
	const struct qs_setting	*d = qs_setting_get(an->run, s->node,
	    QS_SYS_ZOOKEEPER, "zk.dataDir");

	return d != NULL ? d->value : "<dataDir>";
}

/* Does server `s` count the same ensemble as `arg` (a zk_srv)? */
static int
zk_same_side(const struct qs_zk_srv *s, const void *arg)
{
	const struct qs_zk_srv	*l = arg;

	return s == l || (s->cfg != NULL && qs_zk_cfg_same(s->cfg, l->cfg));
}

/*
 * The sids of a "Have quorum of supporters" detail ("epoch 3, supporters
 * [[1, 2]]" or "[ 1,2 ]") as a bit set of ids below 64; 0 if none.
 */
static uint64_t
zk_supporters(const struct qs_event *e)
{
	const char	*p;
	uint64_t	 set = 0, v = 0;
	int		 in = 0;

	if (e == NULL || e->detail == NULL ||
	    (p = strstr(e->detail, "supporters ")) == NULL)
		return 0;
	for (p += 11; *p != '\0'; p++) {
		if (*p >= '0' && *p <= '9') {
			v = in && v < 1000 ? v * 10 + (uint64_t)(*p - '0') :
			    (uint64_t)(*p - '0');
			in = 1;
			continue;
		}
		if (in && v < 64)
			set |= UINT64_C(1) << v;
		in = 0;
	}
	if (in && v < 64)
		set |= UINT64_C(1) << v;
	return set;
}

/*
 * Two leaderships logged at overlapping times whose quorums cannot be
 * one ensemble's: different server lists, or supporter sets with no
 * server in common (two majorities of one list always share one).
 */
static int
zk_led_overlap(const struct qs_zk_srv *x, const struct qs_zk_srv *y)
{
	uint64_t	sx, sy;

	if (x->led == NULL || y->led == NULL || !x->led->time.set ||
	    !y->led->time.set)
		return 0;
	if (!x->led_open && x->led_end <= y->led->time.ms)
		return 0;
	if (!y->led_open && y->led_end <= x->led->time.ms)
		return 0;
	sx = zk_supporters(x->led);
	sy = zk_supporters(y->led);
	return zk_cfg_differ(x->cfg, y->cfg) ||
	    (sx != 0 && sy != 0 && (sx & sy) == 0);
}

struct zk_leader {
	const struct qs_zk_srv		*srv;
	uint64_t			 epoch;
	const struct qs_evidence	*ev;
};

static const struct qs_zk_srv *
zk_srv_of(const struct qs_zk *z, const struct qs_node *node)
{
	size_t	i;

	for (i = 0; i < z->n; i++)
		if (z->srv[i].node == node)
			return &z->srv[i];
	return NULL;
}

static int
zk_srv_alone(const struct qs_zk_srv *s)
{
	return s->standalone != NULL || s->cfg_alone || (s->mode != NULL &&
	    strcmp(s->mode->value, "standalone") == 0);
}

/* A server of an ensemble (not standalone) in the bundle, or NULL. */
static const struct qs_zk_srv *
zk_quorum_srv(const struct qs_zk *z, const struct qs_node *node)
{
	const struct qs_zk_srv	*s = zk_srv_of(z, node);

	return s != NULL && !zk_srv_alone(s) ? s : NULL;
}

/*
 * Two txn logs holding the same zxid written at different times: the
 * leader stamps each transaction once, so every copy of one zxid has one
 * time; two times mean two leaders issued that zxid.  The txn log parser
 * records the first transaction of each file and of each epoch in it.
 * Epoch 0 is a standalone server's (zk-standalone speaks of those).
 */
static int
zk_diverged(const struct qs_run *run, const struct qs_zk *z,
    const struct qs_event **x, const struct qs_event **y)
{
	struct qs_vec	txns;
	size_t		i, j;
	int		found = 0;

	/* The few first-of-file transactions, then pairs among them. */
	memset(&txns, 0, sizeof(txns));
	for (i = 0; i < run->events.n; i++) {
		const struct qs_event	*e = run->events.v[i];

		if (e->kind == QS_EV_TERM_CHANGE && e->time.set &&
		    (e->clock.set & QS_CLOCK_ZXID) &&
		    e->clock.zxid >> 32 != 0 &&
		    qs_zk_from_kind(&e->ev, "zk.txnlog") &&
		    zk_quorum_srv(z, e->observer) != NULL)
			qs_vec_push(&txns, (void *)e);
	}
	for (i = 0; i < txns.n && !found; i++)
		for (j = i + 1; j < txns.n && !found; j++) {
			const struct qs_event	*e = txns.v[i], *o = txns.v[j];

			if (o->clock.zxid != e->clock.zxid ||
			    o->observer == e->observer ||
			    o->time.ms == e->time.ms)
				continue;
			*x = e;
			*y = o;
			found = 1;
		}
	qs_vec_free(&txns);
	return found;
}

/* Make `s`'s server lines those of `keep`'s configuration. */
static void
zk_cfg_steps(struct qs_analysis *an, struct qs_finding *f,
    const struct qs_zk_srv *s, const struct qs_zk_srv *keep)
{
	size_t		i;
	char		key[64];

	if (keep->cfg == NULL || s->cfg == NULL ||
	    qs_zk_cfg_same(s->cfg, keep->cfg))
		return;
	for (i = 0; i < keep->cfg->members.n; i++) {
		const struct qs_member	*m = keep->cfg->members.v[i];
		const struct qs_setting	*want, *have;

		if (m->id == NULL)
			continue;
		snprintf(key, sizeof(key), "zk.server.%s", m->id);
		want = qs_setting_get(an->run, keep->node, QS_SYS_ZOOKEEPER,
		    key);
		have = qs_setting_get(an->run, s->node, QS_SYS_ZOOKEEPER, key);
		if (want == NULL)
			continue;
		if (have == NULL)
			qs_finding_step(an, f, "On %s, add `server.%s=%s` to "
			    "%s.", s->node->name, m->id, want->value,
			    s->cfg->ev.artifact->member);
		else if (strcmp(have->value, want->value) != 0)
			qs_finding_step(an, f, "On %s, in %s line %llu, "
			    "replace `server.%s=%s` with `server.%s=%s`.",
			    s->node->name, have->ev.artifact->member,
			    (unsigned long long)have->ev.line, m->id,
			    have->value, m->id, want->value);
	}
}

/*
 * Two leaders: the same epoch led by two servers (ZAB lets one leader
 * per epoch get a quorum), or two servers leading at the end while they
 * count different ensembles, or two txn logs with different copies of
 * one zxid.  Old leader in N and new leader in N+1 is succession, not
 * split brain.
 */
static void
rule_zk_split_brain(struct qs_analysis *an, const struct qs_rule *rule)
{
	struct qs_zk		*z;
	struct zk_leader	 L[QS_ZK_SRV_MAX];
	const struct qs_zk_srv	*keep = NULL, *sv;
	const struct qs_event	*dx = NULL, *dy = NULL;
	struct qs_finding	*f = NULL;
	size_t			 nl = 0, i, j, a = 0, b = 0;
	const char		*why = NULL;
	char			 t[40], t2[40];
	int			 div;

	z = qs_zk_facts(an);
	for (i = 0; i < z->n; i++) {
		const struct qs_zk_srv	*s = &z->srv[i];

		if (!s->has_lead_epoch || (s->led == NULL && !s->leading_now))
			continue;
		L[nl].srv = s;
		L[nl].epoch = s->lead_epoch;
		L[nl].ev = s->mode != NULL && s->leading_now ? &s->mode->ev :
		    &s->led->ev;
		nl++;
	}
	div = zk_diverged(an->run, z, &dx, &dy);
	for (i = 0; i < nl && f == NULL; i++)
		for (j = i + 1; j < nl && f == NULL; j++) {
			const struct qs_zk_srv	*x = L[i].srv, *y = L[j].srv;

			if (L[i].epoch == L[j].epoch || (x->leading_now &&
			    y->leading_now && zk_cfg_differ(x->cfg, y->cfg)) ||
			    zk_led_overlap(x, y)) {
				a = i;
				b = j;
				f = qs_finding_new(an, rule, "Two ZooKeeper "
				    "leaders: %s in epoch %llu and %s in epoch "
				    "%llu", x->node->name,
				    (unsigned long long)L[i].epoch,
				    y->node->name,
				    (unsigned long long)L[j].epoch);
			}
		}
	if (f == NULL && div && nl + 2 <= QS_ZK_SRV_MAX) {
		/* No leader lines or answers: the txn logs alone. */
		a = nl;
		b = nl + 1;
		L[a].srv = zk_srv_of(z, dx->observer);
		L[b].srv = zk_srv_of(z, dy->observer);
		L[a].epoch = L[b].epoch = dx->clock.zxid >> 32;
		L[a].ev = &dx->ev;
		L[b].ev = &dy->ev;
		nl += 2;
		f = qs_finding_new(an, rule, "Two histories of ZooKeeper epoch "
		    "%llu: %s and %s", (unsigned long long)L[a].epoch,
		    L[a].srv->node->name, L[b].srv->node->name);
	}
	if (f == NULL) {
		return;
	}
	for (i = 0; i < nl; i++) {
		const struct qs_zk_srv	*s = L[i].srv;

		if (i != a && i != b && L[i].epoch != L[a].epoch &&
		    L[i].epoch != L[b].epoch && !s->leading_now)
			continue;
		qs_finding_node(f, s->node);
		qs_finding_evidence(f, L[i].ev);
		if (s->led != NULL) {
			struct qs_time	end;

			qs_finding_evidence(f, &s->led->ev);
			end.set = 1;
			end.zone_known = s->led->time.zone_known;
			end.ms = s->led_end;
			qs_finding_fact(an, f, "%s led epoch %llu from %s to "
			    "%s (log line %llu: \"Have quorum of supporters\", "
			    "%s).", zk_srv_name(an, s),
			    (unsigned long long)s->led->clock.term,
			    s->led->time.set ? qs_time_format(&s->led->time,
			    t, sizeof(t)) : "an unknown time", s->led_open ?
			    "the end of its log" : qs_time_format(&end, t2,
			    sizeof(t2)),
			    (unsigned long long)s->led->ev.line,
			    s->led->detail != NULL ? s->led->detail : "");
		}
		if (s->mode != NULL && s->leading_now)
			qs_finding_fact(an, f, "%s's four-letter-word answer "
			    "at collection (%s): Mode: leader, Zxid %s (epoch "
			    "%llu).", s->node->name,
			    qs_zk_artifact_base(&s->mode->ev), s->mode_zxid !=
			    NULL ? s->mode_zxid->value : "?",
			    (unsigned long long)s->lead_epoch);
		qs_finding_fact(an, f, "%s counts the ensemble %s (%s).",
		    s->node->name, zk_cfg_text(an, s->cfg), s->cfg != NULL ?
		    s->cfg->ev.artifact->member : "no configuration read");
		if (s->cur != NULL) {
			qs_finding_evidence(f, &s->cur->ev);
			qs_finding_fact(an, f, "%s's epoch files: currentEpoch "
			    "%s, acceptedEpoch %s.", s->node->name,
			    s->cur->value, s->acc != NULL ? s->acc->value :
			    "missing");
		}
	}
	if (div) {
		qs_finding_node(f, dx->observer);
		qs_finding_node(f, dy->observer);
		qs_finding_evidence(f, &dx->ev);
		qs_finding_evidence(f, &dy->ev);
		qs_finding_fact(an, f, "%s's %s and %s's %s both hold zxid "
		    "0x%llx, written at %s and at %s: a leader stamps a "
		    "transaction once, so two leaders issued epoch %llu.",
		    dx->observer->name, qs_zk_artifact_base(&dx->ev),
		    dy->observer->name, qs_zk_artifact_base(&dy->ev),
		    (unsigned long long)dx->clock.zxid,
		    qs_time_format(&dx->time, t, sizeof(t)),
		    qs_time_format(&dy->time, t2, sizeof(t2)),
		    (unsigned long long)(dx->clock.zxid >> 32));
	}
	qs_finding_fact(an, f, "Each leader had a majority of its own server "
	    "list, so both accepted writes: from epoch %llu on the two "
	    "histories diverge and cannot be merged.",
	    (unsigned long long)(L[a].epoch < L[b].epoch ? L[a].epoch :
	    L[b].epoch));
	/* Keep the side holding the most history. */
	sv = qs_zk_best(z, NULL, NULL);
	for (i = 0; i < nl; i++)
		if (sv != NULL && zk_same_side(sv, L[i].srv))
			keep = L[i].srv;
	if (keep == NULL)
		keep = qs_zk_srv_better(L[b].srv, L[a].srv) ? L[b].srv : L[a].srv;
	if (sv == NULL || !zk_same_side(sv, keep))
		sv = keep;
	why = qs_zk_survivor_text(an, z, sv);
	if (sv->zxid_ev != NULL)
		qs_finding_evidence(f, sv->zxid_ev);
	qs_zk_fsync_fact(an, f, z);
	qs_finding_step(an, f, "Keep %s's side: start %s first: %s.",
	    keep->node->name, sv->node->name, why);
	for (i = 0; i < z->n; i++) {
		const struct qs_zk_srv	*s = &z->srv[i];

		if (zk_same_side(s, keep))
			continue;
		qs_finding_step(an, f, "Stop ZooKeeper on %s (Triton binder: "
		    "`svcadm disable svc:/smartdc/application/zookeeper:"
		    "default`); its writes since the split are lost unless "
		    "you export them first.", s->node->name);
	}
	for (i = 0; i < z->n; i++) {
		const struct qs_zk_srv	*s = &z->srv[i];

		if (zk_same_side(s, keep))
			continue;
		zk_cfg_steps(an, f, s, keep);
		qs_finding_step(an, f, "On %s, move %s/version-2 aside (`mv "
		    "%s/version-2 %s/version-2.split-brain`) so it takes the "
		    "kept history from the leader.", s->node->name,
		    zk_data_dir(an, s), zk_data_dir(an, s),
		    zk_data_dir(an, s));
	}
	qs_finding_step(an, f, "Give every server a myid of its own that "
	    "matches its server.N line (see zk-duplicate-myid), then start "
	    "%s, the rest of its side, and the others one at a time, "
	    "checking `echo srvr | nc <host> <clientPort>` shows one leader.",
	    sv->node->name);
}

/* The host of a server.N value "host:2888:3888[...]" ("[v6]:..." too). */
static const char *
zk_line_host(struct qs_analysis *an, const char *v)
{
	const char	*end;

	if (v[0] == '[') {
		if ((end = strchr(v, ']')) == NULL)
			return NULL;
		return qs_arena_strndup(&an->run->arena, v + 1,
		    (size_t)(end - v - 1));
	}
	end = strchr(v, ':');
	if (end == NULL || end == v)
		return NULL;
	return qs_arena_strndup(&an->run->arena, v, (size_t)(end - v));
}

/* One myid, two servers at different addresses. */
static void
rule_zk_duplicate_myid(struct qs_analysis *an, const struct qs_rule *rule)
{
	struct qs_zk		*z;
	const struct qs_zk_srv	*sv;
	unsigned long long	 next = 0;
	size_t			 i, j, k;
	uint64_t		 v;
	char			 key[64];

	z = qs_zk_facts(an);
	/* Free ids start above every id any server or line uses. */
	for (i = 0; i < z->n; i++) {
		const struct qs_zk_srv	*s = &z->srv[i];

		if (qs_zk_dec(s->myid, &v) == 0 && v >= next)
			next = v + 1;
		for (j = 0; s->cfg != NULL && j < s->cfg->members.n; j++) {
			const struct qs_member	*m = s->cfg->members.v[j];

			if (qs_zk_dec(m->id, &v) == 0 && v >= next)
				next = v + 1;
		}
	}
	sv = qs_zk_best(z, NULL, NULL);
	for (i = 0; i < z->n; i++) {
		const struct qs_zk_srv	*s = &z->srv[i], *owner = NULL;
		const char		*hs = qs_node_host(an->run, s->node,
		    NULL);
		struct qs_finding	*f = NULL;
		int			 first = 1, by_line;

		if (s->myid == NULL)
			continue;
		for (j = 0; j < i && first; j++)
			first = z->srv[j].myid == NULL ||
			    strcmp(z->srv[j].myid, s->myid) != 0;
		if (!first)
			continue;
		for (j = i + 1; j < z->n; j++) {
			const struct qs_zk_srv	*o = &z->srv[j];
			const char		*ho;

			if (o->myid == NULL || strcmp(o->myid, s->myid) != 0)
				continue;
			ho = qs_node_host(an->run, o->node, NULL);
			if (hs != NULL && ho != NULL && strcmp(hs, ho) == 0)
				continue;
			if (f == NULL) {
				f = qs_finding_new(an, rule, "myid %s on two "
				    "servers: %s and %s", s->myid,
				    s->node->name, o->node->name);
				qs_finding_node(f, s->node);
				qs_finding_evidence(f, s->myid_ev);
			}
			qs_finding_node(f, o->node);
			qs_finding_evidence(f, o->myid_ev);
		}
		if (f == NULL)
			continue;
		/* The owner: its address is the line the survivor lists. */
		snprintf(key, sizeof(key), "zk.server.%s", s->myid);
		for (k = 0; k < f->nodes.n; k++) {
			const struct qs_node	*n = f->nodes.v[k];
			const struct qs_setting	*line;
			const char		*h;

			for (j = 0; j < z->n; j++)
				if (z->srv[j].node == n)
					break;
			if (j == z->n)
				continue;
			qs_finding_fact(an, f, "%s says myid %s in %s.",
			    zk_srv_name(an, &z->srv[j]), s->myid,
			    qs_zk_artifact_base(z->srv[j].myid_ev));
			line = qs_setting_get(an->run, n, QS_SYS_ZOOKEEPER,
			    key);
			if (line != NULL)
				qs_finding_fact(an, f, "%s's zoo.cfg line %llu "
				    "has server.%s=%s.", n->name,
				    (unsigned long long)line->ev.line, s->myid,
				    line->value);
			if (owner == NULL && sv != NULL &&
			    (line = qs_setting_get(an->run, sv->node,
			    QS_SYS_ZOOKEEPER, key)) != NULL &&
			    (h = zk_line_host(an, line->value)) != NULL &&
			    qs_node_has_host(an->run, n, h) == 1)
				owner = &z->srv[j];
		}
		by_line = owner != NULL;
		if (owner == NULL)
			owner = s;
		qs_finding_fact(an, f, "ZooKeeper identifies voters by myid: "
		    "two servers with id %s are one voter to their peers, "
		    "which count the wrong majority, or form separate "
		    "ensembles that both think they are server %s.", s->myid,
		    s->myid);
		if (by_line)
			qs_finding_step(an, f, "Keep myid %s on %s: its address "
			    "is the server.%s line of %s, the server with the "
			    "most history.", s->myid, owner->node->name,
			    s->myid, sv->node->name);
		else
			qs_finding_step(an, f, "Keep myid %s on %s (no "
			    "configuration in the bundle says which server "
			    "owns it: choose the one whose address the "
			    "server.%s lines should name).", s->myid,
			    owner->node->name, s->myid);
		for (k = 0; k < f->nodes.n; k++) {
			const struct qs_node	*n = f->nodes.v[k];
			const struct qs_setting	*line;
			const char		*h;

			for (j = 0; j < z->n; j++)
				if (z->srv[j].node == n)
					break;
			if (j == z->n || &z->srv[j] == owner)
				continue;
			h = qs_node_host(an->run, n, NULL);
			line = qs_setting_get(an->run, owner->node,
			    QS_SYS_ZOOKEEPER, key);
			qs_finding_step(an, f, "On %s, stop ZooKeeper and "
			    "rewrite its myid: `echo %llu > %s/myid` "
			    "(%s).", n->name, next, zk_data_dir(an,
			    &z->srv[j]), z->srv[j].myid_ev != NULL &&
			    z->srv[j].myid_ev->artifact != NULL ?
			    z->srv[j].myid_ev->artifact->member : "the myid "
			    "file");
			if (h != NULL && line != NULL &&
			    strchr(line->value, ':') != NULL)
				qs_finding_step(an, f, "Add `server.%llu=%s%s` "
				    "to every server's zoo.cfg (or leave %s "
				    "out of the ensemble), then restart them "
				    "one at a time.", next, h,
				    strchr(line->value, ':'), n->name);
			next++;
		}
	}
}

/* Servers of a several-server bundle running standalone. */
static void
rule_zk_standalone(struct qs_analysis *an, const struct qs_rule *rule)
{
	struct qs_zk		*z;
	struct qs_finding	*f = NULL;
	const struct qs_zk_srv	*sv;
	size_t			 i, alone = 0;
	const char		*lines = "", *cfgs = "";

	z = qs_zk_facts(an);
	for (i = 0; i < z->n; i++) {
		const struct qs_zk_srv	*s = &z->srv[i];
		const struct qs_setting	*d = qs_setting_get(an->run, s->node,
		    QS_SYS_ZOOKEEPER, "zk.dataDir");

		/* The zoo.cfg files to edit, named by their dataDir setting. */
		if (d != NULL)
			cfgs = qs_arena_printf(&an->run->arena, "%s%s%s", cfgs,
			    *cfgs != '\0' ? ", " : "", d->ev.artifact->member);
		if (zk_srv_alone(s))
			alone++;
	}
	if (z->n < 2 || alone == 0) {
		return;
	}
	f = qs_finding_new(an, rule, "%zu of %zu ZooKeeper servers run "
	    "standalone", alone, z->n);
	for (i = 0; i < z->n; i++) {
		const struct qs_zk_srv	*s = &z->srv[i];

		if (!zk_srv_alone(s))
			continue;
		qs_finding_node(f, s->node);
		if (s->standalone != NULL) {
			qs_finding_evidence(f, &s->standalone->ev);
			qs_finding_fact(an, f, "%s's log line %llu: \"running "
			    "in standalone mode\" (no quorum in its "
			    "configuration).", zk_srv_name(an, s),
			    (unsigned long long)s->standalone->ev.line);
		}
		if (s->mode != NULL && strcmp(s->mode->value, "standalone") ==
		    0) {
			qs_finding_evidence(f, &s->mode->ev);
			qs_finding_fact(an, f, "%s's four-letter-word answer "
			    "(%s): Mode: standalone, Zxid %s.", s->node->name,
			    qs_zk_artifact_base(&s->mode->ev), s->mode_zxid !=
			    NULL ? s->mode_zxid->value : "?");
		}
		qs_finding_fact(an, f, "%s's configuration has %s%s.",
		    s->node->name, s->cfg == NULL ? "no server.N line" :
		    zk_cfg_text(an, s->cfg), s->cfg_alone ? ": no quorum, "
		    "and standaloneEnabled is not false, so QuorumPeerMain "
		    "runs it standalone" : "");
		if (s->cfg_alone && s->cfg != NULL)
			qs_finding_evidence(f, &s->cfg->ev);
	}
	qs_finding_fact(an, f, "A standalone server replicates nothing: each "
	    "serves and accepts writes on its own data, so clients see "
	    "different trees depending on the server they reach.");
	/* The server lines each zoo.cfg needs, from myids and addresses. */
	for (i = 0; i < z->n; i++) {
		const struct qs_zk_srv	*s = &z->srv[i];
		const char		*h = qs_node_host(an->run, s->node,
		    NULL);

		if (s->myid == NULL || h == NULL)
			continue;
		lines = qs_arena_printf(&an->run->arena, "%s%sserver.%s=%s:"
		    "2888:3888", lines, *lines != '\0' ? ", " : "", s->myid,
		    h);
	}
	if (*lines != '\0')
		qs_finding_step(an, f, "Add the ensemble's server lines to "
		    "every server's zoo.cfg (%s): %s (quorum and election "
		    "ports 2888:3888 are ZooKeeper's usual ones: use yours; on "
		    "Triton they come from SAPI's ZK_SERVERS).", cfgs, lines);
	else
		qs_finding_step(an, f, "Add one server.N=host:2888:3888 line "
		    "per server to every zoo.cfg, N being each server's myid.");
	if ((sv = qs_zk_best(z, NULL, NULL)) != NULL) {
		qs_finding_evidence(f, sv->zxid_ev);
		qs_finding_step(an, f, "Decide whose data to keep: %s, %s. "
		    "On the others, stop ZooKeeper and move the data aside "
		    "(`mv <dataDir>/version-2 <dataDir>/version-2.standalone`, "
		    "dataDir %s): their standalone writes are lost unless "
		    "exported first.", sv->node->name,
		    qs_zk_survivor_text(an, z, sv), zk_data_dir(an, sv));
		qs_finding_step(an, f, "Start %s first, then the others one at "
		    "a time; `echo srvr | nc <host> <clientPort>` must say "
		    "leader or follower, never standalone.", sv->node->name);
	}
}

/* Epoch files out of step, within one server or with the ensemble. */
static void
rule_zk_epoch_mismatch(struct qs_analysis *an, const struct qs_rule *rule)
{
	struct qs_zk		*z;
	uint64_t		 lead = 0;
	int			 has_lead = 0;
	size_t			 i, j;

	z = qs_zk_facts(an);
	for (i = 0; i < z->n; i++)
		if (z->srv[i].has_lead_epoch && (!has_lead ||
		    z->srv[i].lead_epoch > lead)) {
			lead = z->srv[i].lead_epoch;
			has_lead = 1;
		}
	for (i = 0; i < z->n; i++) {
		const struct qs_zk_srv	*s = &z->srv[i];
		struct qs_finding	*f;
		int			 ahead = 0, inner = 0, others = 0;
		uint64_t		 omax = 0, good;

		for (j = 0; j < z->n; j++)
			if (j != i && z->srv[j].cur != NULL) {
				others++;
				if (z->srv[j].cur_v > omax)
					omax = z->srv[j].cur_v;
			}
		if (s->cur != NULL && s->acc != NULL &&
		    (s->acc_v < s->cur_v || s->acc_v > s->cur_v + 1))
			inner = 1;
		if (s->cur != NULL && others > 0 && s->cur_v > omax &&
		    (!s->has_log_epoch || s->cur_v > s->log_epoch) &&
		    (!has_lead || s->cur_v > lead))
			ahead = 1;
		if (!inner && !ahead && s->epoch_sig == NULL)
			continue;
		f = qs_finding_new(an, rule, "%s's epoch files are out of "
		    "step%s", s->node->name, s->epoch_sig != NULL ?
		    ": it cannot follow the leader" : "");
		qs_finding_node(f, s->node);
		if (s->cur != NULL) {
			qs_finding_evidence(f, &s->cur->ev);
			qs_finding_evidence(f, s->acc != NULL ? &s->acc->ev :
			    NULL);
			qs_finding_fact(an, f, "%s: currentEpoch %s, "
			    "acceptedEpoch %s (%s).", zk_srv_name(an, s),
			    s->cur->value, s->acc != NULL ? s->acc->value :
			    "missing", s->cur->ev.artifact->member);
		}
		if (inner)
			qs_finding_fact(an, f, "acceptedEpoch %s, currentEpoch "
			    "%s: %s.", s->acc->value, s->cur->value,
			    s->acc_v < s->cur_v ? "ZooKeeper refuses to start "
			    "when acceptedEpoch is below currentEpoch" :
			    "an epoch was accepted more than one step past "
			    "the current one, which no election does");
		if (s->has_log_epoch) {
			qs_finding_evidence(f, &s->log_last->ev);
			qs_finding_fact(an, f, "Its txn logs end at epoch %llu "
			    "(zxid 0x%llx, %s).",
			    (unsigned long long)s->log_epoch,
			    (unsigned long long)s->log_zxid,
			    qs_zk_artifact_base(&s->log_last->ev));
		}
		if (ahead)
			qs_finding_fact(an, f, "Its currentEpoch %s is ahead "
			    "of every other server's (highest %llu)%s and of "
			    "its own history: no election produced it.",
			    s->cur->value, (unsigned long long)omax, has_lead ?
			    qs_arena_printf(&an->run->arena, ", of the "
			    "leaders' epoch %llu", (unsigned long long)lead) :
			    "");
		if (s->epoch_sig != NULL) {
			qs_finding_evidence(f, &s->epoch_sig->ev);
			qs_finding_fact(an, f, "Its log says \"%s\" (%zu "
			    "time%s, last at line %llu): the server refuses "
			    "the leader, goes back to LOOKING and never "
			    "serves.", s->epoch_sig->detail, s->epoch_sigs,
			    s->epoch_sigs == 1 ? "" : "s",
			    (unsigned long long)s->epoch_sig->ev.line);
		}
		good = has_lead ? lead : omax;
		qs_finding_step(an, f, "Stop ZooKeeper on %s (Triton binder: "
		    "`svcadm disable svc:/smartdc/application/zookeeper:"
		    "default`).", s->node->name);
		qs_finding_step(an, f, "Move its state aside so it resyncs "
		    "from the leader: `mv %s/version-2 %s/version-2.epoch` "
		    "(keep the myid file), then start it.", zk_data_dir(an, s),
		    zk_data_dir(an, s));
		if (s->cur != NULL && (!s->has_log_epoch ||
		    s->log_epoch <= good) && (has_lead || others > 0))
			qs_finding_step(an, f, "Or, keeping its data, write "
			    "the ensemble's epoch into both files (no "
			    "newline): `printf %llu > "
			    "%s/version-2/currentEpoch; printf %llu > "
			    "%s/version-2/acceptedEpoch`, then start it.",
			    (unsigned long long)good, zk_data_dir(an, s),
			    (unsigned long long)good, zk_data_dir(an, s));
	}
}

/* The txn log's fsync reported slow. */
static void
rule_zk_slow_fsync(struct qs_analysis *an, const struct qs_rule *rule)
{
	struct qs_zk		*z;
	size_t			 i, k;

	z = qs_zk_facts(an);
	for (i = 0; i < z->n; i++) {
		const struct qs_zk_srv	*s = &z->srv[i];
		const struct qs_setting	*tick, *sync, *dir;
		struct qs_finding	*f;
		uint64_t		 tv, sl;

		if (s->fsync == NULL || qs_zk_fsync_low(s->fsync))
			continue;
		f = qs_finding_new(an, rule, "%s's txn log fsync took up to "
		    "%s ms", s->node->name, s->fsync->value);
		qs_finding_node(f, s->node);
		qs_finding_evidence(f, &s->fsync->ev);
		qs_finding_fact(an, f, "%s logged \"fsync-ing the write ahead "
		    "log ... took %sms\" (longest, line %llu): ZooKeeper logs "
		    "it when an fsync exceeds "
		    "zookeeper.fsync.warningthresholdms (1000 ms unless set).",
		    zk_srv_name(an, s), s->fsync->value,
		    (unsigned long long)s->fsync->ev.line);
		tick = qs_setting_get(an->run, s->node, QS_SYS_ZOOKEEPER,
		    "zk.tickTime");
		sync = qs_setting_get(an->run, s->node, QS_SYS_ZOOKEEPER,
		    "zk.syncLimit");
		if (tick != NULL && sync != NULL && qs_zk_dec(tick->value,
		    &tv) == 0 && qs_zk_dec(sync->value, &sl) == 0 &&
		    tv < 1000000 && sl < 1000000)
			qs_finding_fact(an, f, "A follower that does not "
			    "acknowledge within syncLimit x tickTime = %llu ms "
			    "is dropped by the leader; a leader whose own disk "
			    "stalls stops pinging its followers.",
			    (unsigned long long)(tv * sl));
		for (k = 0; k < an->findings.n; k++) {
			const struct qs_finding	*o = an->findings.v[k];

			if (o == f || o->rule->system != QS_SYS_ZOOKEEPER ||
			    (strcmp(o->rule->kind, "quorum-loss") != 0 &&
			    strcmp(o->rule->kind, "split-brain") != 0))
				continue;
			qs_finding_fact(an, f, "Contributing cause of \"%s\" "
			    "(%s): slow acknowledgements cost a leader its "
			    "synced followers.", o->title, o->rule->id);
		}
		dir = qs_setting_get(an->run, s->node, QS_SYS_ZOOKEEPER,
		    "zk.dataLogDir");
		if (dir == NULL)
			dir = qs_setting_get(an->run, s->node,
			    QS_SYS_ZOOKEEPER, "zk.dataDir");
		qs_finding_step(an, f, "Measure the disk under %s on %s while "
		    "ZooKeeper runs (`iostat -x 1`; on SmartOS "
		    "`zpool iostat -v 1`, `vfsstat 1`).",
		    dir != NULL ? dir->value : "the dataDir", s->node->name);
		qs_finding_step(an, f, "Give the txn log a quiet low-latency "
		    "device of its own (zoo.cfg dataLogDir=<dir>) and keep "
		    "snapshots, swap and other zones' I/O off it; restart the "
		    "server after the change.");
	}
}

const struct qs_rule qs_rule_zk_split_brain = {
	.id = "zk-split-brain",
	.kind = "split-brain",
	.level = QS_LEVEL_ERROR,
	.system = QS_SYS_ZOOKEEPER,
	.title = "two ZooKeeper leaders at once",
	.explanation = "Two servers lead the same epoch, or lead at the same "
	    "time while counting different ensembles (different zoo.cfg server "
	    "lists, cloned zones, reused myids): each side takes writes the "
	    "other never sees.",
	.remediation = "Keep the side with the highest zxid, stop the other, "
	    "give it the kept side's server lines and fresh data, restart "
	    "starting from the survivor.",
	.check = rule_zk_split_brain,
};

const struct qs_rule qs_rule_zk_duplicate_myid = {
	.id = "zk-duplicate-myid",
	.kind = "inconsistent-config",
	.level = QS_LEVEL_ERROR,
	.system = QS_SYS_ZOOKEEPER,
	.title = "the same myid on two servers",
	.explanation = "ZooKeeper tells voters apart by myid; two servers "
	    "with one id at different addresses (a cloned zone) are counted "
	    "as one, or each joins a different ensemble as that server.",
	.remediation = "Rewrite the myid file of all but one of them and add "
	    "a matching server.N line everywhere.",
	.check = rule_zk_duplicate_myid,
};

const struct qs_rule qs_rule_zk_standalone = {
	.id = "zk-standalone",
	.kind = "inconsistent-config",
	.level = QS_LEVEL_ERROR,
	.system = QS_SYS_ZOOKEEPER,
	.title = "ZooKeeper servers running standalone",
	.explanation = "A zoo.cfg without a quorum (no server.N lines, or "
	    "one with standaloneEnabled left on) makes QuorumPeerMain run a "
	    "standalone server: the nodes of the bundle serve separate, "
	    "diverging copies of the data.",
	.remediation = "Put the ensemble's server lines in every zoo.cfg, "
	    "keep the data of the server with the highest zxid, restart.",
	.check = rule_zk_standalone,
};

const struct qs_rule qs_rule_zk_epoch_mismatch = {
	.id = "zk-epoch-mismatch",
	.kind = "data-corruption",
	.level = QS_LEVEL_ERROR,
	.system = QS_SYS_ZOOKEEPER,
	.title = "epoch files out of step",
	.explanation = "currentEpoch and acceptedEpoch record the last epoch "
	    "a server followed and the last one it promised; when they "
	    "disagree with each other, with its txn log or with the leader "
	    "(\"Leaders epoch, N is less than accepted epoch, M\"), the "
	    "server refuses to start or to follow.",
	.remediation = "Stop the server, move version-2 aside (or write the "
	    "leader's epoch into both files) and let it resync.",
	.check = rule_zk_epoch_mismatch,
};

const struct qs_rule qs_rule_zk_slow_fsync = {
	.id = "zk-slow-fsync",
	.kind = "slow-disk",
	.level = QS_LEVEL_WARNING,
	.system = QS_SYS_ZOOKEEPER,
	.title = "slow fsync of the ZooKeeper txn log",
	.explanation = "Every write waits for the txn log's fsync on a "
	    "majority; a slow disk delays acknowledgements past syncLimit and "
	    "can cost a leader its quorum.",
	.remediation = "Measure the disk, move dataLogDir to a dedicated "
	    "low-latency device.",
	.check = rule_zk_slow_fsync,
};
