/*
 * `consul debug` archives: one agent's evidence, captured over an
 * interval (hashicorp/consul command/debug/debug.go).  The archive is
 * "consul-debug-<2006-01-02T15-04-05Z0700>/" (older releases: a unix
 * time) holding index.json (debugIndex: Version, AgentVersion, Interval,
 * Duration, Targets), host.json (/v1/agent/host: Host.hostname, Disk,
 * CollectionTime in ns), agent.json (/v1/agent/self: Config.NodeName,
 * NodeID, Datacenter, Server, Version; Member; Stats as `consul info`
 * prints them), members.json (/v1/agent/members: Name, Addr, Port, Tags,
 * Status as serf's MemberStatus number: 1 alive, 2 leaving, 3 left, 4
 * failed), metrics.json (a stream of telemetry summaries), consul.log
 * (the agent's log, read as consul.log), listpeers.json (the list-peers
 * table as text, read as consul.cli_output), profiles, and one directory
 * per interval named after its time (heap and goroutine profiles).
 *
 * Kinds: consul.debug_index, consul.debug_agent, consul.debug_members,
 * consul.debug_host, consul.debug_metrics (recognised, not decoded).
 * Extracted: from agent.json the node's name, node ID and serf address
 * as identities of the node itself (the node is named after NodeName,
 * never after the archive's or an interval's directory: see
 * qs_consul_debug_rename()), settings consul.debug.node_name, .server,
 * .version and "datacenter" (the key the agent's configuration gives it,
 * which clusters are grouped by), and its Stats as consul info's
 * (consul.info.*, the raft configuration as the view "consul debug
 * latest_configuration", the collection-time probe of the agent); from
 * members.json the gossip view "consul debug members" with a probe per
 * member (alive up, failed or left down; parse-consul-cli.c's rules);
 * from host.json the host name and disk use (consul.debug.hostname,
 * .disk_used_percent, .disk_free); from index.json its version, agent
 * version, interval and duration.  Probes are dated by the archive
 * directory's name, else host.json's CollectionTime when read first.
 *
 * Known limits: agent.json and members.json are read whole, up to the
 * memory-entry limit; evidence lines are those of the first occurrence
 * of a key in the text.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "quorumscope.h"

#define DEBUG_MEMBERS_MAX	100000

struct debug_doc {
	struct qs_parse_ctx	*ctx;
	const char		*text;
	size_t			 len;
	cJSON			*root;
	struct qs_probe		 probe;
};

static const char *
debug_str(const cJSON *o, const char *key)
{
	const cJSON	*v = cJSON_GetObjectItemCaseSensitive(o, key);

	if (cJSON_IsString(v) && v->valuestring != NULL &&
	    strlen(v->valuestring) < 1024)
		return v->valuestring;
	return NULL;
}

/* Line of the first `"key"` after byte `from`, or 0. */
static uint64_t
debug_line(const struct debug_doc *d, const char *key, size_t *from)
{
	char		 needle[128];
	const char	*p;
	size_t		 at = from != NULL ? *from : 0;

	if ((size_t)snprintf(needle, sizeof(needle), "\"%s\"", key) >=
	    sizeof(needle) || at >= d->len)
		return 0;
	p = memmem(d->text + at, d->len - at, needle, strlen(needle));
	if (p == NULL)
		return 0;
	if (from != NULL)
		*from = (size_t)(p - d->text);
	return qs_json_line_at(d->text, d->len, (size_t)(p - d->text));
}

/*
 * The time in the archive's directory name: "consul-debug-2024-05-01T12-
 * 00-00Z" (timeDateFormat, hyphens for colons), or a unix time before
 * 1.10.
 */
static void
debug_time(struct debug_doc *d)
{
	const char	*p = d->ctx->artifact->logical, *e;
	char		 iso[40];
	uint64_t	 secs;
	size_t		 n;

	while (p != NULL && (p = strstr(p, "consul-debug-")) != NULL) {
		p += 13;
		e = p + strcspn(p, "/");
		n = (size_t)(e - p);
		if (n >= 20 && n < sizeof(iso) && p[4] == '-' && p[10] == 'T' &&
		    p[13] == '-' && p[16] == '-') {
			memcpy(iso, p, n);
			iso[n] = '\0';
			iso[13] = iso[16] = ':';
			if (qs_time_parse_iso(iso, n, &d->probe.time) > 0)
				return;
		}
		if (n >= 9 && n <= 11 && qs_parse_dec_u64(p, n, &secs) == 0) {
			d->probe.time.set = 1;
			d->probe.time.zone_known = 1;
			d->probe.time.ms = (int64_t)secs * 1000;
			return;
		}
	}
}

/* The entry, whole, as a JSON document; -1 (said) when it is not one. */
static int
debug_open(struct qs_parse_ctx *ctx, struct debug_doc *d)
{
	const unsigned char	*data;
	size_t			 len;

	memset(d, 0, sizeof(*d));
	d->ctx = ctx;
	if (qs_source_map(ctx->src, ctx->run->limits.v[QS_LIMIT_MEMORY_ENTRY],
	    &data, &len) != 0) {
		qs_parse_diag(ctx, QS_SEV_ERROR, 0, "could not be read whole "
		    "(%zu bytes read)", len);
		ctx->artifact->status = QS_STATUS_FAILED;
		return -1;
	}
	d->text = (const char *)data;
	d->len = len;
	if ((d->root = cJSON_ParseWithLength(d->text, len)) == NULL) {
		qs_parse_diag(ctx, QS_SEV_ERROR, 0, "not JSON (cut or damaged)");
		ctx->artifact->status = QS_STATUS_FAILED;
		return -1;
	}
	debug_time(d);
	return 0;
}

static void
debug_close(struct debug_doc *d)
{
	cJSON_Delete(d->root);
}

static void
debug_setting(struct debug_doc *d, const char *key, const char *value,
    uint64_t line)
{
	struct qs_evidence	ev;

	if (value == NULL)
		return;
	ev = qs_evidence_line(d->ctx, line, qs_arena_printf(
	    &d->ctx->run->arena, "%s %s", key, value));
	qs_emit_setting(d->ctx, key, value, &ev);
}

/* A stat's value as consul info prints it (Stats are strings). */
static const char *
debug_stat_value(struct debug_doc *d, const cJSON *v)
{
	if (cJSON_IsString(v) && v->valuestring != NULL)
		return v->valuestring;
	if (cJSON_IsBool(v))
		return cJSON_IsTrue(v) ? "true" : "false";
	if (cJSON_IsNumber(v))
		return qs_arena_printf(&d->ctx->run->arena, "%.0f",
		    v->valuedouble);
	return NULL;
}

int
qs_parse_consul_debug_agent(struct qs_parse_ctx *ctx)
{
	struct debug_doc	 d;
	struct qs_evidence	 ev;
	struct qs_consul_info	 info;
	const cJSON		*config, *member, *stats, *sec, *kv;
	const char		*name, *id, *addr, *v;
	size_t			 at, sat;
	uint64_t		 line;
	int			 port = 0;

	if (debug_open(ctx, &d) != 0)
		return -1;
	config = cJSON_GetObjectItemCaseSensitive(d.root, "Config");
	member = cJSON_GetObjectItemCaseSensitive(d.root, "Member");
	if (!cJSON_IsObject(config)) {
		qs_parse_diag(ctx, QS_SEV_WARNING, 0, "no Config object: not "
		    "an agent's /v1/agent/self");
		debug_close(&d);
		return 0;
	}
	name = debug_str(config, "NodeName");
	id = debug_str(config, "NodeID");
	line = debug_line(&d, "NodeName", NULL);
	if (name != NULL && *name != '\0') {
		debug_setting(&d, "consul.debug.node_name", name, line);
		ev = qs_evidence_line(ctx, line, name);
		qs_emit_identity(ctx, QS_ID_NAME, name, NULL, NULL, &ev);
	}
	if (id != NULL && *id != '\0') {
		line = debug_line(&d, "NodeID", NULL);
		ev = qs_evidence_line(ctx, line, id);
		qs_emit_identity(ctx, QS_ID_NODE_ID, id, NULL, NULL, &ev);
	}
	debug_setting(&d, "datacenter", debug_str(config,
	    "Datacenter"), debug_line(&d, "Datacenter", NULL));
	debug_setting(&d, "consul.debug.version", debug_str(config, "Version"),
	    debug_line(&d, "Version", NULL));
	if ((kv = cJSON_GetObjectItemCaseSensitive(config, "Server")) != NULL &&
	    cJSON_IsBool(kv))
		debug_setting(&d, "consul.debug.server", cJSON_IsTrue(kv) ?
		    "true" : "false", debug_line(&d, "Server", NULL));
	if (cJSON_IsObject(member) && (addr = debug_str(member, "Addr")) !=
	    NULL && *addr != '\0') {
		kv = cJSON_GetObjectItemCaseSensitive(member, "Port");
		if (cJSON_IsNumber(kv) && kv->valuedouble > 0 &&
		    kv->valuedouble < 65536)
			port = (int)kv->valuedouble;
		at = 0;
		debug_line(&d, "Member", &at);
		line = debug_line(&d, "Addr", &at);
		ev = qs_evidence_line(ctx, line, addr);
		qs_emit_identity(ctx, QS_ID_ADDRESS, port > 0 ?
		    qs_arena_printf(&ctx->run->arena, strchr(addr, ':') !=
		    NULL ? "[%s]:%d" : "%s:%d", addr, port) : addr, "serf_lan",
		    NULL, &ev);
	}
	/* Stats: what `consul info` prints, section by section. */
	stats = cJSON_GetObjectItemCaseSensitive(d.root, "Stats");
	qs_consul_info_init(&info, ctx, &d.probe);
	at = 0;
	debug_line(&d, "Stats", &at);
	cJSON_ArrayForEach(sec, stats) {
		if (!cJSON_IsObject(sec) || sec->string == NULL)
			continue;
		sat = at;
		debug_line(&d, sec->string, &sat);
		cJSON_ArrayForEach(kv, sec) {
			size_t	kat = sat;

			if (kv->string == NULL ||
			    (v = debug_stat_value(&d, kv)) == NULL)
				continue;
			line = debug_line(&d, kv->string, &kat);
			qs_consul_info_value(&info, sec->string, kv->string, v,
			    line, qs_arena_printf(&ctx->run->arena, "%s = %s",
			    kv->string, v));
		}
	}
	if (cJSON_IsObject(stats))
		qs_consul_info_done(&info, "consul debug latest_configuration");
	debug_close(&d);
	return 0;
}

int
qs_parse_consul_debug_members(struct qs_parse_ctx *ctx)
{
	static const enum qs_member_state states[] = {
		QS_MEMBER_LISTED, QS_MEMBER_ALIVE, QS_MEMBER_LISTED,
		QS_MEMBER_LEFT, QS_MEMBER_FAILED
	};
	struct debug_doc	 d;
	struct qs_evidence	 ev;
	struct qs_view		*view = NULL;
	const cJSON		*m, *kv;
	const char		*name, *addr, *full;
	size_t			 at = 0, n = 0;
	uint64_t		 line;
	enum qs_member_state	 state;
	int			 status, port;

	if (debug_open(ctx, &d) != 0)
		return -1;
	if (!cJSON_IsArray(d.root)) {
		qs_parse_diag(ctx, QS_SEV_WARNING, 0, "not a list of members");
		debug_close(&d);
		return 0;
	}
	cJSON_ArrayForEach(m, d.root) {
		if (n++ == DEBUG_MEMBERS_MAX) {
			qs_parse_diag(ctx, QS_SEV_WARNING, 0, "more than %d "
			    "members; the rest are not read", DEBUG_MEMBERS_MAX);
			break;
		}
		if ((name = debug_str(m, "Name")) == NULL || *name == '\0')
			continue;
		addr = debug_str(m, "Addr");
		kv = cJSON_GetObjectItemCaseSensitive(m, "Port");
		port = cJSON_IsNumber(kv) && kv->valuedouble > 0 &&
		    kv->valuedouble < 65536 ? (int)kv->valuedouble : 0;
		kv = cJSON_GetObjectItemCaseSensitive(m, "Status");
		status = cJSON_IsNumber(kv) && kv->valuedouble >= 0 &&
		    kv->valuedouble <= 4 ? (int)kv->valuedouble : 0;
		state = states[status];
		full = addr != NULL && *addr != '\0' && port > 0 ?
		    qs_arena_printf(&ctx->run->arena, strchr(addr, ':') !=
		    NULL ? "[%s]:%d" : "%s:%d", addr, port) : addr;
		line = debug_line(&d, "Name", &at);
		if (at < d.len)
			at++;
		ev = qs_evidence_line(ctx, line, qs_arena_printf(
		    &ctx->run->arena, "%s %s %s", name, full != NULL ? full :
		    "-", qs_member_state_name(state)));
		if (view == NULL)
			view = qs_emit_view(ctx, QS_VIEW_GOSSIP,
			    "consul debug members", &ev);
		qs_view_add(ctx, view, name, full, NULL, state);
		if (full != NULL && *full != '\0')
			qs_emit_identity(ctx, QS_ID_ADDRESS, full, "serf_lan",
			    name, &ev);
		if (state == QS_MEMBER_ALIVE)
			qs_probe_emit(ctx, &d.probe, QS_SIG_PROBE_UP, name,
			    "serf: alive", &ev);
		else if (state == QS_MEMBER_FAILED || state == QS_MEMBER_LEFT)
			qs_probe_emit(ctx, &d.probe, QS_SIG_PROBE_DOWN, name,
			    state == QS_MEMBER_FAILED ? "serf: failed" :
			    "serf: left", &ev);
	}
	debug_close(&d);
	return 0;
}

int
qs_parse_consul_debug_host(struct qs_parse_ctx *ctx)
{
	struct debug_doc	 d;
	const cJSON		*host, *disk, *kv;

	if (debug_open(ctx, &d) != 0)
		return -1;
	host = cJSON_GetObjectItemCaseSensitive(d.root, "Host");
	disk = cJSON_GetObjectItemCaseSensitive(d.root, "Disk");
	debug_setting(&d, "consul.debug.hostname", debug_str(host, "hostname"),
	    debug_line(&d, "hostname", NULL));
	if (cJSON_IsNumber(kv = cJSON_GetObjectItemCaseSensitive(disk,
	    "usedPercent")))
		debug_setting(&d, "consul.debug.disk_used_percent",
		    qs_arena_printf(&ctx->run->arena, "%.1f", kv->valuedouble),
		    debug_line(&d, "usedPercent", NULL));
	if (cJSON_IsNumber(kv = cJSON_GetObjectItemCaseSensitive(disk, "free")))
		debug_setting(&d, "consul.debug.disk_free",
		    qs_arena_printf(&ctx->run->arena, "%.0f", kv->valuedouble),
		    debug_line(&d, "free", NULL));
	debug_close(&d);
	return 0;
}

int
qs_parse_consul_debug_index(struct qs_parse_ctx *ctx)
{
	struct debug_doc	 d;
	const cJSON		*kv;

	if (debug_open(ctx, &d) != 0)
		return -1;
	if (cJSON_IsNumber(kv = cJSON_GetObjectItemCaseSensitive(d.root,
	    "Version")))
		debug_setting(&d, "consul.debug.archive_version",
		    qs_arena_printf(&ctx->run->arena, "%.0f", kv->valuedouble),
		    debug_line(&d, "Version", NULL));
	debug_setting(&d, "consul.debug.agent_version", debug_str(d.root,
	    "AgentVersion"), debug_line(&d, "AgentVersion", NULL));
	debug_setting(&d, "consul.debug.interval", debug_str(d.root,
	    "Interval"), debug_line(&d, "Interval", NULL));
	debug_setting(&d, "consul.debug.duration", debug_str(d.root,
	    "Duration"), debug_line(&d, "Duration", NULL));
	debug_close(&d);
	return 0;
}

/*
 * The node a debug archive is of carries the agent's own name: the
 * archive's directory ("consul-debug-2024-...") is no node name, and the
 * interval directories inside it none either (nodes.c makes the archive
 * one node).  A node named after such a directory that holds one
 * agent.json with a NodeName is renamed after it, unless another node
 * already has that name; a node directory someone named stays named.
 */
void
qs_consul_debug_rename(struct qs_run *run)
{
	size_t	i, j, k;

	for (i = 0; i < run->nodes.n; i++) {
		struct qs_node	*node = run->nodes.v[i];
		const char	*name = NULL;
		int		 agents = 0, taken = 0;

		if (strncmp(node->name, "consul-debug", 12) != 0)
			continue;
		for (j = 0; j < node->artifacts.n; j++) {
			const struct qs_artifact *art = node->artifacts.v[j];

			if (art->kind == NULL || strcmp(art->kind->name,
			    "consul.debug_agent") != 0)
				continue;
			agents++;
			for (k = 0; k < run->settings.n; k++) {
				const struct qs_setting	*s = run->settings.v[k];

				if (s->ev.artifact == art && strcmp(s->key,
				    "consul.debug.node_name") == 0)
					name = s->value;
			}
		}
		if (agents != 1 || name == NULL || strcmp(name, node->name) == 0)
			continue;
		for (j = 0; j < run->nodes.n; j++)
			if (strcmp(((struct qs_node *)run->nodes.v[j])->name,
			    name) == 0)
				taken = 1;
		if (!taken)
			node->name = name;
	}
}
