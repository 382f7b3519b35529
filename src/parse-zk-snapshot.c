/*
 * ZooKeeper snapshots (kind zk.snapshot): dataDir/version-2/
 * snapshot.<hex zxid>, a fuzzy dump of the data tree and the sessions,
 * named after the last zxid applied when the dump began.
 *
 * Upstream: apache/zookeeper server/persistence/FileSnap.java (serialize,
 * deserialize), SnapStream.java (compression by file suffix, the seal,
 * checkSealIntegrity), server/util/SerializeUtils.java (serializeSnapshot:
 * sessions then tree), server/DataTree.java (serialize, the ZxidDigest and
 * lastProcessedZxid trailers), ReferenceCountedACLCache.java,
 * zookeeper.jute (FileHeader, StatPersisted, ACL); releases 3.4.14, 3.5.10,
 * 3.8; formats.md 6.5.
 *
 * Layout: FileHeader {int magic "ZKSN", int version 2, long dbid}; int
 * session count, then {long id, int timeout ms} each; the ACL cache {int
 * size, then {long id, vector<ACL {int perms, ustring scheme, ustring
 * id}>}}; the nodes in pre-order as {ustring path, buffer data, long acl,
 * StatPersisted (60 bytes)}, the root with path "" and the list closed by
 * path "/"; then the seal {long Adler-32 of every byte so far, ustring
 * "/"}.  Optional trailers, each sealed again: ZxidDigest {long zxid, int
 * version, long digest} (3.6+, digests on) and a long lastProcessedZxid
 * (3.9+).  ".gz" and ".snappy" files (3.6+) compress that same stream.
 *
 * Read as a stream, nothing but one stat in memory.  Extracted as
 * settings: "zk.snapshot.zxid" (from the file name, "0x..."),
 * "zk.snapshot.sessions" (count) and "zk.snapshot.session_ids" (at most
 * ZK_SNAP_LIST named), and once the tree is read through: "zk.snapshot.
 * znodes", "zk.snapshot.ephemerals", "zk.snapshot.ephemeral_owners" (the
 * distinct owner sessions, at most ZK_SNAP_LIST named),
 * "zk.snapshot.max_zxid" (the newest czxid, mzxid or pzxid in the tree;
 * the snapshot is fuzzy, so it may pass the name's zxid) and, when the
 * trailers are there, "zk.snapshot.digest_zxid" and
 * "zk.snapshot.last_processed_zxid".
 *
 * Checked: the seal's Adler-32 and the trailers' seals.  A mismatch, a
 * truncation or an impossible length or count is an error diagnostic with
 * the byte offset and the setting "zk.snapshot.corrupt_offset"; reading
 * stops there.  Data contents, ACLs and paths are skipped (the tree is
 * walked only to count it), container and TTL nodes are not ephemerals.
 *
 * Known limits: a compressed snapshot still compressed when it gets here
 * (snappy; gzip is undone by the bundle reader) is reported unsupported;
 * trailers other than the two known shapes get a warning.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quorumscope.h"

#define ZK_SNAP_MAGIC		0x5a4b534eu	/* "ZKSN" */
#define ZK_SNAP_STAT		60		/* bytes of a StatPersisted */
#define ZK_SNAP_LIST		64		/* ids named in a setting */
#define ZK_SNAP_TRAILER_MAX	128		/* bytes read after the seal */
/* Sessions and ACL lists longer than this are damage, not data. */
#define ZK_SNAP_COUNT_MAX	(INT32_C(1) << 28)

struct zk_snap {
	struct qs_parse_ctx	*ctx;
	struct qs_jute_stream	 js;
	uint64_t		 znodes;
	uint64_t		 ephemerals;
	uint64_t		 max_zxid;
	struct qs_clock		 name_clock;	/* the zxid of its name */
	int64_t			 owners[ZK_SNAP_LIST];
	size_t			 nowners;
	int			 more_owners;
};

static void	zk_snap_damage(struct zk_snap *, uint64_t, const char *, ...)
		    QS_PRINTF(3, 4);
static void	zk_snap_report(struct zk_snap *, uint64_t, const char *, ...)
		    QS_PRINTF(3, 4);
static int	zk_snap_name(struct qs_parse_ctx *, uint64_t *, const char **);
static int	zk_snap_sessions(struct zk_snap *);
static int	zk_snap_acls(struct zk_snap *);
static int	zk_snap_tree(struct zk_snap *);
static int	zk_snap_seal(struct zk_snap *, const char *);
static void	zk_snap_trailers(struct zk_snap *);
static int	zk_snap_string(struct zk_snap *, const char *, int *);
static void	zk_snap_owner(struct zk_snap *, int64_t);
static uint64_t	zk_snap_be64(const unsigned char *);
static const char *zk_snap_hex(struct zk_snap *, uint64_t);

static uint64_t
zk_snap_be64(const unsigned char *p)
{
	uint64_t	v = 0;
	int		i;

	for (i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

static const char *
zk_snap_hex(struct zk_snap *s, uint64_t v)
{
	return qs_arena_printf(&s->ctx->run->arena, "0x%llx",
	    (unsigned long long)v);
}

static void
zk_snap_damage(struct zk_snap *s, uint64_t off, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	va_start(ap, fmt);
	msg = qs_arena_vprintf(&s->ctx->run->arena, fmt, ap);
	va_end(ap);
	zk_snap_report(s, off, "%s", msg);
	qs_emit_damage(s->ctx, off, 0, &s->name_clock, qs_arena_printf(
	    &s->ctx->run->arena, "ZooKeeper snapshot: %s", msg));
}

static void
zk_snap_report(struct zk_snap *s, uint64_t off, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	qs_parse_vdamage(s->ctx, "zk.snapshot.corrupt_offset", off, fmt, ap);
	va_end(ap);
}

/*
 * "snapshot.<hex>[.gz|.snappy]".  OUT: *zxid, *comp (the compression
 * suffix or NULL).  Returns 0, or -1 when the name carries no zxid.
 */
static int
zk_snap_name(struct qs_parse_ctx *ctx, uint64_t *zxid, const char **comp)
{
	const char	*base, *p, *dot;
	uint64_t	 v = 0;
	size_t		 n = 0;

	base = strrchr(ctx->artifact->logical, '/');
	base = base != NULL ? base + 1 : ctx->artifact->logical;
	*comp = NULL;
	if (strncmp(base, "snapshot.", 9) != 0)
		return -1;
	p = base + 9;
	if ((dot = strchr(p, '.')) != NULL) {
		if (strcmp(dot, ".gz") == 0 || strcmp(dot, ".snappy") == 0)
			*comp = dot + 1;
	}
	n = dot != NULL ? (size_t)(dot - p) : strlen(p);
	if (qs_parse_hex_u64(p, n, &v) != 0)
		return -1;
	*zxid = v;
	return 0;
}

/* The session list: count, then {long id, int timeout} each. */
static int
zk_snap_sessions(struct zk_snap *s)
{
	struct qs_parse_ctx	*ctx = s->ctx;
	struct qs_evidence	 ev;
	uint64_t		 off = s->js.off;
	int64_t			 id;
	int32_t			 count, timeout, i;
	char			*list, *p;
	size_t			 room = ZK_SNAP_LIST * 20 + 8;

	if (qs_jute_stream_int(&s->js, &count) != 0) {
		zk_snap_damage(s, off, "ends before the session count");
		return -1;
	}
	if (count < 0 || count > ZK_SNAP_COUNT_MAX) {
		zk_snap_damage(s, off, "impossible session count %d", count);
		return -1;
	}
	p = list = qs_arena_alloc(&ctx->run->arena, room);
	*p = '\0';
	for (i = 0; i < count; i++) {
		if (qs_jute_stream_long(&s->js, &id) != 0 ||
		    qs_jute_stream_int(&s->js, &timeout) != 0) {
			zk_snap_damage(s, s->js.off, "session %d of %d cut "
			    "short", i + 1, count);
			return -1;
		}
		if (i < ZK_SNAP_LIST)
			p += snprintf(p, room - (size_t)(p - list), "%s0x%llx",
			    i > 0 ? "," : "", (unsigned long long)id);
	}
	if (count > ZK_SNAP_LIST)
		snprintf(p, room - (size_t)(p - list), ",...");
	ev = qs_evidence_offset(ctx, off, NULL);
	qs_emit_setting(ctx, "zk.snapshot.sessions", qs_arena_printf(
	    &ctx->run->arena, "%d", count), &ev);
	qs_emit_setting(ctx, "zk.snapshot.session_ids", list, &ev);
	return 0;
}

/*
 * A ustring skipped over.  OUT: *is_slash, whether it was exactly "/".
 * Returns 0, or -1 after a diagnostic.
 */
static int
zk_snap_string(struct zk_snap *s, const char *what, int *is_slash)
{
	uint64_t	off = s->js.off;
	int32_t		len;
	unsigned char	c;

	*is_slash = 0;
	if (qs_jute_stream_int(&s->js, &len) != 0) {
		zk_snap_damage(s, off, "ends inside %s", what);
		return -1;
	}
	if (len < -1) {
		zk_snap_damage(s, off, "impossible length %d of %s", len, what);
		return -1;
	}
	if (len == 1) {
		if (qs_jute_stream_read(&s->js, &c, 1) != 1) {
			zk_snap_damage(s, off, "ends inside %s", what);
			return -1;
		}
		*is_slash = c == '/';
	} else if (len > 0 && qs_jute_stream_skip(&s->js,
	    (uint64_t)len) != 0) {
		zk_snap_damage(s, off, "ends inside %s (%d bytes)", what, len);
		return -1;
	}
	return 0;
}

/* The ACL cache: {long id, vector<ACL>} per entry; skipped. */
static int
zk_snap_acls(struct zk_snap *s)
{
	uint64_t	off = s->js.off;
	int64_t		id;
	int32_t		n, i, count, k, perms;
	int		slash;

	if (qs_jute_stream_int(&s->js, &n) != 0) {
		zk_snap_damage(s, off, "ends before the ACL cache");
		return -1;
	}
	if (n < 0 || n > ZK_SNAP_COUNT_MAX) {
		zk_snap_damage(s, off, "impossible ACL cache size %d", n);
		return -1;
	}
	for (i = 0; i < n; i++) {
		off = s->js.off;
		if (qs_jute_stream_long(&s->js, &id) != 0 ||
		    qs_jute_stream_int(&s->js, &count) != 0) {
			zk_snap_damage(s, off, "ACL cache entry %d of %d cut "
			    "short", i + 1, n);
			return -1;
		}
		if (count < -1 || count > ZK_SNAP_COUNT_MAX) {
			zk_snap_damage(s, off, "impossible ACL list length %d",
			    count);
			return -1;
		}
		for (k = 0; k < count; k++) {
			if (qs_jute_stream_int(&s->js, &perms) != 0) {
				zk_snap_damage(s, s->js.off, "ACL cut short");
				return -1;
			}
			if (zk_snap_string(s, "an ACL scheme", &slash) != 0 ||
			    zk_snap_string(s, "an ACL id", &slash) != 0)
				return -1;
		}
	}
	return 0;
}

static void
zk_snap_owner(struct zk_snap *s, int64_t owner)
{
	size_t	i;

	for (i = 0; i < s->nowners; i++)
		if (s->owners[i] == owner)
			return;
	if (s->nowners == ZK_SNAP_LIST) {
		s->more_owners = 1;
		return;
	}
	s->owners[s->nowners++] = owner;
}

/* The nodes, up to the "/" that closes the list. */
static int
zk_snap_tree(struct zk_snap *s)
{
	unsigned char	 st[ZK_SNAP_STAT];
	uint64_t	 off, z;
	int64_t		 acl, owner;
	int32_t		 dlen;
	int		 slash;
	size_t		 k;

	for (;;) {
		off = s->js.off;
		if (zk_snap_string(s, "a node path", &slash) != 0)
			return -1;
		if (slash)
			return 0;
		if (qs_jute_stream_int(&s->js, &dlen) != 0) {
			zk_snap_damage(s, off, "node %llu cut short",
			    (unsigned long long)s->znodes + 1);
			return -1;
		}
		if (dlen < -1 || (dlen > 0 &&
		    qs_jute_stream_skip(&s->js, (uint64_t)dlen) != 0)) {
			zk_snap_damage(s, off, "node %llu: data of %d bytes "
			    "cut short or impossible",
			    (unsigned long long)s->znodes + 1, dlen);
			return -1;
		}
		if (qs_jute_stream_long(&s->js, &acl) != 0 ||
		    qs_jute_stream_read(&s->js, st, sizeof(st)) !=
		    sizeof(st)) {
			zk_snap_damage(s, off, "node %llu: stat cut short",
			    (unsigned long long)s->znodes + 1);
			return -1;
		}
		s->znodes++;
		/* czxid at 0, mzxid at 8, pzxid at 52. */
		for (k = 0; k <= 52; k += k == 8 ? 44 : 8) {
			z = zk_snap_be64(st + k);
			if (z > s->max_zxid && z <= INT64_MAX)
				s->max_zxid = z;
		}
		/*
		 * ephemeralOwner at 44: a session id; Long.MIN_VALUE marks a
		 * container and a top byte of 0xff a TTL node.
		 */
		owner = (int64_t)zk_snap_be64(st + 44);
		if (owner != 0 && owner != INT64_MIN &&
		    ((uint64_t)owner >> 56) != 0xff) {
			s->ephemerals++;
			zk_snap_owner(s, owner);
		}
	}
}

/*
 * A seal: the Adler-32 of everything before it, then "/".  Returns 0,
 * 1 when the entry ended right before it, -1 after a diagnostic.
 */
static int
zk_snap_seal(struct zk_snap *s, const char *what)
{
	uint64_t	off = s->js.off;
	uint32_t	sum = s->js.adler;
	int64_t		stored;
	int		slash;

	if (qs_jute_stream_long(&s->js, &stored) != 0) {
		if (s->js.off == off)
			return 1;
		zk_snap_damage(s, off, "%s seal cut short", what);
		return -1;
	}
	if ((uint64_t)stored != sum) {
		zk_snap_damage(s, off, "%s checksum mismatch: stored 0x%llx, "
		    "Adler-32 is 0x%08x", what, (unsigned long long)stored,
		    sum);
		return -1;
	}
	if (zk_snap_string(s, "the seal", &slash) != 0)
		return -1;
	if (!slash) {
		zk_snap_damage(s, off + 8, "%s seal is not followed by \"/\"",
		    what);
		return -1;
	}
	return 0;
}

/*
 * What follows the seal, by its length: a ZxidDigest (20 bytes) and/or
 * a lastProcessedZxid (8 bytes), each with its own 13-byte seal.
 */
static void
zk_snap_trailers(struct zk_snap *s)
{
	struct qs_parse_ctx	*ctx = s->ctx;
	unsigned char		 b[ZK_SNAP_TRAILER_MAX];
	uint64_t		 off = s->js.off;
	uint32_t		 sum = s->js.adler;
	struct qs_evidence	 ev;
	size_t			 n, at = 0, digest = 0, last = 0;

	n = qs_jute_stream_read(&s->js, b, sizeof(b));
	if (n == 0)
		return;
	if (n == 33)
		digest = 1;
	else if (n == 21)
		last = 1;
	else if (n == 54)
		digest = last = 1;
	else {
		qs_parse_diag(ctx, QS_SEV_WARNING, 0, "offset %llu: %s%zu "
		    "bytes after the seal in no known trailer shape",
		    (unsigned long long)off, n == sizeof(b) ? "at least " : "",
		    n);
		return;
	}
	if (digest) {
		if (zk_snap_be64(b + 20) != qs_adler32(sum, b, 20) ||
		    memcmp(b + 28, "\0\0\0\1/", 5) != 0) {
			zk_snap_damage(s, off + 20, "digest trailer seal does "
			    "not match");
			return;
		}
		ev = qs_evidence_offset(ctx, off, NULL);
		qs_emit_setting(ctx, "zk.snapshot.digest_zxid",
		    zk_snap_hex(s, zk_snap_be64(b)), &ev);
		sum = qs_adler32(sum, b, 33);
		at = 33;
	}
	if (last) {
		if (zk_snap_be64(b + at + 8) != qs_adler32(sum, b + at, 8) ||
		    memcmp(b + at + 16, "\0\0\0\1/", 5) != 0) {
			zk_snap_damage(s, off + at + 8, "lastProcessedZxid "
			    "trailer seal does not match");
			return;
		}
		ev = qs_evidence_offset(ctx, off + at, NULL);
		qs_emit_setting(ctx, "zk.snapshot.last_processed_zxid",
		    zk_snap_hex(s, zk_snap_be64(b + at)), &ev);
	}
}

int
qs_parse_zk_snapshot(struct qs_parse_ctx *ctx)
{
	struct zk_snap		*s;
	struct qs_evidence	 ev;
	unsigned char		 h[16];
	const char		*comp;
	uint64_t		 zxid;
	uint32_t		 magic, version;
	char			*list, *p;
	size_t			 i, room = ZK_SNAP_LIST * 20 + 8;
	int			 r = 0;

	s = qs_xcalloc(1, sizeof(*s));
	s->ctx = ctx;
	qs_jute_stream_init(&s->js, ctx->src, 1);
	ev = qs_evidence_whole(ctx);
	if (zk_snap_name(ctx, &zxid, &comp) == 0) {
		qs_emit_setting(ctx, "zk.snapshot.zxid", zk_snap_hex(s, zxid),
		    &ev);
		s->name_clock.set = QS_CLOCK_ZXID | QS_CLOCK_TERM;
		s->name_clock.zxid = zxid;
		s->name_clock.term = zxid >> 32;
	} else
		qs_parse_diag(ctx, QS_SEV_INFO, 0, "the file name carries no "
		    "zxid (snapshot.<hex>)");
	if (qs_jute_stream_read(&s->js, h, sizeof(h)) != sizeof(h)) {
		qs_parse_diag(ctx, QS_SEV_ERROR, 0, "file header cut short: "
		    "%llu of 16 bytes", (unsigned long long)s->js.off);
		/* An empty snapshot: the server died writing it. */
		qs_emit_damage(ctx, 0, 1, &s->name_clock, s->js.off == 0 ?
		    "ZooKeeper snapshot: empty file" : qs_arena_printf(
		    &ctx->run->arena, "ZooKeeper snapshot: file header cut "
		    "short after %llu bytes", (unsigned long long)s->js.off));
		r = -1;
		goto done;
	}
	magic = (uint32_t)h[0] << 24 | (uint32_t)h[1] << 16 |
	    (uint32_t)h[2] << 8 | h[3];
	version = (uint32_t)h[4] << 24 | (uint32_t)h[5] << 16 |
	    (uint32_t)h[6] << 8 | h[7];
	if (magic != ZK_SNAP_MAGIC) {
		if (comp != NULL) {
			ctx->artifact->status = QS_STATUS_UNSUPPORTED;
			qs_parse_diag(ctx, QS_SEV_WARNING, 0, "snapshot "
			    "compressed with %s: not supported", comp);
		} else {
			qs_parse_diag(ctx, QS_SEV_ERROR, 0, "bad magic 0x%08x "
			    "(want \"ZKSN\"): not a snapshot", magic);
			r = -1;
		}
		goto done;
	}
	if (version != 2)
		qs_parse_diag(ctx, QS_SEV_WARNING, 0, "file format version "
		    "%u (only 2 is known); reading on", version);
	if (zk_snap_sessions(s) != 0 || zk_snap_acls(s) != 0 ||
	    zk_snap_tree(s) != 0)
		goto done;
	ev = qs_evidence_whole(ctx);
	qs_emit_setting(ctx, "zk.snapshot.znodes", qs_arena_printf(
	    &ctx->run->arena, "%llu", (unsigned long long)s->znodes), &ev);
	qs_emit_setting(ctx, "zk.snapshot.ephemerals", qs_arena_printf(
	    &ctx->run->arena, "%llu", (unsigned long long)s->ephemerals), &ev);
	p = list = qs_arena_alloc(&ctx->run->arena, room);
	*p = '\0';
	for (i = 0; i < s->nowners; i++)
		p += snprintf(p, room - (size_t)(p - list), "%s0x%llx",
		    i > 0 ? "," : "", (unsigned long long)s->owners[i]);
	if (s->more_owners)
		snprintf(p, room - (size_t)(p - list), ",...");
	qs_emit_setting(ctx, "zk.snapshot.ephemeral_owners", list, &ev);
	qs_emit_setting(ctx, "zk.snapshot.max_zxid", zk_snap_hex(s,
	    s->max_zxid), &ev);
	switch (zk_snap_seal(s, "snapshot")) {
	case 0:
		zk_snap_trailers(s);
		break;
	case 1:
		zk_snap_damage(s, s->js.off, "ends before the seal");
		break;
	default:
		break;
	}
done:
	if (r != 0)
		ctx->artifact->status = QS_STATUS_FAILED;
	free(s);
	return r;
}
