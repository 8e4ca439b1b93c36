//! Understands a GitOps repository's layouts, resolves what runs in every environment with the
//! provenance of every value, and edits it minimally.
//!
//! Layers: [`yaml`] (the `wheelhouse-yaml` crate) parses with exact locations, edits by splicing
//! bytes and writes conflict-checked; [`layout`] finds the
//! environments (pure, from file names and `.wheelhouse/config.yaml`); [`resolve`] computes the
//! effective state of every workload in every environment (pure, over a [`resolve::Snapshot`]);
//! [`matrix`] and [`validate`] are views over it; [`effect`] and [`fields`] say what a change
//! does to each environment (pure, over two snapshots); [`edit`] plans changes in one environment's own
//! layer and promotions, and writes them atomically; [`workspace`] is the I/O edge that reads the
//! files and refreshes incrementally; [`render`] is the object model the Kustomize build
//! (`resolve::kustomize`) works on and prints, as `kustomize build` does.

pub mod check;
pub mod edit;
pub mod effect;
pub mod fields;
pub mod layout;
pub mod matrix;
pub mod model;
pub mod render;
pub mod resolve;
mod tree;
pub mod validate;
pub mod workspace;
pub use wheelhouse_yaml as yaml;

pub use model::*;
pub use wheelhouse_diagnostics::ErrorCode;
pub use workspace::Workspace;
