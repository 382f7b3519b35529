/*
 * quorumscope dump BUNDLE... NODE:PATH: what quorumscope decoded from
 * chosen artifacts, record by record, for engineers who want to look
 * themselves (bbolt keys, etcd-dump-logs and TxnLogToolkit, but one tool
 * for every kind this version reads).  NODE is a node name or *, PATH a
 * glob matched against the artifact's path, or the tail of it
 * ("consul1:raft/raft.db").  Text, or JSON lines with -f json: one object
 * per record, {"node", "path", "kind", "record", ...}.
 */
#include "config.h"

#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "quorumscope.h"

static int
dump_match(const struct qs_artifact *art, const char *node, const char *path)
{
	if (art->node == NULL || (strcmp(node, "*") != 0 &&
	    strcmp(node, art->node->name) != 0))
		return 0;
	return fnmatch(path, art->member, 0) == 0 ||
	    fnmatch(path, art->logical, 0) == 0 ||
	    qs_path_tail_match(art->logical, path);
}

static const char *
dump_clock(struct qs_arena *a, const struct qs_clock *c)
{
	const char	*s = "";

	if (c->set & QS_CLOCK_TERM)
		s = qs_arena_printf(a, " term %llu",
		    (unsigned long long)c->term);
	if (c->set & QS_CLOCK_INDEX)
		s = qs_arena_printf(a, "%s index %llu", s,
		    (unsigned long long)c->index);
	if (c->set & QS_CLOCK_LAMPORT)
		s = qs_arena_printf(a, "%s lamport %llu", s,
		    (unsigned long long)c->lamport);
	if (c->set & QS_CLOCK_ZXID)
		s = qs_arena_printf(a, "%s zxid 0x%llx", s,
		    (unsigned long long)c->zxid);
	return s;
}

static const char *
dump_where(struct qs_arena *a, const struct qs_evidence *ev)
{
	if (ev->line != 0)
		return qs_arena_printf(a, "line %llu",
		    (unsigned long long)ev->line);
	if (ev->has_offset)
		return qs_arena_printf(a, "offset %llu",
		    (unsigned long long)ev->offset);
	return "";
}

/* One JSON line: the common keys, then the record's own. */
static cJSON *
dump_json_head(const struct qs_artifact *art, const char *record,
    const struct qs_evidence *ev)
{
	cJSON	*o = cJSON_CreateObject();

	qs_json_stamp(o);
	cJSON_AddStringToObject(o, "node", art->node->name);
	cJSON_AddStringToObject(o, "path", art->member);
	cJSON_AddStringToObject(o, "kind", art->kind->name);
	cJSON_AddStringToObject(o, "record", record);
	if (ev->line != 0)
		cJSON_AddNumberToObject(o, "line", (double)ev->line);
	if (ev->has_offset)
		cJSON_AddNumberToObject(o, "offset", (double)ev->offset);
	return o;
}

static void
dump_json_emit(cJSON *o)
{
	char	*s;

	qs_json_sanitise(o);
	s = qs_json_terminal_safe(cJSON_PrintUnformatted(o));
	if (s == NULL)
		qs_fatal("out of memory printing JSON");
	puts(s);
	free(s);
	cJSON_Delete(o);
}

static void
dump_json_time(cJSON *o, const struct qs_time *t, const struct qs_clock *c)
{
	char	buf[40];

	if (t->set)
		cJSON_AddStringToObject(o, "time", qs_time_format(t, buf,
		    sizeof(buf)));
	if (c->set & QS_CLOCK_TERM)
		cJSON_AddNumberToObject(o, "term", (double)c->term);
	if (c->set & QS_CLOCK_INDEX)
		cJSON_AddNumberToObject(o, "index", (double)c->index);
	if (c->set & QS_CLOCK_LAMPORT)
		cJSON_AddNumberToObject(o, "lamport", (double)c->lamport);
	if (c->set & QS_CLOCK_ZXID) {
		snprintf(buf, sizeof(buf), "0x%llx",
		    (unsigned long long)c->zxid);
		cJSON_AddStringToObject(o, "zxid", buf);
	}
}

static void
dump_artifact(struct qs_globals *g, struct qs_arena *a,
    const struct qs_artifact *art)
{
	struct qs_run	*run = g->run;
	int		 json = g->format == QS_FORMAT_JSON;
	size_t		 i, j;
	char		 t[40];
	cJSON		*o, *arr, *m;

	if (!json)
		printf("== %s: %s (%s, %s)\n", qs_escape(a, art->node->name),
		    qs_escape(a, art->member), art->kind->name,
		    qs_status_name(art->status));
	for (i = 0; i < run->settings.n; i++) {
		const struct qs_setting	*s = run->settings.v[i];

		if (s->ev.artifact != art)
			continue;
		if (json) {
			o = dump_json_head(art, "setting", &s->ev);
			cJSON_AddStringToObject(o, "key", s->key);
			cJSON_AddStringToObject(o, "value", s->value);
			dump_json_emit(o);
		} else
			printf("setting   %s = %s  %s\n", qs_escape(a, s->key),
			    qs_escape(a, s->value), dump_where(a, &s->ev));
	}
	for (i = 0; i < run->identities.n; i++) {
		const struct qs_identity	*id = run->identities.v[i];

		if (id->ev.artifact != art)
			continue;
		if (json) {
			o = dump_json_head(art, "identity", &id->ev);
			cJSON_AddStringToObject(o, "type",
			    qs_ident_name(id->kind));
			cJSON_AddStringToObject(o, "value", id->value);
			if (id->role != NULL)
				cJSON_AddStringToObject(o, "role", id->role);
			if (id->subject != NULL)
				cJSON_AddStringToObject(o, "subject",
				    id->subject);
			dump_json_emit(o);
		} else
			printf("identity  %s %s%s%s of %s  %s\n",
			    qs_ident_name(id->kind), qs_escape(a, id->value),
			    id->role != NULL ? " role " : "",
			    id->role != NULL ? qs_escape(a, id->role) : "",
			    id->subject != NULL ? qs_escape(a, id->subject) :
			    "this node", dump_where(a, &id->ev));
	}
	for (i = 0; i < run->views.n; i++) {
		const struct qs_view	*v = run->views.v[i];

		if (v->ev.artifact != art)
			continue;
		if (json) {
			o = dump_json_head(art, "view", &v->ev);
			cJSON_AddStringToObject(o, "source", v->source);
			dump_json_time(o, &v->time, &v->clock);
			if (v->is_null)
				cJSON_AddNullToObject(o, "members");
			else {
				arr = cJSON_AddArrayToObject(o, "members");
				for (j = 0; j < v->members.n; j++) {
					const struct qs_member *mb =
					    v->members.v[j];

					m = cJSON_CreateObject();
					if (mb->name != NULL)
						cJSON_AddStringToObject(m,
						    "name", mb->name);
					if (mb->id != NULL)
						cJSON_AddStringToObject(m,
						    "id", mb->id);
					if (mb->address != NULL)
						cJSON_AddStringToObject(m,
						    "address", mb->address);
					cJSON_AddStringToObject(m, "state",
					    qs_member_state_name(mb->state));
					cJSON_AddItemToArray(arr, m);
				}
			}
			dump_json_emit(o);
			continue;
		}
		printf("view      %s%s%s:%s\n", qs_escape(a, v->source),
		    dump_clock(a, &v->clock), v->time.set ?
		    qs_arena_printf(a, " at %s", qs_time_format(&v->time, t,
		    sizeof(t))) : "", v->is_null ? " null" :
		    v->members.n == 0 ? " (empty)" : "");
		for (j = 0; j < v->members.n; j++) {
			const struct qs_member	*mb = v->members.v[j];

			printf("            %s %s%s%s%s%s\n",
			    qs_member_state_name(mb->state),
			    mb->name != NULL ? qs_escape(a, mb->name) : "-",
			    mb->address != NULL ? " " : "",
			    mb->address != NULL ? qs_escape(a, mb->address) :
			    "", mb->id != NULL ? " id " : "",
			    mb->id != NULL ? qs_escape(a, mb->id) : "");
		}
	}
	for (i = 0; i < run->events.n; i++) {
		const struct qs_event	*e = run->events.v[i];

		if (e->ev.artifact != art)
			continue;
		if (json) {
			o = dump_json_head(art, "event", &e->ev);
			cJSON_AddStringToObject(o, "event",
			    qs_event_kind_name(e->kind));
			dump_json_time(o, &e->time, &e->clock);
			if (e->subject != NULL)
				cJSON_AddStringToObject(o, "subject",
				    e->subject);
			if (e->detail != NULL)
				cJSON_AddStringToObject(o, "detail",
				    e->detail);
			dump_json_emit(o);
		} else
			printf("event     %s %s %s%s%s%s  %s\n",
			    qs_time_format(&e->time, t, sizeof(t)),
			    qs_event_kind_name(e->kind), e->subject != NULL ?
			    qs_escape(a, e->subject) : "-", dump_clock(a,
			    &e->clock), e->detail != NULL ? " " : "",
			    e->detail != NULL ? qs_escape(a, e->detail) : "",
			    dump_where(a, &e->ev));
	}
	for (i = 0; i < run->signals.n; i++) {
		const struct qs_signal	*s = run->signals.v[i];

		if (s->ev.artifact != art)
			continue;
		if (json) {
			o = dump_json_head(art, "signal", &s->ev);
			cJSON_AddStringToObject(o, "signal",
			    qs_signal_kind_name(s->kind));
			dump_json_time(o, &s->time, &s->clock);
			if (s->subject != NULL)
				cJSON_AddStringToObject(o, "subject",
				    s->subject);
			if (s->detail != NULL)
				cJSON_AddStringToObject(o, "detail",
				    s->detail);
			dump_json_emit(o);
		} else
			printf("signal    %s %s %s%s%s  %s\n",
			    qs_time_format(&s->time, t, sizeof(t)),
			    qs_signal_kind_name(s->kind), s->subject != NULL ?
			    qs_escape(a, s->subject) : "-", s->detail != NULL ?
			    " " : "", s->detail != NULL ?
			    qs_escape(a, s->detail) : "", dump_where(a,
			    &s->ev));
	}
}

static int
cmd_dump_exec(struct qs_globals *g, int argc, char **argv)
{
	struct qs_run	*run = g->run;
	struct qs_arena	 a = { NULL };
	const char	*sel, *colon, *node, *path;
	size_t		 i, found = 0;
	int		 opened;

	if (argc < 2)
		qs_usage_error("dump takes BUNDLE... NODE:PATH");
	sel = argv[argc - 1];
	if ((colon = strchr(sel, ':')) == NULL || colon == sel ||
	    colon[1] == '\0')
		qs_usage_error("dump: '%s' is not NODE:PATH (NODE may be *)",
		    sel);
	node = qs_arena_strndup(&a, sel, (size_t)(colon - sel));
	path = colon + 1;
	opened = qs_read_inputs(g, argc - 1, argv);
	qs_model_resolve(run);
	for (i = 0; i < run->artifacts.n; i++) {
		const struct qs_artifact	*art = run->artifacts.v[i];

		if (art->kind == NULL || !dump_match(art, node, path))
			continue;
		found++;
		dump_artifact(g, &a, art);
	}
	if (found == 0 && opened > 0 && strcmp(node, "*") != 0 &&
	    !qs_node_known(run, node))
		fprintf(stderr, "quorumscope: dump: no node '%s' in the "
		    "bundle%s\n", node, qs_node_suggest(&a, run, node));
	else if (found == 0 && opened > 0)
		fprintf(stderr, "quorumscope: dump: no recognised artifact "
		    "matches %s\n", sel);
	if (g->format != QS_FORMAT_JSON)
		qs_text_diagnostics(g, stdout);
	qs_arena_free(&a);
	if (opened == 0 || found == 0)
		return QS_EXIT_NOINPUT;
	return QS_EXIT_OK;
}

const struct qs_command qs_cmd_dump = {
	.name = "dump",
	.args = "BUNDLE... NODE:PATH",
	.summary = "print what was decoded from chosen artifacts, record by "
	    "record",
	.exec = cmd_dump_exec,
	.options = QS_OPT_INPUT,
};
