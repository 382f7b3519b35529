/*
 * Names and text inside a bundle are chosen by whoever made it: an entry
 * called "evil\x1b[31m" must not repaint the engineer's terminal, and a
 * name in Latin-1 must not make the JSON output unparsable.
 *
 * Text output passes every bundle string through qs_escape(): control
 * characters (C0, DEL and the C1 range, which some terminals obey as
 * 8-bit escapes) and bytes that are not UTF-8 become \xNN, a backslash
 * becomes \\.  JSON output goes through qs_json_sanitise() before it is
 * printed: cJSON quotes control characters itself, but copies any byte;
 * bytes that are not UTF-8 become U+FFFD there, and the object says so.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "quorumscope.h"

/*
 * Length of the well-formed UTF-8 sequence at p (at most n bytes), or 0
 * when the bytes there are not one: no overlong forms, no surrogates,
 * nothing above U+10FFFF (RFC 3629, section 4).
 */
size_t
qs_utf8_len(const unsigned char *p, size_t n)
{
	size_t		len, i;
	unsigned	lo = 0x80, hi = 0xbf;

	if (n == 0)
		return 0;
	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		len = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		len = 3;
		if (p[0] == 0xe0)
			lo = 0xa0;
		else if (p[0] == 0xed)
			hi = 0x9f;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		len = 4;
		if (p[0] == 0xf0)
			lo = 0x90;
		else if (p[0] == 0xf4)
			hi = 0x8f;
	} else
		return 0;
	if (n < len)
		return 0;
	if (p[1] < lo || p[1] > hi)
		return 0;
	for (i = 2; i < len; i++)
		if (p[i] < 0x80 || p[i] > 0xbf)
			return 0;
	return len;
}

static size_t
escape_into(const char *s, char *out)
{
	static const char	 hex[] = "0123456789abcdef";
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 n = 0, left = strlen(s), k, i;

	while (left > 0) {
		k = qs_utf8_len(p, left);
		/* U+0080..U+009F: C1 controls, as two bytes C2 80..C2 9F. */
		if (k == 2 && p[0] == 0xc2 && p[1] <= 0x9f)
			k = 0;
		if (*p == '\\') {
			if (out != NULL) {
				out[n] = '\\';
				out[n + 1] = '\\';
			}
			n += 2;
			k = 1;
		} else if (k == 0 || *p < 0x20 || *p == 0x7f) {
			/* One byte at a time: each shown as \xNN. */
			k = k == 2 ? 2 : 1;
			for (i = 0; i < k; i++) {
				if (out != NULL) {
					out[n] = '\\';
					out[n + 1] = 'x';
					out[n + 2] = hex[p[i] >> 4];
					out[n + 3] = hex[p[i] & 0xf];
				}
				n += 4;
			}
		} else {
			if (out != NULL)
				memcpy(out + n, p, k);
			n += k;
		}
		p += k;
		left -= k;
	}
	return n;
}

/* Returns s itself when nothing needs escaping, else an arena copy. */
char *
qs_escape(struct qs_arena *a, const char *s)
{
	size_t	 n = escape_into(s, NULL);
	char	*out;

	if (n == strlen(s))
		return (char *)s;
	out = qs_arena_alloc(a, n + 1);
	escape_into(s, out);
	out[n] = '\0';
	return out;
}

void
qs_fputs_escaped(const char *s, FILE *f)
{
	struct qs_arena	 a = { NULL };

	fputs(qs_escape(&a, s), f);
	qs_arena_free(&a);
}

/*
 * s with every byte that does not start a well-formed UTF-8 sequence
 * replaced by U+FFFD (EF BF BD); NULL when s is valid as it is.  The
 * caller frees the copy.
 */
char *
qs_utf8_repair(const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 left = strlen(s), k, n = 0, bad = 0;
	char			*out;

	for (k = 0; k < left; ) {
		size_t	l = qs_utf8_len(p + k, left - k);

		if (l == 0) {
			bad++;
			k++;
		} else
			k += l;
	}
	if (bad == 0)
		return NULL;
	out = qs_xmalloc(left + bad * 2 + 1);
	while (left > 0) {
		k = qs_utf8_len(p, left);
		if (k == 0) {
			memcpy(out + n, "\xef\xbf\xbd", 3);
			n += 3;
			k = 1;
		} else {
			memcpy(out + n, p, k);
			n += k;
		}
		p += k;
		left -= k;
	}
	out[n] = '\0';
	return out;
}

/* cJSON keeps strings in allocations of its own allocator: swap them. */
static void
escape_json_swap(char **slot, char *fixed)
{
	char	*copy = cJSON_malloc(strlen(fixed) + 1);

	if (copy == NULL)
		qs_fatal("out of memory building JSON");
	strcpy(copy, fixed);
	cJSON_free(*slot);
	*slot = copy;
	free(fixed);
}

/*
 * Every string of a JSON tree made valid UTF-8 before it is printed.  A
 * member whose value had to be repaired gets a sibling "<name>_repaired":
 * true, so that an excerpt with U+FFFD in it says it is not the bytes
 * that were in the bundle.
 */
void
qs_json_sanitise(cJSON *item)
{
	cJSON	*c, *next;
	char	*fixed;

	for (c = item != NULL ? item->child : NULL; c != NULL; c = next) {
		next = c->next;
		if (c->string != NULL && !(c->type & cJSON_StringIsConst) &&
		    (fixed = qs_utf8_repair(c->string)) != NULL)
			escape_json_swap(&c->string, fixed);
		if (cJSON_IsString(c) && c->valuestring != NULL &&
		    (fixed = qs_utf8_repair(c->valuestring)) != NULL) {
			escape_json_swap(&c->valuestring, fixed);
			if (cJSON_IsObject(item) && c->string != NULL) {
				char	*key = qs_xmalloc(strlen(c->string) +
				    sizeof("_repaired"));

				strcpy(key, c->string);
				strcat(key, "_repaired");
				if (!cJSON_HasObjectItem(item, key))
					cJSON_AddBoolToObject(item, key, 1);
				free(key);
			}
		}
		qs_json_sanitise(c);
	}
}

/*
 * Printed JSON made safe for a terminal: DEL and the C1 controls
 * (U+0080..U+009F, which cJSON copies as they are) become \u escapes.
 * Outside strings JSON is ASCII, so these bytes only occur inside
 * strings, where the escape means the same character.  Takes and returns
 * a cJSON_malloc'd string.
 */
char *
qs_json_terminal_safe(char *s)
{
	size_t	 n = 0, extra = 0, i, len;
	char	*out;

	if (s == NULL)
		return NULL;
	len = strlen(s);
	for (i = 0; i < len; i++)
		if ((unsigned char)s[i] == 0x7f)
			extra += 5;
		else if ((unsigned char)s[i] == 0xc2 && i + 1 < len &&
		    (unsigned char)s[i + 1] >= 0x80 &&
		    (unsigned char)s[i + 1] <= 0x9f)
			extra += 4;
	if (extra == 0)
		return s;
	if ((out = cJSON_malloc(len + extra + 1)) == NULL)
		qs_fatal("out of memory printing JSON");
	for (i = 0; i < len; i++) {
		unsigned char	c = (unsigned char)s[i];

		if (c == 0x7f) {
			memcpy(out + n, "\\u007f", 6);
			n += 6;
		} else if (c == 0xc2 && i + 1 < len &&
		    (unsigned char)s[i + 1] >= 0x80 &&
		    (unsigned char)s[i + 1] <= 0x9f) {
			n += (size_t)sprintf(out + n, "\\u%04x",
			    (unsigned char)s[i + 1]);
			i++;
		} else
			out[n++] = (char)c;
	}
	out[n] = '\0';
	cJSON_free(s);
	return out;
}
