#!/bin/sh
# Replays fuzz inputs through the fuzz targets without libFuzzer; one TAP
# stream on stdout.  The bundle target gets its corpus and every fixture
# archive; each kind's target (regress-<kind>, dots and underscores as
# dashes: consul.log -> regress-consul-log) gets tests/fuzz/corpus/<kind>/.
# A target that dies (crash, sanitizer report) is one failed test.
set -u
: "${top_srcdir:=.}" "${top_builddir:=.}"
fuzz="$top_builddir/tests/fuzz"
out=$(mktemp) || exit 1
trap 'rm -f "$out" "$out.err"' EXIT
n=0

# replay PROGRAM FILE...: its TAP lines renumbered into ours.
replay() {
	prog=$1
	shift
	[ $# -gt 0 ] || return 0
	"$prog" "$@" >"$out" 2>"$out.err"
	rc=$?
	while IFS= read -r line; do
		case $line in
		"ok "*|"not ok "*)
			n=$((n + 1))
			printf '%s\n' "$line" | sed -e "s/^ok [0-9]*/ok $n/" \
			    -e "s/^not ok [0-9]*/not ok $n/"
			;;
		esac
	done <"$out"
	if [ "$rc" -ne 0 ]; then
		n=$((n + 1))
		echo "not ok $n - ${prog##*/} exited with status $rc"
		sed 's/^/# /' "$out.err"
	fi
}

set -- "$top_srcdir"/tests/fuzz/corpus/bundle/* \
    "$top_srcdir"/testdata/archives/*.* "$top_srcdir"/testdata/bundles/*.tar.gz
files=
for f in "$@"; do
	[ -f "$f" ] || continue
	# Skip the big ones: the fuzz target caps reads at 16 MiB anyway.
	[ "$(wc -c < "$f")" -le 8388608 ] || continue
	files="$files $f"
done
# shellcheck disable=SC2086
replay "$fuzz/regress-bundle" $files

for dir in "$top_srcdir"/tests/fuzz/corpus/*/; do
	kind=$(basename "$dir")
	[ "$kind" != bundle ] || continue
	prog="$fuzz/regress-$(printf '%s' "$kind" | tr '._' '--')"
	if [ ! -x "$prog" ]; then
		n=$((n + 1))
		echo "not ok $n - no replay program for corpus $kind"
		continue
	fi
	set --
	for f in "$dir"*; do
		[ -f "$f" ] && set -- "$@" "$f"
	done
	replay "$prog" "$@"
done
echo "1..$n"
