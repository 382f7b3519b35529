/*
 * bench/bolt.sh's C side: walks every key of a raft.db's logs bucket
 * with quorumscope's BoltDB reader (src/bolt.c) over an mmap of the file
 * and prints the same count and checksum as bench/bolt/iter.go.
 */
#include "config.h"

#include <sys/mman.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "quorumscope.h"

struct iter_sum {
	uint64_t	n, bytes, sum;
};

static int
iter_each(void *arg, const unsigned char *k, size_t kl,
    const unsigned char *v, size_t vl, uint32_t flags)
{
	struct iter_sum	*s = arg;

	s->n++;
	s->bytes += kl + vl;
	s->sum += k[kl - 1];
	if (vl > 0)
		s->sum += v[vl - 1];
	(void)flags;
	return 0;
}

int
main(int argc, char **argv)
{
	struct qs_bolt		 db;
	struct qs_bolt_bucket	 b;
	struct iter_sum		 s = { 0, 0, 0 };
	struct stat		 st;
	void			*m;
	int			 fd;

	if (argc != 2 || (fd = open(argv[1], O_RDONLY)) < 0 ||
	    fstat(fd, &st) != 0)
		return 2;
	m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, fd, 0);
	if (m == MAP_FAILED)
		return 2;
	if (qs_bolt_open(&db, m, (size_t)st.st_size, NULL, NULL) != 0 ||
	    qs_bolt_path(&db, &b, "logs", NULL) != 0)
		return 1;
	qs_bolt_foreach(&db, &b, iter_each, &s);
	printf("keys %llu bytes %llu sum %llu\n", (unsigned long long)s.n,
	    (unsigned long long)s.bytes, (unsigned long long)s.sum);
	return 0;
}
