#!/usr/bin/env bash
# Write the hand-made `consul debug` archive testdata/bundles/consul-debug
# (.tar.gz and .README).  No Consul agent runs on this machine, so
# make-debug.py writes the files in the shapes of hashicorp/consul
# command/debug/debug.go.  Deterministic (fixed mtimes, sorted, gzip -n).
#
#   testdata/gen/consul-debug/run.sh
#
# Needs: python3, tar, gzip.
set -euo pipefail

GEN_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(cd "$GEN_DIR/../../.." && pwd)
OUT_DIR=${CONSUL_DEBUG_FIXTURE_OUT:-$TOP/testdata/bundles}
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

python3 "$GEN_DIR/make-debug.py" "$stage"
tar --sort=name --owner=0 --group=0 --numeric-owner \
    --mtime='2026-11-22 06:12:00Z' -C "$stage" -cf - consul-debug-2026-11-22T06-10-00Z |
	gzip -n -9 >"$OUT_DIR/consul-debug.tar.gz.tmp"
mv "$OUT_DIR/consul-debug.tar.gz.tmp" "$OUT_DIR/consul-debug.tar.gz"

cat >"$OUT_DIR/consul-debug.README" <<'TXT'
consul-debug -- one server's `consul debug` archive, hand-made
===============================================================

Provenance
  HAND-MADE by testdata/gen/consul-debug/make-debug.py (run by
  testdata/gen/consul-debug/run.sh): no Consul agent runs on this machine,
  so the files are written in the shapes hashicorp/consul
  command/debug/debug.go gives them (index.json, host.json, agent.json,
  members.json, listpeers.json, consul.log, metrics.json, profile.prof and
  one directory per interval with heap and goroutine profiles).  Names,
  addresses and the story are invented; profiles are placeholders.

Story
  Server consul-b (10.0.1.12) of a three-server datacenter dc1, collected
  at 2026-11-22T06:10:00Z (the archive directory's name) while consul-a
  had failed and consul-c had left: consul-b is a raft candidate at term
  9 with no leader, its list-peers capture is empty, and its disk is 95%
  used.

What it shows
  - The archive is one node, consul-b (agent.json's NodeName), not a
    node per interval directory.
  - Probes at collection time: consul-b answers but does not serve
    (candidate, no leader); serf says consul-a failed and consul-c left.
TXT
