/*
 * ZooKeeper's small number files (kinds zk.myid and zk.epoch).
 *
 * myid: dataDir/myid, the server id as decimal text on its first line.
 * Upstream: apache/zookeeper QuorumPeerConfig.java (setupMyId) reads it
 * with readLine and Long.parseLong: no trimming, so "1 " stops the server.
 * Written by hand or by deployment tools (Triton's binder writes ZK_ID).
 *
 * currentEpoch / acceptedEpoch: dataDir/version-2, decimal text without a
 * trailing newline, written through a ".tmp" file and renamed
 * (QuorumPeer.java writeLongToFile/readLongFromFile, AtomicFileOutputStream);
 * a leftover currentEpoch.tmp means a write was interrupted, and ZooKeeper
 * uses it to finish an epoch change on start.  acceptedEpoch >=
 * currentEpoch always (formats.md 6.6).  A standalone server writes
 * neither.
 *
 * Extracted: myid -> a QS_ID_MYID identity of the node itself (value in
 * canonical decimal, so "01" names server.1).  An epoch file -> setting
 * "zk.currentEpoch" or "zk.acceptedEpoch" (".tmp" files as
 * "zk.currentEpoch.tmp", "zk.acceptedEpoch.tmp") and a TERM_CHANGE event
 * with the epoch as its term and no time (the files carry none).
 *
 * Only the first line is read.  Whitespace ZooKeeper would refuse is
 * accepted with a warning; anything that is not a number fails the file
 * (status failed, one error diagnostic).
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "quorumscope.h"

#define ZK_ID_LINE_MAX	64

static int	zk_id_number(struct qs_parse_ctx *, const char *, uint64_t *,
		    const char **);

/*
 * The first line as a non-negative decimal long.  OUT: *v, *line (the
 * line as read, for evidence).  Returns 0, or -1 after a diagnostic.
 */
static int
zk_id_number(struct qs_parse_ctx *ctx, const char *what, uint64_t *v,
    const char **line)
{
	const char	*s, *p;
	ssize_t		 len;
	size_t		 n, i;
	int		 spaces = 0;

	if ((len = qs_source_getline(ctx->src, line, ZK_ID_LINE_MAX)) < 0) {
		qs_parse_diag(ctx, QS_SEV_ERROR, 0, "empty %s file", what);
		return -1;
	}
	s = *line;
	n = (size_t)len;
	while (n > 0 && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
		spaces = 1;
	}
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t')) {
		n--;
		spaces = 1;
	}
	if (n == 0 || n > 19) {
		qs_parse_diag(ctx, QS_SEV_ERROR, 1, "%s is not a number: "
		    "\"%.*s\"", what, (int)len, *line);
		return -1;
	}
	*v = 0;
	for (i = 0, p = s; i < n; i++, p++) {
		if (*p < '0' || *p > '9') {
			qs_parse_diag(ctx, QS_SEV_ERROR, 1, "%s is not a "
			    "number: \"%.*s\"", what, (int)len, *line);
			return -1;
		}
		*v = *v * 10 + (uint64_t)(*p - '0');
	}
	if (*v > INT64_MAX) {
		qs_parse_diag(ctx, QS_SEV_ERROR, 1, "%s does not fit a Java "
		    "long: %.*s", what, (int)n, s);
		return -1;
	}
	if (spaces)
		qs_parse_diag(ctx, QS_SEV_WARNING, 1, "%s has spaces around "
		    "the number; ZooKeeper would refuse it", what);
	return 0;
}

int
qs_parse_zk_myid(struct qs_parse_ctx *ctx)
{
	struct qs_evidence	 ev;
	const char		*line;
	uint64_t		 v;

	if (zk_id_number(ctx, "myid", &v, &line) != 0) {
		ctx->artifact->status = QS_STATUS_FAILED;
		return -1;
	}
	ev = qs_evidence_line(ctx, 1, line);
	qs_emit_identity(ctx, QS_ID_MYID, qs_arena_printf(&ctx->run->arena,
	    "%llu", (unsigned long long)v), NULL, NULL, &ev);
	return 0;
}

int
qs_parse_zk_epoch(struct qs_parse_ctx *ctx)
{
	static const char *const names[] = {
		"currentEpoch", "acceptedEpoch", "currentEpoch.tmp",
		"acceptedEpoch.tmp", NULL
	};
	struct qs_evidence	 ev;
	struct qs_event		*e;
	const char		*base, *line, *name = NULL;
	uint64_t		 v;
	size_t			 i;

	base = strrchr(ctx->artifact->logical, '/');
	base = base != NULL ? base + 1 : ctx->artifact->logical;
	for (i = 0; names[i] != NULL; i++)
		if (strcmp(base, names[i]) == 0)
			name = names[i];
	if (name == NULL) {
		qs_parse_diag(ctx, QS_SEV_WARNING, 0, "an epoch file named "
		    "neither currentEpoch nor acceptedEpoch; kept as "
		    "\"epoch\"");
		name = "epoch";
	}
	if (zk_id_number(ctx, name, &v, &line) != 0) {
		ctx->artifact->status = QS_STATUS_FAILED;
		return -1;
	}
	ev = qs_evidence_line(ctx, 1, line);
	qs_emit_setting(ctx, qs_arena_printf(&ctx->run->arena, "zk.%s", name),
	    qs_arena_printf(&ctx->run->arena, "%llu", (unsigned long long)v),
	    &ev);
	e = qs_emit_event(ctx, QS_EV_TERM_CHANGE, NULL, &ev);
	e->clock.set = QS_CLOCK_TERM;
	e->clock.term = v;
	e->detail = qs_arena_printf(&ctx->run->arena, "%s %llu%s",
	    strncmp(name, "current", 7) == 0 ? "currentEpoch" :
	    strncmp(name, "accepted", 8) == 0 ? "acceptedEpoch" : "epoch",
	    (unsigned long long)v, strstr(name, ".tmp") != NULL ?
	    " (unfinished write: .tmp file)" : "");
	return 0;
}
