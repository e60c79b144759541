;; Indirect calls whose type differs from the callee's (C function-pointer casts) behave as the
;; x86-64 ABI would make them: missing parameters and results are 0, extra arguments are dropped,
;; an i64 read from an i32 is zero-extended and an i32 read from an i64 is its low half. Each
;; check exits with its number when it fails; all passing exits with 0.
(module
  (type $i_i (func (param i32) (result i32)))
  (type $ii_i (func (param i32 i32) (result i32)))
  (type $ii_v (func (param i32 i32)))
  (type $l_l (func (param i64) (result i64)))
  (type $i_l (func (param i32) (result i64)))
  (type $l_i (func (param i64) (result i32)))
  (type $v_i (func (result i32)))
  (type $v_ii (func (result i32 i32)))
  (type $f_i (func (param f32) (result i32)))
  (import "wali" "SYS_exit_group" (func $exit (param i32) (result i64)))
  (import "wali" "SYS_getpid" (func $getpid (result i64)))
  (memory 1)
  (global $counter (mut i32) (i32.const 0))
  (table 16 16 funcref)
  (elem (i32.const 0) $second $ident64 $first $nothing $sum2 $ident_f64 $count $getpid $bits32 $seven)
  (func $second (param i32 i32) (result i32) (local.get 1))
  (func $ident64 (param i64) (result i64) (local.get 0))
  (func $first (param i32) (result i32) (local.get 0))
  (func $nothing)
  (func $sum2 (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
  (func $ident_f64 (param f64) (result f64) (local.get 0))
  (func $count (param i32 i32)
    (global.set $counter (i32.add (global.get $counter) (i32.add (local.get 0) (local.get 1)))))
  (func $bits32 (param i32) (result i32) (local.get 0))
  (func $seven (result i32) (i32.const 7))
  (func $check (param $ok i32) (param $number i32)
    (if (i32.eqz (local.get $ok)) (then (drop (call $exit (local.get $number))))))
  (func (export "_start") (local $first i32) (local $second i32)
    ;; 1: a parameter the caller does not pass is 0.
    (call $check
      (i32.eqz (call_indirect (type $i_i) (i32.const 5) (i32.const 0))) (i32.const 1))
    ;; 2: extra arguments are dropped.
    (call $check
      (i32.eq (call_indirect (type $ii_i) (i32.const 7) (i32.const 9) (i32.const 2)) (i32.const 7))
      (i32.const 2))
    ;; 3: an i64 parameter passed an i32 is zero-extended.
    (call $check
      (i64.eq (call_indirect (type $i_l) (i32.const -1) (i32.const 1)) (i64.const 0xffffffff))
      (i32.const 3))
    ;; 4: an i32 result read from an i64 is its low half.
    (call $check
      (i32.eq (call_indirect (type $l_i) (i64.const 0x100000005) (i32.const 1)) (i32.const 5))
      (i32.const 4))
    ;; 5: a result the callee does not produce is 0.
    (call $check (i32.eqz (call_indirect (type $v_i) (i32.const 3))) (i32.const 5))
    ;; 6: a result the caller does not expect is dropped, the callee's effects happen.
    (call_indirect (type $ii_v) (i32.const 40) (i32.const 2) (i32.const 6))
    (call $check (i32.eq (global.get $counter) (i32.const 42)) (i32.const 6))
    ;; 7: an f64 passes through i64 slots bit for bit.
    (call $check
      (i64.eq
        (call_indirect (type $l_l) (i64.const 0x400921fb54442d18) (i32.const 5))
        (i64.const 0x400921fb54442d18))
      (i32.const 7))
    ;; 8: a matching call still works, and values live across adapted calls survive.
    (call $check
      (i32.eq
        (i32.add
          (i32.const 100)
          (i32.add
            (call_indirect (type $v_i) (i32.const 3))
            (call_indirect (type $ii_i) (i32.const 1) (i32.const 2) (i32.const 4))))
        (i32.const 103))
      (i32.const 8))
    ;; 9: an import in the table, called through another type (getpid takes nothing).
    (call $check
      (i64.gt_s (call_indirect (type $i_l) (i32.const 99) (i32.const 7)) (i64.const 0))
      (i32.const 9))
    ;; 10: the second of two expected results is 0 when the callee has one.
    (call_indirect (type $v_ii) (i32.const 9))
    (local.set $second)
    (local.set $first)
    (call $check
      (i32.and (i32.eq (local.get $first) (i32.const 7)) (i32.eqz (local.get $second)))
      (i32.const 10))
    ;; 11: an f32 argument reaches an i32 parameter as its bits.
    (call $check
      (i32.eq (call_indirect (type $f_i) (f32.const 1.0) (i32.const 8)) (i32.const 0x3f800000))
      (i32.const 11))))
