/* wire-jute.c: bounded Jute reads, the streaming reader, Adler-32. */
#include "config.h"

#include "test_zk.h"

DEFINE_TEST(test_wire_jute_adler32)
{
	/* RFC 1950's definition, values checked with zlib. */
	CHECK_INT(qs_adler32(1, "", 0), 1);
	CHECK_INT(qs_adler32(1, "a", 1), 0x00620062);
	CHECK_INT(qs_adler32(1, "Wikipedia", 9), 0x11e60398);
	/* Split input sums the same as whole input. */
	CHECK_INT(qs_adler32(qs_adler32(1, "Wiki", 4), "pedia", 5),
	    0x11e60398);
}

DEFINE_TEST(test_wire_jute_adler32_long_runs)
{
	unsigned char	*buf = qs_xmalloc(100000);
	uint32_t	 a = 1, b = 0, whole, parts;
	size_t		 i;

	/* Against the definition, over more than one 5552-byte run. */
	for (i = 0; i < 100000; i++) {
		buf[i] = 0xff;
		a = (a + 0xff) % 65521;
		b = (b + a) % 65521;
	}
	whole = qs_adler32(1, buf, 100000);
	CHECK_INT(whole, (b << 16) | a);
	parts = qs_adler32(qs_adler32(1, buf, 7777), buf + 7777, 100000 - 7777);
	CHECK_INT(parts, whole);
	free(buf);
}

/*
 * Known values from zlib's adler32() (Python's zlib.adler32), around the
 * block length (5552) and the lane width (16), all-0xff being the input
 * that drives the sums highest, and from a start value near the modulus.
 */
DEFINE_TEST(test_wire_jute_adler32_zlib_vectors)
{
	unsigned char	*buf = qs_xmalloc(1000003);
	size_t		 i, cut;

	memset(buf, 0xff, 100000);
	CHECK_INT(qs_adler32(1, buf, 15), 0x77970ef2);
	CHECK_INT(qs_adler32(1, buf, 5552), 0xf18f9b8c);
	CHECK_INT(qs_adler32(1, buf, 5553), 0x8e299c8b);
	CHECK_INT(qs_adler32(1, buf, 100000), 0x149a302c);
	for (i = 0; i < 1000003; i++)
		buf[i] = (unsigned char)(i * 31 + 7);
	CHECK_INT(qs_adler32(1, buf, 1000003), 0xf8b2f28a);
	CHECK_INT(qs_adler32(0xfff0fff0, buf, 1000003), 0x7269f288);
	/* Every short length and start, against the recurrence. */
	for (i = 0; i < 700; i++) {
		uint32_t	a = 0x1234, b = 0xfff0;
		size_t		k;

		for (k = 0; k < i; k++) {
			a = (a + buf[k + i % 17]) % 65521;
			b = (b + a) % 65521;
		}
		CHECK_INT(qs_adler32(0xfff01234, buf + i % 17, i),
		    (b << 16) | a);
	}
	/* Any split, at or off a lane or block edge, sums the same. */
	for (cut = 1; cut < 40; cut++)
		CHECK_INT(qs_adler32(qs_adler32(1, buf, cut * 173), buf +
		    cut * 173, 1000003 - cut * 173), 0xf8b2f28a);
	free(buf);
}

DEFINE_TEST(test_wire_jute_cursor_primitives)
{
	static const unsigned char	d[] = {
		0xff, 0xff, 0xff, 0xfe,			/* int -2 */
		0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02,	/* long */
		0x01,					/* true */
		0x00, 0x00, 0x00, 0x02, 'h', 'i',	/* ustring "hi" */
		0xff, 0xff, 0xff, 0xff,			/* null buffer */
		0x00, 0x00, 0x00, 0x02,			/* vector of 2 */
	};
	struct qs_jute		 j;
	int32_t			 i32, len;
	int64_t			 i64;
	int			 b;
	uint8_t			 u8;
	const char		*s;
	const unsigned char	*data;

	qs_jute_init(&j, d, sizeof(d));
	CHECK(qs_jute_int(&j, &i32) == 0);
	CHECK_INT(i32, -2);
	CHECK(qs_jute_long(&j, &i64) == 0);
	CHECK(i64 == INT64_C(0x100000002));
	CHECK(qs_jute_bool(&j, &b) == 0);
	CHECK_INT(b, 1);
	CHECK(qs_jute_ustring(&j, &s, &len) == 0);
	CHECK_INT(len, 2);
	CHECK(memcmp(s, "hi", 2) == 0);
	CHECK(qs_jute_buffer(&j, &data, &len) == 0);
	CHECK_INT(len, -1);
	CHECK(data == NULL);
	CHECK_INT(qs_jute_left(&j), 4);
	/* Two elements of at least 4 bytes do not fit in 0 bytes left. */
	CHECK(qs_jute_vector(&j, 4, &i32) == -1);
	CHECK_INT(qs_jute_left(&j), 4);		/* failed reads do not move */
	CHECK(qs_jute_vector(&j, 0, &i32) == 0);
	CHECK_INT(i32, 2);
	CHECK_INT(qs_jute_offset(&j), sizeof(d));
	CHECK(qs_jute_int(&j, &i32) == -1);
	CHECK(qs_jute_byte(&j, &u8) == -1);
	CHECK(qs_jute_skip(&j, 1) == -1);
	CHECK(qs_jute_skip(&j, 0) == 0);
}

DEFINE_TEST(test_wire_jute_cursor_bad_lengths)
{
	static const unsigned char	over[] = { 0, 0, 0, 9, 'x' };
	static const unsigned char	neg[] = { 0xff, 0xff, 0xff, 0xfd };
	static const unsigned char	huge[] = { 0x7f, 0xff, 0xff, 0xff };
	struct qs_jute		 j;
	const unsigned char	*data;
	int32_t			 len;
	int64_t			 i64;

	qs_jute_init(&j, over, sizeof(over));
	CHECK(qs_jute_buffer(&j, &data, &len) == -1);
	CHECK_INT(qs_jute_offset(&j), 0);
	qs_jute_init(&j, neg, sizeof(neg));
	CHECK(qs_jute_buffer(&j, &data, &len) == -1);
	CHECK(qs_jute_vector(&j, 1, &len) == -1);
	qs_jute_init(&j, huge, sizeof(huge));
	CHECK(qs_jute_vector(&j, 1, &len) == -1);
	qs_jute_init(&j, huge, 3);
	CHECK(qs_jute_int(&j, &len) == -1);
	CHECK(qs_jute_long(&j, &i64) == -1);
}

DEFINE_TEST(test_wire_jute_stream)
{
	static const unsigned char	d[] = {
		0x00, 0x00, 0x00, 0x07,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00,
		'a', 'b', 'c'
	};
	struct qs_source	 src;
	struct qs_jute_stream	 js;
	int32_t			 i32;
	int64_t			 i64;
	unsigned char		 c[4];

	qs_source_init_mem(&src, d, sizeof(d));
	qs_jute_stream_init(&js, &src, 1);
	CHECK(qs_jute_stream_int(&js, &i32) == 0);
	CHECK_INT(i32, 7);
	CHECK(qs_jute_stream_long(&js, &i64) == 0);
	CHECK_INT(i64, 256);
	CHECK_INT(js.off, 12);
	CHECK_INT(js.adler, qs_adler32(1, d, 12));
	CHECK(!qs_jute_stream_at_end(&js));
	CHECK(qs_jute_stream_skip(&js, 1) == 0);
	CHECK_INT(qs_jute_stream_read(&js, c, sizeof(c)), 2);
	CHECK_INT(js.off, sizeof(d));
	CHECK_INT(js.adler, qs_adler32(1, d, sizeof(d)));
	CHECK(qs_jute_stream_at_end(&js));
	CHECK(qs_jute_stream_int(&js, &i32) == -1);
	CHECK(qs_jute_stream_skip(&js, 1) == -1);
	qs_source_release(&src);
}

DEFINE_TEST(test_wire_jute_stream_skip_past_end)
{
	static const unsigned char	d[] = { 1, 2, 3 };
	struct qs_source	 src;
	struct qs_jute_stream	 js;

	qs_source_init_mem(&src, d, sizeof(d));
	qs_jute_stream_init(&js, &src, 0);
	CHECK(qs_jute_stream_skip(&js, UINT64_C(1) << 40) == -1);
	CHECK_INT(js.off, 3);
	CHECK_INT(js.adler, 1);		/* not summing */
	qs_source_release(&src);
}
