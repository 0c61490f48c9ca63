//! A counting global allocator for memory tests: [`measure`] runs a closure
//! and returns the peak of the bytes it held at once (above what was held
//! when it started), counting only the calling thread's allocations, so
//! that tests running in parallel do not disturb each other's numbers.
//!
//! A test binary opts in with `mod counting;` and
//! `#[global_allocator] static A: counting::Counting = counting::Counting;`.
#![allow(dead_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

/// The system allocator, counting the measured thread's bytes.
pub struct Counting;

thread_local! {
    // Const-initialised, without destructors: reading them never allocates.
    static MEASURING: Cell<bool> = const { Cell::new(false) };
    static HELD: Cell<i64> = const { Cell::new(0) };
    static PEAK: Cell<i64> = const { Cell::new(0) };
    static TOTAL: Cell<u64> = const { Cell::new(0) };
}

fn grow(bytes: usize) {
    if MEASURING.with(Cell::get) {
        let held = HELD.with(|h| {
            let now = h.get() + bytes as i64;
            h.set(now);
            now
        });
        PEAK.with(|p| p.set(p.get().max(held)));
        TOTAL.with(|t| t.set(t.get() + bytes as u64));
    }
}

fn shrink(bytes: usize) {
    if MEASURING.with(Cell::get) {
        HELD.with(|h| h.set(h.get() - bytes as i64));
    }
}

// SAFETY: every call is forwarded to `System` unchanged; the counters are
// thread-local cells, touched without allocating.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        grow(layout.size());
        // SAFETY: the caller's contract, forwarded.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        grow(layout.size());
        // SAFETY: the caller's contract, forwarded.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        shrink(layout.size());
        // SAFETY: the caller's contract, forwarded.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        shrink(layout.size());
        grow(new_size);
        // SAFETY: the caller's contract, forwarded.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

/// What one measured call cost.
#[derive(Debug, Clone, Copy)]
pub struct Cost {
    /// The most bytes held at once during the call, above the start.
    pub peak: u64,
    /// Every byte allocated during the call.
    pub total: u64,
}

/// Runs `f` on this thread, counting its allocations; what `f` returns is
/// dropped inside the measurement (so the peak includes the result).
pub fn measure<T>(f: impl FnOnce() -> T) -> Cost {
    HELD.with(|h| h.set(0));
    PEAK.with(|p| p.set(0));
    TOTAL.with(|t| t.set(0));
    MEASURING.with(|m| m.set(true));
    let result = f();
    drop(result);
    MEASURING.with(|m| m.set(false));
    Cost {
        peak: PEAK.with(Cell::get).max(0) as u64,
        total: TOTAL.with(Cell::get),
    }
}

/// Asserts that the input of size `2n` costs at most `ratio` times the
/// input of size `n` (peak bytes), for `n` and `2n` given as costs.
pub fn assert_scales(what: &str, small: Cost, large: Cost, ratio: f64) {
    let peak = large.peak as f64 / small.peak.max(1) as f64;
    let total = large.total as f64 / small.total.max(1) as f64;
    assert!(
        peak < ratio && total < ratio,
        "{what}: doubling the input multiplies the peak by {peak:.2} \
         ({} -> {} bytes) and the allocations by {total:.2} ({} -> {} bytes)",
        small.peak,
        large.peak,
        small.total,
        large.total
    );
}
