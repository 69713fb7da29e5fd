//! `ARGO6xx`: Rollout problems.

pub mod canary_without_analysis;
pub mod unknown_analysis_template;
