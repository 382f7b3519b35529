/*
 * triton.sapi_dump: SAPI applications, services and instances as
 * "sdc-sapi /applications?name=sdc" (or /services, /instances) returns
 * them, a JSON array or one object (formats.md 7.1).
 *
 * What it records:
 *   - metadata.ZK_SERVERS and ZK_HA_SERVERS of every object as a
 *     configured view "SAPI ZK_SERVERS (<name>)": member id = num,
 *     address = host:port as written (the client port), state voter;
 *     with settings triton.sapi.<name>.<key>.entries (how many elements
 *     the list has, bad ones included) and .last (the 1-based positions
 *     of the elements carrying "last": true, comma-separated, or "none"):
 *     the templates of binder's registrar (and the like) put a comma
 *     after every element without "last", so its place matters;
 *   - settings triton.sapi.<name>.uuid, .type (application, service,
 *     instance) and, for instances, triton.sapi.instance.<uuid>.service_uuid;
 *   - an instance's metadata.ZK_ID as a myid identity whose subject is the
 *     instance uuid, so rules can join it to a VMAPI VM.
 *
 * Known limits: cJSON keeps no positions, so evidence lines are found by
 * searching the text for the object's uuid and the key name; objects and
 * ZK_SERVERS entries are capped (a hostile dump cannot make us emit
 * without bound).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "quorumscope.h"

#define SAPI_MAX_OBJECTS	4096	/* objects read from one dump */
#define SAPI_MAX_ZK		64	/* ZK_SERVERS entries kept per list */
#define SAPI_NAME_MAX		128	/* longest name used in a key */

static int
sapi_fail(struct qs_parse_ctx *ctx, uint64_t line, const char *why)
{
	qs_parse_diag(ctx, QS_SEV_ERROR, line, "SAPI dump: %s", why);
	ctx->artifact->status = QS_STATUS_FAILED;
	return -1;
}

/* The string member `key` of `o`, or NULL. */
static const char *
sapi_str(const cJSON *o, const char *key)
{
	const cJSON	*s = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(s) && s->valuestring != NULL ?
	    s->valuestring : NULL;
}

/* Line of the first `needle` at or after `from`; 0 when absent. */
static uint64_t
sapi_line_of(const char *text, size_t len, struct qs_line_cursor *lc,
    size_t from, const char *needle, size_t *at)
{
	size_t		 nl = strlen(needle);
	const char	*hit;

	if (nl == 0 || from >= len)
		return 0;
	if ((hit = memmem(text + from, len - from, needle, nl)) == NULL)
		return 0;
	if (at != NULL)
		*at = (size_t)(hit - text);
	return qs_json_line_seek(text, len, lc, (size_t)(hit - text));
}

/*
 * A ZooKeeper id as written: a JSON integer or a string of digits.  Ids
 * are 1..255 in practice; anything outside 0..2^31 is refused, not
 * wrapped.
 */
static int
sapi_num(const cJSON *n, char *buf, size_t sz)
{
	const char	*s;
	size_t		 i;

	if (cJSON_IsNumber(n)) {
		double	d = n->valuedouble;

		/* In range first, so the cast is defined; then whole. */
		if (!(d >= 0 && d <= 2147483647.0) || (double)(long)d != d)
			return -1;
		snprintf(buf, sz, "%ld", (long)d);
		return 0;
	}
	if (!cJSON_IsString(n) || (s = n->valuestring) == NULL ||
	    *s == '\0' || strlen(s) > 10)
		return -1;
	for (i = 0; s[i] != '\0'; i++)
		if (s[i] < '0' || s[i] > '9')
			return -1;
	while (s[0] == '0' && s[1] != '\0')
		s++;
	snprintf(buf, sz, "%s", s);
	return 0;
}

static void
sapi_zk_list(struct qs_parse_ctx *ctx, const char *text, size_t len,
    struct qs_line_cursor *lc, size_t from, const char *name, const char *key, const cJSON *list)
{
	struct qs_evidence	 ev;
	struct qs_view		*v;
	const cJSON		*el;
	char			 needle[64], num[16], lastpos[128];
	uint64_t		 line;
	size_t			 n = 0, lp = 0;

	snprintf(needle, sizeof(needle), "\"%s\"", key);
	line = sapi_line_of(text, len, lc, from, needle, NULL);
	ev = qs_evidence_line(ctx, line, qs_arena_printf(&ctx->run->arena,
	    "metadata.%s of %s", key, name));
	if (!cJSON_IsArray(list)) {
		qs_parse_diag(ctx, QS_SEV_WARNING, line, "SAPI %s of %s is "
		    "not a list", key, name);
		return;
	}
	v = qs_emit_view(ctx, QS_VIEW_CONFIGURED, qs_arena_printf(
	    &ctx->run->arena, "SAPI %s (%s)", key, name), &ev);
	lastpos[0] = '\0';
	cJSON_ArrayForEach(el, list) {
		const cJSON	*port = cJSON_GetObjectItemCaseSensitive(el,
				    "port");
		const char	*host = sapi_str(el, "host"), *addr;
		char		 pbuf[16];
		int		 w;

		if (n == SAPI_MAX_ZK) {
			qs_parse_diag(ctx, QS_SEV_WARNING, line, "SAPI %s of "
			    "%s: more than %d entries, the rest ignored", key,
			    name, SAPI_MAX_ZK);
			break;
		}
		n++;
		/* 64 positions of at most 3 digits fit only in part: cut. */
		if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(el,
		    "last")) && lp + 8 < sizeof(lastpos)) {
			w = snprintf(lastpos + lp, sizeof(lastpos) - lp,
			    "%s%zu", lp > 0 ? "," : "", n);
			if (w > 0)
				lp += (size_t)w;
		}
		if (!cJSON_IsObject(el) || host == NULL ||
		    sapi_num(cJSON_GetObjectItemCaseSensitive(el, "num"),
		    num, sizeof(num)) != 0) {
			qs_parse_diag(ctx, QS_SEV_WARNING, line, "SAPI %s of "
			    "%s: entry %zu lacks a host or a numeric num",
			    key, name, n);
			continue;
		}
		if (port != NULL && sapi_num(port, pbuf, sizeof(pbuf)) == 0)
			addr = qs_arena_printf(&ctx->run->arena, "%s:%s",
			    host, pbuf);
		else
			addr = host;
		qs_view_add(ctx, v, NULL, addr, num, QS_MEMBER_VOTER);
	}
	qs_emit_setting(ctx, qs_arena_printf(&ctx->run->arena,
	    "triton.sapi.%s.%s.entries", name, key), qs_arena_printf(
	    &ctx->run->arena, "%zu", n), &ev);
	qs_emit_setting(ctx, qs_arena_printf(&ctx->run->arena,
	    "triton.sapi.%s.%s.last", name, key), lp > 0 ? lastpos : "none",
	    &ev);
}

static void
sapi_object(struct qs_parse_ctx *ctx, const char *text, size_t len,
    struct qs_line_cursor *lc, size_t *cur, const cJSON *o)
{
	static const char *const zk_keys[] = { "ZK_SERVERS",
	    "ZK_HA_SERVERS", NULL };
	const char	*uuid = sapi_str(o, "uuid");
	const char	*name = sapi_str(o, "name");
	const char	*type, *svc = sapi_str(o, "service_uuid");
	const cJSON	*md = cJSON_GetObjectItemCaseSensitive(o, "metadata");
	struct qs_evidence ev;
	char		 needle[160];
	size_t		 at = 0, i;
	uint64_t	 line = 0;

	if (uuid != NULL && strlen(uuid) < 100) {
		snprintf(needle, sizeof(needle), "\"%s\"", uuid);
		/* Objects come in text order: search on from the last. */
		if ((line = sapi_line_of(text, len, lc, *cur, needle,
		    &at)) != 0)
			*cur = at + strlen(needle);
	}
	if (svc != NULL)
		type = "instance";
	else if (sapi_str(o, "application_uuid") != NULL)
		type = "service";
	else
		type = "application";
	/* Instances have no name; their uuid names them. */
	if (name == NULL || strlen(name) > SAPI_NAME_MAX)
		name = uuid;
	if (name == NULL) {
		qs_parse_diag(ctx, QS_SEV_WARNING, line, "SAPI object without "
		    "a uuid or name, skipped");
		return;
	}
	ev = qs_evidence_line(ctx, line, qs_arena_printf(&ctx->run->arena,
	    "%s %s", type, name));
	if (svc != NULL) {
		qs_emit_setting(ctx, qs_arena_printf(&ctx->run->arena,
		    "triton.sapi.instance.%s.service_uuid", name), svc, &ev);
	} else {
		if (uuid != NULL)
			qs_emit_setting(ctx, qs_arena_printf(&ctx->run->arena,
			    "triton.sapi.%s.uuid", name), uuid, &ev);
		qs_emit_setting(ctx, qs_arena_printf(&ctx->run->arena,
		    "triton.sapi.%s.type", name), type, &ev);
	}
	if (!cJSON_IsObject(md))
		return;
	for (i = 0; zk_keys[i] != NULL; i++) {
		const cJSON	*l = cJSON_GetObjectItemCaseSensitive(md,
				    zk_keys[i]);

		if (l != NULL)
			sapi_zk_list(ctx, text, len, lc, at, name,
			    zk_keys[i], l);
	}
	if (uuid != NULL) {
		const cJSON	*zid = cJSON_GetObjectItemCaseSensitive(md,
				    "ZK_ID");
		char		 num[16];

		if (zid == NULL)
			return;
		if (sapi_num(zid, num, sizeof(num)) != 0) {
			qs_parse_diag(ctx, QS_SEV_WARNING, line, "SAPI ZK_ID "
			    "of %s is not a number", uuid);
			return;
		}
		ev.line = sapi_line_of(text, len, lc, at, "\"ZK_ID\"",
		    NULL);
		qs_emit_identity(ctx, QS_ID_MYID, num, NULL, uuid, &ev);
	}
}

int
qs_parse_triton_sapi(struct qs_parse_ctx *ctx)
{
	const unsigned char	*data;
	const char		*text, *end = NULL;
	size_t			 len, n = 0, cur = 0;
	struct qs_line_cursor	 lc = { 0, 0 };
	cJSON			*root;
	const cJSON		*el;

	if (qs_source_map(ctx->src, ctx->run->limits.v[QS_LIMIT_MEMORY_ENTRY],
	    &data, &len) != 0)
		return sapi_fail(ctx, 0, "the entry could not be read");
	text = (const char *)data;
	root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
	if (root == NULL) {
		uint64_t	line = 0;

		if (end != NULL && end >= text && end <= text + len)
			line = qs_json_line_at(text, len, (size_t)(end - text));
		return sapi_fail(ctx, line, "not valid JSON");
	}
	if (cJSON_IsObject(root))
		sapi_object(ctx, text, len, &lc, &cur, root);
	else if (cJSON_IsArray(root)) {
		cJSON_ArrayForEach(el, root) {
			if (n++ == SAPI_MAX_OBJECTS) {
				qs_parse_diag(ctx, QS_SEV_WARNING, 0, "SAPI "
				    "dump: more than %d objects, the rest "
				    "ignored", SAPI_MAX_OBJECTS);
				break;
			}
			if (cJSON_IsObject(el))
				sapi_object(ctx, text, len, &lc, &cur, el);
		}
	} else {
		cJSON_Delete(root);
		return sapi_fail(ctx, 1, "neither an object nor a list");
	}
	cJSON_Delete(root);
	return 0;
}
