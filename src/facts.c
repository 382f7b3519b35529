/*
 * Every cluster's facts, built once before its rules run, and what the
 * histories add to the timeline.
 *
 * Each system has one facts module (consul.c, etcd.c, zk.c, triton.c)
 * that reads the cluster's observations once and keeps what its rules
 * share, including the cluster's history (history.c).
 * Rules ask for the facts (qs_consul_facts(), qs_zk_facts(),
 * qs_etcd_facts(), qs_triton_facts()) and never rebuild them.
 *
 * The timeline gets, from every history, the crashes and stops that no
 * line said: a member whose log ends while peers go on losing contact
 * with it becomes a "fail" event at the start of the inferred range,
 * with the first complaint as evidence and both ends of the range in
 * its detail; a fatal line becomes a "fail" event of its own.
 */
#include "config.h"

#include <string.h>

#include "quorumscope.h"

/*
 * The cluster whose facts of system `sys` are wanted: the one being
 * judged, or after the analysis (tests, commands) the first of that
 * system; NULL when there is none.
 */
struct qs_cluster *
qs_facts_cluster(const struct qs_analysis *an, enum qs_system sys)
{
	size_t	i;

	if (an->cluster != NULL)
		return an->cluster->system == sys ? an->cluster : NULL;
	for (i = 0; i < an->clusters.n; i++)
		if (((struct qs_cluster *)an->clusters.v[i])->system == sys)
			return an->clusters.v[i];
	return NULL;
}

void
qs_facts_build(struct qs_analysis *an)
{
	switch (an->cluster->system) {
	case QS_SYS_CONSUL:
		(void)qs_consul_facts(an);
		break;
	case QS_SYS_ZOOKEEPER:
		(void)qs_zk_facts(an);
		break;
	case QS_SYS_ETCD:
		(void)qs_etcd_facts(an);
		break;
	case QS_SYS_TRITON:
		(void)qs_triton_facts(an);
		break;
	default:
		break;
	}
}

void
qs_facts_free(struct qs_analysis *an)
{
	size_t	i;

	for (i = 0; i < an->clusters.n; i++) {
		struct qs_cluster	*c = an->clusters.v[i];

		if (c->facts == NULL)
			continue;
		switch (c->system) {
		case QS_SYS_CONSUL:
			qs_consul_facts_free(c->facts);
			break;
		case QS_SYS_ZOOKEEPER:
			qs_zk_facts_free(c->facts);
			break;
		case QS_SYS_ETCD:
			qs_etcd_facts_free(c->facts);
			break;
		case QS_SYS_TRITON:
			qs_triton_facts_free(c->facts);
			break;
		default:
			break;
		}
		c->facts = NULL;
	}
}

/*
 * One inferred or fatal stop as an event: "stop" when the member started
 * again afterwards (a restart whose stop left no line), "fail" when it did
 * not, or when a fatal line said why.
 */
static void
facts_fail_event(struct qs_run *run, const struct qs_cluster *c,
    const struct qs_hmember *m, const struct qs_span *s, int restarted)
{
	struct qs_event	*e;
	const char	*range;

	e = qs_arena_alloc(&run->arena, sizeof(*e));
	e->kind = restarted && s->from.grade != QS_GRADE_SEEN ? QS_EV_STOP :
	    QS_EV_FAIL;
	e->system = c->system;
	e->time.set = 1;
	e->time.zone_known = 1;
	e->time.ms = s->from.lo;
	if (s->from.ev != NULL)
		e->ev = *s->from.ev;
	e->observer = e->ev.artifact != NULL ? e->ev.artifact->node : m->node;
	if (e->observer == NULL)
		return;		/* nobody to say it: no event */
	if (e->observer != m->node || m->node == NULL) {
		e->subject = m->label;
		e->subject_node = m->node;
	} else
		e->subject_node = m->node;
	range = qs_mark_text(&run->arena, &s->from);
	e->detail = s->from.grade == QS_GRADE_SEEN ? qs_arena_printf(
	    &run->arena, "%s", s->from.why != NULL ? s->from.why : "stopped") :
	    qs_arena_printf(&run->arena, "down %s, inferred: %s", range,
	    s->from.why != NULL ? s->from.why : "no line of its own");
	qs_vec_push(&run->events, e);
}

/*
 * ZooKeeper servers a reconfiguration added or removed, as member-add and
 * member-remove events at the reconfig txn's time (untimed, with the
 * version as zxid, when only the dynamic files tell).
 */
static void
facts_zk_changes(struct qs_run *run, const struct qs_cluster *c)
{
	const struct qs_zk	*z = c->facts;
	size_t			 i;

	for (i = 0; z != NULL && i < z->changes.n; i++) {
		const struct qs_zk_change	*ch = z->changes.v[i];
		struct qs_event			*e;

		e = qs_arena_alloc(&run->arena, sizeof(*e));
		e->kind = ch->add ? QS_EV_MEMBER_ADD : QS_EV_MEMBER_REMOVE;
		e->system = QS_SYS_ZOOKEEPER;
		e->ev = *ch->to->ev;
		e->time = ch->to->time;
		e->clock.set = QS_CLOCK_ZXID;
		e->clock.zxid = ch->to->version;
		e->observer = e->ev.artifact != NULL ? e->ev.artifact->node :
		    NULL;
		if (e->observer == NULL)
			continue;
		e->subject_node = ch->srv != NULL ? ch->srv->node : NULL;
		e->subject = e->subject_node != NULL ? e->subject_node->name :
		    qs_arena_printf(&run->arena, "server.%s", ch->id);
		e->detail = qs_arena_printf(&run->arena, "server.%s=%s %s by "
		    "reconfiguration (version %llx)", ch->id, ch->address !=
		    NULL ? ch->address : "?", ch->add ? "added" : "removed",
		    (unsigned long long)ch->to->version);
		qs_vec_push(&run->events, e);
	}
}

/*
 * The event a parser already made of this fatal line (etcd's parser makes
 * a stop of it, which its rules read before this runs), or NULL.
 */
static struct qs_event *
facts_parsed_stop(struct qs_run *run, const struct qs_evidence *ev)
{
	size_t	i;

	if (ev == NULL || ev->artifact == NULL || ev->line == 0)
		return NULL;
	for (i = 0; i < run->events.n; i++) {
		struct qs_event	*e = run->events.v[i];

		if ((e->kind == QS_EV_STOP || e->kind == QS_EV_FAIL) &&
		    e->ev.artifact == ev->artifact && e->ev.line == ev->line)
			return e;
	}
	return NULL;
}

/* Inferred crashes and fatal stops from every history, as events. */
void
qs_facts_events(struct qs_analysis *an)
{
	struct qs_run	*run = an->whole;
	struct qs_event	*e;
	size_t		 i, j, k;

	for (i = 0; i < an->clusters.n; i++) {
		const struct qs_cluster	*c = an->clusters.v[i];
		const struct qs_history	*h = c->history;

		if (c->system == QS_SYS_ZOOKEEPER)
			facts_zk_changes(run, c);

		for (j = 0; h != NULL && j < h->members.n; j++) {
			const struct qs_hmember	*m = h->members.v[j];

			for (k = 0; k < m->live.n; k++) {
				const struct qs_span	*s = m->live.v[k];

				if (s->state != QS_LIVE_DOWN || k == 0)
					continue;
				if (s->from.grade == QS_GRADE_SEEN &&
				    s->from.why != NULL &&
				    strncmp(s->from.why, "fatal", 5) == 0 &&
				    (e = facts_parsed_stop(run, s->from.ev)) !=
				    NULL) {
					/* One event per line: the parser's
					 * stop, now known to be a failure. */
					e->kind = QS_EV_FAIL;
					continue;
				}
				if (s->from.grade == QS_GRADE_INFERRED ||
				    (s->from.grade == QS_GRADE_SEEN &&
				    s->from.why != NULL &&
				    strncmp(s->from.why, "fatal", 5) == 0))
					facts_fail_event(run, c, m, s,
					    k + 1 < m->live.n);
			}
		}
	}
}
