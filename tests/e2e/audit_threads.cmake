# `sec5g audit --threads`: the threaded capture driver and the SUCI prefetch cache give the
# tracker the same events as the sequential driver (tests/e2e/audit_threads_test.cpp).
if(TARGET sec5g_analysis AND TARGET sec5g_synth AND SEC5G_HAVE_TRACKER)
  sec5g_add_test(sec5g_audit_threads_tests
    SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/audit_threads_test.cpp
    DEPS sec5g::analysis sec5g::synth sec5g::identity sec5g::sctp sec5g::capture
    LABELS "analysis;e2e")
endif()
