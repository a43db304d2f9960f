package nowhere

import (
	"context"

	"example.com/vet/models"
	"github.com/kingletdb/kinglet/dialect"
	"github.com/kingletdb/kinglet/orm"
	"github.com/kingletdb/kinglet/query"
)

var db *orm.DB

func reported(ctx context.Context, id int64) {
	orm.Update[models.User](db).Set("name", "x").Exec(ctx)                             // want `UPDATE without Where or AllRows: Exec fails with ErrNoWhere; add a condition, or call AllRows\(\) to update every row`
	orm.Delete[models.Tweet](db).Exec(ctx)                                             // want `DELETE without Where or AllRows: Exec fails with ErrNoWhere; add a condition, or call AllRows\(\) to delete every row`
	query.Delete(query.Table("users")).Build(dialect.SQLite)                           // want `DELETE without Where or AllRows: Build fails`
	query.Update(query.Table("users")).Set("a", 1).BuildChecked(dialect.Postgres, nil) // want `UPDATE without Where or AllRows: BuildChecked fails`
	db.Exec(ctx, query.Delete(query.Table("users")).Returning(query.C("id")))          // want `DELETE without Where or AllRows: Exec fails`
	query.Build(dialect.MySQL, query.Update(query.Table("users")).Set("a", 1))         // want `UPDATE without Where or AllRows: Build fails`

	// Through local variables.
	d := orm.Delete[models.User](db)
	d.Exec(ctx) // want `DELETE without Where or AllRows`
	u := orm.Update[models.User](db)
	u = u.Set("name", "x")
	if id > 0 {
		u = u.Set("email", nil)
	}
	u.Exec(ctx) // want `UPDATE without Where or AllRows`
	w := orm.Delete[models.User](db)
	w.Where(query.C("id").Eq(id)) // want `result of orm.DeleteQuery\[models.User\].Where is not used`
	w.Exec(ctx)                   // want `DELETE without Where or AllRows`
}

// Not reported.
func fine(ctx context.Context, id int64, conds []query.Expr, q orm.DeleteQuery[models.User]) {
	orm.Update[models.User](db).Set("name", "x").Where(query.C("id").Eq(id)).Exec(ctx)
	orm.Update[models.User](db).Set("name", "x").OrWhere(query.C("id").Eq(id)).Exec(ctx)
	orm.Update[models.User](db).AllRows().Set("name", "x").Exec(ctx)
	orm.Delete[models.User](db).Where(conds...).Exec(ctx)
	query.Delete(query.Table("users")).AllRows().Build(dialect.SQLite)
	query.Update(query.Table("users")).Set("a", 1).Where(query.C("id").Eq(id)).Build(dialect.SQLite)
	// Where on some path.
	d := orm.Delete[models.User](db)
	if id > 0 {
		d = d.Where(query.C("id").Eq(id))
	}
	d.Exec(ctx)
	// Values the analyzer cannot follow: parameters, other functions,
	// variables whose address is taken.
	q.Exec(ctx)
	scoped(orm.Delete[models.User](db)).Exec(ctx)
	p := orm.Delete[models.User](db)
	restrict(&p)
	p.Exec(ctx)
	// A zero value, never set.
	var z orm.DeleteQuery[models.User]
	z.Exec(ctx)
	// Selects and inserts have no such rule.
	query.Select(query.C("id")).From(query.Table("users")).Build(dialect.SQLite)
	query.Insert(query.Table("users")).Columns("a").Values(1).Build(dialect.SQLite)
	// Not run.
	_ = orm.Delete[models.User](db)
}

func scoped(d orm.DeleteQuery[models.User]) orm.DeleteQuery[models.User] {
	return d.Where(query.C("name").Eq(1))
}

func restrict(d *orm.DeleteQuery[models.User]) { *d = d.Where(query.C("id").Eq(1)) }
