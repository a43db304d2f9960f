package diagram_test

import (
	"os"

	"github.com/kingletdb/kinglet/dialect"
	"github.com/kingletdb/kinglet/migrate/diagram"
	"github.com/kingletdb/kinglet/migrate/schema"
)

type author struct {
	ID   int64  `db:"id,pk"`
	Name string `db:"name,unique,size:100"`
}

type book struct {
	ID       int64  `db:"id,pk"`
	AuthorID *int64 `db:"author_id,fk:authors.id"`
	Title    string `db:"title"`
}

func (author) TableName() string { return "authors" }
func (book) TableName() string   { return "books" }

// Mermaid draws models (or an inspected database) as an erDiagram: a book
// has zero or one author, an author any number of books.
func ExampleMermaid() {
	s, err := schema.FromModels(dialect.SQLite, &author{}, &book{})
	if err != nil {
		panic(err)
	}
	if err := diagram.Mermaid(os.Stdout, s); err != nil {
		panic(err)
	}
	// Output:
	// erDiagram
	//     authors {
	//         INTEGER id PK
	//         VARCHAR(100) name UK
	//     }
	//     books {
	//         INTEGER id PK
	//         INTEGER author_id FK "null"
	//         VARCHAR title
	//     }
	//     authors |o--o{ books : "author_id"
}
