# Fuzz target of the report module's JSON writer (json_append.hpp), compared with nlohmann's dump.
if(TARGET sec5g_report)
  sec5g_add_fuzz(report_json SOURCE "${CMAKE_CURRENT_SOURCE_DIR}/report_json_fuzz.cpp"
    DEPS sec5g::report nlohmann_json::nlohmann_json
    CORPUS "${CMAKE_CURRENT_SOURCE_DIR}/corpus/report_json")
endif()
