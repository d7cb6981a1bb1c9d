//! What importing a file would do, before anything is written: its counts, a choice for every
//! row with several candidate movies, the rows this catalogue does not have (kept for a later
//! one), and the decision: merge (the visitor's own ratings win), replace (confirmed in the
//! page first) or cancel.

use std::rc::Rc;

use moviematch::import_plan::{ImportMode, ImportPlan, RowMatch};
use moviematch::Profile;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use super::Confirm;
use crate::format::count;
use crate::import::{given, plan_summary, profile_summary, row_label};
use crate::state::notices::answers_phrase;
use crate::state::notices::NOTHING_TO_IMPORT;
use crate::state::Incoming;
use crate::state::{Intent, ModelRef, PendingImport};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub model: ModelRef,
    pub pending: PendingImport,
    /// The visitor's own profile (only read, to say what merging keeps).
    pub mine: Rc<Profile>,
    /// The stored profile could not be read and is held (see `state::Held`): the visitor's
    /// data is not just this tab's (empty) profile.
    #[prop_or_default]
    pub held: bool,
    pub on_act: Callback<Intent>,
}

/// Unmatched rows listed at most (the count says how many there are).
const LIST_MAX: usize = 300;

/// A view function, not a component: it keeps nothing between renders, and each component
/// costs the wasm its own lifecycle code.
pub fn import_preview(props: &Props) -> Html {
    let p = &props.pending;
    let mine = props.mine.ratings().len();
    let (summary, body, merge_note, replace_what, question) = match &p.incoming {
        Incoming::Ratings(plan) => {
            // A dry run on a copy: how many of the file's movies the visitor rated already.
            let mut copy = (*props.mine).clone();
            let kept = plan
                .apply(&props.model, &mut copy, ImportMode::Merge, 0)
                .kept_yours;
            let merge_note = match kept {
                0 => "“Merge” adds them to your ratings.".to_string(),
                k => format!(
                    "You have already rated {k} of these movies: “Merge” keeps your own ratings for them."
                ),
            };
            let replace_what = format!(
                "Your own {} will be withdrawn; comparisons, likes and settings stay.",
                count(mine, "rating", "ratings")
            );
            (
                plan_summary(plan, &p.declined),
                rows(props, plan),
                merge_note,
                replace_what,
                "Replace your ratings with this file’s?",
            )
        }
        Incoming::Profile(other) => {
            let mut copy = (*props.mine).clone();
            let done = copy.merge_from(other, &*props.model, 0);
            let merge_note = match answers_phrase(done) {
                None => "You already have everything in this file.".to_string(),
                Some(added) => format!(
                    "“Merge” adds the {added} you do not have; where you both answered, yours stay."
                ),
            };
            let replace_what = format!(
                "Your own {}, other answers and settings will be replaced by the file’s.",
                count(mine, "rating", "ratings")
            );
            (
                profile_summary(other.answer_counts()),
                Html::default(),
                merge_note,
                replace_what,
                "Replace your whole profile with this one?",
            )
        }
    };
    let act = |intent: Intent| props.on_act.reform(move |_: MouseEvent| intent.clone());
    // A file with no rating (only its header, say): merging adds nothing and replacing would
    // only withdraw the visitor's ratings, so neither is offered.
    let empty = p.incoming.is_empty();
    let confirm = (p.confirm_replace && !empty).then(|| {
        let what = if props.held {
            "Your saved profile could not be read here: it is kept as a backup copy in this \
             browser’s storage before anything is written (“Download my data” gives it as it is)."
                .to_string()
        } else if props.mine.events.is_empty() {
            "You have no answers of your own yet, so nothing is lost.".to_string()
        } else {
            format!("{replace_what} This cannot be undone.")
        };
        let on_yes = props
            .on_act
            .reform(|()| Intent::ImportApply(ImportMode::Replace));
        let on_cancel = props.on_act.reform(|()| Intent::ImportAskReplace(false));
        Confirm {
            testid: "import-confirm",
            question_id: "import-replace-q",
            question,
            detail: &what,
            yes: "Yes, replace my ratings",
            yes_testid: "import-replace-confirm",
            on_yes,
            on_cancel,
            class: "confirm",
            actions_class: "actions",
        }
        .view()
    });
    html! {
        <section class="card import-preview" data-testid="import-preview" aria-labelledby="import-preview-h">
            <h2 id="import-preview-h">{ "Import " }<span class="file-name">{ format!("“{}”", p.file) }</span></h2>
            <p class="import-summary" data-testid="import-summary">{ summary }</p>
            { body }
            if empty {
                <p class="hint" role="status" data-testid="import-empty">{ NOTHING_TO_IMPORT }</p>
            } else {
                <p class="hint">{ merge_note }{ " Nothing is written until you choose." }</p>
            }
            <div class="actions">
                <button type="button" class="btn small" onclick={act(Intent::ImportApply(ImportMode::Merge))}
                        disabled={empty} data-testid="import-merge">{ "Merge into my ratings" }</button>
                <button type="button" class="btn small ghost" onclick={act(Intent::ImportAskReplace(true))}
                        disabled={p.confirm_replace || empty} data-testid="import-replace">{ "Replace my ratings" }</button>
                <button type="button" class="btn small ghost" onclick={act(Intent::ImportCancel)}
                        data-testid="import-cancel">{ "Cancel" }</button>
            </div>
            { for confirm }
        </section>
    }
}

/// The rows that need the visitor: a choice for each ambiguous one, and the list of the rows
/// the catalogue does not have.
fn rows(props: &Props, plan: &ImportPlan) -> Html {
    let model = &props.model;
    let ambiguous = plan.rows.iter().enumerate().filter_map(|(i, row)| match &row.status {
        RowMatch::Ambiguous { candidates, chosen } => {
            let declined = props.pending.declined.contains(&i);
            let onchange = props.on_act.reform(move |e: Event| {
                let v = e.target_unchecked_into::<HtmlSelectElement>().value();
                Intent::ImportChoose(i, v.parse::<usize>().ok())
            });
            let options = candidates.iter().map(|&c| {
                let m = model.movie(c);
                let label = match m.year {
                    Some(y) => format!("{} ({y})", m.title),
                    None => m.title.clone(),
                };
                html! { <option value={c.to_string()} selected={*chosen == Some(c)}>{ label }</option> }
            });
            let id = format!("import-choose-{i}");
            Some(html! {
                <li class="choice" data-testid="import-ambiguous">
                    <label for={id.clone()} class="movie">
                        <span class="title">{ row_label(row) }</span>
                        <span class="meta">{ format!("rated {} · {} possible movies", given(row), candidates.len()) }</span>
                    </label>
                    <select id={id} {onchange} data-testid="import-choose">
                        <option value="" disabled=true selected={chosen.is_none() && !declined}>{ "Which movie is it?" }</option>
                        { for options }
                        <option value="none" selected={declined}>{ "None of these (keep unmatched)" }</option>
                    </select>
                </li>
            })
        }
        _ => None,
    });
    let ambiguous: Vec<Html> = ambiguous.collect();
    let unmatched: Vec<_> = plan
        .rows
        .iter()
        .filter(|r| matches!(r.status, RowMatch::Unmatched))
        .collect();
    let choose = (!ambiguous.is_empty()).then(|| {
        html! {
            <div class="import-choose">
                <h3>{ "Which movie did you mean?" }</h3>
                <p class="hint">{ "These titles fit several movies in the catalogue (best known first). Rows left undecided are kept unmatched." }</p>
                <ul class="choices">{ for ambiguous }</ul>
            </div>
        }
    });
    let kept = (!unmatched.is_empty()).then(|| {
        let more = unmatched.len().saturating_sub(LIST_MAX);
        let items = unmatched.iter().take(LIST_MAX).map(|r| {
            html! {
                <li><span class="title">{ row_label(r) }</span><span class="meta">{ given(r) }</span></li>
            }
        });
        html! {
            <details class="import-unmatched" data-testid="import-unmatched">
                <summary>{ format!("{} not in this catalogue (kept for later)", count(unmatched.len(), "row", "rows")) }</summary>
                <p class="hint">{ "They are stored in your profile as they are, unused until a catalogue that has them." }</p>
                <ul class="plain">
                    { for items }
                    if more > 0 { <li class="hint">{ format!("… and {more} more") }</li> }
                </ul>
            </details>
        }
    });
    html! { <>{ for choose }{ for kept }</> }
}
