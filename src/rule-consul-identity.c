/*
 * Consul rules about who is who:
 *
 *   consul-duplicate-node-id  two nodes with one node ID (a cloned data
 *                             dir or image), or "conflicting node ID" lines.
 *   consul-name-conflict      two agents claiming one node name (info when
 *                             it is a server rebuilt at a new address
 *                             whose old incarnation is gone).
 *   consul-gossip-key         gossip encryption keys that differ between
 *                             agents: members cannot talk to each other.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "quorumscope.h"

/* One finding for every signal of `kind`; NULL when there is none. */
static struct qs_finding *
identity_signals(struct qs_analysis *an, const struct qs_rule *rule,
    enum qs_signal_kind kind, const char *title)
{
	struct qs_run		*run = an->run;
	struct qs_finding	*f = NULL;
	size_t			 i, n = 0;

	for (i = 0; i < run->signals.n; i++) {
		const struct qs_signal	*s = run->signals.v[i];

		if (s->kind != kind || s->system != QS_SYS_CONSUL)
			continue;
		if (f == NULL)
			f = qs_finding_new(an, rule, "%s", title);
		qs_finding_node(f, s->observer);
		qs_finding_node(f, s->subject_node);
		if (n++ < 8)
			qs_finding_evidence(f, &s->ev);
	}
	if (f != NULL)
		qs_finding_fact(an, f, "%zu log line%s report%s it.", n,
		    n == 1 ? "" : "s", n == 1 ? "s" : "");
	return f;
}

static void
rule_consul_duplicate_node_id(struct qs_analysis *an,
    const struct qs_rule *rule)
{
	struct qs_run		*run = an->run;
	struct qs_finding	*f = NULL;
	size_t			 i, j, k;

	for (i = 0; i < run->nodes.n; i++) {
		struct qs_node			*a = run->nodes.v[i];
		const struct qs_identity	*ia = qs_node_ident(a,
		    QS_ID_NODE_ID, NULL);

		if (ia == NULL)
			continue;
		for (j = i + 1; j < run->nodes.n; j++) {
			struct qs_node			*b = run->nodes.v[j];

			for (k = 0; k < b->idents.n; k++) {
				const struct qs_identity *ib = b->idents.v[k];

				if (ib->kind != QS_ID_NODE_ID ||
				    strcmp(ib->value, ia->value) != 0)
					continue;
				if (f == NULL)
					f = qs_finding_new(an, rule, "Nodes "
					    "share a Consul node ID");
				qs_finding_node(f, a);
				qs_finding_node(f, b);
				qs_finding_evidence(f, &ia->ev);
				qs_finding_evidence(f, &ib->ev);
				qs_finding_fact(an, f, "%s and %s both have "
				    "node ID %s.", a->name, b->name, ia->value);
				break;
			}
		}
	}
	if (f == NULL)
		f = identity_signals(an, rule, QS_SIG_NODE_ID_CONFLICT,
		    "Agents report conflicting node IDs");
	if (f == NULL)
		return;
	qs_finding_fact(an, f, "The node ID is the agent's identity in the "
	    "catalog and, from raft protocol 3, the server's raft ID: two "
	    "agents with one ID overwrite each other, and two servers with "
	    "one ID are one voter to raft.");
	qs_finding_step(an, f, "On all but one of them: stop the agent, "
	    "delete node-id from its data directory (it was copied with the "
	    "data dir or the image), and start it again; it generates a new "
	    "one.");
	qs_finding_step(an, f, "For a server, remove the old entry from raft "
	    "first if needed: `consul operator raft remove-peer -id=<old id>`.");
}

/* The node whose own address has `addr`'s host, or NULL. */
static struct qs_node *
identity_owner(struct qs_analysis *an, const char *addr)
{
	const char	*host = qs_address_host(&an->run->arena, addr);
	size_t		 i;

	for (i = 0; host != NULL && i < an->run->nodes.n; i++)
		if (qs_node_has_host(an->run, an->run->nodes.v[i], host) == 1)
			return an->run->nodes.v[i];
	return NULL;
}

/* Is a raft voter at `addr`'s host known down at the end (history)? */
static int
identity_dead_voter(struct qs_analysis *an, const char *addr)
{
	const struct qs_consul	*c = qs_consul_facts(an);
	const char		*host = qs_address_host(&an->run->arena, addr);
	size_t			 i;

	if (c == NULL || c->history == NULL || !c->history->timed ||
	    host == NULL)
		return 0;
	for (i = 0; i < c->history->members.n; i++) {
		const struct qs_hmember	*m = c->history->members.v[i];
		const char		*h = qs_address_host(&an->run->arena,
		    m->label);

		if (m->node == NULL && h != NULL && strcmp(h, host) == 0 &&
		    qs_history_state_at(m, c->history->end, NULL) ==
		    QS_LIVE_DOWN)
			return 1;
	}
	return 0;
}

/*
 * A server rebuilt at a new address under its old name: one address of
 * the conflict is a node's own, the other no node's and the raft peer
 * there is down.  The old incarnation's gossip lingers until serf
 * declares it dead; two live agents are not involved.  The server of the
 * new address, or NULL when some conflict is not of this kind.
 */
static struct qs_node *
identity_replaced(struct qs_analysis *an, const char **old)
{
	struct qs_run	*run = an->run;
	struct qs_node	*node = NULL, *a, *b;
	size_t		 i;
	char		 x[128], y[128];

	for (i = 0; i < run->signals.n; i++) {
		const struct qs_signal	*s = run->signals.v[i];

		if (s->kind != QS_SIG_NAME_CONFLICT || s->system !=
		    QS_SYS_CONSUL)
			continue;
		if (s->detail == NULL || sscanf(s->detail, "%127s %127s", x,
		    y) != 2)
			return NULL;
		a = identity_owner(an, x);
		b = identity_owner(an, y);
		if ((a == NULL) == (b == NULL) || (node != NULL && node !=
		    (a != NULL ? a : b)) || !identity_dead_voter(an, a != NULL ?
		    y : x))
			return NULL;
		node = a != NULL ? a : b;
		*old = qs_arena_strdup(&run->arena, a != NULL ? y : x);
	}
	return node;
}

static void
rule_consul_name_conflict(struct qs_analysis *an, const struct qs_rule *rule)
{
	struct qs_finding	*f;
	struct qs_node		*node;
	const char		*old = NULL;

	f = identity_signals(an, rule, QS_SIG_NAME_CONFLICT,
	    "Two agents claim the same node name");
	if (f == NULL)
		return;
	if ((node = identity_replaced(an, &old)) != NULL) {
		f->level = QS_LEVEL_INFO;
		f->title = qs_arena_printf(&an->run->arena, "%s came back at a "
		    "new address under its old name", node->name);
		qs_finding_fact(an, f, "%s's former address %s is no node's "
		    "address any more, and the raft peer there is down: serf "
		    "saw the old incarnation's gossip claim the name until it "
		    "declared it dead.  Not two agents with one name.",
		    node->name, old);
		qs_finding_step(an, f, "Nothing to change on the agents; the "
		    "raft peer at the old address is consul-stale-peer's "
		    "business.");
		return;
	}
	qs_finding_fact(an, f, "serf identifies members by name: two agents "
	    "with one name flap between each other's addresses, and the one "
	    "that loses is treated as failed.");
	qs_finding_step(an, f, "Give each agent a unique node_name (by "
	    "default the host name: check cloned hosts) and restart it.");
}

static void
rule_consul_gossip_key(struct qs_analysis *an, const struct qs_rule *rule)
{
	struct qs_finding	*f;

	f = identity_signals(an, rule, QS_SIG_KEY_MISMATCH,
	    "Gossip encryption keys differ between agents");
	if (f == NULL)
		return;
	qs_finding_fact(an, f, "\"No installed keys could decrypt the "
	    "message\": this agent receives gossip encrypted with a key it "
	    "does not have, so members on either side see each other as "
	    "failed.");
	qs_finding_step(an, f, "Compare `consul keyring -list` on the agents; "
	    "install the missing key everywhere (`consul keyring -install`), "
	    "make it primary (`-use`), then remove the old one.  A new "
	    "agent gets the key through \"encrypt\" only when it has no "
	    "serf/local.keyring yet.");
}

const struct qs_rule qs_rule_consul_duplicate_node_id = {
	.id = "consul-duplicate-node-id",
	.kind = "inconsistent-config",
	.level = QS_LEVEL_ERROR,
	.system = QS_SYS_CONSUL,
	.title = "nodes share a Consul node ID",
	.explanation = "Each agent must have its own node ID; cloned data "
	    "directories or images give two agents the same one, and they "
	    "overwrite each other in the catalog and in raft.",
	.remediation = "Delete node-id on the clones and restart them.",
	.check = rule_consul_duplicate_node_id,
};

const struct qs_rule qs_rule_consul_name_conflict = {
	.id = "consul-name-conflict",
	.kind = "inconsistent-config",
	.level = QS_LEVEL_ERROR,
	.system = QS_SYS_CONSUL,
	.title = "two agents claim one node name",
	.explanation = "serf members are identified by name; two agents with "
	    "one name make each other look failed.",
	.remediation = "Give every agent a unique node_name.",
	.check = rule_consul_name_conflict,
};

const struct qs_rule qs_rule_consul_gossip_key = {
	.id = "consul-gossip-key",
	.kind = "inconsistent-config",
	.level = QS_LEVEL_ERROR,
	.system = QS_SYS_CONSUL,
	.title = "gossip encryption keys differ",
	.explanation = "Agents that do not share a gossip key cannot decrypt "
	    "each other's messages and see each other as failed.",
	.remediation = "Install the same keyring on every agent with consul "
	    "keyring.",
	.check = rule_consul_gossip_key,
};
