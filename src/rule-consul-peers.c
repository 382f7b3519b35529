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
 */
static void
peers_recovery_steps(struct qs_analysis *an, struct qs_finding *f,
    const struct qs_consul *c, const struct qs_vec *keep)
{
	const char	*names = "";
	size_t		 i;

	for (i = 0; i < c->servers.n; i++)
		names = qs_arena_printf(&an->run->arena, "%s%s%s", names,
		    i > 0 ? ", " : "",
		    ((struct qs_consul_server *)c->servers.v[i])->node->name);
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

/* Servers with a known raft address: what a rebuilt cluster consists of. */
static void
peers_keep(const struct qs_consul *c, struct qs_vec *keep)
{
	size_t	i;

	for (i = 0; i < c->servers.n; i++)
		qs_vec_push(keep, c->servers.v[i]);
}

static void
rule_consul_peers_empty(struct qs_analysis *an, const struct qs_rule *rule)
{
	struct qs_consul	 c;
	struct qs_vec		 bad = { 0 }, keep = { 0 };
	struct qs_finding	*f;
	size_t			 i;

	qs_consul_model(an, &c);
	for (i = 0; i < c.servers.n && c.expected > 1; i++) {
		struct qs_consul_server	*srv = c.servers.v[i];
		const struct qs_view	*v = srv->peers;

		if (v != NULL && (v->is_null || v->members.n <= 1))
			qs_vec_push(&bad, srv);
	}
	if (bad.n > 0) {
		f = qs_finding_new(an, rule, "Raft peer set empty or alone on "
		    "%zu of %zu servers", bad.n, c.expected);
		if (bad.n * 2 < c.expected)
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
		    "cannot even ask for them.", c.expected,
		    c.expected / 2 + 1);
		if (bad.n * 2 >= c.expected)
			qs_finding_fact(an, f, "With a majority of servers in "
			    "this state the cluster cannot elect a leader on "
			    "restart: every server waits for peers it does not "
			    "know.");
		peers_keep(&c, &keep);
		peers_recovery_steps(an, f, &c, &keep);
		qs_vec_free(&keep);
	}
	qs_vec_free(&bad);
	qs_consul_free(&c);
}

static void
rule_consul_peers_differ(struct qs_analysis *an, const struct qs_rule *rule)
{
	struct qs_consul	 c;
	struct qs_vec		 have = { 0 }, keep = { 0 };
	struct qs_finding	*f = NULL;
	size_t			 i, j;

	qs_consul_model(an, &c);
	for (i = 0; i < c.servers.n; i++) {
		const struct qs_view	*v = peers_effective(c.servers.v[i]);

		/* Empty and null sets are consul-peers-empty's business. */
		if (v != NULL && !v->is_null && v->members.n > 1)
			qs_vec_push(&have, c.servers.v[i]);
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
		peers_keep(&c, &keep);
		peers_recovery_steps(an, f, &c, &keep);
		qs_vec_free(&keep);
	}
	qs_vec_free(&have);
	qs_consul_free(&c);
}

/*
 * What serf says of a raft peer: NULL when some node's serf view has it
 * alive at that address; otherwise "reaped", "left", "failed", "absent",
 * or "moved" when serf has the peer's node alive at another address (a
 * server replaced under the same name: the raft entry is stale).  `ev`
 * gets the evidence and `now` the address serf has, for "moved".
 */
static const char *
stale_serf_state(struct qs_analysis *an, const struct qs_member *peer,
    const struct qs_evidence **ev, const char **now)
{
	struct qs_run	*run = an->run;
	const char	*state = NULL, *host, *h;
	size_t		 i, j;

	*ev = NULL;
	*now = NULL;
	host = peer->address != NULL ?
	    qs_address_host(&run->arena, peer->address) : NULL;
	for (i = 0; i < run->views.n; i++) {
		const struct qs_view	*v = run->views.v[i];

		if (v->kind != QS_VIEW_GOSSIP || v->system != QS_SYS_CONSUL)
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

static void
rule_consul_stale_peer(struct qs_analysis *an, const struct qs_rule *rule)
{
	struct qs_run		*run = an->run;
	struct qs_consul	 c;
	struct qs_finding	*f = NULL;
	struct qs_vec		 keep = { 0 }, seen = { 0 };
	size_t			 i, j, k, gossip = 0;
	int			 legacy;

	/* Without any serf view there is nothing to compare against. */
	for (i = 0; i < run->views.n; i++)
		if (((struct qs_view *)run->views.v[i])->kind ==
		    QS_VIEW_GOSSIP)
			gossip++;
	qs_consul_model(an, &c);
	for (i = 0; i < c.servers.n && gossip > 0; i++) {
		struct qs_consul_server	*srv = c.servers.v[i];
		const struct qs_view	*v = peers_effective(srv);

		if (v == NULL || v->is_null)
			continue;
		for (j = 0; j < v->members.n; j++) {
			const struct qs_member		*m = v->members.v[j];
			const char			*key, *state;
			const struct qs_evidence	*sev;
			const char			*now;
			int				 dup = 0;

			key = m->address != NULL ? m->address :
			    peers_member_key(an, m);
			if ((state = stale_serf_state(an, m, &sev, &now)) ==
			    NULL)
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
		for (i = legacy = 0; i < c.servers.n; i++)
			legacy |= ((struct qs_consul_server *)
			    c.servers.v[i])->legacy;
		for (i = 0; i < seen.n && !legacy; i++)
			qs_finding_step(an, f, "If the cluster still has a "
			    "leader, remove the stale peer through it: `consul "
			    "operator raft remove-peer -address=%s`.",
			    (const char *)seen.v[i]);
		peers_keep(&c, &keep);
		peers_recovery_steps(an, f, &c, &keep);
		qs_vec_free(&keep);
	}
	qs_vec_free(&seen);
	qs_consul_free(&c);
}

static void
rule_consul_peers_recovery(struct qs_analysis *an, const struct qs_rule *rule)
{
	struct qs_consul	 c;
	struct qs_finding	*f;
	size_t			 i;

	qs_consul_model(an, &c);
	for (i = 0; i < c.servers.n; i++) {
		struct qs_consul_server	*srv = c.servers.v[i];
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
		qs_finding_step(an, f, "If the recovery is still wanted: stop "
		    "every server, write the same file on each, then start "
		    "them all.  This server's form:\n%s",
		    qs_consul_peers_json(an, &c, srv, &c.servers));
		qs_finding_step(an, f, "If it is not: delete %s before the "
		    "next restart, or it will rewrite the raft configuration.",
		    peers_file(an, srv));
	}
	qs_consul_free(&c);
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
