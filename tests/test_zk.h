/*
 * Lookups the ZooKeeper parser tests share: observations by kind, key or
 * value, optionally only those of the artifact whose member path ends
 * with a given tail, and a big-endian writer to build binary fixtures.
 */
#ifndef QS_TEST_ZK_H
#define QS_TEST_ZK_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"

static inline int
zk_t_from(const struct qs_evidence *ev, const char *tail)
{
	size_t	ml, tl;

	if (tail == NULL)
		return 1;
	if (ev->artifact == NULL)
		return 0;
	ml = strlen(ev->artifact->member);
	tl = strlen(tail);
	return ml >= tl && strcmp(ev->artifact->member + ml - tl, tail) == 0;
}

/* The value of the first setting `key` (from `tail`), or NULL. */
static inline const char *
zk_t_setting(const struct qs_run *run, const char *tail, const char *key)
{
	size_t	i;

	for (i = 0; i < run->settings.n; i++) {
		const struct qs_setting	*s = run->settings.v[i];

		if (strcmp(s->key, key) == 0 && zk_t_from(&s->ev, tail))
			return s->value;
	}
	return NULL;
}

static inline size_t
zk_t_nsettings(const struct qs_run *run, const char *tail, const char *key)
{
	size_t	i, n = 0;

	for (i = 0; i < run->settings.n; i++) {
		const struct qs_setting	*s = run->settings.v[i];

		if (strcmp(s->key, key) == 0 && zk_t_from(&s->ev, tail))
			n++;
	}
	return n;
}

static inline size_t
zk_t_nevents(const struct qs_run *run, const char *tail,
    enum qs_event_kind kind)
{
	size_t	i, n = 0;

	for (i = 0; i < run->events.n; i++) {
		const struct qs_event	*e = run->events.v[i];

		if (e->kind == kind && zk_t_from(&e->ev, tail))
			n++;
	}
	return n;
}

/* The n-th (0-based) event of `kind` (from `tail`), or NULL. */
static inline const struct qs_event *
zk_t_event(const struct qs_run *run, const char *tail,
    enum qs_event_kind kind, size_t nth)
{
	size_t	i;

	for (i = 0; i < run->events.n; i++) {
		const struct qs_event	*e = run->events.v[i];

		if (e->kind == kind && zk_t_from(&e->ev, tail) && nth-- == 0)
			return e;
	}
	return NULL;
}

static inline size_t
zk_t_nsignals(const struct qs_run *run, const char *tail,
    enum qs_signal_kind kind)
{
	size_t	i, n = 0;

	for (i = 0; i < run->signals.n; i++) {
		const struct qs_signal	*s = run->signals.v[i];

		if (s->kind == kind && zk_t_from(&s->ev, tail))
			n++;
	}
	return n;
}

static inline const struct qs_signal *
zk_t_signal(const struct qs_run *run, const char *tail,
    enum qs_signal_kind kind, size_t nth)
{
	size_t	i;

	for (i = 0; i < run->signals.n; i++) {
		const struct qs_signal	*s = run->signals.v[i];

		if (s->kind == kind && zk_t_from(&s->ev, tail) && nth-- == 0)
			return s;
	}
	return NULL;
}

/* The first view whose source is `source` (from `tail`), or NULL. */
static inline const struct qs_view *
zk_t_view(const struct qs_run *run, const char *tail, const char *source,
    size_t nth)
{
	size_t	i;

	for (i = 0; i < run->views.n; i++) {
		const struct qs_view	*v = run->views.v[i];

		if (strcmp(v->source, source) == 0 && zk_t_from(&v->ev, tail) &&
		    nth-- == 0)
			return v;
	}
	return NULL;
}

static inline const struct qs_member *
zk_t_member(const struct qs_view *v, size_t i)
{
	return v != NULL && i < v->members.n ? v->members.v[i] : NULL;
}

/* Whether the identity (kind, value, role, subject) was emitted. */
static inline int
zk_t_has_ident(const struct qs_run *run, const char *tail, enum qs_ident kind,
    const char *value, const char *role, const char *subject)
{
	size_t	i;

	for (i = 0; i < run->identities.n; i++) {
		const struct qs_identity	*id = run->identities.v[i];

		if (id->kind != kind || strcmp(id->value, value) != 0 ||
		    !zk_t_from(&id->ev, tail))
			continue;
		if ((role == NULL) != (id->role == NULL) || (role != NULL &&
		    strcmp(role, id->role) != 0))
			continue;
		if ((subject == NULL) != (id->subject == NULL) ||
		    (subject != NULL && strcmp(subject, id->subject) != 0))
			continue;
		return 1;
	}
	return 0;
}

static inline size_t
zk_t_nidents(const struct qs_run *run, const char *tail)
{
	size_t	i, n = 0;

	for (i = 0; i < run->identities.n; i++)
		if (zk_t_from(&((const struct qs_identity *)
		    run->identities.v[i])->ev, tail))
			n++;
	return n;
}

/* The node named `name`, or NULL. */
static inline const struct qs_node *
zk_t_node(const struct qs_run *run, const char *name)
{
	size_t	i;

	for (i = 0; i < run->nodes.n; i++) {
		const struct qs_node	*n = run->nodes.v[i];

		if (strcmp(n->name, name) == 0)
			return n;
	}
	return NULL;
}

/* A growing byte buffer for hand-built binary fixtures. */
struct zk_t_buf {
	unsigned char	*p;
	size_t		 len;
	size_t		 cap;
};

static inline void
zk_t_put(struct zk_t_buf *b, const void *data, size_t n)
{
	if (b->len + n > b->cap) {
		b->cap = (b->len + n) * 2 + 64;
		b->p = qs_xreallocarray(b->p, b->cap, 1);
	}
	if (n > 0)
		memcpy(b->p + b->len, data, n);
	b->len += n;
}

static inline void
zk_t_i32(struct zk_t_buf *b, int32_t v)
{
	unsigned char	x[4];
	uint32_t	u = (uint32_t)v;

	x[0] = (unsigned char)(u >> 24);
	x[1] = (unsigned char)(u >> 16);
	x[2] = (unsigned char)(u >> 8);
	x[3] = (unsigned char)u;
	zk_t_put(b, x, 4);
}

static inline void
zk_t_i64(struct zk_t_buf *b, int64_t v)
{
	zk_t_i32(b, (int32_t)(uint32_t)((uint64_t)v >> 32));
	zk_t_i32(b, (int32_t)(uint32_t)((uint64_t)v & 0xffffffffu));
}

/* A ustring or buffer; NULL writes Java's null (-1). */
static inline void
zk_t_str(struct zk_t_buf *b, const char *s)
{
	if (s == NULL) {
		zk_t_i32(b, -1);
		return;
	}
	zk_t_i32(b, (int32_t)strlen(s));
	zk_t_put(b, s, strlen(s));
}

static inline void
zk_t_byte(struct zk_t_buf *b, unsigned char c)
{
	zk_t_put(b, &c, 1);
}

static inline void
zk_t_zeros(struct zk_t_buf *b, size_t n)
{
	size_t	i;

	for (i = 0; i < n; i++)
		zk_t_byte(b, 0);
}

#endif
