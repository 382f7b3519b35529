/*
 * What every command shares: reading the operands as inputs, and the
 * usage error every command reports the same way.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quorumscope.h"

void
qs_usage_error(const char *fmt, ...)
{
	va_list	ap;

	fputs("quorumscope: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(QS_EXIT_USAGE);
}

/*
 * Reads every operand as an input, then attributes what was found to
 * nodes.  Returns how many inputs could be opened at all.
 */
/* Did any input hold an artifact of a system this tool knows? */
static int
cmd_recognised(const struct qs_run *run)
{
	size_t	i;

	for (i = 0; i < run->artifacts.n; i++)
		if (((const struct qs_artifact *)run->artifacts.v[i])->kind !=
		    NULL)
			return 1;
	return 0;
}

int
qs_read_inputs(struct qs_globals *g, int argc, char **argv)
{
	int	i, opened = 0;

	if (argc == 0)
		qs_usage_error("no bundle given (use - for standard input)");
	for (i = 0; i < argc; i++)
		if (qs_bundle_read(g->run, argv[i]) == 0)
			opened++;
	qs_nodes_resolve(g->run);
	if (opened > 0 && !cmd_recognised(g->run)) {
		/*
		 * Garbage, an empty archive or directory, an unrelated file:
		 * read, but nothing in it is evidence.  The caller exits 3,
		 * and this is the one line that says why.
		 */
		fprintf(stderr, "quorumscope: nothing to analyse: no entry of "
		    "%s is an artifact of Consul, etcd, ZooKeeper or Triton\n",
		    argc == 1 ? "the input" : "any input");
		return 0;
	}
	return opened;
}


/* Edit distance of two short words (Levenshtein), capped at 64 bytes. */
static size_t
cmd_distance(const char *a, const char *b)
{
	size_t	 la = strlen(a), lb = strlen(b), i, j;
	size_t	 row[65], prev, cur;

	if (la > 64 || lb > 64)
		return (size_t)-1;
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			cur = row[j];
			row[j] = a[i - 1] == b[j - 1] ? prev : 1 + (prev <
			    row[j] ? (prev < row[j - 1] ? prev : row[j - 1]) :
			    (row[j] < row[j - 1] ? row[j] : row[j - 1]));
			prev = cur;
		}
	}
	return row[lb];
}

/*
 * The candidate closest to a mistyped word, as git and cargo suggest: at
 * most a third of the word's letters (and at least one) away, or one the
 * word begins; NULL when none is that close.
 */
const char *
qs_suggest(const char *word, const char *const *cands, size_t n)
{
	const char	*best = NULL;
	size_t		 i, d, bestd = (size_t)-1, limit;
	int		 tie = 0;

	limit = strlen(word) / 3 > 1 ? strlen(word) / 3 : 1;
	for (i = 0; i < n; i++) {
		if (cands[i] == NULL || strcmp(cands[i], word) == 0)
			continue;
		d = cmd_distance(word, cands[i]);
		if (d < bestd) {
			bestd = d;
			best = cands[i];
			tie = 0;
		} else if (d == bestd)
			tie = 1;
	}
	/* Two as close: etcd4 is no more etcd1 than etcd2. */
	if (best != NULL && bestd <= limit && !tie)
		return best;
	/* A unique prefix: "time" for timeline. */
	for (i = 0, best = NULL; i < n; i++)
		if (cands[i] != NULL && *word != '\0' && strncmp(cands[i],
		    word, strlen(word)) == 0) {
			if (best != NULL)
				return NULL;
			best = cands[i];
		}
	return best;
}

/* "; did you mean 'x'?" or "". */
const char *
qs_suggest_text(struct qs_arena *a, const char *word,
    const char *const *cands, size_t n)
{
	const char	*s = qs_suggest(word, cands, n);

	return s != NULL ? qs_arena_printf(a, "; did you mean '%s'?", s) : "";
}

/* "; did you mean 'etcd1'?" for a node name the bundle does not have. */
const char *
qs_node_suggest(struct qs_arena *a, const struct qs_run *run,
    const char *name)
{
	const char	**cands;
	const char	 *s;
	size_t		  i;

	cands = qs_xcalloc(run->nodes.n + 1, sizeof(*cands));
	for (i = 0; i < run->nodes.n; i++)
		cands[i] = ((struct qs_node *)run->nodes.v[i])->name;
	s = qs_suggest_text(a, name, cands, run->nodes.n);
	free(cands);
	if (*s != '\0' || run->nodes.n == 0 || run->nodes.n > 12)
		return s;
	/* No one name is closest: all of them, as few as they are. */
	s = "; its nodes are ";
	for (i = 0; i < run->nodes.n; i++)
		s = qs_arena_printf(a, "%s%s%s", s, i == 0 ? "" : i + 1 ==
		    run->nodes.n ? " and " : ", ", qs_escape(a,
		    ((struct qs_node *)run->nodes.v[i])->name));
	return s;
}

/* Whether the run has a node of that name. */
int
qs_node_known(const struct qs_run *run, const char *name)
{
	size_t	i;

	for (i = 0; i < run->nodes.n; i++)
		if (strcmp(((struct qs_node *)run->nodes.v[i])->name,
		    name) == 0)
			return 1;
	return 0;
}
