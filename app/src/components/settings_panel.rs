//! Filters and ranking settings, folded away under the list heading (`<details>`, so it opens
//! and closes without any state of ours). Everything edits `profile.settings`, which the list
//! ranks with (`Settings::rank_options`) and the profile stores, so a reload keeps it.

use moviematch::profile::Settings;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::{genre_chips, slider_setting};

#[derive(Properties, PartialEq)]
pub struct Props {
    pub names: Vec<String>,
    pub settings: Settings,
    pub on_change: Callback<Settings>,
}

/// IMDb rating thresholds offered.
const IMDB_MIN: [f32; 7] = [5.0, 6.0, 6.5, 7.0, 7.5, 8.0, 8.5];
/// IMDb vote-count thresholds offered.
const VOTES_MIN: [u32; 5] = [1_000, 10_000, 50_000, 100_000, 500_000];
/// Years a filter may name.
const YEARS: std::ops::RangeInclusive<u16> = 1870..=2100;

/// A year typed in a box: empty or out of range means no limit.
fn parse_year(s: &str) -> Option<u16> {
    s.trim().parse::<u16>().ok().filter(|y| YEARS.contains(y))
}

/// How many filters differ from "everything", for the summary line.
fn active_filters(s: &Settings) -> usize {
    let f = &s.filter;
    [
        f.genres_any != 0,
        f.genres_none != 0,
        f.year_min.is_some(),
        f.year_max.is_some(),
        f.imdb_min.is_some(),
        f.votes_min.is_some(),
        s.exclude_saved,
    ]
    .into_iter()
    .filter(|&b| b)
    .count()
}

/// A control's callback: `set` puts the control's value into a copy of the settings, which goes
/// up whole.
fn edit<T: 'static>(props: &Props, set: fn(&mut Settings, T)) -> Callback<T> {
    let settings = props.settings.clone();
    props.on_change.reform(move |v: T| {
        let mut next = settings.clone();
        set(&mut next, v);
        next
    })
}

/// A view function, not a component: it keeps nothing between renders, and each component
/// costs the wasm its own lifecycle code.
pub fn settings_panel(props: &Props) -> Html {
    let s = &props.settings;
    let input_value = |e: Event| e.target_unchecked_into::<HtmlInputElement>().value();
    let select_value = |e: Event| e.target_unchecked_into::<HtmlSelectElement>().value();
    let year_min =
        edit(props, |s, v: String| s.filter.year_min = parse_year(&v)).reform(input_value);
    let year_max =
        edit(props, |s, v: String| s.filter.year_max = parse_year(&v)).reform(input_value);
    let imdb = edit(props, |s, v: String| {
        s.filter.imdb_min = v.parse::<f32>().ok().filter(|r| r.is_finite())
    })
    .reform(select_value);
    let votes = edit(props, |s, v: String| {
        s.filter.votes_min = v.parse::<u32>().ok()
    })
    .reform(select_value);
    let checked = |e: Event| e.target_unchecked_into::<HtmlInputElement>().checked();
    let exclude_saved = edit(props, |s, on: bool| s.exclude_saved = on).reform(checked);
    let drift = edit(props, |s, on: bool| s.drift = on).reform(checked);
    let mask = |set: fn(&mut Settings, u32)| edit(props, set);
    let knob = |set: fn(&mut Settings, f32)| edit(props, set);
    let reset = props.on_change.reform(|_: MouseEvent| Settings::default());
    let year = |y: Option<u16>| y.map(|y| y.to_string()).unwrap_or_default();
    let active = active_filters(s);
    let imdb_options = IMDB_MIN.iter().map(|&r| {
        html! { <option value={r.to_string()} selected={s.filter.imdb_min == Some(r)}>{ format!("{r:.1} or more") }</option> }
    });
    let votes_options = VOTES_MIN.iter().map(|&v| {
        html! { <option value={v.to_string()} selected={s.filter.votes_min == Some(v)}>{ format!("{} or more", crate::format::thousands(v as usize)) }</option> }
    });
    html! {
        <details class="settings" data-testid="settings">
            <summary>
                { "Filters & settings" }
                if active > 0 { <span class="count" data-testid="active-filters">{ format!("{active} active") }</span> }
            </summary>
            <div class="settings-body">
                <fieldset>
                    <legend>{ "Only these genres" }<span class="hint-inline">{ " (any of them; none ticked = all)" }</span></legend>
                    { genre_chips(&super::genre_chips::Props {
                        names: props.names.clone(),
                        mask: s.filter.genres_any,
                        id: "include".into(),
                        on_change: mask(|s, m| s.filter.genres_any = m),
                    }) }
                </fieldset>
                <fieldset>
                    <legend>{ "Never these genres" }</legend>
                    { genre_chips(&super::genre_chips::Props {
                        names: props.names.clone(),
                        mask: s.filter.genres_none,
                        id: "exclude".into(),
                        on_change: mask(|s, m| s.filter.genres_none = m),
                    }) }
                </fieldset>
                <fieldset class="filter-row">
                    <legend>{ "Movie" }</legend>
                    <label>{ "Year from " }
                        <input type="number" id="year-min" inputmode="numeric" min="1870" max="2100" placeholder="any"
                               value={year(s.filter.year_min)} onchange={year_min} /></label>
                    <label>{ "to " }
                        <input type="number" id="year-max" inputmode="numeric" min="1870" max="2100" placeholder="any"
                               value={year(s.filter.year_max)} onchange={year_max} /></label>
                    <label>{ "IMDb rating " }
                        <select id="imdb-min" onchange={imdb}>
                            <option value="" selected={s.filter.imdb_min.is_none()}>{ "any" }</option>
                            { for imdb_options }
                        </select></label>
                    <label>{ "IMDb votes " }
                        <select id="votes-min" onchange={votes}>
                            <option value="" selected={s.filter.votes_min.is_none()}>{ "any" }</option>
                            { for votes_options }
                        </select></label>
                    <label class="check">
                        <input type="checkbox" id="exclude-saved" checked={s.exclude_saved} onchange={exclude_saved} />
                        { "Hide my watchlist" }</label>
                </fieldset>
                <fieldset class="sliders">
                    <legend>{ "How the list is made" }</legend>
                    { slider_setting("set-exploration", "Exploration", (0.0, 3.0), s.exploration, knob(|s, v| s.exploration = v),
                        "0 lists the model’s best guess. Higher lists what your taste might be, drawn afresh after each answer: more surprises, some misses.") }
                    { slider_setting("set-popularity", "Popularity", (-1.0, 3.0), s.popularity, knob(|s, v| s.popularity = v),
                        "Higher favours movies most people know; below 0 favours lesser-known ones.") }
                    { slider_setting("set-caution", "Caution", (0.0, 3.0), s.caution, knob(|s, v| s.caution = v),
                        "Higher avoids movies the model knows little about (few ratings anywhere).") }
                    { slider_setting("set-diversity", "Diversity", (0.0, 3.0), s.diversity, knob(|s, v| s.diversity = v),
                        "Higher avoids listing many movies that are alike.") }
                    { slider_setting("set-genre-distance", "Stay close ↔ surprise me", (-1.0, 1.0), s.genre_distance, knob(|s, v| s.genre_distance = v),
                        "Below 0 keeps to the genres you like; above 0 leads you away from them. 0: genres play no part of their own.") }
                    <label class="check">
                        <input type="checkbox" id="set-drift" data-testid="set-drift" checked={s.drift} onchange={drift} />
                        { "Recent ratings count more" }</label>
                    <p class="hint small">{ "An answer half a year older than your latest counts a quarter. Ratings imported before this version all carry the import’s date." }</p>
                </fieldset>
                <button type="button" class="btn small ghost" onclick={reset} data-testid="settings-reset">{ "Reset all to defaults" }</button>
            </div>
        </details>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn years_and_active_count() {
        assert_eq!(parse_year(" 1999 "), Some(1999));
        assert_eq!(parse_year(""), None);
        assert_eq!(parse_year("20000"), None);
        assert_eq!(parse_year("-5"), None);
        let mut s = Settings::default();
        assert_eq!(active_filters(&s), 0);
        s.filter.year_min = Some(2000);
        s.exclude_saved = true;
        assert_eq!(active_filters(&s), 2);
    }
}
