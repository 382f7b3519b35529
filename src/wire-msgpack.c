/*
 * A small bounds-checked msgpack reader for what hashicorp/go-msgpack
 * writes into raft logs (formats.md 2.2): maps keyed by Go field names,
 * the legacy "raw" string family (fixstr, 0xda, 0xdb) that also carries
 * []byte, ints of every width, nil, bools, arrays, and, to be liberal,
 * str8 (0xd9), bin8/16/32, floats and ext types (Go time as ext -1).
 *
 * Upstream: the msgpack specification and hashicorp/go-msgpack
 * codec/msgpack.go (0.5.5 and v2), facts only.
 *
 * Why not msgpack-c (Debian libmsgpack-dev): its unpacker builds an object
 * tree in a zone for every value, allocating element arrays from the
 * counts the input claims, and it needs a second pass to find map keys;
 * raft.db can hold millions of entries of which we want six keys, so a
 * zero-copy cursor that reads one header at a time and skips whole values
 * without allocating or recursing is simpler, faster and bounded by
 * construction.  It is about 250 lines and adds no dependency.
 *
 * Reading never goes past `end`: every length is checked against the bytes
 * left before it is used; qs_mp_skip() walks nested containers with a
 * counter instead of recursion and refuses counts larger than the bytes
 * that remain.
 */
#include "config.h"

#include <string.h>

#include "quorumscope.h"

static int	mp_need(struct qs_mp *, size_t);
static uint64_t	mp_be(const unsigned char *, size_t);

static int
mp_need(struct qs_mp *mp, size_t n)
{
	if (mp->p == NULL || (size_t)(mp->end - mp->p) < n) {
		mp->err = 1;
		return -1;
	}
	return 0;
}

static uint64_t
mp_be(const unsigned char *p, size_t n)
{
	uint64_t	v = 0;
	size_t		i;

	for (i = 0; i < n; i++)
		v = (v << 8) | p[i];
	return v;
}

/* A cursor over p[0..len); a NULL p (a nil value's payload) is empty. */
void
qs_mp_init(struct qs_mp *mp, const unsigned char *p, size_t len)
{
	static const unsigned char	empty[1];

	if (p == NULL) {
		p = empty;
		len = 0;
	}
	mp->p = p;
	mp->end = p + len;
	mp->err = 0;
}

/*
 * Reads one value's header; for strings, binaries and ext types also its
 * payload (val->p, val->len, not copied), for arrays and maps only the
 * count (val->u), the elements follow.  Returns 0, or -1 on truncation or
 * an unused byte (0xc1), leaving the cursor in error.
 */
int
qs_mp_read(struct qs_mp *mp, struct qs_mp_val *val)
{
	unsigned char	c;
	size_t		lenw = 0;
	uint64_t	len = 0;

	memset(val, 0, sizeof(*val));
	if (mp->err || mp_need(mp, 1) != 0)
		return -1;
	c = *mp->p++;
	if (c <= 0x7f) {
		val->type = QS_MP_UINT;
		val->u = c;
		return 0;
	}
	if (c >= 0xe0) {
		val->type = QS_MP_INT;
		val->i = (int8_t)c;
		return 0;
	}
	if ((c & 0xf0) == 0x80 || (c & 0xf0) == 0x90) {
		val->type = (c & 0xf0) == 0x80 ? QS_MP_MAP : QS_MP_ARRAY;
		val->u = c & 0x0f;
		return 0;
	}
	if ((c & 0xe0) == 0xa0) {
		val->type = QS_MP_STR;
		len = c & 0x1f;
		goto payload;
	}
	switch (c) {
	case 0xc0:
		val->type = QS_MP_NIL;
		return 0;
	case 0xc2:
	case 0xc3:
		val->type = QS_MP_BOOL;
		val->u = c == 0xc3;
		return 0;
	case 0xc4: case 0xc5: case 0xc6:
		val->type = QS_MP_BIN;
		lenw = (size_t)1 << (c - 0xc4);
		break;
	case 0xd9: case 0xda: case 0xdb:
		val->type = QS_MP_STR;
		lenw = (size_t)1 << (c - 0xd9);
		break;
	case 0xc7: case 0xc8: case 0xc9:
		val->type = QS_MP_EXT;
		lenw = (size_t)1 << (c - 0xc7);
		break;
	case 0xd4: case 0xd5: case 0xd6: case 0xd7: case 0xd8:
		val->type = QS_MP_EXT;
		if (mp_need(mp, 1) != 0)
			return -1;
		val->ext = (int8_t)*mp->p++;
		len = (uint64_t)1 << (c - 0xd4);
		goto payload;
	case 0xca:
	case 0xcb: {
		uint64_t	bits;

		lenw = c == 0xca ? 4 : 8;
		if (mp_need(mp, lenw) != 0)
			return -1;
		bits = mp_be(mp->p, lenw);
		mp->p += lenw;
		val->type = QS_MP_FLOAT;
		if (c == 0xca) {
			uint32_t	b32 = (uint32_t)bits;
			float		fl;

			memcpy(&fl, &b32, sizeof(fl));
			val->f = fl;
		} else
			memcpy(&val->f, &bits, sizeof(val->f));
		return 0;
	}
	case 0xcc: case 0xcd: case 0xce: case 0xcf:
		lenw = (size_t)1 << (c - 0xcc);
		if (mp_need(mp, lenw) != 0)
			return -1;
		val->type = QS_MP_UINT;
		val->u = mp_be(mp->p, lenw);
		mp->p += lenw;
		return 0;
	case 0xd0: case 0xd1: case 0xd2: case 0xd3: {
		uint64_t	raw;
		unsigned	bits;

		lenw = (size_t)1 << (c - 0xd0);
		if (mp_need(mp, lenw) != 0)
			return -1;
		raw = mp_be(mp->p, lenw);
		mp->p += lenw;
		bits = (unsigned)lenw * 8;
		/* Sign-extend without shifting into the sign bit. */
		if (bits < 64 && (raw >> (bits - 1)) != 0)
			raw |= ~(uint64_t)0 << bits;
		val->type = QS_MP_INT;
		memcpy(&val->i, &raw, sizeof(val->i));
		return 0;
	}
	case 0xdc: case 0xdd: case 0xde: case 0xdf:
		lenw = (c & 1) ? 4 : 2;
		if (mp_need(mp, lenw) != 0)
			return -1;
		val->type = c <= 0xdd ? QS_MP_ARRAY : QS_MP_MAP;
		val->u = mp_be(mp->p, lenw);
		mp->p += lenw;
		return 0;
	default:		/* 0xc1: never used */
		mp->err = 1;
		return -1;
	}
	/* Length-prefixed payloads. */
	if (mp_need(mp, lenw) != 0)
		return -1;
	len = mp_be(mp->p, lenw);
	mp->p += lenw;
	if (val->type == QS_MP_EXT) {
		if (mp_need(mp, 1) != 0)
			return -1;
		val->ext = (int8_t)*mp->p++;
	}
payload:
	if (len > (uint64_t)(mp->end - mp->p)) {
		mp->err = 1;
		return -1;
	}
	val->p = mp->p;
	val->len = (size_t)len;
	mp->p += len;
	return 0;
}

/*
 * Skips one whole value, nested containers included, without recursion:
 * a count of values still owed, which can never exceed the bytes left
 * since every value takes at least one.
 */
int
qs_mp_skip(struct qs_mp *mp)
{
	struct qs_mp_val	v;
	uint64_t		owed = 1;

	while (owed > 0) {
		if (qs_mp_read(mp, &v) != 0)
			return -1;
		owed--;
		if (v.type == QS_MP_ARRAY)
			owed += v.u;
		else if (v.type == QS_MP_MAP)
			owed += 2 * v.u;
		if (owed > (uint64_t)(mp->end - mp->p)) {
			mp->err = 1;
			return -1;
		}
	}
	return 0;
}

/* A non-negative integer of any encoding; -1 for anything else. */
int
qs_mp_uint(const struct qs_mp_val *v, uint64_t *out)
{
	if (v->type == QS_MP_UINT) {
		*out = v->u;
		return 0;
	}
	if (v->type == QS_MP_INT && v->i >= 0) {
		*out = (uint64_t)v->i;
		return 0;
	}
	return -1;
}

/* Is v a string or byte string equal to s? */
int
qs_mp_eq(const struct qs_mp_val *v, const char *s)
{
	size_t	n = strlen(s);

	return (v->type == QS_MP_STR || v->type == QS_MP_BIN) &&
	    v->len == n && memcmp(v->p, s, n) == 0;
}

/* Is v a string or bytes (nil counts as empty)? */
int
qs_mp_is_bytes(const struct qs_mp_val *v)
{
	return v->type == QS_MP_STR || v->type == QS_MP_BIN ||
	    v->type == QS_MP_NIL;
}

/*
 * Decodes a Go time in any of the shapes raft writes for AppendedAt
 * (formats.md 2.6): Go binary time (15 or 16 bytes), the msgpack
 * timestamp payload as raw bytes (4, 8, 12) or as ext -1.  A zero Go time
 * (year 1) and nil leave `t` unset.  Returns 0 when a time was set.
 */
int
qs_mp_time(const struct qs_mp_val *v, struct qs_time *t)
{
	const unsigned char	*p = v->p;
	int64_t			 secs;
	uint64_t		 nanos, u;

	memset(t, 0, sizeof(*t));
	if (v->type != QS_MP_STR && v->type != QS_MP_BIN &&
	    !(v->type == QS_MP_EXT && v->ext == -1))
		return -1;
	if (v->type != QS_MP_EXT && (v->len == 15 || v->len == 16) &&
	    (p[0] == 1 || p[0] == 2)) {
		/* Go binary time: seconds since year 1. */
		u = mp_be(p + 1, 8);
		nanos = mp_be(p + 9, 4);
		if (u == 0 || u > (uint64_t)INT64_MAX / 2)
			return -1;
		secs = (int64_t)u - INT64_C(62135596800);
	} else if (v->len == 4) {
		secs = (int64_t)mp_be(p, 4);
		nanos = 0;
	} else if (v->len == 8) {
		u = mp_be(p, 8);
		nanos = u >> 34;
		secs = (int64_t)(u & ((UINT64_C(1) << 34) - 1));
	} else if (v->len == 12) {
		nanos = mp_be(p, 4);
		u = mp_be(p + 4, 8);
		memcpy(&secs, &u, sizeof(secs));
	} else
		return -1;
	if (nanos >= 1000000000 || secs < -INT64_C(62135596800) ||
	    secs > INT64_C(253402300799))	/* years 1 .. 9999 */
		return -1;
	t->set = 1;
	t->zone_known = 1;
	t->ms = secs * 1000 + (int64_t)(nanos / 1000000);
	return 0;
}
