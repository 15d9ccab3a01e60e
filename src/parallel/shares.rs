//! How a region's work is cut into parts, and the views through which each part writes its
//! own block of a shared output: raw pointers, since every part holds the whole output but
//! may touch only its block (disjoint by construction of `share` and `tile`).

use ndarray::{ArrayViewMut2, ShapeBuilder};
use std::ops::Range;

/// Part `part` of `parts` of `0..n`, in chunks that are multiples of `align`: contiguous,
/// in order, covering `0..n`; the last parts may be empty.
pub fn share(n: usize, part: usize, parts: usize, align: usize) -> Range<usize> {
    let chunk = n.div_ceil(parts).next_multiple_of(align);
    (part * chunk).min(n)..((part + 1) * chunk).min(n)
}

/// The rows and columns of an m × n matrix product's output that part `part` of `parts`
/// computes: the longer side is cut, rows in fours and columns in eights (the wasm
/// micro-kernel's tile), so parts are whole tiles and nearly equal.
pub fn tile(m: usize, n: usize, part: usize, parts: usize) -> (Range<usize>, Range<usize>) {
    if m >= n {
        (share(m, part, parts, 4), 0..n)
    } else {
        (0..m, share(n, part, parts, 8))
    }
}

/// A matrix (unit column stride) that every part of a region writes, each in its own block.
#[derive(Clone, Copy)]
pub struct SharedOutput {
    ptr: *mut f32,
    rows: usize,
    cols: usize,
    row_stride: usize,
}

// SAFETY: parts write disjoint blocks (the contract of `block`), so sharing the pointer
// between the threads of one region is no more than handing each its own sub-view.
unsafe impl Sync for SharedOutput {}
unsafe impl Send for SharedOutput {}

impl SharedOutput {
    /// # Panics
    /// If the view's columns are not adjacent in memory, or its rows run backwards.
    pub fn new(view: &mut ArrayViewMut2<f32>) -> SharedOutput {
        let (rows, cols) = view.dim();
        let (row_stride, col_stride) = (view.strides()[0], view.strides()[1]);
        // (An empty view's strides may be anything: it has no element to reach.)
        let empty = rows == 0 || cols == 0;
        assert!(empty || ((cols <= 1 || col_stride == 1) && row_stride >= 0), "SharedOutput needs row-major rows");
        SharedOutput { ptr: view.as_mut_ptr(), rows, cols, row_stride: row_stride as usize }
    }

    /// Rows × columns.
    pub fn dim(&self) -> (usize, usize) {
        (self.rows, self.cols)
    }

    /// Rows `rows` × columns `cols` of the matrix as a view.
    ///
    /// # Safety
    /// The matrix must outlive the view, and no other view of these elements may be in use
    /// at the same time (each part of a region asks for its own block).
    pub unsafe fn block<'a>(&self, rows: Range<usize>, cols: Range<usize>) -> ArrayViewMut2<'a, f32> {
        assert!(rows.end <= self.rows && cols.end <= self.cols);
        let shape = (rows.len(), cols.len()).strides((self.row_stride, 1));
        ArrayViewMut2::from_shape_ptr(shape, self.ptr.add(rows.start * self.row_stride + cols.start))
    }
}

/// A slice that every part of a region writes, each in its own range (or only reads).
#[derive(Clone, Copy, Debug)]
pub struct SharedSlice {
    ptr: *mut f32,
    len: usize,
}

// SAFETY: as for SharedOutput: parts write disjoint ranges.
unsafe impl Sync for SharedSlice {}
unsafe impl Send for SharedSlice {}

impl SharedSlice {
    pub fn new(slice: &mut [f32]) -> SharedSlice {
        SharedSlice { ptr: slice.as_mut_ptr(), len: slice.len() }
    }

    /// A slice the parts only read, through `read`.
    pub fn read_only(slice: &[f32]) -> SharedSlice {
        SharedSlice { ptr: slice.as_ptr().cast_mut(), len: slice.len() }
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// # Safety
    /// The slice outlives the result, and no part writes this range meanwhile.
    pub unsafe fn read<'a>(&self, range: Range<usize>) -> &'a [f32] {
        assert!(range.start <= range.end && range.end <= self.len);
        std::slice::from_raw_parts(self.ptr.add(range.start), range.len())
    }

    /// # Safety
    /// As `SharedOutput::block`: the slice outlives the result, and ranges in use are disjoint.
    pub unsafe fn range<'a>(&self, range: Range<usize>) -> &'a mut [f32] {
        assert!(range.start <= range.end && range.end <= self.len);
        std::slice::from_raw_parts_mut(self.ptr.add(range.start), range.len())
    }
}
