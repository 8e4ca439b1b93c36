//! Kustomize field paths (`spec.template.spec.containers.[name=api].image`) and the
//! `replacements` transformer that copies a value from one resource into fields of others.

use super::value::{Data, Value};
use std::sync::Arc;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg {
    Key(String),
    Index(usize),
    /// `[key=value]`: the list element whose `key` is `value`.
    Match(String, String),
    /// `*`: every element or every value.
    All,
}

/// Parses a field path; brackets hold a key with dots (`[app.kubernetes.io/name]`) or a list
/// match (`[name=api]`).
pub fn parse(path: &str) -> Result<Vec<Seg>, String> {
    let mut out = Vec::new();
    let mut rest = path;
    while !rest.is_empty() {
        rest = rest.strip_prefix('.').unwrap_or(rest);
        if let Some(inner) = rest.strip_prefix('[') {
            let end = inner
                .find(']')
                .ok_or_else(|| format!("{path}: a [ is not closed"))?;
            let body = &inner[..end];
            out.push(match body.split_once('=') {
                Some((k, v)) => Seg::Match(k.to_owned(), v.to_owned()),
                None => Seg::Key(body.to_owned()),
            });
            rest = &inner[end + 1..];
            continue;
        }
        let end = rest.find(['.', '[']).unwrap_or(rest.len());
        let word = &rest[..end];
        out.push(if word == "*" {
            Seg::All
        } else if let Ok(i) = word.parse::<usize>() {
            Seg::Index(i)
        } else {
            Seg::Key(word.to_owned())
        });
        rest = &rest[end..];
    }
    Ok(out)
}

pub fn get<'v>(v: &'v Value, segs: &[Seg]) -> Option<&'v Value> {
    let Some((first, rest)) = segs.split_first() else {
        return Some(v);
    };
    let next = match first {
        Seg::Key(k) => v.get(k),
        Seg::Index(i) => v.items().get(*i),
        Seg::Match(k, val) => v
            .items()
            .iter()
            .find(|x| x.get(k).and_then(Value::scalar_text).as_deref() == Some(val)),
        Seg::All => v.items().first(),
    }?;
    get(next, rest)
}

/// Calls `f` on every value `segs` reaches, creating missing keys when `create`. Returns how
/// many were reached.
pub fn visit(v: &mut Value, segs: &[Seg], create: bool, f: &mut dyn FnMut(&mut Value)) -> usize {
    let Some((first, rest)) = segs.split_first() else {
        f(v);
        return 1;
    };
    match first {
        Seg::Key(k) => {
            if v.get(k).is_none() {
                if !create || !(v.is_map() || matches!(v.data, Data::Null)) {
                    return 0;
                }
                if matches!(v.data, Data::Null) {
                    *v = Value::map();
                }
                let child = if rest.is_empty() {
                    Value::new(Data::Null)
                } else {
                    Value::map()
                };
                v.set(k, child);
            }
            visit(v.get_mut(k).expect("present"), rest, create, f)
        }
        Seg::Index(i) => match v.items_mut() {
            Some(items) if *i < items.len() => visit(&mut items[*i], rest, create, f),
            _ => 0,
        },
        Seg::Match(k, val) => match v.items_mut() {
            Some(items) => items
                .iter_mut()
                .filter(|x| x.get(k).and_then(Value::scalar_text).as_deref() == Some(val))
                .map(|x| visit(x, rest, create, f))
                .sum(),
            _ => 0,
        },
        Seg::All => match &mut v.data {
            Data::Seq(items) => Arc::make_mut(items)
                .iter_mut()
                .map(|x| visit(x, rest, create, f))
                .sum(),
            Data::Map(m) => Arc::make_mut(m)
                .iter_mut()
                .map(|(_, x)| visit(x, rest, create, f))
                .sum(),
            _ => 0,
        },
    }
}

/// `delimiter` + `index` options: the part of a value.
pub fn part(value: &str, delimiter: Option<&str>, index: i64) -> Option<String> {
    match delimiter {
        None | Some("") => Some(value.to_owned()),
        Some(d) => {
            let parts: Vec<&str> = value.split(d).collect();
            usize::try_from(index)
                .ok()
                .and_then(|i| parts.get(i))
                .map(|s| (*s).to_owned())
        }
    }
}

/// Writes `new` into `old` at part `index` when a delimiter is given (a part past the end is
/// appended, as kustomize does).
pub fn splice(old: &str, new: &str, delimiter: Option<&str>, index: i64) -> String {
    match delimiter {
        None | Some("") => new.to_owned(),
        Some(d) => {
            let mut parts: Vec<String> = old.split(d).map(str::to_owned).collect();
            match usize::try_from(index) {
                Ok(i) if i < parts.len() => parts[i] = new.to_owned(),
                Ok(_) => parts.push(new.to_owned()),
                Err(_) => parts.insert(0, new.to_owned()),
            }
            parts.join(d)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_paths_parse_keys_matches_and_brackets() {
        assert_eq!(
            parse("spec.template.spec.containers.[name=api].image").unwrap(),
            vec![
                Seg::Key("spec".into()),
                Seg::Key("template".into()),
                Seg::Key("spec".into()),
                Seg::Key("containers".into()),
                Seg::Match("name".into(), "api".into()),
                Seg::Key("image".into()),
            ]
        );
        assert_eq!(
            parse("metadata.labels.[app.kubernetes.io/name]").unwrap(),
            vec![
                Seg::Key("metadata".into()),
                Seg::Key("labels".into()),
                Seg::Key("app.kubernetes.io/name".into()),
            ]
        );
        assert_eq!(splice("a.b.c", "X", Some("."), 1), "a.X.c");
        assert_eq!(part("a.b.c", Some("."), 2).as_deref(), Some("c"));
    }
}
