//! Minimal edits: each one computes a few splices (byte range → new text) over the original
//! text, applies them, and re-parses the result to check that it reads back as intended.
//!
//! Where new lines go (upsert of a missing key, append of an item, and creating a missing key):
//! - New block entries and items go at the end of their mapping or sequence: after the line on
//!   which its last value ends, and after the comment lines that directly follow it and are
//!   indented deeper than the new entry (those comment on the inside of the last value). Comment
//!   lines at the new entry's column or less, and blank lines, are left after the insertion: they
//!   introduce what follows.
//! - Indentation copies the mapping's own entries or the sequence's own `-` column. Keys created
//!   below are indented by the file's indent step (the most common indent between a key and its
//!   nested mapping, else 2). A sequence created under a key is indented like the file's other
//!   sequences under keys (`key:\n- a` or `key:\n  - a`), else by the step; an item's keys sit
//!   where the sequence's existing items put them (`- name:` → 2 after the dash).
//! - In a flow mapping or sequence, `, key: value` (or `, {item}`) goes right after the last
//!   entry, before any space, comment or trailing comma; into an empty one right after `{`/`[`.
//! - A key whose value is null (`labels:` or `labels: ~`) gets its new children on the lines
//!   after it (the `~` is removed); in flow context the null is replaced by `{...}`/`[...]`.
//! - Line breaks are the file's (CRLF stays CRLF); a file without a final newline still has none.

use super::error::{EditError, EditErrorKind};
use super::scalar::{self, NewValue};
use super::text::{self, indent_of};
use super::{
    format_path, parse_with_limit, Node, PathSeg, ScalarKind, ScalarStyle, Span, YamlFile,
};
use std::collections::HashMap;

/// A replacement of the original text's bytes `start..end` by `text` (an insertion when they are
/// equal), for [`apply_splices`].
#[derive(Debug)]
pub struct Splice {
    pub start: usize,
    pub end: usize,
    pub text: String,
}

/// `original` with every splice made, each at its place in the original text; the splices must
/// not overlap (two insertions at one offset keep their order).
pub fn apply_splices(original: &str, mut splices: Vec<Splice>) -> String {
    splices.sort_by_key(|s| (s.start, s.end));
    let mut out = String::with_capacity(original.len() + 64);
    let mut at = 0;
    for s in splices {
        out.push_str(&original[at..s.start]);
        out.push_str(&s.text);
        at = s.end;
    }
    out.push_str(&original[at..]);
    out
}

#[derive(Debug, Clone, Copy)]
struct Step<'f> {
    node: &'f Node,
    /// The key whose value this node is.
    key_span: Option<Span>,
    /// Inside a flow collection.
    in_flow: bool,
}

enum Walk<'f> {
    Found(Vec<Step<'f>>),
    /// `path[at]` does not exist below the last step.
    Missing {
        steps: Vec<Step<'f>>,
        at: usize,
    },
}

fn error(file: &YamlFile, kind: EditErrorKind, span: Option<Span>, message: String) -> EditError {
    EditError {
        kind,
        file: file.label().to_string(),
        line: span.map_or(0, |s| s.line),
        column: span.map_or(0, |s| s.column),
        message,
    }
}

fn shown(path: &[PathSeg]) -> String {
    if path.is_empty() {
        "the document root".to_string()
    } else {
        format!("`{}`", format_path(path))
    }
}

fn is_flow_collection(node: &Node) -> bool {
    matches!(
        node,
        Node::Map { flow: true, .. } | Node::Seq { flow: true, .. }
    )
}

fn walk<'f>(file: &'f YamlFile, doc: usize, path: &[PathSeg]) -> Result<Walk<'f>, EditError> {
    let root = file.documents().get(doc).ok_or_else(|| {
        error(
            file,
            EditErrorKind::NoSuchDocument,
            None,
            format!(
                "there is no document {doc}: the file has {} (counting from 0)",
                file.documents().len()
            ),
        )
    })?;
    let mut steps = vec![Step {
        node: root,
        key_span: None,
        in_flow: false,
    }];
    for (i, seg) in path.iter().enumerate() {
        let here = steps[steps.len() - 1];
        let in_flow = here.in_flow || is_flow_collection(here.node);
        let prefix = shown(&path[..i]);
        let next = match (here.node, seg) {
            (Node::Map { entries, .. }, PathSeg::Key(k)) => entries
                .iter()
                .find(|e| &e.key == k)
                .map(|e| (&e.value, Some(e.key_span))),
            (Node::Seq { items, .. }, PathSeg::Index(n)) => items.get(*n).map(|item| (item, None)),
            (Node::Map { span, .. }, PathSeg::Index(n)) => {
                return Err(error(
                    file,
                    EditErrorKind::WrongShape,
                    Some(*span),
                    format!("{prefix} is a mapping, so it has no item [{n}]"),
                ))
            }
            (Node::Seq { span, .. }, PathSeg::Key(k)) => {
                return Err(error(
                    file,
                    EditErrorKind::WrongShape,
                    Some(*span),
                    format!("{prefix} is a sequence, so it has no key `{k}`: use an index"),
                ))
            }
            (
                Node::Scalar {
                    kind: ScalarKind::Null,
                    ..
                },
                _,
            ) => None,
            (Node::Scalar { value, span, .. }, _) => {
                return Err(error(
                    file,
                    EditErrorKind::WrongShape,
                    Some(*span),
                    format!("{prefix} is the scalar `{value}`, so the path cannot go inside it"),
                ))
            }
            (Node::Alias { name, span }, _) => {
                return Err(through_alias(file, doc, &prefix, name, *span));
            }
        };
        match next {
            Some((node, key_span)) => steps.push(Step {
                node,
                key_span,
                in_flow,
            }),
            None => return Ok(Walk::Missing { steps, at: i }),
        }
    }
    Ok(Walk::Found(steps))
}

fn through_alias(file: &YamlFile, doc: usize, what: &str, name: &str, span: Span) -> EditError {
    let defined = file
        .anchor(doc, name)
        .map(|n| format!(" (defined on line {})", anchor_line(file, n, name)))
        .unwrap_or_default();
    error(
        file,
        EditErrorKind::ThroughAlias,
        Some(span),
        format!(
            "{what} is the alias *{name}, a copy of the anchor &{name}{defined}: edit the anchor \
             itself, knowing every alias of it changes too"
        ),
    )
}

/// The line of `&name`, which stands before the anchored node (a mapping's anchor is usually on
/// its key's line, above the mapping itself).
fn anchor_line(file: &YamlFile, node: &Node, name: &str) -> u32 {
    let start = node.span().start;
    file.text()[..start]
        .rfind(&format!("&{name}"))
        .map_or(node.span().line, |at| file.line_of(at))
}

fn alias_lines(node: &Node, name: &str, out: &mut Vec<u32>) {
    match node {
        Node::Alias { name: n, span } if n == name => out.push(span.line),
        Node::Map { entries, .. } => entries
            .iter()
            .for_each(|e| alias_lines(&e.value, name, out)),
        Node::Seq { items, .. } => items.iter().for_each(|n| alias_lines(n, name, out)),
        _ => {}
    }
}

/// Refuses to edit inside an anchored node that aliases repeat: the edit would silently change
/// every place the alias stands too.
fn check_anchors(
    file: &YamlFile,
    doc: usize,
    steps: &[Step<'_>],
    path: &[PathSeg],
) -> Result<(), EditError> {
    let root = &file.documents()[doc];
    for (depth, step) in steps.iter().enumerate() {
        let Some(anchor) = step.node.anchor() else {
            continue;
        };
        let mut lines = Vec::new();
        alias_lines(root, anchor, &mut lines);
        if lines.is_empty() {
            continue;
        }
        let lines: Vec<String> = lines.iter().map(u32::to_string).collect();
        let place = if depth + 1 == steps.len() && depth == path.len() {
            format!("{} is the anchor &{anchor}", shown(path))
        } else {
            format!("{} is inside the anchor &{anchor}", shown(path))
        };
        return Err(error(
            file,
            EditErrorKind::AnchoredTarget,
            Some(step.node.span()),
            format!(
                "{place} (line {}), which the alias{} on line{} {} repeat{}: editing it would \
                 change those places too",
                anchor_line(file, step.node, anchor),
                if lines.len() == 1 { "" } else { "es" },
                if lines.len() == 1 { "" } else { "s" },
                lines.join(", "),
                if lines.len() == 1 { "s" } else { "" },
            ),
        ));
    }
    Ok(())
}

/// Applies the splices, re-parses, and runs `check` on the result: an edit never returns text
/// that does not read back as intended.
fn finish(
    file: &YamlFile,
    splices: Vec<Splice>,
    check: impl FnOnce(&YamlFile) -> Result<(), String>,
) -> Result<String, EditError> {
    let out = apply_splices(file.text(), splices);
    let internal = |message: String| error(file, EditErrorKind::Internal, None, message);
    let reparsed = parse_with_limit(file.label(), &out, usize::MAX).map_err(|e| {
        internal(format!(
            "the edit would make the file invalid ({e}); nothing was written"
        ))
    })?;
    if reparsed.documents().len() != file.documents().len() {
        return Err(internal(
            "the edit would change the number of documents; nothing was written".into(),
        ));
    }
    check(&reparsed).map_err(|m| internal(format!("{m}; nothing was written")))?;
    Ok(out)
}

fn expect_scalar<'p>(
    doc: usize,
    path: &'p [PathSeg],
    value: &str,
    kind: ScalarKind,
) -> impl FnOnce(&YamlFile) -> Result<(), String> + 'p {
    let value = value.to_string();
    move |f: &YamlFile| match f.get(doc, path) {
        Some(Node::Scalar {
            value: v, kind: k, ..
        }) if *k == kind && (*v == value || kind == ScalarKind::Null) => Ok(()),
        other => Err(format!(
            "{} would read back as {other:?} instead of {value:?} ({kind:?})",
            shown(path)
        )),
    }
}

/// Sets the scalar at `path` to `value`, changing only that scalar's text.
///
/// The style is kept: plain stays plain, `'single'` stays single, `"double"` stays double, a
/// block scalar stays a block scalar. Plain becomes `"double"` when plain text would load as
/// something else (`1.10`, `on`, `~`, `*x`, `a: b`, empty), and single becomes double when single
/// quotes cannot carry the value (or it holds a tab). A plain integer or boolean set to a
/// string of the same type stays plain (`replicas: 3` set to `"5"` writes `5`); a plain float
/// does not (`1.10` is quoted: it would load as 1.1). [`NewValue::Int`], [`NewValue::Bool`] and
/// [`NewValue::Plain`] always write plain when they can. Setting a value to what it already loads as returns the
/// text unchanged. A null (`key:`) becomes `key: value`, before any comment on the line.
pub fn set_scalar<'v>(
    file: &YamlFile,
    doc: usize,
    path: &[PathSeg],
    value: impl Into<NewValue<'v>>,
) -> Result<String, EditError> {
    let value = value.into();
    let steps = match walk(file, doc, path)? {
        Walk::Found(steps) => steps,
        Walk::Missing { steps, at } => {
            let parent = steps[steps.len() - 1].node;
            return Err(error(
                file,
                EditErrorKind::NotFound,
                Some(parent.span()),
                format!(
                    "{} does not exist: {} has no {}",
                    shown(path),
                    shown(&path[..at]),
                    path[at]
                ),
            ));
        }
    };
    check_anchors(file, doc, &steps, path)?;
    set_found(file, doc, path, &steps, value)
}

fn set_found(
    file: &YamlFile,
    doc: usize,
    path: &[PathSeg],
    steps: &[Step<'_>],
    value: NewValue<'_>,
) -> Result<String, EditError> {
    let target = steps[steps.len() - 1];
    match target.node {
        Node::Scalar { .. } => {}
        Node::Alias { name, span } => {
            return Err(through_alias(file, doc, &shown(path), name, *span))
        }
        Node::Map { span, .. } | Node::Seq { span, .. } => {
            let what = if matches!(target.node, Node::Map { .. }) {
                "a mapping"
            } else {
                "a sequence"
            };
            return Err(error(
                file,
                EditErrorKind::WrongShape,
                Some(*span),
                format!("{} is {what}, not a scalar", shown(path)),
            ));
        }
    }
    match scalar_splices(file, target.node, target.in_flow, value) {
        None => Ok(file.text().to_string()),
        Some((splices, loaded, kind)) => {
            finish(file, splices, expect_scalar(doc, path, &loaded, kind))
        }
    }
}

/// The splices that make `node` (a scalar) load as `value`, with what it will load as; `None`
/// when it already does.
fn scalar_splices(
    file: &YamlFile,
    node: &Node,
    in_flow: bool,
    value: NewValue<'_>,
) -> Option<(Vec<Splice>, String, ScalarKind)> {
    let Node::Scalar {
        value: old,
        style,
        kind,
        span,
        ..
    } = node
    else {
        return None;
    };
    let text = file.text();
    if matches!(style, ScalarStyle::Literal | ScalarStyle::Folded) {
        let block = match value {
            NewValue::Str(s) => {
                scalar::render_block(s, *style == ScalarStyle::Folded).map(|b| (s, b))
            }
            _ => None,
        };
        if let Some((s, _)) = block {
            if s == old && *kind == ScalarKind::Str {
                return None;
            }
        }
        let header_end = span.start
            + text[span.start..]
                .find(|c: char| !matches!(c, '|' | '>' | '-' | '+' | '0'..='9'))
                .unwrap_or(text.len() - span.start);
        let header_line = file.lines.line_of(span.start);
        let header_line_end =
            file.lines.line_start(header_line) + file.lines.line_text(text, header_line).len();
        let has_content = span.end > header_line_end;
        return Some(match block {
            Some((s, (indicator, lines))) => {
                let nl = text::line_break_of(text);
                let indent = if has_content {
                    let first = file.lines.line_of(header_line_end) + 1;
                    (first..=file.lines.line_of(span.end))
                        .map(|l| file.lines.line_text(text, l))
                        .find(|l| !l.trim().is_empty())
                        .map_or(2, indent_of)
                } else {
                    indent_of(file.lines.line_text(text, header_line)) + layout(file).step
                };
                let pad = " ".repeat(indent);
                let body: Vec<String> = lines
                    .iter()
                    .map(|l| {
                        if l.is_empty() {
                            String::new()
                        } else {
                            format!("{pad}{l}")
                        }
                    })
                    .collect();
                let body = body.join(nl);
                let mut splices = vec![Splice {
                    start: span.start,
                    end: header_end,
                    text: indicator,
                }];
                if has_content {
                    let content_start = file.lines.line_start(header_line + 1);
                    splices.push(Splice {
                        start: content_start,
                        end: span.end,
                        text: body,
                    });
                } else {
                    splices.push(Splice {
                        start: header_line_end,
                        end: header_line_end,
                        text: format!("{nl}{body}"),
                    });
                }
                (splices, s.to_string(), ScalarKind::Str)
            }
            None => {
                let inline = scalar::render_inline(value, ScalarStyle::DoubleQuoted, None, in_flow);
                let mut splices = vec![Splice {
                    start: span.start,
                    end: header_end,
                    text: inline.text,
                }];
                if has_content {
                    splices.push(Splice {
                        start: header_line_end,
                        end: span.end,
                        text: String::new(),
                    });
                }
                (splices, inline.value, inline.kind)
            }
        });
    }
    let keep_kind = match (style, kind) {
        (ScalarStyle::Plain, ScalarKind::Int | ScalarKind::Bool) => Some(*kind),
        _ => None,
    };
    let inline = scalar::render_inline(value, *style, keep_kind, in_flow);
    if inline.kind == *kind && (inline.value == *old || *kind == ScalarKind::Null) {
        return None;
    }
    let needs_space = span.start == span.end
        && span.start > 0
        && !matches!(text.as_bytes()[span.start - 1], b' ' | b'\t' | b'\n');
    let new_text = if needs_space {
        format!(" {}", inline.text)
    } else {
        inline.text
    };
    Some((
        vec![Splice {
            start: span.start,
            end: span.end,
            text: new_text,
        }],
        inline.value,
        inline.kind,
    ))
}

/// How the file indents, learnt from its own block collections.
#[derive(Debug, Clone, Copy)]
struct Layout {
    /// From a key to its nested mapping's keys.
    step: usize,
    /// From a key to the `-` of its sequence (0: `key:\n- a`).
    seq_offset: usize,
    /// From a `-` to its item mapping's keys.
    item_offset: usize,
}

fn most_common(counts: &HashMap<usize, usize>) -> Option<usize> {
    counts
        .iter()
        .max_by_key(|&(value, count)| (*count, std::cmp::Reverse(*value)))
        .map(|(value, _)| *value)
}

fn layout(file: &YamlFile) -> Layout {
    #[derive(Default)]
    struct Counts {
        step: HashMap<usize, usize>,
        seq: HashMap<usize, usize>,
        item: HashMap<usize, usize>,
    }
    fn visit(node: &Node, c: &mut Counts) {
        match node {
            Node::Map {
                entries,
                flow: false,
                ..
            } => {
                for e in entries {
                    let key_col = e.key_span.column as usize;
                    match &e.value {
                        Node::Map {
                            flow: false, span, ..
                        } if span.column as usize > key_col => {
                            *c.step.entry(span.column as usize - key_col).or_default() += 1;
                        }
                        Node::Seq {
                            flow: false, span, ..
                        } if span.column as usize >= key_col => {
                            *c.seq.entry(span.column as usize - key_col).or_default() += 1;
                        }
                        _ => {}
                    }
                    visit(&e.value, c);
                }
            }
            Node::Seq {
                items, flow, span, ..
            } => {
                for item in items {
                    if let (
                        false,
                        Node::Map {
                            flow: false,
                            span: s,
                            ..
                        },
                    ) = (flow, item)
                    {
                        if s.column > span.column {
                            *c.item.entry((s.column - span.column) as usize).or_default() += 1;
                        }
                    }
                    visit(item, c);
                }
            }
            Node::Map { entries, .. } => entries.iter().for_each(|e| visit(&e.value, c)),
            _ => {}
        }
    }
    let mut counts = Counts::default();
    file.documents().iter().for_each(|d| visit(d, &mut counts));
    let positive_seq: HashMap<usize, usize> = counts
        .seq
        .iter()
        .filter(|(k, _)| **k > 0)
        .map(|(k, v)| (*k, *v))
        .collect();
    let step = most_common(&counts.step)
        .or_else(|| most_common(&positive_seq))
        .unwrap_or(2);
    Layout {
        step,
        seq_offset: most_common(&counts.seq).unwrap_or(step),
        item_offset: most_common(&counts.item).unwrap_or(2),
    }
}

/// The last node reached by following last entries and items down from `node`.
fn last_leaf(node: &Node) -> &Node {
    match node {
        Node::Map {
            entries,
            flow: false,
            ..
        } if !entries.is_empty() => last_leaf(&entries[entries.len() - 1].value),
        Node::Seq {
            items, flow: false, ..
        } if !items.is_empty() => last_leaf(&items[items.len() - 1]),
        _ => node,
    }
}

/// Where whole new lines that follow `last` (a node of `file`) at the 0-based column `col` go,
/// as this module places new block entries and items: at the start of the line after the one on
/// which `last` ends, past the comment lines below it indented deeper than `col` (they comment
/// on its inside) and past the blank lines a keeping block scalar (`|+`, `>+`) holds.
///
/// Returns the byte offset and whether the text ends there without a line break (then the new
/// lines need one before them, and none after).
pub fn insertion_point(file: &YamlFile, last: &Node, col: usize) -> (usize, bool) {
    let text = file.text();
    let lines = &file.lines;
    let mut line = lines.line_of(last.span().end);
    let leaf = last_leaf(last);
    let keeps_trailing_lines = matches!(leaf, Node::Scalar { style: ScalarStyle::Literal | ScalarStyle::Folded, span, .. }
        if text[span.start..].split(['\n', ' ', '#']).next().is_some_and(|h| h.contains('+')));
    while line + 1 < lines.line_count() {
        let next = lines.line_text(text, line + 1);
        let trimmed = next.trim_start_matches([' ', '\t']);
        let deeper_comment = trimmed.starts_with('#') && indent_of(next) > col;
        let kept_blank =
            keeps_trailing_lines && trimmed.is_empty() && lines.next_line_start(line + 1).is_some();
        if deeper_comment || kept_blank {
            line += 1;
        } else {
            break;
        }
    }
    match lines.next_line_start(line) {
        Some(start) => (start, false),
        None => (text.len(), true),
    }
}

fn block_insert(file: &YamlFile, at: (usize, bool), lines: &[String]) -> Splice {
    let nl = text::line_break_of(file.text());
    let joined = lines.join(nl);
    let (offset, leading) = at;
    Splice {
        start: offset,
        end: offset,
        text: if leading {
            format!("{nl}{joined}")
        } else {
            format!("{joined}{nl}")
        },
    }
}

fn render_key(key: &str, in_flow: bool) -> String {
    if scalar::plain_string_ok(key, in_flow) {
        key.to_string()
    } else {
        scalar::double_quoted(key)
    }
}

/// What a created key holds.
#[derive(Debug, Clone, Copy)]
enum Leaf<'a, 'v> {
    Scalar(NewValue<'v>),
    /// A sequence with one mapping item.
    Item(&'a [(&'a str, NewValue<'v>)], &'a [Option<ScalarStyle>]),
}

fn item_lines(
    pairs: &[(&str, NewValue<'_>)],
    styles: &[Option<ScalarStyle>],
    dash_col: usize,
    item_offset: usize,
) -> Vec<String> {
    let offset = item_offset.max(2);
    pairs
        .iter()
        .enumerate()
        .map(|(i, (k, v))| {
            let style = styles
                .get(i)
                .copied()
                .flatten()
                .unwrap_or(ScalarStyle::Plain);
            let value = scalar::render_inline(*v, style, None, false).text;
            let lead = if i == 0 {
                format!("{}-{}", " ".repeat(dash_col), " ".repeat(offset - 1))
            } else {
                " ".repeat(dash_col + offset)
            };
            format!("{lead}{}: {value}", render_key(k, false))
        })
        .collect()
}

fn flow_item(pairs: &[(&str, NewValue<'_>)], styles: &[Option<ScalarStyle>]) -> String {
    let inner: Vec<String> = pairs
        .iter()
        .enumerate()
        .map(|(i, (k, v))| {
            let style = styles
                .get(i)
                .copied()
                .flatten()
                .unwrap_or(ScalarStyle::Plain);
            format!(
                "{}: {}",
                render_key(k, true),
                scalar::render_inline(*v, style, None, true).text
            )
        })
        .collect();
    format!("{{{}}}", inner.join(", "))
}

fn block_lines(keys: &[&str], leaf: Leaf<'_, '_>, col: usize, layout: Layout) -> Vec<String> {
    let mut lines = Vec::new();
    let mut indent = col;
    for (i, key) in keys.iter().enumerate() {
        let key = render_key(key, false);
        let pad = " ".repeat(indent);
        if i + 1 < keys.len() {
            lines.push(format!("{pad}{key}:"));
            indent += layout.step;
            continue;
        }
        match leaf {
            Leaf::Scalar(v) => {
                let value = scalar::render_inline(v, ScalarStyle::Plain, None, false).text;
                lines.push(format!("{pad}{key}: {value}"));
            }
            Leaf::Item(pairs, styles) => {
                lines.push(format!("{pad}{key}:"));
                lines.extend(item_lines(
                    pairs,
                    styles,
                    indent + layout.seq_offset,
                    layout.item_offset,
                ));
            }
        }
    }
    lines
}

fn flow_text(keys: &[&str], leaf: Leaf<'_, '_>) -> String {
    let inner = match leaf {
        Leaf::Scalar(v) => scalar::render_inline(v, ScalarStyle::Plain, None, true).text,
        Leaf::Item(pairs, styles) => format!("[{}]", flow_item(pairs, styles)),
    };
    keys.iter().rev().enumerate().fold(inner, |acc, (i, k)| {
        let pair = format!("{}: {acc}", render_key(k, true));
        if i + 1 == keys.len() {
            pair
        } else {
            format!("{{{pair}}}")
        }
    })
}

/// Splices that add `keys` (missing, nested) holding `leaf` below `parent`.
fn insert_under(
    file: &YamlFile,
    parent: Step<'_>,
    keys: &[&str],
    leaf: Leaf<'_, '_>,
    what: &str,
) -> Result<Vec<Splice>, EditError> {
    let text = file.text();
    match parent.node {
        Node::Map {
            entries,
            flow: false,
            span,
            ..
        } => {
            let col = span.column as usize - 1;
            let last = &entries[entries.len() - 1].value;
            let at = insertion_point(file, last, col);
            Ok(vec![block_insert(
                file,
                at,
                &block_lines(keys, leaf, col, layout(file)),
            )])
        }
        Node::Map {
            entries,
            flow: true,
            span,
            ..
        } => {
            if text.as_bytes()[span.start] != b'{' {
                return Err(error(
                    file,
                    EditErrorKind::Unsupported,
                    Some(*span),
                    format!("{what} is a key: value pair inside a flow sequence; add braces to give it more keys"),
                ));
            }
            let pair = flow_text(keys, leaf);
            Ok(vec![match entries.last() {
                None => Splice {
                    start: span.start + 1,
                    end: span.start + 1,
                    text: pair,
                },
                Some(e) => Splice {
                    start: e.value.span().end,
                    end: e.value.span().end,
                    text: format!(", {pair}"),
                },
            }])
        }
        Node::Scalar { span, .. } if parent.in_flow => {
            let needs_space =
                span.start > 0 && !matches!(text.as_bytes()[span.start - 1], b' ' | b'\t');
            Ok(vec![Splice {
                start: span.start,
                end: span.end,
                text: format!(
                    "{}{{{}}}",
                    if needs_space { " " } else { "" },
                    flow_text(keys, leaf)
                ),
            }])
        }
        Node::Scalar { span, .. } => {
            let Some(key_span) = parent.key_span else {
                return Err(error(
                    file,
                    EditErrorKind::Unsupported,
                    Some(*span),
                    format!("{what} is an empty sequence item or document; give it a value first"),
                ));
            };
            let layout = layout(file);
            let col = key_span.column as usize - 1 + layout.step;
            null_to_block(
                file,
                key_span,
                *span,
                parent.node,
                block_lines(keys, leaf, col, layout),
            )
        }
        other => Err(error(
            file,
            EditErrorKind::WrongShape,
            Some(other.span()),
            format!("{what} cannot hold keys"),
        )),
    }
}

/// Replaces a block null (`key:` or `key: ~`) by `lines` below the key.
fn null_to_block(
    file: &YamlFile,
    key_span: Span,
    null_span: Span,
    null: &Node,
    lines: Vec<String>,
) -> Result<Vec<Splice>, EditError> {
    let text = file.text();
    let mut splices = Vec::new();
    if null_span.end > null_span.start {
        let before = text[..null_span.start].trim_end_matches([' ', '\t']).len();
        splices.push(Splice {
            start: before,
            end: null_span.end,
            text: String::new(),
        });
    }
    let at = insertion_point(file, null, key_span.column as usize - 1);
    splices.push(block_insert(file, at, &lines));
    Ok(splices)
}

fn keys_of<'p>(
    file: &YamlFile,
    path: &'p [PathSeg],
    at: usize,
    span: Span,
) -> Result<Vec<&'p str>, EditError> {
    path[at..]
        .iter()
        .map(|seg| match seg {
            PathSeg::Key(k) => Ok(k.as_str()),
            PathSeg::Index(i) => Err(error(
                file,
                EditErrorKind::InvalidPath,
                Some(span),
                format!(
                    "{} does not exist and item [{i}] cannot be created by a path: append_item adds items",
                    shown(&path[..at + 1])
                ),
            )),
        })
        .collect()
}

/// Sets the scalar at `path`, creating the missing mapping keys along it.
///
/// An existing value is set as by [`set_scalar`]. Missing keys are added at the end of the
/// deepest existing mapping (see the module doc for where exactly), nested as block mappings
/// indented by the file's step, or as `, key: value` in a flow mapping. A new value is plain
/// when plain loads back as the value, otherwise double-quoted.
pub fn upsert<'v>(
    file: &YamlFile,
    doc: usize,
    path: &[PathSeg],
    value: impl Into<NewValue<'v>>,
) -> Result<String, EditError> {
    let value = value.into();
    if path.is_empty() {
        return Err(error(
            file,
            EditErrorKind::InvalidPath,
            None,
            "upsert needs a path".into(),
        ));
    }
    match walk(file, doc, path)? {
        Walk::Found(steps) => {
            check_anchors(file, doc, &steps, path)?;
            set_found(file, doc, path, &steps, value)
        }
        Walk::Missing { steps, at } => {
            check_anchors(file, doc, &steps, path)?;
            let parent = steps[steps.len() - 1];
            let keys = keys_of(file, path, at, parent.node.span())?;
            let splices = insert_under(
                file,
                parent,
                &keys,
                Leaf::Scalar(value),
                &shown(&path[..at]),
            )?;
            let expected = scalar::render_inline(
                value,
                ScalarStyle::Plain,
                None,
                parent.in_flow || is_flow_collection(parent.node),
            );
            finish(
                file,
                splices,
                expect_scalar(doc, path, &expected.value, expected.kind),
            )
        }
    }
}

/// Appends a mapping item made of `item`'s key/value pairs to the sequence at `path`, creating
/// the key (and missing keys above it) when it does not exist or is null.
///
/// In a block sequence the item is written at the existing items' `-` column, its keys where
/// the existing items put theirs; a value is quoted like the same key in the last existing item
/// when that one is quoted. In a flow sequence `, {key: value}` is added.
pub fn append_item(
    file: &YamlFile,
    doc: usize,
    path: &[PathSeg],
    item: &[(&str, NewValue<'_>)],
) -> Result<String, EditError> {
    if item.is_empty() {
        return Err(error(
            file,
            EditErrorKind::InvalidPath,
            None,
            "an item needs at least one key".into(),
        ));
    }
    let (steps, at) = match walk(file, doc, path)? {
        Walk::Found(steps) => (steps, None),
        Walk::Missing { steps, at } => (steps, Some(at)),
    };
    check_anchors(file, doc, &steps, path)?;
    let target = steps[steps.len() - 1];
    let what = shown(path);
    let mut old_len = 0;
    let splices = match (at, target.node) {
        (Some(at), _) => {
            let keys = keys_of(file, path, at, target.node.span())?;
            insert_under(
                file,
                target,
                &keys,
                Leaf::Item(item, &[]),
                &shown(&path[..at]),
            )?
        }
        (
            None,
            Node::Seq {
                items,
                flow: false,
                span,
                ..
            },
        ) => {
            old_len = items.len();
            let dash_col = span.column as usize - 1;
            let item_offset = items
                .iter()
                .find_map(|n| match n {
                    Node::Map {
                        flow: false,
                        span: s,
                        ..
                    } if s.column > span.column => Some((s.column - span.column) as usize),
                    _ => None,
                })
                .unwrap_or(layout(file).item_offset);
            let styles = sibling_styles(items.last(), item);
            let at = insertion_point(file, &items[items.len() - 1], dash_col);
            vec![block_insert(
                file,
                at,
                &item_lines(item, &styles, dash_col, item_offset),
            )]
        }
        (
            None,
            Node::Seq {
                items,
                flow: true,
                span,
                ..
            },
        ) => {
            old_len = items.len();
            let styles = sibling_styles(items.last(), item);
            let text = flow_item(item, &styles);
            vec![match items.last() {
                None => Splice {
                    start: span.start + 1,
                    end: span.start + 1,
                    text,
                },
                Some(last) => Splice {
                    start: last.span().end,
                    end: last.span().end,
                    text: format!(", {text}"),
                },
            }]
        }
        (
            None,
            Node::Scalar {
                kind: ScalarKind::Null,
                span,
                ..
            },
        ) => {
            if target.in_flow {
                let needs_space = span.start > 0
                    && !matches!(file.text().as_bytes()[span.start - 1], b' ' | b'\t');
                vec![Splice {
                    start: span.start,
                    end: span.end,
                    text: format!(
                        "{}[{}]",
                        if needs_space { " " } else { "" },
                        flow_item(item, &[])
                    ),
                }]
            } else {
                let Some(key_span) = target.key_span else {
                    return Err(error(
                        file,
                        EditErrorKind::Unsupported,
                        Some(*span),
                        format!(
                            "{what} is an empty sequence item or document; give it a value first"
                        ),
                    ));
                };
                let layout = layout(file);
                let dash_col = key_span.column as usize - 1 + layout.seq_offset;
                null_to_block(
                    file,
                    key_span,
                    *span,
                    target.node,
                    item_lines(item, &[], dash_col, layout.item_offset),
                )?
            }
        }
        (None, Node::Alias { name, span }) => {
            return Err(through_alias(file, doc, &what, name, *span))
        }
        (None, other) => {
            return Err(error(
                file,
                EditErrorKind::WrongShape,
                Some(other.span()),
                format!("{what} is not a sequence"),
            ))
        }
    };
    let in_flow = target.in_flow || is_flow_collection(target.node);
    let expected: Vec<(String, String, ScalarKind)> = item
        .iter()
        .map(|(k, v)| {
            let r = scalar::render_inline(*v, ScalarStyle::Plain, None, in_flow);
            (k.to_string(), r.value, r.kind)
        })
        .collect();
    finish(file, splices, move |f| match f.get(doc, path) {
        Some(Node::Seq { items, .. }) if items.len() == old_len + 1 => {
            let last = &items[old_len];
            for (k, v, kind) in &expected {
                match last.get_key(k) {
                    Some(Node::Scalar {
                        value, kind: kd, ..
                    }) if value == v && kd == kind => {}
                    other => {
                        return Err(format!("the new item's `{k}` would read back as {other:?}"))
                    }
                }
            }
            Ok(())
        }
        other => Err(format!("{what} would read back as {other:?}")),
    })
}

/// For each new key, the quoting of the same key in the last existing item, when it is quoted.
fn sibling_styles(last: Option<&Node>, item: &[(&str, NewValue<'_>)]) -> Vec<Option<ScalarStyle>> {
    item.iter()
        .map(|(k, v)| match (last.and_then(|n| n.get_key(k)), v) {
            (
                Some(Node::Scalar {
                    style: s @ (ScalarStyle::SingleQuoted | ScalarStyle::DoubleQuoted),
                    ..
                }),
                NewValue::Str(_),
            ) => Some(*s),
            _ => None,
        })
        .collect()
}

/// Removes the sequence item at `path` (which ends with an index): its lines in a block
/// sequence, with the comment lines below it that are indented deeper than its `-`; the item
/// and one comma in a flow sequence. Removing the only item of a block sequence under a key
/// leaves `key: []`. The undo of [`append_item`] on an existing sequence.
pub fn remove_item(file: &YamlFile, doc: usize, path: &[PathSeg]) -> Result<String, EditError> {
    let Some((PathSeg::Index(index), parent_path)) = path.split_last() else {
        return Err(error(
            file,
            EditErrorKind::InvalidPath,
            None,
            format!(
                "{} does not name a sequence item (it must end with an index)",
                shown(path)
            ),
        ));
    };
    let index = *index;
    let steps = match walk(file, doc, path)? {
        Walk::Found(steps) => steps,
        Walk::Missing { steps, .. } => {
            return Err(error(
                file,
                EditErrorKind::NotFound,
                Some(steps[steps.len() - 1].node.span()),
                format!("{} does not exist", shown(path)),
            ))
        }
    };
    check_anchors(file, doc, &steps, path)?;
    let seq_step = steps[steps.len() - 2];
    let Node::Seq {
        items, flow, span, ..
    } = seq_step.node
    else {
        return Err(error(
            file,
            EditErrorKind::WrongShape,
            None,
            format!("{} is not a sequence", shown(parent_path)),
        ));
    };
    let text = file.text();
    let item = &items[index];
    let mut splices = Vec::new();
    if *flow {
        let (start, end) = if index + 1 < items.len() {
            (item.span().start, items[index + 1].span().start)
        } else if index > 0 {
            (items[index - 1].span().end, item.span().end)
        } else {
            (item.span().start, item.span().end)
        };
        splices.push(Splice {
            start,
            end,
            text: String::new(),
        });
    } else {
        let dash = if index == 0 {
            span.start
        } else {
            text::skip_to_next_token(text, items[index - 1].span().end)
        };
        let dash_line = file.lines.line_of(dash);
        let line_start = file.lines.line_start(dash_line);
        if !text[line_start..dash].trim().is_empty() {
            return Err(error(
                file,
                EditErrorKind::Unsupported,
                Some(item.span()),
                format!(
                    "{} shares its line with other content; remove it by hand",
                    shown(path)
                ),
            ));
        }
        let (end, at_eof) = insertion_point(file, item, span.column as usize - 1);
        let start = if at_eof {
            // The file ends in this item without a line break: take the break before it instead.
            text[..line_start]
                .strip_suffix('\n')
                .map_or(line_start, |t| t.strip_suffix('\r').unwrap_or(t).len())
        } else {
            line_start
        };
        splices.push(Splice {
            start,
            end,
            text: String::new(),
        });
        if items.len() == 1 {
            let Some(key_span) = seq_step.key_span else {
                return Err(error(
                    file,
                    EditErrorKind::Unsupported,
                    Some(*span),
                    format!(
                        "{} is the only item of a sequence that is not under a key",
                        shown(path)
                    ),
                ));
            };
            let colon = text[key_span.end..]
                .find(':')
                .map_or(key_span.end, |i| key_span.end + i + 1);
            splices.push(Splice {
                start: colon,
                end: colon,
                text: " []".into(),
            });
        }
    }
    let old_len = items.len();
    finish(file, splices, move |f| match f.get(doc, parent_path) {
        Some(Node::Seq { items, .. }) if items.len() + 1 == old_len => Ok(()),
        other => Err(format!(
            "{} would read back as {other:?}",
            shown(parent_path)
        )),
    })
}
