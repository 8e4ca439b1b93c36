//! Golden corpus for the YAML layer's edits.
//!
//! Each `tests/golden/<case>.yaml` is applied the edits of `<case>.edits` in order, and the
//! result must equal `<case>.expected` byte for byte. Each edit must also change one contiguous
//! run of lines inside the node it targets (or, for an insertion, its parent and the comments
//! that follow it), and re-parsing after each edit must load the same tree as before except for
//! the edited value. `UPDATE_GOLDEN=1` rewrites the `.expected` files; review them by eye.
//!
//! The `.edits` format, one edit per line (`#` starts a comment line):
//!   set <doc> <path> <value>          upsert <doc> <path> <value>
//!   append <doc> <path> <key>=<value> [<key>=<value>...]
//!   remove <doc> <path>
//! A path is `images[0].newTag` or `a["dotted.key"]`. A value is a string, or `"json string"`
//! for empty strings, spaces and escapes; `int:3`, `bool:true` and `plain:text` pick the other
//! kinds of `NewValue`.

use similar::{DiffOp, TextDiff};
use std::path::{Path, PathBuf};
use wheelhouse_yaml::{
    self as yaml, append_item, parse_path, remove_item, set_scalar, upsert, EditErrorKind,
    NewValue, Node, PathSeg, ScalarKind, ScalarStyle, YamlFile,
};

fn golden_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

fn cases() -> Vec<String> {
    let mut cases: Vec<String> = std::fs::read_dir(golden_dir())
        .expect("tests/golden exists")
        .filter_map(|e| {
            let name = e.ok()?.file_name().into_string().ok()?;
            name.strip_suffix(".yaml").map(str::to_string)
        })
        .collect();
    cases.sort();
    cases
}

fn read(case: &str, ext: &str) -> String {
    let path = golden_dir().join(format!("{case}.{ext}"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A value as written in an `.edits` file.
#[derive(Debug, Clone)]
enum Value {
    Str(String),
    Plain(String),
    Int(i64),
    Bool(bool),
}

impl Value {
    fn parse(token: &str) -> Value {
        if token.starts_with('"') {
            Value::Str(
                serde_json::from_str(token)
                    .unwrap_or_else(|e| panic!("bad JSON string {token}: {e}")),
            )
        } else if let Some(n) = token.strip_prefix("int:") {
            Value::Int(n.parse().expect("int:N"))
        } else if let Some(b) = token.strip_prefix("bool:") {
            Value::Bool(b.parse().expect("bool:true|false"))
        } else if let Some(p) = token.strip_prefix("plain:") {
            Value::Plain(p.to_string())
        } else {
            Value::Str(token.to_string())
        }
    }

    fn as_new(&self) -> NewValue<'_> {
        match self {
            Value::Str(s) => NewValue::Str(s),
            Value::Plain(s) => NewValue::Plain(s),
            Value::Int(n) => NewValue::Int(*n),
            Value::Bool(b) => NewValue::Bool(*b),
        }
    }

    /// What the value must load back as, given the plain scalar it replaces (if any).
    fn expected(&self, replaced: Option<&Node>) -> Loaded {
        match self {
            Value::Int(n) => Loaded::Scalar(n.to_string(), ScalarKind::Int),
            Value::Bool(b) => Loaded::Scalar(b.to_string(), ScalarKind::Bool),
            Value::Plain(s) => Loaded::Scalar(s.clone(), simple_resolve(s)),
            Value::Str(s) => {
                // A plain integer or boolean set to text of the same type keeps its type.
                let kept = match replaced {
                    Some(Node::Scalar {
                        style: ScalarStyle::Plain,
                        kind: k @ (ScalarKind::Int | ScalarKind::Bool),
                        ..
                    }) if simple_resolve(s) == *k => *k,
                    _ => ScalarKind::Str,
                };
                Loaded::Scalar(s.clone(), kept)
            }
        }
    }
}

/// An independent, deliberately small resolver for the values the corpus uses.
fn simple_resolve(s: &str) -> ScalarKind {
    match s {
        "" | "~" | "null" => ScalarKind::Null,
        "true" | "false" => ScalarKind::Bool,
        _ if s.parse::<i64>().is_ok() => ScalarKind::Int,
        _ if s.contains('.') && s.parse::<f64>().is_ok() => ScalarKind::Float,
        _ => ScalarKind::Str,
    }
}

#[derive(Debug, Clone)]
enum Edit {
    Set(usize, Vec<PathSeg>, Value),
    Upsert(usize, Vec<PathSeg>, Value),
    Append(usize, Vec<PathSeg>, Vec<(String, Value)>),
    Remove(usize, Vec<PathSeg>),
}

/// Splits on spaces, keeping `"..."` (with `\"` escapes) together.
fn tokens(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    let mut in_quotes = false;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' if in_quotes => {
                current.push(c);
                current.extend(chars.next());
            }
            '"' => {
                in_quotes = !in_quotes;
                current.push(c);
            }
            ' ' if !in_quotes => {
                if !current.is_empty() {
                    out.push(std::mem::take(&mut current));
                }
            }
            c => current.push(c),
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

fn parse_edits(text: &str) -> Vec<Edit> {
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .map(|line| {
            let t = tokens(line);
            let doc: usize = t[1].parse().expect("document number");
            let path = parse_path(&t[2]).expect("path");
            match t[0].as_str() {
                "set" => Edit::Set(doc, path, Value::parse(&t[3])),
                "upsert" => Edit::Upsert(doc, path, Value::parse(&t[3])),
                "append" => Edit::Append(
                    doc,
                    path,
                    t[3..]
                        .iter()
                        .map(|kv| {
                            let (k, v) = kv.split_once('=').expect("key=value");
                            (k.to_string(), Value::parse(v))
                        })
                        .collect(),
                ),
                "remove" => Edit::Remove(doc, path),
                other => panic!("unknown edit `{other}` in: {line}"),
            }
        })
        .collect()
}

fn apply(file: &YamlFile, edit: &Edit) -> Result<String, yaml::EditError> {
    match edit {
        Edit::Set(doc, path, v) => set_scalar(file, *doc, path, v.as_new()),
        Edit::Upsert(doc, path, v) => upsert(file, *doc, path, v.as_new()),
        Edit::Append(doc, path, pairs) => {
            let item: Vec<(&str, NewValue<'_>)> = pairs
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_new()))
                .collect();
            append_item(file, *doc, path, &item)
        }
        Edit::Remove(doc, path) => remove_item(file, *doc, path),
    }
}

/// A document as it loads, without places or styles.
#[derive(Debug, Clone, PartialEq)]
enum Loaded {
    Map(Vec<(String, Loaded)>),
    Seq(Vec<Loaded>),
    Scalar(String, ScalarKind),
    Alias(String),
}

fn loaded(node: &Node) -> Loaded {
    match node {
        Node::Map { entries, .. } => Loaded::Map(
            entries
                .iter()
                .map(|e| (e.key.clone(), loaded(&e.value)))
                .collect(),
        ),
        Node::Seq { items, .. } => Loaded::Seq(items.iter().map(loaded).collect()),
        Node::Scalar {
            kind: ScalarKind::Null,
            ..
        } => Loaded::Scalar(String::new(), ScalarKind::Null),
        Node::Scalar { value, kind, .. } => Loaded::Scalar(value.clone(), *kind),
        Node::Alias { name, .. } => Loaded::Alias(name.clone()),
    }
}

fn is_null(l: &Loaded) -> bool {
    matches!(l, Loaded::Scalar(_, ScalarKind::Null))
}

/// The node at `path`, turning missing keys and nulls into mappings (or, for the last step when
/// `seq` is set, a sequence) the way upsert and append create them.
fn make_path<'l>(mut node: &'l mut Loaded, path: &[PathSeg], seq_at_end: bool) -> &'l mut Loaded {
    for (i, seg) in path.iter().enumerate() {
        let last = i + 1 == path.len();
        let fresh = || {
            if last && seq_at_end {
                Loaded::Seq(Vec::new())
            } else {
                Loaded::Map(Vec::new())
            }
        };
        if is_null(node) {
            *node = Loaded::Map(Vec::new());
        }
        node = match (node, seg) {
            (Loaded::Map(entries), PathSeg::Key(k)) => {
                let at = match entries.iter().position(|(key, _)| key == k) {
                    Some(at) => at,
                    None => {
                        entries.push((k.clone(), fresh()));
                        entries.len() - 1
                    }
                };
                let slot = &mut entries[at].1;
                if is_null(slot) && last {
                    *slot = fresh();
                }
                slot
            }
            (Loaded::Seq(items), PathSeg::Index(n)) => &mut items[*n],
            (other, seg) => panic!("cannot follow {seg:?} in {other:?}"),
        };
    }
    node
}

/// The tree the edit should produce, from the tree before it.
fn expected_tree(before: &YamlFile, edit: &Edit) -> Vec<Loaded> {
    let mut docs: Vec<Loaded> = before.documents().iter().map(loaded).collect();
    match edit {
        Edit::Set(doc, path, v) | Edit::Upsert(doc, path, v) => {
            let replaced = before.get(*doc, path);
            *make_path(&mut docs[*doc], path, false) = v.expected(replaced);
        }
        Edit::Append(doc, path, pairs) => {
            let item = Loaded::Map(
                pairs
                    .iter()
                    .map(|(k, v)| (k.clone(), v.expected(None)))
                    .collect(),
            );
            match make_path(&mut docs[*doc], path, true) {
                Loaded::Seq(items) => items.push(item),
                other => panic!("append to {other:?}"),
            }
        }
        Edit::Remove(doc, path) => {
            let (PathSeg::Index(i), parent) = path.split_last().expect("index") else {
                panic!("remove needs an index")
            };
            match make_path(&mut docs[*doc], parent, true) {
                Loaded::Seq(items) => {
                    items.remove(*i);
                }
                other => panic!("remove from {other:?}"),
            }
        }
    }
    docs
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset].matches('\n').count()
}

/// The deepest node of `path` that exists before the edit: the region the edit may touch.
fn region(file: &YamlFile, edit: &Edit) -> (usize, Node) {
    let (doc, path) = match edit {
        Edit::Set(d, p, _) | Edit::Upsert(d, p, _) | Edit::Append(d, p, _) => (*d, p.as_slice()),
        Edit::Remove(d, p) => (*d, &p[..p.len() - 1]),
    };
    let deepest = (0..=path.len())
        .rev()
        .find_map(|n| file.get(doc, &path[..n]))
        .expect("the document exists");
    (doc, deepest.clone())
}

/// Asserts that the edit changed one contiguous run of lines, all inside the targeted region:
/// the node's lines, plus the comment lines right after it (where new entries may go).
fn assert_minimal_diff(case: &str, before: &YamlFile, after: &str, edit: &Edit) {
    let text = before.text();
    let (_, node) = region(before, edit);
    let span = node.span();
    let mut first = line_of(text, span.start);
    // Removing the last item writes `[]` on its key's line.
    if matches!((edit, &node), (Edit::Remove(..), Node::Seq { items, .. }) if items.len() == 1) {
        first = first.saturating_sub(1);
    }
    let mut last = line_of(text, span.end);
    let lines: Vec<&str> = text.split('\n').collect();
    while last + 1 < lines.len() && lines[last + 1].trim_start().starts_with('#') {
        last += 1;
    }
    let diff = TextDiff::from_lines(text, after);
    let changes: Vec<&DiffOp> = diff
        .ops()
        .iter()
        .filter(|op| !matches!(op, DiffOp::Equal { .. }))
        .collect();
    assert!(!changes.is_empty(), "{case}: {edit:?} changed nothing");
    let old_start = changes
        .iter()
        .map(|op| op.old_range().start)
        .min()
        .unwrap_or(0);
    let old_end = changes
        .iter()
        .map(|op| op.old_range().end)
        .max()
        .unwrap_or(0);
    let contiguous = diff
        .ops()
        .iter()
        .filter(|op| matches!(op, DiffOp::Equal { .. }))
        .all(|op| op.old_range().end <= old_start || op.old_range().start >= old_end);
    // A set may touch a block scalar's header and body apart; anything that inserts or removes
    // lines must do it in one place.
    if !matches!(edit, Edit::Set(..)) {
        assert!(
            contiguous,
            "{case}: {edit:?} changed lines in more than one place:\n{}",
            diff.unified_diff()
        );
    }
    assert!(
        old_start >= first && old_end <= last + 1,
        "{case}: {edit:?} touched lines {}..{} outside the target's lines {}..={}:\n{}",
        old_start + 1,
        old_end,
        first + 1,
        last + 1,
        diff.unified_diff()
    );
}

#[test]
fn golden_corpus_edits_match_the_expected_files() {
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let cases = cases();
    assert!(cases.len() >= 15, "the corpus has {} cases", cases.len());
    for case in &cases {
        let input = read(case, "yaml");
        let edits = parse_edits(&read(case, "edits"));
        assert!(!edits.is_empty(), "{case}: no edits");
        let mut text = input.clone();
        for edit in &edits {
            let before = yaml::parse(case, &text).unwrap_or_else(|e| panic!("{case}: {e}"));
            let after = apply(&before, edit).unwrap_or_else(|e| panic!("{case}: {edit:?}: {e}"));
            assert_minimal_diff(case, &before, &after, edit);
            let reparsed = yaml::parse(case, &after)
                .unwrap_or_else(|e| panic!("{case}: after {edit:?}: {e}\n{after}"));
            let got: Vec<Loaded> = reparsed.documents().iter().map(loaded).collect();
            assert_eq!(
                got,
                expected_tree(&before, edit),
                "{case}: {edit:?} changed more than its value"
            );
            text = after;
        }
        let expected_path = golden_dir().join(format!("{case}.expected"));
        if update {
            std::fs::write(&expected_path, &text).expect("write expected");
        } else {
            let expected = read(case, "expected");
            assert!(
                text == expected,
                "{case}: output differs from {case}.expected:\n{}",
                TextDiff::from_lines(&expected, &text).unified_diff()
            );
        }
    }
}

/// Every scalar of every document, with its path.
fn scalar_paths(node: &Node, path: &mut Vec<PathSeg>, out: &mut Vec<(Vec<PathSeg>, Node)>) {
    match node {
        Node::Map { entries, .. } => {
            for e in entries {
                path.push(PathSeg::Key(e.key.clone()));
                scalar_paths(&e.value, path, out);
                path.pop();
            }
        }
        Node::Seq { items, .. } => {
            for (i, item) in items.iter().enumerate() {
                path.push(PathSeg::Index(i));
                scalar_paths(item, path, out);
                path.pop();
            }
        }
        Node::Scalar { .. } => out.push((path.clone(), node.clone())),
        Node::Alias { .. } => {}
    }
}

fn all_scalars(file: &YamlFile) -> Vec<(usize, Vec<PathSeg>, Node)> {
    let mut out = Vec::new();
    for (doc, root) in file.documents().iter().enumerate() {
        let mut found = Vec::new();
        scalar_paths(root, &mut Vec::new(), &mut found);
        out.extend(found.into_iter().map(|(p, n)| (doc, p, n)));
    }
    out
}

/// Whether an alias in the document repeats an anchor on the path (editing there is refused).
fn under_used_anchor(file: &YamlFile, doc: usize, path: &[PathSeg]) -> bool {
    let text = file.text();
    (0..=path.len()).any(|n| {
        file.get(doc, &path[..n])
            .and_then(Node::anchor)
            .is_some_and(|a| text.contains(&format!("*{a}")))
    })
}

fn same_value(node: &Node) -> NewValue<'_> {
    match node {
        Node::Scalar {
            value,
            style: ScalarStyle::Plain,
            ..
        } => NewValue::Plain(value),
        Node::Scalar { value, .. } => NewValue::Str(value),
        _ => unreachable!("scalars only"),
    }
}

#[test]
fn setting_every_scalar_to_itself_leaves_every_golden_input_unchanged() {
    for case in cases() {
        let input = read(&case, "yaml");
        let file = yaml::parse(&case, &input).unwrap_or_else(|e| panic!("{e}"));
        let scalars = all_scalars(&file);
        assert!(!scalars.is_empty(), "{case}: no scalars");
        for (doc, path, node) in scalars {
            let result = set_scalar(&file, doc, &path, same_value(&node));
            if under_used_anchor(&file, doc, &path) {
                let err = result.expect_err("anchored values are refused");
                assert_eq!(err.kind, EditErrorKind::AnchoredTarget, "{case} {path:?}");
            } else {
                let out = result.unwrap_or_else(|e| panic!("{case} {path:?}: {e}"));
                assert!(
                    out == input,
                    "{case}: setting {path:?} to itself changed the file"
                );
            }
        }
    }
}

#[test]
fn changing_a_scalar_and_changing_it_back_restores_the_exact_bytes() {
    let mut checked = 0;
    for case in cases() {
        let input = read(&case, "yaml");
        let file = yaml::parse(&case, &input).unwrap_or_else(|e| panic!("{e}"));
        for (doc, path, node) in all_scalars(&file) {
            let Node::Scalar {
                value, style, span, ..
            } = &node
            else {
                continue;
            };
            let source = &input[span.start..span.end];
            // Only text this layer writes itself can come back byte for byte: one-line scalars
            // (plain text that loads as itself, canonical escapes) and literal blocks.
            let single_line = !source.contains('\n');
            let reproducible = match style {
                ScalarStyle::Plain => single_line && !source.is_empty(),
                ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted => single_line,
                ScalarStyle::Literal => true,
                ScalarStyle::Folded => false,
            };
            if !reproducible || under_used_anchor(&file, doc, &path) {
                continue;
            }
            let changed_value = format!("{value}-changed");
            let changed = set_scalar(&file, doc, &path, NewValue::Str(&changed_value))
                .unwrap_or_else(|e| panic!("{case} {path:?}: {e}"));
            assert_ne!(changed, input);
            let changed_file = yaml::parse(&case, &changed).expect("valid after the change");
            let back = set_scalar(&changed_file, doc, &path, same_value(&node))
                .unwrap_or_else(|e| panic!("{case} {path:?}: {e}"));
            assert!(
                back == input,
                "{case}: {path:?} ({style:?} {source:?}) did not come back byte for byte:\n{}",
                TextDiff::from_lines(&input, &back).unified_diff()
            );
            checked += 1;
        }
    }
    assert!(checked > 100, "only {checked} scalars were round-tripped");
}
