/*
 * wire-logline.c: every wrapper shape peeled to the program's own line,
 * with the time, host, unit, pid or container the wrapper names.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "wire-logline.h"

/* One peeled line, its message as a NUL-terminated copy. */
struct peeled {
	struct qs_logline	ll;
	char			msg[512];
	char			host[64], unit[64], box[64];
	char			time[40];
};

static void
peel(struct peeled *p, const char *line)
{
	memset(p, 0, sizeof(*p));
	qs_logline_init(&p->ll);
	qs_logline_peel(&p->ll, line, strlen(line));
	snprintf(p->msg, sizeof(p->msg), "%.*s", (int)p->ll.len, p->ll.msg);
	snprintf(p->host, sizeof(p->host), "%.*s", (int)p->ll.hostlen,
	    p->ll.host != NULL ? p->ll.host : "");
	snprintf(p->unit, sizeof(p->unit), "%.*s", (int)p->ll.unitlen,
	    p->ll.unit != NULL ? p->ll.unit : "");
	snprintf(p->box, sizeof(p->box), "%.*s", (int)p->ll.containerlen,
	    p->ll.container != NULL ? p->ll.container : "");
	qs_time_format(&p->ll.time, p->time, sizeof(p->time));
	qs_logline_free(&p->ll);
}


DEFINE_TEST(test_wire_logline_journald_short)
{
	struct peeled	p;

	/* journald short: no year, so no time; host, unit and pid kept */
	peel(&p, "Mar 03 10:12:01 db-2 etcd[811]: raft.node: 5a1e2f elected "
	    "leader 9c0b1d at term 7");
	CHECK_STR(p.msg, "raft.node: 5a1e2f elected leader 9c0b1d at term 7");
	CHECK_STR(p.host, "db-2");
	CHECK_STR(p.unit, "etcd");
	CHECK(p.ll.pid == 811);
	CHECK(!p.ll.time.set);
	CHECK(p.ll.wrappers == QS_WRAP_SYSLOG);
	/* syslogd pads the day with a blank; short-precise adds micros */
	peel(&p, "Mar  3 10:12:01 infra-7 consul[4411]: raft: Node at "
	    "10.0.0.7:8300 [Follower] entering Follower state (Leader: \"\")");
	CHECK_STR(p.msg, "raft: Node at 10.0.0.7:8300 [Follower] entering "
	    "Follower state (Leader: \"\")");
	CHECK_STR(p.host, "infra-7");
	peel(&p, "Mar 03 10:12:01.123456 db-2 etcd[811]: hello");
	CHECK_STR(p.msg, "hello");
	CHECK_STR(p.host, "db-2");
}

DEFINE_TEST(test_wire_logline_syslog)
{
	struct peeled	p;

	/* RFC 3164 with priority, year, no host */
	peel(&p, "<30>Mar  3 2024 10:12:01 host1 consul: agent: x");
	CHECK_STR(p.msg, "agent: x");
	CHECK_STR(p.time, "2024-03-03T10:12:01.000Z");
	CHECK(p.ll.wrappers == (QS_WRAP_PRI | QS_WRAP_SYSLOG));
	peel(&p, "Mar  3 10:12:01 consul[12]: agent: y");
	CHECK_STR(p.msg, "agent: y");
	CHECK_STR(p.host, "");
	CHECK_STR(p.unit, "consul");
	/* RFC 5424, nil fields, structured data, BOM */
	peel(&p, "<165>1 2024-03-03T10:12:01.004Z zk-3 java 99 - "
	    "[origin ip=\"10.0.0.3\"] \xef\xbb\xbfmessage here");
	CHECK_STR(p.msg, "message here");
	CHECK_STR(p.host, "zk-3");
	CHECK_STR(p.unit, "java");
	CHECK(p.ll.pid == 99);
	CHECK_STR(p.time, "2024-03-03T10:12:01.004Z");
	peel(&p, "<14>1 - - - - - - bare");
	CHECK_STR(p.msg, "bare");
	CHECK(!p.ll.time.set);
	/* a kernel line is nobody's server log */
	peel(&p, "Nov 22 06:06:22 host1 kernel: became leader at term 9");
	CHECK(p.ll.foreign);
}

DEFINE_TEST(test_wire_logline_journald_iso)
{
	struct peeled	p;

	peel(&p, "2026-11-22T06:06:17+0000 host1 etcd[123]: {\"level\":"
	    "\"info\"}");
	CHECK_STR(p.msg, "{\"level\":\"info\"}");
	CHECK_STR(p.host, "host1");
	CHECK_STR(p.time, "2026-11-22T06:06:17.000Z");
	CHECK(p.ll.wrappers == QS_WRAP_ISO_HOST);
}

DEFINE_TEST(test_wire_logline_containers)
{
	struct peeled	p;

	/* docker json-file, escapes decoded, newline dropped */
	peel(&p, "{\"log\":\"2024-03-03T10:12:01.004Z [INFO]  agent: \\\"x\\\""
	    "\\u00e9\\n\",\"stream\":\"stderr\",\"time\":"
	    "\"2024-03-03T10:12:01.005123456Z\"}");
	CHECK_STR(p.msg, "2024-03-03T10:12:01.004Z [INFO]  agent: \"x\"\xc3\xa9");
	CHECK_STR(p.time, "2024-03-03T10:12:01.005Z");
	CHECK(p.ll.wrappers == QS_WRAP_JSON_FILE);
	/* re-serialised with blanks (jq, Python) */
	peel(&p, "{\"log\": \"x\\n\", \"time\": \"2024-03-03T10:12:01Z\"}");
	CHECK_STR(p.msg, "x");
	CHECK_STR(p.time, "2024-03-03T10:12:01.000Z");
	/* CRI */
	peel(&p, "2024-03-03T10:12:01.123456789Z stderr F 2024-03-03 "
	    "10:12:01,004 [myid:1] - INFO  [main:QuorumPeer@1] - LEADING");
	CHECK_STR(p.msg, "2024-03-03 10:12:01,004 [myid:1] - INFO  "
	    "[main:QuorumPeer@1] - LEADING");
	CHECK(p.ll.wrappers == QS_WRAP_CRI);
	CHECK_STR(p.time, "2024-03-03T10:12:01.123Z");
	/* compose v2 and v1, with colours */
	peel(&p, "web-consul-1  | 2024-03-03T10:12:01.004Z [INFO]  "
	    "agent.server.raft: entering follower state: x");
	CHECK_STR(p.msg, "2024-03-03T10:12:01.004Z [INFO]  agent.server.raft: "
	    "entering follower state: x");
	CHECK_STR(p.box, "web-consul-1");
	CHECK(!p.ll.time.set);
	peel(&p, "\x1b[36mcs2_1  |\x1b[0m ==> Starting Consul agent...");
	CHECK_STR(p.msg, "==> Starting Consul agent...");
	CHECK_STR(p.box, "cs2_1");
	/* a capnslog level is not a service */
	peel(&p, "I | etcdserver: published");
	CHECK_STR(p.msg, "I | etcdserver: published");
	CHECK(p.ll.wrappers == 0);
	/* kubectl --timestamps, --prefix */
	peel(&p, "[pod/etcd-0/etcd] 2024-03-03T10:12:01.123456789Z "
	    "raft.node: x");
	CHECK_STR(p.msg, "raft.node: x");
	CHECK_STR(p.box, "etcd-0");
	CHECK(p.ll.wrappers == (QS_WRAP_KUBE_PREFIX | QS_WRAP_STAMP));
	/* a stamp glued to the message */
	peel(&p, "2024-03-03T10:12:01.5Z2024-03-03T10:12:01.004Z [WARN]  "
	    "agent: y");
	CHECK_STR(p.msg, "2024-03-03T10:12:01.004Z [WARN]  agent: y");
	CHECK(p.ll.wrappers == QS_WRAP_GLUED);
	CHECK_STR(p.time, "2024-03-03T10:12:01.500Z");
	/* compose around json-file around journald */
	peel(&p, "etcd-1  | {\"log\":\"Mar 03 10:12:01 db-2 etcd[1]: m\\n\","
	    "\"time\":\"2024-03-03T10:12:01Z\"}");
	CHECK_STR(p.msg, "m");
	CHECK_STR(p.box, "etcd-1");
	CHECK_STR(p.host, "db-2");
	CHECK_STR(p.time, "2024-03-03T10:12:01.000Z");
}

DEFINE_TEST(test_wire_logline_own_lines)
{
	struct peeled	p;
	static const char *const own[] = {
		"2021-01-23T23:18:54.216Z [INFO]  agent.server.raft: x",
		"2021-01-23T23:18:54.216Z [ERROR] agent: x",
		"2016/03/03 12:00:00 [INFO] serf: x",
		"2017-09-05 08:29:13.123456 I | etcdserver: x",
		"2024-05-01 12:00:00,123 [myid:1] - INFO  [a:B@1] - x",
		"{\"level\":\"info\",\"ts\":\"2024-03-03T10:12:01Z\"}",
		"{\"@level\":\"info\",\"@message\":\"x\"}",
		"2021-06-23T09:11:18.123+0200\tinfo\tx",
		"==> Starting Consul agent...",
		"raft2015/06/09 21:30:40 INFO: x",
		"",
		NULL
	};
	size_t	i;

	/* the program's own lines: nothing peeled, nothing lost */
	for (i = 0; own[i] != NULL; i++) {
		peel(&p, own[i]);
		if (strcmp(p.msg, own[i]) != 0 || p.ll.wrappers != 0)
			qs_test_fail(__FILE__, __LINE__, "peeled: %s", own[i]);
	}
	/* torn wrappers are left as they are */
	peel(&p, "{\"log\":\"unterminated");
	CHECK(p.ll.wrappers == 0);
	peel(&p, "<999999>x");
	CHECK(p.ll.wrappers == 0);
	peel(&p, "Mar 03 10:12:01");
	CHECK(p.ll.wrappers == 0);
}

static size_t
t_count(const struct qs_run *run, enum qs_event_kind kind)
{
	size_t	i, n = 0;

	for (i = 0; i < run->events.n; i++)
		n += ((const struct qs_event *)run->events.v[i])->kind == kind;
	return n;
}

/* The observer of the nth event of `kind` in the run, or "". */
static const char *
first_observer(const struct qs_run *run, enum qs_event_kind kind, size_t nth)
{
	size_t	i;

	for (i = 0; i < run->events.n; i++) {
		const struct qs_event	*e = run->events.v[i];

		if (e->kind == kind && nth-- == 0)
			return e->observer != NULL ? e->observer->name : "";
	}
	return "";
}

DEFINE_TEST(test_wire_logline_several_speakers)
{
	/* zk1's file holds lines of zk1 and zk2, two in one millisecond */
	static const char log[] =
	    "2026-11-22 06:16:47,474 [myid:1] - INFO  [QuorumPeer[myid=1]"
	    "(plain=0.0.0.0:2181)(secure=disabled):QuorumPeer@1549] - LEADING\n"
	    "2026-11-22 06:16:47,474 [myid:2] - INFO  [QuorumPeer[myid=2]"
	    "(plain=0.0.0.0:2181)(secure=disabled):QuorumPeer@1549] - LEADING\n";
	static const char one[] =
	    "2026-11-22 06:16:47,474 [myid:1] - INFO  [QuorumPeer[myid=1]"
	    "(plain=0.0.0.0:2181)(secure=disabled):QuorumPeer@1549] - LEADING\n";
	const struct qs_test_entry	 many[] = {
		{ "b/zk1/data/myid", "1\n", 0, NULL, NULL },
		{ "b/zk2/data/myid", "2\n", 0, NULL, NULL },
		{ "b/zk1/logs/zookeeper.log", log, 0, NULL, NULL },
		{ NULL, NULL, 0, NULL, NULL }
	}, single[] = {
		{ "b/zk1/data/myid", "1\n", 0, NULL, NULL },
		{ "b/zk2/data/myid", "2\n", 0, NULL, NULL },
		{ "b/zk2/logs/zookeeper.log", one, 0, NULL, NULL },
		{ NULL, NULL, 0, NULL, NULL }
	};
	unsigned char	*tar;
	size_t		 len;
	struct qs_run	*run;

	tar = qs_test_archive(QS_TEST_TAR, many, &len);
	run = qs_test_read("many.tar", tar, len);
	qs_model_resolve(run);
	CHECK_INT(t_count(run, QS_EV_LEADER_ELECTED), 2);
	CHECK_STR(first_observer(run, QS_EV_LEADER_ELECTED, 0), "zk1");
	CHECK_STR(first_observer(run, QS_EV_LEADER_ELECTED, 1), "zk2");
	qs_run_free(run);
	free(tar);
	/* one speaker: the file's node, whatever its lines' myid says */
	tar = qs_test_archive(QS_TEST_TAR, single, &len);
	run = qs_test_read("single.tar", tar, len);
	qs_model_resolve(run);
	CHECK_STR(first_observer(run, QS_EV_LEADER_ELECTED, 0), "zk2");
	qs_run_free(run);
	free(tar);
}

DEFINE_TEST(test_log_nothing_understood)
{
	/* Consul's marks, but no line the parser understands, no time */
	static const char text[] = "[INFO] agent: Synced node info\n"
	    "[INFO] agent: Synced service \"web\"\n";
	static const char timed[] = "2024-03-03T10:12:01.004Z [INFO]  "
	    "agent.server.raft: starting snapshot up to: index=10\n";
	const struct qs_test_entry	 nothing[] = {
		{ "b/n1/consul/consul.log", text, 0, NULL, NULL },
		{ NULL, NULL, 0, NULL, NULL }
	}, routine[] = {
		{ "b/n1/consul/consul.log", timed, 0, NULL, NULL },
		{ NULL, NULL, 0, NULL, NULL }
	};
	struct qs_analysis		 an;
	const struct qs_cluster		*c;
	const struct qs_artifact	*a;
	unsigned char			*tar;
	size_t				 len;
	struct qs_run			*run;

	tar = qs_test_archive(QS_TEST_TAR, nothing, &len);
	run = qs_test_read("nothing.tar", tar, len);
	a = qs_test_artifact(run, "b/n1/consul/consul.log");
	CHECK(a != NULL && a->status == QS_STATUS_NOTHING);
	CHECK_STR(qs_status_name(QS_STATUS_NOTHING),
	    "read, nothing understood");
	memset(&an, 0, sizeof(an));
	qs_analyse(run, &an);
	CHECK_INT(an.clusters.n, 1);
	if (an.clusters.n == 1) {
		c = an.clusters.v[0];
		CHECK(c->verdict == QS_VERDICT_UNKNOWN);
		CHECK_INT(c->not_understood, 1);
		CHECK_INT(c->decoded, 0);
	}
	qs_analysis_free(&an);
	qs_run_free(run);
	free(tar);
	/* a timed routine line says the agent was up: understood */
	tar = qs_test_archive(QS_TEST_TAR, routine, &len);
	run = qs_test_read("routine.tar", tar, len);
	a = qs_test_artifact(run, "b/n1/consul/consul.log");
	CHECK(a != NULL && a->status == QS_STATUS_PARSED);
	qs_run_free(run);
	free(tar);
}
