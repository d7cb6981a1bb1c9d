//! The two coordinate-ascent half-steps, q(z_u) for every user and q(y_m) for every movie,
//! written for ml-25m's 25M ratings, where the memory read per rating is what bounds them.
//!
//! Per user (D = K+F+1): the rows x̃ = [μ_β; x; 1] of the user's movies are gathered into a
//! contiguous n × D block; Σ x̃x̃ᵀ and Σ x̃t are accumulated four rows at a time
//! (`dense::syrk4`), and the movies' packed covariances are summed with a plain column sum
//! (f32 → f64), instead of per-rating rank-1 updates into the precision. One Cholesky, solve and
//! inverse (`irt/dense.rs`) give q(z_u). Then, while Cov(θ_u, [w_u; b_u]) is still in cache, the user
//! adds Cov(θ_u, [w_u; b_u]) [x_m; 1] (K numbers) to each rated movie's cross term: the movie
//! step needs exactly Σ_u of these, and reading the K × (F+1) block per rating there would cost
//! 3.2 KB of random memory traffic per rating (K = 32, F = 24) instead of 256 bytes here.
//!
//! Per movie: the same gather for ũ = [μ_θ; 1], and the raters' θθ covariance blocks (the first
//! run of each `user_cov` row, see
//! [`crate::train::irt::UserCovLayout`]) are summed; with the cross term from the
//! user step that is all the movie's precision and shift need.
//!
//! The arithmetic is the straightforward per-rating formulation's up to reassociation (the test
//! `update_matches_the_reference` holds them to 1e-9; they agree to ~1e-15), with no fused
//! multiply-adds, and deterministic: every user or movie is computed by one thread in a fixed
//! order; the cross term is accumulated per fixed range of users (`user_ranges`, a function of
//! the data only) and the ranges are summed in order; per-entity figures are summed in index
//! order. The AVX2 and portable copies of the solves give the same bits.
//!
//! - [`scratch`]: ratings grouped per user or movie, per-thread buffers and the shared solve.
//! - [`users`]: q(z_u) for every user (and the cross term the movies need).
//! - [`items`]: q(y_m) for every movie.

pub(in crate::train::irt) mod items;
pub(in crate::train::irt) mod scratch;
pub(in crate::train::irt) mod users;
