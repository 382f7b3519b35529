/*
 * libFuzzer target for one artifact parser, chosen at build time with
 * -DQS_FUZZ_KIND="consul.log" (one binary per kind, The Sleuth Kit's
 * FSTYPE trick): the bytes are handed to the parser exactly as the bundle
 * reader would hand an entry of that kind.  Demands only that nothing
 * crashes, hangs, leaks or trips a sanitizer.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "quorumscope.h"

#ifndef QS_FUZZ_KIND
#error "build with -DQS_FUZZ_KIND=\"<kind>\""
#endif

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	const struct qs_kind	*kind = qs_kind_find(QS_FUZZ_KIND);
	struct qs_run		*run;
	struct qs_input		*in;
	struct qs_artifact	*art;
	struct qs_source	 src;
	struct qs_parse_ctx	 ctx;

	if (kind == NULL || kind->parse == NULL)
		abort();	/* a build mistake, not an input problem */
	run = qs_run_new();
	run->echo_diags = 0;
	in = qs_run_add_input(run, "fuzz.tar");
	art = qs_arena_alloc(&run->arena, sizeof(*art));
	art->input = in;
	art->member = art->logical = "node1/fuzz";
	art->kind = kind;
	art->status = QS_STATUS_PARSED;
	qs_vec_push(&run->artifacts, art);
	qs_source_init_mem(&src, data, len);
	src.limit = 16 * 1024 * 1024;
	ctx.run = run;
	ctx.artifact = art;
	ctx.src = &src;
	ctx.speaker = NULL;
	kind->parse(&ctx);
	qs_source_release(&src);
	qs_nodes_resolve(run);
	qs_run_free(run);
	return 0;
}
