;; A promoted frame whose stack pointer has wrapped below address 0 traps as an out-of-bounds
;; access, as its first frame access would have.
(module
  (import "wali" "__proc_exit" (func $exit (param i32)))
  (memory 1)
  (global $__stack_pointer (mut i32) (i32.const 65536))
  (func $needs_frame (param i32) (result i32) (local i32)
    global.get $__stack_pointer  i32.const 64  i32.sub  local.tee 1
    global.set $__stack_pointer
    local.get 1  local.get 0  i32.store offset=60
    local.get 1  i32.load offset=60)
  (func $_start (export "_start")
    i32.const 16  global.set $__stack_pointer
    i32.const 3  call $needs_frame
    call $exit)
)
