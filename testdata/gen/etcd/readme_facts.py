#!/usr/bin/env python3
"""Render the 'facts' part of a bundle README from etcdinspect.py JSON.

usage: readme_facts.py FACTS.json SCENARIO "REMOVED_SPARE_FILES"
"""
import json
import sys


def hexid(v):
    return "%x" % v if isinstance(v, int) else str(v)


def both(v):
    return "%x (decimal %d)" % (v, v)


def main():
    nodes = json.load(open(sys.argv[1]))
    scenario = sys.argv[2]
    spares = [s for s in sys.argv[3].split("\n") if s] if len(sys.argv) > 3 else []

    names = {}  # hex id -> name, from every source we have
    for n in nodes:
        md = (n.get("wal") or {}).get("metadata")
        if md:
            names[hexid(md["member_id"])] = n["node"]
    for n in nodes:
        for m in (n.get("db") or {}).get("members", []):
            if m.get("name"):
                names.setdefault(m["key"], m["name"])
        ml = n.get("member_list") or {}
        for m in ml.get("members", []) if isinstance(ml, dict) else []:
            if m.get("name"):
                names.setdefault(hexid(m["ID"]), m["name"])

    def nm(hx):
        return "%s(%s)" % (hx, names[hx]) if hx in names else hx

    out = []
    w = out.append
    w("Facts a test should find (read back from the bundle's own files by")
    w("testdata/gen/etcd/etcdinspect.py after the run; ids: hex as in logs / decimal as in JSON)")
    w("-" * 78)
    for n in nodes:
        cfg = n.get("config") or {}
        w("")
        w("%s/%s" % (scenario, n["node"]))
        if cfg:
            w("  config (etc/default/etcd): peer %s  client %s  token %s  state %s  logger %s"
              % (cfg.get("ETCD_INITIAL_ADVERTISE_PEER_URLS"), cfg.get("ETCD_ADVERTISE_CLIENT_URLS"),
                 cfg.get("ETCD_INITIAL_CLUSTER_TOKEN"), cfg.get("ETCD_INITIAL_CLUSTER_STATE"),
                 "zap (JSON)" if cfg.get("ETCD_LOGGER") == "zap" else "capnslog (3.4 default, text)"))
            extra = {k: v for k, v in cfg.items() if k in ("ETCD_SNAPSHOT_COUNT", "ETCD_ENABLE_V2")}
            if extra:
                w("  config extra: %s" % ", ".join("%s=%s" % kv for kv in sorted(extra.items())))
        wal = n.get("wal")
        if not wal:
            w("  data dir: no WAL (member/wal absent)")
        else:
            md = wal["metadata"]
            if md:
                w("  WAL metadata: member id %s, cluster id %s"
                  % (both(md["member_id"]), both(md["cluster_id"])))
            if wal["metadata_conflict"]:
                w("  WAL metadata CONFLICT between records")
            w("  WAL records: %d, CRC-32C chain %s" % (
                wal["records"], "valid" if not wal["crc_errors"] else "%d ERRORS" % wal["crc_errors"]))
            w("  WAL files: %s" % ", ".join("%s (%d bytes)" % (f["name"], f["size"]) for f in wal["files"]))
            w("  wal dir listing as bundled: %s" % ", ".join(n["wal_dir_listing"] or []))
            hs = wal["hardstate"]
            if hs:
                w("  final HardState: term %d, vote %s, commit %d"
                  % (hs["term"], nm(hexid(hs["vote"])) if hs["vote"] else "0 (none)", hs["commit"]))
            w("  entries: %s..%s (%d distinct indexes), last entry term %s"
              % (wal["first_index"], wal["last_index"], wal["entries"], wal["last_term"]))
            w("  WAL snapshot records (index/term): %s"
              % ", ".join("%d/%d" % (s["index"], s["term"]) for s in wal["snapshots"]))
            w("  normal entry kinds: %s" % ", ".join(
                "%s=%d" % kv for kv in sorted(wal["normal_kinds"].items())))
            for cc in wal["conf_changes"]:
                w("  conf change: index %d term %d %s %s" % (cc["index"], cc["term"], cc["type"], nm(cc["node_id"])))
        for s in n.get("snaps") or []:
            w("  snap %s: index %d term %d voters [%s] learners [%s]; v2 store /0/members [%s] /0/removed_members [%s]"
              % (s["name"], s["index"], s["term"], " ".join(map(nm, s["voters"])),
                 " ".join(map(nm, s["learners"])), " ".join(s.get("v2_members", [])),
                 " ".join(s.get("v2_removed_members", []))))
            if s.get("v2_top_dirs"):
                w("       v2 store top-level dirs: %s" % " ".join(s["v2_top_dirs"]))
        db = n.get("db")
        if db:
            w("  backend db (member/snap/db, %d bytes): consistent_index %s, clusterVersion %s, %d mvcc revisions"
              % (db["size"], db.get("consistent_index"), (db.get("cluster") or {}).get("clusterVersion"),
                 db["mvcc_revisions"]))
            for m in db["members"]:
                w("    members[%s] = id %s name %r peerURLs %s clientURLs %s%s"
                  % (m["key"], m["id_decimal"], m["name"], m["peerURLs"], m["clientURLs"],
                     " (learner)" if m["isLearner"] else ""))
            for m in db["members_removed"]:
                w("    members_removed[%s] = %r" % (m["key"], m["value"]))
        st = n.get("endpoint_status")
        if isinstance(st, list) and st:
            s0 = st[0].get("Status", {})
            hdr = s0.get("header", {})
            w("  etcdctl endpoint status: member %s cluster %s leader %s raft_term %s raft_index %s"
              " raftAppliedIndex %s dbSize %s%s"
              % (nm(hexid(hdr.get("member_id"))), hexid(hdr.get("cluster_id")),
                 nm(hexid(s0["leader"])) if s0.get("leader") else "(absent)",
                 s0.get("raft_term", hdr.get("raft_term")), s0.get("raftIndex"),
                 s0.get("raftAppliedIndex"), s0.get("dbSize"),
                 "; errors %s" % s0["errors"] if s0.get("errors") else ""))
        elif st is not None:
            w("  etcdctl endpoint status: FAILED: %s" % (st.get("unparsed", "")[-160:].replace("\n", " | ")))
        ml = n.get("member_list")
        if isinstance(ml, dict) and "members" in ml:
            w("  etcdctl member list: cluster %s, %d members: %s"
              % (hexid(ml["header"]["cluster_id"]), len(ml["members"]),
                 "; ".join("%s %s%s" % (hexid(m["ID"]), m.get("name") or "(unstarted: no name)",
                                        " learner" if m.get("isLearner") else "")
                           for m in ml["members"])))
        elif ml is not None:
            w("  etcdctl member list: FAILED: %s" % (ml.get("unparsed", "")[-160:].replace("\n", " | ")))
        lg = n.get("log")
        if lg:
            kinds = []
            if lg["json_lines"]:
                kinds.append("%d zap JSON" % lg["json_lines"])
            if lg["text_lines"]:
                kinds.append("%d text" % lg["text_lines"])
            if lg["raft_text_lines"]:
                kinds.append("%d raft-logger text" % lg["raft_text_lines"])
            w("  log var/log/etcd/etcd.log: %d lines (%s), %d etcd start(s)"
              % (lg["lines"], ", ".join(kinds), lg["starts"]))
            if lg["became_leader"]:
                w("    'became leader at term': %s" % ", ".join(
                    "%s@%d%s" % (nm(b["id"]), b["term"],
                                 " (etcd start #%d)" % b["start"] if lg["starts"] > 1 else "")
                    for b in lg["became_leader"]))
            if lg["max_candidate_term"]:
                w("    highest 'became candidate at term': %d" % lg["max_candidate_term"])
            c = {k: v for k, v in lg["counts"].items() if v and k != "force_new_cluster"}
            if c:
                w("    notable line counts: %s" % ", ".join("%s=%d" % kv for kv in sorted(c.items())))
    # leaders per term, per cluster id
    w("")
    w("Leaders by term (from 'became leader at term' lines of all logs; when a log")
    w("holds several etcd starts, the start number of the line is given):")
    seen = {}
    for n in nodes:
        lg = n.get("log") or {}
        for b in lg.get("became_leader", []):
            tag = nm(b["id"])
            if lg.get("starts", 0) > 1:
                tag += " (start #%d of %s)" % (b["start"], n["node"])
            seen.setdefault(b["term"], set()).add(tag)
    for t in sorted(seen):
        w("  term %d: %s" % (t, ", ".join(sorted(seen[t]))))
    if spares:
        w("")
        w("Removed from the bundle to keep it small: preallocated all-zero WAL spare segments")
        w("(etcd deletes/recreates them itself; they hold no records). Listed in collect.txt:")
        for s in spares:
            w("  " + s)
    print("\n".join(out))


if __name__ == "__main__":
    main()
