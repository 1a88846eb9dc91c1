#include "sec5g/synth/file_sink.hpp"

#include "sec5g/capture/pcapng_writer.hpp"

namespace sec5g::synth {

struct file_sink::impl {
  std::optional<capture::pcapng_writer> pcap;
  std::FILE* keys = nullptr;
  std::FILE* truth = nullptr;
  std::string keys_path;
  std::string truth_path;
  std::optional<std::string> error;

  void fail(std::string msg) {
    if (!error) error = std::move(msg);
  }
};

file_sink::file_sink() : impl_(std::make_unique<impl>()) {}

file_sink::~file_sink() { (void)close(); }

std::expected<std::unique_ptr<file_sink>, synth_error> file_sink::create(
    const std::string& pcapng_path, const std::optional<std::string>& keys_path,
    const std::optional<std::string>& truth_path) {
  std::unique_ptr<file_sink> s(new file_sink());
  auto w = capture::pcapng_writer::create(pcapng_path, capture::link_type::ethernet);
  if (!w) return std::unexpected(synth_error{w.error().message});
  s->impl_->pcap.emplace(std::move(*w));
  if (keys_path) {
    s->impl_->keys = std::fopen(keys_path->c_str(), "wb");
    if (s->impl_->keys == nullptr) {
      return std::unexpected(synth_error{*keys_path + ": cannot create the key file"});
    }
    s->impl_->keys_path = *keys_path;
    std::fputs("supi,k,opc\n", s->impl_->keys);
  }
  if (truth_path) {
    s->impl_->truth = std::fopen(truth_path->c_str(), "wb");
    if (s->impl_->truth == nullptr) {
      return std::unexpected(synth_error{*truth_path + ": cannot create the truth file"});
    }
    s->impl_->truth_path = *truth_path;
  }
  return s;
}

void file_sink::on_frame(std::int64_t time_ns, bytes_view frame, std::string_view comment) {
  if (!impl_->pcap) return;
  auto r = impl_->pcap->write(time_ns, frame, comment);
  if (!r) impl_->fail(r.error().message);
}

void file_sink::on_subscriber(const subscriber& s) {
  if (impl_->keys == nullptr) return;
  if (std::fprintf(impl_->keys, "%s,%s,%s\n", s.supi.c_str(), s.k_hex.c_str(),
                   s.opc_hex.c_str()) < 0) {
    impl_->fail(impl_->keys_path + ": write failed");
  }
}

void file_sink::on_truth(const truth_finding& f) {
  if (impl_->truth == nullptr) return;
  const std::string line = to_json_line(f);
  if (std::fprintf(impl_->truth, "%s\n", line.c_str()) < 0) {
    impl_->fail(impl_->truth_path + ": write failed");
  }
}

std::expected<void, synth_error> file_sink::close() {
  if (impl_->pcap) {
    auto r = impl_->pcap->close();
    if (!r) impl_->fail(r.error().message);
    impl_->pcap.reset();
  }
  if (impl_->keys != nullptr) {
    if (std::fclose(impl_->keys) != 0) impl_->fail(impl_->keys_path + ": close failed");
    impl_->keys = nullptr;
  }
  if (impl_->truth != nullptr) {
    if (std::fclose(impl_->truth) != 0) impl_->fail(impl_->truth_path + ": close failed");
    impl_->truth = nullptr;
  }
  if (impl_->error) return std::unexpected(synth_error{*impl_->error});
  return {};
}

}  // namespace sec5g::synth
