//! Byte-level helpers over the original text: line index, character-to-byte conversion and the
//! small scanners that find what the event parser does not report (indicators, properties,
//! the true end of a quoted scalar).

/// Start offsets of every line, for byte → line/column conversion. Lines are 0-based; a line
/// after the final line break counts (it is empty).
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
    bom_len: usize,
}

impl LineIndex {
    pub(crate) fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        let bom_len = if text.starts_with('\u{feff}') { 3 } else { 0 };
        LineIndex { starts, bom_len }
    }

    /// 0-based line holding `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&s| s <= offset) - 1
    }

    /// How many lines the text has (at least one).
    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// Offset of the first byte of `line`.
    pub fn line_start(&self, line: usize) -> usize {
        self.starts[line]
    }

    /// Offset of the first byte of the next line, or `None` for the last line.
    pub fn next_line_start(&self, line: usize) -> Option<usize> {
        self.starts.get(line + 1).copied()
    }

    /// The line's text without its line break (`\n` or `\r\n`).
    pub fn line_text<'t>(&self, text: &'t str, line: usize) -> &'t str {
        let start = self.starts[line];
        let end = self.next_line_start(line).unwrap_or(text.len());
        text[start..end]
            .trim_end_matches('\n')
            .trim_end_matches('\r')
    }

    /// 1-based line and 1-based column (in characters) of `offset`.
    pub(crate) fn position(&self, text: &str, offset: usize) -> (u32, u32) {
        let line = self.line_of(offset);
        let mut start = self.starts[line];
        if line == 0 {
            start = start.max(self.bom_len.min(offset));
        }
        let column = text[start..offset].chars().count() + 1;
        (to_u32(line + 1), to_u32(column))
    }
}

pub(crate) fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Converts the parser's character indices to byte offsets. Events arrive nearly in order, so a
/// cursor that walks forward or backward from the last answer is cheap and needs no table.
#[derive(Debug)]
pub(crate) struct CharToByte<'t> {
    text: &'t str,
    ascii: bool,
    chars: usize,
    bytes: usize,
}

impl<'t> CharToByte<'t> {
    pub(crate) fn new(text: &'t str) -> CharToByte<'t> {
        CharToByte {
            text,
            ascii: text.is_ascii(),
            chars: 0,
            bytes: 0,
        }
    }

    pub(crate) fn byte(&mut self, char_index: usize) -> usize {
        if self.ascii {
            return char_index.min(self.text.len());
        }
        while self.chars < char_index {
            match self.text[self.bytes..].chars().next() {
                Some(c) => {
                    self.bytes += c.len_utf8();
                    self.chars += 1;
                }
                None => break,
            }
        }
        while self.chars > char_index {
            match self.text[..self.bytes].chars().next_back() {
                Some(c) => {
                    self.bytes -= c.len_utf8();
                    self.chars -= 1;
                }
                None => break,
            }
        }
        self.bytes
    }
}

fn byte_at(text: &str, pos: usize) -> Option<u8> {
    text.as_bytes().get(pos).copied()
}

fn is_blank_or_end(text: &str, pos: usize) -> bool {
    matches!(
        byte_at(text, pos),
        None | Some(b' ' | b'\t' | b'\r' | b'\n')
    )
}

/// Skips spaces, tabs, line breaks and comments, never past `limit`.
pub(crate) fn skip_space_and_comments(text: &str, mut pos: usize, limit: usize) -> usize {
    let bytes = text.as_bytes();
    while pos < limit {
        match bytes[pos] {
            b' ' | b'\t' | b'\r' | b'\n' => pos += 1,
            b'#' => {
                while pos < limit && bytes[pos] != b'\n' {
                    pos += 1;
                }
            }
            _ => break,
        }
    }
    pos
}

/// Node properties (`&anchor`, `!tag`) written before a node's content.
#[derive(Debug, Default)]
pub(crate) struct Properties {
    pub(crate) anchor: Option<String>,
    pub(crate) tag: Option<String>,
    /// Where the content starts (after the properties and the space after them).
    pub(crate) content_start: usize,
}

/// Reads the properties starting at `pos`, never looking past `limit`.
pub(crate) fn read_properties(text: &str, pos: usize, limit: usize) -> Properties {
    let bytes = text.as_bytes();
    let mut props = Properties {
        content_start: pos,
        ..Properties::default()
    };
    let mut p = pos;
    loop {
        match byte_at(text, p) {
            Some(sigil @ (b'&' | b'!')) if p < limit => {
                let start = p;
                p += 1;
                while p < bytes.len()
                    && !matches!(
                        bytes[p],
                        b' ' | b'\t' | b'\r' | b'\n' | b',' | b'[' | b']' | b'{' | b'}'
                    )
                {
                    p += 1;
                }
                if sigil == b'&' {
                    props.anchor = Some(text[start + 1..p].to_string());
                } else {
                    props.tag = Some(text[start..p].to_string());
                }
                p = skip_space_and_comments(text, p, limit);
                props.content_start = p;
            }
            _ => return props,
        }
    }
}

/// From `pos` (the end of the previous token), skips what may stand between it and the next
/// node's indicator or content: space, comments, the `:` and `?` indicators and node properties.
pub(crate) fn skip_to_next_token(text: &str, pos: usize) -> usize {
    properties_before_indicator(text, pos).content_start
}

/// Like [`skip_to_next_token`], also collecting the properties passed on the way.
pub(crate) fn properties_before_indicator(text: &str, mut pos: usize) -> Properties {
    let mut props = Properties::default();
    loop {
        pos = skip_space_and_comments(text, pos, text.len());
        match byte_at(text, pos) {
            Some(b':' | b'?') if is_blank_or_end(text, pos + 1) => pos += 1,
            Some(b'&' | b'!') => {
                let found = read_properties(text, pos, text.len());
                props.anchor = found.anchor.or(props.anchor);
                props.tag = found.tag.or(props.tag);
                pos = found.content_start;
            }
            _ => {
                props.content_start = pos;
                return props;
            }
        }
    }
}

/// The offset just past the closing quote of the quoted scalar whose opening quote is at `start`.
/// The parser's own end can run on over trailing space and a comment, so it is recomputed here.
pub(crate) fn quoted_end(text: &str, start: usize) -> usize {
    let bytes = text.as_bytes();
    let quote = bytes[start];
    let mut p = start + 1;
    while p < bytes.len() {
        let b = bytes[p];
        if quote == b'"' && b == b'\\' {
            p += 2;
            continue;
        }
        if b == quote {
            if quote == b'\'' && byte_at(text, p + 1) == Some(b'\'') {
                p += 2;
                continue;
            }
            return p + 1;
        }
        p += 1;
    }
    bytes.len()
}

/// The end of the last line in `[from, to)` that holds something other than white space, without
/// its line break; `from` when there is none.
pub(crate) fn end_of_last_content_line(text: &str, from: usize, to: usize) -> usize {
    let slice = &text[from..to];
    match slice.rfind(|c: char| !c.is_whitespace()) {
        Some(i) => {
            let rest = &slice[i..];
            let line_end = rest.find(['\r', '\n']).unwrap_or(rest.len());
            from + i + line_end
        }
        None => from,
    }
}

/// The line break the file uses: that of its first line, `\n` when it has none.
pub(crate) fn line_break_of(text: &str) -> &'static str {
    match text.find('\n') {
        Some(i) if i > 0 && text.as_bytes()[i - 1] == b'\r' => "\r\n",
        _ => "\n",
    }
}

/// Number of leading spaces and tabs.
pub(crate) fn indent_of(line: &str) -> usize {
    line.len() - line.trim_start_matches([' ', '\t']).len()
}
