/*
 * serf/local.snapshot (LAN pool) and serf/remote.snapshot (WAN pool, Consul
 * servers only): serf's membership journal (formats.md 4).
 *
 * Upstream: hashicorp/serf serf/snapshot.go (the snapshotter that appends
 * the lines and replays them at start; v0.7.0 to HEAD).  Lines, one per
 * record, '\n'-terminated:
 *   alive: <name> <ip:port>   member joined (name may hold spaces: the
 *                             address is after the last space; IPv6 as
 *                             [fe80::1]:8301)
 *   not-alive: <name>         member left or failed (serf does not say)
 *   clock: / event-clock: / query-clock: <n>   Lamport clocks
 *   coordinate: <json>        serf 0.7.0 to 0.8.1 only; ignored
 *   leave                     this agent left gracefully
 *   # ...                     comments
 * A leftover <name>.compact is a compaction the agent did not finish.
 *
 * Replayed in order, it gives: a join event per alive line and a leave
 * event per not-alive line (subject = the member, Lamport clock = the
 * last clock line before it), a leave event and a graceful-leave signal
 * for the agent's own leave, the member's address as an identity when
 * first seen or changed, and at the end one gossip view with every member
 * ever seen (alive at the end, or left), plus settings serf.clock,
 * serf.event_clock, serf.query_clock (last values) and serf.left_last
 * ("true" when the last recognised record is the agent's own leave).
 *
 * Known limits: the view keeps members as they were before a trailing
 * leave; whether serf clears them on restart depends on
 * rejoin_after_leave, which the snapshot does not hold (rules combine it
 * with the agent's configuration).  History older than the last
 * compaction is gone, and the order of a compacted prefix means nothing.
 * A final line without a newline is a torn write and is ignored, as serf
 * does.  Lines over 64 KiB are skipped.
 */
#include "config.h"

#include <string.h>

#include "quorumscope.h"

#define SERF_LINE_MAX		(64 * 1024)
/* Events and identities one snapshot may add before we stop reading. */
#define SERF_MAX_OBS		1000000
/* Unrecognised lines named one by one before a summary. */
#define SERF_MAX_COMPLAINTS	20

struct serf_member {
	const char	*name;
	const char	*addr;		/* last address seen, or NULL */
	int		 alive;
};

struct serf_clock {
	uint64_t	 value;
	uint64_t	 line;		/* 0: never seen */
};

struct serf_state {
	struct qs_parse_ctx	*ctx;
	struct qs_arena		 scratch;	/* members, map keys */
	struct qs_map		 byname;
	struct qs_vec		 members;	/* struct serf_member * */
	const char		*role;		/* serf_lan, serf_wan */
	struct serf_clock	 clock, event_clock, query_clock;
	int			 left_last;
	uint64_t		 last_line;	/* last recognised record */
	uint64_t		 obs;
	uint64_t		 complaints;
};

static int	serf_line_complete(const struct qs_source *);
static int	serf_parse_u64(const char *, uint64_t *);
static int	serf_valid_address(const char *);
static void	serf_complain(struct serf_state *, uint64_t, const char *);
static struct serf_member *serf_member(struct serf_state *, const char *);
static void	serf_event_clock(struct serf_state *, struct qs_event *);
static int	serf_alive(struct serf_state *, uint64_t, const char *,
		    const char *);
static int	serf_not_alive(struct serf_state *, uint64_t, const char *,
		    const char *);
static void	serf_leave(struct serf_state *, uint64_t, const char *);
static void	serf_set_clock(struct serf_state *, struct serf_clock *,
		    uint64_t, const char *);
static void	serf_finish(struct serf_state *);

/*
 * Did the line just read end with a newline?  The line reader drops it,
 * but it stays the last byte consumed from the reader's buffer; at the
 * end of the entry without one, the last byte consumed is line data.
 */
static int
serf_line_complete(const struct qs_source *src)
{
	return src->buf != NULL && src->buf_pos > 0 &&
	    src->buf[src->buf_pos - 1] == '\n';
}

/* Decimal digits only, as Go's strconv.ParseUint(s, 10, 64) accepts. */
static int
serf_parse_u64(const char *s, uint64_t *out)
{
	uint64_t	v = 0;

	if (*s == '\0')
		return -1;
	for (; *s != '\0'; s++) {
		unsigned	d;

		if (*s < '0' || *s > '9')
			return -1;
		d = (unsigned)(*s - '0');
		if (v > (UINT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

/*
 * host:port as Go prints a TCP address: an IPv6 host is bracketed, a port
 * is 0 to 65535.  The host itself is not checked further.
 */
static int
serf_valid_address(const char *a)
{
	const char	*colon, *p;
	uint64_t	 port;

	if (*a == '[') {
		if ((p = strchr(a, ']')) == NULL || p == a + 1 || p[1] != ':')
			return 0;
		colon = p + 1;
	} else {
		colon = strrchr(a, ':');
		if (colon == NULL || colon == a || memchr(a, ':',
		    (size_t)(colon - a)) != NULL)
			return 0;
	}
	if (strlen(colon + 1) > 5 || serf_parse_u64(colon + 1, &port) != 0 ||
	    port > 65535)
		return 0;
	return 1;
}

static void
serf_complain(struct serf_state *st, uint64_t line, const char *why)
{
	if (st->complaints++ < SERF_MAX_COMPLAINTS)
		qs_parse_diag(st->ctx, QS_SEV_WARNING, line, "%s", why);
}

/* The member of that name, created (not alive) when first seen. */
static struct serf_member *
serf_member(struct serf_state *st, const char *name)
{
	struct serf_member	*m = qs_map_get(&st->byname, name);

	if (m != NULL)
		return m;
	m = qs_arena_alloc(&st->scratch, sizeof(*m));
	m->name = qs_arena_strdup(&st->scratch, name);
	qs_map_put(&st->byname, &st->scratch, name, m);
	qs_vec_push(&st->members, m);
	return m;
}

static void
serf_event_clock(struct serf_state *st, struct qs_event *e)
{
	if (st->clock.line != 0) {
		e->clock.set |= QS_CLOCK_LAMPORT;
		e->clock.lamport = st->clock.value;
	}
}

/* "alive: <name> <addr>"; info is what follows the prefix. */
static int
serf_alive(struct serf_state *st, uint64_t line, const char *text,
    const char *info)
{
	struct qs_parse_ctx	*ctx = st->ctx;
	struct qs_evidence	 ev;
	struct qs_event		*e;
	struct serf_member	*m;
	const char		*sp = strrchr(info, ' '), *addr;
	char			*name;

	if (sp == NULL || sp == info || sp[1] == '\0') {
		serf_complain(st, line, "alive record without a name and an "
		    "address; skipped");
		return 0;
	}
	addr = sp + 1;
	if (!serf_valid_address(addr)) {
		serf_complain(st, line, "alive record with an address that is "
		    "not ip:port; skipped");
		return 0;
	}
	name = qs_arena_strndup(&st->scratch, info, (size_t)(sp - info));
	if (st->obs + 2 > SERF_MAX_OBS)
		return -1;
	m = serf_member(st, name);
	ev = qs_evidence_line(ctx, line, text);
	e = qs_emit_event(ctx, QS_EV_JOIN, name, &ev);
	e->detail = qs_pstrdup(ctx, addr);
	serf_event_clock(st, e);
	st->obs++;
	if (m->addr == NULL || strcmp(m->addr, addr) != 0) {
		qs_emit_identity(ctx, QS_ID_ADDRESS, addr, st->role, name, &ev);
		m->addr = qs_arena_strdup(&st->scratch, addr);
		st->obs++;
	}
	m->alive = 1;
	return 0;
}

static int
serf_not_alive(struct serf_state *st, uint64_t line, const char *text,
    const char *name)
{
	struct qs_parse_ctx	*ctx = st->ctx;
	struct qs_evidence	 ev;
	struct qs_event		*e;

	if (*name == '\0') {
		serf_complain(st, line, "not-alive record without a name; "
		    "skipped");
		return 0;
	}
	if (st->obs + 1 > SERF_MAX_OBS)
		return -1;
	serf_member(st, name)->alive = 0;
	ev = qs_evidence_line(ctx, line, text);
	e = qs_emit_event(ctx, QS_EV_LEAVE, name, &ev);
	e->detail = "not-alive (left or failed: serf does not say)";
	serf_event_clock(st, e);
	st->obs++;
	return 0;
}

/* The agent's own graceful leave. */
static void
serf_leave(struct serf_state *st, uint64_t line, const char *text)
{
	struct qs_parse_ctx	*ctx = st->ctx;
	struct qs_evidence	 ev = qs_evidence_line(ctx, line, text);
	struct qs_event		*e;
	struct qs_signal	*s;

	e = qs_emit_event(ctx, QS_EV_LEAVE, NULL, &ev);
	e->detail = "this agent left gracefully";
	serf_event_clock(st, e);
	s = qs_emit_signal(ctx, QS_SIG_GRACEFUL_LEAVE, NULL, &ev);
	s->clock = e->clock;
	st->obs += 2;
}

static void
serf_set_clock(struct serf_state *st, struct serf_clock *c, uint64_t line,
    const char *value)
{
	uint64_t	v;

	if (serf_parse_u64(value, &v) != 0) {
		serf_complain(st, line, "clock record with a value that is not "
		    "a decimal number; skipped");
		return;
	}
	c->value = v;
	c->line = line;
}

/* The final view and settings, from whatever was replayed. */
static void
serf_finish(struct serf_state *st)
{
	struct qs_parse_ctx	*ctx = st->ctx;
	struct qs_evidence	 ev = qs_evidence_whole(ctx);
	struct qs_view		*v;
	size_t			 i;
	const struct {
		const char		*key;
		struct serf_clock	*c;
	} clocks[] = {
		{ "serf.clock", &st->clock },
		{ "serf.event_clock", &st->event_clock },
		{ "serf.query_clock", &st->query_clock },
	};

	v = qs_emit_view(ctx, QS_VIEW_GOSSIP,
	    strcmp(st->role, "serf_wan") == 0 ? "serf WAN snapshot" :
	    "serf LAN snapshot", &ev);
	if (st->clock.line != 0) {
		v->clock.set = QS_CLOCK_LAMPORT;
		v->clock.lamport = st->clock.value;
	}
	for (i = 0; i < st->members.n; i++) {
		const struct serf_member	*m = st->members.v[i];

		qs_view_add(ctx, v, m->name, m->addr, NULL,
		    m->alive ? QS_MEMBER_ALIVE : QS_MEMBER_LEFT);
	}
	for (i = 0; i < sizeof(clocks) / sizeof(clocks[0]); i++) {
		char	buf[32];

		if (clocks[i].c->line == 0)
			continue;
		snprintf(buf, sizeof(buf), "%llu",
		    (unsigned long long)clocks[i].c->value);
		ev = qs_evidence_line(ctx, clocks[i].c->line, NULL);
		qs_emit_setting(ctx, clocks[i].key, buf, &ev);
	}
	ev = st->last_line != 0 ? qs_evidence_line(ctx, st->last_line, NULL) :
	    qs_evidence_whole(ctx);
	qs_emit_setting(ctx, "serf.left_last", st->left_last ? "true" : "false",
	    &ev);
}

int
qs_parse_consul_serf_snapshot(struct qs_parse_ctx *ctx)
{
	struct serf_state	 st;
	const char		*line, *base;
	ssize_t			 n;
	uint64_t		 lineno;
	int			 stopped = 0;

	memset(&st, 0, sizeof(st));
	st.ctx = ctx;
	base = strrchr(ctx->artifact->logical, '/');
	base = base != NULL ? base + 1 : ctx->artifact->logical;
	st.role = strncmp(base, "remote", 6) == 0 ? "serf_wan" : "serf_lan";
	if (strlen(base) > 8 &&
	    strcmp(base + strlen(base) - 8, ".compact") == 0)
		qs_parse_diag(ctx, QS_SEV_INFO, 0, "leftover compaction file: "
		    "serf stopped while rewriting its snapshot; the live "
		    "snapshot may be older or missing");

	while ((n = qs_source_getline(ctx->src, &line, SERF_LINE_MAX)) >= 0) {
		lineno = ctx->src->lineno;
		if (!serf_line_complete(ctx->src)) {
			if (!ctx->src->truncated)
				qs_parse_diag(ctx, QS_SEV_INFO, lineno,
				    "last line has no newline (a torn write); "
				    "ignored, as serf does");
			break;
		}
		if ((size_t)n >= SERF_LINE_MAX ||
		    memchr(line, '\0', (size_t)n) != NULL) {
			serf_complain(&st, lineno, "unrecognised snapshot line "
			    "(over 64 KiB or binary); skipped");
			continue;
		}
		if (line[0] == '#')
			continue;
		if (strncmp(line, "alive: ", 7) == 0) {
			if (serf_alive(&st, lineno, line, line + 7) != 0) {
				stopped = 1;
				break;
			}
		} else if (strncmp(line, "not-alive: ", 11) == 0) {
			if (serf_not_alive(&st, lineno, line, line + 11) != 0) {
				stopped = 1;
				break;
			}
		} else if (strncmp(line, "clock: ", 7) == 0)
			serf_set_clock(&st, &st.clock, lineno, line + 7);
		else if (strncmp(line, "event-clock: ", 13) == 0)
			serf_set_clock(&st, &st.event_clock, lineno, line + 13);
		else if (strncmp(line, "query-clock: ", 13) == 0)
			serf_set_clock(&st, &st.query_clock, lineno, line + 13);
		else if (strncmp(line, "coordinate: ", 12) == 0)
			;	/* serf 0.7.0-0.8.1; no membership */
		else if (strcmp(line, "leave") == 0) {
			if (st.obs + 2 > SERF_MAX_OBS) {
				stopped = 1;
				break;
			}
			serf_leave(&st, lineno, line);
			st.left_last = 1;
			st.last_line = lineno;
			continue;
		} else {
			serf_complain(&st, lineno, "unrecognised snapshot "
			    "line; skipped (serf ignores it too)");
			continue;
		}
		st.left_last = 0;
		st.last_line = lineno;
	}
	if (stopped)
		qs_parse_diag(ctx, QS_SEV_WARNING, ctx->src->lineno,
		    "more than %d observations from one snapshot; the rest "
		    "is not replayed", SERF_MAX_OBS);
	if (st.complaints > SERF_MAX_COMPLAINTS)
		qs_parse_diag(ctx, QS_SEV_WARNING, 0, "%llu more unusable "
		    "lines not listed", (unsigned long long)(st.complaints -
		    SERF_MAX_COMPLAINTS));
	serf_finish(&st);
	qs_map_free(&st.byname);
	qs_vec_free(&st.members);
	qs_arena_free(&st.scratch);
	return 0;
}
