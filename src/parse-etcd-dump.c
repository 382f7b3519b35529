/*
 * etcd.backup_dump: the dump.json of the etcd-backup tool (seed 002; the
 * tool is odise/etcd-backup, backup.go).  The tool marshals a JSON array
 * of BackupKey objects {"key": path, "value": string (absent for an empty
 * directory), "expiration": RFC 3339 time (keys with a TTL), "ttl":
 * integer (never written by the dump, only computed on restore)}: every
 * leaf of the v2 key tree under the backed-up keys, compact, no newline.
 * The tool opens the dump file without truncating it, so a shorter dump
 * written over a longer one leaves the old tail after the closing
 * bracket; that tail is reported.  No index or revision is stored.
 *
 * Recorded: settings etcd.dump.keys (objects), .values, .dirs (no value),
 * .ttl_keys (with an expiration or ttl), .latest_expiration, .prefixes
 * (top-level directories with their key counts, most first), .membership
 * (whether v2 membership keys /0/members/<hexid>/... are in the dump),
 * .trailing_bytes; and, when membership keys are present, the views "etcd
 * backup dump members" (from /0/members/<id>/raftAttributes and
 * attributes) and "etcd backup dump removed members"
 * (/0/removed_members/<id>): restoring such a dump brings those members
 * back, removed ones included.
 *
 * The dump is read as a stream with a small fixed state: one key and one
 * value of at most DUMP_STR_MAX bytes are kept at a time (longer ones are
 * counted, their end dropped), nesting is capped at DUMP_DEPTH, prefixes
 * at DUMP_PREFIXES and members at DUMP_MEMBERS.  Malformed JSON ends the
 * parse with a diagnostic at its byte offset; what came before counts.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quorumscope.h"

#define DUMP_BUF	(64 * 1024)	/* read step */
#define DUMP_STR_MAX	4096		/* bytes kept of a key or value */
#define DUMP_DEPTH	64		/* nesting inside one object */
#define DUMP_PREFIXES	64		/* top-level directories counted */
#define DUMP_PREFIX_MAX	128		/* bytes kept of a directory name */
#define DUMP_MEMBERS	256		/* membership ids kept */
#define DUMP_LISTED	8		/* prefixes named in the setting */

struct dump_prefix {
	char		 name[DUMP_PREFIX_MAX + 2];	/* "/", name, NUL */
	uint64_t	 n;
};

struct dump_member {
	char		 id[17];
	const char	*name;
	const char	*peer;
	int		 removed;
	int		 listed;	/* under /0/members */
	uint64_t	 off;
};

struct dump {
	struct qs_parse_ctx	*ctx;
	unsigned char		 buf[DUMP_BUF];
	size_t			 len, pos;
	uint64_t		 off;		/* of buf[pos] in the entry */
	int			 eof;
	int			 bad;		/* malformed: stop */

	char			 key[DUMP_STR_MAX + 1];
	size_t			 key_len;
	char			 val[DUMP_STR_MAX + 1];
	size_t			 val_len;
	int			 has_key, has_val, has_ttl;
	char			 exp[64];
	uint64_t		 obj_off;

	uint64_t		 keys, values, dirs, ttls, long_strings;
	char			 latest[64];
	struct dump_prefix	 prefixes[DUMP_PREFIXES];
	size_t			 nprefixes;
	uint64_t		 other;		/* keys of uncounted prefixes */
	struct dump_member	 members[DUMP_MEMBERS];
	size_t			 nmembers;
	int			 membership;
};

static int
dump_peek(struct dump *d)
{
	ssize_t	r;

	if (d->pos < d->len)
		return d->buf[d->pos];
	if (d->eof)
		return -1;
	r = qs_source_read(d->ctx->src, d->buf, sizeof(d->buf));
	if (r <= 0) {
		d->eof = 1;
		return -1;
	}
	d->len = (size_t)r;
	d->pos = 0;
	return d->buf[0];
}

static int
dump_get(struct dump *d)
{
	int	c = dump_peek(d);

	if (c >= 0) {
		d->pos++;
		d->off++;
	}
	return c;
}

static int
dump_ws(struct dump *d)
{
	int	c;

	while ((c = dump_peek(d)) == ' ' || c == '\t' || c == '\n' ||
	    c == '\r')
		dump_get(d);
	return c;
}

static void
dump_bad(struct dump *d, const char *what)
{
	if (d->bad)
		return;
	d->bad = 1;
	qs_parse_diag(d->ctx, QS_SEV_WARNING, 0, "not etcd-backup JSON at "
	    "byte %" PRIu64 ": %s; %" PRIu64 " keys read before it", d->off,
	    what, d->keys);
}

static int
dump_hex(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * A JSON string after its opening quote, into out (cap bytes kept, the
 * rest dropped; out may be NULL).  \u escapes below 0x80 are decoded,
 * others become '?': paths and member JSON of etcd are ASCII.
 */
static int
dump_string(struct dump *d, char *out, size_t cap, size_t *lenp)
{
	size_t	n = 0;
	int	c, i, h, u, cut = 0;

	for (;;) {
		if ((c = dump_get(d)) < 0) {
			dump_bad(d, "the file ends inside a string");
			return -1;
		}
		if (c == '"')
			break;
		if (c < 0x20) {
			dump_bad(d, "control byte inside a string");
			return -1;
		}
		if (c == '\\') {
			c = dump_get(d);
			switch (c) {
			case '"': case '\\': case '/':
				break;
			case 'b': c = '\b'; break;
			case 'f': c = '\f'; break;
			case 'n': c = '\n'; break;
			case 'r': c = '\r'; break;
			case 't': c = '\t'; break;
			case 'u':
				for (u = 0, i = 0; i < 4; i++) {
					if ((h = dump_hex(dump_get(d))) < 0) {
						dump_bad(d, "bad \\u escape");
						return -1;
					}
					u = u * 16 + h;
				}
				c = u < 0x80 ? u : '?';
				break;
			default:
				dump_bad(d, "bad escape");
				return -1;
			}
		}
		if (out != NULL && n < cap)
			out[n++] = (char)c;
		else
			cut = 1;
	}
	if (out != NULL) {
		out[n] = '\0';
		*lenp = n;
		if (cut)
			d->long_strings++;
	}
	return 0;
}

/* Any JSON value, skipped; nesting capped. */
static int
dump_skip(struct dump *d, int depth)
{
	int	c = dump_ws(d);

	if (depth > DUMP_DEPTH) {
		dump_bad(d, "nested too deep");
		return -1;
	}
	if (c == '"') {
		dump_get(d);
		return dump_string(d, NULL, 0, NULL);
	}
	if (c == '{' || c == '[') {
		int	close = c == '{' ? '}' : ']';

		dump_get(d);
		if (dump_ws(d) == close) {
			dump_get(d);
			return 0;
		}
		for (;;) {
			if (close == '}') {
				if (dump_ws(d) != '"') {
					dump_bad(d, "expected a member name");
					return -1;
				}
				dump_get(d);
				if (dump_string(d, NULL, 0, NULL) != 0)
					return -1;
				if (dump_ws(d) != ':') {
					dump_bad(d, "expected ':'");
					return -1;
				}
				dump_get(d);
			}
			if (dump_skip(d, depth + 1) != 0)
				return -1;
			c = dump_ws(d);
			dump_get(d);
			if (c == close)
				return 0;
			if (c != ',') {
				dump_bad(d, "expected ',' or a closing "
				    "bracket");
				return -1;
			}
		}
	}
	/* Numbers, true, false, null: their characters. */
	if (c <= 0 || strchr("-0123456789tfn", c) == NULL) {
		dump_bad(d, "expected a value");
		return -1;
	}
	while ((c = dump_peek(d)) > 0 && strchr("+-.0123456789eEtruefalsn",
	    c) != NULL)
		dump_get(d);
	return 0;
}

static struct dump_member *
dump_member(struct dump *d, const char *id, size_t len)
{
	size_t	i;

	for (i = 0; i < d->nmembers; i++)
		if (strlen(d->members[i].id) == len &&
		    memcmp(d->members[i].id, id, len) == 0)
			return &d->members[i];
	if (d->nmembers == DUMP_MEMBERS)
		return NULL;
	memset(&d->members[i], 0, sizeof(d->members[i]));
	memcpy(d->members[i].id, id, len);
	d->members[i].off = d->obj_off;
	return &d->members[d->nmembers++];
}

/*
 * /0/members/<hexid>/raftAttributes {"peerURLs":[...]},
 * /0/members/<hexid>/attributes {"name":...,"clientURLs":[...]},
 * /0/removed_members/<hexid> (formats.md 5.5).
 */
static void
dump_membership(struct dump *d)
{
	struct qs_etcd_member	 m;
	struct dump_member	*dm;
	const char		*p, *id, *rest;
	size_t			 idlen;
	uint64_t		 v;
	int			 removed;

	if (strncmp(d->key, "/0/members/", 11) == 0) {
		removed = 0;
		id = d->key + 11;
	} else if (strncmp(d->key, "/0/removed_members/", 19) == 0) {
		removed = 1;
		id = d->key + 19;
	} else
		return;
	p = strchr(id, '/');
	idlen = p != NULL ? (size_t)(p - id) : strlen(id);
	rest = p != NULL ? p + 1 : "";
	if (idlen == 0 || idlen > 16 ||
	    qs_parse_hex_u64(id, idlen, &v) != 0)
		return;
	d->membership = 1;
	if ((dm = dump_member(d, id, idlen)) == NULL)
		return;
	if (removed) {
		dm->removed = 1;
		return;
	}
	dm->listed = 1;
	if (!d->has_val || (strcmp(rest, "raftAttributes") != 0 &&
	    strcmp(rest, "attributes") != 0))
		return;
	memset(&m, 0, sizeof(m));
	if (qs_etcd_member_json(&d->ctx->run->arena, d->val, d->val_len,
	    &m) != 0)
		return;
	if (m.name != NULL && dm->name == NULL)
		dm->name = m.name;
	if (m.npeer > 0 && dm->peer == NULL)
		dm->peer = m.peer[0];
}

/* One BackupKey object is complete. */
static void
dump_object(struct dump *d)
{
	const char	*p;
	size_t		 n, i;

	if (!d->has_key) {
		qs_parse_diag(d->ctx, QS_SEV_WARNING, 0, "object at byte %"
		    PRIu64 " has no \"key\"", d->obj_off);
		return;
	}
	d->keys++;
	if (d->has_val)
		d->values++;
	else
		d->dirs++;
	if (d->exp[0] != '\0' || d->has_ttl)
		d->ttls++;
	/* RFC 3339 UTC times of one writer sort as text. */
	if (d->exp[0] != '\0' && strcmp(d->exp, d->latest) > 0)
		memcpy(d->latest, d->exp, sizeof(d->latest));
	p = d->key[0] == '/' ? d->key + 1 : d->key;
	n = strcspn(p, "/");
	if (p[n] == '\0')
		n = 0;		/* a key at the top: no directory */
	if (n > DUMP_PREFIX_MAX)
		n = DUMP_PREFIX_MAX;
	for (i = 0; i < d->nprefixes; i++)
		if (strlen(d->prefixes[i].name) == n + 1 &&
		    memcmp(d->prefixes[i].name + 1, p, n) == 0)
			break;
	if (i == d->nprefixes && d->nprefixes < DUMP_PREFIXES) {
		d->prefixes[i].name[0] = '/';
		memcpy(d->prefixes[i].name + 1, p, n);
		d->prefixes[i].name[n + 1] = '\0';
		d->nprefixes++;
	}
	if (i < d->nprefixes)
		d->prefixes[i].n++;
	else
		d->other++;
	dump_membership(d);
}

/* {"key":..., "value":..., "expiration":..., "ttl":...} */
static int
dump_read_object(struct dump *d)
{
	char	name[16];
	size_t	nlen, elen;
	int	c;

	d->obj_off = d->off;
	dump_get(d);			/* '{' */
	d->has_key = d->has_val = d->has_ttl = 0;
	d->exp[0] = '\0';
	if (dump_ws(d) == '}') {
		dump_get(d);
		dump_object(d);
		return 0;
	}
	for (;;) {
		if (dump_ws(d) != '"') {
			dump_bad(d, "expected a member name");
			return -1;
		}
		dump_get(d);
		if (dump_string(d, name, sizeof(name) - 1, &nlen) != 0)
			return -1;
		if (dump_ws(d) != ':') {
			dump_bad(d, "expected ':'");
			return -1;
		}
		dump_get(d);
		c = dump_ws(d);
		if (strcmp(name, "key") == 0 && c == '"') {
			dump_get(d);
			if (dump_string(d, d->key, DUMP_STR_MAX,
			    &d->key_len) != 0)
				return -1;
			d->has_key = 1;
		} else if (strcmp(name, "value") == 0 && c == '"') {
			dump_get(d);
			if (dump_string(d, d->val, DUMP_STR_MAX,
			    &d->val_len) != 0)
				return -1;
			d->has_val = 1;
		} else if (strcmp(name, "expiration") == 0 && c == '"') {
			dump_get(d);
			if (dump_string(d, d->exp, sizeof(d->exp) - 1,
			    &elen) != 0)
				return -1;
		} else {
			if (strcmp(name, "ttl") == 0 && c != 'n')
				d->has_ttl = 1;
			if (dump_skip(d, 1) != 0)
				return -1;
		}
		c = dump_ws(d);
		dump_get(d);
		if (c == '}')
			break;
		if (c != ',') {
			dump_bad(d, "expected ',' or '}'");
			return -1;
		}
	}
	dump_object(d);
	return 0;
}

static void
dump_setting(struct dump *d, const char *key, const char *value)
{
	struct qs_evidence	ev;
	char			ex[160];

	snprintf(ex, sizeof(ex), "%s %s", key, value);
	ev = qs_evidence_offset(d->ctx, 0, ex);
	qs_emit_setting(d->ctx, key, value, &ev);
}

static void
dump_setting_u64(struct dump *d, const char *key, uint64_t v)
{
	char	buf[32];

	snprintf(buf, sizeof(buf), "%" PRIu64, v);
	dump_setting(d, key, buf);
}

static int
dump_prefix_cmp(const void *a, const void *b)
{
	const struct dump_prefix	*x = a, *y = b;

	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	return strcmp(x->name, y->name);
}

static void
dump_finish(struct dump *d)
{
	struct qs_evidence	 ev;
	struct qs_view		*v;
	char			 buf[DUMP_LISTED * (DUMP_PREFIX_MAX + 24) + 64];
	size_t			 i, used = 0;
	int			 k, pass;

	dump_setting_u64(d, "etcd.dump.keys", d->keys);
	dump_setting_u64(d, "etcd.dump.values", d->values);
	dump_setting_u64(d, "etcd.dump.dirs", d->dirs);
	dump_setting_u64(d, "etcd.dump.ttl_keys", d->ttls);
	if (d->latest[0] != '\0')
		dump_setting(d, "etcd.dump.latest_expiration", d->latest);
	qsort(d->prefixes, d->nprefixes, sizeof(d->prefixes[0]),
	    dump_prefix_cmp);
	buf[0] = '\0';
	for (i = 0; i < d->nprefixes && i < DUMP_LISTED; i++) {
		k = snprintf(buf + used, sizeof(buf) - used, "%s%s:%" PRIu64,
		    i > 0 ? "," : "", d->prefixes[i].name, d->prefixes[i].n);
		if (k < 0 || (size_t)k >= sizeof(buf) - used)
			break;
		used += (size_t)k;
	}
	if (i < d->nprefixes || d->other > 0) {
		uint64_t	rest = d->other;
		size_t		j;

		for (j = i; j < d->nprefixes; j++)
			rest += d->prefixes[j].n;
		snprintf(buf + used, sizeof(buf) - used, "%s(others):%" PRIu64,
		    used > 0 ? "," : "", rest);
	}
	if (d->keys > 0)
		dump_setting(d, "etcd.dump.prefixes", buf);
	dump_setting(d, "etcd.dump.membership", d->membership ? "true" :
	    "false");
	if (d->long_strings > 0)
		qs_parse_diag(d->ctx, QS_SEV_INFO, 0, "%" PRIu64 " keys or "
		    "values longer than %d bytes were read in part",
		    d->long_strings, DUMP_STR_MAX);
	if (!d->membership)
		return;
	for (pass = 0; pass < 2; pass++) {
		ev = qs_evidence_offset(d->ctx, d->nmembers > 0 ?
		    d->members[0].off : 0, pass == 0 ? "/0/members" :
		    "/0/removed_members");
		v = qs_emit_view(d->ctx, QS_VIEW_CONSENSUS, pass == 0 ?
		    "etcd backup dump members" :
		    "etcd backup dump removed members", &ev);
		for (i = 0; i < d->nmembers; i++) {
			const struct dump_member	*m = &d->members[i];

			if (pass == 0 && m->listed && !m->removed)
				qs_view_add(d->ctx, v, m->name, m->peer, m->id,
				    QS_MEMBER_VOTER);
			else if (pass == 1 && m->removed)
				qs_view_add(d->ctx, v, NULL, NULL, m->id,
				    QS_MEMBER_REAPED);
		}
	}
}

int
qs_parse_etcd_dump(struct qs_parse_ctx *ctx)
{
	struct dump	*d;
	uint64_t	 tail = 0, at;
	int		 c;

	d = qs_xcalloc(1, sizeof(*d));
	d->ctx = ctx;
	if (dump_ws(d) != '[')
		dump_bad(d, "expected '['");
	else {
		dump_get(d);
		if (dump_ws(d) == ']')
			dump_get(d);
		else
			for (;;) {
				if (dump_ws(d) != '{') {
					dump_bad(d, "expected '{'");
					break;
				}
				if (dump_read_object(d) != 0)
					break;
				c = dump_ws(d);
				dump_get(d);
				if (c == ']')
					break;
				if (c != ',') {
					dump_bad(d, "expected ',' or ']'");
					break;
				}
			}
	}
	if (!d->bad && dump_ws(d) >= 0) {
		at = d->off;
		while (dump_get(d) >= 0)
			tail++;
		dump_setting_u64(d, "etcd.dump.trailing_bytes", tail);
		qs_parse_diag(ctx, QS_SEV_WARNING, 0, "%" PRIu64 " bytes after "
		    "the closing bracket at byte %" PRIu64 ": etcd-backup "
		    "writes its dump without truncating the file, so this is "
		    "the end of an older, longer dump", tail, at);
	}
	dump_finish(d);
	free(d);
	return 0;
}
