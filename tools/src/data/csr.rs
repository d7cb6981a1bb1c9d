//! Ratings grouped by user or by item without copying them: for each group, the row numbers of
//! its ratings (compressed sparse rows, 4 bytes a rating). Trainers and baselines share it.

/// For each group `g` in `0..n`, the rows `r` with `keys[r] == g`, in data order.
#[derive(Debug, Clone)]
pub struct Csr {
    offsets: Vec<usize>,
    rows: Vec<u32>,
}

impl Csr {
    /// Groups row numbers by `keys` (values in `0..n`) with a counting sort.
    pub fn build(keys: &[u32], n: usize) -> Csr {
        let mut offsets = vec![0usize; n + 1];
        for &k in keys {
            offsets[k as usize + 1] += 1;
        }
        for i in 0..n {
            offsets[i + 1] += offsets[i];
        }
        let mut fill = offsets.clone();
        let mut rows = vec![0u32; keys.len()];
        for (r, &k) in keys.iter().enumerate() {
            rows[fill[k as usize]] = r as u32;
            fill[k as usize] += 1;
        }
        Csr { offsets, rows }
    }

    /// Number of groups.
    pub fn len(&self) -> usize {
        self.offsets.len() - 1
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Row numbers of group `g`.
    pub fn group(&self, g: usize) -> &[u32] {
        &self.rows[self.offsets[g]..self.offsets[g + 1]]
    }

    /// Row numbers of every group, concatenated in group order, with the group offsets.
    pub fn parts(&self) -> (&[usize], &[u32]) {
        (&self.offsets, &self.rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_rows_in_order() {
        let c = Csr::build(&[2, 0, 2, 1, 0], 4);
        assert_eq!(
            (c.group(0), c.group(1), c.group(2), c.group(3)),
            (&[1, 4][..], &[3][..], &[0, 2][..], &[][..])
        );
        assert_eq!(c.len(), 4);
    }
}
