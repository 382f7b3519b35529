/* parse-zk-log.c: server logs, every line of the catalog. */
#include "config.h"

#include "test_zk.h"

#define QP	"[QuorumPeer[myid=3](plain=127.0.0.63:21813)(secure=disabled):"
#define LOG	"binder2/var/log/zookeeper/zookeeper.log"

/* A 3.8 leader's life: start, election, leadership, quorum lost. */
static const char leader_log[] =
    "2026-11-22 06:16:46,181 [myid:] - INFO  [main:QuorumPeerConfig@177] - "
    "Reading configuration from: /opt/local/etc/zookeeper/zoo.cfg\n"
    "2026-11-22 06:16:46,852 [myid:3] - INFO  [main:QuorumPeerMain@152] - "
    "Starting quorum peer, myid=3\n"
    "2026-11-22 06:16:46,900 [myid:3] - INFO  [main:Environment@98] - "
    "Server environment:zookeeper.version=3.8.0-${mvngit.commit.id}, built "
    "on 2024-12-29 17:54 UTC\n"
    "2026-11-22 06:16:47,001 [myid:3] - INFO  [main:NIOServerCnxnFactory@"
    "660] - binding to port /127.0.0.63:21813\n"
    "2026-11-22 06:16:47,207 [myid:3] - INFO  [ListenerHandler-/127.0.0.63:"
    "22983:QuorumCnxManager$Listener$ListenerHandler@1071] - 3 is accepting "
    "connections now, my election bind port: /127.0.0.63:22983\n"
    "2026-11-22 06:16:47,225 [myid:3] - INFO  " QP "QuorumPeer@1455] - "
    "LOOKING\n"
    "2026-11-22 06:16:47,226 [myid:3] - INFO  " QP "FastLeaderElection@946] "
    "- New election. My id = 3, proposed zxid=0x0\n"
    "2026-11-22 06:16:47,240 [myid:3] - INFO  [WorkerReceiver[myid=3]:"
    "FastLeaderElection$Messenger$WorkerReceiver@391] - Notification: my "
    "state:LOOKING; n.sid:1, n.state:LOOKING, n.leader:3, n.round:0x1, "
    "n.peerEpoch:0x0, n.zxid:0x0, message format version:0x2, n.config "
    "version:0x0\n"
    "2026-11-22 06:16:47,474 [myid:3] - INFO  " QP "QuorumPeer@903] - Peer "
    "state changed: leading\n"
    "2026-11-22 06:16:47,475 [myid:3] - INFO  " QP "QuorumPeer@1549] - "
    "LEADING\n"
    "2026-11-22 06:16:47,505 [myid:3] - INFO  " QP "Leader@588] - LEADING - "
    "LEADER ELECTION TOOK - 280 MS\n"
    "2026-11-22 06:16:47,530 [myid:3] - INFO  [LearnerHandler-/127.0.0.1:"
    "58782:LearnerHandler@510] - Follower sid: 2 : info : 127.0.0.62:22883:"
    "22983:participant\n"
    "2026-11-22 06:16:47,588 [myid:3] - INFO  " QP "Leader@1519] - Have "
    "quorum of supporters, sids: [[2, 3]]; starting up and setting last "
    "processed zxid: 0x100000000\n"
    "2026-11-22 06:16:51,798 [myid:3] - ERROR [LearnerHandler-/127.0.0.1:"
    "58786:LearnerHandler@719] - Unexpected exception in LearnerHandler: \n"
    "java.io.EOFException\n"
    "\tat java.base/java.io.DataInputStream.readInt(DataInputStream.java:"
    "386)\n"
    "2026-11-22 06:16:53,621 [myid:3] - INFO  " QP "Leader@819] - Shutdown "
    "called. For the reason Not sufficient followers synced, only synced "
    "with sids: [ [3] ]\n"
    "2026-11-22 06:16:53,629 [myid:3] - WARN  " QP "QuorumPeer@1585] - "
    "PeerState set to LOOKING\n"
    "2026-11-22 06:16:53,629 [myid:3] - INFO  " QP "QuorumPeer@1455] - "
    "LOOKING\n"
    "2026-11-22 06:16:53,635 [myid:3] - WARN  [QuorumConnectionThread-"
    "[myid=3]-3:QuorumCnxManager@401] - Cannot open channel to 1 at "
    "election address /127.0.0.61:22983\n"
    "java.net.ConnectException: Connection refused\n"
    "\tat java.base/sun.nio.ch.Net.pollConnect(Native Method)\n"
    "2026-11-22 06:16:53,837 [myid:3] - WARN  [QuorumConnectionThread-"
    "[myid=3]-2:QuorumCnxManager@401] - Cannot open channel to 1 at "
    "election address /127.0.0.61:22983\n";

DEFINE_TEST(test_parse_zk_log_leader)
{
	struct qs_run		*run = qs_test_parse("zk.log", LOG, leader_log,
	    0);
	const struct qs_event	*e;
	const struct qs_signal	*s;

	CHECK_INT(((struct qs_artifact *)run->artifacts.v[0])->status,
	    QS_STATUS_PARSED);
	CHECK_INT(run->diags.n, 0);
	/* start, 2 x election, 2 x leader elected, leader lost */
	CHECK_INT(run->events.n, 6);
	e = zk_t_event(run, NULL, QS_EV_START, 0);
	CHECK(e != NULL);
	if (e != NULL) {
		char	tb[40];

		CHECK_STR(qs_time_format(&e->time, tb, sizeof(tb)),
		    "2026-11-22T06:16:46.852Z");
		CHECK_INT(e->time.zone_known, 0);
		CHECK_INT(e->ev.line, 2);
		CHECK_STR(e->detail, "starting quorum peer");
		CHECK_INT(e->system, QS_SYS_ZOOKEEPER);
	}
	CHECK_INT(zk_t_nevents(run, NULL, QS_EV_START), 1);
	CHECK_INT(zk_t_nevents(run, NULL, QS_EV_ELECTION_START), 2);
	e = zk_t_event(run, NULL, QS_EV_ELECTION_START, 1);
	CHECK(e != NULL && e->ev.line == 19 && e->subject == NULL);
	e = zk_t_event(run, NULL, QS_EV_LEADER_ELECTED, 0);
	CHECK(e != NULL);
	if (e != NULL) {
		CHECK(e->subject == NULL);
		CHECK_STR(e->detail, "state LEADING");
		CHECK_INT(e->clock.set, 0);
		CHECK_INT(e->ev.line, 10);
	}
	e = zk_t_event(run, NULL, QS_EV_LEADER_ELECTED, 1);
	CHECK(e != NULL);
	if (e != NULL) {
		CHECK(e->subject == NULL);
		CHECK_INT(e->clock.set, QS_CLOCK_ZXID | QS_CLOCK_TERM);
		CHECK(e->clock.zxid == UINT64_C(0x100000000));
		CHECK_INT(e->clock.term, 1);
		CHECK_STR(e->detail, "epoch 1, supporters [[2, 3]]");
		CHECK_INT(e->ev.line, 13);
	}
	e = zk_t_event(run, NULL, QS_EV_LEADER_LOST, 0);
	CHECK(e != NULL && strcmp(e->detail, "Not sufficient followers "
	    "synced, only synced with sids: [ [3] ]") == 0);
	CHECK(e != NULL && e->ev.line == 17);
	CHECK_INT(run->signals.n, 3);
	s = zk_t_signal(run, NULL, QS_SIG_QUORUM_LOST, 0);
	CHECK(s != NULL && s->ev.line == 17 && s->time.set);
	CHECK_INT(zk_t_nsignals(run, NULL, QS_SIG_VOTE_FAILED), 2);
	s = zk_t_signal(run, NULL, QS_SIG_VOTE_FAILED, 0);
	CHECK(s != NULL);
	if (s != NULL) {
		CHECK_STR(s->subject, "1");
		CHECK_STR(s->detail, "127.0.0.61:22983");
		CHECK_INT(s->ev.line, 20);
	}
	/* Identities once each: myid, client and election addresses. */
	CHECK_INT(run->identities.n, 4);
	CHECK(zk_t_has_ident(run, NULL, QS_ID_MYID, "3", NULL, NULL));
	CHECK(zk_t_has_ident(run, NULL, QS_ID_ADDRESS, "127.0.0.63:21813",
	    "client", NULL));
	CHECK(zk_t_has_ident(run, NULL, QS_ID_ADDRESS, "127.0.0.63:22983",
	    "election", NULL));
	CHECK(zk_t_has_ident(run, NULL, QS_ID_ADDRESS, "127.0.0.61:22983",
	    "election", "1"));
	CHECK_INT(run->settings.n, 1);
	CHECK_STR(zk_t_setting(run, NULL, "zk.log.version"),
	    "3.8.0-${mvngit.commit.id}");
	qs_run_free(run);
}

/* A follower: the leader's address, a lost leader, reconfig removal. */
DEFINE_TEST(test_parse_zk_log_follower)
{
	static const char	log[] =
	    "2026-11-22 06:16:06,260 [myid:1] - INFO  [QuorumPeer[myid=1]"
	    "(plain=127.0.0.56:21812)(secure=disabled):QuorumPeer@1537] - "
	    "FOLLOWING\n"
	    "2026-11-22 06:16:06,321 [myid:1] - INFO  [LeaderConnector-/"
	    "127.0.0.58:22882:Learner$LeaderConnector@384] - Successfully "
	    "connected to leader, using address: /127.0.0.58:22882\n"
	    "2026-11-22 06:16:08,336 [myid:1] - WARN  [QuorumPeer[myid=1]"
	    "(plain=127.0.0.56:21812)(secure=disabled):Follower@128] - "
	    "Exception when following the leader\n"
	    "java.io.EOFException\n"
	    "2026-11-22 06:16:08,877 [myid:1] - INFO  [LeaderConnector-/"
	    "127.0.0.57:22882:Learner$LeaderConnector@384] - Successfully "
	    "connected to leader, using address: zk3.example.com/"
	    "127.0.0.57:22882\n"
	    "2026-11-22 06:16:09,000 [myid:1] - WARN  [QuorumPeer[myid=1]"
	    "(plain=127.0.0.56:21812)(secure=disabled):Follower@129] - "
	    "Exception when following the leader\n"
	    "java.io.IOException: Leaders epoch, 1, is less than accepted "
	    "epoch, 2\n"
	    "\tat org.apache.zookeeper.server.quorum.Learner.registerWith"
	    "Leader(Learner.java:500)\n"
	    "2026-11-22 06:16:10,000 [myid:1] - ERROR [main:QuorumPeer@1000] "
	    "- My id 1 not in the peer list\n";
	struct qs_run		*run = qs_test_parse("zk.log",
	    "binder0/var/log/zookeeper/zookeeper.log", log, 0);
	const struct qs_event	*e;
	const struct qs_signal	*s;

	CHECK_INT(run->diags.n, 0);
	CHECK_INT(run->events.n, 2);
	e = zk_t_event(run, NULL, QS_EV_LEADER_ELECTED, 0);
	CHECK(e != NULL && strcmp(e->subject, "127.0.0.58:22882") == 0);
	CHECK(e != NULL && strcmp(e->detail, "following") == 0);
	e = zk_t_event(run, NULL, QS_EV_LEADER_ELECTED, 1);
	CHECK(e != NULL && strcmp(e->subject, "127.0.0.57:22882") == 0);
	CHECK_INT(run->signals.n, 4);
	CHECK_INT(zk_t_nsignals(run, NULL, QS_SIG_NO_LEADER), 2);
	CHECK_INT(zk_t_nsignals(run, NULL, QS_SIG_QUORUM_LOST), 0);
	s = zk_t_signal(run, NULL, QS_SIG_EPOCH_REFUSED, 0);
	CHECK(s != NULL);
	if (s != NULL) {
		CHECK_STR(s->detail, "Leaders epoch, 1, is less than accepted "
		    "epoch, 2");
		CHECK_INT(s->ev.line, 7);
		/* The time of the line the exception belongs to. */
		CHECK(s->time.set && s->time.ms % 86400000 ==
		    ((6 * 60 + 16) * 60 + 9) * 1000);
	}
	s = zk_t_signal(run, NULL, QS_SIG_REMOVED_SELF, 0);
	CHECK(s != NULL && s->subject == NULL);
	CHECK(s != NULL && strcmp(s->detail, "My id 1 not in the peer list")
	    == 0);
	qs_run_free(run);
}

/* The leader side of a reconfiguration. */
/* Damage and a full disk, in messages and in exception texts. */
DEFINE_TEST(test_parse_zk_log_damage)
{
	static const char	log[] =
	    "2018-04-23 17:08:30,100 [myid:2] - ERROR [SyncThread:2:"
	    "SyncRequestProcessor@200] - Severe unrecoverable error, exiting\n"
	    "java.io.IOException: No space left on device\n"
	    "\tat java.io.FileOutputStream.writeBytes(Native Method)\n"
	    "2018-04-23 17:08:30,702 [myid:2] - ERROR [main:Util@239] - Last "
	    "transaction was partial.\n"
	    "2018-04-23 17:08:30,705 [myid:2] - ERROR [main:QuorumPeer@955] - "
	    "Unable to load database on disk\n"
	    "java.io.IOException: CRC check failed\n";
	struct qs_run		*run = qs_test_parse("zk.log", LOG, log, 0);
	const struct qs_signal	*s;

	CHECK_INT(zk_t_nsignals(run, NULL, QS_SIG_DISK_FULL), 1);
	s = zk_t_signal(run, NULL, QS_SIG_DISK_FULL, 0);
	CHECK(s != NULL && strstr(s->detail, "No space left on device") !=
	    NULL && s->ev.line == 2);
	CHECK_INT(zk_t_nsignals(run, NULL, QS_SIG_DATA_DAMAGE), 3);
	s = zk_t_signal(run, NULL, QS_SIG_DATA_DAMAGE, 0);
	CHECK(s != NULL && strcmp(s->detail, "Last transaction was partial")
	    == 0);
	s = zk_t_signal(run, NULL, QS_SIG_DATA_DAMAGE, 2);
	CHECK(s != NULL && strcmp(s->detail, "CRC check failed") == 0);
	qs_run_free(run);
}

DEFINE_TEST(test_parse_zk_log_reconfig_leader)
{
	static const char	log[] =
	    "2026-11-22 06:15:22,340 [myid:3] - INFO  [LearnerHandler-/"
	    "127.0.0.1:34672:LearnerHandler@505] - Follower sid: 4 not in the "
	    "current config 100000000\n"
	    "2026-11-22 06:15:26,825 [myid:3] - INFO  [LearnerHandler-/"
	    "127.0.0.1:53528:Leader@964] - Committing a reconfiguration "
	    "(reconfigEnabled=true); this leader is not the designated leader "
	    "anymore, setting allowedToCommit=false\n"
	    "2026-11-22 06:15:27,865 [myid:3] - INFO  [QuorumPeer[myid=3]"
	    "(plain=127.0.0.66:21814)(secure=disabled):Leader@819] - Shutdown "
	    "called. For the reason Not sufficient followers synced, only "
	    "synced with sids: [ [] ]\n";
	struct qs_run		*run = qs_test_parse("zk.log", LOG, log, 0);
	const struct qs_event	*e;
	const struct qs_signal	*s;

	CHECK_INT(run->diags.n, 0);
	s = zk_t_signal(run, NULL, QS_SIG_REMOVED_SELF, 0);
	CHECK(s != NULL && strcmp(s->subject, "4") == 0);
	CHECK(s != NULL && strcmp(s->detail, "not in the current config "
	    "100000000") == 0);
	/* Stepping down after a reconfig is no quorum loss. */
	CHECK_INT(zk_t_nsignals(run, NULL, QS_SIG_QUORUM_LOST), 0);
	e = zk_t_event(run, NULL, QS_EV_LEADER_LOST, 0);
	CHECK(e != NULL && strcmp(e->detail, "stepped down: a "
	    "reconfiguration left it out (Not sufficient followers synced, "
	    "only synced with sids: [ [] ])") == 0);
	qs_run_free(run);
}

/* A server that cannot bind its election address, restarted by SMF. */
DEFINE_TEST(test_parse_zk_log_bind_failure)
{
	static const char	log[] =
	    "2026-11-22 06:16:10,443 [myid:4] - INFO  [main:QuorumPeerMain@152]"
	    " - Starting quorum peer, myid=4\n"
	    "2026-11-22 06:16:10,535 [myid:4] - INFO  [main:Environment@98] - "
	    "Server environment:zookeeper.version=3.8.0-1, built on x\n"
	    "2026-11-22 06:16:10,602 [myid:4] - ERROR [ListenerHandler-/"
	    "127.0.0.58:22982:QuorumCnxManager$Listener$ListenerHandler@1099] "
	    "- Exception while listening to address /127.0.0.58:22982\n"
	    "java.net.BindException: Cannot assign requested address\n"
	    "\tat java.base/sun.nio.ch.Net.bind0(Native Method)\n"
	    "2026-11-22 06:16:13,615 [myid:4] - ERROR [ListenerHandler-/"
	    "127.0.0.58:22982:QuorumCnxManager$Listener$ListenerHandler@1118] "
	    "- Leaving listener thread for address 127.0.0.58:22982 after 3 "
	    "errors. Use zookeeper.electionPortBindRetry property to increase "
	    "retry count.\n"
	    "2026-11-22 06:16:13,617 [myid:4] - ERROR [QuorumPeerListener:"
	    "QuorumCnxManager$Listener@987] - As I'm leaving the listener "
	    "thread, I won't be able to participate in leader election any "
	    "longer: 127.0.0.58:22982\n"
	    "2026-11-22 06:16:13,619 [myid:4] - ERROR [QuorumPeerListener:"
	    "ServiceUtils@42] - Exiting JVM with code 14\n"
	    "2026-11-22 06:16:15,367 [myid:4] - INFO  [main:QuorumPeerMain@152]"
	    " - Starting quorum peer, myid=4\n"
	    "2026-11-22 06:16:15,440 [myid:4] - INFO  [main:Environment@98] - "
	    "Server environment:zookeeper.version=3.8.0-1, built on x\n";
	struct qs_run		*run = qs_test_parse("zk.log",
	    "binder3/var/log/zookeeper/zookeeper.log", log, 0);
	const struct qs_event	*e;
	const struct qs_signal	*s;

	CHECK_INT(run->diags.n, 0);
	CHECK_INT(zk_t_nevents(run, NULL, QS_EV_START), 2);
	e = zk_t_event(run, NULL, QS_EV_START, 1);
	CHECK(e != NULL && e->ev.line == 9);
	e = zk_t_event(run, NULL, QS_EV_STOP, 0);
	CHECK(e != NULL && strcmp(e->detail, "exit code 14") == 0);
	CHECK_INT(run->signals.n, 1);
	s = zk_t_signal(run, NULL, QS_SIG_VOTE_FAILED, 0);
	CHECK(s != NULL && s->subject == NULL);
	CHECK(s != NULL && strcmp(s->detail, "cannot listen on election "
	    "address 127.0.0.58:22982: java.net.BindException: Cannot assign "
	    "requested address") == 0);
	/* One version setting while the version stays the same. */
	CHECK_INT(zk_t_nsettings(run, NULL, "zk.log.version"), 1);
	CHECK_INT(run->identities.n, 1);
	qs_run_free(run);
}

/* 3.4 layouts: no myid part, the reason under "Shutdown called". */
DEFINE_TEST(test_parse_zk_log_34)
{
	static const char	log[] =
	    "2019-01-01 12:00:00,123 - INFO  [main:QuorumPeerMain@127] - "
	    "Starting quorum peer\n"
	    "2019-01-01 12:00:01,000 [myid:2] - INFO  [QuorumPeer[myid=2]/"
	    "0:0:0:0:0:0:0:0:2181:QuorumPeer@774] - LOOKING\n"
	    "2019-01-01 12:00:01,001 [myid:2] - INFO  [QuorumPeer[myid=2]/"
	    "0:0:0:0:0:0:0:0:2181:FastLeaderElection@818] - New election. My "
	    "id =  2, proposed zxid=0x0\n"
	    "2019-01-01 12:00:01,200 [myid:2] - INFO  [QuorumPeer[myid=2]/"
	    "0:0:0:0:0:0:0:0:2181:QuorumPeer@856] - LEADING\n"
	    "2019-01-01 12:00:01,300 [myid:2] - INFO  [QuorumPeer[myid=2]/"
	    "0:0:0:0:0:0:0:0:2181:Leader@361] - LEADING - LEADER ELECTION "
	    "TOOK - 200\n"
	    "2019-01-01 12:00:01,400 [myid:2] - INFO  [QuorumPeer[myid=2]/"
	    "0:0:0:0:0:0:0:0:2181:Leader@961] - Have quorum of supporters, "
	    "sids: [ 1,2 ]; starting up and setting last processed zxid: "
	    "0x500000000\n"
	    "2019-01-01 12:00:09,000 [myid:2] - INFO  [QuorumPeer[myid=2]/"
	    "0:0:0:0:0:0:0:0:2181:Leader@496] - Shutting down\n"
	    "2019-01-01 12:00:09,001 [myid:2] - INFO  [QuorumPeer[myid=2]/"
	    "0:0:0:0:0:0:0:0:2181:Leader@502] - Shutdown called\n"
	    "java.lang.Exception: shutdown Leader! reason: Not sufficient "
	    "followers synced, only synced with sids: [ 2 ]\n"
	    "\tat org.apache.zookeeper.server.quorum.Leader.shutdown(Leader."
	    "java:502)\n"
	    "2019-01-01 12:00:10,000 [myid:2] - INFO  [SyncThread:2:FileTxnLog"
	    "@334] - fsync-ing the write ahead log in SyncThread:2 took 1200ms "
	    "which will adversely effect operation latency. See the ZooKeeper "
	    "troubleshooting guide\n"
	    "2019-01-01 12:00:11,000 [myid:2] - WARN  [SyncThread:2:FileTxnLog"
	    "@334] - fsync-ing the write ahead log in SyncThread:2 took 3456ms "
	    "which will adversely effect operation latency. See the ZooKeeper "
	    "troubleshooting guide\n"
	    "2019-01-01 12:00:12,000 [myid:2] - ERROR [main:QuorumPeerMain@89] "
	    "- Unexpected exception, exiting abnormally\n";
	struct qs_run		*run = qs_test_parse("zk.log",
	    "zk2/var/log/zookeeper/zookeeper.log", log, 0);
	const struct qs_event	*e;
	const struct qs_setting	*st = NULL;
	size_t			 i;

	CHECK_INT(run->diags.n, 0);
	CHECK_INT(zk_t_nevents(run, NULL, QS_EV_START), 1);
	CHECK_INT(zk_t_nevents(run, NULL, QS_EV_ELECTION_START), 1);
	e = zk_t_event(run, NULL, QS_EV_LEADER_ELECTED, 1);
	CHECK(e != NULL && e->clock.term == 5);
	CHECK(e != NULL && strcmp(e->detail, "epoch 5, supporters [ 1,2 ]") ==
	    0);
	e = zk_t_event(run, NULL, QS_EV_LEADER_LOST, 0);
	CHECK(e != NULL && e->ev.line == 9);
	CHECK(e != NULL && strcmp(e->detail, "Not sufficient followers "
	    "synced, only synced with sids: [ 2 ]") == 0);
	CHECK_INT(zk_t_nsignals(run, NULL, QS_SIG_QUORUM_LOST), 1);
	e = zk_t_event(run, NULL, QS_EV_STOP, 0);
	CHECK(e != NULL && strcmp(e->detail, "Unexpected exception, exiting "
	    "abnormally") == 0);
	CHECK_STR(zk_t_setting(run, NULL, "zk.log.slow_fsync_max_ms"), "3456");
	for (i = 0; i < run->settings.n; i++)
		if (strcmp(((struct qs_setting *)run->settings.v[i])->key,
		    "zk.log.slow_fsync_max_ms") == 0)
			st = run->settings.v[i];
	CHECK(st != NULL && st->ev.line == 12);
	CHECK(zk_t_has_ident(run, NULL, QS_ID_MYID, "2", NULL, NULL));
	qs_run_free(run);
}

/* journald and container runtimes put their own prefix first. */
DEFINE_TEST(test_parse_zk_log_wrapped)
{
	static const char	log[] =
	    "Nov 22 06:16:47 binder0 java[4242]: 2026-11-22 06:16:47,225 "
	    "[myid:3] - INFO  [QuorumPeer[myid=3](plain=127.0.0.63:21813)"
	    "(secure=disabled):QuorumPeer@1455] - LOOKING\n"
	    "2026-11-22T06:16:47.476123456Z stdout F 2026-11-22 06:16:47,475 "
	    "[myid:3] - INFO  [QuorumPeer[myid=3](plain=127.0.0.63:21813)"
	    "(secure=disabled):QuorumPeer@1549] - LEADING\n"
	    "Nov 22 06:16:48 binder0 java[4242]: \tat java.base/x(Y.java:1)\n";
	struct qs_run		*run = qs_test_parse("zk.log", LOG, log, 0);
	const struct qs_event	*e;

	CHECK_INT(run->diags.n, 0);
	CHECK_INT(run->events.n, 2);
	e = zk_t_event(run, NULL, QS_EV_LEADER_ELECTED, 0);
	CHECK(e != NULL);
	if (e != NULL) {
		char	tb[40];

		/* The layout's time, not the wrapper's. */
		CHECK_STR(qs_time_format(&e->time, tb, sizeof(tb)),
		    "2026-11-22T06:16:47.475Z");
		CHECK_INT(e->ev.line, 2);
	}
	CHECK(zk_t_has_ident(run, NULL, QS_ID_MYID, "3", NULL, NULL));
	qs_run_free(run);
}

/* Not a ZooKeeper log at all; odd lines in one. */
DEFINE_TEST(test_parse_zk_log_malformed)
{
	static const char	odd[] =
	    "2026-11-22 06:16:46,181 [myid:] - INFO  [main:X@1] - LOOKING\n"
	    "2026-11-22 06:16:46,181 [myid:7\n"
	    "2026-13-45 99:00:00,000 [myid:1] - INFO  [a:b@1] - LEADING\n"
	    "2026-11-22 06:16:46,182 [myid:1x] - INFO  [a] - LEADING\n"
	    "2026-11-22 06:16:46,183 [myid:1] - INFO  [a:b@1] - Cannot open "
	    "channel to x at election address /1.2.3.4:5\n"
	    "2026-11-22 06:16:46,184 [myid:1] - INFO  [a:b@1] - Cannot open "
	    "channel to 2 at election address \n"
	    "2026-11-22 06:16:46,185 [myid:1] - INFO  [a:b@1] - Have quorum "
	    "of supporters, sids: [1]; starting up and setting last "
	    "processed zxid: 0xzz\n"
	    "2026-11-22 06:16:46,186 [myid:1] - INFO  [a:b@1] - Exiting JVM "
	    "with code \n"
	    "2026-11-22 06:16:46,187 [myid:1] - INFO  [a:b@1] - Follower sid: "
	    "x not in the current config 1\n"
	    "2026-11-22 06:16:46,188 [myid:1] - INFO  [a:b@1] - fsync-ing "
	    "the write ahead log in x took lots\n";
	struct qs_run	*run;

	run = qs_test_parse("zk.log", LOG, "hello\nworld\n", 0);
	CHECK(qs_test_has_diag(run, "no line in the ZooKeeper log layout"));
	CHECK_INT(run->events.n + run->signals.n + run->settings.n, 0);
	qs_run_free(run);

	run = qs_test_parse("zk.log", LOG, odd, 0);
	CHECK_INT(run->diags.n, 0);
	/* LOOKING, then LEADING from "[a]" with "] - " only. */
	CHECK_INT(zk_t_nevents(run, NULL, QS_EV_ELECTION_START), 1);
	CHECK_INT(zk_t_nevents(run, NULL, QS_EV_LEADER_ELECTED), 1);
	CHECK_INT(zk_t_nevents(run, NULL, QS_EV_STOP), 1);
	/* The channel line with no address still names the sid. */
	CHECK_INT(zk_t_nsignals(run, NULL, QS_SIG_VOTE_FAILED), 1);
	CHECK_INT(zk_t_nsignals(run, NULL, QS_SIG_REMOVED_SELF), 0);
	CHECK_INT(run->settings.n, 0);
	CHECK_INT(run->identities.n, 1);	/* myid 1, once */
	qs_run_free(run);
}

/* QuorumPeerMain falls back to a standalone server: recorded once. */
DEFINE_TEST(test_parse_zk_log_standalone)
{
	static const char	log[] =
	    "2026-11-22 08:50:01,100 [myid:] - INFO  [main:QuorumPeerConfig@"
	    "174] - Reading configuration from: /opt/local/etc/zookeeper/"
	    "zoo.cfg\n"
	    "2026-11-22 08:50:01,120 [myid:] - WARN  [main:QuorumPeerMain@139]"
	    " - Either no config or no quorum defined in config, running in "
	    "standalone mode\n"
	    "2026-11-22 08:50:01,300 [myid:] - INFO  [main:ZooKeeperServer@"
	    "1306] - Server environment:zookeeper.version=3.8.0, built on "
	    "2024-12-29 17:54 UTC\n";
	static const char	again[] =
	    "2026-11-22 08:50:01,120 [myid:] - WARN  [main:QuorumPeerMain@139]"
	    " - Either no config or no quorum defined in config, running in "
	    "standalone mode\n"
	    "2026-11-22 09:00:00,000 [myid:1] - INFO  [main:QuorumPeerMain@"
	    "151] - Starting quorum peer, myid=1\n";
	struct qs_run		*run = qs_test_parse("zk.log", LOG, log, 0);
	size_t			 i;

	CHECK_INT(run->diags.n, 0);
	CHECK_STR(zk_t_setting(run, NULL, "zk.log.standalone"), "true");
	CHECK_INT(zk_t_nsettings(run, NULL, "zk.log.standalone"), 1);
	for (i = 0; i < run->settings.n; i++) {
		const struct qs_setting	*s = run->settings.v[i];

		if (strcmp(s->key, "zk.log.standalone") == 0)
			CHECK_INT(s->ev.line, 2);
	}
	qs_run_free(run);
	/* Restarted later as a quorum peer: no longer standalone. */
	run = qs_test_parse("zk.log", LOG, again, 0);
	CHECK(zk_t_setting(run, NULL, "zk.log.standalone") == NULL);
	qs_run_free(run);
}

/* Kafka's distributions: "[%d] %p %m (%c)%n" (issue 12). */
DEFINE_TEST(test_parse_zk_log_kafka_layout)
{
	struct qs_run		*run = qs_test_parse("zk.log", LOG,
	    "[2016-07-25 04:58:12,002] INFO LOOKING "
	    "(org.apache.zookeeper.server.quorum.QuorumPeer)\n"
	    "[2016-07-25 04:58:12,902] INFO LEADING "
	    "(org.apache.zookeeper.server.quorum.QuorumPeer)\n"
	    "[2016-07-25 04:58:13,000] INFO Exiting JVM with code 1 "
	    "(org.apache.zookeeper.util.ServiceUtils)\n", 0);
	const struct qs_event	*e;
	char			 tb[40];

	CHECK_INT(zk_t_nevents(run, NULL, QS_EV_ELECTION_START), 1);
	CHECK_INT(zk_t_nevents(run, NULL, QS_EV_LEADER_ELECTED), 1);
	CHECK_INT(zk_t_nevents(run, NULL, QS_EV_STOP), 1);
	e = zk_t_event(run, NULL, QS_EV_ELECTION_START, 0);
	CHECK(e != NULL && strcmp(qs_time_format(&e->time, tb, sizeof(tb)),
	    "2016-07-25T04:58:12.002Z") == 0);
	qs_run_free(run);
}
