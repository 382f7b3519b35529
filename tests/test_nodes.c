/* nodes.c: which node every entry belongs to, across bundle shapes. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "test.h"

static struct qs_run *
nodes_read(const char *name, const struct qs_test_entry *e,
    const char *rule)
{
	unsigned char	*buf;
	size_t		 len;
	struct qs_run	*run = qs_run_new();

	run->echo_diags = 0;
	if (rule != NULL)
		CHECK_INT(qs_run_add_node_rule(run, rule), 0);
	buf = qs_test_archive(QS_TEST_TAR, e, &len);
	qs_bundle_read_memory(run, name, buf, len);
	qs_nodes_resolve(run);
	free(buf);
	return run;
}

static const char *
node_of(const struct qs_run *run, const char *tail)
{
	const struct qs_artifact	*art = qs_test_artifact(run, tail);

	return art != NULL ? art->node->name : "(missing)";
}

DEFINE_TEST(test_nodes_top_level_dirs_and_bundle_files)
{
	static const struct qs_test_entry e[] = {
		{ "node1/zookeeper/zookeeper/myid", "1\n", 0, NULL, NULL },
		{ "node2/zookeeper/zookeeper/myid", "2\n", 0, NULL, NULL },
		{ "sdc-sapi-applications.json",
		    "[{\"uuid\":\"u\",\"metadata\":{\"ZK_SERVERS\":[]}}]\n", 0,
		    NULL, NULL },
		{ NULL, NULL, 0, NULL, NULL }
	};
	struct qs_run	*run = nodes_read("b.tar", e, NULL);

	CHECK_STR(node_of(run, "node1/zookeeper/zookeeper/myid"), "node1");
	CHECK_STR(node_of(run, "node2/zookeeper/zookeeper/myid"), "node2");
	CHECK_STR(node_of(run, "sdc-sapi-applications.json"), QS_BUNDLE_NODE);
	CHECK_INT(run->nodes.n, 3);
	/* The bundle's own files sort last. */
	CHECK_STR(((struct qs_node *)run->nodes.v[2])->name, QS_BUNDLE_NODE);
	qs_run_free(run);
}

DEFINE_TEST(test_nodes_single_node_takes_input_name)
{
	static const struct qs_test_entry e[] = {
		{ "consul/data/raft/peers.json", "null\n", 0, NULL, NULL },
		{ "consul/data/node-id",
		    "0a1b2c3d-1111-2222-3333-444455556666", 0, NULL, NULL },
		{ "myid", "4\n", 0, NULL, NULL },
		{ NULL, NULL, 0, NULL, NULL }
	};
	struct qs_run	*run = nodes_read("server-7.tar", e, NULL);

	CHECK_STR(node_of(run, "peers.json"), "server-7");
	CHECK_STR(node_of(run, "myid"), "server-7");
	CHECK_INT(run->nodes.n, 1);
	qs_run_free(run);
}

DEFINE_TEST(test_nodes_wrapper_of_one_node)
{
	static const struct qs_test_entry e[] = {
		{ "hostA/var/lib/etcd/member/snap/db", "x", 0, NULL, NULL },
		{ "hostA/zookeeper/zookeeper/myid", "1\n", 0, NULL, NULL },
		{ NULL, NULL, 0, NULL, NULL }
	};
	struct qs_run	*run = nodes_read("upload.tar", e, NULL);

	/* hostA wraps everything, and below it are only data-dir roots. */
	CHECK_STR(node_of(run, "myid"), "hostA");
	CHECK_INT(run->nodes.n, 1);
	qs_run_free(run);
}

DEFINE_TEST(test_nodes_lone_data_dir_is_not_a_node)
{
	static const struct qs_test_entry e[] = {
		{ "consul-data/raft/peers.json", "[]\n", 0, NULL, NULL },
		{ "consul-data/serf/local.snapshot", "alive: a 1.2.3.4:8301\n",
		    0, NULL, NULL },
		{ "notes.txt", "x\n", 0, NULL, NULL },
		{ NULL, NULL, 0, NULL, NULL }
	};
	struct qs_run	*run = nodes_read("srv1.tar", e, NULL);

	CHECK_STR(node_of(run, "peers.json"), "srv1");
	CHECK_STR(node_of(run, "local.snapshot"), "srv1");
	qs_run_free(run);
}

DEFINE_TEST(test_nodes_empty_node_dir_is_still_a_node)
{
	static const struct qs_test_entry e[] = {
		{ "c/node1/zookeeper/zookeeper/myid", "1\n", 0, NULL, NULL },
		{ "c/node2/", NULL, 0, NULL, NULL },
		{ "c/node2/core.dump", "x\n", 0, NULL, NULL },
		{ NULL, NULL, 0, NULL, NULL }
	};
	struct qs_run	*run = nodes_read("b.tar", e, NULL);
	size_t		 i;
	int		 found = 0;

	for (i = 0; i < run->nodes.n; i++)
		if (strcmp(((struct qs_node *)run->nodes.v[i])->name,
		    "node2") == 0)
			found = 1;
	CHECK(found);
	CHECK_INT(run->nodes.n, 2);
	qs_run_free(run);
}

DEFINE_TEST(test_nodes_rule_overrides)
{
	static const struct qs_test_entry e[] = {
		{ "dumps/a/zookeeper/zookeeper/myid", "1\n", 0, NULL, NULL },
		{ "dumps/b/zookeeper/zookeeper/myid", "2\n", 0, NULL, NULL },
		{ NULL, NULL, 0, NULL, NULL }
	};
	struct qs_run	*run = nodes_read("b.tar", e, "zk-one=*/a/*");

	CHECK_STR(node_of(run, "a/zookeeper/zookeeper/myid"), "zk-one");
	CHECK_STR(node_of(run, "b/zookeeper/zookeeper/myid"), "b");
	qs_run_free(run);
	CHECK_INT(qs_run_add_node_rule(run = qs_run_new(), "noequals"), -1);
	CHECK_INT(qs_run_add_node_rule(run, "=glob"), -1);
	CHECK_INT(qs_run_add_node_rule(run, "name="), -1);
	qs_run_free(run);
}

DEFINE_TEST(test_nodes_shared_suffix_dropped)
{
	static const struct qs_test_entry e[] = {
		{ "kv-1-etcd-support-20261207T1630/etc/zookeeper/myid", "1\n",
		    0, NULL, NULL },
		{ "kv-2-etcd-support-20261207T1630/etc/zookeeper/myid", "2\n",
		    0, NULL, NULL },
		{ "kv-3-etcd-support-20261207T1630/etc/zookeeper/myid", "3\n",
		    0, NULL, NULL },
		{ NULL, NULL, 0, NULL, NULL }
	};
	struct qs_run	*run = nodes_read("b.tar", e, NULL);

	CHECK_STR(node_of(run, "kv-1-etcd-support-20261207T1630/etc/"
	    "zookeeper/myid"), "kv-1");
	CHECK_STR(node_of(run, "kv-3-etcd-support-20261207T1630/etc/"
	    "zookeeper/myid"), "kv-3");
	CHECK_INT(run->nodes.n, 3);
	qs_run_free(run);
}

DEFINE_TEST(test_nodes_short_suffix_kept)
{
	/* "-a" is too short to be a collector's suffix: names stay. */
	static const struct qs_test_entry e[] = {
		{ "x1-a/etc/zookeeper/myid", "1\n", 0, NULL, NULL },
		{ "x2-a/etc/zookeeper/myid", "2\n", 0, NULL, NULL },
		{ NULL, NULL, 0, NULL, NULL }
	};
	struct qs_run	*run = nodes_read("b.tar", e, NULL);

	CHECK_STR(node_of(run, "x1-a/etc/zookeeper/myid"), "x1-a");
	CHECK_STR(node_of(run, "x2-a/etc/zookeeper/myid"), "x2-a");
	qs_run_free(run);
}

DEFINE_TEST(test_nodes_dot_is_no_node)
{
	/* tar czf b.tgz -C dir . */
	static const struct qs_test_entry e[] = {
		{ "./node1/zookeeper/zookeeper/myid", "1\n", 0, NULL, NULL },
		{ "./node2/zookeeper/zookeeper/myid", "2\n", 0, NULL, NULL },
		{ NULL, NULL, 0, NULL, NULL }
	};
	static const struct qs_test_entry one[] = {
		{ "./zookeeper/zookeeper/myid", "1\n", 0, NULL, NULL },
		{ NULL, NULL, 0, NULL, NULL }
	};
	struct qs_run	*run = nodes_read("b.tar", e, NULL);

	CHECK_STR(node_of(run, "node1/zookeeper/zookeeper/myid"), "node1");
	CHECK_STR(node_of(run, "node2/zookeeper/zookeeper/myid"), "node2");
	CHECK_INT(run->nodes.n, 2);
	qs_run_free(run);
	run = nodes_read("host-a.tar", one, NULL);
	CHECK_STR(node_of(run, "zookeeper/zookeeper/myid"), "host-a");
	qs_run_free(run);
}

DEFINE_TEST(test_nodes_deep_wrappers_and_notes_beside)
{
	static const struct qs_test_entry e[] = {
		{ "notes.txt", "collected by hand\n", 0, NULL, NULL },
		{ "w1/w2/w3/node1/zookeeper/zookeeper/myid", "1\n", 0, NULL,
		    NULL },
		{ "w1/w2/w3/node2/zookeeper/zookeeper/myid", "2\n", 0, NULL,
		    NULL },
		{ "w1/w2/w3/node3/zookeeper/zookeeper/myid", "3\n", 0, NULL,
		    NULL },
		{ NULL, NULL, 0, NULL, NULL }
	};
	unsigned char		*buf;
	size_t			 len, i;
	struct qs_run		*run;
	const struct qs_artifact *art;

	/* Three wrapping directories and a loose file beside the first. */
	buf = qs_test_archive(QS_TEST_TAR, e, &len);
	run = qs_test_read("wrapped.tar", buf, len);
	for (i = 1; i <= 3; i++) {
		char	want[8];

		snprintf(want, sizeof(want), "node%zu", i);
		art = qs_test_artifact(run, qs_arena_printf(&run->arena,
		    "%s/zookeeper/zookeeper/myid", want));
		CHECK(art != NULL && art->node != NULL &&
		    strcmp(art->node->name, want) == 0);
	}
	qs_run_free(run);
	free(buf);
}
