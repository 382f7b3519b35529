/*
 * Consul rules about servers leaving on shutdown (seed 003's outage: a
 * parallel restart with skip_leave_on_interrupt=false, every server left,
 * every peer set cleared, no quorum on restart):
 *
 *   consul-majority-left  a majority of the servers left gracefully.
 *   consul-leave-hazard   servers configured to leave on interrupt or
 *                         terminate: a restart of several at once empties
 *                         the peer set.
 *
 * Defaults matter: before Consul 0.7, servers left on SIGINT unless
 * skip_leave_on_interrupt was true; since then servers default to
 * skip_leave_on_interrupt=true and leave_on_terminate=false.
 */
#include "config.h"

#include <string.h>

#include "quorumscope.h"

/* Why `srv` leaves on a signal, or NULL if it does not. */
static const char *
leave_reason(struct qs_analysis *an, const struct qs_consul_server *srv,
    const struct qs_setting **ev)
{
	const struct qs_setting	*skip, *term;

	skip = qs_setting_get(an->run, srv->node, QS_SYS_CONSUL,
	    "skip_leave_on_interrupt");
	term = qs_setting_get(an->run, srv->node, QS_SYS_CONSUL,
	    "leave_on_terminate");
	*ev = NULL;
	if (term != NULL && qs_setting_true(term)) {
		*ev = term;
		return "leave_on_terminate is true: SIGTERM makes it leave";
	}
	if (skip != NULL && !qs_setting_true(skip)) {
		*ev = skip;
		return "skip_leave_on_interrupt is false: SIGINT makes it leave";
	}
	if (skip == NULL && srv->legacy)
		return "it runs a Consul older than 0.7 (raft/peers.json is its "
		    "live peer store), where servers leave on SIGINT unless "
		    "skip_leave_on_interrupt is true";
	return NULL;
}

static const struct qs_signal *
leave_signal(struct qs_analysis *an, const struct qs_node *node)
{
	const struct qs_signal	*last = NULL;
	size_t			 i;

	for (i = 0; i < an->run->signals.n; i++) {
		const struct qs_signal	*s = an->run->signals.v[i];

		if (s->kind == QS_SIG_GRACEFUL_LEAVE && s->system ==
		    QS_SYS_CONSUL && s->subject_node == node)
			last = s;
	}
	return last;
}

static void
leave_fix_steps(struct qs_analysis *an, struct qs_finding *f)
{
	qs_finding_step(an, f, "On every server set \"skip_leave_on_interrupt\""
	    ": true and \"leave_on_terminate\": false, so that a restart is "
	    "not a departure.");
	qs_finding_step(an, f, "Restart servers one at a time, waiting for a "
	    "leader and for every server to be a voter again "
	    "(`consul operator raft list-peers`) before the next; remove a "
	    "server for good with `consul leave` on it.");
}

static void
rule_consul_majority_left(struct qs_analysis *an, const struct qs_rule *rule)
{
	struct qs_consul	*c = qs_consul_facts(an);
	struct qs_finding	*f, *empty;
	const struct qs_setting	*why_ev;
	const char		*why;
	size_t			 i, left = 0;

	if (c == NULL)
		return;
	for (i = 0; i < c->servers.n; i++)
		if (leave_signal(an, ((struct qs_consul_server *)
		    c->servers.v[i])->node) != NULL)
			left++;
	if (c->expected < 2 || left * 2 <= c->expected)
		return;
	f = qs_finding_new(an, rule, "%zu of %zu servers left the cluster "
	    "gracefully", left, c->expected);
	for (i = 0; i < c->servers.n; i++) {
		struct qs_consul_server	*srv = c->servers.v[i];
		const struct qs_signal	*s = leave_signal(an, srv->node);
		char			 t[40];

		if (s == NULL)
			continue;
		qs_finding_node(f, srv->node);
		qs_finding_evidence(f, &s->ev);
		why = leave_reason(an, srv, &why_ev);
		if (why_ev != NULL)
			qs_finding_evidence(f, &why_ev->ev);
		qs_finding_fact(an, f, "%s left gracefully%s%s%s.",
		    srv->node->name, s->time.set ? " at " : "",
		    s->time.set ? qs_time_format(&s->time, t, sizeof(t)) : "",
		    why != NULL ? qs_arena_printf(&an->run->arena, " (%s)",
		    why) : "");
	}
	qs_finding_fact(an, f, "A server that leaves is removed from the raft "
	    "peer set by the others, and clears its own.  Once a majority has "
	    "left at once, as in a parallel restart, the servers come back "
	    "with peer sets that cannot form a quorum: no leader.");
	qs_finding_step(an, f, "Rebuild the peer set as consul-peers-empty "
	    "says (stop all servers, the same raft/peers.json on each, start "
	    "all).");
	leave_fix_steps(an, f);
	/* The leaves are why the peer sets are empty. */
	if ((empty = qs_finding_find(an, "consul-peers-empty")) != NULL) {
		qs_finding_caused_by(empty, f);
		qs_finding_fact(an, empty, "Caused by %s: %s.", rule->id,
		    f->title);
	}
}

static void
rule_consul_leave_hazard(struct qs_analysis *an, const struct qs_rule *rule)
{
	struct qs_consul	*c = qs_consul_facts(an);
	struct qs_finding	*f = NULL;
	const struct qs_setting	*ev;
	const char		*why;
	size_t			 i;

	for (i = 0; c != NULL && i < c->servers.n && c->expected > 1; i++) {
		struct qs_consul_server	*srv = c->servers.v[i];

		if ((why = leave_reason(an, srv, &ev)) == NULL)
			continue;
		if (f == NULL)
			f = qs_finding_new(an, rule, "Servers leave the cluster "
			    "when they are stopped");
		qs_finding_node(f, srv->node);
		if (ev != NULL)
			qs_finding_evidence(f, &ev->ev);
		qs_finding_fact(an, f, "%s: %s.", srv->node->name, why);
	}
	if (f != NULL) {
		qs_finding_fact(an, f, "Stopping a majority of such servers at "
		    "once (a parallel restart, a deploy tool restarting "
		    "everything) removes them from each other's peer sets: the "
		    "cluster does not come back.");
		/* A setting no server acted on is worth knowing, no more. */
		for (i = 0; i < c->servers.n && leave_signal(an,
		    ((struct qs_consul_server *)c->servers.v[i])->node) ==
		    NULL; i++)
			;
		if (i == c->servers.n) {
			f->level = QS_LEVEL_INFO;
			qs_finding_fact(an, f, "No server left in the evidence "
			    "read.");
		}
		leave_fix_steps(an, f);
	}
}

const struct qs_rule qs_rule_consul_majority_left = {
	.id = "consul-majority-left",
	.kind = "quorum-loss",
	.level = QS_LEVEL_CRITICAL,
	.system = QS_SYS_CONSUL,
	.title = "a majority of servers left the cluster at once",
	.explanation = "Servers that leave gracefully are removed from the "
	    "raft peer set.  When a majority leaves together (typically a "
	    "parallel restart of servers configured to leave on a signal), "
	    "the remaining peer sets cannot form a quorum and the cluster has "
	    "no leader after the restart.",
	.remediation = "Rebuild raft/peers.json on every stopped server, start "
	    "them together, then stop servers from leaving on signals and "
	    "restart one at a time.",
	.check = rule_consul_majority_left,
};

const struct qs_rule qs_rule_consul_leave_hazard = {
	.id = "consul-leave-hazard",
	.kind = "leave-hazard",
	.level = QS_LEVEL_WARNING,
	.system = QS_SYS_CONSUL,
	.title = "servers leave the cluster on interrupt or terminate",
	.explanation = "With skip_leave_on_interrupt false (the default for "
	    "servers before Consul 0.7) or leave_on_terminate true, stopping a "
	    "server is a departure from the cluster.  Restarting a majority "
	    "at once then leaves no quorum.",
	.remediation = "Set skip_leave_on_interrupt true and "
	    "leave_on_terminate false on servers; restart them one at a time.",
	.check = rule_consul_leave_hazard,
};
