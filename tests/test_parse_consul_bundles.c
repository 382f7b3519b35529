/*
 * parse-consul-*.c over the Consul fixture bundles made by the real serf
 * and raft libraries (testdata/bundles/consul-*.tar.gz): every small
 * artifact parses without a diagnostic, and a few facts each scenario is
 * built around come out.  A bundle that is absent is skipped.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "test.h"

static const char *const small_kinds[] = {
	"consul.peers_json", "consul.peers_info", "consul.serf_snapshot",
	"consul.node_id", "consul.config", "consul.raft_snapshot_meta", NULL
};

static struct qs_run *
bundle(const char *name)
{
	char		 rel[256];
	unsigned char	*data;
	size_t		 len;
	struct qs_run	*run;

	snprintf(rel, sizeof(rel), "testdata/bundles/%s.tar.gz", name);
	if ((data = (unsigned char *)qs_test_read_file(rel, &len)) == NULL) {
		printf("# %s absent; skipped\n", rel);
		return NULL;
	}
	run = qs_test_read(rel, data, len);
	free(data);
	return run;
}

static int
is_small(const struct qs_artifact *art)
{
	size_t	i;

	for (i = 0; art->kind != NULL && small_kinds[i] != NULL; i++)
		if (strcmp(art->kind->name, small_kinds[i]) == 0)
			return 1;
	return 0;
}

/* Every small artifact parsed, and no diagnostic names one. */
static void
all_clean(const struct qs_run *run)
{
	size_t	i, j, n = 0;

	for (i = 0; i < run->artifacts.n; i++) {
		const struct qs_artifact	*art = run->artifacts.v[i];

		if (!is_small(art))
			continue;
		n++;
		if (art->status != QS_STATUS_PARSED)
			qs_test_fail(__FILE__, __LINE__, "%s: %s", art->member,
			    qs_status_name(art->status));
		for (j = 0; j < run->diags.n; j++) {
			const struct qs_diag	*d = run->diags.v[j];

			if (d->path != NULL && strcmp(d->path, art->member) == 0)
				qs_test_fail(__FILE__, __LINE__, "%s: %s",
				    d->path, d->message);
		}
	}
	CHECK(n > 0);
}

/* The view of `source` observed through the artifact ending in `tail`. */
static const struct qs_view *
view(const struct qs_run *run, const char *tail, const char *source)
{
	size_t	i, tl = strlen(tail);

	for (i = 0; i < run->views.n; i++) {
		const struct qs_view	*v = run->views.v[i];
		size_t			 ml = strlen(v->ev.artifact->member);

		if (strcmp(v->source, source) == 0 && ml >= tl &&
		    strcmp(v->ev.artifact->member + ml - tl, tail) == 0)
			return v;
	}
	return NULL;
}

static const char *
node_setting(const struct qs_run *run, const char *node, const char *key)
{
	size_t	i;

	for (i = 0; i < run->settings.n; i++) {
		const struct qs_setting	*s = run->settings.v[i];
		const struct qs_node	*n = s->ev.artifact->node;

		if (n != NULL && strcmp(n->name, node) == 0 &&
		    strcmp(s->key, key) == 0)
			return s->value;
	}
	return NULL;
}

DEFINE_TEST(test_parse_consul_bundles_clean)
{
	static const char *const names[] = {
		"consul-healthy", "consul-dual-bootstrap",
		"consul-expect-mismatch", "consul-parallel-restart",
		"consul-slow-leader", "consul-stale-peers", NULL
	};
	struct qs_run	*run;
	size_t		 i;

	for (i = 0; names[i] != NULL; i++) {
		if ((run = bundle(names[i])) == NULL)
			continue;
		all_clean(run);
		qs_run_free(run);
	}
}

DEFINE_TEST(test_parse_consul_bundles_facts)
{
	struct qs_run		*run;
	const struct qs_view	*v;
	size_t			 i, leaves;

	/* Healthy: three voters in every server's snapshot, all alive. */
	if ((run = bundle("consul-healthy")) != NULL) {
		v = view(run, "consul1/consul/data/serf/local.snapshot",
		    "serf LAN snapshot");
		CHECK(v != NULL && v->members.n == 4);
		for (i = 0; v != NULL && i < v->members.n; i++)
			CHECK_INT(((const struct qs_member *)
			    v->members.v[i])->state, QS_MEMBER_ALIVE);
		CHECK_STR(node_setting(run, "consul1", "server"), "true");
		CHECK_STR(node_setting(run, "consul1", "bootstrap_expect"),
		    "3");
		CHECK_STR(node_setting(run, "web1", "server"), "false");
		CHECK_STR(node_setting(run, "consul2", "raft.peers_info"),
		    "present");
		for (i = 0; i < run->views.n; i++) {
			v = run->views.v[i];
			if (strcmp(v->source, "raft snapshot meta.json") != 0)
				continue;
			CHECK_INT(v->members.n, 3);
			CHECK(v->clock.set == (QS_CLOCK_TERM | QS_CLOCK_INDEX));
		}
		qs_run_free(run);
	}

	/* Consul 0.5 parallel restart: leave in serf, peers cleared. */
	if ((run = bundle("consul-parallel-restart")) != NULL) {
		v = view(run, "node1/consul/data/raft/peers.json",
		    "raft/peers.json (legacy)");
		CHECK(v != NULL && v->is_null);
		CHECK_STR(node_setting(run, "node1", "skip_leave_on_interrupt"),
		    "false");
		for (i = leaves = 0; i < run->signals.n; i++)
			if (((const struct qs_signal *)run->signals.v[i])->kind
			    == QS_SIG_GRACEFUL_LEAVE)
				leaves++;
		CHECK(leaves >= 3);
		qs_run_free(run);
	}

	/* Dual bootstrap: HCL configs, a staged protocol-3 recovery file. */
	if ((run = bundle("consul-dual-bootstrap")) != NULL) {
		v = view(run, "consul1/consul/data/raft/peers.json",
		    "raft/peers.json (recovery)");
		CHECK(v != NULL && v->members.n == 3);
		CHECK_STR(node_setting(run, "consul1", "bootstrap"), "true");
		CHECK_STR(node_setting(run, "consul1", "raft.peers_json"),
		    "recovery");
		qs_run_free(run);
	}
}
