package orm_test

import (
	"database/sql"
	"errors"
	"reflect"
	"testing"

	"github.com/kingletdb/kinglet/dialect"
	"github.com/kingletdb/kinglet/orm"
	"github.com/kingletdb/kinglet/query"
)

// TestNullableHandlesGolden: the SQL typed handles render for NULL on a
// nullable column, per dialect (executed in catalogueRoundTrip).
func TestNullableHandlesGolden(t *testing.T) {
	ann, one := "ann", 1
	cases := []struct {
		name string
		e    query.Expr
		sql  map[string]string // by dialect name; mysql serves mariadb
		args []any
	}{
		{"Eq(nil)", crEmail.Eq(nil), map[string]string{
			"sqlite":   `"cr_people"."email" IS NULL`,
			"postgres": `"cr_people"."email" IS NULL`,
			"mysql":    "`cr_people`.`email` IS NULL"}, nil},
		{"Ne(nil)", crEmail.Ne(nil), map[string]string{
			"sqlite":   `"cr_people"."email" IS NOT NULL`,
			"postgres": `"cr_people"."email" IS NOT NULL`,
			"mysql":    "`cr_people`.`email` IS NOT NULL"}, nil},
		{"Eq(&v)", crEmail.Eq(&ann), map[string]string{
			"sqlite":   `"cr_people"."email" = ?`,
			"postgres": `"cr_people"."email" = $1`,
			"mysql":    "`cr_people`.`email` = ?"}, []any{&ann}},
		{"Eq(sql.NullString{})", crNick.Eq(sql.NullString{}), map[string]string{
			"sqlite":   `"cr_people"."nick" IS NULL`,
			"postgres": `"cr_people"."nick" IS NULL`,
			"mysql":    "`cr_people`.`nick` IS NULL"}, nil},
		{"In(&v, nil)", crEmail.In(&ann, nil), map[string]string{
			"sqlite":   `"cr_people"."email" IN (?) OR "cr_people"."email" IS NULL`,
			"postgres": `"cr_people"."email" IN ($1) OR "cr_people"."email" IS NULL`,
			"mysql":    "`cr_people`.`email` IN (?) OR `cr_people`.`email` IS NULL"}, []any{&ann}},
		{"In(&v, nil) AND …", query.And(crEmail.In(&ann, nil), crAge.Gt(&one)), map[string]string{
			"sqlite":   `("cr_people"."email" IN (?) OR "cr_people"."email" IS NULL) AND "cr_people"."age" > ?`,
			"postgres": `("cr_people"."email" IN ($1) OR "cr_people"."email" IS NULL) AND "cr_people"."age" > $2`,
			"mysql":    "(`cr_people`.`email` IN (?) OR `cr_people`.`email` IS NULL) AND `cr_people`.`age` > ?"}, []any{&ann, &one}},
		{"In(nil)", crEmail.In(nil), map[string]string{
			"sqlite":   `"cr_people"."email" IS NULL`,
			"postgres": `"cr_people"."email" IS NULL`,
			"mysql":    "`cr_people`.`email` IS NULL"}, nil},
		{"NotIn(&v, nil)", crEmail.NotIn(&ann, nil), map[string]string{
			"sqlite":   `"cr_people"."email" NOT IN (?) AND "cr_people"."email" IS NOT NULL`,
			"postgres": `"cr_people"."email" NOT IN ($1) AND "cr_people"."email" IS NOT NULL`,
			"mysql":    "`cr_people`.`email` NOT IN (?) AND `cr_people`.`email` IS NOT NULL"}, []any{&ann}},
		{"NotIn(nil)", crEmail.NotIn(nil), map[string]string{
			"sqlite":   `"cr_people"."email" IS NOT NULL`,
			"postgres": `"cr_people"."email" IS NOT NULL`,
			"mysql":    "`cr_people`.`email` IS NOT NULL"}, nil},
		{"NullField Eq", crEmailN.Eq("ann"), map[string]string{
			"sqlite":   `"cr_people"."email" = ?`,
			"postgres": `"cr_people"."email" = $1`,
			"mysql":    "`cr_people`.`email` = ?"}, []any{"ann"}},
		{"NullField EqPtr(nil)", crEmailN.EqPtr(nil), map[string]string{
			"sqlite":   `"cr_people"."email" IS NULL`,
			"postgres": `"cr_people"."email" IS NULL`,
			"mysql":    "`cr_people`.`email` IS NULL"}, nil},
		{"NullField EqPtr(&v)", crEmailN.EqPtr(&ann), map[string]string{
			"sqlite":   `"cr_people"."email" = ?`,
			"postgres": `"cr_people"."email" = $1`,
			"mysql":    "`cr_people`.`email` = ?"}, []any{"ann"}},
		{"NullField IsNull", crAgeN.IsNull(), map[string]string{
			"sqlite":   `"cr_people"."age" IS NULL`,
			"postgres": `"cr_people"."age" IS NULL`,
			"mysql":    "`cr_people`.`age` IS NULL"}, nil},
		{"NullColOf In", crNickN.In("a", "b"), map[string]string{
			"sqlite":   `"cr_people"."nick" IN (?, ?)`,
			"postgres": `"cr_people"."nick" IN ($1, $2)`,
			"mysql":    "`cr_people`.`nick` IN (?, ?)"}, []any{"a", "b"}},
	}
	for _, d := range []dialect.Dialect{dialect.SQLite, dialect.Postgres, dialect.MySQL, dialect.MariaDB} {
		for _, c := range cases {
			want, ok := c.sql[d.Name()]
			if !ok {
				want = c.sql["mysql"]
			}
			got, args, err := query.Build(d, c.e)
			if err != nil {
				t.Errorf("%s: %s: %v", d, c.name, err)
				continue
			}
			if got != want || !reflect.DeepEqual(args, c.args) {
				t.Errorf("%s: %s:\n\tgot  %s %v\n\twant %s %v", d, c.name, got, args, want, c.args)
			}
		}
	}
	// Ordering with NULL is never true: the build fails.
	for _, e := range []query.Expr{crAge.Lt(nil), crAge.Le(nil), crAge.Gt(nil), crAge.Ge(nil), crAge.Between(ptr(1), nil)} {
		if _, _, err := query.Build(dialect.SQLite, e); !errors.Is(err, orm.ErrInvalidArgument) {
			t.Errorf("ordering with NULL: %v, want ErrInvalidArgument", err)
		}
	}
}
