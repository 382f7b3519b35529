/*
 * etcd raft snapshot: member/snap/<term>-<index>.snap (kind etcd.snap),
 * also *.snap.broken (a snapshot etcd refused and renamed).
 *
 * Layout (etcd-io/etcd etcdserver/api/snap/snappb/snap.proto and
 * snapshotter.go, release-3.4; server/etcdserver/api/snap in 3.5):
 * snappb.snapshot {1 crc (uint32), 2 data}; crc is CRC-32C of data.
 * data is a raftpb.Snapshot {1 data, 2 metadata {1 conf_state, 2 index,
 * 3 term}}, ConfState {1 voters (named nodes up to 3.3), 2 learners,
 * 3 voters_outgoing, 4 learners_next, 5 auto_leave}, repeated ids written
 * unpacked by gogo-protobuf (packed accepted).  In 3.4 and 3.5 the inner
 * data is the v2 store as JSON (v2store/store.go Save()): {"Root":
 * {"Path":"/","Children":{"0":{...},"1":{...}}},...}, membership under
 * /0/members/<hexid>/raftAttributes (Value = JSON {"peerURLs",
 * "isLearner"}) and /0/members/<hexid>/attributes (Value = JSON {"name",
 * "clientURLs"}), removed members as /0/removed_members/<hexid>, the
 * cluster version in /0/version.
 *
 * Extracted: the snapshot's index and term, the ConfState as a view
 * ("etcd snapshot ConfState"), the v2 store's members ("etcd v2 store
 * membership") and removed members ("etcd v2 store removed members",
 * state reaped), the names and URLs of members as identities, and the
 * cluster version.  Ignored: the application keys of the v2 store
 * (/1/...), watchers and statistics.
 *
 * The v2 store can be large: only the /0 subtree is handed to cJSON,
 * found by a scan that skips everything else without building a tree.
 *
 * Known limits: the whole file is mapped (qs_source_map spools big ones
 * to a temporary file).  The v2 store content of 3.6 snapshots is not
 * verified; a snapshot without /0 gives only the ConfState view.  A CRC
 * mismatch ends the parse (etcd would not load the file either).
 */
#include "config.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "quorumscope.h"

/* Observations one snapshot may emit before the parser gives up. */
#define ETCD_SNAP_MAX_OBS	1000000
/* Nesting accepted in the /0 subtree (about 10 levels in practice). */
#define ETCD_SNAP_JSON_DEPTH	32

struct etcd_snap {
	struct qs_parse_ctx	*ctx;
	struct qs_arena		 tmp;
	uint64_t		 index, term;
	uint64_t		 json_off;	/* file offset of the store JSON */
	uint64_t		 nobs;
	int			 stopped;
};

static int	etcd_snap_budget(struct etcd_snap *, size_t);
static int	etcd_snap_fail(struct etcd_snap *, const char *, ...)
		    QS_PRINTF(2, 3);
static void	etcd_snap_setting(struct etcd_snap *, const char *,
		    const char *, uint64_t);
static void	etcd_snap_metadata(struct etcd_snap *, const unsigned char *,
		    size_t, uint64_t);
static int	etcd_snap_confstate(struct etcd_snap *, const unsigned char *,
		    size_t, uint64_t);
static void	etcd_snap_store(struct etcd_snap *, const char *, size_t);
static void	etcd_snap_members(struct etcd_snap *, const cJSON *,
		    const struct qs_evidence *);
static void	etcd_snap_removed(struct etcd_snap *, const cJSON *,
		    const struct qs_evidence *);
static const cJSON *etcd_snap_child(const cJSON *, const char *);
static void	etcd_snap_clock(struct etcd_snap *, struct qs_view *);
static void	etcd_snap_confstate_id(void *, uint64_t);
static const char *etcd_snap_value(const cJSON *);

static int
etcd_snap_budget(struct etcd_snap *s, size_t n)
{
	if (s->stopped)
		return -1;
	if (s->nobs + n > ETCD_SNAP_MAX_OBS) {
		qs_parse_diag(s->ctx, QS_SEV_WARNING, 0, "more than %d "
		    "observations; the rest of the snapshot is not read",
		    ETCD_SNAP_MAX_OBS);
		s->stopped = 1;
		return -1;
	}
	s->nobs += n;
	return 0;
}

/*
 * The term and index a snapshot file is named after ("%016x-%016x.snap",
 * etcd-io/etcd etcdserver/api/snap/snapshotter.go), in *clock; 0, or -1
 * when the name is not one.
 */
static int
etcd_snap_name_clock(struct qs_parse_ctx *ctx, struct qs_clock *clock)
{
	const char	*name = ctx->artifact->logical, *base;

	memset(clock, 0, sizeof(*clock));
	if (name == NULL)
		return -1;
	base = strrchr(name, '/');
	base = base != NULL ? base + 1 : name;
	if (strlen(base) < 38 || base[16] != '-' ||
	    strncmp(base + 33, ".snap", 5) != 0 ||
	    qs_parse_hex_u64(base, 16, &clock->term) != 0 ||
	    qs_parse_hex_u64(base + 17, 16, &clock->index) != 0)
		return -1;
	clock->set = QS_CLOCK_TERM | QS_CLOCK_INDEX;
	return 0;
}

/*
 * Damage as a signal rules use: what, and the term and index the file
 * is named after.  A *.snap.broken is a snapshot etcd itself found
 * unreadable and renamed (snapshotter.go, renameBroken), which is damage
 * whatever its bytes now hold.
 */
static void
etcd_snap_damage(struct etcd_snap *s, uint64_t off, int whole,
    const char *what)
{
	struct qs_clock	clock;

	etcd_snap_name_clock(s->ctx, &clock);
	qs_emit_damage(s->ctx, off, whole, &clock, qs_arena_printf(
	    &s->ctx->run->arena, "etcd snapshot %s", what));
}

/*
 * The snapshot cannot be used at all: says why, marks the artifact
 * failed and returns -1 for the parser to return.
 */
static int
etcd_snap_fail(struct etcd_snap *s, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	va_start(ap, fmt);
	msg = qs_arena_vprintf(&s->ctx->run->arena, fmt, ap);
	va_end(ap);
	qs_parse_diag(s->ctx, QS_SEV_ERROR, 0, "%s", msg);
	etcd_snap_damage(s, 0, 1, msg);
	s->ctx->artifact->status = QS_STATUS_FAILED;
	s->ctx->artifact->message = msg;
	return -1;
}

static void
etcd_snap_setting(struct etcd_snap *s, const char *key, const char *value,
    uint64_t off)
{
	struct qs_evidence	ev;
	char			ex[256];

	snprintf(ex, sizeof(ex), "%s %s", key, value);
	ev = qs_evidence_offset(s->ctx, off, ex);
	qs_emit_setting(s->ctx, key, value, &ev);
}

static void
etcd_snap_clock(struct etcd_snap *s, struct qs_view *v)
{
	v->clock.set = QS_CLOCK_TERM | QS_CLOCK_INDEX;
	v->clock.term = s->term;
	v->clock.index = s->index;
}

/*
 * Decodes the .snap mapped from ctx->src.  Returns 0, or -1 when nothing
 * in it could be used (the artifact is then marked failed).
 */
int
qs_parse_etcd_snap(struct qs_parse_ctx *ctx)
{
	struct etcd_snap	 s;
	const unsigned char	*data, *body = NULL, *md = NULL, *store = NULL;
	size_t			 len, blen = 0, mdlen = 0, slen = 0;
	struct qs_pb		 pb;
	struct qs_pb_field	 f;
	uint64_t		 crc = 0, body_off = 0, md_off = 0;
	uint32_t		 sum;
	int			 r, have_crc = 0, ret = 0;
	char			 buf[64];

	memset(&s, 0, sizeof(s));
	s.ctx = ctx;
	len = strlen(ctx->artifact->logical);
	if (len > 12 && strcmp(ctx->artifact->logical + len - 12,
	    ".snap.broken") == 0)
		etcd_snap_damage(&s, 0, 1, "renamed .broken by etcd, which could "
		    "not load it");
	if (qs_source_map(ctx->src, ctx->run->limits.v[QS_LIMIT_MEMORY_ENTRY],
	    &data, &len) != 0) {
		if (len == 0) {
			ret = etcd_snap_fail(&s, "the snapshot could not be "
			    "read");
			goto out;
		}
		qs_parse_diag(ctx, QS_SEV_WARNING, 0, "reading failed after "
		    "%zu bytes; decoding what was read", len);
	}
	if (len == 0) {
		ret = etcd_snap_fail(&s, "empty snapshot file");
		goto out;
	}
	qs_pb_init(&pb, data, len);
	while ((r = qs_pb_next(&pb, &f)) == 1) {
		if (f.num == 1 && f.wire == 0) {
			crc = f.u;
			have_crc = 1;
		} else if (f.num == 2 && f.wire == 2) {
			body = f.data;
			blen = f.len;
			body_off = (uint64_t)(f.data - data);
		}
	}
	if (r < 0 || body == NULL) {
		etcd_snap_setting(&s, "etcd.snap.corrupt", "does not decode",
		    0);
		ret = etcd_snap_fail(&s, "not a snapshot: the snappb envelope "
		    "does not decode%s", r < 0 ? "" : " (no data)");
		goto out;
	}
	sum = qs_crc32c(0, body, blen);
	if (!have_crc || crc > UINT32_MAX || sum != (uint32_t)crc) {
		etcd_snap_setting(&s, "etcd.snap.corrupt", "crc mismatch", 0);
		ret = etcd_snap_fail(&s, "CRC mismatch: stored 0x%08" PRIx64
		    ", computed 0x%08" PRIx32 " (etcd refuses this snapshot)",
		    crc, sum);
		goto out;
	}

	/* raftpb.Snapshot {1 data, 2 metadata}. */
	qs_pb_init(&pb, body, blen);
	while ((r = qs_pb_next(&pb, &f)) == 1) {
		if (f.num == 1 && f.wire == 2) {
			store = f.data;
			slen = f.len;
			s.json_off = (uint64_t)(f.data - data);
		} else if (f.num == 2 && f.wire == 2) {
			md = f.data;
			mdlen = f.len;
			md_off = (uint64_t)(f.data - data);
		}
	}
	if (r < 0) {
		etcd_snap_setting(&s, "etcd.snap.corrupt", "does not decode",
		    body_off);
		ret = etcd_snap_fail(&s, "the raft snapshot at offset %" PRIu64
		    " does not decode", body_off);
		goto out;
	}
	if (md == NULL)
		qs_parse_diag(ctx, QS_SEV_WARNING, 0, "no snapshot metadata: "
		    "index, term and ConfState unknown");
	else
		etcd_snap_metadata(&s, md, mdlen, md_off);
	if (md != NULL) {
		snprintf(buf, sizeof(buf), "%" PRIu64, s.index);
		etcd_snap_setting(&s, "etcd.snap.index", buf, md_off);
		snprintf(buf, sizeof(buf), "%" PRIu64, s.term);
		etcd_snap_setting(&s, "etcd.snap.term", buf, md_off);
	}
	if (store != NULL && slen > 0)
		etcd_snap_store(&s, (const char *)store, slen);
out:
	qs_arena_free(&s.tmp);
	return ret;
}

/* raftpb.SnapshotMetadata {1 conf_state, 2 index, 3 term}. */
static void
etcd_snap_metadata(struct etcd_snap *s, const unsigned char *p, size_t n,
    uint64_t off)
{
	struct qs_pb		 pb;
	struct qs_pb_field	 f;
	const unsigned char	*cs = NULL;
	size_t			 cslen = 0;
	uint64_t		 cs_off = off;
	int			 r;

	qs_pb_init(&pb, p, n);
	while ((r = qs_pb_next(&pb, &f)) == 1) {
		if (f.num == 1 && f.wire == 2) {
			cs = f.data;
			cslen = f.len;
			cs_off = off + (uint64_t)(f.data - p);
		} else if (f.num == 2 && f.wire == 0)
			s->index = f.u;
		else if (f.num == 3 && f.wire == 0)
			s->term = f.u;
	}
	if (r < 0) {
		qs_parse_diag(s->ctx, QS_SEV_WARNING, 0, "snapshot metadata at "
		    "offset %" PRIu64 " does not decode", off);
		return;
	}
	if (cs != NULL && etcd_snap_confstate(s, cs, cslen, cs_off) != 0)
		qs_parse_diag(s->ctx, QS_SEV_WARNING, 0, "ConfState at offset %"
		    PRIu64 " does not decode", cs_off);
}

struct etcd_snap_ids {
	struct etcd_snap	*s;
	struct qs_view		*v;
	struct qs_map		 seen;
	enum qs_member_state	 state;
};

/* One ConfState id: added once, the first role given wins. */
static void
etcd_snap_confstate_id(void *arg, uint64_t id)
{
	struct etcd_snap_ids	*ids = arg;
	char			 hex[17];

	qs_etcd_id_hex(id, hex, sizeof(hex));
	if (qs_map_get(&ids->seen, hex) != NULL ||
	    etcd_snap_budget(ids->s, 1) != 0)
		return;
	qs_map_put(&ids->seen, &ids->s->tmp, hex, ids);
	qs_view_add(ids->s->ctx, ids->v, NULL, NULL, hex, ids->state);
}

/*
 * ConfState: voters (and, in a joint configuration, the outgoing voters)
 * as voters, learners (and learners_next) as non-voters.  Returns 0, or
 * -1 when it does not decode (the view then holds what came before).
 */
static int
etcd_snap_confstate(struct etcd_snap *s, const unsigned char *p, size_t n,
    uint64_t off)
{
	static const struct {
		uint32_t		num;
		enum qs_member_state	state;
	} order[] = {
		{ 1, QS_MEMBER_VOTER }, { 3, QS_MEMBER_VOTER },
		{ 2, QS_MEMBER_NONVOTER }, { 4, QS_MEMBER_NONVOTER }
	};
	struct etcd_snap_ids	 ids;
	struct qs_evidence	 ev;
	struct qs_pb		 pb;
	struct qs_pb_field	 f;
	size_t			 i;
	int			 bad = 0;
	char			*ex;

	ex = qs_arena_printf(&s->tmp, "ConfState at index %" PRIu64
	    " term %" PRIu64, s->index, s->term);
	ev = qs_evidence_offset(s->ctx, off, ex);
	memset(&ids, 0, sizeof(ids));
	ids.s = s;
	if (etcd_snap_budget(s, 1) != 0)
		return 0;
	ids.v = qs_emit_view(s->ctx, QS_VIEW_CONSENSUS,
	    "etcd snapshot ConfState", &ev);
	etcd_snap_clock(s, ids.v);
	/* Voters first, so an id listed twice keeps its voting role. */
	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		ids.state = order[i].state;
		qs_pb_init(&pb, p, n);
		while (qs_pb_next(&pb, &f) == 1)
			if (f.num == order[i].num &&
			    qs_pb_repeated_varint(&f, etcd_snap_confstate_id,
			    &ids) < 0)
				bad = 1;
		if (pb.error)
			bad = 1;
	}
	qs_map_free(&ids.seen);
	return bad ? -1 : 0;
}

/* The child named `name` of a v2 store node's "Children". */
static const cJSON *
etcd_snap_child(const cJSON *node, const char *name)
{
	const cJSON	*ch = cJSON_GetObjectItemCaseSensitive(node,
	    "Children");

	return cJSON_IsObject(ch) ? cJSON_GetObjectItemCaseSensitive(ch,
	    name) : NULL;
}

/*
 * The v2 store JSON: finds Root.Children["0"] without a tree, then reads
 * that subtree with cJSON.
 */
static void
etcd_snap_store(struct etcd_snap *s, const char *t, size_t len)
{
	size_t			 off, vlen, o2, l2;
	cJSON			*zero;
	const cJSON		*ver;
	struct qs_evidence	 ev;
	uint64_t		 at;
	char			*ex;

	if (qs_etcd_json_member(t, len, "Root", &off, &vlen) != 0 ||
	    qs_etcd_json_member(t + off, vlen, "Children", &o2, &l2) != 0) {
		qs_parse_diag(s->ctx, QS_SEV_INFO, 0, "the snapshot data is "
		    "not a v2 store with a root directory; no membership read "
		    "from it");
		return;
	}
	off += o2;
	vlen = l2;
	if (qs_etcd_json_member(t + off, vlen, "0", &o2, &l2) != 0) {
		qs_parse_diag(s->ctx, QS_SEV_INFO, 0, "the v2 store has no /0 "
		    "directory; no membership read from it");
		return;
	}
	off += o2;
	at = s->json_off + off;
	if ((zero = qs_etcd_json_parse(t + off, l2, ETCD_SNAP_JSON_DEPTH)) ==
	    NULL) {
		qs_parse_diag(s->ctx, QS_SEV_WARNING, 0, "the v2 store's /0 "
		    "directory at offset %" PRIu64 " does not parse (or nests "
		    "deeper than %d)", at, ETCD_SNAP_JSON_DEPTH);
		return;
	}
	ex = qs_arena_printf(&s->tmp, "v2 store /0 at index %" PRIu64
	    " term %" PRIu64, s->index, s->term);
	ev = qs_evidence_offset(s->ctx, at, ex);
	etcd_snap_members(s, etcd_snap_child(zero, "members"), &ev);
	etcd_snap_removed(s, etcd_snap_child(zero, "removed_members"), &ev);
	ver = cJSON_GetObjectItemCaseSensitive(etcd_snap_child(zero,
	    "version"), "Value");
	if (cJSON_IsString(ver) && ver->valuestring != NULL &&
	    ver->valuestring[0] != '\0' && etcd_snap_budget(s, 1) == 0)
		qs_emit_setting(s->ctx, "etcd.cluster_version",
		    ver->valuestring, &ev);
	cJSON_Delete(zero);
}

/* A node's "Value" string, or NULL. */
static const char *
etcd_snap_value(const cJSON *node)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(node, "Value");

	return cJSON_IsString(v) && v->valuestring != NULL ?
	    v->valuestring : NULL;
}

/* /0/members: one view member and its identities per member directory. */
static void
etcd_snap_members(struct etcd_snap *s, const cJSON *dir,
    const struct qs_evidence *ev)
{
	struct qs_view		*v;
	const cJSON		*mdir, *ch;
	struct qs_etcd_member	 raft, attr;
	uint64_t		 id;
	char			 hex[17];
	const char		*val;
	size_t			 i;

	if (etcd_snap_budget(s, 1) != 0)
		return;
	v = qs_emit_view(s->ctx, QS_VIEW_CONSENSUS,
	    "etcd v2 store membership", ev);
	etcd_snap_clock(s, v);
	if (dir == NULL)
		return;
	ch = cJSON_GetObjectItemCaseSensitive(dir, "Children");
	if (!cJSON_IsObject(ch))
		return;
	cJSON_ArrayForEach(mdir, ch) {
		if (mdir->string == NULL || qs_parse_hex_u64(mdir->string,
		    strlen(mdir->string), &id) != 0) {
			qs_parse_diag(s->ctx, QS_SEV_WARNING, 0, "/0/members/%s "
			    "is not a member id; skipped", mdir->string ?
			    mdir->string : "?");
			continue;
		}
		qs_etcd_id_hex(id, hex, sizeof(hex));
		memset(&raft, 0, sizeof(raft));
		memset(&attr, 0, sizeof(attr));
		if ((val = etcd_snap_value(etcd_snap_child(mdir,
		    "raftAttributes"))) != NULL && qs_etcd_member_json(&s->tmp,
		    val, strlen(val), &raft) != 0)
			qs_parse_diag(s->ctx, QS_SEV_WARNING, 0, "/0/members/%s/"
			    "raftAttributes is not JSON", hex);
		if ((val = etcd_snap_value(etcd_snap_child(mdir,
		    "attributes"))) != NULL && qs_etcd_member_json(&s->tmp,
		    val, strlen(val), &attr) != 0)
			qs_parse_diag(s->ctx, QS_SEV_WARNING, 0, "/0/members/%s/"
			    "attributes is not JSON", hex);
		if (etcd_snap_budget(s, 1 + (attr.name != NULL) + raft.npeer +
		    attr.nclient) != 0)
			return;
		qs_view_add(s->ctx, v, attr.name, raft.npeer > 0 ?
		    raft.peer[0] : NULL, hex, raft.is_learner ?
		    QS_MEMBER_NONVOTER : QS_MEMBER_VOTER);
		if (attr.name != NULL)
			qs_emit_identity(s->ctx, QS_ID_NAME, attr.name, NULL,
			    hex, ev);
		for (i = 0; i < raft.npeer; i++)
			qs_emit_identity(s->ctx, QS_ID_ADDRESS, raft.peer[i],
			    "peer", hex, ev);
		for (i = 0; i < attr.nclient; i++)
			qs_emit_identity(s->ctx, QS_ID_ADDRESS, attr.client[i],
			    "client", hex, ev);
	}
}

/* /0/removed_members: ids only, each a member etcd will never let back. */
static void
etcd_snap_removed(struct etcd_snap *s, const cJSON *dir,
    const struct qs_evidence *ev)
{
	struct qs_view	*v;
	const cJSON	*ch, *m;
	uint64_t	 id;
	char		 hex[17];

	if (etcd_snap_budget(s, 1) != 0)
		return;
	v = qs_emit_view(s->ctx, QS_VIEW_CONSENSUS,
	    "etcd v2 store removed members", ev);
	etcd_snap_clock(s, v);
	if (dir == NULL)
		return;
	ch = cJSON_GetObjectItemCaseSensitive(dir, "Children");
	if (!cJSON_IsObject(ch))
		return;
	cJSON_ArrayForEach(m, ch) {
		if (m->string == NULL || qs_parse_hex_u64(m->string,
		    strlen(m->string), &id) != 0) {
			qs_parse_diag(s->ctx, QS_SEV_WARNING, 0,
			    "/0/removed_members/%s is not a member id; skipped",
			    m->string ? m->string : "?");
			continue;
		}
		if (etcd_snap_budget(s, 1) != 0)
			return;
		qs_view_add(s->ctx, v, NULL, NULL, qs_etcd_id_hex(id, hex,
		    sizeof(hex)), QS_MEMBER_REAPED);
	}
}
