#!/usr/bin/env bash
# Write the hand-written Triton-only bundle testdata/bundles/triton-ghosts
# (.tar.gz and .README): formats.md 7.4 ghost-instance cases 2-4.  No
# software runs here: Triton's SAPI and VMAPI cannot run on this machine, so
# the dumps and the zone files config-agent would render are written by
# make-ghosts.py.  Deterministic (fixed mtimes, sorted, gzip -n).
#
#   testdata/gen/triton/run.sh
#
# Needs: python3, tar, gzip.
set -euo pipefail

GEN_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TOP=$(cd "$GEN_DIR/../../.." && pwd)
OUT_DIR=${TRITON_FIXTURE_OUT:-$TOP/testdata/bundles}
stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT

python3 "$GEN_DIR/make-ghosts.py" "$stage"
tar --sort=name --owner=0 --group=0 --numeric-owner \
    --mtime='2026-11-22 00:00:00Z' -C "$stage" -cf - triton-ghosts |
	gzip -n -9 >"$OUT_DIR/triton-ghosts.tar.gz.tmp"
mv "$OUT_DIR/triton-ghosts.tar.gz.tmp" "$OUT_DIR/triton-ghosts.tar.gz"

{
	cat <<'TXT'
triton-ghosts -- formats.md 7.4 ghost-instance cases 2-4 (Triton binder)
=========================================================================

Provenance
  Entirely HAND-WRITTEN by testdata/gen/triton/make-ghosts.py (run by
  testdata/gen/triton/run.sh): no software on this machine produces SAPI or
  VMAPI dumps, and the zone files are what binder's config-agent templates
  (sapi_manifests/zookeeper, zookeeper_id) would render from them.  Shapes
  follow seed 004 and the SAPI/VMAPI objects of formats.md section 7; uuids,
  addresses and the story are invented, and several faults are combined in
  one bundle to exercise each case; it is not one real incident.

Files
  sdc-sapi-applications.json  "sdc-sapi /applications?name=sdc" body
  sdc-sapi-services.json      "sdc-sapi /services?application_uuid=<sdc>" body
                              (binder, manatee, moray)
  sdc-sapi-instances.json     "sdc-sapi /instances?service_uuid=<binder>" body
  vmapi-vms.json              "sdc-vmapi /vms?owner_uuid=<admin>" body (destroyed included)
  binderN/opt/local/etc/zookeeper/zoo.cfg, binderN/zookeeper/zookeeper/myid
                              rendered zone files of binder0, binder1, binder3

Facts (the analyzer should find all of these)
TXT
	python3 "$GEN_DIR/make-ghosts.py" --facts
} >"$OUT_DIR/triton-ghosts.README"
echo "wrote $OUT_DIR/triton-ghosts.tar.gz"
