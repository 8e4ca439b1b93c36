//! Reading YAML with places: spans, lines and columns of every key and value, loaded values,
//! documents, anchors, flow collections, line endings, and the errors for what cannot be read.

use wheelhouse_yaml::{
    format_path, parse, parse_bytes, parse_path, parse_with_limit, Node, PathSeg, ScalarKind,
    ScalarStyle, YamlErrorKind, YamlFile,
};

fn path(p: &str) -> Vec<PathSeg> {
    parse_path(p).expect("valid path")
}

fn at<'f>(file: &'f YamlFile, doc: usize, p: &str) -> &'f Node {
    file.get(doc, &path(p))
        .unwrap_or_else(|| panic!("{p} exists"))
}

/// The source text of a node, with the 1-based line and column of its start.
fn written(file: &YamlFile, doc: usize, p: &str) -> (String, u32, u32) {
    let span = at(file, doc, p).span();
    (
        file.text()[span.start..span.end].to_string(),
        span.line,
        span.column,
    )
}

fn scalar(file: &YamlFile, doc: usize, p: &str) -> (String, ScalarStyle, ScalarKind) {
    match at(file, doc, p) {
        Node::Scalar {
            value, style, kind, ..
        } => (value.clone(), *style, *kind),
        other => panic!("{p} is not a scalar: {other:?}"),
    }
}

#[test]
fn every_key_and_value_knows_its_line_and_column() {
    let f = parse(
        "kustomization.yaml",
        "images:\n  - name: web\n    newTag: \"1.0\"  # pinned\nreplicas: 3\n",
    )
    .unwrap();
    assert_eq!(
        written(&f, 0, "images[0].newTag"),
        ("\"1.0\"".into(), 3, 13)
    );
    assert_eq!(written(&f, 0, "images[0].name"), ("web".into(), 2, 11));
    assert_eq!(written(&f, 0, "replicas"), ("3".into(), 4, 11));
    let Node::Map { entries, .. } = at(&f, 0, "images[0]") else {
        panic!("a mapping")
    };
    assert_eq!(
        (
            entries[1].key.as_str(),
            entries[1].key_span.line,
            entries[1].key_span.column
        ),
        ("newTag", 3, 5)
    );
    assert_eq!(
        written(&f, 0, "images").1,
        2,
        "a block sequence starts at its first dash"
    );
    assert_eq!(written(&f, 0, "images").2, 3);
}

#[test]
fn quoted_scalar_spans_stop_at_the_closing_quote_before_a_comment() {
    let f = parse("x", "a: 'it''s'   # c\nb: \"q\\\"\"  # d\n").unwrap();
    assert_eq!(written(&f, 0, "a").0, "'it''s'");
    assert_eq!(written(&f, 0, "b").0, "\"q\\\"\"");
    assert_eq!(scalar(&f, 0, "b").0, "q\"");
}

#[test]
fn values_are_loaded_as_yaml_loads_them() {
    let f = parse(
        "x",
        "dq: \"a\\tb\\u00e9\"\nsq: 'it''s'\nplain: one\n  two\nint: 3\nfloat: 1.10\nbool: true\n\
         empty:\ntilde: ~\nnull: null\ntagged: !!str 5\nversion: 1.4.0\n",
    )
    .unwrap();
    assert_eq!(
        scalar(&f, 0, "dq"),
        ("a\tbé".into(), ScalarStyle::DoubleQuoted, ScalarKind::Str)
    );
    assert_eq!(
        scalar(&f, 0, "sq"),
        ("it's".into(), ScalarStyle::SingleQuoted, ScalarKind::Str)
    );
    assert_eq!(
        scalar(&f, 0, "plain"),
        ("one two".into(), ScalarStyle::Plain, ScalarKind::Str)
    );
    assert_eq!(scalar(&f, 0, "int").2, ScalarKind::Int);
    assert_eq!(scalar(&f, 0, "float").2, ScalarKind::Float);
    assert_eq!(scalar(&f, 0, "bool").2, ScalarKind::Bool);
    assert_eq!(scalar(&f, 0, "empty").2, ScalarKind::Null);
    assert_eq!(scalar(&f, 0, "tilde").2, ScalarKind::Null);
    assert_eq!(scalar(&f, 0, "null").2, ScalarKind::Null);
    assert_eq!(
        scalar(&f, 0, "tagged"),
        ("5".into(), ScalarStyle::Plain, ScalarKind::Str)
    );
    assert_eq!(
        written(&f, 0, "tagged").0,
        "5",
        "the tag is outside the span"
    );
    assert_eq!(scalar(&f, 0, "version").2, ScalarKind::Str);
    assert!(at(&f, 0, "empty").is_null());
    assert_eq!(at(&f, 0, "empty").as_str(), None);
}

#[test]
fn block_scalars_span_from_their_indicator_to_their_last_line() {
    let f = parse(
        "x",
        "lit: |  # keep\n  line1\n  line2\n\nfold: >-\n  folded\n  text\nnext: 1\n",
    )
    .unwrap();
    assert_eq!(
        scalar(&f, 0, "lit"),
        (
            "line1\nline2\n".into(),
            ScalarStyle::Literal,
            ScalarKind::Str
        )
    );
    assert_eq!(
        written(&f, 0, "lit"),
        ("|  # keep\n  line1\n  line2".into(), 1, 6)
    );
    assert_eq!(
        scalar(&f, 0, "fold"),
        ("folded text".into(), ScalarStyle::Folded, ScalarKind::Str)
    );
    assert_eq!(
        written(&f, 0, "fold"),
        (">-\n  folded\n  text".into(), 5, 7)
    );
}

#[test]
fn empty_values_sit_just_after_their_indicator() {
    let f = parse("x", "a:   # nothing\nb: {c: }\nl:\n  -\n  - # c\n").unwrap();
    let text = f.text();
    let after = |p: &str| &text[at(&f, 0, p).span().start - 1..at(&f, 0, p).span().start];
    assert_eq!(after("a"), ":");
    assert_eq!(after("b.c"), ":");
    assert_eq!(after("l[0]"), "-");
    assert_eq!(after("l[1]"), "-");
    assert_eq!(at(&f, 0, "l[1]").span().line, 5);
}

#[test]
fn multi_document_files_are_addressed_by_document() {
    let text = "# leading comment\n---\nkind: Deployment\nspec: {replicas: 2}\n...\n--- # second\nkind: Service\n---\n";
    let f = parse("x", text).unwrap();
    assert_eq!(f.documents().len(), 3);
    assert_eq!(scalar(&f, 0, "kind").0, "Deployment");
    assert_eq!(scalar(&f, 1, "kind").0, "Service");
    assert_eq!(written(&f, 1, "kind").1, 7);
    assert_eq!(written(&f, 0, "spec.replicas").1, 4);
    assert!(f.documents()[2].is_null());
    assert!(f.get(3, &[]).is_none());
    assert!(f.get(0, &path("spec.missing")).is_none());
}

#[test]
fn files_of_only_comments_have_no_documents() {
    assert!(parse("x", "").unwrap().documents().is_empty());
    assert!(parse("x", "# nothing here\n\n")
        .unwrap()
        .documents()
        .is_empty());
}

#[test]
fn anchors_and_aliases_are_kept_not_expanded() {
    let f = parse(
        "x",
        "base: &base\n  a: 1\nimg: &img nginx\nweb:\n  <<: *base\n  image: *img\n  list: &l [1, 2]\n",
    )
    .unwrap();
    assert_eq!(at(&f, 0, "base").anchor(), Some("base"));
    assert_eq!(at(&f, 0, "img").anchor(), Some("img"));
    assert_eq!(
        written(&f, 0, "img").0,
        "nginx",
        "the anchor is outside the span"
    );
    assert_eq!(at(&f, 0, "web.list").anchor(), Some("l"));
    assert!(matches!(at(&f, 0, "web[\"<<\"]"), Node::Alias { name, .. } if name == "base"));
    assert!(matches!(at(&f, 0, "web.image"), Node::Alias { name, .. } if name == "img"));
    assert_eq!(written(&f, 0, "web.image"), ("*img".into(), 6, 10));
    assert_eq!(f.anchor(0, "base").map(|n| n.span().line), Some(2));
    assert!(
        f.get(0, &path("web.image.x")).is_none(),
        "get does not follow aliases"
    );
}

#[test]
fn flow_collections_have_their_brackets_in_their_span() {
    let f = parse(
        "x",
        "r: {limits: { cpu: 1 }, ports: [80, 443], e: [], m: {}}\n",
    )
    .unwrap();
    assert!(matches!(at(&f, 0, "r"), Node::Map { flow: true, .. }));
    assert_eq!(written(&f, 0, "r.limits").0, "{ cpu: 1 }");
    assert_eq!(written(&f, 0, "r.ports"), ("[80, 443]".into(), 1, 32));
    assert_eq!(written(&f, 0, "r.ports[1]"), ("443".into(), 1, 37));
    assert_eq!(written(&f, 0, "r.e").0, "[]");
    assert_eq!(written(&f, 0, "r.m").0, "{}");
    assert!(
        matches!(at(&f, 0, "r.ports"), Node::Seq { flow: true, items, .. } if items.len() == 2)
    );
}

#[test]
fn crlf_files_have_the_same_lines_and_no_carriage_returns_in_values() {
    let f = parse("x", "a: 1\r\nb:\r\n  - \"x\"\r\n  - y\r\nc: |\r\n  t\r\n").unwrap();
    assert_eq!(written(&f, 0, "b[1]"), ("y".into(), 4, 5));
    assert_eq!(scalar(&f, 0, "b[1]").0, "y");
    assert_eq!(scalar(&f, 0, "c").0, "t\n");
    assert_eq!(written(&f, 0, "c").0, "|\r\n  t");
}

#[test]
fn columns_count_characters_and_offsets_count_bytes() {
    let f = parse("x", "\u{feff}name: \"café\"\nnext: [é, x]\n").unwrap();
    assert_eq!(written(&f, 0, "name"), ("\"café\"".into(), 1, 7));
    assert_eq!(written(&f, 0, "next[1]"), ("x".into(), 2, 11));
    let Node::Map { entries, .. } = &f.documents()[0] else {
        panic!("a mapping")
    };
    assert_eq!(
        (entries[0].key_span.line, entries[0].key_span.column),
        (1, 1),
        "the BOM is not a column"
    );
}

#[test]
fn invalid_yaml_is_reported_with_its_line_and_column() {
    let e = parse("values.yaml", "a: 1\nb: \"unterminated\n").unwrap_err();
    assert_eq!(e.kind, YamlErrorKind::Syntax);
    assert_eq!(e.file, "values.yaml");
    assert_eq!(
        (e.line, e.column),
        (2, 4),
        "where the unterminated quote starts"
    );
    let e = parse("values.yaml", "a: 1\nb: c: d\n").unwrap_err();
    assert_eq!((e.kind, e.line, e.column), (YamlErrorKind::Syntax, 2, 5));
    assert!(e.to_string().starts_with("values.yaml:2:5: "), "{e}");
    let e = parse("values.yaml", "a:\n\tb: 1\n").unwrap_err();
    assert_eq!((e.kind, e.line), (YamlErrorKind::Syntax, 2));
}

#[test]
fn duplicate_keys_name_the_key_and_both_lines() {
    let e = parse("k.yaml", "images:\n  - name: a\nreplicas: 1\nimages: []\n").unwrap_err();
    assert_eq!(e.kind, YamlErrorKind::DuplicateKey);
    assert_eq!((e.line, e.column), (4, 1));
    assert!(
        e.message.contains("`images`")
            && e.message.contains("line 1")
            && e.message.contains("line 4"),
        "{e}"
    );
    let e = parse("k.yaml", "m: {a: 1, \"a\": 2}\n").unwrap_err();
    assert_eq!(
        e.kind,
        YamlErrorKind::DuplicateKey,
        "quoting does not make a key different"
    );
}

#[test]
fn files_over_the_size_limit_are_refused_whole() {
    let e = parse_with_limit("big.yaml", "a: 1\nb: 2\n", 8).unwrap_err();
    assert_eq!(e.kind, YamlErrorKind::TooLarge);
    assert!(
        e.message.contains("10 bytes") && e.message.contains("8 byte limit"),
        "{e}"
    );
    assert!(parse_with_limit("big.yaml", "a: 1\nb: 2\n", 10).is_ok());
    let huge = "a: 1\n".repeat(wheelhouse_yaml::MAX_FILE_BYTES / 5 + 1);
    assert_eq!(
        parse("big.yaml", &huge).unwrap_err().kind,
        YamlErrorKind::TooLarge
    );
    assert_eq!(
        parse_bytes("big.yaml", huge.as_bytes()).unwrap_err().kind,
        YamlErrorKind::TooLarge
    );
}

#[test]
fn binary_content_is_refused() {
    let e = parse("x.yaml", "a: 1\nb: \0\n").unwrap_err();
    assert_eq!((e.kind, e.line), (YamlErrorKind::Binary, 2));
    let e = parse_bytes("x.yaml", b"a: 1\nb: \xff\xfe\n").unwrap_err();
    assert_eq!((e.kind, e.line, e.column), (YamlErrorKind::Binary, 2, 4));
    assert!(parse_bytes("x.yaml", "a: é\n".as_bytes()).is_ok());
}

#[test]
fn constructs_outside_the_model_are_refused_not_misread() {
    let e = parse("x", "? [a, b]\n: 1\n").unwrap_err();
    assert_eq!(e.kind, YamlErrorKind::Unsupported);
    let deep = format!("{}{}", "[".repeat(220), "]".repeat(220));
    assert_eq!(
        parse("x", &deep).unwrap_err().kind,
        YamlErrorKind::Unsupported
    );
}

#[test]
fn paths_read_and_write_the_same_way() {
    let p = parse_path("metadata.annotations[\"app.kubernetes.io/name\"]").unwrap();
    assert_eq!(
        p,
        vec![
            PathSeg::Key("metadata".into()),
            PathSeg::Key("annotations".into()),
            PathSeg::Key("app.kubernetes.io/name".into())
        ]
    );
    for s in [
        "images[0].newTag",
        "a[\"b.c\"][2].d",
        "x",
        "[\"\"]",
        "a[\"q\\\"\"]",
    ] {
        assert_eq!(format_path(&parse_path(s).unwrap()), s);
    }
    assert!(parse_path("").is_err());
    assert!(parse_path("a.").is_err());
    assert!(parse_path("a[x]").is_err());
}

#[test]
fn flow_collection_spans_stop_at_the_closing_bracket_before_a_comment() {
    let text = "c: [{a: 1}]  # x\nd: {b: [2, 3]}   # y\ne: [1,\n  2]  # z\n";
    let file = parse("f.yaml", text).unwrap();
    assert_eq!(written(&file, 0, "c").0, "[{a: 1}]");
    assert_eq!(written(&file, 0, "c[0]").0, "{a: 1}");
    assert_eq!(written(&file, 0, "d").0, "{b: [2, 3]}");
    assert_eq!(written(&file, 0, "d.b").0, "[2, 3]");
    assert_eq!(written(&file, 0, "e").0, "[1,\n  2]");
}
