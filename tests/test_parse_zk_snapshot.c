/* parse-zk-snapshot.c: snapshots, built byte by byte. */
#include "config.h"

#include "test_zk.h"

#define SNAP_PATH	\
	"binder1/zookeeper/zookeeper/version-2/snapshot.100000018"

static void
snap_node(struct zk_t_buf *b, const char *path, const char *data,
    int64_t acl, uint64_t czxid, uint64_t mzxid, int64_t owner,
    uint64_t pzxid)
{
	zk_t_str(b, path);
	zk_t_str(b, data);
	zk_t_i64(b, acl);
	zk_t_i64(b, (int64_t)czxid);
	zk_t_i64(b, (int64_t)mzxid);
	zk_t_i64(b, INT64_C(1795328121126));	/* ctime */
	zk_t_i64(b, INT64_C(1795328121126));	/* mtime */
	zk_t_i32(b, 0);				/* version */
	zk_t_i32(b, 0);				/* cversion */
	zk_t_i32(b, 0);				/* aversion */
	zk_t_i64(b, owner);
	zk_t_i64(b, (int64_t)pzxid);
}

static void
snap_seal(struct zk_t_buf *b)
{
	zk_t_i64(b, (int64_t)qs_adler32(1, b->p, b->len));
	zk_t_str(b, "/");
}

struct snap_offsets {
	size_t	com;		/* the /com node */
	size_t	seal;
	size_t	end;		/* after the seal */
};

/*
 * A 3.8-shaped snapshot: two sessions, one cached ACL, the root, system
 * nodes, two ephemerals of one session, a container, a TTL node, the
 * seal and, when asked, the trailers.
 */
static void
snap_build(struct zk_t_buf *b, struct snap_offsets *o, int digest,
    int last)
{
	zk_t_put(b, "ZKSN", 4);
	zk_t_i32(b, 2);
	zk_t_i64(b, -1);
	zk_t_i32(b, 2);
	zk_t_i64(b, INT64_C(0x1000025133c0001));
	zk_t_i32(b, 30000);
	zk_t_i64(b, INT64_C(0x300000000000001));
	zk_t_i32(b, 40000);
	zk_t_i32(b, 1);				/* ACL cache */
	zk_t_i64(b, 1);
	zk_t_i32(b, 1);
	zk_t_i32(b, 31);
	zk_t_str(b, "world");
	zk_t_str(b, "anyone");
	snap_node(b, "", NULL, -1, 0, 0, 0, UINT64_C(0x100000005));
	snap_node(b, "/zookeeper", "", -1, 0, 0, 0, 0);
	o->com = b->len;
	snap_node(b, "/com", "x", 1, UINT64_C(0x100000002),
	    UINT64_C(0x100000003), 0, UINT64_C(0x100000004));
	snap_node(b, "/com/eph1", "{}", 1, UINT64_C(0x100000006),
	    UINT64_C(0x100000006), INT64_C(0x1000025133c0001), 0);
	snap_node(b, "/com/eph2", "{}", 1, UINT64_C(0x100000005),
	    UINT64_C(0x100000005), INT64_C(0x1000025133c0001), 0);
	snap_node(b, "/c", NULL, 1, 1, 1, INT64_MIN, 0);
	snap_node(b, "/t", NULL, 1, 1, 1, (int64_t)UINT64_C(0xff00000000000010),
	    0);
	zk_t_str(b, "/");
	o->seal = b->len;
	snap_seal(b);
	o->end = b->len;
	if (digest) {
		zk_t_i64(b, INT64_C(0x100000018));
		zk_t_i32(b, 2);
		zk_t_i64(b, INT64_C(0x7678a43bc));
		snap_seal(b);
	}
	if (last) {
		zk_t_i64(b, INT64_C(0x100000019));
		snap_seal(b);
	}
}

static enum qs_status
status_of(const struct qs_run *run)
{
	return ((const struct qs_artifact *)run->artifacts.v[0])->status;
}

DEFINE_TEST(test_parse_zk_snapshot_full)
{
	struct zk_t_buf		 b = { NULL, 0, 0 };
	struct snap_offsets	 o;
	struct qs_run		*run;

	snap_build(&b, &o, 1, 0);
	run = qs_test_parse("zk.snapshot", SNAP_PATH, (const char *)b.p,
	    b.len);
	CHECK_INT(status_of(run), QS_STATUS_PARSED);
	CHECK_INT(run->diags.n, 0);
	CHECK_STR(zk_t_setting(run, NULL, "zk.snapshot.zxid"), "0x100000018");
	CHECK_STR(zk_t_setting(run, NULL, "zk.snapshot.sessions"), "2");
	CHECK_STR(zk_t_setting(run, NULL, "zk.snapshot.session_ids"),
	    "0x1000025133c0001,0x300000000000001");
	CHECK_STR(zk_t_setting(run, NULL, "zk.snapshot.znodes"), "7");
	CHECK_STR(zk_t_setting(run, NULL, "zk.snapshot.ephemerals"), "2");
	CHECK_STR(zk_t_setting(run, NULL, "zk.snapshot.ephemeral_owners"),
	    "0x1000025133c0001");
	CHECK_STR(zk_t_setting(run, NULL, "zk.snapshot.max_zxid"),
	    "0x100000006");
	CHECK_STR(zk_t_setting(run, NULL, "zk.snapshot.digest_zxid"),
	    "0x100000018");
	CHECK(zk_t_setting(run, NULL, "zk.snapshot.last_processed_zxid") ==
	    NULL);
	CHECK_INT(run->settings.n, 8);
	CHECK_INT(run->events.n + run->views.n + run->identities.n, 0);
	qs_run_free(run);
	free(b.p);
}

DEFINE_TEST(test_parse_zk_snapshot_trailers)
{
	struct zk_t_buf		 b = { NULL, 0, 0 };
	struct snap_offsets	 o;
	struct qs_run		*run;

	/* Older files: nothing after the seal. */
	snap_build(&b, &o, 0, 0);
	run = qs_test_parse("zk.snapshot", SNAP_PATH, (const char *)b.p,
	    b.len);
	CHECK_INT(run->diags.n, 0);
	CHECK(zk_t_setting(run, NULL, "zk.snapshot.digest_zxid") == NULL);
	qs_run_free(run);
	free(b.p);

	/* 3.9: digest and lastProcessedZxid. */
	memset(&b, 0, sizeof(b));
	snap_build(&b, &o, 1, 1);
	run = qs_test_parse("zk.snapshot", SNAP_PATH, (const char *)b.p,
	    b.len);
	CHECK_INT(run->diags.n, 0);
	CHECK_STR(zk_t_setting(run, NULL, "zk.snapshot.digest_zxid"),
	    "0x100000018");
	CHECK_STR(zk_t_setting(run, NULL, "zk.snapshot.last_processed_zxid"),
	    "0x100000019");
	qs_run_free(run);

	/* A trailer seal that does not match. */
	b.p[b.len - 6] ^= 1;
	run = qs_test_parse("zk.snapshot", SNAP_PATH, (const char *)b.p,
	    b.len);
	CHECK(qs_test_has_diag(run, "lastProcessedZxid trailer seal does not "
	    "match"));
	CHECK_INT(status_of(run), QS_STATUS_PARTIAL);
	qs_run_free(run);

	/* Bytes in no known shape. */
	b.len = o.end;
	zk_t_put(&b, "junk", 4);
	run = qs_test_parse("zk.snapshot", SNAP_PATH, (const char *)b.p,
	    b.len);
	CHECK(qs_test_has_diag(run, "4 bytes after the seal in no known "
	    "trailer shape"));
	qs_run_free(run);
	free(b.p);
}

/* A flipped byte anywhere before the seal breaks the Adler-32. */
DEFINE_TEST(test_parse_zk_snapshot_flipped_byte)
{
	struct zk_t_buf		 b = { NULL, 0, 0 };
	struct snap_offsets	 o;
	struct qs_run		*run;
	char			 want[128];

	snap_build(&b, &o, 1, 0);
	b.p[o.com + 4 + 4 + 4] ^= 0x01;		/* /com's data "x" */
	run = qs_test_parse("zk.snapshot", SNAP_PATH, (const char *)b.p,
	    b.len);
	CHECK_INT(status_of(run), QS_STATUS_PARTIAL);
	snprintf(want, sizeof(want), "offset %zu (0x%zx): snapshot checksum "
	    "mismatch", o.seal, o.seal);
	CHECK(qs_test_has_diag(run, want));
	snprintf(want, sizeof(want), "%zu", o.seal);
	CHECK_STR(zk_t_setting(run, NULL, "zk.snapshot.corrupt_offset"), want);
	CHECK(qs_test_signal(run, QS_SIG_DATA_DAMAGE, NULL) != NULL &&
	    qs_test_signal(run, QS_SIG_DATA_DAMAGE, NULL)->ev.offset == o.seal);
	/* The tree itself was readable. */
	CHECK_STR(zk_t_setting(run, NULL, "zk.snapshot.znodes"), "7");
	CHECK(zk_t_setting(run, NULL, "zk.snapshot.digest_zxid") == NULL);
	qs_run_free(run);
	free(b.p);
}

DEFINE_TEST(test_parse_zk_snapshot_truncated)
{
	struct zk_t_buf		 b = { NULL, 0, 0 };
	struct snap_offsets	 o;
	struct qs_run		*run;
	char			 want[128];
	size_t			 cut;

	snap_build(&b, &o, 1, 0);
	/* Every cut point: never a crash, always a diagnostic. */
	for (cut = 0; cut < o.end; cut++) {
		run = qs_test_parse("zk.snapshot", SNAP_PATH,
		    (const char *)b.p, cut == 0 ? 1 : cut);
		if (run->diags.n == 0)
			qs_test_fail(__FILE__, __LINE__, "cut at %zu: no "
			    "diagnostic", cut);
		qs_run_free(run);
	}
	run = qs_test_parse("zk.snapshot", SNAP_PATH, (const char *)b.p,
	    o.com + 12);
	snprintf(want, sizeof(want), "offset %zu (0x%zx): node 3: data of 1 "
	    "bytes cut short", o.com, o.com);
	CHECK(qs_test_has_diag(run, want));
	CHECK_STR(zk_t_setting(run, NULL, "zk.snapshot.sessions"), "2");
	CHECK(zk_t_setting(run, NULL, "zk.snapshot.znodes") == NULL);
	qs_run_free(run);
	run = qs_test_parse("zk.snapshot", SNAP_PATH, (const char *)b.p,
	    o.seal);
	CHECK(qs_test_has_diag(run, "ends before the seal"));
	qs_run_free(run);
	run = qs_test_parse("zk.snapshot", SNAP_PATH, (const char *)b.p, 20);
	CHECK(qs_test_has_diag(run, "offset 20 (0x14): session 1 of 2 cut "
	    "short"));
	qs_run_free(run);
	free(b.p);
}

DEFINE_TEST(test_parse_zk_snapshot_bad)
{
	struct zk_t_buf		 b = { NULL, 0, 0 };
	struct qs_run		*run;

	run = qs_test_parse("zk.snapshot", SNAP_PATH, "ZKLG\0\0\0\2\0\0\0\0"
	    "\0\0\0\0", 16);
	CHECK_INT(status_of(run), QS_STATUS_FAILED);
	CHECK(qs_test_has_diag(run, "bad magic 0x5a4b4c47"));
	/* The name's zxid is known whatever the content. */
	CHECK_STR(zk_t_setting(run, NULL, "zk.snapshot.zxid"), "0x100000018");
	qs_run_free(run);

	run = qs_test_parse("zk.snapshot", "n/snapshot.1a2b", "ZKSN", 4);
	CHECK_INT(status_of(run), QS_STATUS_FAILED);
	CHECK(qs_test_has_diag(run, "file header cut short: 4 of 16"));
	CHECK_STR(zk_t_setting(run, NULL, "zk.snapshot.zxid"), "0x1a2b");
	qs_run_free(run);

	/* A snappy stream, still compressed: unsupported, not broken. */
	run = qs_test_parse("zk.snapshot", "n/version-2/snapshot.200000000."
	    "snappy", "\x82SNAPPY\0\0\0\0\1\0\0\0\1xxxx", 20);
	CHECK_INT(status_of(run), QS_STATUS_UNSUPPORTED);
	CHECK(qs_test_has_diag(run, "snapshot compressed with snappy: not "
	    "supported"));
	CHECK_STR(zk_t_setting(run, NULL, "zk.snapshot.zxid"), "0x200000000");
	qs_run_free(run);

	/* A name without a zxid is only noted. */
	zk_t_put(&b, "ZKSN", 4);
	zk_t_i32(&b, 2);
	zk_t_i64(&b, -1);
	zk_t_i32(&b, -5);
	run = qs_test_parse("zk.snapshot", "n/snapshot.xyz", (const char *)b.p,
	    b.len);
	CHECK(qs_test_has_diag(run, "the file name carries no zxid"));
	CHECK(qs_test_has_diag(run, "offset 16 (0x10): impossible session "
	    "count -5"));
	CHECK(zk_t_setting(run, NULL, "zk.snapshot.zxid") == NULL);
	qs_run_free(run);

	/* A forged huge session count ends at the end of the data. */
	b.len = 16;
	zk_t_i32(&b, 1 << 27);
	zk_t_zeros(&b, 24);
	run = qs_test_parse("zk.snapshot", SNAP_PATH, (const char *)b.p,
	    b.len);
	CHECK(qs_test_has_diag(run, "session 3 of 134217728 cut short"));
	qs_run_free(run);
	free(b.p);
}
