/*
 * ZooKeeper server logs (kind zk.log): what each server said about its
 * elections, its leader and its peers.
 *
 * Upstream: apache/zookeeper conf/log4j.properties (3.4, 3.5) and
 * conf/logback.xml (3.8+), both with the pattern
 * "%d{ISO8601} [myid:%X{myid}] - %-5p [%t:%C{1}@%L] - %m%n" (3.4 before
 * 3.4.6 without the myid part); the messages come from
 * server/quorum/QuorumPeer.java (the state loop, "Peer state changed"),
 * FastLeaderElection.java, Leader.java (lead, shutdown reasons,
 * "Have quorum of supporters"), LearnerHandler.java ("Follower sid"),
 * Learner.java and Follower.java, QuorumCnxManager.java (connections and
 * the election listener), QuorumPeerMain.java, ServiceUtils.java,
 * NIOServerCnxnFactory.java, FileTxnLog.java (slow fsync), releases
 * 3.4.14, 3.5.10, 3.8; formats.md 6.8 and section 9.
 *
 * Line shape: "2024-05-01 12:00:00,123 [myid:1] - INFO  [thread:Class@123]
 * - message".  The time has no zone (recorded with zone_known 0).  The
 * myid may be empty ("[myid:]", before the id is known).  Thread names
 * contain ']' and ':' ("QuorumPeer[myid=1](plain=...)(secure=...)"), so
 * the message starts after the first "@<line>] - ", not after the first
 * ']'.  Lines without a time (stack traces, the banner's continuation)
 * belong to the line before; only exception texts the catalog needs are
 * looked at there, with that line's time.  Wrappers before the time
 * (journald, syslog, a container runtime, compose) are peeled first by
 * wire-logline.c.
 *
 * Extracted (message -> observation):
 *   "LOOKING"                              ELECTION_START
 *   "LEADING"                              LEADER_ELECTED (the observer)
 *   "Have quorum of supporters, sids: [..]; starting up and setting last
 *    processed zxid: 0x.."                 LEADER_ELECTED, clock zxid and
 *                                          term = the new epoch, detail
 *                                          the supporters
 *   "Successfully connected to leader, using address: /h:p" (3.6+)
 *                                          LEADER_ELECTED subject "h:p"
 *   "... Not sufficient followers synced ..." / "... Waiting for a quorum
 *    of followers ..." (3.6+ on the "Shutdown called" line, 3.4/3.5 in
 *    the exception under it)               LEADER_LOST + QUORUM_LOST, or
 *                                          LEADER_LOST alone after "this
 *                                          leader is not the designated
 *                                          leader anymore" (a reconfig
 *                                          removed it: no quorum loss)
 *   "Exception when following the leader"  signal NO_LEADER
 *   "Cannot open channel to N at election address /h:p"
 *                                          signal VOTE_FAILED subject "N"
 *                                          + identity "h:p" (election)
 *   "As I'm leaving the listener thread, I won't be able to participate
 *    in leader election any longer: h:p"   signal VOTE_FAILED, no subject,
 *                                          with the bind error before it
 *   "My id N not in the peer list"         signal REMOVED_SELF
 *   "Follower sid: N not in the current config V"
 *                                          signal REMOVED_SELF subject "N"
 *   "Leaders epoch, N is less than accepted epoch, M"
 *                                          signal EPOCH_REFUSED (the
 *                                          learner cannot follow; not a
 *                                          lost quorum)
 *   "Starting quorum peer[, myid=N]", "Server environment:
 *    zookeeper.version=V"                  START (one per start) +
 *                                          setting "zk.log.version"
 *   "Exiting JVM with code N", "... exiting abnormally"
 *                                          STOP
 *   "[myid:N]", "myid=N"                   identity QS_ID_MYID (self)
 *   "binding to port /h:p"                 identity address (client)
 *   "N is accepting connections now, my election bind port: /h:p"
 *                                          identity address (election)
 *   "fsync-ing the write ahead log in T took Nms ..."
 *                                          setting "zk.log.slow_fsync_max_ms"
 *   "Either no config or no quorum defined in config, running in
 *    standalone mode" (QuorumPeerMain, WARN; 3.8, master)
 *                                          setting "zk.log.standalone"
 *                                          = "true", on the last such line
 * "FOLLOWING" and "OBSERVING" give nothing: the leader's address comes
 * from the connect line.  Notifications, session and request traffic are
 * ignored.  Identities are emitted once per distinct value.
 *
 * Known limits: SIGKILL and SIGTERM leave nothing in the log (formats.md
 * 9), so a stop is only seen when the JVM exits by itself; 3.4/3.5 logs
 * give no leader address to followers; lines over 64 KiB are cut; at most
 * ZK_LOG_OBS_MAX observations per file.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "quorumscope.h"
#include "wire-logline.h"

#define ZK_LOG_LINE_MAX		(64 * 1024)
#define ZK_LOG_OBS_MAX		1000000		/* observations per file */
#define ZK_LOG_IDS_MAX		256		/* distinct identities kept */
#define ZK_LOG_DETAIL_MAX	240		/* reasons, exception texts */
#define ZK_LOG_START_WINDOW_MS	10000		/* markers of one start */

struct zk_log {
	struct qs_parse_ctx	*ctx;
	uint64_t		 lineno;
	const char		*line;
	size_t			 len;
	struct qs_time		 time;		/* of the last timed line */
	int			 timed;		/* lines in the layout seen */
	uint64_t		 nobs;
	int			 full;
	struct qs_time		 start;		/* of the last START */
	int			 start_peer;	/* by "Starting quorum peer" */
	int			 not_designated; /* reconfig left it out */
	const char		*ids[ZK_LOG_IDS_MAX];
	size_t			 nids;
	const char		*version;
	int			 want_exc;	/* keep the next exception */
	char			 bind_error[ZK_LOG_DETAIL_MAX + 1];
	uint64_t		 standalone_line; /* last "standalone mode" */
	char			 standalone_text[ZK_LOG_DETAIL_MAX + 1];
	uint64_t		 fsync_max;
	uint64_t		 fsync_line;
	int			 fsync_seen;
	char			 fsync_text[ZK_LOG_DETAIL_MAX + 1];
};

static int	zk_log_room(struct zk_log *);
static struct qs_evidence zk_log_ev(struct zk_log *);
static struct qs_event *zk_log_event(struct zk_log *, enum qs_event_kind,
		    const char *, const char *);
static struct qs_signal *zk_log_signal(struct zk_log *, enum qs_signal_kind,
		    const char *, const char *);
static void	zk_log_ident(struct zk_log *, enum qs_ident, const char *,
		    size_t, const char *, const char *);
static const char *zk_log_str(struct zk_log *, const char *, size_t);
static const char *zk_log_addr(const char *, size_t, char *, size_t);
static void	zk_log_copy(char *, size_t, const char *, size_t);
static size_t	zk_log_digits(const char *, size_t);
static int	zk_log_hex(const char *, size_t, uint64_t *);
static int	zk_log_header(const char *, size_t, struct qs_time *,
		    const char **, size_t *, const char **, size_t *);
static const char *zk_log_find(const char *, size_t, const char *);
static void	zk_log_message(struct zk_log *, const char *, size_t);
static void	zk_log_reasons(struct zk_log *, const char *, size_t);
static void	zk_log_continuation(struct zk_log *, const char *, size_t);
static void	zk_log_start(struct zk_log *, int, const char *);

/* Room for one more observation; says so once when there is none. */
static int
zk_log_room(struct zk_log *l)
{
	if (l->nobs < ZK_LOG_OBS_MAX) {
		l->nobs++;
		return 1;
	}
	if (!l->full) {
		qs_parse_diag(l->ctx, QS_SEV_WARNING, l->lineno, "more than "
		    "%d observations; the rest of the log is skipped",
		    ZK_LOG_OBS_MAX);
		l->full = 1;
	}
	return 0;
}

static struct qs_evidence
zk_log_ev(struct zk_log *l)
{
	return qs_evidence_line(l->ctx, l->lineno, l->line);
}

static struct qs_event *
zk_log_event(struct zk_log *l, enum qs_event_kind kind, const char *subject,
    const char *detail)
{
	struct qs_evidence	 ev;
	struct qs_event		*e;

	if (!zk_log_room(l))
		return NULL;
	ev = zk_log_ev(l);
	e = qs_emit_event(l->ctx, kind, subject, &ev);
	e->time = l->time;
	e->detail = detail;
	return e;
}

static struct qs_signal *
zk_log_signal(struct zk_log *l, enum qs_signal_kind kind,
    const char *subject, const char *detail)
{
	struct qs_evidence	 ev;
	struct qs_signal	*s;

	if (!zk_log_room(l))
		return NULL;
	ev = zk_log_ev(l);
	s = qs_emit_signal(l->ctx, kind, subject, &ev);
	s->time = l->time;
	s->detail = detail;
	return s;
}

/*
 * An identity (value[0..n)), unless this file already gave the same one.
 * The comparison key is built on the stack: repeated lines cost no
 * memory.
 */
static void
zk_log_ident(struct zk_log *l, enum qs_ident kind, const char *value,
    size_t n, const char *role, const char *subject)
{
	struct qs_evidence	 ev;
	char			 key[512];
	const char		*v;
	size_t			 i;
	int			 kl;

	kl = snprintf(key, sizeof(key), "%d %s %s %.*s", (int)kind,
	    role != NULL ? role : "-", subject != NULL ? subject : "-",
	    (int)n, value);
	if (kl < 0 || (size_t)kl >= sizeof(key))
		return;
	for (i = 0; i < l->nids; i++)
		if (strcmp(l->ids[i], key) == 0)
			return;
	if (l->nids == ZK_LOG_IDS_MAX || !zk_log_room(l))
		return;
	l->ids[l->nids++] = qs_pstrdup(l->ctx, key);
	v = qs_pstrndup(l->ctx, value, n);
	ev = zk_log_ev(l);
	qs_emit_identity(l->ctx, kind, v, role, subject, &ev);
}

/* s[0..n) into a fixed buffer of `size`, cut to fit, terminated. */
static void
zk_log_copy(char *buf, size_t size, const char *s, size_t n)
{
	if (n >= size)
		n = size - 1;
	memcpy(buf, s, n);
	buf[n] = '\0';
}

static const char *
zk_log_str(struct zk_log *l, const char *s, size_t n)
{
	if (n > ZK_LOG_DETAIL_MAX)
		n = ZK_LOG_DETAIL_MAX;
	return qs_pstrndup(l->ctx, s, n);
}

/*
 * A Java socket address as printed: "/10.0.0.1:2888" or
 * "host/10.0.0.1:2888" -> "10.0.0.1:2888", into `buf`.  Stops at the
 * first blank.  NULL when nothing is left or it does not fit.
 */
static const char *
zk_log_addr(const char *s, size_t n, char *buf, size_t size)
{
	const char	*slash;
	size_t		 i;

	for (i = 0; i < n; i++)
		if (s[i] == ' ' || s[i] == '\t' || s[i] == ',' || s[i] == ';')
			break;
	n = i;
	if ((slash = memchr(s, '/', n)) != NULL) {
		n -= (size_t)(slash + 1 - s);
		s = slash + 1;
	}
	if (n == 0 || n >= size)
		return NULL;
	zk_log_copy(buf, size, s, n);
	return buf;
}

static size_t
zk_log_digits(const char *s, size_t n)
{
	size_t	i;

	for (i = 0; i < n && i < 19 && s[i] >= '0' && s[i] <= '9'; i++)
		;
	return i;
}

/* Hex digits after an optional "0x", at most 16. */
static int
zk_log_hex(const char *s, size_t n, uint64_t *out)
{
	uint64_t	v = 0;
	size_t		i = 0, d = 0;

	if (n >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		i = 2;
	for (; i < n; i++, d++) {
		int	c = (unsigned char)s[i], x;

		if (c >= '0' && c <= '9')
			x = c - '0';
		else if (c >= 'a' && c <= 'f')
			x = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			x = c - 'A' + 10;
		else
			break;
		if (d == 16)
			return -1;
		v = v << 4 | (uint64_t)x;
	}
	if (d == 0)
		return -1;
	*out = v;
	return 0;
}

/* The first occurrence of `needle` in s[0..n), or NULL. */
static const char *
zk_log_find(const char *s, size_t n, const char *needle)
{
	return memmem(s, n, needle, strlen(needle));
}

/*
 * A line in the layout: OUT: the time, the myid (empty when "[myid:]"
 * or absent) and the message.  Returns 0, or -1 for a line without a
 * leading time (a continuation of the one before).
 */
static int
zk_log_header(const char *s, size_t n, struct qs_time *t,
    const char **myid, size_t *myidlen, const char **msg, size_t *msglen)
{
	const char	*p, *end = s + n, *m, *q;
	int		 used;

	*myid = NULL;
	*myidlen = 0;
	if (n < 19 || s[0] < '0' || s[0] > '9')
		return -1;
	if ((used = qs_time_parse_iso(s, n, t)) < 0 || (size_t)used >= n ||
	    s[used] != ' ')
		return -1;
	p = s + used;
	while (p < end && *p == ' ')
		p++;
	/* "[myid:N] - LEVEL" or, before 3.4.6, "- LEVEL". */
	if (!((size_t)(end - p) >= 6 && memcmp(p, "[myid:", 6) == 0) &&
	    !((size_t)(end - p) >= 2 && memcmp(p, "- ", 2) == 0))
		return -1;
	if ((size_t)(end - p) >= 6 && memcmp(p, "[myid:", 6) == 0) {
		q = memchr(p, ']', (size_t)(end - p));
		if (q == NULL)
			return -1;
		*myid = p + 6;
		*myidlen = (size_t)(q - p - 6);
		p = q + 1;
	}
	while (p < end && *p == ' ')
		p++;
	if (p < end && *p == '-')
		p++;
	while (p < end && *p == ' ')
		p++;
	/* The level, then "[thread:Class@line] - message". */
	while (p < end && *p >= 'A' && *p <= 'Z')
		p++;
	while (p < end && *p == ' ')
		p++;
	if (p < end && *p == '[') {
		/* "@<digits>] - " ends the location; else the first "] - ". */
		m = NULL;
		for (q = p; (q = memchr(q, '@', (size_t)(end - q))) != NULL;
		    q++) {
			const char	*d = q + 1;

			while (d < end && *d >= '0' && *d <= '9')
				d++;
			if (d > q + 1 && (size_t)(end - d) >= 4 &&
			    memcmp(d, "] - ", 4) == 0) {
				m = d + 4;
				break;
			}
		}
		if (m == NULL && (q = zk_log_find(p, (size_t)(end - p),
		    "] - ")) != NULL)
			m = q + 4;
		if (m == NULL) {
			/* "[thread:Class@line]" with an empty message. */
			m = end;
		}
		p = m;
	} else if ((size_t)(end - p) >= 2 && p[0] == '-' && p[1] == ' ')
		p += 2;
	*msg = p;
	*msglen = (size_t)(end - p);
	return 0;
}

/*
 * One START per process start.  "Starting quorum peer" is logged once
 * per start; the environment dump, which standalone servers log too,
 * counts only when no START came shortly before it (in either order,
 * within ZK_LOG_START_WINDOW_MS), and a STOP ends the pairing.
 */
static void
zk_log_start(struct zk_log *l, int peer, const char *detail)
{
	if (l->start.set && l->time.set && l->time.ms >= l->start.ms &&
	    l->time.ms - l->start.ms < ZK_LOG_START_WINDOW_MS &&
	    (!peer || !l->start_peer))
		return;
	if (zk_log_event(l, QS_EV_START, NULL, detail) != NULL) {
		l->start = l->time;
		l->start_peer = peer;
	}
	l->bind_error[0] = '\0';
	l->not_designated = 0;
}

/*
 * Shutdown reasons and the learner's epoch complaint: on a message (3.6+)
 * or in the exception text under "Shutdown called" (3.4, 3.5).
 */
static void
zk_log_reasons(struct zk_log *l, const char *s, size_t n)
{
	const char	*p;
	size_t		 rest;

	if ((p = zk_log_find(s, n, "Not sufficient followers synced")) !=
	    NULL || (p = zk_log_find(s, n,
	    "Waiting for a quorum of followers")) != NULL) {
		const char	*why;

		rest = (size_t)(s + n - p);
		why = zk_log_str(l, p, rest);
		if (l->not_designated) {
			/* Out after a reconfig, not for want of a quorum. */
			zk_log_event(l, QS_EV_LEADER_LOST, NULL,
			    qs_arena_printf(&l->ctx->run->arena, "stepped "
			    "down: a reconfiguration left it out (%s)", why));
			l->not_designated = 0;
			return;
		}
		zk_log_event(l, QS_EV_LEADER_LOST, NULL, why);
		zk_log_signal(l, QS_SIG_QUORUM_LOST, NULL, why);
		return;
	}
	if ((p = zk_log_find(s, n, "Leaders epoch, ")) != NULL &&
	    zk_log_find(p, (size_t)(s + n - p), "is less than accepted "
	    "epoch") != NULL)
		zk_log_signal(l, QS_SIG_EPOCH_REFUSED, NULL,
		    zk_log_str(l, p, (size_t)(s + n - p)));
}

/* A line without a time: part of the message of the line before. */
static void
zk_log_continuation(struct zk_log *l, const char *s, size_t n)
{
	while (n > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	if (n == 0 || (n >= 3 && memcmp(s, "at ", 3) == 0))
		return;
	if (l->want_exc && zk_log_find(s, n, "Exception") != NULL) {
		zk_log_copy(l->bind_error, sizeof(l->bind_error), s, n);
		l->want_exc = 0;
	}
	if (l->timed)
		zk_log_reasons(l, s, n);
}

static void
zk_log_message(struct zk_log *l, const char *m, size_t n)
{
	struct qs_parse_ctx	*ctx = l->ctx;
	struct qs_event		*e;
	const char		*p, *q, *end = m + n;
	size_t			 d;
	uint64_t		 v;
	char			 abuf[260], sid[24];

#define MSG_IS(s)	(n == sizeof(s) - 1 && memcmp(m, s, n) == 0)
#define MSG_STARTS(s)	(n >= sizeof(s) - 1 && memcmp(m, s, sizeof(s) - 1) == 0)
	l->want_exc = 0;
	if (MSG_IS("LOOKING")) {
		zk_log_event(l, QS_EV_ELECTION_START, NULL, NULL);
		l->not_designated = 0;
		return;
	}
	if (MSG_IS("LEADING")) {
		zk_log_event(l, QS_EV_LEADER_ELECTED, NULL, "state LEADING");
		l->not_designated = 0;
		return;
	}
	if (zk_log_find(m, n, "is not the designated leader anymore") !=
	    NULL) {
		l->not_designated = 1;
		return;
	}
	if (MSG_STARTS("Successfully connected to leader, using address: ")) {
		p = m + sizeof("Successfully connected to leader, using "
		    "address: ") - 1;
		if ((q = zk_log_addr(p, (size_t)(end - p), abuf,
		    sizeof(abuf))) != NULL)
			zk_log_event(l, QS_EV_LEADER_ELECTED, q, "following");
		return;
	}
	if ((p = zk_log_find(m, n, "Have quorum of supporters, sids: ")) !=
	    NULL) {
		const char	*sids = p + 33, *semi;

		semi = zk_log_find(sids, (size_t)(end - sids), "; ");
		q = zk_log_find(m, n, "last processed zxid: ");
		if (q == NULL || semi == NULL || zk_log_hex(q + 21,
		    (size_t)(end - q - 21), &v) != 0)
			return;
		e = zk_log_event(l, QS_EV_LEADER_ELECTED, NULL,
		    qs_arena_printf(&ctx->run->arena, "epoch %llu, "
		    "supporters %.*s", (unsigned long long)(v >> 32),
		    (int)((size_t)(semi - sids) < ZK_LOG_DETAIL_MAX ?
		    (size_t)(semi - sids) : ZK_LOG_DETAIL_MAX), sids));
		if (e != NULL) {
			e->clock.set = QS_CLOCK_ZXID | QS_CLOCK_TERM;
			e->clock.zxid = v;
			e->clock.term = v >> 32;
		}
		return;
	}
	if (MSG_STARTS("Cannot open channel to ")) {
		p = m + sizeof("Cannot open channel to ") - 1;
		d = zk_log_digits(p, (size_t)(end - p));
		q = p + d;
		if (d == 0 || (size_t)(end - q) < 21 ||
		    memcmp(q, " at election address ", 21) != 0)
			return;
		zk_log_copy(sid, sizeof(sid), p, d);
		q = zk_log_addr(q + 21, (size_t)(end - q - 21), abuf,
		    sizeof(abuf));
		zk_log_signal(l, QS_SIG_VOTE_FAILED, sid, q != NULL ?
		    qs_pstrdup(ctx, q) : NULL);
		if (q != NULL)
			zk_log_ident(l, QS_ID_ADDRESS, q, strlen(q), "election",
			    sid);
		return;
	}
	if (MSG_STARTS("Exception while listening to address ") ||
	    MSG_STARTS("Exception while listening")) {
		l->want_exc = 1;
		return;
	}
	if ((p = zk_log_find(m, n, "won't be able to participate in leader "
	    "election any longer: ")) != NULL) {
		p += sizeof("won't be able to participate in leader election "
		    "any longer: ") - 1;
		zk_log_signal(l, QS_SIG_VOTE_FAILED, NULL,
		    qs_arena_printf(&ctx->run->arena, "cannot listen on "
		    "election address %.*s%s%s", (int)((size_t)(end - p) <
		    ZK_LOG_DETAIL_MAX ? (size_t)(end - p) : ZK_LOG_DETAIL_MAX),
		    p, l->bind_error[0] != '\0' ? ": " : "", l->bind_error));
		return;
	}
	if (MSG_STARTS("My id ") && zk_log_find(m, n, " not in the peer list")
	    != NULL) {
		zk_log_signal(l, QS_SIG_REMOVED_SELF, NULL,
		    zk_log_str(l, m, n));
		return;
	}
	if (MSG_STARTS("Follower sid: ") &&
	    (q = zk_log_find(m, n, " not in the current config")) != NULL) {
		p = m + sizeof("Follower sid: ") - 1;
		d = zk_log_digits(p, (size_t)(end - p));
		if (d == 0)
			return;
		zk_log_copy(sid, sizeof(sid), p, d);
		zk_log_signal(l, QS_SIG_REMOVED_SELF, sid,
		    zk_log_str(l, q + 1, (size_t)(end - q - 1)));
		return;
	}
	if (MSG_STARTS("Starting quorum peer")) {
		/* A later start in an ensemble ends an earlier standalone run. */
		l->standalone_line = 0;
		zk_log_start(l, 1, "starting quorum peer");
		if ((p = zk_log_find(m, n, "myid=")) != NULL &&
		    (d = zk_log_digits(p + 5, (size_t)(end - p - 5))) > 0)
			zk_log_ident(l, QS_ID_MYID, p + 5, d, NULL, NULL);
		return;
	}
	if ((p = zk_log_find(m, n, "Server environment:zookeeper.version=")) !=
	    NULL) {
		struct qs_evidence	ev;

		p += sizeof("Server environment:zookeeper.version=") - 1;
		q = memchr(p, ',', (size_t)(end - p));
		q = q != NULL ? q : end;
		zk_log_start(l, 0, "server environment logged");
		if (l->version == NULL || strlen(l->version) !=
		    (size_t)(q - p) || memcmp(l->version, p,
		    (size_t)(q - p)) != 0) {
			l->version = zk_log_str(l, p, (size_t)(q - p));
			ev = zk_log_ev(l);
			if (zk_log_room(l))
				qs_emit_setting(ctx, "zk.log.version",
				    l->version, &ev);
		}
		return;
	}
	if (MSG_STARTS("Exiting JVM with code ")) {
		memset(&l->start, 0, sizeof(l->start));
		zk_log_event(l, QS_EV_STOP, NULL, qs_arena_printf(
		    &ctx->run->arena, "exit code %.*s", (int)zk_log_digits(m +
		    22, n - 22), m + 22));
		return;
	}
	if (zk_log_find(m, n, "exiting abnormally") != NULL) {
		memset(&l->start, 0, sizeof(l->start));
		zk_log_event(l, QS_EV_STOP, NULL, zk_log_str(l, m, n));
		return;
	}
	if (MSG_IS("Exception when following the leader")) {
		zk_log_signal(l, QS_SIG_NO_LEADER, NULL,
		    "exception when following the leader");
		return;
	}
	if (MSG_STARTS("binding to port ")) {
		p = m + sizeof("binding to port ") - 1;
		if ((q = zk_log_addr(p, (size_t)(end - p), abuf,
		    sizeof(abuf))) != NULL && strncmp(q, "0.0.0.0:", 8) != 0 &&
		    q[0] != ':' && strncmp(q, "[0:0:0:0:0:0:0:0]", 17) != 0)
			zk_log_ident(l, QS_ID_ADDRESS, q, strlen(q), "client",
			    NULL);
		return;
	}
	if ((p = zk_log_find(m, n, " is accepting connections now, my "
	    "election bind port: ")) != NULL) {
		p += sizeof(" is accepting connections now, my election bind "
		    "port: ") - 1;
		if ((q = zk_log_addr(p, (size_t)(end - p), abuf,
		    sizeof(abuf))) != NULL && strncmp(q, "0.0.0.0:", 8) != 0)
			zk_log_ident(l, QS_ID_ADDRESS, q, strlen(q), "election",
			    NULL);
		return;
	}
	if (zk_log_find(m, n, "no quorum defined in config, running in "
	    "standalone mode") != NULL) {
		/* Only the last start matters: the server runs as it says. */
		l->standalone_line = l->lineno;
		zk_log_copy(l->standalone_text, sizeof(l->standalone_text),
		    l->line, l->len);
		return;
	}
	if (MSG_STARTS("fsync-ing the write ahead log in ") &&
	    (p = zk_log_find(m, n, " took ")) != NULL) {
		p += 6;
		d = zk_log_digits(p, (size_t)(end - p));
		if (d > 0 && d < 19 && (size_t)(end - p) >= d + 2 &&
		    memcmp(p + d, "ms", 2) == 0) {
			for (v = 0, q = p; q < p + d; q++)
				v = v * 10 + (uint64_t)(*q - '0');
			if (v > l->fsync_max || !l->fsync_seen) {
				l->fsync_max = v;
				l->fsync_line = l->lineno;
				l->fsync_seen = 1;
				zk_log_copy(l->fsync_text,
				    sizeof(l->fsync_text), l->line, l->len);
			}
		}
		return;
	}
	zk_log_reasons(l, m, n);
#undef MSG_IS
#undef MSG_STARTS
}

int
qs_parse_zk_log(struct qs_parse_ctx *ctx)
{
	struct zk_log		 l;
	struct qs_logline	 wrap;
	struct qs_time		 t;
	struct qs_evidence	 ev;
	const char		*line, *myid, *msg;
	size_t			 myidlen, msglen, d;
	ssize_t			 len;
	uint64_t		 lines = 0;

	memset(&l, 0, sizeof(l));
	l.ctx = ctx;
	qs_logline_init(&wrap);
	while (!l.full && (len = qs_source_getline(ctx->src, &line,
	    ZK_LOG_LINE_MAX)) >= 0) {
		lines++;
		l.lineno = ctx->src->lineno;
		l.line = line;
		l.len = (size_t)len;
		qs_logline_peel(&wrap, line, (size_t)len);
		if (wrap.foreign)
			continue;
		if (zk_log_header(wrap.msg, wrap.len, &t, &myid, &myidlen,
		    &msg, &msglen) != 0) {
			zk_log_continuation(&l, wrap.msg, wrap.len);
			continue;
		}
		l.time = qs_logline_time(ctx, &wrap, &t, l.lineno);
		l.timed = 1;
		/* The wrapper's host or container, else the line's myid. */
		if (wrap.hostlen == 0 && wrap.containerlen == 0 &&
		    myidlen > 0 && zk_log_digits(myid, myidlen) == myidlen)
			(void)qs_parse_speaker(ctx, myid, myidlen);
		else
			(void)qs_logline_speaker(ctx, &wrap);
		if (myidlen > 0 && (d = zk_log_digits(myid, myidlen)) ==
		    myidlen)
			zk_log_ident(&l, QS_ID_MYID, myid, d, NULL, NULL);
		zk_log_message(&l, msg, msglen);
	}
	qs_logline_free(&wrap);
	ctx->speaker = NULL;
	if (l.fsync_seen) {
		ev = qs_evidence_line(ctx, l.fsync_line, l.fsync_text);
		qs_emit_setting(ctx, "zk.log.slow_fsync_max_ms",
		    qs_arena_printf(&ctx->run->arena, "%llu",
		    (unsigned long long)l.fsync_max), &ev);
	}
	if (l.standalone_line != 0) {
		ev = qs_evidence_line(ctx, l.standalone_line,
		    l.standalone_text);
		qs_emit_setting(ctx, "zk.log.standalone", "true", &ev);
	}
	if (lines > 0 && !l.timed)
		qs_parse_diag(ctx, QS_SEV_WARNING, 0, "no line in the "
		    "ZooKeeper log layout (\"YYYY-MM-DD hh:mm:ss,mmm [myid:N] "
		    "- LEVEL [thread] - message\")");
	return 0;
}
