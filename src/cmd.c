/*
 * What every command shares: reading the operands as inputs, and the
 * usage error every command reports the same way.
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "quorumscope.h"

void
qs_usage_error(const char *fmt, ...)
{
	va_list	ap;

	fputs("quorumscope: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nTry 'quorumscope --help'.\n", stderr);
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

