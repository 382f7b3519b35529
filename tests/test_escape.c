/*
 * escape.c: what a terminal and a JSON parser are handed when a bundle's
 * names and lines hold control characters or bytes that are not UTF-8.
 */
#include "config.h"

#include <stdlib.h>

#include <cjson/cJSON.h>

#include "test.h"

DEFINE_TEST(test_escape_utf8_len)
{
	CHECK_INT(qs_utf8_len((const unsigned char *)"a", 1), 1);
	CHECK_INT(qs_utf8_len((const unsigned char *)"\xc3\xa9", 2), 2);
	CHECK_INT(qs_utf8_len((const unsigned char *)"\xe2\x82\xac", 3), 3);
	CHECK_INT(qs_utf8_len((const unsigned char *)"\xf0\x9f\x98\x80", 4),
	    4);
	/* Overlong, surrogate, above U+10FFFF, cut short, lone bytes. */
	CHECK_INT(qs_utf8_len((const unsigned char *)"\xc0\xaf", 2), 0);
	CHECK_INT(qs_utf8_len((const unsigned char *)"\xe0\x80\xaf", 3), 0);
	CHECK_INT(qs_utf8_len((const unsigned char *)"\xed\xa0\x80", 3), 0);
	CHECK_INT(qs_utf8_len((const unsigned char *)"\xf4\x90\x80\x80", 4),
	    0);
	CHECK_INT(qs_utf8_len((const unsigned char *)"\xe2\x82", 2), 0);
	CHECK_INT(qs_utf8_len((const unsigned char *)"\xff", 1), 0);
	CHECK_INT(qs_utf8_len((const unsigned char *)"\x80", 1), 0);
}

DEFINE_TEST(test_escape_terminal)
{
	struct qs_arena	a = { NULL };

	CHECK_STR(qs_escape(&a, "plain caf\xc3\xa9"), "plain caf\xc3\xa9");
	CHECK_STR(qs_escape(&a, "a\x1b[31m"), "a\\x1b[31m");
	CHECK_STR(qs_escape(&a, "back\\slash"), "back\\\\slash");
	/* Not UTF-8: each byte shown. */
	CHECK_STR(qs_escape(&a, "n\xff\xfe"), "n\\xff\\xfe");
	/* C1 CSI as UTF-8 (U+009B) is a control too; DEL as well. */
	CHECK_STR(qs_escape(&a, "x\xc2\x9b" "2J\x7f"), "x\\xc2\\x9b2J\\x7f");
	/* U+00A0 and above are text. */
	CHECK_STR(qs_escape(&a, "\xc2\xa0"), "\xc2\xa0");
	qs_arena_free(&a);
}

DEFINE_TEST(test_escape_json_repaired)
{
	cJSON	*o = cJSON_CreateObject(), *arr;
	char	*s;

	cJSON_AddStringToObject(o, "excerpt", "ok \xff\xfe end");
	cJSON_AddStringToObject(o, "path", "fine");
	arr = cJSON_AddArrayToObject(o, "nodes");
	cJSON_AddItemToArray(arr, cJSON_CreateString("n\xc0\xaf"));
	qs_json_sanitise(o);
	s = qs_json_terminal_safe(cJSON_PrintUnformatted(o));
	CHECK_STR(s, "{\"excerpt\":\"ok \xef\xbf\xbd\xef\xbf\xbd end\","
	    "\"path\":\"fine\",\"nodes\":[\"n\xef\xbf\xbd\xef\xbf\xbd\"],"
	    "\"excerpt_repaired\":true}");
	free(s);
	cJSON_Delete(o);

	/* C1 controls leave as \u escapes: the same string to a parser. */
	o = cJSON_CreateString("a\xc2\x9b" "b\x7f");
	s = qs_json_terminal_safe(cJSON_PrintUnformatted(o));
	CHECK_STR(s, "\"a\\u009bb\\u007f\"");
	free(s);
	cJSON_Delete(o);
}
