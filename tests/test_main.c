/* Runs every registered unit test and reports in TAP. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "test.h"

#define MAX_TESTS	512

static struct {
	const char	*name;
	qs_test_fn	 fn;
} tests[MAX_TESTS];
static int	ntests;
static int	failures;

void
qs_test_register(const char *name, qs_test_fn fn)
{
	if (ntests == MAX_TESTS) {
		fprintf(stderr, "too many tests\n");
		exit(99);
	}
	tests[ntests].name = name;
	tests[ntests].fn = fn;
	ntests++;
}

void
qs_test_fail(const char *file, int line, const char *fmt, ...)
{
	va_list	ap;

	printf("# %s:%d: ", file, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	failures++;
}

const char *
qs_test_srcdir(void)
{
	const char	*s = getenv("top_srcdir");

	return s != NULL ? s : ".";
}

struct qs_run *
qs_test_bundle(const char *name)
{
	struct qs_run	*run = qs_run_new();
	char		 path[4096];

	run->echo_diags = 0;
	run->quiet = 1;
	snprintf(path, sizeof(path), "%s/testdata/bundles/%s.tar.gz",
	    qs_test_srcdir(), name);
	if (qs_bundle_read(run, path) != 0)
		qs_test_fail(__FILE__, __LINE__, "cannot read %s", path);
	qs_nodes_resolve(run);
	qs_model_resolve(run);
	return run;
}

const struct qs_finding *
qs_test_finding(const struct qs_analysis *an, const char *rule,
    size_t *count)
{
	const struct qs_finding	*found = NULL;
	size_t			 i, n = 0;

	for (i = 0; i < an->findings.n; i++) {
		const struct qs_finding	*f = an->findings.v[i];

		if (strcmp(f->rule->id, rule) == 0) {
			if (found == NULL)
				found = f;
			n++;
		}
	}
	if (count != NULL)
		*count = n;
	return found;
}

struct qs_parse_ctx *
qs_test_model_ctx(struct qs_run *run, const char *node, const char *kind,
    const char *file)
{
	struct qs_parse_ctx	*ctx = qs_arena_alloc(&run->arena, sizeof(*ctx));
	struct qs_artifact	*art = qs_arena_alloc(&run->arena, sizeof(*art));
	struct qs_input		*in;

	if (run->inputs.n == 0) {
		in = qs_run_add_input(run, "model.tar");
		in->opened = 1;
	}
	in = run->inputs.v[0];
	art->input = in;
	art->member = art->logical = qs_arena_printf(&run->arena, "%s/%s",
	    node, file);
	art->kind = qs_kind_find(kind);
	art->status = QS_STATUS_PARSED;
	qs_vec_push(&run->artifacts, art);
	qs_nodes_note_path(run, in, art->logical, 0);
	ctx->run = run;
	ctx->artifact = art;
	return ctx;
}

int
qs_test_vec_has(const struct qs_vec *v, const char *needle)
{
	size_t	i;

	for (i = 0; v != NULL && i < v->n; i++)
		if (strstr(v->v[i], needle) != NULL)
			return 1;
	return 0;
}

/* A whole test data file, NUL terminated, or NULL. */
char *
qs_test_read_file(const char *rel, size_t *len)
{
	char	 path[4096];
	FILE	*f;
	char	*buf;
	long	 n;

	snprintf(path, sizeof(path), "%s/%s", qs_test_srcdir(), rel);
	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = qs_xmalloc((size_t)n + 1);
	if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
		fclose(f);
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static int
cmp_tests(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

int
main(void)
{
	int	i, failed = 0, before;

	/* Constructors run in link order; report in name order. */
	qsort(tests, (size_t)ntests, sizeof(tests[0]), cmp_tests);
	printf("1..%d\n", ntests);
	for (i = 0; i < ntests; i++) {
		before = failures;
		tests[i].fn();
		if (failures != before)
			failed++;
		printf("%s %d - %s\n", failures != before ? "not ok" : "ok",
		    i + 1, tests[i].name);
		fflush(stdout);
	}
	qs_magic_close();
	return failed != 0;
}
