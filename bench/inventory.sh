#!/usr/bin/env bash
# Inventory benchmark: how fast `quorumscope inventory` walks a large bundle
# compared with plain decompression (zcat), and how much memory it needs.
#
# Generates a multi-node etcd bundle of about 1.4 GiB uncompressed
# (bench/make-bundle.py piped through `gzip -1`) into a temporary directory
# that is removed on exit, then times, RUNS times each (median reported):
#   zcat BUNDLE > /dev/null
#   $QUORUMSCOPE inventory -q BUNDLE > /dev/null   (under /usr/bin/time -v)
# and prints a table.  It measures; it never fails on the numbers (exit 0),
# only on a broken set-up (bundle generation failing).
#
# Environment:
#   QUORUMSCOPE      binary to measure (default: src/quorumscope under the
#                    repository top; a bare name is looked up in PATH)
#   RUNS             runs per measurement (default 3)
#   BENCH_NODES      nodes in the generated bundle (default 5)
#   BENCH_LOG_BYTES  size of each node's etcd.log (default 100000000)
#   BENCH_BUNDLE     measure this existing .tar.gz instead of generating one
#   BENCH_TMPDIR     where the temporary directory goes (default $TMPDIR or /tmp)
set -u

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
runs=${RUNS:-3}
nodes=${BENCH_NODES:-5}
log_bytes=${BENCH_LOG_BYTES:-100000000}
qs=${QUORUMSCOPE:-$top/src/quorumscope}
case $qs in
*/*) ;;
*) qs=$(command -v "$qs" || echo "$qs") ;;
esac

work=$(mktemp -d "${BENCH_TMPDIR:-${TMPDIR:-/tmp}}/qs-bench.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM

now() { date +%s.%N; }
diff_s() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
mib() { awk -v n="$1" 'BEGIN { printf "%.1f", n / 1048576 }'; }

# ---- the bundle -------------------------------------------------------------
entries="?" files="?" raw_bytes="?"
if [ -n "${BENCH_BUNDLE:-}" ]; then
	bundle=$BENCH_BUNDLE
	if [ ! -r "$bundle" ]; then
		echo "inventory.sh: cannot read BENCH_BUNDLE=$bundle" >&2
		exit 1
	fi
	echo "bench: measuring existing bundle $bundle" >&2
	raw_bytes=$(gzip -dc "$bundle" | wc -c)
	entries=$(tar -tzf "$bundle" | wc -l)
	files=$(tar -tvzf "$bundle" | grep -c '^-')
	gen_s="-"
else
	bundle=$work/bench-collect.tar.gz
	echo "bench: generating a $nodes-node bundle in $work ..." >&2
	t0=$(now)
	nice -n 10 python3 "$here/make-bundle.py" "$nodes" "$log_bytes" \
	    2>"$work/gen.stats" | nice -n 10 gzip -1 -n >"$bundle"
	st=("${PIPESTATUS[@]}")
	t1=$(now)
	if [ "${st[0]}" != 0 ] || [ "${st[1]}" != 0 ]; then
		echo "inventory.sh: bundle generation failed (python ${st[0]}, gzip ${st[1]})" >&2
		cat "$work/gen.stats" >&2
		exit 1
	fi
	gen_s=$(diff_s "$t0" "$t1")
	read -r entries files raw_bytes < <(sed -n \
	    's/^entries=\([0-9]*\) files=\([0-9]*\) bytes=\([0-9]*\)$/\1 \2 \3/p' \
	    "$work/gen.stats")
	echo "bench: generated in ${gen_s}s" >&2
fi
gz_bytes=$(wc -c <"$bundle")

# Warm the page cache so that both measurements read from memory.
cat "$bundle" >/dev/null

# ---- zcat ---------------------------------------------------------------------
zcat_t=()
for i in $(seq 1 "$runs"); do
	t0=$(now)
	gzip -dc "$bundle" >/dev/null
	t1=$(now)
	zcat_t+=("$(diff_s "$t0" "$t1")")
done
zcat_med=$(median "${zcat_t[@]}")
echo "bench: zcat runs: ${zcat_t[*]}" >&2

# ---- quorumscope -------------------------------------------------------------
qs_med="-" rss_med="-" ratio="-" qs_note=""
if [ ! -x "$qs" ]; then
	qs_note="not run: $qs not found or not executable (build it first)"
else
	have_time=0
	[ -x /usr/bin/time ] && have_time=1
	qs_t=() rss=() rcs=()
	for i in $(seq 1 "$runs"); do
		t0=$(now)
		if [ $have_time = 1 ]; then
			/usr/bin/time -v -o "$work/time.$i" "$qs" inventory -q "$bundle" \
			    >/dev/null 2>"$work/qs.err.$i"
		else
			"$qs" inventory -q "$bundle" >/dev/null 2>"$work/qs.err.$i"
		fi
		rc=$?
		t1=$(now)
		qs_t+=("$(diff_s "$t0" "$t1")")
		rcs+=("$rc")
		if [ $have_time = 1 ]; then
			kb=$(sed -n 's/^[[:space:]]*Maximum resident set size (kbytes): //p' \
			    "$work/time.$i")
			[ -n "$kb" ] && rss+=("$(awk -v k="$kb" 'BEGIN { printf "%.1f", k / 1024 }')")
		fi
		# 0 = nothing found, 1 = findings: both are normal outcomes.
		if [ "$rc" != 0 ] && [ "$rc" != 1 ]; then
			echo "bench: quorumscope run $i exited $rc; stderr tail:" >&2
			tail -n 5 "$work/qs.err.$i" >&2
		fi
	done
	qs_med=$(median "${qs_t[@]}")
	echo "bench: quorumscope runs: ${qs_t[*]} (exit codes ${rcs[*]})" >&2
	if [ ${#rss[@]} -gt 0 ]; then
		rss_med=$(median "${rss[@]}")
		echo "bench: peak RSS runs (MiB): ${rss[*]}" >&2
	else
		qs_note="peak RSS not measured: /usr/bin/time missing (Debian package time)"
	fi
	ratio=$(awk -v z="$zcat_med" -v q="$qs_med" \
	    'BEGIN { if (q > 0) printf "%.2f", z / q; else print "-" }')
	qs_note=${qs_note:-"exit codes: ${rcs[*]}"}
fi

# ---- report -------------------------------------------------------------------
echo
echo "quorumscope inventory benchmark (median of $runs runs)"
printf '  %-16s %s\n' "binary" "$qs"
if [ -n "${BENCH_BUNDLE:-}" ]; then
	printf '  %-16s %s\n' "bundle" "$bundle (given)"
else
	printf '  %-16s %s\n' "bundle" "$(basename "$bundle") ($nodes nodes, generated in ${gen_s}s)"
fi
printf '  %-16s %s\n' "compressed" "$(mib "$gz_bytes") MiB ($gz_bytes bytes)"
if [ "$raw_bytes" != "?" ]; then
	printf '  %-16s %s\n' "uncompressed" "$(mib "$raw_bytes") MiB ($raw_bytes bytes)"
fi
printf '  %-16s %s\n' "entries" "$entries (regular files: $files)"
printf '  %-16s %s\n' "zcat" "$zcat_med s"
printf '  %-16s %s\n' "quorumscope" "$qs_med s  ($qs_note)"
printf '  %-16s %s\n' "ratio" "$ratio  (zcat time / quorumscope time; higher is better, target >= 0.8)"
printf '  %-16s %s\n' "peak RSS" "$rss_med MiB  (target < 64)"
echo "inventory-bench: compressed_bytes=$gz_bytes uncompressed_bytes=$raw_bytes" \
    "entries=$entries files=$files zcat_s=$zcat_med quorumscope_s=$qs_med" \
    "ratio=$ratio peak_rss_mib=$rss_med"
exit 0
