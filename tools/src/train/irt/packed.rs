//! Packed lower-triangle storage of the q covariances: each movie's (K+1) × (K+1) as one
//! triangle, each user's D × D in three blocks ([`UserCovLayout`]).

pub(in crate::train::irt) fn packed_len(d: usize) -> usize {
    d * (d + 1) / 2
}

/// Index of (i, j) in a packed lower triangle.
pub(in crate::train::irt) fn pk(i: usize, j: usize) -> usize {
    let (a, b) = if i >= j { (i, j) } else { (j, i) };
    a * (a + 1) / 2 + b
}

/// Where Cov(z_a, z_b) sits in a user's row of [`crate::train::irt::IrtModel::user_cov`]: three blocks, each
/// contiguous, so that a movie's update reads the first two as one run of memory.
///
/// ```text
/// [0, K(K+1)/2)                 θθ, packed lower triangle: (a, b), b ≤ a < K at a(a+1)/2 + b
/// [K(K+1)/2, +(F+1)K)           Cov(z_{K+c}, θ_a) at K(K+1)/2 + cK + a   (c < F+1: w, then b_u)
/// [K(K+1)/2 + (F+1)K, D(D+1)/2) the [w; b_u] block, packed lower triangle
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UserCovLayout {
    pub k: usize,
    pub d: usize,
}

impl UserCovLayout {
    /// Start of the Cov([w; b_u], θ) block.
    pub fn cross_start(&self) -> usize {
        packed_len(self.k)
    }

    /// Index of (a, b) (either order).
    pub fn idx(&self, a: usize, b: usize) -> usize {
        let (a, b) = if a >= b { (a, b) } else { (b, a) };
        let k = self.k;
        if a < k {
            a * (a + 1) / 2 + b
        } else if b < k {
            packed_len(k) + (a - k) * k + b
        } else {
            packed_len(k) + (self.d - k) * k + pk(a - k, b - k)
        }
    }

    /// Writes a full row-major D × D covariance (lower triangle read) into `out`.
    pub fn pack(&self, cov: &[f64], out: &mut [f32]) {
        let (k, d) = (self.k, self.d);
        let mut o = 0;
        for a in 0..k {
            for b in 0..=a {
                out[o] = cov[a * d + b] as f32;
                o += 1;
            }
        }
        for a in k..d {
            for b in 0..k {
                out[o] = cov[a * d + b] as f32;
                o += 1;
            }
        }
        for a in k..d {
            for b in k..=a {
                out[o] = cov[a * d + b] as f32;
                o += 1;
            }
        }
        debug_assert_eq!(o, packed_len(d));
    }
}
