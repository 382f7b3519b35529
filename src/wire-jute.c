/*
 * Jute, ZooKeeper's record serialisation, read without trusting a byte of
 * it.  Jute writes through Java's DataOutputStream: int = i32 big-endian,
 * long = i64 big-endian, boolean = one byte, ustring and buffer = i32
 * length (-1 for null) then the bytes, vector = i32 count (-1 for null)
 * then the elements, records = their fields in order with no tags or
 * lengths (apache/zookeeper zookeeper-jute BinaryOutputArchive.java and
 * zookeeper.jute; formats.md 6.2).
 *
 * Two readers.  struct qs_jute is a cursor over bytes already in memory
 * (one txn log record): every read checks the bytes left and fails without
 * moving, and a vector's count is checked against what its elements could
 * possibly fill, so a forged count of 2^31 fails at once instead of
 * looping.  struct qs_jute_stream reads an entry from its source through a
 * small buffer, keeping the offset and, when asked, a running Adler-32 of
 * everything consumed (snapshots seal their content with one).
 *
 * Adler-32 (RFC 1950, section 8.2) is here because ZooKeeper checks both
 * transaction records and snapshots with it, through java.util.zip.
 */
#include "config.h"

#include <string.h>

#include "quorumscope.h"

#define JUTE_ADLER_MOD	65521u
/* Bytes summed before the modulo must be taken (zlib's NMAX bound). */
#define JUTE_ADLER_RUN	5552
/* Bytes summed side by side inside a block (see qs_adler32). */
#define JUTE_ADLER_LANES	16

static uint32_t	jute_be32(const unsigned char *);
static uint64_t	jute_be64(const unsigned char *);
static int	jute_fill(struct qs_jute_stream *);
static void	jute_stream_sum(struct qs_jute_stream *, const unsigned char *,
		    size_t);

/*
 * Adler-32 of `len` bytes continuing from `adler` (start with 1).  Sums
 * run in blocks of at most JUTE_ADLER_RUN bytes, short enough that the
 * exact 32-bit sums cannot overflow, and are reduced once per block.
 *
 * The byte-at-a-time recurrence (a += x; b += a) is one long chain of
 * dependent additions, and it dominated reading a large txn log.  Inside
 * a block the bytes are instead taken JUTE_ADLER_LANES at a time into
 * independent lanes, which the compiler turns into vector code: lane j
 * sums the bytes at positions j, j + LANES, ... (lane[j]) and the lane's
 * total before each group (pre[j]).  For the n = G * LANES bytes x[k] of
 * a block, b grows by n * a + sum (n - k) * x[k], and the byte at k =
 * g * LANES + j weighs LANES * (G - g) - j: the lanes give that as
 * LANES * (pre[j] + lane[j]) - j * lane[j], never negative.  These are
 * the same numbers the recurrence reaches, so the block bound covers them,
 * and no partial sum exceeds the total.
 */
uint32_t
qs_adler32(uint32_t adler, const void *data, size_t len)
{
	const unsigned char	*p = data;
	uint32_t		 a = adler & 0xffff, b = adler >> 16;
	uint32_t		 lane[JUTE_ADLER_LANES], pre[JUTE_ADLER_LANES];
	uint32_t		 sa, sb;
	size_t			 run, groups, g, j;

	while (len > 0) {
		run = len < JUTE_ADLER_RUN ? len : JUTE_ADLER_RUN;
		len -= run;
		groups = run / JUTE_ADLER_LANES;
		if (groups > 0) {
			memset(lane, 0, sizeof(lane));
			memset(pre, 0, sizeof(pre));
			for (g = 0; g < groups; g++) {
				for (j = 0; j < JUTE_ADLER_LANES; j++) {
					pre[j] += lane[j];
					lane[j] += p[j];
				}
				p += JUTE_ADLER_LANES;
			}
			sa = sb = 0;
			for (j = 0; j < JUTE_ADLER_LANES; j++) {
				sa += lane[j];
				sb += JUTE_ADLER_LANES * (pre[j] + lane[j]) -
				    (uint32_t)j * lane[j];
			}
			b += (uint32_t)(groups * JUTE_ADLER_LANES) * a + sb;
			a += sa;
			run -= groups * JUTE_ADLER_LANES;
		}
		while (run-- > 0) {
			a += *p++;
			b += a;
		}
		a %= JUTE_ADLER_MOD;
		b %= JUTE_ADLER_MOD;
	}
	return (b << 16) | a;
}

static uint32_t
jute_be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static uint64_t
jute_be64(const unsigned char *p)
{
	return (uint64_t)jute_be32(p) << 32 | jute_be32(p + 4);
}

void
qs_jute_init(struct qs_jute *j, const void *data, size_t len)
{
	j->base = j->p = data;
	j->end = j->base + len;
}

size_t
qs_jute_left(const struct qs_jute *j)
{
	return (size_t)(j->end - j->p);
}

size_t
qs_jute_offset(const struct qs_jute *j)
{
	return (size_t)(j->p - j->base);
}

int
qs_jute_skip(struct qs_jute *j, size_t n)
{
	if (n > qs_jute_left(j))
		return -1;
	j->p += n;
	return 0;
}

int
qs_jute_byte(struct qs_jute *j, uint8_t *out)
{
	if (qs_jute_left(j) < 1)
		return -1;
	*out = *j->p++;
	return 0;
}

/* Java writes true as 1 and false as 0; any non-zero reads as true. */
int
qs_jute_bool(struct qs_jute *j, int *out)
{
	uint8_t	b;

	if (qs_jute_byte(j, &b) != 0)
		return -1;
	*out = b != 0;
	return 0;
}

int
qs_jute_int(struct qs_jute *j, int32_t *out)
{
	if (qs_jute_left(j) < 4)
		return -1;
	*out = (int32_t)jute_be32(j->p);
	j->p += 4;
	return 0;
}

int
qs_jute_long(struct qs_jute *j, int64_t *out)
{
	if (qs_jute_left(j) < 8)
		return -1;
	*out = (int64_t)jute_be64(j->p);
	j->p += 8;
	return 0;
}

/*
 * A buffer: OUT: *data points into the cursor's bytes (not terminated),
 * *len is its length, or -1 with *data NULL for Java's null.  Fails, not
 * moving, on any other negative length or one longer than what is left.
 */
int
qs_jute_buffer(struct qs_jute *j, const unsigned char **data, int32_t *len)
{
	const unsigned char	*save = j->p;
	int32_t			 n;

	if (qs_jute_int(j, &n) != 0)
		return -1;
	if (n == -1) {
		*data = NULL;
		*len = -1;
		return 0;
	}
	if (n < 0 || (size_t)n > qs_jute_left(j)) {
		j->p = save;
		return -1;
	}
	*data = j->p;
	*len = n;
	j->p += n;
	return 0;
}

/* A ustring is a buffer of UTF-8; the same rules apply. */
int
qs_jute_ustring(struct qs_jute *j, const char **s, int32_t *len)
{
	const unsigned char	*data;

	if (qs_jute_buffer(j, &data, len) != 0)
		return -1;
	*s = (const char *)data;
	return 0;
}

/*
 * A vector's count.  `min_elem` is the fewest bytes one element can take
 * (4 for a vector of ustrings); a count its elements could not fit in the
 * bytes left fails.  OUT: *count, -1 for a null vector.
 */
int
qs_jute_vector(struct qs_jute *j, size_t min_elem, int32_t *count)
{
	const unsigned char	*save = j->p;
	int32_t			 n;

	if (qs_jute_int(j, &n) != 0)
		return -1;
	if (n == -1) {
		*count = -1;
		return 0;
	}
	if (n < 0 || (min_elem > 0 && (size_t)n > qs_jute_left(j) /
	    min_elem)) {
		j->p = save;
		return -1;
	}
	*count = n;
	return 0;
}

void
qs_jute_stream_init(struct qs_jute_stream *s, struct qs_source *src,
    int summing)
{
	memset(s, 0, sizeof(*s));
	s->src = src;
	s->adler = 1;
	s->summing = summing;
}

static void
jute_stream_sum(struct qs_jute_stream *s, const unsigned char *p, size_t n)
{
	if (s->summing)
		s->adler = qs_adler32(s->adler, p, n);
	s->off += n;
}

/* Refills the buffer; 0, or -1 at the end of the entry. */
static int
jute_fill(struct qs_jute_stream *s)
{
	ssize_t	r;

	if (s->eof)
		return -1;
	r = qs_source_read(s->src, s->buf, sizeof(s->buf));
	if (r <= 0) {
		s->eof = 1;
		return -1;
	}
	s->pos = 0;
	s->len = (size_t)r;
	return 0;
}

/*
 * Up to `n` bytes into `out` (NULL: discard them); returns how many were
 * there, fewer than `n` only at the end of the entry.
 */
size_t
qs_jute_stream_read(struct qs_jute_stream *s, void *out, size_t n)
{
	unsigned char	*o = out;
	size_t		 got = 0, take;

	while (got < n) {
		if (s->pos == s->len && jute_fill(s) != 0)
			break;
		take = s->len - s->pos;
		if (take > n - got)
			take = n - got;
		if (o != NULL)
			memcpy(o + got, s->buf + s->pos, take);
		jute_stream_sum(s, s->buf + s->pos, take);
		s->pos += take;
		got += take;
	}
	return got;
}

/* Consumes `n` bytes (summed like any others); -1 if the entry ends. */
int
qs_jute_stream_skip(struct qs_jute_stream *s, uint64_t n)
{
	size_t	take;

	while (n > 0) {
		take = n > SIZE_MAX ? SIZE_MAX : (size_t)n;
		take = qs_jute_stream_read(s, NULL, take);
		if (take == 0)
			return -1;
		n -= take;
	}
	return 0;
}

int
qs_jute_stream_int(struct qs_jute_stream *s, int32_t *out)
{
	unsigned char	b[4];

	if (qs_jute_stream_read(s, b, sizeof(b)) != sizeof(b))
		return -1;
	*out = (int32_t)jute_be32(b);
	return 0;
}

int
qs_jute_stream_long(struct qs_jute_stream *s, int64_t *out)
{
	unsigned char	b[8];

	if (qs_jute_stream_read(s, b, sizeof(b)) != sizeof(b))
		return -1;
	*out = (int64_t)jute_be64(b);
	return 0;
}

/* True once every byte of the entry has been consumed. */
int
qs_jute_stream_at_end(struct qs_jute_stream *s)
{
	if (s->pos < s->len)
		return 0;
	return jute_fill(s) != 0;
}
