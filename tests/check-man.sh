#!/bin/sh
# The man page lints clean and documents every command, option, limit and
# artifact kind the program has (a self-consistency test, curl's way).
: "${top_srcdir:=.}" "${top_builddir:=.}"
man="$top_srcdir/man/quorumscope.1"
bin="$top_builddir/src/quorumscope"
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); echo "not ok $n - $1"; }
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }

echo "1..6"
if [ -n "${MANDOC:-}" ] && [ -x "$MANDOC" ]; then
	out=$("$MANDOC" -Tlint -Wwarning "$man" 2>&1)
	if [ -z "$out" ]; then ok "mandoc -Tlint is clean"
	else echo "$out" | sed 's/^/# /'; notok "mandoc -Tlint is clean"; fi
else
	skip "mandoc -Tlint is clean" "mandoc not installed"
fi

missing=
for c in $("$bin" --help | sed -n '/^commands:/,/^limits:/p' | awk 'NF > 1 && $1 != "commands:" {print $1}'); do
	grep -q "^\.It Cm $c" "$man" || missing="$missing $c"
done
[ -z "$missing" ] && ok "every command is documented" || { echo "# missing:$missing"; notok "every command is documented"; }

missing=
for o in $("$bin" --help | grep -o -- '--[a-z-]*' | sort -u | sed 's/^--//'); do
	case $o in LIMIT) continue;; esac
	grep -q "^\.It Fl \(. , \)\{0,1\}\(Fl \)\{0,1\}-$o\|Fl -$o" "$man" || missing="$missing $o"
done
[ -z "$missing" ] && ok "every option and limit is documented" || { echo "# missing:$missing"; notok "every option and limit is documented"; }

missing=
for k in $(sed -n 's/^[[:space:]]*\.name = "\([a-z]*\.[a-z_]*\)",$/\1/p' "$top_srcdir/src/kinds.c"); do
	grep -q "^\.It Li $k\$" "$man" || missing="$missing $k"
done
[ -z "$missing" ] && ok "every artifact kind is documented" || { echo "# missing:$missing"; notok "every artifact kind is documented"; }

missing=
for s in 0 1 2 3; do
	grep -q "^\.It $s\$" "$man" || missing="$missing $s"
done
[ -z "$missing" ] && ok "every exit status is documented" || { echo "# missing:$missing"; notok "every exit status is documented"; }

missing=
for r in $(sed -n 's/^[[:space:]]*\.id = "\([a-z0-9-]*\)",$/\1/p' "$top_srcdir"/src/rule-*.c); do
	grep -q "^\.It Li $r\$" "$man" || missing="$missing $r"
done
[ -z "$missing" ] && ok "every rule is documented" || { echo "# missing:$missing"; notok "every rule is documented"; }
