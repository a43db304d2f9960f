// Package agree runs, against SQLite, the queries its test file gives the
// analyzer: each query the analyzer reports (those with a want comment) must fail
// at run time with the error the report predicts, and the others that the
// test marks as working must work. Some failures the analyzer deliberately
// leaves to run time; the test says which.
package agree

// User, Post and Other are the models of the cases; Other's table is
// related to no model.
type User struct {
	ID    int64  `db:"id,pk"`
	Name  string `db:"name"`
	Email *string
	Posts []Post `rel:"has_many,fk:UserID"`
}

type Post struct {
	ID      int64  `db:"id,pk"`
	UserID  int64  `db:"user_id"`
	Content string `db:"content"`
	User    *User  `rel:"belongs_to,fk:UserID"`
}

func (Post) TableName() string { return "posts" } // want TableName:`tableName\(posts\)`

type Other struct {
	ID   int64  `db:"id,pk"`
	Note string `db:"note"`
}
