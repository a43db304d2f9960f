package query_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/kingletdb/kinglet/dialect"
	"github.com/kingletdb/kinglet/internal/testdb"
	"github.com/kingletdb/kinglet/query"
)

// TestCastPortableTypes: the portable Cast types render per dialect, and
// the same query gives the same values on every engine: a growing text path
// in a recursive CTE (TEXT on two engines, CHAR(65535) on MySQL), integers,
// floats and bytes.
func TestCastPortableTypes(t *testing.T) {
	t.Parallel()
	golden := []struct {
		typ  string
		want map[string]string // dialect name -> SQL
	}{
		{query.TextType, map[string]string{"sqlite": "TEXT", "postgres": "TEXT", "mysql": "CHAR(65535)", "mariadb": "CHAR(65535)"}},
		{query.IntegerType, map[string]string{"sqlite": "INTEGER", "postgres": "BIGINT", "mysql": "SIGNED", "mariadb": "SIGNED"}},
		{query.FloatType, map[string]string{"sqlite": "REAL", "postgres": "DOUBLE PRECISION", "mysql": "DOUBLE", "mariadb": "DOUBLE"}},
		{query.BytesType, map[string]string{"sqlite": "BLOB", "postgres": "BYTEA", "mysql": "BINARY", "mariadb": "BINARY"}},
		{"DECIMAL(10,2)", map[string]string{"sqlite": "DECIMAL(10,2)", "postgres": "DECIMAL(10,2)", "mysql": "DECIMAL(10,2)", "mariadb": "DECIMAL(10,2)"}},
	}
	for _, g := range golden {
		for _, gd := range goldenDialects {
			sqlText, _, err := query.Select(query.C("x").Cast(g.typ)).Build(gd.d)
			require.NoError(t, err)
			q := `"`
			if gd.d.Name() == "mysql" || gd.d.Name() == "mariadb" {
				q = "`"
			}
			require.Equal(t, "SELECT CAST("+q+"x"+q+" AS "+g.want[gd.name]+")", sqlText, "%s %s", g.typ, gd.name)
		}
	}
	require.Equal(t, "TEXT", dialect.CastName(dialect.SQLite, "TEXT"))
	require.Equal(t, "VARCHAR(3)", dialect.CastName(dialect.MySQL, "VARCHAR(3)"), "other types as written")

	exSeeded(t, func(t *testing.T, db *testdb.DB) {
		U := exUsers
		// A path that grows past the anchor's width on every level.
		anc := query.Table("anc")
		cte := query.Select(U.C("id").As("id"), U.C("username").Cast(query.TextType).As("path"), query.SQL("1").As("depth")).
			From(U).Where(U.C("id").Eq(1)).
			UnionAll(query.Select(anc.C("id"), anc.C("path").Concat("/", query.V("level")).Cast(query.TextType), anc.C("depth").Add(1)).
				From(anc).Where(anc.C("depth").Lt(4))).
			CTE("anc", "id", "path", "depth")
		exCheck(t, db, query.Select(anc.C("depth"), anc.C("path")).WithRecursive(cte).From(cte).OrderBy(anc.C("depth")), xt(
			xr(1, "alice"),
			xr(2, "alice/level"),
			xr(3, "alice/level/level"),
			xr(4, "alice/level/level/level"),
		))
		exCheck(t, db, query.Select(query.V("42").Cast(query.IntegerType).Add(1), U.C("age").Cast(query.TextType),
			query.V("1.5").Cast(query.FloatType).Mul(2)).From(U).Where(U.C("id").Eq(1)), xt(xr(43, "30", 3)))
		rows := exRows(t, db, query.Select(query.V("ab").Cast(query.BytesType)))
		require.Len(t, rows, 1)
		got := rows[0][0]
		if b, ok := got.([]byte); ok {
			got = string(b)
		}
		require.Equal(t, "ab", got, "%s", db.Dialect)
	})
}
