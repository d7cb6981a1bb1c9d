//! The one title normaliser: MovieLens title forms → display title, alternate titles, year,
//! and accent- and case-free match keys. Search, display and (later) import matching all go
//! through here so they can never disagree about what a title "is".
//!
//! MovieLens writes `Matrix, The (1999)`, `Amelie (Fabuleux destin d'Amélie Poulain, Le) (2001)`,
//! `Seven (a.k.a. Se7en) (1995)`, sometimes with a trailing space, a year range
//! (`Death Note: Desu nôto (2006–2007)`) or no year at all.

use crate::fold::fold;

/// A MovieLens title taken apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedTitle {
    /// Human title with the trailing article moved back to the front: "The Matrix".
    pub display: String,
    /// Other names in parentheses (original-language titles, a.k.a.), articles fixed too.
    pub alternates: Vec<String>,
    /// Release year (the first year of a range), if the title carries one.
    pub year: Option<u16>,
}

/// Articles MovieLens moves to the end ("Matrix, The"). Apostrophe forms attach without a space.
const ARTICLES: &[&str] = &[
    "The", "A", "An", "La", "Le", "Les", "L'", "I", "El", "Die", "Il", "Der", "Une", "Das", "Los",
    "De", "O", "Lo", "Den", "Un", "Las", "Det", "Os", "Het", "Gli", "Ein", "Eine", "Al", "Lei",
];

/// Parses a MovieLens title. Never fails: anything unrecognised is kept verbatim as the display title.
pub fn parse_title(raw: &str) -> ParsedTitle {
    let mut rest = raw.trim();
    let mut year = None;
    if let Some((before, inner)) = split_last_paren(rest) {
        if let Some(y) = parse_year(inner) {
            year = Some(y);
            rest = before;
        }
    }
    // Remaining trailing parentheses are alternate titles: "Amelie (Fabuleux destin…, Le)".
    let mut alternates = Vec::new();
    while let Some((before, inner)) = split_last_paren(rest) {
        if before.is_empty() {
            break;
        }
        let inner = inner.trim();
        let inner = inner
            .strip_prefix("a.k.a. ")
            .or_else(|| inner.strip_prefix("aka "))
            .unwrap_or(inner);
        if !inner.is_empty() {
            alternates.push(move_article_front(inner));
        }
        rest = before;
    }
    alternates.reverse();
    let display = move_article_front(rest);
    let display = if display.is_empty() {
        raw.trim().to_string()
    } else {
        display
    };
    ParsedTitle {
        display,
        alternates,
        year,
    }
}

/// Lower-case, accent-free, punctuation-free form used for matching (accents and case folded by
/// [`crate::fold`]):
/// `match_key("Amélie: L'été!") == "amelie l ete"`. "&" reads as "and".
pub fn match_key(s: &str) -> String {
    // Most titles are ASCII: their fold is `to_ascii_lowercase`, without the table lookup and
    // the nested iterators (the model builds 62.7k keys while the tail loads).
    if s.is_ascii() {
        key_of(
            s.len(),
            s.bytes().map(|b| char::from(b.to_ascii_lowercase())),
        )
    } else {
        key_of(s.len(), s.chars().flat_map(|c| fold(c).chars()))
    }
}

/// Whether `c` (already folded: no accents, no combining marks, compatibility forms spelled
/// out) belongs to a word: ASCII by its class; beyond ASCII, the letters and digits of every
/// script do, and the punctuation and symbol blocks break words. `char::is_alphanumeric` would
/// link core's Unicode tables into the page's wasm (~2 KB gzipped); on every title of the
/// catalogue the two agree (tested).
pub fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    !matches!(
        u32::from(c),
        0x80..=0xBF
            | 0xD7
            | 0xF7
            | 0x2000..=0x2BFF
            | 0x2E00..=0x2E7F
            | 0x3000..=0x3004
            | 0x3008..=0x3020
            | 0x3030
            | 0x303D
            | 0x30FB
            | 0xFE10..=0xFE6F
            | 0xFF01..=0xFF0F
            | 0xFF1A..=0xFF20
            | 0xFF3B..=0xFF40
            | 0xFF5B..=0xFF65
            | 0x1F000..=0x1FBFF
    )
}

/// [`match_key`] over already folded characters.
fn key_of(len: usize, folded: impl Iterator<Item = char>) -> String {
    let mut out = String::with_capacity(len);
    let mut pending_space = false;
    for c in folded {
        if is_word_char(c) {
            if pending_space && !out.is_empty() {
                out.push(' ');
            }
            pending_space = false;
            out.push(c);
        } else if c == '&' {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str("and");
            pending_space = true;
        } else if c == '\'' || c == '’' {
            // "Schindler's" matches "Schindlers", but an elided article ("L'été", "d'Amélie")
            // is a word of its own so that "amelie" finds it.
            let last_word = out.rsplit(' ').next().unwrap_or("");
            if last_word.chars().count() == 1 {
                pending_space = true;
            }
        } else {
            pending_space = true;
        }
    }
    out
}

/// Match keys for one movie: display title, alternates, and each without a leading article,
/// so "matrix" finds "The Matrix" by prefix.
pub fn title_keys(display: &str, alternates: &[String]) -> Vec<String> {
    let mut keys = Vec::with_capacity(2 + alternates.len());
    for t in std::iter::once(display).chain(alternates.iter().map(String::as_str)) {
        let k = match_key(t);
        if k.is_empty() {
            continue;
        }
        if let Some(stripped) = strip_leading_article_key(&k) {
            if !keys.contains(&stripped) {
                keys.push(stripped);
            }
        }
        if !keys.contains(&k) {
            keys.push(k);
        }
    }
    keys
}

fn strip_leading_article_key(key: &str) -> Option<String> {
    for art in [
        "the ", "a ", "an ", "la ", "le ", "les ", "l ", "el ", "il ", "der ", "die ", "das ",
    ] {
        if let Some(rest) = key.strip_prefix(art) {
            if !rest.is_empty() {
                return Some(rest.to_string());
            }
        }
    }
    None
}

/// "Matrix, The" → "The Matrix"; "Appartement, L'" → "L'Appartement". Only a final ", Article".
fn move_article_front(s: &str) -> String {
    let s = s.trim();
    if let Some(pos) = s.rfind(", ") {
        let (head, tail) = (&s[..pos], s[pos + 2..].trim());
        if let Some(art) = ARTICLES.iter().find(|a| **a == tail) {
            let head = head.trim();
            return if art.ends_with('\'') {
                format!("{art}{head}")
            } else {
                format!("{art} {head}")
            };
        }
    }
    s.to_string()
}

/// Splits "X (Y)" into ("X", "Y") when the string ends with a balanced parenthesised group.
fn split_last_paren(s: &str) -> Option<(&str, &str)> {
    let s = s.trim_end();
    let body = s.strip_suffix(')')?;
    let mut depth = 1usize;
    for (i, c) in body.char_indices().rev() {
        match c {
            ')' => depth += 1,
            '(' => {
                depth -= 1;
                if depth == 0 {
                    return Some((s[..i].trim_end(), &body[i + 1..]));
                }
            }
            _ => {}
        }
    }
    None
}

/// "1999", "2006–2007", "2006-2007" → the first year, if plausible.
fn parse_year(inner: &str) -> Option<u16> {
    let inner = inner.trim();
    let first: String = inner.chars().take_while(|c| c.is_ascii_digit()).collect();
    if first.len() != 4 {
        return None;
    }
    let rest = &inner[first.len()..];
    let rest_ok = rest.is_empty()
        || rest
            .strip_prefix(['–', '-', '—'])
            .is_some_and(|r| r.chars().all(|c| c.is_ascii_digit()));
    if !rest_ok {
        return None;
    }
    let y: u16 = first.parse().ok()?;
    (1870..=2100).contains(&y).then_some(y)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The word rule agrees with `char::is_alphanumeric` on every character of every folded
    /// title (and alternate title) of the committed catalogue, 62,709 films in many scripts,
    /// so no match key changed; and on the punctuation titles use.
    #[test]
    fn word_characters_are_the_alphanumerics_of_every_catalogue_title() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/web/model.bin");
        let bytes = std::fs::read(path).expect("web/model.bin is committed");
        let model = crate::Model::from_bytes(&bytes).expect("decodes");
        let mut checked = std::collections::BTreeSet::new();
        for m in model.movies() {
            for t in std::iter::once(&m.title).chain(&m.alternates) {
                for c in t.chars().flat_map(|c| crate::fold::fold(c).chars()) {
                    if checked.insert(c) {
                        assert_eq!(
                            is_word_char(c),
                            c.is_alphanumeric(),
                            "{c:?} U+{:04X}",
                            c as u32
                        );
                    }
                }
            }
        }
        assert!(
            checked.len() > 150,
            "only {} distinct characters",
            checked.len()
        );
        for c in "–—…‘’“”«»¡¿×÷·・「」、。！？：；（）☆★♥♪№€£".chars()
        {
            assert!(!is_word_char(c) || c.is_alphanumeric(), "{c:?}");
        }
    }

    fn check(raw: &str, display: &str, alts: &[&str], year: Option<u16>) {
        let p = parse_title(raw);
        assert_eq!(p.display, display, "display of {raw:?}");
        assert_eq!(p.alternates, alts, "alternates of {raw:?}");
        assert_eq!(p.year, year, "year of {raw:?}");
    }

    #[test]
    fn real_movielens_forms() {
        check("Matrix, The (1999)", "The Matrix", &[], Some(1999));
        check(
            "Amelie (Fabuleux destin d'Amélie Poulain, Le) (2001)",
            "Amelie",
            &["Le Fabuleux destin d'Amélie Poulain"],
            Some(2001),
        );
        check(
            "Seven (a.k.a. Se7en) (1995)",
            "Seven",
            &["Se7en"],
            Some(1995),
        );
        check(
            "Léon: The Professional (a.k.a. The Professional) (Léon) (1994)",
            "Léon: The Professional",
            &["The Professional", "Léon"],
            Some(1994),
        );
        check(
            "Babe Ruth Story, The (1948) ",
            "The Babe Ruth Story",
            &[],
            Some(1948),
        );
        check(
            "Death Note: Desu nôto (2006–2007)",
            "Death Note: Desu nôto",
            &[],
            Some(2006),
        );
        check("Babylon 5", "Babylon 5", &[], None);
        check(
            "Millions Game, The (Das Millionenspiel)",
            "The Millions Game",
            &["Das Millionenspiel"],
            None,
        );
        check("Appartement, L' (1996)", "L'Appartement", &[], Some(1996));
        check(
            "2001: A Space Odyssey (1968)",
            "2001: A Space Odyssey",
            &[],
            Some(1968),
        );
        check(
            "1492: Conquest of Paradise (1992)",
            "1492: Conquest of Paradise",
            &[],
            Some(1992),
        );
        check(
            "Big Lebowski, The (1998)",
            "The Big Lebowski",
            &[],
            Some(1998),
        );
        // A malformed tail stays part of the title instead of being lost.
        check(
            "Mona (Mona ja palavan) (1983))",
            "Mona (Mona ja palavan) (1983))",
            &[],
            None,
        );
    }

    #[test]
    fn keys_strip_accents_case_and_articles() {
        assert_eq!(match_key("Amélie: L'été!"), "amelie l ete");
        assert_eq!(match_key("  The   MATRIX "), "the matrix");
        assert_eq!(match_key("Fast & Furious"), "fast and furious");
        assert_eq!(match_key("Schindler's List"), match_key("Schindlers List"));
        let keys = |raw: &str| {
            let p = parse_title(raw);
            title_keys(&p.display, &p.alternates)
        };
        let keys = keys("Matrix, The (1999)");
        assert!(keys.contains(&"matrix".to_string()) && keys.contains(&"the matrix".to_string()));
        let p = parse_title("Amelie (Fabuleux destin d'Amélie Poulain, Le) (2001)");
        let keys = title_keys(&p.display, &p.alternates);
        assert!(
            keys.contains(&"fabuleux destin d amelie poulain".to_string()),
            "{keys:?}"
        );
    }

    #[cfg(not(target_arch = "wasm32"))] // proptest does not build for wasm32
    proptest::proptest! {
        /// The ASCII shortcut gives exactly the key of the general path (every character
        /// through the fold table).
        #[test]
        fn ascii_keys_equal_the_general_fold(s in "[ -~]{0,40}") {
            let general = key_of(s.len(), s.chars().flat_map(|c| fold(c).chars()));
            proptest::prop_assert_eq!(match_key(&s), general);
        }
    }
}
