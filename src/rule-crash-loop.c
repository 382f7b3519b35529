/*
 * Crash loops, every system (kind crash-loop): a server that starts and
 * exits with an error again and again, as a supervisor (systemd
 * Restart=, SMF, a container runtime) restarts it.
 *
 *   zk-crash-loop       ZooKeeper: "Starting quorum peer" then "Exiting
 *                       JVM with code N" (N not 0), with the cause it
 *                       logged in between (QuorumCnxManager's election
 *                       listener that cannot bind: apache/zookeeper
 *                       QuorumCnxManager.Listener, ServiceUtils
 *                       .requestSystemExit).
 *   etcd-crash-loop     etcd: a start then a fatal or panic line (zap
 *                       level fatal/panic, capnslog "C"), whose msg and
 *                       error are the cause (etcd-io/etcd
 *                       etcdmain/etcd.go startEtcdOrProxyV2).
 *   consul-crash-loop   Consul: "Starting Consul agent" then "Error
 *                       starting agent: ..." (hashicorp/consul
 *                       command/agent, Command.run).
 *
 * An attempt is a start of the process's own log up to the next start;
 * it failed when that stretch holds an error exit.  CRASH_LOOP_MIN failed
 * attempts in a row are a loop.  A restart that ran (no error exit) ends
 * the run: rolling restarts and a stop by signal are never a loop.
 *
 * Causes: the configuration or data findings about the same node that
 * explain why it cannot start (a stale address in its server.N line, a
 * bootstrap conflict, damaged data) are linked as causes, so the report
 * lists them first.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "quorumscope.h"

#define CRASH_LOOP_MIN	3	/* failed attempts in a row */

struct crash_attempt {
	const struct qs_event		*start;
	const struct qs_event		*exit;		/* the error exit */
	const char			*cause;
	const struct qs_evidence	*cause_ev;
};

static int
crash_cmp_event(const void *a, const void *b)
{
	const struct qs_event	*x = *(const struct qs_event *const *)a;
	const struct qs_event	*y = *(const struct qs_event *const *)b;

	if (x->time.ms != y->time.ms)
		return x->time.ms < y->time.ms ? -1 : 1;
	return x->ev.line < y->ev.line ? -1 : x->ev.line > y->ev.line;
}

/* A stop that is an error exit, not a stop by signal or a clean exit. */
static int
crash_error_exit(const struct qs_event *e)
{
	const char	*d = e->detail;

	if (e->kind != QS_EV_STOP || d == NULL)
		return 0;
	switch (e->system) {
	case QS_SYS_ZOOKEEPER:
		return (strncmp(d, "exit code ", 10) == 0 &&
		    strcmp(d, "exit code 0") != 0) ||
		    strstr(d, "abnormally") != NULL;
	case QS_SYS_ETCD:
		return 1;	/* only fatal lines carry a detail */
	case QS_SYS_CONSUL:
		return strncmp(d, "exited: ", 8) == 0;
	default:
		return 0;
	}
}

/*
 * What the log gives as the reason, between the start and the exit: for
 * ZooKeeper the election listener that could not bind (the exit line only
 * has a code), otherwise the exit's own text.
 */
static void
crash_cause(const struct qs_run *run, struct crash_attempt *a)
{
	size_t	i;

	a->cause = a->exit->detail;
	a->cause_ev = &a->exit->ev;
	if (strncmp(a->cause, "exited: ", 8) == 0)
		a->cause += 8;
	if (a->exit->system != QS_SYS_ZOOKEEPER)
		return;
	for (i = 0; i < run->signals.n; i++) {
		const struct qs_signal	*g = run->signals.v[i];

		if (g->observer != a->start->observer ||
		    g->system != QS_SYS_ZOOKEEPER || !g->time.set ||
		    g->time.ms < a->start->time.ms ||
		    g->time.ms > a->exit->time.ms || g->detail == NULL ||
		    (g->kind != QS_SIG_FATAL && !(g->kind ==
		    QS_SIG_VOTE_FAILED && g->subject == NULL)))
			continue;
		a->cause = g->detail;
		a->cause_ev = &g->ev;
	}
}

/* The findings about `node` that explain why it cannot start. */
static const char *const crash_causes[] = {
	"zk-stale-address", "zk-myid-missing", "zk-duplicate-myid",
	"zk-inconsistent-server", "etcd-bootstrap-conflict",
	"etcd-cluster-id-mismatch", "zk-data-corruption",
	"etcd-data-corruption", "zk-disk-full", "etcd-disk-full",
	"consul-disk-full", NULL
};

static void
crash_link(struct qs_analysis *an, struct qs_finding *f,
    const struct qs_node *node)
{
	size_t	i, j, k;

	for (i = 0; i < an->findings.n; i++) {
		struct qs_finding	*c = an->findings.v[i];

		if (c->cluster != an->cluster || c == f)
			continue;
		for (k = 0; crash_causes[k] != NULL; k++)
			if (strcmp(c->rule->id, crash_causes[k]) == 0)
				break;
		if (crash_causes[k] == NULL)
			continue;
		for (j = 0; j < c->nodes.n; j++)
			if (c->nodes.v[j] == node)
				break;
		if (j == c->nodes.n)
			continue;
		qs_finding_caused_by(f, c);
		qs_finding_fact(an, f, "Caused by %s: %s.", c->rule->id,
		    c->title);
	}
}

/*
 * etcd's "couldn't find local name X in the initial cluster
 * configuration" (etcdserver/api/membership, NewClusterFromURLsMap's
 * caller in etcdserver/bootstrap): the --name it ran with is not a name
 * of its --initial-cluster.  Say where each comes from.
 */
static int
crash_etcd_name(struct qs_analysis *an, struct qs_finding *f,
    const struct qs_node *node, const char *cause)
{
	const struct qs_setting	*name, *ic;
	const char		*p, *q;

	if ((p = strstr(cause, "couldn't find local name \"")) == NULL)
		return 0;
	p += sizeof("couldn't find local name \"") - 1;
	if ((q = strchr(p, '"')) == NULL)
		return 0;
	name = qs_setting_get(an->run, node, QS_SYS_ETCD, "etcd.config.name");
	ic = qs_setting_get(an->run, node, QS_SYS_ETCD,
	    "etcd.config.initial-cluster");
	if (ic != NULL) {
		qs_finding_evidence(f, &ic->ev);
		qs_finding_fact(an, f, "It ran as \"%.*s\", but its "
		    "--initial-cluster (%s) is %s.", (int)(q - p), p,
		    ic->ev.artifact != NULL ? ic->ev.artifact->member : "?",
		    ic->value);
	}
	if (name != NULL) {
		qs_finding_evidence(f, &name->ev);
		qs_finding_fact(an, f, "Its configuration sets --name %s.",
		    name->value);
	} else
		qs_finding_fact(an, f, "No configuration file in the bundle "
		    "sets its --name: the name came from elsewhere (Debian's "
		    "etcd.service sets ETCD_NAME=%%H, the host name, when "
		    "/etc/default/etcd does not).");
	qs_finding_step(an, f, "On %s set the member's name as "
	    "--initial-cluster and `etcdctl member add` spell it "
	    "(ETCD_NAME=\"<name>\" in /etc/default/etcd, or --name), then "
	    "start it.", node->name);
	return 1;
}

/*
 * A member added and never started, at the peer URL this node advertises:
 * it never started because it loops (etcd-unstarted-member is then a
 * consequence).
 */
static void
crash_etcd_unstarted(struct qs_analysis *an, struct qs_finding *f,
    const struct qs_node *node)
{
	const struct qs_setting	*url;
	size_t			 i, j;

	url = qs_setting_get(an->run, node, QS_SYS_ETCD,
	    "etcd.config.initial-advertise-peer-urls");
	if (url == NULL || *url->value == '\0')
		return;
	for (i = 0; i < an->findings.n; i++) {
		struct qs_finding	*u = an->findings.v[i];

		if (u->cluster != an->cluster ||
		    strcmp(u->rule->id, "etcd-unstarted-member") != 0)
			continue;
		for (j = 0; j < u->facts.n; j++)
			if (strstr(u->facts.v[j], url->value) != NULL)
				break;
		if (j == u->facts.n)
			continue;
		qs_finding_caused_by(u, f);
		qs_finding_fact(an, u, "Caused by etcd-crash-loop: %s.",
		    f->title);
		qs_finding_fact(an, f, "It is the member added at %s that "
		    "never started (etcd-unstarted-member).", url->value);
	}
}

static void
crash_report(struct qs_analysis *an, const struct qs_rule *rule,
    struct qs_node *node, const struct crash_attempt *a, size_t n,
    int ongoing)
{
	struct qs_finding	*f;
	const char		*cause = a[n - 1].cause;
	size_t			 i, same = 0;
	int			 specific = 0;
	char			 t1[40], t2[40];

	for (i = 0; i < n; i++)
		if (strcmp(a[i].cause, cause) == 0)
			same++;
	f = qs_finding_new(an, rule, "%s is in a crash loop: %zu failed "
	    "starts from %s to %s", node->name, n,
	    qs_time_format(&a[0].start->time, t1, sizeof(t1)),
	    qs_time_format(&a[n - 1].exit->time, t2, sizeof(t2)));
	qs_finding_node(f, node);
	qs_finding_evidence(f, &a[0].start->ev);
	qs_finding_evidence(f, a[n - 1].cause_ev);
	if (a[n - 1].cause_ev != &a[n - 1].exit->ev)
		qs_finding_evidence(f, &a[n - 1].exit->ev);
	qs_finding_fact(an, f, "%s started %zu times in a row and exited "
	    "with an error each time, the first start at %s, the last exit "
	    "at %s%s.", node->name, n, t1, t2, ongoing ? "; nothing in its "
	    "log after it says it ever ran, so it is still looping or "
	    "stopped" : "; a later start ran");
	if (same == n)
		qs_finding_fact(an, f, "Every attempt ended the same way: "
		    "\"%s\".", cause);
	else
		qs_finding_fact(an, f, "The last attempt ended with \"%s\" "
		    "(%zu of %zu the same; the first: \"%s\").", cause, same,
		    n, a[0].cause);
	if (a[n - 1].exit->system == QS_SYS_ZOOKEEPER &&
	    strstr(cause, "election address") != NULL)
		qs_finding_fact(an, f, "ZooKeeper binds its quorum and "
		    "election ports to the address its own server.N line "
		    "gives; a bind that fails (\"Cannot assign requested "
		    "address\") means this host does not have that address, "
		    "and the JVM exits.");
	crash_link(an, f, node);
	if (a[n - 1].exit->system == QS_SYS_ETCD) {
		specific = crash_etcd_name(an, f, node, cause);
		crash_etcd_unstarted(an, f, node);
	}
	qs_finding_fact(an, f, "While it loops, %s counts as a voter that "
	    "is down: the others keep quorum only if a majority of the "
	    "voters still runs.", node->name);
	if (f->causes.n > 0)
		qs_finding_step(an, f, "Repair the cause (the finding%s "
		    "above), then start %s once by hand and watch its log.",
		    f->causes.n > 1 ? "s" : "", node->name);
	else if (!specific)
		qs_finding_step(an, f, "Fix what the log says (\"%s\") on %s, "
		    "then start it once by hand and watch its log; a "
		    "supervisor that restarts it in a loop only repeats the "
		    "failure.", cause, node->name);
}

static void
rule_crash_loop(struct qs_analysis *an, const struct qs_rule *rule)
{
	struct qs_run		*run = an->run;
	struct qs_vec		 starts = { NULL, 0, 0 };
	struct crash_attempt	*a;
	size_t			 i, j, k, n, best_n, best_end;

	for (i = 0; i < run->nodes.n; i++) {
		struct qs_node	*node = run->nodes.v[i];

		starts.n = 0;
		for (j = 0; j < run->events.n; j++) {
			const struct qs_event	*e = run->events.v[j];

			if (e->observer == node && e->system == rule->system &&
			    e->kind == QS_EV_START && e->time.set)
				qs_vec_push(&starts, (void *)e);
		}
		if (starts.n < CRASH_LOOP_MIN)
			continue;
		qsort(starts.v, starts.n, sizeof(*starts.v), crash_cmp_event);
		a = qs_xcalloc(starts.n, sizeof(*a));
		for (j = 0; j < starts.n; j++) {
			const struct qs_event	*s = starts.v[j];
			const struct qs_event	*next = j + 1 < starts.n ?
			    starts.v[j + 1] : NULL;

			a[j].start = s;
			for (k = 0; k < run->events.n; k++) {
				const struct qs_event	*e = run->events.v[k];

				if (e->observer != node ||
				    e->system != rule->system ||
				    !e->time.set || e->time.ms < s->time.ms ||
				    (next != NULL &&
				    e->time.ms >= next->time.ms) ||
				    !crash_error_exit(e))
					continue;
				if (a[j].exit == NULL ||
				    e->time.ms < a[j].exit->time.ms)
					a[j].exit = e;
			}
			if (a[j].exit != NULL)
				crash_cause(run, &a[j]);
		}
		/* The longest run of failed attempts; the latest on ties. */
		best_n = best_end = 0;
		for (j = 0, n = 0; j < starts.n; j++) {
			n = a[j].exit != NULL ? n + 1 : 0;
			if (n > 0 && n >= best_n) {
				best_n = n;
				best_end = j;
			}
		}
		if (best_n >= CRASH_LOOP_MIN)
			crash_report(an, rule, node, a + best_end + 1 - best_n,
			    best_n, best_end + 1 == starts.n);
		free(a);
	}
	qs_vec_free(&starts);
}

const struct qs_rule qs_rule_zk_crash_loop = {
	.id = "zk-crash-loop",
	.kind = "crash-loop",
	.level = QS_LEVEL_ERROR,
	.system = QS_SYS_ZOOKEEPER,
	.title = "a ZooKeeper server starts and exits again and again",
	.explanation = "A server that exits at every start (its election "
	    "listener cannot bind, its configuration or data is refused) "
	    "never joins: its supervisor only repeats the failure, and the "
	    "ensemble runs one voter short.",
	.remediation = "Fix the cause its log gives, then start it once by "
	    "hand.",
	.check = rule_crash_loop,
};

const struct qs_rule qs_rule_etcd_crash_loop = {
	.id = "etcd-crash-loop",
	.kind = "crash-loop",
	.level = QS_LEVEL_ERROR,
	.system = QS_SYS_ETCD,
	.title = "an etcd member starts and dies again and again",
	.explanation = "A member whose every start ends in a fatal line "
	    "(bootstrap refused, name not in the initial cluster, damaged "
	    "WAL) never serves: its supervisor only repeats the failure, and "
	    "the cluster runs one voter short.",
	.remediation = "Fix the cause the fatal line gives, then start it "
	    "once by hand.",
	.check = rule_crash_loop,
};

const struct qs_rule qs_rule_consul_crash_loop = {
	.id = "consul-crash-loop",
	.kind = "crash-loop",
	.level = QS_LEVEL_ERROR,
	.system = QS_SYS_CONSUL,
	.title = "a Consul agent starts and exits again and again",
	.explanation = "An agent whose every start ends in \"Error starting "
	    "agent\" never joins: its supervisor only repeats the failure.",
	.remediation = "Fix the error the agent prints, then start it once "
	    "by hand.",
	.check = rule_crash_loop,
};
