# Fuzz target of the P-256 point decompression (Profile B ephemeral keys), differential against
# OpenSSL's EC_POINT_oct2point.
if(TARGET sec5g_identity)
  sec5g_add_fuzz(identity_p256_point
    SOURCE "${CMAKE_CURRENT_SOURCE_DIR}/identity_p256_point_fuzz.cpp"
    DEPS sec5g::identity OpenSSL::Crypto
    CORPUS "${CMAKE_CURRENT_SOURCE_DIR}/corpus/identity_p256_point")
endif()
