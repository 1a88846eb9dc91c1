# NAS-5GS decoder / JSON renderer / encoder round trip. Seed corpus: NAS PDUs of the shared
# captures (ngap.NAS_PDU extracted with tshark, one file per distinct message shape).
if(TARGET sec5g_nas_json)
  sec5g_add_fuzz(nas SOURCE "${CMAKE_CURRENT_SOURCE_DIR}/nas_fuzz.cpp"
    DEPS sec5g::nas sec5g::nas_json nlohmann_json::nlohmann_json
    CORPUS "${CMAKE_CURRENT_SOURCE_DIR}/corpus/nas")
endif()
