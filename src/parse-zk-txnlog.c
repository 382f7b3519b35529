/*
 * ZooKeeper transaction logs (kind zk.txnlog): dataLogDir/version-2/
 * log.<hex zxid>, named after the first transaction written to it.
 *
 * Upstream: apache/zookeeper server/persistence/FileTxnLog.java (append,
 * FileTxnIterator.next), Util.java (readTxnBytes), FilePadding.java (the
 * preallocation), zookeeper-jute zookeeper.jute (FileHeader, TxnHeader,
 * the txn records, TxnDigest), ZooDefs.java (OpCode); releases 3.4.14,
 * 3.5.10 and 3.8; formats.md 6.3 and 6.4.
 *
 * Layout: FileHeader {int magic "ZKLG", int version 2, long dbid}, then
 * records {long checksum, int length L, L bytes of txn, byte 'B'}.  The
 * checksum is the Adler-32 of the L txn bytes only (not of the length or
 * the marker, whatever FileTxnLog's class comment says).  The txn bytes
 * are a TxnHeader {long clientId, int cxid, long zxid, long time (ms),
 * int type}, the type's record, and since 3.6 an optional TxnDigest.  A
 * zero length ends the log: files grow in zero-filled steps of 64 MiB
 * (zookeeper.preAllocSize), so a zero tail is normal, not damage.
 *
 * Read as a stream (the files are mostly preallocated zeros), one record
 * in memory at a time.  Extracted:
 *  - a TERM_CHANGE event for every epoch (zxid >> 32) the log enters, at
 *    the time of its first transaction, clock zxid and term = epoch;
 *  - for each reconfig (type 16: a SetDataTxn on /zookeeper/config whose
 *    data is the new configuration text with "version=<hex>"), a
 *    CONFIG_CHANGE event with that text as detail (lines joined by "; ")
 *    and a QS_VIEW_CONFIGURED view "txn log reconfig" of its servers;
 *  - settings "zk.txnlog.first_zxid", "zk.txnlog.last_zxid" ("0x..."),
 *    "zk.txnlog.txns", "zk.txnlog.sessions_created" and
 *    "zk.txnlog.sessions_closed" (createSession -10 / closeSession -11),
 *    "zk.txnlog.open_sessions" (sessions created here and not closed
 *    here, at most ZK_TXN_OPEN_LIST of them named) and
 *    "zk.txnlog.last_time" (the last transaction's time, UTC).
 *
 * Damage: a checksum mismatch, a truncated record, a length over
 * ZK_TXN_RECORD_MAX, a missing 'B' marker or a txn too short for its
 * header give an error diagnostic naming the record's byte offset, the
 * setting "zk.txnlog.corrupt_offset", and end the reading: like
 * ZooKeeper, nothing after damage is trusted.  What came before is kept.
 *
 * Ignored: the bodies of every other transaction type (creates, deletes,
 * setData, multi), the digests, the dbid.  Known limits: the session
 * table holds ZK_TXN_SESSIONS_MAX sessions (the counts stay exact);
 * at most ZK_TXN_OBS_MAX events and views per file.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quorumscope.h"

#define ZK_TXN_MAGIC		0x5a4b4c47u	/* "ZKLG" */
#define ZK_TXN_HEADER		32		/* bytes of a TxnHeader */
/* Far above jute.maxbuffer (1 MiB by default): longer is damage. */
#define ZK_TXN_RECORD_MAX	(64 * 1024 * 1024)
#define ZK_TXN_FILL_STEP	(1024 * 1024)	/* buffer growth per read */
#define ZK_TXN_SESSIONS_MAX	65536		/* sessions tracked per file */
#define ZK_TXN_OPEN_LIST	64		/* open sessions named */
#define ZK_TXN_OBS_MAX		1000000		/* events and views per file */
#define ZK_TXN_DETAIL_MAX	2048		/* config text in a detail */

#define ZK_OP_CREATE_SESSION	(-10)
#define ZK_OP_CLOSE_SESSION	(-11)
#define ZK_OP_RECONFIG		16

struct zk_session {
	int64_t		 id;
	int		 closed;
};

struct zk_txn {
	struct qs_parse_ctx	*ctx;
	struct qs_jute_stream	 js;
	unsigned char		*rec;		/* the current record */
	size_t			 rec_cap;
	uint64_t		 txns;
	uint64_t		 created;
	uint64_t		 closed;
	uint64_t		 first_zxid;
	uint64_t		 last_zxid;
	uint64_t		 epoch;		/* of the last txn */
	struct qs_time		 last_time;
	uint64_t		 last_off;
	uint64_t		 nobs;
	struct zk_session	*sessions;
	size_t			 nsessions;
	size_t			 sessions_cap;
};

static int	zk_txn_header(struct zk_txn *);
static int	zk_txn_record(struct zk_txn *);
static int	zk_txn_fill(struct zk_txn *, size_t);
static void	zk_txn_report(struct zk_txn *, uint64_t, const char *, ...)
		    QS_PRINTF(3, 4);
static void	zk_txn_damage(struct zk_txn *, uint64_t, const char *, ...)
		    QS_PRINTF(3, 4);
static int	zk_txn_obs(struct zk_txn *);
static void	zk_txn_session(struct zk_txn *, int64_t, int);
static int	zk_txn_session_cmp(const void *, const void *);
static void	zk_txn_reconfig(struct zk_txn *, struct qs_jute *, uint64_t,
		    const struct qs_time *, uint64_t);
static void	zk_txn_finish(struct zk_txn *);
static const char *zk_txn_hex(struct zk_txn *, uint64_t);

static const char *
zk_txn_hex(struct zk_txn *t, uint64_t v)
{
	return qs_arena_printf(&t->ctx->run->arena, "0x%llx",
	    (unsigned long long)v);
}

/*
 * Damage at `off`: one error diagnostic with the offset and the setting
 * that tells rules where the trusted part of the log ends.
 */
static void
zk_txn_damage(struct zk_txn *t, uint64_t off, const char *fmt, ...)
{
	va_list		 ap;
	char		*msg;
	struct qs_clock	 clock;

	va_start(ap, fmt);
	msg = qs_arena_vprintf(&t->ctx->run->arena, fmt, ap);
	va_end(ap);
	zk_txn_report(t, off, "%s", msg);
	/* The signal rules use: what, where, the last good zxid. */
	memset(&clock, 0, sizeof(clock));
	if (t->txns > 0) {
		clock.set = QS_CLOCK_ZXID | QS_CLOCK_TERM;
		clock.zxid = t->last_zxid;
		clock.term = t->last_zxid >> 32;
	}
	qs_emit_damage(t->ctx, off, 0, &clock, t->txns > 0 ?
	    qs_arena_printf(&t->ctx->run->arena, "ZooKeeper txn log: %s (last "
	    "good zxid 0x%llx)", msg, (unsigned long long)t->last_zxid) :
	    qs_arena_printf(&t->ctx->run->arena, "ZooKeeper txn log: %s", msg));
}

static void
zk_txn_report(struct zk_txn *t, uint64_t off, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	qs_parse_vdamage(t->ctx, "zk.txnlog.corrupt_offset", off, fmt, ap);
	va_end(ap);
}

/* Room for one more event or view; says so once when there is none. */
static int
zk_txn_obs(struct zk_txn *t)
{
	if (t->nobs == ZK_TXN_OBS_MAX)
		qs_parse_diag(t->ctx, QS_SEV_WARNING, 0, "more than %d "
		    "observations; the rest of the log is only counted",
		    ZK_TXN_OBS_MAX);
	return t->nobs++ < ZK_TXN_OBS_MAX;
}

static int
zk_txn_session_cmp(const void *a, const void *b)
{
	const struct zk_session	*x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

/*
 * Notes a session created or closed.  A linear table: sessions are few
 * per file in practice and it is capped; ids are sorted only for output.
 */
static void
zk_txn_session(struct zk_txn *t, int64_t id, int close)
{
	size_t	i;

	for (i = t->nsessions; i > 0; i--)
		if (t->sessions[i - 1].id == id) {
			if (close)
				t->sessions[i - 1].closed = 1;
			return;
		}
	if (close || t->nsessions == ZK_TXN_SESSIONS_MAX)
		return;		/* closed here, created in an older log */
	if (t->nsessions == t->sessions_cap) {
		t->sessions_cap = t->sessions_cap == 0 ? 64 :
		    t->sessions_cap * 2;
		t->sessions = qs_xreallocarray(t->sessions, t->sessions_cap,
		    sizeof(*t->sessions));
	}
	t->sessions[t->nsessions].id = id;
	t->sessions[t->nsessions].closed = 0;
	t->nsessions++;
}

/* The FileHeader; 0, or -1 when this is no transaction log at all. */
static int
zk_txn_header(struct zk_txn *t)
{
	unsigned char	h[16];
	uint32_t	magic, version;

	if (qs_jute_stream_read(&t->js, h, sizeof(h)) != sizeof(h)) {
		qs_parse_diag(t->ctx, QS_SEV_ERROR, 0, "file header cut "
		    "short: %llu of 16 bytes", (unsigned long long)t->js.off);
		/* A log created, never written: the disk or the process died. */
		qs_emit_damage(t->ctx, 0, 1, NULL, t->js.off == 0 ?
		    "ZooKeeper txn log: empty file" : qs_arena_printf(
		    &t->ctx->run->arena, "ZooKeeper txn log: file header cut "
		    "short after %llu bytes", (unsigned long long)t->js.off));
		return -1;
	}
	magic = (uint32_t)h[0] << 24 | (uint32_t)h[1] << 16 |
	    (uint32_t)h[2] << 8 | h[3];
	version = (uint32_t)h[4] << 24 | (uint32_t)h[5] << 16 |
	    (uint32_t)h[6] << 8 | h[7];
	if (magic != ZK_TXN_MAGIC) {
		qs_parse_diag(t->ctx, QS_SEV_ERROR, 0, "bad magic 0x%08x "
		    "(want \"ZKLG\"): not a transaction log", magic);
		return -1;
	}
	if (version != 2)
		qs_parse_diag(t->ctx, QS_SEV_WARNING, 0, "file format "
		    "version %u (only 2 is known); reading on", version);
	return 0;
}

/*
 * Reads `need` bytes into the record buffer.  The buffer grows with the
 * bytes actually read, a step at a time, so a forged length costs no
 * more memory than the entry really holds.  0, or -1 when it ends first.
 */
static int
zk_txn_fill(struct zk_txn *t, size_t need)
{
	size_t	have = 0, step;

	while (have < need) {
		step = need - have < ZK_TXN_FILL_STEP ? need - have :
		    ZK_TXN_FILL_STEP;
		if (have + step > t->rec_cap) {
			t->rec_cap = have + step;
			t->rec = qs_xreallocarray(t->rec, t->rec_cap, 1);
		}
		if (qs_jute_stream_read(&t->js, t->rec + have, step) != step)
			return -1;
		have += step;
	}
	return 0;
}

/*
 * A reconfig's SetDataTxn {ustring path, buffer data, int version}: the
 * data is the new configuration text.
 */
static void
zk_txn_reconfig(struct zk_txn *t, struct qs_jute *j, uint64_t off,
    const struct qs_time *tm, uint64_t zxid)
{
	struct qs_parse_ctx	*ctx = t->ctx;
	const unsigned char	*data;
	const char		*path;
	int32_t			 plen, dlen;
	struct qs_event		*e;
	struct qs_view		*v;
	struct qs_evidence	 ev;
	uint64_t		 version;
	size_t			 bad, n, i, o;
	int			 has_version;
	char			*detail;

	if (qs_jute_ustring(j, &path, &plen) != 0 ||
	    qs_jute_buffer(j, &data, &dlen) != 0 || dlen < 0) {
		qs_parse_diag(ctx, QS_SEV_WARNING, 0, "offset %llu: reconfig "
		    "txn 0x%llx has no readable configuration",
		    (unsigned long long)off, (unsigned long long)zxid);
		return;
	}
	if (!zk_txn_obs(t))
		return;
	ev = qs_evidence_offset(ctx, off, qs_arena_printf(&ctx->run->arena,
	    "reconfig zxid 0x%llx", (unsigned long long)zxid));
	/* The text on one line: "server.1=...; server.2=...; version=..". */
	n = (size_t)dlen < ZK_TXN_DETAIL_MAX ? (size_t)dlen :
	    ZK_TXN_DETAIL_MAX;
	detail = qs_arena_alloc(&ctx->run->arena, 2 * n + 1);
	for (i = 0, o = 0; i < n; i++) {
		if (data[i] == '\n') {
			if (i + 1 < n) {
				detail[o++] = ';';
				detail[o++] = ' ';
			}
		} else if (data[i] != '\r')
			detail[o++] = (char)data[i];
	}
	detail[o] = '\0';
	e = qs_emit_event(ctx, QS_EV_CONFIG_CHANGE, NULL, &ev);
	e->time = *tm;
	e->clock.set = QS_CLOCK_ZXID | QS_CLOCK_TERM;
	e->clock.zxid = zxid;
	e->clock.term = zxid >> 32;
	e->detail = detail;
	v = qs_emit_view(ctx, QS_VIEW_CONFIGURED, "txn log reconfig", &ev);
	v->time = *tm;
	v->clock = e->clock;
	n = qs_zk_config_text(ctx, v, (const char *)data, (size_t)dlen,
	    &version, &has_version, &bad);
	if (bad > 0 || n == 0)
		qs_parse_diag(ctx, QS_SEV_WARNING, 0, "offset %llu: reconfig "
		    "txn 0x%llx: %zu server lines unreadable, %zu read",
		    (unsigned long long)off, (unsigned long long)zxid,
		    bad, n);
	if (has_version && version != zxid)
		qs_parse_diag(ctx, QS_SEV_INFO, 0, "offset %llu: reconfig "
		    "txn 0x%llx carries version=%llx",
		    (unsigned long long)off, (unsigned long long)zxid,
		    (unsigned long long)version);
}

/*
 * One record.  Returns 1 when there is another to read, 0 at the end of
 * the log (a zero length or the end of the entry), -1 after damage.
 */
static int
zk_txn_record(struct zk_txn *t)
{
	struct qs_parse_ctx	*ctx = t->ctx;
	unsigned char		 hdr[12], eor;
	uint64_t		 off = t->js.off, zxid;
	uint32_t		 stored, sum;
	int64_t			 check, client, zxid_s, ms;
	int32_t			 len, cxid, type;
	struct qs_jute		 j;
	struct qs_evidence	 ev;
	struct qs_time		 tm;
	size_t			 got;

	got = qs_jute_stream_read(&t->js, hdr, sizeof(hdr));
	if (got == 0)
		return 0;	/* ended exactly after a record */
	if (got < sizeof(hdr)) {
		/* A zero-filled tail cut short is still just zeros. */
		while (got > 0 && hdr[got - 1] == 0)
			got--;
		if (got == 0)
			return 0;
		zk_txn_damage(t, off, "record header cut short");
		return -1;
	}
	qs_jute_init(&j, hdr, sizeof(hdr));
	qs_jute_long(&j, &check);
	qs_jute_int(&j, &len);
	if (len == 0)
		return 0;	/* preallocated zeros: the end of the log */
	if (len < 0 || len > ZK_TXN_RECORD_MAX) {
		zk_txn_damage(t, off, "record length %d is impossible "
		    "(limit %d)", len, ZK_TXN_RECORD_MAX);
		return -1;
	}
	if (zk_txn_fill(t, (size_t)len + 1) != 0) {
		zk_txn_damage(t, off, "record of %d bytes cut short "
		    "(last transaction was partial)", len);
		return -1;
	}
	stored = (uint32_t)((uint64_t)check & 0xffffffffu);
	sum = qs_adler32(1, t->rec, (size_t)len);
	if ((uint64_t)check > 0xffffffffu || stored != sum) {
		zk_txn_damage(t, off, "checksum mismatch: stored 0x%llx, "
		    "Adler-32 of the txn is 0x%08x",
		    (unsigned long long)check, sum);
		return -1;
	}
	eor = t->rec[len];
	if (eor != 'B') {
		zk_txn_damage(t, off, "end-of-record marker is 0x%02x, not "
		    "'B'", eor);
		return -1;
	}
	qs_jute_init(&j, t->rec, (size_t)len);
	if (qs_jute_long(&j, &client) != 0 || qs_jute_int(&j, &cxid) != 0 ||
	    qs_jute_long(&j, &zxid_s) != 0 || qs_jute_long(&j, &ms) != 0 ||
	    qs_jute_int(&j, &type) != 0) {
		zk_txn_damage(t, off, "txn of %d bytes is shorter than its "
		    "header", len);
		return -1;
	}
	zxid = (uint64_t)zxid_s;
	memset(&tm, 0, sizeof(tm));
	if (ms > 0 && ms < INT64_C(253402300800000)) {	/* before 10000 */
		tm.set = 1;
		tm.zone_known = 1;
		tm.ms = ms;
	}
	if (t->txns == 0)
		t->first_zxid = zxid;
	t->txns++;
	t->last_zxid = zxid;
	t->last_time = tm;
	t->last_off = off;
	if ((t->txns == 1 || zxid >> 32 != t->epoch) && zk_txn_obs(t)) {
		struct qs_event	*e;
		char		 ex[64];

		snprintf(ex, sizeof(ex), "zxid 0x%llx type %d",
		    (unsigned long long)zxid, type);
		ev = qs_evidence_offset(ctx, off, ex);
		e = qs_emit_event(ctx, QS_EV_TERM_CHANGE, NULL, &ev);
		e->time = tm;
		e->clock.set = QS_CLOCK_ZXID | QS_CLOCK_TERM;
		e->clock.zxid = zxid;
		e->clock.term = zxid >> 32;
		e->detail = qs_arena_printf(&ctx->run->arena, "epoch %llu",
		    (unsigned long long)(zxid >> 32));
	}
	t->epoch = zxid >> 32;
	switch (type) {
	case ZK_OP_CREATE_SESSION:
		t->created++;
		zk_txn_session(t, client, 0);
		break;
	case ZK_OP_CLOSE_SESSION:
		t->closed++;
		zk_txn_session(t, client, 1);
		break;
	case ZK_OP_RECONFIG:
		zk_txn_reconfig(t, &j, off, &tm, zxid);
		break;
	default:
		break;
	}
	(void)cxid;
	return 1;
}

/* The settings that sum the log up. */
static void
zk_txn_finish(struct zk_txn *t)
{
	struct qs_parse_ctx	*ctx = t->ctx;
	struct qs_evidence	 ev;
	char			 tbuf[40], *list, *p;
	size_t			 i, named = 0, open = 0, room;

	ev = qs_evidence_whole(ctx);
	qs_emit_setting(ctx, "zk.txnlog.txns", qs_arena_printf(
	    &ctx->run->arena, "%llu", (unsigned long long)t->txns), &ev);
	qs_emit_setting(ctx, "zk.txnlog.sessions_created", qs_arena_printf(
	    &ctx->run->arena, "%llu", (unsigned long long)t->created), &ev);
	qs_emit_setting(ctx, "zk.txnlog.sessions_closed", qs_arena_printf(
	    &ctx->run->arena, "%llu", (unsigned long long)t->closed), &ev);
	if (t->txns == 0)
		return;
	qs_emit_setting(ctx, "zk.txnlog.first_zxid", zk_txn_hex(t,
	    t->first_zxid), &ev);
	ev = qs_evidence_offset(ctx, t->last_off, NULL);
	qs_emit_setting(ctx, "zk.txnlog.last_zxid", zk_txn_hex(t,
	    t->last_zxid), &ev);
	if (t->last_time.set)
		qs_emit_setting(ctx, "zk.txnlog.last_time",
		    qs_time_format(&t->last_time, tbuf, sizeof(tbuf)), &ev);
	if (t->nsessions > 0)
		qsort(t->sessions, t->nsessions, sizeof(*t->sessions),
		    zk_txn_session_cmp);
	room = ZK_TXN_OPEN_LIST * 20 + 8;
	p = list = qs_arena_alloc(&ctx->run->arena, room);
	*p = '\0';
	for (i = 0; i < t->nsessions; i++) {
		if (t->sessions[i].closed)
			continue;
		open++;
		if (named == ZK_TXN_OPEN_LIST)
			continue;
		p += snprintf(p, room - (size_t)(p - list), "%s0x%llx",
		    named > 0 ? "," : "",
		    (unsigned long long)t->sessions[i].id);
		named++;
	}
	if (open > named)
		snprintf(p, room - (size_t)(p - list), ",...");
	ev = qs_evidence_whole(ctx);
	qs_emit_setting(ctx, "zk.txnlog.open_sessions", list, &ev);
}

int
qs_parse_zk_txnlog(struct qs_parse_ctx *ctx)
{
	struct zk_txn	*t;
	int		 r;

	t = qs_xcalloc(1, sizeof(*t));
	t->ctx = ctx;
	qs_jute_stream_init(&t->js, ctx->src, 0);
	if (zk_txn_header(t) != 0) {
		ctx->artifact->status = QS_STATUS_FAILED;
		free(t);
		return -1;
	}
	while ((r = zk_txn_record(t)) > 0)
		;
	zk_txn_finish(t);
	free(t->rec);
	free(t->sessions);
	free(t);
	return 0;
}
