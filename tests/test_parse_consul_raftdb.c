/*
 * parse-consul-raftdb.c: the raft.db fixture written by raft-boltdb
 * (testdata/bolt/raft.db.gz: every entry kind the parser reads), damaged
 * and truncated copies, and the real Consul bundles' raft.db files.
 */
#include "config.h"

#include <stdlib.h>

#include "test.h"

#define RAFTDB_PATH	"node1/consul/data/raft/raft.db"

static const struct qs_setting *
raftdb_setting(const struct qs_run *run, const char *key)
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
raftdb_value(const struct qs_run *run, const char *key)
{
	const struct qs_setting	*s = raftdb_setting(run, key);

	return s != NULL ? s->value : "(none)";
}

static void
raftdb_check_event(const struct qs_run *run, size_t i, enum qs_event_kind k,
    const char *subject, uint64_t term, uint64_t index, const char *detail)
{
	const struct qs_event	*e;

	CHECK(i < run->events.n);
	if (i >= run->events.n)
		return;
	e = run->events.v[i];
	CHECK_STR(qs_event_kind_name(e->kind), qs_event_kind_name(k));
	if (subject == NULL)
		CHECK(e->subject == NULL);
	else
		CHECK_STR(e->subject, subject);
	CHECK_INT(e->clock.set, QS_CLOCK_TERM | QS_CLOCK_INDEX);
	CHECK_INT(e->clock.term, term);
	CHECK_INT(e->clock.index, index);
	CHECK_STR(e->detail, detail);
	CHECK(e->ev.has_offset);
	CHECK(e->system == QS_SYS_CONSUL);
}

static void
raftdb_check_member(const struct qs_view *v, size_t i, const char *addr,
    const char *id, enum qs_member_state st)
{
	const struct qs_member	*m;

	CHECK(i < v->members.n);
	if (i >= v->members.n)
		return;
	m = v->members.v[i];
	CHECK(m->name == NULL);
	CHECK_STR(m->address, addr);
	if (id == NULL)
		CHECK(m->id == NULL);
	else
		CHECK_STR(m->id, id);
	CHECK_INT(m->state, st);
}

DEFINE_TEST(test_parse_consul_raftdb_fixture)
{
	struct qs_run		*run;
	unsigned char		*data;
	size_t			 len;
	const struct qs_view	*v;
	const struct qs_event	*e;
	const struct qs_identity *id;
	int64_t			 at1, at2;

	data = qs_test_read_gz("testdata/bolt/raft.db.gz", &len);
	CHECK(data != NULL);
	if (data == NULL)
		return;
	run = qs_test_parse("consul.raft_db", RAFTDB_PATH, (const char *)data,
	    len);
	CHECK_INT(((struct qs_artifact *)run->artifacts.v[0])->status,
	    QS_STATUS_PARSED);
	CHECK_INT(run->diags.n, 0);

	/* conf bucket and log bounds. */
	CHECK_INT(run->settings.n, 6);
	CHECK_STR(raftdb_value(run, "raft.current_term"), "4");
	CHECK_STR(raftdb_value(run, "raft.last_vote_term"), "4");
	CHECK_STR(raftdb_value(run, "raft.last_vote_candidate"),
	    "10.0.0.2:8300");
	CHECK_STR(raftdb_value(run, "raft.first_index"), "1");
	CHECK_STR(raftdb_value(run, "raft.last_index"), "13");
	CHECK_STR(raftdb_value(run, "raft.last_term"), "4");
	CHECK(raftdb_setting(run, "raft.current_term")->ev.has_offset);

	/* Events in log order. */
	CHECK_INT(run->events.n, 10);
	raftdb_check_event(run, 0, QS_EV_TERM_CHANGE, NULL, 1, 1,
	    "first index 1");
	raftdb_check_event(run, 1, QS_EV_TERM_CHANGE, NULL, 2, 2,
	    "first index 2");
	raftdb_check_event(run, 2, QS_EV_FAIL, "node3", 2, 4,
	    "serfHealth critical (catalog)");
	raftdb_check_event(run, 3, QS_EV_TERM_CHANGE, NULL, 3, 5,
	    "first index 5");
	raftdb_check_event(run, 4, QS_EV_MEMBER_ADD, "10.0.0.4:8300", 3, 6,
	    "nonvoter id 10.0.0.4:8300");
	raftdb_check_event(run, 5, QS_EV_MEMBER_REMOVE, "10.0.0.3:8300", 3, 6,
	    "voter");
	raftdb_check_event(run, 6, QS_EV_REAP, "node3", 3, 7, "deregistered");
	/* The chunked Register (0x80 flag) completes at its last chunk. */
	raftdb_check_event(run, 7, QS_EV_FAIL, "node5", 3, 10,
	    "serfHealth critical (catalog)");
	raftdb_check_event(run, 8, QS_EV_TERM_CHANGE, NULL, 4, 12,
	    "first index 12");
	raftdb_check_event(run, 9, QS_EV_UPDATE, "10.0.0.4:8300", 4, 13,
	    "suffrage nonvoter -> voter");
	/* AppendedAt (Go binary time) where written. */
	at1 = strtoll("1795324199123", NULL, 10);
	at2 = at1 + 1000;
	e = run->events.v[8];
	CHECK(e->time.set);
	CHECK_INT(e->time.ms, at1);
	e = run->events.v[0];
	CHECK(!e->time.set);

	/* One view per membership entry, legacy and modern. */
	CHECK_INT(run->views.n, 4);
	v = run->views.v[0];
	CHECK_STR(v->source, "raft configuration (raft.db)");
	CHECK_INT(v->kind, QS_VIEW_CONSENSUS);
	CHECK_INT(v->clock.term, 1);
	CHECK_INT(v->clock.index, 1);
	CHECK_INT(v->members.n, 3);
	raftdb_check_member(v, 0, "10.0.0.1:8300", NULL, QS_MEMBER_VOTER);
	raftdb_check_member(v, 2, "10.0.0.3:8300", NULL, QS_MEMBER_VOTER);
	CHECK_STR(v->ev.excerpt, "log index 1 term 1 LogRemovePeer, 3 servers");
	v = run->views.v[1];
	CHECK_INT(v->clock.index, 3);
	raftdb_check_member(v, 1, "10.0.0.2:8300", "10.0.0.2:8300",
	    QS_MEMBER_VOTER);
	v = run->views.v[2];
	CHECK_INT(v->clock.index, 6);
	CHECK_INT(v->members.n, 3);
	raftdb_check_member(v, 2, "10.0.0.4:8300", "10.0.0.4:8300",
	    QS_MEMBER_NONVOTER);
	v = run->views.v[3];
	CHECK_INT(v->clock.term, 4);
	CHECK_INT(v->clock.index, 13);
	CHECK(v->time.set);
	CHECK_INT(v->time.ms, at2);
	raftdb_check_member(v, 2, "10.0.0.4:8300", "10.0.0.4:8300",
	    QS_MEMBER_VOTER);

	/* Catalog identities, once per node. */
	CHECK_INT(run->identities.n, 4);
	id = run->identities.v[0];
	CHECK_INT(id->kind, QS_ID_ADDRESS);
	CHECK_STR(id->value, "10.0.0.3");
	CHECK_STR(id->subject, "node3");
	CHECK_STR(id->role, "catalog");
	id = run->identities.v[1];
	CHECK_INT(id->kind, QS_ID_NODE_ID);
	CHECK_STR(id->value, "0b5f3e6c-1111-2222-3333-444455556666");
	id = run->identities.v[3];
	CHECK_STR(id->value, "55555555-0000-0000-0000-000000000005");
	CHECK_STR(id->subject, "node5");
	qs_run_free(run);
	free(data);
}

/* A copy with one log value's map header broken. */
DEFINE_TEST(test_parse_consul_raftdb_bad_entry)
{
	struct qs_run	*run;
	unsigned char	*data, *p;
	size_t		 len;

	data = qs_test_read_gz("testdata/bolt/raft.db.gz", &len);
	if (data == NULL)
		return;
	p = memmem(data, len, "\xa4" "Data", 5);
	CHECK(p != NULL && p > data);
	if (p == NULL)
		return;
	p[-1] = 0xc1;
	run = qs_test_parse("consul.raft_db", RAFTDB_PATH, (const char *)data,
	    len);
	CHECK_INT(((struct qs_artifact *)run->artifacts.v[0])->status,
	    QS_STATUS_PARTIAL);
	CHECK(qs_test_has_diag(run, "not a msgpack raft.Log"));
	/* The rest is still read. */
	CHECK_STR(raftdb_value(run, "raft.last_index"), "13");
	CHECK(run->events.n >= 8);
	qs_run_free(run);
	free(data);
}

DEFINE_TEST(test_parse_consul_raftdb_truncated)
{
	struct qs_run	*run;
	struct qs_bolt	 db;
	unsigned char	*data;
	size_t		 len, cut;

	data = qs_test_read_gz("testdata/bolt/raft.db.gz", &len);
	if (data == NULL)
		return;
	CHECK_INT(qs_bolt_open(&db, data, len, NULL, NULL), 0);
	/*
	 * Cuts every kilobyte: never a crash, and a diagnostic whenever
	 * the cut falls before the high-water mark (bolt preallocates, so
	 * the file has unused pages after it).
	 */
	for (cut = 1; cut < len; cut += 1021) {
		run = qs_test_parse("consul.raft_db", RAFTDB_PATH,
		    (const char *)data, cut);
		if (cut < db.hwm * db.page_size)
			CHECK(run->diags.n > 0);
		qs_run_free(run);
	}
	/* Cut after the metas: damage diagnostics, artifact partial. */
	run = qs_test_parse("consul.raft_db", RAFTDB_PATH, (const char *)data,
	    3 * 4096);
	CHECK_INT(((struct qs_artifact *)run->artifacts.v[0])->status,
	    QS_STATUS_PARTIAL);
	CHECK(qs_test_has_diag(run, "truncated"));
	qs_run_free(run);
	/* Not BoltDB at all. */
	run = qs_test_parse("consul.raft_db", RAFTDB_PATH, "not a database", 0);
	CHECK_INT(((struct qs_artifact *)run->artifacts.v[0])->status,
	    QS_STATUS_FAILED);
	CHECK(qs_test_has_diag(run, "no valid BoltDB meta page"));
	qs_run_free(run);
	free(data);
}

/* An etcd backend handed to this parser: no conf, no logs; said so. */
DEFINE_TEST(test_parse_consul_raftdb_wrong_buckets)
{
	struct qs_run	*run;
	unsigned char	*data;
	size_t		 len;

	data = qs_test_read_gz("testdata/bolt/etcd.db.gz", &len);
	if (data == NULL)
		return;
	run = qs_test_parse("consul.raft_db", RAFTDB_PATH, (const char *)data,
	    len);
	CHECK(qs_test_has_diag(run, "no conf bucket"));
	CHECK(qs_test_has_diag(run, "no logs bucket"));
	CHECK_INT(run->events.n, 0);
	CHECK_INT(run->settings.n, 0);
	qs_run_free(run);
	free(data);
}

/* Real raft.db files from the Consul fixture bundles (raft 1.1.2). */
DEFINE_TEST(test_parse_consul_raftdb_real_bundles)
{
	struct qs_run	*run;
	char		*data;
	size_t		 len, i, removes = 0, reaps = 0, fails = 0;

	data = qs_test_read_file(
	    "testdata/bundles/consul-parallel-restart.tar.gz", &len);
	if (data == NULL)
		return;		/* fixtures not generated here */
	run = qs_test_read("consul-parallel-restart.tar.gz",
	    (unsigned char *)data, len);
	for (i = 0; i < run->events.n; i++) {
		const struct qs_event	*e = run->events.v[i];

		if (strstr(e->ev.artifact->member, "node1/consul/data/raft/"
		    "raft.db") == NULL)
			continue;
		if (e->kind == QS_EV_MEMBER_REMOVE)
			removes++;
		if (e->kind == QS_EV_REAP)
			reaps++;
	}
	/* Protocol 2: bootstrap and removals are type 3 full sets. */
	CHECK_INT(removes, 2);
	CHECK_INT(reaps, 2);
	for (i = 0; i < run->diags.n; i++) {
		const struct qs_diag	*d = run->diags.v[i];

		CHECK(d->path == NULL || strstr(d->path, "raft.db") == NULL);
	}
	qs_run_free(run);
	free(data);

	data = qs_test_read_file("testdata/bundles/consul-slow-leader.tar.gz",
	    &len);
	if (data == NULL)
		return;
	run = qs_test_read("consul-slow-leader.tar.gz", (unsigned char *)data,
	    len);
	for (i = 0; i < run->events.n; i++) {
		const struct qs_event	*e = run->events.v[i];

		if (e->kind == QS_EV_FAIL && e->subject != NULL &&
		    strcmp(e->subject, "consul1") == 0 &&
		    strstr(e->ev.artifact->member, "raft.db") != NULL)
			fails++;
	}
	CHECK_INT(fails, 3);	/* replicated to all three servers */
	qs_run_free(run);
	free(data);
}
