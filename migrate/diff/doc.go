// Package diff compares two schemas and returns the ddl operations that
// turn one into the other, in an order that applies one after the other:
//
//	up, err := diff.Models(ctx, db, d, diff.Options{}, &User{}, &Tweet{}) // database -> models
//	sqls, err := ddl.Statements(d, current, up...)                       // as SQL, for a migration
//
//	up, err := diff.Schemas(d, current, desired, diff.Options{})
//	down, err := diff.Schemas(d, desired, current, diff.Options{Destructive: true})
//
// Types, defaults, checks and index predicates are compared in one
// spelling per engine (see schema.NormalizeType), so the diff of a database
// against the models it was created from is empty. Dropping tables and
// columns is left out unless Options.Destructive is set; the down migration
// of a diff is the diff the other way round, destructive. The runner's
// history tables are never part of a diff.
package diff
