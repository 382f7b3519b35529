/* parse-consul-raft-wal.c: raft-wal segments recognised, header read. */
#include "config.h"

#include <stdlib.h>

#include "test.h"

/* A segment header: magic, version 0, base index 17, segment id 3. */
static const char segment[32] = {
	0x0d, 0x6b, (char)0xeb, 0x58, 0, 0, 0, 0,
	17, 0, 0, 0, 0, 0, 0, 0,
	3, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0
};

DEFINE_TEST(test_parse_consul_raft_wal_header)
{
	struct qs_run	*run;

	run = qs_test_parse("consul.raft_wal", "n1/consul/data/raft/wal/"
	    "00000000000000000017-0000000000000003.wal", segment,
	    sizeof(segment));
	CHECK_STR(qs_test_setting(run, "raft.wal.base_index"), "17");
	CHECK_STR(qs_test_setting(run, "raft.wal.segment_id"), "3");
	CHECK_INT(qs_test_status(run), QS_STATUS_UNSUPPORTED);
	CHECK(qs_test_has_diag(run, "entries are not decoded"));
	qs_run_free(run);

	/* Cut inside the header: the artifact failed, said so. */
	run = qs_test_parse("consul.raft_wal", "n1/raft/wal/x.wal", segment, 20);
	CHECK_INT(qs_test_status(run), QS_STATUS_FAILED);
	CHECK(qs_test_has_diag(run, "header truncated at 20 of 32 bytes"));
	qs_run_free(run);
}

DEFINE_TEST(test_identify_raft_wal_not_etcd)
{
	struct qs_head	h;
	struct qs_bid	id;

	memset(&h, 0, sizeof(h));
	h.logical = "n1/consul/data/raft/wal/00000000000000000017-"
	    "0000000000000003.wal";
	h.base = strrchr(h.logical, '/') + 1;
	h.data = (const unsigned char *)segment;
	h.len = sizeof(segment);
	qs_identify(&h, &id, NULL);
	CHECK(id.kind != NULL && strcmp(id.kind->name, "consul.raft_wal") == 0);
}
