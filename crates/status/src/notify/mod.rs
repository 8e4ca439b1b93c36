//! Telling subscribers: who (`subscribers.yaml`), what (the updates one version of the page has
//! and an earlier one has not) and in which shape each kind of channel takes it. Pure; the
//! sending, its retries and its record are `wheelhouse_api::notify`'s.

mod email;
mod events;
mod payload;
mod subscribers;

pub use email::{email, Email};
pub use events::{events, headline, Event, EventComponent, EventKind};
pub use payload::{message, Message};
pub use subscribers::{
    check_smtp_url, check_url, parse_subscribers, Address, Channel, ChannelKind, Mailing,
    SUBSCRIBERS_FILE,
};

/// Whether `channel` wants `event`: every event, or those touching one of its components.
pub fn wants(channel: &Channel, event: &Event) -> bool {
    channel.components.is_empty()
        || event
            .components
            .iter()
            .any(|c| channel.components.contains(&c.id))
}
