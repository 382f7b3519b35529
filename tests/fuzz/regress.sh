#!/bin/sh
# Replays the bundle fuzz corpus and every fixture archive through the
# fuzz target (no libFuzzer needed); TAP on stdout.
set -u
: "${top_srcdir:=.}" "${top_builddir:=.}"
set -- "$top_srcdir"/tests/fuzz/corpus/bundle/* "$top_srcdir"/testdata/archives/*.* \
    "$top_srcdir"/testdata/bundles/*.tar.gz
files=
for f in "$@"; do
	[ -f "$f" ] || continue
	# Skip the big ones: the fuzz target caps reads at 16 MiB anyway.
	[ "$(wc -c < "$f")" -le 8388608 ] || continue
	files="$files $f"
done
# shellcheck disable=SC2086
exec "$top_builddir/tests/fuzz/regress-bundle" $files
