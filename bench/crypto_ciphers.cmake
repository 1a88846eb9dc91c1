# 128-NEA/NIA 1-3: our one-shot and batch paths beside the raw libipsec-mb / OpenSSL calls.
if(TARGET sec5g_crypto)
  sec5g_add_bench(bench_crypto_ciphers
    SOURCES crypto_ciphers_bench.cpp
    DEPS sec5g::crypto ipsecmb::ipsecmb OpenSSL::Crypto)
endif()
