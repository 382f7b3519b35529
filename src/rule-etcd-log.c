/*
 * etcd rules read from the members' logs alone (parse-etcd-log.c's events
 * and etcd.log.* settings; formats.md 5.8, 9; issue 5):
 *
 *   etcd-election-storm      leaders at successive terms within minutes,
 *                            each lasting less than ETCD_STORM_TENURE
 *                            election timeouts, with no stop or start of
 *                            the leader to explain the change.
 *   etcd-bootstrap-conflict  a member refused to start: "has already been
 *                            bootstrapped" or "member count is unequal",
 *                            unless its WAL carries another cluster ID
 *                            (etcd-cluster-id-mismatch explains it then).
 *   etcd-slow-disk           slow fdatasync, late leader heartbeats, slow
 *                            applies: a contributing cause, tied to the
 *                            quorum-loss and election-storm findings of
 *                            the same members.
 *   etcd-clock-drift         a member measured a peer's clock over 1 s
 *                            off (etcd's prober only logs above that).
 *
 * The election timeout is the one the members logged at start
 * (etcd.log.election_timeout_ms), etcd's default of 1 s otherwise.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quorumscope.h"

#define ETCD_STORM_TERMS_MAX	512	/* leadership terms looked at */
#define ETCD_STORM_TENURE	10	/* short: under this many timeouts */
#define ETCD_STORM_WINDOW_MS	(2 * 60 * 1000)
#define ETCD_STORM_MIN_SHORT	3	/* short leaderships in one window */
#define ETCD_STORM_FACTS_MAX	12	/* terms listed in the facts */
#define ETCD_DEFAULT_TIMEOUT_MS	1000

struct etcd_term {
	uint64_t		 term;
	int64_t			 ms;		/* first "elected" at it */
	const struct qs_event	*ev;
	const char		*leader;	/* node name or hex id */
	struct qs_node		*node;		/* the leader's, if known */
	int64_t			 tenure;	/* ms, -1: to the end */
	int			 is_short;	/* unexplained and short */
	const char		*why;		/* an explained change */
};

static uint64_t
etcd_log_u64(struct qs_analysis *an, const struct qs_node *node,
    const char *key, const struct qs_setting **sp)
{
	const struct qs_setting	*s;
	uint64_t		 v;

	s = qs_setting_get(an->run, node, QS_SYS_ETCD, key);
	if (sp != NULL)
		*sp = s;
	if (s == NULL || qs_parse_dec_u64(s->value, strlen(s->value), &v) != 0)
		return 0;
	return v;
}

/* The election timeout the cluster ran with: the largest logged. */
static uint64_t
etcd_log_timeout(struct qs_analysis *an)
{
	uint64_t	 best = 0, v;
	size_t		 i;

	for (i = 0; i < an->run->nodes.n; i++) {
		v = etcd_log_u64(an, an->run->nodes.v[i],
		    "etcd.log.election_timeout_ms", NULL);
		if (v > best)
			best = v;
	}
	return best > 0 ? best : ETCD_DEFAULT_TIMEOUT_MS;
}

static int
etcd_term_cmp(const void *a, const void *b)
{
	const struct etcd_term	*x = a, *y = b;

	if (x->term != y->term)
		return x->term < y->term ? -1 : 1;
	return 0;
}

static void
etcd_ms_text(char *buf, size_t len, int64_t ms)
{
	if (ms < 10000)
		snprintf(buf, len, "%lld.%01lld s", (long long)(ms / 1000),
		    (long long)(ms % 1000 / 100));
	else
		snprintf(buf, len, "%lld s", (long long)(ms / 1000));
}

/* A stop or start of `node` within [from, to]: its leadership ended so. */
static const struct qs_event *
etcd_restart_between(struct qs_analysis *an, const struct qs_node *node,
    int64_t from, int64_t to)
{
	size_t	i;

	if (node == NULL)
		return NULL;
	for (i = 0; i < an->run->events.n; i++) {
		const struct qs_event	*e = an->run->events.v[i];

		if (e->observer == node && e->system == QS_SYS_ETCD &&
		    (e->kind == QS_EV_STOP || e->kind == QS_EV_START) &&
		    e->time.set && e->time.ms >= from && e->time.ms <= to)
			return e;
	}
	return NULL;
}

/* What the logs say stalled the leaders: facts, and a word for steps. */
static int
etcd_storm_causes(struct qs_analysis *an, struct qs_finding *f,
    int *disk, int *net)
{
	struct qs_run		*run = an->run;
	const struct qs_setting	*s;
	uint64_t		 n, max;
	size_t			 i;
	int			 any = 0;

	*disk = *net = 0;
	for (i = 0; i < run->nodes.n; i++) {
		struct qs_node	*node = run->nodes.v[i];

		n = etcd_log_u64(an, node, "etcd.log.heartbeat_late_lines", &s);
		max = etcd_log_u64(an, node, "etcd.log.heartbeat_late_max",
		    NULL);
		if (n > 0) {
			qs_finding_evidence(f, &s->ev);
			qs_finding_fact(an, f, "%s, as leader, sent heartbeats "
			    "late %llu time%s (up to %llu ms over the expected "
			    "interval, log line %llu): the leader itself "
			    "stalled (slow disk, CPU starvation or a paused "
			    "process), not the network.", node->name,
			    (unsigned long long)n, n == 1 ? "" : "s",
			    (unsigned long long)max,
			    (unsigned long long)s->ev.line);
			*disk = any = 1;
		}
		max = etcd_log_u64(an, node, "etcd.log.slow_fdatasync_max", &s);
		if (s != NULL) {
			qs_finding_evidence(f, &s->ev);
			qs_finding_fact(an, f, "%s logged \"slow fdatasync\" "
			    "(longest %llu ms, etcd expects under 1 s; log "
			    "line %llu).", node->name, (unsigned long long)max,
			    (unsigned long long)s->ev.line);
			*disk = any = 1;
		}
		n = etcd_log_u64(an, node, "etcd.log.peer_inactive_lines", &s);
		if (n > 0 && (s = qs_setting_get(run, node, QS_SYS_ETCD,
		    "etcd.log.peers_unreachable")) != NULL) {
			qs_finding_evidence(f, &s->ev);
			qs_finding_fact(an, f, "%s lost its peers' streams: "
			    "%s still unreachable at the end of its log.",
			    node->name, s->value);
			*net = any = 1;
		}
	}
	return any;
}

static void
rule_etcd_election_storm(struct qs_analysis *an, const struct qs_rule *rule)
{
	struct qs_run		*run = an->run;
	struct qs_finding	*f;
	struct etcd_term	*t;
	uint64_t		 timeout = etcd_log_timeout(an);
	int64_t			 limit = (int64_t)timeout * ETCD_STORM_TENURE;
	size_t			 nt = 0, i, j, best = 0, bfrom = 0, nshort;
	size_t			 nelect = 0, listed;
	char			 a[40], d[32];
	int			 disk, net;

	t = qs_xcalloc(ETCD_STORM_TERMS_MAX, sizeof(*t));
	for (i = 0; i < run->events.n; i++) {
		const struct qs_event	*e = run->events.v[i];

		if (e->system != QS_SYS_ETCD || e->kind != QS_EV_LEADER_ELECTED ||
		    !e->time.set || !(e->clock.set & QS_CLOCK_TERM))
			continue;
		for (j = 0; j < nt; j++)
			if (t[j].term == e->clock.term)
				break;
		if (j == nt) {
			if (nt == ETCD_STORM_TERMS_MAX)
				continue;
			nt++;
			t[j].term = e->clock.term;
			t[j].ms = e->time.ms;
			t[j].ev = e;
		} else if (e->time.zone_known > t[j].ev->time.zone_known ||
		    (e->time.zone_known == t[j].ev->time.zone_known &&
		    e->time.ms < t[j].ms)) {
			/* Zap's zoned milliseconds over raft's whole seconds. */
			t[j].ms = e->time.ms;
			t[j].ev = e;
		}
		if (t[j].leader == NULL && (e->subject_node != NULL ||
		    e->subject != NULL)) {
			t[j].node = e->subject_node;
			t[j].leader = qs_tl_subject(e);
		}
	}
	qsort(t, nt, sizeof(*t), etcd_term_cmp);
	for (i = 0; i < nt; i++) {
		t[i].tenure = i + 1 < nt ? t[i + 1].ms - t[i].ms : -1;
		if (t[i].tenure < 0 || t[i].tenure >= limit)
			continue;
		/* A leader stopped or restarted: a planned change. */
		if (etcd_restart_between(an, t[i].node, t[i].ms,
		    t[i + 1].ms + (int64_t)timeout) != NULL) {
			t[i].why = "stopped or restarted";
			continue;
		}
		t[i].is_short = 1;
	}
	/* The window of ETCD_STORM_WINDOW_MS with the most short leaderships. */
	for (i = 0; i < nt; i++) {
		nshort = 0;
		for (j = i; j < nt && t[j].ms - t[i].ms <= ETCD_STORM_WINDOW_MS;
		    j++)
			if (t[j].is_short)
				nshort++;
		if (nshort > best) {
			best = nshort;
			bfrom = i;
		}
	}
	if (best < ETCD_STORM_MIN_SHORT) {
		free(t);
		return;
	}
	for (i = 0; i < run->events.n; i++) {
		const struct qs_event	*e = run->events.v[i];

		if (e->system == QS_SYS_ETCD && e->kind == QS_EV_ELECTION_START &&
		    e->time.set && e->time.ms >= t[bfrom].ms &&
		    e->time.ms <= t[bfrom].ms + ETCD_STORM_WINDOW_MS)
			nelect++;
	}
	f = qs_finding_new(an, rule, "etcd leadership changed %zu times in "
	    "%s without a stable leader", best, "two minutes");
	qs_finding_fact(an, f, "Terms race: %zu leaders in a row held their "
	    "term less than %d election timeouts (%llu ms each, as logged at "
	    "start) and lost it without being stopped; %zu elections were "
	    "started in the window.", best, ETCD_STORM_TENURE,
	    (unsigned long long)timeout, nelect);
	listed = 0;
	for (i = bfrom; i < nt && t[i].ms - t[bfrom].ms <= ETCD_STORM_WINDOW_MS;
	    i++) {
		if (listed++ == ETCD_STORM_FACTS_MAX)
			break;
		qs_finding_evidence(f, &t[i].ev->ev);
		if (t[i].node != NULL)
			qs_finding_node(f, t[i].node);
		if (t[i].tenure >= 0)
			etcd_ms_text(d, sizeof(d), t[i].tenure);
		qs_finding_fact(an, f, "Term %llu: %s led from %s%s%s%s (%s "
		    "logged it).", (unsigned long long)t[i].term,
		    t[i].leader != NULL ? t[i].leader : "?",
		    qs_time_format(&t[i].ev->time, a, sizeof(a)),
		    t[i].tenure >= 0 ? " for " : " to the end of the logs",
		    t[i].tenure >= 0 ? d : "",
		    t[i].why != NULL ? ", then was stopped or restarted" : "",
		    t[i].ev->observer != NULL ? t[i].ev->observer->name : "?");
	}
	if (!etcd_storm_causes(an, f, &disk, &net))
		qs_finding_fact(an, f, "The logs name no cause (no late "
		    "heartbeat, slow fdatasync or unreachable peer): suspect "
		    "CPU starvation (steal time, cgroup throttling) or pauses "
		    "of the whole host.");
	if (disk)
		qs_finding_step(an, f, "Fix the stall first: the leaders' "
		    "disks are slow or their processes were paused (see "
		    "etcd-slow-disk); measure with `etcdctl check perf` and "
		    "`iostat -x 1` on each member, move the WAL to a dedicated "
		    "SSD (--wal-dir) and check for CPU throttling of etcd.");
	if (net)
		qs_finding_step(an, f, "Check the network between the members "
		    "(packet loss, firewall changes): `etcdctl endpoint health "
		    "--cluster` and the peers' \"became inactive\" lines.");
	if (!disk && !net)
		qs_finding_step(an, f, "Look for CPU starvation: `top` steal "
		    "time, `systemd-cgtop`, the cgroup's cpu.stat throttling "
		    "of etcd; give etcd dedicated CPUs (`ionice -c2 -n0`, "
		    "`renice -n -10` on its pid).");
	qs_finding_step(an, f, "Run `etcdctl endpoint status --cluster -w "
	    "table` on each member a few times: a stable cluster shows one "
	    "leader and a raft term that no longer rises.");
	qs_finding_step(an, f, "Only once the cause is fixed, and if the "
	    "members are far apart, raise --election-timeout (e.g. 5000) and "
	    "--heartbeat-interval (e.g. 500) together on every member "
	    "(ETCD_ELECTION_TIMEOUT, ETCD_HEARTBEAT_INTERVAL in "
	    "/etc/default/etcd); raising them hides a slow disk, it does not "
	    "fix it.");
	free(t);
}

/* The --initial-cluster list of the running cluster, from a WAL view. */
static const char *
etcd_initial_cluster(struct qs_analysis *an, const struct qs_node *skip,
    const struct qs_node **from, const char *cluster)
{
	struct qs_run	*run = an->run;
	const char	*out = NULL, *cid;
	size_t		 i, j, unnamed;

	for (i = 0; i < run->nodes.n; i++) {
		const struct qs_node	*node = run->nodes.v[i];
		const struct qs_setting	*s;
		const struct qs_view	*v;

		if (node == skip)
			continue;
		s = qs_setting_get(run, node, QS_SYS_ETCD, "etcd.cluster_id");
		cid = s != NULL ? s->value : NULL;
		if (cluster != NULL && cid != NULL && strcmp(cid, cluster) != 0)
			continue;
		v = qs_view_latest(run, node, QS_VIEW_CONSENSUS,
		    "etcd WAL membership");
		if (v == NULL || v->members.n == 0)
			continue;
		/*
		 * A member added and never started has no name yet; when it
		 * is the only one, it is the member that failed to start.
		 */
		for (j = 0, unnamed = 0; j < v->members.n; j++)
			if (((const struct qs_member *)v->members.v[j])->name ==
			    NULL)
				unnamed++;
		out = "";
		for (j = 0; j < v->members.n; j++) {
			const struct qs_member	*m = v->members.v[j];

			out = qs_arena_printf(&run->arena, "%s%s%s=%s", out,
			    j > 0 ? "," : "", m->name != NULL ? m->name :
			    unnamed == 1 && skip != NULL ? skip->name : "<name>",
			    m->address != NULL ? m->address : "<peer URL>");
		}
		*from = node;
		return out;
	}
	return NULL;
}

static void
rule_etcd_bootstrap_conflict(struct qs_analysis *an,
    const struct qs_rule *rule)
{
	struct qs_run		*run = an->run;
	struct qs_finding	*f = NULL;
	const struct qs_node	*done[64], *from = NULL;
	const char		*major, *cid, *ic;
	size_t			 ndone = 0, i, k, distinct;
	int			 unequal;

	major = qs_etcd_majority_cluster(an, &distinct);
	for (i = 0; i < run->signals.n; i++) {
		const struct qs_signal	*s = run->signals.v[i];
		const struct qs_setting	*cs;

		if (s->kind != QS_SIG_BOOTSTRAP_CONFLICT ||
		    s->system != QS_SYS_ETCD || s->observer == NULL)
			continue;
		for (k = 0; k < ndone; k++)
			if (done[k] == s->observer)
				break;
		if (k < ndone || ndone == 64)
			continue;
		done[ndone++] = s->observer;
		/* A stray cluster ID: etcd-cluster-id-mismatch's finding. */
		cs = qs_setting_get(run, s->observer, QS_SYS_ETCD,
		    "etcd.cluster_id");
		cid = cs != NULL ? cs->value : NULL;
		if (distinct >= 2 && cid != NULL && major != NULL &&
		    strcmp(cid, major) != 0)
			continue;
		/* The parser names the phrase; the excerpt may be cut. */
		unequal = (s->detail != NULL &&
		    strstr(s->detail, "member count is unequal") != NULL) ||
		    (s->ev.excerpt != NULL &&
		    strstr(s->ev.excerpt, "member count is unequal") != NULL);
		if (f == NULL)
			f = qs_finding_new(an, rule, "etcd member %s refused "
			    "to start: %s", s->observer->name, unequal ?
			    "its --initial-cluster differs from the cluster's" :
			    "it was already bootstrapped");
		qs_finding_node(f, s->observer);
		qs_finding_evidence(f, &s->ev);
		if (unequal)
			qs_finding_fact(an, f, "%s's log says \"member count is "
			    "unequal\" (line %llu): it joined an existing "
			    "cluster with an --initial-cluster list of another "
			    "size than the cluster's membership.",
			    s->observer->name, (unsigned long long)s->ev.line);
		else
			qs_finding_fact(an, f, "%s's log says \"has already "
			    "been bootstrapped\" (line %llu): it started with "
			    "--initial-cluster-state new and no data of its "
			    "own, while the cluster already has its member ID "
			    "(a member ID is a hash of the peer URLs and the "
			    "cluster token, so a wiped member comes back as "
			    "the same ID).", s->observer->name,
			    (unsigned long long)s->ev.line);
		ic = etcd_initial_cluster(an, s->observer, &from, major);
		if (!unequal)
			qs_finding_step(an, f, "On a running member, `etcdctl "
			    "member list`, then `etcdctl member remove %s` and "
			    "`etcdctl member add %s --peer-urls=<its peer "
			    "URL>`: its data is gone, so it rejoins as a new "
			    "member.", s->subject != NULL ? s->subject :
			    "<its id>", s->observer->name);
		qs_finding_step(an, f, "On %s, move the data dir aside (`mv "
		    "/var/lib/etcd /var/lib/etcd.failed`) and start it with "
		    "--initial-cluster-state existing "
		    "(ETCD_INITIAL_CLUSTER_STATE=existing in /etc/default/etcd) "
		    "and --initial-cluster exactly as `etcdctl member add` "
		    "printed it%s%s%s%s.", s->observer->name,
		    ic != NULL ? "; the running cluster's list, from " : "",
		    ic != NULL ? from->name : "",
		    ic != NULL ? "'s WAL, is --initial-cluster=" : "",
		    ic != NULL ? ic : "");
		qs_finding_step(an, f, "Keep the original "
		    "--initial-cluster-token: a new token makes a new cluster "
		    "ID, and the member is then refused for good (see "
		    "etcd-cluster-id-mismatch).");
	}
}

/* The findings of other rules that name `node`, for "contributes to". */
static const char *
etcd_contributes(struct qs_analysis *an, const struct qs_node *node)
{
	const char	*out = NULL;
	size_t		 i, j;

	for (i = 0; i < an->findings.n; i++) {
		const struct qs_finding	*f = an->findings.v[i];

		if (f->rule->system != QS_SYS_ETCD ||
		    (strcmp(f->rule->id, "etcd-election-storm") != 0 &&
		    strcmp(f->rule->id, "etcd-quorum-loss") != 0))
			continue;
		for (j = 0; j < f->nodes.n; j++)
			if (f->nodes.v[j] == node)
				break;
		if (j == f->nodes.n)
			continue;
		if (out != NULL && strstr(out, f->rule->id) != NULL)
			continue;
		out = out == NULL ? f->rule->id : qs_arena_printf(
		    &an->run->arena, "%s and %s", out, f->rule->id);
	}
	return out;
}

/*
 * The longest gap between two heartbeats the member sent as leader: the
 * expected gap (twice the heartbeat interval, etcdserver's detector) plus
 * the longest overrun it logged.
 */
static uint64_t
etcd_heartbeat_gap(struct qs_analysis *an, const struct qs_node *node)
{
	const struct qs_etcd	*e = qs_etcd_facts(an);
	uint64_t		 exp, late;

	exp = etcd_log_u64(an, node, "etcd.log.heartbeat_expected_ms", NULL);
	if (exp == 0)
		exp = e != NULL ? 2 * (uint64_t)e->heartbeat_ms : 200;
	late = etcd_log_u64(an, node, "etcd.log.heartbeat_late_max", NULL);
	return exp + late;
}

static void
rule_etcd_slow_disk(struct qs_analysis *an, const struct qs_rule *rule)
{
	struct qs_run		*run = an->run;
	const struct qs_etcd	*e = qs_etcd_facts(an);
	struct qs_finding	*f = NULL;
	const struct qs_setting	*hb, *fs, *ap;
	const char		*to, *names = NULL;
	uint64_t		 nhb, nfs, nap, timeout;
	size_t			 i;

	timeout = e != NULL ? (uint64_t)e->election_ms : 1000;

	for (i = 0; i < run->nodes.n; i++) {
		struct qs_node	*node = run->nodes.v[i];

		nhb = etcd_log_u64(an, node, "etcd.log.heartbeat_late_lines",
		    &hb);
		/*
		 * A late heartbeat matters when the gap it left reaches
		 * the election timeout: then a follower campaigns.  Below
		 * it (a VM pause, GC, load) the leader kept its followers.
		 */
		if (nhb > 0 && etcd_heartbeat_gap(an, node) < timeout)
			nhb = 0;
		(void)etcd_log_u64(an, node, "etcd.log.slow_fdatasync_max", &fs);
		nfs = etcd_log_u64(an, node, "etcd.log.slow_fdatasync_lines",
		    NULL);
		nap = etcd_log_u64(an, node, "etcd.log.slow_apply_lines", &ap);
		if (nhb == 0 && fs == NULL && nap == 0)
			continue;
		if (f == NULL) {
			f = qs_finding_new(an, rule, "etcd member %s logged "
			    "slow disk writes or stalls", node->name);
			names = node->name;
		} else {
			names = qs_arena_printf(&run->arena, "%s, %s", names,
			    node->name);
			f->title = qs_arena_printf(&run->arena, "etcd members "
			    "%s logged slow disk writes or stalls", names);
		}
		qs_finding_node(f, node);
		if (fs != NULL) {
			qs_finding_evidence(f, &fs->ev);
			qs_finding_fact(an, f, "%s: %llu \"slow fdatasync\" "
			    "line%s, the longest %s ms (etcd expects a WAL "
			    "fsync under 1 s; log line %llu).", node->name,
			    (unsigned long long)(nfs > 0 ? nfs : 1),
			    nfs == 1 ? "" : "s", fs->value,
			    (unsigned long long)fs->ev.line);
		}
		if (nhb > 0) {
			uint64_t	 exp = etcd_log_u64(an, node,
			    "etcd.log.heartbeat_expected_ms", NULL);

			qs_finding_evidence(f, &hb->ev);
			qs_finding_fact(an, f, "%s: %llu late heartbeat%s as "
			    "leader, up to %llu ms over the expected %s%s "
			    "(\"leader failed to send out heartbeat on time\", "
			    "log line %llu): a gap of %llu ms, at least the "
			    "election timeout of %llu ms after which a "
			    "follower campaigns (%s).", node->name,
			    (unsigned long long)nhb, nhb == 1 ? "" : "s",
			    (unsigned long long)etcd_log_u64(an, node,
			    "etcd.log.heartbeat_late_max", NULL),
			    exp > 0 ? qs_arena_printf(&run->arena, "%llu",
			    (unsigned long long)exp) : "interval",
			    exp > 0 ? " ms" : "", (unsigned long long)hb->ev.line,
			    (unsigned long long)etcd_heartbeat_gap(an, node),
			    (unsigned long long)timeout, e != NULL ?
			    e->timing_from : "etcd's default");
		}
		if (nap > 0) {
			qs_finding_evidence(f, &ap->ev);
			qs_finding_fact(an, f, "%s: %llu slow appl%s, the "
			    "longest %llu ms (etcd warns over 100 ms; log line "
			    "%llu).", node->name, (unsigned long long)nap,
			    nap == 1 ? "y" : "ies", (unsigned long long)
			    etcd_log_u64(an, node, "etcd.log.slow_apply_max",
			    NULL), (unsigned long long)ap->ev.line);
		}
		if ((to = etcd_contributes(an, node)) != NULL)
			qs_finding_fact(an, f, "This contributes to %s: a "
			    "member that stalls on its disk misses heartbeats "
			    "and elections, and %s is named there.", to,
			    node->name);
		qs_finding_step(an, f, "On %s, measure the disk under the "
		    "data dir: `fio --name=etcd --rw=write --ioengine=sync "
		    "--fdatasync=1 --bs=2300 --size=22m "
		    "--directory=/var/lib/etcd` (99th percentile fdatasync "
		    "should stay under 10 ms) and `iostat -x 1` while etcd "
		    "runs.", node->name);
	}
	if (f == NULL)
		return;
	qs_finding_step(an, f, "Give the WAL a dedicated SSD: --wal-dir "
	    "(ETCD_WAL_DIR in /etc/default/etcd) on its own device, and keep "
	    "other heavy writers off the data dir's disk.");
	qs_finding_step(an, f, "Raise etcd's I/O and CPU priority: `ionice "
	    "-c2 -n0 -p $(pidof etcd)` (or IOSchedulingClass=best-effort, "
	    "IOSchedulingPriority=0 in etcd.service) and check the host for "
	    "CPU throttling or steal.");
}

static void
rule_etcd_clock_drift(struct qs_analysis *an, const struct qs_rule *rule)
{
	struct qs_run		*run = an->run;
	struct qs_finding	*f = NULL;
	const struct qs_setting	*s, *peer;
	struct qs_node		*pnode;
	uint64_t		 n, max;
	size_t			 i;

	for (i = 0; i < run->nodes.n; i++) {
		struct qs_node	*node = run->nodes.v[i];

		n = etcd_log_u64(an, node, "etcd.log.clock_drift_lines", &s);
		if (n == 0)
			continue;
		max = etcd_log_u64(an, node, "etcd.log.clock_drift_max", NULL);
		peer = qs_setting_get(run, node, QS_SYS_ETCD,
		    "etcd.log.clock_drift_peer");
		pnode = peer != NULL ? qs_model_lookup(run, peer->value) : NULL;
		if (f == NULL)
			f = qs_finding_new(an, rule, "etcd members' clocks "
			    "differ by up to %llu ms", (unsigned long long)max);
		qs_finding_node(f, node);
		if (pnode != NULL)
			qs_finding_node(f, pnode);
		qs_finding_evidence(f, &s->ev);
		qs_finding_fact(an, f, "%s measured a clock difference of "
		    "%llu ms against peer %s%s%s%s (%llu line%s; etcd's prober "
		    "logs it above 1 s; log line %llu).", node->name,
		    (unsigned long long)max, peer != NULL ? peer->value : "?",
		    pnode != NULL ? " (" : "", pnode != NULL ? pnode->name : "",
		    pnode != NULL ? ")" : "", (unsigned long long)n,
		    n == 1 ? "" : "s", (unsigned long long)s->ev.line);
		qs_finding_step(an, f, "On %s and %s, check time sync: "
		    "`chronyc tracking` or `timedatectl timesync-status`; fix "
		    "the NTP source and let the clocks slew back.", node->name,
		    pnode != NULL ? pnode->name : "the peer's host");
	}
	if (f == NULL)
		return;
	qs_finding_fact(an, f, "Raft itself does not use wall clocks, but "
	    "leases, TLS certificate checks and the order of these logs do: "
	    "timestamps across members cannot be compared as they are.");
}

const struct qs_rule qs_rule_etcd_election_storm = {
	.id = "etcd-election-storm",
	.kind = "quorum-loss",
	.level = QS_LEVEL_ERROR,
	.system = QS_SYS_ETCD,
	.title = "etcd terms race without a stable leader",
	.explanation = "Leaders that lose their term within a few election "
	    "timeouts, again and again, leave the cluster without a leader "
	    "for most of the time: writes stall and clients time out, though "
	    "a majority is up.",
	.remediation = "Find what stalls the leaders (slow disk, network, "
	    "CPU starvation) and fix it; raise --election-timeout and "
	    "--heartbeat-interval only after that.",
	.check = rule_etcd_election_storm,
};

const struct qs_rule qs_rule_etcd_bootstrap_conflict = {
	.id = "etcd-bootstrap-conflict",
	.kind = "inconsistent-config",
	.level = QS_LEVEL_ERROR,
	.system = QS_SYS_ETCD,
	.title = "an etcd member's bootstrap settings contradict the cluster",
	.explanation = "A member started with --initial-cluster-state new "
	    "after its data dir was wiped, or joined with an --initial-cluster "
	    "list the cluster does not have, refuses to start and the cluster "
	    "runs one voter short.",
	.remediation = "Remove and re-add the member, then start it with "
	    "--initial-cluster-state existing and the cluster's own "
	    "--initial-cluster list.",
	.check = rule_etcd_bootstrap_conflict,
};

const struct qs_rule qs_rule_etcd_slow_disk = {
	.id = "etcd-slow-disk",
	.kind = "slow-disk",
	.level = QS_LEVEL_WARNING,
	.system = QS_SYS_ETCD,
	.title = "etcd members logged slow disk writes or stalls",
	.explanation = "etcd fsyncs every WAL write before it answers; a "
	    "member whose disk (or process) stalls for longer than the "
	    "heartbeat interval misses heartbeats and triggers elections.",
	.remediation = "Measure the disk, move the WAL to a dedicated SSD, "
	    "raise etcd's I/O priority.",
	.check = rule_etcd_slow_disk,
};

const struct qs_rule qs_rule_etcd_clock_drift = {
	.id = "etcd-clock-drift",
	.kind = "clock-skew",
	.level = QS_LEVEL_WARNING,
	.system = QS_SYS_ETCD,
	.title = "etcd members' clocks drift apart",
	.explanation = "etcd's peer prober found clocks more than a second "
	    "apart: leases and certificate checks misbehave, and the members' "
	    "logs cannot be lined up by time.",
	.remediation = "Fix time synchronisation (NTP, chrony) on the hosts "
	    "named.",
	.check = rule_etcd_clock_drift,
};
