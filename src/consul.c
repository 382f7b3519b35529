/*
 * Consul facts several rules need: which nodes are servers, the address
 * each one's raft listens on, its node ID, its latest peer set, raft
 * configuration and serf view, how many servers the cluster should have,
 * and how to write a peers.json that a given server's version reads.
 *
 * A node is a server when its configuration says so, or when it holds
 * raft state (peers.json, raft.db, snapshots) or logged raft elections.
 * The raft address is the one raft logged ("Node at 10.0.0.1:8300"), else
 * the advertise or bind address with the default server port 8300, else
 * the serf address's host with 8300.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "quorumscope.h"

#define CONSUL_SERVER_PORT	"8300"

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
consul_raft_addr(struct qs_analysis *an, const struct qs_node *node)
{
	struct qs_run		*run = an->run;
	const struct qs_identity *id;
	const struct qs_setting	*s;
	const char		*host;

	if ((id = qs_node_ident(node, QS_ID_ADDRESS, "raft")) != NULL)
		return id->value;
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

void
qs_consul_model(struct qs_analysis *an, struct qs_consul *c)
{
	struct qs_run	*run = an->run;
	size_t		 i, n;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < run->nodes.n; i++) {
		struct qs_node		*node = run->nodes.v[i];
		struct qs_consul_server	*srv;
		const struct qs_identity *id;
		const struct qs_setting	*s;

		if (!consul_is_server(run, node))
			continue;
		srv = qs_arena_alloc(&run->arena, sizeof(*srv));
		srv->node = node;
		srv->raft_addr = consul_raft_addr(an, node);
		if ((id = qs_node_ident(node, QS_ID_NODE_ID, NULL)) != NULL)
			srv->node_id = id->value;
		srv->peers = qs_view_latest(run, node, QS_VIEW_CONSENSUS,
		    "raft/peers.json");
		srv->config = qs_view_latest(run, node, QS_VIEW_CONSENSUS,
		    "raft configuration");
		if (srv->config == NULL)
			srv->config = qs_view_latest(run, node,
			    QS_VIEW_CONSENSUS, "raft snapshot");
		srv->serf = qs_view_latest(run, node, QS_VIEW_GOSSIP,
		    "serf LAN");
		/* The peers.json store of Consul <= 0.6: no peers.info. */
		srv->legacy = srv->peers != NULL &&
		    strstr(srv->peers->source, "legacy") != NULL &&
		    qs_setting_get(run, node, QS_SYS_CONSUL,
		    "raft.peers_info") == NULL;
		qs_vec_push(&c->servers, srv);

		s = qs_setting_get(run, node, QS_SYS_CONSUL,
		    "bootstrap_expect");
		if (s != NULL && (n = strtoul(s->value, NULL, 10)) > c->expected
		    && n < 100)
			c->expected = n;
		if (srv->peers != NULL && srv->peers->members.n > c->expected)
			c->expected = srv->peers->members.n;
		if (srv->config != NULL && srv->config->members.n > c->expected)
			c->expected = srv->config->members.n;
	}
	if (c->servers.n > c->expected)
		c->expected = c->servers.n;
	if (c->servers.n > 1)
		qsort(c->servers.v, c->servers.n, sizeof(*c->servers.v),
		    consul_cmp);
}

void
qs_consul_free(struct qs_consul *c)
{
	qs_vec_free(&c->servers);
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
 * snapshot).  Returns NULL when no server's log position is known or no
 * server is ahead of all the others; *why
 * gets a sentence saying what was compared.
 */
const struct qs_consul_server *
qs_consul_survivor(struct qs_analysis *an, const struct qs_consul *c,
    const char **why)
{
	const struct qs_consul_server	*best = NULL;
	unsigned long long		 best_index = 0, v;
	const char			*best_src = NULL, *list = "";
	size_t				 i, k, ties = 0;
	static const char *const	 keys[] = {
		"raft.last_index", "raft.snapshot_index"
	};

	for (i = 0; i < c->servers.n; i++) {
		const struct qs_consul_server	*srv = c->servers.v[i];
		const struct qs_setting		*s = NULL;

		for (k = 0; k < 2 && s == NULL; k++)
			s = qs_setting_get(an->run, srv->node, QS_SYS_CONSUL,
			    keys[k]);
		if (s == NULL)
			continue;
		v = strtoull(s->value, NULL, 10);
		list = qs_arena_printf(&an->run->arena, "%s%s%s %s %llu", list,
		    *list != '\0' ? ", " : "", srv->node->name,
		    strcmp(s->key, "raft.last_index") == 0 ? "last log index" :
		    "snapshot index", v);
		if (best == NULL || v > best_index) {
			best = srv;
			best_index = v;
			best_src = s->key;
			ties = 0;
		} else if (v == best_index)
			ties++;
	}
	/* A tie (all at index 0 before any bootstrap, say) names nobody. */
	if (best != NULL && (ties > 0 || best_index == 0))
		best = NULL;
	if (best != NULL)
		*why = qs_arena_printf(&an->run->arena, "%s has the most of the "
		    "raft log (%s)", best->node->name, list);
	(void)best_src;
	return best;
}
