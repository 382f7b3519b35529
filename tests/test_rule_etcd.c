/*
 * etcd rules over the real bundles of testdata/bundles: each rule fires on
 * the bundle whose README states its fault, with the repair naming the
 * right member, and none fires on etcd-healthy.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "quorumscope.h"
#include "test.h"

struct er {
	struct qs_run		*run;
	struct qs_analysis	 an;
};

static void
er_read(struct er *r, const char *name)
{
	char	path[4096];

	memset(r, 0, sizeof(*r));
	r->run = qs_run_new();
	r->run->echo_diags = 0;
	r->run->quiet = 1;
	snprintf(path, sizeof(path), "%s/testdata/bundles/%s.tar.gz",
	    qs_test_srcdir(), name);
	qs_bundle_read(r->run, path);
	qs_nodes_resolve(r->run);
	qs_analyse(r->run, &r->an);
}

static void
er_free(struct er *r)
{
	qs_analysis_free(&r->an);
	qs_run_free(r->run);
}

static const struct qs_finding *
er_finding(struct er *r, const char *rule)
{
	size_t	i;

	for (i = 0; i < r->an.findings.n; i++) {
		const struct qs_finding	*f = r->an.findings.v[i];

		if (strcmp(f->rule->id, rule) == 0)
			return f;
	}
	return NULL;
}

static int
er_has(const struct qs_vec *v, const char *needle)
{
	size_t	i;

	for (i = 0; i < v->n; i++)
		if (strstr(v->v[i], needle) != NULL)
			return 1;
	return 0;
}

static size_t
er_etcd_findings(struct er *r)
{
	size_t	i, n = 0;

	for (i = 0; i < r->an.findings.n; i++)
		if (((const struct qs_finding *)r->an.findings.v[i])->rule->
		    system == QS_SYS_ETCD)
			n++;
	return n;
}

DEFINE_TEST(test_rule_etcd_healthy_quiet)
{
	struct er	r;

	er_read(&r, "etcd-healthy");
	CHECK_INT(er_etcd_findings(&r), 0);
	er_free(&r);
	er_read(&r, "etcd-backup-dump");
	CHECK_INT(er_etcd_findings(&r), 0);
	er_free(&r);
}

DEFINE_TEST(test_rule_etcd_wiped_member)
{
	struct er		 r;
	const struct qs_finding	*f;

	er_read(&r, "etcd-wiped-member");
	f = er_finding(&r, "etcd-cluster-id-mismatch");
	CHECK(f != NULL);
	if (f != NULL) {
		CHECK_INT(f->nodes.n, 1);
		CHECK_STR(((const struct qs_node *)f->nodes.v[0])->name,
		    "etcd3");
		CHECK(er_has(&f->facts, "59d08371d4b1f2f5"));
		CHECK(er_has(&f->steps, "etcdctl member remove "
		    "984bd2f86d62a320"));
		CHECK(er_has(&f->steps, "--initial-cluster-state existing"));
		CHECK(er_has(&f->steps,
		    "etcd-wiped-member/etcd3/var/lib/etcd"));
	}
	f = er_finding(&r, "etcd-quorum-loss");
	CHECK(f != NULL);
	if (f != NULL) {
		/* etcd3 is the stray: no --force-new-cluster from it */
		CHECK(er_has(&f->steps, "Do not run --force-new-cluster on "
		    "etcd3"));
	}
	CHECK(er_finding(&r, "etcd-removed-member-present") == NULL);
	CHECK(er_finding(&r, "etcd-unstarted-member") == NULL);
	er_free(&r);
}

DEFINE_TEST(test_rule_etcd_member_changes)
{
	struct er		 r;
	const struct qs_finding	*f;

	er_read(&r, "etcd-member-changes");
	f = er_finding(&r, "etcd-removed-member-present");
	CHECK(f != NULL);
	if (f != NULL) {
		CHECK(strstr(f->title, "f0571bfc918b88ca (etcd2) ran again") !=
		    NULL);
		CHECK(er_has(&f->facts, "started again after its removal"));
		CHECK(er_has(&f->facts, "permanently removed"));
	}
	f = er_finding(&r, "etcd-unstarted-member");
	CHECK(f != NULL);
	if (f != NULL) {
		CHECK(strstr(f->title, "5cf031bdbb155b4b") != NULL);
		CHECK(er_has(&f->steps, "etcdctl member remove "
		    "5cf031bdbb155b4b"));
	}
	CHECK(er_finding(&r, "etcd-membership-differ") != NULL);
	CHECK(er_finding(&r, "etcd-cluster-id-mismatch") == NULL);
	CHECK(er_finding(&r, "etcd-quorum-loss") == NULL);
	er_free(&r);
}

DEFINE_TEST(test_rule_etcd_force_new_cluster)
{
	struct er		 r;
	const struct qs_finding	*f;

	er_read(&r, "etcd-force-new-cluster");
	f = er_finding(&r, "etcd-membership-differ");
	CHECK(f != NULL);
	if (f != NULL)
		CHECK_INT(f->nodes.n, 3);
	CHECK(f != NULL && er_has(&f->facts,
	    "etcd1 was started with --force-new-cluster"));
	/* etcd2 came back and was refused; etcd3 never ran again */
	f = er_finding(&r, "etcd-removed-member-present");
	CHECK(f != NULL);
	if (f != NULL) {
		CHECK_INT(f->nodes.n, 1);
		CHECK(strstr(f->title, "(etcd2)") != NULL);
	}
	CHECK(er_finding(&r, "etcd-cluster-id-mismatch") == NULL);
	er_free(&r);
}
