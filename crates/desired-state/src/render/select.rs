//! Which resources a patch, a replacement or a generator merge selects, with kustomize's rules:
//! `group`, `version`, `kind`, `name` and `namespace` (each an anchored regular expression, as
//! kustomize reads them; an object that names no namespace is in `default`), `labelSelector` and `annotationSelector` in Kubernetes selector syntax
//! (`a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`).

use super::value::Value;
use regex::Regex;

/// A parsed `target`/`select`.
#[derive(Debug, Clone, Default)]
pub struct Selector {
    pub group: Option<Regex>,
    pub version: Option<Regex>,
    pub kind: Option<Regex>,
    pub name: Option<Regex>,
    pub namespace: Option<Regex>,
    pub labels: Vec<Requirement>,
    pub annotations: Vec<Requirement>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Requirement {
    Equals(String, String),
    NotEquals(String, String),
    In(String, Vec<String>),
    NotIn(String, Vec<String>),
    Exists(String),
    NotExists(String),
}

fn anchored(pattern: &str) -> Result<Regex, String> {
    Regex::new(&format!("^(?:{pattern})$"))
        .map_err(|e| format!("{pattern} is not a valid pattern: {e}"))
}

impl Selector {
    /// From a `target:` map; `Err` says what is wrong with it.
    pub fn from_value(v: &Value) -> Result<Selector, String> {
        let s = |k: &str| v.str_at(&[k]).map(str::to_owned);
        Ok(Selector {
            group: s("group").map(|n| anchored(&n)).transpose()?,
            version: s("version").map(|n| anchored(&n)).transpose()?,
            kind: s("kind").map(|n| anchored(&n)).transpose()?,
            name: s("name").map(|n| anchored(&n)).transpose()?,
            namespace: s("namespace").map(|n| anchored(&n)).transpose()?,
            labels: parse_requirements(v.str_at(&["labelSelector"]).unwrap_or(""))?,
            annotations: parse_requirements(v.str_at(&["annotationSelector"]).unwrap_or(""))?,
        })
    }

    pub fn is_empty(&self) -> bool {
        self.group.is_none()
            && self.version.is_none()
            && self.kind.is_none()
            && self.name.is_none()
            && self.namespace.is_none()
            && self.labels.is_empty()
            && self.annotations.is_empty()
    }

    /// Whether `object` is selected; `names` are every name it has had (current first).
    pub fn matches(&self, object: &Value, names: &[&str]) -> bool {
        let api = object.str_at(&["apiVersion"]).unwrap_or("");
        let (group, version) = api.rsplit_once('/').unwrap_or(("", api));
        let kind = object.str_at(&["kind"]).unwrap_or("");
        if self.group.as_ref().is_some_and(|g| !g.is_match(group))
            || self.version.as_ref().is_some_and(|v| !v.is_match(version))
            || self.kind.as_ref().is_some_and(|k| !k.is_match(kind))
        {
            return false;
        }
        if let Some(re) = &self.name {
            if !names.iter().any(|n| re.is_match(n)) {
                return false;
            }
        }
        if let Some(re) = &self.namespace {
            let ns = object.str_at(&["metadata", "namespace"]).unwrap_or("");
            if !(re.is_match(ns) || ns.is_empty() && re.is_match("default")) {
                return false;
            }
        }
        let holds = |reqs: &[Requirement], key: &str| {
            let map = object.at(&["metadata", key]);
            reqs.iter()
                .all(|r| r.holds(|k| map.and_then(|m| m.get(k)).and_then(Value::scalar_text)))
        };
        holds(&self.labels, "labels") && holds(&self.annotations, "annotations")
    }
}

impl Requirement {
    fn holds(&self, get: impl Fn(&str) -> Option<String>) -> bool {
        match self {
            Requirement::Equals(k, v) => get(k).as_deref() == Some(v),
            Requirement::NotEquals(k, v) => get(k).as_deref() != Some(v),
            Requirement::In(k, vs) => get(k).is_some_and(|x| vs.contains(&x)),
            Requirement::NotIn(k, vs) => get(k).is_none_or(|x| !vs.contains(&x)),
            Requirement::Exists(k) => get(k).is_some(),
            Requirement::NotExists(k) => get(k).is_none(),
        }
    }
}

/// Splits on commas outside parentheses.
fn terms(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut depth, mut start) = (0, 0);
    for (i, c) in s.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' if depth == 0 => {
                out.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&s[start..]);
    out.into_iter()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .collect()
}

pub fn parse_requirements(s: &str) -> Result<Vec<Requirement>, String> {
    let mut out = Vec::new();
    for term in terms(s) {
        let set = |rest: &str| -> Result<Vec<String>, String> {
            let inner = rest
                .trim()
                .strip_prefix('(')
                .and_then(|r| r.strip_suffix(')'))
                .ok_or_else(|| format!("\"{term}\" needs a list in parentheses"))?;
            Ok(inner.split(',').map(|v| v.trim().to_owned()).collect())
        };
        let words: Vec<&str> = term.splitn(2, char::is_whitespace).collect();
        let req = if let Some((k, v)) = term.split_once("!=") {
            Requirement::NotEquals(k.trim().into(), v.trim().into())
        } else if let Some((k, v)) = term.split_once("==").or_else(|| term.split_once('=')) {
            Requirement::Equals(k.trim().into(), v.trim().into())
        } else if words.len() == 2 && words[1].trim_start().starts_with("notin") {
            Requirement::NotIn(words[0].into(), set(&words[1].trim_start()[5..])?)
        } else if words.len() == 2 && words[1].trim_start().starts_with("in") {
            Requirement::In(words[0].into(), set(&words[1].trim_start()[2..])?)
        } else if let Some(k) = term.strip_prefix('!') {
            Requirement::NotExists(k.trim().into())
        } else if !term.contains(char::is_whitespace) {
            Requirement::Exists(term.into())
        } else {
            return Err(format!("\"{term}\" is not a label selector term"));
        };
        out.push(req);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selector_terms_parse_in_kubernetes_syntax() {
        let r =
            parse_requirements("tier=backend, env in (prod, staging),!legacy, app!=web,x").unwrap();
        assert_eq!(
            r,
            vec![
                Requirement::Equals("tier".into(), "backend".into()),
                Requirement::In("env".into(), vec!["prod".into(), "staging".into()]),
                Requirement::NotExists("legacy".into()),
                Requirement::NotEquals("app".into(), "web".into()),
                Requirement::Exists("x".into()),
            ]
        );
        assert!(parse_requirements("a in b").is_err());
    }
}
