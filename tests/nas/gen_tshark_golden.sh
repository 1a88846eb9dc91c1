#!/bin/sh
# Regenerates tests/nas/data/tshark_nas.tsv: for every capture in $1 (default ../shared/captures),
# one line per frame that carries an NGAP NAS-PDU, with the NAS PDUs (hex) and the fields tshark
# 4.0 decodes from them with nas-5gs.null_decipher on. Read by nas_tshark_diff_test.cpp.
# Columns: capture, frame, nas_pdus, mm.message_type, sm.message_type, suci.scheme_id,
#          nas_sec_algo_enc, nas_sec_algo_ip, 5gmm_cause, 5G-EA bits (8 fields), 5G-IA bits (8),
#          EEA bits (8), EIA bits (8), security_header_type, msg_auth_code, seq_no, 5gsm_cause,
#          pld_cont_type, 5gs_reg_type, type_id, pdu_session_id, proc_trans_id.
#          Multiple occurrences joined with ','.
set -eu
dir=${1:-"$(dirname "$0")/../../../shared/captures"}
ea="nas_5gs.mm.5g_ea0 nas_5gs.mm.128_5g_ea1 nas_5gs.mm.128_5g_ea2 nas_5gs.mm.128_5g_ea3 nas_5gs.mm.5g_ea4 nas_5gs.mm.5g_ea5 nas_5gs.mm.5g_ea6 nas_5gs.mm.5g_ea7"
ia="nas_5gs.mm.ia0 nas_5gs.mm.5g_128_ia1 nas_5gs.mm.5g_128_ia2 nas_5gs.mm.5g_128_ia3 nas_5gs.mm.5g_128_ia4 nas_5gs.mm.5g_ia5 nas_5gs.mm.5g_ia6 nas_5gs.mm.5g_ia7"
eea="nas_5gs.mm.eea0 nas_5gs.mm.128eea1 nas_5gs.mm.128eea2 nas_5gs.mm.eea3 nas_5gs.mm.eea4 nas_5gs.mm.eea5 nas_5gs.mm.eea6 nas_5gs.mm.eea7"
eia="nas_5gs.mm.eia0 nas_5gs.mm.128eia1 nas_5gs.mm.128eia2 nas_5gs.mm.eia3 nas_5gs.mm.eia4 nas_5gs.mm.eia5 nas_5gs.mm.eia6 nas_5gs.mm.eia7"
fields=""
for f in ngap.NAS_PDU nas_5gs.mm.message_type nas_5gs.sm.message_type nas_5gs.mm.suci.scheme_id \
         nas_5gs.mm.nas_sec_algo_enc nas_5gs.mm.nas_sec_algo_ip nas_5gs.mm.5gmm_cause $ea $ia $eea $eia \
         nas_5gs.security_header_type nas_5gs.msg_auth_code nas_5gs.seq_no nas_5gs.sm.5gsm_cause \
         nas_5gs.mm.pld_cont_type nas_5gs.mm.5gs_reg_type nas_5gs.mm.type_id nas_5gs.pdu_session_id \
         nas_5gs.proc_trans_id; do
  fields="$fields -e $f"
done
# One tshark over all the captures (tests/support/tshark_captures.sh).
# shellcheck disable=SC2086
sh "$(dirname "$0")/../support/tshark_captures.sh" "$dir" -n -o nas-5gs.null_decipher:TRUE \
  -Y ngap.NAS_PDU -E separator=/t -E occurrence=a -E aggregator=, $fields
