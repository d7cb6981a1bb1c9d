//! The dense kernels of the VI updates, on row-major `f64` buffers (n × n, lower triangles).
//!
//! Every inner loop is an element-wise update (`y[j] = y[j] + a·x[j]`) or a reduction written with
//! an explicit, fixed lane order, so the compiler vectorises it without reassociating anything:
//! the results are the same bits on every x86-64 (SSE2 or AVX2 code path) and every run, whatever
//! the thread schedule. Everything is `#[inline(always)]` so that the AVX2 copies of the per-user
//! and per-item solves (`update.rs`) compile these loops with 256-bit vectors.

/// Cholesky factor in place: on entry the lower triangle of `a` (n × n) holds a symmetric
/// matrix A, on success it holds L with A = L Lᵀ (the strict upper triangle is left alone).
/// Right-looking, but each entry sees exactly the operations, in the same order, of the
/// engine's `moviematch::linalg::cholesky`, so L is the same to the bit. `col` is scratch (n).
/// Err((pivot, value)) when A is not positive definite.
#[inline(always)]
pub(super) fn cholesky_in_place(
    a: &mut [f64],
    n: usize,
    col: &mut [f64],
) -> Result<(), (usize, f64)> {
    debug_assert!(a.len() >= n * n && col.len() >= n);
    for j in 0..n {
        let djj = a[j * n + j];
        if !(djj > 0.0 && djj.is_finite()) {
            return Err((j, djj));
        }
        let djj = djj.sqrt();
        a[j * n + j] = djj;
        for i in j + 1..n {
            let v = a[i * n + j] / djj;
            a[i * n + j] = v;
            col[i] = v;
        }
        // Trailing update A[i][c] −= L[i][j]·L[c][j] for j < c ≤ i.
        for i in j + 1..n {
            let lij = col[i];
            let row = &mut a[i * n + j + 1..i * n + i + 1];
            for (r, &c) in row.iter_mut().zip(&col[j + 1..i + 1]) {
                *r -= lij * c;
            }
        }
    }
    Ok(())
}

/// x = A⁻¹ b given A's Cholesky factor (forward then backward substitution, in the engine's
/// order). `y` is scratch (n).
#[inline(always)]
pub(super) fn cho_solve(l: &[f64], n: usize, b: &[f64], y: &mut [f64], x: &mut [f64]) {
    for i in 0..n {
        let row = &l[i * n..i * n + i];
        let mut s = b[i];
        for (&lik, &yk) in row.iter().zip(&y[..i]) {
            s -= lik * yk;
        }
        y[i] = s / l[i * n + i];
    }
    for i in (0..n).rev() {
        let mut s = y[i];
        for k in i + 1..n {
            s -= l[k * n + i] * x[k];
        }
        x[i] = s / l[i * n + i];
    }
}

/// A⁻¹ = L⁻ᵀ L⁻¹ (full symmetric n × n into `inv`), with W = L⁻¹ built row by row in `w`.
#[inline(always)]
pub(super) fn cho_inverse(l: &[f64], n: usize, w: &mut [f64], inv: &mut [f64]) {
    // Row i of W: (e_i − Σ_{k<i} L[i][k] W[k]) / L[i][i]; W[k] is zero beyond column k.
    for i in 0..n {
        let (done, rest) = w.split_at_mut(i * n);
        let wi = &mut rest[..i + 1];
        wi.fill(0.0);
        wi[i] = 1.0;
        for k in 0..i {
            let lik = l[i * n + k];
            for (o, &v) in wi[..k + 1].iter_mut().zip(&done[k * n..k * n + k + 1]) {
                *o -= lik * v;
            }
        }
        let lii = l[i * n + i];
        for o in wi.iter_mut() {
            *o /= lii;
        }
    }
    // (WᵀW)[a][b] = Σ_{k ≥ a} W[k][a] W[k][b] for b ≤ a: rank-1 updates over the rows of W.
    inv[..n * n].fill(0.0);
    for k in 0..n {
        let wk = &w[k * n..k * n + k + 1];
        for a in 0..=k {
            let wka = wk[a];
            for (o, &v) in inv[a * n..a * n + a + 1].iter_mut().zip(&wk[..a + 1]) {
                *o += wka * v;
            }
        }
    }
    for a in 0..n {
        for b in 0..a {
            inv[b * n + a] = inv[a * n + b];
        }
    }
}

/// Σ a_j b_j with four interleaved partial sums, combined as (s0 + s1) + (s2 + s3), then the
/// tail. `b` is f64 or f32 (widened exactly), so both layouts share one summation order.
#[inline(always)]
pub(super) fn dot<T: Copy + Into<f64>>(a: &[f64], b: &[T]) -> f64 {
    let n = a.len().min(b.len());
    let (a, b) = (&a[..n], &b[..n]);
    let mut s = [0.0f64; 4];
    let (ac, bc) = (a.chunks_exact(4), b.chunks_exact(4));
    let (ar, br) = (ac.remainder(), bc.remainder());
    for (x, y) in ac.zip(bc) {
        for l in 0..4 {
            s[l] += x[l] * y[l].into();
        }
    }
    let mut t = (s[0] + s[1]) + (s[2] + s[3]);
    for (x, &y) in ar.iter().zip(br) {
        t += x * y.into();
    }
    t
}

/// acc += r₀ + r₁ + r₂ + r₃ (f32 rows summed in f64), added one row after the other per entry.
#[inline(always)]
pub(super) fn add_rows4(acc: &mut [f64], r: [&[f32]; 4]) {
    let n = acc.len();
    let (r0, r1, r2, r3) = (&r[0][..n], &r[1][..n], &r[2][..n], &r[3][..n]);
    for ((((o, &a), &b), &c), &d) in acc.iter_mut().zip(r0).zip(r1).zip(r2).zip(r3) {
        *o = (((*o + a as f64) + b as f64) + c as f64) + d as f64;
    }
}

/// acc += r (f32 row summed in f64).
#[inline(always)]
pub(super) fn add_row(acc: &mut [f64], r: &[f32]) {
    let n = acc.len();
    for (o, &a) in acc.iter_mut().zip(&r[..n]) {
        *o += a as f64;
    }
}

/// Lower triangle of G += Σ_r x_r x_rᵀ and h += Σ_r t_r x_r over four consecutive rows of `x`
/// (each of length n), added one row after the other per entry. G is n × n row-major.
#[inline(always)]
pub(super) fn syrk4(g: &mut [f64], h: &mut [f64], n: usize, x: &[f64], t: &[f64]) {
    let (x0, rest) = x[..4 * n].split_at(n);
    let (x1, rest) = rest.split_at(n);
    let (x2, x3) = rest.split_at(n);
    for a in 0..n {
        let (p0, p1, p2, p3) = (x0[a], x1[a], x2[a], x3[a]);
        let row = &mut g[a * n..a * n + a + 1];
        for ((((o, &v0), &v1), &v2), &v3) in row
            .iter_mut()
            .zip(&x0[..a + 1])
            .zip(&x1[..a + 1])
            .zip(&x2[..a + 1])
            .zip(&x3[..a + 1])
        {
            *o = (((*o + p0 * v0) + p1 * v1) + p2 * v2) + p3 * v3;
        }
    }
    let (t0, t1, t2, t3) = (t[0], t[1], t[2], t[3]);
    for ((((o, &v0), &v1), &v2), &v3) in h[..n].iter_mut().zip(x0).zip(x1).zip(x2).zip(x3) {
        *o = (((*o + v0 * t0) + v1 * t1) + v2 * t2) + v3 * t3;
    }
}

/// [`syrk4`] for one row.
#[inline(always)]
pub(super) fn syrk1(g: &mut [f64], h: &mut [f64], n: usize, x: &[f64], t: f64) {
    let x = &x[..n];
    for a in 0..n {
        let p = x[a];
        for (o, &v) in g[a * n..a * n + a + 1].iter_mut().zip(&x[..a + 1]) {
            *o += p * v;
        }
    }
    for (o, &v) in h[..n].iter_mut().zip(x) {
        *o += v * t;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::Array2;
    use rand::{rngs::StdRng, RngExt, SeedableRng};

    fn spd(n: usize, seed: u64) -> Array2<f64> {
        let mut rng = StdRng::seed_from_u64(seed);
        let b = Array2::from_shape_fn((n, n), |_| rng.random::<f64>() - 0.5);
        let mut a = b.t().dot(&b);
        for i in 0..n {
            a[[i, i]] += 0.1;
        }
        a
    }

    #[test]
    fn cholesky_matches_the_engine_bit_for_bit_and_inverts() {
        for n in [1, 2, 5, 33, 57] {
            let a = spd(n, n as u64);
            let want = moviematch::linalg::cholesky(&a).unwrap();
            let mut l = a.as_slice().unwrap().to_vec();
            cholesky_in_place(&mut l, n, &mut vec![0.0; n]).unwrap();
            for i in 0..n {
                for j in 0..=i {
                    assert_eq!(l[i * n + j], want[[i, j]], "L[{i}][{j}], n = {n}");
                }
            }
            let b: Vec<f64> = (0..n).map(|j| j as f64 - 1.5).collect();
            let mut x = vec![0.0; n];
            cho_solve(&l, n, &b, &mut vec![0.0; n], &mut x);
            let want_x = moviematch::linalg::cho_solve(&want, ndarray::ArrayView1::from(&b));
            assert_eq!(x, want_x.to_vec());
            let mut inv = vec![0.0; n * n];
            cho_inverse(&l, n, &mut vec![0.0; n * n], &mut inv);
            let want_inv = moviematch::linalg::cho_inverse(&want);
            let scale = want_inv.iter().fold(0f64, |m, v| m.max(v.abs()));
            for (got, want) in inv.iter().zip(want_inv.iter()) {
                assert!((got - want).abs() <= 1e-11 * scale, "{got} vs {want}");
            }
        }
        let mut bad = vec![1.0, 2.0, 2.0, 1.0];
        assert_eq!(
            cholesky_in_place(&mut bad, 2, &mut [0.0; 2]).unwrap_err().0,
            1
        );
    }

    #[test]
    fn row_kernels_add_rows_in_order() {
        let n = 7;
        let x: Vec<f64> = (0..5 * n).map(|j| (j as f64 * 0.37).sin()).collect();
        let t = [0.3, -1.2, 2.0, 0.5, 0.25];
        let (mut g4, mut h4) = (vec![0.0; n * n], vec![0.0; n]);
        syrk4(&mut g4, &mut h4, n, &x, &t);
        syrk1(&mut g4, &mut h4, n, &x[4 * n..], t[4]);
        let (mut g1, mut h1) = (vec![0.0; n * n], vec![0.0; n]);
        for r in 0..5 {
            syrk1(&mut g1, &mut h1, n, &x[r * n..], t[r]);
        }
        assert_eq!((g4, h4), (g1, h1));
        let rows: Vec<Vec<f32>> = (0..4)
            .map(|r| (0..n).map(|j| (r * n + j) as f32 * 0.1).collect())
            .collect();
        let (mut a4, mut a1) = (vec![1.0; n], vec![1.0; n]);
        add_rows4(&mut a4, [&rows[0], &rows[1], &rows[2], &rows[3]]);
        for r in &rows {
            add_row(&mut a1, r);
        }
        assert_eq!(a4, a1);
        let a: Vec<f64> = (0..11).map(|j| j as f64).collect();
        assert_eq!(dot(&a, &a), 385.0);
        let b: Vec<f32> = (0..11).map(|j| j as f32).collect();
        assert_eq!(dot(&a, &b), 385.0);
    }
}
