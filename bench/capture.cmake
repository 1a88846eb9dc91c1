# bench_capture: pcap read, link/IP and SCTP pipeline rates on a real capture; CRC32c.
sec5g_add_bench(bench_capture SOURCES "${CMAKE_CURRENT_SOURCE_DIR}/capture_bench.cpp" DEPS sec5g::sctp)
target_compile_definitions(bench_capture PRIVATE SEC5G_SHARED_DIR="${SEC5G_SHARED_DIR}")
