/*
 * QS_SIG_DATA_DAMAGE from our own decoders: empty and cut files, a
 * partial last transaction, and the copies etcd's own repair leaves
 * (*.wal.broken from wal/repair.go, *.snap.broken from
 * etcdserver/api/snap/snapshotter.go).  CRC and Adler-32 failures are
 * asserted next to the other damage cases of each parser's tests.
 */
#include "config.h"

#include "test.h"

static const struct qs_signal *
damage_t(const struct qs_run *run)
{
	return qs_test_signal(run, QS_SIG_DATA_DAMAGE, NULL);
}

DEFINE_TEST(test_data_damage_zk_files)
{
	static const unsigned char partial[] = {
		'Z', 'K', 'L', 'G', 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0,
		0, 0, 0, 0, 0x12, 0x34, 0x56, 0x78,	/* checksum */
		0, 0, 0, 100,				/* length */
		1, 2, 3, 4, 5, 6, 7, 8, 9, 10		/* 10 of its 100 */
	};
	struct qs_run		*run;
	const struct qs_signal	*s;

	/* A log created and never written. */
	run = qs_test_parse("zk.txnlog", "zk1/version-2/log.200000001", "", 0);
	s = damage_t(run);
	CHECK(s != NULL && !s->ev.has_offset &&
	    strcmp(s->detail, "ZooKeeper txn log: empty file") == 0);
	qs_run_free(run);

	/* The last transaction cut: ZooKeeper's "partial" shape. */
	run = qs_test_parse("zk.txnlog", "zk1/version-2/log.200000001",
	    (const char *)partial, sizeof(partial));
	s = damage_t(run);
	CHECK(s != NULL && s->ev.has_offset && s->ev.offset == 16 &&
	    strstr(s->detail, "last transaction was partial") != NULL &&
	    s->clock.set == 0);
	CHECK_INT(run->signals.n, 1);
	qs_run_free(run);

	/* An empty newest snapshot, dated by its name. */
	run = qs_test_parse("zk.snapshot", "zk1/version-2/snapshot.300000007",
	    "", 0);
	s = damage_t(run);
	CHECK(s != NULL && s->clock.zxid == 0x300000007ULL &&
	    s->clock.term == 3 &&
	    strcmp(s->detail, "ZooKeeper snapshot: empty file") == 0);
	qs_run_free(run);
}

DEFINE_TEST(test_data_damage_etcd_repair_copies)
{
	struct qs_run		*run;
	const struct qs_signal	*s;

	/* A *.wal.broken is damage whatever it holds now. */
	run = qs_test_parse("etcd.wal",
	    "n1/member/wal/0000000000000001-0000000000000010.wal.broken", "",
	    0);
	s = damage_t(run);
	CHECK(s != NULL && strstr(s->detail, "repair") != NULL &&
	    strstr(s->detail, ".wal.broken") != NULL);
	CHECK_INT(run->signals.n, 1);
	qs_run_free(run);
	/* The same empty file as a live segment is no damage. */
	run = qs_test_parse("etcd.wal",
	    "n1/member/wal/0000000000000001-0000000000000010.wal", "", 0);
	CHECK(damage_t(run) == NULL);
	qs_run_free(run);

	run = qs_test_parse("etcd.snap",
	    "n1/member/snap/0000000000000003-0000000000000064.snap.broken",
	    "junk", 4);
	CHECK_INT(qs_test_nsignals(run, QS_SIG_DATA_DAMAGE), 2);
	s = damage_t(run);
	CHECK(s != NULL && s->clock.term == 3 && s->clock.index == 100 &&
	    strstr(s->detail, "renamed .broken by etcd") != NULL);
	qs_run_free(run);
}
