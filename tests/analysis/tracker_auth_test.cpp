// Tracker authentication handling on hand-built flows with real crypto: 5G-AKA with a TUAK
// subscriber, EAP-AKA' (AT_RES checked, keys from EMSK), AUTS verification, and the former
// context kept across an SMC and restored on Security Mode Reject (TS 24.501 4.4.2.1, 5.4.2.5).
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "ngap_test_messages.hpp"
#include "sec5g/analysis/eap_aka.hpp"
#include "sec5g/analysis/subscriber_keys.hpp"
#include "sec5g/analysis/tracker.hpp"
#include "sec5g/core/byte_writer.hpp"
#include "sec5g/core/hex.hpp"
#include "sec5g/crypto/eap_aka_prime.hpp"
#include "sec5g/crypto/kdf.hpp"
#include "sec5g/crypto/key_hierarchy.hpp"
#include "sec5g/crypto/milenage.hpp"
#include "sec5g/crypto/nea.hpp"
#include "sec5g/crypto/nia.hpp"
#include "sec5g/crypto/tuak.hpp"
#include "sec5g/nas/messages.hpp"
#include "sec5g/ngap/message.hpp"
#include "support/hex.hpp"

namespace sec5g::analysis {
namespace {

constexpr const char* k_hex = "465b5ce8b199b49faa5f0a2ee238a6bc";
constexpr const char* opc_hex = "cd63cb71954a9f4e48a5994e37a02baf";
constexpr const char* top_hex = "5555555555555555555555555555555555555555555555555555555555555555";
constexpr const char* imsi = "001010000000001";
constexpr const char* supi = "imsi-001010000000001";
constexpr const char* snn = "5G:mnc001.mcc001.3gppnetwork.org";

struct event {
  std::uint8_t header_type = 0;
  mac_verdict mac = mac_verdict::not_protected;
  bool deciphered = false;
  std::uint8_t type = 0; // 5GMM message type of the plain message (0 unreadable)
  std::uint32_t count = 0;
};

struct recording_sink : event_sink {
  std::vector<event> events;
  std::vector<ngap_event> ngap_events; // (pointers inside are not kept)
  const ue_context* ue = nullptr;
  void on_nas(const nas_event& e) override {
    event ev;
    ev.header_type = e.header_type;
    ev.mac = e.mac;
    ev.deciphered = e.deciphered;
    ev.type = e.mm != nullptr ? e.mm->type : 0;
    ev.count = e.count.value_or(0);
    events.push_back(ev);
    ue = e.ue;
  }
  void on_ngap(const ngap_event& e) override {
    ngap_event copy = e;
    copy.pkt = nullptr;
    copy.ue = nullptr;
    copy.pdu = nullptr;
    ngap_events.push_back(copy);
  }
};

using sec5g::test::hex;

/// The network side of one UE: builds NGAP-wrapped NAS with real protection.
class flow {
public:
  explicit flow(const std::string& key_file)
      : db_(*parse_subscriber_keys(key_file, "test.csv")), trk_({}, &db_, nullptr, sink_) {}

  recording_sink& sink() { return sink_; }
  const ue_context& ue() const { return *sink_.ue; }

  void initial(bytes_view nas) { send(test::initial_ue_message(1, nas)); }
  void downlink(bytes_view nas) { send(test::downlink_nas(7, 1, nas)); }
  void uplink(bytes_view nas) { send(test::uplink_nas(7, 1, nas)); }
  /// InitialContextSetupRequest with a SecurityKey; PathSwitchRequestAcknowledge with (NCC, NH).
  void initial_context_setup(bytes_view k_gnb) {
    ngap::message m;
    m.type = ngap::pdu_type::initiating;
    m.procedure_code = ngap::procedure::initial_context_setup;
    m.amf_ue_ngap_id = 7;
    m.ran_ue_ngap_id = 1;
    m.security_key = k_gnb;
    send(test::encoded(m));
  }
  void path_switch_ack(std::uint8_t ncc, bytes_view nh) {
    ngap::message m;
    m.type = ngap::pdu_type::successful;
    m.procedure_code = ngap::procedure::path_switch_request;
    m.amf_ue_ngap_id = 7;
    m.ran_ue_ngap_id = 1;
    m.security_context = ngap::security_context{ncc, nh};
    send(test::encoded(m));
  }

  /// Any NGAP PDU on SCTP association `assoc` (0 is the one of the helpers above).
  void send(const byte_buffer& pdu, std::uint32_t assoc = 0) {
    ASSERT_FALSE(pdu.empty());
    packet_meta pkt;
    pkt.frame = ++frame_;
    pkt.time_ns = static_cast<std::int64_t>(frame_) * 1'000'000;
    pkt.association = assoc;
    pkt.gnb = assoc == 0 ? "gnb" : "gnb2";
    pkt.amf = "amf";
    trk_.on_ngap(pkt, pdu);
  }
  std::size_t live_ues() const { return trk_.live_ues(); }

private:
  subscriber_db db_;
  recording_sink sink_;
  tracker trk_;
  std::uint64_t frame_ = 0;
};

/// A registration request without an identity the key file knows (the tracker must find the
/// subscriber from the AUTN).
byte_buffer registration_request() {
  identity::guti_5g g{};
  g.tmsi = 0x01020304;
  return test::registration_request_nas(g);
}

struct nas_keys {
  key128 enc;
  key128 integ;
};

/// Protects `plain` (header type 1..4) with `keys` at `count`. Ref: TS 24.501 4.4.3.3, 4.4.5.
byte_buffer protect(const nas_keys& k, nas::security_header_type t, std::uint32_t count,
                    std::uint8_t dir, bytes_view plain) {
  byte_buffer inner(plain.begin(), plain.end());
  if (t == nas::security_header_type::integrity_protected_ciphered ||
      t == nas::security_header_type::integrity_protected_ciphered_new_context) {
    EXPECT_TRUE(crypto::nea_in_place(crypto::nea_alg::nea2, k.enc.view(), count, 1, dir, inner,
                                     inner.size() * 8)
                    .has_value());
  }
  byte_buffer covered;
  covered.push_back(static_cast<std::uint8_t>(count & 0xff));
  covered.insert(covered.end(), inner.begin(), inner.end());
  auto mac = crypto::nia(crypto::nia_alg::nia2, k.integ.view(), count, 1, dir, covered,
                         covered.size() * 8);
  EXPECT_TRUE(mac.has_value());
  byte_buffer out;
  nas::encode_protected(t, *mac, static_cast<std::uint8_t>(count & 0xff), inner, out);
  return out;
}

nas_keys keys_from_k_amf(const key256& k_amf) {
  nas_keys k;
  k.enc = *crypto::derive_algorithm_key(k_amf.view(), crypto::algorithm_type::nas_enc, 2);
  k.integ = *crypto::derive_algorithm_key(k_amf.view(), crypto::algorithm_type::nas_int, 2);
  return k;
}

byte_buffer smc(std::uint8_t ksi) {
  nas::msg::security_mode_command m;
  m.selected = {2, 2};
  m.ksi = {false, ksi};
  m.replayed.ea = 0xf0;
  m.replayed.ia = 0xf0;
  byte_buffer out;
  EXPECT_TRUE(nas::msg::encode(m, out).has_value());
  return out;
}

byte_buffer smc_complete() {
  byte_buffer out;
  EXPECT_TRUE(nas::msg::encode(nas::msg::security_mode_complete{}, out).has_value());
  return out;
}

byte_buffer auth_request(std::uint8_t ksi, const byte_array<16>& rand, const byte_array<16>& autn) {
  nas::msg::authentication_request m;
  m.ksi = {false, ksi};
  const byte_array<2> abba{};
  m.abba = abba;
  m.rand = rand;
  m.autn = autn;
  byte_buffer out;
  EXPECT_TRUE(nas::msg::encode(m, out).has_value());
  return out;
}

byte_buffer auth_response(const byte_array<16>& res_star) {
  nas::msg::authentication_response m;
  m.res_star = res_star;
  byte_buffer out;
  EXPECT_TRUE(nas::msg::encode(m, out).has_value());
  return out;
}

/// One 5G-AKA run with MILENAGE: the AUTN for `sqn`, the RES* and the K_AMF.
struct aka_run {
  byte_array<16> rand{};
  byte_array<16> autn{};
  byte_array<16> res_star{};
  key256 k_amf;
};

aka_run milenage_run(std::uint8_t rand_byte, std::uint64_t sqn_value,
                     std::string_view subscriber = supi) {
  aka_run a;
  a.rand.fill(rand_byte);
  byte_array<6> sqn{};
  for (int i = 0; i < 6; ++i)
    sqn[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(sqn_value >> (8 * (5 - i)));
  const byte_array<2> amf{0x80, 0x00};
  auto m = crypto::milenage::create(crypto::key128_view(hex(k_hex).data(), 16),
                                    crypto::key128_view(hex(opc_hex).data(), 16));
  EXPECT_TRUE(m.has_value());
  crypto::aka_5g_params p;
  p.serving_network_name = snn;
  p.supi = subscriber;
  auto keys = crypto::derive_5g_aka(*m, a.rand, sqn, amf, p);
  EXPECT_TRUE(keys.has_value());
  a.autn = keys->autn;
  std::copy_n(keys->res_star.view().begin(), 16, a.res_star.begin());
  a.k_amf = std::move(keys->k_amf);
  return a;
}

std::string milenage_keys() {
  return std::string("supi,k,opc\nimsi-") + imsi + "," + k_hex + "," + opc_hex + "\n";
}

/// Registration Request, 5G-AKA with `a`, SMC (ngKSI 0, header 3) and Security Mode Complete
/// (header 4) protected with `k`: 5 NAS events.
void register_with(flow& fl, const aka_run& a, const nas_keys& k) {
  fl.initial(registration_request());
  fl.downlink(auth_request(0, a.rand, a.autn));
  fl.uplink(auth_response(a.res_star));
  fl.downlink(protect(k, nas::security_header_type::integrity_protected_new_context, 0, 1, smc(0)));
  fl.uplink(protect(k, nas::security_header_type::integrity_protected_ciphered_new_context, 0, 0,
                    smc_complete()));
}

/// register_with, then the InitialContextSetupRequest with the right K_gNB (from the SMC
/// Complete's uplink COUNT 0, TS 33.501 A.9), which it returns.
key256 register_and_set_up(flow& fl, const aka_run& a, const nas_keys& nk) {
  register_with(fl, a, nk);
  auto k_gnb = crypto::derive_k_gnb(a.k_amf.view(), 0);
  EXPECT_TRUE(k_gnb.has_value());
  if (!k_gnb) return key256{};
  fl.initial_context_setup(k_gnb->view());
  return std::move(*k_gnb);
}

TEST(tracker_auth, tuak_subscriber_is_identified_and_its_nas_verified_and_deciphered) {
  // TUAK (TS 35.231) with the default instance: 64-bit MAC-A and RES, 128-bit CK/IK.
  auto t =
      crypto::tuak::create_from_top(hex(k_hex), crypto::key256_view(hex(top_hex).data(), 32));
  ASSERT_TRUE(t.has_value());
  byte_array<16> rand{};
  rand.fill(0x42);
  const byte_array<6> sqn{0, 0, 0, 0, 0, 0x21};
  const byte_array<2> amf{0x80, 0x00};
  auto mac_a = t->f1(rand, sqn, amf);
  auto f = t->f2345(rand);
  ASSERT_TRUE(mac_a && f);
  byte_array<8> mac8{};
  std::copy_n(mac_a->begin(), 8, mac8.begin());
  const auto autn = crypto::assemble_autn(sqn, f->ak.view(), amf, mac8);
  byte_array<6> sqn_xor_ak{};
  std::copy_n(autn.begin(), 6, sqn_xor_ak.begin());
  const crypto::key128_view ck(f->ck.view().data(), 16), ik(f->ik.view().data(), 16);
  auto k_ausf = crypto::derive_k_ausf(ck, ik, snn, sqn_xor_ak);
  auto res_star = crypto::derive_res_star(ck, ik, snn, rand, f->res.view());
  ASSERT_TRUE(k_ausf && res_star);
  crypto::aka_5g_params p;
  p.serving_network_name = snn;
  p.supi = supi;
  auto chain = crypto::derive_from_k_ausf(k_ausf->view(), p);
  ASSERT_TRUE(chain.has_value());
  const nas_keys nk = keys_from_k_amf(chain->k_amf);
  byte_array<16> rs{};
  std::copy_n(res_star->view().begin(), 16, rs.begin());

  flow fl(std::string("supi,k,opc,tuak_top\nimsi-") + imsi + "," + k_hex + ",," + top_hex + "\n");
  fl.initial(registration_request());
  fl.downlink(auth_request(0, rand, autn));
  fl.uplink(auth_response(rs));
  fl.downlink(
      protect(nk, nas::security_header_type::integrity_protected_new_context, 0, 1, smc(0)));
  fl.uplink(protect(nk, nas::security_header_type::integrity_protected_ciphered_new_context, 0, 0,
                    smc_complete()));
  const auto& ev = fl.sink().events;
  ASSERT_EQ(ev.size(), 5u);
  EXPECT_EQ(fl.ue().supi.view(), imsi);
  EXPECT_TRUE(fl.ue().res_star_checked);
  EXPECT_TRUE(fl.ue().res_star_ok);
  EXPECT_EQ(ev[3].mac, mac_verdict::ok);
  EXPECT_EQ(ev[4].mac, mac_verdict::ok);
  EXPECT_TRUE(ev[4].deciphered);
  EXPECT_EQ(ev[4].type, 0x5e);
}

// The wire carries only the 8 low bits of the NAS COUNT (the sequence number); the overflow
// counter is estimated. Hundreds of messages per direction cross several wraps, and messages
// missing from the capture (a gap across a wrap) must not lose the context.
// Ref: TS 24.501 4.4.3.1 (NAS COUNT = overflow (16 bits) || sequence number (8 bits)).
TEST(tracker_auth, nas_count_overflow_is_estimated_across_wraps_and_gaps) {
  const aka_run a = milenage_run(0x31, 0x40);
  const nas_keys nk = keys_from_k_amf(a.k_amf);
  flow fl(milenage_keys());
  register_with(fl, a, nk);
  byte_buffer complete, update_complete;
  ASSERT_TRUE(nas::msg::encode_empty(nas::message_type::registration_complete, complete).has_value());
  ASSERT_TRUE(
      nas::msg::encode_empty(nas::message_type::configuration_update_complete, update_complete)
          .has_value());
  std::vector<std::uint32_t> sent;  // COUNT of each protected message after the SMC Complete
  std::uint32_t dl = 1;
  for (std::uint32_t ul = 1; ul <= 700; ++ul) {
    if (ul >= 250 && ul < 270) continue;  // lost in the capture: 249 -> 270 crosses 256
    if (ul >= 500 && ul < 530) continue;  // and 499 -> 530 crosses 512
    fl.uplink(protect(nk, nas::security_header_type::integrity_protected_ciphered, ul, 0,
                      ul % 2 == 0 ? complete : update_complete));
    sent.push_back(ul);
    if (ul % 2 == 0) {
      fl.downlink(protect(nk, nas::security_header_type::integrity_protected_ciphered, dl, 1,
                          update_complete));
      sent.push_back(dl++);
    }
  }
  const auto& ev = fl.sink().events;
  ASSERT_EQ(ev.size(), 5 + sent.size());
  std::size_t ok = 0;
  for (std::size_t i = 0; i < sent.size(); ++i) {
    const auto& e = ev[5 + i];
    EXPECT_EQ(e.mac, mac_verdict::ok) << "message " << i << " COUNT " << sent[i];
    EXPECT_TRUE(e.deciphered) << "message " << i;
    EXPECT_EQ(e.count, sent[i]) << "message " << i;
    if (e.mac == mac_verdict::ok && e.deciphered && e.count == sent[i]) ++ok;
  }
  EXPECT_EQ(ok, sent.size());
  EXPECT_GT(dl, 256u);  // the downlink wrapped too
}

// A capture that misses hundreds of a UE's messages (a gap in the recording, a rotated capture
// file left out) hides several wraps of the SQN: the tracker searches up to 16 overflows ahead
// before calling the MAC failed. Beyond that, and for a tampered MAC, the MAC fails.
TEST(tracker_auth, a_gap_of_several_sqn_wraps_is_bridged_within_sixteen_overflows) {
  const aka_run a = milenage_run(0x32, 0x60);
  const nas_keys nk = keys_from_k_amf(a.k_amf);
  flow fl(milenage_keys());
  register_with(fl, a, nk);
  byte_buffer complete;
  ASSERT_TRUE(
      nas::msg::encode_empty(nas::message_type::configuration_update_complete, complete)
          .has_value());
  const auto up = [&](std::uint32_t count) {
    fl.uplink(
        protect(nk, nas::security_header_type::integrity_protected_ciphered, count, 0, complete));
    return fl.sink().events.back();
  };
  EXPECT_EQ(up(1).mac, mac_verdict::ok);
  EXPECT_EQ(up(2).mac, mac_verdict::ok);
  // 900 messages missing: COUNT 2 -> 903 (overflow 0 -> 3, SQN 0x87 after 0x02).
  auto e = up(903);
  EXPECT_EQ(e.mac, mac_verdict::ok);
  EXPECT_TRUE(e.deciphered);
  EXPECT_EQ(e.count, 903u);
  EXPECT_EQ(e.type, 0x55);
  EXPECT_EQ(up(904).count, 904u);
  // A tampered MAC after a gap still fails.
  auto bad = protect(nk, nas::security_header_type::integrity_protected_ciphered, 1500, 0,
                     complete);
  bad[2] ^= 0x01;
  fl.uplink(bad);
  EXPECT_EQ(fl.sink().events.back().mac, mac_verdict::failed);
  EXPECT_EQ(up(1501).mac, mac_verdict::ok);
  // More than 16 overflows ahead (5 000 messages missing) is past the search.
  EXPECT_EQ(up(1501 + 5000).mac, mac_verdict::failed);
}

TEST(tracker_auth, k_gnb_and_nh_on_n2_are_checked_against_the_key_hierarchy) {
  const aka_run a = milenage_run(0x51, 0x70);
  const nas_keys nk = keys_from_k_amf(a.k_amf);
  flow fl(milenage_keys());
  // K_gNB from the uplink COUNT of the last uplink message (the SMC Complete, COUNT 0). Ref: A.9.
  const key256 k_gnb = register_and_set_up(fl, a, nk);
  byte_array<32> wrong{};
  std::copy_n(k_gnb.view().begin(), 32, wrong.begin());
  wrong[31] ^= 1;
  fl.initial_context_setup(wrong);
  // The wrong key breaks the chain anchor: the NH check needs a verified K_gNB again.
  fl.initial_context_setup(k_gnb.view());
  auto nh1 = crypto::derive_nh(a.k_amf.view(), k_gnb.view());
  ASSERT_TRUE(nh1.has_value());
  auto nh2 = crypto::derive_nh(a.k_amf.view(), nh1->view());
  ASSERT_TRUE(nh2.has_value());
  fl.path_switch_ack(1, nh1->view());
  fl.path_switch_ack(2, nh2->view());
  fl.path_switch_ack(2, nh1->view()); // NCC 2 with NH(1): not the chain
  // Further handovers: NCC is the chain position modulo 8 (NCC 3..7, then 0, 1 = NH(9)).
  auto nh = crypto::derive_nh(a.k_amf.view(), nh2->view());
  for (unsigned pos = 3; pos <= 9 && nh; ++pos) {
    fl.path_switch_ack(static_cast<std::uint8_t>(pos & 7), nh->view());
    nh = crypto::derive_nh(a.k_amf.view(), nh->view());
  }
  std::vector<as_key_verdict> keys, nhs;
  for (const auto& e : fl.sink().ngap_events) {
    if (e.security_key != as_key_verdict::not_checked) keys.push_back(e.security_key);
    if (e.next_hop != as_key_verdict::not_checked) nhs.push_back(e.next_hop);
  }
  EXPECT_EQ(keys, (std::vector<as_key_verdict>{as_key_verdict::ok, as_key_verdict::mismatch,
                                               as_key_verdict::ok}));
  std::vector<as_key_verdict> want_nh{as_key_verdict::ok, as_key_verdict::ok,
                                     as_key_verdict::mismatch};
  want_nh.insert(want_nh.end(), 7, as_key_verdict::ok);
  EXPECT_EQ(nhs, want_nh);
}

/// One NGAP message of an N2 handover (TS 38.413 8.4.1, 8.4.2): ids, optional NAS-PDU,
/// SecurityContext and Source to Target Transparent Container.
byte_buffer handover_msg(ngap::pdu_type type, std::uint8_t proc, std::optional<std::uint64_t> amf,
                         std::optional<std::uint32_t> ran, bytes_view container = {},
                         std::optional<ngap::security_context> sc = std::nullopt) {
  ngap::message m;
  m.type = type;
  m.procedure_code = proc;
  m.amf_ue_ngap_id = amf;
  m.ran_ue_ngap_id = ran;
  m.security_context = sc;
  if (!container.empty()) {
    ngap::protocol_ie ie;
    ie.id = ngap::ie_id::source_to_target_transparent_container;
    ie.crit = ngap::criticality::reject;
    ie.value = container;
    m.other_ies.push_back(ie);
  }
  return test::encoded(m);
}

/// An N2 handover of the registered UE (AMF id 7, RAN id 1 on association 0) to RAN id 5 on
/// association 1, where the AMF names the UE `target_amf`; then an uplink Registration Complete
/// at COUNT 1 from the target. With `foreign`, a HandoverRequest for another UE (another
/// container, AMF id 50) arrives first and must not be linked to this one.
void n2_handover(flow& fl, const nas_keys& nk, std::uint64_t target_amf, bytes_view container,
                 std::optional<ngap::security_context> sc = std::nullopt, bytes_view foreign = {}) {
  using ngap::pdu_type;
  namespace proc = ngap::procedure;
  fl.send(handover_msg(pdu_type::initiating, proc::handover_preparation, 7, 1, container));
  if (!foreign.empty())
    fl.send(handover_msg(pdu_type::initiating, proc::handover_resource_allocation, 50,
                         std::nullopt, foreign),
            1);
  fl.send(handover_msg(pdu_type::initiating, proc::handover_resource_allocation, target_amf,
                       std::nullopt, container, sc),
          1);
  fl.send(handover_msg(pdu_type::successful, proc::handover_resource_allocation, target_amf, 5), 1);
  // The source side is still reached by its ids after the target took over.
  fl.send(handover_msg(pdu_type::successful, proc::handover_preparation, 7, 1));
  fl.send(handover_msg(pdu_type::initiating, proc::handover_notification, target_amf, 5), 1);
  fl.send(handover_msg(pdu_type::successful, proc::ue_context_release, 7, 1));
  const byte_buffer registration_complete{0x7e, 0x00, 0x43};
  fl.send(test::uplink_nas(target_amf, 5,
                           protect(nk, nas::security_header_type::integrity_protected_ciphered, 1,
                                   0, registration_complete)),
          1);
}

/// The handed-over UE's last message verified and deciphered at the target, under its ids.
void expect_at_target(flow& fl, std::uint64_t target_amf) {
  const auto& ev = fl.sink().events;
  ASSERT_EQ(ev.size(), 6u);
  EXPECT_EQ(ev[5].mac, mac_verdict::ok);
  EXPECT_TRUE(ev[5].deciphered);
  EXPECT_EQ(ev[5].type, 0x43);
  EXPECT_EQ(fl.ue().amf_ue_ngap_id, target_amf);
  EXPECT_EQ(fl.ue().ran_ue_ngap_id, 5u);
  EXPECT_EQ(fl.ue().association, 1u);
  EXPECT_TRUE(fl.ue().security_active);
}

TEST(tracker_auth, an_n2_handover_with_a_new_amf_ue_ngap_id_keeps_the_ues_security_context) {
  // Ref: TS 23.502 4.9.1.3.2-3, TS 33.501 6.9.2.3.3.
  const aka_run a = milenage_run(0x53, 0x74);
  const nas_keys nk = keys_from_k_amf(a.k_amf);
  flow fl(milenage_keys());
  const key256 k_gnb = register_and_set_up(fl, a, nk);
  auto nh1 = crypto::derive_nh(a.k_amf.view(), k_gnb.view());
  ASSERT_TRUE(nh1.has_value());
  // The containers as the open type's contents: OCTET STRINGs of 6 octets.
  const byte_buffer container{0x06, 0x40, 0x01, 0x02, 0x03, 0x04, 0x05};
  const byte_buffer foreign{0x06, 0x40, 0x09, 0x09, 0x09, 0x09, 0x09};
  n2_handover(fl, nk, 99, container, ngap::security_context{1, nh1->view()}, foreign);
  expect_at_target(fl, 99);
  std::vector<as_key_verdict> nhs;
  for (const auto& e : fl.sink().ngap_events)
    if (e.next_hop != as_key_verdict::not_checked) nhs.push_back(e.next_hop);
  EXPECT_EQ(nhs, std::vector<as_key_verdict>{as_key_verdict::ok});
  // The UE, plus the foreign HandoverRequest's context; the source side created none.
  EXPECT_EQ(fl.live_ues(), 2u);
}

TEST(tracker_auth, an_n2_handover_keeping_the_amf_ue_ngap_id_keeps_the_ues_security_context) {
  const aka_run a = milenage_run(0x54, 0x76);
  const nas_keys nk = keys_from_k_amf(a.k_amf);
  flow fl(milenage_keys());
  register_with(fl, a, nk);
  n2_handover(fl, nk, 7, byte_buffer{0x03, 0x40, 0x07, 0x07});
  expect_at_target(fl, 7);
  EXPECT_EQ(fl.live_ues(), 1u);
}

TEST(tracker_auth, random_handover_traffic_keeps_the_tables_bounded) {
  // Handover messages with random ids, containers and associations (incomplete handovers,
  // releases of either side, reused ids): the UE cap holds and the handover links and aliases
  // stay bounded by the live UEs (bytes_per_ue counts them).
  recording_sink sink;
  tracker_options opt;
  opt.max_ues = 64;
  tracker trk(opt, nullptr, nullptr, sink);
  std::mt19937 rng(11);
  using ngap::pdu_type;
  namespace proc = ngap::procedure;
  packet_meta pkt;
  pkt.gnb = "gnb";
  pkt.amf = "amf";
  const byte_buffer reg = registration_request();
  for (std::uint64_t i = 1; i <= 30'000; ++i) {
    const std::uint64_t amf = rng() % 200;
    const auto ran = static_cast<std::uint32_t>(rng() % 200);
    const byte_buffer container{0x02, 0x40, static_cast<std::uint8_t>(rng() % 32)};
    byte_buffer pdu;
    switch (rng() % 7) {
      case 0: pdu = test::initial_ue_message(ran, reg); break;
      case 1:
        pdu = handover_msg(pdu_type::initiating, proc::handover_preparation, amf, ran, container);
        break;
      case 2:
        pdu = handover_msg(pdu_type::initiating, proc::handover_resource_allocation, amf,
                           std::nullopt, container);
        break;
      case 3:
        pdu = handover_msg(pdu_type::successful, proc::handover_resource_allocation, amf, ran);
        break;
      case 4: pdu = handover_msg(pdu_type::successful, proc::handover_preparation, amf, ran); break;
      case 5: pdu = handover_msg(pdu_type::successful, proc::ue_context_release, amf, ran); break;
      default: pdu = test::uplink_nas(amf, ran, reg); break;
    }
    pkt.frame = i;
    pkt.time_ns = static_cast<std::int64_t>(i) * 1'000'000;
    pkt.association = static_cast<std::uint32_t>(rng() % 3);
    trk.on_ngap(pkt, pdu);
    ASSERT_LE(trk.live_ues(), opt.max_ues);
  }
  EXPECT_GT(trk.stats().evicted, 0u);
  EXPECT_LE(trk.bytes_per_ue(), 4096u);
}

TEST(tracker_auth, as_keys_are_not_checked_without_subscriber_keys) {
  const aka_run a = milenage_run(0x52, 0x72);
  recording_sink sink;
  tracker trk({}, nullptr, nullptr, sink);
  packet_meta pkt;
  pkt.gnb = "gnb";
  pkt.amf = "amf";
  auto k_gnb = crypto::derive_k_gnb(a.k_amf.view(), 0);
  ASSERT_TRUE(k_gnb.has_value());
  ngap::message m;
  m.type = ngap::pdu_type::initiating;
  m.procedure_code = ngap::procedure::initial_context_setup;
  m.amf_ue_ngap_id = 7;
  m.ran_ue_ngap_id = 1;
  m.security_key = k_gnb->view();
  trk.on_ngap(pkt, test::encoded(m));
  ASSERT_EQ(sink.ngap_events.size(), 1u);
  EXPECT_EQ(sink.ngap_events[0].security_key, as_key_verdict::not_checked);
  EXPECT_TRUE(sink.ngap_events[0].security_key_present);
}

TEST(tracker_auth, a_wrong_res_star_is_detected) {
  const aka_run a = milenage_run(0x11, 0x20);
  byte_array<16> bad = a.res_star;
  bad[3] ^= 0x01;
  flow fl(milenage_keys());
  fl.initial(registration_request());
  fl.downlink(auth_request(0, a.rand, a.autn));
  fl.uplink(auth_response(bad));
  EXPECT_TRUE(fl.ue().res_star_checked);
  EXPECT_FALSE(fl.ue().res_star_ok);
}

TEST(tracker_auth, auts_mac_s_is_verified_with_the_subscriber_keys) {
  const aka_run a = milenage_run(0x22, 0x40);
  auto m = crypto::milenage::create(crypto::key128_view(hex(k_hex).data(), 16),
                                    crypto::key128_view(hex(opc_hex).data(), 16));
  ASSERT_TRUE(m.has_value());
  const byte_array<6> sqn_ms{0, 0, 0, 0, 0x10, 0x00};
  const byte_array<2> zero_amf{};
  auto ak_star = m->f5star(a.rand);
  auto mac_s = m->f1star(a.rand, sqn_ms, zero_amf);
  ASSERT_TRUE(ak_star && mac_s);
  const auto auts = crypto::assemble_auts(sqn_ms, ak_star->view(), *mac_s);

  for (bool forged : {false, true}) {
    flow fl(milenage_keys());
    fl.initial(registration_request());
    fl.downlink(auth_request(0, a.rand, a.autn));
    nas::msg::authentication_failure fail;
    fail.gmm_cause = 21;
    byte_array<14> sent{};
    std::copy(auts.begin(), auts.end(), sent.begin());
    if (forged) sent[13] ^= 0x80;
    fail.auts = sent;
    byte_buffer out;
    ASSERT_TRUE(nas::msg::encode(fail, out).has_value());
    fl.uplink(out);
    EXPECT_TRUE(fl.ue().auts_checked);
    EXPECT_EQ(fl.ue().auts_ok, !forged);
  }
}

TEST(tracker_auth, the_former_context_is_restored_after_a_security_mode_reject) {
  const aka_run a = milenage_run(0x31, 0x60);
  const aka_run b = milenage_run(0x32, 0x80);
  const nas_keys ka = keys_from_k_amf(a.k_amf), kb = keys_from_k_amf(b.k_amf);
  flow fl(milenage_keys());
  register_with(fl, a, ka);
  // Re-authentication (context ngKSI 1), an SMC for it, and the UE rejects it with its old
  // context, then keeps using the old context.
  fl.downlink(protect(ka, nas::security_header_type::integrity_protected_ciphered, 1, 1,
                      auth_request(1, b.rand, b.autn)));
  fl.uplink(protect(ka, nas::security_header_type::integrity_protected_ciphered, 1, 0,
                    auth_response(b.res_star)));
  fl.downlink(
      protect(kb, nas::security_header_type::integrity_protected_new_context, 0, 1, smc(1)));
  byte_buffer reject;
  ASSERT_TRUE(
      nas::msg::encode(nas::message_type::security_mode_reject, nas::msg::cause_only{24}, reject)
          .has_value());
  fl.uplink(protect(ka, nas::security_header_type::integrity_protected_ciphered, 2, 0, reject));
  fl.uplink(
      protect(ka, nas::security_header_type::integrity_protected_ciphered, 3, 0, smc_complete()));
  const auto& ev = fl.sink().events;
  // initial, request, response, SMC, complete, request 2, response 2, SMC 2, reject, complete
  ASSERT_EQ(ev.size(), 10u);
  for (std::size_t i = 3; i < ev.size(); ++i)
    EXPECT_EQ(ev[i].mac, mac_verdict::ok) << "event " << i;
  EXPECT_TRUE(fl.ue().res_star_ok);
  EXPECT_EQ(ev[6].type, 0x57); // deciphered with the old context
  EXPECT_EQ(ev[8].type, 0x5f); // the reject, protected with the old context
  EXPECT_EQ(ev[9].count, 3u);  // the restored context continues its uplink COUNT
  EXPECT_TRUE(ev[9].deciphered);
  EXPECT_EQ(ev[9].type, 0x5e);
}

TEST(tracker_auth, a_nai_subscriber_is_identified_and_its_keys_use_the_nai) {
  // SUPI type NAI: K_AMF takes the NAI as P0 (TS 33.501 A.7.0); the report shows "nai-...".
  const std::string nai = "nai-user17@example.org";
  const aka_run a = milenage_run(0x44, 0x30, nai);
  const nas_keys nk = keys_from_k_amf(a.k_amf);
  flow fl(std::string("supi,k,opc\n") + nai + "," + k_hex + "," + opc_hex + "\n");
  fl.initial(registration_request());
  fl.downlink(auth_request(0, a.rand, a.autn));
  fl.uplink(auth_response(a.res_star));
  fl.downlink(
      protect(nk, nas::security_header_type::integrity_protected_new_context, 0, 1, smc(0)));
  const auto& ev = fl.sink().events;
  ASSERT_EQ(ev.size(), 4u);
  EXPECT_TRUE(fl.ue().has_supi());
  EXPECT_TRUE(fl.ue().supi.empty());
  EXPECT_EQ(fl.ue().supi_text(), nai);
  EXPECT_TRUE(fl.ue().res_star_ok);
  EXPECT_EQ(ev[3].mac, mac_verdict::ok);
}

// ---- EAP-AKA' ----

using namespace crypto::eap_aka; // attribute types

void attr16(byte_writer& w, std::uint8_t type, const byte_array<16>& v) {
  w.u8(type);
  w.u8(5);
  w.u16(0);
  w.bytes(v);
}

/// EAP-Request/AKA'-Challenge or EAP-Response/AKA'-Challenge with AT_MAC computed with K_aut.
/// Ref: RFC 9048 3.1, RFC 4187 10.
byte_buffer eap_challenge(bool request, const byte_array<16>& rand, const byte_array<16>& autn,
                          bytes_view res, const key256& k_aut) {
  byte_buffer b;
  byte_writer w(b);
  w.u8(request ? 1 : 2);
  w.u8(9);
  w.u16(0);
  w.u8(50);
  w.u8(1);
  w.u16(0);
  if (request) {
    attr16(w, at_rand, rand);
    attr16(w, at_autn, autn);
    w.u8(at_kdf);
    w.u8(1);
    w.u16(1);
    const std::string name = snn;
    const std::size_t padded = (name.size() + 3) / 4 * 4;
    w.u8(at_kdf_input);
    w.u8(static_cast<std::uint8_t>(1 + padded / 4));
    w.u16(static_cast<std::uint16_t>(name.size()));
    w.bytes(bytes_view(reinterpret_cast<const std::uint8_t*>(name.data()), name.size()));
    w.zeros(padded - name.size());
  } else {
    w.u8(at_res);
    w.u8(static_cast<std::uint8_t>(1 + (res.size() + 3) / 4));
    w.u16(static_cast<std::uint16_t>(res.size() * 8));
    w.bytes(res);
    w.zeros((res.size() + 3) / 4 * 4 - res.size());
  }
  w.u8(at_mac);
  w.u8(5);
  w.u16(0);
  const std::size_t mac_at = b.size();
  w.zeros(16);
  store_be16(b.data() + 2, static_cast<std::uint16_t>(b.size()));
  auto mac = crypto::hmac_sha256(k_aut.view(), b);
  EXPECT_TRUE(mac.has_value());
  std::copy_n(mac->begin(), 16, b.begin() + static_cast<std::ptrdiff_t>(mac_at));
  return b;
}

TEST(tracker_auth, eap_aka_prime_keys_come_from_the_emsk_and_at_res_is_checked) {
  byte_array<16> rand{};
  rand.fill(0x55);
  const byte_array<6> sqn{0, 0, 0, 0, 0, 0x90};
  const byte_array<2> amf{0x80, 0x00};
  auto m = crypto::milenage::create(crypto::key128_view(hex(k_hex).data(), 16),
                                    crypto::key128_view(hex(opc_hex).data(), 16));
  ASSERT_TRUE(m.has_value());
  auto out = m->compute(rand, sqn, amf);
  ASSERT_TRUE(out.has_value());
  const auto autn = crypto::assemble_autn(sqn, out->ak.view(), amf, out->mac_a);
  byte_array<6> sqn_xor_ak{};
  std::copy_n(autn.begin(), 6, sqn_xor_ak.begin());
  auto primes = crypto::derive_ck_ik_prime(out->ck.view(), out->ik.view(), snn, sqn_xor_ak);
  ASSERT_TRUE(primes.has_value());
  // Identity for MK: the SUPI (IMSI digits). Ref: TS 33.501 F.3.
  auto eap_keys =
      crypto::derive_eap_aka_prime_keys(primes->ck_prime.view(), primes->ik_prime.view(), imsi);
  ASSERT_TRUE(eap_keys.has_value());
  const key256 k_ausf = crypto::k_ausf_from_emsk(eap_keys->emsk.view());
  crypto::aka_5g_params p;
  p.serving_network_name = snn;
  p.supi = supi;
  auto chain = crypto::derive_from_k_ausf(k_ausf.view(), p);
  ASSERT_TRUE(chain.has_value());
  const nas_keys nk = keys_from_k_amf(chain->k_amf);

  for (bool wrong_res : {false, true}) {
    flow fl(milenage_keys());
    fl.initial(registration_request());
    nas::msg::authentication_request req;
    req.ksi = {false, 0};
    const byte_array<2> abba{};
    req.abba = abba;
    const byte_buffer eap_req = eap_challenge(true, rand, autn, {}, eap_keys->k_aut);
    req.eap_message = eap_req;
    byte_buffer req_nas;
    ASSERT_TRUE(nas::msg::encode(req, req_nas).has_value());
    fl.downlink(req_nas);
    byte_buffer res(out->res.view().begin(), out->res.view().end());
    if (wrong_res) res[0] ^= 0x01;
    nas::msg::authentication_response rsp;
    const byte_buffer eap_rsp = eap_challenge(false, rand, autn, res, eap_keys->k_aut);
    rsp.eap_message = eap_rsp;
    byte_buffer rsp_nas;
    ASSERT_TRUE(nas::msg::encode(rsp, rsp_nas).has_value());
    fl.uplink(rsp_nas);
    fl.downlink(
        protect(nk, nas::security_header_type::integrity_protected_new_context, 0, 1, smc(0)));
    fl.uplink(protect(nk, nas::security_header_type::integrity_protected_ciphered_new_context, 0, 0,
                      smc_complete()));
    const auto& ev = fl.sink().events;
    ASSERT_EQ(ev.size(), 5u);
    EXPECT_TRUE(fl.ue().auth_eap);
    EXPECT_EQ(fl.ue().supi.view(), imsi);
    EXPECT_TRUE(fl.ue().res_star_checked);
    EXPECT_EQ(fl.ue().res_star_ok, !wrong_res);
    EXPECT_EQ(ev[3].mac, mac_verdict::ok);
    EXPECT_EQ(ev[4].mac, mac_verdict::ok);
    EXPECT_TRUE(ev[4].deciphered);
  }
}

TEST(eap_aka, parses_a_challenge_and_rejects_malformed_packets) {
  byte_array<16> rand{}, autn{};
  rand.fill(1);
  autn.fill(2);
  const key256 k_aut;
  const byte_buffer req = eap_challenge(true, rand, autn, {}, k_aut);
  auto p = parse_eap_aka(req);
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->code, eap_code::request);
  EXPECT_EQ(p->identifier, 9);
  EXPECT_EQ(p->subtype, 1);
  EXPECT_EQ(*p->rand, rand);
  EXPECT_EQ(*p->autn, autn);
  EXPECT_EQ(p->kdf, std::uint16_t{1});
  EXPECT_EQ(p->network_name, snn);
  ASSERT_TRUE(p->mac_offset.has_value());
  EXPECT_EQ(*p->mac_offset + 16, req.size());
  // Every truncation fails cleanly (the EAP length no longer matches, or an attribute is cut).
  for (std::size_t n = 0; n < req.size(); ++n) {
    EXPECT_FALSE(parse_eap_aka(bytes_view(req).first(n)).has_value()) << n;
  }
  // An attribute of length 0 is an error, not an endless loop.
  byte_buffer zero = req;
  zero[8 + 1] = 0;
  EXPECT_FALSE(parse_eap_aka(zero).has_value());
  // EAP-Success: header only.
  const byte_buffer success = hex("03090004");
  auto s = parse_eap_aka(success);
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(s->code, eap_code::success);
}

} // namespace
} // namespace sec5g::analysis
