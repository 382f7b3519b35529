/*
 * probe.c: timestamp headers, shell prompts, command targets and error
 * texts of collected command output.  The nc, ncat and netcat wordings
 * are those the clients print (probe.c lists them).
 */
#include "config.h"

#include <stdlib.h>

#include "test.h"

size_t
qs_test_nsignals(const struct qs_run *run, enum qs_signal_kind kind)
{
	size_t	i, n = 0;

	for (i = 0; i < run->signals.n; i++)
		if (((const struct qs_signal *)run->signals.v[i])->kind == kind)
			n++;
	return n;
}

const struct qs_signal *
qs_test_signal(const struct qs_run *run, enum qs_signal_kind kind,
    const char *subject)
{
	size_t	i;

	for (i = 0; i < run->signals.n; i++) {
		const struct qs_signal	*s = run->signals.v[i];

		if (s->kind != kind)
			continue;
		if (subject == NULL ? s->subject == NULL :
		    s->subject != NULL && strcmp(s->subject, subject) == 0)
			return s;
	}
	return NULL;
}

struct qs_run *
qs_test_read_entries(const char *name, const struct qs_test_entry *e)
{
	unsigned char	*tar;
	size_t		 len;
	struct qs_run	*run;

	tar = qs_test_archive(QS_TEST_TAR, e, &len);
	run = qs_test_read(name, tar, len);
	free(tar);
	return run;
}

const struct qs_view *
qs_test_view(const struct qs_run *run, const char *source)
{
	size_t	i;

	for (i = 0; i < run->views.n; i++) {
		const struct qs_view	*v = run->views.v[i];

		if (strcmp(v->source, source) == 0)
			return v;
	}
	return NULL;
}

static int
probe_t_time(const char *line, const char *want, int zone_known)
{
	struct qs_time	t;
	char		buf[64];

	if (qs_probe_time_line(line, strlen(line), &t) != 0)
		return want == NULL;
	if (want == NULL)
		return 0;
	qs_time_format(&t, buf, sizeof(buf));
	return strcmp(buf, want) == 0 && t.zone_known == zone_known;
}

DEFINE_TEST(test_probe_time_headers)
{
	CHECK(probe_t_time("Mon Dec  7 17:56:20 UTC 2026",
	    "2026-12-07T17:56:20.000Z", 1));
	CHECK(probe_t_time("Tue Mar  5 10:00:00 CET 2024",
	    "2024-03-05T10:00:00.000Z", 0));
	CHECK(probe_t_time("Mon, 07 Dec 2026 17:56:20 +0100",
	    "2026-12-07T16:56:20.000Z", 1));
	CHECK(probe_t_time("=== 2024-05-01 12:00:00 UTC ===",
	    "2024-05-01T12:00:00.000Z", 1));
	CHECK(probe_t_time("# collected 2026-12-07T18:10:00Z",
	    "2026-12-07T18:10:00.000Z", 1));
	CHECK(probe_t_time("Collected at: 2026-12-07T18:10:00.5+02:00",
	    "2026-12-07T16:10:00.500Z", 1));
	CHECK(probe_t_time("[2026/12/07 18:10:00]",
	    "2026-12-07T18:10:00.000Z", 0));
	CHECK(probe_t_time("date: Mon Dec  7 17:56:20 UTC 2026",
	    "2026-12-07T17:56:20.000Z", 1));
	/* A log line is not a header: text follows the time. */
	CHECK(probe_t_time("2024-05-01 12:00:00,123 [myid:1] - INFO  [main]",
	    NULL, 0));
	CHECK(probe_t_time("Mode: follower", NULL, 0));
	CHECK(probe_t_time("Mon Dec 32 17:56:20 UTC 2026", NULL, 0));
	CHECK(probe_t_time("", NULL, 0));
	CHECK(probe_t_time("Mon", NULL, 0));
}

static const char *
probe_t_prompt(const char *line)
{
	size_t	at = qs_probe_prompt(line, strlen(line));

	return at == 0 ? NULL : line + at;
}

DEFINE_TEST(test_probe_prompts)
{
	CHECK_STR(probe_t_prompt("$ etcdctl endpoint health"),
	    "etcdctl endpoint health");
	CHECK_STR(probe_t_prompt("root@etcd1:~# etcdctl member list"),
	    "etcdctl member list");
	CHECK_STR(probe_t_prompt("[root@zk1 ~]# echo srvr | nc 127.0.0.1 2181"),
	    "echo srvr | nc 127.0.0.1 2181");
	CHECK_STR(probe_t_prompt("sh-4.4# etcdctl endpoint status"),
	    "etcdctl endpoint status");
	CHECK_STR(probe_t_prompt("# /opt/zookeeper/bin/zkServer.sh status"),
	    "/opt/zookeeper/bin/zkServer.sh status");
	CHECK_STR(probe_t_prompt("# ETCDCTL_API=3 etcdctl endpoint health"),
	    "ETCDCTL_API=3 etcdctl endpoint health");
	/* Comments, table rules and output are not prompts. */
	CHECK(probe_t_prompt("# one directory per etcd host") == NULL);
	CHECK(probe_t_prompt("Mode: follower") == NULL);
	CHECK(probe_t_prompt("+------+------+") == NULL);
	CHECK(probe_t_prompt("$") == NULL);
	CHECK(probe_t_prompt("sh-4.4#") == NULL);
	CHECK(probe_t_prompt("zk_version\t3.8.0") == NULL);
}

DEFINE_TEST(test_probe_targets)
{
	struct qs_run		*run = qs_test_parse("zk.myid", "n1/myid", "1\n",
	    0);
	struct qs_parse_ctx	 ctx;

	ctx.run = run;
	ctx.artifact = run->artifacts.v[0];
	ctx.src = NULL;
	ctx.speaker = NULL;
	CHECK_STR(qs_probe_target(&ctx, "echo srvr | nc zk2 2181"),
	    "zk2:2181");
	CHECK_STR(qs_probe_target(&ctx, "echo mntr | nc -w 3 10.0.0.3 2181 "
	    "> out"), "10.0.0.3:2181");
	CHECK_STR(qs_probe_target(&ctx, "echo stat | /bin/ncat 10.0.0.4 "
	    "2181"), "10.0.0.4:2181");
	CHECK_STR(qs_probe_target(&ctx, "ETCDCTL_API=3 etcdctl "
	    "--endpoints=https://10.0.0.1:2379,https://10.0.0.2:2379 "
	    "endpoint health"), "https://10.0.0.1:2379");
	CHECK_STR(qs_probe_target(&ctx, "curl -s http://10.0.0.1:2379/health"),
	    "http://10.0.0.1:2379/health");
	CHECK_STR(qs_probe_target(&ctx, "consul members -http-addr=10.0.0.9:8500"),
	    "10.0.0.9:8500");
	CHECK(qs_probe_target(&ctx, "etcdctl endpoint status") == NULL);
	CHECK(qs_probe_target(&ctx, "echo srvr | nc zk2") == NULL);
	CHECK(qs_probe_target(&ctx, "sync; echo done") == NULL);
	CHECK(qs_probe_target(&ctx, NULL) == NULL);
	CHECK(qs_probe_target_is_local("http://127.0.0.1:2379"));
	CHECK(qs_probe_target_is_local("localhost:2181"));
	CHECK(qs_probe_target_is_local(NULL));
	/* Bundles may give each node its own 127.x: not "local". */
	CHECK(!qs_probe_target_is_local("http://127.0.0.31:23841"));
	CHECK(!qs_probe_target_is_local("localhost.example.com:2181"));
	qs_run_free(run);
}

DEFINE_TEST(test_probe_error_kinds)
{
	CHECK_INT(qs_probe_error_kind("nc: connect to zk2 port 2181 (tcp) "
	    "failed: Connection refused"), QS_SIG_PROBE_DOWN);
	CHECK_INT(qs_probe_error_kind("nc: connect to 10.0.0.3 port 2181 (tcp) "
	    "timed out: Operation now in progress"), QS_SIG_PROBE_DOWN);
	CHECK_INT(qs_probe_error_kind("Ncat: Connection refused."),
	    QS_SIG_PROBE_DOWN);
	CHECK_INT(qs_probe_error_kind("Error contacting service. It is "
	    "probably not running."), QS_SIG_PROBE_DOWN);
	CHECK_INT(qs_probe_error_kind("rpc error: code = DeadlineExceeded desc "
	    "= latest balancer error: all SubConns are in TransientFailure"),
	    QS_SIG_PROBE_DOWN);
	CHECK_INT(qs_probe_error_kind("etcdserver: no leader"),
	    QS_SIG_PROBE_NOT_SERVING);
	CHECK_INT(qs_probe_error_kind("Unexpected response code: 500 (No "
	    "cluster leader)"), QS_SIG_PROBE_NOT_SERVING);
	CHECK_INT(qs_probe_error_kind("Active Alarm(s): NOSPACE "),
	    QS_SIG_PROBE_NOT_SERVING);
	/* Says neither: a dial and an uncommitted proposal both time out. */
	CHECK_INT(qs_probe_error_kind("context deadline exceeded"), -1);
	CHECK_INT(qs_probe_error_kind(""), -1);
	CHECK_INT(qs_probe_error_kind(NULL), -1);
}

/*
 * testdata/bundles/etcd-probes, made by real etcd 3.4 (see its README):
 * what the collector saw with all three members up, then with two
 * killed.
 */
DEFINE_TEST(test_probe_etcd_bundle)
{
	struct qs_run	*run = qs_test_bundle("etcd-probes");
	size_t		 i, up = 0, down = 0, ns = 0, other = 0;

	qs_model_resolve(run);
	CHECK_INT(run->diags.n, 0);
	for (i = 0; i < run->signals.n; i++) {
		const struct qs_signal	*s = run->signals.v[i];
		const char		*file = s->ev.artifact->logical;
		const char		*who = s->subject_node != NULL ?
		    s->subject_node->name : "?";

		if (s->kind != QS_SIG_PROBE_UP && s->kind != QS_SIG_PROBE_DOWN &&
		    s->kind != QS_SIG_PROBE_NOT_SERVING)
			continue;
		CHECK(s->time.set);
		if (strstr(file, "1-all-up") != NULL) {
			/* Every probe of the first round: up. */
			CHECK_INT(s->kind, QS_SIG_PROBE_UP);
			up++;
		} else if (s->kind == QS_SIG_PROBE_DOWN) {
			/* Only the killed ones, found by their endpoints. */
			CHECK(strcmp(who, "kv2") == 0 || strcmp(who, "kv3") == 0);
			down++;
		} else if (s->kind == QS_SIG_PROBE_NOT_SERVING) {
			CHECK_STR(who, "kv1");
			ns++;
		} else
			other++;
	}
	CHECK_INT(up, 24);
	CHECK_INT(ns, 2);
	CHECK_INT(down, 12);
	/* The survivor's own health check ends in a bare deadline: no probe. */
	CHECK_INT(other, 0);
	qs_run_free(run);
}

/*
 * Files that hold only a client's complaint are still read: the Consul
 * CLI's error prefixes are its own, so content alone names the kind; a
 * netcat error says nothing of ZooKeeper, so the four-letter word in the
 * file's name does.  nc -v's "Connection to ... succeeded!" names the
 * server the answer came from; a word not on the whitelist is answered,
 * but says nothing of serving.  Texts as netcat-openbsd and consul print
 * them (testdata/bundles/zk-crash-loop, zk-kafka, consul-two-dead).
 */
DEFINE_TEST(test_probe_complaint_files)
{
	struct qs_test_entry	 e[] = {
		{ "alpha/cmds/info.txt", "Error querying agent: Get \"http://"
		    "127.0.0.1:8500/v1/agent/self\": dial tcp 127.0.0.1:8500: "
		    "connect: connection refused\n", 0, NULL, NULL },
		{ "zk3/zk_srvr.log", "nc: connect to 127.0.2.93 port 48181 "
		    "(tcp) failed: Connection refused\n", 0, NULL, NULL },
		{ "zk1/zk_srvr.log", "Connection to 127.0.2.91 48181 port "
		    "[tcp/*] succeeded!\nZookeeper version: 3.8.0\nMode: "
		    "follower\n", 0, NULL, NULL },
		{ "zk1/zk-mntr.txt", "Connection to 127.0.2.91 48181 port "
		    "[tcp/*] succeeded!\nmntr is not executed because it is not "
		    "in the whitelist.\n", 0, NULL, NULL },
		{ "zk1/notes.txt", "nc: connect to 10.0.0.1 port 22 (tcp) "
		    "failed: Connection refused\n", 0, NULL, NULL },
		{ NULL, NULL, 0, NULL, NULL }
	};
	struct qs_run		*run;
	const struct qs_artifact *a;

	run = qs_test_read_entries("complaints.tar", e);
	a = qs_test_artifact(run, "alpha/cmds/info.txt");
	CHECK(a != NULL && strcmp(a->kind->name, "consul.cli_output") == 0);
	a = qs_test_artifact(run, "zk3/zk_srvr.log");
	CHECK(a != NULL && strcmp(a->kind->name, "zk.fourletter_output") == 0);
	a = qs_test_artifact(run, "zk1/zk-mntr.txt");
	CHECK(a != NULL && strcmp(a->kind->name, "zk.fourletter_output") == 0);
	/* A netcat error in a file no name ties to ZooKeeper: not read. */
	CHECK(qs_test_artifact(run, "zk1/notes.txt") == NULL);
	CHECK(qs_test_signal(run, QS_SIG_PROBE_DOWN, NULL) != NULL);
	CHECK(qs_test_signal(run, QS_SIG_PROBE_DOWN, "127.0.2.93:48181") !=
	    NULL);
	CHECK(qs_test_signal(run, QS_SIG_PROBE_UP, "127.0.2.91:48181") != NULL);
	CHECK_INT(run->signals.n, 3);
	qs_run_free(run);
}
