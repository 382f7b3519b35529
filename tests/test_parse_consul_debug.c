/*
 * parse-consul-debug.c: a `consul debug` archive is one node named after
 * its agent, with its stats, members and host read.  The archive is
 * testdata/bundles/consul-debug (hand-made in the shapes of
 * hashicorp/consul command/debug/debug.go; its README says so).
 */
#include "config.h"

#include "test.h"

DEFINE_TEST(test_parse_consul_debug_archive)
{
	struct qs_run		*run = qs_test_bundle("consul-debug");
	const struct qs_node	*node;
	const struct qs_signal	*s;
	char			 buf[64];
	size_t			 i, views = 0;

	qs_model_resolve(run);
	CHECK_INT(run->diags.n, 0);
	/* One node, the agent's, not one per interval directory. */
	CHECK_INT(run->nodes.n, 1);
	node = run->nodes.v[0];
	CHECK_STR(node->name, "consul-b");
	CHECK_INT(node->artifacts.n, 7);
	CHECK_STR(qs_test_setting(run, "consul.info.raft.state"), "Candidate");
	CHECK_STR(qs_test_setting(run, "datacenter"), "dc1");
	CHECK_STR(qs_test_setting(run, "consul.debug.disk_used_percent"),
	    "95.0");
	CHECK_STR(qs_test_setting(run, "consul.debug.interval"), "30s");
	/* The agent answers without a leader, dated by the archive's name. */
	s = qs_test_signal(run, QS_SIG_PROBE_NOT_SERVING, NULL);
	CHECK(s != NULL && s->observer == node && s->time.set &&
	    strcmp(qs_time_format(&s->time, buf, sizeof(buf)),
	    "2026-11-22T06:10:00.000Z") == 0);
	s = qs_test_signal(run, QS_SIG_PROBE_DOWN, "consul-a");
	CHECK(s != NULL && strcmp(s->detail, "serf: failed") == 0);
	s = qs_test_signal(run, QS_SIG_PROBE_DOWN, "consul-c");
	CHECK(s != NULL && strcmp(s->detail, "serf: left") == 0);
	/* serf's own member is the node itself once resolved. */
	s = qs_test_signal(run, QS_SIG_PROBE_UP, "consul-b");
	CHECK(s != NULL && s->subject_node == node);
	CHECK_INT(run->signals.n, 5);	/* and the log's no-leader */
	for (i = 0; i < run->views.n; i++) {
		const struct qs_view	*v = run->views.v[i];

		if (strcmp(v->source, "consul debug latest_configuration") ==
		    0) {
			views++;
			CHECK(v->members.n == 3 && v->clock.term == 9);
		} else if (strcmp(v->source, "consul debug members") == 0) {
			views++;
			CHECK(v->members.n == 3 && v->kind == QS_VIEW_GOSSIP);
		}
	}
	CHECK_INT(views, 2);
	/* Known by its node ID and serf address too. */
	CHECK(qs_model_lookup(run, "6f1b1e9e-2a1c-4d63-9a39-5b7a0c3d2e1b") ==
	    node);
	CHECK(qs_model_lookup(run, "10.0.1.12:8301") == node);
	qs_run_free(run);
}

/*
 * Two archives side by side are two nodes, each its agent's; a node
 * directory someone named keeps its name.
 */
DEFINE_TEST(test_parse_consul_debug_nodes)
{
	static const char	agent_a[] =
	    "{\"Config\": {\"NodeName\": \"srv-a\", \"Datacenter\": \"dc1\", "
	    "\"Server\": true}, \"DebugConfig\": {}, \"Member\": {\"Name\": "
	    "\"srv-a\"}, \"Stats\": {\"consul\": {\"leader\": \"true\", "
	    "\"leader_addr\": \"10.0.0.1:8300\"}, \"raft\": {\"state\": "
	    "\"Leader\"}}}";
	static const char	agent_b[] =
	    "{\"Config\": {\"NodeName\": \"srv-b\", \"Datacenter\": \"dc1\", "
	    "\"Server\": true}, \"DebugConfig\": {}, \"Member\": {\"Name\": "
	    "\"srv-b\"}, \"Stats\": {\"raft\": {\"state\": \"Follower\"}, "
	    "\"consul\": {\"leader_addr\": \"10.0.0.1:8300\"}}}";
	static const char	index[] =
	    "{\"Version\": 1, \"AgentVersion\": \"1.9.0\", \"Interval\": "
	    "\"30s\", \"Duration\": \"2m0s\", \"Targets\": [\"agent\"]}";
	struct qs_test_entry	 e[] = {
		{ "out/consul-debug-1700000000/index.json", index, 0, NULL,
		    NULL },
		{ "out/consul-debug-1700000000/agent.json", agent_a, 0, NULL,
		    NULL },
		{ "out/consul-debug-1700000000/1700000030/heap.prof", "x", 0,
		    NULL, NULL },
		{ "out/consul-debug-1700000099/index.json", index, 0, NULL,
		    NULL },
		{ "out/consul-debug-1700000099/agent.json", agent_b, 0, NULL,
		    NULL },
		{ "out/named/agent.json", agent_b, 0, NULL, NULL },
		{ NULL, NULL, 0, NULL, NULL }
	};
	size_t			 i;
	struct qs_run		*run;
	const struct qs_signal	*s;

	run = qs_test_read_entries("debugs.tar", e);
	qs_model_resolve(run);
	CHECK_INT(run->nodes.n, 3);
	for (i = 0; i < run->nodes.n && i < 3; i++) {
		static const char *const want[] = { "named", "srv-a", "srv-b" };

		CHECK_STR(((struct qs_node *)run->nodes.v[i])->name, want[i]);
	}
	/* A unix-time archive name dates its probes. */
	s = qs_test_signal(run, QS_SIG_PROBE_UP, NULL);
	CHECK(s != NULL && s->time.set && s->time.ms == 1700000000000LL);
	CHECK_INT(qs_test_nsignals(run, QS_SIG_PROBE_UP), 3);
	qs_run_free(run);
}

DEFINE_TEST(test_parse_consul_debug_damage)
{
	static const char *const kinds[] = {
		"consul.debug_agent", "consul.debug_members", "consul.debug_host",
		"consul.debug_index"
	};
	static const char *const bad[] = {
		"", "{", "[]", "{}", "null", "{\"Config\": 5, \"Stats\": []}",
		"[{\"Name\": 7}, {\"Name\": \"x\", \"Status\": 99, \"Port\": "
		    "-1}, 3]",
		"{\"Config\": {\"NodeName\": \"\"}, \"Member\": {\"Addr\": "
		    "\"::1\", \"Port\": 8301}, \"Stats\": {\"raft\": {\"state\": "
		    "[1], \"latest_configuration\": \"[{{{\"}}}",
	};
	struct qs_run	*run;
	size_t		 i, k;

	for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++)
		for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
			run = qs_test_parse(kinds[k],
			    "n/consul-debug-x/file.json", bad[i],
			    strlen(bad[i]));
			/* One line when it is no JSON; never a crash. */
			CHECK(run->diags.n <= 1);
			qs_run_free(run);
		}
	run = qs_test_parse("consul.debug_members", "n/members.json", bad[6],
	    0);
	CHECK(qs_test_signal(run, QS_SIG_PROBE_UP, "x") == NULL);
	CHECK_INT(run->views.n, 1);
	qs_run_free(run);
}
