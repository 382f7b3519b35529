/*
 * Content tests for the kinds table.  Each looks at an entry's head (its
 * first QS_HEAD_BYTES) and answers in bits of evidence: how much of what
 * it expects it actually found, 0 for nothing either way, -1 when the
 * content contradicts the kind (a file named raft.db that is text).  The
 * scale matches identify.c: a name match is worth 16 or 24, magic 32.
 *
 * Tests only look; they never trust a length or an offset from the head
 * without checking it against the head's length.
 */
#include "config.h"

#include <ctype.h>
#include <string.h>

#include "quorumscope.h"

/* Bytes looked at by the text tests: enough for a few dozen log lines. */
#define SNIFF_TEXT_SPAN	(16 * 1024)

static size_t
sniff_span(const struct qs_head *h)
{
	return h->len < SNIFF_TEXT_SPAN ? h->len : SNIFF_TEXT_SPAN;
}

static int
sniff_is_text(const struct qs_head *h)
{
	size_t	i, n = sniff_span(h);

	for (i = 0; i < n; i++) {
		unsigned char	c = h->data[i];

		if (c == 0 || (c < 0x20 && c != '\n' && c != '\r' &&
		    c != '\t' && c != '\f' && c != 0x1b))
			return 0;
	}
	return 1;
}

static const unsigned char *
sniff_find(const struct qs_head *h, size_t span, const char *needle)
{
	return memmem(h->data, span < h->len ? span : h->len, needle,
	    strlen(needle));
}

/* How many of the needles occur at least once in the text span. */
static int
sniff_count_any(const struct qs_head *h, const char *const *needles)
{
	size_t	i, span = sniff_span(h);
	int	n = 0;

	for (i = 0; needles[i] != NULL; i++)
		if (sniff_find(h, span, needles[i]) != NULL)
			n++;
	return n;
}

/* First non-blank byte, or -1. */
static int
sniff_first_byte(const struct qs_head *h, size_t *at)
{
	size_t	i;

	for (i = 0; i < h->len; i++) {
		if (!isspace(h->data[i])) {
			if (at != NULL)
				*at = i;
			return h->data[i];
		}
	}
	return -1;
}

/*
 * Content with no signature of its own (a raft snapshot's state.bin is
 * whatever the FSM wrote): neither evidence nor veto, the path decides.
 */
int
qs_sniff_opaque(const struct qs_head *h)
{
	(void)h;
	return 0;
}

int
qs_sniff_text(const struct qs_head *h)
{
	return sniff_is_text(h) ? 0 : -1;
}

/* raft/peers.json: a JSON array, or the literal null (legacy, all left). */
int
qs_sniff_json_peers(const struct qs_head *h)
{
	size_t	at = 0;
	int	c = sniff_first_byte(h, &at);

	if (c == -1)
		return 0;	/* empty: still a (broken) peers file */
	if (!sniff_is_text(h))
		return -1;
	if (c == '[')
		return 8;
	if (h->len - at >= 4 && memcmp(h->data + at, "null", 4) == 0)
		return 8;
	return -1;
}

/* myid, currentEpoch, acceptedEpoch: a decimal number, nothing else. */
int
qs_sniff_small_number(const struct qs_head *h)
{
	size_t	i, digits = 0;

	if (h->len == 0)
		return 0;
	if (h->len > 64)
		return -1;
	for (i = 0; i < h->len; i++) {
		if (isdigit(h->data[i]))
			digits++;
		else if (!isspace(h->data[i]))
			return -1;
	}
	return digits > 0 ? 8 : -1;
}

/* Consul node-id: a UUID, 36 characters in 8-4-4-4-12 groups. */
int
qs_sniff_uuid(const struct qs_head *h)
{
	size_t	i, at = 0;

	if (sniff_first_byte(h, &at) == -1)
		return 0;
	if (h->len - at < 36)
		return -1;
	for (i = 0; i < 36; i++) {
		unsigned char	c = h->data[at + i];

		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (c != '-')
				return -1;
		} else if (!isxdigit(c))
			return -1;
	}
	return 16;
}

/* serf/local.snapshot: every line one of serf's snapshot records. */
int
qs_sniff_serf_snapshot(const struct qs_head *h)
{
	static const char *const prefixes[] = {
		"alive: ", "not-alive: ", "clock: ", "event-clock: ",
		"query-clock: ", "coordinate: ", "leave", "#", NULL
	};
	const unsigned char	*p = h->data, *end = h->data + sniff_span(h);
	int			 good = 0, bad = 0;
	size_t			 i;

	if (h->len == 0)
		return 0;
	if (!sniff_is_text(h))
		return -1;
	while (p < end && good + bad < 32) {
		const unsigned char	*nl = memchr(p, '\n', (size_t)(end - p));
		size_t			 len = nl != NULL ? (size_t)(nl - p) :
		    (size_t)(end - p);

		if (nl == NULL && end < h->data + h->len)
			break;		/* cut by the span: not judged */
		for (i = 0; prefixes[i] != NULL; i++)
			if (len >= strlen(prefixes[i]) &&
			    memcmp(p, prefixes[i], strlen(prefixes[i])) == 0)
				break;
		if (len > 0) {
			if (prefixes[i] != NULL)
				good++;
			else
				bad++;
		}
		if (nl == NULL)
			break;
		p = nl + 1;
	}
	if (good == 0 || bad > good / 4)
		return -1;
	return 24;
}

/*
 * BoltDB files carry the magic at offset 16 of page 0; both Consul's
 * raft.db and etcd's backend are BoltDB.  Bucket names sit in the root
 * bucket's leaf page, usually within the head of a small or fresh file,
 * and tell the two apart when the name does not.
 */
int
qs_sniff_bolt_raft(const struct qs_head *h)
{
	size_t	span = h->len;

	if (sniff_find(h, span, "logs") != NULL &&
	    sniff_find(h, span, "conf") != NULL)
		return 8;
	return 0;
}

int
qs_sniff_bolt_etcd(const struct qs_head *h)
{
	size_t	span = h->len;

	if (sniff_find(h, span, "members") != NULL &&
	    sniff_find(h, span, "meta") != NULL)
		return 8;
	return 0;
}

/* raft/snapshots/<term>-<index>-<ms>/meta.json */
int
qs_sniff_raft_snapshot_meta(const struct qs_head *h)
{
	static const char *const keys[] = {
		"\"ID\"", "\"Index\"", "\"Term\"", "\"Version\"", NULL
	};

	if (sniff_first_byte(h, NULL) != '{')
		return -1;
	return sniff_count_any(h, keys) >= 3 ? 16 : 0;
}

/* Agent configuration, JSON or HCL: several of Consul's own keys. */
int
qs_sniff_consul_config(const struct qs_head *h)
{
	static const char *const keys[] = {
		"bootstrap_expect", "retry_join", "start_join", "data_dir",
		"leave_on_terminate", "skip_leave_on_interrupt",
		"rejoin_after_leave", "advertise_addr", "bind_addr",
		"node_name", "datacenter", "encrypt", "raft_protocol",
		"retry_join_wan", "client_addr", "ui_config", NULL
	};
	int	n;

	if (!sniff_is_text(h))
		return -1;
	n = sniff_count_any(h, keys);
	if (n == 0)
		return h->len == 0 ? 0 : -1;
	if (n < 2)
		return 0;
	return n >= 4 ? 24 : 8 + 4 * n;
}

/*
 * A log by its program's marks: 12 bits for one, then one more bit for
 * each further distinct mark up to eight, so that of two systems whose
 * marks overlap ("raft: " in Consul's and etcd's logs), the one with
 * more of its own wins instead of a tie.
 */
static int
sniff_log_score(const struct qs_head *h, const char *const *marks)
{
	int	n;

	if (!sniff_is_text(h))
		return -1;
	n = sniff_count_any(h, marks);
	if (n == 0)
		return h->len == 0 ? 0 : -1;
	if (n == 1)
		return 12;
	return 22 + (n < 8 ? n : 8);
}

/* Any of Consul's three log generations (formats.md 3.5). */
int
qs_sniff_consul_log(const struct qs_head *h)
{
	static const char *const marks[] = {
		"] agent: ", "] consul: ", "] serf: ", "] raft: ",
		"] memberlist: ", "]  agent.", "] agent.", "] consul.",
		"\"@module\":\"agent", "\"@module\": \"agent", "]  raft: ",
		"agent.server.raft", "agent.server.serf", "==> Starting Consul",
		"==> Consul agent running",
		/* raft's states as hashicorp/raft names them, Consul's ports
		 * and its own words, so that a neutrally named log (server.log,
		 * messages) is told from etcd's "raft: " lines */
		"[Follower] entering", "[Candidate] entering",
		"[Leader] entering", "entering follower state",
		"entering candidate state", "entering leader state",
		":8300", ":8301", ":8302", " consul[", "serf: EventMember",
		"memberlist: ", NULL
	};

	return sniff_log_score(h, marks);
}

/*
 * Text whose lines carry several of a program's own marks: 4 bits a mark
 * found, 24 from three on; none is a veto (an empty file is neither).
 */
static int
sniff_text_marks(const struct qs_head *h, const char *const *marks)
{
	int	n;

	if (!sniff_is_text(h))
		return -1;
	n = sniff_count_any(h, marks);
	if (n == 0)
		return h->len == 0 ? 0 : -1;
	return n >= 3 ? 24 : 4 * n;
}

/*
 * `consul members`, `consul operator raft list-peers`, `consul info`
 * and the CLI's error lines.
 */
int
qs_sniff_consul_cli(const struct qs_head *h)
{
	/* The CLI's own error prefixes: no other program says these. */
	static const char *const errors[] = {
		"Error retrieving members: ", "Error getting peers: ",
		"Error querying agent: ", "Error connecting to Consul agent",
		NULL
	};
	static const char *const marks[] = {
		"Node ", "  Address ", "  Status ", "  Type ", "  Voter ",
		"  RaftProtocol", "\tleader_addr = ", "\tnum_peers = ",
		"\tlatest_configuration = ", "\tknown_datacenters = ",
		"Error retrieving members: ", "Error getting peers: ",
		"Error querying agent: ", "Error connecting to Consul agent",
		"Suffrage:Voter", NULL
	};
	int	n = sniff_text_marks(h, marks);

	if (n >= 0 && n < 16 && sniff_count_any(h, errors) > 0)
		return 16;
	return n;
}

/*
 * `consul debug` archive files (hashicorp/consul command/debug/debug.go):
 * JSON objects with the keys the agent's API gives them.
 */
static int
sniff_json_keys(const struct qs_head *h, int open, const char *const *keys,
    int need)
{
	if (sniff_first_byte(h, NULL) != open || !sniff_is_text(h))
		return -1;
	return sniff_count_any(h, keys) >= need ? 16 : -1;
}

int
qs_sniff_consul_debug_index(const struct qs_head *h)
{
	static const char *const keys[] = {
		"\"AgentVersion\"", "\"Interval\"", "\"Duration\"",
		"\"Targets\"", NULL
	};

	return sniff_json_keys(h, '{', keys, 3);
}

int
qs_sniff_consul_debug_agent(const struct qs_head *h)
{
	static const char *const keys[] = {
		"\"Config\"", "\"NodeName\"", "\"DebugConfig\"", "\"Member\"",
		"\"Stats\"", "\"Datacenter\"", NULL
	};

	return sniff_json_keys(h, '{', keys, 4);
}

int
qs_sniff_consul_debug_members(const struct qs_head *h)
{
	static const char *const keys[] = {
		"\"Name\"", "\"Addr\"", "\"Port\"", "\"Tags\"", "\"Status\"",
		"\"ProtocolCur\"", "\"DelegateCur\"", NULL
	};

	return sniff_json_keys(h, '[', keys, 5);
}

int
qs_sniff_consul_debug_host(const struct qs_head *h)
{
	static const char *const keys[] = {
		"\"Host\"", "\"Disk\"", "\"Memory\"", "\"CPU\"",
		"\"CollectionTime\"", NULL
	};

	return sniff_json_keys(h, '{', keys, 4);
}

int
qs_sniff_consul_debug_metrics(const struct qs_head *h)
{
	static const char *const keys[] = {
		"\"Timestamp\"", "\"Gauges\"", "\"Points\"", "\"Counters\"",
		"\"Samples\"", NULL
	};

	return sniff_json_keys(h, '{', keys, 4);
}

/*
 * etcd WAL: the first frame is a u64le length (with padding bits in the
 * top byte) followed by a walpb.Record whose field 1 (type) is 4, the CRC
 * record every WAL file starts with.
 */
int
qs_sniff_etcd_wal(const struct qs_head *h)
{
	uint64_t	lenfield = 0, n;
	size_t		i;

	if (h->len < 10)
		return h->len == 0 ? 0 : -1;
	for (i = 0; i < 8; i++)
		lenfield |= (uint64_t)h->data[i] << (8 * i);
	n = lenfield & 0x00ffffffffffffffULL;
	if (n == 0 && lenfield == 0)
		return 0;	/* all zeros: a preallocated, unused file */
	if (n < 2 || n > 1024 * 1024)
		return -1;
	if (h->data[8] != 0x08)
		return -1;
	return h->data[9] == 0x04 ? 32 : 8;
}

/* etcd .snap: snappb.snapshot {1 crc varint, 2 data bytes}. */
int
qs_sniff_etcd_snap(const struct qs_head *h)
{
	size_t	i = 1;

	if (h->len < 4)
		return h->len == 0 ? 0 : -1;
	if (h->data[0] != 0x08)
		return -1;
	while (i < h->len && i < 11 && (h->data[i] & 0x80))
		i++;
	if (i + 1 >= h->len || h->data[i + 1] != 0x12)
		return -1;
	return 16;
}

/* etcd logs: capnslog text, zap JSON, raft's own lines. */
int
qs_sniff_etcd_log(const struct qs_head *h)
{
	static const char *const marks[] = {
		" etcdserver: ", " etcdmain: ", " rafthttp: ", " embed: ",
		" raft: ", "| etcdserver", "| etcdmain: ", "| rafthttp: ",
		"| embed: ", "| raft: ", "| pkg/flags: ", "| wal: ",
		"| mvcc: ", "| etcdhttp: ", "\"caller\":\"etcdserver/", "\"caller\":\"etcdmain/",
		"\"caller\":\"rafthttp/", "\"caller\":\"embed/",
		"\"caller\":\"raft/", " INFO: raft.node: ", "etcd Version:",
		"\"msg\":\"starting an etcd server\"",
		/* etcd-io/raft's own words and etcd's peer port */
		"became follower at term", "became candidate at term",
		"became leader at term", "raft.node: ", " etcd[", ":2380",
		"\"local-member-id\"", NULL
	};

	return sniff_log_score(h, marks);
}

/* `etcdctl member list` and `endpoint status`, table, simple or JSON. */
int
qs_sniff_etcdctl(const struct qs_head *h)
{
	static const char *const marks[] = {
		"| PEER ADDRS", "|  PEER ADDRS", "PEER ADDRS", "IS LEARNER",
		"RAFT TERM", "RAFT INDEX", "\"peerURLs\"", "\"raft_term\"",
		"\"raft_index\"", "\"members\":[", "\"Endpoint\"",
		", started, ", ", unstarted, ", "\"member_id\"",
		"peerURLs=", "Failed to get the status of endpoint",
		"retrying of unary invoker failed",
		" is healthy: successfully committed proposal",
		" is unhealthy: failed to commit proposal", "| HEALTH |",
		"etcdctl version:", "got healthy result from",
		"\"etcdserver\":\"", NULL
	};
	int	n;

	if (!sniff_is_text(h))
		return -1;
	n = sniff_count_any(h, marks);
	if (n == 0)
		return h->len == 0 ? 0 : -1;
	return n >= 2 ? 24 : 12;
}

/*
 * etcd's configuration: ETCD_* variables, its flags on a command line,
 * or the YAML keys of a --config-file; all are etcd's own names.
 */
int
qs_sniff_etcd_config(const struct qs_head *h)
{
	static const char *const marks[] = {
		"ETCD_NAME=", "ETCD_DATA_DIR=", "ETCD_INITIAL_CLUSTER=",
		"ETCD_INITIAL_CLUSTER_TOKEN=", "ETCD_INITIAL_CLUSTER_STATE=",
		"ETCD_LISTEN_PEER_URLS=", "ETCD_ADVERTISE_CLIENT_URLS=",
		"ETCD_INITIAL_ADVERTISE_PEER_URLS=", "-initial-cluster",
		"-data-dir", "-listen-peer-urls", "-advertise-client-urls",
		"-initial-advertise-peer-urls", "\ninitial-cluster:",
		"\ndata-dir:", "\nlisten-peer-urls:",
		"\ninitial-advertise-peer-urls:", "\nadvertise-client-urls:",
		"ETCD_FORCE_NEW_CLUSTER=", "-force-new-cluster",
		"\nforce-new-cluster:", "-config-file",
		NULL
	};

	return sniff_text_marks(h, marks);
}

/* The etcd-backup tool's dump.json (seed 002): keys with values. */
int
qs_sniff_etcd_backup(const struct qs_head *h)
{
	static const char *const marks[] = {
		"\"key\"", "\"value\"", "\"dir\"", "_coreos.com", "\"nodes\"",
		NULL
	};
	int	c = sniff_first_byte(h, NULL);

	if (c != '[' && c != '{')
		return -1;
	return sniff_count_any(h, marks) >= 2 ? 16 : -1;
}

/* Java properties lines that only a ZooKeeper configuration has. */
static int
sniff_zk_lines(const struct qs_head *h, int *servers, int *others)
{
	static const char *const keys[] = {
		"tickTime=", "initLimit=", "syncLimit=", "dataDir=",
		"dataLogDir=", "clientPort=", "dynamicConfigFile=",
		"reconfigEnabled=", "standaloneEnabled=", "maxClientCnxns=",
		"autopurge.", "4lw.commands.whitelist=", NULL
	};
	const unsigned char	*p = h->data, *end = h->data + sniff_span(h);
	size_t			 i;

	*servers = *others = 0;
	while (p < end) {
		const unsigned char	*nl = memchr(p, '\n', (size_t)(end - p));
		size_t			 len = nl != NULL ? (size_t)(nl - p) :
		    (size_t)(end - p);

		while (len > 0 && (*p == ' ' || *p == '\t')) {
			p++;
			len--;
		}
		if (len > 7 && memcmp(p, "server.", 7) == 0 &&
		    isdigit(p[7]) && memchr(p, '=', len) != NULL)
			(*servers)++;
		else if (len > 8 && memcmp(p, "version=", 8) == 0)
			(*others)++;
		else
			for (i = 0; keys[i] != NULL; i++)
				if (len >= strlen(keys[i]) &&
				    memcmp(p, keys[i], strlen(keys[i])) == 0) {
					(*others)++;
					break;
				}
		if (nl == NULL)
			break;
		p = nl + 1;
	}
	return 0;
}

/*
 * The "conf" four-letter word's answer looks like a zoo.cfg, but it has
 * lines no configuration file has (ConfCommand, ZooKeeperServer.dumpConf
 * and QuorumPeer: "membership: ", "serverId=", "dataDirSize=").
 */
static int
sniff_zk_conf_answer(const struct qs_head *h)
{
	static const char *const marks[] = {
		"\nmembership: ", "\nserverId=", "\ndataDirSize=",
		"\ndataLogSize=", NULL
	};

	return sniff_count_any(h, marks) >= 2;
}

int
qs_sniff_zk_cfg(const struct qs_head *h)
{
	int	servers, others;

	if (!sniff_is_text(h) || sniff_zk_conf_answer(h))
		return -1;
	sniff_zk_lines(h, &servers, &others);
	if (servers == 0 && others == 0)
		return h->len == 0 ? 0 : -1;
	return servers > 0 && others > 0 ? 24 : 12;
}

int
qs_sniff_zk_dynamic_cfg(const struct qs_head *h)
{
	int	servers, others;

	if (!sniff_is_text(h) || sniff_zk_conf_answer(h))
		return -1;
	sniff_zk_lines(h, &servers, &others);
	if (servers == 0)
		return h->len == 0 ? 0 : -1;
	return 16;
}

/* ZooKeeper's log4j/logback layout: "[myid:N] - LEVEL [thread:Class@line]" */
int
qs_sniff_zk_log(const struct qs_head *h)
{
	static const char *const marks[] = {
		"[myid:", "QuorumPeer", "org.apache.zookeeper",
		"FastLeaderElection", "ZooKeeperServer", "QuorumCnxManager",
		"NIOServerCnxn", "zookeeper.version",
		/* QuorumPeer's states and the quorum and election ports */
		" - LOOKING", " - LEADING", " - FOLLOWING", ":2888", ":3888",
		NULL
	};

	return sniff_log_score(h, marks);
}

/* Four-letter-word output: srvr, stat, mntr, conf. */
int
qs_sniff_zk_fourletter(const struct qs_head *h)
{
	static const char *const marks[] = {
		"Zookeeper version:", "Mode: ", "zk_server_state",
		"zk_version", "Zxid: ", "Node count: ", "Latency min/avg/max:",
		"zk_followers", "This ZooKeeper instance is not currently "
		"serving requests", "membership: ", "serverId=",
		"dataDirSize=", "dataLogSize=",
		"Error contacting service. It is probably not running.",
		"Client port found: ", NULL
	};
	/*
	 * What the client said instead of an answer (nc, ncat, netcat; a
	 * word not on 4lw.commands.whitelist): any port could be that, so
	 * no evidence of ZooKeeper, but no veto of a file named after a
	 * four-letter word either.
	 */
	static const char *const clients[] = {
		"nc: connect to ", "Ncat: ", " (?) : ", "Connection to ",
		" is not executed because it is not in the whitelist", NULL
	};
	int	n;

	if (!sniff_is_text(h))
		return -1;
	n = sniff_count_any(h, marks);
	if (n == 0)
		return h->len == 0 || sniff_count_any(h, clients) > 0 ? 0 : -1;
	return n >= 2 ? 24 : 12;
}

/* SAPI objects: applications, services, instances (formats.md 7.1). */
int
qs_sniff_sapi(const struct qs_head *h)
{
	static const char *const marks[] = {
		"\"ZK_SERVERS\"", "\"application_uuid\"", "\"service_uuid\"",
		"\"metadata\"", "\"params\"", "\"manifests\"", "\"ZK_ID\"",
		"\"ZK_HA_SERVERS\"", NULL
	};
	int	c = sniff_first_byte(h, NULL), n;

	if (c != '[' && c != '{')
		return -1;
	n = sniff_count_any(h, marks);
	if (sniff_find(h, sniff_span(h), "\"ZK_SERVERS\"") != NULL)
		return 24;
	return n >= 3 ? 16 : -1;
}

/* VMAPI VM objects (formats.md 7.2). */
int
qs_sniff_vmapi(const struct qs_head *h)
{
	static const char *const marks[] = {
		"\"server_uuid\"", "\"alias\"", "\"state\"", "\"nics\"",
		"\"smartdc_role\"", "\"zone_state\"", "\"image_uuid\"", NULL
	};
	int	c = sniff_first_byte(h, NULL), n;

	if (c != '[' && c != '{')
		return -1;
	n = sniff_count_any(h, marks);
	return n >= 4 ? 24 : -1;
}

/* "sdc-role list": a header line ALIAS SERVER UUID ... ROLE ADMIN_IP. */
int
qs_sniff_role_list(const struct qs_head *h)
{
	static const char	hdr[] = "ALIAS";

	if (h->len < sizeof(hdr) - 1 ||
	    memcmp(h->data, hdr, sizeof(hdr) - 1) != 0)
		return -1;
	if (sniff_find(h, sniff_span(h), "UUID") == NULL ||
	    sniff_find(h, sniff_span(h), "ROLE") == NULL)
		return -1;
	return sniff_find(h, sniff_span(h), "ADMIN_IP") != NULL ? 32 : 16;
}
