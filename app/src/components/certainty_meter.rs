//! "How sure the model now is": a bar and a percentage (computed by the engine, `moviematch::certainty`; the
//! tooltip says exactly what it measures, so the number is not oversold).

use yew::prelude::*;

use super::BarFill;

const EXPLAIN: &str = "How much of the model's uncertainty about your taste your answers have \
removed, for the movies now at the top of your list: 0% before any answer, 100% only if it knew \
your taste exactly. Uncertainty about the movies themselves and the wobble in anyone's ratings \
are not counted.";

/// The meter for `value` in [0, 1] (`None` when nothing listed to measure it on). A view
/// function (nothing to keep between renders).
pub fn certainty_meter(value: Option<f64>) -> Html {
    let pct = value.map(|v| (v * 100.0).round() as u32);
    let text = match pct {
        Some(p) => format!("The model is {p}% sure of your taste"),
        None => "Nothing listed to measure certainty on".to_string(),
    };
    html! {
        <div class="certainty" data-testid="certainty" title={EXPLAIN}>
            <span class="certainty-text">{ text }<span class="info" aria-hidden="true">{ "i" }</span></span>
            <div class="bar" role="meter" aria-valuemin="0" aria-valuemax="100"
                 aria-valuenow={pct.map(|p| p.to_string())} aria-label="How sure the model is of your taste"
                 aria-description={EXPLAIN}>
                <BarFill percent={pct.unwrap_or(0)} />
            </div>
        </div>
    }
}
