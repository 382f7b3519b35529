/*
 * The operator rules (rule-etcd-operator.c) and the live data dir
 * (etcd-data-dir.c) over the real bundles of testdata/bundles: each rule
 * fires on the two bundles whose READMEs state its cause, names the file
 * and line, and stays quiet on healthy churn.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "quorumscope.h"
#include "test.h"

struct eo {
	struct qs_run		*run;
	struct qs_analysis	 an;
};

static void
eo_read(struct eo *r, const char *name)
{
	memset(r, 0, sizeof(*r));
	r->run = qs_test_bundle(name);
	qs_analyse(r->run, &r->an);
}

static void
eo_free(struct eo *r)
{
	qs_analysis_free(&r->an);
	qs_run_free(r->run);
}

static const struct qs_finding *
eo_finding(struct eo *r, const char *rule, size_t *n)
{
	return qs_test_finding(&r->an, rule, n);
}

static const char *
eo_node(const struct qs_finding *f, size_t i)
{
	return i < f->nodes.n ? ((const struct qs_node *)f->nodes.v[i])->name :
	    "";
}

static const char *const eo_rules[] = {
	"etcd-force-new-cluster-left", "etcd-token-differ",
	"etcd-peer-url-moved", "etcd-restore-rollback", NULL
};

DEFINE_TEST(test_rule_etcd_operator_quiet)
{
	static const char *const healthy[] = {
		"etcd-healthy", "etcd-rolling-restart",
		"etcd-rolling-restart-kubeadm", "etcd-member-changes",
		"etcd-hostnames", NULL
	};
	struct eo	r;
	size_t		i, j;

	for (i = 0; healthy[i] != NULL; i++) {
		eo_read(&r, healthy[i]);
		for (j = 0; eo_rules[j] != NULL; j++)
			if (eo_finding(&r, eo_rules[j], NULL) != NULL) {
				printf("# %s fires on %s\n", eo_rules[j],
				    healthy[i]);
				CHECK(0);
			}
		eo_free(&r);
	}
}

DEFINE_TEST(test_rule_etcd_operator_fnc_latent)
{
	struct eo		 r;
	const struct qs_finding	*f;

	eo_read(&r, "etcd-fnc-left-in-env");
	f = eo_finding(&r, "etcd-force-new-cluster-left", NULL);
	CHECK(f != NULL);
	if (f != NULL) {
		CHECK_INT(f->level, QS_LEVEL_WARNING);
		CHECK_INT(f->nodes.n, 1);
		CHECK(strstr(eo_node(f, 0), "ops-3") != NULL);
		CHECK(strstr(f->title, "/etc/default/etcd line 16") != NULL);
		CHECK(qs_test_vec_has(&f->facts, "started with it once"));
		CHECK(qs_test_vec_has(&f->steps, "delete the setting"));
	}
	eo_free(&r);
}

DEFINE_TEST(test_rule_etcd_operator_fnc_applied)
{
	struct eo		 r;
	const struct qs_finding	*f, *rm;

	eo_read(&r, "etcd-fnc-left-restarted");
	f = eo_finding(&r, "etcd-force-new-cluster-left", NULL);
	rm = eo_finding(&r, "etcd-removed-member-present", NULL);
	CHECK(f != NULL);
	CHECK(rm != NULL);
	if (f != NULL && rm != NULL) {
		CHECK_INT(f->level, QS_LEVEL_ERROR);
		CHECK_STR(eo_node(f, 0), "vault-c");
		CHECK(strstr(f->title, "50-recovery.conf line 3") != NULL);
		CHECK(qs_test_vec_has(&f->facts, "2 times"));
		CHECK(qs_test_vec_has(&f->steps, "systemctl daemon-reload"));
		CHECK(qs_test_vec_has(&f->steps, "etcdctl member add vault-a "
		    "--peer-urls=http://127.0.1.156:31480"));
		CHECK_INT(rm->role, QS_ROLE_CONSEQUENCE);
		CHECK_INT(f->role, QS_ROLE_CAUSE);
	}
	eo_free(&r);
}

static void
eo_token(const char *bundle, const char *node, const char *where,
    const char *old_id)
{
	struct eo		 r;
	const struct qs_finding	*f, *cid;
	char			 step[128];

	eo_read(&r, bundle);
	f = eo_finding(&r, "etcd-token-differ", NULL);
	cid = eo_finding(&r, "etcd-cluster-id-mismatch", NULL);
	CHECK(f != NULL);
	CHECK(cid != NULL);
	if (f != NULL && cid != NULL) {
		CHECK_INT(f->level, QS_LEVEL_ERROR);
		CHECK_INT(f->nodes.n, 1);
		CHECK_STR(eo_node(f, 0), node);
		CHECK(qs_test_vec_has(&f->facts, where));
		CHECK(qs_test_vec_has(&f->facts, "initial-cluster-state new"));
		snprintf(step, sizeof(step), "etcdctl member remove %s",
		    old_id);
		CHECK(qs_test_vec_has(&f->steps, step));
		CHECK_INT(cid->role, QS_ROLE_CONSEQUENCE);
	}
	eo_free(&r);
}

DEFINE_TEST(test_rule_etcd_operator_token)
{
	eo_token("etcd-token-rerendered", "app-3",
	    "/etc/systemd/system/etcd.service.d/20-cluster.conf line 4",
	    "91edca3e8ed4da30");
	eo_token("etcd-token-mismatch-bootstrap", "ci-3",
	    "/etc/etcd/etcd.conf.yml line 9", "596064cd5a9b1436");
}

static void
eo_moved(const char *bundle, const char *node, const char *id,
    const char *old, const char *now)
{
	struct eo		 r;
	const struct qs_finding	*f;
	char			 step[160];
	size_t			 n = 0;

	eo_read(&r, bundle);
	f = eo_finding(&r, "etcd-peer-url-moved", &n);
	CHECK(f != NULL);
	CHECK_INT(n, 1);
	if (f != NULL) {
		CHECK_STR(eo_node(f, 0), node);
		CHECK(strstr(f->title, old) != NULL);
		CHECK(strstr(f->title, now) != NULL);
		CHECK(qs_test_vec_has(&f->facts, "dials to"));
		snprintf(step, sizeof(step), "etcdctl member update %s "
		    "--peer-urls=%s", id, now);
		CHECK(qs_test_vec_has(&f->steps, step));
	}
	eo_free(&r);
}

DEFINE_TEST(test_rule_etcd_operator_peer_moved)
{
	eo_moved("etcd-peer-ip-moved", "node-b", "a0b31398dea894ee",
	    "http://127.0.1.212:35380", "http://127.0.1.214:35380");
	eo_moved("etcd-peer-port-moved", "lb-2", "8dac6649c277c212",
	    "http://127.0.1.202:34380", "http://127.0.1.202:34480");
}

/*
 * The configured data dir is live; data.pre-restore and the backup file
 * beside it are leftovers whose cluster ID no longer decides the node's.
 */
DEFINE_TEST(test_etcd_data_dir_leftovers)
{
	struct eo	r;
	size_t		i, left = 0, live = 0;
	const struct qs_node *pay1;

	eo_read(&r, "etcd-restore-all");
	for (i = 0; i < r.run->artifacts.n; i++) {
		const struct qs_artifact	*a = r.run->artifacts.v[i];

		if (a->leftover) {
			left++;
			CHECK(strstr(a->member, "/data/member/") == NULL);
		} else if (a->kind != NULL && strcmp(a->kind->name,
		    "etcd.wal") == 0)
			live++;
	}
	/* per host: a WAL and a db in data.pre-restore, the backup file */
	CHECK_INT(left, 9);
	CHECK_INT(live, 3);
	pay1 = qs_model_lookup(r.run, "pay-1");
	CHECK(pay1 != NULL);
	if (pay1 != NULL) {
		const struct qs_setting	*s = qs_setting_get(r.run, pay1,
		    QS_SYS_ETCD, "etcd.cluster_id");

		CHECK(s != NULL);
		if (s != NULL)
			CHECK_STR(s->value, "cce6a6e43764dd6e");
	}
	eo_free(&r);
}

static void
eo_restore(const char *bundle, const char *range, const char *key,
    const char *stays)
{
	struct eo		 r;
	const struct qs_finding	*f;

	eo_read(&r, bundle);
	f = eo_finding(&r, "etcd-restore-rollback", NULL);
	CHECK(f != NULL);
	CHECK(eo_finding(&r, "etcd-store-differ", NULL) == NULL);
	if (f != NULL) {
		CHECK(qs_test_vec_has(&f->facts, range));
		CHECK(qs_test_vec_has(&f->facts, key));
		CHECK(qs_test_vec_has(&f->facts, "sending a database "
		    "snapshot"));
		if (stays != NULL) {
			CHECK_INT(f->level, QS_LEVEL_ERROR);
			CHECK(qs_test_vec_has(&f->facts, stays));
			CHECK_INT(eo_finding(&r, "etcd-cluster-id-mismatch",
			    NULL)->role, QS_ROLE_CONSEQUENCE);
		} else {
			CHECK_INT(f->level, QS_LEVEL_WARNING);
			CHECK(qs_test_vec_has(&f->facts, "No member still "
			    "runs"));
		}
	}
	eo_free(&r);
}

DEFINE_TEST(test_rule_etcd_operator_restore)
{
	eo_restore("etcd-restore-all", "revisions 12 to 26",
	    "/pay/refunds/005@26", NULL);
	eo_restore("etcd-restore-partial", "revisions 12 to 19",
	    "/queue/jobs/018@19", "queue-c was not restored");
}

/* `peers` JSON: a row's state of a column, and its cluster. */
static const char *
eo_peers(cJSON *root, const char *node, const char *source, const char *col,
    const char **cluster)
{
	cJSON	*row;

	cJSON_ArrayForEach(row, cJSON_GetObjectItem(root, "rows")) {
		cJSON	*n = cJSON_GetObjectItem(row, "node");
		cJSON	*s = cJSON_GetObjectItem(row, "source");
		cJSON	*c = cJSON_GetObjectItem(row, "cluster");

		if (!cJSON_IsString(n) || !cJSON_IsString(s) ||
		    strcmp(n->valuestring, node) != 0 ||
		    strcmp(s->valuestring, source) != 0)
			continue;
		*cluster = cJSON_IsString(c) ? c->valuestring : NULL;
		c = cJSON_GetObjectItem(cJSON_GetObjectItem(row, "states"),
		    col);
		return cJSON_IsString(c) ? c->valuestring : NULL;
	}
	return NULL;
}

DEFINE_TEST(test_peers_etcd_membership)
{
	struct eo	 r;
	cJSON		*root;
	const char	*cluster = NULL, *st;

	eo_read(&r, "etcd-unstarted-voter-restart");
	root = qs_peers_json(r.run);
	st = eo_peers(root, "alpha", "etcdctl member list", "127.0.1.34",
	    &cluster);
	CHECK_STR(st, "unstarted");
	CHECK(cluster == NULL);		/* one cluster: no column */
	st = eo_peers(root, "alpha", "etcdctl member list", "bravo",
	    &cluster);
	CHECK_STR(st, "voter");
	cJSON_Delete(root);
	eo_free(&r);

	eo_read(&r, "etcd-restore-partial");
	root = qs_peers_json(r.run);
	st = eo_peers(root, "queue-c", "etcd WAL membership", "queue-c",
	    &cluster);
	CHECK_STR(st, "voter");
	CHECK_STR(cluster, "6d554ff77c01fa3d");
	st = eo_peers(root, "queue-a", "etcdctl member list", "queue-c",
	    &cluster);
	CHECK_STR(st, "unstarted");
	CHECK_STR(cluster, "ca11a2fd2659e4df");
	cJSON_Delete(root);
	eo_free(&r);
}
