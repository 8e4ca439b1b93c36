//! `.wheelhouse/people.yaml`: who is who, and which teams they form.
//!
//! ```yaml
//! people:
//!   maya: {name: Maya Chen, email: maya.chen@acme.example}
//! teams:
//!   ops-leads: [maya]
//! ```

use super::error::{position, PolicyError, PolicyErrorCode};
use serde::{Deserialize, Serialize};
use serde_saphyr::Spanned;
use std::collections::{BTreeMap, HashMap};
use ts_rs::TS;

/// The people and teams policy rules and CODEOWNERS refer to.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
pub struct People {
    /// By id (the key in `people.yaml`).
    pub people: BTreeMap<String, Person>,
    /// Team name → member ids, in file order.
    pub teams: BTreeMap<String, Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Person {
    pub name: String,
    pub email: String,
}

/// A person a verdict names: someone from `people.yaml` (with an id), or a bare email address
/// written in a rule or in CODEOWNERS.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct PersonRef {
    pub id: Option<String>,
    pub name: Option<String>,
    pub email: String,
}

impl PersonRef {
    /// How a sentence names this person: their name, else their email.
    pub fn display(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.email)
    }
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
struct RawPeople {
    people: BTreeMap<String, Spanned<RawPerson>>,
    teams: BTreeMap<String, Spanned<Vec<Spanned<String>>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPerson {
    name: Option<String>,
    email: Spanned<String>,
}

impl People {
    /// Parses `people.yaml`. `file` labels errors (e.g. `.wheelhouse/people.yaml`). Every team
    /// member must be a person id in the same file and no email may be listed twice.
    pub fn parse(file: &str, text: &str) -> Result<People, PolicyError> {
        let raw: RawPeople =
            serde_saphyr::from_str(text).map_err(|e| PolicyError::from_yaml(file, &e))?;
        let invalid = |at, message: String| {
            PolicyError::new(PolicyErrorCode::InvalidValue, file, at, message)
        };
        // Check in file order, so a duplicate is reported where it is written second.
        let mut listed: Vec<(String, Spanned<RawPerson>)> = raw.people.into_iter().collect();
        listed.sort_by_key(|(_, person)| position(person));
        let mut people = BTreeMap::new();
        let mut emails: HashMap<String, String> = HashMap::new();
        for (id, person) in listed {
            let email = person.value.email.value.trim().to_string();
            let at = position(&person.value.email);
            if !is_email(&email) {
                return Err(invalid(
                    at,
                    format!("`{email}` (email of {id}) is not an email address"),
                ));
            }
            if let Some(other) = emails.insert(email.to_ascii_lowercase(), id.clone()) {
                return Err(invalid(
                    at,
                    format!("{email} is listed for both {other} and {id}; one email is one person"),
                ));
            }
            let name = person.value.name.unwrap_or_else(|| id.clone());
            people.insert(id, Person { name, email });
        }
        let mut teams = BTreeMap::new();
        for (team, members) in raw.teams {
            let mut ids = Vec::new();
            for member in members.value {
                if !people.contains_key(&member.value) {
                    return Err(invalid(
                        position(&member),
                        format!(
                            "team {team} lists `{}`, which is not a person id in this file",
                            member.value
                        ),
                    ));
                }
                ids.push(member.value);
            }
            teams.insert(team, ids);
        }
        Ok(People { people, teams })
    }

    /// The person with this email, compared case-insensitively.
    pub fn by_email(&self, email: &str) -> Option<PersonRef> {
        self.people
            .iter()
            .find(|(_, p)| p.email.eq_ignore_ascii_case(email))
            .map(|(id, p)| self.person_ref(id, p))
    }

    /// A reference to `email`: the person from this file when listed, else the bare address.
    pub fn lookup_email(&self, email: &str) -> PersonRef {
        self.by_email(email).unwrap_or_else(|| PersonRef {
            id: None,
            name: None,
            email: email.to_string(),
        })
    }

    /// Expands an approver as written in a rule or CODEOWNERS: `@team` or `@org/team` (a team of
    /// this file, matched on the part after the last `/`), `@id` (a person, when no team has
    /// that name), `id`, or an email address (listed here or not). `None` when it names nobody
    /// this file knows.
    pub fn resolve(&self, approver: &str) -> Option<Vec<PersonRef>> {
        if let Some(handle) = approver.strip_prefix('@') {
            let name = handle.rsplit('/').next().unwrap_or(handle);
            if let Some(members) = self.teams.get(name) {
                return Some(
                    members
                        .iter()
                        .filter_map(|id| self.people.get(id).map(|p| self.person_ref(id, p)))
                        .collect(),
                );
            }
            return self
                .people
                .get(handle)
                .map(|p| vec![self.person_ref(handle, p)]);
        }
        if is_email(approver) {
            return Some(vec![self.lookup_email(approver)]);
        }
        self.people
            .get(approver)
            .map(|p| vec![self.person_ref(approver, p)])
    }

    fn person_ref(&self, id: &str, person: &Person) -> PersonRef {
        PersonRef {
            id: Some(id.to_string()),
            name: Some(person.name.clone()),
            email: person.email.clone(),
        }
    }
}

/// Something that looks like `local@domain`, without spaces.
pub(crate) fn is_email(text: &str) -> bool {
    match text.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && !domain.is_empty()
                && !domain.contains('@')
                && !text.chars().any(char::is_whitespace)
        }
        None => false,
    }
}
