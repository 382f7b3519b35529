/* parse-zk-id.c: myid, currentEpoch and acceptedEpoch. */
#include "config.h"

#include "test_zk.h"

static enum qs_status
status_of(const struct qs_run *run)
{
	return ((const struct qs_artifact *)run->artifacts.v[0])->status;
}

DEFINE_TEST(test_parse_zk_myid)
{
	struct qs_run	*run;

	run = qs_test_parse("zk.myid", "binder1/zookeeper/zookeeper/myid",
	    "3\n", 0);
	CHECK_INT(status_of(run), QS_STATUS_PARSED);
	CHECK_INT(run->diags.n, 0);
	CHECK_INT(run->identities.n, 1);
	CHECK(zk_t_has_ident(run, NULL, QS_ID_MYID, "3", NULL, NULL));
	/* The node itself: no subject. */
	CHECK(((struct qs_identity *)run->identities.v[0])->subject == NULL);
	qs_run_free(run);

	/* Leading zeros name the same server; no newline is fine. */
	run = qs_test_parse("zk.myid", "n/myid", "012", 0);
	CHECK(zk_t_has_ident(run, NULL, QS_ID_MYID, "12", NULL, NULL));
	CHECK_INT(run->diags.n, 0);
	qs_run_free(run);
}

DEFINE_TEST(test_parse_zk_myid_bad)
{
	struct qs_run	*run;

	/* ZooKeeper's parseLong refuses spaces: we read it, and say so. */
	run = qs_test_parse("zk.myid", "n/myid", " 2 \n", 0);
	CHECK(zk_t_has_ident(run, NULL, QS_ID_MYID, "2", NULL, NULL));
	CHECK(qs_test_has_diag(run, "line 1: myid has spaces around the "
	    "number; ZooKeeper would refuse it"));
	CHECK_INT(status_of(run), QS_STATUS_PARTIAL);
	qs_run_free(run);

	run = qs_test_parse("zk.myid", "n/myid", "three\n", 0);
	CHECK_INT(run->identities.n, 0);
	CHECK(qs_test_has_diag(run, "myid is not a number: \"three\""));
	CHECK_INT(status_of(run), QS_STATUS_FAILED);
	qs_run_free(run);

	run = qs_test_parse("zk.myid", "n/myid", "", 0);
	CHECK(qs_test_has_diag(run, "empty myid file"));
	CHECK_INT(status_of(run), QS_STATUS_FAILED);
	qs_run_free(run);

	run = qs_test_parse("zk.myid", "n/myid", "99999999999999999999\n", 0);
	CHECK_INT(status_of(run), QS_STATUS_FAILED);
	qs_run_free(run);

	run = qs_test_parse("zk.myid", "n/myid", "9223372036854775808", 0);
	CHECK(qs_test_has_diag(run, "does not fit a Java long"));
	qs_run_free(run);
}

DEFINE_TEST(test_parse_zk_epoch)
{
	struct qs_run		*run;
	const struct qs_event	*e;

	run = qs_test_parse("zk.epoch",
	    "binder0/zookeeper/zookeeper/version-2/currentEpoch", "2", 0);
	CHECK_INT(run->diags.n, 0);
	CHECK_INT(run->settings.n, 1);
	CHECK_STR(zk_t_setting(run, NULL, "zk.currentEpoch"), "2");
	CHECK_INT(run->events.n, 1);
	e = zk_t_event(run, NULL, QS_EV_TERM_CHANGE, 0);
	CHECK(e != NULL);
	if (e != NULL) {
		CHECK_INT(e->clock.set, QS_CLOCK_TERM);
		CHECK_INT(e->clock.term, 2);
		CHECK_INT(e->time.set, 0);
		CHECK(e->subject == NULL);
		CHECK_STR(e->detail, "currentEpoch 2");
		CHECK_INT(e->system, QS_SYS_ZOOKEEPER);
	}
	qs_run_free(run);

	run = qs_test_parse("zk.epoch", "n/version-2/acceptedEpoch", "17\n",
	    0);
	CHECK_STR(zk_t_setting(run, NULL, "zk.acceptedEpoch"), "17");
	e = zk_t_event(run, NULL, QS_EV_TERM_CHANGE, 0);
	CHECK(e != NULL && e->clock.term == 17);
	CHECK(e != NULL && strcmp(e->detail, "acceptedEpoch 17") == 0);
	qs_run_free(run);

	/* An interrupted atomic write. */
	run = qs_test_parse("zk.epoch", "n/version-2/currentEpoch.tmp", "3",
	    0);
	CHECK_STR(zk_t_setting(run, NULL, "zk.currentEpoch.tmp"), "3");
	CHECK(zk_t_setting(run, NULL, "zk.currentEpoch") == NULL);
	e = zk_t_event(run, NULL, QS_EV_TERM_CHANGE, 0);
	CHECK(e != NULL && strcmp(e->detail, "currentEpoch 3 (unfinished "
	    "write: .tmp file)") == 0);
	qs_run_free(run);
}

DEFINE_TEST(test_parse_zk_epoch_bad)
{
	struct qs_run	*run;

	run = qs_test_parse("zk.epoch", "n/version-2/currentEpoch", "-1", 0);
	CHECK_INT(status_of(run), QS_STATUS_FAILED);
	CHECK_INT(run->events.n, 0);
	CHECK(qs_test_has_diag(run, "currentEpoch is not a number"));
	qs_run_free(run);

	run = qs_test_parse("zk.epoch", "n/epoch-copy", "5", 0);
	CHECK(qs_test_has_diag(run, "neither currentEpoch nor acceptedEpoch"));
	CHECK_STR(zk_t_setting(run, NULL, "zk.epoch"), "5");
	qs_run_free(run);
}
