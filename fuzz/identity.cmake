# Fuzz targets of the identity module: the SUCI string / NAI parser, the 5GS mobile identity
# value decoder, and the home-network key (PEM) parser. Each checks round-trip invariants.
if(TARGET sec5g_identity)
  sec5g_add_fuzz(identity_suci_string
    SOURCE "${CMAKE_CURRENT_SOURCE_DIR}/identity_suci_string_fuzz.cpp"
    DEPS sec5g::identity
    CORPUS "${CMAKE_CURRENT_SOURCE_DIR}/corpus/identity_suci_string")
  sec5g_add_fuzz(identity_mobile_identity
    SOURCE "${CMAKE_CURRENT_SOURCE_DIR}/identity_mobile_identity_fuzz.cpp"
    DEPS sec5g::identity
    CORPUS "${CMAKE_CURRENT_SOURCE_DIR}/corpus/identity_mobile_identity")
  sec5g_add_fuzz(identity_key_file
    SOURCE "${CMAKE_CURRENT_SOURCE_DIR}/identity_key_file_fuzz.cpp"
    DEPS sec5g::identity
    CORPUS "${CMAKE_CURRENT_SOURCE_DIR}/corpus/identity_key_file")
endif()
