#!/bin/sh
# A recorded fuzz campaign (issue 16 item 7): builds every libFuzzer target
# (fuzz-bundle, fuzz-msgpack, and fuzz-kind once per parser kind) with
# clang, ASan and UBSan in a scratch directory, runs each for SECONDS
# seconds at the lowest priority, one at a time, minimises its corpus back
# into tests/fuzz/corpus/<kind>/ (libFuzzer's -merge=1), and appends one
# line per target to the results file: target, executions, seconds,
# corpus files before and after, crashes.
#
#   tests/fuzz/campaign.sh [SECONDS [TARGET...]]
#
# Not run by make check: the corpora it leaves are what make check replays.
set -u
secs=${1:-60}
[ $# -gt 0 ] && shift
src=$(cd "$(dirname "$0")/../.." && pwd)
work=${QS_FUZZ_WORK:-${TMPDIR:-/tmp}/qs-fuzz-campaign}
results=${QS_FUZZ_RESULTS:-$work/results.tsv}
mkdir -p "$work/build" "$work/new" "$work/crashes"

# The library once, instrumented for coverage, built from a clean copy of
# the committed tree (the working tree may be configured in place).
if [ ! -f "$work/build/src/libquorumscope.a" ]; then
	rm -rf "$work/build"
	mkdir -p "$work/build"
	(git -C "$src" archive HEAD | tar -x -C "$work/build" &&
	    cd "$work/build" && autoreconf -fi >autoreconf.log 2>&1 &&
	    ./configure CC=clang \
	    CFLAGS="-g -O1 -fsanitize=fuzzer-no-link,address,undefined" \
	    >configure.log 2>&1 && make -j1 src/report-html-assets.h && make -j1 src/libquorumscope.a \
	    >make.log 2>&1) || { echo "campaign: library build failed" >&2;
	    exit 1; }
fi
libs=$(sed -n 's/^LIBARCHIVE_LIBS = //p; s/^CJSON_LIBS = //p; s/^MAGIC_LIBS = //p' \
    "$work/build/Makefile" | tr '\n' ' ')
cflags="-g -O1 -fsanitize=fuzzer,address,undefined -I$src/src -I$work/build -I$work/build/src"

build() { # build NAME SOURCE [KIND]
	[ -x "$work/$1" ] && return 0
	if [ $# -gt 2 ]; then
		clang $cflags -DQS_FUZZ_KIND="\"$3\"" -o "$work/$1" "$2" \
		    "$work/build/src/libquorumscope.a" $libs
	else
		clang $cflags -o "$work/$1" "$2" \
		    "$work/build/src/libquorumscope.a" $libs
	fi
}

targets=$*
[ -z "$targets" ] && targets=$(ls "$src/tests/fuzz/corpus")
for kind in $targets; do
	case $kind in
	bundle) build fuzz-bundle "$src/tests/fuzz/fuzz-bundle.c" ;;
	msgpack) build fuzz-msgpack "$src/tests/fuzz/fuzz-msgpack.c" ;;
	*) build "fuzz-$kind" "$src/tests/fuzz/fuzz-kind.c" "$kind" ;;
	esac || { echo "campaign: $kind: build failed" >&2; continue; }
	case $kind in bundle|msgpack) prog=$work/fuzz-$kind ;;
	*) prog=$work/fuzz-$kind ;; esac
	corpus=$src/tests/fuzz/corpus/$kind
	mkdir -p "$work/new/$kind" "$work/crashes/$kind"
	before=$(ls "$corpus" | wc -l)
	nice -n 19 "$prog" -max_total_time="$secs" -timeout=10 -rss_limit_mb=1024 \
	    -max_len=65536 -print_final_stats=1 \
	    -artifact_prefix="$work/crashes/$kind/" \
	    "$work/new/$kind" "$corpus" >"$work/$kind.log" 2>&1
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$kind.log" | tail -1)
	took=$(sed -n 's/^stat::.*//p' "$work/$kind.log" >/dev/null; echo "$secs")
	# Minimise: keep only inputs that add coverage, old and new.
	rm -rf "$work/min-$kind"
	mkdir -p "$work/min-$kind"
	nice -n 19 "$prog" -merge=1 -timeout=10 -rss_limit_mb=1024 \
	    "$work/min-$kind" "$corpus" "$work/new/$kind" \
	    >"$work/$kind.merge.log" 2>&1 &&
	    [ "$(ls "$work/min-$kind" | wc -l)" -gt 0 ] && {
		rm -f "$corpus"/*
		cp "$work/min-$kind"/* "$corpus"/
	}
	after=$(ls "$corpus" | wc -l)
	crashes=$(ls "$work/crashes/$kind" | wc -l)
	printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$kind" "${execs:-0}" "$took" \
	    "$before" "$after" "$crashes" >> "$results"
done
