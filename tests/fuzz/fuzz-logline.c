/*
 * libFuzzer target for the log-line layer (wire-logline.c): the input is
 * split into lines, each peeled; the message must lie inside the line or
 * the layer's own buffer, and every named part inside the line.  Demands
 * also that nothing crashes, hangs, leaks or trips a sanitizer.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "quorumscope.h"
#include "wire-logline.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Whether [p, p + n) lies within [s, s + len). */
static int
fuzz_inside(const char *p, size_t n, const char *s, size_t len)
{
	return p == NULL || (p >= s && n <= len && p - s <= (ptrdiff_t)(len - n));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct qs_logline	 ll;
	const char		*s = (const char *)data, *end = s + size, *nl;
	size_t			 n;

	qs_logline_init(&ll);
	while (s < end) {
		nl = memchr(s, '\n', (size_t)(end - s));
		n = nl != NULL ? (size_t)(nl - s) : (size_t)(end - s);
		qs_logline_peel(&ll, s, n);
		if (!fuzz_inside(ll.msg, ll.len, s, n) &&
		    !fuzz_inside(ll.msg, ll.len, ll.buf, ll.bufsize))
			abort();
		if (!fuzz_inside(ll.host, ll.hostlen, s, n) ||
		    !fuzz_inside(ll.unit, ll.unitlen, s, n) ||
		    !fuzz_inside(ll.container, ll.containerlen, s, n))
			if (!fuzz_inside(ll.host, ll.hostlen, ll.buf,
			    ll.bufsize) && !fuzz_inside(ll.unit, ll.unitlen,
			    ll.buf, ll.bufsize))
				abort();
		s += n + (nl != NULL);
	}
	qs_logline_free(&ll);
	return 0;
}
