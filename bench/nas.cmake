# NAS-5GS decode / re-encode / JSON rates over real NAS PDUs (the seed corpus of fuzz/corpus/nas,
# or every file of the directory named by SEC5G_NAS_BENCH_DIR). See docs/performance/nas.md.
if(TARGET sec5g_nas_json)
  sec5g_add_bench(bench_nas
    SOURCES "${CMAKE_CURRENT_SOURCE_DIR}/nas_bench.cpp"
    DEPS sec5g::nas sec5g::nas_json nlohmann_json::nlohmann_json)
  target_compile_definitions(bench_nas PRIVATE
    SEC5G_NAS_CORPUS_DIR="${SEC5G_SOURCE_DIR}/fuzz/corpus/nas")
endif()
