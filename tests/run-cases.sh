#!/bin/sh
# Golden end-to-end cases: tests/cases/NAME.args holds the arguments (shell
# words, evaluated from the source tree's top so paths stay relative and
# stable), NAME.out the exact standard output, NAME.err the standard error
# (absent: must be empty), NAME.rc the exit status (absent: 0), NAME.stdin
# a file fed on standard input.  TAP on stdout.  With QS_GOLDEN_UPDATE=1
# the expected files are rewritten from what the program prints: review
# the diff before committing.
set -u
: "${top_srcdir:=.}" "${top_builddir:=.}"
bin="$(cd "$top_builddir" && pwd)/src/quorumscope"
cd "$top_srcdir" || exit 99
export TZ=UTC LC_ALL=C
unset NO_COLOR
tmp=$(mktemp -d "${TMPDIR:-/tmp}/qs-cases.XXXXXX") || exit 99
trap 'rm -rf "$tmp"' EXIT INT TERM

cases=$(ls tests/cases/*.args | sort)
echo "1..$(echo "$cases" | wc -l)"
n=0
for args in $cases; do
	n=$((n + 1))
	name=${args%.args}
	stdin=/dev/null
	[ -f "$name.stdin" ] && stdin=$(cat "$name.stdin")
	eval "set -- $(cat "$args")"
	"$bin" "$@" < "$stdin" > "$tmp/out" 2> "$tmp/err"
	rc=$?
	if [ "${QS_GOLDEN_UPDATE:-}" = 1 ]; then
		cp "$tmp/out" "$name.out"
		if [ -s "$tmp/err" ]; then cp "$tmp/err" "$name.err"; else rm -f "$name.err"; fi
		if [ "$rc" != 0 ]; then echo "$rc" > "$name.rc"; else rm -f "$name.rc"; fi
		echo "ok $n - ${name##*/} (updated)"
		continue
	fi
	want_rc=0
	[ -f "$name.rc" ] && want_rc=$(cat "$name.rc")
	[ -f "$name.err" ] && want_err="$name.err" || want_err=/dev/null
	fail=
	if ! cmp -s "$tmp/out" "$name.out"; then
		fail="stdout differs"
		diff -u "$name.out" "$tmp/out" | head -40 | sed 's/^/# /'
	fi
	if ! cmp -s "$tmp/err" "$want_err"; then
		fail="$fail stderr differs"
		diff -u "$want_err" "$tmp/err" | head -20 | sed 's/^/# /'
	fi
	if [ "$rc" != "$want_rc" ]; then
		fail="$fail exit $rc, want $want_rc"
	fi
	if [ -n "$fail" ]; then
		echo "not ok $n - ${name##*/}: $fail"
	else
		echo "ok $n - ${name##*/}"
	fi
done
