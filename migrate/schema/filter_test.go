package schema_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kingletdb/kinglet/dialect"
	"github.com/kingletdb/kinglet/internal/testdb"
	"github.com/kingletdb/kinglet/migrate/internal/migratetest"
	"github.com/kingletdb/kinglet/migrate/schema"
)

// TestInspectWithFilter: table patterns, exclusions and views.
func TestInspectWithFilter(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *testdb.DB) {
		ctx := t.Context()
		migratetest.CreateShop(t, db)
		for _, c := range []struct {
			name string
			f    schema.Filter
			want []string
		}{
			{"all", schema.Filter{}, migratetest.ShopTables},
			{"tables", schema.Filter{Tables: []string{"order*", "tags"}}, []string{"order_lines", "orders", "tags"}},
			{"exclude", schema.Filter{Tables: []string{"order*"}, Exclude: []string{"*_lines"}}, []string{"orders"}},
			{"views", schema.Filter{Tables: []string{"order*"}, Views: true}, []string{"order_lines", "order_totals", "orders"}},
			{"none", schema.Filter{Tables: []string{"nothing"}}, nil},
		} {
			t.Run(c.name, func(t *testing.T) {
				s, err := schema.InspectWith(ctx, db.DB, db.Dialect, c.f)
				require.NoError(t, err)
				assert.Equal(t, c.want, tableNames(s))
			})
		}
		s, err := schema.InspectWith(ctx, db.DB, db.Dialect, schema.Filter{Tables: []string{"order_totals"}, Views: true})
		require.NoError(t, err)
		require.Len(t, s.Tables, 1)
		v := s.Tables[0]
		assert.True(t, v.View)
		assert.Equal(t, []string{"order_id", "line_count"}, []string{v.Columns[0].Name, v.Columns[1].Name})
		assert.Empty(t, v.PrimaryKey)
		assert.Empty(t, v.ForeignKeys)

		_, err = schema.InspectWith(ctx, db.DB, db.Dialect, schema.Filter{Exclude: []string{"[a"}})
		require.ErrorIs(t, err, schema.ErrInvalid)
		require.ErrorContains(t, err, `table pattern "[a"`)
	})
}

// TestInspectWithSchema reads a schema (a database on MySQL) other than
// the connection's, whose foreign key to the connection's own schema names
// it.
func TestInspectWithSchema(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *testdb.DB) {
		ctx := t.Context()
		migratetest.CreateShop(t, db)
		if db.Engine == testdb.SQLite {
			s, err := schema.InspectWith(ctx, db.DB, db.Dialect, schema.Filter{Schema: "main"})
			require.NoError(t, err)
			assert.Equal(t, migratetest.ShopTables, tableNames(s))
			_, err = schema.InspectWith(ctx, db.DB, db.Dialect, schema.Filter{Schema: "aux"})
			require.ErrorIs(t, err, dialect.ErrUnsupported)
			require.ErrorContains(t, err, `schema "aux"`)
			return
		}
		other := db.Schema + "_b"
		q := func(s string) string { return string(db.Dialect.AppendIdent(nil, s)) }
		create, drop := "CREATE SCHEMA "+q(other), "DROP SCHEMA "+q(other)+" CASCADE"
		if db.Engine == testdb.MySQL {
			create, drop = "CREATE DATABASE "+q(other), "DROP DATABASE "+q(other)
		}
		_, err := db.DB.ExecContext(ctx, create)
		require.NoError(t, err)
		t.Cleanup(func() { _, _ = db.DB.ExecContext(context.Background(), drop) })
		for _, stmt := range []string{
			"CREATE TABLE " + q(other) + ".notes (id BIGINT NOT NULL PRIMARY KEY, customer_id BIGINT NOT NULL, " +
				"CONSTRAINT notes_customer_fkey FOREIGN KEY (customer_id) REFERENCES " + q(db.Schema) + ".customers (id))",
			"CREATE TABLE " + q(other) + ".pins (id BIGINT NOT NULL PRIMARY KEY, note_id BIGINT NOT NULL, " +
				"CONSTRAINT pins_note_fkey FOREIGN KEY (note_id) REFERENCES " + q(other) + ".notes (id))",
		} {
			_, err := db.DB.ExecContext(ctx, stmt)
			require.NoError(t, err, stmt)
		}
		s, err := schema.InspectWith(ctx, db.DB, db.Dialect, schema.Filter{Schema: other})
		require.NoError(t, err)
		require.Equal(t, []string{"notes", "pins"}, tableNames(s))
		assert.Equal(t, db.Schema+".customers", s.Tables[0].ForeignKeys[0].RefTable)
		assert.Equal(t, "notes", s.Tables[1].ForeignKeys[0].RefTable)
		// The connection's own schema is unchanged.
		s, err = schema.Inspect(ctx, db.DB, db.Dialect)
		require.NoError(t, err)
		assert.Equal(t, migratetest.ShopTables, tableNames(s))
	})
}
