//! Every core for one run: a step shared by threads (`parallel`), each computing its own
//! blocks of every product and ranges of every update, ends with the very weights one
//! thread alone reaches — whatever the number of threads. So a link gives the same run on
//! 1 core or 8.

use ndarray::{s, Array2};
use squares_playground::gemm::gemm;
use squares_playground::network::gradient_blocks;
use squares_playground::parallel::{self, SharedOutput};
use squares_playground::{Experiment, Trainer};
use std::sync::atomic::{AtomicU32, Ordering::Relaxed};
use std::sync::Mutex;

/// The pool's settings are global: one test at a time changes them.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

fn experiment(query: &str) -> Experiment {
    Experiment::from_query(query).unwrap_or_else(|notes| panic!("{query}: {notes:?}"))
}

/// `steps` batches of `e` on `threads` threads, with helpers claiming first or not; also how many
/// parts helpers ran meanwhile (one test at a time, so that the count is this test's own).
fn train(e: &Experiment, threads: usize, steps: usize, helpers_first: bool) -> (Trainer, u32) {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    parallel::set_threads(threads);
    parallel::set_helpers_first(helpers_first);
    let before = parallel::helper_parts();
    let mut trainer = Trainer::new(e).unwrap();
    trainer.step_batches(steps);
    let shared = parallel::helper_parts() - before;
    parallel::set_threads(1);
    (trainer, shared)
}

fn loss_bits(t: &Trainer) -> Vec<u32> {
    t.loss_history().iter().map(|l| l.to_bits()).collect()
}

#[test]
fn any_number_of_threads_reaches_the_weights_of_one_bit_for_bit() {
    // Share even the smallest products, so that empty and ragged parts are covered.
    parallel::set_min_part_work(1);
    for query in [
        "v=1&layers=16:relu,16:relu&lr=0.01&batch=100&twin=off",
        "v=1&layers=8:tanh,8:linear&opt=sgd&momentum=0.9&lr=0.01&batch=37&examples=300&twin=off",
        "v=1&task=product&layers=12:relu&batch=5&examples=60&twin=off",
        "v=1&layers=40:elu,24:sigmoid&opt=sgd&lr=0.01&batch=64&examples=200&twin=off",
    ] {
        let e = experiment(query);
        let steps = 3 * e.training_examples().div_ceil(e.batch_size); // three epochs, partial batches too
        let (alone, _) = train(&e, 1, steps, false);
        for threads in [2, 3, 8] {
            // Parts as they are claimed (as the page runs), and helpers first (so that
            // they compute some on any machine).
            for helpers_first in [false, true] {
                let (shared, parts) = train(&e, threads, steps, helpers_first);
                assert!(!helpers_first || parts > 0, "{query}: {threads} threads, but no helper ran a part");
                assert_eq!(shared.network(), alone.network(), "{query}: {threads} threads");
                assert_eq!(loss_bits(&shared), loss_bits(&alone), "{query}: the same epoch losses");
            }
        }
    }
}

#[test]
fn a_deep_product_cut_along_its_depth_keeps_the_bits_of_one_thread() {
    // Deep enough that `product` cuts the shared dimension (2, 3 or 4 parts of it), ragged
    // and empty outputs, and a depth that leaves a short last segment.
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    parallel::set_min_part_work(1);
    let value = |i: usize, j: usize, salt: usize| ((i * 31 + j * 17 + salt) % 23) as f32 * 0.37 - 3.9;
    for (m, k, n) in [(100, 1000, 100), (5, 1000, 7), (3, 1024, 33), (17, 768, 9), (9, 513, 4), (0, 600, 4), (4, 0, 4)]
    {
        let a = Array2::from_shape_fn((m, k), |(i, j)| value(i, j, 1));
        let b = Array2::from_shape_fn((k, n), |(i, j)| value(i, j, 2));
        let mut alone = Array2::from_elem((m, n), f32::NAN);
        gemm(1.0, &a, &b, 0.0, &mut alone);
        for threads in 1..=8 {
            parallel::set_threads(threads);
            for helpers_first in [false, true] {
                parallel::set_helpers_first(helpers_first);
                let mut shared = Array2::from_elem((m, n), f32::NAN);
                let finished = Mutex::new(Array2::<u8>::zeros((m, n)));
                parallel::product(a.view(), b.view(), SharedOutput::new(&mut shared.view_mut()), |rows, cols| {
                    finished.lock().unwrap().slice_mut(s![rows, cols]).mapv_inplace(|f| f + 1);
                });
                parallel::set_helpers_first(false);
                let bits = |c: &Array2<f32>| c.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
                assert_eq!(bits(&shared), bits(&alone), "{m}×{k}·{k}×{n} on {threads} threads");
                assert!(
                    finished.into_inner().unwrap().iter().all(|&f| f == 1),
                    "{m}×{k}·{k}×{n}: every block finished once"
                );
            }
        }
        parallel::set_threads(1);
    }
}

#[test]
fn a_network_with_deep_products_is_the_same_on_any_number_of_threads() {
    parallel::set_min_part_work(1);
    // 1024 → 8 forward and 1024-deep input gradients: cut along their depth on 2, 4 and 8 threads.
    let e = experiment("v=1&layers=8:relu,1024:tanh,8:relu&lr=0.01&batch=20&examples=60&twin=off");
    let steps = 2 * e.training_examples().div_ceil(e.batch_size);
    let (alone, _) = train(&e, 1, steps, false);
    for threads in [2, 3, 4, 8] {
        let (shared, parts) = train(&e, threads, steps, true);
        assert!(parts > 0, "{threads} threads, but no helper ran a part");
        assert_eq!(shared.network(), alone.network(), "{threads} threads");
        assert_eq!(loss_bits(&shared), loss_bits(&alone), "{threads} threads: the same epoch losses");
    }
}

#[test]
fn the_questions_network_at_its_own_sizes_is_the_same_on_two_threads() {
    let e = experiment(
        "v=1&task=square&examples=1000&largest=1000&norm=question&layers=20:relu,100:relu,1000:relu,100:relu,20:relu&batch=100&epochs=1&seed=3&twin=off",
    );
    let (alone, _) = train(&e, 1, 10, false);
    let (shared, parts) = train(&e, 2, 10, true);
    assert!(parts > 0, "the big products were not shared");
    assert_eq!(shared.network(), alone.network());
    assert_eq!(loss_bits(&shared), loss_bits(&alone));
}

#[test]
fn a_batch_is_cut_into_at_most_eight_blocks_by_its_size_alone() {
    let blocks: Vec<_> = gradient_blocks(100).collect();
    assert_eq!(blocks.len(), 8);
    assert_eq!((blocks[0].start, blocks[7].end), (0, 100));
    assert!(blocks.windows(2).all(|w| w[0].end == w[1].start && !w[0].is_empty()));
    assert_eq!(gradient_blocks(3).count(), 3, "fewer rows than blocks: a row each");
}

#[test]
fn every_part_of_every_region_runs_once_however_late_a_helper_wakes() {
    // Many short regions of changing sizes on more threads than cores: helpers wake late,
    // after their region has ended and others have begun. Each part must still run once, in
    // its own region (a part run twice once let a caller return while a helper still ran
    // its job: a crash on CI).
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    parallel::set_threads(8);
    for helpers_first in [false, true] {
        parallel::set_helpers_first(helpers_first);
        for region in 0..2000 {
            let parts = 2 + region % 7;
            let runs: Vec<AtomicU32> = (0..parallel::MAX_THREADS).map(|_| AtomicU32::new(0)).collect();
            parallel::split(parts, |part, of| {
                assert_eq!(of, parts, "region {region}: a part of another region");
                runs[part].fetch_add(1, Relaxed);
            });
            let counts: Vec<u32> = runs.iter().map(|r| r.load(Relaxed)).collect();
            let once: Vec<u32> = (0..parallel::MAX_THREADS).map(|p| u32::from(p < parts)).collect();
            assert_eq!(counts, once, "region {region} of {parts} parts, helpers first: {helpers_first}");
        }
    }
    parallel::set_helpers_first(false);
    parallel::set_threads(1);
}

#[test]
fn a_spared_core_leaves_regions_one_thread_fewer_until_it_is_given_back() {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let parts_of_a_region = || {
        let seen = AtomicU32::new(0);
        parallel::split(8, |_, parts| seen.store(parts as u32, Relaxed));
        seen.load(Relaxed)
    };
    for (threads, spared) in [(2, 1), (3, 2), (8, 7)] {
        parallel::set_threads(threads);
        assert_eq!(parts_of_a_region(), threads as u32);
        parallel::spare_a_core().store(1, Relaxed);
        assert_eq!(parts_of_a_region(), spared, "{threads} threads, one core spared");
        parallel::spare_a_core().store(0, Relaxed);
        assert_eq!(parts_of_a_region(), threads as u32, "{threads} threads, the core given back");
    }
    parallel::set_threads(1);
}
