/* wasm32 has no assembly entry point; _start is plain C (crt/wasm32/crt1.c). */
