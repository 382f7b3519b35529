#!/usr/bin/env python3
"""Writes a gzip'd tar of N entries for bench/entries.sh: empty files, one
node directory per KIND ("dirs": node%d/data/x, so node attribution sees N
node directories; "links": symlinks under one node; "flat": files under
one node).  Only the Python standard library."""
import io, sys, tarfile

n, kind, out = int(sys.argv[1]), sys.argv[2], sys.argv[3]
with tarfile.open(out, "w:gz", compresslevel=1, format=tarfile.GNU_FORMAT) as t:
    for i in range(n):
        if kind == "links":
            ti = tarfile.TarInfo("wrap/node1/links/l%d" % i)
            ti.type = tarfile.SYMTYPE
            ti.linkname = "../../../../outside/%d" % i
            t.addfile(ti)
            continue
        name = ("wrap/node%d/data/x" % i) if kind == "dirs" else \
            ("wrap/node1/data/f%d" % i)
        ti = tarfile.TarInfo(name)
        t.addfile(ti, io.BytesIO(b""))
