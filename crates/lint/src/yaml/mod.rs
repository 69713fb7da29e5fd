//! A small span-carrying YAML tree, built by our fast path for the YAML
//! subset manifests use, or else from `saphyr-parser` events.
//!
//! We build our own tree (rather than saphyr's `MarkedYaml`) for two reasons:
//! alias expansion and nesting depth must be bounded (YAML bombs must end in
//! a diagnostic, not in an exhausted machine), and every span must be a BYTE
//! range in the OUTER file, also for YAML embedded in a block scalar.

mod fast;
mod load;
mod node;
mod offsets;

pub use load::{load_documents, load_with_saphyr, Limits, YamlError};

/// The fast path alone: `None` when `text` leaves the manifest subset.
/// [`load_documents`] uses it first; it is public for the differential test
/// against [`load_with_saphyr`] and for the benchmark.
pub fn load_fast_path(
    text: &str,
    file: crate::source::FileId,
    embedded: Option<&OffsetMap>,
    limits: Limits,
) -> Option<Vec<Node>> {
    fast::parse_documents(text, file, embedded, limits.max_depth)
}
pub use node::{Entry, Node, NodeKind, ScalarStyle};
pub use offsets::{scalar_offsets, OffsetMap};
