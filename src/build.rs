//! The typed query builder: queries in code, never invalid, never injectable.
//!
//! Each field is a typed handle ([`TextField`], [`DateField`],
//! [`IntegerField`], [`BooleanField`]), so a date field cannot be given text:
//! that is a compile error, not a runtime one. Values go into the tree as
//! values (a phrase, a number, a date), never as query text, so whatever a
//! string holds (`"`, `)`, `OR`, `*`) it stays one value of one clause. The
//! builder produces the same [`Query`] tree the parser does, and rendering is
//! shared: `Display` gives the canonical form.
//!
//! The one thing the types cannot rule out, an empty text value (the language
//! has no way to write `""`) or an empty `any_of`, is reported when the query
//! is finished with [`Condition::build`].
//!
//! ```
//! use helpscout_query::build::customer;
//!
//! let query = customer::first_name().is("John")
//!     .or(customer::first_name().is("Johnny"))
//!     .and(customer::email().any_of(["john@appleseed.com", "j@example.com"]))
//!     .build()?;
//! assert_eq!(
//!     query.to_string(),
//!     r#"((firstName:"John" OR firstName:"Johnny") AND email:("john@appleseed.com" OR "j@example.com"))"#
//! );
//! # Ok::<(), helpscout_query::build::BuildError>(())
//! ```

use crate::syntax::ast::{
    Boost, Bound, Clause, ClauseValue, DateAnchor, DateExpr, DateMath, DateUnit, Expr, ExprKind,
    Field, Query, Range, Regex, Span, TruncatedDate, Value, ValueKind, Wildcard, WildcardPart,
};
use crate::syntax::tree::{first_too_deep, is_field_name, join};
use crate::syntax::{Operator, ParseOptions};

/// Why a built query cannot be rendered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// An empty text value: the query language cannot express `""`.
    #[error("'{field}' was given an empty value")]
    EmptyValue {
        /// The field.
        field: String,
    },
    /// `any_of` with no values matches nothing and cannot be written.
    #[error("'{field}'.any_of was given no values")]
    EmptyAnyOf {
        /// The field.
        field: String,
    },
    /// A date outside the years 0000-9999.
    #[error("the date {date} is outside the years 0000-9999")]
    DateOutOfRange {
        /// The date, as jiff writes it.
        date: String,
    },
    /// Nested deeper than a query may be (`ParseOptions::default().max_depth`
    /// levels of NOT, parentheses and groups in the canonical form): Help
    /// Scout's parser, and ours, would refuse the text.
    #[error("the query nests deeper than {max} levels")]
    TooDeep {
        /// The limit.
        max: usize,
    },
    /// A regular expression that Lucene rejects or hsq cannot evaluate
    /// (complement, intersection, too large): the same checks as the parser's
    /// `invalid-regex` and `unsupported-regex`.
    #[error(
        "'{field}' was given the regular expression /{pattern}/, which cannot be used: {reason}"
    )]
    InvalidRegex {
        /// The field.
        field: String,
        /// The expression as given.
        pattern: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A boost that is negative, NaN or infinite (Lucene's grammar writes
    /// none of them).
    #[error("the boost {boost} is not a finite number of 0 or more")]
    InvalidBoost {
        /// The boost, as Rust writes it.
        boost: String,
    },
}

/// A condition under construction: combine with [`and`](Condition::and),
/// [`or`](Condition::or), [`not`](Condition::not); finish with
/// [`build`](Condition::build).
#[derive(Debug, Clone, PartialEq)]
#[must_use]
pub struct Condition(Result<Built, BuildError>);

/// A tree under construction and how deeply its canonical form nests (the
/// parser's measure: one level per NOT, per field group, and per AND/OR that
/// needs parentheses). Kept as the tree grows, so that a tree too deep to
/// parse is refused at once, before it is deep enough to be a burden to
/// walk or drop.
#[derive(Debug, Clone, PartialEq)]
struct Built {
    expr: Expr,
    nesting: usize,
}

fn is_operator(expr: &Expr, op: Operator) -> bool {
    matches!(
        (&expr.kind, op),
        (ExprKind::And { .. }, Operator::And) | (ExprKind::Or { .. }, Operator::Or)
    )
}

fn is_boolean(expr: &Expr) -> bool {
    matches!(expr.kind, ExprKind::And { .. } | ExprKind::Or { .. })
}

impl Condition {
    /// A clause or a bare value.
    fn leaf(expr: Expr) -> Condition {
        let grouped = matches!(
            expr.kind,
            ExprKind::Clause(Clause {
                value: ClauseValue::Group { .. },
                ..
            })
        );
        Condition(Ok(Built {
            expr,
            nesting: usize::from(grouped),
        }))
    }

    fn checked(built: Built) -> Condition {
        let max = ParseOptions::default().max_depth;
        if built.nesting > max {
            return Condition(Err(BuildError::TooDeep { max }));
        }
        Condition(Ok(built))
    }

    fn combine(self, other: Condition, op: Operator) -> Condition {
        let (a, b) = match (self.0, other.0) {
            (Ok(a), Ok(b)) => (a, b),
            (Err(e), _) | (_, Err(e)) => return Condition(Err(e)),
        };
        // An operand of the same operator is flattened into the new node; any
        // other AND/OR is parenthesised inside it, and so is a NOT inside an
        // OR, which the Lucene-safe form writes `(*:* AND NOT x)`.
        let nested = |x: &Built| {
            let not_in_or = op == Operator::Or && matches!(x.expr.kind, ExprKind::Not { .. });
            x.nesting + usize::from(is_boolean(&x.expr) && !is_operator(&x.expr, op) || not_in_or)
        };
        let nesting = nested(&a).max(nested(&b));
        Condition::checked(Built {
            expr: join(vec![a.expr, b.expr], op),
            nesting,
        })
    }

    /// Both must match. Chains stay flat: `a.and(b).and(c)` is `a AND b AND c`.
    pub fn and(self, other: Condition) -> Condition {
        self.combine(other, Operator::And)
    }

    /// Either may match.
    pub fn or(self, other: Condition) -> Condition {
        self.combine(other, Operator::Or)
    }

    /// This must not match.
    #[allow(clippy::should_implement_trait)]
    pub fn not(self) -> Condition {
        let built = match self.0 {
            Ok(built) => built,
            Err(e) => return Condition(Err(e)),
        };
        let nesting = 1 + built.nesting + usize::from(is_boolean(&built.expr));
        let expr = Expr::new(
            ExprKind::Not {
                operand: Box::new(built.expr),
            },
            Span::default(),
        );
        Condition::checked(Built { expr, nesting })
    }

    /// This, weighted by `factor` in the `score` sort (`x^2`, Lucene's
    /// boost); it matches exactly what it matched. `factor` must be finite
    /// and not negative.
    ///
    /// ```
    /// use helpscout_query::build::customer;
    /// let query = customer::first_name().is("John").boost(2.0)
    ///     .or(customer::first_name().is("Jane"))
    ///     .build()?;
    /// assert_eq!(query.to_string(), r#"(firstName:"John"^2 OR firstName:"Jane")"#);
    /// # Ok::<(), helpscout_query::build::BuildError>(())
    /// ```
    pub fn boost(self, factor: f32) -> Condition {
        let built = match self.0 {
            Ok(built) => built,
            Err(e) => return Condition(Err(e)),
        };
        // `Display` of an `f32` has no exponent: digits and a point.
        let text = factor.to_string();
        let boost = match (factor.is_finite() && factor >= 0.0, Boost::new(&text)) {
            (true, Some(boost)) => boost,
            _ => return Condition(Err(BuildError::InvalidBoost { boost: text })),
        };
        // As `tree::level`: a leaf is boosted in place, anything else in
        // parentheses.
        let leaf = matches!(
            built.expr.kind,
            ExprKind::Clause(_) | ExprKind::Value(_) | ExprKind::MatchAll
        );
        let not = matches!(built.expr.kind, ExprKind::Not { .. });
        let nesting = built.nesting
            + usize::from(!leaf)
            + usize::from(not)
            + usize::from(is_boolean(&built.expr));
        let expr = Expr::new(
            ExprKind::Boost {
                operand: Box::new(built.expr),
                boost,
            },
            Span::default(),
        );
        Condition::checked(Built { expr, nesting })
    }

    /// The finished query, or the first thing that made it unwritable.
    /// The tree is in its Lucene-safe form ([`Query::lucene_safe`]): a NOT
    /// inside an OR comes back as `*:* AND NOT x`, a double NOT as what it
    /// negates. What this returns always parses back, with the default
    /// options, to the same tree.
    pub fn build(self) -> Result<Query, BuildError> {
        let built = self.0?;
        debug_assert!(first_too_deep(&built.expr, ParseOptions::default().max_depth).is_none());
        Ok(Query { root: built.expr }.lucene_safe())
    }
}

/// All of the conditions (`None` when there are none).
pub fn all(conditions: impl IntoIterator<Item = Condition>) -> Option<Condition> {
    conditions.into_iter().reduce(Condition::and)
}

/// Any of the conditions (`None` when there are none).
pub fn any(conditions: impl IntoIterator<Item = Condition>) -> Option<Condition> {
    conditions.into_iter().reduce(Condition::or)
}

fn value(kind: ValueKind) -> Value {
    Value::new(kind, Span::default())
}

fn clause(field: &str, value: ClauseValue) -> Expr {
    Expr::new(
        ExprKind::Clause(Clause {
            field: Field {
                name: field.into(),
                span: Span::default(),
            },
            value,
        }),
        Span::default(),
    )
}

fn single(field: &str, v: Value) -> Condition {
    Condition::leaf(clause(field, ClauseValue::Single { value: v }))
}

/// `field:(v1 OR v2 …)`, or `field:v1` for one value.
fn group(field: &str, values: Result<Vec<Value>, BuildError>) -> Condition {
    let values = match values {
        Ok(values) => values,
        Err(e) => return Condition(Err(e)),
    };
    if values.len() <= 1 {
        return match values.into_iter().next() {
            Some(only) => single(field, only),
            None => Condition(Err(BuildError::EmptyAnyOf {
                field: field.to_owned(),
            })),
        };
    }
    let leaves = values
        .into_iter()
        .map(|v| Expr::new(ExprKind::Value(v), Span::default()))
        .collect();
    Condition::leaf(clause(
        field,
        ClauseValue::Group {
            expr: Box::new(join(leaves, Operator::Or)),
        },
    ))
}

/// A text field (`firstName`, `email`, `subject`, …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextField(String);

impl TextField {
    /// A text field with any name: for fields this crate does not list yet.
    /// Returns `None` unless the name can be written as a field
    /// (`[A-Za-z_][A-Za-z0-9_.]*`, not `AND`, `OR` or `NOT`).
    ///
    /// ```
    /// use helpscout_query::build::TextField;
    /// assert!(TextField::named("organization").is_some());
    /// assert!(TextField::named("OR").is_none());
    /// assert!(TextField::named("first name").is_none());
    /// ```
    pub fn named(name: &str) -> Option<TextField> {
        is_field_name(name).then(|| TextField(name.to_owned()))
    }

    fn phrase(&self, text: &str) -> Result<Value, BuildError> {
        if text.is_empty() {
            return Err(BuildError::EmptyValue {
                field: self.0.clone(),
            });
        }
        Ok(value(ValueKind::Phrase(text.into())))
    }

    /// Contains these words, in this order: `field:"text"` (quoted, as Help
    /// Scout's documentation writes it). Any text is safe.
    pub fn is(&self, text: impl AsRef<str>) -> Condition {
        match self.phrase(text.as_ref()) {
            Ok(v) => single(&self.0, v),
            Err(e) => Condition(Err(e)),
        }
    }

    /// Contains any of these: `field:("a" OR "b")`.
    pub fn any_of<S: AsRef<str>>(&self, texts: impl IntoIterator<Item = S>) -> Condition {
        group(
            &self.0,
            texts.into_iter().map(|t| self.phrase(t.as_ref())).collect(),
        )
    }

    /// Has a word matching the regular expression `pattern`, in Lucene's
    /// `RegExp` syntax (grammar.md): `field:/pattern/`. A `/` in the
    /// pattern is escaped for it; the pattern is checked as the parser
    /// checks one.
    ///
    /// ```
    /// use helpscout_query::build::customer;
    /// let query = customer::first_name().matches("jo(hn|e)?").build()?;
    /// assert_eq!(query.to_string(), "(firstName:/jo(hn|e)?/)");
    /// assert!(customer::first_name().matches("~jo").build().is_err());
    /// # Ok::<(), helpscout_query::build::BuildError>(())
    /// ```
    pub fn matches(&self, pattern: impl AsRef<str>) -> Condition {
        let given = pattern.as_ref();
        // Every `/` not already escaped gets a `\`; a final escaped
        // backslash is written `[\\]`, as the parser keeps it.
        let mut written = String::with_capacity(given.len() + 2);
        let mut chars = given.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => {
                    written.push('\\');
                    if let Some(next) = chars.next() {
                        written.push(next);
                    }
                }
                '/' => written.push_str("\\/"),
                c => written.push(c),
            }
        }
        if let Some(before) = written.strip_suffix("\\\\") {
            written = format!("{before}[\\\\]");
        }
        if let Err(problem) = crate::syntax::regexp::translate(&written) {
            let reason = match problem.kind {
                crate::syntax::regexp::RegexProblemKind::Invalid(message) => message,
                crate::syntax::regexp::RegexProblemKind::Unsupported(what) => {
                    format!("it uses {what}, which hsq cannot evaluate")
                }
            };
            return Condition(Err(BuildError::InvalidRegex {
                field: self.0.clone(),
                pattern: given.to_owned(),
                reason,
            }));
        }
        single(&self.0, value(ValueKind::Regex(Regex { pattern: written })))
    }

    /// Has a word starting with `prefix`: `field:prefix*`. The prefix is
    /// escaped, so its own `*` and `?` are literal.
    pub fn starts_with(&self, prefix: impl AsRef<str>) -> Condition {
        let prefix = prefix.as_ref();
        let mut parts = Vec::new();
        if !prefix.is_empty() {
            parts.push(WildcardPart::Literal(prefix.to_owned()));
        }
        parts.push(WildcardPart::AnyRun);
        single(&self.0, value(ValueKind::Wildcard(Wildcard { parts })))
    }
}

/// A date field (`modifiedAt`, `createdAt`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateField(&'static str);

/// A date for the builder: an instant, `NOW` with date math, or a whole
/// month or day.
///
/// ```
/// use helpscout_query::build::{Date, customer};
/// use helpscout_query::syntax::ast::DateUnit;
/// let recent = customer::modified_at().since(Date::now().minus(7, DateUnit::Day));
/// assert_eq!(recent.build().unwrap().to_string(), "(modifiedAt:[NOW-7DAYS TO *])");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Date(DateExpr);

impl Date {
    /// `NOW`.
    pub fn now() -> Date {
        Date(DateExpr {
            anchor: DateAnchor::Now,
            math: Vec::new(),
        })
    }

    /// An instant. Help Scout's format has whole seconds, so any fraction of
    /// a second is dropped.
    pub fn at(timestamp: jiff::Timestamp) -> Date {
        let whole = jiff::Timestamp::from_second(timestamp.as_second()).unwrap_or(timestamp);
        Date(DateExpr {
            anchor: DateAnchor::Full { timestamp: whole },
            math: Vec::new(),
        })
    }

    /// The whole day `date` falls on.
    pub fn day(date: jiff::civil::Date) -> Date {
        Date::truncated(date, true)
    }

    /// The whole month `date` falls in.
    pub fn month(date: jiff::civil::Date) -> Date {
        Date::truncated(date, false)
    }

    fn truncated(date: jiff::civil::Date, with_day: bool) -> Date {
        Date(DateExpr {
            anchor: DateAnchor::Truncated(TruncatedDate {
                year: date.year(),
                month: date.month(),
                day: with_day.then(|| date.day()),
            }),
            math: Vec::new(),
        })
    }

    /// `amount` units later (`NOW+1DAY`). Only for `now()` and `at()`: a
    /// whole month or day is a period, not a point to count from, so it is
    /// left as it is.
    pub fn plus(self, amount: u32, unit: DateUnit) -> Date {
        self.step(DateMath::Add { amount, unit })
    }

    /// `amount` units earlier (`NOW-7DAYS`). Same rule as [`plus`](Date::plus).
    pub fn minus(self, amount: u32, unit: DateUnit) -> Date {
        self.step(DateMath::Sub { amount, unit })
    }

    /// Rounded down to the start of the unit (`NOW/DAY`). Same rule as
    /// [`plus`](Date::plus).
    pub fn rounded(self, unit: DateUnit) -> Date {
        self.step(DateMath::Round { unit })
    }

    fn step(mut self, step: DateMath) -> Date {
        if !matches!(self.0.anchor, DateAnchor::Truncated(_)) {
            self.0.math.push(step);
        }
        self
    }

    fn into_value(self) -> Result<Value, BuildError> {
        let year = match &self.0.anchor {
            DateAnchor::Now => 0,
            DateAnchor::Full { timestamp } => timestamp.to_zoned(jiff::tz::TimeZone::UTC).year(),
            DateAnchor::Truncated(t) => t.year,
        };
        if !(0..=9999).contains(&year) {
            return Err(BuildError::DateOutOfRange {
                date: format!("{:?}", self.0.anchor),
            });
        }
        Ok(value(ValueKind::Date(Box::new(self.0))))
    }
}

impl From<jiff::Timestamp> for Date {
    fn from(timestamp: jiff::Timestamp) -> Date {
        Date::at(timestamp)
    }
}

impl DateField {
    fn range(&self, lower: Option<Date>, upper: Option<Date>, upper_inclusive: bool) -> Condition {
        let lower = match lower.map(Date::into_value).transpose() {
            Ok(Some(v)) => Bound::Inclusive(Box::new(v)),
            Ok(None) => Bound::Unbounded { inclusive: true },
            Err(e) => return Condition(Err(e)),
        };
        let upper = match upper.map(Date::into_value).transpose() {
            Ok(Some(v)) if upper_inclusive => Bound::Inclusive(Box::new(v)),
            Ok(Some(v)) => Bound::Exclusive(Box::new(v)),
            Ok(None) => Bound::Unbounded { inclusive: true },
            Err(e) => return Condition(Err(e)),
        };
        single(self.0, value(ValueKind::Range(Range { lower, upper })))
    }

    /// At or after: `field:[date TO *]`.
    pub fn since(&self, date: impl Into<Date>) -> Condition {
        self.range(Some(date.into()), None, true)
    }

    /// Strictly before: `field:[* TO date}`.
    pub fn before(&self, date: impl Into<Date>) -> Condition {
        self.range(None, Some(date.into()), false)
    }

    /// Between, both ends included: `field:[from TO to]`.
    pub fn between(&self, from: impl Into<Date>, to: impl Into<Date>) -> Condition {
        self.range(Some(from.into()), Some(to.into()), true)
    }

    /// Within the date: a whole day or month, or the instant itself.
    pub fn on(&self, date: impl Into<Date>) -> Condition {
        match date.into().into_value() {
            Ok(v) => single(self.0, v),
            Err(e) => Condition(Err(e)),
        }
    }
}

/// A whole-number field (`number`, `mailboxid`, `customerIds`, …).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IntegerField(&'static str);

fn integer(n: i64) -> Value {
    // A leading '-' is escaped by the printer, so negatives stay one term.
    value(ValueKind::Term(n.to_string().into()))
}

impl IntegerField {
    /// Equal to `n`: `field:n`.
    pub fn is(&self, n: i64) -> Condition {
        single(self.0, integer(n))
    }

    /// Any of these: `field:(1 OR 2)`.
    pub fn any_of(&self, numbers: impl IntoIterator<Item = i64>) -> Condition {
        group(self.0, Ok(numbers.into_iter().map(integer).collect()))
    }

    /// Between, both ends included: `field:[from TO to]`.
    pub fn between(&self, from: i64, to: i64) -> Condition {
        let range = Range {
            lower: Bound::Inclusive(Box::new(integer(from))),
            upper: Bound::Inclusive(Box::new(integer(to))),
        };
        single(self.0, value(ValueKind::Range(range)))
    }
}

/// A true/false field (`attachments`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BooleanField(&'static str);

impl BooleanField {
    /// `field:true` or `field:false`.
    pub fn is(&self, flag: bool) -> Condition {
        single(self.0, value(ValueKind::Term(flag.to_string().into())))
    }
}

/// Any text, searched in the schema's default fields: `"text"` with no field.
pub fn text(text: impl AsRef<str>) -> Condition {
    let text = text.as_ref();
    if text.is_empty() {
        return Condition(Err(BuildError::EmptyValue {
            field: crate::schema::DEFAULT_FIELDS.to_owned(),
        }));
    }
    Condition::leaf(Expr::new(
        ExprKind::Value(value(ValueKind::Phrase(text.into()))),
        Span::default(),
    ))
}

/// Declares field handles: one function per field, and (for tests) the
/// list of them, which is checked against the schema's field table.
macro_rules! handles {
    ($($(#[$doc:meta])* $fn:ident: $ty:ident = $name:literal;)*) => {
        $(
            $(#[$doc])*
            pub fn $fn() -> $ty {
                $ty::from_static($name)
            }
        )*

        /// Every handle: its field's name and its kind.
        #[cfg(test)]
        pub(crate) const HANDLES: &[(&str, super::Handle)] = &[$(($name, super::Handle::$ty),)*];
    };
}

/// The kind of a field handle, for checking handles against a schema.
#[cfg(test)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[allow(clippy::enum_variant_names)]
pub(crate) enum Handle {
    TextField,
    DateField,
    IntegerField,
    BooleanField,
}

/// The fields of `GET /v2/customers`.
pub mod customer {
    use super::{DateField, TextField};

    handles! {
        /// `firstName`.
        first_name: TextField = "firstName";
        /// `lastName`.
        last_name: TextField = "lastName";
        /// `email`: any of the customer's addresses.
        email: TextField = "email";
        /// `modifiedAt`: the record's `updatedAt`.
        modified_at: DateField = "modifiedAt";
        /// `createdAt` (used by clients; not in Help Scout's documentation).
        created_at: DateField = "createdAt";
    }
}

/// The fields of `GET /v2/conversations`.
pub mod conversation {
    use super::{BooleanField, DateField, IntegerField, TextField};

    handles! {
        /// `subject`.
        subject: TextField = "subject";
        /// `body`.
        body: TextField = "body";
        /// `tag`.
        tag: TextField = "tag";
        /// `email`.
        email: TextField = "email";
        /// `mailbox`: the mailbox's name.
        mailbox: TextField = "mailbox";
        /// `assigned`: the assignee's name, or `Unassigned`.
        assigned: TextField = "assigned";
        /// `status`.
        status: TextField = "status";
        /// `mailboxid`.
        mailbox_id: IntegerField = "mailboxid";
        /// `customerIds`.
        customer_ids: IntegerField = "customerIds";
        /// `number`.
        number: IntegerField = "number";
        /// `id`.
        id: IntegerField = "id";
        /// `replyUserIds`.
        reply_user_ids: IntegerField = "replyUserIds";
        /// `attachments`.
        attachments: BooleanField = "attachments";
        /// `createdAt`.
        created_at: DateField = "createdAt";
        /// `modifiedAt`.
        modified_at: DateField = "modifiedAt";
    }

    /// A custom field, `cf<id>`.
    pub fn custom_field(id: u64) -> TextField {
        TextField(format!("cf{id}"))
    }
}

impl TextField {
    fn from_static(name: &'static str) -> TextField {
        TextField(name.to_owned())
    }
}

impl DateField {
    fn from_static(name: &'static str) -> DateField {
        DateField(name)
    }
}

impl IntegerField {
    fn from_static(name: &'static str) -> IntegerField {
        IntegerField(name)
    }
}

impl BooleanField {
    fn from_static(name: &'static str) -> BooleanField {
        BooleanField(name)
    }
}

#[cfg(test)]
mod handles_tests {
    use super::{Handle, conversation, customer};
    use crate::schema::{self, FieldType, Schema};

    /// Every handle names a field of its schema with a matching type, and
    /// every documented field of the schema has a handle.
    fn check(schema: &Schema, handles: &[(&str, Handle)]) {
        for &(name, handle) in handles {
            let def = schema
                .field(name)
                .unwrap_or_else(|| panic!("{name} is not a {} field", schema.name));
            let expected = match def.ty {
                FieldType::Text | FieldType::ManyText => Handle::TextField,
                FieldType::Date | FieldType::DateSince => Handle::DateField,
                FieldType::Integer | FieldType::ManyInteger => Handle::IntegerField,
                FieldType::Boolean => Handle::BooleanField,
            };
            assert_eq!(handle, expected, "{}: {name}", schema.name);
        }
        for def in schema.fields.iter().filter(|d| d.documented) {
            assert!(
                handles.iter().any(|(name, _)| *name == def.name),
                "{}: the documented field {} has no builder handle",
                schema.name,
                def.name
            );
        }
    }

    #[test]
    fn handles_follow_the_schema_tables() {
        check(schema::customers(), customer::HANDLES);
        check(schema::conversations(), conversation::HANDLES);
    }
}
