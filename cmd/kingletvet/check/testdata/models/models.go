// Package models holds models for the other test packages: their table
// names reach the analyzer of another package as facts.
package models

import (
	"database/sql"
	"database/sql/driver"
	"time"

	"github.com/kingletdb/kinglet/fields"
)

// Base is embedded, and flattened into its fields.
type Base struct {
	ID        int64     `db:"id,pk"`
	CreatedAt time.Time `db:"created_at,default:now"`
}

type User struct {
	Base
	Name     string                `db:"name,size:64"`
	Email    *string               // column email
	Nick     string                `db:",unique"` // column nick
	Secret   string                `db:"-"`
	internal int                   //nolint:unused // not a column
	Tags     fields.JSON[[]string] `db:"tags"`
	Score    sql.NullInt64
	Tweets   []Tweet  `rel:"has_many,fk:UserID"`
	Profile  *Profile `db:"-" rel:"has_one,fk:UserID"`
}

type Tweet struct {
	ID      int64  `db:"id,pk"`
	UserID  int64  `db:"user_id"`
	Content string `db:"content"`
	Likes   []Like `rel:"has_many,fk:TweetID"`
	User    *User  `rel:"belongs_to,fk:UserID"`
}

func (Tweet) TableName() string { return "posts" } // want TableName:`tableName\(posts\)`

type Like struct {
	ID      int64 `db:"id,pk"`
	TweetID int64 `db:"tweet_id"`
}

type Profile struct {
	ID     int64  `db:"id,pk"`
	UserID int64  `db:"user_id"`
	Bio    string `db:"bio"`
}

// Dynamic's table name is computed: the analyzer does not know it.
type Dynamic struct {
	ID int64 `db:"id,pk"`
}

var prefix = "app_"

func (*Dynamic) TableName() string { return prefix + "dynamic" }

// Stamp is stored in one column: it is a Scanner and a Valuer.
type Stamp struct{ t time.Time }

func (s *Stamp) Scan(src any) error          { return nil }
func (s Stamp) Value() (driver.Value, error) { return nil, nil }

// Event embeds Stamp, which is a column named stamp, not flattened.
type Event struct {
	ID int64 `db:"id,pk"`
	Stamp
}
