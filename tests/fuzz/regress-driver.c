/*
 * Replays fuzz inputs (seed corpus and past crashes) through a target
 * without libFuzzer, so every `make check` runs them, under the
 * sanitizers when configured with --enable-sanitizers.  Prints TAP.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "quorumscope.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
main(int argc, char **argv)
{
	int	 i;
	FILE	*f;
	long	 n;
	uint8_t	*buf;

	printf("1..%d\n", argc - 1);
	for (i = 1; i < argc; i++) {
		if ((f = fopen(argv[i], "rb")) == NULL) {
			printf("not ok %d - %s (cannot open)\n", i, argv[i]);
			continue;
		}
		fseek(f, 0, SEEK_END);
		n = ftell(f);
		fseek(f, 0, SEEK_SET);
		buf = qs_xmalloc((size_t)n + 1);
		if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
			printf("not ok %d - %s (short read)\n", i, argv[i]);
			fclose(f);
			free(buf);
			continue;
		}
		fclose(f);
		LLVMFuzzerTestOneInput(buf, (size_t)n);
		free(buf);
		printf("ok %d - %s\n", i, argv[i]);
		fflush(stdout);
	}
	qs_magic_close();
	return 0;
}
