//! Our single-precision matrix product, C ← α·A·B + β·C, for the three products a Dense layer
//! needs (x·W forward, xᵀ·δ and δ·Wᵀ backward): transposed operands are just swapped strides.
//!
//! The classic blocked scheme (Goto; BLIS's five loops), sized for our shapes — a batch of
//! ~100 rows against layers up to 2048 wide:
//!
//! ```text
//! for jc in 0..n step NC            B's columns
//!   for pc in 0..k step ≤ KC        the shared dimension: pack B[pc.., jc..] (KC × NC)
//!     for ic in 0..m step MC        A's rows: pack A[ic.., pc..] (MC × KC)
//!       for jr in 0..nc step NR     one B panel (KC × NR, stays in L1)
//!         for ir in 0..mc step MR   one A panel: the micro-kernel's MR × NR tile of C,
//!                                   one segment of the shared dimension after another
//! ```
//!
//! - **No allocation after warm-up**: the packing buffers are a per-thread scratch that grows
//!   to the largest block it has packed and is then reused (see [`SCRATCH`]).
//! - **Deterministic**: every element of C is summed over p in increasing order, in segments
//!   of at most KC, each summed from zero and then added to C: `gemm` cuts the shared
//!   dimension every KC, `gemm_block_sums` cuts each of its blocks every KC from the block's
//!   start. The order depends on k and the blocks only, whatever m, n, the tile's position
//!   or the operands' strides. So a row block of the batch (`gemm` on
//!   `x.slice(s![r0..r1, ..])`) gives the same bits as the whole.
//!   Different kernels round differently: fused multiply-add (x86 AVX2+FMA, wasm relaxed
//!   SIMD where the CPU fuses) rounds once per step, the others twice.
//! - **One micro-kernel per target**, picked at compile time on wasm (no run-time feature
//!   detection there; the page loads one of two builds) and at run time on x86_64.

mod kernel;
mod pack;
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod wasm;
#[cfg(target_arch = "x86_64")]
mod x86;

use kernel::MicroKernel;
use ndarray::{ArrayBase, Data, DataMut, Ix2};
use pack::{pack, Strided};
use std::cell::Cell;
use std::ops::Range;

/// Depth of a block: a KC × NR panel of B (8 KB with NR = 8) stays in L1 across a row of tiles.
const KC: usize = 256;
/// The depth of the segments `gemm` sums the shared dimension in, each from zero, from its
/// start: a caller that cuts a product along it at these boundaries, sums each piece with
/// `gemm` and adds them in order gets the same bits (`parallel::product`).
pub const SEGMENT: usize = KC;
/// Rows of A per block: a whole batch of 100 in one block (a multiple of every kernel's MR).
const MC: usize = 120;
/// Columns of B per block: the widest layers (2048) in two blocks.
const NC: usize = 1024;
/// Floats in the largest register tile (x86: 6 × 16); edge tiles are computed into this.
const MAX_TILE: usize = 128;

thread_local! {
    /// Packing buffers, one per thread: grown to the largest block this thread has packed
    /// (at most KC·(MC + NC) floats, 1.2 MB; sized by k and n only, so the first training
    /// step reaches the size for good), then reused, so a training step allocates nothing.
    /// A scratch per thread rather than per Workspace because every forward pass needs it
    /// (prediction curves, analysis) and its size is bounded by the blocking, not by the
    /// network; a data-parallel worker gets its own, with no locking.
    static SCRATCH: Cell<Vec<f32>> = const { Cell::new(Vec::new()) };
}

/// Which micro-kernel this build uses: "avx2+fma" or "portable" natively (decided at run
/// time), "relaxed-simd" or "simd128" on wasm (decided by the build).
pub fn kernel_name() -> &'static str {
    #[cfg(target_arch = "x86_64")]
    if x86::available() {
        return "avx2+fma";
    }
    #[cfg(all(target_arch = "wasm32", target_feature = "relaxed-simd"))]
    return "relaxed-simd";
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128", not(target_feature = "relaxed-simd")))]
    return "simd128";
    #[allow(unreachable_code)]
    "portable"
}

/// C ← α·A·B + β·C, with A m × k, B k × n and C m × n of any strides (pass `x.t()` for a
/// transpose). β = 0 overwrites C without reading it. The drop-in for ndarray's
/// `general_mat_mul`, without its per-call packing allocation.
///
/// # Panics
/// If the shapes do not match.
pub fn gemm<SA, SB, SC>(
    alpha: f32,
    a: &ArrayBase<SA, Ix2>,
    b: &ArrayBase<SB, Ix2>,
    beta: f32,
    c: &mut ArrayBase<SC, Ix2>,
) where
    SA: Data<Elem = f32>,
    SB: Data<Elem = f32>,
    SC: DataMut<Elem = f32>,
{
    let product = operands(a, b, c);
    // SAFETY: `operands` checked the shapes; the views' elements are valid for their strides,
    // and `c` is borrowed mutably, so it overlaps neither a nor b.
    unsafe { fastest(product, alpha, beta, std::slice::from_ref(&(0..product.k))) }
}

/// C ← Σ_blocks A[.., block]·B[block, ..]: each block of the shared dimension summed from
/// zero, then added to C in order (the first overwrites C). Exactly the bits of `gemm` on
/// each block in turn with β = 0 then 1, but each tile of C stays in registers and L1
/// across the blocks, and A and B are packed once rather than once per block.
///
/// # Panics
/// If the shapes do not match or the blocks are not contiguous from 0 to k.
pub fn gemm_block_sums<SA, SB, SC>(
    a: &ArrayBase<SA, Ix2>,
    b: &ArrayBase<SB, Ix2>,
    blocks: &[Range<usize>],
    c: &mut ArrayBase<SC, Ix2>,
) where
    SA: Data<Elem = f32>,
    SB: Data<Elem = f32>,
    SC: DataMut<Elem = f32>,
{
    let product = operands(a, b, c);
    let k = product.k;
    let mut end = 0;
    for block in blocks {
        assert!(block.start == end && block.end > block.start, "gemm_block_sums: blocks must tile 0..{k}");
        end = block.end;
    }
    assert!(end == k, "gemm_block_sums: blocks must tile 0..{k}");
    // SAFETY: as in `gemm`.
    unsafe { fastest(product, 1.0, 0.0, blocks) }
}

/// `gemm` on the portable kernel whatever the CPU, so tests cover it on machines that would
/// pick another.
#[doc(hidden)]
pub fn gemm_portable<SA, SB, SC>(
    alpha: f32,
    a: &ArrayBase<SA, Ix2>,
    b: &ArrayBase<SB, Ix2>,
    beta: f32,
    c: &mut ArrayBase<SC, Ix2>,
) where
    SA: Data<Elem = f32>,
    SB: Data<Elem = f32>,
    SC: DataMut<Elem = f32>,
{
    let product = operands(a, b, c);
    // SAFETY: as in `gemm`.
    unsafe { blocked::<kernel::Portable>(product, alpha, beta, std::slice::from_ref(&(0..product.k))) }
}

/// Checks the shapes and reduces the views to pointers and strides: the only generic part,
/// so the loops and kernels are compiled once, not once per kind of array.
fn operands<SA, SB, SC>(a: &ArrayBase<SA, Ix2>, b: &ArrayBase<SB, Ix2>, c: &mut ArrayBase<SC, Ix2>) -> Operands
where
    SA: Data<Elem = f32>,
    SB: Data<Elem = f32>,
    SC: DataMut<Elem = f32>,
{
    let ((m, k), (k2, n)) = (a.dim(), b.dim());
    assert!(k == k2 && c.dim() == (m, n), "gemm: {m}×{k} · {k2}×{n} into {:?}", c.dim());
    let strided = |ptr, s: &[isize]| Strided { ptr, rows: s[0], cols: s[1] };
    let (a, b) = (strided(a.as_ptr(), a.strides()), strided(b.as_ptr(), b.strides()));
    let c = Out { ptr: c.as_mut_ptr(), rows: c.strides()[0], cols: c.strides()[1] };
    Operands { m, n, k, a, b, c }
}

/// A product's operands as pointers and strides: A (m × k), B (k × n) and C (m × n).
#[derive(Clone, Copy)]
struct Operands {
    m: usize,
    n: usize,
    k: usize,
    a: Strided,
    b: Strided,
    c: Out,
}

/// The blocked product on this build's fastest kernel.
///
/// # Safety
/// As `blocked`.
unsafe fn fastest(product: Operands, alpha: f32, beta: f32, blocks: &[Range<usize>]) {
    #[cfg(target_arch = "x86_64")]
    if x86::available() {
        return x86::gemm(product, alpha, beta, blocks);
    }
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    return blocked::<wasm::Simd>(product, alpha, beta, blocks);
    #[allow(unreachable_code)]
    blocked::<kernel::Portable>(product, alpha, beta, blocks)
}

/// C, writable: element (i, j) at `ptr + i·rows + j·cols`.
#[derive(Clone, Copy)]
struct Out {
    ptr: *mut f32,
    rows: isize,
    cols: isize,
}

impl Out {
    unsafe fn at(self, i: usize, j: usize) -> *mut f32 {
        self.ptr.offset(i as isize * self.rows + j as isize * self.cols)
    }
}

/// The five loops around micro-kernel `K` (see the module docs), with its packing buffers
/// taken from this thread's scratch: C ← α·A·B + β·C, the shared dimension summed block by
/// block (`blocks` tile 0..k; `gemm` passes one). Inlined into each kernel's entry point (on
/// x86 that one is compiled with AVX2 and FMA, and the kernel inlines into the loops).
///
/// # Safety
/// a (m × k), b (k × n) and out (m × n) must be valid for their strides; out must not
/// overlap a or b; `blocks` must tile 0..k.
#[inline(always)]
unsafe fn blocked<K: MicroKernel>(product: Operands, alpha: f32, beta: f32, blocks: &[Range<usize>]) {
    let Operands { m, n, k, a, b, c } = product;
    // Full blocks hold whole panels, so only the matrix's last rows and columns take the edge path.
    const { assert!(K::MR * K::NR <= MAX_TILE && MC.is_multiple_of(K::MR) && NC.is_multiple_of(K::NR)) };
    if m == 0 || n == 0 {
        return;
    }
    if k == 0 {
        // An empty sum: C ← β·C.
        for i in 0..m {
            for j in 0..n {
                let c = c.at(i, j);
                *c = if beta == 0.0 { 0.0 } else { beta * *c };
            }
        }
        return;
    }
    // A's buffer is sized for a full MC block whatever m is, so a forward pass on all the
    // examples needs no more scratch than training on a batch did.
    let a_len = k.min(KC) * MC;
    let b_len = k.min(KC) * n.min(NC).next_multiple_of(K::NR);
    // Taken out and put back (an empty Vec costs nothing) rather than borrowed in a
    // closure: a closure would be compiled without the caller's target features, and the
    // x86 kernel could not inline into it.
    let mut scratch = SCRATCH.take();
    if scratch.len() < a_len + b_len {
        scratch.resize(a_len + b_len, 0.0);
    }
    let (a_packed, b_packed) = scratch.split_at_mut(a_len);
    for jc in (0..n).step_by(NC) {
        let nc = NC.min(n - jc);
        for (first, chunk) in chunks(blocks) {
            let (pc, kc) = (chunk.start, chunk.len);
            // Later chunks add onto what the first wrote.
            let beta = if first { beta } else { 1.0 };
            let segments = &chunk.lens[..chunk.count];
            pack(K::NR, nc, kc, b.at(pc, jc).t(), b_packed);
            for ic in (0..m).step_by(MC) {
                let mc = MC.min(m - ic);
                pack(K::MR, mc, kc, a.at(ic, pc), a_packed);
                for jr in (0..nc).step_by(K::NR) {
                    let b_panel = b_packed.as_ptr().add(jr * kc);
                    let cols = (nc - jr).min(K::NR);
                    let mut ir = 0;
                    while ir < mc {
                        let a_panel = a_packed.as_ptr().add(ir * kc);
                        let rows = (mc - ir).min(K::MR);
                        let tile = c.at(ic + ir, jc + jr);
                        let whole_rows = rows == K::MR && c.cols == 1 && c.rows >= 0;
                        if whole_rows && cols == K::NR {
                            K::tiles(segments, a_panel, b_panel, alpha, beta, tile, c.rows as usize);
                        } else if whole_rows && cols == K::NARROW && mc - ir >= 2 * K::MR {
                            let a_panels = [a_panel, a_panel.add(K::MR * kc)];
                            K::narrow_pair_tiles(segments, a_panels, b_panel, alpha, beta, tile, c.rows as usize);
                            ir += K::MR; // and the tile below, done too
                        } else {
                            edge_tile::<K>(segments, a_panel, b_panel, alpha, beta, tile, c, rows, cols);
                        }
                        ir += K::MR;
                    }
                }
            }
        }
    }
    SCRATCH.set(scratch);
}

/// A partial tile (or one of a C without unit column stride): for each segment the kernel
/// computes the full tile of raw sums (α = 1, β = 0: exact) into a buffer, then the valid
/// part is written with the same `α·acc + β·C` the kernel would have used (β = 1 after the
/// first segment), so edges round like the interior.
#[inline(never)]
#[allow(clippy::too_many_arguments)]
unsafe fn edge_tile<K: MicroKernel>(
    segments: &[usize],
    mut a_panel: *const f32,
    mut b_panel: *const f32,
    alpha: f32,
    mut beta: f32,
    corner: *mut f32,
    c: Out,
    rows: usize,
    cols: usize,
) {
    let mut sums = [0.0f32; MAX_TILE];
    let c = Out { ptr: corner, ..c };
    for &kc in segments {
        K::tile(kc, a_panel, b_panel, 1.0, 0.0, sums.as_mut_ptr(), K::NR);
        for i in 0..rows {
            for j in 0..cols {
                let (c, acc) = (c.at(i, j), sums[i * K::NR + j]);
                *c = if beta == 0.0 { alpha * acc } else { alpha * acc + beta * *c };
            }
        }
        (a_panel, b_panel, beta) = (a_panel.add(kc * K::MR), b_panel.add(kc * K::NR), 1.0);
    }
}

/// Segments of the shared dimension in one chunk: at most this many.
const MAX_SEGMENTS: usize = 16;

/// A run of the shared dimension packed at once (at most KC long), cut into segments each
/// summed from zero and added to C in order.
struct Chunk {
    start: usize,
    len: usize,
    lens: [usize; MAX_SEGMENTS],
    count: usize,
}

/// The chunks of `blocks`, each with whether it is the first: every block is cut into
/// segments of at most KC (from the block's start), and consecutive segments are grouped
/// into chunks of at most KC and MAX_SEGMENTS. The sums' order, and so their bits, depends
/// only on the blocks: a single block 0..k is the classic KC blocking.
fn chunks(blocks: &[Range<usize>]) -> impl Iterator<Item = (bool, Chunk)> + '_ {
    let mut segments = blocks
        .iter()
        .flat_map(|block| (block.start..block.end).step_by(KC).map(move |start| (start, KC.min(block.end - start))))
        .peekable();
    let mut first = true;
    std::iter::from_fn(move || {
        let (start, len) = segments.next()?;
        let mut chunk = Chunk { start, len, lens: [0; MAX_SEGMENTS], count: 1 };
        chunk.lens[0] = len;
        while let Some(&(_, len)) = segments.peek() {
            if chunk.len + len > KC || chunk.count == MAX_SEGMENTS {
                break;
            }
            segments.next();
            chunk.lens[chunk.count] = len;
            (chunk.len, chunk.count) = (chunk.len + len, chunk.count + 1);
        }
        Some((std::mem::replace(&mut first, false), chunk))
    })
}
