//! The layer test: module imports in the engine (`src/`), its hot kernels (`math/src/`) and the
//! CLI (`tools/src/`) point down
//! only, and no modules import each other in a circle.
//!
//! It reads every `.rs` file, drops comments, string literals and `#[cfg(test)]` items (tests may
//! use anything), collects every `crate::…` and `super::…` path (in `use` lines and in bodies,
//! `crate::{a, b::c}` groups expanded), maps each path to the module it names and each module to
//! its layer through one table per crate ([`ENGINE`], [`TOOLS`]), and fails on
//!
//! - an edge to a higher layer (naming both files),
//! - a cycle among modules of one layer (naming the files around it),
//! - a path through a crate-root re-export (`crate::Model`): name the defining module instead,
//!   so that the edge is visible,
//! - a module missing from the table (a new file must be placed in a layer).
//!
//! ARCHITECTURE.md shows the same tables.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The engine's layers, lowest first. A module may import modules of lower layers, and modules
/// of its own layer as long as that makes no cycle. Submodules take their parent's layer unless
/// listed themselves.
const ENGINE: &[(&str, &[&str])] = &[
    (
        "leaves",
        &[
            "ids",
            "scale",
            "features",
            "fold",
            "title",
            "deflate",
            "noise",
            "downdate",
            "student_t",
            "drift",
            "stats",
        ],
    ),
    ("formats", &["bundle", "profile", "share", "import"]),
    (
        "catalogue",
        &[
            "movie",
            "implicit",
            "blend",
            "search",
            "model",
            "title_match",
            "import_plan",
            "export",
        ],
    ),
    ("inference", &["posterior", "seen", "loo", "stack"]),
    (
        "decisions",
        &[
            "rank",
            "similar",
            "explain",
            "elicit",
            "watchlist",
            "rate_by_comparison",
            "certainty",
        ],
    ),
    ("session", &["session"]),
    ("groups", &["together"]),
    ("test support", &["fixture"]),
];

/// The hot kernels' crate (`math/src/`, built at opt-level 3; the engine imports it as
/// `moviematch_math::…`, so it sits below every engine layer).
const MATH: &[(&str, &[&str])] = &[
    ("kernels", &["checksum", "kernel", "linalg", "top"]),
    ("built on them", &["score", "ep", "shift"]),
];

/// The CLI's layers, lowest first (same rules).
const TOOLS: &[(&str, &[&str])] = &[
    ("data", &["data"]),
    ("train", &["train"]),
    ("eval", &["eval"]),
    ("report", &["report"]),
    ("commands", &["cmd"]),
];

#[test]
fn engine_imports_point_down_and_never_in_a_circle() {
    check_crate(&repo().join("src"), ENGINE);
}

#[test]
fn math_imports_point_down_and_never_in_a_circle() {
    check_crate(&repo().join("math/src"), MATH);
}

#[test]
fn tools_imports_point_down_and_never_in_a_circle() {
    check_crate(&repo().join("tools/src"), TOOLS);
}

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// One module: its path (`["import", "plan"]`), its file, the `crate::` paths it uses.
struct Module {
    file: PathBuf,
    uses: Vec<Vec<String>>,
}

fn check_crate(root: &Path, table: &[(&str, &[&str])]) {
    let mut modules = read_modules(root);
    // Files declared `#[cfg(test)] mod x;` are tests: they may use anything.
    let test_only: Vec<Vec<String>> = modules
        .keys()
        .flat_map(|path| test_children(root, path))
        .collect();
    modules.retain(|path, _| !test_only.iter().any(|t| path.starts_with(t)));
    let known: BTreeSet<Vec<String>> = modules.keys().cloned().collect();
    let layer_of = |m: &[String]| -> Option<usize> {
        // The longest listed prefix decides (a submodule may be listed on its own).
        (1..=m.len()).rev().find_map(|n| {
            let name = m[..n].join("::");
            table
                .iter()
                .position(|(_, mods)| mods.contains(&name.as_str()))
        })
    };
    let mut problems = Vec::new();
    let mut edges: BTreeMap<Vec<String>, BTreeSet<Vec<String>>> = BTreeMap::new();
    for (path, module) in &modules {
        // The crate roots (lib.rs, main.rs) sit above everything: they declare and re-export.
        if path.is_empty() {
            continue;
        }
        let Some(from_layer) = layer_of(path) else {
            problems.push(format!(
                "{}: module `{}` is in no layer of the table in tests/layers.rs",
                module.file.display(),
                path.join("::")
            ));
            continue;
        };
        for used in &module.uses {
            let Some(target) = longest_module(&known, used) else {
                problems.push(format!(
                    "{}: `crate::{}` goes through a crate-root re-export; name the module that \
                     defines it",
                    module.file.display(),
                    used.join("::")
                ));
                continue;
            };
            if target.is_empty() || path.starts_with(&target) || target.starts_with(path) {
                // The module itself, its own parent (declares it) or child.
                continue;
            }
            let Some(to_layer) = layer_of(&target) else {
                continue; // reported as a module in no layer
            };
            if to_layer > from_layer {
                problems.push(format!(
                    "{} ({}) imports {} ({}): an upward edge, `crate::{}`",
                    module.file.display(),
                    table[from_layer].0,
                    modules[&target].file.display(),
                    table[to_layer].0,
                    used.join("::")
                ));
            }
            edges.entry(path.clone()).or_default().insert(target);
        }
    }
    for cycle in cycles(&edges) {
        let files: Vec<String> = cycle
            .iter()
            .map(|m| {
                modules
                    .get(m)
                    .map_or_else(|| m.join("::"), |x| x.file.display().to_string())
            })
            .collect();
        problems.push(format!("import cycle: {}", files.join(" → ")));
    }
    assert!(
        problems.is_empty(),
        "layer violations in {}:\n  {}",
        root.display(),
        problems.join("\n  ")
    );
    // The check must have looked at something real: every module the table lists exists, and
    // the modules import each other somewhere.
    let stale: Vec<&str> = table
        .iter()
        .flat_map(|(_, mods)| mods.iter().copied())
        .filter(|name| !known.contains(&name.split("::").map(String::from).collect::<Vec<_>>()))
        .collect();
    assert!(
        stale.is_empty(),
        "the table lists modules with no file under {}: {stale:?}",
        root.display()
    );
    assert!(
        edges.values().map(BTreeSet::len).sum::<usize>() >= 2,
        "almost no imports found: the parser is broken"
    );
}

fn longest_module(known: &BTreeSet<Vec<String>>, used: &[String]) -> Option<Vec<String>> {
    (0..=used.len())
        .rev()
        .map(|n| used[..n].to_vec())
        .find(|p| known.contains(p))
        .filter(|p| !p.is_empty() || used.is_empty())
}

/// Every cycle of the graph, each once (Tarjan's strongly connected components of size > 1, or
/// a self-loop).
fn cycles(edges: &BTreeMap<Vec<String>, BTreeSet<Vec<String>>>) -> Vec<Vec<Vec<String>>> {
    let nodes: BTreeSet<&Vec<String>> = edges
        .keys()
        .chain(edges.values().flat_map(|s| s.iter()))
        .collect();
    let nodes: Vec<&Vec<String>> = nodes.into_iter().collect();
    let index_of: BTreeMap<&Vec<String>, usize> =
        nodes.iter().enumerate().map(|(i, n)| (*n, i)).collect();
    let succ: Vec<Vec<usize>> = nodes
        .iter()
        .map(|n| {
            edges
                .get(*n)
                .map(|s| s.iter().filter(|t| t != n).map(|t| index_of[t]).collect())
                .unwrap_or_default()
        })
        .collect();
    // Iterative Tarjan.
    let n = nodes.len();
    let (mut index, mut low, mut on_stack) = (vec![usize::MAX; n], vec![0; n], vec![false; n]);
    let (mut stack, mut next, mut out) = (Vec::new(), 0, Vec::new());
    for start in 0..n {
        if index[start] != usize::MAX {
            continue;
        }
        let mut work = vec![(start, 0usize)];
        while let Some(&(v, child)) = work.last() {
            if child == 0 && index[v] == usize::MAX {
                index[v] = next;
                low[v] = next;
                next += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if let Some(&w) = succ[v].get(child) {
                work.last_mut().expect("not empty").1 += 1;
                if index[w] == usize::MAX {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(index[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == index[v] {
                let mut component = Vec::new();
                loop {
                    let w = stack.pop().expect("on the stack");
                    on_stack[w] = false;
                    component.push(nodes[w].clone());
                    if w == v {
                        break;
                    }
                }
                if component.len() > 1 {
                    component.reverse();
                    out.push(component);
                }
            }
        }
    }
    out
}

/// Every module of the crate under `root`, by path, with the `crate::` paths it uses.
fn read_modules(root: &Path) -> BTreeMap<Vec<String>, Module> {
    let mut files = Vec::new();
    collect_rs(root, &mut files);
    files.sort();
    let mut out = BTreeMap::new();
    for file in files {
        let rel = file.strip_prefix(root).expect("under root");
        let mut path: Vec<String> = rel
            .iter()
            .map(|c| c.to_string_lossy().trim_end_matches(".rs").to_string())
            .collect();
        let last = path.last().cloned().unwrap_or_default();
        if last == "mod" || (path.len() == 1 && (last == "lib" || last == "main")) {
            path.pop();
        }
        let text = std::fs::read_to_string(&file).expect("readable source");
        let code = without_tests(&strip_comments_and_strings(&text));
        let uses = crate_paths(&code, &path);
        out.insert(path, Module { file, uses });
    }
    out
}

/// The child modules a module declares as `#[cfg(test)] mod name;` (in their own files).
fn test_children(root: &Path, module: &[String]) -> Vec<Vec<String>> {
    let file = if module.is_empty() {
        ["lib.rs", "main.rs"]
            .iter()
            .map(|f| root.join(f))
            .find(|p| p.exists())
    } else {
        let base = root.join(module.join("/"));
        [base.with_extension("rs"), base.join("mod.rs")]
            .into_iter()
            .find(|p| p.exists())
    };
    let Some(file) = file else {
        return Vec::new();
    };
    let code = strip_comments_and_strings(&std::fs::read_to_string(file).expect("readable"));
    let mut out = Vec::new();
    let mut rest = code.as_str();
    while let Some(at) = rest.find("#[cfg(test)]") {
        rest = &rest[at + "#[cfg(test)]".len()..];
        let item = rest.trim_start();
        let item = item.strip_prefix("pub ").unwrap_or(item);
        if let Some(decl) = item.strip_prefix("mod ") {
            let name: String = decl
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if decl[name.len()..].trim_start().starts_with(';') {
                let mut child = module.to_vec();
                child.push(name);
                out.push(child);
            }
        }
    }
    out
}

fn collect_rs(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("readable directory") {
        let p = entry.expect("entry").path();
        if p.is_dir() {
            collect_rs(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// The source with comments removed and string / char literals emptied (so a `crate::` in
/// text is not an import). Newlines are kept.
fn strip_comments_and_strings(s: &str) -> String {
    let b: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let next = b.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < b.len() && b[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < b.len() {
                if b[i] == '/' && b.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 2;
                } else if b[i] == '*' && b.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    if b[i] == '\n' {
                        out.push('\n');
                    }
                    i += 1;
                }
            }
        } else if c == 'r'
            && (next == Some('"') || next == Some('#'))
            && !b
                .get(i.wrapping_sub(1))
                .is_some_and(|p| p.is_alphanumeric() || *p == '_')
        {
            // Raw string r"…" / r#"…"#.
            let mut j = i + 1;
            let mut hashes = 0;
            while b.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if b.get(j) != Some(&'"') {
                out.push(c);
                i += 1;
                continue;
            }
            j += 1;
            loop {
                if j >= b.len() {
                    break;
                }
                if b[j] == '"' && (0..hashes).all(|h| b.get(j + 1 + h) == Some(&'#')) {
                    j += 1 + hashes;
                    break;
                }
                if b[j] == '\n' {
                    out.push('\n');
                }
                j += 1;
            }
            out.push_str("\"\"");
            i = j;
        } else if c == '"' {
            i += 1;
            while i < b.len() && b[i] != '"' {
                if b[i] == '\\' {
                    i += 1;
                }
                if b.get(i) == Some(&'\n') {
                    out.push('\n');
                }
                i += 1;
            }
            i += 1;
            out.push_str("\"\"");
        } else if c == '\'' {
            // A char literal ('x', '\n', '"') or a lifetime ('a).
            if next == Some('\\') {
                let mut j = i + 2;
                while j < b.len() && b[j] != '\'' {
                    j += 1;
                }
                i = j + 1;
                out.push_str("' '");
            } else if b.get(i + 2) == Some(&'\'') {
                i += 3;
                out.push_str("' '");
            } else {
                out.push(c);
                i += 1;
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// The code without `#[cfg(test)]` items (a test module or function, brace-matched).
fn without_tests(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    let mut rest = code;
    while let Some(at) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..at]);
        let after = &rest[at..];
        // Skip to the item's opening brace (or its `;` for `mod tests;`), then to its match.
        let mut depth = 0usize;
        let mut end = after.len();
        for (k, ch) in after.char_indices() {
            match ch {
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = k + 1;
                        break;
                    }
                }
                ';' if depth == 0 => {
                    end = k + 1;
                    break;
                }
                _ => {}
            }
        }
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

/// Every `crate::…` and `super::…` path in `code`, as a path from the crate root.
fn crate_paths(code: &str, module: &[String]) -> Vec<Vec<String>> {
    let chars: Vec<char> = code.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let starts_word = i == 0 || !(chars[i - 1].is_alphanumeric() || chars[i - 1] == '_');
        let rest: String = chars[i..chars.len().min(i + 7)].iter().collect();
        let (base, skip) = if starts_word && rest.starts_with("crate::") {
            (Vec::new(), 7)
        } else if starts_word && rest.starts_with("super::") {
            // `super` of an inline `mod x { … }` is the file's module; of the file, its parent.
            let mut base = module.to_vec();
            base.extend(inline_mods_around(&chars, i));
            base.pop();
            let mut j = i + 7;
            // super::super::…
            while chars[j..].iter().take(7).collect::<String>() == "super::" {
                base.pop();
                j += 7;
            }
            (base, j - i)
        } else {
            i += 1;
            continue;
        };
        let (paths, used) = parse_tree(&chars[i + skip..]);
        for p in paths {
            let mut full = base.clone();
            full.extend(p);
            out.push(full);
        }
        i += skip + used.max(1);
    }
    out
}

/// The names of the inline modules (`mod x { … }`) enclosing position `at`, outermost first.
fn inline_mods_around(chars: &[char], at: usize) -> Vec<String> {
    let text: String = chars.iter().collect();
    let mut out = Vec::new();
    let mut search = 0;
    while let Some(found) = text[search..].find("mod ") {
        let start = search + found;
        search = start + 4;
        let before_ok =
            start == 0 || !text[..start].ends_with(|c: char| c.is_alphanumeric() || c == '_');
        let after = &text[start + 4..];
        let name: String = after
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let brace = after[name.len()..].trim_start();
        if !before_ok || name.is_empty() || !brace.starts_with('{') {
            continue;
        }
        // Char index of the opening brace, then its match.
        let open = start + 4 + name.len() + (after[name.len()..].len() - brace.len());
        let open_char = text[..open].chars().count();
        let mut depth = 0usize;
        let mut close = chars.len();
        for (k, &ch) in chars.iter().enumerate().skip(open_char) {
            if ch == '{' {
                depth += 1;
            } else if ch == '}' {
                depth -= 1;
                if depth == 0 {
                    close = k;
                    break;
                }
            }
        }
        if open_char < at && at < close {
            out.push(name);
        }
    }
    out
}

/// Parses `a::b::{c, d::e}` (or `a::b`) at the start of `s`: the paths it names (identifiers
/// only, `self` dropped) and how many chars it spans.
fn parse_tree(s: &[char]) -> (Vec<Vec<String>>, usize) {
    let mut i = 0;
    let mut prefix: Vec<String> = Vec::new();
    loop {
        while s.get(i).is_some_and(|c| c.is_whitespace()) {
            i += 1;
        }
        if s.get(i) == Some(&'{') {
            i += 1;
            let mut all = Vec::new();
            loop {
                while s.get(i).is_some_and(|c| c.is_whitespace() || *c == ',') {
                    i += 1;
                }
                match s.get(i) {
                    None => break,
                    Some('}') => {
                        i += 1;
                        break;
                    }
                    _ => {}
                }
                let (paths, used) = parse_tree(&s[i..]);
                for p in paths {
                    let mut full = prefix.clone();
                    full.extend(p);
                    all.push(full);
                }
                i += used.max(1);
                // Skip `as name`.
                while s.get(i).is_some_and(|c| *c != ',' && *c != '}') {
                    i += 1;
                }
            }
            return (all, i);
        }
        let start = i;
        while s.get(i).is_some_and(|c| c.is_alphanumeric() || *c == '_') {
            i += 1;
        }
        if start == i {
            return (vec![prefix], i);
        }
        let ident: String = s[start..i].iter().collect();
        if ident != "self" {
            prefix.push(ident);
        }
        if s.get(i) == Some(&':') && s.get(i + 1) == Some(&':') {
            i += 2;
        } else {
            return (vec![prefix], i);
        }
    }
}

#[test]
fn the_parser_sees_grouped_nested_and_body_paths_but_not_comments_tests_or_strings() {
    let src = r#"
use crate::a::{b, c::{d, e as f}, self};
// use crate::commented;
/* use crate::block; */
fn x() { let s = "crate::in_string"; crate::g::h(); super::sibling::run(); }
mod inner { fn y() { super::own(); } }
#[cfg(test)]
mod tests { use crate::only_in_tests; }
"#;
    let code = without_tests(&strip_comments_and_strings(src));
    let module = vec!["m".to_string(), "n".to_string()];
    let mut got: Vec<String> = crate_paths(&code, &module)
        .into_iter()
        .map(|p| p.join("::"))
        .collect();
    got.sort();
    assert_eq!(
        got,
        vec![
            "a",
            "a::b",
            "a::c::d",
            "a::c::e",
            "g::h",
            "m::n::own",
            "m::sibling::run"
        ]
    );
}

#[test]
fn a_cycle_is_found_and_a_chain_is_not() {
    let p = |s: &str| vec![s.to_string()];
    let mut edges = BTreeMap::new();
    edges.insert(p("a"), BTreeSet::from([p("b")]));
    edges.insert(p("b"), BTreeSet::from([p("c")]));
    assert!(cycles(&edges).is_empty());
    edges.insert(p("c"), BTreeSet::from([p("a")]));
    assert_eq!(cycles(&edges), vec![vec![p("a"), p("b"), p("c")]]);
}
