/*
 * quorumscope timeline BUNDLE...: every node's events as one history,
 * the same event seen by several nodes shown once with its observers.
 * Filters: --node NAME (observer or subject), --event KIND[,KIND],
 * --since TIME, --until TIME.  Text, JSON (the report's timeline array)
 * or CSV.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "quorumscope.h"

/* A CSV field: quoted when it holds a comma, quote or line break. */
static void
timeline_csv_field(FILE *f, const char *s, int last)
{
	const char	*p;

	if (strpbrk(s, ",\"\r\n") == NULL)
		fputs(s, f);
	else {
		fputc('"', f);
		for (p = s; *p != '\0'; p++) {
			if (*p == '"')
				fputc('"', f);
			fputc(*p, f);
		}
		fputc('"', f);
	}
	fputc(last ? '\n' : ',', f);
}

static const char *
timeline_clock(struct qs_arena *a, const struct qs_event *e)
{
	const char	*s = "";

	if (e->clock.set & QS_CLOCK_TERM)
		s = qs_arena_printf(a, "term %llu",
		    (unsigned long long)e->clock.term);
	if (e->clock.set & QS_CLOCK_INDEX)
		s = qs_arena_printf(a, "%s%sindex %llu", s, *s ? " " : "",
		    (unsigned long long)e->clock.index);
	if (e->clock.set & QS_CLOCK_LAMPORT)
		s = qs_arena_printf(a, "%s%slamport %llu", s, *s ? " " : "",
		    (unsigned long long)e->clock.lamport);
	if (e->clock.set & QS_CLOCK_ZXID)
		s = qs_arena_printf(a, "%s%szxid 0x%llx", s, *s ? " " : "",
		    (unsigned long long)e->clock.zxid);
	return s;
}

static const char *
timeline_observers(struct qs_arena *a, const struct qs_tl_entry *t)
{
	const char	*s = "";
	size_t		 i;

	for (i = 0; i < t->observers.n; i++)
		s = qs_arena_printf(a, "%s%s%s", s, i > 0 ? " " : "",
		    ((struct qs_node *)t->observers.v[i])->name);
	return s;
}

static int
cmd_timeline_exec(struct qs_globals *g, int argc, char **argv)
{
	struct qs_analysis	 an;
	struct qs_arena		 a = { NULL };
	const char		**cells = NULL;
	static const int	 right[] = { 0, 0, 0, 0, 0, 0, 0, 0 };
	size_t			 i, rows = 1;
	int			 opened;
	char			 t[40];
	cJSON			*arr;

	opened = qs_analysis_inputs(g, argc, argv, &an);
	switch (g->format) {
	case QS_FORMAT_JSON:
		arr = cJSON_CreateArray();
		for (i = 0; i < an.timeline.entries.n; i++)
			if (qs_tl_keep(g, an.timeline.entries.v[i]))
				cJSON_AddItemToArray(arr, qs_json_tl_entry(
				    an.timeline.entries.v[i]));
		if (qs_json_print(arr, stdout) != 0)
			qs_fatal("write error on standard output");
		break;
	case QS_FORMAT_CSV:
		fputs("time,node,observers,system,event,subject,clock,detail,"
		    "evidence\n", stdout);
		for (i = 0; i < an.timeline.entries.n; i++) {
			const struct qs_tl_entry *te = an.timeline.entries.v[i];
			const struct qs_event	 *e = te->event;

			if (!qs_tl_keep(g, te))
				continue;
			timeline_csv_field(stdout, e->time.set ?
			    qs_time_format(&e->time, t, sizeof(t)) : "", 0);
			timeline_csv_field(stdout, e->observer != NULL ?
			    e->observer->name : "", 0);
			timeline_csv_field(stdout, timeline_observers(&a, te),
			    0);
			timeline_csv_field(stdout, qs_system_name(e->system), 0);
			timeline_csv_field(stdout, qs_event_kind_name(e->kind),
			    0);
			timeline_csv_field(stdout, qs_tl_subject(e), 0);
			timeline_csv_field(stdout, timeline_clock(&a, e), 0);
			timeline_csv_field(stdout, e->detail != NULL ?
			    e->detail : "", 0);
			timeline_csv_field(stdout, qs_evidence_text(&a, &e->ev),
			    1);
		}
		break;
	case QS_FORMAT_TEXT:
		cells = qs_xcalloc((an.timeline.entries.n + 1) * 7,
		    sizeof(*cells));
		cells[0] = "TIME";
		cells[1] = "NODE";
		cells[2] = "SYSTEM";
		cells[3] = "EVENT";
		cells[4] = "SUBJECT";
		cells[5] = "CLOCK";
		cells[6] = "DETAIL";
		for (i = 0; i < an.timeline.entries.n; i++) {
			const struct qs_tl_entry *te = an.timeline.entries.v[i];
			const struct qs_event	 *e = te->event;
			const char		 *detail;

			if (!qs_tl_keep(g, te))
				continue;
			detail = e->detail != NULL ? qs_escape(&a, e->detail) :
			    "";
			if (te->observers.n > 1)
				detail = qs_arena_printf(&a, "%s%sseen by %s",
				    detail, *detail ? "; " : "",
				    qs_escape(&a, timeline_observers(&a, te)));
			cells[rows * 7] = qs_arena_strdup(&a, qs_time_format(
			    &e->time, t, sizeof(t)));
			cells[rows * 7 + 1] = e->observer != NULL ?
			    qs_escape(&a, e->observer->name) : "-";
			cells[rows * 7 + 2] = qs_system_name(e->system);
			cells[rows * 7 + 3] = qs_event_kind_name(e->kind);
			cells[rows * 7 + 4] = *qs_tl_subject(e) != '\0' ?
			    qs_escape(&a, qs_tl_subject(e)) : "-";
			cells[rows * 7 + 5] = *timeline_clock(&a, e) != '\0' ?
			    timeline_clock(&a, e) : "-";
			cells[rows * 7 + 6] = detail;
			rows++;
		}
		qs_table_print(stdout, 7, rows, cells, right);
		qs_text_diagnostics(g, stdout);
		break;
	}
	free(cells);
	qs_arena_free(&a);
	qs_analysis_free(&an);
	return opened == 0 ? QS_EXIT_NOINPUT : QS_EXIT_OK;
}

const struct qs_command qs_cmd_timeline = {
	.name = "timeline",
	.args = "[--node NAME] [--event KIND,...] [--since TIME] "
	    "[--until TIME] BUNDLE...",
	.summary = "one history of every node's events",
	.exec = cmd_timeline_exec,
};
