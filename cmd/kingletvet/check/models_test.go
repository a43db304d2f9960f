package check

import (
	"database/sql"
	"database/sql/driver"
	"time"

	"github.com/kingletdb/kinglet/fields"
)

// The models of TestModelsAgreeWithFields: the analyzer reads them from
// their go/types form, package fields from their reflect form, and the two
// must agree.

type agUser struct {
	ID        int64  `db:"id,pk"`
	Name      string `db:"name,unique,size:64"`
	Email     *string
	Nick      string `db:",index"`
	HTTPAddr  string
	UserID    int64
	V2Name    string
	Secret    string `db:"-"`
	internal  int
	Tags      fields.JSON[[]string] `db:"tags"`
	Score     sql.NullInt64
	Maybe     sql.Null[int32]
	CreatedAt time.Time `db:"created_at,default:now"`
	Check     int       `db:"chk,check:chk IN (1, 2)"`
	Price     string    `db:"price,default:'a,b'"`
	Posts     []agPost  `rel:"has_many,fk:UserID"`
	Profile   *agProf   `db:"-" rel:"has_one,fk:UserID"`
}

type agPost struct {
	ID     int64   `db:"id,pk"`
	UserID int64   `db:"user_id"`
	User   *agUser `rel:"belongs_to,fk:UserID"`
}

func (agPost) TableName() string { return "posts" }

type agProf struct {
	ID     int64 `db:"id,pk"`
	UserID int64
}

func (*agProf) TableName() string { return "profiles" }

// Embedding: flattened structs (by value, by pointer, unexported), hiding,
// types stored in one column.
type agBase struct {
	ID   int64  `db:"id,pk"`
	Name string `db:"base_name"`
}

type agAudit struct {
	By string
	At time.Time
}

type agStamp struct{ t time.Time }

func (s *agStamp) Scan(any) error              { return nil }
func (s agStamp) Value() (driver.Value, error) { return nil, nil }

type agEmbed struct {
	agBase
	*agAudit
	Name string `db:"name"` // hides agBase.Name
	time.Time
	agStamp
	sql.NullString
	Skip agAudit `db:"-"`
}

// A generic model, a TableName promoted from an embedded struct, an
// irregular plural.
type agPage[T any] struct {
	ID    int64 `db:"id,pk"`
	Value T
}

type agNamed struct{}

func (agNamed) TableName() string { return "named_things" }

type agPromoted struct {
	agNamed
	ID int64 `db:"id,pk"`
}

type Person struct {
	ID int64 `db:"id,pk"`
}

// Models package fields refuses: the analyzer must not claim columns.
type agTwoNames struct {
	A string `db:"x"`
	B string `db:"X"`
}

type agBadOption struct {
	ID int64 `db:"id,pkk"`
}

type agEmbedTagged struct {
	agBase `db:"base"`
}

type agNoColumns struct {
	Secret string `db:"-"`
}

type agBadRel struct {
	ID    int64    `db:"id,pk"`
	Posts []agPost `rel:"has_one"`
}

type agUnexportedTag struct {
	ID int64 `db:"id,pk"`
	x  int   `db:"x"`
}

// A table name the analyzer cannot read: fields knows it, the analyzer
// must say it does not.
var agSuffix = "s"

type agComputed struct {
	ID int64 `db:"id,pk"`
}

func (agComputed) TableName() string { return "computed" + agSuffix }

var agreeModels = map[string]any{
	"agUser": agUser{}, "agPost": agPost{}, "agProf": agProf{}, "agEmbed": agEmbed{},
	"agPage": agPage[string]{}, "agPromoted": agPromoted{}, "Person": Person{},
	"agTwoNames": agTwoNames{}, "agBadOption": agBadOption{}, "agEmbedTagged": agEmbedTagged{},
	"agNoColumns": agNoColumns{}, "agBadRel": agBadRel{}, "agUnexportedTag": agUnexportedTag{},
	"agComputed": agComputed{},
}

var _ = agUnexportedTag{}.x
