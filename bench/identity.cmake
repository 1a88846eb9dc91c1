# SUCI de-concealment (SIDF) beside OpenSSL's raw ECDH for the same curve, plus the identity
# decoders. See docs/performance/identity.md.
if(TARGET sec5g_identity)
  sec5g_add_bench(bench_identity
    SOURCES "${CMAKE_CURRENT_SOURCE_DIR}/identity_bench.cpp"
    DEPS sec5g::identity OpenSSL::Crypto)
endif()
