/*
 * etcd write-ahead log segment: member/wal/<seq>-<index>.wal (kind
 * etcd.wal), also *.wal.broken copies and preallocated *.tmp spares.
 *
 * Layout (etcd-io/etcd wal/encoder.go, decoder.go, wal.go and
 * walpb/record.proto, release-3.4; the same in 3.5 under
 * server/storage/wal): frames of u64le lenField + walpb.Record + padding.
 * The low 56 bits of lenField are the record length N; when the top bit
 * is set, the low 3 bits of the top byte are the zero padding P after the
 * record.  A zero lenField (the preallocated zero tail) ends the log.
 * walpb.Record {1 type, 2 crc, 3 data}; types 1 metadata
 * (etcdserverpb.Metadata {1 NodeID, 2 ClusterID}), 2 entry (raftpb.Entry
 * {1 Type, 2 Term, 3 Index, 4 Data}), 3 state (raftpb.HardState {1 term,
 * 2 vote, 3 commit}), 4 crc, 5 snapshot (walpb.Snapshot {1 index, 2 term,
 * 3 conf_state (3.5+)}).  The crc of every non-crc record is CRC-32C over
 * the data of all records so far, chained; a crc record restarts the
 * chain from its value and opens every file.  Variants: 3.3 to 3.6 write
 * the same framing; ConfChangeV2 entries only come from other raft users.
 *
 * Extracted: the member and cluster ids (metadata), the last HardState,
 * the last snapshot record, the first and last entry, every membership
 * change (ConfChange, ConfChangeV2, and the v2 and v3 "publish member
 * attributes" requests that give a member its name), a term change per
 * new entry term, and the membership replayed from the changes that
 * survive.  A later entry whose index is not above the previous one
 * overwrites it and everything after it (raft's log truncation after a
 * leader change): the changes it discards are not replayed.  Ignored:
 * application data in normal entries, except for a fingerprint of the
 * last entries: etcd.wal.tail lists the last ETCD_WAL_TAIL entries as
 * "index:term:hash" (hash: CRC-32C of the first ETCD_WAL_FP_BYTES data
 * bytes, which hold the request id, seeded with the type and length), and
 * etcd.wal.terms the index where each of the last ETCD_WAL_TERMS terms
 * begins ("index:term"), both after the overwrites.  Two members whose
 * logs hold different entries at one index have different histories
 * (raft's log matching: equal index and term mean equal logs up to there,
 * unless a --force-new-cluster rewrote one of them).
 *
 * Damage: a record that fails its CRC or does not decode ends the parse;
 * everything before it counts.  As etcd does, a failing record with an
 * all-zero 512-byte sector is a torn write (a crash mid-write), reported
 * as a warning and setting etcd.wal.torn_offset; otherwise it is
 * corruption (an error and etcd.wal.corrupt_offset).
 *
 * Known limits: each file is parsed alone, so the membership is replayed
 * only from a file whose entries start at index 1 (or after a 3.5
 * snapshot record carrying the ConfState); a later file of a long-lived
 * member yields its changes as events but no membership view.  Records
 * over ETCD_WAL_RECORD_MAX end the parse.  Entries with data of other
 * raft applications are read as etcd's.
 */
#include "config.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quorumscope.h"

/*
 * Largest record read.  etcd 3.5 refuses entries over 10 MB
 * (maxWALEntrySizeLimit); older writers had no cap, and nothing real
 * comes near 64 MiB, so a larger length is a damaged length field.
 */
#define ETCD_WAL_RECORD_MAX	((uint64_t)64 * 1024 * 1024)
/*
 * Read-ahead: frames are decoded in place from a buffer of this size,
 * refilled with one read per step rather than two reads per record.  A
 * record that does not fit grows the buffer only as far as bytes really
 * arrive, so a length field that lies about a short file costs at most
 * twice the bytes the file has, not the length it claims.
 */
#define ETCD_WAL_READ_STEP	((size_t)1024 * 1024)
/* Observations one WAL may emit before the parser gives up. */
#define ETCD_WAL_MAX_OBS	1000000
/* Membership changes kept for the replay. */
#define ETCD_WAL_MAX_OPS	100000
/* Truncation and gap notes reported one by one; then only counted. */
#define ETCD_WAL_MAX_NOTES	10
/* etcd's torn-write test works on 512-byte sectors (minSectorSize). */
#define ETCD_WAL_SECTOR		512
/* Zeros compared at a time in the preallocated tail. */
#define ETCD_WAL_TAIL_CHUNK	(64 * 1024)
/* Entries in the etcd.wal.tail fingerprint, term starts in etcd.wal.terms. */
#define ETCD_WAL_TAIL		32
#define ETCD_WAL_TERMS		64
/*
 * Data bytes hashed per entry: etcd marshals InternalRaftRequest and the
 * v2 Request by field number, so the request ID (field 1) comes first.
 */
#define ETCD_WAL_FP_BYTES	16

enum etcd_wal_rectype {
	WAL_REC_METADATA = 1,
	WAL_REC_ENTRY = 2,
	WAL_REC_STATE = 3,
	WAL_REC_CRC = 4,
	WAL_REC_SNAPSHOT = 5
};

enum etcd_wal_damage {
	WAL_CORRUPT,		/* CRC or decoding failed: data corruption */
	WAL_TORN,		/* failed with an all-zero sector: torn write */
	WAL_SHORT		/* the file ends inside a record */
};

/* The voter or learner ids of a ConfState. */
struct etcd_wal_ids {
	uint64_t	*v;
	size_t		 n;
	size_t		 cap;
};

enum etcd_wal_opkind {
	WAL_OP_ADD,		/* AddNode */
	WAL_OP_ADD_LEARNER,	/* AddLearnerNode */
	WAL_OP_PROMOTE,		/* AddNode with isPromote: learner to voter */
	WAL_OP_REMOVE,		/* RemoveNode */
	WAL_OP_UPDATE,		/* UpdateNode: new peer URLs */
	WAL_OP_PUBLISH		/* attributes published: name, client URLs */
};

/* One membership operation, in log order. */
struct etcd_wal_op {
	enum etcd_wal_opkind	 kind;
	const char		*what;		/* "ConfChange AddNode" */
	uint64_t		 term;
	uint64_t		 index;
	uint64_t		 offset;	/* of the record's frame */
	struct qs_etcd_member	 m;		/* m.id: the node changed */
};

/* One entry of the tail fingerprint, or one term start (hash unused). */
struct etcd_wal_fp {
	uint64_t	 index;
	uint64_t	 term;
	uint32_t	 hash;
};

/* A member while replaying. */
struct etcd_wal_member {
	uint64_t	 id;
	char		 hex[17];
	const char	*name;
	const char	*peer;		/* first peer URL */
	int		 learner;
	int		 present;
};

struct etcd_wal {
	struct qs_parse_ctx	*ctx;
	struct qs_arena		 tmp;		/* freed when the parse ends */
	uint64_t		 off;		/* frame being read */
	size_t			 body;		/* its record + padding bytes */
	uint32_t		 crc;		/* running CRC-32C */
	unsigned char		*buf;		/* read-ahead, frames in place */
	size_t			 buf_cap;
	size_t			 buf_len;	/* bytes in buf */
	size_t			 buf_pos;	/* of them, consumed */
	int			 eof;		/* the source is done */
	uint64_t		 nobs;
	int			 stopped;	/* observation cap reached */

	int			 have_meta;
	uint64_t		 node_id, cluster_id;
	int			 meta_conflicts;

	int			 have_hs;
	uint64_t		 hs_term, hs_vote, hs_commit, hs_off;

	int			 have_snap;
	uint64_t		 snap_index, snap_term, snap_off;
	/*
	 * The ConfState of the newest 3.5+ snapshot record: the whole
	 * membership at base_index, replayed before the later changes.
	 */
	int			 have_base;
	uint64_t		 base_index, base_term, base_off;
	struct etcd_wal_ids	 base_voters, base_learners;

	int			 have_entry;
	uint64_t		 first_index, first_off;
	uint64_t		 last_index, last_term, last_off;
	uint64_t		 max_term;
	uint64_t		 truncations, gaps;

	/* Rings: the last entries and the last term starts, oldest first. */
	struct etcd_wal_fp	 tail[ETCD_WAL_TAIL];
	size_t			 tail_head, tail_n;
	struct etcd_wal_fp	 terms[ETCD_WAL_TERMS];
	size_t			 terms_head, terms_n;

	struct qs_vec		 ops;		/* struct etcd_wal_op * */
	int			 ops_full;
	struct qs_map		 seen;		/* identities already emitted */
};

static int	etcd_wal_budget(struct etcd_wal *, size_t);
static void	etcd_wal_damage_signal(struct etcd_wal *, const char *,
		    const char *);
static void	etcd_wal_broken(struct etcd_wal *);
static size_t	etcd_wal_fill(struct etcd_wal *, uint64_t);
static int	etcd_wal_torn(uint64_t, const unsigned char *, size_t);
static void	etcd_wal_damage(struct etcd_wal *, enum etcd_wal_damage,
		    const char *, ...) QS_PRINTF(3, 4);
static void	etcd_wal_ids_add(void *, uint64_t);
static void	etcd_wal_base(struct etcd_wal *, struct qs_map *,
		    struct qs_vec *);
static int	etcd_wal_record(struct etcd_wal *, const unsigned char *,
		    size_t);
static void	etcd_wal_metadata(struct etcd_wal *, const unsigned char *,
		    size_t);
static void	etcd_wal_state(struct etcd_wal *, const unsigned char *,
		    size_t);
static void	etcd_wal_snapshot(struct etcd_wal *, const unsigned char *,
		    size_t);
static void	etcd_wal_entry(struct etcd_wal *, const unsigned char *,
		    size_t);
static void	etcd_wal_truncate(struct etcd_wal *, uint64_t, uint64_t);
static void	etcd_wal_fp_note(struct etcd_wal *, uint64_t, uint64_t,
		    uint64_t, const unsigned char *, size_t);
static void	etcd_wal_fp_settings(struct etcd_wal *);
static void	etcd_wal_confchange(struct etcd_wal *, uint64_t, uint64_t,
		    const unsigned char *, size_t);
static void	etcd_wal_confchange_v2(struct etcd_wal *, uint64_t, uint64_t,
		    const unsigned char *, size_t);
static void	etcd_wal_normal(struct etcd_wal *, uint64_t, uint64_t,
		    const unsigned char *, size_t);
static int	etcd_wal_v2_publish(struct etcd_wal *, uint64_t, uint64_t,
		    const unsigned char *, size_t);
static int	etcd_wal_v3_publish(struct etcd_wal *, uint64_t, uint64_t,
		    const unsigned char *, size_t);
static struct etcd_wal_op *etcd_wal_op_new(struct etcd_wal *,
		    enum etcd_wal_opkind, const char *, uint64_t, uint64_t);
static void	etcd_wal_tail(struct etcd_wal *);
static void	etcd_wal_finish(struct etcd_wal *);
static struct etcd_wal_member *etcd_wal_member(struct etcd_wal *,
		    struct qs_map *, struct qs_vec *, uint64_t);
static void	etcd_wal_op_event(struct etcd_wal *, const struct etcd_wal_op *);
static void	etcd_wal_ident(struct etcd_wal *, enum qs_ident, const char *,
		    const char *, const char *, const struct qs_evidence *);
static void	etcd_wal_setting(struct etcd_wal *, const char *,
		    const char *, uint64_t);
static void	etcd_wal_setting_u64(struct etcd_wal *, const char *,
		    uint64_t, uint64_t);
static const char *etcd_wal_cc_name(uint64_t);
static void	etcd_wal_cc_op(struct etcd_wal *, uint64_t, uint64_t,
		    const char *, uint64_t, uint64_t, const unsigned char *,
		    size_t);

/*
 * Counts n more observations; once the cap is passed, says so once and
 * stops the parse.  Returns 0 to go on, -1 to stop.
 */
static int
etcd_wal_budget(struct etcd_wal *w, size_t n)
{
	if (w->stopped)
		return -1;
	if (w->nobs + n > ETCD_WAL_MAX_OBS) {
		qs_parse_diag(w->ctx, QS_SEV_WARNING, 0, "more than %d "
		    "observations at offset %" PRIu64 "; the rest of the WAL "
		    "is not read", ETCD_WAL_MAX_OBS, w->off);
		w->stopped = 1;
		return -1;
	}
	w->nobs += n;
	return 0;
}

/*
 * Makes at least `need` unconsumed bytes available at w->buf + w->buf_pos,
 * fewer only at the end of the entry (or after a read error).  Returns
 * how many there are.  Consumed bytes are dropped first; the buffer grows
 * (doubling) only when it is full of unconsumed bytes.
 */
static size_t
etcd_wal_fill(struct etcd_wal *w, uint64_t need)
{
	size_t	avail = w->buf_len - w->buf_pos, cap;
	ssize_t	r;

	if (avail >= need || w->eof)
		return avail;
	if (w->buf_pos > 0) {
		memmove(w->buf, w->buf + w->buf_pos, avail);
		w->buf_len = avail;
		w->buf_pos = 0;
	}
	while (w->buf_len < need && !w->eof) {
		if (w->buf_len == w->buf_cap) {
			cap = w->buf_cap == 0 ? ETCD_WAL_READ_STEP :
			    w->buf_cap * 2;
			if (cap < w->buf_cap)
				break;		/* cannot happen below 2^63 */
			w->buf = qs_xreallocarray(w->buf, cap, 1);
			w->buf_cap = cap;
		}
		r = qs_source_read(w->ctx->src, w->buf + w->buf_len,
		    w->buf_cap - w->buf_len);
		if (r <= 0)
			w->eof = 1;	/* src->error tells a failure */
		else
			w->buf_len += (size_t)r;
	}
	return w->buf_len - w->buf_pos;
}

/*
 * etcd's torn-write test: the frame body (record and padding, starting
 * at file offset `at`) cut at 512-byte sector boundaries of the file; a
 * piece that is all zeros means the sector never reached the disk.
 */
static int
etcd_wal_torn(uint64_t at, const unsigned char *p, size_t len)
{
	size_t	i, n;

	while (len > 0) {
		n = ETCD_WAL_SECTOR - (size_t)(at % ETCD_WAL_SECTOR);
		if (n > len)
			n = len;
		for (i = 0; i < n && p[i] == 0; i++)
			continue;
		if (i == n)
			return 1;
		p += n;
		at += n;
		len -= n;
	}
	return 0;
}

/*
 * Reports the record at w->off as damaged, with its offset as a setting
 * a rule can read (etcd.wal.corrupt_offset for corruption, torn_offset
 * for a torn or cut tail), and ends the parse.
 */
static void
etcd_wal_damage(struct etcd_wal *w, enum etcd_wal_damage how,
    const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	va_start(ap, fmt);
	msg = qs_arena_vprintf(&w->tmp, fmt, ap);
	va_end(ap);
	switch (how) {
	case WAL_CORRUPT:
		qs_parse_diag(w->ctx, QS_SEV_ERROR, 0, "%s; the rest of the "
		    "WAL is not read", msg);
		break;
	case WAL_TORN:
		qs_parse_diag(w->ctx, QS_SEV_WARNING, 0, "%s, with an all-zero "
		    "sector: a torn write, the log ends there", msg);
		break;
	case WAL_SHORT:
		qs_parse_diag(w->ctx, QS_SEV_WARNING, 0, "%s: an incomplete "
		    "write, the log ends there", msg);
		break;
	}
	etcd_wal_setting_u64(w, how == WAL_CORRUPT ? "etcd.wal.corrupt_offset" :
	    "etcd.wal.torn_offset", w->off, w->off);
	etcd_wal_damage_signal(w, how == WAL_CORRUPT ? "corrupt record" :
	    how == WAL_TORN ? "torn write" : "last record cut short", msg);
}

/*
 * A *.wal.broken file is the copy etcd's repair keeps of a last WAL
 * segment whose tail it found cut (io.ErrUnexpectedEOF) before
 * truncating the segment to its last whole record (etcd-io/etcd
 * wal/repair.go, Repair): the member crashed mid-write and was repaired
 * on its next start.  The copy is still read like a segment.
 */
static void
etcd_wal_broken(struct etcd_wal *w)
{
	const char	*name = w->ctx->artifact->logical;
	size_t		 n = name != NULL ? strlen(name) : 0;

	if (n < 11 || strcmp(name + n - 11, ".wal.broken") != 0)
		return;
	qs_emit_damage(w->ctx, 0, 1, NULL, "etcd WAL moved aside by etcd's "
	    "repair (.wal.broken): its last record was cut, and the segment "
	    "was truncated to the last whole record");
}

/*
 * The damage as a signal rules use (QS_SIG_DATA_DAMAGE): what, where,
 * and the last entry that was still good.
 */
static void
etcd_wal_damage_signal(struct etcd_wal *w, const char *what, const char *msg)
{
	struct qs_clock	clock;

	memset(&clock, 0, sizeof(clock));
	if (w->have_entry) {
		clock.set = QS_CLOCK_INDEX | QS_CLOCK_TERM;
		clock.index = w->last_index;
		clock.term = w->last_term;
	}
	qs_emit_damage(w->ctx, w->off, 0, &clock, w->have_entry ?
	    qs_arena_printf(&w->tmp, "etcd WAL %s: %s (last good entry: "
	    "index %" PRIu64 ", term %" PRIu64 ")", what, msg, w->last_index,
	    w->last_term) : qs_arena_printf(&w->tmp, "etcd WAL %s: %s", what,
	    msg));
}

static void
etcd_wal_setting(struct etcd_wal *w, const char *key, const char *value,
    uint64_t off)
{
	struct qs_evidence	ev;
	char			excerpt[256];

	snprintf(excerpt, sizeof(excerpt), "%s %s", key, value);
	ev = qs_evidence_offset(w->ctx, off, excerpt);
	qs_emit_setting(w->ctx, key, value, &ev);
}

static void
etcd_wal_setting_u64(struct etcd_wal *w, const char *key, uint64_t v,
    uint64_t off)
{
	char	buf[24];

	snprintf(buf, sizeof(buf), "%" PRIu64, v);
	etcd_wal_setting(w, key, buf, off);
}

/* An identity, once per (kind, subject, value) in this WAL. */
static void
etcd_wal_ident(struct etcd_wal *w, enum qs_ident kind, const char *value,
    const char *role, const char *subject, const struct qs_evidence *ev)
{
	const char	*key;

	if (value == NULL || *value == '\0')
		return;
	key = qs_arena_printf(&w->tmp, "%d\037%s\037%s\037%s", (int)kind,
	    role != NULL ? role : "", subject != NULL ? subject : "", value);
	if (qs_map_get(&w->seen, key) != NULL)
		return;
	qs_map_put(&w->seen, &w->tmp, key, w);
	if (etcd_wal_budget(w, 1) != 0)
		return;
	qs_emit_identity(w->ctx, kind, value, role, subject, ev);
}

/*
 * Parses the WAL in w->ctx->src frame by frame, streaming: only the
 * read-ahead buffer (1 MiB, more only for a larger record) is in memory,
 * and records are decoded where they lie in it, with no copy and no
 * allocation per record.  Returns 0 (damage is reported through
 * diagnostics; what came before it is kept).
 */
int
qs_parse_etcd_wal(struct qs_parse_ctx *ctx)
{
	struct etcd_wal		 w;
	const unsigned char	*hdr;
	uint64_t		 lenfield, n, pad, total;
	size_t			 avail, got;

	memset(&w, 0, sizeof(w));
	w.ctx = ctx;
	etcd_wal_broken(&w);
	for (;;) {
		if (w.stopped)
			break;
		avail = etcd_wal_fill(&w, 8);
		hdr = w.buf + w.buf_pos;
		if (avail == 0) {
			if (ctx->src->error)
				qs_parse_diag(ctx, QS_SEV_ERROR, 0, "reading "
				    "failed at offset %" PRIu64, w.off);
			break;		/* the file ends on a frame boundary */
		}
		if (avail < 8) {
			size_t	i;

			for (i = 0; i < avail && hdr[i] == 0; i++)
				continue;
			if (i < avail)
				qs_parse_diag(ctx, QS_SEV_WARNING, 0, "length "
				    "field at offset %" PRIu64 " cut short "
				    "(%zu of 8 bytes): the file ends there",
				    w.off, avail);
			break;
		}
		lenfield = qs_pb_le64(hdr);
		if (lenfield == 0) {
			w.buf_pos += 8;
			etcd_wal_tail(&w);
			break;
		}
		n = lenfield & 0x00ffffffffffffffULL;
		pad = (lenfield & 0x8000000000000000ULL) ?
		    (lenfield >> 56) & 0x7 : 0;
		if (n == 0 || n > ETCD_WAL_RECORD_MAX) {
			etcd_wal_damage(&w, WAL_CORRUPT, "record length %" PRIu64
			    " at offset %" PRIu64 " %s", n, w.off, n == 0 ?
			    "is zero" : "exceeds the 64 MiB record limit");
			break;
		}
		total = n + pad;
		avail = etcd_wal_fill(&w, 8 + total);
		if (avail < 8 + total) {
			got = avail - 8;
			if (ctx->src->error)
				qs_parse_diag(ctx, QS_SEV_ERROR, 0, "reading "
				    "failed inside the record at offset %" PRIu64,
				    w.off);
			else if (ctx->src->truncated)
				qs_parse_diag(ctx, QS_SEV_WARNING, 0, "record at "
				    "offset %" PRIu64 " cut by max-entry-size "
				    "after %zu of %" PRIu64 " bytes", w.off,
				    got, total);
			else
				etcd_wal_damage(&w, WAL_SHORT, "record at "
				    "offset %" PRIu64 " is cut short: the file "
				    "ends after %zu of its %" PRIu64 " bytes",
				    w.off, got, total);
			break;
		}
		w.body = (size_t)total;
		if (etcd_wal_record(&w, w.buf + w.buf_pos + 8, (size_t)n) != 0)
			break;
		w.buf_pos += 8 + (size_t)total;
		w.off += 8 + total;
	}
	etcd_wal_finish(&w);
	free(w.buf);
	qs_vec_free(&w.ops);
	qs_map_free(&w.seen);
	qs_arena_free(&w.tmp);
	return 0;
}

/*
 * After a zero length field: etcd stops reading there.  Anything but
 * zeros after it is data etcd will never see again (a zeroed block in the
 * middle of a log, or a torn length), worth a warning.
 */
static void
etcd_wal_tail(struct etcd_wal *w)
{
	static const unsigned char	 zero[ETCD_WAL_TAIL_CHUNK];
	const unsigned char		*p = w->buf + w->buf_pos;
	uint64_t			 at = w->off + 8;
	size_t				 len = w->buf_len - w->buf_pos, i, k;
	ssize_t				 r;

	for (;;) {
		/* memcmp against zeros first: the tail is megabytes. */
		for (i = 0; i < len; i += k) {
			k = len - i < sizeof(zero) ? len - i : sizeof(zero);
			if (memcmp(p + i, zero, k) == 0)
				continue;
			while (p[i] == 0)
				i++;
			qs_parse_diag(w->ctx, QS_SEV_WARNING, 0, "the log ends "
			    "at offset %" PRIu64 " (a zero length) but "
			    "non-zero bytes follow at offset %" PRIu64 "; "
			    "etcd ignores them", w->off, at + i);
			return;
		}
		at += len;
		if (w->eof || (r = qs_source_read(w->ctx->src, w->buf,
		    w->buf_cap)) <= 0)
			return;
		p = w->buf;
		len = (size_t)r;
	}
}

/*
 * One walpb.Record of n bytes.  Returns 0 to read on, -1 to stop
 * (damage, or the observation cap).
 */
static int
etcd_wal_record(struct etcd_wal *w, const unsigned char *p, size_t n)
{
	struct qs_pb		pb;
	struct qs_pb_field	f;
	uint64_t		type = 0, crc = 0;
	const unsigned char	*data = NULL;
	size_t			 dlen = 0;
	int			 r, have_crc = 0;
	uint32_t		 sum;

	qs_pb_init(&pb, p, n);
	while ((r = qs_pb_next(&pb, &f)) == 1) {
		if (f.num == 1 && f.wire == 0)
			type = f.u;
		else if (f.num == 2 && f.wire == 0) {
			crc = f.u;
			have_crc = 1;
		} else if (f.num == 3 && f.wire == 2) {
			data = f.data;
			dlen = f.len;
		}
	}
	if (r < 0 || crc > UINT32_MAX) {
		etcd_wal_damage(w, etcd_wal_torn(w->off + 8, p, w->body) ?
		    WAL_TORN : WAL_CORRUPT, "record at offset %" PRIu64
		    " does not decode", w->off);
		return -1;
	}
	if (type == WAL_REC_CRC) {
		/* The chain restarts here; 0 means "start of the chain". */
		if (w->crc != 0 && (uint32_t)crc != w->crc) {
			etcd_wal_damage(w, WAL_CORRUPT, "CRC mismatch at "
			    "offset %" PRIu64 " (crc record): stored 0x%08" PRIx32 ", running "
			    "0x%08" PRIx32, w->off, (uint32_t)crc, w->crc);
			return -1;
		}
		w->crc = (uint32_t)crc;
		return 0;
	}
	sum = qs_crc32c(w->crc, data, dlen);
	if (!have_crc || sum != (uint32_t)crc) {
		int	torn = etcd_wal_torn(w->off + 8, p, w->body);

		etcd_wal_damage(w, torn ? WAL_TORN : WAL_CORRUPT, "CRC mismatch at offset %" PRIu64
		    " (record type %" PRIu64 "): stored 0x%08" PRIx32
		    ", computed 0x%08" PRIx32, w->off, type, (uint32_t)crc,
		    sum);
		return -1;
	}
	w->crc = sum;
	switch (type) {
	case WAL_REC_METADATA:
		etcd_wal_metadata(w, data, dlen);
		break;
	case WAL_REC_ENTRY:
		etcd_wal_entry(w, data, dlen);
		break;
	case WAL_REC_STATE:
		etcd_wal_state(w, data, dlen);
		break;
	case WAL_REC_SNAPSHOT:
		etcd_wal_snapshot(w, data, dlen);
		break;
	default:
		qs_parse_diag(w->ctx, QS_SEV_WARNING, 0, "record at offset %"
		    PRIu64 " has unknown type %" PRIu64 "; skipped", w->off,
		    type);
		break;
	}
	return w->stopped ? -1 : 0;
}

/* etcdserverpb.Metadata: who wrote this WAL, in which cluster. */
static void
etcd_wal_metadata(struct etcd_wal *w, const unsigned char *p, size_t n)
{
	struct qs_pb		pb;
	struct qs_pb_field	f;
	struct qs_evidence	ev;
	uint64_t		node = 0, cluster = 0;
	char			hn[17], hc[17], *ex;
	int			r;

	qs_pb_init(&pb, p, n);
	while ((r = qs_pb_next(&pb, &f)) == 1) {
		if (f.num == 1 && f.wire == 0)
			node = f.u;
		else if (f.num == 2 && f.wire == 0)
			cluster = f.u;
	}
	if (r < 0) {
		qs_parse_diag(w->ctx, QS_SEV_WARNING, 0, "metadata at offset %"
		    PRIu64 " does not decode", w->off);
		return;
	}
	qs_etcd_id_hex(node, hn, sizeof(hn));
	qs_etcd_id_hex(cluster, hc, sizeof(hc));
	if (w->have_meta) {
		if ((node != w->node_id || cluster != w->cluster_id) &&
		    w->meta_conflicts++ < ETCD_WAL_MAX_NOTES)
			qs_parse_diag(w->ctx, QS_SEV_WARNING, 0, "metadata at "
			    "offset %" PRIu64 " (member %s, cluster %s) "
			    "differs from the first: files of different "
			    "members are mixed", w->off, hn, hc);
		return;
	}
	w->have_meta = 1;
	w->node_id = node;
	w->cluster_id = cluster;
	if (etcd_wal_budget(w, 3) != 0)
		return;
	ex = qs_arena_printf(&w->tmp, "metadata: member %s cluster %s", hn,
	    hc);
	ev = qs_evidence_offset(w->ctx, w->off, ex);
	qs_emit_identity(w->ctx, QS_ID_MEMBER_ID, hn, NULL, NULL, &ev);
	qs_emit_setting(w->ctx, "etcd.member_id", hn, &ev);
	qs_emit_setting(w->ctx, "etcd.cluster_id", hc, &ev);
}

/* raftpb.HardState: only the last one matters. */
static void
etcd_wal_state(struct etcd_wal *w, const unsigned char *p, size_t n)
{
	struct qs_pb		pb;
	struct qs_pb_field	f;
	uint64_t		term = 0, vote = 0, commit = 0;
	int			r;

	qs_pb_init(&pb, p, n);
	while ((r = qs_pb_next(&pb, &f)) == 1) {
		if (f.wire != 0)
			continue;
		if (f.num == 1)
			term = f.u;
		else if (f.num == 2)
			vote = f.u;
		else if (f.num == 3)
			commit = f.u;
	}
	if (r < 0) {
		qs_parse_diag(w->ctx, QS_SEV_WARNING, 0, "HardState at offset "
		    "%" PRIu64 " does not decode", w->off);
		return;
	}
	w->have_hs = 1;
	w->hs_term = term;
	w->hs_vote = vote;
	w->hs_commit = commit;
	w->hs_off = w->off;
}

static void
etcd_wal_ids_add(void *arg, uint64_t v)
{
	struct etcd_wal_ids	*ids = arg;

	if (ids->n >= ETCD_WAL_MAX_OPS)
		return;
	if (ids->n == ids->cap) {
		ids->cap = ids->cap == 0 ? 8 : ids->cap * 2;
		ids->v = qs_xreallocarray(ids->v, ids->cap, sizeof(*ids->v));
	}
	ids->v[ids->n++] = v;
}

/*
 * walpb.Snapshot: the index and term a snapshot was taken at, and (3.5+)
 * the ConfState then, which seeds the membership replay.
 */
static void
etcd_wal_snapshot(struct etcd_wal *w, const unsigned char *p, size_t n)
{
	struct qs_pb		pb, cs;
	struct qs_pb_field	f, g;
	uint64_t		index = 0, term = 0;
	struct etcd_wal_ids	voters = { NULL, 0, 0 }, learners = { NULL, 0,
				    0 };
	int			r, have_cs = 0, bad = 0;

	qs_pb_init(&pb, p, n);
	while ((r = qs_pb_next(&pb, &f)) == 1) {
		if (f.num == 1 && f.wire == 0)
			index = f.u;
		else if (f.num == 2 && f.wire == 0)
			term = f.u;
		else if (f.num == 3 && f.wire == 2) {
			have_cs = 1;
			qs_pb_init(&cs, f.data, f.len);
			while (qs_pb_next(&cs, &g) == 1) {
				/* voters_outgoing (3) vote too, in joint. */
				if (g.num == 1 || g.num == 3) {
					if (qs_pb_repeated_varint(&g,
					    etcd_wal_ids_add, &voters) < 0)
						bad = 1;
				} else if (g.num == 2 || g.num == 4) {
					if (qs_pb_repeated_varint(&g,
					    etcd_wal_ids_add, &learners) < 0)
						bad = 1;
				}
			}
			if (cs.error)
				bad = 1;
		}
	}
	if (r < 0 || bad) {
		qs_parse_diag(w->ctx, QS_SEV_WARNING, 0, "snapshot record at "
		    "offset %" PRIu64 " does not decode", w->off);
		free(voters.v);
		free(learners.v);
		return;
	}
	w->have_snap = 1;
	w->snap_index = index;
	w->snap_term = term;
	w->snap_off = w->off;
	/* The newest ConfState wins; raft snapshots only move forward. */
	if (!have_cs || (w->have_base && index < w->base_index)) {
		free(voters.v);
		free(learners.v);
		return;
	}
	free(w->base_voters.v);
	free(w->base_learners.v);
	w->base_voters = voters;
	w->base_learners = learners;
	w->have_base = 1;
	w->base_index = index;
	w->base_term = term;
	w->base_off = w->off;
}

/* A new membership operation at the current record, or NULL when full. */
static struct etcd_wal_op *
etcd_wal_op_new(struct etcd_wal *w, enum etcd_wal_opkind kind,
    const char *what, uint64_t term, uint64_t index)
{
	struct etcd_wal_op	*op;

	if (w->ops.n >= ETCD_WAL_MAX_OPS) {
		if (!w->ops_full)
			qs_parse_diag(w->ctx, QS_SEV_WARNING, 0, "more than %d "
			    "membership changes; from offset %" PRIu64
			    " they are ignored", ETCD_WAL_MAX_OPS, w->off);
		w->ops_full = 1;
		return NULL;
	}
	op = qs_arena_alloc(&w->tmp, sizeof(*op));
	memset(op, 0, sizeof(*op));
	op->kind = kind;
	op->what = what;
	op->term = term;
	op->index = index;
	op->offset = w->off;
	qs_vec_push(&w->ops, op);
	return op;
}

/* raftpb.Entry. */
static void
etcd_wal_entry(struct etcd_wal *w, const unsigned char *p, size_t n)
{
	struct qs_pb		pb;
	struct qs_pb_field	f;
	uint64_t		type = 0, term = 0, index = 0;
	const unsigned char	*data = NULL;
	size_t			 dlen = 0;
	int			 r;

	qs_pb_init(&pb, p, n);
	while ((r = qs_pb_next(&pb, &f)) == 1) {
		if (f.num == 1 && f.wire == 0)
			type = f.u;
		else if (f.num == 2 && f.wire == 0)
			term = f.u;
		else if (f.num == 3 && f.wire == 0)
			index = f.u;
		else if (f.num == 4 && f.wire == 2) {
			data = f.data;
			dlen = f.len;
		}
	}
	if (r < 0) {
		qs_parse_diag(w->ctx, QS_SEV_WARNING, 0, "entry at offset %"
		    PRIu64 " does not decode; skipped", w->off);
		return;
	}
	if (w->have_entry && index <= w->last_index)
		etcd_wal_truncate(w, index, term);
	else if (w->have_entry && index > w->last_index + 1 &&
	    w->gaps++ < ETCD_WAL_MAX_NOTES)
		qs_parse_diag(w->ctx, QS_SEV_WARNING, 0, "entry %" PRIu64
		    " at offset %" PRIu64 " follows entry %" PRIu64 ": "
		    "entries are missing", index, w->off, w->last_index);
	if (!w->have_entry) {
		w->first_index = index;
		w->first_off = w->off;
	}
	etcd_wal_fp_note(w, type, term, index, data, dlen);
	w->have_entry = 1;
	w->last_index = index;
	w->last_term = term;
	w->last_off = w->off;
	if (term > w->max_term) {
		struct qs_evidence	 ev;
		struct qs_event		*e;
		char			*ex;

		w->max_term = term;
		if (etcd_wal_budget(w, 1) != 0)
			return;
		ex = qs_arena_printf(&w->tmp, "entry %" PRIu64 " term %"
		    PRIu64 ": first entry of the term", index, term);
		ev = qs_evidence_offset(w->ctx, w->off, ex);
		e = qs_emit_event(w->ctx, QS_EV_TERM_CHANGE, NULL, &ev);
		e->clock.set = QS_CLOCK_TERM | QS_CLOCK_INDEX;
		e->clock.term = term;
		e->clock.index = index;
		e->detail = qs_pstrdup(w->ctx, ex);
	}
	switch (type) {
	case 0:
		etcd_wal_normal(w, term, index, data, dlen);
		break;
	case 1:
		etcd_wal_confchange(w, term, index, data, dlen);
		break;
	case 2:
		etcd_wal_confchange_v2(w, term, index, data, dlen);
		break;
	default:
		break;
	}
}

/*
 * The fingerprint rings.  An entry at or below the last index first drops
 * what it overwrites (the newest items), so the rings always describe
 * the log that survives.
 */
static void
etcd_wal_fp_note(struct etcd_wal *w, uint64_t type, uint64_t term,
    uint64_t index, const unsigned char *data, size_t dlen)
{
	struct etcd_wal_fp	*fp;
	uint32_t		 h;

	while (w->tail_n > 0 && w->tail[(w->tail_head + w->tail_n - 1) %
	    ETCD_WAL_TAIL].index >= index)
		w->tail_n--;
	while (w->terms_n > 0 && w->terms[(w->terms_head + w->terms_n - 1) %
	    ETCD_WAL_TERMS].index >= index)
		w->terms_n--;
	/* The type and length seed the CRC: cheaper than hashing them. */
	h = (uint32_t)(type * 0x9e3779b1U) ^ (uint32_t)dlen ^
	    (uint32_t)((uint64_t)dlen >> 32);
	if (data != NULL)
		h = qs_crc32c(h, data, dlen < ETCD_WAL_FP_BYTES ? dlen :
		    ETCD_WAL_FP_BYTES);
	if (w->tail_n == ETCD_WAL_TAIL) {
		w->tail_head = (w->tail_head + 1) % ETCD_WAL_TAIL;
		w->tail_n--;
	}
	fp = &w->tail[(w->tail_head + w->tail_n++) % ETCD_WAL_TAIL];
	fp->index = index;
	fp->term = term;
	fp->hash = h;
	if (w->terms_n > 0 && w->terms[(w->terms_head + w->terms_n - 1) %
	    ETCD_WAL_TERMS].term == term)
		return;
	if (w->terms_n == ETCD_WAL_TERMS) {
		w->terms_head = (w->terms_head + 1) % ETCD_WAL_TERMS;
		w->terms_n--;
	}
	fp = &w->terms[(w->terms_head + w->terms_n++) % ETCD_WAL_TERMS];
	fp->index = index;
	fp->term = term;
	fp->hash = 0;
}

/* etcd.wal.tail and etcd.wal.terms, at the last entry's offset. */
static void
etcd_wal_fp_settings(struct etcd_wal *w)
{
	char			 buf[ETCD_WAL_TAIL * 64], *p;
	const struct etcd_wal_fp *fp;
	size_t			 i, left;
	int			 k;

	p = buf;
	left = sizeof(buf);
	buf[0] = '\0';
	for (i = 0; i < w->tail_n; i++) {
		fp = &w->tail[(w->tail_head + i) % ETCD_WAL_TAIL];
		k = snprintf(p, left, "%s%" PRIu64 ":%" PRIu64 ":%08" PRIx32,
		    i > 0 ? "," : "", fp->index, fp->term, fp->hash);
		if (k < 0 || (size_t)k >= left)
			break;
		p += k;
		left -= (size_t)k;
	}
	if (w->tail_n > 0)
		etcd_wal_setting(w, "etcd.wal.tail", buf, w->last_off);
	p = buf;
	left = sizeof(buf);
	buf[0] = '\0';
	for (i = 0; i < w->terms_n; i++) {
		fp = &w->terms[(w->terms_head + i) % ETCD_WAL_TERMS];
		k = snprintf(p, left, "%s%" PRIu64 ":%" PRIu64, i > 0 ? "," :
		    "", fp->index, fp->term);
		if (k < 0 || (size_t)k >= left)
			break;
		p += k;
		left -= (size_t)k;
	}
	if (w->terms_n > 0)
		etcd_wal_setting(w, "etcd.wal.terms", buf, w->last_off);
}

/*
 * An entry at `index` overwrites the log from there: membership changes
 * at that index or later never happened.
 */
static void
etcd_wal_truncate(struct etcd_wal *w, uint64_t index, uint64_t term)
{
	size_t	n = w->ops.n, dropped;

	/* Operations are kept in index order: the dropped ones are last. */
	while (w->ops.n > 0 &&
	    ((struct etcd_wal_op *)w->ops.v[w->ops.n - 1])->index >= index)
		w->ops.n--;
	dropped = n - w->ops.n;
	if (w->truncations++ < ETCD_WAL_MAX_NOTES)
		qs_parse_diag(w->ctx, QS_SEV_INFO, 0, "entry %" PRIu64 " term %"
		    PRIu64 " at offset %" PRIu64 " overwrites entries %"
		    PRIu64 "-%" PRIu64 " (term %" PRIu64 "); %zu membership "
		    "change%s discarded", index, term, w->off, index,
		    w->last_index, w->last_term, dropped,
		    dropped == 1 ? "" : "s");
}

static const char *
etcd_wal_cc_name(uint64_t type)
{
	switch (type) {
	case 0:
		return "AddNode";
	case 1:
		return "RemoveNode";
	case 2:
		return "UpdateNode";
	case 3:
		return "AddLearnerNode";
	}
	return NULL;
}

/* Fills op from a change of `type` on `node` with an optional context. */
static void
etcd_wal_cc_op(struct etcd_wal *w, uint64_t term, uint64_t index,
    const char *prefix, uint64_t type, uint64_t node,
    const unsigned char *ctx, size_t clen)
{
	struct etcd_wal_op	*op;
	struct qs_etcd_member	 m;
	enum etcd_wal_opkind	 kind;
	const char		*name = etcd_wal_cc_name(type);
	char			 hex[17];

	if (name == NULL) {
		qs_parse_diag(w->ctx, QS_SEV_WARNING, 0, "%s at offset %"
		    PRIu64 " has unknown type %" PRIu64 "; skipped", prefix,
		    w->off, type);
		return;
	}
	/* raft applies a change of node 0 as a no-op. */
	if (node == 0)
		return;
	memset(&m, 0, sizeof(m));
	if (clen > 0 && type != 1 && qs_etcd_member_json(&w->tmp,
	    (const char *)ctx, clen, &m) != 0) {
		qs_parse_diag(w->ctx, QS_SEV_WARNING, 0, "%s %s at offset %"
		    PRIu64 ": the context is not member JSON", prefix, name,
		    w->off);
		memset(&m, 0, sizeof(m));
	}
	if (m.has_id && m.id != node)
		qs_parse_diag(w->ctx, QS_SEV_WARNING, 0, "%s %s at offset %"
		    PRIu64 ": NodeID %s but the context names %" PRIx64,
		    prefix, name, w->off, qs_etcd_id_hex(node, hex,
		    sizeof(hex)), m.id);
	m.id = node;
	m.has_id = 1;
	switch (type) {
	case 0:
		kind = m.is_promote ? WAL_OP_PROMOTE : WAL_OP_ADD;
		break;
	case 1:
		kind = WAL_OP_REMOVE;
		break;
	case 2:
		kind = WAL_OP_UPDATE;
		break;
	default:
		kind = WAL_OP_ADD_LEARNER;
		break;
	}
	op = etcd_wal_op_new(w, kind, qs_arena_printf(&w->tmp, "%s %s",
	    prefix, name), term, index);
	if (op != NULL)
		op->m = m;
}

/* raftpb.ConfChange {1 ID, 2 Type, 3 NodeID, 4 Context}. */
static void
etcd_wal_confchange(struct etcd_wal *w, uint64_t term, uint64_t index,
    const unsigned char *p, size_t n)
{
	struct qs_pb		pb;
	struct qs_pb_field	f;
	uint64_t		type = 0, node = 0;
	const unsigned char	*ctx = NULL;
	size_t			 clen = 0;
	int			 r;

	qs_pb_init(&pb, p, n);
	while ((r = qs_pb_next(&pb, &f)) == 1) {
		if (f.num == 2 && f.wire == 0)
			type = f.u;
		else if (f.num == 3 && f.wire == 0)
			node = f.u;
		else if (f.num == 4 && f.wire == 2) {
			ctx = f.data;
			clen = f.len;
		}
	}
	if (r < 0) {
		qs_parse_diag(w->ctx, QS_SEV_WARNING, 0, "ConfChange at offset "
		    "%" PRIu64 " does not decode; skipped", w->off);
		return;
	}
	etcd_wal_cc_op(w, term, index, "ConfChange", type, node, ctx, clen);
}

/*
 * raftpb.ConfChangeV2 {1 transition, 2 changes {1 type, 2 node_id},
 * 3 context}: each change applied in turn (joint consensus is not
 * modelled: the replay jumps to the final configuration); the context is
 * read as member JSON when there is a single change.
 */
static void
etcd_wal_confchange_v2(struct etcd_wal *w, uint64_t term, uint64_t index,
    const unsigned char *p, size_t n)
{
	struct qs_pb		pb, cp;
	struct qs_pb_field	f, g;
	const unsigned char	*ctx = NULL;
	size_t			 clen = 0, nchanges = 0;
	int			 r;

	/* First pass: the context and how many changes. */
	qs_pb_init(&pb, p, n);
	while ((r = qs_pb_next(&pb, &f)) == 1) {
		if (f.num == 2 && f.wire == 2)
			nchanges++;
		else if (f.num == 3 && f.wire == 2) {
			ctx = f.data;
			clen = f.len;
		}
	}
	if (r < 0) {
		qs_parse_diag(w->ctx, QS_SEV_WARNING, 0, "ConfChangeV2 at "
		    "offset %" PRIu64 " does not decode; skipped", w->off);
		return;
	}
	qs_pb_init(&pb, p, n);
	while (qs_pb_next(&pb, &f) == 1) {
		uint64_t	type = 0, node = 0;

		if (f.num != 2 || f.wire != 2)
			continue;
		qs_pb_init(&cp, f.data, f.len);
		while (qs_pb_next(&cp, &g) == 1) {
			if (g.num == 1 && g.wire == 0)
				type = g.u;
			else if (g.num == 2 && g.wire == 0)
				node = g.u;
		}
		if (cp.error) {
			qs_parse_diag(w->ctx, QS_SEV_WARNING, 0, "ConfChangeV2 "
			    "at offset %" PRIu64 ": a change does not decode",
			    w->off);
			continue;
		}
		etcd_wal_cc_op(w, term, index, "ConfChangeV2", type, node,
		    nchanges == 1 ? ctx : NULL, nchanges == 1 ? clen : 0);
		if (w->ops_full)
			break;
	}
}

/*
 * A normal entry: only member attribute publishes matter (they give a
 * member its name and client URLs).  etcd 3.4 proposes v2 requests raw
 * (etcdserverpb.Request) and v3 ones as InternalRaftRequest; 3.5 adds
 * ClusterMemberAttrSetRequest (field 1301) and wraps v2 requests in
 * field 2.  Anything else is application data.
 */
static void
etcd_wal_normal(struct etcd_wal *w, uint64_t term, uint64_t index,
    const unsigned char *p, size_t n)
{
	struct qs_pb		pb;
	struct qs_pb_field	f;

	if (n == 0 || etcd_wal_v2_publish(w, term, index, p, n) ||
	    etcd_wal_v3_publish(w, term, index, p, n))
		return;
	qs_pb_init(&pb, p, n);
	while (qs_pb_next(&pb, &f) == 1)
		if (f.num == 2 && f.wire == 2) {
			etcd_wal_v2_publish(w, term, index, f.data, f.len);
			return;
		}
}

/*
 * etcdserverpb.Request {2 Method, 3 Path, 4 Val}: PUT
 * /0/members/<hex>/attributes with {"name","clientURLs"}.  Returns 1 when
 * the bytes are a v2 request (publish or not), 0 otherwise.
 */
static int
etcd_wal_v2_publish(struct etcd_wal *w, uint64_t term, uint64_t index,
    const unsigned char *p, size_t n)
{
	static const char	 prefix[] = "/0/members/";
	static const char	 suffix[] = "/attributes";
	struct qs_pb		 pb;
	struct qs_pb_field	 f;
	const unsigned char	*method = NULL, *path = NULL, *val = NULL;
	size_t			 mlen = 0, plen = 0, vlen = 0, i, hl;
	uint64_t		 id;
	struct qs_etcd_member	 m;
	struct etcd_wal_op	*op;

	qs_pb_init(&pb, p, n);
	while (qs_pb_next(&pb, &f) == 1) {
		if (f.wire != 2)
			continue;
		if (f.num == 2) {
			method = f.data;
			mlen = f.len;
		} else if (f.num == 3) {
			path = f.data;
			plen = f.len;
		} else if (f.num == 4) {
			val = f.data;
			vlen = f.len;
		}
	}
	if (pb.error || method == NULL || mlen == 0 || mlen > 16 ||
	    path == NULL || plen == 0 || path[0] != '/')
		return 0;
	for (i = 0; i < mlen; i++)
		if (method[i] < 'A' || method[i] > 'Z')
			return 0;
	if (mlen != 3 || memcmp(method, "PUT", 3) != 0)
		return 1;
	if (plen <= sizeof(prefix) - 1 + sizeof(suffix) - 1 ||
	    memcmp(path, prefix, sizeof(prefix) - 1) != 0 ||
	    memcmp(path + plen - (sizeof(suffix) - 1), suffix,
	    sizeof(suffix) - 1) != 0)
		return 1;
	hl = plen - (sizeof(prefix) - 1) - (sizeof(suffix) - 1);
	if (qs_parse_hex_u64((const char *)path + sizeof(prefix) - 1, hl,
	    &id) != 0)
		return 1;
	if (val == NULL || qs_etcd_member_json(&w->tmp, (const char *)val,
	    vlen, &m) != 0) {
		qs_parse_diag(w->ctx, QS_SEV_WARNING, 0, "member attributes at "
		    "offset %" PRIu64 " are not JSON", w->off);
		return 1;
	}
	m.id = id;
	m.has_id = 1;
	if ((op = etcd_wal_op_new(w, WAL_OP_PUBLISH, "publish attributes",
	    term, index)) != NULL)
		op->m = m;
	return 1;
}

/*
 * InternalRaftRequest field 1301, ClusterMemberAttrSetRequest {1
 * member_ID, 2 member_attributes {1 name, 2 client_urls}} (3.5+).
 * Returns 1 when found.
 */
static int
etcd_wal_v3_publish(struct etcd_wal *w, uint64_t term, uint64_t index,
    const unsigned char *p, size_t n)
{
	struct qs_pb		 pb, rq, at;
	struct qs_pb_field	 f, g, h;
	struct qs_etcd_member	 m;
	struct etcd_wal_op	*op;

	qs_pb_init(&pb, p, n);
	while (qs_pb_next(&pb, &f) == 1) {
		if (f.num != 1301 || f.wire != 2)
			continue;
		memset(&m, 0, sizeof(m));
		qs_pb_init(&rq, f.data, f.len);
		while (qs_pb_next(&rq, &g) == 1) {
			if (g.num == 1 && g.wire == 0) {
				m.id = g.u;
				m.has_id = 1;
			} else if (g.num == 2 && g.wire == 2) {
				qs_pb_init(&at, g.data, g.len);
				while (qs_pb_next(&at, &h) == 1) {
					if (h.wire != 2)
						continue;
					if (h.num == 1 && h.len > 0)
						m.name = qs_arena_strndup(
						    &w->tmp, (const char *)
						    h.data, h.len);
					else if (h.num == 2 && h.len > 0 &&
					    m.nclient < QS_ETCD_MAX_URLS)
						m.client[m.nclient++] =
						    qs_arena_strndup(&w->tmp,
						    (const char *)h.data,
						    h.len);
				}
			}
		}
		if (!m.has_id)
			return 0;
		if ((op = etcd_wal_op_new(w, WAL_OP_PUBLISH,
		    "publish attributes", term, index)) != NULL)
			op->m = m;
		return 1;
	}
	return 0;
}

/* The replay's member for id, created (absent) on first sight. */
static struct etcd_wal_member *
etcd_wal_member(struct etcd_wal *w, struct qs_map *map, struct qs_vec *vec,
    uint64_t id)
{
	struct etcd_wal_member	*mb;
	char			 hex[17];

	qs_etcd_id_hex(id, hex, sizeof(hex));
	if ((mb = qs_map_get(map, hex)) != NULL)
		return mb;
	mb = qs_arena_alloc(&w->tmp, sizeof(*mb));
	memset(mb, 0, sizeof(*mb));
	mb->id = id;
	memcpy(mb->hex, hex, sizeof(hex));
	qs_map_put(map, &w->tmp, mb->hex, mb);
	qs_vec_push(vec, mb);
	return mb;
}

/* The event and identities of one surviving membership operation. */
static void
etcd_wal_op_event(struct etcd_wal *w, const struct etcd_wal_op *op)
{
	struct qs_evidence	 ev;
	struct qs_event		*e;
	enum qs_event_kind	 kind;
	const char		*peers, *detail, *ex;
	char			 hex[17];
	size_t			 i;

	qs_etcd_id_hex(op->m.id, hex, sizeof(hex));
	peers = qs_etcd_urls_join(&w->tmp, op->m.peer, op->m.npeer);
	ex = qs_arena_printf(&w->tmp, "entry %" PRIu64 " term %" PRIu64
	    ": %s %s", op->index, op->term, op->what, hex);
	ev = qs_evidence_offset(w->ctx, op->offset, ex);
	switch (op->kind) {
	case WAL_OP_ADD:
	case WAL_OP_ADD_LEARNER:
	case WAL_OP_PROMOTE:
		kind = QS_EV_MEMBER_ADD;
		break;
	case WAL_OP_REMOVE:
		kind = QS_EV_MEMBER_REMOVE;
		break;
	case WAL_OP_UPDATE:
		kind = QS_EV_UPDATE;
		break;
	default:
		kind = QS_EV_COUNT;	/* no event: identities only */
		break;
	}
	if (kind != QS_EV_COUNT && etcd_wal_budget(w, 1) == 0) {
		detail = op->what;
		if (op->kind == WAL_OP_PROMOTE)
			detail = qs_arena_printf(&w->tmp, "%s (promote "
			    "learner)", detail);
		if (op->m.name != NULL)
			detail = qs_arena_printf(&w->tmp, "%s name=%s", detail,
			    op->m.name);
		if (peers != NULL)
			detail = qs_arena_printf(&w->tmp, "%s peerURLs=%s",
			    detail, peers);
		e = qs_emit_event(w->ctx, kind, hex, &ev);
		e->clock.set = QS_CLOCK_TERM | QS_CLOCK_INDEX;
		e->clock.term = op->term;
		e->clock.index = op->index;
		e->detail = qs_pstrdup(w->ctx, detail);
	}
	etcd_wal_ident(w, QS_ID_NAME, op->m.name, NULL, hex, &ev);
	for (i = 0; i < op->m.npeer; i++)
		etcd_wal_ident(w, QS_ID_ADDRESS, op->m.peer[i], "peer", hex,
		    &ev);
	for (i = 0; i < op->m.nclient; i++)
		etcd_wal_ident(w, QS_ID_ADDRESS, op->m.client[i], "client", hex,
		    &ev);
}

/*
 * End of the log: the settings that hold the last state, the events of
 * the membership changes that survived, and the membership they build.
 */
static void
etcd_wal_finish(struct etcd_wal *w)
{
	struct qs_map			 map = { NULL, 0, 0 };
	struct qs_vec			 members = { NULL, 0, 0 };
	const struct etcd_wal_op	*last = NULL;
	struct qs_evidence		 ev;
	struct qs_view			*v;
	char				 hex[17];
	size_t				 i;
	int				 complete, based = 0;
	uint64_t			 last_term = 0, last_index = 0;
	uint64_t			 last_off = 0;

	if (w->have_hs) {
		etcd_wal_setting_u64(w, "etcd.hardstate.term", w->hs_term,
		    w->hs_off);
		etcd_wal_setting(w, "etcd.hardstate.vote", qs_etcd_id_hex(
		    w->hs_vote, hex, sizeof(hex)), w->hs_off);
		etcd_wal_setting_u64(w, "etcd.hardstate.commit", w->hs_commit,
		    w->hs_off);
	}
	if (w->have_snap) {
		etcd_wal_setting_u64(w, "etcd.wal.snapshot_index",
		    w->snap_index, w->snap_off);
		etcd_wal_setting_u64(w, "etcd.wal.snapshot_term", w->snap_term,
		    w->snap_off);
	}
	if (w->have_entry) {
		etcd_wal_setting_u64(w, "etcd.wal.first_index", w->first_index,
		    w->first_off);
		etcd_wal_setting_u64(w, "etcd.wal.last_index", w->last_index,
		    w->last_off);
		etcd_wal_setting_u64(w, "etcd.wal.last_term", w->last_term,
		    w->last_off);
		etcd_wal_fp_settings(w);
	}
	if (w->truncations > 0)
		etcd_wal_setting_u64(w, "etcd.wal.truncations", w->truncations,
		    w->last_off);
	if (w->truncations > ETCD_WAL_MAX_NOTES)
		qs_parse_diag(w->ctx, QS_SEV_INFO, 0, "%" PRIu64 " more "
		    "overwritten stretches not listed",
		    w->truncations - ETCD_WAL_MAX_NOTES);

	/* Replay, the snapshot's ConfState in its place. */
	for (i = 0; i < w->ops.n; i++) {
		const struct etcd_wal_op	*op = w->ops.v[i];
		struct etcd_wal_member		*mb;

		if (!based && w->have_base && op->index > w->base_index) {
			etcd_wal_base(w, &map, &members);
			based = 1;
			last = NULL;
		}
		etcd_wal_op_event(w, op);
		mb = etcd_wal_member(w, &map, &members, op->m.id);
		if (op->m.name != NULL)
			mb->name = op->m.name;
		if (op->m.npeer > 0)
			mb->peer = op->m.peer[0];
		switch (op->kind) {
		case WAL_OP_ADD:
			mb->present = 1;
			mb->learner = op->m.is_learner;
			break;
		case WAL_OP_ADD_LEARNER:
			mb->present = 1;
			mb->learner = 1;
			break;
		case WAL_OP_PROMOTE:
			mb->present = 1;
			mb->learner = 0;
			break;
		case WAL_OP_REMOVE:
			mb->present = 0;
			break;
		default:
			break;
		}
		if (op->kind != WAL_OP_PUBLISH)
			last = op;
	}
	if (!based && w->have_base) {
		etcd_wal_base(w, &map, &members);
		based = 1;
		last = NULL;
	}
	if (last != NULL) {
		last_term = last->term;
		last_index = last->index;
		last_off = last->offset;
	} else if (based) {
		last_term = w->base_term;
		last_index = w->base_index;
		last_off = w->base_off;
	}

	complete = w->have_entry && (w->first_index <= 1 || w->have_base);
	if ((last != NULL || based) && complete) {
		char	*ex = qs_arena_printf(&w->tmp, "membership after entry %"
		    PRIu64 " term %" PRIu64, last_index, last_term);

		ev = qs_evidence_offset(w->ctx, last_off, ex);
		v = qs_emit_view(w->ctx, QS_VIEW_CONSENSUS,
		    "etcd WAL membership", &ev);
		v->clock.set = QS_CLOCK_TERM | QS_CLOCK_INDEX;
		v->clock.term = last_term;
		v->clock.index = last_index;
		for (i = 0; i < members.n; i++) {
			struct etcd_wal_member	*mb = members.v[i];

			if (mb->present)
				qs_view_add(w->ctx, v, mb->name, mb->peer,
				    mb->hex, mb->learner ? QS_MEMBER_NONVOTER :
				    QS_MEMBER_VOTER);
		}
	} else if (w->have_entry && !complete)
		qs_parse_diag(w->ctx, QS_SEV_INFO, 0, "membership not "
		    "replayed: the first entry is %" PRIu64 "; the changes "
		    "before it are in an older WAL file or a snapshot",
		    w->first_index);
	qs_vec_free(&members);
	qs_map_free(&map);
	free(w->base_voters.v);
	free(w->base_learners.v);
}

/*
 * The snapshot's ConfState replaces the membership: its voters vote,
 * its learners do not, everyone else is out.  Names and URLs learnt
 * before stay with their ids.
 */
static void
etcd_wal_base(struct etcd_wal *w, struct qs_map *map, struct qs_vec *members)
{
	struct etcd_wal_member	*mb;
	size_t			 j;

	for (j = 0; j < members->n; j++)
		((struct etcd_wal_member *)members->v[j])->present = 0;
	for (j = 0; j < w->base_voters.n; j++) {
		mb = etcd_wal_member(w, map, members, w->base_voters.v[j]);
		mb->present = 1;
		mb->learner = 0;
	}
	for (j = 0; j < w->base_learners.n; j++) {
		mb = etcd_wal_member(w, map, members, w->base_learners.v[j]);
		if (!mb->present)
			mb->learner = 1;
		mb->present = 1;
	}
}
