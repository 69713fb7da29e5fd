//! A malformed lesson fails with the file and the position of the mistake.

use canary_lab_lessons::{parse_manifest, Lesson};

const GOOD: &str = "\
id: 99-test
title: A test lesson
level: beginner
summary: Tests the loader.
story: |
  Once upon a time.
seed: 3
images:
  stable: jaegertracing/example-hotrod:1.75.0
  new: jaegertracing/example-hotrod:1.76.0
files:
  - path: otel/config.yaml
    editable: true
objectives:
  - text: The collector starts
    check: { kind: collector-running }
    start: fail
hints:
  - Look at the receivers.
  - Add one.
";

fn error_of(text: &str) -> String {
    parse_manifest("99-test/lesson.yaml", text)
        .unwrap_err()
        .to_string()
}

#[test]
fn a_good_manifest_parses() {
    let manifest = parse_manifest("99-test/lesson.yaml", GOOD).unwrap();
    assert_eq!(manifest.seed, 3);
    assert_eq!(manifest.files.len(), 1);
    assert_eq!(manifest.hints.len(), 2);
}

#[test]
fn an_unknown_check_kind_is_reported_at_its_line() {
    let text = GOOD.replace("kind: collector-running", "kind: collector-dancing");
    assert_eq!(
        error_of(&text),
        "99-test/lesson.yaml:16:20: unknown check kind `collector-dancing`; see lessons/README.md for the list"
    );
}

#[test]
fn a_yaml_syntax_error_has_a_position() {
    let text = GOOD.replace("title: A test lesson", "title: [unclosed");
    let error = error_of(&text);
    assert!(error.starts_with("99-test/lesson.yaml:"), "{error}");
    assert!(
        error.split(':').nth(1).unwrap().parse::<usize>().is_ok(),
        "{error}"
    );
}

#[test]
fn wrong_types_and_unknown_fields_are_named() {
    assert_eq!(
        error_of(&GOOD.replace("seed: 3", "seed: three")),
        "99-test/lesson.yaml:7:7: expected a whole number, found `three`"
    );
    assert_eq!(
        error_of(&GOOD.replace("summary:", "sumary:")),
        "99-test/lesson.yaml:4:1: unknown field `sumary`; expected one of: id, title, level, summary, story, seed, images, behaviours, files, objectives, hints"
    );
    assert!(error_of(&GOOD.replace("start: fail", "start: maybe"))
        .contains("expected `pass` or `fail`"));
}

#[test]
fn files_must_match_the_folder() {
    let files = vec![("lesson.yaml".to_string(), GOOD.to_string())];
    let error = Lesson::from_files("99-test", &files)
        .unwrap_err()
        .to_string();
    assert_eq!(
        error,
        "99-test/lesson.yaml: `files` lists `otel/config.yaml` but start/otel/config.yaml does not exist"
    );
    let error = Lesson::from_files("98-other", &files)
        .unwrap_err()
        .to_string();
    assert!(error.contains("the folder is `98-other`"), "{error}");
}
