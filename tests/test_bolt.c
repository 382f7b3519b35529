/*
 * bolt.c: the BoltDB reader against files written by the real boltdb/bolt
 * (testdata/bolt, values in expected.txt), plus hand damage made here:
 * bad meta checksums, truncation, cycles, wrong page flags, elements
 * pointing outside their page, and a seeded byte-flipping smoke test.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include <archive.h>

#include "test.h"

struct bolt_walk {
	uint64_t	 count;
	uint64_t	 digest;
	char		 first[64];
	char		 last[64];
};

struct bolt_diags {
	int		 n;
	char		 last[256];
};

static void	bolt_test_diag(void *, uint64_t, uint64_t, const char *);
static int	bolt_test_each(void *, const unsigned char *, size_t,
		    const unsigned char *, size_t, uint32_t);
static const char *bolt_expected(const char *);
static void	bolt_walk_path(struct qs_bolt *, const char *,
		    struct bolt_walk *);
static void	bolt_check_bucket(struct qs_bolt *, const char *);
static void	bolt_digest(uint64_t *, const unsigned char *, size_t);
static uint64_t	bolt_many_root(const unsigned char *, size_t);

/*
 * Reads a gzipped fixture (testdata/...gz) into memory through
 * libarchive's raw format.  NULL when missing.
 */
unsigned char *
qs_test_read_gz(const char *rel, size_t *len)
{
	struct archive		*a;
	struct archive_entry	*e;
	char			*gz;
	unsigned char		*out = NULL;
	size_t			 gzlen, cap = 0, n = 0;
	la_ssize_t		 r;

	if ((gz = qs_test_read_file(rel, &gzlen)) == NULL)
		return NULL;
	a = archive_read_new();
	archive_read_support_filter_gzip(a);
	archive_read_support_format_raw(a);
	if (archive_read_open_memory(a, gz, gzlen) == ARCHIVE_OK &&
	    archive_read_next_header(a, &e) == ARCHIVE_OK) {
		for (;;) {
			if (cap - n < 65536) {
				cap = cap == 0 ? 1 << 20 : cap * 2;
				out = qs_xreallocarray(out, cap, 1);
			}
			r = archive_read_data(a, out + n, cap - n);
			if (r <= 0)
				break;
			n += (size_t)r;
		}
	}
	archive_read_free(a);
	free(gz);
	*len = n;
	return out;
}

static void
bolt_test_diag(void *arg, uint64_t pgid, uint64_t off, const char *msg)
{
	struct bolt_diags	*d = arg;

	d->n++;
	snprintf(d->last, sizeof(d->last), "%s", msg);
	(void)pgid;
	(void)off;
}

static void
bolt_digest(uint64_t *h, const unsigned char *p, size_t n)
{
	unsigned char	l[4] = { (unsigned char)n, (unsigned char)(n >> 8),
			    (unsigned char)(n >> 16),
			    (unsigned char)(n >> 24) };
	size_t		i;

	for (i = 0; i < 4; i++) {
		*h ^= l[i];
		*h *= 0x100000001b3ULL;
	}
	for (i = 0; i < n; i++) {
		*h ^= p[i];
		*h *= 0x100000001b3ULL;
	}
}

/* Same digest as the generator: length-prefixed keys and values. */
static int
bolt_test_each(void *arg, const unsigned char *k, size_t kl,
    const unsigned char *v, size_t vl, uint32_t flags)
{
	struct bolt_walk	*w = arg;
	size_t			 n = kl < 63 ? kl : 63;

	if (w->count == 0) {
		memcpy(w->first, k, n);
		w->first[n] = '\0';
	}
	memcpy(w->last, k, n);
	w->last[n] = '\0';
	bolt_digest(&w->digest, k, kl);
	/* Go's ForEach gives nil for nested buckets. */
	bolt_digest(&w->digest, v, (flags & QS_BOLT_BUCKET_FLAG) ? 0 : vl);
	w->count++;
	return 0;
}

static char	*bolt_expect_text;

/* A value from testdata/bolt/expected.txt ("key value" lines). */
static const char *
bolt_expected(const char *key)
{
	static char	 val[256];
	size_t		 len, kl = strlen(key);
	const char	*p;

	if (bolt_expect_text == NULL &&
	    (bolt_expect_text = qs_test_read_file("testdata/bolt/expected.txt",
	    &len)) == NULL)
		return "";
	for (p = bolt_expect_text; p != NULL && *p != '\0'; ) {
		const char	*eol = strchr(p, '\n');

		if (strncmp(p, key, kl) == 0 && p[kl] == ' ') {
			size_t	n = eol != NULL ? (size_t)(eol - p - kl - 1) :
			    strlen(p + kl + 1);

			if (n >= sizeof(val))
				n = sizeof(val) - 1;
			memcpy(val, p + kl + 1, n);
			val[n] = '\0';
			return val;
		}
		p = eol != NULL ? eol + 1 : NULL;
	}
	return "";
}

static void
bolt_walk_path(struct qs_bolt *db, const char *path, struct bolt_walk *w)
{
	struct qs_bolt_bucket	 b, inner;
	char			 buf[64], *slash;

	memset(w, 0, sizeof(*w));
	w->digest = 0xcbf29ce484222325ULL;
	snprintf(buf, sizeof(buf), "%s", path);
	if ((slash = strchr(buf, '/')) != NULL)
		*slash++ = '\0';
	if (qs_bolt_path(db, &b, buf, NULL) != 0) {
		w->count = (uint64_t)-1;
		return;
	}
	if (slash != NULL) {
		if (qs_bolt_bucket(db, &b, slash, &inner) != 0) {
			w->count = (uint64_t)-1;
			return;
		}
		b = inner;
	}
	qs_bolt_foreach(db, &b, bolt_test_each, w);
}

static void
bolt_check_bucket(struct qs_bolt *db, const char *path)
{
	struct bolt_walk	w;
	char			key[96], hex[32];

	bolt_walk_path(db, path, &w);
	snprintf(key, sizeof(key), "%s.count", path);
	CHECK_INT(w.count, strtoull(bolt_expected(key), NULL, 10));
	snprintf(key, sizeof(key), "%s.first", path);
	CHECK_STR(w.first, bolt_expected(key));
	snprintf(key, sizeof(key), "%s.last", path);
	CHECK_STR(w.last, bolt_expected(key));
	snprintf(key, sizeof(key), "%s.digest", path);
	snprintf(hex, sizeof(hex), "%016llx", (unsigned long long)w.digest);
	CHECK_STR(hex, bolt_expected(key));
}

DEFINE_TEST(test_bolt_read_fixture)
{
	struct qs_bolt		 db;
	struct bolt_diags	 d = { 0, "" };
	unsigned char		*data;
	const unsigned char	*v;
	size_t			 len, vl, i;
	uint32_t		 fl;
	struct qs_bolt_bucket	 b;
	int			 bad = 0;

	data = qs_test_read_gz("testdata/bolt/big.db.gz", &len);
	CHECK(data != NULL);
	if (data == NULL)
		return;
	CHECK_INT(qs_bolt_open(&db, data, len, bolt_test_diag, &d), 0);
	CHECK_INT(db.page_size, 4096);
	CHECK_INT(db.txid, strtoull(bolt_expected("big.txid"), NULL, 10));
	bolt_check_bucket(&db, "many");
	bolt_check_bucket(&db, "overflow");
	bolt_check_bucket(&db, "outer");
	bolt_check_bucket(&db, "outer/inner");
	bolt_check_bucket(&db, "outer/tiny");
	bolt_check_bucket(&db, "small");

	/* Lookup by key through the branch pages. */
	CHECK_INT(qs_bolt_path(&db, &b, "many", NULL), 0);
	CHECK(b.root != 0);
	CHECK_INT(qs_bolt_get(&db, &b, "k04321", 6, &v, &vl, &fl), 0);
	CHECK_INT(vl, strlen(bolt_expected("many.k04321")));
	CHECK(vl > 0 && memcmp(v, bolt_expected("many.k04321"), vl) == 0);
	CHECK_INT(qs_bolt_get(&db, &b, "k99999", 6, &v, &vl, &fl), 1);
	CHECK_INT(qs_bolt_get(&db, &b, "a", 1, &v, &vl, &fl), 1);

	/* The overflow value: 3 pages of the generator's pattern. */
	CHECK_INT(qs_bolt_path(&db, &b, "overflow", NULL), 0);
	CHECK_INT(qs_bolt_get(&db, &b, "big", 3, &v, &vl, &fl), 0);
	CHECK_INT(vl, 3 * 4096);
	for (i = 0; i < vl; i++)
		if (v[i] != (unsigned char)((i * 7) ^ 0x5a))
			bad++;
	CHECK_INT(bad, 0);

	/* Inline buckets: no page of their own. */
	CHECK_INT(qs_bolt_path(&db, &b, "small", NULL), 0);
	CHECK_INT(b.root, 0);
	CHECK_INT(qs_bolt_path(&db, &b, "outer", "tiny", NULL), 0);
	CHECK_INT(b.root, 0);
	CHECK_INT(qs_bolt_get(&db, &b, "b", 1, &v, &vl, &fl), 0);
	CHECK(vl == 1 && v[0] == '2');
	/* A key that is not a bucket, and one that does not exist. */
	CHECK_INT(qs_bolt_path(&db, &b, "outer", "plain", NULL), 1);
	CHECK_INT(qs_bolt_path(&db, &b, "nope", NULL), 1);
	CHECK_INT(d.n, 0);
	free(data);
}

DEFINE_TEST(test_bolt_damaged_fixture)
{
	struct qs_bolt		 db;
	struct bolt_diags	 d = { 0, "" };
	struct bolt_walk	 w;
	unsigned char		*data;
	size_t			 len;

	data = qs_test_read_gz("testdata/bolt/damaged.db.gz", &len);
	CHECK(data != NULL);
	if (data == NULL)
		return;
	CHECK_INT(qs_bolt_open(&db, data, len, bolt_test_diag, &d), 0);
	/* The newer meta (page 1, txid 3) is bad: the older one is used. */
	CHECK_INT(db.meta, 1 - strtoull(bolt_expected("damaged.meta_flipped"),
	    NULL, 10));
	CHECK_INT(db.txid, strtoull(bolt_expected("big.txid"), NULL, 10) - 1);
	CHECK_INT(d.n, 1);
	CHECK(strstr(d.last, "checksum") != NULL);
	/* Transaction 2 did not have key "z" yet. */
	bolt_walk_path(&db, "small", &w);
	CHECK_INT(w.count, 2);
	/* One child of "many" is out of range: its keys are lost, no more. */
	d.n = 0;
	bolt_walk_path(&db, "many", &w);
	CHECK_INT(d.n, 1);
	CHECK(strstr(d.last, "out of range") != NULL);
	CHECK(w.count > 4000 && w.count < 5000);
	CHECK_STR(w.first, "k00000");
	CHECK_STR(w.last, "k04999");
	/* The other buckets are intact. */
	bolt_check_bucket(&db, "outer/inner");
	free(data);
}

/* Page id of bucket "many"'s root in a copy of big.db. */
static uint64_t
bolt_many_root(const unsigned char *data, size_t len)
{
	struct qs_bolt		db;
	struct qs_bolt_bucket	b;

	if (qs_bolt_open(&db, data, len, NULL, NULL) != 0 ||
	    qs_bolt_path(&db, &b, "many", NULL) != 0)
		return 0;
	return b.root;
}

DEFINE_TEST(test_bolt_hand_damage)
{
	struct qs_bolt		 db;
	struct bolt_diags	 d;
	struct bolt_walk	 w;
	unsigned char		*data, *copy;
	size_t			 len, root_off;
	uint64_t		 root, child;

	data = qs_test_read_gz("testdata/bolt/big.db.gz", &len);
	CHECK(data != NULL);
	if (data == NULL)
		return;
	copy = qs_xmalloc(len);
	root = bolt_many_root(data, len);
	CHECK(root >= 2);
	root_off = (size_t)root * 4096;

	/* Both metas bad: nothing to open. */
	memcpy(copy, data, len);
	copy[72] ^= 1;
	copy[4096 + 72] ^= 1;
	memset(&d, 0, sizeof(d));
	CHECK_INT(qs_bolt_open(&db, copy, len, bolt_test_diag, &d), -1);
	CHECK_INT(d.n, 2);
	/* Page 0 bad: meta 1 is found by probing. */
	memcpy(copy, data, len);
	memset(copy + 16, 0, 4);
	memset(&d, 0, sizeof(d));
	CHECK_INT(qs_bolt_open(&db, copy, len, bolt_test_diag, &d), 0);
	CHECK_INT(db.meta, 1);
	CHECK_INT(db.page_size, 4096);
	/* Too short for a meta page. */
	CHECK_INT(qs_bolt_open(&db, data, 40, NULL, NULL), -1);
	CHECK_INT(qs_bolt_open(&db, data, 0, NULL, NULL), -1);

	/* A cycle: the branch's second child is the branch itself. */
	memcpy(copy, data, len);
	memcpy(copy + root_off + 16 + 16 + 8, &root, 8);
	memset(&d, 0, sizeof(d));
	CHECK_INT(qs_bolt_open(&db, copy, len, bolt_test_diag, &d), 0);
	bolt_walk_path(&db, "many", &w);
	CHECK(d.n >= 1);
	CHECK(strstr(d.last, "already visited") != NULL);
	CHECK(w.count < 5000);

	/* A child whose flags say freelist. */
	memcpy(copy, data, len);
	memcpy(&child, copy + root_off + 16 + 8, 8);
	copy[child * 4096 + 8] = 0x10;
	copy[child * 4096 + 9] = 0;
	memset(&d, 0, sizeof(d));
	CHECK_INT(qs_bolt_open(&db, copy, len, bolt_test_diag, &d), 0);
	bolt_walk_path(&db, "many", &w);
	CHECK_INT(d.n, 1);
	CHECK(strstr(d.last, "flags 0x10") != NULL);
	CHECK(w.count > 4000 && w.count < 5000);
	/* Lookup through that page fails, elsewhere it works. */
	{
		struct qs_bolt_bucket	 b;
		const unsigned char	*v;
		size_t			 vl;

		CHECK_INT(qs_bolt_path(&db, &b, "many", NULL), 0);
		CHECK_INT(qs_bolt_get(&db, &b, "k00000", 6, &v, &vl, NULL), -1);
		CHECK_INT(qs_bolt_get(&db, &b, "k04999", 6, &v, &vl, NULL), 0);
	}

	/* The first leaf's first element points far outside its page. */
	memcpy(copy, data, len);
	memcpy(&child, copy + root_off + 16 + 8, 8);
	copy[child * 4096 + 16 + 4 + 3] = 0x7f;
	memset(&d, 0, sizeof(d));
	CHECK_INT(qs_bolt_open(&db, copy, len, bolt_test_diag, &d), 0);
	bolt_walk_path(&db, "many", &w);
	CHECK_INT(d.n, 1);
	CHECK(strstr(d.last, "outside the page") != NULL);
	CHECK_INT(w.count, 4999);
	CHECK_STR(w.first, "k00001");

	/* An element count larger than the page holds. */
	memcpy(copy, data, len);
	copy[child * 4096 + 10] = 0xff;
	copy[child * 4096 + 11] = 0xff;
	memset(&d, 0, sizeof(d));
	CHECK_INT(qs_bolt_open(&db, copy, len, bolt_test_diag, &d), 0);
	bolt_walk_path(&db, "many", &w);
	CHECK(d.n >= 1);

	/* Truncated at the "many" root: the file ends before the hwm. */
	memset(&d, 0, sizeof(d));
	CHECK_INT(qs_bolt_open(&db, data, root_off + 100, bolt_test_diag,
	    &d), 0);
	CHECK(strstr(d.last, "truncated") != NULL);
	bolt_walk_path(&db, "many", &w);
	CHECK(d.n >= 2);

	free(copy);
	free(data);
}

/*
 * Seeded byte flips over the whole file (libarchive's test_fuzz idea):
 * every bucket walked and looked up; only the absence of crashes, hangs
 * and sanitizer reports is checked.
 */
DEFINE_TEST(test_bolt_flip_smoke)
{
	static const char *const paths[] = { "many", "overflow", "outer",
	    "outer/inner", "outer/tiny", "small" };
	struct qs_bolt		 db;
	struct bolt_walk	 w;
	unsigned char		*data, *copy;
	size_t			 len, i, j, k;
	uint64_t		 seed = 42;

	data = qs_test_read_gz("testdata/bolt/big.db.gz", &len);
	if (data == NULL)
		return;
	copy = qs_xmalloc(len);
	for (i = 0; i < 150; i++) {
		memcpy(copy, data, len);
		for (j = 0; j < 40; j++) {
			seed = seed * 6364136223846793005ULL +
			    1442695040888963407ULL;
			/* Mostly the pages that matter: metas and low pages. */
			k = (size_t)(seed >> 33) % (j < 20 ? 24 * 4096 : len);
			copy[k] ^= (unsigned char)(seed >> 25) | 1;
		}
		if (qs_bolt_open(&db, copy, len, NULL, NULL) != 0)
			continue;
		for (k = 0; k < sizeof(paths) / sizeof(paths[0]); k++)
			bolt_walk_path(&db, paths[k], &w);
	}
	free(copy);
	free(data);
	CHECK(1);
}
