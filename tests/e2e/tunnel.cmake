# `decode`, `audit` and `decipher` on shared captures re-sent through tunnels (VXLAN, ERSPAN,
# GRE, IP in IPv6, Geneve, MPLS, outer IP fragments), tshark as the oracle
# (tests/e2e/tunnel_test.cpp).
if(TARGET sec5g)
  sec5g_add_test(sec5g_tunnel_e2e_tests
    SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/tunnel_test.cpp
    DEPS sec5g::capture nlohmann_json::nlohmann_json
    LABELS "e2e;capture")
  add_dependencies(sec5g_tunnel_e2e_tests sec5g)
endif()
