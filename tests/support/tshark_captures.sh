#!/bin/sh
# tshark_captures.sh DIR TSHARK_ARG...: for every capture in DIR (*.pcap, then *.pcapng, in
# name order), the output of `tshark -r CAPTURE -T fields -e frame.number TSHARK_ARG...`, each
# line printed as CAPTURE<TAB>FRAME<TAB>the other fields (CAPTURE without its folder, FRAME
# counted within CAPTURE). Lines without a frame number are left out.
#
# tshark spends ~0.6 s starting (registering every dissector) and a few milliseconds on each
# shared capture, so the captures go through one tshark process: concatenated by mergecap
# (-a, each file's interfaces kept apart), the frame numbers mapped back with capinfos' packet
# counts. One run took the NGAP cache from 94 s to 6 s of CPU. The concatenation lets dissector
# state (conversations) of one capture reach the next; for the 57 shared captures and Debian
# 12's tshark 4.0 the output is the same, line for line, as with one tshark per capture, which
# TSHARK_PER_CAPTURE=1 selects (to check that again: run both and compare). The script falls
# back to one tshark per capture when mergecap or capinfos fails or their counts disagree.
dir=$1
shift
set -u
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
for f in "$dir"/*.pcap "$dir"/*.pcapng; do
  [ -f "$f" ] && printf '%s\n' "$f"
done >"$tmp/list"
[ -s "$tmp/list" ] || exit 0

per_capture() {
  while IFS= read -r f; do
    tshark -r "$f" -T fields -e frame.number "$@" 2>/dev/null |
      awk -v n="$(basename "$f")" 'BEGIN { FS = OFS = "\t" } $1 != "" { print n, $0 }'
  done <"$tmp/list"
}

if [ "${TSHARK_PER_CAPTURE:-0}" = 1 ]; then
  per_capture "$@"
  exit 0
fi

# The file names go to mergecap and capinfos as arguments: none of the shared captures has a
# newline in its name, and a name with one makes the counts disagree (then one run per file).
files=$(wc -l <"$tmp/list")
if ! tr '\n' '\0' <"$tmp/list" | xargs -0 capinfos -T -r -c -M >"$tmp/counts" 2>/dev/null ||
   [ "$(wc -l <"$tmp/counts")" -ne "$files" ] ||
   ! tr '\n' '\0' <"$tmp/list" | xargs -0 mergecap -a -I none -F pcapng -w "$tmp/all.pcapng" \
       2>/dev/null ||
   [ "$(capinfos -T -r -c -M "$tmp/all.pcapng" 2>/dev/null | cut -f2)" -ne \
     "$(awk -F'\t' '{ s += $2 } END { print s + 0 }' "$tmp/counts")" ]; then
  per_capture "$@"
  exit 0
fi
tshark -r "$tmp/all.pcapng" -T fields -e frame.number "$@" 2>/dev/null |
  awk -v counts="$tmp/counts" '
    BEGIN {
      FS = OFS = "\t"
      while ((getline line <counts) > 0) {
        split(line, c, "\t"); k = split(c[1], p, "/")
        name[++n] = p[k]; first[n] = total; total += c[2]; last[n] = total
      }
      i = 1
    }
    $1 == "" { next }
    { while (i < n && $1 > last[i]) i++; $1 = $1 - first[i]; print name[i], $0 }'
