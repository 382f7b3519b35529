/*
 * The registry of artifact kinds: one row per kind of file quorumscope
 * knows, saying how it is recognised and which parser reads it (libarchive's
 * format-reader table, made declarative).  Adding a format is one row here
 * plus one parse-*.c file.
 *
 * Recognition (identify.c) adds up evidence: a path pattern (16 bits for a
 * bare file name, 24 when directories are part of the pattern), magic bytes
 * (32), the content test (its own bits, or -1 to veto), and a small hint
 * when libmagic's MIME type agrees.  Content beats names: a vetoed kind
 * loses whatever its name said.  Patterns are fnmatch(3) globs matched
 * against the last components of the entry's path.
 */
#include "config.h"

#include <string.h>

#include "quorumscope.h"

#define PATHS(...)	((const char *const[]){ __VA_ARGS__, NULL })

/* BoltDB: u32le 0xED0CDAED at offset 16 of the first meta page. */
static const struct qs_magic kinds_bolt[] = {
	{ 16, "\xed\xda\x0c\xed", 4 },
	{ 0, NULL, 0 }
};
static const struct qs_magic kinds_zk_txnlog[] = {
	{ 0, "ZKLG", 4 },
	{ 0, NULL, 0 }
};
static const struct qs_magic kinds_zk_snapshot[] = {
	{ 0, "ZKSN", 4 },
	{ 0, NULL, 0 }
};
/* hashicorp/raft-wal segment header: u32le 0x58eb6b0d. */
static const struct qs_magic kinds_raft_wal[] = {
	{ 0, "\x0d\x6b\xeb\x58", 4 },
	{ 0, NULL, 0 }
};

const struct qs_kind qs_kinds[] = {
	{
		.name = "host.hosts",
		.system = QS_SYS_NONE,
		.summary = "a host's /etc/hosts: the names members are "
		    "configured by",
		.paths = PATHS("etc/hosts"),
		.sniff = qs_sniff_hosts,
		.parse = qs_parse_host_hosts,
	},
	{
		.name = "host.hostname",
		.system = QS_SYS_NONE,
		.summary = "a host's /etc/hostname",
		.paths = PATHS("etc/hostname"),
		.sniff = qs_sniff_hostname,
		.parse = qs_parse_host_hostname,
	},
	{
		.name = "consul.peers_json",
		.mime = "application/json",
		.system = QS_SYS_CONSUL,
		.summary = "raft peer set: legacy address list or "
		    "protocol-3 recovery file",
		.paths = PATHS("raft/peers.json", "peers.json"),
		.sniff = qs_sniff_json_peers,
		.parse = qs_parse_consul_peers_json,
	},
	{
		.name = "consul.peers_info",
		.system = QS_SYS_CONSUL,
		.summary = "marker that peers.json is only read for recovery",
		.paths = PATHS("raft/peers.info", "peers.info"),
		.sniff = qs_sniff_text,
		.parse = qs_parse_consul_peers_info,
	},
	{
		.name = "consul.serf_snapshot",
		.system = QS_SYS_CONSUL,
		.summary = "serf membership journal (local = LAN, remote = WAN)",
		.paths = PATHS("serf/*.snapshot", "serf/*.snapshot.compact",
		    "local.snapshot", "remote.snapshot"),
		.sniff = qs_sniff_serf_snapshot,
		.parse = qs_parse_consul_serf_snapshot,
	},
	{
		.name = "consul.raft_db",
		.system = QS_SYS_CONSUL,
		.summary = "raft log and stable store (raft-boltdb)",
		.paths = PATHS("raft/raft.db", "raft.db"),
		.magic = kinds_bolt,
		.sniff = qs_sniff_bolt_raft,
		.parse = qs_parse_consul_raftdb,
	},
	{
		.name = "consul.raft_snapshot_meta",
		.mime = "application/json",
		.system = QS_SYS_CONSUL,
		.summary = "raft file snapshot metadata: configuration, term, "
		    "index",
		.paths = PATHS("snapshots/*/meta.json"),
		.sniff = qs_sniff_raft_snapshot_meta,
		.parse = qs_parse_consul_snapshot_meta,
	},
	{
		.name = "consul.raft_snapshot_state",
		.system = QS_SYS_CONSUL,
		.summary = "raft file snapshot data (the FSM state), recognised, "
		    "not decoded",
		.paths = PATHS("snapshots/*/state.bin"),
		.sniff = qs_sniff_opaque,
	},
	{
		.name = "consul.raft_wal",
		.system = QS_SYS_CONSUL,
		.summary = "raft-wal log segment (Consul 1.15+ opt-in log store), "
		    "recognised, not decoded",
		.paths = PATHS("raft/wal/*.wal", "wal/*.wal"),
		.magic = kinds_raft_wal,
		.parse = qs_parse_consul_raft_wal,
	},
	{
		.name = "consul.node_id",
		.system = QS_SYS_CONSUL,
		.summary = "agent node ID (raft server ID under protocol 3)",
		.paths = PATHS("node-id"),
		.sniff = qs_sniff_uuid,
		.parse = qs_parse_consul_node_id,
	},
	{
		.name = "consul.config",
		.system = QS_SYS_CONSUL,
		.summary = "agent configuration, JSON or HCL",
		.paths = PATHS("consul.d/*.json", "consul.d/*.hcl",
		    "consul*.json", "consul*.hcl", "*.hcl"),
		.sniff = qs_sniff_consul_config,
		.parse = qs_parse_consul_config,
	},
	{
		.name = "consul.log",
		.mime = "text/",
		.system = QS_SYS_CONSUL,
		.summary = "agent log: Go log, hclog text or hclog JSON",
		.paths = PATHS("consul*.log", "consul*.log.*", "consul/*.log",
		    "consul/*.log.*", "consul*.out"),
		.sniff = qs_sniff_consul_log,
		.parse = qs_parse_consul_log,
	},
	{
		.name = "consul.cli_output",
		.system = QS_SYS_CONSUL,
		.summary = "collected consul members, operator raft list-peers "
		    "or info output",
		.paths = PATHS("*consul*members*", "*consul-info*",
		    "*consul_info*", "*list-peers*", "*list_peers*",
		    "*raft-peers*", "*raft_peers*", "listpeers.json"),
		.sniff = qs_sniff_consul_cli,
		.parse = qs_parse_consul_cli,
	},
	{
		.name = "consul.debug_index",
		.mime = "application/json",
		.system = QS_SYS_CONSUL,
		.summary = "consul debug archive index (index.json)",
		.paths = PATHS("index.json"),
		.sniff = qs_sniff_consul_debug_index,
		.parse = qs_parse_consul_debug_index,
	},
	{
		.name = "consul.debug_agent",
		.mime = "application/json",
		.system = QS_SYS_CONSUL,
		.summary = "consul debug archive agent.json: the agent's "
		    "configuration, member and stats",
		.paths = PATHS("agent.json"),
		.sniff = qs_sniff_consul_debug_agent,
		.parse = qs_parse_consul_debug_agent,
	},
	{
		.name = "consul.debug_members",
		.mime = "application/json",
		.system = QS_SYS_CONSUL,
		.summary = "consul debug archive members.json: the gossip "
		    "members",
		.paths = PATHS("members.json", "cluster.json"),
		.sniff = qs_sniff_consul_debug_members,
		.parse = qs_parse_consul_debug_members,
	},
	{
		.name = "consul.debug_host",
		.mime = "application/json",
		.system = QS_SYS_CONSUL,
		.summary = "consul debug archive host.json: host name and disk",
		.paths = PATHS("host.json"),
		.sniff = qs_sniff_consul_debug_host,
		.parse = qs_parse_consul_debug_host,
	},
	{
		.name = "consul.debug_metrics",
		.mime = "application/json",
		.system = QS_SYS_CONSUL,
		.summary = "consul debug archive metrics.json, recognised, "
		    "not decoded",
		.paths = PATHS("metrics.json"),
		.sniff = qs_sniff_consul_debug_metrics,
	},
	{
		.name = "etcd.wal",
		.system = QS_SYS_ETCD,
		.summary = "raft write-ahead log segment",
		.paths = PATHS("member/wal/*.wal", "wal/*.wal", "*.wal",
		    "member/wal/*.tmp", "*.wal.broken"),
		.sniff = qs_sniff_etcd_wal,
		.parse = qs_parse_etcd_wal,
	},
	{
		.name = "etcd.snap",
		.system = QS_SYS_ETCD,
		.summary = "raft snapshot with the v2 store",
		.paths = PATHS("member/snap/*.snap", "snap/*.snap", "*.snap",
		    "*.snap.broken"),
		.sniff = qs_sniff_etcd_snap,
		.parse = qs_parse_etcd_snap,
	},
	{
		.name = "etcd.db",
		.system = QS_SYS_ETCD,
		.summary = "backend database (bbolt): members, meta",
		.paths = PATHS("member/snap/db", "snap/db", "*.snap.db"),
		.magic = kinds_bolt,
		.sniff = qs_sniff_bolt_etcd,
		.parse = qs_parse_etcd_db,
	},
	{
		.name = "etcd.log",
		.mime = "text/",
		.system = QS_SYS_ETCD,
		.summary = "server log: capnslog text or zap JSON",
		.paths = PATHS("etcd*.log", "etcd*.log.*", "etcd/*.log",
		    "etcd/*.log.*", "etcd*.out"),
		.sniff = qs_sniff_etcd_log,
		.parse = qs_parse_etcd_log,
	},
	{
		.name = "etcd.etcdctl_output",
		.system = QS_SYS_ETCD,
		.summary = "collected etcdctl member list, endpoint status or "
		    "endpoint health",
		.paths = PATHS("*member-list*", "*member_list*",
		    "*endpoint-status*", "*endpoint_status*", "etcdctl*",
		    "etcdctl/*", "*endpoint-health*", "*endpoint_health*",
		    "*cluster-health*", "*cluster_health*"),
		.sniff = qs_sniff_etcdctl,
		.parse = qs_parse_etcd_etcdctl,
	},
	{
		.name = "etcd.backup_dump",
		.mime = "application/json",
		.system = QS_SYS_ETCD,
		.summary = "etcd-backup key dump (dump.json)",
		.paths = PATHS("dump.json", "*etcd*dump*.json"),
		.sniff = qs_sniff_etcd_backup,
		.parse = qs_parse_etcd_dump,
	},
	{
		.name = "etcd.config",
		.system = QS_SYS_ETCD,
		.summary = "server configuration: EnvironmentFile, "
		    "etcd.conf.yml, systemd unit or kubeadm manifest",
		.paths = PATHS("default/etcd", "etcd.conf", "etcd.conf.yml",
		    "etcd.conf.yaml", "etcd.env", "etcd*.service",
		    "etcd*.service.d/*.conf", "manifests/etcd.yaml",
		    "manifests/etcd.yml"),
		.sniff = qs_sniff_etcd_config,
		.parse = qs_parse_etcd_config,
	},
	{
		.name = "zk.cfg",
		.mime = "text/",
		.system = QS_SYS_ZOOKEEPER,
		.summary = "server configuration (zoo.cfg, or Kafka's "
		    "zookeeper.properties)",
		.paths = PATHS("zoo.cfg", "zookeeper/*.cfg", "*.cfg",
		    "zookeeper.properties", "*zookeeper*.properties"),
		.sniff = qs_sniff_zk_cfg,
		.parse = qs_parse_zk_cfg,
	},
	{
		.name = "zk.dynamic_cfg",
		.system = QS_SYS_ZOOKEEPER,
		.summary = "dynamic reconfiguration membership file",
		.paths = PATHS("*.cfg.dynamic.*", "*.dynamic.*",
		    "*.cfg.dynamic"),
		.sniff = qs_sniff_zk_dynamic_cfg,
		.parse = qs_parse_zk_dynamic_cfg,
	},
	{
		.name = "zk.myid",
		.system = QS_SYS_ZOOKEEPER,
		.summary = "server id",
		.paths = PATHS("myid"),
		.sniff = qs_sniff_small_number,
		.parse = qs_parse_zk_myid,
	},
	{
		.name = "zk.epoch",
		.system = QS_SYS_ZOOKEEPER,
		.summary = "currentEpoch or acceptedEpoch",
		.paths = PATHS("currentEpoch", "acceptedEpoch",
		    "currentEpoch.tmp", "acceptedEpoch.tmp"),
		.sniff = qs_sniff_small_number,
		.parse = qs_parse_zk_epoch,
	},
	{
		.name = "zk.txnlog",
		.system = QS_SYS_ZOOKEEPER,
		.summary = "transaction log",
		.paths = PATHS("version-2/log.*", "log.*"),
		.magic = kinds_zk_txnlog,
		.parse = qs_parse_zk_txnlog,
	},
	{
		.name = "zk.snapshot",
		.system = QS_SYS_ZOOKEEPER,
		.summary = "fuzzy data tree snapshot",
		.paths = PATHS("version-2/snapshot.*", "snapshot.*"),
		.magic = kinds_zk_snapshot,
		.parse = qs_parse_zk_snapshot,
	},
	{
		.name = "zk.log",
		.mime = "text/",
		.system = QS_SYS_ZOOKEEPER,
		.summary = "server log (log4j or logback layout)",
		.paths = PATHS("zookeeper*.log", "zookeeper*.log.*",
		    "zookeeper/*.log", "zookeeper/*.log.*", "zookeeper*.out"),
		.sniff = qs_sniff_zk_log,
		.parse = qs_parse_zk_log,
	},
	{
		.name = "zk.fourletter_output",
		.system = QS_SYS_ZOOKEEPER,
		.summary = "collected srvr, stat, mntr, conf or zkServer.sh "
		    "status output, answered or refused",
		.paths = PATHS("*srvr*", "*mntr*", "*zk-stat*", "*zk_stat*",
		    "*zk-conf*", "*zk_conf*", "*4lw*", "*zk-ruok*",
		    "*zk_ruok*", "*zkServer*status*", "4lw/*"),
		.sniff = qs_sniff_zk_fourletter,
		.parse = qs_parse_zk_fourletter,
	},
	{
		.name = "triton.sapi_dump",
		.mime = "application/json",
		.system = QS_SYS_TRITON,
		.summary = "SAPI applications, services or instances",
		.paths = PATHS("*sapi*"),
		.sniff = qs_sniff_sapi,
		.parse = qs_parse_triton_sapi,
	},
	{
		.name = "triton.vmapi_dump",
		.mime = "application/json",
		.system = QS_SYS_TRITON,
		.summary = "VMAPI virtual machine objects",
		.paths = PATHS("*vmapi*", "*vms*.json"),
		.sniff = qs_sniff_vmapi,
		.parse = qs_parse_triton_vmapi,
	},
	{
		.name = "triton.role_list",
		.system = QS_SYS_TRITON,
		.summary = "sdc-role list output",
		.paths = PATHS("*role-list*", "*role_list*"),
		.sniff = qs_sniff_role_list,
		.parse = qs_parse_triton_role_list,
	},
};
const size_t qs_nkinds = sizeof(qs_kinds) / sizeof(qs_kinds[0]);

const char *
qs_system_name(enum qs_system s)
{
	switch (s) {
	case QS_SYS_NONE:
		return "none";
	case QS_SYS_CONSUL:
		return "consul";
	case QS_SYS_ETCD:
		return "etcd";
	case QS_SYS_ZOOKEEPER:
		return "zookeeper";
	case QS_SYS_TRITON:
		return "triton";
	}
	return "?";
}

const struct qs_kind *
qs_kind_find(const char *name)
{
	size_t	i;

	for (i = 0; i < qs_nkinds; i++)
		if (strcmp(qs_kinds[i].name, name) == 0)
			return &qs_kinds[i];
	return NULL;
}
