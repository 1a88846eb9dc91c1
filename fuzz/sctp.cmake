# Fuzz target of the sctp module: chunk parsing, association state and reassembly over several
# packets, and the DATA payload rewrite. See docs/FUZZING.md.
sec5g_add_fuzz(sctp SOURCE "${CMAKE_CURRENT_SOURCE_DIR}/sctp_fuzz.cpp"
  DEPS sec5g::sctp CORPUS "${CMAKE_CURRENT_SOURCE_DIR}/corpus/sctp")
if(NOT (CMAKE_CXX_COMPILER_ID STREQUAL "Clang" AND SEC5G_LIBFUZZER))
  add_executable(fuzzmut_sctp "${CMAKE_CURRENT_SOURCE_DIR}/sctp_fuzz.cpp"
    "${CMAKE_CURRENT_SOURCE_DIR}/mutate_main.cpp")
  target_link_libraries(fuzzmut_sctp PRIVATE sec5g::sctp sec5g_warnings)
  set_target_properties(fuzzmut_sctp PROPERTIES EXCLUDE_FROM_ALL ON)
endif()
