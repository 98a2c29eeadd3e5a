//! Plain text from the Markdown of a practice's sections: what the index analyses and what
//! snippets are cut from.

use pulldown_cmark::{Event, Parser, TagEnd};
use riusa_domain::catalog::Sections;

/// Appends each filled section as a plain-text paragraph.
pub(crate) fn append_sections(text: &mut String, sections: &Sections) {
    for (_, markdown) in sections.present() {
        if !text.is_empty() {
            text.push_str("\n\n");
        }
        markdown_to_text(markdown, text);
    }
}

fn markdown_to_text(markdown: &str, out: &mut String) {
    for event in Parser::new(markdown) {
        match event {
            Event::Text(text) | Event::Code(text) => out.push_str(&text),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(
                TagEnd::Paragraph | TagEnd::Item | TagEnd::Heading(_) | TagEnd::TableRow,
            ) => out.push('\n'),
            _ => {}
        }
    }
}
