/*
 * Consul's raft-wal log store (hashicorp/raft-wal, opt-in since Consul
 * 1.15 with raft_logstore.backend = "wal"): segment files under raft/wal/
 * named %020d-%016x.wal (base index, segment id), a 32-byte little-endian
 * header (u32 magic 0x58eb6b0d, 3 reserved bytes, u8 version, u64 base
 * index, u64 segment id, u64 codec) and CRC-32C-committed frames
 * (formats.md 2.7).
 *
 * This version recognises segments and reads their header, so that the
 * report can say which node's raft log is in this store and is not
 * decoded: the entries (membership changes, terms) are left for later.
 * Consul uses raft-wal only when raft.db is absent, so a node with
 * segments and no raft.db has its whole raft log here.
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "quorumscope.h"

#define RAFT_WAL_HEADER	32

static uint64_t
raft_wal_le64(const unsigned char *p)
{
	uint64_t	v = 0;
	int		i;

	for (i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

int
qs_parse_consul_raft_wal(struct qs_parse_ctx *ctx)
{
	unsigned char		h[RAFT_WAL_HEADER];
	size_t			n = 0;
	ssize_t			r;
	struct qs_evidence	ev;
	char			buf[32];

	while (n < sizeof(h)) {
		r = qs_source_read(ctx->src, h + n, sizeof(h) - n);
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	if (n < sizeof(h)) {
		qs_parse_diag(ctx, QS_SEV_ERROR, 0, "raft-wal segment header "
		    "truncated at %zu of %d bytes", n, RAFT_WAL_HEADER);
		ctx->artifact->status = QS_STATUS_FAILED;
		return -1;
	}
	ev = qs_evidence_offset(ctx, 0, NULL);
	snprintf(buf, sizeof(buf), "%" PRIu64, raft_wal_le64(h + 8));
	qs_emit_setting(ctx, "raft.wal.base_index", buf, &ev);
	snprintf(buf, sizeof(buf), "%" PRIu64, raft_wal_le64(h + 16));
	qs_emit_setting(ctx, "raft.wal.segment_id", buf, &ev);
	qs_diag_add(ctx->run, QS_SEV_INFO, ctx->artifact->input,
	    ctx->artifact->member, "raft-wal segment (version %u, base index "
	    "%" PRIu64 "): its entries are not decoded by this version", h[7],
	    raft_wal_le64(h + 8));
	ctx->artifact->status = QS_STATUS_UNSUPPORTED;
	ctx->artifact->message = "raft-wal entries are not decoded";
	return 0;
}
