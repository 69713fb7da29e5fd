//! A small span-carrying YAML tree built from `saphyr-parser` events.
//!
//! We build our own tree (rather than saphyr's `MarkedYaml`) for two reasons:
//! alias expansion and nesting depth must be bounded (YAML bombs must end in
//! a diagnostic, not in an exhausted machine), and every span must be a BYTE
//! range in the OUTER file, also for YAML embedded in a block scalar.

mod load;
mod node;
mod offsets;

pub use load::{load_documents, Limits, YamlError};
pub use node::{Entry, Node, NodeKind, ScalarStyle};
pub use offsets::{scalar_offsets, OffsetMap};
