/*
 * parse-etcd-snap.c: etcd .snap files to the model.  A real snapshot
 * from etcd 3.4.23 (tests/data/etcd), hand-made ones for learners, joint
 * configurations and odd stores, and damaged copies.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "test_etcd.h"

#define SNAP	"n1/var/lib/etcd/member/snap/0000000000000002-000000000000002a.snap"

struct msg {
	unsigned char	*b;
	size_t		 n;
};

static void	msg_raw_varint(struct msg *, uint64_t);
static void	msg_varint(struct msg *, uint32_t, uint64_t);
static void	msg_bytes(struct msg *, uint32_t, const void *, size_t);
static unsigned char *snap_build(const char *, const struct msg *, uint64_t,
		    uint64_t, size_t *);
static struct qs_run *snap_parse(const void *, size_t);

static void
msg_raw_varint(struct msg *m, uint64_t v)
{
	while (v >= 0x80) {
		m->b[m->n++] = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	m->b[m->n++] = (unsigned char)v;
}

static void
msg_varint(struct msg *m, uint32_t field, uint64_t v)
{
	msg_raw_varint(m, (uint64_t)field << 3);
	msg_raw_varint(m, v);
}

static void
msg_bytes(struct msg *m, uint32_t field, const void *p, size_t len)
{
	msg_raw_varint(m, (uint64_t)field << 3 | 2);
	msg_raw_varint(m, len);
	memcpy(m->b + m->n, p, len);
	m->n += len;
}

/*
 * snappb {crc, raftpb.Snapshot {data = store, metadata {conf_state,
 * index, term}}}, as etcd's snapshotter writes it.  Returns a heap buffer.
 */
static unsigned char *
snap_build(const char *store, const struct msg *cs, uint64_t index,
    uint64_t term, size_t *len)
{
	size_t		 cap = strlen(store) + 4096;
	struct msg	 md = { qs_xmalloc(cap), 0 }, sn = { qs_xmalloc(cap), 0 },
			 out = { qs_xmalloc(cap), 0 };

	if (cs != NULL)
		msg_bytes(&md, 1, cs->b, cs->n);
	msg_varint(&md, 2, index);
	msg_varint(&md, 3, term);
	msg_bytes(&sn, 1, store, strlen(store));
	msg_bytes(&sn, 2, md.b, md.n);
	msg_varint(&out, 1, qs_crc32c(0, sn.b, sn.n));
	msg_bytes(&out, 2, sn.b, sn.n);
	free(md.b);
	free(sn.b);
	*len = out.n;
	return out.b;
}

static struct qs_run *
snap_parse(const void *data, size_t len)
{
	static const char	empty[1];

	return qs_test_parse("etcd.snap", SNAP, len != 0 ? data : empty,
	    len);
}

/* The real snapshot at index 42 of etcd1 in etcd-member-changes. */
DEFINE_TEST(test_parse_etcd_snap_real_member_changes)
{
	size_t		 len;
	char		*p = qs_test_read_file(
	    "tests/data/etcd/member-changes-etcd1-2a.snap", &len);
	struct qs_run	*run;

	CHECK(p != NULL);
	if (p == NULL)
		return;
	run = snap_parse(p, len);
	CHECK_STR(qs_test_etcd_render(run, SNAP, QS_R_ALL),
	    "view etcd snapshot ConfState t2/i42 @10494: "
	    "1cae41e2d2b97dbe/-/-/voter 420b9075c1521d54/-/-/voter "
	    "5cf031bdbb155b4b/-/-/voter de27c3620d2c823d/-/-/voter\n"
	    "view etcd v2 store membership t2/i42 @130: "
	    "1cae41e2d2b97dbe/etcd4/http://127.0.0.34:23864/voter "
	    "420b9075c1521d54/etcd1/http://127.0.0.31:23861/voter "
	    "5cf031bdbb155b4b/-/http://127.0.0.35:23865/voter "
	    "de27c3620d2c823d/etcd3/http://127.0.0.33:23863/voter\n"
	    "view etcd v2 store removed members t2/i42 @130: "
	    "f0571bfc918b88ca/-/-/reaped\n"
	    "setting etcd.snap.index=42 @10492\n"
	    "setting etcd.snap.term=2 @10492\n"
	    "setting etcd.cluster_version=3.4.0 @130\n"
	    "ident name etcd4 - 1cae41e2d2b97dbe\n"
	    "ident address http://127.0.0.34:23864 peer 1cae41e2d2b97dbe\n"
	    "ident address http://127.0.0.34:23844 client 1cae41e2d2b97dbe\n"
	    "ident name etcd1 - 420b9075c1521d54\n"
	    "ident address http://127.0.0.31:23861 peer 420b9075c1521d54\n"
	    "ident address http://127.0.0.31:23841 client 420b9075c1521d54\n"
	    "ident address http://127.0.0.35:23865 peer 5cf031bdbb155b4b\n"
	    "ident name etcd3 - de27c3620d2c823d\n"
	    "ident address http://127.0.0.33:23863 peer de27c3620d2c823d\n"
	    "ident address http://127.0.0.33:23843 client de27c3620d2c823d\n");
	CHECK_INT(((struct qs_artifact *)run->artifacts.v[0])->status,
	    QS_STATUS_PARSED);
	qs_run_free(run);

	/* One flipped byte in the store: refused whole, as etcd does. */
	p[5000] ^= 0x20;
	run = snap_parse(p, len);
	CHECK_STR(qs_test_etcd_render(run, SNAP, QS_R_ALL),
	    "setting etcd.snap.corrupt=crc mismatch @0\n"
	    "diag error CRC mismatch: stored 0xc066ab9f, computed 0x63793a92 "
	    "(etcd refuses this snapshot)\n");
	CHECK_INT(((struct qs_artifact *)run->artifacts.v[0])->status,
	    QS_STATUS_FAILED);
	qs_run_free(run);
	p[5000] ^= 0x20;

	/* Every truncation: refused, never a crash or a partial tree. */
	{
		size_t	cut;

		for (cut = 0; cut < len; cut += (cut < 64 ? 1 : 97)) {
			run = snap_parse(p, cut);
			CHECK_INT(((struct qs_artifact *)run->artifacts.v[0])->
			    status, QS_STATUS_FAILED);
			CHECK_INT(run->views.n, 0);
			qs_run_free(run);
		}
	}
	free(p);
}

/*
 * A joint configuration with learners, ids packed, a learner in the v2
 * store, a removed member, a malformed member and deep application data.
 */
DEFINE_TEST(test_parse_etcd_snap_learners_and_store)
{
	unsigned char	 csb[256], *p;
	struct msg	 cs = { csb, 0 }, packed = { qs_xmalloc(64), 0 };
	char		*store, *deep;
	size_t		 len, i;
	struct qs_run	*run;

	msg_varint(&cs, 1, 0x97b54c7a844a1cacULL);	/* voter */
	msg_raw_varint(&packed, 0x347bc5f2b176fc6bULL);	/* voters_outgoing */
	msg_raw_varint(&packed, 0x97b54c7a844a1cacULL);
	msg_bytes(&cs, 3, packed.b, packed.n);
	msg_varint(&cs, 2, 0xaae3f6307d5baa8cULL);	/* learner */
	msg_varint(&cs, 5, 0);				/* auto_leave */
	free(packed.b);
	/* 300 nested directories under /1: skipped without a tree. */
	deep = qs_xmalloc(300 * 40 + 1);
	deep[0] = '\0';
	for (i = 0; i < 300; i++)
		strcat(deep, "{\"Path\":\"/1/x\",\"Children\":{\"x\":");
	strcat(deep, "null");
	for (i = 0; i < 300; i++)
		strcat(deep, "}}");
	store = qs_xmalloc(strlen(deep) + 4096);
	snprintf(store, strlen(deep) + 4096,
	    "{\"Root\":{\"Path\":\"/\",\"Children\":{\"1\":%s,\"0\":"
	    "{\"Path\":\"/0\",\"Children\":{\"members\":{\"Path\":"
	    "\"/0/members\",\"Children\":{"
	    "\"97b54c7a844a1cac\":{\"Children\":{\"raftAttributes\":{\"Value\":"
	    "\"{\\\"peerURLs\\\":[\\\"http://10.0.0.1:2380\\\"]}\"},"
	    "\"attributes\":{\"Value\":\"{\\\"name\\\":\\\"infra1\\\","
	    "\\\"clientURLs\\\":[\\\"http://10.0.0.1:2379\\\"]}\"}}},"
	    "\"AAE3F6307D5BAA8C\":{\"Children\":{\"raftAttributes\":{\"Value\":"
	    "\"{\\\"peerURLs\\\":[\\\"http://10.0.0.3:2380\\\"],"
	    "\\\"isLearner\\\":true}\"}}},"
	    "\"zz\":{\"Children\":null},"
	    "\"0000347bc5f2b176fc6b\":{\"Children\":{\"raftAttributes\":"
	    "{\"Value\":\"not json\"}}}}},"
	    "\"removed_members\":{\"Children\":{\"1234\":{\"Value\":\"\"}}},"
	    "\"version\":{\"Value\":\"3.5.0\"}}}}},\"CurrentIndex\":9}",
	    deep);
	p = snap_build(store, &cs, 9, 3, &len);
	run = snap_parse(p, len);
	CHECK_STR(qs_test_etcd_render(run, SNAP, QS_R_VIEWS | QS_R_SETTINGS |
	    QS_R_DIAGS),
	    "view etcd snapshot ConfState t3/i9 @10550: "
	    "97b54c7a844a1cac/-/-/voter 347bc5f2b176fc6b/-/-/voter "
	    "aae3f6307d5baa8c/-/-/non-voter\n"
	    "view etcd v2 store membership t3/i9 @9957: "
	    "97b54c7a844a1cac/infra1/http://10.0.0.1:2380/voter "
	    "aae3f6307d5baa8c/-/http://10.0.0.3:2380/non-voter\n"
	    "view etcd v2 store removed members t3/i9 @9957: "
	    "1234/-/-/reaped\n"
	    "setting etcd.snap.index=9 @10548\n"
	    "setting etcd.snap.term=3 @10548\n"
	    "setting etcd.cluster_version=3.5.0 @9957\n"
	    "diag warning /0/members/zz is not a member id; skipped\n"
	    "diag warning /0/members/0000347bc5f2b176fc6b is not a member id; "
	    "skipped\n");
	qs_run_free(run);
	free(p);

	/* A store that is not v2 JSON (3.6): the ConfState alone. */
	p = snap_build("\x0a\x03xyz", &cs, 9, 3, &len);
	run = snap_parse(p, len);
	CHECK_INT(run->views.n, 1);
	CHECK(qs_test_has_diag(run, "not a v2 store"));
	CHECK_INT(((struct qs_artifact *)run->artifacts.v[0])->status,
	    QS_STATUS_PARSED);
	qs_run_free(run);
	free(p);

	/* No /0 directory. */
	p = snap_build("{\"Root\":{\"Children\":{\"1\":{}}}}", NULL, 1, 1,
	    &len);
	run = snap_parse(p, len);
	CHECK_STR(qs_test_etcd_render(run, SNAP, QS_R_ALL),
	    "setting etcd.snap.index=1 @42\n"
	    "setting etcd.snap.term=1 @42\n"
	    "diag info the v2 store has no /0 directory; no membership read "
	    "from it\n");
	qs_run_free(run);
	free(p);
	free(store);
	free(deep);
}

DEFINE_TEST(test_parse_etcd_snap_malformed)
{
	struct qs_run	*run;

	run = snap_parse("", 0);
	CHECK(qs_test_has_diag(run, "empty snapshot file"));
	/* Damage a rule can use, at the term and index of the file name. */
	{
		const struct qs_signal	*s = qs_test_signal(run,
		    QS_SIG_DATA_DAMAGE, NULL);

		CHECK(s != NULL && s->clock.term == 2 && s->clock.index == 42 &&
		    strcmp(s->detail, "etcd snapshot empty snapshot file") == 0);
	}
	CHECK_INT(((struct qs_artifact *)run->artifacts.v[0])->status,
	    QS_STATUS_FAILED);
	qs_run_free(run);

	run = snap_parse("hello, world\n", 13);
	CHECK_STR(qs_test_etcd_render(run, SNAP, QS_R_ALL),
	    "setting etcd.snap.corrupt=does not decode @0\n"
	    "diag error not a snapshot: the snappb envelope does not decode\n");
	CHECK_INT(((struct qs_artifact *)run->artifacts.v[0])->status,
	    QS_STATUS_FAILED);
	qs_run_free(run);

	/* CRC right, inner snapshot garbage. */
	{
		unsigned char	b[32];
		struct msg	m = { b, 0 };

		msg_varint(&m, 1, qs_crc32c(0, "\x0f\x0f", 2));
		msg_bytes(&m, 2, "\x0f\x0f", 2);
		run = snap_parse(b, m.n);
		CHECK(qs_test_has_diag(run, "the raft snapshot at offset "
		    "8 does not decode"));
		CHECK_INT(((struct qs_artifact *)run->artifacts.v[0])->status,
		    QS_STATUS_FAILED);
		qs_run_free(run);
	}
}
