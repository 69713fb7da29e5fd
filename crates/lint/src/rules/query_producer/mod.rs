//! `PROM4xx`: analysis queries that ask for series nothing produces.

pub mod label_never_set;
pub mod metric_never_produced;
