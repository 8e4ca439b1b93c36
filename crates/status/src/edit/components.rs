//! `components.yaml`: a component's status, and moving a component within or between groups.

use super::error::{EditError, EditErrorCode};
use super::text::{engine_error, indent_of, key, line_break, parse_yaml, value_end};
use super::updates::internal;
use crate::load::{components_alone, COMPONENTS_FILE};
use crate::model::{ComponentGroup, ComponentStatus};
use wheelhouse_yaml::{
    self as yaml, apply_splices, Entry, NewValue, Node, PathSeg, Splice, YamlFile,
};

const FILE: &str = COMPONENTS_FILE;

/// One list of components as the page shows it: the top-level `components:` (only when it has
/// items, as the loader makes a group of it), then each group's.
struct List<'f> {
    /// The group's mapping; `None` for the top-level list.
    group: Option<&'f Node>,
    /// The `components` entry, when the group has one.
    entry: Option<&'f Entry>,
    path: Vec<PathSeg>,
}

impl List<'_> {
    fn items(&self) -> &[Node] {
        match self.entry.map(|e| &e.value) {
            Some(Node::Seq { items, .. }) => items,
            _ => &[],
        }
    }
}

fn entry<'f>(node: &'f Node, k: &str) -> Option<&'f Entry> {
    match node {
        Node::Map { entries, .. } => entries.iter().find(|e| e.key == k),
        _ => None,
    }
}

fn lists(file: &YamlFile) -> Vec<List<'_>> {
    let mut out = Vec::new();
    let Some(root) = file.documents().first() else {
        return out;
    };
    if let Some(e) = entry(root, "components") {
        if matches!(&e.value, Node::Seq { items, .. } if !items.is_empty()) {
            out.push(List {
                group: None,
                entry: Some(e),
                path: vec![key("components")],
            });
        }
    }
    if let Some(Node::Seq { items, .. }) = root.get_key("groups") {
        for (i, g) in items.iter().enumerate() {
            out.push(List {
                group: Some(g),
                entry: entry(g, "components"),
                path: vec![key("groups"), PathSeg::Index(i), key("components")],
            });
        }
    }
    out
}

fn find(lists: &[List<'_>], id: &str) -> Option<(usize, usize)> {
    lists.iter().enumerate().find_map(|(l, list)| {
        list.items()
            .iter()
            .position(|item| item.get_key("id").and_then(Node::as_str).map(str::trim) == Some(id))
            .map(|i| (l, i))
    })
}

fn unknown_component(id: &str) -> EditError {
    EditError::new(
        EditErrorCode::UnknownComponent,
        FILE,
        format!("there is no component `{id}` in components.yaml"),
    )
}

fn current(text: &str) -> Result<(Vec<ComponentGroup>, YamlFile), EditError> {
    let groups = components_alone(text).map_err(|p| EditError::does_not_load(FILE, p))?;
    let file = parse_yaml(FILE, text, 0)?;
    Ok((groups, file))
}

/// Sets the status of component `id` in `components.yaml`: the value of its `status` key
/// (quoting kept), or a `status` key added at the end of the component when it has none (none
/// is added for `operational`, the default).
pub fn set_component_status(
    components_yaml: &str,
    id: &str,
    status: ComponentStatus,
) -> Result<String, EditError> {
    let (_, file) = current(components_yaml)?;
    let lists = lists(&file);
    let (l, i) = find(&lists, id).ok_or_else(|| unknown_component(id))?;
    let mut path = lists[l].path.clone();
    path.push(PathSeg::Index(i));
    path.push(key("status"));
    let value = NewValue::Str(status.as_str());
    let out = match lists[l].items()[i].get_key("status") {
        Some(_) => yaml::set_scalar(&file, 0, &path, value),
        None if status == ComponentStatus::Operational => return Ok(components_yaml.to_string()),
        None => yaml::upsert(&file, 0, &path, value),
    }
    .map_err(|e| engine_error(e, 0))?;
    let after = components_alone(&out).map_err(|p| internal(FILE, "the status", p))?;
    let set = after
        .iter()
        .flat_map(|g| &g.components)
        .any(|c| c.id == id && c.status == status);
    if !set {
        return Err(internal(FILE, "the status", Vec::new()));
    }
    Ok(out)
}

/// An item of a block list: its lines (leading comment lines at its `-` column included, the
/// comment lines indented deeper below it included) and its `-` column.
struct Bounds {
    start: usize,
    end: usize,
    /// The text ends inside the item, without a line break.
    at_eof: bool,
    dash_col: usize,
}

fn block_bounds(file: &YamlFile, seq: &Node, index: usize, id: &str) -> Result<Bounds, EditError> {
    let Node::Seq { items, span, .. } = seq else {
        return Err(EditError::new(EditErrorCode::Internal, FILE, "not a list"));
    };
    let (text, lines) = (file.text(), file.lines());
    let dash_col = span.column as usize - 1;
    let item = &items[index];
    let bytes = text.as_bytes();
    let mut p = item.span().start;
    while p > 0 && matches!(bytes[p - 1], b' ' | b'\t' | b'\n' | b'\r') {
        p -= 1;
    }
    let dash = p.checked_sub(1).filter(|&d| bytes[d] == b'-');
    let line_ok = dash.is_some_and(|d| {
        let start = lines.line_start(lines.line_of(d));
        d - start == dash_col && text[start..d].bytes().all(|b| b == b' ')
    });
    let Some(dash) = dash.filter(|_| line_ok) else {
        let s = item.span();
        return Err(EditError::new(
            EditErrorCode::Unsupported,
            FILE,
            format!(
                "the component `{id}` is not written as a `- ` item on a line of its own; move it by hand"
            ),
        )
        .at(s.line, s.column));
    };
    let mut first = lines.line_of(dash);
    while first > 0 {
        let above = lines.line_text(text, first - 1);
        if above.trim_start().starts_with('#') && indent_of(above) == dash_col {
            first -= 1;
        } else {
            break;
        }
    }
    let (end, at_eof) = yaml::insertion_point(file, item, dash_col);
    Ok(Bounds {
        start: lines.line_start(first),
        end,
        at_eof,
        dash_col,
    })
}

/// The moved item's text.
enum Moving {
    /// Whole lines of a block list, ending with a line break, and the `-` column; the item
    /// itself when it is a one-line `{…}` without comments (it can then go into a `[…]` list).
    Lines {
        text: String,
        dash_col: usize,
        flow: Option<String>,
    },
    /// An item of a `[…]` list.
    Flow(String),
}

impl Moving {
    /// As lines of a block list whose `-` is at `dash_col`.
    fn as_lines(&self, dash_col: usize, nl: &str) -> Result<String, EditError> {
        match self {
            Moving::Lines {
                text,
                dash_col: from,
                ..
            } => reindent(text, dash_col as isize - *from as isize).ok_or_else(|| {
                EditError::new(
                    EditErrorCode::Unsupported,
                    FILE,
                    "the component's lines cannot be indented for that list; move it by hand",
                )
            }),
            Moving::Flow(item) if !item.contains('\n') => {
                Ok(format!("{}- {item}{nl}", " ".repeat(dash_col)))
            }
            Moving::Flow(_) => Err(EditError::new(
                EditErrorCode::Unsupported,
                FILE,
                "the component spans several lines inside `[…]`; move it by hand",
            )),
        }
    }

    fn as_flow(&self) -> Result<&str, EditError> {
        match self {
            Moving::Flow(item)
            | Moving::Lines {
                flow: Some(item), ..
            } => Ok(item),
            Moving::Lines { .. } => Err(EditError::new(
                EditErrorCode::Unsupported,
                FILE,
                "that group lists its components inside `[…]`, and this component is written on \
                 several lines (or has comments); write the group's list as `- ` lines first",
            )),
        }
    }
}

/// Shifts every non-blank line by `delta` columns; `None` when a line has too few spaces.
fn reindent(text: &str, delta: isize) -> Option<String> {
    if delta == 0 {
        return Some(text.to_string());
    }
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        if line.trim().is_empty() {
            out.push_str(line);
        } else if delta > 0 {
            out.push_str(&" ".repeat(delta.unsigned_abs()));
            out.push_str(line);
        } else {
            let d = delta.unsigned_abs();
            if indent_of(line) < d {
                return None;
            }
            out.push_str(&line[d..]);
        }
    }
    Some(out)
}

/// How far a list's `-` sits from its key in this file (`components:\n  - …`: 2).
fn list_offset(lists: &[List<'_>]) -> usize {
    lists
        .iter()
        .find_map(|l| match l.entry {
            Some(Entry {
                key_span,
                value: Node::Seq {
                    flow: false, span, ..
                },
                ..
            }) => Some(span.column.saturating_sub(key_span.column) as usize),
            _ => None,
        })
        .unwrap_or(2)
}

/// The component ids of each list, as the page shows them (an empty top-level list is no
/// group).
fn layout(groups: &[ComponentGroup]) -> Vec<(Option<String>, Vec<String>)> {
    groups
        .iter()
        .filter(|g| g.name.is_some() || !g.components.is_empty())
        .map(|g| {
            (
                g.name.clone(),
                g.components.iter().map(|c| c.id.clone()).collect(),
            )
        })
        .collect()
}

/// Moves component `id` to position `position` (counted from 0, in the list without it) of the
/// group `group_index` (counted from 0 in the page's order: the top-level `components:` list
/// first when it has any, then `groups`). The item's lines move whole, with its comments (and
/// the comment lines directly above it at its `-` column), re-indented when the lists' `-`
/// columns differ. A list left empty becomes `components: []`; a group without components gets
/// a `components:` list.
pub fn move_component(
    components_yaml: &str,
    id: &str,
    group_index: usize,
    position: usize,
) -> Result<String, EditError> {
    let (groups, file) = current(components_yaml)?;
    let text = file.text();
    let lines = file.lines();
    let nl = line_break(text);
    let lists = lists(&file);
    if lists.len() != groups.len() {
        return Err(internal(FILE, "the groups", Vec::new()));
    }
    let (from, index) = find(&lists, id).ok_or_else(|| unknown_component(id))?;
    let Some(target) = lists.get(group_index) else {
        return Err(EditError::new(
            EditErrorCode::InvalidPosition,
            FILE,
            format!(
                "there is no group {group_index}: the page has {} (counting from 0)",
                lists.len()
            ),
        ));
    };
    let remaining: Vec<usize> = (0..target.items().len())
        .filter(|&k| !(group_index == from && k == index))
        .collect();
    if position > remaining.len() {
        let name = groups[group_index].name.as_deref().unwrap_or("(no group)");
        return Err(EditError::new(
            EditErrorCode::InvalidPosition,
            FILE,
            format!(
                "position {position} is past the end of `{name}`: it can take positions 0 to {}",
                remaining.len()
            ),
        ));
    }
    if group_index == from && position == index {
        return Ok(components_yaml.to_string());
    }

    // Take the item out.
    let source = &lists[from];
    let Some(source_entry) = source.entry else {
        return Err(internal(FILE, "the source list", Vec::new()));
    };
    let source_seq = &source_entry.value;
    let item = &source.items()[index];
    let mut splices = Vec::new();
    let moving = match source_seq {
        Node::Seq { flow: false, .. } => {
            let b = block_bounds(&file, source_seq, index, id)?;
            let mut chunk = text[b.start..b.end].to_string();
            // Blank lines that separated the item from its neighbours: one separator stays
            // between the others, none opens or closes the list.
            let mut removal_start = b.start;
            let mut removal_end = b.end;
            let blank = |line: usize| lines.line_text(text, line).trim().is_empty();
            let blank_before = b.start > 0 && blank(lines.line_of(b.start - 1));
            let mut after = if b.at_eof {
                lines.line_count()
            } else {
                lines.line_of(b.end)
            };
            while after + 1 < lines.line_count() && blank(after) {
                after += 1;
            }
            let blank_after = !b.at_eof && after > lines.line_of(b.end);
            if blank_after && (index == 0 || blank_before) {
                removal_end = lines.line_start(after);
            } else if blank_before && !blank_after && index + 1 == source.items().len() {
                let mut line = lines.line_of(b.start) - 1;
                while line > 0 && blank(line - 1) {
                    line -= 1;
                }
                removal_start = lines.line_start(line);
            }
            let start = if b.at_eof {
                chunk.push_str(nl);
                text[..removal_start]
                    .strip_suffix('\n')
                    .map_or(removal_start, |t| t.strip_suffix('\r').unwrap_or(t).len())
            } else {
                removal_start
            };
            splices.push(Splice {
                start,
                end: removal_end,
                text: String::new(),
            });
            if source.items().len() == 1 {
                let colon = text[source_entry.key_span.end..]
                    .find(':')
                    .map_or(source_entry.key_span.end, |i| {
                        source_entry.key_span.end + i + 1
                    });
                splices.push(Splice {
                    start: colon,
                    end: colon,
                    text: " []".into(),
                });
            }
            let (start, end) = (item.span().start, value_end(text, item));
            let one_line =
                chunk.trim_end().lines().count() == 1 && text[end..b.end].trim().is_empty();
            let flow = (matches!(item, Node::Map { flow: true, .. }) && one_line)
                .then(|| text[start..end].to_string());
            Moving::Lines {
                text: chunk,
                dash_col: b.dash_col,
                flow,
            }
        }
        Node::Seq { items, .. } => {
            let end = value_end(text, item);
            let (start, end) = if index + 1 < items.len() {
                (item.span().start, items[index + 1].span().start)
            } else if index > 0 {
                (value_end(text, &items[index - 1]), end)
            } else {
                (item.span().start, end)
            };
            splices.push(Splice {
                start,
                end,
                text: String::new(),
            });
            Moving::Flow(text[item.span().start..value_end(text, item)].to_string())
        }
        _ => return Err(internal(FILE, "the source list", Vec::new())),
    };

    // Put it in.
    let unsupported =
        |message: &str| EditError::new(EditErrorCode::Unsupported, FILE, message.to_string());
    match target.entry.map(|e| &e.value) {
        Some(
            seq @ Node::Seq {
                items,
                flow: false,
                span,
                ..
            },
        ) if !remaining.is_empty() => {
            let dash_col = span.column as usize - 1;
            let at = if position < remaining.len() {
                (
                    block_bounds(&file, seq, remaining[position], id)?.start,
                    false,
                )
            } else {
                yaml::insertion_point(&file, &items[remaining[remaining.len() - 1]], dash_col)
            };
            let chunk = moving.as_lines(dash_col, nl)?;
            splices.push(Splice {
                start: at.0,
                end: at.0,
                text: if at.1 {
                    format!("{nl}{}", chunk.strip_suffix(nl).unwrap_or(&chunk))
                } else {
                    chunk
                },
            });
        }
        Some(Node::Seq {
            items, flow: true, ..
        }) if !remaining.is_empty() => {
            let item = moving.as_flow()?;
            splices.push(if position < remaining.len() {
                let at = items[remaining[position]].span().start;
                Splice {
                    start: at,
                    end: at,
                    text: format!("{item}, "),
                }
            } else {
                let at = value_end(text, &items[remaining[remaining.len() - 1]]);
                Splice {
                    start: at,
                    end: at,
                    text: format!(", {item}"),
                }
            });
        }
        Some(value) => {
            // An empty list (`[]`, or nothing after `components:`): it becomes a block list.
            let Some(entry) = target.entry else {
                return Err(internal(FILE, "the target list", Vec::new()));
            };
            if matches!(target.group, Some(Node::Map { flow: true, .. })) {
                return Err(unsupported(
                    "that group is written as one `{…}` mapping; write it on lines first",
                ));
            }
            let key_col = entry.key_span.column as usize - 1;
            let span = value.span();
            let end = value_end(text, value);
            if end > span.start {
                let start = text[..span.start].trim_end_matches([' ', '\t']).len();
                splices.push(Splice {
                    start,
                    end,
                    text: String::new(),
                });
            }
            let chunk = moving.as_lines(key_col + list_offset(&lists), nl)?;
            let at = yaml::insertion_point(&file, value, key_col);
            splices.push(Splice {
                start: at.0,
                end: at.0,
                text: if at.1 {
                    format!("{nl}{}", chunk.strip_suffix(nl).unwrap_or(&chunk))
                } else {
                    chunk
                },
            });
        }
        None => {
            // A group without a `components` key: add one after its last key.
            let Some(Node::Map {
                entries,
                flow: false,
                span,
                ..
            }) = target.group
            else {
                return Err(unsupported(
                    "that group is written as one `{…}` mapping; write it on lines first",
                ));
            };
            let key_col = span.column as usize - 1;
            let last = &entries[entries.len() - 1].value;
            let chunk = moving.as_lines(key_col + list_offset(&lists), nl)?;
            let at = yaml::insertion_point(&file, last, key_col);
            let block = format!("{}components:{nl}{chunk}", " ".repeat(key_col));
            splices.push(Splice {
                start: at.0,
                end: at.0,
                text: if at.1 {
                    format!("{nl}{}", block.strip_suffix(nl).unwrap_or(&block))
                } else {
                    block
                },
            });
        }
    }
    let out = apply_splices(text, splices);

    // Read back: the same components, in the expected order, the moved one unchanged.
    let after = components_alone(&out).map_err(|p| internal(FILE, "the move", p))?;
    let mut expected: Vec<(Option<String>, Vec<String>)> = groups
        .iter()
        .map(|g| {
            (
                g.name.clone(),
                g.components.iter().map(|c| c.id.clone()).collect(),
            )
        })
        .collect();
    expected[from].1.remove(index);
    expected[group_index].1.insert(position, id.to_string());
    expected.retain(|(name, ids)| name.is_some() || !ids.is_empty());
    let same_component = |gs: &[ComponentGroup]| {
        gs.iter()
            .flat_map(|g| &g.components)
            .find(|c| c.id == id)
            .map(|c| format!("{c:?}"))
    };
    if layout(&after) != expected || same_component(&after) != same_component(&groups) {
        return Err(internal(FILE, "the move", Vec::new()));
    }
    Ok(out)
}
