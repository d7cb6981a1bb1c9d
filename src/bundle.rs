//! Bundle format v4: the one file that carries a trained model and its catalogue from `tools`
//! to the browser. **API boundary**: changing a field here changes the file format; bump
//! [`FORMAT_VERSION`] and keep decoding the versions before it. v3 added [`VisitorModel`] (the
//! per-visitor noise prior and the P(seen) model) at the end of the payload; a v2 file decodes
//! with [`VisitorModel::legacy`] in its place. v4 added [`ImplicitParams`] (who watches what)
//! and the ranking's [`Blend`] after it; a v3 file decodes without them (the list then ranks
//! on ratings alone, with the blend [`Blend::legacy`]). (v1, the ALS slice's format, was never published
//! and is not read: a v1 file gets `UnsupportedVersion`.)
//!
//! Layout (all integers little-endian):
//! ```text
//! magic "MMBUNDLE" (8) | format version u16 | crc32 of payload u32 | payload length u64 | payload
//! ```
//! The payload is `bincode` (standard config, 64 MiB limit) of [`Bundle`]. The framing sits outside
//! the payload so that a wrong version or a damaged file is recognised before bincode runs, and
//! the checksum means bincode only ever sees bytes the trainer wrote.

use serde::{Deserialize, Serialize};

use crate::scale::RatingScale;

pub mod gzip;
mod head;

/// First bytes of every bundle.
pub const MAGIC: [u8; 8] = *b"MMBUNDLE";
/// The version this build writes and reads.
pub const FORMAT_VERSION: u16 = 4;
/// The oldest version this build still reads.
pub const OLDEST_READABLE: u16 = 2;
const FRAME_LEN: usize = 8 + 2 + 4 + 8;
const PAYLOAD_LIMIT: usize = 64 << 20;

/// Why a byte string is not a usable bundle.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum BundleError {
    #[error("not a model bundle (the file does not start with MMBUNDLE)")]
    BadMagic,
    #[error(
        "bundle format version {found} is not supported (this build reads version {supported})"
    )]
    UnsupportedVersion { found: u16, supported: u16 },
    #[error("bundle is truncated: {expected} bytes expected, {found} present")]
    Truncated { expected: u64, found: u64 },
    #[error("bundle is corrupted: checksum mismatch")]
    ChecksumMismatch,
    #[error("bundle payload cannot be decoded: {0}")]
    Malformed(String),
    #[error("bundle is inconsistent: {0}")]
    Inconsistent(String),
}

/// Everything the trainer knows about how the model was made, and the visitor prior.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Header {
    /// Identifies the model (algorithm, K and a hash of the training data), shown in the UI.
    pub model_id: String,
    /// Number of latent factors.
    pub k: u32,
    /// The scale the model predicts on (MovieLens: 0.5–5 in half stars).
    pub scale: RatingScale,
    pub global_mean: f32,
    /// Rating noise standard deviation σ.
    pub sigma: f32,
    /// Visitor prior mean m₀ over z = (θ₁..θ_K, w₁..w_F, b_u): D = K+F+1 values.
    pub prior_mean: Vec<f32>,
    /// Visitor prior precision Λ₀, D², row-major.
    pub prior_precision: Vec<f32>,
    /// How item features x_m are computed (F features).
    pub features: crate::features::FeatureSpec,
    /// Content prior of the item factors, β_m ~ N(G·[x_m; 1], diag τ²): G is K × (F+1), row-major.
    pub factor_prior_mean: Vec<f32>,
    /// τ², K values.
    pub factor_prior_var: Vec<f32>,
    /// σ_b²: spread of item biases around their content prior (informational).
    pub bias_prior_var: f32,
    /// Name of the rating data the model was trained on, e.g. "ml-latest-small".
    pub dataset: String,
    pub n_ratings: u64,
    pub n_users: u32,
    pub n_rated_items: u32,
    pub training: TrainingParams,
    /// Creation time, unix seconds (from `--created` or SOURCE_DATE_EPOCH for reproducible builds).
    pub created_unix: i64,
    /// Genre names; [`Catalogue::genres`] holds bitmasks over this list.
    pub genre_names: Vec<String>,
}

/// How the model was fitted; shown by `tools inspect` so a bundle explains itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TrainingParams {
    pub algorithm: String,
    pub epochs: u32,
    pub reg_factors: f32,
    pub reg_bias: f32,
    pub seed: u64,
    pub holdout_fraction: f32,
    pub holdout_rmse: f32,
    pub holdout_rmse_bias_only: f32,
}

/// The catalogue, one entry per movie in each column (struct of arrays: compact and fast to decode).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Catalogue {
    /// MovieLens movieId (the primary stable id).
    pub movie_id: Vec<u32>,
    /// IMDb id as a number (tt0133093 → 133093); 0 when unknown.
    pub imdb_id: Vec<u32>,
    /// Title exactly as MovieLens writes it; parsed at load by [`crate::title`].
    pub title: Vec<String>,
    /// Release year; 0 when unknown.
    pub year: Vec<u16>,
    /// Bitmask over [`Header::genre_names`].
    pub genres: Vec<u32>,
    /// Number of ratings in the training data.
    pub ml_count: Vec<u32>,
    /// IMDb average rating × 10 (0–100); 0 when IMDb has no rating.
    pub imdb_rating_x10: Vec<u8>,
    pub imdb_votes: Vec<u32>,
}

/// Learned item parameters. β_m = G·[x_m; 1] + residual_m, where only movies with ratings
/// carry a residual (the rest of the catalogue is covered by the content prior alone).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ItemParams {
    /// Catalogue indices that have a residual, strictly increasing.
    pub residual_rows: Vec<u32>,
    /// Residuals quantized to int8, one K-row per entry of `residual_rows`; r = q · scale / 127.
    pub residual_q: Vec<i8>,
    /// Per-row dequantization scale (the row's max |r|).
    pub residual_scale: Vec<f32>,
    /// Item bias b_m (posterior mean; the content prior's mean for unrated movies), every movie.
    pub bias: Vec<f32>,
    /// Posterior standard deviation of b_m: large for rarely rated movies.
    pub bias_sd: Vec<f32>,
    /// s_m: the factors' posterior covariance is S_m = s_m² · diag(τ²) (1 for unrated movies).
    pub factor_sd_scale: Vec<f32>,
}

/// A whole bundle: what `tools train` writes and the app fetches.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Bundle {
    pub header: Header,
    pub catalogue: Catalogue,
    pub items: ItemParams,
    pub visitor: VisitorModel,
    /// The implicit "people like you watch" model (new in v4; `None` in a v3 file).
    pub implicit: Option<ImplicitParams>,
    /// How the ranking weighs what it knows (new in v4; `None`: [`Blend::legacy`]).
    pub blend: Option<Blend>,
}

/// The ranking score as a linear blend (new in v4): Σ_j (weight_j + per_log_answer_j ·
/// ln(1 + answers)) · term_j, each term a number the engine computes for a (visitor, film)
/// pair (see [`BLEND_TERMS`]). Linear in the visitor's two tastes, so the int8 passes bound it
/// and the top N stays exact. `tools train` fits it (a logistic stack on held-out users).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Blend {
    pub terms: Vec<BlendTerm>,
    /// How much the weight on logit P(seen) moves per unit of the popularity knob away from
    /// its default (the default gives the fitted weight).
    pub discovery_step: f32,
}

/// One term of a [`Blend`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BlendTerm {
    /// One of [`BLEND_TERMS`], or `x:<j>` for the film's j-th item feature; either may be
    /// prefixed by [`LATE_PREFIX`], a slope that only starts past [`LATE_KNOT`] answers.
    pub name: String,
    pub weight: f32,
    /// Added to the weight per unit of ln(1 + the visitor's answers) (0 in a `late:` term).
    pub per_log_answer: f32,
}

/// A term named `late:<term>` adds `weight · (ln(1 + answers) − ln(1 + LATE_KNOT))₊` to the
/// weight of `<term>`: a second slope for visitors with many answers (an imported export),
/// so that the blend's first [`LATE_KNOT`] answers (what a new visitor gives) and hundreds of
/// ratings are fitted each on their own, continuously.
pub const LATE_PREFIX: &str = "late:";
/// Where the late slope starts, in answers.
pub const LATE_KNOT: usize = 30;

/// The terms a blend may name besides item features `x:<j>`: the explicit predicted rating
/// E[r], the implicit score uᵀh, logit P(seen) and the film's epistemic sd (both before the
/// visitor's knobs).
pub const BLEND_TERMS: [&str; 4] = ["mean", "implicit", "seen", "sd_item"];

impl Blend {
    /// The ranking before v4: E[r] − caution · sd_item + popularity · logit P(seen) at the
    /// default knobs (popularity 2, caution 1), each knob step one unit of weight.
    pub fn legacy() -> Blend {
        let term = |name: &str, weight: f32| BlendTerm {
            name: name.into(),
            weight,
            per_log_answer: 0.0,
        };
        Blend {
            terms: vec![term("mean", 1.0), term("seen", 2.0), term("sd_item", -1.0)],
            discovery_step: 1.0,
        }
    }

    /// The blend of a bundle that carries none: [`Blend::legacy`], plus the implicit score at
    /// weight 2 when the bundle has an implicit model (a v4 file written without a fitted
    /// blend, as the engine's fixtures are).
    pub fn fallback(has_implicit: bool) -> Blend {
        let mut b = Blend::legacy();
        if has_implicit {
            b.terms.push(BlendTerm {
                name: "implicit".into(),
                weight: 2.0,
                per_log_answer: 0.0,
            });
        }
        b
    }

    /// The feature column a term reads, if it is `x:<j>`.
    pub fn feature_column(name: &str) -> Option<usize> {
        name.strip_prefix("x:")?.parse().ok()
    }

    /// A term's name without its [`LATE_PREFIX`], and whether it had one.
    pub fn late_base(name: &str) -> (&str, bool) {
        match name.strip_prefix(LATE_PREFIX) {
            Some(base) => (base, true),
            None => (name, false),
        }
    }

    /// ln(1 + answers), and how far it is past the late knot (0 up to [`LATE_KNOT`]): the
    /// two slopes' multipliers.
    pub fn answer_bases(answers: usize) -> (f32, f32) {
        let l = (1.0 + answers as f32).ln();
        (l, (l - (1.0 + LATE_KNOT as f32).ln()).max(0.0))
    }
}

/// The implicit model (new in v4): weighted matrix factorisation of *who rated what* (iALS,
/// Hu et al. 2008 with Rendle et al. 2022's regularisation), fitted by `tools train`. A
/// visitor's taste u minimises
///
/// ```text
/// Σ_obs c_i (uᵀh_i − y_i)² + α₀ Σ_all (uᵀh_i)² + λ (n_obs + α₀ n_items)^ν |u|²
/// ```
///
/// over the films they watched (y = 1) or said they had not seen (y = 0); Σ_all runs over the
/// training films, so it is the stored Gramian. Item factors follow the explicit model's layout:
/// h_m = A·[x_m; 1] + ρ_m, with ρ_m stored (int8) only for films that had ratings, so a film
/// nobody rated is placed by its content features alone, with `content_var` as its uncertainty.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ImplicitParams {
    /// Number of factors.
    pub k: u32,
    /// α₀: the weight of every film the visitor did not watch.
    pub unobserved_weight: f32,
    /// λ of the frequency-scaled regulariser.
    pub reg: f32,
    /// ν of the frequency-scaled regulariser (0: a plain λ).
    pub reg_exponent: f32,
    /// Films the Gramian sums over (those with training ratings).
    pub n_items: u32,
    /// G = Σ_all h_i h_iᵀ over the training films, K², row-major.
    pub gramian: Vec<f32>,
    /// A: K × (F+1), row-major: the content regression of the factors on [x_m; 1].
    pub content: Vec<f32>,
    /// Per-factor variance of ρ around the content regression (the uncertainty of a film
    /// placed by its features alone).
    pub content_var: Vec<f32>,
    /// Catalogue indices that have a residual, strictly increasing.
    pub residual_rows: Vec<u32>,
    /// ρ quantized to int8, one K-row per entry of `residual_rows` (see [`quantize_row`]).
    pub residual_q: Vec<i8>,
    pub residual_scale: Vec<f32>,
}

/// What the engine knows about visitors beyond the Gaussian prior on z (new in v3).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VisitorModel {
    /// Prior of the visitor's own noise variance (see [`crate::noise`]).
    pub noise: crate::noise::NoisePrior,
    /// P(seen) logistic over [`crate::features::seen_features`], fitted on the training users.
    pub seen_coef: Vec<f32>,
    /// Prior sd of the visitor's offset on the P(seen) logit, learned from "haven't seen".
    pub seen_offset_sd: f32,
}

impl VisitorModel {
    /// For a v2 bundle: a fixed σ and a P(seen) that follows the movie's vote counts.
    pub fn legacy(header: &Header) -> VisitorModel {
        VisitorModel {
            noise: crate::noise::NoisePrior::fixed(header.sigma * header.sigma),
            seen_coef: crate::features::LEGACY_COEF.to_vec(),
            seen_offset_sd: 1.5,
        }
    }
}

fn config() -> impl bincode::config::Config {
    bincode::config::standard().with_limit::<PAYLOAD_LIMIT>()
}

impl Bundle {
    /// Serialises the bundle with its framing and checksum.
    pub fn encode(&self) -> Vec<u8> {
        let payload = bincode::serde::encode_to_vec(self, config())
            .expect("bundle payload exceeds the 64 MiB format limit");
        let mut out = Vec::with_capacity(FRAME_LEN + payload.len());
        out.extend_from_slice(&MAGIC);
        out.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
        out.extend_from_slice(&crate::deflate::crc32(&payload).to_le_bytes());
        out.extend_from_slice(&(payload.len() as u64).to_le_bytes());
        out.extend_from_slice(&payload);
        out
    }

    /// CRC-32 of the payload: equal bundles have equal checksums (used to prove reproducible builds).
    pub fn payload_checksum(bytes: &[u8]) -> Option<u32> {
        (bytes.len() >= FRAME_LEN).then(|| u32::from_le_bytes(bytes[10..14].try_into().unwrap()))
    }

    /// Decodes and validates a bundle, gzip-compressed or not (the site ships it gzipped: most
    /// static hosts send files as they are, and a gzipped bundle is half the bytes). Any damage
    /// gives a [`BundleError`], never a panic.
    pub fn decode(bytes: &[u8]) -> Result<Bundle, BundleError> {
        match Bundle::inflate(bytes)? {
            Some(inflated) => Bundle::decode_framed(&inflated),
            None => Bundle::decode_framed(bytes),
        }
    }

    /// The first step of [`Bundle::decode`] on its own: the bundle inflated if it is gzipped
    /// (`None`: it is not), so that a caller can decode in a later task (the app does, so
    /// that no single task holds the page for the whole load).
    pub fn inflate(bytes: &[u8]) -> Result<Option<Vec<u8>>, BundleError> {
        gzip::inflate_if_gzip(bytes, FRAME_LEN + PAYLOAD_LIMIT)
    }

    /// [`Bundle::decode`] of an uncompressed bundle: the page's path (the browser inflates the
    /// gzip, so its wasm carries no inflater).
    pub fn decode_uncompressed(bytes: &[u8]) -> Result<Bundle, BundleError> {
        Bundle::decode_framed(bytes)
    }

    /// [`Bundle::decode`] of an uncompressed bundle.
    fn decode_framed(bytes: &[u8]) -> Result<Bundle, BundleError> {
        if bytes.len() < MAGIC.len() || bytes[..MAGIC.len()] != MAGIC {
            return Err(BundleError::BadMagic);
        }
        if bytes.len() < FRAME_LEN {
            return Err(BundleError::Truncated {
                expected: FRAME_LEN as u64,
                found: bytes.len() as u64,
            });
        }
        let version = u16::from_le_bytes([bytes[8], bytes[9]]);
        if version == 0 || version > 255 {
            // No release will get near this: the field itself is damaged.
            return Err(BundleError::Malformed(format!(
                "the version field is damaged ({version})"
            )));
        }
        if !(OLDEST_READABLE..=FORMAT_VERSION).contains(&version) {
            return Err(BundleError::UnsupportedVersion {
                found: version,
                supported: FORMAT_VERSION,
            });
        }
        let crc = u32::from_le_bytes(bytes[10..14].try_into().unwrap());
        let len = u64::from_le_bytes(bytes[14..22].try_into().unwrap());
        let payload = &bytes[FRAME_LEN..];
        if (payload.len() as u64) < len {
            return Err(BundleError::Truncated {
                expected: FRAME_LEN as u64 + len,
                found: bytes.len() as u64,
            });
        }
        if (payload.len() as u64) > len {
            return Err(BundleError::Inconsistent(format!(
                "{} bytes of trailing data after the payload",
                payload.len() as u64 - len
            )));
        }
        if crate::deflate::crc32(payload) != crc {
            return Err(BundleError::ChecksumMismatch);
        }
        let malformed = |e: bincode::error::DecodeError| BundleError::Malformed(e.to_string());
        let (bundle, used): (Bundle, usize) = if version == 2 {
            let ((header, catalogue, items), used): ((Header, Catalogue, ItemParams), usize) =
                bincode::serde::decode_from_slice(payload, config()).map_err(malformed)?;
            let visitor = VisitorModel::legacy(&header);
            (
                Bundle {
                    header,
                    catalogue,
                    items,
                    visitor,
                    implicit: None,
                    blend: None,
                },
                used,
            )
        } else if version == 3 {
            type V3 = (Header, Catalogue, ItemParams, VisitorModel);
            let ((header, catalogue, items, visitor), used): (V3, usize) =
                bincode::serde::decode_from_slice(payload, config()).map_err(malformed)?;
            (
                Bundle {
                    header,
                    catalogue,
                    items,
                    visitor,
                    implicit: None,
                    blend: None,
                },
                used,
            )
        } else {
            bincode::serde::decode_from_slice(payload, config()).map_err(malformed)?
        };
        if used != payload.len() {
            return Err(BundleError::Malformed("payload has unread bytes".into()));
        }
        bundle.validate()?;
        Ok(bundle)
    }

    /// Number of movies in the catalogue.
    pub fn len(&self) -> usize {
        self.catalogue.movie_id.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Checks every invariant the engine relies on, so later code can index without checks.
    pub fn validate(&self) -> Result<(), BundleError> {
        let bad = |m: String| Err(BundleError::Inconsistent(m));
        let h = &self.header;
        let n = self.len();
        let k = h.k as usize;
        if k == 0 || k > 512 {
            return bad(format!("K = {k} is outside 1..=512"));
        }
        if h.genre_names.len() > 32 {
            return bad("more than 32 genres".into());
        }
        let f = h.features.len();
        if f != crate::features::BASE_FEATURES + h.genre_names.len() || h.features.sd.len() != f {
            return bad(format!(
                "{f} item features for {} genres",
                h.genre_names.len()
            ));
        }
        let d = k + f + 1;
        if h.prior_mean.len() != d || h.prior_precision.len() != d * d {
            return bad(format!(
                "visitor prior does not have K+F+1 = {d} dimensions"
            ));
        }
        if h.factor_prior_mean.len() != k * (f + 1) || h.factor_prior_var.len() != k {
            return bad("content prior G or τ² has the wrong shape".into());
        }
        if !(h.sigma.is_finite() && h.sigma > 0.0 && h.global_mean.is_finite()) {
            return bad("σ or the global mean is not a positive finite number".into());
        }
        if !h.scale.is_valid() {
            return bad("rating scale is invalid".into());
        }
        let c = &self.catalogue;
        let it = &self.items;
        let cols = [
            ("imdb_id", c.imdb_id.len()),
            ("title", c.title.len()),
            ("year", c.year.len()),
            ("genres", c.genres.len()),
            ("ml_count", c.ml_count.len()),
            ("imdb_rating_x10", c.imdb_rating_x10.len()),
            ("imdb_votes", c.imdb_votes.len()),
            ("bias", it.bias.len()),
            ("bias_sd", it.bias_sd.len()),
            ("factor_sd_scale", it.factor_sd_scale.len()),
        ];
        for (name, len) in cols {
            if len != n {
                return bad(format!("column {name} has {len} entries for {n} movies"));
            }
        }
        check_residuals(&it.residual_rows, &it.residual_q, &it.residual_scale, k, n)
            .map_err(BundleError::Inconsistent)?;
        let finite = |v: &[f32]| v.iter().all(|x| x.is_finite());
        let non_negative = |v: &[f32]| v.iter().all(|x| x.is_finite() && *x >= 0.0);
        if !finite(&it.residual_scale)
            || !finite(&it.bias)
            || !non_negative(&it.bias_sd)
            || !non_negative(&it.factor_sd_scale)
            || !finite(&h.prior_mean)
            || !finite(&h.prior_precision)
            || !finite(&h.features.mean)
            || !h.features.sd.iter().all(|x| x.is_finite() && *x > 0.0)
            || !finite(&h.factor_prior_mean)
            || !non_negative(&h.factor_prior_var)
            || !(h.features.imdb_prior_votes > 0.0 && h.features.imdb_prior_mean.is_finite())
        {
            return bad("non-finite or negative numbers in the model".into());
        }
        let v = &self.visitor;
        if !v.noise.is_valid() {
            return bad("the visitor noise prior is not a proper inverse gamma".into());
        }
        if v.seen_coef.len() != crate::features::SEEN_FEATURES
            || !finite(&v.seen_coef)
            || !(v.seen_offset_sd.is_finite() && v.seen_offset_sd >= 0.0)
        {
            return bad("the P(seen) model has the wrong shape".into());
        }
        if let Some(imp) = &self.implicit {
            imp.validate(n, f)?;
        }
        if let Some(blend) = &self.blend {
            for t in &blend.terms {
                let (base, late) = Blend::late_base(&t.name);
                let known = BLEND_TERMS.contains(&base)
                    || Blend::feature_column(base).is_some_and(|j| j < f);
                if !known || (base == "implicit" && self.implicit.is_none()) {
                    return bad(format!("the blend names an unknown term “{}”", t.name));
                }
                if late && t.per_log_answer != 0.0 {
                    return bad(format!("the late term “{}” has a slope of its own", t.name));
                }
                if !(t.weight.is_finite() && t.per_log_answer.is_finite()) {
                    return bad(format!("the blend's weight on “{}” is not finite", t.name));
                }
            }
            if !blend.discovery_step.is_finite() {
                return bad("the blend's discovery step is not finite".into());
            }
        }
        Ok(())
    }
}

impl ImplicitParams {
    /// Checks the shapes and numbers the engine relies on, for a catalogue of `n` films with
    /// `f` features.
    fn validate(&self, n: usize, f: usize) -> Result<(), BundleError> {
        let bad = |m: String| Err(BundleError::Inconsistent(format!("implicit model: {m}")));
        let k = self.k as usize;
        if k == 0 || k > 512 {
            return bad(format!("K = {k} is outside 1..=512"));
        }
        if self.gramian.len() != k * k
            || self.content.len() != k * (f + 1)
            || self.content_var.len() != k
        {
            return bad("Gramian, content regression or its variance has the wrong shape".into());
        }
        if let Err(m) = check_residuals(
            &self.residual_rows,
            &self.residual_q,
            &self.residual_scale,
            k,
            n,
        ) {
            return bad(m);
        }
        let finite = |v: &[f32]| v.iter().all(|x| x.is_finite());
        let non_negative = |v: &[f32]| v.iter().all(|x| x.is_finite() && *x >= 0.0);
        let positive = |x: f32| x.is_finite() && x > 0.0;
        if !finite(&self.gramian)
            || !finite(&self.content)
            || !non_negative(&self.content_var)
            || !non_negative(&self.residual_scale)
            || !positive(self.unobserved_weight)
            || !positive(self.reg)
            || !(self.reg_exponent.is_finite() && (0.0..=2.0).contains(&self.reg_exponent))
        {
            return bad("non-finite, negative or out-of-range numbers".into());
        }
        Ok(())
    }
}

/// The shape rules of int8 residual rows (the explicit factors' and the implicit model's):
/// one scale and K codes per row, rows strictly increasing catalogue indices below `n`.
fn check_residuals(
    rows: &[u32],
    q: &[i8],
    scale: &[f32],
    k: usize,
    n: usize,
) -> Result<(), String> {
    if scale.len() != rows.len() || q.len() != rows.len() * k {
        return Err(format!(
            "{} residual rows but {} scales and {} values",
            rows.len(),
            scale.len(),
            q.len()
        ));
    }
    if !rows.windows(2).all(|w| w[0] < w[1]) || rows.last().is_some_and(|&r| r as usize >= n) {
        return Err("residual rows are not increasing catalogue indices".into());
    }
    Ok(())
}

/// Quantizes one factor row to int8 with its own scale (max |β|), the rule the bundle uses.
pub fn quantize_row(row: &[f32]) -> (Vec<i8>, f32) {
    let scale = row.iter().fold(0f32, |m, x| m.max(x.abs()));
    if scale == 0.0 {
        return (vec![0; row.len()], 0.0);
    }
    let q = row
        .iter()
        .map(|x| (x / scale * 127.0).round().clamp(-127.0, 127.0) as i8)
        .collect();
    (q, scale)
}

/// Inverse of [`quantize_row`]; the error per entry is at most scale / 254.
pub fn dequantize_row(q: &[i8], scale: f32, out: &mut [f32]) {
    for (o, &v) in out.iter_mut().zip(q) {
        *o = v as f32 * scale / 127.0;
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A small valid bundle for tests across the engine: real title forms, a duplicate title
    /// ("Emma" twice, the better-known first) and a movie without an IMDb id.
    pub(crate) fn tiny_bundle() -> Bundle {
        use crate::fixture::{bundle, FixtureMovie};
        let m = |movie_id,
                 imdb_id,
                 title,
                 year,
                 genres,
                 ml_count,
                 imdb_rating_x10,
                 imdb_votes,
                 i: usize,
                 bias,
                 bias_sd| {
            FixtureMovie {
                movie_id,
                imdb_id,
                title,
                year,
                genres,
                ml_count,
                imdb_rating_x10,
                imdb_votes,
                factors: vec![0.5 - 0.2 * i as f32, 0.1 * i as f32],
                bias,
                bias_sd,
            }
        };
        bundle(
            &["Action", "Drama", "Romance"],
            &[
                m(
                    2571,
                    133093,
                    "Matrix, The (1999)",
                    1999,
                    0b001,
                    278,
                    87,
                    1_500_000,
                    0,
                    0.6,
                    0.05,
                ),
                m(
                    4973,
                    211915,
                    "Amelie (Fabuleux destin d'Amélie Poulain, Le) (2001)",
                    2001,
                    0b110,
                    120,
                    83,
                    600_000,
                    1,
                    0.4,
                    0.08,
                ),
                m(
                    6,
                    113277,
                    "Heat (1995)",
                    1995,
                    0b011,
                    102,
                    83,
                    500_000,
                    2,
                    0.3,
                    0.09,
                ),
                m(
                    1000,
                    116191,
                    "Emma (1996)",
                    1996,
                    0b110,
                    10,
                    67,
                    30_000,
                    3,
                    -0.1,
                    0.2,
                ),
                m(1001, 0, "Emma (1996)", 1996, 0b100, 1, 0, 0, 4, 0.0, 0.5),
            ],
        )
    }

    #[test]
    fn round_trips() {
        let b = tiny_bundle();
        let bytes = b.encode();
        assert_eq!(Bundle::decode(&bytes).unwrap(), b);
        let mut with = b.clone();
        crate::fixture::with_implicit(&mut with, 3, 1);
        assert!(with.implicit.as_ref().unwrap().n_items > 0);
        assert_eq!(Bundle::decode(&with.encode()).unwrap(), with);
    }

    /// Frames `payload` as a bundle file of `version`.
    fn framed(version: u16, payload: &[u8]) -> Vec<u8> {
        let mut bytes = MAGIC.to_vec();
        bytes.extend_from_slice(&version.to_le_bytes());
        bytes.extend_from_slice(&crate::deflate::crc32(payload).to_le_bytes());
        bytes.extend_from_slice(&(payload.len() as u64).to_le_bytes());
        bytes.extend_from_slice(payload);
        bytes
    }

    /// A v3 file (the payload without [`ImplicitParams`]) still decodes, without an implicit
    /// model; a v4 file whose implicit part is damaged in shape is refused.
    #[test]
    fn reads_version_3_and_checks_the_implicit_model() {
        let b = tiny_bundle();
        let payload = bincode::serde::encode_to_vec(
            (&b.header, &b.catalogue, &b.items, &b.visitor),
            config(),
        )
        .unwrap();
        let got = Bundle::decode(&framed(3, &payload)).unwrap();
        assert_eq!(got, b);
        assert!(got.implicit.is_none());
        let mut bad = b.clone();
        crate::fixture::with_implicit(&mut bad, 3, 1);
        bad.implicit.as_mut().unwrap().gramian.pop();
        assert!(matches!(
            Bundle::decode(&bad.encode()),
            Err(BundleError::Inconsistent(m)) if m.contains("implicit")
        ));
        let mut bad = b.clone();
        crate::fixture::with_implicit(&mut bad, 3, 1);
        bad.implicit.as_mut().unwrap().residual_rows.reverse();
        assert!(Bundle::decode(&bad.encode()).is_err());
    }

    /// A blend may name the known terms, item features and their late slopes; anything else,
    /// or a late term with a slope of its own, is refused by name.
    #[test]
    fn the_blend_names_only_known_terms() {
        let with = |name: &str, per_log_answer: f32| {
            let mut b = tiny_bundle();
            let mut blend = Blend::legacy();
            blend.terms.push(BlendTerm {
                name: name.into(),
                weight: 0.5,
                per_log_answer,
            });
            b.blend = Some(blend);
            Bundle::decode(&b.encode())
        };
        for ok in ["x:0", "late:mean", "late:x:0", "late:seen"] {
            assert!(with(ok, 0.0).is_ok(), "{ok}");
        }
        for bad in ["rating", "late:", "late:late:mean", "x:99", "late:implicit"] {
            assert!(
                matches!(with(bad, 0.0), Err(BundleError::Inconsistent(m)) if m.contains("unknown term")),
                "{bad}"
            );
        }
        assert!(matches!(
            with("late:mean", 0.1),
            Err(BundleError::Inconsistent(m)) if m.contains("slope")
        ));
    }

    #[test]
    fn every_truncation_is_an_error() {
        let bytes = tiny_bundle().encode();
        for cut in 0..bytes.len() {
            let err = Bundle::decode(&bytes[..cut]).unwrap_err();
            assert!(
                matches!(err, BundleError::Truncated { .. } | BundleError::BadMagic),
                "cut at {cut}: {err:?}"
            );
        }
    }

    #[test]
    fn every_flipped_payload_byte_is_detected() {
        let bytes = tiny_bundle().encode();
        for i in 0..bytes.len() {
            let mut bad = bytes.clone();
            bad[i] ^= 0x5a;
            assert!(
                Bundle::decode(&bad).is_err(),
                "flip at byte {i} went unnoticed"
            );
        }
    }

    /// A v2 file (the same payload without [`VisitorModel`]) still decodes, with the legacy
    /// visitor model in its place.
    #[test]
    fn reads_version_2() {
        let b = tiny_bundle();
        let payload =
            bincode::serde::encode_to_vec((&b.header, &b.catalogue, &b.items), config()).unwrap();
        let got = Bundle::decode(&framed(2, &payload)).unwrap();
        assert_eq!(got.visitor, VisitorModel::legacy(&b.header));
        assert_eq!(
            (got.header, got.catalogue, got.items),
            (b.header, b.catalogue, b.items)
        );
    }

    #[test]
    fn wrong_version_and_magic() {
        let mut bytes = tiny_bundle().encode();
        bytes[8] = 9;
        assert_eq!(
            Bundle::decode(&bytes),
            Err(BundleError::UnsupportedVersion {
                found: 9,
                supported: FORMAT_VERSION
            })
        );
        assert_eq!(
            Bundle::decode(b"PK\x03\x04 a zip file"),
            Err(BundleError::BadMagic)
        );
    }

    #[test]
    fn inconsistent_columns_rejected_even_with_valid_checksum() {
        let mut b = tiny_bundle();
        b.catalogue.year.pop();
        assert!(matches!(
            Bundle::decode(&b.encode()),
            Err(BundleError::Inconsistent(_))
        ));
    }

    #[test]
    fn quantization_error_is_bounded() {
        let row = [0.9f32, -0.31, 0.0042, -0.9, 0.5];
        let (q, s) = quantize_row(&row);
        let mut back = [0f32; 5];
        dequantize_row(&q, s, &mut back);
        for (a, b) in row.iter().zip(back) {
            assert!((a - b).abs() <= s / 254.0 + 1e-7, "{a} vs {b}");
        }
    }
}
