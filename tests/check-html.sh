#!/bin/sh
# The HTML report (report -f html) of every fixture in testdata/: under
# 2 MB, nothing fetched from anywhere, -o writes what standard output
# gets; and the structure of its swimlane SVG (elements, classes, lanes,
# marks, ticks; not coordinates) against tests/svg/NAME.txt for a few
# fixtures, so that the drawing stays stable.  TAP on stdout; with
# QS_GOLDEN_UPDATE=1 the expected structures are rewritten (review the
# diff before committing).
set -u
: "${top_srcdir:=.}" "${top_builddir:=.}"
bin="$(cd "$top_builddir" && pwd)/src/quorumscope"
cd "$top_srcdir" || exit 99
export TZ=UTC LC_ALL=C
tmp=$(mktemp -d "${TMPDIR:-/tmp}/qs-html.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT INT TERM
max=$((2 * 1024 * 1024))
golden="zk-kill3of5-paused consul-parallel-restart etcd-member-changes
zk-split-brain triton-ghosts"

fixtures=
for f in testdata/bundles/*.tar.gz testdata/archives/*; do
	case $f in *README) ;; *) fixtures="$fixtures $f";; esac
done
n=0
echo "1..$(($(echo $fixtures | wc -w) + $(echo $golden | wc -w) + 1))"

# The structure of the pictures: one element a line as written, with
# coordinates and tooltips left out.
structure() {
	sed -n '/^<figure class="group"/,/^<\/figure>/p' "$1" |
	    sed -E -e 's/ (x|y|x1|x2|y1|y2|width|height|viewBox)="[^"]*"//g' \
	    -e 's/<title>[^<]*<\/title>//g'
}

for f in $fixtures; do
	n=$((n + 1))
	name=${f##*/}
	"$bin" --no-progress report -f html "$f" > "$tmp/page.html" 2> /dev/null
	rc=$?
	fail=
	case $rc in 0|1|3) ;; *) fail="exit $rc";; esac
	size=$(wc -c < "$tmp/page.html")
	[ "$size" -lt "$max" ] || fail="$fail $size bytes"
	[ "$size" -gt 0 ] || fail="$fail empty"
	# Nothing that a browser would fetch: no src, no link, no url()
	# but the page's own pattern, no @import.
	if grep -Eiq '<(link|img|iframe|object|embed)\b| src=|@import|url\((["'"'"']?)[a-z]+:' "$tmp/page.html"; then
		fail="$fail fetches something"
		grep -Eio '.{0,30}(<(link|img|iframe|object|embed)\b| src=|@import|url\([a-z"'"'"']+:).{0,30}' "$tmp/page.html" |
		    head -3 | sed 's/^/# /'
	fi
	tail -c 8 "$tmp/page.html" | grep -q '</html>' || fail="$fail not complete"
	if [ -n "$fail" ]; then
		echo "not ok $n - $name:$fail"
	else
		echo "ok $n - $name: $size bytes, self-contained"
	fi
done

for g in $golden; do
	n=$((n + 1))
	"$bin" --no-progress report -f html "testdata/bundles/$g.tar.gz" > "$tmp/page.html" 2> /dev/null
	structure "$tmp/page.html" > "$tmp/svg.txt"
	if [ "${QS_GOLDEN_UPDATE:-}" = 1 ]; then
		cp "$tmp/svg.txt" "tests/svg/$g.txt"
		echo "ok $n - $g: SVG structure (updated)"
	elif cmp -s "$tmp/svg.txt" "tests/svg/$g.txt"; then
		echo "ok $n - $g: SVG structure"
	else
		diff -u "tests/svg/$g.txt" "$tmp/svg.txt" | head -40 | sed 's/^/# /'
		echo "not ok $n - $g: SVG structure differs"
	fi
done

# -o FILE writes what standard output would have had.
n=$((n + 1))
"$bin" --no-progress report -f html testdata/bundles/zk-healthy.tar.gz > "$tmp/a.html" 2> /dev/null
"$bin" --no-progress report -f html -o "$tmp/b.html" testdata/bundles/zk-healthy.tar.gz > "$tmp/stdout" 2> /dev/null
if cmp -s "$tmp/a.html" "$tmp/b.html" && [ ! -s "$tmp/stdout" ]; then
	echo "ok $n - -o FILE holds the page, standard output nothing"
else
	echo "not ok $n - -o FILE holds the page, standard output nothing"
fi
