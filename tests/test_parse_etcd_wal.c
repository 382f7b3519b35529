/*
 * parse-etcd-wal.c, wire-proto.c: etcd WAL segments to the model.  Real
 * WALs from etcd 3.4.23 (tests/data/etcd, cut after their last record),
 * hand-made ones written with the same framing for the cases real
 * clusters rarely leave behind, and damaged copies of both.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_etcd.h"

#define WAL	"n1/var/lib/etcd/member/wal/0000000000000000-0000000000000000.wal"

/* A protobuf message being written. */
struct msg {
	unsigned char	b[8192];
	size_t		n;
};

/* A WAL being written: frames and the running CRC. */
struct wal {
	unsigned char	b[65536];
	size_t		n;
	uint32_t	crc;
};

static void	msg_raw_varint(struct msg *, uint64_t);
static void	msg_varint(struct msg *, uint32_t, uint64_t);
static void	msg_bytes(struct msg *, uint32_t, const void *, size_t);
static void	wal_record(struct wal *, uint64_t, const void *, size_t);
static void	wal_start(struct wal *, uint64_t, uint64_t);
static void	wal_msg(struct wal *, uint64_t, const struct msg *);
static void	wal_entry(struct wal *, uint64_t, uint64_t, uint64_t,
		    const struct msg *);
static void	wal_cc(struct wal *, uint64_t, uint64_t, uint64_t, uint64_t,
		    const char *);
static void	wal_hs(struct wal *, uint64_t, uint64_t, uint64_t);
static struct qs_run *wal_parse(const void *, size_t);
static unsigned char *wal_fixture(const char *, size_t *);

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
 * One walpb.Record frame as etcd's encoder writes it: CRC chained over
 * the data of every record, length padded to 8 bytes with the padding
 * count in the top byte.  A crc record (type 4) stores the running value.
 */
static void
wal_record(struct wal *w, uint64_t type, const void *data, size_t len)
{
	struct msg	r = { { 0 }, 0 };
	uint64_t	lf;
	size_t		pad, i;

	if (type != 4)
		w->crc = qs_crc32c(w->crc, data, len);
	msg_varint(&r, 1, type);
	msg_varint(&r, 2, w->crc);
	if (data != NULL)
		msg_bytes(&r, 3, data, len);
	pad = (8 - r.n % 8) % 8;
	lf = r.n;
	if (pad != 0)
		lf |= (uint64_t)(0x80 | pad) << 56;
	for (i = 0; i < 8; i++)
		w->b[w->n++] = (unsigned char)(lf >> (8 * i));
	memcpy(w->b + w->n, r.b, r.n);
	w->n += r.n;
	memset(w->b + w->n, 0, pad);
	w->n += pad;
}

static void
wal_msg(struct wal *w, uint64_t type, const struct msg *m)
{
	wal_record(w, type, m->b, m->n);
}

/* crc(0), metadata, snapshot{0,0}: how etcd opens the first WAL file. */
static void
wal_start(struct wal *w, uint64_t node, uint64_t cluster)
{
	struct msg	m = { { 0 }, 0 };

	memset(w, 0, sizeof(*w));
	wal_record(w, 4, NULL, 0);
	msg_varint(&m, 1, node);
	msg_varint(&m, 2, cluster);
	wal_msg(w, 1, &m);
	m.n = 0;
	msg_varint(&m, 1, 0);
	msg_varint(&m, 2, 0);
	wal_msg(w, 5, &m);
}

static void
wal_entry(struct wal *w, uint64_t type, uint64_t term, uint64_t index,
    const struct msg *data)
{
	struct msg	e = { { 0 }, 0 };

	msg_varint(&e, 1, type);
	msg_varint(&e, 2, term);
	msg_varint(&e, 3, index);
	if (data != NULL && data->n > 0)
		msg_bytes(&e, 4, data->b, data->n);
	wal_msg(w, 2, &e);
}

/* A raftpb.ConfChange entry, gogo style: ID, Type, NodeID always. */
static void
wal_cc(struct wal *w, uint64_t term, uint64_t index, uint64_t type,
    uint64_t node, const char *context)
{
	struct msg	cc = { { 0 }, 0 };

	msg_varint(&cc, 1, 0);
	msg_varint(&cc, 2, type);
	msg_varint(&cc, 3, node);
	if (context != NULL)
		msg_bytes(&cc, 4, context, strlen(context));
	wal_entry(w, 1, term, index, &cc);
}

static void
wal_hs(struct wal *w, uint64_t term, uint64_t vote, uint64_t commit)
{
	struct msg	m = { { 0 }, 0 };

	msg_varint(&m, 1, term);
	msg_varint(&m, 2, vote);
	msg_varint(&m, 3, commit);
	wal_msg(w, 3, &m);
}

static struct qs_run *
wal_parse(const void *data, size_t len)
{
	static const char	empty[1];

	return qs_test_parse("etcd.wal", WAL, len != 0 ? data : empty,
	    len != 0 ? len : 0);
}

static unsigned char *
wal_fixture(const char *name, size_t *len)
{
	char		 rel[256];
	unsigned char	*p;

	snprintf(rel, sizeof(rel), "tests/data/etcd/%s", name);
	p = (unsigned char *)qs_test_read_file(rel, len);
	if (p == NULL)
		qs_fatal("test: cannot read %s", rel);
	return p;
}

DEFINE_TEST(test_parse_etcd_wal_crc32c)
{
	/* The check value of CRC-32C (RFC 3720 B.4 and every CRC catalogue). */
	CHECK_INT(qs_crc32c(0, "123456789", 9), 0xE3069283u);
	CHECK_INT(qs_crc32c(0, "", 0), 0);
	/* Chaining: etcd's running digest fed in pieces. */
	CHECK_INT(qs_crc32c(qs_crc32c(0, "1234", 4), "56789", 5),
	    0xE3069283u);
}

/* The CRC one bit at a time: the definition the fast ones must match. */
static uint32_t
crc32c_bitwise(uint32_t crc, const unsigned char *p, size_t len)
{
	int	k;

	crc = ~crc;
	while (len-- > 0) {
		crc ^= *p++;
		for (k = 0; k < 8; k++)
			crc = (crc & 1) ? (crc >> 1) ^ 0x82F63B78u : crc >> 1;
	}
	return ~crc;
}

/*
 * The SSE4.2 instruction path and the slicing-by-8 fallback give the
 * same CRC: on the published vectors, and on every length up to 300 at
 * every alignment, whole and fed in two pieces.  Where the CPU has no
 * crc32 instruction qs_crc32c_hw() is the fallback and this still
 * checks slicing-by-8 against the bitwise definition.
 */
DEFINE_TEST(test_parse_etcd_wal_crc32c_impls)
{
	static const struct {
		unsigned char	fill;	/* 0xfe: 0..31, 0xfd: 31..0 */
		uint32_t	crc;
	} rfc3720[] = {		/* RFC 3720 B.4, 32-byte messages */
		{ 0x00, 0x8A9136AAu },
		{ 0xff, 0x62A8AB43u },
		{ 0xfe, 0x46DD794Eu },
		{ 0xfd, 0x113FDB5Cu },
	};
	unsigned char	buf[320], v[32];
	uint32_t	want, seed = 12345;
	size_t		i, len, off, cut;

	CHECK_INT(qs_crc32c_sw(0, "123456789", 9), 0xE3069283u);
	CHECK_INT(qs_crc32c_hw(0, "123456789", 9), 0xE3069283u);
	for (i = 0; i < sizeof(rfc3720) / sizeof(rfc3720[0]); i++) {
		for (off = 0; off < sizeof(v); off++)
			v[off] = rfc3720[i].fill == 0xfe ? (unsigned char)off :
			    rfc3720[i].fill == 0xfd ? (unsigned char)(31 - off) :
			    rfc3720[i].fill;
		CHECK_INT(qs_crc32c_sw(0, v, sizeof(v)), rfc3720[i].crc);
		CHECK_INT(qs_crc32c_hw(0, v, sizeof(v)), rfc3720[i].crc);
	}
	for (i = 0; i < sizeof(buf); i++) {
		seed = seed * 1103515245u + 12345u;
		buf[i] = (unsigned char)(seed >> 16);
	}
	for (off = 0; off < 8; off++)
		for (len = 0; len <= 300; len++) {
			want = crc32c_bitwise(0x1badb002u, buf + off, len);
			CHECK_INT(qs_crc32c_sw(0x1badb002u, buf + off, len),
			    want);
			CHECK_INT(qs_crc32c_hw(0x1badb002u, buf + off, len),
			    want);
			cut = len / 3;
			CHECK_INT(qs_crc32c_hw(qs_crc32c_sw(0x1badb002u,
			    buf + off, cut), buf + off + cut, len - cut), want);
			CHECK_INT(qs_crc32c(0x1badb002u, buf + off, len), want);
		}
	printf("# crc32c: %s\n", qs_crc32c_hw_available() ?
	    "SSE4.2 instruction and slicing-by-8 compared" :
	    "no SSE4.2 here, slicing-by-8 only");
}

struct ids {
	uint64_t	v[8];
	size_t		n;
};

static void
ids_add(void *arg, uint64_t v)
{
	struct ids	*ids = arg;

	if (ids->n < 8)
		ids->v[ids->n++] = v;
}

DEFINE_TEST(test_parse_etcd_wal_protobuf_reader)
{
	/* field 1 varint 300, field 2 "hi", group 3 {field 4 fixed32}, field 5 fixed64 */
	static const unsigned char ok[] = {
		0x08, 0xac, 0x02, 0x12, 0x02, 'h', 'i', 0x1b, 0x25, 1, 2, 3, 4,
		0x1c, 0x29, 1, 0, 0, 0, 0, 0, 0, 0x80
	};
	static const unsigned char packed[] = { 0x0a, 0x03, 0x01, 0x96, 0x01 };
	static const unsigned char unpacked[] = { 0x08, 0x07 };
	struct qs_pb		pb;
	struct qs_pb_field	f;
	struct ids		ids = { { 0 }, 0 };
	const unsigned char	*p;
	uint64_t		v;
	size_t			i;

	qs_pb_init(&pb, ok, sizeof(ok));
	CHECK_INT(qs_pb_next(&pb, &f), 1);
	CHECK_INT(f.num, 1);
	CHECK_INT(f.u, 300);
	CHECK_INT(qs_pb_next(&pb, &f), 1);
	CHECK_INT(f.num, 2);
	CHECK_INT(f.len, 2);
	CHECK(memcmp(f.data, "hi", 2) == 0);
	/* The group is skipped whole. */
	CHECK_INT(qs_pb_next(&pb, &f), 1);
	CHECK_INT(f.num, 5);
	CHECK_INT(f.wire, 1);
	CHECK(f.u == 0x8000000000000001ULL);
	CHECK_INT(qs_pb_next(&pb, &f), 0);

	/* Every truncation of a valid message fails cleanly or ends. */
	for (i = 0; i < sizeof(ok); i++) {
		int	r;

		qs_pb_init(&pb, ok, i);
		while ((r = qs_pb_next(&pb, &f)) == 1)
			continue;
		CHECK(r == 0 || r == -1);
	}
	/* Lengths past the end, field 0, wire types 6/7, stray end group. */
	{
		static const unsigned char bad[][4] = {
			{ 0x12, 0x05, 'a', 0 }, { 0x00, 0x01, 0, 0 },
			{ 0x0e, 0x01, 0, 0 }, { 0x0f, 0, 0, 0 },
			{ 0x0c, 0, 0, 0 }, { 0x0b, 0x10, 0x01, 0 },
		};
		static const size_t badlen[] = { 3, 2, 2, 1, 1, 3 };

		for (i = 0; i < sizeof(badlen) / sizeof(badlen[0]); i++) {
			qs_pb_init(&pb, bad[i], badlen[i]);
			while (qs_pb_next(&pb, &f) == 1)
				continue;
			CHECK(pb.error);
		}
	}
	/* A varint of 11 bytes, and one whose 10th byte overflows. */
	{
		static const unsigned char v11[] = { 0xff, 0xff, 0xff, 0xff,
		    0xff, 0xff, 0xff, 0xff, 0xff, 0x81, 0x00 };
		static const unsigned char vmax[] = { 0xff, 0xff, 0xff, 0xff,
		    0xff, 0xff, 0xff, 0xff, 0xff, 0x01 };

		p = v11;
		CHECK_INT(qs_pb_varint(&p, v11 + sizeof(v11), &v), -1);
		p = vmax;
		CHECK_INT(qs_pb_varint(&p, vmax + sizeof(vmax), &v), 0);
		CHECK(v == UINT64_MAX);
	}
	/* Groups nested past the limit are refused, not recursed into. */
	{
		unsigned char	deep[200];

		memset(deep, 0x0b, sizeof(deep));
		qs_pb_init(&pb, deep, sizeof(deep));
		CHECK_INT(qs_pb_next(&pb, &f), -1);
	}
	/* Repeated varints, packed and unpacked. */
	qs_pb_init(&pb, packed, sizeof(packed));
	CHECK_INT(qs_pb_next(&pb, &f), 1);
	CHECK_INT(qs_pb_repeated_varint(&f, ids_add, &ids), 2);
	qs_pb_init(&pb, unpacked, sizeof(unpacked));
	CHECK_INT(qs_pb_next(&pb, &f), 1);
	CHECK_INT(qs_pb_repeated_varint(&f, ids_add, &ids), 1);
	CHECK_INT(ids.n, 3);
	CHECK_INT(ids.v[0], 1);
	CHECK_INT(ids.v[1], 150);
	CHECK_INT(ids.v[2], 7);
}

/* Three members with ids above 2^53, as etcd 3.4 bootstraps them. */
#define ID_A	0x97b54c7a844a1cacULL	/* 10931727759600917676 */
#define ID_B	0x347bc5f2b176fc6bULL	/* 3781833958257785963 */
#define ID_C	0xaae3f6307d5baa8cULL	/* 12313956494283090572 */
#define CLUSTER	0xac24b6c6cf7cec3eULL
#define CTX_A	"{\"id\":10931727759600917676,\"peerURLs\":[\"http://10.0.0.1:2380\"]," \
		"\"name\":\"infra1\",\"clientURLs\":[\"http://10.0.0.1:2379\"]}"
#define CTX_B	"{\"id\":3781833958257785963,\"peerURLs\":[\"http://10.0.0.2:2380\"," \
		"\"https://10.0.0.2:2381\"],\"name\":\"infra2\"}"
#define CTX_C	"{\"id\":12313956494283090572,\"peerURLs\":[\"http://10.0.0.3:2380\"]}"

DEFINE_TEST(test_parse_etcd_wal_bootstrap)
{
	struct wal	 w;
	struct msg	 empty = { { 0 }, 0 };
	struct qs_run	*run;

	wal_start(&w, ID_A, CLUSTER);
	wal_cc(&w, 1, 1, 0, ID_A, CTX_A);
	wal_cc(&w, 1, 2, 0, ID_B, CTX_B);
	wal_hs(&w, 2, ID_A, 2);
	wal_entry(&w, 0, 2, 3, &empty);
	wal_hs(&w, 2, ID_A, 3);
	memset(w.b + w.n, 0, 4096);	/* the preallocated tail */
	run = wal_parse(w.b, w.n + 4096);
	CHECK_STR(qs_test_etcd_render(run, WAL, QS_R_ALL),
	    "event term-change - t1/i1 @80 entry 1 term 1: first entry of "
	    "the term\n"
	    "event term-change - t2/i3 @432 entry 3 term 2: first entry of "
	    "the term\n"
	    "event member-add 97b54c7a844a1cac t1/i1 @80 ConfChange AddNode "
	    "name=infra1 peerURLs=http://10.0.0.1:2380\n"
	    "event member-add 347bc5f2b176fc6b t1/i2 @248 ConfChange AddNode "
	    "name=infra2 peerURLs=http://10.0.0.2:2380,https://10.0.0.2:2381\n"
	    "view etcd WAL membership t1/i2 @248: "
	    "97b54c7a844a1cac/infra1/http://10.0.0.1:2380/voter "
	    "347bc5f2b176fc6b/infra2/http://10.0.0.2:2380/voter\n"
	    "setting etcd.member_id=97b54c7a844a1cac @16\n"
	    "setting etcd.cluster_id=ac24b6c6cf7cec3e @16\n"
	    "setting etcd.hardstate.term=2 @456\n"
	    "setting etcd.hardstate.vote=97b54c7a844a1cac @456\n"
	    "setting etcd.hardstate.commit=3 @456\n"
	    "setting etcd.wal.snapshot_index=0 @56\n"
	    "setting etcd.wal.snapshot_term=0 @56\n"
	    "setting etcd.wal.first_index=1 @80\n"
	    "setting etcd.wal.last_index=3 @432\n"
	    "setting etcd.wal.last_term=2 @432\n"
	    "ident etcd_member_id 97b54c7a844a1cac - -\n"
	    "ident name infra1 - 97b54c7a844a1cac\n"
	    "ident address http://10.0.0.1:2380 peer 97b54c7a844a1cac\n"
	    "ident address http://10.0.0.1:2379 client 97b54c7a844a1cac\n"
	    "ident name infra2 - 347bc5f2b176fc6b\n"
	    "ident address http://10.0.0.2:2380 peer 347bc5f2b176fc6b\n"
	    "ident address https://10.0.0.2:2381 peer 347bc5f2b176fc6b\n");
	CHECK_INT(run->diags.n, 0);
	CHECK_INT(((struct qs_artifact *)run->artifacts.v[0])->status,
	    QS_STATUS_PARSED);
	qs_run_free(run);
}

DEFINE_TEST(test_parse_etcd_wal_learner_promote_update_remove)
{
	struct wal	 w;
	struct qs_run	*run;

	wal_start(&w, ID_A, CLUSTER);
	wal_cc(&w, 1, 1, 0, ID_A, CTX_A);
	wal_cc(&w, 2, 2, 3, ID_C, "{\"id\":12313956494283090572,"
	    "\"peerURLs\":[\"http://10.0.0.3:2380\"],\"isLearner\":true}");
	wal_cc(&w, 2, 3, 0, ID_C, "{\"id\":12313956494283090572,"
	    "\"peerURLs\":null,\"isPromote\":true}");
	wal_cc(&w, 2, 4, 2, ID_A, "{\"id\":10931727759600917676,"
	    "\"peerURLs\":[\"http://10.9.9.1:2380\"],\"name\":\"infra1\"}");
	wal_cc(&w, 3, 5, 1, ID_A, NULL);
	run = wal_parse(w.b, w.n);
	CHECK_STR(qs_test_etcd_render(run, WAL, QS_R_EVENTS | QS_R_VIEWS |
	    QS_R_DIAGS),
	    "event term-change - t1/i1 @80 entry 1 term 1: first entry of "
	    "the term\n"
	    "event term-change - t2/i2 @248 entry 2 term 2: first entry of "
	    "the term\n"
	    "event term-change - t3/i5 @608 entry 5 term 3: first entry of "
	    "the term\n"
	    "event member-add 97b54c7a844a1cac t1/i1 @80 ConfChange AddNode "
	    "name=infra1 peerURLs=http://10.0.0.1:2380\n"
	    "event member-add aae3f6307d5baa8c t2/i2 @248 ConfChange "
	    "AddLearnerNode peerURLs=http://10.0.0.3:2380\n"
	    "event member-add aae3f6307d5baa8c t2/i3 @376 ConfChange AddNode "
	    "(promote learner)\n"
	    "event update 97b54c7a844a1cac t2/i4 @480 ConfChange UpdateNode "
	    "name=infra1 peerURLs=http://10.9.9.1:2380\n"
	    "event member-remove 97b54c7a844a1cac t3/i5 @608 ConfChange "
	    "RemoveNode\n"
	    "view etcd WAL membership t3/i5 @608: "
	    "aae3f6307d5baa8c/-/http://10.0.0.3:2380/voter\n");
	qs_run_free(run);

	/* Stopped before the promotion: a learner. */
	wal_start(&w, ID_A, CLUSTER);
	wal_cc(&w, 1, 1, 0, ID_A, CTX_A);
	wal_cc(&w, 2, 2, 3, ID_C, CTX_C);
	run = wal_parse(w.b, w.n);
	CHECK_STR(qs_test_etcd_render(run, WAL, QS_R_VIEWS),
	    "view etcd WAL membership t2/i2 @248: "
	    "97b54c7a844a1cac/infra1/http://10.0.0.1:2380/voter "
	    "aae3f6307d5baa8c/-/http://10.0.0.3:2380/non-voter\n");
	qs_run_free(run);
}

DEFINE_TEST(test_parse_etcd_wal_confchange_v2)
{
	struct wal	 w;
	struct msg	 v2 = { { 0 }, 0 }, ch = { { 0 }, 0 };
	struct qs_run	*run;

	wal_start(&w, ID_A, CLUSTER);
	wal_cc(&w, 1, 1, 0, ID_A, CTX_A);
	msg_varint(&v2, 1, 0);			/* transition auto */
	msg_varint(&ch, 1, 0);			/* AddNode B */
	msg_varint(&ch, 2, ID_B);
	msg_bytes(&v2, 2, ch.b, ch.n);
	ch.n = 0;
	msg_varint(&ch, 1, 3);			/* AddLearnerNode C */
	msg_varint(&ch, 2, ID_C);
	msg_bytes(&v2, 2, ch.b, ch.n);
	wal_entry(&w, 2, 1, 2, &v2);
	run = wal_parse(w.b, w.n);
	CHECK_STR(qs_test_etcd_render(run, WAL, QS_R_EVENTS | QS_R_VIEWS |
	    QS_R_DIAGS),
	    "event term-change - t1/i1 @80 entry 1 term 1: first entry of "
	    "the term\n"
	    "event member-add 97b54c7a844a1cac t1/i1 @80 ConfChange AddNode "
	    "name=infra1 peerURLs=http://10.0.0.1:2380\n"
	    "event member-add 347bc5f2b176fc6b t1/i2 @248 ConfChangeV2 "
	    "AddNode\n"
	    "event member-add aae3f6307d5baa8c t1/i2 @248 ConfChangeV2 "
	    "AddLearnerNode\n"
	    "view etcd WAL membership t1/i2 @248: "
	    "97b54c7a844a1cac/infra1/http://10.0.0.1:2380/voter "
	    "347bc5f2b176fc6b/-/-/voter aae3f6307d5baa8c/-/-/non-voter\n");
	qs_run_free(run);
}

/* A leader change overwrote entry 4: its AddNode never happened. */
DEFINE_TEST(test_parse_etcd_wal_truncation)
{
	struct wal	 w;
	struct msg	 empty = { { 0 }, 0 };
	struct qs_run	*run;

	wal_start(&w, ID_A, CLUSTER);
	wal_cc(&w, 1, 1, 0, ID_A, CTX_A);
	wal_cc(&w, 1, 2, 0, ID_B, CTX_B);
	wal_entry(&w, 0, 2, 3, &empty);
	wal_cc(&w, 2, 4, 0, ID_C, CTX_C);
	wal_entry(&w, 0, 3, 4, &empty);
	wal_entry(&w, 0, 3, 5, &empty);
	run = wal_parse(w.b, w.n);
	CHECK_STR(qs_test_etcd_render(run, WAL, QS_R_EVENTS | QS_R_VIEWS |
	    QS_R_DIAGS),
	    "event term-change - t1/i1 @80 entry 1 term 1: first entry of "
	    "the term\n"
	    "event term-change - t2/i3 @392 entry 3 term 2: first entry of "
	    "the term\n"
	    "event term-change - t3/i4 @528 entry 4 term 3: first entry of "
	    "the term\n"
	    "event member-add 97b54c7a844a1cac t1/i1 @80 ConfChange AddNode "
	    "name=infra1 peerURLs=http://10.0.0.1:2380\n"
	    "event member-add 347bc5f2b176fc6b t1/i2 @248 ConfChange AddNode "
	    "name=infra2 peerURLs=http://10.0.0.2:2380,https://10.0.0.2:2381\n"
	    "view etcd WAL membership t1/i2 @248: "
	    "97b54c7a844a1cac/infra1/http://10.0.0.1:2380/voter "
	    "347bc5f2b176fc6b/infra2/http://10.0.0.2:2380/voter\n"
	    "diag info entry 4 term 3 at offset 528 overwrites entries 4-4 "
	    "(term 2); 1 membership change discarded\n");
	CHECK_STR(qs_test_etcd_setting(run, WAL, "etcd.wal.truncations"), "1");
	CHECK_STR(qs_test_etcd_setting(run, WAL, "etcd.wal.last_index"), "5");
	CHECK_INT(((struct qs_artifact *)run->artifacts.v[0])->status,
	    QS_STATUS_PARSED);
	qs_run_free(run);
}

/*
 * The fingerprints describe the log that survives an overwrite: the
 * overwritten entry 4 (term 2) leaves etcd.wal.tail and etcd.wal.terms;
 * equal entries hash alike (the term is not hashed), different data not.
 */
DEFINE_TEST(test_parse_etcd_wal_fingerprint)
{
	struct wal	 w;
	struct msg	 empty = { { 0 }, 0 }, one = { { 0 }, 0 };
	struct qs_run	*run;
	const char	*tail;

	msg_varint(&one, 1, 12345);
	wal_start(&w, ID_A, CLUSTER);
	wal_cc(&w, 1, 1, 0, ID_A, CTX_A);
	wal_entry(&w, 0, 2, 2, &empty);
	wal_entry(&w, 0, 2, 3, &empty);
	wal_entry(&w, 0, 2, 4, &one);
	wal_entry(&w, 0, 3, 4, &empty);
	wal_entry(&w, 0, 3, 5, &one);
	run = wal_parse(w.b, w.n);
	CHECK_STR(qs_test_etcd_setting(run, WAL, "etcd.wal.terms"),
	    "1:1,2:2,4:3");
	tail = qs_test_etcd_setting(run, WAL, "etcd.wal.tail");
	CHECK(tail != NULL);
	/* "1:1:h,2:2:h,3:2:h,4:3:h,5:3:h": 12 bytes an item, then a comma. */
	CHECK_INT(strlen(tail), 5 * 13 - 1);
	CHECK(strncmp(tail + 13, "2:2:", 4) == 0);
	CHECK(strncmp(tail + 26, "3:2:", 4) == 0);
	CHECK(strncmp(tail + 39, "4:3:", 4) == 0);
	/* Entries 2, 3 and 4 (all empty) hash alike; 5 not. */
	CHECK(strncmp(tail + 17, tail + 30, 8) == 0);
	CHECK(strncmp(tail + 43, tail + 30, 8) == 0);
	CHECK(strncmp(tail + 56, tail + 43, 8) != 0);
	qs_run_free(run);
}

/* Member attributes published as v2 and v3 requests name the members. */
DEFINE_TEST(test_parse_etcd_wal_publish)
{
	static const char	path[] = "/0/members/aae3f6307d5baa8c/attributes";
	static const char	val[] = "{\"name\":\"infra3\",\"clientURLs\":"
	    "[\"http://10.0.0.3:2379\"]}";
	struct wal		 w;
	struct msg		 req = { { 0 }, 0 }, attr = { { 0 }, 0 },
				 set = { { 0 }, 0 }, irr = { { 0 }, 0 };
	struct qs_run		*run;

	wal_start(&w, ID_A, CLUSTER);
	wal_cc(&w, 1, 1, 0, ID_A, CTX_A);
	wal_cc(&w, 1, 2, 0, ID_B, "{\"id\":3781833958257785963,"
	    "\"peerURLs\":[\"http://10.0.0.2:2380\"]}");
	wal_cc(&w, 1, 3, 0, ID_C, CTX_C);
	/* 3.4: a raw etcdserverpb.Request. */
	msg_varint(&req, 1, 12345);
	msg_bytes(&req, 2, "PUT", 3);
	msg_bytes(&req, 3, path, sizeof(path) - 1);
	msg_bytes(&req, 4, val, sizeof(val) - 1);
	wal_entry(&w, 0, 2, 4, &req);
	/* 3.5: InternalRaftRequest.cluster_member_attr_set (1301). */
	msg_bytes(&attr, 1, "infra2", 6);
	msg_bytes(&attr, 2, "http://10.0.0.2:2379", 20);
	msg_varint(&set, 1, ID_B);
	msg_bytes(&set, 2, attr.b, attr.n);
	msg_varint(&irr, 1, 99);
	msg_bytes(&irr, 1301, set.b, set.n);
	wal_entry(&w, 0, 2, 5, &irr);
	/* Some other v2 write and a v3 put: application data. */
	req.n = 0;
	msg_bytes(&req, 2, "PUT", 3);
	msg_bytes(&req, 3, "/app/x", 6);
	wal_entry(&w, 0, 2, 6, &req);
	req.n = 0;
	msg_bytes(&req, 4, "\x0a\x01k\x12\x01v", 6);
	wal_entry(&w, 0, 2, 7, &req);
	run = wal_parse(w.b, w.n);
	CHECK_STR(qs_test_etcd_render(run, WAL, QS_R_VIEWS | QS_R_DIAGS),
	    "view etcd WAL membership t1/i3 @352: "
	    "97b54c7a844a1cac/infra1/http://10.0.0.1:2380/voter "
	    "347bc5f2b176fc6b/infra2/http://10.0.0.2:2380/voter "
	    "aae3f6307d5baa8c/infra3/http://10.0.0.3:2380/voter\n");
	CHECK_STR(qs_test_etcd_render(run, WAL, QS_R_IDENTS),
	    "ident etcd_member_id 97b54c7a844a1cac - -\n"
	    "ident name infra1 - 97b54c7a844a1cac\n"
	    "ident address http://10.0.0.1:2380 peer 97b54c7a844a1cac\n"
	    "ident address http://10.0.0.1:2379 client 97b54c7a844a1cac\n"
	    "ident address http://10.0.0.2:2380 peer 347bc5f2b176fc6b\n"
	    "ident address http://10.0.0.3:2380 peer aae3f6307d5baa8c\n"
	    "ident name infra3 - aae3f6307d5baa8c\n"
	    "ident address http://10.0.0.3:2379 client aae3f6307d5baa8c\n"
	    "ident name infra2 - 347bc5f2b176fc6b\n"
	    "ident address http://10.0.0.2:2379 client 347bc5f2b176fc6b\n");
	CHECK_INT(qs_test_etcd_count(run, WAL, QS_EV_UPDATE), 0);
	qs_run_free(run);
}

/*
 * A later WAL file: it opens with the previous file's CRC and a
 * HardState, not at index 1.  3.5 snapshot records carry the ConfState,
 * which seeds the membership; without one there is no view.
 */
DEFINE_TEST(test_parse_etcd_wal_later_file)
{
	struct wal	 w;
	struct msg	 m = { { 0 }, 0 }, cs = { { 0 }, 0 };
	struct qs_run	*run;
	int		 seeded;

	for (seeded = 0; seeded <= 1; seeded++) {
		memset(&w, 0, sizeof(w));
		w.crc = 0x1badb002;		/* the previous file's digest */
		wal_record(&w, 4, NULL, 0);
		m.n = 0;
		msg_varint(&m, 1, ID_A);
		msg_varint(&m, 2, CLUSTER);
		wal_msg(&w, 1, &m);
		wal_hs(&w, 7, ID_A, 100);
		if (seeded) {
			cs.n = 0;
			msg_varint(&cs, 1, ID_A);
			msg_varint(&cs, 1, ID_B);
			msg_varint(&cs, 2, ID_C);
			m.n = 0;
			msg_varint(&m, 1, 100);
			msg_varint(&m, 2, 7);
			msg_bytes(&m, 3, cs.b, cs.n);
			wal_msg(&w, 5, &m);
		}
		wal_cc(&w, 7, 101, 1, ID_B, NULL);
		run = wal_parse(w.b, w.n);
		if (seeded)
			CHECK_STR(qs_test_etcd_render(run, WAL, QS_R_EVENTS |
			    QS_R_VIEWS | QS_R_DIAGS),
			    "event term-change - t7/i101 @152 entry 101 term "
			    "7: first entry of the term\n"
			    "event member-remove 347bc5f2b176fc6b t7/i101 "
			    "@152 ConfChange RemoveNode\n"
			    "view etcd WAL membership t7/i101 @152: "
			    "97b54c7a844a1cac/-/-/voter "
			    "aae3f6307d5baa8c/-/-/non-voter\n");
		else
			CHECK_STR(qs_test_etcd_render(run, WAL, QS_R_EVENTS |
			    QS_R_VIEWS | QS_R_DIAGS),
			    "event term-change - t7/i101 @96 entry 101 term "
			    "7: first entry of the term\n"
			    "event member-remove 347bc5f2b176fc6b t7/i101 @96 "
			    "ConfChange RemoveNode\n"
			    "diag info membership not replayed: the first "
			    "entry is 101; the changes before it are in an "
			    "older WAL file or a snapshot\n");
		CHECK_STR(qs_test_etcd_setting(run, WAL,
		    "etcd.hardstate.commit"), "100");
		qs_run_free(run);
	}
}

/* The real WAL of etcd1 in etcd-member-changes, cut after its last record. */
DEFINE_TEST(test_parse_etcd_wal_real_member_changes)
{
	size_t		 len;
	unsigned char	*p = wal_fixture("member-changes-etcd1.wal", &len);
	struct qs_run	*run = wal_parse(p, len);

	CHECK_STR(qs_test_etcd_render(run, WAL, QS_R_ALL),
	    "event term-change - t1/i1 @80 entry 1 term 1: first entry of the "
	    "term\n"
	    "event term-change - t2/i4 @520 entry 4 term 2: first entry of "
	    "the term\n"
	    "event member-add 420b9075c1521d54 t1/i1 @80 ConfChange AddNode "
	    "name=etcd1 peerURLs=http://127.0.0.31:23861\n"
	    "event member-add de27c3620d2c823d t1/i2 @208 ConfChange AddNode "
	    "name=etcd3 peerURLs=http://127.0.0.33:23863\n"
	    "event member-add f0571bfc918b88ca t1/i3 @336 ConfChange AddNode "
	    "name=etcd2 peerURLs=http://127.0.0.32:23862\n"
	    "event member-add 1cae41e2d2b97dbe t2/i19 @2192 ConfChange AddNode "
	    "peerURLs=http://127.0.0.34:23864\n"
	    "event member-remove f0571bfc918b88ca t2/i31 @3528 ConfChange "
	    "RemoveNode\n"
	    "event member-add 5cf031bdbb155b4b t2/i32 @3616 ConfChange AddNode "
	    "peerURLs=http://127.0.0.35:23865\n"
	    "view etcd WAL membership t2/i32 @3616: "
	    "420b9075c1521d54/etcd1/http://127.0.0.31:23861/voter "
	    "de27c3620d2c823d/etcd3/http://127.0.0.33:23863/voter "
	    "1cae41e2d2b97dbe/etcd4/http://127.0.0.34:23864/voter "
	    "5cf031bdbb155b4b/-/http://127.0.0.35:23865/voter\n"
	    "setting etcd.member_id=420b9075c1521d54 @16\n"
	    "setting etcd.cluster_id=6e9cb2625f5356c6 @16\n"
	    "setting etcd.hardstate.term=2 @4696\n"
	    "setting etcd.hardstate.vote=420b9075c1521d54 @4696\n"
	    "setting etcd.hardstate.commit=42 @4696\n"
	    "setting etcd.wal.snapshot_index=42 @4728\n"
	    "setting etcd.wal.snapshot_term=2 @4728\n"
	    "setting etcd.wal.first_index=1 @80\n"
	    "setting etcd.wal.last_index=42 @4632\n"
	    "setting etcd.wal.last_term=2 @4632\n"
	    "ident etcd_member_id 420b9075c1521d54 - -\n"
	    "ident name etcd1 - 420b9075c1521d54\n"
	    "ident address http://127.0.0.31:23861 peer 420b9075c1521d54\n"
	    "ident name etcd3 - de27c3620d2c823d\n"
	    "ident address http://127.0.0.33:23863 peer de27c3620d2c823d\n"
	    "ident name etcd2 - f0571bfc918b88ca\n"
	    "ident address http://127.0.0.32:23862 peer f0571bfc918b88ca\n"
	    "ident address http://127.0.0.31:23841 client 420b9075c1521d54\n"
	    "ident address http://127.0.0.33:23843 client de27c3620d2c823d\n"
	    "ident address http://127.0.0.32:23842 client f0571bfc918b88ca\n"
	    "ident address http://127.0.0.34:23864 peer 1cae41e2d2b97dbe\n"
	    "ident name etcd4 - 1cae41e2d2b97dbe\n"
	    "ident address http://127.0.0.34:23844 client 1cae41e2d2b97dbe\n"
	    "ident address http://127.0.0.35:23865 peer 5cf031bdbb155b4b\n");
	qs_run_free(run);
	free(p);
}

/* One flipped byte: a CRC error at that record; what came before stays. */
DEFINE_TEST(test_parse_etcd_wal_flipped_byte)
{
	size_t		 len;
	unsigned char	*p = wal_fixture("member-changes-etcd1.wal", &len);
	struct qs_run	*run;

	/* Entry 2 (AddNode etcd3) is the frame at 208; flip its JSON. */
	p[208 + 8 + 60] ^= 0x01;
	run = wal_parse(p, len);
	CHECK_STR(qs_test_etcd_render(run, WAL, QS_R_EVENTS | QS_R_VIEWS |
	    QS_R_DIAGS),
	    "event term-change - t1/i1 @80 entry 1 term 1: first entry of the "
	    "term\n"
	    "event member-add 420b9075c1521d54 t1/i1 @80 ConfChange AddNode "
	    "name=etcd1 peerURLs=http://127.0.0.31:23861\n"
	    "view etcd WAL membership t1/i1 @80: "
	    "420b9075c1521d54/etcd1/http://127.0.0.31:23861/voter\n"
	    "diag error CRC mismatch at offset 208 (record type 2): stored "
	    "0x9e1bf3de, computed 0x00512e26; the rest of the WAL is not "
	    "read\n");
	CHECK_STR(qs_test_etcd_setting(run, WAL, "etcd.wal.corrupt_offset"),
	    "208");
	/* The damage as a signal: where, and the last good entry. */
	{
		const struct qs_signal	*s = qs_test_signal(run,
		    QS_SIG_DATA_DAMAGE, NULL);

		CHECK(s != NULL && s->ev.has_offset && s->ev.offset == 208 &&
		    (s->clock.set & QS_CLOCK_INDEX) && s->clock.index == 1 &&
		    s->clock.term == 1 && strstr(s->detail,
		    "etcd WAL corrupt record: CRC mismatch at offset 208") ==
		    s->detail && strstr(s->detail, "(last good entry: index 1, "
		    "term 1)") != NULL);
		CHECK_INT(run->signals.n, 1);
	}
	CHECK_STR(qs_test_etcd_setting(run, WAL, "etcd.member_id"),
	    "420b9075c1521d54");
	CHECK(qs_test_etcd_setting(run, WAL, "etcd.hardstate.term") == NULL);
	CHECK_INT(((struct qs_artifact *)run->artifacts.v[0])->status,
	    QS_STATUS_PARTIAL);
	qs_run_free(run);

	/*
	 * The crc record opening the file damaged: accepted as the chain's
	 * start (etcd checks it only against a non-zero running value), so
	 * the first record after it fails.
	 */
	p[208 + 8 + 60] ^= 0x01;
	p[8 + 3] = 0x07;		/* crc field of the crc record */
	run = wal_parse(p, len);
	CHECK_STR(qs_test_etcd_setting(run, WAL, "etcd.wal.corrupt_offset"),
	    "16");
	CHECK(qs_test_etcd_setting(run, WAL, "etcd.member_id") == NULL);
	qs_run_free(run);
	free(p);
}

/* A record with a sector that never reached the disk: a torn write. */
DEFINE_TEST(test_parse_etcd_wal_torn)
{
	struct wal	 w;
	struct msg	 big = { { 0 }, 0 };
	unsigned char	 data[3000];
	struct qs_run	*run;
	size_t		 at;

	memset(data, 'x', sizeof(data));
	wal_start(&w, ID_A, CLUSTER);
	wal_cc(&w, 1, 1, 0, ID_A, CTX_A);
	at = w.n;
	msg_bytes(&big, 4, data, sizeof(data));
	wal_entry(&w, 0, 1, 2, &big);
	memset(w.b + 1024, 0, 512);	/* a whole sector inside that entry */
	run = wal_parse(w.b, w.n);
	CHECK(at < 1024 && w.n > 1536);
	CHECK_STR(qs_test_etcd_setting(run, WAL, "etcd.wal.torn_offset"),
	    "248");
	CHECK(qs_test_etcd_setting(run, WAL, "etcd.wal.corrupt_offset") ==
	    NULL);
	CHECK(qs_test_signal(run, QS_SIG_DATA_DAMAGE, NULL) != NULL &&
	    strncmp(qs_test_signal(run, QS_SIG_DATA_DAMAGE, NULL)->detail,
	    "etcd WAL torn write: ", 21) == 0);
	CHECK_STR(qs_test_etcd_render(run, WAL, QS_R_DIAGS),
	    "diag warning CRC mismatch at offset 248 (record type 2): stored "
	    "0xc9c7b4dc, computed 0xf080c370, with an all-zero sector: a torn "
	    "write, the log ends there\n");
	CHECK_INT(qs_test_etcd_count(run, WAL, QS_EV_MEMBER_ADD), 1);
	qs_run_free(run);
}

/* Every prefix of a real WAL: a clean end on frame boundaries only. */
DEFINE_TEST(test_parse_etcd_wal_every_truncation)
{
	size_t		 len, cut, off, next = 0;
	unsigned char	*p = wal_fixture("member-changes-etcd1.wal", &len);
	struct qs_run	*run;
	int		 boundary;

	for (cut = 1; cut <= len; cut++) {
		run = wal_parse(p, cut);
		/* Walk the frames to know whether cut is a boundary. */
		boundary = 0;
		for (off = 0; off + 8 <= cut; off = next) {
			uint64_t	lf = qs_pb_le64(p + off), n, pad;

			if (lf == 0) {
				boundary = 1;
				break;
			}
			n = lf & 0x00ffffffffffffffULL;
			pad = (lf >> 63) ? (lf >> 56) & 7 : 0;
			next = off + 8 + n + pad;
			if (next == cut)
				boundary = 1;
			if (next >= cut)
				break;
		}
		/* Inside the zero length that ends the log: a clean end too. */
		if (!boundary && off + 8 > cut) {
			for (next = off; next < cut && p[next] == 0; next++)
				continue;
			boundary = next == cut;
		}
		if (boundary)
			CHECK_INT(run->diags.n, 0);
		else {
			CHECK_INT(run->diags.n, 1);
			CHECK(qs_test_has_diag(run, "cut short"));
			CHECK_INT(((struct qs_artifact *)run->artifacts.v[0])->
			    status, QS_STATUS_PARTIAL);
		}
		if (cut >= 56)
			CHECK_STR(qs_test_etcd_setting(run, WAL,
			    "etcd.member_id"), "420b9075c1521d54");
		else
			CHECK(qs_test_etcd_setting(run, WAL,
			    "etcd.member_id") == NULL);
		qs_run_free(run);
	}
	free(p);
}

DEFINE_TEST(test_parse_etcd_wal_malformed)
{
	struct wal	 w;
	struct msg	 m = { { 0 }, 0 };
	struct qs_run	*run;
	unsigned char	 zeros[4096];
	size_t		 i, at;

	/* A preallocated spare (0.tmp): nothing, and nothing wrong. */
	memset(zeros, 0, sizeof(zeros));
	run = wal_parse(zeros, sizeof(zeros));
	CHECK_STR(qs_test_etcd_render(run, WAL, QS_R_ALL), "");
	CHECK_INT(((struct qs_artifact *)run->artifacts.v[0])->status,
	    QS_STATUS_PARSED);
	qs_run_free(run);

	/* A length field no record has. */
	wal_start(&w, ID_A, CLUSTER);
	at = w.n;
	for (i = 0; i < 7; i++)
		w.b[w.n++] = 0xff;
	w.b[w.n++] = 0x00;
	run = wal_parse(w.b, w.n);
	CHECK_STR(qs_test_etcd_render(run, WAL, QS_R_DIAGS),
	    "diag error record length 72057594037927935 at offset 80 exceeds "
	    "the 64 MiB record limit; the rest of the WAL is not read\n");
	CHECK(at == 80);
	CHECK_STR(qs_test_etcd_setting(run, WAL, "etcd.wal.corrupt_offset"),
	    "80");
	qs_run_free(run);

	/* Data after the zero length that ends the log. */
	wal_start(&w, ID_A, CLUSTER);
	memset(w.b + w.n, 0, 100);
	w.b[w.n + 99] = 0x42;
	run = wal_parse(w.b, w.n + 100);
	CHECK_STR(qs_test_etcd_render(run, WAL, QS_R_DIAGS),
	    "diag warning the log ends at offset 80 (a zero length) but "
	    "non-zero bytes follow at offset 179; etcd ignores them\n");
	qs_run_free(run);

	/* A second metadata record naming another member. */
	wal_start(&w, ID_A, CLUSTER);
	msg_varint(&m, 1, ID_B);
	msg_varint(&m, 2, CLUSTER);
	wal_msg(&w, 1, &m);
	wal_record(&w, 9, "x", 1);		/* an unknown type */
	run = wal_parse(w.b, w.n);
	CHECK_STR(qs_test_etcd_render(run, WAL, QS_R_DIAGS),
	    "diag warning metadata at offset 80 (member 347bc5f2b176fc6b, "
	    "cluster ac24b6c6cf7cec3e) differs from the first: files of "
	    "different members are mixed\n"
	    "diag warning record at offset 120 has unknown type 9; skipped\n");
	CHECK_STR(qs_test_etcd_setting(run, WAL, "etcd.member_id"),
	    "97b54c7a844a1cac");
	qs_run_free(run);

	/* A record that is not protobuf (CRC never reached). */
	wal_start(&w, ID_A, CLUSTER);
	w.b[w.n++] = 4;
	memset(w.b + w.n, 0, 7);
	w.n += 7;
	memcpy(w.b + w.n, "\x0f\xff\xff\xff", 4);
	w.n += 4;
	run = wal_parse(w.b, w.n);
	CHECK_STR(qs_test_etcd_render(run, WAL, QS_R_DIAGS),
	    "diag error record at offset 80 does not decode; the rest of the "
	    "WAL is not read\n");
	qs_run_free(run);

	/* Conf change entries without data: node 0, a no-op for raft. */
	wal_start(&w, ID_A, CLUSTER);
	wal_entry(&w, 1, 1, 1, NULL);
	wal_entry(&w, 2, 1, 2, NULL);
	run = wal_parse(w.b, w.n);
	CHECK_STR(qs_test_etcd_render(run, WAL, QS_R_EVENTS | QS_R_DIAGS),
	    "event term-change - t1/i1 @80 entry 1 term 1: first entry of the "
	    "term\n");
	qs_run_free(run);

	/* A conf change whose context is not JSON, and one whose id lies. */
	wal_start(&w, ID_A, CLUSTER);
	wal_cc(&w, 1, 1, 0, ID_A, "{\"id\":1");
	wal_cc(&w, 1, 2, 0, ID_B, CTX_A);
	run = wal_parse(w.b, w.n);
	CHECK_STR(qs_test_etcd_render(run, WAL, QS_R_DIAGS | QS_R_VIEWS),
	    "view etcd WAL membership t1/i2 @136: 97b54c7a844a1cac/-/-/voter "
	    "347bc5f2b176fc6b/infra1/http://10.0.0.1:2380/voter\n"
	    "diag warning ConfChange AddNode at offset 80: the context is not "
	    "member JSON\n"
	    "diag warning ConfChange AddNode at offset 136: NodeID "
	    "347bc5f2b176fc6b but the context names 97b54c7a844a1cac\n");
	qs_run_free(run);
}

/*
 * A snapshot record is written when the snapshot is saved, after entries
 * past its index may be in the log: its ConfState must not undo them.
 */
DEFINE_TEST(test_parse_etcd_wal_snapshot_after_later_entries)
{
	struct wal	 w;
	struct msg	 m = { { 0 }, 0 }, cs = { { 0 }, 0 };
	struct qs_run	*run;

	wal_start(&w, ID_A, CLUSTER);
	wal_cc(&w, 1, 1, 0, ID_A, CTX_A);
	wal_cc(&w, 1, 2, 0, ID_B, CTX_B);
	wal_cc(&w, 1, 3, 0, ID_C, CTX_C);
	msg_varint(&cs, 1, ID_A);
	msg_varint(&cs, 1, ID_B);
	msg_varint(&m, 1, 2);
	msg_varint(&m, 2, 1);
	msg_bytes(&m, 3, cs.b, cs.n);
	wal_msg(&w, 5, &m);
	run = wal_parse(w.b, w.n);
	CHECK_STR(qs_test_etcd_render(run, WAL, QS_R_VIEWS | QS_R_DIAGS),
	    "view etcd WAL membership t1/i3 @392: "
	    "97b54c7a844a1cac/infra1/http://10.0.0.1:2380/voter "
	    "347bc5f2b176fc6b/infra2/http://10.0.0.2:2380/voter "
	    "aae3f6307d5baa8c/-/http://10.0.0.3:2380/voter\n");
	CHECK_STR(qs_test_etcd_setting(run, WAL, "etcd.wal.snapshot_index"),
	    "2");
	qs_run_free(run);
}

/*
 * The read-ahead buffer: WALs larger than it, records straddling its
 * refills, a record larger than it, sources that hand out a few bytes at
 * a time, and cuts inside the large record.
 */
struct hbuf {
	unsigned char	*b;
	size_t		 n, cap;
};

static void
hb_put(struct hbuf *h, const void *p, size_t len)
{
	if (h->n + len > h->cap) {
		while (h->n + len > h->cap)
			h->cap = h->cap == 0 ? 4096 : h->cap * 2;
		h->b = qs_xreallocarray(h->b, h->cap, 1);
	}
	memcpy(h->b + h->n, p, len);
	h->n += len;
}

static void
hb_varint(struct hbuf *h, uint64_t v)
{
	unsigned char	c;

	while (v >= 0x80) {
		c = (unsigned char)(v | 0x80);
		hb_put(h, &c, 1);
		v >>= 7;
	}
	c = (unsigned char)v;
	hb_put(h, &c, 1);
}

/* One frame of any size, as wal_record() writes it. */
static void
hb_frame(struct hbuf *h, uint32_t *crc, uint64_t type, const void *data,
    size_t len)
{
	struct hbuf	r = { NULL, 0, 0 };
	unsigned char	lf[8], zero[8] = { 0 };
	uint64_t	v;
	size_t		pad, i;

	*crc = qs_crc32c(*crc, data, len);
	hb_varint(&r, 1 << 3);
	hb_varint(&r, type);
	hb_varint(&r, 2 << 3);
	hb_varint(&r, *crc);
	hb_varint(&r, 3 << 3 | 2);
	hb_varint(&r, len);
	hb_put(&r, data, len);
	pad = (8 - r.n % 8) % 8;
	v = r.n;
	if (pad != 0)
		v |= (uint64_t)(0x80 | pad) << 56;
	for (i = 0; i < 8; i++)
		lf[i] = (unsigned char)(v >> (8 * i));
	hb_put(h, lf, 8);
	hb_put(h, r.b, r.n);
	hb_put(h, zero, pad);
	free(r.b);
}

/* raftpb.Entry of `len` bytes of data, framed. */
static void
hb_entry(struct hbuf *h, uint32_t *crc, uint64_t term, uint64_t index,
    size_t len)
{
	struct hbuf	e = { NULL, 0, 0 };
	size_t		i;
	unsigned char	c;

	hb_varint(&e, 1 << 3);
	hb_varint(&e, 0);
	hb_varint(&e, 2 << 3);
	hb_varint(&e, term);
	hb_varint(&e, 3 << 3);
	hb_varint(&e, index);
	hb_varint(&e, 4 << 3 | 2);
	hb_varint(&e, len);
	for (i = 0; i < len; i++) {
		c = (unsigned char)('a' + (index + i) % 26);
		hb_put(&e, &c, 1);
	}
	hb_frame(h, crc, 2, e.b, e.n);
	free(e.b);
}

/* A source reader handing out at most `step` bytes per call. */
struct chunky {
	const unsigned char	*p;
	size_t			 len, pos, step;
};

static ssize_t
chunky_read(void *arg, void *buf, size_t len)
{
	struct chunky	*c = arg;

	if (len > c->step)
		len = c->step;
	if (len > c->len - c->pos)
		len = c->len - c->pos;
	memcpy(buf, c->p + c->pos, len);
	c->pos += len;
	return (ssize_t)len;
}

/* qs_test_parse() over a chunky source, cut at `limit` bytes. */
static struct qs_run *
wal_parse_chunky(const unsigned char *p, size_t len, size_t step,
    uint64_t limit)
{
	struct qs_run		*run = qs_run_new();
	struct qs_artifact	*art;
	struct qs_source	 src;
	struct qs_parse_ctx	 ctx;
	struct chunky		 c = { p, len, 0, step };

	run->echo_diags = 0;
	art = qs_arena_alloc(&run->arena, sizeof(*art));
	memset(art, 0, sizeof(*art));
	art->input = qs_run_add_input(run, "test.tar");
	art->input->opened = 1;
	art->member = art->logical = WAL;
	art->kind = qs_kind_find("etcd.wal");
	art->status = QS_STATUS_PARSED;
	qs_vec_push(&run->artifacts, art);
	qs_nodes_note_path(run, art->input, art->logical, 0);
	qs_source_init(&src, NULL, 0, chunky_read, &c, limit);
	ctx.run = run;
	ctx.artifact = art;
	ctx.src = &src;
	ctx.speaker = NULL;
	qs_parse_etcd_wal(&ctx);
	qs_source_release(&src);
	qs_nodes_resolve(run);
	return run;
}

DEFINE_TEST(test_parse_etcd_wal_read_ahead)
{
	struct wal	 w;
	struct hbuf	 h = { NULL, 0, 0 };
	struct qs_run	*run;
	uint32_t	 crc;
	uint64_t	 i, big_at, lf, big_total;
	char		 want[256];
	const char	*all;
	char		*whole;
	static const size_t	steps[] = { 1, 7, 4093, 65536, 3 << 20 };

	wal_start(&w, ID_A, CLUSTER);
	wal_cc(&w, 1, 1, 0, ID_A, CTX_A);
	hb_put(&h, w.b, w.n);
	crc = w.crc;
	/* 2.5 MiB of 1000-byte entries: records cross 1 MiB refills. */
	for (i = 2; i < 2600; i++)
		hb_entry(&h, &crc, 1, i, 1000 + i % 13);
	big_at = h.n;
	hb_entry(&h, &crc, 2, 2600, 3 * 1024 * 1024 + 5);	/* > buffer */
	hb_entry(&h, &crc, 2, 2601, 10);
	w.n = 0;
	w.crc = crc;
	wal_hs(&w, 2, ID_A, 2601);
	hb_put(&h, w.b, w.n);
	hb_put(&h, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 16); /* zero tail */

	lf = qs_pb_le64(h.b + big_at);
	big_total = (lf & 0x00ffffffffffffffULL) + (lf >> 63 ? (lf >> 56) & 7 :
	    0);

	run = wal_parse(h.b, h.n);
	CHECK_STR(qs_test_etcd_setting(run, WAL, "etcd.wal.first_index"), "1");
	CHECK_STR(qs_test_etcd_setting(run, WAL, "etcd.wal.last_index"),
	    "2601");
	CHECK_STR(qs_test_etcd_setting(run, WAL, "etcd.hardstate.commit"),
	    "2601");
	CHECK_STR(qs_test_etcd_render(run, WAL, QS_R_DIAGS), "");
	whole = strdup(qs_test_etcd_render(run, WAL, QS_R_ALL));
	qs_run_free(run);

	/* Whatever size the reads come in, the same observations. */
	for (i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
		run = wal_parse_chunky(h.b, h.n, steps[i], UINT64_MAX);
		all = qs_test_etcd_render(run, WAL, QS_R_ALL);
		CHECK_STR(all, whole);
		qs_run_free(run);
	}
	free(whole);

	/* The file cut inside the large record: what came before counts. */
	run = wal_parse_chunky(h.b, big_at + 8 + 100000, 4093, UINT64_MAX);
	CHECK_STR(qs_test_etcd_setting(run, WAL, "etcd.wal.last_index"),
	    "2599");
	snprintf(want, sizeof(want), "%" PRIu64, big_at);
	CHECK_STR(qs_test_etcd_setting(run, WAL, "etcd.wal.torn_offset"),
	    want);
	snprintf(want, sizeof(want), "diag warning record at offset %"
	    PRIu64 " is cut short: the file ends after 100000 of its %"
	    PRIu64 " bytes: an incomplete write, the log ends there\n",
	    big_at, big_total);
	CHECK_STR(qs_test_etcd_render(run, WAL, QS_R_DIAGS), want);
	qs_run_free(run);

	/* The same place cut by max-entry-size: a limit, not damage. */
	run = wal_parse_chunky(h.b, h.n, 65536, big_at + 8 + 100000);
	CHECK_STR(qs_test_etcd_setting(run, WAL, "etcd.wal.last_index"),
	    "2599");
	CHECK(qs_test_etcd_setting(run, WAL, "etcd.wal.torn_offset") == NULL);
	snprintf(want, sizeof(want), "diag warning record at offset %"
	    PRIu64 " cut by max-entry-size after 100000 of %" PRIu64
	    " bytes\n", big_at, big_total);
	CHECK_STR(qs_test_etcd_render(run, WAL, QS_R_DIAGS), want);
	qs_run_free(run);

	/* A zero tail with a stray byte far behind the last refill. */
	h.n -= 16;
	for (i = 0; i < 3 * 1024 * 1024; i += 8)
		hb_put(&h, "\0\0\0\0\0\0\0\0", 8);
	h.b[h.n - 3] = 1;
	run = wal_parse_chunky(h.b, h.n, 65536, UINT64_MAX);
	snprintf(want, sizeof(want), "diag warning the log ends at offset %zu "
	    "(a zero length) but non-zero bytes follow at offset %zu; etcd "
	    "ignores them\n", h.n - 3 * 1024 * 1024, h.n - 3);
	CHECK_STR(qs_test_etcd_render(run, WAL, QS_R_DIAGS), want);
	qs_run_free(run);
	free(h.b);
}
