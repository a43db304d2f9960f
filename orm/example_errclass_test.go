package orm_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/kingletdb/kinglet/orm"
)

// ExampleClassify tells a duplicate from other errors by the driver's code:
// with errors.Is on an error kinglet returns, with Classify on one taken
// from the driver directly.
func ExampleClassify() {
	type Account struct {
		ID    int64  `db:"id,pk"`
		Email string `db:"email,unique,size:128"`
	}
	ctx := context.Background()
	db, err := orm.Open(ctx, "sqlite::memory:")
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	if err := db.CreateTables(ctx, &Account{}); err != nil {
		log.Fatal(err)
	}
	if err := db.Insert(ctx, &Account{Email: "ada@example.com"}); err != nil {
		log.Fatal(err)
	}

	err = db.Insert(ctx, &Account{Email: "ada@example.com"})
	fmt.Println(errors.Is(err, orm.ErrUniqueViolation), orm.IsRetryable(err))
	fmt.Println(err)

	_, err = db.SQL().ExecContext(ctx, "INSERT INTO accounts (email) VALUES ('ada@example.com')")
	fmt.Println(orm.Classify(err))
	// Output:
	// true false
	// kinglet: orm: insert into accounts: unique violation: constraint failed: UNIQUE constraint failed: accounts.email (2067)
	// kinglet: orm: unique violation
}
