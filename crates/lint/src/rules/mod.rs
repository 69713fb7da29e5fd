//! All rules, one file each under `rules/<group>/<rule_name>.rs`.

pub mod analysis_template;
pub mod collector_reachability;
pub mod collector_startup;
pub mod metrics_path;
pub mod query_producer;
pub mod rollout;
pub mod yaml;

use crate::registry::Rule;

/// Every rule, ordered by code.
pub static ALL: &[Rule] = &[
    yaml::yaml_syntax_error::RULE,
    yaml::nesting_limit_exceeded::RULE,
    yaml::field_type_mismatch::RULE,
    collector_startup::collector_config_unparsable::RULE,
    collector_startup::empty_collector_config::RULE,
    collector_startup::no_receivers::RULE,
    collector_startup::no_exporters::RULE,
    collector_startup::undefined_component::RULE,
    collector_startup::incomplete_pipeline::RULE,
    collector_startup::connector_misuse::RULE,
    collector_startup::unknown_component_type::RULE,
    collector_startup::unknown_config_key::RULE,
    collector_startup::invalid_config_structure::RULE,
    collector_startup::otlp_receiver_without_protocol::RULE,
    collector_startup::invalid_component_settings::RULE,
    collector_startup::unsupported_pipeline_signal::RULE,
    collector_reachability::receiver_bound_to_localhost::RULE,
    collector_reachability::otlp_endpoint_mismatch::RULE,
    collector_reachability::collector_service_missing_port::RULE,
    metrics_path::span_metrics_not_exported::RULE,
    metrics_path::no_prometheus_exporter::RULE,
    metrics_path::prometheus_port_mismatch::RULE,
    metrics_path::unused_component::RULE,
    query_producer::metric_never_produced::RULE,
    query_producer::label_never_set::RULE,
    analysis_template::analysis_template_schema::RULE,
    analysis_template::undeclared_argument::RULE,
    analysis_template::missing_argument::RULE,
    analysis_template::extra_argument::RULE,
    analysis_template::promql_syntax_error::RULE,
    analysis_template::condition_syntax_error::RULE,
    analysis_template::unguarded_result_index::RULE,
    analysis_template::ratio_without_nan_guard::RULE,
    analysis_template::metric_cannot_fail::RULE,
    analysis_template::metric_runs_forever::RULE,
    analysis_template::no_traffic_check::RULE,
    analysis_template::traffic_query_counts_scrapes::RULE,
    rollout::unknown_analysis_template::RULE,
    rollout::canary_without_analysis::RULE,
];
