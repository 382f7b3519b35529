/* parse-triton-sapi.c and parse-triton-vmapi.c: SAPI, VMAPI, sdc-role list. */
#include "config.h"

#include <stdlib.h>

#include "test.h"

DEFINE_TEST(test_parse_triton_sapi)
{
	struct qs_run		*run;
	const struct qs_view	*v;
	const struct qs_member	*m;
	const struct qs_identity *id;

	run = qs_test_parse("triton.sapi_dump", "sdc-sapi-applications.json",
	    "[{\"uuid\": \"8b7a\", \"name\": \"sdc\", \"metadata\": {\n"
	    "\"ZK_SERVERS\": [{\"host\": \"10.1.1.9\", \"port\": 2181, "
	    "\"num\": 1},\n{\"host\": \"10.1.1.45\", \"port\": 2181, "
	    "\"num\": \"3\", \"last\": true}]}},\n"
	    "{\"uuid\": \"i-1\", \"service_uuid\": \"s-1\", "
	    "\"metadata\": {\"ZK_ID\": \"4\"}}]\n", 0);
	CHECK_INT(qs_test_status(run), QS_STATUS_PARSED);
	CHECK(strcmp(qs_test_setting(run, "triton.sapi.sdc.uuid"), "8b7a") ==
	    0);
	CHECK(strcmp(qs_test_setting(run,
	    "triton.sapi.instance.i-1.service_uuid"), "s-1") == 0);
	v = qs_test_view(run, "SAPI ZK_SERVERS (sdc)");
	CHECK(v != NULL && v->kind == QS_VIEW_CONFIGURED);
	m = qs_test_member(v, 1);
	CHECK(m != NULL && strcmp(m->id, "3") == 0 &&
	    strcmp(m->address, "10.1.1.45:2181") == 0 &&
	    m->state == QS_MEMBER_VOTER);
	CHECK(qs_test_member(v, 2) == NULL);
	CHECK(v->ev.line == 2);
	CHECK_INT(run->identities.n, 1);
	id = run->identities.v[0];
	CHECK(id->kind == QS_ID_MYID && strcmp(id->value, "4") == 0 &&
	    strcmp(id->subject, "i-1") == 0);
	qs_run_free(run);
}

DEFINE_TEST(test_parse_triton_sapi_bad)
{
	struct qs_run		*run;
	const struct qs_view	*v;

	run = qs_test_parse("triton.sapi_dump", "sapi.json", "[{\"uuid\": ", 0);
	CHECK_INT(qs_test_status(run), QS_STATUS_FAILED);
	qs_run_free(run);

	run = qs_test_parse("triton.sapi_dump", "sapi.json", "42", 0);
	CHECK_INT(qs_test_status(run), QS_STATUS_FAILED);
	qs_run_free(run);

	/* Bad entries are skipped, with a word; ids are not wrapped. */
	run = qs_test_parse("triton.sapi_dump", "sapi.json",
	    "{\"uuid\": \"a\", \"name\": \"sdc\", \"metadata\": {"
	    "\"ZK_SERVERS\": [{\"host\": \"h\", \"num\": 1e300}, 7, "
	    "{\"host\": \"h2\", \"num\": -1}, {\"host\": \"h3\", "
	    "\"num\": 2}]}}", 0);
	CHECK_INT(qs_test_status(run), QS_STATUS_PARTIAL);
	v = qs_test_view(run, "SAPI ZK_SERVERS (sdc)");
	CHECK(v != NULL && v->members.n == 1);
	CHECK(strcmp(qs_test_member(v, 0)->address, "h3") == 0);
	qs_run_free(run);
}

/* Where "last" sits, and how many elements the list has. */
DEFINE_TEST(test_parse_triton_sapi_last)
{
	struct qs_run		*run;

	run = qs_test_parse("triton.sapi_dump", "sapi.json",
	    "[{\"uuid\": \"a\", \"name\": \"sdc\", \"metadata\": {"
	    "\"ZK_SERVERS\": [{\"host\": \"h1\", \"num\": 1, "
	    "\"last\": true}, {\"host\": \"h2\", \"num\": 2}, 7, "
	    "{\"host\": \"h3\", \"num\": 3, \"last\": true}]}},\n"
	    "{\"uuid\": \"m\", \"name\": \"moray\", "
	    "\"application_uuid\": \"a\", \"metadata\": {\"ZK_SERVERS\": "
	    "[{\"host\": \"h1\", \"num\": 1, \"last\": \"yes\"}]}}]\n", 0);
	CHECK(strcmp(qs_test_setting(run, "triton.sapi.sdc.ZK_SERVERS.entries"),
	    "4") == 0);
	CHECK(strcmp(qs_test_setting(run, "triton.sapi.sdc.ZK_SERVERS.last"),
	    "1,4") == 0);
	/* Only JSON true counts, as for mustache. */
	CHECK(strcmp(qs_test_setting(run,
	    "triton.sapi.moray.ZK_SERVERS.last"), "none") == 0);
	CHECK(strcmp(qs_test_setting(run, "triton.sapi.moray.type"),
	    "service") == 0);
	qs_run_free(run);
}

DEFINE_TEST(test_parse_triton_vmapi)
{
	struct qs_run		*run;
	const struct qs_view	*v;
	const struct qs_member	*m;

	run = qs_test_parse("triton.vmapi_dump", "vmapi-vms.json",
	    "[{\"uuid\": \"u1\", \"alias\": \"binder0\", \"state\": "
	    "\"running\", \"server_uuid\": \"cn1\",\n \"nics\": [{\"ip\": "
	    "\"10.0.0.1\"}], \"tags\": {\"smartdc_role\": \"binder\"}},\n"
	    "{\"uuid\": \"u2\", \"alias\": \"binder1\", \"state\": "
	    "\"destroyed\", \"nics\": []},\n"
	    "{\"uuid\": \"u3\", \"alias\": \"binder2\", \"state\": "
	    "\"stopped\", \"nics\": 5}]\n", 0);
	CHECK_INT(qs_test_status(run), QS_STATUS_PARSED);
	v = qs_test_view(run, "VMAPI VMs");
	CHECK(v != NULL && v->members.n == 3);
	m = qs_test_member(v, 0);
	CHECK(strcmp(m->name, "binder0") == 0 && strcmp(m->id, "u1") == 0 &&
	    strcmp(m->address, "10.0.0.1") == 0 &&
	    m->state == QS_MEMBER_ALIVE);
	CHECK(qs_test_member(v, 1)->state == QS_MEMBER_REAPED);
	CHECK(qs_test_member(v, 2)->state == QS_MEMBER_LEFT);
	CHECK(strcmp(qs_test_setting(run, "triton.vm.u1.role"), "binder") ==
	    0);
	CHECK(strcmp(qs_test_setting(run, "triton.vm.u1.server_uuid"),
	    "cn1") == 0);
	CHECK(strcmp(qs_test_setting(run, "triton.vm.u1.ips"), "10.0.0.1") ==
	    0);
	/* uuid and address of u1 and u3; none for the destroyed u2. */
	CHECK_INT(run->identities.n, 3);
	qs_run_free(run);

	/* Every nic's address; the first one is the VM's. */
	run = qs_test_parse("triton.vmapi_dump", "vmapi-vms.json",
	    "{\"uuid\": \"u1\", \"alias\": \"binder0\", \"nics\": "
	    "[{\"mac\": \"x\"}, {\"ip\": \"10.0.0.1\"}, {\"ip\": 5}, "
	    "{\"ip\": \"192.168.9.1\"}]}", 0);
	CHECK(strcmp(qs_test_setting(run, "triton.vm.u1.ip"), "10.0.0.1") ==
	    0);
	CHECK(strcmp(qs_test_setting(run, "triton.vm.u1.ips"),
	    "10.0.0.1 192.168.9.1") == 0);
	qs_run_free(run);

	run = qs_test_parse("triton.vmapi_dump", "vmapi-vms.json", "[1,", 0);
	CHECK_INT(qs_test_status(run), QS_STATUS_FAILED);
	qs_run_free(run);
}

DEFINE_TEST(test_parse_triton_role_list)
{
	struct qs_run		*run;
	const struct qs_view	*v;
	const struct qs_member	*m;

	run = qs_test_parse("triton.role_list", "sdc-role-list.txt",
	    "ALIAS    SERVER  UUID  RAM  STATE  ROLE  ADMIN_IP\n"
	    "binder0  hn      u1    1024 running binder 10.0.0.1\n"
	    "binder3  -       u9    1024 running binder 10.0.0.8\n"
	    "short row\n", 0);
	CHECK_INT(qs_test_status(run), QS_STATUS_PARTIAL);
	v = qs_test_view(run, "sdc-role list");
	CHECK(v != NULL && v->members.n == 2);
	m = qs_test_member(v, 1);
	CHECK(strcmp(m->name, "binder3") == 0 && strcmp(m->id, "u9") == 0 &&
	    strcmp(m->address, "10.0.0.8") == 0);
	CHECK(strcmp(qs_test_setting(run, "triton.role.u9.server"), "-") ==
	    0);
	qs_run_free(run);

	run = qs_test_parse("triton.role_list", "sdc-role-list.txt",
	    "hello\n", 0);
	CHECK_INT(qs_test_status(run), QS_STATUS_FAILED);
	qs_run_free(run);
}

/*
 * The line cursor the dump parsers share: any sequence of offsets,
 * forward and back, gives the line qs_json_line_at counts from the start.
 */
DEFINE_TEST(test_json_line_seek)
{
	static const char	 text[] = "a\nbb\n\nccc\nd";
	static const size_t	 offs[] = { 0, 1, 2, 5, 6, 11, 3, 0, 10, 99,
	    4, 7 };
	struct qs_line_cursor	 c = { 0, 0 };
	size_t			 i, len = sizeof(text) - 1;

	for (i = 0; i < sizeof(offs) / sizeof(offs[0]); i++)
		CHECK_INT(qs_json_line_seek(text, len, &c, offs[i]),
		    qs_json_line_at(text, len, offs[i]));
	CHECK_INT(qs_json_line_at(text, len, 6), 4);
	CHECK_INT(qs_json_line_at(text, len, 99), 5);
}

/*
 * Many VMs, one per line: each VM's evidence names its own line (the
 * cursor walks the text once instead of recounting it per VM).
 */
DEFINE_TEST(test_parse_triton_vmapi_many_lines)
{
	struct qs_run	*run;
	char		*doc, *p;
	size_t		 i, n = 2000, j;
	int		 found = 0;

	doc = qs_xmalloc(n * 128 + 8);
	p = doc;
	*p++ = '[';
	for (i = 0; i < n; i++)
		p += sprintf(p, "%s\n{\"uuid\": \"vm-%05zu\", \"alias\": "
		    "\"binder%zu\", \"state\": \"running\"}", i ? "," : "", i,
		    i);
	strcpy(p, "]\n");
	run = qs_test_parse("triton.vmapi_dump", "vmapi-vms.json", doc, 0);
	for (j = 0; j < run->settings.n; j++) {
		const struct qs_setting	*s = run->settings.v[j];

		if (strstr(s->key, "vm-01234") != NULL) {
			CHECK_INT(s->ev.line, 1234 + 2);
			found = 1;
		}
	}
	CHECK(found);
	qs_run_free(run);
	free(doc);
}

/*
 * Names people use for VMs: the alias of any uuid VMAPI or the role list
 * names, shared by a ghost and its replacement or not, and the label
 * reports print.
 */
DEFINE_TEST(test_parse_triton_vm_labels)
{
	static const char	vms[] =
	    "[{\"uuid\": \"a41e7c90-1111-4222-8333-944455556666\", \"alias\": "
	    "\"binder3\", \"state\": \"running\", \"server_uuid\": \"cn-gone\", "
	    "\"nics\": [{\"ip\": \"10.0.0.3\"}]},\n"
	    "{\"uuid\": \"b52f8d01-1111-4222-8333-944455556666\", \"alias\": "
	    "\"binder3\", \"state\": \"running\", \"server_uuid\": \"cn-ok\", "
	    "\"nics\": [{\"ip\": \"10.0.0.13\"}]},\n"
	    "{\"uuid\": \"c63a9e12-1111-4222-8333-944455556666\", \"state\": "
	    "\"running\", \"server_uuid\": \"cn-ok\", \"nics\": []}]\n";
	struct qs_run	*run = qs_test_parse("triton.vmapi_dump",
	    "headnode/vmapi-vms.json", vms, 0);
	const char	*l;

	CHECK_STR(qs_triton_vm_alias(run,
	    "a41e7c90-1111-4222-8333-944455556666"), "binder3");
	CHECK_STR(qs_triton_vm_alias(run,
	    "B52F8D01-1111-4222-8333-944455556666"), "binder3");
	l = qs_triton_vm_label(&run->arena, run,
	    "a41e7c90-1111-4222-8333-944455556666");
	CHECK_STR(l, "binder3 (a41e7c90...)");
	/* No alias: the uuid alone; unknown uuid: the same. */
	CHECK_STR(qs_triton_vm_label(&run->arena, run,
	    "c63a9e12-1111-4222-8333-944455556666"),
	    "c63a9e12-1111-4222-8333-944455556666");
	CHECK(qs_triton_vm_alias(run, "nope") == NULL);
	CHECK(qs_triton_vm_alias(run, "a41e7c90") == NULL);
	CHECK(qs_triton_vm_alias(run, "") == NULL);
	/* Compute node and state stay for the ghost rule. */
	CHECK_STR(qs_test_setting(run,
	    "triton.vm.a41e7c90-1111-4222-8333-944455556666.server_uuid"),
	    "cn-gone");
	CHECK_STR(qs_test_setting(run,
	    "triton.vm.a41e7c90-1111-4222-8333-944455556666.state"), "running");
	/* A shared alias is no identity: it would merge the ghost's node. */
	CHECK_INT(run->identities.n, 0);
	qs_run_free(run);

	run = qs_test_parse("triton.role_list", "headnode/sdc-role-list.txt",
	    "ALIAS    SERVER     UUID                                  RAM   "
	    "STATE    ROLE    ADMIN_IP\n"
	    "binder0  headnode   e0b6fef5-9af1-4b60-9cd8-10b2947a2977  1024  "
	    "running  binder  10.0.0.10\n", 0);
	CHECK_STR(qs_triton_vm_label(&run->arena, run,
	    "e0b6fef5-9af1-4b60-9cd8-10b2947a2977"), "binder0 (e0b6fef5...)");
	qs_run_free(run);
}
