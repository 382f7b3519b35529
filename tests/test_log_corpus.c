/*
 * The line-shape corpus, testdata/logs/<system>/<generation>/: every
 * line of lines.log must yield exactly the events and signals its line
 * of expect names (testdata/logs/README.md).
 */
#include "config.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"

#define CORPUS_TEXT	256

/* "event:KIND signal:KIND" of one line, sorted, or "-". */
static void
corpus_line(const struct qs_run *run, uint64_t line, char *out, size_t size)
{
	const char	*names[32];
	size_t		 n = 0, i, j;

	for (i = 0; i < run->events.n && n < 32; i++) {
		const struct qs_event	*e = run->events.v[i];

		if (e->ev.line == line)
			names[n++] = qs_event_kind_name(e->kind);
	}
	j = n;
	for (i = 0; i < run->signals.n && n < 32; i++) {
		const struct qs_signal	*s = run->signals.v[i];

		if (s->ev.line == line)
			names[n++] = qs_signal_kind_name(s->kind);
	}
	out[0] = '\0';
	{
		char	 items[32][64];
		size_t	 k;

		for (i = 0; i < n; i++)
			snprintf(items[i], sizeof(items[i]), "%s:%s",
			    i < j ? "event" : "signal", names[i]);
		qsort(items, n, sizeof(items[0]),
		    (int (*)(const void *, const void *))strcmp);
		for (k = 0; k < n; k++) {
			if (k > 0)
				strncat(out, " ", size - strlen(out) - 1);
			strncat(out, items[k], size - strlen(out) - 1);
		}
	}
	if (n == 0)
		snprintf(out, size, "-");
}

static void
corpus_dir(const char *system, const char *generation)
{
	const char	*kind, *logical;
	char		 path[1024], got[CORPUS_TEXT], *text, *want, *w, *nl;
	size_t		 len, wlen;
	uint64_t	 line;
	struct qs_run	*run;

	if (strcmp(system, "consul") == 0) {
		kind = "consul.log";
		logical = "n1/consul/consul.log";
	} else if (strcmp(system, "etcd") == 0) {
		kind = "etcd.log";
		logical = "n1/etcd/etcd.log";
	} else {
		kind = "zk.log";
		logical = "n1/zookeeper/zookeeper.log";
	}
	snprintf(path, sizeof(path), "testdata/logs/%s/%s/lines.log", system,
	    generation);
	text = qs_test_read_file(path, &len);
	snprintf(path, sizeof(path), "testdata/logs/%s/%s/expect", system,
	    generation);
	want = qs_test_read_file(path, &wlen);
	if (text == NULL || want == NULL) {
		qs_test_fail(__FILE__, __LINE__, "%s/%s: lines.log or expect "
		    "missing", system, generation);
		free(text);
		free(want);
		return;
	}
	run = qs_test_parse(kind, logical, text, len);
	for (w = want, line = 1; *w != '\0'; w = nl + 1, line++) {
		if ((nl = strchr(w, '\n')) == NULL)
			nl = w + strlen(w) - 1;
		else
			*nl = '\0';
		corpus_line(run, line, got, sizeof(got));
		if (strcmp(got, w) != 0)
			qs_test_fail(__FILE__, __LINE__, "%s/%s line %llu: got "
			    "\"%s\", want \"%s\"", system, generation,
			    (unsigned long long)line, got, w);
		if (nl[1] == '\0')
			break;
	}
	qs_run_free(run);
	free(text);
	free(want);
}

DEFINE_TEST(test_log_corpus)
{
	static const char *const systems[] = { "consul", "etcd", "zookeeper",
	    NULL };
	char		 path[1024];
	DIR		*d;
	struct dirent	*de;
	size_t		 i, dirs = 0;

	for (i = 0; systems[i] != NULL; i++) {
		snprintf(path, sizeof(path), "%s/testdata/logs/%s",
		    qs_test_srcdir(), systems[i]);
		if ((d = opendir(path)) == NULL) {
			qs_test_fail(__FILE__, __LINE__, "no %s", path);
			continue;
		}
		while ((de = readdir(d)) != NULL) {
			if (de->d_name[0] == '.')
				continue;
			corpus_dir(systems[i], de->d_name);
			dirs++;
		}
		closedir(d);
	}
	CHECK(dirs >= 6);
}
