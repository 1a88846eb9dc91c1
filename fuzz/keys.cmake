# Fuzz target of the subscriber key file (CSV) parser, with its g++ mutation driver.
if(TARGET sec5g_analysis)
  sec5g_add_fuzz(subscriber_keys
    SOURCE "${CMAKE_CURRENT_SOURCE_DIR}/keys_fuzz.cpp"
    DEPS sec5g::analysis
    CORPUS "${CMAKE_CURRENT_SOURCE_DIR}/corpus/keys"
    MUTATOR)
endif()
