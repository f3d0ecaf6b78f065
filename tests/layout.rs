//! The source tree's promises, checked: each folder's code runs on the thread it says, and
//! module dependencies point one way (no import circle).

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

fn rust_files(folder: &str) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("src").join(folder)];
    while let Some(dir) = pending.pop() {
        for entry in fs::read_dir(&dir).expect("readable source folder") {
            let path = entry.expect("directory entry").path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                found.push(path);
            }
        }
    }
    found
}

fn source(path: &Path) -> String {
    fs::read_to_string(path).expect("readable source file")
}

/// The crate modules `text` uses under `prefix` (`crate::worker::port::post` → `port`).
fn uses_under(text: &str, prefix: &str) -> BTreeSet<String> {
    text.match_indices(prefix)
        .map(|(at, _)| {
            text[at + prefix.len()..].chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect()
        })
        .filter(|name: &String| !name.is_empty())
        .collect()
}

#[test]
fn pure_logic_uses_no_browser_api_and_no_browser_module() {
    for path in rust_files("logic") {
        let text = source(&path);
        for forbidden in ["web_sys", "js_sys", "wasm_bindgen", "crate::page", "crate::worker", "gloo"] {
            assert!(!text.contains(forbidden), "{} uses {forbidden}", path.display());
        }
    }
}

#[test]
fn the_page_and_the_worker_never_import_each_other() {
    for (folder, other) in
        [("page", "crate::worker::"), ("worker", "crate::page::"), ("page_and_worker", "crate::page::")]
    {
        for path in rust_files(folder) {
            assert!(!source(&path).contains(other), "{} uses {other}", path.display());
        }
    }
    for path in rust_files("page_and_worker") {
        assert!(!source(&path).contains("crate::worker::"), "{} uses the worker", path.display());
    }
}

#[test]
fn worker_and_page_modules_import_each_other_in_one_direction_only() {
    for folder in ["worker", "page"] {
        let prefix = format!("crate::{folder}::");
        let graph: BTreeMap<String, BTreeSet<String>> = rust_files(folder)
            .iter()
            .filter(|p| p.parent().is_some_and(|d| d.ends_with(folder)))
            .map(|p| {
                let name = p.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_owned();
                let mut uses = uses_under(&source(p), &prefix);
                uses.remove(&name);
                (name, uses)
            })
            .collect();
        // Depth-first search; a module met again while still on the path closes a circle.
        fn visit<'a>(
            graph: &'a BTreeMap<String, BTreeSet<String>>,
            module: &'a str,
            path: &mut Vec<&'a str>,
            done: &mut BTreeSet<&'a str>,
        ) {
            if done.contains(module) {
                return;
            }
            assert!(!path.contains(&module), "import circle: {} -> {module}", path.join(" -> "));
            path.push(module);
            for next in graph.get(module).into_iter().flatten() {
                visit(graph, next, path, done);
            }
            path.pop();
            done.insert(module);
        }
        let mut done = BTreeSet::new();
        for module in graph.keys() {
            visit(&graph, module, &mut Vec::new(), &mut done);
        }
        assert!(graph.len() > 5, "{folder} has its modules");
    }
}

#[test]
fn the_worker_port_and_blocking_get_are_leaves() {
    let worker = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/worker");
    for leaf in ["port.rs", "sync_get.rs", "emscripten.rs", "error.rs"] {
        let uses = uses_under(&source(&worker.join(leaf)), "crate::worker::");
        assert!(uses.iter().all(|u| u == "error"), "{leaf} uses {uses:?}");
    }
}
