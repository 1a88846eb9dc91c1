// capture -> SCTP -> tracker driver.
#include "sec5g/analysis/capture_run.hpp"

#include <time.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>
#include <thread>
#include <vector>

#include "sec5g/capture/reader.hpp"
#include "sec5g/identity/sidf.hpp"

namespace sec5g::analysis {

void endpoint_labels(const sctp::user_message& m, std::string& gnb, std::string& amf) {
  const bool src_is_amf = m.src.port == sctp::ngap_port && m.dst.port != sctp::ngap_port;
  const bool dst_is_amf = m.dst.port == sctp::ngap_port;
  if (src_is_amf) {
    gnb = m.dst.to_string();
    amf = m.src.to_string();
  } else if (dst_is_amf) {
    gnb = m.src.to_string();
    amf = m.dst.to_string();
  } else if (m.dir == sctp::direction::a_to_b) {
    gnb = m.src.to_string();
    amf = m.dst.to_string();
  } else {
    gnb = m.dst.to_string();
    amf = m.src.to_string();
  }
}

packet_meta packet_meta_builder::operator()(const sctp::user_message& m) {
  bool hit = false;
  auto& e = labels_.find(m.association_id, hit);
  if (!hit) endpoint_labels(m, e.gnb, e.amf);
  packet_meta meta;
  meta.frame = m.frame_number;
  meta.time_ns = m.timestamp_ns;
  meta.association = m.association_id;
  meta.gnb = e.gnb;
  meta.amf = e.amf;
  return meta;
}

namespace {

// run_capture_file on a capture already opened.
std::expected<void, capture::capture_error> run_opened(capture::reader& rd,
                                                       sctp::pipeline& pipeline, tracker& trk,
                                                       current_message& cur, run_stats& stats,
                                                       const run_hooks& hooks) {
  if (hooks.on_open) hooks.on_open(rd.link());
  packet_meta_builder make_meta;
  while (true) {
    auto next = rd.next();
    if (!next) return std::unexpected(next.error());
    if (!*next) break;
    const capture::frame& f = **next;
    ++stats.frames;
    cur.frame = &f;
    pipeline.feed(f, [&](const sctp::user_message& m) {
      if (m.retransmission) {
        if (hooks.on_retransmission) {
          cur.msg = &m;
          hooks.on_retransmission(m);
          cur.msg = nullptr;
        }
        return;
      }
      ++stats.ngap_messages;
      packet_meta meta = make_meta(m);
      meta.file = hooks.file_index;
      cur.msg = &m;
      cur.payload_offset = -1;
      const auto* fb = f.data.data();
      const auto* pb = m.payload.data();
      if (!m.reassembled && !m.ip_reassembled && pb >= fb && pb + m.payload.size() <= fb + f.data.size())
        cur.payload_offset = pb - fb;
      trk.on_ngap(meta, m.payload);
      cur.msg = nullptr;
    });
    if (hooks.after_frame) hooks.after_frame(f);
    cur.frame = nullptr;
  }
  return {};
}

}  // namespace

std::expected<void, capture::capture_error> run_capture_file(const std::filesystem::path& file,
                                                              sctp::pipeline& pipeline,
                                                              tracker& trk, current_message& cur,
                                                              run_stats& stats,
                                                              const run_hooks& hooks) {
  auto rd = capture::reader::open(file);
  if (!rd) return std::unexpected(rd.error());
  return run_opened(*rd, pipeline, trk, cur, stats, hooks);
}

namespace {

std::uint64_t thread_cpu_ns() noexcept {
  timespec ts{};
  if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts) != 0) return 0;
  return static_cast<std::uint64_t>(ts.tv_sec) * 1'000'000'000u + static_cast<std::uint64_t>(ts.tv_nsec);
}

/// A batch is handed over early once it holds this many payload bytes (bounds the queue's
/// memory whatever the message sizes).
constexpr std::size_t max_batch_bytes = 1u << 20;

/// One NGAP message copied out of the reader's frame / reassembly buffer.
struct message_record {
  std::uint64_t frame = 0;
  std::int64_t time_ns = 0;
  std::uint32_t association = 0;
  std::uint32_t offset = 0;  ///< of the payload in batch::bytes
  std::uint32_t length = 0;
  /// 1 + the index in batch::new_labels of this association's labels when the tracker side's
  /// endpoint_label_cache does not hold them (the reader mirrors that cache); 0: it does.
  std::uint32_t new_label = 0;
};

struct batch {
  std::vector<message_record> msgs;
  byte_buffer bytes;
  /// Labels the tracker side's cache lacks, referred to by message_record::new_label.
  std::vector<std::pair<std::string, std::string>> new_labels;
  std::uint64_t seq_end = 0;  ///< sequence number after the last message
  void clear() {
    msgs.clear();
    bytes.clear();
    new_labels.clear();
  }
};

/// The bounded hand-over between the reader and the tracker thread: `queue_batches` batches
/// circulate between a free list and a full queue.
struct batch_queue {
  std::mutex mu;
  std::condition_variable not_empty, not_full;
  std::deque<std::unique_ptr<batch>> full, free;
  bool eof = false;    ///< the reader pushed its last batch
  bool abort = false;  ///< the tracker thread stopped (normally or by an exception)
  bool tracker_started = false;  ///< the tracker took its first batch
};

}  // namespace

std::expected<void, capture::capture_error> run_capture_file_parallel(
    const std::filesystem::path& file, sctp::pipeline& pipeline, tracker& trk, run_stats& stats,
    const parallel_options& opt) {
  return run_capture_file_parallel(file, pipeline, [&trk]() -> tracker& { return trk; }, stats,
                                   opt);
}

namespace {

/// The reading side: capture -> SCTP -> batches of NGAP messages (+ SUCI submissions).
class batch_reader {
 public:
  batch_reader(capture::reader& rd, sctp::pipeline& pipeline, suci_prefetch* pf,
               std::uint64_t seq, std::size_t per_batch)
      : rd_(rd), pipeline_(pipeline), pf_(pf), seq_(seq), per_batch_(per_batch),
        announced_(endpoint_label_cache::slots, 0) {}

  /// Appends whole frames' messages to `b` until it holds `per_batch` messages or
  /// max_batch_bytes octets, or the capture ends. Returns false at the end of the capture (or at
  /// a read error, kept in error()); `b` may then still hold messages.
  ///
  /// `whole_sidf_batches` (one thread: the batch's SUCIs are de-concealed before it is tracked):
  /// past `per_batch` messages the batch grows, up to max_batch_messages, until the SUCIs
  /// pending make whole SIDF batches (a multiple of suci_prefetch::work_batch), so that the
  /// eight-lane X25519 runs with its lanes full rather than with the 3 or 4 SUCIs a batch of 256
  /// messages holds on average in steady traffic.
  bool fill(batch& b, bool whole_sidf_batches = false) {
    while (b.bytes.size() < max_batch_bytes && !full(b, whole_sidf_batches)) {
      auto next = rd_.next();
      if (!next) {
        error_ = next.error();
        return finish(b, false);
      }
      if (!*next) return finish(b, false);
      ++frames_;
      pipeline_.feed(**next, [&](const sctp::user_message& m) {
        if (m.retransmission) return;  // the tracker sees every message once
        add(b, m);
      });
    }
    return finish(b, true);
  }

  [[nodiscard]] std::uint64_t frames() const noexcept { return frames_; }
  [[nodiscard]] const std::optional<capture::capture_error>& error() const noexcept {
    return error_;
  }

 private:
  /// Messages of a batch at most with whole_sidf_batches.
  static constexpr std::size_t max_batch_messages = 8192;

  [[nodiscard]] bool full(const batch& b, bool whole_sidf_batches) const {
    if (b.msgs.size() < per_batch_) return false;
    if (!whole_sidf_batches || pf_ == nullptr || b.msgs.size() >= max_batch_messages) return true;
    return pf_->pending() % suci_prefetch::work_batch == 0;
  }

  bool finish(batch& b, bool more) {
    b.seq_end = seq_;
    return more;
  }

  void add(batch& b, const sctp::user_message& m) {
    message_record r;
    // Which association each slot of the tracker side's endpoint_label_cache holds once the
    // messages handed over so far are processed (the same direct mapping, in the same order).
    std::uint64_t& slot = announced_[m.association_id & (endpoint_label_cache::slots - 1)];
    if (slot != std::uint64_t{m.association_id} + 1) {
      slot = std::uint64_t{m.association_id} + 1;
      std::string g, a;
      endpoint_labels(m, g, a);
      b.new_labels.emplace_back(std::move(g), std::move(a));
      r.new_label = static_cast<std::uint32_t>(b.new_labels.size());
    }
    r.frame = m.frame_number;
    r.time_ns = m.timestamp_ns;
    r.association = m.association_id;
    r.offset = static_cast<std::uint32_t>(b.bytes.size());
    r.length = static_cast<std::uint32_t>(m.payload.size());
    b.bytes.insert(b.bytes.end(), m.payload.begin(), m.payload.end());
    b.msgs.push_back(r);
    if (pf_ != nullptr)
      for_each_ecies_suci(m.payload, [&](bytes_view v) { pf_->submit(v, seq_); });
    ++seq_;
  }

  capture::reader& rd_;
  sctp::pipeline& pipeline_;
  suci_prefetch* pf_;
  std::uint64_t seq_;
  std::size_t per_batch_;
  std::vector<std::uint64_t> announced_;
  std::uint64_t frames_ = 0;
  std::optional<capture::capture_error> error_;
};

/// The tracking side: a batch's messages into the tracker, with the endpoint labels the reader
/// announced.
void track_batch(batch& b, endpoint_label_cache& labels, tracker& trk, run_stats& stats,
                 std::uint32_t file_index) {
  for (const message_record& r : b.msgs) {
    bool hit = false;
    auto& l = labels.find(r.association, hit);
    if (r.new_label != 0) {
      l.gnb = std::move(b.new_labels[r.new_label - 1].first);
      l.amf = std::move(b.new_labels[r.new_label - 1].second);
    }
    packet_meta meta;
    meta.frame = r.frame;
    meta.time_ns = r.time_ns;
    meta.association = r.association;
    meta.file = file_index;
    meta.gnb = l.gnb;
    meta.amf = l.amf;
    ++stats.ngap_messages;
    trk.on_ngap(meta, bytes_view(b.bytes).subspan(r.offset, r.length));
  }
}

/// threads == 1 with a SUCI cache: read a batch, de-conceal the SUCIs found in it (eight per
/// SIDF call), track it; all on the calling thread.
std::expected<void, capture::capture_error> run_batched_one_thread(
    capture::reader& rd, sctp::pipeline& pipeline, const std::function<tracker&()>& tracker_of,
    run_stats& stats, const parallel_options& opt) {
  suci_prefetch& pf = *opt.prefetch;
  identity::sidf own(*opt.hn_keys);
  batch_reader br(rd, pipeline, &pf, pf.retired_below(),
                  std::max<std::size_t>(opt.batch_messages, 1));
  const std::uint64_t cpu_start = thread_cpu_ns();
  tracker& trk = tracker_of();
  endpoint_label_cache labels;
  batch b;
  for (bool more = true; more;) {
    b.clear();
    more = br.fill(b, true);
    while (pf.work_one(own)) {
    }
    track_batch(b, labels, trk, stats, opt.file_index);
    pf.retire(b.seq_end);
  }
  stats.frames += br.frames();
  stats.tracker_cpu_ns += thread_cpu_ns() - cpu_start;
  if (br.error()) return std::unexpected(*br.error());
  return {};
}

}  // namespace

std::expected<void, capture::capture_error> run_capture_file_parallel(
    const std::filesystem::path& file, sctp::pipeline& pipeline,
    const std::function<tracker&()>& tracker_of, run_stats& stats, const parallel_options& opt) {
  auto rd = capture::reader::open(file);
  if (!rd) return std::unexpected(rd.error());
  suci_prefetch* pf = opt.hn_keys != nullptr ? opt.prefetch : nullptr;
  if (pf != nullptr) pf->reopen();
  if (opt.threads <= 1) {
    if (pf != nullptr) return run_batched_one_thread(*rd, pipeline, tracker_of, stats, opt);
    current_message cur;
    tracker& trk = tracker_of();
    run_hooks hooks;
    hooks.file_index = opt.file_index;
    const std::uint64_t cpu_start = thread_cpu_ns();
    auto r = run_opened(*rd, pipeline, trk, cur, stats, hooks);
    stats.tracker_cpu_ns += thread_cpu_ns() - cpu_start;
    return r;
  }
  const std::size_t per_batch = std::max<std::size_t>(opt.batch_messages, 1);
  const std::size_t steady = std::max<std::size_t>(opt.steady_batches, 1);
  batch_queue q;
  for (std::size_t i = 0; i < std::max<std::size_t>(opt.queue_batches, 2); ++i)
    q.free.push_back(std::make_unique<batch>());
  const std::uint64_t seq_base = pf != nullptr ? pf->retired_below() : 0;

  std::optional<capture::capture_error> read_error;
  std::uint64_t frames = 0;
  std::uint64_t reader_cpu = 0;
  std::atomic<std::uint64_t> worker_cpu{0};
  const std::uint64_t tracker_cpu_start = thread_cpu_ns();

  // --- the reader thread: capture -> SCTP -> batches (+ SUCI submissions and spare work)
  auto reader_main = [&] {
    struct cpu_clock {
      std::uint64_t& out;
      ~cpu_clock() { out = thread_cpu_ns(); }
    } clock{reader_cpu};
    std::optional<identity::sidf> own;
    if (pf != nullptr) own.emplace(*opt.hn_keys);
    batch_reader br(*rd, pipeline, pf, seq_base, per_batch);
    struct totals {
      batch_reader& br;
      std::uint64_t& frames;
      std::optional<capture::capture_error>& error;
      ~totals() {
        frames = br.frames();
        error = br.error();
      }
    } publish{br, frames, read_error};
    std::unique_ptr<batch> cur;
    auto get_free = [&]() -> bool {
      std::unique_lock lk(q.mu);
      // Once the tracker runs, the reader keeps at most `steady_batches` batches ahead (see
      // parallel_options): the whole queue only while the tracker is being set up.
      auto ahead_enough = [&] {
        return q.free.empty() || (q.tracker_started && q.full.size() >= steady);
      };
      while (ahead_enough() && !q.abort) {
        if (pf != nullptr && pf->has_pending()) {
          lk.unlock();
          pf->work_one(*own);
          lk.lock();
          continue;
        }
        q.not_full.wait(lk);
      }
      if (q.abort) return false;
      cur = std::move(q.free.front());
      q.free.pop_front();
      cur->clear();
      return true;
    };
    for (bool more = true; more;) {
      if (!get_free()) return;
      more = br.fill(*cur);
      {
        std::lock_guard lk(q.mu);
        q.full.push_back(std::move(cur));
        if (!more) q.eof = true;
      }
      q.not_empty.notify_one();
    }
    // Spare time: de-conceal what is still pending until the tracker is done.
    if (pf != nullptr) {
      while (true) {
        {
          std::lock_guard lk(q.mu);
          if (q.abort) break;
        }
        if (!pf->work_one(*own)) break;
      }
    }
  };

  auto worker_main = [&] {
    identity::sidf own(*opt.hn_keys);
    while (pf->work_or_wait(own)) {
    }
    worker_cpu += thread_cpu_ns();
  };

  std::vector<std::thread> threads;
  // Stops and joins the helpers on every exit of this function (exceptions included).
  struct joiner {
    batch_queue& q;
    suci_prefetch* pf;
    std::vector<std::thread>& ts;
    ~joiner() {
      {
        std::lock_guard lk(q.mu);
        q.abort = true;
      }
      q.not_full.notify_all();
      if (pf != nullptr) pf->close();
      for (auto& t : ts)
        if (t.joinable()) t.join();
    }
  } join_all{q, pf, threads};

  threads.emplace_back(reader_main);
  if (pf != nullptr)
    for (unsigned i = 2; i < opt.threads; ++i) threads.emplace_back(worker_main);

  // --- the tracker on this thread
  tracker& trk = tracker_of();
  endpoint_label_cache labels;
  while (true) {
    std::unique_ptr<batch> b;
    bool last = false;
    {
      std::unique_lock lk(q.mu);
      q.not_empty.wait(lk, [&] { return !q.full.empty() || q.eof; });
      if (q.full.empty()) break;
      b = std::move(q.full.front());
      q.full.pop_front();
      q.tracker_started = true;
      last = q.eof && q.full.empty();
    }
    track_batch(*b, labels, trk, stats, opt.file_index);
    if (pf != nullptr) pf->retire(b->seq_end);
    {
      std::lock_guard lk(q.mu);
      q.free.push_back(std::move(b));
    }
    q.not_full.notify_one();
    if (last) break;
  }
  {
    std::lock_guard lk(q.mu);
    q.abort = true;
  }
  q.not_full.notify_all();
  if (pf != nullptr) pf->close();
  for (auto& t : threads) t.join();
  stats.frames += frames;
  stats.tracker_cpu_ns += thread_cpu_ns() - tracker_cpu_start;
  stats.reader_cpu_ns += reader_cpu;
  stats.worker_cpu_ns += worker_cpu.load();
  if (read_error) return std::unexpected(*read_error);
  return {};
}

}  // namespace sec5g::analysis
