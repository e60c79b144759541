# Read by musl's Makefile after config.mak.
# Threads need shared-memory atomics and bulk memory (ABI.md 3.1).
CFLAGS_ALL += -matomics -mbulk-memory
