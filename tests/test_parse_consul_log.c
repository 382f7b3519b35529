/*
 * parse-consul-log.c: every line shape of formats.md 3.5/3.6 in the three
 * log generations, the wrappers, and damaged input.  Observations are
 * rendered one per line by log_dump() and compared whole, so a test
 * states exactly what a log yields, nothing more.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "test.h"

/* Growing text buffer for log_dump(). */
struct dump {
	char	*s;
	size_t	 len;
	size_t	 cap;
};

static void	dump_add(struct dump *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
static void	dump_when(struct dump *, const struct qs_time *,
		    const struct qs_clock *, uint64_t);
static char	*log_dump(const struct qs_run *);
static struct qs_run *log_parse(const char *);
static void	check_dump(const char *, int, const char *, const char *,
		    const char *);

static void
dump_add(struct dump *d, const char *fmt, ...)
{
	va_list	ap;
	int	n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (d->len + (size_t)n + 1 > d->cap) {
		d->cap = (d->len + (size_t)n + 1) * 2;
		d->s = qs_xreallocarray(d->s, d->cap, 1);
	}
	va_start(ap, fmt);
	vsnprintf(d->s + d->len, d->cap - d->len, fmt, ap);
	va_end(ap);
	d->len += (size_t)n;
}

/* " L<line> <time>[~ if zone-less] [t=<term>] [i=<index>]" */
static void
dump_when(struct dump *d, const struct qs_time *t, const struct qs_clock *c,
    uint64_t line)
{
	char	buf[40];

	dump_add(d, " L%llu %s%s", (unsigned long long)line,
	    qs_time_format(t, buf, sizeof(buf)),
	    t->set && !t->zone_known ? "~" : "");
	if (c != NULL && (c->set & QS_CLOCK_TERM))
		dump_add(d, " t=%llu", (unsigned long long)c->term);
	if (c != NULL && (c->set & QS_CLOCK_INDEX))
		dump_add(d, " i=%llu", (unsigned long long)c->index);
}

#define OR(s)	((s) != NULL ? (s) : "-")

/*
 * Every observation of a run, one per line: events (E), signals (S),
 * views (V), settings (K), identities (I), each in emission order.
 */
static char *
log_dump(const struct qs_run *run)
{
	struct dump	d = { NULL, 0, 0 };
	size_t		i, j;

	dump_add(&d, "%s", "");
	for (i = 0; i < run->events.n; i++) {
		const struct qs_event	*e = run->events.v[i];

		dump_add(&d, "E %s %s %s", qs_event_kind_name(e->kind),
		    OR(e->subject), OR(e->detail));
		dump_when(&d, &e->time, &e->clock, e->ev.line);
		dump_add(&d, "\n");
	}
	for (i = 0; i < run->signals.n; i++) {
		const struct qs_signal	*s = run->signals.v[i];

		dump_add(&d, "S %s %s %s", qs_signal_kind_name(s->kind),
		    OR(s->subject), OR(s->detail));
		dump_when(&d, &s->time, &s->clock, s->ev.line);
		dump_add(&d, "\n");
	}
	for (i = 0; i < run->views.n; i++) {
		const struct qs_view	*v = run->views.v[i];

		dump_add(&d, "V %s", v->source);
		dump_when(&d, &v->time, &v->clock, v->ev.line);
		dump_add(&d, " [");
		for (j = 0; j < v->members.n; j++) {
			const struct qs_member	*m = v->members.v[j];

			dump_add(&d, "%s%s/%s/%s", j > 0 ? " " : "",
			    OR(m->id), OR(m->address),
			    qs_member_state_name(m->state));
		}
		dump_add(&d, "]\n");
	}
	for (i = 0; i < run->settings.n; i++) {
		const struct qs_setting	*s = run->settings.v[i];

		dump_add(&d, "K %s=%s L%llu\n", s->key, s->value,
		    (unsigned long long)s->ev.line);
	}
	for (i = 0; i < run->identities.n; i++) {
		const struct qs_identity *id = run->identities.v[i];

		dump_add(&d, "I %s %s %s %s L%llu\n", qs_ident_name(id->kind),
		    id->value, OR(id->role), OR(id->subject),
		    (unsigned long long)id->ev.line);
	}
	return d.s;
}

static struct qs_run *
log_parse(const char *text)
{
	return qs_test_parse("consul.log", "node1/var/log/consul/consul.log",
	    text, strlen(text));
}

/*
 * The dump of `text` must equal `want` (on failure both are shown), and
 * the only diagnostic be one containing `diag` (NULL: none at all).
 */
static void
check_dump(const char *file, int line, const char *text, const char *want,
    const char *diag)
{
	struct qs_run	*run = log_parse(text);
	char		*got = log_dump(run);

	if (strcmp(got, want) != 0)
		qs_test_fail(file, line, "observations differ:\n--- got\n%s"
		    "--- want\n%s", got, want);
	if (diag == NULL && run->diags.n != 0)
		qs_test_fail(file, line, "unexpected diagnostic: %s",
		    ((struct qs_diag *)run->diags.v[0])->message);
	if (diag != NULL && (run->diags.n != 1 ||
	    !qs_test_has_diag(run, diag)))
		qs_test_fail(file, line, "want one diagnostic \"%s\", have "
		    "%zu", diag, run->diags.n);
	free(got);
	qs_run_free(run);
}

#define CHECK_DUMP(text, want)	check_dump(__FILE__, __LINE__, text, want, \
				    NULL)
#define CHECK_DUMP_DIAG(text, want, diag) \
				check_dump(__FILE__, __LINE__, text, want, diag)

/*
 * Consul 0.5/0.6: Go log, raft v0.x texts, the old banner, indented lines,
 * a leave and a restart.  Zone-less times are marked "~".
 */
static const char log_v05[] =
    "==> WARNING: Expect Mode enabled, expecting 3 servers\n"
    "==> Starting Consul agent...\n"
    "==> Starting Consul agent RPC...\n"
    "==> Consul agent running!\n"
    "         Node name: 'node1'\n"
    "        Datacenter: 'dc1'\n"
    "            Server: true (bootstrap: false)\n"
    "       Client Addr: 127.0.0.1 (HTTP: 8500, HTTPS: -1, DNS: 8600, "
    "RPC: 8400)\n"
    "      Cluster Addr: 10.0.0.1 (LAN: 8301, WAN: 8302)\n"
    "    Gossip encrypt: false, RPC-TLS: false, TLS-Incoming: false\n"
    "             Atlas: <disabled>\n"
    "\n"
    "==> Log data will now stream in as it occurs:\n"
    "\n"
    "    2016/03/03 12:00:00 [INFO] raft: Node at 10.0.0.1:8300 [Follower] "
    "entering Follower state\n"
    "    2016/03/03 12:00:00 [INFO] serf: EventMemberJoin: node1 10.0.0.1\n"
    "    2016/03/03 12:00:00 [INFO] serf: EventMemberJoin: node1.dc1 "
    "10.0.0.1\n"
    "    2016/03/03 12:00:00 [INFO] consul: adding LAN server node1 "
    "(Addr: 10.0.0.1:8300) (DC: dc1)\n"
    "    2016/03/03 12:00:00 [INFO] consul: adding WAN server node1.dc1 "
    "(Addr: 10.0.0.1:8300) (DC: dc1)\n"
    "    2016/03/03 12:00:01 [ERR] agent: failed to sync remote state: "
    "No cluster leader\n"
    "    2016/03/03 12:00:02 [INFO] agent: (LAN) joining: [10.0.0.2 "
    "10.0.0.3]\n"
    "    2016/03/03 12:00:02 [INFO] serf: EventMemberJoin: node2 10.0.0.2\n"
    "    2016/03/03 12:00:02 [INFO] serf: EventMemberJoin: node3 10.0.0.3\n"
    "    2016/03/03 12:00:02 [INFO] consul: adding LAN server node2 "
    "(Addr: 10.0.0.2:8300) (DC: dc1)\n"
    "    2016/03/03 12:00:02 [INFO] consul: Found expected number of peers, "
    "attempting bootstrap: 10.0.0.1:8300,10.0.0.2:8300,10.0.0.3:8300\n"
    "    2016/03/03 12:00:02 [INFO] agent: (LAN) joined: 2 Err: <nil>\n"
    "    2016/03/03 12:00:03 [WARN] raft: Heartbeat timeout reached, "
    "starting election\n"
    "    2016/03/03 12:00:03 [INFO] raft: Node at 10.0.0.1:8300 [Candidate] "
    "entering Candidate state\n"
    "    2016/03/03 12:00:03 [ERR] raft: Failed to make RequestVote RPC to "
    "10.0.0.3:8300: dial tcp 10.0.0.3:8300: getsockopt: connection "
    "refused\n"
    "    2016/03/03 12:00:03 [INFO] raft: Election won. Tally: 2\n"
    "    2016/03/03 12:00:03 [INFO] raft: Node at 10.0.0.1:8300 [Leader] "
    "entering Leader state\n"
    "    2016/03/03 12:00:03 [INFO] consul: cluster leadership acquired\n"
    "    2016/03/03 12:00:03 [INFO] consul: New leader elected: node1\n"
    "    2016/03/03 12:00:03 [INFO] raft: pipelining replication to peer "
    "10.0.0.2:8300\n"
    "    2016/03/03 12:00:03 [INFO] raft: Added peer 10.0.0.3:8300, "
    "starting replication\n"
    "    2016/03/03 12:00:03 [INFO] consul: member 'node1' joined, marking "
    "health alive\n"
    "    2016/03/03 12:10:00 [INFO] memberlist: Suspect node3 has failed, "
    "no acks received\n"
    "    2016/03/03 12:10:00 [INFO] serf: EventMemberFailed: node3 "
    "10.0.0.3\n"
    "    2016/03/03 12:10:00 [INFO] consul: removing LAN server node3 "
    "(Addr: 10.0.0.3:8300) (DC: dc1)\n"
    "    2016/03/03 12:10:00 [INFO] consul: member 'node3' failed, marking "
    "health critical\n"
    "    2016/03/03 12:10:05 [INFO] serf: EventMemberLeave: node2 "
    "10.0.0.2\n"
    "    2016/03/03 12:10:05 [INFO] consul: member 'node2' left, "
    "deregistering\n"
    "    2016/03/03 12:10:05 [INFO] raft: Removed peer 10.0.0.2:8300, "
    "stopping replication (Index: 14)\n"
    "    2016/03/03 12:10:10 [WARN] raft: Failed to contact 10.0.0.3:8300 "
    "in 500.132ms\n"
    "    2016/03/03 12:10:10 [WARN] raft: Failed to contact quorum of "
    "nodes, stepping down\n"
    "    2016/03/03 12:10:10 [INFO] raft: Node at 10.0.0.1:8300 [Follower] "
    "entering Follower state\n"
    "    2016/03/03 12:10:10 [INFO] consul: cluster leadership lost\n"
    "    2016/03/03 12:10:11 [ERR] agent: coordinate update error: No "
    "cluster leader\n"
    "    2016/03/03 12:10:12 [WARN] raft: EnableSingleNode disabled, and no "
    "known peers. Aborting election.\n"
    "==> Caught signal: interrupt\n"
    "==> Gracefully shutting down agent...\n"
    "    2016/03/03 12:11:00 [INFO] consul: server starting leave\n"
    "    2016/03/03 12:11:00 [INFO] serf: EventMemberLeave: node1.dc1 "
    "10.0.0.1\n"
    "    2016/03/03 12:11:01 [INFO] serf: EventMemberLeave: node1 "
    "10.0.0.1\n"
    "    2016/03/03 12:11:02 [INFO] agent: requesting shutdown\n"
    "    2016/03/03 12:11:02 [INFO] consul: shutting down server\n"
    "    2016/03/03 12:11:02 [INFO] agent: shutdown complete\n"
    "==> Starting Consul agent...\n"
    "==> Starting Consul agent RPC...\n"
    "==> Consul agent running!\n"
    "    2016/03/03 12:20:00 [INFO] serf: Ignoring previous leave in "
    "snapshot\n"
    "    2016/03/03 12:20:00 [INFO] serf: Attempting re-join to previously "
    "known node: node2: 10.0.0.2:8301\n"
    "    2016/03/03 12:20:00 [INFO] serf: Re-joined to previously known "
    "node: node2: 10.0.0.2:8301\n"
    "    2016/03/03 12:20:01 [WARN] serf: Failed to re-join any previously "
    "known node\n"
    "    2016/03/03 12:20:02 [ERR] consul: 'node1' and 'node4' are both in "
    "bootstrap mode. Only one node should be in bootstrap mode, not adding "
    "Raft peer.\n"
    "    2016/03/03 12:20:03 [INFO] consul: Existing Raft peers reported by "
    "node2, disabling bootstrap mode\n"
    "    2016/03/03 12:20:03 [INFO] consul: Raft data found, disabling "
    "bootstrap mode\n"
    "    2016/03/03 12:20:04 [WARN] serf: Name conflict for 'node5' both "
    "10.0.0.5:8301 and 10.0.0.6:8301 are claiming\n"
    "    2016/03/03 12:20:04 [ERR] memberlist: Conflicting address for "
    "node5. Mine: 10.0.0.5:8301 Theirs: 10.0.0.6:8301\n"
    "    2016/03/03 12:20:05 [ERR] memberlist: Decrypt packet failed: No "
    "installed keys could decrypt the message from=10.0.0.7:8301\n"
    "    2016/03/03 12:20:06 [INFO] serf: EventMemberLeave (forced): node3 "
    "10.0.0.3\n"
    "    2016/03/03 12:20:07 [INFO] consul: member 'node3' reaped, "
    "deregistering\n"
    "    2016/03/03 12:20:07 [INFO] serf: EventMemberReap: node3\n"
    "    2016/03/03 12:20:08 [INFO] serf: EventMemberUpdate: node4\n"
    "    2016/03/03 12:20:09 [INFO] consul: found peers.json file, "
    "recovering Raft configuration...\n";

DEFINE_TEST(test_parse_consul_log_v05)
{
	CHECK_DUMP(log_v05,
	    "E start - - L2 2016-03-03T12:00:00.000Z~\n"
	    "E join node1 - L16 2016-03-03T12:00:00.000Z~\n"
	    "E join node1.dc1 wan L17 2016-03-03T12:00:00.000Z~\n"
	    "E join node2 - L22 2016-03-03T12:00:02.000Z~\n"
	    "E join node3 - L23 2016-03-03T12:00:02.000Z~\n"
	    "E bootstrap - 10.0.0.1:8300,10.0.0.2:8300,10.0.0.3:8300 L25 "
	    "2016-03-03T12:00:02.000Z~\n"
	    "E election-start - heartbeat timeout L27 "
	    "2016-03-03T12:00:03.000Z~\n"
	    "E election-start - - L28 2016-03-03T12:00:03.000Z~\n"
	    "E leader-elected - - L31 2016-03-03T12:00:03.000Z~\n"
	    "E leader-elected - - L32 2016-03-03T12:00:03.000Z~\n"
	    "E leader-elected node1 - L33 2016-03-03T12:00:03.000Z~\n"
	    "E member-add 10.0.0.3:8300 - L35 2016-03-03T12:00:03.000Z~\n"
	    "E join node1 health alive L36 2016-03-03T12:00:03.000Z~\n"
	    "E fail node3 - L38 2016-03-03T12:10:00.000Z~\n"
	    "E fail node3 health critical L40 2016-03-03T12:10:00.000Z~\n"
	    "E leave node2 - L41 2016-03-03T12:10:05.000Z~\n"
	    "E leave node2 deregistered L42 2016-03-03T12:10:05.000Z~\n"
	    "E member-remove 10.0.0.2:8300 - L43 2016-03-03T12:10:05.000Z~\n"
	    "E leader-lost - quorum lost L45 2016-03-03T12:10:10.000Z~\n"
	    "E leader-lost - - L47 2016-03-03T12:10:10.000Z~\n"
	    "E leave node1.dc1 wan L53 2016-03-03T12:11:00.000Z~\n"
	    "E leave node1 - L54 2016-03-03T12:11:01.000Z~\n"
	    "E stop - interrupt L55 2016-03-03T12:11:02.000Z~\n"
	    "E start - - L58 2016-03-03T12:20:00.000Z~\n"
	    "E leave node3 forced L71 2016-03-03T12:20:06.000Z~\n"
	    "E reap node3 deregistered L72 2016-03-03T12:20:07.000Z~\n"
	    "E reap node3 - L73 2016-03-03T12:20:07.000Z~\n"
	    "E update node4 - L74 2016-03-03T12:20:08.000Z~\n"
	    "S no-leader - failed to sync remote state L20 "
	    "2016-03-03T12:00:01.000Z~\n"
	    "S vote-failed 10.0.0.3:8300 dial tcp 10.0.0.3:8300: getsockopt: "
	    "connection refused L29 2016-03-03T12:00:03.000Z~\n"
	    "S peer-unreachable node3 - L37 2016-03-03T12:10:00.000Z~\n"
	    "S quorum-contact-lost - - L45 2016-03-03T12:10:10.000Z~\n"
	    "S no-leader - coordinate update error L48 "
	    "2016-03-03T12:10:11.000Z~\n"
	    "S no-peers - - L49 2016-03-03T12:10:12.000Z~\n"
	    "S graceful-leave - shutting down L51 -\n"
	    "S graceful-leave - serf leave L53 2016-03-03T12:11:00.000Z~\n"
	    "S graceful-leave - serf leave L54 2016-03-03T12:11:01.000Z~\n"
	    "S previous-leave-ignored - - L61 2016-03-03T12:20:00.000Z~\n"
	    "S rejoin node2 attempt 10.0.0.2:8301 L62 "
	    "2016-03-03T12:20:00.000Z~\n"
	    "S rejoin node2 joined 10.0.0.2:8301 L63 "
	    "2016-03-03T12:20:00.000Z~\n"
	    "S rejoin-failed - - L64 2016-03-03T12:20:01.000Z~\n"
	    "S dual-bootstrap node1 node4 L65 2016-03-03T12:20:02.000Z~\n"
	    "S bootstrap-skipped node2 existing peers L66 "
	    "2016-03-03T12:20:03.000Z~\n"
	    "S bootstrap-skipped - raft data found L67 "
	    "2016-03-03T12:20:03.000Z~\n"
	    "S name-conflict node5 10.0.0.5:8301 10.0.0.6:8301 L68 "
	    "2016-03-03T12:20:04.000Z~\n"
	    "S name-conflict node5 10.0.0.5:8301 10.0.0.6:8301 L69 "
	    "2016-03-03T12:20:04.000Z~\n"
	    "S gossip-key-mismatch 10.0.0.7:8301 - L70 "
	    "2016-03-03T12:20:05.000Z~\n"
	    "S peers-recovery - recovering L75 2016-03-03T12:20:09.000Z~\n"
	    "K bootstrap_expect=3 L1\n"
	    "K datacenter=dc1 L6\n"
	    "K server=true L7\n"
	    "K bootstrap=false L7\n"
	    "I name node1 - - L5\n"
	    "I address 10.0.0.1:8301 serf_lan - L9\n"
	    "I address 10.0.0.1:8302 serf_wan - L9\n"
	    "I address 10.0.0.1:8300 raft - L15\n"
	    "I address 10.0.0.1 serf node1 L16\n"
	    "I address 10.0.0.1 serf node1.dc1 L17\n"
	    "I address 10.0.0.2 serf node2 L22\n"
	    "I address 10.0.0.3 serf node3 L23\n"
	    "I address 10.0.0.3 serf node3 L38\n"
	    "I address 10.0.0.2 serf node2 L41\n"
	    "I address 10.0.0.1 serf node1.dc1 L53\n"
	    "I address 10.0.0.1 serf node1 L54\n"
	    "I address 10.0.0.3 serf node3 L71\n");
}

/*
 * Consul 0.7-1.4 (Go log, raft v1.0 printf texts, configurations with
 * IDs) then Consul 1.5/1.6 (raft through hclog: "[INFO]  raft:").  No
 * banner: the datacenter is learnt from a "DC:" server line, so the
 * first WAN join is not recognised as one and the later failure is.
 */
static const char log_v1x[] =
    "    2018/05/01 10:00:00 [INFO] raft: Initial configuration (index=1): "
    "[{Suffrage:Voter ID:a1 Address:10.0.0.1:8300} {Suffrage:Voter ID:b2 "
    "Address:10.0.0.2:8300}]\n"
    "    2018/05/01 10:00:00 [INFO] raft: Node at 10.0.0.1:8300 [Follower] "
    "entering Follower state (Leader: \"\")\n"
    "    2018/05/01 10:00:00 [INFO] serf: EventMemberJoin: node1.dc1 "
    "10.0.0.1\n"
    "    2018/05/01 10:00:00 [INFO] serf: EventMemberJoin: node1 10.0.0.1\n"
    "    2018/05/01 10:00:00 [INFO] consul: Adding LAN server node1 (Addr: "
    "tcp/10.0.0.1:8300) (DC: dc1)\n"
    "    2018/05/01 10:00:01 [WARN] raft: Heartbeat timeout from \"\" "
    "reached, starting election\n"
    "    2018/05/01 10:00:01 [INFO] raft: Node at 10.0.0.1:8300 [Candidate] "
    "entering Candidate state in term 2\n"
    "    2018/05/01 10:00:01 [ERR] raft: Failed to make RequestVote RPC to "
    "{Voter b2 10.0.0.2:8300}: dial tcp 10.0.0.2:8300: connect: "
    "connection refused\n"
    "    2018/05/01 10:00:01 [INFO] raft: Election won. Tally: 2\n"
    "    2018/05/01 10:00:01 [INFO] raft: Node at 10.0.0.1:8300 [Leader] "
    "entering Leader state\n"
    "    2018/05/01 10:00:01 [INFO] raft: Added peer b2, starting "
    "replication\n"
    "    2018/05/01 10:00:01 [INFO] consul: cluster leadership acquired\n"
    "    2018/05/01 10:00:01 [INFO] consul: New leader elected: node1\n"
    "    2018/05/01 10:00:02 [INFO] raft: Updating configuration with "
    "AddStaging (c3, 10.0.0.3:8300) to [{Suffrage:Voter ID:a1 "
    "Address:10.0.0.1:8300} {Suffrage:Voter ID:b2 Address:10.0.0.2:8300} "
    "{Suffrage:Staging ID:c3 Address:10.0.0.3:8300}]\n"
    "    2018/05/01 10:00:03 [INFO] raft: Updating configuration with "
    "RemoveServer (b2, ) to [{Suffrage:Voter ID:a1 Address:10.0.0.1:8300} "
    "{Suffrage:Voter ID:c3 Address:10.0.0.3:8300}]\n"
    "    2018/05/01 10:00:03 [INFO] raft: Removed peer b2, stopping "
    "replication after 17\n"
    "    2018/05/01 10:00:04 [INFO] consul: removing server by ID: \"b2\"\n"
    "    2018/05/01 10:00:04 [INFO] serf: EventMemberFailed: node2.dc1 "
    "10.0.0.2\n"
    "    2018/05/01 10:00:05 [INFO] autopilot: Attempting removal of failed "
    "server node \"node3\"\n"
    "    2018/05/01 10:00:07 [WARN] agent: Failed to join 10.0.0.9: Member "
    "'node6' has conflicting node ID 'a1b2c3d4-0000-4000-8000-00000000000a'"
    " with member 'node7'\n"
    "    2018/05/01 10:00:08 [ERR] agent: failed to sync remote state: No "
    "cluster leader\n"
    "2019/07/01 12:00:00 [INFO]  raft: Initial configuration (index=0): "
    "[]\n"
    "2019/07/01 12:00:00 [INFO]  raft: Node at 10.0.0.5:8300 [Follower] "
    "entering Follower state (Leader: \"\")\n"
    "2019/07/01 12:00:01 [WARN]  raft: Heartbeat timeout from "
    "\"10.0.0.2:8300\" reached, starting election\n"
    "2019/07/01 12:00:01 [INFO]  raft: Node at 10.0.0.5:8300 [Candidate] "
    "entering Candidate state in term 7\n"
    "2019/07/01 12:00:01 [INFO]  raft: Election won. Tally: 1\n"
    "2019/07/01 12:00:01 [INFO]  raft: Node at 10.0.0.5:8300 [Leader] "
    "entering Leader state\n"
    "2019/07/01 12:00:01 [INFO] consul: cluster leadership acquired\n"
    "2019/07/01 12:00:02 [WARN]  raft: Failed to contact quorum of nodes, "
    "stepping down\n"
    "2019/07/01 12:00:02 [INFO]  raft: Node at 10.0.0.5:8300 [Follower] "
    "entering Follower state (Leader: \"\")\n"
    "2019/07/01 12:00:03 [INFO]  raft: New leader elected, stepping down\n"
    "2019/07/01 12:00:04 [INFO]  raft: Removed ourself, shutting down\n"
    "2019/07/01 12:00:05 [WARN]  raft: no known peers, aborting election\n";

/*
 * What says a peer cannot be reached, in the wordings of raft 0.x/1.0
 * (printf) and raft 1.1.2 and later (hclog, peer= as an address or a
 * "{Voter id addr}"), and memberlist's suspicion on the LAN and the WAN
 * pool; lines that only start alike are not taken.
 */
static const char log_liveness[] =
    "2016/03/03 12:00:01 [ERR] raft: Failed to heartbeat to "
    "10.0.0.2:8300: dial tcp 10.0.0.2:8300: connect: connection refused\n"
    "2016/03/03 12:00:02 [ERR] raft: Failed to AppendEntries to "
    "10.0.0.3:8300: EOF\n"
    "2021-01-23T23:20:00.100Z [ERROR] agent.server.raft: failed to "
    "heartbeat to: peer=10.0.0.2:8300 error=\"dial tcp 10.0.0.2:8300: "
    "connect: connection refused\"\n"
    "2021-01-23T23:20:00.200Z [ERROR] agent.server.raft: failed to "
    "appendEntries to: peer=\"{Voter b2 10.0.0.2:8300}\" "
    "error=\"dial tcp 10.0.0.2:8300: i/o timeout\"\n"
    "2021-01-23T23:20:01.000Z [INFO]  agent.server.memberlist.wan: "
    "memberlist: Suspect node2.dc1 has failed, no acks received\n"
    "2021-01-23T23:20:02.000Z [INFO]  agent.server.memberlist.lan: "
    "memberlist: Marking node2 as failed, suspect timeout reached (1 peer "
    "confirmations)\n"
    "2021-01-23T23:20:03.000Z [INFO]  agent.server.memberlist.lan: "
    "memberlist: Suspect messages are not ours\n"
    "2021-01-23T23:20:04.000Z [INFO]  agent: Marking nothing\n";

DEFINE_TEST(test_parse_consul_log_liveness)
{
	struct qs_run		*run;
	const struct qs_artifact *a;
	char			 buf[40];

	CHECK_DUMP(log_liveness,
	    "S peer-unreachable 10.0.0.2:8300 dial tcp 10.0.0.2:8300: connect: "
	    "connection refused L1 2016-03-03T12:00:01.000Z~\n"
	    "S peer-unreachable 10.0.0.3:8300 EOF L2 2016-03-03T12:00:02.000Z~\n"
	    "S peer-unreachable 10.0.0.2:8300 dial tcp 10.0.0.2:8300: connect: "
	    "connection refused L3 2021-01-23T23:20:00.100Z\n"
	    "S peer-unreachable 10.0.0.2:8300 dial tcp 10.0.0.2:8300: i/o "
	    "timeout L4 2021-01-23T23:20:00.200Z\n"
	    "S peer-unreachable node2.dc1 wan L5 2021-01-23T23:20:01.000Z\n"
	    "S peer-unreachable node2 - L6 2021-01-23T23:20:02.000Z\n");
	/* Every timed line bounds the log's time range, taken or not. */
	run = log_parse(log_liveness);
	a = run->artifacts.v[0];
	CHECK_STR(qs_time_format(&a->first_time, buf, sizeof(buf)),
	    "2016-03-03T12:00:01.000Z");
	CHECK_STR(qs_time_format(&a->last_time, buf, sizeof(buf)),
	    "2021-01-23T23:20:04.000Z");
	CHECK_INT(a->first_line, 1);
	CHECK_INT(a->last_line, 8);
	qs_run_free(run);
}

DEFINE_TEST(test_parse_consul_log_v1x)
{
	CHECK_DUMP(log_v1x,
	    "E config-change - initial L1 2018-05-01T10:00:00.000Z~\n"
	    "E join node1.dc1 - L3 2018-05-01T10:00:00.000Z~\n"
	    "E join node1 - L4 2018-05-01T10:00:00.000Z~\n"
	    "E election-start - heartbeat timeout L6 "
	    "2018-05-01T10:00:01.000Z~\n"
	    "E election-start - - L7 2018-05-01T10:00:01.000Z~ t=2\n"
	    "E leader-elected - - L10 2018-05-01T10:00:01.000Z~ t=2\n"
	    "E member-add b2 - L11 2018-05-01T10:00:01.000Z~\n"
	    "E leader-elected - - L12 2018-05-01T10:00:01.000Z~ t=2\n"
	    "E leader-elected node1 - L13 2018-05-01T10:00:01.000Z~\n"
	    "E config-change c3 AddStaging L14 2018-05-01T10:00:02.000Z~\n"
	    "E config-change b2 RemoveServer L15 2018-05-01T10:00:03.000Z~\n"
	    "E member-remove b2 - L16 2018-05-01T10:00:03.000Z~\n"
	    "E member-remove b2 by ID L17 2018-05-01T10:00:04.000Z~\n"
	    "E fail node2.dc1 wan L18 2018-05-01T10:00:04.000Z~\n"
	    "E member-remove node3 autopilot L19 2018-05-01T10:00:05.000Z~\n"
	    "E config-change - initial L22 2019-07-01T12:00:00.000Z~\n"
	    "E election-start - heartbeat timeout L24 "
	    "2019-07-01T12:00:01.000Z~\n"
	    "E election-start - - L25 2019-07-01T12:00:01.000Z~ t=7\n"
	    "E leader-elected - - L27 2019-07-01T12:00:01.000Z~ t=7\n"
	    "E leader-elected - - L28 2019-07-01T12:00:01.000Z~ t=7\n"
	    "E leader-lost - quorum lost L29 2019-07-01T12:00:02.000Z~\n"
	    "E leader-lost - new leader elected L31 "
	    "2019-07-01T12:00:03.000Z~\n"
	    "S vote-failed 10.0.0.2:8300 dial tcp 10.0.0.2:8300: connect: "
	    "connection refused L8 2018-05-01T10:00:01.000Z~\n"
	    "S node-id-conflict node6 a1b2c3d4-0000-4000-8000-00000000000a "
	    "L20 2018-05-01T10:00:07.000Z~\n"
	    "S no-leader - failed to sync remote state L21 "
	    "2018-05-01T10:00:08.000Z~\n"
	    "S quorum-contact-lost - - L29 2019-07-01T12:00:02.000Z~\n"
	    "S removed-self - shutting down L32 2019-07-01T12:00:04.000Z~\n"
	    "S no-peers - - L33 2019-07-01T12:00:05.000Z~\n"
	    "V raft configuration (log) L1 2018-05-01T10:00:00.000Z~ i=1 "
	    "[a1/10.0.0.1:8300/voter b2/10.0.0.2:8300/voter]\n"
	    "V raft configuration (log) L14 2018-05-01T10:00:02.000Z~ "
	    "[a1/10.0.0.1:8300/voter b2/10.0.0.2:8300/voter "
	    "c3/10.0.0.3:8300/non-voter]\n"
	    "V raft configuration (log) L15 2018-05-01T10:00:03.000Z~ "
	    "[a1/10.0.0.1:8300/voter c3/10.0.0.3:8300/voter]\n"
	    "V raft configuration (log) L22 2019-07-01T12:00:00.000Z~ i=0 "
	    "[]\n"
	    "I address 10.0.0.1:8300 raft - L2\n"
	    "I address 10.0.0.1 serf node1.dc1 L3\n"
	    "I address 10.0.0.1 serf node1 L4\n"
	    "I address 10.0.0.2 serf node2.dc1 L18\n"
	    "I address 10.0.0.5:8300 raft - L23\n");
}

/*
 * Consul >= 1.7: hclog text with raft >= 1.1.2 structured messages, the
 * new banner, quoted values, library prefixes inside messages, the WAN
 * pool by module, and a graceful leave.
 */
static const char log_hclog[] =
    "==> Starting Consul agent...\n"
    "           Version: 'v1.8.4'\n"
    "           Node ID: '3b5f1b0e-6a39-4c1e-9d51-0f3f0c6d1a01'\n"
    "         Node name: 'node1'\n"
    "        Datacenter: 'dc1' (Segment: '<all>')\n"
    "            Server: true (Bootstrap: false)\n"
    "       Client Addr: [127.0.0.1] (HTTP: 8500, HTTPS: -1, gRPC: -1, "
    "DNS: 8600)\n"
    "      Cluster Addr: 10.0.0.1 (LAN: 8301, WAN: 8302)\n"
    "           Encrypt: Gossip: false, TLS-Outgoing: false, TLS-Incoming: "
    "false, Auto-Encrypt-TLS: false\n"
    "\n"
    "==> Log data will now stream in as it occurs:\n"
    "\n"
    "2021-01-23T23:18:54.216Z [INFO]  agent.server.raft: initial "
    "configuration: index=0 servers=[]\n"
    "2021-01-23T23:18:54.217Z [INFO]  agent.server.raft: entering follower "
    "state: follower=\"Node at 10.0.0.1:8300 [Follower]\" leader=\n"
    "2021-01-23T23:18:54.218Z [INFO]  agent.server.serf.wan: serf: "
    "EventMemberJoin: node1.dc1 10.0.0.1\n"
    "2021-01-23T23:18:54.219Z [INFO]  agent.server.serf.lan: serf: "
    "EventMemberJoin: node1 10.0.0.1\n"
    "2021-01-23T23:18:54.220Z [INFO]  agent.server: Adding LAN server: "
    "server=\"node1 (Addr: tcp/10.0.0.1:8300) (DC: dc1)\"\n"
    "2021-01-23T23:18:54.221Z [INFO]  agent.server: Handled event for "
    "server in area: event=member-join server=node1.dc1 area=wan\n"
    "2021-01-23T23:18:54.300Z [INFO]  agent: started state syncer\n"
    "==> Consul agent running!\n"
    "2021-01-23T23:18:55.100Z [ERROR] agent.anti_entropy: failed to sync "
    "remote state: error=\"No cluster leader\"\n"
    "2021-01-23T23:18:56.000Z [INFO]  agent.server.serf.lan: serf: "
    "EventMemberJoin: node2 10.0.0.2\n"
    "2021-01-23T23:18:56.001Z [INFO]  agent.server: Found expected number "
    "of peers, attempting bootstrap: "
    "peers=10.0.0.1:8300,10.0.0.2:8300,10.0.0.3:8300\n"
    "2021-01-23T23:18:57.000Z [WARN]  agent.server.raft: heartbeat timeout "
    "reached, starting election: last-leader=\n"
    "2021-01-23T23:18:57.001Z [INFO]  agent.server.raft: entering candidate "
    "state: node=\"Node at 10.0.0.1:8300 [Candidate]\" term=2\n"
    "2021-01-23T23:18:57.010Z [ERROR] agent.server.raft: failed to make "
    "requestVote RPC: target=\"{Voter c3 10.0.0.3:8300}\" error=\"dial tcp "
    "10.0.0.3:8300: connect: connection refused\"\n"
    "2021-01-23T23:18:57.020Z [INFO]  agent.server.raft: election won: "
    "tally=2\n"
    "2021-01-23T23:18:57.021Z [INFO]  agent.server.raft: entering leader "
    "state: leader=\"Node at 10.0.0.1:8300 [Leader]\"\n"
    "2021-01-23T23:18:57.022Z [INFO]  agent.server.raft: added peer, "
    "starting replication: peer=b2\n"
    "2021-01-23T23:18:57.030Z [INFO]  agent.server: cluster leadership "
    "acquired\n"
    "2021-01-23T23:18:57.031Z [INFO]  agent.server: New leader elected: "
    "payload=node1\n"
    "2021-01-23T23:18:57.200Z [INFO]  agent.server: member joined, marking "
    "health alive: member=node2\n"
    "2021-01-23T23:18:57.300Z [INFO]  agent.server.raft: updating "
    "configuration: command=AddNonvoter server-id=d4 "
    "server-addr=10.0.0.4:8300 servers=\"[{Suffrage:Voter ID:a1 "
    "Address:10.0.0.1:8300} {Suffrage:Voter ID:b2 Address:10.0.0.2:8300} "
    "{Suffrage:Voter ID:c3 Address:10.0.0.3:8300} {Suffrage:Nonvoter ID:d4 "
    "Address:10.0.0.4:8300}]\"\n"
    "2021-01-23T23:20:00.000Z [INFO]  agent.server.memberlist.lan: "
    "memberlist: Suspect node3 has failed, no acks received\n"
    "2021-01-23T23:20:00.500Z [INFO]  agent.server.serf.lan: serf: "
    "EventMemberFailed: node3 10.0.0.3\n"
    "2021-01-23T23:20:00.501Z [INFO]  agent.server: Removing LAN server: "
    "server=\"node3 (Addr: tcp/10.0.0.3:8300) (DC: dc1)\"\n"
    "2021-01-23T23:20:00.502Z [INFO]  agent.server: member failed, marking "
    "health critical: member=node3\n"
    "2021-01-23T23:20:05.000Z [INFO]  agent.server.autopilot: Attempting "
    "removal of failed server node: id=c3 name=node3 address=10.0.0.3:8300\n"
    "2021-01-23T23:20:05.001Z [INFO]  agent.server.raft: updating "
    "configuration: command=RemoveServer server-id=c3 server-addr= "
    "servers=\"[{Suffrage:Voter ID:a1 Address:10.0.0.1:8300} "
    "{Suffrage:Voter ID:b2 Address:10.0.0.2:8300} {Suffrage:Nonvoter ID:d4 "
    "Address:10.0.0.4:8300}]\"\n"
    "2021-01-23T23:20:05.002Z [INFO]  agent.server.raft: removed peer, "
    "stopping replication: peer=c3 last-index=42\n"
    "2021-01-23T23:20:06.000Z [INFO]  agent.server.serf.lan: serf: "
    "EventMemberLeave: node2 10.0.0.2\n"
    "2021-01-23T23:20:06.001Z [INFO]  agent.server: deregistering member: "
    "member=node2 reason=left\n"
    "2021-01-23T23:20:06.002Z [INFO]  agent.server: removing server by ID: "
    "id=b2\n"
    "2021-01-23T23:20:10.000Z [INFO]  agent.server.serf.lan: serf: "
    "EventMemberReap: node3\n"
    "2021-01-23T23:20:10.001Z [INFO]  agent.server: deregistering member: "
    "member=node3 reason=reaped\n"
    "2021-01-23T23:20:20.000Z [WARN]  agent.server.raft: failed to contact: "
    "server-id=d4 time=2.500128s\n"
    "2021-01-23T23:20:20.001Z [WARN]  agent.server.raft: failed to contact "
    "quorum of nodes, stepping down\n"
    "2021-01-23T23:20:20.002Z [INFO]  agent.server.raft: entering follower "
    "state: follower=\"Node at 10.0.0.1:8300 [Follower]\" "
    "leader-address= leader-id=\n"
    "2021-01-23T23:20:20.003Z [INFO]  agent.server: cluster leadership "
    "lost\n"
    "2021-01-23T23:20:21.000Z [WARN]  agent.server.raft: heartbeat timeout "
    "reached, starting election: last-leader-addr= last-leader-id=\n"
    "2021-01-23T23:20:21.001Z [INFO]  agent.server.raft: entering candidate "
    "state: node=\"Node at 10.0.0.1:8300 [Candidate]\" term=3\n"
    "2021-01-23T23:20:22.000Z [ERROR] agent.server.raft: failed to make "
    "requestVote RPC: target=\"{Voter b2 10.0.0.2:8300}\" error=EOF "
    "term=3\n"
    "2021-01-23T23:20:23.000Z [INFO]  agent.server.raft: election won: "
    "term=3 tally=2\n"
    "2021-01-23T23:20:23.001Z [INFO]  agent.server.raft: entering leader "
    "state: leader=\"Node at 10.0.0.1:8300 [Leader]\"\n"
    "2021-01-23T23:20:25.000Z [ERROR] agent: Coordinate update error: "
    "error=\"No cluster leader\"\n"
    "2021-01-23T23:20:26.000Z [INFO]  agent.server.raft: new leader "
    "elected, stepping down\n"
    "2021-01-23T23:20:30.000Z [INFO]  agent.server.raft: removed ourself, "
    "transitioning to follower\n"
    "2021-01-23T23:20:31.000Z [WARN]  agent.server.raft: not part of "
    "stable configuration, aborting election\n"
    "2021-01-23T23:20:31.500Z [WARN]  agent.server.raft: no known peers, "
    "aborting election\n"
    "2021-01-23T23:20:32.000Z [WARN]  agent.server.memberlist.lan: "
    "memberlist: failed to receive: No installed keys could decrypt the "
    "message from=10.0.0.9:8301\n"
    "2021-01-23T23:20:33.000Z [ERROR] agent.server: Two nodes are in "
    "bootstrap mode. Only one node should be in bootstrap mode, not adding "
    "Raft peer.: node_to_add=node5 other=node1\n"
    "2021-01-23T23:20:34.000Z [INFO]  agent.server: Existing Raft peers "
    "reported by server, disabling bootstrap mode: server=node2\n"
    "2021-01-23T23:20:34.100Z [INFO]  agent.server: disabling bootstrap "
    "mode because existing Raft peers being reported by peer: "
    "peer_name=node3 peer_address=10.0.0.3:8300\n"
    "2021-01-23T23:20:34.200Z [INFO]  agent.server: found peers.json file, "
    "recovering Raft configuration...\n"
    "2021-01-23T23:20:34.300Z [INFO]  agent.server: deleted peers.json "
    "file after successful recovery\n"
    "2021-01-23T23:20:35.000Z [INFO]  agent.server.serf.wan: serf: "
    "EventMemberJoin: node9.dc2 10.1.0.9\n"
    "2021-01-23T23:20:35.500Z [INFO]  agent.server.serf.lan: serf: "
    "EventMemberUpdate: node2\n"
    "2021-01-23T23:20:35.600Z [INFO]  agent.server.serf.lan: serf: "
    "EventMemberReap (forced): node7 10.0.0.7\n"
    "2021-01-23T23:20:36.000Z [WARN]  agent: (LAN) couldn't join: "
    "number_of_nodes=0\n"
    "  error=\n"
    "  | 1 error occurred:\n"
    "  | \t* Failed to join 10.0.0.6: Member 'node6' has conflicting node "
    "ID '3b5f1b0e-6a39-4c1e-9d51-0f3f0c6d1a01' with member 'node1'\n"
    "  | \n"
    "  \n"
    "2021-01-23T23:21:00.000Z [INFO]  agent: Caught: signal=interrupt\n"
    "2021-01-23T23:21:00.001Z [INFO]  agent: Gracefully shutting down "
    "agent...\n"
    "2021-01-23T23:21:00.002Z [INFO]  agent.server: server starting leave\n"
    "2021-01-23T23:21:00.003Z [INFO]  agent.server.serf.wan: serf: "
    "EventMemberLeave: node1.dc1 10.0.0.1\n"
    "2021-01-23T23:21:00.004Z [INFO]  agent.server.serf.lan: serf: "
    "EventMemberLeave: node1 10.0.0.1\n"
    "2021-01-23T23:21:01.000Z [INFO]  agent: Graceful leave complete\n"
    "2021-01-23T23:21:01.001Z [INFO]  agent: Requesting shutdown\n"
    "2021-01-23T23:21:01.002Z [INFO]  agent.server: shutting down server\n"
    "2021-01-23T23:21:01.004Z [INFO]  agent: shutdown complete\n"
    "2021-01-23T23:21:01.006Z [INFO]  agent: Exit code: code=0\n";

/* The agent command's "Error starting agent" exits: a stop with why. */
DEFINE_TEST(test_parse_consul_log_start_error)
{
	CHECK_DUMP("==> Starting Consul agent...\n"
	    "==> Error starting agent: Failed to start Consul server: Failed "
	    "to start Raft: permission denied\n",
	    "E start - - L1 -\n"
	    "E stop - exited: Failed to start Consul server: Failed to start "
	    "Raft: permission denied L2 -\n");
}

DEFINE_TEST(test_parse_consul_log_hclog)
{
	CHECK_DUMP(log_hclog,
	    "E start - - L1 2021-01-23T23:18:54.216Z\n"
	    "E config-change - initial L13 2021-01-23T23:18:54.216Z\n"
	    "E join node1.dc1 wan L15 2021-01-23T23:18:54.218Z\n"
	    "E join node1 - L16 2021-01-23T23:18:54.219Z\n"
	    "E join node2 - L22 2021-01-23T23:18:56.000Z\n"
	    "E bootstrap - 10.0.0.1:8300,10.0.0.2:8300,10.0.0.3:8300 L23 "
	    "2021-01-23T23:18:56.001Z\n"
	    "E election-start - heartbeat timeout L24 "
	    "2021-01-23T23:18:57.000Z\n"
	    "E election-start - - L25 2021-01-23T23:18:57.001Z t=2\n"
	    "E leader-elected - - L28 2021-01-23T23:18:57.021Z t=2\n"
	    "E member-add b2 - L29 2021-01-23T23:18:57.022Z\n"
	    "E leader-elected - - L30 2021-01-23T23:18:57.030Z t=2\n"
	    "E leader-elected node1 - L31 2021-01-23T23:18:57.031Z\n"
	    "E join node2 health alive L32 2021-01-23T23:18:57.200Z\n"
	    "E config-change d4 AddNonvoter L33 2021-01-23T23:18:57.300Z\n"
	    "E fail node3 - L35 2021-01-23T23:20:00.500Z\n"
	    "E fail node3 health critical L37 2021-01-23T23:20:00.502Z\n"
	    "E member-remove node3 autopilot L38 2021-01-23T23:20:05.000Z\n"
	    "E config-change c3 RemoveServer L39 2021-01-23T23:20:05.001Z\n"
	    "E member-remove c3 - L40 2021-01-23T23:20:05.002Z\n"
	    "E leave node2 - L41 2021-01-23T23:20:06.000Z\n"
	    "E leave node2 deregistered L42 2021-01-23T23:20:06.001Z\n"
	    "E member-remove b2 by ID L43 2021-01-23T23:20:06.002Z\n"
	    "E reap node3 - L44 2021-01-23T23:20:10.000Z\n"
	    "E reap node3 deregistered L45 2021-01-23T23:20:10.001Z\n"
	    "E leader-lost - quorum lost L47 2021-01-23T23:20:20.001Z\n"
	    "E leader-lost - - L49 2021-01-23T23:20:20.003Z\n"
	    "E election-start - heartbeat timeout L50 "
	    "2021-01-23T23:20:21.000Z\n"
	    "E election-start - - L51 2021-01-23T23:20:21.001Z t=3\n"
	    "E leader-elected - - L54 2021-01-23T23:20:23.001Z t=3\n"
	    "E leader-lost - new leader elected L56 "
	    "2021-01-23T23:20:26.000Z\n"
	    "E join node9.dc2 wan L66 2021-01-23T23:20:35.000Z\n"
	    "E update node2 - L67 2021-01-23T23:20:35.500Z\n"
	    "E reap node7 forced L68 2021-01-23T23:20:35.600Z\n"
	    "E leave node1.dc1 wan L78 2021-01-23T23:21:00.003Z\n"
	    "E leave node1 - L79 2021-01-23T23:21:00.004Z\n"
	    "E stop - interrupt L81 2021-01-23T23:21:01.001Z\n"
	    "S no-leader - failed to sync remote state L21 "
	    "2021-01-23T23:18:55.100Z\n"
	    "S vote-failed 10.0.0.3:8300 dial tcp 10.0.0.3:8300: connect: "
	    "connection refused L26 2021-01-23T23:18:57.010Z\n"
	    "S peer-unreachable node3 - L34 2021-01-23T23:20:00.000Z\n"
	    "S quorum-contact-lost - - L47 2021-01-23T23:20:20.001Z\n"
	    "S vote-failed 10.0.0.2:8300 EOF L52 2021-01-23T23:20:22.000Z "
	    "t=3\n"
	    "S no-leader - Coordinate update error L55 "
	    "2021-01-23T23:20:25.000Z\n"
	    "S removed-self - transitioning to follower L57 "
	    "2021-01-23T23:20:30.000Z\n"
	    "S no-peers - not in configuration L58 2021-01-23T23:20:31.000Z\n"
	    "S no-peers - - L59 2021-01-23T23:20:31.500Z\n"
	    "S gossip-key-mismatch 10.0.0.9:8301 - L60 "
	    "2021-01-23T23:20:32.000Z\n"
	    "S dual-bootstrap node5 node1 L61 2021-01-23T23:20:33.000Z\n"
	    "S bootstrap-skipped node2 existing peers L62 "
	    "2021-01-23T23:20:34.000Z\n"
	    "S bootstrap-skipped node3 existing peers L63 "
	    "2021-01-23T23:20:34.100Z\n"
	    "S peers-recovery - recovering L64 2021-01-23T23:20:34.200Z\n"
	    "S peers-recovery - recovered L65 2021-01-23T23:20:34.300Z\n"
	    "S node-id-conflict node6 3b5f1b0e-6a39-4c1e-9d51-0f3f0c6d1a01 "
	    "L72 2021-01-23T23:20:36.000Z\n"
	    "S graceful-leave - shutting down L76 2021-01-23T23:21:00.001Z\n"
	    "S graceful-leave - serf leave L78 2021-01-23T23:21:00.003Z\n"
	    "S graceful-leave - serf leave L79 2021-01-23T23:21:00.004Z\n"
	    "S graceful-leave - complete L80 2021-01-23T23:21:01.000Z\n"
	    "V raft configuration (log) L13 2021-01-23T23:18:54.216Z i=0 []\n"
	    "V raft configuration (log) L33 2021-01-23T23:18:57.300Z "
	    "[a1/10.0.0.1:8300/voter b2/10.0.0.2:8300/voter "
	    "c3/10.0.0.3:8300/voter d4/10.0.0.4:8300/non-voter]\n"
	    "V raft configuration (log) L39 2021-01-23T23:20:05.001Z "
	    "[a1/10.0.0.1:8300/voter b2/10.0.0.2:8300/voter "
	    "d4/10.0.0.4:8300/non-voter]\n"
	    "K version=v1.8.4 L2\n"
	    "K datacenter=dc1 L5\n"
	    "K server=true L6\n"
	    "K bootstrap=false L6\n"
	    "I consul_node_id 3b5f1b0e-6a39-4c1e-9d51-0f3f0c6d1a01 - - L3\n"
	    "I name node1 - - L4\n"
	    "I address 10.0.0.1:8301 serf_lan - L8\n"
	    "I address 10.0.0.1:8302 serf_wan - L8\n"
	    "I address 10.0.0.1:8300 raft - L14\n"
	    "I address 10.0.0.1 serf node1.dc1 L15\n"
	    "I address 10.0.0.1 serf node1 L16\n"
	    "I address 10.0.0.2 serf node2 L22\n"
	    "I address 10.0.0.3 serf node3 L35\n"
	    "I address 10.0.0.2 serf node2 L41\n"
	    "I address 10.1.0.9 serf node9.dc2 L66\n"
	    "I address 10.0.0.7 serf node7 L68\n"
	    "I address 10.0.0.1 serf node1.dc1 L78\n"
	    "I address 10.0.0.1 serf node1 L79\n");
}

/*
 * hclog JSON (log_json = true): go-hclog's encoder sorts keys, renders
 * *raft.Raft as {} (so no "Node at" address) and a raft.Server target as
 * an object; serf's standard-logger lines keep "serf: " in @message.  The
 * last term does not fit a double and must come from the digits.
 */
static const char log_json[] =
    "{\"@level\":\"info\",\"@message\":\"initial configuration\","
    "\"@module\":\"agent.server.raft\",\"@timestamp\":"
    "\"2021-01-23T23:18:54.216139Z\",\"index\":1,\"servers\":"
    "\"[{Suffrage:Voter ID:a1 Address:10.0.0.1:8300}]\"}\n"
    "{\"@level\":\"info\",\"@message\":\"entering follower state\","
    "\"@module\":\"agent.server.raft\",\"@timestamp\":"
    "\"2021-01-23T23:18:54.217001Z\",\"follower\":{},\"leader\":\"\"}\n"
    "{\"@level\":\"info\",\"@message\":\"serf: EventMemberJoin: node2 "
    "10.0.0.2\",\"@module\":\"agent.server.serf.lan\",\"@timestamp\":"
    "\"2021-01-23T23:18:55.000000Z\"}\n"
    "{\"@level\":\"info\",\"@message\":\"serf: EventMemberJoin: node2.dc1 "
    "10.0.0.2\",\"@module\":\"agent.server.serf.wan\",\"@timestamp\":"
    "\"2021-01-23T23:18:55.000100Z\"}\n"
    "{\"@level\":\"warn\",\"@message\":\"heartbeat timeout reached, "
    "starting election\",\"@module\":\"agent.server.raft\",\"@timestamp\":"
    "\"2021-01-23T23:18:56.000000Z\",\"last-leader\":\"\"}\n"
    "{\"@level\":\"info\",\"@message\":\"entering candidate state\","
    "\"@module\":\"agent.server.raft\",\"@timestamp\":"
    "\"2021-01-23T23:18:56.000200Z\",\"node\":{},\"term\":2}\n"
    "{\"@level\":\"error\",\"@message\":\"failed to make requestVote RPC\","
    "\"@module\":\"agent.server.raft\",\"@timestamp\":"
    "\"2021-01-23T23:18:56.010000Z\",\"error\":\"dial tcp 10.0.0.2:8300: "
    "connect: connection refused\",\"target\":{\"Suffrage\":0,\"ID\":"
    "\"b2\",\"Address\":\"10.0.0.2:8300\"}}\n"
    "{\"@level\":\"info\",\"@message\":\"election won\",\"@module\":"
    "\"agent.server.raft\",\"@timestamp\":\"2021-01-23T23:18:56.020000Z\","
    "\"tally\":1}\n"
    "{\"@level\":\"info\",\"@message\":\"entering leader state\","
    "\"@module\":\"agent.server.raft\",\"@timestamp\":"
    "\"2021-01-23T23:18:56.021000Z\",\"leader\":{}}\n"
    "{\"@level\":\"info\",\"@message\":\"cluster leadership acquired\","
    "\"@module\":\"agent.server\",\"@timestamp\":"
    "\"2021-01-23T23:18:56.030000Z\"}\n"
    "{\"@level\":\"info\",\"@message\":\"updating configuration\","
    "\"@module\":\"agent.server.raft\",\"@timestamp\":"
    "\"2021-01-23T23:18:57.000000Z\",\"command\":\"AddStaging\","
    "\"server-addr\":\"10.0.0.2:8300\",\"server-id\":\"b2\",\"servers\":"
    "\"[{Suffrage:Voter ID:a1 Address:10.0.0.1:8300} {Suffrage:Voter ID:b2 "
    "Address:10.0.0.2:8300}]\"}\n"
    "{\"@level\":\"info\",\"@message\":\"added peer, starting "
    "replication\",\"@module\":\"agent.server.raft\",\"@timestamp\":"
    "\"2021-01-23T23:18:57.000100Z\",\"peer\":\"b2\"}\n"
    "{\"@level\":\"error\",\"@message\":\"Coordinate update error\","
    "\"@module\":\"agent\",\"@timestamp\":\"2021-01-23T23:19:00.000000Z\","
    "\"error\":\"No cluster leader\"}\n"
    "{\"@level\":\"info\",\"@message\":\"deregistering member\","
    "\"@module\":\"agent.server\",\"@timestamp\":"
    "\"2021-01-23T23:19:01.000000Z\",\"member\":\"node3\",\"reason\":"
    "\"reaped\"}\n"
    "{\"@level\":\"info\",\"@message\":\"New leader elected\",\"@module\":"
    "\"agent.server\",\"@timestamp\":\"2021-01-23T23:19:02.000000Z\","
    "\"payload\":\"node2\"}\n"
    "{\"@level\":\"warn\",\"@message\":\"(LAN) couldn't join\",\"@module\":"
    "\"agent\",\"@timestamp\":\"2021-01-23T23:19:03.000000Z\",\"error\":"
    "\"1 error occurred:\\n\\t* Failed to join 10.0.0.6: Member 'node6' "
    "has conflicting node ID 'x-1' with member 'node1'\\n\\n\","
    "\"number_of_nodes\":0}\n"
    "{\"@level\":\"info\",\"@message\":\"entering candidate state\","
    "\"@module\":\"agent.server.raft\",\"@timestamp\":"
    "\"2021-01-23T23:19:04.000000Z\",\"node\":{},\"term\":"
    "18446744073709551615}\n"
    "{\"@level\":\"info\",\"@message\":\"Caught\",\"@module\":\"agent\","
    "\"@timestamp\":\"2021-01-23T23:19:05.000000Z\",\"signal\":"
    "\"terminated\"}\n"
    "{\"@level\":\"info\",\"@message\":\"Requesting shutdown\",\"@module\":"
    "\"agent\",\"@timestamp\":\"2021-01-23T23:19:05.100000Z\"}\n";

DEFINE_TEST(test_parse_consul_log_json)
{
	CHECK_DUMP(log_json,
	    "E config-change - initial L1 2021-01-23T23:18:54.216Z\n"
	    "E join node2 - L3 2021-01-23T23:18:55.000Z\n"
	    "E join node2.dc1 wan L4 2021-01-23T23:18:55.000Z\n"
	    "E election-start - heartbeat timeout L5 "
	    "2021-01-23T23:18:56.000Z\n"
	    "E election-start - - L6 2021-01-23T23:18:56.000Z t=2\n"
	    "E leader-elected - - L9 2021-01-23T23:18:56.021Z t=2\n"
	    "E leader-elected - - L10 2021-01-23T23:18:56.030Z t=2\n"
	    "E config-change b2 AddStaging L11 2021-01-23T23:18:57.000Z\n"
	    "E member-add b2 - L12 2021-01-23T23:18:57.000Z\n"
	    "E reap node3 deregistered L14 2021-01-23T23:19:01.000Z\n"
	    "E leader-elected node2 - L15 2021-01-23T23:19:02.000Z\n"
	    "E election-start - - L17 2021-01-23T23:19:04.000Z "
	    "t=18446744073709551615\n"
	    "E stop - terminated L19 2021-01-23T23:19:05.100Z\n"
	    "S vote-failed 10.0.0.2:8300 dial tcp 10.0.0.2:8300: connect: "
	    "connection refused L7 2021-01-23T23:18:56.010Z\n"
	    "S no-leader - Coordinate update error L13 "
	    "2021-01-23T23:19:00.000Z\n"
	    "S node-id-conflict node6 x-1 L16 2021-01-23T23:19:03.000Z\n"
	    "V raft configuration (log) L1 2021-01-23T23:18:54.216Z i=1 "
	    "[a1/10.0.0.1:8300/voter]\n"
	    "V raft configuration (log) L11 2021-01-23T23:18:57.000Z "
	    "[a1/10.0.0.1:8300/voter b2/10.0.0.2:8300/voter]\n"
	    "I address 10.0.0.2 serf node2 L3\n"
	    "I address 10.0.0.2 serf node2.dc1 L4\n");
}

/*
 * Wrappers: syslog priority, BSD syslog/journald (its time has no year and
 * is dropped: banner lines there have no time), journald short-iso (its
 * time is kept for untimed lines), docker -t and CRI stamps, docker
 * json-file objects.  An inner timestamp always wins.
 */
static const char log_wrapped[] =
    "Aug 10 21:37:11 host1 consul[123]: ==> Starting Consul agent...\n"
    "Aug 10 21:37:11 host1 consul[123]:          Node name: 'node1'\n"
    "Aug  9 21:37:12 host1 consul[123]:     2016/08/10 21:37:12 [INFO] "
    "serf: EventMemberJoin: node1 10.0.0.1\n"
    "<30>Aug 10 21:37:13.123456 host1 consul: 2021-08-10T21:37:13.500Z "
    "[INFO]  agent.server.serf.lan: serf: EventMemberJoin: node2 "
    "10.0.0.2\n"
    "2021-08-10T21:37:14+0000 host1 consul[123]: ==> Consul agent "
    "running!\n"
    "2021-08-10T21:37:15.123456789Z 2021-08-10T21:37:15.000Z [INFO]  "
    "agent.server: cluster leadership acquired\n"
    "2021-08-10T21:37:16.000000001Z stderr F 2021-08-10T21:37:16.000Z "
    "[INFO]  agent.server: cluster leadership lost\n"
    "2021-08-10T21:37:17.5Z ==> Caught signal: terminated\n"
    "{\"log\":\"2021-08-10T21:37:18.000Z [INFO]  agent: Requesting "
    "shutdown\\n\",\"stream\":\"stderr\",\"time\":"
    "\"2021-08-10T21:37:18.100Z\"}\n"
    "{\"log\":\"==> Starting Consul agent...\\n\",\"stream\":\"stdout\","
    "\"time\":\"2021-08-10T21:37:19.100Z\"}\n"
    "{\"log\":\"{\\\"@level\\\":\\\"info\\\",\\\"@message\\\":\\\"cluster "
    "leadership acquired\\\",\\\"@module\\\":\\\"agent.server\\\","
    "\\\"@timestamp\\\":\\\"2021-08-10T21:37:20.000000Z\\\"}\\n\","
    "\"stream\":\"stderr\",\"time\":\"2021-08-10T21:37:20.100Z\"}\n";

DEFINE_TEST(test_parse_consul_log_wrapped)
{
	CHECK_DUMP(log_wrapped,
	    "E start - - L1 2016-08-10T21:37:12.000Z~\n"
	    "E join node1 - L3 2016-08-10T21:37:12.000Z~\n"
	    "E join node2 - L4 2021-08-10T21:37:13.500Z\n"
	    "E leader-elected - - L6 2021-08-10T21:37:15.000Z\n"
	    "E leader-lost - - L7 2021-08-10T21:37:16.000Z\n"
	    "E stop - terminated L9 2021-08-10T21:37:18.000Z\n"
	    "E start - - L10 2021-08-10T21:37:19.100Z\n"
	    "E leader-elected - - L11 2021-08-10T21:37:20.000Z\n"
	    "I name node1 - - L2\n"
	    "I address 10.0.0.1 serf node1 L3\n"
	    "I address 10.0.0.2 serf node2 L4\n");
}

/*
 * The agent writing to syslog itself (Consul 0.x -syslog, a unit's
 * stdout in the journal): no time of its own, at most a level; a year
 * from the wrapper dates it, none leaves it untimed.  Compose frames.
 */
static const char log_syslog_untimed[] =
    "Mar  3 10:12:01 infra-7 consul[4411]: raft: Node at 10.0.0.7:8300 "
    "[Follower] entering Follower state (Leader: \"\")\n"
    "Mar  3 10:12:03 infra-7 consul[4411]: raft: Heartbeat timeout "
    "reached, starting election\n"
    "<30>Mar  3 2024 10:12:04 infra-7 consul[4411]: [INFO] consul: "
    "cluster leadership acquired\n"
    "web-consul-1  | 2024-03-03T10:12:05.004Z [INFO]  agent.server: "
    "cluster leadership lost\n";

DEFINE_TEST(test_parse_consul_log_syslog_untimed)
{
	CHECK_DUMP(log_syslog_untimed,
	    "E election-start - heartbeat timeout L2 -\n"
	    "E leader-elected - - L3 2024-03-03T10:12:04.000Z~\n"
	    "E leader-lost - - L4 2024-03-03T10:12:05.004Z\n"
	    "I address 10.0.0.7:8300 raft - L1\n");
}

/* Nothing Consul in it: one warning, artifact partial, nothing emitted. */
DEFINE_TEST(test_parse_consul_log_not_consul)
{
	struct qs_run	*run;

	run = log_parse("hello world\nthis is not a consul log\n"
	    "2021-01-01 something else\n\x01\x02\xff\n");
	CHECK_INT(run->events.n + run->signals.n + run->views.n +
	    run->settings.n + run->identities.n, 0);
	CHECK_INT(run->diags.n, 1);
	CHECK(qs_test_has_diag(run, "no line is in a known Consul log format"));
	CHECK_INT(((struct qs_artifact *)run->artifacts.v[0])->status,
	    QS_STATUS_PARTIAL);
	qs_run_free(run);

	/* An empty log is not damage. */
	run = log_parse("");
	CHECK_INT(run->diags.n, 0);
	CHECK_INT(((struct qs_artifact *)run->artifacts.v[0])->status,
	    QS_STATUS_PARSED);
	qs_run_free(run);
	run = log_parse("\n  \n\t\n");
	CHECK_INT(run->diags.n, 0);
	qs_run_free(run);
}

/* A JSON log torn in its last line: the rest is read, one warning. */
DEFINE_TEST(test_parse_consul_log_torn_json)
{
	struct qs_run	*run;

	run = log_parse("{\"@level\":\"info\",\"@message\":\"cluster "
	    "leadership acquired\",\"@module\":\"agent.server\",\"@timestamp\":"
	    "\"2021-01-23T23:18:56.030000Z\"}\n"
	    "{\"@level\":\"info\",\"@message\":\"cluster leadership lo");
	CHECK_INT(run->events.n, 1);
	CHECK_INT(run->diags.n, 1);
	CHECK(qs_test_has_diag(run, "line 2: 1 hclog JSON line(s) could not "
	    "be parsed"));
	CHECK_INT(((struct qs_artifact *)run->artifacts.v[0])->status,
	    QS_STATUS_PARTIAL);
	qs_run_free(run);
}

/*
 * Damaged and hostile lines: torn text lines, bad dates, empty fields,
 * unbalanced quotes and braces, a 70 KiB line.  Nothing crashes, what can
 * be read is, the cut line is reported.
 */
DEFINE_TEST(test_parse_consul_log_damaged)
{
	struct qs_run	*run;
	char		*big, *p;
	size_t		 n = 70 * 1024;

	CHECK_DUMP_DIAG(
	    "2016/03/03 12:00:00 [INFO] serf: EventMemberJoin: \n"
	    "2016/03/03 12:00:00 [INFO] serf: EventMemberJoin:\n"
	    "2016/13/45 12:00:00 [INFO] serf: EventMemberJoin: a 10.0.0.1\n"
	    "2016/03/03 12:00:0\n"
	    "2021-01-23T23:18:54.216Z [INFO]  agent.server.raft: updating "
	    "configuration: command=AddVoter servers=\"[{Suffrage:Voter ID:a "
	    "Address:b} {Suffrage:\"\n"
	    "2021-01-23T23:18:54.216Z [INFO]  agent.server.raft: initial "
	    "configuration: index=99999999999999999999999 servers=\"[{{{\"\n"
	    "2021-01-23T23:18:54.216Z [ERROR] agent.server.raft: failed to "
	    "make requestVote RPC: target=\"{Voter\" error=\n"
	    "2021-01-23T23:18:54.216Z [ERROR] agent.server.raft: failed to "
	    "make requestVote RPC: target=\n"
	    "2016/03/03 12:00:00 [ERR] raft: Failed to make RequestVote RPC to "
	    "{Voter x\n"
	    "2016/03/03 12:00:00 [INFO] consul: member '\n"
	    "2016/03/03 12:00:00 [INFO] consul: member 'x\n"
	    "2016/03/03 12:00:00 [WARN] serf: Name conflict for 'x\n"
	    "2016/03/03 12:00:00 [INFO] raft: Node at \n"
	    "2016/03/03 12:00:00 [INFO] consul: New leader elected:\n"
	    "2021-01-23T23:18:54.216Z [INFO]  agent.server: New leader "
	    "elected: payload=\n"
	    "2021-01-23T23:18:54.216Z [INFO]  agent.server.raft: entering "
	    "candidate state: node=\"Node at \" term=-1\n"
	    "          Cluster Addr: ::1 (LAN: 99999, WAN: 8302)\n",
	    "E config-change - AddVoter L5 2021-01-23T23:18:54.216Z\n"
	    "E config-change - initial L6 2021-01-23T23:18:54.216Z\n"
	    "E election-start - - L16 2021-01-23T23:18:54.216Z\n"
	    "S vote-failed - - L7 2021-01-23T23:18:54.216Z\n"
	    "S vote-failed - - L8 2021-01-23T23:18:54.216Z\n"
	    "S vote-failed - - L9 2016-03-03T12:00:00.000Z~\n"
	    "I address [::1]:8302 serf_wan - L17\n",
	    "line 5: 2 raft configuration(s) could not be read");

	big = qs_xmalloc(n + 200);
	p = big;
	p += sprintf(p, "2016/03/03 12:00:00 [INFO] serf: EventMemberJoin: ");
	memset(p, 'x', n);
	p += n;
	p += sprintf(p, " 10.0.0.1\n2016/03/03 12:00:01 [INFO] consul: cluster "
	    "leadership acquired\n");
	run = log_parse(big);
	CHECK_INT(run->events.n, 2);
	CHECK(run->events.n == 2 && strlen(((struct qs_event *)
	    run->events.v[0])->subject) == 256);
	CHECK(qs_test_has_diag(run, "line 1: 1 line(s) longer than 65536 "
	    "bytes were cut"));
	qs_run_free(run);
	free(big);
}

/* A log that would give more than a million observations stops there. */
DEFINE_TEST(test_parse_consul_log_cap)
{
	static const char	 one[] = "==> Starting Consul agent...\n";
	struct qs_run		*run;
	size_t			 i, n = 1000001, len = sizeof(one) - 1;
	char			*big;

	big = qs_xmalloc(n * len + 1);
	for (i = 0; i < n; i++)
		memcpy(big + i * len, one, len);
	big[n * len] = '\0';
	run = log_parse(big);
	CHECK_INT(run->events.n, 1000000);
	CHECK_INT(run->diags.n, 1);
	CHECK(qs_test_has_diag(run, "line 1000001: more than 1000000 "
	    "observations; the rest of the log is not read"));
	qs_run_free(run);
	free(big);
}

/*
 * A row whose handler finds nothing lets later rows try: "Member '...'
 * has conflicting node ID" starts like a reconcile line ("member '...'")
 * yet is a node-ID conflict.  A hangup only reloads: the stop after it
 * names no signal.  Newer raft's non-voter heartbeat timeout starts no
 * election.
 */
DEFINE_TEST(test_parse_consul_log_fallthrough)
{
	CHECK_DUMP(
	    "2021-01-23T23:18:54.216Z [WARN]  agent.server.memberlist.lan: "
	    "memberlist: ignoring alive message for 'node6': Member 'node6' "
	    "has conflicting node ID 'x-2' with member 'node7'\n"
	    "2016/03/03 12:00:00 [WARN] consul: Member 'node8' has conflicting "
	    "node ID 'x-3' with member 'node9'\n"
	    "2021-01-23T23:18:55.000Z [WARN]  agent.server.raft: heartbeat "
	    "timeout reached, not part of a stable configuration or a "
	    "non-voter, not triggering a leader election\n"
	    "2021-01-23T23:18:56.000Z [INFO]  agent: Caught: signal=hangup\n"
	    "2021-01-23T23:18:57.000Z [INFO]  agent: Caught\n"
	    "2021-01-23T23:18:58.000Z [INFO]  agent: Requesting shutdown\n",
	    "E stop - - L6 2021-01-23T23:18:58.000Z\n"
	    "S node-id-conflict node6 x-2 L1 2021-01-23T23:18:54.216Z\n"
	    "S node-id-conflict node8 x-3 L2 2016-03-03T12:00:00.000Z~\n"
	    "S no-peers - not in configuration L3 2021-01-23T23:18:55.000Z\n");
}

/*
 * Shapes seen in the generated bundles (testdata/bundles/consul-*): a
 * banner-less Go log whose first serf events pair "node1" with
 * "node1.dc1" at one address (the WAN pool, and the datacenter, before
 * any "DC:" line), and bootstrap_expect giving up on a member with
 * another expect value, as Go %v inline, hclog member= and JSON object.
 */
DEFINE_TEST(test_parse_consul_log_bootstrap_expect)
{
	CHECK_DUMP(
	    "2026/11/22 06:26:01 [INFO] serf: EventMemberJoin: node1 "
	    "127.0.0.21\n"
	    "2026/11/22 06:26:01 [INFO] serf: EventMemberJoin: node1.dc1 "
	    "127.0.0.21\n"
	    "2026/11/22 06:26:01 [INFO] serf: EventMemberJoin: node2.dc1 "
	    "127.0.0.22\n"
	    "2026/11/22 06:26:02 [ERR] consul: Member {node3 127.0.0.23 18301 "
	    "map[dc:dc1 expect:5 role:consul vsn:2] alive 1 3 2 2 4 4} has a "
	    "conflicting expect value. All nodes should expect the same "
	    "number.\n"
	    "2026/11/22 06:26:02 [ERR] consul: Member {node4 127.0.0.24 18301 "
	    "map[bootstrap:1 dc:dc1 role:consul] alive 1 3 2 2 4 4} has "
	    "bootstrap mode. Expect disabled.\n"
	    "2026-11-22T06:26:59.896Z [ERROR] agent.server: Member has a "
	    "conflicting expect value. All nodes should expect the same "
	    "number.: member=\"{consul3 127.0.0.13 18301 map[build:1.8.4 "
	    "dc:dc1 expect:5 port:18300 role:consul segment: vsn:2] alive 1 5 "
	    "2 2 5 4}\"\n"
	    "{\"@level\":\"error\",\"@message\":\"Member has a conflicting "
	    "expect value. All nodes should expect the same number.\","
	    "\"@module\":\"agent.server\",\"@timestamp\":"
	    "\"2026-11-22T06:26:59.897264Z\",\"member\":{\"Name\":\"consul1\","
	    "\"Addr\":\"127.0.0.11\",\"Port\":18301,\"Tags\":{\"dc\":\"dc1\","
	    "\"expect\":\"3\",\"role\":\"consul\"},\"Status\":1}}\n",
	    "E join node1 - L1 2026-11-22T06:26:01.000Z~\n"
	    "E join node1.dc1 wan L2 2026-11-22T06:26:01.000Z~\n"
	    "E join node2.dc1 wan L3 2026-11-22T06:26:01.000Z~\n"
	    "S bootstrap-skipped node3 expect mismatch: member expects 5 L4 "
	    "2026-11-22T06:26:02.000Z~\n"
	    "S bootstrap-skipped node4 member in bootstrap mode L5 "
	    "2026-11-22T06:26:02.000Z~\n"
	    "S bootstrap-skipped consul3 expect mismatch: member expects 5 L6 "
	    "2026-11-22T06:26:59.896Z\n"
	    "S bootstrap-skipped consul1 expect mismatch: member expects 3 L7 "
	    "2026-11-22T06:26:59.897Z\n"
	    "I address 127.0.0.21 serf node1 L1\n"
	    "I address 127.0.0.21 serf node1.dc1 L2\n"
	    "I address 127.0.0.22 serf node2.dc1 L3\n");
}

/*
 * The generated bundles (testdata/bundles/consul-*.tar.gz: real raft 1.1.2,
 * serf 0.9.4 and memberlist output, Consul lines imitated), read through
 * the bundle reader.  Each row bounds how many observations of one kind a
 * node's consul.log gives ("*": every node); bounds, not exact counts, as
 * a regenerated run differs in timing.  A bundle not (yet) in the tree is
 * noted and skipped.
 */
static const struct {
	const char	*bundle;
	const char	*node;
	char		 type;		/* 'E' event, 'S' signal */
	const char	*kind;
	size_t		 min, max;
} bundle_expect[] = {
	{ "consul-healthy", "*", 'E', "leader-lost", 0, 0 },
	{ "consul-healthy", "*", 'S', "quorum-contact-lost", 0, 0 },
	{ "consul-healthy", "*", 'S', "vote-failed", 0, 0 },
	{ "consul-healthy", "*", 'S', "dual-bootstrap", 0, 0 },
	{ "consul-healthy", "*", 'E', "start", 1, 1 },
	{ "consul-healthy", "*", 'E', "stop", 0, 0 },
	{ "consul-healthy", "consul1", 'E', "leader-elected", 1, 9 },
	{ "consul-healthy", "web1", 'E', "join", 1, 99 },
	{ "consul-parallel-restart", "*", 'S', "graceful-leave", 1, 9 },
	{ "consul-parallel-restart", "*", 'E', "stop", 1, 1 },
	{ "consul-parallel-restart", "*", 'E', "start", 2, 2 },
	{ "consul-parallel-restart", "*", 'S', "previous-leave-ignored", 1, 9 },
	{ "consul-parallel-restart", "*", 'S', "no-peers", 1, 999 },
	{ "consul-parallel-restart", "*", 'S', "no-leader", 1, 999 },
	{ "consul-expect-mismatch", "*", 'S', "bootstrap-skipped", 1, 99 },
	{ "consul-expect-mismatch", "*", 'E', "leader-elected", 0, 0 },
	{ "consul-expect-mismatch", "*", 'S', "no-leader", 1, 999 },
	{ "consul-dual-bootstrap", "consul1", 'S', "dual-bootstrap", 1, 999 },
	{ "consul-dual-bootstrap", "consul2", 'S', "dual-bootstrap", 1, 999 },
	{ "consul-slow-leader", "consul1", 'E', "start", 2, 2 },
	{ "consul-slow-leader", "consul1", 'E', "stop", 0, 0 },
	{ "consul-slow-leader", "consul1", 'S', "rejoin", 1, 99 },
	{ "consul-stale-peers", "node1", 'S', "quorum-contact-lost", 1, 9 },
	{ "consul-stale-peers", "node1", 'E', "member-add", 1, 99 },
};

/* Observations of `type` and `kind` whose evidence is artifact `art`. */
static size_t
bundle_count(const struct qs_run *run, const struct qs_artifact *art,
    char type, const char *kind)
{
	size_t	i, n = 0;

	if (type == 'E') {
		for (i = 0; i < run->events.n; i++) {
			const struct qs_event	*e = run->events.v[i];

			n += e->ev.artifact == art &&
			    strcmp(qs_event_kind_name(e->kind), kind) == 0;
		}
	} else {
		for (i = 0; i < run->signals.n; i++) {
			const struct qs_signal	*s = run->signals.v[i];

			n += s->ev.artifact == art &&
			    strcmp(qs_signal_kind_name(s->kind), kind) == 0;
		}
	}
	return n;
}

#define NBUNDLE_EXPECT	(sizeof(bundle_expect) / sizeof(bundle_expect[0]))

/* Whether row k of bundle_expect[] applies to the consul.log `art`. */
static int
bundle_row_applies(size_t k, const char *bundle,
    const struct qs_artifact *art)
{
	return strcmp(bundle_expect[k].bundle, bundle) == 0 &&
	    (strcmp(bundle_expect[k].node, "*") == 0 ||
	    (art->node != NULL &&
	    strcmp(art->node->name, bundle_expect[k].node) == 0));
}

/* Checks every consul.log of one bundle's run against its rows. */
static void
bundle_check(const struct qs_run *run, const char *rel, const char *bundle)
{
	const struct qs_artifact	*art;
	size_t				 j, k, n, logs = 0;
	int				*met;

	met = qs_xcalloc(NBUNDLE_EXPECT, sizeof(*met));
	for (j = 0; j < run->artifacts.n; j++) {
		art = run->artifacts.v[j];
		if (art->kind == NULL ||
		    strcmp(art->kind->name, "consul.log") != 0)
			continue;
		logs++;
		if (art->status != QS_STATUS_PARSED)
			qs_test_fail(__FILE__, __LINE__, "%s: %s: %s", rel,
			    art->member, qs_status_name(art->status));
		for (k = 0; k < NBUNDLE_EXPECT; k++) {
			if (!bundle_row_applies(k, bundle, art))
				continue;
			met[k] = 1;
			n = bundle_count(run, art, bundle_expect[k].type,
			    bundle_expect[k].kind);
			if (n < bundle_expect[k].min ||
			    n > bundle_expect[k].max)
				qs_test_fail(__FILE__, __LINE__, "%s: %s: %zu "
				    "%s, want %zu..%zu", rel, art->member, n,
				    bundle_expect[k].kind,
				    bundle_expect[k].min,
				    bundle_expect[k].max);
		}
	}
	CHECK(logs >= 3);
	/* A row naming a node the bundle does not have checks nothing. */
	for (k = 0; k < NBUNDLE_EXPECT; k++)
		if (strcmp(bundle_expect[k].bundle, bundle) == 0 && !met[k])
			qs_test_fail(__FILE__, __LINE__, "%s: no consul.log "
			    "of node %s", rel, bundle_expect[k].node);
	free(met);
}

DEFINE_TEST(test_parse_consul_log_bundles)
{
	struct qs_run	*run;
	size_t		 i, k, len;
	char		 rel[256], *data;

	for (i = 0; i < NBUNDLE_EXPECT; i++) {
		/* Each bundle once, at its first row. */
		for (k = 0; k < i; k++)
			if (strcmp(bundle_expect[k].bundle,
			    bundle_expect[i].bundle) == 0)
				break;
		if (k < i)
			continue;
		snprintf(rel, sizeof(rel), "testdata/bundles/%s.tar.gz",
		    bundle_expect[i].bundle);
		if ((data = qs_test_read_file(rel, &len)) == NULL) {
			printf("# %s absent, not checked\n", rel);
			continue;
		}
		run = qs_test_read(rel, (unsigned char *)data, len);
		bundle_check(run, rel, bundle_expect[i].bundle);
		qs_run_free(run);
		free(data);
	}
}
