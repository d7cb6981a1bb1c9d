//! The crate's layers, checked on its source: `data` → `train` → `eval` → `report` → `cmd`
//! (lowest first). A module may import from its own layer or lower ones, nothing outside `cmd`
//! imports `cmd`, and no modules import each other, directly or round a longer circle.
//!
//! An import is any `crate::…`, `super::…` or `self::…` path (and a `use` of a child module)
//! outside comments, string literals and `#[cfg(test)]` items; it names the deepest module of
//! the path that exists.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

const LAYERS: [&str; 5] = ["data", "train", "eval", "report", "cmd"];

/// Module path ("eval::metrics"; "" for lib.rs) → source, for every file of the library.
fn modules(dir: &Path, prefix: &[String], out: &mut BTreeMap<String, String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        if path.is_dir() {
            let mut p = prefix.to_vec();
            p.push(name);
            modules(&path, &p, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let mut p = prefix.to_vec();
            match name.as_str() {
                "main" if prefix.is_empty() => continue,
                "lib" | "mod" => {}
                _ => p.push(name),
            }
            out.insert(p.join("::"), std::fs::read_to_string(&path).unwrap());
        }
    }
}

/// The code without comments, string and char literals.
fn code_only(src: &str) -> String {
    let c: Vec<char> = src.chars().collect();
    let mut out = String::with_capacity(src.len());
    let mut i = 0;
    while i < c.len() {
        let next = c.get(i + 1).copied();
        if c[i] == '/' && next == Some('/') {
            while i < c.len() && c[i] != '\n' {
                i += 1;
            }
        } else if c[i] == '/' && next == Some('*') {
            let mut depth = 0;
            while i < c.len() {
                if c[i] == '/' && c.get(i + 1) == Some(&'*') {
                    depth += 1;
                    i += 1;
                } else if c[i] == '*' && c.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    i += 1;
                    if depth == 0 {
                        i += 1;
                        break;
                    }
                }
                i += 1;
            }
        } else if c[i] == 'r' && raw_string(&c, i) {
            let hashes = c[i + 1..].iter().take_while(|&&h| h == '#').count();
            i += 2 + hashes;
            while i < c.len() && !(c[i] == '"' && c[i + 1..].iter().take(hashes).all(|&h| h == '#'))
            {
                i += 1;
            }
            i += 1 + hashes;
            out.push_str("\"\"");
        } else if c[i] == '"' {
            i += 1;
            while i < c.len() && c[i] != '"' {
                i += if c[i] == '\\' { 2 } else { 1 };
            }
            i += 1;
            out.push_str("\"\"");
        } else if c[i] == '\'' && next == Some('\\') {
            i += 2;
            while i < c.len() && c[i] != '\'' {
                i += 1;
            }
            i += 1;
        } else if c[i] == '\'' && c.get(i + 2) == Some(&'\'') {
            i += 3;
        } else {
            out.push(c[i]);
            i += 1;
        }
    }
    out
}

/// Whether a raw string literal (`r"…"`, `r#"…"#`) starts at `i`.
fn raw_string(c: &[char], i: usize) -> bool {
    let hashes = c[i + 1..].iter().take_while(|&&h| h == '#').count();
    c.get(i + 1 + hashes) == Some(&'"') && (i == 0 || !ident(c.get(i - 1)))
}

fn ident(c: Option<&char>) -> bool {
    c.is_some_and(|c| c.is_alphanumeric() || *c == '_')
}

/// `code` without the items under `#[cfg(test)]` or `#[cfg(all(test, …))]`; also returns the
/// names of test-only child modules declared as files (`#[cfg(test)] mod x;`).
fn without_tests(code: &str) -> (String, Vec<String>) {
    let (mut out, mut test_mods, mut rest) = (String::new(), Vec::new(), code);
    while let Some(at) = ["#[cfg(test)]", "#[cfg(all(test"]
        .iter()
        .filter_map(|m| rest.find(m))
        .min()
    {
        out.push_str(&rest[..at]);
        let mut item = &rest[at..];
        // Skip this and any further attributes.
        while item.starts_with("#[") {
            item = item[item.find(']').unwrap() + 1..].trim_start();
        }
        // The item ends at its first `;` or its braces, whichever comes first outside (…) and […].
        let (mut depth, mut end) = (0i32, item.len());
        for (j, ch) in item.char_indices() {
            match ch {
                '(' | '[' => depth += 1,
                ')' | ']' => depth -= 1,
                ';' if depth == 0 => {
                    end = j + 1;
                    break;
                }
                '{' if depth == 0 => {
                    end = j + matching_brace(&item[j..]);
                    break;
                }
                _ => {}
            }
        }
        let decl: Vec<&str> = item[..end].split_whitespace().collect();
        if let [.., "mod", name] = decl[..] {
            if let Some(name) = name.strip_suffix(';') {
                test_mods.push(name.to_string());
            }
        }
        rest = &item[end..];
    }
    out.push_str(rest);
    (out, test_mods)
}

/// Length of the braced block `s` starts with.
fn matching_brace(s: &str) -> usize {
    let mut depth = 0;
    for (j, ch) in s.char_indices() {
        depth += match ch {
            '{' => 1,
            '}' => -1,
            _ => 0,
        };
        if depth == 0 {
            return j + 1;
        }
    }
    s.len()
}

/// Every path a `use` tree names, e.g. `crate::a::{b, c::d}` → [crate::a::b, crate::a::c::d].
fn use_paths(tree: &str) -> Vec<Vec<String>> {
    let tree: String = tree
        .replace(" as ", "@")
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    fn expand(prefix: &[String], t: &str, out: &mut Vec<Vec<String>>) {
        if let Some(inner) = t.strip_prefix('{').and_then(|t| t.strip_suffix('}')) {
            let (mut depth, mut start) = (0, 0);
            for (j, ch) in inner.char_indices() {
                match ch {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        expand(prefix, &inner[start..j], out);
                        start = j + 1;
                    }
                    _ => {}
                }
            }
            if start < inner.len() {
                expand(prefix, &inner[start..], out);
            }
            return;
        }
        match t.split_once("::") {
            Some((head, rest)) => {
                let mut p = prefix.to_vec();
                p.push(head.to_string());
                expand(&p, rest, out);
            }
            None => {
                let mut p = prefix.to_vec();
                p.push(t.split('@').next().unwrap().to_string());
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    expand(&[], &tree, &mut out);
    out
}

/// The deepest existing module `path` (as written in module `from`) names; None outside the
/// crate.
fn resolve(mods: &BTreeMap<String, String>, from: &str, path: &[String]) -> Option<String> {
    let mut base: Vec<String> = if from.is_empty() {
        vec![]
    } else {
        from.split("::").map(String::from).collect()
    };
    let mut segs = path;
    match segs.first().map(String::as_str) {
        Some("crate") => {
            base.clear();
            segs = &segs[1..];
        }
        Some("super") | Some("self") => {
            while let Some(s) = segs.first().filter(|s| *s == "super" || *s == "self") {
                if s == "super" {
                    base.pop();
                }
                segs = &segs[1..];
            }
        }
        Some(head) => {
            let mut child = base.clone();
            child.push(head.to_string());
            if !mods.contains_key(&child.join("::")) {
                return None;
            }
        }
        None => return None,
    }
    base.extend(segs.iter().cloned());
    (0..=base.len())
        .rev()
        .map(|n| base[..n].join("::"))
        .find(|m| mods.contains_key(m))
}

fn imports(mods: &BTreeMap<String, String>) -> BTreeMap<String, BTreeSet<String>> {
    let mut test_only = BTreeSet::new();
    let mut code = BTreeMap::new();
    for (m, src) in mods {
        let (c, tests) = without_tests(&code_only(src));
        for t in tests {
            test_only.insert(if m.is_empty() { t } else { format!("{m}::{t}") });
        }
        // `pub(in crate::x)` is a visibility, not an import.
        let mut c = c;
        while let Some(at) = c.find("pub(in ") {
            let end = at + c[at..].find(')').unwrap();
            c.replace_range(at..=end, "pub");
        }
        code.insert(m.clone(), c);
    }
    let mut edges = BTreeMap::new();
    for (m, c) in code.iter().filter(|(m, _)| !test_only.contains(*m)) {
        let mut deps = BTreeSet::new();
        let mut paths: Vec<Vec<String>> = Vec::new();
        for (at, _) in c.match_indices("use ") {
            if at == 0 || !ident(c[..at].chars().next_back().as_ref()) {
                paths.extend(use_paths(c[at + 4..].split(';').next().unwrap()));
            }
        }
        for start in ["crate::", "super::", "self::"] {
            for (at, _) in c.match_indices(start) {
                let before = c[..at].chars().next_back();
                if ident(before.as_ref()) || before == Some(':') {
                    continue;
                }
                let p: String = c[at..]
                    .chars()
                    .take_while(|ch| ch.is_alphanumeric() || *ch == '_' || *ch == ':')
                    .collect();
                paths.push(
                    p.split("::")
                        .filter(|s| !s.is_empty())
                        .map(String::from)
                        .collect(),
                );
            }
        }
        for p in paths {
            if let Some(d) = resolve(mods, m, &p) {
                if d != *m {
                    deps.insert(d);
                }
            }
        }
        edges.insert(m.clone(), deps);
    }
    edges
}

fn layer(m: &str) -> Option<usize> {
    LAYERS.iter().position(|l| m.split("::").next() == Some(l))
}

/// A circle through `m`, if there is one (depth-first search).
fn circle(
    edges: &BTreeMap<String, BTreeSet<String>>,
    m: &str,
    path: &mut Vec<String>,
    done: &mut BTreeSet<String>,
) -> Option<Vec<String>> {
    if let Some(at) = path.iter().position(|p| p == m) {
        return Some(path[at..].to_vec());
    }
    if done.contains(m) {
        return None;
    }
    path.push(m.to_string());
    for d in edges.get(m).into_iter().flatten() {
        if let Some(c) = circle(edges, d, path, done) {
            return Some(c);
        }
    }
    path.pop();
    done.insert(m.to_string());
    None
}

#[test]
fn imports_point_down_the_layers_and_never_in_a_circle() {
    let mut mods = BTreeMap::new();
    modules(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &[],
        &mut mods,
    );
    let edges = imports(&mods);
    assert!(
        edges["eval::protocols"].contains("eval::metrics"),
        "{edges:?}"
    );
    assert!(edges["report::fit"].contains("eval::fit"), "{edges:?}");
    let mut bad = Vec::new();
    for (m, deps) in &edges {
        for d in deps {
            match (layer(m), layer(d)) {
                (_, None) => bad.push(format!("{m} imports the crate root")),
                (None, _) => {}
                (Some(a), Some(b)) if b > a => bad.push(format!("{m} imports {d}, a higher layer")),
                _ => {}
            }
        }
    }
    let (mut done, mut circles) = (BTreeSet::new(), BTreeSet::new());
    for m in edges.keys() {
        if let Some(c) = circle(&edges, m, &mut Vec::new(), &mut done) {
            let mut members = c.clone();
            members.sort();
            if circles.insert(members) {
                bad.push(format!("circle: {}", c.join(" → ")));
            }
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}
