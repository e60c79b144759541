//! The runtime's one lock type: a small futex mutex that `fork` can take over.
//!
//! `std::sync::Mutex` cannot be force-released, and a child created by `fork` inherits every lock
//! exactly as the parent's threads left it. The runtime's locks are few (memory map, tables, signal
//! actions) and are taken only by code that never calls back into wasm while holding them, so
//! `SYS_fork` acquires all of them before forking and releases them in both processes
//! (`crate::process`), which leaves the protected data consistent in the child.
//!
//! No lock is ever taken inside a native signal handler.

use core::cell::UnsafeCell;
use core::ops::{Deref, DerefMut};
use core::sync::atomic::{AtomicU32, Ordering};

/// A mutual-exclusion lock protecting a `T` (3-state futex mutex: 0 free, 1 locked, 2 contended).
pub(crate) struct Lock<T> {
    state: AtomicU32,
    value: UnsafeCell<T>,
}

// SAFETY: access to `value` is serialized by `state`.
unsafe impl<T: Send> Sync for Lock<T> {}
// SAFETY: as above.
unsafe impl<T: Send> Send for Lock<T> {}

impl<T> Lock<T> {
    /// A free lock holding `value`.
    pub(crate) const fn new(value: T) -> Self {
        Lock {
            state: AtomicU32::new(0),
            value: UnsafeCell::new(value),
        }
    }

    /// Acquires the lock, sleeping on a futex while another thread holds it.
    pub(crate) fn lock(&self) -> LockGuard<'_, T> {
        if self
            .state
            .compare_exchange(0, 1, Ordering::Acquire, Ordering::Relaxed)
            .is_err()
        {
            self.lock_contended();
        }
        LockGuard { lock: self }
    }

    #[cold]
    fn lock_contended(&self) {
        loop {
            if self.state.swap(2, Ordering::Acquire) == 0 {
                return;
            }
            futex_wait(&self.state, 2);
        }
    }

    fn unlock(&self) {
        if self.state.swap(0, Ordering::Release) == 2 {
            futex_wake(&self.state, 1);
        }
    }

    /// Acquires the lock and keeps it without a guard (for `fork`).
    pub(crate) fn acquire_raw(&self) {
        core::mem::forget(self.lock());
    }

    /// Releases a lock taken with [`Lock::acquire_raw`].
    ///
    /// # Safety
    /// The caller must hold the lock through `acquire_raw` (in a fork child, the parent thread's
    /// hold is inherited by the only thread left).
    pub(crate) unsafe fn release_raw(&self) {
        self.unlock();
    }
}

/// Proof that a [`Lock`] is held; releases it when dropped.
pub(crate) struct LockGuard<'a, T> {
    lock: &'a Lock<T>,
}

impl<T> Deref for LockGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        // SAFETY: the guard proves exclusive access.
        unsafe { &*self.lock.value.get() }
    }
}

impl<T> DerefMut for LockGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: the guard proves exclusive access.
        unsafe { &mut *self.lock.value.get() }
    }
}

impl<T> Drop for LockGuard<'_, T> {
    fn drop(&mut self) {
        self.lock.unlock();
    }
}

/// Sleeps while `*word == expected` (private futex; spurious wake-ups are possible).
pub(crate) fn futex_wait(word: &AtomicU32, expected: u32) {
    // SAFETY: FUTEX_WAIT_PRIVATE reads the word at a valid address; no timeout.
    unsafe {
        libc::syscall(
            libc::SYS_futex,
            word.as_ptr(),
            libc::FUTEX_WAIT | libc::FUTEX_PRIVATE_FLAG,
            expected,
            core::ptr::null::<libc::timespec>(),
        );
    }
}

/// Wakes up to `count` threads sleeping on `word`.
pub(crate) fn futex_wake(word: &AtomicU32, count: i32) {
    // SAFETY: FUTEX_WAKE_PRIVATE only uses the address as a key.
    unsafe {
        libc::syscall(
            libc::SYS_futex,
            word.as_ptr(),
            libc::FUTEX_WAKE | libc::FUTEX_PRIVATE_FLAG,
            count,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn lock_serializes_threads() {
        let lock = Arc::new(Lock::new(0u64));
        let threads: Vec<_> = (0..4)
            .map(|_| {
                let lock = lock.clone();
                std::thread::spawn(move || {
                    for _ in 0..10_000 {
                        *lock.lock() += 1;
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        assert_eq!(*lock.lock(), 40_000);
    }
}
