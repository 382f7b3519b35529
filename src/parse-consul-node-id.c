/*
 * <data_dir>/node-id of a Consul agent (formats.md 3.1): the agent's node
 * ID, a UUID in text, written once when the agent first starts (or taken
 * from the node_id option).  Under raft protocol 3 it is also the server's
 * raft ID, so it ties peers.json, raft configurations and logs together.
 *
 * Upstream: hashicorp/consul agent/agent.go (setupNodeID: read the file,
 * trim blanks, lowercase, parse as a UUID).
 *
 * Extracted: one node-ID identity for the node the file belongs to, in
 * lowercase as Consul uses it.  Anything but one UUID and blanks is an
 * error, and the artifact fails, as the agent refuses to start on it.
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "quorumscope.h"

/* A node-id is 36 characters and blanks; more than this cannot be one. */
#define NODE_ID_READ	(64 * 1024)

static int	node_id_is_uuid(const char *, size_t);

/* 8-4-4-4-12 hexadecimal digits. */
static int
node_id_is_uuid(const char *s, size_t len)
{
	size_t	i;

	if (len != 36)
		return 0;
	for (i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return 0;
		} else if (!isxdigit((unsigned char)s[i]))
			return 0;
	}
	return 1;
}

int
qs_parse_consul_node_id(struct qs_parse_ctx *ctx)
{
	char			*buf, id[37];
	size_t			 len = 0, s, e, i;
	uint64_t		 line = 1;
	ssize_t			 r;
	struct qs_evidence	 ev;

	/* One byte more than allowed tells an over-long file. */
	buf = qs_xmalloc(NODE_ID_READ + 1);
	while (len < NODE_ID_READ + 1) {
		r = qs_source_read(ctx->src, buf + len, NODE_ID_READ + 1 - len);
		if (r <= 0)
			break;
		len += (size_t)r;
	}
	if (ctx->src->error) {
		free(buf);
		qs_parse_diag(ctx, QS_SEV_ERROR, 0, "node-id: the entry could "
		    "not be read");
		ctx->artifact->status = QS_STATUS_FAILED;
		return -1;
	}
	for (s = 0; s < len && isspace((unsigned char)buf[s]); s++)
		;
	for (e = len; e > s && isspace((unsigned char)buf[e - 1]); e--)
		;
	if (len > NODE_ID_READ || !node_id_is_uuid(buf + s, e - s)) {
		free(buf);
		qs_parse_diag(ctx, QS_SEV_ERROR, 1, "node-id: not a UUID "
		    "(Consul refuses to start with it)");
		ctx->artifact->status = QS_STATUS_FAILED;
		return -1;
	}
	for (i = 0; i < 36; i++)
		id[i] = (char)tolower((unsigned char)buf[s + i]);
	id[36] = '\0';
	for (i = 0; i < s; i++)
		if (buf[i] == '\n')
			line++;
	free(buf);
	ev = qs_evidence_line(ctx, line, id);
	qs_emit_identity(ctx, QS_ID_NODE_ID, id, NULL, NULL, &ev);
	return 0;
}
