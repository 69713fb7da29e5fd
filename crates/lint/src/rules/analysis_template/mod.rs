//! `ARGO5xx`: AnalysisTemplate problems: schema, arguments, queries,
//! conditions, limits, and what the analysis fails to check.

pub mod analysis_template_schema;
pub mod condition_syntax_error;
pub mod extra_argument;
pub mod metric_cannot_fail;
pub mod metric_runs_forever;
pub mod missing_argument;
pub mod no_traffic_check;
pub mod promql_syntax_error;
pub mod ratio_without_nan_guard;
pub mod traffic_query_counts_scrapes;
pub mod undeclared_argument;
pub mod unguarded_result_index;
