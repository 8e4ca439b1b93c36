//! CODEOWNERS: GitHub's pattern semantics and location order, GitLab sections, and mistakes
//! reported with line and column.

use wheelhouse_approvals::policy::{codeowners_location, Codeowners, PolicyErrorCode};
use wheelhouse_demo::content::CODEOWNERS as DEMO_CODEOWNERS;

fn owners(codeowners: &Codeowners, path: &str) -> Vec<Vec<String>> {
    codeowners
        .owners_of(path)
        .into_iter()
        .map(|m| m.owners)
        .collect()
}

#[test]
fn the_demo_codeowners_gives_every_path_its_last_matching_owners() {
    let codeowners = Codeowners::parse("CODEOWNERS", DEMO_CODEOWNERS).expect("demo parses");
    let table: [(&str, &[&str]); 8] = [
        ("README.md", &["@sre"]),
        ("overlays/prod/web.yaml", &["@ops-leads"]),
        ("overlays/staging/web.yaml", &["@sre"]),
        ("helm/ledger/values-prod.yaml", &["@payments", "@sre"]),
        ("base/payments.yaml", &["@payments"]),
        ("base/web.yaml", &["@storefront"]),
        ("status/incidents/2026-09-01.md", &["@sre"]),
        (".wheelhouse/policy.yaml", &["@ops-leads"]),
    ];
    for (path, expected) in table {
        assert_eq!(owners(&codeowners, path), [expected.to_vec()], "{path}");
    }
    let prod = &codeowners.owners_of("overlays/prod/web.yaml")[0];
    assert_eq!((prod.pattern.as_str(), prod.line), ("/overlays/prod/", 3));
    assert_eq!(prod.section, None);
    assert_eq!(prod.required_approvals, 1);
}

#[test]
fn patterns_follow_github_gitignore_semantics() {
    // (pattern, path, owned?) — GitHub's documented behaviour for CODEOWNERS patterns.
    let table: &[(&str, &str, bool)] = &[
        ("foo", "foo", true),
        ("foo", "foo/bar", true),
        ("foo", "bar/foo", true),
        ("foo", "bar/foo/baz", true),
        ("foo", "foo.txt", false),
        ("/foo", "foo/bar/baz", true),
        ("/foo", "bar/foo", false),
        ("foo/", "foo", false),
        ("foo/", "bar/foo/baz", true),
        ("/foo/", "foo/bar", true),
        ("/foo/", "bar/foo/baz", false),
        ("foo/bar", "foo/bar/baz", true),
        ("foo/bar", "baz/foo/bar", false),
        ("foo/bar", "foo/bart", false),
        ("*", "any/depth/at/all", true),
        ("*.js", "src/app.js", true),
        ("*.js", "src/app.jsx", false),
        ("/*", "top.txt", true),
        ("/*", "dir/nested.txt", false),
        ("docs/*", "docs/getting-started.md", true),
        ("docs/*", "docs/build-app/troubleshooting.md", false),
        ("docs/*", "other/docs/readme.md", false),
        ("foo/*.txt", "foo/bar.txt", true),
        ("foo/*.txt", "foo/bar/baz.txt", false),
        ("foo/*/baz", "foo/bar/baz/qux", true),
        ("**/logs", "build/logs/today.log", true),
        ("**/logs", "logs/today.log", true),
        ("foo/bar/**", "foo/bar", false),
        ("foo/bar/**", "foo/bar/baz/qux", true),
        ("foo/**/bar", "foo/bar", true),
        ("foo/**/bar", "foo/a/b/bar/c", true),
        ("foo/**/bar", "x/foo/bar", false),
        ("f?o", "foo", true),
        ("f?o", "fooo", false),
        ("f\\*o", "f*o", true),
        ("f\\*o", "foo", false),
        ("x[ab].txt", "xa.txt", false),
        ("x[ab].txt", "x[ab].txt", true),
        ("x{a,b}.txt", "xa.txt", false),
        ("file\\ name.txt", "dir/file name.txt", true),
    ];
    for &(pattern, path, owned) in table {
        let text = format!("{pattern} @owner\n");
        let codeowners = Codeowners::parse("CODEOWNERS", &text)
            .unwrap_or_else(|e| panic!("{pattern} parses: {e}"));
        assert_eq!(
            !codeowners.owners_of(path).is_empty(),
            owned,
            "pattern {pattern:?} on {path:?}"
        );
    }
    let escaped = Codeowners::parse("CODEOWNERS", "\\[ab].txt @owner\n").expect("parses");
    assert!(
        !escaped.owners_of("[ab].txt").is_empty(),
        "an escaped `[` starts a pattern, not a GitLab section"
    );
}

#[test]
fn a_later_line_without_owners_leaves_paths_unowned() {
    let text = "*  @sre\n/generated/\n";
    let codeowners = Codeowners::parse("CODEOWNERS", text).expect("parses");
    assert!(codeowners.owners_of("generated/schema.json").is_empty());
    assert_eq!(
        owners(&codeowners, "src/main.rs"),
        [vec!["@sre".to_string()]]
    );
}

#[test]
fn owners_may_be_users_teams_and_emails_with_inline_comments() {
    let text = "/infra/ @maya @acme/ops-leads priya@acme.example # the platform\n";
    let codeowners = Codeowners::parse("CODEOWNERS", text).expect("parses");
    assert_eq!(
        owners(&codeowners, "infra/main.tf"),
        [vec![
            "@maya".to_string(),
            "@acme/ops-leads".to_string(),
            "priya@acme.example".to_string()
        ]]
    );
}

#[test]
fn gitlab_sections_are_judged_separately_with_their_approval_counts() {
    let text = "\
* @sre

[Database][2] @maya @tomas
/db/
/db/readonly/ @jonas

^[Docs] @aiko
*.md

[database]
/migrations/
";
    let codeowners = Codeowners::parse("CODEOWNERS", text).expect("parses");

    let db = codeowners.owners_of("db/schema.sql");
    let summary: Vec<(Option<&str>, u32, Vec<&str>)> = db
        .iter()
        .map(|m| {
            (
                m.section.as_deref(),
                m.required_approvals,
                m.owners.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (None, 1, vec!["@sre"]),
            (Some("Database"), 2, vec!["@maya", "@tomas"]),
        ],
        "each section decides on its own; a line without owners takes the section's defaults"
    );

    let readonly = codeowners.owners_of("db/readonly/view.sql");
    assert_eq!(
        readonly[1].owners,
        ["@jonas"],
        "last match wins within a section"
    );

    let docs = codeowners.owners_of("db/README.md");
    let docs_section = docs
        .iter()
        .find(|m| m.section.as_deref() == Some("Docs"))
        .expect("the Docs section matches");
    assert_eq!(docs_section.required_approvals, 0, "^[Docs] is optional");
    assert_eq!(docs_section.owners, ["@aiko"]);

    let migration = codeowners.owners_of("migrations/001.sql");
    let merged = migration
        .iter()
        .find(|m| m.section.as_deref() == Some("Database"))
        .expect("[database] continues [Database]");
    assert_eq!(merged.owners, ["@maya", "@tomas"]);
    assert_eq!(merged.required_approvals, 2);
}

#[test]
fn codeowners_location_follows_githubs_order() {
    let table: &[(&[&str], Option<&str>)] = &[
        (
            &["docs/CODEOWNERS", "CODEOWNERS", ".github/CODEOWNERS"],
            Some(".github/CODEOWNERS"),
        ),
        (&["docs/CODEOWNERS", "CODEOWNERS"], Some("CODEOWNERS")),
        (&["docs/CODEOWNERS", "README.md"], Some("docs/CODEOWNERS")),
        (&[".gitlab/CODEOWNERS"], Some(".gitlab/CODEOWNERS")),
        (&["src/CODEOWNERS", "codeowners"], None),
        (&[], None),
    ];
    for &(files, expected) in table {
        assert_eq!(codeowners_location(files), expected, "{files:?}");
    }
}

#[test]
fn codeowners_mistakes_name_the_line_and_column() {
    let table: &[(&str, u32, u32, &str)] = &[
        ("*  @sre\n/infra/ maya\n", 2, 9, "`maya` is not an owner"),
        ("[Database @maya\n", 1, 1, "closing `]`"),
        (
            "[Database][two] @maya\n",
            1,
            12,
            "not a number of approvals",
        ),
        ("[Database][0] @maya\n", 1, 12, "not a number of approvals"),
        ("[] @maya\n", 1, 1, "needs a name"),
        ("# fine\n!/vendor/ @sre\n", 2, 1, "negated"),
        ("/a/***/b @sre\n", 1, 1, "three asterisks"),
        ("   /infra/  @maya @\n", 1, 19, "`@` is not an owner"),
    ];
    for &(text, line, column, says) in table {
        let error = Codeowners::parse(".github/CODEOWNERS", text).expect_err(text);
        assert_eq!(error.code, PolicyErrorCode::InvalidCodeowners, "{text:?}");
        assert_eq!(
            (error.line, error.column),
            (line, column),
            "{text:?}: {error}"
        );
        assert!(error.message.contains(says), "{text:?}: {error}");
        assert_eq!(error.file, ".github/CODEOWNERS");
    }
}
