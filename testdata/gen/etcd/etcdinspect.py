#!/usr/bin/env python3
"""Summarise one etcd 3.4 node directory of a generated fixture (stdlib only).

Used by run.sh to write the facts section of each bundle README and to check
that every scenario really produced what it claims.  Written for this project
from the layouts documented in /work/shared/formats.md (sections 1 and 5):
WAL framing, raftpb messages, .snap files and the bbolt backend.

usage: etcdinspect.py NODE_DIR [NODE_DIR ...]     -> JSON on stdout
"""
import json
import os
import re
import struct
import sys

MASK56 = (1 << 56) - 1


# ---------------------------------------------------------------- protobuf
def varint(buf, off):
    val = 0
    shift = 0
    while True:
        b = buf[off]
        off += 1
        val |= (b & 0x7F) << shift
        if not b & 0x80:
            return val, off
        shift += 7


def fields(buf):
    """Yield (field number, value) for a protobuf message (varint/bytes/fixed)."""
    off = 0
    while off < len(buf):
        key, off = varint(buf, off)
        num, wt = key >> 3, key & 7
        if wt == 0:
            val, off = varint(buf, off)
        elif wt == 2:
            ln, off = varint(buf, off)
            val = bytes(buf[off:off + ln])
            off += ln
        elif wt == 1:
            val = struct.unpack_from("<Q", buf, off)[0]
            off += 8
        elif wt == 5:
            val = struct.unpack_from("<I", buf, off)[0]
            off += 4
        else:
            raise ValueError("unsupported wire type %d" % wt)
        yield num, val


def msg(buf):
    out = {}
    for num, val in fields(buf):
        out.setdefault(num, []).append(val)
    return out


def one(m, num, default=0):
    v = m.get(num)
    return v[-1] if v else default


# ---------------------------------------------------------------- WAL
def _crc32c_table():
    tab = []
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
        tab.append(c)
    return tab


CRC32C_TABLE = _crc32c_table()


def crc32c_update(crc, data):
    """Continue a finalised CRC-32C value over data (Go crc32.Update semantics)."""
    c = crc ^ 0xFFFFFFFF
    for b in data:
        c = CRC32C_TABLE[(c ^ b) & 0xFF] ^ (c >> 8)
    return c ^ 0xFFFFFFFF


CONF_TYPES = {0: "AddNode", 1: "RemoveNode", 2: "UpdateNode", 3: "AddLearnerNode"}


def classify_normal(data):
    """Rough label of a normal entry: v2 Request or v3 InternalRaftRequest."""
    if not data:
        return "empty"
    try:
        m = msg(data)
    except (ValueError, IndexError, struct.error):
        return "undecodable"
    # v3 InternalRaftRequest always carries its header (field 100)
    for num, name in ((4, "v3-put"), (5, "v3-delete"), (6, "v3-txn"),
                      (7, "v3-compaction"), (8, "v3-lease-grant"),
                      (9, "v3-lease-revoke"), (10, "v3-alarm"),
                      (1300, "v3-cluster-version-set"),
                      (1301, "v3-member-attr-set")):
        if 100 in m and num in m:
            return name
    if 100 in m:
        return "v3-other"
    # v2 Request: 2 Method (string), 3 Path (string)
    if 2 in m and isinstance(m[2][0], bytes) and 3 in m:
        try:
            method = m[2][0].decode()
            path = m[3][0].decode()
        except UnicodeDecodeError:
            return "undecodable"
        if path.startswith("/0/members/") and path.endswith("/attributes"):
            return "v2-publish-attributes"
        if path == "/0/version":
            return "v2-cluster-version"
        return "v2-%s" % method
    return "other"


def wal_frames(data):
    """(offset, record bytes) of each record of one WAL file's contents: an
    8-byte little-endian length word (low 56 bits the length; with bit 63 set,
    bits 56-58 the padding after the record), up to the zero word of the
    preallocated tail."""
    off = 0
    while off + 8 <= len(data):
        lf = struct.unpack_from("<Q", data, off)[0]
        if lf == 0:
            return
        n = lf & MASK56
        pad = (lf >> 56) & 7 if lf & (1 << 63) else 0
        yield off, bytes(data[off + 8:off + 8 + n])
        off += 8 + n + pad


def read_wal(waldir):
    res = {"files": [], "metadata": None, "records": 0, "crc_errors": 0, "metadata_conflict": False,
           "hardstate": None, "snapshots": [], "entries": 0,
           "first_index": None, "last_index": None, "last_term": None,
           "conf_changes": [], "normal_kinds": {}, "crc_bad": []}
    try:
        names = sorted(n for n in os.listdir(waldir) if n.endswith(".wal"))
    except FileNotFoundError:
        return None
    entries = {}  # index -> (term, type, data); later index overwrites + truncates
    running = 0
    for name in names:
        path = os.path.join(waldir, name)
        with open(path, "rb") as fh:
            data = fh.read()
        res["files"].append({"name": name, "size": len(data)})
        for off, raw in wal_frames(data):
            rec = msg(raw)
            rtype = one(rec, 1)
            rdata = one(rec, 3, b"")
            rcrc = one(rec, 2)
            res["records"] += 1
            if rtype == 4:
                if running != 0 and rcrc != running:
                    res["crc_errors"] += 1
                running = rcrc
            else:
                # on a mismatch the computed chain goes on: a wrong stored CRC
                # shows as one bad record, not as every record after it
                running = crc32c_update(running, rdata)
                if rcrc != running:
                    res["crc_errors"] += 1
                    bad = {"file": name, "offset": off, "type": rtype,
                           "stored_crc": "%08x" % rcrc, "computed_crc": "%08x" % running}
                    if rtype == 2:
                        e = msg(rdata)
                        bad["index"], bad["term"] = one(e, 3), one(e, 2)
                    res["crc_bad"].append(bad)
            if rtype == 1:
                md = msg(rdata)
                meta = {"member_id": one(md, 1), "cluster_id": one(md, 2)}
                if res["metadata"] is None:
                    res["metadata"] = meta
                elif res["metadata"] != meta:
                    res["metadata_conflict"] = True
            elif rtype == 2:
                e = msg(rdata)
                idx = one(e, 3)
                for k in [k for k in entries if k >= idx]:
                    del entries[k]
                entries[idx] = (one(e, 2), one(e, 1), one(e, 4, b""))
            elif rtype == 3:
                hs = msg(rdata)
                if rdata:
                    res["hardstate"] = {"term": one(hs, 1), "vote": one(hs, 2),
                                        "commit": one(hs, 3)}
            elif rtype == 5:
                s = msg(rdata)
                res["snapshots"].append({"index": one(s, 1), "term": one(s, 2)})
    if entries:
        idxs = sorted(entries)
        res["entries"] = len(idxs)
        res["first_index"] = idxs[0]
        res["last_index"] = idxs[-1]
        res["last_term"] = entries[idxs[-1]][0]
        for i in idxs:
            term, etype, edata = entries[i]
            if etype == 1:
                cc = msg(edata)
                ctx = one(cc, 4, b"")
                item = {"index": i, "term": term,
                        "type": CONF_TYPES.get(one(cc, 2), one(cc, 2)),
                        "node_id": "%x" % one(cc, 3)}
                if ctx:
                    item["context"] = ctx.decode("utf-8", "replace")
                res["conf_changes"].append(item)
            elif etype == 0:
                k = classify_normal(edata)
                res["normal_kinds"][k] = res["normal_kinds"].get(k, 0) + 1
    return res


# ---------------------------------------------------------------- .snap
def read_snaps(snapdir):
    out = []
    try:
        names = sorted(n for n in os.listdir(snapdir) if n.endswith(".snap"))
    except FileNotFoundError:
        return out
    for name in names:
        with open(os.path.join(snapdir, name), "rb") as fh:
            outer = msg(fh.read())
        snap = msg(one(outer, 2, b""))
        meta = msg(one(snap, 2, b""))
        cs = msg(one(meta, 1, b""))
        item = {"name": name, "index": one(meta, 2), "term": one(meta, 3),
                "voters": ["%x" % v for v in cs.get(1, [])],
                "learners": ["%x" % v for v in cs.get(2, [])]}
        try:
            store = json.loads(one(snap, 1, b"{}"))
            zero = store["Root"]["Children"]["0"]["Children"]
            item["v2_members"] = sorted(zero.get("members", {}).get("Children", {}) or {})
            item["v2_removed_members"] = sorted(
                zero.get("removed_members", {}).get("Children", {}) or {})
            item["v2_top_dirs"] = sorted(store["Root"]["Children"])
        except (ValueError, KeyError, TypeError, AttributeError):
            item["v2_store"] = "unreadable"
        out.append(item)
    return out


# ---------------------------------------------------------------- bbolt
class Bolt:
    def __init__(self, path):
        with open(path, "rb") as fh:
            self.b = fh.read()
        metas = []
        psize = None
        for off in (0, 4096):
            meta = self._meta(off)
            if meta:
                psize = meta[2]
                break
        if psize is None:
            raise ValueError("no valid bolt meta page")
        self.psize = psize
        for off in (0, psize):
            meta = self._meta(off)
            if meta:
                metas.append(meta)
        self.root = max(metas)[1]

    def _meta(self, off):
        if off + 80 > len(self.b):
            return None
        magic, ver, psize = struct.unpack_from("<III", self.b, off + 16)
        if magic != 0xED0CDAED or ver != 2:
            return None
        root, _seq, _fl, _hw, txid = struct.unpack_from("<QQQQQ", self.b, off + 32)
        return (txid, root, psize)

    def page(self, pgid):
        return pgid * self.psize

    def leaf_items(self, base, depth=0):
        """Yield (flags, key, value) of the tree whose root page starts at byte base."""
        if depth > 32:
            return
        flags, count = struct.unpack_from("<HH", self.b, base + 8)
        for i in range(count):
            el = base + 16 + 16 * i
            if flags & 0x01:
                pos, ksize, child = struct.unpack_from("<IIQ", self.b, el)
                yield from self.leaf_items(self.page(child), depth + 1)
            elif flags & 0x02:
                fl, pos, ksize, vsize = struct.unpack_from("<IIII", self.b, el)
                k = self.b[el + pos:el + pos + ksize]
                v = self.b[el + pos + ksize:el + pos + ksize + vsize]
                yield fl, k, v

    def bucket(self, name):
        for fl, k, v in self.leaf_items(self.page(self.root)):
            if fl & 1 and k == name:
                root = struct.unpack_from("<Q", v, 0)[0]
                if root == 0:  # inline bucket: page image follows the header
                    sub = Bolt.__new__(Bolt)
                    sub.b, sub.psize = bytes(v[16:]), self.psize
                    return list(sub.leaf_items(0))
                return list(self.leaf_items(self.page(root)))
        return None


def read_db(path):
    if not os.path.exists(path):
        return None
    db = Bolt(path)
    out = {"size": os.path.getsize(path), "members": [], "members_removed": []}
    for _fl, k, v in db.bucket(b"members") or []:
        text = v.decode("utf-8", "replace")
        m = re.search(r'"id":(\d+)', text)
        try:
            js = json.loads(text)
        except ValueError:
            js = {}
        out["members"].append({"key": k.decode(), "id_decimal": m.group(1) if m else None,
                               "name": js.get("name", ""), "peerURLs": js.get("peerURLs"),
                               "clientURLs": js.get("clientURLs"),
                               "isLearner": js.get("isLearner", False)})
    for _fl, k, v in db.bucket(b"members_removed") or []:
        out["members_removed"].append({"key": k.decode(), "value": v.decode("utf-8", "replace")})
    for _fl, k, v in db.bucket(b"meta") or []:
        if k == b"consistent_index" and len(v) == 8:
            out["consistent_index"] = struct.unpack(">Q", v)[0]
    for _fl, k, v in db.bucket(b"cluster") or []:
        out.setdefault("cluster", {})[k.decode()] = v.decode("utf-8", "replace")
    keys = db.bucket(b"key") or []
    out["mvcc_revisions"] = len(keys)
    return out


# ---------------------------------------------------------------- logs
LEADER_RE = re.compile(r"([0-9a-f]+) became leader at term (\d+)")
CAND_RE = re.compile(r"([0-9a-f]+) became candidate at term (\d+)")
PATTERNS = {
    "cluster_id_mismatch": "request cluster ID mismatch",
    "sent_ignored_mismatch": "cluster ID mismatch",
    "permanently_removed": "the member has been permanently removed from the cluster",
    "data_dir_must_be_removed": "data-dir used by this member must be removed",
    "already_bootstrapped": "has already been bootstrapped",
    "removed_peer_rejected": "because it was removed",
    "reject_removed_member": "reject message from removed member",
    "force_new_cluster": "force",
    "panic": "panic",
    "lost_leader": "lost leader",
}


def read_log(path):
    if not os.path.exists(path):
        return None
    out = {"lines": 0, "json_lines": 0, "text_lines": 0, "raft_text_lines": 0,
           "became_leader": [], "max_candidate_term": 0, "starts": 0,
           "counts": {k: 0 for k in PATTERNS}}
    with open(path, "r", errors="replace") as fh:
        for line in fh:
            out["lines"] += 1
            if line.startswith("{"):
                out["json_lines"] += 1
            elif line.startswith("raft2"):
                out["raft_text_lines"] += 1
            else:
                out["text_lines"] += 1
            if re.search(r"etcdmain: etcd Version|\"etcd-version\"", line):
                out["starts"] += 1
            m = LEADER_RE.search(line)
            if m:
                out["became_leader"].append({"id": m.group(1), "term": int(m.group(2)),
                                             "start": out["starts"]})
            m = CAND_RE.search(line)
            if m:
                out["max_candidate_term"] = max(out["max_candidate_term"], int(m.group(2)))
            for k, pat in PATTERNS.items():
                if pat in line:
                    out["counts"][k] += 1
    return out


def read_json(path):
    try:
        with open(path) as fh:
            text = fh.read()
    except FileNotFoundError:
        return None
    try:
        # keep 64-bit ids exact: parse integers as int (python does by default)
        return json.loads(text)
    except ValueError:
        return {"unparsed": text.strip()[:400]}


def read_env(path):
    out = {}
    try:
        with open(path) as fh:
            for line in fh:
                m = re.match(r'^([A-Z0-9_]+)="?(.*?)"?$', line.strip())
                if m:
                    out[m.group(1)] = m.group(2)
    except FileNotFoundError:
        return None
    return out


def inspect(node):
    lib = os.path.join(node, "var/lib/etcd/member")
    return {
        "config": read_env(os.path.join(node, "etc/default/etcd")),
        "node": os.path.basename(node.rstrip("/")),
        "wal": read_wal(os.path.join(lib, "wal")),
        "wal_dir_listing": sorted(os.listdir(os.path.join(lib, "wal")))
        if os.path.isdir(os.path.join(lib, "wal")) else None,
        "snaps": read_snaps(os.path.join(lib, "snap")),
        "db": read_db(os.path.join(lib, "snap/db")),
        "log": read_log(os.path.join(node, "var/log/etcd/etcd.log")),
        "endpoint_status": read_json(os.path.join(node, "etcdctl/endpoint-status.json")),
        "member_list": read_json(os.path.join(node, "etcdctl/member-list.json")),
    }


def main(argv):
    json.dump([inspect(d) for d in argv[1:]], sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv)
