/*
 * The wrappers a log line arrives in, peeled once for the Consul, etcd
 * and ZooKeeper log parsers: the program's own line comes out, with the
 * best time a wrapper gave and the host, unit, pid or container the
 * wrapper names (several hosts in one file are told apart by these).
 *
 * Shapes, peeled outside in, any stack of them up to QS_LOGLINE_WRAP_MAX:
 *  - syslog priority "<30>" (RFC 3164 on the wire, rsyslog's %PRI%);
 *  - RFC 5424 "<PRI>1 TIMESTAMP HOST APP PROCID MSGID SD MSG" (RFC 5424
 *    section 6; "-" for a nil field, structured data "[...]" or "-",
 *    an optional UTF-8 BOM before MSG);
 *  - RFC 3164 and journald "short" / "short-precise": "Mar  3 10:12:01
 *    host tag[pid]: " (journald pads the day with 0, syslogd with a
 *    blank; short-precise adds ".123456"), with the year before the
 *    time in some relays ("Mar  3 2024 10:12:01 host tag: "), without
 *    the host when a local syslogd wrote it ("Mar  3 10:12:01
 *    tag[pid]: ").  A time without a year is not used;
 *  - journald "short-iso" / "short-iso-precise" and rsyslog's file
 *    format: "2024-03-03T10:12:01+0000 host tag[pid]: ";
 *  - docker json-file: {"log":"...\n","stream":"stderr","time":"..."}
 *    (moby daemon/logger/jsonfilelog; the log string unescaped);
 *  - CRI (kubelet's container log files, cri-api's logging format):
 *    "2024-03-03T10:12:01.123456789Z stderr F msg" (P for a partial
 *    line, kept as a line);
 *  - docker compose prefixes: "name-1  | " (compose v2), "name_1  | "
 *    (docker-compose v1), padded to the widest name, ANSI colours
 *    allowed around them;
 *  - kubectl logs --prefix "[pod/name/container] ";
 *  - docker logs -t, kubectl logs --timestamps: "<RFC3339Nano> msg";
 *  - a zoned stamp glued to the message without a blank, as some
 *    platforms' log viewers paste them.
 * A leading RFC 3339 stamp is a wrapper only when it has a zone and is
 * not the program's own: hclog writes its own zoned time followed by
 * " [LEVEL]" (hashicorp/go-hclog intlogger.go), zap's console encoder a
 * tab; log4j/logback (ZooKeeper), capnslog (etcd) and Go's log write
 * times without a zone, which are never taken for wrappers.  Lines with
 * no wrapper and no time of their own (journalctl -o cat) come out as
 * they are; the parser keeps them untimed, in file order.
 *
 * The best time: a wrapper time with a zone over one without; among
 * equals, the innermost (the closest to the program).
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "quorumscope.h"
#include "wire-logline.h"

#define LOGLINE_JSON_MIN	128	/* first size of the unescape buffer */

static const char *const logline_months[] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
	"Nov", "Dec"
};

static int
logline_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* The first needle in s (n bytes), or NULL. */
static const char *
logline_find(const char *s, size_t n, const char *needle)
{
	size_t		 k = strlen(needle);
	const char	*p, *end = s + n;

	for (p = s; (size_t)(end - p) >= k &&
	    (p = memchr(p, needle[0], (size_t)(end - p) - k + 1))
	    != NULL; p++)
		if (memcmp(p, needle, k) == 0)
			return p;
	return NULL;
}

/* Keeps t as the line's wrapper time when it is better than the last. */
static void
logline_take_time(struct qs_logline *ll, const struct qs_time *t)
{
	if (!t->set)
		return;
	if (!ll->time.set || t->zone_known || !ll->time.zone_known)
		ll->time = *t;
}

/* ANSI colour sequences ("\x1b[36m") at s: their length. */
static size_t
logline_ansi(const char *s, size_t n)
{
	size_t	i = 0, k;

	while (i + 2 < n && s[i] == 0x1b && s[i + 1] == '[') {
		for (k = i + 2; k < n && (logline_digit(s[k]) || s[k] == ';');
		    k++)
			;
		if (k >= n || s[k] != 'm')
			break;
		i = k + 1;
	}
	return i;
}

/*
 * "host tag[pid]: ", "host tag: ", "tag[pid]: " (unless need_host) at s
 * (after a syslog or journald time and its blank): the length, or 0.
 * OUT: host, unit, pid.
 */
static size_t
logline_host_tag(struct qs_logline *ll, const char *s, size_t n,
    int need_host)
{
	const char	*host = NULL, *tag;
	size_t		 i = 0, k, hostlen = 0, taglen;
	uint64_t	 pid = 0;

	for (k = i; i < n && s[i] != ' ' && s[i] != ':' && s[i] != '['; i++)
		;
	if (i == k || i >= n)
		return 0;
	if (s[i] == ' ') {
		host = s + k;
		hostlen = i - k;
		i++;
		for (k = i; i < n && s[i] != ' ' && s[i] != ':' && s[i] != '[';
		    i++)
			;
		if (i == k || i >= n || s[i] == ' ')
			return 0;
	} else if (need_host)
		return 0;
	tag = s + k;
	taglen = i - k;
	if (s[i] == '[') {
		for (i++, k = i; i < n && logline_digit(s[i]); i++)
			if (pid < UINT64_MAX / 10)
				pid = pid * 10 + (uint64_t)(s[i] - '0');
		if (i == k || i >= n || s[i] != ']')
			return 0;
		i++;
	}
	if (i >= n || s[i] != ':')
		return 0;
	i++;
	if (i < n && s[i] == ' ')
		i++;
	else if (i < n)
		return 0;
	ll->host = host;
	ll->hostlen = hostlen;
	ll->unit = tag;
	ll->unitlen = taglen;
	ll->pid = pid;
	/* The kernel's ring buffer shares the journal and syslog files. */
	ll->foreign = taglen == 6 && memcmp(tag, "kernel", 6) == 0;
	return i;
}

/*
 * "Mar  3 10:12:01[.123456] ", "Mar 03 2024 10:12:01 ": the length of
 * the time and its blank, or 0.  OUT: *t set only when a year was given.
 */
static size_t
logline_bsd_time(const char *s, size_t n, struct qs_time *t)
{
	size_t	i, k;
	int	m, day = 0, year = -1, h, mi, sec, ms = 0;

	memset(t, 0, sizeof(*t));
	if (n < 16 || s[3] != ' ')
		return 0;
	for (m = 0; m < 12; m++)
		if (memcmp(s, logline_months[m], 3) == 0)
			break;
	if (m == 12)
		return 0;
	i = 4;
	if (s[i] == ' ')
		i++;
	for (k = 0; i < n && logline_digit(s[i]) && k < 2; i++, k++)
		day = day * 10 + (s[i] - '0');
	if (k == 0 || i >= n || s[i] != ' ')
		return 0;
	i++;
	if (i + 5 <= n && logline_digit(s[i]) && logline_digit(s[i + 1]) &&
	    logline_digit(s[i + 2]) && logline_digit(s[i + 3]) &&
	    s[i + 4] == ' ') {
		year = (s[i] - '0') * 1000 + (s[i + 1] - '0') * 100 +
		    (s[i + 2] - '0') * 10 + (s[i + 3] - '0');
		i += 5;
	}
	if (i + 8 >= n)
		return 0;
	for (k = 0; k < 8; k++)
		if (k == 2 || k == 5 ? s[i + k] != ':' :
		    !logline_digit(s[i + k]))
			return 0;
	h = (s[i] - '0') * 10 + (s[i + 1] - '0');
	mi = (s[i + 3] - '0') * 10 + (s[i + 4] - '0');
	sec = (s[i + 6] - '0') * 10 + (s[i + 7] - '0');
	i += 8;
	if (i < n && s[i] == '.') {
		for (i++, k = 0; i < n && logline_digit(s[i]); i++, k++)
			if (k < 3)
				ms = ms * 10 + (s[i] - '0');
		for (; k < 3; k++)
			ms *= 10;
	}
	if (i >= n || s[i] != ' ')
		return 0;
	if (year >= 0 && qs_time_from_civil(year, m + 1, day, h, mi, sec, ms,
	    &t->ms) == 0)
		t->set = 1;
	return i + 1;
}

/* One RFC 5424 header field and its blank: the length, or 0. */
static size_t
logline_field(const char *s, size_t n, const char **f, size_t *flen)
{
	size_t	i;

	for (i = 0; i < n && s[i] != ' '; i++)
		;
	if (i == 0 || i >= n)
		return 0;
	*f = i == 1 && s[0] == '-' ? NULL : s;
	*flen = *f == NULL ? 0 : i;
	return i + 1;
}

/* "1 TIME HOST APP PROCID MSGID SD [BOM]" after "<PRI>": length or 0. */
static size_t
logline_rfc5424(struct qs_logline *ll, const char *s, size_t n)
{
	struct qs_time	 t;
	const char	*f, *host, *app;
	size_t		 i = 2, k, hostlen, applen, flen;
	int		 used;
	uint64_t	 pid = 0;

	if (n < 12 || s[0] != '1' || s[1] != ' ')
		return 0;
	memset(&t, 0, sizeof(t));
	if (s[i] == '-' && s[i + 1] == ' ')
		i += 2;
	else if ((used = qs_time_parse_iso(s + i, n - i, &t)) > 0 &&
	    i + (size_t)used < n && s[i + (size_t)used] == ' ')
		i += (size_t)used + 1;
	else
		return 0;
	if ((k = logline_field(s + i, n - i, &host, &hostlen)) == 0)
		return 0;
	i += k;
	if ((k = logline_field(s + i, n - i, &app, &applen)) == 0)
		return 0;
	i += k;
	if ((k = logline_field(s + i, n - i, &f, &flen)) == 0)
		return 0;
	for (; flen > 0 && logline_digit(*f); f++, flen--)
		if (pid < UINT64_MAX / 10)
			pid = pid * 10 + (uint64_t)(*f - '0');
	i += k;
	if ((k = logline_field(s + i, n - i, &f, &flen)) == 0)
		return 0;
	i += k;
	/* Structured data: "-" or one or more "[id k="v" ...]". */
	if (i < n && s[i] == '-')
		i++;
	else if (i < n && s[i] == '[') {
		while (i < n && s[i] == '[') {
			for (i++; i < n && s[i] != ']'; i++)
				if (s[i] == '\\' && i + 1 < n)
					i++;
			if (i >= n)
				return 0;
			i++;
		}
	} else
		return 0;
	if (i < n && s[i] == ' ')
		i++;
	if (n - i >= 3 && memcmp(s + i, "\xef\xbb\xbf", 3) == 0)
		i += 3;
	logline_take_time(ll, &t);
	ll->host = host;
	ll->hostlen = hostlen;
	ll->unit = app;
	ll->unitlen = applen;
	ll->pid = pid;
	ll->wrappers |= QS_WRAP_RFC5424;
	return i;
}

/*
 * "name-1  | ", "name_1 | " (compose), with ANSI colours around the
 * name and the bar: the length, or 0.  A capnslog level ("I | ") is
 * one letter and never a service name.
 */
static size_t
logline_compose(struct qs_logline *ll, const char *s, size_t n)
{
	size_t	i, k, b;

	i = logline_ansi(s, n);
	for (k = i; i < n && ((s[i] >= 'a' && s[i] <= 'z') ||
	    (s[i] >= 'A' && s[i] <= 'Z') || logline_digit(s[i]) ||
	    s[i] == '-' || s[i] == '_' || s[i] == '.'); i++)
		;
	if (i - k < 2 || i >= n)
		return 0;
	b = i;
	i += logline_ansi(s + i, n - i);
	if (i >= n || s[i] != ' ')
		return 0;
	while (i < n && s[i] == ' ')
		i++;
	if (i >= n || s[i] != '|')
		return 0;
	i++;
	i += logline_ansi(s + i, n - i);
	if (i < n && s[i] != ' ')
		return 0;
	if (i < n)
		i++;
	ll->container = s + k;
	ll->containerlen = b - k;
	ll->wrappers |= QS_WRAP_COMPOSE;
	return i;
}

/* kubectl logs --prefix "[pod/name/container] ": the length, or 0. */
static size_t
logline_kube_prefix(struct qs_logline *ll, const char *s, size_t n)
{
	const char	*end, *slash;

	if (n < 8 || memcmp(s, "[pod/", 5) != 0)
		return 0;
	if ((end = memchr(s, ']', n)) == NULL || (size_t)(end - s) + 1 >= n ||
	    end[1] != ' ')
		return 0;
	for (slash = end; slash > s + 5 && slash[-1] != '/'; slash--)
		;
	if (slash <= s + 5)
		return 0;
	ll->container = s + 5;
	ll->containerlen = (size_t)(slash - 1 - (s + 5));
	ll->wrappers |= QS_WRAP_KUBE_PREFIX;
	return (size_t)(end - s) + 2;
}

/* A JSON string's text at s (after its quote) into ll->buf: 0 or -1. */
static int
logline_json_string(struct qs_logline *ll, const char *s, size_t n,
    size_t *used, size_t *outlen)
{
	size_t		 i, o = 0;
	unsigned	 cp;
	int		 k;

	if (ll->bufsize < n + 1) {
		ll->bufsize = n + 1 > LOGLINE_JSON_MIN ? n + 1 :
		    LOGLINE_JSON_MIN;
		free(ll->buf);
		ll->buf = qs_xmalloc(ll->bufsize);
	}
	for (i = 0; i < n && s[i] != '"'; i++) {
		if (s[i] != '\\') {
			ll->buf[o++] = s[i];
			continue;
		}
		if (++i >= n)
			return -1;
		switch (s[i]) {
		case 'n':
			ll->buf[o++] = '\n';
			break;
		case 't':
			ll->buf[o++] = '\t';
			break;
		case 'r':
			ll->buf[o++] = '\r';
			break;
		case 'b':
		case 'f':
			ll->buf[o++] = ' ';
			break;
		case 'u':
			if (i + 4 >= n)
				return -1;
			for (cp = 0, k = 1; k <= 4; k++) {
				char	c = s[i + (size_t)k];

				cp <<= 4;
				if (logline_digit(c))
					cp |= (unsigned)(c - '0');
				else if (c >= 'a' && c <= 'f')
					cp |= (unsigned)(c - 'a' + 10);
				else if (c >= 'A' && c <= 'F')
					cp |= (unsigned)(c - 'A' + 10);
				else
					return -1;
			}
			i += 4;
			/* Six escaped bytes always hold the UTF-8 of one. */
			if (cp < 0x80)
				ll->buf[o++] = (char)cp;
			else if (cp < 0x800) {
				ll->buf[o++] = (char)(0xc0 | (cp >> 6));
				ll->buf[o++] = (char)(0x80 | (cp & 0x3f));
			} else {
				ll->buf[o++] = (char)(0xe0 | (cp >> 12));
				ll->buf[o++] = (char)(0x80 | ((cp >> 6) &
				    0x3f));
				ll->buf[o++] = (char)(0x80 | (cp & 0x3f));
			}
			break;
		default:
			ll->buf[o++] = s[i];
			break;
		}
	}
	if (i >= n)
		return -1;
	ll->buf[o] = '\0';
	*used = i + 1;
	*outlen = o;
	return 0;
}

/*
 * A docker json-file object: its "log" unescaped into ll->buf, its
 * "time" kept.  1 when it was one (*msg, *len set), else 0.  The log
 * string is read once per line, so a nested json-file object (a log
 * about logs) is left as its message.
 */
static int
logline_json_file(struct qs_logline *ll, const char *s, size_t n,
    const char **msg, size_t *len)
{
	const char	*p, *end = s + n, *tp;
	struct qs_time	 t;
	size_t		 used, olen;

	size_t		 i;

	if (n < 9 || (ll->wrappers & QS_WRAP_JSON_FILE))
		return 0;
	/* {"log":"  (blanks allowed where JSON allows them) */
	for (i = 1; i < n && s[i] == ' '; i++)
		;
	if (n - i < 6 || memcmp(s + i, "\"log\"", 5) != 0)
		return 0;
	for (i += 5; i < n && s[i] == ' '; i++)
		;
	if (i >= n || s[i++] != ':')
		return 0;
	for (; i < n && s[i] == ' '; i++)
		;
	if (i >= n || s[i++] != '"')
		return 0;
	if (logline_json_string(ll, s + i, n - i, &used, &olen) != 0)
		return 0;
	p = s + i + used;
	if ((tp = logline_find(p, (size_t)(end - p), "\"time\":")) != NULL) {
		for (tp += 7; tp < end && (*tp == ' ' || *tp == '"'); tp++)
			;
		if (qs_time_parse_iso(tp, (size_t)(end - tp), &t) > 0)
			logline_take_time(ll, &t);
	}
	while (olen > 0 && (ll->buf[olen - 1] == '\n' ||
	    ll->buf[olen - 1] == '\r'))
		olen--;
	ll->wrappers |= QS_WRAP_JSON_FILE;
	*msg = ll->buf;
	*len = olen;
	return 1;
}

/*
 * A leading zoned RFC 3339 stamp that is a wrapper's: journald
 * short-iso with its host and tag, CRI with its stream and tag, docker
 * -t / kubectl --timestamps with a blank, or glued.  Its length, or 0.
 */
static size_t
logline_stamp(struct qs_logline *ll, const char *s, size_t n)
{
	struct qs_time	 t;
	size_t		 k, m, i;
	int		 used;

	if (n < 20 || !logline_digit(s[0]) || s[4] != '-' ||
	    (used = qs_time_parse_iso(s, n, &t)) <= 0 || !t.zone_known)
		return 0;
	k = (size_t)used;
	if (k >= n)
		return 0;
	if (s[k] != ' ') {
		if (s[k] == '\t')
			return 0;	/* zap's console encoder */
		logline_take_time(ll, &t);
		ll->wrappers |= QS_WRAP_GLUED;
		return k;
	}
	/* hclog's own time: " [LEVEL]" follows (padded to 7). */
	for (i = k; i < n && s[i] == ' '; i++)
		;
	if (i + 2 < n && s[i] == '[' && s[i + 1] >= 'A' && s[i + 1] <= 'Z') {
		for (m = i + 1; m < n && s[m] >= 'A' && s[m] <= 'Z'; m++)
			;
		if (m < n && s[m] == ']' && m - i - 1 <= 7)
			return 0;
	}
	k++;
	if (n - k >= 9 && (memcmp(s + k, "stdout ", 7) == 0 ||
	    memcmp(s + k, "stderr ", 7) == 0) && (s[k + 7] == 'F' ||
	    s[k + 7] == 'P') && s[k + 8] == ' ') {
		logline_take_time(ll, &t);
		ll->wrappers |= QS_WRAP_CRI;
		return k + 9;
	}
	if ((m = logline_host_tag(ll, s + k, n - k, 1)) > 0) {
		logline_take_time(ll, &t);
		ll->wrappers |= QS_WRAP_ISO_HOST;
		return k + m;
	}
	logline_take_time(ll, &t);
	ll->wrappers |= QS_WRAP_STAMP;
	return k;
}

/* One wrapper at s: its length (the message follows), or 0. */
static size_t
logline_one(struct qs_logline *ll, const char **sp, size_t *np)
{
	const char	*s = *sp;
	size_t		 n = *np, k, m;
	struct qs_time	 t;

	if (n == 0)
		return 0;
	if (s[0] == '<') {
		for (k = 1; k < n && k <= 4 && logline_digit(s[k]); k++)
			;
		if (k == 1 || k >= n || s[k] != '>')
			return 0;
		ll->wrappers |= QS_WRAP_PRI;
		if ((m = logline_rfc5424(ll, s + k + 1, n - k - 1)) > 0)
			return k + 1 + m;
		return k + 1;
	}
	if (s[0] == '{')
		return logline_json_file(ll, s, n, sp, np) ? (size_t)-1 : 0;
	if (s[0] == '[')
		return logline_kube_prefix(ll, s, n);
	if (logline_digit(s[0]))
		return logline_stamp(ll, s, n);
	if (s[0] >= 'A' && s[0] <= 'S' && (k = logline_bsd_time(s, n, &t)) > 0 &&
	    (m = logline_host_tag(ll, s + k, n - k, 0)) > 0) {
		logline_take_time(ll, &t);
		ll->wrappers |= QS_WRAP_SYSLOG;
		return k + m;
	}
	return logline_compose(ll, s, n);
}

void
qs_logline_init(struct qs_logline *ll)
{
	memset(ll, 0, sizeof(*ll));
}

void
qs_logline_free(struct qs_logline *ll)
{
	free(ll->buf);
	ll->buf = NULL;
	ll->bufsize = 0;
}

void
qs_logline_peel(struct qs_logline *ll, const char *s, size_t n)
{
	size_t	i, k;

	ll->host = ll->unit = ll->container = NULL;
	ll->hostlen = ll->unitlen = ll->containerlen = 0;
	ll->pid = 0;
	ll->wrappers = 0;
	ll->foreign = 0;
	memset(&ll->time, 0, sizeof(ll->time));
	while (n > 0 && (s[n - 1] == '\r' || s[n - 1] == '\n'))
		n--;
	for (i = 0; i < QS_LOGLINE_WRAP_MAX; i++) {
		if ((k = logline_one(ll, &s, &n)) == 0)
			break;
		if (k != (size_t)-1) {	/* else s and n are the JSON's log */
			s += k;
			n -= k;
		}
	}
	ll->msg = s;
	ll->len = n;
}

struct qs_time
qs_logline_time(struct qs_parse_ctx *ctx, const struct qs_logline *ll,
    const struct qs_time *own, uint64_t lineno)
{
	struct qs_time	t;

	if (own != NULL && own->set)
		t = *own;
	else
		t = ll->time;
	qs_artifact_time(ctx, &t, lineno);
	return t;
}

/*
 * The speaker string is kept while lines repeat it (the usual case: a
 * whole block of one container's or host's lines), so a large file
 * costs one copy per change of speaker, not one per line.  A change
 * marks the artifact as written by several.
 */
const char *
qs_parse_speaker(struct qs_parse_ctx *ctx, const char *p, size_t n)
{
	const char	*prev = ctx->speaker;

	if (p == NULL || n == 0)
		return ctx->speaker = NULL;
	if (prev != NULL && strncmp(prev, p, n) == 0 && prev[n] == '\0')
		return prev;
	if (prev != NULL && ctx->artifact != NULL)
		ctx->artifact->many_speakers = 1;
	return ctx->speaker = qs_arena_strndup(&ctx->run->arena, p, n);
}

const char *
qs_logline_speaker(struct qs_parse_ctx *ctx, const struct qs_logline *ll)
{
	if (ll->hostlen > 0)
		return qs_parse_speaker(ctx, ll->host, ll->hostlen);
	if (ll->containerlen > 0)
		return qs_parse_speaker(ctx, ll->container, ll->containerlen);
	/* An unwrapped line keeps the speaker of the lines around it. */
	return ctx->speaker;
}
