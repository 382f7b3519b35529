/*
 * etcd server logs (kind etcd.log): elections, membership changes and the
 * failures that split or stop a cluster, as each member logged them.
 *
 * Three line shapes, often mixed in one file (formats.md 5.7, 5.8, 9):
 * capnslog text "2024-05-01 12:00:00.123456 I | etcdserver: message"
 * (etcd 3.3, 3.4 without --logger zap), raft's own Go log lines
 * "raft2026/11/22 05:09:59 INFO: message" (3.4 capnslog mode), and zap
 * JSON objects {"level":..,"ts":..,"caller":..,"msg":..,fields} (3.4
 * --logger zap, 3.5+).  Raft's messages have the same words in every
 * shape, so one table of needles serves all three: a zap line is matched
 * on its whole text, because the facts sit in fields ("error") as often
 * as in "msg".  Lines in no shape (stack traces) are skipped.
 *
 * Extracted (needle -> observation):
 *   "elected leader ID at term N"          LEADER_ELECTED subject ID, term
 *   "ID became leader at term N"           LEADER_ELECTED subject ID, term
 *   "lost leader ID at term N", "leader changed"
 *                                          LEADER_LOST, term
 *   "stepped down to follower since quorum is not active"
 *                                          LEADER_LOST + signal QUORUM_LOST
 *   "is starting a new election at term N", "became candidate at term N"
 *                                          ELECTION_START (one per election)
 *   "added member ID" / zap "added-peer-id" MEMBER_ADD subject ID (not
 *                                          "from store": a restart replay)
 *   "removed member ID" / zap "removed-remote-peer-id"
 *                                          MEMBER_REMOVE subject ID
 *   "cluster ID mismatch"                  signal CLUSTER_ID_MISMATCH
 *   "permanently removed from the cluster" signal REMOVED_SELF
 *   "has already been bootstrapped", "member count is unequal"
 *                                          signal BOOTSTRAP_CONFLICT
 *   "tocommit(X) is out of range"          signal COMMIT_OUT_OF_RANGE
 *   "slow fdatasync"                       setting etcd.log.slow_fdatasync_max
 *                                          (the longest, in ms)
 *   "starting an etcd server", "etcd Version:"
 *                                          START
 *   "closed etcd server", level fatal/C    STOP
 *   "force new cluster", "force-new-cluster":true
 *                                          setting etcd.log.force_new_cluster
 *   "starting member ID", "local-member-id":"ID"
 *                                          identity member id (self, once)
 * Repeated signals (a mismatch is logged for every peer request) are kept
 * up to ETCD_LOG_SIG_MAX per kind; the rest only counted in the detail of
 * a setting, so a week of retries costs no memory.
 *
 * Known limits: SIGKILL leaves nothing in the log; with pre-vote (3.5+)
 * a member cut off logs pre-candidate rounds at one term, not rising
 * terms; journald or container prefixes before the time are not skipped; lines over 64 KiB are
 * cut; JSON string escapes are not decoded (needles have none).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "quorumscope.h"

#define ETCD_LOG_LINE_MAX	(64 * 1024)
#define ETCD_LOG_OBS_MAX	1000000		/* observations per file */
#define ETCD_LOG_SIG_MAX	16		/* kept per signal kind */
#define ETCD_LOG_ID_MAX		16		/* hex digits of a member id */

enum etcd_log_act {
	ACT_ELECTED, ACT_BECAME_LEADER, ACT_LOST, ACT_CHANGED, ACT_ELECTION,
	ACT_CANDIDATE, ACT_ADDED, ACT_REMOVED, ACT_SIG, ACT_FDATASYNC,
	ACT_START, ACT_STOP, ACT_FORCE, ACT_SELF, ACT_QUORUM
};

struct etcd_log_match {
	const char		*needle;
	enum etcd_log_act	 act;
	enum qs_signal_kind	 sig;
};

/* Order matters: the first needle found on a line wins. */
static const struct etcd_log_match etcd_log_table[] = {
	{ " elected leader ", ACT_ELECTED, 0 },
	{ " became leader at term ", ACT_BECAME_LEADER, 0 },
	{ " lost leader ", ACT_LOST, 0 },
	{ "leader changed", ACT_CHANGED, 0 },
	{ "since quorum is not active", ACT_QUORUM, QS_SIG_QUORUM_LOST },
	{ " is starting a new election at term ", ACT_ELECTION, 0 },
	{ " became candidate at term ", ACT_CANDIDATE, 0 },
	{ "added member", ACT_ADDED, 0 },
	{ "removed member", ACT_REMOVED, 0 },
	{ "cluster ID mismatch", ACT_SIG, QS_SIG_CLUSTER_ID_MISMATCH },
	{ "permanently removed from the cluster", ACT_SIG,
	    QS_SIG_REMOVED_SELF },
	{ "has already been bootstrapped", ACT_SIG, QS_SIG_BOOTSTRAP_CONFLICT },
	{ "member count is unequal", ACT_SIG, QS_SIG_BOOTSTRAP_CONFLICT },
	{ "tocommit(", ACT_SIG, QS_SIG_COMMIT_OUT_OF_RANGE },
	{ "slow fdatasync", ACT_FDATASYNC, 0 },
	{ "starting an etcd server", ACT_START, 0 },
	{ "etcdmain: etcd Version:", ACT_START, 0 },
	{ "closed etcd server", ACT_STOP, 0 },
	{ "embed: force new cluster", ACT_FORCE, 0 },
	{ "starting member ", ACT_SELF, 0 },
	{ "restarting member ", ACT_SELF, 0 },
};

struct etcd_log {
	struct qs_parse_ctx	*ctx;
	uint64_t		 lineno;
	const char		*line;
	size_t			 len;
	int			 json;
	struct qs_time		 time;
	uint64_t		 nobs;
	int			 full;
	uint64_t		 pending_term;	/* election announced for it */
	int			 pending;
	uint64_t		 nsig[QS_SIG_COUNT];
	int			 self_seen;
	uint64_t		 fsync_max;
	uint64_t		 fsync_line;
	int			 fsync_seen;
	int			 force_seen;
};

static const char *
etcd_log_find(const char *s, size_t len, const char *needle)
{
	size_t	n = strlen(needle);

	if (n == 0 || n > len)
		return NULL;
	/* glibc's memmem is a vectorised two-way search: a 100 MB log is
	 * searched for every phrase of the table, line by line. */
	return memmem(s, len, needle, n);
}

static int
etcd_log_room(struct etcd_log *l)
{
	if (l->nobs < ETCD_LOG_OBS_MAX) {
		l->nobs++;
		return 1;
	}
	if (!l->full) {
		qs_parse_diag(l->ctx, QS_SEV_WARNING, l->lineno, "more than "
		    "%d observations; the rest of the log is skipped",
		    ETCD_LOG_OBS_MAX);
		l->full = 1;
	}
	return 0;
}

/* A member id (1 to 16 hex digits) at p, copied; NULL when there is none. */
static const char *
etcd_log_id(struct etcd_log *l, const char *p)
{
	const char	*end = l->line + l->len;
	char		 buf[ETCD_LOG_ID_MAX + 1];
	size_t		 n = 0;

	if (p == NULL)
		return NULL;
	while (p < end && n < ETCD_LOG_ID_MAX + 1 &&
	    ((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
		buf[n++] = *p++;
	if (n == 0 || n > ETCD_LOG_ID_MAX)
		return NULL;
	buf[n] = '\0';
	return qs_pstrdup(l->ctx, buf);
}

/* The id before " became leader": the word that starts the message. */
static const char *
etcd_log_id_before(struct etcd_log *l, const char *at)
{
	const char	*p = at;
	size_t		 n = 0;

	while (p > l->line && n <= ETCD_LOG_ID_MAX &&
	    ((p[-1] >= '0' && p[-1] <= '9') ||
	    (p[-1] >= 'a' && p[-1] <= 'f'))) {
		p--;
		n++;
	}
	return n > 0 && n <= ETCD_LOG_ID_MAX ? etcd_log_id(l, p) : NULL;
}

/* A decimal after needle; 0 when absent or too long. */
static int
etcd_log_num(struct etcd_log *l, const char *p, uint64_t *v)
{
	const char	*end = l->line + l->len, *q = p;

	if (p == NULL)
		return -1;
	while (q < end && *q >= '0' && *q <= '9' && q - p < 20)
		q++;
	return qs_etcd_dec_u64(p, (size_t)(q - p), v);
}

/* The value of a zap string field: "key":"value"; NULL if absent. */
static const char *
etcd_log_field(struct etcd_log *l, const char *key)
{
	char		 pat[64];
	const char	*p;

	if (!l->json || snprintf(pat, sizeof(pat), "\"%s\":\"", key) >=
	    (int)sizeof(pat))
		return NULL;
	p = etcd_log_find(l->line, l->len, pat);
	return p == NULL ? NULL : p + strlen(pat);
}

static struct qs_evidence
etcd_log_ev(struct etcd_log *l)
{
	return qs_evidence_line(l->ctx, l->lineno, l->line);
}

static struct qs_event *
etcd_log_event(struct etcd_log *l, enum qs_event_kind kind,
    const char *subject, int has_term, uint64_t term)
{
	struct qs_evidence	 ev;
	struct qs_event		*e;

	if (!etcd_log_room(l))
		return NULL;
	ev = etcd_log_ev(l);
	e = qs_emit_event(l->ctx, kind, subject, &ev);
	e->system = QS_SYS_ETCD;
	e->time = l->time;
	if (has_term) {
		e->clock.set |= QS_CLOCK_TERM;
		e->clock.term = term;
	}
	return e;
}

/* Go durations as zap and capnslog write them ("1.5s", "812ms"), in ms. */
static int
etcd_log_duration(const char *p, const char *end, uint64_t *ms)
{
	uint64_t	 whole = 0, frac = 0, scale = 1;
	int		 digits = 0;

	while (p < end && *p >= '0' && *p <= '9' && digits < 12) {
		whole = whole * 10 + (uint64_t)(*p++ - '0');
		digits++;
	}
	if (digits == 0)
		return -1;
	if (p < end && *p == '.') {
		p++;
		while (p < end && *p >= '0' && *p <= '9') {
			if (scale < 1000000) {
				frac = frac * 10 + (uint64_t)(*p - '0');
				scale *= 10;
			}
			p++;
		}
	}
	if (end - p >= 2 && p[0] == 'm' && p[1] == 's')
		*ms = whole;
	else if (end - p >= 1 && p[0] == 's')
		*ms = whole * 1000 + frac * 1000 / scale;
	else
		return -1;
	return 0;
}

static void
etcd_log_fdatasync(struct etcd_log *l)
{
	const char	*end = l->line + l->len, *p;
	uint64_t	 ms;

	if ((p = etcd_log_field(l, "took")) == NULL &&
	    (p = etcd_log_find(l->line, l->len, "took ")) != NULL)
		p += 5;
	if (p == NULL && (p = etcd_log_find(l->line, l->len,
	    "duration of ")) != NULL)
		p += 12;
	if (p == NULL || etcd_log_duration(p, end, &ms) != 0)
		ms = 0;
	if (!l->fsync_seen || ms > l->fsync_max) {
		l->fsync_max = ms;
		l->fsync_line = l->lineno;
	}
	l->fsync_seen = 1;
}

static void
etcd_log_self(struct etcd_log *l, const char *id)
{
	struct qs_evidence	 ev;

	if (id == NULL || l->self_seen)
		return;
	l->self_seen = 1;
	ev = etcd_log_ev(l);
	qs_emit_identity(l->ctx, QS_ID_MEMBER_ID, id, NULL, NULL, &ev);
}

static void
etcd_log_act(struct etcd_log *l, const struct etcd_log_match *m,
    const char *at)
{
	struct qs_evidence	 ev;
	struct qs_signal	*s;
	const char		*p, *id;
	uint64_t		 term = 0;
	int			 has;

	p = at + strlen(m->needle);
	switch (m->act) {
	case ACT_ELECTED:
		id = etcd_log_id(l, p);
		has = (p = etcd_log_find(p, (size_t)(l->line + l->len - p),
		    " at term ")) != NULL && etcd_log_num(l, p + 9, &term) == 0;
		etcd_log_event(l, QS_EV_LEADER_ELECTED, id, has, term);
		break;
	case ACT_BECAME_LEADER:
		has = etcd_log_num(l, p, &term) == 0;
		etcd_log_event(l, QS_EV_LEADER_ELECTED,
		    etcd_log_id_before(l, at), has, term);
		break;
	case ACT_LOST:
		has = (p = etcd_log_find(p, (size_t)(l->line + l->len - p),
		    " at term ")) != NULL && etcd_log_num(l, p + 9, &term) == 0;
		etcd_log_event(l, QS_EV_LEADER_LOST, NULL, has, term);
		break;
	case ACT_CHANGED:
		etcd_log_event(l, QS_EV_LEADER_LOST, NULL, 0, 0);
		break;
	case ACT_QUORUM:
		/* check-quorum: the leader lost touch with a majority. */
		etcd_log_event(l, QS_EV_LEADER_LOST, NULL, 0, 0);
		if (l->nsig[m->sig]++ >= ETCD_LOG_SIG_MAX || !etcd_log_room(l))
			break;
		ev = etcd_log_ev(l);
		s = qs_emit_signal(l->ctx, m->sig, NULL, &ev);
		s->time = l->time;
		break;
	case ACT_ELECTION:
		/* "at term N" is the old term; the candidate's is N + 1. */
		has = etcd_log_num(l, p, &term) == 0 && term < UINT64_MAX;
		etcd_log_event(l, QS_EV_ELECTION_START, NULL, has, term + 1);
		l->pending = has;
		l->pending_term = term + 1;
		break;
	case ACT_CANDIDATE:
		has = etcd_log_num(l, p, &term) == 0;
		if (!(l->pending && has && term == l->pending_term))
			etcd_log_event(l, QS_EV_ELECTION_START, NULL, has,
			    term);
		l->pending = 0;
		break;
	case ACT_ADDED:
	case ACT_REMOVED:
		if (etcd_log_find(l->line, l->len, "from store") != NULL ||
		    etcd_log_find(l->line, l->len, "rejecting") != NULL)
			break;
		if (l->json)
			id = etcd_log_id(l, etcd_log_field(l, m->act ==
			    ACT_ADDED ? "added-peer-id" :
			    "removed-remote-peer-id"));
		else
			id = etcd_log_id(l, *p == ' ' ? p + 1 : NULL);
		if (id != NULL)
			etcd_log_event(l, m->act == ACT_ADDED ?
			    QS_EV_MEMBER_ADD : QS_EV_MEMBER_REMOVE, id, 0, 0);
		break;
	case ACT_SIG:
		if (l->nsig[m->sig]++ >= ETCD_LOG_SIG_MAX || !etcd_log_room(l))
			break;
		ev = etcd_log_ev(l);
		s = qs_emit_signal(l->ctx, m->sig, NULL, &ev);
		s->system = QS_SYS_ETCD;
		s->time = l->time;
		break;
	case ACT_FDATASYNC:
		etcd_log_fdatasync(l);
		break;
	case ACT_START:
		etcd_log_event(l, QS_EV_START, NULL, 0, 0);
		if (etcd_log_find(l->line, l->len,
		    "\"force-new-cluster\":true") != NULL && !l->force_seen) {
			l->force_seen = 1;
			ev = etcd_log_ev(l);
			qs_emit_setting(l->ctx, "etcd.log.force_new_cluster",
			    "true", &ev);
		}
		break;
	case ACT_STOP:
		etcd_log_event(l, QS_EV_STOP, NULL, 0, 0);
		break;
	case ACT_FORCE:
		if (!l->force_seen) {
			l->force_seen = 1;
			ev = etcd_log_ev(l);
			qs_emit_setting(l->ctx, "etcd.log.force_new_cluster",
			    "true", &ev);
		}
		break;
	case ACT_SELF:
		etcd_log_self(l, etcd_log_id(l, p));
		break;
	}
}

/*
 * The time of a line and whether it is in one of the three shapes;
 * sets l->json.  A fatal line (zap "fatal", capnslog "C") is a stop.
 */
static int
etcd_log_header(struct etcd_log *l, int *fatal)
{
	const char	*s = l->line, *p;
	size_t		 len = l->len;

	*fatal = 0;
	l->json = 0;
	if (len > 0 && s[0] == '{') {
		l->json = 1;
		if ((p = etcd_log_field(l, "ts")) != NULL)
			(void)qs_time_parse_iso(p, (size_t)(s + len - p),
			    &l->time);
		*fatal = etcd_log_find(s, len, "\"level\":\"fatal\"") != NULL ||
		    etcd_log_find(s, len, "\"level\":\"panic\"") != NULL;
		return 0;
	}
	if (len > 4 && memcmp(s, "raft", 4) == 0 &&
	    qs_time_parse_golog(s + 4, len - 4, &l->time) > 0)
		return 0;
	if (len > 26 && s[0] >= '0' && s[0] <= '9' &&
	    qs_time_parse_iso(s, len, &l->time) > 0 &&
	    (p = etcd_log_find(s, len > 40 ? 40 : len, " | ")) != NULL) {
		*fatal = p >= s + 2 && p[-2] == ' ' && p[-1] == 'C';
		return 0;
	}
	return -1;
}

int
qs_parse_etcd_log(struct qs_parse_ctx *ctx)
{
	struct etcd_log		 l;
	struct qs_evidence	 ev;
	const char		*line, *at;
	ssize_t			 len;
	size_t			 i;
	int			 fatal;

	memset(&l, 0, sizeof(l));
	l.ctx = ctx;
	while (!l.full && (len = qs_source_getline(ctx->src, &line,
	    ETCD_LOG_LINE_MAX)) >= 0) {
		l.lineno = ctx->src->lineno;
		l.line = line;
		l.len = (size_t)len;
		if (etcd_log_header(&l, &fatal) != 0)
			continue;
		if (l.json && !l.self_seen)
			etcd_log_self(&l, etcd_log_id(&l,
			    etcd_log_field(&l, "local-member-id")));
		for (i = 0; i < sizeof(etcd_log_table) /
		    sizeof(etcd_log_table[0]); i++) {
			at = etcd_log_find(line, (size_t)len,
			    etcd_log_table[i].needle);
			if (at != NULL) {
				etcd_log_act(&l, &etcd_log_table[i], at);
				break;
			}
		}
		if (fatal)
			etcd_log_event(&l, QS_EV_STOP, NULL, 0, 0);
	}
	if (l.fsync_seen) {
		ev = qs_evidence_line(ctx, l.fsync_line, NULL);
		qs_emit_setting(ctx, "etcd.log.slow_fdatasync_max",
		    qs_arena_printf(&ctx->run->arena, "%llu",
		    (unsigned long long)l.fsync_max), &ev);
	}
	if (l.nsig[QS_SIG_CLUSTER_ID_MISMATCH] > 0) {
		ev = qs_evidence_whole(ctx);
		qs_emit_setting(ctx, "etcd.log.cluster_id_mismatch_lines",
		    qs_arena_printf(&ctx->run->arena, "%llu",
		    (unsigned long long)l.nsig[QS_SIG_CLUSTER_ID_MISMATCH]),
		    &ev);
	}
	return 0;
}
