//! Someone else's ratings from a share link: the temporary profile they make, and what
//! "Merge into mine" does with it (the engine's one merge rule).

use moviematch::ids::NoCatalogue;
use moviematch::profile::MergeSummary;
use moviematch::share::SharedRating;
use moviematch::{Model, Profile};

/// The profile the shared ratings make, every rating stamped `at` (the engine's
/// [`moviematch::share::profile_of`]).
pub fn shared_profile(ratings: &[SharedRating], at: i64) -> Profile {
    moviematch::share::profile_of(ratings, at)
}

/// The shared profile's ratings as new events stamped `at` (the time the visitor took them).
pub(super) fn restamped(shared: &Profile, at: i64) -> Profile {
    moviematch::share::profile_of(&moviematch::share::ratings_of(shared), at)
}

/// What "Merge into mine" would do with a shared profile: the one merge rule
/// ([`Profile::merge_from`]), tried on a copy. Movies are compared by stored id and, when the
/// model is known, by catalogue movie.
pub fn merge_preview(mine: &Profile, shared: &Profile, model: Option<&Model>) -> MergeSummary {
    merge_into(&mut mine.clone(), shared, model, 0)
}

/// "Merge into mine": the shared profile's answers the visitor lacks, added stamped `at`.
pub(super) fn merge_into(
    mine: &mut Profile,
    shared: &Profile,
    model: Option<&Model>,
    at: i64,
) -> MergeSummary {
    match model {
        Some(m) => mine.merge_from(shared, m, at),
        None => mine.merge_from(shared, &NoCatalogue, at),
    }
}
