#include "sec5g/sctp/pipeline.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <map>
#include <unordered_map>

#include "sec5g/capture/reader.hpp"
#include "sec5g/core/seeded_hash.hpp"
#include "sec5g/sctp/crc32c.hpp"

namespace sec5g::sctp {

using capture::counter;

std::string endpoint::to_string() const {
  std::string s;
  if (address.version == 6) s += '[';
  s += address.to_string();
  if (address.version == 6) s += ']';
  s += ':';
  s += std::to_string(port);
  return s;
}

namespace {

// The association key: the two endpoints in a canonical order.
struct tuple_key {
  endpoint lo;
  endpoint hi;
  friend bool operator==(const tuple_key&, const tuple_key&) = default;
};

bool endpoint_less(const endpoint& x, const endpoint& y) noexcept {
  if (x.address != y.address) return x.address < y.address;
  return x.port < y.port;
}

tuple_key make_key(const endpoint& s, const endpoint& d) noexcept {
  return endpoint_less(s, d) ? tuple_key{s, d} : tuple_key{d, s};
}

// An endpoint's address as two 64-bit words (the unused octets of an IPv4 address are zero).
void address_words(const endpoint& e, std::uint64_t& w0, std::uint64_t& w1) noexcept {
  std::memcpy(&w0, e.address.octets.data(), 8);
  std::memcpy(&w1, e.address.octets.data() + 8, 8);
}

struct tuple_hash {
  std::size_t operator()(const tuple_key& k) const noexcept {
    // Both endpoints as 64-bit words, port and version folded into the second, each word
    // folded in by a multiply-xorshift step.
    auto words = [](const endpoint& e, std::uint64_t& w0, std::uint64_t& w1) {
      address_words(e, w0, w1);
      w1 ^= (std::uint64_t{e.port} << 8 | e.address.version) * 0x9E3779B97F4A7C15ull;
    };
    std::uint64_t a0 = 0, a1 = 0, b0 = 0, b1 = 0;
    words(k.lo, a0, a1);
    words(k.hi, b0, b1);
    // Seeded per process (core/seeded_hash.hpp): addresses and ports come from the capture,
    // and crafted ones must not fall into one bucket. No table hashed here is iterated.
    std::uint64_t h = process_hash_seed();
    for (const std::uint64_t w : {a0, a1, b0, b1}) {
      h = (h ^ w) * 0xFF51AFD7ED558CCDull;
      h ^= h >> 32;
    }
    return static_cast<std::size_t>(h);
  }
};

// Which TSNs of one direction were seen: a window of 256 TSNs ending at the highest one seen.
// A TSN inside the window that was seen before, or older than the window, is a repeat; a
// TSN inside the window not yet seen is new even if it arrives late (capture reordering).
// Serial-number arithmetic (RFC 1982) handles wrap-around. Ref: RFC 9260 6.2 (duplicate TSNs).
class tsn_tracker {
public:
  enum class result : std::uint8_t { fresh, duplicate, jumped };
  static constexpr std::int64_t window = 256;
  static constexpr std::int64_t plausible = 1 << 20;

  /// After INIT / INIT ACK: TSNs before `initial_tsn` count as seen.
  void reset(std::uint32_t initial_tsn) noexcept {
    started_ = true;
    high_ = initial_tsn - 1;
    seen_.fill(~std::uint64_t{0});
  }

  result check(std::uint32_t tsn) noexcept {
    if (!started_) {
      start(tsn);
      return result::fresh;
    }
    const auto d = static_cast<std::int64_t>(static_cast<std::int32_t>(tsn - high_));
    if (d >= plausible || d <= -plausible) {
      start(tsn);
      return result::jumped;
    }
    if (d > 0) {
      // The window moves to end at `tsn`: the positions of the TSNs it takes in held the
      // TSNs 256 older, which leave it.
      if (d >= window) {
        seen_.fill(0);
      } else {
        for (std::uint32_t t = high_ + 1; t != tsn; ++t)
          unmark(t);
      }
      high_ = tsn;
      mark(tsn);
      return result::fresh;
    }
    if (-d >= window || marked(tsn)) return result::duplicate;
    mark(tsn);
    return result::fresh;
  }

private:
  void start(std::uint32_t tsn) noexcept {
    started_ = true;
    high_ = tsn;
    seen_.fill(0);
    mark(tsn);
  }
  // A ring of 256 bits: bit (t mod 256) says whether TSN t of the window (high_ - 256,
  // high_] was seen (the window moves by clearing the bits it passes over, instead of shifting
  // a 256-bit set for every DATA chunk).
  void mark(std::uint32_t t) noexcept { seen_[(t >> 6) & 3] |= std::uint64_t{1} << (t & 63); }
  void unmark(std::uint32_t t) noexcept {
    seen_[(t >> 6) & 3] &= ~(std::uint64_t{1} << (t & 63));
  }
  [[nodiscard]] bool marked(std::uint32_t t) const noexcept {
    return ((seen_[(t >> 6) & 3] >> (t & 63)) & 1U) != 0;
  }
  static_assert(window == 256);
  bool started_ = false;
  std::uint32_t high_ = 0;
  std::array<std::uint64_t, 4> seen_{};
};

struct fragment {
  std::uint8_t dir = 0;
  bool i_data = false;
  bool unordered = false;
  bool begin = false;
  bool end = false;
  std::uint16_t stream = 0;
  std::uint32_t tsn = 0;
  std::uint32_t mid = 0;
  std::uint32_t fsn = 0;
  std::uint32_t ppid = 0;
  byte_buffer data;
  // record_layout only: where `data` was captured, the packet that carried it, and the
  // smallest frame number among that packet's octets.
  std::vector<capture::byte_piece> pieces;
  std::shared_ptr<const packet_layout> packet;
  std::uint64_t first_frame = 0;
};

struct association : association_info {
  tsn_tracker tsn[2];
  std::vector<fragment> frags; // arrival order (oldest first)
  std::size_t frag_bytes = 0;
  association* lru_newer = nullptr;  ///< the pipeline's recency list (impl::lru_*)
  association* lru_older = nullptr;
  std::vector<tuple_key> paths; // every address pair seen (multi-homing), primary first
};

// Index of the verification tags: (ports in canonical order, tag) -> association.
struct tag_key {
  std::uint16_t lo_port = 0;
  std::uint16_t hi_port = 0;
  std::uint32_t tag = 0;
  friend bool operator==(const tag_key&, const tag_key&) = default;
};
struct tag_hash {
  std::size_t operator()(const tag_key& k) const noexcept {
    // std::hash of an integer is the integer: crafted tags would share a bucket.
    return static_cast<std::size_t>(seeded_hash((std::uint64_t{k.lo_port} << 48) |
                                                (std::uint64_t{k.hi_port} << 32) | k.tag));
  }
};
tag_key make_tag_key(std::uint16_t p1, std::uint16_t p2, std::uint32_t tag) noexcept {
  return p1 < p2 ? tag_key{p1, p2, tag} : tag_key{p2, p1, tag};
}

// A path: an address pair of an association, and which of its endpoints is side A.
struct path_entry {
  association* assoc = nullptr;
  bool lo_is_a = true;
};

constexpr std::size_t max_paths_per_association = 16;

bool chunk_is(const chunk& c, chunk_type t) noexcept {
  return c.type == static_cast<std::uint8_t>(t);
}

} // namespace

struct pipeline::impl {
  pipeline_config cfg;
  capture::counters stats;
  capture::ip_layer ip;
  capture::ip_packet datagram; ///< the frame's datagram (rewritten by every feed)
  std::unordered_map<std::uint32_t, std::unique_ptr<association>> assocs; // by id
  std::unordered_map<tuple_key, path_entry, tuple_hash> paths;
  std::unordered_map<tag_key, association*, tag_hash> tags;
  // Recency list of the associations, intrusive (a touch per packet: unlinking and relinking
  // inline, where std::list::splice was an out-of-line libstdc++ call on every packet).
  association* lru_newest = nullptr;
  association* lru_oldest = nullptr;
  std::uint32_t next_id = 1;
  std::uint64_t fast_packets = 0;  ///< packets try_fast took
  std::size_t total_frag_bytes = 0;
  std::size_t total_frags = 0;
  byte_buffer out; // reassembled message
  // record_layout only: the layout of the message being delivered, and how many held
  // fragments refer to each frame (fragment::first_frame).
  message_layout layout;
  std::map<std::uint64_t, std::uint32_t> frag_frames;

  // A direct-mapped memo of `paths`: most packets belong to a handful of associations, and
  // this saves the hash table walk per packet. Cleared whenever `paths` changes (add_path,
  // close), so an entry is always a copy of the table's. Its slot is a plain multiplicative
  // hash, not the seeded tuple_hash: crafted tuples that share a slot only miss the memo (each
  // miss is one look-up in the seeded `paths`), and the four seeded rounds were ~1% of an audit.
  struct path_memo {
    tuple_key key;
    path_entry entry;
    bool valid = false;
  };
  static constexpr std::size_t memo_size = 16;
  std::array<path_memo, memo_size> memo{};
  static std::size_t memo_slot(const tuple_key& k) noexcept {
    std::uint64_t w[4];
    address_words(k.lo, w[0], w[1]);
    address_words(k.hi, w[2], w[3]);
    const std::uint64_t x = w[0] ^ (w[1] << 1) ^ (w[2] << 2) ^ (w[3] << 3) ^
                            (std::uint64_t{k.lo.port} << 40 | std::uint64_t{k.hi.port} << 24);
    static_assert(memo_size == 16);
    return static_cast<std::size_t>((x * 0x9E3779B97F4A7C15ull) >> 60);
  }
  void forget_paths() noexcept {
    for (auto& m : memo)
      m.valid = false;
  }

  explicit impl(const pipeline_config& c) : cfg(c), ip(stats, c.ip) {
    ip.record_pieces(c.record_layout);
    ip.fast_path(c.fast_path);
  }

  void lru_unlink(association& a) noexcept {
    (a.lru_newer != nullptr ? a.lru_newer->lru_older : lru_newest) = a.lru_older;
    (a.lru_older != nullptr ? a.lru_older->lru_newer : lru_oldest) = a.lru_newer;
    a.lru_newer = a.lru_older = nullptr;
  }
  void lru_push_newest(association& a) noexcept {
    a.lru_newer = nullptr;
    a.lru_older = lru_newest;
    (lru_newest != nullptr ? lru_newest->lru_newer : lru_oldest) = &a;
    lru_newest = &a;
  }
  void touch(association& a) noexcept {
    if (lru_newest == &a) return;
    lru_unlink(a);
    lru_push_newest(a);
  }

  // Every removal of a held fragment goes through here or drop_fragments.
  void unref(const fragment& f) noexcept {
    if (!cfg.record_layout) return;
    auto it = frag_frames.find(f.first_frame);
    if (it != frag_frames.end() && --it->second == 0) frag_frames.erase(it);
  }

  void erase_first_fragment(association& a) {
    unref(a.frags.front());
    a.frag_bytes -= a.frags.front().data.size();
    total_frag_bytes -= a.frags.front().data.size();
    --total_frags;
    a.frags.erase(a.frags.begin());
  }

  void drop_fragments(association& a) {
    for (const fragment& f : a.frags)
      unref(f);
    total_frag_bytes -= a.frag_bytes;
    total_frags -= a.frags.size();
    a.frags.clear();
    a.frag_bytes = 0;
  }

  void close(association* a) {
    drop_fragments(*a);
    lru_unlink(*a);
    forget_paths();
    for (const tuple_key& k : a->paths) {
      auto it = paths.find(k);
      if (it != paths.end() && it->second.assoc == a) paths.erase(it);
    }
    for (int side = 0; side < 2; ++side) {
      const bool known = side == 0 ? a->tag_a_known : a->tag_b_known;
      if (!known) continue;
      auto it = tags.find(make_tag_key(a->a.port, a->b.port, side == 0 ? a->tag_a : a->tag_b));
      if (it != tags.end() && it->second == a) tags.erase(it);
    }
    assocs.erase(a->id); // destroys *a
  }

  // Records the tag of packets sent to side A (to_a) or B, and indexes it.
  void set_tag(association& a, bool to_a, std::uint32_t tag) {
    bool& known = to_a ? a.tag_a_known : a.tag_b_known;
    std::uint32_t& value = to_a ? a.tag_a : a.tag_b;
    if (known) {
      auto it = tags.find(make_tag_key(a.a.port, a.b.port, value));
      if (it != tags.end() && it->second == &a) tags.erase(it);
    }
    known = true;
    value = tag;
    tags[make_tag_key(a.a.port, a.b.port, tag)] = &a;
  }

  void add_path(association& a, const tuple_key& key, bool lo_is_a) {
    forget_paths();
    a.paths.push_back(key);
    paths[key] = path_entry{&a, lo_is_a};
  }

  association* create(const tuple_key& key, const endpoint& a_side, const endpoint& b_side,
                      bool initiator_known) {
    if (cfg.max_associations == 0) return nullptr;
    while (assocs.size() >= cfg.max_associations && lru_oldest != nullptr) {
      stats.add(counter::sctp_evicted);
      close(lru_oldest);
    }
    auto p = std::make_unique<association>();
    association* a = p.get();
    a->id = next_id++;
    a->a = a_side;
    a->b = b_side;
    a->initiator_known = initiator_known;
    a->name = a_side.to_string() + "-" + b_side.to_string();
    lru_push_newest(*a);
    assocs.emplace(a->id, std::move(p));
    add_path(*a, key, key.lo == a_side);
    stats.add(counter::sctp_associations);
    return a;
  }

  // Orientation when no INIT was seen: A is the side whose port is not the NGAP port.
  std::pair<endpoint, endpoint> orient(const endpoint& s, const endpoint& d) const {
    if (d.port == cfg.port && s.port != cfg.port) return {s, d};
    if (s.port == cfg.port && d.port != cfg.port) return {d, s};
    return {s, d};
  }

  bool selected(std::uint32_t ppid, const endpoint& s, const endpoint& d) const noexcept {
    return cfg.deliver_all || ppid == cfg.ppid || s.port == cfg.port || d.port == cfg.port;
  }

  void deliver(association& a, user_message& m, message_sink& sink) {
    if (!selected(m.ppid, m.src, m.dst)) {
      stats.add(counter::sctp_other_messages);
      return;
    }
    stats.add(counter::sctp_messages);
    m.association_id = a.id;
    m.association = a.name;
    sink(m);
  }

  // Removes fragment indices `idx` (any order) from a.frags.
  void remove_fragments(association& a, std::vector<std::size_t>& idx) {
    std::sort(idx.begin(), idx.end());
    for (std::size_t k = idx.size(); k-- > 0;) {
      const std::size_t i = idx[k];
      unref(a.frags[i]);
      a.frag_bytes -= a.frags[i].data.size();
      total_frag_bytes -= a.frags[i].data.size();
      --total_frags;
      a.frags.erase(a.frags.begin() + static_cast<std::ptrdiff_t>(i));
    }
  }

  std::size_t find_frag(const association& a, std::uint8_t dir, std::uint32_t tsn) const {
    for (std::size_t i = 0; i < a.frags.size(); ++i) {
      if (a.frags[i].dir == dir && a.frags[i].tsn == tsn) return i;
    }
    return a.frags.size();
  }

  // Tries to complete the message that fragment `at` belongs to. On success fills `out` and
  // returns the indices used, first fragment first.
  bool assemble(association& a, std::size_t at, std::vector<std::size_t>& used) {
    const fragment& f = a.frags[at];
    used.clear();
    if (!f.i_data) {
      // DATA: a message is a run of consecutive TSNs on one stream, B on the first, E on the
      // last. Ref: RFC 9260 6.9.
      auto same_msg = [&f](const fragment& g) {
        return !g.i_data && g.dir == f.dir && g.stream == f.stream && g.unordered == f.unordered &&
               (f.unordered || g.mid == f.mid);
      };
      std::size_t first = at;
      std::uint32_t tsn = f.tsn;
      std::size_t guard = 0;
      while (!a.frags[first].begin) {
        const std::size_t p = find_frag(a, f.dir, tsn - 1);
        if (p == a.frags.size() || !same_msg(a.frags[p]) || a.frags[p].end) return false;
        first = p;
        --tsn;
        if (++guard > a.frags.size()) return false;
      }
      used.push_back(first);
      std::size_t cur = first;
      tsn = a.frags[first].tsn;
      while (!a.frags[cur].end) {
        const std::size_t n = find_frag(a, f.dir, tsn + 1);
        if (n == a.frags.size() || !same_msg(a.frags[n]) || a.frags[n].begin) return false;
        used.push_back(n);
        cur = n;
        ++tsn;
        if (used.size() > a.frags.size()) return false;
      }
    } else {
      // I-DATA: fragments of message (stream, U, MID) numbered by FSN from 0 (B) to n (E).
      // Ref: RFC 8260 2.1.
      std::size_t last = a.frags.size();
      for (std::size_t i = 0; i < a.frags.size(); ++i) {
        const fragment& g = a.frags[i];
        if (g.i_data && g.dir == f.dir && g.stream == f.stream && g.unordered == f.unordered &&
            g.mid == f.mid && g.end) {
          last = i;
          break;
        }
      }
      if (last == a.frags.size()) return false;
      const std::uint32_t n = a.frags[last].fsn;
      if (n >= a.frags.size()) return false;
      used.assign(std::size_t{n} + 1, a.frags.size());
      for (std::size_t i = 0; i < a.frags.size(); ++i) {
        const fragment& g = a.frags[i];
        if (g.i_data && g.dir == f.dir && g.stream == f.stream && g.unordered == f.unordered &&
            g.mid == f.mid && g.fsn <= n) {
          used[g.fsn] = i;
        }
      }
      for (const std::size_t u : used) {
        if (u == a.frags.size()) return false;
      }
      if (!a.frags[used[0]].begin) return false;
    }
    std::size_t total = 0;
    for (const std::size_t u : used)
      total += a.frags[u].data.size();
    if (total > cfg.max_message_len) {
      stats.add(counter::sctp_message_too_large);
      out.clear();
      return true; // the caller drops the fragments; out stays empty
    }
    out.clear();
    for (const std::size_t u : used) {
      out.insert(out.end(), a.frags[u].data.begin(), a.frags[u].data.end());
    }
    return true;
  }

  // `where` (record_layout only): the chunk payload's pieces and its packet.
  void add_fragment(association& a, const data_chunk& dc, std::uint8_t dir, user_message& m,
                    message_sink& sink, std::vector<capture::byte_piece>* where,
                    const std::shared_ptr<const packet_layout>* packet) {
    stats.add(counter::sctp_fragments);
    if (dc.payload.size() > cfg.max_message_len || dc.payload.size() > cfg.max_pending_bytes) {
      stats.add(counter::sctp_message_too_large);
      return;
    }
    if (cfg.max_pending_fragments == 0) {
      stats.add(counter::sctp_reassembly_overflow);
      return;
    }
    if (dc.i_data) {
      // Two fragments of one message with the same FSN: keep the first.
      for (const fragment& g : a.frags) {
        if (g.i_data && g.dir == dir && g.stream == dc.stream_id && g.unordered == dc.unordered &&
            g.mid == dc.mid && g.fsn == dc.fsn) {
          stats.add(counter::sctp_fragment_error);
          return;
        }
      }
    }
    bool overflow = false;
    while (!a.frags.empty() && (a.frags.size() >= cfg.max_pending_fragments ||
                                a.frag_bytes + dc.payload.size() > cfg.max_pending_bytes)) {
      overflow = true;
      erase_first_fragment(a);
    }
    // The global budget: take fragments from the least recently used associations first.
    auto over_budget = [&] {
      return total_frag_bytes + dc.payload.size() > cfg.max_total_pending_bytes ||
             total_frags + 1 > cfg.max_total_pending_fragments;
    };
    while (over_budget()) {
      association* victim = nullptr;
      for (association* o = lru_oldest; o != nullptr; o = o->lru_newer) {
        if (!o->frags.empty()) {
          victim = o;
          break;
        }
      }
      if (victim == nullptr) break;
      overflow = true;
      if (victim == &a) {
        erase_first_fragment(a);
      } else {
        drop_fragments(*victim);
      }
    }
    if (overflow) stats.add(counter::sctp_reassembly_overflow);
    if (over_budget()) return;
    fragment fr;
    fr.dir = dir;
    fr.i_data = dc.i_data;
    fr.unordered = dc.unordered;
    fr.begin = dc.begin;
    fr.end = dc.end;
    fr.stream = dc.stream_id;
    fr.tsn = dc.tsn;
    fr.mid = dc.mid;
    fr.fsn = dc.fsn;
    fr.ppid = dc.ppid;
    fr.data.assign(dc.payload.begin(), dc.payload.end());
    if (cfg.record_layout) {
      if (where != nullptr) fr.pieces.swap(*where);
      fr.first_frame = m.frame_number;
      if (packet != nullptr && *packet) {
        fr.packet = *packet;
        for (const auto& p : fr.packet->pieces)
          fr.first_frame = std::min(fr.first_frame, p.frame);
      }
      ++frag_frames[fr.first_frame];
    }
    a.frag_bytes += fr.data.size();
    total_frag_bytes += fr.data.size();
    ++total_frags;
    a.frags.push_back(std::move(fr));
    std::vector<std::size_t> used;
    if (!assemble(a, a.frags.size() - 1, used)) return;
    const std::uint32_t ppid = a.frags[used.front()].ppid;
    if (cfg.record_layout && !out.empty()) {
      layout.payload.clear();
      layout.packets.clear();
      layout.chunks.clear();
      std::uint32_t at = 0;
      for (const std::size_t u : used) {
        const fragment& g = a.frags[u];
        capture::slice_pieces(g.pieces, 0, static_cast<std::uint32_t>(g.data.size()), at,
                              layout.payload);
        layout.chunks.push_back({g.tsn, at, static_cast<std::uint32_t>(g.data.size())});
        at += static_cast<std::uint32_t>(g.data.size());
        if (g.packet && std::find(layout.packets.begin(), layout.packets.end(), g.packet) ==
                            layout.packets.end())
          layout.packets.push_back(g.packet);
      }
      m.layout = &layout;
    }
    remove_fragments(a, used);
    if (out.empty()) return; // too large: dropped
    stats.add(counter::sctp_reassembled);
    m.ppid = ppid;
    m.payload = out;
    m.reassembled = true;
    deliver(a, m, sink);
  }

  // The association a packet belongs to, found by its address pair, or else (multi-homing:
  // another address pair of a known association) by its ports and verification tag.
  // Sets `to_a` = the packet travels to side A.
  association* find(const tuple_key& key, const endpoint& s, const endpoint& d, std::uint32_t vtag,
                    bool& to_a) {
    path_memo& pm = memo[memo_slot(key)];
    if (pm.valid && pm.key == key) {
      to_a = (d == key.lo) == pm.entry.lo_is_a;
      return pm.entry.assoc;
    }
    if (auto it = paths.find(key); it != paths.end()) {
      pm.key = key;
      pm.entry = it->second;
      pm.valid = true;
      to_a = (d == key.lo) == it->second.lo_is_a;
      return it->second.assoc;
    }
    if (vtag == 0) return nullptr;
    auto jt = tags.find(make_tag_key(s.port, d.port, vtag));
    if (jt == tags.end()) return nullptr;
    association* a = jt->second;
    const bool goes_to_a =
        a->tag_a_known && a->tag_a == vtag && d.port == a->a.port && s.port == a->b.port;
    const bool goes_to_b =
        a->tag_b_known && a->tag_b == vtag && d.port == a->b.port && s.port == a->a.port;
    if ((!goes_to_a && !goes_to_b) || a->paths.size() >= max_paths_per_association) return nullptr;
    to_a = goes_to_a;
    add_path(*a, key, (d == key.lo) == to_a);
    return a;
  }

  // Finds or creates the association of a packet; handles INIT / INIT ACK / vtag changes.
  // Returns nullptr when the packet needs no association (or none may be created).
  association* lookup(const endpoint& s, const endpoint& d, std::uint32_t vtag, const chunk& first,
                      bool& to_a) {
    const tuple_key key = make_key(s, d);
    const bool is_init = chunk_is(first, chunk_type::init);
    association* a = find(key, s, d, is_init ? 0 : vtag, to_a);
    if (is_init) {
      const auto init = decode_init_chunk(first);
      if (!init) {
        stats.add(counter::sctp_bad_init);
        return nullptr;
      }
      // A retransmitted INIT keeps the association; any other INIT starts a new one.
      if (a != nullptr && a->initiator_known && !to_a && a->tag_a_known &&
          a->tag_a == init->initiate_tag) {
        touch(*a);
        return a;
      }
      if (a != nullptr) close(a);
      a = create(key, s, d, true);
      if (a == nullptr) return nullptr;
      to_a = false;
      set_tag(*a, true, init->initiate_tag);
      a->tsn[0].reset(init->initial_tsn);
      return a;
    }
    // Chunks that end an association never create one. SHUTDOWN ACK counts: after it only
    // SHUTDOWN COMPLETE may follow (RFC 9260 9.2), which a capture may miss.
    const bool closing = chunk_is(first, chunk_type::abort) ||
                         chunk_is(first, chunk_type::shutdown_complete) ||
                         chunk_is(first, chunk_type::shutdown_ack);
    if (a == nullptr) {
      if (closing) return nullptr;
      if (chunk_is(first, chunk_type::init_ack)) {
        a = create(key, d, s, true); // the receiver of INIT ACK sent the INIT
      } else {
        const auto [as, bs] = orient(s, d);
        a = create(key, as, bs, false);
      }
      if (a == nullptr) return nullptr;
      to_a = d == a->a;
    }
    touch(*a);
    // ABORT / SHUTDOWN COMPLETE with the T bit carry the sender's own tag. Ref: RFC 9260 8.5.1.
    const bool reflected = closing && (first.flags & 0x01u) != 0;
    const bool tag_for_a = reflected ? !to_a : to_a;
    const bool known = tag_for_a ? a->tag_a_known : a->tag_b_known;
    const std::uint32_t tag = tag_for_a ? a->tag_a : a->tag_b;
    if (!known) {
      set_tag(*a, tag_for_a, vtag);
    } else if (tag != vtag) {
      stats.add(counter::sctp_vtag_mismatch);
      if (closing) return nullptr; // an ABORT for some other association: ignore it
      // The peers started a new association that we did not see begin: follow it.
      const endpoint as = to_a ? d : s;
      const endpoint bs = to_a ? s : d;
      const bool init_known = a->initiator_known;
      close(a);
      a = create(key, as, bs, init_known);
      if (a == nullptr) return nullptr;
      set_tag(*a, to_a, vtag);
    }
    return a;
  }

  // The message of a DATA / I-DATA chunk: everything but the payload (and layout).
  static user_message message_of(const data_chunk& dc, std::uint8_t dir, const endpoint& s,
                                 const endpoint& d, bool ip_reassembled, std::uint64_t frame_no,
                                 std::int64_t ts, std::uint16_t index) noexcept {
    user_message m;
    m.dir = static_cast<direction>(dir);
    m.src = s;
    m.dst = d;
    m.stream_id = dc.stream_id;
    m.ppid = dc.ppid;
    m.tsn = dc.tsn;
    m.ip_reassembled = ip_reassembled;
    m.unordered = dc.unordered;
    m.i_data = dc.i_data;
    m.frame_number = frame_no;
    m.timestamp_ns = ts;
    m.chunk_index = index;
    return m;
  }

  struct no_layout {
    void operator()(user_message&) const noexcept {}
  };

  // The TSN check of a DATA / I-DATA chunk: false when the TSN is a repeat (counted, and the
  // message delivered flagged if the configuration asks for repeats; `fill_layout`, when not
  // null, fills its layout first), true when the chunk is new, to be delivered or reassembled.
  template <class Layout>
  bool fresh_tsn(association& a, std::uint8_t dir, const data_chunk& dc, user_message& m,
                 message_sink& sink, Layout* fill_layout) {
    const auto r = a.tsn[dir].check(dc.tsn);
    if (r == tsn_tracker::result::jumped) stats.add(counter::sctp_tsn_jump);
    if (r != tsn_tracker::result::duplicate) return true;
    stats.add(counter::sctp_retransmissions);
    if (cfg.deliver_retransmissions &&
        ((dc.begin && dc.end) || cfg.deliver_retransmitted_fragments)) {
      m.payload = dc.payload;
      m.retransmission = true;
      m.fragment = !(dc.begin && dc.end);
      if (fill_layout != nullptr) (*fill_layout)(m);
      deliver(a, m, sink);
    }
    return false;
  }

  // The common packet, without the general path's machinery (chunk walker, the INIT and
  // closing cases of lookup, the layout state): SACK chunks and DATA chunks that each carry a
  // whole message (B and E set), of an association whose address pair is in the path memo and
  // whose tag for this direction is known and is the packet's. On anything else it returns
  // false before changing any state, and the general path takes the packet. Its results
  // (messages, counters, association state) are the general path's on these packets; the
  // pipeline tests run both on the same packets (pipeline_config::fast_path).
  bool try_fast(const capture::ip_address& src_ip, const capture::ip_address& dst_ip,
                bytes_view pkt, const common_header& hdr, bool ip_reassembled,
                std::uint64_t frame_no, std::int64_t ts, message_sink& sink) {
    constexpr std::size_t max_data = 4;
    std::size_t data_at[max_data];
    std::size_t n_data = 0;
    std::uint64_t n_chunks = 0;
    const std::size_t size = pkt.size();
    // The walk of chunk_walker (a missing pad after the last chunk accepted), ending exactly at
    // the end of the packet.
    for (std::size_t pos = 12; pos < size; ++n_chunks) {
      const std::size_t left = size - pos;
      if (left < 4) return false;
      const std::uint8_t type = pkt[pos];
      const std::size_t len = load_be16(pkt.data() + pos + 2);
      if (len < 4 || len > left) return false;
      if (type == static_cast<std::uint8_t>(chunk_type::data)) {
        // Ref: RFC 9260 3.3.1: 16 octets of header, then at least one octet of user data.
        if (len <= 16 || (pkt[pos + 1] & 0x03u) != 0x03u || n_data == max_data) return false;
        data_at[n_data++] = pos;
      } else if (type != static_cast<std::uint8_t>(chunk_type::sack)) {
        return false;
      }
      const std::size_t padded = (len + 3) & ~std::size_t{3};
      pos += padded > left ? left : padded;
    }
    if (n_chunks == 0) return false;
    const endpoint s{src_ip, hdr.src_port};
    const endpoint d{dst_ip, hdr.dst_port};
    const tuple_key key = make_key(s, d);
    const path_memo& pm = memo[memo_slot(key)];
    if (!pm.valid || !(pm.key == key)) return false;
    association& a = *pm.entry.assoc;
    const bool to_a = (d == key.lo) == pm.entry.lo_is_a;
    if (!(to_a ? a.tag_a_known : a.tag_b_known) ||
        (to_a ? a.tag_a : a.tag_b) != hdr.verification_tag)
      return false;
    touch(a);
    ++fast_packets;
    stats.add(counter::sctp_chunks, n_chunks);
    stats.add(counter::sctp_data_chunks, n_data);
    const std::uint8_t dir = to_a ? 1 : 0;
    for (std::size_t i = 0; i < n_data; ++i) {
      const std::uint8_t* c = pkt.data() + data_at[i];
      data_chunk dc;
      dc.unordered = (c[1] & 0x04u) != 0;
      dc.begin = true;
      dc.end = true;
      dc.immediate = (c[1] & 0x08u) != 0;
      dc.tsn = load_be32(c + 4);
      dc.stream_id = load_be16(c + 8);
      dc.ssn = load_be16(c + 10);
      dc.mid = dc.ssn;
      dc.ppid = load_be32(c + 12);
      dc.payload = bytes_view(c + 16, std::size_t{load_be16(c + 2)} - 16);
      user_message m = message_of(dc, dir, s, d, ip_reassembled, frame_no, ts,
                                  static_cast<std::uint16_t>(i));
      if (!fresh_tsn(a, dir, dc, m, sink, static_cast<no_layout*>(nullptr))) continue;
      m.payload = dc.payload;
      deliver(a, m, sink);
    }
    return true;
  }

  // `pieces` (record_layout only): where the packet's octets were captured; `checksums`: the
  // checksums of the tunnels around it.
  void process_sctp(const capture::ip_address& src_ip, const capture::ip_address& dst_ip,
                    bytes_view pkt, bool truncated, bool ip_reassembled, std::uint64_t frame_no,
                    std::int64_t ts, message_sink& sink,
                    std::span<const capture::byte_piece> pieces = {},
                    std::span<const capture::recorded_checksum> checksums = {}) {
    stats.add(counter::sctp_packets);
    const auto hdr = decode_common_header(pkt);
    if (!hdr) {
      if (!truncated) stats.add(counter::sctp_truncated);
      return;
    }
    if (!truncated && cfg.verify_checksum && sctp_checksum(pkt) != hdr->checksum) {
      stats.add(counter::sctp_bad_checksum);
    }
    if (cfg.fast_path && !truncated && !cfg.record_layout &&
        try_fast(src_ip, dst_ip, pkt, *hdr, ip_reassembled, frame_no, ts, sink))
      return;
    process_chunks(src_ip, dst_ip, pkt, *hdr, truncated, ip_reassembled, frame_no, ts, sink,
                   pieces, checksums);
  }

  // The general path: every chunk through the chunk walker, lookup's INIT / INIT ACK / closing
  // cases, reassembly, the layout (record_layout). Out of line, so that the common packets
  // (try_fast) do not pay for its frame.
  [[gnu::noinline]] void process_chunks(const capture::ip_address& src_ip,
                                        const capture::ip_address& dst_ip, bytes_view pkt,
                                        const common_header& header, bool truncated,
                                        bool ip_reassembled, std::uint64_t frame_no,
                                        std::int64_t ts, message_sink& sink,
                                        std::span<const capture::byte_piece> pieces,
                                        std::span<const capture::recorded_checksum> checksums) {
    const common_header* hdr = &header;
    const endpoint s{src_ip, hdr->src_port};
    const endpoint d{dst_ip, hdr->dst_port};
    chunk_walker walker(pkt);
    association* a = nullptr;
    bool to_a = false;
    bool first = true;
    std::uint16_t data_index = 0;
    // record_layout: the packet's layout, made on its first DATA chunk.
    std::shared_ptr<const packet_layout> packet;
    std::vector<capture::byte_piece> chunk_pieces;
    auto locate = [&](bytes_view payload) {
      if (!packet) {
        auto p = std::make_shared<packet_layout>();
        p->pieces.assign(pieces.begin(), pieces.end());
        p->tunnel_checksums.assign(checksums.begin(), checksums.end());
        p->length = static_cast<std::uint32_t>(pkt.size());
        p->truncated = truncated;
        packet = std::move(p);
      }
      chunk_pieces.clear();
      capture::slice_pieces(pieces, static_cast<std::uint32_t>(payload.data() - pkt.data()),
                            static_cast<std::uint32_t>(payload.size()), 0, chunk_pieces);
    };
    auto set_layout = [&](user_message& m) {
      layout.payload.swap(chunk_pieces);
      layout.packets.assign(1, packet);
      layout.chunks.assign(1, chunk_span{m.tsn, 0, static_cast<std::uint32_t>(m.payload.size())});
      m.layout = &layout;
    };
    // A repeated message's layout (fresh_tsn): its chunk located first.
    auto repeat_layout = [&](user_message& m) {
      locate(m.payload);
      set_layout(m);
    };
    while (auto c = walker.next()) {
      stats.add(counter::sctp_chunks);
      if (first) {
        first = false;
        a = lookup(s, d, hdr->verification_tag, *c, to_a);
        if (a == nullptr) {
          if (chunk_is(*c, chunk_type::abort)) stats.add(counter::sctp_aborts);
          // Count the remaining chunks, nothing else to do without an association.
          while (walker.next())
            stats.add(counter::sctp_chunks);
          break;
        }
        if (chunk_is(*c, chunk_type::init)) {
          // INIT travels alone (RFC 9260 6.10); count what follows, use nothing.
          while (walker.next())
            stats.add(counter::sctp_chunks);
          break;
        }
      }
      const std::uint8_t dir = to_a ? 1 : 0; // 0 = a_to_b
      if (chunk_is(*c, chunk_type::data) || chunk_is(*c, chunk_type::i_data)) {
        stats.add(counter::sctp_data_chunks);
        const std::uint16_t index = data_index++;
        const auto dc = decode_data_chunk(*c);
        if (!dc) {
          stats.add(counter::sctp_bad_data_chunk);
          continue;
        }
        user_message m = message_of(*dc, dir, s, d, ip_reassembled, frame_no, ts, index);
        if (!fresh_tsn(*a, dir, *dc, m, sink, cfg.record_layout ? &repeat_layout : nullptr))
          continue;
        if (cfg.record_layout) locate(dc->payload);
        if (dc->begin && dc->end) {
          m.payload = dc->payload;
          if (cfg.record_layout) set_layout(m);
          deliver(*a, m, sink);
        } else if (cfg.record_layout) {
          add_fragment(*a, *dc, dir, m, sink, &chunk_pieces, &packet);
        } else {
          add_fragment(*a, *dc, dir, m, sink, nullptr, nullptr);
        }
      } else if (chunk_is(*c, chunk_type::init_ack)) {
        const auto init = decode_init_chunk(*c);
        if (!init) {
          stats.add(counter::sctp_bad_init);
          continue;
        }
        // The INIT ACK's initiate tag is the tag of packets sent to its sender.
        set_tag(*a, !to_a, init->initiate_tag);
        a->tsn[dir].reset(init->initial_tsn);
      } else if (chunk_is(*c, chunk_type::abort) || chunk_is(*c, chunk_type::shutdown_complete) ||
                 chunk_is(*c, chunk_type::shutdown_ack)) {
        if (chunk_is(*c, chunk_type::abort)) stats.add(counter::sctp_aborts);
        stats.add(counter::sctp_closed);
        close(a);
        a = nullptr;
        while (walker.next())
          stats.add(counter::sctp_chunks);
        break;
      } else if (chunk_is(*c, chunk_type::shutdown)) {
        a->shutting_down = true;
      }
    }
    if (walker.failed() && !truncated) stats.add(counter::sctp_bad_chunk_length);
  }
};

pipeline::pipeline(pipeline_config cfg) : impl_(std::make_unique<impl>(cfg)) {}
pipeline::pipeline(pipeline&&) noexcept = default;
pipeline& pipeline::operator=(pipeline&&) noexcept = default;
pipeline::~pipeline() = default;

const capture::counters& pipeline::stats() const noexcept {
  return impl_->stats;
}
const pipeline_config& pipeline::config() const noexcept {
  return impl_->cfg;
}
std::size_t pipeline::association_count() const noexcept {
  return impl_->assocs.size();
}
std::uint64_t pipeline::fast_packets() const noexcept {
  return impl_->fast_packets;
}
std::size_t pipeline::pending_fragments() const noexcept {
  return impl_->total_frags;
}
std::size_t pipeline::pending_bytes() const noexcept {
  return impl_->total_frag_bytes;
}
std::size_t pipeline::pending_ip_bytes() const noexcept {
  return impl_->ip.pending_bytes();
}
std::optional<std::uint64_t> pipeline::oldest_pending_frame() const noexcept {
  std::optional<std::uint64_t> r = impl_->ip.oldest_pending_frame();
  if (!impl_->frag_frames.empty()) {
    const std::uint64_t f = impl_->frag_frames.begin()->first;
    if (!r || f < *r) r = f;
  }
  return r;
}

std::vector<association_info> pipeline::associations() const {
  std::vector<association_info> v;
  v.reserve(impl_->assocs.size());
  for (const auto& [k, a] : impl_->assocs)
    v.push_back(static_cast<const association_info&>(*a));
  std::sort(v.begin(), v.end(), [](const auto& x, const auto& y) { return x.id < y.id; });
  return v;
}

void pipeline::feed(const capture::frame& f, message_sink on_message) {
  impl& p = *impl_;
  p.stats.add(counter::frames);
  p.stats.add(counter::bytes, f.data.size());
  if (f.truncated()) p.stats.add(counter::truncated_frames);
  capture::ip_packet& pkt = p.datagram;
  if (!p.ip.feed(f, pkt)) return;
  if (pkt.protocol != 132) {
    p.stats.add(counter::ip_not_sctp);
    return;
  }
  try {
    p.process_sctp(pkt.src, pkt.dst, pkt.payload, pkt.truncated, pkt.reassembled, f.number,
                   f.timestamp_ns, on_message, pkt.pieces, pkt.tunnel_checksums);
  } catch (const std::bad_alloc&) {
    p.stats.add(counter::sctp_reassembly_overflow);
  }
}

void pipeline::feed_sctp(const capture::ip_address& src, const capture::ip_address& dst,
                         bytes_view sctp_packet, std::uint64_t frame_number,
                         std::int64_t timestamp_ns, message_sink on_message, bool truncated) {
  try {
    // With record_layout the packet stands for the frame: its octets lie at their own offsets.
    const capture::byte_piece whole{frame_number, 0, 0,
                                    static_cast<std::uint32_t>(sctp_packet.size())};
    impl_->process_sctp(src, dst, sctp_packet, truncated, false, frame_number, timestamp_ns,
                        on_message,
                        impl_->cfg.record_layout ? std::span<const capture::byte_piece>(&whole, 1)
                                                 : std::span<const capture::byte_piece>{});
  } catch (const std::bad_alloc&) {
    impl_->stats.add(counter::sctp_reassembly_overflow);
  }
}

std::expected<void, capture::capture_error> run_file(const std::filesystem::path& file, pipeline& p,
                                                     message_sink on_message) {
  auto r = capture::reader::open(file);
  if (!r) return std::unexpected(r.error());
  for (;;) {
    auto f = r->next();
    if (!f) return std::unexpected(f.error());
    if (!*f) return {};
    p.feed(**f, on_message);
  }
}

} // namespace sec5g::sctp
