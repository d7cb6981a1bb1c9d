//! Two opposite tastes on the shipped bundle (`web/model.bin`): five horror classics or five
//! romantic comedies, each rated 5★ by a new visitor. Their top 10s must be personal — at most
//! 3 films in common — and every film a reason names must pass the reasons' similarity rule
//! (`explain::is_like`). The e2e test (`tests/e2e/tastes.mjs`) does the same through the app.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::HashSet;

use moviematch::explain::{is_like, Reason};
use moviematch::profile::{Profile, Scale, Settings};
use moviematch::rank::Taste;
use moviematch::{ListRequest, Model, Visitor};

const HORROR: [(&str, u16); 5] = [
    ("The Shining", 1980),
    ("Halloween", 1978),
    ("The Exorcist", 1973),
    ("A Nightmare on Elm Street", 1984),
    ("The Texas Chainsaw Massacre", 1974),
];

const ROMCOM: [(&str, u16); 5] = [
    ("When Harry Met Sally...", 1989),
    ("Notting Hill", 1999),
    ("Pretty Woman", 1990),
    ("Sleepless in Seattle", 1993),
    ("Four Weddings and a Funeral", 1994),
];

fn model() -> Model {
    let bytes = std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/web/model.bin"))
        .expect("web/model.bin is committed");
    Model::from_bytes(&bytes).expect("the shipped bundle decodes")
}

/// The catalogue film with this display title and year, found through the app's search.
fn find(model: &Model, title: &str, year: u16) -> usize {
    model
        .search(title, 20)
        .into_iter()
        .find(|&i| model.movie(i).title == title && model.movie(i).year == Some(year))
        .unwrap_or_else(|| panic!("{title} ({year}) is not found by search"))
}

/// A new visitor's top 10 after rating these films 5★, with the reasons' named films.
fn top10(model: &Model, films: &[(&str, u16)]) -> (Vec<usize>, Visitor) {
    let mut p = Profile::default();
    for (at, &(title, year)) in films.iter().enumerate() {
        p.rate(
            model.stable_id(find(model, title, year)),
            5.0,
            Scale::Stars,
            at as i64,
        );
    }
    let v = Visitor::new(model, &p);
    let request = ListRequest {
        top: 10,
        ..ListRequest::new(&Settings::default())
    };
    let list = v.recommend(model, &request).unwrap();
    let taste: Taste<'_> = v.taste().unwrap();
    for e in &list {
        for r in &e.reasons {
            if let Reason::BecauseYou { item, .. } = r {
                let h = model
                    .implicit()
                    .map(|imp| imp.factors(e.rec.item, model.content_row(e.rec.item)));
                assert!(
                    is_like(model, &taste, h.as_deref(), *item, e.rec.item, &mut None),
                    "{} names {}, which is not like it",
                    model.movie(e.rec.item).title,
                    model.movie(*item).title
                );
            }
        }
    }
    let titles: Vec<String> = list
        .iter()
        .map(|e| {
            let why: Vec<String> = e.reasons.iter().map(|r| r.describe(model)).collect();
            format!("{} — {}", model.movie(e.rec.item).title, why.join("; "))
        })
        .collect();
    eprintln!("{}:\n  {}", films[0].0, titles.join("\n  "));
    (list.iter().map(|e| e.rec.item).collect(), v)
}

#[test]
fn a_horror_fan_and_a_romantic_comedy_fan_get_their_own_lists() {
    let model = model();
    let (horror, _) = top10(&model, &HORROR);
    let (romcom, _) = top10(&model, &ROMCOM);
    let a: HashSet<usize> = horror.iter().copied().collect();
    let shared = romcom.iter().filter(|i| a.contains(i)).count();
    assert!(shared <= 3, "their top 10s share {shared} films");
    let genre = |name: &str, list: &[usize]| {
        let mask = model.genre_mask(name).unwrap();
        list.iter()
            .filter(|&&i| model.movie(i).genres & mask != 0)
            .count()
    };
    assert!(
        genre("Horror", &horror) > genre("Horror", &romcom),
        "the horror fan's list has more horror"
    );
    assert!(
        genre("Romance", &romcom) > genre("Romance", &horror),
        "the romantic-comedy fan's list has more romance"
    );
}
