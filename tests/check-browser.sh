#!/bin/sh
# The browser tests (tests/browser.py) when Chromium and Python are here;
# a plain SKIP saying so when they are not.  Screenshots, pages and PDFs
# go to tests/browser-artifacts/ in the build tree.
: "${top_srcdir:=.}" "${top_builddir:=.}"
chromium=${CHROMIUM:-}
if [ -z "$chromium" ]; then
	for c in chromium chromium-browser; do
		if command -v "$c" > /dev/null 2>&1; then
			chromium=$(command -v "$c")
			break
		fi
	done
fi
python=${PYTHON3:-}
[ -n "$python" ] || python=$(command -v python3 2> /dev/null)
if [ -z "$chromium" ]; then
	echo "1..0 # SKIP chromium is not installed: the browser tests did not run"
	echo "browser tests skipped: chromium is not installed" >&2
	exit 0
fi
if [ -z "$python" ]; then
	echo "1..0 # SKIP python3 is not installed: the browser tests did not run"
	echo "browser tests skipped: python3 is not installed" >&2
	exit 0
fi
src=$(cd "$top_srcdir" && pwd)
build=$(cd "$top_builddir" && pwd)
exec "$python" "$src/tests/browser.py" "$build/src/quorumscope" "$chromium" \
    "$src" "$build/tests/browser-artifacts"
