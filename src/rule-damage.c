/*
 * Damage and exhaustion as findings, every system:
 *
 *   zk-data-corruption, etcd-data-corruption, consul-data-corruption
 *       (kind data-corruption) one finding per member whose data is
 *       damaged: what our own decoders found (QS_SIG_DATA_DAMAGE from the
 *       WAL, txn log, snapshot and raft log decoders: a record whose CRC
 *       or Adler-32 fails, a torn last record, an empty newest snapshot,
 *       the *.broken copy etcd's repair leaves) and what the server said
 *       (etcd's "crc mismatch", ZooKeeper's "Unable to load database on
 *       disk", "CRC check failed", "Last transaction was partial"),
 *       whether the server then refused to start, repaired the file or
 *       only has a torn tail it truncates, and the repair.
 *   zk-disk-full, etcd-disk-full, consul-disk-full
 *       (kind disk-full) the server's log says a write failed for want of
 *       space ("No space left on device", ENOSPC), with the elections
 *       that followed as its consequence.
 *
 * Upstream behaviour: etcd-io/etcd wal (ReadAll returns ErrCRCMismatch
 * for a complete record, io.ErrUnexpectedEOF for a torn tail, which
 * wal.Repair truncates after copying the file to *.broken; the server's
 * start then fails with the fatal "walpb: crc mismatch" or repairs);
 * apache/zookeeper persistence/FileTxnLog (a CRC that fails throws "CRC
 * check failed"; a record without its end marker is "Last transaction
 * was partial") and QuorumPeer.loadDataBase ("Unable to load database on
 * disk", then the server exits).
 */
#include "config.h"

#include <string.h>

#include "quorumscope.h"

#define DAMAGE_FACTS_MAX	6	/* decoder findings listed per member */

/* A server log (zk.log, etcd.log, consul.log), not a data file. */
static int
damage_from_log(const struct qs_evidence *ev)
{
	const char	*k;

	if (ev->artifact == NULL || ev->artifact->kind == NULL)
		return 0;
	k = ev->artifact->kind->name;
	return strlen(k) > 4 && strcmp(k + strlen(k) - 4, ".log") == 0;
}

/* A torn tail or a repair copy: what a crash mid-write leaves. */
static int
damage_torn(const char *d)
{
	return d != NULL && (strstr(d, "partial") != NULL ||
	    strstr(d, "torn") != NULL || strstr(d, "cut") != NULL ||
	    strstr(d, "truncated") != NULL || strstr(d, "broken") != NULL ||
	    strstr(d, "repair") != NULL);
}

/* The server exited with an error at or after `t` (ms; -1: any time). */
static const struct qs_event *
damage_exit_after(const struct qs_run *run, const struct qs_node *node,
    enum qs_system sys, int64_t t)
{
	size_t	i;

	for (i = 0; i < run->events.n; i++) {
		const struct qs_event	*e = run->events.v[i];

		if (e->observer != node || e->system != sys ||
		    e->kind != QS_EV_STOP || e->detail == NULL)
			continue;
		if (sys == QS_SYS_ZOOKEEPER && strstr(e->detail,
		    "abnormally") == NULL && (strncmp(e->detail, "exit code ",
		    10) != 0 || strcmp(e->detail, "exit code 0") == 0))
			continue;
		if (sys == QS_SYS_CONSUL && strncmp(e->detail, "exited: ", 8)
		    != 0)
			continue;
		if (t >= 0 && e->time.set && e->time.ms < t)
			continue;
		return e;
	}
	return NULL;
}

static const char *
damage_place(struct qs_analysis *an, const struct qs_signal *g)
{
	const char	*file = g->ev.artifact != NULL ?
	    g->ev.artifact->member : "?";
	const char	*clock = "";

	if (g->clock.set & QS_CLOCK_INDEX)
		clock = qs_arena_printf(&an->run->arena, ", last good index "
		    "%llu", (unsigned long long)g->clock.index);
	else if (g->clock.set & QS_CLOCK_ZXID)
		clock = qs_arena_printf(&an->run->arena, ", zxid 0x%llx",
		    (unsigned long long)g->clock.zxid);
	if (g->ev.has_offset)
		return qs_arena_printf(&an->run->arena, "%s at offset %llu%s",
		    file, (unsigned long long)g->ev.offset, clock);
	return qs_arena_printf(&an->run->arena, "%s%s", file, clock);
}

static void
damage_repair(struct qs_analysis *an, struct qs_finding *f,
    const struct qs_node *node, enum qs_system sys)
{
	const struct qs_identity	*id;
	const struct qs_setting		*dir;

	switch (sys) {
	case QS_SYS_ETCD:
		id = qs_node_ident(node, QS_ID_MEMBER_ID, NULL);
		dir = qs_setting_get(an->run, node, QS_SYS_ETCD,
		    "etcd.config.data-dir");
		qs_finding_step(an, f, "With the other members healthy: on one "
		    "of them `etcdctl member remove %s`, then `etcdctl member "
		    "add %s --peer-urls=<its peer URL>`.", id != NULL ?
		    id->value : "<its member ID>", node->name);
		qs_finding_step(an, f, "On %s move the data dir aside (`mv %s "
		    "%s.damaged`) and start it empty with "
		    "--initial-cluster-state existing: it catches up from the "
		    "leader.", node->name, dir != NULL ? dir->value :
		    "<data dir>", dir != NULL ? dir->value : "<data dir>");
		qs_finding_step(an, f, "If no healthy member is left, restore "
		    "from the newest backup (`etcdutl snapshot restore`) "
		    "instead.");
		break;
	case QS_SYS_ZOOKEEPER:
		dir = qs_setting_get(an->run, node, QS_SYS_ZOOKEEPER,
		    "zk.dataDir");
		qs_finding_step(an, f, "With a quorum of the other servers "
		    "running: stop ZooKeeper on %s, move %s/version-2 aside "
		    "(keep myid), and start it: it loads a snapshot from the "
		    "leader.", node->name, dir != NULL ? dir->value :
		    "<dataDir>");
		qs_finding_step(an, f, "If no healthy server is left, start "
		    "from the server with the highest zxid and copy its "
		    "version-2 to the others.");
		break;
	default:
		qs_finding_step(an, f, "With the other servers healthy: stop "
		    "%s, move its data dir aside and let it rejoin empty "
		    "(`consul operator raft remove-peer` first if it does not "
		    "rejoin); otherwise restore from a snapshot (`consul "
		    "snapshot restore`).", node->name);
		break;
	}
}

static void
rule_data_corruption(struct qs_analysis *an, const struct qs_rule *rule)
{
	struct qs_run		*run = an->run;
	size_t			 i, j;
	char			 t[40];

	for (i = 0; i < run->nodes.n; i++) {
		struct qs_node		*node = run->nodes.v[i];
		const struct qs_signal	*said = NULL, *first_said = NULL;
		const struct qs_event	*exit;
		struct qs_finding	*f = NULL;
		size_t			 found = 0, nsaid = 0;
		int			 complete = 0;

		for (j = 0; j < run->signals.n; j++) {
			const struct qs_signal	*g = run->signals.v[j];

			if (g->observer != node || g->system != rule->system ||
			    g->kind != QS_SIG_DATA_DAMAGE)
				continue;
			if (damage_from_log(&g->ev)) {
				if (first_said == NULL)
					first_said = g;
				said = g;
				nsaid++;
				if (!damage_torn(g->detail))
					complete = 1;
				continue;
			}
			if (f == NULL)
				f = qs_finding_new(an, rule, "%s's data is "
				    "damaged", node->name);
			if (!damage_torn(g->detail))
				complete = 1;
			if (found++ < DAMAGE_FACTS_MAX) {
				qs_finding_evidence(f, &g->ev);
				qs_finding_fact(an, f, "Read from %s: %s.",
				    damage_place(an, g), g->detail != NULL ?
				    g->detail : "damaged");
			}
		}
		if (f == NULL && said == NULL)
			continue;
		if (f == NULL)
			f = qs_finding_new(an, rule, "%s's data is damaged",
			    node->name);
		qs_finding_node(f, node);
		if (found > DAMAGE_FACTS_MAX)
			qs_finding_fact(an, f, "%zu more damaged records or "
			    "files.", found - DAMAGE_FACTS_MAX);
		exit = damage_exit_after(run, node, rule->system,
		    first_said != NULL && first_said->time.set ?
		    first_said->time.ms : -1);
		if (said != NULL) {
			qs_finding_evidence(f, &said->ev);
			qs_finding_fact(an, f, "%s's own log says \"%s\" (%zu "
			    "line%s, the last at %s).", node->name,
			    said->detail != NULL ? said->detail : "damage",
			    nsaid, nsaid == 1 ? "" : "s", said->time.set ?
			    qs_time_format(&said->time, t, sizeof(t)) :
			    "an unknown time");
		}
		if (said != NULL && exit != NULL) {
			qs_finding_evidence(f, &exit->ev);
			qs_finding_fact(an, f, "It refused to start on this "
			    "data: it exited (%s).", exit->detail);
		} else if (!complete) {
			f->level = QS_LEVEL_INFO;
			qs_finding_fact(an, f, "Only a torn last record or the "
			    "copy a repair leaves: what a crash in mid-write "
			    "leaves; the server truncates the tail at its next "
			    "start, losing only writes it never acknowledged.");
		} else
			qs_finding_fact(an, f, "A complete record fails its "
			    "checksum: the server cannot repair this and will "
			    "refuse to start on it.");
		qs_finding_fact(an, f, "While %s cannot run, the others keep "
		    "quorum only if a majority of the voters still runs.",
		    node->name);
		if (said != NULL && exit != NULL)
			f->title = qs_arena_printf(&run->arena, "%s refuses to "
			    "start: its data is damaged", node->name);
		else if (f->level == QS_LEVEL_INFO)
			f->title = qs_arena_printf(&run->arena, "%s's data has "
			    "a torn last record", node->name);
		if (f->level != QS_LEVEL_INFO)
			damage_repair(an, f, node, rule->system);
	}
}

/* Findings that a full disk explains on the same node: its elections. */
static const char *const disk_full_effects[] = {
	"etcd-election-storm", "etcd-quorum-loss", "zk-no-quorum",
	"consul-no-leader", "etcd-crash-loop", "zk-crash-loop",
	"consul-crash-loop", NULL
};

static void
rule_disk_full(struct qs_analysis *an, const struct qs_rule *rule)
{
	struct qs_run		*run = an->run;
	size_t			 i, j, k, n;
	char			 t1[40], t2[40];

	for (i = 0; i < run->nodes.n; i++) {
		struct qs_node		*node = run->nodes.v[i];
		const struct qs_signal	*first = NULL, *last = NULL;
		const struct qs_setting	*dir;
		struct qs_finding	*f;
		size_t			 elections = 0;

		for (j = 0, n = 0; j < run->signals.n; j++) {
			const struct qs_signal	*g = run->signals.v[j];

			if (g->observer != node || g->system != rule->system ||
			    g->kind != QS_SIG_DISK_FULL)
				continue;
			if (first == NULL)
				first = g;
			last = g;
			n++;
		}
		if (first == NULL)
			continue;
		f = qs_finding_new(an, rule, "%s ran out of disk space",
		    node->name);
		qs_finding_node(f, node);
		qs_finding_evidence(f, &first->ev);
		if (last != first)
			qs_finding_evidence(f, &last->ev);
		qs_finding_fact(an, f, "%s's log says \"No space left on "
		    "device\" %zu time%s, from %s to %s: its writes to the "
		    "log (WAL, txn log) failed.", node->name, n, n == 1 ? "" :
		    "s", first->time.set ? qs_time_format(&first->time, t1,
		    sizeof(t1)) : "?", last->time.set ?
		    qs_time_format(&last->time, t2, sizeof(t2)) : "?");
		/* Leadership changes from the first failed write on. */
		for (j = 0; first->time.set && j < run->events.n; j++) {
			const struct qs_event	*e = run->events.v[j];

			if (e->system == rule->system &&
			    e->kind == QS_EV_LEADER_ELECTED && e->time.set &&
			    e->time.ms >= first->time.ms &&
			    (e->clock.set & QS_CLOCK_TERM))
				elections++;
		}
		if (elections > 0)
			qs_finding_fact(an, f, "%zu leader election%s logged "
			    "from then on: a member that cannot persist its "
			    "log cannot acknowledge, and a leader that cannot "
			    "loses its followers.", elections, elections == 1 ?
			    "" : "s");
		for (j = 0; j < an->findings.n; j++) {
			struct qs_finding	*c = an->findings.v[j];

			if (c->cluster != an->cluster || c == f)
				continue;
			for (k = 0; disk_full_effects[k] != NULL; k++)
				if (strcmp(c->rule->id, disk_full_effects[k])
				    == 0)
					break;
			if (disk_full_effects[k] == NULL)
				continue;
			qs_finding_caused_by(c, f);
			qs_finding_fact(an, c, "Caused by %s: %s.",
			    rule->id, f->title);
		}
		dir = qs_setting_get(run, node, rule->system,
		    rule->system == QS_SYS_ZOOKEEPER ? "zk.dataLogDir" :
		    rule->system == QS_SYS_ETCD ? "etcd.config.data-dir" :
		    "consul.data_dir");
		if (dir == NULL && rule->system == QS_SYS_ZOOKEEPER)
			dir = qs_setting_get(run, node, rule->system,
			    "zk.dataDir");
		qs_finding_step(an, f, "Free space on the filesystem of %s on "
		    "%s (`df -h %s`): old snapshots and logs first "
		    "(ZooKeeper: autopurge or zkCleanup.sh; etcd: `etcdctl "
		    "compact` then `etcdctl defrag`), never the newest files.",
		    dir != NULL ? dir->value : "its data dir", node->name,
		    dir != NULL ? dir->value : "<data dir>");
		qs_finding_step(an, f, "Then check its data for a torn last "
		    "record before it rejoins (the data-corruption finding, if "
		    "any, says).");
	}
}

const struct qs_rule qs_rule_zk_data_corruption = {
	.id = "zk-data-corruption",
	.kind = "data-corruption",
	.level = QS_LEVEL_ERROR,
	.system = QS_SYS_ZOOKEEPER,
	.title = "a ZooKeeper server's txn log or snapshot is damaged",
	.explanation = "A txn log record whose Adler-32 fails, a partial last "
	    "record or an empty snapshot: ZooKeeper may refuse to load its "
	    "database (\"Unable to load database on disk\") and exit.",
	.remediation = "Move the server's version-2 aside and let it load a "
	    "snapshot from the leader.",
	.check = rule_data_corruption,
};

const struct qs_rule qs_rule_etcd_data_corruption = {
	.id = "etcd-data-corruption",
	.kind = "data-corruption",
	.level = QS_LEVEL_ERROR,
	.system = QS_SYS_ETCD,
	.title = "an etcd member's WAL or snapshot is damaged",
	.explanation = "A complete WAL record whose CRC fails makes etcd "
	    "refuse to start (\"walpb: crc mismatch\"); a torn last record is "
	    "repaired at start (the file copied to *.wal.broken).",
	.remediation = "Remove and re-add the member, start it with an empty "
	    "data dir.",
	.check = rule_data_corruption,
};

const struct qs_rule qs_rule_consul_data_corruption = {
	.id = "consul-data-corruption",
	.kind = "data-corruption",
	.level = QS_LEVEL_ERROR,
	.system = QS_SYS_CONSUL,
	.title = "a Consul server's raft data is damaged",
	.explanation = "A raft log or snapshot record that fails its checks "
	    "keeps the server from restoring its state.",
	.remediation = "Let the server rejoin with an empty data dir, or "
	    "restore a snapshot.",
	.check = rule_data_corruption,
};

const struct qs_rule qs_rule_zk_disk_full = {
	.id = "zk-disk-full",
	.kind = "disk-full",
	.level = QS_LEVEL_ERROR,
	.system = QS_SYS_ZOOKEEPER,
	.title = "a ZooKeeper server ran out of disk space",
	.explanation = "A server that cannot write its txn log cannot "
	    "acknowledge proposals: a leader loses its followers, a follower "
	    "drops out, and the last record may be left partial.",
	.remediation = "Free space (purge old snapshots and logs), then check "
	    "the txn log before restarting.",
	.check = rule_disk_full,
};

const struct qs_rule qs_rule_etcd_disk_full = {
	.id = "etcd-disk-full",
	.kind = "disk-full",
	.level = QS_LEVEL_ERROR,
	.system = QS_SYS_ETCD,
	.title = "an etcd member ran out of disk space",
	.explanation = "A member that cannot write its WAL or backend stops "
	    "acknowledging: leaders change, and the member may die.",
	.remediation = "Free space (compact and defragment), then restart it.",
	.check = rule_disk_full,
};

const struct qs_rule qs_rule_consul_disk_full = {
	.id = "consul-disk-full",
	.kind = "disk-full",
	.level = QS_LEVEL_ERROR,
	.system = QS_SYS_CONSUL,
	.title = "a Consul server ran out of disk space",
	.explanation = "A server that cannot write its raft log stops "
	    "acknowledging and may lose leadership.",
	.remediation = "Free space on its data dir, then restart it.",
	.check = rule_disk_full,
};
