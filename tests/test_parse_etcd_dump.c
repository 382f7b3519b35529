/*
 * etcd.backup_dump (src/parse-etcd-dump.c): the etcd-backup dump.json of
 * the real fixture etcd-backup-dump (read from the bundle), the
 * membership keys a dump of /0 carries, an older dump's tail after the
 * closing bracket, and damaged or hostile text.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quorumscope.h"
#include "test.h"

#define DUMP	"headnode/dump.json"

static struct qs_run *
dump_parse(const char *text, size_t len)
{
	return qs_test_parse("etcd.backup_dump", DUMP, text, len);
}

static const struct qs_view *
dump_view(const struct qs_run *run, const char *source)
{
	size_t	i;

	for (i = 0; i < run->views.n; i++) {
		const struct qs_view	*v = run->views.v[i];

		if (strcmp(v->source, source) == 0)
			return v;
	}
	return NULL;
}

/* The generator's dump.json (20 fleet keys, 4 with a TTL, 1 empty dir). */
DEFINE_TEST(test_parse_etcd_dump_fixture)
{
	size_t		 len;
	char		*text;
	struct qs_run	*run;

	/* qs_test_read_file puts the source dir in front. */
	text = qs_test_read_file("tests/fuzz/corpus/etcd.backup_dump/"
	    "fleet-dump.json", &len);
	CHECK(text != NULL);
	if (text == NULL)
		return;
	run = dump_parse(text, len);
	CHECK_STR(qs_test_setting(run, "etcd.dump.keys"), "20");
	CHECK_STR(qs_test_setting(run, "etcd.dump.values"), "19");
	CHECK_STR(qs_test_setting(run, "etcd.dump.dirs"), "1");
	CHECK_STR(qs_test_setting(run, "etcd.dump.ttl_keys"), "4");
	CHECK_STR(qs_test_setting(run, "etcd.dump.prefixes"),
	    "/_coreos.com:20");
	CHECK_STR(qs_test_setting(run, "etcd.dump.membership"), "false");
	CHECK(qs_test_setting(run, "etcd.dump.trailing_bytes") == NULL);
	CHECK(dump_view(run, "etcd backup dump members") == NULL);
	CHECK_INT(qs_test_status(run), QS_STATUS_PARSED);
	qs_run_free(run);
	free(text);
}

/* v2 membership keys in a dump: members and removed members as views. */
DEFINE_TEST(test_parse_etcd_dump_members)
{
	static const char	text[] = "[\n"
	    " {\"key\":\"/0/members/8e9e05c52164694d/raftAttributes\","
	    "\"value\":\"{\\\"peerURLs\\\":"
	    "[\\\"http://10.0.0.1:2380\\\"]}\"},\n"
	    " {\"key\":\"/0/members/8e9e05c52164694d/attributes\",\"value\":"
	    "\"{\\\"name\\\":\\\"infra1\\\",\\\"clientURLs\\\":[]}\"},\n"
	    " {\"key\":\"/0/members/fd422379fda50e48/raftAttributes\","
	    "\"value\":\"{\\\"peerURLs\\\":"
	    "[\\\"http://10.0.0.2:2380\\\"]}\"},\n"
	    " {\"key\":\"/0/removed_members/91bc3c398fb3c146\","
	    "\"value\":\"\"},\n"
	    " {\"key\":\"/0/version\",\"value\":\"3.4.0\"},\n"
	    " {\"key\":\"/1/app/x\",\"value\":\"1\",\"ttl\":30},\n"
	    " {\"key\":\"/1/app/y\",\"value\":\"2\"},\n"
	    " {\"key\":\"/top\",\"value\":\"3\",\"extra\":{\"a\":[1,2,{}]}}\n"
	    "]\n";
	struct qs_run		*run = dump_parse(text, 0);
	const struct qs_view	*v;
	const struct qs_member	*m;

	CHECK_STR(qs_test_setting(run, "etcd.dump.keys"), "8");
	CHECK_STR(qs_test_setting(run, "etcd.dump.ttl_keys"), "1");
	CHECK_STR(qs_test_setting(run, "etcd.dump.prefixes"),
	    "/0:5,/1:2,/:1");
	CHECK_STR(qs_test_setting(run, "etcd.dump.membership"), "true");
	v = dump_view(run, "etcd backup dump members");
	CHECK(v != NULL);
	if (v != NULL) {
		CHECK_INT(v->members.n, 2);
		m = qs_test_member(v, 0);
		CHECK_STR(m->id, "8e9e05c52164694d");
		CHECK_STR(m->name, "infra1");
		CHECK_STR(m->address, "http://10.0.0.1:2380");
		m = qs_test_member(v, 1);
		CHECK_STR(m->id, "fd422379fda50e48");
		CHECK(m->name == NULL);
	}
	v = dump_view(run, "etcd backup dump removed members");
	CHECK(v != NULL);
	if (v != NULL) {
		CHECK_INT(v->members.n, 1);
		CHECK_STR(qs_test_member(v, 0)->id, "91bc3c398fb3c146");
		CHECK_INT(qs_test_member(v, 0)->state, QS_MEMBER_REAPED);
	}
	CHECK_INT(qs_test_status(run), QS_STATUS_PARSED);
	qs_run_free(run);
}

/* A shorter dump over a longer one: the old tail is reported. */
DEFINE_TEST(test_parse_etcd_dump_trailing)
{
	struct qs_run	*run = dump_parse("[{\"key\":\"/a\",\"value\":\"1\"}]"
	    "\"value\":\"2\"}]", 0);

	CHECK_STR(qs_test_setting(run, "etcd.dump.keys"), "1");
	CHECK_STR(qs_test_setting(run, "etcd.dump.trailing_bytes"), "13");
	CHECK(qs_test_has_diag(run, "older, longer dump"));
	CHECK_INT(qs_test_status(run), QS_STATUS_PARTIAL);
	qs_run_free(run);
}

/* Damage ends the parse; what came before counts.  Hostile nesting. */
DEFINE_TEST(test_parse_etcd_dump_damaged)
{
	struct qs_run	*run;
	char		*deep;
	size_t		 i, n = 100000;

	run = dump_parse("[{\"key\":\"/a\",\"value\":\"1\"},{\"key\":\"/b\","
	    "\"val", 0);
	CHECK_STR(qs_test_setting(run, "etcd.dump.keys"), "1");
	CHECK(qs_test_has_diag(run, "not etcd-backup JSON at byte"));
	CHECK_INT(qs_test_status(run), QS_STATUS_PARTIAL);
	qs_run_free(run);

	run = dump_parse("{\"key\":\"/a\"}", 0);
	CHECK_STR(qs_test_setting(run, "etcd.dump.keys"), "0");
	CHECK(qs_test_has_diag(run, "expected '['"));
	qs_run_free(run);

	/* 100000 nested arrays inside a value: refused, no deep recursion. */
	deep = malloc(n * 2 + 64);
	CHECK(deep != NULL);
	if (deep == NULL)
		return;
	strcpy(deep, "[{\"key\":\"/a\",\"x\":");
	i = strlen(deep);
	memset(deep + i, '[', n);
	deep[i + n] = '\0';
	run = dump_parse(deep, 0);
	CHECK(qs_test_has_diag(run, "nested too deep"));
	qs_run_free(run);
	free(deep);

	/* A one-digit member document (a fuzzer find in the JSON reader). */
	run = dump_parse("[{\"key\":\"/0/members/8e9e05c52164694d/"
	    "attributes\",\"value\":\"1\"}]", 0);
	CHECK_STR(qs_test_setting(run, "etcd.dump.membership"), "true");
	qs_run_free(run);

	/* A key longer than the cap is counted, its end dropped. */
	deep = malloc(20000);
	if (deep == NULL)
		return;
	memcpy(deep, "[{\"key\":\"/", 10);
	memset(deep + 10, 'k', 10000);
	strcpy(deep + 10010, "\",\"value\":\"v\"}]");
	run = dump_parse(deep, 0);
	CHECK_STR(qs_test_setting(run, "etcd.dump.keys"), "1");
	CHECK(qs_test_has_diag(run, "read in part"));
	qs_run_free(run);
	free(deep);
}
