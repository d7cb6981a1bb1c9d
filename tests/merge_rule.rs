//! The one merge rule, on all three paths a visitor merges by: a downloaded profile file
//! (`Profile::merge_from`), a share link ("Merge into mine": the link's profile merged by the
//! same rule) and an import in merge mode (`ImportPlan::apply`). On one fixture: the visitor's
//! own ratings win, a rating the visitor withdrew is not revived, a new film is added, and a
//! film stored under its IMDb id and under its MovieLens id is one film.
#![cfg(not(target_arch = "wasm32"))]

use moviematch::fixture::{bundle, FixtureMovie};
use moviematch::ids::format_tconst;
use moviematch::import_plan::{plan_import, ImportMode};
use moviematch::profile::{Profile, Scale, StableId};
use moviematch::share;
use moviematch::Model;

fn model() -> Model {
    Model::from_bundle(bundle(
        &["Drama"],
        &[
            FixtureMovie::titled(1, "Kept Film (2001)", 2001),
            FixtureMovie::titled(2, "Withdrawn Film (2002)", 2002),
            FixtureMovie::titled(3, "New Film (2003)", 2003),
            FixtureMovie::titled(4, "Other Id Film (2004)", 2004),
        ],
    ))
}

/// The visitor: rated 1 (3★), rated and then withdrew 2, rated 4 under its IMDb id (2★).
fn mine(m: &Model) -> Profile {
    let mut p = Profile::default();
    p.rate(StableId::Movielens(1), 3.0, Scale::Stars, 1);
    p.rate(StableId::Movielens(2), 4.0, Scale::Stars, 2);
    p.unrate(StableId::Movielens(2), 3);
    let tt4 = format_tconst(m.movie(m.by_movielens_id(4).unwrap()).imdb_id.unwrap());
    p.rate(StableId::Imdb(tt4), 2.0, Scale::Stars, 4);
    p
}

/// What every path brings: 1 at 5★, 2 at 5★, 3 at 4★, 4 (by MovieLens id) at 5★.
fn theirs() -> Profile {
    let mut p = Profile::default();
    for (id, stars) in [(1, 5.0), (2, 5.0), (3, 4.0), (4, 5.0)] {
        p.rate(StableId::Movielens(id), stars, Scale::Stars, 10);
    }
    p
}

/// The ratings in force by MovieLens id of their catalogue film.
fn in_force(m: &Model, p: &Profile) -> Vec<(u32, f32)> {
    let mut out: Vec<(u32, f32)> = p
        .ratings()
        .iter()
        .map(|r| (m.movie(m.resolve(&r.item).unwrap()).movie_id, r.value))
        .collect();
    out.sort_by_key(|r| r.0);
    out
}

#[test]
fn profile_file_share_link_and_import_merge_alike() {
    let m = model();
    let want = vec![(1, 3.0), (3, 4.0), (4, 2.0)];

    let mut by_file = mine(&m);
    by_file.merge_from(&theirs(), &m, 99);
    assert_eq!(in_force(&m, &by_file), want, "profile file");

    let link = share::encode_profile(&theirs());
    let mut by_link = mine(&m);
    by_link.merge_from(
        &share::profile_of(&share::decode(&link).unwrap(), 99),
        &m,
        99,
    );
    assert_eq!(in_force(&m, &by_link), want, "share link");

    // The same four ratings as an IMDb export (10-point scale: 5★ = 10, 4★ = 8).
    let mut csv = String::from("Const,Your Rating,Date Rated,Title,URL,Title Type,IMDb Rating,Runtime (mins),Year,Genres,Num Votes,Release Date,Directors\n");
    for (id, ten) in [(1, 10), (2, 10), (3, 8), (4, 10)] {
        let mv = m.movie(m.by_movielens_id(id).unwrap());
        csv.push_str(&format!(
            "{},{ten},2024-01-01,{},,Movie,7.0,100,{},Drama,1000,,\n",
            format_tconst(mv.imdb_id.unwrap()),
            mv.title,
            mv.year.unwrap()
        ));
    }
    let plan = plan_import(&m, csv.as_bytes()).unwrap();
    let mut by_import = mine(&m);
    let done = plan.apply(&m, &mut by_import, ImportMode::Merge, 99);
    let got: Vec<u32> = in_force(&m, &by_import).iter().map(|r| r.0).collect();
    assert_eq!(got, vec![1, 3, 4], "import");
    assert_eq!(
        by_import.rating_of(&StableId::Movielens(1)).unwrap().value,
        3.0
    );
    assert_eq!((done.added, done.kept_yours), (1, 3));

    // Replace is how a withdrawn rating comes back.
    let mut replaced = mine(&m);
    plan.apply(&m, &mut replaced, ImportMode::Replace, 99);
    assert_eq!(in_force(&m, &replaced).len(), 4);
}
