# Benchmarks of the authentication half of the crypto module: MILENAGE, the KDF, the 5G-AKA
# chain MILENAGE -> K_AUSF -> K_SEAF -> K_AMF -> NAS keys -> K_gNB, TUAK, AUTN candidate scan.
if(TARGET sec5g_crypto)
  sec5g_add_bench(bench_crypto_auth
    SOURCES "${CMAKE_CURRENT_SOURCE_DIR}/crypto_auth_bench.cpp"
    DEPS sec5g::crypto OpenSSL::Crypto)
endif()
