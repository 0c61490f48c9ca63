//! The literals every match of a compiled query must contain: what a
//! prefilter may look for in a record's raw text before parsing it.
//!
//! The answer is a conjunction of groups of alternatives: a record that
//! matches holds, for every group, at least one of its literals in one of
//! its searchable fields, lower-cased ([`crate::text::lowercase_char`]).
//! Only necessary conditions are derived, never sufficient ones: a record
//! holding the literals still goes through the matcher.
//!
//! - a term or phrase (its tokens, [`Check::Tokens`]) requires each token;
//!   of a token with non-ASCII letters only its longest ASCII run is kept,
//!   so the literals are ASCII and can be searched for ASCII
//!   case-insensitively (the caller must send records holding a character
//!   that lower-cases to ASCII, or a JSON escape, through the matcher);
//! - AND requires what each operand requires;
//! - OR requires one of its operands' literals only when every operand has
//!   some: the best group of each, merged into one group of alternatives
//!   (an alternative that holds another is dropped: `john` covers `johnny`);
//! - NOT, wildcards, fuzzy terms, ranges and dates require nothing.
//!
//! Literals shorter than [`MIN_LITERAL`] bytes are dropped: they occur in
//! almost every record, and looking for them would cost more than it saves.

use super::matcher::{Check, Matcher, Node, Source};

/// The shortest literal worth searching for, in bytes.
pub(crate) const MIN_LITERAL: usize = 3;

/// The most groups kept (the longest ones): each is one more search.
const MAX_GROUPS: usize = 4;

/// Groups of alternatives, all of which a matching record satisfies.
pub(crate) type Required = Vec<Vec<String>>;

impl Matcher {
    /// What every record this matcher accepts contains (see the module doc).
    pub(crate) fn required_literals(&self) -> Required {
        required(&self.root)
    }
}

/// What every record accepted by all of `matchers` (ANDed) contains, the
/// most selective-looking groups first (longest shortest alternative, then
/// fewest alternatives), at most [`MAX_GROUPS`] of them.
pub(crate) fn required_by_all<'a>(matchers: impl IntoIterator<Item = &'a Matcher>) -> Required {
    let mut groups: Required = Vec::new();
    for matcher in matchers {
        for group in matcher.required_literals() {
            if !groups.contains(&group) {
                groups.push(group);
            }
        }
    }
    groups.sort_by_key(|g| (std::cmp::Reverse(shortest(g)), g.len()));
    groups.truncate(MAX_GROUPS);
    groups
}

/// The length of a group's shortest alternative.
fn shortest(group: &[String]) -> usize {
    group.iter().map(String::len).min().unwrap_or(0)
}

fn required(node: &Node) -> Required {
    match node {
        Node::And(nodes) => {
            let mut groups: Required = Vec::new();
            for group in nodes.iter().flat_map(required) {
                if !groups.contains(&group) {
                    groups.push(group);
                }
            }
            groups
        }
        Node::Or(nodes) => {
            // An empty OR matches nothing: requiring nothing stays sound.
            let mut merged: Vec<String> = Vec::new();
            for node in nodes {
                let groups = required(node);
                let Some(best) = groups
                    .into_iter()
                    .max_by_key(|g| (shortest(g), std::cmp::Reverse(g.len())))
                else {
                    return Vec::new();
                };
                for literal in best {
                    if !merged.contains(&literal) {
                        merged.push(literal);
                    }
                }
            }
            // A literal holding another is found wherever it is: only the
            // shorter one is searched for (`john` covers `johnny`).
            let minimal: Vec<String> = merged
                .iter()
                .filter(|l| !merged.iter().any(|m| m != *l && l.contains(m.as_str())))
                .cloned()
                .collect();
            if minimal.is_empty() {
                Vec::new()
            } else {
                vec![minimal]
            }
        }
        Node::Not(_) => Vec::new(),
        Node::Clause(inner) | Node::Boost(inner, _) => required(inner),
        Node::Leaf(source, Check::Tokens(tokens)) => match source {
            Source::FirstName
            | Source::LastName
            | Source::Emails
            | Source::EmailDomains
            | Source::Default => {
                let mut groups: Required = Vec::new();
                for token in tokens {
                    if let Some(run) = longest_ascii_run(token.as_str()) {
                        let group = vec![run.to_owned()];
                        if !groups.contains(&group) {
                            groups.push(group);
                        }
                    }
                }
                groups
            }
            Source::CreatedAt | Source::UpdatedAt => Vec::new(),
        },
        Node::Leaf(_, _) => Vec::new(),
    }
}

/// The longest run of ASCII characters in `token`, if it is at least
/// [`MIN_LITERAL`] bytes long.
fn longest_ascii_run(token: &str) -> Option<&str> {
    token
        .split(|c: char| !c.is_ascii())
        .max_by_key(|run| run.len())
        .filter(|run| run.len() >= MIN_LITERAL)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{ParseOptions, schema, validate};

    fn literals(query: &str) -> Required {
        let typed = validate(query, schema::customers(), &ParseOptions::default())
            .query
            .unwrap();
        let matcher = Matcher::compile(&typed, jiff::Timestamp::UNIX_EPOCH).unwrap();
        required_by_all([&matcher])
    }

    #[test]
    fn what_each_query_requires() {
        let cases: &[(&str, &[&[&str]])] = &[
            ("firstName:John", &[&["john"]]),
            (
                "lastName:\"Van Der Berg\"",
                &[&["berg"], &["van"], &["der"]],
            ),
            ("John AND email:example.com", &[&["example.com"], &["john"]]),
            ("John OR Jane", &[&["john", "jane"]]),
            (
                "(firstName:\"John\" OR firstName:\"Johnny\") AND email:\"example.com\"",
                &[&["example.com"], &["john"]],
            ),
            ("John OR createdAt:2020", &[]),
            ("NOT John", &[]),
            ("John AND NOT Jane", &[&["john"]]),
            ("Jo*", &[]),
            ("john~1", &[]),
            ("firstName:[a TO c]", &[]),
            ("*:*", &[]),
            ("Søren", &[&["ren"]]),
            ("Zoë", &[]),
            ("Jo", &[]),
            ("email:(a@x.com OR b@x.com)", &[&["x.com"]]),
            ("lastName:\".\"", &[]),
        ];
        for (query, expected) in cases {
            let expected: Required = expected
                .iter()
                .map(|g| g.iter().map(|s| (*s).to_owned()).collect())
                .collect();
            assert_eq!(literals(query), expected, "{query}");
        }
    }
}
