//! The structure drawn from the code's imports has no circles: data flows
//! one way (SPEC, STYLE: "no two modules import each other"). Each module
//! of `src/` is a node; `use crate::a::b` and `super::x` paths are edges.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The module path of a source file: `src/customers/load.rs` is
/// `customers::load`; `mod.rs` and `lib.rs` name their folder.
fn module_of(root: &Path, file: &Path) -> String {
    let relative = file.strip_prefix(root).unwrap().with_extension("");
    let mut parts: Vec<String> = relative
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
        parts.pop();
    }
    parts.join("::")
}

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            if path.file_name().is_some_and(|n| n != "bin") {
                files(&path, out);
            }
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The modules `text` (the file of `module`) refers to, outside tests.
fn references(module: &str, text: &str, modules: &BTreeSet<String>) -> BTreeSet<String> {
    // Code under `#[cfg(test)]` may reach anywhere; cut it off at the
    // first test module.
    let code = text.split("#[cfg(test)]\nmod ").next().unwrap_or(text);
    // Comments (doc links included) are not imports.
    let code: String = code
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n");
    let code = code.as_str();
    let parent: Vec<&str> = module.split("::").filter(|p| !p.is_empty()).collect();
    let mut found = BTreeSet::new();
    for (i, _) in code
        .match_indices("crate::")
        .chain(code.match_indices("super::"))
    {
        let rest = &code[i..];
        let (base, rest): (Vec<&str>, &str) = if let Some(rest) = rest.strip_prefix("crate::") {
            (Vec::new(), rest)
        } else {
            let mut base = parent.clone();
            let mut rest = rest;
            while let Some(r) = rest.strip_prefix("super::") {
                base.pop();
                rest = r;
            }
            (base, rest)
        };
        let mut path = base.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        for segment in rest.split("::") {
            let name: String = segment
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if name.is_empty() {
                break;
            }
            path.push(name);
            let candidate = path.join("::");
            if modules.contains(&candidate) && candidate != module {
                found.insert(candidate);
            }
        }
    }
    found
}

fn module_of_is_folder(module: &str, modules: &BTreeSet<String>) -> bool {
    let prefix = format!("{module}::");
    modules.iter().any(|m| m.starts_with(&prefix))
}

#[test]
fn imports_have_no_circles() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut paths = Vec::new();
    files(&root, &mut paths);
    let sources: BTreeMap<String, String> = paths
        .iter()
        .map(|p| (module_of(&root, p), std::fs::read_to_string(p).unwrap()))
        .collect();
    let modules: BTreeSet<String> = sources.keys().cloned().collect();
    // A folder module (`mod.rs`) re-exports its children: it is their
    // parent, not a stage, so edges into it are not counted, and its own
    // edges (to its children) are not either.
    let folders: BTreeSet<String> = modules
        .iter()
        .filter(|m| module_of_is_folder(m, &modules))
        .cloned()
        .collect();
    let edges: BTreeMap<String, BTreeSet<String>> = sources
        .iter()
        .filter(|(m, _)| !folders.contains(*m))
        .map(|(m, text)| {
            let targets = references(m, text, &modules)
                .into_iter()
                .filter(|t| !folders.contains(t))
                .collect();
            (m.clone(), targets)
        })
        .collect();
    assert!(edges.len() >= 20, "too few modules found: {edges:?}");
    // Depth-first search for a cycle.
    fn visit(
        node: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        stack: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) {
        if let Some(at) = stack.iter().position(|n| n == node) {
            panic!(
                "imports form a circle: {}",
                stack[at..].join(" -> ") + " -> " + node
            );
        }
        if done.contains(node) {
            return;
        }
        stack.push(node.to_owned());
        for next in edges.get(node).into_iter().flatten() {
            visit(next, edges, stack, done);
        }
        stack.pop();
        done.insert(node.to_owned());
    }
    let mut done = BTreeSet::new();
    for node in edges.keys() {
        visit(node, &edges, &mut Vec::new(), &mut done);
    }
}
