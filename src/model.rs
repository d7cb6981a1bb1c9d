//! The decoded, ready-to-use model: catalogue entries with parsed titles, dequantized item
//! factors, id lookups and the search index. Built once from a [`Bundle`] and then shared
//! read-only (the app holds it in an `Rc`).

use std::collections::HashMap;

use ndarray::{s, Array1, Array2};

use crate::blend::BlendTable;
use crate::bundle::{dequantize_row, Blend, Bundle, BundleError, Header};
use crate::features::RawFeatures;
use crate::ids::{parse_tconst, Resolve, StableId};
use crate::implicit::{ImplicitItems, ImplicitTaste, Signal};
use crate::movie::Movie;
use crate::search::SearchIndex;
use crate::title::{match_key, parse_title};
use moviematch_math::linalg::{prior_rows, NotPositiveDefinite};
use moviematch_math::score::{Residuals, Scorer};

/// A decoded bundle ready for search, posterior fits and ranking.
#[derive(Debug)]
pub struct Model {
    pub header: Header,
    movies: Vec<Movie>,
    /// n × (K+F+1): row i is xᵢ = [βᵢ; featuresᵢ; 1], so that a visitor's z = (θ, w, b_u)
    /// scores with one dot product.
    x: Array2<f32>,
    /// s_m² per item: the factors' posterior covariance is s_m² · diag(τ²).
    factor_var_scale: Array1<f32>,
    /// τ², the content prior's per-dimension variance.
    tau2: Array1<f32>,
    /// μ + b_m per item: the part of the prediction that does not depend on the visitor.
    offset: Array1<f32>,
    /// Var(b_m) per item.
    bias_var: Array1<f32>,
    by_movielens: HashMap<u32, usize>,
    by_imdb: HashMap<u32, usize>,
    /// Normalised title and year → the one movie having them; `None` when several do (an
    /// unmatched entry must never be read as one of two films it could be).
    by_title_year: HashMap<(String, Option<u16>), Option<usize>>,
    search: SearchIndex,
    /// The catalogue in the int8 layout of the SIMD kernel, for scoring every movie at once.
    scorer: Scorer,
    /// logit P(seen) of every movie before the visitor's offset (cᵀf_m, see [`crate::seen`]),
    /// contiguous: ranking reads it for all 62k movies.
    seen_logits: Array1<f32>,
    /// κ_m ∈ [0, 1] per movie: how much of a Thompson draw's spread its score takes (see
    /// [`Model::exploration_shrink`]).
    explore_shrink: Array1<f32>,
    /// The bundle's visitor model (noise prior, P(seen) coefficients).
    visitor: crate::bundle::VisitorModel,
    /// Who watches what (`None` for a v2/v3 bundle: the list then ranks on ratings alone).
    implicit: Option<ImplicitItems>,
    /// How the ranking weighs its terms (the bundle's, or [`Blend::fallback`]).
    blend: BlendTable,
    /// Every movie, most likely seen first ([`Model::most_seen`]), sorted on first use.
    most_seen: std::sync::OnceLock<Vec<u32>>,
}

impl Model {
    /// Decodes bundle bytes (see [`Bundle::decode`]) and builds the runtime model.
    pub fn from_bytes(bytes: &[u8]) -> Result<Model, BundleError> {
        Ok(Model::from_bundle(Bundle::decode(bytes)?))
    }

    /// Builds the runtime model from an already validated bundle (both halves of
    /// [`ModelBuild`] at once).
    pub fn from_bundle(b: Bundle) -> Model {
        ModelBuild::new(b).finish()
    }

    /// The ranking's blend (see [`BlendTable`]).
    pub fn blend(&self) -> &BlendTable {
        &self.blend
    }

    /// Ranks with another blend from now on: `tools` fits and tunes blends on a loaded model.
    pub fn set_blend(&mut self, blend: &Blend) {
        let (k, f) = (self.k(), self.n_features());
        self.blend = BlendTable::new(blend, self.x.slice(s![.., k..k + f]));
    }

    /// The implicit model, when the bundle has one (v4).
    pub fn implicit(&self) -> Option<&ImplicitItems> {
        self.implicit.as_ref()
    }

    /// The implicit taste these signals give (see [`ImplicitItems::fit`]); `None` when the
    /// bundle has no implicit model.
    pub fn implicit_taste(
        &self,
        signals: &[Signal],
    ) -> Option<Result<ImplicitTaste, NotPositiveDefinite>> {
        self.implicit
            .as_ref()
            .map(|imp| imp.fit(signals, |i| self.content_row(i)))
    }

    /// Film i's content row [x_i; 1] (F features and the constant), what both models' content
    /// regressions read.
    pub fn content_row(&self, i: usize) -> &[f32] {
        let k = self.k();
        let row = self.x.row(i).to_slice().expect("standard layout");
        &row[k..]
    }

    /// The bundle's visitor model: noise prior and P(seen) coefficients.
    pub fn visitor(&self) -> &crate::bundle::VisitorModel {
        &self.visitor
    }

    /// The P(seen) logit of movie `i` before the visitor's offset (see [`crate::seen`]).
    pub fn seen_logit(&self, i: usize) -> f32 {
        self.seen_logits[i]
    }

    /// κ_m = min(1, log₁₀(1 + IMDb votes) / 5): 1 from 100k votes, 0.6 at 1,000, 0 without
    /// votes. Thompson sampling moves a movie's score by κ_m times its draw, so that the few
    /// ratings behind an obscure title cannot make a lucky draw put it on top.
    pub fn exploration_shrink(&self) -> &Array1<f32> {
        &self.explore_shrink
    }

    /// logit P(seen) of every movie before the visitor's offset (see [`crate::seen`]): how likely
    /// a visitor is to know it. Contiguous, for the ranking's pass over the whole catalogue.
    pub fn seen_logits(&self) -> &Array1<f32> {
        &self.seen_logits
    }

    /// Every movie, the highest P(seen) logit first, ties by the lower index (so the same on
    /// every visit): where questions and the "movies you know" grid look for films a visitor
    /// can answer about. Sorted once, on first use (62,709 films: a few milliseconds), so a
    /// question scans a few hundred films instead of selecting among all of them.
    pub fn most_seen(&self) -> &[u32] {
        self.most_seen.get_or_init(|| {
            let mut order: Vec<(f64, usize)> = self
                .seen_logits
                .iter()
                .enumerate()
                .map(|(i, &p)| (p as f64, i))
                .collect();
            moviematch_math::top::sort_best(&mut order);
            order.into_iter().map(|(_, i)| i as u32).collect()
        })
    }

    /// The catalogue in the scoring kernel's layout (see [`Scorer`]).
    pub fn scorer(&self) -> &Scorer {
        &self.scorer
    }

    pub fn len(&self) -> usize {
        self.movies.len()
    }

    pub fn is_empty(&self) -> bool {
        self.movies.is_empty()
    }

    /// Latent dimension K.
    pub fn k(&self) -> usize {
        self.header.k as usize
    }

    pub fn movie(&self, i: usize) -> &Movie {
        &self.movies[i]
    }

    pub fn movies(&self) -> &[Movie] {
        &self.movies
    }

    /// Number of item features F.
    pub fn n_features(&self) -> usize {
        self.header.features.len()
    }

    /// Dimension of the visitor's z = (θ, w, b_u): K + F + 1.
    pub fn visitor_dim(&self) -> usize {
        self.k() + self.n_features() + 1
    }

    /// xᵢ = [βᵢ; featuresᵢ; 1] for every item (n × (K+F+1)), βᵢ its posterior mean.
    pub fn design(&self) -> &Array2<f32> {
        &self.x
    }

    /// s_m² for every item: Cov(β_m) = s_m² · diag(τ²).
    pub fn factor_var_scales(&self) -> &Array1<f32> {
        &self.factor_var_scale
    }

    /// τ²: the content prior's per-dimension factor variance.
    pub fn factor_prior_var(&self) -> &Array1<f32> {
        &self.tau2
    }

    /// μ + b_m for every item.
    pub fn offsets(&self) -> &Array1<f32> {
        &self.offset
    }

    /// Var(b_m) for every item.
    pub fn bias_variances(&self) -> &Array1<f32> {
        &self.bias_var
    }

    pub fn by_movielens_id(&self, id: u32) -> Option<usize> {
        self.by_movielens.get(&id).copied()
    }

    pub fn by_imdb_id(&self, id: u32) -> Option<usize> {
        self.by_imdb.get(&id).copied()
    }

    /// Finds the catalogue entry a profile id refers to; a later bundle may know more of the
    /// unmatched ones. An unmatched entry with an IMDb id (an import keeps it in the source,
    /// `"imdb:tt…"`) matches by that id only: "Sherlock (2010)" the series must not become the
    /// film of that name. Others match on normalised title and exact year, and only when one
    /// movie has them (a row the visitor declined to match among look-alikes stays unmatched).
    pub fn resolve(&self, id: &StableId) -> Option<usize> {
        match id {
            StableId::Movielens(m) => self.by_movielens_id(*m),
            StableId::Imdb(t) => parse_tconst(t).and_then(|n| self.by_imdb_id(n)),
            StableId::Unmatched {
                title,
                year,
                source,
            } => match source.strip_prefix("imdb:") {
                Some(tt) => parse_tconst(tt).and_then(|n| self.by_imdb_id(n)),
                None => self
                    .by_title_year
                    .get(&(match_key(&parse_title(title).display), *year))
                    .copied()
                    .flatten(),
            },
        }
    }

    /// The stable id a profile stores for catalogue entry `i`.
    pub fn stable_id(&self, i: usize) -> StableId {
        StableId::Movielens(self.movies[i].movie_id)
    }

    /// Search-as-you-type over titles and alternate titles; best matches first.
    pub fn search(&self, query: &str, limit: usize) -> Vec<usize> {
        self.search.search(&self.movies, query, limit)
    }

    /// Genre names, in bitmask order.
    pub fn genre_names(&self) -> &[String] {
        &self.header.genre_names
    }

    /// Bitmask of a genre by name (case-insensitive).
    pub fn genre_mask(&self, name: &str) -> Option<u32> {
        self.header
            .genre_names
            .iter()
            .position(|g| g.eq_ignore_ascii_case(name.trim()))
            .map(|i| 1u32 << i)
    }

    /// Genre names of one movie, joined by ", ".
    pub fn genre_label(&self, i: usize) -> String {
        let g = self.movies[i].genres;
        let names: Vec<&str> = self
            .header
            .genre_names
            .iter()
            .enumerate()
            .filter(|(b, _)| g & (1 << b) != 0)
            .map(|(_, n)| n.as_str())
            .collect();
        names.join(", ")
    }
}

impl Resolve for Model {
    fn resolve(&self, id: &StableId) -> Option<usize> {
        Model::resolve(self, id)
    }
}

/// A model half built: every film's row, ids and titles, before the search index, the int8
/// scorer, P(seen) and the implicit model. [`Model::from_bundle`] runs both halves; the app
/// runs them as two tasks, so that building the 62,709-film model never holds the page for
/// the whole time (each half is about half of it).
pub struct ModelBuild {
    b: Bundle,
    movies: Vec<Movie>,
    x: Array2<f32>,
    by_movielens: HashMap<u32, usize>,
    by_imdb: HashMap<u32, usize>,
    by_title_year: HashMap<(String, Option<u16>), Option<usize>>,
}

impl ModelBuild {
    /// The first half: the films (titles parsed, ids indexed) and their rows [β; x; 1].
    #[allow(clippy::needless_range_loop)] // i indexes a dozen columns at once
    pub fn new(b: Bundle) -> ModelBuild {
        let n = b.len();
        let k = b.header.k as usize;
        let spec = &b.header.features;
        let f = spec.len();
        let c = &b.catalogue;
        let mut movies = Vec::with_capacity(n);
        let mut x = Array2::<f32>::zeros((n, k + f + 1));
        let mut by_movielens = HashMap::with_capacity(n);
        let mut by_imdb = HashMap::with_capacity(n);
        let mut by_title_year = HashMap::with_capacity(n);
        let g = &b.header.factor_prior_mean;
        // Gᵀ, (F+1) × K, as `prior_rows` takes it (62,709 × 24 × 32 products, built at
        // opt-level 3 in moviematch-math).
        let mut g_t = vec![0f32; (f + 1) * k];
        for d in 0..k {
            for j in 0..=f {
                g_t[j * k + d] = g[d * (f + 1) + j];
            }
        }
        for i in 0..n {
            let parsed = parse_title(&c.title[i]);
            let year = (c.year[i] != 0).then_some(c.year[i]).or(parsed.year);
            let movie = Movie {
                movie_id: c.movie_id[i],
                imdb_id: (c.imdb_id[i] != 0).then_some(c.imdb_id[i]),
                title: parsed.display,
                alternates: parsed.alternates,
                year,
                genres: c.genres[i],
                ml_count: c.ml_count[i],
                imdb_rating: (c.imdb_rating_x10[i] != 0)
                    .then(|| c.imdb_rating_x10[i] as f32 / 10.0),
                imdb_votes: c.imdb_votes[i],
            };
            by_movielens.entry(movie.movie_id).or_insert(i);
            if let Some(id) = movie.imdb_id {
                by_imdb.entry(id).or_insert(i);
            }
            by_title_year
                .entry((match_key(&movie.title), movie.year))
                .and_modify(|only: &mut Option<usize>| *only = None)
                .or_insert(Some(i));
            let mut row = x.row_mut(i);
            let row = row.as_slice_mut().expect("standard layout");
            let raw = RawFeatures {
                imdb_rating: movie.imdb_rating,
                imdb_votes: movie.imdb_votes,
                year: movie.year,
                genres: movie.genres,
            };
            spec.compute(&raw, &mut row[k..k + f]);
            row[k + f] = 1.0;
            movies.push(movie);
        }
        // β = G·[x; 1] + residual (the residual is zero for movies without ratings).
        let stride = k + f + 1;
        prior_rows(
            x.as_slice_mut().expect("standard layout"),
            stride,
            k,
            f,
            &g_t,
        );
        let mut residual = vec![0f32; k];
        for (j, &i) in b.items.residual_rows.iter().enumerate() {
            dequantize_row(
                &b.items.residual_q[j * k..(j + 1) * k],
                b.items.residual_scale[j],
                &mut residual,
            );
            let mut row = x.row_mut(i as usize);
            for (beta, r) in row.iter_mut().zip(&residual) {
                *beta += r;
            }
        }
        ModelBuild {
            b,
            movies,
            x,
            by_movielens,
            by_imdb,
            by_title_year,
        }
    }

    /// The second half: the search index, the scorer, P(seen), the implicit model and the
    /// blend.
    pub fn finish(self) -> Model {
        let ModelBuild {
            b,
            movies,
            x,
            by_movielens,
            by_imdb,
            by_title_year,
        } = self;
        let k = b.header.k as usize;
        let f = b.header.features.len();
        let g = &b.header.factor_prior_mean;
        let mu = b.header.global_mean;
        let offset = Array1::from_iter(b.items.bias.iter().map(|bm| mu + bm));
        let bias_var = Array1::from_iter(b.items.bias_sd.iter().map(|s| s * s));
        let factor_var_scale = Array1::from_iter(b.items.factor_sd_scale.iter().map(|s| s * s));
        let tau2 = Array1::from_vec(b.header.factor_prior_var.clone());
        let search = SearchIndex::build(&movies);
        let scorer = Scorer::new(
            x.slice(s![.., k..k + f]),
            k,
            g,
            Residuals {
                items: &b.items.residual_rows,
                codes: &b.items.residual_q,
                scales: &b.items.residual_scale,
            },
        );
        let explore_shrink = movies
            .iter()
            .map(|m| ((1.0 + m.imdb_votes as f32).log10() / 5.0).min(1.0))
            .collect();
        let seen_logit: Array1<f32> = movies
            .iter()
            .map(|m| {
                let f = crate::features::seen_features(
                    m.ml_count,
                    b.header.n_users,
                    m.imdb_votes,
                    m.year,
                );
                f.iter().zip(&b.visitor.seen_coef).map(|(a, c)| a * c).sum()
            })
            .collect();
        let implicit = b
            .implicit
            .as_ref()
            .map(|p| ImplicitItems::new(p, x.slice(s![.., k..k + f])));
        let fallback = Blend::fallback(b.implicit.is_some());
        let blend = BlendTable::new(
            b.blend.as_ref().unwrap_or(&fallback),
            x.slice(s![.., k..k + f]),
        );
        Model {
            blend,
            implicit,
            visitor: b.visitor,
            header: b.header,
            movies,
            x,
            factor_var_scale,
            tau2,
            offset,
            bias_var,
            by_movielens,
            by_imdb,
            by_title_year,
            search,
            scorer,
            seen_logits: seen_logit,
            explore_shrink,
            most_seen: std::sync::OnceLock::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bundle::tests::tiny_bundle;

    #[test]
    fn resolves_every_kind_of_id() {
        let m = Model::from_bundle(tiny_bundle());
        assert_eq!(m.resolve(&StableId::Movielens(2571)), Some(0));
        assert_eq!(m.resolve(&StableId::Imdb("tt0133093".into())), Some(0));
        assert_eq!(
            m.resolve(&StableId::Unmatched {
                title: "the matrix".into(),
                year: Some(1999),
                source: "test".into()
            }),
            Some(0)
        );
        assert_eq!(m.resolve(&StableId::Imdb("nonsense".into())), None);
        assert_eq!(m.movie(0).tconst().as_deref(), Some("tt0133093"));
        assert_eq!(m.genre_label(1), "Drama, Romance");
        assert_eq!(m.design().row(0)[m.visitor_dim() - 1], 1.0);
    }

    /// The cached order is a full sort by P(seen) logit, ties by the lower index.
    #[test]
    fn most_seen_is_every_movie_by_seen_logit() {
        let m = Model::from_bundle(crate::fixture::random_bundle(4, 300, 3, 100));
        let order = m.most_seen();
        let mut expected: Vec<usize> = (0..m.len()).collect();
        expected.sort_by(|&a, &b| {
            let (pa, pb) = (m.seen_logit(a), m.seen_logit(b));
            pb.total_cmp(&pa).then(a.cmp(&b))
        });
        let got: Vec<usize> = order.iter().map(|&i| i as usize).collect();
        assert_eq!(got, expected);
        assert!(std::ptr::eq(order, m.most_seen()), "sorted once");
    }
}
