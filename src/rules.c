/*
 * The table of rules, in the order they run (the order findings of equal
 * severity are listed in does not depend on it: analysis.c sorts).  A
 * rule id is never reused; a retired rule keeps its place as a comment.
 */
#include "config.h"

#include <stddef.h>

#include "quorumscope.h"

extern const struct qs_rule qs_rule_consul_peers_empty;
extern const struct qs_rule qs_rule_consul_peers_differ;
extern const struct qs_rule qs_rule_consul_stale_peer;
extern const struct qs_rule qs_rule_consul_peers_recovery;
extern const struct qs_rule qs_rule_consul_removed_server;
extern const struct qs_rule qs_rule_consul_multiple_bootstrap;
extern const struct qs_rule qs_rule_consul_expect_mismatch;
extern const struct qs_rule qs_rule_consul_majority_left;
extern const struct qs_rule qs_rule_consul_leave_hazard;
extern const struct qs_rule qs_rule_consul_split_brain;
extern const struct qs_rule qs_rule_consul_stale_leader;
extern const struct qs_rule qs_rule_consul_no_leader;
extern const struct qs_rule qs_rule_consul_duplicate_node_id;
extern const struct qs_rule qs_rule_consul_name_conflict;
extern const struct qs_rule qs_rule_consul_gossip_key;
extern const struct qs_rule qs_rule_consul_term_ahead;
extern const struct qs_rule qs_rule_consul_removed_campaigns;
extern const struct qs_rule qs_rule_zk_stale_address;
extern const struct qs_rule qs_rule_zk_cfg_differ;
extern const struct qs_rule qs_rule_zk_myid_missing;
extern const struct qs_rule qs_rule_zk_removed_member_present;
extern const struct qs_rule qs_rule_zk_no_quorum;
extern const struct qs_rule qs_rule_zk_split_brain;
extern const struct qs_rule qs_rule_zk_duplicate_myid;
extern const struct qs_rule qs_rule_zk_standalone;
extern const struct qs_rule qs_rule_zk_epoch_mismatch;
extern const struct qs_rule qs_rule_zk_slow_fsync;
extern const struct qs_rule qs_rule_zk_ensemble_size;
extern const struct qs_rule qs_rule_triton_zk_servers_mismatch;
extern const struct qs_rule qs_rule_triton_ghost_instance;
extern const struct qs_rule qs_rule_triton_zk_servers_invalid;
extern const struct qs_rule qs_rule_triton_zk_servers_copies;
extern const struct qs_rule qs_rule_etcd_cluster_id_mismatch;
extern const struct qs_rule qs_rule_etcd_removed_member_present;
extern const struct qs_rule qs_rule_etcd_unstarted_member;
extern const struct qs_rule qs_rule_etcd_quorum_loss;
extern const struct qs_rule qs_rule_etcd_election_storm;
extern const struct qs_rule qs_rule_etcd_bootstrap_conflict;
extern const struct qs_rule qs_rule_etcd_clock_drift;
/* After the storm and quorum-loss rules: it names their findings. */
extern const struct qs_rule qs_rule_etcd_slow_disk;
extern const struct qs_rule qs_rule_etcd_membership_differ;
extern const struct qs_rule qs_rule_etcd_split_brain;
extern const struct qs_rule qs_rule_etcd_follower_behind;
extern const struct qs_rule qs_rule_etcd_store_differ;
/* After the etcd rules above: their findings become consequences. */
extern const struct qs_rule qs_rule_etcd_fnc_left;
extern const struct qs_rule qs_rule_etcd_token_differ;
extern const struct qs_rule qs_rule_etcd_peer_url_moved;
extern const struct qs_rule qs_rule_etcd_restore_rollback;
/* Last of each system: they name the other findings as causes. */
extern const struct qs_rule qs_rule_consul_crash_loop;
extern const struct qs_rule qs_rule_zk_crash_loop;
extern const struct qs_rule qs_rule_etcd_crash_loop;

const struct qs_rule *const qs_rules[] = {
	&qs_rule_consul_peers_empty,
	&qs_rule_consul_peers_differ,
	&qs_rule_consul_stale_peer,
	&qs_rule_consul_peers_recovery,
	&qs_rule_consul_removed_server,
	&qs_rule_consul_multiple_bootstrap,
	&qs_rule_consul_expect_mismatch,
	&qs_rule_consul_majority_left,
	&qs_rule_consul_leave_hazard,
	&qs_rule_consul_split_brain,
	&qs_rule_consul_stale_leader,
	&qs_rule_consul_no_leader,
	&qs_rule_consul_duplicate_node_id,
	&qs_rule_consul_name_conflict,
	&qs_rule_consul_gossip_key,
	&qs_rule_consul_term_ahead,
	&qs_rule_consul_removed_campaigns,
	&qs_rule_zk_stale_address,
	&qs_rule_zk_cfg_differ,
	&qs_rule_zk_myid_missing,
	&qs_rule_zk_removed_member_present,
	&qs_rule_zk_no_quorum,
	&qs_rule_zk_split_brain,
	&qs_rule_zk_duplicate_myid,
	&qs_rule_zk_standalone,
	&qs_rule_zk_epoch_mismatch,
	&qs_rule_zk_slow_fsync,		/* after the rules it contributes to */
	&qs_rule_zk_ensemble_size,
	&qs_rule_triton_zk_servers_mismatch,
	&qs_rule_triton_ghost_instance,
	&qs_rule_triton_zk_servers_invalid,
	&qs_rule_triton_zk_servers_copies,
	&qs_rule_etcd_cluster_id_mismatch,
	&qs_rule_etcd_removed_member_present,
	&qs_rule_etcd_unstarted_member,
	&qs_rule_etcd_election_storm,
	&qs_rule_etcd_bootstrap_conflict,
	&qs_rule_etcd_clock_drift,
	&qs_rule_etcd_slow_disk,
	&qs_rule_etcd_membership_differ,
	&qs_rule_etcd_split_brain,
	&qs_rule_etcd_follower_behind,
	&qs_rule_etcd_store_differ,
	&qs_rule_etcd_fnc_left,
	&qs_rule_etcd_token_differ,
	&qs_rule_etcd_peer_url_moved,
	&qs_rule_etcd_restore_rollback,
	&qs_rule_consul_crash_loop,
	&qs_rule_zk_crash_loop,
	&qs_rule_etcd_crash_loop,
	&qs_rule_etcd_quorum_loss,	/* after the findings it links */
	NULL
};
