/*
 * parse-etcd-etcdctl.c: collected etcdctl output to the model.  The
 * table, JSON and error outputs are verbatim from etcdctl 3.4.23 in
 * testdata/bundles/etcd-member-changes and etcd-force-new-cluster; the
 * simple, API 2 and pretty-printed forms follow etcdctl's printers.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "test_etcd.h"

#define OUT	"n1/etcdctl/out.txt"

static struct qs_run *ctl_parse(const char *);

static struct qs_run *
ctl_parse(const char *text)
{
	return qs_test_parse("etcd.etcdctl_output", OUT, text, 0);
}

#define ML_TABLE							\
"+------------------+-----------+-------+-------------------------+-------------------------+------------+\n" \
"|        ID        |  STATUS   | NAME  |       PEER ADDRS        |      CLIENT ADDRS       | IS LEARNER |\n" \
"+------------------+-----------+-------+-------------------------+-------------------------+------------+\n" \
"| 1cae41e2d2b97dbe |   started | etcd4 | http://127.0.0.34:23864 | http://127.0.0.34:23844 |      false |\n" \
"| 420b9075c1521d54 |   started | etcd1 | http://127.0.0.31:23861 | http://127.0.0.31:23841 |      false |\n" \
"| 5cf031bdbb155b4b | unstarted |       | http://127.0.0.35:23865 |                         |      false |\n" \
"| de27c3620d2c823d |   started | etcd3 | http://127.0.0.33:23863 | http://127.0.0.33:23843 |      false |\n" \
"+------------------+-----------+-------+-------------------------+-------------------------+------------+\n"

#define ML_JSON								\
"{\"header\":{\"cluster_id\":7970441576114771654,\"member_id\":4759056266676018516,\"raft_term\":2},\"members\":[" \
"{\"ID\":2066661721463422398,\"name\":\"etcd4\",\"peerURLs\":[\"http://127.0.0.34:23864\"],\"clientURLs\":[\"http://127.0.0.34:23844\"]}," \
"{\"ID\":4759056266676018516,\"name\":\"etcd1\",\"peerURLs\":[\"http://127.0.0.31:23861\"],\"clientURLs\":[\"http://127.0.0.31:23841\"]}," \
"{\"ID\":6696907336857246539,\"peerURLs\":[\"http://127.0.0.35:23865\"]}," \
"{\"ID\":16007978226406949437,\"name\":\"etcd3\",\"peerURLs\":[\"http://127.0.0.33:23863\"],\"clientURLs\":[\"http://127.0.0.33:23843\"]}]}\n"

/* What both listings of etcd-member-changes/etcd1 say. */
#define ML_MEMBERS							\
	"1cae41e2d2b97dbe/etcd4/http://127.0.0.34:23864/voter "	\
	"420b9075c1521d54/etcd1/http://127.0.0.31:23861/voter "	\
	"5cf031bdbb155b4b/-/http://127.0.0.35:23865/listed "		\
	"de27c3620d2c823d/etcd3/http://127.0.0.33:23863/voter\n"
#define ML_IDENTS							\
	"ident name etcd4 - 1cae41e2d2b97dbe\n"				\
	"ident address http://127.0.0.34:23864 peer 1cae41e2d2b97dbe\n"	\
	"ident address http://127.0.0.34:23844 client 1cae41e2d2b97dbe\n" \
	"ident name etcd1 - 420b9075c1521d54\n"				\
	"ident address http://127.0.0.31:23861 peer 420b9075c1521d54\n"	\
	"ident address http://127.0.0.31:23841 client 420b9075c1521d54\n" \
	"ident address http://127.0.0.35:23865 peer 5cf031bdbb155b4b\n"	\
	"ident name etcd3 - de27c3620d2c823d\n"				\
	"ident address http://127.0.0.33:23863 peer de27c3620d2c823d\n"	\
	"ident address http://127.0.0.33:23843 client de27c3620d2c823d\n"

DEFINE_TEST(test_parse_etcd_etcdctl_member_list_table)
{
	struct qs_run	*run = ctl_parse(ML_TABLE);

	CHECK_STR(qs_test_etcd_render(run, OUT, QS_R_ALL),
	    "view etcdctl member list -0/-0 L4: " ML_MEMBERS ML_IDENTS);
	qs_run_free(run);
}

DEFINE_TEST(test_parse_etcd_etcdctl_member_list_json)
{
	struct qs_run	*run = ctl_parse(ML_JSON);

	/* Decimal ids above 2^53 are exact: 16007978226406949437 is de27... */
	CHECK_STR(qs_test_etcd_render(run, OUT, QS_R_ALL),
	    "view etcdctl member list t2/-0 L1: " ML_MEMBERS
	    "setting etcd.members.cluster_id=6e9cb2625f5356c6 L1\n"
	    ML_IDENTS);
	qs_run_free(run);

	/* The same through jq: pretty-printed over many lines. */
	run = ctl_parse("{\n  \"header\": {\n    \"cluster_id\": "
	    "7970441576114771654,\n    \"raft_term\": 2\n  },\n  "
	    "\"members\": [\n    {\n      \"ID\": 16007978226406949437,\n"
	    "      \"name\": \"etcd3\",\n      \"peerURLs\": [\n        "
	    "\"http://127.0.0.33:23863\"\n      ],\n      \"isLearner\": "
	    "true\n    }\n  ]\n}\n");
	CHECK_STR(qs_test_etcd_render(run, OUT, QS_R_VIEWS | QS_R_DIAGS),
	    "view etcdctl member list t2/-0 L1: "
	    "de27c3620d2c823d/etcd3/http://127.0.0.33:23863/non-voter\n");
	qs_run_free(run);
}

DEFINE_TEST(test_parse_etcd_etcdctl_endpoint_status)
{
	struct qs_run	*run;

	/* A leader: etcd-member-changes/etcd1. */
	run = ctl_parse("[{\"Endpoint\":\"http://127.0.0.31:23841\","
	    "\"Status\":{\"header\":{\"cluster_id\":7970441576114771654,"
	    "\"member_id\":4759056266676018516,\"revision\":31,"
	    "\"raft_term\":2},\"version\":\"3.4.23\",\"dbSize\":24576,"
	    "\"leader\":4759056266676018516,\"raftIndex\":42,\"raftTerm\":2,"
	    "\"raftAppliedIndex\":42,\"dbSizeInUse\":24576}}]\n");
	CHECK_STR(qs_test_etcd_render(run, OUT, QS_R_ALL),
	    "setting etcd.status.endpoint=http://127.0.0.31:23841 L1\n"
	    "setting etcd.status.member_id=420b9075c1521d54 L1\n"
	    "setting etcd.status.cluster_id=6e9cb2625f5356c6 L1\n"
	    "setting etcd.status.leader=420b9075c1521d54 L1\n"
	    "setting etcd.status.raft_term=2 L1\n"
	    "setting etcd.status.raft_index=42 L1\n"
	    "setting etcd.status.raft_applied_index=42 L1\n"
	    "setting etcd.status.version=3.4.23 L1\n"
	    "ident address http://127.0.0.31:23841 client 420b9075c1521d54\n");
	qs_run_free(run);

	/* No leader: etcd-force-new-cluster/etcd1 during the outage. */
	run = ctl_parse("[{\"Endpoint\":\"http://127.0.0.31:23921\","
	    "\"Status\":{\"header\":{\"cluster_id\":16042872134492230711,"
	    "\"member_id\":16871814735036647697,\"revision\":16,"
	    "\"raft_term\":2},\"version\":\"3.4.23\",\"dbSize\":20480,"
	    "\"raftIndex\":23,\"raftTerm\":2,\"raftAppliedIndex\":23,"
	    "\"errors\":[\"etcdserver: no leader\"],\"dbSizeInUse\":16384}}]");
	CHECK_STR(qs_test_etcd_render(run, OUT, QS_R_SETTINGS | QS_R_DIAGS),
	    "setting etcd.status.endpoint=http://127.0.0.31:23921 L1\n"
	    "setting etcd.status.member_id=ea24ba1c5e0f8911 L1\n"
	    "setting etcd.status.cluster_id=dea3bb35216c1437 L1\n"
	    "setting etcd.status.raft_term=2 L1\n"
	    "setting etcd.status.raft_index=23 L1\n"
	    "setting etcd.status.raft_applied_index=23 L1\n"
	    "setting etcd.status.version=3.4.23 L1\n"
	    "setting etcd.status.errors=etcdserver: no leader L1\n");
	qs_run_free(run);

	/* The same moment as a table. */
	run = ctl_parse(
"+-------------------------+------------------+---------+---------+-----------+------------+-----------+------------+--------------------+-----------------------+\n"
"|        ENDPOINT         |        ID        | VERSION | DB SIZE | IS LEADER | IS LEARNER | RAFT TERM | RAFT INDEX | RAFT APPLIED INDEX |        ERRORS         |\n"
"+-------------------------+------------------+---------+---------+-----------+------------+-----------+------------+--------------------+-----------------------+\n"
"| http://127.0.0.31:23921 | ea24ba1c5e0f8911 |  3.4.23 |   20 kB |     false |      false |         2 |         23 |                 23 | etcdserver: no leader |\n"
"+-------------------------+------------------+---------+---------+-----------+------------+-----------+------------+--------------------+-----------------------+\n");
	CHECK_STR(qs_test_etcd_render(run, OUT, QS_R_ALL),
	    "setting etcd.status.endpoint=http://127.0.0.31:23921 L4\n"
	    "setting etcd.status.member_id=ea24ba1c5e0f8911 L4\n"
	    "setting etcd.status.raft_term=2 L4\n"
	    "setting etcd.status.raft_index=23 L4\n"
	    "setting etcd.status.raft_applied_index=23 L4\n"
	    "setting etcd.status.is_learner=false L4\n"
	    "setting etcd.status.version=3.4.23 L4\n"
	    "setting etcd.status.errors=etcdserver: no leader L4\n"
	    "ident address http://127.0.0.31:23921 client ea24ba1c5e0f8911\n");
	qs_run_free(run);

	/* --cluster: one row per endpoint, the leader named by its row. */
	run = ctl_parse(
"| ENDPOINT | ID | VERSION | DB SIZE | IS LEADER | IS LEARNER | RAFT TERM | RAFT INDEX | RAFT APPLIED INDEX | ERRORS |\n"
"| http://10.0.0.1:2379 | 97B54C7A844A1CAC | 3.4.23 | 20 kB | false | false | 5 | 90 | 90 |  |\n"
"| http://10.0.0.2:2379 | 347bc5f2b176fc6b | 3.4.23 | 20 kB | true | false | 5 | 90 | 90 |  |\n");
	CHECK_STR(qs_test_etcd_render(run, OUT, QS_R_SETTINGS),
	    "setting etcd.status.endpoint=http://10.0.0.1:2379 L2\n"
	    "setting etcd.status.member_id=97b54c7a844a1cac L2\n"
	    "setting etcd.status.raft_term=5 L2\n"
	    "setting etcd.status.raft_index=90 L2\n"
	    "setting etcd.status.raft_applied_index=90 L2\n"
	    "setting etcd.status.is_learner=false L2\n"
	    "setting etcd.status.version=3.4.23 L2\n"
	    "setting etcd.status.endpoint=http://10.0.0.2:2379 L3\n"
	    "setting etcd.status.member_id=347bc5f2b176fc6b L3\n"
	    "setting etcd.status.leader=347bc5f2b176fc6b L3\n"
	    "setting etcd.status.raft_term=5 L3\n"
	    "setting etcd.status.raft_index=90 L3\n"
	    "setting etcd.status.raft_applied_index=90 L3\n"
	    "setting etcd.status.is_learner=false L3\n"
	    "setting etcd.status.version=3.4.23 L3\n");
	qs_run_free(run);
}

/* Client errors saved with the output (>file 2>&1), verbatim. */
DEFINE_TEST(test_parse_etcd_etcdctl_errors)
{
	struct qs_run	*run;

	run = ctl_parse("{\"level\":\"warn\",\"ts\":\"2026-11-22T06:02:49.527Z\","
	    "\"caller\":\"clientv3/retry_interceptor.go:62\",\"msg\":"
	    "\"retrying of unary invoker failed\",\"target\":\"endpoint://"
	    "client-6cad474b-85ea-483a-a280-1cdbf69c1bd0/127.0.0.32:23842\","
	    "\"attempt\":0,\"error\":\"rpc error: code = DeadlineExceeded "
	    "desc = latest balancer error: all SubConns are in "
	    "TransientFailure\"}\nError: context deadline exceeded\n");
	CHECK_STR(qs_test_etcd_render(run, OUT, QS_R_ALL),
	    "setting etcd.etcdctl.error=context deadline exceeded L2\n");
	qs_run_free(run);

	run = ctl_parse("{\"level\":\"warn\",\"ts\":\"2026-11-22T06:02:57.581Z\","
	    "\"caller\":\"clientv3/retry_interceptor.go:62\",\"msg\":"
	    "\"retrying of unary invoker failed\",\"target\":\"passthrough:///"
	    "http://127.0.0.32:23842\",\"attempt\":0,\"error\":\"rpc error: "
	    "code = DeadlineExceeded desc = latest balancer error: connection "
	    "error: desc = \\\"transport: Error while dialing dial tcp "
	    "127.0.0.32:23842: connect: connection refused\\\"\"}\n"
	    "Failed to get the status of endpoint http://127.0.0.32:23842 "
	    "(context deadline exceeded)\n"
	    "+----------+----+---------+---------+-----------+------------+"
	    "-----------+------------+--------------------+--------+\n"
	    "| ENDPOINT | ID | VERSION | DB SIZE | IS LEADER | IS LEARNER | "
	    "RAFT TERM | RAFT INDEX | RAFT APPLIED INDEX | ERRORS |\n"
	    "+----------+----+---------+---------+-----------+------------+"
	    "-----------+------------+--------------------+--------+\n"
	    "+----------+----+---------+---------+-----------+------------+"
	    "-----------+------------+--------------------+--------+\n"
	    "[]\n");
	CHECK_STR(qs_test_etcd_render(run, OUT, QS_R_ALL),
	    "setting etcd.etcdctl.error=Failed to get the status of endpoint "
	    "http://127.0.0.32:23842 (context deadline exceeded) L2\n");
	qs_run_free(run);
}

/* The default (simple) output, API 2 listings and 3.3 tables. */
DEFINE_TEST(test_parse_etcd_etcdctl_other_forms)
{
	struct qs_run	*run;

	run = ctl_parse(
	    "8e9e05c52164694d, started, infra1, http://127.0.0.1:2380, "
	    "http://127.0.0.1:2379, false\n"
	    "91bc3c398fb3c146, started, infra2, http://127.0.0.2:2380,"
	    "http://10.0.0.2:2380, http://127.0.0.2:2379, true\n"
	    "fd422379fda50e48, unstarted, , http://127.0.0.3:2380, , false\n"
	    "http://127.0.0.1:2379, 8e9e05c52164694d, 3.4.23, 25 kB, true, "
	    "false, 7, 120, 120, \n"
	    "http://127.0.0.2:2379, 91bc3c398fb3c146, 3.4.23, 25 kB, false, "
	    "true, 7, 120, 119, etcdserver: no leader, "
	    "etcdserver: request timed out\n");
	CHECK_STR(qs_test_etcd_render(run, OUT, QS_R_VIEWS | QS_R_SETTINGS |
	    QS_R_DIAGS),
	    "view etcdctl member list -0/-0 L1: "
	    "8e9e05c52164694d/infra1/http://127.0.0.1:2380/voter "
	    "91bc3c398fb3c146/infra2/http://127.0.0.2:2380/non-voter "
	    "fd422379fda50e48/-/http://127.0.0.3:2380/listed\n"
	    "setting etcd.status.endpoint=http://127.0.0.1:2379 L4\n"
	    "setting etcd.status.member_id=8e9e05c52164694d L4\n"
	    "setting etcd.status.leader=8e9e05c52164694d L4\n"
	    "setting etcd.status.raft_term=7 L4\n"
	    "setting etcd.status.raft_index=120 L4\n"
	    "setting etcd.status.raft_applied_index=120 L4\n"
	    "setting etcd.status.is_learner=false L4\n"
	    "setting etcd.status.version=3.4.23 L4\n"
	    "setting etcd.status.endpoint=http://127.0.0.2:2379 L5\n"
	    "setting etcd.status.member_id=91bc3c398fb3c146 L5\n"
	    "setting etcd.status.raft_term=7 L5\n"
	    "setting etcd.status.raft_index=120 L5\n"
	    "setting etcd.status.raft_applied_index=119 L5\n"
	    "setting etcd.status.is_learner=true L5\n"
	    "setting etcd.status.version=3.4.23 L5\n"
	    "setting etcd.status.errors=etcdserver: no leader; etcdserver: "
	    "request timed out L5\n");
	CHECK_INT(qs_test_etcd_count(run, OUT, QS_EV_MEMBER_ADD), 0);
	qs_run_free(run);

	/* ETCDCTL_API=2 etcdctl member list (seed 002's era). */
	run = ctl_parse(
	    "8e9e05c52164694d: name=infra1 peerURLs=http://10.0.0.1:2380 "
	    "clientURLs=http://10.0.0.1:2379 isLeader=true\n"
	    "fd422379fda50e48[unstarted]: peerURLs=http://10.0.0.3:2380\n");
	CHECK_STR(qs_test_etcd_render(run, OUT, QS_R_ALL),
	    "view etcdctl member list -0/-0 L1: "
	    "8e9e05c52164694d/infra1/http://10.0.0.1:2380/voter "
	    "fd422379fda50e48/-/http://10.0.0.3:2380/listed\n"
	    "setting etcd.status.leader=8e9e05c52164694d L1\n"
	    "ident name infra1 - 8e9e05c52164694d\n"
	    "ident address http://10.0.0.1:2380 peer 8e9e05c52164694d\n"
	    "ident address http://10.0.0.1:2379 client 8e9e05c52164694d\n"
	    "ident address http://10.0.0.3:2380 peer fd422379fda50e48\n");
	qs_run_free(run);

	/* etcdctl 3.3: no IS LEARNER column. */
	run = ctl_parse(
	    "|        ID        | STATUS  | NAME  |     PEER ADDRS     |"
	    "    CLIENT ADDRS    |\n"
	    "| 8e9e05c52164694d | started | infra1 | http://10.0.0.1:2380 | "
	    "http://10.0.0.1:2379 |\n");
	CHECK_STR(qs_test_etcd_render(run, OUT, QS_R_VIEWS | QS_R_DIAGS),
	    "view etcdctl member list -0/-0 L2: "
	    "8e9e05c52164694d/infra1/http://10.0.0.1:2380/voter\n");
	qs_run_free(run);
}

DEFINE_TEST(test_parse_etcd_etcdctl_malformed)
{
	struct qs_run	*run;
	char		*big;

	/* JSON that does not parse, and JSON cut short. */
	run = ctl_parse("{\"members\":[{\"ID\":1,}]}\n{\"header\":{\n");
	CHECK_STR(qs_test_etcd_render(run, OUT, QS_R_ALL),
	    "diag warning line 1: JSON output does not parse\n"
	    "diag warning line 2: JSON output starting here is cut short\n");
	CHECK_INT(((struct qs_artifact *)run->artifacts.v[0])->status,
	    QS_STATUS_PARTIAL);
	qs_run_free(run);

	/* An unbalanced client log line does not swallow the table after it. */
	run = ctl_parse("{\"level\":\"warn\",\"msg\":\"x\"\n" ML_TABLE);
	CHECK_STR(qs_test_etcd_render(run, OUT, QS_R_VIEWS | QS_R_DIAGS),
	    "view etcdctl member list -0/-0 L5: " ML_MEMBERS
	    "diag warning line 1: JSON output starting here is cut short\n");
	qs_run_free(run);

	/* Members without usable ids; a row before any header; odd JSON. */
	run = ctl_parse("{\"members\":[{\"name\":\"x\"},{\"ID\":-5},"
	    "{\"ID\":18446744073709551616},{\"ID\":1.5}]}\n"
	    "| zz | started | a | b | c | false |\n"
	    "| ID | STATUS | NAME | PEER ADDRS | CLIENT ADDRS |\n"
	    "| not-hex | started | a | http://x | |\n"
	    "{\"something\":\"else\"}\n"
	    "]]]\n");
	CHECK_STR(qs_test_etcd_render(run, OUT, QS_R_VIEWS | QS_R_DIAGS),
	    "view etcdctl member list -0/-0 L1:\n"
	    "diag warning line 1: a member without an ID; skipped\n"
	    "diag warning line 1: a member without an ID; skipped\n"
	    "diag warning line 1: a member without an ID; skipped\n"
	    "diag warning line 1: a member without an ID; skipped\n"
	    "diag warning line 4: member row without a valid ID; skipped\n"
	    "diag info line 5: JSON output not recognised as a member list "
	    "or endpoint status\n");
	qs_run_free(run);

	/* A 2 MiB line: cut at the line limit, and said so. */
	big = qs_xmalloc(2 * 1024 * 1024 + 1);
	memset(big, 'a', 2 * 1024 * 1024);
	big[0] = '[';
	big[2 * 1024 * 1024] = '\0';
	run = ctl_parse(big);
	CHECK(qs_test_has_diag(run, "line longer than 65536 bytes; cut"));
	CHECK(qs_test_has_diag(run, "cut short"));
	qs_run_free(run);
	free(big);

	/* JSON nested deeper than the parser accepts. */
	big = qs_xmalloc(4001);
	memset(big, '[', 2000);
	memset(big + 2000, ']', 2000);
	big[4000] = '\0';
	run = ctl_parse(big);
	CHECK(qs_test_has_diag(run, "does not parse"));
	qs_run_free(run);
	free(big);
}

/*
 * Collection-time probes.  Outputs are verbatim from etcdctl 3.4.23
 * against a 3-member etcd 3.4.23 on loopback: all up, then two members
 * killed (the survivor answers status with "no leader"; its health
 * check and the dead ones' all end in "context deadline exceeded", and
 * only the client's zap line tells the dead ones apart).
 */
#define ZAP_DEAD(ts, hp)						\
"{\"level\":\"warn\",\"ts\":\"" ts "\",\"caller\":\"clientv3/retry_interceptor.go:62\"," \
"\"msg\":\"retrying of unary invoker failed\",\"target\":\"endpoint://client-98edb33c-c69e-45d4-b9fc-01b41a7d6ae5/" hp "\"," \
"\"attempt\":0,\"error\":\"rpc error: code = DeadlineExceeded desc = latest balancer error: all SubConns are in TransientFailure\"}\n"
#define ZAP_SLOW(ts, hp)						\
"{\"level\":\"warn\",\"ts\":\"" ts "\",\"caller\":\"clientv3/retry_interceptor.go:62\"," \
"\"msg\":\"retrying of unary invoker failed\",\"target\":\"endpoint://client-7d1f7adf-d82a-471b-9aa5-19ce414d6ba7/" hp "\"," \
"\"attempt\":0,\"error\":\"rpc error: code = DeadlineExceeded desc = context deadline exceeded\"}\n"

DEFINE_TEST(test_parse_etcd_etcdctl_health)
{
	struct qs_run		*run;
	const struct qs_signal	*s;
	char			 buf[64];

	/* Healthy, simple, with a prompt and a date(1) header before it. */
	run = ctl_parse("Mon Dec  7 18:00:20 UTC 2026\n"
	    "root@etcd1:~# etcdctl --endpoints=http://127.0.0.111:24379 "
	    "endpoint health\n"
	    "http://127.0.0.111:24379 is healthy: successfully committed "
	    "proposal: took = 2.539545ms\n"
	    "root@etcd1:~# \n");
	CHECK_INT(run->diags.n, 0);
	CHECK_INT(run->signals.n, 1);
	s = qs_test_signal(run, QS_SIG_PROBE_UP, "http://127.0.0.111:24379");
	CHECK(s != NULL && s->ev.line == 3 && s->time.set &&
	    strcmp(qs_time_format(&s->time, buf, sizeof(buf)),
	    "2026-12-07T18:00:20.000Z") == 0);
	CHECK_STR(qs_test_setting(run, "etcd.health.healthy"), "true");
	qs_run_free(run);

	/* Two members down, the survivor without a leader (2>&1). */
	run = ctl_parse(
	    ZAP_SLOW("2026-12-07T18:01:09.905Z", "127.0.0.111:24371")
	    ZAP_DEAD("2026-12-07T18:01:09.907Z", "127.0.0.112:24372")
	    ZAP_DEAD("2026-12-07T18:01:09.907Z", "127.0.0.113:24373")
	    "http://127.0.0.111:24371 is unhealthy: failed to commit proposal: "
	    "context deadline exceeded\n"
	    "http://127.0.0.112:24372 is unhealthy: failed to commit proposal: "
	    "context deadline exceeded\n"
	    "http://127.0.0.113:24373 is unhealthy: failed to commit proposal: "
	    "context deadline exceeded\n"
	    "Error: unhealthy cluster\n");
	CHECK_INT(run->diags.n, 0);
	CHECK_INT(qs_test_nsignals(run, QS_SIG_PROBE_DOWN), 2);
	s = qs_test_signal(run, QS_SIG_PROBE_DOWN, "http://127.0.0.112:24372");
	CHECK(s != NULL && s->ev.line == 5 && s->time.set);
	CHECK(qs_test_signal(run, QS_SIG_PROBE_DOWN,
	    "http://127.0.0.113:24373") != NULL);
	/* The survivor's deadline says nothing either way: no probe. */
	CHECK_INT(run->signals.n, 2);
	CHECK_STR(qs_test_setting(run, "etcd.health.error"),
	    "context deadline exceeded");
	qs_run_free(run);

	/* JSON and table forms. */
	run = ctl_parse("[{\"endpoint\":\"http://127.0.0.111:24379\","
	    "\"health\":true,\"took\":\"1.778717ms\"}]\n");
	CHECK(qs_test_signal(run, QS_SIG_PROBE_UP,
	    "http://127.0.0.111:24379") != NULL);
	qs_run_free(run);
	run = ctl_parse(
	    "+--------------------------+--------+--------------+---------------------------+\n"
	    "|         ENDPOINT         | HEALTH |     TOOK     |           ERROR           |\n"
	    "+--------------------------+--------+--------------+---------------------------+\n"
	    "| http://10.0.0.1:2379     |   true | 1.349681ms   |                           |\n"
	    "| http://10.0.0.2:2379     |  false | 5.000593876s | Active Alarm(s): NOSPACE  |\n"
	    "| http://10.0.0.3:2379     |  false | 5.000593876s | dial tcp 10.0.0.3:2379: connect: connection refused |\n"
	    "+--------------------------+--------+--------------+---------------------------+\n");
	CHECK_INT(run->diags.n, 0);
	CHECK(qs_test_signal(run, QS_SIG_PROBE_UP, "http://10.0.0.1:2379") !=
	    NULL);
	CHECK(qs_test_signal(run, QS_SIG_PROBE_NOT_SERVING,
	    "http://10.0.0.2:2379") != NULL);
	CHECK(qs_test_signal(run, QS_SIG_PROBE_DOWN, "http://10.0.0.3:2379") !=
	    NULL);
	CHECK_INT(run->signals.n, 3);
	qs_run_free(run);

	/* API 2 cluster-health, and curl of /health without a leader. */
	run = ctl_parse("member 8e9e05c52164694d is healthy: got healthy "
	    "result from http://10.0.0.1:2379\n"
	    "failed to check the health of member 91bc3c398fb3c146 on "
	    "http://10.0.0.2:2379: Get http://10.0.0.2:2379/health: dial tcp "
	    "10.0.0.2:2379: connect: connection refused\n"
	    "member 91bc3c398fb3c146 is unreachable: [http://10.0.0.2:2379] "
	    "are all unreachable\n"
	    "cluster is degraded\n"
	    "$ curl -s http://10.0.0.3:2379/health\n"
	    "{\"health\":\"false\",\"reason\":\"RAFT NO LEADER\"}\n");
	CHECK(qs_test_signal(run, QS_SIG_PROBE_UP, "8e9e05c52164694d") != NULL);
	CHECK(qs_test_signal(run, QS_SIG_PROBE_DOWN, "91bc3c398fb3c146") !=
	    NULL);
	s = qs_test_signal(run, QS_SIG_PROBE_NOT_SERVING,
	    "http://10.0.0.3:2379/health");
	CHECK(s != NULL && strcmp(s->detail, "RAFT NO LEADER") == 0);
	CHECK_INT(run->signals.n, 3);
	qs_run_free(run);
}

DEFINE_TEST(test_parse_etcd_etcdctl_status_probes)
{
	struct qs_run		*run;
	const struct qs_signal	*s;

	run = ctl_parse(
	    "{\"level\":\"warn\",\"ts\":\"2026-12-07T18:01:19.956Z\",\"caller\":\"clientv3/retry_interceptor.go:62\","
	    "\"msg\":\"retrying of unary invoker failed\",\"target\":\"passthrough:///http://127.0.0.112:24372\","
	    "\"attempt\":0,\"error\":\"rpc error: code = DeadlineExceeded desc = latest balancer error: connection "
	    "error: desc = \\\"transport: Error while dialing dial tcp 127.0.0.112:24372: connect: connection refused\\\"\"}\n"
	    "Failed to get the status of endpoint http://127.0.0.112:24372 "
	    "(context deadline exceeded)\n"
	    "http://127.0.0.111:24371, 9f78edd1d20df5fd, 3.4.23, 20 kB, false, "
	    "false, 3, 9, 9, etcdserver: no leader\n"
	    "http://127.0.0.114:24374, 8e9e05c52164694d, 3.4.23, 20 kB, true, "
	    "false, 3, 9, 9, \n");
	CHECK_INT(run->diags.n, 0);
	/* Status needs no consensus: a deadline is no answer. */
	s = qs_test_signal(run, QS_SIG_PROBE_DOWN, "http://127.0.0.112:24372");
	CHECK(s != NULL && s->ev.line == 2 &&
	    strcmp(s->detail, "context deadline exceeded") == 0);
	s = qs_test_signal(run, QS_SIG_PROBE_NOT_SERVING,
	    "http://127.0.0.111:24371");
	CHECK(s != NULL && s->ev.line == 3);
	CHECK(qs_test_signal(run, QS_SIG_PROBE_UP, "http://127.0.0.114:24374") !=
	    NULL);
	CHECK_INT(run->signals.n, 3);
	qs_run_free(run);

	/* JSON status of a member without a leader (etcd-prevote-quorum-loss). */
	run = ctl_parse("[{\"Endpoint\":\"http://127.0.0.38:23848\",\"Status\":"
	    "{\"header\":{\"cluster_id\":10151396427814508893,\"member_id\":"
	    "5168923504262116331,\"revision\":16,\"raft_term\":2},\"version\":"
	    "\"3.4.23\",\"dbSize\":20480,\"raftIndex\":23,\"raftTerm\":2,"
	    "\"raftAppliedIndex\":23,\"errors\":[\"etcdserver: no leader\"],"
	    "\"dbSizeInUse\":16384}}]\n");
	CHECK(qs_test_signal(run, QS_SIG_PROBE_NOT_SERVING,
	    "http://127.0.0.38:23848") != NULL);
	CHECK_INT(run->signals.n, 1);
	qs_run_free(run);

	/* A member list that got no answer: down, named by the zap line. */
	run = ctl_parse(ZAP_DEAD("2026-12-07T18:00:47.556Z",
	    "127.0.0.111:24379") "Error: context deadline exceeded\n");
	s = qs_test_signal(run, QS_SIG_PROBE_DOWN, "127.0.0.111:24379");
	CHECK(s != NULL && s->ev.line == 2);
	CHECK_INT(run->signals.n, 1);
	qs_run_free(run);
	/* Locally, with nothing naming the endpoint: the observer itself. */
	run = ctl_parse("$ etcdctl member list\n"
	    "Error: dial tcp 127.0.0.1:2379: connect: connection refused\n");
	CHECK(qs_test_signal(run, QS_SIG_PROBE_DOWN, NULL) != NULL);
	qs_run_free(run);
	/* `etcdctl version` asks no server. */
	run = ctl_parse("etcdctl version: 3.4.23\nAPI version: 3.4\n");
	CHECK_INT(run->signals.n, 0);
	CHECK_STR(qs_test_setting(run, "etcd.etcdctl.version"), "3.4.23");
	qs_run_free(run);
}
