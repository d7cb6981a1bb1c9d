//! The one merge rule: another profile's answers (a downloaded profile, a share link, an
//! import) added to the visitor's own. The visitor's own answers win wherever both say
//! something about the same movie, and nothing the visitor withdrew (unrate, unlike, unhide,
//! unsave) is revived by a merge: a withdrawal is an answer too. "Replace" is how to bring a
//! withdrawn answer back. Movies are compared by stored id and, through [`Resolve`], by
//! catalogue entry (an IMDb id and a MovieLens id of one film are one movie).

use std::collections::HashSet;

use super::{Action, CompareAnswer, CurrentRating, Event, Profile};
use crate::ids::{Resolve, StableId};

impl Profile {
    /// The other profile's ratings a merge adds: those in force there for movies this one has
    /// neither rated nor withdrawn a rating of (a withdrawal is the visitor's answer too),
    /// compared by stored id and, through `catalogue`, by catalogue movie (a rating stored under
    /// an IMDb id and one under a MovieLens id of the same film count as the same). One per
    /// movie, most recent first.
    pub fn ratings_to_merge(&self, other: &Profile, catalogue: &dyn Resolve) -> Vec<CurrentRating> {
        let removed: Vec<&StableId> = self
            .events
            .iter()
            .filter_map(|e| match e {
                Event::Unrate { item, .. } => Some(item),
                _ => None,
            })
            .collect();
        self.new_ratings_besides(other, catalogue, &removed)
    }

    /// The other profile's ratings for movies this one has not rated, nor any in `besides`.
    fn new_ratings_besides(
        &self,
        other: &Profile,
        catalogue: &dyn Resolve,
        besides: &[&StableId],
    ) -> Vec<CurrentRating> {
        let mut taken = MovieSet::new(catalogue);
        for r in self.ratings() {
            taken.insert(&r.item);
        }
        for id in besides {
            taken.insert(id);
        }
        other
            .ratings()
            .into_iter()
            .filter(|r| taken.insert(&r.item))
            .collect()
    }

    /// Adds what `other` knows and this profile does not, every added event stamped `at` (a
    /// rating: the time it was given there, if earlier);
    /// this profile wins wherever both say something about the same movie, because the visitor
    /// merging is the one whose answers are in force. Added: ratings for movies not rated here
    /// ([`Profile::ratings_to_merge`]); comparisons not already answered here (the same two
    /// movies and answer); likes, dislikes, hidden, watchlist and "haven't seen" in force there
    /// for movies this profile has no such answer about. Settings stay this profile's.
    pub fn merge_from(
        &mut self,
        other: &Profile,
        catalogue: &dyn Resolve,
        at: i64,
    ) -> MergeSummary {
        let mut summary = MergeSummary::default();
        let ratings = self.ratings_to_merge(other, catalogue);
        summary.kept_yours = other.ratings().len() - ratings.len();
        summary.ratings = ratings.len();

        // Comparisons, keyed by the two movies they are about in either order (so ids of either
        // kind match, and "A over B" there does not contradict "B over A" here): a pair this
        // profile has answered in any way is this profile's.
        let key = |id: &StableId| -> Key { Key::of(id, catalogue) };
        let mut answered: HashSet<(Key, Key)> = HashSet::new();
        // A pair withdrawn here is answered here too (a withdrawal is an answer, as with
        // unrate); the other profile's answers count only while in force there.
        for e in &self.events {
            if let Event::Compare { a, b, .. } | Event::Uncompare { a, b, .. } = e {
                answered.insert((key(a), key(b)));
                answered.insert((key(b), key(a)));
            }
        }
        let mut comparisons: Vec<(StableId, StableId, CompareAnswer)> = Vec::new();
        for (a, b, answer, _) in other.compare_events() {
            let (ka, kb) = (key(a), key(b));
            if answered.insert((ka.clone(), kb.clone())) {
                answered.insert((kb, ka));
                comparisons.push((a.clone(), b.clone(), answer));
            }
        }
        summary.comparisons = comparisons.len();

        // Feedback: per family (like/dislike, hidden, watchlist, haven't seen), only for movies
        // this profile never answered in that family (an "unlike" here is an answer too).
        let touched = |family: fn(Action) -> bool| {
            let mut seen = MovieSet::new(catalogue);
            for e in &self.events {
                if let Event::Feedback { item, action, .. } = e {
                    if family(*action) {
                        seen.insert(item);
                    }
                }
            }
            seen
        };
        let mut feedback: Vec<(StableId, Action)> = Vec::new();
        let mut likes = touched(|a| matches!(a, Action::Like | Action::Dislike | Action::Unlike));
        for (id, liked) in other.likes() {
            if likes.insert(&id) {
                feedback.push((id, if liked { Action::Like } else { Action::Dislike }));
            }
        }
        let mut hidden = touched(|a| matches!(a, Action::Hide | Action::Unhide));
        for id in other.hidden() {
            if hidden.insert(&id) {
                feedback.push((id, Action::Hide));
            }
        }
        let mut saved = touched(|a| matches!(a, Action::Save | Action::Unsave));
        for id in other.saved() {
            if saved.insert(&id) {
                feedback.push((id, Action::Save));
            }
        }
        let mut unseen = touched(|a| matches!(a, Action::Unseen | Action::UndoUnseen));
        for item in other.flags(Action::Unseen, Action::UndoUnseen) {
            if unseen.insert(&item) {
                feedback.push((item, Action::Unseen));
            }
        }
        summary.other = feedback.len();

        // Oldest first, so "most recent first" lists them in the other profile's order. A
        // rating keeps the time it was given there (never later than `at`): taste drift
        // (`crate::drift`) weighs it by that age.
        for r in ratings.into_iter().rev() {
            self.rate(r.item, r.value, r.scale, r.at.min(at));
        }
        for (a, b, answer) in comparisons {
            self.compare(a, b, answer, at);
        }
        for (item, action) in feedback {
            self.feedback(item, action, at);
        }
        summary
    }
}

/// What [`Profile::merge_from`] added.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MergeSummary {
    pub ratings: usize,
    /// The other profile's ratings for movies rated here (this profile's rating was kept).
    pub kept_yours: usize,
    pub comparisons: usize,
    /// Likes, dislikes, hidden, watchlist and "haven't seen" answers.
    pub other: usize,
}

/// A movie as merging compares it: the catalogue entry when the model knows the id (so an
/// IMDb id and a MovieLens id of one film are equal), else the id itself.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    Item(usize),
    Id(StableId),
}

impl Key {
    fn of(id: &StableId, catalogue: &dyn Resolve) -> Key {
        match catalogue.resolve(id) {
            Some(i) => Key::Item(i),
            None => Key::Id(id.clone()),
        }
    }
}

/// A set of movies keyed both ways: by stored id and by catalogue entry.
struct MovieSet<'m> {
    catalogue: &'m dyn Resolve,
    ids: HashSet<StableId>,
    items: HashSet<usize>,
}

impl<'m> MovieSet<'m> {
    fn new(catalogue: &'m dyn Resolve) -> Self {
        MovieSet {
            catalogue,
            ids: HashSet::new(),
            items: HashSet::new(),
        }
    }

    /// Adds `id`; false when it (or its catalogue movie) was already there.
    fn insert(&mut self, id: &StableId) -> bool {
        let item = self.catalogue.resolve(id);
        if self.ids.contains(id) || item.is_some_and(|i| self.items.contains(&i)) {
            return false;
        }
        self.ids.insert(id.clone());
        self.items.extend(item);
        true
    }
}
