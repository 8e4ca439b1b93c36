//! Minimal edits: what each edit writes, where new lines go, and which edits are refused.

use wheelhouse_yaml::{
    append_item, parse, parse_path, remove_item, set_scalar, upsert, EditErrorKind, NewValue, Node,
    PathSeg,
};

fn path(p: &str) -> Vec<PathSeg> {
    parse_path(p).expect("valid path")
}

fn set(text: &str, p: &str, value: NewValue<'_>) -> String {
    set_scalar(&parse("t.yaml", text).unwrap(), 0, &path(p), value)
        .unwrap_or_else(|e| panic!("{e}"))
}

fn up(text: &str, p: &str, value: NewValue<'_>) -> String {
    upsert(&parse("t.yaml", text).unwrap(), 0, &path(p), value).unwrap_or_else(|e| panic!("{e}"))
}

fn append(text: &str, p: &str, item: &[(&str, NewValue<'_>)]) -> String {
    append_item(&parse("t.yaml", text).unwrap(), 0, &path(p), item)
        .unwrap_or_else(|e| panic!("{e}"))
}

fn refused(result: Result<String, wheelhouse_yaml::EditError>) -> (EditErrorKind, u32, String) {
    let e = result.expect_err("the edit is refused");
    (e.kind, e.line, e.message)
}

#[test]
fn a_trailing_comment_stays_on_the_edited_line() {
    let out = set(
        "newTag: \"1.0\"  # pinned\n",
        "newTag",
        NewValue::Str("1.4.2"),
    );
    assert_eq!(out, "newTag: \"1.4.2\"  # pinned\n");
}

#[test]
fn a_null_value_gets_a_space_and_keeps_its_comment() {
    assert_eq!(set("a:\nb: 1\n", "a", NewValue::Str("x")), "a: x\nb: 1\n");
    assert_eq!(
        set("a:   # later\n", "a", NewValue::Str("x")),
        "a: x   # later\n"
    );
    assert_eq!(
        set("l:\n  -\n  - b\n", "l[0]", NewValue::Str("a")),
        "l:\n  - a\n  - b\n"
    );
    assert_eq!(set("a: ~\n", "a", NewValue::Int(1)), "a: 1\n");
}

#[test]
fn numbers_are_written_plain_when_asked() {
    assert_eq!(
        set("replicas: \"3\"\n", "replicas", NewValue::Int(5)),
        "replicas: 5\n"
    );
    assert_eq!(
        set("replicas: 3\n", "replicas", NewValue::Str("5")),
        "replicas: 5\n"
    );
    assert_eq!(
        set("replicas: 3\n", "replicas", NewValue::Str("007")),
        "replicas: \"007\"\n"
    );
    assert_eq!(
        set("replicas: 3\n", "replicas", NewValue::Str("three")),
        "replicas: three\n"
    );
    assert_eq!(
        set("cpu: 0.5\n", "cpu", NewValue::Plain("0.75")),
        "cpu: 0.75\n"
    );
    assert_eq!(
        set("on: true\n", "on", NewValue::Bool(false)),
        "on: false\n"
    );
}

#[test]
fn values_are_quoted_when_plain_text_would_load_differently() {
    for (value, written) in [
        ("1.10", "\"1.10\""),
        ("on", "\"on\""),
        ("null", "\"null\""),
        ("~", "\"~\""),
        ("true", "\"true\""),
        ("*ref", "\"*ref\""),
        ("&a", "\"&a\""),
        ("!tag", "\"!tag\""),
        ("@x", "\"@x\""),
        ("`x", "\"`x\""),
        ("%x", "\"%x\""),
        ("a: b", "\"a: b\""),
        ("a #b", "\"a #b\""),
        ("", "\"\""),
        ("1.4.2", "1.4.2"),
        ("registry/x:1.2", "registry/x:1.2"),
    ] {
        assert_eq!(
            set("tag: v1\n", "tag", NewValue::Str(value)),
            format!("tag: {written}\n"),
            "{value:?}"
        );
    }
    assert_eq!(
        set("args: [a, b]\n", "args[1]", NewValue::Str("x,y")),
        "args: [a, \"x,y\"]\n"
    );
}

#[test]
fn setting_the_value_it_already_has_changes_nothing() {
    let text = "a: \"\\x41\"\nb: 3\nc:\n";
    assert_eq!(set(text, "a", NewValue::Str("A")), text);
    assert_eq!(set(text, "b", NewValue::Int(3)), text);
    assert_eq!(set(text, "c", NewValue::Plain("null")), text);
}

#[test]
fn a_literal_block_scalar_stays_literal_with_the_right_chomping() {
    let text = "script: |\n  echo a\n  echo b\nnext: 1\n";
    assert_eq!(
        set(text, "script", NewValue::Str("echo c\n")),
        "script: |\n  echo c\nnext: 1\n"
    );
    assert_eq!(
        set(text, "script", NewValue::Str("echo c\necho d")),
        "script: |-\n  echo c\n  echo d\nnext: 1\n"
    );
    assert_eq!(
        set(text, "script", NewValue::Int(1)),
        "script: 1\nnext: 1\n"
    );
    assert_eq!(
        set(
            "empty: |  # to fill\nnext: 1\n",
            "empty",
            NewValue::Str("a\n")
        ),
        "empty: |  # to fill\n  a\nnext: 1\n"
    );
}

#[test]
fn edits_keep_crlf_line_breaks() {
    let text = "a:\r\n  b: 1\r\nl:\r\n  - x\r\n";
    assert_eq!(
        up(text, "a.c", NewValue::Int(2)),
        "a:\r\n  b: 1\r\n  c: 2\r\nl:\r\n  - x\r\n"
    );
    assert_eq!(
        append(text, "l", &[("k", NewValue::Str("v"))]),
        "a:\r\n  b: 1\r\nl:\r\n  - x\r\n  - k: v\r\n"
    );
}

#[test]
fn new_keys_go_after_deeper_comments_and_before_comments_at_their_column() {
    let text = "spec:\n  a:\n    b: 1\n    # about b\n  # next section of spec\n\n# top\nz: 1\n";
    assert_eq!(
        up(text, "spec.c", NewValue::Int(2)),
        "spec:\n  a:\n    b: 1\n    # about b\n  c: 2\n  # next section of spec\n\n# top\nz: 1\n"
    );
}

#[test]
fn new_keys_go_before_trailing_blank_lines() {
    assert_eq!(
        up("a:\n  b: 1\n\n\nc: 2\n", "a.d", NewValue::Int(3)),
        "a:\n  b: 1\n  d: 3\n\n\nc: 2\n"
    );
    assert_eq!(up("a: 1\n\n", "b", NewValue::Int(2)), "a: 1\nb: 2\n\n");
}

#[test]
fn new_keys_use_the_file_indent_step() {
    let text = "a:\n   b:\n      c: 1\nd: 1\n";
    assert_eq!(
        up(text, "d2.e.f", NewValue::Str("x")),
        "a:\n   b:\n      c: 1\nd: 1\nd2:\n   e:\n      f: x\n"
    );
}

#[test]
fn new_sequences_follow_the_file_style_for_sequences_under_keys() {
    let unindented = "images:\n- name: a\n";
    assert_eq!(
        append(
            unindented,
            "replicas",
            &[("name", NewValue::Str("a")), ("count", NewValue::Int(2))]
        ),
        "images:\n- name: a\nreplicas:\n- name: a\n  count: 2\n"
    );
    let indented = "images:\n    - name: a\n";
    assert_eq!(
        append(indented, "x.replicas", &[("name", NewValue::Str("a"))]),
        "images:\n    - name: a\nx:\n    replicas:\n        - name: a\n"
    );
}

#[test]
fn a_keep_chomping_block_scalar_keeps_its_trailing_lines() {
    let text = "a:\n  s: |+\n    x\n\nb: 1\n";
    let out = up(text, "a.t", NewValue::Int(1));
    assert_eq!(out, "a:\n  s: |+\n    x\n\n  t: 1\nb: 1\n");
    let f = parse("t", &out).unwrap();
    assert_eq!(f.get(0, &path("a.s")).and_then(Node::as_str), Some("x\n\n"));
}

#[test]
fn flow_mappings_get_a_comma_and_the_new_pair() {
    assert_eq!(
        up("r: {a: 1}\n", "r.b", NewValue::Int(2)),
        "r: {a: 1, b: 2}\n"
    );
    assert_eq!(
        up("r: { a: 1 }\n", "r.b", NewValue::Int(2)),
        "r: { a: 1, b: 2 }\n"
    );
    assert_eq!(up("r: {}\n", "r.b.c", NewValue::Int(2)), "r: {b: {c: 2}}\n");
    assert_eq!(
        up("r: {a: 1, }\n", "r.b", NewValue::Int(2)),
        "r: {a: 1, b: 2, }\n"
    );
    assert_eq!(
        append("r: []\n", "r", &[("a", NewValue::Str("x y"))]),
        "r: [{a: x y}]\n"
    );
}

#[test]
fn flow_collections_followed_by_a_comment_grow_inside_their_brackets() {
    assert_eq!(
        up("r: {a: 1}  # keep\n", "r.b", NewValue::Int(2)),
        "r: {a: 1, b: 2}  # keep\n"
    );
    assert_eq!(
        append("r: [{a: x}]   # keep\n", "r", &[("a", NewValue::Str("z"))]),
        "r: [{a: x}, {a: z}]   # keep\n"
    );
}

#[test]
fn append_then_remove_restores_the_file() {
    let text = "images:\n  - name: a # first\n    newTag: \"1\"\n  # about b\n  - name: b\n    newTag: \"2\"\n    # b's notes\n# after\n";
    let appended = append(
        text,
        "images",
        &[("name", NewValue::Str("c")), ("newTag", NewValue::Str("3"))],
    );
    assert_eq!(
        appended,
        "images:\n  - name: a # first\n    newTag: \"1\"\n  # about b\n  - name: b\n    newTag: \"2\"\n    # b's notes\n  - name: c\n    newTag: \"3\"\n# after\n"
    );
    let removed = remove_item(&parse("t", &appended).unwrap(), 0, &path("images[2]")).unwrap();
    assert_eq!(removed, text);
}

#[test]
fn removing_the_last_line_of_a_file_without_a_final_newline() {
    let f = parse("t", "l:\n  - a\n  - b").unwrap();
    assert_eq!(remove_item(&f, 0, &path("l[1]")).unwrap(), "l:\n  - a");
}

#[test]
fn a_path_through_a_scalar_is_refused_with_its_line() {
    let f = parse("t.yaml", "a: 1\nb:\n  c: text\n").unwrap();
    let (kind, line, message) = refused(upsert(&f, 0, &path("b.c.d"), NewValue::Int(1)));
    assert_eq!((kind, line), (EditErrorKind::WrongShape, 3));
    assert!(message.contains("`b.c` is the scalar `text`"), "{message}");
    let (kind, ..) = refused(set_scalar(&f, 0, &path("b[0]"), NewValue::Int(1)));
    assert_eq!(kind, EditErrorKind::WrongShape);
    let (kind, ..) = refused(set_scalar(&f, 0, &path("b"), NewValue::Int(1)));
    assert_eq!(kind, EditErrorKind::WrongShape, "a mapping is not a scalar");
    let (kind, ..) = refused(append_item(&f, 0, &path("b"), &[("x", NewValue::Int(1))]));
    assert_eq!(
        kind,
        EditErrorKind::WrongShape,
        "a mapping is not a sequence"
    );
}

#[test]
fn a_path_through_an_alias_is_refused() {
    let f = parse(
        "t.yaml",
        "base: &base\n  a: 1\nweb: *base\nimg: &i x\nuse: *i\n",
    )
    .unwrap();
    let (kind, line, message) = refused(upsert(&f, 0, &path("web.a"), NewValue::Int(2)));
    assert_eq!((kind, line), (EditErrorKind::ThroughAlias, 3));
    assert!(
        message.contains("*base") && message.contains("line 1"),
        "{message}"
    );
    let (kind, ..) = refused(set_scalar(&f, 0, &path("use"), NewValue::Str("y")));
    assert_eq!(
        kind,
        EditErrorKind::ThroughAlias,
        "an alias itself is not edited"
    );
}

#[test]
fn an_anchored_value_that_aliases_repeat_is_refused() {
    let text = "defaults: &d\n  pull: Always\nimg: &i nginx\nweb:\n  <<: *d\n  image: *i\nworker:\n  <<: *d\nlone: &unused 1\n";
    let f = parse("t.yaml", text).unwrap();
    let (kind, line, message) = refused(set_scalar(&f, 0, &path("img"), NewValue::Str("x")));
    assert_eq!((kind, line), (EditErrorKind::AnchoredTarget, 3));
    assert!(
        message.contains("&i") && message.contains("line 6"),
        "{message}"
    );
    let (kind, line, message) = refused(set_scalar(
        &f,
        0,
        &path("defaults.pull"),
        NewValue::Str("x"),
    ));
    assert_eq!((kind, line), (EditErrorKind::AnchoredTarget, 2));
    assert!(
        message.contains("inside the anchor &d") && message.contains("lines 5, 8"),
        "{message}"
    );
    let (kind, ..) = refused(upsert(&f, 0, &path("defaults.new"), NewValue::Int(1)));
    assert_eq!(
        kind,
        EditErrorKind::AnchoredTarget,
        "adding a key changes the aliases too"
    );
    assert_eq!(
        set_scalar(&f, 0, &path("lone"), NewValue::Int(2)).unwrap(),
        text.replace("&unused 1", "&unused 2"),
        "an anchor no alias uses is an ordinary value"
    );
}

#[test]
fn missing_paths_and_documents_are_reported() {
    let f = parse("t.yaml", "a:\n  b: 1\nl: [1]\n").unwrap();
    let (kind, line, message) = refused(set_scalar(&f, 0, &path("a.c"), NewValue::Int(1)));
    assert_eq!((kind, line), (EditErrorKind::NotFound, 2));
    assert!(message.contains("`a` has no c"), "{message}");
    assert_eq!(
        refused(set_scalar(&f, 1, &path("a"), NewValue::Int(1))).0,
        EditErrorKind::NoSuchDocument
    );
    assert_eq!(
        refused(upsert(&f, 0, &path("l[3]"), NewValue::Int(1))).0,
        EditErrorKind::InvalidPath
    );
    assert_eq!(
        refused(upsert(&f, 0, &[], NewValue::Int(1))).0,
        EditErrorKind::InvalidPath
    );
    assert_eq!(
        refused(append_item(&f, 0, &path("l"), &[])).0,
        EditErrorKind::InvalidPath
    );
    assert_eq!(
        refused(remove_item(&f, 0, &path("a.b"))).0,
        EditErrorKind::InvalidPath
    );
}

#[test]
fn a_pair_in_a_flow_sequence_cannot_grow_keys() {
    let f = parse("t.yaml", "l: [a: 1]\n").unwrap();
    assert_eq!(
        refused(upsert(&f, 0, &path("l[0].b"), NewValue::Int(2))).0,
        EditErrorKind::Unsupported
    );
    assert_eq!(
        set_scalar(&f, 0, &path("l[0].a"), NewValue::Int(2)).unwrap(),
        "l: [a: 2]\n"
    );
}

#[test]
fn edit_errors_read_file_line_column_message() {
    let f = parse("overlays/prod/kustomization.yaml", "images: 3\n").unwrap();
    let e = upsert(&f, 0, &path("images.x"), NewValue::Int(1)).unwrap_err();
    assert_eq!(
        e.to_string(),
        "overlays/prod/kustomization.yaml:1:9: `images` is the scalar `3`, so the path cannot go inside it"
    );
}
