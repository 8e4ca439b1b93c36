//! `subscribers.yaml` edited from a form: a channel added at the end of `channels:` (the file
//! made when there is none), or one removed — everything else as it was written (comments,
//! order, quoting), and the result checked the way `notify` reads it, so a form cannot write a
//! file that notify refuses.

use super::error::{EditError, EditErrorCode};
use crate::model::StatusPage;
use crate::notify::{parse_subscribers, ChannelKind, SUBSCRIBERS_FILE};
use serde::{Deserialize, Serialize};
use wheelhouse_yaml::{NewValue, PathSeg};

/// A channel as the form gives it; the fields its kind does not take stay empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ts_rs::TS)]
pub struct NewChannel {
    pub name: String,
    pub kind: ChannelKind,
    /// The address written in the file (a webhook's https address, a mail server's smtp://).
    #[serde(default)]
    pub url: Option<String>,
    /// Or the name of the secret holding it.
    #[serde(default)]
    pub url_secret: Option<String>,
    #[serde(default)]
    pub signing_secret: Option<String>,
    #[serde(default)]
    pub from: Option<String>,
    #[serde(default)]
    pub to: Vec<String>,
    #[serde(default)]
    pub unsubscribe: Option<String>,
    #[serde(default)]
    pub components: Vec<String>,
}

fn refused(e: &crate::StatusError) -> EditError {
    EditError::new(e.code, SUBSCRIBERS_FILE, e.message.clone()).at(e.line, e.column)
}

fn yaml_error(e: impl std::fmt::Display) -> EditError {
    EditError::new(
        EditErrorCode::InvalidFile,
        SUBSCRIBERS_FILE,
        format!("{e}; fix the file first (Edit as text)"),
    )
}

/// `text` (none: no file yet) with `channel` added, checked against `page`.
pub fn add_channel(
    text: Option<&str>,
    channel: &NewChannel,
    page: &StatusPage,
) -> Result<String, EditError> {
    let base = match text {
        Some(t) if !t.trim().is_empty() => {
            if let Err(errors) = parse_subscribers(t, page) {
                return Err(yaml_error(&errors[0]));
            }
            t.to_owned()
        }
        // A new file: `channels:` with nothing yet, so the list is written as a block.
        _ => "# Who is told of every incident and maintenance update (wheelhouse status notify).\nchannels:\n".to_owned(),
    };
    fn given(v: &Option<String>) -> Option<&str> {
        v.as_deref().map(str::trim).filter(|s| !s.is_empty())
    }
    // Lists as flow sequences of quoted strings: JSON's form, which YAML reads as it is.
    let list = |v: &[String]| {
        let items: Vec<&str> = v
            .iter()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            .collect();
        (!items.is_empty()).then(|| {
            let quoted: Vec<String> = items
                .iter()
                .map(|i| serde_json::to_string(i).expect("strings serialize"))
                .collect();
            format!("[{}]", quoted.join(", "))
        })
    };
    let (to, components) = (list(&channel.to), list(&channel.components));
    let mut item: Vec<(&str, NewValue<'_>)> = vec![
        ("name", NewValue::Str(channel.name.trim())),
        ("kind", NewValue::Plain(channel.kind.as_str())),
    ];
    for (key, value) in [
        ("url", given(&channel.url)),
        ("url_secret", given(&channel.url_secret)),
        ("signing_secret", given(&channel.signing_secret)),
        ("from", given(&channel.from)),
    ] {
        if let Some(v) = value {
            item.push((key, NewValue::Str(v)));
        }
    }
    // A list goes in as a plain placeholder word, then the word becomes the list: the
    // editor writes scalars.
    const TO: &str = "wheelhouse-list-to-0c5e";
    const COMPONENTS: &str = "wheelhouse-list-components-0c5e";
    if to.is_some() {
        item.push(("to", NewValue::Plain(TO)));
    }
    if let Some(u) = given(&channel.unsubscribe) {
        item.push(("unsubscribe", NewValue::Str(u)));
    }
    if components.is_some() {
        item.push(("components", NewValue::Plain(COMPONENTS)));
    }
    if base.contains(TO) || base.contains(COMPONENTS) {
        return Err(yaml_error("the file holds a word the form uses for itself"));
    }
    let file = wheelhouse_yaml::parse(SUBSCRIBERS_FILE, &base).map_err(yaml_error)?;
    let mut after =
        wheelhouse_yaml::append_item(&file, 0, &[PathSeg::Key("channels".into())], &item)
            .map_err(yaml_error)?;
    for (word, value) in [(TO, &to), (COMPONENTS, &components)] {
        if let Some(v) = value {
            after = after.replacen(word, v, 1);
        }
    }
    parse_subscribers(&after, page).map_err(|errors| refused(&errors[0]))?;
    Ok(after)
}

/// `text` without the channel `name`.
pub fn remove_channel(text: &str, name: &str, page: &StatusPage) -> Result<String, EditError> {
    let channels = parse_subscribers(text, page).map_err(|errors| yaml_error(&errors[0]))?;
    let Some(index) = channels.iter().position(|c| c.name == name) else {
        return Err(EditError::new(
            EditErrorCode::NotFound,
            SUBSCRIBERS_FILE,
            format!("there is no channel `{name}` in subscribers.yaml"),
        ));
    };
    let file = wheelhouse_yaml::parse(SUBSCRIBERS_FILE, text).map_err(yaml_error)?;
    let path = [PathSeg::Key("channels".into()), PathSeg::Index(index)];
    let after = wheelhouse_yaml::remove_item(&file, 0, &path).map_err(yaml_error)?;
    parse_subscribers(&after, page).map_err(|errors| refused(&errors[0]))?;
    Ok(after)
}
