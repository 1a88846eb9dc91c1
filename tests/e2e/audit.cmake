# `sec5g audit`, `sec5g decipher`, `sec5g rules` end to end on the shared captures.
if(TARGET sec5g)
  add_test(NAME e2e_audit
    COMMAND bash "${CMAKE_CURRENT_SOURCE_DIR}/audit_test.sh" "$<TARGET_FILE:sec5g>"
            "${SEC5G_SHARED_DIR}/captures" "${CMAKE_CURRENT_SOURCE_DIR}")
  # COST: ~25 s; on a fresh build (no ctest cost data yet) ctest starts it among the first
  # instead of last, where it made the tail of the run.
  set_tests_properties(e2e_audit PROPERTIES LABELS "e2e;analysis" TIMEOUT 600 COST 25)
endif()
