/* No dynamic linking on wasm32; the dynamic linker is never built. */
#define CRTJMP(pc,sp) __builtin_trap()
