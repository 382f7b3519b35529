#!/usr/bin/env python3
"""Write the bundle-container fixtures into testdata/archives/.

These fixtures exercise how quorumscope's bundle reader copes with archive
*shapes* (formats, nesting, damage, hostile names, size guards); the member
files are tiny hand-written stand-ins with realistic names and shapes.
See testdata/archives/README for what each output holds and what the
reader is expected to do with it.

Deterministic: fixed mtimes, sorted names, uid/gid 0, gzip header mtime 0
(except where a gzip'd *member* imitates gzip(1) and records a name and a
fixed mtime), fixed zip timestamps.  Standard library only.

Usage: python3 testdata/gen/archives/make.py [OUTDIR]
(default OUTDIR: testdata/archives next to this script's parent).
"""

import bz2
import gzip
import hashlib
import io
import lzma
import os
import shutil
import signal
import struct
import sys
import tarfile
import tempfile
import time
import zipfile

MTIME = 1714564800              # 2024-05-01 12:00:00 UTC
ZIP_DATE = (2024, 5, 1, 12, 0, 0)
TOP = "collect-2024-05-01"
KiB = 1024
MiB = 1024 * KiB
GiB = 1024 * MiB


# --------------------------------------------------------------------------
# etcd WAL records (framing and payloads as etcd 3.4 writes them; the
# encoder below reproduces the first records of a WAL written by etcd 3.4.23
# byte for byte, member and cluster ids included).

def _crc32c_table():
    table = []
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
        table.append(c)
    return table


_CRC32C = _crc32c_table()


def crc32c(data, crc=0):
    crc ^= 0xFFFFFFFF
    for b in data:
        crc = _CRC32C[(crc ^ b) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


def varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def pb_varint(field, n):
    return varint(field << 3) + varint(n)


def pb_bytes(field, b):
    return varint(field << 3 | 2) + varint(len(b)) + b


def etcd_member_id(peer_urls, token):
    b = "".join(sorted(peer_urls)).encode() + token.encode()
    return struct.unpack(">Q", hashlib.sha1(b).digest()[:8])[0]


def etcd_cluster_id(member_ids):
    b = b"".join(struct.pack(">Q", m) for m in sorted(member_ids))
    return struct.unpack(">Q", hashlib.sha1(b).digest()[:8])[0]


class Wal:
    """walpb.Record frames with the running CRC-32C."""

    def __init__(self):
        self.out = bytearray()
        self.crc = 0

    def _frame(self, rtype, crc, data):
        rec = pb_varint(1, rtype) + pb_varint(2, crc)
        if data is not None:
            rec += pb_bytes(3, data)
        n = len(rec)
        pad = (8 - n % 8) % 8
        lenfield = n | (((0x80 | pad) << 56) if pad else 0)
        self.out += struct.pack("<Q", lenfield) + rec + b"\0" * pad

    def crc_record(self):
        self._frame(4, self.crc, None)

    def record(self, rtype, data):
        self.crc = crc32c(data, self.crc)
        self._frame(rtype, self.crc, data)


ETCD_TOKEN = "etcd-cluster"
ETCD_PEERS = {
    "node1": "http://127.0.0.31:2380",
    "node2": "http://127.0.0.32:2380",
    "node3": "http://127.0.0.33:2380",
}
ETCD_IDS = {n: etcd_member_id([u], ETCD_TOKEN) for n, u in ETCD_PEERS.items()}
ETCD_CID = etcd_cluster_id(ETCD_IDS.values())


def etcd_wal_node3():
    """First file of node3's WAL: bootstrap of a 3-member cluster at term 1,
    then node1 elected in term 2 (node3 voted for it), commit 4."""
    w = Wal()
    w.crc_record()
    w.record(1, pb_varint(1, ETCD_IDS["node3"]) + pb_varint(2, ETCD_CID))
    w.record(5, pb_varint(1, 0) + pb_varint(2, 0))
    index = 0
    for name, mid in sorted(ETCD_IDS.items(), key=lambda kv: kv[1]):
        index += 1
        ctx = ('{"id":%d,"peerURLs":["%s"],"name":"%s"}'
               % (mid, ETCD_PEERS[name], name)).encode()
        cc = pb_varint(1, 0) + pb_varint(2, 0) + pb_varint(3, mid) \
            + pb_bytes(4, ctx)
        w.record(2, pb_varint(1, 1) + pb_varint(2, 1) + pb_varint(3, index)
                 + pb_bytes(4, cc))
    w.record(3, pb_varint(1, 1) + pb_varint(2, 0) + pb_varint(3, index))
    index += 1
    w.record(2, pb_varint(1, 0) + pb_varint(2, 2) + pb_varint(3, index))
    w.record(3, pb_varint(1, 2) + pb_varint(2, ETCD_IDS["node1"])
             + pb_varint(3, index))
    return bytes(w.out)


# --------------------------------------------------------------------------
# A small valid BoltDB file (format version 2, 4096-byte pages) shaped like
# a raft-boltdb store: root leaf with inline buckets "conf" (CurrentTerm = 3)
# and "logs" (empty).

def _fnv1a64(data):
    h = 0xCBF29CE484222325
    for b in data:
        h = ((h ^ b) * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def _bolt_meta(pgid, txid, psize, root, freelist, hwm):
    body = struct.pack("<IIIIQQQQQ", 0xED0CDAED, 2, psize, 0, root, 0,
                       freelist, hwm, txid)
    page = struct.pack("<QHHI", pgid, 0x04, 0, 0) + body \
        + struct.pack("<Q", _fnv1a64(body))
    return page.ljust(psize, b"\0")


def _bolt_leaf(items, pgid=0):
    """items: list of (flags, key, value); returns page bytes (unpadded)."""
    hdr = struct.pack("<QHHI", pgid, 0x02, len(items), 0)
    elems = b""
    data = b""
    base = 16 + 16 * len(items)
    for i, (flags, key, value) in enumerate(items):
        pos = base + len(data) - (16 + 16 * i)
        elems += struct.pack("<IIII", flags, pos, len(key), len(value))
        data += key + value
    return hdr + elems + data


def bolt_raft_db():
    psize = 4096
    conf_inline = _bolt_leaf([(0, b"CurrentTerm", struct.pack(">Q", 3))])
    logs_inline = _bolt_leaf([])
    bucket_hdr = struct.pack("<QQ", 0, 0)   # root 0 = inline, sequence 0
    root = _bolt_leaf([(1, b"conf", bucket_hdr + conf_inline),
                       (1, b"logs", bucket_hdr + logs_inline)], pgid=3)
    freelist = struct.pack("<QHHI", 2, 0x10, 0, 0)
    return (_bolt_meta(0, 2, psize, 3, 2, 4)
            + _bolt_meta(1, 1, psize, 3, 2, 4)
            + freelist.ljust(psize, b"\0")
            + root.ljust(psize, b"\0"))


# --------------------------------------------------------------------------
# Member files.

ZOO_CFG = b"""\
tickTime=2000
initLimit=10
syncLimit=5
dataDir=/zookeeper/zookeeper
clientPort=2181
autopurge.snapRetainCount=3
autopurge.purgeInterval=24
server.1=127.0.0.51:2888:3888
server.2=127.0.0.52:2888:3888
server.3=127.0.0.53:2888:3888
"""

_ZT = "QuorumPeer[myid=1](plain=127.0.0.51:2181)(secure=disabled)"
ZK_LOG = ("""\
2024-05-01 12:00:00,101 [myid:] - INFO  [main:QuorumPeerConfig@174] - Reading configuration from: /opt/local/etc/zookeeper/zoo.cfg
2024-05-01 12:00:00,118 [myid:1] - INFO  [main:QuorumPeerMain@149] - Starting quorum peer, myid=1
2024-05-01 12:00:00,123 [myid:1] - INFO  [{t}:QuorumPeer@1371] - LOOKING
2024-05-01 12:00:00,125 [myid:1] - INFO  [{t}:FastLeaderElection@944] - New election. My id = 1, proposed zxid=0x100000002
2024-05-01 12:00:00,342 [myid:1] - INFO  [{t}:QuorumPeer@1465] - LEADING
2024-05-01 12:00:00,350 [myid:1] - INFO  [{t}:Leader@581] - LEADING - LEADER ELECTION TOOK - 227 MS
2024-05-01 12:00:00,612 [myid:1] - INFO  [{t}:Leader@1577] - Have quorum of supporters, sids: [[1, 2],[1, 2]]; starting up and setting last processed zxid: 0x200000000
""").replace("{t}", _ZT).encode()

CONSUL_JSON = b"""\
{
  "datacenter": "dc1",
  "data_dir": "/consul/data",
  "node_name": "node2",
  "server": true,
  "bootstrap_expect": 3,
  "bind_addr": "127.0.0.12",
  "client_addr": "127.0.0.1",
  "retry_join": ["127.0.0.11", "127.0.0.13"],
  "log_level": "INFO"
}
"""

CONSUL_LOG = b"""\
==> Starting Consul agent...
==> Starting Consul agent RPC...
==> Consul agent running!
         Node name: 'node2'
        Datacenter: 'dc1'
            Server: true (bootstrap: false)
       Client Addr: 127.0.0.1 (HTTP: 8500, HTTPS: -1, DNS: 8600, RPC: 8400)
      Cluster Addr: 127.0.0.12 (LAN: 8301, WAN: 8302)

==> Log data will now stream in as it occurs:

    2024/05/01 12:00:01 [INFO] raft: Node at 127.0.0.12:8300 [Follower] entering Follower state
    2024/05/01 12:00:01 [INFO] serf: EventMemberJoin: node2 127.0.0.12
    2024/05/01 12:00:01 [INFO] consul: adding LAN server node2 (Addr: 127.0.0.12:8300) (DC: dc1)
    2024/05/01 12:00:02 [INFO] agent: (LAN) joining: [127.0.0.11 127.0.0.13]
    2024/05/01 12:00:02 [INFO] serf: EventMemberJoin: node3 127.0.0.13
    2024/05/01 12:00:02 [INFO] consul: adding LAN server node3 (Addr: 127.0.0.13:8300) (DC: dc1)
    2024/05/01 12:00:02 [INFO] agent: (LAN) joined: 1 Err: <nil>
    2024/05/01 12:00:03 [WARN] raft: Heartbeat timeout reached, starting election
    2024/05/01 12:00:03 [INFO] raft: Node at 127.0.0.12:8300 [Candidate] entering Candidate state
    2024/05/01 12:00:03 [INFO] raft: Election won. Tally: 2
    2024/05/01 12:00:03 [INFO] raft: Node at 127.0.0.12:8300 [Leader] entering Leader state
    2024/05/01 12:00:03 [INFO] consul: cluster leadership acquired
    2024/05/01 12:00:03 [INFO] consul: New leader elected: node2
"""

CONSUL_LOG_1 = b"""\
    2024/04/30 23:58:59 [INFO] memberlist: Suspect node1 has failed, no acks received
    2024/04/30 23:59:03 [INFO] serf: EventMemberFailed: node1 127.0.0.11
    2024/04/30 23:59:03 [INFO] consul: removing LAN server node1 (Addr: 127.0.0.11:8300) (DC: dc1)
    2024/04/30 23:59:04 [WARN] raft: Failed to contact 127.0.0.11:8300 in 500.118322ms
    2024/04/30 23:59:05 [INFO] raft: Removed peer 127.0.0.11:8300, stopping replication (Index: 1207)
    2024/04/30 23:59:06 [INFO] consul: member 'node1' failed, marking health critical
"""


def _consul_log_flapping(target=200 * KiB):
    """CONSUL_LOG followed by hours of node1 flapping (serf reconnects, then
    fails again), deterministic, about `target` bytes: big enough that the
    gzip'd bundle spans several 64 KiB decompression blocks, so cutting or
    damaging it in the middle leaves whole entries readable before the cut."""
    out = [CONSUL_LOG]
    size = len(CONSUL_LOG)
    t = MTIME + 3
    n = 0
    cycle = (
        (0, "[INFO] serf: attempting reconnect to node1 127.0.0.11:8301"),
        (0, "[INFO] serf: EventMemberJoin: node1 127.0.0.11"),
        (0, "[INFO] consul: member 'node1' joined, marking health alive"),
        (9, "[INFO] memberlist: Suspect node1 has failed, no acks received"),
        (4, "[INFO] serf: EventMemberFailed: node1 127.0.0.11"),
        (0, "[INFO] consul: member 'node1' failed, marking health critical"),
    )
    while size < target:
        t += 17 + (n * 7) % 13
        for delay, msg in cycle:
            t += delay
            line = "    %s %s\n" % (
                time.strftime("%Y/%m/%d %H:%M:%S", time.gmtime(t)), msg)
            out.append(line.encode())
            size += len(line)
        n += 1
    return b"".join(out)


def _etcd_log():
    i1, i3 = "%x" % ETCD_IDS["node1"], "%x" % ETCD_IDS["node3"]
    cid = "%x" % ETCD_CID
    return ("""\
2024-05-01 12:00:00.101301 I | etcdmain: etcd Version: 3.4.23
2024-05-01 12:00:00.102717 I | embed: name = node3
2024-05-01 12:00:00.102731 I | embed: data dir = /var/lib/etcd
2024-05-01 12:00:00.102735 I | embed: member dir = /var/lib/etcd/member
2024-05-01 12:00:00.106628 I | etcdserver: starting member {i3} in cluster {cid}
raft2024/05/01 12:00:00 INFO: {i3} switched to configuration voters=()
raft2024/05/01 12:00:00 INFO: {i3} became follower at term 0
raft2024/05/01 12:00:00 INFO: newRaft {i3} [peers: [], term: 0, commit: 0, applied: 0, lastindex: 0, lastterm: 0]
raft2024/05/01 12:00:00 INFO: {i3} became follower at term 1
raft2024/05/01 12:00:01 INFO: {i3} [term: 1] received a MsgVote message with higher term from {i1} [term: 2]
raft2024/05/01 12:00:01 INFO: {i3} became follower at term 2
raft2024/05/01 12:00:01 INFO: {i3} [logterm: 1, index: 3, vote: 0] cast MsgVote for {i1} [logterm: 1, index: 3] at term 2
raft2024/05/01 12:00:01 INFO: raft.node: {i3} elected leader {i1} at term 2
""").format(i1=i1, i3=i3, cid=cid).encode()


MANIFEST = b"""\
collect-cluster 1.4: bundle collect-2024-05-01
created 2024-05-01T12:30:00Z
node1  127.0.0.51  zookeeper  /zookeeper/zookeeper /opt/local/etc/zookeeper /var/log/zookeeper
node2  127.0.0.12  consul     /consul/data /consul/config /var/log/consul
node3  127.0.0.33  etcd       /var/lib/etcd /var/log/etcd
"""

WAL_NAME = "var/lib/etcd/member/wal/0000000000000000-0000000000000000.wal"
CONSUL_NODE_ID_2 = b"3f2b9c1a-7d4e-4b8a-9c6f-1e2d3c4b5a69"
CONSUL_NODE_ID_3 = b"a81c0e57-2f94-4d3b-b6e2-7c09d4f1a3e8"


def node_files():
    """{node: {relative path: bytes}}."""
    return {
        "node1": {
            "opt/local/etc/zookeeper/zoo.cfg": ZOO_CFG,
            "zookeeper/zookeeper/myid": b"1\n",
            "zookeeper/zookeeper/version-2/acceptedEpoch": b"2",
            "zookeeper/zookeeper/version-2/currentEpoch": b"2",
            "var/log/zookeeper/zookeeper.log": ZK_LOG,
        },
        "node2": {
            "consul/config/consul.json": CONSUL_JSON,
            "consul/data/node-id": CONSUL_NODE_ID_2,
            "consul/data/raft/peers.json":
                b'["127.0.0.12:8300","127.0.0.13:8300"]',
            "var/log/consul/consul.log": _consul_log_flapping(),
        },
        "node3": {
            WAL_NAME: etcd_wal_node3(),
            "var/log/etcd/etcd.log": _etcd_log(),
        },
    }


def multi_tree():
    """{path: bytes} of the 3-node bundle, under TOP/."""
    tree = {TOP + "/MANIFEST.txt": MANIFEST}
    for node, files in node_files().items():
        for rel, data in files.items():
            tree["%s/%s/%s" % (TOP, node, rel)] = data
    return tree


def prefixed(files, prefix):
    return {prefix + k: v for k, v in files.items()}


# --------------------------------------------------------------------------
# Container writers.

def _sorted_with_dirs(tree, dirs=True):
    """[(path, data or None for a directory)] sorted, parents first."""
    items = dict(tree)
    if dirs:
        for path in tree:
            parts = path.split("/")[:-1]
            for i in range(1, len(parts) + 1):
                items.setdefault("/".join(parts[:i]), None)
    return sorted(items.items(), key=lambda kv: kv[0].split("/"))


def _tarinfo(name, **kw):
    ti = tarfile.TarInfo(name)
    ti.mtime = MTIME
    ti.uid = ti.gid = 0
    ti.uname = ti.gname = "root"
    ti.mode = 0o644
    for k, v in kw.items():
        setattr(ti, k, v)
    return ti


def tar_bytes(tree, dirs=True, fmt=tarfile.USTAR_FORMAT):
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=fmt) as tf:
        for path, data in _sorted_with_dirs(tree, dirs):
            if data is None:
                tf.addfile(_tarinfo(path, type=tarfile.DIRTYPE, mode=0o755))
            else:
                tf.addfile(_tarinfo(path, size=len(data)), io.BytesIO(data))
    return buf.getvalue()


def tar_raw(entries, fmt=tarfile.USTAR_FORMAT):
    """entries: list of (TarInfo, data or None), written in this order."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=fmt) as tf:
        for ti, data in entries:
            if data is None:
                tf.addfile(ti)
            else:
                ti.size = len(data)
                tf.addfile(ti, io.BytesIO(data))
    return buf.getvalue()


def gz(data, name="", mtime=0):
    buf = io.BytesIO()
    with gzip.GzipFile(filename=name, mode="wb", fileobj=buf, mtime=mtime,
                       compresslevel=9) as f:
        f.write(data)
    return buf.getvalue()


def xz(data):
    return lzma.compress(data, format=lzma.FORMAT_XZ, check=lzma.CHECK_CRC64,
                         preset=9)


def bz(data):
    return bz2.compress(data, 9)


def zip_bytes(tree, dirs=True):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for path, data in _sorted_with_dirs(tree, dirs):
            if data is None:
                zi = zipfile.ZipInfo(path + "/", ZIP_DATE)
                zi.create_system = 3
                zi.external_attr = (0o40755 << 16) | 0x10
                zf.writestr(zi, b"", compress_type=zipfile.ZIP_STORED)
            else:
                zi = zipfile.ZipInfo(path, ZIP_DATE)
                zi.create_system = 3
                zi.external_attr = 0o100644 << 16
                zf.writestr(zi, data, compress_type=zipfile.ZIP_DEFLATED,
                            compresslevel=9)
    return buf.getvalue()


class Zeros:
    """A file object of n zero bytes, read in chunks."""

    def __init__(self, n):
        self.left = n

    def read(self, size=-1):
        if size < 0 or size > self.left:
            size = self.left
        self.left -= size
        return b"\0" * size


# --------------------------------------------------------------------------
# Fixtures.

def fx_multi(out):
    tree = multi_tree()
    tar = tar_bytes(tree)
    out["multi.tar"] = tar
    out["multi.tar.gz"] = gz(tar)
    out["multi.tar.xz"] = xz(tar)
    out["multi.tar.bz2"] = bz(tar)
    out["multi.zip"] = zip_bytes(tree)
    return tree


def fx_nested(out):
    files = node_files()
    node1 = gz(tar_bytes(files["node1"]))
    log1 = gz(CONSUL_LOG_1, name="consul.log.1", mtime=MTIME - 43200)
    logs_zip = zip_bytes({"consul.log.1.gz": log1})
    node2 = gz(tar_bytes(dict(files["node2"], **{"logs.zip": logs_zip})))
    node3 = gz(tar_bytes(prefixed(files["node3"], "node3/")))
    out["nested.tar"] = tar_bytes({
        "MANIFEST.txt": MANIFEST,
        "node1.tar.gz": node1,
        "node2.tar.gz": node2,
        "node3.tgz": node3,
    })


def fx_deep(out):
    # Innermost first: nest6.tar holds depth-6.txt and a real member file.
    def marker(d):
        return ("this file is inside the archive at nesting depth %d "
                "(deep.tar itself is depth 0)\n" % d).encode()
    inner = tar_bytes({"depth-6.txt": marker(6),
                       "node1/zookeeper/zookeeper/myid": b"1\n"})
    layers = [  # (depth, name of the archive at this depth, writer)
        (5, "nest6.tar", lambda t: xz(tar_bytes(t))),
        (4, "nest5.tar.xz", lambda t: tar_bytes(t)),
        (3, "nest4.tar", lambda t: zip_bytes(t)),
        (2, "nest3.zip", lambda t: gz(tar_bytes(t))),
        (1, "nest2.tar.gz", lambda t: tar_bytes(t)),
        (0, "nest1.tar", lambda t: tar_bytes(t)),
    ]
    for depth, child, write in layers:
        inner = write({"depth-%d.txt" % depth: marker(depth), child: inner})
    out["deep.tar"] = inner


def fx_empty(out):
    out["empty.tar.gz"] = gz(tar_bytes({}))
    out["empty.zip"] = zip_bytes({})


def fx_damaged(out):
    good = out["multi.tar.gz"]
    out["truncated.tar.gz"] = good[:len(good) // 2]
    bad = bytearray(good)
    mid = len(bad) // 2
    for i in range(mid, mid + 16):
        bad[i] ^= 0x5A
    out["corrupt.tar.gz"] = bytes(bad)
    # corrupt-header.tar: node1's files without directory entries; the
    # second header's checksum is off by one (still valid octal).
    tar = bytearray(tar_bytes(prefixed(node_files()["node1"], "node1/"),
                              dirs=False))
    first_size = int(tar[124:136].rstrip(b"\0 ").decode(), 8)
    off = 512 + (first_size + 511) // 512 * 512
    assert tar[off + 257:off + 262] == b"ustar"
    stored = int(tar[off + 148:off + 155].rstrip(b"\0 ").decode(), 8)
    tar[off + 148:off + 156] = b"%06o\0 " % (stored + 1)
    out["corrupt-header.tar"] = bytes(tar)
    return off


def fx_hostile(out):
    t = _tarinfo
    out["hostile.tar"] = tar_raw([
        (t("node1/zookeeper/zookeeper/myid"), b"1\n"),
        (t("../../etc/passwd"), b"root:x:0:0:root:/root:/bin/bash\n"),
        (t("/etc/shadow"), b"root:*:19844:0:99999:7:::\n"),
        (t("node1/../../escape.txt"), b"escaped the extraction root\n"),
        (t("./node1/./myid-dup"), b"1\n"),
        (t("node1/evil\x1b[31mred\n.txt"), b"ANSI escape and newline in name\n"),
        (t("node1/link", type=tarfile.SYMTYPE, linkname="/etc/passwd",
           mode=0o777), None),
        (t("node1/zookeeper/zookeeper/version-2", type=tarfile.SYMTYPE,
           linkname="../../../..", mode=0o777), None),
        (t("node1/zookeeper/zookeeper/version-2/currentEpoch"), b"7"),
        (t("node1/hard", type=tarfile.LNKTYPE,
           linkname="node1/zookeeper/zookeeper/myid"), None),
        (t("node1/fifo", type=tarfile.FIFOTYPE), None),
        (t("node1/dev/null", type=tarfile.CHRTYPE, devmajor=1, devminor=3,
           mode=0o666), None),
    ])


def fx_big_entry(out):
    wal = etcd_wal_node3()
    wal = wal + b"\0" * (20 * MiB - len(wal))
    out["big-entry.tar.gz"] = gz(tar_bytes({
        "node3/" + WAL_NAME: wal,
        "node3/var/log/etcd/etcd.log": _etcd_log(),
    }))


def fx_bomb(out, tmpdir):
    """Streams 2 GiB of zeros through tar and gzip without holding them."""
    size = 2 * GiB
    path = os.path.join(tmpdir, "bomb.tar.gz")
    for attempt in (size, 1 * GiB):
        with open(path, "wb") as raw, \
                gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0,
                              compresslevel=9) as g, \
                tarfile.open(fileobj=g, mode="w",
                             format=tarfile.USTAR_FORMAT) as tf:
            for d in ("node1", "node1/var", "node1/var/lib",
                      "node1/var/lib/etcd", "node1/var/lib/etcd/member",
                      "node1/var/lib/etcd/member/snap"):
                tf.addfile(_tarinfo(d, type=tarfile.DIRTYPE, mode=0o755))
            tf.addfile(_tarinfo("node1/var/lib/etcd/member/snap/db",
                                size=attempt, mode=0o600),
                       Zeros(attempt))
        if os.path.getsize(path) <= 3 * 1000 * 1000:
            break
    with open(path, "rb") as f:
        out["bomb.tar.gz"] = f.read()


def fx_single(out):
    out["single-node.tar.gz"] = gz(tar_bytes({
        "consul/data/raft/peers.json": b"null",
        "consul/data/node-id": CONSUL_NODE_ID_3,
        "var/log/consul/consul.log": CONSUL_LOG_1,
    }))


def fx_loose(out):
    out["loose-zoo.cfg"] = ZOO_CFG


def fx_renamed(out):
    out["renamed.tar.gz"] = gz(tar_bytes({
        "node1/backup/raft.db.bak": bolt_raft_db(),
        "node1/consul/data/raft/raft.db":
            b"cp: cannot open '/consul/data/raft/raft.db' for reading: "
            b"Permission denied\n",
        "node1/var/log/consul/consul.log.1": CONSUL_LOG_1,
    }))


def write_dir(root, tree):
    for path, data in _sorted_with_dirs(tree):
        full = os.path.join(root, path)
        if data is None:
            os.makedirs(full, exist_ok=True)
        else:
            with open(full, "wb") as f:
                f.write(data)
            os.chmod(full, 0o644)
            os.utime(full, (MTIME, MTIME))


def _terminate(signum, frame):
    raise SystemExit(128 + signum)


def main():
    signal.signal(signal.SIGTERM, _terminate)
    signal.signal(signal.SIGHUP, _terminate)
    here = os.path.dirname(os.path.abspath(__file__))
    outdir = sys.argv[1] if len(sys.argv) > 1 else \
        os.path.normpath(os.path.join(here, "..", "..", "archives"))
    os.makedirs(outdir, exist_ok=True)
    tmpdir = tempfile.mkdtemp(prefix=".make-archives.", dir=outdir)
    try:
        out = {}
        tree = fx_multi(out)
        fx_nested(out)
        fx_deep(out)
        fx_empty(out)
        fx_damaged(out)
        fx_hostile(out)
        fx_big_entry(out)
        fx_bomb(out, tmpdir)
        fx_single(out)
        fx_loose(out)
        fx_renamed(out)
        # Write everything into tmpdir, then move into place.
        for name, data in out.items():
            with open(os.path.join(tmpdir, name), "wb") as f:
                f.write(data)
        write_dir(os.path.join(tmpdir, "multi.dir"), tree)
        for name in sorted(out):
            os.replace(os.path.join(tmpdir, name), os.path.join(outdir, name))
        final = os.path.join(outdir, "multi.dir")
        if os.path.isdir(final):
            shutil.rmtree(final)
        os.replace(os.path.join(tmpdir, "multi.dir"), final)
        for name in sorted(out):
            print("%-22s %9d bytes" % (name, len(out[name])))
        print("%-22s %9d files" % ("multi.dir/", len(tree)))
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)


if __name__ == "__main__":
    main()
