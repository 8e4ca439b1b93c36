//! What an editor shows of a status page, and its preview: the page's views (components with the
//! status shown now, incidents newest first, maintenances, templates, the problems of the files),
//! the last good export kept while the files have errors, and the export's pages as a preview
//! serves them (a forced colour scheme, their content type, the policy that forbids scripts and
//! requests). Pure except [`refresh`], which reads the status folder.

use crate::model::StatusPage;
use jiff::Timestamp;
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::Path;
use ts_rs::TS;

/// The last build of the open repository's status page.
#[derive(Debug, Default)]
pub struct StatusCache {
    root: Option<std::path::PathBuf>,
    /// The export of the last version of the files that loaded without errors.
    export: Option<BTreeMap<String, Vec<u8>>>,
    /// Bumped on every build that changed the export, so the frame knows to reload.
    pub version: u64,
    /// The colour scheme the preview was last asked for: links followed inside the frame keep it.
    theme: Option<String>,
}

impl StatusCache {
    /// Whether the files have loaded once (there is something to preview).
    pub fn has_export(&self) -> bool {
        self.export.is_some()
    }

    /// The page at `path` of the last good export, as the preview shows it: with `theme`
    /// (`dark`, `light`, `auto`) when given — and remembered for the pages reached by links
    /// inside the preview, which carry no theme — else with the last one asked for.
    pub fn preview(&mut self, path: &str, theme: Option<&str>) -> Option<Vec<u8>> {
        if let Some(t) = theme {
            self.theme = Some(t.to_owned());
        }
        preview_bytes(self.export.as_ref()?, path, self.theme.as_deref())
    }
}

#[derive(Debug, Clone, Serialize, TS)]
#[ts(rename = "StatusProblem")]
pub struct StatusProblemView {
    /// Relative to the repository, e.g. `status/incidents/2026-10-16-api-errors.md`.
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub message: String,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct ComponentView {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    /// The status set in `components.yaml`.
    pub status: String,
    /// What the page shows now (incidents and maintenance can make it worse).
    pub shown: String,
    pub shown_label: String,
    /// The environment and workloads the component stands for.
    pub env: Option<String>,
    pub workloads: Vec<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct GroupView {
    pub name: Option<String>,
    pub components: Vec<ComponentView>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct ComponentChangeView {
    pub id: String,
    pub status: String,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct UpdateView {
    /// RFC 3339 in the page's time zone.
    pub at: String,
    pub status: String,
    pub body: String,
    pub components: Vec<ComponentChangeView>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct IncidentView {
    pub slug: String,
    pub file: String,
    pub title: String,
    pub status: String,
    pub impact: String,
    pub started_at: String,
    pub resolved_at: Option<String>,
    pub open: bool,
    pub components: Vec<ComponentChangeView>,
    /// Newest first.
    pub updates: Vec<UpdateView>,
    pub postmortem: Option<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct MaintenanceView {
    pub slug: String,
    pub file: String,
    pub title: String,
    /// The stage now (computed from the window and the updates).
    pub status: String,
    pub impact: String,
    pub scheduled_for: String,
    pub scheduled_until: String,
    pub time_zone: String,
    pub components: Vec<ComponentChangeView>,
    pub description: Option<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct TemplateView {
    pub slug: String,
    pub title: String,
    pub status: Option<String>,
    pub impact: Option<String>,
    pub components: Vec<ComponentChangeView>,
    /// Markdown: the first update's body.
    pub body: String,
}

/// The status page as the editor shows it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct StatusView {
    /// The folder under the repository (`status` unless `.wheelhouse/config.yaml` says otherwise).
    pub folder: String,
    /// False when the repository has no status page yet.
    pub exists: bool,
    pub page_name: String,
    pub time_zone: String,
    /// `none`, `minor`, `major`, `critical`, `maintenance`.
    pub indicator: String,
    pub indicator_label: String,
    pub groups: Vec<GroupView>,
    /// Newest first.
    pub incidents: Vec<IncidentView>,
    /// Soonest first.
    pub maintenances: Vec<MaintenanceView>,
    pub templates: Vec<TemplateView>,
    /// Problems of the files as they are now; when there are any, everything else (and the
    /// preview) is the last version that loaded.
    pub problems: Vec<StatusProblemView>,
    /// Whether a preview exists (the files loaded once at least).
    pub previewable: bool,
    /// Changes whenever the preview's content does.
    #[ts(type = "number")]
    pub version: u64,
}

fn at(t: Timestamp, page: &StatusPage) -> String {
    t.to_zoned(page.page.time_zone.clone())
        .strftime("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
}

fn changes(list: &[crate::ComponentChange]) -> Vec<ComponentChangeView> {
    list.iter()
        .map(|c| ComponentChangeView {
            id: c.id.clone(),
            status: c.status.as_str().to_owned(),
        })
        .collect()
}

/// The editor's view of a loaded page at `now`.
pub fn view_of(model: &StatusPage, folder: &str, now: Timestamp) -> StatusView {
    let current = crate::current(model, now);
    let groups = model
        .groups
        .iter()
        .map(|g| GroupView {
            name: g.name.clone(),
            components: g
                .components
                .iter()
                .map(|c| {
                    let shown = current.components.get(&c.id).copied().unwrap_or(c.status);
                    ComponentView {
                        id: c.id.clone(),
                        name: c.name.clone(),
                        description: c.description.clone(),
                        status: c.status.as_str().to_owned(),
                        shown: shown.as_str().to_owned(),
                        shown_label: shown.label().to_owned(),
                        env: c.links.env.clone(),
                        workloads: c.links.workloads.clone(),
                    }
                })
                .collect(),
        })
        .collect();
    let incidents = model
        .incidents
        .iter()
        .rev()
        .map(|i| IncidentView {
            slug: i.slug.clone(),
            file: format!("{folder}/{}/{}.md", crate::INCIDENTS_DIR, i.slug),
            title: i.title.clone(),
            status: i.status.as_str().to_owned(),
            impact: i.impact.as_str().to_owned(),
            started_at: at(i.started_at, model),
            resolved_at: i.resolved_at.map(|t| at(t, model)),
            open: crate::compute::is_open(i, now),
            components: changes(&i.components),
            updates: i
                .updates
                .iter()
                .rev()
                .map(|u| UpdateView {
                    at: at(u.at, model),
                    status: u.status.as_str().to_owned(),
                    body: u.body.clone(),
                    components: changes(&u.components),
                })
                .collect(),
            postmortem: i.postmortem.clone(),
        })
        .collect();
    let maintenances = model
        .maintenances
        .iter()
        .map(|m| MaintenanceView {
            slug: m.slug.clone(),
            file: format!("{folder}/{}/{}.md", crate::MAINTENANCES_DIR, m.slug),
            title: m.title.clone(),
            status: crate::compute::maintenance_status(m, now)
                .as_str()
                .to_owned(),
            impact: m.impact.as_str().to_owned(),
            scheduled_for: at(m.scheduled_for, model),
            scheduled_until: at(m.scheduled_until, model),
            time_zone: m
                .time_zone
                .as_ref()
                .and_then(|z| z.iana_name())
                .unwrap_or(model.page.time_zone_name())
                .to_owned(),
            components: changes(&m.components),
            description: m.description.clone(),
        })
        .collect();
    StatusView {
        folder: folder.to_owned(),
        exists: true,
        page_name: model.page.name.clone(),
        time_zone: model.page.time_zone_name().to_owned(),
        indicator: current.indicator.as_str().to_owned(),
        indicator_label: current.indicator.description().to_owned(),
        groups,
        incidents,
        maintenances,
        templates: model
            .templates
            .iter()
            .map(|t| TemplateView {
                slug: t.slug.clone(),
                title: t.title.clone(),
                status: t.status.map(|s| s.as_str().to_owned()),
                impact: t.impact.map(|i| i.as_str().to_owned()),
                components: changes(&t.components),
                body: t.body.clone(),
            })
            .collect(),
        problems: Vec::new(),
        previewable: true,
        version: 0,
    }
}

fn empty_view(folder: &str) -> StatusView {
    StatusView {
        folder: folder.to_owned(),
        exists: false,
        page_name: String::new(),
        time_zone: "UTC".into(),
        indicator: "none".into(),
        indicator_label: String::new(),
        groups: Vec::new(),
        incidents: Vec::new(),
        maintenances: Vec::new(),
        templates: Vec::new(),
        problems: Vec::new(),
        previewable: false,
        version: 0,
    }
}

/// The last view that loaded, kept beside the cache so errors can show it.
#[derive(Debug, Default)]
pub struct LastGood {
    view: Option<StatusView>,
}

/// Reads the status folder of `root`, rebuilds the export when the files load, and returns the
/// view (the last good one with the problems when they do not). `history`, the monitors'
/// history as recorded, feeds the uptime bars as it does a publish's.
pub fn refresh(
    root: &Path,
    cache: &mut StatusCache,
    last: &mut LastGood,
    now: Timestamp,
    history: Option<&crate::monitor::History>,
) -> StatusView {
    let (folder, dir) = match crate::fs::status_dir(root) {
        Ok(found) => found,
        Err(e) => {
            cache.export = None;
            last.view = None;
            let (line, column) = match &e {
                crate::fs::FsError::Outside { line, column, .. } => (*line, *column),
                _ => (0, 0),
            };
            let mut view = empty_view(&crate::fs::configured_folder(root));
            view.problems.push(StatusProblemView {
                file: ".wheelhouse/config.yaml".into(),
                line,
                column,
                message: e.to_string(),
            });
            return view;
        }
    };
    if cache.root.as_deref() != Some(root) {
        *cache = StatusCache {
            root: Some(root.to_path_buf()),
            export: None,
            version: cache.version + 1,
            theme: cache.theme.take(),
        };
        last.view = None;
    }
    if !dir.is_dir() {
        cache.export = None;
        last.view = None;
        return empty_view(&folder);
    }
    let problems = |errors: Vec<crate::StatusError>| -> Vec<StatusProblemView> {
        errors
            .into_iter()
            .map(|e| StatusProblemView {
                file: format!("{folder}/{}", e.file),
                line: e.line,
                column: e.column,
                message: e.message,
            })
            .collect()
    };
    let loaded = crate::fs::read_folder(&dir)
        .map_err(|e| {
            vec![StatusProblemView {
                file: folder.clone(),
                line: 0,
                column: 0,
                message: e.to_string(),
            }]
        })
        .and_then(|files| {
            let mut model = crate::load(&files).map_err(problems)?;
            if let Some(history) = history {
                crate::monitor::apply_from_files(&mut model, &files, history, now);
            }
            Ok(model)
        });
    match loaded {
        Ok(model) => {
            let export = crate::build(&model, now);
            if cache.export.as_ref() != Some(&export) {
                cache.export = Some(export);
                cache.version += 1;
            }
            let mut view = view_of(&model, &folder, now);
            view.version = cache.version;
            last.view = Some(view.clone());
            view
        }
        Err(found) => {
            let mut view = last.view.clone().unwrap_or_else(|| empty_view(&folder));
            view.exists = true;
            view.problems = found;
            view.previewable = cache.export.is_some();
            view.version = cache.version;
            view
        }
    }
}

pub fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next() {
        Some("html") => "text/html; charset=utf-8",
        Some("json") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("rss") => "application/rss+xml",
        Some("atom") => "application/atom+xml",
        Some("ics") => "text/calendar; charset=utf-8",
        Some("css") => "text/css",
        _ => "application/octet-stream",
    }
}

/// The preview's own policy: the export's inline styles and data images, nothing else — no
/// script, no request to anywhere.
pub const PREVIEW_CSP: &str =
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

/// The export's page at `path` as the preview shows it: `theme` `dark` or `light` forces that
/// colour scheme (the export itself follows `prefers-color-scheme`).
pub fn preview_bytes(
    export: &BTreeMap<String, Vec<u8>>,
    path: &str,
    theme: Option<&str>,
) -> Option<Vec<u8>> {
    let path = path.trim_start_matches('/');
    let path = if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_owned()
    };
    let bytes = export.get(&path)?;
    let forced = match theme {
        Some("dark") => Some("@media all{"),
        Some("light") => Some("@media not all{"),
        _ => None,
    };
    match forced {
        Some(replacement) if path.ends_with(".html") => {
            let text = String::from_utf8_lossy(bytes);
            Some(
                text.replace("@media(prefers-color-scheme:dark){", replacement)
                    .into_bytes(),
            )
        }
        _ => Some(bytes.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_page_is_viewed_with_shown_statuses_and_previewed_by_theme() {
        let dir = tempfile::tempdir().unwrap();
        let ws = wheelhouse_demo::create(&dir.path().join("demo")).unwrap();
        let root = std::path::PathBuf::from(ws.repo);
        let (mut cache, mut last) = (StatusCache::default(), LastGood::default());
        let now: Timestamp = "2026-11-26T10:00:00Z".parse().unwrap();
        let view = refresh(&root, &mut cache, &mut last, now, None);
        assert!(view.exists && view.previewable && view.problems.is_empty());
        assert_eq!(view.folder, "status");
        let search = view
            .groups
            .iter()
            .flat_map(|g| &g.components)
            .find(|c| c.id == "search")
            .unwrap();
        assert_eq!(search.env.as_deref(), Some("prod"));
        assert_eq!(search.workloads, vec!["search"]);
        assert!(view.incidents.len() >= 3);
        let payments = view
            .templates
            .iter()
            .find(|t| t.slug == "card-payments-failing")
            .unwrap();
        assert_eq!(payments.impact.as_deref(), Some("major"));
        assert_eq!(payments.components[0].status, "partial_outage");
        let export = cache.export.as_ref().unwrap();
        let index = String::from_utf8(preview_bytes(export, "/", None).unwrap()).unwrap();
        assert!(index.contains("@media(prefers-color-scheme:dark){"));
        let dark =
            String::from_utf8(preview_bytes(export, "/index.html", Some("dark")).unwrap()).unwrap();
        assert!(dark.contains("@media all{") && !dark.contains("prefers-color-scheme:dark"));
        assert!(preview_bytes(export, "/nope.html", None).is_none());
        let version = view.version;

        // A broken file: the problems are located and the last good view and preview stay.
        let components = root.join("status/components.yaml");
        let good = std::fs::read_to_string(&components).unwrap();
        std::fs::write(
            &components,
            good.replace("status: operational", "status: fine"),
        )
        .unwrap();
        let broken = refresh(&root, &mut cache, &mut last, now, None);
        assert!(!broken.problems.is_empty());
        assert_eq!(broken.problems[0].file, "status/components.yaml");
        assert!(broken.problems[0].line > 0);
        assert_eq!(broken.groups.len(), view.groups.len());
        assert!(broken.previewable);
        assert_eq!(broken.version, version);

        // Fixed with a visible change: a new version of the preview.
        std::fs::write(
            &components,
            good.replacen("status: operational", "status: major_outage", 1),
        )
        .unwrap();
        let fixed = refresh(&root, &mut cache, &mut last, now, None);
        assert!(fixed.problems.is_empty());
        assert!(fixed.version > version);
        assert_eq!(fixed.indicator, "critical");
    }

    #[test]
    fn a_repository_without_a_status_page_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let (mut cache, mut last) = (StatusCache::default(), LastGood::default());
        let view = refresh(dir.path(), &mut cache, &mut last, Timestamp::now(), None);
        assert!(!view.exists && !view.previewable);
    }
}
