//! The head of a bundle and its tail: the same model split by films, for a first list before the
//! whole catalogue has arrived. Every parameter that is not per film (the header, the visitor
//! model, the implicit Gramian and content regression, the blend) is kept whole in both parts,
//! so a film of the head scores exactly as in the whole bundle, a visitor's posterior from films
//! of the head is the same, and [`Bundle::join`] of a head and its tail gives back the whole
//! bundle (all tested): the head's list is the whole list restricted to the head.

use super::{Bundle, BundleError, Catalogue, ImplicitParams, ItemParams};

/// One film of a gathered bundle: which source and which of its rows.
#[derive(Clone, Copy)]
struct Pick {
    source: usize,
    row: usize,
}

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
        let picks: Vec<Pick> = rows
            .iter()
            .map(|&r| Pick {
                source: 0,
                row: r as usize,
            })
            .collect();
        gather(&[self], &picks)
    }

    /// [`Bundle::subset`] of the [`Bundle::head_rows`].
    pub fn head(&self, n: usize) -> Bundle {
        self.subset(&self.head_rows(n))
    }

    /// The films [`Bundle::head`]`(n)` leaves out: `join(head(n), tail(n))` is this bundle.
    pub fn tail(&self, n: usize) -> Bundle {
        let head = self.head_rows(n);
        let rest: Vec<u32> = (0..self.len() as u32)
            .filter(|r| head.binary_search(r).is_err())
            .collect();
        self.subset(&rest)
    }

    /// A head and its tail as one bundle, the films of both merged by MovieLens id (the order
    /// `tools train` writes, so the join of a split bundle equals it).
    ///
    /// A tail from another bundle (any parameter that is not per film differs) or one that
    /// repeats a film of the head is refused, so a stale cached tail never mixes two models.
    pub fn join(&self, tail: &Bundle) -> Result<Bundle, BundleError> {
        let mismatch = |what: &str| {
            Err(BundleError::Inconsistent(format!(
                "the tail does not belong to this head ({what} differ)"
            )))
        };
        if self.header != tail.header {
            return mismatch("headers");
        }
        if self.visitor != tail.visitor || self.blend != tail.blend {
            return mismatch("visitor models or blends");
        }
        let shared = |p: &Option<ImplicitParams>| {
            p.as_ref().map(|p| ImplicitParams {
                residual_rows: Vec::new(),
                residual_q: Vec::new(),
                residual_scale: Vec::new(),
                ..p.clone()
            })
        };
        if shared(&self.implicit) != shared(&tail.implicit) {
            return mismatch("implicit models");
        }
        let (a, b) = (&self.catalogue.movie_id, &tail.catalogue.movie_id);
        let mut picks = Vec::with_capacity(a.len() + b.len());
        let (mut i, mut j) = (0, 0);
        while i < a.len() || j < b.len() {
            let from_head = j == b.len() || (i < a.len() && a[i] < b[j]);
            if i < a.len() && j < b.len() && a[i] == b[j] {
                return Err(BundleError::Inconsistent(format!(
                    "movie {} is in both the head and the tail",
                    a[i]
                )));
            }
            if from_head {
                picks.push(Pick { source: 0, row: i });
                i += 1;
            } else {
                picks.push(Pick { source: 1, row: j });
                j += 1;
            }
        }
        let joined = gather(&[self, tail], &picks);
        joined.validate()?;
        Ok(joined)
    }
}

/// The bundle whose i-th film is `picks[i]` of `sources`, every non-per-film part from the first
/// source.
fn gather(sources: &[&Bundle], picks: &[Pick]) -> Bundle {
    let first = sources[0];
    let col = |field| column(sources, picks, field);
    let catalogue = Catalogue {
        movie_id: col(|b| &b.catalogue.movie_id),
        imdb_id: col(|b| &b.catalogue.imdb_id),
        title: column(sources, picks, |b| &b.catalogue.title),
        year: column(sources, picks, |b| &b.catalogue.year),
        genres: col(|b| &b.catalogue.genres),
        ml_count: col(|b| &b.catalogue.ml_count),
        imdb_rating_x10: column(sources, picks, |b| &b.catalogue.imdb_rating_x10),
        imdb_votes: col(|b| &b.catalogue.imdb_votes),
    };
    let k = first.header.k as usize;
    let explicit: Vec<Residuals> = sources
        .iter()
        .map(|b| {
            Residuals::of(
                &b.items.residual_rows,
                &b.items.residual_q,
                &b.items.residual_scale,
                b.len(),
            )
        })
        .collect();
    let (residual_rows, residual_q, residual_scale) = gather_residuals(&explicit, picks, k);
    let items = ItemParams {
        residual_rows,
        residual_q,
        residual_scale,
        bias: column(sources, picks, |b| &b.items.bias),
        bias_sd: column(sources, picks, |b| &b.items.bias_sd),
        factor_sd_scale: column(sources, picks, |b| &b.items.factor_sd_scale),
    };
    let implicit = first.implicit.as_ref().map(|p| {
        let parts: Vec<Residuals> = sources
            .iter()
            .map(|b| {
                let q = b
                    .implicit
                    .as_ref()
                    .expect("checked: every source has an implicit model");
                Residuals::of(&q.residual_rows, &q.residual_q, &q.residual_scale, b.len())
            })
            .collect();
        let (residual_rows, residual_q, residual_scale) =
            gather_residuals(&parts, picks, p.k as usize);
        ImplicitParams {
            residual_rows,
            residual_q,
            residual_scale,
            ..p.clone()
        }
    });
    Bundle {
        header: first.header.clone(),
        catalogue,
        items,
        visitor: first.visitor.clone(),
        implicit,
        blend: first.blend.clone(),
    }
}

/// Column `field` of every picked film.
fn column<T: Clone>(sources: &[&Bundle], picks: &[Pick], field: fn(&Bundle) -> &Vec<T>) -> Vec<T> {
    picks
        .iter()
        .map(|p| field(sources[p.source])[p.row].clone())
        .collect()
}

/// A bundle's int8 residual rows, looked up by catalogue index.
struct Residuals<'a> {
    /// `slot[row]`: the row's place among the residuals, if it has one.
    slot: Vec<Option<usize>>,
    q: &'a [i8],
    scale: &'a [f32],
}

impl<'a> Residuals<'a> {
    fn of(rows: &[u32], q: &'a [i8], scale: &'a [f32], n: usize) -> Residuals<'a> {
        let mut slot = vec![None; n];
        for (j, &r) in rows.iter().enumerate() {
            slot[r as usize] = Some(j);
        }
        Residuals { slot, q, scale }
    }
}

/// The residual rows of the picked films, renumbered to their place among the picks.
fn gather_residuals(
    parts: &[Residuals],
    picks: &[Pick],
    k: usize,
) -> (Vec<u32>, Vec<i8>, Vec<f32>) {
    let (mut rows, mut q, mut scale) = (Vec::new(), Vec::new(), Vec::new());
    for (new, p) in picks.iter().enumerate() {
        let part = &parts[p.source];
        if let Some(j) = part.slot[p.row] {
            rows.push(new as u32);
            q.extend_from_slice(&part.q[j * k..(j + 1) * k]);
            scale.push(part.scale[j]);
        }
    }
    (rows, q, scale)
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

    /// Split anywhere, a head and its tail join back into the whole bundle, bit for bit, with
    /// or without an implicit model; a tail of another bundle or one overlapping the head is
    /// refused.
    #[test]
    fn a_head_and_its_tail_join_into_the_whole_bundle() {
        let b = random_bundle(7, 240, 4, 150);
        assert!(b.implicit.is_some());
        for n in [0, 1, 37, 239, 240] {
            let (head, tail) = (b.head(n), b.tail(n));
            assert_eq!(head.len() + tail.len(), 240);
            let tail = Bundle::decode(&tail.encode()).expect("a tail is a valid bundle");
            assert_eq!(head.join(&tail).expect("joins"), b, "split at {n}");
            assert_eq!(tail.join(&head).expect("joins either way"), b);
        }
        let mut plain = b.clone();
        plain.implicit = None;
        assert_eq!(plain.head(50).join(&plain.tail(50)).unwrap(), plain);

        let other = random_bundle(8, 240, 4, 150);
        let err = b.head(50).join(&other.tail(50)).unwrap_err().to_string();
        assert!(err.contains("does not belong"), "{err}");
        let err = b.head(50).join(&plain.tail(50)).unwrap_err().to_string();
        assert!(err.contains("implicit"), "{err}");
        let err = b.head(50).join(&b.head(60)).unwrap_err().to_string();
        assert!(err.contains("in both"), "{err}");
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
