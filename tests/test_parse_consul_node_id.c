/* parse-consul-node-id.c: the agent's node ID file. */
#include "config.h"

#include <stdlib.h>

#include "test.h"

#define NODE_ID(text)	qs_test_parse("consul.node_id", \
	"node1/consul/data/node-id", (text), 0)

DEFINE_TEST(test_parse_consul_node_id)
{
	struct qs_run			*run;
	const struct qs_identity	*id;

	/* As the agent writes it: no newline. */
	run = NODE_ID("adf4238a-882b-9ddc-4a9d-5b6758e4159e");
	CHECK_INT(run->identities.n, 1);
	CHECK_INT(run->diags.n, 0);
	id = run->identities.v[0];
	CHECK_INT(id->kind, QS_ID_NODE_ID);
	CHECK_INT(id->system, QS_SYS_CONSUL);
	CHECK_STR(id->value, "adf4238a-882b-9ddc-4a9d-5b6758e4159e");
	CHECK(id->subject == NULL && id->role == NULL);
	CHECK_INT(id->ev.line, 1);
	CHECK_INT(qs_test_status(run), QS_STATUS_PARSED);
	qs_run_free(run);

	/* Hand-written: blanks around, upper case; Consul lowercases. */
	run = NODE_ID("\n  ADF4238A-882B-9DDC-4A9D-5B6758E4159E \r\n");
	id = run->identities.v[0];
	CHECK_STR(id->value, "adf4238a-882b-9ddc-4a9d-5b6758e4159e");
	CHECK_INT(id->ev.line, 2);
	qs_run_free(run);
}

DEFINE_TEST(test_parse_consul_node_id_bad)
{
	static const char *const bad[] = {
		"",
		"\n",
		"adf4238a-882b-9ddc-4a9d-5b6758e4159",	/* short */
		"adf4238a-882b-9ddc-4a9d-5b6758e4159ef",	/* long */
		"adf4238a_882b-9ddc-4a9d-5b6758e4159e",
		"zdf4238a-882b-9ddc-4a9d-5b6758e4159e",
		"adf4238a-882b-9ddc-4a9d-5b6758e4159e\nextra",
		NULL
	};
	struct qs_run	*run;
	size_t		 i;
	char		*big;

	for (i = 0; bad[i] != NULL; i++) {
		run = NODE_ID(bad[i]);
		CHECK_INT(run->identities.n, 0);
		CHECK_INT(qs_test_status(run), QS_STATUS_FAILED);
		CHECK(qs_test_has_diag(run, "node-id: not a UUID"));
		qs_run_free(run);
	}
	/* Blanks are trimmed, as the agent does, up to a sane size. */
	big = qs_xmalloc(70 * 1024 + 1);
	memset(big, ' ', 70 * 1024);
	memcpy(big, "adf4238a-882b-9ddc-4a9d-5b6758e4159e", 36);
	big[600] = '\0';
	run = NODE_ID(big);
	CHECK_INT(qs_test_status(run), QS_STATUS_PARSED);
	CHECK_INT(run->identities.n, 1);
	qs_run_free(run);
	big[600] = ' ';
	big[70 * 1024] = '\0';
	run = NODE_ID(big);
	CHECK_INT(qs_test_status(run), QS_STATUS_FAILED);
	CHECK_INT(run->identities.n, 0);
	qs_run_free(run);
	free(big);
}
