# `sec5g audit`, `sec5g decipher`, `sec5g rules` end to end on the shared captures.
if(TARGET sec5g)
  add_test(NAME e2e_audit
    COMMAND bash "${CMAKE_CURRENT_SOURCE_DIR}/audit_test.sh" "$<TARGET_FILE:sec5g>"
            "${SEC5G_SHARED_DIR}/captures" "${CMAKE_CURRENT_SOURCE_DIR}")
  # COST: ~25 s; on a fresh build (no ctest cost data yet) ctest starts it among the first
  # instead of last, where it made the tail of the run.
  set_tests_properties(e2e_audit PROPERTIES LABELS "e2e;analysis" TIMEOUT 600 COST 25)
  # The sequential and the threaded drivers on real traffic: every shared capture without keys
  # and with each key file, both home-network keys, `--threads 1` against `--threads 2`, byte
  # for byte (bench/audit_identical.sh, the gate of performance changes, with one build).
  add_test(NAME e2e_audit_threads_identical
    COMMAND bash "${PROJECT_SOURCE_DIR}/bench/audit_identical.sh" "$<TARGET_FILE:sec5g>"
            "$<TARGET_FILE:sec5g>")
  set_tests_properties(e2e_audit_threads_identical PROPERTIES LABELS "e2e;analysis" TIMEOUT 600
                       COST 20 ENVIRONMENT "SEC5G_SHARED=${SEC5G_SHARED_DIR}")
endif()
