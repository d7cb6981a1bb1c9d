//! The small dense linear algebra the visitor posterior needs (dimension K+1 ≈ 33).
//! ndarray has no solver and LAPACK does not exist in wasm32, so a Cholesky lives here.

use ndarray::{Array1, Array2, ArrayView1};

/// The matrix handed to [`cholesky`] was not symmetric positive definite.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("matrix is not positive definite (pivot {pivot} = {value})")]
pub struct NotPositiveDefinite {
    pub pivot: usize,
    pub value: f64,
}

/// Lower-triangular L with A = L Lᵀ. Only the lower triangle of `a` is read.
pub fn cholesky(a: &Array2<f64>) -> Result<Array2<f64>, NotPositiveDefinite> {
    let n = a.nrows();
    assert_eq!(n, a.ncols(), "cholesky needs a square matrix");
    let mut l = Array2::<f64>::zeros((n, n));
    for j in 0..n {
        let mut d = a[[j, j]];
        for k in 0..j {
            d -= l[[j, k]] * l[[j, k]];
        }
        if !(d > 0.0 && d.is_finite()) {
            return Err(NotPositiveDefinite { pivot: j, value: d });
        }
        let d = d.sqrt();
        l[[j, j]] = d;
        for i in j + 1..n {
            let mut s = a[[i, j]];
            for k in 0..j {
                s -= l[[i, k]] * l[[j, k]];
            }
            l[[i, j]] = s / d;
        }
    }
    Ok(l)
}

/// Solves L y = b for lower-triangular L.
pub fn solve_lower(l: &Array2<f64>, b: ArrayView1<f64>) -> Array1<f64> {
    let n = l.nrows();
    let mut y = Array1::<f64>::zeros(n);
    for i in 0..n {
        let mut s = b[i];
        for k in 0..i {
            s -= l[[i, k]] * y[k];
        }
        y[i] = s / l[[i, i]];
    }
    y
}

/// Solves Lᵀ x = y for lower-triangular L.
pub fn solve_upper_t(l: &Array2<f64>, y: ArrayView1<f64>) -> Array1<f64> {
    let n = l.nrows();
    let mut x = Array1::<f64>::zeros(n);
    for i in (0..n).rev() {
        let mut s = y[i];
        for k in i + 1..n {
            s -= l[[k, i]] * x[k];
        }
        x[i] = s / l[[i, i]];
    }
    x
}

/// Solves A x = b given A's Cholesky factor.
pub fn cho_solve(l: &Array2<f64>, b: ArrayView1<f64>) -> Array1<f64> {
    let y = solve_lower(l, b);
    solve_upper_t(l, y.view())
}

/// A⁻¹ from A's Cholesky factor (column by column).
pub fn cho_inverse(l: &Array2<f64>) -> Array2<f64> {
    let n = l.nrows();
    let mut inv = Array2::<f64>::zeros((n, n));
    let mut e = Array1::<f64>::zeros(n);
    for j in 0..n {
        e.fill(0.0);
        e[j] = 1.0;
        let col = cho_solve(l, e.view());
        inv.column_mut(j).assign(&col);
    }
    // Symmetrise away rounding so that xᵀ A⁻¹ x is computed consistently.
    let t = inv.t().to_owned();
    (inv + t) * 0.5
}

/// Eigenvalues and eigenvectors of a symmetric matrix by cyclic Jacobi rotations: (w, V) with
/// A = V·diag(w)·Vᵀ, V orthogonal (column i is the eigenvector of w[i]), in no particular order.
/// O(n³) a sweep, a handful of sweeps: for the small matrices here (the K × K factor block).
/// Only the upper triangle of `a` is read.
pub fn symmetric_eigen(a: &Array2<f64>) -> (Array1<f64>, Array2<f64>) {
    let n = a.nrows();
    assert_eq!(n, a.ncols(), "symmetric_eigen needs a square matrix");
    let mut a = Array2::from_shape_fn((n, n), |(i, j)| a[[i.min(j), i.max(j)]]);
    let mut v = Array2::<f64>::eye(n);
    let norm2: f64 = a.iter().map(|x| x * x).sum();
    for _sweep in 0..100 {
        let off2: f64 = (0..n)
            .flat_map(|p| (p + 1..n).map(move |q| (p, q)))
            .map(|(p, q)| 2.0 * a[[p, q]] * a[[p, q]])
            .sum();
        if off2 <= 1e-32 * norm2 || off2 == 0.0 {
            break;
        }
        for p in 0..n {
            for q in p + 1..n {
                let apq = a[[p, q]];
                if apq == 0.0 {
                    continue;
                }
                // The rotation that zeroes a_pq (Numerical Recipes §11.1): t = tan φ is the
                // smaller root of t² + 2θt − 1 = 0.
                let theta = (a[[q, q]] - a[[p, p]]) / (2.0 * apq);
                let t = if theta.abs() > 1e150 {
                    0.5 / theta
                } else {
                    theta.signum() / (theta.abs() + (theta * theta + 1.0).sqrt())
                };
                let c = 1.0 / (t * t + 1.0).sqrt();
                let s = t * c;
                for k in 0..n {
                    let (akp, akq) = (a[[k, p]], a[[k, q]]);
                    a[[k, p]] = c * akp - s * akq;
                    a[[k, q]] = s * akp + c * akq;
                }
                for k in 0..n {
                    let (apk, aqk) = (a[[p, k]], a[[q, k]]);
                    a[[p, k]] = c * apk - s * aqk;
                    a[[q, k]] = s * apk + c * aqk;
                }
                for k in 0..n {
                    let (vkp, vkq) = (v[[k, p]], v[[k, q]]);
                    v[[k, p]] = c * vkp - s * vkq;
                    v[[k, q]] = s * vkp + c * vkq;
                }
            }
        }
    }
    (a.diag().to_owned(), v)
}

/// For every row of `rows` (laid out `[out: k | input: f | …]`, `stride` apart), its first `k`
/// entries become `input · Gᵀ[..f] + Gᵀ[f]`, where `g_t` is Gᵀ, (f + 1) × k row-major: the
/// factors' content prior β = G·[x; 1] of every film when the model is built (62.7k films × 24
/// features × 32 factors). Summed feature by feature over contiguous k-long rows, which
/// vectorises; here rather than in the engine because this crate is built at opt-level 3.
pub fn prior_rows(rows: &mut [f32], stride: usize, k: usize, f: usize, g_t: &[f32]) {
    assert!(k + f <= stride, "a row holds its output and its input");
    assert_eq!(g_t.len(), (f + 1) * k, "Gᵀ is (f + 1) × k");
    assert_eq!(rows.len() % stride.max(1), 0, "whole rows only");
    let (terms, constant) = g_t.split_at(f * k);
    for row in rows.chunks_exact_mut(stride) {
        let (out, rest) = row.split_at_mut(k);
        out.copy_from_slice(constant);
        for (&x, g) in rest[..f].iter().zip(terms.chunks_exact(k)) {
            for (o, &gv) in out.iter_mut().zip(g) {
                *o += gv * x;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_abs_diff_eq;

    #[test]
    fn prior_rows_is_the_affine_map_of_each_rows_input() {
        let (k, f, stride) = (3, 2, 7);
        // Gᵀ rows: feature 0, feature 1, the constant.
        let g_t = [1.0, 2.0, 3.0, -1.0, 0.5, 0.0, 10.0, 20.0, 30.0];
        let mut rows = vec![9.0f32; 2 * stride];
        rows[3..5].copy_from_slice(&[2.0, 4.0]);
        rows[stride + 3..stride + 5].copy_from_slice(&[-1.0, 0.0]);
        prior_rows(&mut rows, stride, k, f, &g_t);
        // Row 0: 2·[1,2,3] + 4·[−1,0.5,0] + [10,20,30]; row 1: −1·[1,2,3] + [10,20,30].
        assert_eq!(&rows[..k], &[8.0, 26.0, 36.0]);
        assert_eq!(&rows[stride..stride + k], &[9.0, 18.0, 27.0]);
        // The input and the rest of each row are left alone.
        assert_eq!(&rows[k..stride], &[2.0, 4.0, 9.0, 9.0]);
    }
    use ndarray::array;

    #[test]
    fn matches_known_factorisation() {
        // Classic example (e.g. Wikipedia "Cholesky decomposition"): L = [[2,0,0],[6,1,0],[-8,5,3]].
        let a = array![
            [4.0, 12.0, -16.0],
            [12.0, 37.0, -43.0],
            [-16.0, -43.0, 98.0]
        ];
        let l = cholesky(&a).unwrap();
        let expected = array![[2.0, 0.0, 0.0], [6.0, 1.0, 0.0], [-8.0, 5.0, 3.0]];
        for (x, y) in l.iter().zip(expected.iter()) {
            assert_abs_diff_eq!(x, y, epsilon = 1e-12);
        }
        let b = array![1.0, 2.0, 3.0];
        let x = cho_solve(&l, b.view());
        let back = a.dot(&x);
        for (x, y) in back.iter().zip(b.iter()) {
            assert_abs_diff_eq!(x, y, epsilon = 1e-9);
        }
        let eye = a.dot(&cho_inverse(&l));
        for i in 0..3 {
            for j in 0..3 {
                assert_abs_diff_eq!(eye[[i, j]], if i == j { 1.0 } else { 0.0 }, epsilon = 1e-9);
            }
        }
    }

    /// A = V·diag(w)·Vᵀ with V orthogonal, and the eigenvalues of a matrix known in closed
    /// form: [[2, 1], [1, 2]] has 1 and 3; the n × n matrix of ones has n and n − 1 zeros.
    #[test]
    fn symmetric_eigen_diagonalises() {
        let (w, _) = symmetric_eigen(&array![[2.0, 1.0], [1.0, 2.0]]);
        let mut w = w.to_vec();
        w.sort_by(f64::total_cmp);
        assert_abs_diff_eq!(w[0], 1.0, epsilon = 1e-14);
        assert_abs_diff_eq!(w[1], 3.0, epsilon = 1e-14);
        let (w, _) = symmetric_eigen(&Array2::from_elem((5, 5), 1.0));
        let mut w = w.to_vec();
        w.sort_by(f64::total_cmp);
        for &x in &w[..4] {
            assert_abs_diff_eq!(x, 0.0, epsilon = 1e-13);
        }
        assert_abs_diff_eq!(w[4], 5.0, epsilon = 1e-13);
        // A dense 12 × 12 with a wide spread of scales.
        let n = 12;
        let m = Array2::from_shape_fn((n, n), |(i, j)| ((i * 31 + j * 17) % 11) as f64 - 5.0);
        let a = m.t().dot(&m) + Array2::from_diag(&Array1::from_shape_fn(n, |i| 1e-3 * i as f64));
        let (w, v) = symmetric_eigen(&a);
        let back = v.dot(&Array2::from_diag(&w)).dot(&v.t());
        let eye = v.t().dot(&v);
        for i in 0..n {
            for j in 0..n {
                assert_abs_diff_eq!(back[[i, j]], a[[i, j]], epsilon = 1e-11);
                assert_abs_diff_eq!(eye[[i, j]], if i == j { 1.0 } else { 0.0 }, epsilon = 1e-13);
            }
        }
    }

    #[test]
    fn rejects_indefinite() {
        let a = array![[1.0, 2.0], [2.0, 1.0]];
        assert_eq!(cholesky(&a).unwrap_err().pivot, 1);
    }
}
