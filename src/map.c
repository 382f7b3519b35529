/*
 * A string-keyed map with open addressing.  Keys are copied into the
 * given arena; values are borrowed.  Used for node aliases (names,
 * addresses, ids), where a bundle holds thousands of keys at most.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "quorumscope.h"

struct qs_map_slot {
	const char	*key;
	void		*value;
};

static uint64_t
map_hash(const char *s)
{
	uint64_t	h = 1469598103934665603ULL;	/* FNV-1a */

	while (*s != '\0')
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h;
}

static struct qs_map_slot *
map_find(const struct qs_map *m, const char *key)
{
	size_t	i, mask;

	if (m->cap == 0)
		return NULL;
	mask = m->cap - 1;
	for (i = map_hash(key) & mask; m->slots[i].key != NULL;
	    i = (i + 1) & mask)
		if (strcmp(m->slots[i].key, key) == 0)
			return &m->slots[i];
	return &m->slots[i];
}

void *
qs_map_get(const struct qs_map *m, const char *key)
{
	struct qs_map_slot	*s = map_find(m, key);

	return s != NULL && s->key != NULL ? s->value : NULL;
}

/* Adds key -> value; returns -1 (and changes nothing) if the key exists. */
int
qs_map_put(struct qs_map *m, struct qs_arena *a, const char *key, void *value)
{
	struct qs_map_slot	*s;

	if ((m->n + 1) * 2 > m->cap) {
		struct qs_map_slot	*old = m->slots;
		size_t			 ocap = m->cap, i;

		m->cap = ocap == 0 ? 64 : ocap * 2;
		m->slots = qs_xcalloc(m->cap, sizeof(*m->slots));
		for (i = 0; i < ocap; i++)
			if (old[i].key != NULL)
				*map_find(m, old[i].key) = old[i];
		free(old);
	}
	s = map_find(m, key);
	if (s->key != NULL)
		return -1;
	s->key = qs_arena_strdup(a, key);
	s->value = value;
	m->n++;
	return 0;
}

/* Replaces the value of an existing key; -1 if the key is absent. */
int
qs_map_set(struct qs_map *m, const char *key, void *value)
{
	struct qs_map_slot	*s = map_find(m, key);

	if (s == NULL || s->key == NULL)
		return -1;
	s->value = value;
	return 0;
}

void
qs_map_free(struct qs_map *m)
{
	free(m->slots);
	m->slots = NULL;
	m->cap = m->n = 0;
}
