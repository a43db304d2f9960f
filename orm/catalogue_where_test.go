package orm_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/kingletdb/kinglet/internal/testdb"
	"github.com/kingletdb/kinglet/orm"
	"github.com/kingletdb/kinglet/query"
)

// catalogueWhere: §1 of issue 13: WHERE clauses that simplify to always-true
// on UPDATE and DELETE are no WHERE, and touch no row.
var catalogueWhere = whereCases()

// wRow is the table of the WHERE cases.
type wRow struct {
	ID   int64  `db:"id,pk"`
	Name string `db:"name"`
	N    int    `db:"n"`
}

func (wRow) TableName() string { return "w_rows" }

// wSeed inserts three rows.
func wSeed(ctx context.Context, db *orm.DB) error {
	return db.InsertMany(ctx, []wRow{{Name: "a", N: 1}, {Name: "b", N: 2}, {Name: "c", N: 3}})
}

// wUntouched fails t unless the three seeded rows are as they were.
func wUntouched(t *testing.T, ctx context.Context, db *orm.DB) {
	t.Helper()
	rows, err := orm.Select[wRow](db).OrderBy(query.C("id")).All(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(rows); got != "[{1 a 1} {2 b 2} {3 c 3}]" {
		t.Errorf("the rows were touched: %s", got)
	}
}

func whereCases() []badCase {
	var none []query.Expr // optional filters, all absent
	N := query.C("n")
	conds := []struct {
		name  string
		where func(w []query.Expr) []query.Expr
	}{
		{"empty And", func(w []query.Expr) []query.Expr { return []query.Expr{query.And(w...)} }},
		{"Or of an empty And", func(w []query.Expr) []query.Expr { return []query.Expr{query.Or(query.And(w...))} }},
		{"nested empty Ands", func(w []query.Expr) []query.Expr {
			return []query.Expr{query.And(query.And(w...), query.And(query.And()))}
		}},
		{"no arguments", func(w []query.Expr) []query.Expr { return w }},
		{"Not of an empty Or", func(w []query.Expr) []query.Expr { return []query.Expr{query.Not(query.Or(w...))} }},
		{"Or with an always-true member", func(w []query.Expr) []query.Expr {
			return []query.Expr{query.Or(N.Eq(2), query.And(w...))}
		}},
		{"empty NotIn", func(w []query.Expr) []query.Expr { return []query.Expr{N.NotIn()} }},
		{"raw 1 = 1", func(w []query.Expr) []query.Expr { return []query.Expr{query.SQL("1 = 1")} }},
		{"bound true", func(w []query.Expr) []query.Expr { return []query.Expr{query.V(true)} }},
	}
	var cases []badCase
	for _, c := range conds {
		cases = append(cases,
			badCase{
				name:   "where: Delete[T] with " + c.name,
				models: []any{&wRow{}},
				run: func(t *testing.T, ctx context.Context, db *orm.DB, _ *testdb.DB) error {
					if err := wSeed(ctx, db); err != nil {
						return err
					}
					_, err := orm.Delete[wRow](db).Where(c.where(none)...).Exec(ctx)
					wUntouched(t, ctx, db)
					return err
				},
				want:    query.ErrNoWhere,
				mention: []string{"DELETE FROM w_rows", "AllRows"},
			},
			badCase{
				name:   "where: Update[T] with " + c.name,
				models: []any{&wRow{}},
				run: func(t *testing.T, ctx context.Context, db *orm.DB, _ *testdb.DB) error {
					if err := wSeed(ctx, db); err != nil {
						return err
					}
					_, err := orm.Update[wRow](db).Set("n", 0).Where(c.where(none)...).Exec(ctx)
					wUntouched(t, ctx, db)
					return err
				},
				want:    query.ErrNoWhere,
				mention: []string{"UPDATE w_rows", "AllRows"},
			})
	}
	cases = append(cases,
		badCase{
			name:   "where: OrWhere of an empty And on a Delete[T]",
			models: []any{&wRow{}},
			run: func(t *testing.T, ctx context.Context, db *orm.DB, _ *testdb.DB) error {
				if err := wSeed(ctx, db); err != nil {
					return err
				}
				_, err := orm.Delete[wRow](db).Where(N.Eq(1)).OrWhere(query.And(none...)).Exec(ctx)
				wUntouched(t, ctx, db)
				return err
			},
			want:    query.ErrNoWhere,
			mention: []string{"DELETE FROM w_rows"},
		},
		badCase{
			name:   "where: an always-false group deletes nothing",
			models: []any{&wRow{}},
			run: func(t *testing.T, ctx context.Context, db *orm.DB, _ *testdb.DB) error {
				if err := wSeed(ctx, db); err != nil {
					return err
				}
				n, err := orm.Delete[wRow](db).Where(query.And(query.Or(none...), query.And())).Exec(ctx)
				if err == nil && n != 0 {
					t.Errorf("deleted %d rows, want 0", n)
				}
				wUntouched(t, ctx, db)
				return err
			},
		},
		badCase{
			name:   "where: an empty And beside a real condition filters by it",
			models: []any{&wRow{}},
			run: func(t *testing.T, ctx context.Context, db *orm.DB, _ *testdb.DB) error {
				if err := wSeed(ctx, db); err != nil {
					return err
				}
				n, err := orm.Delete[wRow](db).Where(query.And(none...), N.Eq(2)).Exec(ctx)
				if err != nil {
					return err
				}
				if left, _ := orm.Select[wRow](db).Count(ctx); n != 1 || left != 2 {
					t.Errorf("deleted %d rows leaving %d, want 1 and 2", n, left)
				}
				return nil
			},
		},
		badCase{
			name:   "where: AllRows confirms an always-true Where",
			models: []any{&wRow{}},
			run: func(t *testing.T, ctx context.Context, db *orm.DB, _ *testdb.DB) error {
				if err := wSeed(ctx, db); err != nil {
					return err
				}
				n, err := orm.Update[wRow](db).Set("n", 0).Where(query.And(none...)).AllRows().Exec(ctx)
				if err == nil && n != 3 {
					t.Errorf("updated %d rows, want 3", n)
				}
				return err
			},
		},
		badCase{
			name:   "where: an empty And in a SELECT matches every row, an empty Or none",
			models: []any{&wRow{}},
			run: func(t *testing.T, ctx context.Context, db *orm.DB, _ *testdb.DB) error {
				if err := wSeed(ctx, db); err != nil {
					return err
				}
				all, err := orm.Select[wRow](db).Where(query.And(none...)).Count(ctx)
				if err != nil {
					return err
				}
				nothing, err := orm.Select[wRow](db).Where(query.Or(none...)).Count(ctx)
				if err != nil {
					return err
				}
				if all != 3 || nothing != 0 {
					t.Errorf("And() counted %d and Or() %d, want 3 and 0", all, nothing)
				}
				return nil
			},
		},
	)
	return cases
}
