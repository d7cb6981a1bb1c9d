//! "Import your ratings": a drop zone and a file picker for an IMDb or Letterboxd export, or a
//! MovieMatch profile downloaded earlier. The file is read in the page (never uploaded) and its
//! bytes handed up: the reducer has `crate::import` understand them against the whole catalogue
//! (at once, or when the rest of the catalogue has loaded) into a preview to decide on, or a
//! reason it cannot be imported. Files over 64 MB are refused before they are read.

use web_sys::{DragEvent, File, HtmlInputElement};
use yew::prelude::*;

use crate::by_address::ByAddress;
use crate::import::too_big;
use crate::services::files;
use crate::state::Intent;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub on_act: Callback<Intent>,
}

/// What the file types the picker offers are (extensions and MIME types).
const ACCEPT: &str = ".csv,.zip,.json,text/csv,application/zip,application/json";

#[function_component(ImportPanel)]
pub fn import_panel(props: &Props) -> Html {
    let over = use_state(|| false);
    let reading = use_state(|| None::<String>);

    let start = {
        let (on_act, reading) = (props.on_act.clone(), reading.clone());
        Callback::from(move |file: File| {
            let name = file.name();
            if let Some(why) = too_big(file.size()) {
                on_act.emit(Intent::ImportFailed(name, why));
                return;
            }
            reading.set(Some(name.clone()));
            let (on_act, reading) = (on_act.clone(), reading.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let read = match files::read_bytes(&file).await {
                    Ok(bytes) => unzipped(bytes).await,
                    Err(e) => Err(e),
                };
                reading.set(None);
                on_act.emit(match read {
                    Ok(bytes) => Intent::ImportRead(name, ByAddress(std::rc::Rc::new(bytes))),
                    Err(why) => Intent::ImportFailed(name, why),
                });
            });
        })
    };
    let onchange = {
        let start = start.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Some(file) = input.files().and_then(|l| l.get(0)) {
                start.emit(file);
            }
            // Choosing the same file again (after fixing it) fires `change` again.
            input.set_value("");
        })
    };
    // dragover must be cancelled for the zone to accept a drop.
    let on_over = {
        let over = over.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            if !*over {
                over.set(true);
            }
        })
    };
    let on_leave = {
        let over = over.clone();
        Callback::from(move |_: DragEvent| over.set(false))
    };
    let on_drop = {
        let over = over.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            over.set(false);
            if let Some(file) = e
                .data_transfer()
                .and_then(|d| d.files())
                .and_then(|l| l.get(0))
            {
                start.emit(file);
            }
        })
    };
    let status = reading
        .as_ref()
        .map(|name| format!("Reading “{name}”…"))
        .unwrap_or_default();

    html! {
        <section class="card import" data-testid="import" aria-labelledby="import-h">
            <h2 id="import-h">{ "Import your ratings" }</h2>
            <p class="sub">
                { "From an IMDb ratings export (.csv), a Letterboxd export (.zip or ratings.csv), or a MovieMatch profile you downloaded (.json). The file is read here, in your browser: nothing is uploaded." }
            </p>
            <div class={classes!("dropzone", over.then_some("over"))} data-testid="import-drop"
                 ondragenter={on_over.clone()} ondragover={on_over} ondragleave={on_leave} ondrop={on_drop}>
                <span class="dropzone-icon" aria-hidden="true">{ "⇪" }</span>
                <p class="dropzone-text"><strong>{ "Drop the file here" }</strong></p>
                <p class="dropzone-or">{ "or" }</p>
                <input id="import-file" class="visually-hidden file-input" type="file" accept={ACCEPT}
                       {onchange} data-testid="import-file" />
                <label for="import-file" class="btn">{ "Choose a file…" }</label>
                <p class="hint dropzone-status" role="status" aria-live="polite">{ status }</p>
            </div>
            <details class="howto">
                <summary>{ "Where do I get my export?" }</summary>
                <ul>
                    <li><strong>{ "IMDb: " }</strong>{ "open “Your ratings”, then the ⋮ menu → “Export”. IMDb emails a link to a .csv file." }</li>
                    <li><strong>{ "Letterboxd: " }</strong>{ "Settings → “Data” → “Export your data”. Import the .zip as it is." }</li>
                    <li><strong>{ "MovieMatch: " }</strong>{ "“Download my data” on this site gives a .json file you can bring to another browser." }</li>
                </ul>
            </details>
        </section>
    }
}

/// A Letterboxd export zip's `ratings.csv`, taken out here (the engine finds and checks it, the
/// browser inflates it: the wasm carries no inflater); any other file as it is.
async fn unzipped(bytes: Vec<u8>) -> Result<Vec<u8>, String> {
    use moviematch::import::{is_zip, ratings_entry, MAX_ENTRY_BYTES};
    if !is_zip(&bytes) {
        return Ok(bytes);
    }
    let entry = ratings_entry(&bytes).map_err(|e| e.to_string())?;
    let inflated = if entry.deflated {
        Some(crate::services::streams::inflate_raw(entry.data, MAX_ENTRY_BYTES as usize).await)
    } else {
        None
    };
    entry.finish(inflated).map_err(|e| e.to_string())
}
