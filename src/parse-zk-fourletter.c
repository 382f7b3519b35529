/*
 * ZooKeeper four-letter-word answers as a collector saved them (kind
 * zk.fourletter_output): "srvr", "stat", "mntr" and "conf", as sent with
 * "echo srvr | nc host 2181", one answer per file or several in one.
 *
 * Upstream: apache/zookeeper server/command/StatCommand.java and
 * ServerStats.java (srvr and stat: "Zookeeper version:", "Zxid:",
 * "Mode:"), MonitorCommand.java and ServerMetrics (mntr: tab-separated
 * "zk_<name>\t<value>"), ConfCommand.java with
 * ZooKeeperServer.dumpConf and QuorumPeer (conf: key=value lines, then
 * "membership: " and the dynamic configuration), NIOServerCnxn's
 * ZK_NOT_SERVING text; releases 3.4.14, 3.5.10, 3.8; formats.md section 9
 * and seed 004.
 *
 * Variants: 3.4 mntr says zk_followers, 3.8 says zk_learners (followers
 * and observers); only srvr is enabled by default in 3.8; a server that
 * is still electing answers every word with "This ZooKeeper instance is
 * not currently serving requests" and nothing else.
 *
 * Extracted, as settings (the first value of each key in the file):
 * "zk.4lw.mode" (Mode: or zk_server_state), "zk.4lw.zxid" (Zxid:),
 * "zk.4lw.version", "zk.4lw.followers" (zk_followers, else zk_learners),
 * "zk.4lw.synced_followers", "zk.4lw.quorum_size", "zk.4lw.server_id"
 * (conf serverId, also a QS_ID_MYID identity of the node itself),
 * "zk.4lw.config_version" (conf version=) and "zk.4lw.serving" = "false"
 * when the not-serving answer is there, "true" when a mode is.  conf's
 * membership becomes a QS_VIEW_CONFIGURED view "4lw conf": the servers the
 * running process actually uses (clock zxid = the config version).
 *
 * Ignored: latencies, counters, client lists, every other mntr metric.
 * Collection-time probes (probe.c), one per answer (the text between
 * two prompt lines, or the whole file): the not-serving text is
 * QS_SIG_PROBE_NOT_SERVING, a Mode (srvr, stat, mntr's zk_server_state,
 * zkServer.sh status) is PROBE_UP, and a client's error that the server
 * did not answer (nc, ncat, traditional netcat, bash's /dev/tcp refused
 * or timed out; zkServer.sh's "Error contacting service. It is probably
 * not running.") is PROBE_DOWN.  The subject is the host:port the error
 * or the prompt's command names ("echo srvr | nc zk2 2181"), NULL for
 * localhost and when none is named (the node the file came from).
 * "imok" alone is no probe: ruok answers it whether or not the server
 * serves (RuokCommand).
 *
 * Known limits: the answers carry no time, so a probe's time is that of
 * a timestamp header before it, when the collector wrote one; lines over
 * 64 KiB are cut.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quorumscope.h"

#define ZK_4LW_LINE_MAX		(64 * 1024)
#define ZK_4LW_SERVERS_MAX	4096
#define ZK_4LW_NOT_SERVING	\
	"This ZooKeeper instance is not currently serving requests"

enum zk_4lw_key {
	K_MODE,
	K_ZXID,
	K_VERSION,
	K_FOLLOWERS,
	K_LEARNERS,
	K_SYNCED,
	K_QUORUM,
	K_SERVER_ID,
	K_CONFIG_VERSION,
	K_COUNT
};

static const char *const zk_4lw_names[K_COUNT] = {
	[K_MODE] = "zk.4lw.mode",
	[K_ZXID] = "zk.4lw.zxid",
	[K_VERSION] = "zk.4lw.version",
	[K_FOLLOWERS] = "zk.4lw.followers",
	[K_LEARNERS] = "zk.4lw.followers",
	[K_SYNCED] = "zk.4lw.synced_followers",
	[K_QUORUM] = "zk.4lw.quorum_size",
	[K_SERVER_ID] = "zk.4lw.server_id",
	[K_CONFIG_VERSION] = "zk.4lw.config_version",
};

struct zk_4lw {
	struct qs_parse_ctx	*ctx;
	const char		*val[K_COUNT];
	uint64_t		 line[K_COUNT];
	const char		*text[K_COUNT];
	struct qs_view		*view;
	size_t			 servers;
	uint64_t		 not_serving;	/* line of the answer, or 0 */
	const char		*not_serving_text;
	struct qs_probe		 probe;		/* header time, prompt */
	/* The answer to the command being read (since the last prompt). */
	uint64_t		 ans_mode;	/* line of its Mode:, or 0 */
	const char		*ans_mode_text;	/* "mode follower" */
	uint64_t		 ans_not_serving;
	uint64_t		 ans_down;	/* line of a client's error */
	const char		*ans_text;	/* that line */
	const char		*ans_target;	/* host:port the error names */
	const char		*ans_connected;	/* host:port nc -v connected to */
	uint64_t		 nprobes;
};

static void	zk_4lw_trim(const char **, size_t *);
static void	zk_4lw_set(struct zk_4lw *, enum zk_4lw_key, const char *,
		    size_t, uint64_t, const char *);
static void	zk_4lw_line(struct zk_4lw *, const char *, size_t, uint64_t);
static void	zk_4lw_finish(struct zk_4lw *);
static void	zk_4lw_probe(struct zk_4lw *);
static int	zk_4lw_client_error(struct zk_4lw *, const char *, size_t,
		    uint64_t, const char *);

static void
zk_4lw_trim(const char **s, size_t *n)
{
	while (*n > 0 && (**s == ' ' || **s == '\t')) {
		(*s)++;
		(*n)--;
	}
	while (*n > 0 && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
		(*n)--;
}

/* Keeps the first value a file gives for a key. */
static void
zk_4lw_set(struct zk_4lw *f, enum zk_4lw_key k, const char *v, size_t n,
    uint64_t line, const char *text)
{
	zk_4lw_trim(&v, &n);
	if (f->val[k] != NULL || n == 0)
		return;
	if (n > 256)
		n = 256;
	f->val[k] = qs_pstrndup(f->ctx, v, n);
	f->line[k] = line;
	f->text[k] = qs_pstrdup(f->ctx, text);
}

static void
zk_4lw_line(struct zk_4lw *f, const char *s, size_t n, uint64_t lineno)
{
	static const struct {
		const char	*prefix;
		enum zk_4lw_key	 key;
	} map[] = {
		{ "Mode:", K_MODE },
		{ "Zxid:", K_ZXID },
		{ "Zookeeper version:", K_VERSION },
		{ "zk_server_state", K_MODE },
		{ "zk_version", K_VERSION },
		{ "zk_followers", K_FOLLOWERS },
		{ "zk_learners", K_LEARNERS },
		{ "zk_synced_followers", K_SYNCED },
		{ "zk_quorum_size", K_QUORUM },
		{ "serverId=", K_SERVER_ID },
		{ NULL, K_COUNT }
	};
	struct qs_parse_ctx	*ctx = f->ctx;
	struct qs_probe		 before, after;
	const char		*line = s, *why, *eq;
	size_t			 i, pl;

	zk_4lw_trim(&s, &n);
	if (n == 0)
		return;
	before = f->probe;
	if (qs_probe_line(ctx, &f->probe, s, n, lineno)) {
		/* A new command: the answer before it is complete. */
		after = f->probe;
		f->probe = before;
		zk_4lw_probe(f);
		f->probe = after;
		return;
	}
	if (n >= sizeof(ZK_4LW_NOT_SERVING) - 1 && memcmp(s,
	    ZK_4LW_NOT_SERVING, sizeof(ZK_4LW_NOT_SERVING) - 1) == 0) {
		if (f->not_serving == 0) {
			f->not_serving = lineno;
			f->not_serving_text = qs_pstrdup(ctx, line);
		}
		if (f->ans_not_serving == 0) {
			f->ans_not_serving = lineno;
			f->ans_text = qs_pstrdup(ctx, line);
		}
		return;
	}
	if (zk_4lw_client_error(f, s, n, lineno, line))
		return;
	/*
	 * nc -v: "Connection to HOST PORT port [tcp/..] succeeded!" names
	 * the server the answer after it came from.
	 */
	if (n > 14 && memcmp(s, "Connection to ", 14) == 0 &&
	    memmem(s, n, " succeeded!", 11) != NULL) {
		const char	*h = s + 14, *sp = memchr(h, ' ', n - 14), *pe;

		if (sp != NULL && (pe = memchr(sp + 1, ' ', (size_t)(s + n -
		    sp - 1))) != NULL && pe - sp - 1 <= 5)
			f->ans_connected = qs_arena_printf(&ctx->run->arena,
			    "%.*s:%.*s", (int)(sp - h), h, (int)(pe - sp - 1),
			    sp + 1);
		return;
	}
	if ((n > 5 && memcmp(s, "Mode:", 5) == 0) || (n > 15 &&
	    memcmp(s, "zk_server_state", 15) == 0 && (s[15] == '\t' ||
	    s[15] == ' '))) {
		if (f->ans_mode == 0) {
			const char	*v = s + (s[0] == 'M' ? 5 : 15);
			size_t		 vn = n - (size_t)(v - s);

			zk_4lw_trim(&v, &vn);
			f->ans_mode = lineno;
			f->ans_mode_text = qs_arena_printf(&ctx->run->arena,
			    "mode %.*s", (int)(vn < 64 ? vn : 64), v);
			if (f->ans_not_serving == 0)
				f->ans_text = qs_pstrdup(ctx, line);
		}
	}
	/* conf: "membership: " then server lines and "version=<hex>". */
	if (n > 7 && memcmp(s, "server.", 7) == 0 &&
	    (eq = memchr(s, '=', n)) != NULL) {
		struct qs_evidence	ev;

		if (f->servers++ >= ZK_4LW_SERVERS_MAX)
			return;
		ev = qs_evidence_line(ctx, lineno, line);
		if (f->view == NULL)
			f->view = qs_emit_view(ctx, QS_VIEW_CONFIGURED,
			    "4lw conf", &ev);
		if (qs_zk_server_line(ctx, f->view, s + 7, (size_t)(eq - s - 7),
		    eq + 1, (size_t)(s + n - eq - 1), lineno, 0, &why) < 0)
			qs_parse_diag(ctx, QS_SEV_WARNING, lineno, "malformed "
			    "server line: %s", why);
		return;
	}
	if (n > 8 && memcmp(s, "version=", 8) == 0) {
		zk_4lw_set(f, K_CONFIG_VERSION, s + 8, n - 8, lineno, line);
		return;
	}
	for (i = 0; map[i].prefix != NULL; i++) {
		pl = strlen(map[i].prefix);
		/* mntr names end at a tab or a blank, not at a longer name. */
		if (n < pl || memcmp(s, map[i].prefix, pl) != 0)
			continue;
		if (map[i].prefix[pl - 1] != ':' &&
		    map[i].prefix[pl - 1] != '=' && n > pl && s[pl] != '\t' &&
		    s[pl] != ' ')
			continue;
		zk_4lw_set(f, map[i].key, s + pl, n - pl, lineno, line);
		return;
	}
}

/*
 * A client's complaint that the server did not answer (probe.c lists
 * the wordings): nc, ncat, traditional netcat, bash's /dev/tcp, and
 * zkServer.sh status.  The host and port it names, when it names them,
 * are the probe's subject.  Returns 1 when the line was one.
 */
static int
zk_4lw_client_error(struct zk_4lw *f, const char *s, size_t n,
    uint64_t lineno, const char *line)
{
	static const char *const starts[] = {
		"nc: ", "Ncat: ", "ncat: ", "netcat: ", "bash: ", "sh: ",
		"Error contacting service", "telnet: ", NULL
	};
	char		*text, *p, *q;
	size_t		 i;
	const char	*target = NULL;

	for (i = 0; starts[i] != NULL; i++)
		if (n >= strlen(starts[i]) && memcmp(s, starts[i],
		    strlen(starts[i])) == 0)
			break;
	if (starts[i] == NULL && (n < 8 || memmem(s, n, " (?) : ", 7) ==
	    NULL))
		return 0;
	text = qs_xmalloc(n + 1);
	memcpy(text, s, n);
	text[n] = '\0';
	if (qs_probe_error_kind(text) != QS_SIG_PROBE_DOWN) {
		free(text);
		return 0;
	}
	/* "nc: connect to HOST [(IP)] port N (tcp) failed: ..." */
	if ((p = strstr(text, "connect to ")) != NULL &&
	    (q = strstr(p, " port ")) != NULL) {
		char	*host = p + 11, *port = q + 6;

		*q = '\0';
		host[strcspn(host, " ")] = '\0';
		port[strcspn(port, " ")] = '\0';
		target = qs_arena_printf(&f->ctx->run->arena, "%s:%s", host,
		    port);
	} else if ((p = strchr(text, '[')) != NULL &&
	    (q = strstr(p, "] ")) != NULL && strstr(q, " (?) : ") != NULL) {
		/* "HOST [IP] PORT (?) : Connection refused" */
		char	*port = q + 2;

		*q = '\0';
		port[strcspn(port, " ")] = '\0';
		target = qs_arena_printf(&f->ctx->run->arena, "%s:%s", p + 1,
		    port);
	} else if ((p = strstr(text, "/dev/tcp/")) != NULL) {
		/* "bash: /dev/tcp/HOST/PORT: Connection refused" */
		char	*host = p + 9;

		if ((q = strchr(host, '/')) != NULL) {
			*q = ':';
			q[strcspn(q, ":")] = '\0';
			host[strcspn(host, " ")] = '\0';
			if (host[strlen(host) - 1] == ':')
				host[strlen(host) - 1] = '\0';
			target = qs_pstrdup(f->ctx, host);
		}
	}
	free(text);
	if (f->ans_down == 0) {
		f->ans_down = lineno;
		f->ans_target = target;
		if (f->ans_mode == 0 && f->ans_not_serving == 0)
			f->ans_text = qs_pstrdup(f->ctx, line);
	}
	return 1;
}

/*
 * The probe the answer read since the last prompt amounts to: the
 * not-serving text (the process runs, electing), a Mode (it serves), or
 * a client's error (no answer).  Its subject is the host:port the
 * command or the error names, NULL for the machine the file came from.
 */
static void
zk_4lw_probe(struct zk_4lw *f)
{
	struct qs_evidence	 ev;
	enum qs_signal_kind	 kind;
	uint64_t		 line;
	const char		*target, *detail;

	if (f->ans_not_serving != 0) {
		kind = QS_SIG_PROBE_NOT_SERVING;
		line = f->ans_not_serving;
		detail = "not currently serving requests";
	} else if (f->ans_mode != 0) {
		kind = QS_SIG_PROBE_UP;
		line = f->ans_mode;
		detail = f->ans_mode_text;
	} else if (f->ans_down != 0) {
		kind = QS_SIG_PROBE_DOWN;
		line = f->ans_down;
		detail = f->ans_text;
	} else
		goto reset;
	if (f->ans_down != 0 && f->ans_target != NULL)
		target = f->ans_target;
	else if (f->ans_connected != NULL)
		target = f->ans_connected;
	else
		target = qs_probe_target(f->ctx, f->probe.command);
	if (target != NULL && qs_probe_target_is_local(target))
		target = NULL;
	if (f->nprobes++ < ZK_4LW_SERVERS_MAX) {
		ev = qs_evidence_line(f->ctx, line, f->ans_text);
		qs_probe_emit(f->ctx, &f->probe, kind, target, detail, &ev);
	}
reset:
	f->ans_mode = f->ans_not_serving = f->ans_down = 0;
	f->ans_text = f->ans_target = f->ans_connected = NULL;
}

static void
zk_4lw_finish(struct zk_4lw *f)
{
	struct qs_parse_ctx	*ctx = f->ctx;
	struct qs_evidence	 ev;
	uint64_t		 version;
	size_t			 k;
	int			 serving = -1;

	for (k = 0; k < K_COUNT; k++) {
		if (f->val[k] == NULL)
			continue;
		if (k == K_LEARNERS && f->val[K_FOLLOWERS] != NULL)
			continue;
		ev = qs_evidence_line(ctx, f->line[k], f->text[k]);
		qs_emit_setting(ctx, zk_4lw_names[k], f->val[k], &ev);
		if (k == K_SERVER_ID && f->val[k][strspn(f->val[k],
		    "0123456789")] == '\0')
			qs_emit_identity(ctx, QS_ID_MYID, f->val[k], NULL, NULL,
			    &ev);
	}
	if (f->view != NULL && f->val[K_CONFIG_VERSION] != NULL &&
	    strlen(f->val[K_CONFIG_VERSION]) <= 16 &&
	    f->val[K_CONFIG_VERSION][strspn(f->val[K_CONFIG_VERSION],
	    "0123456789abcdefABCDEF")] == '\0') {
		const char	*p;

		for (version = 0, p = f->val[K_CONFIG_VERSION]; *p != '\0';
		    p++)
			version = version << 4 | (uint64_t)(*p <= '9' ?
			    *p - '0' : (*p | 0x20) - 'a' + 10);
		f->view->clock.set = QS_CLOCK_ZXID;
		f->view->clock.zxid = version;
	}
	if (f->not_serving != 0) {
		serving = 0;
		ev = qs_evidence_line(ctx, f->not_serving, f->not_serving_text);
	} else if (f->val[K_MODE] != NULL) {
		serving = 1;
		ev = qs_evidence_line(ctx, f->line[K_MODE], f->text[K_MODE]);
	}
	if (serving >= 0)
		qs_emit_setting(ctx, "zk.4lw.serving", serving ? "true" :
		    "false", &ev);
	if (f->servers > ZK_4LW_SERVERS_MAX)
		qs_parse_diag(ctx, QS_SEV_WARNING, 0, "more than %d server "
		    "lines; the rest are ignored", ZK_4LW_SERVERS_MAX);
}

int
qs_parse_zk_fourletter(struct qs_parse_ctx *ctx)
{
	struct zk_4lw	 f;
	const char	*line;
	ssize_t		 len;

	memset(&f, 0, sizeof(f));
	f.ctx = ctx;
	while ((len = qs_source_getline(ctx->src, &line, ZK_4LW_LINE_MAX)) >=
	    0)
		zk_4lw_line(&f, line, (size_t)len, ctx->src->lineno);
	zk_4lw_probe(&f);
	zk_4lw_finish(&f);
	return 0;
}
