# bench_audit: the tracker (keys: derivation, NIA verification, NEA deciphering) and the rules
# engine over NGAP messages of real captures replayed from memory. See docs/performance/audit.md.
if(TARGET sec5g_rules AND TARGET sec5g_report AND SEC5G_HAVE_TRACKER)
  sec5g_add_bench(bench_audit SOURCES "${CMAKE_CURRENT_SOURCE_DIR}/audit_bench.cpp"
    DEPS sec5g::rules sec5g::analysis)
  target_compile_definitions(bench_audit PRIVATE SEC5G_SHARED_DIR="${SEC5G_SHARED_DIR}")
endif()
