/*
 * raft/raft.db: a Consul server's raft log and stable store, a BoltDB file
 * written by hashicorp/raft-boltdb (formats.md 2.1-2.4, 3.2, section 9).
 *
 * Upstream: hashicorp/raft-boltdb bolt_store.go (buckets `logs` and
 * `conf`, big-endian uint64 keys and stable values), hashicorp/raft
 * log.go (raft.Log, LogType), configuration.go (EncodeConfiguration),
 * hashicorp/go-raftchunking (ChunkInfo), Consul agent/structs (FSM message
 * types, RegisterRequest, DeregisterRequest).  Facts only.
 *
 * Extracted:
 *   conf: settings raft.current_term, raft.last_vote_term,
 *         raft.last_vote_candidate (an address).
 *   logs: streamed in key order, one entry at a time.
 *     - the first index of every term: a term-change event;
 *     - configurations (type 5, raft >= 1.0) and legacy peer sets (types 2
 *       and 3, full voter sets, formats.md 2.3 and 9): a consensus view
 *       "raft configuration (raft.db)" per entry, clock term+index, time
 *       from AppendedAt; diffed against the previous one into member-add,
 *       member-remove and (address, ID or suffrage changes) update events.
 *       The first set seen has nothing to diff against, so the bootstrap
 *       entry (index 1, type 3 with every peer) and an old leader's
 *       AddPeer with the whole list at term start yield no events unless
 *       the set really changed;
 *     - LogCommand Register with serfHealth critical: a fail event for the
 *       node; Deregister of a whole node (no ServiceID, no CheckID): a reap
 *       event, detail "deregistered"; Register node/address/ID: identities
 *       (role "catalog"), once per distinct triple;
 *     - chunked commands (non-empty Extensions = ChunkInfo) are joined
 *       before decoding, for Register/Deregister only (others are opaque).
 *   settings raft.first_index, raft.last_index, raft.last_term.
 *
 * Variants: raft 1.1.2 entries have five keys (no AppendedAt); newer ones
 * carry AppendedAt in any of the three time shapes (2.6); pre-1.0 entries
 * lack Extensions.  Memory is bounded whatever the log's length: only the
 * previous configuration, one chunked command (capped) and the identity
 * dedup table (capped) are kept.
 *
 * Known limits: other FSM message types are not decoded; raft snapshots
 * are another parser's; a chunked command interleaved with another one is
 * dropped (an info diagnostic says so).
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quorumscope.h"

#define RAFTDB_OBS_MAX		1000000	/* observations per artifact */
#define RAFTDB_SERVERS_MAX	128	/* servers in one configuration */
#define RAFTDB_STR_MAX		256	/* names, ids, addresses kept */
#define RAFTDB_CHUNK_MAX	(1024 * 1024)	/* a joined command */
#define RAFTDB_IDENT_MAX	10000	/* distinct catalog identities */
#define RAFTDB_DIAG_MAX		20	/* per-entry problems reported */
#define RAFTDB_MSG_REGISTER	0
#define RAFTDB_MSG_DEREGISTER	1

enum raftdb_logtype {
	RAFTDB_LOG_COMMAND = 0,
	RAFTDB_LOG_NOOP = 1,
	RAFTDB_LOG_ADD_PEER = 2,
	RAFTDB_LOG_REMOVE_PEER = 3,
	RAFTDB_LOG_BARRIER = 4,
	RAFTDB_LOG_CONFIGURATION = 5
};

struct raftdb_server {
	char	id[RAFTDB_STR_MAX];
	char	addr[RAFTDB_STR_MAX];
	int	suffrage;		/* 0 voter, 1 nonvoter, 2 staging */
};

struct raftdb_config {
	struct raftdb_server	*s;
	size_t			 n;
};

/* One decoded raft.Log. */
struct raftdb_log {
	uint64_t		 index;
	uint64_t		 term;
	uint64_t		 type;
	int			 has_index, has_term, has_type;
	const unsigned char	*data;
	size_t			 data_len;
	const unsigned char	*ext;
	size_t			 ext_len;
	struct qs_time		 time;
	uint64_t		 off;		/* file offset of the value */
};

struct raftdb {
	struct qs_parse_ctx	*ctx;
	struct qs_bolt		 db;
	uint64_t		 nobs;
	int			 capped;
	uint64_t		 nentries;
	uint64_t		 first_index;
	uint64_t		 last_index;
	uint64_t		 last_term;
	uint64_t		 cur_term;
	int			 have_term;
	uint64_t		 prev_key;
	int			 have_key;
	unsigned		 ndiag;
	struct raftdb_config	 prev;
	int			 have_prev;
	/* The chunked command being joined. */
	uint64_t		 ck_op;
	uint32_t		 ck_next;
	uint32_t		 ck_total;
	int			 ck_active;
	unsigned char		*ck_buf;
	size_t			 ck_len;
	/* Catalog identities already emitted. */
	struct qs_arena		 scratch;
	struct qs_map		 seen;
};

static void	raftdb_bolt_diag(void *, uint64_t, uint64_t, const char *);
static void	raftdb_entry_diag(struct raftdb *, uint64_t, const char *,
		    ...) QS_PRINTF(3, 4);
static int	raftdb_obs(struct raftdb *, size_t);
static void	raftdb_conf(struct raftdb *);
static int	raftdb_log_decode(const unsigned char *, size_t,
		    struct raftdb_log *);
static int	raftdb_each(void *, const unsigned char *, size_t,
		    const unsigned char *, size_t, uint32_t);
static void	raftdb_config_entry(struct raftdb *, const struct raftdb_log *);
static int	raftdb_config_decode(const struct raftdb_log *,
		    struct raftdb_config *, int *);
static int	raftdb_peers_decode(const struct raftdb_log *,
		    struct raftdb_config *, int *);
static int	raftdb_same(const struct raftdb_server *,
		    const struct raftdb_server *);
static const char *raftdb_subject(const struct raftdb_server *);
static void	raftdb_config_diff(struct raftdb *, const struct raftdb_log *,
		    const struct raftdb_config *);
static void	raftdb_command(struct raftdb *, const struct raftdb_log *);
static void	raftdb_fsm(struct raftdb *, const struct raftdb_log *,
		    const unsigned char *, size_t);
static int	raftdb_chunkinfo(const unsigned char *, size_t, uint64_t *,
		    uint32_t *, uint32_t *);
static void	raftdb_copy(char *, const struct qs_mp_val *);
static struct qs_event *raftdb_event(struct raftdb *, enum qs_event_kind,
		    const char *, const struct raftdb_log *, const char *);
static const char *raftdb_logtype_name(uint64_t);

static void
raftdb_bolt_diag(void *arg, uint64_t pgid, uint64_t off, const char *msg)
{
	struct raftdb	*r = arg;

	qs_parse_diag(r->ctx, QS_SEV_WARNING, 0, "BoltDB offset 0x%llx: %s",
	    (unsigned long long)off, msg);
	(void)pgid;
}

/* A problem with one log entry; the first few are reported. */
static void
raftdb_entry_diag(struct raftdb *r, uint64_t off, const char *fmt, ...)
{
	va_list	ap;
	char	msg[256];

	if (++r->ndiag > RAFTDB_DIAG_MAX)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	qs_parse_diag(r->ctx, QS_SEV_WARNING, 0, "offset 0x%llx: %s%s",
	    (unsigned long long)off, msg, r->ndiag == RAFTDB_DIAG_MAX ?
	    " (further entry problems are not reported)" : "");
}

/* Room for n more observations?  Says so once when the cap is hit. */
static int
raftdb_obs(struct raftdb *r, size_t n)
{
	if (r->nobs + n <= RAFTDB_OBS_MAX) {
		r->nobs += n;
		return 1;
	}
	if (!r->capped) {
		r->capped = 1;
		qs_parse_diag(r->ctx, QS_SEV_WARNING, 0, "more than %d "
		    "observations; the rest of the log is not recorded",
		    RAFTDB_OBS_MAX);
	}
	return 0;
}

static const char *
raftdb_logtype_name(uint64_t t)
{
	static const char *const names[] = { "LogCommand", "LogNoop",
	    "LogAddPeer", "LogRemovePeer", "LogBarrier", "LogConfiguration" };

	return t < sizeof(names) / sizeof(names[0]) ? names[t] : "LogUnknown";
}

/* Copies a string value, cut to RAFTDB_STR_MAX - 1, NUL-free. */
static void
raftdb_copy(char *dst, const struct qs_mp_val *v)
{
	size_t	n = 0;

	if (v->type == QS_MP_STR || v->type == QS_MP_BIN) {
		n = v->len < RAFTDB_STR_MAX - 1 ? v->len : RAFTDB_STR_MAX - 1;
		memcpy(dst, v->p, n);
		dst[n] = '\0';
		n = strlen(dst);
	}
	dst[n] = '\0';
}

/* The stable store: current term and last vote. */
static void
raftdb_conf(struct raftdb *r)
{
	static const char *const keys[] = { "CurrentTerm", "LastVoteTerm",
	    "LastVoteCand" };
	static const char *const names[] = { "raft.current_term",
	    "raft.last_vote_term", "raft.last_vote_candidate" };
	struct qs_bolt_bucket	 conf;
	const unsigned char	*v;
	size_t			 vlen, i;
	char			 buf[RAFTDB_STR_MAX], ex[RAFTDB_STR_MAX + 32];
	struct qs_evidence	 ev;
	int			 rc;

	if ((rc = qs_bolt_path(&r->db, &conf, "conf", NULL)) != 0) {
		if (rc > 0)
			qs_parse_diag(r->ctx, QS_SEV_WARNING, 0,
			    "no conf bucket: not a raft-boltdb store");
		return;
	}
	for (i = 0; i < 3; i++) {
		if (qs_bolt_get(&r->db, &conf, keys[i], strlen(keys[i]), &v,
		    &vlen, NULL) != 0)
			continue;
		if (i < 2) {
			if (vlen != 8) {
				qs_parse_diag(r->ctx, QS_SEV_WARNING, 0,
				    "conf %s: %zu bytes, not 8", keys[i], vlen);
				continue;
			}
			snprintf(buf, sizeof(buf), "%llu",
			    (unsigned long long)qs_be64(v));
		} else {
			struct qs_mp_val	sv;

			memset(&sv, 0, sizeof(sv));
			sv.type = QS_MP_STR;
			sv.p = v;
			sv.len = vlen;
			raftdb_copy(buf, &sv);
		}
		snprintf(ex, sizeof(ex), "conf %s = %s", keys[i], buf);
		ev = qs_evidence_offset(r->ctx, (uint64_t)(v - r->db.data), ex);
		if (raftdb_obs(r, 1))
			qs_emit_setting(r->ctx, names[i], buf, &ev);
	}
}

/*
 * Decodes a msgpack raft.Log map.  Keys may come in any order; unknown
 * keys are skipped.  Returns -1 when the value is not such a map.
 */
static int
raftdb_log_decode(const unsigned char *p, size_t len, struct raftdb_log *lg)
{
	struct qs_mp		 mp;
	struct qs_mp_val	 k, v;
	uint64_t		 i, n;

	memset(lg, 0, sizeof(*lg));
	qs_mp_init(&mp, p, len);
	if (qs_mp_read(&mp, &v) != 0 || v.type != QS_MP_MAP)
		return -1;
	n = v.u;
	for (i = 0; i < n; i++) {
		if (qs_mp_read(&mp, &k) != 0)
			return -1;
		if (k.type != QS_MP_STR && k.type != QS_MP_BIN) {
			if (qs_mp_skip(&mp) != 0)
				return -1;
			continue;
		}
		if (qs_mp_eq(&k, "Data") || qs_mp_eq(&k, "Extensions")) {
			if (qs_mp_read(&mp, &v) != 0 || !qs_mp_is_bytes(&v))
				return -1;
			if (qs_mp_eq(&k, "Data")) {
				lg->data = v.p;
				lg->data_len = v.len;
			} else {
				lg->ext = v.p;
				lg->ext_len = v.len;
			}
		} else if (qs_mp_eq(&k, "Index") || qs_mp_eq(&k, "Term") ||
		    qs_mp_eq(&k, "Type")) {
			uint64_t	u;

			if (qs_mp_read(&mp, &v) != 0 || qs_mp_uint(&v, &u) != 0)
				return -1;
			if (qs_mp_eq(&k, "Index")) {
				lg->index = u;
				lg->has_index = 1;
			} else if (qs_mp_eq(&k, "Term")) {
				lg->term = u;
				lg->has_term = 1;
			} else {
				lg->type = u;
				lg->has_type = 1;
			}
		} else if (qs_mp_eq(&k, "AppendedAt")) {
			if (qs_mp_read(&mp, &v) != 0)
				return -1;
			qs_mp_time(&v, &lg->time);
		} else if (qs_mp_skip(&mp) != 0)
			return -1;
	}
	return lg->has_index && lg->has_term && lg->has_type ? 0 : -1;
}

static struct qs_event *
raftdb_event(struct raftdb *r, enum qs_event_kind kind, const char *subject,
    const struct raftdb_log *lg, const char *detail)
{
	struct qs_evidence	 ev;
	struct qs_event		*e;
	char			 ex[128];

	if (!raftdb_obs(r, 1))
		return NULL;
	snprintf(ex, sizeof(ex), "log index %llu term %llu %s",
	    (unsigned long long)lg->index, (unsigned long long)lg->term,
	    raftdb_logtype_name(lg->type));
	ev = qs_evidence_offset(r->ctx, lg->off, ex);
	e = qs_emit_event(r->ctx, kind, subject, &ev);
	e->clock.set = QS_CLOCK_TERM | QS_CLOCK_INDEX;
	e->clock.term = lg->term;
	e->clock.index = lg->index;
	e->time = lg->time;
	e->detail = qs_pstrdup(r->ctx, detail);
	return e;
}

/* bolt callback: one log entry. */
static int
raftdb_each(void *arg, const unsigned char *k, size_t klen,
    const unsigned char *v, size_t vlen, uint32_t flags)
{
	struct raftdb		*r = arg;
	struct raftdb_log	 lg;
	uint64_t		 key, off = (uint64_t)(v - r->db.data);
	char			 detail[64];

	if (r->capped)
		return 1;
	if (klen != 8 || (flags & QS_BOLT_BUCKET_FLAG) != 0) {
		raftdb_entry_diag(r, off, "logs: key of %zu bytes%s skipped",
		    klen, flags & QS_BOLT_BUCKET_FLAG ? " (a bucket)" : "");
		return 0;
	}
	key = qs_be64(k);
	if (raftdb_log_decode(v, vlen, &lg) != 0) {
		raftdb_entry_diag(r, off, "log %llu: not a msgpack raft.Log "
		    "(%zu bytes)", (unsigned long long)key, vlen);
		return 0;
	}
	lg.off = off;
	if (lg.index != key)
		raftdb_entry_diag(r, off, "log key %llu holds index %llu",
		    (unsigned long long)key, (unsigned long long)lg.index);
	if (r->have_key && key != r->prev_key + 1)
		qs_parse_diag(r->ctx, QS_SEV_INFO, 0, "logs: gap or disorder "
		    "after index %llu: next is %llu",
		    (unsigned long long)r->prev_key, (unsigned long long)key);
	if (!r->have_key)
		r->first_index = lg.index;
	r->have_key = 1;
	r->prev_key = key;
	r->nentries++;
	r->last_index = lg.index;
	r->last_term = lg.term;

	if (!r->have_term || lg.term != r->cur_term) {
		if (r->have_term && lg.term < r->cur_term)
			raftdb_entry_diag(r, off, "log %llu: term %llu after "
			    "term %llu", (unsigned long long)lg.index,
			    (unsigned long long)lg.term,
			    (unsigned long long)r->cur_term);
		snprintf(detail, sizeof(detail), "first index %llu",
		    (unsigned long long)lg.index);
		raftdb_event(r, QS_EV_TERM_CHANGE, NULL, &lg, detail);
		r->cur_term = lg.term;
		r->have_term = 1;
	}
	switch (lg.type) {
	case RAFTDB_LOG_CONFIGURATION:
	case RAFTDB_LOG_ADD_PEER:
	case RAFTDB_LOG_REMOVE_PEER:
		raftdb_config_entry(r, &lg);
		break;
	case RAFTDB_LOG_COMMAND:
		raftdb_command(r, &lg);
		break;
	default:
		break;
	}
	return 0;
}

/*
 * Configuration {"Servers": [{"Suffrage", "ID", "Address"}, ...]}.  OUT:
 * servers (heap, cfg->s), *cut set when more than RAFTDB_SERVERS_MAX.
 */
static int
raftdb_config_decode(const struct raftdb_log *lg, struct raftdb_config *cfg,
    int *cut)
{
	struct qs_mp		 mp;
	struct qs_mp_val	 v, k;
	uint64_t		 i, j, n, ns;

	qs_mp_init(&mp, lg->data, lg->data_len);
	if (qs_mp_read(&mp, &v) != 0 || v.type != QS_MP_MAP)
		return -1;
	n = v.u;
	for (i = 0; i < n; i++) {
		if (qs_mp_read(&mp, &k) != 0)
			return -1;
		if (!qs_mp_eq(&k, "Servers")) {
			if (qs_mp_skip(&mp) != 0)
				return -1;
			continue;
		}
		if (qs_mp_read(&mp, &v) != 0)
			return -1;
		if (v.type == QS_MP_NIL)
			continue;
		if (v.type != QS_MP_ARRAY)
			return -1;
		for (ns = v.u, j = 0; j < ns; j++) {
			struct raftdb_server	 s;
			uint64_t		 f, nf, u;

			memset(&s, 0, sizeof(s));
			if (qs_mp_read(&mp, &v) != 0 || v.type != QS_MP_MAP)
				return -1;
			for (nf = v.u, f = 0; f < nf; f++) {
				if (qs_mp_read(&mp, &k) != 0 ||
				    qs_mp_read(&mp, &v) != 0)
					return -1;
				if (v.type == QS_MP_ARRAY ||
				    v.type == QS_MP_MAP)
					return -1;
				if (qs_mp_eq(&k, "ID"))
					raftdb_copy(s.id, &v);
				else if (qs_mp_eq(&k, "Address"))
					raftdb_copy(s.addr, &v);
				else if (qs_mp_eq(&k, "Suffrage") &&
				    qs_mp_uint(&v, &u) == 0)
					s.suffrage = u > 2 ? 2 : (int)u;
			}
			if (cfg->n >= RAFTDB_SERVERS_MAX) {
				*cut = 1;
				continue;
			}
			cfg->s = qs_xreallocarray(cfg->s, cfg->n + 1,
			    sizeof(*cfg->s));
			cfg->s[cfg->n++] = s;
		}
	}
	return 0;
}

/* Legacy peer set: a msgpack array of "ip:port" raw strings. */
static int
raftdb_peers_decode(const struct raftdb_log *lg, struct raftdb_config *cfg,
    int *cut)
{
	struct qs_mp		 mp;
	struct qs_mp_val	 v;
	uint64_t		 i, n;

	qs_mp_init(&mp, lg->data, lg->data_len);
	if (qs_mp_read(&mp, &v) != 0)
		return -1;
	if (v.type == QS_MP_NIL)
		return 0;
	if (v.type != QS_MP_ARRAY)
		return -1;
	for (n = v.u, i = 0; i < n; i++) {
		struct raftdb_server	s;

		memset(&s, 0, sizeof(s));
		if (qs_mp_read(&mp, &v) != 0 ||
		    (v.type != QS_MP_STR && v.type != QS_MP_BIN))
			return -1;
		if (cfg->n >= RAFTDB_SERVERS_MAX) {
			*cut = 1;
			continue;
		}
		raftdb_copy(s.addr, &v);
		cfg->s = qs_xreallocarray(cfg->s, cfg->n + 1, sizeof(*cfg->s));
		cfg->s[cfg->n++] = s;
	}
	return 0;
}

/* Same server?  By ID when both have one, else by address. */
static int
raftdb_same(const struct raftdb_server *a, const struct raftdb_server *b)
{
	if (a->id[0] != '\0' && b->id[0] != '\0' && strcmp(a->id, b->id) == 0)
		return 1;
	return a->addr[0] != '\0' && strcmp(a->addr, b->addr) == 0;
}

static const char *
raftdb_subject(const struct raftdb_server *s)
{
	return s->addr[0] != '\0' ? s->addr : s->id;
}

/*
 * Membership sets are complete, never deltas (formats.md 2.3): what
 * changed is the difference with the previous set.
 */
static void
raftdb_config_diff(struct raftdb *r, const struct raftdb_log *lg,
    const struct raftdb_config *cur)
{
	static const char *const suff[] = { "voter", "nonvoter", "staging" };
	const struct raftdb_config *old = &r->prev;
	char		 detail[RAFTDB_STR_MAX * 2 + 64];
	size_t		 i, j;

	for (i = 0; i < cur->n; i++) {
		const struct raftdb_server *s = &cur->s[i];

		for (j = 0; j < old->n; j++)
			if (raftdb_same(s, &old->s[j]))
				break;
		if (j == old->n) {
			snprintf(detail, sizeof(detail), "%s%s%s",
			    suff[s->suffrage], s->id[0] ? " id " : "", s->id);
			raftdb_event(r, QS_EV_MEMBER_ADD, raftdb_subject(s), lg,
			    detail);
			continue;
		}
		if (strcmp(s->addr, old->s[j].addr) != 0 && s->addr[0] &&
		    old->s[j].addr[0])
			snprintf(detail, sizeof(detail), "address %s -> %s",
			    old->s[j].addr, s->addr);
		else if (strcmp(s->id, old->s[j].id) != 0 && s->id[0] &&
		    old->s[j].id[0])
			snprintf(detail, sizeof(detail), "id %s -> %s",
			    old->s[j].id, s->id);
		else if (s->suffrage != old->s[j].suffrage)
			snprintf(detail, sizeof(detail), "suffrage %s -> %s",
			    suff[old->s[j].suffrage], suff[s->suffrage]);
		else
			continue;
		raftdb_event(r, QS_EV_UPDATE, raftdb_subject(s), lg, detail);
	}
	for (j = 0; j < old->n; j++) {
		for (i = 0; i < cur->n; i++)
			if (raftdb_same(&cur->s[i], &old->s[j]))
				break;
		if (i == cur->n)
			raftdb_event(r, QS_EV_MEMBER_REMOVE,
			    raftdb_subject(&old->s[j]), lg,
			    suff[old->s[j].suffrage]);
	}
}

static void
raftdb_config_entry(struct raftdb *r, const struct raftdb_log *lg)
{
	struct raftdb_config	 cur = { NULL, 0 };
	struct qs_evidence	 ev;
	struct qs_view		*view;
	char			 ex[128];
	size_t			 i;
	int			 cut = 0, rc;

	if (lg->type == RAFTDB_LOG_CONFIGURATION)
		rc = raftdb_config_decode(lg, &cur, &cut);
	else
		rc = raftdb_peers_decode(lg, &cur, &cut);
	if (rc != 0) {
		raftdb_entry_diag(r, lg->off, "log %llu: %s data is not a "
		    "%s", (unsigned long long)lg->index,
		    raftdb_logtype_name(lg->type),
		    lg->type == RAFTDB_LOG_CONFIGURATION ? "configuration" :
		    "peer list");
		free(cur.s);
		return;
	}
	if (cut)
		raftdb_entry_diag(r, lg->off, "log %llu: more than %d servers; "
		    "the rest are ignored", (unsigned long long)lg->index,
		    RAFTDB_SERVERS_MAX);
	if (raftdb_obs(r, 1 + cur.n)) {
		snprintf(ex, sizeof(ex), "log index %llu term %llu %s, %zu "
		    "servers", (unsigned long long)lg->index,
		    (unsigned long long)lg->term, raftdb_logtype_name(lg->type),
		    cur.n);
		ev = qs_evidence_offset(r->ctx, lg->off, ex);
		view = qs_emit_view(r->ctx, QS_VIEW_CONSENSUS,
		    "raft configuration (raft.db)", &ev);
		view->clock.set = QS_CLOCK_TERM | QS_CLOCK_INDEX;
		view->clock.term = lg->term;
		view->clock.index = lg->index;
		view->time = lg->time;
		for (i = 0; i < cur.n; i++)
			qs_view_add(r->ctx, view, NULL,
			    cur.s[i].addr[0] ? cur.s[i].addr : NULL,
			    cur.s[i].id[0] ? cur.s[i].id : NULL,
			    cur.s[i].suffrage == 0 ? QS_MEMBER_VOTER :
			    QS_MEMBER_NONVOTER);
	}
	if (r->have_prev)
		raftdb_config_diff(r, lg, &cur);
	free(r->prev.s);
	r->prev = cur;
	r->have_prev = 1;
}

/* Protobuf ChunkInfo {1 op_num, 2 sequence_num, 3 num_chunks, 4 bytes}. */
static int
raftdb_chunkinfo(const unsigned char *p, size_t len, uint64_t *op,
    uint32_t *seq, uint32_t *total)
{
	size_t		pos = 0;

	*op = 0;
	*seq = *total = 0;
	while (pos < len) {
		uint64_t	tag = 0, val = 0;
		unsigned	shift;
		int		i;

		/* Two varints at most per field: the tag, then the value. */
		for (i = 0; i < 2; i++) {
			uint64_t	x = 0;

			for (shift = 0; ; shift += 7) {
				if (pos >= len || shift > 63)
					return -1;
				x |= (uint64_t)(p[pos] & 0x7f) << shift;
				if ((p[pos++] & 0x80) == 0)
					break;
			}
			if (i == 0) {
				tag = x;
				if ((tag & 7) != 0 && (tag & 7) != 2)
					return -1;
			} else
				val = x;
		}
		if ((tag & 7) == 2) {
			if (val > len - pos)
				return -1;
			pos += (size_t)val;
			continue;
		}
		switch (tag >> 3) {
		case 1:
			*op = val;
			break;
		case 2:
			*seq = (uint32_t)val;
			break;
		case 3:
			*total = (uint32_t)val;
			break;
		}
	}
	/* proto3 leaves zero fields out: op 0 and sequence 0 are legal. */
	return *total > 0 && *seq < *total ? 0 : -1;
}

/*
 * LogCommand: plain ones go straight to the FSM decoder; chunked ones are
 * joined first, but only when chunk 0 says Register or Deregister, and
 * only up to RAFTDB_CHUNK_MAX bytes.
 */
static void
raftdb_command(struct raftdb *r, const struct raftdb_log *lg)
{
	uint64_t	op;
	uint32_t	seq, total;

	if (lg->ext_len == 0) {
		raftdb_fsm(r, lg, lg->data, lg->data_len);
		return;
	}
	if (raftdb_chunkinfo(lg->ext, lg->ext_len, &op, &seq, &total) != 0) {
		raftdb_entry_diag(r, lg->off, "log %llu: Extensions are not a "
		    "ChunkInfo", (unsigned long long)lg->index);
		return;
	}
	if (seq == 0) {
		unsigned	t;

		if (r->ck_active)
			qs_parse_diag(r->ctx, QS_SEV_INFO, 0, "chunked command "
			    "%llu left incomplete",
			    (unsigned long long)r->ck_op);
		r->ck_active = 0;
		r->ck_len = 0;
		t = lg->data_len > 0 ? lg->data[0] & 0x7f : 0xff;
		if (t != RAFTDB_MSG_REGISTER && t != RAFTDB_MSG_DEREGISTER)
			return;
		r->ck_active = 1;
		r->ck_op = op;
		r->ck_total = total;
		r->ck_next = 0;
	}
	if (!r->ck_active || op != r->ck_op || seq != r->ck_next ||
	    total != r->ck_total) {
		if (r->ck_active)
			qs_parse_diag(r->ctx, QS_SEV_INFO, 0, "log %llu: chunk "
			    "%u of command %llu out of order; dropped",
			    (unsigned long long)lg->index, seq,
			    (unsigned long long)op);
		r->ck_active = 0;
		return;
	}
	if (lg->data_len > RAFTDB_CHUNK_MAX - r->ck_len) {
		qs_parse_diag(r->ctx, QS_SEV_INFO, 0, "log %llu: chunked "
		    "command over %d bytes; not decoded",
		    (unsigned long long)lg->index, RAFTDB_CHUNK_MAX);
		r->ck_active = 0;
		return;
	}
	if (r->ck_buf == NULL)
		r->ck_buf = qs_xmalloc(RAFTDB_CHUNK_MAX);
	if (lg->data_len > 0)
		memcpy(r->ck_buf + r->ck_len, lg->data, lg->data_len);
	r->ck_len += lg->data_len;
	r->ck_next++;
	if (r->ck_next == r->ck_total) {
		r->ck_active = 0;
		raftdb_fsm(r, lg, r->ck_buf, r->ck_len);
	}
}

/*
 * Consul FSM message: type byte (0x80 may be set), then msgpack.  Reads
 * Node, Address, ID, ServiceID, CheckID and Check.{CheckID,Status} of a
 * Register or Deregister request.
 */
static void
raftdb_fsm(struct raftdb *r, const struct raftdb_log *lg,
    const unsigned char *p, size_t len)
{
	struct qs_mp		 mp;
	struct qs_mp_val	 k, v;
	char			 node[RAFTDB_STR_MAX], addr[RAFTDB_STR_MAX];
	char			 id[RAFTDB_STR_MAX], check[RAFTDB_STR_MAX];
	char			 status[RAFTDB_STR_MAX], tmp[RAFTDB_STR_MAX];
	int			 has_svc = 0, has_check = 0;
	uint64_t		 i, n, j, m;
	unsigned		 t;

	if (len == 0)
		return;
	t = p[0] & 0x7f;
	if (t != RAFTDB_MSG_REGISTER && t != RAFTDB_MSG_DEREGISTER)
		return;
	node[0] = addr[0] = id[0] = check[0] = status[0] = '\0';
	qs_mp_init(&mp, p + 1, len - 1);
	if (qs_mp_read(&mp, &v) != 0 || v.type != QS_MP_MAP)
		goto bad;
	for (n = v.u, i = 0; i < n; i++) {
		if (qs_mp_read(&mp, &k) != 0)
			goto bad;
		if (qs_mp_eq(&k, "Check") && t == RAFTDB_MSG_REGISTER) {
			if (qs_mp_read(&mp, &v) != 0)
				goto bad;
			if (v.type == QS_MP_NIL)
				continue;
			if (v.type != QS_MP_MAP)
				goto bad;
			for (m = v.u, j = 0; j < m; j++) {
				if (qs_mp_read(&mp, &k) != 0)
					goto bad;
				if (qs_mp_eq(&k, "CheckID") ||
				    qs_mp_eq(&k, "Status")) {
					if (qs_mp_read(&mp, &v) != 0)
						goto bad;
					raftdb_copy(qs_mp_eq(&k, "Status") ?
					    status : check, &v);
				} else if (qs_mp_skip(&mp) != 0)
					goto bad;
			}
			continue;
		}
		if (qs_mp_eq(&k, "Node") || qs_mp_eq(&k, "Address") ||
		    qs_mp_eq(&k, "ID") || qs_mp_eq(&k, "ServiceID") ||
		    qs_mp_eq(&k, "CheckID")) {
			if (qs_mp_read(&mp, &v) != 0)
				goto bad;
			if (v.type == QS_MP_ARRAY || v.type == QS_MP_MAP)
				goto bad;
			if (qs_mp_eq(&k, "Node"))
				raftdb_copy(node, &v);
			else if (qs_mp_eq(&k, "Address"))
				raftdb_copy(addr, &v);
			else if (qs_mp_eq(&k, "ID"))
				raftdb_copy(id, &v);
			else {
				raftdb_copy(tmp, &v);
				if (tmp[0] != '\0') {
					if (qs_mp_eq(&k, "ServiceID"))
						has_svc = 1;
					else
						has_check = 1;
				}
			}
			continue;
		}
		if (qs_mp_skip(&mp) != 0)
			goto bad;
	}
	if (node[0] == '\0')
		return;
	if (t == RAFTDB_MSG_DEREGISTER) {
		if (!has_svc && !has_check)
			raftdb_event(r, QS_EV_REAP, node, lg, "deregistered");
		return;
	}
	if (strcmp(check, "serfHealth") == 0 && strcmp(status, "critical") == 0)
		raftdb_event(r, QS_EV_FAIL, node, lg, "serfHealth critical "
		    "(catalog)");
	if (addr[0] != '\0' || id[0] != '\0') {
		struct qs_evidence	 ev;
		char			 ex[128], key[RAFTDB_STR_MAX * 3 + 3];

		snprintf(key, sizeof(key), "%s\t%s\t%s", node, addr, id);
		if (r->seen.n >= RAFTDB_IDENT_MAX ||
		    qs_map_get(&r->seen, key) != NULL)
			return;
		qs_map_put(&r->seen, &r->scratch, key, r);
		if (!raftdb_obs(r, 2))
			return;
		snprintf(ex, sizeof(ex), "log index %llu Register %s",
		    (unsigned long long)lg->index, node);
		ev = qs_evidence_offset(r->ctx, lg->off, ex);
		if (addr[0] != '\0')
			qs_emit_identity(r->ctx, QS_ID_ADDRESS, addr, "catalog",
			    node, &ev);
		if (id[0] != '\0')
			qs_emit_identity(r->ctx, QS_ID_NODE_ID, id, "catalog",
			    node, &ev);
	}
	return;
bad:
	raftdb_entry_diag(r, lg->off, "log %llu: %s command is not the "
	    "expected msgpack", (unsigned long long)lg->index,
	    t == RAFTDB_MSG_REGISTER ? "Register" : "Deregister");
}

int
qs_parse_consul_raftdb(struct qs_parse_ctx *ctx)
{
	struct raftdb		 r;
	struct qs_bolt_bucket	 logs;
	struct qs_evidence	 ev;
	const unsigned char	*data;
	size_t			 len;
	char			 buf[32];
	int			 rc;

	memset(&r, 0, sizeof(r));
	r.ctx = ctx;
	if (qs_source_map(ctx->src, ctx->run->limits.v[QS_LIMIT_MEMORY_ENTRY],
	    &data, &len) != 0) {
		qs_parse_diag(ctx, QS_SEV_ERROR, 0,
		    "raft.db could not be read");
		ctx->artifact->status = QS_STATUS_FAILED;
		return -1;
	}
	if (qs_bolt_open(&r.db, data, len, raftdb_bolt_diag, &r) != 0) {
		qs_parse_diag(ctx, QS_SEV_ERROR, 0,
		    "no valid BoltDB meta page: not readable as raft.db");
		ctx->artifact->status = QS_STATUS_FAILED;
		return -1;
	}
	r.db.release = ctx->src->map_is_mmap;
	raftdb_conf(&r);
	if ((rc = qs_bolt_path(&r.db, &logs, "logs", NULL)) == 0)
		qs_bolt_foreach(&r.db, &logs, raftdb_each, &r);
	else if (rc > 0)
		qs_parse_diag(ctx, QS_SEV_WARNING, 0, "no logs bucket: not a "
		    "raft-boltdb store");
	if (r.ndiag > RAFTDB_DIAG_MAX)
		qs_parse_diag(ctx, QS_SEV_WARNING, 0, "%u problems with log "
		    "entries in all", r.ndiag);
	if (r.ck_active)
		qs_parse_diag(ctx, QS_SEV_INFO, 0, "chunked command %llu "
		    "incomplete at the end of the log",
		    (unsigned long long)r.ck_op);
	if (rc == 0) {
		ev = qs_evidence_whole(ctx);
		if (r.have_key) {
			snprintf(buf, sizeof(buf), "%llu",
			    (unsigned long long)r.first_index);
			qs_emit_setting(ctx, "raft.first_index", buf, &ev);
		}
		snprintf(buf, sizeof(buf), "%llu",
		    (unsigned long long)r.last_index);
		qs_emit_setting(ctx, "raft.last_index", buf, &ev);
		snprintf(buf, sizeof(buf), "%llu",
		    (unsigned long long)r.last_term);
		qs_emit_setting(ctx, "raft.last_term", buf, &ev);
	}
	free(r.prev.s);
	free(r.ck_buf);
	qs_map_free(&r.seen);
	qs_arena_free(&r.scratch);
	qs_bolt_close(&r.db);
	return 0;
}
