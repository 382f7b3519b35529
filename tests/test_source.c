/* source.c: head replay, lines, limits, and spooling to unlinked files. */
#include "config.h"

#include <dirent.h>
#include <stdlib.h>
#include <unistd.h>

#include "test.h"

struct chunks {
	const char	*data;
	size_t		 left;
	size_t		 step;	/* bytes per read, to cross buffer edges */
};

static ssize_t
chunks_read(void *arg, void *buf, size_t len)
{
	struct chunks	*c = arg;

	if (len > c->left)
		len = c->left;
	if (len > c->step)
		len = c->step;
	memcpy(buf, c->data, len);
	c->data += len;
	c->left -= len;
	return (ssize_t)len;
}

DEFINE_TEST(test_source_lines_across_head_and_reader)
{
	static const char	 text[] = "alive: a 1.2.3.4:8301\r\nclock: 7\n"
	    "not-alive: a\nlast line without newline";
	struct qs_source	 src;
	struct chunks		 c;
	const char		*line;

	/* The first 10 bytes are the head; the rest comes 3 bytes a read. */
	c.data = text + 10;
	c.left = sizeof(text) - 1 - 10;
	c.step = 3;
	qs_source_init(&src, (const unsigned char *)text, 10, chunks_read, &c,
	    UINT64_MAX);
	CHECK_INT(qs_source_getline(&src, &line, 256), 21);
	CHECK_STR(line, "alive: a 1.2.3.4:8301");
	CHECK_INT(qs_source_getline(&src, &line, 256), 8);
	CHECK_STR(line, "clock: 7");
	CHECK_INT(qs_source_getline(&src, &line, 256), 12);
	CHECK_INT(qs_source_getline(&src, &line, 256), 25);
	CHECK_STR(line, "last line without newline");
	CHECK_INT(qs_source_getline(&src, &line, 256), -1);
	CHECK_INT(src.lineno, 4);
	qs_source_release(&src);
}

DEFINE_TEST(test_source_long_line_is_cut)
{
	static const char	 text[] = "0123456789abcdef\nnext\n";
	struct qs_source	 src;
	const char		*line;

	qs_source_init_mem(&src, (const unsigned char *)text, sizeof(text) - 1);
	CHECK_INT(qs_source_getline(&src, &line, 4), 4);
	CHECK_STR(line, "0123");
	CHECK_INT(qs_source_getline(&src, &line, 4), 4);
	CHECK_STR(line, "next");
	CHECK_INT(qs_source_getline(&src, &line, 4), -1);
	qs_source_release(&src);
}

DEFINE_TEST(test_source_limit_marks_truncation)
{
	static const char	 text[] = "abcdefghij";
	struct qs_source	 src;
	struct chunks		 c = { text + 2, 8, 4 };
	char			 buf[32];

	qs_source_init(&src, (const unsigned char *)text, 2, chunks_read, &c,
	    6);
	CHECK_INT(qs_source_drain(&src), 6);
	CHECK_INT(src.truncated, 1);
	CHECK_INT(qs_source_read(&src, buf, sizeof(buf)), 0);
	qs_source_release(&src);

	/* Exactly at the limit with nothing more: not truncated. */
	c.data = text + 2;
	c.left = 4;
	qs_source_init(&src, (const unsigned char *)text, 2, chunks_read, &c,
	    6);
	CHECK_INT(qs_source_drain(&src), 6);
	CHECK_INT(src.truncated, 0);
	qs_source_release(&src);
}

static int
dir_entries(const char *path)
{
	DIR		*d = opendir(path);
	struct dirent	*e;
	int		 n = 0;

	if (d == NULL)
		return -1;
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

DEFINE_TEST(test_source_map_in_memory_and_spooled)
{
	struct qs_source	 src;
	struct chunks		 c;
	char			*big, tmpl[] = "/tmp/qs-test-XXXXXX", *dir;
	const unsigned char	*data;
	size_t			 len, i, n = 300 * 1024;
	char			*old_tmpdir;

	big = qs_xmalloc(n);
	for (i = 0; i < n; i++)
		big[i] = (char)(i * 7 + i / 251);

	/* Small enough: held in memory. */
	c.data = big + 100;
	c.left = n - 100;
	c.step = 5000;
	qs_source_init(&src, (const unsigned char *)big, 100, chunks_read, &c,
	    UINT64_MAX);
	CHECK_INT(qs_source_map(&src, n, &data, &len), 0);
	CHECK_INT(len, n);
	CHECK(memcmp(data, big, n) == 0);
	CHECK_INT(src.map_is_mmap, 0);
	qs_source_release(&src);

	/* Over the memory limit: spooled to an unlinked file in TMPDIR. */
	dir = mkdtemp(tmpl);
	CHECK(dir != NULL);
	old_tmpdir = getenv("TMPDIR") != NULL ?
	    qs_xstrdup(getenv("TMPDIR")) : NULL;
	setenv("TMPDIR", dir, 1);
	c.data = big + 100;
	c.left = n - 100;
	qs_source_init(&src, (const unsigned char *)big, 100, chunks_read, &c,
	    UINT64_MAX);
	CHECK_INT(qs_source_map(&src, 64 * 1024, &data, &len), 0);
	CHECK_INT(len, n);
	CHECK(memcmp(data, big, n) == 0);
	CHECK_INT(src.map_is_mmap, 1);
	/* Nothing visible on disk while mapped, nor after. */
	CHECK_INT(dir_entries(dir), 0);
	qs_source_release(&src);
	CHECK_INT(dir_entries(dir), 0);
	rmdir(dir);
	if (old_tmpdir != NULL) {
		setenv("TMPDIR", old_tmpdir, 1);
		free(old_tmpdir);
	} else
		unsetenv("TMPDIR");
	free(big);
}

DEFINE_TEST(test_source_map_empty)
{
	struct qs_source	 src;
	const unsigned char	*data = NULL;
	size_t			 len = 99;

	qs_source_init_mem(&src, (const unsigned char *)"", 0);
	CHECK_INT(qs_source_map(&src, 1024, &data, &len), 0);
	CHECK_INT(len, 0);
	CHECK(data != NULL);
	qs_source_release(&src);
}
