#!/usr/bin/env python3
"""Damage one WAL record on purpose: flip one bit of its stored CRC-32C.

usage: walflip.py WALDIR entry INDEX | hardstate-last
  entry INDEX     the record of the raft entry with that index
  hardstate-last  the last HardState record
Prints JSON {file, offset (of the record's 8-byte length prefix), type,
index?, term?, old_crc, new_crc, crc_byte_offset (the byte changed)}.  The record
keeps its data and length, so a reader finds a complete record whose CRC does
not match (etcd: "walpb: crc mismatch"), not a torn write.
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import etcdinspect as ei  # noqa: E402


def field_offset(buf, want):
    """Offset and length of the varint value of field `want` in a message."""
    off = 0
    while off < len(buf):
        key, off2 = ei.varint(buf, off)
        num, wt = key >> 3, key & 7
        if wt == 0:
            _v, end = ei.varint(buf, off2)
            if num == want:
                return off2, end - off2
            off = end
        elif wt == 2:
            ln, p = ei.varint(buf, off2)
            off = p + ln
        else:
            raise ValueError("wire type %d" % wt)
    raise KeyError(want)


def main():
    waldir, what = sys.argv[1], sys.argv[2]
    target = int(sys.argv[3]) if what == "entry" else None
    found = None
    for name in sorted(n for n in os.listdir(waldir) if n.endswith(".wal")):
        path = os.path.join(waldir, name)
        for off, rec in ei.wal_frames(open(path, "rb").read()):
            m = ei.msg(rec)
            rtype = ei.one(m, 1)
            item = {"file": name, "offset": off, "type": rtype, "path": path, "length": len(rec)}
            if rtype == 2 and what == "entry":
                e = ei.msg(ei.one(m, 3, b""))
                if ei.one(e, 3) == target:
                    item.update(index=target, term=ei.one(e, 2))
                    found = item
                    break
            elif rtype == 3 and what == "hardstate-last" and ei.one(m, 3, b""):
                hs = ei.msg(ei.one(m, 3, b""))
                item.update(term=ei.one(hs, 1), commit=ei.one(hs, 3))
                found = item
        if found and what == "entry":
            break
    if not found:
        sys.exit("walflip.py: record not found")
    data = bytearray(open(found["path"], "rb").read())
    off, n = found["offset"], found.pop("length")
    rec = bytes(data[off + 8:off + 8 + n])
    coff, clen = field_offset(rec, 2)
    old = ei.varint(rec, coff)[0]
    # flip bit 0 of the first varint byte: same length, another CRC value
    data[off + 8 + coff] ^= 0x01
    new = ei.varint(bytes(data[off + 8:off + 8 + n]), coff)[0]
    open(found["path"], "wb").write(data)
    found.update(old_crc="%08x" % old, new_crc="%08x" % new, crc_byte_offset=off + 8 + coff)
    del found["path"]
    json.dump(found, sys.stdout)
    print()


if __name__ == "__main__":
    main()
