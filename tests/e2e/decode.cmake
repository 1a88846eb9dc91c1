# sec5g decode: CLI contract and the whole-pipeline differential test against tshark.
sec5g_add_test(sec5g_e2e_decode_tests
  SOURCES decode_tshark_test.cpp
  DEPS nlohmann_json::nlohmann_json
  LABELS e2e
  COST 5) # DecodeVersusTshark: ~4 s (one tshark over all the captures)
add_dependencies(sec5g_e2e_decode_tests sec5g)
