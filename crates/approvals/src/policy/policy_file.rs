//! `.wheelhouse/policy.yaml`: rules, freeze windows and settings.
//!
//! ```yaml
//! rules:
//!   - name: production
//!     environments: [prod]           # by effect: whatever changes prod's rendered state
//!     workloads: ["pay*"]            # optional, narrows environments to these workloads
//!     fields: [env, resources]       # optional, narrows environments to these fields
//!     paths: ["overlays/prod/**"]    # by path; a rule needs paths, environments or both
//!     required_approvals: 2          # default 1
//!     approvers: ["@ops-leads"]      # default: anyone but the author
//!     allow_author: false            # default false
//!   - name: dev image bumps
//!     paths: ["overlays/dev/**"]
//!     auto_approve:
//!       only_paths: ["overlays/dev/**"]   # optional, narrows the rule's paths
//!       only_fields: [image_tag, replicas]  # or env, resources, chart_version, helm_value
//!       no_effect: true                   # optional: a change no environment renders differently
//!       max_replica_change: 2             # optional
//!       authors: ["@ops-leads"]           # optional
//!       checks: [validate]                # optional
//! freeze:
//!   - {environments: [prod], paths: ["overlays/prod/**"], from: "2026-12-20T00:00:00Z", until: "2027-01-04T00:00:00Z", reason: holidays}
//! settings: {dismiss_stale_approvals: true, require_signatures: true, merge: fast-forward}
//!   # defaults: true, false, merge-commit
//! ```

use super::change::FieldKind;
use super::error::{position, PolicyError, PolicyErrorCode};
use super::glob::PathGlob;
use super::when::parse_rfc3339;
use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;
use std::collections::HashSet;
use ts_rs::TS;

/// The whole policy file. An empty file is a policy with no rules.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
pub struct Policy {
    pub rules: Vec<Rule>,
    pub freeze: Vec<FreezeWindow>,
    pub settings: Settings,
}

/// Who must approve changes to some paths.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Rule {
    pub name: String,
    #[ts(as = "Vec<String>")]
    pub paths: Vec<PathGlob>,
    /// The rule applies when the change alters what one of these environments renders.
    pub environments: Vec<String>,
    /// With `environments`: only when one of these workloads (globs over workload ids) changes.
    #[ts(as = "Vec<String>")]
    pub workloads: Vec<PathGlob>,
    /// With `environments`: only when one of these kinds of field changes.
    pub fields: Vec<FieldKind>,
    /// Where each of `environments` is written (line, column), to locate an unknown one.
    #[serde(skip)]
    #[ts(skip)]
    pub environments_at: Vec<(u32, u32)>,
    pub required_approvals: u32,
    /// People ids, emails, `@team`s. Empty: anyone but the author (or anyone, with
    /// `allow_author`). Anyone still means a verified key when signatures are required.
    pub approvers: Vec<String>,
    pub allow_author: bool,
    pub auto_approve: Option<AutoApprove>,
}

/// Criteria under which a rule is satisfied without people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct AutoApprove {
    /// Narrows the rule's paths; every changed path must match both.
    #[ts(as = "Option<Vec<String>>")]
    pub only_paths: Option<Vec<PathGlob>>,
    /// Never contains `other`. Empty only with `no_effect`.
    pub only_fields: Vec<FieldKind>,
    /// A change that no environment renders differently (comments, formatting) is approved.
    pub no_effect: bool,
    pub max_replica_change: Option<u32>,
    /// People ids, emails, `@team`s allowed to author auto-approved changes.
    pub authors: Option<Vec<String>>,
    pub checks: Vec<Check>,
}

/// A check that must have passed for auto-approval.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Check {
    /// The desired state of every environment validates.
    Validate,
}

/// While `from <= now < until`, changes touching `paths` are blocked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct FreezeWindow {
    #[ts(as = "Vec<String>")]
    pub paths: Vec<PathGlob>,
    /// Changes altering what these environments render are blocked too.
    pub environments: Vec<String>,
    #[serde(skip)]
    #[ts(skip)]
    pub environments_at: Vec<(u32, u32)>,
    /// Unix seconds.
    #[ts(type = "number")]
    pub from: i64,
    /// Unix seconds, exclusive.
    #[ts(type = "number")]
    pub until: i64,
    pub reason: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
pub struct Settings {
    /// An approval of another head with other content no longer counts. Default true.
    pub dismiss_stale_approvals: bool,
    /// Only approvals signed by the approver's own key in `allowed_signers` count. Default false.
    pub require_signatures: bool,
    /// How an approved change lands: `merge-commit` (default, with `Reviewed-by:` trailers) or
    /// `fast-forward` (refused when the target moved on).
    pub merge: wheelhouse_repo::MergeStrategy,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            dismiss_stale_approvals: true,
            require_signatures: false,
            merge: wheelhouse_repo::MergeStrategy::MergeCommit,
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
struct RawPolicy {
    rules: Vec<RawRule>,
    freeze: Vec<RawFreeze>,
    settings: RawSettings,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    name: Spanned<String>,
    #[serde(default)]
    paths: Vec<Spanned<String>>,
    #[serde(default)]
    environments: Vec<Spanned<String>>,
    #[serde(default)]
    workloads: Vec<Spanned<String>>,
    #[serde(default)]
    fields: Vec<Spanned<FieldKind>>,
    #[serde(default)]
    required_approvals: Option<u32>,
    #[serde(default)]
    approvers: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    allow_author: bool,
    #[serde(default)]
    auto_approve: Option<Spanned<RawAutoApprove>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAutoApprove {
    #[serde(default)]
    only_paths: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    only_fields: Vec<Spanned<FieldKind>>,
    #[serde(default)]
    no_effect: bool,
    #[serde(default)]
    max_replica_change: Option<u32>,
    #[serde(default)]
    authors: Option<Vec<Spanned<String>>>,
    #[serde(default)]
    checks: Vec<Check>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFreeze {
    #[serde(default)]
    paths: Vec<Spanned<String>>,
    #[serde(default)]
    environments: Vec<Spanned<String>>,
    from: Spanned<String>,
    until: Spanned<String>,
    reason: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, default)]
struct RawSettings {
    dismiss_stale_approvals: bool,
    require_signatures: bool,
    merge: wheelhouse_repo::MergeStrategy,
}

impl Default for RawSettings {
    fn default() -> Self {
        let d = Settings::default();
        RawSettings {
            dismiss_stale_approvals: d.dismiss_stale_approvals,
            require_signatures: d.require_signatures,
            merge: d.merge,
        }
    }
}

impl Policy {
    /// Parses `policy.yaml`. `file` labels errors (e.g. `.wheelhouse/policy.yaml`); every error
    /// names the line and column of the offending value.
    pub fn parse(file: &str, text: &str) -> Result<Policy, PolicyError> {
        let raw: RawPolicy =
            serde_saphyr::from_str(text).map_err(|e| PolicyError::from_yaml(file, &e))?;
        let invalid = |at, message: String| {
            PolicyError::new(PolicyErrorCode::InvalidValue, file, at, message)
        };

        let mut names = HashSet::new();
        let mut rules = Vec::with_capacity(raw.rules.len());
        for rule in raw.rules {
            let name = rule.name.value.trim().to_string();
            let at = position(&rule.name);
            if name.is_empty() {
                return Err(invalid(at, "a rule needs a name".to_string()));
            }
            if !names.insert(name.clone()) {
                return Err(invalid(
                    at,
                    format!("two rules are named `{name}`; names must be unique"),
                ));
            }
            if rule.paths.is_empty() && rule.environments.is_empty() {
                return Err(invalid(
                    at,
                    format!("rule `{name}` has neither paths nor environments"),
                ));
            }
            if rule.environments.is_empty()
                && !(rule.workloads.is_empty() && rule.fields.is_empty())
            {
                return Err(invalid(
                    at,
                    format!("rule `{name}` names workloads or fields without environments; they narrow environments"),
                ));
            }
            let paths = globs(file, &rule.paths)?;
            let (environments, environments_at) = env_names(file, &rule.environments)?;
            let workloads = globs(file, &rule.workloads)?;
            let mut fields = Vec::new();
            for f in &rule.fields {
                if !fields.contains(&f.value) {
                    fields.push(f.value);
                }
            }
            let approvers = match rule.approvers {
                None => Vec::new(),
                Some(list) if list.is_empty() => {
                    return Err(invalid(
                        at,
                        format!(
                            "rule `{name}` lists no approvers; name some, or leave `approvers` out to accept anyone but the author"
                        ),
                    ))
                }
                Some(list) => approver_names(file, &list)?,
            };
            let auto_approve = match rule.auto_approve {
                None => None,
                Some(auto) => Some(auto_approve(file, &name, auto)?),
            };
            rules.push(Rule {
                name,
                paths,
                environments,
                workloads,
                fields,
                environments_at,
                required_approvals: rule.required_approvals.unwrap_or(1),
                approvers,
                allow_author: rule.allow_author,
                auto_approve,
            });
        }

        let mut freeze = Vec::with_capacity(raw.freeze.len());
        for window in raw.freeze {
            if window.paths.is_empty() && window.environments.is_empty() {
                return Err(invalid(
                    position(&window.from),
                    "a freeze window needs at least one path or environment".to_string(),
                ));
            }
            let (environments, environments_at) = env_names(file, &window.environments)?;
            let time = |t: &Spanned<String>| {
                parse_rfc3339(t.value.trim()).map_err(|message| {
                    PolicyError::new(PolicyErrorCode::InvalidTime, file, position(t), message)
                })
            };
            let from = time(&window.from)?;
            let until = time(&window.until)?;
            if until <= from {
                return Err(PolicyError::new(
                    PolicyErrorCode::InvalidTime,
                    file,
                    position(&window.until),
                    format!(
                        "the freeze window ends ({}) before it starts ({})",
                        window.until.value, window.from.value
                    ),
                ));
            }
            freeze.push(FreezeWindow {
                paths: globs(file, &window.paths)?,
                environments,
                environments_at,
                from,
                until,
                reason: window.reason.trim().to_string(),
            });
        }

        Ok(Policy {
            rules,
            freeze,
            settings: Settings {
                dismiss_stale_approvals: raw.settings.dismiss_stale_approvals,
                require_signatures: raw.settings.require_signatures,
                merge: raw.settings.merge,
            },
        })
    }
}

fn auto_approve(
    file: &str,
    rule: &str,
    raw: Spanned<RawAutoApprove>,
) -> Result<AutoApprove, PolicyError> {
    let at = position(&raw);
    let raw = raw.value;
    let invalid =
        |at, message: String| PolicyError::new(PolicyErrorCode::InvalidValue, file, at, message);
    if raw.only_fields.is_empty() && !raw.no_effect {
        return Err(invalid(
            at,
            format!("auto_approve of rule `{rule}` needs only_fields (image_tag, replicas, chart_version, env, resources, helm_value) or no_effect: true"),
        ));
    }
    let mut only_fields = Vec::new();
    for field in &raw.only_fields {
        if field.value == FieldKind::Other {
            return Err(invalid(
                position(field),
                "`other` cannot be auto-approved; list image_tag, replicas, chart_version, env, resources or helm_value"
                    .to_string(),
            ));
        }
        if !only_fields.contains(&field.value) {
            only_fields.push(field.value);
        }
    }
    let only_paths = match raw.only_paths {
        None => None,
        Some(list) if list.is_empty() => {
            return Err(invalid(
                at,
                format!("only_paths of rule `{rule}` is empty, so nothing could be auto-approved"),
            ))
        }
        Some(list) => Some(globs(file, &list)?),
    };
    let authors = match raw.authors {
        None => None,
        Some(list) if list.is_empty() => {
            return Err(invalid(
                at,
                format!("authors of rule `{rule}` is empty, so nothing could be auto-approved"),
            ))
        }
        Some(list) => Some(approver_names(file, &list)?),
    };
    let mut checks = raw.checks;
    checks.dedup();
    Ok(AutoApprove {
        only_paths,
        only_fields,
        no_effect: raw.no_effect,
        max_replica_change: raw.max_replica_change,
        authors,
        checks,
    })
}

fn globs(file: &str, patterns: &[Spanned<String>]) -> Result<Vec<PathGlob>, PolicyError> {
    patterns
        .iter()
        .map(|p| {
            PathGlob::new(p.value.trim()).map_err(|message| {
                PolicyError::new(PolicyErrorCode::InvalidGlob, file, position(p), message)
            })
        })
        .collect()
}

type EnvNames = (Vec<String>, Vec<(u32, u32)>);

fn env_names(file: &str, names: &[Spanned<String>]) -> Result<EnvNames, PolicyError> {
    let mut out = (Vec::new(), Vec::new());
    for n in names {
        let name = n.value.trim();
        if name.is_empty() || name.chars().any(char::is_whitespace) {
            return Err(PolicyError::new(
                PolicyErrorCode::InvalidValue,
                file,
                position(n),
                format!("`{}` is not an environment name", n.value),
            ));
        }
        if !out.0.iter().any(|x: &String| x == name) {
            let at = position(n);
            out.0.push(name.to_owned());
            out.1.push((at.0, at.1));
        }
    }
    Ok(out)
}

impl Policy {
    /// The first environment a rule or freeze names that is not in `known` (the environments of
    /// the target branch and of the change), as a located error: a rule that can never apply
    /// protects nothing, so the change is blocked until the policy is fixed.
    pub fn check_environments(&self, file: &str, known: &[String]) -> Result<(), PolicyError> {
        let named = self
            .rules
            .iter()
            .flat_map(|r| r.environments.iter().zip(&r.environments_at))
            .chain(
                self.freeze
                    .iter()
                    .flat_map(|w| w.environments.iter().zip(&w.environments_at)),
            );
        for (name, &(line, column)) in named {
            if !known.iter().any(|k| k == name) {
                let list = if known.is_empty() {
                    "none".to_owned()
                } else {
                    known.join(", ")
                };
                return Err(PolicyError::new(
                    PolicyErrorCode::InvalidValue,
                    file,
                    (line, column),
                    format!("no environment is named `{name}` (the repository has {list})"),
                ));
            }
        }
        Ok(())
    }
}

fn approver_names(file: &str, names: &[Spanned<String>]) -> Result<Vec<String>, PolicyError> {
    names
        .iter()
        .map(|n| {
            let name = n.value.trim();
            if name.is_empty() || name == "@" || name.chars().any(char::is_whitespace) {
                Err(PolicyError::new(
                    PolicyErrorCode::InvalidValue,
                    file,
                    position(n),
                    format!("`{}` is not a person id, email or @team", n.value),
                ))
            } else {
                Ok(name.to_string())
            }
        })
        .collect()
}
