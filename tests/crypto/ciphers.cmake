# Tests of the cipher half of the crypto module (NEA/NIA, keystream primitives, vector runner).
list(APPEND SEC5G_CRYPTO_TEST_SOURCES
  cipher_kat_test.cpp
  cipher_property_test.cpp
  nea2_batch_test.cpp
  aes_oneshot_test.cpp)

# End-to-end: `sec5g crypto nea|nia` known answers, --input precedence and the error contract.
if(TARGET sec5g)
  add_test(NAME crypto_cli_cipher
    COMMAND bash "${CMAKE_CURRENT_SOURCE_DIR}/cli_cipher_test.sh" "$<TARGET_FILE:sec5g>")
  set_tests_properties(crypto_cli_cipher PROPERTIES LABELS "crypto;e2e")
endif()
