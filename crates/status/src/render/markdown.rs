//! Markdown to HTML that is safe to inline: pulldown-cmark renders, ammonia keeps only
//! formatting and links. No script, no event handler, no style, and nothing that loads a
//! remote resource (images are dropped, keeping their alt text out; links stay links).

use ammonia::Builder;
use pulldown_cmark::{html, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use std::collections::HashSet;
use std::sync::OnceLock;

fn sanitizer() -> &'static Builder<'static> {
    static SANITIZER: OnceLock<Builder<'static>> = OnceLock::new();
    SANITIZER.get_or_init(|| {
        let tags: HashSet<&str> = [
            "a",
            "abbr",
            "b",
            "blockquote",
            "br",
            "code",
            "del",
            "em",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "hr",
            "i",
            "input",
            "kbd",
            "li",
            "ol",
            "p",
            "pre",
            "s",
            "strong",
            "sub",
            "sup",
            "table",
            "tbody",
            "td",
            "th",
            "thead",
            "tr",
            "ul",
        ]
        .into_iter()
        .collect();
        let mut b = Builder::default();
        b.tags(tags)
            .tag_attributes(
                [
                    ("a", ["href", "title"].into_iter().collect()),
                    (
                        "input",
                        ["type", "checked", "aria-label"].into_iter().collect(),
                    ),
                    ("td", ["align"].into_iter().collect()),
                    ("th", ["align"].into_iter().collect()),
                    ("ol", ["start"].into_iter().collect()),
                ]
                .into_iter()
                .collect(),
            )
            .generic_attributes(HashSet::new())
            .url_schemes(["http", "https", "mailto"].into_iter().collect())
            .link_rel(Some("noopener noreferrer nofollow"))
            // `disabled` is the one forced attribute: ammonia appends forced attributes in
            // hash-map order, which changes from process to process (the same page would not
            // give the same bytes). Every input is disabled; a type, if any, becomes checkbox.
            .attribute_filter(|element, attribute, value| match (element, attribute) {
                ("input", "type") => Some("checkbox".into()),
                _ => Some(value.into()),
            })
            .set_tag_attribute_value("input", "disabled", "");
        b
    })
}

fn deeper(level: HeadingLevel) -> HeadingLevel {
    match level {
        HeadingLevel::H1 => HeadingLevel::H2,
        HeadingLevel::H2 => HeadingLevel::H3,
        HeadingLevel::H3 => HeadingLevel::H4,
        HeadingLevel::H4 => HeadingLevel::H5,
        _ => HeadingLevel::H6,
    }
}

/// Renders Markdown (CommonMark with tables, strikethrough and task lists) to sanitised HTML.
pub fn to_html(markdown: &str) -> String {
    let options =
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    let mut raw = String::with_capacity(markdown.len() * 3 / 2);
    // Bodies sit under the page's own h2 headings: `#` becomes h2, `##` h3, and so on.
    let events = Parser::new_ext(markdown, options).map(|event| match event {
        Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) => Event::Start(Tag::Heading {
            level: deeper(level),
            id,
            classes,
            attrs,
        }),
        Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(deeper(level))),
        // A task list's box is a form control, and form controls need a name (axe-core `label`).
        Event::TaskListMarker(done) => Event::InlineHtml(if done {
            r#"<input type="checkbox" checked aria-label="Done"> "#.into()
        } else {
            r#"<input type="checkbox" aria-label="Not done"> "#.into()
        }),
        other => other,
    });
    html::push_html(&mut raw, events);
    sanitizer().clean(&raw).to_string()
}

#[cfg(test)]
mod tests {
    use super::to_html;

    #[test]
    fn formatting_survives_and_scripts_do_not() {
        assert_eq!(
            to_html("**bold** `x`"),
            "<p><strong>bold</strong> <code>x</code></p>\n"
        );
        let out = to_html("<script>alert(1)</script><img src=https://x/y.png onerror=alert(1)>");
        assert!(!out.contains("<script") && !out.contains("<img") && !out.contains("onerror"));
        let link = to_html("[x](javascript:alert(1)) [y](https://example.com)");
        assert!(!link.contains("javascript:"), "{link}");
        assert!(link.contains("href=\"https://example.com\""), "{link}");
    }

    #[test]
    fn task_lists_render_as_disabled_checkboxes() {
        let out = to_html("- [x] done\n- [ ] todo\n");
        assert!(out.contains("checked"), "{out}");
        assert!(out.contains("disabled"), "{out}");
    }
}
