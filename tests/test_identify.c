/* identify.c, kinds.c, sniff.c: every kind recognised from path and content. */
#include "config.h"

#include "test.h"

static const char *
kind_of(const char *logical, const char *content, size_t len)
{
	struct qs_head		h;
	struct qs_bid		id;
	const char		*slash = strrchr(logical, '/');

	memset(&h, 0, sizeof(h));
	h.logical = logical;
	h.base = slash != NULL ? slash + 1 : logical;
	h.data = (const unsigned char *)content;
	h.len = len != 0 ? len : strlen(content);
	h.size = h.len;
	h.mime = "";
	qs_identify(&h, &id, NULL);
	if (id.tie != NULL)
		return "(tie)";
	return id.kind != NULL ? id.kind->name : "(none)";
}

#define KIND(path, content)	kind_of(path, content, 0)

DEFINE_TEST(test_identify_path_tail_match)
{
	CHECK(qs_path_tail_match("n1/consul/raft/peers.json",
	    "raft/peers.json"));
	CHECK(qs_path_tail_match("peers.json", "peers.json"));
	CHECK(!qs_path_tail_match("peers.json", "raft/peers.json"));
	CHECK(!qs_path_tail_match("n1/xraft/peers.json", "raft/peers.json"));
	CHECK(qs_path_tail_match("a/member/wal/0-0.wal", "member/wal/*.wal"));
	CHECK(!qs_path_tail_match("a/member/wal/x/0-0.wal", "member/wal/*.wal"));
}

DEFINE_TEST(test_identify_consul_kinds)
{
	CHECK_STR(KIND("n/consul/data/raft/peers.json",
	    "[\"10.0.0.1:8300\"]"), "consul.peers_json");
	CHECK_STR(KIND("n/consul/data/raft/peers.json", "null\n"),
	    "consul.peers_json");
	CHECK_STR(KIND("n/raft/peers.json", "[{\"id\":\"x\","
	    "\"address\":\"10.0.0.1:8300\",\"non_voter\":false}]"),
	    "consul.peers_json");
	CHECK_STR(KIND("n/raft/peers.info", "As of Consul 0.7.0, ...\n"),
	    "consul.peers_info");
	CHECK_STR(KIND("n/serf/local.snapshot", "alive: node1 10.0.0.1:8301\n"
	    "clock: 3\nnot-alive: node2\nleave\n"), "consul.serf_snapshot");
	CHECK_STR(KIND("n/consul/data/node-id",
	    "adf4238a-882b-9ddc-4a9d-5b6758e4159e"), "consul.node_id");
	CHECK_STR(KIND("n/consul/config/consul.json", "{\"server\": true, "
	    "\"bootstrap_expect\": 3, \"retry_join\": [\"a\"], "
	    "\"data_dir\": \"/d\"}"), "consul.config");
	CHECK_STR(KIND("n/consul.d/server.hcl", "server = true\n"
	    "bootstrap_expect = 3\nretry_join = [\"a\"]\n"), "consul.config");
	CHECK_STR(KIND("n/var/log/consul.log",
	    "2016/03/03 12:00:00 [INFO] serf: EventMemberJoin: node2 "
	    "10.0.0.2\n2016/03/03 12:00:01 [INFO] raft: Node at 10.0.0.1:8300"
	    " [Follower] entering Follower state\n"), "consul.log");
	/* Rotated and renamed: content decides. */
	CHECK_STR(KIND("n/logs/agent-output.txt",
	    "2021-01-02T03:04:05.678Z [INFO]  agent.server.serf.lan: serf: "
	    "EventMemberJoin: a 10.0.0.1\n2021-01-02T03:04:06.000Z [INFO]  "
	    "agent.server.raft: entering follower state\n"), "consul.log");
	CHECK_STR(KIND("n/raft/snapshots/2-18-1700000000000/meta.json",
	    "{\"Version\":1,\"ID\":\"2-18-1700000000000\",\"Index\":18,"
	    "\"Term\":2,\"Peers\":\"\"}"), "consul.raft_snapshot_meta");
}

DEFINE_TEST(test_identify_bolt_by_content)
{
	unsigned char	page[8192];

	memset(page, 0, sizeof(page));
	memcpy(page + 16, "\xed\xda\x0c\xed", 4);
	CHECK_STR(kind_of("n/consul/data/raft/raft.db", (char *)page,
	    sizeof(page)), "consul.raft_db");
	CHECK_STR(kind_of("n/var/lib/etcd/member/snap/db", (char *)page,
	    sizeof(page)), "etcd.db");
	/* Renamed: bucket names in the head decide. */
	memcpy(page + 6000, "logs", 4);
	memcpy(page + 6100, "conf", 4);
	CHECK_STR(kind_of("n/backup/raft.db.bak", (char *)page, sizeof(page)),
	    "consul.raft_db");
	memset(page + 6000, 0, 200);
	memcpy(page + 6000, "members", 7);
	memcpy(page + 6100, "meta", 4);
	CHECK_STR(kind_of("n/backup/copy-of-db", (char *)page, sizeof(page)),
	    "etcd.db");
	/* No names and no buckets: refused, not guessed. */
	memset(page + 6000, 0, 200);
	CHECK_STR(kind_of("n/backup/mystery", (char *)page, sizeof(page)),
	    "(tie)");
	/* Named raft.db, but text. */
	CHECK_STR(KIND("n/raft/raft.db", "hello\n"), "(none)");
}

DEFINE_TEST(test_identify_etcd_kinds)
{
	static const unsigned char wal[16] = {
		0x0a, 0, 0, 0, 0, 0, 0, 0x84, 0x08, 0x04, 0x10, 0x00
	};
	static const unsigned char snap[8] = { 0x08, 0x9f, 0x3c, 0x12, 0x03 };

	CHECK_STR(kind_of("n/member/wal/0000000000000000-0000000000000000.wal",
	    (const char *)wal, sizeof(wal)), "etcd.wal");
	CHECK_STR(kind_of("n/member/snap/0000000000000002-0000000000000015.snap",
	    (const char *)snap, sizeof(snap)), "etcd.snap");
	CHECK_STR(KIND("n/var/log/etcd/etcd.log",
	    "{\"level\":\"info\",\"ts\":\"2026-11-22T05:09:59.1Z\","
	    "\"caller\":\"etcdserver/server.go:2037\",\"msg\":\"published\"}\n"
	    "{\"level\":\"info\",\"caller\":\"embed/etcd.go:1\"}\n"),
	    "etcd.log");
	CHECK_STR(KIND("n/etcdctl/member-list.txt",
	    "+------------------+---------+-------+\n|        ID        | "
	    "STATUS  | NAME  |    PEER ADDRS     |  CLIENT ADDRS  | "
	    "IS LEARNER |\n"), "etcd.etcdctl_output");
	CHECK_STR(KIND("n/dump.json", "[{\"key\":\"/_coreos.com/fleet\","
	    "\"dir\":true,\"nodes\":[]}]"), "etcd.backup_dump");
	/* A WAL name over text: refused. */
	CHECK_STR(KIND("n/member/wal/0.wal", "hello there\n"), "(none)");
}

DEFINE_TEST(test_identify_zookeeper_kinds)
{
	CHECK_STR(KIND("n/opt/local/etc/zookeeper/zoo.cfg", "tickTime=2000\n"
	    "dataDir=/zookeeper/zookeeper\nserver.1=10.65.72.9:2888:3888\n"),
	    "zk.cfg");
	CHECK_STR(KIND("n/conf/zoo.cfg.dynamic.100000000",
	    "server.1=127.0.0.1:2888:3888:participant;2181\n"),
	    "zk.dynamic_cfg");
	CHECK_STR(KIND("n/zookeeper/zookeeper/myid", "3\n"), "zk.myid");
	CHECK_STR(KIND("n/zookeeper/zookeeper/version-2/currentEpoch", "5"),
	    "zk.epoch");
	CHECK_STR(kind_of("n/zookeeper/version-2/log.100000001",
	    "ZKLG\0\0\0\2\0\0\0\0\0\0\0\0", 16), "zk.txnlog");
	CHECK_STR(kind_of("n/zookeeper/version-2/snapshot.0",
	    "ZKSN\0\0\0\2\xff\xff\xff\xff\xff\xff\xff\xff", 16),
	    "zk.snapshot");
	CHECK_STR(KIND("n/var/log/zookeeper/zookeeper.log",
	    "2024-05-01 12:00:00,123 [myid:1] - INFO  [QuorumPeer[myid=1]"
	    "(plain=0.0.0.0:2181)(secure=disabled):QuorumPeer@1371] - "
	    "LOOKING\n"), "zk.log");
	CHECK_STR(KIND("n/zk-srvr.txt", "Zookeeper version: 3.8.0\n"
	    "Mode: follower\nNode count: 5\n"), "zk.fourletter_output");
	/* "conf" looks like a zoo.cfg with server lines; its name and
	 * its own keys make it an answer, not a configuration file. */
	CHECK_STR(KIND("n/zk-conf.txt", "clientPort=2181\ndataDir=/zk/"
	    "version-2\ndataDirSize=67109480\ntickTime=2000\nserverId=1\n"
	    "initLimit=10\nmembership: \nserver.1=127.0.0.51:22881:22981:"
	    "participant\nversion=0"), "zk.fourletter_output");
	/* myid that is not a number. */
	CHECK_STR(KIND("n/zookeeper/myid", "one\n"), "(none)");
	/* A .cfg that is not ZooKeeper's. */
	CHECK_STR(KIND("n/etc/app.cfg", "[section]\nkey = value\n"), "(none)");
}

DEFINE_TEST(test_identify_triton_kinds)
{
	CHECK_STR(KIND("sdc-sapi-applications.json",
	    "[{\"uuid\":\"8b7af59b\",\"name\":\"sdc\",\"metadata\":"
	    "{\"ZK_SERVERS\":[{\"host\":\"10.65.72.9\",\"port\":2181,"
	    "\"num\":1}]}}]"), "triton.sapi_dump");
	CHECK_STR(KIND("vmapi-vms.json",
	    "[{\"uuid\":\"u\",\"alias\":\"binder0\",\"state\":\"running\","
	    "\"server_uuid\":\"s\",\"nics\":[{\"ip\":\"10.65.72.9\"}],"
	    "\"tags\":{\"smartdc_role\":\"binder\"}}]"), "triton.vmapi_dump");
}

DEFINE_TEST(test_identify_registry_is_consistent)
{
	size_t	i, j;

	for (i = 0; i < qs_nkinds; i++) {
		const struct qs_kind	*k = &qs_kinds[i];

		CHECK(k->name != NULL && k->summary != NULL);
		CHECK(k->paths != NULL && k->paths[0] != NULL);
		CHECK(k->sniff != NULL || k->magic != NULL);
		CHECK(qs_kind_find(k->name) == k);
		/*
		 * Names are "<system>.<kind>", zk short for zookeeper; a
		 * host's own files, of no system, are "host.<kind>".
		 */
		{
			const char	*sys = k->system == QS_SYS_ZOOKEEPER ?
			    "zk" : k->system == QS_SYS_NONE ? "host" :
			    qs_system_name(k->system);

			CHECK(strncmp(k->name, sys, strlen(sys)) == 0 &&
			    k->name[strlen(sys)] == '.');
		}
		for (j = i + 1; j < qs_nkinds; j++)
			CHECK(strcmp(k->name, qs_kinds[j].name) != 0);
	}
	CHECK(qs_kind_find("no.such") == NULL);
}

/* Logs named neutrally, told apart by their messages (issue 12). */
DEFINE_TEST(test_identify_logs_by_content)
{
	/* Consul through syslog: "raft: " as in etcd's, but Consul's
	 * states, ports and tag */
	CHECK_STR(KIND("n/server.log",
	    "Mar  3 10:12:01 infra-7 consul[4411]: raft: Node at "
	    "10.0.0.7:8300 [Follower] entering Follower state (Leader: \"\")\n"
	    "Mar  3 10:12:03 infra-7 consul[4411]: raft: Node at "
	    "10.0.0.7:8300 [Candidate] entering Candidate state\n"),
	    "consul.log");
	/* etcd through the journal: "raft: " and etcd-io/raft's words */
	CHECK_STR(KIND("n/messages",
	    "Mar 03 10:12:01 db-2 etcd[811]: raft: 5a1e2f became follower "
	    "at term 6\n"
	    "Mar 03 10:12:01 db-2 etcd[811]: raft.node: 5a1e2f elected "
	    "leader 9c0b1d at term 7\n"), "etcd.log");
	CHECK_STR(KIND("n/journal.txt",
	    "Mar 03 10:12:01 zk-1 java[90]: 2024-03-03 10:12:01,004 "
	    "[myid:1] - INFO  [QuorumPeer[myid=1]:QuorumPeer@1] - LOOKING\n"),
	    "zk.log");
	/* one mark shared by both: not enough for either */
	CHECK_STR(KIND("n/server.log", "x raft: y\n"), "(none)");
}
