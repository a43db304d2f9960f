package orm_test

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/kingletdb/kinglet/internal/testdb"
	"github.com/kingletdb/kinglet/orm"
	"github.com/kingletdb/kinglet/query"
)

type msgDoc struct {
	ID   int64            `db:"id,pk"`
	Name string           `db:"name,unique"`
	Tags map[string]int   `db:"tags,json"`
	Note *string          `db:"note"`
	Cnt  int              `db:"cnt"`
	Rank float64          `db:"rank"`
	Sub  []map[string]int `db:"sub,json,null"`
}

func (msgDoc) TableName() string { return "msg_docs" }

// TestMessagesSayKingletOnce: the messages of common errors say their
// "kinglet:" prefix once, however many layers wrapped them.
func TestMessagesSayKingletOnce(t *testing.T) {
	withTables(t, []any{&msgDoc{}}, func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) {
		doc := msgDoc{Name: "a"}
		if err := db.Insert(ctx, &doc); err != nil {
			t.Fatal(err)
		}
		// A row whose JSON column does not decode into the field.
		if _, err := tdb.DB.ExecContext(ctx, "INSERT INTO msg_docs (name, tags, cnt, rank) VALUES ('b', '[1]', 1, 0)"); err != nil {
			t.Fatal(err)
		}
		calls := map[string]func() error{
			"Get not found": func() error { _, err := orm.Get[msgDoc](ctx, db, 999); return err },
			"Update not found": func() error {
				return db.Update(ctx, &msgDoc{ID: 999, Name: "x"})
			},
			"Delete not found": func() error { return db.Delete(ctx, &msgDoc{ID: 999}) },
			"One not found": func() error {
				_, err := orm.Select[msgDoc](db).Where(query.C("id").Eq(999)).One(ctx)
				return err
			},
			"One too many": func() error {
				_, err := orm.Select[msgDoc](db).Columns(query.C("id")).One(ctx)
				return err
			},
			"zero key":          func() error { return db.Update(ctx, &msgDoc{Name: "x"}) },
			"unique violation":  func() error { return db.Insert(ctx, &msgDoc{Name: "a"}) },
			"NaN or not":        func() error { return db.Insert(ctx, &msgDoc{Name: "nan", Rank: math.NaN()}) },
			"Set of a bad type": func() error { _, err := orm.Update[msgDoc](db).Set("cnt", "x").AllRows().Exec(ctx); return err },
			"Set of a bad column": func() error {
				_, err := orm.Update[msgDoc](db).Set("nope", 1).AllRows().Exec(ctx)
				return err
			},
			"Update of a bad column": func() error { return db.Update(ctx, &doc, "nope") },
			"scan of bad JSON": func() error {
				_, err := orm.Select[msgDoc](db).Where(query.C("name").Eq("b")).All(ctx)
				return err
			},
			"Iter scan of bad JSON": func() error {
				for _, err := range orm.Select[msgDoc](db).Iter(ctx) {
					if err != nil {
						return err
					}
				}
				return nil
			},
			"Upsert without conflict columns": func() error { return db.Upsert(ctx, &doc) },
			"Get with a wrong key type":       func() error { _, err := orm.Get[msgDoc](ctx, db, "1"); return err },
			"a nil model":                     func() error { return db.Insert(ctx, (*msgDoc)(nil)) },
		}
		for name, call := range calls {
			err := call()
			if err == nil {
				if name == "NaN or not" && tdb.Engine == testdb.Postgres {
					continue // PostgreSQL keeps NaN
				}
				t.Errorf("%s: no error", name)
				continue
			}
			if n := strings.Count(err.Error(), "kinglet:"); n != 1 {
				t.Errorf("%s: %q says kinglet: %d times", name, err, n)
			}
		}
	})
}
