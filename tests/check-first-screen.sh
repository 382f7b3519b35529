#!/bin/sh
# The report's first screen answers the question: for every bundle in
# testdata/bundles, the first 24 lines at 80 columns hold each cluster's
# verdict and, where findings made it, the cause and the first repair
# step.  Every line fits 80 columns (a single unbreakable word, or a file's
# contents in a repair step, excepted) and none ends in a space; dump
# takes the evidence as printed.  The
# README's sample output is the demo's real first screen.  TAP on stdout.
: "${top_srcdir:=.}" "${top_builddir:=.}"
bin="$(cd "$top_builddir" && pwd)/src/quorumscope"
cd "$top_srcdir" || exit 99
export TZ=UTC LC_ALL=C
unset COLUMNS NO_COLOR
tmp=$(mktemp -d "${TMPDIR:-/tmp}/qs-screen.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT INT TERM

bundles=$(ls -d testdata/bundles/* | grep -v '\.README$')
echo "1..$(($(echo "$bundles" | wc -l) * 2 + 2))"
n=0
dumpbad=
for b in $bundles; do
	name=${b##*/}
	"$bin" --width 80 "$b" > "$tmp/out" 2>/dev/null
	ev=$(sed -n '/^  evidence:$/{n;s/^ *//;s/[:@][0-9]*$//;p;q;}' "$tmp/out")
	[ -z "$ev" ] || "$bin" dump "$b" "$ev" 2>/dev/null | grep -q '^== ' ||
	    dumpbad="$dumpbad $name:$ev"
	# Clusters: one "  verdict:" line each, as many as JSON has.
	want=$(sed -n '1s/.* \([0-9][0-9]*\) clusters\{0,1\}\( (.*)\)\{0,1\}$/\1/p' "$tmp/out")
	head -24 "$tmp/out" > "$tmp/head"
	bad=$(awk -v want="$want" '
	    /^  verdict: / { v++; open = ($0 !~ /^  verdict: (healthy|unknown)/) }
	    /^  cause: / && open { c++ }
	    /^  repair: / && open { r++; open = 0 }
	    /^  verdict: / && $0 !~ /^  verdict: (healthy|unknown)/ { f++ }
	    END {
		if (v != want) printf "%d of %d verdicts;", v, want
		if (c != f || r != f) printf " %d verdicts with findings, %d causes, %d repairs;", f, c, r
	    }' "$tmp/head")
	n=$((n + 1))
	if [ -z "$bad" ]; then echo "ok $n - $name: verdict, cause, repair in 24 lines"
	else sed 's/^/# /' "$tmp/head"; echo "not ok $n - $name: $bad"; fi
	bad=$(awk '
	    / $/ { printf "line %d ends in a space; ", NR }
	    length > 80 {
		s = $0; sub(/^ +/, "", s)
		if (s ~ / / && $0 !~ /^         /) printf "line %d is %d wide; ", NR, length
	    }' "$tmp/out")
	n=$((n + 1))
	if [ -z "$bad" ]; then echo "ok $n - $name: 80 columns, no trailing space"
	else echo "not ok $n - $name: $bad"; fi
done

# Evidence is printed as NODE:PATH:LINE or NODE:PATH@OFFSET, which dump
# takes as it is: the first evidence of every bundle.
n=$((n + 1))
if [ -z "$dumpbad" ]; then echo "ok $n - dump takes the evidence as printed"
else echo "not ok $n - dump does not take:$dumpbad"; fi

# The README's sample: the lines after the demo's command line, up to a
# "..." line, are the report's first lines.
sed -n '/^\$ quorumscope testdata\/bundles\/consul-parallel-restart.tar.gz$/,/^```$/p' README.md |
    sed '1d;$d' | sed '/^\.\.\.$/,$d' > "$tmp/readme"
"$bin" testdata/bundles/consul-parallel-restart.tar.gz 2>/dev/null |
    head -n "$(wc -l < "$tmp/readme")" > "$tmp/real"
n=$((n + 1))
if [ -s "$tmp/readme" ] && cmp -s "$tmp/readme" "$tmp/real"; then
	echo "ok $n - README shows the demo's real first screen"
else
	diff -u "$tmp/readme" "$tmp/real" | sed 's/^/# /'
	echo "not ok $n - README shows the demo's real first screen"
fi
