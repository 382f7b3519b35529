/*
 * Where things are in JSON text: the keys of objects with their line
 * numbers and the offsets of their values, and numbers read from the raw
 * digits.  cJSON gives the tree but neither positions nor exact integers
 * (it keeps doubles, exact only to 2^53); parsers that want an evidence
 * line or a 64-bit index use these next to cJSON, over the same bytes.
 *
 * The scanner is a single pass with no recursion and no allocation beyond
 * the key array it returns (capped by the caller).  It does not validate:
 * on text cJSON rejected its answers are only as good as the text.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "quorumscope.h"

/* Containers tracked for key parents; deeper ones still count in depth. */
#define JSON_STACK	64

static size_t	json_skip_space(const char *, size_t, size_t);

static size_t
json_skip_space(const char *text, size_t len, size_t i)
{
	while (i < len && (text[i] == ' ' || text[i] == '\t' ||
	    text[i] == '\n' || text[i] == '\r'))
		i++;
	return i;
}

/*
 * Lists the keys of every object nested at most `maxdepth` containers deep
 * (1: the members of the top-level object), in text order, at most `cap`
 * of them.  OUT: *keys, a heap array the caller frees (NULL when none).
 * Returns the number of keys.
 */
size_t
qs_json_keys(const char *text, size_t len, unsigned maxdepth, size_t cap,
    struct qs_json_key **keys)
{
	struct qs_json_key	*k = NULL;
	size_t			 n = 0, alloc = 0, i = 0, start, end;
	size_t			 parent[JSON_STACK];
	unsigned char		 isobj[JSON_STACK];
	size_t			 last_key = SIZE_MAX;
	uint64_t		 line = 1, key_line;
	size_t			 depth = 0;

	*keys = NULL;
	while (i < len) {
		char	c = text[i];

		if (c == '\n') {
			line++;
			i++;
			continue;
		}
		if (c == '{' || c == '[') {
			if (depth < JSON_STACK) {
				parent[depth] = last_key;
				isobj[depth] = c == '{';
			}
			depth++;
			last_key = SIZE_MAX;
			i++;
			continue;
		}
		if (c == '}' || c == ']') {
			if (depth > 0)
				depth--;
			last_key = SIZE_MAX;
			i++;
			continue;
		}
		if (c == ',') {
			last_key = SIZE_MAX;
			i++;
			continue;
		}
		if (c != '"') {
			i++;
			continue;
		}
		/* A string: find its end, then see whether a colon follows. */
		key_line = line;
		start = ++i;
		while (i < len && text[i] != '"') {
			if (text[i] == '\\' && i + 1 < len)
				i++;
			else if (text[i] == '\n')
				line++;
			i++;
		}
		if (i >= len)
			break;
		end = i++;
		{
			size_t	after = json_skip_space(text, len, i), j;

			for (j = i; j < after; j++)
				if (text[j] == '\n')
					line++;
			i = after;
			if (i >= len || text[i] != ':')
				continue;
			i++;
		}
		if (depth == 0 || depth > maxdepth || depth > JSON_STACK ||
		    !isobj[depth - 1])
			continue;
		if (n == cap)
			continue;
		if (n == alloc) {
			alloc = alloc == 0 ? 32 : alloc * 2;
			if (alloc > cap)
				alloc = cap;
			k = qs_xreallocarray(k, alloc, sizeof(*k));
		}
		k[n].name = text + start;
		k[n].name_len = end - start;
		k[n].depth = (unsigned)depth;
		k[n].parent = parent[depth - 1];
		k[n].line = key_line;
		k[n].value = json_skip_space(text, len, i);
		last_key = n;
		n++;
	}
	*keys = k;
	return n;
}

/* Does key `k` have exactly the name `name` (no escapes in it)? */
int
qs_json_key_is(const struct qs_json_key *k, const char *name)
{
	size_t	l = strlen(name);

	return k->name_len == l && memcmp(k->name, name, l) == 0;
}

/*
 * The raw text of a JSON number starting at `off` (after blanks).
 * OUT: *tok, *toklen.  Returns 0, or -1 when no number starts there.
 */
int
qs_json_raw_number(const char *text, size_t len, size_t off,
    const char **tok, size_t *toklen)
{
	size_t	i = json_skip_space(text, len, off), s = i;

	while (i < len && (text[i] == '-' || text[i] == '+' ||
	    text[i] == '.' || text[i] == 'e' || text[i] == 'E' ||
	    (text[i] >= '0' && text[i] <= '9')))
		i++;
	if (i == s || i - s > 64)
		return -1;
	*tok = text + s;
	*toklen = i - s;
	return 0;
}

/*
 * An unsigned integer written as plain digits at `off`, exact to 64 bits.
 * Returns 0, or -1 for a sign, fraction, exponent, overflow or no digits.
 */
int
qs_json_raw_u64(const char *text, size_t len, size_t off, uint64_t *out)
{
	const char	*tok;
	size_t		 toklen, i;
	uint64_t	 v = 0;

	if (qs_json_raw_number(text, len, off, &tok, &toklen) != 0)
		return -1;
	for (i = 0; i < toklen; i++) {
		unsigned	d;

		if (tok[i] < '0' || tok[i] > '9')
			return -1;
		d = (unsigned)(tok[i] - '0');
		if (v > (UINT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

/* 1-based line of byte `off` (clamped to the text). */
uint64_t
qs_json_line_at(const char *text, size_t len, size_t off)
{
	struct qs_line_cursor	c = { 0, 0 };

	return qs_json_line_seek(text, len, &c, off);
}

/* Line of byte `off`, moving the cursor there from where it was. */
uint64_t
qs_json_line_seek(const char *text, size_t len, struct qs_line_cursor *c,
    size_t off)
{
	const char	*nl;

	if (off > len)
		off = len;
	if (c->line == 0 || c->off > len) {
		c->off = 0;
		c->line = 1;
	}
	while (c->off < off) {
		nl = memchr(text + c->off, '\n', off - c->off);
		if (nl == NULL) {
			c->off = off;
			break;
		}
		c->line++;
		c->off = (size_t)(nl - text) + 1;
	}
	while (c->off > off)
		if (text[--c->off] == '\n')
			c->line--;
	return c->line;
}
