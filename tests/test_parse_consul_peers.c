/* parse-consul-peers.c: raft/peers.json in every form, and peers.info. */
#include "config.h"

#include "test.h"

#define PEERS(text)	qs_test_parse("consul.peers_json", \
	"node1/consul/raft/peers.json", (text), 0)

/* The healthy three-server list the seed report says peers.json holds. */
DEFINE_TEST(test_parse_consul_peers_legacy)
{
	struct qs_run		*run = PEERS("[\"172.17.0.30:8300\","
	    "\"172.17.0.31:8300\",\"172.17.0.32:8300\"]\n");
	const struct qs_view	*v;

	CHECK_INT(run->views.n, 1);
	CHECK_INT(run->diags.n, 0);
	CHECK_INT(qs_test_status(run), QS_STATUS_PARSED);
	v = run->views.v[0];
	CHECK_INT(v->kind, QS_VIEW_CONSENSUS);
	CHECK_INT(v->system, QS_SYS_CONSUL);
	CHECK_STR(v->source, "raft/peers.json (legacy)");
	CHECK_INT(v->is_null, 0);
	CHECK_INT(v->members.n, 3);
	CHECK_STR(qs_test_member(v, 0)->address, "172.17.0.30:8300");
	CHECK_STR(qs_test_member(v, 2)->address, "172.17.0.32:8300");
	CHECK(qs_test_member(v, 1)->id == NULL && qs_test_member(v, 1)->name == NULL);
	CHECK_INT(qs_test_member(v, 1)->state, QS_MEMBER_LISTED);
	CHECK_INT(v->ev.line, 1);
	CHECK_STR(v->ev.excerpt, "[\"172.17.0.30:8300\",\"172.17.0.31:8300\","
	    "\"172.17.0.32:8300\"]");
	CHECK_STR(qs_test_setting(run, "raft.peers_json"), "legacy");
	qs_run_free(run);

	/* A server that removed itself keeps only its own address. */
	run = PEERS("  [\"10.0.0.1:8300\"]");
	v = run->views.v[0];
	CHECK_INT(v->members.n, 1);
	CHECK_STR(qs_test_member(v, 0)->address, "10.0.0.1:8300");
	qs_run_free(run);
}

/* Consul 0.5/0.6 after a graceful server leave: the literal null. */
DEFINE_TEST(test_parse_consul_peers_null_and_empty)
{
	struct qs_run		*run = PEERS("null\n");
	const struct qs_view	*v;

	CHECK_INT(run->views.n, 1);
	v = run->views.v[0];
	CHECK_INT(v->is_null, 1);
	CHECK_INT(v->members.n, 0);
	CHECK_STR(v->source, "raft/peers.json (legacy)");
	CHECK_STR(qs_test_setting(run, "raft.peers_json"), "null");
	CHECK_INT(qs_test_status(run), QS_STATUS_PARSED);
	qs_run_free(run);

	run = PEERS("[]");
	CHECK_INT(run->views.n, 1);
	v = run->views.v[0];
	CHECK_INT(v->is_null, 0);
	CHECK_INT(v->members.n, 0);
	CHECK_STR(qs_test_setting(run, "raft.peers_json"), "empty");
	CHECK_INT(run->diags.n, 0);
	qs_run_free(run);
}

/* Protocol 3 recovery file, as the outage guide writes it. */
DEFINE_TEST(test_parse_consul_peers_recovery)
{
	struct qs_run		*run = PEERS(
	    "[\n"
	    "  {\n"
	    "    \"id\": \"adf4238a-882b-9ddc-4a9d-5b6758e4159e\",\n"
	    "    \"address\": \"10.1.0.1:8300\",\n"
	    "    \"non_voter\": false\n"
	    "  },\n"
	    "  {\n"
	    "    \"id\": \"8b6dda82-3103-11e7-93ae-92361f002671\",\n"
	    "    \"address\": \"10.1.0.2:8300\",\n"
	    "    \"non_voter\": true\n"
	    "  },\n"
	    "  {\"id\": \"97e17742-3103-11e7-93ae-92361f002671\", "
	    "\"address\": \"10.1.0.3:8300\"}\n"
	    "]\n");
	const struct qs_view	*v;

	CHECK_INT(run->views.n, 1);
	CHECK_INT(run->diags.n, 0);
	v = run->views.v[0];
	CHECK_STR(v->source, "raft/peers.json (recovery)");
	CHECK_INT(v->members.n, 3);
	CHECK_STR(qs_test_member(v, 0)->id, "adf4238a-882b-9ddc-4a9d-5b6758e4159e");
	CHECK_STR(qs_test_member(v, 0)->address, "10.1.0.1:8300");
	CHECK_INT(qs_test_member(v, 0)->state, QS_MEMBER_VOTER);
	CHECK_INT(qs_test_member(v, 1)->state, QS_MEMBER_NONVOTER);
	CHECK_STR(qs_test_member(v, 2)->id, "97e17742-3103-11e7-93ae-92361f002671");
	CHECK_INT(qs_test_member(v, 2)->state, QS_MEMBER_VOTER);
	CHECK_STR(v->ev.excerpt, "[");
	CHECK_STR(qs_test_setting(run, "raft.peers_json"), "recovery");
	qs_run_free(run);
}

/* What raft would refuse to apply is said, but still recorded. */
DEFINE_TEST(test_parse_consul_peers_recovery_checks)
{
	struct qs_run	*run = PEERS("[{\"id\":\"a\",\"address\":"
	    "\"10.0.0.1:8300\",\"non_voter\":true},{\"id\":\"a\","
	    "\"address\":\"10.0.0.2:8300\",\"non_voter\":true}]");

	CHECK_INT(((const struct qs_view *)run->views.v[0])->members.n, 2);
	CHECK(qs_test_has_diag(run, "share an id"));
	CHECK(qs_test_has_diag(run, "no voter"));
	CHECK_INT(qs_test_status(run), QS_STATUS_PARTIAL);
	qs_run_free(run);

	run = PEERS("[{\"address\":\"10.0.0.1:8300\"}]");
	CHECK(qs_test_has_diag(run, "element 1 has no id"));
	qs_run_free(run);
}

DEFINE_TEST(test_parse_consul_peers_malformed)
{
	struct qs_run		*run;
	const struct qs_view	*v;

	/* Cut mid-write. */
	run = PEERS("[\"10.0.0.1:8300\",\n\"10.0.0.2:83");
	CHECK_INT(run->views.n, 0);
	CHECK_INT(qs_test_status(run), QS_STATUS_FAILED);
	CHECK(qs_test_has_diag(run, "line 2: peers.json: not valid JSON"));
	qs_run_free(run);

	run = PEERS("");
	CHECK_INT(qs_test_status(run), QS_STATUS_FAILED);
	CHECK(qs_test_has_diag(run, "empty file"));
	qs_run_free(run);

	run = PEERS(" \n\t\n");
	CHECK_INT(qs_test_status(run), QS_STATUS_FAILED);
	qs_run_free(run);

	run = PEERS("{\"peers\": [\"10.0.0.1:8300\"]}");
	CHECK_INT(run->views.n, 0);
	CHECK_INT(qs_test_status(run), QS_STATUS_FAILED);
	CHECK(qs_test_has_diag(run, "neither null nor a list"));
	qs_run_free(run);

	run = PEERS("[1, 2]");
	CHECK_INT(run->views.n, 0);
	CHECK_INT(qs_test_status(run), QS_STATUS_FAILED);
	qs_run_free(run);

	/* Mixed forms: the first element decides, the odd one is skipped. */
	run = PEERS("[\"10.0.0.1:8300\", {\"id\": \"x\", \"address\": "
	    "\"10.0.0.2:8300\"}, 7]");
	CHECK_INT(run->views.n, 1);
	v = run->views.v[0];
	CHECK_INT(v->members.n, 1);
	CHECK_STR(qs_test_setting(run, "raft.peers_json"), "legacy");
	CHECK(qs_test_has_diag(run, "element 2 is not an address string"));
	CHECK(qs_test_has_diag(run, "element 3 is not an address string"));
	CHECK_INT(qs_test_status(run), QS_STATUS_PARTIAL);
	qs_run_free(run);

	/* A recovery entry with a quoted boolean: Go cannot decode it. */
	run = PEERS("[{\"id\":\"a\",\"address\":\"10.0.0.1:8300\","
	    "\"non_voter\":\"false\"},{\"id\":\"b\",\"address\":"
	    "\"10.0.0.2:8300\"}]");
	v = run->views.v[0];
	CHECK_INT(v->members.n, 1);
	CHECK_STR(qs_test_member(v, 0)->id, "b");
	CHECK(qs_test_has_diag(run, "wrong type"));
	CHECK_INT(qs_test_status(run), QS_STATUS_PARTIAL);
	qs_run_free(run);

	/* Not an address at all: kept, with a warning. */
	run = PEERS("[\"node1\"]");
	CHECK_INT(((const struct qs_view *)run->views.v[0])->members.n, 1);
	CHECK(qs_test_has_diag(run, "not of the form ip:port"));
	qs_run_free(run);

	/* Text after the list. */
	run = PEERS("[\"10.0.0.1:8300\"]\n]garbage");
	CHECK_INT(run->views.n, 1);
	CHECK(qs_test_has_diag(run, "line 2: peers.json: text after"));
	CHECK_INT(qs_test_status(run), QS_STATUS_PARTIAL);
	qs_run_free(run);

	/* Nesting deeper than cJSON's limit fails cleanly. */
	{
		char	deep[3001];

		memset(deep, '[', 3000);
		deep[3000] = '\0';
		run = PEERS(deep);
		CHECK_INT(qs_test_status(run), QS_STATUS_FAILED);
		qs_run_free(run);
	}
}

DEFINE_TEST(test_parse_consul_peers_info)
{
	struct qs_run		*run = qs_test_parse("consul.peers_info",
	    "node1/consul/raft/peers.info",
	    "\nAs of Consul 0.7.0, the peers.json file is only used for "
	    "recovery\nafter an outage. ...\n", 0);
	const struct qs_setting	*s;

	CHECK_INT(run->settings.n, 1);
	s = run->settings.v[0];
	CHECK_STR(s->key, "raft.peers_info");
	CHECK_STR(s->value, "present");
	CHECK_INT(s->ev.line, 2);
	CHECK_STR(s->ev.excerpt, "As of Consul 0.7.0, the peers.json file is "
	    "only used for recovery");
	CHECK_INT(qs_test_status(run), QS_STATUS_PARSED);
	qs_run_free(run);

	run = qs_test_parse("consul.peers_info", "n/raft/peers.info", "", 0);
	CHECK_STR(qs_test_setting(run, "raft.peers_info"), "present");
	qs_run_free(run);
}
