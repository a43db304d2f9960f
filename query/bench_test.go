package query_test

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/kingletdb/kinglet/dialect"
	"github.com/kingletdb/kinglet/query"
)

// Benchmarks of what a request pays: build the query value, then render it
// with Build (SQL text and argument slice). The "Render" variants build the
// value once and measure Build alone. Run with
//
//	go test -run '^$' -bench . -benchmem ./query/

var benchDialects = []struct {
	name string
	d    dialect.Dialect
}{
	{"sqlite", dialect.SQLite},
	{"postgres", dialect.Postgres},
	{"mysql", dialect.MySQL},
}

var (
	benchSQL  string
	benchArgs []any
)

// benchBuild measures build, which makes the query value and calls its Build
// method, as a caller does.
func benchBuild(b *testing.B, build func() (string, []any, error)) {
	b.Helper()
	if _, _, err := build(); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		sql, args, err := build()
		if err != nil {
			b.Fatal(err)
		}
		benchSQL, benchArgs = sql, args
	}
}

func benchRender(b *testing.B, d dialect.Dialect, q query.Expr) {
	b.Helper()
	if _, _, err := query.Build(d, q); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		sql, args, err := query.Build(d, q)
		if err != nil {
			b.Fatal(err)
		}
		benchSQL, benchArgs = sql, args
	}
}

var benchSince = time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)

// benchSelect is a SELECT with a join, three predicates, ORDER BY and LIMIT.
func benchSelect() query.SelectQuery {
	U := query.Table("users").As("u")
	T := query.Table("tweets").As("t")
	return query.Select(U.C("id"), U.C("username"), T.C("content")).
		From(U).
		Join(T, T.C("user_id").Eq(U.C("id"))).
		Where(U.C("active").Eq(true), T.C("created_at").Gt(benchSince), U.C("username").Like("a%")).
		OrderBy(T.C("created_at").Desc()).
		Limit(20)
}

// Tables declared once, as a program keeps them in package variables (see
// examples/querybuilder); benchSelectDeclared is benchSelect on them.
var (
	benchUsers  = query.Table("users").As("u")
	benchTweets = query.Table("tweets").As("t")
)

func benchSelectDeclared() query.SelectQuery {
	U, T := benchUsers, benchTweets
	return query.Select(U.C("id"), U.C("username"), T.C("content")).
		From(U).
		Join(T, T.C("user_id").Eq(U.C("id"))).
		Where(U.C("active").Eq(true), T.C("created_at").Gt(benchSince), U.C("username").Like("a%")).
		OrderBy(T.C("created_at").Desc()).
		Limit(20)
}

// benchInsert100 is a 100-row INSERT of four columns, one Values call per row
// as a caller looping over its data would write it.
func benchInsert100() query.InsertQuery {
	q := query.Insert(query.Table("events")).Columns("id", "name", "active", "created_at")
	for i := range 100 {
		q = q.Values(int64(i), "event", i%2 == 0, benchSince)
	}
	return q
}

// benchInsertRows100 is the same INSERT built with a single Rows call.
func benchInsertRows100() query.InsertQuery {
	rows := make([][]any, 100)
	for i := range rows {
		rows[i] = []any{int64(i), "event", i%2 == 0, benchSince}
	}
	return query.Insert(query.Table("events")).Columns("id", "name", "active", "created_at").Rows(rows...)
}

// benchUpsert is INSERT … ON CONFLICT (id) DO UPDATE, or ON DUPLICATE KEY
// UPDATE on MySQL.
func benchUpsert() query.InsertQuery {
	U := query.Table("users")
	return query.Insert(U).Columns("id", "username", "visits").
		Values(int64(1), "alice", 1).
		OnConflict(query.Conflict("id").DoUpdate(
			query.Assign("username", query.Excluded("username")),
			query.Assign("visits", U.C("visits").Add(1)),
		))
}

// benchUpdate is UPDATE counters SET counter = counter + 1 WHERE id = ?.
func benchUpdate() query.UpdateQuery {
	return query.Update(query.Table("counters")).
		Set("counter", query.C("counter").Add(1)).
		Where(query.C("id").Eq(int64(42)))
}

func BenchmarkSelect(b *testing.B) {
	for _, bd := range benchDialects {
		b.Run(bd.name, func(b *testing.B) { benchBuild(b, func() (string, []any, error) { return benchSelect().Build(bd.d) }) })
	}
}

// BenchmarkSelectDeclared is BenchmarkSelect with the tables declared once.
func BenchmarkSelectDeclared(b *testing.B) {
	for _, bd := range benchDialects {
		b.Run(bd.name, func(b *testing.B) {
			benchBuild(b, func() (string, []any, error) { return benchSelectDeclared().Build(bd.d) })
		})
	}
}

func BenchmarkSelectRender(b *testing.B) {
	for _, bd := range benchDialects {
		b.Run(bd.name, func(b *testing.B) { benchRender(b, bd.d, benchSelect()) })
	}
}

func BenchmarkInsert100(b *testing.B) {
	for _, bd := range benchDialects {
		b.Run(bd.name, func(b *testing.B) {
			benchBuild(b, func() (string, []any, error) { return benchInsert100().Build(bd.d) })
		})
	}
}

func BenchmarkInsertRows100(b *testing.B) {
	for _, bd := range benchDialects {
		b.Run(bd.name, func(b *testing.B) {
			benchBuild(b, func() (string, []any, error) { return benchInsertRows100().Build(bd.d) })
		})
	}
}

func BenchmarkInsert100Render(b *testing.B) {
	for _, bd := range benchDialects {
		b.Run(bd.name, func(b *testing.B) { benchRender(b, bd.d, benchInsert100()) })
	}
}

func BenchmarkUpsert(b *testing.B) {
	for _, bd := range benchDialects {
		b.Run(bd.name, func(b *testing.B) { benchBuild(b, func() (string, []any, error) { return benchUpsert().Build(bd.d) }) })
	}
}

func BenchmarkUpdate(b *testing.B) {
	for _, bd := range benchDialects {
		b.Run(bd.name, func(b *testing.B) { benchBuild(b, func() (string, []any, error) { return benchUpdate().Build(bd.d) }) })
	}
}

// BenchmarkSelectParallel shares one base query between goroutines that each
// derive and render their own, as concurrent requests do.
func BenchmarkSelectParallel(b *testing.B) {
	base := benchSelect()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			q := base.Where(query.C("id").Gt(int64(7)))
			if _, _, err := q.Build(dialect.Postgres); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// TestDeriveConcurrently checks the shared, append-only lists behind the
// builders (see list.go), which the benchmarks above rely on: queries derived
// from one base in several goroutines each see exactly their own items. Run
// it with -race.
func TestDeriveConcurrently(t *testing.T) {
	ins := query.Insert(query.Table("t")).Columns("a", "b").Values(0, "base").Rows([]any{1, "base"})
	sel := query.Select(query.C("a")).From(query.Table("t")).Where(query.C("a").Gt(0))
	done := make(chan error)
	for g := range 8 {
		go func() {
			var err error
			for i := range 50 {
				q := ins
				sq := sel
				for k := range 3 {
					q = q.Values(g, i*10+k)
					sq = sq.Where(query.C("b").Eq(g*1000 + i*10 + k))
				}
				_, args, e := q.Build(dialect.SQLite)
				want := []any{0, "base", 1, "base", g, i * 10, g, i*10 + 1, g, i*10 + 2}
				if e != nil || !reflect.DeepEqual(args, want) {
					err = fmt.Errorf("goroutine %d: insert args %v, %v; want %v", g, args, e, want)
					break
				}
				_, args, e = sq.Build(dialect.SQLite)
				want = []any{0, g*1000 + i*10, g*1000 + i*10 + 1, g*1000 + i*10 + 2}
				if e != nil || !reflect.DeepEqual(args, want) {
					err = fmt.Errorf("goroutine %d: select args %v, %v; want %v", g, args, e, want)
					break
				}
			}
			done <- err
		}()
	}
	for range 8 {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}

// BenchmarkInstructions builds each statement through one function that is
// never inlined, buildOnce, so that bench/instructions.sh can count the
// machine instructions of a build under callgrind (--toggle-collect on
// buildOnce): a count that, unlike the time on a shared VM, repeats exactly.
func BenchmarkInstructions(b *testing.B) {
	for _, c := range []struct {
		name  string
		build func() (string, []any, error)
	}{
		{"select", func() (string, []any, error) { return benchSelect().Build(dialect.Postgres) }},
		{"insert100", func() (string, []any, error) { return benchInsert100().Build(dialect.Postgres) }},
		{"upsert", func() (string, []any, error) { return benchUpsert().Build(dialect.Postgres) }},
		{"update", func() (string, []any, error) { return benchUpdate().Build(dialect.Postgres) }},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if err := buildOnce(c.build); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

//go:noinline
func buildOnce(build func() (string, []any, error)) error {
	var err error
	benchSQL, benchArgs, err = build()
	return err
}
