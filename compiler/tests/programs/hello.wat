(module
  (import "wali" "SYS_write" (func $write (param i32 i32 i32) (result i64)))
  (import "wali" "__proc_exit" (func $exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 16) "Hello, walic!\n")
  (global $sp (mut i32) (i32.const 65536))
  (func $fib (param i32) (result i32)
    local.get 0 i32.const 2 i32.lt_u
    if (result i32) local.get 0
    else local.get 0 i32.const 1 i32.sub call $fib local.get 0 i32.const 2 i32.sub call $fib i32.add end)
  (func $_start (export "_start")
    (local i32)
    (loop $l
      (drop (call $write (i32.const 1) (i32.const 16) (i32.const 14)))
      (local.set 0 (i32.add (local.get 0) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get 0) (i32.const 3))))
    (call $exit (i32.sub (call $fib (i32.const 10)) (i32.const 55))))
)
