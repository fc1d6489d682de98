//! The evaluation kernel allocates nothing: Monte Carlo and sensitivity call it millions of
//! times. Recording that a value was clamped (issue 9 §3) must stay a flag in the
//! workspace, its note built by the assessment. This binary counts the allocations its own
//! test thread makes while the kernel runs.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};

use vigie::engine::flags;
use vigie::{Model, Workspace, evaluate};

struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    static COUNTING: Cell<bool> = const { Cell::new(false) };
}

// SAFETY: every call is passed to the system allocator unchanged; only a counter is kept.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if COUNTING.with(Cell::get) {
            ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        }
        // SAFETY: the caller's contract is the system allocator's.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from `System.alloc` with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Values beyond goalposts and piecewise ends, evaluated many times: flags set, nothing
/// allocated.
#[test]
fn clamping_is_recorded_without_allocating() {
    let text = r#"[model]
id = "k"
name = "Kernel"
version = "1.0.0"
effective = 2025-01-01
scale = [0, 100]
[indicators.g]
label = "G"
direction = "higher_is_riskier"
normalise = { method = "goalposts", min = 0, max = 80 }
[indicators.w]
label = "W"
direction = "higher_is_riskier"
transform = "ln"
normalise = { method = "piecewise", points = [[1, 0], [4, 100]] }
[indicators.i]
label = "I"
direction = "higher_is_riskier"
normalise = { method = "identity" }
[groups.root]
children = ["g", "w", "i"]
aggregation = "geometric"
[[bands]]
label = "Low"
from = 0
"#;
    let model = Model::from_toml("m.toml", text).unwrap();
    let params = model.default_params();
    let mut ws = Workspace::new(&model);
    let inputs = [[92.5, 24.0, 120.0], [-3.0, 0.5, -1.0], [40.0, 2.0, 50.0]];
    COUNTING.with(|c| c.set(true));
    let mut clamped = 0;
    for k in 0..3000 {
        let x = &inputs[k % 3];
        let outcome = evaluate(&model, x, &params, &mut ws).expect("evaluates");
        assert!(outcome.score.is_finite());
        clamped += ws.flags[..3]
            .iter()
            .filter(|f| **f & flags::CLAMPED != 0)
            .count();
    }
    COUNTING.with(|c| c.set(false));
    assert_eq!(ALLOCATIONS.load(Ordering::Relaxed), 0);
    // Two of the three input rows have all three values out of range.
    assert_eq!(clamped, 2000 * 3);
}
