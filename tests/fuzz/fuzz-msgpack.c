/*
 * libFuzzer target for the msgpack cursor and the raft.Log decoder of
 * consul.raft_db.  The input is split on the bytes C1 C1 (never valid
 * msgpack) into log values; they are wrapped, with keys 1, 2, 3..., in
 * an inline "logs" bucket of a minimal BoltDB image built here, so the
 * mutations go to the msgpack and not to the BoltDB pages, and the
 * parser sees a sequence of entries (configuration diffs, chunk
 * joining).  The whole input is also walked with qs_mp_skip() and every
 * value tried as a time.  Demands only that nothing crashes, hangs, leaks
 * or trips a sanitizer.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "quorumscope.h"

#define FUZZ_PAGE	4096
#define FUZZ_ENTRIES	512

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static void	fuzz_put16(unsigned char *, uint16_t);
static void	fuzz_put32(unsigned char *, uint32_t);
static void	fuzz_put64(unsigned char *, uint64_t);
static void	fuzz_meta(unsigned char *, uint64_t, uint64_t, uint64_t);
static unsigned char *fuzz_image(const uint8_t *, size_t, size_t *);
static void	fuzz_cursor(const uint8_t *, size_t);

static void
fuzz_put16(unsigned char *p, uint16_t v)
{
	p[0] = (unsigned char)v;
	p[1] = (unsigned char)(v >> 8);
}

static void
fuzz_put32(unsigned char *p, uint32_t v)
{
	fuzz_put16(p, (uint16_t)v);
	fuzz_put16(p + 2, (uint16_t)(v >> 16));
}

static void
fuzz_put64(unsigned char *p, uint64_t v)
{
	fuzz_put32(p, (uint32_t)v);
	fuzz_put32(p + 4, (uint32_t)(v >> 32));
}

/* Meta page `id` (0 or 1): root page 3, high-water mark hwm. */
static void
fuzz_meta(unsigned char *page, uint64_t id, uint64_t txid, uint64_t hwm)
{
	uint64_t	h = 0xcbf29ce484222325ULL;
	int		i;

	fuzz_put64(page, id);
	fuzz_put16(page + 8, 0x04);
	fuzz_put32(page + 16, 0xED0CDAED);
	fuzz_put32(page + 20, 2);
	fuzz_put32(page + 24, FUZZ_PAGE);
	fuzz_put64(page + 32, 3);
	fuzz_put64(page + 48, 2);
	fuzz_put64(page + 56, hwm);
	fuzz_put64(page + 64, txid);
	for (i = 16; i < 72; i++) {
		h ^= page[i];
		h *= 0x100000001b3ULL;
	}
	fuzz_put64(page + 72, h);
}

/*
 * Pages: 0, 1 metas; 2 an empty freelist; 3 the root leaf (with overflow
 * pages as needed) holding one element "logs" whose value is an inline
 * bucket: a 16-byte header (root 0) and a leaf page image with one
 * element per log value.
 */
static unsigned char *
fuzz_image(const uint8_t *data, size_t len, size_t *outlen)
{
	size_t		 starts[FUZZ_ENTRIES], lens[FUZZ_ENTRIES];
	size_t		 n = 0, i, pos = 0, inl, root_len, total, npages;
	unsigned char	*img, *root, *ip, *kv;

	while (n < FUZZ_ENTRIES) {
		const uint8_t	*sep = NULL;
		size_t		 j;

		for (j = pos; j + 1 < len; j++)
			if (data[j] == 0xc1 && data[j + 1] == 0xc1) {
				sep = data + j;
				break;
			}
		starts[n] = pos;
		lens[n] = sep != NULL ? (size_t)(sep - data) - pos : len - pos;
		n++;
		if (sep == NULL)
			break;
		pos = (size_t)(sep - data) + 2;
	}
	/* The inline page: header, elements, then keys and values. */
	inl = 16 + 16 * n;
	for (i = 0; i < n; i++)
		inl += 8 + lens[i];
	root_len = 16 + 16 + 4 + 16 + inl;
	npages = 3 + (root_len + FUZZ_PAGE - 1) / FUZZ_PAGE;
	total = npages * FUZZ_PAGE;
	img = calloc(1, total);
	if (img == NULL)
		abort();
	fuzz_meta(img, 0, 2, npages);
	fuzz_meta(img + FUZZ_PAGE, 1, 3, npages);
	fuzz_put64(img + 2 * FUZZ_PAGE, 2);
	fuzz_put16(img + 2 * FUZZ_PAGE + 8, 0x10);
	root = img + 3 * FUZZ_PAGE;
	fuzz_put64(root, 3);
	fuzz_put16(root + 8, 0x02);
	fuzz_put16(root + 10, 1);
	fuzz_put32(root + 12, (uint32_t)(npages - 4));
	fuzz_put32(root + 16, 0x01);		/* a bucket */
	fuzz_put32(root + 20, 16);		/* key right after */
	fuzz_put32(root + 24, 4);
	fuzz_put32(root + 28, (uint32_t)(16 + inl));
	memcpy(root + 32, "logs", 4);
	ip = root + 36 + 16;			/* root 0, sequence 0 */
	fuzz_put16(ip + 8, 0x02);
	fuzz_put16(ip + 10, (uint16_t)n);
	kv = ip + 16 + 16 * n;
	for (i = 0; i < n; i++) {
		unsigned char	*e = ip + 16 + 16 * i;
		uint64_t	 k = i + 1;
		int		 b;

		fuzz_put32(e + 4, (uint32_t)(kv - e));
		fuzz_put32(e + 8, 8);
		fuzz_put32(e + 12, (uint32_t)lens[i]);
		for (b = 0; b < 8; b++)
			kv[b] = (unsigned char)(k >> (56 - 8 * b));
		if (lens[i] > 0)
			memcpy(kv + 8, data + starts[i], lens[i]);
		kv += 8 + lens[i];
	}
	*outlen = total;
	return img;
}

/* Every value of the input read, skipped and tried as a time. */
static void
fuzz_cursor(const uint8_t *data, size_t len)
{
	struct qs_mp		mp;
	struct qs_mp_val	v;
	struct qs_time		t;
	uint64_t		u;

	qs_mp_init(&mp, data, len);
	while (mp.p < mp.end && qs_mp_skip(&mp) == 0)
		;
	qs_mp_init(&mp, data, len);
	while (qs_mp_read(&mp, &v) == 0) {
		qs_mp_time(&v, &t);
		qs_mp_uint(&v, &u);
		qs_mp_eq(&v, "Servers");
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	const struct qs_kind	*kind = qs_kind_find("consul.raft_db");
	struct qs_run		*run;
	struct qs_input		*in;
	struct qs_artifact	*art;
	struct qs_source	 src;
	struct qs_parse_ctx	 ctx;
	unsigned char		*img;
	size_t			 imglen;

	if (kind == NULL || kind->parse == NULL)
		abort();
	if (len > 1024 * 1024)
		return 0;
	fuzz_cursor(data, len);
	img = fuzz_image(data, len, &imglen);
	run = qs_run_new();
	run->echo_diags = 0;
	in = qs_run_add_input(run, "fuzz.tar");
	art = qs_arena_alloc(&run->arena, sizeof(*art));
	art->input = in;
	art->member = art->logical = "node1/raft/raft.db";
	art->kind = kind;
	art->status = QS_STATUS_PARSED;
	qs_vec_push(&run->artifacts, art);
	qs_source_init_mem(&src, img, imglen);
	ctx.run = run;
	ctx.artifact = art;
	ctx.src = &src;
	ctx.speaker = NULL;
	kind->parse(&ctx);
	qs_source_release(&src);
	qs_nodes_resolve(run);
	qs_run_free(run);
	free(img);
	return 0;
}
