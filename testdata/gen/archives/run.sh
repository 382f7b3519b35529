#!/bin/sh
# make fixtures entry point: rewrites testdata/archives/ (see make.py).
set -eu
exec python3 "$(dirname "$0")/make.py" "$@"
