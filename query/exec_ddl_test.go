package query_test

import (
	"context"
	"encoding/json"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/kingletdb/kinglet/dialect"
	"github.com/kingletdb/kinglet/fields"
	"github.com/kingletdb/kinglet/internal/testdb"
	"github.com/kingletdb/kinglet/query"
)

func exKind(k fields.Kind) fields.ColumnType { return fields.ColumnType{Kind: k} }

// TestExecColumnTypes creates a table with a column of every fields.Kind,
// writes a value of each and reads it back.
func TestExecColumnTypes(t *testing.T) {
	t.Parallel()
	tbl := query.Table("all_kinds")
	cols := []query.ColumnDef{
		{Name: "id", Type: exInt64, PrimaryKey: true},
		{Name: "b", Type: exKind(fields.KindBool)},
		{Name: "i8", Type: exKind(fields.KindInt8)},
		{Name: "i16", Type: exKind(fields.KindInt16)},
		{Name: "i32", Type: exKind(fields.KindInt32)},
		{Name: "i64", Type: exKind(fields.KindInt64)},
		{Name: "u8", Type: exKind(fields.KindUint8)},
		{Name: "u16", Type: exKind(fields.KindUint16)},
		{Name: "u32", Type: exKind(fields.KindUint32)},
		{Name: "u64", Type: exKind(fields.KindUint64)},
		{Name: "f32", Type: exKind(fields.KindFloat32)},
		{Name: "f64", Type: exKind(fields.KindFloat64)},
		{Name: "dec", Type: fields.ColumnType{Kind: fields.KindDecimal, Precision: 12, Scale: 2}},
		{Name: "s", Type: exStr(20)},
		{Name: "su", Type: exKind(fields.KindString)},
		{Name: "by", Type: exKind(fields.KindBytes)},
		{Name: "tm", Type: exKind(fields.KindTime)},
		{Name: "dt", Type: exKind(fields.KindDate)},
		{Name: "js", Type: exKind(fields.KindJSON)},
		{Name: "uu", Type: exKind(fields.KindUUID)},
	}
	names := make([]string, len(cols))
	sel := make([]query.Expr, len(cols))
	for i, c := range cols {
		names[i] = c.Name
		sel[i] = tbl.C(c.Name)
	}
	ts := time.Date(2024, 5, 6, 7, 8, 9, 123456000, time.UTC) // microseconds: every engine keeps them
	date := time.Date(2024, 5, 6, 0, 0, 0, 0, time.UTC)
	long := strings.Repeat("0123456789abcdef", 70000/16) // past MySQL's 64 KiB TEXT
	blob := []byte{0, 1, 2, 0xfe, 0xff, '\'', '\\', 'a'}
	const js = `{"a": [1, 2], "b": "x"}` // PostgreSQL's jsonb output form
	const uuid = "123e4567-e89b-12d3-a456-426614174000"
	exEach(t, func(t *testing.T, db *testdb.DB) {
		exExec(t, db, query.CreateTable(tbl).Column(cols...))
		// uint64: PostgreSQL's NUMERIC(20) and MariaDB's BIGINT UNSIGNED hold
		// the largest; SQLite's INTEGER is signed 64-bit.
		var u64 uint64 = math.MaxUint64
		if db.Engine == testdb.SQLite {
			u64 = math.MaxInt64
		}
		vals := []any{1, true, int8(math.MinInt8), int16(math.MinInt16), int32(math.MinInt32), int64(math.MinInt64),
			uint8(math.MaxUint8), uint16(math.MaxUint16), uint32(math.MaxUint32), u64,
			float32(1.25), 3.141592653589793, "1234567890.12", "sized ✓ ünï", long, blob, ts, date, js, uuid}
		require.EqualValues(t, 1, exExec(t, db, query.Insert(tbl).Columns(names...).Values(vals...)))
		// The other extreme of each integer, and a row of NULLs.
		exExec(t, db, query.Insert(tbl).Columns("id", "b", "i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64", "f32", "f64", "dec").
			Values(2, false, int8(math.MaxInt8), int16(math.MaxInt16), int32(math.MaxInt32), int64(math.MaxInt64),
				uint8(0), uint16(0), uint32(0), uint64(0), float32(-0.5), -1e-300, "-0.01"))
		exExec(t, db, query.Insert(tbl).Columns("id").Values(3))

		got := exRows(t, db, query.Select(sel...).From(tbl).OrderBy(tbl.C("id")))
		require.Len(t, got, 3)
		want := [][]any{
			{1, true, math.MinInt8, math.MinInt16, math.MinInt32, int64(math.MinInt64), math.MaxUint8, math.MaxUint16,
				uint32(math.MaxUint32), u64, 1.25, 3.141592653589793, exDecimal("1234567890.12"), "sized ✓ ünï", long, blob,
				ts, date, nil, uuid},
			{2, false, math.MaxInt8, math.MaxInt16, math.MaxInt32, int64(math.MaxInt64), 0, 0, 0, 0, -0.5, -1e-300,
				exDecimal("-0.01"), nil, nil, nil, nil, nil, nil, nil},
			{3, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil, nil},
		}
		for i := range want {
			for j := range want[i] {
				if i == 0 && names[j] == "js" {
					continue // compared as JSON below
				}
				require.True(t, exCellEq(want[i][j], got[i][j]), "%s: row %d column %s: got %#v (%T), want %#v",
					db.Dialect, i+1, names[j], got[i][j], got[i][j], want[i][j])
			}
		}
		// Floats and times come back exactly.
		require.Equal(t, 3.141592653589793, got[0][11])
		require.Equal(t, -1e-300, got[1][11])
		require.Equal(t, ts, got[0][16])
		// JSON: the same document (jsonb may reorder and respace it).
		var gotJS, wantJS any
		require.IsType(t, "", got[0][18])
		require.NoError(t, json.Unmarshal([]byte(got[0][18].(string)), &gotJS))
		require.NoError(t, json.Unmarshal([]byte(js), &wantJS))
		require.Equal(t, wantJS, gotJS)
		// The values are usable in WHERE with bound parameters of the same Go types.
		exCheck(t, db, query.Select(tbl.C("id")).From(tbl).Where(tbl.C("i64").Eq(int64(math.MinInt64)),
			tbl.C("u64").Eq(u64), tbl.C("tm").Eq(ts), tbl.C("dt").Eq(date), tbl.C("by").Eq(blob),
			tbl.C("uu").Eq(uuid), tbl.C("b").Eq(true)), xt(xr(1)))
		exCheck(t, db, query.Select(tbl.C("id")).From(tbl).Where(tbl.C("dec").Gt("1000"), tbl.C("f32").Lt(2)), xt(xr(1)))
		// An out-of-range value is refused, not wrapped (MariaDB in strict
		// mode; SQLite's INTEGER takes any 64-bit value).
		if db.Engine != testdb.SQLite {
			exExecErr(t, db, query.Insert(tbl).Columns("id", "i16").Values(4, 40000))
		}
		// A too-long string for a sized column is refused (SQLite does not check sizes).
		if db.Engine != testdb.SQLite {
			exExecErr(t, db, query.Insert(tbl).Columns("id", "s").Values(5, strings.Repeat("x", 21)))
		}
	})
}

// TestExecDefaults reads back DEFAULT literals exactly: strings with quotes,
// backslashes and SQL-looking text, numbers, booleans, times, bytes, NULL
// and the current time.
func TestExecDefaults(t *testing.T) {
	t.Parallel()
	tbl := query.Table("defaults")
	tricky := []string{
		`it's`,
		`back\slash`,
		`\'; DROP TABLE defaults; --`,
		`"double" and 'single' and \"escaped\"`,
		`? and $1 and :name and /* c */ and -- d`,
		`tab	and \n and \0 not a NUL`,
		`ünïcödé ✓`,
		`\`,
		``,
	}
	fixed := time.Date(2021, 2, 3, 4, 5, 6, 789000000, time.UTC)
	cols := []query.ColumnDef{{Name: "id", Type: exInt64, PrimaryKey: true}}
	want := []any{1}
	for i, s := range tricky {
		size := 0
		if i%2 == 0 {
			size = 64 // both VARCHAR(64) and unbounded TEXT/LONGTEXT
		}
		cols = append(cols, query.ColumnDef{Name: "s" + string(rune('a'+i)), Type: exStr(size), Default: s, HasDefault: true})
		want = append(want, s)
	}
	cols = append(cols,
		query.ColumnDef{Name: "n", Type: exInt32, NotNull: true, Default: 42},
		query.ColumnDef{Name: "neg", Type: exInt64, Default: int64(-9000000000)},
		query.ColumnDef{Name: "f", Type: exKind(fields.KindFloat64), Default: 1.5},
		query.ColumnDef{Name: "dec", Type: fields.ColumnType{Kind: fields.KindDecimal, Precision: 8, Scale: 3}, Default: query.SQL("12.345")},
		query.ColumnDef{Name: "yes", Type: exBool, NotNull: true, Default: true},
		query.ColumnDef{Name: "no", Type: exBool, NotNull: true, Default: false},
		query.ColumnDef{Name: "nul", Type: exStr(8), Default: nil, HasDefault: true},
		query.ColumnDef{Name: "fixed", Type: exTime, Default: fixed},
		// Expression defaults: parenthesized for SQLite and MySQL 8.
		query.ColumnDef{Name: "fn", Type: exStr(16), Default: query.Lower(query.V("ABC"))},
		query.ColumnDef{Name: "cs", Type: exStr(4), Default: query.Case().When(query.SQL("1").Eq(1), "y").Else("n")},
		query.ColumnDef{Name: "ct", Type: exInt32, Default: query.V("7").Cast("INTEGER")},
		query.ColumnDef{Name: "co", Type: exInt32, Default: query.Coalesce(nil, 3)},
		query.ColumnDef{Name: "ex", Type: exInt32, Default: query.SQL("2").Mul(3).Add(1)},
		query.ColumnDef{Name: "cc", Type: exStr(8), Default: query.Concat("a", "'", "b")},
		query.ColumnDef{Name: "now", Type: exTime, NotNull: true, Default: query.Now()},
		query.ColumnDef{Name: "by", Type: fields.ColumnType{Kind: fields.KindBytes, Size: 8}, Default: []byte{0, 'a', '\'', 0xff}},
	)
	want = append(want, 42, -9000000000, 1.5, exDecimal("12.345"), true, false, nil, fixed, "abc", "y", 7, 3, 7, "a'b")
	exEach(t, func(t *testing.T, db *testdb.DB) {
		exExec(t, db, query.CreateTable(tbl).Column(cols...))
		before := time.Now().UTC().Add(-5 * time.Minute)
		exExec(t, db, query.Insert(tbl).Columns("id").Values(1))
		sel := make([]query.Expr, 0, len(cols))
		for _, c := range cols {
			sel = append(sel, tbl.C(c.Name))
		}
		got := exRows(t, db, query.Select(sel...).From(tbl))
		require.Len(t, got, 1)
		row := got[0]
		for i, w := range want {
			require.True(t, exCellEq(w, row[i]), "%s: column %s: got %#v (%T), want %#v", db.Dialect, cols[i].Name, row[i], row[i], w)
		}
		// DEFAULT CURRENT_TIMESTAMP: a time of about now.
		now, ok := row[len(want)].(time.Time)
		require.True(t, ok, "now column: %#v (%T)", row[len(want)], row[len(want)])
		require.WithinRange(t, now, before, time.Now().UTC().Add(5*time.Minute))
		require.True(t, exCellEq([]byte{0, 'a', '\'', 0xff}, row[len(want)+1]), "bytes default: %#v", row[len(want)+1])
		// The literals were not bound: DDL has no parameters.
		s, args := exBuild(t, db.Dialect, query.CreateTable(tbl).Column(cols...))
		require.Empty(t, args)
		require.NotContains(t, s, "$1,")
	})
}

// TestExecConstraints shows NOT NULL, UNIQUE, CHECK, primary and foreign keys
// enforced by every engine.
func TestExecConstraints(t *testing.T) {
	t.Parallel()
	parent, child, orphanable := query.Table("parent"), query.Table("child"), query.Table("orphanable")
	pair, checked := query.Table("pair"), query.Table("checked")
	exEach(t, func(t *testing.T, db *testdb.DB) {
		exExec(t, db, query.CreateTable(parent).Column(exAutoPK,
			query.ColumnDef{Name: "name", Type: exStr(16), NotNull: true, Unique: true}))
		exExec(t, db, query.CreateTable(child).Column(exAutoPK,
			query.ColumnDef{Name: "parent_id", Type: exInt64, NotNull: true}).
			ForeignKey(query.ForeignKey{Name: "fk_child_parent", Columns: []string{"parent_id"}, RefTable: parent,
				RefColumns: []string{"id"}, OnDelete: "CASCADE"}))
		exExec(t, db, query.CreateTable(orphanable).Column(exAutoPK,
			query.ColumnDef{Name: "parent_id", Type: exInt64}).
			ForeignKey(query.ForeignKey{Columns: []string{"parent_id"}, RefTable: parent, RefColumns: []string{"id"},
				OnDelete: "SET NULL", OnUpdate: "CASCADE"}))
		exExec(t, db, query.CreateTable(pair).Column(
			query.ColumnDef{Name: "a", Type: exInt32},
			query.ColumnDef{Name: "b", Type: exInt32},
			query.ColumnDef{Name: "c", Type: exStr(8)},
			query.ColumnDef{Name: "d", Type: exStr(8)},
		).PrimaryKey("a", "b").Unique("uq_pair_cd", "c", "d"))
		exExec(t, db, query.CreateTable(checked).Column(
			query.ColumnDef{Name: "n", Type: exInt32, Check: query.C("n").Gt(0)},
			query.ColumnDef{Name: "status", Type: exStr(8), Default: "new", Check: query.C("status").In("new", "done")},
			query.ColumnDef{Name: "lo", Type: exInt32},
			query.ColumnDef{Name: "hi", Type: exInt32},
		).Check("ck_range", query.Or(query.C("lo").IsNull(), query.C("hi").IsNull(), query.C("lo").Le(query.C("hi")))))

		exExec(t, db, query.Insert(parent).Columns("name").Values("p1").Values("p2").Values("p3"))
		t.Run("not_null", func(t *testing.T) {
			exExecErr(t, db, query.Insert(parent).Columns("name").Values(nil))
			exExecErr(t, db, query.Insert(child).Columns("id").Values(100)) // parent_id has no default
		})
		t.Run("unique", func(t *testing.T) {
			exExecErr(t, db, query.Insert(parent).Columns("name").Values("p1"))
			exExec(t, db, query.Insert(pair).Columns("a", "b", "c", "d").Values(1, 1, "x", "y").Values(1, 2, "x", "z"))
			exExecErr(t, db, query.Insert(pair).Columns("a", "b", "c", "d").Values(2, 1, "x", "y")) // (c, d) taken
			// NULLs are not equal to each other in a unique constraint.
			exExec(t, db, query.Insert(pair).Columns("a", "b", "c").Values(3, 1, "x").Values(3, 2, "x"))
		})
		t.Run("composite_primary_key", func(t *testing.T) {
			exExecErr(t, db, query.Insert(pair).Columns("a", "b").Values(1, 1))
			exExecErr(t, db, query.Insert(pair).Columns("a", "b").Values(nil, 1)) // a key column is NOT NULL
			exExec(t, db, query.Insert(pair).Columns("a", "b").Values(2, 2))
		})
		t.Run("check", func(t *testing.T) {
			exExec(t, db, query.Insert(checked).Columns("n", "lo", "hi").Values(1, 1, 2))
			exExecErr(t, db, query.Insert(checked).Columns("n").Values(0))
			exExecErr(t, db, query.Insert(checked).Columns("n", "status").Values(1, "bogus"))
			exExecErr(t, db, query.Insert(checked).Columns("n", "lo", "hi").Values(1, 3, 2))
			exExec(t, db, query.Insert(checked).Columns("n", "lo").Values(5, 3)) // hi NULL passes
			exExecErr(t, db, query.Update(checked).Set("n", -1).Where(query.C("n").Eq(5)))
			exCheck(t, db, query.Select(query.C("n"), query.C("status")).From(checked).OrderBy(query.C("n")),
				xt(xr(1, "new"), xr(5, "new")))
		})
		t.Run("foreign_keys", func(t *testing.T) {
			exExec(t, db, query.Insert(child).Columns("parent_id").Values(1).Values(1).Values(2))
			exExec(t, db, query.Insert(orphanable).Columns("parent_id").Values(1).Values(2).Values(nil))
			exExecErr(t, db, query.Insert(child).Columns("parent_id").Values(99)) // no such parent
			// ON DELETE CASCADE removes the children, SET NULL orphans them.
			require.EqualValues(t, 1, exExec(t, db, query.Delete(parent).Where(parent.C("name").Eq("p1"))))
			exCheck(t, db, query.Select(child.C("parent_id")).From(child).OrderBy(child.C("id")), xt(xr(2)))
			exCheck(t, db, query.Select(orphanable.C("parent_id")).From(orphanable).OrderBy(orphanable.C("id")),
				xt(xr(nil), xr(2), xr(nil)))
			// ON UPDATE CASCADE follows a changed key.
			exExec(t, db, query.Update(parent).Set("id", 20).Where(parent.C("id").Eq(3)))
			exExec(t, db, query.Insert(orphanable).Columns("parent_id").Values(20))
			exExec(t, db, query.Update(parent).Set("id", 30).Where(parent.C("id").Eq(20)))
			exCheck(t, db, query.Select(orphanable.C("parent_id")).From(orphanable).Where(orphanable.C("parent_id").Gt(2)),
				xt(xr(30)))
			// A parent with children (no action on update) keeps its key.
			exExecErr(t, db, query.Update(parent).Set("id", 200).Where(parent.C("id").Eq(2)))
		})
	})
}

// TestExecIndexes creates and drops indexes, and shows unique and partial
// unique indexes enforced.
func TestExecIndexes(t *testing.T) {
	t.Parallel()
	tbl := query.Table("indexed")
	exEach(t, func(t *testing.T, db *testdb.DB) {
		exExec(t, db, query.CreateTable(tbl).Column(exAutoPK,
			query.ColumnDef{Name: "email", Type: exStr(64), NotNull: true},
			query.ColumnDef{Name: "org", Type: exInt32, NotNull: true},
			query.ColumnDef{Name: "active", Type: exBool, NotNull: true, Default: true},
		))
		ins := func(email string, org int, active bool) query.InsertQuery {
			return query.Insert(tbl).Columns("email", "org", "active").Values(email, org, active)
		}
		// A unique index rejects duplicates; IF NOT EXISTS makes a second
		// CREATE a no-op, without it the second CREATE fails.
		uq := query.CreateIndex("ix_indexed_email", tbl, "email").Unique()
		exExec(t, db, uq)
		exExecErr(t, db, uq)
		exExec(t, db, uq.IfNotExists())
		exExec(t, db, ins("a@x", 1, true))
		exExecErr(t, db, ins("a@x", 2, true))
		// Dropped, the duplicate goes in; IF EXISTS makes a second DROP a no-op.
		drop := query.DropIndex("ix_indexed_email", tbl)
		exExec(t, db, drop)
		exExecErr(t, db, drop)
		exExec(t, db, drop.IfExists())
		exExec(t, db, ins("a@x", 2, true))
		// A multi-column unique index: (org, email) unique, email alone not.
		exExec(t, db, query.CreateIndex("ix_indexed_org_email", tbl, "org", "email").Unique())
		exExec(t, db, ins("a@x", 3, true))
		exExecErr(t, db, ins("a@x", 3, false))
		// A plain multi-column index with a descending part; it is used by queries.
		exExec(t, db, query.CreateIndex("ix_indexed_org_id", tbl).On(query.C("org"), query.C("id").Desc()).IfNotExists())
		exCheck(t, db, query.Select(tbl.C("org")).From(tbl).Where(tbl.C("org").Gt(1)).OrderBy(tbl.C("org")), xt(xr(2), xr(3)))
		exExec(t, db, query.DropIndex("ix_indexed_org_id", tbl).IfExists())

		// A partial unique index: one active row per email (PostgreSQL, SQLite).
		partial := query.CreateIndex("ix_indexed_active_email", tbl, "email").Unique().Where(query.C("active").Eq(true))
		if !db.Dialect.Has(dialect.PartialIndex) {
			exBuildErr(t, db.Dialect, partial, query.ErrUnsupported, "partial index", "mariadb")
		} else {
			exExec(t, db, query.Delete(tbl).Where(tbl.C("email").Eq("a@x"), tbl.C("org").Ne(1)))
			exExec(t, db, partial)
			exExec(t, db, ins("a@x", 4, false)) // inactive duplicates are fine
			exExec(t, db, ins("a@x", 5, false))
			exExecErr(t, db, ins("a@x", 6, true)) // a second active one is not
			exExec(t, db, ins("b@x", 6, true))
			exCheck(t, db, query.Select(tbl.C("org")).From(tbl).Where(tbl.C("email").Eq("a@x")).OrderBy(tbl.C("org")),
				xt(xr(1), xr(4), xr(5)))
		}

		// An expression index: unique on LOWER(email) (PostgreSQL, SQLite).
		lower := query.CreateIndex("ix_indexed_lower_email", query.Table("ci")).On(query.Lower(query.C("email"))).Unique()
		exExec(t, db, query.CreateTable(query.Table("ci")).Column(query.ColumnDef{Name: "email", Type: exStr(64)}))
		if !db.Dialect.Has(dialect.IndexExpressions) {
			exBuildErr(t, db.Dialect, lower, query.ErrUnsupported, "expression index", "mariadb")
		} else {
			exExec(t, db, lower)
			exExec(t, db, query.Insert(query.Table("ci")).Columns("email").Values("Ann@X"))
			exExecErr(t, db, query.Insert(query.Table("ci")).Columns("email").Values("ann@x"))
		}
	})
}

// TestExecTables creates and drops tables: IF NOT EXISTS, IF EXISTS,
// CASCADE (PostgreSQL), several at once, and DDL inside a transaction.
func TestExecTables(t *testing.T) {
	t.Parallel()
	a, b, c := query.Table("ta"), query.Table("tb"), query.Table("tc")
	exEach(t, func(t *testing.T, db *testdb.DB) {
		ctx := context.Background()
		create := query.CreateTable(a).Column(query.ColumnDef{Name: "id", Type: exInt64, PrimaryKey: true})
		exExec(t, db, create)
		exExecErr(t, db, create)
		exExec(t, db, create.IfNotExists())
		exExec(t, db, query.CreateTable(b).IfNotExists().Column(exAutoPK, query.ColumnDef{Name: "a_id", Type: exInt64}).
			ForeignKey(query.ForeignKey{Columns: []string{"a_id"}, RefTable: a, RefColumns: []string{"id"}}))
		exExec(t, db, query.Insert(a).Values(1))
		exExec(t, db, query.Insert(b).Columns("a_id").Values(1))

		// DROP TABLE of a missing table fails; IF EXISTS does not.
		exExecErr(t, db, query.DropTable(c))
		exExec(t, db, query.DropTable(c).IfExists())

		// CASCADE: PostgreSQL drops the foreign key of tb with ta.
		cascade := query.DropTable(a).Cascade()
		if !db.Dialect.Has(dialect.DropTableCascade) {
			exBuildErr(t, db.Dialect, cascade, query.ErrUnsupported, "CASCADE")
			// Several tables at once, child first.
			many := query.DropTable(b, a).IfExists()
			if db.Dialect.Has(dialect.DropManyTables) {
				exExec(t, db, many)
			} else {
				exBuildErr(t, db.Dialect, many, query.ErrUnsupported, "DROP TABLE of several tables")
				exExec(t, db, query.DropTable(b))
				exExec(t, db, query.DropTable(a))
			}
		} else {
			exExecErr(t, db, query.DropTable(a)) // tb depends on it
			exExec(t, db, cascade)
			exExec(t, db, query.Insert(b).Columns("a_id").Values(42)) // the foreign key is gone
			exExec(t, db, query.DropTable(b, a).IfExists())
		}
		exExecErr(t, db, query.Select().From(b))

		// DDL in a transaction that rolls back (SQLite, PostgreSQL).
		if db.Dialect.Has(dialect.TransactionalDDL) {
			tx, err := db.DB.BeginTx(ctx, nil)
			require.NoError(t, err)
			exExecOn(t, tx, db.Dialect, query.CreateTable(c).Column(query.ColumnDef{Name: "x", Type: exInt32}))
			exExecOn(t, tx, db.Dialect, query.Insert(c).Values(1))
			require.NoError(t, tx.Rollback())
			exExecErr(t, db, query.Select().From(c))
		}
		// A schema-qualified table (the test's own schema/database; SQLite's "main").
		schema := exPerEngine(db, "main", db.Schema, db.Schema)
		st := query.SchemaTable(schema, "qualified")
		exExec(t, db, query.CreateTable(st).Column(exAutoPK, query.ColumnDef{Name: "v", Type: exStr(8)}))
		exExec(t, db, query.CreateIndex("ix_qualified_v", st, "v").Unique())
		exExec(t, db, query.Insert(st).Columns("v").Values("x"))
		exExecErr(t, db, query.Insert(st).Columns("v").Values("x"))
		exCheck(t, db, query.Select(st.C("id"), st.C("v")).From(st), xt(xr(1, "x")))
		exExec(t, db, query.DropIndex("ix_qualified_v", st).IfExists())
		exExec(t, db, query.DropTable(st))
	})
}
