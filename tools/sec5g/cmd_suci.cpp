// `sec5g suci keygen|conceal|deconceal|parse`: SUCI concealment and the SIDF.
// Ref: TS 33.501 6.12.2, Annex C; TS 23.003 2.2B, 28.7.3; TS 29.503 Annex C.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <span>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "key_args.hpp"
#include "sec5g/identity/sidf.hpp"
#include "sec5g/identity/suci.hpp"

namespace sec5g::cli {
namespace {

using namespace sec5g::identity;

protection_scheme parse_profile(std::string_view option, std::string_view text, bool allow_null) {
  if (allow_null && (text == "null" || text == "0")) return protection_scheme::null_scheme;
  if (text == "A" || text == "a" || text == "1") return protection_scheme::profile_a;
  if (text == "B" || text == "b" || text == "2") return protection_scheme::profile_b;
  throw usage_error(fmt::format("{}: '{}' is not {}", option, text, allow_null ? "null, A or B" : "A or B"));
}

// MNC length when --mnc-digits is not given: 3 for the North American MCCs whose MNCs all have
// 3 digits (302 Canada, 310-316 USA), 2 otherwise (TS 23.003 2.2: 2 or 3 digits, fixed per MCC
// by the national numbering plan; the UE reads it from EF_AD on the USIM).
std::uint8_t default_mnc_digits(std::string_view imsi) {
  const std::string_view mcc = imsi.substr(0, 3);
  if (mcc == "302" || (mcc >= "310" && mcc <= "316")) return 3;
  return 2;
}

// --- keygen -------------------------------------------------------------------------------

struct keygen_options {
  std::string profile;
  std::string output;
};

int run_keygen(const keygen_options& o) {
  const auto profile = parse_profile("--profile", o.profile, false);
  auto key = generate_hn_key(profile);
  if (!key) throw input_error(describe(key.error()));
  // The private key only ever goes to this file, created with mode 0600.
  const int fd = ::open(o.output.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) throw input_error(fmt::format("{}: cannot create: {}", o.output, std::strerror(errno)));
  bool ok = ::fchmod(fd, 0600) == 0;
  const bytes_view pem = key->pem.view();
  std::size_t done = 0;
  while (ok && done < pem.size()) {
    const ssize_t n = ::write(fd, pem.data() + done, pem.size() - done);
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) done += static_cast<std::size_t>(n);
  }
  ok = (::close(fd) == 0) && ok;
  if (!ok) throw input_error(fmt::format("{}: write failed", o.output));
  std::cout << to_hex(key->public_key) << "\n";
  return exit_ok;
}

// --- conceal ------------------------------------------------------------------------------

struct conceal_cli_options {
  std::string supi;
  std::string profile;
  std::string hn_pub;
  std::string hn_key_id;
  std::string routing = "0000";
  std::string eph_priv;
  std::string mnc_digits;
  std::string supi_format = "nsi";
  std::string form = "udm";
};

int run_conceal(const conceal_cli_options& o) {
  auto s = parse_supi(o.supi);
  if (!s) throw usage_error(fmt::format("--supi: {}", describe(s.error())));
  if (s->type == supi_type::imsi) {
    s->mnc_digits = o.mnc_digits.empty()
                        ? default_mnc_digits(s->value)
                        : static_cast<std::uint8_t>(parse_uint("--mnc-digits", o.mnc_digits, 2, 3));
  }
  conceal_options opt;
  opt.scheme = parse_profile("--profile", o.profile, true);
  if (!opt.routing.assign(o.routing) || opt.routing.empty())
    throw usage_error("--routing-indicator: 1 to 4 decimal digits");
  if (o.supi_format == "nsi") opt.nai_format = supi_format::network_specific;
  else if (o.supi_format == "gci") opt.nai_format = supi_format::gci;
  else if (o.supi_format == "gli") opt.nai_format = supi_format::gli;
  else throw usage_error("--supi-format: nsi, gci or gli");
  byte_buffer hn_pub;
  secret<32> eph;
  if (opt.scheme != protection_scheme::null_scheme) {
    if (o.hn_pub.empty()) throw usage_error("--hn-pub is required for profiles A and B");
    hn_pub = parse_hex("--hn-pub", o.hn_pub);
    opt.hn_public_key = hn_pub;
    opt.hn_public_key_id = static_cast<std::uint8_t>(
        o.hn_key_id.empty() ? 1 : parse_uint("--hn-key-id", o.hn_key_id, 0, 255));
    if (!o.eph_priv.empty()) {
      eph = parse_hex_secret<32>("--eph-priv", o.eph_priv);
      opt.eph_private_key = eph.view();
    }
  } else if (!o.hn_pub.empty() || !o.eph_priv.empty()) {
    throw usage_error("--hn-pub / --eph-priv make no sense with the null scheme");
  }
  auto out = conceal(*s, opt);
  if (!out) {
    if (out.error().code == suci_errc::bad_public_key) throw usage_error(describe(out.error()));
    throw input_error(describe(out.error()));
  }
  if (o.form == "udm") {
    std::cout << to_udm_string(*out) << "\n";
  } else if (o.form == "nai") {
    auto n = to_nai(*out);
    if (!n) throw input_error(describe(n.error()));
    std::cout << *n << "\n";
  } else if (o.form == "nas") {
    byte_buffer nas;
    if (auto r = encode_suci(*out, nas); !r) throw input_error(describe(r.error()));
    std::cout << to_hex(nas) << "\n";
  } else {
    throw usage_error("--form: udm, nai or nas");
  }
  return exit_ok;
}

// --- deconceal ----------------------------------------------------------------------------

struct deconceal_cli_options {
  std::vector<std::string> hn_keys;
  std::string hn_priv;
  std::string profile;
  std::string threads = "1";
  std::string suci;
};

hn_key_store load_keys(const deconceal_cli_options& o) {
  hn_key_store store;
  if (!o.hn_priv.empty()) {
    if (o.profile.empty()) throw usage_error("--hn-priv needs --profile A|B");
    const auto profile = parse_profile("--profile", o.profile, false);
    auto priv = parse_hex_secret<32>("--hn-priv", o.hn_priv);
    if (auto r = store.add_raw(std::nullopt, profile, priv.view()); !r)
      throw usage_error(fmt::format("--hn-priv: {}", describe(r.error())));
  }
  load_hn_keys(o.hn_keys, store);
  if (store.size() == 0) throw usage_error("give --hn-key ID:FILE.pem (repeatable) or --hn-priv HEX --profile A|B");
  return store;
}

// Results of lines [lo, hi): SUPI or "error: ...". Eight SUCIs per SIDF call, so that Profile A
// SUCIs take the eight-lane X25519 where the CPU has it (sidf::deconceal_batch).
void deconceal_lines(sidf& engine, const std::vector<std::string>& lines, std::size_t lo,
                     std::size_t hi, std::vector<std::string>& results) {
  constexpr std::size_t group = 8;
  std::array<suci, group> parsed;
  std::array<const suci*, group> in{};
  std::array<std::size_t, group> line_of{};
  std::array<std::expected<supi, suci_error>, group> out;
  for (std::size_t first = lo; first < hi; first += group) {
    std::size_t n = 0;
    for (std::size_t i = first; i < std::min(hi, first + group); ++i) {
      std::string_view line = lines[i];
      while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t'))
        line.remove_suffix(1);
      while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
      if (line.empty()) {
        results[i] = "error: empty line";
        continue;
      }
      auto s = parse_suci(line);
      if (!s) {
        results[i] = "error: " + describe(s.error());
        continue;
      }
      parsed[n] = std::move(*s);
      in[n] = &parsed[n];
      line_of[n++] = i;
    }
    engine.deconceal_batch(std::span(in).first(n), std::span(out).first(n));
    for (std::size_t j = 0; j < n; ++j)
      results[line_of[j]] = out[j] ? to_string(*out[j]) : "error: " + describe(out[j].error());
  }
}

int run_batch(const hn_key_store& keys, unsigned threads) {
  constexpr std::size_t chunk = 8192;
  std::vector<std::unique_ptr<sidf>> engines;
  for (unsigned t = 0; t < threads; ++t) engines.push_back(std::make_unique<sidf>(keys));
  std::vector<std::string> lines;
  std::vector<std::string> results;
  std::size_t total = 0;
  std::size_t failed = 0;
  char* buf = nullptr;
  std::size_t cap = 0;
  bool eof = false;
  while (!eof) {
    lines.clear();
    while (lines.size() < chunk) {
      const ssize_t n = ::getline(&buf, &cap, stdin);
      if (n < 0) {
        eof = true;
        break;
      }
      std::size_t len = static_cast<std::size_t>(n);
      if (len > 0 && buf[len - 1] == '\n') --len;
      lines.emplace_back(buf, len);
    }
    if (lines.empty()) break;
    results.assign(lines.size(), std::string());
    const std::size_t per = (lines.size() + threads - 1) / threads;
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < threads; ++t) {
      const std::size_t lo = std::min(lines.size(), per * t);
      const std::size_t hi = std::min(lines.size(), lo + per);
      pool.emplace_back([&, t, lo, hi] { deconceal_lines(*engines[t], lines, lo, hi, results); });
    }
    deconceal_lines(*engines[0], lines, 0, std::min(lines.size(), per), results);
    for (auto& th : pool) th.join();
    std::string out;
    out.reserve(lines.size() * 24);
    for (const auto& r : results) {
      if (r.starts_with("error: ")) ++failed;
      out += r;
      out += '\n';
    }
    std::fwrite(out.data(), 1, out.size(), stdout);
    total += lines.size();
  }
  std::free(buf);
  std::fflush(stdout);
  if (failed > 0) std::cerr << fmt::format("sec5g: {} of {} SUCIs failed\n", failed, total);
  return exit_ok;
}

int run_deconceal(const deconceal_cli_options& o) {
  const auto threads = static_cast<unsigned>(parse_uint("--threads", o.threads, 1, 256));
  const hn_key_store keys = load_keys(o);
  if (o.suci == "-") return run_batch(keys, threads);
  auto s = parse_suci(o.suci);
  if (!s) throw input_error(describe(s.error()));
  sidf engine(keys);
  auto r = engine.deconceal(*s);
  if (!r) throw input_error(describe(r.error()));
  std::cout << to_string(*r) << "\n";
  return exit_ok;
}

// --- parse --------------------------------------------------------------------------------

int run_parse(const std::string& text) {
  auto s = parse_suci(text);
  if (!s) throw input_error(describe(s.error()));
  nlohmann::ordered_json j;
  j["supi_type"] = static_cast<int>(s->format);
  if (s->format == supi_format::imsi) {
    j["mcc"] = std::string(s->plmn.mcc.view());
    j["mnc"] = std::string(s->plmn.mnc.view());
  } else {
    j["home_network_identifier"] = s->home_network_identifier;
  }
  j["routing_indicator"] = std::string(s->routing.view());
  j["protection_scheme_id"] = s->protection_scheme_id;
  j["hn_public_key_id"] = s->hn_public_key_id;
  std::string out;
  if (s->protection_scheme_id != 0) {
    out = to_hex(s->scheme_output);
  } else if (s->format == supi_format::imsi) {
    unpack_bcd(s->scheme_output, out);
  } else {
    out.assign(s->scheme_output.begin(), s->scheme_output.end());
  }
  j["scheme_output"] = out;
  std::cout << j.dump() << "\n";
  return exit_ok;
}

}  // namespace

void add_suci_command(CLI::App& app, action& selected) {
  auto* suci_cmd = app.add_subcommand(
      "suci", "SUCI concealment and SIDF de-concealment (TS 33.501 Annex C; null, Profile A, B)");
  suci_cmd->require_subcommand(1);

  auto ko = std::make_shared<keygen_options>();
  auto* kg = suci_cmd->add_subcommand(
      "keygen", "Generate a home-network key pair: private key PEM to FILE (mode 0600), public key hex to stdout");
  kg->add_option("--profile", ko->profile, "A (X25519, PKCS#8) or B (secp256r1, EC PRIVATE KEY)")->required();
  kg->add_option("-o,--output", ko->output, "Private key file to write")->required();
  kg->callback([ko, &selected] { selected = [ko] { return run_keygen(*ko); }; });

  auto co = std::make_shared<conceal_cli_options>();
  auto* cc = suci_cmd->add_subcommand("conceal", "Conceal a SUPI into a SUCI (UE side); prints the UDM string form");
  cc->add_option("--supi", co->supi, "imsi-DIGITS or nai-USER@REALM")->required();
  cc->add_option("--profile", co->profile, "null, A or B")->required();
  cc->add_option("--hn-pub", co->hn_pub, "Home network public key hex (A: 32 octets; B: 33 compressed or 65)");
  cc->add_option("--hn-key-id", co->hn_key_id, "Home network public key id 0..255 (default 1; 0 for null)");
  cc->add_option("--routing-indicator", co->routing, "Routing indicator, 1-4 digits (default 0000)");
  cc->add_option("--eph-priv", co->eph_priv, "Fixed ephemeral private key hex, for tests only (default: fresh random)");
  cc->add_option("--mnc-digits", co->mnc_digits,
                 "MNC length of an imsi SUPI, 2 or 3. Default: 3 for MCC 302 and 310-316, else 2");
  cc->add_option("--supi-format", co->supi_format, "SUPI type of a nai SUPI: nsi (default), gci or gli");
  cc->add_option("--form", co->form, "Output: udm (suci-..., default), nai (type...@realm) or nas (IE value hex)");
  cc->callback([co, &selected] { selected = [co] { return run_conceal(*co); }; });

  auto dopt = std::make_shared<deconceal_cli_options>();
  auto* dc = suci_cmd->add_subcommand(
      "deconceal",
      "De-conceal SUCIs into SUPIs (the SIDF). SUCI '-' = batch: one SUCI per stdin line, one SUPI or "
      "'error: REASON' per output line, in order");
  dc->add_option("--hn-key", dopt->hn_keys, "ID:FILE.pem home network private key (repeatable)");
  dc->add_option("--hn-priv", dopt->hn_priv, "Raw home network private key hex (32 octets), with --profile");
  dc->add_option("--profile", dopt->profile, "A or B, for --hn-priv");
  dc->add_option("--threads", dopt->threads, "Worker threads for batch mode (default 1)");
  dc->add_option("suci", dopt->suci, "SUCI (UDM string or NAI form), or - for stdin")->required();
  dc->callback([dopt, &selected] { selected = [dopt] { return run_deconceal(*dopt); }; });

  auto text = std::make_shared<std::string>();
  auto* pc = suci_cmd->add_subcommand("parse", "Parse a SUCI (UDM string or NAI form) and print its fields as JSON");
  pc->add_option("suci", *text, "SUCI")->required();
  pc->callback([text, &selected] { selected = [text] { return run_parse(*text); }; });
}

}  // namespace sec5g::cli
