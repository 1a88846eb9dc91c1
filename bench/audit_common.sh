# Sourced by bench/audit_pipeline.sh and bench/audit_ab.sh: what both need of the benchmark's
# setting (not a command of its own).
#   TIME   GNU time (checked here; exits 2 when missing)
#   DIR    where the benchmark captures are (AUDIT_DIR, default /tmp/sec5g-audit-bench)
#   median reads numbers, one per line, and prints their median
TIME=/usr/bin/time
[[ -x $TIME ]] || { echo "needs GNU time (/usr/bin/time, Debian package 'time')" >&2; exit 2; }
DIR=${AUDIT_DIR:-/tmp/sec5g-audit-bench}
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
