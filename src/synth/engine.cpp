// The scenario engine: UE arrivals, a bounded window of live UE contexts driven by an event
// queue, each UE a state machine running the 5G procedures against one simulated AMF.
// Ref: TS 23.502 4.2.2.2.2 (registration), 4.2.3.2 (service request), 4.2.2.3.2
// (UE-initiated deregistration), 4.9.1.2 (Xn handover, path switch), 4.2.6 (AN release);
// TS 24.501 5.4.1.3 (5G AKA), 5.4.1.2 (EAP-AKA'), 5.4.2 (security mode control), 5.4.3
// (identification); TS 33.501 6.1.3, 6.7.2, 6.7.3.1, 6.8.1.

#include <algorithm>
#include <array>
#include <cstdio>
#include <memory>
#include <queue>
#include <string>
#include <vector>

#include "sec5g/core/hex.hpp"
#include "sec5g/crypto/key_hierarchy.hpp"
#include "sec5g/crypto/milenage.hpp"
#include "sec5g/identity/mobile_identity.hpp"
#include "sec5g/identity/suci.hpp"
#include "sec5g/synth/synth.hpp"
#include "synth/eap.hpp"
#include "synth/engine_parts.hpp"
#include "synth/n2_link.hpp"
#include "synth/nas_build.hpp"
#include "synth/ngap_build.hpp"
#include "synth/rng.hpp"

namespace sec5g::synth {

namespace {

using namespace detail;

constexpr std::int64_t ms = 1'000'000;
constexpr std::int64_t sec = 1'000'000'000;

// ---- the network ----
// PLMN 001/01 (test network), TBCD: MCC 001 -> 00 F1, MNC 01 -> 10.
constexpr ngap::plmn_identity plmn_tbcd{0x00, 0xF1, 0x10};
constexpr const char* serving_network_name = "5G:mnc001.mcc001.3gppnetwork.org";
constexpr std::uint32_t tac = 1;
constexpr std::uint8_t amf_region = 2;
constexpr std::uint16_t amf_set = 1;
constexpr std::uint8_t amf_pointer = 0;
constexpr ngap::guami amf_guami{plmn_tbcd, amf_region, amf_set, amf_pointer};
constexpr byte_array<2> amf_field{0x80, 0x00};  // AMF separation bit set. Ref: TS 33.501 Annex A
constexpr byte_array<4> upf_ip{10, 45, 0, 1};

// How many Authentication Failures an auth-failure-storm UE sends.
constexpr int storm_failures = 12;
// The registration flood: Registration Requests on one gNB, 4 ms apart.
constexpr std::uint32_t flood_size = 300;
constexpr std::int64_t flood_spacing = 4 * ms;

enum class role : std::uint8_t {
  benign,
  null_integrity,
  null_ciphering,
  suci_null,
  suci_replay,  // a benign UE whose Registration Request is replayed after it leaves
  bidding_down,
  smc_reject,
  smc_ciphered,
  unprotected_after_smc,
  nas_replay,
  mac_failure,
  auth_failure_storm,
  pei_before_security,
  path_switch_bidding_down,
  caps_mismatch_ngap,
  container_in_clear,
  flood,     // a fake registration of the flood (no subscriber)
  replayer,  // the replay of a SUCI (same UE index as its victim)
};

enum class step : std::uint8_t {
  reg_request,
  identity_request,
  identity_response,
  auth_request,
  auth_response,
  auth_failure,
  auth_reject,
  smc,
  smc_complete,
  smc_reject,
  ics_reg,
  ics_reg_response,
  reg_complete,
  reg_complete_replay,
  pdu_est_request,
  pdu_setup_request,
  pdu_setup_response,
  path_switch_request,
  path_switch_ack,
  release_request_idle,
  release_idle,
  release_idle_complete,
  service_request,
  ics_sr,
  ics_sr_response,
  dereg_request,
  dereg_accept,
  registration_reject,
  release_final,
  release_final_complete,
  // --cycles > 1: a second PDU session released in a connected period, and the periodic
  // registration update of an idle UE.
  pdu_rel_request,
  pdu_rel_command,
  pdu_rel_response,
  pdu_rel_complete,
  periodic_reg_request,
  periodic_reg_accept,
  periodic_reg_complete,
  periodic_release,
  periodic_release_complete,
  done,
};

struct ue_ctx {
  std::uint64_t index = 0;
  role r = role::benign;
  bool eap = false;
  rng rnd;
  std::uint32_t gnb = 0;
  std::uint32_t ran = 0;
  std::uint64_t amf_id = 0;
  std::string supi;
  std::string msin;
  key128 k;
  key128 opc;
  std::uint64_t sqn = 0;
  ue_caps caps;            // what the UE sends
  std::uint8_t nea = 2;    // what the AMF selects
  std::uint8_t nia = 2;
  suci_profile profile = suci_profile::profile_a;
  byte_buffer suci_identity;  // 5GS mobile identity value of the SUCI
  byte_buffer reg_request;    // the initial NAS message (for the replay)
  nas_security sec;
  key256 k_amf;
  key256 k_gnb;
  byte_array<16> rand{};
  byte_array<16> autn{};
  secret<16> res_star;
  eap_state eap_st;
  std::uint32_t tmsi = 0;
  std::uint8_t ngksi = 0;
  int auth_failures = 0;
  bool tampered = false;
  bool switched = false;
  std::uint32_t ue_ip = 0;
  std::uint32_t teid_ul = 0;
  std::uint32_t teid_dl = 0;
  byte_buffer saved_ul;  // a protected uplink NAS PDU kept for the replay
  // NGAP CauseNas of the final release: 1 authentication-failure, 2 deregister, 3 unspecified.
  std::uint8_t release_cause = 3;
  // Connected/idle cycles (options::cycles for benign UEs, else 1) and the Service Requests
  // made so far.
  std::uint32_t cycles = 1;
  std::uint32_t cycles_done = 0;
  // The PDU session being set up or released and the procedure transaction identity.
  std::uint8_t psi = 1;
  std::uint8_t pti = 1;
  step next = step::reg_request;
  // Truth being collected: (rule, frames).
  struct pending_truth {
    const char* rule;
    std::vector<std::uint64_t> frames;
  };
  std::vector<pending_truth> truths;
  void add_truth(const char* rule, std::uint64_t frame) {
    for (auto& t : truths) {
      if (std::string_view(t.rule) == rule) {
        t.frames.push_back(frame);
        return;
      }
    }
    truths.push_back({rule, {frame}});
  }
};

struct event {
  std::int64_t t;
  std::uint64_t seq;
  std::uint32_t slot;
  friend bool operator>(const event& a, const event& b) {
    return a.t != b.t ? a.t > b.t : a.seq > b.seq;
  }
};

std::string imsi_msin(std::uint64_t index) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%010llu", static_cast<unsigned long long>(index + 1));
  return buf;
}

// IMEI with a Luhn check digit; IMEISV with software version 01. Ref: TS 23.003 6.2.
std::string imei_digits(std::uint64_t index) {
  char buf[20];
  std::snprintf(buf, sizeof buf, "35%06u%06llu", 123456U,
                static_cast<unsigned long long>(index % 1000000ULL));
  std::string d = buf;
  int sum = 0;
  for (std::size_t i = 0; i < 14; ++i) {
    int v = d[i] - '0';
    if (i % 2 == 1) {
      v *= 2;
      if (v > 9) v -= 9;
    }
    sum += v;
  }
  d.push_back(static_cast<char>('0' + (10 - sum % 10) % 10));
  return d;
}

class engine {
 public:
  engine(const options& opt, sink& out) : opt_(opt), out_(out), link_(out) {}

  std::expected<run_stats, synth_error> run();

 private:
  // setup
  std::expected<void, synth_error> init();
  role pick_role(std::uint64_t index, rng& r) const;
  std::unique_ptr<ue_ctx> make_ue(std::uint64_t index);
  std::unique_ptr<ue_ctx> make_flood_ue(std::uint64_t n);
  void schedule(std::uint32_t slot, std::int64_t t);
  std::uint32_t store(std::unique_ptr<ue_ctx> u);

  // one step of a UE; returns false on an internal error
  bool advance(std::uint32_t slot, std::int64_t now);
  bool finish_ue(ue_ctx& u, std::int64_t now);

  // messaging helpers
  std::uint64_t send(ue_ctx& u, bool uplink, const byte_buffer& ngap, std::int64_t t,
                     const char* attack = nullptr);
  ngb::cell cell_of(std::uint32_t gnb) const;
  std::uint32_t new_ran_id(std::uint32_t gnb) { return next_ran_[gnb]++; }
  bool protect_dl(ue_ctx& u, std::uint8_t sht, const byte_buffer& plain, byte_buffer& out);
  bool protect_ul(ue_ctx& u, std::uint8_t sht, const byte_buffer& plain, byte_buffer& out);
  bool start_authentication(ue_ctx& u);
  bool derive_k_gnb(ue_ctx& u, std::uint32_t ul_count);
  ngap::ue_security_capabilities ngap_caps(const ue_caps& c) const;
  // InitialContextSetupRequest of the AMF with K_gNB, the capabilities `caps` and a NAS-PDU.
  byte_buffer ics_request(const ue_ctx& u, const ue_caps& caps, bytes_view nas) const;
  identity::guti_5g guti_of(const ue_ctx& u) const;
  // The next procedure transaction identity of a UE-requested 5GSM procedure (1..254).
  // Ref: TS 24.007 11.2.3.1a.
  static std::uint8_t next_pti(const ue_ctx& u) {
    return static_cast<std::uint8_t>(u.pti >= 254 ? 1 : u.pti + 1);
  }
  void emit_truth(const ue_ctx& u);

  const options& opt_;
  sink& out_;
  n2_writer link_;
  run_stats stats_;
  std::vector<association> assocs_;
  std::vector<std::uint32_t> next_ran_;
  std::uint64_t next_amf_id_ = 1;
  std::vector<std::unique_ptr<ue_ctx>> slots_;
  std::vector<std::uint32_t> free_slots_;
  std::priority_queue<event, std::vector<event>, std::greater<>> queue_;
  std::uint64_t seq_ = 0;
  std::uint64_t live_ = 0;
  std::optional<crypto::milenage> milenage_;
  byte_buffer hn_public_;
  std::uint32_t next_tmsi_ = 0;
  bool fatal_ = false;
  std::string fatal_msg_;
  // registration flood
  bool flood_enabled_ = false;
  std::uint64_t flood_start_index_ = 0;  // after this many UEs have arrived
  std::uint32_t flood_gnb_ = 0;
  std::vector<std::uint64_t> flood_frames_;
};

ngb::cell engine::cell_of(std::uint32_t gnb) const {
  ngb::cell c;
  c.plmn = plmn_tbcd;
  c.tac = tac;
  // NR cell identity: 22-bit gNB id followed by a 14-bit cell id. Ref: TS 38.413 9.3.1.7.
  c.nr_cell_id = (static_cast<std::uint64_t>(gnb + 1) << 14) | 1;
  return c;
}

ngap::ue_security_capabilities engine::ngap_caps(const ue_caps& c) const {
  ngap::ue_security_capabilities n;
  n.nr_encryption = ngb::ngap_bitmap(c.ea);
  n.nr_integrity = ngb::ngap_bitmap(c.ia);
  n.eutra_encryption = ngb::ngap_bitmap(c.eea);
  n.eutra_integrity = ngb::ngap_bitmap(c.eia);
  return n;
}

byte_buffer engine::ics_request(const ue_ctx& u, const ue_caps& caps, bytes_view nas) const {
  return ngb::ics_request(u.amf_id, u.ran, amf_guami, ngap_caps(caps), u.k_gnb.view(), nas);
}

identity::guti_5g engine::guti_of(const ue_ctx& u) const {
  identity::guti_5g g;
  g.plmn.mcc.assign("001");
  g.plmn.mnc.assign("01");
  g.amf_region_id = amf_region;
  g.amf_set_id = amf_set;
  g.amf_pointer = amf_pointer;
  g.tmsi = u.tmsi;
  return g;
}

std::expected<void, synth_error> engine::init() {
  if (opt_.nea > 3 || opt_.nia > 3) return std::unexpected(synth_error{"--nea/--nia must be 0..3"});
  if (opt_.gnbs == 0 || opt_.gnbs > 4000) {
    return std::unexpected(synth_error{"--gnbs must be 1..4000"});
  }
  if (opt_.window == 0) return std::unexpected(synth_error{"window must be >= 1"});
  if (opt_.cycles == 0 || opt_.cycles > max_cycles) {
    return std::unexpected(
        synth_error{"--cycles must be 1.." + std::to_string(max_cycles)});
  }
  auto m = crypto::milenage::create(key128().view(), key128().view());
  if (!m) return std::unexpected(synth_error{"MILENAGE back end unavailable"});
  milenage_.emplace(std::move(*m));
  if (needs_hn_key(opt_)) {
    auto pub = hn_public_key(opt_);
    if (!pub) return std::unexpected(pub.error());
    hn_public_ = std::move(*pub);
  }
  const std::uint32_t gnbs =
      (opt_.what == scenario::path_switch_bidding_down || opt_.what == scenario::mixed)
          ? std::max<std::uint32_t>(opt_.gnbs, 2)
          : opt_.gnbs;
  assocs_.resize(gnbs);
  next_ran_.assign(gnbs, 1);
  rng r(derive_seed(opt_.seed, 10, 0));
  for (std::uint32_t i = 0; i < gnbs; ++i) {
    auto& a = assocs_[i];
    a.gnb_index = i;
    a.gnb_ip = {10, static_cast<std::uint8_t>(1 + i / 250), static_cast<std::uint8_t>(i % 250),
                static_cast<std::uint8_t>(10)};
    a.amf_ip = {10, 0, 0, 1};
    a.gnb_mac = {0x02, 0x00, 0x0a, static_cast<std::uint8_t>(i >> 16),
                 static_cast<std::uint8_t>(i >> 8), static_cast<std::uint8_t>(i)};
    a.amf_mac = {0x02, 0x00, 0x0a, 0x00, 0x00, 0x01};
    a.gnb_port = static_cast<std::uint16_t>(38412);
    a.gnb_tag = static_cast<std::uint32_t>(r.next() | 1);
    a.amf_tag = static_cast<std::uint32_t>(r.next() | 1);
    a.next_tsn[0] = static_cast<std::uint32_t>(r.next());
    a.next_tsn[1] = static_cast<std::uint32_t>(r.next());
    a.streams = 8;
  }
  next_tmsi_ = static_cast<std::uint32_t>(r.next() & 0x3FFFFFFF) | 0x40000000;
  flood_enabled_ = opt_.what == scenario::registration_flood || opt_.what == scenario::mixed;
  flood_start_index_ = opt_.ues / 2;
  flood_gnb_ = 0;
  return {};
}

role engine::pick_role(std::uint64_t index, rng& r) const {
  const bool attacker = opt_.ues == 1 || index % 4 == 1;
  switch (opt_.what) {
    case scenario::benign:
    case scenario::benign_eap:
    case scenario::registration_flood:
      return role::benign;
    case scenario::null_integrity: return attacker ? role::null_integrity : role::benign;
    case scenario::null_ciphering: return attacker ? role::null_ciphering : role::benign;
    case scenario::suci_null_scheme: return attacker ? role::suci_null : role::benign;
    case scenario::suci_replay: return attacker ? role::suci_replay : role::benign;
    case scenario::bidding_down: return attacker ? role::bidding_down : role::benign;
    case scenario::smc_reject: return attacker ? role::smc_reject : role::benign;
    case scenario::smc_ciphered: return attacker ? role::smc_ciphered : role::benign;
    case scenario::unprotected_after_smc:
      return attacker ? role::unprotected_after_smc : role::benign;
    case scenario::nas_replay: return attacker ? role::nas_replay : role::benign;
    case scenario::mac_failure: return attacker ? role::mac_failure : role::benign;
    case scenario::auth_failure_storm: return attacker ? role::auth_failure_storm : role::benign;
    case scenario::pei_before_security:
      return attacker ? role::pei_before_security : role::benign;
    case scenario::path_switch_bidding_down:
      return attacker ? role::path_switch_bidding_down : role::benign;
    case scenario::caps_mismatch_ngap: return attacker ? role::caps_mismatch_ngap : role::benign;
    case scenario::container_in_clear:
      return attacker ? role::container_in_clear : role::benign;
    case scenario::mixed: {
      // About 1 UE in 6 misbehaves; each attack equally likely.
      static constexpr role attacks[] = {
          role::null_integrity,       role::null_ciphering,     role::suci_null,
          role::suci_replay,          role::bidding_down,       role::smc_reject,
          role::smc_ciphered,         role::unprotected_after_smc, role::nas_replay,
          role::mac_failure,          role::auth_failure_storm, role::pei_before_security,
          role::path_switch_bidding_down, role::caps_mismatch_ngap};
      constexpr std::uint64_t n = sizeof attacks / sizeof attacks[0];
      // The first UEs cover every attack once so that a few hundred UEs show all of them.
      if (index >= 3 && index < 3 + 2 * n && (index - 3) % 2 == 0) return attacks[(index - 3) / 2];
      if (r.below(6) == 0) return attacks[r.below(n)];
      return role::benign;
    }
  }
  return role::benign;
}

std::unique_ptr<ue_ctx> engine::make_ue(std::uint64_t index) {
  auto u = std::make_unique<ue_ctx>();
  u->index = index;
  u->rnd.reseed(derive_seed(opt_.seed, 1, index));
  u->r = pick_role(index, u->rnd);
  u->eap = opt_.what == scenario::benign_eap ||
           (opt_.what == scenario::mixed && u->r == role::benign && u->rnd.below(10) == 0);
  u->gnb = static_cast<std::uint32_t>(index % assocs_.size());
  u->msin = imsi_msin(index);
  u->supi = "imsi-00101" + u->msin;
  {
    rng kr(derive_seed(opt_.seed, 2, index));
    kr.fill(u->k.mutable_view());
    kr.fill(u->opc.mutable_view());
    u->sqn = (kr.next() & 0xFFFFFF) << 5;  // SEQ || IND (5 bits). Ref: TS 33.102 C.3.2
  }
  u->caps = ue_caps{};
  u->nea = opt_.nea;
  u->nia = opt_.nia;
  u->profile = opt_.profile;
  switch (u->r) {
    case role::null_integrity: u->nia = 0; break;
    case role::null_ciphering: u->nea = 0; break;
    case role::suci_null: u->profile = suci_profile::null_scheme; break;
    case role::suci_replay:
      if (u->profile == suci_profile::null_scheme) u->profile = suci_profile::profile_a;
      break;
    case role::smc_reject:
      // The UE's capabilities were altered on the radio side: the AMF sees only 5G-EA0/EA2
      // and 5G-IA2 (no longer the UE's real set, so the UE rejects the SMC with #23).
      u->caps.ea = 0xA0;
      u->caps.ia = 0x20;
      if (u->nea != 0) u->nea = 2;
      u->nia = 2;
      break;
    default: break;
  }
  u->ue_ip = 0x0A2D0000U | static_cast<std::uint32_t>((index % 65000) + 2);
  u->teid_ul = static_cast<std::uint32_t>(u->rnd.next());
  u->teid_dl = static_cast<std::uint32_t>(u->rnd.next());
  u->cycles = u->r == role::benign ? opt_.cycles : 1;
  subscriber s{u->supi, to_hex(u->k.view()), to_hex(u->opc.view())};
  out_.on_subscriber(s);
  return u;
}

std::unique_ptr<ue_ctx> engine::make_flood_ue(std::uint64_t n) {
  auto u = std::make_unique<ue_ctx>();
  u->index = opt_.ues + n;
  u->rnd.reseed(derive_seed(opt_.seed, 3, n));
  u->r = role::flood;
  u->gnb = flood_gnb_;
  u->profile = suci_profile::profile_a;
  return u;
}

std::uint32_t engine::store(std::unique_ptr<ue_ctx> u) {
  if (!free_slots_.empty()) {
    const std::uint32_t s = free_slots_.back();
    free_slots_.pop_back();
    slots_[s] = std::move(u);
    return s;
  }
  slots_.push_back(std::move(u));
  return static_cast<std::uint32_t>(slots_.size() - 1);
}

void engine::schedule(std::uint32_t slot, std::int64_t t) { queue_.push({t, seq_++, slot}); }

std::uint64_t engine::send(ue_ctx& u, bool uplink, const byte_buffer& ngap, std::int64_t t,
                           const char* attack) {
  if (ngap.empty()) {
    fatal_ = true;
    fatal_msg_ = "the NGAP encoder refused a message";
    return 0;
  }
  auto& a = assocs_[u.gnb];
  const auto stream = static_cast<std::uint16_t>(1 + u.ran % (a.streams - 1));
  std::string comment;
  if (attack != nullptr) {
    comment = std::string("sec5g synth: ") + attack + " (UE " + std::to_string(u.index) + ")";
  }
  ++stats_.ngap_messages;
  return link_.send(a, uplink, stream, ngap, t, comment);
}

bool engine::protect_dl(ue_ctx& u, std::uint8_t sht, const byte_buffer& plain, byte_buffer& out) {
  const bool ok = protect(sht, u.sec, u.sec.dl_count, true, plain, out);
  ++u.sec.dl_count;
  return ok;
}

bool engine::protect_ul(ue_ctx& u, std::uint8_t sht, const byte_buffer& plain, byte_buffer& out) {
  const bool ok = protect(sht, u.sec, u.sec.ul_count, false, plain, out);
  ++u.sec.ul_count;
  return ok;
}

bool engine::derive_k_gnb(ue_ctx& u, std::uint32_t ul_count) {
  auto k = crypto::derive_k_gnb(u.k_amf.view(), ul_count);
  if (!k) return false;
  u.k_gnb = std::move(*k);
  return true;
}

bool engine::start_authentication(ue_ctx& u) {
  // The home network makes a fresh authentication vector. Ref: TS 33.501 6.1.3.2.
  u.rnd.fill(u.rand);
  u.sqn += 32;
  byte_array<6> sqn{};
  for (int i = 0; i < 6; ++i) sqn[static_cast<std::size_t>(i)] =
      static_cast<std::uint8_t>(u.sqn >> (8 * (5 - i)));
  if (!milenage_->rekey(u.k.view(), u.opc.view())) return false;
  if (u.eap) {
    auto r = eap_start(*milenage_, u.eap_st, u.rand, sqn, amf_field, serving_network_name,
                       u.supi, u.rnd);
    if (!r) return false;
    u.autn = u.eap_st.autn;
    return true;
  }
  crypto::aka_5g_params p;
  p.serving_network_name = serving_network_name;
  p.supi = u.supi;
  p.nas_enc_alg = u.nea;
  p.nas_int_alg = u.nia;
  auto keys = crypto::derive_5g_aka(*milenage_, u.rand, sqn, amf_field, p);
  if (!keys) return false;
  u.autn = keys->autn;
  u.res_star = std::move(keys->res_star);
  u.k_amf = std::move(keys->k_amf);
  u.sec.k_enc = std::move(keys->k_nas_enc);
  u.sec.k_int = std::move(keys->k_nas_int);
  return true;
}

void engine::emit_truth(const ue_ctx& u) {
  for (const auto& p : u.truths) {
    truth_finding f;
    f.rule = p.rule;
    f.frames = p.frames;
    f.frame = p.frames.empty() ? 0 : p.frames.front();
    f.ue = u.index;
    f.supi = u.supi;
    f.gnb = u.gnb;
    f.ran_ue_ngap_id = u.ran;
    f.amf_ue_ngap_id = u.amf_id;
    ++stats_.truth_findings;
    out_.on_truth(f);
  }
}

bool engine::finish_ue(ue_ctx& u, std::int64_t now) {
  emit_truth(u);
  if (u.r == role::suci_replay) {
    // A SUCI catcher replays the Registration Request it captured, on another gNB.
    auto rep = std::make_unique<ue_ctx>();
    rep->index = u.index;
    rep->r = role::replayer;
    rep->rnd.reseed(derive_seed(opt_.seed, 4, u.index));
    rep->gnb = static_cast<std::uint32_t>((u.gnb + 1) % assocs_.size());
    rep->supi = u.supi;
    rep->msin = u.msin;
    rep->k = u.k.clone();
    rep->opc = u.opc.clone();
    rep->sqn = u.sqn;
    rep->nea = u.nea;
    rep->nia = u.nia;
    rep->reg_request = u.reg_request;
    rep->next = step::reg_request;
    const auto slot = store(std::move(rep));
    schedule(slot, now + rng(derive_seed(opt_.seed, 5, u.index)).between(2 * sec, 8 * sec));
    ++stats_.attacking_ues;
  }
  return true;
}

bool engine::advance(std::uint32_t slot, std::int64_t now) {
  ue_ctx& u = *slots_[slot];
  auto& rnd = u.rnd;
  const auto c = cell_of(u.gnb);
  byte_buffer nas;
  byte_buffer pdu;
  std::int64_t delay = 0;
  auto dl_delay = [&] { return rnd.between(2 * ms, 12 * ms); };   // AMF processing
  auto ue_delay = [&] { return rnd.between(15 * ms, 60 * ms); };  // radio + UE processing

  switch (u.next) {
    case step::reg_request: {
      u.ran = new_ran_id(u.gnb);
      if (u.r == role::replayer) {
        nas = u.reg_request;  // byte for byte
      } else {
        byte_buffer mi;
        if (u.r == role::flood) {
          // A fake SUCI: random "scheme output" that no home network key opens.
          byte_array<48> junk{};
          rnd.fill(junk);
          identity::suci s;
          s.plmn.mcc.assign("001");
          s.plmn.mnc.assign("01");
          s.routing.assign("0000");
          s.protection_scheme_id = 1;
          s.hn_public_key_id = opt_.hn_key_id;
          s.scheme_output.assign(junk.begin(), junk.begin() + 32 + 5 + 8);
          if (!identity::encode_suci(s, mi)) return false;
        } else {
          auto r = conceal_suci(u.msin, u.profile, opt_.hn_key_id, hn_public_, u.rnd);
          if (!r) return false;
          mi = std::move(*r);
        }
        u.suci_identity = mi;
        const auto suci = identity::decode_mobile_identity(u.suci_identity);
        if (!suci) return false;
        nas = nasb::registration_request(7, *suci, u.caps, true);
        u.reg_request = nas;
      }
      const auto f = send(u, true, ngb::initial_ue_message(u.ran, nas, c, 3, std::nullopt), now,
                          u.r == role::replayer    ? "suci-replay"
                          : u.profile == suci_profile::null_scheme ? "suci-null-scheme"
                          : u.r == role::flood     ? "registration-flood"
                                                   : nullptr);
      if (u.r == role::replayer) u.add_truth("id.suci_replay", f);
      if (u.profile == suci_profile::null_scheme && u.r != role::replayer && u.r != role::flood) {
        u.add_truth("id.suci_null_scheme", f);
      }
      if (u.r == role::flood) flood_frames_.push_back(f);
      if (u.r == role::flood) {
        u.next = step::registration_reject;
        delay = rnd.between(20 * ms, 60 * ms);
      } else if (u.r == role::pei_before_security) {
        u.next = step::identity_request;
        delay = dl_delay();
      } else {
        u.next = step::auth_request;
        delay = rnd.between(15 * ms, 40 * ms);  // AUSF/UDM round trip
      }
      break;
    }
    case step::identity_request: {
      u.amf_id = next_amf_id_++;
      nas = nasb::identity_request(identity::mobile_identity_type::imei);
      const auto f = send(u, false, ngb::downlink_nas(u.amf_id, u.ran, nas), now,
                          "pei-before-security");
      u.add_truth("id.pei_before_security", f);
      u.next = step::identity_response;
      delay = ue_delay();
      break;
    }
    case step::identity_response: {
      identity::imei im;
      im.digits.assign(imei_digits(u.index));
      nas = nasb::identity_response(im);
      const auto f = send(u, true, ngb::uplink_nas(u.amf_id, u.ran, nas, c), now,
                          "pei-before-security");
      u.add_truth("id.pei_before_security", f);
      u.next = step::auth_request;
      delay = rnd.between(15 * ms, 40 * ms);
      break;
    }
    case step::auth_request: {
      if (u.amf_id == 0) u.amf_id = next_amf_id_++;
      if (!start_authentication(u)) return false;
      if (u.eap) {
        nas = nasb::authentication_request_eap(u.ngksi, u.eap_st.request);
      } else {
        nas = nasb::authentication_request(u.ngksi, u.rand, u.autn);
      }
      send(u, false, ngb::downlink_nas(u.amf_id, u.ran, nas), now);
      if (u.r == role::replayer) {
        // Nobody answers: T3560 runs out and the AMF gives up. Ref: TS 24.501 5.4.1.3.7.
        u.next = step::release_final;
        delay = rnd.between(6 * sec, 7 * sec);
      } else if (u.r == role::auth_failure_storm) {
        u.next = step::auth_failure;
        delay = ue_delay();
      } else {
        u.next = step::auth_response;
        delay = ue_delay();
      }
      break;
    }
    case step::auth_response: {
      if (u.eap) {
        nas = nasb::authentication_response_eap(u.eap_st.response);
      } else {
        nas = nasb::authentication_response(u.res_star.view());
      }
      send(u, true, ngb::uplink_nas(u.amf_id, u.ran, nas, c), now);
      u.next = step::smc;
      delay = rnd.between(10 * ms, 30 * ms);
      break;
    }
    case step::auth_failure: {
      nas = nasb::authentication_failure(20, std::nullopt);  // #20 MAC failure
      const auto f = send(u, true, ngb::uplink_nas(u.amf_id, u.ran, nas, c), now,
                          "auth-failure-storm");
      u.add_truth("aka.auth_failure_storm", f);
      ++u.auth_failures;
      if (u.auth_failures < storm_failures) {
        u.next = step::auth_request;
        delay = rnd.between(15 * ms, 40 * ms);
      } else {
        u.next = step::auth_reject;
        delay = dl_delay();
      }
      break;
    }
    case step::auth_reject: {
      nas = nasb::authentication_reject();
      send(u, false, ngb::downlink_nas(u.amf_id, u.ran, nas), now);
      u.release_cause = 1;
      u.next = step::release_final;
      delay = rnd.between(5 * ms, 15 * ms);
      break;
    }
    case step::smc: {
      u.sec.nea = u.nea;
      u.sec.nia = u.nia;
      u.sec.ul_count = 0;
      u.sec.dl_count = 0;
      if (u.eap) {
        // K_AUSF from EAP-AKA' -> K_SEAF ... NAS keys. Ref: TS 33.501 6.1.3.1.
        crypto::aka_5g_params p;
        p.serving_network_name = serving_network_name;
        p.supi = u.supi;
        p.nas_enc_alg = u.nea;
        p.nas_int_alg = u.nia;
        auto keys = crypto::derive_from_k_ausf(u.eap_st.k_ausf.view(), p);
        if (!keys) return false;
        u.k_amf = std::move(keys->k_amf);
        u.sec.k_enc = std::move(keys->k_nas_enc);
        u.sec.k_int = std::move(keys->k_nas_int);
      }
      ue_caps replayed = u.caps;
      if (u.r == role::bidding_down) {
        // The replayed capabilities lost 128-5G-EA1/EA3 and 128-5G-IA1/IA3.
        replayed.ea = static_cast<std::uint8_t>(u.caps.ea & 0xA0);
        replayed.ia = static_cast<std::uint8_t>(u.caps.ia & 0xA0);
      }
      std::optional<bytes_view> eap_success;
      const byte_array<4> eap_success_pkt{0x03, u.eap_st.identifier, 0x00, 0x04};
      if (u.eap) eap_success = bytes_view(eap_success_pkt);
      const auto plain = nasb::security_mode_command(u.nea, u.nia, u.ngksi, replayed, eap_success);
      const std::uint8_t sht = u.r == role::smc_ciphered ? 4 : 3;
      if (!protect_dl(u, sht, plain, nas)) return false;
      const char* tag = nullptr;
      if (u.r == role::bidding_down) tag = "bidding-down";
      if (u.r == role::smc_ciphered) tag = "smc-ciphered";
      if (u.nia == 0) tag = "null-integrity";
      if (u.nea == 0 && tag == nullptr) tag = "null-ciphering";
      const auto f = send(u, false, ngb::downlink_nas(u.amf_id, u.ran, nas), now, tag);
      if (u.nia == 0) u.add_truth("nas.null_integrity", f);
      if (u.nea == 0) u.add_truth("nas.null_ciphering", f);
      if (u.r == role::bidding_down) u.add_truth("nas.smc_caps_mismatch", f);
      if (u.r == role::smc_ciphered) u.add_truth("nas.smc_ciphered", f);
      u.next = u.r == role::smc_reject ? step::smc_reject : step::smc_complete;
      delay = ue_delay();
      break;
    }
    case step::smc_complete: {
      identity::imeisv sv;
      sv.digits.assign(imei_digits(u.index).substr(0, 14) + "01");
      const auto suci = identity::decode_mobile_identity(u.suci_identity);
      if (!suci) return false;
      const auto full = nasb::registration_request(7, *suci, u.caps, false);
      const auto plain = nasb::security_mode_complete(sv, full);
      if (!protect_ul(u, 4, plain, nas)) return false;
      const bool null_suci = u.profile == suci_profile::null_scheme;
      const auto f = send(u, true, ngb::uplink_nas(u.amf_id, u.ran, nas, c), now,
                          null_suci ? "suci-null-scheme" : nullptr);
      if (null_suci) u.add_truth("id.suci_null_scheme", f);
      u.next = step::ics_reg;
      delay = rnd.between(5 * ms, 20 * ms);
      break;
    }
    case step::smc_reject: {
      nas = nasb::security_mode_reject(23);  // #23 UE security capabilities mismatch
      const auto f = send(u, true, ngb::uplink_nas(u.amf_id, u.ran, nas, c), now, "smc-reject");
      u.add_truth("nas.smc_reject_caps", f);
      u.next = step::release_final;
      delay = dl_delay();
      break;
    }
    case step::ics_reg: {
      // K_gNB from the uplink COUNT of the Security Mode Complete. Ref: TS 33.501 6.8.1.2.1, A.9.
      if (!derive_k_gnb(u, 0)) return false;
      u.tmsi = next_tmsi_++;
      const auto plain = nasb::registration_accept(guti_of(u), plmn_tbcd, tac);
      const char* tag = nullptr;
      if (u.r == role::unprotected_after_smc) {
        nas = plain;  // no security header at all
        tag = "unprotected-after-smc";
      } else if (!protect_dl(u, 2, plain, nas)) {
        return false;
      }
      ue_caps ics_caps = u.caps;
      if (u.r == role::caps_mismatch_ngap) {
        ics_caps.ea = static_cast<std::uint8_t>(u.caps.ea & 0x80);  // only NEA0 left
        ics_caps.ia = static_cast<std::uint8_t>(u.caps.ia & 0xA0);
        tag = "caps-mismatch-ngap";
      }
      const auto f = send(u, false, ics_request(u, ics_caps, nas), now, tag);
      if (u.r == role::unprotected_after_smc) u.add_truth("nas.unprotected_after_smc", f);
      if (u.r == role::caps_mismatch_ngap) u.add_truth("ngap.caps_mismatch", f);
      u.next = step::ics_reg_response;
      delay = rnd.between(10 * ms, 30 * ms);
      break;
    }
    case step::ics_reg_response: {
      send(u, true, ngb::ics_response(u.amf_id, u.ran), now);
      u.next = step::reg_complete;
      delay = rnd.between(5 * ms, 20 * ms);
      break;
    }
    case step::reg_complete: {
      if (!protect_ul(u, 2, nasb::registration_complete(), nas)) return false;
      send(u, true, ngb::uplink_nas(u.amf_id, u.ran, nas, c), now);
      if (u.r == role::nas_replay) {
        u.saved_ul = nas;
        u.next = step::reg_complete_replay;
        delay = rnd.between(200 * ms, 800 * ms);
      } else {
        u.next = step::pdu_est_request;
        delay = rnd.between(50 * ms, 300 * ms);
      }
      break;
    }
    case step::reg_complete_replay: {
      const auto f = send(u, true, ngb::uplink_nas(u.amf_id, u.ran, u.saved_ul, c), now,
                          "nas-replay");
      u.add_truth("nas.count_replay", f);
      u.next = step::pdu_est_request;
      delay = rnd.between(50 * ms, 300 * ms);
      break;
    }
    case step::pdu_est_request: {
      const auto sm = nasb::pdu_session_establishment_request(u.psi, u.pti);
      const auto plain = nasb::ul_nas_transport_sm(u.psi, sm, true);
      if (!protect_ul(u, 2, plain, nas)) return false;
      if (u.r == role::mac_failure && !u.tampered) {
        // Altered on the way: one ciphertext bit flipped, MAC unchanged. The AMF discards it
        // and the UE retransmits (T3580) with the next COUNT. Ref: TS 24.501 4.4.4.3. Under
        // NIA0 the MAC covers nothing (32 zero bits, TS 33.501 D.1), so a MAC bit is flipped
        // instead: a MAC that is not zero fails the NIA0 check.
        if (u.nia == 0) nas[2] ^= 0x01;  // octets 3-6: the MAC. Ref: TS 24.501 9.1.1
        else nas.back() ^= 0x01;
        u.tampered = true;
        const auto f = send(u, true, ngb::uplink_nas(u.amf_id, u.ran, nas, c), now,
                            "mac-failure");
        u.add_truth("nas.mac_failure", f);
        u.next = step::pdu_est_request;
        delay = rnd.between(1 * sec, 2 * sec);
        break;
      }
      send(u, true, ngb::uplink_nas(u.amf_id, u.ran, nas, c), now);
      u.next = step::pdu_setup_request;
      delay = rnd.between(20 * ms, 80 * ms);  // SMF, UPF
      break;
    }
    case step::pdu_setup_request: {
      // PDU session 1 gets 10.45.x.y, a second one 10.46.x.y; its tunnels the next TEIDs.
      const std::uint32_t ue_ip = u.ue_ip + ((u.psi - 1U) << 16);
      const byte_array<4> ip{static_cast<std::uint8_t>(ue_ip >> 24),
                             static_cast<std::uint8_t>(ue_ip >> 16),
                             static_cast<std::uint8_t>(ue_ip >> 8),
                             static_cast<std::uint8_t>(ue_ip)};
      const auto sm = nasb::pdu_session_establishment_accept(u.psi, u.pti, ip);
      const auto plain = nasb::dl_nas_transport_sm(u.psi, sm);
      if (!protect_dl(u, 2, plain, nas)) return false;
      const auto transfer = ngb::setup_request_transfer(
          upf_ip, u.teid_ul + (u.psi - 1U), ngap::up_protection_indication::preferred,
          ngap::up_protection_indication::preferred);
      send(u, false, ngb::pdu_setup_request(u.amf_id, u.ran, u.psi, nas, transfer), now);
      u.next = step::pdu_setup_response;
      delay = rnd.between(10 * ms, 30 * ms);
      break;
    }
    case step::pdu_setup_response: {
      const auto& a = assocs_[u.gnb];
      const auto transfer = ngb::setup_response_transfer(
          a.gnb_ip, u.teid_dl + (u.psi - 1U), ngap::up_protection_result::performed,
          ngap::up_protection_result::performed);
      send(u, true, ngb::pdu_setup_response(u.amf_id, u.ran, u.psi, transfer), now);
      if (u.psi != 1) {
        // The second session of a later cycle: used for a while, then released by the UE.
        u.next = step::pdu_rel_request;
        delay = rnd.between(2 * sec, 10 * sec);
      } else if (u.r == role::path_switch_bidding_down && !u.switched) {
        u.next = step::path_switch_request;
        delay = rnd.between(1 * sec, 4 * sec);
      } else {
        u.next = step::release_request_idle;
        delay = rnd.between(5 * sec, 15 * sec);
      }
      break;
    }
    case step::path_switch_request: {
      // Xn handover to the next gNB; the target gNB asks the AMF to switch the path, with
      // UE security capabilities that lost 128-NEA1..3 (a bidding-down by the target gNB).
      u.gnb = static_cast<std::uint32_t>((u.gnb + 1) % assocs_.size());
      u.ran = new_ran_id(u.gnb);
      u.switched = true;
      const auto tc = cell_of(u.gnb);
      const auto& a = assocs_[u.gnb];
      ue_caps reduced = u.caps;
      reduced.ea = static_cast<std::uint8_t>(u.caps.ea & 0x80);
      reduced.ia = static_cast<std::uint8_t>(u.caps.ia & 0xA0);
      const auto transfer = ngb::path_switch_request_transfer(a.gnb_ip, u.teid_dl ^ 0x5A5A5A5AU);
      const auto f = send(u, true,
                          ngb::path_switch_request(u.ran, u.amf_id, tc, ngap_caps(reduced), 1,
                                                   transfer),
                          now, "path-switch-bidding-down");
      u.add_truth("ngap.path_switch_caps_mismatch", f);
      u.next = step::path_switch_ack;
      delay = rnd.between(5 * ms, 15 * ms);
      break;
    }
    case step::path_switch_ack: {
      // NH from K_AMF and the initial K_gNB, NCC 1; the AMF does not send the stored
      // capabilities back (the IE is absent). Ref: TS 33.501 6.9.2.3.3, A.10.
      auto nh = crypto::derive_nh(u.k_amf.view(), u.k_gnb.view());
      if (!nh) return false;
      const auto transfer = ngb::path_switch_ack_transfer(upf_ip, u.teid_ul);
      const auto f = send(u, false,
                          ngb::path_switch_ack(u.amf_id, u.ran, std::nullopt, 1, nh->view(), 1,
                                               transfer),
                          now, "path-switch-bidding-down");
      u.add_truth("ngap.path_switch_caps_mismatch", f);
      u.next = step::release_request_idle;
      delay = rnd.between(5 * sec, 15 * sec);
      break;
    }
    case step::release_request_idle: {
      // The gNB asks for the release after user inactivity. Ref: TS 38.413 8.3.2.
      send(u, true,
           ngb::release_request(u.amf_id, u.ran, ngap::cause{ngap::cause::group::radio_network, 20}),
           now);
      u.next = step::release_idle;
      delay = dl_delay();
      break;
    }
    case step::release_idle: {
      send(u, false,
           ngb::release_command(u.amf_id, u.ran,
                                ngap::cause{ngap::cause::group::radio_network, 20}),
           now);
      u.next = step::release_idle_complete;
      delay = rnd.between(2 * ms, 10 * ms);
      break;
    }
    case step::release_idle_complete: {
      send(u, true, ngb::release_complete(u.amf_id, u.ran, c), now);
      // Every third cycle the idle UE first makes a periodic registration update (T3512 runs
      // out; timers compressed). Cycle 1 never does: --cycles 1 keeps its old traffic.
      u.next = u.cycles > 1 && (u.cycles_done + 1) % 3 == 0 ? step::periodic_reg_request
                                                             : step::service_request;
      delay = rnd.between(5 * sec, 30 * sec);
      break;
    }
    case step::service_request: {
      // CM-IDLE -> CM-CONNECTED: new N2 connection, new RAN and AMF UE NGAP ids.
      ++u.cycles_done;
      u.ran = new_ran_id(u.gnb);
      u.amf_id = next_amf_id_++;
      const identity::s_tmsi_5g st{amf_set, amf_pointer, u.tmsi};
      const std::uint32_t count = u.sec.ul_count;
      byte_buffer plain;
      if (u.r == role::container_in_clear) {
        // A faulty UE: the complete Service Request in the container as is, not ciphered, so
        // its non-cleartext IEs travel in clear (the context ciphers unless --nea 0).
        const byte_buffer full = nasb::service_request_data(u.ngksi, st, 1);
        plain = nasb::service_request_container(u.ngksi, st, full);
      } else if (u.cycles > 1) {
        // Uplink data is pending on PDU session 1: the Uplink data status and PDU session
        // status are not cleartext IEs, so the complete Service Request travels in the NAS
        // message container, ciphered with the current context and this message's COUNT,
        // inside a Service Request that is only integrity protected. Ref: TS 24.501 4.4.6.
        // (--cycles 1 keeps its earlier Service Request without IEs.)
        byte_buffer full = nasb::service_request_data(u.ngksi, st, 1);
        if (!detail::cipher_container(u.sec, count, full)) return false;
        plain = nasb::service_request_container(u.ngksi, st, full);
      } else {
        plain = nasb::service_request(u.ngksi, 1, st);  // service type: data
      }
      if (!protect_ul(u, 1, plain, nas)) return false;
      if (!derive_k_gnb(u, count)) return false;
      const bool in_clear = u.r == role::container_in_clear && u.nea != 0;
      const auto f = send(u, true,
                          ngb::initial_ue_message(u.ran, nas, c, 4,
                                                  ngap::five_g_s_tmsi{amf_set, amf_pointer, u.tmsi}),
                          now, in_clear ? "container-in-clear" : nullptr);
      if (in_clear) u.add_truth("nas.container_not_ciphered", f);
      u.next = step::ics_sr;
      delay = dl_delay();
      break;
    }
    case step::ics_sr: {
      if (!protect_dl(u, 2, nasb::service_accept(), nas)) return false;
      send(u, false, ics_request(u, u.caps, nas), now);
      u.next = step::ics_sr_response;
      delay = rnd.between(10 * ms, 30 * ms);
      break;
    }
    case step::ics_sr_response: {
      send(u, true, ngb::ics_response(u.amf_id, u.ran), now);
      if (u.cycles_done < u.cycles) {
        // Another connected period; in one of three the UE also sets up a second PDU
        // session (psi 2) and releases it before the gNB releases the connection.
        if (rnd.below(3) == 0) {
          u.psi = 2;
          u.pti = next_pti(u);
          u.next = step::pdu_est_request;
          delay = rnd.between(1 * sec, 5 * sec);
        } else {
          u.next = step::release_request_idle;
          delay = rnd.between(5 * sec, 15 * sec);
        }
        break;
      }
      u.next = step::dereg_request;
      delay = rnd.between(2 * sec, 20 * sec);
      break;
    }
    case step::pdu_rel_request: {
      // UE-requested PDU session release. Ref: TS 23.502 4.3.4.2, TS 24.501 6.4.3.
      u.pti = next_pti(u);
      const auto sm = nasb::pdu_session_release_request(u.psi, u.pti);
      if (!protect_ul(u, 2, nasb::ul_nas_transport_sm(u.psi, sm, false), nas)) return false;
      send(u, true, ngb::uplink_nas(u.amf_id, u.ran, nas, c), now);
      u.next = step::pdu_rel_command;
      delay = rnd.between(10 * ms, 40 * ms);  // SMF, UPF
      break;
    }
    case step::pdu_rel_command: {
      const auto sm = nasb::pdu_session_release_command(u.psi, u.pti, 36);  // regular deactivation
      if (!protect_dl(u, 2, nasb::dl_nas_transport_sm(u.psi, sm), nas)) return false;
      const auto transfer = ngb::release_command_transfer_nas_cause(0);  // normal-release
      send(u, false, ngb::pdu_release_command(u.amf_id, u.ran, u.psi, nas, transfer), now);
      u.next = step::pdu_rel_response;
      delay = rnd.between(10 * ms, 30 * ms);
      break;
    }
    case step::pdu_rel_response: {
      send(u, true,
           ngb::pdu_release_response(u.amf_id, u.ran, u.psi, ngb::release_response_transfer(), c),
           now);
      u.next = step::pdu_rel_complete;
      delay = rnd.between(5 * ms, 20 * ms);
      break;
    }
    case step::pdu_rel_complete: {
      const auto sm = nasb::pdu_session_release_complete(u.psi, u.pti);
      if (!protect_ul(u, 2, nasb::ul_nas_transport_sm(u.psi, sm, false), nas)) return false;
      send(u, true, ngb::uplink_nas(u.amf_id, u.ran, nas, c), now);
      u.psi = 1;
      u.next = step::release_request_idle;
      delay = rnd.between(2 * sec, 8 * sec);
      break;
    }
    case step::periodic_reg_request: {
      // An idle UE's periodic registration update: a new N2 connection whose initial message
      // is integrity protected with the current context (the COUNT goes on), no follow-on
      // request, so no InitialContextSetup. Ref: TS 23.502 4.2.2.2.2, TS 24.501 5.5.1.3.
      u.ran = new_ran_id(u.gnb);
      u.amf_id = next_amf_id_++;
      // PDU session 1 is kept: the PDU session status (not a cleartext IE) sends the complete
      // message in a NAS message container ciphered with this message's COUNT. Ref: TS 24.501
      // 4.4.6, 5.5.1.3.2.
      const byte_array<2> psi1 = nasb::psi_bitmap(1);
      byte_buffer full = nasb::registration_request_periodic(u.ngksi, guti_of(u), u.caps, psi1);
      if (!detail::cipher_container(u.sec, u.sec.ul_count, full)) return false;
      const auto plain =
          nasb::registration_request_periodic(u.ngksi, guti_of(u), u.caps, {}, full);
      if (!protect_ul(u, 1, plain, nas)) return false;
      send(u, true,
           ngb::initial_ue_message(u.ran, nas, c, 3,
                                   ngap::five_g_s_tmsi{amf_set, amf_pointer, u.tmsi}),
           now);
      u.next = step::periodic_reg_accept;
      delay = rnd.between(5 * ms, 20 * ms);
      break;
    }
    case step::periodic_reg_accept: {
      // The AMF allocates a new 5G-GUTI (TS 33.501 6.12.3: "should" for periodic updates).
      u.tmsi = next_tmsi_++;
      const auto plain = nasb::registration_accept(guti_of(u), plmn_tbcd, tac);
      if (!protect_dl(u, 2, plain, nas)) return false;
      send(u, false, ngb::downlink_nas(u.amf_id, u.ran, nas), now);
      u.next = step::periodic_reg_complete;
      delay = ue_delay();
      break;
    }
    case step::periodic_reg_complete: {
      if (!protect_ul(u, 2, nasb::registration_complete(), nas)) return false;
      send(u, true, ngb::uplink_nas(u.amf_id, u.ran, nas, c), now);
      u.next = step::periodic_release;
      delay = dl_delay();
      break;
    }
    case step::periodic_release: {
      send(u, false,
           ngb::release_command(u.amf_id, u.ran, ngap::cause{ngap::cause::group::nas, 0}), now);
      u.next = step::periodic_release_complete;
      delay = rnd.between(2 * ms, 10 * ms);
      break;
    }
    case step::periodic_release_complete: {
      send(u, true, ngb::release_complete(u.amf_id, u.ran, c), now);
      u.next = step::service_request;
      delay = rnd.between(5 * sec, 30 * sec);
      break;
    }
    case step::dereg_request: {
      if (!protect_ul(u, 2, nasb::deregistration_request(u.ngksi, guti_of(u)), nas)) {
        return false;
      }
      send(u, true, ngb::uplink_nas(u.amf_id, u.ran, nas, c), now);
      u.next = step::dereg_accept;
      delay = dl_delay();
      break;
    }
    case step::dereg_accept: {
      if (!protect_dl(u, 2, nasb::deregistration_accept(), nas)) return false;
      send(u, false, ngb::downlink_nas(u.amf_id, u.ran, nas), now);
      u.release_cause = 2;
      u.next = step::release_final;
      delay = rnd.between(5 * ms, 10 * ms);
      break;
    }
    case step::registration_reject: {
      u.amf_id = next_amf_id_++;
      // #9: UE identity cannot be derived by the network (the SUCI did not de-conceal).
      nas = nasb::registration_reject(9);
      send(u, false, ngb::downlink_nas(u.amf_id, u.ran, nas), now);
      u.next = step::release_final;
      delay = rnd.between(5 * ms, 10 * ms);
      break;
    }
    case step::release_final: {
      send(u, false,
           ngb::release_command(u.amf_id, u.ran,
                                ngap::cause{ngap::cause::group::nas, u.release_cause}),
           now);
      u.next = step::release_final_complete;
      delay = rnd.between(2 * ms, 10 * ms);
      break;
    }
    case step::release_final_complete: {
      send(u, true, ngb::release_complete(u.amf_id, u.ran, c), now);
      u.next = step::done;
      break;
    }
    case step::done:
      break;
  }
  if (fatal_) return false;
  if (!nas.empty()) ++stats_.nas_messages;
  if (u.next == step::done) {
    if (!finish_ue(u, now)) return false;
    if (u.r != role::replayer && u.r != role::flood) --live_;
    slots_[slot].reset();
    free_slots_.push_back(slot);
    return true;
  }
  schedule(slot, now + delay);
  return true;
}

std::expected<run_stats, synth_error> engine::run() {
  if (auto r = init(); !r) return std::unexpected(r.error());
  std::int64_t t = opt_.start_time_ns;
  // Association setup and NG Setup for every gNB. Ref: TS 38.413 8.7.1.
  for (auto& a : assocs_) {
    t = link_.establish(a, t, derive_seed(opt_.seed, 11, a.gnb_index)) + 1 * ms;
    char name[32];
    std::snprintf(name, sizeof name, "gNB-%u", a.gnb_index + 1);
    const auto req = ngb::ng_setup_request(a.gnb_index + 1, name, plmn_tbcd, tac);
    const auto rsp = ngb::ng_setup_response("open5gs-amf0", amf_guami);
    if (req.empty() || rsp.empty()) return std::unexpected(synth_error{"NGSetup encoding failed"});
    link_.send(a, true, 0, req, t);
    link_.send(a, false, 0, rsp, t + 3 * ms);
    stats_.ngap_messages += 2;
    t += 10 * ms;
  }

  // UE arrivals: a Poisson process of about 2 registrations per second per gNB.
  rng arrivals(derive_seed(opt_.seed, 12, 0));
  const double mean_gap_ns = 0.5e9 / static_cast<double>(assocs_.size());
  std::int64_t next_arrival = t + 100 * ms;
  std::uint64_t next_index = 0;
  std::uint64_t flood_next = 0;
  std::int64_t flood_time = 0;
  bool flood_scheduled = false;

  while (true) {
    if (fatal_) return std::unexpected(synth_error{fatal_msg_});
    // The flood starts once half of the UEs have arrived (or at once for tiny runs).
    if (flood_enabled_ && !flood_scheduled && next_index >= flood_start_index_) {
      flood_scheduled = true;
      flood_time = next_arrival;
    }
    const bool can_arrive = next_index < opt_.ues && live_ < opt_.window;
    const bool flood_due = flood_scheduled && flood_next < flood_size;
    std::int64_t best = INT64_MAX;
    int which = -1;  // 0 arrival, 1 flood, 2 queue
    if (can_arrive) {
      best = next_arrival;
      which = 0;
    }
    if (flood_due && flood_time < best) {
      best = flood_time;
      which = 1;
    }
    if (!queue_.empty() && queue_.top().t <= best) {
      best = queue_.top().t;
      which = 2;
    }
    if (which < 0) {
      if (next_index < opt_.ues) {
        return std::unexpected(synth_error{"internal: UE window stalled"});
      }
      break;
    }
    if (which == 0) {
      auto u = make_ue(next_index);
      if (u->r != role::benign) ++stats_.attacking_ues;
      ++stats_.ues;
      ++live_;
      const auto slot = store(std::move(u));
      // With a full window the arrival waited; it happens now.
      schedule(slot, std::max(next_arrival, link_.last_time()));
      ++next_index;
      next_arrival = std::max(next_arrival, link_.last_time()) +
                     static_cast<std::int64_t>(arrivals.exponential(mean_gap_ns)) + 1;
    } else if (which == 1) {
      auto u = make_flood_ue(flood_next);
      ++stats_.attacking_ues;
      const auto slot = store(std::move(u));
      schedule(slot, flood_time);
      ++flood_next;
      flood_time += flood_spacing;
    } else {
      const event e = queue_.top();
      queue_.pop();
      if (!advance(e.slot, e.t)) {
        return std::unexpected(
            synth_error{fatal_ ? fatal_msg_ : "a crypto or encoding step failed"});
      }
    }
  }

  if (!flood_frames_.empty()) {
    truth_finding f;
    f.rule = "ngap.registration_flood";
    f.frames = flood_frames_;
    f.frame = flood_frames_.front();
    f.no_ue = true;
    f.gnb = flood_gnb_;
    ++stats_.truth_findings;
    out_.on_truth(f);
  }
  std::int64_t end = link_.last_time() + 100 * ms;
  for (auto& a : assocs_) {
    link_.shutdown(a, end);
    end += 1 * ms;
  }
  stats_.frames = link_.frames();
  stats_.bytes = link_.bytes();
  stats_.last_time_ns = link_.last_time();
  return stats_;
}

}  // namespace

std::expected<run_stats, synth_error> run(const options& opt, sink& out) {
  engine e(opt, out);
  return e.run();
}

}  // namespace sec5g::synth
