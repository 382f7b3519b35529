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
	return opened;
}

