//! The head of a bundle: the same model over fewer films, for a first list before the whole
//! catalogue has arrived. Every parameter that is not per film (the header, the visitor model,
//! the implicit Gramian and content regression, the blend) is kept as it is, so a film of the
//! head scores exactly as in the whole bundle and a visitor's posterior from films of the head is
//! the same (tested): the head's list is the whole list restricted to the head.

use super::{Bundle, Catalogue, ImplicitParams, ItemParams};

impl Bundle {
    /// The `n` films a new visitor most likely knows (most IMDb votes, then most training
    /// ratings, then catalogue order), in catalogue order.
    pub fn head_rows(&self, n: usize) -> Vec<u32> {
        let c = &self.catalogue;
        let mut order: Vec<u32> = (0..self.len() as u32).collect();
        order.sort_by_key(|&i| {
            let i = i as usize;
            (std::cmp::Reverse((c.imdb_votes[i], c.ml_count[i])), i)
        });
        order.truncate(n);
        order.sort_unstable();
        order
    }

    /// The bundle over the films `rows` (strictly increasing catalogue indices) only.
    ///
    /// # Panics
    /// If `rows` is not strictly increasing or names a film beyond the catalogue (a caller's bug,
    /// never user input: the rows come from [`Bundle::head_rows`]).
    pub fn subset(&self, rows: &[u32]) -> Bundle {
        assert!(
            rows.windows(2).all(|w| w[0] < w[1])
                && rows.last().is_none_or(|&r| (r as usize) < self.len()),
            "subset rows must be increasing catalogue indices"
        );
        let pick = |i: &u32| *i as usize;
        let c = &self.catalogue;
        let catalogue = Catalogue {
            movie_id: rows.iter().map(|i| c.movie_id[pick(i)]).collect(),
            imdb_id: rows.iter().map(|i| c.imdb_id[pick(i)]).collect(),
            title: rows.iter().map(|i| c.title[pick(i)].clone()).collect(),
            year: rows.iter().map(|i| c.year[pick(i)]).collect(),
            genres: rows.iter().map(|i| c.genres[pick(i)]).collect(),
            ml_count: rows.iter().map(|i| c.ml_count[pick(i)]).collect(),
            imdb_rating_x10: rows.iter().map(|i| c.imdb_rating_x10[pick(i)]).collect(),
            imdb_votes: rows.iter().map(|i| c.imdb_votes[pick(i)]).collect(),
        };
        let k = self.header.k as usize;
        let it = &self.items;
        let (residual_rows, residual_q, residual_scale) = subset_residuals(
            rows,
            &it.residual_rows,
            &it.residual_q,
            &it.residual_scale,
            k,
        );
        let items = ItemParams {
            residual_rows,
            residual_q,
            residual_scale,
            bias: rows.iter().map(|i| it.bias[pick(i)]).collect(),
            bias_sd: rows.iter().map(|i| it.bias_sd[pick(i)]).collect(),
            factor_sd_scale: rows.iter().map(|i| it.factor_sd_scale[pick(i)]).collect(),
        };
        let implicit = self.implicit.as_ref().map(|p| {
            let (residual_rows, residual_q, residual_scale) = subset_residuals(
                rows,
                &p.residual_rows,
                &p.residual_q,
                &p.residual_scale,
                p.k as usize,
            );
            ImplicitParams {
                residual_rows,
                residual_q,
                residual_scale,
                ..p.clone()
            }
        });
        Bundle {
            header: self.header.clone(),
            catalogue,
            items,
            visitor: self.visitor.clone(),
            implicit,
            blend: self.blend.clone(),
        }
    }

    /// [`Bundle::subset`] of the [`Bundle::head_rows`].
    pub fn head(&self, n: usize) -> Bundle {
        self.subset(&self.head_rows(n))
    }
}

/// The int8 residual rows of the films `keep`, renumbered to their place in `keep`.
fn subset_residuals(
    keep: &[u32],
    rows: &[u32],
    q: &[i8],
    scale: &[f32],
    k: usize,
) -> (Vec<u32>, Vec<i8>, Vec<f32>) {
    let (mut out_rows, mut out_q, mut out_scale) = (Vec::new(), Vec::new(), Vec::new());
    // Both lists are increasing: one merge pass.
    let mut j = 0;
    for (new, &row) in keep.iter().enumerate() {
        while j < rows.len() && rows[j] < row {
            j += 1;
        }
        if j < rows.len() && rows[j] == row {
            out_rows.push(new as u32);
            out_q.extend_from_slice(&q[j * k..(j + 1) * k]);
            out_scale.push(scale[j]);
        }
    }
    (out_rows, out_q, out_scale)
}

#[cfg(test)]
mod tests {
    use crate::fixture::random_bundle;
    use crate::{Bundle, Model, Profile, Visitor};

    #[test]
    fn the_head_holds_the_most_voted_films_in_catalogue_order() {
        let b = random_bundle(5, 200, 4, 120);
        let rows = b.head_rows(30);
        assert_eq!(rows.len(), 30);
        assert!(rows.windows(2).all(|w| w[0] < w[1]));
        let least_in = rows
            .iter()
            .map(|&i| b.catalogue.imdb_votes[i as usize])
            .min()
            .unwrap();
        let most_out = (0..200u32)
            .filter(|i| !rows.contains(i))
            .map(|i| b.catalogue.imdb_votes[i as usize])
            .max()
            .unwrap();
        assert!(least_in >= most_out, "{least_in} < {most_out}");
        let head = b.head(30);
        head.validate().expect("a head is a valid bundle");
        let again = Bundle::decode(&head.encode()).expect("and round-trips");
        assert_eq!(again, head);
        assert_eq!(b.head(500).len(), 200);
    }

    /// A visitor who rated films of the head gets, on the head, the same predictions and the
    /// same list as on the whole bundle restricted to the head.
    #[test]
    fn a_film_of_the_head_scores_as_in_the_whole_bundle() {
        let b = random_bundle(9, 300, 4, 200);
        let rows = b.head_rows(80);
        let (full, head) = (
            Model::from_bundle(b.clone()),
            Model::from_bundle(b.head(80)),
        );
        let mut profile = Profile::default();
        for (at, &r) in rows.iter().step_by(9).enumerate() {
            let value = [1.0, 5.0, 3.5, 4.5, 2.0][at % 5];
            profile.rate(
                full.stable_id(r as usize),
                value,
                crate::Scale::Stars,
                at as i64 + 1,
            );
        }
        let (vf, vh) = (Visitor::new(&full, &profile), Visitor::new(&head, &profile));
        for (new, &old) in rows.iter().enumerate() {
            let (a, b) = (
                vf.predict(&full, old as usize).unwrap(),
                vh.predict(&head, new).unwrap(),
            );
            assert!(
                (a.mean - b.mean).abs() < 1e-4,
                "film {old}: {} vs {}",
                a.mean,
                b.mean
            );
        }
        let request = crate::ListRequest {
            settings: crate::profile::Settings {
                exploration: 0.0,
                diversity: 0.0,
                ..Default::default()
            },
            top: 80,
            seed: None,
            genres_all: 0,
        };
        let on_head: Vec<u32> = vh
            .ranked(&head, &request)
            .unwrap()
            .iter()
            .map(|r| rows[r.item])
            .collect();
        let whole: Vec<u32> = vf
            .ranked(&full, &request)
            .map(|l| l.iter().map(|r| r.item as u32).collect())
            .unwrap();
        let mut full_order = Vec::new();
        for m in whole {
            if rows.binary_search(&m).is_ok() {
                full_order.push(m);
            }
        }
        // The whole list's top 80 holds only part of the head: compare the common prefix.
        assert!(!full_order.is_empty());
        assert_eq!(
            &on_head[..full_order.len().min(10)],
            &full_order[..full_order.len().min(10)]
        );
    }
}
