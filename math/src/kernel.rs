//! The one hot loop of the engine: int8 rows times an int16 query, for every movie at once.
//!
//! Scoring the whole catalogue (62k movies × ~60 numbers) after every answer must take well
//! under a millisecond in the browser. Plain Rust loops compiled with `+simd128` take 1–1.6 ms
//! because LLVM does not vectorise the widening integer sums by itself, so on wasm32 with the
//! `simd128` target feature this module uses `std::arch::wasm32` explicitly: each 16-byte chunk
//! of a row is widened to two i16x8 halves and multiplied with the query by `i32x4.dot_i16x8_s`.
//! Everywhere else (native tools, tests, a wasm build without SIMD) the scalar path runs; both
//! do exact integer arithmetic, so they return bit-identical results (tested below and in the
//! browser by `tests/wasm_engine.rs`).
//!
//! Overflow cannot happen: |row| ≤ 127, |query| ≤ 32767, so a row of up to 512 entries sums to
//! at most 127 · 32767 · 512 < 2³¹.

/// Rows are padded with zeros to a multiple of this many bytes (one wasm SIMD register).
pub const LANES: usize = 16;

/// Longest row [`dot_rows`] accepts (keeps the i32 sums from overflowing).
pub const MAX_STRIDE: usize = 512;

/// Row length rounded up to a multiple of [`LANES`].
pub fn padded(len: usize) -> usize {
    len.div_ceil(LANES) * LANES
}

/// `out[r] = base[r] + (shift + scale · Σ_j rows[r·stride + j] · query[j])` for every row.
///
/// The integer sums are exact; the three f32 operations are done in this order on both paths,
/// so the SIMD and scalar results are bit-identical.
///
/// # Panics
/// When the shapes disagree (`stride` not a positive multiple of [`LANES`] up to
/// [`MAX_STRIDE`], `query.len() != stride`, `rows.len() != out.len() · stride`,
/// `base.len() != out.len()`): programming errors, never caused by user input.
pub fn affine_dot_rows(
    rows: &[i8],
    stride: usize,
    query: &[i16],
    scale: f32,
    shift: f32,
    base: &[f32],
    out: &mut [f32],
) {
    check_shapes(rows, stride, query, base, out);
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    simd::affine_dot_rows(rows, stride, query, scale, shift, base, out);
    #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
    affine_dot_rows_scalar(rows, stride, query, scale, shift, base, out);
}

/// The portable reference: what [`affine_dot_rows`] computes, one multiply-add at a time.
pub fn affine_dot_rows_scalar(
    rows: &[i8],
    stride: usize,
    query: &[i16],
    scale: f32,
    shift: f32,
    base: &[f32],
    out: &mut [f32],
) {
    check_shapes(rows, stride, query, base, out);
    for ((o, row), &b) in out.iter_mut().zip(rows.chunks_exact(stride)).zip(base) {
        // Sixteen fixed lanes: the shape native auto-vectorisers handle (integer sums may be
        // reordered freely, so this is still the exact dot product).
        let mut acc = [0i32; LANES];
        for (chunk, q) in row.chunks_exact(LANES).zip(query.chunks_exact(LANES)) {
            for l in 0..LANES {
                acc[l] += chunk[l] as i32 * q[l] as i32;
            }
        }
        let dot: i32 = acc.iter().sum();
        *o = b + (dot as f32 * scale + shift);
    }
}

/// `scores[i] += w_pop · pop[i] − caution · √(bias_var[i] + var_scale[i] · c)`: the ranking
/// score's visitor-independent terms (see `rank`) for every movie, four at a time on wasm.
/// Both paths do the same IEEE operations in the same order (√ is correctly rounded in both),
/// so they agree bit for bit.
///
/// # Panics
/// When the slices differ in length (a programming error).
pub fn add_item_terms(
    scores: &mut [f32],
    pop: &[f32],
    bias_var: &[f32],
    var_scale: &[f32],
    c: f32,
    w_pop: f32,
    caution: f32,
) {
    let n = scores.len();
    assert!(pop.len() == n && bias_var.len() == n && var_scale.len() == n);
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    let done = simd::add_item_terms(scores, pop, bias_var, var_scale, c, w_pop, caution);
    #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
    let done = 0;
    for i in done..n {
        scores[i] += item_term(pop[i], bias_var[i], var_scale[i], c, w_pop, caution);
    }
}

/// One movie's term of [`add_item_terms`].
#[inline(always)]
pub fn item_term(pop: f32, bias_var: f32, var_scale: f32, c: f32, w_pop: f32, caution: f32) -> f32 {
    w_pop * pop - caution * (bias_var + var_scale * c).sqrt()
}

/// The first index `i ≥ from` with `values[i] > threshold` (NaN is never above): the ranking's
/// running-threshold scan, which skips four movies per comparison on wasm.
pub fn next_above(values: &[f32], from: usize, threshold: f32) -> Option<usize> {
    let from = from.min(values.len());
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    let from = simd::skip_not_above(values, from, threshold);
    values[from..]
        .iter()
        .position(|&v| v > threshold)
        .map(|p| from + p)
}

/// True when this build runs the explicit SIMD path.
pub const fn simd_enabled() -> bool {
    cfg!(all(target_arch = "wasm32", target_feature = "simd128"))
}

fn check_shapes(rows: &[i8], stride: usize, query: &[i16], base: &[f32], out: &[f32]) {
    assert!(
        stride > 0 && stride.is_multiple_of(LANES) && stride <= MAX_STRIDE,
        "stride {stride} must be a positive multiple of {LANES} up to {MAX_STRIDE}"
    );
    assert_eq!(query.len(), stride, "query length must equal the stride");
    assert_eq!(
        rows.len(),
        out.len() * stride,
        "rows must hold out.len() rows"
    );
    assert_eq!(base.len(), out.len(), "one base value per row");
}

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod simd {
    use std::arch::wasm32::*;

    use super::LANES;

    /// Loads 16 bytes. `bytes` comes from `chunks_exact(LANES)` or an index range of that
    /// length, checked by the slice indexing that produced it.
    #[inline(always)]
    fn load(bytes: &[i8]) -> v128 {
        assert!(bytes.len() >= LANES);
        // SAFETY: at least 16 readable bytes (asserted), and wasm loads need no alignment.
        unsafe { v128_load(bytes.as_ptr() as *const v128) }
    }

    /// Adds one row's dot product with the query (CHUNKS 16-byte chunks) into an i32x4.
    #[inline(always)]
    fn row_dot<const CHUNKS: usize>(row: &[i8], q: &[(v128, v128); CHUNKS]) -> v128 {
        let mut acc = i32x4_splat(0);
        for (c, &(q_lo, q_hi)) in q.iter().enumerate() {
            let v = load(&row[c * LANES..]);
            let lo = i32x4_dot_i16x8(i16x8_extend_low_i8x16(v), q_lo);
            let hi = i32x4_dot_i16x8(i16x8_extend_high_i8x16(v), q_hi);
            acc = i32x4_add(acc, i32x4_add(lo, hi));
        }
        acc
    }

    /// [Σa, Σb, Σc, Σd] of four i32x4 accumulators (a 4×4 transpose by shuffles).
    #[inline(always)]
    fn reduce4(a: v128, b: v128, c: v128, d: v128) -> v128 {
        let ab = i32x4_add(
            i32x4_shuffle::<0, 4, 1, 5>(a, b),
            i32x4_shuffle::<2, 6, 3, 7>(a, b),
        );
        let cd = i32x4_add(
            i32x4_shuffle::<0, 4, 1, 5>(c, d),
            i32x4_shuffle::<2, 6, 3, 7>(c, d),
        );
        i32x4_add(
            i32x4_shuffle::<0, 1, 4, 5>(ab, cd),
            i32x4_shuffle::<2, 3, 6, 7>(ab, cd),
        )
    }

    fn hsum(v: v128) -> i32 {
        i32x4_extract_lane::<0>(v)
            .wrapping_add(i32x4_extract_lane::<1>(v))
            .wrapping_add(i32x4_extract_lane::<2>(v))
            .wrapping_add(i32x4_extract_lane::<3>(v))
    }

    fn query_registers<const CHUNKS: usize>(query: &[i16]) -> [(v128, v128); CHUNKS] {
        std::array::from_fn(|c| {
            let q = &query[c * LANES..(c + 1) * LANES];
            (
                i16x8(q[0], q[1], q[2], q[3], q[4], q[5], q[6], q[7]),
                i16x8(q[8], q[9], q[10], q[11], q[12], q[13], q[14], q[15]),
            )
        })
    }

    /// Four rows per step: four independent accumulators, one transpose, one f32x4 store.
    fn run<const CHUNKS: usize>(
        rows: &[i8],
        query: &[i16],
        scale: f32,
        shift: f32,
        base: &[f32],
        out: &mut [f32],
    ) {
        let stride = CHUNKS * LANES;
        let q = query_registers::<CHUNKS>(query);
        let (scale4, shift4) = (f32x4_splat(scale), f32x4_splat(shift));
        let quads = out.len() / 4;
        for g in 0..quads {
            let r = &rows[4 * g * stride..4 * (g + 1) * stride];
            let sums = reduce4(
                row_dot::<CHUNKS>(&r[..stride], &q),
                row_dot::<CHUNKS>(&r[stride..2 * stride], &q),
                row_dot::<CHUNKS>(&r[2 * stride..3 * stride], &q),
                row_dot::<CHUNKS>(&r[3 * stride..], &q),
            );
            let t = f32x4_add(f32x4_mul(f32x4_convert_i32x4(sums), scale4), shift4);
            let b = &base[4 * g..4 * g + 4];
            let o = &mut out[4 * g..4 * g + 4];
            // SAFETY: both slices are exactly 4 f32 (16 bytes) long; no alignment needed.
            unsafe {
                let v = f32x4_add(v128_load(b.as_ptr() as *const v128), t);
                v128_store(o.as_mut_ptr() as *mut v128, v);
            }
        }
        for r in 4 * quads..out.len() {
            let dot = hsum(row_dot::<CHUNKS>(&rows[r * stride..(r + 1) * stride], &q));
            out[r] = base[r] + (dot as f32 * scale + shift);
        }
    }

    pub(super) fn affine_dot_rows(
        rows: &[i8],
        stride: usize,
        query: &[i16],
        scale: f32,
        shift: f32,
        base: &[f32],
        out: &mut [f32],
    ) {
        // Fixed chunk counts let the compiler keep the query in registers and unroll.
        match stride / LANES {
            1 => run::<1>(rows, query, scale, shift, base, out),
            2 => run::<2>(rows, query, scale, shift, base, out),
            3 => run::<3>(rows, query, scale, shift, base, out),
            4 => run::<4>(rows, query, scale, shift, base, out),
            _ => super::affine_dot_rows_scalar(rows, stride, query, scale, shift, base, out),
        }
    }

    /// The first `4·⌊n/4⌋` movies of [`super::add_item_terms`]; returns how many it did.
    pub(super) fn add_item_terms(
        scores: &mut [f32],
        pop: &[f32],
        bias_var: &[f32],
        var_scale: &[f32],
        c: f32,
        w_pop: f32,
        caution: f32,
    ) -> usize {
        let (c4, w4, k4) = (f32x4_splat(c), f32x4_splat(w_pop), f32x4_splat(caution));
        let quads = scores.len() / 4;
        let ld = |s: &[f32], g: usize| {
            let s = &s[4 * g..4 * g + 4];
            // SAFETY: exactly 4 f32 (16 bytes); no alignment needed.
            unsafe { v128_load(s.as_ptr() as *const v128) }
        };
        for g in 0..quads {
            let var = f32x4_add(ld(bias_var, g), f32x4_mul(ld(var_scale, g), c4));
            let term = f32x4_sub(f32x4_mul(w4, ld(pop, g)), f32x4_mul(k4, f32x4_sqrt(var)));
            let o = &mut scores[4 * g..4 * g + 4];
            // SAFETY: as above.
            unsafe {
                let v = f32x4_add(v128_load(o.as_ptr() as *const v128), term);
                v128_store(o.as_mut_ptr() as *mut v128, v);
            }
        }
        4 * quads
    }
    /// Advances `from` past whole groups of four values none of which is above `threshold`.
    pub(super) fn skip_not_above(values: &[f32], mut from: usize, threshold: f32) -> usize {
        let t = f32x4_splat(threshold);
        while from + 4 <= values.len() {
            let v = &values[from..from + 4];
            // SAFETY: exactly 4 f32 (16 bytes); no alignment needed.
            let v = unsafe { v128_load(v.as_ptr() as *const v128) };
            if v128_any_true(f32x4_gt(v, t)) {
                break;
            }
            from += 4;
        }
        from
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(not(target_arch = "wasm32"))] // proptest does not build for wasm32
    use proptest::prelude::*;

    /// Straightforward i64 sums, then the same three f32 steps: an independent reference.
    #[cfg(not(target_arch = "wasm32"))]
    fn reference(
        rows: &[i8],
        stride: usize,
        query: &[i16],
        scale: f32,
        shift: f32,
        base: &[f32],
    ) -> Vec<f32> {
        rows.chunks(stride)
            .zip(base)
            .map(|(r, &b)| {
                let s: i64 = r
                    .iter()
                    .zip(query)
                    .map(|(&a, &q)| a as i64 * q as i64)
                    .sum();
                b + (i32::try_from(s).expect("fits") as f32 * scale + shift)
            })
            .collect()
    }

    #[cfg(not(target_arch = "wasm32"))]
    proptest! {
        #[test]
        fn both_paths_equal_the_reference(
            chunks in 1usize..6,
            n in 0usize..11,
            seed in any::<u64>(),
            extreme in any::<bool>(),
            scale in -1e-3f32..1e-3,
            shift in -5f32..5.0,
        ) {
            use rand::{RngExt, SeedableRng};
            let stride = chunks * LANES;
            let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
            // Extreme values check the no-overflow claim at the edges of both types.
            let rows: Vec<i8> = (0..n * stride)
                .map(|_| if extreme { [-127, 127][rng.random_range(0..2)] } else { rng.random_range(-127..=127) })
                .collect();
            let query: Vec<i16> = (0..stride)
                .map(|_| if extreme { [-32767, 32767][rng.random_range(0..2)] } else { rng.random_range(-32767..=32767) })
                .collect();
            let base: Vec<f32> = (0..n).map(|_| rng.random_range(0.0..5.0)).collect();
            let want = reference(&rows, stride, &query, scale, shift, &base);
            let mut fast = vec![0.0; n];
            affine_dot_rows(&rows, stride, &query, scale, shift, &base, &mut fast);
            let mut slow = vec![0.0; n];
            affine_dot_rows_scalar(&rows, stride, &query, scale, shift, &base, &mut slow);
            prop_assert_eq!(&fast, &want);
            prop_assert_eq!(&slow, &want);
        }
    }

    #[test]
    fn next_above_finds_each_value_above_the_threshold_in_order() {
        let v = [0.1, 0.5, f32::NAN, 0.2, 0.9, 0.3, 0.3, 0.1, 0.0, 0.7, 0.2];
        let mut found = Vec::new();
        let mut i = 0;
        while let Some(j) = next_above(&v, i, 0.25) {
            found.push(j);
            i = j + 1;
        }
        assert_eq!(found, [1, 4, 5, 6, 9]);
        assert_eq!(next_above(&v, 100, 0.0), None);
        assert_eq!(next_above(&v, 0, f32::INFINITY), None);
    }

    #[test]
    fn max_stride_cannot_overflow() {
        // The quantisers never produce -128 or -32768, so ±127 · ±32767 · 512 is the extreme.
        let rows = vec![127i8; MAX_STRIDE];
        let query = vec![32767i16; MAX_STRIDE];
        let mut out = [0.0];
        affine_dot_rows(&rows, MAX_STRIDE, &query, 1.0, 0.0, &[0.0], &mut out);
        assert_eq!(
            out[0] as f64,
            (127 * 32767 * MAX_STRIDE as i64) as f32 as f64
        );
    }

    #[test]
    #[should_panic(expected = "multiple of 16")]
    fn rejects_unpadded_rows() {
        affine_dot_rows(&[0; 10], 10, &[0; 10], 1.0, 0.0, &[0.0], &mut [0.0]);
    }
}
