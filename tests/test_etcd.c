/* Shared helpers of the etcd parser tests (test_etcd.h). */
#include "config.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test_etcd.h"

struct render {
	char	*buf;
	size_t	 len;
	size_t	 cap;
};

static void	render_add(struct render *, const char *, ...)
		    __attribute__((format(printf, 2, 3)));
static int	render_match(const char *, const char *);

static void
render_add(struct render *r, const char *fmt, ...)
{
	va_list	ap;
	int	n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(r->buf + r->len, r->cap - r->len, fmt, ap);
		va_end(ap);
		if (n >= 0 && (size_t)n < r->cap - r->len) {
			r->len += (size_t)n;
			return;
		}
		r->cap = r->cap * 2 + (size_t)n + 1;
		r->buf = qs_xreallocarray(r->buf, r->cap, 1);
	}
}

/* The member path ends with tail (a "" tail matches everything). */
static int
render_match(const char *member, const char *tail)
{
	size_t	ml, tl = strlen(tail);

	if (member == NULL)
		return 0;
	ml = strlen(member);
	return ml >= tl && strcmp(member + ml - tl, tail) == 0;
}

static const char *
render_clock(const struct qs_clock *c, char *buf, size_t len)
{
	snprintf(buf, len, "%s%" PRIu64 "/%s%" PRIu64,
	    (c->set & QS_CLOCK_TERM) ? "t" : "-", c->term,
	    (c->set & QS_CLOCK_INDEX) ? "i" : "-", c->index);
	return buf;
}

static const char *
render_ev(const struct qs_evidence *ev, char *buf, size_t len)
{
	if (ev->has_offset)
		snprintf(buf, len, "@%" PRIu64, ev->offset);
	else
		snprintf(buf, len, "L%" PRIu64, ev->line);
	return buf;
}

#define S(x)	((x) != NULL ? (x) : "-")

/*
 * Every observation of the artifacts whose member path ends with tail,
 * by kind (events, views, settings, identities, diagnostics), in the
 * order they were recorded.  The text lives in the run's arena.
 */
const char *
qs_test_etcd_render(struct qs_run *run, const char *tail, unsigned what)
{
	struct render	r = { NULL, 0, 0 };
	char		c[64], e[32];
	size_t		i, j;
	const char	*out;

	r.cap = 256;
	r.buf = qs_xmalloc(r.cap);
	r.buf[0] = '\0';
	for (i = 0; (what & QS_R_EVENTS) && i < run->events.n; i++) {
		const struct qs_event	*ev = run->events.v[i];

		if (!render_match(ev->ev.artifact->member, tail))
			continue;
		render_add(&r, "event %s %s %s %s %s\n",
		    qs_event_kind_name(ev->kind), S(ev->subject),
		    render_clock(&ev->clock, c, sizeof(c)),
		    render_ev(&ev->ev, e, sizeof(e)), S(ev->detail));
	}
	for (i = 0; (what & QS_R_VIEWS) && i < run->views.n; i++) {
		const struct qs_view	*v = run->views.v[i];

		if (!render_match(v->ev.artifact->member, tail))
			continue;
		render_add(&r, "view %s %s %s:", v->source,
		    render_clock(&v->clock, c, sizeof(c)),
		    render_ev(&v->ev, e, sizeof(e)));
		for (j = 0; j < v->members.n; j++) {
			const struct qs_member	*m = v->members.v[j];

			render_add(&r, " %s/%s/%s/%s", S(m->id), S(m->name),
			    S(m->address), qs_member_state_name(m->state));
		}
		render_add(&r, "\n");
	}
	for (i = 0; (what & QS_R_SETTINGS) && i < run->settings.n; i++) {
		const struct qs_setting	*s = run->settings.v[i];

		/* The WAL fingerprints have tests of their own. */
		if (!render_match(s->ev.artifact->member, tail) ||
		    strcmp(s->key, "etcd.wal.tail") == 0 ||
		    strcmp(s->key, "etcd.wal.terms") == 0)
			continue;
		render_add(&r, "setting %s=%s %s\n", s->key, s->value,
		    render_ev(&s->ev, e, sizeof(e)));
	}
	for (i = 0; (what & QS_R_IDENTS) && i < run->identities.n; i++) {
		const struct qs_identity *id = run->identities.v[i];

		if (!render_match(id->ev.artifact->member, tail))
			continue;
		render_add(&r, "ident %s %s %s %s\n", qs_ident_name(id->kind),
		    id->value, S(id->role), S(id->subject));
	}
	for (i = 0; (what & QS_R_DIAGS) && i < run->diags.n; i++) {
		const struct qs_diag	*d = run->diags.v[i];

		if (!render_match(d->path, tail))
			continue;
		render_add(&r, "diag %s %s\n", qs_severity_name(d->severity),
		    d->message);
	}
	out = qs_arena_strdup(&run->arena, r.buf);
	free(r.buf);
	return out;
}

/* The value of the last setting `key` of the artifact, or NULL. */
const char *
qs_test_etcd_setting(const struct qs_run *run, const char *tail,
    const char *key)
{
	const char	*v = NULL;
	size_t		 i;

	for (i = 0; i < run->settings.n; i++) {
		const struct qs_setting	*s = run->settings.v[i];

		if (render_match(s->ev.artifact->member, tail) &&
		    strcmp(s->key, key) == 0)
			v = s->value;
	}
	return v;
}

/* The artifact's view from `source`, or NULL. */
const struct qs_view *
qs_test_etcd_view(const struct qs_run *run, const char *tail,
    const char *source)
{
	size_t	i;

	for (i = 0; i < run->views.n; i++) {
		const struct qs_view	*v = run->views.v[i];

		if (render_match(v->ev.artifact->member, tail) &&
		    strcmp(v->source, source) == 0)
			return v;
	}
	return NULL;
}

size_t
qs_test_etcd_count(const struct qs_run *run, const char *tail,
    enum qs_event_kind kind)
{
	size_t	i, n = 0;

	for (i = 0; i < run->events.n; i++) {
		const struct qs_event	*e = run->events.v[i];

		if (e->kind == kind && render_match(e->ev.artifact->member,
		    tail))
			n++;
	}
	return n;
}
