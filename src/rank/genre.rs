//! Genre distance: "stay close to my usual genres ↔ surprise me", a greedy re-ranking of a
//! scored pool (as MMR diversity is one, and together with it).
//!
//! The visitor's usual genres are a mix p over the bundle's genres, made from the films they
//! liked ([`RankOptions::liked_films`](super::RankOptions::liked_films)): each film's weight
//! split equally among its genres, summed, scaled to sum 1. A list's genre mix is made the same
//! way from its films (weight 1 each), and its distance from the visitor's is the total
//! variation ½ Σ_g |list_g − p_g|. A list of k films counts Σ_g |M_g − k·p_g| / 2 films "out of
//! place" (M_g: the list's films in genre g, split as above).
//!
//! With the knob κ ∈ [−1, 1], the list is picked (`super::mmr::rerank`, MMR's greedy) from the pool (the exact top [`POOL`]·n by
//! score, best first) one film at a time, each the film j maximising
//!
//! value_j = score_j + κ · c · T_j − diversity · max(0, max cos(β_j, β_picked)),
//!
//! T_j = ½ Σ_g |M_g + q_jg − (k+1)·p_g|: how far the list with j would be from the visitor's
//! mix, in films (q_j: j's genres split, k: films picked so far); the diversity term is MMR's
//! ([`super::diversify_mmr`]). c = [`SCALE`] · (the pool's best score − its worst), so the knob
//! moves lists alike whatever the blend's scale: at each step T differs between two films by at
//! most 1, so κ = ±1 can move a film by half the pool's score range. κ < 0 (stay close) prefers
//! the films that fill the genres the list lacks, κ > 0 (surprise me) the others. A film whose
//! genres the visitor never liked has the largest T of all at every step (each of its genres
//! adds its whole share to the distance), so staying close never lifts it over a film scored
//! above it (without diversity). A film without genres adds no genre share: its T is halfway
//! between a film filling a genre the list lacks and one adding to a genre it has enough of.
//! Ties go to the better-scored film. The listed films keep their scores.

use crate::model::Model;

/// The pool re-ranked, as a multiple of the list's length (as MMR's).
pub const POOL: usize = 3;

/// c as a fraction of the pool's score range (see the module doc). Measured on 40 real people
/// (`tools eval --people DIR --genre-curve`): at −1 the total variation between the genres of
/// the top 20 and of the films each person liked falls from 0.27 to 0.16, recall@100 from
/// 0.368 to 0.358; at +1 it rises to 0.41, recall@100 0.324.
pub const SCALE: f32 = 0.5;

/// A genre mix: the share of each genre bit, summing to 1.
#[derive(Debug, Clone, PartialEq)]
pub struct GenreMix {
    pub(super) share: [f32; 32],
}

/// The genre bits of `genres` each with 1/(their number): one film's weight split.
pub(super) fn split(genres: u32) -> [f32; 32] {
    let mut out = [0f32; 32];
    if genres != 0 {
        let share = 1.0 / genres.count_ones() as f32;
        for (g, o) in out.iter_mut().enumerate() {
            if genres & (1 << g) != 0 {
                *o = share;
            }
        }
    }
    out
}

impl GenreMix {
    /// The mix of `films` (catalogue film, weight > 0; other weights and films without genres
    /// count nothing), each film's weight split equally among its genres; `None` when no
    /// genre got any weight.
    pub fn of(model: &Model, films: &[(usize, f32)]) -> Option<GenreMix> {
        let mut share = [0f32; 32];
        for &(item, w) in films {
            if w > 0.0 && w.is_finite() {
                for (s, q) in share.iter_mut().zip(split(model.movie(item).genres)) {
                    *s += w * q;
                }
            }
        }
        let total: f32 = share.iter().sum();
        if !(total > 0.0 && total.is_finite()) {
            return None;
        }
        for s in &mut share {
            *s /= total;
        }
        Some(GenreMix { share })
    }

    /// p_g of genre bit `g` (0 past the bundle's genres).
    pub fn share(&self, g: usize) -> f32 {
        self.share.get(g).copied().unwrap_or(0.0)
    }
}
