// Package models is the input of the gen cols tests: models with every
// kind of field Cols writes a handle for.
package models

import (
	"database/sql"
	"time"

	kf "github.com/kingletdb/kinglet/fields"
)

//go:generate kinglet gen cols

// Users is taken: the handles of User are called UserCols.
var Users = "taken"

// Stamps is embedded by value: its fields are the model's.
type Stamps struct {
	CreatedAt time.Time  `db:"created_at,default:now"`
	UpdatedAt *time.Time `db:"updated_at"`
}

// Audit is embedded by pointer: its handles name their column.
type Audit struct {
	Editor sql.NullString `db:"editor"`
}

type User struct {
	ID       int64  `db:"id,pk"`
	Username string `db:"username,unique,size:64"`
	Email    *string
	Nick     sql.NullString    `db:"nick"`
	Karma    sql.Null[int64]   `db:"karma"`
	Avatar   []byte            `db:"avatar,null"`
	Tags     kf.JSON[[]string] `db:"tags"`
	Seen     sql.NullTime      `db:"seen"`
	Secret   string            `db:"-"`
	internal string            //nolint:unused // unexported: not a column
	Stamps
	*Audit
	Tweets []Tweet `db:"-" rel:"has_many,fk:UserID"`
}

type Tweet struct {
	ID      int64  `db:"id,pk"`
	UserID  int64  `db:"user_id,fk:users.id"`
	Content string `db:"content"`
	User    *User  `rel:"belongs_to"`
}

// News is its own plural: its handles are NewsCols.
type News struct {
	ID    int64  `db:"id,pk"`
	Title string `db:"title"`
}

// TableName is news.
func (News) TableName() string { return "news" }

// notAModel has no tags.
type notAModel struct{ X int }
