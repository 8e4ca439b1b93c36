//! Small read helpers over the YAML layer's nodes: what the resolver needs, nothing more.

use crate::yaml::{Entry, Node, Span};

/// An empty sequence, for "the key is missing" without allocating.
pub static EMPTY: Node = Node::Seq {
    items: Vec::new(),
    span: Span {
        start: 0,
        end: 0,
        line: 0,
        column: 0,
    },
    flow: false,
    anchor: None,
};

pub fn get<'a>(node: &'a Node, key: &str) -> Option<&'a Node> {
    node.get_key(key)
}

pub fn get_path<'a>(node: &'a Node, keys: &[&str]) -> Option<&'a Node> {
    keys.iter().try_fold(node, |n, k| get(n, k))
}

/// The loaded text of a non-null scalar.
pub fn as_str(node: &Node) -> Option<&str> {
    node.as_str()
}

pub fn str_at<'a>(node: &'a Node, keys: &[&str]) -> Option<&'a str> {
    get_path(node, keys).and_then(as_str)
}

pub fn items(node: &Node) -> &[Node] {
    match node {
        Node::Seq { items, .. } => items,
        _ => &[],
    }
}

pub fn entries(node: &Node) -> &[Entry] {
    match node {
        Node::Map { entries, .. } => entries,
        _ => &[],
    }
}

pub fn line(node: &Node) -> u32 {
    node.span().line
}

pub fn column(node: &Node) -> u32 {
    node.span().column
}
