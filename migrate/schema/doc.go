// Package schema describes a database schema — tables with their columns,
// primary key, indexes, foreign keys and checks — and reads it from a live
// database (Inspect) or from model structs (FromModels), one spelling for
// every engine, so that two schemas compare:
//
//	live, err := schema.Inspect(ctx, db, dialect.Postgres)     // every user table
//	users, err := schema.InspectTable(ctx, db, d, "users")      // or one; ErrNoTable
//	want, err := schema.FromModels(d, &User{}, &Tweet{})        // as orm.CreateTables makes them
//	for _, t := range live.Tables {
//		fmt.Println(t.Name, len(t.Columns), t.PrimaryKey)
//	}
//
// Package diff compares two schemas, package ddl changes one, package gen
// writes Go models for one.
//
// # Per engine
//
// Each engine's catalog is read in its own file: inspect_sqlite.go
// (sqlite_master, its pragmas, and the CREATE TABLE text parsed in
// parse_sqlite.go for the names and checks SQLite keeps nowhere else),
// inspect_postgres.go (pg_catalog) and inspect_mysql.go
// (information_schema, MySQL 8 and MariaDB). Types come back as
// NormalizeType spells them, defaults in one spelling per engine, and the
// quirks are smoothed over so that a table created from models inspects as
// FromModels describes it: names SQLite does not keep are derived as models
// derive them, MariaDB's JSON columns are json without their json_valid
// check, and the indexes MySQL adds for foreign keys are left out.
package schema
