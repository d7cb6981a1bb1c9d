//! The answers in force besides ratings, for review and undo ("My answers" in the page): each
//! "A or B?" pair's answer, likes and dislikes, hidden films, the watchlist and "haven't seen
//! it", each with the event that withdraws it. Undo appends that event: the log only grows,
//! so an undo syncs, merges and can itself be answered over like any other answer.
//!
//! Two withdrawals are new in profile v3: [`Event::Uncompare`] (every earlier answer to a pair,
//! whatever it was) and [`Action::UndoUnseen`] (a "haven't seen it" given to a rate-this
//! question). The others existed: unlike, unhide, unsave.

use std::collections::HashMap;

use super::{Action, CompareAnswer, Event, Profile};
use crate::ids::StableId;

/// One answer in force, as "My answers" lists it.
#[derive(Debug, Clone, PartialEq)]
pub enum Answer {
    /// The latest answer to the pair (a preference, "equally good", "haven't seen" one of them,
    /// or a skip).
    Compare {
        a: StableId,
        b: StableId,
        answer: CompareAnswer,
    },
    /// A like (true) or a dislike (false).
    Like {
        item: StableId,
        liked: bool,
    },
    Hidden {
        item: StableId,
    },
    Saved {
        item: StableId,
    },
    /// "Haven't seen it", to a rate-this-movie question.
    Unseen {
        item: StableId,
    },
}

/// An answer in force and when it was given.
#[derive(Debug, Clone, PartialEq)]
pub struct AnswerEntry {
    pub answer: Answer,
    pub at: i64,
}

impl Answer {
    /// The event that withdraws this answer, stamped `at`.
    pub fn withdrawal(&self, at: i64) -> Event {
        let feedback = |item: &StableId, action| Event::Feedback {
            item: item.clone(),
            action,
            at,
        };
        match self {
            Answer::Compare { a, b, .. } => Event::Uncompare {
                a: a.clone(),
                b: b.clone(),
                at,
            },
            Answer::Like { item, .. } => feedback(item, Action::Unlike),
            Answer::Hidden { item } => feedback(item, Action::Unhide),
            Answer::Saved { item } => feedback(item, Action::Unsave),
            Answer::Unseen { item } => feedback(item, Action::UndoUnseen),
        }
    }
}

/// What an answer is about: a later answer about the same thing replaces it.
#[derive(PartialEq, Eq, Hash)]
enum Topic<'p> {
    Pair(&'p StableId, &'p StableId),
    Like(&'p StableId),
    Hidden(&'p StableId),
    Saved(&'p StableId),
    Unseen(&'p StableId),
}

impl Profile {
    /// Withdraws every earlier answer to the pair `a`, `b` (in either order).
    pub fn uncompare(&mut self, a: StableId, b: StableId, at: i64) {
        self.events.push(Event::Uncompare { a, b, at });
    }

    /// Undoes an answer from [`Profile::answers`].
    pub fn withdraw(&mut self, answer: &Answer, at: i64) {
        self.events.push(answer.withdrawal(at));
    }

    /// The answers in force besides ratings (those are [`Profile::ratings`]), most recent
    /// first.
    pub fn answers(&self) -> Vec<AnswerEntry> {
        // Topic → (sequence number, the answer in force or `None` once withdrawn).
        let mut last: HashMap<Topic<'_>, (usize, Option<AnswerEntry>)> = HashMap::new();
        for (seq, e) in self.events.iter().enumerate() {
            let (topic, answer, at) = match e {
                Event::Compare { a, b, answer, at } => {
                    let answer = Answer::Compare {
                        a: a.clone(),
                        b: b.clone(),
                        answer: *answer,
                    };
                    (pair_topic(&last, a, b), Some(answer), *at)
                }
                Event::Uncompare { a, b, at } => (pair_topic(&last, a, b), None, *at),
                Event::Feedback { item, action, at } => {
                    let (topic, answer) = match action {
                        Action::Like | Action::Dislike => (
                            Topic::Like(item),
                            Some(Answer::Like {
                                item: item.clone(),
                                liked: *action == Action::Like,
                            }),
                        ),
                        Action::Unlike => (Topic::Like(item), None),
                        Action::Hide => (
                            Topic::Hidden(item),
                            Some(Answer::Hidden { item: item.clone() }),
                        ),
                        Action::Unhide => (Topic::Hidden(item), None),
                        Action::Save => (
                            Topic::Saved(item),
                            Some(Answer::Saved { item: item.clone() }),
                        ),
                        Action::Unsave => (Topic::Saved(item), None),
                        Action::Unseen => (
                            Topic::Unseen(item),
                            Some(Answer::Unseen { item: item.clone() }),
                        ),
                        Action::UndoUnseen => (Topic::Unseen(item), None),
                    };
                    (topic, answer, *at)
                }
                Event::Rating { .. } | Event::Unrate { .. } => continue,
            };
            last.insert(
                topic,
                (seq, answer.map(|answer| AnswerEntry { answer, at })),
            );
        }
        let (seqs, out): (Vec<usize>, Vec<AnswerEntry>) = last
            .into_values()
            .filter_map(|(seq, a)| a.map(|a| (seq, a)))
            .unzip();
        moviematch_math::top::in_best_order(out, seqs.into_iter().map(|s| s as f64))
    }

    /// Every "A or B?" answer not withdrawn since (by [`Event::Uncompare`] of its pair), in
    /// the order given.
    pub(super) fn compare_events(&self) -> Vec<(&StableId, &StableId, CompareAnswer, i64)> {
        let mut withdrawn: HashMap<(&StableId, &StableId), usize> = HashMap::new();
        for (seq, e) in self.events.iter().enumerate() {
            if let Event::Uncompare { a, b, .. } = e {
                withdrawn.insert((a, b), seq);
                withdrawn.insert((b, a), seq);
            }
        }
        self.events
            .iter()
            .enumerate()
            .filter_map(|(seq, e)| match e {
                Event::Compare { a, b, answer, at }
                    if withdrawn.get(&(a, b)).is_none_or(|&w| w < seq) =>
                {
                    Some((a, b, *answer, *at))
                }
                _ => None,
            })
            .collect()
    }

    /// Pairs the visitor skipped ("A or B?" passed on, not withdrawn): never asked again.
    pub fn skipped_pairs(&self) -> Vec<(StableId, StableId)> {
        self.compare_events()
            .into_iter()
            .filter(|&(_, _, answer, _)| answer == CompareAnswer::Skip)
            .map(|(a, b, _, _)| (a.clone(), b.clone()))
            .collect()
    }
}

/// The pair's topic, in whichever order it was first seen (a pair is unordered).
fn pair_topic<'p>(
    last: &HashMap<Topic<'p>, (usize, Option<AnswerEntry>)>,
    a: &'p StableId,
    b: &'p StableId,
) -> Topic<'p> {
    if last.contains_key(&Topic::Pair(b, a)) {
        Topic::Pair(b, a)
    } else {
        Topic::Pair(a, b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scale::Scale;

    fn m(i: u32) -> StableId {
        StableId::Movielens(i)
    }

    /// Each kind of answer is listed once, the latest first; undoing it appends its
    /// withdrawal, after which it is gone from the list and from what the engine uses
    /// (comparisons, likes, hidden, saved, unseen, skipped pairs); answering again brings it
    /// back.
    #[test]
    fn every_answer_can_be_listed_and_undone() {
        let mut p = Profile::default();
        p.rate(m(1), 4.0, Scale::Stars, 1);
        p.compare(m(1), m(2), CompareAnswer::A, 2);
        p.compare(m(3), m(4), CompareAnswer::Tie, 3);
        p.compare(m(5), m(6), CompareAnswer::UnseenA, 4);
        p.compare(m(7), m(8), CompareAnswer::Skip, 5);
        p.feedback(m(9), Action::Dislike, 6);
        p.feedback(m(10), Action::Hide, 7);
        p.feedback(m(11), Action::Save, 8);
        p.feedback(m(12), Action::Unseen, 9);
        p.compare(m(2), m(1), CompareAnswer::B, 10);
        let answers = p.answers();
        assert_eq!(answers.len(), 8, "{answers:?}");
        assert_eq!(
            answers[0].answer,
            Answer::Compare {
                a: m(2),
                b: m(1),
                answer: CompareAnswer::B
            },
            "the pair's latest answer, listed once, most recent first"
        );
        assert_eq!(answers[0].at, 10);
        assert_eq!(p.comparisons().len(), 3, "1-2 twice and the tie");
        assert_eq!(p.unseen(), vec![m(5), m(12)]);
        assert_eq!(p.skipped_pairs(), vec![(m(7), m(8))]);

        for (at, a) in (11..).zip(p.answers()) {
            p.withdraw(&a.answer, at);
        }
        assert!(p.answers().is_empty());
        assert!(p.comparisons().is_empty() && p.unseen().is_empty());
        assert!(p.likes().is_empty() && p.hidden().is_empty() && p.saved().is_empty());
        assert!(p.skipped_pairs().is_empty());
        assert_eq!(p.ratings().len(), 1, "ratings are not answers here");

        p.compare(m(1), m(2), CompareAnswer::Tie, 30);
        p.feedback(m(12), Action::Unseen, 31);
        assert_eq!(
            p.comparisons().len(),
            1,
            "only the answer given after the undo"
        );
        assert_eq!(p.unseen(), vec![m(12)]);
        assert_eq!(p.answers().len(), 2);
    }

    /// The one merge rule treats the new withdrawals like unrate: what this profile withdrew
    /// is its answer and is not revived; what the other withdrew is not brought in.
    #[test]
    fn merging_never_revives_a_withdrawn_answer() {
        use crate::ids::NoCatalogue;
        let mut mine = Profile::default();
        mine.compare(m(1), m(2), CompareAnswer::A, 1);
        mine.uncompare(m(1), m(2), 2);
        mine.feedback(m(3), Action::Unseen, 3);
        mine.feedback(m(3), Action::UndoUnseen, 4);
        let mut theirs = Profile::default();
        theirs.compare(m(2), m(1), CompareAnswer::B, 1);
        theirs.feedback(m(3), Action::Unseen, 2);
        theirs.compare(m(5), m(6), CompareAnswer::A, 3);
        theirs.uncompare(m(6), m(5), 4);
        theirs.feedback(m(7), Action::Unseen, 5);
        theirs.feedback(m(7), Action::UndoUnseen, 6);
        theirs.compare(m(8), m(9), CompareAnswer::Skip, 7);
        let done = mine.merge_from(&theirs, &NoCatalogue, 10);
        assert_eq!(
            (done.comparisons, done.other),
            (1, 0),
            "only the skip of 8–9"
        );
        assert!(mine.comparisons().is_empty() && mine.unseen().is_empty());
        assert_eq!(mine.skipped_pairs(), vec![(m(8), m(9))]);
    }

    /// A profile with the new withdrawals reads back as written, at version 3.
    #[test]
    fn withdrawals_round_trip_in_profile_v3() {
        let mut p = Profile::default();
        p.compare(m(1), m(2), CompareAnswer::Skip, 1);
        p.uncompare(m(2), m(1), 2);
        p.feedback(m(3), Action::Unseen, 3);
        p.feedback(m(3), Action::UndoUnseen, 4);
        let json = p.to_json();
        assert!(json.contains(r#""version":3"#), "{json}");
        assert!(json.contains(r#""type":"uncompare""#) && json.contains(r#""undo_unseen""#));
        assert!(json.contains(r#""answer":"skip""#));
        assert_eq!(Profile::from_json(&json).unwrap(), p);
    }
}
