;; Calls that -O2 inlines (small, leaf and single-site callees), in every shape the inliner must
;; get right. Each check exits with its number when it fails; the program exits 0 after writing
;; "ok\n" from an inlined callee that calls an import.
(module
  (import "wali" "__proc_exit" (func $exit (param i32)))
  (import "wali" "SYS_write" (func $write (param i32 i32 i32) (result i64)))
  (memory 1 10)
  (table $t 4 funcref)
  (type $ii (func (param i32) (result i32)))
  (elem (table $t) (i32.const 1) func $double $sum_to)
  (data (i32.const 32) "ok\n")
  (global $counter (mut i32) (i32.const 0))

  (func $check (param $n i32) (param $ok i32)
    (if (i32.eqz (local.get $ok)) (then (call $exit (local.get $n)))))
  ;; Small: inlined everywhere.
  (func $double (type $ii) (i32.mul (local.get 0) (i32.const 2)))
  (func $add3 (param i32 i32 i32) (result i32)
    (i32.add (i32.add (local.get 0) (local.get 1)) (local.get 2)))
  ;; A leaf with a loop; the callee's loop ends up inside the caller's loop.
  (func $sum_to (type $ii) (local $acc i32)
    (block $done
      (loop $l
        (br_if $done (i32.eqz (local.get 0)))
        (local.set $acc (i32.add (local.get $acc) (local.get 0)))
        (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
        (br $l)))
    (local.get $acc))
  ;; Multi-value results, through an inlined body.
  (func $divmod (param i32 i32) (result i32 i32)
    (i32.div_u (local.get 0) (local.get 1))
    (i32.rem_u (local.get 0) (local.get 1)))
  ;; Memory and a global written by the callee, read back by the caller.
  (func $store_and_count (param i32 i32)
    (i32.store (local.get 0) (local.get 1))
    (global.set $counter (i32.add (global.get $counter) (i32.const 1))))
  ;; An indirect call inside an inlined callee.
  (func $apply (param i32 i32) (result i32)
    (call_indirect $t (type $ii) (local.get 1) (local.get 0)))
  ;; Mutual recursion: each is small, so each is inlined into the other until the budget ends.
  (func $even (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0))
      (then (i32.const 1))
      (else (call $odd (i32.sub (local.get 0) (i32.const 1))))))
  (func $odd (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0))
      (then (i32.const 0))
      (else (call $even (i32.sub (local.get 0) (i32.const 1))))))
  ;; Self-recursion: never inlined into itself.
  (func $fact (param i64) (result i64)
    (if (result i64) (i64.le_u (local.get 0) (i64.const 1))
      (then (i64.const 1))
      (else (i64.mul (local.get 0) (call $fact (i64.sub (local.get 0) (i64.const 1)))))))
  ;; Nested small helpers: inlined transitively.
  (func $quad (type $ii) (call $double (call $double (local.get 0))))
  ;; Calls an import: its signal check after the import comes along.
  (func $say_ok (drop (call $write (i32.const 1) (i32.const 32) (i32.const 3))))
  ;; Early return from inside a block of the callee.
  (func $clamp (param i32) (result i32)
    (if (i32.gt_s (local.get 0) (i32.const 100)) (then (return (i32.const 100))))
    (if (i32.lt_s (local.get 0) (i32.const 0)) (then (return (i32.const 0))))
    (local.get 0))

  (func $_start (export "_start")
    (local $i i32) (local $acc i32) (local $q i32) (local $r i32)
    (call $check (i32.const 1) (i32.eq (call $double (i32.const 21)) (i32.const 42)))
    (call $check (i32.const 2)
      (i32.eq (call $add3 (i32.const 1) (i32.const 2) (i32.const 3)) (i32.const 6)))
    ;; A loop around an inlined loop.
    (loop $l
      (local.set $acc (i32.add (local.get $acc) (call $sum_to (local.get $i))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 100))))
    ;; sum over i < 100 of i(i+1)/2 = 166650
    (call $check (i32.const 3) (i32.eq (local.get $acc) (i32.const 166650)))
    (call $divmod (i32.const 47) (i32.const 5))
    (local.set $r) (local.set $q)
    (call $check (i32.const 4) (i32.and (i32.eq (local.get $q) (i32.const 9))
                                        (i32.eq (local.get $r) (i32.const 2))))
    (call $store_and_count (i32.const 64) (i32.const 1234))
    (call $store_and_count (i32.const 68) (i32.const 5678))
    (call $check (i32.const 5) (i32.eq (i32.load (i32.const 64)) (i32.const 1234)))
    (call $check (i32.const 6) (i32.eq (i32.load (i32.const 68)) (i32.const 5678)))
    (call $check (i32.const 7) (i32.eq (global.get $counter) (i32.const 2)))
    (call $check (i32.const 8) (i32.eq (call $apply (i32.const 1) (i32.const 8)) (i32.const 16)))
    (call $check (i32.const 9) (i32.eq (call $apply (i32.const 2) (i32.const 4)) (i32.const 10)))
    (call $check (i32.const 10) (i32.eq (call $even (i32.const 1001)) (i32.const 0)))
    (call $check (i32.const 11) (i32.eq (call $odd (i32.const 1001)) (i32.const 1)))
    (call $check (i32.const 12) (i64.eq (call $fact (i64.const 20)) (i64.const 2432902008176640000)))
    (call $check (i32.const 13) (i32.eq (call $quad (i32.const 5)) (i32.const 20)))
    (call $check (i32.const 14) (i32.eq (call $clamp (i32.const 500)) (i32.const 100)))
    (call $check (i32.const 15) (i32.eq (call $clamp (i32.const -5)) (i32.const 0)))
    (call $check (i32.const 16) (i32.eq (call $clamp (i32.const 55)) (i32.const 55)))
    (call $say_ok)
    (call $exit (i32.const 0)))
)
