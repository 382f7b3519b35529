/*
 * The etcd state rules (src/rule-etcd-state.c): each fires on the real
 * bundle whose README states its fault and on a hand-built model of the
 * case, names the right member in its repair, and stays quiet on the
 * healthy bundles and on normal lags between a member's copies.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "quorumscope.h"
#include "test.h"

struct es {
	struct qs_run		*run;
	struct qs_analysis	 an;
};

static void
es_read(struct es *r, const char *name)
{
	memset(r, 0, sizeof(*r));
	r->run = qs_test_bundle(name);
	qs_analyse(r->run, &r->an);
}

static void
es_free(struct es *r)
{
	qs_analysis_free(&r->an);
	qs_run_free(r->run);
}

static const struct qs_finding *
es_finding(struct es *r, const char *rule, size_t *count)
{
	return qs_test_finding(&r->an, rule, count);
}

#define es_has	qs_test_vec_has

static int
es_quiet(struct es *r)
{
	return es_finding(r, "etcd-split-brain", NULL) == NULL &&
	    es_finding(r, "etcd-follower-behind", NULL) == NULL &&
	    es_finding(r, "etcd-store-differ", NULL) == NULL;
}

/* A parse context for `file` of kind `kind` in node `node`'s directory. */
static struct qs_parse_ctx *
es_ctx(struct es *r, const char *node, const char *kind, const char *file)
{
	return qs_test_model_ctx(r->run, node, kind, file);
}

static void
es_model(struct es *r)
{
	memset(r, 0, sizeof(*r));
	r->run = qs_run_new();
	r->run->echo_diags = 0;
}

static void
es_set(struct es *r, const char *node, const char *key, const char *value)
{
	struct qs_parse_ctx	*ctx = es_ctx(r, node, "etcd.wal",
	    "var/lib/etcd/member/wal/0000000000000000-0000000000000000.wal");
	struct qs_evidence	 ev = qs_evidence_offset(ctx, 16, "x");

	qs_emit_setting(ctx, key, value, &ev);
}

/* A view of ids (NULL-terminated) at `index` from `kind`'s file. */
static void
es_view(struct es *r, const char *node, const char *kind, const char *file,
    const char *source, uint64_t index, const char *const *ids)
{
	struct qs_parse_ctx	*ctx = es_ctx(r, node, kind, file);
	struct qs_evidence	 ev = qs_evidence_offset(ctx, 0, "x");
	struct qs_view		*v;

	v = qs_emit_view(ctx, QS_VIEW_CONSENSUS, source, &ev);
	v->clock.set = QS_CLOCK_INDEX;
	v->clock.index = index;
	for (; *ids != NULL; ids++)
		qs_view_add(ctx, v, NULL, NULL, *ids,
		    strcmp(source, "etcd backend removed members") == 0 ||
		    strcmp(source, "etcd v2 store removed members") == 0 ?
		    QS_MEMBER_REAPED : QS_MEMBER_VOTER);
}

static void
es_run(struct es *r)
{
	qs_nodes_resolve(r->run);
	qs_analyse(r->run, &r->an);
}

DEFINE_TEST(test_rule_etcd_state_healthy_quiet)
{
	static const char *const quiet[] = { "etcd-healthy",
	    "etcd-backup-dump", "etcd-member-changes", "etcd-wiped-member",
	    "etcd-force-new-cluster" };
	struct es	r;
	size_t		i;

	for (i = 0; i < sizeof(quiet) / sizeof(quiet[0]); i++) {
		es_read(&r, quiet[i]);
		if (!es_quiet(&r))
			qs_test_fail(__FILE__, __LINE__, "a state rule fires "
			    "on %s", quiet[i]);
		es_free(&r);
	}
}

DEFINE_TEST(test_rule_etcd_split_brain_bundle)
{
	struct es		 r;
	const struct qs_finding	*f;
	size_t			 n;

	es_read(&r, "etcd-force-split");
	f = es_finding(&r, "etcd-split-brain", &n);
	CHECK(f != NULL);
	CHECK_INT(n, 1);
	if (f != NULL) {
		CHECK_INT(f->nodes.n, 3);
		CHECK(strstr(f->title, "1911aeeeb9ca06cf") != NULL);
		CHECK(strstr(f->title, "etcd1 and etcd2, etcd3") != NULL);
		CHECK(es_has(&f->facts, "the same term with different "
		    "contents"));
		CHECK(es_has(&f->facts, "--force-new-cluster (log line"));
		CHECK(es_has(&f->facts, "Side B holds 2 of the 3 voters of its "
		    "own membership: a quorum"));
		CHECK(es_has(&f->facts, "Both sides had a leader at the same "
		    "time"));
		CHECK(es_has(&f->steps, "Keep side A (etcd1)"));
		CHECK(es_has(&f->steps, "etcd-force-split/etcd2/var/lib/etcd"));
		CHECK(es_has(&f->steps, "etcdctl member add etcd3 "
		    "--peer-urls=http://127.0.0.43:23823"));
		/* etcd1 already removed them: no member remove */
		CHECK(!es_has(&f->steps, "member remove"));
	}
	CHECK(es_finding(&r, "etcd-follower-behind", NULL) == NULL);
	es_free(&r);
}

/* Terms alone (tails that do not overlap) locate the fork too. */
DEFINE_TEST(test_rule_etcd_split_brain_terms)
{
	struct es		 r;
	const struct qs_finding	*f;

	es_model(&r);
	es_set(&r, "a", "etcd.cluster_id", "c1");
	es_set(&r, "a", "etcd.member_id", "aa");
	es_set(&r, "a", "etcd.wal.tail", "500:9:00000001");
	es_set(&r, "a", "etcd.wal.terms", "1:1,40:2,100:5,300:9");
	es_set(&r, "a", "etcd.wal.last_index", "500");
	es_set(&r, "a", "etcd.hardstate.commit", "500");
	es_set(&r, "b", "etcd.cluster_id", "c1");
	es_set(&r, "b", "etcd.member_id", "bb");
	es_set(&r, "b", "etcd.wal.tail", "200:6:00000002");
	es_set(&r, "b", "etcd.wal.terms", "1:1,40:2,100:6");
	es_set(&r, "b", "etcd.wal.last_index", "200");
	es_set(&r, "b", "etcd.hardstate.commit", "150");
	es_run(&r);
	f = es_finding(&r, "etcd-split-brain", NULL);
	CHECK(f != NULL);
	if (f != NULL) {
		CHECK(strstr(f->title, "diverge at entry 100") != NULL);
		CHECK(es_has(&f->facts, "term 5 on side A, term 6 on side B"));
		CHECK(es_has(&f->steps, "Keep side A (a)"));
	}
	es_free(&r);

	/* The same fork, but b never committed past it: a stale tail. */
	es_model(&r);
	es_set(&r, "a", "etcd.cluster_id", "c1");
	es_set(&r, "a", "etcd.wal.tail", "500:9:00000001");
	es_set(&r, "a", "etcd.wal.terms", "1:1,40:2,100:5,300:9");
	es_set(&r, "a", "etcd.wal.last_index", "500");
	es_set(&r, "a", "etcd.hardstate.commit", "500");
	es_set(&r, "b", "etcd.cluster_id", "c1");
	es_set(&r, "b", "etcd.wal.tail", "200:6:00000002");
	es_set(&r, "b", "etcd.wal.terms", "1:1,40:2,100:6");
	es_set(&r, "b", "etcd.wal.last_index", "200");
	es_set(&r, "b", "etcd.hardstate.commit", "99");
	es_run(&r);
	CHECK(es_finding(&r, "etcd-split-brain", NULL) == NULL);
	es_free(&r);

	/* Different clusters never make a split (cluster-id-mismatch's). */
	es_model(&r);
	es_set(&r, "a", "etcd.cluster_id", "c1");
	es_set(&r, "a", "etcd.wal.tail", "5:2:00000001");
	es_set(&r, "a", "etcd.hardstate.commit", "5");
	es_set(&r, "b", "etcd.cluster_id", "c2");
	es_set(&r, "b", "etcd.wal.tail", "5:2:00000002");
	es_set(&r, "b", "etcd.hardstate.commit", "5");
	es_run(&r);
	CHECK(es_finding(&r, "etcd-split-brain", NULL) == NULL);
	es_free(&r);
}

/* Only etcdctl output: two leaders, one unknown to the other's list. */
DEFINE_TEST(test_rule_etcd_split_brain_status)
{
	static const char *const one[] = { "aa", NULL };
	static const char *const three[] = { "aa", "bb", "cc", NULL };
	struct es		 r;
	const struct qs_finding	*f;
	int			 pass;

	for (pass = 0; pass < 2; pass++) {
		es_model(&r);
		es_set(&r, "x", "etcd.status.cluster_id", "c1");
		es_set(&r, "x", "etcd.status.leader", "aa");
		es_set(&r, "x", "etcd.status.raft_index", "37");
		es_view(&r, "x", "etcd.etcdctl_output", "etcdctl/ml.json",
		    "etcdctl member list", 0, pass == 0 ? one : three);
		es_set(&r, "y", "etcd.status.cluster_id", "c1");
		es_set(&r, "y", "etcd.status.leader", "bb");
		es_set(&r, "y", "etcd.status.raft_index", "34");
		es_view(&r, "y", "etcd.etcdctl_output", "etcdctl/ml.json",
		    "etcdctl member list", 0, three);
		es_run(&r);
		f = es_finding(&r, "etcd-split-brain", NULL);
		if (pass == 0) {
			CHECK(f != NULL);
			if (f != NULL) {
				CHECK(strstr(f->title, "two leaders") != NULL);
				CHECK(es_has(&f->facts,
				    "bb is not in x's list"));
				CHECK(es_has(&f->steps, "Keep the side of x"));
			}
		} else	/* a leader change between collections */
			CHECK(f == NULL);
		es_free(&r);
	}
}

DEFINE_TEST(test_rule_etcd_follower_behind_bundle)
{
	struct es		 r;
	const struct qs_finding	*f;
	size_t			 n;

	es_read(&r, "etcd-restored-old-member");
	f = es_finding(&r, "etcd-follower-behind", &n);
	CHECK(f != NULL);
	CHECK_INT(n, 1);
	if (f != NULL) {
		CHECK_INT(f->nodes.n, 1);
		CHECK_STR(((const struct qs_node *)f->nodes.v[0])->name,
		    "etcd3");
		CHECK(strstr(f->title, "commit 40 is beyond its last index 19")
		    != NULL);
		CHECK(es_has(&f->facts, "Its WAL in the bundle ends at entry "
		    "19 too: entries 20-40 are missing"));
		CHECK(es_has(&f->steps, "etcdctl member remove "
		    "315b788cef7005ee"));
		CHECK(es_has(&f->steps, "etcdctl member add etcd3 "
		    "--peer-urls=http://127.0.0.47:23863"));
		CHECK(es_has(&f->steps, "ETCD_INITIAL_CLUSTER_STATE=existing"));
	}
	CHECK(es_finding(&r, "etcd-split-brain", NULL) == NULL);
	CHECK(es_finding(&r, "etcd-store-differ", NULL) == NULL);
	es_free(&r);
}

DEFINE_TEST(test_rule_etcd_follower_behind_model)
{
	struct es		 r;
	struct qs_parse_ctx	*ctx;
	struct qs_evidence	 ev;
	const struct qs_finding	*f;

	es_model(&r);
	es_set(&r, "n2", "etcd.member_id", "beef");
	es_set(&r, "n2", "etcd.wal.last_index", "7");
	es_set(&r, "n1", "etcd.hardstate.commit", "12");
	ctx = es_ctx(&r, "n2", "etcd.log", "var/log/etcd/etcd.log");
	ev = qs_evidence_line(ctx, 3, "panic: tocommit(12) is out of range "
	    "[lastIndex(5)]. Was the raft log corrupted, truncated, or lost?");
	qs_emit_signal(ctx, QS_SIG_COMMIT_OUT_OF_RANGE, NULL, &ev)->system =
	    QS_SYS_ETCD;
	es_run(&r);
	f = es_finding(&r, "etcd-follower-behind", NULL);
	CHECK(f != NULL);
	if (f != NULL) {
		CHECK(strstr(f->title, "commit 12 is beyond its last index 5")
		    != NULL);
		/* The WAL no longer matches the panic: said so. */
		CHECK(es_has(&f->facts, "ends at entry 7 (the panic reported "
		    "5)"));
		CHECK(es_has(&f->facts, "n1's HardState has commit 12"));
		CHECK(es_has(&f->steps, "etcdctl member remove beef"));
	}
	es_free(&r);

	/* An excerpt cut before the numbers still gives the finding. */
	es_model(&r);
	ctx = es_ctx(&r, "n3", "etcd.log", "var/log/etcd/etcd.log");
	ev = qs_evidence_line(ctx, 9, "panic: tocommit(");
	qs_emit_signal(ctx, QS_SIG_COMMIT_OUT_OF_RANGE, NULL, &ev)->system =
	    QS_SYS_ETCD;
	es_run(&r);
	f = es_finding(&r, "etcd-follower-behind", NULL);
	CHECK(f != NULL);
	if (f != NULL)
		CHECK(strstr(f->title, "commit is beyond its last index") !=
		    NULL);
	es_free(&r);
}

/* Real: a removed member's backend replaced by a healthy member's copy. */
DEFINE_TEST(test_rule_etcd_store_differ_bundle)
{
	struct es		 r;
	const struct qs_finding	*f;
	size_t			 n;

	es_read(&r, "etcd-copied-backend");
	f = es_finding(&r, "etcd-store-differ", &n);
	CHECK(f != NULL);
	CHECK_INT(n, 1);
	if (f != NULL) {
		CHECK_INT(f->nodes.n, 1);
		CHECK_STR(((const struct qs_node *)f->nodes.v[0])->name,
		    "etcd3");
		CHECK(strstr(f->title, "backend members bucket is stale") !=
		    NULL);
		CHECK(es_has(&f->facts, "beyond the end of its own WAL"));
		CHECK(es_has(&f->facts, "it lists member 814ef31a667ac225, "
		    "which the backend members_removed bucket"));
		CHECK(es_has(&f->steps, "etcdctl member add etcd3 "
		    "--peer-urls=http://127.0.0.43:23903"));
		CHECK(es_has(&f->steps,
		    "etcd-copied-backend/etcd3/var/lib/etcd"));
	}
	CHECK(es_finding(&r, "etcd-split-brain", NULL) == NULL);
	CHECK(es_finding(&r, "etcd-follower-behind", NULL) == NULL);
	es_free(&r);
}

static const char *const ids_abc[] = { "a", "b", "c", NULL };
static const char *const ids_ab[] = { "a", "b", NULL };
static const char *const ids_c[] = { "c", NULL };
static const char *const ids_none[] = { NULL };

#define WAL_FILE	"var/lib/etcd/member/wal/0-0.wal"
#define DB_FILE		"var/lib/etcd/member/snap/db"
#define SNAP_FILE	"var/lib/etcd/member/snap/2-15.snap"

DEFINE_TEST(test_rule_etcd_store_differ_model)
{
	struct es		 r;
	const struct qs_finding	*f;

	/* A backend past the WAL's last change that still lists c. */
	es_model(&r);
	es_view(&r, "n1", "etcd.wal", WAL_FILE, "etcd WAL membership", 31,
	    ids_ab);
	es_view(&r, "n1", "etcd.db", DB_FILE, "etcd backend members", 40,
	    ids_abc);
	es_view(&r, "n1", "etcd.db", DB_FILE, "etcd backend removed members",
	    40, ids_none);
	es_run(&r);
	f = es_finding(&r, "etcd-store-differ", NULL);
	CHECK(f != NULL);
	if (f != NULL) {
		CHECK(strstr(f->title, "backend members bucket is stale") !=
		    NULL);
		CHECK(es_has(&f->facts, "etcd 3.4 rebuilds the membership from "
		    "the v2 store"));
		CHECK(es_has(&f->steps, "n1/var/lib/etcd"));
	}
	es_free(&r);

	/* A .snap past the backend's removal that lists c again. */
	es_model(&r);
	es_view(&r, "n1", "etcd.db", DB_FILE, "etcd backend members", 30,
	    ids_ab);
	es_view(&r, "n1", "etcd.db", DB_FILE, "etcd backend removed members",
	    30, ids_c);
	es_view(&r, "n1", "etcd.snap", SNAP_FILE, "etcd v2 store membership",
	    35, ids_abc);
	es_run(&r);
	f = es_finding(&r, "etcd-store-differ", NULL);
	CHECK(f != NULL);
	if (f != NULL)
		CHECK(es_has(&f->facts, "it lists member c, which the backend "
		    "members_removed bucket (index 30) has as removed"));
	es_free(&r);

	/* Normal lag: an older .snap still lists c, the WAL removed it. */
	es_model(&r);
	es_view(&r, "n1", "etcd.wal", WAL_FILE, "etcd WAL membership", 31,
	    ids_ab);
	es_view(&r, "n1", "etcd.db", DB_FILE, "etcd backend members", 31,
	    ids_ab);
	es_view(&r, "n1", "etcd.db", DB_FILE, "etcd backend removed members",
	    31, ids_c);
	es_view(&r, "n1", "etcd.snap", SNAP_FILE, "etcd v2 store membership",
	    21, ids_abc);
	es_run(&r);
	CHECK(es_finding(&r, "etcd-store-differ", NULL) == NULL);
	es_free(&r);
}
