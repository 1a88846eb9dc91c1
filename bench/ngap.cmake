# bench_ngap: NGAP decode/encode rates over real PDUs (docs/performance/ngap.md).
if(TARGET sec5g_ngap)
  sec5g_add_bench(bench_ngap SOURCES "${CMAKE_CURRENT_SOURCE_DIR}/ngap_bench.cpp" DEPS sec5g::ngap)
  target_compile_definitions(bench_ngap PRIVATE
    SEC5G_SOURCE_DIR="${SEC5G_SOURCE_DIR}" SEC5G_BINARY_DIR="${CMAKE_BINARY_DIR}")
endif()
