//! "Watch together": one list for a group, each member a [`Visitor`] (the owner's profile and
//! friends' shared profiles). A film's group score is the lowest of the members' predicted
//! ratings (the film the least happy member would still like most), ties by the members'
//! average, then by movieId. A film any member rated, compared, disliked or hid is out; the
//! owner's filters and settings apply; exploration is off.
//!
//! Exact like the single list: every member's means come from the int8 pass with an error
//! bound, so a film's group score lies within [min(mean − ε), min(mean + ε)]; only films whose
//! upper end reaches the N-th best lower end are predicted exactly (tested against brute force).

use std::collections::HashSet;

use crate::model::Model;
use crate::profile::Settings;
use crate::rank::{self, RankOptions, RowPrediction};
use crate::session::{ListEntry, ListRequest, Visitor};
use moviematch_math::linalg::NotPositiveDefinite;
use moviematch_math::top::sort_best;

/// One film of the joint list.
#[derive(Debug, Clone, PartialEq)]
pub struct JointEntry {
    pub item: usize,
    /// The group score: the lowest of the members' predicted ratings (clipped to the scale).
    pub score: f32,
    /// Each member's prediction, in the members' order.
    pub members: Vec<RowPrediction>,
}

impl JointEntry {
    /// Film `item` with each member's prediction: its score is the lowest of them.
    pub fn new(item: usize, members: Vec<RowPrediction>) -> JointEntry {
        let score = members.iter().map(|p| p.mean).fold(f32::INFINITY, f32::min);
        JointEntry {
            item,
            score,
            members,
        }
    }

    /// The member whose prediction is the group's score (the first, if several).
    pub fn least_happy(&self) -> &RowPrediction {
        self.members
            .iter()
            .find(|p| p.mean == self.score)
            .expect("the score is a member's mean")
    }
}

/// Film `j` as the owner's list shows an entry, with the group's figures: the owner's reasons,
/// the group's score as its mean and the least happy member's interval (what `tools recommend
/// --with` and pkg's `recommendFor` print before each member's own prediction).
pub fn group_entry(
    model: &Model,
    owner: &Visitor,
    j: &JointEntry,
    request: &ListRequest,
) -> Result<ListEntry, NotPositiveDefinite> {
    let mut entry = owner.entry(model, j.item, request)?;
    let least = j.least_happy();
    entry.rec.mean = j.score;
    entry.rec.sd = least.sd;
    entry.rec.interval80 = least.interval80;
    Ok(entry)
}

/// The `top` films the whole group would like best (see the module doc). `members[0]` is the
/// owner, whose `settings` (with "leave out saved films") and `opts` (filters, genres) apply;
/// every member's rated, compared, disliked and hidden films are left out.
pub fn joint_list(
    model: &Model,
    members: &[&Visitor],
    settings: &Settings,
    opts: &RankOptions,
    top: usize,
) -> Result<Vec<JointEntry>, NotPositiveDefinite> {
    let mut exclude: HashSet<usize> = HashSet::new();
    let mut posts = Vec::with_capacity(members.len());
    for (m, v) in members.iter().enumerate() {
        // A friend's saved films are theirs to watch: only the owner's setting leaves any out.
        let own = if m == 0 {
            settings.clone()
        } else {
            Settings::default()
        };
        exclude.extend(v.exclusions(&own));
        posts.push(v.posterior()?);
    }
    if posts.is_empty() {
        return Ok(Vec::new());
    }
    let scale = model.header.scale;
    let offsets = model.offsets().as_slice().expect("contiguous");
    // Each film's group score lies within [lower, upper] (unclipped; clipping is monotone).
    let n = model.len();
    let mut lower = vec![f32::INFINITY; n];
    let mut upper = vec![f32::INFINITY; n];
    for post in &posts {
        let approx = model
            .scorer()
            .means(offsets, post.mean().as_slice().expect("contiguous"));
        for ((lo, hi), &m) in lower.iter_mut().zip(upper.iter_mut()).zip(&approx.mean) {
            *lo = lo.min(m - approx.error);
            *hi = hi.min(m + approx.error);
        }
    }
    let eligible: Vec<usize> = (0..n)
        .filter(|&i| rank::listable(model, opts, &exclude, i))
        .collect();
    if eligible.is_empty() || top == 0 {
        return Ok(Vec::new());
    }
    // The N-th best lower end: a film whose (clipped) upper end is below it cannot be in the
    // top N; ties at the scale's top may still win on the average, so they stay.
    let mut lows: Vec<(f64, usize)> = eligible.iter().map(|&i| (lower[i] as f64, i)).collect();
    sort_best(&mut lows);
    let bar = scale.clamp(lows[top.min(lows.len()) - 1].0 as f32);
    let mut exact: Vec<JointEntry> = eligible
        .into_iter()
        .filter(|&i| scale.clamp(upper[i]) >= bar)
        .map(|i| {
            let members = posts
                .iter()
                .map(|post| rank::row_predictions(model, post, &[i])[0])
                .collect();
            JointEntry::new(i, members)
        })
        .collect();
    exact.sort_by(|a, b| joint_order(model, a, b));
    exact.truncate(top);
    Ok(exact)
}

/// The joint list's order: group score, then the members' average, then movieId.
pub fn joint_order(model: &Model, a: &JointEntry, b: &JointEntry) -> std::cmp::Ordering {
    let average = |e: &JointEntry| e.members.iter().map(|p| p.mean).sum::<f32>();
    b.score
        .total_cmp(&a.score)
        .then(average(b).total_cmp(&average(a)))
        .then(
            model
                .movie(a.item)
                .movie_id
                .cmp(&model.movie(b.item).movie_id),
        )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::random_bundle;
    use crate::profile::{Action, Profile, Scale};

    fn member(model: &Model, seed: usize) -> Profile {
        let mut p = Profile::default();
        for j in 0..6 {
            let item = (seed * 7 + j * 11) % model.len();
            let stars = [5.0, 1.0, 4.0, 2.0, 4.5, 0.5][(seed + j) % 6];
            p.rate(model.stable_id(item), stars, Scale::Stars, j as i64);
        }
        p
    }

    /// The joint list equals sorting every film by brute force: exact predictions of every
    /// member, the minimum, ties by the average, then movieId; every member's answers out.
    #[test]
    fn the_joint_list_is_the_brute_force_ranking() {
        let model = Model::from_bundle(random_bundle(11, 300, 4, 200));
        let mut owner = member(&model, 1);
        owner.feedback(model.stable_id(40), Action::Hide, 10);
        let mut friend = member(&model, 2);
        friend.feedback(model.stable_id(41), Action::Dislike, 10);
        let third = member(&model, 3);
        let visitors: Vec<Visitor> = [&owner, &friend, &third]
            .iter()
            .map(|p| Visitor::new(&model, p))
            .collect();
        let members: Vec<&Visitor> = visitors.iter().collect();
        let settings = Settings::default();
        let opts = RankOptions::from_settings(&settings, 20, 0);
        let got = joint_list(&model, &members, &settings, &opts, 20).unwrap();
        let mut out: HashSet<usize> = HashSet::new();
        for v in &visitors {
            out.extend(v.exclusions(&settings));
        }
        assert!(out.contains(&40) && out.contains(&41));
        let mut all: Vec<JointEntry> = (0..model.len())
            .filter(|i| !out.contains(i))
            .map(|i| {
                let members = visitors
                    .iter()
                    .map(|v| v.predict(&model, i).unwrap())
                    .collect();
                JointEntry::new(i, members)
            })
            .collect();
        all.sort_by(|a, b| joint_order(&model, a, b));
        all.truncate(20);
        assert_eq!(got, all);
        // A group of one is that visitor's ranking by predicted rating.
        let alone = joint_list(&model, &members[..1], &settings, &opts, 5).unwrap();
        assert!(alone.windows(2).all(|w| w[0].score >= w[1].score));
    }
}
