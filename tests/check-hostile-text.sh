#!/bin/sh
# Output that always parses (issue 16 item 4): a real fixture whose node
# directories and file names are renamed to hold bytes that are not UTF-8,
# escape sequences, C1 controls and an overlong name, plus log lines of
# the same, run through every command and format.  Every JSON output must
# parse as UTF-8, no text output may carry a raw control character (other
# than newline, and tab in CSV) or a byte that is not UTF-8, and the
# findings must be those of the untouched fixture.  TAP on stdout.
set -u
: "${top_srcdir:=.}" "${top_builddir:=.}" "${PYTHON3:=python3}"
bin="$(cd "$top_builddir" && pwd)/src/quorumscope"
exec "$PYTHON3" - "$bin" "$top_srcdir" <<'PYEOF'
import io, json, subprocess, sys, tarfile, tempfile, os

bin, top = sys.argv[1], sys.argv[2]
src = os.path.join(top, "testdata/bundles/consul-two-dead.tar.gz")
tmp = tempfile.mkdtemp(prefix="qs-hostile.")
bad = os.path.join(tmp, "hostile.tar.gz")

# Names as raw bytes: tarfile's surrogateescape keeps them byte for byte.
ren = {"alpha": b"alpha\xff\xfe\xfd", "bravo": b"bravo\x1b[31m\xc2\x9b2J",
       "charlie": b"charlie" + b"\xe2\x80\xae" + b"x" * 300}
def rename(name):
    first, _, rest = name.partition("/")
    if first in ren:
        first = ren[first].decode("utf-8", "surrogateescape")
    return first + ("/" + rest if rest or name.endswith("/") else "")

with tarfile.open(src, "r:gz") as tin, \
        tarfile.open(bad, "w:gz", format=tarfile.PAX_FORMAT,
                     encoding="utf-8", errors="surrogateescape") as tout:
    for m in tin.getmembers():
        data = tin.extractfile(m).read() if m.isfile() else None
        if data is not None and m.name.endswith(".log"):
            data += (b"\n\x00\x1b]0;owned\x07 \xff\xfe junk line\n" +
                     b"y" * 200000 + b"\n")
        m.name = rename(m.name)
        m.pax_headers = {}
        if data is not None:
            m.size = len(data)
            tout.addfile(m, io.BytesIO(data))
        else:
            tout.addfile(m)

runs = [
    ("report", "text"), ("report", "json"), ("report", "html"),
    ("inventory", "text"), ("inventory", "json"),
    ("timeline", "text"), ("timeline", "json"), ("timeline", "csv"),
    ("timeline", "swimlane"), ("peers", "text"), ("peers", "json"),
]
print("1..%d" % (len(runs) + 1))
n = 0
def rule_ids(path):
    out = subprocess.run([bin, "-f", "json", "report", path],
                         capture_output=True).stdout
    return sorted(f["rule"] for f in json.loads(out)["findings"])
for cmd, fmt in runs:
    n += 1
    p = subprocess.run([bin, "-f", fmt, cmd, bad], capture_output=True,
                       timeout=120)
    why = []
    if p.returncode not in (0, 1):
        why.append("exit %d" % p.returncode)
    for stream, data in (("stdout", p.stdout), ("stderr", p.stderr)):
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as e:
            why.append("%s not UTF-8 at %d" % (stream, e.start))
            continue
        allowed = "\n" if fmt in ("text", "swimlane") else "\n\t"
        raw = [c for c in text if (ord(c) < 0x20 and c not in allowed) or
               0x7f <= ord(c) <= 0x9f]
        if raw:
            why.append("%s has raw control %r" % (stream, raw[0]))
        if fmt == "json" and stream == "stdout":
            try:
                json.loads(text)
            except ValueError as e:
                why.append("JSON does not parse: %s" % e)
    print("%s %d - %s -f %s%s" % ("not ok" if why else "ok", n, cmd, fmt,
          ": " + "; ".join(why) if why else ""))
n += 1
a, b = rule_ids(src), rule_ids(bad)
print("%s %d - same findings as the untouched fixture%s" % (
    "ok" if a == b else "not ok", n, "" if a == b else ": %s vs %s" % (a, b)))
PYEOF
