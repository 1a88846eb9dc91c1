# Tests of the cipher half of the crypto module (NEA/NIA, keystream primitives, vector runner).
list(APPEND SEC5G_CRYPTO_TEST_SOURCES
  cipher_kat_test.cpp
  cipher_property_test.cpp)
