// MUSTTAIL before `return f(...)` makes the call a guaranteed tail call: clang's `musttail`
// (with -mtail-call a wasm `return_call`/`return_call_indirect`, and an error if it cannot be
// one). gcc 12 has no such attribute; its -O2 sibling-call optimisation makes the same calls
// jumps, so the native build runs in constant stack too.
#ifndef MUSTTAIL_H
#define MUSTTAIL_H
#if defined(__has_attribute) && __has_attribute(musttail)
#define MUSTTAIL __attribute__((musttail))
#else
#define MUSTTAIL
#endif
#endif
