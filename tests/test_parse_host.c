/*
 * host.hosts and host.hostname: what a host's /etc/hosts and
 * /etc/hostname say of names and addresses.
 */
#include "config.h"

#include <string.h>

#include "test.h"

static size_t
th_idents(const struct qs_run *run, enum qs_ident kind, const char *value,
    const char *subject)
{
	size_t	i, n = 0;

	for (i = 0; i < run->identities.n; i++) {
		const struct qs_identity	*id = run->identities.v[i];

		if (id->kind == kind && strcmp(id->value, value) == 0 &&
		    ((subject == NULL && id->subject == NULL) ||
		    (subject != NULL && id->subject != NULL &&
		    strcmp(id->subject, subject) == 0)))
			n++;
	}
	return n;
}

DEFINE_TEST(test_parse_host_hosts)
{
	struct qs_run	*run;

	run = qs_test_parse("host.hosts", "etc/hosts",
	    "127.0.0.1\tlocalhost\n"
	    "::1     localhost ip6-localhost ip6-loopback\n"
	    "# the ensemble\n"
	    "10.0.0.1 zk-a.example.internal zk-a\n"
	    "10.0.0.2\tzk-b.example.internal\t# second\n"
	    "fd00::3 zk-c.example.internal\n", 0);
	CHECK_INT(th_idents(run, QS_ID_ADDRESS, "10.0.0.1",
	    "zk-a.example.internal"), 1);
	CHECK_INT(th_idents(run, QS_ID_ADDRESS, "10.0.0.1", "zk-a"), 1);
	CHECK_INT(th_idents(run, QS_ID_ADDRESS, "10.0.0.2",
	    "zk-b.example.internal"), 1);
	CHECK_INT(th_idents(run, QS_ID_ADDRESS, "fd00::3",
	    "zk-c.example.internal"), 1);
	/* Loopback says nothing of a node; the comment is not a name. */
	CHECK_INT(th_idents(run, QS_ID_ADDRESS, "127.0.0.1", "localhost"), 0);
	CHECK_INT(run->identities.n, 4);
	CHECK(qs_test_status(run) == QS_STATUS_PARSED);
	qs_run_free(run);

	/* A line that is no entry is skipped, and said. */
	run = qs_test_parse("host.hosts", "etc/hosts",
	    "this is not an entry\n10.0.0.9 db-9\n", 0);
	CHECK_INT(th_idents(run, QS_ID_ADDRESS, "10.0.0.9", "db-9"), 1);
	CHECK(qs_test_has_diag(run, "do not start with an IP address"));
	qs_run_free(run);
}

DEFINE_TEST(test_parse_host_hostname)
{
	struct qs_run	*run;

	run = qs_test_parse("host.hostname", "etc/hostname", "zk-a\n", 0);
	CHECK_INT(th_idents(run, QS_ID_NAME, "zk-a", NULL), 1);
	qs_run_free(run);
	run = qs_test_parse("host.hostname", "etc/hostname", "", 0);
	CHECK(qs_test_status(run) == QS_STATUS_FAILED);
	qs_run_free(run);
	run = qs_test_parse("host.hostname", "etc/hostname", "a b;c\n", 0);
	CHECK(qs_test_status(run) == QS_STATUS_FAILED);
	qs_run_free(run);
}
