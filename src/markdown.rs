//! The small Markdown subset lesson texts use: paragraphs separated by blank
//! lines, and inside them `code`, **bold** and *emphasis*. Anything else is
//! shown as written, so a stray asterisk never hides text.

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Span {
    Text(String),
    Code(String),
    Strong(String),
    Emphasis(String),
}

/// A paragraph, or a list of `- ` items.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Block {
    Paragraph(Vec<Span>),
    List(Vec<Vec<Span>>),
}

/// Blocks separated by blank lines; lines starting with `- ` are list items
/// (an item's continuation lines join it).
pub fn blocks(text: &str) -> Vec<Block> {
    let mut out = Vec::new();
    for chunk in text.split("\n\n") {
        let mut prose: Vec<&str> = Vec::new();
        let mut items: Vec<String> = Vec::new();
        for line in chunk.lines() {
            let line = line.trim();
            if let Some(item) = line.strip_prefix("- ") {
                items.push(item.to_string());
            } else if let Some(last) = items.last_mut() {
                last.push(' ');
                last.push_str(line);
            } else {
                prose.push(line);
            }
        }
        let prose = prose.join(" ");
        let prose = prose.split_whitespace().collect::<Vec<_>>().join(" ");
        if !prose.is_empty() {
            out.push(Block::Paragraph(inline(&prose)));
        }
        if !items.is_empty() {
            out.push(Block::List(
                items.iter().map(|i| inline(i.trim())).collect(),
            ));
        }
    }
    out
}

/// Paragraphs only, each a list of inline spans (list items become
/// paragraphs of their own).
pub fn paragraphs(text: &str) -> Vec<Vec<Span>> {
    blocks(text)
        .into_iter()
        .flat_map(|b| match b {
            Block::Paragraph(spans) => vec![spans],
            Block::List(items) => items,
        })
        .collect()
}

/// Splits one paragraph into spans. A marker with no closing partner is text.
pub fn inline(text: &str) -> Vec<Span> {
    let mut spans = Vec::new();
    let mut plain = String::new();
    let mut rest = text;
    while !rest.is_empty() {
        let found = [("`", 1usize), ("**", 2), ("*", 1)]
            .iter()
            .find_map(|(marker, len)| {
                let body = rest.strip_prefix(marker)?;
                let close = body.find(marker)?;
                (close > 0).then(|| (*marker, *len, &body[..close]))
            });
        match found {
            Some((marker, len, body)) => {
                if !plain.is_empty() {
                    spans.push(Span::Text(std::mem::take(&mut plain)));
                }
                spans.push(match marker {
                    "`" => Span::Code(body.to_string()),
                    "**" => Span::Strong(body.to_string()),
                    _ => Span::Emphasis(body.to_string()),
                });
                rest = &rest[len + body.len() + len..];
            }
            None => {
                let c = rest.chars().next().unwrap_or_default();
                plain.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    if !plain.is_empty() {
        spans.push(Span::Text(plain));
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_bold_and_emphasis() {
        assert_eq!(
            inline("a `x: 1` **b** *c* d"),
            vec![
                Span::Text("a ".into()),
                Span::Code("x: 1".into()),
                Span::Text(" ".into()),
                Span::Strong("b".into()),
                Span::Text(" ".into()),
                Span::Emphasis("c".into()),
                Span::Text(" d".into()),
            ]
        );
    }

    #[test]
    fn unclosed_markers_stay_text() {
        assert_eq!(
            inline("2 * 3 and `x"),
            vec![Span::Text("2 * 3 and `x".into())]
        );
        assert_eq!(inline("é*"), vec![Span::Text("é*".into())]);
    }

    #[test]
    fn dash_lines_make_a_list() {
        let b = blocks("The brief:\n\n- one\n  more\n- two\n\nafter");
        assert_eq!(
            b,
            vec![
                Block::Paragraph(vec![Span::Text("The brief:".into())]),
                Block::List(vec![
                    vec![Span::Text("one more".into())],
                    vec![Span::Text("two".into())],
                ]),
                Block::Paragraph(vec![Span::Text("after".into())]),
            ]
        );
    }

    #[test]
    fn blank_lines_separate_paragraphs() {
        let p = paragraphs("one\ntwo\n\nthree\n");
        assert_eq!(p.len(), 2);
        assert_eq!(p[0], vec![Span::Text("one two".into())]);
    }

    #[test]
    fn every_lesson_text_renders_without_losing_characters() {
        for lesson in canary_lab_lessons::bundled().into_iter().flatten() {
            let m = &lesson.manifest;
            for text in std::iter::once(&m.story).chain(&m.hints) {
                for paragraph in paragraphs(text) {
                    let rebuilt: String = paragraph
                        .iter()
                        .map(|s| match s {
                            Span::Text(t) => t.clone(),
                            Span::Code(t) => format!("`{t}`"),
                            Span::Strong(t) => format!("**{t}**"),
                            Span::Emphasis(t) => format!("*{t}*"),
                        })
                        .collect();
                    let squeeze = |t: &str| t.split_whitespace().collect::<String>();
                    assert!(
                        squeeze(text).contains(&squeeze(&rebuilt)),
                        "{}: rendering changed the text of: {rebuilt}",
                        m.id
                    );
                }
            }
        }
    }
}
