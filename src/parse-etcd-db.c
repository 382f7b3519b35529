/*
 * member/snap/db: an etcd member's backend, a bbolt file (formats.md 5.6).
 *
 * Upstream: etcd server/etcdserver/api/membership/store.go and
 * server/storage/schema (bucket and key names), membership/member.go (the
 * Member JSON), cindex (consistent_index, term), facts only.
 *
 * Buckets read:
 *   members          hex member id -> Member JSON {"id", "peerURLs",
 *                    "name", "clientURLs", "isLearner"}
 *   members_removed  hex member id -> "removed"
 *   cluster          clusterVersion -> "3.4.0"
 *   meta             consistent_index, term (u64be), confState (JSON,
 *                    3.5+), storageVersion (3.6)
 *
 * Extracted: a consensus view "etcd backend members" (voters and, for
 * learners, non-voters, with hex id, name and first peer URL; clock
 * term + consistent index when known), a view "etcd backend removed
 * members" (reaped), settings etcd.db.consistent_index, etcd.db.term,
 * etcd.db.cluster_version, etcd.db.storage_version, etcd.db.conf_state
 * (voters as hex ids), and per member the identities name and peer
 * address (role "peer"), with the hex id as subject.
 *
 * The key bucket (mvcc: key "main_sub" as two u64be around "_", a
 * trailing "t" for a deletion; value an mvccpb.KeyValue, field 1 the key;
 * etcd server/storage/mvcc revision.go and kvstore, api/mvccpb kv.proto):
 * setting etcd.db.revision (the highest main revision), etcd.db.revisions
 * (entries), and the last ETCDDB_WRITES writes as etcd.db.write settings,
 * "REV KEY" or "REV KEY (deleted)", oldest first: what a rollback to an
 * older revision loses.
 *
 * Member ids are 64-bit and exceed 2^53: they are read from the JSON text's
 * digits, never from cJSON's doubles, and checked against the key.
 * Known limits: the lease and auth buckets are not read; the cluster id is
 * not in the backend (the WAL has it).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "quorumscope.h"

#define ETCDDB_OBS_MAX		1000000
#define ETCDDB_JSON_MAX		(64 * 1024)	/* one member's JSON */
#define ETCDDB_IDS_MAX		64		/* confState voters kept */
#define ETCDDB_STR_MAX		256
#define ETCDDB_WRITES		32		/* latest writes kept */
#define ETCDDB_KEY_MAX		200		/* bytes of a key shown */

struct etcddb_write {
	uint64_t	 rev;
	int		 deleted;
	size_t		 len;
	char		 key[ETCDDB_KEY_MAX + 1];
};

struct etcddb {
	struct qs_parse_ctx	*ctx;
	struct qs_bolt		 db;
	uint64_t		 nobs;
	int			 capped;
	struct qs_view		*view;
	struct qs_clock		 clock;
	struct etcddb_write	 writes[ETCDDB_WRITES];	/* a ring */
	uint64_t		 nrevs;
	uint64_t		 maxrev;
};

static void	etcddb_bolt_diag(void *, uint64_t, uint64_t, const char *);
static int	etcddb_obs(struct etcddb *, size_t);
static int	etcddb_json_u64s(const unsigned char *, size_t, const char *,
		    uint64_t *, size_t, size_t *);
static int	etcddb_member(void *, const unsigned char *, size_t,
		    const unsigned char *, size_t, uint32_t);
static int	etcddb_removed(void *, const unsigned char *, size_t,
		    const unsigned char *, size_t, uint32_t);
static void	etcddb_meta(struct etcddb *);
static void	etcddb_text_setting(struct etcddb *,
		    const struct qs_bolt_bucket *, const char *, const char *);
static int	etcddb_hex_key(const unsigned char *, size_t, char *, size_t);
static const char *etcddb_hostport(char *, size_t, const char *);

static void
etcddb_bolt_diag(void *arg, uint64_t pgid, uint64_t off, const char *msg)
{
	struct etcddb	*e = arg;

	qs_parse_diag(e->ctx, QS_SEV_WARNING, 0, "BoltDB offset 0x%llx: %s",
	    (unsigned long long)off, msg);
	(void)pgid;
}

static int
etcddb_obs(struct etcddb *e, size_t n)
{
	if (e->nobs + n <= ETCDDB_OBS_MAX) {
		e->nobs += n;
		return 1;
	}
	if (!e->capped) {
		e->capped = 1;
		qs_parse_diag(e->ctx, QS_SEV_WARNING, 0, "more than %d "
		    "observations; the rest is not recorded", ETCDDB_OBS_MAX);
	}
	return 0;
}

/*
 * Reads the unsigned integer, or the array of them, that top-level key
 * `key` holds in a JSON object, from the digits themselves (cJSON's
 * doubles lose ids above 2^53), with wire-json.c's key scanner.  OUT: up
 * to max values and their count.  Returns 0 when the key was found with
 * a number or an array of numbers, -1 otherwise.
 */
static int
etcddb_json_u64s(const unsigned char *p, size_t len, const char *key,
    uint64_t *out, size_t max, size_t *n)
{
	const char		*text = (const char *)p, *tok;
	struct qs_json_key	*keys = NULL;
	size_t			 nkeys, i, off, toklen;
	uint64_t		 v;
	int			 rc = -1;

	*n = 0;
	nkeys = qs_json_keys(text, len, 1, 64, &keys);
	for (i = 0; i < nkeys; i++)
		if (qs_json_key_is(&keys[i], key))
			break;
	if (i == nkeys)
		goto out;
	off = keys[i].value;
	if (off < len && text[off] != '[') {
		if (qs_json_raw_u64(text, len, off, &v) == 0) {
			out[(*n)++] = v;
			rc = 0;
		}
		goto out;
	}
	/* An array: numbers separated by commas, up to the bracket. */
	for (off++; off < len; ) {
		while (off < len && (text[off] == ' ' || text[off] == ',' ||
		    text[off] == '\t' || text[off] == '\n' || text[off] == '\r'))
			off++;
		if (off >= len || text[off] == ']') {
			rc = 0;
			break;
		}
		if (qs_json_raw_number(text, len, off, &tok, &toklen) != 0 ||
		    qs_json_raw_u64(text, len, off, &v) != 0)
			break;
		if (*n < max)
			out[(*n)++] = v;
		off = (size_t)(tok - text) + toklen;
	}
out:
	free(keys);
	return rc;
}

/* A member id key: lowercase hex, 1 to 16 digits.  OUT: as text. */
static int
etcddb_hex_key(const unsigned char *k, size_t klen, char *out, size_t outsz)
{
	size_t	i;

	if (klen == 0 || klen > 16 || klen + 1 > outsz)
		return -1;
	for (i = 0; i < klen; i++) {
		if (!((k[i] >= '0' && k[i] <= '9') ||
		    (k[i] >= 'a' && k[i] <= 'f')))
			return -1;
		out[i] = (char)k[i];
	}
	out[klen] = '\0';
	return 0;
}

/* "http://10.0.0.1:2380" -> "10.0.0.1:2380" (into buf). */
static const char *
etcddb_hostport(char *buf, size_t sz, const char *url)
{
	const char	*p = strstr(url, "://");
	size_t		 n;

	p = p != NULL ? p + 3 : url;
	n = strcspn(p, "/?#");
	if (n == 0 || n >= sz)
		return NULL;
	memcpy(buf, p, n);
	buf[n] = '\0';
	return buf;
}

/* bolt callback over `members`: one Member JSON. */
static int
etcddb_member(void *arg, const unsigned char *k, size_t klen,
    const unsigned char *v, size_t vlen, uint32_t flags)
{
	struct etcddb		*e = arg;
	struct qs_parse_ctx	*ctx = e->ctx;
	char			 hex[17], idhex[17], addrbuf[ETCDDB_STR_MAX];
	char			 ex[ETCDDB_STR_MAX];
	const char		*name = NULL, *peer = NULL, *hp = NULL;
	uint64_t		 id;
	size_t			 nid;
	cJSON			*json, *it;
	struct qs_evidence	 ev;
	int			 learner = 0;

	if (e->capped)
		return 1;
	if ((flags & QS_BOLT_BUCKET_FLAG) != 0 ||
	    etcddb_hex_key(k, klen, hex, sizeof(hex)) != 0) {
		qs_parse_diag(ctx, QS_SEV_WARNING, 0, "members: offset 0x%llx: "
		    "key is not a hex member id",
		    (unsigned long long)(k - e->db.data));
		return 0;
	}
	json = vlen <= ETCDDB_JSON_MAX ? cJSON_ParseWithLength(
	    (const char *)v, vlen) : NULL;
	if (json == NULL || !cJSON_IsObject(json)) {
		cJSON_Delete(json);
		qs_parse_diag(ctx, QS_SEV_WARNING, 0, "members: member %s: "
		    "value is not JSON", hex);
		if (etcddb_obs(e, 1))
			qs_view_add(ctx, e->view, NULL, NULL, hex,
			    QS_MEMBER_VOTER);
		return 0;
	}
	if (etcddb_json_u64s(v, vlen, "id", &id, 1, &nid) == 0 && nid == 1) {
		snprintf(idhex, sizeof(idhex), "%llx", (unsigned long long)id);
		if (strcmp(idhex, hex) != 0)
			qs_parse_diag(ctx, QS_SEV_WARNING, 0, "members: key %s "
			    "holds member id %s", hex, idhex);
	}
	it = cJSON_GetObjectItemCaseSensitive(json, "name");
	if (cJSON_IsString(it) && it->valuestring[0] != '\0')
		name = it->valuestring;
	it = cJSON_GetObjectItemCaseSensitive(json, "peerURLs");
	if (cJSON_IsArray(it) && cJSON_IsString(cJSON_GetArrayItem(it, 0)))
		peer = cJSON_GetArrayItem(it, 0)->valuestring;
	learner = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(json,
	    "isLearner"));
	snprintf(ex, sizeof(ex), "members %s: %s %s%s", hex,
	    name != NULL ? name : "(unstarted)", peer != NULL ? peer : "",
	    learner ? " learner" : "");
	ev = qs_evidence_offset(ctx, (uint64_t)(v - e->db.data), ex);
	if (etcddb_obs(e, 1))
		qs_view_add(ctx, e->view, name, peer, hex, learner ?
		    QS_MEMBER_NONVOTER : QS_MEMBER_VOTER);
	if (name != NULL && etcddb_obs(e, 1))
		qs_emit_identity(ctx, QS_ID_NAME, name, NULL, hex, &ev);
	if (cJSON_IsArray(it)) {
		cJSON	*u;

		cJSON_ArrayForEach(u, it) {
			if (!cJSON_IsString(u) || (hp = etcddb_hostport(addrbuf,
			    sizeof(addrbuf), u->valuestring)) == NULL)
				continue;
			if (etcddb_obs(e, 1))
				qs_emit_identity(ctx, QS_ID_ADDRESS, hp, "peer",
				    hex, &ev);
		}
	}
	cJSON_Delete(json);
	return 0;
}

/* bolt callback over `members_removed`. */
static int
etcddb_removed(void *arg, const unsigned char *k, size_t klen,
    const unsigned char *v, size_t vlen, uint32_t flags)
{
	struct etcddb	*e = arg;
	char		 hex[17];

	if (e->capped)
		return 1;
	if ((flags & QS_BOLT_BUCKET_FLAG) != 0 ||
	    etcddb_hex_key(k, klen, hex, sizeof(hex)) != 0) {
		qs_parse_diag(e->ctx, QS_SEV_WARNING, 0, "members_removed: "
		    "offset 0x%llx: key is not a hex member id",
		    (unsigned long long)(k - e->db.data));
		return 0;
	}
	if (etcddb_obs(e, 1))
		qs_view_add(e->ctx, e->view, NULL, NULL, hex, QS_MEMBER_REAPED);
	(void)v;
	(void)vlen;
	return 0;
}

/* A short text value as a setting (cluster version, storage version). */
static void
etcddb_text_setting(struct etcddb *e, const struct qs_bolt_bucket *b,
    const char *key, const char *setting)
{
	const unsigned char	*v;
	size_t			 vlen, i;
	char			 buf[ETCDDB_STR_MAX], ex[ETCDDB_STR_MAX + 64];
	struct qs_evidence	 ev;

	if (qs_bolt_get(&e->db, b, key, strlen(key), &v, &vlen, NULL) != 0)
		return;
	if (vlen == 0 || vlen >= sizeof(buf)) {
		qs_parse_diag(e->ctx, QS_SEV_WARNING, 0, "%s: %zu bytes", key,
		    vlen);
		return;
	}
	for (i = 0; i < vlen; i++)
		buf[i] = v[i] >= 0x20 && v[i] < 0x7f ? (char)v[i] : '?';
	buf[vlen] = '\0';
	snprintf(ex, sizeof(ex), "%s = %s", key, buf);
	ev = qs_evidence_offset(e->ctx, (uint64_t)(v - e->db.data), ex);
	if (etcddb_obs(e, 1))
		qs_emit_setting(e->ctx, setting, buf, &ev);
}

/* meta: consistent index, term, confState, storage version. */
static void
etcddb_meta(struct etcddb *e)
{
	static const char *const keys[] = { "consistent_index", "term" };
	static const char *const names[] = { "etcd.db.consistent_index",
	    "etcd.db.term" };
	struct qs_bolt_bucket	 meta;
	const unsigned char	*v;
	size_t			 vlen, i, n, off;
	uint64_t		 u, ids[ETCDDB_IDS_MAX];
	char			 buf[ETCDDB_IDS_MAX * 17 + 3];
	char			 ex[sizeof(buf) + 32];
	struct qs_evidence	 ev;

	if (qs_bolt_path(&e->db, &meta, "meta", NULL) != 0) {
		qs_parse_diag(e->ctx, QS_SEV_WARNING, 0, "no meta bucket");
		return;
	}
	for (i = 0; i < 2; i++) {
		if (qs_bolt_get(&e->db, &meta, keys[i], strlen(keys[i]), &v,
		    &vlen, NULL) != 0)
			continue;
		if (vlen != 8) {
			qs_parse_diag(e->ctx, QS_SEV_WARNING, 0, "meta %s: %zu "
			    "bytes, not 8", keys[i], vlen);
			continue;
		}
		u = qs_be64(v);
		if (i == 0) {
			e->clock.set |= QS_CLOCK_INDEX;
			e->clock.index = u;
		} else {
			e->clock.set |= QS_CLOCK_TERM;
			e->clock.term = u;
		}
		snprintf(buf, sizeof(buf), "%llu", (unsigned long long)u);
		snprintf(ex, sizeof(ex), "meta %s = %s", keys[i], buf);
		ev = qs_evidence_offset(e->ctx, (uint64_t)(v - e->db.data), ex);
		if (etcddb_obs(e, 1))
			qs_emit_setting(e->ctx, names[i], buf, &ev);
	}
	if (qs_bolt_get(&e->db, &meta, "confState", 9, &v, &vlen, NULL) == 0) {
		if (etcddb_json_u64s(v, vlen, "voters", ids, ETCDDB_IDS_MAX,
		    &n) != 0) {
			qs_parse_diag(e->ctx, QS_SEV_WARNING, 0, "meta "
			    "confState: no voters list");
		} else {
			off = 0;
			buf[off++] = '[';
			for (i = 0; i < n; i++)
				off += (size_t)snprintf(buf + off,
				    sizeof(buf) - off, "%s%llx", i ? "," : "",
				    (unsigned long long)ids[i]);
			buf[off++] = ']';
			buf[off] = '\0';
			ev = qs_evidence_offset(e->ctx,
			    (uint64_t)(v - e->db.data), "meta confState");
			if (etcddb_obs(e, 1))
				qs_emit_setting(e->ctx, "etcd.db.conf_state",
				    buf, &ev);
		}
	}
	etcddb_text_setting(e, &meta, "storageVersion",
	    "etcd.db.storage_version");
}

/* One revision of the key bucket: kept in the ring of the latest. */
static int
etcddb_key(void *arg, const unsigned char *k, size_t klen,
    const unsigned char *v, size_t vlen, uint32_t flags)
{
	struct etcddb		*e = arg;
	struct etcddb_write	*w;
	struct qs_pb		 pb;
	struct qs_pb_field	 f;
	uint64_t		 rev;

	if ((flags & QS_BOLT_BUCKET_FLAG) || (klen != 17 && klen != 18) ||
	    k[8] != '_' || (klen == 18 && k[17] != 't'))
		return 0;
	rev = qs_be64(k);
	w = &e->writes[e->nrevs % ETCDDB_WRITES];
	e->nrevs++;
	if (rev > e->maxrev)
		e->maxrev = rev;
	w->rev = rev;
	w->deleted = klen == 18;
	w->len = 0;
	w->key[0] = '\0';
	qs_pb_init(&pb, v, vlen);
	while (qs_pb_next(&pb, &f) == 1)
		if (f.num == 1 && f.wire == 2) {
			w->len = f.len < ETCDDB_KEY_MAX ? f.len :
			    ETCDDB_KEY_MAX;
			memcpy(w->key, f.data, w->len);
			w->key[w->len] = '\0';
			break;
		}
	return 0;
}

static void
etcddb_keys(struct etcddb *e)
{
	struct qs_bolt_bucket	 b;
	struct qs_evidence	 ev;
	uint64_t		 i, first;
	char			 key[ETCDDB_KEY_MAX + 1];

	if (qs_bolt_path(&e->db, &b, "key", NULL) != 0)
		return;
	qs_bolt_foreach(&e->db, &b, etcddb_key, e);
	if (e->nrevs == 0 || !etcddb_obs(e, 2 + ETCDDB_WRITES))
		return;
	ev = qs_evidence_offset(e->ctx, b.root != 0 ? b.root *
	    e->db.page_size : b.inline_off, "bucket key");
	qs_emit_setting(e->ctx, "etcd.db.revision", qs_arena_printf(
	    &e->ctx->run->arena, "%llu", (unsigned long long)e->maxrev), &ev);
	qs_emit_setting(e->ctx, "etcd.db.revisions", qs_arena_printf(
	    &e->ctx->run->arena, "%llu", (unsigned long long)e->nrevs), &ev);
	first = e->nrevs > ETCDDB_WRITES ? e->nrevs - ETCDDB_WRITES : 0;
	for (i = first; i < e->nrevs; i++) {
		const struct etcddb_write *w = &e->writes[i % ETCDDB_WRITES];
		size_t			 j;

		/* A key is bytes: NUL and newlines are shown as '?'. */
		for (j = 0; j < w->len; j++)
			key[j] = w->key[j] == '\0' || w->key[j] == '\n' ?
			    '?' : w->key[j];
		key[w->len] = '\0';
		qs_emit_setting(e->ctx, "etcd.db.write", qs_arena_printf(
		    &e->ctx->run->arena, "%llu %s%s", (unsigned long long)
		    w->rev, key, w->deleted ? " (deleted)" : ""), &ev);
	}
}

int
qs_parse_etcd_db(struct qs_parse_ctx *ctx)
{
	struct etcddb		 e;
	struct qs_bolt_bucket	 b;
	struct qs_evidence	 ev;
	const unsigned char	*data;
	size_t			 len;
	int			 rc;

	memset(&e, 0, sizeof(e));
	e.ctx = ctx;
	if (qs_source_map(ctx->src, ctx->run->limits.v[QS_LIMIT_MEMORY_ENTRY],
	    &data, &len) != 0) {
		qs_parse_diag(ctx, QS_SEV_ERROR, 0,
		    "backend could not be read");
		ctx->artifact->status = QS_STATUS_FAILED;
		return -1;
	}
	if (qs_bolt_open(&e.db, data, len, etcddb_bolt_diag, &e) != 0) {
		qs_parse_diag(ctx, QS_SEV_ERROR, 0, "no valid BoltDB meta "
		    "page: not readable as an etcd backend");
		ctx->artifact->status = QS_STATUS_FAILED;
		return -1;
	}
	e.db.release = ctx->src->map_is_mmap;
	etcddb_meta(&e);
	if (qs_bolt_path(&e.db, &b, "cluster", NULL) == 0)
		etcddb_text_setting(&e, &b, "clusterVersion",
		    "etcd.db.cluster_version");

	if ((rc = qs_bolt_path(&e.db, &b, "members", NULL)) == 0) {
		ev = qs_evidence_offset(ctx, b.root != 0 ? b.root *
		    e.db.page_size : b.inline_off, "bucket members");
		e.view = qs_emit_view(ctx, QS_VIEW_CONSENSUS,
		    "etcd backend members", &ev);
		e.view->clock = e.clock;
		qs_bolt_foreach(&e.db, &b, etcddb_member, &e);
	} else
		qs_parse_diag(ctx, QS_SEV_WARNING, 0, "no members bucket");

	if (qs_bolt_path(&e.db, &b, "members_removed", NULL) == 0) {
		ev = qs_evidence_offset(ctx, b.root != 0 ? b.root *
		    e.db.page_size : b.inline_off, "bucket members_removed");
		e.view = qs_emit_view(ctx, QS_VIEW_CONSENSUS,
		    "etcd backend removed members", &ev);
		e.view->clock = e.clock;
		qs_bolt_foreach(&e.db, &b, etcddb_removed, &e);
	}
	etcddb_keys(&e);
	qs_bolt_close(&e.db);
	return 0;
}
