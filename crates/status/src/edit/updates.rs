//! What incidents and maintenances share: an update appended to `updates`, the top-level keys
//! an update changes (`status`, `resolved_at`), and the order of updates.

use super::error::{EditError, EditErrorCode};
use super::text::{
    body_entry, engine_error, format_time, insert_lines, item_lines, key, line_break, place,
    scalar, time_value, value_end, Quote, FRONT_MATTER_LINES,
};
use crate::error::StatusError;
use jiff::{Timestamp, Zoned};
use wheelhouse_yaml::{self as yaml, apply_splices, Entry, NewValue, Node, Splice, YamlFile};

/// An update to write.
pub(super) struct NewUpdate<'a> {
    /// RFC 3339, as [`format_time`] writes it.
    pub at: String,
    pub status: &'a str,
    /// Normalised Markdown; empty: no `body` key.
    pub body: &'a str,
    /// Component id → status; empty: no `components` key.
    pub components: &'a [(&'a str, &'a str)],
}

const KEYS: [&str; 4] = ["at", "status", "body", "components"];

/// How the latest written update is laid out, which a new one copies.
struct Sibling {
    order: Vec<&'static str>,
    at: Quote,
    status: Quote,
    body: Quote,
    /// `components: {a: b}` (the default) or a block mapping indented by `components_step`.
    components_flow: bool,
    components_step: usize,
}

impl Sibling {
    fn of(last: Option<&Node>) -> Sibling {
        let mut order: Vec<&'static str> = Vec::new();
        let mut components_flow = true;
        let mut components_step = 2;
        if let Some(Node::Map { entries, .. }) = last {
            for e in entries {
                if let Some(k) = KEYS.iter().find(|k| **k == e.key) {
                    order.push(k);
                }
                if e.key == "components" {
                    if let Node::Map {
                        flow: false, span, ..
                    } = &e.value
                    {
                        components_flow = false;
                        components_step =
                            (span.column.saturating_sub(e.key_span.column) as usize).max(1);
                    }
                }
            }
        }
        for k in KEYS {
            if !order.contains(&k) {
                order.push(k);
            }
        }
        let quote = |k: &str| Quote::of(last.and_then(|n| n.get_key(k)));
        Sibling {
            order,
            at: quote("at"),
            status: quote("status"),
            body: quote("body"),
            components_flow,
            components_step,
        }
    }
}

/// The update's entries as lines relative to the item's key column.
fn block_entries(u: &NewUpdate<'_>, sib: &Sibling) -> Result<Vec<Vec<String>>, EditError> {
    let mut out = Vec::new();
    for k in &sib.order {
        match *k {
            "at" => out.push(vec![format!("at: {}", time_value(&u.at, sib.at, false)?)]),
            "status" => out.push(vec![format!(
                "status: {}",
                scalar(u.status, sib.status, false)?
            )]),
            "body" if !u.body.is_empty() => out.push(body_entry(u.body, sib.body)?),
            "components" if !u.components.is_empty() => {
                if sib.components_flow {
                    out.push(vec![format!("components: {}", flow_map(u.components)?)]);
                } else {
                    let mut lines = vec!["components:".to_string()];
                    for (id, status) in u.components {
                        lines.push(format!(
                            "{}{}: {}",
                            " ".repeat(sib.components_step),
                            scalar(id, Quote::Plain, false)?,
                            scalar(status, Quote::Plain, false)?
                        ));
                    }
                    out.push(lines);
                }
            }
            _ => {}
        }
    }
    Ok(out)
}

pub(super) fn flow_map(pairs: &[(&str, &str)]) -> Result<String, EditError> {
    let mut inner = Vec::new();
    for (k, v) in pairs {
        inner.push(format!(
            "{}: {}",
            scalar(k, Quote::Plain, true)?,
            scalar(v, Quote::Plain, true)?
        ));
    }
    Ok(format!("{{{}}}", inner.join(", ")))
}

/// The update as one flow mapping: `{at: …, status: …, body: "…", components: {…}}`.
fn flow_entry(u: &NewUpdate<'_>, sib: &Sibling) -> Result<String, EditError> {
    let mut parts = Vec::new();
    for k in &sib.order {
        match *k {
            "at" => parts.push(format!("at: {}", time_value(&u.at, sib.at, true)?)),
            "status" => parts.push(format!("status: {}", scalar(u.status, sib.status, true)?)),
            "body" if !u.body.is_empty() => {
                let quote = if u.body.contains('\n') {
                    Quote::Double
                } else {
                    sib.body
                };
                parts.push(format!("body: {}", scalar(u.body, quote, true)?));
            }
            "components" if !u.components.is_empty() => {
                parts.push(format!("components: {}", flow_map(u.components)?))
            }
            _ => {}
        }
    }
    Ok(format!("{{{}}}", parts.join(", ")))
}

fn root_map<'f>(path: &str, file: &'f YamlFile) -> Result<(&'f [Entry], bool, usize), EditError> {
    match file.documents().first() {
        Some(Node::Map {
            entries,
            flow,
            span,
            ..
        }) if !entries.is_empty() => Ok((entries, *flow, span.column as usize - 1)),
        _ => Err(EditError::new(
            EditErrorCode::InvalidFile,
            path,
            "the front matter is not a mapping of keys",
        )
        .at(FRONT_MATTER_LINES + 1, 1)),
    }
}

/// The front matter's YAML with `u` appended to `updates`, laid out like the latest written
/// update (its `-` column, its keys' column and order, its quoting, flow or block
/// `components`). A missing `updates` is added at the end; `updates: []` becomes a block list.
pub(super) fn append_update(
    path: &str,
    file: &YamlFile,
    u: &NewUpdate<'_>,
) -> Result<String, EditError> {
    let text = file.text();
    let nl = line_break(text);
    let (entries, root_flow, key_col) = root_map(path, file)?;
    let entry = entries.iter().find(|e| e.key == "updates");
    let splices = match entry.map(|e| (e, &e.value)) {
        Some((
            _,
            Node::Seq {
                items,
                flow: false,
                span,
                ..
            },
        )) if !items.is_empty() => {
            let last = &items[items.len() - 1];
            let dash = span.column as usize - 1;
            let sib = Sibling::of(Some(last));
            let new_lines = match last {
                Node::Map { flow: true, .. } => {
                    vec![format!("{}- {}", " ".repeat(dash), flow_entry(u, &sib)?)]
                }
                Node::Map {
                    flow: false,
                    entries,
                    ..
                } => item_lines(
                    &block_entries(u, &sib)?,
                    dash,
                    entries[0].key_span.column as usize - 1,
                ),
                _ => item_lines(&block_entries(u, &sib)?, dash, dash + 2),
            };
            vec![insert_lines(
                yaml::insertion_point(file, last, dash),
                &new_lines,
                nl,
            )]
        }
        Some((
            _,
            Node::Seq {
                items, flow: true, ..
            },
        )) if !items.is_empty() => {
            let last = &items[items.len() - 1];
            let end = value_end(text, last);
            vec![Splice {
                start: end,
                end,
                text: format!(", {}", flow_entry(u, &Sibling::of(Some(last)))?),
            }]
        }
        Some((entry, value)) if value.is_null() || matches!(value, Node::Seq { .. }) => {
            let span = value.span();
            let end = value_end(text, value);
            if root_flow {
                let needs_space = span.start > 0 && text.as_bytes()[span.start - 1] == b':';
                vec![Splice {
                    start: span.start,
                    end,
                    text: format!(
                        "{}[{}]",
                        if needs_space { " " } else { "" },
                        flow_entry(u, &Sibling::of(None))?
                    ),
                }]
            } else {
                let col = entry.key_span.column as usize - 1;
                let mut splices = Vec::new();
                if end > span.start {
                    let start = text[..span.start].trim_end_matches([' ', '\t']).len();
                    splices.push(Splice {
                        start,
                        end,
                        text: String::new(),
                    });
                }
                let new_lines =
                    item_lines(&block_entries(u, &Sibling::of(None))?, col + 2, col + 4);
                splices.push(insert_lines(
                    yaml::insertion_point(file, value, col),
                    &new_lines,
                    nl,
                ));
                splices
            }
        }
        None if !root_flow => {
            let last = &entries[entries.len() - 1].value;
            let mut new_lines = vec![format!("{}updates:", " ".repeat(key_col))];
            new_lines.extend(item_lines(
                &block_entries(u, &Sibling::of(None))?,
                key_col + 2,
                key_col + 4,
            ));
            vec![insert_lines(
                yaml::insertion_point(file, last, key_col),
                &new_lines,
                nl,
            )]
        }
        None => {
            return Err(EditError::new(
                EditErrorCode::Unsupported,
                path,
                "the front matter is one `{…}` mapping without updates; add `updates:` by hand",
            ))
        }
        Some((_, other)) => {
            let (line, column) = place(other, FRONT_MATTER_LINES);
            return Err(EditError::new(
                EditErrorCode::InvalidFile,
                path,
                "`updates` is not a list of updates",
            )
            .at(line, column));
        }
    };
    Ok(apply_splices(text, splices))
}

/// Sets a top-level scalar, keeping its quoting.
pub(super) fn set_top(file: &YamlFile, k: &str, value: &str) -> Result<String, EditError> {
    yaml::set_scalar(file, 0, &[key(k)], NewValue::Str(value))
        .map_err(|e| engine_error(e, FRONT_MATTER_LINES))
}

/// Sets a top-level time, or adds it on the line after the key `after` (after the last key
/// when `after` is absent).
pub(super) fn set_top_time(
    path: &str,
    file: &YamlFile,
    k: &str,
    time: &str,
    after: &str,
) -> Result<String, EditError> {
    let (entries, root_flow, key_col) = root_map(path, file)?;
    let engine = |e| engine_error(e, FRONT_MATTER_LINES);
    if let Some(existing) = entries.iter().find(|e| e.key == k) {
        let value = match Quote::of(Some(&existing.value)) {
            Quote::Plain => NewValue::Plain(time),
            _ => NewValue::Str(time),
        };
        return yaml::set_scalar(file, 0, &[key(k)], value).map_err(engine);
    }
    let anchor = entries.iter().find(|e| e.key == after);
    match anchor {
        Some(anchor) if !root_flow => {
            let text = file.text();
            let at = yaml::insertion_point(file, &anchor.value, key_col);
            let line = format!(
                "{}{k}: {}",
                " ".repeat(key_col),
                time_value(time, Quote::of(Some(&anchor.value)), false)?
            );
            Ok(apply_splices(
                text,
                vec![insert_lines(at, &[line], line_break(text))],
            ))
        }
        _ => yaml::upsert(file, 0, &[key(k)], NewValue::Plain(time)).map_err(engine),
    }
}

/// Removes a top-level key written on its own lines (with the comment lines inside it).
pub(super) fn remove_top(path: &str, file: &YamlFile, k: &str) -> Result<String, EditError> {
    let (entries, root_flow, key_col) = root_map(path, file)?;
    let Some(entry) = entries.iter().find(|e| e.key == k) else {
        return Ok(file.text().to_string());
    };
    let text = file.text();
    let lines = file.lines();
    let line = lines.line_of(entry.key_span.start);
    let line_start = lines.line_start(line);
    let (line_no, column) = (
        entry.key_span.line + FRONT_MATTER_LINES,
        entry.key_span.column,
    );
    if root_flow || entries.len() == 1 || !text[line_start..entry.key_span.start].trim().is_empty()
    {
        return Err(EditError::new(
            EditErrorCode::Unsupported,
            path,
            format!("`{k}` is not on a line of its own; remove it by hand"),
        )
        .at(line_no, column));
    }
    let (end, at_eof) = yaml::insertion_point(file, &entry.value, key_col);
    let start = if at_eof {
        text[..line_start]
            .strip_suffix('\n')
            .map_or(line_start, |t| t.strip_suffix('\r').unwrap_or(t).len())
    } else {
        line_start
    };
    Ok(apply_splices(
        text,
        vec![Splice {
            start,
            end,
            text: String::new(),
        }],
    ))
}

/// The latest update as written: its `at` node and time.
fn latest_update(file: &YamlFile) -> Option<(&Node, Timestamp)> {
    let Some(Node::Seq { items, .. }) = file.get(0, &[key("updates")]) else {
        return None;
    };
    items
        .iter()
        .filter_map(|item| {
            let at = item.get_key("at")?;
            let time = at.as_str()?.trim().parse::<Timestamp>().ok()?;
            Some((at, time))
        })
        .fold(
            None,
            |best: Option<(&Node, Timestamp)>, (node, time)| match best {
                Some((_, t)) if t > time => best,
                _ => Some((node, time)),
            },
        )
}

/// Refuses an update dated before the latest update already written.
pub(super) fn check_after_latest(path: &str, file: &YamlFile, at: &Zoned) -> Result<(), EditError> {
    if let Some((node, latest)) = latest_update(file) {
        if at.timestamp() < latest {
            let (line, column) = place(node, FRONT_MATTER_LINES);
            return Err(EditError::new(
                EditErrorCode::UpdateBeforePrevious,
                path,
                format!(
                    "this update ({}) is dated before the latest update ({}); updates are added in order",
                    format_time(at),
                    node.as_str().unwrap_or_default().trim()
                ),
            )
            .at(line, column));
        }
    }
    Ok(())
}

/// Refuses a component named twice in one list.
pub(super) fn check_unique<'a>(
    file: &str,
    ids: impl Iterator<Item = &'a str>,
) -> Result<(), EditError> {
    let mut seen: Vec<&str> = Vec::new();
    for id in ids {
        if seen.contains(&id) {
            return Err(EditError::new(
                EditErrorCode::InvalidValue,
                file,
                format!("the component `{id}` is named twice"),
            ));
        }
        seen.push(id);
    }
    Ok(())
}

/// A result that does not read back as intended: never returned as text.
pub(super) fn internal(path: &str, what: &str, problems: Vec<StatusError>) -> EditError {
    let mut e = EditError::new(
        EditErrorCode::Internal,
        path,
        format!("the edit would not read back as intended ({what}); nothing was written"),
    );
    e.problems = problems;
    e
}
