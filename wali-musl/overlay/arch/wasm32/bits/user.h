/* ptrace register dumps do not exist for wasm; sys/user.h is empty. */
