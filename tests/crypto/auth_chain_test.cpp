// The 5G-AKA chain and the typed Annex A / AUTN / AUTS / EAP-AKA' API: consistency with the
// generic KDF and with the kdf.json vectors where they overlap, error paths, negative twins.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sec5g/core/hex.hpp"
#include "sec5g/crypto/eap_aka_prime.hpp"
#include "sec5g/crypto/kdf.hpp"
#include "sec5g/crypto/keccak.hpp"
#include "sec5g/crypto/key_hierarchy.hpp"
#include "sec5g/crypto/milenage.hpp"
#include "sec5g/crypto/tuak.hpp"

namespace {

using namespace sec5g;
using namespace sec5g::crypto;
using nlohmann::json;

template <std::size_t N>
byte_array<N> hx(std::string_view s) {
  byte_array<N> a{};
  EXPECT_TRUE(from_hex_into(s, a)) << s;
  return a;
}

bytes_view txt(std::string_view s) { return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()}; }

json kdf_vector(const std::string& id) {
  std::ifstream in(std::string(SEC5G_VECTORS_DIR) + "/kdf.json");
  for (const auto& e : json::parse(in))
    if (e["id"] == id) return e;
  ADD_FAILURE() << id;
  return json::object();
}

// MILENAGE TS 35.208 test set 1 and the demo's serving network.
const auto k1 = hx<16>("465b5ce8b199b49faa5f0a2ee238a6bc");
const auto opc1 = hx<16>("cd63cb71954a9f4e48a5994e37a02baf");
const auto rand1 = hx<16>("23553cbe9637a89d218ae64dae47bf35");
const auto sqn1 = hx<6>("ff9bb4d0b607");
const auto amf1 = hx<2>("b9b9");
constexpr std::string_view snn = "5G:mnc093.mcc208.3gppnetwork.org";
constexpr std::string_view supi = "imsi-208930000000001";

TEST(Aka5gChain, EachStepEqualsTheGenericKdfWithTheClauseParameters) {
  auto m = milenage::create(k1, opc1);
  ASSERT_TRUE(m);
  aka_5g_params p{snn, supi};
  auto k = derive_5g_aka(*m, rand1, sqn1, amf1, p);
  ASSERT_TRUE(k);
  EXPECT_EQ(to_hex(k->ck.view()), "b40ba9a3c58b2a05bbf0d987b21bf8cb");
  EXPECT_EQ(to_hex(k->ik.view()), "f769bcd751044604127672711c6d3441");
  EXPECT_EQ(to_hex(k->res.view()), "a54211d5e3ba50bf");
  EXPECT_EQ(to_hex(k->autn), "55f328b43577b9b94a9ffac354dfafb3");  // (SQN^AK)||AMF||MAC-A

  std::vector<std::uint8_t> ckik(k->ck.view().begin(), k->ck.view().end());
  ckik.insert(ckik.end(), k->ik.view().begin(), k->ik.view().end());
  const auto sqn_xor_ak = hx<6>("55f328b43577");
  auto k_ausf = kdf(ckik, 0x6A, {txt(snn), bytes_view(sqn_xor_ak)});
  ASSERT_TRUE(k_ausf);
  EXPECT_TRUE(k->k_ausf.equals(k_ausf->view()));
  auto res_star = kdf(ckik, 0x6B, {txt(snn), bytes_view(rand1), k->res.view()});
  ASSERT_TRUE(res_star);
  EXPECT_TRUE(k->res_star.equals(res_star->view().subspan(16)));
  std::vector<std::uint8_t> rr(rand1.begin(), rand1.end());
  rr.insert(rr.end(), k->res_star.view().begin(), k->res_star.view().end());
  auto h = sha256(rr);
  ASSERT_TRUE(h);
  EXPECT_TRUE(std::equal(k->hxres_star.begin(), k->hxres_star.end(), h->begin() + 16));
  auto k_seaf = kdf(k->k_ausf.view(), 0x6C, {txt(snn)});
  ASSERT_TRUE(k_seaf);
  EXPECT_TRUE(k->k_seaf.equals(k_seaf->view()));
  const std::uint8_t abba[2] = {0, 0};
  auto k_amf = kdf(k->k_seaf.view(), 0x6D, {txt("208930000000001"), bytes_view(abba, 2)});
  ASSERT_TRUE(k_amf);
  EXPECT_TRUE(k->k_amf.equals(k_amf->view()));
  const std::uint8_t enc[2] = {1, 2}, integ[2] = {2, 2};
  auto nas_enc = kdf(k->k_amf.view(), 0x69, {bytes_view(enc, 1), bytes_view(enc + 1, 1)});
  auto nas_int = kdf(k->k_amf.view(), 0x69, {bytes_view(integ, 1), bytes_view(integ + 1, 1)});
  ASSERT_TRUE(nas_enc && nas_int);
  EXPECT_TRUE(k->k_nas_enc.equals(nas_enc->view().subspan(16)));
  EXPECT_TRUE(k->k_nas_int.equals(nas_int->view().subspan(16)));
  const std::uint8_t count[4] = {0, 0, 0, 0}, access[1] = {1};
  auto k_gnb = kdf(k->k_amf.view(), 0x6E, {bytes_view(count, 4), bytes_view(access, 1)});
  ASSERT_TRUE(k_gnb);
  EXPECT_TRUE(k->k_gnb.equals(k_gnb->view()));

  // The serving-network half from K_AUSF gives the same keys.
  auto s = derive_from_k_ausf(k->k_ausf.view(), p);
  ASSERT_TRUE(s);
  EXPECT_TRUE(s->k_gnb.equals(k->k_gnb.view()));
  EXPECT_TRUE(s->k_nas_int.equals(k->k_nas_int.view()));
}

TEST(Aka5gChain, ChainFromKAusfEqualsTheKdfVectorsWhereTheyOverlap) {
  const json kseaf = kdf_vector("kdf-5g-kseaf");
  const json kamf = kdf_vector("kdf-5g-kamf-1");
  ASSERT_EQ(kamf["key"], kseaf["output"]);  // the two vectors are consecutive links
  const auto k_ausf = hx<32>(kseaf["key"].get<std::string>());
  aka_5g_params p{kseaf["params"][0]["ascii"].get<std::string>(),
                  "imsi-" + kamf["params"][0]["ascii"].get<std::string>()};
  // params holds string_views: keep the strings alive.
  const std::string snn_s = kseaf["params"][0]["ascii"].get<std::string>();
  const std::string supi_s = "imsi-" + kamf["params"][0]["ascii"].get<std::string>();
  p.serving_network_name = snn_s;
  p.supi = supi_s;
  auto k = derive_from_k_ausf(k_ausf, p);
  ASSERT_TRUE(k);
  EXPECT_EQ(to_hex(k->k_seaf.view()), kseaf["output"].get<std::string>());
  EXPECT_EQ(to_hex(k->k_amf.view()), kamf["output"].get<std::string>());

  // NAS keys and K_gNB from the K_AMF of the 5G vectors.
  const json enc = kdf_vector("kdf-5g-knasenc");
  const json integ = kdf_vector("kdf-5g-knasint");
  const auto k_amf = hx<32>(enc["key"].get<std::string>());
  auto e = derive_algorithm_key(k_amf, algorithm_type::nas_enc, 0);
  auto i = derive_algorithm_key(k_amf, algorithm_type::nas_int, 2);
  ASSERT_TRUE(e && i);
  EXPECT_EQ(to_hex(e->view()), enc["output_used"].get<std::string>());
  EXPECT_EQ(to_hex(i->view()), integ["output_used"].get<std::string>());
  const json gnb = kdf_vector("kdf-5g-kgnb");
  auto g = derive_k_gnb(hx<32>(gnb["key"].get<std::string>()), 0);
  ASSERT_TRUE(g);
  EXPECT_EQ(to_hex(g->view()), gnb["output"].get<std::string>());
  // Negative twin: another uplink NAS COUNT gives another K_gNB.
  auto g1 = derive_k_gnb(hx<32>(gnb["key"].get<std::string>()), 1);
  ASSERT_TRUE(g1);
  EXPECT_NE(to_hex(g1->view()), gnb["output"].get<std::string>());
}

TEST(Aka5gChain, ParametersChangeTheKeysTheyShould) {
  auto m = milenage::create(k1, opc1);
  ASSERT_TRUE(m);
  aka_5g_params p{snn, supi};
  auto base = derive_5g_aka(*m, rand1, sqn1, amf1, p);
  aka_5g_params q = p;
  const std::uint8_t abba[2] = {0, 1};
  q.abba = bytes_view(abba, 2);
  auto other_abba = derive_5g_aka(*m, rand1, sqn1, amf1, q);
  ASSERT_TRUE(base && other_abba);
  EXPECT_TRUE(other_abba->k_seaf.equals(base->k_seaf.view()));
  EXPECT_FALSE(other_abba->k_amf.equals(base->k_amf.view()));
  q = p;
  q.nas_enc_alg = 1;
  auto other_alg = derive_5g_aka(*m, rand1, sqn1, amf1, q);
  ASSERT_TRUE(other_alg);
  EXPECT_FALSE(other_alg->k_nas_enc.equals(base->k_nas_enc.view()));
  EXPECT_TRUE(other_alg->k_nas_int.equals(base->k_nas_int.view()));
  q = p;
  q.uplink_nas_count = 7;
  auto other_count = derive_5g_aka(*m, rand1, sqn1, amf1, q);
  ASSERT_TRUE(other_count);
  EXPECT_FALSE(other_count->k_gnb.equals(base->k_gnb.view()));
  q = p;
  q.nas_int_alg = 16;
  EXPECT_EQ(derive_5g_aka(*m, rand1, sqn1, amf1, q).error().code, auth_errc::bad_parameter);
}

TEST(Autn, CheckFindsSqnAndRejectsFlippedBits) {
  auto m = milenage::create(k1, opc1);
  ASSERT_TRUE(m);
  const auto autn = hx<16>("55f328b43577b9b94a9ffac354dfafb3");
  auto c = check_autn(*m, rand1, autn);
  ASSERT_TRUE(c);
  EXPECT_TRUE(c->mac_ok);
  EXPECT_EQ(c->sqn, sqn1);
  EXPECT_EQ(c->amf, amf1);
  for (std::size_t bit = 0; bit < 128; bit += 9) {
    auto bad = autn;
    bad[bit / 8] ^= static_cast<std::uint8_t>(1u << (bit % 8));
    auto cb = check_autn(*m, rand1, bad);
    ASSERT_TRUE(cb);
    EXPECT_FALSE(cb->mac_ok) << "bit " << bit;
  }
}

TEST(Autn, TuakCheckAcceptsItsOwnAutnAndRejectsAFlippedMac) {
  // TUAK test set 1 (TS 35.233): f5 = 719f1e9b9054, f1 = f9a54e6aeaa8618d.
  const auto k = hx<16>("abababababababababababababababab");
  const auto topc = hx<32>("bd04d9530e87513c5d837ac2ad954623a8e2330c115305a73eb45d1f40cccbff");
  const auto rand = hx<16>("42424242424242424242424242424242");
  const auto sqn = hx<6>("111111111111");
  const auto amf = hx<2>("ffff");
  tuak_config c;
  c.res_bits = 32;
  auto t = tuak::create(k, topc, c);
  ASSERT_TRUE(t);
  const auto autn = assemble_autn(sqn, hx<6>("719f1e9b9054"), amf, hx<8>("f9a54e6aeaa8618d"));
  auto r = check_autn(*t, rand, autn);
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->mac_ok);
  EXPECT_EQ(r->sqn, sqn);
  auto bad = autn;
  bad[8] ^= 0x01;
  auto rb = check_autn(*t, rand, bad);
  ASSERT_TRUE(rb);
  EXPECT_FALSE(rb->mac_ok);
  c.mac_bits = 128;
  auto t128 = tuak::create(k, topc, c);
  ASSERT_TRUE(t128);
  EXPECT_EQ(check_autn(*t128, rand, autn).error().code, auth_errc::bad_parameter);
}

TEST(Autn, FindSubscriberByAutnPicksTheRightCandidate) {
  const auto k2 = hx<16>("0396eb317b6d1c36f19c1c84cd6ffd16");
  const auto opc2 = hx<16>("53c15671c60a4b731c55b4a441c0bde2");
  const auto autn = hx<16>("55f328b43577b9b94a9ffac354dfafb3");
  std::vector<subscriber_keys> c = {{k2, opc2}, {k2, opc1}, {k1, opc1}, {k1, opc2}};
  auto r = find_subscriber_by_autn(c, rand1, autn);
  ASSERT_TRUE(r);
  ASSERT_TRUE(r->has_value());
  EXPECT_EQ(**r, 2u);
  c.erase(c.begin() + 2);
  auto none = find_subscriber_by_autn(c, rand1, autn);
  ASSERT_TRUE(none);
  EXPECT_FALSE(none->has_value());
  auto empty = find_subscriber_by_autn({}, rand1, autn);
  ASSERT_TRUE(empty);
  EXPECT_FALSE(empty->has_value());
}

TEST(Auts, RoundTripAndNegativeTwin) {
  auto m = milenage::create(k1, opc1);
  ASSERT_TRUE(m);
  const auto sqn_ms = hx<6>("000000000021");
  auto ak_star = m->f5star(rand1);
  const std::uint8_t zero_amf[2] = {0, 0};
  auto mac_s = m->f1star(rand1, sqn_ms, amf_view(zero_amf));
  ASSERT_TRUE(ak_star && mac_s);
  const auto auts = assemble_auts(sqn_ms, ak_star->view(), *mac_s);
  auto v = verify_auts(*m, rand1, auts);
  ASSERT_TRUE(v);
  ASSERT_TRUE(v->has_value());
  EXPECT_EQ(**v, sqn_ms);
  auto bad = auts;
  bad[13] ^= 1;
  auto vb = verify_auts(*m, rand1, bad);
  ASSERT_TRUE(vb);
  EXPECT_FALSE(vb->has_value());
}

TEST(Auts, TuakRoundTripNegativeTwinAndMacLength) {
  const auto top = hx<32>("5555555555555555555555555555555555555555555555555555555555555555");
  auto t = tuak::create_from_top(bytes_view(k1), top);
  ASSERT_TRUE(t);
  const auto sqn_ms = hx<6>("0000000003e8");
  auto ak_star = t->f5star(rand1);
  const std::uint8_t zero_amf[2] = {0, 0};
  auto mac_s = t->f1star(rand1, sqn_ms, amf_view(zero_amf));
  ASSERT_TRUE(ak_star && mac_s);
  ASSERT_EQ(mac_s->size(), 8u);
  const auto auts = assemble_auts(sqn_ms, ak_star->view(), std::span<const std::uint8_t, 8>(mac_s->data(), 8));
  auto v = verify_auts(*t, rand1, auts);
  ASSERT_TRUE(v);
  ASSERT_TRUE(v->has_value());
  EXPECT_EQ(**v, sqn_ms);
  auto bad = auts;
  bad[0] ^= 1;  // another SQN_MS: MAC-S no longer matches
  auto vb = verify_auts(*t, rand1, bad);
  ASSERT_TRUE(vb);
  EXPECT_FALSE(vb->has_value());
  tuak_config wide;
  wide.mac_bits = 128;
  auto t128 = tuak::create_from_top(bytes_view(k1), top, wide);
  ASSERT_TRUE(t128);
  EXPECT_EQ(verify_auts(*t128, rand1, auts).error().code, auth_errc::bad_parameter);
}

TEST(Milenage, RekeyGivesTheSameAsAFreshInstance) {
  const auto k2 = hx<16>("0396eb317b6d1c36f19c1c84cd6ffd16");
  const auto opc2 = hx<16>("53c15671c60a4b731c55b4a441c0bde2");
  auto a = milenage::create(k1, opc1);
  auto b = milenage::create(k2, opc2);
  ASSERT_TRUE(a && b);
  ASSERT_TRUE(a->rekey(k2, opc2));
  auto x = a->f1(rand1, sqn1, amf1);
  auto y = b->f1(rand1, sqn1, amf1);
  ASSERT_TRUE(x && y);
  EXPECT_EQ(*x, *y);
  milenage moved = std::move(*a);
  auto z = moved.f1(rand1, sqn1, amf1);
  ASSERT_TRUE(z);
  EXPECT_EQ(*z, *y);
}

TEST(KeyHierarchy, KNgRanStarUsesAThreeOctetArfcn) {
  // TS 33.501 A.11: L1 = 0x00 0x03. The kdf.json vector (srsRAN) uses 2 octets; the same inputs
  // with the clause's encoding give another key.
  const json v = kdf_vector("kdf-5g-kngran-star");
  const auto key = hx<32>(v["key"].get<std::string>());
  auto ours = derive_k_ng_ran_star(key, 32, 561);
  const std::uint8_t pci[2] = {0x00, 0x20}, arfcn3[3] = {0x00, 0x02, 0x31};
  auto generic = kdf(key, 0x70, {bytes_view(pci, 2), bytes_view(arfcn3, 3)});
  ASSERT_TRUE(ours && generic);
  EXPECT_TRUE(ours->equals(generic->view()));
  EXPECT_NE(to_hex(ours->view()), v["output"].get<std::string>());
  EXPECT_EQ(derive_k_ng_ran_star(key, 1008, 561).error().code, auth_errc::bad_parameter);
  EXPECT_EQ(derive_k_ng_ran_star(key, 1, 0x1000000).error().code, auth_errc::bad_parameter);
}

TEST(KeyHierarchy, MobilityDerivationsUseTheClauseFcAndParameters) {
  const auto k_amf = hx<32>("7d861852b42a86b596fe22c8f50b9b895a1e21716b61b8d122785e25bafc0d07");
  const std::uint8_t count[4] = {0x00, 0x00, 0x01, 0x02};
  const std::uint8_t dir0[1] = {0}, dir1[1] = {1};
  auto idle = derive_k_amf_prime(k_amf, k_amf_change::idle_mobility, 0x102);
  auto ho = derive_k_amf_prime(k_amf, k_amf_change::handover, 0x102);
  auto g_idle = kdf(k_amf, 0x72, {bytes_view(dir0, 1), bytes_view(count, 4)});
  auto g_ho = kdf(k_amf, 0x72, {bytes_view(dir1, 1), bytes_view(count, 4)});
  ASSERT_TRUE(idle && ho && g_idle && g_ho);
  EXPECT_TRUE(idle->equals(g_idle->view()));
  EXPECT_TRUE(ho->equals(g_ho->view()));
  EXPECT_FALSE(idle->equals(ho->view()));
  auto asme_idle = derive_k_asme_prime(k_amf, k_amf_change::idle_mobility, 0x102);
  auto asme_ho = derive_k_asme_prime(k_amf, k_amf_change::handover, 0x102);
  auto g73 = kdf(k_amf, 0x73, {bytes_view(count, 4)});
  auto g74 = kdf(k_amf, 0x74, {bytes_view(count, 4)});
  ASSERT_TRUE(asme_idle && asme_ho && g73 && g74);
  EXPECT_TRUE(asme_idle->equals(g73->view()));
  EXPECT_TRUE(asme_ho->equals(g74->view()));
  // A.15: K_AMF' from K_ASME (EPS -> 5GS): FC 0x75 with the TAU's uplink COUNT, 0x76 with NH.
  const auto nh_in = hx<32>("c4c7bc798ab94e3d354cd6608e79aa92f5569df46519507850051e36f018ca5f");
  auto from_asme_idle = idle_from_k_asme(k_amf, 0x102);
  auto from_asme_ho = handover_from_k_asme(k_amf, nh_in);
  auto g75 = kdf(k_amf, 0x75, {bytes_view(count, 4)});
  auto g76 = kdf(k_amf, 0x76, {bytes_view(nh_in)});
  ASSERT_TRUE(from_asme_idle && from_asme_ho && g75 && g76);
  EXPECT_TRUE(from_asme_idle->equals(g75->view()));
  EXPECT_TRUE(from_asme_ho->equals(g76->view()));
  EXPECT_FALSE(from_asme_idle->equals(asme_idle->view()));
  // A.12: K_NG-RAN* for a target ng-eNB: FC 0x71, PCI on 2 octets, EARFCN-DL on 3.
  const std::uint8_t pci7[2] = {0x00, 0x07}, earfcn[3] = {0x00, 0x0c, 0x1c};
  auto ng_enb = derive_k_ng_ran_star_ng_enb(k_amf, 7, 3100);
  auto g71 = kdf(k_amf, 0x71, {bytes_view(pci7, 2), bytes_view(earfcn, 3)});
  auto gnb_star = derive_k_ng_ran_star(k_amf, 7, 3100);
  ASSERT_TRUE(ng_enb && g71 && gnb_star);
  EXPECT_TRUE(ng_enb->equals(g71->view()));
  EXPECT_FALSE(ng_enb->equals(gnb_star->view()));
  EXPECT_EQ(derive_k_ng_ran_star_ng_enb(k_amf, 504, 3100).error().code, auth_errc::bad_parameter);
  // NH and K_N3IWF.
  const auto sync = hx<32>("c4c7bc798ab94e3d354cd6608e79aa92f5569df46519507850051e36f018ca5f");
  auto nh = derive_nh(k_amf, sync);
  auto gnh = kdf(k_amf, 0x6F, {bytes_view(sync)});
  ASSERT_TRUE(nh && gnh);
  EXPECT_TRUE(nh->equals(gnh->view()));
  auto n3 = derive_k_gnb(k_amf, 5, access_type::non_three_gpp);
  const std::uint8_t c5[4] = {0, 0, 0, 5}, a2[1] = {2};
  auto gn3 = kdf(k_amf, 0x6E, {bytes_view(c5, 4), bytes_view(a2, 1)});
  ASSERT_TRUE(n3 && gn3);
  EXPECT_TRUE(n3->equals(gn3->view()));
  // The same three and the algorithm keys from K_AMF prepared once (what the tracker keeps).
  const auto prepared = hmac_key::prepare(bytes_view(k_amf));
  ASSERT_TRUE(prepared.has_value());
  auto pnh = derive_nh(*prepared, sync);
  auto pn3 = derive_k_gnb(*prepared, 5, access_type::non_three_gpp);
  auto pg = derive_k_gnb(*prepared, 0x01020304);
  auto g = derive_k_gnb(k_amf, 0x01020304);
  ASSERT_TRUE(pnh && pn3 && pg && g);
  EXPECT_TRUE(pnh->equals(nh->view()));
  EXPECT_TRUE(pn3->equals(n3->view()));
  EXPECT_TRUE(pg->equals(g->view()));
  for (const auto type : {algorithm_type::nas_enc, algorithm_type::nas_int}) {
    for (std::uint8_t alg = 0; alg <= 3; ++alg) {
      auto a = derive_algorithm_key(*prepared, type, alg);
      auto b = derive_algorithm_key(k_amf, type, alg);
      ASSERT_TRUE(a && b);
      EXPECT_TRUE(a->equals(b->view()));
    }
  }
}

TEST(KeyHierarchy, SupiKdfValueStripsTheTypePrefix) {
  EXPECT_EQ(supi_kdf_value("imsi-001010123456780"), "001010123456780");
  EXPECT_EQ(supi_kdf_value("nai-user@realm"), "user@realm");
  EXPECT_EQ(supi_kdf_value("001010123456780"), "001010123456780");
}

TEST(KeyHierarchy, LengthErrors) {
  const auto ck = hx<16>("00112233445566778899aabbccddeeff");
  const std::uint8_t res3[3] = {1, 2, 3};
  EXPECT_EQ(derive_res_star(ck, ck, snn, rand1, bytes_view(res3, 3)).error().code, auth_errc::bad_length);
  const std::string huge(max_name_len + 1, 'x');
  EXPECT_EQ(derive_k_seaf(hx<32>(std::string(64, 'a')), huge).error().code, auth_errc::bad_length);
  std::vector<std::uint8_t> big(kdf_max_param_len + 1);
  EXPECT_EQ(kdf(big, 0x10, {bytes_view(big)}).error().code, auth_errc::bad_length);
  // A long but legal parameter goes through the streaming path and equals HMAC over S.
  std::vector<std::uint8_t> p(300, 0x5a);
  auto s = kdf_input_string(0x10, std::vector<bytes_view>{bytes_view(p)});
  auto out = kdf(ck, 0x10, {bytes_view(p)});
  ASSERT_TRUE(s && out);
  auto h = hmac_sha256(ck, *s);
  ASSERT_TRUE(h);
  EXPECT_TRUE(out->equals(*h));
}

TEST(EapAkaPrime, KAusfIsTheFirstHalfOfEmsk) {
  byte_array<64> emsk{};
  for (std::size_t i = 0; i < 64; ++i) emsk[i] = static_cast<std::uint8_t>(i);
  auto k = k_ausf_from_emsk(emsk);
  EXPECT_TRUE(k.equals(bytes_view(emsk).first(32)));
  std::vector<std::uint8_t> too_long(prf_prime_max_len + 1);
  EXPECT_EQ(prf_prime(emsk, emsk, too_long).error().code, auth_errc::bad_length);
}

TEST(Tuak, RejectsBadLengthsAndIterations) {
  const auto top = hx<32>(std::string(64, '5'));
  std::vector<std::uint8_t> k24(24);
  EXPECT_EQ(tuak::create(k24, top).error().code, auth_errc::bad_length);
  const auto k = hx<16>(std::string(32, 'a'));
  tuak_config c;
  c.mac_bits = 96;
  EXPECT_EQ(tuak::create(k, top, c).error().code, auth_errc::bad_parameter);
  c = {};
  c.keccak_iterations = 0;
  EXPECT_EQ(tuak::create(k, top, c).error().code, auth_errc::bad_parameter);
  // More iterations change the output (KeccakIterations is an input of every function).
  tuak_config c1, c2;
  c2.keccak_iterations = 2;
  auto t1 = tuak::create(k, top, c1);
  auto t2 = tuak::create(k, top, c2);
  ASSERT_TRUE(t1 && t2);
  auto a = t1->f1(rand1, sqn1, amf1);
  auto b = t2->f1(rand1, sqn1, amf1);
  ASSERT_TRUE(a && b);
  EXPECT_NE(*a, *b);
}

}  // namespace
