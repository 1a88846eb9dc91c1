#!/bin/sh
# Extracts, with tshark, every NGAP PDU of the captures in $1 (SCTP DATA chunks with PPID 60;
# fragmented user messages and retransmissions excluded, as tshark does not dissect them by
# default) and the NGAP fields tshark decodes from the same frames. Output (TSV):
#   P <capture> <frame> <hex[,hex...]>      the PDUs of the frame, in chunk order
#   T <capture> <frame> <NGAP_PDU> <procedureCode> <RAN_UE_NGAP_ID> <AMF_UE_NGAP_ID>
#     <NAS_PDU> <nAS_PDU> <pDUSessionNAS_PDU> <nRenc> <nRint> <eUTRAenc> <eUTRAint>
#     <Cause> <radioNetwork> <transport> <nas> <protocol> <misc>
# (multiple occurrences comma-separated, in tshark's order). All P lines come first, then all
# T lines; each group in capture and frame order.
dir=$1
all="$(dirname "$0")/../support/tshark_captures.sh"
filter='sctp.data_payload_proto_id==60 && !(sctp.data_b_bit==0 || sctp.data_e_bit==0)'
sh "$all" "$dir" -o sctp.checksum:NONE --disable-protocol ngap -Y "$filter" \
  -E occurrence=a -e data.data |
  awk -F'\t' '$3 != "" { print "P\t" $0 }'
sh "$all" "$dir" -o sctp.checksum:NONE -Y "$filter && ngap" -E occurrence=a \
  -e ngap.NGAP_PDU -e ngap.procedureCode -e ngap.RAN_UE_NGAP_ID \
  -e ngap.AMF_UE_NGAP_ID -e ngap.NAS_PDU -e ngap.nAS_PDU -e ngap.pDUSessionNAS_PDU \
  -e ngap.nRencryptionAlgorithms -e ngap.nRintegrityProtectionAlgorithms \
  -e ngap.eUTRAencryptionAlgorithms -e ngap.eUTRAintegrityProtectionAlgorithms \
  -e ngap.Cause -e ngap.radioNetwork -e ngap.transport -e ngap.nas -e ngap.protocol \
  -e ngap.misc |
  awk '{ print "T\t" $0 }'
