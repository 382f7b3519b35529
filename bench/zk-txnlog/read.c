/*
 * bench/zk-txnlog.sh's C side: runs quorumscope's ZooKeeper transaction
 * log parser (kind zk.txnlog, src/parse-zk-txnlog.c) over one log file
 * read with read(2), the way the bundle reader feeds a parser, and prints
 * what it recorded, for the script to compare with TxnLogToolkit:
 *
 *	txns N last_zxid 0x... first_zxid 0x... status parsed
 *
 * Usage: read LOGFILE.  Exit 0 when the parser read the log, 1 when it
 * failed or reported damage, 2 on a usage or open error.
 */
#include "config.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "quorumscope.h"

static ssize_t
read_fd(void *arg, void *buf, size_t len)
{
	return read(*(int *)arg, buf, len);
}

static const char *
read_setting(const struct qs_run *run, const char *key)
{
	const char	*found = "-";
	size_t		 i;

	for (i = 0; i < run->settings.n; i++) {
		const struct qs_setting	*s = run->settings.v[i];

		if (strcmp(s->key, key) == 0)
			found = s->value;
	}
	return found;
}

int
main(int argc, char **argv)
{
	const struct qs_kind	*kind = qs_kind_find("zk.txnlog");
	struct qs_run		*run;
	struct qs_artifact	*art;
	struct qs_source	 src;
	struct qs_parse_ctx	 ctx;
	int			 fd, r, bad;

	if (argc != 2 || kind == NULL || (fd = open(argv[1], O_RDONLY)) < 0)
		return 2;
	run = qs_run_new();
	run->echo_diags = 1;
	art = qs_arena_alloc(&run->arena, sizeof(*art));
	memset(art, 0, sizeof(*art));
	art->input = qs_run_add_input(run, argv[1]);
	art->input->opened = 1;
	art->member = art->logical = "version-2/log";
	art->kind = kind;
	art->status = QS_STATUS_PARSED;
	qs_vec_push(&run->artifacts, art);
	qs_source_init(&src, NULL, 0, read_fd, &fd, UINT64_MAX);
	ctx.run = run;
	ctx.artifact = art;
	ctx.src = &src;
	r = kind->parse(&ctx);
	qs_source_release(&src);
	close(fd);
	bad = r != 0 || strcmp(read_setting(run, "zk.txnlog.corrupt_offset"),
	    "-") != 0;
	printf("txns %s last_zxid %s first_zxid %s status %s\n",
	    read_setting(run, "zk.txnlog.txns"),
	    read_setting(run, "zk.txnlog.last_zxid"),
	    read_setting(run, "zk.txnlog.first_zxid"),
	    bad ? "damaged" : "parsed");
	qs_run_free(run);
	return bad;
}
