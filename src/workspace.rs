//! What lint says about the learner's files, arranged for the problems
//! panel: plain functions over the lint worker's [`Problem`]s, testable
//! natively.

use std::collections::BTreeMap;

use canary_lab_worker::protocol::Problem;

/// Problems grouped by file, files in the given order.
pub fn by_file<'d>(order: &[String], problems: &'d [Problem]) -> Vec<(String, Vec<&'d Problem>)> {
    let mut groups: BTreeMap<&str, Vec<&Problem>> = BTreeMap::new();
    for d in problems {
        groups.entry(d.file.as_str()).or_default().push(d);
    }
    let mut ordered: Vec<(String, Vec<&Problem>)> = order
        .iter()
        .filter_map(|path| groups.remove(path.as_str()).map(|ds| (path.clone(), ds)))
        .collect();
    ordered.extend(groups.into_iter().map(|(path, ds)| (path.to_string(), ds)));
    ordered
}

/// (errors, warnings, notes) for the summary line.
pub fn counts(problems: &[Problem]) -> (usize, usize, usize) {
    problems
        .iter()
        .fold((0, 0, 0), |(e, w, i), d| match d.severity.as_str() {
            "error" => (e + 1, w, i),
            "warning" => (e, w + 1, i),
            _ => (e, w, i + 1),
        })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use canary_lab_worker::engine::Session;
    use canary_lab_worker::protocol::{Request, Response};

    const BROKEN_CONFIG: &str = include_str!("../fixtures/challenge/broken/otel/config.yaml");

    /// What the lint worker answers, computed natively.
    pub(crate) fn lint_natively(files: &[(String, String)]) -> Vec<Problem> {
        match Session::new().handle_lint(Request::Lint {
            lesson: String::new(),
            files: files.to_vec(),
        }) {
            Response::Linted(result) => result.problems,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn groups_follow_the_tab_order() {
        let files = vec![("otel/config.yaml".to_string(), BROKEN_CONFIG.to_string())];
        let problems = lint_natively(&files);
        let order = vec![
            "hotrod/rollout.yaml".to_string(),
            "otel/config.yaml".to_string(),
        ];
        let groups = by_file(&order, &problems);
        assert_eq!(groups.len(), 1);
        assert_eq!(groups[0].0, "otel/config.yaml");
        let (errors, _, _) = counts(&problems);
        assert!(errors > 0);
        assert_eq!(
            errors,
            groups[0].1.iter().filter(|d| d.severity == "error").count()
        );
    }
}
