/*
 * Pieces every command's output shares: the JSON header and diagnostics
 * (the stable contract the man page documents), the text diagnostics
 * list, and an aligned table printer.  Output only prints what the run
 * holds; it computes nothing.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "quorumscope.h"

#define COLOR_BOLD	"\033[1m"
#define COLOR_RED	"\033[31m"
#define COLOR_YELLOW	"\033[33m"
#define COLOR_RESET	"\033[0m"

static cJSON *
output_json_add_object(cJSON *parent, const char *name)
{
	cJSON	*o = cJSON_CreateObject();

	if (o == NULL)
		qs_fatal("out of memory building JSON");
	cJSON_AddItemToObject(parent, name, o);
	return o;
}

/* {"schema", "tool": {name, version}, "inputs": [{path, entries, bytes}]} */
cJSON *
qs_json_header(const struct qs_run *run)
{
	cJSON	*root, *tool, *inputs, *in;
	size_t	 i;

	if ((root = cJSON_CreateObject()) == NULL)
		qs_fatal("out of memory building JSON");
	cJSON_AddNumberToObject(root, "schema", QS_SCHEMA_VERSION);
	tool = output_json_add_object(root, "tool");
	cJSON_AddStringToObject(tool, "name", PACKAGE_NAME);
	cJSON_AddStringToObject(tool, "version", PACKAGE_VERSION);
	inputs = cJSON_AddArrayToObject(root, "inputs");
	for (i = 0; i < run->inputs.n; i++) {
		const struct qs_input	*input = run->inputs.v[i];

		in = cJSON_CreateObject();
		cJSON_AddStringToObject(in, "path", input->path);
		cJSON_AddNumberToObject(in, "entries", (double)input->entries);
		cJSON_AddNumberToObject(in, "bytes", (double)input->bytes);
		cJSON_AddBoolToObject(in, "readable", input->opened);
		cJSON_AddBoolToObject(in, "complete", input->opened &&
		    !input->stopped);
		cJSON_AddItemToArray(inputs, in);
	}
	return root;
}

/* [{input, path, severity, message[, offset]}] */
cJSON *
qs_json_diagnostics(const struct qs_run *run)
{
	cJSON	*arr = cJSON_CreateArray(), *d;
	size_t	 i;

	if (arr == NULL)
		qs_fatal("out of memory building JSON");
	for (i = 0; i < run->diags.n; i++) {
		const struct qs_diag	*diag = run->diags.v[i];

		d = cJSON_CreateObject();
		if (diag->input != NULL)
			cJSON_AddStringToObject(d, "input", diag->input);
		else
			cJSON_AddNullToObject(d, "input");
		if (diag->path != NULL)
			cJSON_AddStringToObject(d, "path", diag->path);
		else
			cJSON_AddNullToObject(d, "path");
		cJSON_AddStringToObject(d, "severity",
		    qs_severity_name(diag->severity));
		cJSON_AddStringToObject(d, "message", diag->message);
		if (diag->has_offset)
			cJSON_AddNumberToObject(d, "offset",
			    (double)diag->offset);
		cJSON_AddItemToArray(arr, d);
	}
	return arr;
}

/* Prints and frees a JSON tree, indented, with a final newline. */
int
qs_json_print(cJSON *root, FILE *f)
{
	char	*s = cJSON_Print(root);

	cJSON_Delete(root);
	if (s == NULL)
		qs_fatal("out of memory printing JSON");
	fputs(s, f);
	fputc('\n', f);
	free(s);
	return ferror(f) ? -1 : 0;
}

void
qs_text_diagnostics(const struct qs_globals *g, FILE *f)
{
	const struct qs_run	*run = g->run;
	struct qs_arena		 a = { NULL };
	size_t			 i;

	if (run->diags.n == 0)
		return;
	fprintf(f, "\n%sDiagnostics%s\n", g->use_color ? COLOR_BOLD : "",
	    g->use_color ? COLOR_RESET : "");
	for (i = 0; i < run->diags.n; i++) {
		const struct qs_diag	*d = run->diags.v[i];
		const char		*color = "";

		if (g->use_color)
			color = d->severity == QS_SEV_ERROR ? COLOR_RED :
			    d->severity == QS_SEV_WARNING ? COLOR_YELLOW : "";
		fprintf(f, "  %s%-7s%s  ", color,
		    qs_severity_name(d->severity),
		    *color != '\0' ? COLOR_RESET : "");
		if (d->input != NULL)
			fprintf(f, "%s: ", qs_escape(&a, d->input));
		if (d->path != NULL)
			fprintf(f, "%s: ", qs_escape(&a, d->path));
		if (d->has_offset)
			fprintf(f, "offset %llu: ",
			    (unsigned long long)d->offset);
		fprintf(f, "%s\n", qs_escape(&a, d->message));
	}
	qs_arena_free(&a);
}

/*
 * An aligned table: cells row-major, the first row the header; right[c]
 * right-aligns column c.  The last column is not padded.  Cells must
 * already be escaped.
 */
void
qs_table_print(FILE *f, size_t ncols, size_t nrows, const char **cells,
    const int *right)
{
	size_t	*width = qs_xcalloc(ncols, sizeof(*width));
	size_t	 r, c, len;

	for (r = 0; r < nrows; r++)
		for (c = 0; c < ncols; c++) {
			len = strlen(cells[r * ncols + c]);
			if (len > width[c])
				width[c] = len;
		}
	for (r = 0; r < nrows; r++) {
		for (c = 0; c < ncols; c++) {
			const char	*cell = cells[r * ncols + c];
			int		 w = (int)width[c];

			if (c + 1 == ncols && !right[c])
				fputs(cell, f);
			else if (right[c])
				fprintf(f, "%*s", w, cell);
			else
				fprintf(f, "%-*s", w, cell);
			if (c + 1 < ncols)
				fputs("  ", f);
		}
		fputc('\n', f);
	}
	free(width);
}
