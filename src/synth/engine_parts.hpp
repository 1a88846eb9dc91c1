#pragma once
// Home-network key and SUCI concealment of the synthesizer (deterministic from the seed).

#include <cstdint>
#include <expected>
#include <string_view>

#include "sec5g/core/bytes.hpp"
#include "sec5g/synth/synth.hpp"
#include "synth/rng.hpp"

namespace sec5g::synth::detail {

/// The ECIES profile whose home-network key the run uses: the --profile, or profile A when the
/// scenario needs concealed SUCIs anyway (suci-replay, mixed) under --profile null; null when
/// no key is needed.
suci_profile hn_profile(const options& opt) noexcept;
/// True when hn_profile() is A or B.
inline bool needs_hn_key(const options& opt) noexcept {
  return hn_profile(opt) != suci_profile::null_scheme;
}
/// The home-network private key (32 octets; X25519 scalar or P-256 scalar), from the seed.
secret<32> hn_private_key(const options& opt) noexcept;
/// Its public key (A: 32 octets, B: 33-octet compressed point).
std::expected<byte_buffer, synth_error> hn_public_key(const options& opt);

/// The 5GS mobile identity value of the SUCI of IMSI 00101<msin> under `profile`, with a fresh
/// ephemeral key drawn from `r`. Ref: TS 33.501 C.3, TS 24.501 9.11.3.4.
std::expected<byte_buffer, synth_error> conceal_suci(std::string_view msin, suci_profile profile,
                                                     std::uint8_t key_id, bytes_view hn_public,
                                                     rng& r);

}  // namespace sec5g::synth::detail
