package orm_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/kingletdb/kinglet/fields"
	"github.com/kingletdb/kinglet/internal/testdb"
	"github.com/kingletdb/kinglet/orm"
	"github.com/kingletdb/kinglet/query"
)

// catalogueMisc: §8 of issue 13 and other cases: Pluck after Columns,
// messages that say their prefix once, writes of a model whose key is zero,
// Iter after its context ends, a db tag naming a column with a quote.

type cmItem struct {
	ID    int64  `db:"id,pk"`
	Name  string `db:"name"`
	Count int    `db:"count"`
}

func (cmItem) TableName() string { return "cm_items" }

type cmCode struct {
	Code string `db:"code,pk"`
	Note string `db:"note"`
}

func (cmCode) TableName() string { return "cm_codes" }

// cmQuoted names columns with quotes, which a db tag takes as written.
type cmQuoted struct {
	ID    int64  `db:"id,pk"`
	Say   string `db:"say \"hi\""`
	Its   string `db:"it's"`
	Paren string `db:"f(x)"`
}

func (cmQuoted) TableName() string { return "cm_quoted" }

// cmComma tries to name a column with a comma, which a tag cannot.
type cmComma struct {
	ID   int64  `db:"id,pk"`
	Name string `db:"last,first"`
}

func (cmComma) TableName() string { return "cm_commas" }

var (
	cmName  = orm.Field(func(m *cmItem) *string { return &m.Name })
	cmCount = orm.Field(func(m *cmItem) *int { return &m.Count })
	cmID    = orm.Field(func(m *cmItem) *int64 { return &m.ID })
)

// seedItems writes n items named item0001 … with Count = i.
func seedItems(t *testing.T, ctx context.Context, db *orm.DB, n int) {
	t.Helper()
	items := make([]cmItem, n)
	for i := range items {
		items[i] = cmItem{Name: fmt.Sprintf("item%04d", i+1), Count: i + 1}
	}
	if err := db.InsertMany(ctx, items); err != nil {
		t.Fatalf("seed: %v", err)
	}
}

// oncePrefixed checks that err's message says "kinglet:" once.
func oncePrefixed(t *testing.T, err error) error {
	t.Helper()
	if err != nil {
		if n := strings.Count(err.Error(), "kinglet:"); n != 1 {
			t.Errorf("%q says kinglet: %d times", err, n)
		}
	}
	return err
}

// iterCancelled iterates over 5,000 rows, cancels after the tenth, and
// counts the rows yielded after that: none.
func iterCancelled(t *testing.T, ctx context.Context, db *orm.DB) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var seen, after int
	var last error
	for it, err := range orm.Select[cmItem](db).OrderBy(cmID.Asc()).Iter(ctx) {
		if err != nil {
			last = err
			break
		}
		if ctx.Err() != nil {
			after++
		}
		if seen++; seen == 10 {
			cancel()
		}
		_ = it
	}
	if after > 0 {
		t.Errorf("Iter yielded %d rows after its context was cancelled", after)
	}
	if seen != 10 {
		t.Errorf("Iter yielded %d rows, want the 10 before the cancel", seen)
	}
	return oncePrefixed(t, last)
}

var catalogueMisc = []badCase{
	// Pluck and Scalar select their own column, whatever Columns chose.
	{name: "misc/pluck-after-columns", models: []any{&cmItem{}},
		run: func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) error {
			seedItems(t, ctx, db, 3)
			q := orm.Select[cmItem](db).OrderBy(cmID.Asc())
			names, err := orm.Pluck[string](ctx, q.Columns(cmName.Ex, cmCount.Ex), cmName.Ex)
			if err != nil {
				return err
			}
			if strings.Join(names, ",") != "item0001,item0002,item0003" {
				t.Errorf("Pluck = %q", names)
			}
			return nil
		}},
	{name: "misc/scalar-after-columns", models: []any{&cmItem{}},
		run: func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) error {
			seedItems(t, ctx, db, 4)
			n, err := orm.Scalar[int64](ctx, orm.Select[cmItem](db).Columns(cmName.Ex), query.Sum(cmCount.Ex))
			if err != nil {
				return err
			}
			if n != 10 {
				t.Errorf("Scalar(SUM) = %d, want 10", n)
			}
			return nil
		}},
	{name: "misc/columns-query-unchanged-by-pluck", models: []any{&cmItem{}},
		run: func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) error {
			seedItems(t, ctx, db, 2)
			q := orm.Select[cmItem](db).Columns(cmID.Ex, cmName.Ex).OrderBy(cmID.Asc())
			if _, err := orm.Pluck[int64](ctx, q, cmID.Ex); err != nil {
				return err
			}
			items, err := q.All(ctx)
			if err != nil {
				return err
			}
			if len(items) != 2 || items[1].Name != "item0002" || items[1].Count != 0 {
				t.Errorf("All after Pluck = %+v", items)
			}
			return nil
		}},

	// Messages say "kinglet:" once.
	{name: "misc/get-not-found-says-its-prefix-once", models: []any{&cmItem{}},
		run: func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) error {
			_, err := orm.Get[cmItem](ctx, db, 999)
			return oncePrefixed(t, err)
		},
		want: orm.ErrNotFound, mention: []string{"kinglet: orm: cm_items with key [999]: not found"}},
	{name: "misc/update-not-found-says-its-prefix-once", models: []any{&cmItem{}},
		run: func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) error {
			return oncePrefixed(t, db.Update(ctx, &cmItem{ID: 999, Name: "x"}))
		},
		want: orm.ErrNotFound, mention: []string{"kinglet: orm: update cm_items: not found"}},
	{name: "misc/delete-not-found-says-its-prefix-once", models: []any{&cmItem{}},
		run: func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) error {
			return oncePrefixed(t, db.Delete(ctx, &cmItem{ID: 999}))
		},
		want: orm.ErrNotFound, mention: []string{"kinglet: orm: delete from cm_items: not found"}},
	{name: "misc/invalid-value-says-its-prefix-once", models: []any{&cmItem{}},
		run: func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) error {
			_, err := orm.Update[cmItem](db).Set("count", "many").AllRows().Exec(ctx)
			return oncePrefixed(t, err)
		},
		want: orm.ErrInvalidValue, mention: []string{"kinglet: orm: update cm_items: invalid value: column count"}},

	// Update and Delete of a model whose auto-increment key is zero: the
	// model was never inserted.
	{name: "misc/update-zero-key", models: []any{&cmItem{}},
		run: func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) error {
			seedItems(t, ctx, db, 1)
			db, rec := hooked(db)
			err := db.Update(ctx, &cmItem{Name: "never inserted"})
			if rec.count() != 0 {
				t.Errorf("%d statement(s) reached the database", rec.count())
			}
			return oncePrefixed(t, err)
		},
		want: orm.ErrZeroKey, mention: []string{"Update of cm_items", "key field ID", "column id", "is zero"}},
	{name: "misc/delete-zero-key", models: []any{&cmItem{}},
		run: func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) error {
			seedItems(t, ctx, db, 1)
			err := db.Delete(ctx, &cmItem{})
			if n := countRows(t, tdb, "cm_items"); n != 1 {
				t.Errorf("%d rows left, want 1", n)
			}
			return oncePrefixed(t, err)
		},
		want: orm.ErrZeroKey, mention: []string{"Delete of cm_items", "key field ID", "column id"}},
	{name: "misc/update-zero-key-in-tx", models: []any{&cmItem{}},
		run: func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) error {
			return db.Tx(ctx, func(tx *orm.Tx) error { return tx.Update(ctx, &cmItem{Name: "x"}, "name") })
		},
		want: orm.ErrZeroKey, mention: []string{"Update of cm_items", "key field ID"}},
	{name: "misc/natural-zero-key-is-a-key", models: []any{&cmCode{}},
		// A key that is not auto-increment may be zero ("" here): it is
		// written like any other key.
		run: func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) error {
			if err := db.Insert(ctx, &cmCode{Note: "empty code"}); err != nil {
				return err
			}
			if err := db.Update(ctx, &cmCode{Note: "changed"}); err != nil {
				return err
			}
			got, err := orm.Get[cmCode](ctx, db, "")
			if err == nil && got.Note != "changed" {
				t.Errorf("note = %q", got.Note)
			}
			return err
		}},

	// Iter stops at the next row once its context ends, on every path.
	{name: "misc/iter-after-cancel", models: []any{&cmItem{}},
		run: func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) error {
			seedItems(t, ctx, db, 5000)
			return iterCancelled(t, ctx, db)
		},
		want: context.Canceled, mention: []string{"select from cm_items", "context canceled"}},
	{name: "misc/iter-after-cancel-pgx-pool", engines: on("postgres"), models: []any{&cmItem{}},
		run: func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) error {
			seedItems(t, ctx, db, 5000)
			pool, err := pgxpool.New(ctx, tdb.DSN)
			if err != nil {
				return err
			}
			defer pool.Close()
			pdb, err := orm.OpenPool(ctx, pool)
			if err != nil {
				return err
			}
			defer pdb.Close()
			return iterCancelled(t, ctx, pdb)
		},
		want: context.Canceled, mention: []string{"select from cm_items", "context canceled"}},
	{name: "misc/iter-after-deadline", models: []any{&cmItem{}},
		run: func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) error {
			seedItems(t, ctx, db, 2000)
			ctx, cancel := context.WithTimeout(ctx, time.Hour)
			defer cancel()
			n := 0
			for _, err := range orm.Select[cmItem](db).Iter(ctx) {
				if err != nil {
					return err
				}
				if n++; n == 5 {
					cancel()
				}
			}
			return fmt.Errorf("Iter ended without an error after %d rows", n)
		},
		want: context.Canceled, mention: []string{"cm_items"}},

	// A db tag names a column with quotes as written; a comma ends the name.
	{name: "misc/db-tag-quotes-round-trip", models: []any{&cmQuoted{}},
		run: func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) error {
			m := cmQuoted{Say: "hello", Its: "mine", Paren: "p"}
			if err := db.Insert(ctx, &m); err != nil {
				return err
			}
			m.Say = "bye"
			if err := db.Update(ctx, &m); err != nil {
				return err
			}
			got, err := orm.Get[cmQuoted](ctx, db, m.ID)
			if err != nil {
				return err
			}
			if got != m {
				t.Errorf("got %+v, want %+v", got, m)
			}
			say := orm.ColOf[string, cmQuoted](`say "hi"`)
			n, err := orm.Select[cmQuoted](db).Where(say.Eq("bye")).Count(ctx)
			if err == nil && n != 1 {
				t.Errorf("Count = %d", n)
			}
			return err
		}},
	{name: "misc/db-tag-comma", models: nil,
		run: func(t *testing.T, ctx context.Context, db *orm.DB, tdb *testdb.DB) error {
			err := db.CreateTables(ctx, &cmComma{})
			var fe *fields.Error
			if !errors.As(err, &fe) || fe.Field != "Name" {
				t.Errorf("want a *fields.Error for field Name, got %v", err)
			}
			return err
		},
		want: fields.ErrBadTag, mention: []string{"cmComma.Name", `tag "first"`, `unknown option "first"`}},
}
