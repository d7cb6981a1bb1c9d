//! Small statistics the engine shares: Spearman's rank correlation ("how well do you know
//! me?", `tools eval`, the visitor's IMDb stack) and the leave-one-out least-squares line.

/// For each point, the least-squares line through all the *other* points evaluated at its x
/// (a level line, their mean y, when their x are all equal; `None` with no other point). The
/// others' means and centred sums are the whole set's with the point taken out, so the lot
/// costs O(n).
pub fn affine_loo(x: &[f64], y: &[f64]) -> Vec<Option<f64>> {
    let n = x.len();
    if n < 2 {
        return vec![None; n];
    }
    let mean = |v: &[f64]| v.iter().sum::<f64>() / n as f64;
    let (mx, my) = (mean(x), mean(y));
    let sxx: f64 = x.iter().map(|a| (a - mx) * (a - mx)).sum();
    let sxy: f64 = x.iter().zip(y).map(|(a, b)| (a - mx) * (b - my)).sum();
    let (others, f) = ((n - 1) as f64, n as f64 / (n - 1) as f64);
    (0..n)
        .map(|i| {
            let (dx, dy) = (x[i] - mx, y[i] - my);
            let (mx1, my1) = (mx - dx / others, my - dy / others);
            let sxx1 = sxx - dx * dx * f;
            let sxy1 = sxy - dx * dy * f;
            let slope = if sxx1 > 1e-9 * sxx { sxy1 / sxx1 } else { 0.0 };
            Some(my1 + slope * (x[i] - mx1))
        })
        .collect()
}

/// The least-squares line of y on x as (intercept, slope); a level line at their mean y when
/// the x are all equal (or there are none).
pub fn least_squares(x: &[f64], y: &[f64]) -> (f64, f64) {
    let n = x.len().max(1) as f64;
    let (mx, my) = (x.iter().sum::<f64>() / n, y.iter().sum::<f64>() / n);
    let sxx: f64 = x.iter().map(|a| (a - mx) * (a - mx)).sum();
    let sxy: f64 = x.iter().zip(y).map(|(a, b)| (a - mx) * (b - my)).sum();
    let slope = if sxx > 1e-12 { sxy / sxx } else { 0.0 };
    (my - slope * mx, slope)
}

/// Spearman's rank correlation: Pearson's on the ranks, ties sharing their average rank.
/// `None` with fewer than two pairs or when either side is constant. (`tools eval` scores
/// with this one too, and the visitor's IMDb stack chooses its weight by it.)
pub fn spearman(a: &[f64], b: &[f64]) -> Option<f64> {
    if a.len() < 2 {
        return None;
    }
    let (ra, rb) = (ranks(a), ranks(b));
    let m = (a.len() as f64 + 1.0) / 2.0;
    let (mut sab, mut saa, mut sbb) = (0.0, 0.0, 0.0);
    for (x, y) in ra.iter().zip(&rb) {
        sab += (x - m) * (y - m);
        saa += (x - m) * (x - m);
        sbb += (y - m) * (y - m);
    }
    (saa > 0.0 && sbb > 0.0).then(|| sab / (saa * sbb).sqrt())
}

/// 1-based ranks, ties sharing the average of the ranks they span.
fn ranks(v: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..v.len()).collect();
    order.sort_by(|&i, &j| v[i].total_cmp(&v[j]));
    let mut out = vec![0.0; v.len()];
    let mut start = 0;
    while start < order.len() {
        let mut end = start + 1;
        while end < order.len() && v[order[end]] == v[order[start]] {
            end += 1;
        }
        let rank = (start + end + 1) as f64 / 2.0;
        for &i in &order[start..end] {
            out[i] = rank;
        }
        start = end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_abs_diff_eq;

    /// Against a refit of the line without each point, by the normal equations.
    #[test]
    fn the_leave_one_out_line_is_the_refit_without_the_point() {
        let x = [7.1, 6.4, 8.0, 5.5, 7.1, 9.0, 6.0];
        let y = [4.0, 3.0, 4.5, 2.0, 3.5, 5.0, 3.5];
        let got = affine_loo(&x, &y);
        for i in 0..x.len() {
            let (xs, ys): (Vec<f64>, Vec<f64>) = (0..x.len())
                .filter(|&j| j != i)
                .map(|j| (x[j], y[j]))
                .unzip();
            // [n Σx; Σx Σx²]·[c; s] = [Σy; Σxy].
            let n = xs.len() as f64;
            let (sx, sy) = (xs.iter().sum::<f64>(), ys.iter().sum::<f64>());
            let sxx: f64 = xs.iter().map(|a| a * a).sum();
            let sxy: f64 = xs.iter().zip(&ys).map(|(a, b)| a * b).sum();
            let det = n * sxx - sx * sx;
            let slope = (n * sxy - sx * sy) / det;
            let c = (sy - slope * sx) / n;
            assert_abs_diff_eq!(got[i].unwrap(), c + slope * x[i], epsilon = 1e-12);
        }
        // Degenerate: the others' x all equal gives their mean; one point gives nothing.
        assert_eq!(affine_loo(&[6.0, 6.0, 8.0], &[3.0, 4.0, 5.0])[2], Some(3.5));
        assert_eq!(
            affine_loo(&[6.0, 8.0], &[3.0, 5.0]),
            vec![Some(5.0), Some(3.0)]
        );
        assert_eq!(affine_loo(&[6.0], &[3.0]), vec![None]);
    }

    /// By hand: a = [1, 2, 2, 3], b = [10, 30, 20, 20] rank to [1, 2.5, 2.5, 4] and
    /// [1, 4, 2.5, 2.5]; centred on 2.5: [−1.5, 0, 0, 1.5] and [−1.5, 1.5, 0, 0], so
    /// ρ = 2.25 / √(4.5 · 4.5) = 0.5.
    #[test]
    fn spearman_shares_ranks_between_ties() {
        assert_eq!(ranks(&[1.0, 2.0, 2.0, 3.0]), vec![1.0, 2.5, 2.5, 4.0]);
        let rho = spearman(&[1.0, 2.0, 2.0, 3.0], &[10.0, 30.0, 20.0, 20.0]).unwrap();
        assert_abs_diff_eq!(rho, 0.5, epsilon = 1e-15);
        assert_eq!(spearman(&[1.0, 2.0], &[3.0, 3.0]), None);
        assert_eq!(spearman(&[1.0], &[3.0]), None);
        assert_abs_diff_eq!(
            spearman(&[1.0, 2.0, 3.0], &[-1.0, -2.0, -3.0]).unwrap(),
            -1.0,
            epsilon = 1e-15
        );
    }
}
