use crate::context::{data_dir, Context};
use wheelhouse_diagnostics::Problem;
use wheelhouse_update::{UpdateSettings, UpdateStatus};

/// Whether a newer signed release of Wheelhouse exists: reads the release feed (from
/// update.json in the app's data folder, or --feed and --public-key), refuses it unless its
/// minisign signature verifies, and compares versions. Installs nothing.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The release feed's URL (its signature is at the same URL + .minisig).
    #[arg(long, requires = "public_key")]
    feed: Option<String>,
    /// The minisign public key the feed must be signed with (base64).
    #[arg(long, requires = "feed")]
    public_key: Option<String>,
}

pub fn run(args: Args, cx: &Context) -> Result<(), Problem> {
    let version = env!("CARGO_PKG_VERSION");
    let found = match (args.feed, args.public_key) {
        (Some(feed), Some(public_key)) => {
            wheelhouse_update::check(&UpdateSettings { feed, public_key }, version)
        }
        // The app's settings, as Settings → About reads them.
        _ => {
            wheelhouse_update::status(&data_dir(), version, true).and_then(UpdateStatus::into_check)
        }
    }?;
    cx.out.show(&found, |found| {
        if !found.newer {
            println!(
                "No newer signed release: the feed's latest is {} (this is {}; feed {}).",
                found.latest, found.current, found.feed
            );
            return;
        }
        let published = found
            .pub_date
            .as_deref()
            .map(|d| format!(", published {d}"))
            .unwrap_or_default();
        println!(
            "Wheelhouse {} is available (this is {}){published}.",
            found.latest, found.current
        );
        if let Some(url) = &found.download {
            println!("Package: {url}");
        }
        if let Some(notes) = &found.notes {
            println!("{notes}");
        }
    });
    Ok(())
}
