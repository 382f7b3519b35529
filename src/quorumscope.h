/*
 * quorumscope: offline forensic analysis of Consul, etcd, ZooKeeper and
 * Triton cluster state collected from every node after an outage.
 *
 * One header for the whole program (tmux style): structures first, then
 * the functions of each file under a comment naming it.
 *
 * Ownership, stated once: every object hanging off a struct qs_run
 * (inputs, artifacts, nodes, diagnostics and their strings) is allocated
 * from the run's arena and lives until qs_run_free(); never free them one
 * by one.  Pointer vectors are heap arrays owned by the structure that
 * holds them.  Text taken from a bundle is untrusted: it is copied into the
 * arena before it outlives a libarchive buffer, and escaped before it is
 * printed to a terminal.
 */
#ifndef QUORUMSCOPE_H
#define QUORUMSCOPE_H

#include <sys/types.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define QS_SCHEMA_VERSION	1
/* Bytes of every entry read before choosing its kind (the "head"). */
#define QS_HEAD_BYTES		(64 * 1024)
/* Name shown for files that sit outside every node's directory. */
#define QS_BUNDLE_NODE		"(bundle)"

#if defined(__GNUC__)
#define QS_PRINTF(f, a)	__attribute__((format(printf, f, a)))
#define QS_DEAD		__attribute__((noreturn))
#define QS_SENTINEL	__attribute__((sentinel))
#else
#define QS_PRINTF(f, a)
#define QS_DEAD
#define QS_SENTINEL
#endif

/* xmalloc.c: allocation that dies on exhaustion, arena, pointer vector. */
struct qs_arena_chunk;
struct qs_arena {
	struct qs_arena_chunk	*head;
};
struct qs_vec {
	void		**v;
	size_t		  n;
	size_t		  cap;
};
void	*qs_xmalloc(size_t);
void	*qs_xcalloc(size_t, size_t);
void	*qs_xreallocarray(void *, size_t, size_t);
char	*qs_xstrdup(const char *);
QS_DEAD void qs_fatal(const char *, ...) QS_PRINTF(1, 2);
void	*qs_arena_alloc(struct qs_arena *, size_t);
char	*qs_arena_strdup(struct qs_arena *, const char *);
char	*qs_arena_strndup(struct qs_arena *, const char *, size_t);
char	*qs_arena_printf(struct qs_arena *, const char *, ...) QS_PRINTF(2, 3);
char	*qs_arena_vprintf(struct qs_arena *, const char *, va_list)
	    QS_PRINTF(2, 0);
void	 qs_arena_free(struct qs_arena *);
/* Bytes handed out so far: what a parser keeps (tests, diagnostics). */
size_t	 qs_arena_used(const struct qs_arena *);
void	 qs_vec_push(struct qs_vec *, void *);
void	 qs_vec_free(struct qs_vec *);

/* map.c: string keys to pointers, for lookups by name or address. */
struct qs_map_slot;
struct qs_map {
	struct qs_map_slot	*slots;
	size_t			 cap;
	size_t			 n;
};
void	*qs_map_get(const struct qs_map *, const char *);
int	 qs_map_put(struct qs_map *, struct qs_arena *, const char *, void *);
int	 qs_map_set(struct qs_map *, const char *, void *);
void	 qs_map_free(struct qs_map *);


/* limits.c: every size, count and depth the input controls, by name. */
enum qs_limit_id {
	QS_LIMIT_ENTRY_BYTES,	/* bytes read from one entry */
	QS_LIMIT_INPUT_BYTES,	/* decompressed bytes read from one input */
	QS_LIMIT_ENTRIES,	/* entries read from one input */
	QS_LIMIT_DEPTH,		/* archives nested inside archives */
	QS_LIMIT_MEMORY_ENTRY,	/* largest entry a parser gets in memory */
	QS_LIMIT_SPOOL,		/* largest entry spooled to a temporary file */
	QS_LIMIT_COUNT
};
struct qs_limit_def {
	const char	*name;		/* "max-entry-size": option and docs */
	uint64_t	 def;
	int		 is_size;	/* accepts K, M, G, T suffixes */
	const char	*help;
};
struct qs_limits {
	uint64_t	 v[QS_LIMIT_COUNT];
};
extern const struct qs_limit_def qs_limit_defs[QS_LIMIT_COUNT];
void	 qs_limits_init(struct qs_limits *);
int	 qs_limits_set(struct qs_limits *, const char *, const char *);
int	 qs_parse_size(const char *, int, uint64_t *);
const char *qs_format_size(uint64_t, char *, size_t);

/* escape.c: untrusted text made safe for a terminal. */
char	*qs_escape(struct qs_arena *, const char *);
void	 qs_fputs_escaped(const char *, FILE *);
size_t	 qs_utf8_len(const unsigned char *, size_t);
char	*qs_utf8_repair(const char *);
struct cJSON;
void	 qs_json_sanitise(struct cJSON *);
char	*qs_json_terminal_safe(char *);

/* diag.c: diagnostics, recorded on the run and echoed to stderr. */
enum qs_severity {
	QS_SEV_INFO,
	QS_SEV_WARNING,
	QS_SEV_ERROR
};
struct qs_diag {
	enum qs_severity	 severity;
	const char		*input;		/* as named on the command line */
	const char		*path;		/* member path, NULL for the input */
	uint64_t		 offset;
	int			 has_offset;
	const char		*message;
};
const char *qs_severity_name(enum qs_severity);

/* kinds.c: the registry of artifact kinds quorumscope recognises. */
enum qs_system {
	QS_SYS_NONE,
	QS_SYS_CONSUL,
	QS_SYS_ETCD,
	QS_SYS_ZOOKEEPER,
	QS_SYS_TRITON
};
struct qs_head {			/* what a bidder sees of an entry */
	const char		*logical;	/* path used for recognition */
	const char		*base;		/* last component of it */
	const unsigned char	*data;		/* first bytes of the entry */
	size_t			 len;
	uint64_t		 size;		/* whole entry, if known */
	const char		*mime;		/* libmagic's answer, or "" */
};
struct qs_magic {
	size_t		 offset;
	const char	*bytes;
	size_t		 len;
};
struct qs_parse_ctx;
struct qs_kind {
	const char		*name;		/* "consul.raft_db": CLI and JSON */
	enum qs_system		 system;
	const char		*summary;	/* one line for docs and listings */
	const char *const	*paths;		/* fnmatch patterns on path tails */
	const struct qs_magic	*magic;		/* any one must match, if set */
	/* Content test: bits of evidence found, 0 none, -1 contradiction. */
	int			(*sniff)(const struct qs_head *);
	const char		*mime;		/* libmagic prefix worth a hint */
	int			(*parse)(struct qs_parse_ctx *);
};
extern const struct qs_kind qs_kinds[];
extern const size_t qs_nkinds;
const char *qs_system_name(enum qs_system);
const struct qs_kind *qs_kind_find(const char *);

/* sniff.c: content tests shared by the kinds table. */
int	qs_sniff_json_peers(const struct qs_head *);
int	qs_sniff_text(const struct qs_head *);
int	qs_sniff_opaque(const struct qs_head *);
int	qs_sniff_small_number(const struct qs_head *);
int	qs_sniff_uuid(const struct qs_head *);
int	qs_sniff_serf_snapshot(const struct qs_head *);
int	qs_sniff_bolt_raft(const struct qs_head *);
int	qs_sniff_bolt_etcd(const struct qs_head *);
int	qs_sniff_raft_snapshot_meta(const struct qs_head *);
int	qs_sniff_consul_config(const struct qs_head *);
int	qs_sniff_consul_log(const struct qs_head *);
int	qs_sniff_consul_cli(const struct qs_head *);
int	qs_sniff_consul_debug_index(const struct qs_head *);
int	qs_sniff_consul_debug_agent(const struct qs_head *);
int	qs_sniff_consul_debug_members(const struct qs_head *);
int	qs_sniff_consul_debug_host(const struct qs_head *);
int	qs_sniff_consul_debug_metrics(const struct qs_head *);
int	qs_sniff_etcd_wal(const struct qs_head *);
int	qs_sniff_etcd_snap(const struct qs_head *);
int	qs_sniff_etcd_log(const struct qs_head *);
int	qs_sniff_etcdctl(const struct qs_head *);
int	qs_sniff_etcd_backup(const struct qs_head *);
int	qs_sniff_etcd_config(const struct qs_head *);
int	qs_sniff_zk_cfg(const struct qs_head *);
int	qs_sniff_zk_dynamic_cfg(const struct qs_head *);
int	qs_sniff_zk_log(const struct qs_head *);
int	qs_sniff_zk_fourletter(const struct qs_head *);
int	qs_sniff_sapi(const struct qs_head *);
int	qs_sniff_vmapi(const struct qs_head *);
int	qs_sniff_role_list(const struct qs_head *);
int	qs_sniff_hosts(const struct qs_head *);
int	qs_sniff_hostname(const struct qs_head *);

/* identify.c: choosing the kind of an entry. */
struct qs_bid {
	const struct qs_kind	*kind;		/* NULL: not recognised */
	int			 score;
	const struct qs_kind	*tie;		/* second kind with equal score */
	const struct qs_kind	*named;		/* name matched, content refused */
};
void	qs_identify(const struct qs_head *, struct qs_bid *,
	    const char *(*)(const struct qs_head *));
int	qs_path_tail_match(const char *, const char *);

/* magic.c: libmagic as a hint. */
const char *qs_magic_mime(const unsigned char *, size_t);
void	qs_magic_close(void);
enum qs_container {
	QS_CONT_NONE,		/* plain data */
	QS_CONT_ARCHIVE,	/* tar, zip, cpio, ... (maybe compressed) */
	QS_CONT_COMPRESSED	/* gzip, xz, bzip2, zstd, lz4 of unknown content */
};
enum qs_container qs_container_sniff(const unsigned char *, size_t);
const char *qs_container_damaged(const unsigned char *, size_t);

/* A wall-clock time, as logs write it, in UTC milliseconds. */
struct qs_time {
	int		set;
	int		zone_known;	/* 0: a zone-less log time taken as UTC */
	int64_t		ms;		/* since 1970-01-01T00:00:00Z */
};

/* run.c: one invocation's inputs, artifacts, nodes and diagnostics. */
enum qs_status {
	QS_STATUS_PARSED,
	QS_STATUS_PARTIAL,
	QS_STATUS_FAILED,
	QS_STATUS_UNSUPPORTED,	/* recognised; this version does not decode it */
	QS_STATUS_SKIPPED,	/* over a limit; not read */
	QS_STATUS_LINK,		/* a symbolic or hard link, never followed */
	QS_STATUS_NOTHING	/* a log read whole; no line understood */
};
enum qs_entry_type {
	QS_ENTRY_FILE,
	QS_ENTRY_SYMLINK,
	QS_ENTRY_HARDLINK
};
struct qs_input {
	const char	*path;		/* as given on the command line */
	const char	*stem;		/* name without archive extensions */
	uint64_t	 entries;	/* file and link entries seen */
	uint64_t	 bytes;		/* decompressed bytes read */
	int		 opened;	/* the input could be opened and read */
	int		 stopped;	/* a limit ended reading early */
	/*
	 * Why the input was read only in part (damage, truncation, a limit,
	 * an entry that could not be read), the first such reason; NULL when
	 * it was read whole.  partial_at: decompressed bytes read by then.
	 */
	const char	*partial;
	uint64_t	 partial_at;
	uint64_t	 partial_entries;	/* entries read by then */
	struct qs_place_set *places;	/* distinct path prefixes, nodes.c */
};
struct qs_node {
	const char	*name;
	/*
	 * Where the node was found: the input, or the nested archive inside
	 * it that holds a whole bundle of its own.  Names are unique within
	 * a scope; two scopes may each have a "node1", and those are
	 * different nodes until an identity joins them (cluster.c).
	 */
	const char	*scope;
	struct qs_vec	 artifacts;	/* struct qs_artifact * in bundle order */
	unsigned	 systems;	/* 1 << enum qs_system, from artifacts */
	struct qs_vec	 idents;	/* struct qs_identity * merged onto it */
};
struct qs_artifact {
	struct qs_input		*input;
	const char		*member;	/* path shown to the user */
	const char		*logical;	/* path used for nodes and kinds */
	const struct qs_kind	*kind;		/* NULL for links */
	enum qs_entry_type	 type;
	const char		*target;	/* link target */
	uint64_t		 size;
	enum qs_status		 status;
	const char		*message;	/* why partial, failed, skipped */
	/* Why the entry's bytes were not all read (damage, truncation, a
	 * limit); NULL when they were.  Decoding trouble is status/message. */
	const char		*cut;
	struct qs_node		*node;		/* set by qs_nodes_resolve() */
	/* A log's first and last timed line (qs_artifact_time()). */
	struct qs_time		 first_time, last_time;
	uint64_t		 first_line, last_line;
	/*
	 * Lines of several speakers (hosts, containers, myids) in one log:
	 * each line then belongs to its speaker's node (qs_evidence).
	 */
	int			 many_speakers;
	/*
	 * Not the node's live state: an etcd member dir or backup beside
	 * the data dir its configuration names (qs_etcd_leftovers()).
	 */
	int			 leftover;
};
struct qs_node_rule {			/* --node NAME=GLOB */
	const char	*name;
	const char	*glob;
};
struct qs_run {
	struct qs_arena	 arena;
	struct qs_limits limits;
	struct qs_vec	 inputs;	/* struct qs_input * */
	struct qs_vec	 artifacts;	/* struct qs_artifact * */
	struct qs_vec	 nodes;		/* struct qs_node *, sorted by name */
	struct qs_vec	 diags;		/* struct qs_diag * */
	struct qs_vec	 node_rules;	/* struct qs_node_rule * */
	struct qs_vec	 events;	/* struct qs_event * */
	struct qs_vec	 signals;	/* struct qs_signal * */
	struct qs_vec	 views;		/* struct qs_view * */
	struct qs_vec	 settings;	/* struct qs_setting * */
	struct qs_vec	 identities;	/* struct qs_identity * */
	struct qs_map	 aliases;	/* "name:x", "ip:x", "id:x" -> node */
	uint64_t	 unrecognised;
	int		 quiet;		/* no progress line */
	int		 echo_diags;	/* diagnostics also go to stderr */
	int		 progress;	/* stderr is a terminal */
};
struct qs_run *qs_run_new(void);
void	qs_run_free(struct qs_run *);
struct qs_input *qs_run_add_input(struct qs_run *, const char *);
void	qs_diag_add(struct qs_run *, enum qs_severity, const struct qs_input *,
	    const char *, const char *, ...) QS_PRINTF(5, 6);
void	qs_diag_add_at(struct qs_run *, enum qs_severity,
	    const struct qs_input *, const char *, uint64_t, const char *, ...)
	    QS_PRINTF(6, 7);
int	qs_run_add_node_rule(struct qs_run *, const char *);
const char *qs_status_name(enum qs_status);
/* How much of an input was read: complete, partial or unreadable. */
enum qs_completeness {
	QS_COMPLETE,
	QS_PARTIAL,
	QS_UNREADABLE
};
enum qs_completeness qs_input_completeness(const struct qs_input *);
const char *qs_completeness_name(enum qs_completeness);
void	qs_input_mark_partial(struct qs_run *, struct qs_input *,
	    const char *, ...) QS_PRINTF(3, 4);

/* source.c: the bytes of one entry, for a parser. */
typedef ssize_t	(*qs_read_fn)(void *, void *, size_t);
struct qs_source {
	const unsigned char	*head;		/* already read, replayed first */
	size_t			 head_len;
	size_t			 head_pos;
	qs_read_fn		 read;		/* the rest, NULL if none */
	void			*read_arg;
	uint64_t		 pos;		/* bytes delivered so far */
	uint64_t		 limit;		/* stop (and say so) after this */
	int			 truncated;	/* the limit cut the entry */
	int			 error;		/* the reader failed */
	/* Line reader state. */
	char			*line;
	size_t			 line_cap;
	unsigned char		*buf;
	size_t			 buf_len;
	size_t			 buf_pos;
	uint64_t		 lineno;
	/* Whole-entry view for random access. */
	unsigned char		*map;
	size_t			 map_len;
	int			 map_is_mmap;
	/*
	 * Spooling: at most spool_max bytes (the max-spool-size limit) are
	 * written, and none when size_hint (the size the container gives,
	 * 0 if none) is over that or over the free space; spool_refused
	 * says why the map failed then.
	 */
	uint64_t		 spool_max;
	uint64_t		 size_hint;
	const char		*spool_refused;
};
void	qs_source_init(struct qs_source *, const unsigned char *, size_t,
	    qs_read_fn, void *, uint64_t);
void	qs_source_init_mem(struct qs_source *, const unsigned char *, size_t);
ssize_t	qs_source_read(struct qs_source *, void *, size_t);
ssize_t	qs_source_getline(struct qs_source *, const char **, size_t);
int	qs_source_map(struct qs_source *, uint64_t, const unsigned char **,
	    size_t *);
uint64_t qs_source_drain(struct qs_source *);
void	qs_source_release(struct qs_source *);

/*
 * bolt.c: a read-only BoltDB (bbolt) reader over a mapped span.  Damage is
 * reported through the diagnostic callback (page id, file offset, text)
 * and skipped; nothing is ever written.  A parser needs three calls:
 * qs_bolt_open(), qs_bolt_path() and qs_bolt_foreach() or qs_bolt_get().
 */
#define QS_BOLT_DEPTH_MAX	64	/* B+tree levels followed */
#define QS_BOLT_BUCKET_FLAG	0x01	/* leaf element: nested bucket */
typedef void	(*qs_bolt_diag_fn)(void *, uint64_t, uint64_t, const char *);
/* Key, its length, value, its length, leaf flags; non-zero stops. */
typedef int	(*qs_bolt_each_fn)(void *, const unsigned char *, size_t,
		    const unsigned char *, size_t, uint32_t);
struct qs_bolt_bucket {
	uint64_t		 root;		/* 0: inline */
	uint64_t		 sequence;
	const unsigned char	*inline_page;
	size_t			 inline_len;
	uint64_t		 inline_off;	/* file offset of the image */
};
struct qs_bolt {
	const unsigned char	*data;
	size_t			 len;
	uint32_t		 page_size;
	int			 meta;		/* meta page chosen, 0 or 1 */
	uint64_t		 txid;
	uint64_t		 hwm;		/* pages >= this are unallocated */
	uint64_t		 npages;	/* whole pages in the file */
	struct qs_bolt_bucket	 root;
	uint64_t		 budget;	/* elements left to visit */
	uint64_t		 damage;	/* problems found */
	int			 release;	/* data is an mmap: bound its RSS */
	uint64_t		 loaded;	/* bytes read since the last release */
	qs_bolt_diag_fn		 diag;
	void			*diag_arg;
};
int	qs_bolt_open(struct qs_bolt *, const unsigned char *, size_t,
	    qs_bolt_diag_fn, void *);
void	qs_bolt_close(struct qs_bolt *);
int	qs_bolt_bucket(struct qs_bolt *, const struct qs_bolt_bucket *,
	    const char *, struct qs_bolt_bucket *);
int	qs_bolt_path(struct qs_bolt *, struct qs_bolt_bucket *, ...)
	    QS_SENTINEL;
int	qs_bolt_bucket_value(struct qs_bolt *, const unsigned char *, size_t,
	    struct qs_bolt_bucket *);
int	qs_bolt_get(struct qs_bolt *, const struct qs_bolt_bucket *,
	    const void *, size_t, const unsigned char **, size_t *,
	    uint32_t *);
int	qs_bolt_foreach(struct qs_bolt *, const struct qs_bolt_bucket *,
	    qs_bolt_each_fn, void *);
uint64_t qs_be64(const unsigned char *);

/* wire-msgpack.c: a bounds-checked msgpack cursor (go-msgpack output). */
enum qs_mp_type {
	QS_MP_NIL,
	QS_MP_BOOL,
	QS_MP_UINT,
	QS_MP_INT,		/* signed encodings and negative fixints */
	QS_MP_FLOAT,
	QS_MP_STR,		/* raw/str family: Go strings and []byte */
	QS_MP_BIN,
	QS_MP_ARRAY,		/* u = count; elements follow */
	QS_MP_MAP,		/* u = pairs; keys and values follow */
	QS_MP_EXT
};
struct qs_mp {
	const unsigned char	*p;
	const unsigned char	*end;
	int			 err;
};
struct qs_mp_val {
	enum qs_mp_type		 type;
	uint64_t		 u;	/* UINT, BOOL, ARRAY/MAP count */
	int64_t			 i;	/* INT */
	double			 f;	/* FLOAT */
	const unsigned char	*p;	/* STR, BIN, EXT payload (not copied) */
	size_t			 len;
	int8_t			 ext;	/* EXT type */
};
void	qs_mp_init(struct qs_mp *, const unsigned char *, size_t);
int	qs_mp_read(struct qs_mp *, struct qs_mp_val *);
int	qs_mp_skip(struct qs_mp *);
int	qs_mp_uint(const struct qs_mp_val *, uint64_t *);
int	qs_mp_eq(const struct qs_mp_val *, const char *);
int	qs_mp_is_bytes(const struct qs_mp_val *);
int	qs_mp_time(const struct qs_mp_val *, struct qs_time *);

/* bundle.c: reading inputs with libarchive, one streaming pass. */
int	qs_bundle_read(struct qs_run *, const char *);
int	qs_bundle_read_memory(struct qs_run *, const char *, const void *,
	    size_t);
const char *qs_path_stem(struct qs_arena *, const char *);
void	 qs_locale_init(void);
char	*qs_path_normalise(struct qs_arena *, const char *, int *);

/* resolve.c: observations matched to nodes once everything is read. */
void	qs_model_resolve(struct qs_run *);
struct qs_node *qs_model_lookup(struct qs_run *, const char *);
struct qs_node *qs_model_lookup_from(struct qs_run *, const struct qs_node *,
	    const char *);
const char *qs_node_scope(const struct qs_node *);
const char *qs_address_host(struct qs_arena *, const char *);

/* nodes.c: which node every entry belongs to. */
void	qs_nodes_note_path(struct qs_run *, struct qs_input *, const char *,
	    int);
void	qs_nodes_free_places(struct qs_input *);
void	qs_nodes_resolve(struct qs_run *);

/* progress.c: a progress line on a terminal. */
void	qs_progress_update(struct qs_run *, const char *, uint64_t, uint64_t);
void	qs_progress_done(struct qs_run *);

/* The parse context handed to kind parsers (kinds.c .parse). */
struct qs_parse_ctx {
	struct qs_run		*run;
	struct qs_artifact	*artifact;
	struct qs_source	*src;
	/*
	 * The node the current line names as its speaker (a syslog host,
	 * a compose container, a ZooKeeper myid) in a file several nodes
	 * wrote, or NULL; copied into each line's evidence.
	 */
	const char		*speaker;
};

/*
 * model.c: what parsers observe, in system-neutral terms.  A parser turns
 * bytes into observations; it never decides what they mean (rules do).
 * Every observation carries its evidence (artifact, line or offset, a short
 * excerpt).  Observations refer to their artifact; the node that observed
 * them is the artifact's node, known once qs_nodes_resolve() has run, and
 * the members they name are matched to nodes by qs_model_resolve().
 */
enum qs_event_kind {		/* names in qs_event_kind_name(); JSON */
	QS_EV_JOIN,		/* gossip: a member joined or came back */
	QS_EV_LEAVE,		/* gossip: a member left gracefully */
	QS_EV_FAIL,		/* gossip: a member failed (suspect/dead) */
	QS_EV_REAP,		/* gossip: a failed member reaped, removed */
	QS_EV_UPDATE,		/* gossip: a member's tags or address changed */
	QS_EV_MEMBER_ADD,	/* consensus: member added to the voters */
	QS_EV_MEMBER_REMOVE,	/* consensus: member removed */
	QS_EV_LEADER_ELECTED,	/* subject (or the observer) became leader */
	QS_EV_LEADER_LOST,	/* the observer lost or stepped down */
	QS_EV_ELECTION_START,	/* the observer started an election */
	QS_EV_TERM_CHANGE,	/* a new term/epoch observed */
	QS_EV_BOOTSTRAP,	/* a cluster was bootstrapped */
	QS_EV_START,		/* the process started */
	QS_EV_STOP,		/* the process stopped or shut down */
	QS_EV_CONFIG_CHANGE,	/* membership configuration changed */
	QS_EV_COUNT
};

/* Conditions worth a rule's attention that are not membership events. */
enum qs_signal_kind {
	QS_SIG_NO_LEADER,		/* "No cluster leader" */
	QS_SIG_QUORUM_LOST,		/* failed to contact quorum, stepping down */
	QS_SIG_VOTE_FAILED,		/* a vote request could not be made */
	QS_SIG_NO_PEERS,		/* no known peers, aborting election */
	QS_SIG_DUAL_BOOTSTRAP,		/* two servers in bootstrap mode */
	QS_SIG_NAME_CONFLICT,		/* two members claim one name */
	QS_SIG_NODE_ID_CONFLICT,	/* two members claim one node ID */
	QS_SIG_KEY_MISMATCH,		/* gossip encryption keys differ */
	QS_SIG_PEERS_RECOVERY,		/* a peers.json recovery ran */
	QS_SIG_GRACEFUL_LEAVE,		/* the agent left gracefully */
	QS_SIG_REJOIN,			/* rejoin attempts from a snapshot */
	QS_SIG_REJOIN_FAILED,		/* no previously known node answered */
	QS_SIG_PREVIOUS_LEAVE_IGNORED,	/* rejoin_after_leave in effect */
	QS_SIG_REMOVED_SELF,		/* removed from the configuration */
	QS_SIG_BOOTSTRAP_SKIPPED,	/* existing raft data or peers found */
	QS_SIG_CLUSTER_ID_MISMATCH,	/* a peer belongs to another cluster */
	QS_SIG_BOOTSTRAP_CONFLICT,	/* bootstrap over existing data */
	QS_SIG_COMMIT_OUT_OF_RANGE,	/* leader's commit beyond our log */
	QS_SIG_EPOCH_REFUSED,		/* the leader's epoch is behind ours */
	/*
	 * Liveness evidence, what a cluster's history is built from.  The
	 * subject is the member as the text names it (a ZooKeeper sid, an
	 * etcd member id in hex, a Consul node name or address, a URL);
	 * NULL means the observer itself.  Probes are what a collector ran
	 * when the bundle was made (four-letter words, etcdctl endpoint
	 * health/status, consul members): their time is the collection
	 * time when the output says it, else unset.
	 */
	QS_SIG_PEER_UNREACHABLE,	/* observer lost or could not open
					   contact with subject */
	QS_SIG_PEER_REACHABLE,		/* observer (re)gained contact */
	QS_SIG_FATAL,			/* the observer's process died of an
					   error; detail: fatal, panic, exit
					   code, bind failure */
	QS_SIG_PROBE_UP,		/* a probe of subject was answered by
					   a serving member */
	QS_SIG_PROBE_DOWN,		/* a probe got no answer: refused,
					   timed out, unreachable */
	QS_SIG_PROBE_NOT_SERVING,	/* the process answered but does not
					   serve (electing, no leader) */
	/*
	 * Damage our own decoders found in the observer's data: a record
	 * whose CRC or Adler-32 fails, a torn or cut last record, an empty
	 * snapshot, a WAL etcd's repair moved aside.  Subject NULL; the
	 * evidence has the file and offset, the clock the last good index
	 * or zxid (or the one the file is named after), detail what.
	 */
	QS_SIG_DATA_DAMAGE,
	/* The server's own log: a write failed for want of disk space
	 * ("No space left on device", ENOSPC).  Detail: the text. */
	QS_SIG_DISK_FULL,
	QS_SIG_COUNT
};

enum qs_member_state {
	QS_MEMBER_LISTED,	/* named, role unknown (legacy peers lists) */
	QS_MEMBER_VOTER,
	QS_MEMBER_NONVOTER,
	QS_MEMBER_ALIVE,
	QS_MEMBER_LEFT,
	QS_MEMBER_FAILED,
	QS_MEMBER_REAPED
};

enum qs_view_kind {
	QS_VIEW_CONSENSUS,	/* who votes: raft peers or configuration */
	QS_VIEW_GOSSIP,		/* who is alive: serf */
	QS_VIEW_CONFIGURED	/* who should be: configured server lists */
};

enum qs_ident {
	QS_ID_NAME,		/* node or member name */
	QS_ID_ADDRESS,		/* ip:port (role says which port) */
	QS_ID_NODE_ID,		/* Consul node ID (UUID) */
	QS_ID_MEMBER_ID,	/* etcd member ID, lowercase hex */
	QS_ID_MYID,		/* ZooKeeper myid */
	QS_ID_UUID,		/* Triton instance/VM UUID */
	QS_ID_COUNT
};

#define QS_CLOCK_TERM		0x01
#define QS_CLOCK_INDEX		0x02
#define QS_CLOCK_LAMPORT	0x04
#define QS_CLOCK_ZXID		0x08
struct qs_clock {
	unsigned	set;		/* QS_CLOCK_* bits: 0 is not "term 0" */
	uint64_t	term;		/* raft term, ZooKeeper epoch */
	uint64_t	index;
	uint64_t	lamport;
	uint64_t	zxid;
};

struct qs_evidence {
	const struct qs_artifact *artifact;
	uint64_t	 line;		/* 1-based; 0 when not a text position */
	uint64_t	 offset;	/* byte offset, when has_offset */
	int		 has_offset;
	const char	*excerpt;	/* a short quote, or NULL */
	const char	*speaker;	/* the line's own node, or NULL: the
					 * artifact's (qs_parse_ctx) */
};

struct qs_event {
	enum qs_event_kind	 kind;
	enum qs_system		 system;
	struct qs_time		 time;
	struct qs_clock		 clock;
	const char		*subject;	/* member as written, or NULL */
	const char		*detail;	/* short free text, or NULL */
	struct qs_evidence	 ev;
	/* Set by qs_model_resolve(): */
	struct qs_node		*observer;
	struct qs_node		*subject_node;
};

struct qs_signal {
	enum qs_signal_kind	 kind;
	enum qs_system		 system;
	struct qs_time		 time;
	struct qs_clock		 clock;
	const char		*subject;
	const char		*detail;
	struct qs_evidence	 ev;
	struct qs_node		*observer;
	struct qs_node		*subject_node;
};

struct qs_member {
	const char		*name;		/* any of the three may be NULL */
	const char		*address;
	const char		*id;
	enum qs_member_state	 state;
	struct qs_node		*node;		/* set by qs_model_resolve() */
};

struct qs_view {
	enum qs_view_kind	 kind;
	enum qs_system		 system;
	const char		*source;	/* "raft peers.json", "serf LAN" */
	struct qs_time		 time;
	struct qs_clock		 clock;
	int			 is_null;	/* the list itself was null */
	struct qs_vec		 members;	/* struct qs_member * */
	struct qs_evidence	 ev;
	struct qs_node		*observer;
};

struct qs_setting {
	enum qs_system		 system;
	const char		*key;		/* the system's own key name */
	const char		*value;		/* as text: "true", "3", "[a,b]" */
	struct qs_evidence	 ev;
	struct qs_node		*observer;
};

struct qs_identity {		/* "subject has value", e.g. name -> address */
	enum qs_ident		 kind;
	enum qs_system		 system;
	const char		*value;
	const char		*role;		/* "serf_lan", "raft", ... or NULL */
	const char		*subject;	/* NULL: the artifact's own node */
	struct qs_evidence	 ev;
};

/*
 * A log's line at `line` carries time `t`: the artifact's time range,
 * which says when the member was last heard from (history.c).
 */
void	qs_artifact_time(struct qs_parse_ctx *, const struct qs_time *,
	    uint64_t);
/* Where a parser records what it saw.  Strings are copied. */
struct qs_evidence qs_evidence_line(struct qs_parse_ctx *, uint64_t,
	    const char *);
struct qs_evidence qs_evidence_offset(struct qs_parse_ctx *, uint64_t,
	    const char *);
struct qs_evidence qs_evidence_whole(struct qs_parse_ctx *);
struct qs_event *qs_emit_event(struct qs_parse_ctx *, enum qs_event_kind,
	    const char *, const struct qs_evidence *);
struct qs_signal *qs_emit_signal(struct qs_parse_ctx *, enum qs_signal_kind,
	    const char *, const struct qs_evidence *);
struct qs_view *qs_emit_view(struct qs_parse_ctx *, enum qs_view_kind,
	    const char *, const struct qs_evidence *);
struct qs_member *qs_view_add(struct qs_parse_ctx *, struct qs_view *,
	    const char *, const char *, const char *, enum qs_member_state);
void	qs_emit_setting(struct qs_parse_ctx *, const char *, const char *,
	    const struct qs_evidence *);
void	qs_emit_identity(struct qs_parse_ctx *, enum qs_ident, const char *,
	    const char *, const char *, const struct qs_evidence *);
const char *qs_pstrdup(struct qs_parse_ctx *, const char *);
const char *qs_pstrndup(struct qs_parse_ctx *, const char *, size_t);
void	qs_parse_diag(struct qs_parse_ctx *, enum qs_severity, uint64_t,
	    const char *, ...) QS_PRINTF(4, 5);
void	qs_parse_vdamage(struct qs_parse_ctx *, const char *, uint64_t,
	    const char *, va_list) QS_PRINTF(4, 0);
struct qs_signal *qs_emit_damage(struct qs_parse_ctx *, uint64_t, int,
	    const struct qs_clock *, const char *);
void	qs_parse_lines(struct qs_parse_ctx *, size_t,
	    int (*)(void *, char *, size_t, uint64_t), void *);
const char *qs_event_kind_name(enum qs_event_kind);
const char *qs_signal_kind_name(enum qs_signal_kind);
const char *qs_member_state_name(enum qs_member_state);
const char *qs_ident_name(enum qs_ident);

/* parse-consul-*.c: Consul artifact parsers (kinds.c .parse). */
int	qs_parse_consul_log(struct qs_parse_ctx *);

/*
 * probe.c: collection-time probes, shared by the parsers of command
 * output (etcdctl, four-letter words, consul CLI): timestamp headers,
 * shell prompts, the target of a command, and what a client's error
 * text says of the process it asked.
 */
struct qs_probe {
	struct qs_time	 time;		/* of the last timestamp header */
	const char	*command;	/* of the last prompt line, or NULL */
	uint64_t	 command_line;
};
int	qs_probe_line(struct qs_parse_ctx *, struct qs_probe *, const char *,
	    size_t, uint64_t);
int	qs_probe_time_line(const char *, size_t, struct qs_time *);
size_t	qs_probe_prompt(const char *, size_t);
const char *qs_probe_target(struct qs_parse_ctx *, const char *);
int	qs_probe_target_is_local(const char *);
int	qs_probe_error_kind(const char *);
struct qs_signal *qs_probe_emit(struct qs_parse_ctx *, const struct qs_probe *,
	    enum qs_signal_kind, const char *, const char *,
	    const struct qs_evidence *);
/* wire-proto.c: protocol buffers wire format, CRC-32C. */
struct qs_pb {
	const unsigned char	*p;
	const unsigned char	*end;
	int			 error;		/* malformed: no more fields */
};
struct qs_pb_field {
	uint32_t		 num;
	unsigned		 wire;		/* 0 varint, 1 fixed64, 2 bytes, 5 fixed32 */
	uint64_t		 u;		/* varint and fixed values */
	const unsigned char	*data;		/* length-delimited value */
	size_t			 len;
};
int	qs_pb_varint(const unsigned char **, const unsigned char *, uint64_t *);
void	qs_pb_init(struct qs_pb *, const unsigned char *, size_t);
int	qs_pb_next(struct qs_pb *, struct qs_pb_field *);
int	qs_pb_repeated_varint(const struct qs_pb_field *,
	    void (*)(void *, uint64_t), void *);
uint64_t qs_pb_le64(const unsigned char *);
uint32_t qs_crc32c(uint32_t, const void *, size_t);
uint32_t qs_crc32c_sw(uint32_t, const void *, size_t);
uint32_t qs_crc32c_hw(uint32_t, const void *, size_t);
int	qs_crc32c_hw_available(void);

/* wire-etcd.c: etcd member ids and member JSON. */
#define QS_ETCD_MAX_URLS	8	/* URLs of each kind kept per member */
#define QS_ETCD_JSON_DEPTH	64	/* nesting accepted in member JSON */
struct qs_etcd_member {
	uint64_t	 id;
	int		 has_id;
	const char	*name;		/* NULL: absent or empty (unstarted) */
	const char	*peer[QS_ETCD_MAX_URLS];
	size_t		 npeer;
	const char	*client[QS_ETCD_MAX_URLS];
	size_t		 nclient;
	int		 more_urls;	/* some URLs were not kept */
	int		 is_learner;
	int		 is_promote;
};
struct cJSON;
const char *qs_etcd_id_hex(uint64_t, char *, size_t);
/*
 * Bounded number readers every parser uses (wire-etcd.c, where 64-bit
 * member ids first needed them): 1 to 16 hex digits of either case, or
 * decimal digits without overflow; nothing else.  0 or -1.
 */
int	qs_parse_hex_u64(const char *, size_t, uint64_t *);
int	qs_parse_dec_u64(const char *, size_t, uint64_t *);
int	qs_etcd_json_member(const char *, size_t, const char *, size_t *,
	    size_t *);
struct cJSON *qs_etcd_json_parse(const char *, size_t, unsigned);
int	qs_etcd_json_u64(const struct cJSON *, uint64_t *);
int	qs_etcd_member_from_json(struct qs_arena *, const struct cJSON *,
	    struct qs_etcd_member *);
int	qs_etcd_member_json(struct qs_arena *, const char *, size_t,
	    struct qs_etcd_member *);
const char *qs_etcd_urls_join(struct qs_arena *, const char *const *, size_t);

/* parse-etcd-*.c: etcd member directories and etcdctl output. */
int	qs_parse_etcd_wal(struct qs_parse_ctx *);
int	qs_parse_etcd_snap(struct qs_parse_ctx *);
int	qs_parse_etcd_etcdctl(struct qs_parse_ctx *);
int	qs_parse_etcd_log(struct qs_parse_ctx *);
int	qs_parse_etcd_dump(struct qs_parse_ctx *);
int	qs_parse_etcd_config(struct qs_parse_ctx *);

/* timefmt.c: timestamps as logs write them, to UTC milliseconds. */
int	qs_time_parse_iso(const char *, size_t, struct qs_time *);
int	qs_time_parse_golog(const char *, size_t, struct qs_time *);
int	qs_time_from_civil(int, int, int, int, int, int, int, int64_t *);
char	*qs_time_format(const struct qs_time *, char *, size_t);

/* wire-jute.c: ZooKeeper's Jute records, big-endian, bounded; Adler-32. */
struct qs_jute {			/* a cursor over bytes in memory */
	const unsigned char	*base;
	const unsigned char	*p;
	const unsigned char	*end;
};
struct qs_jute_stream {			/* the same over a streamed entry */
	struct qs_source	*src;
	uint64_t		 off;		/* bytes consumed so far */
	uint32_t		 adler;		/* of those bytes, if summing */
	int			 summing;
	int			 eof;
	size_t			 pos;
	size_t			 len;
	unsigned char		 buf[16384];
};
uint32_t qs_adler32(uint32_t, const void *, size_t);
void	qs_jute_init(struct qs_jute *, const void *, size_t);
size_t	qs_jute_left(const struct qs_jute *);
size_t	qs_jute_offset(const struct qs_jute *);
int	qs_jute_skip(struct qs_jute *, size_t);
int	qs_jute_byte(struct qs_jute *, uint8_t *);
int	qs_jute_bool(struct qs_jute *, int *);
int	qs_jute_int(struct qs_jute *, int32_t *);
int	qs_jute_long(struct qs_jute *, int64_t *);
int	qs_jute_buffer(struct qs_jute *, const unsigned char **, int32_t *);
int	qs_jute_ustring(struct qs_jute *, const char **, int32_t *);
int	qs_jute_vector(struct qs_jute *, size_t, int32_t *);
void	qs_jute_stream_init(struct qs_jute_stream *, struct qs_source *, int);
size_t	qs_jute_stream_read(struct qs_jute_stream *, void *, size_t);
int	qs_jute_stream_skip(struct qs_jute_stream *, uint64_t);
int	qs_jute_stream_int(struct qs_jute_stream *, int32_t *);
int	qs_jute_stream_long(struct qs_jute_stream *, int64_t *);
int	qs_jute_stream_at_end(struct qs_jute_stream *);

/* parse-zk-*.c: ZooKeeper artifacts (kinds zk.*). */
int	qs_parse_zk_cfg(struct qs_parse_ctx *);
int	qs_parse_zk_dynamic_cfg(struct qs_parse_ctx *);
int	qs_parse_zk_myid(struct qs_parse_ctx *);
int	qs_parse_zk_epoch(struct qs_parse_ctx *);
int	qs_parse_zk_txnlog(struct qs_parse_ctx *);
int	qs_parse_zk_snapshot(struct qs_parse_ctx *);
int	qs_parse_zk_log(struct qs_parse_ctx *);
int	qs_parse_zk_fourletter(struct qs_parse_ctx *);
/* Shared by them (parse-zk-cfg.c): server lines and config texts. */
#define QS_ZK_IDS	0x01	/* also emit the addresses as identities */
int	qs_zk_server_line(struct qs_parse_ctx *, struct qs_view *,
	    const char *, size_t, const char *, size_t, uint64_t, unsigned,
	    const char **);
size_t	qs_zk_config_text(struct qs_parse_ctx *, struct qs_view *,
	    const char *, size_t, uint64_t *, int *, size_t *);
const struct qs_view *qs_zk_dynamic_active(const struct qs_run *,
	    const struct qs_node *);
int	qs_zk_dynamic_history(const struct qs_run *, const struct qs_view *);

/* parse-host.c: a host's /etc/hosts and /etc/hostname (kinds host.*). */
int	qs_parse_host_hosts(struct qs_parse_ctx *);
int	qs_parse_host_hostname(struct qs_parse_ctx *);

/* parse-triton-*.c: SAPI and VMAPI dumps, sdc-role list (kinds triton.*). */
int	qs_parse_triton_sapi(struct qs_parse_ctx *);
int	qs_parse_triton_vmapi(struct qs_parse_ctx *);
int	qs_parse_triton_role_list(struct qs_parse_ctx *);
/* A VM's alias by uuid, and "alias (uuid8...)" for reports. */
const char *qs_triton_vm_alias(const struct qs_run *, const char *);
const char *qs_triton_vm_label(struct qs_arena *, const struct qs_run *,
	    const char *);

/*
 * timeline.c: every node's events as one history.  The same event seen by
 * several nodes (a join every member logs) becomes one entry with several
 * observers.  Entries are ordered by time where known, by logical clock
 * (term, index, Lamport clock, zxid) otherwise.
 */
struct qs_tl_entry {
	struct qs_event	*event;		/* the earliest observation */
	struct qs_vec	 seen;		/* struct qs_event *, every observation */
	struct qs_vec	 observers;	/* struct qs_node *, distinct */
};
struct qs_skew {			/* a node's clock against the others */
	struct qs_node	*node;
	int64_t		 ms;		/* median offset, positive = ahead */
	size_t		 samples;
};
struct qs_timeline {
	struct qs_vec	 entries;	/* struct qs_tl_entry *, in order */
	struct qs_vec	 skews;		/* struct qs_skew *, |ms| >= 1 s only */
};
void	qs_timeline_build(struct qs_run *, struct qs_timeline *);
void	qs_timeline_free(struct qs_timeline *);

/*
 * analysis.c and rule-*.c: the rules.  Each rule is a const record in a
 * table (qs_rules[]); its check reads the model and adds findings with
 * their nodes, evidence, the chain of facts that explains them, and the
 * repair steps.  Rules never print.
 */
enum qs_level {
	QS_LEVEL_INFO,
	QS_LEVEL_WARNING,
	QS_LEVEL_ERROR,
	QS_LEVEL_CRITICAL
};
struct qs_analysis;
struct qs_rule {
	const char	*id;		/* stable, never reused */
	const char	*kind;		/* split-brain, quorum-loss, ... */
	enum qs_level	 level;		/* the usual severity of a finding */
	enum qs_system	 system;
	const char	*title;
	const char	*explanation;	/* why it breaks the cluster */
	const char	*remediation;	/* the repair in general terms */
	void		(*check)(struct qs_analysis *, const struct qs_rule *);
};
/*
 * A finding is a cause unless a rule links it to the finding that
 * explains it: "no leader" is the consequence of "zoo.cfg names a server
 * at an address it no longer has".  The verdict of a cluster is its root
 * causes; consequences are listed under them.
 */
enum qs_role {
	QS_ROLE_CAUSE,
	QS_ROLE_CONSEQUENCE
};
struct qs_cluster;
struct qs_finding {
	const struct qs_rule	*rule;
	enum qs_level		 level;
	const char		*title;
	const char		*id;		/* "f1".., set once sorted */
	struct qs_cluster	*cluster;	/* the cluster it is about */
	enum qs_role		 role;
	struct qs_vec		 causes;	/* struct qs_finding * */
	struct qs_vec		 nodes;		/* struct qs_node * */
	struct qs_vec		 facts;		/* const char *, the chain */
	struct qs_vec		 evidence;	/* struct qs_evidence * */
	struct qs_vec		 steps;		/* const char *, the repair */
};

/*
 * history.c: a cluster's reconstructed history, the state its rules
 * reason from.  Three timelines over wall-clock time, each boundary with
 * the evidence that set it and how sure it is, and the quorum arithmetic
 * of every moment found by one sweep over their boundaries:
 *
 *   liveness    each member: up / down / unknown intervals
 *   leadership  one interval per term or epoch: who led, from, to, how
 *               it ended; the gaps between them are leaderless
 *   voters      the voter set in force, from, to, where it was read
 *
 * A facts module (consul.c, etcd.c, zk.c) feeds the observations of its
 * system with the qs_history_* calls and then qs_history_finish(); rules
 * only read the result.  Times are milliseconds since the epoch.
 */
enum qs_live {
	QS_LIVE_UNKNOWN,
	QS_LIVE_UP,
	QS_LIVE_DOWN
};
enum qs_grade {
	QS_GRADE_ASSUMED,	/* nothing said: a default */
	QS_GRADE_INFERRED,	/* peers stopped hearing from it, a probe */
	QS_GRADE_SEEN		/* the member's own line said so */
};
/* Where an interval starts or ends: somewhere in [lo, hi]. */
struct qs_mark {
	int64_t			 lo;
	int64_t			 hi;
	enum qs_grade		 grade;
	const struct qs_evidence *ev;		/* NULL when assumed */
	const char		*why;		/* one phrase, or NULL */
};
struct qs_hmember {
	const char		*label;		/* how reports name it */
	const char		*id;		/* sid, member id; or NULL */
	struct qs_node		*node;		/* NULL: no files from it */
	int			 learner;	/* never counts */
	struct qs_vec		 live;		/* struct qs_span *, in order */
	struct qs_vec		 obs;		/* private to history.c */
};
struct qs_span {
	enum qs_live		 state;
	struct qs_mark		 from, to;
};
struct qs_term {
	uint64_t		 term;		/* term, epoch */
	int			 has_term;
	struct qs_hmember	*leader;
	struct qs_mark		 from, to;
	const char		*ended;		/* how, or NULL: still leading */
};
struct qs_voters {
	struct qs_vec		 members;	/* struct qs_hmember * */
	struct qs_mark		 from, to;
	const char		*source;
};
enum qs_quorum {
	QS_QUORUM_UNKNOWN,
	QS_QUORUM_HELD,
	QS_QUORUM_LOST
};
/* One stretch of the sweep in which nothing that counts changed. */
struct qs_qspan {
	enum qs_quorum		 state;
	const struct qs_term	*term;		/* the leader's, or NULL */
	int			 leaderless;	/* known: evidence of no leader */
	int64_t			 from, to;
	size_t			 voters, needed, up, down;
	struct qs_vec		 down_members;	/* struct qs_hmember * */
	struct qs_hmember	*fell;		/* whose loss made it fall */
};
struct qs_history {
	enum qs_system		 system;
	int			 timed;		/* any timed evidence */
	int64_t			 begin, end;	/* the evidence's range */
	struct qs_vec		 members;	/* struct qs_hmember * */
	struct qs_vec		 terms;		/* struct qs_term *, by time */
	struct qs_vec		 voters;	/* struct qs_voters *, by time */
	struct qs_vec		 quorum;	/* struct qs_qspan *, by time */
	struct qs_vec		 leaderless;	/* private: no-leader marks */
	int			 no_leader_at_end; /* said at collection */
	/* How long the cluster itself takes to elect; printed beside. */
	int64_t			 election_ms;
	const char		*election_from;
	struct qs_arena		*arena;
};
struct qs_history *qs_history_new(struct qs_arena *, enum qs_system);
void	qs_history_free(struct qs_history *);
struct qs_hmember *qs_history_member(struct qs_history *, struct qs_node *,
	    const char *, const char *);
struct qs_hmember *qs_history_find(const struct qs_history *,
	    const struct qs_node *, const char *);
void	qs_history_alive(struct qs_history *, struct qs_hmember *,
	    const struct qs_time *, const struct qs_evidence *);
void	qs_history_start(struct qs_history *, struct qs_hmember *,
	    const struct qs_time *, const struct qs_evidence *);
void	qs_history_stop(struct qs_history *, struct qs_hmember *,
	    const struct qs_time *, const struct qs_evidence *, const char *);
void	qs_history_unreachable(struct qs_history *, struct qs_hmember *,
	    struct qs_hmember *, const struct qs_time *,
	    const struct qs_evidence *);
void	qs_history_reachable(struct qs_history *, struct qs_hmember *,
	    struct qs_hmember *, const struct qs_time *,
	    const struct qs_evidence *);
void	qs_history_probe(struct qs_history *, struct qs_hmember *,
	    enum qs_live, const struct qs_time *, const struct qs_evidence *);
void	qs_history_leader(struct qs_history *, struct qs_hmember *, int,
	    uint64_t, const struct qs_time *, const struct qs_evidence *);
void	qs_history_step_down(struct qs_history *, struct qs_hmember *,
	    const struct qs_time *, const struct qs_evidence *, const char *);
void	qs_history_no_leader(struct qs_history *, const struct qs_time *,
	    const struct qs_evidence *);
void	qs_history_voters(struct qs_history *, const struct qs_vec *,
	    const struct qs_time *, const struct qs_evidence *, const char *);
void	qs_history_finish(struct qs_history *);
enum qs_live qs_history_state_at(const struct qs_hmember *, int64_t,
	    const struct qs_span **);
const char *qs_mark_text(struct qs_arena *, const struct qs_mark *);
const char *qs_ms_text(int64_t, char *, size_t);

/*
 * cluster.c: the clusters of a run, found from the data (etcd cluster IDs,
 * Consul datacenters and serf pools, ZooKeeper server lists, the SAPI
 * application) before any rule runs, never by node name alone.  A node
 * belongs to at most one cluster of each system.
 */
enum qs_verdict {
	QS_VERDICT_UNKNOWN,	/* nothing understood: no judgement */
	QS_VERDICT_HEALTHY,	/* evidence read, no finding */
	QS_VERDICT_FINDINGS
};
struct qs_cluster {
	const char		*id;		/* "etcd", "zookeeper-2": JSON */
	const char		*name;		/* what the data calls it */
	enum qs_system		 system;
	struct qs_vec		 nodes;		/* struct qs_node *, by name */
	struct qs_vec		 why;		/* const char *: what joined them */
	struct qs_history	*history;	/* NULL: not built */
	void			*facts;		/* the system's facts module */
	enum qs_verdict		 verdict;
	enum qs_level		 level;		/* of the worst root cause */
	struct qs_finding	*cause;		/* the worst root cause */
	size_t			 decoded;	/* artifacts decoded */
	size_t			 undecoded;	/* recognised, not decoded */
	size_t			 not_understood; /* of those, logs read whole */
	/* Artifacts read only in part, or from inputs read in part. */
	size_t			 partial;
	/* That, or an input that could not be read at all: the verdict is
	 * drawn from partial evidence. */
	int			 partial_evidence;
};
const char *qs_verdict_name(enum qs_verdict);
void	qs_clusters_build(struct qs_run *, struct qs_vec *);
void	qs_clusters_free(struct qs_vec *);
struct qs_cluster *qs_cluster_of(const struct qs_vec *,
	    const struct qs_node *, enum qs_system);
/* A run that sees only the cluster's nodes and their observations. */
void	qs_cluster_run(const struct qs_run *, const struct qs_cluster *,
	    struct qs_run *);
void	qs_cluster_run_done(struct qs_run *, struct qs_run *);

struct qs_analysis {
	struct qs_run		*run;		/* the cluster's run in rules */
	struct qs_run		*whole;		/* every cluster's */
	struct qs_cluster	*cluster;	/* the one being judged */
	struct qs_timeline	 timeline;
	struct qs_vec		 clusters;	/* struct qs_cluster * */
	struct qs_vec		 findings;	/* struct qs_finding *, sorted */
};
extern const struct qs_rule *const qs_rules[];
void	qs_analyse(struct qs_run *, struct qs_analysis *);
void	qs_analysis_free(struct qs_analysis *);
const char *qs_level_name(enum qs_level);
int	qs_level_parse(const char *, enum qs_level *);
const struct qs_rule *qs_rule_find(const char *);
struct qs_finding *qs_finding_new(struct qs_analysis *, const struct qs_rule *,
	    const char *, ...) QS_PRINTF(3, 4);
void	qs_finding_node(struct qs_finding *, struct qs_node *);
void	qs_finding_evidence(struct qs_finding *, const struct qs_evidence *);
void	qs_finding_fact(struct qs_analysis *, struct qs_finding *,
	    const char *, ...) QS_PRINTF(3, 4);
void	qs_finding_step(struct qs_analysis *, struct qs_finding *,
	    const char *, ...) QS_PRINTF(3, 4);
void	qs_finding_caused_by(struct qs_finding *, struct qs_finding *);
struct qs_finding *qs_finding_find(const struct qs_analysis *,
	    const char *);

/* Queries rules share (analysis.c). */
const struct qs_setting *qs_setting_get(const struct qs_run *,
	    const struct qs_node *, enum qs_system, const char *);
int	qs_setting_true(const struct qs_setting *);
const struct qs_view *qs_view_latest(const struct qs_run *,
	    const struct qs_node *, enum qs_view_kind, const char *);
int	qs_node_has_kind(const struct qs_node *, const char *);
const struct qs_identity *qs_node_ident(const struct qs_node *,
	    enum qs_ident, const char *);
const char *qs_node_host(struct qs_run *, const struct qs_node *,
	    const char *);
int	qs_node_has_host(struct qs_run *, const struct qs_node *, const char *);

/*
 * zk.c: ZooKeeper facts, built once per ensemble: each server's myid,
 * configuration, epochs, most history and leadership, and the history.
 */
#define QS_ZK_SRV_MAX	64	/* servers looked at in one ensemble */
struct qs_zk_srv {
	struct qs_node			*node;
	const char			*myid;
	const struct qs_evidence	*myid_ev;
	const struct qs_view		*cfg;
	const struct qs_setting		*cur, *acc;	/* epoch files */
	uint64_t			 cur_v, acc_v;
	uint64_t			 zxid;		/* most history seen */
	int				 has_zxid;
	const char			*zxid_from;	/* "txn log log.1" */
	const struct qs_evidence	*zxid_ev;
	uint64_t			 log_epoch;	/* txn logs' highest */
	int				 has_log_epoch;
	uint64_t			 log_zxid;	/* and its zxid */
	const struct qs_setting		*log_last;
	const struct qs_setting		*mode;		/* 4lw Mode: */
	int				 answered;	/* any 4lw output */
	const struct qs_setting		*mode_zxid;	/* 4lw Zxid: */
	const struct qs_event		*led;		/* last "Have quorum" */
	int64_t				 led_end;	/* its next state, ms */
	int				 led_open;	/* none logged after */
	int				 leading_now;
	uint64_t			 lead_epoch;
	int				 has_lead_epoch;
	const struct qs_setting		*standalone;
	int				 cfg_alone;	/* zoo.cfg: no quorum */
	const struct qs_setting		*fsync;
	const struct qs_signal		*epoch_sig;	/* "Leaders epoch" */
	size_t				 epoch_sigs;
};

/* One configuration version of the ensemble, from any server's files. */
struct qs_zk_version {
	uint64_t		 version;	/* the reconfig's zxid */
	const struct qs_view	*view;		/* its server lines */
	struct qs_time		 time;		/* of the reconfig txn */
	const struct qs_evidence *ev;		/* the txn, else the file */
};
/* A server added or removed between two versions. */
struct qs_zk_change {
	int			 add;
	const char		*id;		/* sid */
	const char		*address;	/* quorum address */
	const struct qs_zk_srv	*srv;		/* the server, if in the bundle */
	const struct qs_zk_version *to;		/* the version that did it */
};
struct qs_zk {
	struct qs_zk_srv	 srv[QS_ZK_SRV_MAX];
	size_t			 n;
	struct qs_history	*history;
	struct qs_vec		 versions;	/* struct qs_zk_version *, by
						   version */
	struct qs_vec		 changes;	/* struct qs_zk_change *, in
						   order */
};

struct qs_zk	*qs_zk_facts(struct qs_analysis *);
void	 qs_zk_facts_free(struct qs_zk *);
int	 qs_zk_cfg_view(const struct qs_view *);
const struct qs_view *qs_zk_node_cfg(const struct qs_run *,
	    const struct qs_node *);
int	 qs_zk_cfg_same(const struct qs_view *, const struct qs_view *);
const struct qs_node *qs_zk_survivor(struct qs_analysis *, const char **,
	    const struct qs_evidence **);
int	 qs_zk_hex(const char *, uint64_t *);
int	 qs_zk_dec(const char *, uint64_t *);
const char *qs_zk_artifact_base(const struct qs_evidence *);
int	 qs_zk_from_kind(const struct qs_evidence *, const char *);
int	 qs_zk_srv_better(const struct qs_zk_srv *, const struct qs_zk_srv *);
const struct qs_zk_srv *qs_zk_best(const struct qs_zk *,
	    int (*)(const struct qs_zk_srv *, const void *), const void *);
const char *qs_zk_survivor_text(struct qs_analysis *, const struct qs_zk *,
	    const struct qs_zk_srv *);
int	 qs_zk_fsync_low(const struct qs_setting *);
const struct qs_zk_change *qs_zk_removed(const struct qs_zk *, const char *);
const struct qs_zk_srv *qs_zk_srv_of(const struct qs_zk *,
	    const struct qs_node *);
void	 qs_zk_fsync_fact(struct qs_analysis *, struct qs_finding *,
	    const struct qs_zk *);

/* quorum.c: quorum loss read from a history, for every system's rule. */
struct qs_quorum_stretch {
	int64_t			 from, to, ms;
	int			 open;		/* to the end of the evidence */
	const struct qs_qspan	*first, *last;
	const struct qs_qspan	*lost;		/* first with the majority lost */
	const struct qs_qspan	*worst;		/* most voters down */
	const struct qs_qspan	*held;		/* first with a majority up */
	int64_t			 lost_ms;	/* time with the majority lost */
	int64_t			 held_ms;	/* time with a majority up */
};
int	qs_quorum_leaderless_held(const struct qs_history *,
	    const struct qs_quorum_stretch *);
void	qs_quorum_stretches(struct qs_run *, const struct qs_history *,
	    struct qs_vec *);
size_t	qs_quorum_latest_loss(const struct qs_vec *);
const char *qs_quorum_title(struct qs_run *, const struct qs_history *,
	    const struct qs_quorum_stretch *, const char *);
void	qs_quorum_explain(struct qs_analysis *, struct qs_finding *,
	    const struct qs_history *, const struct qs_quorum_stretch *,
	    const char *);
void	qs_quorum_others(struct qs_analysis *, struct qs_finding *,
	    const struct qs_vec *, size_t);
size_t	qs_quorum_link(struct qs_analysis *, struct qs_finding *,
	    const struct qs_quorum_stretch *, const char *const *);

/* triton.c: Triton facts, the SAPI and VMAPI dumps indexed once. */
struct qs_triton {
	struct qs_run		*run;
	const struct qs_view	*vms;	/* the first VMAPI dump, or NULL */
	size_t			 nrun;	/* running binder VMs in it */
	struct qs_map		 set;	/* key -> the last such setting */
	struct qs_map		 ip;	/* address -> running binder VM */
	struct qs_map		 zid;	/* instance uuid -> ZK_ID identity */
	struct qs_map		 num;	/* ZK_ID -> identity */
	struct qs_map		 live;	/* uuid -> running VM with an address */
	struct qs_map		 numvm;	/* ZK_ID -> identity whose VM runs */
	struct qs_map		 srv;	/* server uuid -> size_t VM count */
	struct qs_map		 byid;	/* uuid -> the last VM of `vms` */
	struct qs_arena		 keys;	/* the maps' keys */
};
const struct qs_triton *qs_triton_facts(struct qs_analysis *);
void	qs_triton_facts_free(struct qs_triton *);
const char *qs_triton_get(const struct qs_triton *, const char *, ...)
	    QS_PRINTF(2, 3);
int	qs_triton_is_binder(const struct qs_triton *, const struct qs_member *);
const char *qs_triton_vm_ips(const struct qs_triton *,
	    const struct qs_member *);
int	qs_triton_vm_has_ip(const struct qs_triton *, const struct qs_member *,
	    const char *);
const struct qs_view *qs_triton_vms(const struct qs_triton *);
const struct qs_member *qs_triton_binder_at(const struct qs_triton *,
	    const char *);

/* facts.c: every cluster's facts, built once before its rules run. */
struct qs_cluster *qs_facts_cluster(const struct qs_analysis *,
	    enum qs_system);
void	qs_facts_build(struct qs_analysis *);
void	qs_facts_events(struct qs_analysis *);
void	qs_facts_free(struct qs_analysis *);

/*
 * etcd-data-dir.c: the live data dir of each etcd member, from its
 * configuration; member dirs and backups beside it become leftovers.
 */
size_t	qs_etcd_leftovers(struct qs_run *);
const char *qs_etcd_host_path(const struct qs_artifact *);
int	qs_etcd_left_member(const struct qs_run *, const struct qs_node *,
	    const char *);

/*
 * etcd.c: etcd facts, built once per cluster before its rules run: the
 * members with files (ids, raft log), every member id the memberships
 * name (learners, added and never started), the timing, and the history.
 */
struct qs_etcd_srv {		/* a member with files in the bundle */
	struct qs_node		*node;
	const char		*id;		/* its member id (hex), or NULL */
	struct qs_hmember	*member;	/* in the history */
	int			 has_log;	/* its WAL's last entry read */
	uint64_t		 last_term, last_index;
	uint64_t		 commit;	/* HardState commit, or 0 */
	uint64_t		 applied;	/* backend consistent index, or 0 */
	const struct qs_evidence *log_ev;
	const struct qs_setting	*forced;	/* started --force-new-cluster */
};
struct qs_etcd_mid {		/* a member id of the cluster */
	const char		*id;
	const char		*name;		/* as a membership names it */
	struct qs_etcd_srv	*srv;		/* the member that is it, or NULL */
	struct qs_hmember	*member;	/* in the history */
	const struct qs_view	*listed;	/* a membership listing it */
	int			 in_list;	/* `etcdctl member list` has it */
	int			 list_voter;	/* and says it votes */
	int			 learner;
	int			 reached;	/* a peer reached it once */
	int			 unstarted;	/* added, never started */
	int			 boot;		/* a bootstrap member */
	int			 has_added, has_removed, removed_untimed;
	int64_t			 added, removed;	/* first dated */
	const struct qs_evidence *added_ev, *removed_ev;
};
struct qs_etcd {
	struct qs_vec		 srvs;		/* struct qs_etcd_srv * */
	struct qs_vec		 mids;		/* struct qs_etcd_mid * */
	struct qs_history	*history;
	const char		*cluster_id;	/* most members', or NULL */
	int64_t			 election_ms;	/* --election-timeout */
	int64_t			 heartbeat_ms;	/* --heartbeat-interval */
	int			 timing_read, heartbeat_read;
	const char		*timing_from;	/* where, for facts */
};
struct qs_etcd *qs_etcd_facts(struct qs_analysis *);
void	qs_etcd_facts_free(struct qs_etcd *);
/* The value of one etcd setting a parser recorded for the node, or NULL. */
const char *qs_etcd_setting(struct qs_analysis *, const struct qs_node *,
	    const char *);
struct qs_etcd_srv *qs_etcd_srv_of(const struct qs_etcd *,
	    const struct qs_node *);
const struct qs_etcd_srv *qs_etcd_most_log(const struct qs_etcd *);

/* rule-etcd.c: etcd facts the log and state rules share. */
const char *qs_etcd_data_dir(struct qs_analysis *, const struct qs_node *);
const char *qs_etcd_majority_cluster(struct qs_analysis *, size_t *);
struct qs_node *qs_etcd_survivor(struct qs_analysis *, const char *,
	    const struct qs_node *, uint64_t *);

/*
 * consul.c: Consul facts, built once per cluster (a datacenter's servers)
 * before its rules run: which nodes are servers, each one's raft address,
 * node ID, peers.json, raft configuration, serf view and bootstrap
 * settings; the cluster's raft configuration; the raft timing; each
 * server's leadership intervals; and the cluster's history (liveness,
 * leadership by term, voters over time).
 */
struct qs_consul_server {
	struct qs_node		*node;
	const char		*raft_addr;	/* ip:port for peers.json */
	int			 raft_addr_seen; /* logged, not derived */
	const char		*node_id;	/* NULL when unknown */
	const struct qs_view	*peers;		/* latest peers.json view */
	const struct qs_view	*config;	/* its raft configuration */
	const struct qs_view	*serf;		/* serf LAN view */
	int			 legacy;	/* raft peers.json era (<= 0.6) */
	const struct qs_setting	*bootstrap;	/* "bootstrap", or NULL */
	const struct qs_setting	*expect;	/* bootstrap_expect, or NULL */
	unsigned long		 expect_n;
	struct qs_hmember	*member;	/* in the history */
	/*
	 * Taken out of the cluster while the others went on: another
	 * server removed it from raft, or serf reaped it, and the cluster's
	 * configuration no longer lists it.  Its own files then hold the
	 * view of a member that is gone, not a disagreement.
	 */
	const struct qs_event	*removed;
	const struct qs_event	*reaped;	/* serf's reap, when seen */
};
/* One server's leadership: from its own lead line to its end. */
struct qs_consul_reign {
	struct qs_consul_server	*server;
	const struct qs_event	*start;
	int			 has_term;
	uint64_t		 term;
	int64_t			 from, to;
	int			 open;		/* still leading at the end */
	const char		*ended;		/* how, or NULL when open */
	const struct qs_evidence *end_ev;
};
struct qs_consul {
	struct qs_vec		 servers;	/* struct qs_consul_server * */
	size_t			 expected;	/* servers the cluster should have */
	const struct qs_view	*latest;	/* the cluster's configuration */
	struct qs_vec		 reigns;	/* struct qs_consul_reign * */
	struct qs_history	*history;
	unsigned		 multiplier;	/* performance.raft_multiplier */
	const char		*multiplier_from;
	int64_t			 lease_ms;	/* LeaderLeaseTimeout */
	int			 leader_at_end;	/* led, quorum not lost */
};
struct qs_consul *qs_consul_facts(struct qs_analysis *);
void	qs_consul_facts_free(struct qs_consul *);
struct qs_consul_server *qs_consul_server_of(const struct qs_consul *,
	    const struct qs_node *);
int	qs_consul_down_at_end(const struct qs_consul *,
	    const struct qs_consul_server *);
const struct qs_consul_server *qs_consul_survivor(struct qs_analysis *,
	    const struct qs_consul *, const char **);
const char *qs_consul_peers_json(struct qs_analysis *,
	    const struct qs_consul *, const struct qs_consul_server *,
	    const struct qs_vec *);
const char *qs_consul_voters_text(struct qs_analysis *,
	    const struct qs_view *);
int	qs_consul_same_voters(struct qs_analysis *, const struct qs_consul *,
	    const struct qs_view *, const struct qs_view *);

/* wire-json.c: key positions and exact integers in JSON text. */
struct qs_json_key {
	const char	*name;		/* raw bytes between the quotes */
	size_t		 name_len;
	unsigned	 depth;		/* 1: member of the top-level object */
	size_t		 parent;	/* index of the enclosing key or SIZE_MAX */
	uint64_t	 line;		/* 1-based line of the key */
	size_t		 value;		/* offset of the value's first byte */
};
size_t	qs_json_keys(const char *, size_t, unsigned, size_t,
	    struct qs_json_key **);
int	qs_json_key_is(const struct qs_json_key *, const char *);
int	qs_json_raw_number(const char *, size_t, size_t, const char **,
	    size_t *);
int	qs_json_raw_u64(const char *, size_t, size_t, uint64_t *);
uint64_t qs_json_line_at(const char *, size_t, size_t);
/*
 * Lines of many offsets in one text, counted from the previous offset:
 * parsers that look things up in text order pay once for the whole text.
 * Zero-initialise; one cursor per text.
 */
struct qs_line_cursor {
	size_t		off;
	uint64_t	line;	/* of `off`; 0 before the first use */
};
uint64_t qs_json_line_seek(const char *, size_t, struct qs_line_cursor *,
	    size_t);

/* parse-consul-*.c: Consul's small artifacts. */
int	qs_parse_consul_peers_json(struct qs_parse_ctx *);
int	qs_parse_consul_peers_info(struct qs_parse_ctx *);
int	qs_parse_consul_serf_snapshot(struct qs_parse_ctx *);
int	qs_parse_consul_node_id(struct qs_parse_ctx *);
int	qs_parse_consul_config(struct qs_parse_ctx *);
int	qs_parse_consul_snapshot_meta(struct qs_parse_ctx *);
int	qs_parse_consul_raft_wal(struct qs_parse_ctx *);
/*
 * parse-consul-cli.c: members, operator raft list-peers, info output;
 * the agent's stats (consul info, a debug archive's agent.json) read the
 * same way by both.
 */
int	qs_parse_consul_cli(struct qs_parse_ctx *);
struct qs_consul_info {
	struct qs_parse_ctx	*ctx;
	const struct qs_probe	*probe;
	const char		*state, *leader_addr, *term;
	const char		*config, *config_index;
	uint64_t		 config_line;
	uint64_t		 info_line;	/* the probe's evidence */
	const char		*info_text;
};
void	qs_consul_info_init(struct qs_consul_info *, struct qs_parse_ctx *,
	    const struct qs_probe *);
void	qs_consul_info_value(struct qs_consul_info *, const char *,
	    const char *, const char *, uint64_t, const char *);
void	qs_consul_info_done(struct qs_consul_info *, const char *);
/* parse-consul-debug.c: `consul debug` archives. */
int	qs_parse_consul_debug_agent(struct qs_parse_ctx *);
int	qs_parse_consul_debug_members(struct qs_parse_ctx *);
int	qs_parse_consul_debug_host(struct qs_parse_ctx *);
int	qs_parse_consul_debug_index(struct qs_parse_ctx *);
void	qs_consul_debug_rename(struct qs_run *);
/* parse-consul-raftdb.c: raft.db, the raft log and stable store. */
int	qs_parse_consul_raftdb(struct qs_parse_ctx *);
/* parse-etcd-db.c: the etcd backend (member/snap/db). */
int	qs_parse_etcd_db(struct qs_parse_ctx *);

/* cmd.c and cmd-*.c: the command table. */
enum qs_format {
	QS_FORMAT_TEXT,
	QS_FORMAT_JSON,
	QS_FORMAT_CSV,		/* timeline only */
	QS_FORMAT_HTML,		/* report only */
	QS_FORMAT_SWIMLANE	/* timeline only */
};
enum qs_color {
	QS_COLOR_AUTO,
	QS_COLOR_ALWAYS,
	QS_COLOR_NEVER
};
struct qs_globals {
	struct qs_run	*run;
	enum qs_format	 format;
	enum qs_color	 color;
	int		 use_color;	/* decided from color, NO_COLOR, TTY */
	enum qs_level	 fail_on;	/* report: exit 1 at or above */
	struct qs_time	 since;		/* timeline filters */
	struct qs_time	 until;
	unsigned	 events;	/* 1 << enum qs_event_kind, 0 = all */
	struct qs_vec	 node_filter;	/* const char *: --node NAME */
	int		 width;		/* --width: text columns, 0 = auto */
	int		 ids;		/* --ids: peers cells name member ids */
	const char	*output;	/* -o FILE, else standard output */
	int		 quiet;		/* -q: exit status only */
};
struct qs_command {
	const char	*name;
	const char	*args;		/* usage line after the name */
	const char	*summary;
	int		(*exec)(struct qs_globals *, int, char **);
	unsigned	 options;	/* QS_OPT_*: the options it takes */
};
/* Options that apply to some commands only (the rest apply to all). */
#define QS_OPT_FAIL_ON	0x01u	/* --fail-on */
#define QS_OPT_FILTER	0x02u	/* --node NAME, --event, --since, --until */
#define QS_OPT_WIDTH	0x04u	/* --width */
#define QS_OPT_INPUT	0x08u	/* reads bundles: limits, --node NAME=GLOB */
#define QS_OPT_IDS	0x10u	/* --ids */
extern const struct qs_command qs_cmd_inventory;
extern const struct qs_command qs_cmd_report;
extern const struct qs_command qs_cmd_timeline;
extern const struct qs_command qs_cmd_peers;
extern const struct qs_command qs_cmd_rules;
extern const struct qs_command qs_cmd_explain;
extern const struct qs_command qs_cmd_dump;
#define QS_EXIT_OK		0
#define QS_EXIT_FINDINGS	1
#define QS_EXIT_USAGE		2
#define QS_EXIT_NOINPUT		3
int	qs_read_inputs(struct qs_globals *, int, char **);
void	qs_usage_error(const char *, ...) QS_PRINTF(1, 2);
const char *qs_suggest(const char *, const char *const *, size_t);
const char *qs_suggest_text(struct qs_arena *, const char *,
	    const char *const *, size_t);
const char *qs_node_suggest(struct qs_arena *, const struct qs_run *,
	    const char *);
int	qs_node_known(const struct qs_run *, const char *);

/* output.c: shared pieces of text and JSON output. */
struct cJSON;
struct cJSON *qs_json_header(const struct qs_run *);
void	qs_json_stamp(struct cJSON *);
struct cJSON *qs_json_diagnostics(const struct qs_run *);
int	qs_json_print(struct cJSON *, FILE *);
struct cJSON *qs_json_nodes(const struct qs_run *, int);
struct cJSON *qs_json_evidence(const struct qs_evidence *);
struct cJSON *qs_json_tl_entry(const struct qs_tl_entry *);
struct cJSON *qs_json_finding(const struct qs_finding *);
struct cJSON *qs_json_cluster(const struct qs_cluster *);
const char *qs_evidence_text(struct qs_arena *, const struct qs_evidence *);
const char *qs_evidence_where(struct qs_arena *, const struct qs_evidence *);
const char *qs_node_path(const struct qs_artifact *);
int	qs_output_width(const struct qs_globals *);
void	qs_text_clip(FILE *, int, const char *, int);
const char *qs_tl_subject(const struct qs_event *);
int	qs_tl_keep(const struct qs_globals *, const struct qs_tl_entry *);
int	qs_analysis_inputs(struct qs_globals *, int, char **,
	    struct qs_analysis *);
void	qs_text_diagnostics(const struct qs_globals *, FILE *);
void	qs_table_print(FILE *, size_t, size_t, const char **, const int *);
void	qs_text_wrap(FILE *, int, int, const char *, int);
void	qs_text_wrap_at(FILE *, int, int, const char *, int);

/*
 * swimlane.c: the lanes both drawings share (the HTML report's SVG and
 * the terminal's timeline -f swimlane), built from the report's JSON
 * document so that what is drawn is what is exported.  One group per
 * cluster (and one for events outside every cluster), one lane per
 * member, each with its liveness spans, leadership terms and event marks;
 * untimed events apart, in their order.  Times are ms since the epoch.
 */
struct qs_sl_span {
	int		 state;		/* enum qs_live */
	int64_t		 from, from_hi;	/* the boundary: somewhere in [lo, hi] */
	int64_t		 to, to_hi;
	int		 from_grade, to_grade;	/* enum qs_grade */
	size_t		 index;		/* in the member's "liveness" */
};
struct qs_sl_term {
	int64_t		 from, from_hi, to, to_hi;
	const char	*term;		/* "7", or NULL when unnumbered */
	size_t		 index;		/* in the history's "leadership" */
};
struct qs_sl_mark {
	int64_t		 t;
	int		 timed;
	int		 kind;		/* enum qs_event_kind */
	size_t		 entry;		/* in the report's "timeline" */
	const char	*lane;		/* the lane it is drawn in */
};
struct qs_sl_lane {
	const char	*label;
	const char	*node;		/* NULL: not a node of the bundle */
	size_t		 member;	/* in the history, or SIZE_MAX */
	int		 has_skew;
	int64_t		 skew_ms;
	size_t		 skew_samples;
	struct qs_vec	 spans;		/* struct qs_sl_span * */
	struct qs_vec	 terms;		/* struct qs_sl_term * */
	struct qs_vec	 marks;		/* struct qs_sl_mark *, timed */
};
struct qs_sl_quorum {
	int		 state;		/* 0 unknown, 1 held, 2 lost */
	int64_t		 from, to;
	const char	*leader;	/* NULL: leaderless */
	size_t		 index;
};
struct qs_sl_group {
	const char	*id;		/* the cluster's id, "other" outside */
	const char	*name;
	const char	*system;
	size_t		 cluster;	/* in "clusters", or SIZE_MAX */
	int		 has_history;
	int		 timed;		/* t0 and t1 hold something */
	int64_t		 t0, t1;
	struct qs_vec	 lanes;		/* struct qs_sl_lane * */
	struct qs_vec	 quorum;	/* struct qs_sl_quorum * */
	struct qs_vec	 untimed;	/* struct qs_sl_mark *, in order */
};
struct qs_sl_filter {
	struct qs_time	 since, until;
	const struct qs_vec *nodes;	/* const char *; empty: every lane */
	const unsigned char *keep;	/* per timeline entry; NULL: all */
};
struct qs_swimlane {
	struct qs_arena	 arena;
	struct qs_vec	 groups;	/* struct qs_sl_group * */
	size_t		 marks;		/* timed marks drawn */
	size_t		 untimed;	/* untimed marks drawn */
};
void	qs_swimlane_build(struct qs_swimlane *, const struct cJSON *,
	    const struct qs_sl_filter *);
void	qs_swimlane_free(struct qs_swimlane *);
int64_t	qs_sl_tick_step(int64_t, int);
const char *qs_sl_tick_label(int64_t, int64_t, int, char *, size_t);

/* report-html.c: the self-contained HTML report. */
struct cJSON *qs_report_json(struct qs_globals *, struct qs_analysis *);
struct cJSON *qs_peers_json(struct qs_run *);
int	qs_report_html(FILE *, struct cJSON *, struct cJSON *);

#endif /* QUORUMSCOPE_H */
