# Fuzz target of the sctp module: chunk parsing, association state and reassembly over several
# packets, and the DATA payload rewrite. See docs/FUZZING.md.
sec5g_add_fuzz(sctp SOURCE "${CMAKE_CURRENT_SOURCE_DIR}/sctp_fuzz.cpp"
  DEPS sec5g::sctp CORPUS "${CMAKE_CURRENT_SOURCE_DIR}/corpus/sctp" MUTATOR)
