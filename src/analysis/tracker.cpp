// UE security-context tracking, key derivation, NAS deciphering and MAC verification.
// Ref: TS 33.501 6.1.3 (5G-AKA), 6.4 (NAS security), 6.7.2 (NAS SMC), Annex A (KDFs), D (NEA/NIA);
//      TS 24.501 4.4.3 (NAS COUNT), 4.4.4 (integrity), 4.4.5 (ciphering), 9.1.1 (header).
#include "sec5g/analysis/tracker.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <functional>
#include <unordered_map>
#include <utility>
#include <vector>

#include "sec5g/analysis/eap_aka.hpp"
#include "sec5g/core/chunked_store.hpp"
#include "sec5g/core/flat_index.hpp"
#include "sec5g/core/slot_index.hpp"
#include "sec5g/core/seeded_hash.hpp"
#include "sec5g/crypto/autn_scanner.hpp"
#include "sec5g/crypto/eap_aka_prime.hpp"
#include "sec5g/crypto/kdf.hpp"
#include "sec5g/crypto/key_hierarchy.hpp"
#include "sec5g/crypto/milenage.hpp"
#include "sec5g/crypto/tuak.hpp"
#include "sec5g/crypto/nea.hpp"
#include "sec5g/crypto/nia.hpp"
#include "sec5g/identity/mobile_identity.hpp"
#include "sec5g/identity/sidf.hpp"
#include "sec5g/identity/suci.hpp"
#include "sec5g/ngap/ies.hpp"
#include "sec5g/ngap/ngap.hpp"

namespace sec5g::analysis {

const char* to_string(mac_verdict v) noexcept {
  switch (v) {
    case mac_verdict::not_protected: return "not_protected";
    case mac_verdict::no_context: return "no_context";
    case mac_verdict::ok: return "ok";
    case mac_verdict::failed: return "failed";
  }
  return "no_context";
}

const char* to_string(as_key_verdict v) noexcept {
  switch (v) {
    case as_key_verdict::not_checked: return "not_checked";
    case as_key_verdict::ok: return "ok";
    case as_key_verdict::mismatch: return "mismatch";
  }
  return "not_checked";
}

void supi_digits::assign(std::string_view s) noexcept {
  len = 0;
  if (s.size() > d.size()) return;
  std::copy(s.begin(), s.end(), d.begin());
  len = static_cast<std::uint8_t>(s.size());
}

namespace {

constexpr std::uint32_t no_slot = 0xffffffffu;
constexpr std::size_t max_nas_per_pdu = 16;

/// One 5G NAS security context (TS 33.501 6.4.1): the algorithm keys and both COUNTs; its K_AMF
/// is kept by the owner (record::k_amf for the current context, read only when keys change and
/// for the AS keys: apart from the fields every protected message reads, see record).
struct nas_sec_ctx {
  // Flags and ngKSI in one octet: the record holds K_AMF's prepared HMAC states (64 octets) in
  // its five cache lines only with this context in 44 octets.
  bool valid : 1 = false;
  bool keys : 1 = false;         ///< K_AMF known
  bool alg_keys : 1 = false;     ///< k_enc/k_int derived for nea/nia
  bool ul_verified : 1 = false;  ///< the last uplink message verified under this context
  std::uint8_t ngksi : 3 = 7;
  std::uint8_t nea = 0, nia = 0;
  std::uint8_t bearer = 1;    ///< the BEARER that verified (see tracker_options::nas_bearer)
  std::int32_t last[2] = {-1, -1};  ///< last 24-bit NAS COUNT per direction, -1 none
  key128 k_enc;
  key128 k_int;

  void reset_counts() noexcept { last[0] = last[1] = -1; }
};

/// Another subscriber whose keys verified the same AUTN (several SUPIs sharing K/OPc, as lab
/// databases do): its K_AMF; the SMC's MAC tells which one is right.
struct amf_key_candidate {
  supi_digits supi;
  crypto::hmac_key k_amf;
};

/// The non-current native context (TS 24.501 4.4.2.1: at most one current and one non-current
/// native 5G NAS security context): either the context of the last authentication, not yet
/// taken into use (switch at the SMC), or, between an SMC that took a new context into use and
/// the UE's answer, the former current context (restored on Security Mode Reject).
struct pending_ctx {
  bool valid = false;
  bool keys = false;
  bool previous = false;      ///< the former current context (kept until the SMC completes)
  std::uint8_t ngksi = 7;
  std::uint8_t nea = 0, nia = 0, bearer = 1;  ///< (previous only)
  std::int32_t last[2] = {-1, -1};            ///< (previous only) last COUNTs
  crypto::hmac_key k_amf;                     ///< K_AMF, prepared for the KDF
  std::unique_ptr<std::vector<amf_key_candidate>> alternatives;  ///< null unless ambiguous
};

/// The record of one authentication between its request and the UE's answer (kept in a side
/// table, not in every UE record: only UEs in the middle of an authentication hold one).
struct auth_run {
  byte_array<16> rand{};
  secret<32> xres;            ///< XRES* (5G-AKA, 16 octets) or XRES (EAP-AKA', the f2 RES)
  std::uint8_t xres_len = 0;  ///< 0: not known (no keys)
  bool eap = false;
  std::uint32_t row = 0;      ///< subscriber row in the key file (valid when has_row)
  bool has_row = false;
};

/// The internal record of a UE: the public context plus keys and bookkeeping.
///
/// The fields every NGAP message of the UE reads or writes come first and together (the index
/// bookkeeping, then the current context's COUNTs and algorithm keys, then ue_context's first
/// fields): with 20 000 UEs the records (~8 MB) do not stay in the caches, and the scattered
/// layout touched five or six cache lines of a record per message. 320 octets, aligned to the
/// cache line: those fields are the first two lines. K_AMF, read only when the keys change and
/// for the AS keys, is the last line: kept as its prepared HMAC states (crypto::hmac_key), so
/// that the K_gNB of every connection hashes two SHA-256 blocks instead of four; the flags
/// above it are bits so that the 64 octets fit. The non-current context (pending_ctx, 88
/// octets) lives beside, in tracker::impl::pendings: a UE holds one only from an Authentication
/// Request to the end of the SMC that follows.
struct alignas(64) record {
  std::uint64_t conn_key = 0, amf_key = 0;
  std::uint32_t tmsi_key = 0;
  std::uint32_t k_gnb_count = 0;  ///< uplink NAS COUNT of the last verified K_gNB (NH chain anchor)
  std::uint8_t nh_index = 0;      ///< position in the NH chain of the last verified NH (0: none)
  bool k_gnb_known : 1 = false;
  bool live : 1 = false;
  bool released : 1 = false;
  bool conn_indexed : 1 = false, amf_indexed : 1 = false, tmsi_indexed : 1 = false;
  bool has_pend : 1 = false;  ///< tracker::impl::pendings holds a non-current context for it
  nas_sec_ctx cur;            ///< context in use
  ue_context pub;
  crypto::hmac_key k_amf;     ///< K_AMF of `cur` (when cur.keys), prepared for the KDF
};
static_assert(sizeof(record) % 64 == 0, "alignment must not pad the record (memory per UE)");
static_assert(sizeof(record) <= 320, "the record grew past five cache lines (memory per UE)");

/// A record's neighbours in the idle order (tracker::impl::lru, by slot).
struct lru_link {
  std::uint32_t prev = no_slot, next = no_slot;
};

std::uint64_t conn_key_of(std::uint32_t assoc, std::uint32_t ran) noexcept {
  return (std::uint64_t{assoc} << 32) | ran;
}

/// PLMN (3 octets, TS 24.008 10.5.1.13 layout) to MCC / MNC digits; false if not BCD.
bool plmn_digits(const std::array<std::uint8_t, 3>& p, std::string& mcc, std::string& mnc) {
  const int d[6] = {p[0] & 0xf, p[0] >> 4, p[1] & 0xf, p[2] & 0xf, p[2] >> 4, p[1] >> 4};
  mcc.clear();
  mnc.clear();
  for (int i = 0; i < 3; ++i) {
    if (d[i] > 9) return false;
    mcc.push_back(static_cast<char>('0' + d[i]));
  }
  for (int i = 3; i < 5; ++i) {
    if (d[i] > 9) return false;
    mnc.push_back(static_cast<char>('0' + d[i]));
  }
  if (d[5] <= 9) mnc.push_back(static_cast<char>('0' + d[5]));
  else if (d[5] != 0xf) return false;
  return true;
}

/// Serving network name "5G:mnc<MNC 3 digits>.mcc<MCC>.3gppnetwork.org". Ref: TS 24.501 9.12.1.
std::string snn_of(const std::string& mcc, const std::string& mnc) {
  std::string m = mnc.size() == 2 ? "0" + mnc : mnc;
  return "5G:mnc" + m + ".mcc" + mcc + ".3gppnetwork.org";
}

ue_sec_caps caps_from_ngap(const ngap::ue_security_capabilities& c) noexcept {
  // NGAP bit strings: first bit (MSB) = 128-NEA1 ... ; NAS octet: bit 8 = EA0, bit 7 = EA1.
  // So the NAS octet = (first 7 bits of the NGAP bitmap) >> 1, EA0 bit left 0 (not signalled).
  ue_sec_caps out;
  out.len = 4;
  out.octets[0] = static_cast<std::uint8_t>((c.nr_encryption >> 9) & 0x7f);
  out.octets[1] = static_cast<std::uint8_t>((c.nr_integrity >> 9) & 0x7f);
  out.octets[2] = static_cast<std::uint8_t>((c.eutra_encryption >> 9) & 0x7f);
  out.octets[3] = static_cast<std::uint8_t>((c.eutra_integrity >> 9) & 0x7f);
  return out;
}

}  // namespace

struct tracker::impl {
  tracker_options opt;
  /// The NAS-PDUs of the NGAP message on_ngap is reading (a member: zeroing 384 octets per
  /// message on the stack was 1% of an audit).
  std::array<ngap::nas_pdu_ref, max_nas_per_pdu> nas_scratch{};
  const subscriber_db* db;
  const identity::hn_key_store* hn;
  event_sink& sink;
  tracker_stats st;

  /// UE records by slot; chunked, so records never move (no re-copy of the table as it grows).
  chunked_store<record> recs;
  std::vector<std::uint32_t> free_slots;
  /// The idle order (a doubly linked list by slot; head = most recently used), kept beside the
  /// records rather than in them: moving a UE to the head rewrites its old neighbours' links,
  /// and two neighbours' records were two more cache misses per NGAP message with 20 000 UEs
  /// (8 octets per slot here stay in the L2 cache).
  std::vector<lru_link> lru;
  std::uint32_t lru_head = no_slot, lru_tail = no_slot;
  std::size_t live = 0;
  std::uint64_t next_id = 1;

  /// The key a record is indexed under in by_conn / by_amf / by_tmsi (core/slot_index.hpp:
  /// an entry holds only the slot and hash bits; the record holds the key).
  template <std::uint64_t (*Key)(const record&)>
  struct key_of {
    const chunked_store<record>* recs;
    std::uint64_t operator()(std::uint32_t s) const noexcept { return Key((*recs)[s]); }
  };
  static std::uint64_t conn_key_in(const record& r) noexcept { return r.conn_key; }
  static std::uint64_t amf_key_in(const record& r) noexcept { return r.amf_key; }
  static std::uint64_t tmsi_key_in(const record& r) noexcept { return r.tmsi_key; }
  slot_index<key_of<conn_key_in>> by_conn{{&recs}};  ///< conn_key_of(association, RAN-UE-NGAP-ID)
  slot_index<key_of<amf_key_in>> by_amf{{&recs}};    ///< AMF-UE-NGAP-ID
  slot_index<key_of<tmsi_key_in>> by_tmsi{{&recs}};  ///< 5G-TMSI

  // Candidate keys for AUTN-based identification (views into db, OPc computed for OP rows).
  std::vector<key128> derived_opc;
  std::vector<crypto::subscriber_keys> candidates;
  std::vector<std::size_t> candidate_row;
  std::vector<std::size_t> row_candidate;  ///< db row -> candidate index (npos if none)
  /// The MILENAGE candidates prepared for AUTN scans (key schedules computed once, at the first
  /// scan).
  std::optional<crypto::autn_scanner> scanner;
  /// Candidate -> the next candidate with the same K and OPc (npos): lab databases give several
  /// SUPIs the same keys; their K_AMF differ by the SUPI and the SMC's MAC decides.
  std::vector<std::size_t> dup_next;
  std::vector<std::size_t> tuak_rows;      ///< db rows of TUAK subscribers
  std::unordered_map<std::size_t, crypto::tuak> tuaks;  ///< db row -> TUAK instance
  std::optional<crypto::milenage> mil;     ///< one MILENAGE context, rekeyed per subscriber
  /// Authentications between request and answer, by record slot.
  std::unordered_map<std::uint32_t, auth_run> auth_runs;
  /// Non-current native contexts (pending_ctx), by record slot: record::has_pend says whether
  /// a slot has one (only UEs between an Authentication Request and the end of its SMC).
  std::unordered_map<std::uint32_t, pending_ctx> pendings;
  /// The non-current context of slot `s`, or null.
  pending_ctx* pend_of(std::uint32_t s) {
    if (!recs[s].has_pend) return nullptr;
    auto it = pendings.find(s);
    return it != pendings.end() ? &it->second : nullptr;
  }
  /// Makes `p` the non-current context of slot `s` (none when !p.valid).
  void set_pend(std::uint32_t s, pending_ctx&& p) {
    if (!p.valid) {
      clear_pend(s);
      return;
    }
    pendings[s] = std::move(p);
    recs[s].has_pend = true;
  }
  void clear_pend(std::uint32_t s) {
    if (!recs[s].has_pend) return;
    pendings.erase(s);
    recs[s].has_pend = false;
  }
  /// NAI SUPIs not in the key file, by record slot (ue_context::supi_nai points here).
  std::unordered_map<std::uint32_t, std::string> nai_by_slot;
  /// N2 handovers in progress, by record slot. Ref: TS 23.502 4.9.1.3, TS 38.413 8.4.1-8.4.2.
  /// The AMF copies the Source to Target Transparent Container of the source's
  /// HandoverRequired into the HandoverRequest to the target, which may carry a new
  /// AMF-UE-NGAP-ID: the container links the target side to the UE. While the handover runs,
  /// the source side's ids (replaced in the main indexes by the target's) stay aliases of the
  /// UE until the source's UE context is released.
  struct handover_link {
    std::uint64_t container = 0;  ///< hash of the container (key of ho_by_container)
    bool has_container = false;
    std::vector<std::uint64_t> conn_aliases, amf_aliases;
  };
  std::unordered_map<std::uint32_t, handover_link> handovers;
  flat_index ho_by_container;  ///< container hash -> slot
  flat_index conn_alias;       ///< former conn key -> slot
  flat_index amf_alias;        ///< former AMF id -> slot
  /// Calls f(index) for every id index of the contexts (swept by finish(), counted by the
  /// memory estimate).
  template <class Self, class F>
  static void for_each_id_index(Self& t, F&& f) {
    f(t.by_conn);
    f(t.by_amf);
    f(t.by_tmsi);
    for (auto* index : {&t.ho_by_container, &t.conn_alias, &t.amf_alias}) f(*index);
  }
  static constexpr std::size_t npos = static_cast<std::size_t>(-1);

  std::unique_ptr<identity::sidf> sidf;
  ngap::pdu pdu;
  byte_buffer scratch;      ///< the deciphered NAS message of the current event
  byte_buffer container_scratch;  ///< the deciphered NAS message container of the current event
  byte_buffer eap_scratch;  ///< an EAP packet with its AT_MAC zeroed
  std::string mcc, mnc;
  std::optional<std::array<std::uint8_t, 3>> snn_plmn;  ///< the PLMN of snn_text
  std::string snn_text;                                 ///< see serving_network_name

  impl(const tracker_options& o, const subscriber_db* k, const identity::hn_key_store* h,
       event_sink& s)
      : opt(o), db(k), hn(h), sink(s), recs(std::min<std::size_t>(opt.max_ues, 1024)) {
    if (opt.max_ues == 0) opt.max_ues = 1;
    if (hn != nullptr) sidf = std::make_unique<identity::sidf>(*hn);
    if (db != nullptr) {
      const auto& subs = db->all();
      std::size_t op_rows = 0;
      for (const auto& sub : subs) op_rows += (!sub.has_tuak_top && !sub.has_opc && sub.has_op) ? 1 : 0;
      derived_opc.reserve(op_rows);  // no reallocation below: candidates keep views into it
      row_candidate.assign(subs.size(), npos);
      for (std::size_t i = 0; i < subs.size(); ++i) {
        const auto& sub = subs[i];
        if (sub.has_tuak_top) {
          // TUAK subscriber (TS 35.231), the default instance: 64-bit MAC and RES, 128-bit CK/IK.
          if (auto t = crypto::tuak::create_from_top(sub.k.view(), sub.tuak_top.view())) {
            tuak_rows.push_back(i);
            tuaks.emplace(i, std::move(*t));
          }
          continue;
        }
        if (sub.has_opc) {
          row_candidate[i] = candidates.size();
          candidates.push_back({sub.k.view(), sub.opc.view()});
          candidate_row.push_back(i);
        } else if (sub.has_op) {
          auto opc = crypto::milenage_opc(sub.k.view(), sub.op.view());
          if (!opc) continue;
          derived_opc.push_back(std::move(*opc));
          row_candidate[i] = candidates.size();
          candidates.push_back({sub.k.view(), derived_opc.back().view()});
          candidate_row.push_back(i);
        }
      }
    }
  }

  /// dup_next: candidates sorted by (K, OPc), equal neighbours chained in file order.
  void link_duplicates() {
    dup_next.assign(candidates.size(), npos);
    std::vector<std::size_t> order(candidates.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    auto cmp = [&](std::size_t a, std::size_t b) {
      if (int c = std::memcmp(candidates[a].k.data(), candidates[b].k.data(), 16); c != 0) return c < 0;
      if (int c = std::memcmp(candidates[a].opc.data(), candidates[b].opc.data(), 16); c != 0) return c < 0;
      return a < b;
    };
    std::sort(order.begin(), order.end(), cmp);
    for (std::size_t i = 0; i + 1 < order.size(); ++i) {
      const auto a = order[i], b = order[i + 1];
      if (std::memcmp(candidates[a].k.data(), candidates[b].k.data(), 16) == 0 &&
          std::memcmp(candidates[a].opc.data(), candidates[b].opc.data(), 16) == 0)
        dup_next[a] = b;
    }
  }

  // ---------------------------------------------------------------- LRU and indexes
  void lru_unlink(std::uint32_t s) noexcept {
    lru_link& l = lru[s];
    if (l.prev != no_slot) lru[l.prev].next = l.next;
    else lru_head = l.next;
    if (l.next != no_slot) lru[l.next].prev = l.prev;
    else lru_tail = l.prev;
    l.prev = l.next = no_slot;
  }
  void lru_push_front(std::uint32_t s) noexcept {
    lru_link& l = lru[s];
    l.prev = no_slot;
    l.next = lru_head;
    if (lru_head != no_slot) lru[lru_head].prev = s;
    lru_head = s;
    if (lru_tail == no_slot) lru_tail = s;
  }
  void touch(std::uint32_t s, const packet_meta& pkt) noexcept {
    recs[s].pub.last_seen_ns = pkt.time_ns;
    if (lru_head != s) {
      lru_unlink(s);
      lru_push_front(s);
    }
  }

  /// A returning UE's former connection key and AMF-UE-NGAP-ID: their index entries are
  /// erased at the end of its InitialUEMessage (erase_stale_ids), not when its record is found.
  /// Their table lines were untouched since the UE's last connection (DRAM on a large capture);
  /// requested when the record is read, they arrive while the message's NAS is verified, where
  /// an erasure at once waited for them: a third serial miss per returning UE after the index
  /// entry and the record. Nothing looks the old ids up in between (core/slot_index.hpp).
  struct stale_ids {
    std::uint32_t slot = no_slot;
    bool conn = false, amf = false;
    std::uint64_t conn_key = 0, amf_key = 0;
  } stale;

  /// Leaves record `s`'s index entries of its connection key and AMF-UE-NGAP-ID in place for
  /// erase_stale_ids, after requesting their table lines; the record counts as indexed under
  /// neither any more.
  void defer_unindex(std::uint32_t s) {
    record& r = recs[s];
    stale = stale_ids{s, r.conn_indexed, r.amf_indexed, r.conn_key, r.amf_key};
    if (r.amf_indexed) by_amf.prefetch(r.amf_key);
    if (r.conn_indexed) by_conn.prefetch(r.conn_key);
    r.amf_indexed = false;
    r.conn_indexed = false;
  }
  void erase_stale_ids() {
    if (stale.slot == no_slot) return;
    const record& r = recs[stale.slot];
    if (stale.conn) by_conn.erase_stale(stale.conn_key, stale.slot, r.conn_indexed);
    if (stale.amf) by_amf.erase_stale(stale.amf_key, stale.slot, r.amf_indexed);
    stale = stale_ids{};
  }

  void unindex_conn(record& r) {
    if (!r.conn_indexed) return;
    auto it = by_conn.find(r.conn_key);
    if (it != by_conn.end() && &recs[it->slot] == &r) by_conn.erase(it);
    r.conn_indexed = false;
  }
  void unindex_amf(record& r) {
    if (!r.amf_indexed) return;
    auto it = by_amf.find(r.amf_key);
    if (it != by_amf.end() && &recs[it->slot] == &r) by_amf.erase(it);
    r.amf_indexed = false;
  }
  void unindex_tmsi(record& r) {
    if (!r.tmsi_indexed) return;
    auto it = by_tmsi.find(r.tmsi_key);
    if (it != by_tmsi.end() && &recs[it->slot] == &r) by_tmsi.erase(it);
    r.tmsi_indexed = false;
  }
  void index_conn(std::uint32_t s, std::uint32_t assoc, std::uint32_t ran) {
    record& r = recs[s];
    if (r.conn_indexed) {
      if (auto h = handovers.find(s); h != handovers.end() && r.conn_key != conn_key_of(assoc, ran)) {
        add_alias(conn_alias, h->second.conn_aliases, r.conn_key, s);
      }
    }
    unindex_conn(r);
    r.conn_key = conn_key_of(assoc, ran);
    auto [it, inserted] = by_conn.try_emplace(r.conn_key, s);
    if (!inserted && it->slot != s) {
      recs[it->slot].conn_indexed = false;
      it->slot = s;
    }
    r.conn_indexed = true;
    r.pub.association = assoc;
    r.pub.ran_ue_ngap_id = ran;
    r.pub.has_ran_id = true;
  }
  /// `defer`: the entry is inserted at the end of the NGAP message (insert_deferred_amf), its
  /// table line requested now: a new AMF-UE-NGAP-ID's line is a miss (DRAM on a large
  /// capture), and it arrives while the message's NAS is verified instead of stalling here.
  /// The record counts as indexed at once; nothing looks the id up before the insertion.
  void index_amf(std::uint32_t s, std::uint64_t amf_id, bool defer = false) {
    record& r = recs[s];
    if (r.amf_indexed && r.amf_key == amf_id) return;
    if (r.amf_indexed) {
      if (auto h = handovers.find(s); h != handovers.end()) {
        add_alias(amf_alias, h->second.amf_aliases, r.amf_key, s);
      }
    }
    unindex_amf(r);
    r.amf_key = amf_id;
    r.amf_indexed = true;
    r.pub.amf_ue_ngap_id = amf_id;
    r.pub.has_amf_id = true;
    if (defer) {
      by_amf.prefetch(amf_id);
      amf_insert = amf_entry{s, amf_id};
      return;
    }
    insert_amf(s, amf_id);
  }
  void insert_amf(std::uint32_t s, std::uint64_t amf_id) {
    auto [it, inserted] = by_amf.try_emplace(amf_id, s);
    if (!inserted && it->slot != s) {
      recs[it->slot].amf_indexed = false;
      it->slot = s;
    }
  }
  /// index_amf's deferred insertion: done unless the record let the id go meanwhile.
  struct amf_entry {
    std::uint32_t slot = no_slot;
    std::uint64_t key = 0;
  } amf_insert;
  void insert_deferred_amf() {
    if (amf_insert.slot == no_slot) return;
    const amf_entry e = amf_insert;
    amf_insert = amf_entry{};
    const record& r = recs[e.slot];
    if (r.amf_indexed && r.amf_key == e.key) insert_amf(e.slot, e.key);
  }
  void index_tmsi(std::uint32_t s, std::uint32_t tmsi) {
    record& r = recs[s];
    r.pub.tmsi = tmsi;
    if (r.tmsi_indexed && r.tmsi_key == tmsi) return;
    unindex_tmsi(r);
    r.tmsi_key = tmsi;
    auto [it, inserted] = by_tmsi.try_emplace(tmsi, s);
    if (!inserted && it->slot != s) {
      recs[it->slot].tmsi_indexed = false;
      it->slot = s;
    }
    r.tmsi_indexed = true;
  }

  void release_slot(std::uint32_t s) {
    record& r = recs[s];
    sink.on_ue_end(r.pub);
    unindex_conn(r);
    unindex_amf(r);
    unindex_tmsi(r);
    lru_unlink(s);
    auth_runs.erase(s);
    clear_pend(s);
    nai_by_slot.erase(s);
    end_handover(s);
    r = record{};
    free_slots.push_back(s);
    --live;
  }

  /// Makes `key` an alias of slot `s`; a UE keeps at most 4 aliases per index (the oldest go:
  /// a run of handovers whose source releases are not in the capture stays bounded).
  static void add_alias(flat_index& index, std::vector<std::uint64_t>& mine,
                        std::uint64_t key, std::uint32_t s) {
    constexpr std::size_t max_aliases = 4;
    if (mine.size() >= max_aliases) {
      erase_if_mine(index, mine.front(), s);
      mine.erase(mine.begin());
    }
    index.try_emplace(key, s).first->second = s;
    mine.push_back(key);
  }
  /// Erases `key` from `index` if it still points at slot `s` (a later UE may own it now).
  static void erase_if_mine(flat_index& index, std::uint64_t key, std::uint32_t s) {
    if (auto it = index.find(key); it != index.end() && it->second == s) index.erase(it);
  }
  /// The slot of `key` in `index`, else in the handovers' `aliases` (then `via_alias` is set).
  template <class Index>
  static std::uint32_t find_slot(Index& index, flat_index& aliases, std::uint64_t key,
                                 bool& via_alias) {
    if (auto it = index.find(key); it != index.end()) return it->slot;
    if (auto a = aliases.find(key); a != aliases.end()) {
      via_alias = true;
      return a->second;
    }
    return no_slot;
  }
  /// Forgets the handover of slot `s`: its container link and the source side's aliases.
  void end_handover(std::uint32_t s) {
    auto h = handovers.find(s);
    if (h == handovers.end()) return;
    if (h->second.has_container) erase_if_mine(ho_by_container, h->second.container, s);
    for (std::uint64_t k : h->second.conn_aliases) erase_if_mine(conn_alias, k, s);
    for (std::uint64_t k : h->second.amf_aliases) erase_if_mine(amf_alias, k, s);
    handovers.erase(h);
  }
  static std::uint64_t container_hash(bytes_view v) noexcept {
    return seeded_hash(std::string_view(reinterpret_cast<const char*>(v.data()), v.size()));
  }
  /// HandoverRequired from slot `s`: remember its container for the HandoverRequest.
  void start_handover(std::uint32_t s) {
    const auto* ie = pdu.find(ngap::ie_id::source_to_target_transparent_container);
    if (ie == nullptr || ie->value.empty()) return;
    handover_link& h = handovers[s];
    if (h.has_container) erase_if_mine(ho_by_container, h.container, s);
    h.container = container_hash(ie->value);
    h.has_container = true;
    ho_by_container.try_emplace(h.container, s).first->second = s;
  }

  void expire(const packet_meta& pkt) {
    while (lru_tail != no_slot &&
           pkt.time_ns - recs[lru_tail].pub.last_seen_ns > opt.idle_timeout_ns) {
      release_slot(lru_tail);
      ++st.expired;
    }
  }

  std::uint32_t create(const packet_meta& pkt) {
    expire(pkt);
    while (live >= opt.max_ues && lru_tail != no_slot) {
      release_slot(lru_tail);
      ++st.evicted;
    }
    std::uint32_t s;
    if (!free_slots.empty()) {
      s = free_slots.back();
      free_slots.pop_back();
    } else {
      s = static_cast<std::uint32_t>(recs.size());
      (void)recs.emplace_back();
      lru.emplace_back();
    }
    record& r = recs[s];
    r.live = true;
    r.pub.id = next_id++;
    r.pub.first_seen_ns = r.pub.last_seen_ns = pkt.time_ns;
    r.pub.first_frame = pkt.ref();
    lru_push_front(s);
    ++live;
    ++st.ues;
    return s;
  }

  // ---------------------------------------------------------------- identities
  /// Records an IMSI SUPI (digits).
  void set_imsi(std::uint32_t s, std::string_view digits) {
    recs[s].pub.supi.assign(digits);
    recs[s].pub.supi_nai = nullptr;
    nai_by_slot.erase(s);
  }

  /// Records a NAI SUPI ("nai-user@realm"): points at the key file's copy when there is one,
  /// else at per-UE storage (released with the context).
  void set_nai(std::uint32_t s, std::string text) {
    record& r = recs[s];
    r.pub.supi.len = 0;
    if (db != nullptr) {
      if (const auto* sk = db->find(text)) {
        r.pub.supi_nai = &sk->supi;
        nai_by_slot.erase(s);
        return;
      }
    }
    auto& slot_text = nai_by_slot[s];
    slot_text = std::move(text);
    r.pub.supi_nai = &slot_text;
  }

  void learn_identity(std::uint32_t s, const identity_ref& ref) {
    record& r = recs[s];
    auto id = identity::decode_mobile_identity(ref.value);
    if (!id) return;
    if (const auto* sv = std::get_if<identity::suci_value>(&*id)) {
      r.pub.suci.assign(ref.value);
      r.pub.suci_null_scheme = sv->protection_scheme_id == 0;
      if (sv->format == identity::supi_format::imsi && !r.pub.has_plmn) {
        // Fallback PLMN for the SNN: the home PLMN of the SUCI.
        std::array<std::uint8_t, 3> p{};
        const auto cc = sv->plmn.mcc.view();
        const auto nc = sv->plmn.mnc.view();
        if (cc.size() == 3 && (nc.size() == 2 || nc.size() == 3)) {
          p[0] = static_cast<std::uint8_t>((cc[0] - '0') | ((cc[1] - '0') << 4));
          p[1] = static_cast<std::uint8_t>((cc[2] - '0') |
                                           ((nc.size() == 3 ? nc[2] - '0' : 0xf) << 4));
          p[2] = static_cast<std::uint8_t>((nc[0] - '0') | ((nc[1] - '0') << 4));
          r.pub.plmn = p;
          r.pub.has_plmn = true;
        }
      }
      if (sidf && (sv->protection_scheme_id != 0 || sv->format == identity::supi_format::imsi)) {
        auto supi = opt.suci_cache != nullptr
                        ? opt.suci_cache->deconceal(ref.value, *sv, *sidf)
                        : sidf->deconceal(*sv);
        if (supi && supi->type == identity::supi_type::imsi) {
          set_imsi(s, supi->value);
          r.pub.supi_from_suci = true;
        } else if (supi && supi->type == identity::supi_type::nai) {
          set_nai(s, identity::to_string(*supi));
          r.pub.supi_from_suci = true;
        }
      } else if (sv->protection_scheme_id == 0 && sv->format == identity::supi_format::imsi) {
        std::string msin;
        if (identity::unpack_bcd(sv->scheme_output, msin)) {
          std::string digits = std::string(sv->plmn.mcc.view()) + std::string(sv->plmn.mnc.view()) + msin;
          set_imsi(s, digits);
          r.pub.supi_from_suci = true;
        }
      }
    } else if (const auto* g = std::get_if<identity::guti_5g>(&*id)) {
      r.pub.guti = *g;
      index_tmsi(s, g->tmsi);
    } else if (const auto* t = std::get_if<identity::s_tmsi_5g>(&*id)) {
      index_tmsi(s, t->tmsi);
    }
  }

  /// The TMSI an initial NAS message names (5G-GUTI in a Registration Request, 5G-S-TMSI in a
  /// Service Request), if readable.
  std::optional<std::uint32_t> tmsi_in_initial(bytes_view nas) const {
    auto outer = parse_outer(nas);
    if (!outer || outer->epd != epd_5gmm) return std::nullopt;
    if (outer->header_type == 2 || outer->header_type == 4) return std::nullopt;
    const bytes_view inner = outer->protection ? nas.subspan(7) : nas;
    auto mm = parse_mm(inner);
    if (!mm || !mm->identity) return std::nullopt;
    // Only a 5G-GUTI or 5G-S-TMSI names one (a SUCI is not decoded for nothing).
    const bytes_view v = mm->identity->value;
    const auto type = v.empty() ? identity::mobile_identity_type::no_identity
                                : static_cast<identity::mobile_identity_type>(v[0] & 7);
    if (type != identity::mobile_identity_type::guti &&
        type != identity::mobile_identity_type::s_tmsi)
      return std::nullopt;
    auto id = identity::decode_mobile_identity(v);
    if (!id) return std::nullopt;
    if (const auto* g = std::get_if<identity::guti_5g>(&*id)) return g->tmsi;
    if (const auto* t = std::get_if<identity::s_tmsi_5g>(&*id)) return t->tmsi;
    return std::nullopt;
  }

  // ---------------------------------------------------------------- keys
  /// The serving network name for `r` (--snn, else from its PLMN), empty when unknown. Valid
  /// until the next call: the text is built again only when the PLMN differs from the last
  /// one (one PLMN per network: no string built per authentication).
  std::string_view serving_network_name(const record& r) {
    if (!opt.serving_network_name.empty()) return opt.serving_network_name;
    if (!r.pub.has_plmn) return {};
    if (!snn_plmn || *snn_plmn != r.pub.plmn) {
      snn_plmn = r.pub.plmn;
      snn_text = plmn_digits(r.pub.plmn, mcc, mnc) ? snn_of(mcc, mnc) : std::string();
    }
    return snn_text;
  }

  // ---------------------------------------------------------------- subscriber credentials
  /// The MILENAGE context loaded with candidate `c`'s K and OPc.
  crypto::milenage* milenage_for(std::size_t c) {
    if (!mil) {
      auto m = crypto::milenage::create(candidates[c].k, candidates[c].opc);
      if (!m) return nullptr;
      mil.emplace(std::move(*m));
      return &*mil;
    }
    return mil->rekey(candidates[c].k, candidates[c].opc) ? &*mil : nullptr;
  }

  /// True when key-file row `row` verifies the AUTN's MAC-A. Ref: TS 33.102 6.3.3.
  bool autn_verifies(std::size_t row, crypto::rand_view rand, crypto::autn_view autn) {
    if (auto t = tuaks.find(row); t != tuaks.end()) {
      auto chk = crypto::check_autn(t->second, rand, autn);
      return chk && chk->mac_ok;
    }
    const std::size_t c = row < row_candidate.size() ? row_candidate[row] : npos;
    if (c >= candidates.size()) return false;
    auto* m = milenage_for(c);
    if (m == nullptr) return false;
    auto chk = crypto::check_autn(*m, rand, autn);
    return chk && chk->mac_ok;
  }

  /// The key-file row of the UE's SUPI, or nullptr (no allocation for IMSI SUPIs).
  const subscriber_keys* find_subscriber(const ue_context& u) const {
    if (u.supi.empty()) return u.supi_nai != nullptr ? db->find(*u.supi_nai) : nullptr;
    std::array<char, 5 + 16> text{'i', 'm', 's', 'i', '-'};
    const std::string_view digits = u.supi.view();
    if (digits.size() > text.size() - 5) return nullptr;
    std::copy(digits.begin(), digits.end(), text.begin() + 5);
    return db->find(std::string_view(text.data(), 5 + digits.size()));
  }

  /// The key-file rows whose keys verify the AUTN: the known subscriber's row if it verifies,
  /// else the first MILENAGE candidate that does (autn_scanner) with the rows sharing its keys,
  /// else the TUAK subscribers that do; at most 17.
  std::vector<std::size_t> rows_for_autn(const record& r, crypto::rand_view rand,
                                         crypto::autn_view autn, bool& scanned) {
    scanned = false;
    if (r.pub.has_supi()) {
      if (const auto* sk = find_subscriber(r.pub)) {
        const auto row = static_cast<std::size_t>(sk - db->all().data());
        if (autn_verifies(row, rand, autn)) return {row};
      }
    }
    scanned = true;
    std::vector<std::size_t> rows;
    if (!scanner && !candidates.empty()) {
      // Prepared on the first unknown SUPI only (key schedules of every candidate).
      scanner.emplace(candidates);
      link_duplicates();
    }
    if (scanner) {
      // The first candidate whose keys verify the MAC, then the ones sharing its K and OPc.
      if (auto found = scanner->find(rand, autn); found && *found) {
        for (std::size_t c = **found; c != npos && rows.size() < 17; c = dup_next[c])
          rows.push_back(candidate_row[c]);
        return rows;
      }
    }
    for (std::size_t row : tuak_rows) {
      if (rows.size() >= 17) break;
      if (autn_verifies(row, rand, autn)) rows.push_back(row);
    }
    return rows;
  }

  /// f2..f4 of the subscriber of `row`: RES, CK, IK.
  struct aka_material {
    key128 ck;
    key128 ik;
    secret<32> res;
    std::size_t res_len = 0;
  };
  std::optional<aka_material> f2345(std::size_t row, crypto::rand_view rand) {
    aka_material out;
    auto fill = [&](bytes_view ck, bytes_view ik, bytes_view res) {
      if (ck.size() != 16 || ik.size() != 16 || res.size() > 32) return false;
      std::copy(ck.begin(), ck.end(), out.ck.mutable_view().begin());
      std::copy(ik.begin(), ik.end(), out.ik.mutable_view().begin());
      std::copy(res.begin(), res.end(), out.res.mutable_view().begin());
      out.res_len = res.size();
      return true;
    };
    if (auto t = tuaks.find(row); t != tuaks.end()) {
      auto f = t->second.f2345(rand);
      if (!f || !fill(f->ck.view(), f->ik.view(), f->res.view())) return std::nullopt;
      return out;
    }
    const std::size_t c = row < row_candidate.size() ? row_candidate[row] : npos;
    if (c >= candidates.size()) return std::nullopt;
    auto* m = milenage_for(c);
    if (m == nullptr) return std::nullopt;
    auto f = m->f2345(rand);
    if (!f || !fill(f->ck.view(), f->ik.view(), f->res.view())) return std::nullopt;
    return out;
  }

  /// Verifies an AUTS with the subscriber of `row`: SQN_MS = AUTS[0..5] xor f5*(RAND),
  /// MAC-S = f1*(RAND, SQN_MS, AMF 0x0000). Ref: TS 33.102 6.3.3, 6.3.5.
  std::optional<bool> auts_verifies(std::size_t row, crypto::rand_view rand,
                                    const byte_array<14>& auts) {
    const crypto::auts_view a(auts);
    if (auto t = tuaks.find(row); t != tuaks.end()) {
      auto v = crypto::verify_auts(t->second, rand, a);
      if (!v) return std::nullopt;
      return v->has_value();
    }
    const std::size_t c = row < row_candidate.size() ? row_candidate[row] : npos;
    if (c >= candidates.size()) return std::nullopt;
    auto* m = milenage_for(c);
    if (m == nullptr) return std::nullopt;
    auto v = crypto::verify_auts(*m, rand, a);
    if (!v) return std::nullopt;
    return v->has_value();
  }

  // ---------------------------------------------------------------- authentication
  /// K_AMF of one subscriber row for this authentication; also XRES* / XRES into `run`.
  /// 5G-AKA: K_AUSF from CK/IK (A.2), XRES* (A.4). EAP-AKA': CK'/IK' (A.3) with the network name
  /// of AT_KDF_INPUT, MK with Identity = the SUPI (IMSI digits or NAI, TS 33.501 F.3), the
  /// request's AT_MAC checked with K_aut (a mismatch means these are not the UE's keys),
  /// K_AUSF = EMSK[0..31] (6.1.3.1). Then K_SEAF (A.6) and K_AMF (A.7).
  std::optional<crypto::hmac_key> k_amf_for(std::size_t row, const aka_material& f,
                                            crypto::rand_view rand, crypto::autn_view autn,
                                            std::string_view snn, const eap_aka_packet* eap,
                                            bytes_view eap_bytes, bytes_view abba,
                                            auth_run* run) {
    const auto& sub = db->all()[row];
    const crypto::sqn_view sqn_xor_ak(autn.data(), 6);
    std::optional<key256> k_ausf;
    if (eap != nullptr) {
      auto primes = crypto::derive_ck_ik_prime(f.ck.view(), f.ik.view(), snn, sqn_xor_ak);
      if (!primes) return std::nullopt;
      auto keys = crypto::derive_eap_aka_prime_keys(primes->ck_prime.view(), primes->ik_prime.view(),
                                                    crypto::supi_kdf_value(sub.supi));
      if (!keys) return std::nullopt;
      if (eap->mac_offset) {
        // AT_MAC = HMAC-SHA-256-128(K_aut, packet with the MAC value zeroed). Ref: RFC 9048 3.4.
        const std::size_t at = *eap->mac_offset;
        eap_scratch.assign(eap_bytes.begin(), eap_bytes.end());
        std::fill_n(eap_scratch.begin() + static_cast<std::ptrdiff_t>(at), 16, std::uint8_t{0});
        auto mac = crypto::hmac_sha256(keys->k_aut.view(), eap_scratch);
        if (!mac || !constant_time_equal(bytes_view(mac->data(), 16), eap_bytes.subspan(at, 16)))
          return std::nullopt;
      }
      k_ausf = crypto::k_ausf_from_emsk(keys->emsk.view());
      if (run != nullptr) {
        std::copy_n(f.res.view().begin(), f.res_len, run->xres.mutable_view().begin());
        run->xres_len = static_cast<std::uint8_t>(f.res_len);
      }
    } else {
      auto k = crypto::derive_k_ausf(f.ck.view(), f.ik.view(), snn, sqn_xor_ak);
      if (!k) return std::nullopt;
      k_ausf = std::move(*k);
      if (run != nullptr) {
        auto xres = crypto::derive_res_star(f.ck.view(), f.ik.view(), snn, rand,
                                            f.res.view().first(f.res_len));
        if (xres) {
          std::copy_n(xres->view().begin(), 16, run->xres.mutable_view().begin());
          run->xres_len = 16;
        }
      }
    }
    auto k_seaf = crypto::derive_k_seaf(k_ausf->view(), snn);
    if (!k_seaf) return std::nullopt;
    auto k_amf = crypto::derive_k_amf(k_seaf->view(), sub.supi, abba);
    if (!k_amf) return std::nullopt;
    auto prepared = crypto::hmac_key::prepare(k_amf->view());
    if (!prepared) return std::nullopt;
    return std::move(*prepared);
  }

  /// An Authentication Request: 5G-AKA (RAND/AUTN IEs) or EAP-AKA' (EAP-Request/AKA'-Challenge).
  /// Identifies the subscriber, derives K_AUSF .. K_AMF into the pending context and keeps the
  /// expected response. Ref: TS 33.501 6.1.3.1, 6.1.3.2, A.2 - A.7; TS 24.501 5.4.1.
  void on_auth_request(std::uint32_t s, const mm_fields& mm) {
    record& r = recs[s];
    {
      pending_ctx fresh;
      fresh.valid = true;
      fresh.ngksi = static_cast<std::uint8_t>(mm.ngksi & 0x07);
      set_pend(s, std::move(fresh));
    }
    pending_ctx& pend = *pend_of(s);
    auth_runs.erase(s);
    std::optional<eap_aka_packet> eap;
    if (!mm.eap.empty()) {
      auto p = parse_eap_aka(mm.eap);
      if (!p || p->code != eap_code::request || p->type != eap_type_aka_prime ||
          p->subtype != static_cast<std::uint8_t>(eap_aka_subtype::challenge) || !p->rand || !p->autn)
        return;
      eap = *p;
    }
    r.pub.auth_eap = eap.has_value();
    const std::optional<byte_array<16>>& rand_ie = eap ? eap->rand : mm.rand;
    const std::optional<byte_array<16>>& autn_ie = eap ? eap->autn : mm.autn;
    if (!rand_ie || !autn_ie) return;
    auth_run& run = auth_runs[s];
    run.rand = *rand_ie;
    run.eap = eap.has_value();
    if (db == nullptr || (candidates.empty() && tuak_rows.empty())) return;
    const crypto::rand_view rand(*rand_ie);
    const crypto::autn_view autn(*autn_ie);
    bool scanned = false;
    const std::vector<std::size_t> rows = rows_for_autn(r, rand, autn, scanned);
    if (rows.empty()) return;
    run.row = static_cast<std::uint32_t>(rows.front());
    run.has_row = true;
    if (scanned) {
      ++st.auth_identified;
      const auto& sk = db->all()[rows.front()];
      if (!sk.imsi_digits().empty()) {
        set_imsi(s, sk.imsi_digits());
      } else {
        set_nai(s, sk.supi);
      }
    }
    std::string_view snn;
    if (eap) {
      // The network name the UE uses is the one in AT_KDF_INPUT; only KDF 1 is defined.
      if (eap->kdf != std::uint16_t{1} || eap->network_name.empty()) return;
      snn = eap->network_name;
    } else {
      snn = serving_network_name(r);
    }
    if (snn.empty()) return;
    auto f = f2345(rows.front(), rand);
    if (!f) return;
    auto k_amf = k_amf_for(rows.front(), *f, rand, autn, snn, eap ? &*eap : nullptr, mm.eap,
                           mm.abba, &run);
    if (!k_amf) {
      run.xres_len = 0;
      return;
    }
    pend.k_amf = std::move(*k_amf);
    pend.keys = true;
    r.pub.keys_known = true;
    if (rows.size() > 1) {
      // Several subscribers share these K/OPc (lab databases do; rows_for_autn returns them
      // only then): the same CK/IK/RES, K_AMF differing by the SUPI; the SMC's MAC tells
      // which one is right.
      pend.alternatives = std::make_unique<std::vector<amf_key_candidate>>();
      for (std::size_t i = 1; i < rows.size(); ++i) {
        const auto& sk = db->all()[rows[i]];
        if (sk.imsi_digits().empty()) continue;
        auto alt = k_amf_for(rows[i], *f, rand, autn, snn, eap ? &*eap : nullptr, mm.eap, mm.abba,
                             nullptr);
        if (!alt) continue;
        amf_key_candidate c;
        c.supi.assign(sk.imsi_digits());
        c.k_amf = std::move(*alt);
        pend.alternatives->push_back(std::move(c));
      }
    }
  }

  /// The UE's answer to a challenge: RES* (5G-AKA) or AT_RES (EAP-Response/AKA'-Challenge)
  /// against the expected value; an AUTS (Authentication Failure #21, or EAP-Response/
  /// AKA'-Synchronization-Failure) against MAC-S. Ref: TS 33.501 6.1.3.1/6.1.3.2, TS 33.102 6.3.5.
  void on_auth_answer(std::uint32_t s, const packet_meta& pkt, const mm_fields& mm) {
    auto it = auth_runs.find(s);
    if (it == auth_runs.end()) return;
    record& r = recs[s];
    const auth_run& run = it->second;
    std::optional<eap_aka_packet> eap;
    if (!mm.eap.empty()) {
      if (auto p = parse_eap_aka(mm.eap); p && p->code == eap_code::response &&
                                            p->type == eap_type_aka_prime)
        eap = *p;
    }
    std::optional<byte_array<14>> auts = mm.auts;
    if (eap && eap->auts) auts = eap->auts;
    if (mm.type == static_cast<std::uint8_t>(mm_type::authentication_response)) {
      if (run.xres_len == 16 && !run.eap && mm.res_star) {
        r.pub.res_star_checked = true;
        r.pub.res_star_ok = constant_time_equal(run.xres.view().first(16), *mm.res_star);
        r.pub.res_star_frame = pkt.ref();
      } else if (run.xres_len > 0 && run.eap && eap &&
                 eap->subtype == static_cast<std::uint8_t>(eap_aka_subtype::challenge) &&
                 !eap->res.empty()) {
        r.pub.res_star_checked = true;
        r.pub.res_star_ok = eap->res_bits == run.xres_len * 8u &&
                            constant_time_equal(run.xres.view().first(run.xres_len), eap->res);
        r.pub.res_star_frame = pkt.ref();
      }
    }
    if (auts && run.has_row) {
      if (auto ok = auts_verifies(run.row, crypto::rand_view(run.rand), *auts)) {
        r.pub.auts_checked = true;
        r.pub.auts_ok = *ok;
        r.pub.auts_frame = pkt.ref();
      }
    }
    auth_runs.erase(it);
  }

  /// Several subscribers verified the AUTN: keep the K_AMF whose NAS keys verify the SMC.
  void resolve_alternatives(record& r, std::vector<amf_key_candidate>& alts, direction dir,
                            const protected_header& ph, bytes_view pdu_bytes) {
    // The SMC starts the new context's downlink COUNT at its SQN.
    const count_guess at_sqn{ph.sqn, ph.sqn, false};
    std::uint32_t count = 0;
    auto verifies = [&](nas_sec_ctx& c) {
      return verify_counts(c, dir, at_sqn, pdu_bytes, ph.mac, count);
    };
    if (verifies(r.cur)) return;
    for (auto& alt : alts) {
      r.k_amf = alt.k_amf.clone();
      derive_alg_keys(r.cur, r.k_amf, r.cur.nea, r.cur.nia);
      if (verifies(r.cur)) {
        r.pub.supi = alt.supi;
        r.pub.supi_nai = nullptr;  // alternatives are IMSI rows
        return;
      }
    }
  }

  /// A Security Mode Command sent ciphered (security header type 4 downlink, itself reported
  /// by nas.smc_ciphered): the algorithms it selects are inside the ciphertext. With the keys
  /// of the context it takes into use, each 128-NIA is tried on its MAC, then NIA0 (a MAC of
  /// 32 zero bits, TS 33.501 D.1), then each NEA on its ciphertext, until a Security Mode
  /// Command selecting exactly that pair comes out (at most 4 MAC checks and 3 decipherings),
  /// so that the UE's traffic after it is verified and deciphered too. Only the fields the
  /// context switch reads (type, ngKSI, algorithms) are returned.
  std::optional<mm_fields> ciphered_smc(std::uint32_t s, const protected_header& ph,
                                        bytes_view nas_pdu, bytes_view inner) {
    const record& r = recs[s];
    const crypto::hmac_key* k = nullptr;
    if (const pending_ctx* p = pend_of(s); p != nullptr && !p->previous && p->keys)
      k = &p->k_amf;
    else if (r.cur.valid && r.cur.keys) k = &r.k_amf;
    if (k == nullptr) return std::nullopt;
    nas_sec_ctx t;
    t.keys = true;
    t.bearer = opt.nas_bearer;
    const count_guess g = estimate_count(-1, ph.sqn);
    constexpr auto smc_type = static_cast<std::uint8_t>(mm_type::security_mode_command);
    for (const std::uint8_t nia : std::array<std::uint8_t, 4>{1, 2, 3, 0}) {
      std::uint32_t count = 0;
      if (!derive_alg_keys(t, *k, 0, nia) ||
          !verify_counts(t, direction::downlink, g, nas_pdu, ph.mac, count))
        continue;
      for (std::uint8_t nea = 0; nea <= 3; ++nea) {
        if (!derive_alg_keys(t, *k, nea, nia)) return std::nullopt;
        bytes_view plain = inner;
        if (nea != 0) {
          if (!decipher(t, count, direction::downlink, inner, container_scratch)) continue;
          plain = container_scratch;
        }
        auto m = parse_mm(plain);
        if (m && m->type == smc_type && m->nea == nea && m->nia == nia) {
          mm_fields out;
          out.type = smc_type;
          out.ngksi = m->ngksi;
          out.nea = nea;
          out.nia = nia;
          return out;
        }
      }
      return std::nullopt;  // the MAC verified with this NIA: no other one will
    }
    return std::nullopt;
  }

  /// K_NASenc / K_NASint of `c` from `k_amf` (its K_AMF) for the algorithms given.
  static bool derive_alg_keys(nas_sec_ctx& c, const crypto::hmac_key& k_amf, std::uint8_t nea,
                              std::uint8_t nia) {
    c.nea = nea;
    c.nia = nia;
    c.alg_keys = false;
    if (!c.keys) return false;
    auto e = crypto::derive_algorithm_key(k_amf, crypto::algorithm_type::nas_enc, nea);
    auto i = crypto::derive_algorithm_key(k_amf, crypto::algorithm_type::nas_int, nia);
    if (!e || !i) return false;
    c.k_enc = std::move(*e);
    c.k_int = std::move(*i);
    c.alg_keys = true;
    return true;
  }

  bool mac_ok(const nas_sec_ctx& c, std::uint8_t bearer, direction dir, std::uint32_t count,
              bytes_view pdu_bytes, const byte_array<4>& mac) const {
    if (c.nia > 3) return false;
    const bytes_view covered = pdu_bytes.subspan(6);  // SQN || message. Ref: TS 24.501 4.4.3.3
    auto v = crypto::nia_verify(static_cast<crypto::nia_alg>(c.nia), c.k_int.view(), count, bearer,
                                static_cast<std::uint8_t>(dir), covered, covered.size() * 8,
                                std::span<const std::uint8_t, 4>(mac));
    return v && *v;
  }

  /// The NAS COUNTs a message with 8-bit SQN `sqn` may carry after the last COUNT `last` of its
  /// context and direction (-1: none yet): `first` is tried first; `replay` when `first`
  /// repeats or goes back. Ref: TS 24.501 4.4.3.1.
  struct count_guess {
    std::uint32_t first = 0, second = 0;
    bool replay = false;
  };
  static count_guess estimate_count(std::int32_t last, std::uint8_t sqn) noexcept {
    if (last < 0) return {sqn, sqn, false};
    const std::uint32_t ovf = static_cast<std::uint32_t>(last) >> 8;
    const std::uint32_t same = (ovf << 8) | sqn;
    const std::uint32_t next = (((ovf + 1) & 0xffff) << 8) | sqn;
    const auto last_sqn = static_cast<std::uint8_t>(last & 0xff);
    if (sqn > last_sqn) return {same, next, false};
    // Wrap-around (far behind) or a COUNT that repeats / goes back.
    if (last_sqn - sqn > 128) return {next, same, false};
    return {same, next, true};
  }

  /// Tries the guessed COUNTs with the context's BEARER, then the other one; on success sets
  /// `count` and the context's BEARER.
  /// `first_tried`: the first candidate (the context's BEARER, g.first) failed already.
  bool verify_counts(nas_sec_ctx& c, direction dir, const count_guess& g, bytes_view pdu_bytes,
                     const byte_array<4>& mac, std::uint32_t& count,
                     bool first_tried = false) const {
    bool skip = first_tried;
    for (std::uint8_t bearer : {c.bearer, static_cast<std::uint8_t>(c.bearer ^ 1)}) {
      for (std::uint32_t n : {g.first, g.second}) {
        if (std::exchange(skip, false)) continue;
        if (mac_ok(c, bearer, dir, n, pdu_bytes, mac)) {
          count = n;
          c.bearer = bearer;
          return true;
        }
      }
    }
    return false;
  }

  /// Messages missing from the capture (a gap in the recording, capture files left out) can
  /// hide more than one wrap of the 8-bit SQN. When the plausible COUNTs fail, the overflow
  /// values 2..max_gap_overflows after the last COUNT are tried (up to 4 096 missing messages),
  /// with the context's BEARER only: a tampered message costs at most 15 more MAC checks.
  static constexpr std::uint32_t max_gap_overflows = 16;
  bool verify_after_gap(const nas_sec_ctx& c, direction dir, std::int32_t last, std::uint8_t sqn,
                        bytes_view pdu_bytes, const byte_array<4>& mac,
                        std::uint32_t& count) const {
    const std::uint32_t ovf = static_cast<std::uint32_t>(last) >> 8;
    for (std::uint32_t k = 2; k <= max_gap_overflows; ++k) {
      const std::uint32_t n = (((ovf + k) & 0xffff) << 8) | sqn;
      if (mac_ok(c, c.bearer, dir, n, pdu_bytes, mac)) {
        count = n;
        return true;
      }
    }
    return false;
  }

  // ---------------------------------------------------------------- NAS
  /// Reads `plain` as a 5GMM message into `mm` and applies it to UE `s` (`was_protected`: it
  /// came in a security protected message). False when it is not 5GMM, or is malformed
  /// (counted, and marked on `ev`).
  bool apply_plain_mm(std::uint32_t s, const packet_meta& pkt, direction dir, nas_event& ev,
                      bytes_view plain, mm_fields& mm, bool was_protected) {
    if (plain.empty() || plain[0] != epd_5gmm) return false;
    auto m = parse_mm(plain);
    if (!m) {
      ++st.malformed;
      ev.malformed = true;
      return false;
    }
    mm = *m;
    ev.mm = &mm;
    update_state(s, pkt, dir, mm, was_protected);
    return true;
  }

  void process_nas(std::uint32_t s, const packet_meta& pkt, direction dir, std::uint8_t proc,
                   const ngap::nas_pdu_ref& ref, bool initial) {
    record& r = recs[s];
    ++st.nas;
    nas_event ev;
    ev.pkt = &pkt;
    ev.ue = &r.pub;
    ev.dir = dir;
    ev.procedure_code = proc;
    ev.initial_message = initial;
    ev.offset = ref.offset;
    ev.length = static_cast<std::uint32_t>(ref.bytes.size());
    ev.pdu_session_id = ref.pdu_session_id;
    ev.security_active_before = r.pub.security_active;
    const bytes_view b = ref.bytes;

    auto outer = parse_outer(b);
    if (!outer) {
      ++st.malformed;
      ev.malformed = true;
      sink.on_nas(ev);
      return;
    }
    ev.epd = outer->epd;
    ev.header_type = outer->header_type;
    mm_fields mm;

    if (!outer->protection) {
      ev.plain = b;
      const bool have_mm = apply_plain_mm(s, pkt, dir, ev, b, mm, false);
      // A plain initial message's container is in clear too (its IEs are judged with the
      // cleartext set, TS 24.501 4.4.6).
      mm_fields cmm;
      if (have_mm && has_container(ev, mm, b)) claim_container(ev, mm, b, mm.nas_container, cmm);
      sink.on_nas(ev);
      return;
    }

    ++st.protected_nas;
    const protected_header& ph = *outer->protection;
    const bytes_view inner = b.subspan(ph.inner_offset);
    const bool new_ctx = ph.header_type == 3 || ph.header_type == 4;
    const bool ciphered_hdr = ph.header_type == 2 || ph.header_type == 4;

    // The SMC selects the algorithms of the context it takes into use: take them first. Under
    // header 3 it is readable before its keys are known; under header 4 (ciphered, itself a
    // finding) they are found by trying each algorithm.
    std::optional<mm_fields> smc;
    if (new_ctx && dir == direction::downlink) {
      if (ciphered_hdr) {
        smc = ciphered_smc(s, ph, b, inner);
      } else if (auto m = parse_mm(inner);
                 m && m->type == static_cast<std::uint8_t>(mm_type::security_mode_command)) {
        smc = *m;
      }
    }
    if (smc) {
      // Switch to the new context at the SMC. Ref: TS 24.501 5.4.2.2, TS 33.501 6.7.2.
      const std::uint8_t ksi = static_cast<std::uint8_t>(smc->ngksi & 0x07);
      std::unique_ptr<std::vector<amf_key_candidate>> alts;
      if (pending_ctx* p = pend_of(s); p != nullptr && !p->previous && p->ngksi == ksi) {
        // The new context replaces the current one, which stays as the non-current context
        // until the UE answers (restored on Security Mode Reject).
        pending_ctx former =
            r.cur.valid ? as_previous(std::move(r.cur), std::move(r.k_amf)) : pending_ctx{};
        r.cur = nas_sec_ctx{};
        r.cur.valid = true;
        r.cur.ngksi = ksi & 7u;
        r.cur.keys = p->keys;
        r.k_amf = std::move(p->k_amf);
        alts = std::move(p->alternatives);
        set_pend(s, std::move(former));
      } else if (!(r.cur.valid && r.cur.ngksi == ksi)) {
        r.cur = nas_sec_ctx{};
        r.cur.valid = true;
        r.cur.ngksi = ksi & 7u;
        r.k_amf = crypto::hmac_key{};
      }
      r.cur.reset_counts();
      r.cur.bearer = opt.nas_bearer;
      derive_alg_keys(r.cur, r.k_amf, smc->nea, smc->nia);
      r.cur.nea = smc->nea;
      r.cur.nia = smc->nia;
      if (alts && !alts->empty() && r.cur.alg_keys) resolve_alternatives(r, *alts, dir, ph, b);
    }

    nas_sec_ctx* ctx = r.cur.valid ? &r.cur : nullptr;
    std::optional<nas_sec_ctx> former;  // the former current context, when the message uses it
    const int di = static_cast<int>(dir);
    std::int32_t last = ctx ? ctx->last[di] : -1;
    bool seen_before = last >= 0;
    count_guess guess = estimate_count(last, ph.sqn);
    std::uint32_t count = guess.first;
    bool replay = guess.replay;

    ev.nea = ctx ? ctx->nea : 0;
    ev.nia = ctx ? ctx->nia : 0;
    // The context, BEARER and COUNT (guess.first) under which a ciphered message was deciphered
    // together with its first MAC check; its plain text is used below if they are the ones used.
    struct {
      const nas_sec_ctx* ctx = nullptr;
      std::uint8_t bearer = 0;
    } early;
    if (ctx != nullptr && ctx->alg_keys) {
      bool verified = false;
      if (ciphered_hdr && ctx->nea >= 1 && ctx->nea <= 3 && ctx->nia <= 3) {
        // One call for the MAC and the keystream (crypto::nia_verify_and_nea: about one
        // call's latency for both).
        const bytes_view covered = b.subspan(6);  // SQN || message. Ref: TS 24.501 4.4.3.3
        scratch.resize(inner.size());
        auto v = crypto::nia_verify_and_nea(
            static_cast<crypto::nia_alg>(ctx->nia), ctx->k_int.view(),
            static_cast<crypto::nea_alg>(ctx->nea), ctx->k_enc.view(), guess.first, ctx->bearer,
            static_cast<std::uint8_t>(dir), covered, covered.size() * 8,
            std::span<const std::uint8_t, 4>(ph.mac), inner, inner.size() * 8, scratch);
        if (v) {
          early = {ctx, ctx->bearer};
          verified = *v;
        }
      }
      // Try the plausible COUNTs (and the other BEARER once) until the MAC verifies.
      if (!verified)
        verified = verify_counts(*ctx, dir, guess, b, ph.mac, count, early.ctx != nullptr);
      if (!verified && seen_before)
        verified = verify_after_gap(*ctx, dir, last, ph.sqn, b, ph.mac, count);
      if (verified && seen_before) replay = count <= static_cast<std::uint32_t>(last);
      const pending_ctx* prev = pend_of(s);  // the former context, kept until the UE answers
      if (prev != nullptr && !prev->previous) prev = nullptr;
      if (!verified && dir == direction::uplink && prev != nullptr && prev->keys) {
        // Between an SMC and the UE's answer the UE may still protect with its former context
        // (e.g. a Security Mode Reject). Ref: TS 24.501 5.4.2.5.
        former = from_previous(*prev);
        const std::int32_t fl = former->last[di];
        if (former->alg_keys &&
            verify_counts(*former, dir, estimate_count(fl, ph.sqn), b, ph.mac, count)) {
          verified = true;
          ctx = &*former;
          seen_before = fl >= 0;
          last = fl;
          replay = seen_before && count <= static_cast<std::uint32_t>(fl);
          ev.nea = former->nea;
          ev.nia = former->nia;
        }
      }
      if (verified && ctx == &r.cur && prev != nullptr && dir == direction::uplink) {
        clear_pend(s);  // the UE took the new context into use
      }
      if (dir == direction::uplink) r.cur.ul_verified = verified && ctx == &r.cur;
      ev.mac = verified ? mac_verdict::ok : mac_verdict::failed;
      if (verified) ++st.mac_ok;
      else ++st.mac_failed;
    } else {
      ev.mac = mac_verdict::no_context;
      ++st.no_context;
    }
    ev.count = count;
    ev.count_replay = replay && seen_before;
    ev.previous_count = seen_before ? static_cast<std::uint32_t>(last) : 0;
    if (ctx != nullptr && (ev.mac != mac_verdict::failed)) {
      if (!seen_before || static_cast<std::int32_t>(count) > last)
        ctx->last[di] = static_cast<std::int32_t>(count & 0xffffff);
      if (former && ctx == &*former) {
        if (pending_ctx* p = pend_of(s); p != nullptr && p->previous) p->last[di] = ctx->last[di];
      }
    }

    // The plain message: ciphered with a known non-null algorithm -> decipher; EA0 -> as is.
    bytes_view plain;
    if (!ciphered_hdr) {
      plain = inner;
    } else if (ctx != nullptr && ctx->nea == 0 && (r.pub.smc_seen || ctx->alg_keys)) {
      plain = inner;
    } else if (ctx != nullptr && ctx->alg_keys && ctx->nea <= 3) {
      const bool early_fits =
          early.ctx == ctx && count == guess.first && ctx->bearer == early.bearer;
      if (early_fits || decipher(*ctx, count, dir, inner, scratch)) {
        plain = scratch;
        ev.deciphered = true;
        ev.ciphered = true;
        ++st.deciphered;
      }
    } else if ((ctx == nullptr || ctx->nea == 0) && visibly_plain(inner)) {
      // No keys and no SMC choosing a ciphering algorithm, but the inner message is visibly
      // plain: the network uses 5G-EA0.
      plain = inner;
    }
    if (ciphered_hdr && ctx != nullptr && ctx->nea != 0) ev.ciphered = true;
    ev.plain = plain;
    const bool have_mm = apply_plain_mm(s, pkt, dir, ev, plain, mm, true);
    mm_fields cmm;
    if (have_mm && !ciphered_hdr && ctx != nullptr) read_container(ev, *ctx, mm, b, cmm);
    if (dir == direction::uplink && ev.mac != mac_verdict::failed && r.pub.smc_seen)
      r.pub.security_active = true;
    sink.on_nas(ev);
  }

  /// Whether a message under a ciphering header, read without keys or context, is plain (5G-EA0):
  /// a 5GSM message, or a 5GMM message (plain header, known type) that decodes. A ciphertext
  /// starts like that about once in 400 000 messages and then almost never decodes, so a guess
  /// that does not decode is ciphertext, not a malformed message.
  static bool visibly_plain(bytes_view inner) {
    if (inner.size() < 3) return false;
    if (inner[0] == epd_5gsm) return true;
    return inner[0] == epd_5gmm && inner[1] == 0 &&
           std::string_view(mm_type_name(inner[2])) != "unknown" && parse_mm(inner).has_value();
  }

  /// The NAS message container (IEI 0x71) of an uplink Registration or Service Request when
  /// `plain` (its value, deciphered or as sent) is the complete message: a plain 5GMM message
  /// of the outer message's type. Sets the event's container fields; false (nothing set) for
  /// anything else (another COUNT or key convention, a corrupt message).
  static bool claim_container(nas_event& ev, const mm_fields& mm, bytes_view nas_pdu,
                              bytes_view plain, mm_fields& cmm) {
    const bytes_view v = mm.nas_container;
    if (plain.size() < 3 || plain[0] != epd_5gmm || (plain[1] & 0x0f) != 0 || plain[2] != mm.type)
      return false;
    auto m = parse_mm(plain);
    if (!m) return false;
    cmm = *m;
    ev.container_mm = &cmm;
    ev.container_plain = plain;
    ev.container_offset = static_cast<std::uint32_t>(v.data() - nas_pdu.data());
    return true;
  }

  /// Whether `mm` is an uplink Registration or Service Request with a NAS message container
  /// inside `nas_pdu`.
  static bool has_container(const nas_event& ev, const mm_fields& mm, bytes_view nas_pdu) {
    if (ev.dir != direction::uplink || mm.nas_container.empty()) return false;
    if (mm.type != static_cast<std::uint8_t>(mm_type::registration_request) &&
        mm.type != static_cast<std::uint8_t>(mm_type::service_request))
      return false;
    const bytes_view v = mm.nas_container;
    return v.data() >= nas_pdu.data() && v.data() + v.size() <= nas_pdu.data() + nas_pdu.size();
  }

  /// The NAS message container of an integrity-protected uplink Registration or Service
  /// Request holds the complete message, its value ciphered with the current context: NEA with
  /// the uplink NAS COUNT and BEARER of the outer message (the NAS message itself is not
  /// ciphered). With 5G-EA0 it is as on the wire. Deciphered only after the outer MAC verified,
  /// so the COUNT and the context are known to be right. A container that is a plain message
  /// of the outer type as sent, while the context ciphers (NEA1-3), was not ciphered.
  /// Ref: TS 24.501 4.4.6, 8.2.6.21, 8.2.16.4; TS 33.501 6.4.6.
  void read_container(nas_event& ev, const nas_sec_ctx& ctx, const mm_fields& mm,
                      bytes_view nas_pdu, mm_fields& cmm) {
    if (!ev.count || !ctx.valid || !has_container(ev, mm, nas_pdu)) return;
    const bytes_view v = mm.nas_container;
    if (ctx.nea == 0) {
      claim_container(ev, mm, nas_pdu, v, cmm);
      return;
    }
    if (ctx.nea > 3) return;
    if (ctx.alg_keys && ev.mac == mac_verdict::ok &&
        decipher(ctx, *ev.count, direction::uplink, v, container_scratch) &&
        claim_container(ev, mm, nas_pdu, container_scratch, cmm)) {
      ev.container_deciphered = true;
      ++st.deciphered;
      return;
    }
    if (ev.mac != mac_verdict::failed && claim_container(ev, mm, nas_pdu, v, cmm))
      ev.container_in_clear = true;
  }

  /// `in` deciphered with the context's NEA (1-3), COUNT `count` and BEARER into `out`.
  /// Ref: TS 33.501 6.4.4, D.2.
  static bool decipher(const nas_sec_ctx& ctx, std::uint32_t count, direction dir, bytes_view in,
                       byte_buffer& out) {
    out.assign(in.begin(), in.end());
    return crypto::nea_in_place(static_cast<crypto::nea_alg>(ctx.nea), ctx.k_enc.view(), count,
                                ctx.bearer, static_cast<std::uint8_t>(dir), out, out.size() * 8)
        .has_value();
  }

  /// The current context kept as the non-current "previous" one (at an SMC that takes a new
  /// context into use): K_AMF, algorithms, BEARER and COUNTs; the algorithm keys are re-derived
  /// when it is used again.
  static pending_ctx as_previous(nas_sec_ctx&& c, crypto::hmac_key&& k_amf) {
    pending_ctx p;
    p.valid = true;
    p.previous = true;
    p.keys = c.keys;
    p.ngksi = c.ngksi;
    p.nea = c.nea;
    p.nia = c.nia;
    p.bearer = c.bearer;
    p.last[0] = c.last[0];
    p.last[1] = c.last[1];
    p.k_amf = std::move(k_amf);
    return p;
  }

  /// The full context of a kept previous one (algorithm keys derived).
  static nas_sec_ctx from_previous(const pending_ctx& p) {
    nas_sec_ctx c;
    c.valid = true;
    c.keys = p.keys;
    c.ngksi = p.ngksi & 7u;
    c.bearer = p.bearer;
    c.last[0] = p.last[0];
    c.last[1] = p.last[1];
    derive_alg_keys(c, p.k_amf, p.nea, p.nia);
    return c;
  }

  /// Security Mode Reject: the former current context (kept at the SMC) becomes current again.
  void restore_previous(std::uint32_t s) {
    const pending_ctx* p = pend_of(s);
    if (p == nullptr || !p->previous) return;
    record& r = recs[s];
    r.cur = from_previous(*p);
    r.k_amf = p->k_amf.clone();
    clear_pend(s);
    r.pub.keys_known = r.cur.keys;
  }

  void update_state(std::uint32_t s, const packet_meta& pkt, direction dir, const mm_fields& mm,
                    bool is_protected) {
    record& r = recs[s];
    switch (static_cast<mm_type>(mm.type)) {
      case mm_type::registration_request:
        if (mm.identity) learn_identity(s, *mm.identity);
        if (mm.caps) {
          r.pub.nas_caps = mm.caps;
          r.pub.nas_caps_frame = pkt.ref();
        }
        r.pub.emergency = mm.emergency;
        r.pub.registration_pending = true;
        r.pub.registration_type = mm.registration_type;
        r.pub.registration_frame = pkt.ref();
        break;
      case mm_type::service_request:
      case mm_type::deregistration_request_ue_originating:
      case mm_type::identity_response:
        if (mm.identity) learn_identity(s, *mm.identity);
        break;
      case mm_type::registration_accept:
      case mm_type::configuration_update_command:
        if (mm.identity) learn_identity(s, *mm.identity);
        if (mm.type == static_cast<std::uint8_t>(mm_type::registration_accept))
          r.pub.registration_pending = false;
        break;
      case mm_type::authentication_request:
        if (dir == direction::downlink) on_auth_request(s, mm);
        break;
      case mm_type::authentication_response:
      case mm_type::authentication_failure:
        if (dir == direction::uplink) on_auth_answer(s, pkt, mm);
        break;
      case mm_type::authentication_reject:
        auth_runs.erase(s);
        break;
      case mm_type::security_mode_reject:
        // The UE keeps its former context. Ref: TS 24.501 5.4.2.5, TS 33.501 6.7.2.
        if (dir == direction::uplink) restore_previous(s);
        break;
      case mm_type::security_mode_command:
        r.pub.smc_seen = true;
        r.pub.smc_frame = pkt.ref();
        r.pub.smc_nea = mm.nea;
        r.pub.smc_nia = mm.nia;
        break;
      default:
        break;
    }
    (void)is_protected;
  }

  // ---------------------------------------------------------------- AS keys on N2
  /// The SecurityKey (K_gNB) and SecurityContext (NCC, NH) IEs against the current NAS context,
  /// when it has keys and its uplink MACs verified. Ref: TS 33.501 A.9, A.10.
  void check_as_keys(record& r, ngap_event& nev) {
    const nas_sec_ctx& c = r.cur;
    if (!c.valid || !c.keys || !c.ul_verified) return;
    if (const auto* ie = pdu.find(ngap::ie_id::security_key)) {
      auto key = ngap::decode_security_key(ie->value);
      if (key && key->size() == 32 && c.last[0] >= 0) {
        const auto count = static_cast<std::uint32_t>(c.last[0]);
        auto k_gnb = crypto::derive_k_gnb(r.k_amf, count);
        if (k_gnb) {
          const bool same = k_gnb->equals(*key);
          nev.security_key = same ? as_key_verdict::ok : as_key_verdict::mismatch;
          nev.security_key_count = count;
          r.k_gnb_known = same;
          r.k_gnb_count = count;
          r.nh_index = 0;
        }
      }
    }
    if (const auto* ie = pdu.find(ngap::ie_id::security_context); ie != nullptr && r.k_gnb_known) {
      auto sc = ngap::decode_security_context(ie->value);
      // NCC is the chain position modulo 8 (3 bits): the first position at or after the last
      // verified one with that residue (a repeated NH is a repetition, not a new position).
      const std::uint8_t ncc = sc ? static_cast<std::uint8_t>(sc->next_hop_chaining_count & 7) : 0;
      const unsigned target = r.nh_index + ((ncc + 8u - (r.nh_index & 7u)) & 7u);
      if (sc && sc->next_hop.size() == 32 && target >= 1 && target <= 250) {
        auto nh = crypto::derive_k_gnb(r.k_amf, r.k_gnb_count);
        for (unsigned n = 1; nh && n <= target; ++n)
          nh = crypto::derive_nh(r.k_amf, nh->view());
        if (nh) {
          const bool same = nh->equals(sc->next_hop);
          nev.next_hop = same ? as_key_verdict::ok : as_key_verdict::mismatch;
          nev.ncc = sc->next_hop_chaining_count;
          if (same) r.nh_index = static_cast<std::uint8_t>(target);
        }
      }
    }
  }

  // ---------------------------------------------------------------- NGAP
  void on_ngap(const packet_meta& pkt, bytes_view bytes) {
    if (auto d = ngap::decode_pdu(bytes, pdu); !d) {
      ++st.malformed;
      return;
    }
    ++st.ngap;
    const std::uint8_t proc = pdu.procedure_code;
    const auto type = static_cast<std::uint8_t>(pdu.type);
    ngap_event nev;
    nev.pkt = &pkt;
    nev.pdu = &pdu;
    nev.procedure_code = proc;
    nev.pdu_type = type;

    auto ids = ngap::ue_ids(pdu);
    if (!ids) {
      ++st.malformed;
      return;
    }
    if (!ids->ran_ue_ngap_id && !ids->amf_ue_ngap_id) {
      sink.on_ngap(nev);  // non-UE-associated
      return;
    }

    auto& nas = nas_scratch; // entries [0, nas_count) are written below, the rest unused
    std::size_t nas_count = 0;
    if (auto n = ngap::collect_nas_pdus(pdu, nas); n) nas_count = std::min(*n, nas.size());
    else ++st.malformed;

    const bool initial = proc == ngap::procedure::initial_ue_message &&
                         pdu.type == ngap::pdu_type::initiating;
    std::uint32_t slot = no_slot;
    bool via_alias = false;  ///< found by the source side's ids of a handover
    if (initial && ids->ran_ue_ngap_id) {
      // A returning UE's first message touches four index lines nothing has touched since its
      // last connection (the new connection key's, the TMSI's, then the old AMF-UE-NGAP-ID's
      // and connection key's, which its record names): each pair is independent, so both are
      // requested before either is read, and their misses overlap instead of following each
      // other (docs/performance/audit.md).
      const std::uint64_t ck = conn_key_of(pkt.association, *ids->ran_ue_ngap_id);
      by_conn.prefetch(ck);
      // The same UE coming back (5G-S-TMSI IE or the GUTI / S-TMSI in the NAS message)?
      std::optional<std::uint32_t> tmsi;
      if (const auto* ie = pdu.find(ngap::ie_id::five_g_s_tmsi)) {
        if (auto t = ngap::decode_five_g_s_tmsi(ie->value)) tmsi = t->five_g_tmsi;
      }
      if (!tmsi && nas_count > 0) tmsi = tmsi_in_initial(nas[0].bytes);
      if (tmsi) by_tmsi.prefetch(*tmsi);
      auto it = by_conn.find(ck);
      if (it != by_conn.end()) {
        const record& old = recs[it->slot];
        if (!old.released) {
          nev.reused_live_ran_id = true;
          nev.reused_first_frame = old.pub.first_frame;
        }
      }
      if (tmsi) {
        if (auto t = by_tmsi.find(*tmsi); t != by_tmsi.end()) slot = t->slot;
      }
      if (slot == no_slot) {
        expire(pkt);
        slot = create(pkt);
      } else {
        // Unless a handover keeps aliases of its ids (index_conn / index_amf read them).
        if (handovers.empty() || !handovers.contains(slot)) defer_unindex(slot);
        else unindex_amf(recs[slot]);
        recs[slot].pub.has_amf_id = false;
      }
      record& r = recs[slot];
      r.released = false;
      r.pub.security_active = false;
      r.pub.smc_seen = false;
      r.pub.res_star_checked = false;
      index_conn(slot, pkt.association, *ids->ran_ue_ngap_id);
    } else {
      if (ids->ran_ue_ngap_id)
        slot = find_slot(by_conn, conn_alias, conn_key_of(pkt.association, *ids->ran_ue_ngap_id),
                         via_alias);
      if (slot == no_slot && ids->amf_ue_ngap_id)
        slot = find_slot(by_amf, amf_alias, *ids->amf_ue_ngap_id, via_alias);
      if (slot == no_slot && pdu.type == ngap::pdu_type::initiating &&
          proc == ngap::procedure::handover_resource_allocation) {
        if (const auto* ie = pdu.find(ngap::ie_id::source_to_target_transparent_container)) {
          auto it = ho_by_container.find(container_hash(ie->value));
          if (it != ho_by_container.end()) slot = it->second;
        }
      }
      if (slot == no_slot && pdu.type == ngap::pdu_type::initiating &&
          proc == ngap::procedure::path_switch_request) {
        if (const auto* ie = pdu.find(ngap::ie_id::source_amf_ue_ngap_id)) {
          if (auto a = ngap::decode_amf_ue_ngap_id(ie->value)) {
            auto it = by_amf.find(*a);
            if (it != by_amf.end()) slot = it->slot;
          }
        }
      }
      if (slot == no_slot) slot = create(pkt);
      if (ids->ran_ue_ngap_id && !via_alias) {
        const record& r = recs[slot];
        if (!r.conn_indexed || r.conn_key != conn_key_of(pkt.association, *ids->ran_ue_ngap_id))
          index_conn(slot, pkt.association, *ids->ran_ue_ngap_id);
      }
    }
    if (ids->amf_ue_ngap_id && !via_alias) index_amf(slot, *ids->amf_ue_ngap_id, true);
    if (proc == ngap::procedure::handover_preparation && pdu.type == ngap::pdu_type::initiating)
      start_handover(slot);
    touch(slot, pkt);
    record& r = recs[slot];
    nev.ue = &r.pub;

    // Serving PLMN from the User Location Information (TAI). Ref: TS 38.413 9.3.1.16.
    if (const auto* ie = pdu.find(ngap::ie_id::user_location_information)) {
      if (auto uli = ngap::decode_user_location_information(ie->value)) {
        if (uli->type == ngap::user_location_information::kind::nr ||
            uli->type == ngap::user_location_information::kind::eutra) {
          r.pub.plmn = uli->ta.plmn;
          r.pub.has_plmn = true;
        }
      }
    }

    // NAS: uplink in InitialUEMessage / UplinkNASTransport, else downlink. The NAS-PDU of a
    // NASNonDeliveryIndication is a copy of a downlink message already counted: skipped.
    if (proc != ngap::procedure::nas_non_delivery_indication) {
      const direction dir = (proc == ngap::procedure::initial_ue_message ||
                             proc == ngap::procedure::uplink_nas_transport ||
                             proc == ngap::procedure::reroute_nas_request)
                                ? direction::uplink
                                : direction::downlink;
      for (std::size_t i = 0; i < nas_count; ++i)
        process_nas(slot, pkt, dir, proc, nas[i], initial);
    }

    // Typed security IEs for the rules.
    if (const auto* ie = pdu.find(ngap::ie_id::ue_security_capabilities)) {
      if (auto c = ngap::decode_ue_security_capabilities(ie->value)) nev.caps = caps_from_ngap(*c);
    }
    nev.security_key_present = pdu.find(ngap::ie_id::security_key) != nullptr;
    check_as_keys(r, nev);
    if (proc == ngap::procedure::pdu_session_resource_setup ||
        proc == ngap::procedure::initial_context_setup) {
      for (const auto& ie : pdu.ies()) {
        const bool req = ie.id == ngap::ie_id::pdu_session_resource_setup_list_su_req ||
                         ie.id == ngap::ie_id::pdu_session_resource_setup_list_cxt_req;
        const bool res = ie.id == ngap::ie_id::pdu_session_resource_setup_list_su_res ||
                         ie.id == ngap::ie_id::pdu_session_resource_setup_list_cxt_res;
        if (!req && !res) continue;
        auto items = ngap::decode_pdu_session_list(ie.id, ie.value);
        if (!items) continue;
        for (const auto& item : *items) {
          if (req) {
            auto sec = ngap::decode_setup_request_security(item.transfer);
            if (sec && *sec && (*sec)->integrity == ngap::up_protection_indication::required) {
              nev.up_integrity_required = true;
              nev.pdu_session_id = item.pdu_session_id;
            }
          } else {
            auto t = ngap::decode_setup_response_transfer(item.transfer);
            if (t && t->security &&
                t->security->integrity == ngap::up_protection_result::not_performed) {
              nev.up_integrity_not_performed = true;
              nev.pdu_session_id = item.pdu_session_id;
            }
          }
        }
      }
    }
    if (proc == ngap::procedure::ue_context_release && pdu.type == ngap::pdu_type::successful) {
      if (via_alias) {
        end_handover(slot);  // the source side of a completed handover let go of the UE
      } else {
        r.released = true;
        r.pub.security_active = false;
      }
    }
    erase_stale_ids();
    insert_deferred_amf();
    sink.on_ngap(nev);
  }

  /// The end of the input: every context ends, from the oldest to the newest (deterministic).
  /// The rules hear of each; then all are dropped at once, in one sweep over the records and
  /// the tables instead of one UE's index entries at a time (release_slot): at the end of a
  /// 20 000-UE capture the releases took 25-34 ms, the sweep (which zeroes every record) takes
  /// 18-24 ms, besides the rules' ~13 ms. The state left is release_slot's for every UE (all
  /// tables empty, every record zeroed and free).
  void finish() {
    for (std::uint32_t s = lru_tail; s != no_slot; s = lru[s].prev) sink.on_ue_end(recs[s].pub);
    for (std::uint32_t s = 0; s < recs.size(); ++s) {
      record& r = recs[s];
      if (!r.live) continue;
      r = record{};
      lru[s] = lru_link{};
      free_slots.push_back(s);
    }
    for_each_id_index(*this, [](auto& index) { index.clear(); });
    auth_runs.clear();
    pendings.clear();
    nai_by_slot.clear();
    handovers.clear();
    lru_head = lru_tail = no_slot;
    live = 0;
  }
};

tracker::tracker(const tracker_options& opt, const subscriber_db* keys,
                 const identity::hn_key_store* hn_keys, event_sink& sink)
    : impl_(std::make_unique<impl>(opt, keys, hn_keys, sink)) {}
tracker::~tracker() = default;

void packed_suci::assign(bytes_view value) {
  if (value.empty() || value.size() > 0xffff) {
    p_.reset();
    return;
  }
  p_ = std::make_unique_for_overwrite<std::uint8_t[]>(2 + value.size());
  const auto n = static_cast<std::uint16_t>(value.size());
  std::memcpy(p_.get(), &n, 2);
  std::memcpy(p_.get() + 2, value.data(), value.size());
}

bytes_view packed_suci::octets() const noexcept {
  if (p_ == nullptr) return {};
  std::uint16_t n = 0;
  std::memcpy(&n, p_.get(), 2);
  return {p_.get() + 2, n};
}

std::size_t packed_suci::heap_bytes() const noexcept {
  return p_ == nullptr ? 0 : 2 + octets().size();
}

void packed_suci::text_into(std::string& out) const {
  out.clear();
  if (p_ == nullptr) return;
  auto id = identity::decode_mobile_identity(octets());
  if (!id) return;
  if (const auto* sv = std::get_if<identity::suci_value>(&*id)) out = identity::to_string(*sv);
}

std::string packed_suci::text() const {
  std::string s;
  text_into(s);
  return s;
}

void tracker::on_ngap(const packet_meta& pkt, bytes_view ngap_pdu) { impl_->on_ngap(pkt, ngap_pdu); }
void tracker::finish() { impl_->finish(); }
const tracker_stats& tracker::stats() const noexcept { return impl_->st; }
std::size_t tracker::live_ues() const noexcept { return impl_->live; }
std::size_t tracker::record_size() noexcept { return sizeof(record) + sizeof(lru_link); }
std::size_t tracker::bytes_per_ue() const noexcept {
  const auto& m = *impl_;
  if (m.live == 0) return record_size();
  std::size_t heap = 0;
  m.recs.for_each([&](const record& r) {
    if (!r.live) return;
    heap += r.pub.suci.heap_bytes();
  });
  // The open-addressing indexes at their capacity; each unordered_map node: key + value + next
  // pointer + cached hash (libstdc++), ~32 bytes, plus one bucket pointer per element.
  std::size_t index_bytes = 0;
  impl::for_each_id_index(m, [&](const auto& index) { index_bytes += index.capacity_bytes(); });
  index_bytes += m.auth_runs.size() * (sizeof(auth_run) + 24 + 8) +
                 m.pendings.size() * (sizeof(pending_ctx) + 24 + 8) +
                 m.nai_by_slot.size() * (sizeof(std::string) + 24 + 8) +
                 m.handovers.size() * (sizeof(impl::handover_link) + 24 + 8);
  for (const auto& [slot, h] : m.handovers)
    heap += (h.conn_aliases.capacity() + h.amf_aliases.capacity()) * sizeof(std::uint64_t);
  for (const auto& [slot, text] : m.nai_by_slot) heap += text.capacity() > 15 ? text.capacity() + 1 : 0;
  return record_size() + (heap + index_bytes) / m.live +
         (m.recs.capacity() - m.live) * sizeof(record) / m.live +
         (m.lru.capacity() - m.live) * sizeof(lru_link) / m.live;
}

}  // namespace sec5g::analysis
