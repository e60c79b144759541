/* No machine registers are visible to a wasm program. */
#undef __WORDSIZE
#define __WORDSIZE 64
