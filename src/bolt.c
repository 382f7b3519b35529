/*
 * A read-only BoltDB reader over a mapped span, for Consul's raft.db
 * (raft-boltdb), raft-wal's wal-meta.db and etcd's backend (member/snap/db).
 *
 * Format: boltdb/bolt 1.3 and etcd-io/bbolt share on-disk format version 2
 * (formats.md section 1; upstream page.go, meta.go, bucket.go, node.go).
 * The file is an array of pages of the size the meta page gives; pages 0
 * and 1 hold the two meta pages, each with a FNV-1a 64 checksum, the newer
 * valid one (higher txid) wins.  A bucket is a B+tree of branch and leaf
 * pages; a leaf element with flag 0x01 is a nested bucket whose value is a
 * 16-byte header (root page, sequence) and, when the root is 0, an inline
 * page image.  A page may span 1 + overflow pages.
 *
 * Variants: every real file is little-endian (the writer's byte order);
 * a big-endian file is recognised and refused.  Page sizes 256 B .. 16 MiB.
 * When page 0 is damaged the second meta is probed at 1 KiB << i as
 * bbolt does.
 *
 * What it gives: bucket lookup by path, in-order iteration of a bucket's
 * keys by callback, and lookup of one key.  It never writes, never trusts
 * a length or a page id, and reports damage (bad checksum, page id out of
 * range or past the file, a page whose id field disagrees, unexpected
 * page flags, elements outside their page, a page revisited in one
 * traversal, trees deeper than QS_BOLT_DEPTH_MAX) through the caller's
 * diagnostic callback with the page id and file offset, then goes on with
 * what can still be read.  Every traversal keeps a visited-page bitmap and
 * an explicit stack; the whole handle has an element budget, so hostile
 * files cannot loop or explode.
 *
 * Known limits: the freelist is not read and free pages are not carved
 * (formats.md 1.9); keys are not checked for order.
 */
#include "config.h"

#include <sys/mman.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quorumscope.h"

/* Bytes of mapped pages read between two releases (bolt_release()). */
#define BOLT_RELEASE_BYTES	(32 * 1024 * 1024)

#define BOLT_MAGIC		0xED0CDAEDu
#define BOLT_VERSION		2
#define BOLT_PAGE_HDR		16
#define BOLT_ELEM		16
#define BOLT_META_SUM_LEN	56	/* magic .. txid */
#define BOLT_FLAG_BRANCH	0x01
#define BOLT_FLAG_LEAF		0x02
#define BOLT_FLAG_META		0x04
#define BOLT_FLAG_FREELIST	0x10
#define BOLT_BUCKET_HDR		16
#define BOLT_PAGE_MIN		256
#define BOLT_PAGE_MAX		(16u * 1024 * 1024)
/* Diagnostics one handle reports before it only counts them. */
#define BOLT_DIAG_MAX		64
/* Elements one handle visits in all before it gives up. */
#define BOLT_BUDGET_DEFAULT	((uint64_t)1 << 28)

/* A page as read: where its bytes are and how many can be used. */
struct bolt_page {
	uint64_t		 pgid;		/* 0 for inline pages */
	const unsigned char	*p;
	size_t			 span;		/* bytes usable from p */
	uint16_t		 flags;
	uint16_t		 count;		/* elements inside span */
	uint64_t		 off;		/* file offset of p */
};

/* One level of a traversal's explicit stack. */
struct bolt_frame {
	struct bolt_page	 page;
	unsigned		 next;		/* next element to visit */
};

static uint16_t	bolt_u16(const unsigned char *);
static uint32_t	bolt_u32(const unsigned char *);
static uint64_t	bolt_u64(const unsigned char *);
static void	bolt_diag(struct qs_bolt *, uint64_t, uint64_t, const char *,
		    ...) QS_PRINTF(4, 5);
static int	bolt_meta_check(const unsigned char *, size_t, uint64_t *,
		    uint32_t *, uint64_t *, uint64_t *, const char **);
static int	bolt_page_load(struct qs_bolt *, uint64_t, struct bolt_page *);
static int	bolt_page_inline(struct qs_bolt *,
		    const struct qs_bolt_bucket *, struct bolt_page *);
static int	bolt_root_page(struct qs_bolt *, const struct qs_bolt_bucket *,
		    struct bolt_page *);
static int	bolt_elem_key(struct qs_bolt *, const struct bolt_page *,
		    unsigned, const unsigned char **, size_t *,
		    const unsigned char **, size_t *, uint32_t *, uint64_t *);
static int	bolt_keycmp(const unsigned char *, size_t,
		    const unsigned char *, size_t);

static uint16_t
bolt_u16(const unsigned char *p)
{
	return (uint16_t)(p[0] | (p[1] << 8));
}

static uint32_t
bolt_u32(const unsigned char *p)
{
	return (uint32_t)p[0] | ((uint32_t)p[1] << 8) |
	    ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static uint64_t
bolt_u64(const unsigned char *p)
{
	return (uint64_t)bolt_u32(p) | ((uint64_t)bolt_u32(p + 4) << 32);
}

uint64_t
qs_be64(const unsigned char *p)
{
	uint64_t	v = 0;
	int		i;

	for (i = 0; i < 8; i++)
		v = (v << 8) | p[i];
	return v;
}

/* Reports damage once per call, up to BOLT_DIAG_MAX, then counts. */
static void
bolt_diag(struct qs_bolt *db, uint64_t pgid, uint64_t off, const char *fmt,
    ...)
{
	va_list	ap;
	char	msg[256];

	db->damage++;
	if (db->damage > BOLT_DIAG_MAX || db->diag == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (db->damage == BOLT_DIAG_MAX)
		strncat(msg, " (further damage is counted, not reported)",
		    sizeof(msg) - strlen(msg) - 1);
	db->diag(db->diag_arg, pgid, off, msg);
}

/*
 * Validates the meta body of the page starting at `p` (len bytes there).
 * OUT: txid, page size, root page, high-water mark; *why says what is
 * wrong when it returns -1.
 */
static int
bolt_meta_check(const unsigned char *p, size_t len, uint64_t *txid,
    uint32_t *psize, uint64_t *root, uint64_t *hwm, const char **why)
{
	uint64_t	h = 0xcbf29ce484222325ULL;
	size_t		i;

	if (len < BOLT_PAGE_HDR + 64) {
		*why = "truncated";
		return -1;
	}
	if (bolt_u32(p + 16) != BOLT_MAGIC) {
		*why = memcmp(p + 16, "\xed\x0c\xda\xed", 4) == 0 ?
		    "big-endian BoltDB, not supported" : "bad magic";
		return -1;
	}
	if ((bolt_u16(p + 8) & BOLT_FLAG_META) == 0) {
		*why = "not flagged as a meta page";
		return -1;
	}
	if (bolt_u32(p + 20) != BOLT_VERSION) {
		*why = "unknown version";
		return -1;
	}
	for (i = 16; i < 16 + BOLT_META_SUM_LEN; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	if (h != bolt_u64(p + 72)) {
		*why = "checksum mismatch";
		return -1;
	}
	*psize = bolt_u32(p + 24);
	if (*psize < BOLT_PAGE_MIN || *psize > BOLT_PAGE_MAX ||
	    (*psize & (*psize - 1)) != 0) {
		*why = "implausible page size";
		return -1;
	}
	*root = bolt_u64(p + 32);
	*hwm = bolt_u64(p + 56);
	*txid = bolt_u64(p + 64);
	return 0;
}

/*
 * Opens the database in data[0..len): chooses the meta page as bbolt does
 * (formats.md 1.4).  Damage goes to `diag` (may be NULL).  Returns 0, or
 * -1 when no meta page is valid; nothing to close then.
 */
int
qs_bolt_open(struct qs_bolt *db, const unsigned char *data, size_t len,
    qs_bolt_diag_fn diag, void *arg)
{
	uint64_t	 txid[2], root[2], hwm[2];
	uint32_t	 psize[2];
	int		 ok[2] = { 0, 0 }, m, i;
	const char	*why = NULL;
	size_t		 off1 = 0;

	memset(db, 0, sizeof(*db));
	db->data = data;
	db->len = len;
	db->diag = diag;
	db->diag_arg = arg;
	db->budget = BOLT_BUDGET_DEFAULT;

	if (bolt_meta_check(data, len, &txid[0], &psize[0], &root[0],
	    &hwm[0], &why) == 0)
		ok[0] = 1;
	else
		bolt_diag(db, 0, 0, "meta page 0: %s", why);
	if (ok[0]) {
		off1 = psize[0];
		if (off1 < len && bolt_meta_check(data + off1, len - off1,
		    &txid[1], &psize[1], &root[1], &hwm[1], &why) == 0)
			ok[1] = 1;
	} else {
		/* Page size unknown: probe 1 KiB << i like bbolt. */
		for (i = 0; i < 15; i++) {
			off1 = (size_t)1024 << i;
			if (off1 >= len)
				break;
			if (bolt_meta_check(data + off1, len - off1, &txid[1],
			    &psize[1], &root[1], &hwm[1], &why) == 0 &&
			    psize[1] == off1) {
				ok[1] = 1;
				break;
			}
		}
		if (!ok[1])
			why = "no valid copy found";
	}
	if (!ok[1])
		bolt_diag(db, 1, off1, "meta page 1: %s", why);
	if (!ok[0] && !ok[1])
		return -1;
	if (ok[0] && ok[1])
		m = txid[1] > txid[0] ? 1 : 0;
	else
		m = ok[0] ? 0 : 1;
	db->meta = m;
	db->txid = txid[m];
	db->page_size = psize[m];
	db->hwm = hwm[m];
	db->root.root = root[m];
	db->npages = len / db->page_size;
	if (db->hwm > db->npages) {
		bolt_diag(db, db->hwm, len, "file ends at page %llu, "
		    "before the high-water mark %llu: truncated",
		    (unsigned long long)db->npages,
		    (unsigned long long)db->hwm);
	}
	return 0;
}

void
qs_bolt_close(struct qs_bolt *db)
{
	memset(db, 0, sizeof(*db));
}

/*
 * Loads page `pgid` with its overflow, checking that it exists, is inside
 * the file and the high-water mark, and says it is itself.  A page cut by
 * the end of the file is loaded short, with a diagnostic.  Returns -1 when
 * nothing usable is there.
 */
/*
 * Keeps a mapped file's resident pages bounded: after every
 * BOLT_RELEASE_BYTES of pages read, the whole mapping is handed back to
 * the kernel (MADV_DONTNEED).  The mapping is private and never written,
 * so pointers stay valid and a page read again comes back from the page
 * cache unchanged; peak RSS no longer grows with the file.
 */
static void
bolt_release(struct qs_bolt *db, size_t bytes)
{
	if (!db->release)
		return;
	db->loaded += bytes;
	if (db->loaded < BOLT_RELEASE_BYTES)
		return;
	madvise((void *)(uintptr_t)db->data, db->len, MADV_DONTNEED);
	db->loaded = 0;
}

static int
bolt_page_load(struct qs_bolt *db, uint64_t pgid, struct bolt_page *pg)
{
	uint64_t	off, want, ovf;
	size_t		max;

	memset(pg, 0, sizeof(*pg));
	if (pgid < 2 || pgid >= db->hwm || pgid >= db->npages) {
		bolt_diag(db, pgid, 0, "page %llu out of range (high-water "
		    "mark %llu, %llu pages in the file)",
		    (unsigned long long)pgid, (unsigned long long)db->hwm,
		    (unsigned long long)db->npages);
		return -1;
	}
	off = pgid * db->page_size;
	if (bolt_u64(db->data + off) != pgid) {
		bolt_diag(db, pgid, off, "page %llu: header names page %llu",
		    (unsigned long long)pgid,
		    (unsigned long long)bolt_u64(db->data + off));
		return -1;
	}
	ovf = bolt_u32(db->data + off + 12);
	want = (ovf + 1) * db->page_size;
	max = db->len - (size_t)off;
	if (pgid + ovf >= db->hwm || want > max) {
		bolt_diag(db, pgid, off, "page %llu: %llu overflow pages run "
		    "past the %s", (unsigned long long)pgid,
		    (unsigned long long)ovf,
		    want > max ? "end of the file" : "high-water mark");
		if (want > max)
			want = max;
	}
	pg->pgid = pgid;
	pg->off = off;
	pg->p = db->data + off;
	pg->span = (size_t)want;
	bolt_release(db, (size_t)want);
	pg->flags = bolt_u16(pg->p + 8);
	pg->count = bolt_u16(pg->p + 10);
	if ((size_t)BOLT_PAGE_HDR + (size_t)pg->count * BOLT_ELEM > pg->span) {
		bolt_diag(db, pgid, off, "page %llu: %u elements do not fit "
		    "in the page", (unsigned long long)pgid, pg->count);
		pg->count = (uint16_t)((pg->span - BOLT_PAGE_HDR) / BOLT_ELEM);
	}
	return 0;
}

/* The page image inside an inline bucket's value. */
static int
bolt_page_inline(struct qs_bolt *db, const struct qs_bolt_bucket *b,
    struct bolt_page *pg)
{
	memset(pg, 0, sizeof(*pg));
	if (b->inline_len < BOLT_PAGE_HDR) {
		bolt_diag(db, 0, b->inline_off, "inline bucket: %zu bytes, "
		    "too short for a page", b->inline_len);
		return -1;
	}
	pg->pgid = 0;
	pg->p = b->inline_page;
	pg->span = b->inline_len;
	pg->off = b->inline_off;
	pg->flags = bolt_u16(pg->p + 8);
	pg->count = bolt_u16(pg->p + 10);
	if (pg->flags != BOLT_FLAG_LEAF) {
		bolt_diag(db, 0, pg->off, "inline bucket: page flags 0x%x, "
		    "not a leaf", pg->flags);
		return -1;
	}
	if ((size_t)BOLT_PAGE_HDR + (size_t)pg->count * BOLT_ELEM > pg->span) {
		bolt_diag(db, 0, pg->off, "inline bucket: %u elements do not "
		    "fit", pg->count);
		pg->count = (uint16_t)((pg->span - BOLT_PAGE_HDR) / BOLT_ELEM);
	}
	return 0;
}

static int
bolt_root_page(struct qs_bolt *db, const struct qs_bolt_bucket *b,
    struct bolt_page *pg)
{
	if (b->root == 0)
		return bolt_page_inline(db, b, pg);
	return bolt_page_load(db, b->root, pg);
}

/*
 * Element `i` of a branch or leaf page: its key, and for leaves its value
 * and flags, for branches the child page id.  `pos` counts from the
 * element's own address (formats.md 1.5).  -1 when the element points
 * outside its page.
 */
static int
bolt_elem_key(struct qs_bolt *db, const struct bolt_page *pg, unsigned i,
    const unsigned char **k, size_t *klen, const unsigned char **v,
    size_t *vlen, uint32_t *flags, uint64_t *child)
{
	size_t		 eoff = BOLT_PAGE_HDR + (size_t)i * BOLT_ELEM;
	const unsigned char *e = pg->p + eoff;
	uint64_t	 pos, ks, vs = 0;

	if (pg->flags == BOLT_FLAG_BRANCH) {
		pos = bolt_u32(e);
		ks = bolt_u32(e + 4);
		*child = bolt_u64(e + 8);
		*flags = 0;
	} else {
		*flags = bolt_u32(e);
		pos = bolt_u32(e + 4);
		ks = bolt_u32(e + 8);
		vs = bolt_u32(e + 12);
	}
	if (eoff + pos + ks + vs > pg->span) {
		bolt_diag(db, pg->pgid, pg->off + eoff, "page %llu element %u: "
		    "key/value at +%llu (%llu+%llu bytes) outside the page "
		    "(%zu bytes)", (unsigned long long)pg->pgid, i,
		    (unsigned long long)pos, (unsigned long long)ks,
		    (unsigned long long)vs, pg->span);
		return -1;
	}
	*k = e + pos;
	*klen = (size_t)ks;
	if (v != NULL) {
		*v = e + pos + ks;
		*vlen = (size_t)vs;
	}
	return 0;
}

static int
bolt_keycmp(const unsigned char *a, size_t alen, const unsigned char *b,
    size_t blen)
{
	int	c = memcmp(a, b, alen < blen ? alen : blen);

	if (c != 0)
		return c;
	return alen < blen ? -1 : alen > blen;
}

/*
 * Makes a bucket handle from a leaf value with the bucket flag.  -1 when
 * the value is too short to be a bucket.
 */
int
qs_bolt_bucket_value(struct qs_bolt *db, const unsigned char *v, size_t vlen,
    struct qs_bolt_bucket *b)
{
	memset(b, 0, sizeof(*b));
	if (vlen < BOLT_BUCKET_HDR) {
		bolt_diag(db, 0, (uint64_t)(v - db->data), "bucket value of "
		    "%zu bytes is too short", vlen);
		return -1;
	}
	b->root = bolt_u64(v);
	b->sequence = bolt_u64(v + 8);
	if (b->root == 0) {
		b->inline_page = v + BOLT_BUCKET_HDR;
		b->inline_len = vlen - BOLT_BUCKET_HDR;
		b->inline_off = (uint64_t)(b->inline_page - db->data);
	}
	return 0;
}

/*
 * Looks `key` up in bucket `b` (NULL: the root bucket).  OUT: the value
 * and the leaf element's flags.  Returns 0 when found, 1 when absent, -1
 * when damage stopped the search.  Descends at most QS_BOLT_DEPTH_MAX
 * levels, so a cyclic tree ends.
 */
int
qs_bolt_get(struct qs_bolt *db, const struct qs_bolt_bucket *b,
    const void *key, size_t klen, const unsigned char **v, size_t *vlen,
    uint32_t *flags)
{
	struct bolt_page	 pg;
	const unsigned char	*k, *ev;
	size_t			 kl, evl;
	uint32_t		 fl;
	uint64_t		 child = 0;
	unsigned		 i, lo, hi, depth;

	if (b == NULL)
		b = &db->root;
	if (bolt_root_page(db, b, &pg) != 0)
		return -1;
	for (depth = 0; depth < QS_BOLT_DEPTH_MAX; depth++) {
		if (pg.flags == BOLT_FLAG_LEAF) {
			for (i = 0; i < pg.count; i++) {
				if (bolt_elem_key(db, &pg, i, &k, &kl, &ev,
				    &evl, &fl, &child) != 0)
					continue;
				if (bolt_keycmp(k, kl, key, klen) == 0) {
					*v = ev;
					*vlen = evl;
					if (flags != NULL)
						*flags = fl;
					return 0;
				}
			}
			return 1;
		}
		if (pg.flags != BOLT_FLAG_BRANCH || pg.count == 0) {
			bolt_diag(db, pg.pgid, pg.off, "page %llu: flags 0x%x "
			    "with %u elements where a branch or leaf belongs",
			    (unsigned long long)pg.pgid, pg.flags, pg.count);
			return -1;
		}
		/* The last child whose first key is <= key. */
		lo = 0;
		hi = pg.count;
		while (hi - lo > 1) {
			unsigned mid = lo + (hi - lo) / 2;

			if (bolt_elem_key(db, &pg, mid, &k, &kl, NULL, NULL,
			    &fl, &child) != 0)
				return -1;
			if (bolt_keycmp(k, kl, key, klen) <= 0)
				lo = mid;
			else
				hi = mid;
		}
		if (bolt_elem_key(db, &pg, lo, &k, &kl, NULL, NULL, &fl,
		    &child) != 0)
			return -1;
		if (bolt_page_load(db, child, &pg) != 0)
			return -1;
	}
	bolt_diag(db, pg.pgid, pg.off, "tree deeper than %d levels",
	    QS_BOLT_DEPTH_MAX);
	return -1;
}

/*
 * Finds the nested bucket `name` inside `parent` (NULL: a top-level
 * bucket).  Returns 0 and fills *out, 1 when there is no such bucket (or
 * the key is not a bucket), -1 on damage.
 */
int
qs_bolt_bucket(struct qs_bolt *db, const struct qs_bolt_bucket *parent,
    const char *name, struct qs_bolt_bucket *out)
{
	const unsigned char	*v;
	size_t			 vlen;
	uint32_t		 flags;
	int			 r;

	r = qs_bolt_get(db, parent, name, strlen(name), &v, &vlen, &flags);
	if (r != 0)
		return r;
	if ((flags & QS_BOLT_BUCKET_FLAG) == 0)
		return 1;
	return qs_bolt_bucket_value(db, v, vlen, out) == 0 ? 0 : -1;
}

/*
 * Finds a bucket by a path of names ending in NULL: qs_bolt_path(db, &b,
 * "logs", NULL).  Same returns as qs_bolt_bucket().
 */
int
qs_bolt_path(struct qs_bolt *db, struct qs_bolt_bucket *out, ...)
{
	struct qs_bolt_bucket	 cur, *parent = NULL;
	const char		*name;
	va_list			 ap;
	int			 r = 1;

	va_start(ap, out);
	while ((name = va_arg(ap, const char *)) != NULL) {
		if ((r = qs_bolt_bucket(db, parent, name, &cur)) != 0)
			break;
		*out = cur;
		parent = out;
	}
	va_end(ap);
	return r;
}

/*
 * Calls fn for every key of bucket `b` (NULL: the root bucket) in page
 * order, which is key order in an undamaged file.  fn returns 0 to go on,
 * anything else to stop (returned as is).  Damaged pages and elements are
 * reported and skipped; a page met twice in one traversal (a cycle or a
 * shared child) is reported and not entered again.  Returns 0, fn's stop
 * value, or -1 when the root could not be read or the element budget ran
 * out.
 */
int
qs_bolt_foreach(struct qs_bolt *db, const struct qs_bolt_bucket *b,
    qs_bolt_each_fn fn, void *arg)
{
	struct bolt_frame	 stack[QS_BOLT_DEPTH_MAX];
	unsigned char		*seen = NULL;
	const unsigned char	*k, *v;
	size_t			 kl, vl;
	uint32_t		 fl;
	uint64_t		 child = 0;
	int			 depth = 0, r = 0;

	if (b == NULL)
		b = &db->root;
	if (bolt_root_page(db, b, &stack[0].page) != 0)
		return -1;
	stack[0].next = 0;
	if (b->root != 0) {
		seen = qs_xcalloc((size_t)(db->npages / 8 + 1), 1);
		seen[b->root / 8] |= (unsigned char)(1u << (b->root % 8));
	}
	while (depth >= 0) {
		struct bolt_frame	*f = &stack[depth];
		struct bolt_page	*pg = &f->page;

		if (f->next >= pg->count) {
			depth--;
			continue;
		}
		if (db->budget == 0) {
			bolt_diag(db, pg->pgid, pg->off, "element budget "
			    "exhausted: traversal stopped");
			r = -1;
			break;
		}
		db->budget--;
		if (pg->flags == BOLT_FLAG_LEAF) {
			if (bolt_elem_key(db, pg, f->next++, &k, &kl, &v, &vl,
			    &fl, &child) != 0)
				continue;
			if ((r = fn(arg, k, kl, v, vl, fl)) != 0)
				break;
			continue;
		}
		if (pg->flags != BOLT_FLAG_BRANCH) {
			bolt_diag(db, pg->pgid, pg->off, "page %llu: flags "
			    "0x%x where a branch or leaf belongs",
			    (unsigned long long)pg->pgid, pg->flags);
			depth--;
			continue;
		}
		if (bolt_elem_key(db, pg, f->next++, &k, &kl, NULL, NULL, &fl,
		    &child) != 0)
			continue;
		if (depth + 1 >= QS_BOLT_DEPTH_MAX) {
			bolt_diag(db, pg->pgid, pg->off, "tree deeper than %d "
			    "levels", QS_BOLT_DEPTH_MAX);
			continue;
		}
		if (child < db->npages && seen != NULL &&
		    (seen[child / 8] & (1u << (child % 8))) != 0) {
			bolt_diag(db, pg->pgid, pg->off, "page %llu: child "
			    "page %llu already visited (cycle or shared page)",
			    (unsigned long long)pg->pgid,
			    (unsigned long long)child);
			continue;
		}
		if (bolt_page_load(db, child, &stack[depth + 1].page) != 0)
			continue;
		if (seen != NULL)
			seen[child / 8] |= (unsigned char)(1u << (child % 8));
		stack[depth + 1].next = 0;
		depth++;
	}
	free(seen);
	return r;
}
