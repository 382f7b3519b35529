#!/bin/sh
# Memory and time against entry count (issue 16 item 5): for 10k, 100k
# and 1M entries in three shapes (empty files in one directory, symbolic
# links pointing out, one node directory each), the peak resident memory
# and the elapsed time of `quorumscope inventory`, and the slope between
# sizes (1.0 = linear).  Bundles are made by bench/entries.py in a scratch
# directory and removed afterwards.
#
#   bench/entries.sh [COUNTS...]     (default: 10000 100000 1000000)
set -u
here=$(cd "$(dirname "$0")" && pwd)
bin=${QS_BIN:-$here/../src/quorumscope}
counts=${*:-10000 100000 1000000}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/qs-bench-entries.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
printf '%-6s %9s %9s %11s %12s %12s\n' SHAPE ENTRIES SECONDS PEAK_KiB \
    TIME_SLOPE MEM_SLOPE
for shape in flat links dirs; do
	prev_n= prev_t= prev_m=
	for n in $counts; do
		python3 "$here/entries.py" "$n" "$shape" "$tmp/b.tar.gz" ||
		    exit 1
		/usr/bin/time -f '%e %M' -o "$tmp/time" "$bin" \
		    --max-entries 100000000 inventory -q "$tmp/b.tar.gz" \
		    >/dev/null 2>&1
		read -r t m <<-EOT
		$(tail -n 1 "$tmp/time")
		EOT
		slope_t=- slope_m=-
		if [ -n "$prev_n" ]; then
			slope_t=$(awk -v a="$prev_t" -v b="$t" -v x="$prev_n" \
			    -v y="$n" 'BEGIN { if (a <= 0) a = 0.01;
			    printf "%.2f", log(b / a) / log(y / x) }')
			slope_m=$(awk -v a="$prev_m" -v b="$m" -v x="$prev_n" \
			    -v y="$n" 'BEGIN { printf "%.2f",
			    log(b / a) / log(y / x) }')
		fi
		printf '%-6s %9s %9s %11s %12s %12s\n' "$shape" "$n" "$t" \
		    "$m" "$slope_t" "$slope_m"
		prev_n=$n prev_t=$t prev_m=$m
		rm -f "$tmp/b.tar.gz"
	done
done
