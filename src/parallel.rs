//! Every core for one run: a pool of helper threads that share each parallel region of a
//! training step (a layer's matrix product, the optimizer's update) by columns or elements.
//!
//! Every part computes exactly what the whole computation would have put in its columns,
//! with the same operations in the same order (see `gemm`: an element's sum depends only
//! on the shapes). So a run gives the same bits on one thread or eight: the thread count
//! changes the speed, never the curve (`tests/parallel.rs`).
//!
//! Natively the helpers are `std::thread`s, started when a thread first asks for more than
//! one part. On wasm they are Web Workers that share this module's memory (the threaded
//! build: `+atomics`, see scripts/build-web.sh); each calls [`serve`] and never returns.
//!
//! A region is announced by bumping a generation counter. Its parts are claimed one at a
//! time from a counter, by the caller and by whichever helpers are awake: a helper the OS
//! has put aside (the page's own threads want the cores too) leaves its share to the
//! others instead of holding them up. Helpers spin for a while after a region (a step's
//! regions follow each other within microseconds), then sleep until the next; the caller,
//! done with what it could claim, spins for the last parts, then sleeps until they finish,
//! so that a helper waiting for a core can have the caller's.

mod product;
mod shares;

pub use product::product;
pub use shares::{share, tile, SharedOutput, SharedSlice};
use std::cell::Cell;
use std::sync::atomic::{AtomicBool, AtomicPtr, AtomicU32, AtomicU64, AtomicUsize, Ordering::*};
use std::sync::{Condvar, Mutex, MutexGuard};

/// The most threads (the caller included) a region is shared by.
pub const MAX_THREADS: usize = 8;

/// How many times an idle helper checks for the next region before it sleeps: for longer
/// than the gaps between a step's regions, since in a browser sleeping and being woken
/// costs more than such a gap. On wasm a check is a load (`spin_loop` is no instruction),
/// about a nanosecond: with 200k checks, some 100 µs, a helper slept 0.2–0.8 times per
/// step of the question's network, where 20k had it sleep five times a step. Natively a
/// check includes x86's `pause`, tens of ns, and waking is cheap.
#[cfg(target_arch = "wasm32")]
const SPIN: u32 = 200_000;
#[cfg(not(target_arch = "wasm32"))]
const SPIN: u32 = 20_000;
/// How long the caller keeps checking for the last parts before it sleeps: longer, as a
/// helper that started late finishes late, and waking the caller takes a while.
const CALLER_SPIN: u32 = 1_000_000;

/// `Pool::region`: the next part to claim in the low 24 bits, the part count in the next 8,
/// the generation in the high 32. A claim is one `fetch_add` of the word: the count and
/// generation it returns are those of the region whose part it took, however late the
/// claimer. (With the count in a word of its own, a helper that took a part number after the
/// last part, then read the count of the next, larger region, ran a part of that region
/// which its caller also ran.)
struct Claim;

impl Claim {
    const PARTS_SHIFT: u32 = 24;
    const GENERATION_SHIFT: u32 = 32;

    /// A new region: generation `generation`, `parts` parts, none claimed.
    fn open(generation: u32, parts: usize) -> u64 {
        (generation as u64) << Self::GENERATION_SHIFT | (parts as u64) << Self::PARTS_SHIFT
    }

    /// The part a claim took, if the region has it, and the region's part count.
    fn part(word: u64) -> (Option<usize>, usize) {
        let (next, parts) = (Self::next(word), (word >> Self::PARTS_SHIFT & 0xff) as usize);
        ((next < parts).then_some(next), parts)
    }

    /// The next part to claim (past the count once all are claimed or the region closed).
    fn next(word: u64) -> usize {
        (word & ((1 << Self::PARTS_SHIFT) - 1)) as usize
    }

    fn generation(word: u64) -> u32 {
        (word >> Self::GENERATION_SHIFT) as u32
    }
}

/// Or'ed into the next part when a region ends: no claim can succeed after it (helpers add at
/// most one failed claim each per region, far from reaching the count's bits).
const CLOSED: u64 = 1 << 23;

type Job<'a> = &'a (dyn Fn(usize, usize) + Sync);

/// Nonzero while something outside the pool needs a core for a moment: regions then use
/// one thread fewer, and the helper left out sleeps. In the page, a run whose threads take
/// every core raises it while a frame is drawn (www/parallel.js): otherwise the drawing
/// preempts one of a region's threads mid-part, the others wait for that part, and each
/// frame costs every thread its time. (The question's run on two cores, the page with and
/// without it in turns: faster with it in 15 rounds of 20; see the README.)
static SPARE_A_CORE: AtomicU32 = AtomicU32::new(0);

/// The flag that spares a core (see `SPARE_A_CORE`): the page sets it through the module's
/// shared memory, natively a test through `store`.
pub fn spare_a_core() -> &'static AtomicU32 {
    &SPARE_A_CORE
}

/// The one pool of this process (or wasm instance).
struct Pool {
    /// The current region in one word, so that a claim sees the region it claimed in: its
    /// generation (bumped to announce a region; helpers remember the last one they saw), its
    /// part count and the next part to claim (see `Claim`).
    region: AtomicU64,
    /// The region's job (a `*const Job`, valid until every part is done).
    job: AtomicPtr<()>,
    /// How many of the region's parts are done.
    done: AtomicUsize,
    /// A helper's part panicked (native only: on wasm a panic aborts).
    panicked: AtomicBool,
    /// Tests only: the caller leaves all parts but one to the helpers, so that helpers take
    /// parts on any machine however busy (see `set_helpers_first`).
    helpers_first: AtomicBool,
    /// Helpers that have started serving, and how many of them are asleep.
    helpers: AtomicUsize,
    sleepers: AtomicUsize,
    /// Parts run by helpers since the start: evidence that regions really were shared.
    helper_parts: AtomicU32,
    /// Where idle helpers sleep.
    sleep: Mutex<()>,
    wake: Condvar,
    /// Where the caller sleeps until the last part is done.
    caller_asleep: AtomicBool,
    caller_sleep: Mutex<()>,
    caller_wake: Condvar,
    /// One region at a time (several native test threads may share the pool).
    dispatch: Mutex<()>,
}

static POOL: Pool = Pool {
    region: AtomicU64::new(CLOSED),
    job: AtomicPtr::new(std::ptr::null_mut()),
    done: AtomicUsize::new(0),
    panicked: AtomicBool::new(false),
    helpers_first: AtomicBool::new(false),
    helpers: AtomicUsize::new(0),
    sleepers: AtomicUsize::new(0),
    helper_parts: AtomicU32::new(0),
    sleep: Mutex::new(()),
    wake: Condvar::new(),
    caller_asleep: AtomicBool::new(false),
    caller_sleep: Mutex::new(()),
    caller_wake: Condvar::new(),
    dispatch: Mutex::new(()),
};

thread_local! {
    /// Threads this thread's regions may use (1: everything runs inline).
    static THREADS: Cell<usize> = const { Cell::new(1) };
    /// Inside a region: a nested one runs inline rather than waiting for itself.
    static IN_REGION: Cell<bool> = const { Cell::new(false) };
}

/// A lock that a panic elsewhere may have poisoned: what it guards is nothing.
fn lock(mutex: &Mutex<()>) -> MutexGuard<'_, ()> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

/// Lets this thread's regions use up to `threads` threads, itself included (clamped to
/// 1..=MAX_THREADS). Natively, starts the helpers that are missing; on wasm the page starts
/// them, and regions use as many as have arrived.
pub fn set_threads(threads: usize) {
    let threads = threads.clamp(1, MAX_THREADS);
    THREADS.set(threads);
    #[cfg(not(target_arch = "wasm32"))]
    native::ensure_helpers(threads - 1);
}

/// Whether a region started on this thread now may have more than one part (this thread
/// may use several threads, and is not inside a region already, where regions run inline).
fn may_share() -> bool {
    THREADS.get() > 1 && !IN_REGION.get()
}

/// Helpers serving the pool now.
pub fn helpers() -> usize {
    POOL.helpers.load(Acquire)
}

/// Parts that helpers have run since the start (0 on a single thread).
pub fn helper_parts() -> u32 {
    POOL.helper_parts.load(Relaxed)
}

/// Runs `job(part, parts)` for every part of one region and returns when all are done:
/// `parts` is at most `max_parts`, this thread's `threads()` (one fewer while a core is
/// spared) and the helpers serving + 1. With one part the job runs inline as `job(0, 1)`.
/// Which thread runs which part is decided as they come.
///
/// The parts must write disjoint memory; what each computes must not depend on `parts`
/// beyond which share of the work it takes, or the result would depend on the machine.
pub fn split(max_parts: usize, job: impl Fn(usize, usize) + Sync) {
    let threads = THREADS.get() - usize::from(SPARE_A_CORE.load(Relaxed) != 0);
    let parts = max_parts.min(threads).min(helpers() + 1);
    if parts <= 1 || IN_REGION.get() {
        return job(0, 1);
    }
    let _one_at_a_time = lock(&POOL.dispatch);
    let job: Job = &job;
    POOL.job.store(&job as *const Job as *mut (), Release);
    POOL.done.store(0, Release);
    let generation = Claim::generation(POOL.region.load(Acquire)).wrapping_add(1);
    POOL.region.store(Claim::open(generation, parts), SeqCst);
    if POOL.sleepers.load(SeqCst) > 0 {
        let _lock = lock(&POOL.sleep);
        POOL.wake.notify_all();
    }
    let region = Region::enter();
    if POOL.helpers_first.load(Relaxed) {
        while Claim::next(POOL.region.load(Acquire)) < parts - 1 {
            std::thread::yield_now();
        }
    }
    while let (Some(part), _) = claim() {
        job(part, parts);
        POOL.done.fetch_add(1, SeqCst);
    }
    drop(region);
    if POOL.panicked.swap(false, AcqRel) {
        panic!("a helper thread panicked in a parallel region");
    }
}

/// The next unclaimed part of the current region, if any is left, and the region's count.
fn claim() -> (Option<usize>, usize) {
    Claim::part(POOL.region.fetch_add(1, AcqRel))
}

/// The caller's side of a region in progress: dropped (even by a panic in its part), it
/// waits for the helpers' parts, which may still be reading the job on the caller's stack.
struct Region;

impl Region {
    fn enter() -> Region {
        IN_REGION.set(true);
        Region
    }
}

impl Drop for Region {
    fn drop(&mut self) {
        // No part can be claimed any more: a late helper must not start one after we return.
        let (last, parts) = Claim::part(POOL.region.fetch_or(CLOSED, AcqRel));
        let claimed = last.unwrap_or(parts);
        let finished = || POOL.done.load(SeqCst) >= claimed;
        let mut spins = 0;
        while !finished() && spins < CALLER_SPIN {
            std::hint::spin_loop();
            spins += 1;
        }
        if !finished() {
            POOL.caller_asleep.store(true, SeqCst);
            let mut guard = lock(&POOL.caller_sleep);
            while !finished() {
                guard = POOL.caller_wake.wait(guard).unwrap_or_else(|e| e.into_inner());
            }
            drop(guard);
            POOL.caller_asleep.store(false, SeqCst);
        }
        IN_REGION.set(false);
    }
}

/// The life of a helper thread: runs the parts it can claim of every region, forever. On
/// wasm, a Web Worker that shares the module's memory calls this (through the web layer)
/// and blocks.
///
/// A helper may wake late, after the region it was woken for has ended and another begun:
/// so it reads nothing of a region before it has claimed a part. The claim comes first; a
/// part it wins belongs to the region whose job and count were stored before `next` was
/// reset, and that region cannot end before the part is done.
pub fn serve() -> ! {
    POOL.helpers.fetch_add(1, AcqRel);
    let mut seen = Claim::generation(POOL.region.load(SeqCst));
    IN_REGION.set(true);
    loop {
        seen = next_generation(seen);
        while let (Some(part), parts) = claim() {
            run(part, parts);
        }
    }
}

/// A helper runs part `part` of the current region and counts it done.
fn run(part: usize, parts: usize) {
    // SAFETY: the caller stored a pointer to its `Job` before announcing the region and
    // does not return (so the job lives) until this part is counted done.
    let job = unsafe { *(POOL.job.load(Acquire) as *const Job) };
    run_part(|| job(part, parts));
    POOL.helper_parts.fetch_add(1, Relaxed);
    // The caller, asleep, checks whether this was the last part it waits for (after a panic
    // in its own part, that is not the region's last).
    POOL.done.fetch_add(1, SeqCst);
    if POOL.caller_asleep.load(SeqCst) {
        let _lock = lock(&POOL.caller_sleep);
        POOL.caller_wake.notify_one();
    }
}

/// Waits for a generation after `seen`: spins first, then sleeps until woken.
fn next_generation(seen: u32) -> u32 {
    for _ in 0..SPIN {
        let now = Claim::generation(POOL.region.load(Acquire));
        if now != seen {
            return now;
        }
        std::hint::spin_loop();
    }
    POOL.sleepers.fetch_add(1, SeqCst);
    let mut guard = lock(&POOL.sleep);
    let mut now = Claim::generation(POOL.region.load(SeqCst));
    while now == seen {
        guard = POOL.wake.wait(guard).unwrap_or_else(|e| e.into_inner());
        now = Claim::generation(POOL.region.load(SeqCst));
    }
    drop(guard);
    POOL.sleepers.fetch_sub(1, SeqCst);
    now
}

/// Runs a helper's part; natively a panic is caught and handed to the caller.
fn run_part(part: impl FnOnce()) {
    #[cfg(not(target_arch = "wasm32"))]
    if std::panic::catch_unwind(std::panic::AssertUnwindSafe(part)).is_err() {
        POOL.panicked.store(true, Release);
    }
    #[cfg(target_arch = "wasm32")]
    part();
}

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::sync::Mutex;

    /// Starts helper threads until `count` exist.
    pub fn ensure_helpers(count: usize) {
        static STARTED: Mutex<usize> = Mutex::new(0);
        let mut started = STARTED.lock().unwrap_or_else(|e| e.into_inner());
        while *started < count {
            std::thread::Builder::new()
                .name(format!("squares-helper-{}", *started + 1))
                .spawn(|| super::serve())
                .expect("a helper thread");
            *started += 1;
        }
        drop(started);
        // Regions use the helpers that are serving: wait until these have arrived, so that a
        // test asking for three threads gets three.
        while super::helpers() < count {
            std::thread::yield_now();
        }
    }
}

/// Multiply-adds below which a part is not worth handing to another thread (a few µs). At
/// 100k the question's 20- and 100-wide layers are shared too, so the helpers have work all
/// through a step instead of idling (and falling asleep) while one thread does those; small
/// networks train on one thread anyway (the page's `threadsFor`).
const MIN_PART_WORK: usize = 100_000;

/// The threshold in force: `MIN_PART_WORK` unless a test lowered it.
static MIN_WORK: AtomicUsize = AtomicUsize::new(MIN_PART_WORK);

/// How many parts a region of `work` multiply-adds (or element updates) is worth.
pub fn parts_for(work: usize) -> usize {
    (work / MIN_WORK.load(Relaxed).max(1)).clamp(1, MAX_THREADS)
}

/// Tests only: the caller of a region waits until helpers have claimed all its parts but
/// one before it claims, so that a test can count on helpers taking parts however busy the
/// machine. Changes who computes what, never the result.
#[doc(hidden)]
pub fn set_helpers_first(first: bool) {
    POOL.helpers_first.store(first, Relaxed);
}

/// Tests only: share regions from `work` multiply-adds, so that small networks (and their
/// empty and ragged parts) are shared too. Changes the speed, never the result.
#[doc(hidden)]
pub fn set_min_part_work(work: usize) {
    MIN_WORK.store(work, Relaxed);
}
