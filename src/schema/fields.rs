//! The field tables of the two endpoints (SPEC §4).

/// The type of a field, which decides what values it accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FieldType {
    /// Analysed text: terms, phrases, wildcards.
    Text,
    /// Analysed text with several values per record (emails): any value may match.
    ManyText,
    /// An instant: full dates, truncated dates (periods), date math, ranges.
    Date,
    /// A date field that means "at or after" (`modifiedSince`); no ranges.
    DateSince,
    /// A whole number, or a range of them.
    Integer,
    /// Several whole numbers per record (`customerIds`): any may match.
    ManyInteger,
    /// `true` or `false`.
    Boolean,
}

impl FieldType {
    /// The name used in messages.
    pub fn describe(self) -> &'static str {
        match self {
            FieldType::Text | FieldType::ManyText => "text",
            FieldType::Date | FieldType::DateSince => "a date",
            FieldType::Integer | FieldType::ManyInteger => "a whole number",
            FieldType::Boolean => "true or false",
        }
    }

    /// Whether a `[a TO b]` range makes sense for this type.
    pub fn can_range(self) -> bool {
        matches!(
            self,
            FieldType::Date
                | FieldType::Integer
                | FieldType::ManyInteger
                | FieldType::Text
                | FieldType::ManyText
        )
    }
}

impl std::fmt::Display for FieldType {
    /// What it takes, as messages say it: `text`, `a date`, …
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.describe())
    }
}

/// What an error or a typed query names for a value with no field: it
/// searches the schema's default fields.
pub const DEFAULT_FIELDS: &str = "(default fields)";

/// Which endpoint a schema describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Endpoint {
    /// `GET /v2/customers`: validated, built and evaluated over records.
    Customers,
    /// `GET /v2/conversations`: validated and built.
    Conversations,
}

/// One searchable field of an endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldDef {
    /// The name used in queries (case sensitive).
    pub name: &'static str,
    /// What values it takes.
    pub ty: FieldType,
    /// Whether Help Scout's current API documentation lists it for the
    /// endpoint; an undocumented field is a warning, not an error.
    pub documented: bool,
    /// What it is matched against in a record, for people.
    pub reads: &'static str,
    /// The customer record field the evaluator reads; `None` for endpoints
    /// that are validated and built but not evaluated (conversations).
    pub record: Option<RecordField>,
}

/// The fields of a customer record that queries read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RecordField {
    /// `firstName`.
    FirstName,
    /// `lastName`.
    LastName,
    /// Every `_embedded.emails[].value`.
    Emails,
    /// The host part of every email.
    EmailDomains,
    /// `createdAt`.
    CreatedAt,
    /// `updatedAt`.
    UpdatedAt,
}

/// The fields of one endpoint, and the fields a bare term searches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Schema {
    /// The endpoint.
    pub endpoint: Endpoint,
    /// The endpoint's name, for messages: `customers` or `conversations`.
    pub name: &'static str,
    /// The fields.
    pub fields: &'static [FieldDef],
    /// The fields an unfielded value searches (any of them may match).
    pub default_fields: &'static [&'static str],
    /// Whether `cf<digits>` custom fields (text) are accepted.
    pub custom_fields: bool,
}

const fn field(
    name: &'static str,
    ty: FieldType,
    documented: bool,
    reads: &'static str,
) -> FieldDef {
    FieldDef {
        name,
        ty,
        documented,
        reads,
        record: None,
    }
}

/// A customers field, with the record field the evaluator reads.
const fn customer_field(
    name: &'static str,
    ty: FieldType,
    documented: bool,
    reads: &'static str,
    record: RecordField,
) -> FieldDef {
    FieldDef {
        record: Some(record),
        ..field(name, ty, documented, reads)
    }
}

static CUSTOMERS: Schema = Schema {
    endpoint: Endpoint::Customers,
    name: "customers",
    fields: &[
        customer_field(
            "firstName",
            FieldType::Text,
            true,
            "firstName",
            RecordField::FirstName,
        ),
        customer_field(
            "lastName",
            FieldType::Text,
            true,
            "lastName",
            RecordField::LastName,
        ),
        customer_field(
            "email",
            FieldType::ManyText,
            true,
            "_embedded.emails[].value",
            RecordField::Emails,
        ),
        customer_field(
            "modifiedAt",
            FieldType::Date,
            true,
            "updatedAt",
            RecordField::UpdatedAt,
        ),
        customer_field(
            "createdAt",
            FieldType::Date,
            false,
            "createdAt",
            RecordField::CreatedAt,
        ),
        customer_field(
            "emailDomain",
            FieldType::ManyText,
            false,
            "the host part of _embedded.emails[].value",
            RecordField::EmailDomains,
        ),
        customer_field(
            "modifiedSince",
            FieldType::DateSince,
            false,
            "updatedAt, at or after the value",
            RecordField::UpdatedAt,
        ),
    ],
    default_fields: &["firstName", "lastName", "email"],
    custom_fields: false,
};

static CONVERSATIONS: Schema = Schema {
    endpoint: Endpoint::Conversations,
    name: "conversations",
    fields: &[
        field("subject", FieldType::Text, true, "subject"),
        field("body", FieldType::Text, true, "thread bodies"),
        field("tag", FieldType::ManyText, true, "tags"),
        field(
            "email",
            FieldType::ManyText,
            true,
            "customer email addresses",
        ),
        field("mailbox", FieldType::Text, true, "mailbox name"),
        field("mailboxid", FieldType::Integer, true, "mailbox id"),
        field("customerIds", FieldType::ManyInteger, true, "customer ids"),
        field("number", FieldType::Integer, true, "conversation number"),
        field("id", FieldType::Integer, true, "conversation id"),
        field(
            "assigned",
            FieldType::Text,
            true,
            "assignee name, or Unassigned",
        ),
        field(
            "attachments",
            FieldType::Boolean,
            true,
            "whether it has attachments",
        ),
        field(
            "replyUserIds",
            FieldType::ManyInteger,
            true,
            "ids of users who replied",
        ),
        field(
            "status",
            FieldType::Text,
            true,
            "status: active, pending, closed, spam",
        ),
        field("createdAt", FieldType::Date, true, "createdAt"),
        field("modifiedAt", FieldType::Date, true, "userUpdatedAt"),
    ],
    default_fields: &["subject", "body", "email"],
    custom_fields: true,
};

/// The `GET /v2/customers` schema (SPEC §4).
///
/// ```
/// let schema = helpscout_query::schema::customers();
/// assert_eq!(schema.field("modifiedAt").unwrap().reads, "updatedAt");
/// ```
pub fn customers() -> &'static Schema {
    &CUSTOMERS
}

/// The `GET /v2/conversations` schema (validation and building only).
pub fn conversations() -> &'static Schema {
    &CONVERSATIONS
}

/// A custom field `cf<digits>`: text, documented.
static CUSTOM_FIELD: FieldDef = field("cf", FieldType::Text, true, "custom field value");

impl Schema {
    /// The schema called `name` (`customers` or `conversations`).
    pub fn named(name: &str) -> Option<&'static Schema> {
        [customers(), conversations()]
            .into_iter()
            .find(|schema| schema.name == name)
    }

    /// The field called `name` exactly (names are case sensitive).
    pub fn field(&self, name: &str) -> Option<&'static FieldDef> {
        if let Some(def) = self.fields.iter().find(|def| def.name == name) {
            return Some(def);
        }
        let digits = name.strip_prefix("cf")?;
        let custom =
            self.custom_fields && !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit());
        custom.then_some(&CUSTOM_FIELD)
    }

    /// The known field closest to `name`: same letters in another case, or
    /// at most two edits away (`fistName` -> `firstName`).
    pub fn suggest(&self, name: &str) -> Option<&'static str> {
        let lower = crate::text::lowercase(name);
        if let Some(def) = self
            .fields
            .iter()
            .find(|def| crate::text::lowercase(def.name) == lower)
        {
            return Some(def.name);
        }
        let limit = if name.chars().count() <= 4 { 1 } else { 2 };
        self.fields
            .iter()
            .map(|def| {
                (
                    edit_distance(&crate::text::lowercase(def.name), &lower),
                    def.name,
                )
            })
            .filter(|&(distance, _)| distance <= limit)
            .min_by_key(|&(distance, _)| distance)
            .map(|(_, name)| name)
    }
}

/// Levenshtein distance over characters, in O(len(a) * len(b)) time and
/// O(len(b)) memory. Field names are short; callers bound the input anyway.
pub(crate) fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let substitution = diagonal + usize::from(ca != cb);
            diagonal = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(diagonal + 1);
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_counts_insertions_deletions_substitutions() {
        assert_eq!(edit_distance("firstname", "firstname"), 0);
        assert_eq!(edit_distance("firstname", "fistname"), 1);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
    }

    #[test]
    fn suggestions() {
        let schema = customers();
        assert_eq!(schema.suggest("firstname"), Some("firstName"));
        assert_eq!(schema.suggest("fistName"), Some("firstName"));
        assert_eq!(schema.suggest("emial"), Some("email"));
        assert_eq!(schema.suggest("organization"), None);
    }

    #[test]
    fn custom_fields_only_where_the_schema_has_them() {
        assert!(conversations().field("cf123").is_some());
        assert!(conversations().field("cf").is_none());
        assert!(conversations().field("cfx").is_none());
        assert!(customers().field("cf123").is_none());
    }
}
