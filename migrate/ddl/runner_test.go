package ddl_test

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/kingletdb/kinglet/dialect"
	"github.com/kingletdb/kinglet/fields"
	"github.com/kingletdb/kinglet/internal/testdb"
	"github.com/kingletdb/kinglet/migrate"
	"github.com/kingletdb/kinglet/migrate/ddl"
	"github.com/kingletdb/kinglet/migrate/schema"
)

// applyStep is a Go migration whose steps are schema operations applied
// with the runner's dialect.
func applyStep(version int64, name string, up, down []ddl.Op) migrate.Migration {
	run := func(ops []ddl.Op) func(ctx context.Context, tx migrate.Execer) error {
		return func(ctx context.Context, tx migrate.Execer) error {
			return ddl.Apply(ctx, tx, migrate.DialectFrom(ctx), ops...)
		}
	}
	return migrate.Migration{Version: version, Name: name, Up: run(up), Down: run(down)}
}

// TestApplyInGoMigrations: Go migrations apply operations through their
// transaction with ddl.Apply(ctx, tx, migrate.DialectFrom(ctx), …), up
// and down; a failing one in the middle leaves nothing half-applied where
// DDL is transactional.
func TestApplyInGoMigrations(t *testing.T) {
	require.Nil(t, migrate.DialectFrom(t.Context()), "outside a runner")
	testdb.Each(t, func(t *testing.T, db *testdb.DB) {
		db = opPool(t, db)
		var seen dialect.Dialect
		create := applyStep(1, "create", []ddl.Op{ddl.CreateTable{Table: opUsers()}, ddl.CreateTable{Table: opTweets()}},
			[]ddl.Op{ddl.DropTable{Name: "tweets"}, ddl.DropTable{Name: "users"}})
		seed := migrate.Migration{Version: 2, Name: "seed",
			Up: func(ctx context.Context, tx migrate.Execer) error {
				seen = migrate.DialectFrom(ctx)
				for _, s := range []string{
					"INSERT INTO users (id, name, email, age) VALUES (1, 'ann', 'ann@x.org', 30), (2, 'bob', NULL, NULL), (3, 'cy', 'cy@x.org', 5)",
					"INSERT INTO tweets (id, user_id, body) VALUES (1, 1, 'hi'), (2, 1, 'yo'), (3, 2, 'hey')",
				} {
					if _, err := tx.ExecContext(ctx, s); err != nil {
						return err
					}
				}
				return nil
			},
			Down: func(ctx context.Context, tx migrate.Execer) error {
				_, err := tx.ExecContext(ctx, "DELETE FROM tweets")
				if err == nil {
					_, err = tx.ExecContext(ctx, "DELETE FROM users")
				}
				return err
			}}
		alter := applyStep(3, "alter",
			[]ddl.Op{
				ddl.AddColumn{Table: "users", Column: schema.Column{Name: "active", Of: fields.ColumnType{Kind: fields.KindBool}, Default: "TRUE", HasDefault: true}},
				ddl.AlterColumnType{Table: "users", Column: "age", Of: opKindInt64},
				ddl.DropDefault{Table: "users", Column: "age"},
				ddl.AddIndex{Table: "users", Index: schema.Index{Name: "users_active", Columns: []string{"active"}}},
			},
			[]ddl.Op{
				ddl.DropIndex{Table: "users", Name: "users_active"},
				ddl.SetDefault{Table: "users", Column: "age", Default: "0"},
				ddl.AlterColumnType{Table: "users", Column: "age", Of: opKindInt32},
				ddl.DropColumn{Table: "users", Column: "active"},
			})
		// Adds a column, then fails: bob has no email.
		failing := applyStep(4, "failing",
			[]ddl.Op{
				ddl.AddColumn{Table: "users", Column: schema.Column{Name: "half", Of: opKindInt32, Nullable: true}},
				ddl.SetNotNull{Table: "users", Column: "email"},
			}, nil)
		after := func(t *testing.T) {
			t.Helper()
			require.Equal(t, []string{"1|ann|30|1", "2|bob|NULL|1", "3|cy|5|1"}, opRows(t, db, "SELECT id, name, age, active FROM users ORDER BY id"))
			require.Equal(t, opTweetRows, opRows(t, db, "SELECT id, user_id, body FROM tweets ORDER BY id"))
			u := opTable(t, db, "users")
			require.False(t, u.Column("age").HasDefault)
			require.NotNil(t, u.Index("users_active"))
		}

		r := newRunner(t, db, nil, migrate.WithGo(create, seed, alter))
		_, err := r.Up(t.Context())
		require.NoError(t, err)
		require.Equal(t, db.Dialect, seen, "DialectFrom in a Go migration")
		after(t)

		_, err = r.DownTo(t.Context(), 2)
		require.NoError(t, err)
		require.Equal(t, opUserRows, opRows(t, db, "SELECT id, name, email, age FROM users ORDER BY id"))
		require.Equal(t, opTweetRows, opRows(t, db, "SELECT id, user_id, body FROM tweets ORDER BY id"))
		require.Nil(t, opTable(t, db, "users").Column("active"))

		_, err = r.Up(t.Context())
		require.NoError(t, err)
		after(t)

		r = newRunner(t, db, nil, migrate.WithGo(create, seed, alter, failing))
		_, err = r.Up(t.Context())
		var pe *migrate.PartialError
		require.ErrorAs(t, err, &pe)
		var oe *ddl.OpError
		require.ErrorAs(t, err, &oe)
		require.Equal(t, "set not null on users.email", oe.Op.String())
		require.Equal(t, []int64{1, 2, 3}, historyVersions(t, db.DB))
		after(t)
		half := opTable(t, db, "users").Column("half")
		if db.Dialect.Has(dialect.TransactionalDDL) {
			require.Nil(t, half, "rolled back with the failed migration")
		} else {
			require.NotNil(t, half, fmt.Sprintf("%s commits DDL implicitly", db.Dialect))
		}
		require.False(t, errors.Is(err, migrate.ErrForeignKeyViolation))
	})
}
