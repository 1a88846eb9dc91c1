// Random-mutation fuzzing driver for g++ builds (clang 14 cannot compile the project's C++23:
// its libstdc++ 12 <expected> needs __cpp_concepts >= 202002L). Links with a target's
// LLVMFuzzerTestOneInput and runs it for a time budget under ASan/UBSan on mutated corpus files.
//
// Coverage feedback: when the code under test is compiled with -fsanitize-coverage=trace-pc
// (GCC), every basic block calls __sanitizer_cov_trace_pc, which this driver defines: it hashes
// (previous block, this block) pairs into a 64 KiB edge map, AFL-style with hit-count buckets.
// Inputs that light new map bits join the in-memory corpus (and are saved with -o). Without that
// flag the driver is a plain random mutator.
//
// Usage: fuzzmut_<name> [-t seconds] [-s seed] [-o dir] [-m max_len] corpus_dir_or_file...
// A crash (sanitizer report) saves the input as <dir>/crash-<n> before the process dies.
#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);
extern "C" __attribute__((weak)) void __sanitizer_set_death_callback(void (*)(void));

namespace {

constexpr std::size_t map_size = 1u << 16;
std::uint8_t edge_map[map_size];
std::uintptr_t prev_pc = 0;

std::vector<std::uint8_t> current; // the input being run (saved on a crash)
std::string crash_dir = ".";

__attribute__((no_sanitize_coverage)) void on_death() {
  const std::string path = crash_dir + "/crash-" + std::to_string(std::time(nullptr));
  if (std::FILE* f = std::fopen(path.c_str(), "wb")) {
    std::fwrite(current.data(), 1, current.size(), f);
    std::fclose(f);
    std::fprintf(stderr, "mutate: crashing input saved to %s\n", path.c_str());
  }
}

// UBSan reports do not run the death callback: run with UBSAN_OPTIONS=abort_on_error=1 (and
// ASAN_OPTIONS=abort_on_error=1) so that every report ends in SIGABRT, caught here.
extern "C" __attribute__((no_sanitize_coverage)) void on_abort(int) {
  on_death();
  std::signal(SIGABRT, SIG_DFL);
  std::abort();
}

// The targets' own checks end in __builtin_trap (SIGILL).
extern "C" __attribute__((no_sanitize_coverage)) void on_trap(int) {
  on_death();
  std::signal(SIGILL, SIG_DFL);
  std::raise(SIGILL);
}

__attribute__((no_sanitize_coverage)) std::uint8_t bucket(std::uint8_t n) {
  if (n == 0) return 0;
  if (n == 1) return 1;
  if (n == 2) return 2;
  if (n == 3) return 4;
  if (n < 8) return 8;
  if (n < 16) return 16;
  if (n < 32) return 32;
  if (n < 128) return 64;
  return 128;
}

struct mutator {
  std::mt19937_64 rng;
  std::size_t max_len;

  __attribute__((no_sanitize_coverage)) std::size_t below(std::size_t n) {
    return n == 0 ? 0 : static_cast<std::size_t>(rng() % n);
  }

  __attribute__((no_sanitize_coverage)) void
  mutate(std::vector<std::uint8_t>& d, const std::vector<std::vector<std::uint8_t>>& corpus) {
    static const std::uint32_t interesting[] = {
        0,    1,    2,     3,      4,      7,      8,       12,         16,          0x7f,
        0x80, 0xff, 0x100, 0x7fff, 0x8000, 0xffff, 0x10000, 0x7fffffff, 0x80000000u, 0xffffffffu};
    const std::size_t rounds = 1 + below(8);
    for (std::size_t r = 0; r < rounds; ++r) {
      switch (below(10)) {
      case 0: // flip a bit
        if (!d.empty()) d[below(d.size())] ^= static_cast<std::uint8_t>(1u << below(8));
        break;
      case 1: // random byte
        if (!d.empty()) d[below(d.size())] = static_cast<std::uint8_t>(rng());
        break;
      case 2: // interesting 8/16/32-bit value, big-endian (network order)
        if (!d.empty()) {
          const std::uint32_t v = interesting[below(std::size(interesting))];
          const std::size_t w = std::size_t{1} << below(3);
          const std::size_t at = below(d.size());
          for (std::size_t i = 0; i < w && at + i < d.size(); ++i) {
            d[at + i] = static_cast<std::uint8_t>(v >> (8 * (w - 1 - i)));
          }
        }
        break;
      case 3: // add/subtract a small amount to a byte
        if (!d.empty()) d[below(d.size())] += static_cast<std::uint8_t>(below(33) - 16);
        break;
      case 4: // insert random bytes
        if (d.size() < max_len) {
          const std::size_t n = 1 + below(16);
          const std::size_t at = below(d.size() + 1);
          std::vector<std::uint8_t> ins(n);
          for (auto& b : ins)
            b = static_cast<std::uint8_t>(rng());
          d.insert(d.begin() + static_cast<std::ptrdiff_t>(at), ins.begin(), ins.end());
        }
        break;
      case 5: // delete a range
        if (d.size() > 1) {
          const std::size_t at = below(d.size());
          const std::size_t n = 1 + below(std::min<std::size_t>(d.size() - at, 64));
          d.erase(d.begin() + static_cast<std::ptrdiff_t>(at),
                  d.begin() + static_cast<std::ptrdiff_t>(at + n));
        }
        break;
      case 6: // duplicate a range
        if (!d.empty() && d.size() < max_len) {
          const std::size_t at = below(d.size());
          const std::size_t n = 1 + below(std::min<std::size_t>(d.size() - at, 256));
          std::vector<std::uint8_t> copy(d.begin() + static_cast<std::ptrdiff_t>(at),
                                         d.begin() + static_cast<std::ptrdiff_t>(at + n));
          const std::size_t to = below(d.size() + 1);
          d.insert(d.begin() + static_cast<std::ptrdiff_t>(to), copy.begin(), copy.end());
        }
        break;
      case 7: // splice: a piece of another corpus input
        if (!corpus.empty()) {
          const auto& o = corpus[below(corpus.size())];
          if (!o.empty()) {
            const std::size_t at = below(o.size());
            const std::size_t n = 1 + below(std::min<std::size_t>(o.size() - at, 512));
            const std::size_t to = below(d.size() + 1);
            d.insert(d.begin() + static_cast<std::ptrdiff_t>(to),
                     o.begin() + static_cast<std::ptrdiff_t>(at),
                     o.begin() + static_cast<std::ptrdiff_t>(at + n));
          }
        }
        break;
      case 8: // truncate
        if (!d.empty()) d.resize(below(d.size() + 1));
        break;
      default: // copy a range over another place
        if (d.size() > 2) {
          const std::size_t from = below(d.size());
          const std::size_t to = below(d.size());
          const std::size_t n = 1 + below(std::min(d.size() - from, d.size() - to));
          std::memmove(d.data() + to, d.data() + from, n);
        }
        break;
      }
    }
    if (d.size() > max_len) d.resize(max_len);
  }
};

__attribute__((no_sanitize_coverage)) std::vector<std::uint8_t>
read_file(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::vector<std::uint8_t>((std::istreambuf_iterator<char>(in)),
                                   std::istreambuf_iterator<char>());
}

} // namespace

extern "C" __attribute__((no_sanitize_coverage)) void __sanitizer_cov_trace_pc(void) {
  const auto pc = reinterpret_cast<std::uintptr_t>(__builtin_return_address(0));
  ++edge_map[(pc ^ prev_pc) & (map_size - 1)];
  prev_pc = pc >> 1;
}

__attribute__((no_sanitize_coverage)) int main(int argc, char** argv) {
  double seconds = 60;
  std::uint64_t seed = 1;
  std::size_t max_len = 64 * 1024;
  std::string out_dir;
  std::vector<std::vector<std::uint8_t>> corpus;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "-t" && i + 1 < argc) {
      seconds = std::atof(argv[++i]);
    } else if (a == "-s" && i + 1 < argc) {
      seed = std::strtoull(argv[++i], nullptr, 10);
    } else if (a == "-o" && i + 1 < argc) {
      out_dir = argv[++i];
    } else if (a == "-m" && i + 1 < argc) {
      max_len = std::strtoull(argv[++i], nullptr, 10);
    } else if (std::filesystem::is_directory(a)) {
      for (const auto& e : std::filesystem::recursive_directory_iterator(a)) {
        if (e.is_regular_file()) corpus.push_back(read_file(e.path()));
      }
    } else {
      corpus.push_back(read_file(a));
    }
  }
  if (corpus.empty()) corpus.emplace_back();
  if (!out_dir.empty()) {
    std::filesystem::create_directories(out_dir);
    crash_dir = out_dir;
  }
  if (__sanitizer_set_death_callback != nullptr) __sanitizer_set_death_callback(on_death);
  std::signal(SIGABRT, on_abort);
  std::signal(SIGILL, on_trap);

  std::vector<std::uint8_t> virgin(map_size, 0);
  auto run = [&](const std::vector<std::uint8_t>& in) {
    current = in;
    std::memset(edge_map, 0, sizeof edge_map);
    prev_pc = 0;
    LLVMFuzzerTestOneInput(current.empty() ? nullptr : current.data(), current.size());
    bool fresh = false;
    for (std::size_t i = 0; i < map_size; ++i) {
      if (edge_map[i] == 0) continue;
      const std::uint8_t b = bucket(edge_map[i]);
      if ((virgin[i] | b) != virgin[i]) {
        virgin[i] |= b;
        fresh = true;
      }
    }
    return fresh;
  };
  auto edges = [&] {
    return static_cast<std::size_t>(
        std::count_if(virgin.begin(), virgin.end(), [](std::uint8_t v) { return v != 0; }));
  };

  for (const auto& c : corpus)
    run(c);
  const std::size_t seeds = corpus.size();
  std::fprintf(stderr, "mutate: %zu seeds, %zu edges after replay\n", seeds, edges());

  mutator m{std::mt19937_64(seed), max_len};
  const auto start = std::chrono::steady_clock::now();
  auto last_report = start;
  std::uint64_t execs = 0;
  std::size_t saved = 0;
  for (;;) {
    std::vector<std::uint8_t> d = corpus[m.below(corpus.size())];
    m.mutate(d, corpus);
    if (run(d)) {
      corpus.push_back(d);
      if (!out_dir.empty()) {
        std::ofstream(out_dir + "/new-" + std::to_string(++saved), std::ios::binary)
            .write(reinterpret_cast<const char*>(d.data()), static_cast<std::streamsize>(d.size()));
      }
    }
    ++execs;
    if ((execs & 255) == 0) {
      const auto now = std::chrono::steady_clock::now();
      const double el = std::chrono::duration<double>(now - start).count();
      if (std::chrono::duration<double>(now - last_report).count() > 30) {
        std::fprintf(stderr, "mutate: %.0fs execs=%llu exec/s=%.0f corpus=%zu edges=%zu\n", el,
                     static_cast<unsigned long long>(execs), static_cast<double>(execs) / el,
                     corpus.size(), edges());
        last_report = now;
      }
      if (el >= seconds) break;
    }
  }
  const double el = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::fprintf(stderr,
               "mutate: done: %.0fs execs=%llu exec/s=%.0f seeds=%zu corpus=%zu edges=%zu "
               "crashes=0\n",
               el, static_cast<unsigned long long>(execs), static_cast<double>(execs) / el, seeds,
               corpus.size(), edges());
  return 0;
}
