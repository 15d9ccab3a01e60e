//! Issue #10: after warm-up, training and snapshots allocate nothing — every buffer a step
//! or a snapshot needs (the workspace, the optimizer's moments, the kernel's packing
//! scratch, the snapshot's inference buffers) exists already, so a long run in the browser
//! never grows its wasm memory.
//!
//! A counting global allocator tallies the bytes each thread allocates: the test harness
//! runs tests on several threads at once, and only the measuring thread's count matters.
//! `allocated_during` is the one helper a test needs.

use squares_playground::{preset, Experiment, OptimizerKind, Snapshotter, Status, Trainer, View};
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

/// The system allocator, counting what it hands out on each thread.
struct Counting;

thread_local! {
    /// Bytes this thread has allocated so far. Const-initialised without a destructor, so
    /// reading it from inside the allocator never allocates itself.
    static ALLOCATED: Cell<usize> = const { Cell::new(0) };
}

fn count(bytes: usize) {
    // try_with: a thread being torn down may still free and allocate after its locals are gone.
    let _ = ALLOCATED.try_with(|total| total.set(total.get() + bytes));
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count(layout.size());
        System.alloc(layout)
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count(layout.size());
        System.alloc_zeroed(layout)
    }

    /// A reallocation counts as an allocation of the new size.
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count(new_size);
        System.realloc(ptr, layout, new_size)
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout)
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Bytes allocated on this thread while `f` runs.
fn allocated_during(f: impl FnOnce()) -> usize {
    let before = ALLOCATED.with(Cell::get);
    f();
    ALLOCATED.with(Cell::get) - before
}

/// Warms a trainer up with `warm_up` batches, then counts what `steps` more allocate.
fn bytes_allocated_by_steps(experiment: &Experiment, warm_up: usize, steps: usize) -> usize {
    let mut trainer = Trainer::new(experiment).expect("a valid experiment");
    assert_eq!(trainer.step_batches(warm_up), Status::Running);
    let bytes = allocated_during(|| {
        for _ in 0..steps {
            assert_eq!(trainer.step_batch(), Status::Running);
        }
    });
    assert!(trainer.epoch() >= 2, "the steps cross epoch boundaries (reshuffle, loss history)");
    bytes
}

#[test]
fn the_counter_sees_an_allocation() {
    assert!(allocated_during(|| drop(std::hint::black_box(vec![0u8; 1000]))) >= 1000);
}

#[test]
fn a_small_relu_network_trains_without_allocating_after_one_epoch() {
    let experiment = preset("small-relu").unwrap().experiment();
    assert_eq!(bytes_allocated_by_steps(&experiment, 10, 25), 0);
}

#[test]
fn the_questions_all_linear_network_trains_without_allocating_after_warm_up() {
    // 20-100-1000-100-20-1 with batch 50, so that a few steps cross two epochs.
    let experiment = Experiment { examples: 100, batch_size: 50, ..preset("question-square").unwrap().experiment() };
    assert_eq!(bytes_allocated_by_steps(&experiment, 2, 4), 0);
}

#[test]
fn the_questions_network_on_two_threads_trains_without_allocating_after_warm_up() {
    // Its two 1000-deep products are cut along their depth there, through buffers the first
    // step grows (parallel::product).
    let experiment = Experiment { examples: 100, batch_size: 50, ..preset("question-square").unwrap().experiment() };
    squares_playground::parallel::set_threads(2);
    let bytes = bytes_allocated_by_steps(&experiment, 2, 4);
    squares_playground::parallel::set_threads(1);
    assert_eq!(bytes, 0);
}

#[test]
fn sgd_with_momentum_and_a_partial_last_batch_trains_without_allocating() {
    let mut experiment = Experiment { examples: 1000, batch_size: 300, ..Experiment::default() };
    experiment.optimizer.kind = OptimizerKind::Sgd;
    experiment.optimizer.momentum = 0.9;
    // Four batches an epoch, the last of 100 rows.
    assert_eq!(bytes_allocated_by_steps(&experiment, 4, 10), 0);
}

#[test]
fn a_test_set_measured_after_every_epoch_allocates_nothing() {
    let experiment = Experiment { test_split: 0.2, noise: 0.05, ..preset("small-relu").unwrap().experiment() };
    assert_eq!(bytes_allocated_by_steps(&experiment, 8, 20), 0);
}

fn experiment(query: &str) -> Experiment {
    Experiment::from_query(query).unwrap_or_else(|notes| panic!("{query}: {notes:?}"))
}

/// Warms up (a live and an exact snapshot), trains on, then snapshots again: the second
/// round must allocate nothing, in one go and in slices.
fn snapshots_allocate_nothing(e: &Experiment) {
    let mut trainer = Trainer::new(e).unwrap();
    let mut snapshots = Snapshotter::new(&trainer, View::of(&trainer));
    trainer.step_batches(3);
    snapshots.live(&trainer);
    snapshots.exact_now(&trainer);
    trainer.step_batches(2);
    let bytes = allocated_during(|| {
        snapshots.live(&trainer);
        snapshots.exact_now(&trainer);
        snapshots.begin_exact(&trainer);
        while !snapshots.advance_exact(&trainer, 10_000) {}
    });
    assert_eq!(bytes, 0, "{}: snapshots allocated {bytes} bytes", e.to_query());
    assert_eq!(snapshots.exact().count, 3);
}

#[test]
fn snapshots_of_a_relu_network_allocate_nothing() {
    snapshots_allocate_nothing(&experiment("v=1&layers=64:relu,64:relu&extent=2&twin=off&test=0.2"));
}

#[test]
fn snapshots_of_the_questions_big_linear_network_allocate_nothing() {
    snapshots_allocate_nothing(&preset("question-square").unwrap().experiment());
}

#[test]
fn snapshots_of_a_two_input_task_and_a_smooth_network_allocate_nothing() {
    snapshots_allocate_nothing(&experiment("v=1&task=product&layers=16:tanh,8:linear&norm=standard&twin=off"));
}
