//! "Take the list elsewhere": the list or the watchlist as a Letterboxd list import
//! (`Title,Year,imdbID`) or as a plain CSV with the visitor's predictions, made by the engine
//! (`moviematch::export`) and handed over as downloads. Nothing is sent anywhere.

use moviematch::export::{letterboxd_csv, predictions_csv, ExportRow};
use yew::prelude::*;

use crate::services::files;
use crate::state::ModelRef;

/// The two download links for `rows`; `what` names the files ("list", "watchlist").
pub fn export_links(model: &ModelRef, rows: Vec<ExportRow>, what: &'static str) -> Html {
    let offer = |letterboxd: bool| {
        let (model, rows) = (model.clone(), rows.clone());
        Callback::from(move |_: MouseEvent| {
            let (y, m, d) = files::today();
            let (text, name) = if letterboxd {
                (letterboxd_csv(&model, &rows), "letterboxd")
            } else {
                (predictions_csv(&model, &rows), "predictions")
            };
            let file = format!("moviematch-{what}-{name}-{y}-{m:02}-{d:02}.csv");
            if let Err(e) = files::download(&file, "text/csv", &text) {
                gloo::console::warn!(e);
            }
        })
    };
    html! {
        <p class="export-links">
            { "Download it: " }
            <button type="button" class="link-btn" onclick={offer(true)} data-testid="export-letterboxd"
                    title="A CSV that Letterboxd imports as a list (Title, Year, IMDb id)">{ "Letterboxd list" }</button>
            { " · " }
            <button type="button" class="link-btn" onclick={offer(false)} data-testid="export-csv"
                    title="A CSV with IMDb id, title, year and your predicted rating with its 80% range">{ "CSV with predictions" }</button>
        </p>
    }
}

/// The rows of a list the page shows: each film with its prediction.
pub fn rows_of<'a>(recs: impl Iterator<Item = &'a moviematch::Recommendation>) -> Vec<ExportRow> {
    recs.map(|r| ExportRow {
        item: r.item,
        prediction: Some((r.mean, r.interval80)),
    })
    .collect()
}
