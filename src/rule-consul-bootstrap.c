/*
 * Consul rules about bootstrap settings (seeds 001 and 003):
 *
 *   consul-multiple-bootstrap  more than one server in bootstrap mode, or
 *                              bootstrap mode beside other servers: each
 *                              bootstrapper elects itself, and separately
 *                              bootstrapped servers form separate clusters.
 *   consul-expect-mismatch     bootstrap_expect differs between servers,
 *                              or is larger than the servers there are.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "quorumscope.h"

static void
rule_consul_multiple_bootstrap(struct qs_analysis *an,
    const struct qs_rule *rule)
{
	struct qs_run		*run = an->run;
	struct qs_consul	*c = qs_consul_facts(an);
	struct qs_vec		 boot = { 0 };
	struct qs_finding	*f = NULL, *differ;
	size_t			 i, signals = 0;

	if (c == NULL)
		return;
	for (i = 0; i < c->servers.n; i++) {
		struct qs_consul_server	*srv = c->servers.v[i];

		if (srv->bootstrap != NULL)
			qs_vec_push(&boot, srv);
	}
	for (i = 0; i < run->signals.n; i++)
		if (((struct qs_signal *)run->signals.v[i])->kind ==
		    QS_SIG_DUAL_BOOTSTRAP)
			signals++;

	if (boot.n >= 2 || signals > 0) {
		f = qs_finding_new(an, rule, "%zu servers started in bootstrap "
		    "mode", boot.n >= 2 ? boot.n : (size_t)2);
	} else if (boot.n == 1 && c->servers.n > 1) {
		f = qs_finding_new(an, rule, "Bootstrap mode on %s beside %zu "
		    "other servers", ((struct qs_consul_server *)
		    boot.v[0])->node->name, c->servers.n - 1);
		f->level = QS_LEVEL_WARNING;
		f->rule = rule;
	}
	if (f == NULL)
		goto out;
	for (i = 0; i < boot.n; i++) {
		struct qs_consul_server	*srv = boot.v[i];
		const struct qs_setting	*s = qs_setting_get(run, srv->node,
		    QS_SYS_CONSUL, "bootstrap");

		qs_finding_node(f, srv->node);
		qs_finding_evidence(f, &s->ev);
		qs_finding_fact(an, f, "%s is configured with \"bootstrap\": "
		    "true: it elects itself leader of a cluster of its own.",
		    srv->node->name);
	}
	for (i = 0; i < run->signals.n; i++) {
		const struct qs_signal	*s = run->signals.v[i];
		size_t			 j;
		int			 told = 0;

		if (s->kind != QS_SIG_DUAL_BOOTSTRAP)
			continue;
		qs_finding_node(f, s->observer);
		qs_finding_node(f, s->subject_node);
		/* Leaders repeat the refusal at every reconcile: once each. */
		for (j = 0; j < i; j++) {
			const struct qs_signal	*p = run->signals.v[j];

			if (p->kind == QS_SIG_DUAL_BOOTSTRAP &&
			    p->observer == s->observer &&
			    p->subject_node == s->subject_node)
				told = 1;
		}
		if (told)
			continue;
		qs_finding_evidence(f, &s->ev);
		qs_finding_fact(an, f, "The leader %s refused to add %s: two "
		    "servers are in bootstrap mode%s%s.", s->observer != NULL ?
		    s->observer->name : "?", s->subject != NULL ? s->subject :
		    "a server", s->detail != NULL ? " (also " : "",
		    s->detail != NULL ? qs_arena_printf(&run->arena, "%s)",
		    s->detail) : "");
	}
	if (f->level == QS_LEVEL_CRITICAL)
		qs_finding_fact(an, f, "Servers that bootstrapped separately "
		    "see each other in serf but not in raft: each keeps its own "
		    "leader and its own data, a split brain that does not heal.");
	qs_finding_step(an, f, "Remove \"bootstrap\" from every server's "
	    "configuration and set \"bootstrap_expect\": %zu on all of them "
	    "instead.", c->expected);
	if (f->level == QS_LEVEL_CRITICAL) {
		qs_finding_step(an, f, "Choose the cluster whose data to keep "
		    "(the one clients wrote to; see the leader history).  Stop "
		    "the servers of the other cluster and move their raft/ "
		    "directory aside (keep it until the recovery is checked).");
		qs_finding_step(an, f, "Start them again with retry_join "
		    "pointing at the kept servers; they join as followers and "
		    "receive its data.");
		/* Separate bootstraps are why the peer sets differ. */
		if ((differ = qs_finding_find(an, "consul-peers-differ")) !=
		    NULL) {
			qs_finding_caused_by(differ, f);
			qs_finding_fact(an, differ, "Caused by %s: %s.",
			    rule->id, f->title);
		}
	}
out:
	qs_vec_free(&boot);
}

static void
rule_consul_expect_mismatch(struct qs_analysis *an, const struct qs_rule *rule)
{
	struct qs_consul	*c = qs_consul_facts(an);
	struct qs_finding	*f = NULL;
	const struct qs_setting	*first = NULL, *s;
	unsigned long		 lo = 0, hi = 0, v;
	size_t			 i, with = 0;

	if (c == NULL)
		return;
	for (i = 0; i < c->servers.n; i++) {
		struct qs_consul_server	*srv = c->servers.v[i];

		if ((s = srv->expect) == NULL)
			continue;
		v = srv->expect_n;
		if (first == NULL || v < lo)
			lo = v;
		if (first == NULL || v > hi)
			hi = v;
		if (first == NULL)
			first = s;
		with++;
	}
	if (with == 0 || (lo == hi && hi <= c->servers.n) || c->servers.n < 2)
		return;
	f = qs_finding_new(an, rule, lo != hi ? "bootstrap_expect differs "
	    "between servers (%lu to %lu)" : "bootstrap_expect %lu is more "
	    "than the %lu servers there are", lo != hi ? lo : hi,
	    lo != hi ? hi : (unsigned long)c->servers.n);
	for (i = 0; i < c->servers.n; i++) {
		struct qs_consul_server	*srv = c->servers.v[i];

		s = srv->expect;
		qs_finding_node(f, srv->node);
		if (s != NULL) {
			qs_finding_evidence(f, &s->ev);
			qs_finding_fact(an, f, "%s has bootstrap_expect %s.",
			    srv->node->name, s->value);
		} else
			qs_finding_fact(an, f, "%s has no bootstrap_expect in "
			    "the collected configuration.", srv->node->name);
	}
	qs_finding_fact(an, f, "A server bootstraps the cluster once it sees "
	    "bootstrap_expect servers in serf.  With different values, "
	    "servers bootstrap at different moments (a small value can "
	    "bootstrap a minority on its own); with a value larger than the "
	    "servers there are, nothing bootstraps at all.");
	qs_finding_step(an, f, "Set \"bootstrap_expect\": %zu on every server "
	    "(the number of servers of the cluster) and restart them one at "
	    "a time.", c->servers.n);
	qs_finding_step(an, f, "bootstrap_expect is only read by servers with "
	    "no raft data: on an initialised cluster, fixing it prevents the "
	    "next rebuild from going wrong.");
}

const struct qs_rule qs_rule_consul_multiple_bootstrap = {
	.id = "consul-multiple-bootstrap",
	.kind = "split-brain",
	.level = QS_LEVEL_CRITICAL,
	.system = QS_SYS_CONSUL,
	.title = "more than one server in bootstrap mode",
	.explanation = "A server in bootstrap mode elects itself leader of a "
	    "single-server cluster.  Two of them form two clusters that see "
	    "each other in serf but never merge in raft, each with its own "
	    "leader and data.  Bootstrap mode beside other servers is the same "
	    "hazard waiting for a restart.",
	.remediation = "Use bootstrap_expect on every server instead of "
	    "bootstrap; keep one cluster's data, move the others' raft/ aside "
	    "and let them join.",
	.check = rule_consul_multiple_bootstrap,
};

const struct qs_rule qs_rule_consul_expect_mismatch = {
	.id = "consul-expect-mismatch",
	.kind = "inconsistent-config",
	.level = QS_LEVEL_ERROR,
	.system = QS_SYS_CONSUL,
	.title = "bootstrap_expect inconsistent between servers",
	.explanation = "bootstrap_expect tells a fresh server how many servers "
	    "to wait for before bootstrapping.  Servers with different values "
	    "bootstrap at different times, possibly as separate minorities; a "
	    "value above the number of servers never bootstraps.",
	.remediation = "Set the same bootstrap_expect, the number of servers, "
	    "on all servers.",
	.check = rule_consul_expect_mismatch,
};
