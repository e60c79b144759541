// Tail-recursive state machines that would need gigabytes of stack without tail calls: with
// -mtail-call and `musttail`, clang emits `return_call` (mutually recursive even/odd, 100 million
// calls) and `return_call_indirect` (a bytecode interpreter whose handlers dispatch to the next
// one through a table of function pointers, 60 million steps). walic makes them real tail calls,
// so the 8 MB stack suffices; natively gcc -O2 makes them jumps.
// wasm-cflags: -mtail-call
// timeout: 30
#include <stdint.h>
#include <stdio.h>
#include "../include/musttail.h"

static __attribute__((noinline)) int is_odd(uint32_t n);

static __attribute__((noinline)) int is_even(uint32_t n) {
    if (n == 0)
        return 1;
    MUSTTAIL return is_odd(n - 1);
}

static __attribute__((noinline)) int is_odd(uint32_t n) {
    if (n == 0)
        return 0;
    MUSTTAIL return is_even(n - 1);
}

// A tiny bytecode machine: each handler does its work and tail-calls the next instruction's
// handler. Arguments are plain integers, so the calls stay in registers.
enum { OP_ADD, OP_MIX, OP_LOOP, OP_HALT };

struct machine {
    const uint8_t *code;
    uint64_t counter;
};

typedef uint64_t (*handler)(struct machine *m, uint32_t pc, uint64_t acc);
static handler handlers[4];

#define DISPATCH(m, pc, acc) MUSTTAIL return handlers[(m)->code[pc]](m, pc, acc)

static uint64_t op_add(struct machine *m, uint32_t pc, uint64_t acc) {
    acc += m->code[pc + 1];
    DISPATCH(m, pc + 2, acc);
}

static uint64_t op_mix(struct machine *m, uint32_t pc, uint64_t acc) {
    acc = (acc ^ (acc >> 7)) * 0x9E3779B97F4A7C15ull;
    DISPATCH(m, pc + 1, acc);
}

static uint64_t op_loop(struct machine *m, uint32_t pc, uint64_t acc) {
    if (--m->counter == 0)
        DISPATCH(m, pc + 1, acc);
    DISPATCH(m, 0, acc);
}

static uint64_t op_halt(struct machine *m, uint32_t pc, uint64_t acc) {
    (void)m;
    return acc + pc;
}

int main(void) {
    printf("even(100000000) = %d\n", is_even(100000000));
    printf("odd(99999999) = %d\n", is_odd(99999999));

    handlers[OP_ADD] = op_add;
    handlers[OP_MIX] = op_mix;
    handlers[OP_LOOP] = op_loop;
    handlers[OP_HALT] = op_halt;
    static const uint8_t program[] = {OP_ADD, 3, OP_MIX, OP_ADD, 5, OP_LOOP, OP_HALT};
    struct machine m = {program, 15000000};
    // Four handlers per round: 60 million tail calls.
    uint64_t acc = handlers[program[0]](&m, 0, 1);
    printf("machine: %016llx\n", (unsigned long long)acc);
    return 0;
}
