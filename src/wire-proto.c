/*
 * Protocol buffers wire format, read-only and bounds-checked, for the
 * binary artifacts that are protobuf on disk: etcd's WAL records and
 * .snap files (walpb, snappb, raftpb, etcdserverpb messages).  Layout from
 * the protobuf encoding specification (developers.google.com/protocol-
 * buffers/docs/encoding): a message is a sequence of (tag, value) pairs,
 * tag = field number << 3 | wire type; wire types 0 varint, 1 fixed64,
 * 2 length-delimited, 3/4 start/end group (deprecated), 5 fixed32.
 *
 * No schema: callers walk fields with qs_pb_next() and pick the numbers
 * they know; everything else is skipped, groups included (iteratively,
 * with a nesting limit, never by recursion).  A reader never looks past
 * the end it was given and never trusts a length before checking it
 * against the bytes that remain.
 *
 * Also here: CRC-32C (Castagnoli), the checksum etcd puts next to its
 * protobuf records (WAL chain, .snap): the SSE4.2 instruction when the
 * CPU has it, slicing-by-8 otherwise.
 *
 * Limits: groups nested deeper than QS_PB_GROUP_DEPTH are malformed.
 * Field numbers above 2^29-1 and wire types 6 and 7 are malformed, as in
 * every protobuf implementation.
 */
#include "config.h"

#include <stdint.h>
#include <string.h>

#include "quorumscope.h"

/* Start-group fields nested inside one another while skipping. */
#define QS_PB_GROUP_DEPTH	64
#define PB_MAX_FIELD		((1u << 29) - 1)

static int	pb_skip_value(struct qs_pb *, unsigned, uint32_t);

/*
 * Reads one base-128 varint at *p, not past end.  Returns 0 and advances
 * *p, or -1 on a truncated varint or one longer than 10 bytes (or whose
 * tenth byte carries more than the 64th bit).
 */
int
qs_pb_varint(const unsigned char **p, const unsigned char *end, uint64_t *v)
{
	const unsigned char	*q = *p;
	uint64_t		 x = 0;
	unsigned		 shift;

	for (shift = 0; shift < 64; shift += 7) {
		if (q >= end)
			return -1;
		if (shift == 63 && *q > 1)
			return -1;
		x |= (uint64_t)(*q & 0x7f) << shift;
		if ((*q++ & 0x80) == 0) {
			*v = x;
			*p = q;
			return 0;
		}
	}
	return -1;
}

/* A reader over len bytes at data (NULL with len 0: an empty message). */
void
qs_pb_init(struct qs_pb *pb, const unsigned char *data, size_t len)
{
	pb->p = data;
	pb->end = data != NULL ? data + len : data;
	pb->error = 0;
}

/* Skips the value of a field whose tag was just read. */
static int
pb_skip_value(struct qs_pb *pb, unsigned wire, uint32_t num)
{
	uint32_t	stack[QS_PB_GROUP_DEPTH];
	size_t		depth = 0;
	uint64_t	v;

	for (;;) {
		switch (wire) {
		case 0:
			if (qs_pb_varint(&pb->p, pb->end, &v) != 0)
				return -1;
			break;
		case 1:
			if (pb->end - pb->p < 8)
				return -1;
			pb->p += 8;
			break;
		case 2:
			if (qs_pb_varint(&pb->p, pb->end, &v) != 0 ||
			    v > (uint64_t)(pb->end - pb->p))
				return -1;
			pb->p += v;
			break;
		case 3:
			if (depth == QS_PB_GROUP_DEPTH)
				return -1;
			stack[depth++] = num;
			break;
		case 4:
			if (depth == 0 || stack[depth - 1] != num)
				return -1;
			depth--;
			break;
		case 5:
			if (pb->end - pb->p < 4)
				return -1;
			pb->p += 4;
			break;
		default:
			return -1;
		}
		if (depth == 0)
			return 0;
		/* Inside a group: the next tag belongs to it. */
		if (qs_pb_varint(&pb->p, pb->end, &v) != 0)
			return -1;
		wire = (unsigned)(v & 7);
		if ((v >> 3) == 0 || (v >> 3) > PB_MAX_FIELD)
			return -1;
		num = (uint32_t)(v >> 3);
	}
}

/*
 * The next field of the message.  OUT: *f: its number, wire type and
 * value (f->u for varint and fixed types, f->data/f->len for
 * length-delimited ones, pointing into the message).  Groups are skipped
 * whole and never returned.  Returns 1 for a field, 0 at the end of the
 * message, -1 when the bytes are not a valid message (pb->error is set
 * and every later call returns -1).
 */
int
qs_pb_next(struct qs_pb *pb, struct qs_pb_field *f)
{
	uint64_t	tag, v;
	unsigned	wire;

	for (;;) {
		if (pb->error)
			return -1;
		if (pb->p >= pb->end)
			return 0;
		if (qs_pb_varint(&pb->p, pb->end, &tag) != 0)
			goto bad;
		wire = (unsigned)(tag & 7);
		if ((tag >> 3) == 0 || (tag >> 3) > PB_MAX_FIELD)
			goto bad;
		memset(f, 0, sizeof(*f));
		f->num = (uint32_t)(tag >> 3);
		f->wire = wire;
		switch (wire) {
		case 0:
			if (qs_pb_varint(&pb->p, pb->end, &f->u) != 0)
				goto bad;
			return 1;
		case 1:
			if (pb->end - pb->p < 8)
				goto bad;
			f->u = qs_pb_le64(pb->p);
			pb->p += 8;
			return 1;
		case 2:
			if (qs_pb_varint(&pb->p, pb->end, &v) != 0 ||
			    v > (uint64_t)(pb->end - pb->p))
				goto bad;
			f->data = pb->p;
			f->len = (size_t)v;
			pb->p += v;
			return 1;
		case 5:
			if (pb->end - pb->p < 4)
				goto bad;
			f->u = (uint64_t)pb->p[0] | (uint64_t)pb->p[1] << 8 |
			    (uint64_t)pb->p[2] << 16 | (uint64_t)pb->p[3] << 24;
			pb->p += 4;
			return 1;
		case 3:
			if (pb_skip_value(pb, wire, f->num) != 0)
				goto bad;
			continue;
		default:	/* 4: an end-group with no start; 6, 7 */
			goto bad;
		}
	}
bad:
	pb->error = 1;
	return -1;
}

/*
 * The values of a repeated varint field, whatever its encoding: one
 * varint field (unpacked, as gogo-protobuf writes etcd's raftpb) or a
 * length-delimited run of varints (packed).  Calls fn for each value;
 * returns the number of values, or -1 when a packed run is malformed.
 */
int
qs_pb_repeated_varint(const struct qs_pb_field *f,
    void (*fn)(void *, uint64_t), void *arg)
{
	const unsigned char	*p, *end;
	uint64_t		 v;
	int			 n = 0;

	if (f->wire == 0) {
		fn(arg, f->u);
		return 1;
	}
	if (f->wire != 2)
		return -1;
	p = f->data;
	end = f->data + f->len;
	while (p < end) {
		if (qs_pb_varint(&p, end, &v) != 0)
			return -1;
		fn(arg, v);
		if (n < INT32_MAX)
			n++;
	}
	return n;
}

uint64_t
qs_pb_le64(const unsigned char *p)
{
	uint64_t	v = 0;
	int		i;

	for (i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

/*
 * CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), continuing from
 * crc: qs_crc32c(0, data, len) is the standard checksum, and feeding a
 * message in pieces gives the same result as feeding it whole (Go's
 * crc32.Update, which etcd uses for its running WAL digest).
 *
 * The checksum is most of the cost of reading a WAL (every byte of every
 * record's data goes through it), so there are two ways to compute it:
 * the SSE4.2 crc32 instruction, 8 bytes at a time, when the CPU has it
 * (checked once at run time), and otherwise slicing-by-8 (Kounavis and
 * Berry's eight tables, eight bytes per step).  Both give the same
 * results; the unit tests compare them.
 */
static uint32_t	crc32c_tab[8][256];
static int	crc32c_tab_ready;

static void
crc32c_tab_init(void)
{
	uint32_t	c;
	unsigned	i, k;

	for (i = 0; i < 256; i++) {
		c = i;
		for (k = 0; k < 8; k++)
			c = (c & 1) ? (c >> 1) ^ 0x82F63B78u : c >> 1;
		crc32c_tab[0][i] = c;
	}
	/* Table k: a byte followed by k zero bytes. */
	for (i = 0; i < 256; i++)
		for (k = 1; k < 8; k++)
			crc32c_tab[k][i] = crc32c_tab[0][crc32c_tab[k - 1][i] &
			    0xff] ^ (crc32c_tab[k - 1][i] >> 8);
	crc32c_tab_ready = 1;
}

/* Slicing-by-8, in any byte order and at any alignment. */
uint32_t
qs_crc32c_sw(uint32_t crc, const void *data, size_t len)
{
	const unsigned char	*p = data;
	uint32_t		 c, lo, hi;

	if (!crc32c_tab_ready)
		crc32c_tab_init();
	c = ~crc;
	while (len >= 8) {
		lo = c ^ ((uint32_t)p[0] | (uint32_t)p[1] << 8 |
		    (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24);
		hi = (uint32_t)p[4] | (uint32_t)p[5] << 8 |
		    (uint32_t)p[6] << 16 | (uint32_t)p[7] << 24;
		c = crc32c_tab[7][lo & 0xff] ^ crc32c_tab[6][(lo >> 8) & 0xff] ^
		    crc32c_tab[5][(lo >> 16) & 0xff] ^ crc32c_tab[4][lo >> 24] ^
		    crc32c_tab[3][hi & 0xff] ^ crc32c_tab[2][(hi >> 8) & 0xff] ^
		    crc32c_tab[1][(hi >> 16) & 0xff] ^ crc32c_tab[0][hi >> 24];
		p += 8;
		len -= 8;
	}
	while (len-- > 0)
		c = crc32c_tab[0][(c ^ *p++) & 0xff] ^ (c >> 8);
	return ~c;
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define QS_CRC32C_HW	1
/*
 * The crc32 instruction (SSE4.2) computes exactly this CRC, reflected,
 * without the pre- and post-inversion.  Unaligned 8-byte loads go
 * through memcpy, which compiles to one mov.
 */
__attribute__((target("sse4.2"))) static uint32_t
crc32c_sse42(uint32_t crc, const void *data, size_t len)
{
	const unsigned char	*p = data;
	uint64_t		 c = ~crc, w;

	while (len >= 8) {
		memcpy(&w, p, 8);
		c = __builtin_ia32_crc32di(c, w);
		p += 8;
		len -= 8;
	}
	while (len-- > 0)
		c = __builtin_ia32_crc32qi((uint32_t)c, *p++);
	return ~(uint32_t)c;
}
#endif

/* 1 when qs_crc32c_hw() uses the CPU's crc32 instruction. */
int
qs_crc32c_hw_available(void)
{
#ifdef QS_CRC32C_HW
	static int	have = -1;

	if (have < 0) {
		__builtin_cpu_init();
		have = __builtin_cpu_supports("sse4.2") ? 1 : 0;
	}
	return have;
#else
	return 0;
#endif
}

/* The hardware CRC, or slicing-by-8 where the CPU has none. */
uint32_t
qs_crc32c_hw(uint32_t crc, const void *data, size_t len)
{
#ifdef QS_CRC32C_HW
	if (qs_crc32c_hw_available())
		return crc32c_sse42(crc, data, len);
#endif
	return qs_crc32c_sw(crc, data, len);
}

uint32_t
qs_crc32c(uint32_t crc, const void *data, size_t len)
{
	return qs_crc32c_hw(crc, data, len);
}
