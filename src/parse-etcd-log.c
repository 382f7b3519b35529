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
 *   "lost leader ID at term N"             LEADER_LOST subject ID, term
 *   "leader changed"                       LEADER_LOST
 *   "stepped down to follower since quorum is not active"
 *                                          LEADER_LOST + signal QUORUM_LOST
 *   "is starting a new election at term N", "became candidate at term N"
 *                                          ELECTION_START (one per election,
 *                                          at the candidate's term N + 1)
 *   "became pre-candidate at term N" (--pre-vote, default in 3.5)
 *   "ID became follower at term N", N > 0 (raft.go becomeFollower)
 *                                          TERM_CHANGE, term N
 *                                          ELECTION_START detail "pre-vote"
 *                                          at term N: a pre-vote round does
 *                                          not raise the term
 *   "added member ID" / zap "added-peer-id" MEMBER_ADD subject ID (not
 *                                          "from store": a restart replay)
 *   "removed member ID" / zap "removed-remote-peer-id"
 *                                          MEMBER_REMOVE subject ID
 *   "cluster ID mismatch"                  signal CLUSTER_ID_MISMATCH
 *   "permanently removed from the cluster" signal REMOVED_SELF
 *   "has already been bootstrapped", "member count is unequal"
 *                                          signal BOOTSTRAP_CONFLICT, detail
 *                                          the phrase, subject the ID of
 *                                          "member ID has already ..."
 *   "tocommit(X) is out of range"          signal COMMIT_OUT_OF_RANGE
 *   "slow fdatasync", "sync duration of"   settings etcd.log.slow_fdatasync_max
 *                                          (the longest, in ms) and _lines
 *   "failed to send out heartbeat on time" (zap: "leader failed to ... slow
 *    disk", exceeded-duration; capnslog: "(exceeded the H timeout for D")
 *                                          settings etcd.log.heartbeat_late_max
 *                                          (longest overrun, ms), _lines,
 *                                          _peer, and heartbeat_expected_ms
 *                                          (2 x the heartbeat interval, zap's
 *                                          expected-duration)
 *   "apply request took too long", "apply entries took too long",
 *    capnslog "request ... took too long (D) to execute"
 *                                          settings etcd.log.slow_apply_max
 *                                          (ms) and _lines; not a request
 *                                          that ended in an error (it
 *                                          waited for a leader)
 *   "prober found high clock drift" (zap; 3.4 swaps the clock-drift and
 *    rtt fields, so the larger is the drift), "the clock difference
 *    against peer ID is too high [D > 1s]" settings etcd.log.clock_drift_max
 *                                          (ms), _lines and _peer (hex id)
 *   "peer ID became inactive", zap "peer became inactive" + "peer-id";
 *    "lost the TCP streaming connection with peer ID", zap "lost TCP
 *    streaming connection with remote peer" + "remote-peer-id"
 *                                          settings etcd.log.peer_inactive_lines,
 *                                          etcd.log.stream_lost_lines and
 *                                          etcd.log.peers_unreachable (the
 *                                          peers whose last word was
 *                                          inactive)
 *   "peer ID became active"                clears that peer, and so do
 *    "rafthttp: stopped peer ID", zap "stopped remote peer" (this member's
 *    own shutdown) when the peer went inactive less than ETCD_LOG_STOP_MS
 *    before: the shutdown closed its streams
 *   "election-timeout":"1s", "embed: election = 1000ms"
 *                                          setting etcd.log.election_timeout_ms
 *   "saved snapshot at index N", zap "saved snapshot" + "snapshot-index";
 *    "compacted raft log at N", zap "compacted Raft logs" + "compact-index";
 *    "finished scheduled compaction at N", zap + "compact-revision"
 *                                          context: settings
 *                                          etcd.log.last_snapshot_index,
 *                                          _raft_log_compact_index,
 *                                          _compact_revision (the last of
 *                                          each) and their _lines counts
 *   "starting an etcd server", "etcd Version:"
 *                                          START
 *   "closed etcd server"                   STOP
 *   "received signal; shutting down" (zap), "received terminated signal,
 *    shutting down..." (capnslog; pkg/osutil)
 *                                          STOP (a clean stop begins)
 *   level fatal/panic (zap), C (capnslog)  STOP and signal FATAL, detail
 *                                          the message
 *   "peer ID became inactive", "... became active" (both shapes)
 *                                          signals PEER_UNREACHABLE and
 *                                          PEER_REACHABLE, subject ID, when
 *                                          the peer's state changes, up to
 *                                          ETCD_LOG_PEER_SIG_MAX per file
 *   "force new cluster", "force-new-cluster":true
 *                                          setting etcd.log.force_new_cluster
 *                                          (the first), and one setting
 *                                          etcd.log.force_new_cluster_start
 *                                          per start that applied it (value:
 *                                          the time, "-" when untimed)
 *   "dial tcp ADDR: " (Go's net error in any rafthttp or prober line)
 *                                          one setting etcd.log.dial_failed
 *                                          per address, "ADDR COUNT", at
 *                                          its first line (up to
 *                                          ETCD_LOG_DIALS addresses)
 *   "sending database snapshot to client" (3.4 capnslog and zap, 3.5:
 *    etcdserver/api/v3rpc maintenance.go Snapshot: a backup being taken,
 *    `etcdctl snapshot save`)             setting etcd.log.snapshot_sent per
 *                                          line (value: the time, or "-")
 *   "starting member ID", "local-member-id":"ID"
 *                                          identity member id (self, once)
 * Repeated signals (a mismatch is logged for every peer request) are kept
 * up to ETCD_LOG_SIG_MAX per kind; the rest only counted in the detail of
 * a setting, so a week of retries costs no memory.
 *
 * Wrappers (journald, syslog, docker, CRI, compose, kubectl) are peeled
 * first by wire-logline.c.  A message without a time of its own (etcd
 * writing to the journal itself, journalctl -o cat) is read with the
 * wrapper's time, or untimed in file order when the wrapper gives none
 * (syslog's year-less time, no wrapper at all).
 *
 * Known limits: SIGKILL leaves nothing in the log; lines over 64 KiB are
 * cut; JSON string escapes are not decoded (needles have none).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "quorumscope.h"
#include "wire-logline.h"

#define ETCD_LOG_LINE_MAX	(64 * 1024)
#define ETCD_LOG_OBS_MAX	1000000		/* observations per file */
#define ETCD_LOG_SIG_MAX	16		/* kept per signal kind */
#define ETCD_LOG_DIALS		16		/* addresses counted */
#define ETCD_LOG_ADDR_MAX	96
#define ETCD_LOG_ID_MAX		16		/* hex digits of a member id */
#define ETCD_LOG_PEERS_MAX	16		/* peers whose state is kept */
#define ETCD_LOG_DUR_PARTS	8		/* "1h2m3.5s": units summed */
#define ETCD_LOG_STOP_MS	2000		/* inactive as part of a stop */
#define ETCD_LOG_PEER_SIG_MAX	4096		/* contact signals kept per file */

enum etcd_log_act {
	ACT_ELECTED, ACT_BECAME_LEADER, ACT_LOST, ACT_CHANGED, ACT_ELECTION,
	ACT_CANDIDATE, ACT_FOLLOWER, ACT_ADDED, ACT_REMOVED, ACT_SIG, ACT_FDATASYNC,
	ACT_START, ACT_STOP, ACT_FORCE, ACT_SELF, ACT_QUORUM, ACT_PRECANDIDATE,
	ACT_HEARTBEAT, ACT_APPLY, ACT_DRIFT, ACT_INACTIVE, ACT_ACTIVE,
	ACT_STREAM_LOST, ACT_ELECTION_TIMEOUT, ACT_PEER_STOPPED, ACT_SNAPSHOT,
	ACT_LOG_COMPACT, ACT_MVCC_COMPACT, ACT_SNAPSHOT_SENT, ACT_SIGNALLED
};

struct etcd_log_match {
	const char		*needle;
	enum etcd_log_act	 act;
	enum qs_signal_kind	 sig;
};

/*
 * A prefilter for the table: the set of byte pairs of a line, hashed to
 * ETCD_LOG_PAIR_BITS bits.  A needle whose pairs are not all in the set
 * is not on the line, and most lines hold none of the needles: one pass
 * over the line spares most of the searches.
 */
#define ETCD_LOG_PAIR_BITS	1024
#define ETCD_LOG_PAIR_WORDS	(ETCD_LOG_PAIR_BITS / 64)
struct etcd_log_pairs {
	uint64_t		 w[ETCD_LOG_PAIR_WORDS];
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
	{ " became pre-candidate at term ", ACT_PRECANDIDATE, 0 },
	{ " became follower at term ", ACT_FOLLOWER, 0 },
	{ "failed to send out heartbeat on time", ACT_HEARTBEAT, 0 },
	{ "apply request took too long", ACT_APPLY, 0 },
	{ "apply entries took too long", ACT_APPLY, 0 },
	{ "prober found high clock drift", ACT_DRIFT, 0 },
	{ "the clock difference against peer ", ACT_DRIFT, 0 },
	{ " became inactive", ACT_INACTIVE, 0 },
	{ " became active", ACT_ACTIVE, 0 },
	{ "lost the TCP streaming connection with peer ", ACT_STREAM_LOST, 0 },
	{ "lost TCP streaming connection with remote peer", ACT_STREAM_LOST,
	    0 },
	/* This member shutting its transport down, not a peer failing. */
	{ "rafthttp: stopped peer ", ACT_PEER_STOPPED, 0 },
	{ "\"stopped remote peer\"", ACT_PEER_STOPPED, 0 },
	{ "added member", ACT_ADDED, 0 },
	{ "removed member", ACT_REMOVED, 0 },
	{ "cluster ID mismatch", ACT_SIG, QS_SIG_CLUSTER_ID_MISMATCH },
	{ "permanently removed from the cluster", ACT_SIG,
	    QS_SIG_REMOVED_SELF },
	{ "has already been bootstrapped", ACT_SIG, QS_SIG_BOOTSTRAP_CONFLICT },
	{ "member count is unequal", ACT_SIG, QS_SIG_BOOTSTRAP_CONFLICT },
	{ "tocommit(", ACT_SIG, QS_SIG_COMMIT_OUT_OF_RANGE },
	{ "slow fdatasync", ACT_FDATASYNC, 0 },
	{ "wal: sync duration of ", ACT_FDATASYNC, 0 },
	{ "starting an etcd server", ACT_START, 0 },
	{ "etcdmain: etcd Version:", ACT_START, 0 },
	{ "closed etcd server", ACT_STOP, 0 },
	/* pkg/osutil: SIGTERM or SIGINT, the start of a clean stop. */
	{ "received signal; shutting down", ACT_SIGNALLED, 0 },
	{ " signal, shutting down", ACT_SIGNALLED, 0 },
	{ "embed: force new cluster", ACT_FORCE, 0 },
	{ "sending database snapshot to client", ACT_SNAPSHOT_SENT, 0 },
	{ "starting member ", ACT_SELF, 0 },
	{ "restarting member ", ACT_SELF, 0 },
	{ "embed: election = ", ACT_ELECTION_TIMEOUT, 0 },
	{ "saved snapshot", ACT_SNAPSHOT, 0 },
	{ "compacted raft log at ", ACT_LOG_COMPACT, 0 },
	{ "\"compacted Raft logs\"", ACT_LOG_COMPACT, 0 },
	{ "finished scheduled compaction", ACT_MVCC_COMPACT, 0 },
	/* A request quoting one of the phrases above matched it first. */
	{ " took too long (", ACT_APPLY, 0 },
};
#define ETCD_LOG_NEEDLES	(sizeof(etcd_log_table) / sizeof(etcd_log_table[0]))

/* The worst of a repeated warning: how often, the longest, where. */
struct etcd_log_stat {
	uint64_t		 lines;
	uint64_t		 max;		/* ms */
	uint64_t		 line;		/* of the max */
	char			 peer[ETCD_LOG_ID_MAX + 1];
};

struct etcd_log_peer {
	char			 id[ETCD_LOG_ID_MAX + 1];
	int			 down;
	uint64_t		 line;		/* of the last "inactive" */
	struct qs_time		 time;		/* of that line */
};

/* The last of a context line: a snapshot or a compaction, and where. */
struct etcd_log_mark {
	uint64_t		 value;
	uint64_t		 line;
	uint64_t		 count;
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
	uint64_t		 pending_term;	/* "starting a new election at" */
	int			 pending;	/* its line waits for the next */
	int			 pending_has;
	struct qs_evidence	 pending_ev;
	struct qs_time		 pending_time;
	uint64_t		 nsig[QS_SIG_COUNT];
	int			 self_seen;
	uint64_t		 fsync_max;
	uint64_t		 fsync_line;
	int			 fsync_seen;
	int			 force_seen;
	int			 force_this_start;
	struct etcd_log_dial {
		char			 addr[ETCD_LOG_ADDR_MAX];
		uint64_t		 lines;
		struct qs_evidence	 ev;
	}			 dials[ETCD_LOG_DIALS];
	size_t			 ndials;
	struct etcd_log_stat	 heartbeat;
	struct etcd_log_stat	 apply;
	struct etcd_log_stat	 drift;
	uint64_t		 fsync_lines;
	uint64_t		 inactive_lines;
	uint64_t		 stream_lost_lines;
	uint64_t		 contact_sigs;	/* PEER_(UN)REACHABLE emitted */
	struct etcd_log_peer	 peers[ETCD_LOG_PEERS_MAX];
	size_t			 npeers;
	int			 timeout_seen;
	uint64_t		 hb_expected;	/* ms, 0: not logged */
	char			 idbuf[ETCD_LOG_ID_MAX + 1];	/* etcd_log_id_tmp */
	struct etcd_log_mark	 snapshot;	/* raft snapshot index */
	struct etcd_log_mark	 log_compact;	/* raft log compacted to */
	struct etcd_log_mark	 mvcc_compact;	/* keyspace revision */
	struct qs_logline	 wrap;		/* the line's wrappers */
};

static void
etcd_log_pairs(const char *s, size_t len, struct etcd_log_pairs *set)
{
	const unsigned char	*p = (const unsigned char *)s;
	unsigned		 h;
	size_t			 i;

	memset(set, 0, sizeof(*set));
	for (i = 1; i < len; i++) {
		h = ((unsigned)p[i - 1] * 33u + p[i]) % ETCD_LOG_PAIR_BITS;
		set->w[h / 64] |= (uint64_t)1 << (h % 64);
	}
}

static int
etcd_log_pairs_in(const struct etcd_log_pairs *need,
    const struct etcd_log_pairs *line)
{
	size_t	i;

	for (i = 0; i < ETCD_LOG_PAIR_WORDS; i++)
		if ((need->w[i] & line->w[i]) != need->w[i])
			return 0;
	return 1;
}

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

/* A member id (1 to 16 hex digits) at p, into buf; NULL when none. */
static const char *
etcd_log_id_scan(struct etcd_log *l, const char *p,
    char buf[ETCD_LOG_ID_MAX + 1])
{
	const char	*end = l->line + l->len;
	size_t		 n = 0;

	if (p == NULL)
		return NULL;
	while (p < end && n < ETCD_LOG_ID_MAX + 1 &&
	    ((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
		buf[n++] = *p++;
	if (n == 0 || n > ETCD_LOG_ID_MAX)
		return NULL;
	buf[n] = '\0';
	return buf;
}

/* A member id kept in the model (copied to the run's arena). */
static const char *
etcd_log_id(struct etcd_log *l, const char *p)
{
	char	buf[ETCD_LOG_ID_MAX + 1];

	return (p = etcd_log_id_scan(l, p, buf)) != NULL ?
	    qs_pstrdup(l->ctx, p) : NULL;
}

/*
 * A member id only looked at while the line is read (peer states and
 * maxima copy what they keep): no arena copy, so a week of heartbeat
 * warnings costs no memory.  Valid until the next call.
 */
static const char *
etcd_log_id_tmp(struct etcd_log *l, const char *p)
{
	return etcd_log_id_scan(l, p, l->idbuf);
}

/* Where the id before " became leader" starts; NULL when none. */
static const char *
etcd_log_id_start(struct etcd_log *l, const char *at)
{
	const char	*p = at;
	size_t		 n = 0;

	while (p > l->line && n <= ETCD_LOG_ID_MAX &&
	    ((p[-1] >= '0' && p[-1] <= '9') ||
	    (p[-1] >= 'a' && p[-1] <= 'f'))) {
		p--;
		n++;
	}
	return n > 0 && n <= ETCD_LOG_ID_MAX ? p : NULL;
}

static const char *
etcd_log_id_before(struct etcd_log *l, const char *at)
{
	return etcd_log_id(l, etcd_log_id_start(l, at));
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
	return qs_parse_dec_u64(p, (size_t)(q - p), v);
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

/* A zap string field's value, unescaped ("\\\"" -> "\""), cut at 240. */
static const char *
etcd_log_field_text(struct etcd_log *l, const char *key)
{
	const char	*p = etcd_log_field(l, key), *end = l->line + l->len;
	char		 buf[241];
	size_t		 n = 0;

	if (p == NULL)
		return NULL;
	for (; p < end && *p != '"' && n < sizeof(buf) - 1; p++) {
		if (*p == '\\' && p + 1 < end)
			p++;
		buf[n++] = *p;
	}
	buf[n] = '\0';
	return qs_pstrdup(l->ctx, buf);
}

/*
 * What a fatal line says: zap's msg and error ("discovery failed: member
 * ... has already been bootstrapped"), or a capnslog line's text after
 * its "C | " level mark.
 */
static const char *
etcd_log_fatal_text(struct etcd_log *l)
{
	const char	*msg, *err, *p;
	size_t		 n;

	if (l->json) {
		msg = etcd_log_field_text(l, "msg");
		err = etcd_log_field_text(l, "error");
		if (msg == NULL)
			return err;
		return err == NULL ? msg : qs_arena_printf(&l->ctx->run->arena,
		    "%s: %s", msg, err);
	}
	if ((p = etcd_log_find(l->line, l->len, " C | ")) == NULL)
		return NULL;
	p += 5;
	n = (size_t)(l->line + l->len - p);
	while (n > 0 && (p[n - 1] == '\n' || p[n - 1] == '\r'))
		n--;
	return qs_arena_printf(&l->ctx->run->arena, "%.*s",
	    (int)(n < 240 ? n : 240), p);
}

static struct qs_evidence
etcd_log_ev(struct etcd_log *l)
{
	return qs_evidence_line(l->ctx, l->lineno, l->line);
}

/* A setting whose value is the line's time (or "-"), one per line. */
static void
etcd_log_timed_setting(struct etcd_log *l, const char *key)
{
	struct qs_evidence	 ev;
	char			 t[64];

	if (!etcd_log_room(l))
		return;
	ev = etcd_log_ev(l);
	qs_emit_setting(l->ctx, key, l->time.set ? qs_time_format(&l->time, t,
	    sizeof(t)) : "-", &ev);
}

static struct qs_event *
etcd_log_event_at(struct etcd_log *l, enum qs_event_kind kind,
    const char *subject, int has_term, uint64_t term,
    const struct qs_evidence *ev, const struct qs_time *time)
{
	struct qs_event		*e;

	if (!etcd_log_room(l))
		return NULL;
	e = qs_emit_event(l->ctx, kind, subject, ev);
	e->system = QS_SYS_ETCD;
	e->time = *time;
	if (has_term) {
		e->clock.set |= QS_CLOCK_TERM;
		e->clock.term = term;
	}
	return e;
}

static struct qs_event *
etcd_log_event(struct etcd_log *l, enum qs_event_kind kind,
    const char *subject, int has_term, uint64_t term)
{
	struct qs_evidence	 ev;

	if (l->nobs >= ETCD_LOG_OBS_MAX)
		return etcd_log_event_at(l, kind, subject, 0, 0, NULL,
		    &l->time);
	ev = etcd_log_ev(l);
	return etcd_log_event_at(l, kind, subject, has_term, term, &ev,
	    &l->time);
}

/*
 * An election announced by "is starting a new election at term N" and not
 * followed by the line saying which kind of round it is: recorded as a
 * plain election at N + 1, as raft without pre-vote would run it.
 */
static void
etcd_log_flush_election(struct etcd_log *l)
{
	if (!l->pending)
		return;
	l->pending = 0;
	etcd_log_event_at(l, QS_EV_ELECTION_START, NULL, l->pending_has,
	    l->pending_term, &l->pending_ev, &l->pending_time);
}

/*
 * Go durations as zap and capnslog write them (time.Duration.String():
 * "1.5s", "812ms", "8m0.640985013s", "502.906µs"), in ms, rounded down.
 */
static int
etcd_log_duration(const char *p, const char *end, uint64_t *ms)
{
	/* Unit names and their length in ms as num / den; "ms" before "m". */
	static const struct {
		const char	*name;
		uint64_t	 num;
		uint64_t	 den;
	} units[] = {
		{ "ms", 1, 1 }, { "us", 1, 1000 }, { "\xc2\xb5s", 1, 1000 },
		{ "\xce\xbcs", 1, 1000 }, { "ns", 1, 1000000 },
		{ "h", 3600000, 1 }, { "m", 60000, 1 }, { "s", 1000, 1 },
	};
	uint64_t	 total = 0, whole, frac, scale, part;
	size_t		 u, n;
	int		 digits, parts;

	for (parts = 0; parts < ETCD_LOG_DUR_PARTS; parts++) {
		whole = frac = 0;
		scale = 1;
		digits = 0;
		while (p < end && *p >= '0' && *p <= '9' && digits < 12) {
			whole = whole * 10 + (uint64_t)(*p++ - '0');
			digits++;
		}
		if (digits == 0)
			break;
		if (p < end && *p == '.') {
			p++;
			while (p < end && *p >= '0' && *p <= '9') {
				if (scale < 1000000000ULL) {
					frac = frac * 10 + (uint64_t)(*p - '0');
					scale *= 10;
				}
				p++;
			}
		}
		for (u = 0; u < sizeof(units) / sizeof(units[0]); u++) {
			n = strlen(units[u].name);
			if ((size_t)(end - p) >= n &&
			    memcmp(p, units[u].name, n) == 0)
				break;
		}
		if (u == sizeof(units) / sizeof(units[0]))
			return -1;
		p += n;
		/* 12 digits times 3.6e6 stays below 2^64; so do the sums. */
		part = whole * units[u].num / units[u].den +
		    frac * units[u].num / (units[u].den * scale);
		total = total > UINT64_MAX / 2 || part > UINT64_MAX / 2 ?
		    UINT64_MAX / 2 : total + part;
	}
	if (parts == 0)
		return -1;
	*ms = total;
	return 0;
}

/* A duration after the phrase `after` on the line, in ms. */
static int
etcd_log_duration_after(struct etcd_log *l, const char *after, uint64_t *ms)
{
	const char	*end = l->line + l->len, *p;

	if ((p = etcd_log_find(l->line, l->len, after)) == NULL)
		return -1;
	return etcd_log_duration(p + strlen(after), end, ms);
}

/* A zap duration field ("took":"1.5s"), in ms. */
static int
etcd_log_duration_field(struct etcd_log *l, const char *key, uint64_t *ms)
{
	const char	*p = etcd_log_field(l, key);

	if (p == NULL)
		return -1;
	return etcd_log_duration(p, l->line + l->len, ms);
}

static void
etcd_log_stat_note(struct etcd_log *l, struct etcd_log_stat *st,
    int has, uint64_t ms, const char *peer)
{
	if (!has)
		ms = 0;
	if (st->lines == 0 || ms > st->max) {
		st->max = ms;
		st->line = l->lineno;
		st->peer[0] = '\0';
		if (peer != NULL && strlen(peer) <= ETCD_LOG_ID_MAX)
			memcpy(st->peer, peer, strlen(peer) + 1);
	}
	st->lines++;
}

static void
etcd_log_stat_emit(struct qs_parse_ctx *ctx, const struct etcd_log_stat *st,
    const char *name)
{
	struct qs_arena		*a = &ctx->run->arena;
	struct qs_evidence	 ev;

	if (st->lines == 0)
		return;
	ev = qs_evidence_line(ctx, st->line, NULL);
	qs_emit_setting(ctx, qs_arena_printf(a, "etcd.log.%s_max", name),
	    qs_arena_printf(a, "%llu", (unsigned long long)st->max), &ev);
	qs_emit_setting(ctx, qs_arena_printf(a, "etcd.log.%s_lines", name),
	    qs_arena_printf(a, "%llu", (unsigned long long)st->lines), &ev);
	if (st->peer[0] != '\0')
		qs_emit_setting(ctx, qs_arena_printf(a, "etcd.log.%s_peer",
		    name), st->peer, &ev);
}

/* A peer's reachability as this member last logged it. */
static void
etcd_log_peer(struct etcd_log *l, const char *id, int down)
{
	size_t	i;

	if (id == NULL || strlen(id) > ETCD_LOG_ID_MAX)
		return;
	for (i = 0; i < l->npeers; i++)
		if (strcmp(l->peers[i].id, id) == 0)
			break;
	if (i == l->npeers) {
		if (!down || l->npeers == ETCD_LOG_PEERS_MAX)
			return;
		memcpy(l->peers[l->npeers++].id, id, strlen(id) + 1);
	}
	l->peers[i].down = down;
	if (down) {
		l->peers[i].line = l->lineno;
		l->peers[i].time = l->time;
	}
}

/*
 * This member stops its transport to a peer: a peer that went inactive in
 * the shutdown itself (within ETCD_LOG_STOP_MS) was not unreachable; one
 * that had been gone longer stays so.
 */
static void
etcd_log_peer_stopped(struct etcd_log *l, const char *id)
{
	size_t	i;

	for (i = 0; id != NULL && i < l->npeers; i++)
		if (strcmp(l->peers[i].id, id) == 0 && l->peers[i].down &&
		    (!l->time.set || !l->peers[i].time.set ||
		    l->time.ms - l->peers[i].time.ms < ETCD_LOG_STOP_MS))
			l->peers[i].down = 0;
}

/* A stop or a start: the streams to every peer are closed or new. */
static void
etcd_log_peers_reset(struct etcd_log *l)
{
	size_t	i;

	for (i = 0; i < l->npeers; i++)
		l->peers[i].down = 0;
}

static void
etcd_log_peers_emit(struct etcd_log *l)
{
	struct qs_evidence	 ev;
	char			 buf[ETCD_LOG_PEERS_MAX * (ETCD_LOG_ID_MAX + 1)];
	size_t			 i, n = 0, used = 0;
	uint64_t		 line = 0;

	buf[0] = '\0';
	for (i = 0; i < l->npeers; i++) {
		if (!l->peers[i].down)
			continue;
		used += (size_t)snprintf(buf + used, sizeof(buf) - used,
		    "%s%s", n > 0 ? "," : "", l->peers[i].id);
		if (l->peers[i].line > line)
			line = l->peers[i].line;
		n++;
	}
	if (n == 0)
		return;
	ev = qs_evidence_line(l->ctx, line, NULL);
	qs_emit_setting(l->ctx, "etcd.log.peers_unreachable", buf, &ev);
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
	l->fsync_lines++;
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

/*
 * A number after `text` ("saved snapshot at index 21") or in the zap field
 * `key` ("snapshot-index":21), kept as the last such line.
 */
static void
etcd_log_mark(struct etcd_log *l, struct etcd_log_mark *mk, const char *text,
    const char *key)
{
	char		 pat[48];
	const char	*p = NULL;
	uint64_t	 v;

	if (l->json) {
		if (snprintf(pat, sizeof(pat), "\"%s\":", key) <
		    (int)sizeof(pat) && (p = etcd_log_find(l->line, l->len,
		    pat)) != NULL)
			p += strlen(pat);
	} else if ((p = etcd_log_find(l->line, l->len, text)) != NULL)
		p += strlen(text);
	if (etcd_log_num(l, p, &v) != 0)
		return;
	mk->value = v;
	mk->line = l->lineno;
	mk->count++;
}

static void
etcd_log_mark_emit(struct qs_parse_ctx *ctx, const struct etcd_log_mark *mk,
    const char *name)
{
	struct qs_arena		*a = &ctx->run->arena;
	struct qs_evidence	 ev;

	if (mk->count == 0)
		return;
	ev = qs_evidence_line(ctx, mk->line, NULL);
	qs_emit_setting(ctx, qs_arena_printf(a, "etcd.log.last_%s", name),
	    qs_arena_printf(a, "%llu", (unsigned long long)mk->value), &ev);
	qs_emit_setting(ctx, qs_arena_printf(a, "etcd.log.%s_lines", name),
	    qs_arena_printf(a, "%llu", (unsigned long long)mk->count), &ev);
}

/* The election timeout this member ran with (the first start's). */
static void
etcd_log_timeout(struct etcd_log *l, uint64_t ms)
{
	struct qs_evidence	 ev;

	if (l->timeout_seen)
		return;
	l->timeout_seen = 1;
	ev = etcd_log_ev(l);
	qs_emit_setting(l->ctx, "etcd.log.election_timeout_ms",
	    qs_arena_printf(&l->ctx->run->arena, "%llu",
	    (unsigned long long)ms), &ev);
}

/* Was the peer's last word here "inactive"?  (Unknown: no.) */
static int
etcd_log_peer_down(const struct etcd_log *l, const char *id)
{
	size_t	i;

	for (i = 0; id != NULL && i < l->npeers; i++)
		if (strcmp(l->peers[i].id, id) == 0)
			return l->peers[i].down;
	return 0;
}

/*
 * A peer became inactive or active again, as a timed signal the cluster's
 * history reads (a crash is bounded by the peers' first complaint).  Kept
 * up to ETCD_LOG_PEER_SIG_MAX per file; the counts above go on.
 */
static void
etcd_log_contact(struct etcd_log *l, const char *id, int lost)
{
	struct qs_evidence	 ev;
	struct qs_signal	*s;

	if (id == NULL || !l->time.set ||
	    l->contact_sigs >= ETCD_LOG_PEER_SIG_MAX || !etcd_log_room(l))
		return;
	l->contact_sigs++;
	ev = etcd_log_ev(l);
	s = qs_emit_signal(l->ctx, lost ? QS_SIG_PEER_UNREACHABLE :
	    QS_SIG_PEER_REACHABLE, id, &ev);
	s->system = QS_SYS_ETCD;
	s->time = l->time;
}

static void
etcd_log_act(struct etcd_log *l, const struct etcd_log_match *m,
    const char *at)
{
	struct qs_evidence	 ev;
	struct qs_signal	*s;
	struct qs_event		*e;
	const char		*p, *id;
	uint64_t		 term = 0, ms = 0;
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
		/* "lost leader ID at term N": whose leadership ended. */
		id = etcd_log_id(l, p);
		has = (p = etcd_log_find(p, (size_t)(l->line + l->len - p),
		    " at term ")) != NULL && etcd_log_num(l, p + 9, &term) == 0;
		etcd_log_event(l, QS_EV_LEADER_LOST, id, has, term);
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
		/*
		 * "at term N" is the old term; a candidate's is N + 1, a
		 * pre-candidate's stays N.  The next line says which.
		 */
		etcd_log_flush_election(l);
		has = etcd_log_num(l, p, &term) == 0 && term < UINT64_MAX;
		if (!etcd_log_room(l))
			break;
		l->nobs--;	/* counted when it is emitted */
		l->pending = 1;
		l->pending_has = has;
		l->pending_term = term + 1;
		l->pending_ev = etcd_log_ev(l);
		l->pending_time = l->time;
		break;
	case ACT_CANDIDATE:
		has = etcd_log_num(l, p, &term) == 0;
		if (l->pending && has && l->pending_has &&
		    term == l->pending_term) {
			etcd_log_flush_election(l);
			break;
		}
		etcd_log_flush_election(l);
		etcd_log_event(l, QS_EV_ELECTION_START, NULL, has, term);
		break;
	case ACT_FOLLOWER:
		/*
		 * etcd-io/raft becomeFollower: a new term reached this member
		 * (a vote or a leader's message of a higher term), or it
		 * stepped down.  Term 0 is the start of a fresh member.
		 */
		if (etcd_log_num(l, p, &term) == 0 && term > 0)
			etcd_log_event(l, QS_EV_TERM_CHANGE, NULL, 1, term);
		break;
	case ACT_PRECANDIDATE:
		has = etcd_log_num(l, p, &term) == 0;
		if (l->pending && has && l->pending_has &&
		    term + 1 == l->pending_term) {
			l->pending = 0;
			e = etcd_log_event_at(l, QS_EV_ELECTION_START, NULL,
			    1, term, &l->pending_ev, &l->pending_time);
		} else {
			etcd_log_flush_election(l);
			e = etcd_log_event(l, QS_EV_ELECTION_START, NULL, has,
			    term);
		}
		if (e != NULL)
			e->detail = "pre-vote";
		break;
	case ACT_HEARTBEAT:
		/* zap: the overrun; capnslog: "timeout for D, to ID)". */
		has = etcd_log_duration_field(l, "exceeded-duration",
		    &ms) == 0 || etcd_log_duration_after(l, " timeout for ",
		    &ms) == 0;
		id = l->json ? etcd_log_id_tmp(l, etcd_log_field(l, "to")) :
		    etcd_log_id_tmp(l, (p = etcd_log_find(l->line, l->len,
		    ", to ")) != NULL ? p + 5 : NULL);
		etcd_log_stat_note(l, &l->heartbeat, has, ms, id);
		/*
		 * The overrun is past twice the interval (etcd's timeout
		 * detector); zap says so as expected-duration, capnslog
		 * names the interval: "exceeded the H timeout".
		 */
		if (etcd_log_duration_field(l, "expected-duration", &ms) == 0)
			l->hb_expected = ms;
		else if (etcd_log_duration_after(l, "(exceeded the ",
		    &ms) == 0 && ms < UINT64_MAX / 2)
			l->hb_expected = 2 * ms;
		break;
	case ACT_APPLY:
		/*
		 * A request that ended in an error ("context canceled",
		 * "deadline exceeded") waited for a leader or a ReadIndex
		 * until its client gave up: its time is that wait, not
		 * the disk's.
		 */
		if (etcd_log_find(l->line, l->len, "with result \"error:") !=
		    NULL || (l->json && etcd_log_field(l, "error") != NULL))
			break;
		has = etcd_log_duration_field(l, "took", &ms) == 0 ||
		    etcd_log_duration_after(l, "took too long [", &ms) == 0 ||
		    etcd_log_duration_after(l, " took too long (", &ms) == 0;
		etcd_log_stat_note(l, &l->apply, has, ms, NULL);
		break;
	case ACT_DRIFT:
		if (l->json) {
			/*
			 * etcd 3.4 writes the round-trip time under
			 * "clock-drift" and the drift under "rtt"; the line
			 * is only logged for a drift over 1 s, so the larger
			 * of the two is the drift in every version.
			 */
			uint64_t	 a = 0, b = 0;
			int		 ha, hb;

			ha = etcd_log_duration_field(l, "clock-drift", &a) == 0;
			hb = etcd_log_duration_field(l, "rtt", &b) == 0;
			has = ha || hb;
			ms = a > b ? a : b;
			id = etcd_log_id_tmp(l, etcd_log_field(l,
			    "remote-peer-id"));
		} else {
			id = etcd_log_id_tmp(l, p);
			has = etcd_log_duration_after(l, " is too high [",
			    &ms) == 0;
		}
		etcd_log_stat_note(l, &l->drift, has, ms, id);
		break;
	case ACT_INACTIVE:
	case ACT_ACTIVE:
		if (etcd_log_find(l->line, l->len, "peer") == NULL)
			break;
		id = etcd_log_id_tmp(l, l->json ? etcd_log_field(l,
		    "peer-id") : etcd_log_id_start(l, at));
		if (m->act == ACT_INACTIVE)
			l->inactive_lines++;
		if (etcd_log_peer_down(l, id) != (m->act == ACT_INACTIVE))
			etcd_log_contact(l, id, m->act == ACT_INACTIVE);
		etcd_log_peer(l, id, m->act == ACT_INACTIVE);
		break;
	case ACT_PEER_STOPPED:
		etcd_log_peer_stopped(l, l->json ? etcd_log_id_tmp(l,
		    etcd_log_field(l, "remote-peer-id")) : etcd_log_id_tmp(l,
		    p));
		break;
	case ACT_STREAM_LOST:
		l->stream_lost_lines++;
		break;
	case ACT_ELECTION_TIMEOUT:
		if (etcd_log_duration(p, l->line + l->len, &ms) == 0)
			etcd_log_timeout(l, ms);
		break;
	case ACT_SNAPSHOT:
		etcd_log_mark(l, &l->snapshot, "saved snapshot at index ",
		    "snapshot-index");
		break;
	case ACT_LOG_COMPACT:
		etcd_log_mark(l, &l->log_compact, "compacted raft log at ",
		    "compact-index");
		break;
	case ACT_MVCC_COMPACT:
		etcd_log_mark(l, &l->mvcc_compact, "finished scheduled "
		    "compaction at ", "compact-revision");
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
		/* "member ID has already been bootstrapped": that member. */
		id = NULL;
		if (m->sig == QS_SIG_BOOTSTRAP_CONFLICT && at - l->line > 8 &&
		    at[-1] == ' ' && (id = etcd_log_id_before(l, at - 1)) !=
		    NULL && !(at - 1 - strlen(id) - l->line >= 7 &&
		    memcmp(at - 1 - strlen(id) - 7, "member ", 7) == 0))
			id = NULL;
		ev = etcd_log_ev(l);
		s = qs_emit_signal(l->ctx, m->sig, id, &ev);
		s->system = QS_SYS_ETCD;
		s->time = l->time;
		/* The excerpt may be cut before the phrase: keep which. */
		if (m->sig == QS_SIG_BOOTSTRAP_CONFLICT)
			s->detail = m->needle;
		break;
	case ACT_FDATASYNC:
		etcd_log_fdatasync(l);
		break;
	case ACT_START:
		etcd_log_peers_reset(l);
		if (etcd_log_duration_field(l, "election-timeout", &ms) == 0)
			etcd_log_timeout(l, ms);
		etcd_log_event(l, QS_EV_START, NULL, 0, 0);
		l->force_this_start = 0;
		if (etcd_log_find(l->line, l->len,
		    "\"force-new-cluster\":true") != NULL) {
			if (!l->force_seen) {
				l->force_seen = 1;
				ev = etcd_log_ev(l);
				qs_emit_setting(l->ctx,
				    "etcd.log.force_new_cluster", "true", &ev);
			}
			etcd_log_timed_setting(l,
			    "etcd.log.force_new_cluster_start");
			l->force_this_start = 1;
		}
		break;
	case ACT_STOP:
		etcd_log_event(l, QS_EV_STOP, NULL, 0, 0);
		break;
	case ACT_SIGNALLED:
		/* No detail: on an etcd stop, a detail is a fatal error's. */
		etcd_log_event(l, QS_EV_STOP, NULL, 0, 0);
		break;
	case ACT_FORCE:
		if (!l->force_seen) {
			l->force_seen = 1;
			ev = etcd_log_ev(l);
			qs_emit_setting(l->ctx, "etcd.log.force_new_cluster",
			    "true", &ev);
		}
		if (!l->force_this_start) {
			l->force_this_start = 1;
			etcd_log_timed_setting(l,
			    "etcd.log.force_new_cluster_start");
		}
		break;
	case ACT_SNAPSHOT_SENT:
		etcd_log_timed_setting(l, "etcd.log.snapshot_sent");
		break;
	case ACT_SELF:
		etcd_log_self(l, etcd_log_id(l, p));
		break;
	}
}

/*
 * The time of a line starting at s and whether it is in one of the three
 * shapes; sets l->json.  A fatal line (zap "fatal", capnslog "C") is a
 * stop.  `wrapped`: s follows a wrapper, where a zap object must start
 * with its "level" key so that any text with a brace is not taken.
 */
static int
etcd_log_shape(struct etcd_log *l, const char *s, size_t len, int wrapped,
    int *fatal)
{
	const char	*p;

	*fatal = 0;
	l->json = 0;
	if (len > 0 && s[0] == '{' && (!wrapped ||
	    (len > 9 && memcmp(s, "{\"level\":", 9) == 0))) {
		l->line = s;
		l->len = len;
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
		goto found;
	/* etcd 0.4 to 2.1 through Go's log: "2015/06/09 21:30:40 pkg: ". */
	if (len > 19 && s[0] >= '0' && s[0] <= '9' &&
	    qs_time_parse_golog(s, len, &l->time) > 0)
		goto found;
	if (len > 26 && s[0] >= '0' && s[0] <= '9' &&
	    qs_time_parse_iso(s, len, &l->time) > 0 &&
	    (p = etcd_log_find(s, len > 40 ? 40 : len, " | ")) != NULL) {
		*fatal = p >= s + 2 && p[-2] == ' ' && p[-1] == 'C';
		goto found;
	}
	return -1;
found:
	l->line = s;
	l->len = len;
	return 0;
}

/*
 * A fatal or panic line: the process dies of it.  A stop event (what the
 * rules read as "it stopped") and a fatal signal whose detail is the
 * message, so the history says why.
 */
static void
etcd_log_fatal(struct etcd_log *l)
{
	struct qs_evidence	 ev;
	struct qs_signal	*s;
	struct qs_event		*e;
	const char		*text = etcd_log_fatal_text(l);

	if ((e = etcd_log_event(l, QS_EV_STOP, NULL, 0, 0)) != NULL)
		e->detail = text;
	if (l->nsig[QS_SIG_FATAL]++ >= ETCD_LOG_SIG_MAX || !etcd_log_room(l))
		return;
	ev = etcd_log_ev(l);
	s = qs_emit_signal(l->ctx, QS_SIG_FATAL, NULL, &ev);
	s->system = QS_SYS_ETCD;
	s->time = l->time;
	s->detail = text;
}

/*
 * The line in l->line (l->len) with its wrappers peeled: one of the
 * shapes, or a bare message (etcd logging to the journal writes no
 * time; journalctl -o cat drops the journal's) with the wrapper's time
 * if any.  Sets l->line, l->len, l->time and l->json.
 */
static void
etcd_log_header(struct etcd_log *l, int *fatal)
{
	struct qs_time	 own;

	qs_logline_peel(&l->wrap, l->line, l->len);
	(void)qs_logline_speaker(l->ctx, &l->wrap);
	memset(&l->time, 0, sizeof(l->time));
	if (etcd_log_shape(l, l->wrap.msg, l->wrap.len, l->wrap.wrappers != 0,
	    fatal) != 0) {
		*fatal = 0;
		l->json = 0;
		l->line = l->wrap.msg;
		l->len = l->wrap.len;
	}
	own = l->time;
	l->time = qs_logline_time(l->ctx, &l->wrap, &own, l->lineno);
}

/* A failed dial: Go's "dial tcp ADDR: ..." anywhere in the line. */
static void
etcd_log_dial(struct etcd_log *l)
{
	const char	*p = etcd_log_find(l->line, l->len, "dial tcp "), *e;
	const char	*end = l->line + l->len;
	size_t		 n, i;

	if (p == NULL)
		return;
	p += 9;
	for (e = p; e < end && *e != ' ' && *e != '"' && *e != ')'; e++)
		continue;
	if (e > p && e[-1] == ':')
		e--;
	n = (size_t)(e - p);
	if (n == 0 || n >= ETCD_LOG_ADDR_MAX || memchr(p, ':', n) == NULL)
		return;
	for (i = 0; i < l->ndials; i++)
		if (strlen(l->dials[i].addr) == n &&
		    memcmp(l->dials[i].addr, p, n) == 0) {
			l->dials[i].lines++;
			return;
		}
	if (l->ndials == ETCD_LOG_DIALS || !etcd_log_room(l))
		return;
	memcpy(l->dials[i].addr, p, n);
	l->dials[i].addr[n] = '\0';
	l->dials[i].lines = 1;
	l->dials[i].ev = etcd_log_ev(l);
	l->ndials++;
}

int
qs_parse_etcd_log(struct qs_parse_ctx *ctx)
{
	struct etcd_log		 l;
	struct qs_evidence	 ev;
	const char		*line, *at;
	ssize_t			 len;
	struct etcd_log_pairs	 need[ETCD_LOG_NEEDLES], pairs;
	size_t			 i;
	int			 fatal;

	memset(&l, 0, sizeof(l));
	l.ctx = ctx;
	qs_logline_init(&l.wrap);
	for (i = 0; i < ETCD_LOG_NEEDLES; i++)
		etcd_log_pairs(etcd_log_table[i].needle,
		    strlen(etcd_log_table[i].needle), &need[i]);
	while (!l.full && (len = qs_source_getline(ctx->src, &line,
	    ETCD_LOG_LINE_MAX)) >= 0) {
		l.lineno = ctx->src->lineno;
		l.line = line;
		l.len = (size_t)len;
		etcd_log_header(&l, &fatal);
		if (l.wrap.foreign)
			continue;
		if (l.json && !l.self_seen)
			etcd_log_self(&l, etcd_log_id(&l,
			    etcd_log_field(&l, "local-member-id")));
		etcd_log_pairs(l.line, l.len, &pairs);
		for (i = 0; i < ETCD_LOG_NEEDLES; i++) {
			if (!etcd_log_pairs_in(&need[i], &pairs))
				continue;
			at = etcd_log_find(l.line, l.len,
			    etcd_log_table[i].needle);
			if (at != NULL) {
				etcd_log_act(&l, &etcd_log_table[i], at);
				break;
			}
		}
		etcd_log_dial(&l);
		if (fatal)
			etcd_log_fatal(&l);
	}
	etcd_log_flush_election(&l);
	qs_logline_free(&l.wrap);
	ctx->speaker = NULL;
	for (i = 0; i < l.ndials; i++)
		qs_emit_setting(ctx, "etcd.log.dial_failed", qs_arena_printf(
		    &ctx->run->arena, "%s %llu", l.dials[i].addr,
		    (unsigned long long)l.dials[i].lines), &l.dials[i].ev);
	if (l.fsync_seen) {
		ev = qs_evidence_line(ctx, l.fsync_line, NULL);
		qs_emit_setting(ctx, "etcd.log.slow_fdatasync_max",
		    qs_arena_printf(&ctx->run->arena, "%llu",
		    (unsigned long long)l.fsync_max), &ev);
		qs_emit_setting(ctx, "etcd.log.slow_fdatasync_lines",
		    qs_arena_printf(&ctx->run->arena, "%llu",
		    (unsigned long long)l.fsync_lines), &ev);
	}
	etcd_log_stat_emit(ctx, &l.heartbeat, "heartbeat_late");
	if (l.heartbeat.lines > 0 && l.hb_expected > 0) {
		ev = qs_evidence_line(ctx, l.heartbeat.line, NULL);
		qs_emit_setting(ctx, "etcd.log.heartbeat_expected_ms",
		    qs_arena_printf(&ctx->run->arena, "%llu",
		    (unsigned long long)l.hb_expected), &ev);
	}
	etcd_log_stat_emit(ctx, &l.apply, "slow_apply");
	etcd_log_stat_emit(ctx, &l.drift, "clock_drift");
	etcd_log_mark_emit(ctx, &l.snapshot, "snapshot_index");
	etcd_log_mark_emit(ctx, &l.log_compact, "raft_log_compact_index");
	etcd_log_mark_emit(ctx, &l.mvcc_compact, "compact_revision");
	etcd_log_peers_emit(&l);
	if (l.inactive_lines > 0) {
		ev = qs_evidence_whole(ctx);
		qs_emit_setting(ctx, "etcd.log.peer_inactive_lines",
		    qs_arena_printf(&ctx->run->arena, "%llu",
		    (unsigned long long)l.inactive_lines), &ev);
	}
	if (l.stream_lost_lines > 0) {
		ev = qs_evidence_whole(ctx);
		qs_emit_setting(ctx, "etcd.log.stream_lost_lines",
		    qs_arena_printf(&ctx->run->arena, "%llu",
		    (unsigned long long)l.stream_lost_lines), &ev);
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
