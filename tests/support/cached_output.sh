#!/bin/sh
# cached_output.sh SCRIPT ARG CACHE [GUARD]: writes the standard output of `sh SCRIPT ARG` to
# CACHE, unless CACHE is non-empty and newer than SCRIPT, than ARG (the captures folder:
# adding or removing a capture changes its time) and than tshark_captures.sh beside this
# script (which the tshark scripts run). Runs nothing when the shell condition
# GUARD (e.g. `command -v tshark`) fails. One writer at a time: a second caller waits on the lock
# CACHE.lock, then finds the cache written. The cache is replaced atomically and only by a
# non-empty output; this script always exits 0 (the tests that read an empty cache skip).
# Used by tests/support/process.hpp (cached_script_output) and by the ctest fixtures that write
# the caches before the tests that read them (sec5g_add_script_cache in cmake/sec5g.cmake).
script=$1
arg=$2
cache=$3
guard=${4:-true}
helper="$(dirname "$0")/tshark_captures.sh"
sh -c "$guard" >/dev/null 2>&1 || exit 0
mkdir -p "$(dirname "$cache")" 2>/dev/null || exit 0
(
  flock 9 || exit 0
  if [ ! -s "$cache" ] || [ "$script" -nt "$cache" ] || [ "$arg" -nt "$cache" ] ||
     [ "$helper" -nt "$cache" ]; then
    tmp="$cache.tmp.$$"
    if sh "$script" "$arg" >"$tmp" 2>/dev/null && [ -s "$tmp" ]; then
      mv -f "$tmp" "$cache"
    fi
    rm -f "$tmp"
  fi
) 9>"$cache.lock"
exit 0
