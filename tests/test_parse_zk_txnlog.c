/* parse-zk-txnlog.c: transaction logs, built byte by byte. */
#include "config.h"

#include "test_zk.h"

#define LOG_PATH	"binder0/zookeeper/zookeeper/version-2/log.100000001"
#define T0		INT64_C(1795328121126)	/* 2026-11-22T06:15:21.126Z */

static const char reconfig_text[] =
    "server.1=127.0.0.64:22884:22984:participant;127.0.0.64:21814\n"
    "server.2=127.0.0.65:22884:22984:participant;127.0.0.65:21814\n"
    "server.4=127.0.0.67:22884:22984:observer;127.0.0.67:21814\n"
    "version=100000018";

static void
log_header(struct zk_t_buf *b, int32_t version)
{
	zk_t_put(b, "ZKLG", 4);
	zk_t_i32(b, version);
	zk_t_i64(b, 0);
}

/*
 * One record: TxnHeader, the body, a 3.6+ TxnDigest, then the framing
 * (checksum over the txn bytes, length, 'B').  Returns its offset.
 */
static size_t
log_record(struct zk_t_buf *b, int64_t client, uint64_t zxid, int64_t ms,
    int32_t type, const struct zk_t_buf *body)
{
	struct zk_t_buf	txn = { NULL, 0, 0 };
	size_t		off = b->len;

	zk_t_i64(&txn, client);
	zk_t_i32(&txn, 1);			/* cxid */
	zk_t_i64(&txn, (int64_t)zxid);
	zk_t_i64(&txn, ms);
	zk_t_i32(&txn, type);
	if (body != NULL)
		zk_t_put(&txn, body->p, body->len);
	zk_t_i32(&txn, 2);			/* TxnDigest */
	zk_t_i64(&txn, INT64_C(0x66365c43d));
	zk_t_i64(b, (int64_t)qs_adler32(1, txn.p, txn.len));
	zk_t_i32(b, (int32_t)txn.len);
	zk_t_put(b, txn.p, txn.len);
	zk_t_byte(b, 'B');
	free(txn.p);
	return off;
}

static void
body_session(struct zk_t_buf *b, int32_t timeout)
{
	b->len = 0;
	zk_t_i32(b, timeout);
}

static void
body_close(struct zk_t_buf *b)
{
	b->len = 0;
	zk_t_i32(b, 0);				/* paths2Delete: none */
}

static void
body_create(struct zk_t_buf *b, const char *path, int ephemeral)
{
	b->len = 0;
	zk_t_str(b, path);
	zk_t_str(b, "{\"type\":\"service\"}");
	zk_t_i32(b, 1);				/* one ACL */
	zk_t_i32(b, 31);
	zk_t_str(b, "world");
	zk_t_str(b, "anyone");
	zk_t_byte(b, (unsigned char)ephemeral);
	zk_t_i32(b, 1);				/* parentCVersion */
}

static void
body_setdata(struct zk_t_buf *b, const char *path, const char *data)
{
	b->len = 0;
	zk_t_str(b, path);
	zk_t_str(b, data);
	zk_t_i32(b, -1);
}

/* Offsets of the records of the log built by healthy_log(). */
struct log_offsets {
	size_t	rec[8];
	size_t	n;
	size_t	end;
};

/*
 * A log across two epochs: two sessions, creates, one reconfig, closes,
 * then the preallocated zeros.
 */
static void
healthy_log(struct zk_t_buf *b, struct log_offsets *o, size_t zeros)
{
	struct zk_t_buf	body = { NULL, 0, 0 };

	memset(o, 0, sizeof(*o));
	log_header(b, 2);
	body_session(&body, 30000);
	o->rec[o->n++] = log_record(b, INT64_C(0x1000025133c0000),
	    UINT64_C(0x100000001), T0, -10, &body);
	body_create(&body, "/com", 0);
	o->rec[o->n++] = log_record(b, INT64_C(0x1000025133c0000),
	    UINT64_C(0x100000002), T0 + 32, 1, &body);
	body_session(&body, 40000);
	o->rec[o->n++] = log_record(b, INT64_C(0x200002513490000),
	    UINT64_C(0x100000003), T0 + 40, -10, &body);
	body_create(&body, "/com/moray/7cb5f4b8", 1);
	o->rec[o->n++] = log_record(b, INT64_C(0x200002513490000),
	    UINT64_C(0x100000004), T0 + 50, 1, &body);
	body_setdata(&body, "/zookeeper/config", reconfig_text);
	o->rec[o->n++] = log_record(b, INT64_C(0x1000025133c0000),
	    UINT64_C(0x100000018), T0 + 5681, 16, &body);
	body_close(&body);
	o->rec[o->n++] = log_record(b, INT64_C(0x1000025133c0000),
	    UINT64_C(0x200000001), T0 + 7396, -11, &body);
	body.len = 0;
	zk_t_i32(&body, -101);			/* ErrorTxn */
	o->rec[o->n++] = log_record(b, INT64_C(0x200002513490000),
	    UINT64_C(0x200000002), T0 + 7400, -1, &body);
	o->end = b->len;
	zk_t_zeros(b, zeros);
	free(body.p);
}

static enum qs_status
status_of(const struct qs_run *run)
{
	return ((const struct qs_artifact *)run->artifacts.v[0])->status;
}

DEFINE_TEST(test_parse_zk_txnlog_healthy)
{
	struct zk_t_buf		 b = { NULL, 0, 0 };
	struct log_offsets	 o;
	struct qs_run		*run;
	const struct qs_event	*e;
	const struct qs_view	*v;

	healthy_log(&b, &o, 65536);
	run = qs_test_parse("zk.txnlog", LOG_PATH, (const char *)b.p, b.len);
	CHECK_INT(status_of(run), QS_STATUS_PARSED);
	CHECK_INT(run->diags.n, 0);
	CHECK_INT(run->events.n, 3);
	CHECK_INT(zk_t_nevents(run, NULL, QS_EV_TERM_CHANGE), 2);
	e = zk_t_event(run, NULL, QS_EV_TERM_CHANGE, 0);
	CHECK(e != NULL);
	if (e != NULL) {
		CHECK_INT(e->clock.set, QS_CLOCK_ZXID | QS_CLOCK_TERM);
		CHECK(e->clock.zxid == UINT64_C(0x100000001));
		CHECK_INT(e->clock.term, 1);
		CHECK_INT(e->time.set, 1);
		CHECK_INT(e->time.zone_known, 1);
		CHECK(e->time.ms == T0);
		CHECK_STR(e->detail, "epoch 1");
		CHECK_INT(e->ev.has_offset, 1);
		CHECK_INT(e->ev.offset, 16);
		CHECK_STR(e->ev.excerpt, "zxid 0x100000001 type -10");
	}
	e = zk_t_event(run, NULL, QS_EV_TERM_CHANGE, 1);
	CHECK(e != NULL);
	if (e != NULL) {
		CHECK(e->clock.zxid == UINT64_C(0x200000001));
		CHECK_INT(e->clock.term, 2);
		CHECK(e->time.ms == T0 + 7396);
		CHECK_STR(e->detail, "epoch 2");
		CHECK_INT(e->ev.offset, o.rec[5]);
	}
	e = zk_t_event(run, NULL, QS_EV_CONFIG_CHANGE, 0);
	CHECK(e != NULL);
	if (e != NULL) {
		CHECK(e->clock.zxid == UINT64_C(0x100000018));
		CHECK_INT(e->clock.term, 1);
		CHECK(e->time.ms == T0 + 5681);
		CHECK_INT(e->ev.offset, o.rec[4]);
		CHECK_STR(e->detail, "server.1=127.0.0.64:22884:22984:"
		    "participant;127.0.0.64:21814; server.2=127.0.0.65:22884:"
		    "22984:participant;127.0.0.65:21814; server.4=127.0.0.67:"
		    "22884:22984:observer;127.0.0.67:21814; version=100000018");
	}
	CHECK_INT(run->views.n, 1);
	v = zk_t_view(run, NULL, "txn log reconfig", 0);
	CHECK(v != NULL);
	if (v != NULL) {
		CHECK_INT(v->kind, QS_VIEW_CONFIGURED);
		CHECK(v->clock.zxid == UINT64_C(0x100000018));
		CHECK_INT(v->members.n, 3);
		CHECK_STR(zk_t_member(v, 0)->id, "1");
		CHECK_STR(zk_t_member(v, 0)->address, "127.0.0.64:22884");
		CHECK_STR(zk_t_member(v, 2)->id, "4");
		CHECK_INT(zk_t_member(v, 2)->state, QS_MEMBER_NONVOTER);
	}
	CHECK_INT(run->identities.n, 0);
	CHECK_STR(zk_t_setting(run, NULL, "zk.txnlog.txns"), "7");
	CHECK_STR(zk_t_setting(run, NULL, "zk.txnlog.first_zxid"),
	    "0x100000001");
	CHECK_STR(zk_t_setting(run, NULL, "zk.txnlog.last_zxid"),
	    "0x200000002");
	CHECK_STR(zk_t_setting(run, NULL, "zk.txnlog.sessions_created"), "2");
	CHECK_STR(zk_t_setting(run, NULL, "zk.txnlog.sessions_closed"), "1");
	CHECK_STR(zk_t_setting(run, NULL, "zk.txnlog.open_sessions"),
	    "0x200002513490000");
	CHECK_STR(zk_t_setting(run, NULL, "zk.txnlog.last_time"),
	    "2026-11-22T06:15:28.526Z");
	CHECK(zk_t_setting(run, NULL, "zk.txnlog.corrupt_offset") == NULL);
	CHECK_INT(run->settings.n, 7);
	qs_run_free(run);
	free(b.p);
}

/* No preallocation, or a zero tail cut short: both end cleanly. */
DEFINE_TEST(test_parse_zk_txnlog_clean_ends)
{
	struct zk_t_buf		 b = { NULL, 0, 0 };
	struct log_offsets	 o;
	struct qs_run		*run;

	healthy_log(&b, &o, 0);
	run = qs_test_parse("zk.txnlog", LOG_PATH, (const char *)b.p, b.len);
	CHECK_INT(run->diags.n, 0);
	CHECK_STR(zk_t_setting(run, NULL, "zk.txnlog.txns"), "7");
	qs_run_free(run);
	b.len = o.end;
	zk_t_zeros(&b, 5);
	run = qs_test_parse("zk.txnlog", LOG_PATH, (const char *)b.p, b.len);
	CHECK_INT(run->diags.n, 0);
	CHECK_INT(status_of(run), QS_STATUS_PARSED);
	qs_run_free(run);
	free(b.p);
}

/* One flipped byte: the Adler-32 catches it at that record's offset. */
DEFINE_TEST(test_parse_zk_txnlog_flipped_byte)
{
	struct zk_t_buf		 b = { NULL, 0, 0 };
	struct log_offsets	 o;
	struct qs_run		*run;
	char			 want[128];

	healthy_log(&b, &o, 4096);
	b.p[o.rec[3] + 12 + 40] ^= 0x20;	/* inside the 4th txn */
	run = qs_test_parse("zk.txnlog", LOG_PATH, (const char *)b.p, b.len);
	CHECK_INT(status_of(run), QS_STATUS_PARTIAL);
	CHECK_INT(run->diags.n, 1);
	snprintf(want, sizeof(want), "offset %zu (0x%zx): checksum mismatch",
	    o.rec[3], o.rec[3]);
	CHECK(qs_test_has_diag(run, want));
	snprintf(want, sizeof(want), "%zu", o.rec[3]);
	CHECK_STR(zk_t_setting(run, NULL, "zk.txnlog.corrupt_offset"), want);
	/* The damage as a signal, with the last good zxid. */
	{
		const struct qs_signal	*s = qs_test_signal(run,
		    QS_SIG_DATA_DAMAGE, NULL);

		CHECK(s != NULL && s->ev.offset == o.rec[3] &&
		    (s->clock.set & QS_CLOCK_ZXID) &&
		    s->clock.zxid == 0x100000003ULL && strstr(s->detail,
		    "checksum mismatch") != NULL && strstr(s->detail,
		    "(last good zxid 0x100000003)") != NULL);
		CHECK_INT(qs_test_nsignals(run, QS_SIG_DATA_DAMAGE), 1);
	}
	/* What came before is kept; nothing after is trusted. */
	CHECK_STR(zk_t_setting(run, NULL, "zk.txnlog.txns"), "3");
	CHECK_STR(zk_t_setting(run, NULL, "zk.txnlog.last_zxid"),
	    "0x100000003");
	CHECK_INT(zk_t_nevents(run, NULL, QS_EV_CONFIG_CHANGE), 0);
	CHECK_INT(zk_t_nevents(run, NULL, QS_EV_TERM_CHANGE), 1);
	qs_run_free(run);

	/* A flipped checksum byte is the same mismatch. */
	b.p[o.rec[3] + 12 + 40] ^= 0x20;
	b.p[o.rec[1] + 7] ^= 0x01;
	run = qs_test_parse("zk.txnlog", LOG_PATH, (const char *)b.p, b.len);
	snprintf(want, sizeof(want), "offset %zu (0x%zx): checksum mismatch",
	    o.rec[1], o.rec[1]);
	CHECK(qs_test_has_diag(run, want));
	CHECK_STR(zk_t_setting(run, NULL, "zk.txnlog.txns"), "1");
	qs_run_free(run);
	free(b.p);
}

DEFINE_TEST(test_parse_zk_txnlog_truncated)
{
	struct zk_t_buf		 b = { NULL, 0, 0 };
	struct log_offsets	 o;
	struct qs_run		*run;
	char			 want[128];

	healthy_log(&b, &o, 0);
	/* Inside the 5th record's txn bytes. */
	run = qs_test_parse("zk.txnlog", LOG_PATH, (const char *)b.p,
	    o.rec[4] + 40);
	CHECK_INT(status_of(run), QS_STATUS_PARTIAL);
	snprintf(want, sizeof(want), "offset %zu (0x%zx): record of ",
	    o.rec[4], o.rec[4]);
	CHECK(qs_test_has_diag(run, want));
	CHECK(qs_test_has_diag(run, "cut short (last transaction was "
	    "partial)"));
	CHECK_STR(zk_t_setting(run, NULL, "zk.txnlog.txns"), "4");
	qs_run_free(run);

	/* Inside the record header. */
	run = qs_test_parse("zk.txnlog", LOG_PATH, (const char *)b.p,
	    o.rec[2] + 9);
	snprintf(want, sizeof(want), "offset %zu (0x%zx): record header cut "
	    "short", o.rec[2], o.rec[2]);
	CHECK(qs_test_has_diag(run, want));
	CHECK_STR(zk_t_setting(run, NULL, "zk.txnlog.txns"), "2");
	qs_run_free(run);

	/* Right before the 'B'. */
	run = qs_test_parse("zk.txnlog", LOG_PATH, (const char *)b.p,
	    o.rec[1] - 1);
	CHECK(qs_test_has_diag(run, "last transaction was partial"));
	CHECK_STR(zk_t_setting(run, NULL, "zk.txnlog.txns"), "0");
	CHECK(zk_t_setting(run, NULL, "zk.txnlog.last_zxid") == NULL);
	qs_run_free(run);
	free(b.p);
}

DEFINE_TEST(test_parse_zk_txnlog_bad_framing)
{
	struct zk_t_buf		 b = { NULL, 0, 0 };
	struct zk_t_buf		 t = { NULL, 0, 0 };
	struct log_offsets	 o;
	struct qs_run		*run;
	size_t			 at;

	/* The marker is not covered by the checksum. */
	healthy_log(&b, &o, 0);
	b.p[o.rec[2] - 1] = 'A';
	run = qs_test_parse("zk.txnlog", LOG_PATH, (const char *)b.p, b.len);
	CHECK(qs_test_has_diag(run, "end-of-record marker is 0x41, not 'B'"));
	CHECK_STR(zk_t_setting(run, NULL, "zk.txnlog.txns"), "1");
	qs_run_free(run);

	/* Impossible lengths. */
	b.p[o.rec[2] - 1] = 'B';
	b.p[o.rec[1] + 8] = 0xff;
	run = qs_test_parse("zk.txnlog", LOG_PATH, (const char *)b.p, b.len);
	CHECK(qs_test_has_diag(run, "is impossible"));
	qs_run_free(run);
	b.p[o.rec[1] + 8] = 0x7f;
	run = qs_test_parse("zk.txnlog", LOG_PATH, (const char *)b.p, b.len);
	CHECK(qs_test_has_diag(run, "is impossible (limit 67108864)"));
	qs_run_free(run);
	free(b.p);

	/* A well-framed txn too short for a TxnHeader. */
	memset(&b, 0, sizeof(b));
	log_header(&b, 2);
	at = b.len;
	zk_t_put(&t, "0123456789", 10);
	zk_t_i64(&b, (int64_t)qs_adler32(1, t.p, t.len));
	zk_t_i32(&b, 10);
	zk_t_put(&b, t.p, t.len);
	zk_t_byte(&b, 'B');
	run = qs_test_parse("zk.txnlog", LOG_PATH, (const char *)b.p, b.len);
	CHECK(qs_test_has_diag(run, "txn of 10 bytes is shorter than its "
	    "header"));
	CHECK_INT(at, 16);
	CHECK_STR(zk_t_setting(run, NULL, "zk.txnlog.corrupt_offset"), "16");
	qs_run_free(run);
	free(b.p);
	free(t.p);
}

DEFINE_TEST(test_parse_zk_txnlog_headers)
{
	struct zk_t_buf		 b = { NULL, 0, 0 };
	struct zk_t_buf		 body = { NULL, 0, 0 };
	struct qs_run		*run;

	run = qs_test_parse("zk.txnlog", LOG_PATH, "ZKSN\0\0\0\2\0\0\0\0\0\0"
	    "\0\0", 16);
	CHECK_INT(status_of(run), QS_STATUS_FAILED);
	CHECK(qs_test_has_diag(run, "bad magic 0x5a4b534e"));
	CHECK_INT(run->settings.n, 0);
	qs_run_free(run);

	run = qs_test_parse("zk.txnlog", LOG_PATH, "ZKLG\0\0", 6);
	CHECK_INT(status_of(run), QS_STATUS_FAILED);
	CHECK(qs_test_has_diag(run, "file header cut short: 6 of 16 bytes"));
	qs_run_free(run);

	/* An unknown version is read on, with a warning. */
	log_header(&b, 3);
	body_session(&body, 30000);
	log_record(&b, 1, UINT64_C(0x500000001), T0, -10, &body);
	run = qs_test_parse("zk.txnlog", LOG_PATH, (const char *)b.p, b.len);
	CHECK(qs_test_has_diag(run, "file format version 3"));
	CHECK_STR(zk_t_setting(run, NULL, "zk.txnlog.first_zxid"),
	    "0x500000001");
	CHECK_STR(zk_t_setting(run, NULL, "zk.txnlog.open_sessions"), "0x1");
	qs_run_free(run);

	/* A header and nothing else: an empty, clean log. */
	b.len = 16;
	run = qs_test_parse("zk.txnlog", LOG_PATH, (const char *)b.p, b.len);
	CHECK_STR(zk_t_setting(run, NULL, "zk.txnlog.txns"), "0");
	CHECK_INT(run->events.n, 0);
	qs_run_free(run);
	free(b.p);
	free(body.p);
}

/* A reconfig whose body is not a SetDataTxn: a warning, no view. */
DEFINE_TEST(test_parse_zk_txnlog_bad_reconfig)
{
	struct zk_t_buf		 b = { NULL, 0, 0 };
	struct zk_t_buf		 body = { NULL, 0, 0 };
	struct qs_run		*run;

	log_header(&b, 2);
	zk_t_i32(&body, 1000);			/* path longer than the txn */
	log_record(&b, 1, UINT64_C(0x10000000f), T0, 16, &body);
	body.len = 0;
	zk_t_str(&body, "/zookeeper/config");
	zk_t_str(&body, "server.1=nonsense\nversion=10000000f");
	zk_t_i32(&body, -1);
	log_record(&b, 1, UINT64_C(0x100000010), T0, 16, &body);
	run = qs_test_parse("zk.txnlog", LOG_PATH, (const char *)b.p, b.len);
	CHECK(qs_test_has_diag(run, "reconfig txn 0x10000000f has no "
	    "readable configuration"));
	CHECK(qs_test_has_diag(run, "reconfig txn 0x100000010: 1 server "
	    "lines unreadable, 0 read"));
	CHECK_INT(zk_t_nevents(run, NULL, QS_EV_CONFIG_CHANGE), 1);
	CHECK_INT(run->views.n, 1);
	CHECK_STR(zk_t_setting(run, NULL, "zk.txnlog.txns"), "2");
	qs_run_free(run);
	free(b.p);
	free(body.p);
}
