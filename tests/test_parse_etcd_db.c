/*
 * parse-etcd-db.c: the etcd 3.5-style backend fixture
 * (testdata/bolt/etcd.db.gz, member ids above 2^53) and the real etcd
 * 3.4 backends of the fixture bundles.
 */
#include "config.h"

#include <stdlib.h>

#include "test.h"

#define ETCDDB_PATH	"etcd1/var/lib/etcd/member/snap/db"

static const char *
etcddb_value(const struct qs_run *run, const char *key)
{
	size_t	i;

	for (i = 0; i < run->settings.n; i++) {
		const struct qs_setting	*s = run->settings.v[i];

		if (strcmp(s->key, key) == 0)
			return s->value;
	}
	return "(none)";
}

static void
etcddb_check_member(const struct qs_view *v, size_t i, const char *name,
    const char *addr, const char *id, enum qs_member_state st)
{
	const struct qs_member	*m;

	CHECK(i < v->members.n);
	if (i >= v->members.n)
		return;
	m = v->members.v[i];
	if (name == NULL)
		CHECK(m->name == NULL);
	else
		CHECK_STR(m->name, name);
	if (addr == NULL)
		CHECK(m->address == NULL);
	else
		CHECK_STR(m->address, addr);
	CHECK_STR(m->id, id);
	CHECK_INT(m->state, st);
}

DEFINE_TEST(test_parse_etcd_db_fixture)
{
	struct qs_run		*run;
	unsigned char		*data;
	size_t			 len;
	const struct qs_view	*v;
	const struct qs_identity *id;

	data = qs_test_read_gz("testdata/bolt/etcd.db.gz", &len);
	CHECK(data != NULL);
	if (data == NULL)
		return;
	run = qs_test_parse("etcd.db", ETCDDB_PATH, (const char *)data, len);
	CHECK_INT(((struct qs_artifact *)run->artifacts.v[0])->status,
	    QS_STATUS_PARSED);
	CHECK_INT(run->diags.n, 0);
	CHECK_INT(run->settings.n, 4);
	CHECK_STR(etcddb_value(run, "etcd.db.consistent_index"), "12345");
	CHECK_STR(etcddb_value(run, "etcd.db.term"), "7");
	CHECK_STR(etcddb_value(run, "etcd.db.conf_state"),
	    "[8e9e05c52164694d,91bc3c398fb3c146,fd422379fda50e48]");
	CHECK_STR(etcddb_value(run, "etcd.db.cluster_version"), "3.5.0");

	CHECK_INT(run->views.n, 2);
	v = run->views.v[0];
	CHECK_STR(v->source, "etcd backend members");
	CHECK_INT(v->kind, QS_VIEW_CONSENSUS);
	CHECK(v->system == QS_SYS_ETCD);
	CHECK_INT(v->clock.set, QS_CLOCK_TERM | QS_CLOCK_INDEX);
	CHECK_INT(v->clock.term, 7);
	CHECK_INT(v->clock.index, 12345);
	CHECK_INT(v->members.n, 4);
	/* Key order; the unstarted learner has no name. */
	etcddb_check_member(v, 0, NULL, "http://10.0.1.4:2380",
	    "2f0e1d4c3b2a1908", QS_MEMBER_NONVOTER);
	etcddb_check_member(v, 1, "etcd1", "http://10.0.1.1:2380",
	    "8e9e05c52164694d", QS_MEMBER_VOTER);
	etcddb_check_member(v, 2, "etcd2", "http://10.0.1.2:2380",
	    "91bc3c398fb3c146", QS_MEMBER_VOTER);
	etcddb_check_member(v, 3, "etcd3", "http://10.0.1.3:2380",
	    "fd422379fda50e48", QS_MEMBER_VOTER);
	v = run->views.v[1];
	CHECK_STR(v->source, "etcd backend removed members");
	CHECK_INT(v->members.n, 1);
	etcddb_check_member(v, 0, NULL, NULL, "a1b2c3d4e5f60718",
	    QS_MEMBER_REAPED);

	/* name and peer host:port per member id. */
	CHECK_INT(run->identities.n, 7);
	id = run->identities.v[0];
	CHECK_INT(id->kind, QS_ID_ADDRESS);
	CHECK_STR(id->value, "10.0.1.4:2380");
	CHECK_STR(id->role, "peer");
	CHECK_STR(id->subject, "2f0e1d4c3b2a1908");
	id = run->identities.v[1];
	CHECK_INT(id->kind, QS_ID_NAME);
	CHECK_STR(id->value, "etcd1");
	CHECK_STR(id->subject, "8e9e05c52164694d");
	qs_run_free(run);
	free(data);
}

/* The member id digits are read exactly and checked against the key. */
DEFINE_TEST(test_parse_etcd_db_id_mismatch)
{
	struct qs_run	*run;
	unsigned char	*data, *p;
	size_t		 len;

	data = qs_test_read_gz("testdata/bolt/etcd.db.gz", &len);
	if (data == NULL)
		return;
	/* 0x8e9e05c52164694d = 10276657743932975437: change its last digit. */
	p = memmem(data, len, "10276657743932975437", 20);
	CHECK(p != NULL);
	if (p == NULL)
		return;
	p[19] = '8';
	run = qs_test_parse("etcd.db", ETCDDB_PATH, (const char *)data, len);
	CHECK(qs_test_has_diag(run, "key 8e9e05c52164694d holds member id "
	    "8e9e05c52164694e"));
	qs_run_free(run);
	free(data);
}

DEFINE_TEST(test_parse_etcd_db_damaged)
{
	struct qs_run	*run;
	struct qs_bolt	 db;
	unsigned char	*data;
	size_t		 len, cut;

	data = qs_test_read_gz("testdata/bolt/etcd.db.gz", &len);
	if (data == NULL)
		return;
	CHECK_INT(qs_bolt_open(&db, data, len, NULL, NULL), 0);
	for (cut = 1; cut < len; cut += 1021) {
		run = qs_test_parse("etcd.db", ETCDDB_PATH, (const char *)data,
		    cut);
		if (cut < db.hwm * db.page_size)
			CHECK(run->diags.n > 0);
		qs_run_free(run);
	}
	/* Not JSON in a member value. */
	{
		unsigned char	*p = memmem(data, len, "{\"id\":", 6);

		CHECK(p != NULL);
		if (p != NULL)
			*p = '<';
		run = qs_test_parse("etcd.db", ETCDDB_PATH, (const char *)data,
		    len);
		CHECK(qs_test_has_diag(run, "value is not JSON"));
		CHECK_INT(((struct qs_artifact *)run->artifacts.v[0])->status,
		    QS_STATUS_PARTIAL);
		qs_run_free(run);
	}
	free(data);
}

/* Real etcd 3.4 backends: a removed member and an unstarted one. */
DEFINE_TEST(test_parse_etcd_db_real_bundle)
{
	struct qs_run		*run;
	char			*data;
	size_t			 len, i, found = 0;

	data = qs_test_read_file("testdata/bundles/etcd-member-changes.tar.gz",
	    &len);
	if (data == NULL)
		return;
	run = qs_test_read("etcd-member-changes.tar.gz", (unsigned char *)data,
	    len);
	for (i = 0; i < run->views.n; i++) {
		const struct qs_view	*v = run->views.v[i];

		if (strstr(v->ev.artifact->member, "etcd1/") == NULL)
			continue;
		if (strcmp(v->source, "etcd backend members") == 0) {
			CHECK_INT(v->members.n, 4);
			CHECK_INT(v->clock.index, 42);
			etcddb_check_member(v, 2, NULL,
			    "http://127.0.0.35:23865", "5cf031bdbb155b4b",
			    QS_MEMBER_VOTER);
			found++;
		} else if (strcmp(v->source, "etcd backend removed members") ==
		    0) {
			CHECK_INT(v->members.n, 1);
			etcddb_check_member(v, 0, NULL, NULL,
			    "f0571bfc918b88ca", QS_MEMBER_REAPED);
			found++;
		}
	}
	CHECK_INT(found, 2);
	qs_run_free(run);
	free(data);
}

/*
 * The key bucket of a real backend (etcd-restore-all's old data dir on
 * pay-1: 25 revisions, /pay/orders/001..020 then /pay/refunds/001..005):
 * the highest revision and the latest writes, oldest first.
 */
DEFINE_TEST(test_parse_etcd_db_keys)
{
	struct qs_run	*run;
	char		*data;
	const char	*first = NULL, *last = NULL, *rev = NULL;
	size_t		 len, i, writes = 0;

	data = qs_test_read_file("testdata/bundles/etcd-restore-all.tar.gz",
	    &len);
	if (data == NULL)
		return;
	run = qs_test_read("etcd-restore-all.tar.gz", (unsigned char *)data,
	    len);
	for (i = 0; i < run->settings.n; i++) {
		const struct qs_setting	*s = run->settings.v[i];

		if (strstr(s->ev.artifact->member,
		    "pay-1/var/lib/etcd/data.pre-restore/member/snap/db") ==
		    NULL)
			continue;
		if (strcmp(s->key, "etcd.db.revision") == 0)
			rev = s->value;
		else if (strcmp(s->key, "etcd.db.write") == 0) {
			if (first == NULL)
				first = s->value;
			last = s->value;
			writes++;
		}
	}
	CHECK_STR(rev, "26");
	CHECK_INT(writes, 25);
	CHECK_STR(first, "2 /pay/orders/001");
	CHECK_STR(last, "26 /pay/refunds/005");
	qs_run_free(run);
	free(data);
}
