/* parse-zk-cfg.c: zoo.cfg and dynamic membership files. */
#include "config.h"

#include "test_zk.h"

/* Seed 004's binder zoo.cfg (the Triton template), as collected. */
static const char binder_cfg[] =
    "# The number of milliseconds of each tick\n"
    "tickTime=2000\n"
    "# The number of ticks that the initial\n"
    "# synchronization phase can take\n"
    "initLimit=10\n"
    "# The number of ticks that can pass between\n"
    "# sending a request and getting an acknowledgement\n"
    "syncLimit=5\n"
    "dataDir=/zookeeper/zookeeper\n"
    "# the port at which the clients will connect\n"
    "clientPort=2181\n"
    "maxClientCnxns=0\n"
    "server.1=10.65.72.9:2888:3888\n"
    "server.3=10.65.72.45:2888:3888\n"
    "server.4=10.65.72.108:2888:3888\n";

DEFINE_TEST(test_parse_zk_cfg_binder)
{
	struct qs_run		*run = qs_test_parse("zk.cfg",
	    "binder0/opt/local/etc/zookeeper/zoo.cfg", binder_cfg, 0);
	const struct qs_artifact *art = run->artifacts.v[0];
	const struct qs_view	*v = zk_t_view(run, NULL, "zoo.cfg", 0);

	CHECK_INT(art->status, QS_STATUS_PARSED);
	CHECK_INT(run->diags.n, 0);
	CHECK_STR(zk_t_setting(run, NULL, "zk.tickTime"), "2000");
	CHECK_STR(zk_t_setting(run, NULL, "zk.initLimit"), "10");
	CHECK_STR(zk_t_setting(run, NULL, "zk.syncLimit"), "5");
	CHECK_STR(zk_t_setting(run, NULL, "zk.dataDir"),
	    "/zookeeper/zookeeper");
	CHECK_STR(zk_t_setting(run, NULL, "zk.clientPort"), "2181");
	CHECK_STR(zk_t_setting(run, NULL, "zk.maxClientCnxns"), "0");
	CHECK_STR(zk_t_setting(run, NULL, "zk.server.1"),
	    "10.65.72.9:2888:3888");
	CHECK_STR(zk_t_setting(run, NULL, "zk.server.4"),
	    "10.65.72.108:2888:3888");
	CHECK_INT(run->settings.n, 9);
	CHECK(v != NULL);
	if (v == NULL)
		goto out;
	CHECK_INT(v->kind, QS_VIEW_CONFIGURED);
	CHECK_INT(v->system, QS_SYS_ZOOKEEPER);
	CHECK_INT(v->clock.set, 0);
	CHECK_INT(v->ev.line, 13);
	CHECK_INT(v->members.n, 3);
	CHECK_STR(zk_t_member(v, 0)->id, "1");
	CHECK_STR(zk_t_member(v, 0)->address, "10.65.72.9:2888");
	CHECK(zk_t_member(v, 0)->name == NULL);
	CHECK_INT(zk_t_member(v, 0)->state, QS_MEMBER_VOTER);
	CHECK_STR(zk_t_member(v, 1)->id, "3");
	CHECK_STR(zk_t_member(v, 2)->id, "4");
	CHECK_STR(zk_t_member(v, 2)->address, "10.65.72.108:2888");
	/* Per server: quorum and election address, myid by address. */
	CHECK_INT(run->identities.n, 9);
	CHECK(zk_t_has_ident(run, NULL, QS_ID_ADDRESS, "10.65.72.45:2888",
	    "quorum", "3"));
	CHECK(zk_t_has_ident(run, NULL, QS_ID_ADDRESS, "10.65.72.45:3888",
	    "election", "3"));
	CHECK(zk_t_has_ident(run, NULL, QS_ID_MYID, "3", NULL,
	    "10.65.72.45:2888"));
	CHECK(zk_t_has_ident(run, NULL, QS_ID_MYID, "4", NULL,
	    "10.65.72.108:2888"));
out:
	qs_run_free(run);
}

/* What ZooKeeper writes itself once reconfig converted the file. */
DEFINE_TEST(test_parse_zk_cfg_rewritten_by_reconfig)
{
	static const char	cfg[] =
	    "standaloneEnabled=false\n"
	    "dataDir=/zookeeper/zookeeper\n"
	    "tickTime=2000\n"
	    "initLimit=10\n"
	    "syncLimit=5\n"
	    "reconfigEnabled=true\n"
	    "maxClientCnxns=0\n"
	    "clientPortAddress=127.0.0.64\n"
	    "clientPort=21814\n"
	    "dynamicConfigFile=/opt/local/etc/zookeeper/zoo.cfg.dynamic."
	    "100000018";
	struct qs_run	*run = qs_test_parse("zk.cfg", "n/zoo.cfg", cfg, 0);

	CHECK_INT(run->diags.n, 0);
	CHECK_INT(run->views.n, 0);	/* membership is in the dynamic file */
	CHECK_STR(zk_t_setting(run, NULL, "zk.standaloneEnabled"), "false");
	CHECK_STR(zk_t_setting(run, NULL, "zk.reconfigEnabled"), "true");
	CHECK_STR(zk_t_setting(run, NULL, "zk.dynamicConfigFile"),
	    "/opt/local/etc/zookeeper/zoo.cfg.dynamic.100000018");
	CHECK_STR(zk_t_setting(run, NULL, "zk.clientPortAddress"),
	    "127.0.0.64");
	CHECK_INT(run->settings.n, 10);
	/* The node's own client address. */
	CHECK_INT(run->identities.n, 1);
	CHECK(zk_t_has_ident(run, NULL, QS_ID_ADDRESS, "127.0.0.64:21814",
	    "client", NULL));
	qs_run_free(run);
}

/* Spacing, ':' separators and keys outside the list. */
DEFINE_TEST(test_parse_zk_cfg_properties_syntax)
{
	static const char	cfg[] =
	    "  ! a properties comment\n"
	    "tickTime = 3000  \r\n"
	    "initLimit:7\n"
	    "syncLimit 4\n"
	    "autopurge.purgeInterval=1\n"
	    "4lw.commands.whitelist=srvr, mntr\n"
	    "jute.maxbuffer=4194304\n"
	    "weight.1=2\n"
	    "group.1=1:2:3\n"
	    "clientPortAddress=0.0.0.0\n"
	    "clientPort=2181\n"
	    "\n";
	struct qs_run	*run = qs_test_parse("zk.cfg", "n/zoo.cfg", cfg, 0);

	CHECK_INT(run->diags.n, 0);
	CHECK_STR(zk_t_setting(run, NULL, "zk.tickTime"), "3000");
	CHECK_STR(zk_t_setting(run, NULL, "zk.initLimit"), "7");
	CHECK_STR(zk_t_setting(run, NULL, "zk.syncLimit"), "4");
	CHECK_STR(zk_t_setting(run, NULL, "zk.autopurge.purgeInterval"), "1");
	CHECK_STR(zk_t_setting(run, NULL, "zk.4lw.commands.whitelist"),
	    "srvr, mntr");
	CHECK_STR(zk_t_setting(run, NULL, "zk.weight.1"), "2");
	CHECK_STR(zk_t_setting(run, NULL, "zk.group.1"), "1:2:3");
	CHECK(zk_t_setting(run, NULL, "zk.jute.maxbuffer") == NULL);
	CHECK_INT(run->settings.n, 9);
	/* 0.0.0.0 is every interface: no identity. */
	CHECK_INT(run->identities.n, 0);
	qs_run_free(run);
}

/*
 * A dynamic file with every server line variant: IPv6, observer, client
 * address with and without host, multi-address, no trailing newline.
 */
DEFINE_TEST(test_parse_zk_cfg_dynamic_variants)
{
	static const char	cfg[] =
	    "server.1=127.0.0.64:22884:22984:participant;127.0.0.64:21814\n"
	    "server.2=[fe80::2]:2888:3888:observer;2181\n"
	    "server.3=10.0.0.3:2888:3888|10.1.0.3:2888:3888:participant;"
	    "[::1]:2181\n"
	    "server.04=zk4.example.com:2888:3888:PARTICIPANT;0.0.0.0:2181";
	struct qs_run		*run = qs_test_parse("zk.dynamic_cfg",
	    "n/opt/local/etc/zookeeper/zoo.cfg.dynamic.10000000f", cfg, 0);
	const struct qs_view	*v;

	v = zk_t_view(run, NULL, "zoo.cfg.dynamic.10000000f", 0);
	CHECK_INT(run->diags.n, 0);
	CHECK_INT(run->artifacts.n, 1);
	CHECK_STR(zk_t_setting(run, NULL, "zk.dynamic_version"), "10000000f");
	CHECK_STR(zk_t_setting(run, NULL, "zk.server.2"),
	    "[fe80::2]:2888:3888:observer;2181");
	CHECK_STR(zk_t_setting(run, NULL, "zk.server.04"),
	    "zk4.example.com:2888:3888:PARTICIPANT;0.0.0.0:2181");
	CHECK(v != NULL);
	if (v == NULL)
		goto out;
	CHECK_INT(v->clock.set, QS_CLOCK_ZXID);
	CHECK(v->clock.zxid == UINT64_C(0x10000000f));
	CHECK_INT(v->members.n, 4);
	CHECK_STR(zk_t_member(v, 0)->address, "127.0.0.64:22884");
	CHECK_INT(zk_t_member(v, 0)->state, QS_MEMBER_VOTER);
	CHECK_STR(zk_t_member(v, 1)->address, "[fe80::2]:2888");
	CHECK_INT(zk_t_member(v, 1)->state, QS_MEMBER_NONVOTER);
	CHECK_STR(zk_t_member(v, 2)->address, "10.0.0.3:2888");
	CHECK_STR(zk_t_member(v, 3)->id, "4");		/* canonical */
	CHECK_STR(zk_t_member(v, 3)->address, "zk4.example.com:2888");
	CHECK(zk_t_has_ident(run, NULL, QS_ID_ADDRESS, "127.0.0.64:21814",
	    "client", "1"));
	CHECK(zk_t_has_ident(run, NULL, QS_ID_ADDRESS, "[fe80::2]:3888",
	    "election", "2"));
	CHECK(zk_t_has_ident(run, NULL, QS_ID_ADDRESS, "10.1.0.3:2888",
	    "quorum", "3"));
	CHECK(zk_t_has_ident(run, NULL, QS_ID_MYID, "3", NULL,
	    "10.1.0.3:2888"));
	CHECK(zk_t_has_ident(run, NULL, QS_ID_ADDRESS, "[::1]:2181",
	    "client", "3"));
	/* Port-only and wildcard client addresses name nothing. */
	CHECK(!zk_t_has_ident(run, NULL, QS_ID_ADDRESS, "0.0.0.0:2181",
	    "client", "4"));
	/* 1: 4 ids; 2: 3; 3: 3 + 3 + client; 4: 3. */
	CHECK_INT(run->identities.n, 17);
out:
	qs_run_free(run);
}

/* Malformed lines: a warning each, with the line; the rest is read. */
DEFINE_TEST(test_parse_zk_cfg_malformed_servers)
{
	static const char	cfg[] =
	    "tickTime=2000\n"				/* 1 */
	    "server.1=10.0.0.1:2888:3888\n"		/* 2 */
	    "server.x=10.0.0.2:2888:3888\n"		/* 3 id */
	    "server.3=10.0.0.3\n"			/* 4 no port */
	    "server.4=10.0.0.4:99999:3888\n"		/* 5 port */
	    "server.5=10.0.0.5:2888:3888:voter\n"	/* 6 type */
	    "server.6=[fe80::6:2888:3888\n"		/* 7 bracket */
	    "server.7=10.0.0.7:2888:3888:participant:x\n" /* 8 parts */
	    "server.8=10.0.0.8:2888:3888;host:\n"	/* 9 client */
	    "server.9=:2888:3888\n"			/* 10 host */
	    "server.10=10.0.0.10:2888\n"		/* 11 3.4: fine */
	    "server.1=10.0.0.11:2888:3888\n"		/* 12 twice */
	    "syncLimit=5\n";				/* 13 */
	struct qs_run		*run = qs_test_parse("zk.cfg", "n/zoo.cfg",
	    cfg, 0);
	const struct qs_artifact *art = run->artifacts.v[0];
	const struct qs_view	*v = zk_t_view(run, NULL, "zoo.cfg", 0);

	CHECK_INT(art->status, QS_STATUS_PARTIAL);
	CHECK_INT(run->diags.n, 9);
	CHECK(qs_test_has_diag(run, "line 3: malformed server line: server "
	    "id is not a number"));
	CHECK(qs_test_has_diag(run, "line 4: malformed server line: no "
	    "quorum port"));
	CHECK(qs_test_has_diag(run, "line 5: malformed server line: bad "
	    "quorum port"));
	CHECK(qs_test_has_diag(run, "line 6: malformed server line: server "
	    "type is neither participant nor observer"));
	CHECK(qs_test_has_diag(run, "line 7: malformed server line: "
	    "unterminated"));
	CHECK(qs_test_has_diag(run, "line 8: malformed server line: too "
	    "many"));
	CHECK(qs_test_has_diag(run, "line 9: malformed server line: bad "
	    "client"));
	CHECK(qs_test_has_diag(run, "line 10: malformed server line: empty "
	    "host"));
	CHECK(qs_test_has_diag(run, "line 12: server.1 is listed twice"));
	CHECK_STR(zk_t_setting(run, NULL, "zk.syncLimit"), "5");
	CHECK(v != NULL);
	if (v != NULL) {
		CHECK_INT(v->members.n, 2);
		/* Properties keep the last value of a key. */
		CHECK_STR(zk_t_member(v, 0)->id, "1");
		CHECK_STR(zk_t_member(v, 0)->address, "10.0.0.11:2888");
		CHECK_STR(zk_t_member(v, 1)->id, "10");
		CHECK_STR(zk_t_member(v, 1)->address, "10.0.0.10:2888");
	}
	/* No election address for the 3.4-style line. */
	CHECK(zk_t_has_ident(run, NULL, QS_ID_ADDRESS, "10.0.0.10:2888",
	    "quorum", "10"));
	CHECK_INT(zk_t_nsettings(run, NULL, "zk.server.1"), 2);
	qs_run_free(run);
}

/* The backup ZooKeeper keeps of a converted legacy file. */
DEFINE_TEST(test_parse_zk_cfg_backup)
{
	static const char	cfg[] =
	    "tickTime=2000\n"
	    "reconfigEnabled=true\n"
	    "server.1=127.0.0.64:22884:22984:participant;127.0.0.64:21814\n"
	    "server.2=127.0.0.65:22884:22984:participant;127.0.0.65:21814\n";
	struct qs_run		*run = qs_test_parse("zk.cfg",
	    "n/opt/local/etc/zookeeper/zoo.cfg.bak", cfg, 0);
	const struct qs_view	*v;

	v = zk_t_view(run, NULL, "backup zoo.cfg.bak", 0);
	CHECK_INT(run->diags.n, 0);
	CHECK(v != NULL);
	if (v != NULL)
		CHECK_INT(v->members.n, 2);
	CHECK(zk_t_view(run, NULL, "zoo.cfg", 0) == NULL);
	CHECK_INT(run->settings.n, 0);
	CHECK_INT(run->identities.n, 0);
	qs_run_free(run);
}

/* The version from a "version=" line when the name has none. */
DEFINE_TEST(test_parse_zk_cfg_dynamic_version_line)
{
	static const char	cfg[] =
	    "server.1=10.0.0.1:2888:3888:participant;2181\n"
	    "version=100000000\n";
	struct qs_run		*run = qs_test_parse("zk.dynamic_cfg",
	    "n/conf/zoo.cfg.dynamic.next", cfg, 0);
	const struct qs_view	*v;

	/* A proposed reconfiguration: never the configuration in force. */
	v = zk_t_view(run, NULL, "proposed zoo.cfg.dynamic.next", 0);
	CHECK_INT(run->diags.n, 0);
	CHECK_STR(zk_t_setting(run, NULL, "zk.dynamic_version"), "100000000");
	CHECK(v != NULL && v->clock.zxid == UINT64_C(0x100000000));
	CHECK(v != NULL && !qs_zk_cfg_view(v));
	qs_run_free(run);

	/* Both, disagreeing: a warning; the name wins. */
	run = qs_test_parse("zk.dynamic_cfg", "n/zoo.cfg.dynamic.200000000",
	    cfg, 0);
	CHECK_INT(run->diags.n, 1);
	CHECK(qs_test_has_diag(run, "version=100000000 disagrees with the "
	    "file name's version 200000000"));
	CHECK_STR(zk_t_setting(run, NULL, "zk.dynamic_version"), "200000000");
	qs_run_free(run);

	/* No server line at all. */
	run = qs_test_parse("zk.dynamic_cfg", "n/zoo.cfg.dynamic.1",
	    "# nothing\n", 0);
	CHECK(qs_test_has_diag(run, "no server lines"));
	CHECK_INT(((struct qs_artifact *)run->artifacts.v[0])->status,
	    QS_STATUS_PARTIAL);
	qs_run_free(run);
}

/* Binary junk and very long lines neither crash nor loop. */
DEFINE_TEST(test_parse_zk_cfg_garbage)
{
	char		*big = qs_xmalloc(200001);
	struct qs_run	*run;
	size_t		 i;

	memset(big, 'a', 200000);
	memcpy(big, "server.1=", 9);
	big[200000] = '\0';
	run = qs_test_parse("zk.cfg", "n/zoo.cfg", big, 0);
	CHECK_INT(run->views.n, 1);
	CHECK(qs_test_has_diag(run, "line 1: malformed server line"));
	qs_run_free(run);
	run = qs_test_parse("zk.cfg", "n/zoo.cfg", "\0\1\2=\n=\n:\n", 9);
	CHECK_INT(run->views.n, 0);
	qs_run_free(run);
	free(big);

	/* Warnings stop at 100, then one says how many more there were. */
	big = qs_xmalloc(150 * 16 + 1);
	for (i = 0; i < 150; i++)
		memcpy(big + i * 16, "server.1=nope:x\n", 16);
	big[150 * 16] = '\0';
	run = qs_test_parse("zk.cfg", "n/zoo.cfg", big, 0);
	CHECK_INT(run->diags.n, 101);
	CHECK(qs_test_has_diag(run, "50 more warnings not shown"));
	qs_run_free(run);
	free(big);
}

/*
 * Which dynamic file is in force: the one zoo.cfg's dynamicConfigFile
 * names, else the highest version; the rest are history.  A file named
 * zoo.cfg.dynamic with only server lines is a dynamic file, and Kafka's
 * zookeeper.properties a zoo.cfg.
 */
DEFINE_TEST(test_parse_zk_cfg_dynamic_in_force)
{
	static const char	v1[] =
	    "server.1=10.0.0.1:2888:3888:participant;2181\n"
	    "server.2=10.0.0.2:2888:3888:participant;2181\n"
	    "server.3=10.0.0.3:2888:3888:participant;2181\n";
	static const char	v2[] =
	    "server.1=10.0.0.1:2888:3888:participant;2181\n"
	    "server.2=10.0.0.2:2888:3888:participant;2181\n";
	struct qs_test_entry	 e[] = {
		{ "zk1/conf/zoo.cfg", "tickTime=2000\n"
		    "dynamicConfigFile=/opt/zk/conf/zoo.cfg.dynamic.100000000\n",
		    0, NULL, NULL },
		{ "zk1/conf/zoo.cfg.dynamic.100000000", v1, 0, NULL, NULL },
		{ "zk1/conf/zoo.cfg.dynamic.200000005", v2, 0, NULL, NULL },
		{ "zk2/conf/zoo.cfg", "tickTime=2000\n", 0, NULL, NULL },
		{ "zk2/conf/zoo.cfg.dynamic.100000000", v1, 0, NULL, NULL },
		{ "zk2/conf/zoo.cfg.dynamic.200000005", v2, 0, NULL, NULL },
		{ "zk3/config/zoo.cfg.dynamic", v1, 0, NULL, NULL },
		{ "zk3/config/zookeeper.properties", "dataDir=/tmp/zookeeper\n"
		    "clientPort=2181\nmaxClientCnxns=0\n"
		    "admin.enableServer=false\n", 0, NULL, NULL },
		{ NULL, NULL, 0, NULL, NULL }
	};
	size_t			 i;
	struct qs_run		*run;
	const struct qs_view	*a;
	const struct qs_node	*n[3] = { NULL, NULL, NULL };

	run = qs_test_read_entries("zk.tar", e);
	qs_model_resolve(run);
	for (i = 0; i < run->nodes.n; i++) {
		const struct qs_node	*node = run->nodes.v[i];

		if (strcmp(node->name, "zk1") == 0)
			n[0] = node;
		else if (strcmp(node->name, "zk2") == 0)
			n[1] = node;
		else if (strcmp(node->name, "zk3") == 0)
			n[2] = node;
	}
	CHECK(n[0] != NULL && n[1] != NULL && n[2] != NULL);
	CHECK_INT(run->diags.n, 0);
	/* zk1 names the older file: that one is in force. */
	a = qs_zk_dynamic_active(run, n[0]);
	CHECK(a != NULL && a->clock.zxid == UINT64_C(0x100000000) &&
	    a->members.n == 3);
	/* zk2 names none: the highest version; the older one is history. */
	a = qs_zk_dynamic_active(run, n[1]);
	CHECK(a != NULL && a->clock.zxid == UINT64_C(0x200000005) &&
	    a->members.n == 2);
	for (i = 0; i < run->views.n; i++) {
		const struct qs_view	*v = run->views.v[i];

		if (v->observer == n[1] && strcmp(v->source,
		    "zoo.cfg.dynamic.100000000") == 0)
			CHECK(qs_zk_dynamic_history(run, v));
		if (v->observer == n[1] && strcmp(v->source,
		    "zoo.cfg.dynamic.200000005") == 0)
			CHECK(!qs_zk_dynamic_history(run, v));
	}
	/* zoo.cfg.dynamic, server lines only: a dynamic file, no tie. */
	a = qs_zk_dynamic_active(run, n[2]);
	CHECK(a != NULL && strcmp(a->source, "zoo.cfg.dynamic") == 0 &&
	    a->members.n == 3);
	CHECK(qs_test_artifact(run, "zk3/config/zookeeper.properties") !=
	    NULL && strcmp(qs_test_artifact(run,
	    "zk3/config/zookeeper.properties")->kind->name, "zk.cfg") == 0);
	CHECK(qs_test_view(run, "zoo.cfg.dynamic") != NULL);
	qs_run_free(run);
}
