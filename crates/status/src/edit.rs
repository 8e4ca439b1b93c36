//! Format-preserving edits of the status page's files, for the editor and the CLI.
//!
//! Each edit is a pure function from the current text of a file to its new text (or, for a new
//! incident or maintenance, a new file's path and text). Changes are spliced into the original
//! text with the workspace's YAML engine ([`wheelhouse_yaml`]): lines that the
//! edit does not touch stay byte for byte identical (comments, quoting, key order, flow style,
//! CRLF line breaks). In Markdown files only the front matter (between the `---` lines) is
//! edited as YAML; the body is replaced as text.
//!
//! Two layers:
//! - the text functions ([`set_component_status`], [`move_component`], [`new_incident`],
//!   [`add_incident_update`], [`resolve_incident`], [`set_postmortem`], [`new_maintenance`],
//!   [`start_maintenance`], [`complete_maintenance`]) check their input and read their result
//!   back with the loader (alone: references to components are the folder's business);
//! - [`plan`] runs one [`StatusEdit`] over the whole folder (the map [`crate::load`] takes) and
//!   refuses any result that would not load together with the other files. Its changes
//!   ([`crate::change::FileChange`]) are written by [`crate::save::apply`], atomically and only
//!   over files that still hold the text they were planned from.
//!
//! Nothing here reads the clock: the moment of an update is an argument.

mod components;
mod error;
mod incidents;
mod maintenances;
mod plan;
mod subscribers;
mod text;
mod updates;

pub use components::{move_component, set_component_status};
pub use error::{EditError, EditErrorCode, NewFile};
pub use incidents::{
    add_incident_update, new_incident, resolve_incident, set_postmortem, NewIncident, UpdateInput,
    RESOLVED_BODY,
};
pub use maintenances::{
    complete_maintenance, new_maintenance, start_maintenance, NewMaintenance, COMPLETED_BODY,
    STARTED_BODY,
};
pub use plan::{plan, StatusEdit};
pub use subscribers::{add_channel, remove_channel, NewChannel};
pub use text::slug_from_title;
