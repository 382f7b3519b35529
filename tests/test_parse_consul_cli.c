/*
 * parse-consul-cli.c: consul members, operator raft list-peers and info
 * output.  The tables are laid out as columnize lays them out (two
 * blanks between columns, each as wide as its widest cell) with the
 * headers of hashicorp/consul command/members/members.go and
 * command/operator/raft/listpeers/operator_raft_list.go; info's keys are
 * those of agent/consul/server.go Stats and hashicorp/raft api.go Stats.
 */
#include "config.h"

#include <stdio.h>

#include "test.h"

#define CLI	"consul1/consul/cli.txt"

DEFINE_TEST(test_parse_consul_cli_members)
{
	static const char	out[] =
	    "Node     Address          Status  Type    Build   Protocol  DC   "
	    "Partition  Segment\n"
	    "consul1  10.0.0.1:8301    alive   server  1.15.2  2         dc1  "
	    "default    <all>\n"
	    "consul2  10.0.0.2:8301    failed  server  1.15.2  2         dc1  "
	    "default    <all>\n"
	    "consul3  10.0.0.3:8301    left    server  1.15.2  2         dc1  "
	    "default    <all>\n"
	    "web1     10.0.0.9:8301    alive   client  1.15.2  2         dc1  "
	    "default    <default>\n"
	    "odd      10.0.0.10:8301   leaving unknown\n";
	struct qs_run		*run = qs_test_parse("consul.cli_output", CLI,
	    out, 0);
	const struct qs_view	*v = qs_test_view(run, "consul members");
	const struct qs_signal	*s;

	CHECK_INT(run->diags.n, 0);
	CHECK(v != NULL && v->kind == QS_VIEW_GOSSIP && v->members.n == 5);
	if (v != NULL && v->members.n == 5) {
		CHECK_STR(qs_test_member(v, 1)->name, "consul2");
		CHECK_STR(qs_test_member(v, 1)->address, "10.0.0.2:8301");
		CHECK_INT(qs_test_member(v, 1)->state, QS_MEMBER_FAILED);
		CHECK_INT(qs_test_member(v, 2)->state, QS_MEMBER_LEFT);
		CHECK_INT(qs_test_member(v, 4)->state, QS_MEMBER_LISTED);
	}
	s = qs_test_signal(run, QS_SIG_PROBE_UP, "consul1");
	CHECK(s != NULL && s->ev.line == 2 && !s->time.set);
	CHECK(qs_test_signal(run, QS_SIG_PROBE_DOWN, "consul2") != NULL);
	s = qs_test_signal(run, QS_SIG_PROBE_DOWN, "consul3");
	CHECK(s != NULL && strcmp(s->detail, "serf: left") == 0);
	CHECK(qs_test_signal(run, QS_SIG_PROBE_UP, "web1") != NULL);
	/* leaving is neither. */
	CHECK_INT(run->signals.n, 4);
	CHECK_STR(qs_test_setting(run, "consul.cli.server"), "consul3");
	qs_run_free(run);

	/* -detailed, an older release, after a prompt and a date. */
	run = qs_test_parse("consul.cli_output", CLI,
	    "[root@consul1 ~]# date\n"
	    "Mon Dec  7 18:20:00 UTC 2026\n"
	    "[root@consul1 ~]# consul members -detailed\n"
	    "Node     Address        Status  Tags\n"
	    "consul1  10.0.0.1:8301  alive   build=1.4.0:0bddfa23,dc=dc1,"
	    "id=0b3a2c1d-0000-4000-8000-000000000001,port=8300,role=consul,"
	    "vsn=2\n"
	    "consul2  10.0.0.2:8301  failed  dc=dc1,role=consul\n", 0);
	v = qs_test_view(run, "consul members");
	CHECK(v != NULL && v->members.n == 2);
	if (v != NULL && v->members.n == 2)
		CHECK_STR(qs_test_member(v, 0)->id,
		    "0b3a2c1d-0000-4000-8000-000000000001");
	s = qs_test_signal(run, QS_SIG_PROBE_DOWN, "consul2");
	CHECK(s != NULL && s->time.set);
	CHECK_INT(run->signals.n, 2);
	qs_run_free(run);
}

DEFINE_TEST(test_parse_consul_cli_list_peers)
{
	static const char	out[] =
	    "Node     ID                                    Address        "
	    "State     Voter  RaftProtocol  Commit Index  Trails Leader By\n"
	    "consul1  0b3a2c1d-0000-4000-8000-000000000001  10.0.0.1:8300  "
	    "leader    true   3             42            _\n"
	    "consul2  0b3a2c1d-0000-4000-8000-000000000002  10.0.0.2:8300  "
	    "follower  true   3             42            0 Commits\n"
	    "consul4  0b3a2c1d-0000-4000-8000-000000000004  10.0.0.4:8300  "
	    "follower  false  3             40            2 Commits\n";
	struct qs_run		*run = qs_test_parse("consul.cli_output", CLI,
	    out, 0);
	const struct qs_view	*v = qs_test_view(run,
	    "consul operator raft list-peers");

	CHECK_INT(run->diags.n, 0);
	CHECK(v != NULL && v->kind == QS_VIEW_CONSENSUS && v->members.n == 3);
	if (v != NULL && v->members.n == 3) {
		CHECK_STR(qs_test_member(v, 0)->address, "10.0.0.1:8300");
		CHECK_INT(qs_test_member(v, 1)->state, QS_MEMBER_VOTER);
		CHECK_INT(qs_test_member(v, 2)->state, QS_MEMBER_NONVOTER);
		CHECK_STR(qs_test_member(v, 2)->id,
		    "0b3a2c1d-0000-4000-8000-000000000004");
	}
	CHECK_STR(qs_test_setting(run, "consul.cli.raft_leader"), "consul1");
	CHECK(qs_test_signal(run, QS_SIG_PROBE_UP, "consul1") != NULL);
	CHECK(qs_test_signal(run, QS_SIG_PROBE_UP, NULL) != NULL);
	CHECK_INT(run->signals.n, 2);
	qs_run_free(run);

	/* Without a leader the command fails; the agent answered that. */
	run = qs_test_parse("consul.cli_output", CLI,
	    "Error getting peers: Failed to retrieve raft configuration: "
	    "Unexpected response code: 500 (No cluster leader)\n", 0);
	CHECK(qs_test_signal(run, QS_SIG_PROBE_NOT_SERVING, NULL) != NULL);
	CHECK_INT(run->signals.n, 1);
	qs_run_free(run);
	/* An agent that is not running. */
	run = qs_test_parse("consul.cli_output", CLI,
	    "$ consul members -http-addr=10.0.0.2:8500\n"
	    "Error retrieving members: Get \"http://10.0.0.2:8500/v1/agent/"
	    "members?segment=_all\": dial tcp 10.0.0.2:8500: connect: "
	    "connection refused\n", 0);
	CHECK(qs_test_signal(run, QS_SIG_PROBE_DOWN, "10.0.0.2:8500") != NULL);
	CHECK_INT(run->signals.n, 1);
	qs_run_free(run);
}

DEFINE_TEST(test_parse_consul_cli_info)
{
	static const char	out[] =
	    "agent:\n"
	    "\tcheck_monitors = 0\n"
	    "build:\n"
	    "\tversion = 1.15.2\n"
	    "consul:\n"
	    "\tacl = disabled\n"
	    "\tbootstrap = false\n"
	    "\tknown_datacenters = 1\n"
	    "\tleader = false\n"
	    "\tleader_addr = 10.0.0.1:8300\n"
	    "\tserver = true\n"
	    "raft:\n"
	    "\tapplied_index = 42\n"
	    "\tcommit_index = 42\n"
	    "\tlast_contact = 41.5ms\n"
	    "\tlatest_configuration = [{Suffrage:Voter ID:0b3a2c1d-0000-4000-"
	    "8000-000000000001 Address:10.0.0.1:8300} {Suffrage:Voter ID:"
	    "0b3a2c1d-0000-4000-8000-000000000002 Address:10.0.0.2:8300} "
	    "{Suffrage:Nonvoter ID:0b3a2c1d-0000-4000-8000-000000000004 "
	    "Address:10.0.0.4:8300}]\n"
	    "\tlatest_configuration_index = 12\n"
	    "\tnum_peers = 1\n"
	    "\tstate = Follower\n"
	    "\tterm = 3\n"
	    "serf_lan:\n"
	    "\tfailed = 0\n"
	    "\tmembers = 3\n";
	struct qs_run		*run = qs_test_parse("consul.cli_output", CLI,
	    out, 0);
	const struct qs_view	*v = qs_test_view(run,
	    "consul info latest_configuration");
	const struct qs_signal	*s;

	CHECK_INT(run->diags.n, 0);
	CHECK_STR(qs_test_setting(run, "consul.info.raft.state"), "Follower");
	CHECK_STR(qs_test_setting(run, "consul.info.consul.leader_addr"),
	    "10.0.0.1:8300");
	CHECK_STR(qs_test_setting(run, "consul.info.raft.num_peers"), "1");
	CHECK_STR(qs_test_setting(run, "consul.info.serf_lan.members"), "3");
	CHECK(qs_test_setting(run, "consul.info.build.version") == NULL);
	CHECK(v != NULL && v->members.n == 3 && v->clock.index == 12 &&
	    v->clock.term == 3 && (v->clock.set & QS_CLOCK_INDEX));
	if (v != NULL && v->members.n == 3) {
		CHECK_STR(qs_test_member(v, 1)->address, "10.0.0.2:8300");
		CHECK_INT(qs_test_member(v, 2)->state, QS_MEMBER_NONVOTER);
	}
	s = qs_test_signal(run, QS_SIG_PROBE_UP, NULL);
	CHECK(s != NULL && s->ev.line == 19);
	CHECK_INT(run->signals.n, 1);
	qs_run_free(run);

	/* A candidate with no leader address: answers, does not serve. */
	run = qs_test_parse("consul.cli_output", CLI,
	    "agent:\n\tcheck_monitors = 0\nconsul:\n\tleader = false\n"
	    "\tleader_addr =\n\tserver = true\nraft:\n\tstate = Candidate\n"
	    "\tterm = 9\nruntime:\n\tarch = amd64\n"
	    "command terminated with exit code 0\n", 0);
	s = qs_test_signal(run, QS_SIG_PROBE_NOT_SERVING, NULL);
	CHECK(s != NULL && s->ev.line == 8);
	CHECK_STR(qs_test_setting(run, "consul.info.consul.leader_addr"), "");
	CHECK_INT(run->signals.n, 1);
	qs_run_free(run);
}

DEFINE_TEST(test_parse_consul_cli_damage)
{
	static const char *const bad[] = {
		"Node  Address  Status\n\n\n|||\n",
		"Node  Address  Status\nx\n  \n",
		"Node     ID  Address  State  Voter\nn1  x\n",
		"agent:\n\t = \n\tstate\nraft:\n\tlatest_configuration = "
		    "[{Suffrage:Voter {{{{ ID:\n",
		"raft:\n\tlatest_configuration = [{}{}{Address:}]\n",
		"Error : \nError x: y\n",
		"\r\n\r\nNode   Address   Status\r\nn1  1.2.3.4:8301  alive\r\n",
	};
	size_t		i;
	struct qs_run	*run;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		run = qs_test_parse("consul.cli_output", CLI, bad[i], 0);
		CHECK(qs_test_status(run) != QS_STATUS_FAILED);
		qs_run_free(run);
	}
	/* CRLF line ends are read like LF. */
	run = qs_test_parse("consul.cli_output", CLI, bad[6], 0);
	CHECK(qs_test_signal(run, QS_SIG_PROBE_UP, "n1") != NULL);
	qs_run_free(run);
}
