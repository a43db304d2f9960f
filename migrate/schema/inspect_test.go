package schema_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/kingletdb/kinglet/dialect"
	"github.com/kingletdb/kinglet/internal/testdb"
	"github.com/kingletdb/kinglet/migrate/internal/migratetest"
	"github.com/kingletdb/kinglet/migrate/schema"
)

// inspectDDL is a hand-written schema per engine: two tables with every
// kind of thing Inspect reports, the second with a composite primary key
// and foreign keys to the first.
var inspectDDL = map[string][]string{
	testdb.SQLite: {
		`CREATE TABLE authors (
			id INTEGER PRIMARY KEY AUTOINCREMENT,
			name VARCHAR(100) NOT NULL DEFAULT 'it''s', -- a comment, (with a parenthesis
			email TEXT UNIQUE,
			score REAL DEFAULT -1.5,
			active BOOLEAN NOT NULL DEFAULT 1,
			created DATETIME DEFAULT CURRENT_TIMESTAMP,
			doc JSON,
			CONSTRAINT uq_authors_name_email UNIQUE (name, email),
			CONSTRAINT "ck_authors_score" CHECK (score >= 0 OR name = 'x,)'),
			CHECK (length(name) > 0))`,
		`CREATE TABLE books (
			author_id INTEGER NOT NULL REFERENCES authors (id) ON DELETE CASCADE,
			isbn VARCHAR(20) NOT NULL,
			title TEXT NOT NULL,
			price NUMERIC(10, 2),
			editor_id INTEGER,
			deleted_at DATETIME,
			PRIMARY KEY (isbn, author_id),
			CONSTRAINT fk_books_editor FOREIGN KEY (editor_id) REFERENCES authors ON DELETE SET NULL ON UPDATE CASCADE)`,
		`CREATE INDEX idx_books_title ON books (title, price)`,
		`CREATE UNIQUE INDEX uq_books_live ON books (title) WHERE deleted_at IS NULL`,
		`CREATE INDEX idx_books_lower ON books (lower(title))`,
	},
	testdb.Postgres: {
		`CREATE TABLE authors (
			id BIGSERIAL PRIMARY KEY,
			name VARCHAR(100) NOT NULL DEFAULT 'it''s',
			email TEXT,
			score DOUBLE PRECISION DEFAULT -1.5,
			active BOOLEAN NOT NULL DEFAULT TRUE,
			created TIMESTAMPTZ DEFAULT CURRENT_TIMESTAMP,
			doc JSONB,
			CONSTRAINT uq_authors_email UNIQUE (email),
			CONSTRAINT uq_authors_name_email UNIQUE (name, email),
			CONSTRAINT ck_authors_score CHECK (score >= 0 OR name = 'x,)'),
			CONSTRAINT ck_authors_2 CHECK (length(name) > 0))`,
		`CREATE TABLE books (
			author_id BIGINT NOT NULL,
			isbn VARCHAR(20) NOT NULL,
			title TEXT NOT NULL,
			price NUMERIC(10, 2),
			editor_id BIGINT,
			deleted_at TIMESTAMPTZ,
			PRIMARY KEY (isbn, author_id),
			CONSTRAINT fk_books_author_id FOREIGN KEY (author_id) REFERENCES authors (id) ON DELETE CASCADE,
			CONSTRAINT fk_books_editor FOREIGN KEY (editor_id) REFERENCES authors (id) ON DELETE SET NULL ON UPDATE CASCADE)`,
		`CREATE INDEX idx_books_title ON books (title, price) INCLUDE (isbn)`,
		`CREATE UNIQUE INDEX uq_books_live ON books (title) WHERE deleted_at IS NULL`,
		`CREATE INDEX idx_books_lower ON books (lower(title))`,
	},
	testdb.MySQL: {
		`CREATE TABLE authors (
			id BIGINT AUTO_INCREMENT PRIMARY KEY,
			name VARCHAR(100) NOT NULL DEFAULT 'it''s',
			email VARCHAR(255),
			score DOUBLE DEFAULT -1.5,
			active BOOLEAN NOT NULL DEFAULT TRUE,
			created DATETIME(6) DEFAULT CURRENT_TIMESTAMP(6),
			doc JSON,
			CONSTRAINT uq_authors_email UNIQUE (email),
			CONSTRAINT uq_authors_name_email UNIQUE (name, email),
			CONSTRAINT ck_authors_score CHECK (score >= 0 OR name = 'x,)'),
			CONSTRAINT ck_authors_2 CHECK (length(name) > 0)) ENGINE=InnoDB`,
		`CREATE TABLE books (
			author_id BIGINT NOT NULL,
			isbn VARCHAR(20) NOT NULL,
			title VARCHAR(200) NOT NULL,
			price DECIMAL(10, 2),
			editor_id BIGINT,
			deleted_at DATETIME(6),
			PRIMARY KEY (isbn, author_id),
			CONSTRAINT fk_books_author_id FOREIGN KEY (author_id) REFERENCES authors (id) ON DELETE CASCADE,
			CONSTRAINT fk_books_editor FOREIGN KEY (editor_id) REFERENCES authors (id) ON DELETE SET NULL ON UPDATE CASCADE) ENGINE=InnoDB`,
		`CREATE INDEX idx_books_title ON books (title, price)`,
	},
}

// inspectWant is what Inspect must report for inspectDDL on engine.
func inspectWant(engine string) *schema.Schema {
	ty := func(sqlite, pg, mysql string) string {
		switch engine {
		case testdb.SQLite:
			return sqlite
		case testdb.Postgres:
			return pg
		}
		return mysql
	}
	col := func(name, typ string, nullable bool, def string) schema.Column {
		return schema.Column{Name: name, Type: typ, Nullable: nullable, Default: def, HasDefault: def != ""}
	}
	authors := &schema.Table{
		Name: "authors",
		Columns: []schema.Column{
			{Name: "id", Type: ty("integer", "bigint", "bigint"), AutoIncrement: true},
			col("name", "varchar(100)", false, "'it''s'"),
			col("email", ty("text", "text", "varchar(255)"), true, ""),
			col("score", ty("real", "double precision", "double"), true, "-1.5"),
			col("active", ty("boolean", "boolean", "tinyint(1)"), false, ty("1", "TRUE", "1")),
			col("created", ty("datetime", "timestamptz", "datetime(6)"), true, ty("CURRENT_TIMESTAMP", "CURRENT_TIMESTAMP", "CURRENT_TIMESTAMP(6)")),
			col("doc", ty("json", "jsonb", "json"), true, ""),
		},
		PrimaryKey: []string{"id"},
		Indexes: []schema.Index{
			{Name: "uq_authors_email", Columns: []string{"email"}, Unique: true, Constraint: engine != testdb.MySQL},
			{Name: "uq_authors_name_email", Columns: []string{"name", "email"}, Unique: true, Constraint: engine != testdb.MySQL},
		},
		Checks: []schema.Check{
			{Name: "ck_authors_2", Expr: ty("length(name) > 0", "length(name::text) > 0", "")},
			{Name: "ck_authors_score", Expr: ty("score >= 0 OR name = 'x,)'", "score >= 0::double precision OR name::text = 'x,)'::text", "")},
		},
	}
	books := &schema.Table{
		Name: "books",
		Columns: []schema.Column{
			col("author_id", ty("integer", "bigint", "bigint"), false, ""),
			col("isbn", "varchar(20)", false, ""),
			col("title", ty("text", "text", "varchar(200)"), false, ""),
			col("price", ty("numeric(10,2)", "numeric(10,2)", "decimal(10,2)"), true, ""),
			col("editor_id", ty("integer", "bigint", "bigint"), true, ""),
			col("deleted_at", ty("datetime", "timestamptz", "datetime(6)"), true, ""),
		},
		PrimaryKey: []string{"isbn", "author_id"},
		Indexes: []schema.Index{
			{Name: "idx_books_lower", Columns: []string{"(lower(title))"}},
			{Name: "idx_books_title", Columns: []string{"title", "price"}},
			{Name: "uq_books_live", Columns: []string{"title"}, Unique: true, Where: "deleted_at IS NULL"},
		},
		ForeignKeys: []schema.ForeignKey{
			{Name: "fk_books_author_id", Columns: []string{"author_id"}, RefTable: "authors", RefColumns: []string{"id"}, OnDelete: "CASCADE"},
			{Name: "fk_books_editor", Columns: []string{"editor_id"}, RefTable: "authors", RefColumns: []string{"id"}, OnDelete: "SET NULL", OnUpdate: "CASCADE"},
		},
	}
	if engine == testdb.MySQL {
		books.Indexes = books.Indexes[1:2] // no expression or partial indexes on MariaDB
		// MariaDB keeps the check as parsed: identifiers quoted, length()
		// as octet_length().
		authors.Checks[0].Expr = "octet_length(`name`) > 0"
		authors.Checks[1].Expr = "`score` >= 0 or `name` = 'x,)'"
		// No index starts with either key's columns, so InnoDB made one
		// for each, named after the key.
		books.ForeignKeys[0].Index = "fk_books_author_id"
		books.ForeignKeys[1].Index = "fk_books_editor"
	}
	return &schema.Schema{Tables: []*schema.Table{authors, books}}
}

func TestInspect(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *testdb.DB) {
		ctx := t.Context()
		for _, stmt := range inspectDDL[db.Engine] {
			_, err := db.DB.ExecContext(ctx, stmt)
			require.NoError(t, err, stmt)
		}
		got, err := schema.Inspect(ctx, db.DB, db.Dialect)
		require.NoError(t, err)
		want := inspectWant(db.Engine)
		require.Len(t, got.Tables, len(want.Tables))
		for i, w := range want.Tables {
			require.Equal(t, w, got.Tables[i], "table %s", w.Name)
		}

		one, err := schema.InspectTable(ctx, db.DB, db.Dialect, "books")
		require.NoError(t, err)
		require.Equal(t, want.Tables[1], one)

		_, err = schema.InspectTable(ctx, db.DB, db.Dialect, "no_such_table")
		require.ErrorIs(t, err, schema.ErrNoTable)
		require.ErrorContains(t, err, "no_such_table")
	})
}

// TestInspectEmpty: a database without tables is an empty schema.
func TestInspectEmpty(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *testdb.DB) {
		s, err := schema.Inspect(t.Context(), db.DB, db.Dialect)
		require.NoError(t, err)
		require.Empty(t, s.Tables)
	})
}

func TestInspectBadInput(t *testing.T) {
	db := testdb.Open(t, testdb.SQLite)
	_, err := schema.Inspect(t.Context(), nil, db.Dialect)
	require.ErrorIs(t, err, schema.ErrInvalid)
	_, err = schema.Inspect(t.Context(), db.DB, nil)
	require.ErrorIs(t, err, schema.ErrInvalid)
	_, err = schema.InspectTable(t.Context(), db.DB, db.Dialect, "")
	require.ErrorIs(t, err, schema.ErrInvalid)
	_, err = schema.Inspect(t.Context(), db.DB, migratetest.OtherDialect{Dialect: dialect.SQLite})
	require.ErrorIs(t, err, dialect.ErrUnsupported)
	require.ErrorContains(t, err, "schema introspection on oracle 23")
}
