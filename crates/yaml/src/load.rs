//! Builds the span-carrying tree from `saphyr-parser` events.
//!
//! The parser reports positions in characters and its spans are not always the node's own text
//! (a quoted scalar's span can run on over a trailing comment; an indentless sequence starts at
//! its first item; a block scalar starts at its content, not its `|`). So every span is rebuilt
//! here from the text: byte offsets of exactly the node's own characters.

use super::error::{YamlError, YamlErrorKind};
use super::scalar::resolve_plain;
use super::text::{self, CharToByte, LineIndex};
use super::{Entry, Node, ScalarKind, ScalarStyle, Span};
use saphyr_parser::{
    Event, Parser, ScalarStyle as ParserStyle, ScanError, Span as ParserSpan, StrInput,
};
use std::borrow::Cow;
use std::collections::HashMap;

/// Deeper nesting than this is refused rather than risking the stack.
const MAX_DEPTH: usize = 200;

/// What a node is to its parent: it decides where an empty (null) node is said to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Root,
    Key,
    Value,
    BlockItem,
    FlowItem,
}

pub(crate) struct Loader<'t> {
    label: &'t str,
    text: &'t str,
    lines: &'t LineIndex,
    chars: CharToByte<'t>,
    parser: Parser<'t, StrInput<'t>>,
    /// End of the last token read: where scanning for the next indicator starts.
    last_end: usize,
    depth: usize,
}

type Ev<'t> = (Event<'t>, ParserSpan);

impl<'t> Loader<'t> {
    pub(crate) fn new(label: &'t str, text: &'t str, lines: &'t LineIndex) -> Loader<'t> {
        Loader {
            label,
            text,
            lines,
            chars: CharToByte::new(text),
            parser: Parser::new_from_str(text),
            last_end: 0,
            depth: 0,
        }
    }

    pub(crate) fn load_documents(mut self) -> Result<Vec<Node>, YamlError> {
        let mut documents = Vec::new();
        loop {
            let (event, span) = self.next()?;
            match event {
                Event::StreamStart | Event::Nothing => {}
                Event::StreamEnd => return Ok(documents),
                Event::DocumentStart(_) => {
                    self.last_end = self.byte(span.end.index());
                    let (event, span) = self.next()?;
                    documents.push(self.node(event, span, Role::Root, false)?);
                    let (event, span) = self.next()?;
                    if !matches!(event, Event::DocumentEnd) {
                        let at = self.byte(span.start.index());
                        return Err(self.error_at(
                            at,
                            YamlErrorKind::Syntax,
                            "expected the end of the document".into(),
                        ));
                    }
                    self.last_end = self.last_end.max(self.byte(span.start.index()));
                }
                _ => {
                    let at = self.byte(span.start.index());
                    return Err(self.error_at(
                        at,
                        YamlErrorKind::Syntax,
                        "unexpected event outside a document".into(),
                    ));
                }
            }
        }
    }

    fn next(&mut self) -> Result<Ev<'t>, YamlError> {
        match self.parser.next_event() {
            Some(Ok(ev)) => Ok(ev),
            Some(Err(e)) => Err(self.scan_error(&e)),
            None => Err(self.error_at(
                self.text.len(),
                YamlErrorKind::Syntax,
                "unexpected end of the file".into(),
            )),
        }
    }

    fn byte(&mut self, char_index: usize) -> usize {
        self.chars.byte(char_index)
    }

    fn span(&self, start: usize, end: usize) -> Span {
        let (line, column) = self.lines.position(self.text, start);
        Span {
            start,
            end,
            line,
            column,
        }
    }

    fn scan_error(&mut self, e: &ScanError) -> YamlError {
        let at = self.byte(e.marker().index());
        self.error_at(at, YamlErrorKind::Syntax, e.info().to_string())
    }

    pub(crate) fn error_at(
        &self,
        offset: usize,
        kind: YamlErrorKind,
        message: String,
    ) -> YamlError {
        let (line, column) = self.lines.position(self.text, offset.min(self.text.len()));
        YamlError {
            kind,
            file: self.label.to_string(),
            line,
            column,
            message,
        }
    }

    fn node(
        &mut self,
        event: Event<'t>,
        span: ParserSpan,
        role: Role,
        in_flow: bool,
    ) -> Result<Node, YamlError> {
        let raw_start = self.byte(span.start.index());
        let raw_end = self.byte(span.end.index()).max(raw_start);
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error_at(
                raw_start,
                YamlErrorKind::Unsupported,
                format!("nesting deeper than {MAX_DEPTH} levels"),
            ));
        }
        let node = match event {
            Event::Alias(_) => {
                let name = self.text[raw_start..raw_end]
                    .trim_start_matches('*')
                    .to_string();
                self.last_end = raw_end;
                Ok(Node::Alias {
                    name,
                    span: self.span(raw_start, raw_end),
                })
            }
            Event::Scalar(value, style, anchor_id, tag) => self.scalar(
                value,
                style,
                anchor_id,
                tag.is_some(),
                raw_start,
                raw_end,
                role,
            ),
            Event::SequenceStart(anchor_id, _) => {
                self.sequence(anchor_id, raw_start, raw_end, in_flow)
            }
            Event::MappingStart(anchor_id, _) => {
                self.mapping(anchor_id, raw_start, raw_end, in_flow)
            }
            _ => Err(self.error_at(raw_start, YamlErrorKind::Syntax, "expected a node".into())),
        };
        self.depth -= 1;
        node
    }

    /// A collection's own properties. Only read when the parser says there are some: in
    /// `- &a key: v` the anchor belongs to the key, not to the mapping that starts there.
    fn properties(&self, anchor_id: usize, raw_start: usize, raw_end: usize) -> text::Properties {
        if anchor_id != 0 || raw_end > raw_start {
            text::read_properties(self.text, raw_start, raw_end.max(raw_start + 1))
        } else {
            text::Properties {
                content_start: raw_start,
                ..text::Properties::default()
            }
        }
    }

    /// The anchor named by the properties at `start`, or found between the previous token and
    /// the content when the parser's span does not start at it.
    fn anchor(&self, anchor_id: usize, props: &text::Properties) -> Option<String> {
        if anchor_id == 0 {
            return None;
        }
        props.anchor.clone().or_else(|| {
            let mut p = text::skip_space_and_comments(self.text, self.last_end, self.text.len());
            loop {
                let found = text::read_properties(self.text, p, self.text.len());
                if found.anchor.is_some() || found.content_start == p {
                    return found.anchor;
                }
                p = found.content_start;
            }
        })
    }

    #[allow(clippy::too_many_arguments)]
    fn scalar(
        &mut self,
        mut value: Cow<'t, str>,
        style: ParserStyle,
        anchor_id: usize,
        tagged: bool,
        raw_start: usize,
        raw_end: usize,
        role: Role,
    ) -> Result<Node, YamlError> {
        let block = matches!(style, ParserStyle::Literal | ParserStyle::Folded);
        // A block scalar's span starts at its content, which may itself begin with `&` or `!`:
        // its properties are read between the previous token and the `|`/`>` instead.
        let props = if block {
            text::properties_before_indicator(self.text, self.last_end)
        } else {
            text::read_properties(self.text, raw_start, raw_end)
        };
        let anchor = self.anchor(anchor_id, &props);
        let start = props.content_start.min(raw_end);
        let (style, start, end) = match style {
            ParserStyle::Plain => {
                let empty = value.is_empty() && start >= raw_end;
                let at = match role {
                    // The parser puts an empty item after a comment or on the next line;
                    // the item is where its `-` is.
                    Role::BlockItem if empty && props.tag.is_none() && props.anchor.is_none() => {
                        self.last_end
                    }
                    // An empty value is reported at its `:`; it is just after it.
                    Role::Value if empty && self.text.as_bytes().get(start) == Some(&b':') => {
                        start + 1
                    }
                    _ => start,
                };
                (ScalarStyle::Plain, at, if empty { at } else { raw_end })
            }
            ParserStyle::SingleQuoted | ParserStyle::DoubleQuoted => {
                let quoted_style = if style == ParserStyle::SingleQuoted {
                    ScalarStyle::SingleQuoted
                } else {
                    ScalarStyle::DoubleQuoted
                };
                (quoted_style, start, text::quoted_end(self.text, start))
            }
            ParserStyle::Literal | ParserStyle::Folded => {
                let header = text::skip_to_next_token(self.text, self.last_end);
                let header = if matches!(self.text.as_bytes().get(header), Some(b'|' | b'>')) {
                    header
                } else {
                    start
                };
                let header_end = header
                    + self.text[header..]
                        .find(|c: char| !matches!(c, '|' | '>' | '-' | '+' | '0'..='9'))
                        .unwrap_or(self.text.len() - header);
                // The content starts on the line after the header; an empty block scalar ends
                // with its header.
                let content_from = self.text[header_end..]
                    .find('\n')
                    .map_or(self.text.len(), |i| header_end + i + 1);
                let end = match text::end_of_last_content_line(
                    self.text,
                    content_from,
                    raw_end.max(content_from),
                ) {
                    e if e > content_from => e,
                    _ => header_end,
                };
                let block_style = if style == ParserStyle::Literal {
                    ScalarStyle::Literal
                } else {
                    ScalarStyle::Folded
                };
                // Content that runs to the end of a file with no final newline has no line
                // break to keep (kustomize's parser agrees): the parser adds one.
                let header_text = &self.text[header..header_end];
                if !header_text.contains('-')
                    && end > content_from
                    && self.text[end..].trim_end_matches([' ', '\t']).is_empty()
                    && !self.text[..end].ends_with('\n')
                    && value.ends_with('\n')
                {
                    let mut v = value.into_owned();
                    v.pop();
                    value = Cow::Owned(v);
                }
                (block_style, header, end)
            }
        };
        let kind = if tagged {
            tag_kind(props.tag.as_deref())
        } else if style == ScalarStyle::Plain {
            resolve_plain(&value)
        } else {
            ScalarKind::Str
        };
        self.last_end = end.max(raw_start);
        Ok(Node::Scalar {
            value: value.into_owned(),
            style,
            kind,
            anchor,
            span: self.span(start, end),
        })
    }

    fn sequence(
        &mut self,
        anchor_id: usize,
        raw_start: usize,
        raw_end: usize,
        in_flow: bool,
    ) -> Result<Node, YamlError> {
        // A flow sequence's start event spans its properties and `[`; a block sequence's does
        // not end with `[` (it is empty, or runs to its first item).
        let opening = self.text[raw_start..raw_end].trim_end();
        let flow = opening.ends_with('[');
        let props = self.properties(anchor_id, raw_start, raw_end);
        let anchor = self.anchor(anchor_id, &props);
        let mut items = Vec::new();
        let mut start = (raw_start + opening.len()).saturating_sub(1);
        if flow {
            self.last_end = start + 1;
        }
        let end = loop {
            let (event, span) = self.next()?;
            if matches!(event, Event::SequenceEnd) {
                break if flow {
                    {
                        let fallback = self.byte(span.end.index());
                        self.after_closing(b']', fallback)
                    }
                } else {
                    items.last().map_or(start, |n: &Node| n.span().end)
                };
            }
            let role = if flow {
                Role::FlowItem
            } else {
                let dash = text::skip_to_next_token(self.text, self.last_end);
                if self.text.as_bytes().get(dash) != Some(&b'-') {
                    return Err(self.error_at(
                        dash,
                        YamlErrorKind::Unsupported,
                        "could not find the `-` of a sequence item".into(),
                    ));
                }
                if items.is_empty() {
                    start = dash;
                }
                self.last_end = dash + 1;
                Role::BlockItem
            };
            items.push(self.node(event, span, role, flow || in_flow)?);
        };
        self.last_end = end;
        // Kept for as long as the file is: no room left over from growing (a repository's
        // parsed files are held together, and their slack was a quarter of them).
        items.shrink_to_fit();
        Ok(Node::Seq {
            items,
            span: self.span(start, end),
            flow,
            anchor,
        })
    }

    /// Just after the `]` or `}` closing the flow collection whose last item ended at
    /// `self.last_end` (past spaces, line breaks, comments and a trailing comma). The parser's
    /// end event runs over a comment after the bracket; the collection stops at the bracket.
    fn after_closing(&self, close: u8, fallback: usize) -> usize {
        let bytes = self.text.as_bytes();
        let mut pos = self.last_end;
        loop {
            pos = text::skip_space_and_comments(self.text, pos, self.text.len());
            if bytes.get(pos) == Some(&b',') {
                pos += 1;
            } else {
                break;
            }
        }
        if bytes.get(pos) == Some(&close) {
            pos + 1
        } else {
            fallback
        }
    }

    fn mapping(
        &mut self,
        anchor_id: usize,
        raw_start: usize,
        raw_end: usize,
        in_flow: bool,
    ) -> Result<Node, YamlError> {
        // The start event spans the properties, the `{` and the space after it.
        let opening = self.text[raw_start..raw_end].trim_end();
        let braced = opening.ends_with('{');
        let brace = (raw_start + opening.len()).saturating_sub(1);
        // A mapping in a flow sequence without braces (`[a: 1]`) is still in flow context.
        let flow = braced || in_flow;
        let props = self.properties(anchor_id, raw_start, raw_end);
        let anchor = self.anchor(anchor_id, &props);
        if braced {
            self.last_end = brace + 1;
        }
        let mut entries: Vec<Entry> = Vec::new();
        let mut first_line: HashMap<String, u32> = HashMap::new();
        let end = loop {
            let (event, span) = self.next()?;
            if matches!(event, Event::MappingEnd) {
                break if braced {
                    {
                        let fallback = self.byte(span.end.index());
                        self.after_closing(b'}', fallback)
                    }
                } else {
                    entries.last().map_or(raw_start, |e| e.value.span().end)
                };
            }
            let key_node = self.node(event, span, Role::Key, flow)?;
            let (key, key_span) = match key_node {
                Node::Scalar { value, span, .. } => (value, span),
                other => {
                    let what = if matches!(other, Node::Alias { .. }) {
                        "an alias used as a mapping key"
                    } else {
                        "a mapping or sequence used as a mapping key"
                    };
                    return Err(self.error_at(
                        other.span().start,
                        YamlErrorKind::Unsupported,
                        format!("{what} is not supported"),
                    ));
                }
            };
            if let Some(first) = first_line.get(&key) {
                return Err(self.error_at(
                    key_span.start,
                    YamlErrorKind::DuplicateKey,
                    format!(
                        "duplicate key `{key}`: first on line {first}, again on line {}",
                        key_span.line
                    ),
                ));
            }
            first_line.insert(key.clone(), key_span.line);
            let (event, span) = self.next()?;
            let value = self.node(event, span, Role::Value, flow)?;
            entries.push(Entry {
                key,
                key_span,
                value,
            });
        };
        let start = if braced {
            brace
        } else {
            entries.first().map_or(raw_start, |e| e.key_span.start)
        };
        self.last_end = end;
        entries.shrink_to_fit();
        Ok(Node::Map {
            entries,
            span: self.span(start, end),
            flow,
            anchor,
        })
    }
}

fn tag_kind(tag: Option<&str>) -> ScalarKind {
    match tag {
        Some("!!null") => ScalarKind::Null,
        Some("!!bool") => ScalarKind::Bool,
        Some("!!int") => ScalarKind::Int,
        Some("!!float") => ScalarKind::Float,
        _ => ScalarKind::Str,
    }
}
