#!/bin/sh
# tshark's NGAP procedure codes per frame of every capture in $1 (tshark's default SCTP
# preferences: TSN analysis and reassembly on; checksums not checked), for
# real_captures_test.cpp. Output (TSV), one line per frame that tshark shows as NGAP:
#   <capture> <frame> <procedureCode[,procedureCode...]>   (empty for an NGAP IE container
#                                                           inside an SBI body)
sh "$(dirname "$0")/../support/tshark_captures.sh" "$1" -o sctp.checksum:NONE -Y ngap \
  -e ngap.procedureCode
