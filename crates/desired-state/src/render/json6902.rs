//! JSON 6902 patches (RFC 6902 over RFC 6901 pointers) on a rendered object: `add`, `remove`,
//! `replace`, `move`, `copy`, `test`. A failing operation leaves the object as it was before
//! the patch and says which operation failed.

use super::value::{Data, Value};
use std::sync::Arc;

/// One operation of a patch.
#[derive(Debug, Clone)]
pub struct Op {
    pub op: String,
    pub path: String,
    pub from: Option<String>,
    pub value: Option<Value>,
}

fn segments(pointer: &str) -> Result<Vec<String>, String> {
    if pointer.is_empty() {
        return Ok(Vec::new());
    }
    let Some(rest) = pointer.strip_prefix('/') else {
        return Err(format!("path {pointer} does not start with /"));
    };
    Ok(rest
        .split('/')
        .map(|s| s.replace("~1", "/").replace("~0", "~"))
        .collect())
}

fn index(seg: &str, len: usize, allow_end: bool) -> Result<usize, String> {
    if seg == "-" && allow_end {
        return Ok(len);
    }
    let i: usize = seg
        .parse()
        .map_err(|_| format!("{seg} is not a list index"))?;
    if i > len || (!allow_end && i == len) {
        return Err(format!("index {i} is past the end of a list of {len}"));
    }
    Ok(i)
}

fn parent<'v>(root: &'v mut Value, segs: &[String]) -> Result<&'v mut Value, String> {
    let mut v = root;
    for s in segs {
        v = match &mut v.data {
            Data::Map(m) => Arc::make_mut(m)
                .iter_mut()
                .find(|(k, _)| k == s)
                .map(|(_, v)| v)
                .ok_or_else(|| format!("{s} does not exist"))?,
            Data::Seq(items) => {
                let i = index(s, items.len(), false)?;
                &mut Arc::make_mut(items)[i]
            }
            _ => return Err(format!("{s} is under a value that is not a map or a list")),
        };
    }
    Ok(v)
}

fn get<'v>(root: &'v Value, segs: &[String]) -> Result<&'v Value, String> {
    let mut v = root;
    for s in segs {
        v = match &v.data {
            Data::Map(m) => m
                .iter()
                .find(|(k, _)| k == s)
                .map(|(_, v)| v)
                .ok_or_else(|| format!("{s} does not exist"))?,
            Data::Seq(items) => &items[index(s, items.len(), false)?],
            _ => return Err(format!("{s} is under a value that is not a map or a list")),
        };
    }
    Ok(v)
}

fn add(root: &mut Value, segs: &[String], value: Value) -> Result<(), String> {
    let Some((last, up)) = segs.split_last() else {
        *root = value;
        return Ok(());
    };
    let p = parent(root, up)?;
    match &mut p.data {
        Data::Map(m) => {
            let m = Arc::make_mut(m);
            match m.iter_mut().find(|(k, _)| k == last) {
                Some((_, v)) => *v = value,
                None => m.push((last.clone(), value)),
            }
            Ok(())
        }
        Data::Seq(items) => {
            let i = index(last, items.len(), true)?;
            Arc::make_mut(items).insert(i, value);
            Ok(())
        }
        _ => Err(format!("cannot add {last} under a scalar")),
    }
}

fn remove(root: &mut Value, segs: &[String]) -> Result<Value, String> {
    let Some((last, up)) = segs.split_last() else {
        return Err("cannot remove the whole object".into());
    };
    let p = parent(root, up)?;
    match &mut p.data {
        Data::Map(m) => {
            let i = m
                .iter()
                .position(|(k, _)| k == last)
                .ok_or_else(|| format!("{last} does not exist"))?;
            Ok(Arc::make_mut(m).remove(i).1)
        }
        Data::Seq(items) => {
            let i = index(last, items.len(), false)?;
            Ok(Arc::make_mut(items).remove(i))
        }
        _ => Err(format!("{last} is under a scalar")),
    }
}

/// Applies every operation, or none: the object is unchanged when one fails.
pub fn apply(object: &mut Value, ops: &[Op]) -> Result<(), (usize, String)> {
    let mut work = object.clone();
    for (i, op) in ops.iter().enumerate() {
        apply_one(&mut work, op).map_err(|e| (i, e))?;
    }
    *object = work;
    Ok(())
}

fn apply_one(v: &mut Value, op: &Op) -> Result<(), String> {
    let segs = segments(&op.path)?;
    let value = || {
        op.value
            .clone()
            .ok_or_else(|| format!("{} {} has no value", op.op, op.path))
    };
    match op.op.as_str() {
        "add" => add(v, &segs, value()?),
        "remove" => remove(v, &segs).map(|_| ()),
        "replace" => {
            let target = parent(v, &segs)?;
            *target = value()?;
            Ok(())
        }
        "move" | "copy" => {
            let from = segments(op.from.as_deref().ok_or("no from")?)?;
            let moved = if op.op == "move" {
                remove(v, &from)?
            } else {
                get(v, &from)?.clone()
            };
            add(v, &segs, moved)
        }
        "test" => {
            let have = get(v, &segs)?;
            if have.to_json() == value()?.to_json() {
                Ok(())
            } else {
                Err(format!("test of {} failed", op.path))
            }
        }
        other => Err(format!("unknown operation {other}")),
    }
}
