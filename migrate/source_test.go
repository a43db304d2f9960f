package migrate_test

import (
	"database/sql"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kingletdb/kinglet/dialect"
	"github.com/kingletdb/kinglet/migrate"
	"github.com/kingletdb/kinglet/migrate/internal/migratetest"
)

var noop = migratetest.Noop

// otherDialect is a dialect the runner has no lock for.
type otherDialect = migratetest.OtherDialect

// TestNewRefuses: every problem with the sources or options is found by New,
// before the database is touched (the *sql.DB here is never connected).
func TestNewRefuses(t *testing.T) {
	db, err := sql.Open("sqlite", "file:never-opened?mode=memory")
	require.NoError(t, err)
	defer db.Close()
	ok := func(kv ...string) migrate.Option { return migrate.WithFS(files(kv...), "migrations") }
	cases := []struct {
		name string
		d    dialect.Dialect
		opts []migrate.Option
		want string
	}{
		{"no sources", dialect.SQLite, nil, "no migrations: give WithFS or WithGo"},
		{"empty directory", dialect.SQLite, []migrate.Option{migrate.WithFS(fstest.MapFS{"migrations/README.md": {}}, "migrations")},
			`no migrations in "migrations"`},
		{"missing directory", dialect.SQLite, []migrate.Option{migrate.WithFS(fstest.MapFS{}, "nope")}, `read migrations directory "nope"`},
		{"nil fs", dialect.SQLite, []migrate.Option{migrate.WithFS(nil, ".")}, "WithFS: nil fs.FS"},
		{"bad dir", dialect.SQLite, []migrate.Option{migrate.WithFS(fstest.MapFS{}, "../up")}, `"../up" is not a valid fs.FS path`},
		{"unparsable name", dialect.SQLite, []migrate.Option{ok("1-create.up.sql", "")},
			"migrations/1-create.up.sql: want a name like 0001_create_users.up.sql"},
		{"no direction", dialect.SQLite, []migrate.Option{ok("0001_create.sql", "")}, "migrations/0001_create.sql: want a name like"},
		{"upper-case extension", dialect.SQLite, []migrate.Option{ok("0001_create.UP.SQL", "")}, "migrations/0001_create.UP.SQL: want a name like"},
		{"no name", dialect.SQLite, []migrate.Option{ok("0001_.up.sql", "")}, "want a name like"},
		{"version zero", dialect.SQLite, []migrate.Option{ok("0000_zero.up.sql", "")}, "version 0000 must be a positive 64-bit number"},
		{"version overflow", dialect.SQLite, []migrate.Option{ok("99999999999999999999_big.up.sql", "")}, "must be a positive 64-bit number"},
		{"duplicate version", dialect.SQLite, []migrate.Option{ok("0001_a.up.sql", "", "001_b.up.sql", "")},
			"version 1 is both migrations/0001_a.up.sql and migrations/001_b.up.sql"},
		{"down without up", dialect.SQLite, []migrate.Option{ok("0001_a.up.sql", "", "0002_b.down.sql", "")},
			"migrations/0002_b.down.sql has no matching .up.sql file"},
		{"names disagree", dialect.SQLite, []migrate.Option{ok("0001_a.up.sql", "", "0001_b.down.sql", "")}, "disagree on the name of version 1"},
		{"go and file", dialect.SQLite, []migrate.Option{ok("0001_a.up.sql", ""),
			migrate.WithGo(migrate.Migration{Version: 1, Name: "b", Up: noop})},
			"version 1 is both migrations/0001_a.up.sql and Go migration 1_b"},
		{"go twice", dialect.SQLite, []migrate.Option{migrate.WithGo(migrate.Migration{Version: 2, Name: "a", Up: noop}),
			migrate.WithGo(migrate.Migration{Version: 2, Name: "b", Up: noop})}, "version 2 is both Go migration 2_a and Go migration 2_b"},
		{"two directories", dialect.SQLite, []migrate.Option{ok("0001_a.up.sql", ""),
			migrate.WithFS(fstest.MapFS{"more/0001_b.up.sql": {}}, "more")}, "version 1 is both migrations/0001_a.up.sql and more/0001_b.up.sql"},
		{"go version", dialect.SQLite, []migrate.Option{migrate.WithGo(migrate.Migration{Version: 0, Name: "a", Up: noop})}, "version must be positive"},
		{"go name", dialect.SQLite, []migrate.Option{migrate.WithGo(migrate.Migration{Version: 1, Name: "a b", Up: noop})}, "name must be 1 to 200 letters, digits, _ and -"},
		{"go without up", dialect.SQLite, []migrate.Option{migrate.WithGo(migrate.Migration{Version: 1, Name: "a"})}, "Up is nil"},
		{"unsplittable", dialect.Postgres, []migrate.Option{ok("0001_a.up.sql", "SELECT 1;\nSELECT $x$ never closed;")},
			"migrations/0001_a.up.sql:2: dollar-quoted body $x$ not closed"},
		{"delimiter", dialect.MySQL, []migrate.Option{ok("0001_a.up.sql", "DELIMITER //\nCREATE TRIGGER t BEGIN END//")},
			"migrations/0001_a.up.sql:1: DELIMITER is a command of the mysql client"},
		{"unknown directive", dialect.SQLite, []migrate.Option{ok("0001_a.up.sql", "-- kinglet:no-tx\nSELECT 1;")},
			`migrations/0001_a.up.sql:1: unknown directive "-- kinglet:no-tx"`},
		{"late directive", dialect.SQLite, []migrate.Option{ok("0001_a.up.sql", "SELECT 1;\n-- kinglet:no-transaction")},
			"migrations/0001_a.up.sql:2: \"-- kinglet:no-transaction\" must come before the first statement"},
		{"empty table name", dialect.SQLite, []migrate.Option{migrate.WithTable("")}, "WithTable(\"\")"},
		{"nil logger", dialect.SQLite, []migrate.Option{migrate.WithLogger(nil)}, "WithLogger: nil logger"},
		{"nil option", dialect.SQLite, []migrate.Option{nil}, "nil option"},
		{"nil dialect", nil, []migrate.Option{ok("0001_a.up.sql", "")}, "nil dialect"},
		{"unknown dialect", otherDialect{Dialect: dialect.SQLite}, []migrate.Option{ok("0001_a.up.sql", "")}, "no migration lock for dialect oracle 23"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := migrate.New(db, c.d, c.opts...)
			require.Error(t, err)
			assert.Nil(t, r)
			assert.ErrorIs(t, err, migrate.ErrInvalid)
			assert.Contains(t, err.Error(), c.want)
		})
	}
	_, err = migrate.New(nil, dialect.SQLite, ok("0001_a.up.sql", ""))
	assert.ErrorIs(t, err, migrate.ErrInvalid)

	// What is fine: other files, subdirectories, gaps, wide numbers, Go
	// migrations between files.
	r, err := migrate.New(db, dialect.SQLite, migrate.WithFS(fstest.MapFS{
		"m/0001_a.up.sql":           {Data: []byte("SELECT 1;")},
		"m/0001_a.down.sql":         {Data: []byte("-- nothing to undo")},
		"m/README.md":               {Data: []byte("notes")},
		"m/0002_helper.go":          {Data: []byte("package m")},
		"m/sub/0009_x.up.sql":       {Data: []byte("not read")},
		"m/20240101120000_b.up.sql": {Data: []byte("SELECT 2;")},
	}, "m"), migrate.WithGo(migrate.Migration{Version: 5, Name: "go-step", Up: noop}))
	require.NoError(t, err)
	assert.NotNil(t, r)
}
