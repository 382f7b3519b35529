/*
 * Collection-time probes: what the command-output parsers (etcdctl,
 * four-letter words, consul members / info / list-peers) share.  A
 * collector's file is rarely the bare output: it has the shell prompt
 * the command was typed at ("root@etcd1:~# etcdctl endpoint health"),
 * a timestamp the script printed before it ("date -u", "=== 2024-05-01
 * 12:00:00 UTC ==="), and trailing noise ("command terminated with exit
 * code 1").  These helpers recognise the first two, keep the time for
 * the probes that follow, and sort the error texts of clients into "no
 * answer" (the process is not there) and "answered, but does not serve".
 *
 * Error wordings, by client:
 *   OpenBSD netcat (Debian's nc): "nc: connect to HOST port N (tcp)
 *     failed: Connection refused", "... timed out: Operation now in
 *     progress", "... failed: No route to host";
 *   traditional netcat: "HOST [IP] N (?) : Connection refused";
 *   nmap's ncat: "Ncat: Connection refused.", "Ncat: TIMEOUT.";
 *   bash's /dev/tcp: "bash: connect: Connection refused";
 *   zkServer.sh status (apache/zookeeper bin/zkServer.sh): "Error
 *     contacting service. It is probably not running.";
 *   Go clients (etcdctl's grpc, consul's HTTP API client): "dial tcp
 *     IP:PORT: connect: connection refused", "i/o timeout", grpc's
 *     "all SubConns are in TransientFailure", "connection error",
 *     "while waiting for connections to become ready";
 *   servers that answer without serving: etcd's "etcdserver: no
 *     leader", "etcdserver: request timed out" and "/health" reasons
 *     ("RAFT NO LEADER", "ALARM NOSPACE"; etcd-io/etcd
 *     server/etcdserver/api/etcdhttp/metrics.go), Consul's "No cluster
 *     leader" (agent/consul/rpc.go structs.ErrNoLeader), ZooKeeper's
 *     "This ZooKeeper instance is not currently serving requests"
 *     (NIOServerCnxn ZK_NOT_SERVING).
 */
#include "config.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "quorumscope.h"

/* Longest command kept from a prompt line, and longest header looked at. */
#define PROBE_COMMAND_MAX	512
#define PROBE_HEADER_MAX	128

static const char *const probe_down_texts[] = {
	"connection refused", "no route to host", "network is unreachable",
	"host is unreachable", "timed out: operation now in progress",
	"connection timed out", "i/o timeout", "transientfailure",
	"connection error", "failed to connect", "no such host",
	"connection reset", "connection closed",
	"waiting for connections to become ready",
	"error contacting service", "ncat: timeout", "name or service not known",
	"temporary failure in name resolution", "could not resolve host",
	"failed to connect to", "couldn't connect to server", NULL
};

static const char *const probe_not_serving_texts[] = {
	"not currently serving requests", "no leader", "no cluster leader",
	"request timed out", "alarm nospace", "alarm corrupt",
	"active alarm(s)", "nospace", "leader changed", NULL
};

static int
probe_has(const char *text, const char *const *needles)
{
	size_t	i;

	for (i = 0; needles[i] != NULL; i++)
		if (strcasestr(text, needles[i]) != NULL)
			return 1;
	return 0;
}

/*
 * What an error text says of the process it was meant for: PROBE_DOWN
 * (no answer), PROBE_NOT_SERVING (it answered that it cannot serve), or
 * -1 when the text does not tell (a bare "context deadline exceeded" is
 * either: etcd answers a proposal that cannot commit with silence too).
 * Not-serving wins: "etcdserver: no leader" is an answer even when the
 * same text also mentions a timeout.
 */
int
qs_probe_error_kind(const char *text)
{
	if (text == NULL)
		return -1;
	if (probe_has(text, probe_not_serving_texts))
		return QS_SIG_PROBE_NOT_SERVING;
	if (probe_has(text, probe_down_texts))
		return QS_SIG_PROBE_DOWN;
	return -1;
}

static int
probe_month(const char *s)
{
	static const char	months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	int			i;

	for (i = 0; i < 12; i++)
		if (strncmp(s, months + 3 * i, 3) == 0)
			return i + 1;
	return 0;
}

static int
probe_number(const char **p, const char *end, int digits_max)
{
	int	v = 0, n = 0;

	while (*p < end && **p == ' ')
		(*p)++;
	while (*p < end && isdigit((unsigned char)**p) && n < digits_max) {
		v = v * 10 + (**p - '0');
		(*p)++;
		n++;
	}
	return n == 0 ? -1 : v;
}

/*
 * date(1)'s default output, "Mon Dec  7 17:56:20 UTC 2026", and RFC 5322
 * (date -R), "Mon, 07 Dec 2026 17:56:20 +0000".  A zone other than
 * UTC, GMT or a numeric offset leaves the time zone-less.
 */
static int
probe_date(const char *s, size_t n, struct qs_time *t)
{
	const char	*p = s, *end = s + n;
	int		 y = -1, mo, d, h, mi, sec, rfc, off = 0, known = 0;
	int64_t		 ms;

	memset(t, 0, sizeof(*t));
	if (n < 20 || !isalpha((unsigned char)s[0]) ||
	    !isalpha((unsigned char)s[1]) || !isalpha((unsigned char)s[2]))
		return -1;
	p += 3;
	rfc = p < end && *p == ',';
	if (rfc)
		p++;
	if (p >= end || *p != ' ')
		return -1;
	p++;
	if (rfc) {
		if ((d = probe_number(&p, end, 2)) < 0 || end - p < 5 ||
		    *p++ != ' ' || (mo = probe_month(p)) == 0)
			return -1;
		p += 3;
		if ((y = probe_number(&p, end, 4)) < 0)
			return -1;
	} else {
		if (end - p < 4 || (mo = probe_month(p)) == 0)
			return -1;
		p += 3;
		if ((d = probe_number(&p, end, 2)) < 0)
			return -1;
	}
	if ((h = probe_number(&p, end, 2)) < 0 || p >= end || *p++ != ':' ||
	    (mi = probe_number(&p, end, 2)) < 0 || p >= end || *p++ != ':' ||
	    (sec = probe_number(&p, end, 2)) < 0)
		return -1;
	while (p < end && *p == ' ')
		p++;
	if (p < end && (*p == '+' || *p == '-') && end - p >= 5 &&
	    isdigit((unsigned char)p[1])) {
		int	sign = *p == '-' ? -1 : 1, hhmm;

		p++;
		if ((hhmm = probe_number(&p, end, 4)) < 0)
			return -1;
		off = sign * ((hhmm / 100) * 60 + hhmm % 100);
		known = 1;
	} else if (p < end && isalpha((unsigned char)*p)) {
		const char	*z = p;

		while (p < end && isalpha((unsigned char)*p))
			p++;
		if ((p - z == 3 && (strncmp(z, "UTC", 3) == 0 ||
		    strncmp(z, "GMT", 3) == 0)) || (p - z == 1 && *z == 'Z'))
			known = 1;
	}
	if (!rfc && (y = probe_number(&p, end, 4)) < 0)
		return -1;
	while (p < end && *p == ' ')
		p++;
	if (p != end)
		return -1;
	if (qs_time_from_civil(y, mo, d, h, mi, sec, 0, &ms) != 0)
		return -1;
	t->set = 1;
	t->zone_known = known;
	t->ms = ms - (int64_t)off * 60000;
	return 0;
}

/*
 * A line that is only a time, perhaps framed ("=== ... ===", "# ...",
 * "[...]") or labelled ("Collected at ...", "date: ...").
 */
int
qs_probe_time_line(const char *s, size_t n, struct qs_time *t)
{
	static const char *const labels[] = {
		"collected at", "collected on", "collected", "collection time",
		"date", "time", "timestamp", "generated at", "run at", NULL
	};
	const char	*end;
	size_t		 i, l;
	int		 used;

	while (n > 0 && strchr("#=-*[ \t", *s) != NULL) {
		s++;
		n--;
	}
	while (n > 0 && strchr("#=-*] \t\r", s[n - 1]) != NULL)
		n--;
	if (n == 0 || n > PROBE_HEADER_MAX)
		return -1;
	for (i = 0; labels[i] != NULL; i++) {
		l = strlen(labels[i]);
		if (n > l && strncasecmp(s, labels[i], l) == 0 &&
		    (s[l] == ':' || s[l] == ' ' || s[l] == '=')) {
			s += l;
			n -= l;
			while (n > 0 && (*s == ':' || *s == ' ' || *s == '=')) {
				s++;
				n--;
			}
			break;
		}
	}
	if (probe_date(s, n, t) == 0)
		return 0;
	if ((used = qs_time_parse_iso(s, n, t)) < 0 &&
	    (used = qs_time_parse_golog(s, n, t)) < 0)
		return -1;
	end = s + used;
	while (end < s + n && *end == ' ')
		end++;
	/* "2024-05-01 12:00:00 UTC": a zone word after a zone-less time. */
	if (s + n - end == 3 && !t->zone_known && (strncmp(end, "UTC", 3) ==
	    0 || strncmp(end, "GMT", 3) == 0)) {
		t->zone_known = 1;
		end += 3;
	}
	if (end != s + n) {
		memset(t, 0, sizeof(*t));
		return -1;
	}
	return 0;
}

/*
 * A shell prompt with a command after it: "$ cmd", "# cmd",
 * "user@host:~$ cmd", "[root@host dir]# cmd", "sh-4.4# cmd",
 * "bash-5.1$ cmd", "> cmd" is not (a continuation).  Returns the offset
 * of the command, or 0 when the line is not one.  "# words" is only a
 * prompt when its first word looks like a program (a path, a known
 * client, or VAR=value before one), so comments stay comments.
 */
size_t
qs_probe_prompt(const char *s, size_t n)
{
	static const char *const programs[] = {
		"etcdctl", "echo", "nc", "ncat", "netcat", "consul", "curl",
		"zkServer.sh", "zkCli.sh", "kubectl", "oc", "sudo", "docker",
		"printf", "timeout", "exec", "ssh", "sh", "bash", "date",
		"ETCDCTL_API=", "telnet", "wget", NULL
	};
	size_t	i = 0, cmd, k, l;

	/* An optional user@host:dir, [user@host dir] or sh-4.4 before it. */
	if (n > 0 && s[0] == '[') {
		while (i < n && s[i] != ']')
			i++;
		if (i == n)
			return 0;
		i++;
	} else
		while (i < n && s[i] != ' ' && s[i] != '$' && s[i] != '#')
			i++;
	if (i >= n || (s[i] != '$' && s[i] != '#') || i + 1 >= n ||
	    s[i + 1] != ' ')
		return 0;
	if (i > 0 && s[0] != '[' && memchr(s, '@', i) == NULL &&
	    !(i > 3 && (strncmp(s, "sh-", 3) == 0 ||
	    strncmp(s, "bash-", 5) == 0)))
		return 0;
	cmd = i + 2;
	while (cmd < n && s[cmd] == ' ')
		cmd++;
	if (cmd >= n)
		return 0;
	if (i > 0 || s[0] == '$')
		return cmd;
	/* A bare "# ": the first word decides. */
	if (s[cmd] == '/' || (s[cmd] == '.' && cmd + 1 < n &&
	    s[cmd + 1] == '/'))
		return cmd;
	for (k = 0; programs[k] != NULL; k++) {
		l = strlen(programs[k]);
		if (n - cmd >= l && strncmp(s + cmd, programs[k], l) == 0 &&
		    (programs[k][l - 1] == '=' || n - cmd == l ||
		    s[cmd + l] == ' '))
			return cmd;
	}
	return 0;
}

/*
 * A header or prompt line, consumed: the time of a timestamp header is
 * kept for the probes that follow, a prompt's command too (the probe's
 * target may be in it).  Returns 1 when the line was one of them.
 */
int
qs_probe_line(struct qs_parse_ctx *ctx, struct qs_probe *p, const char *s,
    size_t n, uint64_t lineno)
{
	struct qs_time	t;
	size_t		cmd;

	while (n > 0 && (s[n - 1] == '\r' || s[n - 1] == ' '))
		n--;
	if (qs_probe_time_line(s, n, &t) == 0) {
		p->time = t;
		return 1;
	}
	if ((cmd = qs_probe_prompt(s, n)) > 0) {
		n -= cmd;
		if (n > PROBE_COMMAND_MAX)
			n = PROBE_COMMAND_MAX;
		p->command = qs_pstrndup(ctx, s + cmd, n);
		p->command_line = lineno;
		return 1;
	}
	return 0;
}

/*
 * The host:port a command was aimed at: etcdctl's --endpoints (first
 * URL), consul's -http-addr, or the two words after nc, ncat, netcat or
 * telnet ("echo srvr | nc -w 2 zk2 2181").  NULL when it names none.
 */
const char *
qs_probe_target(struct qs_parse_ctx *ctx, const char *command)
{
	static const char *const flags[] = {
		"--endpoints=", "--endpoints ", "-http-addr=", "-http-addr ",
		"--http-addr=", NULL
	};
	static const char *const clients[] = {
		"nc", "ncat", "netcat", "telnet", NULL
	};
	const char	*p, *e, *word[2] = { NULL, NULL };
	size_t		 i, len, wlen[2] = { 0, 0 }, nw = 0;
	int		 after = 0, skip = 0;

	if (command == NULL)
		return NULL;
	for (i = 0; flags[i] != NULL; i++)
		if ((p = strstr(command, flags[i])) != NULL) {
			p += strlen(flags[i]);
			if (*p == '"' || *p == '\'')
				p++;
			e = p + strcspn(p, ", \t\"'");
			return e > p ? qs_pstrndup(ctx, p, (size_t)(e - p)) :
			    NULL;
		}
	/* curl and wget: the URL. */
	if ((p = strstr(command, "://")) != NULL) {
		while (p > command && p[-1] != ' ' && p[-1] != '"' &&
		    p[-1] != '\'')
			p--;
		e = p + strcspn(p, " \t\"'");
		return qs_pstrndup(ctx, p, (size_t)(e - p));
	}
	for (p = command; *p != '\0' && nw < 2; p = e) {
		p += strspn(p, " \t");
		if (*p == '\0')
			break;
		if (strchr("|;&<>", *p) != NULL) {
			if (after)
				break;
			e = p + 1;
			continue;
		}
		e = p + strcspn(p, " \t|;&<>");
		len = (size_t)(e - p);
		if (!after) {
			const char	*base = p, *slash;

			while ((slash = memchr(base, '/', (size_t)(e - base))) !=
			    NULL)
				base = slash + 1;
			for (i = 0; clients[i] != NULL; i++)
				if ((size_t)(e - base) == strlen(clients[i]) &&
				    strncmp(base, clients[i], strlen(clients[i])) ==
				    0)
					after = 1;
			continue;
		}
		if (skip) {
			skip = 0;
			continue;
		}
		if (*p == '-') {
			/* Options; -w, -q, -i and -W take a value. */
			skip = len == 2 && strchr("wqiW", p[1]) != NULL;
			continue;
		}
		word[nw] = p;
		wlen[nw++] = len;
	}
	if (nw < 2 || wlen[1] > 5 || strspn(word[1], "0123456789") < wlen[1])
		return NULL;
	return qs_arena_printf(&ctx->run->arena, "%.*s:%.*s", (int)wlen[0],
	    word[0], (int)wlen[1], word[1]);
}

/*
 * Is the target the machine the collector ran on?  Then the probe is of
 * the observer itself and its subject is NULL.
 */
int
qs_probe_target_is_local(const char *target)
{
	static const char *const locals[] = {
		"localhost", "127.0.0.1", "[::1]", "::1", "0.0.0.0", NULL
	};
	const char	*p;
	size_t		 i, l;

	if (target == NULL)
		return 1;
	if ((p = strstr(target, "://")) != NULL)
		p += 3;
	else
		p = target;
	/* Only the loopback names: a bundle may give each node a 127.x. */
	for (i = 0; locals[i] != NULL; i++) {
		l = strlen(locals[i]);
		if (strncmp(p, locals[i], l) == 0 && (p[l] == '\0' ||
		    p[l] == ':' || p[l] == '/'))
			return 1;
	}
	return 0;
}

/* One probe signal, its time that of the last header when there was one. */
struct qs_signal *
qs_probe_emit(struct qs_parse_ctx *ctx, const struct qs_probe *p,
    enum qs_signal_kind kind, const char *subject, const char *detail,
    const struct qs_evidence *ev)
{
	struct qs_signal	*s = qs_emit_signal(ctx, kind, subject, ev);

	if (p != NULL)
		s->time = p->time;
	if (detail != NULL)
		s->detail = qs_pstrndup(ctx, detail, strnlen(detail, 200));
	return s;
}
