/*
 * quorumscope [global options] COMMAND [options] BUNDLE...
 *
 * The command table, option parsing shared by every command, and reading
 * the inputs.  Options may stand before or after the command name.
 */
#include "config.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "quorumscope.h"

static const struct qs_command *const commands[] = {
	&qs_cmd_inventory,
	NULL
};

enum {
	OPT_COLOR = 256,
	OPT_NODE,
	OPT_LIMIT	/* + limit id */
};

static const struct option long_options[] = {
	{ "color",		required_argument, NULL, OPT_COLOR },
	{ "format",		required_argument, NULL, 'f' },
	{ "help",		no_argument,	   NULL, 'h' },
	{ "node",		required_argument, NULL, OPT_NODE },
	{ "quiet",		no_argument,	   NULL, 'q' },
	{ "version",		no_argument,	   NULL, 'V' },
	{ "max-entry-size",	required_argument, NULL,
	    OPT_LIMIT + QS_LIMIT_ENTRY_BYTES },
	{ "max-input-size",	required_argument, NULL,
	    OPT_LIMIT + QS_LIMIT_INPUT_BYTES },
	{ "max-entries",	required_argument, NULL,
	    OPT_LIMIT + QS_LIMIT_ENTRIES },
	{ "max-depth",		required_argument, NULL,
	    OPT_LIMIT + QS_LIMIT_DEPTH },
	{ "max-memory-entry",	required_argument, NULL,
	    OPT_LIMIT + QS_LIMIT_MEMORY_ENTRY },
	{ NULL, 0, NULL, 0 }
};

static void
usage(FILE *f)
{
	size_t	i;

	fprintf(f,
	    "usage: quorumscope [-hqV] [-f text|json] [--color auto|always|never]\n"
	    "                   [--node NAME=GLOB] [--max-LIMIT VALUE]\n"
	    "                   COMMAND [options] BUNDLE...\n"
	    "commands:\n");
	for (i = 0; commands[i] != NULL; i++)
		fprintf(f, "  %-10s %s\n", commands[i]->name,
		    commands[i]->summary);
	fprintf(f, "limits:\n");
	for (i = 0; i < QS_LIMIT_COUNT; i++)
		fprintf(f, "  --%-17s %s\n", qs_limit_defs[i].name,
		    qs_limit_defs[i].help);
}

static void
command_usage(const struct qs_command *cmd, FILE *f)
{
	fprintf(f, "usage: quorumscope %s %s\n%s\n", cmd->name, cmd->args,
	    cmd->summary);
	fprintf(f, "options: -f text|json, -q, --color auto|always|never, "
	    "--node NAME=GLOB, --max-LIMIT VALUE (see quorumscope(1))\n");
}

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
 * One pass of option parsing; stops at the first operand when `stop`
 * (before the command name).  Returns with optind at the operands.
 */
static void
parse_options(struct qs_globals *g, int argc, char **argv, int stop,
    const struct qs_command *cmd)
{
	int	c, idx;

	while ((c = getopt_long(argc, argv, stop ? "+f:hqV" : "f:hqV",
	    long_options, &idx)) != -1) {
		switch (c) {
		case 'f':
			if (strcmp(optarg, "text") == 0)
				g->format = QS_FORMAT_TEXT;
			else if (strcmp(optarg, "json") == 0)
				g->format = QS_FORMAT_JSON;
			else
				qs_usage_error("unknown format '%s' "
				    "(text or json)", optarg);
			break;
		case 'h':
			if (cmd != NULL)
				command_usage(cmd, stdout);
			else
				usage(stdout);
			exit(QS_EXIT_OK);
		case 'q':
			g->run->quiet = 1;
			break;
		case 'V':
			printf("%s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
			exit(QS_EXIT_OK);
		case OPT_COLOR:
			if (strcmp(optarg, "auto") == 0)
				g->color = QS_COLOR_AUTO;
			else if (strcmp(optarg, "always") == 0)
				g->color = QS_COLOR_ALWAYS;
			else if (strcmp(optarg, "never") == 0)
				g->color = QS_COLOR_NEVER;
			else
				qs_usage_error("--color takes auto, always or "
				    "never, not '%s'", optarg);
			break;
		case OPT_NODE:
			if (qs_run_add_node_rule(g->run, optarg) != 0)
				qs_usage_error("--node takes NAME=GLOB, not "
				    "'%s'", optarg);
			break;
		case '?':
			qs_usage_error("unknown or incomplete option");
			break;
		default:
			if (c >= OPT_LIMIT && c < OPT_LIMIT + QS_LIMIT_COUNT) {
				const struct qs_limit_def *d =
				    &qs_limit_defs[c - OPT_LIMIT];

				if (qs_limits_set(&g->run->limits, d->name,
				    optarg) != 0)
					qs_usage_error("--%s takes %s, not "
					    "'%s'", d->name, d->is_size ?
					    "a size such as 512M or 2G" :
					    "a whole number", optarg);
				break;
			}
			qs_usage_error("internal error: option %d", c);
		}
	}
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

int
main(int argc, char **argv)
{
	struct qs_globals		 g;
	const struct qs_command		*cmd = NULL;
	const char			*name, *no_color;
	size_t				 i;
	int				 status;

	memset(&g, 0, sizeof(g));
	g.run = qs_run_new();
	g.run->progress = isatty(STDERR_FILENO);

	parse_options(&g, argc, argv, 1, NULL);
	if (optind >= argc)
		qs_usage_error("no command given");
	name = argv[optind];
	for (i = 0; commands[i] != NULL; i++)
		if (strcmp(commands[i]->name, name) == 0)
			cmd = commands[i];
	if (cmd == NULL)
		qs_usage_error("unknown command '%s'", name);

	/* The command's own arguments, options allowed among them. */
	argc -= optind;
	argv += optind;
	optind = 1;
	parse_options(&g, argc, argv, 0, cmd);

	no_color = getenv("NO_COLOR");
	switch (g.color) {
	case QS_COLOR_ALWAYS:
		g.use_color = 1;
		break;
	case QS_COLOR_NEVER:
		g.use_color = 0;
		break;
	case QS_COLOR_AUTO:
		g.use_color = isatty(STDOUT_FILENO) &&
		    (no_color == NULL || *no_color == '\0');
		break;
	}

	status = cmd->exec(&g, argc - optind, argv + optind);
	qs_run_free(g.run);
	qs_magic_close();
	if (fflush(stdout) != 0)
		qs_fatal("write error on standard output");
	return status;
}
