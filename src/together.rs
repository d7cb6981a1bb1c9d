//! "Watch together": one list for a group, each member a [`Visitor`] (the owner's profile and
//! friends' shared profiles). The candidates are the films on any member's own list (each
//! member's top [`POOL_PER_MEMBER`] under the owner's knobs and filters); each is scored by the
//! lowest of the members' predicted ratings (the film the least happy member would still like
//! most), ties by the members' average, then by movieId. A film any member rated, compared,
//! disliked or hid is out; exploration is off.
//!
//! Why candidates from the members' lists: the lowest predicted rating over the whole
//! catalogue put high-IMDb films few people know on top for every group (a sci-fi fan with a
//! romance fan: The Mountain II, Mersal, Wheels…, median 19,966 IMDb votes over the top 20);
//! the lowest list score instead let a well-known film one member would rate 2.7★ in. From
//! the union of the members' top 200: The Shawshank Redemption, City of God, The Dark Knight,
//! The Princess Bride… (median 960,951 votes; the top 20's lowest predictions average 3.92★).
//!
//! Exact: each member's pool is their exact list ([`rank::recommend`]), and every pooled film's
//! predictions are exact (tested against brute force).

use std::collections::HashSet;

use crate::model::Model;
use crate::profile::{Profile, Settings};
use crate::rank::{self, RankOptions, Recommendation};

/// How far down each member's own list candidates come from.
pub const POOL_PER_MEMBER: usize = 200;
use crate::session::{ListEntry, ListRequest, Visitor};
use moviematch_math::linalg::NotPositiveDefinite;

/// One film of the joint list.
#[derive(Debug, Clone, PartialEq)]
pub struct JointEntry {
    pub item: usize,
    /// The group score: the lowest of the members' predicted ratings (clipped to the scale).
    pub score: f32,
    /// Each member's view of the film (prediction, interval, list score), in the members'
    /// order.
    pub members: Vec<Recommendation>,
}

impl JointEntry {
    /// Film `item` with each member's view: its score is the lowest of their predictions.
    pub fn new(item: usize, members: Vec<Recommendation>) -> JointEntry {
        let score = members.iter().map(|r| r.mean).fold(f32::INFINITY, f32::min);
        JointEntry {
            item,
            score,
            members,
        }
    }

    /// The member whose prediction is the group's score (the first, if several).
    pub fn least_happy(&self) -> &Recommendation {
        self.members
            .iter()
            .find(|r| r.mean == self.score)
            .expect("the score is a member's")
    }
}

/// Film `j` as the owner's list shows an entry, with the group's figures: the owner's reasons,
/// the least happy member's prediction and interval (what `tools recommend --with` and pkg's
/// `recommendFor` print before each member's own prediction).
pub fn group_entry(
    model: &Model,
    owner: &Visitor,
    j: &JointEntry,
    request: &ListRequest,
) -> Result<ListEntry, NotPositiveDefinite> {
    let mut entry = owner.entry(model, j.item, request)?;
    entry.rec = Recommendation {
        exploring: false,
        ..*j.least_happy()
    };
    Ok(entry)
}

/// One film of the group's list as every surface shows it: the owner's list entry carrying the
/// group's figures ([`group_entry`]) and each member's own view ([`JointEntry`]).
#[derive(Debug, Clone, PartialEq)]
pub struct GroupEntry {
    pub entry: ListEntry,
    pub joint: JointEntry,
}

/// The members' visitors, each fitted under the owner's `settings` (the group's settings are
/// the owner's, taste drift included): how every caller of [`group_list`] fits the profiles.
pub fn visitors<'a>(
    model: &Model,
    profiles: impl IntoIterator<Item = &'a Profile>,
    settings: &Settings,
) -> Vec<Visitor> {
    profiles
        .into_iter()
        .map(|p| Visitor::with_settings(model, p, settings))
        .collect()
}

/// The group's list for `request`, exploration off whatever the settings say: what `tools
/// recommend --with`, pkg's `recommendFor` and the page's "Watch together" show (one place, so
/// they agree). `members[0]` is the owner (see [`joint_list`]); no members, no list.
pub fn group_list(
    model: &Model,
    members: &[&Visitor],
    request: &ListRequest,
) -> Result<Vec<GroupEntry>, NotPositiveDefinite> {
    let Some(owner) = members.first() else {
        return Ok(Vec::new());
    };
    let mut request = request.clone();
    request.settings.exploration = 0.0;
    let opts = owner.rank_options(&request);
    joint_list(model, members, &request.settings, &opts, request.top)?
        .into_iter()
        .map(|joint| {
            Ok(GroupEntry {
                entry: group_entry(model, owner, &joint, &request)?,
                joint,
            })
        })
        .collect()
}

/// The `top` films the whole group would like best (see the module doc). `members[0]` is the
/// owner, whose `settings` (with "leave out saved films") and `opts` (knobs, filters, genres)
/// apply to every member's list; every member's rated, compared, disliked and hidden films are
/// left out.
pub fn joint_list(
    model: &Model,
    members: &[&Visitor],
    settings: &Settings,
    opts: &RankOptions,
    top: usize,
) -> Result<Vec<JointEntry>, NotPositiveDefinite> {
    let pool_opts = RankOptions {
        top: POOL_PER_MEMBER,
        exploration: 0.0,
        diversity: 0.0,
        // Each member's pool is their own best films: the owner's genre mix is not theirs.
        genre_distance: 0.0,
        ..opts.clone()
    };
    let mut exclude: HashSet<usize> = HashSet::new();
    let mut tastes = Vec::with_capacity(members.len());
    for (m, v) in members.iter().enumerate() {
        // A friend's saved films are theirs to watch: only the owner's setting leaves any out.
        let own = if m == 0 {
            settings.clone()
        } else {
            Settings::default()
        };
        exclude.extend(v.exclusions(&own));
        tastes.push(v.taste()?);
    }
    // Every member's list, as a mask over the catalogue: the pool in catalogue order, with no
    // set or sort to instantiate (each costs the page's wasm a few kilobytes).
    let mut pooled = vec![false; model.len()];
    for t in &tastes {
        for r in rank::recommend(model, t, &exclude, &pool_opts) {
            pooled[r.item] = true;
        }
    }
    let mut pool: Vec<JointEntry> = (0..model.len())
        .filter(|&i| pooled[i])
        .map(|i| {
            let views = tastes
                .iter()
                .map(|t| rank::recommendation_for(model, t, &pool_opts, i))
                .collect();
            JointEntry::new(i, views)
        })
        .collect();
    // The best `top` in order, by selection: `top` is small and the pool a few hundred films.
    let mut joint = Vec::with_capacity(top.min(pool.len()));
    while joint.len() < top && !pool.is_empty() {
        let best = (1..pool.len()).fold(0, |b, k| {
            if joint_order(model, &pool[k], &pool[b]).is_lt() {
                k
            } else {
                b
            }
        });
        joint.push(pool.swap_remove(best));
    }
    Ok(joint)
}

/// The joint list's order: group score, then the members' average prediction, then movieId.
pub fn joint_order(model: &Model, a: &JointEntry, b: &JointEntry) -> std::cmp::Ordering {
    let average = |e: &JointEntry| e.members.iter().map(|r| r.mean).sum::<f32>();
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
    use std::collections::BTreeSet;

    fn member(model: &Model, seed: usize) -> Profile {
        let mut p = Profile::default();
        for j in 0..6 {
            let item = (seed * 7 + j * 11) % model.len();
            let stars = [5.0, 1.0, 4.0, 2.0, 4.5, 0.5][(seed + j) % 6];
            p.rate(model.stable_id(item), stars, Scale::Stars, j as i64);
        }
        p
    }

    /// The joint list equals its definition by brute force: each member's top films by their
    /// exact list score over every film, pooled; each pooled film's lowest prediction, ties by
    /// the average, then movieId; every member's answers out.
    #[test]
    fn the_joint_list_is_the_brute_force_ranking() {
        let model = Model::from_bundle(random_bundle(11, 600, 4, 400));
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
        let plain = RankOptions {
            top: POOL_PER_MEMBER,
            exploration: 0.0,
            diversity: 0.0,
            ..opts.clone()
        };
        let mut pool = BTreeSet::new();
        for v in &visitors {
            let taste = v.taste().unwrap();
            let mut all: Vec<(f32, usize)> = (0..model.len())
                .filter(|i| !out.contains(i))
                .filter(|&i| rank::above_floor(&model, taste.explicit, i))
                .map(|i| (rank::recommendation_for(&model, &taste, &plain, i).score, i))
                .collect();
            all.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
            pool.extend(all.iter().take(POOL_PER_MEMBER).map(|x| x.1));
        }
        assert!(pool.len() > POOL_PER_MEMBER, "the members' lists differ");
        let mut want: Vec<JointEntry> = pool
            .into_iter()
            .map(|i| {
                let views = visitors
                    .iter()
                    .map(|v| rank::recommendation_for(&model, &v.taste().unwrap(), &plain, i))
                    .collect();
                JointEntry::new(i, views)
            })
            .collect();
        want.sort_by(|a, b| joint_order(&model, a, b));
        want.truncate(20);
        assert_eq!(got, want);
        for j in &got {
            let lowest = j
                .members
                .iter()
                .map(|r| r.mean)
                .fold(f32::INFINITY, f32::min);
            assert_eq!(j.score, lowest);
            for (v, r) in visitors.iter().zip(&j.members) {
                assert_eq!(r.mean, v.predict(&model, j.item).unwrap().mean);
            }
        }
    }

    /// A group of one: the visitor's own top films, re-ordered by predicted rating.
    #[test]
    fn a_group_of_one_orders_the_visitors_list_by_prediction() {
        let model = Model::from_bundle(random_bundle(11, 600, 4, 400));
        let p = member(&model, 4);
        let v = Visitor::new(&model, &p);
        let settings = Settings::default();
        let request = ListRequest::new(&settings);
        let opts = v.rank_options(&request);
        let alone = joint_list(&model, &[&v], &settings, &opts, 20).unwrap();
        assert_eq!(alone.len(), 20);
        assert!(alone.windows(2).all(|w| w[0].score >= w[1].score));
        for j in &alone {
            assert_eq!(j.score, v.predict(&model, j.item).unwrap().mean);
        }
    }
}
