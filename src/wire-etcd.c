/*
 * etcd's text encodings shared by the etcd parsers: member ids and the
 * JSON etcd writes about members.
 *
 * Member ids are random 64-bit numbers.  etcd prints them as lowercase hex
 * without padding in logs, file names, the v2 store and etcdctl tables
 * (types.ID.String(), etcd-io/etcd client/pkg/types/id.go), and as decimal
 * integers in JSON (the Member struct's "id"/"ID", etcdctl -w json), most
 * of them above 2^53.  cJSON keeps numbers as doubles, exact only to 2^53,
 * so JSON goes through qs_etcd_json_parse(), which quotes every integer
 * token before cJSON sees it: integers arrive as strings of digits and
 * qs_etcd_json_u64() reads them exactly.
 *
 * Member JSON (etcd server/etcdserver/api/membership/member.go, 3.4):
 * {"id":N,"peerURLs":[...],"name":"...","clientURLs":[...],
 * "isLearner":true} in ConfChange contexts and the backend; "ID" in
 * etcdctl output; a promotion context is {"id":N,"peerURLs":null,
 * "isPromote":true}; the v2 store splits it into raftAttributes
 * {"peerURLs","isLearner"} and attributes {"name","clientURLs"}.
 * qs_etcd_member_json() accepts all of these.
 *
 * Limits: JSON nested deeper than the caller's depth is refused before
 * cJSON sees it; at most QS_ETCD_MAX_URLS URLs of each kind are kept.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "quorumscope.h"

static size_t	etcd_json_skip_space(const char *, size_t, size_t);
static size_t	etcd_json_skip_string(const char *, size_t, size_t);
static size_t	etcd_json_skip_value(const char *, size_t, size_t);
static size_t	etcd_member_urls(struct qs_arena *, const cJSON *,
		    const char **, int *);

/* Lowercase hex without padding, as etcd prints ids.  Returns buf. */
const char *
qs_etcd_id_hex(uint64_t id, char *buf, size_t len)
{
	snprintf(buf, len, "%llx", (unsigned long long)id);
	return buf;
}

/* 1 to 16 hex digits, either case, nothing else.  Returns 0 or -1. */
int
qs_parse_hex_u64(const char *s, size_t len, uint64_t *out)
{
	uint64_t	v = 0;
	size_t		i;

	if (len == 0 || len > 16)
		return -1;
	for (i = 0; i < len; i++) {
		unsigned	d;

		if (s[i] >= '0' && s[i] <= '9')
			d = (unsigned)(s[i] - '0');
		else if (s[i] >= 'a' && s[i] <= 'f')
			d = (unsigned)(s[i] - 'a' + 10);
		else if (s[i] >= 'A' && s[i] <= 'F')
			d = (unsigned)(s[i] - 'A' + 10);
		else
			return -1;
		v = v << 4 | d;
	}
	*out = v;
	return 0;
}

/*
 * Decimal digits to uint64 with uint64 arithmetic, so ids above 2^53
 * keep every bit.  Returns 0, or -1 for an empty string, a non-digit or a
 * value above 2^64-1.
 */
int
qs_parse_dec_u64(const char *s, size_t len, uint64_t *out)
{
	uint64_t	v = 0;
	size_t		i;

	if (len == 0)
		return -1;
	for (i = 0; i < len; i++) {
		unsigned	d;

		if (s[i] < '0' || s[i] > '9')
			return -1;
		d = (unsigned)(s[i] - '0');
		if (v > (UINT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

static size_t
etcd_json_skip_space(const char *t, size_t len, size_t i)
{
	while (i < len && (t[i] == ' ' || t[i] == '\t' || t[i] == '\n' ||
	    t[i] == '\r'))
		i++;
	return i;
}

/* t[i] is '"': the index just past the closing quote (len if none). */
static size_t
etcd_json_skip_string(const char *t, size_t len, size_t i)
{
	for (i++; i < len; i++) {
		if (t[i] == '\\')
			i++;
		else if (t[i] == '"')
			return i + 1;
	}
	return len;
}

/*
 * The index just past the value starting at t[i]: a string, a container
 * (brackets counted, strings skipped, no recursion) or a scalar.
 */
static size_t
etcd_json_skip_value(const char *t, size_t len, size_t i)
{
	size_t	depth = 0;

	if (i >= len)
		return len;
	if (t[i] == '"')
		return etcd_json_skip_string(t, len, i);
	if (t[i] != '{' && t[i] != '[') {
		while (i < len && t[i] != ',' && t[i] != '}' && t[i] != ']' &&
		    t[i] != ' ' && t[i] != '\t' && t[i] != '\n' &&
		    t[i] != '\r')
			i++;
		return i;
	}
	while (i < len) {
		if (t[i] == '"') {
			i = etcd_json_skip_string(t, len, i);
			continue;
		}
		if (t[i] == '{' || t[i] == '[')
			depth++;
		else if (t[i] == '}' || t[i] == ']') {
			if (--depth == 0)
				return i + 1;
		}
		i++;
	}
	return len;
}

/*
 * Finds `key` among the members of the JSON object that `t` holds
 * (leading white space allowed) without parsing the values, so a huge
 * document can be cut down to the part that matters before cJSON builds
 * a tree.  Keys are compared byte for byte, escapes included.  OUT: *off
 * and *vlen, the span of the value.  Returns 0, or -1 when t is not an
 * object or has no such key.
 */
int
qs_etcd_json_member(const char *t, size_t len, const char *key, size_t *off,
    size_t *vlen)
{
	size_t	i, ks, ke, vs, ve, klen = strlen(key);

	i = etcd_json_skip_space(t, len, 0);
	if (i >= len || t[i] != '{')
		return -1;
	i++;
	for (;;) {
		i = etcd_json_skip_space(t, len, i);
		if (i >= len || t[i] != '"')
			return -1;
		ks = i + 1;
		i = etcd_json_skip_string(t, len, i);
		if (i >= len)
			return -1;
		ke = i - 1;
		i = etcd_json_skip_space(t, len, i);
		if (i >= len || t[i] != ':')
			return -1;
		vs = etcd_json_skip_space(t, len, i + 1);
		ve = etcd_json_skip_value(t, len, vs);
		if (ve <= vs)
			return -1;
		if (ke - ks == klen && memcmp(t + ks, key, klen) == 0) {
			*off = vs;
			*vlen = ve - vs;
			return 0;
		}
		i = etcd_json_skip_space(t, len, ve);
		if (i >= len || t[i] != ',')
			return -1;
		i++;
	}
}

/*
 * Parses JSON text with every integer token turned into a string of its
 * digits (see the top of the file), refusing documents nested deeper than
 * maxdepth.  Returns a cJSON tree the caller deletes, or NULL.
 */
cJSON *
qs_etcd_json_parse(const char *t, size_t len, unsigned maxdepth)
{
	char	*out;
	size_t	 i = 0, o = 0, j;
	unsigned depth = 0;
	cJSON	*root;

	/*
	 * A k-digit integer grows to k + 2 bytes: a one-digit document ("1")
	 * needs 3 bytes and the NUL, more than 2 * len + 1.
	 */
	if (len > (SIZE_MAX - 3) / 2)
		return NULL;
	out = qs_xmalloc(len * 2 + 3);
	while (i < len) {
		char	c = t[i];

		if (c == '"') {
			j = etcd_json_skip_string(t, len, i);
			memcpy(out + o, t + i, j - i);
			o += j - i;
			i = j;
			continue;
		}
		if (c == '{' || c == '[') {
			if (++depth > maxdepth) {
				free(out);
				return NULL;
			}
		} else if (c == '}' || c == ']') {
			if (depth > 0)
				depth--;
		} else if (c == '-' || (c >= '0' && c <= '9')) {
			int	integer = 1;

			j = i + 1;
			while (j < len && ((t[j] >= '0' && t[j] <= '9') ||
			    t[j] == '.' || t[j] == 'e' || t[j] == 'E' ||
			    t[j] == '+' || t[j] == '-')) {
				if (t[j] < '0' || t[j] > '9')
					integer = 0;
				j++;
			}
			if (integer && !(c == '-' && j == i + 1)) {
				out[o++] = '"';
				memcpy(out + o, t + i, j - i);
				o += j - i;
				out[o++] = '"';
			} else {
				memcpy(out + o, t + i, j - i);
				o += j - i;
			}
			i = j;
			continue;
		}
		out[o++] = c;
		i++;
	}
	out[o] = '\0';
	root = cJSON_ParseWithLength(out, o);
	free(out);
	return root;
}

/*
 * An unsigned integer from a tree made by qs_etcd_json_parse(): a string
 * of decimal digits (any integer token), or a number cJSON holds exactly.
 * Returns 0, or -1 for anything else.
 */
int
qs_etcd_json_u64(const cJSON *item, uint64_t *out)
{
	if (item == NULL)
		return -1;
	if (cJSON_IsString(item) && item->valuestring != NULL)
		return qs_parse_dec_u64(item->valuestring,
		    strlen(item->valuestring), out);
	if (cJSON_IsNumber(item) && item->valuedouble >= 0 &&
	    item->valuedouble <= 9007199254740992.0 &&
	    item->valuedouble == (double)(uint64_t)item->valuedouble) {
		*out = (uint64_t)item->valuedouble;
		return 0;
	}
	return -1;
}

/* An array of URL strings: up to QS_ETCD_MAX_URLS, copied. */
static size_t
etcd_member_urls(struct qs_arena *a, const cJSON *arr, const char **urls,
    int *more)
{
	const cJSON	*u;
	size_t		 n = 0;

	if (!cJSON_IsArray(arr))
		return 0;
	cJSON_ArrayForEach(u, arr) {
		if (!cJSON_IsString(u) || u->valuestring == NULL ||
		    u->valuestring[0] == '\0')
			continue;
		if (n == QS_ETCD_MAX_URLS) {
			*more = 1;
			break;
		}
		urls[n++] = qs_arena_strdup(a, u->valuestring);
	}
	return n;
}

/*
 * A member from its JSON object (any of the shapes at the top of the
 * file), strings copied into `a`.  A missing or empty name is NULL.
 * Returns 0, or -1 when obj is not an object.
 */
int
qs_etcd_member_from_json(struct qs_arena *a, const cJSON *obj,
    struct qs_etcd_member *m)
{
	const cJSON	*v;

	memset(m, 0, sizeof(*m));
	if (!cJSON_IsObject(obj))
		return -1;
	if ((v = cJSON_GetObjectItemCaseSensitive(obj, "id")) == NULL)
		v = cJSON_GetObjectItemCaseSensitive(obj, "ID");
	if (qs_etcd_json_u64(v, &m->id) == 0)
		m->has_id = 1;
	v = cJSON_GetObjectItemCaseSensitive(obj, "name");
	if (cJSON_IsString(v) && v->valuestring != NULL &&
	    v->valuestring[0] != '\0')
		m->name = qs_arena_strdup(a, v->valuestring);
	m->npeer = etcd_member_urls(a, cJSON_GetObjectItemCaseSensitive(obj,
	    "peerURLs"), m->peer, &m->more_urls);
	m->nclient = etcd_member_urls(a, cJSON_GetObjectItemCaseSensitive(obj,
	    "clientURLs"), m->client, &m->more_urls);
	m->is_learner = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(obj,
	    "isLearner"));
	m->is_promote = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(obj,
	    "isPromote"));
	return 0;
}

/*
 * A member from JSON text.  Returns 0, or -1 when the text is not a JSON
 * object (too deep, malformed).
 */
int
qs_etcd_member_json(struct qs_arena *a, const char *t, size_t len,
    struct qs_etcd_member *m)
{
	cJSON	*root;
	int	 r;

	memset(m, 0, sizeof(*m));
	if ((root = qs_etcd_json_parse(t, len, QS_ETCD_JSON_DEPTH)) == NULL)
		return -1;
	r = qs_etcd_member_from_json(a, root, m);
	cJSON_Delete(root);
	return r;
}

/*
 * URLs joined with commas, as etcd prints lists ("a,b"), in `a`; NULL
 * for none.
 */
const char *
qs_etcd_urls_join(struct qs_arena *a, const char *const *urls, size_t n)
{
	size_t	 i, len = 0;
	char	*s, *p;

	if (n == 0)
		return NULL;
	for (i = 0; i < n; i++)
		len += strlen(urls[i]) + 1;
	s = p = qs_arena_alloc(a, len);
	for (i = 0; i < n; i++) {
		size_t	l = strlen(urls[i]);

		if (i > 0)
			*p++ = ',';
		memcpy(p, urls[i], l);
		p += l;
	}
	*p = '\0';
	return s;
}
