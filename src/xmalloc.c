/*
 * Allocation helpers.  Every size the input controls is checked against a
 * limit before it reaches an allocator, so running out of memory here is an
 * environmental failure and ends the program (tmux's xmalloc discipline):
 * call sites never test for NULL.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quorumscope.h"

#define ARENA_CHUNK	(64 * 1024)

struct qs_arena_chunk {
	struct qs_arena_chunk	*next;
	size_t			 used;
	size_t			 size;
	/* Data follows, aligned for any object. */
	max_align_t		 data[];
};

void
qs_fatal(const char *fmt, ...)
{
	va_list	ap;

	fputs("quorumscope: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(70);	/* EX_SOFTWARE: not a verdict about the input */
}

void *
qs_xmalloc(size_t size)
{
	void	*p;

	if (size == 0)
		qs_fatal("internal error: zero-size allocation");
	if ((p = malloc(size)) == NULL)
		qs_fatal("out of memory allocating %zu bytes", size);
	return p;
}

void *
qs_xcalloc(size_t n, size_t size)
{
	void	*p;

	if (n == 0 || size == 0)
		qs_fatal("internal error: zero-size allocation");
	if ((p = calloc(n, size)) == NULL)
		qs_fatal("out of memory allocating %zu * %zu bytes", n, size);
	return p;
}

void *
qs_xreallocarray(void *old, size_t n, size_t size)
{
	void	*p;

	if (n == 0 || size == 0)
		qs_fatal("internal error: zero-size allocation");
	if (SIZE_MAX / n < size)
		qs_fatal("internal error: allocation size overflows");
	if ((p = realloc(old, n * size)) == NULL)
		qs_fatal("out of memory allocating %zu * %zu bytes", n, size);
	return p;
}

char *
qs_xstrdup(const char *s)
{
	char	*p;

	if ((p = strdup(s)) == NULL)
		qs_fatal("out of memory copying a string");
	return p;
}

/*
 * Bump allocator: objects of one run are freed together, so no object
 * needs its own free path.  Large requests get a chunk of their own.
 */
void *
qs_arena_alloc(struct qs_arena *a, size_t size)
{
	struct qs_arena_chunk	*c = a->head;
	size_t			 align = sizeof(max_align_t), need;
	void			*p;

	if (size > SIZE_MAX - align)
		qs_fatal("internal error: arena allocation overflows");
	need = (size + align - 1) & ~(align - 1);
	if (need == 0)
		need = align;
	if (c == NULL || c->size - c->used < need) {
		size_t	csize = need > ARENA_CHUNK ? need : ARENA_CHUNK;

		c = qs_xmalloc(sizeof(*c) + csize);
		c->used = 0;
		c->size = csize;
		c->next = a->head;
		a->head = c;
	}
	p = (char *)c->data + c->used;
	c->used += need;
	memset(p, 0, size);
	return p;
}

char *
qs_arena_strndup(struct qs_arena *a, const char *s, size_t len)
{
	char	*p = qs_arena_alloc(a, len + 1);

	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *
qs_arena_strdup(struct qs_arena *a, const char *s)
{
	return qs_arena_strndup(a, s, strlen(s));
}

char *
qs_arena_vprintf(struct qs_arena *a, const char *fmt, va_list ap)
{
	va_list	 ap2;
	int	 n;
	char	*p;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		qs_fatal("internal error: bad format \"%s\"", fmt);
	p = qs_arena_alloc(a, (size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *
qs_arena_printf(struct qs_arena *a, const char *fmt, ...)
{
	va_list	 ap;
	char	*p;

	va_start(ap, fmt);
	p = qs_arena_vprintf(a, fmt, ap);
	va_end(ap);
	return p;
}

size_t
qs_arena_used(const struct qs_arena *a)
{
	const struct qs_arena_chunk	*c;
	size_t				 n = 0;

	for (c = a->head; c != NULL; c = c->next)
		n += c->used;
	return n;
}

void
qs_arena_free(struct qs_arena *a)
{
	struct qs_arena_chunk	*c, *next;

	for (c = a->head; c != NULL; c = next) {
		next = c->next;
		free(c);
	}
	a->head = NULL;
}

void
qs_vec_push(struct qs_vec *v, void *p)
{
	if (v->n == v->cap) {
		v->cap = v->cap == 0 ? 16 : v->cap * 2;
		v->v = qs_xreallocarray(v->v, v->cap, sizeof(*v->v));
	}
	v->v[v->n++] = p;
}

void
qs_vec_free(struct qs_vec *v)
{
	free(v->v);
	v->v = NULL;
	v->n = v->cap = 0;
}
