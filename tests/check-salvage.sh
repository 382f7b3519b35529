#!/bin/sh
# Salvage, then say what was salvaged (issue 16 item 2; issue 13 item 3):
# damaged copies of a real fixture, made here, must give every complete
# entry before the damage and say the input was read in part; a damaged
# signature is a damaged archive, not a loose file; a zip whose central
# directory is damaged is read from its local headers; zip entry names in
# UTF-8 survive the C locale make check runs in.  TAP on stdout.
set -u
: "${top_srcdir:=.}" "${top_builddir:=.}" "${PYTHON3:=python3}"
bin="$(cd "$top_builddir" && pwd)/src/quorumscope"
exec "$PYTHON3" - "$bin" "$top_srcdir" <<'PYEOF'
import gzip, io, json, os, shutil, subprocess, sys, tarfile, tempfile, zipfile

bin, top = sys.argv[1], sys.argv[2]
src = os.path.join(top, "testdata/bundles/consul-two-dead.tar.gz")
tmp = tempfile.mkdtemp(prefix="qs-salvage.")
raw = open(src, "rb").read()
tests = []

def run(path, *args):
    p = subprocess.run([bin, "-f", "json"] + list(args) + ["inventory", path],
                       capture_output=True, timeout=120)
    try:
        doc = json.loads(p.stdout)
    except ValueError:
        doc = None
    return p.returncode, doc, p.stderr.decode("utf-8", "replace")

def write(name, data):
    path = os.path.join(tmp, name)
    open(path, "wb").write(data)
    return path

def arts(doc):
    return sorted(a["path"] for n in doc["nodes"] for a in n["artifacts"])

rc, whole, _ = run(src)
all_arts = arts(whole)

# A cut in the compressed stream: what came before is kept, partial said.
inner = gzip.decompress(raw)
members = tarfile.open(fileobj=io.BytesIO(inner)).getmembers()
cut = write("cut.tar.gz", raw[: len(raw) * 2 // 3])
rc, doc, err = run(cut)
got = arts(doc) if doc else []
tests.append(("truncated gzip keeps the entries before the cut",
              rc == 0 and 0 < len(got) < len(all_arts) and
              set(got) <= set(all_arts)))
tests.append(("truncated gzip is partial in JSON, with a reason",
              doc is not None and doc["inputs"][0]["complete"] is False and
              doc["inputs"][0]["state"] == "partial" and
              doc["inputs"][0]["reason"]))
tests.append(("truncated gzip is said on stderr", "read only in part" in err))

# The inner tar cut, uncompressed: same story.
cut_tar = write("cut.tar", inner[: len(inner) // 2])
rc, doc, err = run(cut_tar)
tests.append(("truncated tar keeps what came before, partial",
              rc == 0 and doc and 0 < len(arts(doc)) < len(all_arts) and
              doc["inputs"][0]["state"] == "partial"))

# A flipped bit in a signature: damaged, exit 3, not a loose file.
for off, what in ((0, "gzip magic"), (1, "gzip magic"), (2, "gzip method")):
    d = bytearray(raw)
    d[off] ^= 0x10
    p = write("flip%d.tar.gz" % off, bytes(d))
    rc, doc, err = run(p)
    tests.append(("flipped %s byte %d: damaged, exit 3" % (what, off),
                  rc == 3 and "damaged" in err and
                  (doc is None or not arts(doc))))

# xz and zstd signatures, and a tar whose header checksum is nearly right.
for name, sig in (("x.tar.xz", b"\xfd7zXZ\x00"), ("x.tar.zst", b"\x28\xb5\x2f\xfd")):
    d = bytearray(sig + inner[:4096])
    d[1] ^= 0x01
    rc, doc, err = run(write(name, bytes(d)))
    tests.append(("flipped %s signature: damaged, exit 3" % name,
                  rc == 3 and "damaged" in err))
d = bytearray(inner)
d[257] ^= 0x02      # "ustar" -> "wstar": only the magic is off
rc, doc, err = run(write("flipmagic.tar", bytes(d)))
tests.append(("tar with a flipped magic byte: damaged, not a loose file",
              rc == 3 and "damaged" in err))

# A zip with a damaged central directory: read from the local headers.
zpath = os.path.join(tmp, "two-dead.zip")
with zipfile.ZipFile(zpath, "w") as z:
    for m in members:
        if m.isfile():
            z.writestr(m.name, tarfile.open(fileobj=io.BytesIO(inner))
                       .extractfile(m.name).read())
rc, zwhole, _ = run(zpath)
d = bytearray(open(zpath, "rb").read())
i = d.find(b"PK\x01\x02")
d[i + 2] ^= 0xff
rc, doc, err = run(write("cd.zip", bytes(d)))
tests.append(("zip with a damaged central directory: every entry read",
              rc == 0 and doc and arts(doc) == arts(zwhole) and
              len(arts(doc)) > 0))
tests.append(("zip with a damaged central directory: partial",
              doc is not None and doc["inputs"][0]["state"] == "partial"))

# UTF-8 names in a zip, read in the C locale.
upath = os.path.join(tmp, "utf8.zip")
with zipfile.ZipFile(upath, "w") as z:
    for i in (1, 2, 3):
        z.writestr("n\u00f6de%d/zookeeper/zookeeper/myid" % i, "%d\n" % i)
rc, doc, err = run(upath)
names = sorted(n["name"] for n in doc["nodes"]) if doc else []
tests.append(("UTF-8 zip names converted in the C locale",
              rc == 0 and names == ["n\u00f6de1", "n\u00f6de2", "n\u00f6de3"]
              and "cannot be converted" not in err))

# Nothing analysed: exit 3 with one line on stderr.
empty = os.path.join(tmp, "empty")
os.mkdir(empty)
for what, path in (("empty directory", empty),
                   ("garbage", write("garbage.bin", bytes(range(256)) * 8))):
    rc, doc, err = run(path)
    tests.append(("%s: exit 3, one line" % what,
                  rc == 3 and err.count("\n") == 1 and
                  "nothing to analyse" in err))

print("1..%d" % len(tests))
for n, (name, ok) in enumerate(tests, 1):
    print("%s %d - %s" % ("ok" if ok else "not ok", n, name))
shutil.rmtree(tmp)
PYEOF
