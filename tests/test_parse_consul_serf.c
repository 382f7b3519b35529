/* parse-consul-serf.c: serf snapshots replayed line by line. */
#include "config.h"

#include "test.h"

static const struct qs_event *
event(const struct qs_run *run, size_t i)
{
	return i < run->events.n ? run->events.v[i] : NULL;
}

#define LAN(text)	qs_test_parse("consul.serf_snapshot", \
	"node1/consul/serf/local.snapshot", (text), 0)

/* A LAN snapshot with every record kind, in the order serf writes them. */
static const char serf_lan[] =
	"alive: consul-server-1 10.0.0.1:8301\n"
	"alive: consul-server-2 10.0.0.2:8301\n"
	"clock: 2\n"
	"alive: consul-server-3 10.0.0.3:8301\n"
	"clock: 3\n"
	"event-clock: 1\n"
	"query-clock: 1\n"
	"not-alive: consul-server-3\n"
	"clock: 5\n"
	"# a comment\n"
	"alive: web 01 10.0.0.9:8301\n"
	"coordinate: {\"Vec\":[0.1,0.2],\"Error\":1.5,\"Adjustment\":0,"
	"\"Height\":0.0001}\n"
	"event-clock: 4\n"
	"leave\n";

DEFINE_TEST(test_parse_consul_serf_replay)
{
	struct qs_run		*run = LAN(serf_lan);
	const struct qs_event	*e;
	const struct qs_signal	*s;
	const struct qs_view	*v;
	const struct qs_identity *id;

	CHECK_INT(run->diags.n, 0);
	CHECK_INT(qs_test_status(run), QS_STATUS_PARSED);
	CHECK_INT(run->events.n, 6);

	e = event(run, 0);
	CHECK_INT(e->kind, QS_EV_JOIN);
	CHECK_INT(e->system, QS_SYS_CONSUL);
	CHECK_STR(e->subject, "consul-server-1");
	CHECK_STR(e->detail, "10.0.0.1:8301");
	CHECK_INT(e->clock.set, 0);		/* no clock line yet */
	CHECK_INT(e->ev.line, 1);
	CHECK_STR(e->ev.excerpt, "alive: consul-server-1 10.0.0.1:8301");

	e = event(run, 2);
	CHECK_INT(e->kind, QS_EV_JOIN);
	CHECK_STR(e->subject, "consul-server-3");
	CHECK_INT(e->clock.set, QS_CLOCK_LAMPORT);
	CHECK_INT(e->clock.lamport, 2);
	CHECK_INT(e->ev.line, 4);

	e = event(run, 3);
	CHECK_INT(e->kind, QS_EV_LEAVE);
	CHECK_STR(e->subject, "consul-server-3");
	CHECK_STR(e->detail, "not-alive (left or failed: serf does not say)");
	CHECK_INT(e->clock.lamport, 3);
	CHECK_INT(e->ev.line, 8);

	/* Names may hold spaces: the address is after the last one. */
	e = event(run, 4);
	CHECK_STR(e->subject, "web 01");
	CHECK_STR(e->detail, "10.0.0.9:8301");
	CHECK_INT(e->clock.lamport, 5);

	e = event(run, 5);
	CHECK_INT(e->kind, QS_EV_LEAVE);
	CHECK(e->subject == NULL);
	CHECK_INT(e->ev.line, 14);
	CHECK_INT(run->signals.n, 1);
	s = run->signals.v[0];
	CHECK_INT(s->kind, QS_SIG_GRACEFUL_LEAVE);
	CHECK(s->subject == NULL);
	CHECK_INT(s->ev.line, 14);

	CHECK_INT(run->identities.n, 4);
	id = run->identities.v[3];
	CHECK_INT(id->kind, QS_ID_ADDRESS);
	CHECK_STR(id->value, "10.0.0.9:8301");
	CHECK_STR(id->role, "serf_lan");
	CHECK_STR(id->subject, "web 01");

	CHECK_INT(run->views.n, 1);
	v = run->views.v[0];
	CHECK_INT(v->kind, QS_VIEW_GOSSIP);
	CHECK_STR(v->source, "serf LAN snapshot");
	CHECK_INT(v->clock.set, QS_CLOCK_LAMPORT);
	CHECK_INT(v->clock.lamport, 5);
	CHECK_INT(v->members.n, 4);
	CHECK_STR(qs_test_member(v, 0)->name, "consul-server-1");
	CHECK_STR(qs_test_member(v, 0)->address, "10.0.0.1:8301");
	CHECK_INT(qs_test_member(v, 0)->state, QS_MEMBER_ALIVE);
	CHECK_STR(qs_test_member(v, 2)->name, "consul-server-3");
	CHECK_INT(qs_test_member(v, 2)->state, QS_MEMBER_LEFT);
	CHECK_STR(qs_test_member(v, 2)->address, "10.0.0.3:8301");
	CHECK_INT(qs_test_member(v, 3)->state, QS_MEMBER_ALIVE);

	CHECK_STR(qs_test_setting(run, "serf.clock"), "5");
	CHECK_STR(qs_test_setting(run, "serf.event_clock"), "4");
	CHECK_STR(qs_test_setting(run, "serf.query_clock"), "1");
	CHECK_STR(qs_test_setting(run, "serf.left_last"), "true");
	qs_run_free(run);
}

/* WAN pool: names carry the datacenter; IPv6 addresses are bracketed. */
DEFINE_TEST(test_parse_consul_serf_wan)
{
	struct qs_run		*run = qs_test_parse(
	    "consul.serf_snapshot", "node1/consul/serf/remote.snapshot",
	    "alive: consul-server-1.dc1 [fe80::1]:8302\n"
	    "alive: consul-server-1.dc2 10.1.0.1:8302\n"
	    "clock: 7\n", 0);
	const struct qs_view	*v;
	const struct qs_identity *id;

	CHECK_INT(run->diags.n, 0);
	CHECK_INT(run->events.n, 2);
	CHECK_STR(event(run, 0)->subject, "consul-server-1.dc1");
	CHECK_STR(event(run, 0)->detail, "[fe80::1]:8302");
	id = run->identities.v[0];
	CHECK_STR(id->role, "serf_wan");
	CHECK_STR(id->value, "[fe80::1]:8302");
	v = run->views.v[0];
	CHECK_STR(v->source, "serf WAN snapshot");
	CHECK_INT(v->members.n, 2);
	CHECK_STR(qs_test_setting(run, "serf.clock"), "7");
	CHECK_STR(qs_test_setting(run, "serf.left_last"), "false");
	CHECK(qs_test_setting(run, "serf.event_clock") == NULL);
	qs_run_free(run);
}

/* A restart after a leave appends new alive lines; address changes. */
DEFINE_TEST(test_parse_consul_serf_rejoin_and_readdress)
{
	struct qs_run		*run = LAN(
	    "alive: a 10.0.0.1:8301\n"
	    "clock: 1\n"
	    "leave\n"
	    "alive: a 10.0.0.7:8301\n"
	    "alive: a 10.0.0.7:8301\n"
	    "clock: 4\n");
	const struct qs_view	*v;

	CHECK_INT(run->events.n, 4);
	CHECK_INT(run->identities.n, 2);	/* once per address */
	CHECK_STR(((const struct qs_identity *)run->identities.v[1])->value,
	    "10.0.0.7:8301");
	v = run->views.v[0];
	CHECK_INT(v->members.n, 1);
	CHECK_STR(qs_test_member(v, 0)->address, "10.0.0.7:8301");
	CHECK_INT(qs_test_member(v, 0)->state, QS_MEMBER_ALIVE);
	CHECK_STR(qs_test_setting(run, "serf.left_last"), "false");
	qs_run_free(run);

	/* A member only ever seen going away is still in the view. */
	run = LAN("not-alive: ghost\n");
	v = run->views.v[0];
	CHECK_INT(v->members.n, 1);
	CHECK_STR(qs_test_member(v, 0)->name, "ghost");
	CHECK(qs_test_member(v, 0)->address == NULL);
	CHECK_INT(qs_test_member(v, 0)->state, QS_MEMBER_LEFT);
	CHECK_INT(v->clock.set, 0);
	qs_run_free(run);
}

DEFINE_TEST(test_parse_consul_serf_torn_and_bad_lines)
{
	struct qs_run		*run;
	const struct qs_view	*v;

	/* A crash mid-write leaves a last line without its newline. */
	run = LAN("alive: a 10.0.0.1:8301\nclock: 3\nalive: b 10.0.0.2:83");
	CHECK_INT(run->events.n, 1);
	CHECK(qs_test_has_diag(run, "line 3: last line has no newline"));
	CHECK_INT(qs_test_status(run), QS_STATUS_PARSED);	/* info only */
	CHECK_STR(qs_test_setting(run, "serf.clock"), "3");
	qs_run_free(run);

	/* A torn leave is no leave. */
	run = LAN("alive: a 10.0.0.1:8301\nleave");
	CHECK_INT(run->signals.n, 0);
	CHECK_STR(qs_test_setting(run, "serf.left_last"), "false");
	qs_run_free(run);

	run = LAN("alive: a 10.0.0.1:8301\nbogus line\n\nclock: x\n"
	    "clock: -1\nalive: noaddress\nalive: b 10.0.0.2\n"
	    "alive: c [fe80::1:8301\nalive: d 10.0.0.4:99999\n"
	    "not-alive: \nleave now\n");
	CHECK_INT(run->events.n, 1);
	CHECK(qs_test_has_diag(run, "line 2: unrecognised snapshot line"));
	CHECK(qs_test_has_diag(run, "line 3: unrecognised snapshot line"));
	CHECK(qs_test_has_diag(run, "line 4: clock record"));
	CHECK(qs_test_has_diag(run, "line 5: clock record"));
	CHECK(qs_test_has_diag(run, "line 6: alive record without"));
	CHECK(qs_test_has_diag(run, "line 7: alive record with an address"));
	CHECK(qs_test_has_diag(run, "line 8: alive record with an address"));
	CHECK(qs_test_has_diag(run, "line 9: alive record with an address"));
	CHECK(qs_test_has_diag(run, "line 10: not-alive record"));
	CHECK(qs_test_has_diag(run, "line 11: unrecognised"));
	CHECK_INT(qs_test_status(run), QS_STATUS_PARTIAL);
	CHECK(qs_test_setting(run, "serf.clock") == NULL);
	qs_run_free(run);

	/* Binary junk: complaints are capped, nothing crashes. */
	{
		char	junk[4096];
		size_t	i;

		for (i = 0; i < sizeof(junk); i++)
			junk[i] = (i % 3 == 0) ? '\n' : (char)(i & 0xff);
		junk[1] = 'x';
		run = qs_test_parse("consul.serf_snapshot",
		    "n/serf/local.snapshot", junk, sizeof(junk));
		CHECK(qs_test_has_diag(run, "more unusable lines not listed"));
		CHECK_INT(run->views.n, 1);
		qs_run_free(run);
	}

	/* Empty: a fresh agent.  An empty view, nothing else to say. */
	run = LAN("");
	CHECK_INT(run->views.n, 1);
	v = run->views.v[0];
	CHECK_INT(v->members.n, 0);
	CHECK_INT(run->diags.n, 0);
	qs_run_free(run);
}

/* CRLF endings (a file edited on Windows) still replay. */
DEFINE_TEST(test_parse_consul_serf_crlf_and_compact)
{
	struct qs_run	*run;

	run = LAN("alive: a 10.0.0.1:8301\r\nclock: 2\r\n");

	CHECK_INT(run->events.n, 1);
	CHECK_STR(event(run, 0)->detail, "10.0.0.1:8301");
	CHECK_STR(qs_test_setting(run, "serf.clock"), "2");
	qs_run_free(run);

	run = qs_test_parse("consul.serf_snapshot",
	    "node1/consul/serf/local.snapshot.compact",
	    "alive: b 10.0.0.2:8301\nalive: a 10.0.0.1:8301\nclock: 9\n"
	    "event-clock: 2\nquery-clock: 3\n", 0);
	CHECK(qs_test_has_diag(run, "leftover compaction file"));
	CHECK_INT(qs_test_status(run), QS_STATUS_PARSED);
	CHECK_INT(((const struct qs_view *)run->views.v[0])->members.n, 2);
	CHECK_STR(((const struct qs_view *)run->views.v[0])->source,
	    "serf LAN snapshot");
	qs_run_free(run);
}
