//! Lowering: syntax tree + schema -> typed query, or errors with spans.
//!
//! Every error is collected (not just the first), so a user sees all unknown
//! fields at once. Decisions written down here and in `grammar.md`:
//! - a date written where text is expected searches its canonical text;
//! - a bare four-digit year (`2014`) on a date field is that whole year;
//! - a quoted date (`modifiedSince:"2013-11-20T00:00:00Z"`, as Help Scout's
//!   docs write it) is read as a date on date fields;
//! - integers and booleans accept quoted values too (`mailboxid:"100"`).

use std::ops::Bound as StdBound;

use crate::diagnostic::{Code, Diagnostic, Severity, diagnostic_kind};
use crate::syntax::ast::{
    Bound, Clause, ClauseValue, DateAnchor, DateExpr, Expr, ExprKind, Query, Span, Value,
    ValueKind, WildcardPart,
};
use crate::syntax::date::date_from_text;

use super::fields::{DEFAULT_FIELDS, FieldDef, FieldType, Schema};
use super::typed::{
    DateTest, DateValue, IntegerTest, Predicate, Target, Test, TextTest, TypedNode, TypedQuery,
};

/// Why a query does not fit a schema.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SchemaErrorKind {
    /// The field is not in the schema.
    #[error("unknown field '{name}' for {}", schema.name)]
    UnknownField {
        /// The field as written (past 64 characters, cut short and ended
        /// with `…`).
        name: String,
        /// The schema.
        schema: &'static Schema,
        /// The closest known field.
        suggestion: Option<&'static str>,
    },
    /// A value of the wrong type for its field.
    #[error("'{field}' takes {expected}, not {found}")]
    WrongType {
        /// The field.
        field: &'static str,
        /// What the field takes.
        expected: FieldType,
        /// What was given, described.
        found: String,
    },
    /// A date that does not exist, written in quotes.
    #[error("invalid date: {reason}")]
    InvalidDate {
        /// What is wrong.
        reason: String,
    },
    /// A range on a field whose values have no order.
    #[error("'{field}' cannot take a range: it is {ty}")]
    RangeNotAllowed {
        /// The field.
        field: &'static str,
        /// Its type, described.
        ty: &'static str,
    },
}

impl SchemaErrorKind {
    /// The stable code, as listed in `grammar.md`.
    pub fn code(&self) -> Code {
        match self {
            SchemaErrorKind::UnknownField { .. } => Code::UnknownField,
            SchemaErrorKind::WrongType { .. } => Code::WrongType,
            SchemaErrorKind::InvalidDate { .. } => Code::InvalidDate,
            SchemaErrorKind::RangeNotAllowed { .. } => Code::RangeNotAllowed,
        }
    }

    /// What to do about it.
    pub fn hint(&self) -> Option<String> {
        match self {
            SchemaErrorKind::UnknownField {
                suggestion: Some(name),
                ..
            } => Some(format!("did you mean `{name}`?")),
            SchemaErrorKind::UnknownField { schema, .. } => {
                let fields: Vec<&str> = schema.fields.iter().map(|f| f.name).collect();
                let custom = if schema.custom_fields { ", cf<id>" } else { "" };
                Some(format!(
                    "field names are case sensitive; {} has {}{custom}",
                    schema.name,
                    fields.join(", ")
                ))
            }
            SchemaErrorKind::WrongType { expected, .. } => Some(match expected {
                FieldType::Date | FieldType::DateSince => {
                    "write yyyy, yyyy-MM, yyyy-MM-dd, yyyy-MM-ddTHH:mm:ssZ or NOW-1DAY".to_owned()
                }
                FieldType::Integer | FieldType::ManyInteger => {
                    "write digits only, as in number:123".to_owned()
                }
                FieldType::Boolean => "write true or false".to_owned(),
                FieldType::Text | FieldType::ManyText => "quote the value".to_owned(),
            }),
            SchemaErrorKind::InvalidDate { .. } => {
                Some("dates are yyyy, yyyy-MM, yyyy-MM-dd or yyyy-MM-ddTHH:mm:ssZ".to_owned())
            }
            SchemaErrorKind::RangeNotAllowed { .. } => {
                Some("search a value instead, or use a date or number field".to_owned())
            }
        }
    }
}

/// A schema error at a place in the query.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind} (at byte {})", span.start)]
pub struct SchemaError {
    /// What is wrong.
    pub kind: SchemaErrorKind,
    /// Where.
    pub span: Span,
}

/// Something that fits the schema but may not do what the user thinks.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SchemaWarningKind {
    /// The field works in practice (or did), but Help Scout's documentation
    /// does not list it for this endpoint.
    #[error("'{field}' is not documented by Help Scout for {schema}; it may stop working")]
    UndocumentedField {
        /// The field.
        field: &'static str,
        /// The schema's name.
        schema: &'static str,
    },
    /// A text value with no words (`lastName:"."`): Lucene's analyser turns
    /// it into nothing and its parser drops the clause, so Help Scout ignores
    /// it. hsq ignores it too (a query made only of such clauses matches
    /// nothing).
    #[error("{value} has no letters or digits: Help Scout's search (Lucene) ignores this clause")]
    NoWords {
        /// The value, as the canonical form writes it.
        value: String,
    },
}

impl SchemaWarningKind {
    /// The stable code, as listed in `grammar.md`.
    pub fn code(&self) -> Code {
        match self {
            SchemaWarningKind::UndocumentedField { .. } => Code::UndocumentedField,
            SchemaWarningKind::NoWords { .. } => Code::NoWords,
        }
    }

    /// What to do about it.
    pub fn hint(&self) -> Option<String> {
        match self {
            SchemaWarningKind::UndocumentedField { field, .. } => Some(match *field {
                "modifiedSince" => "use modifiedAt:[yyyy-MM-ddTHH:mm:ssZ TO *]".to_owned(),
                "emailDomain" => "use email:\"example.com\"".to_owned(),
                "createdAt" => {
                    "clients use it, but Help Scout documents only modifiedAt for dates".to_owned()
                }
                _ => "check the endpoint's documentation".to_owned(),
            }),
            SchemaWarningKind::NoWords { .. } => {
                Some("remove the clause (hsq fmt --fix does): it searches for nothing".to_owned())
            }
        }
    }
}

/// A schema warning at a place in the query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaWarning {
    /// What may be misread.
    pub kind: SchemaWarningKind,
    /// Where.
    pub span: Span,
}

diagnostic_kind!(SchemaErrorKind, SchemaWarningKind);

impl From<&SchemaError> for Diagnostic {
    fn from(error: &SchemaError) -> Diagnostic {
        Diagnostic::of(Severity::Error, &error.kind, error.span)
    }
}

impl From<&SchemaWarning> for Diagnostic {
    fn from(warning: &SchemaWarning) -> Diagnostic {
        Diagnostic::of(Severity::Warning, &warning.kind, warning.span)
    }
}

/// A query that fits the schema, with the warnings it raised.
#[derive(Debug, Clone, PartialEq)]
pub struct Resolved {
    /// The typed query.
    pub query: TypedQuery,
    /// Warnings, in query order.
    pub warnings: Vec<SchemaWarning>,
}

/// Why a query does not fit the schema: at least one error.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", errors.first().map(ToString::to_string).unwrap_or_default())]
pub struct SchemaErrors {
    /// The errors, in query order; never empty.
    pub errors: Vec<SchemaError>,
    /// The warnings found as well.
    pub warnings: Vec<SchemaWarning>,
}

impl Schema {
    /// Resolves a parsed query against this schema.
    ///
    /// ```
    /// use helpscout_query::schema::customers;
    /// let query = "fistName:John".parse().unwrap();
    /// let errors = customers().resolve(&query).unwrap_err();
    /// assert_eq!(errors.errors[0].kind.code(), "unknown-field");
    /// assert_eq!(errors.errors[0].kind.hint().unwrap(), "did you mean `firstName`?");
    /// ```
    pub fn resolve(&'static self, query: &Query) -> Result<Resolved, SchemaErrors> {
        let mut lowering = Lowering {
            schema: self,
            errors: Vec::new(),
            warnings: Vec::new(),
        };
        let root = lowering.expr(&query.root, None);
        match (root, lowering.errors.is_empty()) {
            (Some(root), true) => Ok(Resolved {
                query: TypedQuery { schema: self, root },
                warnings: lowering.warnings,
            }),
            _ => Err(SchemaErrors {
                errors: lowering.errors,
                warnings: lowering.warnings,
            }),
        }
    }
}

struct Lowering {
    schema: &'static Schema,
    errors: Vec<SchemaError>,
    warnings: Vec<SchemaWarning>,
}

impl Lowering {
    fn error(&mut self, kind: SchemaErrorKind, span: Span) {
        self.errors.push(SchemaError { kind, span });
    }

    /// Lowers a node; `field` is the enclosing field group's field, if any.
    fn expr(&mut self, expr: &Expr, field: Option<&'static FieldDef>) -> Option<TypedNode> {
        match &expr.kind {
            ExprKind::And { operands } => self.all(operands, field).map(TypedNode::And),
            ExprKind::Or { operands } => self.all(operands, field).map(TypedNode::Or),
            ExprKind::Not { operand } => self
                .expr(operand, field)
                .map(|node| TypedNode::Not(Box::new(node))),
            ExprKind::Clause(clause) => self.clause(clause),
            ExprKind::Value(value) => match field {
                Some(def) => self.value(def, value),
                None => self.default_value(value),
            },
            ExprKind::MatchAll => Some(TypedNode::MatchAll),
            ExprKind::Boost { operand, boost } => {
                // Past a float's range (Lucene's is infinite) the largest
                // float: the score never becomes infinite times nothing.
                self.expr(operand, field).map(|node| TypedNode::Boost {
                    node: Box::new(node),
                    boost: boost.value().min(f32::MAX),
                })
            }
        }
    }

    /// Lowers every operand, so that every error is reported.
    fn all(
        &mut self,
        operands: &[Expr],
        field: Option<&'static FieldDef>,
    ) -> Option<Vec<TypedNode>> {
        let lowered: Vec<Option<TypedNode>> =
            operands.iter().map(|e| self.expr(e, field)).collect();
        lowered.into_iter().collect()
    }

    fn clause(&mut self, clause: &Clause) -> Option<TypedNode> {
        let name = clause.field.name.as_str();
        let Some(def) = self.schema.field(name) else {
            self.error(
                SchemaErrorKind::UnknownField {
                    name: crate::diagnostic::quoted(name),
                    schema: self.schema,
                    suggestion: self.schema.suggest(name),
                },
                clause.field.span,
            );
            return None;
        };
        if !def.documented {
            self.warnings.push(SchemaWarning {
                kind: SchemaWarningKind::UndocumentedField {
                    field: def.name,
                    schema: self.schema.name,
                },
                span: clause.field.span,
            });
        }
        match &clause.value {
            ClauseValue::Single { value } => self.value(def, value),
            ClauseValue::Group { expr } => self
                .expr(expr, Some(def))
                .map(|node| TypedNode::Group(Box::new(node))),
        }
    }

    /// An unfielded value: text over the default fields.
    fn default_value(&mut self, value: &Value) -> Option<TypedNode> {
        let test = match &value.kind {
            ValueKind::Range(_) => {
                // The parser rejects a bare range; a hand-built tree may not.
                self.error(
                    SchemaErrorKind::RangeNotAllowed {
                        field: DEFAULT_FIELDS,
                        ty: FieldType::Text.describe(),
                    },
                    value.span,
                );
                return None;
            }
            _ => text_test(value)?,
        };
        self.check_words(&test, value);
        Some(predicate(Target::Default, Test::Text(test), value.span))
    }

    fn value(&mut self, def: &'static FieldDef, value: &Value) -> Option<TypedNode> {
        let target = Target::Field(def);
        if let ValueKind::Range(range) = &value.kind {
            if !def.ty.can_range() {
                self.error(
                    SchemaErrorKind::RangeNotAllowed {
                        field: def.name,
                        ty: def.ty.describe(),
                    },
                    value.span,
                );
                return None;
            }
            let test = match def.ty {
                FieldType::Text | FieldType::ManyText => {
                    let text = |_: &mut Self, v: &Value| Some(range_text(v));
                    let lower = self.bound(&range.lower, text);
                    let upper = self.bound(&range.upper, text);
                    Test::Text(TextTest::Range {
                        lower: lower?,
                        upper: upper?,
                    })
                }
                FieldType::Date => {
                    let lower = self.bound(&range.lower, |this, v| this.date(def, v));
                    let upper = self.bound(&range.upper, |this, v| this.date(def, v));
                    Test::Date(DateTest::Range {
                        lower: lower?,
                        upper: upper?,
                    })
                }
                _ => {
                    let lower = self.bound(&range.lower, |this, v| this.integer(def, v));
                    let upper = self.bound(&range.upper, |this, v| this.integer(def, v));
                    Test::Integer(IntegerTest::Range {
                        lower: lower?,
                        upper: upper?,
                    })
                }
            };
            return Some(predicate(target, test, value.span));
        }
        if is_any(value) {
            // `field:*`, Solr's "the field has a value": an open range on
            // dates and numbers (on text, the wildcard: any token).
            match def.ty {
                FieldType::Date => {
                    let test = DateTest::Range {
                        lower: StdBound::Unbounded,
                        upper: StdBound::Unbounded,
                    };
                    return Some(predicate(target, Test::Date(test), value.span));
                }
                FieldType::Integer | FieldType::ManyInteger => {
                    let test = IntegerTest::Range {
                        lower: StdBound::Unbounded,
                        upper: StdBound::Unbounded,
                    };
                    return Some(predicate(target, Test::Integer(test), value.span));
                }
                _ => {}
            }
        }
        let test = match def.ty {
            FieldType::Text | FieldType::ManyText => {
                let test = text_test(value)?;
                self.check_words(&test, value);
                Test::Text(test)
            }
            FieldType::Date => Test::Date(DateTest::Within(self.date(def, value)?)),
            FieldType::DateSince => Test::Date(DateTest::AtOrAfter(self.date(def, value)?)),
            FieldType::Integer | FieldType::ManyInteger => {
                Test::Integer(IntegerTest::Equals(self.integer(def, value)?))
            }
            FieldType::Boolean => Test::Boolean(self.boolean(def, value)?),
        };
        Some(predicate(target, test, value.span))
    }

    /// Warns about a term or phrase with no words (wildcards are not analysed).
    fn check_words(&mut self, test: &TextTest, value: &Value) {
        if let TextTest::Term(text) | TextTest::Phrase(text) = test {
            if !has_words(text) {
                self.warnings.push(SchemaWarning {
                    kind: SchemaWarningKind::NoWords {
                        value: value.to_string(),
                    },
                    span: value.span,
                });
            }
        }
    }

    fn wrong_type(&mut self, def: &'static FieldDef, value: &Value) {
        self.error(
            SchemaErrorKind::WrongType {
                field: def.name,
                expected: def.ty,
                found: describe(value),
            },
            value.span,
        );
    }

    fn date(&mut self, def: &'static FieldDef, value: &Value) -> Option<DateValue> {
        let text = match &value.kind {
            ValueKind::Date(date) => return Some(date_value(date)),
            ValueKind::Term(text) | ValueKind::Phrase(text) => text,
            _ => {
                self.wrong_type(def, value);
                return None;
            }
        };
        if text.len() == 4 && text.bytes().all(|b| b.is_ascii_digit()) {
            let year = text.parse().ok()?;
            return Some(DateValue::Period {
                year,
                month: None,
                day: None,
            });
        }
        match date_from_text(text) {
            Ok(Some(date)) => Some(date_value(&date)),
            Ok(None) => {
                self.wrong_type(def, value);
                None
            }
            Err(error) => {
                let reason = match error.kind {
                    crate::ErrorKind::InvalidDate { reason } => reason,
                    other => other.to_string(),
                };
                self.error(SchemaErrorKind::InvalidDate { reason }, value.span);
                None
            }
        }
    }

    fn integer(&mut self, def: &'static FieldDef, value: &Value) -> Option<i64> {
        let parsed = match &value.kind {
            ValueKind::Term(text) | ValueKind::Phrase(text) => text.trim().parse::<i64>().ok(),
            _ => None,
        };
        if parsed.is_none() {
            self.wrong_type(def, value);
        }
        parsed
    }

    /// One end of a range, its value read by `read` (a date or an integer).
    fn bound<T>(
        &mut self,
        bound: &Bound,
        read: impl FnOnce(&mut Self, &Value) -> Option<T>,
    ) -> Option<StdBound<T>> {
        Some(match bound {
            Bound::Inclusive(value) => StdBound::Included(read(self, value)?),
            Bound::Exclusive(value) => StdBound::Excluded(read(self, value)?),
            Bound::Unbounded { .. } => StdBound::Unbounded,
        })
    }

    fn boolean(&mut self, def: &'static FieldDef, value: &Value) -> Option<bool> {
        let parsed = match &value.kind {
            ValueKind::Term(text) | ValueKind::Phrase(text) => match text.as_str() {
                "true" => Some(true),
                "false" => Some(false),
                _ => None,
            },
            _ => None,
        };
        if parsed.is_none() {
            self.wrong_type(def, value);
        }
        parsed
    }
}

/// Whether `text` holds at least one word as the evaluator's analyser
/// ([`tokens`](crate::eval::analysis::tokens)) segments it: a value without
/// one searches for nothing, and Lucene drops its clause. Kept here, upstream
/// of the evaluator, so that data flows one way; a test in `eval::analysis`
/// checks that both agree.
///
/// ```
/// use helpscout_query::schema::has_words;
/// assert!(has_words("j.a"));
/// assert!(!has_words(" . @ -- "));
/// ```
pub fn has_words(text: &str) -> bool {
    crate::text::has_words(text)
}

fn predicate(target: Target, test: Test, span: Span) -> TypedNode {
    TypedNode::Predicate(Predicate { target, test, span })
}

/// A value read as text; `None` only for a range, which callers handle first.
fn text_test(value: &Value) -> Option<TextTest> {
    Some(match &value.kind {
        ValueKind::Term(text) => TextTest::Term(text.to_string()),
        ValueKind::Phrase(text) => TextTest::Phrase(text.to_string()),
        ValueKind::Wildcard(wildcard) => TextTest::Wildcard(wildcard.clone()),
        ValueKind::Fuzzy(fuzzy) => TextTest::Fuzzy {
            text: crate::text::lowercase(&fuzzy.text).into_owned(),
            edits: fuzzy.edits,
        },
        // A date where text is expected searches its canonical text.
        ValueKind::Date(_) => TextTest::Term(value.to_string()),
        ValueKind::Regex(regex) => TextTest::Regex {
            pattern: regex.pattern.clone(),
        },
        ValueKind::Range(_) => return None,
    })
}

/// Whether `value` is `*` alone.
fn is_any(value: &Value) -> bool {
    matches!(&value.kind, ValueKind::Wildcard(w) if matches!(w.parts.as_slice(), [WildcardPart::AnyRun]))
}

/// A bound of a text range: its text (a date's canonical text), lower-cased
/// code point by code point, not split into words (Lucene's `normalize`).
fn range_text(value: &Value) -> String {
    let text = match &value.kind {
        ValueKind::Term(text) | ValueKind::Phrase(text) => text.to_string(),
        _ => value.to_string(),
    };
    crate::text::lowercase(&text).into_owned()
}

fn date_value(date: &DateExpr) -> DateValue {
    match &date.anchor {
        DateAnchor::Now => DateValue::Now {
            math: date.math.clone(),
        },
        DateAnchor::Full { timestamp } => DateValue::Instant {
            timestamp: *timestamp,
            math: date.math.clone(),
        },
        DateAnchor::Truncated(truncated) => DateValue::Period {
            year: truncated.year,
            month: Some(truncated.month),
            day: truncated.day,
        },
    }
}

/// How a value is described in a wrong-type message.
fn describe(value: &Value) -> String {
    use crate::diagnostic::quoted;
    match &value.kind {
        ValueKind::Term(text) => format!("the text '{}'", quoted(text)),
        ValueKind::Phrase(text) => format!("the text \"{}\"", quoted(text)),
        ValueKind::Wildcard(_) => format!("the wildcard {value}"),
        ValueKind::Fuzzy(_) => format!("the fuzzy term {value}"),
        ValueKind::Date(_) => format!("the date {value}"),
        ValueKind::Range(_) => format!("the range {value}"),
        ValueKind::Regex(_) => format!("the regular expression {value}"),
    }
}
