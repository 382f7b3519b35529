/*
 * libFuzzer target for the bundle reader: any bytes, read as an input
 * file would be (archive detection, nesting, recognition, node
 * attribution), then the inventory JSON built from the result.  Demands
 * only that nothing crashes, leaks or trips a sanitizer.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include <cjson/cJSON.h>

#include "quorumscope.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct qs_run	*run = qs_run_new();
	cJSON		*json;

	run->echo_diags = 0;
	/* Small limits keep every run fast whatever the input claims. */
	qs_limits_set(&run->limits, "max-entry-size", "4M");
	qs_limits_set(&run->limits, "max-input-size", "16M");
	qs_limits_set(&run->limits, "max-entries", "1000");
	qs_bundle_read_memory(run, "fuzz.tar.gz", data, len);
	qs_nodes_resolve(run);
	json = qs_json_header(run);
	cJSON_AddItemToObject(json, "diagnostics", qs_json_diagnostics(run));
	cJSON_Delete(json);
	qs_run_free(run);
	return 0;
}
