/*
 * parse-etcd-config.c: every spelling of etcd's settings to one key.
 * The EnvironmentFile is testdata's (etcd-member-changes, written by
 * the etcd generator for etcd 3.4); the unit, YAML and manifest follow
 * Debian's etcd-server unit, etcd's etcd.conf.yml.sample and kubeadm's
 * static pod manifest.
 */
#include "config.h"

#include "test.h"

/* The value and line of the last setting of a key, "value@line". */
static const char *
ecfg_t(struct qs_run *run, const char *key)
{
	const struct qs_setting	*found = NULL;
	size_t			 i;

	for (i = 0; i < run->settings.n; i++) {
		const struct qs_setting	*s = run->settings.v[i];

		if (strcmp(s->key, key) == 0)
			found = s;
	}
	if (found == NULL)
		return NULL;
	return qs_arena_printf(&run->arena, "%s@%llu", found->value,
	    (unsigned long long)found->ev.line);
}

DEFINE_TEST(test_parse_etcd_config_environment_file)
{
	static const char	env[] =
	    "# etcd configuration (EnvironmentFile of etcd.service)\n"
	    "ETCD_NAME=\"etcd1\"\n"
	    "ETCD_DATA_DIR=\"/var/lib/etcd\"\n"
	    "ETCD_INITIAL_ADVERTISE_PEER_URLS=\"http://127.0.0.31:23861\"\n"
	    "ETCD_ADVERTISE_CLIENT_URLS=\"http://127.0.0.31:23841\"\n"
	    "ETCD_INITIAL_CLUSTER=\"etcd1=http://127.0.0.31:23861,etcd2="
	    "http://127.0.0.32:23862\"\n"
	    "export ETCD_INITIAL_CLUSTER_TOKEN=qs-token   # re-rendered\n"
	    "ETCD_INITIAL_CLUSTER_STATE='new'\n"
	    "ETCDCTL_API=3\n"
	    "DAEMON_ARGS=\"--heartbeat-interval 200 --election-timeout=2000 "
	    "--force-new-cluster\"\n";
	struct qs_run	*run = qs_test_parse("etcd.config",
	    "etcd1/etc/default/etcd", env, 0);
	size_t		 i, names = 0, peers = 0;

	CHECK_INT(run->diags.n, 0);
	CHECK_STR(ecfg_t(run, "etcd.config.name"), "etcd1@2");
	CHECK_STR(ecfg_t(run, "etcd.config.data-dir"), "/var/lib/etcd@3");
	CHECK_STR(ecfg_t(run, "etcd.config.initial-cluster"),
	    "etcd1=http://127.0.0.31:23861,etcd2=http://127.0.0.32:23862@6");
	CHECK_STR(ecfg_t(run, "etcd.config.initial-cluster-token"),
	    "qs-token@7");
	CHECK_STR(ecfg_t(run, "etcd.config.initial-cluster-state"), "new@8");
	CHECK_STR(ecfg_t(run, "etcd.config.heartbeat-interval"), "200@10");
	CHECK_STR(ecfg_t(run, "etcd.config.election-timeout"), "2000@10");
	CHECK_STR(ecfg_t(run, "etcd.config.force-new-cluster"), "true@10");
	CHECK(ecfg_t(run, "etcd.config.api") == NULL);	/* ETCDCTL_API */
	CHECK_INT(run->settings.n, 10);
	for (i = 0; i < run->identities.n; i++) {
		const struct qs_identity	*id = run->identities.v[i];

		CHECK(id->subject == NULL);
		if (id->kind == QS_ID_NAME && strcmp(id->value, "etcd1") == 0)
			names++;
		if (id->kind == QS_ID_ADDRESS && strcmp(id->role, "peer") == 0 &&
		    strcmp(id->value, "http://127.0.0.31:23861") == 0)
			peers++;
	}
	CHECK_INT(names, 1);
	CHECK_INT(peers, 1);
	qs_run_free(run);
}

DEFINE_TEST(test_parse_etcd_config_systemd)
{
	static const char	unit[] =
	    "[Unit]\n"
	    "Description=etcd - highly-available key value store\n"
	    "\n"
	    "[Service]\n"
	    "EnvironmentFile=-/etc/default/etcd\n"
	    "Environment=\"ETCD_UNSUPPORTED_ARCH=arm64\" ETCD_PRE_VOTE=true\n"
	    "ExecStart=/usr/bin/etcd --name=infra2 \\\n"
	    "  --data-dir /data/etcd \\\n"
	    "  --initial-advertise-peer-urls https://10.0.0.2:2380 \\\n"
	    "  --initial-cluster-state existing \\\n"
	    "  --snapshot-count=10000\n"
	    "Restart=on-failure\n";
	struct qs_run	*run = qs_test_parse("etcd.config",
	    "infra2/etc/systemd/system/etcd.service", unit, 0);

	CHECK_INT(run->diags.n, 0);
	CHECK_STR(ecfg_t(run, "etcd.config.environment-file"),
	    "/etc/default/etcd@5");
	CHECK_STR(ecfg_t(run, "etcd.config.pre-vote"), "true@6");
	CHECK_STR(ecfg_t(run, "etcd.config.unsupported-arch"), "arm64@6");
	/* A continued ExecStart is one command, at its first line. */
	CHECK_STR(ecfg_t(run, "etcd.config.name"), "infra2@7");
	CHECK_STR(ecfg_t(run, "etcd.config.data-dir"), "/data/etcd@7");
	CHECK_STR(ecfg_t(run, "etcd.config.initial-advertise-peer-urls"),
	    "https://10.0.0.2:2380@7");
	CHECK_STR(ecfg_t(run, "etcd.config.initial-cluster-state"),
	    "existing@7");
	CHECK_STR(ecfg_t(run, "etcd.config.snapshot-count"), "10000@7");
	CHECK_INT(run->settings.n, 8);
	qs_run_free(run);

	/* A drop-in that only adds a flag. */
	run = qs_test_parse("etcd.config",
	    "infra2/etc/systemd/system/etcd.service.d/override.conf",
	    "[Service]\nExecStart=\nExecStart=/usr/bin/etcd "
	    "--force-new-cluster\n", 0);
	CHECK_STR(ecfg_t(run, "etcd.config.force-new-cluster"), "true@3");
	CHECK_INT(run->settings.n, 1);
	qs_run_free(run);
}

DEFINE_TEST(test_parse_etcd_config_yaml_and_manifest)
{
	static const char	yml[] =
	    "# This is the configuration file for the etcd server.\n"
	    "name: 'infra3'\n"
	    "data-dir: /var/lib/etcd/infra3.etcd\n"
	    "wal-dir:\n"
	    "snapshot-count: 10000\n"
	    "heartbeat-interval: 100\n"
	    "election-timeout: 1000\n"
	    "initial-cluster: \"infra1=http://10.0.0.1:2380,infra3=http://"
	    "10.0.0.3:2380\"\n"
	    "initial-cluster-token: 'etcd-cluster'  \n"
	    "initial-cluster-state: 'new'\n"
	    "force-new-cluster: false # not this time\n"
	    "client-transport-security:\n"
	    "  cert-file:\n"
	    "  client-cert-auth: false\n";
	static const char	manifest[] =
	    "apiVersion: v1\n"
	    "kind: Pod\n"
	    "metadata:\n"
	    "  name: etcd\n"
	    "  namespace: kube-system\n"
	    "spec:\n"
	    "  containers:\n"
	    "  - command:\n"
	    "    - etcd\n"
	    "    - --advertise-client-urls=https://10.0.0.4:2379\n"
	    "    - --data-dir=/var/lib/etcd\n"
	    "    - --initial-cluster=cp1=https://10.0.0.4:2380\n"
	    "    - --name=cp1\n"
	    "    - --snapshot-count=10000\n"
	    "    image: registry.k8s.io/etcd:3.5.9-0\n"
	    "    name: etcd\n";
	struct qs_run	*run = qs_test_parse("etcd.config",
	    "infra3/etc/etcd/etcd.conf.yml", yml, 0);

	CHECK_INT(run->diags.n, 0);
	CHECK_STR(ecfg_t(run, "etcd.config.name"), "infra3@2");
	CHECK_STR(ecfg_t(run, "etcd.config.initial-cluster"),
	    "infra1=http://10.0.0.1:2380,infra3=http://10.0.0.3:2380@8");
	CHECK_STR(ecfg_t(run, "etcd.config.initial-cluster-token"),
	    "etcd-cluster@9");
	CHECK_STR(ecfg_t(run, "etcd.config.force-new-cluster"), "false@11");
	/* Empty values and nested blocks are not settings. */
	CHECK(ecfg_t(run, "etcd.config.wal-dir") == NULL);
	CHECK(ecfg_t(run, "etcd.config.cert-file") == NULL);
	CHECK(ecfg_t(run, "etcd.config.client-cert-auth") == NULL);
	CHECK(ecfg_t(run, "etcd.config.client-transport-security") == NULL);
	CHECK_INT(run->settings.n, 9);
	qs_run_free(run);

	run = qs_test_parse("etcd.config",
	    "cp1/etc/kubernetes/manifests/etcd.yaml", manifest, 0);
	CHECK_INT(run->diags.n, 0);
	CHECK_STR(ecfg_t(run, "etcd.config.name"), "cp1@13");
	CHECK_STR(ecfg_t(run, "etcd.config.initial-cluster"),
	    "cp1=https://10.0.0.4:2380@12");
	CHECK_STR(ecfg_t(run, "etcd.config.advertise-client-urls"),
	    "https://10.0.0.4:2379@10");
	/* The Pod's own keys are no etcd settings. */
	CHECK(ecfg_t(run, "etcd.config.kind") == NULL);
	CHECK(ecfg_t(run, "etcd.config.spec") == NULL);
	CHECK_INT(run->settings.n, 5);
	qs_run_free(run);
}

DEFINE_TEST(test_parse_etcd_config_damage)
{
	static const char *const bad[] = {
		"ETCD_NAME=\"unterminated\nETCD_=x\nETCD_lower=y\n=\n",
		"ExecStart=/usr/bin/etcd --name \\\n",
		"ExecStart=/usr/bin/etcd \"--name=a b\" '' -- --=x -\n",
		"DAEMON_ARGS='--data-dir'\n- --\n- -\n:\n: x\n",
		"name: ${HOSTNAME}\n",
	};
	struct qs_run	*run;
	size_t		 i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		run = qs_test_parse("etcd.config", "n1/etc/default/etcd",
		    bad[i], 0);
		CHECK(qs_test_status(run) == QS_STATUS_PARSED);
		qs_run_free(run);
	}
	run = qs_test_parse("etcd.config", "n1/etc/default/etcd", bad[2], 0);
	CHECK_STR(ecfg_t(run, "etcd.config.name"), "a b@1");
	qs_run_free(run);
	/* A variable is kept as written, and is no identity. */
	run = qs_test_parse("etcd.config", "n1/etcd.conf.yml", bad[4], 0);
	CHECK_STR(ecfg_t(run, "etcd.config.name"), "${HOSTNAME}@1");
	CHECK_INT(run->identities.n, 0);
	qs_run_free(run);
}
