package diff_test

import (
	"fmt"

	"github.com/kingletdb/kinglet/dialect"
	"github.com/kingletdb/kinglet/migrate/ddl"
	"github.com/kingletdb/kinglet/migrate/diff"
	"github.com/kingletdb/kinglet/migrate/schema"
)

// Two versions of the model of table accounts.
type (
	accountV1 struct {
		ID   int64  `db:"id,pk"`
		Name string `db:"name,size:50"`
	}
	accountV2 struct {
		ID    int64   `db:"id,pk"`
		Name  string  `db:"name,size:100"`
		Email *string `db:"email,size:254,unique"`
	}
)

func (accountV1) TableName() string { return "accounts" }
func (accountV2) TableName() string { return "accounts" }

// Schemas gives the operations from one schema to another, and ddl renders
// them for the engine: the next migration.
func ExampleSchemas() {
	current, _ := schema.FromModels(dialect.Postgres, &accountV1{})
	desired, _ := schema.FromModels(dialect.Postgres, &accountV2{})
	ops, err := diff.Schemas(dialect.Postgres, current, desired, diff.Options{})
	if err != nil {
		panic(err)
	}
	for _, op := range ops {
		fmt.Println(op)
	}
	stmts, err := ddl.Statements(dialect.Postgres, current, ops...)
	if err != nil {
		panic(err)
	}
	for _, s := range stmts {
		fmt.Println(s)
	}
	// Output:
	// alter type of accounts.name to VARCHAR(100)
	// add column accounts.email
	// add unique constraint uq_accounts_email on accounts (email)
	// ALTER TABLE "accounts" ALTER COLUMN "name" TYPE VARCHAR(100)
	// ALTER TABLE "accounts" ADD COLUMN "email" VARCHAR(254)
	// ALTER TABLE "accounts" ADD CONSTRAINT "uq_accounts_email" UNIQUE ("email")
}
