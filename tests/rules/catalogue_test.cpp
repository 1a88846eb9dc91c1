#include "sec5g/rules/catalogue.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace sec5g::rules {
namespace {

TEST(catalogue, ids_are_sorted_unique_and_complete) {
  const auto all = catalogue();
  ASSERT_EQ(all.size(), 27u);
  std::set<std::string_view> seen;
  for (std::size_t i = 0; i < all.size(); ++i) {
    EXPECT_TRUE(seen.insert(all[i].id).second) << all[i].id;
    if (i > 0) {
      EXPECT_LT(all[i - 1].id, all[i].id);
    }
    EXPECT_FALSE(all[i].title.empty());
    EXPECT_FALSE(all[i].spec.empty());
  }
  // The architecture's ids are permanent.
  for (const char* id :
       {"nas.null_integrity", "nas.null_ciphering", "nas.smc_caps_mismatch", "nas.smc_reject_caps",
        "nas.ue_caps_null_only", "nas.smc_ciphered", "nas.unprotected_after_smc", "nas.mac_failure",
        "nas.count_replay", "nas.cleartext_ie_violation", "id.suci_null_scheme", "id.suci_replay",
        "id.pei_before_security", "id.identity_request_flood", "id.guti_not_refreshed",
        "aka.auth_failure_storm", "aka.rand_reuse", "aka.amf_separation_bit",
        "aka.res_mismatch_accepted", "ngap.caps_mismatch", "ngap.path_switch_caps_mismatch",
        "ngap.duplicate_ran_ue_id", "ngap.registration_flood", "ngap.key_in_clear",
        "ngap.up_integrity_not_enforced", "ngap.as_key_mismatch", "nas.container_not_ciphered"})
    EXPECT_NE(find_rule(id), nullptr) << id;
  EXPECT_EQ(find_rule("nas.no_such_rule"), nullptr);
}

TEST(catalogue, severities_follow_the_architecture) {
  EXPECT_EQ(find_rule("nas.null_integrity")->level, severity::high);
  EXPECT_EQ(find_rule("nas.null_ciphering")->level, severity::medium);
  EXPECT_EQ(find_rule("nas.ue_caps_null_only")->level, severity::medium);
  EXPECT_EQ(find_rule("id.guti_not_refreshed")->level, severity::low);
  EXPECT_EQ(find_rule("ngap.key_in_clear")->level, severity::info);
  EXPECT_TRUE(find_rule("nas.mac_failure")->needs_keys);
  EXPECT_FALSE(find_rule("nas.null_ciphering")->needs_keys);
}

TEST(catalogue, severity_names_round_trip) {
  for (severity s : {severity::info, severity::low, severity::medium, severity::high})
    EXPECT_EQ(parse_severity(to_string(s)), s);
  EXPECT_FALSE(parse_severity("critical").has_value());
  EXPECT_LT(severity::low, severity::high);
}

}  // namespace
}  // namespace sec5g::rules
