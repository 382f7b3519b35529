/*
 * Reading inputs: archives of any kind libarchive reads (tar, zip, cpio,
 * 7z... under gzip, xz, bzip2, zstd, lz4 compression), archives nested in
 * archives, plain directories, single loose files and standard input.
 *
 * Everything is read in one streaming pass.  Nothing is extracted: entry
 * names are only ever used as labels, never as paths to write, and links
 * are recorded, never followed.  Each entry's first QS_HEAD_BYTES are read
 * to decide what it is (another archive, a compressed file, or an artifact
 * of some kind); the rest is handed to the kind's parser or skipped.
 *
 * Paths: the member path is what the user sees ("node1.tar.gz!var/lib/...",
 * one '!' per archive level); the logical path is the member path with each
 * nested archive replaced by a directory named after its stem, which is
 * what node attribution and kind recognition look at.
 */
#include "config.h"

#include <sys/stat.h>
#include <errno.h>
#include <fcntl.h>
#include <fts.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "quorumscope.h"

#define BUNDLE_READ_BLOCK	(64 * 1024)
/* Consecutive damaged headers tolerated before giving up on an archive. */
#define BUNDLE_MAX_RETRIES	100000

/* Where entries of one container go, and how their paths are made. */
struct bundle_level {
	const char	*member_prefix;	/* "" or "outer.tar!" */
	const char	*logical_dir;	/* "" or "collect/node1/" */
	const char	*collapse;	/* a wrapping dir equal to this is dropped */
	int		 depth;		/* archives above this level */
};

struct bundle_walk {
	struct qs_run	*run;
	struct qs_input	*input;
	struct archive	*top;		/* outermost archive, for progress */
	uint64_t	 top_size;	/* compressed size of the input file */
	int		 stop;		/* a per-input limit was reached */
};

/* Reader over a libarchive entry's data. */
static ssize_t
bundle_archive_data(void *arg, void *buf, size_t len)
{
	la_ssize_t	r = archive_read_data(arg, buf, len);

	return r < 0 ? -1 : (ssize_t)r;
}

/* Reader over a file descriptor. */
static ssize_t
bundle_fd_data(void *arg, void *buf, size_t len)
{
	int	fd = *(int *)arg;
	ssize_t	r;

	do
		r = read(fd, buf, len);
	while (r < 0 && errno == EINTR);
	return r;
}

/* libarchive pulling a nested archive out of its parent's source. */
struct bundle_nest {
	struct qs_source	*src;
	unsigned char		 buf[BUNDLE_READ_BLOCK];
};

static la_ssize_t
bundle_nest_read(struct archive *a, void *arg, const void **out)
{
	struct bundle_nest	*nest = arg;
	ssize_t			 r;

	r = qs_source_read(nest->src, nest->buf, sizeof(nest->buf));
	if (r < 0) {
		archive_set_error(a, EIO, "reading the enclosing entry failed");
		return -1;
	}
	*out = nest->buf;
	return r;
}

static struct archive *
bundle_archive_new(void)
{
	struct archive	*a;

	if ((a = archive_read_new()) == NULL)
		qs_fatal("out of memory creating an archive reader");
	archive_read_support_filter_all(a);
	archive_read_support_format_all(a);
	/* Lowest bidder: a compressed single file (a rotated .gz log). */
	archive_read_support_format_raw(a);
	return a;
}

static const char *const bundle_suffixes[] = {
	".tar.gz", ".tar.xz", ".tar.bz2", ".tar.zst", ".tar.lz4", ".tar.Z",
	".tgz", ".txz", ".tbz2", ".tbz", ".tzst", ".tar", ".zip", ".cpio",
	".7z", ".gz", ".xz", ".bz2", ".zst", ".lz4", ".Z", NULL
};

/* Last component of a path without one archive or compression suffix. */
const char *
qs_path_stem(struct qs_arena *a, const char *path)
{
	const char	*base, *end;
	size_t		 len, i, slen;

	len = strlen(path);
	while (len > 1 && path[len - 1] == '/')
		len--;
	end = path + len;
	base = end;
	while (base > path && base[-1] != '/')
		base--;
	len = (size_t)(end - base);
	for (i = 0; bundle_suffixes[i] != NULL; i++) {
		slen = strlen(bundle_suffixes[i]);
		if (len >= slen &&
		    strncmp(end - slen, bundle_suffixes[i], slen) == 0) {
			len -= slen;
			break;
		}
	}
	if (len == 0)
		return qs_arena_strdup(a, "-");
	return qs_arena_strndup(a, base, len);
}

/*
 * Lexical normalisation of an entry name: no leading '/', no "." or empty
 * components, ".." applied but never above the top.  *escaped is set when
 * the name was absolute or climbed out: the caller says so.
 */
char *
qs_path_normalise(struct qs_arena *a, const char *name, int *escaped)
{
	size_t	 len = strlen(name), n = 0, clen;
	char	*out = qs_arena_alloc(a, len + 2);
	const char *p = name, *slash;

	*escaped = 0;
	if (*p == '/')
		*escaped = 1;
	while (*p != '\0') {
		while (*p == '/')
			p++;
		if (*p == '\0')
			break;
		slash = strchr(p, '/');
		clen = slash != NULL ? (size_t)(slash - p) : strlen(p);
		if (clen == 1 && p[0] == '.') {
			/* nothing */
		} else if (clen == 2 && p[0] == '.' && p[1] == '.') {
			if (n == 0)
				*escaped = 1;
			else {
				while (n > 0 && out[n - 1] != '/')
					n--;
				if (n > 0)
					n--;
			}
		} else {
			if (n > 0)
				out[n++] = '/';
			memcpy(out + n, p, clen);
			n += clen;
		}
		p += clen;
	}
	if (n == 0)
		out[n++] = '.';
	out[n] = '\0';
	return out;
}

static const char *
bundle_dirname(struct qs_arena *a, const char *path)
{
	const char	*slash = strrchr(path, '/');

	if (slash == NULL)
		return "";
	return qs_arena_strndup(a, path, (size_t)(slash - path + 1));
}

static void	bundle_entry(struct bundle_walk *, const struct bundle_level *,
		    const char *, const char *, int64_t, qs_read_fn, void *);

/* Reader over a source (a loose input replayed from its head). */
static ssize_t
bundle_source_data(void *arg, void *buf, size_t len)
{
	return qs_source_read(arg, buf, len);
}

/* Both paths of an entry named `name` inside `lvl`. */
static void
bundle_paths(struct bundle_walk *w, const struct bundle_level *lvl,
    const char *name, const char **member, const char **logical)
{
	struct qs_arena	*a = &w->run->arena;
	const char	*norm;
	size_t		 clen;
	int		 escaped;

	norm = qs_path_normalise(a, name, &escaped);
	*member = qs_arena_printf(a, "%s%s", lvl->member_prefix, name);
	if (escaped)
		qs_diag_add(w->run, QS_SEV_WARNING, w->input, *member,
		    "entry name is absolute or climbs out of its archive; "
		    "read as \"%s\"", norm);
	if (lvl->collapse != NULL) {
		clen = strlen(lvl->collapse);
		if (strncmp(norm, lvl->collapse, clen) == 0) {
			if (norm[clen] == '/')
				norm += clen + 1;
		}
	}
	*logical = qs_arena_printf(a, "%s%s", lvl->logical_dir, norm);
}

static void
bundle_link(struct bundle_walk *w, const char *member, const char *logical,
    enum qs_entry_type type, const char *target)
{
	struct qs_run		*run = w->run;
	struct qs_artifact	*art;
	int			 escaped;

	art = qs_arena_alloc(&run->arena, sizeof(*art));
	art->input = w->input;
	art->member = member;
	art->logical = logical;
	art->type = type;
	art->target = qs_arena_strdup(&run->arena, target);
	art->status = QS_STATUS_LINK;
	qs_vec_push(&run->artifacts, art);
	qs_nodes_note_path(run, w->input, logical, 0);

	if (type != QS_ENTRY_SYMLINK)
		return;
	/* Relative targets resolve against the link's directory. */
	if (target[0] == '/')
		escaped = 1;
	else {
		char	*joined = qs_arena_printf(&run->arena, "%s%s",
		    bundle_dirname(&run->arena, logical), target);

		qs_path_normalise(&run->arena, joined, &escaped);
	}
	if (escaped)
		qs_diag_add(run, QS_SEV_WARNING, w->input, member,
		    "symbolic link to \"%s\" points outside the bundle; "
		    "not followed", target);
}

/* Counts an entry; returns -1 once the input's entry limit is passed. */
static int
bundle_count_entry(struct bundle_walk *w, const char *member)
{
	if (w->stop)
		return -1;
	if (++w->input->entries > w->run->limits.v[QS_LIMIT_ENTRIES]) {
		qs_diag_add(w->run, QS_SEV_ERROR, w->input, member,
		    "more than %llu entries (max-entries); the rest of the "
		    "input is not read",
		    (unsigned long long)w->run->limits.v[QS_LIMIT_ENTRIES]);
		w->input->entries--;
		w->input->stopped = 1;
		w->stop = 1;
		return -1;
	}
	return 0;
}

/*
 * Walks the entries of an open archive.  `self_member` and `self_logical`
 * name the archive itself, for the compressed single-file case, where the
 * one entry takes the archive's own name; `diag_path` is what diagnostics
 * about the archive as a whole name (NULL for the input itself).
 */
static void
bundle_walk_archive(struct bundle_walk *w, struct archive *a,
    const struct bundle_level *lvl, const char *self_member,
    const char *self_logical, const char *diag_path)
{
	struct qs_run		*run = w->run;
	struct archive_entry	*e;
	const char		*member, *logical, *name, *target;
	int			 r, n = 0, retries = 0;
	int64_t			 size;

	for (;;) {
		r = archive_read_next_header(a, &e);
		if (r == ARCHIVE_EOF)
			break;
		if (r == ARCHIVE_FATAL) {
			const char	*msg = archive_error_string(a);

			qs_diag_add(run, QS_SEV_ERROR, w->input, diag_path,
			    "archive unreadable after %d entr%s: %s", n,
			    n == 1 ? "y" : "ies",
			    msg != NULL ? msg : "damaged or truncated");
			break;
		}
		if (r == ARCHIVE_RETRY) {
			/*
			 * A damaged header: libarchive skips ahead to the
			 * next one that checks out.  Say so once per stretch;
			 * a stretch that never ends is given up.
			 */
			const char	*msg = archive_error_string(a);

			if (retries++ == 0)
				qs_diag_add(run, QS_SEV_ERROR, w->input,
				    diag_path, "after %d entr%s: %s; skipping "
				    "to the next readable entry", n,
				    n == 1 ? "y" : "ies",
				    msg != NULL ? msg : "damaged archive");
			if (retries > BUNDLE_MAX_RETRIES) {
				qs_diag_add(run, QS_SEV_ERROR, w->input,
				    diag_path, "no readable entry found after "
				    "%d damaged blocks; giving up", retries);
				break;
			}
			continue;
		}
		retries = 0;
		if (r == ARCHIVE_WARN) {
			const char	*msg = archive_error_string(a);

			qs_diag_add(run, QS_SEV_WARNING, w->input, diag_path,
			    "%s", msg != NULL ? msg : "archive warning");
		}
		n++;
		if (w->top != NULL && w->top_size > 0)
			qs_progress_update(run, w->input->path,
			    (uint64_t)archive_filter_bytes(w->top, -1),
			    w->top_size);

		if (archive_format(a) == ARCHIVE_FORMAT_RAW) {
			/* A compressed file: keep the name, drop the suffix. */
			member = self_member;
			logical = qs_arena_printf(&run->arena, "%s%s",
			    bundle_dirname(&run->arena, self_logical),
			    qs_path_stem(&run->arena, self_logical));
		} else {
			name = archive_entry_pathname(e);
			if (name == NULL)
				name = "?";
			bundle_paths(w, lvl, name, &member, &logical);
		}

		switch (archive_entry_filetype(e)) {
		case AE_IFDIR:
			qs_nodes_note_path(run, w->input, logical, 1);
			continue;
		case AE_IFLNK:
			if (bundle_count_entry(w, member) != 0)
				return;
			target = archive_entry_symlink(e);
			bundle_link(w, member, logical, QS_ENTRY_SYMLINK,
			    target != NULL ? target : "");
			continue;
		case AE_IFREG:
		case 0:		/* raw format and some zips leave it unset */
			break;
		default:
			qs_diag_add(run, QS_SEV_INFO, w->input, member,
			    "not a regular file; skipped");
			continue;
		}
		if (bundle_count_entry(w, member) != 0)
			return;
		if ((target = archive_entry_hardlink(e)) != NULL) {
			bundle_link(w, member, logical, QS_ENTRY_HARDLINK,
			    target);
			continue;
		}
		size = archive_entry_size_is_set(e) ? archive_entry_size(e) :
		    -1;
		bundle_entry(w, lvl, member, logical, size,
		    bundle_archive_data, a);
		if (w->stop)
			return;
	}
}

/* Opens a nested archive over `src` and walks it. */
static void
bundle_nested(struct bundle_walk *w, const struct bundle_level *lvl,
    const char *member, const char *logical, struct qs_source *src)
{
	struct qs_run		*run = w->run;
	struct bundle_nest	*nest = qs_xmalloc(sizeof(*nest));
	struct bundle_level	 inner;
	struct archive		*a = bundle_archive_new();
	const char		*stem;

	nest->src = src;
	stem = qs_path_stem(&run->arena, logical);
	inner.member_prefix = qs_arena_printf(&run->arena, "%s!", member);
	inner.logical_dir = qs_arena_printf(&run->arena, "%s%s/",
	    bundle_dirname(&run->arena, logical), stem);
	inner.collapse = stem;
	inner.depth = lvl->depth + 1;

	if (archive_read_open(a, nest, NULL, bundle_nest_read, NULL) !=
	    ARCHIVE_OK) {
		const char	*msg = archive_error_string(a);

		qs_diag_add(run, QS_SEV_ERROR, w->input, member,
		    "nested archive unreadable: %s",
		    msg != NULL ? msg : "unknown format");
	} else {
		qs_nodes_note_path(run, w->input, qs_arena_printf(&run->arena,
		    "%s%s", bundle_dirname(&run->arena, logical), stem), 1);
		bundle_walk_archive(w, a, &inner, member, logical, member);
	}
	archive_read_free(a);
	free(nest);
}

static const char *
bundle_mime(const struct qs_head *h)
{
	return qs_magic_mime(h->data, h->len);
}

/* Observations of every kind the run holds so far. */
static size_t
bundle_observations(const struct qs_run *run)
{
	return run->events.n + run->signals.n + run->views.n +
	    run->settings.n + run->identities.n;
}

/*
 * A log read to its end that gave no observation and no timed line (a
 * timed line alone says the node was up then) understood nothing: its
 * own status, so that a verdict never rests on it.
 */
static void
bundle_understood(const struct qs_run *run, struct qs_artifact *art,
    size_t before)
{
	size_t	n = strlen(art->kind->name);

	if (n < 4 || strcmp(art->kind->name + n - 4, ".log") != 0 ||
	    (art->status != QS_STATUS_PARSED &&
	    art->status != QS_STATUS_PARTIAL) ||
	    bundle_observations(run) != before || art->first_time.set)
		return;
	art->status = QS_STATUS_NOTHING;
	if (art->message == NULL)
		art->message = "no line of it was understood";
}

static struct qs_artifact *
bundle_artifact(struct bundle_walk *w, const char *member, const char *logical,
    const struct qs_kind *kind)
{
	struct qs_artifact	*art;

	art = qs_arena_alloc(&w->run->arena, sizeof(*art));
	art->input = w->input;
	art->member = member;
	art->logical = logical;
	art->kind = kind;
	art->type = QS_ENTRY_FILE;
	art->status = kind->parse != NULL ? QS_STATUS_PARSED :
	    QS_STATUS_UNSUPPORTED;
	qs_vec_push(&w->run->artifacts, art);
	return art;
}

/*
 * One file entry: read its head, then either descend into it (an archive
 * or a compressed file) or identify it and hand it to its parser.  `size`
 * is the entry's size when the container says (-1 otherwise).
 */
static void
bundle_entry(struct bundle_walk *w, const struct bundle_level *lvl,
    const char *member, const char *logical, int64_t size, qs_read_fn readfn,
    void *read_arg)
{
	struct qs_run		*run = w->run;
	struct qs_limits	*lim = &run->limits;
	struct qs_source	 src;
	struct qs_head		 head;
	struct qs_bid		 id;
	struct qs_artifact	*art = NULL;
	unsigned char		*buf;
	uint64_t		 limit, left, done;
	size_t			 len = 0;
	ssize_t			 r;
	char			 s1[32], s2[32];

	/* The input budget bounds every entry: bombs stop here. */
	left = lim->v[QS_LIMIT_INPUT_BYTES] > w->input->bytes ?
	    lim->v[QS_LIMIT_INPUT_BYTES] - w->input->bytes : 0;
	limit = lim->v[QS_LIMIT_ENTRY_BYTES];
	if (size >= 0 && (uint64_t)size > limit)
		qs_diag_add(run, QS_SEV_WARNING, w->input, member,
		    "entry is %s, over max-entry-size (%s); only the first "
		    "%s are read", qs_format_size((uint64_t)size, s1,
		    sizeof(s1)), qs_format_size(limit, s2, sizeof(s2)),
		    qs_format_size(limit, s2, sizeof(s2)));
	if (limit > left)
		limit = left;

	buf = qs_xmalloc(QS_HEAD_BYTES);
	while (len < QS_HEAD_BYTES && len < limit) {
		size_t	want = QS_HEAD_BYTES - len;

		if (want > limit - len)
			want = (size_t)(limit - len);
		r = readfn(read_arg, buf + len, want);
		if (r < 0) {
			qs_diag_add(run, QS_SEV_ERROR, w->input, member,
			    "entry damaged or truncated: reading failed "
			    "after %zu bytes", len);
			w->input->bytes += len;
			free(buf);
			return;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	qs_source_init(&src, buf, len, readfn, read_arg, limit);

	switch (qs_container_sniff(buf, len)) {
	case QS_CONT_ARCHIVE:
	case QS_CONT_COMPRESSED:
		if ((uint64_t)lvl->depth + 1 > lim->v[QS_LIMIT_DEPTH]) {
			qs_diag_add(run, QS_SEV_WARNING, w->input, member,
			    "archive nested deeper than max-depth (%llu); "
			    "not opened",
			    (unsigned long long)lim->v[QS_LIMIT_DEPTH]);
			break;
		}
		bundle_nested(w, lvl, member, logical, &src);
		/* Whatever follows the nested archive's end is padding. */
		done = src.pos + qs_source_drain(&src);
		goto account;
	case QS_CONT_NONE:
		break;
	}

	qs_nodes_note_path(run, w->input, logical, 0);
	memset(&head, 0, sizeof(head));
	head.logical = logical;
	head.base = strrchr(logical, '/') != NULL ?
	    strrchr(logical, '/') + 1 : logical;
	head.data = buf;
	head.len = len;
	head.size = size >= 0 ? (uint64_t)size : len;
	qs_identify(&head, &id, bundle_mime);

	if (id.kind == NULL) {
		run->unrecognised++;
		if (id.tie != NULL)
			qs_diag_add(run, QS_SEV_WARNING, w->input, member,
			    "looks equally like %s and %s; not guessed",
			    id.named->name, id.tie->name);
		else if (id.named != NULL)
			/*
			 * Loud for formats with magic (a raft.db that is text
			 * is news); quiet for text kinds, whose names are
			 * often reused (any *.log).
			 */
			qs_diag_add(run, id.named->magic != NULL ?
			    QS_SEV_WARNING : QS_SEV_INFO, w->input, member,
			    "named like %s but its content is not; "
			    "not read as one", id.named->name);
	} else {
		art = bundle_artifact(w, member, logical, id.kind);
		if (id.kind->parse != NULL) {
			struct qs_parse_ctx	ctx = { run, art, &src, NULL };
			size_t			obs = bundle_observations(run);

			if (id.kind->parse(&ctx) != 0 &&
			    art->status == QS_STATUS_PARSED)
				art->status = QS_STATUS_FAILED;
			bundle_understood(run, art, obs);
		}
	}
	/*
	 * Skipping the rest through the source keeps the byte count exact
	 * for the bomb guard; libarchive would decompress it anyway.
	 */
	done = src.pos + qs_source_drain(&src);
	if (art != NULL) {
		art->size = size >= 0 ? (uint64_t)size : done;
		if (src.truncated && art->status != QS_STATUS_FAILED) {
			art->status = art->kind->parse != NULL ?
			    QS_STATUS_PARTIAL : QS_STATUS_SKIPPED;
			art->message = "over max-entry-size";
		}
	}
account:
	if (src.error)
		qs_diag_add(run, QS_SEV_ERROR, w->input, member,
		    "entry damaged or truncated: reading failed after %llu "
		    "bytes", (unsigned long long)src.pos);
	w->input->bytes += done;
	if (src.truncated && limit == left && !w->stop) {
		qs_diag_add(run, QS_SEV_ERROR, w->input, member,
		    "input exceeds max-input-size (%s) of decompressed data; "
		    "the rest of the input is not read", qs_format_size(
		    lim->v[QS_LIMIT_INPUT_BYTES], s1, sizeof(s1)));
		w->input->stopped = 1;
		w->stop = 1;
	}
	qs_source_release(&src);
	free(buf);
}

/* Directory entries in name order, so that output does not depend on
 * the file system's order. */
static int
bundle_fts_cmp(const FTSENT **a, const FTSENT **b)
{
	return strcmp((*a)->fts_name, (*b)->fts_name);
}

/* A plain directory: every file in it, links recorded, not followed. */
static void
bundle_walk_dir(struct bundle_walk *w, const char *path)
{
	struct qs_run		*run = w->run;
	struct bundle_level	 lvl = { "", "", NULL, 0 };
	char			*argv[2] = { (char *)path, NULL };
	size_t			 plen = strlen(path);
	FTS			*fts;
	FTSENT			*f;
	const char		*rel, *member, *logical;
	char			 target[4096];
	ssize_t			 tl;
	int			 fd;

	while (plen > 1 && path[plen - 1] == '/')
		plen--;
	if ((fts = fts_open(argv, FTS_PHYSICAL | FTS_NOCHDIR,
	    bundle_fts_cmp)) == NULL) {
		qs_diag_add(run, QS_SEV_ERROR, w->input, NULL,
		    "cannot read directory: %s", strerror(errno));
		return;
	}
	w->input->opened = 1;
	while ((f = fts_read(fts)) != NULL && !w->stop) {
		if (f->fts_level == 0)
			continue;
		rel = f->fts_path + plen;
		while (*rel == '/')
			rel++;
		bundle_paths(w, &lvl, rel, &member, &logical);
		switch (f->fts_info) {
		case FTS_D:
			qs_nodes_note_path(run, w->input, logical, 1);
			break;
		case FTS_DNR:
		case FTS_ERR:
		case FTS_NS:
			qs_diag_add(run, QS_SEV_ERROR, w->input, member,
			    "cannot read: %s", strerror(f->fts_errno));
			break;
		case FTS_SL:
		case FTS_SLNONE:
			if (bundle_count_entry(w, member) != 0)
				break;
			tl = readlink(f->fts_accpath, target,
			    sizeof(target) - 1);
			target[tl < 0 ? 0 : tl] = '\0';
			bundle_link(w, member, logical, QS_ENTRY_SYMLINK,
			    target);
			break;
		case FTS_F:
			if (bundle_count_entry(w, member) != 0)
				break;
			fd = open(f->fts_accpath, O_RDONLY | O_CLOEXEC |
			    O_NOFOLLOW);
			if (fd < 0) {
				qs_diag_add(run, QS_SEV_ERROR, w->input,
				    member, "cannot open: %s",
				    strerror(errno));
				break;
			}
			bundle_entry(w, &lvl, member, logical,
			    (int64_t)f->fts_statp->st_size, bundle_fd_data,
			    &fd);
			close(fd);
			break;
		default:
			break;
		}
	}
	fts_close(fts);
}

/* Memory reader for qs_bundle_read_memory(). */
struct bundle_mem {
	const unsigned char	*p;
	size_t			 left;
};

static ssize_t
bundle_mem_data(void *arg, void *buf, size_t len)
{
	struct bundle_mem	*m = arg;

	if (len > m->left)
		len = m->left;
	memcpy(buf, m->p, len);
	m->p += len;
	m->left -= len;
	return (ssize_t)len;
}

/*
 * An input that is not a directory: read its head to tell an archive (or a
 * compressed stream) from a loose file.  Regular files are handed to
 * libarchive by descriptor (seek_fd >= 0) so that zip's central directory
 * can be used; other readers are replayed from the head.
 */
static void
bundle_walk_stream(struct bundle_walk *w, qs_read_fn readfn, void *read_arg,
    int seek_fd, const char *name)
{
	struct qs_run		*run = w->run;
	struct bundle_level	 lvl = { "", "", NULL, 0 };
	struct bundle_nest	*nest = NULL;
	struct qs_source	 src;
	struct archive		*a;
	unsigned char		*buf = qs_xmalloc(QS_HEAD_BYTES);
	size_t			 len = 0;
	ssize_t			 r;

	while (len < QS_HEAD_BYTES) {
		r = readfn(read_arg, buf + len, QS_HEAD_BYTES - len);
		if (r < 0) {
			qs_diag_add(run, QS_SEV_ERROR, w->input, NULL,
			    "cannot read: %s", strerror(errno));
			free(buf);
			return;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	qs_source_init(&src, buf, len, readfn, read_arg, UINT64_MAX);
	if (qs_container_sniff(buf, len) == QS_CONT_NONE) {
		/* A loose file: one entry named after the input. */
		w->input->opened = 1;
		w->input->entries = 1;
		bundle_entry(w, &lvl, name, name, -1, bundle_source_data, &src);
		qs_source_release(&src);
		free(buf);
		return;
	}

	a = bundle_archive_new();
	if (seek_fd >= 0 && lseek(seek_fd, 0, SEEK_SET) == 0) {
		r = archive_read_open_fd(a, seek_fd, BUNDLE_READ_BLOCK);
	} else {
		nest = qs_xmalloc(sizeof(*nest));
		nest->src = &src;
		r = archive_read_open(a, nest, NULL, bundle_nest_read, NULL);
	}
	if (r != ARCHIVE_OK) {
		const char	*msg = archive_error_string(a);

		qs_diag_add(run, QS_SEV_ERROR, w->input, NULL,
		    "not a readable archive: %s",
		    msg != NULL ? msg : "unknown format");
	} else {
		w->input->opened = 1;
		w->top = a;
		bundle_walk_archive(w, a, &lvl, name, name, NULL);
		qs_progress_done(run);
	}
	archive_read_free(a);
	free(nest);
	qs_source_release(&src);
	free(buf);
}

/*
 * Reads one input given on the command line ("-" for standard input).
 * Returns 0 when the input could be opened, -1 when nothing of it could be
 * read (a diagnostic says why).
 */
int
qs_bundle_read(struct qs_run *run, const char *path)
{
	struct bundle_walk	 w;
	struct stat		 st;
	int			 fd;
	const char		*base;

	memset(&w, 0, sizeof(w));
	w.run = run;
	w.input = qs_run_add_input(run, path);

	if (strcmp(path, "-") == 0) {
		w.input->stem = "stdin";
		fd = STDIN_FILENO;
		bundle_walk_stream(&w, bundle_fd_data, &fd, -1, "stdin");
		return w.input->opened ? 0 : -1;
	}
	if (stat(path, &st) != 0) {
		qs_diag_add(run, QS_SEV_ERROR, w.input, NULL, "cannot open: %s",
		    strerror(errno));
		return -1;
	}
	if (S_ISDIR(st.st_mode)) {
		bundle_walk_dir(&w, path);
		return w.input->opened ? 0 : -1;
	}
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		qs_diag_add(run, QS_SEV_ERROR, w.input, NULL, "cannot open: %s",
		    strerror(errno));
		return -1;
	}
	w.top_size = S_ISREG(st.st_mode) ? (uint64_t)st.st_size : 0;
	base = strrchr(path, '/') != NULL ? strrchr(path, '/') + 1 : path;
	bundle_walk_stream(&w, bundle_fd_data, &fd, S_ISREG(st.st_mode) ? fd : -1,
	    base);
	close(fd);
	return w.input->opened ? 0 : -1;
}

/*
 * An input held in memory, read exactly as a file of that name would be:
 * the fuzz targets and unit tests come in here.
 */
int
qs_bundle_read_memory(struct qs_run *run, const char *name, const void *data,
    size_t len)
{
	struct bundle_walk	 w;
	struct bundle_mem	 m = { data, len };

	memset(&w, 0, sizeof(w));
	w.run = run;
	w.input = qs_run_add_input(run, name);
	bundle_walk_stream(&w, bundle_mem_data, &m, -1, name);
	return w.input->opened ? 0 : -1;
}
