//! How long the runtime's own work on guest structures takes, without the kernel: the
//! conversions on the hot syscall paths, timed in a loop. Not a correctness test (ignored by
//! default); run with
//! `cargo test --release -p walic-runtime --lib -- --ignored --nocapture conversion_overhead`.

use std::hint::black_box;
use std::time::Instant;

use super::layout::iovec::IovecArray;
use super::layout::msghdr::HostMsghdr;
use crate::guest;
use crate::guest::testing::FakeMemory;

/// Nanoseconds per call of `f`, the best of five rounds of `n` calls.
fn nanoseconds_per_call(n: u32, mut f: impl FnMut()) -> f64 {
    let mut best = f64::MAX;
    for _ in 0..5 {
        let start = Instant::now();
        for _ in 0..n {
            f();
        }
        best = best.min(start.elapsed().as_nanos() as f64 / n as f64);
    }
    best
}

#[test]
#[ignore = "a measurement, not a test"]
fn conversion_overhead() {
    let memory = FakeMemory::new(16 * 4096);
    for i in 0..100u32 {
        memory.put(64 + 8 * i, &(1000 + i).to_le_bytes());
        memory.put(68 + 8 * i, &8u32.to_le_bytes());
    }
    memory.put(4096, b"/dev/null\0");
    memory.put(8192, &[b'p'; 100]);
    memory.put(8292, b"\0");
    // A msghdr naming two iovecs at 64, no name, no control.
    for (i, value) in [0u32, 0, 64, 2, 0, 0, 0, 0, 0].iter().enumerate() {
        memory.put(12288 + 4 * i as u32, &value.to_le_bytes());
    }
    let n = 2_000_000;
    let report = |what: &str, ns: f64| println!("{what:<28} {ns:6.2} ns");
    report(
        "iovec x2",
        nanoseconds_per_call(n, || {
            let mut array = IovecArray::new();
            array.convert(black_box(64), 2).unwrap();
            black_box(&array);
        }),
    );
    report(
        "iovec x16",
        nanoseconds_per_call(n, || {
            let mut array = IovecArray::new();
            array.convert(black_box(64), 16).unwrap();
            black_box(&array);
        }),
    );
    report(
        "iovec x100",
        nanoseconds_per_call(n / 10, || {
            let mut array = IovecArray::new();
            array.convert(black_box(64), 100).unwrap();
            black_box(&array);
        }),
    );
    report(
        "path of 9 bytes",
        nanoseconds_per_call(n, || {
            black_box(guest::translate_path(black_box(4096)).unwrap());
        }),
    );
    report(
        "path of 100 bytes",
        nanoseconds_per_call(n, || {
            black_box(guest::translate_path(black_box(8192)).unwrap());
        }),
    );
    report(
        "msghdr for send",
        nanoseconds_per_call(n, || {
            let mut message = HostMsghdr::new();
            message.convert_for_send(black_box(12288)).unwrap();
            black_box(&message);
        }),
    );
    report(
        "read u32",
        nanoseconds_per_call(n, || {
            black_box(guest::read::<u32>(black_box(64)).unwrap());
        }),
    );
    report(
        "clock_gettime import",
        nanoseconds_per_call(n, || {
            black_box(super::time::walic_import_SYS_clock_gettime(
                core::ptr::null_mut(),
                libc::CLOCK_MONOTONIC as u64,
                black_box(16384),
                0,
                0,
                0,
                0,
            ));
        }),
    );
}
