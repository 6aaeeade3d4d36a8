//! The README and `docs/` stay short, linked and complete: every relative
//! link resolves inside the repository (anchors too), nothing points outside
//! it, and every config key the binary knows is in the configuration
//! reference.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn pages() -> Vec<PathBuf> {
    let mut out = vec![root().join("README.md")];
    let mut docs: Vec<PathBuf> = std::fs::read_dir(root().join("docs"))
        .expect("docs/")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    docs.sort();
    out.extend(docs);
    out
}

/// `[text](target)` links of a markdown page, outside code blocks.
fn links(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut fenced = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if fenced {
            continue;
        }
        let mut rest = line;
        while let Some(at) = rest.find("](") {
            let after = &rest[at + 2..];
            match after.find(')') {
                Some(end) => {
                    out.push(after[..end].to_string());
                    rest = &after[end..];
                }
                None => break,
            }
        }
    }
    out
}

/// GitHub's anchor for a heading: lower case, spaces to dashes, most
/// punctuation dropped.
fn anchor(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

fn anchors(text: &str) -> BTreeSet<String> {
    let mut fenced = false;
    let mut out = BTreeSet::new();
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if !fenced && line.starts_with('#') {
            out.insert(anchor(line.trim_start_matches('#')));
        }
    }
    out
}

#[test]
fn the_readme_is_short() {
    let text = std::fs::read_to_string(root().join("README.md")).expect("README");
    let n = text.lines().count();
    assert!(n < 200, "README.md has {n} lines; details belong in docs/");
}

#[test]
fn every_link_resolves_inside_the_repository() {
    let mut bad = Vec::new();
    for page in pages() {
        let text = std::fs::read_to_string(&page).expect("page");
        let dir = page.parent().unwrap_or(Path::new("."));
        for link in links(&text) {
            if link.starts_with("http://") || link.starts_with("https://") {
                continue;
            }
            let (file, frag) = match link.split_once('#') {
                Some((f, a)) => (f, Some(a)),
                None => (link.as_str(), None),
            };
            let target = if file.is_empty() {
                page.clone()
            } else {
                dir.join(file)
            };
            let Ok(real) = target.canonicalize() else {
                bad.push(format!("{}: {link}: no such file", page.display()));
                continue;
            };
            if !real.starts_with(root().canonicalize().expect("root")) {
                bad.push(format!(
                    "{}: {link}: outside the repository",
                    page.display()
                ));
                continue;
            }
            if let Some(frag) = frag {
                let body = std::fs::read_to_string(&real).unwrap_or_default();
                if !anchors(&body).contains(frag) {
                    bad.push(format!("{}: {link}: no such heading", page.display()));
                }
            }
        }
        assert!(
            !text.contains("../shared"),
            "{} points outside the repository",
            page.display()
        );
    }
    assert!(bad.is_empty(), "broken links:\n{}", bad.join("\n"));
}

/// The dotted keys of a TOML document, tables and leaves.
fn keys(prefix: &str, v: &toml::Value, out: &mut BTreeSet<String>) {
    if let toml::Value::Table(t) = v {
        for (k, v) in t {
            let key = if prefix.is_empty() {
                k.clone()
            } else {
                format!("{prefix}.{k}")
            };
            if !matches!(v, toml::Value::Table(_)) {
                out.insert(key.clone());
            }
            keys(&key, v, out);
        }
    }
}

/// The key as the reference writes it: backends, tenants and routes by a
/// placeholder.
fn generic(key: &str) -> String {
    let parts: Vec<&str> = key.split('.').collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < parts.len() {
        out.push(parts[i].to_string());
        let named = matches!(parts[i], "backends" | "tenants")
            || (parts[i] == "routes" && i + 1 < parts.len());
        if named && i + 1 < parts.len() {
            let placeholder = match parts[i] {
                "backends" => "<name>",
                "tenants" => "<name>",
                _ => "<resource>",
            };
            out.push(placeholder.to_string());
            i += 1;
        }
        i += 1;
    }
    out.join(".")
}

/// `a.b.c` in full, or `.c` beside `a.b.` on one line of a table.
fn listed(reference: &str, key: &str) -> bool {
    let leaf = key.rsplit('.').next().unwrap_or(key);
    let parent = key.rsplit_once('.').map(|(p, _)| p).unwrap_or("");
    reference.contains(&format!("`{key}`"))
        || reference
            .lines()
            .any(|l| l.contains(&format!("`{parent}.")) && l.contains(&format!("`.{leaf}`")))
}

#[test]
fn every_config_key_is_in_the_reference() {
    // A config that sets every optional section, printed back by the
    // binary itself: its keys are the ones the gateway knows.
    let file = std::env::temp_dir().join(format!("crossdock-docs-{}.toml", std::process::id()));
    std::fs::write(&file, include_str!("../fixtures/docs/every_section.toml")).expect("write");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_crossdock"))
        .args(["check-config", "--config"])
        .arg(&file)
        .env_clear()
        .current_dir(root())
        .output()
        .expect("the binary runs");
    let _ = std::fs::remove_file(&file);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let body: String = stdout
        .lines()
        .filter(|l| !l.starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n");
    let doc: toml::Value = toml::from_str(&body).expect("check-config prints TOML");
    let mut all = BTreeSet::new();
    keys("", &doc, &mut all);
    assert!(all.len() > 60, "only {} keys printed", all.len());
    let reference =
        std::fs::read_to_string(root().join("docs/configuration.md")).expect("reference");
    let mut missing = Vec::new();
    for key in all {
        let parts: Vec<&str> = key.split('.').collect();
        // A tenant's key is the top level's, overridden: its section must
        // be named, and the key it overrides documented.
        let (key, tenant) = match parts.as_slice() {
            ["tenants", _, "rate_limit", rest @ ..] => (
                format!("auth.rate_limit.{}", rest.join(".")),
                Some("rate_limit"),
            ),
            ["tenants", _, section, rest @ ..] if !rest.is_empty() => {
                (format!("{section}.{}", rest.join(".")), Some(*section))
            }
            _ => (key.clone(), None),
        };
        let tenant_named = tenant.is_none_or(|section| {
            reference
                .lines()
                .any(|l| l.contains("`tenants.<name>.") && l.contains(&format!("`.{section}")))
        });
        if !tenant_named || !(listed(&reference, &key) || listed(&reference, &generic(&key))) {
            missing.push(generic(&key));
        }
    }
    missing.dedup();
    assert!(
        missing.is_empty(),
        "keys not in docs/configuration.md:\n{}",
        missing.join("\n")
    );
}
