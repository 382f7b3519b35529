/*
 * The cluster model's recording side: how parsers hand over what they saw.
 * Each qs_emit_* call copies its strings into the run's arena and appends
 * one observation; nothing here interprets anything.  Matching observed
 * names and addresses to nodes happens once all inputs are read
 * (resolve.c).
 */
#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "quorumscope.h"

/* Longest excerpt kept as evidence; longer quotes are cut with "...". */
#define MODEL_EXCERPT_MAX	240

static const char *const event_names[QS_EV_COUNT] = {
	[QS_EV_JOIN] = "join",
	[QS_EV_LEAVE] = "leave",
	[QS_EV_FAIL] = "fail",
	[QS_EV_REAP] = "reap",
	[QS_EV_UPDATE] = "update",
	[QS_EV_MEMBER_ADD] = "member-add",
	[QS_EV_MEMBER_REMOVE] = "member-remove",
	[QS_EV_LEADER_ELECTED] = "leader-elected",
	[QS_EV_LEADER_LOST] = "leader-lost",
	[QS_EV_ELECTION_START] = "election-start",
	[QS_EV_TERM_CHANGE] = "term-change",
	[QS_EV_BOOTSTRAP] = "bootstrap",
	[QS_EV_START] = "start",
	[QS_EV_STOP] = "stop",
	[QS_EV_CONFIG_CHANGE] = "config-change",
};

static const char *const signal_names[QS_SIG_COUNT] = {
	[QS_SIG_NO_LEADER] = "no-leader",
	[QS_SIG_QUORUM_LOST] = "quorum-contact-lost",
	[QS_SIG_VOTE_FAILED] = "vote-failed",
	[QS_SIG_NO_PEERS] = "no-peers",
	[QS_SIG_DUAL_BOOTSTRAP] = "dual-bootstrap",
	[QS_SIG_NAME_CONFLICT] = "name-conflict",
	[QS_SIG_NODE_ID_CONFLICT] = "node-id-conflict",
	[QS_SIG_KEY_MISMATCH] = "gossip-key-mismatch",
	[QS_SIG_PEERS_RECOVERY] = "peers-recovery",
	[QS_SIG_GRACEFUL_LEAVE] = "graceful-leave",
	[QS_SIG_REJOIN] = "rejoin",
	[QS_SIG_REJOIN_FAILED] = "rejoin-failed",
	[QS_SIG_PREVIOUS_LEAVE_IGNORED] = "previous-leave-ignored",
	[QS_SIG_REMOVED_SELF] = "removed-self",
	[QS_SIG_BOOTSTRAP_SKIPPED] = "bootstrap-skipped",
	[QS_SIG_CLUSTER_ID_MISMATCH] = "cluster-id-mismatch",
	[QS_SIG_BOOTSTRAP_CONFLICT] = "bootstrap-conflict",
	[QS_SIG_COMMIT_OUT_OF_RANGE] = "commit-out-of-range",
	[QS_SIG_EPOCH_REFUSED] = "epoch-refused",
	[QS_SIG_PEER_UNREACHABLE] = "peer-unreachable",
	[QS_SIG_PEER_REACHABLE] = "peer-reachable",
	[QS_SIG_FATAL] = "fatal",
	[QS_SIG_PROBE_UP] = "probe-up",
	[QS_SIG_PROBE_DOWN] = "probe-down",
	[QS_SIG_PROBE_NOT_SERVING] = "probe-not-serving",
	[QS_SIG_DATA_DAMAGE] = "data-damage",
};

void
qs_artifact_time(struct qs_parse_ctx *ctx, const struct qs_time *t,
    uint64_t line)
{
	struct qs_artifact	*a = ctx->artifact;

	if (a == NULL || t == NULL || !t->set)
		return;
	if (!a->first_time.set || t->ms < a->first_time.ms) {
		a->first_time = *t;
		a->first_line = line;
	}
	if (!a->last_time.set || t->ms >= a->last_time.ms) {
		a->last_time = *t;
		a->last_line = line;
	}
}

const char *
qs_event_kind_name(enum qs_event_kind k)
{
	return (unsigned)k < QS_EV_COUNT ? event_names[k] : "?";
}

const char *
qs_signal_kind_name(enum qs_signal_kind k)
{
	return (unsigned)k < QS_SIG_COUNT ? signal_names[k] : "?";
}

const char *
qs_member_state_name(enum qs_member_state s)
{
	switch (s) {
	case QS_MEMBER_LISTED:
		return "listed";
	case QS_MEMBER_VOTER:
		return "voter";
	case QS_MEMBER_NONVOTER:
		return "non-voter";
	case QS_MEMBER_ALIVE:
		return "alive";
	case QS_MEMBER_LEFT:
		return "left";
	case QS_MEMBER_FAILED:
		return "failed";
	case QS_MEMBER_REAPED:
		return "reaped";
	}
	return "?";
}

const char *
qs_ident_name(enum qs_ident k)
{
	switch (k) {
	case QS_ID_NAME:
		return "name";
	case QS_ID_ADDRESS:
		return "address";
	case QS_ID_NODE_ID:
		return "consul_node_id";
	case QS_ID_MEMBER_ID:
		return "etcd_member_id";
	case QS_ID_MYID:
		return "zookeeper_myid";
	case QS_ID_UUID:
		return "triton_uuid";
	case QS_ID_COUNT:
		break;
	}
	return "?";
}

const char *
qs_pstrdup(struct qs_parse_ctx *ctx, const char *s)
{
	return s != NULL ? qs_arena_strdup(&ctx->run->arena, s) : NULL;
}

const char *
qs_pstrndup(struct qs_parse_ctx *ctx, const char *s, size_t len)
{
	return qs_arena_strndup(&ctx->run->arena, s, len);
}

static const char *
model_excerpt(struct qs_parse_ctx *ctx, const char *text)
{
	size_t	len;
	char	*p;

	if (text == NULL)
		return NULL;
	len = strlen(text);
	if (len <= MODEL_EXCERPT_MAX)
		return qs_arena_strdup(&ctx->run->arena, text);
	p = qs_arena_alloc(&ctx->run->arena, MODEL_EXCERPT_MAX + 4);
	memcpy(p, text, MODEL_EXCERPT_MAX);
	memcpy(p + MODEL_EXCERPT_MAX, "...", 4);
	return p;
}

struct qs_evidence
qs_evidence_line(struct qs_parse_ctx *ctx, uint64_t line, const char *excerpt)
{
	struct qs_evidence	ev;

	memset(&ev, 0, sizeof(ev));
	ev.artifact = ctx->artifact;
	ev.line = line;
	ev.excerpt = model_excerpt(ctx, excerpt);
	ev.speaker = ctx->speaker;
	return ev;
}

struct qs_evidence
qs_evidence_offset(struct qs_parse_ctx *ctx, uint64_t offset,
    const char *excerpt)
{
	struct qs_evidence	ev;

	memset(&ev, 0, sizeof(ev));
	ev.artifact = ctx->artifact;
	ev.offset = offset;
	ev.has_offset = 1;
	ev.excerpt = model_excerpt(ctx, excerpt);
	return ev;
}

struct qs_evidence
qs_evidence_whole(struct qs_parse_ctx *ctx)
{
	struct qs_evidence	ev;

	memset(&ev, 0, sizeof(ev));
	ev.artifact = ctx->artifact;
	return ev;
}

struct qs_event *
qs_emit_event(struct qs_parse_ctx *ctx, enum qs_event_kind kind,
    const char *subject, const struct qs_evidence *ev)
{
	struct qs_event	*e = qs_arena_alloc(&ctx->run->arena, sizeof(*e));

	e->kind = kind;
	e->system = ctx->artifact->kind->system;
	e->subject = qs_pstrdup(ctx, subject);
	e->ev = *ev;
	qs_vec_push(&ctx->run->events, e);
	return e;
}

struct qs_signal *
qs_emit_signal(struct qs_parse_ctx *ctx, enum qs_signal_kind kind,
    const char *subject, const struct qs_evidence *ev)
{
	struct qs_signal	*s = qs_arena_alloc(&ctx->run->arena, sizeof(*s));

	s->kind = kind;
	s->system = ctx->artifact->kind->system;
	s->subject = qs_pstrdup(ctx, subject);
	s->ev = *ev;
	qs_vec_push(&ctx->run->signals, s);
	return s;
}

struct qs_view *
qs_emit_view(struct qs_parse_ctx *ctx, enum qs_view_kind kind,
    const char *source, const struct qs_evidence *ev)
{
	struct qs_view	*v = qs_arena_alloc(&ctx->run->arena, sizeof(*v));

	v->kind = kind;
	v->system = ctx->artifact->kind->system;
	v->source = qs_pstrdup(ctx, source);
	v->ev = *ev;
	qs_vec_push(&ctx->run->views, v);
	return v;
}

struct qs_member *
qs_view_add(struct qs_parse_ctx *ctx, struct qs_view *v, const char *name,
    const char *address, const char *id, enum qs_member_state state)
{
	struct qs_member	*m = qs_arena_alloc(&ctx->run->arena, sizeof(*m));

	m->name = qs_pstrdup(ctx, name);
	m->address = qs_pstrdup(ctx, address);
	m->id = qs_pstrdup(ctx, id);
	m->state = state;
	qs_vec_push(&v->members, m);
	return m;
}

void
qs_emit_setting(struct qs_parse_ctx *ctx, const char *key, const char *value,
    const struct qs_evidence *ev)
{
	struct qs_setting	*s = qs_arena_alloc(&ctx->run->arena, sizeof(*s));

	s->system = ctx->artifact->kind->system;
	s->key = qs_pstrdup(ctx, key);
	s->value = qs_pstrdup(ctx, value);
	s->ev = *ev;
	qs_vec_push(&ctx->run->settings, s);
}

void
qs_emit_identity(struct qs_parse_ctx *ctx, enum qs_ident kind,
    const char *value, const char *role, const char *subject,
    const struct qs_evidence *ev)
{
	struct qs_identity	*id = qs_arena_alloc(&ctx->run->arena,
	    sizeof(*id));

	id->kind = kind;
	id->system = ctx->artifact->kind->system;
	id->value = qs_pstrdup(ctx, value);
	id->role = qs_pstrdup(ctx, role);
	id->subject = qs_pstrdup(ctx, subject);
	id->ev = *ev;
	qs_vec_push(&ctx->run->identities, id);
}

/*
 * A parser's diagnostic: names the input and entry, and the line when
 * given (0: none).  Marks the artifact partial unless it already failed.
 */
void
qs_parse_diag(struct qs_parse_ctx *ctx, enum qs_severity sev, uint64_t line,
    const char *fmt, ...)
{
	struct qs_artifact	*art = ctx->artifact;
	va_list			 ap;
	char			*msg;

	va_start(ap, fmt);
	msg = qs_arena_vprintf(&ctx->run->arena, fmt, ap);
	va_end(ap);
	if (line != 0)
		qs_diag_add(ctx->run, sev, art->input, art->member,
		    "line %llu: %s", (unsigned long long)line, msg);
	else
		qs_diag_add(ctx->run, sev, art->input, art->member, "%s", msg);
	if (sev != QS_SEV_INFO && art->status == QS_STATUS_PARSED) {
		art->status = QS_STATUS_PARTIAL;
		art->message = msg;
	}
}

/*
 * A text parser's reading loop: every line of the entry, NUL-terminated
 * in a copy the callback may change, with its line number; a line over
 * `max` bytes is cut, and said so.  Stops early when the callback
 * returns non-zero.  A read error is said after the last line read.
 */
void
qs_parse_lines(struct qs_parse_ctx *ctx, size_t max,
    int (*fn)(void *, char *, size_t, uint64_t), void *arg)
{
	const char	*line;
	char		*copy;
	ssize_t		 len;
	int		 stop;

	while ((len = qs_source_getline(ctx->src, &line, max)) >= 0) {
		if ((size_t)len >= max)
			qs_parse_diag(ctx, QS_SEV_WARNING, ctx->src->lineno,
			    "line longer than %zu bytes; cut", max);
		copy = qs_xmalloc((size_t)len + 1);
		memcpy(copy, line, (size_t)len);
		copy[len] = '\0';
		stop = fn(arg, copy, (size_t)len, ctx->src->lineno);
		free(copy);
		if (stop)
			break;
	}
	if (ctx->src->error)
		qs_parse_diag(ctx, QS_SEV_WARNING, ctx->src->lineno, "reading "
		    "failed after this line");
}

/*
 * Damage a decoder found in the observer's own data, as a signal rules
 * can use (QS_SIG_DATA_DAMAGE): at byte `off` of the artifact (or the
 * whole file when `whole`), with the last good index or zxid in `clock`
 * when known.  The detail is `what`, copied.
 */
struct qs_signal *
qs_emit_damage(struct qs_parse_ctx *ctx, uint64_t off, int whole,
    const struct qs_clock *clock, const char *what)
{
	struct qs_evidence	 ev;
	struct qs_signal	*s;

	ev = whole ? qs_evidence_whole(ctx) : qs_evidence_offset(ctx, off,
	    what);
	if (whole)
		ev.excerpt = model_excerpt(ctx, what);
	s = qs_emit_signal(ctx, QS_SIG_DATA_DAMAGE, NULL, &ev);
	if (clock != NULL)
		s->clock = *clock;
	s->detail = model_excerpt(ctx, what);
	return s;
}

/*
 * Damage at byte `off` of a binary artifact: one error diagnostic with the
 * offset, and the setting `key` (its value the offset) that tells rules
 * where the trusted part of the file ends.
 */
void
qs_parse_vdamage(struct qs_parse_ctx *ctx, const char *key, uint64_t off,
    const char *fmt, va_list ap)
{
	struct qs_evidence	 ev;
	char			*msg;

	msg = qs_arena_vprintf(&ctx->run->arena, fmt, ap);
	qs_parse_diag(ctx, QS_SEV_ERROR, 0, "offset %llu (0x%llx): %s",
	    (unsigned long long)off, (unsigned long long)off, msg);
	ev = qs_evidence_offset(ctx, off, msg);
	qs_emit_setting(ctx, key, qs_arena_printf(&ctx->run->arena, "%llu",
	    (unsigned long long)off), &ev);
}
