package gen_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/kingletdb/kinglet/dialect"
	"github.com/kingletdb/kinglet/migrate/gen"
	"github.com/kingletdb/kinglet/migrate/schema"
)

// Models writes model structs for a schema (here as Inspect would read two
// tables of a PostgreSQL database), keeping its constraint names and
// turning its foreign key into relations.
func ExampleModels() {
	s := &schema.Schema{Tables: []*schema.Table{
		{Name: "authors", PrimaryKey: []string{"id"}, Columns: []schema.Column{
			{Name: "id", Type: "bigint", AutoIncrement: true},
			{Name: "name", Type: "varchar(100)"},
		}},
		{Name: "books", PrimaryKey: []string{"id"}, Columns: []schema.Column{
			{Name: "id", Type: "bigint", AutoIncrement: true},
			{Name: "author_id", Type: "bigint"},
			{Name: "title", Type: "text"},
		}, ForeignKeys: []schema.ForeignKey{{Name: "books_author_id_fkey", Columns: []string{"author_id"},
			RefTable: "authors", RefColumns: []string{"id"}, OnDelete: "CASCADE"}}},
	}}
	src, err := gen.Models(s, dialect.Postgres, "models")
	if err != nil {
		panic(err)
	}
	fmt.Print(string(src))
	// Output:
	// // Package models holds the models kinglet gen models wrote for the tables of
	// // a postgres database. Edit them freely: they are a starting point.
	// package models
	//
	// // Models are the models of the tables, for diff and cli.App's Models.
	// var Models = []any{&Author{}, &Book{}}
	//
	// // Author is a row of table authors.
	// type Author struct {
	// 	ID   int64  `db:"id,pk,auto"`
	// 	Name string `db:"name,size:100"`
	//
	// 	// Relations, loaded on request (Load, LoadRelations).
	// 	Books []Book `db:"-" rel:"has_many,fk:AuthorID"`
	// }
	//
	// // Book is a row of table books.
	// type Book struct {
	// 	ID       int64  `db:"id,pk,auto"`
	// 	AuthorID int64  `db:"author_id,fk:authors.id,fk_name:books_author_id_fkey,on_delete:cascade"`
	// 	Title    string `db:"title"`
	//
	// 	// Relations, loaded on request (Load, LoadRelations).
	// 	Author *Author `db:"-" rel:"belongs_to,fk:AuthorID"`
	// }
}

// Cols writes typed column handles and relation names for the models of a
// package, read from its source.
func ExampleCols() {
	dir, err := os.MkdirTemp("", "models")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	models := "package models\n\ntype User struct {\n" +
		"\tID     int64   `db:\"id,pk\"`\n" +
		"\tEmail  *string `db:\"email\"`\n" +
		"\tTweets []Tweet `db:\"-\" rel:\"has_many,fk:UserID\"`\n}\n\n" +
		"type Tweet struct {\n\tID     int64 `db:\"id,pk\"`\n\tUserID int64 `db:\"user_id\"`\n}\n"
	if err := os.WriteFile(filepath.Join(dir, "models.go"), []byte(models), 0o644); err != nil {
		panic(err)
	}
	src, err := gen.Cols(dir, "User")
	if err != nil {
		panic(err)
	}
	fmt.Print(strings.SplitN(string(src), "\n", 2)[1])
	// Output:
	// package models
	//
	// import "github.com/kingletdb/kinglet/orm"
	//
	// // Users are the columns of User as typed handles, for Where, OrderBy and Set.
	// var Users = struct {
	// 	ID    orm.Col[int64]
	// 	Email orm.Col[*string]
	// }{
	// 	ID:    orm.Field(func(m *User) *int64 { return &m.ID }),
	// 	Email: orm.Field(func(m *User) **string { return &m.Email }),
	// }
	//
	// // UserRel are the relations of User, by name, for Load and LoadRelations.
	// var UserRel = struct {
	// 	Tweets string
	// }{
	// 	Tweets: "Tweets",
	// }
}
