#!/usr/bin/env python3
"""How the HTML report holds up at 50 nodes and 20,000 events.

Writes a bundle of NODES Consul servers (default 50) whose logs, in the
line format of the consul-parallel-restart fixture's agents, hold EVENTS
serf membership events in all (default 20,000: each server sees the others
fail and rejoin, at times no other server shares, so that none merge), then
times `quorumscope report -f html`, and, with chromium, opens the page
headless and times loading, zooming (the wheel's path: one transform and
the axis), hovering a mark and highlighting a finding.  Prints the numbers;
exits 0 whatever they are (a broken setup exits non-zero).

usage: bench/report-html.py [QUORUMSCOPE [CHROMIUM]]   (from the repository's top)
"""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "tests"))
import browser  # noqa: E402  (the DevTools pipe driver of the tests)

NODES = int(os.environ.get("NODES", "50"))
EVENTS = int(os.environ.get("EVENTS", "20000"))
BASE = 1795000000  # 2026-11-18, seconds

CONFIG = """{
  "datacenter": "dc1",
  "node_name": "%s",
  "data_dir": "/consul/data",
  "bind_addr": "%s",
  "server": true,
  "bootstrap_expect": %d
}
"""


def addr(i):
    return "127.0.%d.%d" % (1 + i // 200, 10 + i % 200)


def stamp(t):
    return time.strftime("%Y/%m/%d %H:%M:%S", time.gmtime(t))


def make_bundle(top):
    per = EVENTS // NODES
    for n in range(NODES):
        name = "server%02d" % n
        d = os.path.join(top, "bench-html", name)
        os.makedirs(os.path.join(d, "consul", "config"))
        os.makedirs(os.path.join(d, "var", "log", "consul"))
        with open(os.path.join(d, "consul", "config", "consul.json"),
                  "w") as f:
            f.write(CONFIG % (name, addr(n), NODES))
        with open(os.path.join(d, "var", "log", "consul", "consul.log"),
                  "w") as f:
            f.write("==> Starting Consul agent...\n"
                    "         Node name: '%s'\n"
                    "        Datacenter: 'dc1'\n"
                    "==> Log data will now stream in as it occurs:\n\n"
                    % name)
            for k in range(per):
                # Seconds no two servers share: server n at n, n + NODES...
                t = BASE + n + NODES * k
                other = (n + 1 + k // 2) % NODES
                if other == n:
                    other = (other + 1) % NODES
                what = "EventMemberFailed" if k % 2 == 0 else \
                    "EventMemberJoin"
                f.write("    %s [INFO] serf: %s: server%02d %s\n" % (
                    stamp(t), what, other, addr(other)))


def main():
    qs = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else
                         "src/quorumscope")
    exe = sys.argv[2] if len(sys.argv) > 2 else shutil.which("chromium")
    tmp = tempfile.mkdtemp(prefix="qs-bench-html.")
    try:
        make_bundle(tmp)
        page = os.path.join(tmp, "report.html")
        t0 = time.time()
        subprocess.run([qs, "-q", "report", "-f", "html", "-o", page,
                        os.path.join(tmp, "bench-html")],
                       stderr=subprocess.DEVNULL)
        render = time.time() - t0
        rep = json.loads(subprocess.run(
            [qs, "-q", "report", "-f", "json",
             os.path.join(tmp, "bench-html")],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout)
        print("bundle: %d nodes; report: %d timeline entries, %d findings"
              % (NODES, len(rep["timeline"]), len(rep["findings"])))
        print("report -f html: %.1f s, %.1f MB" % (
            render, os.path.getsize(page) / 1e6))
        if not exe:
            print("chromium not installed: no browser numbers")
            return 0
        log = open(os.path.join(tmp, "chromium.log"), "w")
        b = browser.Chromium(exe, os.path.join(tmp, "profile"), log)
        try:
            for m in ("Page.enable", "Runtime.enable"):
                b.page(m)
            seen = []
            t0 = time.time()
            b.page("Page.navigate", url="file://" + page)
            b.wait_event("Page.loadEventFired", seen)
            load = time.time() - t0
            marks = b.js('document.querySelectorAll(".mark").length')
            lanes = b.js('document.querySelectorAll("g.lane").length')
            print("chromium: load %.2f s; %d lanes, %d marks drawn" % (
                load, lanes, marks))
            if not rep["findings"]:
                print("  (no finding: highlighting one is not measured)")
            # Each interaction timed to the next frame, as a user sees it.
            frame = ("new Promise(function (r) { requestAnimationFrame("
                     "function () { setTimeout(r, 0); }); })")
            for what, js in (
                    ("nothing (one frame, the baseline)", "0"),
                    ("zoom in (button, every picture)",
                     'document.querySelector("[data-zoom=in]").click()'),
                    ("wheel zoom on one picture",
                     'document.querySelector("svg.plot").dispatchEvent('
                     'new WheelEvent("wheel", {deltaY: -100, clientX: 600,'
                     ' clientY: 300, bubbles: true, cancelable: true}))'),
                    ("hover a mark",
                     'document.querySelector(".mark").dispatchEvent('
                     'new MouseEvent("mouseover", {bubbles: true}))'),
                    ("highlight a finding" if rep["findings"] else None,
                     'document.querySelector(".finding > h3").click()'),
                    ("whole history",
                     'document.querySelector("[data-zoom=reset]")'
                     '.click()')):
                if what is None:
                    continue
                ms = b.js("(function () { var t = performance.now(); %s;"
                          " return %s.then(function () {"
                          " return performance.now() - t; }); })()"
                          % (js, frame))
                print("  %-34s %6.0f ms" % (what, ms))
        finally:
            b.close()
            log.close()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
