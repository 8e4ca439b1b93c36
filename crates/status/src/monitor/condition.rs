//! A monitor's conditions, written the way people know them from Gatus:
//! `[STATUS] == 200`, `[RESPONSE_TIME] < 500`, `[BODY].status == UP`,
//! `len([BODY].items) > 0`, `has([BODY].errors) == false`, `[BODY].version == pat(2.*)`,
//! `[STATUS] == any(200, 204)`, `[CONNECTED] == true`, `[CERTIFICATE_EXPIRATION] > 48h`,
//! `[IP] == 10.0.0.1`, `[DNS_RCODE] == NOERROR`. Parsed once (a mistake says where in the
//! condition it is), then judged against what one check observed. Pure.

use jiff::SignedDuration;
use serde_json::Value;

/// What one check saw.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Observation {
    /// A connection was made (and, for HTTP, a response read).
    pub connected: bool,
    pub status: Option<u16>,
    /// Milliseconds from the start of the check to the response.
    pub response_ms: Option<u64>,
    pub body: Option<String>,
    /// Seconds until the server's certificate expires (negative: expired).
    pub certificate_expires_in: Option<i64>,
    /// The address connected to, or a DNS answer's first address.
    pub ip: Option<String>,
    /// `NOERROR`, `NXDOMAIN`…
    pub dns_rcode: Option<String>,
    /// Why nothing was connected or read, in words.
    pub error: Option<String>,
}

/// What a condition looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placeholder {
    Status,
    ResponseTime,
    Body,
    Connected,
    CertificateExpiration,
    Ip,
    DnsRcode,
}

impl Placeholder {
    pub fn name(self) -> &'static str {
        match self {
            Placeholder::Status => "[STATUS]",
            Placeholder::ResponseTime => "[RESPONSE_TIME]",
            Placeholder::Body => "[BODY]",
            Placeholder::Connected => "[CONNECTED]",
            Placeholder::CertificateExpiration => "[CERTIFICATE_EXPIRATION]",
            Placeholder::Ip => "[IP]",
            Placeholder::DnsRcode => "[DNS_RCODE]",
        }
    }

    const ALL: [Placeholder; 7] = [
        Placeholder::Status,
        Placeholder::ResponseTime,
        Placeholder::Body,
        Placeholder::Connected,
        Placeholder::CertificateExpiration,
        Placeholder::Ip,
        Placeholder::DnsRcode,
    ];
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl Op {
    fn as_str(self) -> &'static str {
        match self {
            Op::Eq => "==",
            Op::Ne => "!=",
            Op::Lt => "<",
            Op::Le => "<=",
            Op::Gt => ">",
            Op::Ge => ">=",
        }
    }
}

/// One step into a JSON body: `.name` or `[0]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Key(String),
    Index(usize),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Function {
    None,
    /// `len(…)`: a JSON array's or object's size, a string's length in characters.
    Len,
    /// `has(…)`: whether the path is there (`true` or `false`).
    Has,
}

/// The right-hand side.
#[derive(Debug, Clone, PartialEq)]
pub enum Expected {
    Literal(String),
    /// `pat(…)`: `*` matches any run of characters.
    Pattern(String),
    /// `any(a, b, …)`.
    Any(Vec<String>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    /// As written.
    pub text: String,
    pub function: Function,
    pub placeholder: Placeholder,
    pub path: Vec<Step>,
    pub op: Op,
    pub expected: Expected,
}

/// Why a condition does not parse, and where in it (0-based character offset).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConditionError {
    pub offset: usize,
    pub message: String,
}

fn fail<T>(offset: usize, message: impl Into<String>) -> Result<T, ConditionError> {
    Err(ConditionError {
        offset,
        message: message.into(),
    })
}

/// Parses `text`.
pub fn parse(text: &str) -> Result<Condition, ConditionError> {
    let (op_at, op) = find_op(text).ok_or(ConditionError {
        offset: 0,
        message: format!(
            "`{text}` compares nothing: write [PLACEHOLDER] OPERATOR VALUE with ==, !=, <, <=, > or >="
        ),
    })?;
    let left = &text[..op_at];
    let right_at = op_at + op.as_str().len();
    let right = text[right_at..].trim();
    let lead = left.len() - left.trim_start().len();
    let left = left.trim();
    let (function, inner, inner_at) = match left.split_once('(') {
        Some((f, rest)) if rest.ends_with(')') => {
            let function = match f.trim() {
                "len" => Function::Len,
                "has" => Function::Has,
                other => {
                    return fail(
                        lead,
                        format!("`{other}(…)` is not a function on the left: use len(…) or has(…)"),
                    )
                }
            };
            (function, &rest[..rest.len() - 1], lead + f.len() + 1)
        }
        Some(_) => return fail(lead, "a `(` without its `)`"),
        None => (Function::None, left, lead),
    };
    let Some(placeholder) = Placeholder::ALL
        .into_iter()
        .find(|p| inner.starts_with(p.name()))
    else {
        let known: Vec<&str> = Placeholder::ALL.iter().map(|p| p.name()).collect();
        return fail(
            inner_at,
            format!(
                "`{}` is not a placeholder: use {}",
                inner.trim(),
                known.join(", ")
            ),
        );
    };
    let path_at = inner_at + placeholder.name().len();
    let path = parse_path(&inner[placeholder.name().len()..], path_at)?;
    if !path.is_empty() && placeholder != Placeholder::Body {
        return fail(
            path_at,
            format!("only [BODY] has fields; {} has none", placeholder.name()),
        );
    }
    if function != Function::None && placeholder != Placeholder::Body {
        return fail(
            lead,
            format!(
                "len(…) and has(…) take [BODY]; {} is one value",
                placeholder.name()
            ),
        );
    }
    if right.is_empty() {
        return fail(right_at, "nothing to compare with after the operator");
    }
    let right_offset = text.len() - text[right_at..].trim_start().len();
    let expected = parse_expected(right, right_offset)?;
    let ordered = matches!(op, Op::Lt | Op::Le | Op::Gt | Op::Ge);
    if ordered {
        let Expected::Literal(value) = &expected else {
            return fail(right_offset, "pat(…) and any(…) compare with == or != only");
        };
        let numeric = match (function, placeholder) {
            (Function::None, Placeholder::CertificateExpiration) => duration_ms(value).is_some(),
            _ => value.parse::<f64>().is_ok(),
        };
        if !numeric {
            let wanted = if placeholder == Placeholder::CertificateExpiration {
                "a duration such as 48h or 30d"
            } else {
                "a number"
            };
            return fail(
                right_offset,
                format!(
                    "`{value}` is not {wanted}: {} compares numbers",
                    op.as_str()
                ),
            );
        }
    }
    if let (Function::None, Placeholder::CertificateExpiration, Expected::Literal(v)) =
        (function, placeholder, &expected)
    {
        if duration_ms(v).is_none() {
            return fail(
                right_offset,
                format!("`{v}` is not a duration such as 48h or 30d"),
            );
        }
    }
    Ok(Condition {
        text: text.trim().to_owned(),
        function,
        placeholder,
        path,
        op,
        expected,
    })
}

/// The operator outside brackets and parentheses, two-character ones first.
fn find_op(text: &str) -> Option<(usize, Op)> {
    let bytes = text.as_bytes();
    let mut depth = 0i32;
    for i in 0..bytes.len() {
        match bytes[i] {
            b'(' | b'[' => depth += 1,
            b')' | b']' => depth -= 1,
            _ if depth > 0 => {}
            b'=' | b'!' | b'<' | b'>' => {
                let two = bytes.get(i + 1) == Some(&b'=');
                let op = match (bytes[i], two) {
                    (b'=', true) => Op::Eq,
                    (b'!', true) => Op::Ne,
                    (b'<', true) => Op::Le,
                    (b'>', true) => Op::Ge,
                    (b'<', false) => Op::Lt,
                    (b'>', false) => Op::Gt,
                    _ => continue,
                };
                return Some((i, op));
            }
            _ => {}
        }
    }
    None
}

fn parse_path(mut rest: &str, mut at: usize) -> Result<Vec<Step>, ConditionError> {
    let mut out = Vec::new();
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('.') {
            let end = after.find(['.', '[']).unwrap_or(after.len());
            let key = &after[..end];
            if key.is_empty() || key.contains(char::is_whitespace) {
                return fail(at, "a field name after `.`, without spaces");
            }
            out.push(Step::Key(key.to_owned()));
            at += 1 + end;
            rest = &after[end..];
        } else if let Some(after) = rest.strip_prefix('[') {
            let Some(end) = after.find(']') else {
                return fail(at, "a `[` without its `]`");
            };
            let Ok(i) = after[..end].trim().parse::<usize>() else {
                return fail(
                    at,
                    format!("`[{}]` is not an index: use [0], [1]…", &after[..end]),
                );
            };
            out.push(Step::Index(i));
            at += end + 2;
            rest = &after[end + 1..];
        } else {
            return fail(
                at,
                format!(
                    "`{}` after the placeholder: use .field or [index]",
                    rest.trim()
                ),
            );
        }
    }
    Ok(out)
}

fn parse_expected(right: &str, at: usize) -> Result<Expected, ConditionError> {
    let call = |name: &str| {
        right
            .strip_prefix(name)
            .and_then(|r| r.trim_start().strip_prefix('('))
            .map(|r| r.strip_suffix(')'))
    };
    if let Some(inner) = call("pat") {
        let Some(inner) = inner else {
            return fail(at, "pat( without its )");
        };
        return Ok(Expected::Pattern(inner.trim().to_owned()));
    }
    if let Some(inner) = call("any") {
        let Some(inner) = inner else {
            return fail(at, "any( without its )");
        };
        let values: Vec<String> = inner.split(',').map(|v| v.trim().to_owned()).collect();
        if values.iter().any(String::is_empty) {
            return fail(at, "any(…) takes values separated by commas");
        }
        return Ok(Expected::Any(values));
    }
    Ok(Expected::Literal(right.to_owned()))
}

/// `48h`, `30d`, `90m`, `1d 12h` → milliseconds; a bare number is milliseconds (as Gatus reads it).
pub fn duration_ms(text: &str) -> Option<i64> {
    let text = text.trim();
    if let Ok(n) = text.parse::<i64>() {
        return Some(n);
    }
    // jiff's friendly format knows h, m, s, ms; days are 24 h here.
    let mut total = 0i64;
    let mut rest = text;
    while !rest.is_empty() {
        let digits = rest
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len());
        if digits == 0 {
            return None;
        }
        let n: i64 = rest[..digits].parse().ok()?;
        let unit_end = rest[digits..]
            .find(|c: char| c.is_ascii_digit() || c.is_whitespace())
            .map_or(rest.len(), |i| digits + i);
        let unit = &rest[digits..unit_end];
        let ms = match unit {
            "d" => 86_400_000,
            _ => {
                let d: SignedDuration = format!("1{unit}").parse().ok()?;
                i64::try_from(d.as_millis()).ok()?
            }
        };
        total = total.checked_add(n.checked_mul(ms)?)?;
        rest = rest[unit_end..].trim_start();
    }
    Some(total)
}

/// A condition's verdict and what it saw: `[STATUS] (503) == 200`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    pub ok: bool,
    pub shown: String,
}

impl Condition {
    /// Judges what `seen` shows.
    pub fn judge(&self, seen: &Observation) -> Verdict {
        let actual = self.actual(seen);
        let ok = match &actual {
            None => false,
            Some(value) => compare(self, value),
        };
        let left = match self.function {
            Function::None => self.left_text(),
            Function::Len => format!("len({})", self.left_text()),
            Function::Has => format!("has({})", self.left_text()),
        };
        let value = actual.unwrap_or_else(|| "nothing".into());
        let right = match &self.expected {
            Expected::Literal(v) => v.clone(),
            Expected::Pattern(p) => format!("pat({p})"),
            Expected::Any(vs) => format!("any({})", vs.join(", ")),
        };
        Verdict {
            ok,
            shown: format!("{left} ({}) {} {right}", shorten(&value), self.op.as_str()),
        }
    }

    fn left_text(&self) -> String {
        let mut s = self.placeholder.name().to_owned();
        for step in &self.path {
            match step {
                Step::Key(k) => {
                    s.push('.');
                    s.push_str(k);
                }
                Step::Index(i) => s.push_str(&format!("[{i}]")),
            }
        }
        s
    }

    /// The value the left side stands for, as text; none when the check did not see it.
    fn actual(&self, seen: &Observation) -> Option<String> {
        match self.placeholder {
            Placeholder::Connected => Some(seen.connected.to_string()),
            Placeholder::Status => seen.status.map(|s| s.to_string()),
            Placeholder::ResponseTime => seen.response_ms.map(|s| s.to_string()),
            Placeholder::CertificateExpiration => {
                seen.certificate_expires_in.map(|s| (s * 1000).to_string())
            }
            Placeholder::Ip => seen.ip.clone(),
            Placeholder::DnsRcode => seen.dns_rcode.clone(),
            Placeholder::Body => {
                let body = seen.body.as_deref()?;
                if self.path.is_empty() {
                    return Some(match self.function {
                        Function::Len => body.chars().count().to_string(),
                        Function::Has => (!body.is_empty()).to_string(),
                        Function::None => body.trim().to_owned(),
                    });
                }
                let json: Option<Value> = serde_json::from_str(body).ok();
                let mut at = json.as_ref();
                for step in &self.path {
                    at = at.and_then(|v| match step {
                        Step::Key(k) => v.get(k),
                        Step::Index(i) => v.get(*i),
                    });
                }
                match self.function {
                    Function::Has => Some(at.is_some().to_string()),
                    Function::Len => at.map(|v| {
                        match v {
                            Value::Array(a) => a.len(),
                            Value::Object(o) => o.len(),
                            Value::String(s) => s.chars().count(),
                            other => other.to_string().chars().count(),
                        }
                        .to_string()
                    }),
                    Function::None => at.map(|v| match v {
                        Value::String(s) => s.clone(),
                        other => other.to_string(),
                    }),
                }
            }
        }
    }
}

fn compare(c: &Condition, actual: &str) -> bool {
    let expected_of = |v: &str| {
        if c.placeholder == Placeholder::CertificateExpiration && c.function == Function::None {
            duration_ms(v)
                .map(|ms| ms.to_string())
                .unwrap_or_else(|| v.to_owned())
        } else {
            v.to_owned()
        }
    };
    let equal = |v: &str| {
        let v = expected_of(v);
        match (actual.parse::<f64>(), v.parse::<f64>()) {
            (Ok(a), Ok(b)) => a == b,
            _ => actual == v,
        }
    };
    match (&c.expected, c.op) {
        (Expected::Literal(v), Op::Eq) => equal(v),
        (Expected::Literal(v), Op::Ne) => !equal(v),
        (Expected::Pattern(p), Op::Eq) => glob(p, actual),
        (Expected::Pattern(p), Op::Ne) => !glob(p, actual),
        (Expected::Any(vs), Op::Eq) => vs.iter().any(|v| equal(v)),
        (Expected::Any(vs), Op::Ne) => !vs.iter().any(|v| equal(v)),
        (Expected::Literal(v), op) => {
            let (Ok(a), Ok(b)) = (actual.parse::<f64>(), expected_of(v).parse::<f64>()) else {
                return false;
            };
            match op {
                Op::Lt => a < b,
                Op::Le => a <= b,
                Op::Gt => a > b,
                Op::Ge => a >= b,
                Op::Eq | Op::Ne => unreachable!("handled above"),
            }
        }
        // Refused when parsed.
        _ => false,
    }
}

/// `*` matches any run of characters; everything else itself.
fn glob(pattern: &str, text: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == text;
    }
    let mut rest = text;
    for (i, part) in parts.iter().enumerate() {
        if i == 0 {
            match rest.strip_prefix(part) {
                Some(r) => rest = r,
                None => return false,
            }
        } else if i == parts.len() - 1 {
            return rest.ends_with(part);
        } else {
            match rest.find(part) {
                Some(at) => rest = &rest[at + part.len()..],
                None => return false,
            }
        }
    }
    true
}

fn shorten(value: &str) -> String {
    let one_line = value.replace(['\n', '\r'], " ");
    match one_line.char_indices().nth(60) {
        Some((at, _)) => format!("{}…", &one_line[..at]),
        None => one_line,
    }
}
