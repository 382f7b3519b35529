/*
 * Consul agent logs (kind consul.log): what the agent, serf, memberlist
 * and raft said while the cluster broke, as one text file per node.
 *
 * Upstream: hashicorp/consul command/agent/agent.go (the "==>" banner and
 * its "Node name:", "Datacenter:", "Server:", "Cluster Addr:" lines, the
 * signal and shutdown lines), agent/consul/server.go, server_serf.go,
 * leader.go and autopilot.go (leadership, reconcile, bootstrap, peer
 * removal), agent/agent.go (anti-entropy "No cluster leader");
 * hashicorp/serf serf/serf.go and serf/snapshot.go, hashicorp/memberlist
 * state.go and net.go; hashicorp/raft raft.go, api.go and
 * configuration.go (v0.1.0 printf texts, v1.0.0-v1.1.1 printf texts,
 * v1.1.2 and later hclog messages); hashicorp/go-hclog intlogger.go for
 * the line shapes.  Facts as summarised in formats.md 3.5 and 3.6.
 *
 * Variants, detected per line, so concatenated and mixed files work:
 *  - Go standard log (Consul <= 1.6): "2016/03/03 12:00:00 [INFO] serf:
 *    ...", local time without a zone (recorded with zone_known 0), often
 *    indented by four spaces; Consul 1.5/1.6 print raft through hclog
 *    ("[INFO]  raft: ...", two spaces).
 *  - hclog text (Consul >= 1.7): "2021-01-23T23:18:54.216Z [INFO]
 *    agent.server.raft: message: k=v k=\"quoted v\"".  Library lines keep
 *    their own prefix inside the message ("agent.server.serf.lan: serf:
 *    EventMemberJoin: ...").
 *  - hclog JSON (log_json): one object per line with @timestamp, @level,
 *    @module, @message and one key per key/value pair.
 *  - Wrappers (syslog, journald, docker, CRI, compose, kubectl) are
 *    peeled first by wire-logline.c; a wrapper's time is used only when
 *    the inner line has none, and the host or container a wrapper names
 *    is the line's speaker (several agents in one file).
 *  - The start banner ("==> Starting Consul agent...", "Node name: 'x'"),
 *    which carries no time of its own.
 *  - hclog's multi-line values ("key=" then "  | text" lines in newer
 *    hclog, raw lines inside the quotes in older ones): searched for the
 *    CONTAINS rows with the time of the line they belong to.  Older
 *    hclog also quotes values without escaping inner quotes.
 *
 * Extracted: the line catalog of formats.md 3.6 mapped to the model, one
 * table row per message shape (clog_rules[] below): serf member events
 * and addresses, rejoin, name and node-ID conflicts, gossip key errors;
 * raft state changes, elections, peer changes, configurations (as
 * consensus views), vote failures, quorum loss, removal of itself;
 * Consul leadership, reconcile, autopilot removal, bootstrap decisions,
 * peers.json recovery and "No cluster leader"; the agent's start, stop,
 * graceful leave and the banner's identity and settings.  Every
 * observation carries the line's time, the raft term when the line gives
 * one, and the line number and text as evidence.
 *
 * Liveness: memberlist's suspicion and "Marking X as failed" (before
 * serf's EventMemberFailed summarises them), a leader's failed heartbeats
 * and AppendEntries, a candidate's failed vote requests, each naming the
 * peer it could not reach.
 *
 * Ignored: everything else (RPC, HTTP, DNS, checks, snapshots).  Lines that match
 * no known shape are skipped silently; a file with no line in any known
 * format gets one warning.
 *
 * Known limits: a WAN member in a Go-log era file is recognised by a
 * "<node>.<dc>" name only once the datacenter is known (banner, a "DC:"
 * server line, or a server's LAN and WAN joins logged one after the
 * other); a self leave is recognised only when the banner named
 * the node; banner lines have no time; a multi-line hclog value is
 * searched line by line, not joined; lines over 64 KiB are cut; at most
 * 1,000,000 observations are taken from one file.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "quorumscope.h"
#include "wire-logline.h"

#define CLOG_LINE_MAX		(64 * 1024)	/* longer lines are cut */
#define CLOG_OBS_MAX		1000000		/* observations per file */
#define CLOG_KV_MAX		32		/* key/values kept per line */
#define CLOG_SPLIT_TRIES	16		/* ": " tried as kv start */
#define CLOG_VIEW_MAX		1024		/* servers per configuration */
#define CLOG_TOKEN_MAX		256		/* names, addresses */
#define CLOG_DETAIL_MAX		160		/* free-text details */
#define CLOG_SCRATCH		(4 * (CLOG_LINE_MAX + 64))

/* Where a rule applies, and how its text is matched. */
#define CLOG_LOG		0x01	/* timestamped log lines */
#define CLOG_BANNER		0x02	/* untimed console lines */
#define CLOG_ANY		(CLOG_LOG | CLOG_BANNER)
#define CLOG_CONTAINS		0x04	/* anywhere, not as a prefix */

enum clog_state {
	CLOG_FOLLOWER,
	CLOG_CANDIDATE,
	CLOG_LEADER
};

enum clog_run {
	CLOG_RUN_UNKNOWN,
	CLOG_RUN_STARTED,
	CLOG_RUN_STOPPED
};

struct clog_kv {
	const char	*key;		/* NUL-terminated */
	const char	*val;		/* NUL-terminated, unquoted */
	size_t		 vlen;
	const cJSON	*obj;		/* a JSON object value, or NULL */
};

/* One line, taken apart; strings point into the line, scratch or cJSON. */
struct clog_line {
	uint64_t		 lineno;
	const char		*raw;		/* as read: the excerpt */
	struct qs_time		 time;
	int			 banner;	/* untimed: console output */
	int			 cont;		/* "  | ..." hclog value line */
	int			 json;
	const char		*module;	/* "agent.server.raft" */
	size_t			 modlen;
	const char		*sub;		/* "serf" in "serf: Event..." */
	size_t			 sublen;
	const char		*msg;		/* message without key/values */
	size_t			 msglen;
	const char		*body;		/* message with key/values */
	size_t			 bodylen;
	struct clog_kv		 kv[CLOG_KV_MAX];
	size_t			 nkv;
	int			 wan;		/* the WAN gossip pool */
	int			 raft;		/* a raft library line */
	struct qs_clock		 clock;
	struct qs_evidence	 ev;
	int			 has_ev;
};

struct clog {
	struct qs_parse_ctx	*ctx;
	uint64_t		 nobs;
	int			 capped;
	uint64_t		 known;		/* lines in a known format */
	uint64_t		 nonempty;
	uint64_t		 bad_json, bad_json_line;
	uint64_t		 long_lines, long_line;
	uint64_t		 bad_lines, bad_line;	/* known shape, bad */
	struct qs_time		 last_time;	/* of the last log line */
	int			 in_log;	/* a log line came before */
	const char		*self_name;	/* from the banner */
	const char		*dc;
	char			 last_name[CLOG_TOKEN_MAX + 1];	/* serf */
	char			 last_ip[64];
	const char		*raft_self;	/* last self raft address */
	int			 cand_term_set;	/* term of the last candidacy */
	uint64_t		 cand_term;
	enum clog_run		 run;
	char			 stop_why[32];	/* the signal that stops */
	struct qs_event		*untimed_start;	/* banner start, time pending */
	struct qs_logline	 wrap;		/* the line's wrappers */
	char			*scratch;	/* per-line strings */
	size_t			 scratch_used;
};

struct clog_rule;
typedef int (*clog_fn)(struct clog *, const struct clog_rule *,
    struct clog_line *, const char *, size_t);

struct clog_rule {
	const char	*text;		/* message prefix (any case) or part */
	unsigned	 how;		/* CLOG_LOG, _BANNER, _CONTAINS */
	clog_fn		 fn;		/* NULL: known, nothing to record */
	int		 kind;		/* event, signal or identity kind */
	const char	*detail;
};

static void	clog_line(struct clog *, const char *, size_t, uint64_t);
static void	clog_text(struct clog *, struct clog_line *, const char *,
		    size_t);
static void	clog_json(struct clog *, struct clog_line *, const char *,
		    size_t, const struct qs_time *);
static void	clog_body(struct clog *, struct clog_line *, const char *,
		    size_t);
static void	clog_cont(struct clog *, struct clog_line *, const char *,
		    size_t);
static void	clog_message(struct clog *, struct clog_line *);
static int	clog_dispatch(struct clog *, struct clog_line *);
static size_t	clog_level(const char *, size_t);
static int	clog_kv_parse(struct clog *, struct clog_line *, const char *,
		    size_t, int);
static void	clog_kv_split(struct clog *, struct clog_line *);
static const char *clog_json_number(struct clog *, const char *, size_t,
		    const cJSON *);
static void	clog_line_term(struct clog_line *);
static char	*clog_alloc(struct clog *, size_t);
static const char *clog_str(struct clog *, const char *, size_t, size_t);
static const char *clog_unquote(struct clog *, const char *, size_t,
		    size_t *);
static size_t	clog_ci_prefix(const char *, size_t, const char *);
static const char *clog_find(const char *, size_t, const char *);
static const char *clog_line_find(const struct clog_line *, const char *,
		    size_t *);
static const struct clog_kv *clog_kv(const struct clog_line *, const char *);
static void	clog_trim(const char **, size_t *);
static size_t	clog_span_until(const char *, size_t, const char *);
static int	clog_u64(const char *, size_t, uint64_t *);
static int	clog_is_ip(const char *, size_t);
static int	clog_is_wan_name(const struct clog *, const char *, size_t);
static int	clog_is_self(const struct clog *, const char *, size_t, int);
static const char *clog_server_addr(struct clog *, const struct clog_kv *,
		    const char *, size_t);
static void	clog_servers_view(struct clog *, struct clog_line *,
		    const char *, size_t, int, uint64_t);
static const struct qs_evidence *clog_ev(struct clog *, struct clog_line *);
static int	clog_room(struct clog *);
static struct qs_event *clog_event(struct clog *, struct clog_line *,
		    enum qs_event_kind, const char *, const char *);
static struct qs_signal *clog_signal(struct clog *, struct clog_line *,
		    enum qs_signal_kind, const char *, const char *);
static void	clog_identity(struct clog *, struct clog_line *,
		    enum qs_ident, const char *, const char *, const char *);
static void	clog_setting(struct clog *, struct clog_line *, const char *,
		    const char *);
static void	clog_raft_state(struct clog *, struct clog_line *,
		    const char *, size_t, enum clog_state);

static int	h_serf_member(struct clog *, const struct clog_rule *,
		    struct clog_line *, const char *, size_t);
static int	h_serf_rejoin(struct clog *, const struct clog_rule *,
		    struct clog_line *, const char *, size_t);
static int	h_signal(struct clog *, const struct clog_rule *,
		    struct clog_line *, const char *, size_t);
static int	h_name_conflict(struct clog *, const struct clog_rule *,
		    struct clog_line *, const char *, size_t);
static int	h_addr_conflict(struct clog *, const struct clog_rule *,
		    struct clog_line *, const char *, size_t);
static int	h_key_mismatch(struct clog *, const struct clog_rule *,
		    struct clog_line *, const char *, size_t);
static int	h_node_id_conflict(struct clog *, const struct clog_rule *,
		    struct clog_line *, const char *, size_t);
static int	h_raft_legacy_state(struct clog *, const struct clog_rule *,
		    struct clog_line *, const char *, size_t);
static int	h_raft_state(struct clog *, const struct clog_rule *,
		    struct clog_line *, const char *, size_t);
static int	h_election_start(struct clog *, const struct clog_rule *,
		    struct clog_line *, const char *, size_t);
static int	h_election_won(struct clog *, const struct clog_rule *,
		    struct clog_line *, const char *, size_t);
static int	h_leader_lost(struct clog *, const struct clog_rule *,
		    struct clog_line *, const char *, size_t);
static int	h_peer(struct clog *, const struct clog_rule *,
		    struct clog_line *, const char *, size_t);
static int	h_config_update(struct clog *, const struct clog_rule *,
		    struct clog_line *, const char *, size_t);
static int	h_config_initial(struct clog *, const struct clog_rule *,
		    struct clog_line *, const char *, size_t);
static int	h_rpc_failed(struct clog *, const struct clog_rule *,
		    struct clog_line *, const char *, size_t);
static int	h_member_suspect(struct clog *, const struct clog_rule *,
		    struct clog_line *, const char *, size_t);
static int	h_removed_self(struct clog *, const struct clog_rule *,
		    struct clog_line *, const char *, size_t);
static int	h_leadership(struct clog *, const struct clog_rule *,
		    struct clog_line *, const char *, size_t);
static int	h_new_leader(struct clog *, const struct clog_rule *,
		    struct clog_line *, const char *, size_t);
static int	h_member_legacy(struct clog *, const struct clog_rule *,
		    struct clog_line *, const char *, size_t);
static int	h_member_kv(struct clog *, const struct clog_rule *,
		    struct clog_line *, const char *, size_t);
static int	h_deregister(struct clog *, const struct clog_rule *,
		    struct clog_line *, const char *, size_t);
static int	h_server_remove(struct clog *, const struct clog_rule *,
		    struct clog_line *, const char *, size_t);
static int	h_autopilot_remove(struct clog *, const struct clog_rule *,
		    struct clog_line *, const char *, size_t);
static int	h_bootstrap(struct clog *, const struct clog_rule *,
		    struct clog_line *, const char *, size_t);
static int	h_bootstrap_skipped(struct clog *, const struct clog_rule *,
		    struct clog_line *, const char *, size_t);
static int	h_bootstrap_member(struct clog *, const struct clog_rule *,
		    struct clog_line *, const char *, size_t);
static int	h_dual_bootstrap(struct clog *, const struct clog_rule *,
		    struct clog_line *, const char *, size_t);
static int	h_lan_server(struct clog *, const struct clog_rule *,
		    struct clog_line *, const char *, size_t);
static int	h_no_leader(struct clog *, const struct clog_rule *,
		    struct clog_line *, const char *, size_t);
static int	h_start(struct clog *, const struct clog_rule *,
		    struct clog_line *, const char *, size_t);
static int	h_start_error(struct clog *, const struct clog_rule *,
		    struct clog_line *, const char *, size_t);
static int	h_stop(struct clog *, const struct clog_rule *,
		    struct clog_line *, const char *, size_t);
static int	h_caught(struct clog *, const struct clog_rule *,
		    struct clog_line *, const char *, size_t);
static int	h_graceful(struct clog *, const struct clog_rule *,
		    struct clog_line *, const char *, size_t);
static int	h_banner_quoted(struct clog *, const struct clog_rule *,
		    struct clog_line *, const char *, size_t);
static int	h_banner_server(struct clog *, const struct clog_rule *,
		    struct clog_line *, const char *, size_t);
static int	h_banner_addr(struct clog *, const struct clog_rule *,
		    struct clog_line *, const char *, size_t);
static int	h_banner_expect(struct clog *, const struct clog_rule *,
		    struct clog_line *, const char *, size_t);

/* Banner rows: which quoted value goes where. */
#define CLOG_B_NAME		1
#define CLOG_B_NODE_ID		2
#define CLOG_B_DC		3
#define CLOG_B_VERSION		4

/*
 * The line catalog.  Prefixes are matched without regard to case against
 * the message (after the module and any nested "serf: " prefix), so one
 * row often serves several generations ("Removed peer" in raft v0.x and
 * "removed peer" in hclog); the first matching row wins, so longer or
 * more specific texts come first.  CONTAINS rows are searched in the
 * whole line, key/values included ("error=\"No cluster leader\"").
 */
static const struct clog_rule clog_rules[] = {
	/* serf (same text in every era; hclog wraps it as the message) */
	{ "EventMemberJoin: ", CLOG_LOG, h_serf_member, QS_EV_JOIN, NULL },
	{ "EventMemberLeave (forced): ", CLOG_LOG, h_serf_member,
	    QS_EV_LEAVE, "forced" },
	{ "EventMemberLeave: ", CLOG_LOG, h_serf_member, QS_EV_LEAVE, NULL },
	{ "EventMemberFailed: ", CLOG_LOG, h_serf_member, QS_EV_FAIL, NULL },
	{ "EventMemberUpdate: ", CLOG_LOG, h_serf_member, QS_EV_UPDATE,
	    NULL },
	{ "EventMemberReap (forced): ", CLOG_LOG, h_serf_member, QS_EV_REAP,
	    "forced" },
	{ "EventMemberReap: ", CLOG_LOG, h_serf_member, QS_EV_REAP, NULL },
	{ "Attempting re-join to previously known node: ", CLOG_LOG,
	    h_serf_rejoin, QS_SIG_REJOIN, "attempt" },
	{ "Re-joined to previously known node: ", CLOG_LOG, h_serf_rejoin,
	    QS_SIG_REJOIN, "joined" },
	{ "Failed to re-join any previously known node", CLOG_LOG, h_signal,
	    QS_SIG_REJOIN_FAILED, NULL },
	{ "Ignoring previous leave in snapshot", CLOG_LOG, h_signal,
	    QS_SIG_PREVIOUS_LEAVE_IGNORED, NULL },
	{ "Name conflict for '", CLOG_LOG, h_name_conflict, 0, NULL },
	/* memberlist (state.go): a probe got no ack; the suspicion expired */
	{ "Suspect ", CLOG_LOG, h_member_suspect, 0, " has failed" },
	{ "Marking ", CLOG_LOG, h_member_suspect, 0, " as failed" },
	{ "Conflicting address for ", CLOG_LOG, h_addr_conflict, 0, NULL },

	/* raft v0.x and v1.0-v1.1.1 printf texts */
	{ "Node at ", CLOG_LOG, h_raft_legacy_state, 0, NULL },
	/* raft >= 1.1.2 hclog messages */
	{ "entering follower state", CLOG_LOG, h_raft_state, CLOG_FOLLOWER,
	    NULL },
	{ "entering candidate state", CLOG_LOG, h_raft_state, CLOG_CANDIDATE,
	    NULL },
	{ "entering leader state", CLOG_LOG, h_raft_state, CLOG_LEADER, NULL },
	/* raft, every generation */
	{ "heartbeat timeout reached, not part of a stable configuration",
	    CLOG_LOG, h_signal, QS_SIG_NO_PEERS, "not in configuration" },
	{ "heartbeat timeout", CLOG_LOG, h_election_start, 0,
	    "heartbeat timeout" },
	{ "election won", CLOG_LOG, h_election_won, 0, NULL },
	{ "new leader elected, stepping down", CLOG_LOG, h_leader_lost, 0,
	    "new leader elected" },
	{ "failed to contact quorum of nodes, stepping down", CLOG_LOG,
	    h_leader_lost, 1, "quorum lost" },
	{ "added peer, starting replication", CLOG_LOG, h_peer,
	    QS_EV_MEMBER_ADD, NULL },
	{ "Added peer ", CLOG_LOG, h_peer, QS_EV_MEMBER_ADD, NULL },
	{ "removed peer, stopping replication", CLOG_LOG, h_peer,
	    QS_EV_MEMBER_REMOVE, NULL },
	{ "Removed peer ", CLOG_LOG, h_peer, QS_EV_MEMBER_REMOVE, NULL },
	{ "updating configuration", CLOG_LOG, h_config_update, 0, NULL },
	{ "initial configuration", CLOG_LOG, h_config_initial, 0, NULL },
	{ "failed to make requestVote RPC", CLOG_LOG, h_rpc_failed,
	    QS_SIG_VOTE_FAILED, "target" },
	/* a leader's replication to a follower (raft replication.go) */
	{ "failed to heartbeat to", CLOG_LOG, h_rpc_failed,
	    QS_SIG_PEER_UNREACHABLE, "peer" },
	{ "failed to appendEntries to", CLOG_LOG, h_rpc_failed,
	    QS_SIG_PEER_UNREACHABLE, "peer" },
	{ "no known peers, aborting election", CLOG_LOG, h_signal,
	    QS_SIG_NO_PEERS, NULL },
	{ "EnableSingleNode disabled, and no known peers", CLOG_LOG,
	    h_signal, QS_SIG_NO_PEERS, NULL },
	{ "not part of stable configuration, aborting election", CLOG_LOG,
	    h_signal, QS_SIG_NO_PEERS, "not in configuration" },
	{ "removed ourself", CLOG_LOG, h_removed_self, 0, NULL },

	/* Consul server and leader */
	{ "cluster leadership acquired", CLOG_LOG, h_leadership, 1, NULL },
	{ "cluster leadership lost", CLOG_LOG, h_leadership, 0, NULL },
	{ "New leader elected", CLOG_LOG, h_new_leader, 0, NULL },
	{ "member '", CLOG_LOG, h_member_legacy, 0, NULL },
	{ "deregistering member", CLOG_LOG, h_deregister, 0, NULL },
	{ "member failed, marking health critical", CLOG_LOG, h_member_kv,
	    QS_EV_FAIL, "health critical" },
	{ "member joined, marking health alive", CLOG_LOG, h_member_kv,
	    QS_EV_JOIN, "health alive" },
	{ "removing server by ID", CLOG_LOG, h_server_remove, 0, "by ID" },
	{ "removing server by address", CLOG_LOG, h_server_remove, 0,
	    "by address" },
	{ "removing server with duplicate", CLOG_LOG, h_server_remove, 0,
	    "duplicate" },
	{ "Attempting removal of failed server node", CLOG_LOG,
	    h_autopilot_remove, 0, "autopilot" },
	{ "Found expected number of peers, attempting bootstrap", CLOG_LOG,
	    h_bootstrap, 0, NULL },
	{ "Two nodes are in bootstrap mode", CLOG_LOG, h_dual_bootstrap, 0,
	    NULL },
	{ "found peers.json file, recovering Raft configuration", CLOG_LOG,
	    h_signal, QS_SIG_PEERS_RECOVERY, "recovering" },
	{ "deleted peers.json file after successful recovery", CLOG_LOG,
	    h_signal, QS_SIG_PEERS_RECOVERY, "recovered" },
	{ "Adding LAN server", CLOG_LOG, h_lan_server, 0, NULL },

	/* agent lifecycle, console and log */
	{ "Starting Consul agent RPC", CLOG_ANY, NULL, 0, NULL },
	{ "Starting Consul agent", CLOG_ANY, h_start, 1, NULL },
	{ "Consul agent running!", CLOG_ANY, h_start, 0, NULL },
	{ "Caught signal: ", CLOG_ANY, h_caught, 0, NULL },
	{ "Caught", CLOG_LOG, h_caught, 0, NULL },
	{ "Gracefully shutting down agent", CLOG_ANY, h_graceful, 0,
	    "shutting down" },
	{ "Graceful leave complete", CLOG_ANY, h_graceful, 0, "complete" },
	/* command/agent: the agent exits 1 after "==> Error ...: err" */
	{ "Error starting agent: ", CLOG_ANY, h_start_error, 0, NULL },
	{ "Error creating agent: ", CLOG_ANY, h_start_error, 0, NULL },
	{ "Requesting shutdown", CLOG_ANY, h_stop, 0, NULL },
	{ "shutdown complete", CLOG_LOG, h_stop, 0, NULL },

	/* the start banner */
	{ "Node name: '", CLOG_BANNER, h_banner_quoted, CLOG_B_NAME, NULL },
	{ "Node ID: '", CLOG_BANNER, h_banner_quoted, CLOG_B_NODE_ID, NULL },
	{ "Datacenter: '", CLOG_BANNER, h_banner_quoted, CLOG_B_DC, NULL },
	{ "Version: '", CLOG_BANNER, h_banner_quoted, CLOG_B_VERSION, NULL },
	{ "Server: ", CLOG_BANNER, h_banner_server, 0, NULL },
	{ "Cluster Addr: ", CLOG_BANNER, h_banner_addr, 0, NULL },
	{ "WARNING: Expect Mode enabled, expecting ", CLOG_BANNER,
	    h_banner_expect, 0, NULL },
	{ "Log data will now stream in", CLOG_BANNER, NULL, 0, NULL },

	/* anywhere in the line */
	{ "are both in bootstrap mode", CLOG_LOG | CLOG_CONTAINS,
	    h_dual_bootstrap, 0, NULL },
	{ "disabling bootstrap mode", CLOG_LOG | CLOG_CONTAINS,
	    h_bootstrap_skipped, 0, NULL },
	{ "has a conflicting expect value", CLOG_LOG | CLOG_CONTAINS,
	    h_bootstrap_member, 0, "expect mismatch" },
	{ "has bootstrap mode. Expect disabled", CLOG_LOG | CLOG_CONTAINS,
	    h_bootstrap_member, 0, "member in bootstrap mode" },
	{ "No installed keys could decrypt the message",
	    CLOG_LOG | CLOG_CONTAINS, h_key_mismatch, 0, NULL },
	{ "Encryption is configured but remote state is not encrypted",
	    CLOG_LOG | CLOG_CONTAINS, h_key_mismatch, 0, NULL },
	{ "remote state is encrypted and encryption is not configured",
	    CLOG_LOG | CLOG_CONTAINS, h_key_mismatch, 0, NULL },
	{ "conflicting node ID", CLOG_LOG | CLOG_CONTAINS, h_node_id_conflict,
	    0, NULL },
	{ "No cluster leader", CLOG_LOG | CLOG_CONTAINS, h_no_leader, 0,
	    NULL },
};

/* Nested library prefixes Consul keeps inside an hclog message. */
static const char *const clog_subsystems[] = {
	"serf", "memberlist", "raft", "raft-net", "consul", "agent",
	"snapshot", "autopilot", NULL
};

/*
 * Reads a Consul agent log line by line and records what it shows.
 * Returns 0, or -1 when nothing at all could be read.
 */
int
qs_parse_consul_log(struct qs_parse_ctx *ctx)
{
	struct clog	 c;
	const char	*line;
	ssize_t		 n;
	uint64_t	 lines = 0;

	memset(&c, 0, sizeof(c));
	c.ctx = ctx;
	c.scratch = qs_xmalloc(CLOG_SCRATCH);
	qs_logline_init(&c.wrap);
	/* One byte over the cap tells a cut line from one exactly 64 KiB. */
	while (!c.capped &&
	    (n = qs_source_getline(ctx->src, &line, CLOG_LINE_MAX + 1)) >= 0) {
		lines++;
		if ((size_t)n > CLOG_LINE_MAX) {
			if (c.long_lines++ == 0)
				c.long_line = ctx->src->lineno;
			n = CLOG_LINE_MAX;
		}
		clog_line(&c, line, (size_t)n, ctx->src->lineno);
	}
	free(c.scratch);
	qs_logline_free(&c.wrap);
	ctx->speaker = NULL;
	if (c.capped)
		qs_parse_diag(ctx, QS_SEV_WARNING, ctx->src->lineno,
		    "more than %d observations; the rest of the log is not "
		    "read", CLOG_OBS_MAX);
	if (c.long_lines > 0)
		qs_parse_diag(ctx, QS_SEV_WARNING, c.long_line,
		    "%llu line(s) longer than %d bytes were cut",
		    (unsigned long long)c.long_lines, CLOG_LINE_MAX);
	if (c.bad_json > 0)
		qs_parse_diag(ctx, QS_SEV_WARNING, c.bad_json_line,
		    "%llu hclog JSON line(s) could not be parsed (torn or "
		    "damaged); skipped", (unsigned long long)c.bad_json);
	if (c.bad_lines > 0)
		qs_parse_diag(ctx, QS_SEV_WARNING, c.bad_line,
		    "%llu raft configuration(s) could not be read (torn or "
		    "garbled server list); no view recorded for them",
		    (unsigned long long)c.bad_lines);
	if (c.known == 0 && c.nonempty > 0)
		qs_parse_diag(ctx, QS_SEV_WARNING, 0,
		    "no line is in a known Consul log format (Go log, hclog "
		    "text or hclog JSON); nothing was read from it");
	if (lines == 0 && ctx->src->error)
		return -1;
	return 0;
}

/* One line as read: strips wrappers, finds the format, records. */
static void
clog_line(struct clog *c, const char *raw, size_t n, uint64_t lineno)
{
	struct clog_line	l;
	size_t			i;

	memset(&l, 0, sizeof(l));
	l.lineno = lineno;
	l.raw = raw;
	c->scratch_used = 0;
	for (i = 0; i < n; i++)
		if (raw[i] != ' ' && raw[i] != '\t')
			break;
	if (i == n)
		return;
	c->nonempty++;
	clog_text(c, &l, raw, n);
}

/*
 * A text line, possibly wrapped (syslog, journald, docker): peels the
 * wrappers (wire-logline.c), then reads it as hclog text, Go log, hclog
 * JSON or banner.  A wrapper's time is used when the line has none.
 */
static void
clog_text(struct clog *c, struct clog_line *l, const char *s, size_t n)
{
	struct qs_time	 ft, t;
	size_t		 k;
	int		 lv;

	qs_logline_peel(&c->wrap, s, n);
	if (c->wrap.foreign)
		return;
	(void)qs_logline_speaker(c->ctx, &c->wrap);
	s = c->wrap.msg;
	n = c->wrap.len;
	ft = c->wrap.time;
	while (n > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	if (n > 0 && *s == '{') {
		clog_json(c, l, s, n, &ft);
		return;
	}
	/* hclog text: RFC 3339 time, then "[LEVEL]". */
	if (n > 0 && *s >= '0' && *s <= '9' &&
	    (lv = qs_time_parse_iso(s, n, &t)) > 0 &&
	    (k = clog_level(s + lv, n - (size_t)lv)) > 0) {
		l->time = c->last_time = qs_logline_time(c->ctx, &c->wrap, &t,
		    l->lineno);
		c->in_log = 1;
		c->known++;
		clog_body(c, l, s + lv + k, n - (size_t)lv - k);
		return;
	}
	/* Go standard log: zone-less time, then "[LEVEL]" (or a module). */
	if (n > 0 && *s >= '0' && *s <= '9' &&
	    (lv = qs_time_parse_golog(s, n, &t)) > 0) {
		l->time = c->last_time = qs_logline_time(c->ctx, &c->wrap, &t,
		    l->lineno);
		c->in_log = 1;
		s += lv;
		n -= (size_t)lv;
		if ((k = clog_level(s, n)) > 0) {
			s += k;
			n -= k;
		} else {
			while (n > 0 && *s == ' ') {
				s++;
				n--;
			}
		}
		c->known++;
		clog_body(c, l, s, n);
		return;
	}
	/*
	 * hclog writes a value holding newlines over several lines: newer
	 * versions as "key=" and one "  | text" line per line of it, older
	 * ones raw inside the quotes.  Untimed lines after a log line that
	 * are not console output belong to the line above: only the
	 * CONTAINS rows look at them, with that line's time.
	 */
	if (c->in_log && n > 0 && *s == '|' && (n == 1 || s[1] == ' ')) {
		c->known++;
		clog_cont(c, l, s + (n > 1 ? 2 : 1), n - (n > 1 ? 2 : 1));
		return;
	}
	/* Console output: the banner and "==>" lines, without a time. */
	l->banner = 1;
	l->time = qs_logline_time(c->ctx, &c->wrap, NULL, l->lineno);
	l->msg = l->body = s;
	l->msglen = l->bodylen = n;
	if (n >= 4 && memcmp(s, "==> ", 4) == 0) {
		l->msg = l->body = s + 4;
		l->msglen = l->bodylen = n - 4;
		c->known++;
		clog_dispatch(c, l);
		return;
	}
	if (clog_dispatch(c, l))
		c->known++;
	else if (c->wrap.wrappers & (QS_WRAP_SYSLOG | QS_WRAP_ISO_HOST |
	    QS_WRAP_RFC5424)) {
		/*
		 * The agent writing to syslog or the journal itself
		 * (-syslog, or a unit's stdout): its lines carry no time of
		 * their own, at most a level; the wrapper's time, when it has
		 * a year, is theirs.
		 */
		l->banner = 0;
		if (n > 2 && s[0] == '[') {
			for (k = 1; k < n && k < 9 && s[k] >= 'A' &&
			    s[k] <= 'Z'; k++)
				;
			if (k > 1 && k < n && s[k] == ']') {
				for (k++; k < n && s[k] == ' '; k++)
					;
				s += k;
				n -= k;
			}
		}
		c->known++;
		clog_body(c, l, s, n);
	} else if (c->in_log) {
		memset(&l->time, 0, sizeof(l->time));
		clog_cont(c, l, s, n);
	}
}

/* A continuation line of a multi-line hclog value (see clog_text()). */
static void
clog_cont(struct clog *c, struct clog_line *l, const char *s, size_t n)
{
	l->banner = 0;
	l->cont = 1;
	l->time = c->last_time;
	l->msg = l->body = s;
	l->msglen = l->bodylen = n;
	clog_dispatch(c, l);
}

/*
 * " [LEVEL] " after a time: the length up to the text that follows (hclog
 * pads the bracket to seven characters, so spaces vary), or 0.
 */
static size_t
clog_level(const char *s, size_t n)
{
	size_t	i = 0, k;

	if (n == 0 || s[0] != ' ')
		return 0;
	while (i < n && s[i] == ' ')
		i++;
	if (i >= n || s[i] != '[')
		return 0;
	for (i++, k = 0; i < n && s[i] >= 'A' && s[i] <= 'Z' && k < 7;
	    i++, k++)
		;
	if (k == 0 || i >= n || s[i] != ']')
		return 0;
	i++;
	while (i < n && s[i] == ' ')
		i++;
	return i;
}

/* An hclog JSON object; `fallback` is a wrapper's time. */
static void
clog_json(struct clog *c, struct clog_line *l, const char *s, size_t n,
    const struct qs_time *fallback)
{
	cJSON		*root, *item;
	const cJSON	*m, *ts;

	root = cJSON_ParseWithLength(s, n);
	if (root == NULL || !cJSON_IsObject(root)) {
		/* Only hclog's own objects count as damage; other JSON is
		 * just not ours. */
		if (clog_find(s, n, "\"@message\"") != NULL ||
		    clog_find(s, n, "\"@timestamp\"") != NULL) {
			if (c->bad_json++ == 0)
				c->bad_json_line = l->lineno;
		}
		cJSON_Delete(root);
		return;
	}
	m = cJSON_GetObjectItemCaseSensitive(root, "@message");
	if (!cJSON_IsString(m)) {
		cJSON_Delete(root);
		return;
	}
	c->known++;
	l->json = 1;
	ts = cJSON_GetObjectItemCaseSensitive(root, "@timestamp");
	if (cJSON_IsString(ts))
		qs_time_parse_iso(ts->valuestring, strlen(ts->valuestring),
		    &l->time);
	if (!l->time.set && fallback != NULL)
		l->time = *fallback;
	(void)qs_logline_time(c->ctx, &c->wrap, &l->time, l->lineno);
	c->last_time = l->time;
	c->in_log = 1;
	item = cJSON_GetObjectItemCaseSensitive(root, "@module");
	if (cJSON_IsString(item)) {
		l->module = item->valuestring;
		l->modlen = strlen(item->valuestring);
	}
	l->msg = l->body = m->valuestring;
	l->msglen = l->bodylen = strlen(m->valuestring);
	cJSON_ArrayForEach(item, root) {
		struct clog_kv	*kv;

		if (item->string == NULL || item->string[0] == '@')
			continue;
		if (l->nkv == CLOG_KV_MAX)
			break;
		kv = &l->kv[l->nkv];
		kv->key = item->string;
		kv->obj = NULL;
		if (cJSON_IsString(item))
			kv->val = item->valuestring;
		else if (cJSON_IsNumber(item))
			kv->val = clog_json_number(c, s, n, item);
		else if (cJSON_IsBool(item))
			kv->val = cJSON_IsTrue(item) ? "true" : "false";
		else {
			kv->val = "";
			if (cJSON_IsObject(item) || cJSON_IsArray(item))
				kv->obj = item;
		}
		kv->vlen = strlen(kv->val);
		l->nkv++;
	}
	clog_message(c, l);
	cJSON_Delete(root);
}

/*
 * A JSON number as text.  Integers below 2^53 are exact as doubles; for
 * larger ones the digits are taken from the line itself, since a double
 * would round a 64-bit term or index.
 */
static const char *
clog_json_number(struct clog *c, const char *s, size_t n, const cJSON *item)
{
	double		 v = item->valuedouble;
	const char	*p, *end = s + n;
	char		 buf[64];
	size_t		 klen, i;

	/* Range first: converting a huge double to an integer is undefined. */
	if (v > -9007199254740992.0 && v < 9007199254740992.0 &&
	    v == (double)(int64_t)v) {
		snprintf(buf, sizeof(buf), "%lld", (long long)v);
		return clog_str(c, buf, strlen(buf), sizeof(buf));
	}
	klen = strlen(item->string);
	for (p = s; p < end &&
	    (p = memchr(p, '"', (size_t)(end - p))) != NULL; p++) {
		if ((size_t)(end - p) < klen + 2 || (p > s && p[-1] == '\\') ||
		    memcmp(p + 1, item->string, klen) != 0 ||
		    p[klen + 1] != '"')
			continue;
		for (i = klen + 2; p + i < end && (p[i] == ' ' ||
		    p[i] == ':'); i++)
			;
		p += i;
		for (i = 0; p + i < end && p[i] >= '0' && p[i] <= '9'; i++)
			;
		if (i > 0 && i <= 20)
			return clog_str(c, p, i, i);
		break;
	}
	snprintf(buf, sizeof(buf), "%.17g", v);
	return clog_str(c, buf, strlen(buf), sizeof(buf));
}

/*
 * The text after "time [LEVEL]": module ("agent.server.raft: "), then
 * the message and its key/values.
 */
static void
clog_body(struct clog *c, struct clog_line *l, const char *s, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++) {
		char	ch = s[i];

		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		    (ch >= '0' && ch <= '9') || ch == '.' || ch == '_' ||
		    ch == '-' || ch == '/'))
			break;
	}
	if (i > 0 && i + 1 < n && s[i] == ':' && s[i + 1] == ' ') {
		l->module = s;
		l->modlen = i;
		s += i + 2;
		n -= i + 2;
	}
	l->msg = l->body = s;
	l->msglen = l->bodylen = n;
	clog_kv_split(c, l);
	clog_message(c, l);
}

/*
 * Common to text and JSON: the nested library prefix, the pool, the raft
 * term, then the catalog.
 */
static void
clog_message(struct clog *c, struct clog_line *l)
{
	size_t	k, i;

	for (i = 0; clog_subsystems[i] != NULL; i++) {
		k = strlen(clog_subsystems[i]);
		if (l->msglen > k + 1 &&
		    memcmp(l->msg, clog_subsystems[i], k) == 0 &&
		    l->msg[k] == ':' && l->msg[k + 1] == ' ') {
			l->sub = l->msg;
			l->sublen = k;
			l->msg += k + 2;
			l->msglen -= k + 2;
			break;
		}
	}
	if (l->modlen >= 4 &&
	    memcmp(l->module + l->modlen - 4, ".wan", 4) == 0)
		l->wan = 1;
	if ((l->modlen == 4 && memcmp(l->module, "raft", 4) == 0) ||
	    (l->modlen >= 5 &&
	    memcmp(l->module + l->modlen - 5, ".raft", 5) == 0) ||
	    (l->sublen == 4 && memcmp(l->sub, "raft", 4) == 0))
		l->raft = 1;
	if (l->raft)
		clog_line_term(l);
	clog_dispatch(c, l);
}

/* Runs the first catalog row that matches and takes the line; 1 if one
 * did. */
static int
clog_dispatch(struct clog *c, struct clog_line *l)
{
	const struct clog_rule	*r;
	size_t			 i, k;
	unsigned		 where = l->banner ? CLOG_BANNER : CLOG_LOG;

	/*
	 * The console banner that starts a run has no time; the first log
	 * line after it dates the start, so that a restart can be placed
	 * against other nodes' events.
	 */
	if (c->untimed_start != NULL && l->time.set && !l->banner &&
	    !l->cont) {
		c->untimed_start->time = l->time;
		c->untimed_start = NULL;
	}
	for (i = 0; i < sizeof(clog_rules) / sizeof(clog_rules[0]); i++) {
		r = &clog_rules[i];
		if ((r->how & where) == 0 ||
		    (l->cont && !(r->how & CLOG_CONTAINS)))
			continue;
		if (r->how & CLOG_CONTAINS) {
			if (clog_line_find(l, r->text, NULL) == NULL)
				continue;
			k = l->msglen;
		} else if ((k = clog_ci_prefix(l->msg, l->msglen,
		    r->text)) == 0)
			continue;
		/* A handler that finds nothing lets later rows try. */
		if (r->fn == NULL || r->fn(c, r, l, l->msg + k, l->msglen - k))
			return 1;
	}
	return 0;
}

/*
 * Splits an hclog text message from its key/values: the first ": " (of
 * the first CLOG_SPLIT_TRIES) after which the rest is entirely
 * key=value pairs.  Messages may themselves contain ": " ("serf:
 * EventMemberJoin: a 10.0.0.1"), so the split is never taken blindly.
 */
static void
clog_kv_split(struct clog *c, struct clog_line *l)
{
	const char	*s = l->msg, *p, *end = l->msg + l->msglen;
	int		 tries;

	for (tries = 0, p = s; tries < CLOG_SPLIT_TRIES && p < end; tries++) {
		if ((p = clog_find(p, (size_t)(end - p), ": ")) == NULL)
			return;
		if (clog_kv_parse(c, l, p + 2, (size_t)(end - p - 2), 0) == 0) {
			clog_kv_parse(c, l, p + 2, (size_t)(end - p - 2), 1);
			l->msglen = (size_t)(p - s);
			return;
		}
		p += 2;
	}
}

/*
 * Reads s[0..n) as "k=v k=\"v w\" k=" pairs.  Returns 0 when all of it
 * is such pairs (recording them in l when `store`), -1 otherwise.
 */
static int
clog_kv_parse(struct clog *c, struct clog_line *l, const char *s, size_t n,
    int store)
{
	size_t	i = 0, ks, ke, vs, ve;
	int	quoted, any = 0;

	while (i < n) {
		while (i < n && s[i] == ' ')
			i++;
		if (i == n)
			break;
		ks = i;
		while (i < n && s[i] != '=' && s[i] != ' ' && s[i] != '"')
			i++;
		if (i == ks || i == n || s[i] != '=')
			return -1;
		ke = i++;
		quoted = 0;
		if (i < n && s[i] == '"') {
			/*
			 * Older hclog quotes without escaping, so a quote
			 * inside the value closes it only when a space or the
			 * end follows.
			 */
			vs = ++i;
			for (;;) {
				while (i < n && s[i] != '"') {
					if (s[i] == '\\' && i + 1 < n)
						i++;
					i++;
				}
				if (i >= n)
					return -1;
				if (i + 1 == n || s[i + 1] == ' ')
					break;
				i++;
			}
			ve = i++;
			quoted = 1;
		} else {
			vs = i;
			while (i < n && s[i] != ' ')
				i++;
			ve = i;
		}
		if (i < n && s[i] != ' ')
			return -1;
		any = 1;
		if (store && l->nkv < CLOG_KV_MAX) {
			struct clog_kv	*kv = &l->kv[l->nkv++];

			kv->key = clog_str(c, s + ks, ke - ks, ke - ks);
			if (quoted)
				kv->val = clog_unquote(c, s + vs, ve - vs,
				    &kv->vlen);
			else {
				kv->val = clog_str(c, s + vs, ve - vs,
				    ve - vs);
				kv->vlen = ve - vs;
			}
			kv->obj = NULL;
		}
	}
	return any ? 0 : -1;
}

/* hclog "term=N" or raft's older " in term N": the line's clock. */
static void
clog_line_term(struct clog_line *l)
{
	const struct clog_kv	*kv;
	const char		*p;
	size_t			 k, rest;
	uint64_t		 v;

	if ((kv = clog_kv(l, "term")) != NULL) {
		if (clog_u64(kv->val, kv->vlen, &v) == 0) {
			l->clock.set |= QS_CLOCK_TERM;
			l->clock.term = v;
		}
		return;
	}
	if ((p = clog_find(l->msg, l->msglen, " in term ")) == NULL)
		return;
	p += 9;
	rest = l->msglen - (size_t)(p - l->msg);
	for (k = 0; k < rest && p[k] >= '0' && p[k] <= '9'; k++)
		;
	if (clog_u64(p, k, &v) == 0) {
		l->clock.set |= QS_CLOCK_TERM;
		l->clock.term = v;
	}
}

/* ---------------------------------------------------------------------
 * Small string tools.  Every span is (pointer, length); nothing reads
 * past it.
 */

/* Room for a per-line string: scratch first, the run's arena after. */
static char *
clog_alloc(struct clog *c, size_t n)
{
	char	*p;

	if (n <= CLOG_SCRATCH - c->scratch_used) {
		p = c->scratch + c->scratch_used;
		c->scratch_used += n;
		return p;
	}
	return qs_arena_alloc(&c->ctx->run->arena, n);
}

/* A NUL-terminated copy of at most `max` bytes of s, valid for the line. */
static const char *
clog_str(struct clog *c, const char *s, size_t n, size_t max)
{
	char	*p;

	if (n > max)
		n = max;
	p = clog_alloc(c, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

/* The inside of an hclog (Go strconv) quoted value, unescaped. */
static const char *
clog_unquote(struct clog *c, const char *s, size_t n, size_t *outlen)
{
	char	*d = clog_alloc(c, n + 1);
	size_t	 i, j = 0;

	for (i = 0; i < n; i++) {
		if (s[i] == '\\' && i + 1 < n) {
			i++;
			switch (s[i]) {
			case 'n':
				d[j++] = '\n';
				break;
			case 't':
				d[j++] = '\t';
				break;
			case 'r':
				d[j++] = '\r';
				break;
			default:
				d[j++] = s[i];
				break;
			}
		} else
			d[j++] = s[i];
	}
	d[j] = '\0';
	*outlen = j;
	return d;
}

/* Length of the ASCII case-insensitive prefix pat of s, or 0. */
static size_t
clog_ci_prefix(const char *s, size_t n, const char *pat)
{
	size_t	i;

	for (i = 0; pat[i] != '\0'; i++) {
		char	a, b;

		if (i >= n)
			return 0;
		a = s[i];
		b = pat[i];
		if (a >= 'A' && a <= 'Z')
			a += 'a' - 'A';
		if (b >= 'A' && b <= 'Z')
			b += 'a' - 'A';
		if (a != b)
			return 0;
	}
	return i;
}

static const char *
clog_find(const char *s, size_t n, const char *pat)
{
	return memmem(s, n, pat, strlen(pat));
}

/*
 * pat in the message (with its key/values) or in any value: where it
 * starts, with OUT: *rest the bytes from there to the end of that text.
 */
static const char *
clog_line_find(const struct clog_line *l, const char *pat, size_t *rest)
{
	const char	*p;
	size_t		 i;

	if ((p = clog_find(l->body, l->bodylen, pat)) != NULL) {
		if (rest != NULL)
			*rest = l->bodylen - (size_t)(p - l->body);
		return p;
	}
	if (!l->json)
		return NULL;
	for (i = 0; i < l->nkv; i++)
		if ((p = clog_find(l->kv[i].val, l->kv[i].vlen, pat)) != NULL) {
			if (rest != NULL)
				*rest = l->kv[i].vlen -
				    (size_t)(p - l->kv[i].val);
			return p;
		}
	return NULL;
}

static const struct clog_kv *
clog_kv(const struct clog_line *l, const char *key)
{
	size_t	i;

	for (i = 0; i < l->nkv; i++)
		if (strcmp(l->kv[i].key, key) == 0)
			return &l->kv[i];
	return NULL;
}

static void
clog_trim(const char **s, size_t *n)
{
	while (*n > 0 && (**s == ' ' || **s == '\t')) {
		(*s)++;
		(*n)--;
	}
	while (*n > 0 && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
		(*n)--;
}

/* Bytes of s before the first of the characters in `stop` (or n). */
static size_t
clog_span_until(const char *s, size_t n, const char *stop)
{
	size_t	i;

	for (i = 0; i < n; i++)
		if (strchr(stop, s[i]) != NULL && s[i] != '\0')
			break;
	return i;
}

/* Decimal digits only, at most 20, no overflow: 0, else -1. */
static int
clog_u64(const char *s, size_t n, uint64_t *out)
{
	char			 buf[24];
	char			*end;
	unsigned long long	 v;
	size_t			 i;

	if (n == 0 || n > 20)
		return -1;
	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return -1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	errno = 0;
	v = strtoull(buf, &end, 10);
	if (errno != 0 || *end != '\0')
		return -1;
	*out = v;
	return 0;
}

/* An IPv4 or IPv6 address as Go prints a net.IP. */
static int
clog_is_ip(const char *s, size_t n)
{
	size_t	i, dots = 0, colons = 0;

	if (n < 2 || n > 45)
		return 0;
	for (i = 0; i < n; i++) {
		char	ch = s[i];

		if (ch == '.')
			dots++;
		else if (ch == ':')
			colons++;
		else if (!((ch >= '0' && ch <= '9') ||
		    (ch >= 'a' && ch <= 'f') || (ch >= 'A' && ch <= 'F')))
			return 0;
	}
	if (colons == 0) {
		for (i = 0; i < n; i++)
			if (s[i] != '.' && (s[i] < '0' || s[i] > '9'))
				return 0;
		return dots == 3;
	}
	return colons >= 2;
}

/* "<node>.<dc>": a WAN member name, once the datacenter is known. */
static int
clog_is_wan_name(const struct clog *c, const char *s, size_t n)
{
	size_t	k;

	if (c->dc == NULL)
		return 0;
	k = strlen(c->dc);
	return n > k + 1 && s[n - k - 1] == '.' &&
	    memcmp(s + n - k, c->dc, k) == 0;
}

/*
 * A raft peer as logged: "{Voter id addr}" (Go %v of raft.Server), a
 * JSON object {"Suffrage":..,"ID":..,"Address":..}, or a bare address.
 * Returns the address, or NULL.
 */
static const char *
clog_server_addr(struct clog *c, const struct clog_kv *kv, const char *s,
    size_t n)
{
	const cJSON	*a;
	const char	*sp;
	size_t		 k, i, spaces;

	if (kv != NULL && kv->obj != NULL) {
		a = cJSON_GetObjectItemCaseSensitive(kv->obj, "Address");
		if (cJSON_IsString(a) && a->valuestring[0] != '\0')
			return clog_str(c, a->valuestring,
			    strlen(a->valuestring), CLOG_TOKEN_MAX);
		return NULL;
	}
	if (kv != NULL) {
		s = kv->val;
		n = kv->vlen;
	}
	clog_trim(&s, &n);
	if (n > 0 && s[0] == '{') {
		/* "{Suffrage ID Address}": all three words, or nothing. */
		if ((k = clog_span_until(s, n, "}")) == n)
			return NULL;
		for (i = 0, spaces = 0; i < k; i++)
			spaces += s[i] == ' ';
		if (spaces < 2)
			return NULL;
		s++;
		n = k - 1;
		/* The address is the last word inside the braces. */
		for (sp = s + n; sp > s && sp[-1] != ' '; sp--)
			;
		n -= (size_t)(sp - s);
		s = sp;
	} else
		n = clog_span_until(s, n, " ,");
	if (n == 0)
		return NULL;
	return clog_str(c, s, n, CLOG_TOKEN_MAX);
}

/*
 * A configuration as raft prints it, "[{Suffrage:Voter ID:a
 * Address:10.0.0.1:8300} ...]": a consensus view with one member per
 * server.  `has_index`: the line gave the configuration's index.
 */
static void
clog_servers_view(struct clog *c, struct clog_line *l, const char *s,
    size_t n, int has_index, uint64_t index)
{
	struct qs_view		*v;
	const char		*end, *p, *q, *tok;
	const char		*id, *addr;
	enum qs_member_state	 st;
	size_t			 k, tl, count = 0;

	/* A torn or garbled list is no view: empty would mean "no voters". */
	clog_trim(&s, &n);
	if (n < 2 || s[0] != '[' || s[n - 1] != ']' ||
	    (n > 2 && (s[1] != '{' || s[n - 2] != '}'))) {
		if (c->bad_lines++ == 0)
			c->bad_line = l->lineno;
		return;
	}
	end = s + n;
	if (!clog_room(c))
		return;
	v = qs_emit_view(c->ctx, QS_VIEW_CONSENSUS, "raft configuration (log)",
	    clog_ev(c, l));
	v->time = l->time;
	v->clock = l->clock;
	if (has_index) {
		v->clock.set |= QS_CLOCK_INDEX;
		v->clock.index = index;
	}
	for (p = s; p < end && count < CLOG_VIEW_MAX; p = q + 1) {
		if ((p = memchr(p, '{', (size_t)(end - p))) == NULL)
			break;
		p++;
		if ((q = memchr(p, '}', (size_t)(end - p))) == NULL)
			break;
		id = addr = NULL;
		st = QS_MEMBER_LISTED;
		for (tok = p; tok < q; tok += tl + 1) {
			tl = clog_span_until(tok, (size_t)(q - tok), " ");
			if ((k = clog_ci_prefix(tok, tl, "Suffrage:")) > 0) {
				if (clog_ci_prefix(tok + k, tl - k, "Voter") ==
				    5 && tl - k == 5)
					st = QS_MEMBER_VOTER;
				else if (tl > k)
					st = QS_MEMBER_NONVOTER;
			} else if ((k = clog_ci_prefix(tok, tl, "ID:")) > 0 &&
			    tl > k)
				id = clog_str(c, tok + k, tl - k,
				    CLOG_TOKEN_MAX);
			else if ((k = clog_ci_prefix(tok, tl,
			    "Address:")) > 0 && tl > k)
				addr = clog_str(c, tok + k, tl - k,
				    CLOG_TOKEN_MAX);
		}
		if (id != NULL || addr != NULL) {
			qs_view_add(c->ctx, v, NULL, addr, id, st);
			count++;
		}
	}
}

/* ---------------------------------------------------------------------
 * Recording.  Every observation of a line shares one evidence record.
 */

static const struct qs_evidence *
clog_ev(struct clog *c, struct clog_line *l)
{
	if (!l->has_ev) {
		l->ev = qs_evidence_line(c->ctx, l->lineno, l->raw);
		l->has_ev = 1;
	}
	return &l->ev;
}

/* Counts one observation; 0 once the file has given CLOG_OBS_MAX. */
static int
clog_room(struct clog *c)
{
	if (c->nobs >= CLOG_OBS_MAX) {
		c->capped = 1;
		return 0;
	}
	c->nobs++;
	return 1;
}

static struct qs_event *
clog_event(struct clog *c, struct clog_line *l, enum qs_event_kind kind,
    const char *subject, const char *detail)
{
	struct qs_event	*e;

	if (!clog_room(c))
		return NULL;
	if (subject != NULL && *subject == '\0')
		subject = NULL;
	e = qs_emit_event(c->ctx, kind, subject, clog_ev(c, l));
	e->time = l->time;
	e->clock = l->clock;
	e->detail = detail != NULL && *detail != '\0' ?
	    qs_pstrdup(c->ctx, detail) : NULL;
	return e;
}

static struct qs_signal *
clog_signal(struct clog *c, struct clog_line *l, enum qs_signal_kind kind,
    const char *subject, const char *detail)
{
	struct qs_signal	*s;

	if (!clog_room(c))
		return NULL;
	if (subject != NULL && *subject == '\0')
		subject = NULL;
	s = qs_emit_signal(c->ctx, kind, subject, clog_ev(c, l));
	s->time = l->time;
	s->clock = l->clock;
	s->detail = detail != NULL && *detail != '\0' ?
	    qs_pstrdup(c->ctx, detail) : NULL;
	return s;
}

static void
clog_identity(struct clog *c, struct clog_line *l, enum qs_ident kind,
    const char *value, const char *role, const char *subject)
{
	if (value == NULL || *value == '\0' || !clog_room(c))
		return;
	qs_emit_identity(c->ctx, kind, value, role, subject, clog_ev(c, l));
}

static void
clog_setting(struct clog *c, struct clog_line *l, const char *key,
    const char *value)
{
	if (value == NULL || *value == '\0' || !clog_room(c))
		return;
	qs_emit_setting(c->ctx, key, value, clog_ev(c, l));
}

/*
 * A raft state change of the observing server.  Following records only
 * the server's own address; a candidacy is an election with its term; a
 * leader takes the term of the candidacy that made it one.
 */
static void
clog_raft_state(struct clog *c, struct clog_line *l, const char *addr,
    size_t alen, enum clog_state st)
{
	struct qs_event	*e;
	const char	*a;

	if (addr != NULL && alen > 0) {
		a = clog_str(c, addr, alen, CLOG_TOKEN_MAX);
		if (c->raft_self == NULL || strcmp(c->raft_self, a) != 0) {
			clog_identity(c, l, QS_ID_ADDRESS, a, "raft", NULL);
			c->raft_self = qs_pstrdup(c->ctx, a);
		}
	}
	switch (st) {
	case CLOG_FOLLOWER:
		c->cand_term_set = 0;
		break;
	case CLOG_CANDIDATE:
		clog_event(c, l, QS_EV_ELECTION_START, NULL, NULL);
		c->cand_term_set = (l->clock.set & QS_CLOCK_TERM) != 0;
		c->cand_term = l->clock.term;
		break;
	case CLOG_LEADER:
		e = clog_event(c, l, QS_EV_LEADER_ELECTED, NULL, NULL);
		if (e != NULL && !(e->clock.set & QS_CLOCK_TERM) &&
		    c->cand_term_set) {
			e->clock.set |= QS_CLOCK_TERM;
			e->clock.term = c->cand_term;
		}
		break;
	}
}

/* ---------------------------------------------------------------------
 * The handlers of clog_rules[].  `rest` is the message after the matched
 * prefix (for CONTAINS rows: empty).
 */

/* serf: "EventMemberJoin: <name> <ip>" and kin; "<name>" alone for
 * updates and reaps.  Names may hold spaces: the last word is the
 * address only when it is one. */
static int
h_serf_member(struct clog *c, const struct clog_rule *r,
    struct clog_line *l, const char *rest, size_t n)
{
	const char	*name, *ip = NULL, *sp, *detail = r->detail;
	size_t		 nlen = n, iplen = 0, k;
	int		 wan;

	clog_trim(&rest, &n);
	if (n == 0)
		return 0;
	for (sp = rest + n; sp > rest && sp[-1] != ' '; sp--)
		;
	if (sp > rest && clog_is_ip(sp, n - (size_t)(sp - rest))) {
		ip = sp;
		iplen = n - (size_t)(sp - rest);
		nlen = (size_t)(sp - rest);
	}
	clog_trim(&rest, &nlen);
	if (nlen == 0)
		return 0;
	wan = l->wan || clog_is_wan_name(c, rest, nlen);
	/*
	 * Without a datacenter yet: serf logs a server's LAN event and then
	 * its WAN one, "<name>.<dc>" with the same address.  That pair
	 * shows the pool and teaches the datacenter.
	 */
	if (!wan && c->dc == NULL && ip != NULL && c->last_name[0] != '\0' &&
	    (k = strlen(c->last_name)) + 1 < nlen &&
	    memcmp(rest, c->last_name, k) == 0 && rest[k] == '.' &&
	    memchr(rest + k + 1, '.', nlen - k - 1) == NULL &&
	    iplen == strlen(c->last_ip) && memcmp(ip, c->last_ip, iplen) == 0) {
		wan = 1;
		c->dc = qs_pstrndup(c->ctx, rest + k + 1, nlen - k - 1);
	}
	if (!wan && ip != NULL && nlen <= CLOG_TOKEN_MAX &&
	    iplen < sizeof(c->last_ip)) {
		memcpy(c->last_name, rest, nlen);
		c->last_name[nlen] = '\0';
		memcpy(c->last_ip, ip, iplen);
		c->last_ip[iplen] = '\0';
	}
	if (wan)
		detail = detail != NULL ? "forced wan" : "wan";
	name = clog_str(c, rest, nlen, CLOG_TOKEN_MAX);
	clog_event(c, l, (enum qs_event_kind)r->kind, name, detail);
	if (ip != NULL)
		clog_identity(c, l, QS_ID_ADDRESS,
		    clog_str(c, ip, iplen, iplen), "serf", name);
	/* The agent's own leave: it left gracefully. */
	if (r->kind == QS_EV_LEAVE && r->detail == NULL &&
	    clog_is_self(c, rest, nlen, wan))
		clog_signal(c, l, QS_SIG_GRACEFUL_LEAVE, NULL, "serf leave");
	return 1;
}

/*
 * Whether a serf member name is the agent's own: its banner name, or on
 * the WAN pool "<name>.<dc>".
 */
static int
clog_is_self(const struct clog *c, const char *s, size_t n, int wan)
{
	size_t	sl, dl;

	if (c->self_name == NULL)
		return 0;
	sl = strlen(c->self_name);
	if (n < sl || memcmp(s, c->self_name, sl) != 0)
		return 0;
	if (n == sl)
		return 1;
	if (!wan || s[sl] != '.')
		return 0;
	if (c->dc == NULL)
		return memchr(s + sl + 1, '.', n - sl - 1) == NULL;
	dl = strlen(c->dc);
	return n == sl + 1 + dl && memcmp(s + sl + 1, c->dc, dl) == 0;
}

/* "Attempting re-join to previously known node: <name>: <ip:port>". */
static int
h_serf_rejoin(struct clog *c, const struct clog_rule *r,
    struct clog_line *l, const char *rest, size_t n)
{
	const char	*p, *sep = NULL, *addr = "";
	size_t		 nlen = n, alen = 0;

	for (p = rest; p + 1 < rest + n; p++)
		if (p[0] == ':' && p[1] == ' ')
			sep = p;
	if (sep != NULL) {
		nlen = (size_t)(sep - rest);
		addr = sep + 2;
		alen = n - nlen - 2;
		clog_trim(&addr, &alen);
	}
	clog_trim(&rest, &nlen);
	clog_signal(c, l, (enum qs_signal_kind)r->kind,
	    nlen > 0 ? clog_str(c, rest, nlen, CLOG_TOKEN_MAX) : NULL,
	    qs_arena_printf(&c->ctx->run->arena, "%s%s%s", r->detail,
	    alen > 0 ? " " : "", clog_str(c, addr, alen, CLOG_TOKEN_MAX)));
	return 1;
}

/* A signal about the observer itself, detail from the row. */
static int
h_signal(struct clog *c, const struct clog_rule *r, struct clog_line *l,
    const char *rest, size_t n)
{
	clog_signal(c, l, (enum qs_signal_kind)r->kind, NULL, r->detail);
	return 1;
}

/* serf: "Name conflict for '<name>' both <a> and <b> are claiming". */
static int
h_name_conflict(struct clog *c, const struct clog_rule *r,
    struct clog_line *l, const char *rest, size_t n)
{
	const char	*p, *a, *b, *detail = NULL;
	size_t		 k, al = 0, bl = 0, left;

	k = clog_span_until(rest, n, "'");
	if (k == 0 || k == n)
		return 0;
	p = rest + k + 1;
	left = n - k - 1;
	if ((a = clog_find(p, left, "both ")) != NULL) {
		a += 5;
		al = clog_span_until(a, left - (size_t)(a - p), " ");
		if ((b = clog_find(a, left - (size_t)(a - p), " and ")) !=
		    NULL) {
			b += 5;
			bl = clog_span_until(b, left - (size_t)(b - p), " ");
			if (al > 0 && bl > 0)
				detail = qs_arena_printf(&c->ctx->run->arena,
				    "%s %s", clog_str(c, a, al, CLOG_TOKEN_MAX),
				    clog_str(c, b, bl, CLOG_TOKEN_MAX));
		}
	}
	clog_signal(c, l, QS_SIG_NAME_CONFLICT,
	    clog_str(c, rest, k, CLOG_TOKEN_MAX), detail);
	return 1;
}

/* memberlist: "Conflicting address for <name>. Mine: <a> Theirs: <b>". */
static int
h_addr_conflict(struct clog *c, const struct clog_rule *r,
    struct clog_line *l, const char *rest, size_t n)
{
	const char	*mine, *theirs;
	size_t		 nlen = n, ml = 0, tl = 0;

	if ((mine = clog_find(rest, n, ". Mine: ")) != NULL) {
		nlen = (size_t)(mine - rest);
		mine += 8;
		ml = clog_span_until(mine, n - (size_t)(mine - rest), " ");
	}
	if ((theirs = clog_find(rest, n, "Theirs: ")) != NULL) {
		theirs += 8;
		tl = clog_span_until(theirs, n - (size_t)(theirs - rest), " ");
	}
	clog_trim(&rest, &nlen);
	if (nlen == 0)
		return 0;
	clog_signal(c, l, QS_SIG_NAME_CONFLICT,
	    clog_str(c, rest, nlen, CLOG_TOKEN_MAX),
	    ml > 0 && tl > 0 ? qs_arena_printf(&c->ctx->run->arena, "%s %s",
	    clog_str(c, mine, ml, CLOG_TOKEN_MAX),
	    clog_str(c, theirs, tl, CLOG_TOKEN_MAX)) : NULL);
	return 1;
}

/* memberlist or serf could not decrypt: gossip keys differ. */
static int
h_key_mismatch(struct clog *c, const struct clog_rule *r,
    struct clog_line *l, const char *rest, size_t n)
{
	const struct clog_kv	*kv;
	const char		*from = NULL, *p;
	size_t			 left;

	if ((kv = clog_kv(l, "from")) != NULL && kv->vlen > 0)
		from = clog_str(c, kv->val, kv->vlen, CLOG_TOKEN_MAX);
	else if ((p = clog_line_find(l, "from=", &left)) != NULL)
		from = clog_str(c, p + 5, clog_span_until(p + 5, left - 5,
		    " "), CLOG_TOKEN_MAX);
	else if ((p = clog_line_find(l, "from: ", &left)) != NULL)
		from = clog_str(c, p + 6, clog_span_until(p + 6, left - 6,
		    " )"), CLOG_TOKEN_MAX);
	clog_signal(c, l, QS_SIG_KEY_MISMATCH,
	    from != NULL && *from != '\0' ? from : NULL, NULL);
	return 1;
}

/* "Member '<name>' has conflicting node ID '<id>' with member '<other>'". */
static int
h_node_id_conflict(struct clog *c, const struct clog_rule *r,
    struct clog_line *l, const char *rest, size_t n)
{
	const char	*p, *name = NULL, *id = NULL;
	size_t		 left, k;

	if ((p = clog_line_find(l, "Member '", &left)) != NULL) {
		k = clog_span_until(p + 8, left - 8, "'");
		if (k > 0)
			name = clog_str(c, p + 8, k, CLOG_TOKEN_MAX);
	}
	if ((p = clog_line_find(l, "node ID '", &left)) != NULL) {
		k = clog_span_until(p + 9, left - 9, "'");
		if (k > 0)
			id = clog_str(c, p + 9, k, CLOG_TOKEN_MAX);
	}
	clog_signal(c, l, QS_SIG_NODE_ID_CONFLICT, name, id);
	return 1;
}

/* raft v0.x/v1.0: "Node at <addr> [Follower] entering Follower state". */
static int
h_raft_legacy_state(struct clog *c, const struct clog_rule *r,
    struct clog_line *l, const char *rest, size_t n)
{
	size_t	alen = clog_span_until(rest, n, " ");

	if (clog_find(rest, n, "entering Follower state") != NULL)
		clog_raft_state(c, l, rest, alen, CLOG_FOLLOWER);
	else if (clog_find(rest, n, "entering Candidate state") != NULL)
		clog_raft_state(c, l, rest, alen, CLOG_CANDIDATE);
	else if (clog_find(rest, n, "entering Leader state") != NULL)
		clog_raft_state(c, l, rest, alen, CLOG_LEADER);
	return 1;
}

/* raft hclog: "entering follower state: follower=\"Node at <addr>
 * [Follower]\" leader=<addr>" and the candidate and leader forms. */
static int
h_raft_state(struct clog *c, const struct clog_rule *r, struct clog_line *l,
    const char *rest, size_t n)
{
	const char	*p;
	size_t		 left;

	if ((p = clog_line_find(l, "Node at ", &left)) != NULL)
		clog_raft_state(c, l, p + 8, clog_span_until(p + 8, left - 8,
		    " \""), (enum clog_state)r->kind);
	else
		clog_raft_state(c, l, NULL, 0, (enum clog_state)r->kind);
	return 1;
}

/* The observer starts an election (a candidate line usually follows). */
static int
h_election_start(struct clog *c, const struct clog_rule *r,
    struct clog_line *l, const char *rest, size_t n)
{
	clog_event(c, l, QS_EV_ELECTION_START, NULL, r->detail);
	return 1;
}

/* "election won: term=N tally=M": keep the term for the leader line. */
static int
h_election_won(struct clog *c, const struct clog_rule *r,
    struct clog_line *l, const char *rest, size_t n)
{
	if (l->clock.set & QS_CLOCK_TERM) {
		c->cand_term_set = 1;
		c->cand_term = l->clock.term;
	}
	return 1;
}

/* raft stepped down; kind 1: because a quorum could not be reached. */
static int
h_leader_lost(struct clog *c, const struct clog_rule *r,
    struct clog_line *l, const char *rest, size_t n)
{
	clog_event(c, l, QS_EV_LEADER_LOST, NULL, r->detail);
	if (r->kind)
		clog_signal(c, l, QS_SIG_QUORUM_LOST, NULL, NULL);
	c->cand_term_set = 0;
	return 1;
}

/* "Added peer <addr>, starting replication" / "added peer, starting
 * replication: peer=<id>"; removals alike. */
static int
h_peer(struct clog *c, const struct clog_rule *r, struct clog_line *l,
    const char *rest, size_t n)
{
	const struct clog_kv	*kv;
	const char		*peer;

	if ((kv = clog_kv(l, "peer")) != NULL)
		peer = clog_server_addr(c, NULL, kv->val, kv->vlen);
	else
		peer = clog_server_addr(c, NULL, rest, n);
	if (peer != NULL)
		clog_event(c, l, (enum qs_event_kind)r->kind, peer, NULL);
	return 1;
}

/*
 * "Updating configuration with <cmd> (<id>, <addr>) to [...]" (raft
 * v1.0) / "updating configuration: command=<cmd> server-id=<id>
 * server-addr=<addr> servers=\"[...]\"": the change and the new set.
 */
static int
h_config_update(struct clog *c, const struct clog_rule *r,
    struct clog_line *l, const char *rest, size_t n)
{
	const struct clog_kv	*kv;
	const char		*cmd = NULL, *id = NULL, *p, *srv = NULL;
	size_t			 k, srvlen = 0;

	if ((kv = clog_kv(l, "command")) != NULL)
		cmd = kv->val;
	if ((kv = clog_kv(l, "server-id")) != NULL && kv->vlen > 0)
		id = kv->val;
	if ((kv = clog_kv(l, "servers")) != NULL) {
		srv = kv->val;
		srvlen = kv->vlen;
	}
	if (cmd == NULL && n > 5 && clog_ci_prefix(rest, n, " with ") == 6) {
		p = rest + 6;
		k = clog_span_until(p, n - 6, " ");
		cmd = clog_str(c, p, k, CLOG_TOKEN_MAX);
		if ((p = memchr(rest, '(', n)) != NULL) {
			p++;
			k = clog_span_until(p, n - (size_t)(p - rest), ",)");
			if (k > 0)
				id = clog_str(c, p, k, CLOG_TOKEN_MAX);
		}
		if ((p = clog_find(rest, n, " to [")) != NULL) {
			srv = p + 4;
			srvlen = n - (size_t)(srv - rest);
		}
	}
	if (cmd == NULL && srv == NULL)
		return 0;
	clog_event(c, l, QS_EV_CONFIG_CHANGE, id, cmd);
	if (srv != NULL)
		clog_servers_view(c, l, srv, srvlen, 0, 0);
	return 1;
}

/* "Initial configuration (index=N): [...]" / "initial configuration:
 * index=N servers=\"[...]\"". */
static int
h_config_initial(struct clog *c, const struct clog_rule *r,
    struct clog_line *l, const char *rest, size_t n)
{
	const struct clog_kv	*kv;
	const char		*p, *srv = NULL;
	size_t			 k, srvlen = 0;
	uint64_t		 index = 0;
	int			 has_index = 0;

	if ((kv = clog_kv(l, "index")) != NULL)
		has_index = clog_u64(kv->val, kv->vlen, &index) == 0;
	if ((kv = clog_kv(l, "servers")) != NULL) {
		srv = kv->val;
		srvlen = kv->vlen;
	}
	if (srv == NULL && (p = clog_find(rest, n, "(index=")) != NULL) {
		p += 7;
		k = clog_span_until(p, n - (size_t)(p - rest), ")");
		has_index = clog_u64(p, k, &index) == 0;
		if ((p = memchr(p, '[', n - (size_t)(p - rest))) != NULL) {
			srv = p;
			srvlen = n - (size_t)(p - rest);
		}
	}
	if (srv == NULL)
		return 0;
	clog_event(c, l, QS_EV_CONFIG_CHANGE, NULL, "initial");
	clog_servers_view(c, l, srv, srvlen, has_index, index);
	return 1;
}

/*
 * A raft RPC to a peer that failed, the peer as the old printf texts put
 * it ("Failed to make RequestVote RPC to <target>: <error>", "Failed to
 * heartbeat to <addr>: <error>", "Failed to AppendEntries to <peer>:
 * <error>") or as hclog's key (r->detail: target= for votes, peer= for
 * replication, a "{Voter id addr}" or an address), with the error.
 */
static int
h_rpc_failed(struct clog *c, const struct clog_rule *r,
    struct clog_line *l, const char *rest, size_t n)
{
	const struct clog_kv	*kv, *err;
	const char		*target = NULL, *detail = NULL, *p, *q;
	size_t			 k, left;

	/* The row's text may end before or after the "to". */
	k = n > 4 && clog_ci_prefix(rest, n, " to ") == 4 ? 4 :
	    n > 1 && *rest == ' ' ? 1 : 0;
	if ((kv = clog_kv(l, r->detail)) != NULL)
		target = clog_server_addr(c, kv, NULL, 0);
	else if (k > 0) {
		p = rest + k;
		left = n - k;
		if (*p == '{') {
			k = clog_span_until(p, left, "}");
			if (k < left)
				k++;
		} else if ((q = clog_find(p, left, ": ")) != NULL)
			k = (size_t)(q - p);
		else
			k = left;
		target = clog_server_addr(c, NULL, p, k);
		if (k + 2 <= left && p[k] == ':' && p[k + 1] == ' ')
			detail = clog_str(c, p + k + 2, left - k - 2,
			    CLOG_DETAIL_MAX);
	}
	if ((err = clog_kv(l, "error")) != NULL)
		detail = clog_str(c, err->val, err->vlen, CLOG_DETAIL_MAX);
	clog_signal(c, l, (enum qs_signal_kind)r->kind, target, detail);
	return 1;
}

/*
 * memberlist: "Suspect <name> has failed, no acks received" (this agent's
 * probe went unanswered) and "Marking <name> as failed, suspect timeout
 * reached (N peer confirmations)": the agent lost contact with <name>.
 * The row's detail is the text after the name; other "Suspect ..." or
 * "Marking ..." messages are not ours.
 */
static int
h_member_suspect(struct clog *c, const struct clog_rule *r,
    struct clog_line *l, const char *rest, size_t n)
{
	const char	*end;

	if ((end = clog_find(rest, n, r->detail)) == NULL || end == rest)
		return 0;
	clog_signal(c, l, QS_SIG_PEER_UNREACHABLE, clog_str(c, rest,
	    (size_t)(end - rest), CLOG_TOKEN_MAX), l->wan ? "wan" : NULL);
	return 1;
}

/* "removed ourself, shutting down" / "..., transitioning to follower". */
static int
h_removed_self(struct clog *c, const struct clog_rule *r,
    struct clog_line *l, const char *rest, size_t n)
{
	while (n > 0 && (*rest == ',' || *rest == ' ')) {
		rest++;
		n--;
	}
	clog_signal(c, l, QS_SIG_REMOVED_SELF, NULL,
	    n > 0 ? clog_str(c, rest, n, CLOG_DETAIL_MAX) : NULL);
	return 1;
}

/* Consul's "cluster leadership acquired" (kind 1) / "... lost". */
static int
h_leadership(struct clog *c, const struct clog_rule *r,
    struct clog_line *l, const char *rest, size_t n)
{
	struct qs_event	*e;

	if (r->kind) {
		e = clog_event(c, l, QS_EV_LEADER_ELECTED, NULL, NULL);
		if (e != NULL && !(e->clock.set & QS_CLOCK_TERM) &&
		    c->cand_term_set) {
			e->clock.set |= QS_CLOCK_TERM;
			e->clock.term = c->cand_term;
		}
	} else {
		clog_event(c, l, QS_EV_LEADER_LOST, NULL, NULL);
		c->cand_term_set = 0;
	}
	return 1;
}

/* A follower hears of a new leader: "New leader elected: <node>" /
 * "New leader elected: payload=<node>". */
static int
h_new_leader(struct clog *c, const struct clog_rule *r,
    struct clog_line *l, const char *rest, size_t n)
{
	const struct clog_kv	*kv;

	if ((kv = clog_kv(l, "payload")) != NULL) {
		rest = kv->val;
		n = kv->vlen;
	} else if (n >= 2 && rest[0] == ':' && rest[1] == ' ') {
		rest += 2;
		n -= 2;
	} else
		return 0;
	clog_trim(&rest, &n);
	if (n > 0)
		clog_event(c, l, QS_EV_LEADER_ELECTED,
		    clog_str(c, rest, n, CLOG_TOKEN_MAX), NULL);
	return 1;
}

/* Consul <= 1.6 reconcile: "member '<n>' left, deregistering", "...
 * reaped, deregistering", "... failed, marking health critical", "...
 * joined, marking health alive". */
static int
h_member_legacy(struct clog *c, const struct clog_rule *r,
    struct clog_line *l, const char *rest, size_t n)
{
	static const struct {
		const char		*text;
		enum qs_event_kind	 kind;
		const char		*detail;
	} what[] = {
		{ "left, deregistering", QS_EV_LEAVE, "deregistered" },
		{ "reaped, deregistering", QS_EV_REAP, "deregistered" },
		{ "failed, marking health critical", QS_EV_FAIL,
		    "health critical" },
		{ "joined, marking health alive", QS_EV_JOIN, "health alive" },
	};
	const char	*p;
	size_t		 k, i, left;

	k = clog_span_until(rest, n, "'");
	if (k == 0 || k + 2 > n)
		return 0;
	p = rest + k + 2;
	left = n - k - 2;
	for (i = 0; i < sizeof(what) / sizeof(what[0]); i++)
		if (clog_ci_prefix(p, left, what[i].text) > 0) {
			clog_event(c, l, what[i].kind,
			    clog_str(c, rest, k, CLOG_TOKEN_MAX),
			    what[i].detail);
			return 1;
		}
	return 0;
}

/* hclog reconcile lines naming the member in member=<n>. */
static int
h_member_kv(struct clog *c, const struct clog_rule *r, struct clog_line *l,
    const char *rest, size_t n)
{
	const struct clog_kv	*kv;

	if ((kv = clog_kv(l, "member")) != NULL && kv->vlen > 0)
		clog_event(c, l, (enum qs_event_kind)r->kind,
		    clog_str(c, kv->val, kv->vlen, CLOG_TOKEN_MAX), r->detail);
	return 1;
}

/* "deregistering member: member=<n> reason=<left|reaped>". */
static int
h_deregister(struct clog *c, const struct clog_rule *r,
    struct clog_line *l, const char *rest, size_t n)
{
	const struct clog_kv	*kv, *why;

	if ((kv = clog_kv(l, "member")) == NULL || kv->vlen == 0)
		return 0;
	why = clog_kv(l, "reason");
	clog_event(c, l, why != NULL && strcmp(why->val, "reaped") == 0 ?
	    QS_EV_REAP : QS_EV_LEAVE,
	    clog_str(c, kv->val, kv->vlen, CLOG_TOKEN_MAX), "deregistered");
	return 1;
}

/* "removing server by ID: \"<id>\"" / "... by address: \"<addr>\"" (old)
 * or id=/address= (hclog): the leader takes a server out of raft. */
static int
h_server_remove(struct clog *c, const struct clog_rule *r,
    struct clog_line *l, const char *rest, size_t n)
{
	const struct clog_kv	*kv;

	if ((kv = clog_kv(l, "id")) != NULL ||
	    (kv = clog_kv(l, "address")) != NULL) {
		rest = kv->val;
		n = kv->vlen;
	} else {
		if (n < 2 || rest[0] != ':')
			return 0;
		rest += 2;
		n -= 2;
	}
	clog_trim(&rest, &n);
	if (n >= 2 && rest[0] == '"' && rest[n - 1] == '"') {
		rest++;
		n -= 2;
	}
	if (n > 0)
		clog_event(c, l, QS_EV_MEMBER_REMOVE,
		    clog_str(c, rest, n, CLOG_TOKEN_MAX), r->detail);
	return 1;
}

/* autopilot: "Attempting removal of failed server node \"<n>\"" (old) or
 * "...: id=<id> name=<n> address=<addr>". */
static int
h_autopilot_remove(struct clog *c, const struct clog_rule *r,
    struct clog_line *l, const char *rest, size_t n)
{
	const struct clog_kv	*kv;

	if ((kv = clog_kv(l, "name")) != NULL ||
	    (kv = clog_kv(l, "id")) != NULL ||
	    (kv = clog_kv(l, "address")) != NULL) {
		rest = kv->val;
		n = kv->vlen;
	}
	clog_trim(&rest, &n);
	if (n >= 2 && rest[0] == '"' && rest[n - 1] == '"') {
		rest++;
		n -= 2;
	}
	if (n > 0)
		clog_event(c, l, QS_EV_MEMBER_REMOVE,
		    clog_str(c, rest, n, CLOG_TOKEN_MAX), r->detail);
	return 1;
}

/* "Found expected number of peers, attempting bootstrap: a,b,c". */
static int
h_bootstrap(struct clog *c, const struct clog_rule *r, struct clog_line *l,
    const char *rest, size_t n)
{
	const struct clog_kv	*kv;

	if ((kv = clog_kv(l, "peers")) != NULL) {
		rest = kv->val;
		n = kv->vlen;
	} else if (n >= 2 && rest[0] == ':') {
		rest += 2;
		n -= 2;
	}
	clog_trim(&rest, &n);
	clog_event(c, l, QS_EV_BOOTSTRAP, NULL,
	    n > 0 ? clog_str(c, rest, n, CLOG_DETAIL_MAX) : NULL);
	return 1;
}

/* Bootstrap mode given up: raft data found, or another server reported
 * peers (named in server=, peer_name= or "reported by <n>,"). */
static int
h_bootstrap_skipped(struct clog *c, const struct clog_rule *r,
    struct clog_line *l, const char *rest, size_t n)
{
	const struct clog_kv	*kv;
	const char		*who = NULL, *p;
	size_t			 left;

	if ((kv = clog_kv(l, "server")) != NULL ||
	    (kv = clog_kv(l, "peer_name")) != NULL)
		who = clog_str(c, kv->val, kv->vlen, CLOG_TOKEN_MAX);
	else if ((p = clog_line_find(l, "reported by ", &left)) != NULL)
		who = clog_str(c, p + 12, clog_span_until(p + 12, left - 12,
		    ", "), CLOG_TOKEN_MAX);
	clog_signal(c, l, QS_SIG_BOOTSTRAP_SKIPPED,
	    who != NULL && *who != '\0' ? who : NULL,
	    clog_line_find(l, "Raft data found", NULL) != NULL ?
	    "raft data found" : "existing peers");
	return 1;
}

/*
 * bootstrap_expect gives up because of another server: "Member has a
 * conflicting expect value..." or "Member ... has bootstrap mode. Expect
 * disabled."  The member is a Go %v of serf.Member ("{name addr port
 * map[... expect:5 ...] alive ...}", inline in old texts, member= in hclog)
 * or a JSON object; its expect tag goes into the detail.
 */
static int
h_bootstrap_member(struct clog *c, const struct clog_rule *r,
    struct clog_line *l, const char *rest, size_t n)
{
	const struct clog_kv	*kv;
	const cJSON		*o, *tags, *e;
	const char		*who = NULL, *exp = NULL, *p, *m = NULL;
	size_t			 k, mlen = 0, left;

	if ((kv = clog_kv(l, "member")) != NULL && kv->obj != NULL) {
		o = cJSON_GetObjectItemCaseSensitive(kv->obj, "Name");
		if (cJSON_IsString(o))
			who = clog_str(c, o->valuestring,
			    strlen(o->valuestring), CLOG_TOKEN_MAX);
		tags = cJSON_GetObjectItemCaseSensitive(kv->obj, "Tags");
		e = cJSON_GetObjectItemCaseSensitive(tags, "expect");
		if (cJSON_IsString(e))
			exp = clog_str(c, e->valuestring,
			    strlen(e->valuestring), CLOG_TOKEN_MAX);
	} else if (kv != NULL) {
		m = kv->val;
		mlen = kv->vlen;
	} else if ((p = clog_line_find(l, "Member {", &left)) != NULL) {
		m = p + 7;
		mlen = left - 7;
	}
	if (m != NULL && mlen > 1 && m[0] == '{') {
		k = clog_span_until(m + 1, mlen - 1, " }");
		if (k > 0)
			who = clog_str(c, m + 1, k, CLOG_TOKEN_MAX);
		if ((p = clog_find(m, mlen, " expect:")) != NULL) {
			p += 8;
			k = clog_span_until(p, mlen - (size_t)(p - m), " ]");
			if (k > 0)
				exp = clog_str(c, p, k, CLOG_TOKEN_MAX);
		}
	}
	clog_signal(c, l, QS_SIG_BOOTSTRAP_SKIPPED, who, exp == NULL ?
	    r->detail : qs_arena_printf(&c->ctx->run->arena,
	    "%s: member expects %s", r->detail, exp));
	return 1;
}

/* "'<a>' and '<b>' are both in bootstrap mode." (old) / "Two nodes are
 * in bootstrap mode...: node_to_add=<a> other=<b>". */
static int
h_dual_bootstrap(struct clog *c, const struct clog_rule *r,
    struct clog_line *l, const char *rest, size_t n)
{
	const struct clog_kv	*a, *b;
	const char		*s = l->msg, *p;
	size_t			 k, k2, m = l->msglen;

	a = clog_kv(l, "node_to_add");
	b = clog_kv(l, "other");
	if (a != NULL) {
		clog_signal(c, l, QS_SIG_DUAL_BOOTSTRAP,
		    clog_str(c, a->val, a->vlen, CLOG_TOKEN_MAX),
		    b != NULL ? clog_str(c, b->val, b->vlen, CLOG_TOKEN_MAX) :
		    NULL);
		return 1;
	}
	if (m < 2 || s[0] != '\'') {
		clog_signal(c, l, QS_SIG_DUAL_BOOTSTRAP, NULL, NULL);
		return 1;
	}
	k = clog_span_until(s + 1, m - 1, "'");
	p = NULL;
	k2 = 0;
	if (k + 1 < m && (p = clog_find(s + k + 2, m - k - 2, "and '")) !=
	    NULL) {
		p += 5;
		k2 = clog_span_until(p, m - (size_t)(p - s), "'");
	}
	clog_signal(c, l, QS_SIG_DUAL_BOOTSTRAP,
	    k > 0 ? clog_str(c, s + 1, k, CLOG_TOKEN_MAX) : NULL,
	    k2 > 0 ? clog_str(c, p, k2, CLOG_TOKEN_MAX) : NULL);
	return 1;
}

/* "Adding LAN server <n> (Addr: ...) (DC: <dc>)": learns the local
 * datacenter when the banner did not say, for WAN names. */
static int
h_lan_server(struct clog *c, const struct clog_rule *r, struct clog_line *l,
    const char *rest, size_t n)
{
	const char	*p;
	size_t		 left, k;

	if (c->dc != NULL || (p = clog_line_find(l, "(DC: ", &left)) == NULL)
		return 1;
	k = clog_span_until(p + 5, left - 5, ") ");
	if (k > 0)
		c->dc = qs_pstrndup(c->ctx, p + 5, k > CLOG_TOKEN_MAX ?
		    CLOG_TOKEN_MAX : k);
	return 1;
}

/* Any "No cluster leader": detail is what failed ("failed to sync remote
 * state", "Coordinate update error"). */
static int
h_no_leader(struct clog *c, const struct clog_rule *r, struct clog_line *l,
    const char *rest, size_t n)
{
	const char	*p;
	size_t		 k = l->msglen;

	if ((p = clog_find(l->msg, l->msglen, ": ")) != NULL)
		k = (size_t)(p - l->msg);
	clog_signal(c, l, QS_SIG_NO_LEADER, NULL,
	    k > 0 ? clog_str(c, l->msg, k, CLOG_DETAIL_MAX) : NULL);
	return 1;
}

/*
 * "==> Starting Consul agent..." (kind 1) always starts a run; "Consul
 * agent running!" only when no start was seen since the last stop (the
 * old banner prints both).
 */
static int
h_start(struct clog *c, const struct clog_rule *r, struct clog_line *l,
    const char *rest, size_t n)
{
	struct qs_event	*e;

	if (r->kind || c->run != CLOG_RUN_STARTED) {
		e = clog_event(c, l, QS_EV_START, NULL, NULL);
		/*
		 * A line without a time of its own (the console banner):
		 * dated by the next log line, not by the last one.
		 */
		if (e != NULL && !l->time.set)
			c->untimed_start = e;
	}
	c->run = CLOG_RUN_STARTED;
	c->stop_why[0] = '\0';
	c->cand_term_set = 0;
	return 1;
}

/*
 * "Error starting agent: <err>" (or "creating"): the agent command
 * returns 1 and the process exits (hashicorp/consul command/agent,
 * Command.run): a stop with the error as its detail.
 */
static int
h_start_error(struct clog *c, const struct clog_rule *r, struct clog_line *l,
    const char *rest, size_t n)
{
	(void)r;
	while (n > 0 && (rest[n - 1] == '\n' || rest[n - 1] == '\r' ||
	    rest[n - 1] == ' '))
		n--;
	clog_event(c, l, QS_EV_STOP, NULL, qs_arena_printf(&c->ctx->run->arena,
	    "exited: %.*s", (int)(n < 240 ? n : 240), rest));
	c->run = CLOG_RUN_STOPPED;
	return 1;
}

/* "Requesting shutdown", "shutdown complete": one stop per run, with the
 * signal that caused it when one was logged. */
static int
h_stop(struct clog *c, const struct clog_rule *r, struct clog_line *l,
    const char *rest, size_t n)
{
	if (c->run != CLOG_RUN_STOPPED)
		clog_event(c, l, QS_EV_STOP, NULL,
		    c->stop_why[0] != '\0' ? c->stop_why : NULL);
	c->run = CLOG_RUN_STOPPED;
	return 1;
}

/* "Caught signal: interrupt" / "Caught: signal=terminated": remembered
 * for the stop that follows (a hangup only reloads). */
static int
h_caught(struct clog *c, const struct clog_rule *r, struct clog_line *l,
    const char *rest, size_t n)
{
	const struct clog_kv	*kv;

	if ((kv = clog_kv(l, "signal")) != NULL) {
		rest = kv->val;
		n = kv->vlen;
	} else if (r->text[6] == '\0')
		return 0;	/* "Caught" without a signal: not ours */
	clog_trim(&rest, &n);
	if (n == 0)
		return 0;
	if (n < sizeof(c->stop_why) && clog_ci_prefix(rest, n, "hangup") == 0) {
		memcpy(c->stop_why, rest, n);
		c->stop_why[n] = '\0';
	}
	return 1;
}

static int
h_graceful(struct clog *c, const struct clog_rule *r, struct clog_line *l,
    const char *rest, size_t n)
{
	clog_signal(c, l, QS_SIG_GRACEFUL_LEAVE, NULL, r->detail);
	return 1;
}

/* Banner "Node name: 'x'", "Node ID: 'x'", "Datacenter: 'x' (Segment:
 * ...)", "Version: 'x'": the quoted value. */
static int
h_banner_quoted(struct clog *c, const struct clog_rule *r,
    struct clog_line *l, const char *rest, size_t n)
{
	const char	*v;
	size_t		 k = clog_span_until(rest, n, "'");

	if (k == 0 || k == n)
		return 0;
	v = clog_str(c, rest, k, CLOG_TOKEN_MAX);
	switch (r->kind) {
	case CLOG_B_NAME:
		clog_identity(c, l, QS_ID_NAME, v, NULL, NULL);
		c->self_name = qs_pstrdup(c->ctx, v);
		break;
	case CLOG_B_NODE_ID:
		clog_identity(c, l, QS_ID_NODE_ID, v, NULL, NULL);
		break;
	case CLOG_B_DC:
		clog_setting(c, l, "datacenter", v);
		c->dc = qs_pstrdup(c->ctx, v);
		break;
	case CLOG_B_VERSION:
		clog_setting(c, l, "version", v);
		break;
	}
	return 1;
}

/* Banner "Server: true (Bootstrap: false)". */
static int
h_banner_server(struct clog *c, const struct clog_rule *r,
    struct clog_line *l, const char *rest, size_t n)
{
	const char	*p;
	size_t		 k = clog_span_until(rest, n, " ");

	if (k == 0)
		return 0;
	clog_setting(c, l, "server", clog_str(c, rest, k, CLOG_TOKEN_MAX));
	if ((p = clog_find(rest, n, "ootstrap: ")) != NULL) {
		p += 10;
		k = clog_span_until(p, n - (size_t)(p - rest), ") ");
		if (k > 0)
			clog_setting(c, l, "bootstrap",
			    clog_str(c, p, k, CLOG_TOKEN_MAX));
	}
	return 1;
}

/* Banner "Cluster Addr: 10.0.0.1 (LAN: 8301, WAN: 8302)": the agent's
 * own serf addresses. */
static int
h_banner_addr(struct clog *c, const struct clog_rule *r,
    struct clog_line *l, const char *rest, size_t n)
{
	static const struct {
		const char	*key;
		const char	*role;
	} ports[] = {
		{ "LAN: ", "serf_lan" },
		{ "WAN: ", "serf_wan" },
	};
	const char	*ip = rest, *p, *v6;
	size_t		 iplen = clog_span_until(rest, n, " "), i, k;
	uint64_t	 port;

	if (iplen == 0 || iplen > 64)
		return 0;
	v6 = memchr(ip, ':', iplen) != NULL ? "[" : "";
	for (i = 0; i < sizeof(ports) / sizeof(ports[0]); i++) {
		if ((p = clog_find(rest, n, ports[i].key)) == NULL)
			continue;
		p += 5;
		k = clog_span_until(p, n - (size_t)(p - rest), ",)");
		if (clog_u64(p, k, &port) != 0 || port == 0 || port > 65535)
			continue;
		clog_identity(c, l, QS_ID_ADDRESS,
		    qs_arena_printf(&c->ctx->run->arena, "%s%.*s%s:%llu", v6,
		    (int)iplen, ip, *v6 != '\0' ? "]" : "",
		    (unsigned long long)port), ports[i].role, NULL);
	}
	return 1;
}

/* Banner "WARNING: Expect Mode enabled, expecting 3 servers". */
static int
h_banner_expect(struct clog *c, const struct clog_rule *r,
    struct clog_line *l, const char *rest, size_t n)
{
	size_t	 k = clog_span_until(rest, n, " ");
	uint64_t v;

	if (clog_u64(rest, k, &v) == 0)
		clog_setting(c, l, "bootstrap_expect",
		    clog_str(c, rest, k, k));
	return 1;
}
