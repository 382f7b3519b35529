/*
 * bench/etcd-wal.sh's C side: reads a directory holding an etcd member's
 * WAL the way `quorumscope inventory` does (qs_bundle_read: the walk,
 * kind recognition, and the etcd.wal parser over each segment with
 * read(2)), then prints from what the parser recorded the same summary
 * as bench/etcd-wal/read.go: metadata, entry count, ConfChange count,
 * last entry and the last HardState (ids in hex as etcd prints them).
 *
 * The parser reads each segment alone, so the entry count is the sum of
 * each segment's last_index - first_index + 1; that equals the number of
 * entry records because the segments must follow on one another (checked
 * here) and the parser warns about gaps and overwrites inside a segment
 * (any warning fails the run).  ConfChange entries are the member add and
 * remove events the parser emits.
 *
 *	read-c DIR
 */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "quorumscope.h"

static int
wal_artifact(const struct qs_artifact *art)
{
	return art != NULL && art->kind != NULL &&
	    strcmp(art->kind->name, "etcd.wal") == 0;
}

static uint64_t
u64(const char *s)
{
	return s != NULL ? strtoull(s, NULL, 10) : 0;
}

int
main(int argc, char **argv)
{
	struct qs_run			*run;
	const struct qs_artifact	*cur = NULL;
	const char			*node = NULL, *cluster = NULL;
	const char			*vote = NULL;
	uint64_t			 first = 0, last = 0, term = 0;
	uint64_t			 entries = 0, conf = 0, prev_last = 0;
	uint64_t			 hs_term = 0, hs_commit = 0;
	size_t				 i, segs = 0;
	int				 bad = 0, have = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: read-c DIR\n");
		return 2;
	}
	run = qs_run_new();
	run->quiet = 1;
	run->echo_diags = 0;
	if (qs_bundle_read(run, argv[1]) != 0)
		return 2;
	qs_nodes_resolve(run);
	for (i = 0; i < run->diags.n; i++) {
		const struct qs_diag	*d = run->diags.v[i];

		if (d->severity >= QS_SEV_WARNING) {
			fprintf(stderr, "read-c: %s: %s: %s\n",
			    qs_severity_name(d->severity),
			    d->path != NULL ? d->path : d->input, d->message);
			bad = 1;
		}
	}
	/* Settings come in artifact order; a segment's ends with its own. */
	for (i = 0; i <= run->settings.n; i++) {
		const struct qs_setting	*s = i < run->settings.n ?
		    run->settings.v[i] : NULL;

		if (s != NULL && !wal_artifact(s->ev.artifact))
			continue;
		if (s == NULL || s->ev.artifact != cur) {
			if (cur != NULL) {
				/*
				 * A segment cut right after the last Save
				 * holds only its header and a HardState.
				 */
				if (have && segs > 0 &&
				    first != prev_last + 1) {
					fprintf(stderr, "read-c: %s starts at "
					    "%" PRIu64 " after %" PRIu64 "\n",
					    cur->member, first, prev_last);
					bad = 1;
				} else if (have) {
					entries += last - first + 1;
					prev_last = last;
					segs++;
				}
			}
			if (s == NULL)
				break;
			cur = s->ev.artifact;
			have = 0;
		}
		if (strcmp(s->key, "etcd.member_id") == 0 && node == NULL)
			node = s->value;
		else if (strcmp(s->key, "etcd.cluster_id") == 0 &&
		    cluster == NULL)
			cluster = s->value;
		else if (strcmp(s->key, "etcd.wal.first_index") == 0) {
			first = u64(s->value);
			have = 1;
		} else if (strcmp(s->key, "etcd.wal.last_index") == 0)
			last = u64(s->value);
		else if (strcmp(s->key, "etcd.wal.last_term") == 0)
			term = u64(s->value);
		else if (strcmp(s->key, "etcd.hardstate.term") == 0)
			hs_term = u64(s->value);
		else if (strcmp(s->key, "etcd.hardstate.vote") == 0)
			vote = s->value;
		else if (strcmp(s->key, "etcd.hardstate.commit") == 0)
			hs_commit = u64(s->value);
	}
	for (i = 0; i < run->events.n; i++) {
		const struct qs_event	*e = run->events.v[i];

		if (wal_artifact(e->ev.artifact) &&
		    (e->kind == QS_EV_MEMBER_ADD ||
		    e->kind == QS_EV_MEMBER_REMOVE))
			conf++;
	}
	printf("metadata node %s cluster %s\n", node != NULL ? node : "-",
	    cluster != NULL ? cluster : "-");
	printf("entries %" PRIu64 " confchanges %" PRIu64 " last index %"
	    PRIu64 " term %" PRIu64 "\n", entries, conf, last, term);
	printf("hardstate term %" PRIu64 " vote %s commit %" PRIu64 "\n",
	    hs_term, vote != NULL ? vote : "-", hs_commit);
	fprintf(stderr, "read-c: %zu segments with entries\n", segs);
	qs_run_free(run);
	return bad;
}
