/*
 * A progress line for large inputs when stderr is a terminal: the engineer
 * staring at a 20 GB bundle wants to know it is moving.  Silent otherwise,
 * and with -q.  Redrawn at most every quarter second.
 */
#include "config.h"

#include <stdio.h>
#include <time.h>

#include "quorumscope.h"

#define PROGRESS_MIN_TOTAL	(64ULL * 1024 * 1024)

static int	progress_shown;
static struct timespec progress_last;

void
qs_progress_update(struct qs_run *run, const char *name, uint64_t done,
    uint64_t total)
{
	struct timespec	now;
	char		a[32], b[32];
	long		ms;

	if (!run->progress || run->quiet || total < PROGRESS_MIN_TOTAL)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (now.tv_sec - progress_last.tv_sec) * 1000 +
	    (now.tv_nsec - progress_last.tv_nsec) / 1000000;
	if (progress_shown && ms < 250)
		return;
	progress_last = now;
	fputs("\rquorumscope: reading ", stderr);
	qs_fputs_escaped(name, stderr);
	fprintf(stderr, ": %s of %s (%d%%)\033[K",
	    qs_format_size(done, a, sizeof(a)),
	    qs_format_size(total, b, sizeof(b)),
	    (int)(done * 100 / total));
	progress_shown = 1;
}

void
qs_progress_done(struct qs_run *run)
{
	if (!progress_shown)
		return;
	fputs("\r\033[K", stderr);
	progress_shown = 0;
}
