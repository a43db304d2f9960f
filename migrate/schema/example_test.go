package schema_test

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	_ "modernc.org/sqlite" // database/sql driver "sqlite"

	"github.com/kingletdb/kinglet/dialect"
	"github.com/kingletdb/kinglet/migrate/schema"
)

// FromModels describes models as CreateTables creates them, on one engine.
func ExampleFromModels() {
	type Author struct {
		ID    int64   `db:"id,pk"`
		Email *string `db:"email,unique,size:254"`
	}
	type Book struct {
		ID       int64  `db:"id,pk"`
		AuthorID int64  `db:"author_id,fk:authors.id,fk_name:books_author_fkey,on_delete:cascade"`
		Title    string `db:"title,check:title <> ''"`
	}
	s, err := schema.FromModels(dialect.Postgres, &Author{}, &Book{})
	if err != nil {
		panic(err)
	}
	for _, t := range s.Tables {
		var cols []string
		for _, c := range t.Columns {
			cols = append(cols, c.Name+" "+c.Type)
		}
		fmt.Printf("%s (%s)\n", t.Name, strings.Join(cols, ", "))
		for _, ix := range t.Indexes {
			fmt.Println("  unique", ix.Name, ix.Columns)
		}
		for _, fk := range t.ForeignKeys {
			fmt.Println("  foreign key", fk.Name, fk.Columns, "->", fk.RefTable, fk.RefColumns, fk.OnDelete)
		}
		for _, ck := range t.Checks {
			fmt.Println("  check", ck.Name, ck.Expr)
		}
	}
	// Output:
	// authors (id BIGINT, email VARCHAR(254))
	//   unique uq_authors_email [email]
	// books (id BIGINT, author_id BIGINT, title TEXT)
	//   foreign key books_author_fkey [author_id] -> authors [id] CASCADE
	//   check ck_books_1 title <> ''
}

// InspectWith reads the tables a Filter chooses, views too when asked.
func ExampleInspectWith() {
	ctx := context.Background()
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		panic(err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	for _, stmt := range []string{
		"CREATE TABLE orders (id INTEGER PRIMARY KEY, total NUMERIC(10,2) NOT NULL)",
		"CREATE TABLE order_lines (order_id INTEGER NOT NULL REFERENCES orders (id), n INTEGER NOT NULL, PRIMARY KEY (order_id, n))",
		"CREATE TABLE audit (id INTEGER PRIMARY KEY)",
		"CREATE VIEW big_orders AS SELECT id FROM orders WHERE total > 100",
	} {
		if _, err := db.ExecContext(ctx, stmt); err != nil {
			panic(err)
		}
	}
	s, err := schema.InspectWith(ctx, db, dialect.SQLite, schema.Filter{Exclude: []string{"audit"}, Views: true})
	if err != nil {
		panic(err)
	}
	for _, t := range s.Tables {
		fmt.Println(t.Name, "view:", t.View, "key:", t.PrimaryKey, "foreign keys:", len(t.ForeignKeys))
	}
	// Output:
	// big_orders view: true key: [] foreign keys: 0
	// order_lines view: false key: [order_id n] foreign keys: 1
	// orders view: false key: [id] foreign keys: 0
}
