// Package lint warns about schema changes that lock or rewrite a big table,
// or lose data, before they run: a NOT NULL column added without a
// default, a column type change that rewrites the table, an index built
// without CONCURRENTLY on PostgreSQL, a dropped column or table, a SQLite
// table rebuild. Each Warning names the engine, says what happens there and
// suggests a safer sequence:
//
//	ws := lint.Statements(dialect.Postgres, stmts)       // a migration's SQL
//	ws, err := lint.Ops(d, current, ops)                 // a diff's operations
//	for _, w := range ws {
//		fmt.Println(w)                                   // postgres: users: …; safer: …
//	}
//
// kinglet migrate lint runs Statements over the migrations' SQL files;
// kinglet diff runs Ops over the changes it writes. Tables created by the
// same migration are empty: changes to them are not reported.
package lint
