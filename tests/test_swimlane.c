/*
 * The swimlane model (swimlane.c) on report documents written by hand,
 * and the HTML report (report-html.c) drawn from them: which lane every
 * event lands in, what the filters keep, that the page embeds the very
 * document it was drawn from, and that hostile names stay text.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "test.h"

/*
 * Two clusters: a ZooKeeper ensemble with a history (members a and b,
 * and "c" listed in its configuration but not in the bundle), and a
 * Consul datacenter with none; events about members, by members, by a
 * node of no cluster, and one with no time.
 */
static const char sl_doc[] =
"{\"clusters\": ["
" {\"id\": \"zookeeper\", \"system\": \"zookeeper\", \"name\": \"ZK\","
"  \"nodes\": [\"a\", \"b\", \"d\"],"
"  \"history\": {\"begin\": \"2026-01-01T00:00:00.000Z\","
"   \"end\": \"2026-01-01T00:01:00.000Z\","
"   \"members\": ["
"    {\"label\": \"a\", \"node\": \"a\", \"liveness\": ["
"      {\"state\": \"up\","
"       \"from\": {\"time\": \"2026-01-01T00:00:00.000Z\", \"grade\": \"seen\"},"
"       \"to\": {\"time\": \"2026-01-01T00:00:20.000Z\","
"        \"latest\": \"2026-01-01T00:00:25.000Z\", \"grade\": \"inferred\"}},"
"      {\"state\": \"down\","
"       \"from\": {\"time\": \"2026-01-01T00:00:20.000Z\","
"        \"latest\": \"2026-01-01T00:00:25.000Z\", \"grade\": \"inferred\"},"
"       \"to\": {\"time\": \"2026-01-01T00:01:00.000Z\", \"grade\": \"assumed\"}}]},"
"    {\"label\": \"b\", \"node\": \"b\", \"liveness\": []},"
"    {\"label\": \"c\", \"node\": null, \"liveness\": []}],"
"   \"leadership\": [{\"term\": 3, \"leader\": \"b\","
"     \"from\": {\"time\": \"2026-01-01T00:00:05.000Z\", \"grade\": \"seen\"},"
"     \"to\": {\"time\": \"2026-01-01T00:00:50.000Z\", \"grade\": \"seen\"}}],"
"   \"quorum\": [{\"state\": \"held\", \"from\": \"2026-01-01T00:00:00.000Z\","
"     \"to\": \"2026-01-01T00:00:30.000Z\", \"leader\": \"b\"},"
"    {\"state\": \"lost\", \"from\": \"2026-01-01T00:00:30.000Z\","
"     \"to\": \"2026-01-01T00:01:00.000Z\", \"leader\": null}]}},"
" {\"id\": \"consul\", \"system\": \"consul\", \"name\": \"dc1\","
"  \"nodes\": [\"x\", \"y\"], \"history\": null}],"
"\"clock_skew\": [{\"node\": \"b\", \"offset_ms\": -2500, \"samples\": 4}],"
"\"timeline\": ["
" {\"time\": \"2026-01-01T00:00:21.000Z\", \"node\": \"b\", \"system\": \"zookeeper\","
"  \"event\": \"stop\", \"subject\": \"a\", \"evidence\": []},"
" {\"time\": \"2026-01-01T00:00:05.000Z\", \"node\": \"b\", \"system\": \"zookeeper\","
"  \"event\": \"leader-elected\", \"subject\": \"b\", \"evidence\": []},"
" {\"time\": \"2026-01-01T00:00:06.000Z\", \"node\": \"a\", \"system\": \"zookeeper\","
"  \"event\": \"join\", \"subject\": \"10.0.0.9:2888\", \"evidence\": []},"
" {\"time\": \"2026-01-01T00:02:00.000Z\", \"node\": \"x\", \"system\": \"consul\","
"  \"event\": \"fail\", \"subject\": \"y\", \"evidence\": []},"
" {\"time\": \"2026-01-01T00:00:07.000Z\", \"node\": \"z\", \"system\": \"etcd\","
"  \"event\": \"start\", \"subject\": \"z\", \"evidence\": []},"
" {\"time\": null, \"node\": \"x\", \"system\": \"consul\","
"  \"event\": \"member-add\", \"subject\": \"x\", \"evidence\": []}],"
"\"findings\": []}";

static const struct qs_sl_lane *
sl_lane(const struct qs_sl_group *g, const char *label)
{
	size_t	i;

	for (i = 0; i < g->lanes.n; i++)
		if (strcmp(((struct qs_sl_lane *)g->lanes.v[i])->label,
		    label) == 0)
			return g->lanes.v[i];
	return NULL;
}

DEFINE_TEST(swimlane_groups_and_lanes)
{
	cJSON			*doc = cJSON_Parse(sl_doc);
	struct qs_swimlane	 sw;
	const struct qs_sl_group *zk, *consul, *other;
	const struct qs_sl_lane	*a, *b, *c, *d;

	CHECK(doc != NULL);
	qs_swimlane_build(&sw, doc, NULL);
	CHECK_INT(sw.groups.n, 3);
	zk = sw.groups.v[0];
	consul = sw.groups.v[1];
	other = sw.groups.v[2];
	CHECK_STR(zk->id, "zookeeper");
	CHECK_STR(consul->id, "consul");
	CHECK_STR(other->id, "other");
	/* History members in order, then the cluster's other node. */
	CHECK_INT(zk->lanes.n, 4);
	CHECK_STR(((struct qs_sl_lane *)zk->lanes.v[2])->label, "c");
	CHECK_STR(((struct qs_sl_lane *)zk->lanes.v[3])->label, "d");
	a = sl_lane(zk, "a");
	b = sl_lane(zk, "b");
	c = sl_lane(zk, "c");
	d = sl_lane(zk, "d");
	CHECK(a != NULL && b != NULL && c != NULL && d != NULL);
	if (a == NULL || b == NULL || c == NULL || d == NULL)
		goto out;
	CHECK(c->node == NULL);
	CHECK_INT(c->member, 2);
	CHECK(d->member == SIZE_MAX);
	/* Spans keep their inferred boundary as a range. */
	CHECK_INT(a->spans.n, 2);
	CHECK_INT(((struct qs_sl_span *)a->spans.v[0])->to_hi -
	    ((struct qs_sl_span *)a->spans.v[0])->to, 5000);
	CHECK_INT(((struct qs_sl_span *)a->spans.v[1])->state, QS_LIVE_DOWN);
	CHECK_INT(((struct qs_sl_span *)a->spans.v[1])->from_grade,
	    QS_GRADE_INFERRED);
	/* The term is in its leader's lane, with its number. */
	CHECK_INT(b->terms.n, 1);
	CHECK_STR(((struct qs_sl_term *)b->terms.v[0])->term, "3");
	CHECK_INT(zk->quorum.n, 2);
	CHECK(((struct qs_sl_quorum *)zk->quorum.v[1])->leader == NULL);
	CHECK_INT(((struct qs_sl_quorum *)zk->quorum.v[1])->state, 2);
	/* Events: about a lane there, else where they were seen. */
	CHECK_INT(a->marks.n, 2);
	if (a->marks.n == 2) {
		CHECK_INT(((struct qs_sl_mark *)a->marks.v[0])->kind,
		    QS_EV_STOP);
		CHECK_INT(((struct qs_sl_mark *)a->marks.v[0])->entry, 0);
		CHECK_INT(((struct qs_sl_mark *)a->marks.v[1])->kind,
		    QS_EV_JOIN);
		CHECK_INT(((struct qs_sl_mark *)a->marks.v[1])->entry, 2);
	}
	CHECK_INT(b->marks.n, 1);
	CHECK_INT(c->marks.n + d->marks.n, 0);
	CHECK_INT(b->has_skew, 1);
	CHECK_INT(b->skew_ms, -2500);
	CHECK_INT(b->skew_samples, 4);
	CHECK_INT(a->has_skew, 0);
	CHECK_INT(zk->t0, 1767225600000LL);
	CHECK_INT(zk->t1 - zk->t0, 60000);
	/* No history: lanes from the nodes, events only; one instant gets
	 * a width; the untimed event apart. */
	CHECK_INT(consul->has_history, 0);
	CHECK_INT(consul->lanes.n, 2);
	CHECK_INT(sl_lane(consul, "y")->marks.n, 1);
	CHECK_INT(sl_lane(consul, "x")->marks.n, 0);
	CHECK_INT(consul->t1 - consul->t0, 1000);
	CHECK_INT(consul->untimed.n, 1);
	CHECK_STR(((struct qs_sl_mark *)consul->untimed.v[0])->lane, "x");
	/* Seen by a node of no cluster of its system. */
	CHECK_INT(other->lanes.n, 1);
	CHECK_STR(((struct qs_sl_lane *)other->lanes.v[0])->label, "z");
	CHECK_INT(sw.marks, 5);
	CHECK_INT(sw.untimed, 1);
out:
	qs_swimlane_free(&sw);
	cJSON_Delete(doc);
}

DEFINE_TEST(swimlane_filters)
{
	cJSON			*doc = cJSON_Parse(sl_doc);
	struct qs_swimlane	 sw;
	struct qs_sl_filter	 f;
	struct qs_vec		 nodes = { 0 };
	const struct qs_sl_group *g;
	unsigned char		 keep[6] = { 0, 1, 0, 0, 0, 0 };

	/* --node b: b's lane only; what b saw of a is drawn in b's lane. */
	memset(&f, 0, sizeof(f));
	qs_vec_push(&nodes, "b");
	f.nodes = &nodes;
	qs_swimlane_build(&sw, doc, &f);
	CHECK_INT(sw.groups.n, 1);
	g = sw.groups.v[0];
	CHECK_INT(g->lanes.n, 1);
	CHECK_INT(sl_lane(g, "b")->marks.n, 2);
	CHECK_INT(sw.marks, 2);
	qs_swimlane_free(&sw);
	qs_vec_free(&nodes);

	/* --since and --until frame every group, and drop what is out. */
	memset(&f, 0, sizeof(f));
	f.since.set = f.until.set = 1;
	f.since.ms = 1767225600000LL + 10000;
	f.until.ms = 1767225600000LL + 40000;
	qs_swimlane_build(&sw, doc, &f);
	CHECK_INT(sw.marks, 1);
	g = sw.groups.v[0];
	CHECK_INT(g->t0, f.since.ms);
	CHECK_INT(g->t1, f.until.ms);
	CHECK_INT(sl_lane(g, "a")->marks.n, 1);
	qs_swimlane_free(&sw);

	/* The entries the timeline's own filters kept. */
	memset(&f, 0, sizeof(f));
	f.keep = keep;
	qs_swimlane_build(&sw, doc, &f);
	CHECK_INT(sw.marks, 1);
	CHECK_INT(sw.untimed, 0);
	qs_swimlane_free(&sw);
	cJSON_Delete(doc);
}

DEFINE_TEST(swimlane_ticks)
{
	char	buf[64];

	CHECK_INT(qs_sl_tick_step(60000, 8), 10000);
	CHECK_INT(qs_sl_tick_step(900, 8), 200);
	CHECK_INT(qs_sl_tick_step(7LL * 86400000, 8), 86400000);
	CHECK_STR(qs_sl_tick_label(1767225605250LL, 250, 0, buf,
	    sizeof(buf)), "00:00:05.250");
	CHECK_STR(qs_sl_tick_label(1767225605250LL, 5000, 1, buf,
	    sizeof(buf)), "2026-01-01 00:00:05Z");
	CHECK_STR(qs_sl_tick_label(1767225605250LL, 600000, 0, buf,
	    sizeof(buf)), "00:00");
	CHECK_STR(qs_sl_tick_label(1767225605250LL, 86400000, 1, buf,
	    sizeof(buf)), "2026-01-01");
}

static size_t
sl_count(const char *hay, const char *needle)
{
	size_t	n = 0;

	while ((hay = strstr(hay, needle)) != NULL) {
		n++;
		hay += strlen(needle);
	}
	return n;
}

/* The page of a document: NUL-terminated, NULL on failure. */
static char *
sl_page(const cJSON *doc, const cJSON *peers)
{
	char	*buf = NULL;
	size_t	 len = 0;
	FILE	*f = open_memstream(&buf, &len);

	if (f == NULL)
		return NULL;
	if (qs_report_html(f, cJSON_Duplicate(doc, 1), cJSON_Duplicate(peers,
	    1)) != 0) {
		fclose(f);
		free(buf);
		return NULL;
	}
	fclose(f);
	return buf;
}

/* The JSON of <script type="application/json" id=ID>, parsed. */
static cJSON *
sl_embedded(const char *page, const char *id)
{
	char		 open[128];
	const char	*p, *end;
	char		*text;
	cJSON		*doc;

	snprintf(open, sizeof(open), "<script type=\"application/json\" "
	    "id=\"%s\">", id);
	if ((p = strstr(page, open)) == NULL)
		return NULL;
	p += strlen(open);
	if ((end = strstr(p, "</script>")) == NULL)
		return NULL;
	text = qs_xmalloc((size_t)(end - p) + 1);
	memcpy(text, p, (size_t)(end - p));
	text[end - p] = '\0';
	doc = cJSON_Parse(text);
	free(text);
	return doc;
}

DEFINE_TEST(html_embeds_what_it_draws)
{
	cJSON	*doc = cJSON_Parse(sl_doc), *peers, *back;
	char	*page;

	peers = cJSON_Parse("{\"members\": [\"a\", \"b\"], \"rows\": [{"
	    "\"node\": \"a\", \"system\": \"zookeeper\", \"source\": "
	    "\"zoo.cfg\", \"evidence\": {}, \"states\": {\"a\": \"voter\", "
	    "\"b\": \"absent\"}}, {\"node\": \"b\", \"system\": "
	    "\"zookeeper\", \"source\": \"zoo.cfg\", \"evidence\": {}, "
	    "\"states\": {\"a\": \"voter\", \"b\": \"voter\"}}]}");
	CHECK(doc != NULL && peers != NULL);
	page = sl_page(doc, peers);
	CHECK(page != NULL);
	if (page == NULL)
		goto out;
	back = sl_embedded(page, "qs-report");
	CHECK(back != NULL && cJSON_Compare(back, doc, 1));
	cJSON_Delete(back);
	back = sl_embedded(page, "qs-peers");
	CHECK(back != NULL && cJSON_Compare(back, peers, 1));
	cJSON_Delete(back);
	/* Every entry drawn once; one lane per member, node and observer. */
	CHECK_INT(sl_count(page, "<line class=\"mark "), 6);
	CHECK_INT(sl_count(page, "<g class=\"lane\""), 7);
	CHECK_INT(sl_count(page, "<figure class=\"group\""), 3);
	CHECK_INT(sl_count(page, "class=\"range\""), 1);
	CHECK_INT(sl_count(page, "class=\"term\""), 1);
	CHECK_INT(sl_count(page, "class=\"q lost\""), 1);
	CHECK(strstr(page, ">-2.5 s<") != NULL);
	/* b is left out by one source and counted by another. */
	CHECK(strstr(page, "<th class=\"col disagree\">b</th>") != NULL);
	CHECK(strstr(page, "class=\"st-absent odd\"") != NULL);
	/* Nothing to fetch from anywhere. */
	CHECK(strstr(page, "src=") == NULL);
	CHECK(strstr(page, "<link") == NULL);
	CHECK(strstr(page, "default-src 'none'") != NULL);
out:
	free(page);
	cJSON_Delete(doc);
	cJSON_Delete(peers);
}

DEFINE_TEST(html_hostile_strings_stay_text)
{
	cJSON		*doc, *peers, *back;
	char		*page;
	const char	*evil = "<img src=x onerror=alert(1)>";
	const char	*closer = "</script><script>alert(2)</script><!--";

	doc = cJSON_Parse(sl_doc);
	peers = cJSON_Parse("{\"members\": [], \"rows\": []}");
	/* A node, an event subject and a finding named by an attacker. */
	cJSON_ReplaceItemInArray(cJSON_GetObjectItem(cJSON_GetArrayItem(
	    cJSON_GetObjectItem(doc, "clusters"), 1), "nodes"), 0,
	    cJSON_CreateString(evil));
	cJSON_ReplaceItemInObject(cJSON_GetArrayItem(cJSON_GetObjectItem(doc,
	    "timeline"), 3), "subject", cJSON_CreateString(closer));
	cJSON_AddItemToArray(cJSON_GetObjectItem(doc, "findings"),
	    cJSON_Parse("{\"id\": \"f1\", \"cluster\": \"consul\", "
	    "\"role\": \"cause\", \"caused_by\": [], \"rule\": \"r\", "
	    "\"kind\": \"k\", \"severity\": \"error\", \"title\": "
	    "\"x\\\"><b>bold</b>\\u001b[31m\", \"nodes\": [], \"facts\": "
	    "[], \"evidence\": [{\"input\": \"i\", \"path\": \"p\", "
	    "\"line\": 3, \"offset\": null, \"excerpt\": \"</pre><i>\"}], "
	    "\"steps\": [\"run `rm -rf \\\"$x\\\"` then\\n<file>&\"]}"));
	page = sl_page(doc, peers);
	CHECK(page != NULL);
	if (page == NULL)
		goto out;
	CHECK(strstr(page, evil) == NULL);
	CHECK(strstr(page, "&lt;img src=x onerror=alert(1)&gt;") != NULL);
	CHECK(strstr(page, "alert(2)</script>") == NULL);
	CHECK(strstr(page, "<b>bold") == NULL);
	CHECK(strstr(page, "<i>") == NULL);
	CHECK(strstr(page, "\033") == NULL);
	CHECK(strstr(page, "\\x1b[31m") != NULL);
	CHECK(strstr(page, "<code>rm -rf &quot;$x&quot;</code>") != NULL);
	CHECK(strstr(page, "<pre class=\"file\">&lt;file&gt;&amp;</pre>") !=
	    NULL);
	/* One script element of code, two of data, nothing more. */
	CHECK_INT(sl_count(page, "<script"), 3);
	CHECK_INT(sl_count(page, "</script>"), 3);
	back = sl_embedded(page, "qs-report");
	CHECK(back != NULL && cJSON_Compare(back, doc, 1));
	cJSON_Delete(back);
out:
	free(page);
	cJSON_Delete(doc);
	cJSON_Delete(peers);
}
