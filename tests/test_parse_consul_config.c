/* parse-consul-config.c: agent configuration in JSON and HCL. */
#include "config.h"

#include <stdlib.h>

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

static uint64_t
line(const struct qs_run *run, const char *key)
{
	const struct qs_setting	*s = setting(run, key);

	return s != NULL ? s->ev.line : 0;
}

static const struct qs_identity *
identity(const struct qs_run *run, enum qs_ident kind)
{
	size_t	i;

	for (i = 0; i < run->identities.n; i++) {
		const struct qs_identity	*id = run->identities.v[i];

		if (id->kind == kind)
			return id;
	}
	return NULL;
}

/* Nothing recorded anywhere (values, excerpts, diagnostics) quotes s. */
static int
nowhere(const struct qs_run *run, const char *s)
{
	size_t	i;

	for (i = 0; i < run->settings.n; i++) {
		const struct qs_setting	*st = run->settings.v[i];

		if (strstr(st->value, s) != NULL || (st->ev.excerpt != NULL &&
		    strstr(st->ev.excerpt, s) != NULL))
			return 0;
	}
	for (i = 0; i < run->identities.n; i++) {
		const struct qs_identity	*id = run->identities.v[i];

		if (strstr(id->value, s) != NULL || (id->ev.excerpt != NULL &&
		    strstr(id->ev.excerpt, s) != NULL))
			return 0;
	}
	return !qs_test_has_diag(run, s);
}

#define JSONCFG(text)	qs_test_parse("consul.config", \
	"node1/etc/consul.d/server.json", (text), 0)
#define HCLCFG(text)	qs_test_parse("consul.config", \
	"node1/etc/consul.d/server.hcl", (text), 0)

/* The server configuration of the seed report. */
DEFINE_TEST(test_parse_consul_config_json_seed)
{
	struct qs_run	*run = JSONCFG(
	    "{\n"
	    "    \"leave_on_terminate\": false,\n"
	    "    \"skip_leave_on_interrupt\": false,\n"
	    "    \"bootstrap_expect\": 3,\n"
	    "    \"server\": true,\n"
	    "    \"retry_join\": [ \"172.17.0.30\", \"172.17.0.31\" ],\n"
	    "    \"rejoin_after_leave\": true\n"
	    "}\n");

	CHECK_INT(run->diags.n, 0);
	CHECK_INT(qs_test_status(run), QS_STATUS_PARSED);
	CHECK_INT(run->settings.n, 6);
	CHECK_STR(value(run, "leave_on_terminate"), "false");
	CHECK_INT(line(run, "leave_on_terminate"), 2);
	CHECK_STR(value(run, "skip_leave_on_interrupt"), "false");
	CHECK_INT(line(run, "skip_leave_on_interrupt"), 3);
	CHECK_STR(value(run, "bootstrap_expect"), "3");
	CHECK_INT(line(run, "bootstrap_expect"), 4);
	CHECK_STR(setting(run, "bootstrap_expect")->ev.excerpt,
	    "\"bootstrap_expect\": 3");
	CHECK_STR(value(run, "server"), "true");
	CHECK_STR(value(run, "retry_join"),
	    "[\"172.17.0.30\",\"172.17.0.31\"]");
	CHECK_INT(line(run, "retry_join"), 6);
	CHECK_STR(value(run, "rejoin_after_leave"), "true");
	CHECK_INT(line(run, "rejoin_after_leave"), 7);
	CHECK_INT(((const struct qs_setting *)run->settings.v[0])->system,
	    QS_SYS_CONSUL);
	CHECK_INT(run->identities.n, 0);
	qs_run_free(run);
}

/* Every key the parser knows, with unknown and nested ones around. */
DEFINE_TEST(test_parse_consul_config_json_full)
{
	struct qs_run			*run = JSONCFG(
	    "{\n"
	    "  \"datacenter\": \"dc1\",\n"
	    "  \"node_name\": \"consul-server-1\",\n"
	    "  \"node_id\": \"ADF4238A-882B-9DDC-4A9D-5B6758E4159E\",\n"
	    "  \"data_dir\": \"/opt/consul\",\n"
	    "  \"server\": true,\n"
	    "  \"bootstrap\": false,\n"
	    "  \"bootstrap_expect\": 3,\n"
	    "  \"bind_addr\": \"0.0.0.0\",\n"
	    "  \"advertise_addr\": \"10.0.0.1\",\n"
	    "  \"client_addr\": \"127.0.0.1\",\n"
	    "  \"raft_protocol\": 3,\n"
	    "  \"encrypt\": \"pUqJrVyVRj5jsiYEkM/tFQ==\",\n"
	    "  \"start_join\": [],\n"
	    "  \"retry_join_wan\": [\"10.9.0.1\"],\n"
	    "  \"ports\": { \"dns\": 8600, \"server\": 8300 },\n"
	    "  \"acl\": { \"tokens\": { \"agent\": \"s3cr3t-token\" } },\n"
	    "  \"performance\": {\n"
	    "    \"leave_drain_time\": \"5s\",\n"
	    "    \"raft_multiplier\": 1\n"
	    "  },\n"
	    "  \"ui_config\": { \"enabled\": true }\n"
	    "}\n");
	const struct qs_identity	*id;

	CHECK_INT(run->diags.n, 0);
	CHECK_INT(run->settings.n, 15);
	CHECK_STR(value(run, "datacenter"), "dc1");
	CHECK_STR(value(run, "node_name"), "consul-server-1");
	CHECK_STR(setting(run, "node_name")->ev.excerpt,
	    "\"node_name\": \"consul-server-1\"");
	CHECK_STR(value(run, "node_id"),
	    "ADF4238A-882B-9DDC-4A9D-5B6758E4159E");
	CHECK_STR(value(run, "data_dir"), "/opt/consul");
	CHECK_STR(value(run, "bootstrap"), "false");
	CHECK_STR(value(run, "bind_addr"), "0.0.0.0");
	CHECK_STR(value(run, "advertise_addr"), "10.0.0.1");
	CHECK_INT(line(run, "advertise_addr"), 10);
	CHECK_STR(value(run, "client_addr"), "127.0.0.1");
	CHECK_STR(value(run, "raft_protocol"), "3");
	CHECK_STR(value(run, "start_join"), "[]");
	CHECK_STR(value(run, "retry_join_wan"), "[\"10.9.0.1\"]");
	CHECK_STR(value(run, "performance.raft_multiplier"), "1");
	CHECK_INT(line(run, "performance.raft_multiplier"), 20);
	/* The gossip key: present, never quoted. */
	CHECK_STR(value(run, "encrypt"), "set");
	CHECK_INT(line(run, "encrypt"), 13);
	CHECK_STR(setting(run, "encrypt")->ev.excerpt,
	    "\"encrypt\": <redacted>");
	CHECK(nowhere(run, "pUqJrVyVRj5jsiYEkM"));
	CHECK(nowhere(run, "s3cr3t-token"));

	CHECK_INT(run->identities.n, 3);
	id = identity(run, QS_ID_NAME);
	CHECK_STR(id->value, "consul-server-1");
	CHECK(id->subject == NULL);
	CHECK_INT(id->ev.line, 3);
	id = identity(run, QS_ID_ADDRESS);
	CHECK_STR(id->value, "10.0.0.1");
	CHECK_STR(id->role, "bind");
	CHECK_INT(id->ev.line, 10);
	id = identity(run, QS_ID_NODE_ID);
	CHECK_STR(id->value, "adf4238a-882b-9ddc-4a9d-5b6758e4159e");
	qs_run_free(run);
}

/* Compact JSON: one line holds the gossip key and an ACL token too. */
DEFINE_TEST(test_parse_consul_config_json_compact_secrets)
{
	struct qs_run	*run = qs_test_parse("consul.config",
	    "node1/consul/config/consul.json",
	    "{\"server\":true,\"encrypt\":\"pUqJrVyVRj5jsiYEkM/tFQ==\","
	    "\"acl_master_token\":\"b1gs3cr3t\",\"bind_addr\":\"10.0.0.2\","
	    "\"node_name\":\"n2\",\"Bootstrap_Expect\":5}", 0);

	CHECK_STR(value(run, "server"), "true");
	CHECK_STR(setting(run, "server")->ev.excerpt, "\"server\": true");
	CHECK_INT(line(run, "server"), 1);
	CHECK_STR(value(run, "encrypt"), "set");
	/* Keys match without regard to case, as in Consul. */
	CHECK_STR(value(run, "bootstrap_expect"), "5");
	CHECK_STR(identity(run, QS_ID_ADDRESS)->value, "10.0.0.2");
	CHECK(nowhere(run, "pUqJrVyVRj5jsiYEkM"));
	CHECK(nowhere(run, "b1gs3cr3t"));
	qs_run_free(run);
}

DEFINE_TEST(test_parse_consul_config_json_bad)
{
	struct qs_run	*run;

	run = JSONCFG("{\n  \"server\": true,\n  \"bootstrap_expect\": 3,,\n}");
	CHECK_INT(qs_test_status(run), QS_STATUS_FAILED);
	CHECK(qs_test_has_diag(run, "line 3: configuration: not valid JSON"));
	CHECK_INT(run->settings.n, 0);
	qs_run_free(run);

	run = JSONCFG("[\"server\", true]");
	CHECK_INT(qs_test_status(run), QS_STATUS_FAILED);
	qs_run_free(run);

	run = JSONCFG("");
	CHECK_INT(qs_test_status(run), QS_STATUS_FAILED);
	qs_run_free(run);

	/* Trailing text: the agent refuses it, the values still tell. */
	run = JSONCFG("{\"server\": true}\n{\"server\": false}\n");
	CHECK_STR(value(run, "server"), "true");
	CHECK(qs_test_has_diag(run, "line 2: configuration: text after"));
	CHECK_INT(qs_test_status(run), QS_STATUS_PARTIAL);
	qs_run_free(run);

	/* A number too long to quote raw falls back to its double. */
	run = JSONCFG("{\"raft_protocol\": 1000000000000000000000000000000000"
	    "0000000000000000000000000000000000000}");
	CHECK(value(run, "raft_protocol") != NULL &&
	    strncmp(value(run, "raft_protocol"), "1", 1) == 0 &&
	    strchr(value(run, "raft_protocol"), 'e') != NULL);
	qs_run_free(run);

	/* Templates and wildcards name no address. */
	run = JSONCFG("{\"bind_addr\": \"{{ GetPrivateIP }}\", "
	    "\"advertise_addr\": \"\", \"retry_join\": null}");
	CHECK_STR(value(run, "bind_addr"), "{{ GetPrivateIP }}");
	CHECK(identity(run, QS_ID_ADDRESS) == NULL);
	CHECK(value(run, "retry_join") == NULL);
	qs_run_free(run);
}

static const char hcl_server[] =
	"# Consul server, managed by config management\n"
	"datacenter = \"dc1\"\n"
	"data_dir   = \"/opt/consul\"\n"
	"node_name  = \"consul-server-1\"\n"
	"server     = true\n"
	"bootstrap_expect = 3\n"
	"bind_addr = \"10.0.0.1\" // the LAN address\n"
	"client_addr = \"0.0.0.0\"\n"
	"encrypt = \"pUqJrVyVRj5jsiYEkM/tFQ==\"\n"
	"retry_join = [\n"
	"  \"10.0.0.2\",   # second\n"
	"  \"10.0.0.3\",\n"
	"]\n"
	"/* the block below is\n"
	"   read for one key */\n"
	"performance {\n"
	"  raft_multiplier = 5\n"
	"}\n"
	"ports {\n"
	"  dns = 8600\n"
	"  server = 8300\n"
	"}\n"
	"service \"web\" {\n"
	"  port = 80\n"
	"  tags = [\"a\", \"b\"]\n"
	"  check { http = \"http://localhost/\" interval = \"10s\" }\n"
	"}\n"
	"acl {\n"
	"  tokens {\n"
	"    agent = \"s3cr3t-token\"\n"
	"  }\n"
	"}\n"
	"leave_on_terminate = true\n"
	"skip_leave_on_interrupt = false\n"
	"rejoin_after_leave = false\n"
	"raft_protocol = 3\n"
	"node_id = \"adf4238a-882b-9ddc-4a9d-5b6758e4159e\"\n"
	"start_join = []\n"
	"ui_config { enabled = true }\n";

DEFINE_TEST(test_parse_consul_config_hcl)
{
	struct qs_run			*run = HCLCFG(hcl_server);
	const struct qs_identity	*id;

	CHECK_INT(run->diags.n, 0);
	CHECK_INT(qs_test_status(run), QS_STATUS_PARSED);
	CHECK_INT(run->settings.n, 16);
	CHECK_STR(value(run, "datacenter"), "dc1");
	CHECK_INT(line(run, "datacenter"), 2);
	CHECK_STR(setting(run, "datacenter")->ev.excerpt,
	    "datacenter = \"dc1\"");
	CHECK_STR(value(run, "data_dir"), "/opt/consul");
	CHECK_STR(value(run, "server"), "true");
	CHECK_INT(line(run, "server"), 5);
	CHECK_STR(value(run, "bootstrap_expect"), "3");
	CHECK_STR(setting(run, "bootstrap_expect")->ev.excerpt,
	    "bootstrap_expect = 3");
	CHECK_STR(value(run, "bind_addr"), "10.0.0.1");
	CHECK_STR(value(run, "client_addr"), "0.0.0.0");
	CHECK_STR(value(run, "encrypt"), "set");
	CHECK_STR(setting(run, "encrypt")->ev.excerpt, "encrypt = <redacted>");
	CHECK_STR(value(run, "retry_join"), "[\"10.0.0.2\",\"10.0.0.3\"]");
	CHECK_INT(line(run, "retry_join"), 10);
	CHECK_STR(value(run, "performance.raft_multiplier"), "5");
	CHECK_INT(line(run, "performance.raft_multiplier"), 17);
	CHECK_STR(value(run, "leave_on_terminate"), "true");
	CHECK_INT(line(run, "leave_on_terminate"), 33);
	CHECK_STR(value(run, "skip_leave_on_interrupt"), "false");
	CHECK_STR(value(run, "rejoin_after_leave"), "false");
	CHECK_STR(value(run, "raft_protocol"), "3");
	CHECK_STR(value(run, "start_join"), "[]");
	CHECK(value(run, "port") == NULL && value(run, "dns") == NULL);
	CHECK(nowhere(run, "pUqJrVyVRj5jsiYEkM"));
	CHECK(nowhere(run, "s3cr3t-token"));

	CHECK_INT(run->identities.n, 3);
	id = identity(run, QS_ID_NAME);
	CHECK_STR(id->value, "consul-server-1");
	CHECK_INT(id->ev.line, 4);
	/* No advertise_addr: the bind address stands for the node. */
	id = identity(run, QS_ID_ADDRESS);
	CHECK_STR(id->value, "10.0.0.1");
	CHECK_STR(id->role, "bind");
	CHECK_INT(id->ev.line, 7);
	CHECK_STR(identity(run, QS_ID_NODE_ID)->value,
	    "adf4238a-882b-9ddc-4a9d-5b6758e4159e");
	qs_run_free(run);
}

/* Strings with escapes and interpolation, heredocs, numbers, objects. */
DEFINE_TEST(test_parse_consul_config_hcl_values)
{
	struct qs_run	*run = HCLCFG(
	    "node_name = \"a\\\"b\\u00e9\\tc\"\n"
	    "datacenter = \"${env.DC}-\\\\x\"\n"
	    "data_dir = <<EOF\n"
	    "/var/lib/\n"
	    "consul\n"
	    "  EOF\n"
	    "bootstrap_expect = -1\n"
	    "raft_protocol = 2.5e0\n"
	    "retry_join = [\"a\", 1, true, [\"x\"], { k = \"v\" }]\n"
	    "performance = { raft_multiplier = 3 }, server = false\n"
	    "\"bootstrap\" = true\n");

	CHECK_INT(run->diags.n, 0);
	CHECK_STR(value(run, "node_name"), "a\"b\xc3\xa9\tc");
	CHECK_STR(value(run, "datacenter"), "${env.DC}-\\x");
	CHECK_STR(value(run, "data_dir"), "/var/lib/\nconsul\n");
	CHECK_INT(line(run, "bootstrap_expect"), 7);
	CHECK_STR(value(run, "bootstrap_expect"), "-1");
	CHECK_STR(value(run, "raft_protocol"), "2.5e0");
	CHECK_STR(value(run, "retry_join"),
	    "[\"a\",1,true,[\"x\"],{\"k\":\"v\"}]");
	CHECK_STR(value(run, "performance.raft_multiplier"), "3");
	CHECK_INT(line(run, "performance.raft_multiplier"), 10);
	CHECK_STR(value(run, "server"), "false");
	CHECK_STR(value(run, "bootstrap"), "true");
	qs_run_free(run);
}

DEFINE_TEST(test_parse_consul_config_hcl_errors)
{
	struct qs_run	*run;
	char		*deep;
	size_t		 i;

	/* A missing value: what came before still counts. */
	run = HCLCFG("server = true\nbootstrap_expect =\nnode_name = \"x\"\n");
	CHECK_STR(value(run, "server"), "true");
	CHECK(value(run, "node_name") == NULL);
	CHECK(qs_test_has_diag(run, "line 3: configuration: HCL syntax "
	    "error: expected a value"));
	CHECK_INT(qs_test_status(run), QS_STATUS_PARTIAL);
	qs_run_free(run);

	run = HCLCFG("server = true\nnode_name = \"unterminated\n");
	CHECK(qs_test_has_diag(run, "line 2: configuration: HCL syntax "
	    "error: unterminated string"));
	CHECK_INT(qs_test_status(run), QS_STATUS_PARTIAL);
	qs_run_free(run);

	run = HCLCFG("ports {\n  dns = 8600\n");
	CHECK(qs_test_has_diag(run, "unterminated block"));
	qs_run_free(run);

	run = HCLCFG("server = true\n}\n");
	CHECK(qs_test_has_diag(run, "line 2: configuration: HCL syntax "
	    "error: unexpected }"));
	qs_run_free(run);

	run = HCLCFG("retry_join = [\"a\" \"b\"]\n");
	CHECK(qs_test_has_diag(run, "expected , or ]"));
	CHECK(value(run, "retry_join") == NULL);
	qs_run_free(run);

	run = HCLCFG("/* never closed\nserver = true\n");
	CHECK(qs_test_has_diag(run, "unterminated /* comment"));
	qs_run_free(run);

	run = HCLCFG("data_dir = <<EOF\nabc\n");
	CHECK(qs_test_has_diag(run, "unterminated heredoc"));
	qs_run_free(run);

	run = HCLCFG("node_name = \"\\u12\"\n");
	CHECK(qs_test_has_diag(run, "bad \\u escape"));
	qs_run_free(run);

	run = HCLCFG("server = yes\n");
	CHECK(qs_test_has_diag(run, "expected a value"));
	qs_run_free(run);

	run = HCLCFG("server\n");
	CHECK(qs_test_has_diag(run, "expected = or {"));
	qs_run_free(run);

	/* Hostile nesting stops at the depth limit, without a crash. */
	deep = qs_xmalloc(100001);
	memcpy(deep, "retry_join = ", 13);
	for (i = 13; i + 6 <= 100000; i += 6)
		memcpy(deep + i, "{ a = ", 6);
	deep[i] = '\0';
	run = HCLCFG(deep);
	CHECK(qs_test_has_diag(run, "nested too deep"));
	qs_run_free(run);
	for (i = 13; i < 100000; i++)
		deep[i] = '[';
	deep[100000] = '\0';
	run = HCLCFG(deep);
	CHECK(qs_test_has_diag(run, "nested too deep"));
	qs_run_free(run);
	free(deep);

	/* Empty and comment-only files are fine and say nothing. */
	run = HCLCFG("");
	CHECK_INT(run->diags.n, 0);
	CHECK_INT(run->settings.n, 0);
	qs_run_free(run);
	run = HCLCFG("# nothing here\n// nor here\n");
	CHECK_INT(run->diags.n, 0);
	qs_run_free(run);
}

/* Without a telling extension, content decides between JSON and HCL. */
DEFINE_TEST(test_parse_consul_config_format_by_content)
{
	struct qs_run	*run = qs_test_parse("consul.config",
	    "node1/etc/consul/agent.conf", "  {\"server\": true}", 0);

	CHECK_STR(setting(run, "server")->ev.excerpt, "\"server\": true");
	qs_run_free(run);
	run = qs_test_parse("consul.config", "node1/etc/consul/agent.conf",
	    "server = true\n", 0);
	CHECK_STR(setting(run, "server")->ev.excerpt, "server = true");
	qs_run_free(run);
}
