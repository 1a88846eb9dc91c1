// P-256 base field arithmetic (4x64-bit Montgomery). See p256_field.hpp.
#include "identity/p256_field.hpp"

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define SEC5G_P256_ADX 1
#else
#define SEC5G_P256_ADX 0
#endif

namespace sec5g::identity::detail::p256 {
namespace {

using u64 = std::uint64_t;
__extension__ typedef unsigned __int128 u128;

constexpr u64 p0 = prime[0];
constexpr u64 p1 = prime[1];
constexpr u64 p3 = prime[3];
// R^2 mod p, R = 2^256.
constexpr fe r2 = {0x0000000000000003ull, 0xFFFFFFFBFFFFFFFFull, 0xFFFFFFFFFFFFFFFEull,
                   0x00000004FFFFFFFDull};

// (r + top*2^256) mod p for a value < 2p: subtract p, keep the difference unless it borrowed.
inline fe final_sub(u64 r0, u64 r1, u64 r2_, u64 r3, u64 top) noexcept {
  u128 d = static_cast<u128>(r0) - p0;
  const u64 s0 = static_cast<u64>(d);
  d = static_cast<u128>(r1) - p1 - (static_cast<u64>(d >> 64) & 1);
  const u64 s1 = static_cast<u64>(d);
  d = static_cast<u128>(r2_) - (static_cast<u64>(d >> 64) & 1);
  const u64 s2 = static_cast<u64>(d);
  d = static_cast<u128>(r3) - p3 - (static_cast<u64>(d >> 64) & 1);
  const u64 s3 = static_cast<u64>(d);
  const u64 borrow = static_cast<u64>(d >> 64) & 1;
  // r < p exactly when the subtraction borrowed out of the top word.
  const u64 keep = 0 - (borrow & (top ^ 1));
  return fe{(r0 & keep) | (s0 & ~keep), (r1 & keep) | (s1 & ~keep), (r2_ & keep) | (s2 & ~keep),
            (r3 & keep) | (s3 & ~keep)};
}

// Montgomery reduction of the 512-bit t: t/2^256 mod p. -p^-1 mod 2^64 = 1, so each round's
// multiplier is the low limb m itself; m*p = m*2^256 - m*2^224 + m*2^192 + m*2^96 - m clears the
// low limb and adds m*2^32 one limb up and m*p3 three limbs up. The carry out of each round is
// added in the next one (no carry propagation loop).
inline fe reduce(u64 t0, u64 t1, u64 t2, u64 t3, u64 t4, u64 t5, u64 t6, u64 t7) noexcept {
  u64 carry = 0;
  auto round = [&carry](u64 m, u64& a1, u64& a2, u64& a3, u64& a4) noexcept {
    const u128 mp = static_cast<u128>(m) * p3;
    u128 c = static_cast<u128>(a1) + (m << 32);
    a1 = static_cast<u64>(c);
    c = static_cast<u128>(a2) + (m >> 32) + static_cast<u64>(c >> 64);
    a2 = static_cast<u64>(c);
    c = static_cast<u128>(a3) + static_cast<u64>(mp) + static_cast<u64>(c >> 64);
    a3 = static_cast<u64>(c);
    c = static_cast<u128>(a4) + static_cast<u64>(mp >> 64) + static_cast<u64>(c >> 64) + carry;
    a4 = static_cast<u64>(c);
    carry = static_cast<u64>(c >> 64);
  };
  round(t0, t1, t2, t3, t4);
  round(t1, t2, t3, t4, t5);
  round(t2, t3, t4, t5, t6);
  round(t3, t4, t5, t6, t7);
  return final_sub(t4, t5, t6, t7, carry);
}

}  // namespace

bool from_be(const std::uint8_t (&in)[32], fe& out) noexcept {
  for (int j = 0; j < 4; ++j) {
    u64 v = 0;
    for (int k = 0; k < 8; ++k) v = (v << 8) | in[(3 - j) * 8 + k];
    out[static_cast<std::size_t>(j)] = v;
  }
  // out < p: out - p borrows.
  u128 d = static_cast<u128>(out[0]) - p0;
  d = static_cast<u128>(out[1]) - p1 - (static_cast<u64>(d >> 64) & 1);
  d = static_cast<u128>(out[2]) - (static_cast<u64>(d >> 64) & 1);
  d = static_cast<u128>(out[3]) - p3 - (static_cast<u64>(d >> 64) & 1);
  return (static_cast<u64>(d >> 64) & 1) != 0;
}

void to_be(const fe& a, std::uint8_t (&out)[32]) noexcept {
  for (int j = 0; j < 4; ++j)
    for (int k = 0; k < 8; ++k)
      out[(3 - j) * 8 + k] = static_cast<std::uint8_t>(a[static_cast<std::size_t>(j)] >> (56 - 8 * k));
}

fe mul(const fe& a, const fe& b) noexcept {
  u64 t[8];
  u128 c = static_cast<u128>(a[0]) * b[0];
  t[0] = static_cast<u64>(c);
  c = static_cast<u128>(a[0]) * b[1] + static_cast<u64>(c >> 64);
  t[1] = static_cast<u64>(c);
  c = static_cast<u128>(a[0]) * b[2] + static_cast<u64>(c >> 64);
  t[2] = static_cast<u64>(c);
  c = static_cast<u128>(a[0]) * b[3] + static_cast<u64>(c >> 64);
  t[3] = static_cast<u64>(c);
  t[4] = static_cast<u64>(c >> 64);
  for (int i = 1; i < 4; ++i) {
    c = 0;
    for (int j = 0; j < 4; ++j) {
      c = static_cast<u128>(a[static_cast<std::size_t>(i)]) * b[static_cast<std::size_t>(j)] +
          t[i + j] + static_cast<u64>(c >> 64);
      t[i + j] = static_cast<u64>(c);
    }
    t[i + 4] = static_cast<u64>(c >> 64);
  }
  return reduce(t[0], t[1], t[2], t[3], t[4], t[5], t[6], t[7]);
}

fe sqr(const fe& a) noexcept {
  // Off-diagonal products once, doubled, plus the squares.
  u128 c = static_cast<u128>(a[0]) * a[1];
  u64 t1 = static_cast<u64>(c);
  c = static_cast<u128>(a[0]) * a[2] + static_cast<u64>(c >> 64);
  u64 t2 = static_cast<u64>(c);
  c = static_cast<u128>(a[0]) * a[3] + static_cast<u64>(c >> 64);
  u64 t3 = static_cast<u64>(c);
  u64 t4 = static_cast<u64>(c >> 64);
  c = static_cast<u128>(a[1]) * a[2] + t3;
  t3 = static_cast<u64>(c);
  c = static_cast<u128>(a[1]) * a[3] + t4 + static_cast<u64>(c >> 64);
  t4 = static_cast<u64>(c);
  u64 t5 = static_cast<u64>(c >> 64);
  c = static_cast<u128>(a[2]) * a[3] + t5;
  t5 = static_cast<u64>(c);
  u64 t6 = static_cast<u64>(c >> 64);
  const u64 t7 = t6 >> 63;
  t6 = (t6 << 1) | (t5 >> 63);
  t5 = (t5 << 1) | (t4 >> 63);
  t4 = (t4 << 1) | (t3 >> 63);
  t3 = (t3 << 1) | (t2 >> 63);
  t2 = (t2 << 1) | (t1 >> 63);
  t1 <<= 1;
  u64 r[8];
  u128 d = static_cast<u128>(a[0]) * a[0];
  r[0] = static_cast<u64>(d);
  c = static_cast<u128>(t1) + static_cast<u64>(d >> 64);
  r[1] = static_cast<u64>(c);
  d = static_cast<u128>(a[1]) * a[1];
  c = static_cast<u128>(t2) + static_cast<u64>(d) + static_cast<u64>(c >> 64);
  r[2] = static_cast<u64>(c);
  c = static_cast<u128>(t3) + static_cast<u64>(d >> 64) + static_cast<u64>(c >> 64);
  r[3] = static_cast<u64>(c);
  d = static_cast<u128>(a[2]) * a[2];
  c = static_cast<u128>(t4) + static_cast<u64>(d) + static_cast<u64>(c >> 64);
  r[4] = static_cast<u64>(c);
  c = static_cast<u128>(t5) + static_cast<u64>(d >> 64) + static_cast<u64>(c >> 64);
  r[5] = static_cast<u64>(c);
  d = static_cast<u128>(a[3]) * a[3];
  c = static_cast<u128>(t6) + static_cast<u64>(d) + static_cast<u64>(c >> 64);
  r[6] = static_cast<u64>(c);
  c = static_cast<u128>(t7) + static_cast<u64>(d >> 64) + static_cast<u64>(c >> 64);
  r[7] = static_cast<u64>(c);
  return reduce(r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7]);
}

fe add(const fe& a, const fe& b) noexcept {
  u128 c = static_cast<u128>(a[0]) + b[0];
  const u64 r0 = static_cast<u64>(c);
  c = static_cast<u128>(a[1]) + b[1] + static_cast<u64>(c >> 64);
  const u64 r1 = static_cast<u64>(c);
  c = static_cast<u128>(a[2]) + b[2] + static_cast<u64>(c >> 64);
  const u64 r2_ = static_cast<u64>(c);
  c = static_cast<u128>(a[3]) + b[3] + static_cast<u64>(c >> 64);
  return final_sub(r0, r1, r2_, static_cast<u64>(c), static_cast<u64>(c >> 64));
}

fe sub(const fe& a, const fe& b) noexcept {
  u128 d = static_cast<u128>(a[0]) - b[0];
  const u64 r0 = static_cast<u64>(d);
  d = static_cast<u128>(a[1]) - b[1] - (static_cast<u64>(d >> 64) & 1);
  const u64 r1 = static_cast<u64>(d);
  d = static_cast<u128>(a[2]) - b[2] - (static_cast<u64>(d >> 64) & 1);
  const u64 r2_ = static_cast<u64>(d);
  d = static_cast<u128>(a[3]) - b[3] - (static_cast<u64>(d >> 64) & 1);
  const u64 r3 = static_cast<u64>(d);
  // On a borrow add p back (mask instead of a branch).
  const u64 mask = 0 - (static_cast<u64>(d >> 64) & 1);
  u128 c = static_cast<u128>(r0) + (p0 & mask);
  const u64 s0 = static_cast<u64>(c);
  c = static_cast<u128>(r1) + (p1 & mask) + static_cast<u64>(c >> 64);
  const u64 s1 = static_cast<u64>(c);
  c = static_cast<u128>(r2_) + static_cast<u64>(c >> 64);
  const u64 s2 = static_cast<u64>(c);
  c = static_cast<u128>(r3) + (p3 & mask) + static_cast<u64>(c >> 64);
  return fe{s0, s1, s2, static_cast<u64>(c)};
}

fe to_mont(const fe& a) noexcept { return mul(a, r2); }

#if SEC5G_P256_ADX
namespace {

const u64 k_p1 = p1;
const u64 k_p3 = p3;

// Montgomery product on x86-64 with BMI2 (mulx) and ADX (adcx/adox: two independent carry
// chains). Interleaved rows (CIOS): per word y[i], acc += x*y[i] (low halves on the CF chain,
// high halves on the OF chain), then one reduction step with m = acc[0] (-p^-1 = 1 mod 2^64):
// acc += m*p, i.e. m*2^32 one limb up and m*p3 three limbs up, and the accumulator shifts down
// one limb (the registers rotate instead of moving). Result < 2p, then one subtraction of p
// kept by cmov. Same algorithm as reduce() above; in assembly because g++ 12 turns the 128-bit
// carries of the C version into register spills (square root 6.3 us in C, 3.8 us with this).
[[gnu::always_inline]] inline fe mul_adx(const fe& x, const fe& y) noexcept {
  u64 a0, a1, a2, a3, a4, a5, lo, hi, s;
  asm(
    "movq 0(%[y]), %%rdx\n\t"
    "mulxq 0(%[x]), %[a0], %[a1]\n\t"
    "mulxq 8(%[x]), %[lo], %[a2]\n\t"
    "addq %[lo], %[a1]\n\t"
    "mulxq 16(%[x]), %[lo], %[a3]\n\t"
    "adcq %[lo], %[a2]\n\t"
    "mulxq 24(%[x]), %[lo], %[a4]\n\t"
    "adcq %[lo], %[a3]\n\t"
    "adcq $0, %[a4]\n\t"
    "xorl %k[a5], %k[a5]\n\t"
    "movq %[a0], %%rdx\n\t"
    "mulxq %[p3], %[lo], %[hi]\n\t"
    "movq %[a0], %[s]\n\t"
    "shlq $32, %[s]\n\t"
    "shrq $32, %[a0]\n\t"
    "addq %[s], %[a1]\n\t"
    "adcq %[a0], %[a2]\n\t"
    "adcq %[lo], %[a3]\n\t"
    "adcq %[hi], %[a4]\n\t"
    "adcq $0, %[a5]\n\t"
    "movq 8(%[y]), %%rdx\n\t"
    "xorl %k[a0], %k[a0]\n\t"
    "mulxq 0(%[x]), %[lo], %[hi]\n\t"
    "adcxq %[lo], %[a1]\n\t"
    "adoxq %[hi], %[a2]\n\t"
    "mulxq 8(%[x]), %[lo], %[hi]\n\t"
    "adcxq %[lo], %[a2]\n\t"
    "adoxq %[hi], %[a3]\n\t"
    "mulxq 16(%[x]), %[lo], %[hi]\n\t"
    "adcxq %[lo], %[a3]\n\t"
    "adoxq %[hi], %[a4]\n\t"
    "mulxq 24(%[x]), %[lo], %[hi]\n\t"
    "adcxq %[lo], %[a4]\n\t"
    "adoxq %[hi], %[a5]\n\t"
    "adcxq %[a0], %[a5]\n\t"
    "adoxq %[a0], %[a0]\n\t"
    "adcq $0, %[a0]\n\t"
    "movq %[a1], %%rdx\n\t"
    "mulxq %[p3], %[lo], %[hi]\n\t"
    "movq %[a1], %[s]\n\t"
    "shlq $32, %[s]\n\t"
    "shrq $32, %[a1]\n\t"
    "addq %[s], %[a2]\n\t"
    "adcq %[a1], %[a3]\n\t"
    "adcq %[lo], %[a4]\n\t"
    "adcq %[hi], %[a5]\n\t"
    "adcq $0, %[a0]\n\t"
    "movq 16(%[y]), %%rdx\n\t"
    "xorl %k[a1], %k[a1]\n\t"
    "mulxq 0(%[x]), %[lo], %[hi]\n\t"
    "adcxq %[lo], %[a2]\n\t"
    "adoxq %[hi], %[a3]\n\t"
    "mulxq 8(%[x]), %[lo], %[hi]\n\t"
    "adcxq %[lo], %[a3]\n\t"
    "adoxq %[hi], %[a4]\n\t"
    "mulxq 16(%[x]), %[lo], %[hi]\n\t"
    "adcxq %[lo], %[a4]\n\t"
    "adoxq %[hi], %[a5]\n\t"
    "mulxq 24(%[x]), %[lo], %[hi]\n\t"
    "adcxq %[lo], %[a5]\n\t"
    "adoxq %[hi], %[a0]\n\t"
    "adcxq %[a1], %[a0]\n\t"
    "adoxq %[a1], %[a1]\n\t"
    "adcq $0, %[a1]\n\t"
    "movq %[a2], %%rdx\n\t"
    "mulxq %[p3], %[lo], %[hi]\n\t"
    "movq %[a2], %[s]\n\t"
    "shlq $32, %[s]\n\t"
    "shrq $32, %[a2]\n\t"
    "addq %[s], %[a3]\n\t"
    "adcq %[a2], %[a4]\n\t"
    "adcq %[lo], %[a5]\n\t"
    "adcq %[hi], %[a0]\n\t"
    "adcq $0, %[a1]\n\t"
    "movq 24(%[y]), %%rdx\n\t"
    "xorl %k[a2], %k[a2]\n\t"
    "mulxq 0(%[x]), %[lo], %[hi]\n\t"
    "adcxq %[lo], %[a3]\n\t"
    "adoxq %[hi], %[a4]\n\t"
    "mulxq 8(%[x]), %[lo], %[hi]\n\t"
    "adcxq %[lo], %[a4]\n\t"
    "adoxq %[hi], %[a5]\n\t"
    "mulxq 16(%[x]), %[lo], %[hi]\n\t"
    "adcxq %[lo], %[a5]\n\t"
    "adoxq %[hi], %[a0]\n\t"
    "mulxq 24(%[x]), %[lo], %[hi]\n\t"
    "adcxq %[lo], %[a0]\n\t"
    "adoxq %[hi], %[a1]\n\t"
    "adcxq %[a2], %[a1]\n\t"
    "adoxq %[a2], %[a2]\n\t"
    "adcq $0, %[a2]\n\t"
    "movq %[a3], %%rdx\n\t"
    "mulxq %[p3], %[lo], %[hi]\n\t"
    "movq %[a3], %[s]\n\t"
    "shlq $32, %[s]\n\t"
    "shrq $32, %[a3]\n\t"
    "addq %[s], %[a4]\n\t"
    "adcq %[a3], %[a5]\n\t"
    "adcq %[lo], %[a0]\n\t"
    "adcq %[hi], %[a1]\n\t"
    "adcq $0, %[a2]\n\t"
    "movq %[a4], %[lo]\n\t"
    "movq %[a5], %[hi]\n\t"
    "movq %[a0], %[s]\n\t"
    "movq %[a1], %%rdx\n\t"
    "subq $-1, %[lo]\n\t"
    "sbbq %[p1], %[hi]\n\t"
    "sbbq $0, %[s]\n\t"
    "sbbq %[p3], %%rdx\n\t"
    "sbbq $0, %[a2]\n\t"
    "cmovncq %[lo], %[a4]\n\t"
    "cmovncq %[hi], %[a5]\n\t"
    "cmovncq %[s], %[a0]\n\t"
    "cmovncq %%rdx, %[a1]\n\t"
      : [a0] "=&r"(a0), [a1] "=&r"(a1), [a2] "=&r"(a2), [a3] "=&r"(a3), [a4] "=&r"(a4),
        [a5] "=&r"(a5), [lo] "=&r"(lo), [hi] "=&r"(hi), [s] "=&r"(s)
      : [x] "r"(x.data()), [y] "r"(y.data()), [p1] "m"(k_p1), [p3] "m"(k_p3), "m"(x), "m"(y)
      : "rdx", "cc");
  return fe{a4, a5, a0, a1};
}

// Montgomery square on x86-64 with BMI2/ADX: the 6 cross products once (two carry chains),
// doubled on the CF chain while the 4 squares are added on the OF chain, then the 512-bit
// square is reduced as in reduce() (4 rounds, the carries rippling up to a top word) and p is
// subtracted once, kept by cmov. The limbs of x come in registers (the square-root chain passes
// each result straight on, no store/load), and the registers of x are reused once dead: t0 in
// x0, the shift temporary in x1, the top word in x2, t7 in x3; 13 registers in all. ~25% faster
// than mul_adx(x, x) in the square-root chain, whose 253 dependent squarings are latency-bound.
[[gnu::always_inline]] inline fe sqr_adx(const fe& x) noexcept {
  u64 x0 = x[0], x1 = x[1], x2 = x[2], x3 = x[3], t1, t2, t3, t4, t5, t6, lo, hi;
  asm(
    "movq %[x0], %%rdx\n\t"
    "mulxq %[x1], %[t1], %[t2]\n\t"
    "mulxq %[x2], %[lo], %[t3]\n\t"
    "addq %[lo], %[t2]\n\t"
    "mulxq %[x3], %[lo], %[t4]\n\t"
    "adcq %[lo], %[t3]\n\t"
    "adcq $0, %[t4]\n\t"
    "movq %[x1], %%rdx\n\t"
    "xorl %k[t5], %k[t5]\n\t"
    "mulxq %[x2], %[lo], %[hi]\n\t"
    "adcxq %[lo], %[t3]\n\t"
    "adoxq %[hi], %[t4]\n\t"
    "mulxq %[x3], %[lo], %[hi]\n\t"
    "adcxq %[lo], %[t4]\n\t"
    "adoxq %[hi], %[t5]\n\t"
    "movq %[x2], %%rdx\n\t"
    "mulxq %[x3], %[lo], %[t6]\n\t"
    "adcxq %[lo], %[t5]\n\t"
    "adcq $0, %[t6]\n\t"
    "xorl %k[lo], %k[lo]\n\t"
    "movq %[x0], %%rdx\n\t"
    "mulxq %%rdx, %[x0], %[lo]\n\t"
    "adcxq %[t1], %[t1]\n\t"
    "adoxq %[lo], %[t1]\n\t"
    "movq %[x1], %%rdx\n\t"
    "mulxq %%rdx, %[lo], %[hi]\n\t"
    "adcxq %[t2], %[t2]\n\t"
    "adoxq %[lo], %[t2]\n\t"
    "adcxq %[t3], %[t3]\n\t"
    "adoxq %[hi], %[t3]\n\t"
    "movq %[x2], %%rdx\n\t"
    "mulxq %%rdx, %[lo], %[hi]\n\t"
    "adcxq %[t4], %[t4]\n\t"
    "adoxq %[lo], %[t4]\n\t"
    "adcxq %[t5], %[t5]\n\t"
    "adoxq %[hi], %[t5]\n\t"
    "movq %[x3], %%rdx\n\t"
    "mulxq %%rdx, %[lo], %[hi]\n\t"
    "movl $0, %k[x3]\n\t"
    "adcxq %[t6], %[t6]\n\t"
    "adoxq %[lo], %[t6]\n\t"
    "adcxq %[x3], %[x3]\n\t"
    "adoxq %[hi], %[x3]\n\t"
    "xorl %k[x2], %k[x2]\n\t"
    "movq %[x0], %%rdx\n\t"
    "mulxq %[p3], %[lo], %[hi]\n\t"
    "movq %[x0], %[x1]\n\t"
    "shlq $32, %[x1]\n\t"
    "shrq $32, %[x0]\n\t"
    "addq %[x1], %[t1]\n\t"
    "adcq %[x0], %[t2]\n\t"
    "adcq %[lo], %[t3]\n\t"
    "adcq %[hi], %[t4]\n\t"
    "adcq $0, %[t5]\n\t"
    "adcq $0, %[t6]\n\t"
    "adcq $0, %[x3]\n\t"
    "adcq $0, %[x2]\n\t"
    "movq %[t1], %%rdx\n\t"
    "mulxq %[p3], %[lo], %[hi]\n\t"
    "movq %[t1], %[x1]\n\t"
    "shlq $32, %[x1]\n\t"
    "shrq $32, %[t1]\n\t"
    "addq %[x1], %[t2]\n\t"
    "adcq %[t1], %[t3]\n\t"
    "adcq %[lo], %[t4]\n\t"
    "adcq %[hi], %[t5]\n\t"
    "adcq $0, %[t6]\n\t"
    "adcq $0, %[x3]\n\t"
    "adcq $0, %[x2]\n\t"
    "movq %[t2], %%rdx\n\t"
    "mulxq %[p3], %[lo], %[hi]\n\t"
    "movq %[t2], %[x1]\n\t"
    "shlq $32, %[x1]\n\t"
    "shrq $32, %[t2]\n\t"
    "addq %[x1], %[t3]\n\t"
    "adcq %[t2], %[t4]\n\t"
    "adcq %[lo], %[t5]\n\t"
    "adcq %[hi], %[t6]\n\t"
    "adcq $0, %[x3]\n\t"
    "adcq $0, %[x2]\n\t"
    "movq %[t3], %%rdx\n\t"
    "mulxq %[p3], %[lo], %[hi]\n\t"
    "movq %[t3], %[x1]\n\t"
    "shlq $32, %[x1]\n\t"
    "shrq $32, %[t3]\n\t"
    "addq %[x1], %[t4]\n\t"
    "adcq %[t3], %[t5]\n\t"
    "adcq %[lo], %[t6]\n\t"
    "adcq %[hi], %[x3]\n\t"
    "adcq $0, %[x2]\n\t"
    "movq %[t4], %[lo]\n\t"
    "movq %[t5], %[hi]\n\t"
    "movq %[t6], %[x1]\n\t"
    "movq %[x3], %%rdx\n\t"
    "subq $-1, %[lo]\n\t"
    "sbbq %[p1], %[hi]\n\t"
    "sbbq $0, %[x1]\n\t"
    "sbbq %[p3], %%rdx\n\t"
    "sbbq $0, %[x2]\n\t"
    "cmovncq %[lo], %[t4]\n\t"
    "cmovncq %[hi], %[t5]\n\t"
    "cmovncq %[x1], %[t6]\n\t"
    "cmovncq %%rdx, %[x3]\n\t"
      : [x0] "+&r"(x0), [x1] "+&r"(x1), [x2] "+&r"(x2), [x3] "+&r"(x3), [t1] "=&r"(t1),
        [t2] "=&r"(t2), [t3] "=&r"(t3), [t4] "=&r"(t4), [t5] "=&r"(t5), [t6] "=&r"(t6),
        [lo] "=&r"(lo), [hi] "=&r"(hi)
      : [p1] "m"(k_p1), [p3] "m"(k_p3)
      : "rdx", "cc");
  return fe{t4, t5, t6, x3};
}

}  // namespace
#endif

fe from_mont(const fe& a) noexcept { return reduce(a[0], a[1], a[2], a[3], 0, 0, 0, 0); }

namespace {

// a^((p+1)/4) with the given product and squaring.
// (p+1)/4 = 2^254 - 2^222 + 2^190 + 2^94 = 2^94 * ((2^32-1)*2^128 + 2^96 + 1).
template <fe (*Mul)(const fe&, const fe&) noexcept, fe (*Sqr)(const fe&) noexcept>
fe sqrt_chain(const fe& a) noexcept {
  // Not unrolled: the chain stays ~3 KB of code instead of ~21 KB, which would evict the
  // ECDH code that runs right after from the instruction cache.
  auto sqr_n = [](fe x, int n) noexcept {
#pragma GCC unroll 1
    for (int i = 0; i < n; ++i) x = Sqr(x);
    return x;
  };
  const fe x2 = Mul(Sqr(a), a);              // a^(2^2-1)
  const fe x4 = Mul(sqr_n(x2, 2), x2);       // a^(2^4-1)
  const fe x8 = Mul(sqr_n(x4, 4), x4);       // a^(2^8-1)
  const fe x16 = Mul(sqr_n(x8, 8), x8);      // a^(2^16-1)
  const fe x32 = Mul(sqr_n(x16, 16), x16);   // a^(2^32-1)
  fe t = Mul(sqr_n(x32, 32), a);             // a^((2^32-1)*2^32 + 1)
  t = Mul(sqr_n(t, 96), a);                  // a^((2^32-1)*2^128 + 2^96 + 1)
  return sqr_n(t, 94);
}

}  // namespace

bool adx_available() noexcept {
#if SEC5G_P256_ADX
  static const bool v = __builtin_cpu_supports("bmi2") != 0 && __builtin_cpu_supports("adx") != 0;
  return v;
#else
  return false;
#endif
}

fe mul(const fe& a, const fe& b, impl which) noexcept {
#if SEC5G_P256_ADX
  if (which == impl::adx || (which == impl::automatic && adx_available())) return mul_adx(a, b);
#else
  (void)which;
#endif
  return mul(a, b);
}

fe sqr(const fe& a, impl which) noexcept {
#if SEC5G_P256_ADX
  if (which == impl::adx || (which == impl::automatic && adx_available())) return sqr_adx(a);
#else
  (void)which;
#endif
  return sqr(a);
}

fe sqrt_candidate(const fe& a, impl which) noexcept {
#if SEC5G_P256_ADX
  if (which == impl::adx || (which == impl::automatic && adx_available()))
    return sqrt_chain<mul_adx, sqr_adx>(a);
#else
  (void)which;
#endif
  return sqrt_chain<mul, sqr>(a);
}

}  // namespace sec5g::identity::detail::p256
