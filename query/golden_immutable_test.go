package query_test

import (
	"fmt"
	"reflect"
	"sync"
	"testing"

	"github.com/kingletdb/kinglet/dialect"
	"github.com/kingletdb/kinglet/query"
)

// Builders are immutable values: deriving two queries from one base must
// leave the base and both derived queries exactly as written, in any order of
// derivation and building, and also when many goroutines derive at once (run
// these with -race).

type derived struct {
	name string
	q    query.Expr
	sql  string
	args []any
}

// checkDerived builds every query twice, in forward and reverse order, so
// that a later derivation overwriting an earlier one's items shows up.
func checkDerived(t *testing.T, qs ...derived) {
	t.Helper()
	for pass := 0; pass < 2; pass++ {
		for i := range qs {
			c := qs[i]
			if pass == 1 {
				c = qs[len(qs)-1-i]
			}
			sql, args, err := query.Build(dialect.Postgres, c.q)
			if err != nil {
				t.Errorf("%s: %v", c.name, err)
				continue
			}
			if sql != c.sql || !reflect.DeepEqual(args, c.args) {
				t.Errorf("%s:\n got: %s %s\nwant: %s %s", c.name, sql, formatArgs(args), c.sql, formatArgs(c.args))
			}
		}
	}
}

func TestImmutableSelect(t *testing.T) {
	u, tw := query.Table("users"), query.Table("tweets")
	base := query.Select(u.C("id")).From(u).Where(u.C("active").Eq(true))
	a := base.Where(u.C("id").Gt(1)).OrderBy(u.C("id"))
	b := base.Where(u.C("id").Lt(9)).Join(tw, tw.C("user_id").Eq(u.C("id"))).OrderBy(u.C("id").Desc())
	c := base.OrWhere(u.C("username").Eq("root")).Columns(u.C("username")).Limit(3)
	a2 := a.Where(u.C("id").Ne(5)) // a has spare capacity: a2 may extend it in place…
	a3 := a.Where(u.C("id").Ne(6)) // …so a3 must not, or a2 would see id <> 6
	checkDerived(t,
		derived{"base", base, `SELECT "users"."id" FROM "users" WHERE "users"."active" = $1`, []any{true}},
		derived{"a", a, `SELECT "users"."id" FROM "users" WHERE "users"."active" = $1 AND "users"."id" > $2 ` +
			`ORDER BY "users"."id"`, []any{true, 1}},
		derived{"b", b, `SELECT "users"."id" FROM "users" JOIN "tweets" ON "tweets"."user_id" = "users"."id" ` +
			`WHERE "users"."active" = $1 AND "users"."id" < $2 ORDER BY "users"."id" DESC`, []any{true, 9}},
		derived{"c", c, `SELECT "users"."id", "users"."username" FROM "users" WHERE ("users"."active" = $1 ` +
			`OR "users"."username" = $2) LIMIT $3`, []any{true, "root", int64(3)}},
		derived{"a2", a2, `SELECT "users"."id" FROM "users" WHERE "users"."active" = $1 AND "users"."id" > $2 ` +
			`AND "users"."id" <> $3 ORDER BY "users"."id"`, []any{true, 1, 5}},
		derived{"a3", a3, `SELECT "users"."id" FROM "users" WHERE "users"."active" = $1 AND "users"."id" > $2 ` +
			`AND "users"."id" <> $3 ORDER BY "users"."id"`, []any{true, 1, 6}},
	)
}

func TestImmutableInsert(t *testing.T) {
	u := query.Table("users")
	base := query.Insert(u).Columns("username").Values("a")
	a := base.Values("b")
	b := base.Values("c").Returning(u.C("id"))
	a2 := a.Values("d")
	a3 := a.Rows([]any{"e"}, []any{"f"})
	up := base.OnConflict(query.Conflict("username").DoNothing())
	checkDerived(t,
		derived{"base", base, `INSERT INTO "users" ("username") VALUES ($1)`, []any{"a"}},
		derived{"a", a, `INSERT INTO "users" ("username") VALUES ($1), ($2)`, []any{"a", "b"}},
		derived{"b", b, `INSERT INTO "users" ("username") VALUES ($1), ($2) RETURNING "users"."id"`, []any{"a", "c"}},
		derived{"a2", a2, `INSERT INTO "users" ("username") VALUES ($1), ($2), ($3)`, []any{"a", "b", "d"}},
		derived{"a3", a3, `INSERT INTO "users" ("username") VALUES ($1), ($2), ($3), ($4)`, []any{"a", "b", "e", "f"}},
		derived{"upsert", up, `INSERT INTO "users" ("username") VALUES ($1) ON CONFLICT ("username") DO NOTHING`,
			[]any{"a"}},
	)
	// Conflict clauses are values too.
	cc := query.Conflict("username").Update("email")
	c1 := cc.DoUpdate(query.Assign("visits", 1))
	c2 := cc.DoUpdate(query.Assign("visits", 2))
	checkDerived(t,
		derived{"conflict 1", base.OnConflict(c1), `INSERT INTO "users" ("username") VALUES ($1) ON CONFLICT ` +
			`("username") DO UPDATE SET "email" = EXCLUDED."email", "visits" = $2`, []any{"a", 1}},
		derived{"conflict 2", base.OnConflict(c2), `INSERT INTO "users" ("username") VALUES ($1) ON CONFLICT ` +
			`("username") DO UPDATE SET "email" = EXCLUDED."email", "visits" = $2`, []any{"a", 2}},
		derived{"conflict base", base.OnConflict(cc), `INSERT INTO "users" ("username") VALUES ($1) ON CONFLICT ` +
			`("username") DO UPDATE SET "email" = EXCLUDED."email"`, []any{"a"}},
	)
	// Siblings whose first assignments, and whose attached clause, could
	// land in the block their Conflict shares: the first to claim a part
	// gets it, the others their own copies.
	tgt := query.Conflict("username", "email")
	s1 := tgt.DoUpdate(query.Assign("visits", 1))
	s2 := tgt.DoUpdate(query.Assign("visits", 2), query.Assign("email", "x"))
	s3 := tgt.DoNothing()
	i1 := base.OnConflict(s1)
	i1w := base.OnConflict(s1.Where(u.C("visits").Lt(10)))
	i1again := base.OnConflict(s1)
	const head = `INSERT INTO "users" ("username") VALUES ($1) ON CONFLICT ("username", "email") `
	checkDerived(t,
		derived{"sibling 1", i1, head + `DO UPDATE SET "visits" = $2`, []any{"a", 1}},
		derived{"sibling 1 where", i1w, head + `DO UPDATE SET "visits" = $2 WHERE "users"."visits" < $3`, []any{"a", 1, 10}},
		derived{"sibling 1 again", i1again, head + `DO UPDATE SET "visits" = $2`, []any{"a", 1}},
		derived{"sibling 2", base.OnConflict(s2), head + `DO UPDATE SET "visits" = $2, "email" = $3`, []any{"a", 2, "x"}},
		derived{"sibling 3", base.OnConflict(s3), head + `DO NOTHING`, []any{"a"}},
		derived{"three columns", base.OnConflict(query.Conflict("a", "b", "c").DoUpdate(query.Assign("d", 4))),
			`INSERT INTO "users" ("username") VALUES ($1) ON CONFLICT ("a", "b", "c") DO UPDATE SET "d" = $2`, []any{"a", 4}},
	)
}

func TestImmutableUpdate(t *testing.T) {
	u, tw := query.Table("users"), query.Table("tweets")
	base := query.Update(u).Set("active", false).Where(u.C("id").Gt(0))
	a := base.Set("visits", 0).Where(u.C("id").Lt(10))
	b := base.Where(u.C("id").Eq(42)).From(tw)
	c := base.OrWhere(u.C("username").Eq("x")).Returning(u.C("id"))
	a2 := a.Set("email", nil)
	a3 := a.Set("email", "z")
	// Siblings whose first Set, or first Where, lands in a block they share.
	s := query.Update(u).Set("active", true)
	s1, s2 := s.Where(u.C("id").Eq(1)), s.Where(u.C("id").Eq(2), u.C("visits").Lt(3))
	e := query.Update(u).Where(u.C("id").Eq(7))
	e1, e2 := e.Set("visits", 1), e.Set("visits", 2).Set("email", "y")
	checkDerived(t,
		derived{"s1", s1, `UPDATE "users" SET "active" = $1 WHERE "users"."id" = $2`, []any{true, 1}},
		derived{"s2", s2, `UPDATE "users" SET "active" = $1 WHERE "users"."id" = $2 AND "users"."visits" < $3`,
			[]any{true, 2, 3}},
		derived{"e1", e1, `UPDATE "users" SET "visits" = $1 WHERE "users"."id" = $2`, []any{1, 7}},
		derived{"e2", e2, `UPDATE "users" SET "visits" = $1, "email" = $2 WHERE "users"."id" = $3`, []any{2, "y", 7}},
		derived{"base", base, `UPDATE "users" SET "active" = $1 WHERE "users"."id" > $2`, []any{false, 0}},
		derived{"a", a, `UPDATE "users" SET "active" = $1, "visits" = $2 WHERE "users"."id" > $3 AND "users"."id" < $4`,
			[]any{false, 0, 0, 10}},
		derived{"b", b, `UPDATE "users" SET "active" = $1 FROM "tweets" WHERE "users"."id" > $2 AND "users"."id" = $3`,
			[]any{false, 0, 42}},
		derived{"c", c, `UPDATE "users" SET "active" = $1 WHERE ("users"."id" > $2 OR "users"."username" = $3) ` +
			`RETURNING "users"."id"`, []any{false, 0, "x"}},
		derived{"a2", a2, `UPDATE "users" SET "active" = $1, "visits" = $2, "email" = $3 WHERE "users"."id" > $4 ` +
			`AND "users"."id" < $5`, []any{false, 0, nil, 0, 10}},
		derived{"a3", a3, `UPDATE "users" SET "active" = $1, "visits" = $2, "email" = $3 WHERE "users"."id" > $4 ` +
			`AND "users"."id" < $5`, []any{false, 0, "z", 0, 10}},
	)
}

func TestImmutableDelete(t *testing.T) {
	u, tw := query.Table("users"), query.Table("tweets")
	base := query.Delete(tw).Where(tw.C("likes").Eq(0))
	a := base.Where(tw.C("id").Gt(5))
	b := base.Using(u).Where(u.C("id").Eq(tw.C("user_id")))
	c := base.OrWhere(tw.C("content").Eq("")).Returning(tw.C("id"))
	a2 := a.Where(tw.C("id").Lt(7))
	a3 := a.Where(tw.C("id").Lt(8))
	checkDerived(t,
		derived{"base", base, `DELETE FROM "tweets" WHERE "tweets"."likes" = $1`, []any{0}},
		derived{"a", a, `DELETE FROM "tweets" WHERE "tweets"."likes" = $1 AND "tweets"."id" > $2`, []any{0, 5}},
		derived{"b", b, `DELETE FROM "tweets" USING "users" WHERE "tweets"."likes" = $1 AND "users"."id" = ` +
			`"tweets"."user_id"`, []any{0}},
		derived{"c", c, `DELETE FROM "tweets" WHERE ("tweets"."likes" = $1 OR "tweets"."content" = $2) ` +
			`RETURNING "tweets"."id"`, []any{0, ""}},
		derived{"a2", a2, `DELETE FROM "tweets" WHERE "tweets"."likes" = $1 AND "tweets"."id" > $2 ` +
			`AND "tweets"."id" < $3`, []any{0, 5, 7}},
		derived{"a3", a3, `DELETE FROM "tweets" WHERE "tweets"."likes" = $1 AND "tweets"."id" > $2 ` +
			`AND "tweets"."id" < $3`, []any{0, 5, 8}},
	)
}

// TestImmutableConcurrent derives from one base in 8 goroutines at once; each
// goroutine's queries must carry exactly its own values.
func TestImmutableConcurrent(t *testing.T) {
	u, tw := query.Table("users"), query.Table("tweets")
	sel := query.Select(u.C("id")).From(u).Where(u.C("active").Eq(true))
	ins := query.Insert(u).Columns("username").Values("base")
	upd := query.Update(u).Set("active", false).Where(u.C("id").Gt(0))
	del := query.Delete(tw).Where(tw.C("likes").Eq(0))
	cc := query.Conflict("username") // its block's parts go to whichever worker claims them first
	const workers, rounds = 8, 200
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range rounds {
				n := w*rounds + r
				s := fmt.Sprint(n)
				checks := []derived{
					{"select", sel.Where(u.C("id").Eq(n)).OrderBy(u.C("id")).Join(tw, tw.C("id").Eq(n)),
						`SELECT "users"."id" FROM "users" JOIN "tweets" ON "tweets"."id" = $1 WHERE "users"."active" = $2 ` +
							`AND "users"."id" = $3 ORDER BY "users"."id"`, []any{n, true, n}},
					{"insert", ins.Values(s).Values(s + "!"),
						`INSERT INTO "users" ("username") VALUES ($1), ($2), ($3)`, []any{"base", s, s + "!"}},
					{"update", upd.Set("visits", n).Where(u.C("id").Ne(n)),
						`UPDATE "users" SET "active" = $1, "visits" = $2 WHERE "users"."id" > $3 AND "users"."id" <> $4`,
						[]any{false, n, 0, n}},
					{"upsert", ins.OnConflict(cc.DoUpdate(query.Assign("visits", n))),
						`INSERT INTO "users" ("username") VALUES ($1) ON CONFLICT ("username") DO UPDATE SET "visits" = $2`,
						[]any{"base", n}},
					{"delete", del.Where(tw.C("id").Eq(n)).OrWhere(tw.C("user_id").Eq(n)),
						`DELETE FROM "tweets" WHERE ("tweets"."likes" = $1 AND "tweets"."id" = $2 OR "tweets"."user_id" = $3)`,
						[]any{0, n, n}},
				}
				for _, c := range checks {
					sql, args, err := query.Build(dialect.Postgres, c.q)
					if err != nil || sql != c.sql || !reflect.DeepEqual(args, c.args) {
						t.Errorf("worker %d round %d %s:\n got: %s %s %v\nwant: %s %s", w, r, c.name, sql,
							formatArgs(args), err, c.sql, formatArgs(c.args))
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	// The bases are untouched.
	checkDerived(t,
		derived{"select base", sel, `SELECT "users"."id" FROM "users" WHERE "users"."active" = $1`, []any{true}},
		derived{"insert base", ins, `INSERT INTO "users" ("username") VALUES ($1)`, []any{"base"}},
		derived{"update base", upd, `UPDATE "users" SET "active" = $1 WHERE "users"."id" > $2`, []any{false, 0}},
		derived{"delete base", del, `DELETE FROM "tweets" WHERE "tweets"."likes" = $1`, []any{0}},
	)
}
