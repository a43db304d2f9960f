package query_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math"
	"math/big"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/kingletdb/kinglet/dialect"
	"github.com/kingletdb/kinglet/fields"
	"github.com/kingletdb/kinglet/internal/testdb"
	"github.com/kingletdb/kinglet/query"
)

// Execution tests: every construct is built with query.Build for the dialect
// testdb detected, run on real SQLite (a file per test), PostgreSQL and
// MariaDB, and its rows compared with one expected table. Where the engines'
// semantics differ (LIKE's case sensitivity, MySQL's decimal division,
// affected-row counts of an upsert) the test says so and expects each
// engine's documented answer.
//
// The files are exec_test.go (helpers, seed data, expressions and raw
// fragments), exec_select_test.go (SELECT, joins, windows, compounds, CTEs,
// locking), exec_write_test.go (INSERT, upserts, UPDATE, DELETE) and
// exec_ddl_test.go (CREATE/DROP TABLE and INDEX, column types, constraints).

// exQuerier is what the helpers run statements on: *sql.DB, *sql.Tx or *sql.Conn.
type exQuerier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// exBuild builds q for d, failing the test on a build error.
func exBuild(t testing.TB, d dialect.Dialect, q query.Expr) (string, []any) {
	t.Helper()
	s, args, err := query.Build(d, q)
	require.NoError(t, err, "build for %s", d)
	return s, args
}

// exExec builds and executes a statement and returns the affected row count.
func exExec(t testing.TB, db *testdb.DB, q query.Expr) int64 {
	t.Helper()
	return exExecOn(t, db.DB, db.Dialect, q)
}

func exExecOn(t testing.TB, on exQuerier, d dialect.Dialect, q query.Expr) int64 {
	t.Helper()
	s, args := exBuild(t, d, q)
	res, err := on.ExecContext(context.Background(), s, args...)
	require.NoError(t, err, "exec on %s:\n%s\nargs %v", d, s, args)
	n, err := res.RowsAffected()
	require.NoError(t, err)
	return n
}

// exExecErr builds q (which must build) and executes it, returning the
// engine's error, which must not be nil.
func exExecErr(t testing.TB, db *testdb.DB, q query.Expr) error {
	t.Helper()
	s, args := exBuild(t, db.Dialect, q)
	_, err := db.DB.ExecContext(context.Background(), s, args...)
	require.Error(t, err, "exec on %s should fail:\n%s\nargs %v", db.Dialect, s, args)
	return err
}

// exRows builds and runs a query and returns its rows, normalized by exNorm.
func exRows(t testing.TB, db *testdb.DB, q query.Expr) [][]any {
	t.Helper()
	return exRowsOn(t, db.DB, db.Dialect, q)
}

func exRowsOn(t testing.TB, on exQuerier, d dialect.Dialect, q query.Expr) [][]any {
	t.Helper()
	s, args := exBuild(t, d, q)
	rows, err := exQueryRaw(on, s, args)
	require.NoError(t, err, "query on %s:\n%s\nargs %v", d, s, args)
	return rows
}

// exQueryRaw runs SQL text and reads every row, normalized.
func exQueryRaw(on exQuerier, s string, args []any) ([][]any, error) {
	rows, err := on.QueryContext(context.Background(), s, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	out := [][]any{}
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		for i, v := range vals {
			vals[i] = exNorm(v)
		}
		out = append(out, vals)
	}
	return out, rows.Err()
}

// exNorm maps what the three drivers return onto a few types: []byte becomes
// string, every integer int64 (uint64 above MaxInt64 stays uint64), every
// float float64, times UTC. Booleans stay as the driver returns them (bool on
// PostgreSQL, 0/1 on SQLite and MariaDB); exCellEq compares them with either.
func exNorm(v any) any {
	switch x := v.(type) {
	case nil:
		return nil
	case []byte:
		return string(x)
	case int:
		return int64(x)
	case int8:
		return int64(x)
	case int16:
		return int64(x)
	case int32:
		return int64(x)
	case int64:
		return x
	case uint8:
		return int64(x)
	case uint16:
		return int64(x)
	case uint32:
		return int64(x)
	case uint64:
		if x <= math.MaxInt64 {
			return int64(x)
		}
		return x
	case uint:
		return exNorm(uint64(x))
	case float32:
		return float64(x)
	case time.Time:
		return x.UTC()
	}
	return v
}

// exNumber reads v as an exact number: integers, floats, and the strings
// NUMERIC/DECIMAL columns and MySQL's division come back as.
func exNumber(v any) (*big.Rat, bool) {
	switch x := v.(type) {
	case int64:
		return new(big.Rat).SetInt64(x), true
	case uint64:
		return new(big.Rat).SetUint64(x), true
	case int:
		return new(big.Rat).SetInt64(int64(x)), true
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil, false
		}
		return new(big.Rat).SetFloat64(x), true
	case string:
		return new(big.Rat).SetString(strings.TrimSpace(x))
	}
	return nil, false
}

// exCellEq reports whether a normalized cell got matches the expected want.
// An expected integer matches an equal integer, an integral float or a
// decimal string ("44", "10.00"); an expected float64 matches any number
// within 1e-4 relative (MariaDB's AVG keeps 4 decimals); an expected bool
// matches a bool or 0/1; an expected time matches an equal instant.
func exCellEq(want, got any) bool {
	switch w := want.(type) {
	case nil:
		return got == nil
	case bool:
		switch g := got.(type) {
		case bool:
			return g == w
		case int64:
			return (g != 0) == w && (g == 0 || g == 1)
		}
		return false
	case int, int8, int16, int32, int64, uint8, uint16, uint32, uint, uint64:
		if _, isBool := got.(bool); isBool {
			return false
		}
		wr, _ := exNumber(exNorm(w))
		gr, ok := exNumber(got)
		return ok && wr.Cmp(gr) == 0
	case float64:
		if _, isBool := got.(bool); isBool {
			return false
		}
		gr, ok := exNumber(got)
		if !ok {
			return false
		}
		g, _ := gr.Float64()
		return math.Abs(g-w) <= 1e-4*math.Max(1, math.Abs(w))
	case exDecimal:
		wr, ok := new(big.Rat).SetString(string(w))
		if !ok {
			return false
		}
		if g, isFloat := got.(float64); isFloat { // SQLite stores NUMERIC(p,s) as REAL
			f, _ := wr.Float64()
			return math.Abs(g-f) <= 1e-12*math.Max(1, math.Abs(f))
		}
		if _, isBool := got.(bool); isBool {
			return false
		}
		gr, ok := exNumber(got)
		return ok && gr.Cmp(wr) == 0
	case string:
		g, ok := got.(string)
		return ok && g == w
	case []byte:
		g, ok := got.(string)
		return ok && g == string(w)
	case time.Time:
		switch g := got.(type) {
		case time.Time:
			return g.Equal(w)
		case string:
			// SQLite returns an aggregate or expression over a DATETIME
			// column as the stored text (the declared type is gone).
			for _, layout := range []string{"2006-01-02 15:04:05.999999999-07:00", "2006-01-02 15:04:05.999999999", time.RFC3339Nano} {
				if p, err := time.Parse(layout, g); err == nil {
					return p.Equal(w)
				}
			}
		}
		return false
	}
	return reflect.DeepEqual(want, got)
}

// exDecimal is an expected exact decimal, e.g. exDecimal("12345678.91"): it
// matches a decimal string or integer of the same value exactly, and a float
// (SQLite's NUMERIC) that is the nearest float64 to it.
type exDecimal string

// exEqual asserts that got has exactly the rows of want, in order.
func exEqual(t testing.TB, want, got [][]any, msgAndArgs ...any) {
	t.Helper()
	ok := len(want) == len(got)
	for i := 0; ok && i < len(want); i++ {
		ok = len(want[i]) == len(got[i])
		for j := 0; ok && j < len(want[i]); j++ {
			ok = exCellEq(want[i][j], got[i][j])
		}
	}
	if !ok {
		msg := ""
		if len(msgAndArgs) > 0 {
			if f, isStr := msgAndArgs[0].(string); isStr {
				msg = fmt.Sprintf(f, msgAndArgs[1:]...) + "\n"
			}
		}
		t.Errorf("%srows differ\nwant: %s\ngot:  %s", msg, exFormat(want), exFormat(got))
	}
}

func exFormat(rows [][]any) string {
	var sb strings.Builder
	sb.WriteByte('[')
	for i, r := range rows {
		if i > 0 {
			sb.WriteString(", ")
		}
		sb.WriteByte('(')
		for j, v := range r {
			if j > 0 {
				sb.WriteString(", ")
			}
			switch x := v.(type) {
			case string:
				fmt.Fprintf(&sb, "%q", x)
			case time.Time:
				sb.WriteString(x.Format(time.RFC3339Nano))
			default:
				fmt.Fprintf(&sb, "%v:%T", x, x)
			}
		}
		sb.WriteByte(')')
	}
	sb.WriteByte(']')
	return sb.String()
}

// exCheck runs q and compares its rows with want.
func exCheck(t testing.TB, db *testdb.DB, q query.Expr, want [][]any) {
	t.Helper()
	got := exRows(t, db, q)
	s, _ := exBuild(t, db.Dialect, q)
	exEqual(t, want, got, "%s: %s", db.Dialect, s)
}

// xt is shorthand for an expected table: xt(xr(1, "a"), xr(2, "b")).
func xt(rows ...[]any) [][]any {
	if rows == nil {
		return [][]any{}
	}
	return rows
}

// xr is one expected row.
func xr(vals ...any) []any { return vals }

// exIDs runs SELECT id FROM t WHERE conds ORDER BY id and returns the ids.
func exIDs(t testing.TB, db *testdb.DB, tbl query.TableRef, conds ...query.Expr) []int64 {
	t.Helper()
	q := query.Select(tbl.C("id")).From(tbl).Where(conds...).OrderBy(tbl.C("id"))
	rows := exRows(t, db, q)
	ids := make([]int64, 0, len(rows))
	for _, row := range rows {
		id, ok := row[0].(int64)
		require.True(t, ok, "id %v is %T", row[0], row[0])
		ids = append(ids, id)
	}
	return ids
}

// exBuildErr asserts that q fails to build for d with an error wrapping
// sentinel that mentions each fragment.
func exBuildErr(t testing.TB, d dialect.Dialect, q query.Expr, sentinel error, fragments ...string) {
	t.Helper()
	s, _, err := query.Build(d, q)
	require.Error(t, err, "%s: built %q, want an error wrapping %v", d, s, sentinel)
	require.True(t, errors.Is(err, sentinel), "%s: error %q does not wrap %v", d, err, sentinel)
	for _, f := range fragments {
		require.Contains(t, err.Error(), f, "%s", d)
	}
}

// exEach is testdb.Each with the engine subtests run in parallel (each has
// its own isolated database).
func exEach(t *testing.T, fn func(t *testing.T, db *testdb.DB)) {
	t.Helper()
	testdb.Each(t, func(t *testing.T, db *testdb.DB) {
		t.Parallel()
		fn(t, db)
	})
}

// The seeded schema, created with query.CreateTable:
//
//	users(id auto pk, username unique, email NULL, active bool default true, age NULL, created time default now)
//	tweets(id auto pk, user_id → users ON DELETE CASCADE, content, likes default 0)
//	tags(tag_id pk, name unique)
//	tweet_tags(tweet_id → tweets CASCADE, tag_id → tags CASCADE, pk (tweet_id, tag_id))
//	counters(name pk, n default 0)
//	kv(k unique, v NULL, n NULL)
var (
	exUsers     = query.Table("users")
	exTweets    = query.Table("tweets")
	exTags      = query.Table("tags")
	exTweetTags = query.Table("tweet_tags")
	exCounters  = query.Table("counters")
	exKV        = query.Table("kv")
)

var (
	exInt64  = fields.ColumnType{Kind: fields.KindInt64}
	exInt32  = fields.ColumnType{Kind: fields.KindInt32}
	exAutoPK = query.ColumnDef{Name: "id", Type: fields.ColumnType{Kind: fields.KindInt64, AutoInc: true}, PrimaryKey: true}
	exBool   = fields.ColumnType{Kind: fields.KindBool}
	exText   = fields.ColumnType{Kind: fields.KindString}
	exTime   = fields.ColumnType{Kind: fields.KindTime}
)

func exStr(size int) fields.ColumnType { return fields.ColumnType{Kind: fields.KindString, Size: size} }

// exSchema is the DDL of the seeded tables, parents first.
func exSchema() []query.Expr {
	return []query.Expr{
		query.CreateTable(exUsers).Column(
			exAutoPK,
			query.ColumnDef{Name: "username", Type: exStr(64), NotNull: true, Unique: true},
			query.ColumnDef{Name: "email", Type: exStr(128)},
			query.ColumnDef{Name: "active", Type: exBool, NotNull: true, Default: true},
			query.ColumnDef{Name: "age", Type: exInt32},
			query.ColumnDef{Name: "created", Type: exTime, NotNull: true, Default: query.Now()},
		),
		query.CreateTable(exTweets).Column(
			exAutoPK,
			query.ColumnDef{Name: "user_id", Type: exInt64, NotNull: true},
			query.ColumnDef{Name: "content", Type: exText, NotNull: true},
			query.ColumnDef{Name: "likes", Type: exInt32, NotNull: true, Default: 0},
		).ForeignKey(query.ForeignKey{Columns: []string{"user_id"}, RefTable: exUsers, RefColumns: []string{"id"}, OnDelete: "CASCADE"}),
		query.CreateTable(exTags).Column(
			query.ColumnDef{Name: "tag_id", Type: exInt64, PrimaryKey: true},
			query.ColumnDef{Name: "name", Type: exStr(32), NotNull: true, Unique: true},
		),
		query.CreateTable(exTweetTags).Column(
			query.ColumnDef{Name: "tweet_id", Type: exInt64},
			query.ColumnDef{Name: "tag_id", Type: exInt64},
		).PrimaryKey("tweet_id", "tag_id").
			ForeignKey(query.ForeignKey{Columns: []string{"tweet_id"}, RefTable: exTweets, RefColumns: []string{"id"}, OnDelete: "cascade"}).
			ForeignKey(query.ForeignKey{Columns: []string{"tag_id"}, RefTable: exTags, RefColumns: []string{"tag_id"}, OnDelete: "CASCADE"}),
		query.CreateTable(exCounters).Column(
			query.ColumnDef{Name: "name", Type: exStr(32), PrimaryKey: true},
			query.ColumnDef{Name: "n", Type: exInt64, NotNull: true, Default: 0},
		),
		query.CreateTable(exKV).Column(
			query.ColumnDef{Name: "k", Type: exStr(32), NotNull: true, Unique: true},
			query.ColumnDef{Name: "v", Type: exText},
			query.ColumnDef{Name: "n", Type: exInt64},
		),
	}
}

func exDate(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 10, 0, 0, 0, time.UTC) }

// The seed data. Users (ids in insert order):
//
//	1 alice alice@example.com active  30
//	2 bob   NULL              active  25
//	3 carol carol@example.org —       35
//	4 dave  NULL              active  NULL  (no tweets)
//	5 eve   eve@example.com   —       28
//
// Tweets (id user likes content): 1 1 10 "hello world", 2 1 5 "100% sure",
// 3 2 7 "under_score", 4 3 0 "Hello Again", 5 1 3 `back\slash`,
// 6 5 12 "50_50", 7 2 7 "bob again". Tags: 1 go, 2 sql, 3 misc (unused).
// tweet_tags: (1,1) (1,2) (2,2) (3,1) (6,2). counters: hits 5, misses 0.
// kv: alice "A" 1, bob NULL 3, zed "Z" 2.
func exSeed(t testing.TB, db *testdb.DB) {
	t.Helper()
	for _, q := range exSchema() {
		exExec(t, db, q)
	}
	exExec(t, db, query.Insert(exUsers).Columns("username", "email", "active", "age", "created").
		Values("alice", "alice@example.com", true, 30, exDate(2024, 1, 1)).
		Values("bob", nil, true, 25, exDate(2024, 2, 1)).
		Values("carol", "carol@example.org", false, 35, exDate(2024, 3, 1)).
		Values("dave", nil, true, nil, exDate(2024, 4, 1)).
		Values("eve", "eve@example.com", false, 28, exDate(2024, 5, 1)))
	exExec(t, db, query.Insert(exTweets).Columns("user_id", "content", "likes").Rows(
		[]any{1, "hello world", 10},
		[]any{1, "100% sure", 5},
		[]any{2, "under_score", 7},
		[]any{3, "Hello Again", 0},
		[]any{1, `back\slash`, 3},
		[]any{5, "50_50", 12},
		[]any{2, "bob again", 7},
	))
	exExec(t, db, query.Insert(exTags).Columns("tag_id", "name").Values(1, "go").Values(2, "sql").Values(3, "misc"))
	exExec(t, db, query.Insert(exTweetTags).Columns("tweet_id", "tag_id").
		Rows([]any{1, 1}, []any{1, 2}, []any{2, 2}, []any{3, 1}, []any{6, 2}))
	exExec(t, db, query.Insert(exCounters).Columns("name", "n").Values("hits", 5).Values("misses", 0))
	exExec(t, db, query.Insert(exKV).Columns("k", "v", "n").Values("alice", "A", 1).Values("bob", nil, 3).Values("zed", "Z", 2))
	// The auto-increment ids really are 1..5 and 1..7 in insert order.
	exCheck(t, db, query.Select(exUsers.C("id"), exUsers.C("username")).From(exUsers).OrderBy(exUsers.C("id")),
		xt(xr(1, "alice"), xr(2, "bob"), xr(3, "carol"), xr(4, "dave"), xr(5, "eve")))
	exCheck(t, db, query.Select(exTweets.C("id"), exTweets.C("likes")).From(exTweets).OrderBy(exTweets.C("id")),
		xt(xr(1, 10), xr(2, 5), xr(3, 7), xr(4, 0), xr(5, 3), xr(6, 12), xr(7, 7)))
}

// exSeeded runs fn on each engine (in parallel) on a fresh seeded database.
func exSeeded(t *testing.T, fn func(t *testing.T, db *testdb.DB)) {
	t.Helper()
	exEach(t, func(t *testing.T, db *testdb.DB) {
		exSeed(t, db)
		fn(t, db)
	})
}

// exPred is one WHERE predicate and the ids it selects from a seeded table.
type exPred struct {
	name string
	cond query.Expr
	want []int64
}

func exRunPreds(t *testing.T, db *testdb.DB, tbl query.TableRef, preds []exPred) {
	t.Helper()
	for _, p := range preds {
		t.Run(p.name, func(t *testing.T) {
			got := exIDs(t, db, tbl, p.cond)
			if p.want == nil {
				p.want = []int64{}
			}
			s, args := exBuild(t, db.Dialect, query.Select().From(tbl).Where(p.cond))
			require.Equal(t, p.want, got, "%s: %s %v", db.Dialect, s, args)
		})
	}
}

func ids(v ...int64) []int64 { return v }

// TestExecPredicates runs every predicate construct as a WHERE on the seeded
// users and tweets tables; the selected ids are the same on all engines.
func TestExecPredicates(t *testing.T) {
	t.Parallel()
	U, T := exUsers, exTweets
	age, email, name := U.C("age"), U.C("email"), U.C("username")
	content, likes := T.C("content"), T.C("likes")
	exSeeded(t, func(t *testing.T, db *testdb.DB) {
		t.Run("compare", func(t *testing.T) {
			exRunPreds(t, db, U, []exPred{
				{"eq", age.Eq(30), ids(1)},
				{"ne_skips_null", age.Ne(30), ids(2, 3, 5)},
				{"lt", age.Lt(28), ids(2)},
				{"le", age.Le(28), ids(2, 5)},
				{"gt", age.Gt(30), ids(3)},
				{"ge", age.Ge(30), ids(1, 3)},
				{"column_to_column", U.C("id").Mul(10).Lt(age), ids(1, 2, 3)},
				{"eq_string", name.Eq("carol"), ids(3)},
				{"eq_bool_true", U.C("active").Eq(true), ids(1, 2, 4)},
				{"eq_bool_false", U.C("active").Eq(false), ids(3, 5)},
				{"eq_time", U.C("created").Eq(exDate(2024, 3, 1)), ids(3)},
				{"gt_time", U.C("created").Gt(exDate(2024, 3, 1)), ids(4, 5)},
			})
		})
		t.Run("in", func(t *testing.T) {
			byLikes := query.Select(T.C("user_id")).From(T).Where(likes.Gt(6))
			exRunPreds(t, db, U, []exPred{
				{"list", age.In(25, 30), ids(1, 2)},
				{"slice", age.In([]int{25, 30, 99}), ids(1, 2)},
				{"string_slice", name.In([]string{"bob", "eve", "nobody"}), ids(2, 5)},
				{"single", name.In("dave"), ids(4)},
				{"empty_is_false", age.In(), nil},
				{"empty_slice_is_false", age.In([]int{}), nil},
				{"not_in", age.NotIn(25, 30), ids(3, 5)}, // NULL NOT IN (…) is unknown
				{"not_in_slice", name.NotIn([]string{"alice", "bob"}), ids(3, 4, 5)},
				{"not_in_empty_is_true", age.NotIn(), ids(1, 2, 3, 4, 5)},
				{"not_in_empty_slice_is_true", age.NotIn([]int64{}), ids(1, 2, 3, 4, 5)},
				{"subquery", U.C("id").In(byLikes), ids(1, 2, 5)},
				{"not_in_subquery", U.C("id").NotIn(query.Select(T.C("user_id")).From(T)), ids(4)},
				{"and_empty_in", query.And(age.In(), age.Gt(0)), nil},
				{"or_empty_in", query.Or(age.In(), age.Eq(35)), ids(3)},
			})
		})
		t.Run("between", func(t *testing.T) {
			exRunPreds(t, db, U, []exPred{
				{"between", age.Between(25, 30), ids(1, 2, 5)},
				{"not_between", age.NotBetween(25, 30), ids(3)},
				{"between_columns", query.V(27).Between(U.C("id").Mul(5), age), ids(1, 3, 5)},
				{"between_time", U.C("created").Between(exDate(2024, 2, 1), exDate(2024, 4, 1)), ids(2, 3, 4)},
			})
		})
		t.Run("null", func(t *testing.T) {
			exRunPreds(t, db, U, []exPred{
				{"is_null", email.IsNull(), ids(2, 4)},
				{"is_not_null", email.IsNotNull(), ids(1, 3, 5)},
				{"eq_nil", email.Eq(nil), ids(2, 4)},
				{"ne_nil", email.Ne(nil), ids(1, 3, 5)},
				{"age_is_null", age.IsNull(), ids(4)},
				{"eq_null_value_never_matches", email.Eq(query.Raw("NULL")), nil},
				{"distinct_from_nil", email.IsDistinctFrom(nil), ids(1, 3, 5)},
				{"not_distinct_from_nil", email.IsNotDistinctFrom(nil), ids(2, 4)},
				{"distinct_from_value", age.IsDistinctFrom(30), ids(2, 3, 4, 5)}, // dave's NULL is distinct from 30
				{"not_distinct_from_value", age.IsNotDistinctFrom(30), ids(1)},
				{"distinct_from_column", email.IsDistinctFrom(U.C("username").Concat("@example.com")), ids(2, 3, 4)},
				{"not_distinct_null_null", email.IsNotDistinctFrom(query.Raw("NULL")), ids(2, 4)},
			})
		})
		t.Run("logic", func(t *testing.T) {
			active := U.C("active").Eq(true)
			exRunPreds(t, db, U, []exPred{
				// active AND (age > 26 OR carol): without the parentheses it
				// would read (active AND age > 26) OR carol and add carol.
				{"and_of_or", query.And(active, query.Or(age.Gt(26), name.Eq("carol"))), ids(1)},
				{"or_of_and", query.Or(query.And(active, age.Gt(26)), name.Eq("carol")), ids(1, 3)},
				{"method_chain", active.And(age.Gt(26).Or(name.Eq("carol"))), ids(1)},
				// NOT (age < 26 OR age > 32): wrongly as NOT age < 26 OR age > 32 it would add carol.
				{"not_of_or", query.Not(query.Or(age.Lt(26), age.Gt(32))), ids(1, 5)},
				{"not_of_and", query.Not(query.And(active, age.Gt(26))), ids(2, 3, 5)},
				{"not_eq", age.Eq(30).Not(), ids(2, 3, 5)},
				{"not_not", query.Not(query.Not(name.Eq("bob"))), ids(2)},
				{"not_in", query.Not(age.In(25, 30)), ids(3, 5)},
				{"not_bool_column", query.Not(U.C("active")), ids(3, 5)},
				{"empty_and_is_true", query.And(), ids(1, 2, 3, 4, 5)},
				{"empty_or_is_false", query.Or(), nil},
				{"nested_or_and_or", query.Or(query.And(query.Or(name.Eq("alice"), name.Eq("bob")), age.Gt(26)), name.Eq("eve")), ids(1, 5)},
			})
		})
		t.Run("like", func(t *testing.T) {
			// Patterns are chosen so that LIKE's case sensitivity (PostgreSQL:
			// sensitive, SQLite and MariaDB: not) does not change the answer.
			exRunPreds(t, db, T, []exPred{
				{"like", content.Like("%o%"), ids(1, 3, 4, 7)},
				{"not_like", content.NotLike("%o%"), ids(2, 5, 6)},
				{"like_underscore_wildcard", content.Like("50_50"), ids(6)},
				{"like_percent_matches_all", content.Like("%%%"), ids(1, 2, 3, 4, 5, 6, 7)},
				{"like_escape", content.LikeEscape("%!%%", '!'), ids(2)},
				{"not_like_escape", content.NotLikeEscape("%!_%", '!'), ids(1, 2, 4, 5, 7)},
				{"contains_percent", content.Contains("%"), ids(2)},
				{"contains_underscore", content.Contains("_"), ids(3, 6)},
				{"contains_backslash", content.Contains(`\`), ids(5)},
				{"contains_backslash_s", content.Contains(`k\s`), ids(5)},
				{"contains_plain", content.Contains("gain"), ids(4, 7)},
				{"starts_with", content.StartsWith("100%"), ids(2)},
				{"starts_with_underscore", content.StartsWith("50_"), ids(6)},
				{"starts_with_not_wildcard", content.StartsWith("5_"), nil},
				{"ends_with", content.EndsWith("_50"), ids(6)},
				{"ends_with_plain", content.EndsWith("score"), ids(3)},
				{"ends_with_wildcard_literal", content.EndsWith("%"), nil},
				{"ilike", content.ILike("hello%"), ids(1, 4)},
				{"ilike_upper_pattern", content.ILike("HELLO%"), ids(1, 4)},
				{"ilike_column_mixed", content.ILike("%AGAIN"), ids(4, 7)},
				{"not_ilike", content.NotILike("h%"), ids(2, 3, 5, 6, 7)},
			})
		})
		t.Run("tuple", func(t *testing.T) {
			exRunPreds(t, db, T, []exPred{
				{"tuple_eq", query.Tuple(T.C("user_id"), likes).Eq(query.Tuple(2, 7)), ids(3, 7)},
				{"tuple_in", query.Tuple(T.C("user_id"), likes).In(query.Tuple(1, 10), query.Tuple(2, 7), query.Tuple(9, 9)), ids(1, 3, 7)},
				{"tuple_not_in", query.Tuple(T.C("user_id"), likes).NotIn(query.Tuple(1, 10), query.Tuple(2, 7)), ids(2, 4, 5, 6)},
				{"tuple_in_subquery", query.Tuple(T.C("user_id"), likes).In(
					query.Select(query.Table("t2").C("user_id"), query.Max(query.Table("t2").C("likes"))).
						From(exTweets.As("t2")).GroupBy(query.Table("t2").C("user_id"))), ids(1, 3, 4, 6, 7)},
			})
			exRunPreds(t, db, U, []exPred{
				{"tuple_eq_strings", query.Tuple(name, age).Eq(query.Tuple("alice", 30)), ids(1)},
				// (dave, NULL) <> (alice, 30) is true: the names already differ.
				{"tuple_ne", query.Tuple(name, age).Ne(query.Tuple("alice", 30)), ids(2, 3, 4, 5)},
				{"tuple_ne_null_unknown", query.Tuple(name, age).Ne(query.Tuple("dave", 1)), ids(1, 2, 3, 5)},
			})
		})
		t.Run("exists", func(t *testing.T) {
			// Correlated: the subquery refers to the outer users row.
			liked := query.Select(query.SQL("1")).From(T).Where(T.C("user_id").Eq(U.C("id")), likes.Gt(9))
			own := query.Select(query.SQL("1")).From(T).Where(T.C("user_id").Eq(U.C("id")))
			exRunPreds(t, db, U, []exPred{
				{"exists", query.Exists(liked), ids(1, 5)},
				{"not_exists", query.NotExists(own), ids(4)},
				{"not_of_exists", query.Not(query.Exists(own)), ids(4)},
				{"exists_and", query.And(query.Exists(own), age.Lt(30)), ids(2, 5)},
			})
		})
		t.Run("subquery", func(t *testing.T) {
			avg := query.Select(query.Avg(T.C("likes"))).From(T) // 44/7 ≈ 6.29
			t2 := exTweets.As("t2")
			best := query.Select(query.Max(t2.C("likes"))).From(t2).Where(t2.C("user_id").Eq(T.C("user_id")))
			exRunPreds(t, db, T, []exPred{
				{"scalar", likes.Gt(avg), ids(1, 3, 6, 7)},
				{"correlated", likes.Eq(best), ids(1, 3, 4, 6, 7)},
				{"scalar_on_left", query.E(best).Eq(likes), ids(1, 3, 4, 6, 7)},
			})
		})
		t.Run("arithmetic", func(t *testing.T) {
			exRunPreds(t, db, T, []exPred{
				{"add", likes.Add(T.C("id")).Eq(11), ids(1)},
				// likes - (id - user_id): for tweet 1, 10 - 0 = 10; flattened
				// to likes - id - user_id it would be 8.
				{"sub_of_sub", likes.Sub(T.C("id").Sub(T.C("user_id"))).Eq(10), ids(1)},
				{"mul_of_add", likes.Add(1).Mul(2).Eq(22), ids(1)},
				{"mod", likes.Mod(5).Eq(0), ids(1, 2, 4)},
				{"neg", likes.Neg().Lt(-9), ids(1, 6)},
				{"neg_of_sub", likes.Sub(20).Neg().Eq(10), ids(1)},
			})
		})
	})
}

// exPerEngine picks a value by engine name (sqlite, postgres, mysql).
func exPerEngine[T any](db *testdb.DB, sqlite, postgres, mysql T) T {
	switch db.Engine {
	case testdb.Postgres:
		return postgres
	case testdb.MySQL:
		return mysql
	}
	return sqlite
}

// TestExecExpressions runs expressions in the select list and checks the
// values they compute.
func TestExecExpressions(t *testing.T) {
	t.Parallel()
	U, T := exUsers, exTweets
	byUser := func(cols ...query.Expr) query.SelectQuery {
		return query.Select(cols...).From(U).OrderBy(U.C("id"))
	}
	byTweet := func(cols ...query.Expr) query.SelectQuery {
		return query.Select(cols...).From(T).OrderBy(T.C("id"))
	}
	exSeeded(t, func(t *testing.T, db *testdb.DB) {
		t.Run("arithmetic", func(t *testing.T) {
			likes, id, uid := T.C("likes"), T.C("id"), T.C("user_id")
			exCheck(t, db, byTweet(id,
				likes.Sub(id.Sub(uid)),        // a - (b - c)
				likes.Sub(id).Sub(uid),        // (a - b) - c
				likes.Add(id).Mul(2),          // (a + b) * 2
				likes.Add(id.Mul(2)),          // a + b * 2
				likes.Mod(4),                  //
				likes.Mul(id).Sub(likes),      //
				likes.Neg().Add(id),           //
				query.V(100).Sub(likes),       // a bound value on the left
				likes.Sub(query.V(3).Sub(id)), // a - (value - b)
			).Where(id.Le(3)), xt(
				xr(1, 10, 8, 22, 12, 2, 0, -9, 90, 8),
				xr(2, 4, 2, 14, 9, 1, 5, -3, 95, 4),
				xr(3, 6, 2, 20, 13, 3, 14, -4, 93, 7),
			))
			// Division: integer division on SQLite and PostgreSQL, a decimal
			// on MySQL; on an exact quotient all agree.
			exCheck(t, db, byTweet(id, likes.Div(2)).Where(likes.Mod(2).Eq(0)),
				xt(xr(1, 5), xr(4, 0), xr(6, 6)))
			if db.Engine == testdb.MySQL {
				exCheck(t, db, byTweet(likes.Div(2)).Where(id.Eq(3)), xt(xr(3.5)))
			} else {
				exCheck(t, db, byTweet(likes.Div(2)).Where(id.Eq(3)), xt(xr(3)))
			}
		})
		t.Run("concat", func(t *testing.T) {
			name := U.C("username")
			exCheck(t, db, byUser(name.Concat(" <", U.C("email"), ">"), query.Concat(name, "-", U.C("id")),
				query.Concat(name)), xt(
				xr("alice <alice@example.com>", "alice-1", "alice"),
				xr(nil, "bob-2", "bob"), // NULL in any operand gives NULL
				xr("carol <carol@example.org>", "carol-3", "carol"),
				xr(nil, "dave-4", "dave"),
				xr("eve <eve@example.com>", "eve-5", "eve"),
			))
			// Concat binds like +: compared as a whole.
			exCheck(t, db, byUser(U.C("id")).Where(name.Concat("@example.com").Eq(U.C("email"))),
				xt(xr(1), xr(5)))
		})
		t.Run("case", func(t *testing.T) {
			likes := T.C("likes")
			simple := query.CaseOf(T.C("user_id")).When(1, "one").When(2, "two").Else("many")
			searched := query.Case().When(likes.Ge(10), "high").When(likes.Ge(5), "mid").Else("low")
			noElse := query.Case().When(likes.Eq(0), "zero")
			exCheck(t, db, byTweet(T.C("id"), simple, searched, noElse), xt(
				xr(1, "one", "high", nil),
				xr(2, "one", "mid", nil),
				xr(3, "two", "mid", nil),
				xr(4, "many", "low", "zero"),
				xr(5, "one", "low", nil),
				xr(6, "many", "high", nil),
				xr(7, "two", "mid", nil),
			))
			// CASE in WHERE and with operators on it.
			exCheck(t, db, byTweet(T.C("id")).Where(query.E(searched).Eq("high")), xt(xr(1), xr(6)))
			// CASE as a number: SUM over it. PostgreSQL types a CASE whose
			// results are all bare parameters as text (SUM(text) does not
			// exist), so the results are SQL constants here.
			exCheck(t, db, query.Select(query.Sum(query.Case().When(likes.Gt(6), query.SQL("1")).Else(query.SQL("0")))).
				From(T), xt(xr(4)))
		})
		t.Run("cast", func(t *testing.T) {
			intType := exPerEngine(db, "INTEGER", "INTEGER", "SIGNED")
			textType := exPerEngine(db, "TEXT", "TEXT", "CHAR")
			exCheck(t, db, byUser(U.C("age").Cast(textType), query.V("42").Cast(intType),
				U.C("age").Cast("DECIMAL(10,2)")).Where(U.C("id").Le(2)), xt(
				xr("30", 42, 30),
				xr("25", 42, 25),
			))
			// CAST feeds arithmetic: '7' + 1 is 8 everywhere once cast.
			exCheck(t, db, query.Select(query.V("7").Cast(intType).Add(1)), xt(xr(8)))
		})
		t.Run("collate", func(t *testing.T) {
			content := T.C("content")
			// A binary collation on each engine: uppercase sorts before lowercase.
			bin := exPerEngine(db, "BINARY", "C", "utf8mb4_bin")
			exCheck(t, db, query.Select(T.C("id")).From(T).Where(T.C("id").In(1, 4, 7)).
				OrderBy(content.Collate(bin).Asc()), xt(xr(4), xr(7), xr(1)))
			exCheck(t, db, query.Select(T.C("id")).From(T).Where(T.C("id").In(1, 4, 7)).
				OrderBy(content.Collate(bin).Desc()), xt(xr(1), xr(7), xr(4)))
			// Equality under a binary collation is case sensitive.
			exCheck(t, db, byTweet(T.C("id")).Where(content.Collate(bin).Eq("HELLO WORLD")), xt())
			exCheck(t, db, byTweet(T.C("id")).Where(content.Collate(bin).Eq("hello world")), xt(xr(1)))
			// A case-insensitive collation: NOCASE on SQLite, MariaDB's
			// utf8mb4_general_ci (PostgreSQL has none built in).
			if db.Engine != testdb.Postgres {
				ci := exPerEngine(db, "NOCASE", "", "utf8mb4_general_ci")
				exCheck(t, db, byUser(U.C("id")).Where(U.C("username").Collate(ci).Eq("ALICE")), xt(xr(1)))
			}
		})
		t.Run("functions", func(t *testing.T) {
			name := U.C("username")
			exCheck(t, db, byUser(query.Upper(name), query.Lower(query.Upper(name)), query.Func("LENGTH", name),
				query.Coalesce(U.C("email"), "none"), query.Coalesce(U.C("age"), U.C("id"), 0),
				query.Func("ABS", U.C("id").Sub(3))), xt(
				xr("ALICE", "alice", 5, "alice@example.com", 30, 2),
				xr("BOB", "bob", 3, "none", 25, 1),
				xr("CAROL", "carol", 5, "carol@example.org", 35, 0),
				xr("DAVE", "dave", 4, "none", 4, 1),
				xr("EVE", "eve", 3, "eve@example.com", 28, 2),
			))
			exCheck(t, db, byUser(U.C("id")).Where(query.Lower(query.V("BOB")).Eq(name)), xt(xr(2)))
			// Function results compose with operators.
			exCheck(t, db, byUser(U.C("id")).Where(query.Func("LENGTH", name).Add(1).Gt(5)), xt(xr(1), xr(3)))
		})
		t.Run("aggregates", func(t *testing.T) {
			likes := T.C("likes")
			exCheck(t, db, query.Select(query.CountAll(), query.Count(U.C("email")), query.Count(U.C("age")),
				query.CountDistinct(U.C("active")), query.Min(U.C("age")), query.Max(U.C("age")),
				query.Sum(U.C("age")), query.Min(U.C("username")), query.Max(U.C("created"))).From(U), xt(
				xr(5, 3, 4, 2, 25, 35, 118, "alice", exDate(2024, 5, 1)),
			))
			exCheck(t, db, query.Select(query.CountAll(), query.CountDistinct(T.C("user_id")), query.Sum(likes),
				query.Avg(likes), query.Min(likes), query.Max(likes), query.Sum(likes).Distinct(),
				query.Count(likes).Distinct()).From(T), xt(
				xr(7, 4, 44, 44.0/7, 0, 12, 37, 6),
			))
			// Over no rows: COUNT is 0, the others NULL.
			exCheck(t, db, query.Select(query.CountAll(), query.Sum(likes), query.Avg(likes), query.Max(likes)).
				From(T).Where(likes.Gt(100)), xt(xr(0, nil, nil, nil)))
			// Aggregates compose: COALESCE(SUM(x), 0), MAX - MIN.
			exCheck(t, db, query.Select(query.Coalesce(query.Sum(likes), 0), query.Max(likes).Sub(query.Min(likes))).
				From(T).Where(likes.Gt(100)), xt(xr(0, nil)))
		})
	})
}

// TestExecRaw runs raw fragments with arguments, renumbered for each engine,
// including a ? inside a string literal and a comment that must stay literal.
func TestExecRaw(t *testing.T) {
	t.Parallel()
	U, T := exUsers, exTweets
	exSeeded(t, func(t *testing.T, db *testdb.DB) {
		// A raw predicate between bound values: PostgreSQL's $n continue.
		exCheck(t, db, query.Select(U.C("id")).From(U).
			Where(U.C("active").Eq(true), query.Raw("lower(username) = ? OR age > ?", "ALICE", 26), U.C("id").Lt(5)).
			OrderBy(U.C("id")), xt(xr(1)))
		// '?' in a string literal and in a comment is not a placeholder.
		exCheck(t, db, query.Select(T.C("id"), query.Raw("CASE WHEN likes > ? THEN 'yes?' ELSE 'no?' END /* ? */", 6).As("big")).
			From(T).Where(T.C("id").Le(2)).OrderBy(T.C("id")), xt(xr(1, "yes?"), xr(2, "no?")))
		// A quote doubled inside the literal, then a real placeholder.
		exCheck(t, db, query.Select(query.Raw("'it''s ?'"), query.Raw("? + ?", T.C("likes"), 1)).
			From(T).Where(query.Raw("id = ?", 6)), xt(xr("it's ?", 13)))
		// An Expr argument renders in place with its own arguments.
		exCheck(t, db, query.Select(U.C("username")).From(U).
			Where(query.Raw("? AND ?", U.C("age").Gt(26), query.Raw("email LIKE ?", "%.com"))).OrderBy(U.C("id")),
			xt(xr("alice"), xr("eve")))
		// A whole statement as a raw fragment.
		exCheck(t, db, query.Raw("SELECT id FROM users WHERE username IN (?, ?) AND '?' = '?' ORDER BY id", "bob", "eve"),
			xt(xr(2), xr(5)))
		// A raw statement that writes, then read back.
		n := exExec(t, db, query.Raw("UPDATE counters SET n = n + ? WHERE name = ? OR name = '?'", 10, "hits"))
		require.EqualValues(t, 1, n)
		exCheck(t, db, query.Select(exCounters.C("n")).From(exCounters).Where(exCounters.C("name").Eq("hits")), xt(xr(15)))
		// query.SQL: a fixed fragment, an atom as an operand.
		exCheck(t, db, query.Select(query.SQL("2").Mul(query.SQL("3")).Add(1)), xt(xr(7)))
	})
}
