//! `status component|move|incident|maintenance`: the arguments become one `StatusEdit`, which
//! `wheelhouse_api::status::edit` plans over the status folder's files (format-preserving,
//! checked with the other files) and writes atomically, never over a file that changed
//! meanwhile; with --dry-run only shown.

use crate::context::{now_timestamp, time_arg, Context};
use crate::output::read_stdin;
use wheelhouse_diagnostics::{ErrorCode, Problem};
use wheelhouse_status::edit::{NewIncident, NewMaintenance};
use wheelhouse_status::{ComponentChange, StatusEdit};

/// Set a component's status in components.yaml (operational, degraded_performance,
/// partial_outage, major_outage, under_maintenance). Format-preserving: only that value
/// changes.
#[derive(Debug, clap::Args)]
pub struct Component {
    id: String,
    status: String,
    /// Show the diff without writing.
    #[arg(long)]
    dry_run: bool,
}

/// Move a component within its group or into another (group and position count from 0, in
/// the page's order); its lines and comments move with it.
#[derive(Debug, clap::Args)]
pub struct Move {
    id: String,
    #[arg(long)]
    group: usize,
    #[arg(long)]
    position: usize,
    /// Show the diff without writing.
    #[arg(long)]
    dry_run: bool,
}

#[derive(Debug, clap::Subcommand)]
pub enum Incident {
    /// Open an incident: writes incidents/YYYY-MM-DD-slug.md (dated in the page's time zone)
    /// with its first update.
    New {
        /// Required unless the template gives one.
        #[arg(long, default_value = "")]
        title: String,
        /// none, minor, major or critical (default: the template's, else none).
        #[arg(long)]
        impact: Option<String>,
        /// investigating (default), identified, monitoring or resolved.
        #[arg(long)]
        status: Option<String>,
        /// An affected component and its status; repeat for more.
        #[arg(long = "component", value_name = "ID=STATUS")]
        components: Vec<String>,
        /// A template in the status folder's templates/ (its slug) that fills what is not given.
        #[arg(long)]
        template: Option<String>,
        /// The first update's Markdown.
        #[arg(long, default_value = "")]
        body: String,
        /// When it started, if before now (RFC 3339).
        #[arg(long)]
        started_at: Option<String>,
        /// The moment of the first update (RFC 3339), instead of now.
        #[arg(long)]
        at: Option<String>,
        /// Show the new file without writing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Add an update to an incident (SLUG: its file name without .md); the incident takes the
    /// update's status.
    Update {
        slug: String,
        /// investigating, identified, monitoring, resolved or postmortem.
        #[arg(long)]
        status: String,
        #[arg(long, default_value = "")]
        body: String,
        /// A component's new status; repeat for more.
        #[arg(long = "component", value_name = "ID=STATUS")]
        components: Vec<String>,
        /// The moment of the update (RFC 3339), instead of now.
        #[arg(long)]
        at: Option<String>,
        /// Show the diff without writing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Resolve an incident: a `resolved` update that brings its components back to operational.
    Resolve(Step),
    /// Write the postmortem (the Markdown after the front matter) from --body, or from stdin;
    /// a resolved incident becomes `postmortem`.
    Postmortem {
        slug: String,
        #[arg(long)]
        body: Option<String>,
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Debug, clap::Subcommand)]
pub enum Maintenance {
    /// Plan a maintenance: writes maintenances/YYYY-MM-DD-slug.md, its window written with the
    /// offsets of --tz (default: the page's zone).
    New {
        #[arg(long)]
        title: String,
        /// The start, local to --tz: 2026-12-03T22:00.
        #[arg(long)]
        from: String,
        /// The end, local to --tz.
        #[arg(long)]
        until: String,
        /// An IANA time zone, e.g. Europe/Berlin.
        #[arg(long)]
        tz: Option<String>,
        /// A component under maintenance (its id); repeat for more.
        #[arg(long = "component", value_name = "ID")]
        components: Vec<String>,
        /// none, minor, major or critical (default none).
        #[arg(long)]
        impact: Option<String>,
        /// The first update's Markdown.
        #[arg(long, default_value = "")]
        body: String,
        /// The Markdown description after the front matter.
        #[arg(long, default_value = "")]
        description: String,
        /// The moment the maintenance is announced (RFC 3339), instead of now.
        #[arg(long)]
        at: Option<String>,
        #[arg(long)]
        dry_run: bool,
    },
    /// Start a scheduled maintenance: in_progress, its components under maintenance.
    Start(Step),
    /// Complete a maintenance: completed, its components operational again.
    Complete(Step),
}

/// A step that closes or moves on an incident or a maintenance (resolve, start, complete).
#[derive(Debug, clap::Args)]
pub struct Step {
    /// The incident's or maintenance's file name without .md.
    slug: String,
    /// The update's Markdown (default: the usual sentence, e.g. "This incident has been
    /// resolved." or "The scheduled maintenance has been completed.").
    #[arg(long)]
    body: Option<String>,
    /// The moment of the update (RFC 3339), instead of now.
    #[arg(long)]
    at: Option<String>,
    /// Show the diff without writing.
    #[arg(long)]
    dry_run: bool,
}

/// The edit a subcommand asks for, the moment it is dated (`--at`), and `--dry-run`.
pub struct Asked {
    edit: StatusEdit,
    at: Option<String>,
    dry_run: bool,
}

/// Add a channel to subscribers.yaml or remove one; the file is checked as `status notify`
/// reads it, and only the channel's lines change.
#[derive(Debug, clap::Subcommand)]
pub enum Channel {
    /// Add a channel at the end of `channels:` (the file is made when there is none).
    Add {
        name: String,
        /// slack, discord, teams, webhook or email.
        #[arg(long)]
        kind: String,
        /// The address, when it may be written in the repository (https://…, smtp://host).
        #[arg(long)]
        url: Option<String>,
        /// Or the name of the secret holding it (`status secret set NAME`).
        #[arg(long)]
        url_secret: Option<String>,
        /// A webhook's HMAC key: the name of its secret.
        #[arg(long)]
        signing_secret: Option<String>,
        /// An email channel's sender.
        #[arg(long)]
        from: Option<String>,
        /// An email channel's recipient; repeat for more.
        #[arg(long = "to")]
        to: Vec<String>,
        /// An email channel's List-Unsubscribe address.
        #[arg(long)]
        unsubscribe: Option<String>,
        /// Only updates touching this component; repeat for more.
        #[arg(long = "component")]
        components: Vec<String>,
        /// Show the diff without writing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Remove a channel.
    Remove {
        name: String,
        /// Show the diff without writing.
        #[arg(long)]
        dry_run: bool,
    },
}

impl Channel {
    pub fn edit(self) -> Result<Asked, Problem> {
        Ok(match self {
            Channel::Add {
                name,
                kind,
                url,
                url_secret,
                signing_secret,
                from,
                to,
                unsubscribe,
                components,
                dry_run,
            } => {
                let kind = wheelhouse_status::notify::ChannelKind::parse(kind.trim()).ok_or_else(
                    || {
                        Problem::new(
                            ErrorCode::InvalidInput,
                            format!("--kind {kind}: use slack, discord, teams, webhook or email"),
                        )
                    },
                )?;
                let channel = wheelhouse_status::edit::NewChannel {
                    name,
                    kind,
                    url,
                    url_secret,
                    signing_secret,
                    from,
                    to,
                    unsubscribe,
                    components,
                };
                Asked::new(StatusEdit::AddChannel(channel), None, dry_run)
            }
            Channel::Remove { name, dry_run } => {
                Asked::new(StatusEdit::RemoveChannel { name }, None, dry_run)
            }
        })
    }
}

impl Component {
    pub fn edit(self) -> Result<Asked, Problem> {
        let edit = StatusEdit::SetComponentStatus {
            id: self.id,
            status: parse(&self.status)?,
        };
        Ok(Asked::new(edit, None, self.dry_run))
    }
}

impl Move {
    pub fn edit(self) -> Asked {
        let edit = StatusEdit::MoveComponent {
            id: self.id,
            group: self.group,
            position: self.position,
        };
        Asked::new(edit, None, self.dry_run)
    }
}

impl Incident {
    pub fn edit(self) -> Result<Asked, Problem> {
        Ok(match self {
            Incident::New {
                title,
                impact,
                status,
                components,
                template,
                body,
                started_at,
                at,
                dry_run,
            } => {
                let incident = NewIncident {
                    title,
                    status: status.as_deref().map(parse).transpose()?,
                    impact: impact.as_deref().map(parse).transpose()?,
                    components: component_changes(&components)?,
                    body,
                    template,
                    started_at,
                };
                Asked::new(StatusEdit::NewIncident(incident), at, dry_run)
            }
            Incident::Update {
                slug,
                status,
                body,
                components,
                at,
                dry_run,
            } => {
                let edit = StatusEdit::AddIncidentUpdate {
                    slug,
                    at: None,
                    status: parse(&status)?,
                    body,
                    components: component_changes(&components)?,
                };
                Asked::new(edit, at, dry_run)
            }
            Incident::Resolve(Step {
                slug,
                body,
                at,
                dry_run,
            }) => Asked::new(
                StatusEdit::ResolveIncident {
                    slug,
                    at: None,
                    body,
                },
                at,
                dry_run,
            ),
            Incident::Postmortem {
                slug,
                body,
                dry_run,
            } => {
                let markdown = match body {
                    Some(b) => b,
                    None => read_stdin()?,
                };
                let edit = StatusEdit::SetPostmortem { slug, markdown };
                Asked::new(edit, None, dry_run)
            }
        })
    }
}

impl Maintenance {
    pub fn edit(self) -> Result<Asked, Problem> {
        Ok(match self {
            Maintenance::New {
                title,
                from,
                until,
                tz,
                components,
                impact,
                body,
                description,
                at,
                dry_run,
            } => {
                let maintenance = NewMaintenance {
                    title,
                    impact: impact.as_deref().map(parse).transpose()?,
                    components,
                    scheduled_for: from,
                    scheduled_until: until,
                    time_zone: tz,
                    body,
                    description,
                };
                Asked::new(StatusEdit::NewMaintenance(maintenance), at, dry_run)
            }
            Maintenance::Start(Step {
                slug,
                body,
                at,
                dry_run,
            }) => Asked::new(
                StatusEdit::StartMaintenance {
                    slug,
                    at: None,
                    body,
                },
                at,
                dry_run,
            ),
            Maintenance::Complete(Step {
                slug,
                body,
                at,
                dry_run,
            }) => Asked::new(
                StatusEdit::CompleteMaintenance {
                    slug,
                    at: None,
                    body,
                },
                at,
                dry_run,
            ),
        })
    }
}

impl Asked {
    fn new(edit: StatusEdit, at: Option<String>, dry_run: bool) -> Self {
        Asked { edit, at, dry_run }
    }
}

/// A status, impact or component status word.
fn parse<T: std::str::FromStr<Err = wheelhouse_status::EditError>>(
    word: &str,
) -> Result<T, Problem> {
    Ok(word.parse()?)
}

/// `ID=STATUS`, repeated → component changes.
fn component_changes(list: &[String]) -> Result<Vec<ComponentChange>, Problem> {
    list.iter()
        .map(|text| {
            let (id, status) = text.split_once('=').ok_or_else(|| {
                Problem::new(
                    ErrorCode::InvalidInput,
                    format!("--component \"{text}\" is not ID=STATUS, e.g. api=partial_outage."),
                )
            })?;
            Ok(ComponentChange {
                id: id.trim().to_string(),
                status: parse(status)?,
            })
        })
        .collect()
}

pub fn run(asked: Asked, cx: &Context) -> Result<(), Problem> {
    let Asked { edit, at, dry_run } = asked;
    let repo = cx.open()?;
    let now = time_arg("--at", at.as_deref())?.unwrap_or_else(now_timestamp);
    let changes = wheelhouse_api::status::edit(repo.root(), &edit, now, dry_run)?;
    let document = serde_json::json!({
        "changes": changes,
        "written": !dry_run && !changes.is_empty(),
    });
    cx.out.show(&document, |_| {
        if changes.is_empty() {
            println!("Nothing to change.");
            return;
        }
        for c in &changes {
            print!("{}", c.diff);
        }
        if dry_run {
            println!("(dry run: nothing was written)");
            return;
        }
        for c in &changes {
            let verb = if c.created { "Created" } else { "Updated" };
            println!("{verb} {}.", c.path);
        }
    });
    Ok(())
}
