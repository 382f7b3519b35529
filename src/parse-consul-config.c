/*
 * A Consul agent configuration file, JSON or HCL (consul.d/NAME.json,
 * consul.d/NAME.hcl, config/NAME.json ...): what the agent was told to be.
 *
 * Upstream: hashicorp/consul agent/config/config.go (the Config struct and
 * its hcl/json/mapstructure names) and agent/config/builder.go; older
 * agents (<= 0.9) command/agent/config.go.  Both formats are read through
 * hashicorp/hcl v1 by Consul; keys match without regard to case.
 *
 * Extracted, each as a setting named like the key with its value as text
 * (true/false, numbers as written, strings as is, lists as compact JSON
 * ["a","b"]) and the line of the key as evidence: server, bootstrap,
 * bootstrap_expect, retry_join, start_join, retry_join_wan,
 * leave_on_terminate, skip_leave_on_interrupt, rejoin_after_leave,
 * node_name, datacenter, bind_addr, advertise_addr, client_addr, data_dir,
 * raft_protocol, node_id, encrypt, and performance.raft_multiplier.
 * `encrypt` is the gossip key: only "set" is recorded, never the key, and
 * no excerpt quotes it.  Excerpts are rebuilt from key and value, never
 * the raw line, which may carry other secrets (ACL tokens) in compact
 * JSON.  Identities for the file's own node: node_name (name),
 * advertise_addr or else bind_addr (address, role "bind"; skipped when it
 * is a wildcard or a go-sockaddr template), node_id (node ID).
 *
 * The HCL reader is a small bounded subset of HCL v1, what Consul configs
 * use: `key = value` with strings (escapes, ${...} kept as text), heredocs,
 * numbers, true/false, lists (multi-line), objects, blocks `name { }` and
 * `name "label" { }`, comments #, // and / * * /.  Nesting is limited to
 * HCL_MAX_DEPTH.  Blocks other than performance are read and ignored.  A
 * syntax error gives a diagnostic with its line; keys read before it still
 * count (the artifact is partial).
 *
 * Known limits: unknown keys are ignored; duplicate keys each give a
 * setting (the last one wins in Consul); values of the wrong type are
 * recorded as written; go-sockaddr templates are not evaluated.
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cjson/cJSON.h>

#include "quorumscope.h"

/* Lists, objects and blocks nested deeper than this are a syntax error. */
#define HCL_MAX_DEPTH		32
/* Settings one file may add; a hostile file stops here. */
#define CONFIG_MAX_SETTINGS	100000
/* Keys of a JSON file located for evidence lines. */
#define CONFIG_MAX_KEYS		100000

static const char *const config_wanted[] = {
	"server", "bootstrap", "bootstrap_expect", "retry_join",
	"start_join", "retry_join_wan", "leave_on_terminate",
	"skip_leave_on_interrupt", "rejoin_after_leave", "node_name",
	"datacenter", "bind_addr", "advertise_addr", "client_addr",
	"data_dir", "raft_protocol", "node_id", "encrypt", NULL
};

struct config_state {
	struct qs_parse_ctx	*ctx;
	int			 json;		/* excerpt style */
	uint64_t		 nsettings;
	int			 capped;
	const char		*node_name, *advertise, *bind, *node_id;
	uint64_t		 node_name_line, advertise_line, bind_line;
	uint64_t		 node_id_line;
};

struct hcl {
	struct config_state	*st;
	const char		*p, *end;
	uint64_t		 line;
	uint64_t		 rm_line;	/* of raft_multiplier */
	const char		*error;	/* first syntax error */
	uint64_t		 error_line;
};

static const char *config_wanted_name(const char *, size_t);
static char	*config_value_text(const cJSON *, const char *, size_t);
static void	config_emit(struct config_state *, const char *,
		    const cJSON *, const char *, size_t, uint64_t);
static void	config_performance(struct config_state *, const cJSON *,
		    const char *, size_t, uint64_t);
static int	config_wildcard(const char *);
static void	config_identities(struct config_state *);
static int	config_parse_json(struct config_state *, const char *,
		    size_t);
static void	config_json_item(struct config_state *, const cJSON *,
		    const char *, size_t, const struct qs_json_key *, size_t,
		    size_t);
static int	config_is_json(const char *, const char *, size_t);

static void	hcl_error(struct hcl *, const char *);
static void	hcl_skip(struct hcl *);
static int	hcl_ident_char(int);
static int	hcl_key(struct hcl *, char **);
static int	hcl_string(struct hcl *, char **);
static int	hcl_heredoc(struct hcl *, char **);
static int	hcl_value(struct hcl *, int, cJSON **);
static int	hcl_list(struct hcl *, int, cJSON **);
static int	hcl_object(struct hcl *, int, cJSON **);
static int	hcl_items(struct hcl *, int, cJSON *);
static void	config_parse_hcl(struct config_state *, const char *,
		    size_t);

/* The canonical name of a wanted top-level key, or NULL. */
static const char *
config_wanted_name(const char *name, size_t len)
{
	size_t	i;

	for (i = 0; config_wanted[i] != NULL; i++)
		if (strlen(config_wanted[i]) == len &&
		    strncasecmp(config_wanted[i], name, len) == 0)
			return config_wanted[i];
	return NULL;
}

/*
 * A value as setting text: true/false, the number as written (raw, when
 * the caller has it), a string as is, anything else as compact JSON.
 * Returns a heap string (caller frees), or NULL for null.
 */
static char *
config_value_text(const cJSON *v, const char *raw, size_t rawlen)
{
	char	buf[64];

	if (cJSON_IsNull(v))
		return NULL;
	if (cJSON_IsTrue(v))
		return qs_xstrdup("true");
	if (cJSON_IsFalse(v))
		return qs_xstrdup("false");
	if (cJSON_IsString(v) || cJSON_IsRaw(v))
		return qs_xstrdup(v->valuestring != NULL ? v->valuestring : "");
	if (cJSON_IsNumber(v)) {
		if (raw != NULL && rawlen > 0 && rawlen < sizeof(buf)) {
			memcpy(buf, raw, rawlen);
			buf[rawlen] = '\0';
		} else if (v->valuedouble >= -9007199254740992.0 &&
		    v->valuedouble <= 9007199254740992.0 &&
		    v->valuedouble == (double)(long long)v->valuedouble)
			snprintf(buf, sizeof(buf), "%lld",
			    (long long)v->valuedouble);
		else
			snprintf(buf, sizeof(buf), "%.17g", v->valuedouble);
		return qs_xstrdup(buf);
	}
	return cJSON_PrintUnformatted(v);
}

/*
 * One wanted key: a setting with a rebuilt excerpt, and what identities
 * need remembered.  `raw` is the number's text when known.
 */
static void
config_emit(struct config_state *st, const char *key, const cJSON *v,
    const char *raw, size_t rawlen, uint64_t line)
{
	struct qs_parse_ctx	*ctx = st->ctx;
	struct qs_evidence	 ev;
	char			*text, *quoted = NULL;
	const char		*shown, *value;

	if (st->nsettings >= CONFIG_MAX_SETTINGS) {
		if (!st->capped)
			qs_parse_diag(ctx, QS_SEV_WARNING, line, "more than %d "
			    "settings in one file; the rest are ignored",
			    CONFIG_MAX_SETTINGS);
		st->capped = 1;
		return;
	}
	if ((text = config_value_text(v, raw, rawlen)) == NULL)
		return;
	if (strcmp(key, "encrypt") == 0) {
		/* The gossip key itself must never reach the model. */
		value = "set";
		shown = "<redacted>";
	} else {
		value = text;
		if (cJSON_IsString(v) &&
		    (quoted = cJSON_PrintUnformatted(v)) != NULL)
			shown = quoted;
		else
			shown = text;
	}
	ev = qs_evidence_line(ctx, line, qs_arena_printf(&ctx->run->arena,
	    st->json ? "\"%s\": %s" : "%s = %s", key, shown));
	qs_emit_setting(ctx, key, value, &ev);
	st->nsettings++;
	if (cJSON_IsString(v) && v->valuestring != NULL) {
		const char	*copy = qs_pstrdup(ctx, v->valuestring);

		if (strcmp(key, "node_name") == 0) {
			st->node_name = copy;
			st->node_name_line = line;
		} else if (strcmp(key, "advertise_addr") == 0) {
			st->advertise = copy;
			st->advertise_line = line;
		} else if (strcmp(key, "bind_addr") == 0) {
			st->bind = copy;
			st->bind_line = line;
		} else if (strcmp(key, "node_id") == 0) {
			st->node_id = copy;
			st->node_id_line = line;
		}
	}
	free(quoted);
	free(text);
}

/* performance { raft_multiplier = N }: the one nested key kept. */
static void
config_performance(struct config_state *st, const cJSON *perf,
    const char *raw, size_t rawlen, uint64_t line)
{
	const cJSON	*rm = cJSON_GetObjectItem(perf, "raft_multiplier");

	if (rm != NULL)
		config_emit(st, "performance.raft_multiplier", rm, raw,
		    rawlen, line);
}

/* An address that names no one: a wildcard or an unevaluated template. */
static int
config_wildcard(const char *a)
{
	return *a == '\0' || strcmp(a, "0.0.0.0") == 0 ||
	    strcmp(a, "::") == 0 || strcmp(a, "[::]") == 0 ||
	    strstr(a, "{{") != NULL;
}

static void
config_identities(struct config_state *st)
{
	struct qs_parse_ctx	*ctx = st->ctx;
	struct qs_evidence	 ev;
	const char		*addr = st->advertise;
	uint64_t		 line = st->advertise_line;

	if (st->node_name != NULL && *st->node_name != '\0') {
		ev = qs_evidence_line(ctx, st->node_name_line, st->node_name);
		qs_emit_identity(ctx, QS_ID_NAME, st->node_name, NULL, NULL,
		    &ev);
	}
	if (addr == NULL || config_wildcard(addr)) {
		addr = st->bind;
		line = st->bind_line;
	}
	if (addr != NULL && !config_wildcard(addr)) {
		ev = qs_evidence_line(ctx, line, addr);
		qs_emit_identity(ctx, QS_ID_ADDRESS, addr, "bind", NULL, &ev);
	}
	if (st->node_id != NULL && *st->node_id != '\0') {
		char	*id, *p;

		id = qs_arena_strdup(&ctx->run->arena, st->node_id);

		for (p = id; *p != '\0'; p++)
			*p = (char)tolower((unsigned char)*p);
		ev = qs_evidence_line(ctx, st->node_id_line, id);
		qs_emit_identity(ctx, QS_ID_NODE_ID, id, NULL, NULL, &ev);
	}
}

/*
 * One member of the top-level JSON object.  keys/nkeys: the scanned keys;
 * k: this member's key among them (SIZE_MAX if unknown).
 */
static void
config_json_item(struct config_state *st, const cJSON *item,
    const char *text, size_t len, const struct qs_json_key *keys,
    size_t nkeys, size_t k)
{
	const char	*name, *raw = NULL;
	size_t		 rawlen = 0, i;
	uint64_t	 line = k != SIZE_MAX ? keys[k].line : 0;

	if (item->string == NULL)
		return;
	if (strcasecmp(item->string, "performance") == 0 &&
	    cJSON_IsObject(item)) {
		const cJSON	*rm = cJSON_GetObjectItem(item,
		    "raft_multiplier");
		uint64_t	 rline = line;

		if (rm == NULL)
			return;
		/* Its line: the raft_multiplier key inside this object. */
		for (i = k != SIZE_MAX ? k + 1 : nkeys; i < nkeys &&
		    keys[i].depth > 1; i++) {
			if (keys[i].depth == 2 && keys[i].parent == k &&
			    keys[i].name_len == strlen("raft_multiplier") &&
			    strncasecmp(keys[i].name, "raft_multiplier",
			    keys[i].name_len) == 0) {
				rline = keys[i].line;
				if (qs_json_raw_number(text, len,
				    keys[i].value, &raw, &rawlen) != 0)
					raw = NULL;
				break;
			}
		}
		config_performance(st, item, raw, rawlen, rline);
		return;
	}
	if ((name = config_wanted_name(item->string,
	    strlen(item->string))) == NULL)
		return;
	if (cJSON_IsNumber(item) && k != SIZE_MAX &&
	    qs_json_raw_number(text, len, keys[k].value, &raw, &rawlen) != 0)
		raw = NULL;
	config_emit(st, name, item, raw, rawlen, line);
}

/*
 * JSON: cJSON for the values, the key scanner for their lines: the n-th
 * member of the top-level object is the n-th depth-1 key in the text.
 * Returns 0, or -1 when the file is unusable.
 */
static int
config_parse_json(struct config_state *st, const char *text, size_t len)
{
	struct qs_parse_ctx	*ctx = st->ctx;
	struct qs_json_key	*keys = NULL;
	size_t			 nkeys, ntop = 0, i, k, *top = NULL, at;
	const char		*end = NULL;
	cJSON			*root, *item;

	root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
	if (root == NULL) {
		uint64_t	line = 0;

		if (end != NULL && end >= text && end <= text + len)
			line = qs_json_line_at(text, len, (size_t)(end - text));
		qs_parse_diag(ctx, QS_SEV_ERROR, line, "configuration: not "
		    "valid JSON (the agent refuses it)");
		return -1;
	}
	if (!cJSON_IsObject(root)) {
		qs_parse_diag(ctx, QS_SEV_ERROR, 1, "configuration: the JSON "
		    "is not an object");
		cJSON_Delete(root);
		return -1;
	}
	if (end != NULL && end >= text && end <= text + len) {
		for (at = (size_t)(end - text); at < len &&
		    isspace((unsigned char)text[at]); at++)
			;
		if (at < len)
			qs_parse_diag(ctx, QS_SEV_ERROR,
			    qs_json_line_at(text, len, at), "configuration: "
			    "text after the JSON object (the agent refuses "
			    "it)");
	}
	nkeys = qs_json_keys(text, len, 2, CONFIG_MAX_KEYS, &keys);
	if (nkeys > 0)
		top = qs_xreallocarray(NULL, nkeys, sizeof(*top));
	for (i = 0; i < nkeys; i++)
		if (keys[i].depth == 1)
			top[ntop++] = i;
	/*
	 * On text cJSON accepted the scanner sees the same members in the
	 * same order; a name check guards the pairing all the same (a key
	 * written with escapes just loses its line).
	 */
	for (item = root->child, i = 0; item != NULL; item = item->next, i++) {
		k = SIZE_MAX;
		if (i < ntop && item->string != NULL &&
		    keys[top[i]].name_len == strlen(item->string) &&
		    memcmp(keys[top[i]].name, item->string,
		    keys[top[i]].name_len) == 0)
			k = top[i];
		config_json_item(st, item, text, len, keys, nkeys, k);
	}
	free(top);
	free(keys);
	cJSON_Delete(root);
	return 0;
}

/* ---- HCL v1, the subset Consul configurations use ---- */

static void
hcl_error(struct hcl *h, const char *why)
{
	if (h->error == NULL) {
		h->error = why;
		h->error_line = h->line;
	}
	h->p = h->end;
}

/* Blanks, newlines and comments. */
static void
hcl_skip(struct hcl *h)
{
	while (h->p < h->end) {
		char	c = *h->p;

		if (c == '\n') {
			h->line++;
			h->p++;
		} else if (c == ' ' || c == '\t' || c == '\r' || c == '\f')
			h->p++;
		else if (c == '#' || (c == '/' && h->p + 1 < h->end &&
		    h->p[1] == '/')) {
			while (h->p < h->end && *h->p != '\n')
				h->p++;
		} else if (c == '/' && h->p + 1 < h->end && h->p[1] == '*') {
			h->p += 2;
			for (;;) {
				if (h->p + 1 >= h->end) {
					hcl_error(h, "unterminated /* comment");
					return;
				}
				if (h->p[0] == '*' && h->p[1] == '/') {
					h->p += 2;
					break;
				}
				if (*h->p == '\n')
					h->line++;
				h->p++;
			}
		} else
			break;
	}
}

static int
hcl_ident_char(int c)
{
	return isalnum(c) || c == '_' || c == '-' || c == '.' || c == ':';
}

/* A key: an identifier or a quoted string.  OUT: *key (heap). */
static int
hcl_key(struct hcl *h, char **key)
{
	const char	*s = h->p;

	if (h->p < h->end && *h->p == '"')
		return hcl_string(h, key);
	while (h->p < h->end && hcl_ident_char((unsigned char)*h->p))
		h->p++;
	if (h->p == s) {
		hcl_error(h, "expected a key");
		return -1;
	}
	*key = qs_xmalloc((size_t)(h->p - s) + 1);
	memcpy(*key, s, (size_t)(h->p - s));
	(*key)[h->p - s] = '\0';
	return 0;
}

/*
 * A double-quoted string with HCL's escapes; ${...} is kept as text (its
 * quotes do not end the string).  OUT: *out (heap), decoded.
 */
static int
hcl_string(struct hcl *h, char **out)
{
	const char	*s = ++h->p;
	char		*buf, *o;
	int		 braces = 0;
	size_t		 n;

	/* The decoded string is never longer than the quoted one. */
	for (;;) {
		if (h->p >= h->end || *h->p == '\n') {
			hcl_error(h, "unterminated string");
			return -1;
		}
		if (*h->p == '\\' && h->p + 1 < h->end) {
			h->p += 2;
			continue;
		}
		if (*h->p == '$' && h->p + 1 < h->end && h->p[1] == '{') {
			braces++;
			h->p += 2;
			continue;
		}
		if (*h->p == '}' && braces > 0)
			braces--;
		else if (*h->p == '"' && braces == 0)
			break;
		h->p++;
	}
	n = (size_t)(h->p - s);
	h->p++;
	o = buf = qs_xmalloc(n + 1);
	while (s < h->p - 1) {
		if (*s != '\\') {
			*o++ = *s++;
			continue;
		}
		s++;
		switch (*s) {
		case 'n':
			*o++ = '\n';
			s++;
			break;
		case 't':
			*o++ = '\t';
			s++;
			break;
		case 'r':
			*o++ = '\r';
			s++;
			break;
		case 'u':
		case 'U': {
			size_t		 want = *s == 'u' ? 4 : 8, i;
			unsigned long	 cp = 0;

			s++;
			for (i = 0; i < want; i++) {
				if (s + i >= h->p - 1 ||
				    !isxdigit((unsigned char)s[i]))
					break;
				cp = cp * 16 + (unsigned long)(isdigit(
				    (unsigned char)s[i]) ? s[i] - '0' :
				    (tolower((unsigned char)s[i]) - 'a' + 10));
			}
			if (i != want) {
				free(buf);
				hcl_error(h, "bad \\u escape in a string");
				return -1;
			}
			s += want;
			/* UTF-8; never longer than the escape itself. */
			if (cp < 0x80)
				*o++ = (char)cp;
			else if (cp < 0x800) {
				*o++ = (char)(0xc0 | (cp >> 6));
				*o++ = (char)(0x80 | (cp & 0x3f));
			} else if (cp < 0x10000) {
				*o++ = (char)(0xe0 | (cp >> 12));
				*o++ = (char)(0x80 | ((cp >> 6) & 0x3f));
				*o++ = (char)(0x80 | (cp & 0x3f));
			} else if (cp < 0x110000) {
				*o++ = (char)(0xf0 | (cp >> 18));
				*o++ = (char)(0x80 | ((cp >> 12) & 0x3f));
				*o++ = (char)(0x80 | ((cp >> 6) & 0x3f));
				*o++ = (char)(0x80 | (cp & 0x3f));
			} else
				*o++ = '?';
			break;
		}
		default:	/* \" \\ and anything else: the character */
			*o++ = *s++;
			break;
		}
	}
	*o = '\0';
	*out = buf;
	return 0;
}

/*
 * <<EOF ... EOF and <<-EOF: lines up to one holding only the anchor
 * (blanks around it allowed).  OUT: *out (heap).
 */
static int
hcl_heredoc(struct hcl *h, char **out)
{
	const char	*anchor, *body, *ln;
	size_t		 alen;

	h->p += 2;
	if (h->p < h->end && *h->p == '-')
		h->p++;
	anchor = h->p;
	while (h->p < h->end && hcl_ident_char((unsigned char)*h->p))
		h->p++;
	alen = (size_t)(h->p - anchor);
	while (h->p < h->end && *h->p == '\r')
		h->p++;
	if (alen == 0 || h->p >= h->end || *h->p != '\n') {
		hcl_error(h, "bad heredoc start");
		return -1;
	}
	h->p++;
	h->line++;
	body = h->p;
	while (h->p < h->end) {
		const char	*e, *a, *z;

		ln = h->p;
		e = memchr(ln, '\n', (size_t)(h->end - ln));
		if (e == NULL)
			e = h->end;
		for (a = ln; a < e && isspace((unsigned char)*a); a++)
			;
		for (z = e; z > a && isspace((unsigned char)z[-1]); z--)
			;
		if ((size_t)(z - a) == alen && memcmp(a, anchor, alen) == 0) {
			size_t	n = (size_t)(ln - body);

			*out = qs_xmalloc(n + 1);
			memcpy(*out, body, n);
			(*out)[n] = '\0';
			h->p = e;
			return 0;
		}
		h->p = e < h->end ? e + 1 : e;
		if (e < h->end)
			h->line++;
	}
	hcl_error(h, "unterminated heredoc");
	return -1;
}

/*
 * One value.  With out NULL the value is only read; otherwise *out gets a
 * cJSON value the caller owns (numbers as raw text).
 */
static int
hcl_value(struct hcl *h, int depth, cJSON **out)
{
	char		*s;
	const char	*start;

	hcl_skip(h);
	if (h->p >= h->end) {
		hcl_error(h, "expected a value");
		return -1;
	}
	if (*h->p == '"' || (*h->p == '<' && h->p + 1 < h->end &&
	    h->p[1] == '<')) {
		if ((*h->p == '"' ? hcl_string(h, &s) : hcl_heredoc(h, &s))
		    != 0)
			return -1;
		if (out != NULL)
			*out = cJSON_CreateString(s);
		free(s);
		return 0;
	}
	if (*h->p == '[')
		return hcl_list(h, depth + 1, out);
	if (*h->p == '{')
		return hcl_object(h, depth + 1, out);
	start = h->p;
	if (*h->p == '-' || *h->p == '+' || isdigit((unsigned char)*h->p)) {
		h->p++;
		while (h->p < h->end && (isalnum((unsigned char)*h->p) ||
		    *h->p == '.' || ((*h->p == '-' || *h->p == '+') &&
		    (h->p[-1] == 'e' || h->p[-1] == 'E'))))
			h->p++;
		if (out != NULL) {
			s = qs_xmalloc((size_t)(h->p - start) + 1);
			memcpy(s, start, (size_t)(h->p - start));
			s[h->p - start] = '\0';
			*out = cJSON_CreateRaw(s);
			free(s);
		}
		return 0;
	}
	while (h->p < h->end && hcl_ident_char((unsigned char)*h->p))
		h->p++;
	if ((size_t)(h->p - start) == 4 && memcmp(start, "true", 4) == 0) {
		if (out != NULL)
			*out = cJSON_CreateTrue();
		return 0;
	}
	if ((size_t)(h->p - start) == 5 && memcmp(start, "false", 5) == 0) {
		if (out != NULL)
			*out = cJSON_CreateFalse();
		return 0;
	}
	hcl_error(h, "expected a value (string, number, bool, list or "
	    "object)");
	return -1;
}

/* [ value, value, ... ] with an optional trailing comma. */
static int
hcl_list(struct hcl *h, int depth, cJSON **out)
{
	cJSON	*arr = NULL, *el;

	if (depth > HCL_MAX_DEPTH) {
		hcl_error(h, "lists and objects nested too deep");
		return -1;
	}
	h->p++;
	if (out != NULL)
		arr = cJSON_CreateArray();
	for (;;) {
		hcl_skip(h);
		if (h->p >= h->end) {
			hcl_error(h, "unterminated list");
			break;
		}
		if (*h->p == ']') {
			h->p++;
			if (out != NULL)
				*out = arr;
			return 0;
		}
		el = NULL;
		if (hcl_value(h, depth, out != NULL ? &el : NULL) != 0)
			break;
		if (el != NULL)
			cJSON_AddItemToArray(arr, el);
		hcl_skip(h);
		if (h->p < h->end && *h->p == ',')
			h->p++;
		else if (h->p < h->end && *h->p != ']') {
			hcl_error(h, "expected , or ] in a list");
			break;
		}
	}
	cJSON_Delete(arr);
	return -1;
}

/* { items } */
static int
hcl_object(struct hcl *h, int depth, cJSON **out)
{
	cJSON	*obj = NULL;

	if (depth > HCL_MAX_DEPTH) {
		hcl_error(h, "lists and objects nested too deep");
		return -1;
	}
	h->p++;
	if (out != NULL)
		obj = cJSON_CreateObject();
	if (hcl_items(h, depth, obj) != 0) {
		cJSON_Delete(obj);
		return -1;
	}
	if (h->p >= h->end || *h->p != '}') {
		hcl_error(h, "unterminated block or object");
		cJSON_Delete(obj);
		return -1;
	}
	h->p++;
	if (out != NULL)
		*out = obj;
	return 0;
}

/*
 * Items up to a closing brace (depth > 0) or the end of the file.  At the
 * top level (obj NULL, depth 0) wanted keys become settings as they are
 * read; inside a built object (obj set) items are added to it.
 */
static int
hcl_items(struct hcl *h, int depth, cJSON *obj)
{
	for (;;) {
		char		*key = NULL, *label;
		uint64_t	 line;
		const char	*name = NULL;
		int		 top = depth == 0, want, perf;
		cJSON		*v = NULL;

		hcl_skip(h);
		if (h->p >= h->end) {
			if (depth > 0)
				hcl_error(h, "unterminated block or object");
			return h->error != NULL ? -1 : 0;
		}
		if (*h->p == '}') {
			if (depth == 0) {
				hcl_error(h, "unexpected }");
				return -1;
			}
			return 0;
		}
		line = h->line;
		if (hcl_key(h, &key) != 0)
			return -1;
		if (top)
			name = config_wanted_name(key, strlen(key));
		perf = top && strcasecmp(key, "performance") == 0;
		want = obj != NULL || name != NULL || perf;
		if (perf)
			h->rm_line = line;
		else if (obj != NULL && depth == 1 &&
		    strcasecmp(key, "raft_multiplier") == 0)
			h->rm_line = line;
		hcl_skip(h);
		if (h->p < h->end && (*h->p == '=' || *h->p == ':')) {
			h->p++;
			if (hcl_value(h, depth, want ? &v : NULL) != 0) {
				free(key);
				return -1;
			}
		} else {
			/* A block: optional labels, then { ... }. */
			while (h->p < h->end && *h->p == '"') {
				if (hcl_string(h, &label) != 0) {
					free(key);
					return -1;
				}
				free(label);
				want = 0;
				hcl_skip(h);
			}
			if (h->p >= h->end || *h->p != '{') {
				free(key);
				hcl_error(h, "expected = or { after a key");
				return -1;
			}
			if (name != NULL)
				want = 0;	/* a wanted key is no block */
			if (hcl_object(h, depth + 1, want ? &v : NULL) != 0) {
				free(key);
				return -1;
			}
		}
		if (v != NULL) {
			if (obj != NULL)
				cJSON_AddItemToObject(obj, key, v);
			else {
				if (perf && cJSON_IsObject(v))
					config_performance(h->st, v, NULL, 0,
					    h->rm_line);
				else if (name != NULL)
					config_emit(h->st, name, v, NULL, 0,
					    line);
				cJSON_Delete(v);
			}
		}
		free(key);
		hcl_skip(h);
		if (h->p < h->end && *h->p == ',')
			h->p++;
	}
}

static void
config_parse_hcl(struct config_state *st, const char *text, size_t len)
{
	struct hcl	h;

	memset(&h, 0, sizeof(h));
	h.st = st;
	h.p = text;
	h.end = text + len;
	h.line = 1;
	hcl_items(&h, 0, NULL);
	if (h.error != NULL)
		qs_parse_diag(st->ctx, QS_SEV_ERROR, h.error_line,
		    "configuration: HCL syntax error: %s; settings before it "
		    "are kept", h.error);
}

/* By name first (.json, .hcl), then by content: JSON opens with {. */
static int
config_is_json(const char *logical, const char *text, size_t len)
{
	size_t	l = strlen(logical), i;

	if (l >= 5 && strcasecmp(logical + l - 5, ".json") == 0)
		return 1;
	if (l >= 4 && strcasecmp(logical + l - 4, ".hcl") == 0)
		return 0;
	for (i = 0; i < len && isspace((unsigned char)text[i]); i++)
		;
	return i < len && text[i] == '{';
}

int
qs_parse_consul_config(struct qs_parse_ctx *ctx)
{
	struct config_state	 st;
	const unsigned char	*data;
	size_t			 len;
	const char		*text;

	if (qs_source_map(ctx->src, ctx->run->limits.v[QS_LIMIT_MEMORY_ENTRY],
	    &data, &len) != 0) {
		qs_parse_diag(ctx, QS_SEV_ERROR, 0, "configuration: the entry "
		    "could not be read");
		ctx->artifact->status = QS_STATUS_FAILED;
		return -1;
	}
	text = (const char *)data;
	memset(&st, 0, sizeof(st));
	st.ctx = ctx;
	st.json = config_is_json(ctx->artifact->logical, text, len);
	if (st.json) {
		if (config_parse_json(&st, text, len) != 0) {
			ctx->artifact->status = QS_STATUS_FAILED;
			return -1;
		}
	} else
		config_parse_hcl(&st, text, len);
	config_identities(&st);
	return 0;
}
