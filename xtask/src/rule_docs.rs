//! One static HTML page per lint rule, plus an index, written to
//! `target/rules/` before each Trunk build and copied to `dist/rules/`. The
//! editor's hover links to them, so a rule's documentation works offline
//! and under any sub-path, without the docs in the page's wasm.

use std::fmt::Write as _;
use std::path::Path;

use canary_lab_lint::registry::rules;

pub fn run(root: &Path) -> Result<(), String> {
    let out = root.join("target/rules");
    std::fs::create_dir_all(&out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    let mut index = String::new();
    for rule in rules() {
        let meta = &rule.meta;
        let title = format!("{} {}", meta.code, meta.name);
        let body = format!(
            "<p class=\"meta\">{} · {} · {}</p>\n<p class=\"summary\">{}</p>\n{}",
            meta.severity.as_str(),
            escape(&format!("{:?}", meta.group).to_lowercase()),
            escape(meta.name),
            escape(meta.summary),
            markdown(&meta.doc())
        );
        write(
            &out.join(format!("{}.html", meta.code)),
            &page(&title, &body),
        )?;
        let _ = writeln!(
            index,
            "<li><a href=\"{code}.html\"><code>{code}</code> {name}</a> — {summary}</li>",
            code = meta.code,
            name = escape(meta.name),
            summary = escape(meta.summary)
        );
    }
    write(
        &out.join("index.html"),
        &page(
            "Canary Lab lint rules",
            &format!("<ul class=\"rules\">\n{index}</ul>"),
        ),
    )
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

fn page(title: &str, body: &str) -> String {
    format!(
        r#"<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark"><title>{title}</title>
<style>
body {{ font: 15px/1.5 system-ui, sans-serif; max-width: 46rem; margin: 1.5rem auto; padding: 0 1rem; color: #1d1f23; background: #fbfbf8; }}
pre, code {{ font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 13px; }}
pre {{ background: #fff; border: 1px solid #d9dce1; border-radius: 6px; padding: 0.6rem; overflow-x: auto; }}
.meta {{ color: #5d6470; }} a {{ color: #2557d6; }}
@media (prefers-color-scheme: dark) {{
  body {{ color: #e6e6e3; background: #15171b; }} pre {{ background: #1d2026; border-color: #343841; }}
  .meta {{ color: #a2a8b3; }} a {{ color: #8ab4ff; }}
}}
</style></head>
<body><p><a href="index.html">All rules</a></p><h1>{title}</h1>
{body}
</body></html>
"#,
        title = escape(title)
    )
}

/// The Markdown the rule docs use: `##` headings, paragraphs, fenced code
/// blocks and inline code.
fn markdown(text: &str) -> String {
    let mut html = String::new();
    let mut paragraph: Vec<&str> = Vec::new();
    let mut code: Option<Vec<&str>> = None;
    let flush = |paragraph: &mut Vec<&str>, html: &mut String| {
        if !paragraph.is_empty() {
            let _ = writeln!(html, "<p>{}</p>", inline(&paragraph.join(" ")));
            paragraph.clear();
        }
    };
    for line in text.lines() {
        if let Some(block) = code.as_mut() {
            if line.trim_start().starts_with("```") {
                let _ = writeln!(
                    html,
                    "<pre><code>{}</code></pre>",
                    escape(&block.join("\n"))
                );
                code = None;
            } else {
                block.push(line);
            }
        } else if line.trim_start().starts_with("```") {
            flush(&mut paragraph, &mut html);
            code = Some(Vec::new());
        } else if let Some(heading) = line.strip_prefix("## ") {
            flush(&mut paragraph, &mut html);
            let _ = writeln!(html, "<h2>{}</h2>", inline(heading));
        } else if line.trim().is_empty() {
            flush(&mut paragraph, &mut html);
        } else {
            paragraph.push(line.trim());
        }
    }
    if let Some(block) = code {
        let _ = writeln!(
            html,
            "<pre><code>{}</code></pre>",
            escape(&block.join("\n"))
        );
    }
    flush(&mut paragraph, &mut html);
    html
}

/// `code` spans; everything else escaped as text.
fn inline(text: &str) -> String {
    text.split('`')
        .enumerate()
        .map(|(i, part)| {
            if i % 2 == 1 {
                format!("<code>{}</code>", escape(part))
            } else {
                escape(part)
            }
        })
        .collect()
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_code_and_paragraphs() {
        let html = markdown("## What it does\nReports `a<b>`\nand more.\n\n```yaml\nx: <1>\n```\n");
        assert_eq!(
            html,
            "<h2>What it does</h2>\n<p>Reports <code>a&lt;b&gt;</code> and more.</p>\n<pre><code>x: &lt;1&gt;</code></pre>\n"
        );
    }

    #[test]
    fn every_rule_doc_renders_its_sections() {
        for rule in rules() {
            let html = markdown(&rule.meta.doc());
            assert!(html.contains("<h2>What it does</h2>"), "{}", rule.meta.code);
            assert!(
                html.contains("<pre><code>"),
                "{}: no example",
                rule.meta.code
            );
            assert!(
                !html.contains("```"),
                "{}: an unclosed code fence",
                rule.meta.code
            );
        }
    }
}
