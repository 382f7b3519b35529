/*
 * The etcd parsers over the real bundles of testdata/bundles (etcd 3.4.23
 * run by testdata/gen/etcd): every WAL, .snap and etcdctl output must
 * give the facts each bundle's README lists (member and cluster ids,
 * final HardState, conf changes, snapshot ConfStates and v2 stores,
 * etcdctl member lists and endpoint status), with no warning.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "test_etcd.h"

#define WALF	"/var/lib/etcd/member/wal/0000000000000000-0000000000000000.wal"
#define SNAPD	"/var/lib/etcd/member/snap/"

/* What a README says of one member's WAL. */
struct wal_fact {
	const char	*node;
	const char	*member, *cluster;
	const char	*term, *vote, *commit;	/* final HardState */
	const char	*last_index, *last_term, *snap_index;
	const char	*changes;		/* index/term kind id; ... */
	const char	*members;		/* replayed membership */
};

/* One .snap: ConfState voters, v2 store members and removed members. */
struct snap_fact {
	const char	*node;
	const char	*file;
	const char	*index, *term;
	const char	*confstate, *store, *removed;
};

static struct qs_run *bundle_read(const char *);
static const char *bundle_changes(struct qs_run *, const char *);
static const char *bundle_ids(struct qs_run *, const char *, const char *);
static void	bundle_check_wal(struct qs_run *, const char *,
		    const struct wal_fact *);
static void	bundle_check_snap(struct qs_run *, const char *,
		    const struct snap_fact *);
static void	bundle_check_clean(struct qs_run *);

static struct qs_run *
bundle_read(const char *name)
{
	return qs_test_bundle(name);
}

/* The membership events of an artifact: "1/1 add <id>; 31/2 remove <id>". */
static const char *
bundle_changes(struct qs_run *run, const char *tail)
{
	const char	*out = "";
	size_t		 i, tl = strlen(tail);

	for (i = 0; i < run->events.n; i++) {
		const struct qs_event	*e = run->events.v[i];
		const char		*m = e->ev.artifact->member, *k;

		if (strlen(m) < tl || strcmp(m + strlen(m) - tl, tail) != 0)
			continue;
		if (e->kind == QS_EV_MEMBER_ADD)
			k = "add";
		else if (e->kind == QS_EV_MEMBER_REMOVE)
			k = "remove";
		else if (e->kind == QS_EV_UPDATE)
			k = "update";
		else
			continue;
		out = qs_arena_printf(&run->arena, "%s%s%llu/%llu %s %s", out,
		    *out != '\0' ? "; " : "",
		    (unsigned long long)e->clock.index,
		    (unsigned long long)e->clock.term, k, e->subject);
	}
	return out;
}

/* A view's members as "id:state[:name] ..." ("(none)" without a view). */
static const char *
bundle_ids(struct qs_run *run, const char *tail, const char *source)
{
	const struct qs_view	*v = qs_test_etcd_view(run, tail, source);
	const char		*out = "";
	size_t			 i;

	if (v == NULL)
		return "(none)";
	for (i = 0; i < v->members.n; i++) {
		const struct qs_member	*m = v->members.v[i];

		out = qs_arena_printf(&run->arena, "%s%s%s:%s%s%s", out,
		    i > 0 ? " " : "", m->id, qs_member_state_name(m->state),
		    m->name != NULL ? ":" : "", m->name != NULL ? m->name : "");
	}
	return out;
}

static void
bundle_check_wal(struct qs_run *run, const char *bundle,
    const struct wal_fact *f)
{
	char	tail[512];

	snprintf(tail, sizeof(tail), "%s/%s" WALF, bundle, f->node);
	CHECK_STR(qs_test_etcd_setting(run, tail, "etcd.member_id"),
	    f->member);
	CHECK_STR(qs_test_etcd_setting(run, tail, "etcd.cluster_id"),
	    f->cluster);
	CHECK_STR(qs_test_etcd_setting(run, tail, "etcd.hardstate.term"),
	    f->term);
	CHECK_STR(qs_test_etcd_setting(run, tail, "etcd.hardstate.vote"),
	    f->vote);
	CHECK_STR(qs_test_etcd_setting(run, tail, "etcd.hardstate.commit"),
	    f->commit);
	CHECK_STR(qs_test_etcd_setting(run, tail, "etcd.wal.first_index"),
	    "1");
	CHECK_STR(qs_test_etcd_setting(run, tail, "etcd.wal.last_index"),
	    f->last_index);
	CHECK_STR(qs_test_etcd_setting(run, tail, "etcd.wal.last_term"),
	    f->last_term);
	CHECK_STR(qs_test_etcd_setting(run, tail, "etcd.wal.snapshot_index"),
	    f->snap_index);
	CHECK_STR(bundle_changes(run, tail), f->changes);
	CHECK_STR(bundle_ids(run, tail, "etcd WAL membership"), f->members);
	CHECK(qs_test_etcd_setting(run, tail, "etcd.wal.corrupt_offset") ==
	    NULL);
	CHECK(qs_test_etcd_setting(run, tail, "etcd.wal.torn_offset") == NULL);
}

static void
bundle_check_snap(struct qs_run *run, const char *bundle,
    const struct snap_fact *f)
{
	char	tail[512];

	snprintf(tail, sizeof(tail), "%s/%s" SNAPD "%s", bundle, f->node,
	    f->file);
	CHECK_STR(qs_test_etcd_setting(run, tail, "etcd.snap.index"),
	    f->index);
	CHECK_STR(qs_test_etcd_setting(run, tail, "etcd.snap.term"), f->term);
	CHECK_STR(qs_test_etcd_setting(run, tail, "etcd.cluster_version"),
	    "3.4.0");
	CHECK_STR(bundle_ids(run, tail, "etcd snapshot ConfState"),
	    f->confstate);
	CHECK_STR(bundle_ids(run, tail, "etcd v2 store membership"),
	    f->store);
	CHECK_STR(bundle_ids(run, tail, "etcd v2 store removed members"),
	    f->removed);
}

/* Nothing read from these bundles is damaged or odd. */
static void
bundle_check_clean(struct qs_run *run)
{
	size_t	i;

	for (i = 0; i < run->diags.n; i++) {
		const struct qs_diag	*d = run->diags.v[i];

		if (d->severity != QS_SEV_INFO)
			qs_test_fail(__FILE__, __LINE__, "%s: %s", d->path,
			    d->message);
	}
	for (i = 0; i < run->artifacts.n; i++) {
		const struct qs_artifact	*a = run->artifacts.v[i];

		if (a->kind != NULL && a->kind->system == QS_SYS_ETCD &&
		    a->kind->parse != NULL && a->status != QS_STATUS_PARSED)
			qs_test_fail(__FILE__, __LINE__, "%s: %s", a->member,
			    qs_status_name(a->status));
	}
}

DEFINE_TEST(test_parse_etcd_bundle_healthy)
{
	static const char	cs[] = "15a0246dee94c3dc:voter "
	    "2539cd7cdc97a081:voter 478a43c327964cdd:voter";
	static const char	st[] = "15a0246dee94c3dc:voter:etcd2 "
	    "2539cd7cdc97a081:voter:etcd1 478a43c327964cdd:voter:etcd3";
	static const char	boot[] = "1/1 add 15a0246dee94c3dc; "
	    "2/1 add 2539cd7cdc97a081; 3/1 add 478a43c327964cdd";
	static const struct wal_fact wals[] = {
		{ "etcd1", "2539cd7cdc97a081", "5940335e4763d1d5", "2",
		    "2539cd7cdc97a081", "55", "55", "2", "42", boot, st },
		{ "etcd2", "15a0246dee94c3dc", "5940335e4763d1d5", "2",
		    "2539cd7cdc97a081", "55", "55", "2", "42", boot, st },
		{ "etcd3", "478a43c327964cdd", "5940335e4763d1d5", "2",
		    "2539cd7cdc97a081", "55", "55", "2", "42", boot, st },
	};
	struct qs_run	*run = bundle_read("etcd-healthy");
	size_t		 i;

	for (i = 0; i < 3; i++) {
		struct snap_fact	s15 = { wals[i].node,
		    "0000000000000002-0000000000000015.snap", "21", "2", cs, st,
		    "" };
		struct snap_fact	s2a = { wals[i].node,
		    "0000000000000002-000000000000002a.snap", "42", "2", cs, st,
		    "" };
		char			tail[256];

		bundle_check_wal(run, "etcd-healthy", &wals[i]);
		bundle_check_snap(run, "etcd-healthy", &s15);
		bundle_check_snap(run, "etcd-healthy", &s2a);
		snprintf(tail, sizeof(tail), "%s/etcdctl/endpoint-status.json",
		    wals[i].node);
		CHECK_STR(qs_test_etcd_setting(run, tail,
		    "etcd.status.member_id"), wals[i].member);
		CHECK_STR(qs_test_etcd_setting(run, tail,
		    "etcd.status.leader"), "2539cd7cdc97a081");
		CHECK_STR(qs_test_etcd_setting(run, tail,
		    "etcd.status.raft_index"), "55");
		snprintf(tail, sizeof(tail), "%s/etcdctl/member-list.json",
		    wals[i].node);
		CHECK_STR(bundle_ids(run, tail, "etcdctl member list"), st);
		snprintf(tail, sizeof(tail), "%s/etcdctl/member-list.txt",
		    wals[i].node);
		CHECK_STR(bundle_ids(run, tail, "etcdctl member list"), st);
	}
	bundle_check_clean(run);
	qs_run_free(run);
}

DEFINE_TEST(test_parse_etcd_bundle_member_changes)
{
	static const char	all[] = "1/1 add 420b9075c1521d54; "
	    "2/1 add de27c3620d2c823d; 3/1 add f0571bfc918b88ca; "
	    "19/2 add 1cae41e2d2b97dbe; 31/2 remove f0571bfc918b88ca; "
	    "32/2 add 5cf031bdbb155b4b";
	static const char	upto31[] = "1/1 add 420b9075c1521d54; "
	    "2/1 add de27c3620d2c823d; 3/1 add f0571bfc918b88ca; "
	    "19/2 add 1cae41e2d2b97dbe; 31/2 remove f0571bfc918b88ca";
	static const char	walm[] = "420b9075c1521d54:voter:etcd1 "
	    "de27c3620d2c823d:voter:etcd3 1cae41e2d2b97dbe:voter:etcd4 "
	    "5cf031bdbb155b4b:voter";
	static const char	walm2[] = "420b9075c1521d54:voter:etcd1 "
	    "de27c3620d2c823d:voter:etcd3 1cae41e2d2b97dbe:voter:etcd4";
	static const struct wal_fact wals[] = {
		{ "etcd1", "420b9075c1521d54", "6e9cb2625f5356c6", "2",
		    "420b9075c1521d54", "42", "42", "2", "42", all, walm },
		{ "etcd2", "f0571bfc918b88ca", "6e9cb2625f5356c6", "2",
		    "420b9075c1521d54", "31", "31", "2", "21", upto31, walm2 },
		{ "etcd3", "de27c3620d2c823d", "6e9cb2625f5356c6", "2",
		    "420b9075c1521d54", "42", "42", "2", "42", all, walm },
		{ "etcd4", "1cae41e2d2b97dbe", "6e9cb2625f5356c6", "2", "0",
		    "42", "42", "2", "42", all, walm },
	};
	static const char	cs21[] = "1cae41e2d2b97dbe:voter "
	    "420b9075c1521d54:voter de27c3620d2c823d:voter "
	    "f0571bfc918b88ca:voter";
	static const char	st21[] = "1cae41e2d2b97dbe:voter:etcd4 "
	    "420b9075c1521d54:voter:etcd1 de27c3620d2c823d:voter:etcd3 "
	    "f0571bfc918b88ca:voter:etcd2";
	static const char	cs42[] = "1cae41e2d2b97dbe:voter "
	    "420b9075c1521d54:voter 5cf031bdbb155b4b:voter "
	    "de27c3620d2c823d:voter";
	static const char	st42[] = "1cae41e2d2b97dbe:voter:etcd4 "
	    "420b9075c1521d54:voter:etcd1 5cf031bdbb155b4b:voter "
	    "de27c3620d2c823d:voter:etcd3";
	static const char	ml[] = "1cae41e2d2b97dbe:voter:etcd4 "
	    "420b9075c1521d54:voter:etcd1 5cf031bdbb155b4b:listed "
	    "de27c3620d2c823d:voter:etcd3";
	struct qs_run	*run = bundle_read("etcd-member-changes");
	size_t		 i;

	for (i = 0; i < 4; i++) {
		struct snap_fact	s15 = { wals[i].node,
		    "0000000000000002-0000000000000015.snap", "21", "2", cs21,
		    st21, "" };
		struct snap_fact	s2a = { wals[i].node,
		    "0000000000000002-000000000000002a.snap", "42", "2", cs42,
		    st42, "f0571bfc918b88ca:reaped" };

		bundle_check_wal(run, "etcd-member-changes", &wals[i]);
		bundle_check_snap(run, "etcd-member-changes", &s15);
		if (i != 1)		/* etcd2 stopped before index 42 */
			bundle_check_snap(run, "etcd-member-changes", &s2a);
	}
	CHECK_STR(bundle_ids(run, "etcd2" SNAPD
	    "0000000000000002-000000000000002a.snap", "etcd snapshot ConfState"),
	    "(none)");
	CHECK_STR(bundle_ids(run, "etcd1/etcdctl/member-list.txt",
	    "etcdctl member list"), ml);
	CHECK_STR(bundle_ids(run, "etcd3/etcdctl/member-list.json",
	    "etcdctl member list"), ml);
	CHECK_STR(qs_test_etcd_setting(run, "etcd4/etcdctl/endpoint-status.txt",
	    "etcd.status.member_id"), "1cae41e2d2b97dbe");
	CHECK_STR(qs_test_etcd_setting(run, "etcd4/etcdctl/endpoint-status.txt",
	    "etcd.status.raft_index"), "42");
	CHECK(qs_test_etcd_setting(run, "etcd4/etcdctl/endpoint-status.txt",
	    "etcd.status.leader") == NULL);	/* etcd4 is not the leader */
	CHECK_STR(qs_test_etcd_setting(run, "etcd4/etcdctl/endpoint-status.json",
	    "etcd.status.leader"), "420b9075c1521d54");
	/* etcd2 was down: its etcdctl files hold only errors. */
	CHECK_STR(qs_test_etcd_setting(run, "etcd2/etcdctl/member-list.txt",
	    "etcd.etcdctl.error"), "context deadline exceeded");
	CHECK_STR(qs_test_etcd_setting(run, "etcd2/etcdctl/endpoint-status.json",
	    "etcd.etcdctl.error"), "Failed to get the status of endpoint "
	    "http://127.0.0.32:23842 (context deadline exceeded)");
	bundle_check_clean(run);
	qs_run_free(run);
}

DEFINE_TEST(test_parse_etcd_bundle_force_new_cluster)
{
	static const char	boot[] = "1/1 add 5b95d3603cc78fff; "
	    "2/1 add 69f33f1af2be7256; 3/1 add ea24ba1c5e0f8911";
	static const char	three[] = "5b95d3603cc78fff:voter:etcd3 "
	    "69f33f1af2be7256:voter:etcd2 ea24ba1c5e0f8911:voter:etcd1";
	static const struct wal_fact wals[] = {
		{ "etcd1", "ea24ba1c5e0f8911", "dea3bb35216c1437", "7",
		    "ea24ba1c5e0f8911", "42", "42", "7", "0",
		    "1/1 add 5b95d3603cc78fff; 2/1 add 69f33f1af2be7256; "
		    "3/1 add ea24ba1c5e0f8911; 24/6 remove 5b95d3603cc78fff; "
		    "25/6 remove 69f33f1af2be7256",
		    "ea24ba1c5e0f8911:voter:etcd1" },
		{ "etcd2", "69f33f1af2be7256", "dea3bb35216c1437", "2",
		    "ea24ba1c5e0f8911", "22", "23", "2", "0", boot, three },
		{ "etcd3", "5b95d3603cc78fff", "dea3bb35216c1437", "2",
		    "ea24ba1c5e0f8911", "22", "23", "2", "0", boot, three },
	};
	struct qs_run	*run = bundle_read("etcd-force-new-cluster");
	const char	*out = "etcd1/etcdctl/during-outage/endpoint-status.json";
	size_t		 i;

	for (i = 0; i < 3; i++)
		bundle_check_wal(run, "etcd-force-new-cluster", &wals[i]);
	/* Term changes of the survivor: 1, 2, then 6 and 7 after forcing. */
	CHECK_INT(qs_test_etcd_count(run, "etcd1" WALF, QS_EV_TERM_CHANGE), 4);
	/* The preallocated spare of etcd3 says nothing. */
	CHECK_STR(qs_test_etcd_render(run, "etcd3/var/lib/etcd/member/wal/0.tmp",
	    QS_R_ALL), "");
	CHECK_STR(qs_test_etcd_setting(run, out, "etcd.status.errors"),
	    "etcdserver: no leader");
	CHECK(qs_test_etcd_setting(run, out, "etcd.status.leader") == NULL);
	CHECK_STR(qs_test_etcd_setting(run, out, "etcd.status.raft_term"), "2");
	CHECK_STR(qs_test_etcd_setting(run, "etcd1/etcdctl/endpoint-status.json",
	    "etcd.status.leader"), "ea24ba1c5e0f8911");
	CHECK_STR(qs_test_etcd_setting(run, "etcd1/etcdctl/endpoint-status.json",
	    "etcd.status.raft_term"), "7");
	CHECK_STR(bundle_ids(run, "etcd1/etcdctl/member-list.json",
	    "etcdctl member list"), "ea24ba1c5e0f8911:voter:etcd1");
	CHECK_STR(bundle_ids(run, "etcd1/etcdctl/during-outage/member-list.txt",
	    "etcdctl member list"), three);
	bundle_check_clean(run);
	qs_run_free(run);
}

DEFINE_TEST(test_parse_etcd_bundle_wiped_member)
{
	static const char	boot[] = "1/1 add 80e9a2f8012e6ff; "
	    "2/1 add 984bd2f86d62a320; 3/1 add a43dd8b64dc5b26e";
	static const char	three[] = "80e9a2f8012e6ff:voter:etcd2 "
	    "984bd2f86d62a320:voter:etcd3 a43dd8b64dc5b26e:voter:etcd1";
	static const struct wal_fact wals[] = {
		{ "etcd1", "a43dd8b64dc5b26e", "fee5c237b6f5e56", "2",
		    "a43dd8b64dc5b26e", "28", "28", "2", "0", boot, three },
		{ "etcd2", "80e9a2f8012e6ff", "fee5c237b6f5e56", "2",
		    "a43dd8b64dc5b26e", "28", "28", "2", "0", boot, three },
		/* The rebuilt etcd3: another cluster, its term climbing. */
		{ "etcd3", "783ca890547bade8", "59d08371d4b1f2f5", "19",
		    "783ca890547bade8", "3", "3", "1", "0",
		    "1/1 add 783ca890547bade8; 2/1 add d18a4b50dda6433f; "
		    "3/1 add e14e7e7241430157",
		    "783ca890547bade8:voter:etcd3 d18a4b50dda6433f:voter:etcd1 "
		    "e14e7e7241430157:voter:etcd2" },
	};
	struct qs_run	*run = bundle_read("etcd-wiped-member");
	size_t		 i;

	for (i = 0; i < 3; i++)
		bundle_check_wal(run, "etcd-wiped-member", &wals[i]);
	CHECK_STR(bundle_ids(run, "etcd2/etcdctl/member-list.json",
	    "etcdctl member list"), three);
	CHECK_STR(qs_test_etcd_setting(run, "etcd3/etcdctl/member-list.txt",
	    "etcd.etcdctl.error"), "context deadline exceeded");
	bundle_check_clean(run);
	qs_run_free(run);
}

DEFINE_TEST(test_parse_etcd_bundle_backup_dump)
{
	static const char	boot[] = "1/1 add 347bc5f2b176fc6b; "
	    "2/1 add 97b54c7a844a1cac; 3/1 add aae3f6307d5baa8c";
	static const char	st[] = "347bc5f2b176fc6b:voter:etcd2 "
	    "97b54c7a844a1cac:voter:etcd1 aae3f6307d5baa8c:voter:etcd3";
	static const char	cs[] = "347bc5f2b176fc6b:voter "
	    "97b54c7a844a1cac:voter aae3f6307d5baa8c:voter";
	static const struct wal_fact wals[] = {
		{ "etcd1", "97b54c7a844a1cac", "ac24b6c6cf7cec3e", "2",
		    "97b54c7a844a1cac", "30", "30", "2", "21", boot, st },
		{ "etcd2", "347bc5f2b176fc6b", "ac24b6c6cf7cec3e", "2",
		    "97b54c7a844a1cac", "30", "30", "2", "21", boot, st },
		{ "etcd3", "aae3f6307d5baa8c", "ac24b6c6cf7cec3e", "2",
		    "97b54c7a844a1cac", "30", "30", "2", "21", boot, st },
	};
	struct qs_run	*run = bundle_read("etcd-backup-dump");
	size_t		 i;

	for (i = 0; i < 3; i++) {
		struct snap_fact	s15 = { wals[i].node,
		    "0000000000000002-0000000000000015.snap", "21", "2", cs, st,
		    "" };

		bundle_check_wal(run, "etcd-backup-dump", &wals[i]);
		bundle_check_snap(run, "etcd-backup-dump", &s15);
	}
	bundle_check_clean(run);
	qs_run_free(run);
}
