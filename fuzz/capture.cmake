# Fuzz targets of the capture module: the pcap/pcapng reader (whole pipeline behind it) and the
# link/IP layers with fragment reassembly. See docs/FUZZING.md.
sec5g_add_fuzz(pcap_reader SOURCE "${CMAKE_CURRENT_SOURCE_DIR}/pcap_reader_fuzz.cpp"
  DEPS sec5g::sctp CORPUS "${CMAKE_CURRENT_SOURCE_DIR}/corpus/pcap" MUTATOR)
sec5g_add_fuzz(link_ip SOURCE "${CMAKE_CURRENT_SOURCE_DIR}/link_ip_fuzz.cpp"
  DEPS sec5g::capture CORPUS "${CMAKE_CURRENT_SOURCE_DIR}/corpus/link_ip" MUTATOR)

# Edge feedback for the g++ mutation drivers (fuzzmut_*, MUTATOR above): configure a build dir
# with -DSEC5G_SANITIZE=ON -DSEC5G_MUTATE_COVERAGE=ON; core, capture and sctp are then compiled
# with -fsanitize-coverage=trace-pc, so build only fuzzmut_* there.
option(SEC5G_MUTATE_COVERAGE "Instrument core/capture/sctp for fuzz/mutate_main.cpp (GCC trace-pc)" OFF)
if(SEC5G_MUTATE_COVERAGE)
  foreach(lib sec5g_core sec5g_capture sec5g_sctp)
    target_compile_options(${lib} PRIVATE -fsanitize-coverage=trace-pc)
  endforeach()
endif()
if(NOT (CMAKE_CXX_COMPILER_ID STREQUAL "Clang" AND SEC5G_LIBFUZZER))
  # Writes the link_ip and sctp seed corpora from real captures (see docs/FUZZING.md).
  add_executable(capture_corpus_gen "${CMAKE_CURRENT_SOURCE_DIR}/capture_corpus_gen.cpp")
  target_link_libraries(capture_corpus_gen PRIVATE sec5g::sctp sec5g_warnings)
  set_target_properties(capture_corpus_gen PROPERTIES EXCLUDE_FROM_ALL ON)
endif()
