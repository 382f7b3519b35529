/*
 * Consul rules read from the raft state itself (raft.db and logs):
 *
 *   consul-term-ahead        a server whose CurrentTerm is far ahead of
 *                            every other server's: it campaigned alone
 *                            (partitioned, or not in the configuration)
 *                            and disrupts the cluster when it rejoins,
 *                            since raft 1.1 has no pre-vote.
 *   consul-removed-campaigns a server removed from the raft configuration
 *                            that keeps starting elections afterwards: its
 *                            data dir still holds the old state.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "quorumscope.h"

/* Terms ahead of all the others before a server is worth a finding. */
#define TERM_AHEAD_MIN	3
/* ms: a graceful leave this close to a removal explains it. */
#define LEAVE_WINDOW	60000

static void
rule_consul_term_ahead(struct qs_analysis *an, const struct qs_rule *rule)
{
	struct qs_consul		*c = qs_consul_facts(an);
	const struct qs_consul_server	*top = NULL;
	const struct qs_setting		*top_s = NULL, *s;
	unsigned long long		 top_term = 0, next = 0, v;
	struct qs_finding		*f;
	size_t				 i, known = 0;

	if (c == NULL)
		return;
	for (i = 0; i < c->servers.n; i++) {
		const struct qs_consul_server	*srv = c->servers.v[i];

		s = qs_setting_get(an->run, srv->node, QS_SYS_CONSUL,
		    "raft.current_term");
		if (s == NULL)
			continue;
		known++;
		v = strtoull(s->value, NULL, 10);
		if (top == NULL || v > top_term) {
			if (top != NULL)
				next = top_term;
			top = srv;
			top_term = v;
			top_s = s;
		} else if (v > next)
			next = v;
	}
	if (known < 2 || top_term < next + TERM_AHEAD_MIN)
		return;
	/*
	 * A server left without a quorum campaigns in rising terms: that is
	 * the quorum loss consul-no-leader reports (it names the terms), and
	 * there is no leader for it to disturb.
	 */
	if (!c->leader_at_end && !qs_consul_down_at_end(c, top) &&
	    qs_finding_find(an, "consul-no-leader") != NULL)
		return;
	f = qs_finding_new(an, rule, "%s's raft term is %llu, the other "
	    "servers' at most %llu", top->node->name, top_term, next);
	qs_finding_node(f, top->node);
	qs_finding_evidence(f, &top_s->ev);
	for (i = 0; i < c->servers.n; i++) {
		const struct qs_consul_server	*srv = c->servers.v[i];

		s = qs_setting_get(an->run, srv->node, QS_SYS_CONSUL,
		    "raft.current_term");
		if (s == NULL || srv == top)
			continue;
		qs_finding_evidence(f, &s->ev);
		qs_finding_fact(an, f, "%s's raft.db has CurrentTerm %s.",
		    srv->node->name, s->value);
	}
	qs_finding_fact(an, f, "%s's raft.db has CurrentTerm %llu: it started "
	    "election after election without winning, cut off from the others "
	    "or no longer in their configuration.", top->node->name, top_term);
	qs_finding_fact(an, f, "When it can reach the others again, its higher "
	    "term makes the current leader step down (raft 1.1 has no "
	    "pre-vote): a disruptive rejoin, an election the cluster did not "
	    "need.");
	qs_finding_step(an, f, "Find out why %s could not reach the others "
	    "(its log: failed vote requests, heartbeat timeouts) and fix that "
	    "first.", top->node->name);
	qs_finding_step(an, f, "If it is no longer a peer of the cluster, stop "
	    "it, move its raft/ directory aside and start it again so that it "
	    "joins as a new follower; if it is, expect one election when it "
	    "returns and check `consul operator raft list-peers` after.");
}

static void
rule_consul_removed_campaigns(struct qs_analysis *an,
    const struct qs_rule *rule)
{
	struct qs_run		*run = an->run;
	size_t			 i, j;
	struct qs_finding	*f;

	for (i = 0; i < run->events.n; i++) {
		const struct qs_event	*rm = run->events.v[i];
		const struct qs_event	*camp = NULL;
		int			 readded = 0;

		if (rm->system != QS_SYS_CONSUL ||
		    rm->kind != QS_EV_MEMBER_REMOVE ||
		    rm->subject_node == NULL || !rm->time.set)
			continue;
		for (j = 0; j < run->events.n; j++) {
			const struct qs_event	*e = run->events.v[j];

			if (e->system != QS_SYS_CONSUL || !e->time.set ||
			    e->time.ms <= rm->time.ms)
				continue;
			if (e->kind == QS_EV_MEMBER_ADD &&
			    e->subject_node == rm->subject_node)
				readded = 1;
			if (e->kind == QS_EV_ELECTION_START &&
			    e->observer == rm->subject_node &&
			    e->subject_node == rm->subject_node &&
			    (camp == NULL || e->time.ms < camp->time.ms))
				camp = e;
		}
		if (camp == NULL || readded)
			continue;
		/*
		 * A server that was leaving gracefully is removed as part of
		 * its leave; its last heartbeat timeout on the way out is not
		 * a campaign against the cluster (consul-majority-left covers
		 * what such leaves do).
		 */
		for (j = 0; j < run->signals.n; j++) {
			const struct qs_signal	*sg = run->signals.v[j];

			if (sg->kind == QS_SIG_GRACEFUL_LEAVE &&
			    sg->subject_node == rm->subject_node &&
			    sg->time.set && sg->time.ms >= rm->time.ms -
			    LEAVE_WINDOW && sg->time.ms <= camp->time.ms)
				break;
		}
		if (j < run->signals.n)
			continue;
		f = qs_finding_new(an, rule, "%s keeps campaigning after its "
		    "removal from the raft configuration",
		    rm->subject_node->name);
		qs_finding_node(f, rm->subject_node);
		qs_finding_node(f, rm->observer);
		qs_finding_evidence(f, &rm->ev);
		qs_finding_evidence(f, &camp->ev);
		qs_finding_fact(an, f, "%s removed %s from the raft "
		    "configuration.", rm->observer != NULL ?
		    rm->observer->name : "?", rm->subject_node->name);
		qs_finding_fact(an, f, "%s started an election after that, so "
		    "it still runs on its old raft state, asking for votes the "
		    "cluster will not give and bumping terms.",
		    rm->subject_node->name);
		qs_finding_step(an, f, "If %s should leave the cluster, stop it "
		    "for good (`consul leave` on it first).",
		    rm->subject_node->name);
		qs_finding_step(an, f, "If it should stay, stop it, move its "
		    "raft/ directory aside and start it again: the leader adds "
		    "it back as a new peer once serf sees it alive.");
		break;	/* one finding: the first removal that fits */
	}
}

const struct qs_rule qs_rule_consul_term_ahead = {
	.id = "consul-term-ahead",
	.kind = "stale-peer",
	.level = QS_LEVEL_WARNING,
	.system = QS_SYS_CONSUL,
	.title = "a server's raft term far ahead of the others",
	.explanation = "A server whose CurrentTerm is several terms ahead of "
	    "every other server's has been campaigning alone.  When it "
	    "reaches the others again its term forces the leader to step "
	    "down: an unneeded election, or repeated ones if it cannot win.",
	.remediation = "Fix what cut it off; if it is no longer a peer, reset "
	    "its raft data so it joins as a new follower.",
	.check = rule_consul_term_ahead,
};

const struct qs_rule qs_rule_consul_removed_campaigns = {
	.id = "consul-removed-campaigns",
	.kind = "removed-member-present",
	.level = QS_LEVEL_ERROR,
	.system = QS_SYS_CONSUL,
	.title = "a removed server still campaigns",
	.explanation = "A server removed from the raft configuration whose "
	    "data directory still holds its old raft state keeps running "
	    "elections nobody answers, raising terms and disturbing the "
	    "cluster when it is heard.",
	.remediation = "Stop it for good, or reset its raft data so that it "
	    "joins again as a new peer.",
	.check = rule_consul_removed_campaigns,
};
