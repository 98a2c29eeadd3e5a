//! Practice sections are Markdown written by administrations: rendered with pulldown-cmark and
//! sanitised with ammonia, headings pushed below the section's own `h2`.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd, html};

pub fn to_safe_html(markdown: &str) -> String {
    render(markdown, |level| match level {
        HeadingLevel::H1 => HeadingLevel::H3,
        HeadingLevel::H2 => HeadingLevel::H4,
        HeadingLevel::H3 => HeadingLevel::H5,
        _ => HeadingLevel::H6,
    })
}

/// A whole page's text written by the operator (privacy, legal notes): its headings go below
/// the page's own `h1`. A file may start its sections at `#` or at `##`; both become `h2`, so
/// neither skips a level.
pub fn page_to_safe_html(markdown: &str) -> String {
    render(markdown, |level| match level {
        HeadingLevel::H1 => HeadingLevel::H2,
        other => other,
    })
}

fn render(markdown: &str, demote: impl Fn(HeadingLevel) -> HeadingLevel) -> String {
    let events = Parser::new_ext(
        markdown,
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH,
    )
    .map(|event| match event {
        Event::Start(Tag::Heading {
            level,
            id,
            classes,
            attrs,
        }) => Event::Start(Tag::Heading {
            level: demote(level),
            id,
            classes,
            attrs,
        }),
        Event::End(TagEnd::Heading(level)) => Event::End(TagEnd::Heading(demote(level))),
        other => other,
    });
    let mut unsafe_html = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut unsafe_html, events);
    ammonia::clean(&unsafe_html)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_and_handlers_are_removed_and_headings_demoted() {
        let html = to_safe_html(
            "# Titolo\n\n<script>alert(1)</script>\n\n[link](javascript:alert(1)) <img src=x onerror=alert(1)>\n\n- **uno**",
        );
        assert!(html.contains("<h3>Titolo</h3>"), "{html}");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(html.contains("<li><strong>uno</strong></li>"), "{html}");
    }
}
