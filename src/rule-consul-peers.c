/*
 * Consul rules about the raft peer set (seeds 001 and 003):
 *
 *   consul-peers-empty     peers.json null, [] or a lone entry on a server
 *                          of a multi-server cluster: no quorum can form.
 *   consul-peers-differ    servers disagree on who the peers are.
 *   consul-stale-peer      a raft peer that serf no longer has alive
 *                          (left, failed, reaped, or never seen): only a
 *                          hand edit of peers.json removes it, because
 *                          force-leave acts on serf members.
 *   consul-peers-recovery  a peers.json recovery staged and never applied,
 *                          or written in a form the server cannot read.
 *   consul-removed-server  (info) a server that went down was removed from
 *                          the cluster (reaped, removed from raft) while
 *                          the others went on; its own files still hold
 *                          the configuration it had then.
 *
 * A removed server's own views are the views of a member that is gone
 * (consul.c): they are never compared with the others'.  When the cluster
 * has a leader at the end of the evidence, repairs go through it, one
 * server at a time: no repair tells the user to stop a cluster that
 * runs.
 */
#include "config.h"

#include <string.h>

#include "quorumscope.h"

/* How a member is compared across views: its node, else its host. */
static const char *
peers_member_key(struct qs_analysis *an, const struct qs_member *m)
{
	const char	*host;

	if (m->node != NULL)
		return m->node->name;
	if (m->address != NULL &&
	    (host = qs_address_host(&an->run->arena, m->address)) != NULL)
		return host;
	return m->name != NULL ? m->name : m->id != NULL ? m->id : "?";
}

/* "{consul1, consul2, 10.0.0.9}": a view's members, sorted as read. */
static const char *
peers_set_text(struct qs_analysis *an, const struct qs_view *v)
{
	const char	*out = "{";
	size_t		 i;

	if (v->is_null)
		return "null";
	for (i = 0; i < v->members.n; i++)
		out = qs_arena_printf(&an->run->arena, "%s%s%s", out,
		    i > 0 ? ", " : "", peers_member_key(an, v->members.v[i]));
	return qs_arena_printf(&an->run->arena, "%s}", out);
}

static int
peers_view_has(struct qs_analysis *an, const struct qs_view *v,
    const char *key)
{
	size_t	i;

	for (i = 0; i < v->members.n; i++)
		if (strcmp(peers_member_key(an, v->members.v[i]), key) == 0)
			return 1;
	return 0;
}

static int
peers_same_set(struct qs_analysis *an, const struct qs_view *a,
    const struct qs_view *b)
{
	size_t	i;

	if (a->is_null != b->is_null)
		return 0;
	for (i = 0; i < a->members.n; i++)
		if (!peers_view_has(an, b,
		    peers_member_key(an, a->members.v[i])))
			return 0;
	for (i = 0; i < b->members.n; i++)
		if (!peers_view_has(an, a,
		    peers_member_key(an, b->members.v[i])))
			return 0;
	return 1;
}

/* The view a server's raft acts on: its live store or configuration. */
static const struct qs_view *
peers_effective(const struct qs_consul_server *srv)
{
	if (srv->legacy || srv->config == NULL)
		return srv->peers;
	return srv->config;
}

static const char *
peers_file(struct qs_analysis *an, const struct qs_consul_server *srv)
{
	const struct qs_setting	*dd;

	dd = qs_setting_get(an->run, srv->node, QS_SYS_CONSUL, "data_dir");
	if (dd != NULL)
		return qs_arena_printf(&an->run->arena, "%s/raft/peers.json",
		    dd->value);
	return "raft/peers.json in its data directory";
}

/*
 * The common repair: stop every server, give each the same peers.json,
 * start them all.  `keep` lists the servers the cluster is rebuilt from.
 * A cluster that has a leader is never stopped: `leader_steps` then say
 * what to do through it instead.
 */
static void
peers_recovery_steps(struct qs_analysis *an, struct qs_finding *f,
    const struct qs_consul *c, const struct qs_vec *keep,
    const char *leader_steps)
{
	const char	*names = "";
	size_t		 i, n = 0;

	if (c->leader_at_end) {
		qs_finding_step(an, f, "The cluster has a leader at the end of "
		    "the evidence: do not stop the servers.  %s",
		    leader_steps);
		return;
	}
	for (i = 0; i < c->servers.n; i++) {
		const struct qs_consul_server	*srv = c->servers.v[i];

		if (srv->removed != NULL)
			continue;
		names = qs_arena_printf(&an->run->arena, "%s%s%s", names,
		    n++ > 0 ? ", " : "", srv->node->name);
	}
	qs_finding_step(an, f, "Stop the Consul agent on every server "
	    "(%s); peers.json is only read at start, and a running server "
	    "would overwrite it.", names);
	for (i = 0; i < keep->n; i++) {
		const struct qs_consul_server	*srv = keep->v[i];

		qs_finding_step(an, f, "On %s write %s:\n%s", srv->node->name,
		    peers_file(an, srv), qs_consul_peers_json(an, c, srv, keep));
	}
	qs_finding_step(an, f, "Start all servers at once and check that one "
	    "leader is elected and every server is a peer: `consul operator "
	    "raft list-peers` (Consul 0.7 and later) or `curl "
	    "http://127.0.0.1:8500/v1/status/peers` and `/v1/status/leader`.");
	qs_finding_step(an, f, "A server that had left gracefully must then "
	    "rejoin serf: `consul join <address of a live server>`.");
}

/* The servers a rebuilt cluster consists of: all but removed ones. */
static void
peers_keep(const struct qs_consul *c, struct qs_vec *keep)
{
	size_t	i;

	for (i = 0; i < c->servers.n; i++)
		if (((struct qs_consul_server *)c->servers.v[i])->removed ==
		    NULL)
			qs_vec_push(keep, c->servers.v[i]);
}

static void
rule_consul_peers_empty(struct qs_analysis *an, const struct qs_rule *rule)
{
	struct qs_consul	*c = qs_consul_facts(an);
	struct qs_vec		 bad = { 0 }, keep = { 0 };
	struct qs_finding	*f;
	size_t			 i;

	if (c == NULL)
		return;
	for (i = 0; i < c->servers.n && c->expected > 1; i++) {
		struct qs_consul_server	*srv = c->servers.v[i];
		const struct qs_view	*v = srv->peers;

		if (v != NULL && srv->removed == NULL && (v->is_null ||
		    v->members.n <= 1))
			qs_vec_push(&bad, srv);
	}
	if (bad.n > 0) {
		f = qs_finding_new(an, rule, "Raft peer set empty or alone on "
		    "%zu of %zu servers", bad.n, c->expected);
		if (bad.n * 2 < c->expected)
			f->level = QS_LEVEL_ERROR;
		for (i = 0; i < bad.n; i++) {
			struct qs_consul_server	*srv = bad.v[i];
			const struct qs_view	*v = srv->peers;

			qs_finding_node(f, srv->node);
			qs_finding_evidence(f, &v->ev);
			qs_finding_fact(an, f, "%s's raft/peers.json is %s.",
			    srv->node->name, v->is_null ? "null" :
			    v->members.n == 0 ? "[] (empty)" :
			    qs_arena_printf(&an->run->arena, "a single "
			    "peer, %s", peers_set_text(an, v)));
		}
		qs_finding_fact(an, f, "The cluster has %zu servers; a leader "
		    "needs the votes of %zu, and a server that knows no peer "
		    "cannot even ask for them.", c->expected,
		    c->expected / 2 + 1);
		if (bad.n * 2 >= c->expected)
			qs_finding_fact(an, f, "With a majority of servers in "
			    "this state the cluster cannot elect a leader on "
			    "restart: every server waits for peers it does not "
			    "know.");
		peers_keep(c, &keep);
		peers_recovery_steps(an, f, c, &keep, qs_arena_printf(
		    &an->run->arena, "Fix only the server%s named above, one "
		    "at a time: stop it, write its raft/peers.json with the "
		    "addresses of every server (%s), start it, and wait until "
		    "`consul operator raft list-peers` lists it before the "
		    "next.", bad.n == 1 ? "" : "s", qs_consul_peers_json(an, c,
		    bad.v[0], &keep)));
		qs_vec_free(&keep);
	}
	qs_vec_free(&bad);
}

static void
rule_consul_peers_differ(struct qs_analysis *an, const struct qs_rule *rule)
{
	struct qs_consul	*c = qs_consul_facts(an);
	struct qs_vec		 have = { 0 }, keep = { 0 };
	struct qs_finding	*f = NULL;
	size_t			 i, j;

	if (c == NULL)
		return;
	for (i = 0; i < c->servers.n; i++) {
		const struct qs_consul_server	*srv = c->servers.v[i];
		const struct qs_view		*v = peers_effective(srv);

		/*
		 * Empty and null sets are consul-peers-empty's business, a
		 * removed server's view is that of a member that is gone.
		 */
		if (v != NULL && !v->is_null && v->members.n > 1 &&
		    srv->removed == NULL)
			qs_vec_push(&have, c->servers.v[i]);
	}
	for (i = 0; i + 1 < have.n && f == NULL; i++)
		for (j = i + 1; j < have.n && f == NULL; j++)
			if (!peers_same_set(an,
			    peers_effective(have.v[i]),
			    peers_effective(have.v[j])))
				f = qs_finding_new(an, rule, "Servers disagree "
				    "on the raft peer set");
	if (f != NULL) {
		for (i = 0; i < have.n; i++) {
			struct qs_consul_server	*srv = have.v[i];
			const struct qs_view	*v = peers_effective(srv);

			qs_finding_node(f, srv->node);
			qs_finding_evidence(f, &v->ev);
			qs_finding_fact(an, f, "%s's %s lists %s.",
			    srv->node->name, v->source, peers_set_text(an, v));
		}
		qs_finding_fact(an, f, "Servers that count different peers "
		    "count different majorities: votes and commits can be "
		    "accepted by one set that the other never sees.");
		peers_keep(c, &keep);
		peers_recovery_steps(an, f, c, &keep, "Compare `consul "
		    "operator raft list-peers` with the servers that should "
		    "be there; remove an entry that is no server with `consul "
		    "operator raft remove-peer -address=<ip:port>`, and let a "
		    "server the leader does not list join again: stop only "
		    "that server, move its raft/ directory aside, start it.");
		qs_vec_free(&keep);
	}
	qs_vec_free(&have);
}

/*
 * What serf says of a raft peer: NULL when some node's serf view has it
 * alive at that address; otherwise "reaped", "left", "failed", "absent",
 * or "moved" when serf has the peer's node alive at another address (a
 * server replaced under the same name: the raft entry is stale).  `ev`
 * gets the evidence and `now` the address serf has, for "moved".  The
 * LAN pool (snapshots, logs, `consul members`) is the datacenter's own;
 * the WAN pool, slower to notice a dead server, is read only when no LAN
 * view was collected.
 */
static const char *
stale_serf_state(struct qs_analysis *an, const struct qs_member *peer,
    const struct qs_evidence **ev, const char **now)
{
	struct qs_run	*run = an->run;
	const char	*state = NULL, *host, *h;
	size_t		 i, j;
	int		 lan = 0;

	*ev = NULL;
	*now = NULL;
	host = peer->address != NULL ?
	    qs_address_host(&run->arena, peer->address) : NULL;
	for (i = 0; i < run->views.n && !lan; i++) {
		const struct qs_view	*v = run->views.v[i];

		lan = v->kind == QS_VIEW_GOSSIP &&
		    v->system == QS_SYS_CONSUL && strstr(v->source, "WAN") ==
		    NULL;
	}
	for (i = 0; i < run->views.n; i++) {
		const struct qs_view	*v = run->views.v[i];

		if (v->kind != QS_VIEW_GOSSIP || v->system != QS_SYS_CONSUL ||
		    (lan && strstr(v->source, "WAN") != NULL))
			continue;
		for (j = 0; j < v->members.n; j++) {
			const struct qs_member	*m = v->members.v[j];

			h = m->address != NULL ?
			    qs_address_host(&run->arena, m->address) : NULL;
			if (host != NULL ? (h != NULL && strcmp(h, host) == 0) :
			    (m->node != NULL && m->node == peer->node)) {
				if (m->state == QS_MEMBER_ALIVE)
					return NULL;
				state = qs_member_state_name(m->state);
				*ev = &v->ev;
			} else if (host != NULL && peer->node != NULL &&
			    m->node == peer->node &&
			    m->state == QS_MEMBER_ALIVE && state == NULL &&
			    (*now == NULL || strstr(v->source, "LAN") !=
			    NULL)) {
				*now = m->address;
				*ev = &v->ev;
			}
		}
	}
	for (i = 0; i < run->events.n && peer->node != NULL && *now == NULL;
	    i++) {
		const struct qs_event	*e = run->events.v[i];

		if (e->system == QS_SYS_CONSUL && e->kind == QS_EV_REAP &&
		    e->subject_node == peer->node) {
			*ev = &e->ev;
			return "reaped";
		}
	}
	if (state != NULL)
		return state;
	return *now != NULL ? "moved" : "absent";
}

/* Is `host` written as an IP address (v4 or v6), not a name? */
static int
stale_is_ip(const char *host)
{
	const char	*p;
	int		 dots = 0;

	if (strchr(host, ':') != NULL)
		return 1;
	for (p = host; *p != '\0'; p++) {
		if (*p == '.')
			dots++;
		else if (*p < '0' || *p > '9')
			return 0;
	}
	return dots == 3;
}

/* Did the peer's node leave gracefully (its own leave line)? */
static int
stale_left(const struct qs_run *run, const struct qs_member *peer)
{
	size_t	i;

	for (i = 0; peer->node != NULL && i < run->signals.n; i++) {
		const struct qs_signal	*g = run->signals.v[i];

		if (g->kind == QS_SIG_GRACEFUL_LEAVE &&
		    g->system == QS_SYS_CONSUL && g->subject_node == peer->node)
			return 1;
	}
	return 0;
}

/*
 * A raft peer is stale when serf never knew it at that address, has the
 * same server alive elsewhere, reaped it, or saw it leave for good.  A
 * peer serf has failed, or "not alive" in a snapshot (left or failed,
 * serf does not say), is a voter that is down: the quorum rule's story,
 * not an entry to remove.  An address written as a host name that no
 * node answers to is unknown, not stale.
 */
static const char *
stale_state(struct qs_analysis *an, const struct qs_member *m,
    const struct qs_evidence **sev, const char **now)
{
	const char	*state, *host;

	if ((state = stale_serf_state(an, m, sev, now)) == NULL)
		return NULL;
	if (strcmp(state, "failed") == 0 || (strcmp(state, "left") == 0 &&
	    !stale_left(an->run, m)))
		return NULL;
	if (strcmp(state, "absent") == 0 && m->node == NULL &&
	    m->address != NULL && (host = qs_address_host(&an->run->arena,
	    m->address)) != NULL && !stale_is_ip(host))
		return NULL;
	return state;
}

static void
rule_consul_stale_peer(struct qs_analysis *an, const struct qs_rule *rule)
{
	struct qs_run		*run = an->run;
	struct qs_consul	*c = qs_consul_facts(an);
	struct qs_finding	*f = NULL;
	struct qs_vec		 keep = { 0 }, seen = { 0 };
	size_t			 i, j, k, gossip = 0;
	int			 legacy;
	const char		*steps = "";

	if (c == NULL)
		return;
	/* Without any serf view there is nothing to compare against. */
	for (i = 0; i < run->views.n; i++)
		if (((struct qs_view *)run->views.v[i])->kind ==
		    QS_VIEW_GOSSIP)
			gossip++;
	for (i = 0; i < c->servers.n && gossip > 0; i++) {
		struct qs_consul_server	*srv = c->servers.v[i];
		const struct qs_view	*v = peers_effective(srv);

		if (v == NULL || v->is_null || srv->removed != NULL)
			continue;
		for (j = 0; j < v->members.n; j++) {
			const struct qs_member		*m = v->members.v[j];
			const char			*key, *state;
			const struct qs_evidence	*sev;
			const char			*now;
			int				 dup = 0;

			key = m->address != NULL ? m->address :
			    peers_member_key(an, m);
			if ((state = stale_state(an, m, &sev, &now)) == NULL)
				continue;
			if (f == NULL)
				f = qs_finding_new(an, rule, "Raft peers that "
				    "serf does not have alive");
			qs_finding_node(f, srv->node);
			qs_finding_evidence(f, &v->ev);
			if (sev != NULL)
				qs_finding_evidence(f, sev);
			for (k = 0; k < seen.n; k++)
				if (strcmp(seen.v[k], key) == 0)
					dup = 1;
			if (!dup)
				qs_vec_push(&seen, (void *)key);
			if (strcmp(state, "moved") == 0)
				qs_finding_fact(an, f, "%s's %s lists %s at %s, "
				    "but serf has %s alive at %s: the raft "
				    "entry is the address of a server that was "
				    "replaced.", srv->node->name, v->source,
				    m->node->name, m->address, m->node->name,
				    now);
			else
				qs_finding_fact(an, f, "%s's %s lists %s, which "
				    "serf has %s.", srv->node->name, v->source,
				    key, strcmp(state, "absent") == 0 ?
				    "never seen (no node's serf snapshot or "
				    "log knows it)" : state);
		}
	}
	if (f != NULL) {
		qs_finding_fact(an, f, "A stale peer still counts towards the "
		    "majority: with %zu such peer%s the live servers need "
		    "more votes than they can give.  `consul force-leave` "
		    "only acts on serf members, so it cannot remove a peer "
		    "that serf no longer knows.", seen.n,
		    seen.n == 1 ? "" : "s");
		for (i = legacy = 0; i < c->servers.n; i++)
			legacy |= ((struct qs_consul_server *)
			    c->servers.v[i])->legacy;
		for (i = 0; i < seen.n && !legacy; i++) {
			if (!c->leader_at_end)
				qs_finding_step(an, f, "If the cluster still "
				    "has a leader, remove the stale peer "
				    "through it: `consul operator raft "
				    "remove-peer -address=%s`.",
				    (const char *)seen.v[i]);
			steps = qs_arena_printf(&run->arena, "%s%s`consul "
			    "operator raft remove-peer -address=%s`", steps,
			    i > 0 ? ", then " : "", (const char *)seen.v[i]);
		}
		peers_keep(c, &keep);
		peers_recovery_steps(an, f, c, &keep, legacy ?
		    "On Consul before 0.7 a peer can only be removed by "
		    "rewriting peers.json: do it one server at a time, the "
		    "leader last, waiting for the leader after each." :
		    qs_arena_printf(&run->arena, "Remove the stale peer "
		    "through the leader: %s.", steps));
		qs_vec_free(&keep);
	}
	qs_vec_free(&seen);
}

static void
rule_consul_peers_recovery(struct qs_analysis *an, const struct qs_rule *rule)
{
	struct qs_consul	*c = qs_consul_facts(an);
	struct qs_finding	*f;
	struct qs_vec		 keep = { 0 };
	size_t			 i;

	if (c == NULL)
		return;
	peers_keep(c, &keep);
	for (i = 0; i < c->servers.n; i++) {
		struct qs_consul_server	*srv = c->servers.v[i];
		const struct qs_setting	*info, *proto;
		int			 objects;

		if (srv->peers == NULL || srv->legacy)
			continue;
		info = qs_setting_get(an->run, srv->node, QS_SYS_CONSUL,
		    "raft.peers_info");
		proto = qs_setting_get(an->run, srv->node, QS_SYS_CONSUL,
		    "raft_protocol");
		objects = strstr(srv->peers->source, "recovery") != NULL;
		f = qs_finding_new(an, rule, "%s holds a peers.json recovery "
		    "file that was never applied", srv->node->name);
		qs_finding_node(f, srv->node);
		qs_finding_evidence(f, &srv->peers->ev);
		if (info != NULL)
			qs_finding_evidence(f, &info->ev);
		qs_finding_fact(an, f, "Since Consul 0.7, raft/peers.json is "
		    "read once at start for an outage recovery and deleted "
		    "when the recovery succeeds; %s still has one (%s), so "
		    "the server has not restarted since it was written, or "
		    "could not read it.", srv->node->name,
		    peers_set_text(an, srv->peers));
		if (proto != NULL && ((objects && proto->value[0] < '3') ||
		    (!objects && proto->value[0] >= '3'))) {
			f->level = QS_LEVEL_ERROR;
			qs_finding_evidence(f, &proto->ev);
			qs_finding_fact(an, f, "It is written %s, but the server "
			    "runs raft protocol %s, which reads %s: the "
			    "recovery will fail.", objects ? "as objects (id, "
			    "address, non_voter)" : "as a list of addresses",
			    proto->value, objects ? "a list of addresses" :
			    "objects with id, address and non_voter");
		}
		if (c->leader_at_end)
			qs_finding_step(an, f, "The cluster has a leader at the "
			    "end of the evidence: no recovery is wanted.  "
			    "Delete %s before %s next restarts, or it will "
			    "rewrite the raft configuration.", peers_file(an,
			    srv), srv->node->name);
		else {
			qs_finding_step(an, f, "If the recovery is still "
			    "wanted: stop every server, write the same file "
			    "on each, then start them all.  This server's "
			    "form:\n%s", qs_consul_peers_json(an, c, srv,
			    &keep));
			qs_finding_step(an, f, "If it is not: delete %s before "
			    "the next restart, or it will rewrite the raft "
			    "configuration.", peers_file(an, srv));
		}
	}
	qs_vec_free(&keep);
}

/* What happened to a removed server, in order, as far as it is known. */
static const char *
removed_story(struct qs_analysis *an, const struct qs_consul *c,
    const struct qs_consul_server *srv, struct qs_finding *f)
{
	struct qs_arena		*a = &an->run->arena;
	const struct qs_span	*s = NULL;
	const char		*out = "";
	size_t			 i;
	char			 t[40];

	for (i = 0; srv->member != NULL && i < srv->member->live.n; i++) {
		const struct qs_span	*x = srv->member->live.v[i];

		if (x->state == QS_LIVE_DOWN)
			s = x;
	}
	if (s != NULL && c->history != NULL && c->history->timed) {
		qs_finding_evidence(f, s->from.ev);
		out = qs_arena_printf(a, "went down %s (%s%s)",
		    qs_mark_text(a, &s->from), s->from.why != NULL ?
		    s->from.why : "its log ends", s->from.grade ==
		    QS_GRADE_INFERRED ? "; inferred, its own log says nothing" :
		    "");
	}
	if (srv->reaped != NULL) {
		qs_finding_evidence(f, &srv->reaped->ev);
		out = qs_arena_printf(a, "%s%sserf reaped it%s%s%s%s", out,
		    *out != '\0' ? ", " : "", srv->reaped->time.set ? " at " :
		    "", srv->reaped->time.set ? qs_time_format(
		    &srv->reaped->time, t, sizeof(t)) : "",
		    srv->reaped->observer != NULL ? " (" : "",
		    srv->reaped->observer != NULL ? qs_arena_printf(a,
		    "%s's log)", srv->reaped->observer->name) : "");
	}
	if (srv->removed != NULL && srv->removed != srv->reaped) {
		qs_finding_evidence(f, &srv->removed->ev);
		out = qs_arena_printf(a, "%s%s%s removed it from the raft "
		    "configuration%s%s", out, *out != '\0' ? ", and " : "",
		    srv->removed->observer != NULL ?
		    srv->removed->observer->name : "the leader",
		    srv->removed->time.set ? " at " : "",
		    srv->removed->time.set ? qs_time_format(
		    &srv->removed->time, t, sizeof(t)) : "");
	}
	return *out != '\0' ? out : "is no longer in the raft configuration";
}

static void
rule_consul_removed_server(struct qs_analysis *an, const struct qs_rule *rule)
{
	struct qs_consul	*c = qs_consul_facts(an);
	struct qs_finding	*f;
	const struct qs_view	*own;
	size_t			 i;

	for (i = 0; c != NULL && i < c->servers.n; i++) {
		struct qs_consul_server	*srv = c->servers.v[i];

		if (srv->removed == NULL)
			continue;
		f = qs_finding_new(an, rule, "%s was removed from the cluster "
		    "after it %s", srv->node->name, srv->reaped != NULL ?
		    "failed and was reaped" : "went away");
		qs_finding_node(f, srv->node);
		qs_finding_fact(an, f, "%s %s.", srv->node->name,
		    removed_story(an, c, srv, f));
		qs_finding_evidence(f, &c->latest->ev);
		qs_finding_fact(an, f, "The cluster's raft configuration%s "
		    "lists %s: the servers that run went on without it.",
		    c->latest->clock.set & QS_CLOCK_INDEX ?
		    qs_arena_printf(&an->run->arena, " at index %llu",
		    (unsigned long long)c->latest->clock.index) : "",
		    qs_consul_voters_text(an, c->latest));
		own = peers_effective(srv);
		if (own != NULL && own != c->latest) {
			qs_finding_evidence(f, &own->ev);
			qs_finding_fact(an, f, "%s's own %s still lists %s: the "
			    "view it had when it went away, not a disagreement "
			    "between the servers that run.", srv->node->name,
			    own->source, qs_consul_voters_text(an, own));
		}
		qs_finding_step(an, f, "Nothing to repair in the running "
		    "cluster.");
		qs_finding_step(an, f, "If %s is to come back, move its raft/ "
		    "and serf/ directories aside before starting it, so that "
		    "it joins as a new server; started on its old data it "
		    "would campaign with the old configuration "
		    "(consul-removed-campaigns).", srv->node->name);
	}
}

const struct qs_rule qs_rule_consul_peers_empty = {
	.id = "consul-peers-empty",
	.kind = "quorum-loss",
	.level = QS_LEVEL_CRITICAL,
	.system = QS_SYS_CONSUL,
	.title = "raft peer set null, empty or alone on a server",
	.explanation = "A Consul server elects a leader with the peers in its "
	    "raft peer set.  When that set is null, [] or holds only the "
	    "server itself in a cluster of several servers, the server cannot "
	    "form a quorum; when a majority is in that state (typically after "
	    "all servers left gracefully during a parallel restart), the "
	    "cluster has no leader and cannot get one by itself.",
	.remediation = "Stop every server, write raft/peers.json with the "
	    "full set of live servers on each (a list of \"ip:8300\" up to "
	    "raft protocol 2, objects with id, address and non_voter from 3), "
	    "start them all, then let servers that left rejoin.",
	.check = rule_consul_peers_empty,
};

const struct qs_rule qs_rule_consul_peers_differ = {
	.id = "consul-peers-differ",
	.kind = "stale-peer",
	.level = QS_LEVEL_ERROR,
	.system = QS_SYS_CONSUL,
	.title = "servers disagree on the raft peer set",
	.explanation = "Every server must count the same peers, or they count "
	    "different majorities.  Differing peer sets come from servers "
	    "replaced or removed while others were down, from hand edits, or "
	    "from separate bootstraps.",
	.remediation = "Decide the set of servers the cluster is made of, stop "
	    "every server, write that set to raft/peers.json on each, and "
	    "start them together.",
	.check = rule_consul_peers_differ,
};

const struct qs_rule qs_rule_consul_stale_peer = {
	.id = "consul-stale-peer",
	.kind = "stale-peer",
	.level = QS_LEVEL_ERROR,
	.system = QS_SYS_CONSUL,
	.title = "raft peer not alive in serf",
	.explanation = "Raft and serf keep separate member lists.  A raft peer "
	    "whose address serf has as left, failed or reaped, or does not "
	    "know at all, still counts towards the quorum.  force-leave "
	    "only acts on serf members, so such a peer stays until the raft "
	    "configuration is changed through a leader or by hand.",
	.remediation = "With a leader: consul operator raft remove-peer.  "
	    "Without one: stop every server and rewrite raft/peers.json on "
	    "each without the stale peers.",
	.check = rule_consul_stale_peer,
};

const struct qs_rule qs_rule_consul_peers_recovery = {
	.id = "consul-peers-recovery",
	.kind = "inconsistent-config",
	.level = QS_LEVEL_WARNING,
	.system = QS_SYS_CONSUL,
	.title = "peers.json recovery staged but not applied",
	.explanation = "Consul 0.7 and later read raft/peers.json only at "
	    "start, to recover from an outage, and delete it once applied.  "
	    "A peers.json still present means the server has not restarted "
	    "since, or rejected the file, for example because it is in the "
	    "form of another raft protocol version.",
	.remediation = "Either finish the recovery (all servers stopped, the "
	    "same set written on each in the form their raft protocol reads, "
	    "all started) or delete the file.",
	.check = rule_consul_peers_recovery,
};

const struct qs_rule qs_rule_consul_removed_server = {
	.id = "consul-removed-server",
	.kind = "removed-member-present",
	.level = QS_LEVEL_INFO,
	.system = QS_SYS_CONSUL,
	.title = "a server that went away was removed from the cluster",
	.explanation = "A server that failed and was reaped by serf, or left, "
	    "is removed from the raft configuration by the leader while the "
	    "others go on.  Its own data directory still holds the "
	    "configuration it had then: the view of a member that is gone, "
	    "not a disagreement between the servers that run.",
	.remediation = "None for the running cluster; move the removed "
	    "server's raft/ directory aside before it ever starts again.",
	.check = rule_consul_removed_server,
};
