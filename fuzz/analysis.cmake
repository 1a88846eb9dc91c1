# Fuzz targets of the auditor: its NAS/EAP readers (seeds: the NAS corpus) and the tracker with
# the rules engine fed with NGAP PDUs (seeds: the NGAP corpus).
if(TARGET sec5g_analysis)
  sec5g_add_fuzz(analysis_nas SOURCE "${CMAKE_CURRENT_SOURCE_DIR}/analysis_nas_fuzz.cpp"
    DEPS sec5g::analysis CORPUS "${CMAKE_CURRENT_SOURCE_DIR}/corpus/nas" MUTATOR)
endif()
if(TARGET sec5g_rules AND SEC5G_HAVE_TRACKER)
  sec5g_add_fuzz(analysis_tracker SOURCE "${CMAKE_CURRENT_SOURCE_DIR}/analysis_tracker_fuzz.cpp"
    DEPS sec5g::analysis sec5g::rules CORPUS "${CMAKE_CURRENT_SOURCE_DIR}/corpus/ngap" MUTATOR)
  # Whole synthesized conversations (fuzz/tracker_corpus_gen.py): keys known to the target, so
  # they reach key derivation, MAC checks and deciphering of NAS message containers.
  if(SEC5G_BUILD_TESTS)
    add_test(NAME fuzz_replay_analysis_tracker_synth
      COMMAND fuzz_analysis_tracker "${CMAKE_CURRENT_SOURCE_DIR}/corpus/analysis_tracker")
    set_tests_properties(fuzz_replay_analysis_tracker_synth PROPERTIES LABELS fuzz)
  endif()
endif()
