//! How many films enter a top-k list when every candidate's score moves along a line: the
//! inner loop of the questions' expected list change (`moviematch::elicit`), run a few
//! thousand times per question, so it is here, at opt-level 3 (in the browser it took a
//! quarter of a question's time at the engine's "z").

use crate::top::best_first;

/// One target's move: per unit of the answer's λ (`.0`), and regardless of it (`.1`).
pub type Line = (f64, f64);

/// Adds `k·slope[t]` to each target's per-λ move and, when given, `offset[t]` to its fixed
/// move.
// Kept out of line: inlined by LTO into the engine, it would be built for size with its caller.
#[inline(never)]
pub fn add_line(line: &mut [Line], k: f64, slope: &[f64], offset: Option<&[f64]>) {
    for (o, m) in line.iter_mut().zip(slope) {
        o.0 += k * m;
    }
    if let Some(offset) = offset {
        for (o, v) in line.iter_mut().zip(offset) {
            o.1 += v;
        }
    }
}

/// Targets entering the first `top` when target t's score moves from `scores[t]` to
/// `scores[t] + λ·line[t].0 + line[t].1`; targets in `gone` are left out of both lists.
/// `scores` must be best first (ties by index, as [`best_first`] orders), so the list before
/// is the first `top` kept targets.
///
/// Allocates nothing (`scratch` is reused) and sorts little: a later target can only enter if
/// its new score beats the worst insider's (all `top` insiders at least that high, and ahead
/// of it on a tie, would otherwise fill the list), so only those few join the insiders in the
/// selection.
/// Kept out of line, as [`add_line`].
#[inline(never)]
pub fn entering(
    scores: &[f64],
    line: &[Line],
    gone: &[Option<usize>],
    lambda: f64,
    top: usize,
    scratch: &mut Vec<(f64, usize)>,
) -> usize {
    let kept = scores.len() - gone.iter().flatten().count();
    let top = top.min(kept);
    if top == 0 {
        return 0;
    }
    scratch.clear();
    let mut worst_insider = f64::INFINITY;
    for (t, (score, (slope, offset))) in scores.iter().zip(line).enumerate() {
        if gone.contains(&Some(t)) {
            continue;
        }
        let moved = score + lambda * slope + offset;
        // total_cmp, as the selection orders (so even −0 and 0 are told apart).
        if scratch.len() < top {
            if moved.total_cmp(&worst_insider).is_lt() {
                worst_insider = moved;
            }
            scratch.push((moved, t));
        } else if moved.total_cmp(&worst_insider).is_gt() {
            scratch.push((moved, t));
        }
    }
    if scratch.len() == top {
        return 0;
    }
    let last_before = scratch[top - 1].1;
    scratch.select_nth_unstable_by(top - 1, best_first);
    scratch[..top]
        .iter()
        .filter(|(_, t)| *t > last_before)
        .count()
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The count by brute force: sort both lists in full and count the new top's newcomers.
    fn brute(
        scores: &[f64],
        line: &[Line],
        gone: &[Option<usize>],
        lambda: f64,
        top: usize,
    ) -> usize {
        let kept: Vec<usize> = (0..scores.len())
            .filter(|t| !gone.contains(&Some(*t)))
            .collect();
        let top_of = |s: &dyn Fn(usize) -> f64| {
            let mut v: Vec<(f64, usize)> = kept.iter().map(|&t| (s(t), t)).collect();
            v.sort_by(best_first);
            v.truncate(top);
            v.into_iter().map(|(_, t)| t).collect::<Vec<_>>()
        };
        let before = top_of(&|t| scores[t]);
        let after = top_of(&|t| scores[t] + lambda * line[t].0 + line[t].1);
        after.iter().filter(|t| !before.contains(t)).count()
    }

    proptest! {
        #[test]
        fn entering_counts_what_a_full_sort_counts(
            raw in prop::collection::vec((-3i8..3, -2i8..3, -2i8..3), 0..40),
            gone_a in 0usize..45,
            gone_b in 0usize..45,
            lambda in -2i8..3,
            top in 0usize..25,
        ) {
            // Small integers, so ties (which the index breaks) are common.
            let mut scores: Vec<f64> = raw.iter().map(|r| r.0 as f64).collect();
            scores.sort_by(|a, b| b.total_cmp(a));
            let line: Vec<Line> = raw.iter().map(|r| (r.1 as f64 / 2.0, r.2 as f64 / 2.0)).collect();
            let gone = [Some(gone_a).filter(|&g| g < scores.len()), Some(gone_b).filter(|&g| g < scores.len() && g != gone_a)];
            let mut scratch = Vec::new();
            prop_assert_eq!(
                entering(&scores, &line, &gone, lambda as f64, top, &mut scratch),
                brute(&scores, &line, &gone, lambda as f64, top)
            );
        }
    }

    #[test]
    fn add_line_adds_the_scaled_slope_and_the_offset() {
        let mut line = vec![(1.0, 0.5), (0.0, 0.0)];
        add_line(&mut line, 2.0, &[1.0, -1.0], Some(&[0.25, 1.0]));
        assert_eq!(line, vec![(3.0, 0.75), (-2.0, 1.0)]);
        add_line(&mut line, 1.0, &[1.0, 1.0], None);
        assert_eq!(line, vec![(4.0, 0.75), (-1.0, 1.0)]);
    }
}
