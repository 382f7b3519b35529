/*
 * Choosing an entry's kind: every row of the kinds table bids the bits of
 * evidence it finds (kinds.c explains the scale), the highest bid wins,
 * and a tie is refused rather than guessed (The Sleuth Kit's rule): two
 * kinds that cannot be told apart is a registry bug worth seeing.
 */
#include "config.h"

#include <fnmatch.h>
#include <string.h>

#include "quorumscope.h"

/* Least evidence that makes a kind: a name, or content alone. */
#define IDENTIFY_THRESHOLD	16
/* What libmagic's agreement adds: a hint, never enough on its own. */
#define IDENTIFY_MIME_HINT	4

/*
 * Does `pattern` match the tail of `path` with as many components as the
 * pattern has?  "raft/peers.json" matches "node1/consul/raft/peers.json".
 */
int
qs_path_tail_match(const char *path, const char *pattern)
{
	const char	*p, *tail;
	int		 comps = 1;

	for (p = pattern; *p != '\0'; p++)
		if (*p == '/')
			comps++;
	tail = path + strlen(path);
	while (tail > path) {
		if (tail[-1] == '/' && --comps == 0)
			break;
		tail--;
	}
	if (comps > 1 || (comps == 1 && tail != path))
		return 0;
	return fnmatch(pattern, tail, FNM_PATHNAME) == 0;
}

static int
identify_name(const struct qs_kind *k, const char *logical)
{
	size_t	i;
	int	best = 0;

	for (i = 0; k->paths != NULL && k->paths[i] != NULL; i++) {
		if (!qs_path_tail_match(logical, k->paths[i]))
			continue;
		if (strchr(k->paths[i], '/') != NULL)
			return 24;
		best = 16;
	}
	return best;
}

static int
identify_magic(const struct qs_kind *k, const struct qs_head *h)
{
	const struct qs_magic	*m;

	for (m = k->magic; m->bytes != NULL; m++)
		if (h->len >= m->offset + m->len &&
		    memcmp(h->data + m->offset, m->bytes, m->len) == 0)
			return 32;
	return -1;
}

/* Bits for one kind; -1 when the content rules it out. */
static int
identify_bid(const struct qs_kind *k, const struct qs_head *h, int *named)
{
	int	score, s;

	*named = score = identify_name(k, h->logical);
	if (k->magic != NULL) {
		if ((s = identify_magic(k, h)) < 0)
			return -1;
		score += s;
	}
	if (k->sniff != NULL) {
		if ((s = k->sniff(h)) < 0)
			return -1;
		score += s;
	}
	if (k->mime != NULL && h->mime != NULL &&
	    strncmp(h->mime, k->mime, strlen(k->mime)) == 0)
		score += IDENTIFY_MIME_HINT;
	return score;
}

static void
identify_pass(const struct qs_head *h, struct qs_bid *id, int *second)
{
	size_t	i;
	int	score, named, named_best = 0;

	memset(id, 0, sizeof(*id));
	*second = 0;
	for (i = 0; i < qs_nkinds; i++) {
		const struct qs_kind	*k = &qs_kinds[i];

		score = identify_bid(k, h, &named);
		if (score < 0) {
			if (named > named_best) {
				named_best = named;
				id->named = k;
			}
			continue;
		}
		if (score < id->score) {
			if (score > *second)
				*second = score;
			continue;
		}
		if (score == id->score && id->kind != NULL) {
			id->tie = k;
			*second = score;
			continue;
		}
		if (id->kind != NULL)
			*second = id->score;
		id->kind = k;
		id->score = score;
		id->tie = NULL;
	}
	if (id->kind != NULL && id->score < IDENTIFY_THRESHOLD) {
		id->kind = NULL;
		id->tie = NULL;
	}
	if (id->tie != NULL) {
		/* Refuse to guess; name both for the diagnostic. */
		id->named = id->kind;
		id->kind = NULL;
	}
}

/*
 * libmagic is asked only when its hint could change the answer: when no
 * kind is clearly ahead by more than the hint is worth.  On a large
 * bundle of logs and data files that saves most of the libmagic calls,
 * which cost more than everything else the reader does per entry.
 */
void
qs_identify(const struct qs_head *h, struct qs_bid *id,
    const char *(*mime)(const struct qs_head *))
{
	struct qs_head	with = *h;
	int		second;

	with.mime = NULL;
	identify_pass(&with, id, &second);
	if (mime == NULL)
		return;
	if (id->kind != NULL && id->tie == NULL &&
	    id->score - second > IDENTIFY_MIME_HINT)
		return;
	if (id->kind == NULL && id->tie == NULL &&
	    second + IDENTIFY_MIME_HINT < IDENTIFY_THRESHOLD)
		return;
	with.mime = mime(h);
	identify_pass(&with, id, &second);
}
