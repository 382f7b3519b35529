/*
 * Collected etcdctl output (kind etcd.etcdctl_output): what an engineer
 * saved from `etcdctl member list` and `etcdctl endpoint status`, often
 * with the client's own error lines in the same file (>file 2>&1).
 *
 * Shapes (etcd-io/etcd etcdctl/ctlv3/command/printer*.go, release-3.3 to
 * 3.5; etcdctl/ctlv2 for API 2):
 *   member list, table (-w table):
 *     | ID | STATUS | NAME | PEER ADDRS | CLIENT ADDRS | IS LEARNER |
 *     (no IS LEARNER column before 3.4; an unstarted member has status
 *     "unstarted", an empty name and no client URLs)
 *   member list, simple (default):
 *     8e9e05c52164694d, started, infra1, http://..:2380, http://..:2379, false
 *   member list, JSON (-w json): {"header":{"cluster_id":N,"member_id":N,
 *     "raft_term":N},"members":[{"ID":N,"name":..,"peerURLs":[..],
 *     "clientURLs":[..],"isLearner":true}]}; ids are decimal, most above
 *     2^53, and read from the digits; an unstarted member has no name
 *   member list, API 2: "<hex>: name=.. peerURLs=.. clientURLs=..
 *     isLeader=true", unstarted "<hex>[unstarted]: peerURLs=.."
 *   endpoint status, table: | ENDPOINT | ID | VERSION | DB SIZE |
 *     IS LEADER | IS LEARNER | RAFT TERM | RAFT INDEX | RAFT APPLIED INDEX
 *     | ERRORS | (3.4; 3.3 has fewer columns: columns go by header name)
 *   endpoint status, simple: the same columns joined with ", "
 *   endpoint status, JSON: [{"Endpoint":..,"Status":{"header":{..},
 *     "version":..,"leader":N,"raftIndex":N,"raftTerm":N,
 *     "raftAppliedIndex":N,"errors":["etcdserver: no leader"]}}]; without
 *     a leader "leader" is absent; grpc-gateway spellings (raft_index,
 *     raft_term, ids as strings) are accepted too
 *   client errors: zap JSON lines ({"level":"warn",...}), "Error: <why>",
 *     "Failed to get the status of endpoint <url> (<why>)"
 *
 * Extracted: a view "etcdctl member list" per listing (started members as
 * voters or non-voters (learners), unstarted ones as listed, without a
 * name), identities for each member (name, peer and client URLs, subject
 * the member id), per endpoint the settings etcd.status.* (member_id,
 * cluster_id, leader, raft_term, raft_index, raft_applied_index,
 * is_learner, version, errors, endpoint) and the endpoint as the
 * member's client address, the member list's cluster id
 * (etcd.members.cluster_id), and client errors as etcd.etcdctl.error.
 * Every id is normalised to lowercase hex without padding.
 *
 *   endpoint health: simple ("<ep> is healthy: successfully committed
 *     proposal: took = ..", "<ep> is unhealthy: failed to commit
 *     proposal: <error>"), table (| ENDPOINT | HEALTH | TOOK | ERROR |),
 *     JSON ([{"endpoint":..,"health":true,"took":..,"error":..}]);
 *     3.5 adds "Active Alarm(s): NOSPACE" as an error
 *   API 2 cluster-health: "member <id> is healthy: got healthy result
 *     from <url>", "member <id> is unreachable: .."
 *   what curl saved from /health and /version ({"health":"true"},
 *     {"etcdserver":"3.4.23","etcdcluster":"3.4.0"})
 *   `etcdctl version`: "etcdctl version: 3.4.23" (the client only: it
 *     asks no server, so it is no probe)
 *
 * Collection-time probes (probe.c): each endpoint that answered a
 * status or a health check is QS_SIG_PROBE_UP, or PROBE_NOT_SERVING when
 * its answer says it cannot serve ("etcdserver: no leader", an alarm,
 * unhealthy /health); an endpoint whose status could not be had, or
 * whose health check or command failed with a dial error (refused,
 * unreachable, grpc's TransientFailure, also when only the client's zap
 * line for that endpoint says so), is PROBE_DOWN.  The subject is the
 * endpoint URL (NULL for localhost: the observer itself); the time is
 * the client's zap line's "ts" or a timestamp header.  Shell prompt
 * lines and timestamp headers between outputs are skipped.
 *
 * Known limits: a health check that failed with a bare "context
 * deadline exceeded" and nothing else about its endpoint gives no probe
 * (a refused dial and a proposal that cannot commit both end that way;
 * etcd-io/etcd CHANGELOG-3.3 for 3.3.14 merged their wordings); the
 * setting etcd.health.error keeps it.  `member add` and other commands
 * are not read.  With --cluster, one file holds several endpoints: their
 * settings repeat under the same keys, one group per endpoint, each with
 * its own line.  Lines longer than ETCDCTL_LINE_MAX are cut.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "quorumscope.h"

/*
 * One line of output.  A one-line JSON member list takes about 250 bytes
 * a member: 64 KiB holds 250 members, far past any real cluster.
 */
#define ETCDCTL_LINE_MAX	(64 * 1024)
/* A JSON document spread over lines (pretty-printed) is kept up to this. */
#define ETCDCTL_JSON_MAX	(8 * 1024 * 1024)
#define ETCDCTL_JSON_DEPTH	64
/* Observations one file may emit before the parser gives up. */
#define ETCDCTL_MAX_OBS		1000000
/* Table columns looked at. */
#define ETCDCTL_MAX_COLS	32

enum etcdctl_table {
	TABLE_NONE,
	TABLE_MEMBERS,
	TABLE_STATUS,
	TABLE_HEALTH
};

/* Column positions of a table header; -1 when absent. */
enum etcdctl_col {
	COL_ID, COL_STATUS, COL_NAME, COL_PEER, COL_CLIENT, COL_LEARNER,
	COL_ENDPOINT, COL_VERSION, COL_LEADER, COL_TERM, COL_INDEX,
	COL_APPLIED, COL_ERRORS, COL_HEALTH, COL_TOOK, COL_ERROR, COL_COUNT
};

/* A client log line's complaint about one endpoint (host:port). */
struct etcdctl_client_error {
	const char	*target;
	const char	*error;
};
#define ETCDCTL_CLIENT_ERRORS	64

struct etcdctl {
	struct qs_parse_ctx	*ctx;
	struct qs_arena		 tmp;
	uint64_t		 lineno;
	uint64_t		 nobs;
	int			 stopped;
	enum etcdctl_table	 table;
	int			 col[COL_COUNT];
	struct qs_view		*view;		/* member list being read */
	char			*json;		/* JSON document being gathered */
	size_t			 json_len;
	size_t			 json_cap;
	long			 json_depth;
	uint64_t		 json_line;
	int			 json_dropped;
	struct qs_probe		 probe;		/* header time, prompt */
	struct etcdctl_client_error errs[ETCDCTL_CLIENT_ERRORS];
	size_t			 nerrs;
};

/* A member as any listing gives it. */
struct etcdctl_member {
	uint64_t	 id;
	const char	*name;
	const char	*peer[QS_ETCD_MAX_URLS];
	size_t		 npeer;
	const char	*client[QS_ETCD_MAX_URLS];
	size_t		 nclient;
	int		 unstarted;
	int		 learner;
};

/* An endpoint status as any format gives it; NULL fields are absent. */
struct etcdctl_status {
	const char	*endpoint;
	const char	*member_id;
	const char	*cluster_id;
	const char	*leader;
	const char	*raft_term;
	const char	*raft_index;
	const char	*raft_applied;
	const char	*is_learner;
	const char	*version;
	const char	*errors;
};

static int	etcdctl_budget(struct etcdctl *, size_t);
static void	etcdctl_line(struct etcdctl *, char *, size_t);
static long	etcdctl_depth(const char *, size_t, long);
static void	etcdctl_json_add(struct etcdctl *, const char *, size_t);
static void	etcdctl_json_done(struct etcdctl *);
static void	etcdctl_json_members(struct etcdctl *, const cJSON *,
		    const struct qs_evidence *);
static void	etcdctl_json_status(struct etcdctl *, const cJSON *);
static const char *etcdctl_json_id(struct etcdctl *, const cJSON *);
static const char *etcdctl_json_num(struct etcdctl *, const cJSON *);
static size_t	etcdctl_split(char *, const char *, char **, size_t);
static char	*etcdctl_trim(char *);
static void	etcdctl_table_row(struct etcdctl *, char *, const char *);
static int	etcdctl_simple(struct etcdctl *, char *, const char *);
static int	etcdctl_v2_member(struct etcdctl *, char *, const char *);
static const char *etcdctl_hex(struct etcdctl *, const char *);
static size_t	etcdctl_urls(struct etcdctl *, const char *, const char **);
static void	etcdctl_member(struct etcdctl *, const struct etcdctl_member *,
		    const struct qs_evidence *);
static void	etcdctl_status(struct etcdctl *, const struct etcdctl_status *,
		    const struct qs_evidence *);
static void	etcdctl_set(struct etcdctl *, const char *, const char *,
		    const struct qs_evidence *);
static struct qs_view *etcdctl_view(struct etcdctl *,
		    const struct qs_evidence *);
static void	etcdctl_client_log(struct etcdctl *, const cJSON *);
static const char *etcdctl_client_error(struct etcdctl *, const char *);
static void	etcdctl_probe(struct etcdctl *, int, const char *,
		    const char *, const struct qs_evidence *);
static void	etcdctl_health(struct etcdctl *, const char *, int,
		    const char *, const struct qs_evidence *);
static int	etcdctl_health_line(struct etcdctl *, char *, const char *);
static void	etcdctl_error_probe(struct etcdctl *, const char *,
		    const struct qs_evidence *);
static void	etcdctl_json_health(struct etcdctl *, const cJSON *);

static int
etcdctl_budget(struct etcdctl *c, size_t n)
{
	if (c->stopped)
		return -1;
	if (c->nobs + n > ETCDCTL_MAX_OBS) {
		qs_parse_diag(c->ctx, QS_SEV_WARNING, c->lineno, "more than %d "
		    "observations; the rest of the file is not read",
		    ETCDCTL_MAX_OBS);
		c->stopped = 1;
		return -1;
	}
	c->nobs += n;
	return 0;
}

/*
 * Reads the output line by line.  Returns 0 (odd lines are skipped;
 * damaged JSON is reported).
 */
int
qs_parse_etcd_etcdctl(struct qs_parse_ctx *ctx)
{
	struct etcdctl	 c;
	const char	*line;
	ssize_t		 len;
	char		*copy;

	memset(&c, 0, sizeof(c));
	c.ctx = ctx;
	while (!c.stopped && (len = qs_source_getline(ctx->src, &line,
	    ETCDCTL_LINE_MAX)) >= 0) {
		c.lineno = ctx->src->lineno;
		if ((size_t)len >= ETCDCTL_LINE_MAX)
			qs_parse_diag(ctx, QS_SEV_WARNING, c.lineno, "line longer "
			    "than %d bytes; cut", ETCDCTL_LINE_MAX);
		copy = qs_xmalloc((size_t)len + 1);
		memcpy(copy, line, (size_t)len + 1);
		if (c.json == NULL && qs_probe_line(ctx, &c.probe, copy,
		    (size_t)len, c.lineno)) {
			/* A prompt or a time: a new command's output follows. */
			c.table = TABLE_NONE;
			c.view = NULL;
		} else
			etcdctl_line(&c, copy, (size_t)len);
		free(copy);
	}
	if (c.json != NULL && !c.stopped)
		qs_parse_diag(ctx, QS_SEV_WARNING, c.json_line, "JSON output "
		    "starting here is cut short");
	if (ctx->src->error)
		qs_parse_diag(ctx, QS_SEV_WARNING, c.lineno, "reading failed "
		    "after this line");
	free(c.json);
	qs_arena_free(&c.tmp);
	return 0;
}

/*
 * Bracket depth after the line, starting from `depth`, strings skipped.
 * JSON strings cannot span lines, so each line starts outside one.
 */
static long
etcdctl_depth(const char *s, size_t len, long depth)
{
	size_t	i;
	int	in = 0;

	for (i = 0; i < len; i++) {
		if (in) {
			if (s[i] == '\\')
				i++;
			else if (s[i] == '"')
				in = 0;
		} else if (s[i] == '"')
			in = 1;
		else if (s[i] == '{' || s[i] == '[')
			depth++;
		else if (s[i] == '}' || s[i] == ']')
			depth--;
	}
	return depth;
}

static void
etcdctl_json_add(struct etcdctl *c, const char *s, size_t len)
{
	if (c->json_dropped)
		return;
	if (c->json_len + len + 2 > ETCDCTL_JSON_MAX) {
		qs_parse_diag(c->ctx, QS_SEV_WARNING, c->json_line, "JSON output "
		    "starting here is over %d bytes; not read",
		    ETCDCTL_JSON_MAX);
		c->json_dropped = 1;
		return;
	}
	if (c->json_len + len + 2 > c->json_cap) {
		size_t	cap = c->json_cap == 0 ? 4096 : c->json_cap;

		while (cap < c->json_len + len + 2)
			cap *= 2;
		c->json = qs_xreallocarray(c->json, cap, 1);
		c->json_cap = cap;
	}
	memcpy(c->json + c->json_len, s, len);
	c->json_len += len;
	c->json[c->json_len++] = '\n';
	c->json[c->json_len] = '\0';
}

/* One line of output, NUL terminated, ours to modify. */
static void
etcdctl_line(struct etcdctl *c, char *line, size_t len)
{
	char	*p = line;

	while (*p == ' ' || *p == '\t')
		p++;
	if (c->json != NULL && (*p == '|' || *p == '+' ||
	    strncmp(p, "Error:", 6) == 0)) {
		/* A table or an error line: the JSON before it was cut. */
		qs_parse_diag(c->ctx, QS_SEV_WARNING, c->json_line, "JSON "
		    "output starting here is cut short");
		free(c->json);
		c->json = NULL;
	}
	if (c->json != NULL) {
		etcdctl_json_add(c, line, len);
		c->json_depth = etcdctl_depth(line, len, c->json_depth);
		if (c->json_depth <= 0)
			etcdctl_json_done(c);
		return;
	}
	if (*p == '{' || *p == '[') {
		long	d = etcdctl_depth(p, strlen(p), 0);

		c->table = TABLE_NONE;
		c->view = NULL;
		c->json = qs_xmalloc(1);
		c->json[0] = '\0';
		c->json_len = 0;
		c->json_cap = 1;
		c->json_line = c->lineno;
		c->json_dropped = 0;
		c->json_depth = d;
		etcdctl_json_add(c, p, strlen(p));
		if (d <= 0)
			etcdctl_json_done(c);
		return;
	}
	if (*p == '+')		/* a table rule */
		return;
	if (*p == '|') {
		etcdctl_table_row(c, p, line);
		return;
	}
	c->table = TABLE_NONE;
	if (strncmp(p, "Error:", 6) == 0) {
		struct qs_evidence	ev = qs_evidence_line(c->ctx, c->lineno,
		    line);

		c->view = NULL;
		p = etcdctl_trim(p + 6);
		etcdctl_set(c, "etcd.etcdctl.error", p, &ev);
		etcdctl_error_probe(c, p, &ev);
		return;
	}
	if (strncmp(p, "Failed to get the status of endpoint ", 37) == 0) {
		struct qs_evidence	ev = qs_evidence_line(c->ctx, c->lineno,
		    line);

		char			*ep, *why;
		int			 kind;

		c->view = NULL;
		p = etcdctl_trim(p);
		etcdctl_set(c, "etcd.etcdctl.error", p, &ev);
		/*
		 * Status is answered by the member alone (no consensus), so
		 * a deadline here is no answer at all.
		 */
		ep = p + 37;
		if ((why = strstr(ep, " (")) != NULL) {
			*why = '\0';
			why += 2;
			why[strcspn(why, ")")] = '\0';
			if ((kind = qs_probe_error_kind(why)) < 0)
				kind = QS_SIG_PROBE_DOWN;
			etcdctl_probe(c, kind, ep, why, &ev);
		}
		return;
	}
	if (strncmp(p, "etcdctl version: ", 17) == 0) {
		/* `etcdctl version` asks no server: the client's version. */
		struct qs_evidence	ev = qs_evidence_line(c->ctx, c->lineno,
		    line);

		etcdctl_set(c, "etcd.etcdctl.version", etcdctl_trim(p + 17),
		    &ev);
		return;
	}
	if (etcdctl_health_line(c, p, line))
		return;
	if (etcdctl_v2_member(c, p, line) || etcdctl_simple(c, p, line))
		return;
	c->view = NULL;
}

/* The document gathered in c->json is complete. */
static void
etcdctl_json_done(struct etcdctl *c)
{
	struct qs_evidence	 ev;
	cJSON			*root, *item;
	const cJSON		*hdr;
	uint64_t		 line = c->json_line;

	if (c->json_dropped) {
		free(c->json);
		c->json = NULL;
		return;
	}
	root = qs_etcd_json_parse(c->json, c->json_len, ETCDCTL_JSON_DEPTH);
	free(c->json);
	c->json = NULL;
	if (root == NULL) {
		qs_parse_diag(c->ctx, QS_SEV_WARNING, line, "JSON output does "
		    "not parse");
		return;
	}
	ev = qs_evidence_line(c->ctx, line, NULL);
	if (cJSON_IsObject(root) && cJSON_IsArray(
	    cJSON_GetObjectItemCaseSensitive(root, "members")))
		etcdctl_json_members(c, root, &ev);
	else if (cJSON_IsArray(root)) {
		cJSON_ArrayForEach(item, root) {
			if (!cJSON_IsObject(item))
				continue;
			if (cJSON_GetObjectItemCaseSensitive(item, "health") !=
			    NULL)
				etcdctl_json_health(c, item);
			else
				etcdctl_json_status(c, item);
		}
	} else if (cJSON_IsObject(root) &&
	    (cJSON_GetObjectItemCaseSensitive(root, "Status") != NULL ||
	    cJSON_GetObjectItemCaseSensitive(root, "Endpoint") != NULL))
		etcdctl_json_status(c, root);
	else if (cJSON_IsObject(root) &&
	    cJSON_GetObjectItemCaseSensitive(root, "level") != NULL &&
	    cJSON_GetObjectItemCaseSensitive(root, "msg") != NULL)
		etcdctl_client_log(c, root);	/* its Error: line follows */
	else if (cJSON_IsObject(root) &&
	    cJSON_IsString(cJSON_GetObjectItemCaseSensitive(root, "health")))
		etcdctl_json_health(c, root);	/* curl .../health */
	else if (cJSON_IsObject(root) && cJSON_IsString(
	    cJSON_GetObjectItemCaseSensitive(root, "etcdserver"))) {
		/* curl .../version: the server's and the cluster's version. */
		const cJSON	*v;

		v = cJSON_GetObjectItemCaseSensitive(root, "etcdserver");
		etcdctl_set(c, "etcd.version.server", v->valuestring, &ev);
		v = cJSON_GetObjectItemCaseSensitive(root, "etcdcluster");
		if (cJSON_IsString(v))
			etcdctl_set(c, "etcd.version.cluster", v->valuestring,
			    &ev);
	}
	else if (cJSON_IsObject(root) && (hdr =
	    cJSON_GetObjectItemCaseSensitive(root, "header")) != NULL &&
	    cJSON_GetObjectItemCaseSensitive(root, "leader") != NULL)
		etcdctl_json_status(c, root);	/* a bare StatusResponse */
	else
		qs_parse_diag(c->ctx, QS_SEV_INFO, line, "JSON output not "
		    "recognised as a member list or endpoint status");
	cJSON_Delete(root);
}

/* A JSON id (decimal digits, as text after qs_etcd_json_parse) as hex. */
static const char *
etcdctl_json_id(struct etcdctl *c, const cJSON *item)
{
	uint64_t	v;
	char		hex[17];

	if (qs_etcd_json_u64(item, &v) != 0)
		return NULL;
	return qs_arena_strdup(&c->tmp, qs_etcd_id_hex(v, hex, sizeof(hex)));
}

/* A JSON unsigned integer as decimal text, or NULL. */
static const char *
etcdctl_json_num(struct etcdctl *c, const cJSON *item)
{
	uint64_t	v;

	if (qs_etcd_json_u64(item, &v) != 0)
		return NULL;
	return qs_arena_printf(&c->tmp, "%" PRIu64, v);
}

/* {"header":{...},"members":[...]}. */
static void
etcdctl_json_members(struct etcdctl *c, const cJSON *root,
    const struct qs_evidence *ev)
{
	const cJSON		*hdr, *m;
	const char		*cid, *term;
	struct qs_etcd_member	 jm;
	struct etcdctl_member	 em;
	struct qs_view		*v;
	size_t			 i;

	hdr = cJSON_GetObjectItemCaseSensitive(root, "header");
	if ((cid = etcdctl_json_id(c, cJSON_GetObjectItemCaseSensitive(hdr,
	    "cluster_id"))) != NULL)
		etcdctl_set(c, "etcd.members.cluster_id", cid, ev);
	if ((v = etcdctl_view(c, ev)) == NULL)
		return;
	term = etcdctl_json_num(c, cJSON_GetObjectItemCaseSensitive(hdr,
	    "raft_term"));
	if (term != NULL) {
		v->clock.set = QS_CLOCK_TERM;
		qs_parse_dec_u64(term, strlen(term), &v->clock.term);
	}
	cJSON_ArrayForEach(m, cJSON_GetObjectItemCaseSensitive(root,
	    "members")) {
		if (qs_etcd_member_from_json(&c->tmp, m, &jm) != 0 ||
		    !jm.has_id) {
			qs_parse_diag(c->ctx, QS_SEV_WARNING, ev->line, "a member "
			    "without an ID; skipped");
			continue;
		}
		memset(&em, 0, sizeof(em));
		em.id = jm.id;
		em.name = jm.name;
		em.npeer = jm.npeer;
		em.nclient = jm.nclient;
		for (i = 0; i < jm.npeer; i++)
			em.peer[i] = jm.peer[i];
		for (i = 0; i < jm.nclient; i++)
			em.client[i] = jm.client[i];
		em.learner = jm.is_learner;
		/* etcdctl has no status in JSON: no name means unstarted. */
		em.unstarted = jm.name == NULL;
		etcdctl_member(c, &em, ev);
		if (c->stopped)
			break;
	}
	c->view = NULL;
}

/* {"Endpoint":..,"Status":{...}} or a bare status object. */
static void
etcdctl_json_status(struct etcdctl *c, const cJSON *obj)
{
	struct etcdctl_status	 st;
	struct qs_evidence	 ev;
	const cJSON		*status, *hdr, *ep, *v, *e;
	const char		*s;

	memset(&st, 0, sizeof(st));
	ep = cJSON_GetObjectItemCaseSensitive(obj, "Endpoint");
	if (cJSON_IsString(ep) && ep->valuestring != NULL &&
	    ep->valuestring[0] != '\0')
		st.endpoint = ep->valuestring;
	status = cJSON_GetObjectItemCaseSensitive(obj, "Status");
	if (status == NULL)
		status = obj;
	if (!cJSON_IsObject(status))
		return;
	hdr = cJSON_GetObjectItemCaseSensitive(status, "header");
	st.member_id = etcdctl_json_id(c, cJSON_GetObjectItemCaseSensitive(hdr,
	    "member_id"));
	st.cluster_id = etcdctl_json_id(c,
	    cJSON_GetObjectItemCaseSensitive(hdr, "cluster_id"));
	st.leader = etcdctl_json_id(c, cJSON_GetObjectItemCaseSensitive(status,
	    "leader"));
	if (st.leader != NULL && strcmp(st.leader, "0") == 0)
		st.leader = NULL;
	if ((v = cJSON_GetObjectItemCaseSensitive(status, "raftTerm")) ==
	    NULL && (v = cJSON_GetObjectItemCaseSensitive(status,
	    "raft_term")) == NULL)
		v = cJSON_GetObjectItemCaseSensitive(hdr, "raft_term");
	st.raft_term = etcdctl_json_num(c, v);
	if ((v = cJSON_GetObjectItemCaseSensitive(status, "raftIndex")) ==
	    NULL)
		v = cJSON_GetObjectItemCaseSensitive(status, "raft_index");
	st.raft_index = etcdctl_json_num(c, v);
	if ((v = cJSON_GetObjectItemCaseSensitive(status,
	    "raftAppliedIndex")) == NULL)
		v = cJSON_GetObjectItemCaseSensitive(status,
		    "raft_applied_index");
	st.raft_applied = etcdctl_json_num(c, v);
	if ((v = cJSON_GetObjectItemCaseSensitive(status, "isLearner")) ==
	    NULL)
		v = cJSON_GetObjectItemCaseSensitive(status, "is_learner");
	if (cJSON_IsBool(v))
		st.is_learner = cJSON_IsTrue(v) ? "true" : "false";
	v = cJSON_GetObjectItemCaseSensitive(status, "version");
	if (cJSON_IsString(v) && v->valuestring != NULL &&
	    v->valuestring[0] != '\0')
		st.version = qs_arena_strdup(&c->tmp, v->valuestring);
	s = NULL;
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(status,
	    "errors")) {
		if (!cJSON_IsString(e) || e->valuestring == NULL)
			continue;
		s = s == NULL ? qs_arena_strdup(&c->tmp, e->valuestring) :
		    qs_arena_printf(&c->tmp, "%s; %s", s, e->valuestring);
		if (strlen(s) > 4096)
			break;
	}
	st.errors = s;
	ev = qs_evidence_line(c->ctx, c->json_line, st.endpoint);
	etcdctl_status(c, &st, &ev);
}

/* Leading and trailing blanks removed in place. */
static char *
etcdctl_trim(char *s)
{
	size_t	len;

	while (*s == ' ' || *s == '\t')
		s++;
	len = strlen(s);
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t' ||
	    s[len - 1] == '\r'))
		s[--len] = '\0';
	return s;
}

/*
 * Splits s in place at each occurrence of sep, trimming the pieces.
 * Returns the number of pieces (at most max; the last one keeps the
 * rest).
 */
static size_t
etcdctl_split(char *s, const char *sep, char **out, size_t max)
{
	size_t	 n = 0, slen = strlen(sep);
	char	*p;

	while (n + 1 < max && (p = strstr(s, sep)) != NULL) {
		*p = '\0';
		out[n++] = etcdctl_trim(s);
		s = p + slen;
	}
	out[n++] = etcdctl_trim(s);
	return n;
}

/* An id in hex (any case, any padding) normalised, or NULL. */
static const char *
etcdctl_hex(struct etcdctl *c, const char *s)
{
	uint64_t	v;
	char		hex[17];

	while (*s == '0' && s[1] != '\0' && strlen(s) > 16)
		s++;
	if (qs_parse_hex_u64(s, strlen(s), &v) != 0)
		return NULL;
	return qs_arena_strdup(&c->tmp, qs_etcd_id_hex(v, hex, sizeof(hex)));
}

/* Comma-separated URLs (as etcdctl joins them) into urls[]. */
static size_t
etcdctl_urls(struct etcdctl *c, const char *s, const char **urls)
{
	char	*copy = qs_arena_strdup(&c->tmp, s), *parts[QS_ETCD_MAX_URLS];
	size_t	 n, i, k = 0;

	if (*s == '\0')
		return 0;
	n = etcdctl_split(copy, ",", parts, QS_ETCD_MAX_URLS);
	for (i = 0; i < n; i++)
		if (parts[i][0] != '\0' && strchr(parts[i], ',') == NULL)
			urls[k++] = parts[i];
	return k;
}

/* A member list view, created at the first member of a listing. */
static struct qs_view *
etcdctl_view(struct etcdctl *c, const struct qs_evidence *ev)
{
	if (c->view != NULL)
		return c->view;
	if (etcdctl_budget(c, 1) != 0)
		return NULL;
	c->view = qs_emit_view(c->ctx, QS_VIEW_CONSENSUS, "etcdctl member list",
	    ev);
	return c->view;
}

/* One member of a listing: into the view, and its identities. */
static void
etcdctl_member(struct etcdctl *c, const struct etcdctl_member *m,
    const struct qs_evidence *ev)
{
	struct qs_view		*v;
	enum qs_member_state	 state;
	char			 hex[17];
	size_t			 i;

	if ((v = etcdctl_view(c, ev)) == NULL ||
	    etcdctl_budget(c, 1 + (m->name != NULL) + m->npeer +
	    m->nclient) != 0)
		return;
	qs_etcd_id_hex(m->id, hex, sizeof(hex));
	if (m->unstarted)
		state = QS_MEMBER_LISTED;
	else
		state = m->learner ? QS_MEMBER_NONVOTER : QS_MEMBER_VOTER;
	qs_view_add(c->ctx, v, m->unstarted ? NULL : m->name,
	    m->npeer > 0 ? m->peer[0] : NULL, hex, state);
	if (m->name != NULL && !m->unstarted)
		qs_emit_identity(c->ctx, QS_ID_NAME, m->name, NULL, hex, ev);
	for (i = 0; i < m->npeer; i++)
		qs_emit_identity(c->ctx, QS_ID_ADDRESS, m->peer[i], "peer", hex,
		    ev);
	for (i = 0; i < m->nclient; i++)
		qs_emit_identity(c->ctx, QS_ID_ADDRESS, m->client[i], "client",
		    hex, ev);
}

static void
etcdctl_set(struct etcdctl *c, const char *key, const char *value,
    const struct qs_evidence *ev)
{
	if (value == NULL || etcdctl_budget(c, 1) != 0)
		return;
	qs_emit_setting(c->ctx, key, value, ev);
}

/* One endpoint's status: its settings and its client address. */
static void
etcdctl_status(struct etcdctl *c, const struct etcdctl_status *st,
    const struct qs_evidence *ev)
{
	etcdctl_set(c, "etcd.status.endpoint", st->endpoint, ev);
	etcdctl_set(c, "etcd.status.member_id", st->member_id, ev);
	etcdctl_set(c, "etcd.status.cluster_id", st->cluster_id, ev);
	etcdctl_set(c, "etcd.status.leader", st->leader, ev);
	etcdctl_set(c, "etcd.status.raft_term", st->raft_term, ev);
	etcdctl_set(c, "etcd.status.raft_index", st->raft_index, ev);
	etcdctl_set(c, "etcd.status.raft_applied_index", st->raft_applied,
	    ev);
	etcdctl_set(c, "etcd.status.is_learner", st->is_learner, ev);
	etcdctl_set(c, "etcd.status.version", st->version, ev);
	etcdctl_set(c, "etcd.status.errors", st->errors, ev);
	/* An answer: the member runs; with "no leader" it does not serve. */
	if (st->endpoint != NULL)
		etcdctl_probe(c, st->errors != NULL &&
		    qs_probe_error_kind(st->errors) ==
		    QS_SIG_PROBE_NOT_SERVING ? QS_SIG_PROBE_NOT_SERVING :
		    QS_SIG_PROBE_UP, st->endpoint, st->errors != NULL ?
		    st->errors : "status answered", ev);
	if (st->endpoint != NULL && st->member_id != NULL &&
	    etcdctl_budget(c, 1) == 0)
		qs_emit_identity(c->ctx, QS_ID_ADDRESS, st->endpoint, "client",
		    st->member_id, ev);
}

/* Header names to columns. */
static const struct {
	const char		*name;
	enum etcdctl_col	 col;
} etcdctl_headers[] = {
	{ "ID", COL_ID }, { "STATUS", COL_STATUS }, { "NAME", COL_NAME },
	{ "PEER ADDRS", COL_PEER }, { "CLIENT ADDRS", COL_CLIENT },
	{ "IS LEARNER", COL_LEARNER }, { "ENDPOINT", COL_ENDPOINT },
	{ "VERSION", COL_VERSION }, { "IS LEADER", COL_LEADER },
	{ "RAFT TERM", COL_TERM }, { "RAFT INDEX", COL_INDEX },
	{ "RAFT APPLIED INDEX", COL_APPLIED }, { "ERRORS", COL_ERRORS },
	{ "HEALTH", COL_HEALTH }, { "TOOK", COL_TOOK }, { "ERROR", COL_ERROR },
};

/* A cell by column, "" when the table has no such column. */
#define CELL(c, cells, n, k)						\
	((c)->col[k] >= 0 && (size_t)(c)->col[k] < (n) ?		\
	    (cells)[(c)->col[k]] : "")

/* A "| a | b |" line: a header, or a row of the table it opened. */
static void
etcdctl_table_row(struct etcdctl *c, char *p, const char *line)
{
	char			*cells[ETCDCTL_MAX_COLS + 1];
	size_t			 n, i, k;
	struct qs_evidence	 ev;
	const char		*id;

	p++;				/* the leading '|' */
	n = etcdctl_split(p, "|", cells, ETCDCTL_MAX_COLS + 1);
	if (n > 0 && cells[n - 1][0] == '\0')
		n--;			/* after the trailing '|' */
	for (i = 0; i < n; i++)
		if (strcmp(cells[i], "ID") == 0 ||
		    strcmp(cells[i], "ENDPOINT") == 0)
			break;
	if (i < n) {
		for (k = 0; k < COL_COUNT; k++)
			c->col[k] = -1;
		for (i = 0; i < n; i++)
			for (k = 0; k < sizeof(etcdctl_headers) /
			    sizeof(etcdctl_headers[0]); k++)
				if (strcmp(cells[i], etcdctl_headers[k].name) ==
				    0)
					c->col[etcdctl_headers[k].col] = (int)i;
		c->view = NULL;
		if (c->col[COL_ENDPOINT] >= 0 && c->col[COL_HEALTH] >= 0)
			c->table = TABLE_HEALTH;
		else if (c->col[COL_ENDPOINT] >= 0)
			c->table = TABLE_STATUS;
		else if (c->col[COL_ID] >= 0 && c->col[COL_PEER] >= 0)
			c->table = TABLE_MEMBERS;
		else
			c->table = TABLE_NONE;
		return;
	}
	ev = qs_evidence_line(c->ctx, c->lineno, line);
	if (c->table == TABLE_MEMBERS) {
		struct etcdctl_member	m;
		uint64_t		v;
		const char		*st;

		memset(&m, 0, sizeof(m));
		if ((id = etcdctl_hex(c, CELL(c, cells, n, COL_ID))) == NULL ||
		    qs_parse_hex_u64(id, strlen(id), &v) != 0) {
			qs_parse_diag(c->ctx, QS_SEV_WARNING, c->lineno,
			    "member row without a valid ID; skipped");
			return;
		}
		m.id = v;
		st = CELL(c, cells, n, COL_STATUS);
		m.unstarted = strcmp(st, "unstarted") == 0;
		if (CELL(c, cells, n, COL_NAME)[0] != '\0')
			m.name = qs_arena_strdup(&c->tmp,
			    CELL(c, cells, n, COL_NAME));
		m.npeer = etcdctl_urls(c, CELL(c, cells, n, COL_PEER), m.peer);
		m.nclient = etcdctl_urls(c, CELL(c, cells, n, COL_CLIENT),
		    m.client);
		m.learner = strcmp(CELL(c, cells, n, COL_LEARNER), "true") == 0;
		etcdctl_member(c, &m, &ev);
	} else if (c->table == TABLE_STATUS) {
		struct etcdctl_status	st;

		memset(&st, 0, sizeof(st));
#define OPT(k)	(CELL(c, cells, n, k)[0] != '\0' ?			\
	qs_arena_strdup(&c->tmp, CELL(c, cells, n, k)) : NULL)
		st.endpoint = OPT(COL_ENDPOINT);
		st.member_id = etcdctl_hex(c, CELL(c, cells, n, COL_ID));
		if (strcmp(CELL(c, cells, n, COL_LEADER), "true") == 0)
			st.leader = st.member_id;
		st.raft_term = OPT(COL_TERM);
		st.raft_index = OPT(COL_INDEX);
		st.raft_applied = OPT(COL_APPLIED);
		st.is_learner = OPT(COL_LEARNER);
		st.version = OPT(COL_VERSION);
		st.errors = OPT(COL_ERRORS);
#undef OPT
		etcdctl_status(c, &st, &ev);
	} else if (c->table == TABLE_HEALTH) {
		const char	*h = CELL(c, cells, n, COL_HEALTH);

		if (strcmp(h, "true") == 0 || strcmp(h, "false") == 0)
			etcdctl_health(c, CELL(c, cells, n, COL_ENDPOINT),
			    h[0] == 't', CELL(c, cells, n, COL_ERROR), &ev);
	}
}

/*
 * The simple (comma-separated) forms of member list and endpoint status.
 * Returns 1 when the line was one of them.
 */
static int
etcdctl_simple(struct etcdctl *c, char *p, const char *line)
{
	char			*f[16];
	size_t			 n;
	struct qs_evidence	 ev;
	const char		*id;
	uint64_t		 v;

	if (strstr(p, ", ") == NULL)
		return 0;
	n = etcdctl_split(qs_arena_strdup(&c->tmp, p), ", ", f, 16);
	if (n < 5)
		return 0;
	ev = qs_evidence_line(c->ctx, c->lineno, line);
	/* Member list: ID, STATUS, NAME, PEER ADDRS, CLIENT ADDRS[, LEARNER] */
	if ((strcmp(f[1], "started") == 0 || strcmp(f[1], "unstarted") == 0) &&
	    (id = etcdctl_hex(c, f[0])) != NULL) {
		struct etcdctl_member	m;

		memset(&m, 0, sizeof(m));
		qs_parse_hex_u64(id, strlen(id), &v);
		m.id = v;
		m.unstarted = f[1][0] == 'u';
		if (f[2][0] != '\0')
			m.name = f[2];
		m.npeer = etcdctl_urls(c, f[3], m.peer);
		m.nclient = etcdctl_urls(c, f[4], m.client);
		m.learner = n > 5 && strcmp(f[5], "true") == 0;
		etcdctl_member(c, &m, &ev);
		return 1;
	}
	/*
	 * Endpoint status: ENDPOINT, ID, VERSION, DB SIZE, IS LEADER,
	 * [IS LEARNER,] RAFT TERM, RAFT INDEX[, APPLIED INDEX, ERRORS...]
	 * (3.3 has 7 columns, 3.4 10 or more: errors are joined by ", ").
	 */
	if (strchr(f[0], ':') != NULL && (id = etcdctl_hex(c, f[1])) != NULL &&
	    n >= 7 && (strcmp(f[4], "true") == 0 ||
	    strcmp(f[4], "false") == 0)) {
		struct etcdctl_status	st;
		size_t			i;

		memset(&st, 0, sizeof(st));
		c->view = NULL;
		st.endpoint = f[0];
		st.member_id = id;
		st.version = f[2][0] != '\0' ? f[2] : NULL;
		if (strcmp(f[4], "true") == 0)
			st.leader = id;
		if (n == 7) {
			st.raft_term = f[5];
			st.raft_index = f[6];
		} else {
			st.is_learner = f[5];
			st.raft_term = f[6];
			st.raft_index = f[7];
			st.raft_applied = n > 8 ? f[8] : NULL;
			for (i = 9; i < n; i++)
				if (f[i][0] != '\0')
					st.errors = st.errors == NULL ? f[i] :
					    qs_arena_printf(&c->tmp, "%s; %s",
					    st.errors, f[i]);
		}
		etcdctl_status(c, &st, &ev);
		return 1;
	}
	return 0;
}

/*
 * API 2 `member list`: "<hex>: name=<n> peerURLs=<u> clientURLs=<u>
 * isLeader=<bool>", or "<hex>[unstarted]: peerURLs=<u>".  Returns 1 when
 * the line was one.
 */
static int
etcdctl_v2_member(struct etcdctl *c, char *p, const char *line)
{
	struct etcdctl_member	 m;
	struct qs_evidence	 ev;
	char			*colon, *idtext, *rest, *tok, *toks[8];
	size_t			 n, i;
	const char		*id;
	uint64_t		 v;
	int			 leader = 0;

	if ((colon = strstr(p, ": ")) == NULL || strstr(colon, "peerURLs=") ==
	    NULL)
		return 0;
	idtext = qs_arena_strndup(&c->tmp, p, (size_t)(colon - p));
	memset(&m, 0, sizeof(m));
	if (strlen(idtext) > 11 &&
	    strcmp(idtext + strlen(idtext) - 11, "[unstarted]") == 0) {
		idtext[strlen(idtext) - 11] = '\0';
		m.unstarted = 1;
	}
	if ((id = etcdctl_hex(c, idtext)) == NULL)
		return 0;
	qs_parse_hex_u64(id, strlen(id), &v);
	m.id = v;
	rest = qs_arena_strdup(&c->tmp, colon + 2);
	n = etcdctl_split(rest, " ", toks, sizeof(toks) / sizeof(toks[0]));
	for (i = 0; i < n; i++) {
		tok = toks[i];
		if (strncmp(tok, "name=", 5) == 0 && tok[5] != '\0')
			m.name = tok + 5;
		else if (strncmp(tok, "peerURLs=", 9) == 0)
			m.npeer = etcdctl_urls(c, tok + 9, m.peer);
		else if (strncmp(tok, "clientURLs=", 11) == 0)
			m.nclient = etcdctl_urls(c, tok + 11, m.client);
		else if (strcmp(tok, "isLeader=true") == 0)
			leader = 1;
	}
	ev = qs_evidence_line(c->ctx, c->lineno, line);
	etcdctl_member(c, &m, &ev);
	if (leader)
		etcdctl_set(c, "etcd.status.leader", id, &ev);
	return 1;
}

/*
 * The client's own zap line ({"level":"warn",...,"msg":"retrying of
 * unary invoker failed","target":"endpoint://client-<uuid>/IP:PORT",
 * "error":"rpc error: ... desc = ..."}): its time is the moment of the
 * probe, and its error may say what a later "context deadline exceeded"
 * stood for (the endpoint refused, or could not be dialled).
 */
static void
etcdctl_client_log(struct etcdctl *c, const cJSON *root)
{
	const cJSON	*ts, *target, *error;
	const char	*t;
	struct qs_time	 when;

	ts = cJSON_GetObjectItemCaseSensitive(root, "ts");
	if (cJSON_IsString(ts) && ts->valuestring != NULL &&
	    qs_time_parse_iso(ts->valuestring, strlen(ts->valuestring),
	    &when) > 0)
		c->probe.time = when;
	target = cJSON_GetObjectItemCaseSensitive(root, "target");
	error = cJSON_GetObjectItemCaseSensitive(root, "error");
	if (!cJSON_IsString(target) || target->valuestring == NULL ||
	    !cJSON_IsString(error) || error->valuestring == NULL ||
	    c->nerrs == ETCDCTL_CLIENT_ERRORS)
		return;
	/* "endpoint://client-<uuid>/h:p", "passthrough:///http://h:p". */
	t = strrchr(target->valuestring, '/');
	t = t != NULL ? t + 1 : target->valuestring;
	if (*t == '\0' || strlen(t) > 256)
		return;
	c->errs[c->nerrs].target = qs_arena_strdup(&c->tmp, t);
	c->errs[c->nerrs].error = qs_arena_strndup(&c->tmp, error->valuestring,
	    strnlen(error->valuestring, 1024));
	c->nerrs++;
}

/* What the client logged about an endpoint (any URL form), or NULL. */
static const char *
etcdctl_client_error(struct etcdctl *c, const char *endpoint)
{
	const char	*hp;
	size_t		 i;

	if (endpoint == NULL) {
		/* No endpoint named: only an unambiguous complaint counts. */
		return c->nerrs == 1 ? c->errs[0].error : NULL;
	}
	hp = strstr(endpoint, "://");
	hp = hp != NULL ? hp + 3 : endpoint;
	for (i = c->nerrs; i > 0; i--)
		if (strncmp(c->errs[i - 1].target, hp,
		    strlen(c->errs[i - 1].target)) == 0 &&
		    strlen(c->errs[i - 1].target) == strcspn(hp, "/"))
			return c->errs[i - 1].error;
	return NULL;
}

/*
 * One probe of an endpoint (NULL: the one the command was aimed at, or
 * the observer's own when it names none).
 */
static void
etcdctl_probe(struct etcdctl *c, int kind, const char *endpoint,
    const char *detail, const struct qs_evidence *ev)
{
	if (endpoint == NULL || *endpoint == '\0')
		endpoint = qs_probe_target(c->ctx, c->probe.command);
	if (endpoint != NULL && qs_probe_target_is_local(endpoint))
		endpoint = NULL;
	if (etcdctl_budget(c, 1) != 0)
		return;
	qs_probe_emit(c->ctx, &c->probe, (enum qs_signal_kind)kind, endpoint,
	    detail, ev);
}

/*
 * One endpoint's health.  Unhealthy is an error text: a refusal or a
 * dial failure is no answer (down); "no leader", a server-side timeout
 * or an alarm is an answer from a process that cannot serve.  A bare
 * "context deadline exceeded" says neither (a proposal that cannot
 * commit times out just like a dial), unless the client's log line
 * for that endpoint does; then no probe is emitted, only the setting.
 */
static void
etcdctl_health(struct etcdctl *c, const char *endpoint, int healthy,
    const char *error, const struct qs_evidence *ev)
{
	int	kind;

	if (endpoint == NULL || *endpoint == '\0' || strlen(endpoint) > 512)
		return;
	etcdctl_set(c, "etcd.health.endpoint", endpoint, ev);
	etcdctl_set(c, "etcd.health.healthy", healthy ? "true" : "false", ev);
	if (healthy) {
		etcdctl_probe(c, QS_SIG_PROBE_UP, endpoint,
		    "successfully committed proposal", ev);
		return;
	}
	if (error != NULL && *error != '\0')
		etcdctl_set(c, "etcd.health.error", error, ev);
	if ((kind = qs_probe_error_kind(error)) < 0)
		kind = qs_probe_error_kind(etcdctl_client_error(c, endpoint));
	if (kind >= 0)
		etcdctl_probe(c, kind, endpoint, error, ev);
}

/*
 * `endpoint health` in its simple form ("<ep> is healthy: successfully
 * committed proposal: took = 2.5ms", "<ep> is unhealthy: failed to
 * commit proposal: <error>", before 3.3.14 also "failed to connect:
 * <error>"; etcd-io/etcd etcdctl/ctlv3/command/printer_simple.go) and
 * API 2 `cluster-health` ("member <id> is healthy: got healthy result
 * from <url>", "... is unhealthy: got unhealthy result from <url>",
 * "member <id> is unreachable: [<urls>] are all unreachable";
 * etcdctl/ctlv2/command/cluster_health.go).  Returns 1 when the line
 * was one.
 */
static int
etcdctl_health_line(struct etcdctl *c, char *p, const char *line)
{
	struct qs_evidence	 ev;
	char			*is, *rest, *url;
	char			 hex[17];
	uint64_t		 id;

	if (strncmp(p, "member ", 7) == 0 && (is = strstr(p + 7, " is ")) !=
	    NULL) {
		*is = '\0';
		if (qs_parse_hex_u64(p + 7, strlen(p + 7), &id) != 0)
			return 0;
		qs_etcd_id_hex(id, hex, sizeof(hex));
		rest = is + 4;
		ev = qs_evidence_line(c->ctx, c->lineno, line);
		if (strncmp(rest, "healthy: ", 9) == 0 ||
		    strncmp(rest, "unhealthy: ", 11) == 0) {
			int	up = rest[0] == 'h';

			url = strstr(rest, " from ");
			etcdctl_set(c, "etcd.health.member", hex, &ev);
			etcdctl_set(c, "etcd.health.healthy", up ? "true" :
			    "false", &ev);
			if (url != NULL && etcdctl_budget(c, 1) == 0)
				qs_emit_identity(c->ctx, QS_ID_ADDRESS,
				    etcdctl_trim(url + 6), "client", hex, &ev);
			if (etcdctl_budget(c, 1) == 0)
				qs_probe_emit(c->ctx, &c->probe, up ?
				    QS_SIG_PROBE_UP : QS_SIG_PROBE_NOT_SERVING,
				    hex, up ? "got healthy result" :
				    "got unhealthy result", &ev);
			return 1;
		}
		if (strncmp(rest, "is unreachable", 14) == 0 ||
		    strncmp(rest, "unreachable: ", 13) == 0) {
			if (etcdctl_budget(c, 1) == 0)
				qs_probe_emit(c->ctx, &c->probe,
				    QS_SIG_PROBE_DOWN, hex, etcdctl_trim(rest),
				    &ev);
			return 1;
		}
		return 0;
	}
	if ((is = strstr(p, " is healthy: ")) != NULL) {
		*is = '\0';
		if (strchr(p, ' ') != NULL)
			return 0;
		ev = qs_evidence_line(c->ctx, c->lineno, line);
		etcdctl_health(c, p, 1, NULL, &ev);
		return 1;
	}
	if ((is = strstr(p, " is unhealthy: ")) != NULL) {
		*is = '\0';
		if (strchr(p, ' ') != NULL)
			return 0;
		rest = is + 15;
		if (strncmp(rest, "failed to commit proposal: ", 27) == 0)
			rest += 27;
		else if (strncmp(rest, "failed to connect: ", 19) == 0) {
			/* Before 3.3.14: no client could be made at all. */
			ev = qs_evidence_line(c->ctx, c->lineno, line);
			etcdctl_set(c, "etcd.health.endpoint", p, &ev);
			etcdctl_set(c, "etcd.health.healthy", "false", &ev);
			etcdctl_probe(c, QS_SIG_PROBE_DOWN, p, rest + 19, &ev);
			return 1;
		}
		ev = qs_evidence_line(c->ctx, c->lineno, line);
		etcdctl_health(c, p, 0, etcdctl_trim(rest), &ev);
		return 1;
	}
	return 0;
}

/*
 * "Error: <why>" after a command that got no answer.  "unhealthy
 * cluster" only sums up the lines before it.
 */
static void
etcdctl_error_probe(struct etcdctl *c, const char *why,
    const struct qs_evidence *ev)
{
	const char	*endpoint = NULL;
	int		 kind;

	if (strcmp(why, "unhealthy cluster") == 0)
		return;
	if ((kind = qs_probe_error_kind(why)) < 0)
		kind = qs_probe_error_kind(etcdctl_client_error(c, NULL));
	if (kind < 0)
		return;
	if (c->nerrs == 1)
		endpoint = c->errs[0].target;
	etcdctl_probe(c, kind, endpoint, why, ev);
}

/*
 * `endpoint health -w json` ([{"endpoint":..,"health":true,"took":..,
 * "error":..}]) and the /health answer a curl saved ({"health":"true",
 * "reason":""}; etcd-io/etcd etcdhttp/metrics.go; its reasons: "RAFT NO
 * LEADER", "ALARM NOSPACE"...).  The latter answered, so false is
 * not serving whatever the reason.
 */
static void
etcdctl_json_health(struct etcdctl *c, const cJSON *obj)
{
	const cJSON		*h, *ep, *err;
	struct qs_evidence	 ev;
	const char		*endpoint = NULL, *error = NULL;

	h = cJSON_GetObjectItemCaseSensitive(obj, "health");
	ep = cJSON_GetObjectItemCaseSensitive(obj, "endpoint");
	if (cJSON_IsString(ep) && ep->valuestring != NULL)
		endpoint = ep->valuestring;
	ev = qs_evidence_line(c->ctx, c->json_line, endpoint);
	if (cJSON_IsBool(h)) {
		err = cJSON_GetObjectItemCaseSensitive(obj, "error");
		if (cJSON_IsString(err) && err->valuestring != NULL)
			error = err->valuestring;
		etcdctl_health(c, endpoint, cJSON_IsTrue(h), error, &ev);
		return;
	}
	if (!cJSON_IsString(h) || h->valuestring == NULL)
		return;
	err = cJSON_GetObjectItemCaseSensitive(obj, "reason");
	if (cJSON_IsString(err) && err->valuestring != NULL &&
	    err->valuestring[0] != '\0')
		error = err->valuestring;
	etcdctl_set(c, "etcd.health.healthy", strcmp(h->valuestring, "true") ==
	    0 ? "true" : "false", &ev);
	if (error != NULL)
		etcdctl_set(c, "etcd.health.error", error, &ev);
	etcdctl_probe(c, strcmp(h->valuestring, "true") == 0 ?
	    QS_SIG_PROBE_UP : QS_SIG_PROBE_NOT_SERVING, NULL, error != NULL ?
	    error : "/health answered", &ev);
}
