/*
 * Consul facts, built once per cluster (the servers of one datacenter)
 * before its rules run, and the cluster's history (history.c) that the
 * quorum and split-brain rules reason from.
 *
 * Servers.  A node is a server when its configuration says so, or when it
 * holds raft state (peers.json, raft.db, snapshots) or logged raft
 * elections.  Its raft address is the one raft logged ("Node at
 * 10.0.0.1:8300", "entering follower state: follower=..."), else the
 * advertise or bind address with the default server port 8300, else the
 * serf address's host with 8300.  Its own raft configuration is the one
 * with the highest raft index it holds (raft.db, snapshot meta.json, the
 * index an "initial configuration" line gives), else the latest its log
 * printed.
 *
 * The cluster's configuration is the one with the highest raft index any
 * server holds; servers holding equal indexes break the tie by how many
 * of them agree.  A server that this configuration no longer lists and
 * that another server removed from raft or serf reaped (Consul's leader
 * handles a reap as a leave: hashicorp/consul agent/consul/leader.go,
 * handleReapMember, removeConsulServer) is a removed member: its own
 * files hold the view it had when it went away.
 *
 * History, from hashicorp/raft and hashicorp/serf behaviour:
 *
 *   liveness   a server's own log lines (its start banner, "Caught
 *              signal", "shutdown complete", its graceful leave, and
 *              every line it wrote, including the first and last timed
 *              line of each log); what others said of it: serf's
 *              EventMemberFailed, EventMemberReap and EventMemberLeave,
 *              memberlist's suspicion and "Marking X as failed", the
 *              leader's "failed to heartbeat to" and "failed to
 *              appendEntries to" (raft replication.go), a candidate's
 *              failed vote requests; and EventMemberJoin or "member
 *              joined" when it came back; probes at collection (consul
 *              members, operator raft list-peers).  WAN pool events are
 *              left out: a WAN member is the same server seen from other
 *              datacenters.
 *   leadership raft's "entering leader state" (raft 1.1.2 and later;
 *              "Node at X [Leader] entering Leader state" before) and
 *              Consul's "cluster leadership acquired" open a term;
 *              followers' "New leader elected: X" (the consul:new-leader
 *              user event) say who leads; "cluster leadership lost",
 *              "failed to contact quorum of nodes, stepping down" end
 *              one; candidacies, "No cluster leader" and "no known
 *              peers, aborting election" say there was no leader then.
 *   voters     the cluster's configuration before the first change the
 *              logs date (with the servers the logs show being removed
 *              later, since they counted until then), then each dated
 *              change: a leader's "updating configuration" with the new
 *              server list (raft 1.x), raft.db entries with their
 *              AppendedAt time, and single removals and additions
 *              ("removing server by ID", "removed peer, stopping
 *              replication", "added peer, starting replication").  A
 *              server's own "initial configuration" is its stored view,
 *              not a change of the cluster's, and an empty list is a
 *              server not bootstrapped yet: neither sets the voters.
 *              Non-voters never count.
 *
 * Raft timing: raft's defaults (HeartbeatTimeout and ElectionTimeout
 * 1000 ms, LeaderLeaseTimeout 500 ms: hashicorp/raft config.go
 * DefaultConfig) multiplied by performance.raft_multiplier, which
 * defaults to 5 since Consul 0.7 (agent/consul/config.go
 * DefaultRaftMultiplier) and was in effect 1 before.  A follower notices
 * a dead leader within 2 heartbeat timeouts and an election round lasts
 * at most 2 election timeouts (raft randomizes both in [T, 2T]); allowing
 * four rounds, an election takes at most 10 x 1000 ms x the multiplier,
 * the threshold beyond which a leaderless stretch with a majority up is
 * reported.
 *
 * Leadership intervals, for the split-brain rule: each server's own lead
 * line to its own step-down, stop, restart, candidacy, or its going down
 * in the history.  A follower's report of a leader opens none.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quorumscope.h"

#define CONSUL_SERVER_PORT	"8300"
#define CONSUL_TIMEOUT_MS	1000	/* raft Heartbeat/ElectionTimeout */
#define CONSUL_LEASE_MS		500	/* raft LeaderLeaseTimeout */
#define CONSUL_MULT_DEFAULT	5	/* Consul >= 0.7 */
#define CONSUL_MULT_MAX		10	/* MaxRaftMultiplier */
#define CONSUL_ELECTION_ROUNDS	10	/* timeouts in one election, above */
#define CONSUL_ENTRIES_MAX	64	/* raft peers no server answers to */

/* A configuration entry that no server of the bundle answers to. */
struct consul_entry {
	const char		*addr;
	const char		*id;
	struct qs_hmember	*member;
};

/* A dated change of the voters. */
enum consul_change {
	CHANGE_SET,
	CHANGE_ADD,
	CHANGE_REMOVE
};
struct consul_vchange {
	enum consul_change	 kind;
	int64_t			 t;
	size_t			 seq;		/* read order, for ties */
	const struct qs_view	*view;		/* CHANGE_SET */
	struct qs_hmember	*member;	/* CHANGE_ADD, CHANGE_REMOVE */
	const struct qs_evidence *ev;
	const char		*source;
};

/* Build state: the facts, the history and what maps names to members. */
struct consul_build {
	struct qs_analysis	*an;
	struct qs_consul	*c;
	struct qs_history	*h;
	struct qs_vec		 entries;	/* struct consul_entry * */
	int			 entries_cut;	/* more than ENTRIES_MAX */
	struct qs_map		 initial;	/* "initial configuration" lines */
	struct qs_arena		 scratch;	/* the map's keys */
};

static int
consul_is_server(const struct qs_run *run, struct qs_node *node)
{
	const struct qs_setting	*s;
	size_t			 i;

	if (!(node->systems & (1u << QS_SYS_CONSUL)))
		return 0;
	s = qs_setting_get(run, node, QS_SYS_CONSUL, "server");
	if (s != NULL)
		return qs_setting_true(s);
	if (qs_node_has_kind(node, "consul.peers_json") ||
	    qs_node_has_kind(node, "consul.raft_db") ||
	    qs_node_has_kind(node, "consul.raft_snapshot_meta"))
		return 1;
	for (i = 0; i < run->events.n; i++) {
		const struct qs_event	*e = run->events.v[i];

		if (e->observer == node && e->system == QS_SYS_CONSUL &&
		    (e->kind == QS_EV_ELECTION_START ||
		    e->kind == QS_EV_LEADER_ELECTED) && e->subject == NULL)
			return 1;
	}
	return 0;
}

static const char *
consul_raft_addr(struct qs_analysis *an, const struct qs_node *node,
    int *seen)
{
	struct qs_run		*run = an->run;
	const struct qs_identity *id;
	const struct qs_setting	*s;
	const char		*host;

	*seen = 0;
	if ((id = qs_node_ident(node, QS_ID_ADDRESS, "raft")) != NULL) {
		*seen = 1;
		return id->value;
	}
	if ((s = qs_setting_get(run, node, QS_SYS_CONSUL,
	    "advertise_addr")) == NULL)
		s = qs_setting_get(run, node, QS_SYS_CONSUL, "bind_addr");
	if (s != NULL && (host = qs_address_host(&run->arena, s->value)) !=
	    NULL && strcmp(host, "0.0.0.0") != 0)
		return qs_arena_printf(&run->arena, "%s:%s", host,
		    CONSUL_SERVER_PORT);
	if ((id = qs_node_ident(node, QS_ID_ADDRESS, "serf")) != NULL &&
	    (host = qs_address_host(&run->arena, id->value)) != NULL)
		return qs_arena_printf(&run->arena, "%s:%s", host,
		    CONSUL_SERVER_PORT);
	return NULL;
}

static int
consul_cmp(const void *a, const void *b)
{
	const struct qs_consul_server *x = *(const struct qs_consul_server *const *)a;
	const struct qs_consul_server *y = *(const struct qs_consul_server *const *)b;

	return strcmp(x->node->name, y->node->name);
}

/*
 * A raft configuration: raft.db's entries, a snapshot's, the log's, and
 * what a collector's `consul info` or `consul debug` (latest_configuration)
 * and `consul operator raft list-peers` printed.  Not peers.json, which is a file
 * staged for a recovery from Consul 0.7 on.
 */
static int
consul_is_config_view(const struct qs_view *v)
{
	return v->system == QS_SYS_CONSUL && v->kind == QS_VIEW_CONSENSUS &&
	    (strncmp(v->source, "raft configuration", 18) == 0 ||
	    strncmp(v->source, "raft snapshot", 13) == 0 ||
	    strncmp(v->source, "consul info", 11) == 0 ||
	    strncmp(v->source, "consul debug", 12) == 0 ||
	    strncmp(v->source, "consul operator raft", 20) == 0);
}

static int
consul_from_log(const struct qs_evidence *ev)
{
	return ev->artifact != NULL && ev->artifact->kind != NULL &&
	    strcmp(ev->artifact->kind->name, "consul.log") == 0;
}

/*
 * A server's own raft configuration: the highest raft index it holds,
 * else the latest non-empty list its log printed.
 */
static const struct qs_view *
consul_own_config(const struct qs_run *run, const struct qs_node *node)
{
	const struct qs_view	*best = NULL, *timed = NULL;
	size_t			 i;

	for (i = 0; i < run->views.n; i++) {
		const struct qs_view	*v = run->views.v[i];

		if (v->observer != node || !consul_is_config_view(v))
			continue;
		if (v->members.n == 0)
			continue;	/* not bootstrapped yet */
		if (v->clock.set & QS_CLOCK_INDEX) {
			if (best == NULL || v->clock.index >= best->clock.index)
				best = v;
		} else if ((timed == NULL ||
		    !timed->time.set || (v->time.set &&
		    v->time.ms >= timed->time.ms)))
			timed = v;
	}
	return best != NULL ? best : timed;
}

static void
consul_build_servers(struct qs_analysis *an, struct qs_consul *c)
{
	struct qs_run	*run = an->run;
	uint64_t	 n;
	size_t		 i;

	for (i = 0; i < run->nodes.n; i++) {
		struct qs_node		*node = run->nodes.v[i];
		struct qs_consul_server	*srv;
		const struct qs_identity *id;

		if (!consul_is_server(run, node))
			continue;
		srv = qs_arena_alloc(&run->arena, sizeof(*srv));
		srv->node = node;
		srv->raft_addr = consul_raft_addr(an, node,
		    &srv->raft_addr_seen);
		if ((id = qs_node_ident(node, QS_ID_NODE_ID, NULL)) != NULL)
			srv->node_id = id->value;
		srv->peers = qs_view_latest(run, node, QS_VIEW_CONSENSUS,
		    "raft/peers.json");
		srv->config = consul_own_config(run, node);
		srv->serf = qs_view_latest(run, node, QS_VIEW_GOSSIP,
		    "serf LAN");
		/* The peers.json store of Consul <= 0.6: no peers.info. */
		srv->legacy = srv->peers != NULL &&
		    strstr(srv->peers->source, "legacy") != NULL &&
		    qs_setting_get(run, node, QS_SYS_CONSUL,
		    "raft.peers_info") == NULL;
		srv->bootstrap = qs_setting_get(run, node, QS_SYS_CONSUL,
		    "bootstrap");
		if (srv->bootstrap != NULL && !qs_setting_true(srv->bootstrap))
			srv->bootstrap = NULL;
		srv->expect = qs_setting_get(run, node, QS_SYS_CONSUL,
		    "bootstrap_expect");
		if (srv->expect != NULL && qs_parse_dec_u64(srv->expect->value,
		    strlen(srv->expect->value), &n) == 0 && n < 1000)
			srv->expect_n = (unsigned long)n;
		qs_vec_push(&c->servers, srv);
	}
	if (c->servers.n > 1)
		qsort(c->servers.v, c->servers.n, sizeof(*c->servers.v),
		    consul_cmp);
}

struct qs_consul_server *
qs_consul_server_of(const struct qs_consul *c, const struct qs_node *node)
{
	size_t	i;

	for (i = 0; node != NULL && i < c->servers.n; i++)
		if (((struct qs_consul_server *)c->servers.v[i])->node == node)
			return c->servers.v[i];
	return NULL;
}

/* Do two addresses name one host?  (Asked often: nothing is kept.) */
static int
consul_same_host(const char *x, const char *y)
{
	struct qs_arena	 tmp = { NULL };
	const char	*hx, *hy;
	int		 same;

	if (x == NULL || y == NULL)
		return 0;
	hx = qs_address_host(&tmp, x);
	hy = qs_address_host(&tmp, y);
	same = hx != NULL && hy != NULL && strcmp(hx, hy) == 0;
	qs_arena_free(&tmp);
	return same;
}

/*
 * The server a configuration entry (raft ID, address, resolved node)
 * means: the node ID, the raft address (protocol 2 and older use it as
 * the ID), the host of the raft address; a node resolved by other means
 * only when that server's raft address is unknown.
 */
static struct qs_consul_server *
consul_server_for(struct qs_analysis *an, const struct qs_consul *c,
    const char *id, const char *addr, const struct qs_node *node)
{
	struct qs_consul_server	*srv;
	size_t			 i;

	for (i = 0; id != NULL && i < c->servers.n; i++) {
		srv = c->servers.v[i];
		if ((srv->node_id != NULL && strcmp(id, srv->node_id) == 0) ||
		    (srv->raft_addr != NULL && strcmp(id, srv->raft_addr) ==
		    0))
			return srv;
	}
	for (i = 0; addr != NULL && i < c->servers.n; i++) {
		srv = c->servers.v[i];
		if (srv->raft_addr != NULL && strcmp(addr, srv->raft_addr) == 0)
			return srv;
	}
	for (i = 0; addr != NULL && i < c->servers.n; i++) {
		srv = c->servers.v[i];
		if (consul_same_host(addr, srv->raft_addr))
			return srv;
	}
	srv = qs_consul_server_of(c, node);
	if (srv != NULL && (srv->raft_addr == NULL || (addr == NULL &&
	    (id == NULL || srv->node_id == NULL))))
		return srv;
	return NULL;
}

/* The voters of a configuration view, as servers or address text. */
const char *
qs_consul_voters_text(struct qs_analysis *an, const struct qs_view *v)
{
	struct qs_consul	*c = qs_consul_facts(an);
	const char		*out = "{";
	size_t			 i, n = 0;

	if (v == NULL)
		return "none";
	if (v->is_null)
		return "null";
	for (i = 0; i < v->members.n; i++) {
		const struct qs_member		*m = v->members.v[i];
		const struct qs_consul_server	*srv = NULL;
		const char			*name;

		if (m->state == QS_MEMBER_NONVOTER)
			continue;
		if (c != NULL)
			srv = consul_server_for(an, c, m->id, m->address,
			    m->node);
		name = srv != NULL ? srv->node->name : m->address != NULL ?
		    m->address : m->id != NULL ? m->id : "?";
		out = qs_arena_printf(&an->run->arena, "%s%s%s", out,
		    n++ > 0 ? ", " : "", name);
	}
	return qs_arena_printf(&an->run->arena, "%s}", out);
}

/* The servers (and entries) of a view's voters, for comparisons. */
static void
consul_view_servers(struct qs_analysis *an, const struct qs_consul *c,
    const struct qs_view *v, struct qs_vec *out)
{
	size_t	i;

	for (i = 0; v != NULL && i < v->members.n; i++) {
		const struct qs_member	*m = v->members.v[i];
		struct qs_consul_server	*srv;

		if (m->state == QS_MEMBER_NONVOTER)
			continue;
		srv = consul_server_for(an, c, m->id, m->address, m->node);
		qs_vec_push(out, srv != NULL ? (void *)srv : (void *)m);
	}
}

/* Do two configurations list the same voters? */
int
qs_consul_same_voters(struct qs_analysis *an, const struct qs_consul *c,
    const struct qs_view *a, const struct qs_view *b)
{
	struct qs_vec	x = { NULL, 0, 0 }, y = { NULL, 0, 0 };
	size_t		i, j;
	int		same = 1;

	consul_view_servers(an, c, a, &x);
	consul_view_servers(an, c, b, &y);
	for (i = 0; i < x.n && same; i++) {
		for (j = 0; j < y.n; j++)
			if (x.v[i] == y.v[j])
				break;
		same = j < y.n;
	}
	for (i = 0; i < y.n && same; i++) {
		for (j = 0; j < x.n; j++)
			if (y.v[i] == x.v[j])
				break;
		same = j < x.n;
	}
	qs_vec_free(&x);
	qs_vec_free(&y);
	return same;
}

static int
consul_view_lists(struct qs_analysis *an, const struct qs_consul *c,
    const struct qs_view *v, const struct qs_consul_server *srv)
{
	size_t	i;

	for (i = 0; v != NULL && i < v->members.n; i++) {
		const struct qs_member	*m = v->members.v[i];

		if (m->state != QS_MEMBER_NONVOTER &&
		    consul_server_for(an, c, m->id, m->address, m->node) == srv)
			return 1;
	}
	return 0;
}

/*
 * The cluster's configuration: the highest raft index any server holds;
 * equal indexes go to the list most servers hold.
 */
static void
consul_latest(struct qs_analysis *an, struct qs_consul *c)
{
	size_t	i, j, agree, best_agree = 0;

	for (i = 0; i < c->servers.n; i++) {
		const struct qs_view	*v = ((struct qs_consul_server *)
		    c->servers.v[i])->config;

		/* An empty list is a server not bootstrapped yet. */
		if (v == NULL || !(v->clock.set & QS_CLOCK_INDEX) ||
		    v->members.n == 0)
			continue;
		for (j = agree = 0; j < c->servers.n; j++) {
			const struct qs_view	*w = ((struct qs_consul_server *)
			    c->servers.v[j])->config;

			if (w != NULL && qs_consul_same_voters(an, c, v, w))
				agree++;
		}
		if (c->latest == NULL ||
		    v->clock.index > c->latest->clock.index ||
		    (v->clock.index == c->latest->clock.index &&
		    agree > best_agree)) {
			c->latest = v;
			best_agree = agree;
		}
	}
	if (c->latest != NULL)
		return;
	/* No index anywhere: the non-empty list most servers hold. */
	for (i = 0; i < c->servers.n; i++) {
		const struct qs_consul_server	*srv = c->servers.v[i];
		const struct qs_view		*v = srv->legacy ||
		    srv->config == NULL ? srv->peers : srv->config;

		if (v == NULL || v->is_null || v->members.n == 0)
			continue;
		for (j = agree = 0; j < c->servers.n; j++) {
			const struct qs_consul_server	*o = c->servers.v[j];
			const struct qs_view		*w = o->legacy ||
			    o->config == NULL ? o->peers : o->config;

			if (w != NULL && !w->is_null &&
			    qs_consul_same_voters(an, c, v, w))
				agree++;
		}
		if (c->latest == NULL || agree > best_agree) {
			c->latest = v;
			best_agree = agree;
		}
	}
}

/*
 * Removed members: a server the cluster's configuration no longer lists
 * that another server took out of raft, or that serf reaped.
 */
static void
consul_removed(struct qs_analysis *an, struct qs_consul *c)
{
	struct qs_run	*run = an->run;
	size_t		 i, j;

	if (c->latest == NULL)
		return;
	for (i = 0; i < c->servers.n; i++) {
		struct qs_consul_server	*srv = c->servers.v[i];

		if (consul_view_lists(an, c, c->latest, srv))
			continue;
		for (j = 0; j < run->events.n; j++) {
			const struct qs_event	*e = run->events.v[j];

			if (e->system != QS_SYS_CONSUL || e->subject == NULL ||
			    e->observer == srv->node ||
			    (e->detail != NULL && strstr(e->detail, "wan") !=
			    NULL))
				continue;
			if (e->kind == QS_EV_REAP && e->subject_node ==
			    srv->node && consul_from_log(&e->ev)) {
				if (srv->reaped == NULL || (e->time.set &&
				    (!srv->reaped->time.set ||
				    e->time.ms < srv->reaped->time.ms)))
					srv->reaped = e;
				if (srv->removed == NULL)
					srv->removed = e;
			} else if (e->kind == QS_EV_MEMBER_REMOVE &&
			    consul_server_for(an, c, e->subject, e->subject,
			    e->subject_node) == srv && (srv->removed == NULL ||
			    srv->removed->kind == QS_EV_REAP ||
			    (e->time.set && !srv->removed->time.set)))
				srv->removed = e;
		}
	}
}

/*
 * A removed server is gone when the history has it down at the end, or,
 * without times, when no other server's serf view has it alive: one that
 * came back and runs is a member again, whatever its files say.
 */
static void
consul_removed_gone(struct qs_analysis *an, struct qs_consul *c)
{
	struct qs_run	*run = an->run;
	size_t		 i, j, k;
	int		 alive;

	for (i = 0; i < c->servers.n; i++) {
		struct qs_consul_server	*srv = c->servers.v[i];

		if (srv->removed == NULL)
			continue;
		if (c->history != NULL && c->history->timed)
			alive = !qs_consul_down_at_end(c, srv);
		else
			for (j = 0, alive = 0; j < run->views.n && !alive;
			    j++) {
				const struct qs_view	*v = run->views.v[j];

				if (v->kind != QS_VIEW_GOSSIP ||
				    v->observer == srv->node)
					continue;
				for (k = 0; k < v->members.n && !alive; k++) {
					const struct qs_member	*m =
					    v->members.v[k];

					alive = m->node == srv->node &&
					    m->state == QS_MEMBER_ALIVE;
				}
			}
		if (alive)
			srv->removed = srv->reaped = NULL;
	}
}

/* ---------------------------------------------------------------------
 * The history: members, then what each server's log says.
 */

static struct consul_entry *
consul_entry_find(const struct consul_build *b, const char *id,
    const char *addr)
{
	size_t	i;

	for (i = 0; i < b->entries.n; i++) {
		struct consul_entry	*en = b->entries.v[i];

		if ((addr != NULL && en->addr != NULL &&
		    strcmp(addr, en->addr) == 0) || (id != NULL &&
		    en->id != NULL && strcmp(id, en->id) == 0))
			return en;
	}
	return NULL;
}

/*
 * A name no node of the bundle has (a server whose files were not
 * collected): the configuration entry at the host the identities give
 * it (`consul members`, list-peers, a debug archive's members).
 */
static struct qs_hmember *
consul_member_of_name(struct consul_build *b, const char *name)
{
	const struct qs_run	*run = b->an->run;
	size_t			 i, j;

	for (i = 0; i < run->identities.n; i++) {
		const struct qs_identity	*id = run->identities.v[i];

		if (id->kind != QS_ID_ADDRESS || id->subject == NULL ||
		    strcmp(id->subject, name) != 0)
			continue;
		for (j = 0; j < b->entries.n; j++) {
			struct consul_entry	*en = b->entries.v[j];

			if (consul_same_host(id->value, en->addr))
				return en->member;
		}
	}
	return NULL;
}

/* How reports name an entry: its address, with the name the collected
 * commands give it when no node of the bundle has that name. */
static const char *
consul_entry_label(struct consul_build *b, const char *key)
{
	const struct qs_run	*run = b->an->run;
	size_t			 i;

	for (i = 0; i < run->identities.n; i++) {
		const struct qs_identity	*id = run->identities.v[i];

		if (id->kind == QS_ID_ADDRESS && id->subject != NULL &&
		    consul_same_host(id->value, key) &&
		    qs_model_lookup(b->an->run, id->subject) == NULL)
			return qs_arena_printf(&b->an->run->arena, "%s (%s)",
			    id->subject, key);
	}
	return key;
}

/* The member a configuration entry is, created for an unknown one. */
static struct qs_hmember *
consul_config_member(struct consul_build *b, const struct qs_member *m)
{
	struct qs_consul_server	*srv;
	struct consul_entry	*en;
	const char		*key;

	srv = consul_server_for(b->an, b->c, m->id, m->address, m->node);
	if (srv != NULL)
		return srv->member;
	if ((en = consul_entry_find(b, m->id, m->address)) != NULL) {
		if (en->addr == NULL && m->address != NULL)
			en->addr = m->address;
		if (en->id == NULL && m->id != NULL)
			en->id = m->id;
		return en->member;
	}
	if ((key = m->address != NULL ? m->address : m->id) == NULL)
		return NULL;
	if (b->entries.n == CONSUL_ENTRIES_MAX) {
		b->entries_cut = 1;
		return NULL;
	}
	en = qs_arena_alloc(&b->an->run->arena, sizeof(*en));
	en->addr = m->address;
	en->id = m->id;
	en->member = qs_history_member(b->h, NULL, key,
	    consul_entry_label(b, key));
	qs_vec_push(&b->entries, en);
	return en->member;
}

/*
 * The member a line names: a raft address or ID (a configuration entry
 * first, so that a stale address is not pinned on the server now at
 * that host's name), else the node the name resolved to, when that node
 * is a server.
 */
static struct qs_hmember *
consul_member_named(struct consul_build *b, const char *subject,
    const struct qs_node *node)
{
	struct qs_consul_server	*srv;
	struct consul_entry	*en;
	size_t			 i;

	if (subject == NULL)
		return NULL;
	for (i = 0; i < b->c->servers.n; i++) {
		srv = b->c->servers.v[i];
		if ((srv->raft_addr != NULL && strcmp(subject,
		    srv->raft_addr) == 0) || (srv->node_id != NULL &&
		    strcmp(subject, srv->node_id) == 0))
			return srv->member;
	}
	if ((en = consul_entry_find(b, subject, subject)) != NULL)
		return en->member;
	for (i = 0; strchr(subject, ':') != NULL && i < b->entries.n; i++) {
		en = b->entries.v[i];
		if (consul_same_host(subject, en->addr))
			return en->member;
	}
	if (strchr(subject, ':') != NULL) {
		for (i = 0; i < b->c->servers.n; i++) {
			srv = b->c->servers.v[i];
			if (consul_same_host(subject, srv->raft_addr))
				return srv->member;
		}
		return NULL;
	}
	if ((srv = qs_consul_server_of(b->c, node)) != NULL)
		return srv->member;
	/* A name no node has: what the collected commands say it is at. */
	return consul_member_of_name(b, subject);
}

static int
consul_wan(const char *detail)
{
	return detail != NULL && strstr(detail, "wan") != NULL;
}

/* What an agent says of a server's reachability (the WAN pool aside). */
static void
consul_contact(struct consul_build *b, struct qs_hmember *self, int lost,
    const char *subject, const struct qs_node *node, const char *detail,
    const struct qs_time *t, const struct qs_evidence *ev)
{
	struct qs_hmember	*m;

	if (consul_wan(detail) ||
	    (m = consul_member_named(b, subject, node)) == NULL)
		return;
	if (lost)
		qs_history_unreachable(b->h, m, self, t, ev);
	else
		qs_history_reachable(b->h, m, self, t, ev);
}

/*
 * One agent's own log: a server's lines say it ran and led; what any
 * agent (clients too: `self` NULL) says of the servers.
 */
static void
consul_history_agent(struct consul_build *b, const struct qs_node *node)
{
	struct qs_run		*run = b->an->run;
	struct qs_history	*h = b->h;
	struct qs_consul_server	*srv = qs_consul_server_of(b->c, node);
	struct qs_hmember	*self = srv != NULL ? srv->member : NULL, *m;
	size_t			 i;

	for (i = 0; i < run->events.n; i++) {
		const struct qs_event	*e = run->events.v[i];

		if (e->observer != node || e->system != QS_SYS_CONSUL ||
		    !consul_from_log(&e->ev))
			continue;
		switch (e->kind) {
		case QS_EV_START:
			qs_history_start(h, self, &e->time, &e->ev);
			continue;
		case QS_EV_STOP:
			qs_history_stop(h, self, &e->time, &e->ev,
			    e->detail != NULL ? qs_arena_printf(&run->arena,
			    "its shutdown line (%s)", e->detail) :
			    "its shutdown line");
			continue;
		case QS_EV_LEADER_ELECTED:
			if (e->subject == NULL)
				qs_history_leader(h, self,
				    (e->clock.set & QS_CLOCK_TERM) != 0,
				    e->clock.term, &e->time, &e->ev);
			else if ((m = consul_member_named(b, e->subject,
			    e->subject_node)) != NULL && m != self)
				qs_history_leader(h, m, 0, 0, &e->time, &e->ev);
			break;
		case QS_EV_LEADER_LOST:
			qs_history_step_down(h, self, &e->time, &e->ev,
			    e->detail != NULL && strcmp(e->detail,
			    "quorum lost") == 0 ? "it could not contact a "
			    "quorum and stepped down" : "it stepped down");
			qs_history_no_leader(h, &e->time, &e->ev);
			break;
		case QS_EV_ELECTION_START:
			qs_history_no_leader(h, &e->time, &e->ev);
			break;
		case QS_EV_FAIL:
		case QS_EV_REAP:
		case QS_EV_LEAVE:
		case QS_EV_JOIN:
			consul_contact(b, self, e->kind != QS_EV_JOIN,
			    e->subject, e->subject_node, e->detail, &e->time,
			    &e->ev);
			break;
		default:
			break;
		}
		qs_history_alive(h, self, &e->time, &e->ev);
	}
	for (i = 0; i < run->signals.n; i++) {
		const struct qs_signal	*g = run->signals.v[i];

		if (g->observer != node || g->system != QS_SYS_CONSUL)
			continue;
		switch (g->kind) {
		case QS_SIG_PROBE_UP:
		case QS_SIG_PROBE_DOWN:
		case QS_SIG_PROBE_NOT_SERVING:
			m = g->subject == NULL ? self : consul_member_named(b,
			    g->subject, g->subject_node);
			if (m == NULL)
				continue;
			qs_history_probe(h, m, g->kind == QS_SIG_PROBE_DOWN ?
			    QS_LIVE_DOWN : QS_LIVE_UP, &g->time, &g->ev);
			if (g->kind == QS_SIG_PROBE_NOT_SERVING)
				qs_history_no_leader(h, &g->time, &g->ev);
			continue;
		default:
			break;
		}
		if (!consul_from_log(&g->ev))
			continue;
		switch (g->kind) {
		case QS_SIG_FATAL:
			qs_history_stop(h, self, &g->time, &g->ev, g->detail !=
			    NULL ? qs_arena_printf(&run->arena, "fatal: %s",
			    g->detail) : "fatal");
			continue;
		case QS_SIG_NO_LEADER:
		case QS_SIG_NO_PEERS:
			qs_history_no_leader(h, &g->time, &g->ev);
			break;
		case QS_SIG_QUORUM_LOST:
			qs_history_step_down(h, self, &g->time, &g->ev,
			    "it could not contact a quorum and stepped down");
			qs_history_no_leader(h, &g->time, &g->ev);
			break;
		case QS_SIG_VOTE_FAILED:
		case QS_SIG_PEER_UNREACHABLE:
		case QS_SIG_PEER_REACHABLE:
			consul_contact(b, self, g->kind !=
			    QS_SIG_PEER_REACHABLE, g->subject, g->subject_node,
			    g->detail, &g->time, &g->ev);
			break;
		default:
			break;
		}
		qs_history_alive(h, self, &g->time, &g->ev);
	}
	/* Its logs' first and last timed lines: heard from then. */
	for (i = 0; self != NULL && i < node->artifacts.n; i++) {
		struct qs_artifact	*a = node->artifacts.v[i];
		struct qs_evidence	*ev;

		if (!a->last_time.set || a->kind == NULL ||
		    strcmp(a->kind->name, "consul.log") != 0)
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
}

static int
consul_cmp_change(const void *a, const void *b)
{
	const struct consul_vchange *x = *(const struct consul_vchange *const *)a;
	const struct consul_vchange *y = *(const struct consul_vchange *const *)b;

	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void
consul_vec_del(struct qs_vec *v, const void *p)
{
	size_t	i;

	for (i = 0; i < v->n; i++)
		if (v->v[i] == p) {
			memmove(&v->v[i], &v->v[i + 1], (v->n - i - 1) *
			    sizeof(*v->v));
			v->n--;
			return;
		}
}

static void
consul_vec_add(struct qs_vec *v, void *p)
{
	size_t	i;

	if (p == NULL)
		return;
	for (i = 0; i < v->n; i++)
		if (v->v[i] == p)
			return;
	qs_vec_push(v, p);
}

/* A configuration's voters as members. */
static void
consul_view_members(struct consul_build *b, const struct qs_view *v,
    struct qs_vec *out)
{
	size_t	i;

	out->n = 0;
	for (i = 0; i < v->members.n; i++) {
		const struct qs_member	*m = v->members.v[i];

		if (m->state != QS_MEMBER_NONVOTER)
			consul_vec_add(out, consul_config_member(b, m));
	}
}

/* The key of a line: its artifact and line number. */
static const char *
consul_line_key(const struct qs_evidence *ev, char *buf, size_t len)
{
	snprintf(buf, len, "%p:%llu", (const void *)ev->artifact,
	    (unsigned long long)ev->line);
	return buf;
}

/* The lines of servers' "initial configuration", indexed once. */
static void
consul_initial_lines(struct consul_build *b)
{
	const struct qs_run	*run = b->an->run;
	size_t			 i;
	char			 key[64];

	for (i = 0; i < run->events.n; i++) {
		const struct qs_event	*e = run->events.v[i];

		if (e->kind == QS_EV_CONFIG_CHANGE && e->detail != NULL &&
		    strcmp(e->detail, "initial") == 0)
			(void)qs_map_put(&b->initial, &b->scratch,
			    consul_line_key(&e->ev, key, sizeof(key)),
			    (void *)e);
	}
}

/* Was this timed view printed as a server's "initial configuration"? */
static int
consul_initial_view(const struct consul_build *b, const struct qs_view *v)
{
	char	key[64];

	return qs_map_get(&b->initial, consul_line_key(&v->ev, key,
	    sizeof(key))) != NULL;
}

/*
 * Before Consul 0.7 raft/peers.json is a server's live peer store, read
 * at every start.  When every server holds a null or empty one and
 * started after writing it (servers that left clear it), the cluster
 * came back with no voter at all: an empty set from the last start.
 */
static struct consul_vchange *
consul_legacy_restart(struct consul_build *b, size_t seq)
{
	struct qs_run		*run = b->an->run;
	struct consul_vchange	*ch;
	const struct qs_view	*peers = NULL;
	int64_t			 at = INT64_MIN, start;
	size_t			 i, j;

	for (i = 0; i < b->c->servers.n; i++) {
		const struct qs_consul_server	*srv = b->c->servers.v[i];

		if (srv->removed != NULL)
			continue;
		if (!srv->legacy || srv->peers == NULL ||
		    (!srv->peers->is_null && srv->peers->members.n > 0))
			return NULL;
		for (j = 0, start = INT64_MIN; j < run->events.n; j++) {
			const struct qs_event	*e = run->events.v[j];

			if (e->observer == srv->node && e->kind == QS_EV_START &&
			    e->time.set && consul_from_log(&e->ev) &&
			    e->time.ms > start)
				start = e->time.ms;
		}
		if (start == INT64_MIN)
			return NULL;
		if (start > at) {
			at = start;
			peers = srv->peers;
		}
	}
	if (peers == NULL)
		return NULL;
	ch = qs_arena_alloc(&run->arena, sizeof(*ch));
	ch->kind = CHANGE_SET;
	ch->t = at;
	ch->seq = seq;
	ch->ev = &peers->ev;
	ch->source = "every server's peers.json, null or empty at its start";
	return ch;
}

/* The voters over time (see the file comment). */
static void
consul_history_voters(struct consul_build *b)
{
	struct qs_run		*run = b->an->run;
	struct qs_vec		 changes = { NULL, 0, 0 }, cur = { NULL, 0, 0 };
	struct qs_vec		 tmp = { NULL, 0, 0 };
	struct consul_vchange	*ch;
	size_t			 i, j, seq = 0;

	for (i = 0; i < run->views.n; i++) {
		const struct qs_view	*v = run->views.v[i];
		struct qs_consul_server	*srv = qs_consul_server_of(b->c,
		    v->observer);

		if (!consul_is_config_view(v) || !v->time.set || srv == NULL ||
		    srv->removed != NULL || v->members.n == 0 ||
		    consul_initial_view(b, v))
			continue;
		ch = qs_arena_alloc(&run->arena, sizeof(*ch));
		ch->kind = CHANGE_SET;
		ch->t = v->time.ms;
		ch->seq = seq++;
		ch->view = v;
		ch->ev = &v->ev;
		ch->source = qs_arena_printf(&run->arena, "%s's %s",
		    srv->node->name, v->source);
		qs_vec_push(&changes, ch);
	}
	for (i = 0; i < run->events.n; i++) {
		const struct qs_event	*e = run->events.v[i];
		struct qs_hmember	*m;

		if (e->system != QS_SYS_CONSUL || !e->time.set ||
		    !consul_from_log(&e->ev) || (e->kind != QS_EV_MEMBER_ADD &&
		    e->kind != QS_EV_MEMBER_REMOVE) ||
		    (m = consul_member_named(b, e->subject,
		    e->subject_node)) == NULL)
			continue;
		ch = qs_arena_alloc(&run->arena, sizeof(*ch));
		ch->kind = e->kind == QS_EV_MEMBER_ADD ? CHANGE_ADD :
		    CHANGE_REMOVE;
		ch->t = e->time.ms;
		ch->seq = seq++;
		ch->member = m;
		ch->ev = &e->ev;
		ch->source = qs_arena_printf(&run->arena, "%s %s, as %s's log "
		    "says", m->label, ch->kind == CHANGE_ADD ? "added" :
		    "removed", e->observer != NULL ? e->observer->name : "?");
		qs_vec_push(&changes, ch);
	}
	if ((ch = consul_legacy_restart(b, seq++)) != NULL)
		qs_vec_push(&changes, ch);
	if (changes.n > 1)
		qsort(changes.v, changes.n, sizeof(*changes.v),
		    consul_cmp_change);

	/* Before the first dated change: the latest configuration, and
	 * every voter a dated change removes later. */
	if (b->c->latest != NULL)
		consul_view_members(b, b->c->latest, &cur);
	for (i = 0; i < changes.n; i++) {
		ch = changes.v[i];
		if (ch->kind == CHANGE_REMOVE)
			consul_vec_add(&cur, ch->member);
		else if (ch->kind == CHANGE_SET)
			break;
	}
	if (cur.n > 0)
		qs_history_voters(b->h, &cur, NULL, b->c->latest != NULL ?
		    &b->c->latest->ev : NULL, b->c->latest != NULL ?
		    b->c->latest->source : "dated removals");
	for (i = 0; i < changes.n; i++) {
		struct qs_time	t = { 1, 1, 0 };

		ch = changes.v[i];
		switch (ch->kind) {
		case CHANGE_SET:
			tmp.n = 0;
			if (ch->view != NULL)
				consul_view_members(b, ch->view, &tmp);
			cur.n = 0;
			for (j = 0; j < tmp.n; j++)
				qs_vec_push(&cur, tmp.v[j]);
			break;
		case CHANGE_ADD:
			j = cur.n;
			consul_vec_add(&cur, ch->member);
			if (cur.n == j)
				continue;	/* already a voter */
			break;
		case CHANGE_REMOVE:
			j = cur.n;
			consul_vec_del(&cur, ch->member);
			if (cur.n == j)
				continue;
			break;
		}
		t.ms = ch->t;
		qs_history_voters(b->h, &cur, &t, ch->ev, ch->source);
	}
	qs_vec_free(&tmp);
	qs_vec_free(&cur);
	qs_vec_free(&changes);
}

/*
 * performance.raft_multiplier as the servers set it (the largest, if
 * they differ), else the default of their Consul version.
 */
static void
consul_timing(struct qs_analysis *an, struct qs_consul *c)
{
	struct qs_run	*run = an->run;
	unsigned long	 v, best = 0;
	int		 old = 0, read = 0;
	size_t		 i;
	const char	*ver;

	for (i = 0; i < c->servers.n; i++) {
		const struct qs_consul_server	*srv = c->servers.v[i];
		const struct qs_setting		*s;

		s = qs_setting_get(run, srv->node, QS_SYS_CONSUL,
		    "performance.raft_multiplier");
		if (s != NULL && s->value[0] >= '0' && s->value[0] <= '9' &&
		    (v = strtoul(s->value, NULL, 10)) > 0 &&
		    v <= CONSUL_MULT_MAX) {
			read = 1;
			if (v > best)
				best = v;
		}
		s = qs_setting_get(run, srv->node, QS_SYS_CONSUL, "version");
		ver = s != NULL ? s->value : NULL;
		if (ver != NULL && *ver == 'v')
			ver++;
		if ((ver != NULL && strncmp(ver, "0.", 2) == 0 &&
		    strtoul(ver + 2, NULL, 10) < 7) || srv->legacy)
			old = 1;
	}
	if (read) {
		c->multiplier = (unsigned)best;
		c->multiplier_from = "performance.raft_multiplier";
	} else if (old) {
		c->multiplier = 1;
		c->multiplier_from = "Consul before 0.7; not set in the bundle";
	} else {
		c->multiplier = CONSUL_MULT_DEFAULT;
		c->multiplier_from = "Consul's default; not set in the bundle";
	}
	c->lease_ms = (int64_t)CONSUL_LEASE_MS * c->multiplier;
	c->history->election_ms = (int64_t)CONSUL_ELECTION_ROUNDS *
	    CONSUL_TIMEOUT_MS * c->multiplier;
	c->history->election_from = qs_arena_printf(&run->arena, "%d x %d ms "
	    "x raft_multiplier %u (%s): two heartbeat timeouts to notice a "
	    "dead leader, four election rounds of two election timeouts",
	    CONSUL_ELECTION_ROUNDS, CONSUL_TIMEOUT_MS, c->multiplier,
	    c->multiplier_from);
}

static int
consul_cmp_reign(const void *a, const void *b)
{
	const struct qs_consul_reign *x = *(const struct qs_consul_reign *const *)a;
	const struct qs_consul_reign *y = *(const struct qs_consul_reign *const *)b;

	if (x->from != y->from)
		return x->from < y->from ? -1 : 1;
	return strcmp(x->server->node->name, y->server->node->name);
}

/* Two lead lines of one term (raft's, then Consul's), or one untimed. */
static int
consul_same_term(const struct qs_event *a, const struct qs_event *b)
{
	return !(a->clock.set & QS_CLOCK_TERM) ||
	    !(b->clock.set & QS_CLOCK_TERM) || a->clock.term == b->clock.term;
}

static int
consul_cmp_event_time(const void *a, const void *b)
{
	const struct qs_event	*x = *(const struct qs_event *const *)a;
	const struct qs_event	*y = *(const struct qs_event *const *)b;

	if (x->time.ms != y->time.ms)
		return x->time.ms < y->time.ms ? -1 : 1;
	return x->ev.line < y->ev.line ? -1 : x->ev.line > y->ev.line;
}

/* Does an own line of this kind end a leadership? */
static const char *
consul_reign_end(const struct qs_event *x, const struct qs_event *start)
{
	switch (x->kind) {
	case QS_EV_LEADER_LOST:
		return "it stepped down";
	case QS_EV_STOP:
		return "it stopped";
	case QS_EV_START:
		return "it restarted";
	case QS_EV_ELECTION_START:
		return "it started an election";
	case QS_EV_LEADER_ELECTED:
		return x->subject == NULL && !consul_same_term(x, start) ?
		    "it was elected for another term" : NULL;
	default:
		return NULL;
	}
}

/* A leadership that ran on: until the server went down, or the end. */
static void
consul_reign_down(struct qs_consul *c, struct qs_consul_reign *r)
{
	const struct qs_hmember	*m = r->server->member;
	size_t			 j;

	r->to = c->history->timed && c->history->end > r->from ?
	    c->history->end : r->from;
	r->open = 1;
	for (j = 0; m != NULL && j < m->live.n; j++) {
		const struct qs_span	*s = m->live.v[j];

		if (s->state == QS_LIVE_DOWN && s->from.lo > r->from &&
		    s->from.lo < r->to) {
			r->to = s->from.lo;
			r->open = 0;
			r->end_ev = s->from.ev;
			r->ended = "it went down";
			return;
		}
	}
}

/*
 * Leadership intervals from each server's own lines, in time order (see
 * the file comment): they may overlap between servers, unlike the
 * history's terms.  A second lead line of the same term (raft's, then
 * Consul's) is the same leadership.
 */
static void
consul_reigns(struct qs_analysis *an, struct qs_consul *c)
{
	struct qs_run		*run = an->run;
	struct qs_vec		 own = { NULL, 0, 0 };
	struct qs_consul_reign	*r;
	const char		*ended;
	size_t			 i, k;

	for (k = 0; k < c->servers.n; k++) {
		struct qs_consul_server	*srv = c->servers.v[k];

		own.n = 0;
		for (i = 0; i < run->events.n; i++) {
			const struct qs_event	*e = run->events.v[i];

			if (e->observer == srv->node && e->time.set &&
			    e->system == QS_SYS_CONSUL &&
			    consul_from_log(&e->ev))
				qs_vec_push(&own, (void *)e);
		}
		if (own.n > 1)
			qsort(own.v, own.n, sizeof(*own.v),
			    consul_cmp_event_time);
		for (i = 0, r = NULL; i < own.n; i++) {
			const struct qs_event	*e = own.v[i];

			if (r != NULL && e->time.ms > r->from &&
			    (ended = consul_reign_end(e, r->start)) != NULL) {
				r->to = e->time.ms;
				r->end_ev = &e->ev;
				r->ended = ended;
				r = NULL;
			}
			if (e->kind != QS_EV_LEADER_ELECTED ||
			    e->subject != NULL || r != NULL)
				continue;
			r = qs_arena_alloc(&run->arena, sizeof(*r));
			r->server = srv;
			r->start = e;
			r->has_term = (e->clock.set & QS_CLOCK_TERM) != 0;
			r->term = e->clock.term;
			r->from = e->time.ms;
			qs_vec_push(&c->reigns, r);
		}
	}
	qs_vec_free(&own);
	/* Each ends at its own line, or earlier when it went down. */
	for (i = 0; i < c->reigns.n; i++) {
		int64_t		 to;
		const char	*why;
		const struct qs_evidence *ev;

		r = c->reigns.v[i];
		to = r->to;
		why = r->ended;
		ev = r->end_ev;
		consul_reign_down(c, r);
		if (why != NULL && (r->open || to <= r->to)) {
			r->to = to;
			r->open = 0;
			r->ended = why;
			r->end_ev = ev;
		}
	}
	if (c->reigns.n > 1)
		qsort(c->reigns.v, c->reigns.n, sizeof(*c->reigns.v),
		    consul_cmp_reign);
}

/* Whether the cluster had a leader and its quorum at the end. */
static void
consul_end_state(struct qs_consul *c)
{
	const struct qs_history	*h = c->history;
	const struct qs_qspan	*last;

	if (h == NULL || !h->timed || h->quorum.n == 0)
		return;
	last = h->quorum.v[h->quorum.n - 1];
	c->leader_at_end = last->term != NULL &&
	    last->state != QS_QUORUM_LOST && !h->no_leader_at_end;
}

static void
consul_history(struct qs_analysis *an, struct qs_consul *c)
{
	struct qs_run		*run = an->run;
	struct consul_build	 b;
	size_t			 i, j;

	memset(&b, 0, sizeof(b));
	b.an = an;
	b.c = c;
	b.h = c->history = qs_history_new(&run->arena, QS_SYS_CONSUL);
	for (i = 0; i < c->servers.n; i++) {
		struct qs_consul_server	*srv = c->servers.v[i];

		srv->member = qs_history_member(b.h, srv->node,
		    srv->raft_addr, NULL);
	}
	/* Configuration entries no server answers to are members too. */
	for (i = 0; i < run->views.n; i++) {
		const struct qs_view	*v = run->views.v[i];
		struct qs_consul_server	*srv = qs_consul_server_of(c,
		    v->observer);

		if (!consul_is_config_view(v) && (v->kind !=
		    QS_VIEW_CONSENSUS || v->system != QS_SYS_CONSUL ||
		    strncmp(v->source, "raft/peers.json", 15) != 0))
			continue;
		if (srv == NULL || srv->removed != NULL)
			continue;
		for (j = 0; j < v->members.n; j++) {
			const struct qs_member	*m = v->members.v[j];

			if (m->state != QS_MEMBER_NONVOTER)
				(void)consul_config_member(&b, m);
		}
	}
	consul_initial_lines(&b);
	consul_history_voters(&b);
	for (i = 0; i < run->nodes.n; i++)
		consul_history_agent(&b, run->nodes.v[i]);
	consul_timing(an, c);
	qs_history_finish(b.h);
	if (b.entries_cut)
		qs_diag_add(run, QS_SEV_WARNING, NULL, NULL, "Consul: more "
		    "than %d raft peers that no server of the bundle answers "
		    "to; the others are left out of the history",
		    CONSUL_ENTRIES_MAX);
	qs_vec_free(&b.entries);
	qs_map_free(&b.initial);
	qs_arena_free(&b.scratch);
}

static void
consul_expected(struct qs_consul *c)
{
	size_t	i, n;

	for (i = 0; i < c->servers.n; i++) {
		const struct qs_consul_server	*srv = c->servers.v[i];

		if (srv->removed != NULL)
			continue;
		if (srv->expect_n > c->expected && srv->expect_n < 100)
			c->expected = srv->expect_n;
		if (srv->peers != NULL && srv->peers->members.n > c->expected)
			c->expected = srv->peers->members.n;
		if (srv->config != NULL &&
		    (n = srv->config->members.n) > c->expected)
			c->expected = n;
	}
	if (c->servers.n > c->expected)
		c->expected = c->servers.n;
}

/* The Consul facts of the cluster being judged (built once). */
struct qs_consul *
qs_consul_facts(struct qs_analysis *an)
{
	struct qs_cluster	*cl = qs_facts_cluster(an, QS_SYS_CONSUL);
	struct qs_consul	*c;

	if (cl == NULL || cl->facts != NULL || an->cluster == NULL)
		return cl != NULL ? cl->facts : NULL;
	c = qs_xcalloc(1, sizeof(*c));
	cl->facts = c;
	consul_build_servers(an, c);
	consul_latest(an, c);
	consul_removed(an, c);
	consul_history(an, c);
	cl->history = c->history;
	consul_removed_gone(an, c);
	consul_expected(c);
	consul_reigns(an, c);
	consul_end_state(c);
	return c;
}

void
qs_consul_facts_free(struct qs_consul *c)
{
	if (c == NULL)
		return;
	qs_vec_free(&c->servers);
	qs_vec_free(&c->reigns);
	free(c);
}

/* Down at the end of the evidence, as far as the history tells. */
int
qs_consul_down_at_end(const struct qs_consul *c,
    const struct qs_consul_server *srv)
{
	if (c->history == NULL || !c->history->timed || srv->member == NULL)
		return 0;
	return qs_history_state_at(srv->member, c->history->end, NULL) ==
	    QS_LIVE_DOWN;
}

/*
 * The raft protocol a server speaks, as far as the bundle tells: its
 * raft_protocol setting, 1 for the peers.json store era, 3 when it has a
 * node ID (the default since Consul 1.0), else 2.
 */
static int
consul_protocol(struct qs_analysis *an, const struct qs_consul_server *srv)
{
	const struct qs_setting	*s;

	s = qs_setting_get(an->run, srv->node, QS_SYS_CONSUL, "raft_protocol");
	if (s != NULL && s->value[0] >= '1' && s->value[0] <= '9')
		return s->value[0] - '0';
	if (srv->legacy)
		return 1;
	return srv->node_id != NULL ? 3 : 2;
}

/*
 * The peers.json that `srv` must be given so that it comes back with
 * exactly the servers in `members` (struct qs_consul_server *), in the
 * form its version reads: a list of "ip:port" strings up to raft
 * protocol 2, objects with id, address and non_voter from 3 on.
 */
const char *
qs_consul_peers_json(struct qs_analysis *an, const struct qs_consul *c,
    const struct qs_consul_server *srv, const struct qs_vec *members)
{
	struct qs_arena	*a = &an->run->arena;
	const char	*out = "[";
	int		 objects = consul_protocol(an, srv) >= 3;
	size_t		 i;

	(void)c;
	for (i = 0; i < members->n; i++) {
		const struct qs_consul_server	*m = members->v[i];
		const char			*addr = m->raft_addr != NULL ?
		    m->raft_addr : qs_arena_printf(a, "<address of %s>:8300",
		    m->node->name);

		if (objects)
			out = qs_arena_printf(a, "%s%s{\"id\": \"%s\", "
			    "\"address\": \"%s\", \"non_voter\": false}", out,
			    i > 0 ? ", " : "", m->node_id != NULL ?
			    m->node_id : qs_arena_printf(a,
			    "<node-id of %s>", m->node->name), addr);
		else
			out = qs_arena_printf(a, "%s%s\"%s\"", out,
			    i > 0 ? ", " : "", addr);
	}
	return qs_arena_printf(a, "%s]", out);
}

/*
 * The server to rebuild from when a recovery needs one: the one whose raft
 * log goes furthest (raft.db's last index, else the index of its latest
 * snapshot), among the servers still up at the end of the evidence when
 * any is.  Returns NULL when no server's log position is known or no
 * server is ahead of all the others; *why gets a sentence saying what
 * was compared.
 */
const struct qs_consul_server *
qs_consul_survivor(struct qs_analysis *an, const struct qs_consul *c,
    const char **why)
{
	const struct qs_consul_server	*best = NULL;
	uint64_t			 best_index = 0, v;
	const char			*list = "", *down = "";
	size_t				 i, k, ties = 0, up = 0;
	int				 pass;
	static const char *const	 keys[] = {
		"raft.last_index", "raft.snapshot_index"
	};

	for (i = 0; i < c->servers.n; i++)
		if (!qs_consul_down_at_end(c, c->servers.v[i]))
			up++;
	for (pass = 0; pass < 2; pass++) {
		for (i = 0; i < c->servers.n; i++) {
			const struct qs_consul_server	*srv = c->servers.v[i];
			const struct qs_setting		*s = NULL;
			int				 gone;

			gone = up > 0 && qs_consul_down_at_end(c, srv);
			for (k = 0; k < 2 && s == NULL; k++)
				s = qs_setting_get(an->run, srv->node,
				    QS_SYS_CONSUL, keys[k]);
			if (s == NULL || qs_parse_dec_u64(s->value,
			    strlen(s->value), &v) != 0)
				continue;
			if (pass == 1) {
				list = qs_arena_printf(&an->run->arena,
				    "%s%s%s %s %llu%s", list, *list != '\0' ?
				    ", " : "", srv->node->name, strcmp(s->key,
				    "raft.last_index") == 0 ? "last log index" :
				    "snapshot index", (unsigned long long)v, gone ?
				    " (down)" : "");
				continue;
			}
			if (gone)
				continue;
			if (best == NULL || v > best_index) {
				best = srv;
				best_index = v;
				ties = 0;
			} else if (v == best_index)
				ties++;
		}
	}
	/* A tie (all at index 0 before any bootstrap, say) names nobody. */
	if (best != NULL && (ties > 0 || best_index == 0))
		best = NULL;
	for (i = 0; best != NULL && i < c->servers.n; i++)
		if (qs_consul_down_at_end(c, c->servers.v[i]) && up > 0)
			down = ", among the servers still up";
	if (best != NULL)
		*why = qs_arena_printf(&an->run->arena, "%s has the most of the "
		    "raft log%s (%s)", best->node->name, down, list);
	return best;
}
