//! Imports another tool's status page into Wheelhouse's `status/` files.
//!
//! Each importer is a pure function from the other tool's files (a map of path relative to its
//! repository → text) to the files of a status folder (path relative to `status/` → text, ready
//! for [`crate::load`]) plus [`Note`]s about everything that could not be carried over:
//! - [`cstate::import`] reads a cState (Hugo) site: `config.yml` systems and categories, and
//!   `content/issues/*.md` with their update blocks;
//! - [`upptime::import`] reads an Upptime repository: `.upptimerc.yml` sites and status
//!   website, `history/*.yml` current statuses and `history/summary.json` daily downtime.
//!
//! The disk edges are separate: [`read_source`] reads only the files an importer needs (never
//! through a link that leads out of the folder), [`write_into`] puts the result into a status
//! folder, refusing to overwrite files unless asked and refusing anything that would not load.
//!
//! Imported text is data: titles, names and bodies are written as YAML strings (quoted when
//! needed) or Markdown bodies, and the renderer escapes and sanitises them like any other.

mod common;
pub mod cstate;
mod disk;
mod emit;
pub mod upptime;

pub use common::{Import, ImportError, Note, Source, MAX_FILE_BYTES};
pub use disk::{read_source, write_into, FileAction, PlannedFile};

use std::collections::BTreeMap;

/// Converts a source's files with the importer for `source`.
pub fn import(source: Source, files: &BTreeMap<String, String>) -> Result<Import, ImportError> {
    match source {
        Source::Cstate => cstate::import(files),
        Source::Upptime => upptime::import(files),
    }
}
