/*
 * A small unit-test harness: DEFINE_TEST(name) registers a test at start
 * (a constructor, so no generated list is needed), CHECK* record a failure
 * with file and line and let the test go on, and the runner prints TAP so
 * that automake counts every test by name.
 */
#ifndef QS_TEST_H
#define QS_TEST_H

#include <stdint.h>
#include <string.h>

#include "quorumscope.h"

typedef void (*qs_test_fn)(void);
void	qs_test_register(const char *, qs_test_fn);
void	qs_test_fail(const char *, int, const char *, ...)
	    __attribute__((format(printf, 3, 4)));
const char *qs_test_srcdir(void);
char	*qs_test_read_file(const char *, size_t *);
/*
 * testdata/bundles/NAME.tar.gz read quietly and its nodes resolved (a
 * failed read fails the test); the findings of one rule in an analysis,
 * the first and their count; whether a string of a vector (facts, steps)
 * contains a needle.
 */
struct qs_run *qs_test_bundle(const char *);
const struct qs_finding *qs_test_finding(const struct qs_analysis *,
	    const char *, size_t *);
int	qs_test_vec_has(const struct qs_vec *, const char *);
/*
 * A parse context for an artifact NODE/FILE of a kind, in a model built
 * by hand (rule tests): the artifact is parsed, its node noted.
 */
struct qs_parse_ctx *qs_test_model_ctx(struct qs_run *, const char *,
	    const char *, const char *);
/* A gzipped fixture, gunzipped (test_bolt.c); NULL when missing. */
unsigned char *qs_test_read_gz(const char *, size_t *);

/* Archives built in memory with libarchive's writer (test_bundle.c). */
struct qs_test_entry {
	const char	*name;
	const char	*data;		/* NULL: a directory (or a link) */
	size_t		 len;		/* 0: strlen(data) */
	const char	*symlink;
	const char	*hardlink;
};
enum qs_test_archive {
	QS_TEST_TAR,
	QS_TEST_TAR_GZ,
	QS_TEST_ZIP,
	QS_TEST_GZ		/* one entry, compressed, no archive */
};
unsigned char *qs_test_archive(enum qs_test_archive,
	    const struct qs_test_entry *, size_t *);
struct qs_run *qs_test_read(const char *, const unsigned char *, size_t);
const struct qs_artifact *qs_test_artifact(const struct qs_run *,
	    const char *);
int	qs_test_has_diag(const struct qs_run *, const char *);
/*
 * Signals a parse recorded (test_probe.c): how many of a kind, and the
 * first of a kind about a subject (NULL: about the observer itself).
 */
size_t	qs_test_nsignals(const struct qs_run *, enum qs_signal_kind);
const struct qs_signal *qs_test_signal(const struct qs_run *,
	    enum qs_signal_kind, const char *);
/* A tar of the entries read as input `name`, nodes resolved. */
struct qs_run *qs_test_read_entries(const char *,
	    const struct qs_test_entry *);
/* The first view of a source ("consul members"), or NULL. */
const struct qs_view *qs_test_view(const struct qs_run *, const char *);
/*
 * Runs the parser of `kind` over `data` as if it were the entry `logical`
 * of an input "test.tar"; returns the run holding its observations and
 * diagnostics (the artifact is run->artifacts.v[0]).  len 0: strlen.
 */
struct qs_run *qs_test_parse(const char *, const char *, const char *,
	    size_t);
/* What a parse recorded: the last setting of a key, a view's member i
 * (NULL past the end), the first artifact's status. */
const char *qs_test_setting(const struct qs_run *, const char *);
const struct qs_member *qs_test_member(const struct qs_view *, size_t);
enum qs_status qs_test_status(const struct qs_run *);

#define DEFINE_TEST(name)						\
	static void name(void);						\
	__attribute__((constructor)) static void name##_register(void)	\
	{ qs_test_register(#name, name); }				\
	static void name(void)

#define CHECK(cond) do {						\
	if (!(cond))							\
		qs_test_fail(__FILE__, __LINE__, "%s", #cond);		\
} while (0)

#define CHECK_INT(a, b) do {						\
	long long _a = (long long)(a), _b = (long long)(b);		\
	if (_a != _b)							\
		qs_test_fail(__FILE__, __LINE__, "%s == %lld, want %lld", \
		    #a, _a, _b);					\
} while (0)

#define CHECK_STR(a, b) do {						\
	const char *_a = (a), *_b = (b);				\
	if (_a == NULL || _b == NULL || strcmp(_a, _b) != 0)		\
		qs_test_fail(__FILE__, __LINE__, "%s == \"%s\", want \"%s\"", \
		    #a, _a ? _a : "(null)", _b ? _b : "(null)");	\
} while (0)

#endif
