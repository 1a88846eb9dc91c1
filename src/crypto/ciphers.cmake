# 128-NEA/NIA 0-3 (SNOW 3G and ZUC through libipsec-mb, AES through OpenSSL 3), one-shot,
# in place and batch, the raw keystream primitives and the cipher vector runner.
list(APPEND SEC5G_CRYPTO_SOURCES
  cipher_backend.cpp
  nea.cpp
  nea2_aesni.cpp
  aes_aesni_oneshot.cpp
  nia.cpp
  stream_primitives.cpp
  cipher_vectors.cpp)
