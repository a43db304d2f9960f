package dialect_test

import (
	"errors"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/kingletdb/kinglet/dialect"
	"github.com/kingletdb/kinglet/fields"
)

var all = []dialect.Dialect{dialect.SQLite, dialect.Postgres, dialect.MySQL, dialect.MariaDB}

// byName picks the expectation for d from a map keyed by engine name;
// "mysql" also serves MariaDB unless "mariadb" is given.
func byName[T any](t *testing.T, d dialect.Dialect, m map[string]T) T {
	t.Helper()
	if v, ok := m[d.Name()]; ok {
		return v
	}
	if v, ok := m["mysql"]; ok && d.Name() == "mariadb" {
		return v
	}
	t.Fatalf("no expectation for %s", d)
	var zero T
	return zero
}

func TestNames(t *testing.T) {
	for d, want := range map[dialect.Dialect][2]string{
		dialect.SQLite:   {"sqlite", "sqlite 3.46.0"},
		dialect.Postgres: {"postgres", "postgres 12.0.0"},
		dialect.MySQL:    {"mysql", "mysql 8.0.31"},
		dialect.MariaDB:  {"mariadb", "mariadb 10.6.0"},
	} {
		if d.Name() != want[0] || d.String() != want[1] {
			t.Errorf("got %q / %q, want %q / %q", d.Name(), d.String(), want[0], want[1])
		}
	}
}

func TestAppendIdent(t *testing.T) {
	cases := []struct {
		in   string
		want map[string]string
	}{
		{"users", map[string]string{"sqlite": `"users"`, "postgres": `"users"`, "mysql": "`users`"}},
		{`a"b`, map[string]string{"sqlite": `"a""b"`, "postgres": `"a""b"`, "mysql": "`a\"b`"}},
		{"a`b", map[string]string{"sqlite": "\"a`b\"", "postgres": "\"a`b\"", "mysql": "`a``b`"}},
		{`""`, map[string]string{"sqlite": `""""""`, "postgres": `""""""`, "mysql": "`\"\"`"}},
		{"``", map[string]string{"sqlite": "\"``\"", "postgres": "\"``\"", "mysql": "``````"}},
		{`a\`, map[string]string{"sqlite": `"a\"`, "postgres": `"a\"`, "mysql": "`a\\`"}},
		{"it's", map[string]string{"sqlite": `"it's"`, "postgres": `"it's"`, "mysql": "`it's`"}},
		{"日本", map[string]string{"sqlite": `"日本"`, "postgres": `"日本"`, "mysql": "`日本`"}},
		// The dialect only quotes; the query Builder refuses empty names.
		{"", map[string]string{"sqlite": `""`, "postgres": `""`, "mysql": "``"}},
	}
	for _, d := range all {
		for _, c := range cases {
			want := byName(t, d, c.want)
			// Appending keeps what the buffer held.
			if got := string(d.AppendIdent([]byte("x."), c.in)); got != "x."+want {
				t.Errorf("%s: AppendIdent(%q) = %s, want x.%s", d, c.in, got, want)
			}
		}
	}
}

func TestAppendString(t *testing.T) {
	cases := []struct {
		in   string
		want map[string]string
	}{
		{"", map[string]string{"sqlite": `''`, "postgres": `''`, "mysql": `''`}},
		{"plain", map[string]string{"sqlite": `'plain'`, "postgres": `'plain'`, "mysql": `'plain'`}},
		{"it's", map[string]string{"sqlite": `'it''s'`, "postgres": `'it''s'`, "mysql": `'it''s'`}},
		{"''", map[string]string{"sqlite": `''''''`, "postgres": `''''''`, "mysql": `''''''`}},
		// Backslashes are plain on SQLite and PostgreSQL
		// (standard_conforming_strings) and escapes on MySQL.
		{`a\b`, map[string]string{"sqlite": `'a\b'`, "postgres": `'a\b'`, "mysql": `'a\\b'`}},
		{`\'`, map[string]string{"sqlite": `'\'''`, "postgres": `'\'''`, "mysql": `'\\'''`}},
		{`x\`, map[string]string{"sqlite": `'x\'`, "postgres": `'x\'`, "mysql": `'x\\'`}},
		{"a\x00b", map[string]string{"sqlite": "'a\x00b'", "postgres": "'a\x00b'", "mysql": `'a\0b'`}},
		{`"`, map[string]string{"sqlite": `'"'`, "postgres": `'"'`, "mysql": `'"'`}},
		{"-- x /* y */ ; ?", map[string]string{"sqlite": `'-- x /* y */ ; ?'`, "postgres": `'-- x /* y */ ; ?'`, "mysql": `'-- x /* y */ ; ?'`}},
		{"é\n", map[string]string{"sqlite": "'é\n'", "postgres": "'é\n'", "mysql": "'é\n'"}},
	}
	for _, d := range all {
		for _, c := range cases {
			want := byName(t, d, c.want)
			if got := string(d.AppendString(nil, c.in)); got != want {
				t.Errorf("%s: AppendString(%q) = %s, want %s", d, c.in, got, want)
			}
		}
	}
}

func TestAppendBytesBoolPlaceholder(t *testing.T) {
	for _, d := range all {
		bytes := byName(t, d, map[string]string{"sqlite": `X'00ff7f'`, "postgres": `'\x00ff7f'::bytea`, "mysql": `X'00ff7f'`})
		if got := string(d.AppendBytes(nil, []byte{0, 0xff, 0x7f})); got != bytes {
			t.Errorf("%s: AppendBytes = %s, want %s", d, got, bytes)
		}
		empty := byName(t, d, map[string]string{"sqlite": `X''`, "postgres": `'\x'::bytea`, "mysql": `X''`})
		if got := string(d.AppendBytes(nil, nil)); got != empty {
			t.Errorf("%s: AppendBytes(nil) = %s, want %s", d, got, empty)
		}
		bools := byName(t, d, map[string]string{"sqlite": "1 0", "postgres": "TRUE FALSE", "mysql": "TRUE FALSE"})
		if got := string(d.AppendBool(d.AppendBool(nil, true), false)); got != strings.ReplaceAll(bools, " ", "") {
			t.Errorf("%s: AppendBool = %s, want %s", d, got, bools)
		}
		ph := byName(t, d, map[string]string{"sqlite": "? ? ? ? ? ? ? ?", "postgres": "$1 $9 $10 $99 $100 $999 $1000 $65535", "mysql": "? ? ? ? ? ? ? ?"})
		var b []byte
		for i, n := range []int{1, 9, 10, 99, 100, 999, 1000, 65535} {
			if i > 0 {
				b = append(b, ' ')
			}
			b = d.AppendPlaceholder(b, n)
		}
		if string(b) != ph {
			t.Errorf("%s: placeholders %s, want %s", d, b, ph)
		}
	}
}

func TestParseVersion(t *testing.T) {
	for _, c := range []struct {
		in   string
		want dialect.Version
	}{
		{"10.11.19-MariaDB-0+deb12u1", dialect.Version{Major: 10, Minor: 11, Patch: 19}},
		{"5.5.5-10.11.19-MariaDB", dialect.Version{Major: 5, Minor: 5, Patch: 5}},
		{"8.0.36", dialect.Version{Major: 8, Minor: 0, Patch: 36}},
		{"8.0.36-0ubuntu0.22.04.1", dialect.Version{Major: 8, Minor: 0, Patch: 36}},
		{"PostgreSQL 15.20 (Debian 15.20-0+deb12u1) on x86_64-pc-linux-gnu", dialect.Version{Major: 15, Minor: 20}},
		{"15.20 (Debian 15.20-0+deb12u1)", dialect.Version{Major: 15, Minor: 20}},
		{"16beta1", dialect.Version{Major: 16}},
		{"3.31.1", dialect.Version{Major: 3, Minor: 31, Patch: 1}},
		{" 3.46 \n", dialect.Version{Major: 3, Minor: 46}},
		{"12", dialect.Version{Major: 12}},
		{"12.", dialect.Version{Major: 12}},
		{"1.2.3.4", dialect.Version{Major: 1, Minor: 2, Patch: 3}},
	} {
		got, err := dialect.ParseVersion(c.in)
		if err != nil || got != c.want {
			t.Errorf("ParseVersion(%q) = %v, %v; want %v", c.in, got, err, c.want)
		}
	}
	for _, in := range []string{"", "   ", "MariaDB", "v1.2", ".5", "PostgreSQL", "99999999999999999999999.1"} {
		if v, err := dialect.ParseVersion(in); err == nil {
			t.Errorf("ParseVersion(%q) = %v, want an error", in, v)
		}
	}
}

func TestVersion(t *testing.T) {
	v := dialect.Version{Major: 3, Minor: 35, Patch: 2}
	if v.String() != "3.35.2" {
		t.Errorf("String = %q", v.String())
	}
	for _, c := range []struct {
		maj, min, patch int
		want            bool
	}{
		{3, 35, 2, true}, {3, 35, 0, true}, {3, 35, 3, false}, {3, 34, 99, true}, {3, 36, 0, false},
		{2, 99, 99, true}, {4, 0, 0, false},
	} {
		if got := v.AtLeast(c.maj, c.min, c.patch); got != c.want {
			t.Errorf("%v.AtLeast(%d, %d, %d) = %v", v, c.maj, c.min, c.patch, got)
		}
	}
}

func TestForVersion(t *testing.T) {
	type want struct {
		name, str  string
		has, lacks []dialect.Feature
	}
	for _, c := range []struct {
		engine, version string
		want            want
	}{
		{"mysql", "10.11.19-MariaDB-0+deb12u1", want{"mariadb", "mariadb 10.11.19",
			[]dialect.Feature{dialect.InsertReturning, dialect.DeleteReturning, dialect.LockSkipLocked, dialect.LockInShareMode, dialect.BackslashEscapes},
			[]dialect.Feature{dialect.UpdateReturning, dialect.ForShare, dialect.FullJoin, dialect.UpsertOnConflict}}},
		{"mysql", "5.5.5-10.11.19-MariaDB-log", want{"mariadb", "mariadb 10.11.19",
			[]dialect.Feature{dialect.InsertReturning, dialect.LockSkipLocked}, nil}},
		{"mariadb", "10.4.32", want{"mariadb", "mariadb 10.4.32",
			[]dialect.Feature{dialect.LockNoWait, dialect.IntersectExcept},
			[]dialect.Feature{dialect.InsertReturning, dialect.RenameColumn, dialect.LockSkipLocked}}},
		{"MariaDB", "10.2.44", want{"mariadb", "mariadb 10.2.44", nil,
			[]dialect.Feature{dialect.LockNoWait, dialect.IntersectExcept}}},
		{"mysql", "8.0.36", want{"mysql", "mysql 8.0.36",
			[]dialect.Feature{dialect.ForShare, dialect.LockOf, dialect.LockSkipLocked, dialect.CheckConstraints, dialect.IntersectExcept, dialect.UpsertOnDuplicateKey},
			[]dialect.Feature{dialect.InsertReturning, dialect.LockInShareMode, dialect.FullJoin, dialect.IndexIfNotExists}}},
		{"mysql", "8.0.30", want{"mysql", "mysql 8.0.30", []dialect.Feature{dialect.CheckConstraints},
			[]dialect.Feature{dialect.IntersectExcept}}},
		{"mysql", "8.0.15", want{"mysql", "mysql 8.0.15", []dialect.Feature{dialect.ForShare},
			[]dialect.Feature{dialect.CheckConstraints}}},
		{"mysql", "5.7.44", want{"mysql", "mysql 5.7.44", []dialect.Feature{dialect.ForUpdate},
			[]dialect.Feature{dialect.ForShare, dialect.RenameColumn, dialect.LockSkipLocked}}},
		{"postgres", "PostgreSQL 15.20 (Debian 15.20-0+deb12u1) on x86_64-pc-linux-gnu", want{"postgres", "postgres 15.20.0",
			[]dialect.Feature{dialect.InsertReturning, dialect.UpdateFrom, dialect.DistinctOn, dialect.NullsOrder, dialect.ConflictOnConstraint, dialect.TransactionalDDL},
			[]dialect.Feature{dialect.BackslashEscapes, dialect.UpsertOnDuplicateKey, dialect.LockInShareMode}}},
		{"postgresql", "12.1", want{"postgres", "postgres 12.1.0", []dialect.Feature{dialect.FullJoin}, nil}},
		{"pgx", "16.4", want{"postgres", "postgres 16.4.0", []dialect.Feature{dialect.ILike}, nil}},
		{"sqlite", "3.31.1", want{"sqlite", "sqlite 3.31.1",
			[]dialect.Feature{dialect.UpsertOnConflict, dialect.WindowFunctions, dialect.AggregateFilter, dialect.CTE, dialect.PartialIndex},
			[]dialect.Feature{dialect.InsertReturning, dialect.UpdateReturning, dialect.DeleteReturning, dialect.UpdateFrom,
				dialect.DropColumn, dialect.RightJoin, dialect.FullJoin, dialect.IsDistinctFrom, dialect.UpsertUpdateNoTarget}}},
		{"sqlite3", "3.46.1", want{"sqlite", "sqlite 3.46.1",
			[]dialect.Feature{dialect.InsertReturning, dialect.UpdateFrom, dialect.RightJoin, dialect.FullJoin, dialect.IsDistinctFrom},
			[]dialect.Feature{dialect.ForUpdate, dialect.DistinctOn, dialect.ILike}}},
		{"sqlite", "3.23.0", want{"sqlite", "sqlite 3.23.0", []dialect.Feature{dialect.CTE},
			[]dialect.Feature{dialect.UpsertOnConflict, dialect.WindowFunctions, dialect.AggregateFilter}}},
	} {
		d, err := dialect.ForVersion(c.engine, c.version)
		if err != nil {
			t.Errorf("ForVersion(%q, %q): %v", c.engine, c.version, err)
			continue
		}
		if d.Name() != c.want.name || d.String() != c.want.str {
			t.Errorf("ForVersion(%q, %q) = %s (%s), want %s (%s)", c.engine, c.version, d.Name(), d, c.want.name, c.want.str)
		}
		for _, f := range c.want.has {
			if !d.Has(f) {
				t.Errorf("%s lacks %s", d, f)
			}
		}
		for _, f := range c.want.lacks {
			if d.Has(f) {
				t.Errorf("%s has %s", d, f)
			}
			if err := dialect.Require(d, f); !errors.Is(err, dialect.ErrUnsupported) ||
				!strings.Contains(err.Error(), f.String()) || !strings.Contains(err.Error(), d.String()) {
				t.Errorf("Require(%s, %s) = %v", d, f, err)
			}
		}
	}
	for _, c := range [][2]string{{"oracle", "19.3"}, {"", "1.0"}, {"mysql", "unknown"}, {"sqlite", ""}} {
		if d, err := dialect.ForVersion(c[0], c[1]); err == nil {
			t.Errorf("ForVersion(%q, %q) = %v, want an error", c[0], c[1], d)
		}
	}
}

func TestHasNeedsEveryFlag(t *testing.T) {
	d := dialect.MySQL
	if !d.Has(dialect.ForUpdate | dialect.ForShare) {
		t.Error("MySQL should have FOR UPDATE and FOR SHARE")
	}
	if d.Has(dialect.ForUpdate | dialect.FullJoin) {
		t.Error("Has(a|b) must need both a and b")
	}
	if err := dialect.Require(dialect.SQLite, dialect.CTE); err != nil {
		t.Errorf("Require(sqlite, CTE) = %v", err)
	}
	err := dialect.Require(dialect.MySQL, dialect.FullJoin)
	if err == nil || err.Error() != "kinglet: not supported by this dialect: FULL JOIN on mysql 8.0.31" {
		t.Errorf("Require(mysql, FullJoin) = %v", err)
	}
	err = dialect.Unsupported(dialect.SQLite, "row locks")
	if !errors.Is(err, dialect.ErrUnsupported) || err.Error() != "kinglet: not supported by this dialect: row locks on sqlite 3.46.0" {
		t.Errorf("Unsupported = %v", err)
	}
}

func TestFeatureString(t *testing.T) {
	seen := map[string]dialect.Feature{}
	for f := dialect.Feature(1); f != 0 && f <= dialect.DataModifyingCTE; f <<= 1 {
		s := f.String()
		if s == "" || strings.HasPrefix(s, "feature(") {
			t.Errorf("feature %#x has no name: %q", uint64(f), s)
		}
		if g, dup := seen[s]; dup {
			t.Errorf("features %#x and %#x are both named %q", uint64(g), uint64(f), s)
		}
		seen[s] = f
	}
	for f, want := range map[dialect.Feature]string{
		dialect.InsertReturning:              "INSERT … RETURNING",
		dialect.LockOf:                       "FOR UPDATE OF",
		dialect.FullJoin:                     "FULL JOIN",
		dialect.BackslashEscapes:             "backslash escapes in strings",
		dialect.LimitInSubquery:              "LIMIT in an IN subquery",
		dialect.DataModifyingCTE:             "INSERT/UPDATE/DELETE in WITH",
		dialect.ForUpdate | dialect.ForShare: "feature(0x" + strings.TrimLeft(hex(uint64(dialect.ForUpdate|dialect.ForShare)), "0") + ")",
		0:                                    "feature(0x0)",
	} {
		if got := f.String(); got != want {
			t.Errorf("Feature(%#x).String() = %q, want %q", uint64(f), got, want)
		}
	}
}

func hex(v uint64) string {
	const digits = "0123456789abcdef"
	var b [16]byte
	for i := range b {
		b[15-i] = digits[v>>(4*i)&15]
	}
	return string(b[:])
}

// allKinds are every valid Kind.
var allKinds = []fields.Kind{
	fields.KindBool, fields.KindInt8, fields.KindInt16, fields.KindInt32, fields.KindInt64,
	fields.KindUint8, fields.KindUint16, fields.KindUint32, fields.KindUint64,
	fields.KindFloat32, fields.KindFloat64, fields.KindDecimal, fields.KindString, fields.KindBytes,
	fields.KindTime, fields.KindDate, fields.KindJSON, fields.KindUUID,
}

func TestTypeNameEveryKind(t *testing.T) {
	// Plain column types: no size, precision or key.
	want := map[fields.Kind]map[string]string{
		fields.KindBool:    {"sqlite": "BOOLEAN", "postgres": "BOOLEAN", "mysql": "BOOLEAN"},
		fields.KindInt8:    {"sqlite": "INTEGER", "postgres": "SMALLINT", "mysql": "TINYINT"},
		fields.KindInt16:   {"sqlite": "INTEGER", "postgres": "SMALLINT", "mysql": "SMALLINT"},
		fields.KindInt32:   {"sqlite": "INTEGER", "postgres": "INTEGER", "mysql": "INT"},
		fields.KindInt64:   {"sqlite": "INTEGER", "postgres": "BIGINT", "mysql": "BIGINT"},
		fields.KindUint8:   {"sqlite": "INTEGER", "postgres": "SMALLINT", "mysql": "TINYINT UNSIGNED"},
		fields.KindUint16:  {"sqlite": "INTEGER", "postgres": "INTEGER", "mysql": "SMALLINT UNSIGNED"},
		fields.KindUint32:  {"sqlite": "INTEGER", "postgres": "BIGINT", "mysql": "INT UNSIGNED"},
		fields.KindUint64:  {"sqlite": "INTEGER", "postgres": "NUMERIC(20)", "mysql": "BIGINT UNSIGNED"},
		fields.KindFloat32: {"sqlite": "REAL", "postgres": "REAL", "mysql": "FLOAT"},
		fields.KindFloat64: {"sqlite": "REAL", "postgres": "DOUBLE PRECISION", "mysql": "DOUBLE"},
		fields.KindDecimal: {"sqlite": "NUMERIC", "postgres": "NUMERIC", "mysql": "error"},
		fields.KindString:  {"sqlite": "VARCHAR", "postgres": "TEXT", "mysql": "LONGTEXT"},
		fields.KindBytes:   {"sqlite": "BLOB", "postgres": "BYTEA", "mysql": "LONGBLOB"},
		fields.KindTime:    {"sqlite": "DATETIME", "postgres": "TIMESTAMPTZ", "mysql": "DATETIME(6)"},
		fields.KindDate:    {"sqlite": "DATE", "postgres": "DATE", "mysql": "DATE"},
		fields.KindJSON:    {"sqlite": "TEXT", "postgres": "JSONB", "mysql": "JSON"},
		fields.KindUUID:    {"sqlite": "TEXT", "postgres": "UUID", "mysql": "CHAR(36)"},
	}
	if len(want) != len(allKinds) {
		t.Fatalf("expectations for %d kinds, %d kinds", len(want), len(allKinds))
	}
	for _, d := range all {
		for _, k := range allKinds {
			checkType(t, d, fields.ColumnType{Kind: k}, byName(t, d, want[k]))
		}
	}
}

func TestTypeNameVariants(t *testing.T) {
	cases := []struct {
		ct   fields.ColumnType
		want map[string]string
	}{
		{fields.ColumnType{Kind: fields.KindString, Size: 64}, map[string]string{"sqlite": "VARCHAR(64)", "postgres": "VARCHAR(64)", "mysql": "VARCHAR(64)"}},
		{fields.ColumnType{Kind: fields.KindString, Key: true}, map[string]string{"sqlite": "VARCHAR", "postgres": "TEXT", "mysql": "VARCHAR(255)"}},
		{fields.ColumnType{Kind: fields.KindString, Size: 32, Key: true}, map[string]string{"sqlite": "VARCHAR(32)", "postgres": "VARCHAR(32)", "mysql": "VARCHAR(32)"}},
		{fields.ColumnType{Kind: fields.KindBytes, Size: 16}, map[string]string{"sqlite": "BLOB", "postgres": "BYTEA", "mysql": "VARBINARY(16)"}},
		{fields.ColumnType{Kind: fields.KindBytes, Key: true}, map[string]string{"sqlite": "BLOB", "postgres": "BYTEA", "mysql": "VARBINARY(255)"}},
		{fields.ColumnType{Kind: fields.KindDecimal, Precision: 10, Scale: 2}, map[string]string{"sqlite": "NUMERIC(10,2)", "postgres": "NUMERIC(10,2)", "mysql": "DECIMAL(10,2)"}},
		{fields.ColumnType{Kind: fields.KindDecimal, Precision: 38}, map[string]string{"sqlite": "NUMERIC(38,0)", "postgres": "NUMERIC(38,0)", "mysql": "DECIMAL(38,0)"}},
		{fields.ColumnType{Kind: fields.KindDecimal, Precision: -1, Scale: 2}, map[string]string{"sqlite": "NUMERIC", "postgres": "NUMERIC", "mysql": "error"}},
		// PostgreSQL widens small auto-increment keys (no SMALLINT identity
		// worth having) and keeps uint64 keys BIGINT.
		{fields.ColumnType{Kind: fields.KindInt8, AutoInc: true}, map[string]string{"sqlite": "INTEGER", "postgres": "INTEGER", "mysql": "TINYINT"}},
		{fields.ColumnType{Kind: fields.KindInt16, AutoInc: true}, map[string]string{"sqlite": "INTEGER", "postgres": "INTEGER", "mysql": "SMALLINT"}},
		{fields.ColumnType{Kind: fields.KindUint8, AutoInc: true}, map[string]string{"sqlite": "INTEGER", "postgres": "INTEGER", "mysql": "TINYINT UNSIGNED"}},
		{fields.ColumnType{Kind: fields.KindUint64, AutoInc: true}, map[string]string{"sqlite": "INTEGER", "postgres": "BIGINT", "mysql": "BIGINT UNSIGNED"}},
		{fields.ColumnType{Kind: fields.KindInt64, AutoInc: true, Key: true}, map[string]string{"sqlite": "INTEGER", "postgres": "BIGINT", "mysql": "BIGINT"}},
		{fields.ColumnType{Kind: fields.KindInvalid}, map[string]string{"sqlite": "error", "postgres": "error", "mysql": "error"}},
		{fields.ColumnType{Kind: fields.Kind(200)}, map[string]string{"sqlite": "error", "postgres": "error", "mysql": "error"}},
	}
	for _, d := range all {
		for _, c := range cases {
			checkType(t, d, c.ct, byName(t, d, c.want))
		}
	}
}

func checkType(t *testing.T, d dialect.Dialect, ct fields.ColumnType, want string) {
	t.Helper()
	got, err := d.TypeName(ct)
	if want != "error" {
		if err != nil || got != want {
			t.Errorf("%s: TypeName(%+v) = %q, %v; want %q", d, ct, got, err, want)
		}
		return
	}
	if err == nil {
		t.Errorf("%s: TypeName(%+v) = %q, want an error", d, ct, got)
		return
	}
	// The error names the dialect and what was wrong.
	msg := err.Error()
	if !strings.HasPrefix(msg, "kinglet: dialect: ") || !strings.Contains(msg, d.String()) {
		t.Errorf("%s: TypeName(%+v) error %q should start kinglet: dialect: and name %s", d, ct, msg, d)
	}
	if ct.Kind == fields.KindDecimal && !strings.Contains(msg, "precision") {
		t.Errorf("%s: decimal error %q should ask for a precision", d, msg)
	}
	if ct.Kind != fields.KindDecimal && !strings.Contains(msg, ct.Kind.String()) {
		t.Errorf("%s: error %q should name kind %s", d, msg, ct.Kind)
	}
}

func TestEngineDetails(t *testing.T) {
	for _, d := range all {
		clause, declaresPK := d.AutoIncrement()
		wantClause := byName(t, d, map[string]string{
			"sqlite": "PRIMARY KEY AUTOINCREMENT", "postgres": "GENERATED BY DEFAULT AS IDENTITY", "mysql": "AUTO_INCREMENT",
		})
		if clause != wantClause || declaresPK != (d.Name() == "sqlite") {
			t.Errorf("%s: AutoIncrement = %q, %v", d, clause, declaresPK)
		}
		if max := byName(t, d, map[string]int{"sqlite": 32766, "postgres": 65535, "mysql": 65535}); d.MaxParams() != max {
			t.Errorf("%s: MaxParams = %d, want %d", d, d.MaxParams(), max)
		}
		noLimit := ""
		if nl, ok := d.(dialect.NoLimiter); ok {
			noLimit = nl.NoLimit()
		}
		if want := byName(t, d, map[string]string{"sqlite": "-1", "postgres": "", "mysql": "18446744073709551615"}); noLimit != want {
			t.Errorf("%s: NoLimit = %q, want %q", d, noLimit, want)
		}
		sw, ok := d.(dialect.SingleWriter)
		if one := ok && sw.SingleWriter(); one != (d.Name() == "sqlite") {
			t.Errorf("%s: SingleWriter = %v", d, one)
		}
		opts, now := "", ""
		if o, ok := d.(dialect.TableOptioner); ok {
			opts = o.TableOptions()
		}
		if c, ok := d.(dialect.CurrentTimestamper); ok {
			now = c.CurrentTimestamp()
		}
		if want := byName(t, d, map[string]string{"sqlite": "", "postgres": "", "mysql": " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4"}); opts != want {
			t.Errorf("%s: TableOptions = %q, want %q", d, opts, want)
		}
		if want := byName(t, d, map[string]string{"sqlite": "", "postgres": "", "mysql": "CURRENT_TIMESTAMP(6)"}); now != want {
			t.Errorf("%s: CurrentTimestamp = %q, want %q", d, now, want)
		}
	}
}

// MarksOf must agree with what each dialect writes itself, on every engine
// and version, and report no marks for a dialect type it does not know.
func TestMarksAgree(t *testing.T) {
	ds := append([]dialect.Dialect{}, all...)
	for _, ev := range [][2]string{{"sqlite", "3.30.0"}, {"postgres", "9.6"}, {"mysql", "5.7.44"}, {"mariadb", "10.11.19-MariaDB"}} {
		d, err := dialect.ForVersion(ev[0], ev[1])
		if err != nil {
			t.Fatal(err)
		}
		ds = append(ds, d)
	}
	for _, d := range ds {
		m := dialect.MarksOf(d)
		if m.IdentQuote == 0 || m.Placeholder == 0 {
			t.Errorf("%s: MarksOf = %+v, want both marks", d, m)
			continue
		}
		if iq, ok := d.(dialect.IdentQuoter); !ok || iq.IdentQuote() != m.IdentQuote {
			t.Errorf("%s: IdentQuote disagrees with MarksOf's %q", d, m.IdentQuote)
		}
		if m.MaxParams != d.MaxParams() {
			t.Errorf("%s: MaxParams %d, MarksOf says %d", d, d.MaxParams(), m.MaxParams)
		}
		q := string(m.IdentQuote)
		if got := string(d.AppendIdent(nil, "a"+q+"b")); got != q+"a"+q+q+"b"+q {
			t.Errorf("%s: AppendIdent = %s, want the name in %s, the quote doubled", d, got, q)
		}
		for _, n := range []int{1, 9, 10, 99, 100, 65535} {
			want := "?"
			if m.Placeholder == '$' {
				want = "$" + strconv.Itoa(n)
			}
			if got := string(d.AppendPlaceholder(nil, n)); got != want {
				t.Errorf("%s: placeholder %d = %s, MarksOf says %s", d, n, got, want)
			}
			if got := string(dialect.AppendDollar(nil, n)); got != "$"+strconv.Itoa(n) {
				t.Errorf("AppendDollar(%d) = %s", n, got)
			}
		}
	}
	type wrapped struct{ dialect.Dialect }
	if m := dialect.MarksOf(wrapped{dialect.Postgres}); m != (dialect.Marks{MaxParams: 65535}) {
		t.Errorf("MarksOf a wrapped dialect = %+v, want no marks and its MaxParams", m)
	}
	if m := dialect.MarksOf(noLimit{dialect.SQLite}); m.MaxParams != math.MaxInt {
		t.Errorf("MarksOf a dialect without a limit = %+v, want MaxParams math.MaxInt", m)
	}
}

// noLimit states no parameter limit.
type noLimit struct{ dialect.Dialect }

func (noLimit) MaxParams() int { return 0 }
