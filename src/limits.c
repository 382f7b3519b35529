/*
 * The limits table: every size, count and depth that a bundle controls has
 * a name, a default and a one-line reason here (file's MAGIC_PARAM_* idea,
 * tmux's options table shape).  The command line sets them by name
 * (--max-entry-size 1G); the man page lists the same names.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quorumscope.h"

#define KiB	((uint64_t)1024)
#define MiB	(KiB * 1024)
#define GiB	(MiB * 1024)
#define TiB	(GiB * 1024)

const struct qs_limit_def qs_limit_defs[QS_LIMIT_COUNT] = {
	[QS_LIMIT_ENTRY_BYTES] = {
		.name = "max-entry-size",
		.def = 64 * GiB,
		.is_size = 1,
		.help = "bytes read from one entry; the rest is skipped",
	},
	[QS_LIMIT_INPUT_BYTES] = {
		.name = "max-input-size",
		.def = 1 * TiB,
		.is_size = 1,
		.help = "decompressed bytes read from one input "
		    "(decompression bombs)",
	},
	[QS_LIMIT_ENTRIES] = {
		.name = "max-entries",
		.def = 10000000,
		.is_size = 0,
		.help = "entries read from one input",
	},
	[QS_LIMIT_DEPTH] = {
		.name = "max-depth",
		.def = 4,
		.is_size = 0,
		.help = "archives nested inside archives",
	},
	[QS_LIMIT_MEMORY_ENTRY] = {
		.name = "max-memory-entry",
		.def = 64 * MiB,
		.is_size = 1,
		.help = "largest entry a parser holds in memory; larger ones "
		    "are spooled to an unlinked temporary file",
	},
	[QS_LIMIT_SPOOL] = {
		.name = "max-spool-size",
		/* Real raft.db and etcd db files run to a few GiB. */
		.def = 8 * GiB,
		.is_size = 1,
		.help = "largest entry spooled to the temporary directory for "
		    "random access; larger ones, or more than the free space "
		    "there, are skipped",
	},
};

void
qs_limits_init(struct qs_limits *l)
{
	size_t	i;

	for (i = 0; i < QS_LIMIT_COUNT; i++)
		l->v[i] = qs_limit_defs[i].def;
}

/*
 * Parse a count, or with allow_suffix a size with an optional K, M, G or T
 * suffix (binary units, an optional trailing B or iB).  Returns 0 or -1.
 */
int
qs_parse_size(const char *s, int allow_suffix, uint64_t *out)
{
	char			*end;
	unsigned long long	 n;
	uint64_t		 mult = 1;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	n = strtoull(s, &end, 10);
	if (errno != 0)
		return -1;
	if (*end != '\0') {
		if (!allow_suffix)
			return -1;
		switch (*end) {
		case 'k': case 'K': mult = KiB; break;
		case 'm': case 'M': mult = MiB; break;
		case 'g': case 'G': mult = GiB; break;
		case 't': case 'T': mult = TiB; break;
		case 'b': case 'B': mult = 1; end--; break;
		default: return -1;
		}
		end++;
		if (strcmp(end, "") != 0 && strcmp(end, "B") != 0 &&
		    strcmp(end, "iB") != 0)
			return -1;
	}
	if (n > UINT64_MAX / mult)
		return -1;
	*out = (uint64_t)n * mult;
	return 0;
}

int
qs_limits_set(struct qs_limits *l, const char *name, const char *value)
{
	size_t		i;
	uint64_t	v;

	for (i = 0; i < QS_LIMIT_COUNT; i++) {
		if (strcmp(qs_limit_defs[i].name, name) != 0)
			continue;
		if (qs_parse_size(value, qs_limit_defs[i].is_size, &v) != 0)
			return -1;
		l->v[i] = v;
		return 0;
	}
	return -1;
}

/* Human size: exact bytes below 1 KiB, one decimal above. */
const char *
qs_format_size(uint64_t n, char *buf, size_t len)
{
	static const char	*units[] = { "KiB", "MiB", "GiB", "TiB" };
	double			 d = (double)n;
	size_t			 u = 0;

	if (n < KiB) {
		snprintf(buf, len, "%llu B", (unsigned long long)n);
		return buf;
	}
	d /= 1024;
	while (d >= 1024 && u < 3) {
		d /= 1024;
		u++;
	}
	snprintf(buf, len, "%.1f %s", d, units[u]);
	return buf;
}
