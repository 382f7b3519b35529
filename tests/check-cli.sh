#!/bin/sh
# Command-line conventions that a golden case cannot pin: --version names
# the libraries of this system; colour follows the terminal, NO_COLOR and
# TERM=dumb (a terminal is made with script(1) where it exists).  TAP.
: "${top_srcdir:=.}" "${top_builddir:=.}"
bin="$(cd "$top_builddir" && pwd)/src/quorumscope"
cd "$top_srcdir" || exit 99
export TZ=UTC LC_ALL=C
unset NO_COLOR
b=testdata/bundles/consul-parallel-restart.tar.gz
esc=$(printf '\033')
n=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); echo "not ok $n - $1"; }
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }
echo "1..7"

v=$("$bin" --version)
if echo "$v" | sed -n 1p | grep -q '^quorumscope [0-9]' &&
    echo "$v" | grep -q '^libarchive [0-9]' &&
    echo "$v" | grep -q '^cJSON [0-9]' &&
    echo "$v" | grep -q '^libmagic [0-9]' &&
    echo "$v" | grep -q '^filters:.* gzip'; then
	ok "--version names libarchive, cJSON, libmagic and the filters"
else
	echo "$v" | sed 's/^/# /'
	notok "--version names libarchive, cJSON, libmagic and the filters"
fi
[ "$("$bin" version)" = "$v" ] && ok "version is --version" ||
    notok "version is --version"

"$bin" --color=auto "$b" | grep -q "$esc" && notok "no colour into a pipe" ||
    ok "no colour into a pipe"
"$bin" --color=always "$b" | grep -q "$esc\[1;31mcritical" &&
    ok "--color=always colours severities" ||
    notok "--color=always colours severities"

if script -qec true /dev/null > /dev/null 2>&1; then
	tty() { script -qec "$*" /dev/null < /dev/null; }
	TERM=xterm tty "'$bin' $b" | grep -q "$esc" &&
	    ok "colour on a terminal" || notok "colour on a terminal"
	TERM=xterm NO_COLOR=1 tty "'$bin' $b" | grep -q "$esc" &&
	    notok "no colour with NO_COLOR" || ok "no colour with NO_COLOR"
	TERM=dumb tty "'$bin' $b" | grep -q "$esc" &&
	    notok "no colour with TERM=dumb" || ok "no colour with TERM=dumb"
else
	skip "colour on a terminal" "no script(1)"
	skip "no colour with NO_COLOR" "no script(1)"
	skip "no colour with TERM=dumb" "no script(1)"
fi
