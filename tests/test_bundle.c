/*
 * bundle.c: archives read from memory, built here with libarchive's
 * writer so that every shape (nesting, hostile names, links, limits,
 * damage) is exact and needs no file on disk.
 */
#include "config.h"

#include <stdlib.h>

#include <archive.h>
#include <archive_entry.h>

#include "test.h"

#define TEST_ARCHIVE_MAX	(4 * 1024 * 1024)

unsigned char *
qs_test_archive(enum qs_test_archive kind, const struct qs_test_entry *e,
    size_t *len)
{
	struct archive		*a = archive_write_new();
	struct archive_entry	*ae;
	unsigned char		*buf = qs_xmalloc(TEST_ARCHIVE_MAX);
	size_t			 used = 0, n;

	switch (kind) {
	case QS_TEST_TAR:
		archive_write_set_format_pax_restricted(a);
		break;
	case QS_TEST_TAR_GZ:
		archive_write_set_format_pax_restricted(a);
		archive_write_add_filter_gzip(a);
		break;
	case QS_TEST_ZIP:
		archive_write_set_format_zip(a);
		break;
	case QS_TEST_GZ:
		archive_write_set_format_raw(a);
		archive_write_add_filter_gzip(a);
		break;
	}
	if (archive_write_open_memory(a, buf, TEST_ARCHIVE_MAX, &used) !=
	    ARCHIVE_OK)
		qs_fatal("test archive: %s", archive_error_string(a));
	for (; e->name != NULL; e++) {
		ae = archive_entry_new();
		archive_entry_set_pathname(ae, e->name);
		archive_entry_set_mtime(ae, 1700000000, 0);
		if (e->symlink != NULL) {
			archive_entry_set_filetype(ae, AE_IFLNK);
			archive_entry_set_symlink(ae, e->symlink);
			archive_entry_set_perm(ae, 0777);
		} else if (e->hardlink != NULL) {
			archive_entry_set_filetype(ae, AE_IFREG);
			archive_entry_set_hardlink(ae, e->hardlink);
			archive_entry_set_size(ae, 0);
		} else if (e->data == NULL) {
			archive_entry_set_filetype(ae, AE_IFDIR);
			archive_entry_set_perm(ae, 0755);
		} else {
			n = e->len != 0 ? e->len : strlen(e->data);
			archive_entry_set_filetype(ae, AE_IFREG);
			archive_entry_set_perm(ae, 0644);
			archive_entry_set_size(ae, (la_int64_t)n);
		}
		if (archive_write_header(a, ae) != ARCHIVE_OK)
			qs_fatal("test archive: %s", archive_error_string(a));
		if (e->data != NULL && e->symlink == NULL &&
		    e->hardlink == NULL) {
			n = e->len != 0 ? e->len : strlen(e->data);
			if (archive_write_data(a, e->data, n) != (la_ssize_t)n)
				qs_fatal("test archive: %s",
				    archive_error_string(a));
		}
		archive_entry_free(ae);
	}
	archive_write_close(a);
	archive_write_free(a);
	*len = used;
	return buf;
}

struct qs_run *
qs_test_read(const char *name, const unsigned char *data, size_t len)
{
	struct qs_run	*run = qs_run_new();

	run->echo_diags = 0;
	qs_bundle_read_memory(run, name, data, len);
	qs_nodes_resolve(run);
	return run;
}

struct qs_run *
qs_test_parse(const char *kind_name, const char *logical, const char *data,
    size_t len)
{
	const struct qs_kind	*kind = qs_kind_find(kind_name);
	struct qs_run		*run = qs_run_new();
	struct qs_artifact	*art;
	struct qs_source	 src;
	struct qs_parse_ctx	 ctx;

	if (kind == NULL || kind->parse == NULL)
		qs_fatal("test: no parser for kind %s", kind_name);
	run->echo_diags = 0;
	art = qs_arena_alloc(&run->arena, sizeof(*art));
	art->input = qs_run_add_input(run, "test.tar");
	art->input->opened = 1;
	art->member = art->logical = qs_arena_strdup(&run->arena, logical);
	art->kind = kind;
	art->status = QS_STATUS_PARSED;
	qs_vec_push(&run->artifacts, art);
	qs_nodes_note_path(run, art->input, art->logical, 0);
	qs_source_init_mem(&src, (const unsigned char *)data,
	    len != 0 ? len : strlen(data));
	ctx.run = run;
	ctx.artifact = art;
	ctx.src = &src;
	ctx.speaker = NULL;
	if (kind->parse(&ctx) != 0 && art->status == QS_STATUS_PARSED)
		art->status = QS_STATUS_FAILED;
	qs_source_release(&src);
	qs_nodes_resolve(run);
	return run;
}

const char *
qs_test_setting(const struct qs_run *run, const char *key)
{
	const char	*found = NULL;
	size_t		 i;

	for (i = 0; i < run->settings.n; i++) {
		const struct qs_setting	*s = run->settings.v[i];

		if (strcmp(s->key, key) == 0)
			found = s->value;
	}
	return found;
}

const struct qs_member *
qs_test_member(const struct qs_view *v, size_t i)
{
	return i < v->members.n ? v->members.v[i] : NULL;
}

enum qs_status
qs_test_status(const struct qs_run *run)
{
	return ((const struct qs_artifact *)run->artifacts.v[0])->status;
}

/* The artifact whose member path ends with `tail`, or NULL. */
const struct qs_artifact *
qs_test_artifact(const struct qs_run *run, const char *tail)
{
	size_t	i, tl = strlen(tail);

	for (i = 0; i < run->artifacts.n; i++) {
		const struct qs_artifact	*art = run->artifacts.v[i];
		size_t				 ml = strlen(art->member);

		if (ml >= tl && strcmp(art->member + ml - tl, tail) == 0)
			return art;
	}
	return NULL;
}

int
qs_test_has_diag(const struct qs_run *run, const char *needle)
{
	size_t	i;

	for (i = 0; i < run->diags.n; i++) {
		const struct qs_diag	*d = run->diags.v[i];

		if (strstr(d->message, needle) != NULL)
			return 1;
	}
	return 0;
}

DEFINE_TEST(test_bundle_path_normalise)
{
	struct qs_arena	a = { NULL };
	int		esc;

	CHECK_STR(qs_path_normalise(&a, "node1/./raft//peers.json", &esc),
	    "node1/raft/peers.json");
	CHECK_INT(esc, 0);
	CHECK_STR(qs_path_normalise(&a, "/etc/shadow", &esc), "etc/shadow");
	CHECK_INT(esc, 1);
	CHECK_STR(qs_path_normalise(&a, "../../etc/passwd", &esc),
	    "etc/passwd");
	CHECK_INT(esc, 1);
	CHECK_STR(qs_path_normalise(&a, "node1/../../escape.txt", &esc),
	    "escape.txt");
	CHECK_INT(esc, 1);
	CHECK_STR(qs_path_normalise(&a, "a/b/../c", &esc), "a/c");
	CHECK_INT(esc, 0);
	CHECK_STR(qs_path_normalise(&a, "./", &esc), ".");
	qs_arena_free(&a);
}

DEFINE_TEST(test_bundle_path_stem)
{
	struct qs_arena	a = { NULL };

	CHECK_STR(qs_path_stem(&a, "x/node1.tar.gz"), "node1");
	CHECK_STR(qs_path_stem(&a, "node3.tgz"), "node3");
	CHECK_STR(qs_path_stem(&a, "logs.zip"), "logs");
	CHECK_STR(qs_path_stem(&a, "consul.log.1.gz"), "consul.log.1");
	CHECK_STR(qs_path_stem(&a, "collect/"), "collect");
	CHECK_STR(qs_path_stem(&a, "plain.cfg"), "plain.cfg");
	CHECK_STR(qs_path_stem(&a, ".tar.gz"), "-");
	qs_arena_free(&a);
}

static const struct qs_test_entry multi_node[] = {
	{ "collect/", NULL, 0, NULL, NULL },
	{ "collect/MANIFEST.txt", "collected by hand\n", 0, NULL, NULL },
	{ "collect/node1/zookeeper/zookeeper/myid", "1\n", 0, NULL, NULL },
	{ "collect/node1/opt/local/etc/zookeeper/zoo.cfg",
	    "tickTime=2000\ndataDir=/zookeeper/zookeeper\n"
	    "server.1=127.0.0.51:2888:3888\n", 0, NULL, NULL },
	{ "collect/node2/consul/data/raft/peers.json",
	    "[\"127.0.0.12:8300\",\"127.0.0.13:8300\"]\n", 0, NULL, NULL },
	{ "collect/node2/consul/data/node-id",
	    "0a1b2c3d-1111-2222-3333-444455556666", 0, NULL, NULL },
	{ "collect/node3/README", "nothing useful\n", 0, NULL, NULL },
	{ NULL, NULL, 0, NULL, NULL }
};

DEFINE_TEST(test_bundle_multi_node_tar_gz)
{
	unsigned char		*buf;
	size_t			 len;
	struct qs_run		*run;
	const struct qs_artifact *art;

	buf = qs_test_archive(QS_TEST_TAR_GZ, multi_node, &len);
	run = qs_test_read("bundle.tar.gz", buf, len);
	CHECK_INT(run->artifacts.n, 4);
	CHECK_INT(run->unrecognised, 2);	/* MANIFEST.txt, README */
	CHECK_INT(run->nodes.n, 3);		/* node1, node2, node3 */
	art = qs_test_artifact(run, "myid");
	CHECK(art != NULL);
	if (art != NULL) {
		CHECK_STR(art->kind->name, "zk.myid");
		CHECK_STR(art->node->name, "node1");
		CHECK_STR(art->member,
		    "collect/node1/zookeeper/zookeeper/myid");
		CHECK_INT(art->size, 2);
		CHECK_INT(art->status, QS_STATUS_PARSED);
	}
	art = qs_test_artifact(run, "peers.json");
	CHECK(art != NULL && strcmp(art->node->name, "node2") == 0);
	CHECK(art != NULL && strcmp(art->kind->name,
	    "consul.peers_json") == 0);
	art = qs_test_artifact(run, "node-id");
	CHECK(art != NULL && strcmp(art->kind->name, "consul.node_id") == 0);
	CHECK_INT(run->diags.n, 0);
	qs_run_free(run);
	free(buf);
}

DEFINE_TEST(test_bundle_zip_reads_like_tar)
{
	unsigned char	*buf;
	size_t		 len;
	struct qs_run	*run;

	buf = qs_test_archive(QS_TEST_ZIP, multi_node, &len);
	run = qs_test_read("bundle.zip", buf, len);
	CHECK_INT(run->artifacts.n, 4);
	CHECK_INT(run->nodes.n, 3);
	CHECK_INT(run->diags.n, 0);
	qs_run_free(run);
	free(buf);
}

DEFINE_TEST(test_bundle_nested_archives_and_gz_log)
{
	static const char	 log[] =
	    "2021-01-02T03:04:05.678Z [INFO]  agent.server.serf.lan: serf: "
	    "EventMemberJoin: node2 127.0.0.12\n"
	    "2021-01-02T03:04:06.000Z [INFO]  agent.server.raft: "
	    "entering follower state\n";
	struct qs_test_entry	 gz[] = {
		{ "data", log, 0, NULL, NULL }, { NULL, NULL, 0, NULL, NULL }
	};
	struct qs_test_entry	 n1[] = {
		{ "zookeeper/zookeeper/myid", "1\n", 0, NULL, NULL },
		{ NULL, NULL, 0, NULL, NULL }
	};
	struct qs_test_entry	 n3[] = {
		{ "node3/zookeeper/zookeeper/myid", "3\n", 0, NULL, NULL },
		{ NULL, NULL, 0, NULL, NULL }
	};
	struct qs_test_entry	 n2[3], outer[5];
	unsigned char		*g, *b1, *b2, *b3, *o;
	size_t			 gl, l1, l2, l3, ol;
	struct qs_run		*run;
	const struct qs_artifact *art;

	g = qs_test_archive(QS_TEST_GZ, gz, &gl);
	n2[0] = (struct qs_test_entry){ "var/log/consul/consul.log.1.gz",
	    (const char *)g, gl, NULL, NULL };
	n2[1] = (struct qs_test_entry){ "consul/data/node-id",
	    "0a1b2c3d-1111-2222-3333-444455556666", 0, NULL, NULL };
	n2[2] = (struct qs_test_entry){ NULL, NULL, 0, NULL, NULL };
	b1 = qs_test_archive(QS_TEST_TAR_GZ, n1, &l1);
	b2 = qs_test_archive(QS_TEST_ZIP, n2, &l2);
	b3 = qs_test_archive(QS_TEST_TAR_GZ, n3, &l3);
	outer[0] = (struct qs_test_entry){ "node1.tar.gz", (const char *)b1,
	    l1, NULL, NULL };
	outer[1] = (struct qs_test_entry){ "node2.zip", (const char *)b2, l2,
	    NULL, NULL };
	outer[2] = (struct qs_test_entry){ "node3.tgz", (const char *)b3, l3,
	    NULL, NULL };
	outer[3] = (struct qs_test_entry){ "MANIFEST.txt", "x\n", 0, NULL,
	    NULL };
	outer[4] = (struct qs_test_entry){ NULL, NULL, 0, NULL, NULL };
	o = qs_test_archive(QS_TEST_TAR, outer, &ol);
	run = qs_test_read("outer.tar", o, ol);

	CHECK_INT(run->nodes.n, 3);
	art = qs_test_artifact(run, "node3.tgz!node3/zookeeper/zookeeper/myid");
	CHECK(art != NULL && strcmp(art->node->name, "node3") == 0);
	if (art != NULL)	/* the wrapping node3/ collapses onto the stem */
		CHECK_STR(art->logical, "node3/zookeeper/zookeeper/myid");
	art = qs_test_artifact(run, "consul.log.1.gz");
	CHECK(art != NULL);
	if (art != NULL) {
		CHECK_STR(art->kind->name, "consul.log");
		CHECK_STR(art->node->name, "node2");
		CHECK_STR(art->logical,
		    "node2/var/log/consul/consul.log.1");
		CHECK_INT(art->size, sizeof(log) - 1);
	}
	art = qs_test_artifact(run, "node1.tar.gz!zookeeper/zookeeper/myid");
	CHECK(art != NULL && strcmp(art->node->name, "node1") == 0);
	CHECK_INT(run->diags.n, 0);
	qs_run_free(run);
	free(g);
	free(b1);
	free(b2);
	free(b3);
	free(o);
}

DEFINE_TEST(test_bundle_hostile_names_and_links)
{
	static const struct qs_test_entry e[] = {
		{ "../../etc/passwd", "root:x:0:0\n", 0, NULL, NULL },
		{ "/etc/shadow", "root:*:1\n", 0, NULL, NULL },
		{ "node1/zookeeper/zookeeper/myid", "1\n", 0, NULL, NULL },
		{ "node1/link", NULL, 0, "/etc/passwd", NULL },
		{ "node1/version-2", NULL, 0, "../../../..", NULL },
		{ "node1/inside", NULL, 0, "zookeeper/zookeeper/myid", NULL },
		{ "node1/hard", NULL, 0, NULL,
		    "node1/zookeeper/zookeeper/myid" },
		{ NULL, NULL, 0, NULL, NULL }
	};
	unsigned char		*buf;
	size_t			 len;
	struct qs_run		*run;
	const struct qs_artifact *art;

	buf = qs_test_archive(QS_TEST_TAR, e, &len);
	run = qs_test_read("hostile.tar", buf, len);
	CHECK(qs_test_has_diag(run, "read as \"etc/passwd\""));
	CHECK(qs_test_has_diag(run, "read as \"etc/shadow\""));
	CHECK(qs_test_has_diag(run,
	    "symbolic link to \"/etc/passwd\" points outside"));
	CHECK(qs_test_has_diag(run,
	    "symbolic link to \"../../../..\" points outside"));
	CHECK(!qs_test_has_diag(run,
	    "symbolic link to \"zookeeper/zookeeper/myid\""));
	art = qs_test_artifact(run, "node1/link");
	CHECK(art != NULL && art->type == QS_ENTRY_SYMLINK &&
	    art->status == QS_STATUS_LINK);
	art = qs_test_artifact(run, "node1/hard");
	CHECK(art != NULL && art->type == QS_ENTRY_HARDLINK);
	if (art != NULL)
		CHECK_STR(art->target, "node1/zookeeper/zookeeper/myid");
	qs_run_free(run);
	free(buf);
}

DEFINE_TEST(test_bundle_entry_and_input_limits)
{
	char			*zeros = qs_xcalloc(1, 300000);
	struct qs_test_entry	 e[] = {
		{ "node1/var/lib/etcd/member/wal/0000000000000000-"
		    "0000000000000000.wal", zeros, 300000, NULL, NULL },
		{ "node1/zookeeper/zookeeper/myid", "1\n", 0, NULL, NULL },
		{ NULL, NULL, 0, NULL, NULL }
	};
	unsigned char		*buf;
	size_t			 len;
	struct qs_run		*run;
	const struct qs_artifact *art;

	buf = qs_test_archive(QS_TEST_TAR_GZ, e, &len);

	/* Per entry: the rest is skipped, the next entry still read. */
	run = qs_run_new();
	run->echo_diags = 0;
	qs_limits_set(&run->limits, "max-entry-size", "100K");
	qs_bundle_read_memory(run, "big.tar.gz", buf, len);
	qs_nodes_resolve(run);
	CHECK(qs_test_has_diag(run, "over max-entry-size"));
	art = qs_test_artifact(run, ".wal");
	/* Cut by the limit: partial when a parser read it, else skipped. */
	CHECK(art != NULL && art->status == (art->kind->parse != NULL ?
	    QS_STATUS_PARTIAL : QS_STATUS_SKIPPED));
	CHECK(art != NULL && art->size == 300000);
	CHECK(qs_test_artifact(run, "myid") != NULL);
	qs_run_free(run);

	/* Per input: reading stops, what was read is kept. */
	run = qs_run_new();
	run->echo_diags = 0;
	qs_limits_set(&run->limits, "max-input-size", "200K");
	qs_bundle_read_memory(run, "big.tar.gz", buf, len);
	qs_nodes_resolve(run);
	CHECK(qs_test_has_diag(run, "exceeds max-input-size"));
	CHECK(qs_test_artifact(run, "myid") == NULL);
	CHECK_INT(((struct qs_input *)run->inputs.v[0])->stopped, 1);
	qs_run_free(run);

	/* Entry count. */
	run = qs_run_new();
	run->echo_diags = 0;
	qs_limits_set(&run->limits, "max-entries", "1");
	qs_bundle_read_memory(run, "big.tar.gz", buf, len);
	CHECK(qs_test_has_diag(run, "more than 1 entries"));
	CHECK_INT(((struct qs_input *)run->inputs.v[0])->entries, 1);
	qs_run_free(run);
	free(buf);
	free(zeros);
}

DEFINE_TEST(test_bundle_depth_limit)
{
	struct qs_test_entry	 e[2] = {
		{ "zookeeper/zookeeper/myid", "1\n", 0, NULL, NULL },
		{ NULL, NULL, 0, NULL, NULL }
	};
	unsigned char		*levels[7];
	size_t			 lens[7];
	struct qs_run		*run;
	int			 i;

	levels[0] = qs_test_archive(QS_TEST_TAR_GZ, e, &lens[0]);
	for (i = 1; i < 7; i++) {
		e[0].name = "inner.tar.gz";
		e[0].data = (const char *)levels[i - 1];
		e[0].len = lens[i - 1];
		levels[i] = qs_test_archive(QS_TEST_TAR, e, &lens[i]);
	}
	run = qs_test_read("deep.tar", levels[6], lens[6]);
	CHECK(qs_test_has_diag(run, "deeper than max-depth (4)"));
	CHECK(qs_test_artifact(run, "myid") == NULL);
	qs_run_free(run);
	run = qs_test_read("shallow.tar", levels[2], lens[2]);
	CHECK(!qs_test_has_diag(run, "max-depth"));
	CHECK(qs_test_artifact(run, "myid") != NULL);
	qs_run_free(run);
	for (i = 0; i < 7; i++)
		free(levels[i]);
}

DEFINE_TEST(test_bundle_truncated_keeps_what_was_read)
{
	unsigned char	*buf;
	size_t		 len;
	struct qs_run	*run;
	char		*filler = qs_xmalloc(200000);
	size_t		 i;
	uint64_t	 x;
	struct qs_test_entry e[] = {
		{ "node1/zookeeper/zookeeper/myid", "1\n", 0, NULL, NULL },
		{ "node1/filler.bin", NULL, 200000, NULL, NULL },
		{ "node1/zookeeper/zookeeper/version-2/acceptedEpoch", "2", 0,
		    NULL, NULL },
		{ NULL, NULL, 0, NULL, NULL }
	};

	/* Incompressible filler so that the cut falls inside it. */
	for (i = 0, x = 88172645463325252ULL; i < 200000; i++) {
		x ^= x << 13;	/* xorshift64 */
		x ^= x >> 7;
		x ^= x << 17;
		filler[i] = (char)(x >> 32);
	}
	e[1].data = filler;
	buf = qs_test_archive(QS_TEST_TAR_GZ, e, &len);
	run = qs_test_read("cut.tar.gz", buf, len / 2);
	CHECK(qs_test_artifact(run, "myid") != NULL);
	CHECK(qs_test_artifact(run, "acceptedEpoch") == NULL);
	CHECK(run->diags.n >= 1);
	qs_run_free(run);
	free(buf);
	free(filler);
}

DEFINE_TEST(test_bundle_content_beats_name)
{
	static const struct qs_test_entry e[] = {
		{ "node1/consul/data/raft/raft.db", "this is not a database\n",
		    0, NULL, NULL },
		{ "node1/zookeeper/zookeeper/myid", "1\n", 0, NULL, NULL },
		{ NULL, NULL, 0, NULL, NULL }
	};
	unsigned char	*buf;
	size_t		 len;
	struct qs_run	*run;

	buf = qs_test_archive(QS_TEST_TAR, e, &len);
	run = qs_test_read("x.tar", buf, len);
	CHECK(qs_test_artifact(run, "raft.db") == NULL);
	CHECK(qs_test_has_diag(run, "named like consul.raft_db but its "
	    "content is not"));
	CHECK_INT(run->unrecognised, 1);
	qs_run_free(run);
	free(buf);
}

DEFINE_TEST(test_bundle_garbage_is_a_loose_file)
{
	static const unsigned char junk[] = { 0x1f, 0x8b, 0x08, 0, 1, 2, 3 };
	struct qs_run	*run;

	/* gzip magic, then nothing sensible: a diagnostic, no crash. */
	run = qs_test_read("junk.tar.gz", junk, sizeof(junk));
	CHECK(run->diags.n >= 1);
	CHECK_INT(run->artifacts.n, 0);
	qs_run_free(run);
}
