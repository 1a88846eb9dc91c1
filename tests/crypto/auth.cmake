# Tests of the authentication half of the crypto module (MILENAGE, TUAK, KDF, Annex A,
# EAP-AKA', vector runner) and end-to-end tests of its CLI commands.
list(APPEND SEC5G_CRYPTO_TEST_SOURCES
  auth_kat_test.cpp
  auth_chain_test.cpp
  autn_scanner_test.cpp
  hmac_test.cpp)

# End-to-end: `sec5g crypto milenage|tuak|kdf|eap-aka-prime`, `keys derive`, `selftest`.
if(TARGET sec5g)
  add_test(NAME crypto_cli_auth
    COMMAND bash "${CMAKE_CURRENT_SOURCE_DIR}/cli_auth_test.sh" "$<TARGET_FILE:sec5g>"
            "${SEC5G_VECTORS_DIR}")
  set_tests_properties(crypto_cli_auth PROPERTIES LABELS "crypto;e2e")
  # --input (the JSON object of every crypto / keys command): malformed input never crashes.
  add_test(NAME crypto_cli_input_robustness
    COMMAND bash "${CMAKE_CURRENT_SOURCE_DIR}/cli_input_robustness_test.sh" "$<TARGET_FILE:sec5g>")
  set_tests_properties(crypto_cli_input_robustness PROPERTIES LABELS "crypto;e2e")
endif()
