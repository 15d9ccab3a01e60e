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
        } else {
            // Walk each source row along p (contiguous when m.cols == 1), scattering into the
            // small panel, which stays in L1.
            for i in 0..w {
                if i < rows {
                    let row = m.at(i, 0);
                    for p in 0..depth {
                        panel[p * w + i] = *row.ptr.offset(p as isize * row.cols);
                    }
                } else {
                    (0..depth).for_each(|p| panel[p * w + i] = 0.0);
                }
            }
        }
    }
}
