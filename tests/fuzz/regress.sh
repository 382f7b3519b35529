#!/bin/sh
# Replays every fuzz corpus through its target without libFuzzer, as one
# TAP stream on stdout: the bundle corpus and every fixture archive through
# regress-bundle, and each tests/fuzz/corpus/<kind>/ through
# regress-<kind> (the kind's dots and underscores as dashes, e.g.
# consul.peers_json -> regress-consul-peers-json).  A program that crashes
# fails the file it was reading and every file after it; one that exits
# non-zero at the end (a leak report) fails all of its files.
set -u
: "${top_srcdir:=.}" "${top_builddir:=.}"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/qs-regress.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
: > "$tmp/list"

# add PROGRAM FILE: one test, unless the file is missing or too big (the
# fuzz targets cap reads at 16 MiB anyway).
add() {
	[ -f "$2" ] || return 0
	[ "$(wc -c < "$2")" -le 8388608 ] || return 0
	printf '%s\t%s\n' "$1" "$2" >> "$tmp/list"
}

for f in "$top_srcdir"/tests/fuzz/corpus/bundle/* \
    "$top_srcdir"/testdata/archives/*.* "$top_srcdir"/testdata/bundles/*.tar.gz
do
	add regress-bundle "$f"
done
for d in "$top_srcdir"/tests/fuzz/corpus/*/; do
	kind=$(basename "$d")
	[ "$kind" = bundle ] && continue
	prog=regress-$(printf '%s' "$kind" | tr '._' '--')
	for f in "$d"*; do
		add "$prog" "$f"
	done
done

echo "1..$(wc -l < "$tmp/list" | tr -d ' ')"
n=0
old_ifs=$IFS
for prog in $(cut -f1 "$tmp/list" | uniq); do
	awk -F '\t' -v p="$prog" '$1 == p { print $2 }' "$tmp/list" \
	    > "$tmp/files"
	count=$(wc -l < "$tmp/files" | tr -d ' ')
	bin=$top_builddir/tests/fuzz/$prog
	if [ ! -x "$bin" ]; then
		while IFS= read -r f; do
			n=$((n + 1))
			echo "not ok $n - $f ($prog not built)"
		done < "$tmp/files"
		continue
	fi
	IFS='
'
	set -f
	# shellcheck disable=SC2046
	"$bin" $(cat "$tmp/files") > "$tmp/out" 2> "$tmp/err"
	rc=$?
	set +f
	IFS=$old_ifs
	# Results renumbered into the combined plan; the program's own plan
	# line is dropped.
	got=$(grep -c '^\(not \)\{0,1\}ok ' "$tmp/out")
	awk -v off="$n" -v rc="$rc" '
		/^ok / || /^not ok / {
			bad = $1 == "not"
			sub(/^(not )?ok [0-9]+/, "")
			if (rc != 0)
				bad = 1
			printf "%s %d%s%s\n", bad ? "not ok" : "ok",
			    off + (++k), $0, rc != 0 ? " (exit " rc ")" : ""
		}' "$tmp/out"
	n=$((n + got))
	if [ "$rc" -ne 0 ]; then
		sed 's/^/# /' "$tmp/err" | head -n 60
		tail -n "+$((got + 1))" "$tmp/files" | awk -v off="$n" \
		    -v p="$prog" -v rc="$rc" '{
			printf "not ok %d - %s (%s crashed, exit %s)\n",
			    off + NR, $0, p, rc
		}'
		n=$((n + count - got))
	fi
done
