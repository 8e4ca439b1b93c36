//! One module per subcommand: its arguments (`Args`, whose doc comment is its help) and the
//! function that runs it. Shared printing lives with the subcommand that owns it
//! (`show::print_files`, `verify::print_effect`, `validate::report`).

pub mod approve;
pub mod changes;
pub mod check;
pub mod clone;
pub mod commit;
pub mod compare;
pub mod completions;
pub mod credentials;
pub mod demo;
pub mod diff;
pub mod discard;
pub mod envs;
pub mod history;
pub mod man;
pub mod matrix;
pub mod merge;
pub mod overview;
pub mod promote;
pub mod push;
pub mod render;
pub mod rollback;
pub mod set;
pub mod show;
pub mod signing;
pub mod signing_keys;
pub mod status;
pub mod sync;
pub mod update_check;
pub mod validate;
pub mod verify;
pub mod write;
