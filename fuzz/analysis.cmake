# Fuzz targets of the auditor: its NAS/EAP readers (seeds: the NAS corpus) and the tracker with
# the rules engine fed with NGAP PDUs (seeds: the NGAP corpus).
if(TARGET sec5g_analysis)
  sec5g_add_fuzz(analysis_nas SOURCE "${CMAKE_CURRENT_SOURCE_DIR}/analysis_nas_fuzz.cpp"
    DEPS sec5g::analysis CORPUS "${CMAKE_CURRENT_SOURCE_DIR}/corpus/nas")
endif()
if(TARGET sec5g_rules AND SEC5G_HAVE_TRACKER)
  sec5g_add_fuzz(analysis_tracker SOURCE "${CMAKE_CURRENT_SOURCE_DIR}/analysis_tracker_fuzz.cpp"
    DEPS sec5g::analysis sec5g::rules CORPUS "${CMAKE_CURRENT_SOURCE_DIR}/corpus/ngap")
  # Whole synthesized conversations (fuzz/tracker_corpus_gen.py): keys known to the target, so
  # they reach key derivation, MAC checks and deciphering of NAS message containers.
  if(SEC5G_BUILD_TESTS)
    add_test(NAME fuzz_replay_analysis_tracker_synth
      COMMAND fuzz_analysis_tracker "${CMAKE_CURRENT_SOURCE_DIR}/corpus/analysis_tracker")
    set_tests_properties(fuzz_replay_analysis_tracker_synth PROPERTIES LABELS fuzz)
  endif()
endif()
if(TARGET sec5g_rules AND SEC5G_HAVE_TRACKER AND NOT (CMAKE_CXX_COMPILER_ID STREQUAL "Clang" AND SEC5G_LIBFUZZER))
  # g++ random-mutation drivers for long runs (fuzz/mutate_main.cpp); not part of ctest.
  foreach(t analysis_nas analysis_tracker)
    add_executable(fuzzmut_${t} "${CMAKE_CURRENT_SOURCE_DIR}/${t}_fuzz.cpp"
      "${CMAKE_CURRENT_SOURCE_DIR}/mutate_main.cpp")
    target_link_libraries(fuzzmut_${t} PRIVATE sec5g::analysis sec5g::rules sec5g_warnings)
    set_target_properties(fuzzmut_${t} PROPERTIES EXCLUDE_FROM_ALL ON)
  endforeach()
endif()
