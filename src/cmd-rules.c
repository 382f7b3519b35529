/*
 * quorumscope rules: every rule with its id, kind, severity and title.
 * quorumscope explain ID: one rule's explanation and repair in full.
 * Neither reads a bundle.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include <cjson/cJSON.h>

#include "quorumscope.h"

static cJSON *
rules_json(const struct qs_rule *r)
{
	cJSON	*o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "id", r->id);
	cJSON_AddStringToObject(o, "kind", r->kind);
	cJSON_AddStringToObject(o, "severity", qs_level_name(r->level));
	cJSON_AddStringToObject(o, "system", qs_system_name(r->system));
	cJSON_AddStringToObject(o, "title", r->title);
	cJSON_AddStringToObject(o, "explanation", r->explanation);
	cJSON_AddStringToObject(o, "remediation", r->remediation);
	return o;
}

static int
cmd_rules_exec(struct qs_globals *g, int argc, char **argv)
{
	const char	**cells;
	static const int right[] = { 0, 0, 0, 0, 0 };
	size_t		  i, n;
	cJSON		 *arr;

	(void)argv;
	if (argc != 0)
		qs_usage_error("rules takes no bundle");
	for (n = 0; qs_rules[n] != NULL; n++)
		;
	if (g->format == QS_FORMAT_JSON) {
		arr = cJSON_CreateArray();
		for (i = 0; i < n; i++)
			cJSON_AddItemToArray(arr, rules_json(qs_rules[i]));
		if (qs_json_print(arr, stdout) != 0)
			qs_fatal("write error on standard output");
		return QS_EXIT_OK;
	}
	cells = qs_xcalloc((n + 1) * 5, sizeof(*cells));
	cells[0] = "RULE";
	cells[1] = "SYSTEM";
	cells[2] = "KIND";
	cells[3] = "SEVERITY";
	cells[4] = "TITLE";
	for (i = 0; i < n; i++) {
		cells[(i + 1) * 5] = qs_rules[i]->id;
		cells[(i + 1) * 5 + 1] = qs_system_name(qs_rules[i]->system);
		cells[(i + 1) * 5 + 2] = qs_rules[i]->kind;
		cells[(i + 1) * 5 + 3] = qs_level_name(qs_rules[i]->level);
		cells[(i + 1) * 5 + 4] = qs_rules[i]->title;
	}
	qs_table_print(stdout, 5, n + 1, cells, right);
	free(cells);
	return QS_EXIT_OK;
}

static int
cmd_explain_exec(struct qs_globals *g, int argc, char **argv)
{
	const struct qs_rule	*r;

	if (argc != 1)
		qs_usage_error("explain takes one rule id (see quorumscope "
		    "rules)");
	if ((r = qs_rule_find(argv[0])) == NULL) {
		struct qs_arena	 a = { NULL };
		const char	*ids[256];
		size_t		 n;

		for (n = 0; qs_rules[n] != NULL && n < 256; n++)
			ids[n] = qs_rules[n]->id;
		qs_usage_error("no rule '%s' (see quorumscope rules)%s",
		    argv[0], qs_suggest_text(&a, argv[0], ids, n));
	}
	if (g->format == QS_FORMAT_JSON) {
		cJSON	*o = rules_json(r);

		qs_json_stamp(o);
		if (qs_json_print(o, stdout) != 0)
			qs_fatal("write error on standard output");
		return QS_EXIT_OK;
	}
	printf("%s: %s\n\nsystem:   %s\nkind:     %s\nseverity: %s\n\n"
	    "Why it matters\n", r->id, r->title, qs_system_name(r->system),
	    r->kind, qs_level_name(r->level));
	qs_text_wrap(stdout, 2, 2, r->explanation, 76);
	printf("\nRepair\n");
	qs_text_wrap(stdout, 2, 2, r->remediation, 76);
	return QS_EXIT_OK;
}

const struct qs_command qs_cmd_rules = {
	.name = "rules",
	.args = "",
	.summary = "list every rule",
	.exec = cmd_rules_exec,
};

const struct qs_command qs_cmd_explain = {
	.name = "explain",
	.args = "RULE",
	.summary = "one rule's explanation and repair",
	.exec = cmd_explain_exec,
};
