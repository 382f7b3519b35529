/*
 * raft/snapshots/<term>-<index>-<ms>/meta.json: the metadata hashicorp/raft
 * writes beside a file snapshot's state.bin (formats.md 2.5).
 *
 * Upstream: hashicorp/raft file_snapshot.go (fileSnapshotMeta, written with
 * Go's JSON encoder) and snapshot.go (SnapshotMeta); configuration.go for
 * the server suffrage values.  One object, keys in this order: Version
 * (0 or 1), ID (the directory name), Index, Term, Peers (base64 of the
 * legacy msgpack peer list; ignored), Configuration {"Servers": [{Suffrage,
 * ID, Address}]} (Suffrage numeric: 0 voter, 1 non-voter, 2 staging),
 * ConfigurationIndex, Size, CRC.
 *
 * Extracted: one consensus view "raft snapshot meta.json" with the
 * snapshot's term and index as its clock and the configuration's servers
 * (voters; non-voters and staging servers as non-voters), and settings
 * raft.snapshot_index, raft.snapshot_term and
 * raft.snapshot_configuration_index.  Index and Term are read from the raw
 * digits (exact to 64 bits, which cJSON's doubles are not).
 *
 * Variants: Version 0 snapshots (raft < 1.0) carry no Configuration, only
 * Peers; no view is made for them (an info diagnostic says so).  Known
 * limits: Peers, Size and CRC are not checked against state.bin.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "quorumscope.h"

#define META_MAX_KEYS		100000
#define META_MAX_SERVERS	100000
#define META_MAX_COMPLAINTS	20

static int	meta_fail(struct qs_parse_ctx *, uint64_t, const char *);
static const struct qs_json_key *meta_key(const struct qs_json_key *,
		    size_t, const char *);
static int	meta_u64(struct qs_parse_ctx *, const cJSON *, const char *,
		    size_t, const struct qs_json_key *, size_t, const char *,
		    uint64_t *, uint64_t *);
static void	meta_servers(struct qs_parse_ctx *, struct qs_view *,
		    const cJSON *);
static void	meta_check_id(struct qs_parse_ctx *, const cJSON *, int,
		    uint64_t, int, uint64_t, uint64_t);

static int
meta_fail(struct qs_parse_ctx *ctx, uint64_t line, const char *why)
{
	qs_parse_diag(ctx, QS_SEV_ERROR, line, "snapshot meta.json: %s", why);
	ctx->artifact->status = QS_STATUS_FAILED;
	return -1;
}

/* The top-level key of that name, or NULL. */
static const struct qs_json_key *
meta_key(const struct qs_json_key *keys, size_t n, const char *name)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (keys[i].depth == 1 && qs_json_key_is(&keys[i], name))
			return &keys[i];
	return NULL;
}

/*
 * A top-level unsigned integer, from the raw digits.  OUT: *v and *line.
 * Returns 1 when read, 0 when absent, -1 when present but not an
 * unsigned integer (diagnosed).
 */
static int
meta_u64(struct qs_parse_ctx *ctx, const cJSON *root, const char *text,
    size_t len, const struct qs_json_key *keys, size_t nkeys,
    const char *name, uint64_t *v, uint64_t *line)
{
	const cJSON		*item;
	const struct qs_json_key *k = meta_key(keys, nkeys, name);

	item = cJSON_GetObjectItemCaseSensitive(root, name);

	if (item == NULL)
		return 0;
	*line = k != NULL ? k->line : 0;
	if (!cJSON_IsNumber(item) || k == NULL ||
	    qs_json_raw_u64(text, len, k->value, v) != 0) {
		qs_parse_diag(ctx, QS_SEV_WARNING, *line, "snapshot meta.json: "
		    "%s is not an unsigned integer; ignored", name);
		return -1;
	}
	return 1;
}

static void
meta_servers(struct qs_parse_ctx *ctx, struct qs_view *v,
    const cJSON *servers)
{
	const cJSON	*s;
	int		 i = 0, bad = 0;

	for (s = servers->child; s != NULL; s = s->next, i++) {
		const cJSON		*suf, *id, *addr;
		enum qs_member_state	 state;

		if (i == META_MAX_SERVERS) {
			qs_parse_diag(ctx, QS_SEV_WARNING, 0, "snapshot "
			    "meta.json: more than %d servers; the rest are "
			    "ignored", META_MAX_SERVERS);
			break;
		}
		suf = cJSON_GetObjectItemCaseSensitive(s, "Suffrage");
		id = cJSON_GetObjectItemCaseSensitive(s, "ID");
		addr = cJSON_GetObjectItemCaseSensitive(s, "Address");
		if (!cJSON_IsObject(s) || (id != NULL && !cJSON_IsString(id)) ||
		    (addr != NULL && !cJSON_IsString(addr)) ||
		    (suf != NULL && !cJSON_IsNumber(suf))) {
			if (bad++ < META_MAX_COMPLAINTS)
				qs_parse_diag(ctx, QS_SEV_WARNING, 0,
				    "snapshot meta.json: server %d is "
				    "malformed; skipped", i + 1);
			continue;
		}
		/* A missing Suffrage is Go's zero value: a voter. */
		if (suf == NULL || suf->valuedouble == 0)
			state = QS_MEMBER_VOTER;
		else if (suf->valuedouble == 1 || suf->valuedouble == 2)
			state = QS_MEMBER_NONVOTER;	/* staging too */
		else {
			if (bad++ < META_MAX_COMPLAINTS)
				qs_parse_diag(ctx, QS_SEV_WARNING, 0,
				    "snapshot meta.json: server %d has an "
				    "unknown suffrage; listed without a role",
				    i + 1);
			state = QS_MEMBER_LISTED;
		}
		qs_view_add(ctx, v, NULL,
		    addr != NULL ? addr->valuestring : NULL,
		    id != NULL ? id->valuestring : NULL, state);
	}
}

/*
 * ID is <term>-<index>-<ms>, and names the directory: a mismatch means a
 * renamed or hand-copied snapshot, worth a note.
 */
static void
meta_check_id(struct qs_parse_ctx *ctx, const cJSON *id, int have_term,
    uint64_t term, int have_index, uint64_t index, uint64_t line)
{
	const char	*logical = ctx->artifact->logical, *slash, *dir;
	char		 want[48];
	size_t		 dlen, wl;

	if (!cJSON_IsString(id) || id->valuestring == NULL)
		return;
	if (have_term && have_index) {
		wl = (size_t)snprintf(want, sizeof(want), "%llu-%llu-",
		    (unsigned long long)term, (unsigned long long)index);
		if (strncmp(id->valuestring, want, wl) != 0)
			qs_parse_diag(ctx, QS_SEV_WARNING, line, "snapshot "
			    "meta.json: ID does not start with its Term and "
			    "Index");
	}
	/* The directory holding meta.json. */
	slash = strrchr(logical, '/');
	if (slash == NULL)
		return;
	for (dir = slash; dir > logical && dir[-1] != '/'; dir--)
		;
	dlen = (size_t)(slash - dir);
	if (dlen > 0 && (strlen(id->valuestring) != dlen ||
	    memcmp(id->valuestring, dir, dlen) != 0))
		qs_parse_diag(ctx, QS_SEV_INFO, line, "snapshot meta.json: ID "
		    "differs from the directory name (renamed or copied)");
}

int
qs_parse_consul_snapshot_meta(struct qs_parse_ctx *ctx)
{
	const unsigned char		*data;
	const char			*text, *end = NULL;
	size_t				 len, nkeys;
	cJSON				*root, *conf, *servers;
	struct qs_json_key		*keys = NULL;
	const struct qs_json_key	*k;
	struct qs_evidence		 ev;
	struct qs_view			*v;
	uint64_t			 term = 0, index = 0, cindex = 0;
	uint64_t			 tline = 0, iline = 0, cline = 0;
	int				 have_term, have_index, have_cindex;
	char				 buf[32];

	if (qs_source_map(ctx->src, ctx->run->limits.v[QS_LIMIT_MEMORY_ENTRY],
	    &data, &len) != 0)
		return meta_fail(ctx, 0, "the entry could not be read");
	text = (const char *)data;
	root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
	if (root == NULL) {
		uint64_t	line = 0;

		if (end != NULL && end >= text && end <= text + len)
			line = qs_json_line_at(text, len, (size_t)(end - text));
		return meta_fail(ctx, line, "not valid JSON (raft skips this "
		    "snapshot)");
	}
	if (!cJSON_IsObject(root)) {
		cJSON_Delete(root);
		return meta_fail(ctx, 1, "not a JSON object");
	}
	nkeys = qs_json_keys(text, len, 1, META_MAX_KEYS, &keys);

	have_index = meta_u64(ctx, root, text, len, keys, nkeys, "Index",
	    &index, &iline) == 1;
	have_term = meta_u64(ctx, root, text, len, keys, nkeys, "Term",
	    &term, &tline) == 1;
	have_cindex = meta_u64(ctx, root, text, len, keys, nkeys,
	    "ConfigurationIndex", &cindex, &cline) == 1;
	if (have_index) {
		snprintf(buf, sizeof(buf), "%llu", (unsigned long long)index);
		ev = qs_evidence_line(ctx, iline, qs_arena_printf(
		    &ctx->run->arena, "\"Index\": %s", buf));
		qs_emit_setting(ctx, "raft.snapshot_index", buf, &ev);
	}
	if (have_term) {
		snprintf(buf, sizeof(buf), "%llu", (unsigned long long)term);
		ev = qs_evidence_line(ctx, tline, qs_arena_printf(
		    &ctx->run->arena, "\"Term\": %s", buf));
		qs_emit_setting(ctx, "raft.snapshot_term", buf, &ev);
	}
	if (have_cindex) {
		snprintf(buf, sizeof(buf), "%llu", (unsigned long long)cindex);
		ev = qs_evidence_line(ctx, cline, qs_arena_printf(
		    &ctx->run->arena, "\"ConfigurationIndex\": %s", buf));
		qs_emit_setting(ctx, "raft.snapshot_configuration_index", buf,
		    &ev);
	}
	if (!have_index || !have_term)
		qs_parse_diag(ctx, QS_SEV_WARNING, 0, "snapshot meta.json: no "
		    "usable %s", !have_index && !have_term ? "Index and Term" :
		    !have_index ? "Index" : "Term");
	k = meta_key(keys, nkeys, "ID");
	meta_check_id(ctx, cJSON_GetObjectItemCaseSensitive(root, "ID"),
	    have_term, term, have_index, index, k != NULL ? k->line : 0);

	conf = cJSON_GetObjectItemCaseSensitive(root, "Configuration");
	servers = cJSON_IsObject(conf) ?
	    cJSON_GetObjectItemCaseSensitive(conf, "Servers") : NULL;
	k = meta_key(keys, nkeys, "Configuration");
	if (conf == NULL || cJSON_IsNull(conf))
		qs_parse_diag(ctx, QS_SEV_INFO, 0, "snapshot meta.json: no "
		    "Configuration (a version 0 snapshot); its legacy Peers "
		    "are not decoded");
	else if (!cJSON_IsArray(servers) && !cJSON_IsNull(servers))
		qs_parse_diag(ctx, QS_SEV_WARNING, k != NULL ? k->line : 0,
		    "snapshot meta.json: Configuration has no Servers list");
	else {
		ev = qs_evidence_line(ctx, k != NULL ? k->line : 0, NULL);
		v = qs_emit_view(ctx, QS_VIEW_CONSENSUS,
		    "raft snapshot meta.json", &ev);
		if (have_term) {
			v->clock.set |= QS_CLOCK_TERM;
			v->clock.term = term;
		}
		if (have_index) {
			v->clock.set |= QS_CLOCK_INDEX;
			v->clock.index = index;
		}
		if (cJSON_IsArray(servers))
			meta_servers(ctx, v, servers);
	}
	free(keys);
	cJSON_Delete(root);
	return 0;
}
