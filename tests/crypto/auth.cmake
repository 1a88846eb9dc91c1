# Tests of the authentication half of the crypto module (MILENAGE, TUAK, KDF, Annex A,
# EAP-AKA', vector runner) and end-to-end tests of its CLI commands.
list(APPEND SEC5G_CRYPTO_TEST_SOURCES
  auth_kat_test.cpp
  auth_chain_test.cpp)
