// A hand-written stand-in for a compiled module: it defines `walic_module` (laid out as
// walic_loader::metadata::ModuleDescriptor) and "wasm functions" written in C that call the
// runtime's imports and runtime functions directly, so start-up, memory, signals, threads,
// setjmp and traps can be tested without the compiler. Linked with libwalic_runtime.a by
// tests/runtime_contract.rs, which checks its output.
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <signal.h>
#include <unistd.h>
#include <sys/time.h>
typedef struct VmContext { uint64_t memory_base, stack_limit; uint32_t signal_pending, r0; void *tables, *module, *rt; uint64_t guard_chain, r1; uint64_t globals[2]; } VmContext;
typedef struct { const void *code; uint32_t type_id, func_index; } FuncRef;
typedef struct { uint32_t initial, max; } TableDescriptor;
typedef struct { const uint8_t *bytes; uint32_t len, reserved; } DataSegment;
typedef struct { const FuncRef *const *items; uint32_t len, reserved; } ElemSegment;
typedef struct { uint32_t offset, code; } TrapSite;
typedef struct { const void *code; uint32_t code_len, func_index, name_offset, name_len, traps_start, traps_len; } FunctionInfo;
typedef struct {
  uint64_t magic; uint32_t vmctx_size; int32_t sp_off; const void *globals_template;
  uint32_t memory_flags, initial, max, num_tables; const TableDescriptor *tables;
  uint32_t num_types, num_data; const void *types; const DataSegment *data;
  uint32_t num_elem, num_functions; const ElemSegment *elems; const FunctionInfo *functions;
  uint32_t num_traps, num_exports; const TrapSite *traps; const void *exports; const char *names;
  void (*instantiate)(VmContext*); void (*entry)(VmContext*);
  uint32_t names_len, ty_sig, ty_siginfo, ty_thread;
} ModuleDescriptor;
#define IMP(n) int64_t walic_import_##n(VmContext*, uint64_t, uint64_t, uint64_t, uint64_t, uint64_t, uint64_t)
IMP(__cl_get_argc); IMP(__cl_get_argv_len); IMP(__cl_copy_argv); IMP(__get_init_envfile); IMP(__proc_exit);
IMP(SYS_mmap); IMP(SYS_munmap); IMP(SYS_mremap); IMP(SYS_rt_sigaction); IMP(__wasm_thread_spawn); IMP(SYS_exit); IMP(longjmp);
int32_t walic_rt_memory_grow(VmContext*, uint32_t); uint32_t walic_rt_memory_size(VmContext*);
uint32_t walic_rt_memory_init(VmContext*, uint32_t, uint32_t, uint32_t, uint32_t);
void walic_rt_poll_signals(VmContext*);
uint32_t walic_rt_table_init(VmContext*, uint32_t, uint32_t, uint32_t, uint32_t, uint32_t);
int32_t walic_rt_setjmp(VmContext*, uint32_t, uint32_t, uint32_t, uint32_t, uint64_t);
uint64_t walic_rt_guarded_call(VmContext*, uint64_t, void (*)(VmContext*, uint64_t*), uint64_t*);
uint32_t walic_rt_atomic_wait32(VmContext*, uint32_t, uint32_t, int64_t);
uint32_t walic_rt_atomic_notify(VmContext*, uint32_t, uint32_t);

#define MEM(vm) ((uint8_t*)(uintptr_t)(vm)->memory_base)
extern void trapfn(VmContext*); extern char trapfn_end[];
__asm__(".text\n.globl trapfn\ntrapfn: nop\n nop\n ud2\n.globl trapfn_end\ntrapfn_end:\n");
static volatile int got_sig;
static void handler(VmContext *vm, uint32_t sig) { got_sig = sig; }
static void thread_fn(VmContext *vm, uint32_t tid, uint32_t arg) {
  uint32_t *p = (uint32_t*)(MEM(vm) + arg); __atomic_store_n(p, 1, __ATOMIC_SEQ_CST); walic_rt_atomic_notify(vm, arg, 1);
  walic_import_SYS_exit(vm, 0,0,0,0,0,0);
}
static const FuncRef f_handler = { (const void*)handler, 1, 5 };
static const FuncRef f_thread = { (const void*)thread_fn, 3, 6 };
static const FuncRef *const elems[] = { &f_handler, &f_thread };
static const ElemSegment elem_segs[] = { { elems, 2, 0 } };
static const TableDescriptor tables[] = { { 4, 4 } };
static const uint8_t data0[] = "hello data";
static const DataSegment data_segs[] = { { data0, sizeof data0, 0 } };
static const TrapSite traps[] = { { 2, 1 } };
static const char names[] = "trapfnhandler";
static FunctionInfo functions[1];
static const uint64_t globals[2] = { 65536, 0 };
static void instantiate(VmContext *vm) {
  walic_rt_table_init(vm, 0, 0, 1, 0, 2);
  walic_rt_memory_init(vm, 0, 70000, 0, sizeof data0);
}
static int jb_site_hits;
static void thunk_longjmp(VmContext *vm, uint64_t *slots) { walic_import_longjmp(vm, slots[0], 0, 0,0,0,0); }
static void entry(VmContext *vm) {
  uint8_t *m = MEM(vm);
  printf("data: %s sp=%lu\n", m + 70000, (unsigned long)vm->globals[0]);
  int64_t argc = walic_import___cl_get_argc(vm,0,0,0,0,0,0);
  for (int i = 0; i < argc; i++) { walic_import___cl_copy_argv(vm, 1000, i, 0,0,0,0); printf("argv[%d]=%s len=%ld\n", i, m+1000, (long)walic_import___cl_get_argv_len(vm,i,0,0,0,0,0)); }
  printf("oob argv: %ld\n", (long)walic_import___cl_copy_argv(vm, 0xfffffff0u, 0, 0,0,0,0));
  int64_t r = walic_import___get_init_envfile(vm, 2000, 100, 0,0,0,0);
  printf("envfile r=%ld path=%s\n", (long)r, m+2000);
  FILE *f = fopen((char*)m+2000, "r"); char line[256]; int n = 0; while (f && fgets(line, sizeof line, f)) { if (!strncmp(line, "FOO=", 4)) printf("env %s", line); n++; } if (f) fclose(f);
  printf("size=%u\n", walic_rt_memory_size(vm));
  int64_t a = walic_import_SYS_mmap(vm, 0, 8192, 3, 0x22, -1, 0);
  int64_t b = walic_import_SYS_mmap(vm, 0, 4096*5, 3, 0x22, -1, 0);
  int64_t c = walic_import_SYS_mmap(vm, 0, 4096, 3, 0x22, -1, 0);
  printf("mmap a=%ld b=%ld c=%ld size=%u\n", (long)a, (long)b, (long)c, walic_rt_memory_size(vm));
  m[b] = 7; m[b + 4096*5 - 1] = 9;
  printf("munmap b=%ld\n", (long)walic_import_SYS_munmap(vm, b, 4096*5, 0,0,0,0));
  int64_t d = walic_import_SYS_mmap(vm, 0, 4096*2, 3, 0x22, -1, 0);
  printf("reuse d=%ld (b=%ld) zero=%d\n", (long)d, (long)b, m[d]);
  m[a] = 42;
  int64_t e = walic_import_SYS_mremap(vm, a, 8192, 4096*40, 1, 0, 0);
  printf("mremap moved=%d keeps=%d\n", e != a, m[e]);
  int64_t g = walic_import_SYS_mremap(vm, c, 4096, 4096*3, 0, 0, 0);
  printf("mremap grow in place? %ld (c=%ld) err\n", (long)g, (long)c);
  printf("fixed below: %ld\n", (long)walic_import_SYS_mmap(vm, 4096, 4096, 3, 0x32, -1, 0));
  printf("grow=%d size=%u\n", walic_rt_memory_grow(vm, 2), walic_rt_memory_size(vm));
  /* signals */
  uint8_t *act = m + 3000; memset(act, 0, 24); uint32_t h = 1; memcpy(act, &h, 4); uint64_t fl = 0x04000000; memcpy(act+4, &fl, 8);
  printf("sigaction=%ld\n", (long)walic_import_SYS_rt_sigaction(vm, SIGUSR1, 3000, 0, 8, 0,0));
  printf("sigaction 128=%ld\n", (long)walic_import_SYS_rt_sigaction(vm, SIGUSR1, 3000, 0, 128, 0,0));
  raise(SIGUSR1);
  printf("pending flag=%u got=%d\n", vm->signal_pending, got_sig);
  walic_rt_poll_signals(vm);
  printf("after poll got=%d\n", got_sig);
  walic_import_SYS_rt_sigaction(vm, SIGUSR1, 0, 3100, 8, 0,0);
  uint32_t oh; memcpy(&oh, m+3100, 4); printf("oldact handler=%u\n", oh);
  /* threads */
  uint32_t flag = 5000; *(uint32_t*)(m+flag) = 0;
  int64_t tid = walic_import___wasm_thread_spawn(vm, 2, flag, 0,0,0,0);
  printf("spawned tid>0: %d\n", tid > 0);
  while (__atomic_load_n((uint32_t*)(m+flag), __ATOMIC_SEQ_CST) == 0) walic_rt_atomic_wait32(vm, flag, 0, 1000000000);
  printf("thread ran\n");
  /* A signal arriving during a blocking wait runs its handler inside the wait. */
  got_sig = 0;
  walic_import_SYS_rt_sigaction(vm, SIGALRM, 3000, 0, 8, 0,0);
  struct itimerval t = {{0, 0}, {0, 20000}};
  setitimer(ITIMER_REAL, &t, NULL);
  *(uint32_t*)(m + 5100) = 0;
  uint32_t w = walic_rt_atomic_wait32(vm, 5100, 0, 300000000);
  printf("wait=%u got=%d pending=%u\n", w, got_sig, vm->signal_pending);
  /* setjmp */
  uint64_t frame = (uint64_t)__builtin_frame_address(0);
  int32_t s = walic_rt_setjmp(vm, 6000, 1, 9, 3, frame);
  uint64_t slots[1] = { 6000 };
  uint64_t res = walic_rt_guarded_call(vm, frame, thunk_longjmp, slots);
  printf("setjmp=%d guarded result site=%lu val=%lu chain=%lu\n", s, (unsigned long)(res>>32), (unsigned long)(res & 0xffffffff), (unsigned long)vm->guard_chain);
  fflush(stdout);
  if (getenv("TRAP")) trapfn(vm);
  if (getenv("OOB")) { volatile uint8_t x = m[0x7fff0000u]; (void)x; }
  if (getenv("LJ")) walic_import_longjmp(vm, 6000, 1, 0,0,0,0);
  walic_import___proc_exit(vm, 3, 0,0,0,0,0);
}
const ModuleDescriptor walic_module = {
  0x00313043494c4157ull, sizeof(VmContext), 64, globals, 3, 2, 32768, 1, tables,
  0, 1, 0, data_segs, 1, 1, elem_segs, functions, 1, 0, traps, 0, names, instantiate, entry, sizeof names - 1, 1, 2, 3 };
__attribute__((constructor)) static void init_functions(void) {
  functions[0] = (FunctionInfo){ (const void*)trapfn, (uint32_t)(trapfn_end - (char*)trapfn), 0, 0, 6, 0, 1 };
}
