// `sec5g decipher`: write a copy of a capture in which every deciphered NAS message appears in
// plain form inside its NGAP message, readable by Wireshark/tshark without any preference.
//
// NEA keeps the length, so the ciphered octets are replaced in place by the plaintext. The
// security header type is rewritten from 2 (integrity protected and ciphered) to 1 (integrity
// protected), and 4 to 3, so that dissectors read the inner message as plain (Wireshark
// otherwise shows "Encrypted data" unless nas-5gs.null_decipher is set). The MAC and SQN stay
// as on the wire (the MAC no longer matches the rewritten header; the packet comment carries
// the verdict). The SCTP CRC32c is recomputed when it was valid in the input, and so are the
// checksums of tunnel headers that cover the rewritten packet (the UDP checksum of VXLAN,
// VXLAN-GPE and Geneve, the GRE checksum), innermost first, over the tunnel datagram gathered
// from the frame or frames (outer IP fragments) that hold it, as the IP layer recorded them.
// Each changed packet carries a comment: algorithm, COUNT, MAC verdict.
//
// An NGAP message reassembled from several DATA chunks or IP fragments is rewritten too: the
// pipeline records where each payload octet was captured (sctp::message_layout), the frames
// that hold pieces of messages still being reassembled are held back (at most --max-held-mib)
// and written in input order once no pending message can reach them; the CRC32c of a packet
// split into IP fragments is recomputed over the whole packet and written into the fragment
// that holds the checksum field. The frame that completes the message carries the full
// comment, the other changed frames "part of the NAS message deciphered in frame N".
//
// A retransmitted DATA chunk (same TSN, same octets) of a rewritten message is rewritten the
// same way (retained_rewrites), also a fragment repeated before its message completed (kept
// until then; its frame is still held); the tracker sees each message once.
#include <algorithm>
#include <cstdint>
#include <deque>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "commands.hpp"
#include "key_args.hpp"
#include "sec5g/core/heap.hpp"
#include "sec5g/analysis/capture_run.hpp"
#include "sec5g/analysis/subscriber_keys.hpp"
#include "sec5g/analysis/tracker.hpp"
#include "sec5g/capture/ip.hpp"
#include "sec5g/capture/pcapng_writer.hpp"
#include "sec5g/capture/reader.hpp"
#include "sec5g/core/flat_index.hpp"
#include "sec5g/identity/sidf.hpp"
#include "sec5g/identity/suci.hpp"
#include "sec5g/report/report.hpp"
#include "sec5g/rules/engine.hpp"
#include "sec5g/sctp/crc32c.hpp"

namespace sec5g::cli {
namespace {

struct decipher_options {
  std::string file;
  std::string output;
  key_args key;
  std::size_t max_held_mib = 64;  ///< bound on the frames held back (MiB)
};

/// Octets to write at `frame_offset` in frame `frame`.
struct edit {
  std::uint64_t frame = 0;
  std::size_t frame_offset = 0;
  byte_buffer bytes;
};

/// The rewrite of one NAS message: the octets to change in the frames that carried its NGAP
/// message, the SCTP packets whose CRC32c to fix, and the comment.
struct nas_rewrite {
  std::uint64_t done_frame = 0; ///< the frame that completed the NGAP message
  std::vector<edit> edits;
  std::vector<std::shared_ptr<const sctp::packet_layout>> packets;
  std::string comment;
};

/// The rewrite that writes `bytes` at `offset` of a message's payload into the frames that
/// captured those octets (`layout`), completed in frame `done_frame`.
nas_rewrite make_rewrite(const sctp::message_layout& layout, std::uint64_t done_frame,
                         std::uint32_t offset, bytes_view bytes, std::string comment) {
  nas_rewrite rw;
  rw.done_frame = done_frame;
  std::vector<capture::byte_piece> where;
  // Messages are at most sctp::pipeline_config::max_message_len (1 MiB) long.
  capture::slice_pieces(layout.payload, offset, static_cast<std::uint32_t>(bytes.size()), 0, where);
  for (const auto& p : where) {
    edit ed;
    ed.frame = p.frame;
    ed.frame_offset = p.frame_offset;
    ed.bytes.assign(bytes.begin() + p.offset, bytes.begin() + p.offset + p.length);
    rw.edits.push_back(std::move(ed));
  }
  rw.packets = layout.packets;
  rw.comment = std::move(comment);
  return rw;
}

/// The rewritten octets of the DATA chunks of recent rewritten NGAP messages, by association,
/// direction and TSN: a retransmitted copy of a chunk (same TSN, same octets; RFC 9260 6.3.3),
/// a whole message or one fragment of it, is rewritten the same way, so that no ciphered copy
/// of a deciphered message stays in the output. Bounded: the oldest records go beyond
/// max_bytes (copies are retransmitted within the retransmission timeout, seconds to a minute).
///
/// Every rewritten message adds a record per chunk, and almost none is ever looked up, so a
/// record is one allocation (its octets in one buffer) in a queue, found through a flat index.
class retained_rewrites {
 public:
  /// One change of a chunk, as read back from a record.
  struct change {
    std::uint32_t offset = 0; ///< within the chunk's user data
    bytes_view bytes;
    std::string_view comment;
  };

  explicit retained_rewrites(std::size_t max_bytes) : max_bytes_(max_bytes) {}

  /// The key of a chunk: association, direction, TSN.
  static std::uint64_t key(const sctp::user_message& m, std::uint32_t tsn) {
    return (std::uint64_t{m.association_id} << 33) |
           (std::uint64_t{m.dir == sctp::direction::b_to_a} << 32) | tsn;
  }

  /// Records that the message `m` (delivered in `frame`, with its layout) reads `bytes` at
  /// `offset` once rewritten: the part of it in each chunk, for that chunk.
  void add(const sctp::user_message& m, std::uint64_t frame, std::uint32_t offset,
           bytes_view bytes, std::string_view comment) {
    if (m.layout == nullptr) return;
    const std::uint64_t end = std::uint64_t{offset} + bytes.size();
    for (const auto& c : m.layout->chunks) {
      const std::uint64_t c_end = std::uint64_t{c.offset} + c.length;
      const std::uint64_t from = std::max<std::uint64_t>(offset, c.offset);
      const std::uint64_t to = std::min(end, c_end);
      if (from >= to || c_end > m.payload.size()) continue;
      const bytes_view original = m.payload.subspan(c.offset, c.length);
      record r;
      r.key = key(m, c.tsn);
      r.frame = frame;
      r.original_len = c.length;
      // A second NAS message in the same chunk (same message): the new record carries the
      // earlier changes too.
      const record* prev = find_record(r.key);
      if (prev != nullptr && prev->frame == frame && equal(*prev, original)) {
        r.data = prev->data;
      } else {
        r.data.assign(original.begin(), original.end());
      }
      append_change(r.data, static_cast<std::uint32_t>(from - c.offset),
                    bytes.subspan(static_cast<std::size_t>(from - offset),
                                  static_cast<std::size_t>(to - from)),
                    comment);
      push(std::move(r));
    }
  }

  /// The frame of the original and the changes of the chunk `key` that the repeated chunk
  /// `payload` repeats octet for octet; false when there is none.
  bool find(std::uint64_t key, bytes_view payload, std::uint64_t& frame,
            std::vector<change>& out) {
    const record* r = find_record(key);
    if (r == nullptr || !equal(*r, payload)) return false;
    frame = r->frame;
    out.clear();
    // The changes after the original: [u32 offset][u32 length][u32 comment length] octets comment
    std::size_t at = r->original_len;
    while (at + 12 <= r->data.size()) {
      change c;
      c.offset = load(r->data, at);
      const std::uint32_t len = load(r->data, at + 4);
      const std::uint32_t clen = load(r->data, at + 8);
      at += 12;
      c.bytes = bytes_view(r->data).subspan(at, len);
      at += len;
      c.comment = std::string_view(reinterpret_cast<const char*>(r->data.data() + at), clen);
      at += clen;
      out.push_back(c);
    }
    return true;
  }

 private:
  struct record {
    std::uint64_t key = 0;
    std::uint64_t frame = 0; ///< the frame that completed the original message
    std::uint32_t original_len = 0;
    byte_buffer data; ///< the chunk's user data as captured, then the changes
  };

  static bool equal(const record& r, bytes_view b) {
    return r.original_len == b.size() &&
           std::equal(b.begin(), b.end(), r.data.begin());
  }
  static void store(byte_buffer& out, std::uint32_t v) {
    const std::uint8_t b[4] = {static_cast<std::uint8_t>(v), static_cast<std::uint8_t>(v >> 8),
                               static_cast<std::uint8_t>(v >> 16),
                               static_cast<std::uint8_t>(v >> 24)};
    out.insert(out.end(), b, b + 4);
  }
  static std::uint32_t load(const byte_buffer& in, std::size_t at) {
    return std::uint32_t{in[at]} | std::uint32_t{in[at + 1]} << 8 |
           std::uint32_t{in[at + 2]} << 16 | std::uint32_t{in[at + 3]} << 24;
  }
  static void append_change(byte_buffer& data, std::uint32_t offset, bytes_view bytes,
                            std::string_view comment) {
    store(data, offset);
    store(data, static_cast<std::uint32_t>(bytes.size()));
    store(data, static_cast<std::uint32_t>(comment.size()));
    data.insert(data.end(), bytes.begin(), bytes.end());
    data.insert(data.end(), comment.begin(), comment.end());
  }
  /// Octets a record holds, with an estimate of the queue and allocation overheads (so that
  /// many small messages are bounded too).
  static std::size_t size_of(const record& r) { return 64 + r.data.capacity(); }

  const record* find_record(std::uint64_t k) {
    const auto it = index_.find(k);
    if (it == nullptr) return nullptr;
    return &records_[static_cast<std::uint32_t>(it->second - static_cast<std::uint32_t>(first_))];
  }
  void push(record&& r) {
    bytes_ += size_of(r);
    const std::uint64_t seq = first_ + records_.size();
    const std::uint64_t k = r.key;
    records_.push_back(std::move(r));
    auto [it, fresh] = index_.try_emplace(k, static_cast<std::uint32_t>(seq));
    if (!fresh) it->second = static_cast<std::uint32_t>(seq); // the newest record of the key
    while (bytes_ > max_bytes_ && records_.size() > 1) {
      const record& old = records_.front();
      if (auto o = index_.find(old.key); o != nullptr && o->second == static_cast<std::uint32_t>(first_))
        index_.erase(o);
      bytes_ -= size_of(old);
      records_.pop_front();
      ++first_;
    }
  }

  std::size_t max_bytes_;
  std::size_t bytes_ = 0;
  std::deque<record> records_; ///< oldest first
  std::uint64_t first_ = 0;    ///< sequence number of records_.front()
  flat_index index_;           ///< key -> sequence number (low 32 bits) of its newest record
};

/// Turns the deciphered NAS messages of the frame being processed into rewrites.
class decipher_sink final : public analysis::event_sink {
 public:
  decipher_sink(rules::engine& eng, analysis::current_message& cur, retained_rewrites& retained)
      : eng_(eng), cur_(cur), retained_(retained) {}
  void on_nas(const analysis::nas_event& e) override {
    eng_.on_nas(e);
    const std::size_t inner_len = e.length >= 7 ? e.length - 7 : 0;
    // A ciphered message (security header type 2/4), or the ciphered NAS message container of
    // an integrity-protected initial message (type 1; TS 24.501 4.4.6).
    const bool whole = (e.header_type == 2 || e.header_type == 4) && !e.plain.empty() &&
                       e.plain.size() == inner_len;
    const bool container = !whole && e.container_deciphered &&
                           std::size_t{e.container_offset} + e.container_plain.size() <= e.length;
    if ((!whole && !container) || cur_.msg == nullptr || cur_.msg->layout == nullptr ||
        cur_.frame == nullptr)
      return;
    const bytes_view payload = cur_.msg->payload;
    if (std::size_t{e.offset} + e.length > payload.size()) return;
    byte_buffer pdu(payload.begin() + e.offset, payload.begin() + e.offset + e.length);
    const char* dir = e.dir == analysis::direction::uplink ? "UL" : "DL";
    const char* type = e.mm != nullptr ? analysis::mm_type_name(e.mm->type) : "message";
    const std::string count = e.count ? std::to_string(*e.count) : std::string("?");
    std::string comment;
    if (whole) {
      // The NAS PDU as it must read: security header type 2 -> 1 / 4 -> 3, plaintext after the
      // MAC and SQN. Ref: TS 24.501 9.3.1 (security header type), 9.1.1 (protected PDU).
      const std::uint8_t header = e.header_type == 2 ? 0x01 : 0x03;
      pdu[1] = static_cast<std::uint8_t>((pdu[1] & 0xf0) | header);
      std::copy(e.plain.begin(), e.plain.end(), pdu.begin() + 7);
      comment = "sec5g decipher: NAS " + std::string(dir) + " " + type +
                (e.deciphered ? " deciphered with 128-NEA" + std::to_string(e.nea)
                              : std::string(" sent with 5G-EA0 (plain)")) +
                ", COUNT=" + count + ", MAC " + analysis::to_string(e.mac) +
                ", security header type " + std::to_string(e.header_type) + " rewritten to " +
                std::to_string(header);
    } else {
      // Only the container's value changes (same length); the outer message stays as sent.
      std::copy(e.container_plain.begin(), e.container_plain.end(),
                pdu.begin() + e.container_offset);
      comment = "sec5g decipher: NAS " + std::string(dir) + " " + type +
                ": NAS message container (" +
                (e.container_mm != nullptr ? analysis::mm_type_name(e.container_mm->type)
                                           : "unreadable") +
                ") deciphered with 128-NEA" + std::to_string(e.nea) + ", COUNT=" + count +
                ", MAC " + analysis::to_string(e.mac) + ", security header type " +
                std::to_string(e.header_type) + " unchanged";
    }
    retained_.add(*cur_.msg, cur_.frame->number, e.offset, pdu, comment);
    if (!early_index_.empty())
      for (const auto& c : cur_.msg->layout->chunks)
        completed_keys_.push_back(retained_rewrites::key(*cur_.msg, c.tsn));
    rewrites.push_back(
        make_rewrite(*cur_.msg->layout, cur_.frame->number, e.offset, pdu, std::move(comment)));
  }

  /// A repeated DATA chunk (not given to the tracker; a whole message or one fragment): when
  /// it repeats a chunk of a rewritten message octet for octet, the same octets are written
  /// into the frame(s) that carry the copy. A fragment repeated while its message is still
  /// being reassembled is kept (early_copy) until the message completes.
  void on_retransmission(const sctp::user_message& m) {
    if (m.layout == nullptr || cur_.frame == nullptr) return;
    const std::uint64_t key = retained_rewrites::key(m, m.tsn);
    if (rewrite_copy(key, m.tsn, m.payload, *m.layout, cur_.frame->number, false) || !m.fragment)
      return;
    early_copy e;
    e.frame = cur_.frame->number;
    e.key = key;
    e.tsn = m.tsn;
    e.payload.assign(m.payload.begin(), m.payload.end());
    e.layout = *m.layout;
    early_bytes_ += early_size(e);
    early_index_.emplace(key, early_first_ + early_.size());
    early_.push_back(std::move(e));
    while (early_bytes_ > max_early_bytes) drop_first_early();
  }

  /// After the messages of a frame: the early copies of the chunks of messages rewritten in
  /// this frame are rewritten the same way (their frames are still held: the message was
  /// pending when they came); copies in frames already written (before `oldest_held`) go.
  void resolve_early(std::uint64_t oldest_held) {
    for (const std::uint64_t k : completed_keys_) {
      auto [from, to] = early_index_.equal_range(k);
      while (from != to) {
        early_copy& e = early_[static_cast<std::size_t>(from->second - early_first_)];
        if (e.frame >= oldest_held &&
            rewrite_copy(e.key, e.tsn, e.payload, e.layout, e.frame, true)) {
          e.done = true;
          from = early_index_.erase(from);
        } else {
          ++from;
        }
      }
    }
    completed_keys_.clear();
    while (!early_.empty() && (early_.front().done || early_.front().frame < oldest_held))
      drop_first_early();
  }

  void on_ngap(const analysis::ngap_event& e) override { eng_.on_ngap(e); }
  void on_ue_end(const analysis::ue_context& ue) override { eng_.on_ue_end(ue); }

  /// Bound on the early copies kept (octets, with overheads).
  static constexpr std::size_t max_early_bytes = std::size_t{4} << 20;

  std::vector<nas_rewrite> rewrites; ///< of the frame being processed
  std::uint64_t retransmissions = 0; ///< retransmitted chunks of rewritten messages rewritten

private:
  /// A fragment repeated before its message completed.
  struct early_copy {
    std::uint64_t frame = 0; ///< the frame that carried the copy
    std::uint64_t key = 0;   ///< retained_rewrites::key of the chunk
    std::uint32_t tsn = 0;
    bool done = false; ///< rewritten (kept until the copies before it go)
    byte_buffer payload;
    sctp::message_layout layout;
  };
  static std::size_t early_size(const early_copy& e) {
    return 128 + e.payload.capacity() +
           e.layout.payload.capacity() * sizeof(capture::byte_piece) +
           e.layout.packets.capacity() * 16 + e.layout.chunks.capacity() * sizeof(sctp::chunk_span);
  }
  void drop_first_early() {
    const early_copy& e = early_.front();
    if (!e.done) {
      auto [from, to] = early_index_.equal_range(e.key);
      for (; from != to; ++from)
        if (from->second == early_first_) {
          early_index_.erase(from);
          break;
        }
    }
    early_bytes_ -= early_size(e);
    early_.pop_front();
    ++early_first_;
  }

  /// Rewrites the repeated chunk `key` (TSN `tsn`, user data `payload`, captured where
  /// `layout` says, in frame `frame`) like the chunk it repeats; false when no rewritten chunk
  /// has its key and octets.
  bool rewrite_copy(std::uint64_t key, std::uint32_t tsn, bytes_view payload,
                    const sctp::message_layout& layout, std::uint64_t frame, bool early) {
    std::uint64_t original = 0;
    if (!retained_.find(key, payload, original, changes_)) return false;
    ++retransmissions;
    const std::string note =
        early ? " (TSN " + std::to_string(tsn) + " retransmitted before its message completed " +
                    "in frame " + std::to_string(original) + ")"
              : " (retransmission of frame " + std::to_string(original) + ", TSN " +
                    std::to_string(tsn) + ")";
    for (const auto& c : changes_)
      rewrites.push_back(
          make_rewrite(layout, frame, c.offset, c.bytes, std::string(c.comment) + note));
    return true;
  }

  rules::engine& eng_;
  analysis::current_message& cur_;
  retained_rewrites& retained_;
  std::vector<retained_rewrites::change> changes_;
  // Fragments repeated before their message completed, in frame order, found by chunk key
  // (association, direction, TSN: attacker-chosen, so an ordered map, not a hash).
  std::deque<early_copy> early_;
  std::uint64_t early_first_ = 0; ///< sequence number of early_.front()
  std::multimap<std::uint64_t, std::uint64_t> early_index_; ///< key -> sequence number
  std::size_t early_bytes_ = 0;
  std::vector<std::uint64_t> completed_keys_; ///< chunks of messages rewritten in this frame
};


/// The output side: copies of the input frames, held back while the pipeline may still
/// deliver a message with octets in them, changed in place by the rewrites, and written in
/// input order.
class frame_holder {
public:
  /// `max_held_bytes`: frames held back while a message they carry a piece of is still being
  /// reassembled, at most (beyond it the oldest are written as they are).
  frame_holder(capture::pcapng_writer& w, const sctp::pipeline& pipe, std::size_t max_held_bytes)
      : w_(w), pipe_(pipe), max_held_bytes_(max_held_bytes) {}

  /// Takes the frame just processed and the rewrites of the messages it completed, then
  /// writes every frame that no pending message can reach any more.
  void after_frame(const capture::frame& f, std::vector<nas_rewrite>& rewrites) {
    held_frame h;
    h.number = f.number;
    h.timestamp_ns = f.timestamp_ns;
    h.original_len = f.original_len;
    h.data.assign(f.data.begin(), f.data.end());
    held_bytes_ += h.data.size();
    held_.push_back(std::move(h));
    for (const auto& rw : rewrites)
      apply(rw);
    rewrites.clear();
    const std::uint64_t limit = pipe_.oldest_pending_frame().value_or(UINT64_MAX);
    while (!held_.empty() && (held_.front().number < limit || held_bytes_ > max_held_bytes_))
      write_front();
  }

  /// The number of the first frame still held (UINT64_MAX when none is).
  [[nodiscard]] std::uint64_t oldest_held() const noexcept {
    return held_.empty() ? UINT64_MAX : held_.front().number;
  }

  /// Writes what is still held (messages that never completed: their frames unchanged).
  void finish() {
    while (!held_.empty())
      write_front();
  }

  std::uint64_t changed = 0; ///< frames written with a change or a comment
  std::uint64_t skipped = 0; ///< rewrites dropped: a frame was already written
  std::optional<capture::capture_error> write_error;

private:
  struct held_frame {
    std::uint64_t number = 0;
    std::int64_t timestamp_ns = 0;
    std::uint32_t original_len = 0;
    byte_buffer data;
    std::vector<std::string> comments;
    bool changed = false;
  };

  held_frame* find(std::uint64_t number) {
    auto it = std::lower_bound(held_.begin(), held_.end(), number,
                               [](const held_frame& h, std::uint64_t n) { return h.number < n; });
    return it != held_.end() && it->number == number ? &*it : nullptr;
  }

  /// The `length` octets of a unit (an SCTP packet, a tunnel datagram) captured in `pieces`,
  /// as the held frames hold them now; false when a piece is missing (frame written or cut).
  bool gather(std::span<const capture::byte_piece> pieces, std::uint32_t length,
              byte_buffer& out) {
    out.assign(length, 0);
    std::size_t covered = 0;
    for (const auto& pc : pieces) {
      const held_frame* h = find(pc.frame);
      if (h == nullptr || std::size_t{pc.frame_offset} + pc.length > h->data.size() ||
          std::size_t{pc.offset} + pc.length > out.size())
        return false;
      std::copy_n(h->data.begin() + pc.frame_offset, pc.length, out.begin() + pc.offset);
      covered += pc.length;
    }
    return covered >= out.size();
  }
  bool gather(const sctp::packet_layout& p, byte_buffer& out) {
    return gather(p.pieces, p.length, out);
  }

  /// Octets [from, from + count) of `unit` (gathered from `pieces`) back into the held frames
  /// that hold them; their numbers go to `touched`.
  void write_back(std::span<const capture::byte_piece> pieces, std::uint32_t from,
                  std::uint32_t count, const byte_buffer& unit,
                  std::vector<std::uint64_t>& touched) {
    for (const auto& pc : pieces) {
      for (std::uint32_t i = from; i < from + count; ++i) {
        if (i < pc.offset || i >= pc.offset + pc.length) continue;
        held_frame* h = find(pc.frame);
        h->data[pc.frame_offset + (i - pc.offset)] = unit[i];
        touched.push_back(pc.frame);
      }
    }
  }

  void note(held_frame& h, const std::string& comment) {
    if (std::find(h.comments.begin(), h.comments.end(), comment) == h.comments.end())
      h.comments.push_back(comment);
    h.changed = true;
  }

  void apply(const nas_rewrite& rw) {
    // Every frame the rewrite touches must still be held, else the message stays as it was.
    for (const auto& ed : rw.edits) {
      const held_frame* h = find(ed.frame);
      if (h == nullptr || ed.frame_offset + ed.bytes.size() > h->data.size()) {
        ++skipped;
        return;
      }
    }
    if (find(rw.done_frame) == nullptr) {
      ++skipped;
      return;
    }
    for (const auto& p : rw.packets) {
      if (!p) continue;
      bool held = true;  // else a checksum could not be fixed
      for (const auto& pc : p->pieces)
        held = held && find(pc.frame) != nullptr;
      for (const auto& c : p->tunnel_checksums)
        for (const auto& pc : c.pieces)
          held = held && find(pc.frame) != nullptr;
      if (!held) {
        ++skipped;
        return;
      }
    }
    // The CRC32c of each packet is fixed when it was valid before this rewrite (it was then
    // valid in the input, or an earlier rewrite fixed it).
    std::vector<const sctp::packet_layout*> fix;
    for (const auto& p : rw.packets) {
      if (!p || p->truncated || p->length < 12) continue;
      if (gather(*p, scratch_) && sctp::stored_checksum(scratch_) == sctp::sctp_checksum(scratch_))
        fix.push_back(p.get());
    }
    // So are the checksums of the tunnels around the packet (UDP, GRE): recomputed over their
    // datagrams gathered from the frames (one, or the frames of its IP fragments), innermost
    // first, after the CRC32c.
    std::vector<const capture::recorded_checksum*> tunnel_fix;
    for (const auto& p : rw.packets) {
      if (!p) continue;
      for (const auto& c : p->tunnel_checksums)
        if (gather(c.pieces, c.sum.length, scratch_) &&
            capture::tunnel_checksum_ok(c.sum, scratch_))
          tunnel_fix.push_back(&c);
    }
    std::vector<std::uint64_t> touched;
    for (const auto& ed : rw.edits) {
      held_frame* h = find(ed.frame);
      std::copy(ed.bytes.begin(), ed.bytes.end(),
                h->data.begin() + static_cast<std::ptrdiff_t>(ed.frame_offset));
      touched.push_back(ed.frame);
    }
    for (const auto* p : fix) {
      if (!gather(*p, scratch_)) continue;
      sctp::store_checksum(bytes_span(scratch_));
      // Octets 8..11 of the packet (the checksum) back into the frames that hold them.
      write_back(p->pieces, 8, 4, scratch_, touched);
    }
    for (auto c = tunnel_fix.rbegin(); c != tunnel_fix.rend(); ++c) {
      const capture::recorded_checksum& rc = **c;
      if (!gather(rc.pieces, rc.sum.length, scratch_)) continue;
      capture::store_tunnel_checksum(rc.sum, bytes_span(scratch_));
      write_back(rc.pieces, rc.sum.field(), 2, scratch_, touched);
    }
    note(*find(rw.done_frame), rw.comment);
    const std::string part = "sec5g decipher: part of the NAS message deciphered in frame " +
                             std::to_string(rw.done_frame);
    for (const std::uint64_t n : touched)
      if (n != rw.done_frame) note(*find(n), part);
  }

  void write_front() {
    held_frame& h = held_.front();
    capture::packet_record rec;
    rec.timestamp_ns = h.timestamp_ns;
    rec.original_len = h.original_len;
    rec.data = h.data;
    std::vector<std::string_view> comments(h.comments.begin(), h.comments.end());
    rec.comments = comments;
    if (auto r = w_.write(rec); !r && !write_error) write_error = r.error();
    if (h.changed) ++changed;
    held_bytes_ -= h.data.size();
    held_.pop_front();
  }

  capture::pcapng_writer& w_;
  const sctp::pipeline& pipe_;
  std::deque<held_frame> held_;
  std::size_t held_bytes_ = 0;
  std::size_t max_held_bytes_;
  byte_buffer scratch_;
};

int run_decipher(const decipher_options& o) {
  heap_prefer_huge_pages(std::size_t{64} << 20);  // as audit: core/heap.hpp
  {
    std::vector<named_path> inputs{{"FILE", o.file}};
    append_key_files(o.key, inputs);
    const named_path outputs[] = {{"-o", o.output}};
    check_outputs_distinct(inputs, outputs);
  }
  analysis::subscriber_db db = std::move(*load_subscriber_db(o.key.keys));
  identity::hn_key_store hn;
  load_hn_keys(o.key.hn_keys, hn);

  rules::engine eng;
  analysis::current_message cur;
  // The rewritten octets of each DATA chunk of rewritten messages are remembered (16 MiB at
  // most) so that a retransmitted copy of the chunk is rewritten too.
  retained_rewrites retained(std::size_t{16} << 20);
  decipher_sink sink(eng, cur, retained);
  analysis::tracker_options topt;
  topt.serving_network_name = o.key.snn;
  analysis::tracker trk(topt, &db, hn.size() > 0 ? &hn : nullptr, sink);
  // Messages carry where each octet was captured, so that messages reassembled from several
  // DATA chunks or IP fragments are rewritten in the frames that hold their pieces.
  sctp::pipeline_config pcfg;
  pcfg.record_layout = true;
  pcfg.deliver_retransmissions = true; // to the hook below, never to the tracker
  pcfg.deliver_retransmitted_fragments = true;
  sctp::pipeline pipe(pcfg);
  analysis::run_stats rs;

  // The output, of the input's link type, is created once the input is open (read once: FILE
  // may be a pipe or "-"), before its first frame.
  std::optional<capture::pcapng_writer> w;
  std::optional<frame_holder> out;
  analysis::run_hooks hooks;
  hooks.on_open = [&](capture::link_type lt) {
    auto created = capture::pcapng_writer::create(o.output, lt);
    if (!created) throw input_error(created.error().message);
    w.emplace(std::move(*created));
    out.emplace(*w, pipe, o.max_held_mib << 20);
  };
  hooks.after_frame = [&](const capture::frame& f) {
    sink.resolve_early(std::min(out->oldest_held(), f.number));
    out->after_frame(f, sink.rewrites);
  };
  hooks.on_retransmission = [&](const sctp::user_message& m) { sink.on_retransmission(m); };
  auto r = analysis::run_capture_file(o.file, pipe, trk, cur, rs, hooks);
  if (!r) {
    if (r.error().code == capture::capture_error::kind::open_failed) throw input_error(r.error().message);
    std::cerr << "sec5g: warning: " << r.error().message
              << " (the frames before it were deciphered and written)\n";
  }
  if (!out) throw input_error(o.file + ": no capture read");  // on_open was not reached
  out->finish();
  trk.finish();
  eng.finish();
  if (out->skipped > 0)
    std::cerr << "sec5g: warning: " << out->skipped
              << " NAS message(s) left ciphered: their frames were written before the message "
                 "completed (more than "
              << o.max_held_mib << " MiB held; see --max-held-mib)\n";
  if (out->write_error) throw input_error(out->write_error->message);
  if (auto c = w->close(); !c) throw input_error(c.error().message);

  report::summary sum = report::make_summary(trk.stats());
  sum.frames = rs.frames;
  sum.findings = eng.counts();
  auto j = report::to_json(sum);
  j["changed_packets"] = out->changed;
  j["retransmissions_rewritten"] = sink.retransmissions;
  // With -o - the capture is on standard output: the summary goes to standard error.
  (o.output == "-" ? std::cerr : std::cout) << j.dump() << "\n";
  return exit_ok;
}

}  // namespace

void add_decipher_command(CLI::App& app, action& selected) {
  auto o = std::make_shared<decipher_options>();
  CLI::App* sub = app.add_subcommand(
      "decipher", "Write a copy of a capture with every NAS message deciphered in place");
  sub->add_option("FILE", o->file, "pcap / pcapng capture ('-': standard input; read once)")
      ->required();
  sub->add_option("-o", o->output,
                  "output pcapng ('-': standard output; the summary then goes to stderr)")
      ->required();
  add_key_args(*sub, o->key, /*keys_required=*/true);
  sub->add_option("--max-held-mib", o->max_held_mib,
                  "Frames held back while a message split over several frames is reassembled, "
                  "at most (MiB); beyond it the oldest frames are written and such a message "
                  "stays ciphered")
      ->check(CLI::Range(std::size_t{1}, std::size_t{4096}))
      ->capture_default_str();
  sub->callback([o, &selected] { selected = [o] { return run_decipher(*o); }; });
}

}  // namespace sec5g::cli
