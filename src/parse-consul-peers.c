/*
 * raft/peers.json and raft/peers.info of a Consul server (formats.md 2.8).
 *
 * Upstream: hashicorp/raft peer.go (v0.x, the JSONPeers store) and
 * peersjson.go (ReadPeersJSON, ReadConfigJSON, raft >= 1.0); Consul's
 * agent/consul/server.go decides when the file is read (peers.info).
 *
 * Variants of peers.json, all recorded as one consensus view:
 *   - a JSON list of "ip:port" strings: the live peer store of raft v0.x
 *     (Consul <= 0.6), or a recovery file for raft protocol < 3;
 *     view "raft/peers.json (legacy)", members listed by address;
 *   - the literal null: what a graceful server leave left behind in
 *     Consul 0.5/0.6 (no peers at all); view with is_null set;
 *   - []: an empty list; view without members;
 *   - a list of {"id", "address", "non_voter"} objects: a protocol-3
 *     recovery file; view "raft/peers.json (recovery)", voters and
 *     non-voters with id and address.
 * Setting raft.peers_json says which form ("legacy", "recovery", "null",
 * "empty") so that rules need not parse the view's source.
 * peers.info only matters by its presence: setting raft.peers_info.
 *
 * Known limits: member entries carry no line numbers (cJSON keeps none);
 * the checks raft makes before applying a recovery file (non-empty and
 * unique ids and addresses, at least one voter) are reported as warnings,
 * not enforced.  Keys are matched without regard to case, as Go's
 * encoding/json does.
 */
#include "config.h"

#include <string.h>

#include <cjson/cJSON.h>

#include "quorumscope.h"

/* More members than any real cluster; a hostile file stops here. */
#define PEERS_MAX_MEMBERS	100000
/* Checks of a hostile file stop after this many complaints or members. */
#define PEERS_MAX_COMPLAINTS	20
#define PEERS_MAX_COMPARED	1000
/* Longest line kept for peers.info's excerpt. */
#define PEERS_INFO_LINE		1024

static int	peers_fail(struct qs_parse_ctx *, uint64_t, const char *);
static const char *peers_first_line(struct qs_parse_ctx *, const char *,
		    size_t);
static void	peers_check_unique(struct qs_parse_ctx *, struct qs_view *,
		    int);
static int	peers_add_address(struct qs_parse_ctx *, struct qs_view *,
		    const cJSON *, const char **);
static int	peers_add_object(struct qs_parse_ctx *, struct qs_view *,
		    const cJSON *, const char **);

/*
 * The entry could not be used at all: an error diagnostic, then the
 * artifact is failed (qs_parse_diag alone would only make it partial).
 */
static int
peers_fail(struct qs_parse_ctx *ctx, uint64_t line, const char *why)
{
	qs_parse_diag(ctx, QS_SEV_ERROR, line, "peers.json: %s", why);
	ctx->artifact->status = QS_STATUS_FAILED;
	return -1;
}

/* First non-blank line of the text, for evidence; NULL when none. */
static const char *
peers_first_line(struct qs_parse_ctx *ctx, const char *text, size_t len)
{
	size_t	i = 0, j;

	while (i < len && (text[i] == ' ' || text[i] == '\t' ||
	    text[i] == '\r' || text[i] == '\n'))
		i++;
	for (j = i; j < len && text[j] != '\n' && text[j] != '\r' &&
	    text[j] != '\0'; j++)
		;
	if (j == i)
		return NULL;
	return qs_pstrndup(ctx, text + i, j - i);
}

/*
 * A legacy element: an "ip:port" string.  Returns 0 when added, 1 when
 * added but odd, -1 when skipped; OUT: *why says what was wrong.
 */
static int
peers_add_address(struct qs_parse_ctx *ctx, struct qs_view *v,
    const cJSON *el, const char **why)
{
	if (!cJSON_IsString(el) || el->valuestring == NULL) {
		*why = "is not an address string (the file mixes forms or "
		    "types)";
		return -1;
	}
	qs_view_add(ctx, v, NULL, el->valuestring, NULL, QS_MEMBER_LISTED);
	if (*el->valuestring == '\0' ||
	    strrchr(el->valuestring, ':') == NULL) {
		*why = "is not of the form ip:port";
		return 1;
	}
	return 0;
}

/*
 * A recovery element: {"id": "...", "address": "...", "non_voter": b};
 * a missing non_voter means a voter, as in raft.  Returns as above.
 */
static int
peers_add_object(struct qs_parse_ctx *ctx, struct qs_view *v,
    const cJSON *el, const char **why)
{
	const cJSON	*id, *addr, *nv;

	if (!cJSON_IsObject(el)) {
		*why = "is not an object (the file mixes forms or types)";
		return -1;
	}
	id = cJSON_GetObjectItem(el, "id");
	addr = cJSON_GetObjectItem(el, "address");
	nv = cJSON_GetObjectItem(el, "non_voter");
	if ((id != NULL && !cJSON_IsString(id) && !cJSON_IsNull(id)) ||
	    (addr != NULL && !cJSON_IsString(addr) && !cJSON_IsNull(addr)) ||
	    (nv != NULL && !cJSON_IsBool(nv) && !cJSON_IsNull(nv))) {
		*why = "has a field of the wrong type (raft cannot decode "
		    "the file)";
		return -1;
	}
	qs_view_add(ctx, v, NULL,
	    cJSON_IsString(addr) ? addr->valuestring : NULL,
	    cJSON_IsString(id) ? id->valuestring : NULL,
	    cJSON_IsTrue(nv) ? QS_MEMBER_NONVOTER : QS_MEMBER_VOTER);
	return 0;
}

/*
 * What raft checks before it applies a recovered configuration; a file
 * failing them makes the server refuse to start, worth saying here.
 */
static void
peers_check_unique(struct qs_parse_ctx *ctx, struct qs_view *v, int recovery)
{
	size_t	i, j, voters = 0, said = 0;

	for (i = 0; i < v->members.n; i++) {
		const struct qs_member	*m = v->members.v[i];

		if (m->state != QS_MEMBER_NONVOTER)
			voters++;
		if (said >= PEERS_MAX_COMPLAINTS)
			continue;
		if (recovery && (m->id == NULL || *m->id == '\0')) {
			qs_parse_diag(ctx, QS_SEV_WARNING, 0, "peers.json: "
			    "element %zu has no id; raft rejects the file",
			    i + 1);
			said++;
		}
		if (m->address == NULL || *m->address == '\0') {
			qs_parse_diag(ctx, QS_SEV_WARNING, 0, "peers.json: "
			    "element %zu has no address; raft rejects the file",
			    i + 1);
			said++;
		}
		/* Quadratic, but only over the first members of a file. */
		for (j = 0; j < i && i < PEERS_MAX_COMPARED &&
		    said < PEERS_MAX_COMPLAINTS; j++) {
			const struct qs_member	*o = v->members.v[j];

			if (recovery && m->id != NULL && o->id != NULL &&
			    *m->id != '\0' && strcmp(m->id, o->id) == 0) {
				qs_parse_diag(ctx, QS_SEV_WARNING, 0,
				    "peers.json: elements %zu and %zu share an "
				    "id; raft rejects the file", j + 1, i + 1);
				said++;
			}
			if (m->address != NULL && o->address != NULL &&
			    *m->address != '\0' &&
			    strcmp(m->address, o->address) == 0) {
				qs_parse_diag(ctx, QS_SEV_WARNING, 0,
				    "peers.json: elements %zu and %zu share an "
				    "address", j + 1, i + 1);
				said++;
			}
		}
	}
	if (recovery && v->members.n > 0 && voters == 0)
		qs_parse_diag(ctx, QS_SEV_WARNING, 0, "peers.json: no voter; "
		    "raft rejects the file");
}

int
qs_parse_consul_peers_json(struct qs_parse_ctx *ctx)
{
	const unsigned char	*data;
	const char		*text, *end = NULL, *form, *source, *first;
	size_t			 len, i;
	cJSON			*root, *el;
	struct qs_evidence	 ev;
	struct qs_view		*v;
	int			 idx, recovery, said = 0;

	if (qs_source_map(ctx->src, ctx->run->limits.v[QS_LIMIT_MEMORY_ENTRY],
	    &data, &len) != 0)
		return peers_fail(ctx, 0, "the entry could not be read");
	text = (const char *)data;
	for (i = 0; i < len && (text[i] == ' ' || text[i] == '\t' ||
	    text[i] == '\r' || text[i] == '\n'); i++)
		;
	if (i == len)
		return peers_fail(ctx, 0, "empty file: neither null nor a list "
		    "(raft cannot read it)");
	root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
	if (root == NULL) {
		uint64_t	line = 0;

		if (end != NULL && end >= text && end <= text + len)
			line = qs_json_line_at(text, len, (size_t)(end - text));
		return peers_fail(ctx, line, "not valid JSON (raft cannot read "
		    "it)");
	}
	if (!cJSON_IsNull(root) && !cJSON_IsArray(root)) {
		cJSON_Delete(root);
		return peers_fail(ctx, 1, "neither null nor a list");
	}
	first = peers_first_line(ctx, text, len);
	ev = qs_evidence_line(ctx, qs_json_line_at(text, len, i), first);

	/* Go's decoder refuses anything after the value; so would raft. */
	if (end != NULL && end >= text && end <= text + len) {
		size_t	at = (size_t)(end - text);

		while (at < len && (text[at] == ' ' || text[at] == '\t' ||
		    text[at] == '\r' || text[at] == '\n'))
			at++;
		if (at < len)
			qs_parse_diag(ctx, QS_SEV_ERROR,
			    qs_json_line_at(text, len, at), "peers.json: text "
			    "after the JSON value (raft would refuse the "
			    "file)");
	}

	if (cJSON_IsNull(root)) {
		v = qs_emit_view(ctx, QS_VIEW_CONSENSUS,
		    "raft/peers.json (legacy)", &ev);
		v->is_null = 1;
		qs_emit_setting(ctx, "raft.peers_json", "null", &ev);
		cJSON_Delete(root);
		return 0;
	}
	el = root->child;
	if (el == NULL) {
		qs_emit_view(ctx, QS_VIEW_CONSENSUS, "raft/peers.json (legacy)",
		    &ev);
		qs_emit_setting(ctx, "raft.peers_json", "empty", &ev);
		cJSON_Delete(root);
		return 0;
	}
	/* The first element decides the form; others must follow it. */
	recovery = cJSON_IsObject(el);
	if (!recovery && !cJSON_IsString(el)) {
		cJSON_Delete(root);
		return peers_fail(ctx, 1, "the list holds neither address "
		    "strings nor server objects");
	}
	form = recovery ? "recovery" : "legacy";
	source = recovery ? "raft/peers.json (recovery)" :
	    "raft/peers.json (legacy)";
	v = qs_emit_view(ctx, QS_VIEW_CONSENSUS, source, &ev);
	qs_emit_setting(ctx, "raft.peers_json", form, &ev);
	for (idx = 0; el != NULL; el = el->next, idx++) {
		const char	*why = NULL;
		int		 r;

		if (idx == PEERS_MAX_MEMBERS) {
			qs_parse_diag(ctx, QS_SEV_WARNING, 0, "peers.json: "
			    "more than %d elements; the rest are ignored",
			    PEERS_MAX_MEMBERS);
			break;
		}
		r = recovery ? peers_add_object(ctx, v, el, &why) :
		    peers_add_address(ctx, v, el, &why);
		if (r != 0 && said++ < PEERS_MAX_COMPLAINTS)
			qs_parse_diag(ctx, r < 0 ? QS_SEV_ERROR :
			    QS_SEV_WARNING, 0, "peers.json: element %d %s%s",
			    idx + 1, why, r < 0 ? "; skipped" : "");
	}
	peers_check_unique(ctx, v, recovery);
	cJSON_Delete(root);
	return 0;
}

/*
 * peers.info: a note Consul >= 0.7 writes once; its presence means any
 * peers.json next to it is a recovery file, read at the next start.
 */
int
qs_parse_consul_peers_info(struct qs_parse_ctx *ctx)
{
	const char		*line, *excerpt = NULL;
	ssize_t			 n;
	uint64_t		 at = 0;
	struct qs_evidence	 ev;

	while ((n = qs_source_getline(ctx->src, &line, PEERS_INFO_LINE))
	    >= 0) {
		if (n > 0 && memchr(line, 0, (size_t)n) == NULL) {
			excerpt = line;
			at = ctx->src->lineno;
			break;
		}
	}
	ev = excerpt != NULL ? qs_evidence_line(ctx, at, excerpt) :
	    qs_evidence_whole(ctx);
	qs_emit_setting(ctx, "raft.peers_info", "present", &ev);
	return 0;
}
