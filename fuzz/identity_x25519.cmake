# Fuzz target of the eight-lane X25519 (Profile A SIDF, AVX-512 IFMA), differential against
# OpenSSL's X25519.
if(TARGET sec5g_identity)
  sec5g_add_fuzz(identity_x25519_x8
    SOURCE "${CMAKE_CURRENT_SOURCE_DIR}/identity_x25519_x8_fuzz.cpp"
    DEPS sec5g::identity OpenSSL::Crypto
    CORPUS "${CMAKE_CURRENT_SOURCE_DIR}/corpus/identity_x25519_x8"
    MUTATOR)
endif()
