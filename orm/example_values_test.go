package orm_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"math"

	"github.com/kingletdb/kinglet/orm"
)

type exContact struct {
	ID    int64   `db:"id,pk"`
	Name  string  `db:"name"`
	Email *string `db:"email"` // nullable
	Score float64 `db:"score"`
}

func (exContact) TableName() string { return "contacts" }

// ExampleNullField compares a nullable column with a plain value, with NULL,
// and with an optional value; the handle from Field does the same with a
// pointer, nil meaning IS NULL.
func ExampleNullField() {
	ctx := context.Background()
	db, err := orm.Open(ctx, "sqlite::memory:")
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	if err := db.CreateTables(ctx, &exContact{}); err != nil {
		log.Fatal(err)
	}
	ann := "ann@example.com"
	if err := db.InsertMany(ctx, []exContact{{Name: "ann", Email: &ann}, {Name: "bob"}}); err != nil {
		log.Fatal(err)
	}

	email := orm.NullField(func(c *exContact) **string { return &c.Email })
	names := func(q orm.SelectQuery[exContact]) []string {
		cs, err := q.All(ctx)
		if err != nil {
			log.Fatal(err)
		}
		var out []string
		for _, c := range cs {
			out = append(out, c.Name)
		}
		return out
	}
	fmt.Println(names(orm.Select[exContact](db).Where(email.Eq("ann@example.com"))))
	fmt.Println(names(orm.Select[exContact](db).Where(email.IsNull())))
	var filter *string // an optional filter that is absent
	fmt.Println(names(orm.Select[exContact](db).Where(email.EqPtr(filter))))

	byPointer := orm.Field(func(c *exContact) **string { return &c.Email })
	fmt.Println(names(orm.Select[exContact](db).Where(byPointer.Eq(nil))))
	// Output:
	// [ann]
	// [bob]
	// [bob]
	// [bob]
}

// ExampleErrInvalidValue shows writes refused before they reach the table:
// a NaN, which SQLite would keep as NULL, and a bulk Set whose value does
// not fit the column's Go type.
func ExampleErrInvalidValue() {
	ctx := context.Background()
	db, err := orm.Open(ctx, "sqlite::memory:")
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	if err := db.CreateTables(ctx, &exContact{}); err != nil {
		log.Fatal(err)
	}
	err = db.Insert(ctx, &exContact{Name: "nan", Score: math.NaN()})
	fmt.Println(errors.Is(err, orm.ErrInvalidValue))

	_, err = orm.Update[exContact](db).Set("score", "high").AllRows().Exec(ctx)
	fmt.Println(err)
	// Output:
	// true
	// kinglet: orm: update contacts: invalid value: column score (Go type float64) cannot take a string ("high"): a string does not convert to float64
}
