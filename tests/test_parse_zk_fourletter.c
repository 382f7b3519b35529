/* parse-zk-fourletter.c: srvr, stat, mntr and conf answers. */
#include "config.h"

#include "test_zk.h"

DEFINE_TEST(test_parse_zk_fourletter_srvr)
{
	static const char	srvr[] =
	    "Zookeeper version: 3.8.0-${mvngit.commit.id}, built on 2024-12-29 "
	    "17:54 UTC\n"
	    "Latency min/avg/max: 0/0.0/0\n"
	    "Received: 3\n"
	    "Sent: 2\n"
	    "Connections: 1\n"
	    "Outstanding: 0\n"
	    "Zxid: 0x200000006\n"
	    "Mode: leader\n"
	    "Node count: 18\n"
	    "Proposal sizes last/min/max: 48/48/111\n";
	struct qs_run	*run = qs_test_parse("zk.fourletter_output",
	    "binder1/zk-srvr.txt", srvr, 0);

	CHECK_INT(run->diags.n, 0);
	CHECK_INT(run->settings.n, 4);
	CHECK_STR(zk_t_setting(run, NULL, "zk.4lw.mode"), "leader");
	CHECK_STR(zk_t_setting(run, NULL, "zk.4lw.zxid"), "0x200000006");
	CHECK_STR(zk_t_setting(run, NULL, "zk.4lw.version"),
	    "3.8.0-${mvngit.commit.id}, built on 2024-12-29 17:54 UTC");
	CHECK_STR(zk_t_setting(run, NULL, "zk.4lw.serving"), "true");
	CHECK_INT(run->views.n + run->events.n + run->identities.n, 0);
	qs_run_free(run);
}

/* Seed 004's stat and 3.4 mntr, in one collected file. */
DEFINE_TEST(test_parse_zk_fourletter_34)
{
	static const char	out[] =
	    "Zookeeper version: 3.4.3--1, built on 04/18/2012 19:16 GMT\n"
	    "Clients:\n"
	    " /127.0.0.1:34346[0](queued=0,recved=1,sent=0)\n"
	    "\n"
	    "Latency min/avg/max: 0/0/29\n"
	    "Mode: follower\n"
	    "zk_version\t3.4.3--1, built on 04/18/2012 19:16 GMT\n"
	    "zk_avg_latency\t0\n"
	    "zk_server_state\tleader\n"
	    "zk_znode_count\t306\n"
	    "zk_followers\t2\n"
	    "zk_synced_followers\t2\n"
	    "zk_pending_syncs\t0\n";
	struct qs_run	*run = qs_test_parse("zk.fourletter_output",
	    "binder3/zk-stat.txt", out, 0);

	CHECK_INT(run->diags.n, 0);
	/* The first answer in the file counts. */
	CHECK_STR(zk_t_setting(run, NULL, "zk.4lw.mode"), "follower");
	CHECK_INT(zk_t_nsettings(run, NULL, "zk.4lw.mode"), 1);
	CHECK_STR(zk_t_setting(run, NULL, "zk.4lw.followers"), "2");
	CHECK_STR(zk_t_setting(run, NULL, "zk.4lw.synced_followers"), "2");
	CHECK_STR(zk_t_setting(run, NULL, "zk.4lw.serving"), "true");
	CHECK(zk_t_setting(run, NULL, "zk.4lw.zxid") == NULL);
	qs_run_free(run);
}

/* 3.8 mntr: zk_learners, zk_quorum_size, longer names around. */
DEFINE_TEST(test_parse_zk_fourletter_mntr)
{
	static const char	mntr[] =
	    "zk_version\t3.8.0-${mvngit.commit.id}, built on 2024-12-29 17:54 "
	    "UTC\n"
	    "zk_server_state\tleader\n"
	    "zk_peer_state\tleading - broadcast\n"
	    "zk_synced_followers\t2\n"
	    "zk_synced_non_voting_followers\t0\n"
	    "zk_learners\t2\n"
	    "zk_quorum_size\t3\n"
	    "zk_followers_extra\t9\n";
	struct qs_run	*run = qs_test_parse("zk.fourletter_output",
	    "binder1/zk-mntr.txt", mntr, 0);

	CHECK_INT(run->diags.n, 0);
	CHECK_STR(zk_t_setting(run, NULL, "zk.4lw.mode"), "leader");
	CHECK_STR(zk_t_setting(run, NULL, "zk.4lw.followers"), "2");
	CHECK_STR(zk_t_setting(run, NULL, "zk.4lw.synced_followers"), "2");
	CHECK_STR(zk_t_setting(run, NULL, "zk.4lw.quorum_size"), "3");
	CHECK_INT(run->settings.n, 6);
	qs_run_free(run);
}

DEFINE_TEST(test_parse_zk_fourletter_not_serving)
{
	struct qs_run	*run = qs_test_parse("zk.fourletter_output",
	    "binder2/zk-srvr.txt",
	    "This ZooKeeper instance is not currently serving requests\n", 0);

	CHECK_INT(run->diags.n, 0);
	CHECK_INT(run->settings.n, 1);
	CHECK_STR(zk_t_setting(run, NULL, "zk.4lw.serving"), "false");
	qs_run_free(run);
}

/* conf: the configuration the running server actually uses. */
DEFINE_TEST(test_parse_zk_fourletter_conf)
{
	static const char	conf[] =
	    "clientPort=21814\n"
	    "secureClientPort=-1\n"
	    "dataDir=/zookeeper/zookeeper/version-2\n"
	    "dataDirSize=4197509\n"
	    "tickTime=2000\n"
	    "serverId=2\n"
	    "initLimit=10\n"
	    "electionPort=22984\n"
	    "quorumPort=22884\n"
	    "peerType=0\n"
	    "membership: \n"
	    "server.1=127.0.0.64:22884:22984:participant;127.0.0.64:21814\n"
	    "server.2=127.0.0.65:22884:22984:participant;127.0.0.65:21814\n"
	    "server.4=127.0.0.67:22884:22984:observer;127.0.0.67:21814\n"
	    "server.5=bogus\n"
	    "version=100000018";
	struct qs_run		*run = qs_test_parse("zk.fourletter_output",
	    "binder1/zk-conf.txt", conf, 0);
	const struct qs_view	*v = zk_t_view(run, NULL, "4lw conf", 0);

	CHECK_STR(zk_t_setting(run, NULL, "zk.4lw.server_id"), "2");
	CHECK_STR(zk_t_setting(run, NULL, "zk.4lw.config_version"),
	    "100000018");
	CHECK(zk_t_setting(run, NULL, "zk.4lw.serving") == NULL);
	CHECK(zk_t_has_ident(run, NULL, QS_ID_MYID, "2", NULL, NULL));
	CHECK_INT(run->identities.n, 1);
	CHECK(qs_test_has_diag(run, "line 15: malformed server line: no "
	    "quorum port"));
	CHECK(v != NULL);
	if (v != NULL) {
		CHECK_INT(v->members.n, 3);
		CHECK_INT(v->clock.set, QS_CLOCK_ZXID);
		CHECK(v->clock.zxid == UINT64_C(0x100000018));
		CHECK_STR(zk_t_member(v, 2)->id, "4");
		CHECK_INT(zk_t_member(v, 2)->state, QS_MEMBER_NONVOTER);
		CHECK_INT(v->ev.line, 12);
	}
	qs_run_free(run);
}

DEFINE_TEST(test_parse_zk_fourletter_empty_and_junk)
{
	struct qs_run	*run;

	run = qs_test_parse("zk.fourletter_output", "n/zk-srvr.txt", "\n\n",
	    0);
	CHECK_INT(run->settings.n + run->diags.n, 0);
	qs_run_free(run);
	run = qs_test_parse("zk.fourletter_output", "n/zk-srvr.txt",
	    "Mode:\nZxid:   \nserverId=x\nversion=zz\n", 0);
	/* serverId "x" and version "zz" are kept as text. */
	CHECK_INT(run->settings.n, 2);
	CHECK_INT(run->identities.n, 0);
	qs_run_free(run);
}

/*
 * Probes: one per answer between prompts; nc's, netcat's and
 * zkServer.sh's errors are down, the not-serving text not serving, a
 * Mode up.  zkServer.sh's lines are those of its "status" (Debian
 * zookeeper 3.8 /usr/share/zookeeper/bin/zkServer.sh).
 */
DEFINE_TEST(test_parse_zk_fourletter_probes)
{
	static const char	out[] =
	    "# collected 2026-12-07T18:10:00Z\n"
	    "$ echo srvr | nc 127.0.0.1 2181\n"
	    "This ZooKeeper instance is not currently serving requests\n"
	    "$ echo srvr | nc zk2 2181\n"
	    "nc: connect to zk2 port 2181 (tcp) failed: Connection refused\n"
	    "$ echo srvr | nc -w 3 10.0.0.3 2181\n"
	    "nc: connect to 10.0.0.3 port 2181 (tcp) timed out: Operation now "
	    "in progress\n"
	    "$ echo srvr | nc 10.0.0.4 2181\n"
	    "(UNKNOWN) [10.0.0.4] 2181 (?) : Connection refused\n"
	    "$ zkServer.sh status\n"
	    "ZooKeeper JMX enabled by default\n"
	    "Using config: /etc/zookeeper/conf/zoo.cfg\n"
	    "Client port found: 2181. Client address: localhost. Client SSL: "
	    "false.\n"
	    "Error contacting service. It is probably not running.\n"
	    "$ echo srvr | nc 10.0.0.5 2181\n"
	    "Zookeeper version: 3.8.0\n"
	    "Mode: follower\n"
	    "$ echo stat | nc 10.0.0.6 2181\n"
	    "Ncat: Connection refused.\n"
	    "$ echo ruok | nc 10.0.0.7 2181\n"
	    "imok\n";
	struct qs_run		*run = qs_test_parse("zk.fourletter_output",
	    "zk1/zk-srvr.txt", out, 0);
	const struct qs_signal	*s;
	char			 buf[64];

	CHECK_INT(run->diags.n, 0);
	s = qs_test_signal(run, QS_SIG_PROBE_NOT_SERVING, NULL);
	CHECK(s != NULL && s->ev.line == 3 && s->time.set &&
	    strcmp(qs_time_format(&s->time, buf, sizeof(buf)),
	    "2026-12-07T18:10:00.000Z") == 0);
	s = qs_test_signal(run, QS_SIG_PROBE_DOWN, "zk2:2181");
	CHECK(s != NULL && s->ev.line == 5);
	CHECK(qs_test_signal(run, QS_SIG_PROBE_DOWN, "10.0.0.3:2181") != NULL);
	CHECK(qs_test_signal(run, QS_SIG_PROBE_DOWN, "10.0.0.4:2181") != NULL);
	s = qs_test_signal(run, QS_SIG_PROBE_DOWN, NULL);
	CHECK(s != NULL && s->ev.line == 14);
	s = qs_test_signal(run, QS_SIG_PROBE_UP, "10.0.0.5:2181");
	CHECK(s != NULL && s->ev.line == 17 &&
	    strcmp(s->detail, "mode follower") == 0);
	CHECK(qs_test_signal(run, QS_SIG_PROBE_DOWN, "10.0.0.6:2181") != NULL);
	/* imok answers whether or not the server serves: no probe. */
	CHECK_INT(run->signals.n, 7);
	qs_run_free(run);

	/* One bare answer, no prompt: the file's own node. */
	run = qs_test_parse("zk.fourletter_output", "zk1/zk-mntr.txt",
	    "zk_version\t3.8.0\nzk_server_state\tleader\n", 0);
	s = qs_test_signal(run, QS_SIG_PROBE_UP, NULL);
	CHECK(s != NULL && s->ev.line == 2 && !s->time.set &&
	    strcmp(s->detail, "mode leader") == 0);
	CHECK_INT(run->signals.n, 1);
	qs_run_free(run);
}

/*
 * A "conf" answer saved as 4lw/conf (testdata/bundles/
 * zk-reconfig-removed-running) is no zoo.cfg: its membership: and
 * serverId= lines say so, whatever its name.
 */
DEFINE_TEST(test_parse_zk_fourletter_conf_not_cfg)
{
	struct qs_test_entry	 e[] = {
		{ "zk1/4lw/conf", "clientPort=50181\ndataDir=/var/db/zk\n"
		    "dataDirSize=4195111\ntickTime=2000\nserverId=1\n"
		    "membership: \nserver.2=127.0.2.102:50888:51888:participant;"
		    "127.0.2.102:50181\nversion=10000000c\n", 0, NULL, NULL },
		{ "zk1/conf/zoo.cfg", "tickTime=2000\ndataDir=/var/db/zk\n"
		    "server.1=127.0.2.101:50888:51888\n", 0, NULL, NULL },
		{ NULL, NULL, 0, NULL, NULL }
	};
	struct qs_run			*run;
	const struct qs_artifact	*a;

	run = qs_test_read_entries("conf.tar", e);
	a = qs_test_artifact(run, "zk1/4lw/conf");
	CHECK(a != NULL && strcmp(a->kind->name, "zk.fourletter_output") == 0);
	a = qs_test_artifact(run, "zk1/conf/zoo.cfg");
	CHECK(a != NULL && strcmp(a->kind->name, "zk.cfg") == 0);
	CHECK(qs_test_view(run, "4lw conf") != NULL);
	qs_run_free(run);
}
