package gen_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kingletdb/kinglet/internal/testdb"
	"github.com/kingletdb/kinglet/migrate/diff"
	"github.com/kingletdb/kinglet/migrate/gen"
	"github.com/kingletdb/kinglet/migrate/schema"
	"github.com/kingletdb/kinglet/orm"
	"github.com/kingletdb/kinglet/query"
)

// genUser and genPost are the models the end-to-end test creates tables
// for; GoModels must give back structs with the same field names, that
// scan the same rows and describe the same schema.
type genUser struct {
	ID        int64      `db:"id,pk"`
	Username  string     `db:"username,unique,size:64"`
	Email     *string    `db:"email,size:128"`
	Active    bool       `db:"active,default:true"`
	Level     int16      `db:"level,default:1"`
	Score     float64    `db:"score"`
	Balance   string     `db:"balance,decimal:10:2"`
	Avatar    []byte     `db:"avatar,null"`
	Birthday  *time.Time `db:"birthday,kind:date"`
	Bio       string     `db:"bio"`
	CreatedAt time.Time  `db:"created_at,default:now"`
}

func (genUser) TableName() string { return "gen_users" }

type genPost struct {
	ID     int64  `db:"id,pk"`
	UserID int64  `db:"user_id,fk:gen_users.id,on_delete:cascade,index"`
	Title  string `db:"title,size:200"`
	Likes  int32  `db:"likes,default:0,check:likes >= 0"`
}

func (genPost) TableName() string { return "gen_posts" }

// genMain reads the rows with the generated models and prints them, with
// the schema the models describe, as JSON.
const genMain = `package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"

	"github.com/kingletdb/kinglet/migrate/schema"
	"github.com/kingletdb/kinglet/orm"
	"github.com/kingletdb/kinglet/query"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run() error {
	ctx := context.Background()
	db, err := orm.Open(ctx, os.Args[1])
	if err != nil {
		return err
	}
	defer db.Close()
	users, err := orm.Select[GenUser](db).OrderBy(query.Table("gen_users").C("id")).All(ctx)
	if err != nil {
		return err
	}
	posts, err := orm.Select[GenPost](db).OrderBy(query.Table("gen_posts").C("id")).All(ctx)
	if err != nil {
		return err
	}
	s, err := schema.FromModels(db.Dialect(), &GenUser{}, &GenPost{})
	if err != nil {
		return err
	}
	return json.NewEncoder(os.Stdout).Encode(map[string]any{"users": users, "posts": posts, "schema": s})
}
`

// TestGoModelsCompileAndScan creates tables with rows on every engine,
// inspects them, generates models, and runs a program built from them
// (in testdata/genmodels_<engine>_tmp, inside the module) that reads the
// rows back: they must be the rows the original models read, and the
// generated models must describe the same schema.
func TestGoModelsCompileAndScan(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a program")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command in PATH")
	}
	testdb.Each(t, func(t *testing.T, tdb *testdb.DB) {
		ctx := t.Context()
		db := orm.New(tdb.DB, tdb.Dialect)
		require.NoError(t, db.CreateTables(ctx, &genUser{}, &genPost{}))
		email := "ann@example.com"
		birthday := time.Date(1990, 4, 5, 0, 0, 0, 0, time.UTC)
		users := []*genUser{
			{Username: "ann", Email: &email, Active: true, Level: 3, Score: 2.5, Balance: "12.50",
				Avatar: []byte{0, 1, 255}, Birthday: &birthday, Bio: "it's\nme", CreatedAt: time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)},
			{Username: "bob", Balance: "0", Bio: "", CreatedAt: time.Date(2023, 1, 2, 3, 4, 5, 0, time.UTC)},
		}
		for _, u := range users {
			require.NoError(t, db.Insert(ctx, u))
		}
		for i, title := range []string{"first", "second", "third"} {
			require.NoError(t, db.Insert(ctx, &genPost{UserID: users[i%2].ID, Title: title, Likes: int32(i)}))
		}

		s, err := schema.Inspect(ctx, tdb.DB, tdb.Dialect)
		require.NoError(t, err)
		src, err := gen.Models(s, tdb.Dialect, "main")
		require.NoError(t, err)

		dir := filepath.Join("testdata", "genmodels_"+tdb.Engine+"_tmp")
		require.NoError(t, os.RemoveAll(dir))
		require.NoError(t, os.MkdirAll(dir, 0o755))
		t.Cleanup(func() { os.RemoveAll(dir) })
		require.NoError(t, os.WriteFile(filepath.Join(dir, "models.go"), src, 0o644))
		require.NoError(t, os.WriteFile(filepath.Join(dir, "main.go"), []byte(genMain), 0o644))

		runCtx, cancel := context.WithTimeout(ctx, 10*time.Minute)
		defer cancel()
		cmd := exec.CommandContext(runCtx, goTool, "run", "./"+filepath.ToSlash(dir), tdb.URL())
		cmd.Env = append(os.Environ(), "TZ=UTC")
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		require.NoError(t, cmd.Run(), "go run: %s\nmodels.go:\n%s", stderr.String(), src)

		var got struct {
			Users, Posts json.RawMessage
			Schema       *schema.Schema
		}
		require.NoError(t, json.Unmarshal(stdout.Bytes(), &got), stdout.String())

		// The rows, as the original models read them.
		wantUsers, err := orm.Select[genUser](db).OrderBy(query.Table("gen_users").C("id")).All(ctx)
		require.NoError(t, err)
		for i := range wantUsers {
			wantUsers[i].CreatedAt = wantUsers[i].CreatedAt.UTC()
			if b := wantUsers[i].Birthday; b != nil {
				utc := b.UTC()
				wantUsers[i].Birthday = &utc
			}
		}
		wantPosts, err := orm.Select[genPost](db).OrderBy(query.Table("gen_posts").C("id")).All(ctx)
		require.NoError(t, err)
		assert.JSONEq(t, mustJSON(t, wantUsers), string(got.Users), "models.go:\n%s", src)
		assert.JSONEq(t, mustJSON(t, wantPosts), string(got.Posts))
		require.Len(t, wantUsers, 2)
		require.Len(t, wantPosts, 3)

		// The generated models describe the database they were read from,
		// and so the schema of the original models.
		ops, err := diff.Schemas(tdb.Dialect, s, got.Schema, diff.Options{Destructive: true})
		require.NoError(t, err)
		assert.Empty(t, ops, "models.go:\n%s", src)
		want, err := schema.FromModels(tdb.Dialect, &genUser{}, &genPost{})
		require.NoError(t, err)
		ops, err = diff.Schemas(tdb.Dialect, want, got.Schema, diff.Options{Destructive: true})
		require.NoError(t, err)
		assert.Empty(t, ops, "models.go:\n%s", src)
	})
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}
