/*
 * quorumscope's HTML report: interaction only.  The page is complete
 * without this script (the pictures are SVG written by quorumscope);
 * this adds zoom and pan on the time axis, tooltips with the evidence,
 * finding highlights and copy buttons.  Every text it shows comes from
 * the embedded JSON and is set with textContent, never parsed as HTML.
 */
(function () {
	"use strict";
	var root = document.documentElement;
	root.classList.remove("nojs");
	root.classList.add("js");

	function data(id) {
		var el = document.getElementById(id);
		try {
			return el ? JSON.parse(el.textContent) : null;
		} catch (e) {
			return null;
		}
	}
	var report = data("qs-report") || {};
	var timeline = report.timeline || [];
	var clusters = report.clusters || [];
	var findings = report.findings || [];
	var SVGNS = "http://www.w3.org/2000/svg";

	function clusterById(id) {
		for (var i = 0; i < clusters.length; i++)
			if (clusters[i].id === id)
				return clusters[i];
		return null;
	}
	function el(tag, cls, text) {
		var e = document.createElement(tag);
		if (cls)
			e.className = cls;
		if (text !== undefined && text !== null)
			e.textContent = String(text);
		return e;
	}
	function where(ev) {
		if (!ev || ev.path === null || ev.path === undefined)
			return null;
		var s = ev.input + ": " + ev.path;
		if (ev.line !== null && ev.line !== undefined)
			s += ":" + ev.line;
		else if (ev.offset !== null && ev.offset !== undefined)
			s += "@" + ev.offset;
		return s;
	}
	function evidenceInto(box, ev) {
		var w = where(ev);
		if (!w)
			return;
		box.appendChild(el("div", "where", w));
		if (ev.excerpt)
			box.appendChild(el("pre", null, ev.excerpt));
	}
	function markText(m) {
		if (!m)
			return "?";
		var s = m.time === null ? "(no time)" : m.time;
		if (m.latest)
			s += " .. " + m.latest;
		return s + " (" + m.grade + (m.why ? ", " + m.why : "") + ")";
	}

	/* Tooltips: what a mark, band or stretch is, with its evidence. */
	var tip = document.getElementById("tip");
	function tipFor(target) {
		var fig = target.closest("figure.group");
		var cl = fig ? clusterById(fig.dataset.cluster) : null;
		var h = cl ? cl.history : null;
		var box = document.createDocumentFragment(), e, i, m, t, q;
		if (target.classList.contains("mark")) {
			e = timeline[+target.dataset.i];
			if (!e)
				return null;
			box.appendChild(el("div", "t", e.event +
			    (e.subject ? " " + e.subject : "")));
			var clk = [];
			for (var k in e.clock)
				clk.push(k + " " + e.clock[k]);
			box.appendChild(el("div", null, (e.time || "no time") +
			    (clk.length ? ", " + clk.join(", ") : "")));
			box.appendChild(el("div", null, "seen by " +
			    (e.observers.length ? e.observers.join(", ") :
			    e.node || "-") + " (" + e.system + ")"));
			if (e.detail)
				box.appendChild(el("div", null, e.detail));
			for (i = 0; i < e.evidence.length; i++)
				evidenceInto(box, e.evidence[i]);
			return box;
		}
		if (!h)
			return null;
		var lane = target.closest(".lane");
		if (target.classList.contains("live") ||
		    target.classList.contains("range")) {
			m = lane ? h.members[+lane.dataset.m] : null;
			var s = m ? m.liveness[+target.dataset.s] : null;
			if (!s)
				return null;
			box.appendChild(el("div", "t", m.label + ": " +
			    s.state));
			box.appendChild(el("div", null, "from " +
			    markText(s.from)));
			evidenceInto(box, s.from.evidence);
			box.appendChild(el("div", null, "to " + markText(s.to)));
			evidenceInto(box, s.to.evidence);
			return box;
		}
		if (target.classList.contains("term")) {
			t = h.leadership[+target.dataset.t];
			if (!t)
				return null;
			box.appendChild(el("div", "t", t.leader + " leads" +
			    (t.term !== null ? ", term " + t.term : "")));
			box.appendChild(el("div", null, "from " +
			    markText(t.from)));
			evidenceInto(box, t.from.evidence);
			box.appendChild(el("div", null, "to " + markText(t.to) +
			    (t.ended ? ": " + t.ended : "")));
			evidenceInto(box, t.to.evidence);
			return box;
		}
		if (target.classList.contains("q")) {
			q = h.quorum[+target.dataset.q];
			if (!q)
				return null;
			box.appendChild(el("div", "t", "quorum " + q.state +
			    (q.leader ? ", leader " + q.leader :
			    q.leaderless ? ", no leader" : "")));
			box.appendChild(el("div", null, q.from + " to " + q.to));
			box.appendChild(el("div", null, q.up + " of " +
			    q.voters + " voters up, " + q.needed +
			    " needed, " + q.down + " down"));
			return box;
		}
		return null;
	}
	var HOVER = ".mark, .live, .range, .term, .q";
	var hovered = null;
	document.addEventListener("mouseover", function (ev) {
		var t = ev.target.closest ? ev.target.closest(HOVER) : null;
		if (!t || t === hovered)
			return;
		var content = tipFor(t);
		if (!content)
			return;
		if (hovered)
			hovered.classList.remove("hover");
		hovered = t;
		t.classList.add("hover");
		tip.textContent = "";
		tip.appendChild(content);
		tip.style.display = "block";
		placeTip(ev);
	});
	document.addEventListener("mousemove", function (ev) {
		if (hovered)
			placeTip(ev);
	});
	document.addEventListener("mouseout", function (ev) {
		if (!hovered)
			return;
		var to = ev.relatedTarget;
		if (to && to.closest && to.closest(HOVER) === hovered)
			return;
		hovered.classList.remove("hover");
		hovered = null;
		tip.style.display = "none";
	});
	function placeTip(ev) {
		var w = tip.offsetWidth, hh = tip.offsetHeight;
		var x = ev.clientX + 14, y = ev.clientY + 14;
		if (x + w > window.innerWidth - 4)
			x = Math.max(4, ev.clientX - w - 14);
		if (y + hh > window.innerHeight - 4)
			y = Math.max(4, ev.clientY - hh - 14);
		tip.style.left = x + "px";
		tip.style.top = y + "px";
	}

	/* Zoom and pan: one transform per picture, the axis redrawn. */
	var STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1e3, 2e3, 5e3, 1e4,
	    15e3, 3e4, 6e4, 12e4, 3e5, 6e5, 9e5, 18e5, 36e5, 72e5, 108e5,
	    216e5, 432e5, 864e5, 1728e5, 6048e5, 2592e6, 31536e6];
	function tickStep(span, n) {
		for (var i = 0; i < STEPS.length; i++)
			if (Math.floor(span / STEPS[i]) < n)
				return STEPS[i];
		return STEPS[STEPS.length - 1];
	}
	function tickLabel(t, step, full) {
		var iso = new Date(t).toISOString();
		var from = 11, to = step < 1e3 ? 23 : step < 6e4 ? 19 : 16;
		if (step >= 864e5)
			return iso.substring(0, 10);
		return (full ? iso.substring(0, 10) + " " : "") +
		    iso.substring(from, to) + (full ? "Z" : "");
	}
	var views = [];
	function View(svg) {
		this.svg = svg;
		this.plot = svg.querySelector("svg.plot");
		this.zoom = svg.querySelector("g.zoom");
		this.axis = svg.querySelector("g.axis");
		this.t0 = Date.parse(svg.dataset.t0);
		this.t1 = Date.parse(svg.dataset.t1);
		this.pw = this.plot.viewBox.baseVal.width;
		this.pad = +(svg.dataset.pad || 0);
		this.px = +this.plot.getAttribute("x");
		this.v0 = 0;
		this.v1 = this.pw;
		this.axisY = this.axis.querySelector("line") ?
		    +this.axis.querySelector("line").getAttribute("y2") : 22;
	}
	View.prototype.set = function (v0, v1) {
		var minw = Math.max(this.pw * 5 / Math.max(this.t1 - this.t0,
		    1), this.pw / 1e5);
		var w = Math.min(Math.max(v1 - v0, minw), this.pw);
		v0 = Math.min(Math.max(v0, 0), this.pw - w);
		this.v0 = v0;
		this.v1 = v0 + w;
		var k = this.pw / w;
		this.zoom.setAttribute("transform", "translate(" +
		    (-v0 * k) + " 0) scale(" + k + " 1)");
		this.drawAxis();
	};
	/* Plot units of a time and back, as report-html.c's html_x(). */
	View.prototype.x = function (t) {
		return this.pad + (t - this.t0) / (this.t1 - this.t0) *
		    (this.pw - 2 * this.pad);
	};
	View.prototype.time = function (v) {
		return this.t0 + (v - this.pad) / (this.pw - 2 * this.pad) *
		    (this.t1 - this.t0);
	};
	View.prototype.drawAxis = function () {
		var a = this.time(this.v0), b = this.time(this.v1);
		var step = tickStep(b - a, 8), first = true;
		var t = Math.ceil(a / step) * step;
		var k = this.pw / (this.v1 - this.v0);
		while (this.axis.firstChild)
			this.axis.removeChild(this.axis.firstChild);
		for (; t <= b; t += step) {
			var x = this.px + (this.x(t) - this.v0) * k;
			var ln = document.createElementNS(SVGNS, "line");
			ln.setAttribute("x1", x);
			ln.setAttribute("x2", x);
			ln.setAttribute("y1", this.axisY - 6);
			ln.setAttribute("y2", this.axisY);
			var tx = document.createElementNS(SVGNS, "text");
			tx.setAttribute("x", x + 2);
			tx.setAttribute("y", this.axisY - 9);
			tx.textContent = tickLabel(t, step, first);
			first = false;
			this.axis.appendChild(ln);
			this.axis.appendChild(tx);
		}
	};
	/* Plot units under a pointer. */
	View.prototype.at = function (clientX) {
		var r = this.plot.getBoundingClientRect();
		var f = Math.min(Math.max((clientX - r.left) / r.width, 0), 1);
		return { f: f, v: this.v0 + f * (this.v1 - this.v0) };
	};
	View.prototype.scale = function (factor, f) {
		if (f === undefined)
			f = 0.5;
		var w = this.v1 - this.v0, u = this.v0 + f * w;
		var nw = w * factor;
		this.set(u - f * nw, u - f * nw + nw);
	};
	Array.prototype.forEach.call(document.querySelectorAll("svg.sl"),
	    function (svg) {
		if (!svg.dataset.t0 || !svg.querySelector("svg.plot"))
			return;
		var v = new View(svg);
		views.push(v);
		v.plot.addEventListener("wheel", function (ev) {
			ev.preventDefault();
			var at = v.at(ev.clientX);
			v.scale(ev.deltaY < 0 ? 1 / 1.25 : 1.25, at.f);
		}, { passive: false });
		var drag = null;
		v.plot.addEventListener("mousedown", function (ev) {
			if (ev.button !== 0)
				return;
			drag = { x: ev.clientX, v0: v.v0, v1: v.v1,
			    w: v.plot.getBoundingClientRect().width };
			v.plot.classList.add("drag");
			ev.preventDefault();
		});
		window.addEventListener("mousemove", function (ev) {
			if (!drag)
				return;
			var dv = -(ev.clientX - drag.x) / drag.w *
			    (drag.v1 - drag.v0);
			v.set(drag.v0 + dv, drag.v1 + dv);
		});
		window.addEventListener("mouseup", function () {
			drag = null;
			v.plot.classList.remove("drag");
		});
		v.plot.addEventListener("dblclick", function (ev) {
			v.scale(1 / 2, v.at(ev.clientX).f);
		});
	});
	Array.prototype.forEach.call(document.querySelectorAll("[data-zoom]"),
	    function (b) {
		b.addEventListener("click", function () {
			views.forEach(function (v) {
				if (b.dataset.zoom === "in")
					v.scale(1 / 2);
				else if (b.dataset.zoom === "out")
					v.scale(2);
				else
					v.set(0, v.pw);
			});
		});
	});

	/*
	 * A finding's span: the times of the events and history boundaries
	 * whose evidence is one of the finding's evidence lines.
	 */
	function key(ev) {
		return ev ? [ev.input, ev.path, ev.line, ev.offset].join("\n") :
		    "";
	}
	var times = {};
	function note(ev, a, b) {
		if (!ev || ev.path === null || a === null || isNaN(a))
			return;
		var k = key(ev), s = times[k];
		if (isNaN(b))
			b = a;
		if (!s)
			times[k] = [a, b];
		else
			times[k] = [Math.min(s[0], a), Math.max(s[1], b)];
	}
	function noteMark(m) {
		if (m && m.time)
			note(m.evidence, Date.parse(m.time),
			    Date.parse(m.latest || m.time));
	}
	timeline.forEach(function (e) {
		if (e.time)
			e.evidence.forEach(function (ev) {
				note(ev, Date.parse(e.time), NaN);
			});
	});
	clusters.forEach(function (c) {
		if (!c.history)
			return;
		c.history.members.forEach(function (m) {
			m.liveness.forEach(function (s) {
				noteMark(s.from);
				noteMark(s.to);
			});
		});
		c.history.leadership.forEach(function (t) {
			noteMark(t.from);
			noteMark(t.to);
		});
	});
	function spanOf(f) {
		var lo = Infinity, hi = -Infinity;
		(f.evidence || []).forEach(function (ev) {
			var s = times[key(ev)];
			if (s) {
				lo = Math.min(lo, s[0]);
				hi = Math.max(hi, s[1]);
			}
		});
		return lo <= hi ? [lo, hi] : null;
	}

	var selected = null;
	function clearHighlight() {
		Array.prototype.forEach.call(document.querySelectorAll(
		    ".finding.selected, .lane.hl, .lbl.hl, svg.sl.dim"),
		    function (x) {
			x.classList.remove("selected", "hl", "dim");
		});
		Array.prototype.forEach.call(document.querySelectorAll(
		    ".hlspan, .hlnote"), function (x) {
			x.parentNode.removeChild(x);
		});
		selected = null;
	}
	function highlight(id) {
		var f = null, i;
		for (i = 0; i < findings.length; i++)
			if (findings[i].id === id)
				f = findings[i];
		clearHighlight();
		if (!f)
			return;
		selected = id;
		var art = document.getElementById("finding-" + id);
		if (art)
			art.classList.add("selected");
		var nodes = f.nodes || [], span = spanOf(f), first = null;
		Array.prototype.forEach.call(document.querySelectorAll(
		    "figure.group"), function (fig) {
			if (f.cluster !== null && fig.dataset.cluster !==
			    f.cluster)
				return;
			var svg = fig.querySelector("svg.sl");
			svg.classList.add("dim");
			Array.prototype.forEach.call(svg.querySelectorAll(
			    ".lane, .lbl"), function (ln) {
				if (nodes.indexOf(ln.dataset.node) >= 0 ||
				    nodes.indexOf(ln.dataset.lane) >= 0)
					ln.classList.add("hl");
			});
			var v = null;
			views.forEach(function (w) {
				if (w.svg === svg)
					v = w;
			});
			var note = el("div", "hlnote muted");
			note.appendChild(document.createTextNode(
			    "Highlighted: "));
			var a = el("a", null, f.id + ": " + f.title);
			a.href = "#finding-" + f.id;
			note.appendChild(a);
			note.appendChild(document.createTextNode(span ?
			    " (" + new Date(span[0]).toISOString() + " to " +
			    new Date(span[1]).toISOString() + ") " :
			    " (its evidence has no time) "));
			var clear = el("button", null, "clear");
			clear.type = "button";
			clear.addEventListener("click", clearHighlight);
			note.appendChild(clear);
			fig.insertBefore(note, fig.querySelector(".slwrap"));
			if (span && v) {
				var x0 = v.x(span[0]), x1 = v.x(span[1]);
				var r = document.createElementNS(SVGNS, "rect");
				var minw = (v.v1 - v.v0) / 200;
				if (x1 - x0 < minw) {
					x0 -= minw / 2;
					x1 += minw / 2;
				}
				r.setAttribute("class", "hlspan");
				r.setAttribute("x", x0);
				r.setAttribute("width", x1 - x0);
				r.setAttribute("y", 0);
				r.setAttribute("height",
				    v.plot.viewBox.baseVal.height);
				r.setAttribute("pointer-events", "none");
				v.zoom.appendChild(r);
			}
			if (!first)
				first = fig;
		});
		return first;
	}
	Array.prototype.forEach.call(document.querySelectorAll(
	    ".finding > h3"), function (h3) {
		/* A control: reached by Tab, pressed by Enter or Space. */
		h3.tabIndex = 0;
		h3.setAttribute("role", "button");
		h3.addEventListener("keydown", function (ev) {
			if (ev.key === "Enter" || ev.key === " ") {
				ev.preventDefault();
				h3.click();
			}
		});
		h3.addEventListener("click", function () {
			var id = h3.parentNode.dataset.finding;
			if (selected === id) {
				clearHighlight();
				return;
			}
			var fig = highlight(id);
			if (fig && fig.scrollIntoView)
				fig.scrollIntoView({ block: "nearest" });
		});
	});

	/* Copy buttons: the command or file contents just before them. */
	function copied(b, ok) {
		b.textContent = ok ? "copied" : "select and copy";
		b.classList.toggle("copied", ok);
		setTimeout(function () {
			b.textContent = "copy";
			b.classList.remove("copied");
		}, 1500);
	}
	Array.prototype.forEach.call(document.querySelectorAll("button.copy"),
	    function (b) {
		b.addEventListener("click", function () {
			var src = b.previousElementSibling;
			var text = src ? src.textContent : "";
			function fallback() {
				var ta = el("textarea");
				ta.value = text;
				document.body.appendChild(ta);
				ta.select();
				var ok = false;
				try {
					ok = document.execCommand("copy");
				} catch (e) {
					ok = false;
				}
				document.body.removeChild(ta);
				copied(b, ok);
			}
			if (navigator.clipboard && navigator.clipboard.writeText)
				navigator.clipboard.writeText(text).then(
				    function () { copied(b, true); }, fallback);
			else
				fallback();
		});
	});
})();
