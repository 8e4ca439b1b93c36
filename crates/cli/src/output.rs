//! How a subcommand answers: text for a person, or with `--json` one JSON document on stdout;
//! a failure as the one [`Problem`] both faces share (stderr in text, `{"error": …}` in JSON).

use serde::Serialize;
use std::cell::Cell;
use wheelhouse_diagnostics::{ErrorCode, Problem};

pub struct Output {
    json: bool,
    /// A failing command printed its JSON document with the error in it already.
    reported: Cell<bool>,
}

impl Output {
    pub fn new(json: bool) -> Self {
        Output {
            json,
            reported: Cell::new(false),
        }
    }

    pub fn json(&self) -> bool {
        self.json
    }

    /// `value` as JSON with `--json`, else as `text` writes it for a person.
    pub fn show<T: Serialize + ?Sized>(&self, value: &T, text: impl FnOnce(&T)) {
        if self.json {
            print_json(value);
        } else {
            text(value);
        }
    }

    /// One JSON document for a command that fails with a result to show (`verify`): the
    /// document with the error beside it, so scripts read one document either way.
    pub fn show_refused(&self, mut document: serde_json::Value, problem: &Problem) {
        document["error"] = error_json(problem);
        self.reported.set(true);
        print_json(&document);
    }

    /// How a failure reaches the person or the script.
    pub fn fail(&self, problem: &Problem) {
        if self.reported.get() {
            // The command's own document carries the error.
        } else if self.json {
            // The one document: the error alone.
            println!("{}", serde_json::json!({ "error": error_json(problem) }));
        } else {
            eprintln!("error: {problem}");
        }
    }
}

/// The one wire shape of an error, the app's too.
fn error_json(p: &Problem) -> serde_json::Value {
    serde_json::to_value(wheelhouse_api::ErrorReport::from(p)).expect("reports serialize")
}

pub fn print_json(value: &(impl Serialize + ?Sized)) {
    println!(
        "{}",
        serde_json::to_string_pretty(value).expect("views serialize")
    );
}

/// Writes `bytes` (a generated `what`) to standard output.
pub fn write_stdout(bytes: &[u8], what: &str) -> Result<(), Problem> {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    out.write_all(bytes)
        .and_then(|()| out.flush())
        .map_err(|e| {
            Problem::new(
                ErrorCode::Io,
                format!("The {what} could not be written: {e}"),
            )
        })
}

pub fn read_stdin() -> Result<String, Problem> {
    let mut text = String::new();
    std::io::Read::read_to_string(&mut std::io::stdin(), &mut text).map_err(|e| {
        Problem::new(
            ErrorCode::Io,
            format!("Could not read the text on stdin: {e}"),
        )
    })?;
    Ok(text)
}
