//! The implicit model's settings on the fold-in protocol: for each setting given as
//! `k=64,a=0.1,l=0.01,nu=1,c=0,e=16` (K, α₀, λ, ν, λ_c, epochs), NDCG@10, Recall@20,
//! overlap@20 and coverage@20, beside `ease`: `select` pools the users a choice may look at
//! (seed 42's tuning half and the held-out users of seeds 43 and 44 who are not in seed 42's
//! reported half, ~250 users: one split's ~60 tuning users leave an NDCG standard error near
//! 0.04), `report` is seed 42's reported half (what `tools eval` prints). `cold` and `tail` rank only the films without training ratings
//! (only held-out users rated them: placed by content) or with 1–5, for the `select` users'
//! liked targets among them; `imdb-votes` orders them by IMDb votes, for reference.
//!
//! cargo run --release -p moviematch-tools --example ials_sweep -- DIR/ml-latest-small \
//!     k=32,a=0.1 k=64,a=0.1 ...

use std::path::PathBuf;
use std::time::Instant;

use moviematch_tools::data::inputs::load_inputs;
use moviematch_tools::eval::adapters::side_info;
use moviematch_tools::eval::baselines::ease::Ease;
use moviematch_tools::eval::baselines::ials::Ials;
use moviematch_tools::eval::baselines::{Recommender, TrainData, UserQuery};
use moviematch_tools::eval::foldin::{self, FoldUser};
use moviematch_tools::eval::metrics::{combine_with_sets, ModelScore, UserScore};
use moviematch_tools::train::ials::IalsParams;

fn parse(s: &str) -> IalsParams {
    let mut p = IalsParams::default();
    for kv in s.split(',').filter(|t| !t.is_empty()) {
        let (k, v) = kv.split_once('=').expect("key=value");
        match k {
            "k" => p.k = v.parse().unwrap(),
            "a" => p.unobserved_weight = v.parse().unwrap(),
            "l" => p.reg = v.parse().unwrap(),
            "nu" => p.reg_exponent = v.parse().unwrap(),
            "c" => p.content_reg = v.parse().unwrap(),
            "e" => p.epochs = v.parse().unwrap(),
            other => panic!("unknown key {other}"),
        }
    }
    p
}

fn score(m: &dyn Recommender, users: &[&FoldUser], n_items: usize) -> ModelScore {
    combine_with_sets(m.name(), &user_scores(m, users, n_items), false, n_items)
}

fn user_scores(m: &dyn Recommender, users: &[&FoldUser], n_items: usize) -> Vec<UserScore> {
    foldin::score_recommender(m, users, n_items, None)
}

/// Films with training ratings in `lo..=hi`.
fn by_count(r: &moviematch_tools::data::movielens::Ratings, lo: u32, hi: u32) -> Vec<bool> {
    let mut c = vec![0u32; r.n_items()];
    for &i in &r.item {
        c[i as usize] += 1;
    }
    c.iter().map(|&c| (lo..=hi).contains(&c)).collect()
}

/// NDCG@10 and Recall@20 over the films of one popularity band, pooled over the splits.
fn band(
    splits: &[Split],
    fit: &dyn Fn(&TrainData) -> Box<dyn Recommender>,
    lo: u32,
    hi: u32,
) -> ModelScore {
    let mut pooled = Vec::new();
    for s in splits {
        let m = fit(&s.data());
        let keep = by_count(&s.fold.train, lo, hi);
        pooled.extend(foldin::score_recommender(
            m.as_ref(),
            &s.select(),
            keep.len(),
            Some(&keep),
        ));
    }
    combine_with_sets("", &pooled, false, 1)
}

/// Ranks by IMDb votes: the non-personal reference for the bands.
struct Votes(Vec<u32>);

impl Recommender for Votes {
    fn name(&self) -> &'static str {
        "imdb-votes"
    }
    fn predicts_ratings(&self) -> bool {
        false
    }
    fn predict(&self, _: UserQuery<'_>, items: &[u32], out: &mut [f32]) {
        for (o, &i) in out.iter_mut().zip(items) {
            *o = self.0[i as usize] as f32;
        }
    }
}

fn line(m: &ModelScore) -> String {
    let f = |v: Option<f64>| v.map_or("–".into(), |v| format!("{v:.4}"));
    format!(
        "ndcg@10 {} recall@20 {} overlap@20 {} coverage@20 {}",
        f(m.ndcg_10),
        f(m.recall_20),
        f(m.overlap_20),
        f(m.coverage_20)
    )
}

/// One fold-in split with its training data.
struct Split {
    fold: foldin::FoldIn,
    side: moviematch_tools::eval::baselines::SideInfo,
    seed: u64,
    /// Seed 42's reported users (dense user ids): never selected on.
    reported: std::collections::HashSet<u32>,
}

impl Split {
    fn data(&self) -> TrainData<'_> {
        TrainData {
            ratings: &self.fold.train,
            side: &self.side,
        }
    }
    /// The users a choice may look at.
    fn select(&self) -> Vec<&FoldUser> {
        self.fold
            .users
            .iter()
            .filter(|u| (self.seed != 42 || u.tuning) && !self.reported.contains(&u.user))
            .collect()
    }
}

/// `select` over every split (users pooled; overlap and coverage averaged over the splits)
/// and seed 42's `report`.
fn both(
    splits: &[Split],
    fit: &dyn Fn(&TrainData) -> Box<dyn Recommender>,
) -> (ModelScore, ModelScore) {
    let mut pooled = Vec::new();
    let (mut overlap, mut coverage) = (0.0, 0.0);
    let mut report = None;
    for s in splits {
        let m = fit(&s.data());
        let n = s.fold.train.n_items();
        let users = user_scores(m.as_ref(), &s.select(), n);
        let one = combine_with_sets("", &users, false, n);
        overlap += one.overlap_20.unwrap_or(0.0) / splits.len() as f64;
        coverage += one.coverage_20.unwrap_or(0.0) / splits.len() as f64;
        pooled.extend(users);
        if s.seed == 42 {
            let r: Vec<&FoldUser> = s.fold.users.iter().filter(|u| !u.tuning).collect();
            report = Some(score(m.as_ref(), &r, n));
        }
    }
    let mut sel = combine_with_sets("", &pooled, false, 1);
    (sel.overlap_20, sel.coverage_20) = (Some(overlap), Some(coverage));
    (sel, report.expect("seed 42"))
}

fn main() {
    let mut args = std::env::args().skip(1);
    let ml = PathBuf::from(args.next().expect("a MovieLens folder"));
    let root = ml.parent().unwrap().to_path_buf();
    let (ratings, cat) =
        load_inputs(&ml, Some(&root.join("imdb")), Some(&root.join("ml-25m"))).unwrap();
    let reported: std::collections::HashSet<u32> = foldin::split(&ratings, 42)
        .users
        .iter()
        .filter(|u| !u.tuning)
        .map(|u| u.user)
        .collect();
    let splits: Vec<Split> = [42u64, 43, 44]
        .iter()
        .map(|&seed| {
            let fold = foldin::split(&ratings, seed);
            let side = side_info(&fold.train, &cat);
            Split {
                fold,
                side,
                seed,
                reported: reported.clone(),
            }
        })
        .collect();
    let users: usize = splits.iter().map(|s| s.select().len()).sum();
    eprintln!("{users} users to select on");
    let (sel, rep) = both(&splits, &|d| Box::new(Ease::fit(d)));
    println!("{:<38} select {}", "ease", line(&sel));
    println!("{:<38} report {}", "ease", line(&rep));
    let bands = std::env::var("BANDS").is_ok();
    if bands {
        let votes =
            |d: &TrainData| -> Box<dyn Recommender> { Box::new(Votes(d.side.imdb_votes.clone())) };
        println!(
            "{:<38} cold   {}",
            "imdb-votes",
            line(&band(&splits, &votes, 0, 0))
        );
        println!(
            "{:<38} tail   {}",
            "imdb-votes",
            line(&band(&splits, &votes, 1, 5))
        );
        println!(
            "{:<38} tail   {}",
            "ease",
            line(&band(&splits, &|d| Box::new(Ease::fit(d)), 1, 5))
        );
    }
    for s in args {
        let p = parse(&s);
        let t = Instant::now();
        let fit = |d: &TrainData| -> Box<dyn Recommender> { Box::new(Ials::fit_with(d, &p)) };
        let (sel, rep) = both(&splits, &fit);
        let secs = t.elapsed().as_secs_f64() / splits.len() as f64;
        println!("{s:<38} select {} ({secs:.1}s a fit)", line(&sel));
        println!("{s:<38} report {}", line(&rep));
        if bands {
            println!("{s:<38} cold   {}", line(&band(&splits, &fit, 0, 0)));
            println!("{s:<38} tail   {}", line(&band(&splits, &fit, 1, 5)));
        }
    }
}
