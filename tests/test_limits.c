/* limits.c: sizes, counts and named limits from the command line. */
#include "config.h"

#include "test.h"

DEFINE_TEST(test_limits_parse_size)
{
	uint64_t	v = 0;

	CHECK_INT(qs_parse_size("0", 1, &v), 0);
	CHECK_INT(v, 0);
	CHECK_INT(qs_parse_size("512", 1, &v), 0);
	CHECK_INT(v, 512);
	CHECK_INT(qs_parse_size("4K", 1, &v), 0);
	CHECK_INT(v, 4096);
	CHECK_INT(qs_parse_size("2M", 1, &v), 0);
	CHECK_INT(v, 2 * 1024 * 1024);
	CHECK_INT(qs_parse_size("3GiB", 1, &v), 0);
	CHECK_INT(v, 3ULL << 30);
	CHECK_INT(qs_parse_size("1T", 1, &v), 0);
	CHECK_INT(v, 1ULL << 40);
	CHECK_INT(qs_parse_size("10B", 1, &v), 0);
	CHECK_INT(v, 10);
	/* Refused: signs, junk, suffixes on counts, overflow. */
	CHECK_INT(qs_parse_size("-1", 1, &v), -1);
	CHECK_INT(qs_parse_size("", 1, &v), -1);
	CHECK_INT(qs_parse_size("12x", 1, &v), -1);
	CHECK_INT(qs_parse_size("4K", 0, &v), -1);
	CHECK_INT(qs_parse_size("99999999999999999999", 1, &v), -1);
	CHECK_INT(qs_parse_size("17000000000T", 1, &v), -1);
}

DEFINE_TEST(test_limits_set_by_name)
{
	struct qs_limits	l;

	qs_limits_init(&l);
	CHECK_INT(l.v[QS_LIMIT_DEPTH], 4);
	CHECK_INT(qs_limits_set(&l, "max-depth", "2"), 0);
	CHECK_INT(l.v[QS_LIMIT_DEPTH], 2);
	CHECK_INT(qs_limits_set(&l, "max-entry-size", "1M"), 0);
	CHECK_INT(l.v[QS_LIMIT_ENTRY_BYTES], 1024 * 1024);
	CHECK_INT(qs_limits_set(&l, "max-depth", "2K"), -1);
	CHECK_INT(qs_limits_set(&l, "no-such-limit", "1"), -1);
}

DEFINE_TEST(test_limits_format_size)
{
	char	buf[32];

	CHECK_STR(qs_format_size(0, buf, sizeof(buf)), "0 B");
	CHECK_STR(qs_format_size(1023, buf, sizeof(buf)), "1023 B");
	CHECK_STR(qs_format_size(1536, buf, sizeof(buf)), "1.5 KiB");
	CHECK_STR(qs_format_size(64ULL << 30, buf, sizeof(buf)), "64.0 GiB");
}

DEFINE_TEST(test_escape_control_bytes)
{
	struct qs_arena	a = { NULL };
	const char	*plain = "node1/raft/peers.json";

	/* Nothing to escape: the same pointer comes back. */
	CHECK(qs_escape(&a, plain) == plain);
	CHECK_STR(qs_escape(&a, "evil\033[31mred\n.txt"),
	    "evil\\x1b[31mred\\x0a.txt");
	CHECK_STR(qs_escape(&a, "back\\slash\x7f"), "back\\\\slash\\x7f");
	qs_arena_free(&a);
}
