package query_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/kingletdb/kinglet/dialect"
	"github.com/kingletdb/kinglet/internal/testdb"
	"github.com/kingletdb/kinglet/query"
)

func exAllKV() query.SelectQuery {
	return query.Select(exKV.C("k"), exKV.C("v"), exKV.C("n")).From(exKV).OrderBy(exKV.C("k"))
}

func exAllCounters() query.SelectQuery {
	return query.Select(exCounters.C("name"), exCounters.C("n")).From(exCounters).OrderBy(exCounters.C("name"))
}

// TestExecInsert runs INSERT in its forms.
func TestExecInsert(t *testing.T) {
	t.Parallel()
	U, KV := exUsers, exKV
	// RETURNING on INSERT is refused for MySQL, without a server.
	exBuildErr(t, dialect.MySQL, query.Insert(U).Columns("username").Values("x").Returning(U.C("id")),
		query.ErrUnsupported, "INSERT … RETURNING", "mysql")
	exSeeded(t, func(t *testing.T, db *testdb.DB) {
		t.Run("one_row", func(t *testing.T) {
			n := exExec(t, db, query.Insert(KV).Columns("k", "v", "n").Values("one", "1", 1))
			require.EqualValues(t, 1, n)
			exCheck(t, db, exAllKV().Where(KV.C("k").Eq("one")), xt(xr("one", "1", 1)))
		})
		t.Run("many_rows", func(t *testing.T) {
			n := exExec(t, db, query.Insert(KV).Columns("k", "v", "n").
				Values("m1", "a", 10).Values("m2", nil, nil).Rows([]any{"m3", "c", 30}, []any{"m4", "", 0}))
			require.EqualValues(t, 4, n)
			exCheck(t, db, exAllKV().Where(KV.C("k").Like("m%")), xt(
				xr("m1", "a", 10), xr("m2", nil, nil), xr("m3", "c", 30), xr("m4", "", 0)))
		})
		t.Run("without_column_list", func(t *testing.T) {
			require.EqualValues(t, 1, exExec(t, db, query.Insert(exCounters).Values("nocols", 9)))
			exCheck(t, db, exAllCounters().Where(exCounters.C("name").Eq("nocols")), xt(xr("nocols", 9)))
		})
		t.Run("expressions", func(t *testing.T) {
			exExec(t, db, query.Insert(KV).Columns("k", "v", "n").
				Values("expr", query.Upper(query.V("shout")).Concat("!"), query.SQL("6").Mul(7)))
			exCheck(t, db, exAllKV().Where(KV.C("k").Eq("expr")), xt(xr("expr", "SHOUT!", 42)))
		})
		t.Run("insert_select", func(t *testing.T) {
			n := exExec(t, db, query.Insert(KV).Columns("k", "v", "n").
				Select(query.Select(U.C("username"), U.C("email"), U.C("age")).From(U).Where(U.C("active").Eq(false))))
			require.EqualValues(t, 2, n)
			exCheck(t, db, exAllKV().Where(KV.C("k").In("carol", "eve")), xt(
				xr("carol", "carol@example.org", 35), xr("eve", "eve@example.com", 28)))
			// INSERT … SELECT with an aggregate and without WHERE.
			n = exExec(t, db, query.Insert(exCounters).Columns("name", "n").
				Select(query.Select(query.Concat("tweets_of_", exUsers.C("username")), query.Count(exTweets.C("id"))).
					From(U).LeftJoin(exTweets, exTweets.C("user_id").Eq(U.C("id"))).GroupBy(U.C("username"))))
			require.EqualValues(t, 5, n)
			exCheck(t, db, exAllCounters().Where(exCounters.C("name").Like("tweets_of_%")), xt(
				xr("tweets_of_alice", 3), xr("tweets_of_bob", 2), xr("tweets_of_carol", 1), xr("tweets_of_dave", 0),
				xr("tweets_of_eve", 1)))
		})
		t.Run("default_values", func(t *testing.T) {
			d := query.Table("defaults_only")
			exExec(t, db, query.CreateTable(d).Column(
				exAutoPK,
				query.ColumnDef{Name: "n", Type: exInt32, NotNull: true, Default: 7},
				query.ColumnDef{Name: "s", Type: exStr(16), NotNull: true, Default: "x"},
				query.ColumnDef{Name: "flag", Type: exBool, NotNull: true, Default: false},
				query.ColumnDef{Name: "note", Type: exStr(16)},
				query.ColumnDef{Name: "created", Type: exTime, NotNull: true, Default: query.Now()},
			))
			require.EqualValues(t, 1, exExec(t, db, query.Insert(d).DefaultValues()))
			require.EqualValues(t, 1, exExec(t, db, query.Insert(d).DefaultValues()))
			exCheck(t, db, query.Select(d.C("id"), d.C("n"), d.C("s"), d.C("flag"), d.C("note"), d.C("created").IsNotNull()).
				From(d).OrderBy(d.C("id")), xt(xr(1, 7, "x", false, nil, true), xr(2, 7, "x", false, nil, true)))
			// With RETURNING where the engine has it.
			if db.Dialect.Has(dialect.InsertReturning) {
				exCheck(t, db, query.Insert(d).DefaultValues().Returning(d.C("id"), d.C("s")), xt(xr(3, "x")))
			}
		})
		t.Run("returning", func(t *testing.T) {
			q := query.Insert(U).Columns("username", "age").Values("zoe", 20).Values("yan", 21).
				Returning(U.C("id"), U.C("username"), U.C("active"), U.C("age").Add(1).As("next"), U.C("email"))
			if !db.Dialect.Has(dialect.InsertReturning) {
				exBuildErr(t, db.Dialect, q, query.ErrUnsupported, "RETURNING")
				return
			}
			// Defaults (active) and generated ids come back.
			exCheck(t, db, q, xt(xr(6, "zoe", true, 21, nil), xr(7, "yan", true, 22, nil)))
			exCheck(t, db, query.Select(query.CountAll()).From(U), xt(xr(7)))
			// RETURNING *.
			exCheck(t, db, query.Insert(exCounters).Columns("name", "n").Values("ret", 1).Returning(query.Star()),
				xt(xr("ret", 1)))
		})
		t.Run("values_round_trip", func(t *testing.T) {
			ts := time.Date(2025, 6, 7, 8, 9, 10, 123456000, time.UTC)
			exExec(t, db, query.Insert(U).Columns("username", "email", "active", "age", "created").
				Values("tim", "t@x.io", false, nil, ts))
			exCheck(t, db, query.Select(U.C("email"), U.C("active"), U.C("age"), U.C("created")).From(U).
				Where(U.C("username").Eq("tim")), xt(xr("t@x.io", false, nil, ts)))
			exCheck(t, db, query.Select(U.C("username")).From(U).Where(U.C("created").Eq(ts)), xt(xr("tim")))
		})
		t.Run("with_cte", func(t *testing.T) {
			// WITH … INSERT on SQLite and PostgreSQL; MariaDB takes the WITH
			// only inside the SELECT, where the builder moves it.
			src := query.Select(exTags.C("name"), exTags.C("tag_id")).From(exTags).CTE("src")
			q := query.Insert(exCounters).Columns("name", "n").With(src).
				Select(query.Select(query.Concat("tag_", src.C("name")), src.C("tag_id")).From(src.Table()))
			require.EqualValues(t, 3, exExec(t, db, q))
			exCheck(t, db, exAllCounters().Where(exCounters.C("name").StartsWith("tag_")), xt(
				xr("tag_go", 1), xr("tag_misc", 3), xr("tag_sql", 2)))
			// WITH on INSERT … VALUES: nowhere to put it on MariaDB.
			qv := query.Insert(exCounters).Columns("name", "n").With(src).
				Values("tags", query.Select(query.CountAll()).From(src.Table()))
			if db.Dialect.Has(dialect.CTEBeforeInsert) {
				exExec(t, db, qv)
				exCheck(t, db, exAllCounters().Where(exCounters.C("name").Eq("tags")), xt(xr("tags", 3)))
			} else {
				exBuildErr(t, db.Dialect, qv, query.ErrUnsupported, "WITH before INSERT")
			}
		})
	})
}

// TestExecUpsert runs ON CONFLICT / ON DUPLICATE KEY UPDATE; the final rows
// are the same on all engines.
func TestExecUpsert(t *testing.T) {
	t.Parallel()
	C, KV := exCounters, exKV
	ins := func(rows ...[]any) query.InsertQuery {
		return query.Insert(C).Columns("name", "n").Rows(rows...)
	}
	exSeeded(t, func(t *testing.T, db *testdb.DB) {
		t.Run("do_nothing", func(t *testing.T) {
			// A conflicting row left alone is not affected on SQLite and
			// PostgreSQL. MariaDB's DO NOTHING is "name = name", a no-op update
			// that counts as 1 with CLIENT_FOUND_ROWS (which testdb and
			// orm.Open set: matched rows, not changed rows).
			n := exExec(t, db, ins([]any{"hits", 100}).OnConflict(query.Conflict("name").DoNothing()))
			require.EqualValues(t, exPerEngine(db, 0, 0, 1), n)
			n = exExec(t, db, ins([]any{"hits", 100}, []any{"fresh", 1}).OnConflict(query.Conflict("name").DoNothing()))
			require.EqualValues(t, exPerEngine(db, 1, 1, 2), n)
			exCheck(t, db, exAllCounters(), xt(xr("fresh", 1), xr("hits", 5), xr("misses", 0)))
			// On a composite key.
			n = exExec(t, db, query.Insert(exTweetTags).Columns("tweet_id", "tag_id").Values(1, 1).Values(1, 3).
				OnConflict(query.Conflict("tweet_id", "tag_id").DoNothing()))
			require.EqualValues(t, exPerEngine(db, 1, 1, 2), n)
			exCheck(t, db, query.Select(exTweetTags.C("tag_id")).From(exTweetTags).Where(exTweetTags.C("tweet_id").Eq(1)).
				OrderBy(exTweetTags.C("tag_id")), xt(xr(1), xr(2), xr(3)))
		})
		t.Run("do_update_expression", func(t *testing.T) {
			// n = counters.n + EXCLUDED.n (VALUES(n) on MariaDB).
			n := exExec(t, db, ins([]any{"hits", 3}, []any{"new", 4}).
				OnConflict(query.Conflict("name").DoUpdate(query.Assign("n", C.C("n").Add(query.Excluded("n"))))))
			// MySQL counts an updated row twice (an inserted one once).
			require.EqualValues(t, exPerEngine(db, 2, 2, 3), n)
			exCheck(t, db, exAllCounters(), xt(xr("fresh", 1), xr("hits", 8), xr("misses", 0), xr("new", 4)))
			// Several assignments, one a constant.
			exExec(t, db, query.Insert(KV).Columns("k", "v", "n").Values("zed", "zz", 5).
				OnConflict(query.Conflict("k").DoUpdate(query.Assign("v", query.Excluded("v").Concat("-", KV.C("v"))),
					query.Assign("n", 99))))
			exCheck(t, db, exAllKV().Where(KV.C("k").Eq("zed")), xt(xr("zed", "zz-Z", 99)))
		})
		t.Run("update_shorthand", func(t *testing.T) {
			exExec(t, db, query.Insert(KV).Columns("k", "v", "n").Values("alice", "AA", 10).Values("newkey", "N", 7).
				OnConflict(query.Conflict("k").Update("v", "n")))
			exCheck(t, db, exAllKV(), xt(xr("alice", "AA", 10), xr("bob", nil, 3), xr("newkey", "N", 7), xr("zed", "zz-Z", 99)))
			// Setting a column to NULL through EXCLUDED.
			exExec(t, db, query.Insert(KV).Columns("k", "v").Values("alice", nil).OnConflict(query.Conflict("k").Update("v")))
			exCheck(t, db, exAllKV().Where(KV.C("k").Eq("alice")), xt(xr("alice", nil, 10)))
		})
		t.Run("where", func(t *testing.T) {
			// Update only when the proposed value is larger.
			q := ins([]any{"hits", 1}, []any{"misses", 1}).OnConflict(query.Conflict("name").
				DoUpdate(query.Assign("n", query.Excluded("n"))).Where(C.C("n").Lt(query.Excluded("n"))))
			if db.Engine == testdb.MySQL {
				exBuildErr(t, db.Dialect, q, query.ErrUnsupported, "WHERE on an upsert", "mariadb")
				// What the WHERE means, by hand: GREATEST keeps the larger.
				exExec(t, db, ins([]any{"hits", 1}, []any{"misses", 1}).OnConflict(query.Conflict("name").
					DoUpdate(query.Assign("n", query.Func("GREATEST", C.C("n"), query.Excluded("n"))))))
			} else {
				require.EqualValues(t, 1, exExec(t, db, q))
			}
			exCheck(t, db, exAllCounters(), xt(xr("fresh", 1), xr("hits", 8), xr("misses", 1), xr("new", 4)))
		})
		t.Run("insert_select", func(t *testing.T) {
			// INSERT … SELECT … ON CONFLICT: the builder adds WHERE 1 = 1 so
			// that SQLite does not read "FROM kv ON CONFLICT" as a join.
			q := query.Insert(C).Columns("name", "n").Select(query.Select(KV.C("k"), KV.C("n")).From(KV)).
				OnConflict(query.Conflict("name").DoUpdate(query.Assign("n", C.C("n").Add(query.Excluded("n")))))
			s, _ := exBuild(t, db.Dialect, q)
			if db.Engine == testdb.SQLite {
				require.Regexp(t, `FROM "kv" WHERE \(?1 = 1\)? ON CONFLICT`, s)
			}
			exExec(t, db, q)
			exCheck(t, db, exAllCounters(), xt(xr("alice", 10), xr("bob", 3), xr("fresh", 1), xr("hits", 8),
				xr("misses", 1), xr("new", 4), xr("newkey", 7), xr("zed", 99)))
			exExec(t, db, q) // every row conflicts now
			exCheck(t, db, exAllCounters(), xt(xr("alice", 20), xr("bob", 6), xr("fresh", 1), xr("hits", 8),
				xr("misses", 1), xr("new", 4), xr("newkey", 14), xr("zed", 198)))
			// With a join in the SELECT and no WHERE.
			exExec(t, db, query.Insert(C).Columns("name", "n").
				Select(query.Select(exUsers.C("username"), query.Count(exTweets.C("id"))).From(exUsers).
					Join(exTweets, exTweets.C("user_id").Eq(exUsers.C("id"))).GroupBy(exUsers.C("username"))).
				OnConflict(query.Conflict("name").Update("n")))
			exCheck(t, db, exAllCounters().Where(C.C("name").In("alice", "bob", "carol", "eve")),
				xt(xr("alice", 3), xr("bob", 2), xr("carol", 1), xr("eve", 1)))
			// With a compound SELECT.
			exExec(t, db, query.Insert(C).Columns("name", "n").
				Select(query.Select(KV.C("k"), KV.C("n")).From(KV).Where(KV.C("k").Eq("bob")).
					UnionAll(query.Select(exTags.C("name"), exTags.C("tag_id")).From(exTags))).
				OnConflict(query.Conflict("name").Update("n")))
			exCheck(t, db, exAllCounters().Where(C.C("name").In("bob", "go", "sql", "misc")),
				xt(xr("bob", 3), xr("go", 1), xr("misc", 3), xr("sql", 2)))
		})
		t.Run("targets", func(t *testing.T) {
			// No target, DO NOTHING: any conflict.
			exExec(t, db, ins([]any{"hits", 50}, []any{"t1", 1}).OnConflict(query.Conflict().DoNothing()))
			exCheck(t, db, exAllCounters().Where(C.C("name").In("hits", "t1")), xt(xr("hits", 8), xr("t1", 1)))
			// No target, DO UPDATE: SQLite (3.35+) and MariaDB; PostgreSQL needs one.
			noTarget := ins([]any{"t1", 2}).OnConflict(query.Conflict().Update("n"))
			if db.Engine == testdb.Postgres {
				exBuildErr(t, db.Dialect, noTarget, query.ErrInvalid, "needs conflict target")
				noTarget = ins([]any{"t1", 2}).OnConflict(query.Conflict("name").Update("n"))
			}
			exExec(t, db, noTarget)
			// ON CONFLICT ON CONSTRAINT: PostgreSQL only.
			onPK := ins([]any{"t1", 3}).OnConflict(query.Conflict().OnConstraint("counters_pkey").Update("n"))
			if db.Engine == testdb.Postgres {
				exExec(t, db, onPK)
			} else {
				exBuildErr(t, db.Dialect, onPK, query.ErrUnsupported, db.Dialect.Name())
				exExec(t, db, ins([]any{"t1", 3}).OnConflict(query.Conflict("name").Update("n")))
			}
			exCheck(t, db, exAllCounters().Where(C.C("name").Eq("t1")), xt(xr("t1", 3)))
			// A target with the predicate of a partial unique index (PostgreSQL, SQLite).
			pu := query.Table("pu")
			exExec(t, db, query.CreateTable(pu).Column(query.ColumnDef{Name: "k", Type: exStr(8), NotNull: true},
				query.ColumnDef{Name: "live", Type: exBool, NotNull: true}, query.ColumnDef{Name: "n", Type: exInt32}))
			partial := query.Insert(pu).Columns("k", "live", "n").Values("a", true, 2).
				OnConflict(query.Conflict("k").TargetWhere(query.C("live").Eq(true)).Update("n"))
			if !db.Dialect.Has(dialect.PartialIndex) {
				exBuildErr(t, db.Dialect, partial, query.ErrUnsupported, "named conflict target")
				return
			}
			exExec(t, db, query.CreateIndex("ix_pu_live_k", pu, "k").Unique().Where(query.C("live").Eq(true)))
			exExec(t, db, query.Insert(pu).Columns("k", "live", "n").Values("a", true, 1).Values("a", false, 1).Values("a", false, 1))
			// The target's predicate is written with literals, as the index's
			// is: SQLite refuses to match a bound parameter against it.
			s, _ := exBuild(t, db.Dialect, partial)
			require.Contains(t, s, exPerEngine(db, `WHERE "live" = 1 DO UPDATE`, `WHERE "live" = TRUE DO UPDATE`, ""))
			exExec(t, db, partial)
			exCheck(t, db, query.Select(pu.C("live"), query.Sum(pu.C("n"))).From(pu).GroupBy(pu.C("live")).OrderBy(pu.C("live")),
				xt(xr(false, 2), xr(true, 2)))
			// Table-qualified, and DO NOTHING.
			exExec(t, db, query.Insert(pu).Columns("k", "live", "n").Values("a", true, 7).
				OnConflict(query.Conflict("k").TargetWhere(pu.C("live").Eq(true)).DoNothing()))
			exCheck(t, db, query.Select(pu.C("n")).From(pu).Where(pu.C("live").Eq(true)), xt(xr(2)))
		})
		t.Run("target_alias", func(t *testing.T) {
			// INSERT INTO counters AS c … c.n + EXCLUDED.n (PostgreSQL, SQLite).
			c := exCounters.As("c")
			q := query.Insert(c).Columns("name", "n").Values("hits", 1).
				OnConflict(query.Conflict("name").DoUpdate(query.Assign("n", c.C("n").Add(query.Excluded("n")))))
			if !db.Dialect.Has(dialect.InsertAlias) {
				exBuildErr(t, db.Dialect, q, query.ErrUnsupported, "INSERT INTO … AS alias", "mariadb")
				q = ins([]any{"hits", 1}).OnConflict(query.Conflict("name").DoUpdate(query.Assign("n", C.C("n").Add(query.Excluded("n")))))
			}
			exExec(t, db, q)
			exCheck(t, db, exAllCounters().Where(C.C("name").Eq("hits")), xt(xr("hits", 9)))
			exExec(t, db, query.Update(C).Set("n", 8).Where(C.C("name").Eq("hits")))
		})
		t.Run("returning", func(t *testing.T) {
			q := ins([]any{"hits", 2}).OnConflict(query.Conflict("name").
				DoUpdate(query.Assign("n", C.C("n").Add(query.Excluded("n"))))).Returning(C.C("name"), C.C("n"))
			if !db.Dialect.Has(dialect.InsertReturning) {
				exBuildErr(t, db.Dialect, q, query.ErrUnsupported, "RETURNING")
				return
			}
			// Every engine returns the row as updated.
			exCheck(t, db, q, xt(xr("hits", 10)))
			exCheck(t, db, exAllCounters().Where(C.C("name").Eq("hits")), xt(xr("hits", 10)))
		})
	})
}

// TestExecUpdate runs UPDATE in its forms.
func TestExecUpdate(t *testing.T) {
	t.Parallel()
	U, T, C, KV := exUsers, exTweets, exCounters, exKV
	exSeeded(t, func(t *testing.T, db *testdb.DB) {
		t.Run("set_value", func(t *testing.T) {
			n := exExec(t, db, query.Update(U).Set("email", "bob@x.io").Set("active", false).Where(U.C("username").Eq("bob")))
			require.EqualValues(t, 1, n)
			exCheck(t, db, query.Select(U.C("email"), U.C("active")).From(U).Where(U.C("id").Eq(2)), xt(xr("bob@x.io", false)))
			// To NULL, and with several columns.
			exExec(t, db, query.Update(U).Set("email", nil).Set("active", true).Where(U.C("id").Eq(2)))
			exCheck(t, db, query.Select(U.C("email"), U.C("active")).From(U).Where(U.C("id").Eq(2)), xt(xr(nil, true)))
		})
		t.Run("set_expression", func(t *testing.T) {
			inc := query.Update(C).Set("n", C.C("n").Add(1)).Where(C.C("name").Eq("hits"))
			require.EqualValues(t, 1, exExec(t, db, inc))
			require.EqualValues(t, 1, exExec(t, db, inc))
			exCheck(t, db, exAllCounters(), xt(xr("hits", 7), xr("misses", 0)))
			// Assignments see the old row: swap-like arithmetic.
			exExec(t, db, query.Update(U).Set("age", U.C("age").Mul(2).Sub(U.C("id"))).Where(U.C("age").IsNotNull()))
			exCheck(t, db, query.Select(U.C("age")).From(U).OrderBy(U.C("id")), xt(xr(59), xr(48), xr(67), xr(nil), xr(51)))
			// A scalar subquery as the value.
			exExec(t, db, query.Update(C).Set("n", query.Select(query.CountAll()).From(T)).Where(C.C("name").Eq("misses")))
			exCheck(t, db, exAllCounters(), xt(xr("hits", 7), xr("misses", 7)))
			// CASE as the value (its results SQL constants: PostgreSQL types a
			// CASE of bare parameters as text, which a bigint column refuses).
			exExec(t, db, query.Update(C).SetAll(query.Assign("n",
				query.CaseOf(C.C("name")).When("hits", query.SQL("1")).Else(query.SQL("2")))).AllRows())
			exCheck(t, db, exAllCounters(), xt(xr("hits", 1), xr("misses", 2)))
		})
		t.Run("or_where", func(t *testing.T) {
			n := exExec(t, db, query.Update(KV).Set("v", "or").Where(KV.C("k").Eq("alice")).OrWhere(KV.C("n").Eq(2)))
			require.EqualValues(t, 2, n)
			exCheck(t, db, exAllKV(), xt(xr("alice", "or", 1), xr("bob", nil, 3), xr("zed", "or", 2)))
		})
		t.Run("from", func(t *testing.T) {
			// UPDATE kv SET n = users.age FROM users WHERE … (MariaDB: UPDATE kv, users SET …).
			n := exExec(t, db, query.Update(KV).Set("n", U.C("age")).From(U).Where(U.C("username").Eq(KV.C("k"))))
			require.EqualValues(t, 2, n)
			exCheck(t, db, exAllKV(), xt(xr("alice", "or", 59), xr("bob", nil, 48), xr("zed", "or", 2)))
		})
		t.Run("join", func(t *testing.T) {
			// Tweets of inactive users get 100 more likes.
			n := exExec(t, db, query.Update(T).Join(U, U.C("id").Eq(T.C("user_id"))).Set("likes", T.C("likes").Add(100)).
				Where(U.C("active").Eq(false)))
			require.EqualValues(t, 2, n)
			exCheck(t, db, query.Select(T.C("id"), T.C("likes")).From(T).OrderBy(T.C("id")), xt(
				xr(1, 10), xr(2, 5), xr(3, 7), xr(4, 100), xr(5, 3), xr(6, 112), xr(7, 7)))
			// Join plus From.
			n = exExec(t, db, query.Update(T).Join(U, U.C("id").Eq(T.C("user_id"))).From(exTags).
				Set("likes", exTags.C("tag_id")).Where(exTags.C("name").Eq("misc"), U.C("username").Eq("bob")))
			require.EqualValues(t, 2, n)
			exCheck(t, db, query.Select(T.C("id"), T.C("likes")).From(T).Where(T.C("user_id").Eq(2)).OrderBy(T.C("id")),
				xt(xr(3, 3), xr(7, 3)))
		})
		t.Run("from_derived_table", func(t *testing.T) {
			// age = the user's total likes, from a grouped derived table.
			totals := query.Select(T.C("user_id"), query.Sum(T.C("likes")).As("total")).From(T).GroupBy(T.C("user_id")).As("d")
			n := exExec(t, db, query.Update(KV).Set("n", totals.C("total")).From(U, totals).
				Where(U.C("username").Eq(KV.C("k")), totals.C("user_id").Eq(U.C("id"))))
			require.EqualValues(t, 2, n)
			exCheck(t, db, exAllKV(), xt(xr("alice", "or", 18), xr("bob", nil, 6), xr("zed", "or", 2)))
			exExec(t, db, query.Update(KV).Set("n", U.C("age")).From(U).Where(U.C("username").Eq(KV.C("k"))))
		})
		t.Run("alias", func(t *testing.T) {
			tw := exTweets.As("tw")
			n := exExec(t, db, query.Update(tw).Set("likes", tw.C("likes").Sub(100)).Where(tw.C("likes").Ge(100)))
			require.EqualValues(t, 2, n)
			exCheck(t, db, query.Select(T.C("id"), T.C("likes")).From(T).Where(T.C("id").In(4, 6)).OrderBy(T.C("id")),
				xt(xr(4, 0), xr(6, 12)))
		})
		t.Run("returning_alias_and_star", func(t *testing.T) {
			tw := exTweets.As("tw")
			q := query.Update(tw).Set("likes", tw.C("likes").Add(1)).Where(tw.C("id").Eq(1)).
				Returning(tw.C("id"), tw.C("likes"))
			star := query.Update(exTags).Set("name", "gopher").Where(exTags.C("tag_id").Eq(1)).Returning(exTags.Star())
			if !db.Dialect.Has(dialect.UpdateReturning) {
				exBuildErr(t, db.Dialect, q, query.ErrUnsupported, "UPDATE … RETURNING")
				exBuildErr(t, db.Dialect, star, query.ErrUnsupported, "UPDATE … RETURNING")
				exExec(t, db, q.Returning())
				exExec(t, db, star.Returning())
			} else {
				// SQLite's RETURNING names neither the alias nor table.*: the
				// builder writes bare columns and *.
				exCheck(t, db, q, xt(xr(1, 11)))
				exCheck(t, db, star, xt(xr(1, "gopher")))
			}
			exCheck(t, db, query.Select(T.C("likes")).From(T).Where(T.C("id").Eq(1)), xt(xr(11)))
		})
		t.Run("returning", func(t *testing.T) {
			q := query.Update(C).Set("n", C.C("n").Mul(10)).Where(C.C("name").Eq("misses")).
				Returning(C.C("name"), C.C("n").As("n"), C.C("n").Add(1).As("n1"))
			if !db.Dialect.Has(dialect.UpdateReturning) {
				exBuildErr(t, db.Dialect, q, query.ErrUnsupported, "UPDATE … RETURNING", db.Dialect.Name())
				exExec(t, db, q.Returning())
			} else {
				exCheck(t, db, q, xt(xr("misses", 20, 21)))
			}
			exCheck(t, db, exAllCounters(), xt(xr("hits", 1), xr("misses", 20)))
		})
		t.Run("with_cte", func(t *testing.T) {
			// WITH … UPDATE: SQLite and PostgreSQL (MySQL 8 too), not MariaDB.
			hot := query.Select(T.C("user_id")).From(T).Where(T.C("likes").Ge(10)).CTE("hot")
			q := query.Update(KV).Set("v", "hot").With(hot).
				Where(KV.C("k").In(query.Select(U.C("username")).From(U).Join(hot.Table(), hot.C("user_id").Eq(U.C("id")))))
			if !db.Dialect.Has(dialect.CTEBeforeUpdateDelete) {
				exBuildErr(t, db.Dialect, q, query.ErrUnsupported, "WITH before UPDATE/DELETE", "mariadb")
				return
			}
			require.EqualValues(t, 1, exExec(t, db, q))
			exCheck(t, db, exAllKV(), xt(xr("alice", "hot", 59), xr("bob", nil, 48), xr("zed", "or", 2)))
		})
		t.Run("no_where", func(t *testing.T) {
			q := query.Update(C).Set("n", 0)
			exBuildErr(t, db.Dialect, q, query.ErrNoWhere, "counters")
			exBuildErr(t, db.Dialect, q.Where(query.And()), query.ErrNoWhere, "counters", "holds for every row")
			exBuildErr(t, db.Dialect, q.Where(query.Not(query.Or())), query.ErrNoWhere, "counters")
			exCheck(t, db, exAllCounters(), xt(xr("hits", 1), xr("misses", 20)))
			n := exExec(t, db, q.AllRows())
			require.EqualValues(t, 2, n)
			exCheck(t, db, exAllCounters(), xt(xr("hits", 0), xr("misses", 0)))
		})
	})
}

// TestExecDelete runs DELETE in its forms; the rows deleted by USING and
// JOIN (PostgreSQL USING, MariaDB multi-table, SQLite EXISTS) are the same.
func TestExecDelete(t *testing.T) {
	t.Parallel()
	U, T, TT := exUsers, exTweets, exTweetTags
	tweetIDs := query.Select(T.C("id")).From(T).OrderBy(T.C("id"))
	tagPairs := query.Select(TT.C("tweet_id"), TT.C("tag_id")).From(TT).OrderBy(TT.C("tweet_id"), TT.C("tag_id"))
	exSeeded(t, func(t *testing.T, db *testdb.DB) {
		t.Run("no_where", func(t *testing.T) {
			exBuildErr(t, db.Dialect, query.Delete(T), query.ErrNoWhere, "tweets")
			// Filters built from optional parameters that are all absent.
			var filters []query.Expr
			for _, q := range []query.DeleteQuery{
				query.Delete(T).Where(query.And(filters...)),
				query.Delete(T).Where(query.Or(query.And(filters...))),
				query.Delete(T).Where(query.And(query.And(), query.And(filters...))),
				query.Delete(T).Where(),
			} {
				exBuildErr(t, db.Dialect, q, query.ErrNoWhere, "tweets", "AllRows")
			}
			exCheck(t, db, tweetIDs, xt(xr(1), xr(2), xr(3), xr(4), xr(5), xr(6), xr(7)))
			// An always-false group deletes nothing, and builds.
			require.EqualValues(t, 0, exExec(t, db, query.Delete(T).Where(query.And(query.Or(), query.And()))))
		})
		t.Run("using", func(t *testing.T) {
			// Tweets of inactive users (carol: 4, eve: 6).
			q := query.Delete(T).Using(U).Where(U.C("id").Eq(T.C("user_id")), U.C("active").Eq(false))
			require.EqualValues(t, 2, exExec(t, db, q))
			exCheck(t, db, tweetIDs, xt(xr(1), xr(2), xr(3), xr(5), xr(7)))
			// The tweet_tags row of tweet 6 went with it (ON DELETE CASCADE).
			exCheck(t, db, tagPairs, xt(xr(1, 1), xr(1, 2), xr(2, 2), xr(3, 1)))
		})
		t.Run("join", func(t *testing.T) {
			q := query.Delete(T).Join(U, U.C("id").Eq(T.C("user_id"))).Where(U.C("username").Eq("bob"))
			require.EqualValues(t, 2, exExec(t, db, q))
			exCheck(t, db, tweetIDs, xt(xr(1), xr(2), xr(5)))
			exCheck(t, db, tagPairs, xt(xr(1, 1), xr(1, 2), xr(2, 2)))
		})
		t.Run("using_two_tables", func(t *testing.T) {
			// Tweets tagged "go": through tweet_tags and tags.
			q := query.Delete(T).Using(TT, exTags).
				Where(TT.C("tweet_id").Eq(T.C("id")), exTags.C("tag_id").Eq(TT.C("tag_id")), exTags.C("name").Eq("go"))
			require.EqualValues(t, 1, exExec(t, db, q))
			exCheck(t, db, tweetIDs, xt(xr(2), xr(5)))
		})
		t.Run("with_cte", func(t *testing.T) {
			// WITH … DELETE: SQLite and PostgreSQL, not MariaDB.
			gone := query.Select(exTags.C("tag_id")).From(exTags).Where(exTags.C("name").Eq("misc")).CTE("gone")
			q := query.Delete(exTags).With(gone).Where(exTags.C("tag_id").In(query.Select(gone.C("tag_id")).From(gone.Table())))
			if !db.Dialect.Has(dialect.CTEBeforeUpdateDelete) {
				exBuildErr(t, db.Dialect, q, query.ErrUnsupported, "WITH before UPDATE/DELETE", "mariadb")
				exExec(t, db, query.Delete(exTags).Where(exTags.C("name").Eq("misc")))
			} else {
				require.EqualValues(t, 1, exExec(t, db, q))
			}
			exCheck(t, db, query.Select(exTags.C("name")).From(exTags).OrderBy(exTags.C("name")), xt(xr("go"), xr("sql")))
		})
		t.Run("where", func(t *testing.T) {
			require.EqualValues(t, 1, exExec(t, db, query.Delete(T).Where(T.C("likes").Lt(5))))
			exCheck(t, db, tweetIDs, xt(xr(2)))
			require.EqualValues(t, 0, exExec(t, db, query.Delete(T).Where(T.C("likes").Gt(1000))))
			// With OrWhere and an IN subquery.
			n := exExec(t, db, query.Delete(exKV).Where(exKV.C("k").In(query.Select(U.C("username")).From(U).
				Where(U.C("age").Gt(29)))).OrWhere(exKV.C("n").Eq(2)))
			require.EqualValues(t, 2, n)
			exCheck(t, db, exAllKV(), xt(xr("bob", nil, 3)))
		})
		t.Run("returning", func(t *testing.T) {
			exExec(t, db, query.Insert(T).Columns("user_id", "content", "likes").
				Values(4, "d1", 1).Values(4, "d2", 2).Values(5, "e1", 3))
			q := query.Delete(T).Where(T.C("content").Eq("d1")).Returning(T.C("content"), T.C("likes"))
			exCheck(t, db, q, xt(xr("d1", 1)))
			// RETURNING on a DELETE with USING: not on MariaDB's multi-table DELETE.
			q = query.Delete(T).Using(U).Where(U.C("id").Eq(T.C("user_id")), U.C("username").Eq("dave")).
				Returning(T.C("content"))
			if db.Engine == testdb.MySQL {
				exBuildErr(t, db.Dialect, q, query.ErrUnsupported, "RETURNING on a multi-table DELETE")
				require.EqualValues(t, 1, exExec(t, db, q.Returning()))
			} else {
				exCheck(t, db, q, xt(xr("d2")))
			}
			exCheck(t, db, query.Select(T.C("content")).From(T).OrderBy(T.C("id")), xt(xr("100% sure"), xr("e1")))
		})
		t.Run("alias", func(t *testing.T) {
			tw := exTweets.As("tw")
			require.EqualValues(t, 1, exExec(t, db, query.Delete(tw).Where(tw.C("content").Eq("e1"))))
			exCheck(t, db, tweetIDs.Columns(T.C("content")), xt(xr(2, "100% sure")))
			// An alias with USING: tweets of eve (none left) and of alice.
			n := exExec(t, db, query.Delete(tw).Using(U).Where(U.C("id").Eq(tw.C("user_id")), U.C("username").Eq("alice")))
			require.EqualValues(t, 1, n)
			exCheck(t, db, tweetIDs, xt())
		})
		t.Run("derived_and_self", func(t *testing.T) {
			exExec(t, db, query.Insert(T).Columns("user_id", "content", "likes").
				Values(2, "x1", 1).Values(2, "x2", 9).Values(3, "y1", 4).Values(3, "y2", 4).Values(4, "z1", 50))
			// Users whose total likes are under 5 lose their tweets: USING a
			// grouped derived table (bob: 10, carol: 8, dave: 50 — none).
			totals := query.Select(T.C("user_id"), query.Sum(T.C("likes")).As("total")).From(T).GroupBy(T.C("user_id")).As("d")
			n := exExec(t, db, query.Delete(T).Using(totals).Where(totals.C("user_id").Eq(T.C("user_id")), totals.C("total").Lt(9)))
			require.EqualValues(t, 2, n) // carol's y1, y2
			// A self-join: delete every tweet that has a better one by the same user.
			t2 := exTweets.As("t2")
			n = exExec(t, db, query.Delete(T).Using(t2).Where(t2.C("user_id").Eq(T.C("user_id")), t2.C("likes").Gt(T.C("likes"))))
			require.EqualValues(t, 1, n) // bob's x1
			exCheck(t, db, query.Select(T.C("content")).From(T).OrderBy(T.C("id")), xt(xr("x2"), xr("z1")))
			// RETURNING an expression, and RETURNING *.
			exCheck(t, db, query.Delete(T).Where(T.C("content").Eq("z1")).Returning(query.Upper(T.C("content"))),
				xt(xr("Z1")))
			exCheck(t, db, query.Delete(T).Where(T.C("content").Eq("x2")).Returning(query.Star()),
				xt(xr(12, 2, "x2", 9)))
		})
		t.Run("cascade", func(t *testing.T) {
			exExec(t, db, query.Insert(T).Columns("user_id", "content").Values(1, "a1").Values(1, "a2").Values(2, "b1"))
			exExec(t, db, query.Insert(TT).Columns("tweet_id", "tag_id").
				Select(query.Select(T.C("id"), exTags.C("tag_id")).From(T).CrossJoin(exTags)))
			exCheck(t, db, query.Select(query.CountAll()).From(TT), xt(xr(6))) // 3 tweets × go, sql
			// Deleting alice deletes her tweets, and their tweet_tags rows.
			require.EqualValues(t, 1, exExec(t, db, query.Delete(U).Where(U.C("username").Eq("alice"))))
			exCheck(t, db, query.Select(T.C("content")).From(T), xt(xr("b1")))
			exCheck(t, db, query.Select(query.CountAll()).From(TT), xt(xr(2)))
			// Deleting a tag deletes its tweet_tags rows.
			exExec(t, db, query.Delete(exTags).Where(exTags.C("name").Eq("go")))
			exCheck(t, db, query.Select(exTags.C("name")).From(TT).JoinUsing(exTags, "tag_id").OrderBy(exTags.C("name")),
				xt(xr("sql")))
		})
		t.Run("all_rows", func(t *testing.T) {
			require.EqualValues(t, 4, exExec(t, db, query.Delete(U).AllRows()))
			exCheck(t, db, query.Select(query.CountAll()).From(T), xt(xr(0)))
			exCheck(t, db, query.Select(query.CountAll()).From(U), xt(xr(0)))
		})
	})
}
