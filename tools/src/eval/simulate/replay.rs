//! The elicitation simulator behind `tools simulate`: fold-in users (the same users, pools and
//! targets as `tools eval`'s fold-in protocol) answer the engine's questions from their pool,
//! and after 0, 1, 2, 3, 5, 10, 20 answers the engine's ranked list is scored on their targets.
//!
//! A question about a pool movie gets the user's rating; "A or B?" on two pool movies gets the
//! higher-rated one ("equally good" when equal). Variant `known` asks only about pool movies;
//! `skip` asks what the strategy would ask a real visitor, and a movie outside the pool is
//! answered "haven't seen", which still costs one answer (and teaches the P(seen) offset).
//!
//! Every answer goes into the user's [`Profile`] exactly as the app stores it (a rating under
//! the movie's stable id, a comparison, "haven't seen"), and after each one the engine's
//! [`Visitor`] is made from the whole profile, as the browser does after every answer: the
//! posterior (EP over the whole log), the P(seen) offset, what questions must not ask again,
//! the next question ([`Visitor::next_question_with`]) and the list ([`Visitor::recommend`])
//! all come from it. The only things the simulator adds are the protocol's: the `known`
//! variant's restriction to the pool, a seed per user and answer for `random-pairs`, and the
//! pool's movies left out of the scored list (they are neither relevant nor irrelevant).

use std::collections::{HashMap, HashSet};

use moviematch::elicit::{Question, Strategy};
use moviematch::profile::{Action, CompareAnswer, Settings};
use moviematch::session::QuestionOptions;
use moviematch::{ListRequest, Model, Profile, Scale, Visitor};
use rayon::prelude::*;
use serde::Serialize;

use crate::eval::foldin::rated_profile;
use crate::eval::metrics::{combine, score_user, UserScore};

/// The answer counts the curves are reported at.
pub const CHECKPOINTS: [usize; 7] = [0, 1, 2, 3, 5, 10, 20];

/// How many list entries are scored (Recall@20; NDCG@10 uses the first 10).
const SCORED: usize = 20;

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
    /// The visitor who rated their whole pool.
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

impl SimUser {
    /// The pool's movies, in catalogue order.
    fn pool_rows(&self) -> Vec<usize> {
        let mut v: Vec<usize> = self.pool.keys().copied().collect();
        v.sort_unstable();
        v
    }
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
    /// Films entering the visitor's top 20 with the answer that reached the checkpoint (0 at
    /// 0 answers and for the flat lines): how much answering changes what they are shown.
    #[serde(rename = "list_change@20")]
    pub list_change_20: Vec<f64>,
}

/// One checkpoint of one user: the scored list and how much the last answer changed it.
#[derive(Debug, Clone)]
pub struct Checkpoint {
    pub score: UserScore,
    pub list_change: f64,
}

/// The visitor's top 20 under `settings` (the list as shown).
fn shown(model: &Model, visitor: &Visitor, settings: &Settings) -> Vec<usize> {
    visitor
        .ranked(model, &ListRequest::new(settings))
        .expect("posterior is positive definite")
        .iter()
        .map(|r| r.item)
        .collect()
}

/// The top-20 list scored on the targets (the pool is never ranked).
fn score_list(model: &Model, list: &[usize], u: &SimUser, exclude: &[usize]) -> UserScore {
    let mut scores = vec![f32::NEG_INFINITY; model.len()];
    for (j, &i) in list.iter().enumerate() {
        scores[i] = (list.len() - j) as f32;
    }
    score_user(&scores, &u.targets, exclude, false)
}

/// The visitor who rated their whole pool (the `full-profile` line), in catalogue order.
pub fn full_visitor(model: &Model, u: &SimUser) -> Visitor {
    let pool: Vec<(usize, f32)> = u.pool_rows().into_iter().map(|i| (i, u.pool[&i])).collect();
    Visitor::new(model, &rated_profile(model, &pool))
}

/// The visitor's list under `settings`, scored on the targets: the first 20 of it that are
/// not in the pool. The list is asked for long enough to hold 20 after the pool's movies the
/// visitor has not told about are taken out; without diversity (which re-ranks by what is
/// already listed) that is exactly the top 20 of the catalogue minus the pool.
pub fn score_visitor(
    model: &Model,
    visitor: &Visitor,
    u: &SimUser,
    settings: &Settings,
) -> UserScore {
    assert_eq!(
        settings.clamped().diversity,
        0.0,
        "the simulator scores lists without diversity"
    );
    let listed_out = visitor.exclusions(settings);
    let untold = u.pool.keys().filter(|i| !listed_out.contains(i)).count();
    let request = ListRequest {
        top: SCORED + untold,
        ..ListRequest::new(settings)
    };
    let list: Vec<usize> = visitor
        .ranked(model, &request)
        .expect("posterior is positive definite")
        .iter()
        .map(|r| r.item)
        .filter(|i| !u.pool.contains_key(i))
        .take(SCORED)
        .collect();
    score_list(model, &list, u, &u.pool_rows())
}

/// `u`'s answer to `question`, added to `profile` as the app stores it at time `at`.
fn answer(model: &Model, u: &SimUser, question: Question, profile: &mut Profile, at: i64) {
    let id = |i: usize| model.stable_id(i);
    match question {
        Question::Rate(q) => match u.pool.get(&q) {
            Some(&rating) => profile.rate(id(q), rating, Scale::Stars, at),
            None => profile.feedback(id(q), Action::Unseen, at),
        },
        Question::Pair(a, b) => match (u.pool.get(&a), u.pool.get(&b)) {
            (Some(&ra), Some(&rb)) => {
                let preference = if ra > rb {
                    CompareAnswer::A
                } else if rb > ra {
                    CompareAnswer::B
                } else {
                    CompareAnswer::Tie
                };
                profile.compare(id(a), id(b), preference, at);
            }
            (ra, rb) => {
                // One "haven't seen" per movie the user has not seen (the app's "haven't seen
                // A" and "haven't seen B"); the pair is not compared.
                if ra.is_none() {
                    profile.compare(id(a), id(b), CompareAnswer::UnseenA, at);
                }
                if rb.is_none() {
                    profile.compare(id(a), id(b), CompareAnswer::UnseenB, at);
                }
            }
        },
    }
}

/// Scores per checkpoint for one user under one policy, with the list settings `settings`.
pub fn run_user(
    model: &Model,
    u: &SimUser,
    policy: Policy,
    variant: Variant,
    settings: &Settings,
    popularity_list: &[usize],
    seed: u64,
) -> Vec<Checkpoint> {
    let pool_rows = u.pool_rows();
    let ranked = |visitor: &Visitor| score_visitor(model, visitor, u, settings);
    let flat = |score: UserScore| {
        vec![
            Checkpoint {
                score,
                list_change: 0.0
            };
            CHECKPOINTS.len()
        ]
    };
    match policy {
        Policy::Popularity => {
            let list: Vec<usize> = popularity_list
                .iter()
                .filter(|i| !u.pool.contains_key(i))
                .take(SCORED)
                .copied()
                .collect();
            flat(score_list(model, &list, u, &pool_rows))
        }
        Policy::FullProfile => flat(ranked(&full_visitor(model, u))),
        Policy::Ask(strategy) => {
            let mut profile = Profile::default();
            let mut visitor = Visitor::new(model, &profile);
            let allowed = (variant == Variant::Known).then_some(&pool_rows[..]);
            let none = HashSet::new();
            let mut out = Vec::with_capacity(CHECKPOINTS.len());
            let last = *CHECKPOINTS.last().unwrap();
            let mut before: Option<Vec<usize>> = None;
            for answers in 0..=last {
                if CHECKPOINTS.contains(&answers) {
                    let list_change = match &before {
                        Some(b) => shown(model, &visitor, settings)
                            .iter()
                            .filter(|i| !b.contains(i))
                            .count() as f64,
                        None => 0.0,
                    };
                    out.push(Checkpoint {
                        score: ranked(&visitor),
                        list_change,
                    });
                }
                if answers == last {
                    break;
                }
                let options = QuestionOptions {
                    allowed,
                    seed: seed ^ (answers as u64) << 32,
                };
                let Some(choice) = visitor
                    .next_question_with(model, settings, strategy, &none, &options)
                    .expect("posterior is positive definite")
                else {
                    // Nothing left to ask: the list stays as it is.
                    while out.len() < CHECKPOINTS.len() {
                        out.push(Checkpoint {
                            score: ranked(&visitor),
                            list_change: 0.0,
                        });
                    }
                    break;
                };
                // The list before the answer that reaches the next checkpoint.
                if CHECKPOINTS.contains(&(answers + 1)) {
                    before = Some(shown(model, &visitor, settings));
                }
                answer(model, u, choice.question, &mut profile, answers as i64);
                visitor = Visitor::new(model, &profile);
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
    settings: &Settings,
    popularity_list: &[usize],
    seed: u64,
    mut progress: impl FnMut(&str),
) -> Vec<Curve> {
    let mut curves = Vec::new();
    for variant in [Variant::Known, Variant::Skip] {
        for &policy in policies {
            progress(&format!("{} ({variant:?})", policy.name()));
            let per_user: Vec<Vec<Checkpoint>> = users
                .par_iter()
                .enumerate()
                .map(|(j, u)| {
                    run_user(
                        model,
                        u,
                        policy,
                        variant,
                        settings,
                        popularity_list,
                        seed ^ j as u64,
                    )
                })
                .collect();
            let (mut ndcg, mut recall, mut change) = (Vec::new(), Vec::new(), Vec::new());
            for c in 0..CHECKPOINTS.len() {
                let at: Vec<UserScore> = per_user.iter().map(|s| s[c].score.clone()).collect();
                let m = combine(policy.name(), &at, false);
                ndcg.push(m.ndcg_10.unwrap_or(0.0));
                recall.push(m.recall_20.unwrap_or(0.0));
                change.push(
                    per_user.iter().map(|s| s[c].list_change).sum::<f64>()
                        / per_user.len().max(1) as f64,
                );
            }
            curves.push(Curve {
                strategy: policy.name().to_string(),
                variant,
                answers: CHECKPOINTS.to_vec(),
                ndcg_10: ndcg,
                recall_20: recall,
                list_change_20: change,
            });
        }
    }
    curves
}

#[cfg(test)]
mod tests {
    use super::*;
    use moviematch::posterior::{Comparison, Observation, Preference};

    #[test]
    fn answers_are_stored_as_the_app_stores_them() {
        let model = Model::from_bundle(moviematch::fixture::random_bundle(5, 80, 3, 40));
        let u = SimUser {
            pool: HashMap::from([(1, 4.0), (2, 3.0), (3, 3.0)]),
            targets: vec![(9, 5.0)],
        };
        let mut p = Profile::default();
        for (at, q) in [
            Question::Rate(1),
            Question::Rate(50),
            Question::Pair(2, 1),
            Question::Pair(2, 3),
            Question::Pair(3, 60),
            Question::Pair(61, 62),
        ]
        .into_iter()
        .enumerate()
        {
            answer(&model, &u, q, &mut p, at as i64);
        }
        let v = Visitor::new(&model, &p);
        assert_eq!(
            v.evidence().observations,
            vec![Observation {
                item: 1,
                rating: 4.0
            }]
        );
        let c = |a, b, answer| Comparison { a, b, answer };
        assert_eq!(
            v.evidence().comparisons,
            vec![c(2, 1, Preference::B), c(2, 3, Preference::Tie)]
        );
        let h = v.ask_history();
        assert_eq!(h.exclude, [1, 50, 60, 61, 62].into());
        assert_eq!(h.pairs, [(1, 2), (2, 3)].into());
        // Only what was rated or compared leaves the lists; "haven't seen" keeps a movie.
        let mut out: Vec<usize> = v.exclusions(&Settings::default()).into_iter().collect();
        out.sort_unstable();
        assert_eq!(out, vec![1, 2, 3]);
    }
}
