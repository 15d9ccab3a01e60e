//! Packing: copying a block of A or B, whatever its strides (a transpose is only a stride
//! swap), into the panel order the micro-kernel streams through with unit stride.

/// A read-only strided matrix: element (i, j) at `ptr + i·rows + j·cols` (strides in floats).
#[derive(Clone, Copy)]
pub(crate) struct Strided {
    pub ptr: *const f32,
    pub rows: isize,
    pub cols: isize,
}

impl Strided {
    /// The same matrix, starting at element (i, j).
    ///
    /// # Safety
    /// (i, j) must lie inside the matrix.
    pub unsafe fn at(self, i: usize, j: usize) -> Strided {
        Strided { ptr: self.ptr.offset(i as isize * self.rows + j as isize * self.cols), ..self }
    }

    /// The transpose: rows and columns swap strides, nothing moves.
    pub fn t(self) -> Strided {
        Strided { ptr: self.ptr, rows: self.cols, cols: self.rows }
    }
}

/// Packs the `len` × `depth` block of `m` (rows i < len, columns p < depth) into
/// ceil(len / w) panels of `depth × w`: panel r holds, for p = 0, 1, …, the w values
/// m[r·w + i, p] (i < w) side by side; rows past `len` are zero, so edge tiles compute on
/// zeros and the kernel never branches.
///
/// A's panels are `pack(MR, A block)`; B's are `pack(NR, Bᵀ block)`, since B's panel runs
/// along its columns. Always inlined: `w` is the kernel's constant, so the copies unroll.
///
/// # Safety
/// `m` must be valid for len × depth elements and `out` must hold ceil(len / w)·w·depth.
#[inline(always)]
pub(crate) unsafe fn pack(w: usize, len: usize, depth: usize, m: Strided, out: &mut [f32]) {
    let panels = len.div_ceil(w);
    debug_assert!(out.len() >= panels * w * depth);
    for (r, panel) in out.chunks_exact_mut(w * depth).take(panels).enumerate() {
        let rows = (len - r * w).min(w);
        let m = m.at(r * w, 0);
        if m.rows == 1 && rows == w {
            // The panel's w values are adjacent in memory (a transposed A, or B in row-major
            // order): one w-wide copy per p.
            for (p, out) in panel.chunks_exact_mut(w).enumerate() {
                let from = m.ptr.offset(p as isize * m.cols);
                out.copy_from_slice(std::slice::from_raw_parts(from, w));
            }
        } else if m.cols == 1 && rows == w && w >= 4 {
            // Each row runs along p in memory (a row-major A, or B stored transposed, as Wᵀ
            // is): transpose 4 × 4 blocks, four 4-wide loads and four 4-wide stores, instead
            // of one element at a time; rows past the last group of four (x86's MR = 6) and
            // the last p's one by one.
            let (groups, whole) = (w / 4 * 4, depth / 4 * 4);
            let (blocks, rest) = panel.split_at_mut(whole * w);
            for (p4, out) in blocks.chunks_exact_mut(4 * w).enumerate() {
                for i0 in (0..groups).step_by(4) {
                    let rows = std::array::from_fn(|i| m.at(i0 + i, 4 * p4).ptr);
                    transpose_4x4(rows, out.as_mut_ptr().add(i0), w);
                }
                for (q, out) in out.chunks_exact_mut(w).enumerate() {
                    (groups..w).for_each(|i| out[i] = *m.at(i, 4 * p4 + q).ptr);
                }
            }
            for (p, out) in rest.chunks_exact_mut(w).enumerate() {
                out.iter_mut().enumerate().for_each(|(i, out)| *out = *m.at(i, whole + p).ptr);
            }
        } else {
            // Anything else, element by element (edge panels are padded with zeros).
            for (p, out) in panel.chunks_exact_mut(w).enumerate() {
                for (i, out) in out.iter_mut().enumerate() {
                    *out = if i < rows { *m.at(i, p).ptr } else { 0.0 };
                }
            }
        }
    }
}

/// out[q·stride + i] = rows[i][q] for i, q < 4: four rows of four floats, transposed.
///
/// # Safety
/// Each row must hold four floats; out must hold 3·stride + 4.
#[inline(always)]
unsafe fn transpose_4x4(rows: [*const f32; 4], out: *mut f32, stride: usize) {
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    {
        // Interleave pairs of rows, then pairs of pairs: eight shuffles (LLVM does not find
        // these by itself, and element-wise copies cost four times as much).
        use core::arch::wasm32::*;
        let [r0, r1, r2, r3] = rows.map(|row| v128_load(row as *const v128));
        let (t0, t1) = (i32x4_shuffle::<0, 4, 1, 5>(r0, r1), i32x4_shuffle::<2, 6, 3, 7>(r0, r1));
        let (t2, t3) = (i32x4_shuffle::<0, 4, 1, 5>(r2, r3), i32x4_shuffle::<2, 6, 3, 7>(r2, r3));
        v128_store(out as *mut v128, i64x2_shuffle::<0, 2>(t0, t2));
        v128_store(out.add(stride) as *mut v128, i64x2_shuffle::<1, 3>(t0, t2));
        v128_store(out.add(2 * stride) as *mut v128, i64x2_shuffle::<0, 2>(t1, t3));
        v128_store(out.add(3 * stride) as *mut v128, i64x2_shuffle::<1, 3>(t1, t3));
    }
    #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
    {
        let [r0, r1, r2, r3] = rows.map(|row| row.cast::<[f32; 4]>().read_unaligned());
        for q in 0..4 {
            out.add(q * stride).cast::<[f32; 4]>().write_unaligned([r0[q], r1[q], r2[q], r3[q]]);
        }
    }
}
