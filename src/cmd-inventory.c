/*
 * quorumscope inventory BUNDLE...: what is in the bundles, node by node.
 * For every node, each recognised artifact with its kind, size, status
 * and path inside the bundle; then the inputs, the number of entries not
 * recognised, and every diagnostic.  The first thing to run on a bundle
 * nobody has looked at yet.  An etcd data dir beside the configured one
 * (etcd-data-dir.c) is marked a leftover.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include <cjson/cJSON.h>

#include "quorumscope.h"

static const char *
inventory_kind(const struct qs_artifact *art)
{
	switch (art->type) {
	case QS_ENTRY_SYMLINK:
		return "symlink";
	case QS_ENTRY_HARDLINK:
		return "hardlink";
	case QS_ENTRY_FILE:
		break;
	}
	return art->kind->name;
}

static cJSON *
inventory_json_artifact(const struct qs_artifact *art)
{
	cJSON	*o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "path", art->member);
	cJSON_AddStringToObject(o, "kind", inventory_kind(art));
	cJSON_AddStringToObject(o, "system", art->kind != NULL ?
	    qs_system_name(art->kind->system) : "none");
	cJSON_AddNumberToObject(o, "size", (double)art->size);
	cJSON_AddStringToObject(o, "status", qs_status_name(art->status));
	if (art->leftover)
		cJSON_AddBoolToObject(o, "leftover", 1);
	if (art->target != NULL)
		cJSON_AddStringToObject(o, "target", art->target);
	if (art->message != NULL)
		cJSON_AddStringToObject(o, "message", art->message);
	cJSON_AddStringToObject(o, "input", art->input->path);
	return o;
}

static int
inventory_json(struct qs_globals *g)
{
	struct qs_run	*run = g->run;
	cJSON		*root = qs_json_header(run), *nodes, *node, *arts;
	size_t		 i, j;

	nodes = cJSON_AddArrayToObject(root, "nodes");
	for (i = 0; i < run->nodes.n; i++) {
		const struct qs_node	*n = run->nodes.v[i];

		node = cJSON_CreateObject();
		cJSON_AddStringToObject(node, "name", n->name);
		arts = cJSON_AddArrayToObject(node, "artifacts");
		for (j = 0; j < n->artifacts.n; j++)
			cJSON_AddItemToArray(arts,
			    inventory_json_artifact(n->artifacts.v[j]));
		cJSON_AddItemToArray(nodes, node);
	}
	cJSON_AddNumberToObject(root, "unrecognised",
	    (double)run->unrecognised);
	cJSON_AddItemToObject(root, "diagnostics", qs_json_diagnostics(run));
	return qs_json_print(root, stdout);
}

static int
inventory_text(struct qs_globals *g)
{
	struct qs_run	*run = g->run;
	struct qs_arena	 a = { NULL };
	const char	**cells;
	static const int right_art[] = { 0, 0, 1, 0, 0 };
	static const int right_in[] = { 0, 1, 1 };
	size_t		 i, j, rows, nart = 0;
	FILE		*f = stdout;

	for (i = 0; i < run->nodes.n; i++)
		nart += ((struct qs_node *)run->nodes.v[i])->artifacts.n;
	fprintf(f, "%zu input%s, %zu node%s, %zu artifact%s, %llu "
	    "unrecognised entr%s\n\n", run->inputs.n,
	    run->inputs.n == 1 ? "" : "s", run->nodes.n,
	    run->nodes.n == 1 ? "" : "s", nart, nart == 1 ? "" : "s",
	    (unsigned long long)run->unrecognised,
	    run->unrecognised == 1 ? "y" : "ies");

	cells = qs_xcalloc((run->inputs.n + 1) * 3, sizeof(*cells));
	cells[0] = "INPUT";
	cells[1] = "ENTRIES";
	cells[2] = "BYTES";
	for (i = 0; i < run->inputs.n; i++) {
		const struct qs_input	*in = run->inputs.v[i];

		cells[(i + 1) * 3] = qs_escape(&a, in->path);
		cells[(i + 1) * 3 + 1] = in->opened ? qs_arena_printf(&a,
		    "%llu", (unsigned long long)in->entries) : "unreadable";
		cells[(i + 1) * 3 + 2] = qs_arena_printf(&a, "%llu%s",
		    (unsigned long long)in->bytes,
		    qs_input_completeness(in) == QS_PARTIAL ? " (partial)" :
		    "");
	}
	qs_table_print(f, 3, run->inputs.n + 1, cells, right_in);
	free(cells);

	cells = qs_xcalloc((nart + run->nodes.n + 1) * 5, sizeof(*cells));
	cells[0] = "NODE";
	cells[1] = "KIND";
	cells[2] = "SIZE";
	cells[3] = "STATUS";
	cells[4] = "PATH";
	rows = 1;
	for (i = 0; i < run->nodes.n; i++) {
		const struct qs_node	*n = run->nodes.v[i];
		const char		*name = qs_escape(&a, n->name);

		if (n->artifacts.n == 0) {
			cells[rows * 5] = name;
			cells[rows * 5 + 1] = "-";
			cells[rows * 5 + 2] = "-";
			cells[rows * 5 + 3] = "-";
			cells[rows * 5 + 4] = "(nothing recognised)";
			rows++;
		}
		for (j = 0; j < n->artifacts.n; j++) {
			const struct qs_artifact *art = n->artifacts.v[j];
			const char		 *path;

			path = qs_escape(&a, art->member);
			if (art->target != NULL)
				path = qs_arena_printf(&a, "%s -> %s", path,
				    qs_escape(&a, art->target));
			cells[rows * 5] = name;
			cells[rows * 5 + 1] = inventory_kind(art);
			cells[rows * 5 + 2] = qs_arena_printf(&a, "%llu",
			    (unsigned long long)art->size);
			cells[rows * 5 + 3] = art->leftover ?
			    qs_arena_printf(&a, "%s, leftover",
			    qs_status_name(art->status)) :
			    qs_status_name(art->status);
			cells[rows * 5 + 4] = path;
			rows++;
		}
	}
	if (rows > 1) {
		fputc('\n', f);
		qs_table_print(f, 5, rows, cells, right_art);
	}
	free(cells);
	qs_text_diagnostics(g, f);
	qs_arena_free(&a);
	return ferror(f) ? -1 : 0;
}

static int
cmd_inventory_exec(struct qs_globals *g, int argc, char **argv)
{
	int	opened;

	opened = qs_read_inputs(g, argc, argv);
	qs_etcd_leftovers(g->run);
	if ((g->format == QS_FORMAT_JSON ? inventory_json(g) :
	    inventory_text(g)) != 0)
		qs_fatal("write error on standard output");
	return opened == 0 ? QS_EXIT_NOINPUT : QS_EXIT_OK;
}

const struct qs_command qs_cmd_inventory = {
	.name = "inventory",
	.args = "[options] BUNDLE...",
	.summary = "list every node's recognised artifacts",
	.exec = cmd_inventory_exec,
};
