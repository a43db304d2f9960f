package diff_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/kingletdb/kinglet/internal/testdb"
	"github.com/kingletdb/kinglet/migrate/ddl"
	"github.com/kingletdb/kinglet/migrate/diff"
)

type fkAuthor struct {
	ID   int64  `db:"id,pk"`
	Name string `db:"name,size:50"`
}

func (fkAuthor) TableName() string { return "fk_authors" }

type fkPostWith struct {
	ID       int64 `db:"id,pk"`
	AuthorID int64 `db:"author_id,fk:fk_authors.id"`
}

func (fkPostWith) TableName() string { return "fk_posts" }

type fkPostWithout struct {
	ID       int64 `db:"id,pk"`
	AuthorID int64 `db:"author_id"`
}

func (fkPostWithout) TableName() string { return "fk_posts" }

// TestDiffDropForeignKey: dropping a foreign key leaves nothing behind for
// the next diff, also on MySQL and MariaDB, where the engine made an index
// for the key by itself; and adding it back works and diffs empty too.
func TestDiffDropForeignKey(t *testing.T) {
	testdb.Each(t, func(t *testing.T, db *testdb.DB) {
		ctx := t.Context()
		db = opPool(t, db)
		apply := func(models ...any) []ddl.Op {
			t.Helper()
			ops, err := diff.Models(ctx, db.DB, db.Dialect, diff.Options{}, models...)
			require.NoError(t, err)
			require.NoError(t, ddl.Apply(ctx, db.DB, db.Dialect, ops...))
			again, err := diff.Models(ctx, db.DB, db.Dialect, diff.Options{}, models...)
			require.NoError(t, err)
			require.Empty(t, again, "a second diff after applying %v", ops)
			return ops
		}
		apply(&fkAuthor{}, &fkPostWith{})
		opExec(t, db, "INSERT INTO fk_authors (id, name) VALUES (1, 'a')")
		opExec(t, db, "INSERT INTO fk_posts (id, author_id) VALUES (1, 1)")

		ops := apply(&fkAuthor{}, &fkPostWithout{})
		require.NotEmpty(t, ops)
		require.IsType(t, ddl.DropForeignKey{}, ops[0])
		if db.Engine == testdb.MySQL {
			require.Equal(t, []ddl.Op{
				ddl.DropForeignKey{Table: "fk_posts", Name: "fk_fk_posts_author_id"},
				ddl.DropIndex{Table: "fk_posts", Name: "fk_fk_posts_author_id"},
			}, ops)
		}
		opExec(t, db, "INSERT INTO fk_posts (id, author_id) VALUES (2, 99)") // no key: accepted
		opExec(t, db, "DELETE FROM fk_posts WHERE id = 2")

		apply(&fkAuthor{}, &fkPostWith{})
		require.Error(t, opExecErr(t, db, "INSERT INTO fk_posts (id, author_id) VALUES (3, 99)"), "the key is back")
		require.Equal(t, []string{"1|1"}, opRows(t, db, "SELECT id, author_id FROM fk_posts"))
	})
}
