//! Walks every lesson under `lessons/`: the starting files fail the
//! objectives the lesson says they fail (and pass the others it names), and
//! the solution passes them all. A lesson cannot silently rot.

use canary_lab_lessons::{bundled, check, Expect, Lesson};

fn lessons() -> Vec<Lesson> {
    let all = bundled();
    assert!(
        all.len() >= 11,
        "expected the whole course, found {} lessons",
        all.len()
    );
    all.into_iter()
        .map(|lesson| lesson.unwrap_or_else(|e| panic!("malformed lesson: {e}")))
        .collect()
}

#[test]
fn starting_files_fail_as_each_story_says() {
    let mut wrong = Vec::new();
    for lesson in lessons() {
        for judged in check(&lesson, &lesson.start_files()) {
            let Some(expect) = judged.objective.start else {
                continue;
            };
            if judged.verdict.passed != (expect == Expect::Pass) {
                wrong.push(format!(
                    "{}: at the start, “{}” should {} but {}: {}",
                    lesson.manifest.id,
                    judged.objective.text,
                    if expect == Expect::Pass {
                        "pass"
                    } else {
                        "fail"
                    },
                    if judged.verdict.passed {
                        "passes"
                    } else {
                        "fails"
                    },
                    judged.verdict.detail
                ));
            }
        }
    }
    assert!(wrong.is_empty(), "\n{}", wrong.join("\n"));
}

#[test]
fn solutions_pass_every_objective() {
    let mut failing = Vec::new();
    for lesson in lessons() {
        for judged in check(&lesson, &lesson.solved_files()) {
            if !judged.verdict.passed {
                failing.push(format!(
                    "{}: the solution fails “{}”: {}",
                    lesson.manifest.id, judged.objective.text, judged.verdict.detail
                ));
            }
        }
    }
    assert!(failing.is_empty(), "\n{}", failing.join("\n"));
}

#[test]
fn every_lesson_with_objectives_has_progressive_hints() {
    for lesson in lessons() {
        let m = &lesson.manifest;
        if m.objectives.is_empty() {
            continue;
        }
        assert!(
            (2..=5).contains(&m.hints.len()),
            "{}: {} hints; a lesson needs a few, each a step closer",
            m.id,
            m.hints.len()
        );
        assert!(!lesson.solution.is_empty(), "{}: no solution files", m.id);
    }
}

#[test]
fn the_new_image_is_the_one_the_rollout_deploys() {
    for lesson in lessons() {
        let rollout = lesson
            .start
            .iter()
            .find(|(_, text)| text.contains("kind: Rollout"))
            .map(|(_, text)| text.as_str())
            .unwrap_or_else(|| panic!("{}: no Rollout among the files", lesson.manifest.id));
        assert!(
            rollout.contains(&format!("image: {}", lesson.manifest.new_image)),
            "{}: images.new is {} but the Rollout deploys something else",
            lesson.manifest.id,
            lesson.manifest.new_image
        );
    }
}

/// The playground ticks lint-only objectives as the learner types, from lint
/// alone; those verdicts must equal the ones a full check gives.
#[test]
fn lint_only_verdicts_match_the_full_check() {
    use canary_lab_lessons::{check_without_run, lint_facts};
    use canary_lab_lint::{lint_workspace, parse_workspace, SourceFile};
    let mut lint_only = 0;
    for lesson in lessons() {
        for files in [lesson.start_files(), lesson.solved_files()] {
            let sources: Vec<SourceFile> = files
                .iter()
                .map(|(path, text)| SourceFile::new(path.clone(), text.clone()))
                .collect();
            let (workspace, _) = parse_workspace(&sources);
            let diagnostics = lint_workspace(&workspace, &sources);
            let early = check_without_run(&lesson, &lint_facts(&workspace, &diagnostics));
            let full = check(&lesson, &files);
            for (early, full) in early.iter().zip(&full) {
                match early {
                    Some(early) => {
                        lint_only += 1;
                        assert_eq!(early, full, "{}", lesson.manifest.id);
                    }
                    None => assert!(full.objective.check.needs_run()),
                }
            }
        }
    }
    assert!(lint_only > 0, "no lesson has a lint-only objective");
}

/// Lesson 6 asks for an early abort without flapping: the naive answer,
/// `failureLimit: 0`, aborts on the first bad measurement and must not pass.
#[test]
fn a_zero_failure_limit_does_not_pass_lesson_six() {
    let lesson = lessons()
        .into_iter()
        .find(|l| l.manifest.id == "06-bad-canary")
        .expect("lesson 6");
    let naive: Vec<(String, String)> = lesson
        .solved_files()
        .into_iter()
        .map(|(path, text)| {
            let text = if path == "hotrod/analysis-template.yaml" {
                text.replacen("failureLimit: 1", "failureLimit: 0", 1)
            } else {
                text
            };
            (path, text)
        })
        .collect();
    let judged = check(&lesson, &naive);
    let flapping = judged
        .iter()
        .find(|j| j.objective.text.contains("One bad measurement"))
        .expect("the objective exists");
    assert!(!flapping.verdict.passed, "{:?}", flapping.verdict);
}

/// Only the last hint may hand over the answer: no earlier hint quotes a
/// line the solution adds (a line of some substance, not `- name: x`).
#[test]
fn no_hint_before_the_last_quotes_the_solution() {
    let mut leaks = Vec::new();
    let mut lines_checked = 0;
    for lesson in lessons() {
        let m = &lesson.manifest;
        let Some((_, earlier)) = m.hints.split_last() else {
            continue;
        };
        for (path, solved) in &lesson.solution {
            let start = lesson.start.get(path).map(String::as_str).unwrap_or("");
            let start_lines: Vec<&str> = start.lines().map(str::trim).collect();
            let added = solved
                .lines()
                .map(str::trim)
                .filter(|l| l.len() >= 24 && !start_lines.contains(l));
            for line in added {
                lines_checked += 1;
                for (i, hint) in earlier.iter().enumerate() {
                    let squeezed: String = hint.split_whitespace().collect::<Vec<_>>().join(" ");
                    if squeezed.contains(line) {
                        leaks.push(format!(
                            "{}: hint {} quotes `{line}` from {path}",
                            m.id,
                            i + 1
                        ));
                    }
                }
            }
        }
    }
    assert!(
        lines_checked > 10,
        "only {lines_checked} solution lines to check"
    );
    assert!(leaks.is_empty(), "{}", leaks.join("\n"));
}
