/* parse-consul-snapshot-meta.c: raft file snapshot meta.json. */
#include "config.h"

#include "test.h"

static const struct qs_setting *
setting(const struct qs_run *run, const char *key)
{
	size_t	i;

	for (i = 0; i < run->settings.n; i++) {
		const struct qs_setting	*s = run->settings.v[i];

		if (strcmp(s->key, key) == 0)
			return s;
	}
	return NULL;
}

static const char *
value(const struct qs_run *run, const char *key)
{
	const struct qs_setting	*s = setting(run, key);

	return s != NULL ? s->value : NULL;
}

#define META(dir, text)	qs_test_parse("consul.raft_snapshot_meta", \
	"node1/consul/data/raft/snapshots/" dir "/meta.json", (text), 0)

/* The meta.json raft 1.1.2 wrote (formats.md 2.5), byte for byte. */
DEFINE_TEST(test_parse_consul_snapshot_meta_real)
{
	struct qs_run		*run = META("3-42-1795323437025",
	    "{\"Version\":1,\"ID\":\"3-42-1795323437025\",\"Index\":42,"
	    "\"Term\":3,\"Peers\":\"ka0xMC4wLjAuMTo4MzAw\",\"Configuration\":"
	    "{\"Servers\":[{\"Suffrage\":0,\"ID\":\"a1\",\"Address\":"
	    "\"10.0.0.1:8300\"}]},\"ConfigurationIndex\":7,\"Size\":5,"
	    "\"CRC\":\"mx7a5du5N7E=\"}\n");
	const struct qs_view	*v;

	CHECK_INT(run->diags.n, 0);
	CHECK_INT(qs_test_status(run), QS_STATUS_PARSED);
	CHECK_INT(run->views.n, 1);
	v = run->views.v[0];
	CHECK_INT(v->kind, QS_VIEW_CONSENSUS);
	CHECK_STR(v->source, "raft snapshot meta.json");
	CHECK_INT(v->clock.set, QS_CLOCK_TERM | QS_CLOCK_INDEX);
	CHECK_INT(v->clock.term, 3);
	CHECK_INT(v->clock.index, 42);
	CHECK_INT(v->ev.line, 1);
	CHECK_INT(v->members.n, 1);
	CHECK_STR(qs_test_member(v, 0)->id, "a1");
	CHECK_STR(qs_test_member(v, 0)->address, "10.0.0.1:8300");
	CHECK_INT(qs_test_member(v, 0)->state, QS_MEMBER_VOTER);
	CHECK_STR(value(run, "raft.snapshot_index"), "42");
	CHECK_STR(value(run, "raft.snapshot_term"), "3");
	CHECK_STR(value(run, "raft.snapshot_configuration_index"), "7");
	CHECK_STR(setting(run, "raft.snapshot_term")->ev.excerpt,
	    "\"Term\": 3");
	qs_run_free(run);
}

/* Protocol 3 servers, every suffrage, pretty-printed by hand. */
DEFINE_TEST(test_parse_consul_snapshot_meta_suffrage)
{
	struct qs_run		*run = META("5-1200-1700000000000",
	    "{\n"
	    "  \"Version\": 1,\n"
	    "  \"ID\": \"5-1200-1700000000000\",\n"
	    "  \"Index\": 1200,\n"
	    "  \"Term\": 5,\n"
	    "  \"Peers\": \"k60xMC4wLjAuMTo4MzAw\",\n"
	    "  \"Configuration\": {\"Servers\": [\n"
	    "    {\"Suffrage\": 0, \"ID\": \"adf4238a-882b-9ddc-4a9d-"
	    "5b6758e4159e\", \"Address\": \"10.0.0.1:8300\"},\n"
	    "    {\"Suffrage\": 1, \"ID\": \"8b6dda82-3103-11e7-93ae-"
	    "92361f002671\", \"Address\": \"10.0.0.2:8300\"},\n"
	    "    {\"Suffrage\": 2, \"ID\": \"97e17742-3103-11e7-93ae-"
	    "92361f002671\", \"Address\": \"10.0.0.3:8300\"},\n"
	    "    {\"Suffrage\": 7, \"ID\": \"x\", \"Address\": "
	    "\"10.0.0.4:8300\"},\n"
	    "    {\"Suffrage\": \"0\", \"ID\": \"y\"}\n"
	    "  ]},\n"
	    "  \"ConfigurationIndex\": 1100\n"
	    "}\n");
	const struct qs_view	*v = run->views.v[0];

	CHECK_INT(v->ev.line, 7);
	CHECK_INT(v->members.n, 4);
	CHECK_INT(qs_test_member(v, 0)->state, QS_MEMBER_VOTER);
	CHECK_INT(qs_test_member(v, 1)->state, QS_MEMBER_NONVOTER);
	CHECK_INT(qs_test_member(v, 2)->state, QS_MEMBER_NONVOTER);
	CHECK_STR(qs_test_member(v, 2)->id, "97e17742-3103-11e7-93ae-92361f002671");
	CHECK_INT(qs_test_member(v, 3)->state, QS_MEMBER_LISTED);
	CHECK(qs_test_has_diag(run, "server 4 has an unknown suffrage"));
	CHECK(qs_test_has_diag(run, "server 5 is malformed"));
	CHECK_INT(setting(run, "raft.snapshot_index")->ev.line, 4);
	CHECK_INT(qs_test_status(run), QS_STATUS_PARTIAL);
	qs_run_free(run);
}

/* Index and Term past 2^53 stay exact. */
DEFINE_TEST(test_parse_consul_snapshot_meta_big_numbers)
{
	struct qs_run		*run = META("9007199254740993-"
	    "18446744073709551615-1",
	    "{\"Version\":1,\"ID\":\"9007199254740993-18446744073709551615-1\","
	    "\"Index\":18446744073709551615,\"Term\":9007199254740993,"
	    "\"Configuration\":{\"Servers\":[]},\"ConfigurationIndex\":1}");
	const struct qs_view	*v = run->views.v[0];

	CHECK_INT(run->diags.n, 0);
	CHECK(v->clock.index == UINT64_MAX);
	CHECK(v->clock.term == 9007199254740993ULL);
	CHECK_STR(value(run, "raft.snapshot_index"), "18446744073709551615");
	CHECK_STR(value(run, "raft.snapshot_term"), "9007199254740993");
	CHECK_INT(v->members.n, 0);
	qs_run_free(run);

	/* One past 2^64, negative, fractional, quoted: not an index. */
	run = META("1-1-1", "{\"Version\":1,\"ID\":\"1-1-1\","
	    "\"Index\":18446744073709551616,\"Term\":-1,"
	    "\"ConfigurationIndex\":1.5,\"Configuration\":null}");
	CHECK(value(run, "raft.snapshot_index") == NULL);
	CHECK(value(run, "raft.snapshot_term") == NULL);
	CHECK(qs_test_has_diag(run, "Index is not an unsigned integer"));
	CHECK(qs_test_has_diag(run, "Term is not an unsigned integer"));
	CHECK(qs_test_has_diag(run, "ConfigurationIndex is not"));
	CHECK_INT(run->views.n, 0);
	qs_run_free(run);
}

DEFINE_TEST(test_parse_consul_snapshot_meta_variants)
{
	struct qs_run	*run;

	/* raft < 1.0: no Configuration. */
	run = META("2-10-1450000000000", "{\"Version\":0,\"ID\":"
	    "\"2-10-1450000000000\",\"Index\":10,\"Term\":2,\"Peers\":"
	    "\"k60xMC4wLjAuMTo4MzAw\",\"Size\":100,\"CRC\":\"AAAAAAAAAAA=\"}");
	CHECK_INT(run->views.n, 0);
	CHECK_STR(value(run, "raft.snapshot_index"), "10");
	CHECK(qs_test_has_diag(run, "no Configuration"));
	CHECK_INT(qs_test_status(run), QS_STATUS_PARSED);
	qs_run_free(run);

	/* Copied under another name. */
	run = META("backup", "{\"Version\":1,\"ID\":\"3-42-1795323437025\","
	    "\"Index\":42,\"Term\":3,\"Configuration\":{\"Servers\":[]}}");
	CHECK(qs_test_has_diag(run, "differs from the directory name"));
	CHECK_INT(qs_test_status(run), QS_STATUS_PARSED);
	qs_run_free(run);

	/* An ID that disagrees with its own Term and Index. */
	run = META("3-43-1", "{\"ID\":\"3-43-1\",\"Index\":42,\"Term\":3,"
	    "\"Configuration\":{\"Servers\":[]}}");
	CHECK(qs_test_has_diag(run, "ID does not start with its Term"));
	qs_run_free(run);

	run = META("3-42-1", "{\"ID\":\"3-42-1\",\"Index\":42,\"Term\":3,"
	    "\"Configuration\":{\"Servers\":{}}}");
	CHECK(qs_test_has_diag(run, "no Servers list"));
	CHECK_INT(run->views.n, 0);
	qs_run_free(run);
}

DEFINE_TEST(test_parse_consul_snapshot_meta_malformed)
{
	struct qs_run	*run;

	/* Torn while written. */
	run = META("3-42-1", "{\"Version\":1,\"ID\":\"3-42-1\",\"Index\":42,"
	    "\"Term\":3,\"Configuration\":{\"Servers\":[{\"Suffrage\":0,");
	CHECK_INT(qs_test_status(run), QS_STATUS_FAILED);
	CHECK(qs_test_has_diag(run, "not valid JSON"));
	CHECK_INT(run->views.n, 0);
	CHECK_INT(run->settings.n, 0);
	qs_run_free(run);

	run = META("3-42-1", "");
	CHECK_INT(qs_test_status(run), QS_STATUS_FAILED);
	qs_run_free(run);

	run = META("3-42-1", "[42, 3]");
	CHECK_INT(qs_test_status(run), QS_STATUS_FAILED);
	CHECK(qs_test_has_diag(run, "not a JSON object"));
	qs_run_free(run);

	run = META("3-42-1", "{\"Version\":1}");
	CHECK(qs_test_has_diag(run, "no usable Index and Term"));
	CHECK_INT(qs_test_status(run), QS_STATUS_PARTIAL);
	qs_run_free(run);
}
