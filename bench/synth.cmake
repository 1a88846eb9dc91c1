# bench_synth: synthesizer throughput (UEs and frames per second) for benign 5G-AKA traffic
# with each SUCI profile, into a sink that only counts bytes. See docs/performance/synth.md;
# the whole-pipeline benchmark is bench/pipeline.sh.
if(TARGET sec5g_synth)
  sec5g_add_bench(bench_synth SOURCES "${CMAKE_CURRENT_SOURCE_DIR}/synth_bench.cpp"
    DEPS sec5g::synth)
endif()
