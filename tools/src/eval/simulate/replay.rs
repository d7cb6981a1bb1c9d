//! The elicitation simulator behind `tools simulate`: fold-in users (the same users, pools and
//! targets as `tools eval`'s fold-in protocol) answer the engine's questions from their pool,
//! and after 0, 1, 2, 3, 5, 10, 20 answers the engine's ranked list is scored on their targets.
//!
//! A question about a pool movie gets the user's rating; "A or B?" on two pool movies gets the
//! higher-rated one ("equally good" when equal). Variant `known` asks only about pool movies;
//! `skip` asks what the strategy would ask a real visitor, and a movie outside the pool is
//! answered "haven't seen", which still costs one answer (and teaches the P(seen) offset).
//! Everything the engine does here is what the browser does: [`Posterior::fit_answers`] (EP
//! over the whole log), [`SeenOffset::fit`], [`next_question`], [`recommend`].

use std::collections::{HashMap, HashSet};

use moviematch::elicit::{next_question, AskOptions, AskState, Question, Strategy};
use moviematch::posterior::{Comparison, Observation, Posterior, Preference};
use moviematch::rank::{recommend, RankOptions};
use moviematch::seen::{SeenOffset, SeenOutcome};
use moviematch::Model;
use rayon::prelude::*;
use serde::Serialize;

use crate::eval::metrics::{combine, score_user, UserScore};

/// The answer counts the curves are reported at.
pub const CHECKPOINTS: [usize; 7] = [0, 1, 2, 3, 5, 10, 20];

/// Whether questions may be about movies the user has not rated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Variant {
    Known,
    Skip,
}

/// A strategy as the report names it: the engine's question strategies plus two flat lines.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Policy {
    /// MovieLens popularity (training count), the same for everyone.
    Popularity,
    /// The posterior from the user's whole pool.
    FullProfile,
    Ask(Strategy),
}

impl Policy {
    pub fn all() -> Vec<Policy> {
        let mut v = vec![Policy::Popularity, Policy::FullProfile];
        v.extend(Strategy::ALL.map(Policy::Ask));
        v
    }

    pub fn name(self) -> &'static str {
        match self {
            Policy::Popularity => "popularity",
            Policy::FullProfile => "full-profile",
            Policy::Ask(s) => s.name(),
        }
    }
}

/// One simulated user, in catalogue rows.
pub struct SimUser {
    pub pool: HashMap<usize, f32>,
    pub targets: Vec<(usize, f32)>,
}

/// One curve of the report.
#[derive(Debug, Clone, Serialize)]
pub struct Curve {
    pub strategy: String,
    pub variant: Variant,
    pub answers: Vec<usize>,
    #[serde(rename = "ndcg@10")]
    pub ndcg_10: Vec<f64>,
    #[serde(rename = "recall@20")]
    pub recall_20: Vec<f64>,
}

/// The top-20 list scored on the targets (the pool is never ranked).
fn score_list(model: &Model, list: &[usize], u: &SimUser, exclude: &[usize]) -> UserScore {
    let mut scores = vec![f32::NEG_INFINITY; model.len()];
    for (j, &i) in list.iter().enumerate() {
        scores[i] = (list.len() - j) as f32;
    }
    score_user(&scores, &u.targets, exclude, false)
}

/// The posterior from the user's whole pool (the `full-profile` line).
pub fn full_posterior(model: &Model, u: &SimUser) -> Posterior {
    let mut obs: Vec<Observation> = u
        .pool
        .iter()
        .map(|(&item, &rating)| Observation { item, rating })
        .collect();
    // A fixed order, so the sums (and the list) do not depend on the hash map's.
    obs.sort_unstable_by_key(|o| o.item);
    Posterior::fit(model, &obs).expect("posterior is positive definite")
}

/// The engine's top 20 for `post`, over the catalogue minus the pool, scored on the targets.
pub fn score_posterior(
    model: &Model,
    post: &Posterior,
    u: &SimUser,
    rank: &RankOptions,
) -> UserScore {
    let mut pool: Vec<usize> = u.pool.keys().copied().collect();
    pool.sort_unstable();
    let exclude: HashSet<usize> = pool.iter().copied().collect();
    let top = RankOptions {
        top: 20,
        ..rank.clone()
    };
    let list: Vec<usize> = recommend(model, post, &exclude, &top)
        .iter()
        .map(|r| r.item)
        .collect();
    score_list(model, &list, u, &pool)
}

/// Scores per checkpoint for one user under one policy.
pub fn run_user(
    model: &Model,
    u: &SimUser,
    policy: Policy,
    variant: Variant,
    rank: &RankOptions,
    popularity_list: &[usize],
    seed: u64,
) -> Vec<UserScore> {
    let pool_rows: Vec<usize> = {
        let mut v: Vec<usize> = u.pool.keys().copied().collect();
        v.sort_unstable();
        v
    };
    let exclude: HashSet<usize> = pool_rows.iter().copied().collect();
    let ranked = |post: &Posterior| score_posterior(model, post, u, rank);
    match policy {
        Policy::Popularity => {
            let list: Vec<usize> = popularity_list
                .iter()
                .filter(|i| !exclude.contains(i))
                .take(20)
                .copied()
                .collect();
            vec![score_list(model, &list, u, &pool_rows); CHECKPOINTS.len()]
        }
        Policy::FullProfile => vec![ranked(&full_posterior(model, u)); CHECKPOINTS.len()],
        Policy::Ask(strategy) => {
            let mut obs: Vec<Observation> = Vec::new();
            let mut comps: Vec<Comparison> = Vec::new();
            let mut outcomes: Vec<SeenOutcome> = Vec::new();
            let mut asked: HashSet<usize> = HashSet::new();
            let mut pairs: HashSet<(usize, usize)> = HashSet::new();
            let mut post = Posterior::prior(model).expect("prior is positive definite");
            let mut seen = SeenOffset::prior(model);
            let mut out = Vec::with_capacity(CHECKPOINTS.len());
            let last = *CHECKPOINTS.last().unwrap();
            for answers in 0..=last {
                if CHECKPOINTS.contains(&answers) {
                    out.push(ranked(&post));
                }
                if answers == last {
                    break;
                }
                let allowed = (variant == Variant::Known).then_some(&pool_rows[..]);
                let st = AskState {
                    posterior: &post,
                    seen: &seen,
                    exclude: &asked,
                    asked_pairs: &pairs,
                    allowed,
                };
                let opts = AskOptions {
                    strategy,
                    rank: rank.clone(),
                    seed: seed ^ (answers as u64) << 32,
                    ..AskOptions::default()
                };
                let Some(choice) = next_question(model, &st, &opts) else {
                    // Nothing left to ask: the list stays as it is.
                    while out.len() < CHECKPOINTS.len() {
                        out.push(ranked(&post));
                    }
                    break;
                };
                match choice.question {
                    Question::Rate(q) => {
                        asked.insert(q);
                        match u.pool.get(&q) {
                            Some(&rating) => {
                                obs.push(Observation { item: q, rating });
                                outcomes.push(SeenOutcome {
                                    item: q,
                                    seen: true,
                                });
                            }
                            None => outcomes.push(SeenOutcome {
                                item: q,
                                seen: false,
                            }),
                        }
                    }
                    Question::Pair(a, b) => match (u.pool.get(&a), u.pool.get(&b)) {
                        (Some(&ra), Some(&rb)) => {
                            pairs.insert((a.min(b), a.max(b)));
                            let answer = if ra > rb {
                                Preference::A
                            } else if rb > ra {
                                Preference::B
                            } else {
                                Preference::Tie
                            };
                            comps.push(Comparison { a, b, answer });
                            outcomes.push(SeenOutcome {
                                item: a,
                                seen: true,
                            });
                            outcomes.push(SeenOutcome {
                                item: b,
                                seen: true,
                            });
                        }
                        (ra, rb) => {
                            for (i, r) in [(a, ra), (b, rb)] {
                                if r.is_none() {
                                    asked.insert(i);
                                    outcomes.push(SeenOutcome {
                                        item: i,
                                        seen: false,
                                    });
                                }
                            }
                        }
                    },
                }
                post = Posterior::fit_answers(model, &obs, &comps, &[])
                    .expect("posterior is positive definite");
                if variant == Variant::Skip {
                    seen = SeenOffset::fit(model, &outcomes);
                }
            }
            out
        }
    }
}

/// Every policy × variant over `users`, averaged per checkpoint.
pub fn simulate(
    model: &Model,
    users: &[SimUser],
    policies: &[Policy],
    rank: &RankOptions,
    popularity_list: &[usize],
    seed: u64,
    mut progress: impl FnMut(&str),
) -> Vec<Curve> {
    let mut curves = Vec::new();
    for variant in [Variant::Known, Variant::Skip] {
        for &policy in policies {
            progress(&format!("{} ({variant:?})", policy.name()));
            let per_user: Vec<Vec<UserScore>> = users
                .par_iter()
                .enumerate()
                .map(|(j, u)| {
                    run_user(
                        model,
                        u,
                        policy,
                        variant,
                        rank,
                        popularity_list,
                        seed ^ j as u64,
                    )
                })
                .collect();
            let (mut ndcg, mut recall) = (Vec::new(), Vec::new());
            for c in 0..CHECKPOINTS.len() {
                let at: Vec<UserScore> = per_user.iter().map(|s| s[c]).collect();
                let m = combine(policy.name(), &at, false);
                ndcg.push(m.ndcg_10.unwrap_or(0.0));
                recall.push(m.recall_20.unwrap_or(0.0));
            }
            curves.push(Curve {
                strategy: policy.name().to_string(),
                variant,
                answers: CHECKPOINTS.to_vec(),
                ndcg_10: ndcg,
                recall_20: recall,
            });
        }
    }
    curves
}
