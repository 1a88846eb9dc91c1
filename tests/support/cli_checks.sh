# Check helpers of the CLI shell tests (sourced, not run). The sourcing script sets `bin` (the
# sec5g binary) first; this file makes a scratch directory `$tmp` (removed on exit), counts the
# checks in `pass` / `fail`, and `cli_checks_summary NAME` prints the counts and returns
# non-zero when a check failed (call it last).

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
pass=0
fail=0

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

# expect_out EXPECTED ARGS...: exit 0, stdout = EXPECTED, nothing on stderr.
expect_out() {
  local want="$1"; shift
  local got rc
  got="$("$bin" "$@" 2>"$tmp/err")"; rc=$?
  if [[ $rc -eq 0 && "$got" == "$want" && ! -s "$tmp/err" ]]; then ok; else
    bad "sec5g $* -> rc=$rc out='$got' (want '$want') err='$(cat "$tmp/err")'"; fi
}

# expect_err CODE ARGS...: exit CODE, nothing on stdout, exactly one line on stderr.
expect_err() {
  local want="$1"; shift
  local got rc lines
  got="$("$bin" "$@" 2>"$tmp/err" </dev/null)"; rc=$?
  lines=$(wc -l <"$tmp/err")
  if [[ $rc -eq $want && -z "$got" && $lines -eq 1 ]]; then ok; else
    bad "sec5g $* -> rc=$rc (want $want) out='$got' stderr lines=$lines: $(cat "$tmp/err")"; fi
}

# cli_checks_summary PREFIX: "PREFIX: N passed, M failed" (no prefix when empty); fails when
# any check failed.
cli_checks_summary() {
  echo "${1:+$1: }$pass passed, $fail failed"
  [[ $fail -eq 0 ]]
}
