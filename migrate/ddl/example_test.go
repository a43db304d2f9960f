package ddl_test

import (
	"fmt"

	"github.com/kingletdb/kinglet/dialect"
	"github.com/kingletdb/kinglet/fields"
	"github.com/kingletdb/kinglet/migrate/ddl"
	"github.com/kingletdb/kinglet/migrate/schema"
)

// Statements renders operations for one engine; the same ops render for
// every engine.
func ExampleStatements() {
	ops := []ddl.Op{
		ddl.AddColumn{Table: "users", Column: schema.Column{Name: "active",
			Of: fields.ColumnType{Kind: fields.KindBool}, Default: "TRUE", HasDefault: true}},
		ddl.AddIndex{Table: "users", Index: schema.Index{Name: "users_active", Columns: []string{"active"}}},
	}
	for _, d := range []dialect.Dialect{dialect.Postgres, dialect.MySQL} {
		stmts, err := ddl.Statements(d, nil, ops...)
		if err != nil {
			fmt.Println(err)
			return
		}
		for _, s := range stmts {
			fmt.Println(s)
		}
	}
	// Output:
	// ALTER TABLE "users" ADD COLUMN "active" BOOLEAN NOT NULL DEFAULT TRUE
	// CREATE INDEX "users_active" ON "users" ("active")
	// ALTER TABLE `users` ADD COLUMN `active` BOOLEAN NOT NULL DEFAULT TRUE
	// CREATE INDEX `users_active` ON `users` (`active`)
}
