package discard

import (
	"context"

	"example.com/vet/models"
	"github.com/kingletdb/kinglet/dialect"
	"github.com/kingletdb/kinglet/orm"
	"github.com/kingletdb/kinglet/query"
)

var db *orm.DB

type holder struct{ q query.SelectQuery }

func builders(ctx context.Context) {
	users := query.Table("users")
	q := query.Select(users.C("id")).From(users)
	q.Where(users.C("id").Eq(1))            // want `result of query.SelectQuery.Where is not used: builders are immutable, so the call does nothing; assign it: q = q.…$`
	q.Where(users.C("id").Eq(1)).Limit(10)  // want `result of query.SelectQuery.Limit is not used`
	(q.OrderBy(users.C("id")))              // want `result of query.SelectQuery.OrderBy is not used`
	query.Select(users.C("id")).From(users) // want `result of query.SelectQuery.From is not used`
	query.Select(users.C("id"))             // want `result of query.Select is not used: it returns a new query.SelectQuery`
	users.C("id").Eq(1)                     // want `result of query.Ex.Eq is not used`

	s := orm.Select[models.User](db)
	s.Where(query.C("name").Eq("a")) // want `result of orm.SelectQuery\[models.User\].Where is not used`
	s.Load("Tweets")                 // want `result of orm.SelectQuery\[models.User\].Load is not used`
	orm.Select[models.User](db)      // want `result of orm.Select\[models.User\] is not used`

	u := orm.Update[models.User](db)
	u.Set("name", "b") // want `result of orm.UpdateQuery\[models.User\].Set is not used`
	d := orm.Delete[models.User](db)
	d.AllRows() // want `result of orm.DeleteQuery\[models.User\].AllRows is not used`

	var h holder
	h.q.Limit(1) // want `result of query.SelectQuery.Limit is not used`

	ins := query.Insert(users)
	ins.Columns("id") // want `result of query.InsertQuery.Columns is not used`

	w := query.NewWindow()
	w.OrderBy(users.C("id")) // want `result of query.Window.OrderBy is not used`

	cte := q.CTE("c")
	cte.Materialized() // want `result of query.CTE.Materialized is not used`

	o := users.C("id").Asc()
	o.NullsLast() // want `result of query.Ordering.NullsLast is not used`

	q.As("t") // want `result of query.SelectQuery.As is not used: builders are immutable, so the call does nothing$`
	id := orm.ColOf[int64, models.User]("id")
	id.Asc() // want `result of orm.Col\[int64\].Asc is not used`

	_, _, _ = q, s, ctx
}

// Not reported: the results are used, or the call is not a builder's.
func used(ctx context.Context) error {
	users := query.Table("users")
	q := query.Select(users.C("id")).From(users)
	q = q.Where(users.C("id").Eq(1))
	_ = q.Limit(1)
	r := q.OrderBy(users.C("id"))
	if _, _, err := r.Build(dialect.SQLite); err != nil {
		return err
	}
	q.Build(dialect.SQLite)              // not a builder result (and vet's own checks see unused errors)
	orm.Select[models.User](db).All(ctx) // the result of All is not a builder
	_, err := orm.Update[models.User](db).Set("name", "x").AllRows().Exec(ctx)
	var b query.Builder
	b.Lit("x") // the Builder is mutable; Lit returns nothing
	f := fake{}
	f.Where(1)         // a Where of another type
	f.Chain().Where(2) // likewise
	return err
}

type fake struct{}

func (f fake) Where(int) fake { return f }
func (f fake) Chain() fake    { return f }
