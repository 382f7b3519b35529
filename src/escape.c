/*
 * Names and text inside a bundle are chosen by whoever made it: an entry
 * called "evil\x1b[31m" must not repaint the engineer's terminal.  Text
 * output passes every bundle string through here; JSON output relies on
 * cJSON's quoting instead.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "quorumscope.h"

static size_t
escape_into(const char *s, char *out)
{
	static const char	 hex[] = "0123456789abcdef";
	const unsigned char	*p;
	size_t			 n = 0;

	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p == '\\') {
			if (out != NULL) {
				out[n] = '\\';
				out[n + 1] = '\\';
			}
			n += 2;
		} else if (*p < 0x20 || *p == 0x7f) {
			if (out != NULL) {
				out[n] = '\\';
				out[n + 1] = 'x';
				out[n + 2] = hex[*p >> 4];
				out[n + 3] = hex[*p & 0xf];
			}
			n += 4;
		} else {
			if (out != NULL)
				out[n] = (char)*p;
			n++;
		}
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
