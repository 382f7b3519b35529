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

#include <archive.h>
#include <cjson/cJSON.h>
#include <magic.h>

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
	OPT_PROGRESS,
	OPT_NO_PROGRESS,
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
	{ "no-progress",	no_argument,	   NULL, OPT_NO_PROGRESS },
	{ "output",		required_argument, NULL, 'o' },
	{ "progress",		no_argument,	   NULL, OPT_PROGRESS },
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
	{ "max-spool-size",	required_argument, NULL,
	    OPT_LIMIT + QS_LIMIT_SPOOL },
	{ NULL, 0, NULL, 0 }
};

/*
 * Options that apply to some commands only, as given: each class's
 * first spelling, so that a refusal names what the user wrote.
 */
static unsigned		 given;
static const char	*given_name[5];

static void
option_given(unsigned opt, const char *name)
{
	size_t	i;

	for (i = 0; i < 5; i++)
		if (opt == 1u << i && given_name[i] == NULL)
			given_name[i] = name;
	given |= opt;
}

/* "--formt": the long option names, "--" included, to suggest from. */
static const char *
option_suggest(struct qs_arena *a, const char *bad)
{
	const char	*cands[sizeof(long_options) / sizeof(*long_options)];
	const char	*eq;
	size_t		 i, n = 0;

	if ((eq = strchr(bad, '=')) != NULL)
		bad = qs_arena_strndup(a, bad, (size_t)(eq - bad));
	if (strncmp(bad, "--", 2) != 0)
		return "";
	for (i = 0; long_options[i].name != NULL; i++)
		cands[n++] = long_options[i].name;
	bad = qs_suggest(bad + 2, cands, n);
	return bad != NULL ? qs_arena_printf(a, "; did you mean '--%s'?",
	    bad) : "";
}

/*
 * --version and the version command: the libraries in use and the
 * compression filters this libarchive reads (built in, or through an
 * external program), as bsdtar --version does.
 */
static void
print_version(void)
{
	static const struct {
		const char	*name;
		int		(*support)(struct archive *);
	} filters[] = {
		{ "gzip", archive_read_support_filter_gzip },
		{ "bzip2", archive_read_support_filter_bzip2 },
		{ "xz", archive_read_support_filter_xz },
		{ "lzma", archive_read_support_filter_lzma },
		{ "lzip", archive_read_support_filter_lzip },
		{ "zstd", archive_read_support_filter_zstd },
		{ "lz4", archive_read_support_filter_lz4 },
		{ "lzop", archive_read_support_filter_lzop },
		{ "compress", archive_read_support_filter_compress },
	};
	size_t	i;
	int	v = magic_version();

	printf("%s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
	printf("%s\n", archive_version_details());
	printf("cJSON %s\n", cJSON_Version());
	printf("libmagic %d.%02d\n", v / 100, v % 100);
	printf("filters:");
	for (i = 0; i < sizeof(filters) / sizeof(*filters); i++) {
		struct archive	*a = archive_read_new();
		int		 r;

		if (a == NULL)
			qs_fatal("out of memory");
		r = filters[i].support(a);
		if (r == ARCHIVE_OK)
			printf(" %s", filters[i].name);
		else if (r == ARCHIVE_WARN)
			printf(" %s (external program)", filters[i].name);
		archive_read_free(a);
	}
	printf("\n");
}

static void
usage(FILE *f)
{
	size_t	i;

	fprintf(f,
	    "usage: quorumscope [-hqV] [-f text|json|csv|html|swimlane]\n"
	    "                   [--output FILE] [--color auto|always|never]\n"
	    "                   [--node NAME=GLOB] [--width COLUMNS]\n"
	    "                   [--progress | --no-progress]\n"
	    "                   [--max-LIMIT VALUE]\n"
	    "                   [COMMAND] [options] BUNDLE...\n"
	    "       quorumscope help [COMMAND]\n"
	    "       quorumscope version\n"
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
	if (cmd->options & QS_OPT_INPUT)
		fprintf(f, "options: -f text|json, -o FILE, -q, --color "
		    "auto|always|never, --node NAME=GLOB, --progress, "
		    "--no-progress, --max-LIMIT VALUE (see quorumscope(1))\n");
	else
		fprintf(f, "options: -f text|json, -o FILE, -q (see "
		    "quorumscope(1))\n");
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
	struct qs_arena	 a = { NULL };
	const char	*bad;
	int		 c, idx;

	opterr = 0;
	while ((c = getopt_long(argc, argv, stop ? "+:f:ho:qV" : ":f:ho:qV",
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
			option_given(QS_OPT_WIDTH, "--width");
			break;
		case OPT_PROGRESS:
		case OPT_NO_PROGRESS:
			g->run->progress = c == OPT_PROGRESS;
			option_given(QS_OPT_INPUT, c == OPT_PROGRESS ?
			    "--progress" : "--no-progress");
			break;
		case OPT_IDS:
			g->ids = 1;
			option_given(QS_OPT_IDS, "--ids");
			break;
		case 'h':
			if (cmd != NULL)
				command_usage(cmd, stdout);
			else
				usage(stdout);
			exit(QS_EXIT_OK);
		case 'q':
			g->quiet = 1;
			g->run->quiet = 1;
			break;
		case 'V':
			print_version();
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
			if (strchr(optarg, '=') == NULL && *optarg != '\0') {
				qs_vec_push(&g->node_filter, optarg);
				option_given(QS_OPT_FILTER, "--node NAME");
			} else if (qs_run_add_node_rule(g->run, optarg) != 0)
				qs_usage_error("--node takes NAME=GLOB or NAME, "
				    "not '%s'", optarg);
			else
				option_given(QS_OPT_INPUT, "--node NAME=GLOB");
			break;
		case OPT_FAIL_ON:
			if (qs_level_parse(optarg, &g->fail_on) != 0)
				qs_usage_error("--fail-on takes info, warning, "
				    "error or critical, not '%s'", optarg);
			option_given(QS_OPT_FAIL_ON, "--fail-on");
			break;
		case OPT_SINCE:
		case OPT_UNTIL:
			if (parse_when(optarg, c == OPT_SINCE ? &g->since :
			    &g->until) != 0)
				qs_usage_error("--%s takes a time such as "
				    "2024-05-01T12:00:00Z, not '%s'",
				    c == OPT_SINCE ? "since" : "until", optarg);
			option_given(QS_OPT_FILTER, c == OPT_SINCE ? "--since" :
			    "--until");
			break;
		case OPT_EVENT:
			if (parse_events(optarg, &g->events) != 0)
				qs_usage_error("--event takes event names "
				    "separated by commas (join, leave, ...), "
				    "not '%s'", optarg);
			option_given(QS_OPT_FILTER, "--event");
			break;
		case '?':
			/* optopt: a short option; else the word itself. */
			if (optopt != 0)
				qs_usage_error("unknown option '-%c'", optopt);
			bad = argv[optind - 1];
			qs_usage_error("unknown option '%s'%s", bad,
			    option_suggest(&a, bad));
			break;
		case ':':
			if (optopt != 0 && optopt < 256)
				qs_usage_error("option '-%c' takes an argument",
				    optopt);
			qs_usage_error("option '%s' takes an argument",
			    argv[optind - 1]);
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
				option_given(QS_OPT_INPUT, qs_arena_printf(
				    &g->run->arena, "--%s", d->name));
				break;
			}
			qs_usage_error("internal error: option %d", c);
		}
	}
	qs_arena_free(&a);
}

/* help [COMMAND] and version: what git and go have. */
static void
builtin_commands(int argc, char **argv)
{
	const char	*cands[16];
	struct qs_arena	 a = { NULL };
	size_t		 i, n = 0;

	for (i = 0; commands[i] != NULL && n < 14; i++)
		cands[n++] = commands[i]->name;
	if (strcmp(argv[0], "version") == 0) {
		if (argc > 1)
			qs_usage_error("version takes no arguments");
		print_version();
		exit(QS_EXIT_OK);
	}
	if (strcmp(argv[0], "help") != 0)
		return;
	if (argc == 1) {
		usage(stdout);
		exit(QS_EXIT_OK);
	}
	if (argc > 2)
		qs_usage_error("help takes one command name");
	for (i = 0; commands[i] != NULL; i++)
		if (strcmp(commands[i]->name, argv[1]) == 0) {
			command_usage(commands[i], stdout);
			exit(QS_EXIT_OK);
		}
	qs_usage_error("no command '%s'%s", argv[1], qs_suggest_text(&a,
	    argv[1], cands, n));
}

int
main(int argc, char **argv)
{
	struct qs_globals		 g;
	const struct qs_command		*cmd = NULL;
	const char			*name, *no_color, *term;
	const char			*cands[16];
	struct qs_arena			 a = { NULL };
	size_t				 i;
	int				 status;

	qs_locale_init();
	memset(&g, 0, sizeof(g));
	g.run = qs_run_new();
	g.run->progress = isatty(STDERR_FILENO);
	term = getenv("TERM");

	g.fail_on = QS_LEVEL_ERROR;
	parse_options(&g, argc, argv, 1, NULL);
	if (optind >= argc)
		qs_usage_error("no command or bundle given");
	name = argv[optind];
	builtin_commands(argc - optind, argv + optind);
	for (i = 0; commands[i] != NULL; i++)
		if (strcmp(commands[i]->name, name) == 0)
			cmd = commands[i];
	if (cmd == NULL) {
		/*
		 * Not a command: the default command on bundles, unless the
		 * word names no file either (a mistyped command).
		 */
		if (strcmp(name, "-") != 0 && access(name, F_OK) != 0) {
			for (i = 0; commands[i] != NULL; i++)
				cands[i] = commands[i]->name;
			cands[i++] = "help";
			cands[i++] = "version";
			qs_usage_error("unknown command '%s', and no such "
			    "bundle%s", name, qs_suggest_text(&a, name, cands,
			    i));
		}
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
	optind = 0;	/* glibc: start afresh, permuting again */
	parse_options(&g, argc, argv, 0, cmd);
	if ((given & ~cmd->options) != 0) {
		for (i = 0; i < 5; i++)
			if ((given & ~cmd->options) & (1u << i))
				break;
		qs_usage_error("%s does not apply to the %s command",
		    given_name[i], cmd->name);
	}
	if (g.format == QS_FORMAT_CSV && cmd != &qs_cmd_timeline)
		qs_usage_error("-f csv is for the timeline command");
	if (g.format == QS_FORMAT_SWIMLANE && cmd != &qs_cmd_timeline)
		qs_usage_error("-f swimlane is for the timeline command");
	if (g.format == QS_FORMAT_HTML && cmd != &qs_cmd_report)
		qs_usage_error("-f html is for the report command");
	/* -o: the command's standard output goes to FILE instead. */
	if (g.output != NULL && freopen(g.output, "w", stdout) == NULL)
		qs_fatal("cannot write %s: %s", g.output, strerror(errno));
	/* -q: as grep's, the exit status only (but -o FILE is written). */
	if (g.quiet && g.output == NULL && freopen("/dev/null", "w",
	    stdout) == NULL)
		qs_fatal("cannot open /dev/null: %s", strerror(errno));

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
		    (no_color == NULL || *no_color == '\0') &&
		    (term == NULL || strcmp(term, "dumb") != 0);
		break;
	}

	status = cmd->exec(&g, argc - optind, argv + optind);
	qs_vec_free(&g.node_filter);
	qs_arena_free(&a);
	qs_run_free(g.run);
	qs_magic_close();
	if (fflush(stdout) != 0)
		qs_fatal("write error on standard output");
	return status;
}
