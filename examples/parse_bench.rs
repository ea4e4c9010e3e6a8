//! Times `parse_command` on one insert line, and counts the heap
//! allocations it makes per line.
//!
//!     cargo run --release --example parse_bench -- [ITERATIONS] [LINE]
use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use growthdb::core::parser::parse_command;

/// The system allocator, counting calls to `alloc` (and `realloc`).
struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn main() {
    let mut args = std::env::args().skip(1);
    let iterations: usize = args
        .next()
        .map_or(1_000_000, |n| n.parse().expect("ITERATIONS is a number"));
    let line = args
        .next()
        .unwrap_or_else(|| "insert 2021-03-05 bench.m3{shard=s503}=503063".to_string());
    parse_command(&line).expect("the line parses");

    let before = ALLOCATIONS.load(Ordering::Relaxed);
    let start = Instant::now();
    for _ in 0..iterations {
        black_box(parse_command(black_box(&line)).unwrap());
    }
    let elapsed = start.elapsed();
    let allocations = ALLOCATIONS.load(Ordering::Relaxed) - before;
    println!(
        "{iterations} x {line:?}: {elapsed:.2?}, {:.1} ns/line, {:.2} allocations/line",
        elapsed.as_nanos() as f64 / iterations as f64,
        allocations as f64 / iterations as f64
    );
}
