/*
 * The bytes of one entry as a parser sees them.  The bundle reader has
 * already read the entry's head to choose its kind; a source replays that
 * head and then continues from the archive, so an entry is read once, in
 * bundle order, whatever the parser does with it.
 *
 * Three ways to read: qs_source_read() for streaming binary formats,
 * qs_source_getline() for logs and other text, qs_source_map() for formats
 * that need random access (BoltDB).  A mapped entry stays in memory while
 * it is small; a larger one is spooled to an unlinked temporary file and
 * mapped from there, so memory stays bounded whatever the bundle holds, and
 * nothing is left on disk even if the program is killed.
 */
#include "config.h"

#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "quorumscope.h"

#define SOURCE_BUF	(64 * 1024)

void
qs_source_init(struct qs_source *src, const unsigned char *head,
    size_t head_len, qs_read_fn read, void *read_arg, uint64_t limit)
{
	memset(src, 0, sizeof(*src));
	src->head = head;
	src->head_len = head_len;
	src->read = read;
	src->read_arg = read_arg;
	src->limit = limit;
	src->spool_max = UINT64_MAX;
}

void
qs_source_init_mem(struct qs_source *src, const unsigned char *data,
    size_t len)
{
	qs_source_init(src, data, len, NULL, NULL, UINT64_MAX);
}

/* Raw read: head first, then the reader; stops at the limit. */
static ssize_t
source_read_raw(struct qs_source *src, void *buf, size_t len)
{
	size_t	n;
	ssize_t	r;

	if (src->pos >= src->limit) {
		if (!src->truncated && (src->read != NULL ||
		    src->head_pos < src->head_len)) {
			unsigned char	probe;

			/* Only data beyond the limit makes it a cut. */
			if (src->head_pos < src->head_len ||
			    src->read(src->read_arg, &probe, 1) > 0)
				src->truncated = 1;
		}
		return 0;
	}
	if (len > src->limit - src->pos)
		len = (size_t)(src->limit - src->pos);
	if (src->head_pos < src->head_len) {
		n = src->head_len - src->head_pos;
		if (n > len)
			n = len;
		memcpy(buf, src->head + src->head_pos, n);
		src->head_pos += n;
		src->pos += n;
		return (ssize_t)n;
	}
	if (src->read == NULL)
		return 0;
	r = src->read(src->read_arg, buf, len);
	if (r < 0) {
		src->error = 1;
		return -1;
	}
	src->pos += (uint64_t)r;
	return r;
}

ssize_t
qs_source_read(struct qs_source *src, void *buf, size_t len)
{
	size_t	n;

	/* Bytes the line reader buffered come first. */
	if (src->buf != NULL && src->buf_pos < src->buf_len) {
		n = src->buf_len - src->buf_pos;
		if (n > len)
			n = len;
		memcpy(buf, src->buf + src->buf_pos, n);
		src->buf_pos += n;
		return (ssize_t)n;
	}
	return source_read_raw(src, buf, len);
}

/*
 * Next line without its newline (and without a CR before it), NUL
 * terminated in the source's buffer, valid until the next call.  Lines
 * longer than max are cut to max bytes and the rest of them skipped.
 * Returns the length, or -1 at the end of the entry.
 */
ssize_t
qs_source_getline(struct qs_source *src, const char **line, size_t max)
{
	size_t	 len = 0;
	int	 any = 0;
	ssize_t	 r;

	if (src->buf == NULL)
		src->buf = qs_xmalloc(SOURCE_BUF);
	if (src->line_cap < max + 1) {
		src->line = qs_xreallocarray(src->line, max + 1, 1);
		src->line_cap = max + 1;
	}
	for (;;) {
		unsigned char	*nl;
		size_t		 avail, take;

		if (src->buf_pos == src->buf_len) {
			r = source_read_raw(src, src->buf, SOURCE_BUF);
			if (r <= 0)
				break;
			src->buf_len = (size_t)r;
			src->buf_pos = 0;
		}
		any = 1;
		avail = src->buf_len - src->buf_pos;
		nl = memchr(src->buf + src->buf_pos, '\n', avail);
		take = nl != NULL ? (size_t)(nl - (src->buf + src->buf_pos)) :
		    avail;
		if (len < max) {
			size_t	room = max - len;

			memcpy(src->line + len, src->buf + src->buf_pos,
			    take < room ? take : room);
			len += take < room ? take : room;
		}
		src->buf_pos += take;
		if (nl != NULL) {
			src->buf_pos++;
			break;
		}
	}
	if (!any)
		return -1;
	if (len > 0 && src->line[len - 1] == '\r')
		len--;
	src->line[len] = '\0';
	src->lineno++;
	*line = src->line;
	return (ssize_t)len;
}

/* An unlinked temporary file: gone from the file system from the start. */
static int
source_tmpfile(void)
{
	const char	*dir = getenv("TMPDIR");
	char		 path[4096];
	int		 fd;

	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
#ifdef O_TMPFILE
	fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd >= 0)
		return fd;
#endif
	if ((size_t)snprintf(path, sizeof(path), "%s/quorumscope.XXXXXX", dir)
	    >= sizeof(path))
		return -1;
	if ((fd = mkstemp(path)) < 0)
		return -1;
	unlink(path);
	return fd;
}

static int
source_write_all(int fd, const unsigned char *p, size_t len)
{
	while (len > 0) {
		ssize_t	w = write(fd, p, len);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

/*
 * The whole entry (from the current position) as one read-only span.
 * Entries up to mem_max bytes are held in memory; larger ones are spooled
 * to an unlinked temporary file and mapped.  Returns 0, or -1 when the
 * entry could not be read or spooled (errno set); a partial span is still
 * returned when the reader failed part way.
 */
int
qs_source_map(struct qs_source *src, uint64_t mem_max,
    const unsigned char **data, size_t *len)
{
	unsigned char	*mem = NULL, chunk[SOURCE_BUF];
	size_t		 used = 0, cap = 0;
	ssize_t		 r;
	int		 fd = -1;
	uint64_t	 spooled = 0;
	struct statvfs	 vfs;
	void		*m;

	if (src->map != NULL) {
		*data = src->map;
		*len = src->map_len;
		return 0;
	}
	for (;;) {
		r = qs_source_read(src, chunk, sizeof(chunk));
		if (r <= 0)
			break;
		if (fd < 0 && used + (size_t)r <= mem_max) {
			if (used + (size_t)r > cap) {
				cap = cap == 0 ? SOURCE_BUF : cap;
				while (cap < used + (size_t)r)
					cap *= 2;
				mem = qs_xreallocarray(mem, cap, 1);
			}
			memcpy(mem + used, chunk, (size_t)r);
			used += (size_t)r;
			continue;
		}
		if (fd < 0) {
			if ((fd = source_tmpfile()) < 0)
				goto fail;
			/* Ask before writing: the size, then the room. */
			if (src->size_hint > src->spool_max) {
				src->spool_refused = "over max-spool-size";
				errno = EFBIG;
				goto fail;
			}
			if (fstatvfs(fd, &vfs) == 0 && src->size_hint >
			    (uint64_t)vfs.f_bavail * vfs.f_frsize) {
				src->spool_refused = "larger than the free "
				    "space in the temporary directory";
				errno = ENOSPC;
				goto fail;
			}
			if (source_write_all(fd, mem, used) != 0)
				goto fail;
			spooled = used;
			free(mem);
			mem = NULL;
		}
		if (spooled + (uint64_t)r > src->spool_max) {
			src->spool_refused = "over max-spool-size";
			errno = EFBIG;
			goto fail;
		}
		if (source_write_all(fd, chunk, (size_t)r) != 0) {
			if (errno == ENOSPC)
				src->spool_refused = "the temporary directory "
				    "is full";
			goto fail;
		}
		spooled += (uint64_t)r;
	}
	if (fd < 0) {
		src->map = mem;
		src->map_len = used;
		src->map_is_mmap = 0;
	} else {
		if (spooled > SIZE_MAX) {
			errno = EFBIG;
			goto fail;
		}
		m = mmap(NULL, (size_t)spooled, PROT_READ, MAP_PRIVATE, fd, 0);
		if (m == MAP_FAILED)
			goto fail;
		close(fd);
		src->map = m;
		src->map_len = (size_t)spooled;
		src->map_is_mmap = 1;
	}
	if (src->map == NULL) {		/* empty entry */
		static unsigned char	empty;

		*data = &empty;
		*len = 0;
		return src->error ? -1 : 0;
	}
	*data = src->map;
	*len = src->map_len;
	return src->error ? -1 : 0;
fail:
	if (fd >= 0)
		close(fd);
	free(mem);
	return -1;
}

/* Reads and discards what is left; returns the number of bytes. */
uint64_t
qs_source_drain(struct qs_source *src)
{
	unsigned char	chunk[SOURCE_BUF];
	uint64_t	total = 0;
	ssize_t		r;

	while ((r = qs_source_read(src, chunk, sizeof(chunk))) > 0)
		total += (uint64_t)r;
	return total;
}

void
qs_source_release(struct qs_source *src)
{
	if (src->map != NULL) {
		if (src->map_is_mmap)
			munmap(src->map, src->map_len);
		else
			free(src->map);
	}
	free(src->buf);
	free(src->line);
	src->map = NULL;
	src->buf = NULL;
	src->line = NULL;
}
