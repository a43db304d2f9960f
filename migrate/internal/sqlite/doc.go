// Package sqlite holds what the migration runner and the schema operations
// (package ddl) both do on SQLite: read a pragma, and check foreign keys
// after statements ran with them off (PRAGMA foreign_key_check), naming
// the rows that reference a missing parent.
package sqlite
