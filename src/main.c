/*
 * quorumscope [global options] COMMAND [options] BUNDLE...
 *
 * The command table, option parsing shared by every command, and reading
 * the inputs.  Options may stand before or after the command name.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "quorumscope.h"

static const struct qs_command *const commands[] = {
	&qs_cmd_report,
	&qs_cmd_timeline,
	&qs_cmd_inventory,
	&qs_cmd_peers,
	&qs_cmd_rules,
	&qs_cmd_explain,
	&qs_cmd_dump,
	NULL
};

enum {
	OPT_COLOR = 256,
	OPT_NODE,
	OPT_FAIL_ON,
	OPT_SINCE,
	OPT_UNTIL,
	OPT_EVENT,
	OPT_WIDTH,
	OPT_IDS,
	OPT_LIMIT	/* + limit id */
};

static const struct option long_options[] = {
	{ "color",		required_argument, NULL, OPT_COLOR },
	{ "event",		required_argument, NULL, OPT_EVENT },
	{ "fail-on",		required_argument, NULL, OPT_FAIL_ON },
	{ "since",		required_argument, NULL, OPT_SINCE },
	{ "until",		required_argument, NULL, OPT_UNTIL },
	{ "format",		required_argument, NULL, 'f' },
	{ "help",		no_argument,	   NULL, 'h' },
	{ "ids",		no_argument,	   NULL, OPT_IDS },
	{ "node",		required_argument, NULL, OPT_NODE },
	{ "output",		required_argument, NULL, 'o' },
	{ "quiet",		no_argument,	   NULL, 'q' },
	{ "version",		no_argument,	   NULL, 'V' },
	{ "width",		required_argument, NULL, OPT_WIDTH },
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
	    "usage: quorumscope [-hqV] [-f text|json|csv|html|swimlane]\n"
	    "                   [--output FILE] [--color auto|always|never]\n"
	    "                   [--node NAME=GLOB] [--width COLUMNS]\n"
	    "                   [--max-LIMIT VALUE]\n"
	    "                   [COMMAND] [options] BUNDLE...\n"
	    "commands (report when none is given):\n");
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
	fprintf(f, "options: -f text|json, -o FILE, -q, --color "
	    "auto|always|never, --node NAME=GLOB, --max-LIMIT VALUE "
	    "(see quorumscope(1))\n");
	if (cmd == &qs_cmd_report)
		fprintf(f, "  --fail-on info|warning|error|critical  exit 1 on "
		    "findings at or above (default error)\n"
		    "  -f html        one self-contained page with the "
		    "swimlane picture\n");
	if (cmd == &qs_cmd_peers)
		fprintf(f, "  --ids          each cell also gives the member "
		    "id the source lists\n");
	if (cmd == &qs_cmd_timeline)
		fprintf(f, "  --node NAME    events seen by or about NAME\n"
		    "  --event KIND[,KIND...]  only these events\n"
		    "  --since TIME, --until TIME  RFC 3339 bounds\n"
		    "  -f csv         comma-separated values\n"
		    "  -f swimlane    one row per node over time, "
		    "--width COLUMNS\n");
}

/* RFC 3339 with a zone, or a date, or a date and time taken as UTC. */
static int
parse_when(const char *s, struct qs_time *t)
{
	char	buf[64];
	size_t	len = strlen(s);

	if (len == 10 && len + 9 < sizeof(buf)) {
		snprintf(buf, sizeof(buf), "%sT00:00:00Z", s);
		s = buf;
		len = strlen(s);
	}
	return qs_time_parse_iso(s, len, t) == (int)len ? 0 : -1;
}

static int
parse_events(const char *s, unsigned *mask)
{
	enum qs_event_kind	k;
	const char		*p = s, *comma;
	size_t			 len;

	*mask = 0;
	while (*p != '\0') {
		comma = strchr(p, ',');
		len = comma != NULL ? (size_t)(comma - p) : strlen(p);
		for (k = 0; k < QS_EV_COUNT; k++)
			if (strlen(qs_event_kind_name(k)) == len &&
			    strncmp(qs_event_kind_name(k), p, len) == 0)
				break;
		if (k == QS_EV_COUNT)
			return -1;
		*mask |= 1u << k;
		p += len;
		if (*p == ',')
			p++;
	}
	return *mask != 0 ? 0 : -1;
}

/* --width: terminal columns for the swimlane, 40 to 1000. */
static int
parse_width(const char *s)
{
	char	*end;
	long	 v;

	v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || v < 40 || v > 1000)
		qs_usage_error("--width takes a number of columns from 40 to "
		    "1000, not '%s'", s);
	return (int)v;
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

	while ((c = getopt_long(argc, argv, stop ? "+f:ho:qV" : "f:ho:qV",
	    long_options, &idx)) != -1) {
		switch (c) {
		case 'f':
			if (strcmp(optarg, "text") == 0)
				g->format = QS_FORMAT_TEXT;
			else if (strcmp(optarg, "json") == 0)
				g->format = QS_FORMAT_JSON;
			else if (strcmp(optarg, "csv") == 0)
				g->format = QS_FORMAT_CSV;
			else if (strcmp(optarg, "html") == 0)
				g->format = QS_FORMAT_HTML;
			else if (strcmp(optarg, "swimlane") == 0)
				g->format = QS_FORMAT_SWIMLANE;
			else
				qs_usage_error("unknown format '%s' (text, "
				    "json, csv, html or swimlane)", optarg);
			break;
		case 'o':
			if (*optarg == '\0')
				qs_usage_error("-o takes a file name");
			g->output = optarg;
			break;
		case OPT_WIDTH:
			g->width = parse_width(optarg);
			break;
		case OPT_IDS:
			g->ids = 1;
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
			/* NAME=GLOB attributes entries; NAME filters. */
			if (strchr(optarg, '=') == NULL && *optarg != '\0')
				qs_vec_push(&g->node_filter, optarg);
			else if (qs_run_add_node_rule(g->run, optarg) != 0)
				qs_usage_error("--node takes NAME=GLOB or NAME, "
				    "not '%s'", optarg);
			break;
		case OPT_FAIL_ON:
			if (qs_level_parse(optarg, &g->fail_on) != 0)
				qs_usage_error("--fail-on takes info, warning, "
				    "error or critical, not '%s'", optarg);
			break;
		case OPT_SINCE:
		case OPT_UNTIL:
			if (parse_when(optarg, c == OPT_SINCE ? &g->since :
			    &g->until) != 0)
				qs_usage_error("--%s takes a time such as "
				    "2024-05-01T12:00:00Z, not '%s'",
				    c == OPT_SINCE ? "since" : "until", optarg);
			break;
		case OPT_EVENT:
			if (parse_events(optarg, &g->events) != 0)
				qs_usage_error("--event takes event names "
				    "separated by commas (join, leave, ...), "
				    "not '%s'", optarg);
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

int
main(int argc, char **argv)
{
	struct qs_globals		 g;
	const struct qs_command		*cmd = NULL;
	const char			*name, *no_color;
	size_t				 i;
	int				 status;

	qs_locale_init();
	memset(&g, 0, sizeof(g));
	g.run = qs_run_new();
	g.run->progress = isatty(STDERR_FILENO);

	g.fail_on = QS_LEVEL_ERROR;
	parse_options(&g, argc, argv, 1, NULL);
	if (optind >= argc)
		qs_usage_error("no command or bundle given");
	name = argv[optind];
	for (i = 0; commands[i] != NULL; i++)
		if (strcmp(commands[i]->name, name) == 0)
			cmd = commands[i];
	if (cmd == NULL) {
		/*
		 * Not a command: the default command on bundles, unless the
		 * word names no file either (a mistyped command).
		 */
		if (strcmp(name, "-") != 0 && access(name, F_OK) != 0)
			qs_usage_error("unknown command '%s', and no such "
			    "bundle", name);
		cmd = &qs_cmd_report;
		optind--;	/* keep the word: it is the first bundle */
	}

	/*
	 * The command's own arguments, options allowed among them; argv[0]
	 * is the command name (or the word before the first bundle), which
	 * getopt skips.
	 */
	argc -= optind;
	argv += optind;
	optind = 1;
	parse_options(&g, argc, argv, 0, cmd);
	if (g.format == QS_FORMAT_CSV && cmd != &qs_cmd_timeline)
		qs_usage_error("-f csv is for the timeline command");
	if (g.format == QS_FORMAT_SWIMLANE && cmd != &qs_cmd_timeline)
		qs_usage_error("-f swimlane is for the timeline command");
	if (g.format == QS_FORMAT_HTML && cmd != &qs_cmd_report)
		qs_usage_error("-f html is for the report command");
	/* -o: the command's standard output goes to FILE instead. */
	if (g.output != NULL && freopen(g.output, "w", stdout) == NULL)
		qs_fatal("cannot write %s: %s", g.output, strerror(errno));

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
	qs_vec_free(&g.node_filter);
	qs_run_free(g.run);
	qs_magic_close();
	if (fflush(stdout) != 0)
		qs_fatal("write error on standard output");
	return status;
}
