// Package sqltext reads SQL text the way each engine family writes it: a
// lexer that honours quotes and comments (Lex), the canonical spelling of
// column types, defaults and CHECK or index predicates as catalogs report
// them (NormalizeType, NormalizeDefault, CanonExpr, DefaultsEqual), and the
// engine family a dialect belongs to (FamilyOf), told by its capabilities.
//
// Package schema normalises what Inspect reads with it, and package diff
// compares with it, so that a database created from models diffs empty
// against them. The migration runner splits files with its own lexer
// (migrate.Split), which must keep every byte; this one drops comments.
package sqltext
