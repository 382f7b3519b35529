/*
 * wire-msgpack.c: every encoding go-msgpack writes (and the liberal
 * extras), skipping nested values, the three AppendedAt time shapes, and
 * every truncation of a realistic raft.Log.
 */
#include "config.h"

#include "test.h"

#define MP(s)	(const unsigned char *)(s), sizeof(s) - 1

DEFINE_TEST(test_msgpack_scalars)
{
	struct qs_mp		mp;
	struct qs_mp_val	v;
	uint64_t		u;
	static const unsigned char in[] =
	    "\x05\xcc\xff\xcd\x01\x00\xce\x00\x01\x00\x00"
	    "\xcf\xff\xff\xff\xff\xff\xff\xff\xff"
	    "\xff\xd0\x80\xd1\xff\x00\xd2\xff\xff\xff\xfe"
	    "\xd3\x80\x00\x00\x00\x00\x00\x00\x00"
	    "\xc0\xc2\xc3\xcb\x3f\xf0\x00\x00\x00\x00\x00\x00"
	    "\xca\x3f\x80\x00\x00";

	qs_mp_init(&mp, in, sizeof(in) - 1);
	CHECK_INT(qs_mp_read(&mp, &v), 0);
	CHECK(v.type == QS_MP_UINT && v.u == 5);
	CHECK_INT(qs_mp_read(&mp, &v), 0);
	CHECK(v.type == QS_MP_UINT && v.u == 255);
	CHECK_INT(qs_mp_read(&mp, &v), 0);
	CHECK(v.type == QS_MP_UINT && v.u == 256);
	CHECK_INT(qs_mp_read(&mp, &v), 0);
	CHECK(v.type == QS_MP_UINT && v.u == 65536);
	CHECK_INT(qs_mp_read(&mp, &v), 0);
	CHECK(v.type == QS_MP_UINT && v.u == UINT64_MAX);
	CHECK_INT(qs_mp_read(&mp, &v), 0);
	CHECK(v.type == QS_MP_INT && v.i == -1);
	CHECK(qs_mp_uint(&v, &u) == -1);
	CHECK_INT(qs_mp_read(&mp, &v), 0);
	CHECK(v.type == QS_MP_INT && v.i == -128);
	CHECK_INT(qs_mp_read(&mp, &v), 0);
	CHECK(v.type == QS_MP_INT && v.i == -256);
	CHECK_INT(qs_mp_read(&mp, &v), 0);
	CHECK(v.type == QS_MP_INT && v.i == -2);
	CHECK_INT(qs_mp_read(&mp, &v), 0);
	CHECK(v.type == QS_MP_INT && v.i == INT64_MIN);
	CHECK_INT(qs_mp_read(&mp, &v), 0);
	CHECK(v.type == QS_MP_NIL);
	CHECK_INT(qs_mp_read(&mp, &v), 0);
	CHECK(v.type == QS_MP_BOOL && v.u == 0);
	CHECK_INT(qs_mp_read(&mp, &v), 0);
	CHECK(v.type == QS_MP_BOOL && v.u == 1);
	CHECK_INT(qs_mp_read(&mp, &v), 0);
	CHECK(v.type == QS_MP_FLOAT && v.f == 1.0);
	CHECK_INT(qs_mp_read(&mp, &v), 0);
	CHECK(v.type == QS_MP_FLOAT && v.f == 1.0);
	CHECK_INT(qs_mp_read(&mp, &v), -1);	/* end of input */
	CHECK_INT(mp.err, 1);

	/* A positive signed int counts as unsigned. */
	qs_mp_init(&mp, MP("\xd0\x07"));
	CHECK_INT(qs_mp_read(&mp, &v), 0);
	CHECK(qs_mp_uint(&v, &u) == 0 && u == 7);
	/* A nil payload (NULL, 0) is an empty cursor (found by fuzzing). */
	qs_mp_init(&mp, NULL, 0);
	CHECK_INT(qs_mp_read(&mp, &v), -1);
	qs_mp_init(&mp, NULL, 0);
	CHECK_INT(qs_mp_skip(&mp), -1);
	/* 0xc1 is never used. */
	qs_mp_init(&mp, MP("\xc1"));
	CHECK_INT(qs_mp_read(&mp, &v), -1);
}

DEFINE_TEST(test_msgpack_strings)
{
	struct qs_mp		mp;
	struct qs_mp_val	v;
	static unsigned char	big[3 + 300];

	qs_mp_init(&mp, MP("\xa4" "Data" "\xd9\x03" "abc" "\xc4\x02" "xy"
	    "\xc5\x00\x01" "z" "\xc6\x00\x00\x00\x01" "w"));
	CHECK_INT(qs_mp_read(&mp, &v), 0);
	CHECK(v.type == QS_MP_STR && qs_mp_eq(&v, "Data"));
	CHECK(!qs_mp_eq(&v, "Dat"));
	CHECK_INT(qs_mp_read(&mp, &v), 0);
	CHECK(v.type == QS_MP_STR && qs_mp_eq(&v, "abc"));
	CHECK_INT(qs_mp_read(&mp, &v), 0);
	CHECK(v.type == QS_MP_BIN && qs_mp_eq(&v, "xy"));
	CHECK_INT(qs_mp_read(&mp, &v), 0);
	CHECK(v.type == QS_MP_BIN && qs_mp_eq(&v, "z"));
	CHECK_INT(qs_mp_read(&mp, &v), 0);
	CHECK(v.type == QS_MP_BIN && qs_mp_eq(&v, "w"));

	/* str16 (0xda), what go-msgpack uses from 32 bytes on. */
	big[0] = 0xda;
	big[1] = 0x01;
	big[2] = 0x2c;
	memset(big + 3, 'u', 300);
	qs_mp_init(&mp, big, sizeof(big));
	CHECK_INT(qs_mp_read(&mp, &v), 0);
	CHECK(v.type == QS_MP_STR && v.len == 300);
	/* A length past the end. */
	qs_mp_init(&mp, big, 100);
	CHECK_INT(qs_mp_read(&mp, &v), -1);
	qs_mp_init(&mp, MP("\xdb\xff\xff\xff\xff" "a"));
	CHECK_INT(qs_mp_read(&mp, &v), -1);
}

DEFINE_TEST(test_msgpack_skip)
{
	struct qs_mp		mp;
	struct qs_mp_val	v;

	/* {"a": [1, {"b": nil}, "s"], "c": 2} then 7 */
	qs_mp_init(&mp, MP("\x82\xa1" "a" "\x93\x01\x81\xa1" "b" "\xc0\xa1"
	    "s" "\xa1" "c" "\x02\x07"));
	CHECK_INT(qs_mp_skip(&mp), 0);
	CHECK_INT(qs_mp_read(&mp, &v), 0);
	CHECK(v.type == QS_MP_UINT && v.u == 7);
	/* Arrays and maps of 16/32-bit counts, ext of every width. */
	qs_mp_init(&mp, MP("\xdc\x00\x02\x01\x02\xde\x00\x01\x01\x02"
	    "\xdd\x00\x00\x00\x00\xdf\x00\x00\x00\x00"
	    "\xd4\x01\x00\xd5\x01\x00\x00\xd6\xff\x00\x00\x00\x01"
	    "\xc7\x01\x05\x00\xc8\x00\x01\x05\x00\xc9\x00\x00\x00\x01\x05\x00"
	    "\x09"));
	while (mp.p < mp.end - 1)
		CHECK_INT(qs_mp_skip(&mp), 0);
	CHECK_INT(qs_mp_read(&mp, &v), 0);
	CHECK(v.u == 9);
	/* A count larger than the bytes left is refused at once. */
	qs_mp_init(&mp, MP("\xdd\xff\xff\xff\xff\x01\x02"));
	CHECK_INT(qs_mp_skip(&mp), -1);
	qs_mp_init(&mp, MP("\x92\x01"));
	CHECK_INT(qs_mp_skip(&mp), -1);
	/* Deep nesting costs no stack. */
	{
		unsigned char	deep[100000];

		memset(deep, 0x91, sizeof(deep) - 1);
		deep[sizeof(deep) - 1] = 0x01;
		qs_mp_init(&mp, deep, sizeof(deep));
		CHECK_INT(qs_mp_skip(&mp), 0);
		CHECK(mp.p == mp.end);
	}
}

DEFINE_TEST(test_msgpack_time)
{
	struct qs_mp_val	v;
	struct qs_time		t;
	/* Go binary time 2026-11-22T05:09:59.123Z, version 1, UTC (-1). */
	static const unsigned char gob[] = { 0x01, 0x00, 0x00, 0x00, 0x0e,
	    0xe2, 0x94, 0x70, 0x27, 0x07, 0x54, 0xd4, 0xc0, 0xff, 0xff };
	static const unsigned char ts4[] = { 0x6a, 0x41, 0xf7, 0x27 };
	unsigned char		ts8[8], ts12[12];
	uint64_t		secs = 1795324199, w;
	int			i;

	memset(&v, 0, sizeof(v));
	v.type = QS_MP_STR;
	v.p = gob;
	v.len = sizeof(gob);
	CHECK_INT(qs_mp_time(&v, &t), 0);
	CHECK_INT(t.ms, 1795324199123LL);
	CHECK_INT(t.zone_known, 1);
	/* Zero Go time: unset. */
	{
		unsigned char	zero[15] = { 1 };

		zero[13] = zero[14] = 0xff;
		v.p = zero;
		CHECK_INT(qs_mp_time(&v, &t), -1);
		CHECK_INT(t.set, 0);
	}
	/* Timestamp payload as raw bytes: 32-bit seconds. */
	v.p = ts4;
	v.len = 4;
	CHECK_INT(qs_mp_time(&v, &t), 0);
	CHECK_INT(t.ms, 1782708007000LL);
	/* 64-bit: 30 bits of nanoseconds above 34 bits of seconds. */
	w = ((uint64_t)123000000 << 34) | secs;
	for (i = 0; i < 8; i++)
		ts8[i] = (unsigned char)(w >> (56 - 8 * i));
	v.p = ts8;
	v.len = 8;
	CHECK_INT(qs_mp_time(&v, &t), 0);
	CHECK_INT(t.ms, 1795324199123LL);
	/* 96-bit as ext -1. */
	memset(ts12, 0, sizeof(ts12));
	ts12[3] = 1;		/* 1 ns */
	for (i = 0; i < 8; i++)
		ts12[4 + i] = (unsigned char)(secs >> (56 - 8 * i));
	v.type = QS_MP_EXT;
	v.ext = -1;
	v.p = ts12;
	v.len = 12;
	CHECK_INT(qs_mp_time(&v, &t), 0);
	CHECK_INT(t.ms, 1795324199000LL);
	/* Other shapes are not times. */
	v.ext = 5;
	CHECK_INT(qs_mp_time(&v, &t), -1);
	v.type = QS_MP_UINT;
	CHECK_INT(qs_mp_time(&v, &t), -1);
	v.type = QS_MP_STR;
	v.len = 7;
	CHECK_INT(qs_mp_time(&v, &t), -1);
}

DEFINE_TEST(test_msgpack_truncations)
{
	/* raft 1.1.2's LogNoop at index 3 term 2 (formats.md 2.3). */
	static const unsigned char lg[] = "\x85\xa4" "Data" "\xc0\xaa"
	    "Extensions" "\xc0\xa5" "Index" "\x03\xa4" "Term" "\x02\xa4"
	    "Type" "\x01";
	struct qs_mp	mp;
	size_t		cut;

	qs_mp_init(&mp, lg, sizeof(lg) - 1);
	CHECK_INT(qs_mp_skip(&mp), 0);
	CHECK(mp.p == mp.end);
	for (cut = 0; cut < sizeof(lg) - 1; cut++) {
		qs_mp_init(&mp, lg, cut);
		CHECK_INT(qs_mp_skip(&mp), -1);
	}
}
