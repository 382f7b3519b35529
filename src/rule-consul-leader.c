/*
 * Consul rules about leadership, read from the merged timeline (seed 002's
 * BOSH failures):
 *
 *   consul-split-brain      two servers leading at once (both still
 *                           active as leaders after the second election),
 *                           or two leaders of the same term.
 *   consul-stale-leader     a leader stopped, another was elected, and the
 *                           old leader came back into the cluster.
 *   consul-no-leader        "No cluster leader" after the last election,
 *                           or no election at all.
 *
 * A leader's reign starts at its leader-elected event and ends at the
 * first of its own leader-lost, stop or start (raft logs a step-down when
 * it sees a real new leader; hearing of another "leader" through serf's
 * new-leader event while staying leader is the split brain itself).
 * Silence is not activity: a leader that was killed logs
 * nothing, so overlapping reigns count as a split brain only when the
 * first leader logged something after the second was elected.
 */
#include "config.h"

#include <string.h>

#include "quorumscope.h"

struct reign {
	struct qs_node		*leader;
	const struct qs_event	*start;
	int64_t			 end_ms;	/* INT64_MAX: not seen ending */
	const struct qs_event	*end;
};

static int
leader_is(const struct qs_event *e, enum qs_event_kind kind)
{
	return e->system == QS_SYS_CONSUL && e->kind == kind && e->time.set;
}

/* Every timed Consul leader election, with where its reign ended. */
static void
leader_reigns(struct qs_analysis *an, struct qs_vec *out)
{
	struct qs_vec	*entries = &an->timeline.entries;
	size_t		 i, j;

	for (i = 0; i < entries->n; i++) {
		struct qs_tl_entry	*t = entries->v[i];
		struct reign		*r;

		if (!leader_is(t->event, QS_EV_LEADER_ELECTED) ||
		    t->event->subject_node == NULL)
			continue;
		r = qs_arena_alloc(&an->run->arena, sizeof(*r));
		r->leader = t->event->subject_node;
		r->start = t->event;
		r->end_ms = INT64_MAX;
		for (j = i + 1; j < entries->n; j++) {
			const struct qs_event	*e =
			    ((struct qs_tl_entry *)entries->v[j])->event;
			int			 saw = 0;

			if (e->system != QS_SYS_CONSUL || !e->time.set)
				continue;
			if ((e->kind == QS_EV_LEADER_LOST ||
			    e->kind == QS_EV_STOP || e->kind == QS_EV_START) &&
			    e->subject_node == r->leader)
				saw = 1;
			if (e->kind == QS_EV_LEADER_ELECTED &&
			    e->subject_node == r->leader && e != r->start)
				saw = 1;	/* re-elected: a new reign */
			if (saw) {
				r->end_ms = e->time.ms;
				r->end = e;
				break;
			}
		}
		qs_vec_push(out, r);
	}
}

/* Did `node` log anything in (from, to)? Returns the first such event. */
static const struct qs_evidence *
leader_active(struct qs_analysis *an, const struct qs_node *node,
    int64_t from, int64_t to)
{
	struct qs_run	*run = an->run;
	size_t		 i;

	for (i = 0; i < run->events.n; i++) {
		const struct qs_event	*e = run->events.v[i];

		if (e->observer == node && e->time.set && e->time.ms > from &&
		    e->time.ms < to && e->system == QS_SYS_CONSUL)
			return &e->ev;
	}
	for (i = 0; i < run->signals.n; i++) {
		const struct qs_signal	*s = run->signals.v[i];

		if (s->observer == node && s->time.set && s->time.ms > from &&
		    s->time.ms < to && s->system == QS_SYS_CONSUL)
			return &s->ev;
	}
	return NULL;
}

/* Time of the last thing `node` logged before `before`, as text. */
static const char *
leader_last_seen(struct qs_analysis *an, const struct qs_node *node,
    int64_t before)
{
	struct qs_time	last = { 0, 0, 0 };
	size_t		i;
	char		t[40];

	for (i = 0; i < an->run->events.n; i++) {
		const struct qs_event	*e = an->run->events.v[i];

		if (e->observer == node && e->time.set && e->time.ms <
		    before && (!last.set || e->time.ms > last.ms))
			last = e->time;
	}
	for (i = 0; i < an->run->signals.n; i++) {
		const struct qs_signal	*s = an->run->signals.v[i];

		if (s->observer == node && s->time.set && s->time.ms <
		    before && (!last.set || s->time.ms > last.ms))
			last = s->time;
	}
	return qs_arena_strdup(&an->run->arena, qs_time_format(&last, t,
	    sizeof(t)));
}

/* Names the server with the most of the raft log, when that is known. */
static void
leader_survivor_step(struct qs_analysis *an, struct qs_finding *f)
{
	struct qs_consul		 c;
	const struct qs_consul_server	*best;
	const char			*why = NULL;

	qs_consul_model(an, &c);
	if ((best = qs_consul_survivor(an, &c, &why)) != NULL)
		qs_finding_step(an, f, "If one server's data must seed the "
		    "recovery, use %s: %s.", best->node->name, why);
	qs_consul_free(&c);
}

static const char *
leader_term(struct qs_analysis *an, const struct qs_event *e)
{
	if (!(e->clock.set & QS_CLOCK_TERM))
		return "";
	return qs_arena_printf(&an->run->arena, " (term %llu)",
	    (unsigned long long)e->clock.term);
}

static const char *
leader_when(struct qs_analysis *an, const struct qs_event *e)
{
	char	t[40];

	return qs_arena_strdup(&an->run->arena, qs_time_format(&e->time, t,
	    sizeof(t)));
}

static void
rule_consul_split_brain(struct qs_analysis *an, const struct qs_rule *rule)
{
	struct qs_vec		 reigns = { 0 };
	struct qs_finding	*f = NULL;
	size_t			 i, j;

	leader_reigns(an, &reigns);
	for (i = 0; i < reigns.n; i++) {
		struct reign	*a = reigns.v[i];

		for (j = i + 1; j < reigns.n; j++) {
			struct reign			*b = reigns.v[j];
			const struct qs_evidence	*act;
			int				 same_term;

			if (a->leader == b->leader)
				continue;
			same_term = (a->start->clock.set & b->start->clock.set &
			    QS_CLOCK_TERM) && a->start->clock.term ==
			    b->start->clock.term;
			act = NULL;
			if (b->start->time.ms < a->end_ms)
				act = leader_active(an, a->leader,
				    b->start->time.ms, a->end_ms);
			if (act == NULL && !same_term)
				continue;
			if (f == NULL)
				f = qs_finding_new(an, rule, "Two Consul leaders "
				    "at once: %s and %s", a->leader->name,
				    b->leader->name);
			qs_finding_node(f, a->leader);
			qs_finding_node(f, b->leader);
			qs_finding_evidence(f, &a->start->ev);
			qs_finding_evidence(f, &b->start->ev);
			qs_finding_fact(an, f, "%s became leader%s at %s.",
			    a->leader->name, leader_term(an, a->start),
			    leader_when(an, a->start));
			qs_finding_fact(an, f, "%s became leader%s at %s%s.",
			    b->leader->name, leader_term(an, b->start),
			    leader_when(an, b->start), same_term ?
			    ", in the same term: they cannot be one raft "
			    "cluster" : "");
			if (act != NULL) {
				qs_finding_evidence(f, act);
				qs_finding_fact(an, f, "%s was still active "
				    "without having stepped down after that "
				    "(%s line %llu): both led at once, and both "
				    "could accept writes.", a->leader->name,
				    act->artifact->member,
				    (unsigned long long)act->line);
			}
		}
	}
	if (f != NULL) {
		qs_finding_fact(an, f, "Two leaders mean two clusters: writes "
		    "accepted by one are unknown to the other.");
		qs_finding_step(an, f, "Find out which leader the clients wrote "
		    "to (the KV data, the catalog) and keep that cluster.");
		leader_survivor_step(an, f);
		qs_finding_step(an, f, "Stop the servers of the other cluster, "
		    "move their raft/ directory aside, make sure none of them "
		    "has \"bootstrap\": true, and start them with retry_join "
		    "pointing at the kept servers.");
		qs_finding_step(an, f, "Check that one leader remains and every "
		    "server is a peer: `consul operator raft list-peers`.");
	}
	qs_vec_free(&reigns);
}

static void
rule_consul_stale_leader(struct qs_analysis *an, const struct qs_rule *rule)
{
	struct qs_vec		 reigns = { 0 };
	struct qs_finding	*f;
	size_t			 i, j;

	leader_reigns(an, &reigns);
	for (i = 0; i < reigns.n; i++) {
		struct reign	*a = reigns.v[i];

		/* The reign ended with the leader going down. */
		if (a->end == NULL || (a->end->kind != QS_EV_STOP &&
		    a->end->kind != QS_EV_START))
			continue;
		for (j = 0; j < reigns.n; j++) {
			struct reign	*b = reigns.v[j];

			if (b->leader == a->leader ||
			    b->start->time.ms <= a->start->time.ms)
				continue;
			/*
			 * b was elected while a was gone, and a came back
			 * (started) after that.
			 */
			if (!(a->end->kind == QS_EV_START &&
			    a->end->time.ms > b->start->time.ms) &&
			    !(a->end->kind == QS_EV_STOP &&
			    b->start->time.ms > a->end->time.ms &&
			    leader_active(an, a->leader, b->start->time.ms,
			    INT64_MAX) != NULL))
				continue;
			f = qs_finding_new(an, rule, "Former leader %s came "
			    "back after %s was elected", a->leader->name,
			    b->leader->name);
			qs_finding_node(f, a->leader);
			qs_finding_node(f, b->leader);
			qs_finding_evidence(f, &a->start->ev);
			qs_finding_evidence(f, &a->end->ev);
			qs_finding_evidence(f, &b->start->ev);
			qs_finding_fact(an, f, "%s was leader%s from %s.",
			    a->leader->name, leader_term(an, a->start),
			    leader_when(an, a->start));
			if (a->end->kind == QS_EV_START)
				qs_finding_fact(an, f, "It was down: the last "
				    "event it logged is at %s, and it restarted "
				    "at %s.  In between, %s was elected%s at "
				    "%s.",
				    leader_last_seen(an, a->leader,
				    a->end->time.ms), leader_when(an, a->end),
				    b->leader->name, leader_term(an, b->start),
				    leader_when(an, b->start));
			else
				qs_finding_fact(an, f, "It stopped at %s and %s "
				    "was elected%s at %s.", leader_when(an,
				    a->end), b->leader->name, leader_term(an,
				    b->start), leader_when(an, b->start));
			qs_finding_fact(an, f, "%s then came back with the state "
			    "of its own reign; while it catches up it may call "
			    "elections with an older log, and a deploy tool that "
			    "restarts it again at that moment can leave the "
			    "cluster without a stable leader.", a->leader->name);
			qs_finding_step(an, f, "Check that %s is now a follower "
			    "of the current leader and a voter "
			    "(`consul operator raft list-peers`).",
			    a->leader->name);
			qs_finding_step(an, f, "In rolling deploys, wait after "
			    "each server for a stable leader and for the "
			    "restarted server to be a voter again before "
			    "stopping the next, and stop the leader last.");
			break;
		}
	}
	qs_vec_free(&reigns);
}

static void
rule_consul_no_leader(struct qs_analysis *an, const struct qs_rule *rule)
{
	struct qs_run		*run = an->run;
	struct qs_vec		*entries = &an->timeline.entries;
	const struct qs_event	*last = NULL;
	struct qs_finding	*f = NULL;
	size_t			 i, count = 0;

	for (i = 0; i < entries->n; i++) {
		const struct qs_event	*e =
		    ((struct qs_tl_entry *)entries->v[i])->event;

		if (leader_is(e, QS_EV_LEADER_ELECTED))
			last = e;
	}
	for (i = 0; i < run->signals.n; i++) {
		const struct qs_signal	*s = run->signals.v[i];

		if (s->system != QS_SYS_CONSUL || s->kind != QS_SIG_NO_LEADER ||
		    !s->time.set)
			continue;
		if (last != NULL && s->time.ms <= last->time.ms)
			continue;
		if (f == NULL)
			f = qs_finding_new(an, rule, last != NULL ? "No Consul "
			    "leader after %s" : "No Consul leader was elected",
			    last != NULL ? leader_when(an, last) : "");
		count++;
		qs_finding_node(f, s->observer);
		if (f->evidence.n < 6)
			qs_finding_evidence(f, &s->ev);
	}
	if (f == NULL)
		return;
	if (last != NULL) {
		qs_finding_evidence(f, &last->ev);
		qs_finding_fact(an, f, "The last leader election seen is %s%s "
		    "at %s.", last->subject_node != NULL ?
		    last->subject_node->name : "?", leader_term(an, last),
		    leader_when(an, last));
	} else
		qs_finding_fact(an, f, "No log shows a leader being elected.");
	qs_finding_fact(an, f, "%s agents logged \"No cluster leader\" %zu "
	    "time%s: the servers could not form a quorum.", last != NULL ?
	    "After it," : "Meanwhile", count, count == 1 ? "" : "s");
	for (i = 0; i < run->signals.n; i++) {
		const struct qs_signal	*s = run->signals.v[i];

		if (s->system == QS_SYS_CONSUL && (s->kind == QS_SIG_NO_PEERS ||
		    s->kind == QS_SIG_QUORUM_LOST)) {
			qs_finding_evidence(f, &s->ev);
			qs_finding_fact(an, f, "%s: %s.", s->observer != NULL ?
			    s->observer->name : "?", s->kind ==
			    QS_SIG_NO_PEERS ? "knows no raft peers, so it "
			    "does not even start an election" : "lost contact "
			    "with a quorum and stepped down");
			break;
		}
	}
	qs_finding_step(an, f, "Look at the other findings for the cause "
	    "(empty or stale peer sets, servers that left, split "
	    "bootstraps); if none explains it, bring back the servers that "
	    "are down: a majority of the raft peers must be up and reachable "
	    "on port 8300.");
	qs_finding_step(an, f, "If they cannot come back, recover with "
	    "raft/peers.json listing the surviving servers (Consul's outage "
	    "recovery).");
	leader_survivor_step(an, f);
}

const struct qs_rule qs_rule_consul_split_brain = {
	.id = "consul-split-brain",
	.kind = "split-brain",
	.level = QS_LEVEL_CRITICAL,
	.system = QS_SYS_CONSUL,
	.title = "two Consul leaders at once",
	.explanation = "A raft cluster has at most one leader per term.  Two "
	    "servers leading at the same time, or in the same term, are "
	    "leaders of two clusters, each accepting writes the other never "
	    "sees.",
	.remediation = "Keep the cluster the clients wrote to; wipe the raft "
	    "data of the other cluster's servers and join them to it.",
	.check = rule_consul_split_brain,
};

const struct qs_rule qs_rule_consul_stale_leader = {
	.id = "consul-stale-leader",
	.kind = "split-brain",
	.level = QS_LEVEL_WARNING,
	.system = QS_SYS_CONSUL,
	.title = "a former leader rejoined after a new election",
	.explanation = "A leader that is stopped (or restarted slowly) while "
	    "the others elect a new leader comes back with its own, older "
	    "view.  Raft handles this, but during rolling deploys the "
	    "resulting elections and catch-up are where clusters were seen "
	    "to fall apart.",
	.remediation = "Check the old leader follows the new one; restart "
	    "servers one at a time, waiting for a stable leader in between.",
	.check = rule_consul_stale_leader,
};

const struct qs_rule qs_rule_consul_no_leader = {
	.id = "consul-no-leader",
	.kind = "quorum-loss",
	.level = QS_LEVEL_CRITICAL,
	.system = QS_SYS_CONSUL,
	.title = "no Consul leader at the end of the logs",
	.explanation = "Agents report \"No cluster leader\" when the servers "
	    "cannot elect one: fewer than a majority of the raft peers are up, "
	    "reachable, and agree on who the peers are.",
	.remediation = "Restore a majority of the raft peers, or recover with "
	    "raft/peers.json listing the survivors.",
	.check = rule_consul_no_leader,
};
