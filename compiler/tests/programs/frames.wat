;; Shadow-stack frames promoted to SSA variables (compiler/src/translate/frame.rs), as clang -O0
;; lays them out. Each failing check exits with its number.
(module
  (import "wali" "__proc_exit" (func $exit (param i32)))
  (memory 2)
  (global $__stack_pointer (mut i32) (i32.const 65536))

  ;; A red-zone leaf that reads a slot before writing it: the read must see what memory holds.
  (func $read_before_write (result i32) (local i32)
    global.get $__stack_pointer  i32.const 16  i32.sub  local.set 0
    local.get 0  i32.load offset=4
    local.get 0  i32.const 1  i32.store offset=4
    local.get 0  i32.load offset=4
    i32.add)

  ;; Type puns and widths within a slot, and a partial-width overlap (kept in memory).
  (func $puns (result i32) (local i32 i32)
    global.get $__stack_pointer  i32.const 48  i32.sub  local.tee 0
    global.set $__stack_pointer
    ;; f32 1.5 stored, read back as its bits
    local.get 0  f32.const 1.5  f32.store offset=8
    local.get 0  i32.load offset=8  i32.const 0x3fc00000  i32.ne
    if i32.const 1 return end
    ;; store8 of 0x1ff, load8_s gives -1, load8_u 255
    local.get 0  i32.const 0x1ff  i32.store8 offset=3
    local.get 0  i32.load8_s offset=3  i32.const -1  i32.ne
    if i32.const 2 return end
    local.get 0  i64.load8_u offset=3  i64.const 255  i64.ne
    if i32.const 3 return end
    ;; i64.store32 of a wide value, load32_s of it
    local.get 0  i64.const 0x1_8000_0000  i64.store32 offset=12
    local.get 0  i64.load32_s offset=12  i64.const -2147483648  i64.ne
    if i32.const 4 return end
    ;; 16-bit
    local.get 0  i32.const 0x18000  i32.store16 offset=16
    local.get 0  i32.load16_s offset=16  i32.const -32768  i32.ne
    if i32.const 5 return end
    ;; an i64 whose halves are read as i32s (overlapping accesses: stays in memory)
    local.get 0  i64.const 0x11111111_22222222  i64.store offset=24
    local.get 0  i32.load offset=28  i32.const 0x11111111  i32.ne
    if i32.const 6 return end
    ;; f64 slot accessed through fp + 32
    local.get 0  i32.const 32  i32.add  f64.const 2.25  f64.store offset=8
    local.get 0  f64.load offset=40  f64.const 2.25  f64.ne
    if i32.const 7 return end
    local.get 0  i32.const 48  i32.add  global.set $__stack_pointer
    i32.const 0)

  ;; *p = 77 through a pointer into the caller's frame.
  (func $modify (param i32)
    local.get 0  i32.const 77  i32.store)

  ;; The frame escapes (&slot passed to a call): the callee's store must be seen.
  (func $escapes (result i32) (local i32 i32)
    global.get $__stack_pointer  i32.const 16  i32.sub  local.tee 0
    global.set $__stack_pointer
    local.get 0  i32.const 5  i32.store offset=8
    local.get 0  i32.const 8  i32.add  call $modify
    local.get 0  i32.load offset=8  local.set 1
    local.get 0  i32.const 16  i32.add  global.set $__stack_pointer
    local.get 1)

  ;; Recursion: every activation has its own slots.
  (func $sum_down (param i32) (result i32) (local i32 i32)
    global.get $__stack_pointer  i32.const 16  i32.sub  local.tee 1
    global.set $__stack_pointer
    local.get 1  local.get 0  i32.store offset=12
    block
      local.get 1  i32.load offset=12  i32.eqz  br_if 0
      local.get 1  i32.load offset=12  i32.const 1  i32.sub  call $sum_down
      local.get 1  i32.load offset=12  i32.add  local.set 2
    end
    local.get 1  i32.const 16  i32.add  global.set $__stack_pointer
    local.get 2)

  (func $_start (export "_start") (local i32)
    ;; Memory just below the stack pointer holds 41 where $read_before_write's slot will be.
    global.get $__stack_pointer  i32.const 12  i32.sub  i32.const 41  i32.store
    call $read_before_write  i32.const 42  i32.ne
    if i32.const 10 call $exit end
    call $puns  local.tee 0
    if local.get 0 call $exit end
    call $escapes  i32.const 77  i32.ne
    if i32.const 11 call $exit end
    i32.const 100  call $sum_down  i32.const 5050  i32.ne
    if i32.const 12 call $exit end
    i32.const 0  call $exit)
)
