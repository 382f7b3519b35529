/*
 * A host's own name files (kinds host.hosts and host.hostname), read so
 * that members named by host name in a configuration (zoo.cfg's
 * server.1=zk-a.example.internal:2888:3888, etcd's --initial-cluster
 * a=https://etcd-a.example.internal:2380, Consul's retry_join) resolve to
 * the nodes of the bundle, as the servers themselves resolved them.
 *
 * /etc/hosts (hosts(5)): one entry per line, an IP address and one or
 * more names (canonical name, then aliases), separated by blanks or tabs;
 * '#' starts a comment.  Each name becomes an identity "NAME is at IP"
 * (QS_ID_ADDRESS with the name as subject, role "hosts"); resolution
 * then names the node at that IP.  The loopback entries every host has
 * (127.0.0.1, ::1, localhost and ip6-* names) say nothing about a node
 * and are skipped.
 *
 * /etc/hostname (hostname(5)): the host's name on its first line; it
 * becomes a name of the node itself (QS_ID_NAME, role "hostname").
 *
 * Known limits: lines over 4 KiB are cut; at most HOST_NAMES_MAX names a
 * line and HOST_LINES_MAX lines are read.
 */
#include "config.h"

#include <ctype.h>
#include <string.h>

#include "quorumscope.h"

#define HOST_LINE_MAX	4096
#define HOST_NAMES_MAX	16
#define HOST_LINES_MAX	100000
#define HOST_NAME_MAX_LEN 253		/* a DNS name */

/* A host name: letters, digits, '-', '.', '_'; no leading '-' or '.'. */
static int
host_name_ok(const char *s, size_t n)
{
	size_t	i;

	if (n == 0 || n > HOST_NAME_MAX_LEN || s[0] == '-' || s[0] == '.')
		return 0;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '-' &&
		    s[i] != '.' && s[i] != '_')
			return 0;
	return 1;
}

/* An IPv4 or IPv6 address, as hosts(5) writes it. */
static int
host_addr_ok(const char *s, size_t n)
{
	size_t	i, dots = 0, colons = 0;

	if (n == 0 || n > 45)
		return 0;
	for (i = 0; i < n; i++) {
		if (s[i] == '.')
			dots++;
		else if (s[i] == ':')
			colons++;
		else if (!isxdigit((unsigned char)s[i]) && s[i] != '%')
			return 0;
	}
	return dots == 3 || colons >= 2;
}

static int
host_loopback(const char *addr, size_t an, const char *name, size_t nn)
{
	if ((an == 9 && memcmp(addr, "127.0.0.1", 9) == 0) ||
	    (an == 3 && memcmp(addr, "::1", 3) == 0))
		return 1;
	return (nn >= 9 && strncmp(name, "localhost", 9) == 0) ||
	    (nn > 4 && strncmp(name, "ip6-", 4) == 0);
}

/* The next blank-separated field of [*p, end); 0 when none is left. */
static size_t
host_field(const char **p, const char *end, const char **field)
{
	const char	*s = *p;

	while (s < end && (*s == ' ' || *s == '\t'))
		s++;
	*field = s;
	while (s < end && *s != ' ' && *s != '\t')
		s++;
	*p = s;
	return (size_t)(s - *field);
}

int
qs_parse_host_hosts(struct qs_parse_ctx *ctx)
{
	struct qs_arena		*a = &ctx->run->arena;
	struct qs_evidence	 ev;
	const char		*line, *p, *end, *addr, *name, *hash;
	size_t			 an, nn, names, bad = 0, lines = 0;
	ssize_t			 len;

	while ((len = qs_source_getline(ctx->src, &line, HOST_LINE_MAX)) >= 0 &&
	    lines++ < HOST_LINES_MAX) {
		end = line + len;
		if ((hash = memchr(line, '#', (size_t)len)) != NULL)
			end = hash;
		p = line;
		if ((an = host_field(&p, end, &addr)) == 0)
			continue;
		if (!host_addr_ok(addr, an)) {
			bad++;
			continue;
		}
		for (names = 0; names < HOST_NAMES_MAX &&
		    (nn = host_field(&p, end, &name)) > 0; names++) {
			if (!host_name_ok(name, nn) ||
			    host_loopback(addr, an, name, nn))
				continue;
			ev = qs_evidence_line(ctx, ctx->src->lineno,
			    qs_arena_strndup(a, line, (size_t)len));
			qs_emit_identity(ctx, QS_ID_ADDRESS, qs_arena_strndup(a,
			    addr, an), "hosts", qs_arena_strndup(a, name, nn),
			    &ev);
		}
	}
	if (bad > 0)
		qs_parse_diag(ctx, QS_SEV_WARNING, 0, "%zu line%s of the hosts "
		    "file do not start with an IP address; skipped", bad,
		    bad == 1 ? "" : "s");
	return 0;
}

int
qs_parse_host_hostname(struct qs_parse_ctx *ctx)
{
	struct qs_evidence	 ev;
	const char		*line, *name;
	size_t			 n;
	ssize_t			 len;

	/* hostname(5): one name on a line; '#' lines are comments. */
	do {
		if ((len = qs_source_getline(ctx->src, &line,
		    HOST_LINE_MAX)) < 0) {
			qs_parse_diag(ctx, QS_SEV_WARNING, 0, "empty hostname "
			    "file");
			ctx->artifact->status = QS_STATUS_FAILED;
			return -1;
		}
		for (name = line, n = (size_t)len; n > 0 && isspace(
		    (unsigned char)*name); name++, n--)
			;
		while (n > 0 && isspace((unsigned char)name[n - 1]))
			n--;
	} while (n == 0 || *name == '#');
	if (!host_name_ok(name, n)) {
		qs_parse_diag(ctx, QS_SEV_WARNING, ctx->src->lineno, "not a "
		    "host name: \"%.*s\"", (int)(n > 64 ? 64 : n), name);
		ctx->artifact->status = QS_STATUS_FAILED;
		return -1;
	}
	ev = qs_evidence_line(ctx, ctx->src->lineno, qs_arena_strndup(
	    &ctx->run->arena, line, (size_t)len));
	qs_emit_identity(ctx, QS_ID_NAME, qs_arena_strndup(&ctx->run->arena,
	    name, n), "hostname", NULL, &ev);
	return 0;
}

/* Lines of "IP name..." (or comments), and at least one such line. */
int
qs_sniff_hosts(const struct qs_head *h)
{
	size_t		 i = 0, n, good = 0;
	const char	*s = (const char *)h->data, *p, *end, *addr, *name;

	while (i < h->len) {
		const char	*nl = memchr(s + i, '\n', h->len - i);

		end = nl != NULL ? nl : s + h->len;
		p = s + i;
		if ((addr = memchr(p, '#', (size_t)(end - p))) != NULL)
			end = addr;
		if ((n = host_field(&p, end, &addr)) > 0) {
			if (!host_addr_ok(addr, n) ||
			    host_field(&p, end, &name) == 0)
				return -1;
			good++;
		}
		if (nl == NULL)
			break;
		i = (size_t)(nl - s) + 1;
	}
	return good > 0 ? 16 : 0;
}

/* One short line holding a host name. */
int
qs_sniff_hostname(const struct qs_head *h)
{
	size_t	n = h->len;

	while (n > 0 && isspace(h->data[n - 1]))
		n--;
	if (n == 0 || n > HOST_NAME_MAX_LEN)
		return -1;
	if (memchr(h->data, '\n', n) != NULL)
		return 0;	/* comments: the parser decides */
	return host_name_ok((const char *)h->data, n) ? 8 : -1;
}
