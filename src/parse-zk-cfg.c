/*
 * ZooKeeper configuration files (kinds zk.cfg and zk.dynamic_cfg): the
 * static zoo.cfg and the dynamic membership files of 3.5+ reconfiguration,
 * "<static cfg>.dynamic.<hex version>".
 *
 * Upstream: apache/zookeeper QuorumPeerConfig.java (parseProperties,
 * parseDynamicConfig, the dynamic file naming in
 * writeDynamicConfig/getVersionFromFilename), QuorumPeer.QuorumServer
 * (the server line grammar) and flexible/QuorumMaj.java, releases 3.4.14,
 * 3.5.10 and 3.8; facts as summarised in formats.md 6.7.  Both are Java
 * properties files, loaded with java.util.Properties and every value
 * trimmed.
 *
 * Server lines, every variant:
 *   server.<sid>=<host>:<quorumPort>[:<electionPort>[:participant|observer]]
 *       [;[<clientHost>:]<clientPort>[;<secure client address>]]
 * with IPv6 hosts in [ ], and (3.6+) several host:port:port groups joined
 * by '|' for multi-address servers.  3.4 still allows a line without an
 * election port.
 *
 * Extracted:
 *  - one QS_VIEW_CONFIGURED view: "zoo.cfg" for a static file with server
 *    lines, "zoo.cfg.dynamic.<suffix>" for a dynamic file (clock: zxid =
 *    the hex version), "backup zoo.cfg.bak" for the copy ZooKeeper keeps
 *    when it converts a legacy file (a name that does not start with
 *    "zoo.cfg", so the backup never passes for the live configuration);
 *    members have id "N", address "host:quorumPort" and state voter
 *    (participant) or non-voter (observer);
 *  - identities, from live files only: each server's quorum and election
 *    addresses (roles "quorum", "election") and client address ("client")
 *    with subject "N", its myid with subject "host:quorumPort", and the
 *    node's own client address from clientPortAddress and clientPort;
 *  - settings "zk.<key>" (key as written) for tickTime, initLimit,
 *    syncLimit, dataDir, dataLogDir, clientPort, clientPortAddress,
 *    secureClientPort, secureClientPortAddress, dynamicConfigFile,
 *    reconfigEnabled, standaloneEnabled, peerType, electionAlg,
 *    quorumListenOnAllIPs, maxClientCnxns, 4lw.commands.whitelist,
 *    autopurge.*, group.N and weight.N; "zk.server.N" = the raw right-hand
 *    side; "zk.dynamic_version" = a dynamic file's version (name suffix,
 *    or its "version=" line when the name has none).
 *
 * Dynamic files: "zoo.cfg.dynamic" without a version is one too (its
 * version= line, if any, is its version); "<cfg>.dynamic.next", a
 * proposed reconfiguration, is the view "proposed zoo.cfg.dynamic.next".
 * Which file is in force is qs_zk_dynamic_active()'s answer: the one
 * dynamicConfigFile names, else the highest version; the others are
 * history (qs_zk_dynamic_history()).  Kafka's zookeeper.properties is
 * read as a zoo.cfg (kinds.c).
 *
 * Malformed server lines get a warning with their line number (the file
 * is then partial) and the rest is still read; so does a sid listed twice
 * (Properties keeps the last one, and so does the view).
 *
 * Known limits: backslash line continuations and escapes of Java
 * properties are not interpreted (ZooKeeper's own files never use them);
 * lines over 64 KiB are cut; at most ZK_CFG_SERVERS_MAX servers,
 * ZK_ADDRS_MAX addresses per server and ZK_CFG_OBS_MAX properties are
 * read, and ZK_CFG_WARN_MAX warnings given (then their count).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "quorumscope.h"

#define ZK_CFG_LINE_MAX		(64 * 1024)
#define ZK_CFG_SERVERS_MAX	4096	/* server lines kept per file */
#define ZK_ADDRS_MAX		8	/* multi-address groups per server */
#define ZK_SID_MAX		20	/* digits of a 64-bit sid */
#define ZK_HOST_MAX		255	/* a DNS name, or [IPv6] */
#define ZK_EXCERPT_MAX		240	/* of a server line, as evidence */
#define ZK_CFG_WARN_MAX		100	/* warnings per file, then a count */
#define ZK_CFG_OBS_MAX		1000000	/* properties read per file */

struct zk_addr {			/* one host:quorumPort[:electionPort] */
	const char	*host;		/* IPv6 with its brackets */
	size_t		 hostlen;
	unsigned	 qport;
	unsigned	 eport;		/* 0: none (3.4 allowed that) */
	const char	*type;		/* "participant", "observer" or NULL */
	size_t		 typelen;
};

struct zk_server {
	struct zk_addr	 addrs[ZK_ADDRS_MAX];
	size_t		 naddrs;
	int		 observer;
	const char	*chost;		/* client host, or NULL */
	size_t		 chostlen;
	unsigned	 cport;		/* 0: no client address */
};

/* Keys of zoo.cfg kept as settings, besides group.N and weight.N. */
static const char *const zk_cfg_keys[] = {
	"tickTime", "initLimit", "syncLimit", "dataDir", "dataLogDir",
	"clientPort", "clientPortAddress", "secureClientPort",
	"secureClientPortAddress", "dynamicConfigFile", "reconfigEnabled",
	"standaloneEnabled", "peerType", "electionAlg",
	"quorumListenOnAllIPs", "maxClientCnxns", "4lw.commands.whitelist",
	"autopurge.snapRetainCount", "autopurge.purgeInterval", NULL
};

static void	zk_trim(const char **, size_t *);
static int	zk_port(const char *, size_t, unsigned *);
static int	zk_parse_addr(const char *, size_t, struct zk_addr *,
		    const char **);
static int	zk_parse_client(const char *, size_t, struct zk_server *,
		    const char **);
static int	zk_parse_server(const char *, size_t, struct zk_server *,
		    const char **);
static int	zk_sid(const char *, size_t, char *);
static int	zk_wildcard(const char *, size_t);
static int	zk_keyval(const char *, size_t, const char **, size_t *,
		    const char **, size_t *);
static int	zk_parse_file(struct qs_parse_ctx *, int);
static struct qs_member *zk_view_find(struct qs_view *, const char *);
static void	zk_cfg_warn(struct qs_parse_ctx *, size_t *, uint64_t,
		    const char *, ...) QS_PRINTF(4, 5);

static void
zk_trim(const char **s, size_t *n)
{
	while (*n > 0 && (**s == ' ' || **s == '\t' || **s == '\f')) {
		(*s)++;
		(*n)--;
	}
	while (*n > 0 && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t' ||
	    (*s)[*n - 1] == '\f' || (*s)[*n - 1] == '\r'))
		(*n)--;
}

/* A TCP port: 1 to 65535, decimal digits only. */
static int
zk_port(const char *s, size_t n, unsigned *out)
{
	unsigned	v = 0;
	size_t		i;

	zk_trim(&s, &n);
	if (n == 0 || n > 5)
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	if (v == 0 || v > 65535)
		return -1;
	*out = v;
	return 0;
}

/*
 * A server id as ZooKeeper reads it (Long.parseLong), written back in
 * canonical decimal into `out` (ZK_SID_MAX + 1 bytes) so that "server.01"
 * and myid "1" name the same server.
 */
static int
zk_sid(const char *s, size_t n, char *out)
{
	uint64_t	v = 0;
	size_t		i;

	if (n == 0 || n > ZK_SID_MAX)
		return -1;
	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		if (v > (UINT64_MAX - 9) / 10)
			return -1;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (v > INT64_MAX)
		return -1;
	snprintf(out, ZK_SID_MAX + 1, "%llu", (unsigned long long)v);
	return 0;
}

/* Hosts that mean "every interface": no use as an identity. */
static int
zk_wildcard(const char *h, size_t n)
{
	return (n == 7 && memcmp(h, "0.0.0.0", 7) == 0) ||
	    (n == 4 && memcmp(h, "[::]", 4) == 0) ||
	    (n == 2 && memcmp(h, "::", 2) == 0);
}

/* "host:quorumPort[:electionPort[:type]]"; the type is left to the caller. */
static int
zk_parse_addr(const char *s, size_t n, struct zk_addr *a, const char **why)
{
	const char	*end, *f[3];
	size_t		 fl[3], nf = 0;
	const char	*p, *c;

	zk_trim(&s, &n);
	end = s + n;
	if (n > 0 && *s == '[') {
		if ((c = memchr(s, ']', n)) == NULL) {
			*why = "unterminated [ ] around an IPv6 host";
			return -1;
		}
		a->host = s;
		a->hostlen = (size_t)(c + 1 - s);
		p = c + 1;
		if (p == end || *p != ':') {
			*why = "no quorum port";
			return -1;
		}
		p++;
	} else {
		if ((c = memchr(s, ':', n)) == NULL) {
			*why = "no quorum port";
			return -1;
		}
		a->host = s;
		a->hostlen = (size_t)(c - s);
		p = c + 1;
	}
	if (a->hostlen == 0 || (a->hostlen == 2 && *a->host == '[')) {
		*why = "empty host";
		return -1;
	}
	if (a->hostlen > ZK_HOST_MAX) {
		*why = "host name too long";
		return -1;
	}
	/* The ports and the type: at most three more ':' fields. */
	for (;;) {
		if (nf == 3) {
			*why = "too many ':' separated parts";
			return -1;
		}
		c = memchr(p, ':', (size_t)(end - p));
		f[nf] = p;
		fl[nf] = (size_t)((c != NULL ? c : end) - p);
		nf++;
		if (c == NULL)
			break;
		p = c + 1;
	}
	if (zk_port(f[0], fl[0], &a->qport) != 0) {
		*why = "bad quorum port";
		return -1;
	}
	a->eport = 0;
	if (nf >= 2 && zk_port(f[1], fl[1], &a->eport) != 0) {
		*why = "bad election port";
		return -1;
	}
	a->type = NULL;
	a->typelen = 0;
	if (nf == 3) {
		a->type = f[2];
		a->typelen = fl[2];
		zk_trim(&a->type, &a->typelen);
	}
	return 0;
}

/* "[clientHost:]clientPort", IPv6 hosts in [ ]. */
static int
zk_parse_client(const char *s, size_t n, struct zk_server *sv,
    const char **why)
{
	const char	*c;
	size_t		 i;

	zk_trim(&s, &n);
	if (n == 0)
		return 0;
	if (*s == '[') {
		if ((c = memchr(s, ']', n)) == NULL || c + 1 == s + n ||
		    c[1] != ':') {
			*why = "bad client address";
			return -1;
		}
		c++;
	} else {
		c = NULL;
		for (i = n; i > 0; i--)
			if (s[i - 1] == ':') {
				c = s + i - 1;
				break;
			}
	}
	if (c != NULL) {
		sv->chost = s;
		sv->chostlen = (size_t)(c - s);
		if (zk_port(c + 1, (size_t)(s + n - c - 1), &sv->cport) != 0 ||
		    sv->chostlen == 0 || sv->chostlen > ZK_HOST_MAX) {
			*why = "bad client address";
			return -1;
		}
	} else if (zk_port(s, n, &sv->cport) != 0) {
		*why = "bad client port";
		return -1;
	}
	return 0;
}

/*
 * The right-hand side of a server line.  Returns 0, or -1 with a short
 * reason in *why.
 */
static int
zk_parse_server(const char *s, size_t n, struct zk_server *sv,
    const char **why)
{
	const char	*semi, *end = s + n, *g, *bar;
	struct zk_addr	*a;
	size_t		 glen;

	memset(sv, 0, sizeof(*sv));
	semi = memchr(s, ';', n);
	g = s;
	for (;;) {
		const char	*gend = semi != NULL ? semi : end;

		bar = memchr(g, '|', (size_t)(gend - g));
		glen = (size_t)((bar != NULL ? bar : gend) - g);
		if (sv->naddrs == ZK_ADDRS_MAX) {
			*why = "too many '|' separated addresses";
			return -1;
		}
		a = &sv->addrs[sv->naddrs];
		if (zk_parse_addr(g, glen, a, why) != 0)
			return -1;
		if (a->type != NULL) {
			if (a->typelen == 8 &&
			    strncasecmp(a->type, "observer", 8) == 0)
				sv->observer = 1;
			else if (a->typelen == 11 &&
			    strncasecmp(a->type, "participant", 11) == 0)
				sv->observer = 0;
			else {
				*why = "server type is neither participant "
				    "nor observer";
				return -1;
			}
		}
		sv->naddrs++;
		if (bar == NULL)
			break;
		g = bar + 1;
	}
	if (semi != NULL) {
		const char	*semi2 = memchr(semi + 1, ';',
		    (size_t)(end - semi - 1));
		const char	*cend = semi2 != NULL ? semi2 : end;

		if (zk_parse_client(semi + 1, (size_t)(cend - semi - 1), sv,
		    why) != 0)
			return -1;
	}
	return 0;
}

static struct qs_member *
zk_view_find(struct qs_view *v, const char *id)
{
	size_t	i;

	for (i = 0; i < v->members.n; i++) {
		struct qs_member	*m = v->members.v[i];

		if (m->id != NULL && strcmp(m->id, id) == 0)
			return m;
	}
	return NULL;
}

/*
 * One server line: `sid` is the text after "server.", `rhs` what follows
 * '='.  Adds the server to `view` (when not NULL; a sid already there is
 * replaced, as Properties would) and, with QS_ZK_IDS in `flags`, emits its
 * addresses as identities with `line` as evidence.  Returns 0, 1 when the
 * sid was already in the view, or -1 with a reason in *why.
 */
int
qs_zk_server_line(struct qs_parse_ctx *ctx, struct qs_view *view,
    const char *sid, size_t sidlen, const char *rhs, size_t rhslen,
    uint64_t line, unsigned flags, const char **why)
{
	struct zk_server	 sv;
	struct qs_evidence	 ev;
	struct qs_member	*m;
	char			 id[ZK_SID_MAX + 1];
	const char		*addr, *excerpt;
	size_t			 i;
	int			 dup = 0;

	if (zk_sid(sid, sidlen, id) != 0) {
		*why = "server id is not a number";
		return -1;
	}
	zk_trim(&rhs, &rhslen);
	if (zk_parse_server(rhs, rhslen, &sv, why) != 0)
		return -1;
	addr = qs_arena_printf(&ctx->run->arena, "%.*s:%u",
	    (int)sv.addrs[0].hostlen, sv.addrs[0].host, sv.addrs[0].qport);
	if (view != NULL) {
		if ((m = zk_view_find(view, id)) != NULL) {
			m->address = addr;
			m->state = sv.observer ? QS_MEMBER_NONVOTER :
			    QS_MEMBER_VOTER;
			dup = 1;
		} else
			qs_view_add(ctx, view, NULL, addr, id, sv.observer ?
			    QS_MEMBER_NONVOTER : QS_MEMBER_VOTER);
	}
	if (!(flags & QS_ZK_IDS))
		return dup;
	/* zk_sid() bounded sidlen; the line as written, cut. */
	excerpt = qs_arena_printf(&ctx->run->arena, "server.%.*s=%.*s",
	    (int)sidlen, sid,
	    (int)(rhslen < ZK_EXCERPT_MAX ? rhslen : ZK_EXCERPT_MAX), rhs);
	ev = qs_evidence_line(ctx, line, excerpt);
	for (i = 0; i < sv.naddrs; i++) {
		const struct zk_addr	*a = &sv.addrs[i];
		const char		*q;

		q = qs_arena_printf(&ctx->run->arena, "%.*s:%u",
		    (int)a->hostlen, a->host, a->qport);
		qs_emit_identity(ctx, QS_ID_ADDRESS, q, "quorum", id, &ev);
		if (a->eport != 0)
			qs_emit_identity(ctx, QS_ID_ADDRESS,
			    qs_arena_printf(&ctx->run->arena, "%.*s:%u",
			    (int)a->hostlen, a->host, a->eport), "election", id,
			    &ev);
		qs_emit_identity(ctx, QS_ID_MYID, id, NULL, q, &ev);
	}
	if (sv.chost != NULL && !zk_wildcard(sv.chost, sv.chostlen))
		qs_emit_identity(ctx, QS_ID_ADDRESS,
		    qs_arena_printf(&ctx->run->arena, "%.*s:%u",
		    (int)sv.chostlen, sv.chost, sv.cport), "client", id, &ev);
	return dup;
}

/*
 * A properties line split into key and value (both trimmed, not
 * terminated).  Returns 0, or -1 for blank lines and comments.
 */
static int
zk_keyval(const char *s, size_t n, const char **key, size_t *klen,
    const char **val, size_t *vlen)
{
	size_t	i;

	zk_trim(&s, &n);
	if (n == 0 || *s == '#' || *s == '!')
		return -1;
	for (i = 0; i < n; i++)
		if (s[i] == '=' || s[i] == ':' || s[i] == ' ' || s[i] == '\t' ||
		    s[i] == '\f')
			break;
	*key = s;
	*klen = i;
	while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\f'))
		i++;
	if (i < n && (s[i] == '=' || s[i] == ':'))
		i++;
	*val = s + i;
	*vlen = n - i;
	zk_trim(val, vlen);
	return 0;
}

/*
 * A configuration text as ZooKeeper keeps it in /zookeeper/config, in a
 * reconfig transaction or in the "conf" four-letter answer: server lines
 * and "version=<hex>".  Adds the servers to `view`; OUT: *version and
 * *has_version, *bad = lines that looked like server lines but did not
 * parse.  Returns the number of servers read.  No diagnostics, no
 * identities: the callers say what the text was.
 */
size_t
qs_zk_config_text(struct qs_parse_ctx *ctx, struct qs_view *view,
    const char *text, size_t len, uint64_t *version, int *has_version,
    size_t *bad)
{
	const char	*p = text, *end = text + len, *nl, *key, *val, *why;
	size_t		 klen, vlen, n = 0;

	*has_version = 0;
	*bad = 0;
	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (zk_keyval(p, (size_t)((nl != NULL ? nl : end) - p), &key,
		    &klen, &val, &vlen) == 0) {
			if (klen > 7 && strncmp(key, "server.", 7) == 0) {
				if (n >= ZK_CFG_SERVERS_MAX ||
				    qs_zk_server_line(ctx, view, key + 7,
				    klen - 7, val, vlen, 0, 0, &why) < 0)
					(*bad)++;
				else
					n++;
			} else if (klen == 7 &&
			    strncmp(key, "version", 7) == 0 &&
			    qs_parse_hex_u64(val, vlen, version) == 0)
				*has_version = 1;
		}
		if (nl == NULL)
			break;
		p = nl + 1;
	}
	return n;
}

/*
 * A warning, unless ZK_CFG_WARN_MAX were already given (the caller says
 * how many were not, at the end).  `*n` counts them.
 */
static void
zk_cfg_warn(struct qs_parse_ctx *ctx, size_t *n, uint64_t line,
    const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	if ((*n)++ >= ZK_CFG_WARN_MAX)
		return;
	va_start(ap, fmt);
	msg = qs_arena_vprintf(&ctx->run->arena, fmt, ap);
	va_end(ap);
	qs_parse_diag(ctx, QS_SEV_WARNING, line, "%s", msg);
}

/*
 * Both file kinds.  `dynamic`: the file is a dynamic membership file,
 * named "<cfg>.dynamic.<version>".
 */
static int
zk_parse_file(struct qs_parse_ctx *ctx, int dynamic)
{
	const char		*base, *line, *key, *val, *why, *suffix = NULL;
	const char		*source, *port = NULL, *host = NULL;
	struct qs_view		*view = NULL;
	struct qs_evidence	 ev;
	uint64_t		 version = 0, line_version = 0, port_line = 0;
	size_t			 klen, vlen, i, servers = 0, warns = 0;
	size_t			 nobs = 0;
	ssize_t			 len;
	int			 backup = 0, has_version = 0;
	int			 has_line_version = 0, r;

	base = strrchr(ctx->artifact->logical, '/');
	base = base != NULL ? base + 1 : ctx->artifact->logical;
	if (dynamic) {
		const char	*d = strstr(base, ".dynamic.");

		/*
		 * "zoo.cfg.dynamic" without a version (written by hand, or
		 * by tools that keep one file): its "version=" line, if
		 * any, is the version.
		 */
		suffix = d != NULL ? d + 9 : "";
		source = *suffix != '\0' ? qs_arena_printf(&ctx->run->arena,
		    "zoo.cfg.dynamic.%s", suffix) : "zoo.cfg.dynamic";
		/*
		 * "<cfg>.dynamic.next" is a reconfiguration proposed and not
		 * yet committed (QuorumPeerConfig.nextDynamicConfigFileSuffix,
		 * read as the last seen, not the current, verifier): never
		 * the configuration in force.
		 */
		if (strcmp(suffix, "next") == 0)
			source = "proposed zoo.cfg.dynamic.next";
		has_version = qs_parse_hex_u64(suffix, strlen(suffix),
		    &version) == 0;
	} else {
		size_t	bl = strlen(base);

		backup = bl >= 4 && strcmp(base + bl - 4, ".bak") == 0;
		source = backup ? "backup zoo.cfg.bak" : "zoo.cfg";
	}
	while ((len = qs_source_getline(ctx->src, &line, ZK_CFG_LINE_MAX)) >=
	    0) {
		uint64_t	lineno = ctx->src->lineno;

		if (zk_keyval(line, (size_t)len, &key, &klen, &val, &vlen) != 0)
			continue;
		if (nobs++ == ZK_CFG_OBS_MAX) {
			qs_parse_diag(ctx, QS_SEV_WARNING, lineno, "more than "
			    "%d properties; the rest of the file is skipped",
			    ZK_CFG_OBS_MAX);
			break;
		}
		if (klen > 7 && strncmp(key, "server.", 7) == 0) {
			if (servers == ZK_CFG_SERVERS_MAX) {
				qs_parse_diag(ctx, QS_SEV_WARNING, lineno,
				    "more than %d server lines; the rest are "
				    "ignored", ZK_CFG_SERVERS_MAX);
				servers++;
				continue;
			}
			if (servers > ZK_CFG_SERVERS_MAX)
				continue;
			ev = qs_evidence_line(ctx, lineno, line);
			if (view == NULL) {
				view = qs_emit_view(ctx, QS_VIEW_CONFIGURED,
				    source, &ev);
				if (has_version) {
					view->clock.set = QS_CLOCK_ZXID;
					view->clock.zxid = version;
				}
			}
			r = qs_zk_server_line(ctx, view, key + 7, klen - 7, val,
			    vlen, lineno, backup ? 0 : QS_ZK_IDS, &why);
			if (r < 0) {
				zk_cfg_warn(ctx, &warns, lineno, "malformed "
				    "server line: %s: %.*s", why,
				    (int)(klen + 1 + vlen < 200 ?
				    klen + 1 + vlen : 200), key);
				continue;
			}
			servers++;
			if (r == 1)
				zk_cfg_warn(ctx, &warns, lineno, "server.%.*s "
				    "is listed twice; the last line counts",
				    (int)(klen - 7), key + 7);
			if (!backup)
				qs_emit_setting(ctx, qs_arena_printf(
				    &ctx->run->arena, "zk.%.*s", (int)klen,
				    key), qs_pstrndup(ctx, val, vlen), &ev);
			continue;
		}
		if (klen == 7 && strncmp(key, "version", 7) == 0) {
			if (qs_parse_hex_u64(val, vlen, &line_version) == 0)
				has_line_version = 1;
			else
				zk_cfg_warn(ctx, &warns, lineno, "version is "
				    "not hexadecimal: %.*s", (int)(vlen < 40 ?
				    vlen : 40), val);
			continue;
		}
		if (backup)
			continue;
		for (i = 0; zk_cfg_keys[i] != NULL; i++)
			if (strlen(zk_cfg_keys[i]) == klen &&
			    strncmp(zk_cfg_keys[i], key, klen) == 0)
				break;
		if (zk_cfg_keys[i] == NULL && !(klen > 6 &&
		    strncmp(key, "group.", 6) == 0) && !(klen > 7 &&
		    strncmp(key, "weight.", 7) == 0))
			continue;
		ev = qs_evidence_line(ctx, lineno, line);
		qs_emit_setting(ctx, qs_arena_printf(&ctx->run->arena,
		    "zk.%.*s", (int)klen, key), qs_pstrndup(ctx, val, vlen),
		    &ev);
		if (klen == 10 && strncmp(key, "clientPort", 10) == 0) {
			port = qs_pstrndup(ctx, val, vlen);
			port_line = lineno;
		} else if (klen == 17 &&
		    strncmp(key, "clientPortAddress", 17) == 0)
			host = qs_pstrndup(ctx, val, vlen);
	}
	if (warns > ZK_CFG_WARN_MAX)
		qs_parse_diag(ctx, QS_SEV_WARNING, 0, "%zu more warnings not "
		    "shown", warns - ZK_CFG_WARN_MAX);
	if (has_line_version && has_version && line_version != version)
		qs_parse_diag(ctx, QS_SEV_WARNING, 0,
		    "version=%llx disagrees with the file name's version %s",
		    (unsigned long long)line_version, suffix);
	if (dynamic && (has_version || has_line_version)) {
		if (!has_version) {
			version = line_version;
			if (view != NULL) {
				view->clock.set = QS_CLOCK_ZXID;
				view->clock.zxid = version;
			}
		}
		ev = qs_evidence_whole(ctx);
		qs_emit_setting(ctx, "zk.dynamic_version",
		    qs_arena_printf(&ctx->run->arena, "%llx",
		    (unsigned long long)version), &ev);
	}
	/* The node's own client address, unless it means "everywhere". */
	if (!backup && host != NULL && port != NULL) {
		unsigned	p;

		if (zk_port(port, strlen(port), &p) == 0 &&
		    !zk_wildcard(host, strlen(host)) && *host != '\0') {
			ev = qs_evidence_line(ctx, port_line, NULL);
			qs_emit_identity(ctx, QS_ID_ADDRESS,
			    qs_arena_printf(&ctx->run->arena,
			    strchr(host, ':') != NULL && *host != '[' ?
			    "[%s]:%u" : "%s:%u", host, p), "client", NULL, &ev);
		}
	}
	if (dynamic && view == NULL)
		qs_parse_diag(ctx, QS_SEV_WARNING, 0,
		    "no server lines in a dynamic configuration file");
	return 0;
}

/*
 * The dynamic membership file in force on a node: the one its zoo.cfg's
 * dynamicConfigFile names (by file name: the bundle's paths are not the
 * server's), else the highest version (QuorumPeerConfig reads the file
 * dynamicConfigFile names; ZooKeeper writes a new
 * "<cfg>.dynamic.<version>" at each reconfiguration and points
 * dynamicConfigFile at it, so older ones are history).  NULL when the
 * node has no dynamic file.  Needs the model resolved (observers set).
 */
const struct qs_view *
qs_zk_dynamic_active(const struct qs_run *run, const struct qs_node *node)
{
	const struct qs_view	*best = NULL, *named = NULL;
	const char		*want = NULL, *base;
	size_t			 i;

	for (i = 0; i < run->settings.n; i++) {
		const struct qs_setting	*s = run->settings.v[i];

		if (s->observer == node && s->system == QS_SYS_ZOOKEEPER &&
		    strcmp(s->key, "zk.dynamicConfigFile") == 0) {
			base = strrchr(s->value, '/');
			want = base != NULL ? base + 1 : s->value;
		}
	}
	for (i = 0; i < run->views.n; i++) {
		const struct qs_view	*v = run->views.v[i];

		if (v->observer != node || v->system != QS_SYS_ZOOKEEPER ||
		    strncmp(v->source, "zoo.cfg.dynamic", 15) != 0)
			continue;
		if (want != NULL && v->ev.artifact != NULL) {
			base = strrchr(v->ev.artifact->logical, '/');
			base = base != NULL ? base + 1 :
			    v->ev.artifact->logical;
			if (strcmp(base, want) == 0)
				named = v;
		}
		if (best == NULL || ((v->clock.set & QS_CLOCK_ZXID) &&
		    (!(best->clock.set & QS_CLOCK_ZXID) ||
		    v->clock.zxid > best->clock.zxid)))
			best = v;
	}
	return named != NULL ? named : best;
}

/* A dynamic file of the node that is not the one in force: history. */
int
qs_zk_dynamic_history(const struct qs_run *run, const struct qs_view *v)
{
	return v->system == QS_SYS_ZOOKEEPER &&
	    strncmp(v->source, "zoo.cfg.dynamic", 15) == 0 &&
	    qs_zk_dynamic_active(run, v->observer) != v;
}

int
qs_parse_zk_cfg(struct qs_parse_ctx *ctx)
{
	return zk_parse_file(ctx, 0);
}

int
qs_parse_zk_dynamic_cfg(struct qs_parse_ctx *ctx)
{
	return zk_parse_file(ctx, 1);
}
