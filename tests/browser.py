#!/usr/bin/env python3
"""The HTML report in a real browser: Debian's chromium, headless, driven
over the DevTools protocol on a pipe (--remote-debugging-pipe), Python's
standard library only.  For each fixture below, the page made by
`quorumscope report -f html` is opened from file:// and must:

  - load with no console error, no exception and no network request;
  - embed the documents `report -f json` and `peers -f json` print;
  - draw one lane per member and one mark per timeline entry, in the
    lane swimlane.c's rule gives (recomputed here from the JSON);
  - show a mark's evidence in the tooltip when the mouse is over it;
  - highlight a finding's nodes (and the span of its evidence) when its
    title is clicked;
  - zoom on the time axis;
  - still draw every lane and mark with scripting disabled;
  - print to PDF.

Screenshots, the pages and the PDFs are kept in ARTIFACTS.  TAP on stdout.
With QS_GOLDEN_UPDATE=1 the README's screenshot is rewritten.

usage: browser.py QUORUMSCOPE CHROMIUM SRCDIR ARTIFACTS
"""
import base64
import json
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import time

FIXTURES = [
    "zk-kill3of5-paused",
    "zk-leader-moved",
    "zk-split-brain",
    "consul-parallel-restart",
    "etcd-member-changes",
    "triton-ghosts",
]
# The picture in the README: a real outage, three of five servers lost.
README_FIXTURE = "zk-kill3of5-paused"
README_PNG = "doc/swimlane.png"
TIMEOUT = 60


class Chromium:
    """One headless browser and one page, over the DevTools pipe."""

    def __init__(self, exe, profile, log):
        r_cmd, self.w_cmd = os.pipe()
        self.r_ev, w_ev = os.pipe()

        def fds():
            # The browser reads commands on fd 3 and writes on fd 4.
            a, b = os.dup(r_cmd), os.dup(w_ev)
            os.dup2(a, 3)
            os.dup2(b, 4)

        self.proc = subprocess.Popen(
            [exe, "--headless", "--no-sandbox", "--disable-gpu",
             "--disable-background-networking", "--disable-component-update",
             "--disable-sync", "--no-first-run", "--no-default-browser-check",
             "--disable-extensions", "--disable-dev-shm-usage",
             "--hide-scrollbars", "--mute-audio",
             "--user-data-dir=" + profile, "--remote-debugging-pipe",
             "--window-size=1300,900", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=log, stderr=log,
            preexec_fn=fds, pass_fds=(3, 4), close_fds=True)
        os.close(r_cmd)
        os.close(w_ev)
        self.next_id = 0
        self.replies = {}
        self.events = queue.Queue()
        self.lock = threading.Condition()
        threading.Thread(target=self._reader, daemon=True).start()
        target = self.call("Target.createTarget", url="about:blank")
        self.session = self.call("Target.attachToTarget",
                                 targetId=target["targetId"],
                                 flatten=True)["sessionId"]

    def _reader(self):
        buf = b""
        while True:
            try:
                chunk = os.read(self.r_ev, 1 << 16)
            except OSError:
                chunk = b""
            if not chunk:
                with self.lock:
                    self.replies[None] = "closed"
                    self.lock.notify_all()
                return
            buf += chunk
            while b"\0" in buf:
                raw, buf = buf.split(b"\0", 1)
                msg = json.loads(raw)
                if "id" in msg:
                    with self.lock:
                        self.replies[msg["id"]] = msg
                        self.lock.notify_all()
                else:
                    self.events.put(msg)

    def call(self, method, session=None, **params):
        self.next_id += 1
        mid = self.next_id
        msg = {"id": mid, "method": method, "params": params}
        if session:
            msg["sessionId"] = session
        os.write(self.w_cmd, json.dumps(msg).encode() + b"\0")
        deadline = time.time() + TIMEOUT
        with self.lock:
            while mid not in self.replies:
                if None in self.replies:
                    raise RuntimeError("browser closed the pipe")
                left = deadline - time.time()
                if left <= 0:
                    raise RuntimeError("no reply to " + method)
                self.lock.wait(left)
            reply = self.replies.pop(mid)
        if "error" in reply:
            raise RuntimeError(method + ": " + reply["error"]["message"])
        return reply.get("result", {})

    def page(self, method, **params):
        return self.call(method, session=self.session, **params)

    def drain(self):
        out = []
        while True:
            try:
                out.append(self.events.get_nowait())
            except queue.Empty:
                return out

    def wait_event(self, name, seen):
        deadline = time.time() + TIMEOUT
        while time.time() < deadline:
            try:
                ev = self.events.get(timeout=0.5)
            except queue.Empty:
                continue
            seen.append(ev)
            if ev.get("method") == name:
                return ev
        raise RuntimeError("no " + name)

    def js(self, expr):
        r = self.page("Runtime.evaluate", expression=expr,
                      returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in r:
            raise RuntimeError("script failed: " +
                               json.dumps(r["exceptionDetails"])[:300])
        return r["result"].get("value")

    def close(self):
        try:
            self.call("Browser.close")
        except RuntimeError:
            pass
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


class Tap:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def ok(self, cond, name, why=""):
        self.n += 1
        if cond:
            print("ok %d - %s" % (self.n, name))
        else:
            self.failed += 1
            print("not ok %d - %s" % (self.n, name))
            for line in str(why).splitlines()[:20]:
                print("# " + line)
        sys.stdout.flush()


def expected_lanes(rep):
    """The lanes and every entry's place, by swimlane.c's rule."""

    def find(lanes, name):
        if not name:
            return None
        for lane in lanes:
            if lane["node"] == name or lane["label"] == name:
                return lane
        return None

    groups = []
    for c in rep["clusters"]:
        lanes = []
        if c["history"]:
            for m in c["history"]["members"]:
                lanes.append({"label": m["label"], "node": m["node"]})
        for n in c["nodes"]:
            if not find(lanes, n):
                lanes.append({"label": n, "node": n})
        groups.append({"id": c["id"], "cluster": c, "lanes": lanes})
    other = None
    place = {}
    for i, e in enumerate(rep["timeline"]):
        group = None
        for want in (e["node"], e["subject"]):
            for g in groups:
                c = g["cluster"]
                if (c is not None and want and c["system"] == e["system"]
                        and want in c["nodes"]):
                    group = g
                    break
            if group:
                break
        if group is None:
            if other is None:
                other = {"id": "other", "cluster": None, "lanes": []}
                groups.append(other)
            group = other
        observer = e["node"] or "(bundle)"
        lane = find(group["lanes"], e["subject"]) or \
            find(group["lanes"], observer)
        if lane is None:
            lane = {"label": observer,
                    "node": observer if observer != "(bundle)" else None}
            group["lanes"].append(lane)
        place[i] = (group["id"], lane["label"] if e["time"] else None)
    return groups, place


def where(ev):
    s = "%s: %s" % (ev["input"], ev["path"])
    if ev.get("line") is not None:
        s += ":%d" % ev["line"]
    elif ev.get("offset") is not None:
        s += "@%d" % ev["offset"]
    return s


PAGE_STATE = r"""
(function () {
  var out = {figures: [], marks: []};
  document.querySelectorAll("figure.group").forEach(function (f) {
    out.figures.push({id: f.id.replace(/^group-/, ""),
      lanes: Array.prototype.map.call(f.querySelectorAll("g.lane"),
        function (l) { return l.dataset.lane; })});
  });
  document.querySelectorAll(".mark").forEach(function (m) {
    var lane = m.closest("g.lane");
    out.marks.push({i: +m.dataset.i, cls: m.getAttribute("class"),
      group: m.closest("figure.group").id.replace(/^group-/, ""),
      lane: lane ? lane.dataset.lane : null});
  });
  function text(id) {
    var e = document.getElementById(id);
    return e ? e.textContent : null;
  }
  out.report = text("qs-report");
  out.peers = text("qs-peers");
  out.js = document.documentElement.classList.contains("js");
  return out;
})()
"""


def center(b, selector_js):
    r = b.js("""(function () {
      var e = %s;
      if (!e) return null;
      e.scrollIntoView({block: "center", inline: "center"});
      var r = e.getBoundingClientRect();
      return {x: r.left + r.width / 2, y: r.top + r.height / 2,
              w: r.width, h: r.height};
    })()""" % selector_js)
    return r


def problems(events):
    """Console errors, exceptions and network requests among events."""
    bad = []
    for ev in events:
        m, p = ev.get("method"), ev.get("params", {})
        if m == "Runtime.exceptionThrown":
            bad.append("exception: " +
                       p["exceptionDetails"].get("text", "?") + " " +
                       json.dumps(p["exceptionDetails"].get("exception",
                                                            {}))[:200])
        elif m == "Runtime.consoleAPICalled" and p.get("type") in (
                "error", "warning", "assert"):
            bad.append("console %s: %s" % (p["type"], json.dumps(
                p.get("args", []))[:200]))
        elif m == "Log.entryAdded" and p["entry"]["level"] in (
                "error", "warning"):
            bad.append("log %s: %s" % (p["entry"]["level"],
                                       p["entry"]["text"][:200]))
        elif m == "Network.requestWillBeSent":
            url = p["request"]["url"]
            if not url.startswith("file:") and not url.startswith("data:"):
                bad.append("request: " + url)
            elif p.get("type") not in (None, "Document"):
                bad.append("fetches %s: %s" % (p.get("type"), url))
    return bad


def check_fixture(b, tap, qs, srcdir, art, name):
    bundle = os.path.join(srcdir, "testdata", "bundles", name + ".tar.gz")
    html = os.path.join(art, name + ".html")
    run = subprocess.run([qs, "--no-progress", "report", "-f", "html", "-o", html,
                          bundle], cwd=srcdir, stderr=subprocess.PIPE)
    rep = json.loads(subprocess.run(
        [qs, "--no-progress", "report", "-f", "json", bundle], cwd=srcdir,
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout)
    peers = json.loads(subprocess.run(
        [qs, "--no-progress", "peers", "-f", "json", bundle], cwd=srcdir,
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL).stdout)
    tap.ok(run.returncode in (0, 1), name + ": report -f html",
           run.stderr.decode(errors="replace"))

    seen = []
    b.drain()
    b.page("Page.navigate", url="file://" + os.path.abspath(html))
    b.wait_event("Page.loadEventFired", seen)
    time.sleep(0.3)
    seen += b.drain()
    bad = problems(seen)
    tap.ok(not bad, name + ": loads with no error and no request",
           "\n".join(bad))

    st = b.js(PAGE_STATE)
    tap.ok(st["js"], name + ": the script ran")
    tap.ok(st["report"] is not None and json.loads(st["report"]) == rep,
           name + ": embeds what report -f json prints")
    tap.ok(st["peers"] is not None and json.loads(st["peers"]) == peers,
           name + ": embeds what peers -f json prints")

    groups, place = expected_lanes(rep)
    want = [{"id": g["id"], "lanes": [l["label"] for l in g["lanes"]]}
            for g in groups if g["lanes"] or any(
                p[0] == g["id"] for p in place.values())]
    tap.ok(st["figures"] == want, name + ": one lane per member (%d)" %
           sum(len(g["lanes"]) for g in want),
           "drawn: %s\nwant:  %s" % (st["figures"], want))
    drawn = {}
    errors = []
    for m in st["marks"]:
        if m["i"] in drawn:
            errors.append("entry %d drawn twice" % m["i"])
        drawn[m["i"]] = m
        e = rep["timeline"][m["i"]]
        if ("ev-" + e["event"]) not in m["cls"].split():
            errors.append("entry %d is %s, drawn as %s" %
                          (m["i"], e["event"], m["cls"]))
        if (m["group"], m["lane"]) != place[m["i"]]:
            errors.append("entry %d in %s/%s, want %s/%s" % (
                m["i"], m["group"], m["lane"], place[m["i"]][0],
                place[m["i"]][1]))
    missing = set(range(len(rep["timeline"]))) - set(drawn)
    if missing:
        errors.append("entries not drawn: %s" % sorted(missing)[:10])
    tap.ok(not errors, name + ": one mark per timeline entry (%d), in its "
           "lane" % len(rep["timeline"]), "\n".join(errors))

    # Hover a timed mark with evidence, one no other mark covers: the
    # tooltip shows its evidence.
    hit = b.js("""(function () {
      var rep = JSON.parse(document.getElementById("qs-report").textContent);
      var marks = document.querySelectorAll("g.lane .mark");
      for (var j = 0; j < marks.length; j++) {
        var m = marks[j], e = rep.timeline[+m.dataset.i];
        if (!e.time || !e.evidence.length)
          continue;
        m.scrollIntoView({block: "center"});
        var r = m.getBoundingClientRect();
        var x = r.left + r.width / 2, y = r.top + r.height / 2;
        if (document.elementFromPoint(x, y) === m)
          return {i: +m.dataset.i, x: x, y: y};
      }
      return null;
    })()""")
    if any(e["time"] and e["evidence"] for e in rep["timeline"]):
        tip = None
        if hit:
            b.page("Input.dispatchMouseEvent", type="mouseMoved",
                   x=hit["x"], y=hit["y"])
            time.sleep(0.1)
            tip = b.js('(function () { var t = document.getElementById('
                       '"tip"); return {shown: getComputedStyle(t).display'
                       ' !== "none", text: t.textContent}; })()')
        ev = rep["timeline"][hit["i"]]["evidence"][0] if hit else None
        tap.ok(tip and tip["shown"] and where(ev) in tip["text"] and
               (ev["excerpt"] or "") in tip["text"],
               name + ": hovering a mark shows its evidence",
               "tooltip: %r\nwant: %r" % (tip, ev and where(ev)))
        b.page("Input.dispatchMouseEvent", type="mouseMoved", x=2, y=2)

    # Click a finding that names nodes: its lanes are highlighted.
    f = next((f for f in rep["findings"] if f["nodes"]), None)
    if f is not None:
        c = center(b, 'document.querySelector("#finding-%s > h3")' % f["id"])
        for t in ("mousePressed", "mouseReleased"):
            b.page("Input.dispatchMouseEvent", type=t, x=c["x"], y=c["y"],
                   button="left", clickCount=1)
        time.sleep(0.2)
        hl = b.js("""(function () {
          return {sel: Array.prototype.map.call(document.querySelectorAll(
              ".finding.selected"), function (e) { return e.id; }),
            lanes: Array.prototype.map.call(document.querySelectorAll(
              "g.lane.hl"), function (e) {
                return [e.closest("figure").id, e.dataset.lane]; }),
            dim: document.querySelectorAll("svg.sl.dim").length,
            spans: document.querySelectorAll(".hlspan").length};
        })()""")
        want_lanes = sorted(
            ["group-" + g["id"], l["label"]] for g in groups
            if f["cluster"] is None or g["id"] == f["cluster"]
            for l in g["lanes"]
            if l["label"] in f["nodes"] or l["node"] in f["nodes"])
        tap.ok(hl["sel"] == ["finding-" + f["id"]] and
               sorted(hl["lanes"]) == want_lanes and hl["dim"] > 0,
               name + ": clicking finding %s highlights its nodes" % f["id"],
               "got %s\nwant lanes %s" % (hl, want_lanes))
        shot = b.page("Page.captureScreenshot", format="png")
        with open(os.path.join(art, name + "-finding.png"), "wb") as out:
            out.write(base64.b64decode(shot["data"]))
        b.js('document.querySelector(".finding.selected > h3").click()')

    # Zoom in on the first picture, then back: the axis follows.
    if b.js('document.querySelector("svg.sl[data-t0] svg.plot") !== null'):
        before = b.js('document.querySelector("svg.sl g.axis").textContent')
        t0 = time.time()
        b.js('document.querySelector("[data-zoom=in]").click()')
        ms = (time.time() - t0) * 1000
        after = b.js('({t: document.querySelector("svg.sl g.zoom")'
                     '.getAttribute("transform"), a: document.querySelector('
                     '"svg.sl g.axis").textContent})')
        tap.ok(after["t"] and "scale(2 1)" in after["t"].replace(",", " ")
               and after["a"] != before,
               name + ": zoom in doubles the scale and redraws the axis "
               "(%.0f ms)" % ms, after)
        b.js('document.querySelector("[data-zoom=reset]").click()')

    # Screenshots: the whole page, and the first picture alone.
    shot = b.page("Page.captureScreenshot", format="png",
                  captureBeyondViewport=True)
    with open(os.path.join(art, name + ".png"), "wb") as out:
        out.write(base64.b64decode(shot["data"]))
    box = b.js("""(function () {
      var f = document.querySelector("figure.group");
      if (!f) return null;
      window.scrollTo(0, 0);
      var r = f.getBoundingClientRect();
      return {x: r.left + window.scrollX, y: r.top + window.scrollY,
              width: r.width, height: r.height, scale: 1};
    })()""")
    if box:
        shot = b.page("Page.captureScreenshot", format="png", clip=box,
                      captureBeyondViewport=True)
        png = os.path.join(art, name + "-swimlane.png")
        with open(png, "wb") as out:
            out.write(base64.b64decode(shot["data"]))
        if name == README_FIXTURE and \
                os.environ.get("QS_GOLDEN_UPDATE") == "1":
            shutil.copy(png, os.path.join(srcdir, README_PNG))

    pdf = b.page("Page.printToPDF", printBackground=True,
                 preferCSSPageSize=True)
    data = base64.b64decode(pdf["data"])
    with open(os.path.join(art, name + ".pdf"), "wb") as out:
        out.write(data)
    tap.ok(data.startswith(b"%PDF") and len(data) > 10000,
           name + ": prints to PDF (%d bytes)" % len(data))

    # Scripting off: the picture is all there.
    b.page("Emulation.setScriptExecutionDisabled", value=True)
    seen = []
    b.drain()
    b.page("Page.navigate", url="file://" + os.path.abspath(html))
    b.wait_event("Page.loadEventFired", seen)
    nojs = b.page("Runtime.evaluate", expression="""({
        lanes: document.querySelectorAll("g.lane").length,
        marks: document.querySelectorAll(".mark").length,
        nojs: document.documentElement.classList.contains("nojs")})""",
                  returnByValue=True)["result"]["value"]
    b.page("Emulation.setScriptExecutionDisabled", value=False)
    tap.ok(nojs["nojs"] and nojs["marks"] == len(rep["timeline"]) and
           nojs["lanes"] == sum(len(g["lanes"]) for g in want),
           name + ": with scripting off every lane and mark is drawn", nojs)


def main():
    qs, exe, srcdir, art = sys.argv[1:5]
    os.makedirs(art, exist_ok=True)
    tap = Tap()
    profile = tempfile.mkdtemp(prefix="qs-chromium.")
    log = open(os.path.join(art, "chromium.log"), "w")
    b = None
    try:
        b = Chromium(exe, profile, log)
        for m in ("Page.enable", "Runtime.enable", "Log.enable",
                  "Network.enable"):
            b.page(m)
        for name in FIXTURES:
            check_fixture(b, tap, qs, srcdir, art, name)
    except Exception as e:  # a dead browser fails what is left, visibly
        tap.ok(False, "browser session", repr(e))
    finally:
        if b is not None:
            b.close()
        log.close()
        shutil.rmtree(profile, ignore_errors=True)
    print("1..%d" % tap.n)
    return 1 if tap.failed else 0


if __name__ == "__main__":
    sys.exit(main())
