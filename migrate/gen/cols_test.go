package gen_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kingletdb/kinglet/migrate/gen"
)

// TestColsGolden writes the handles of testdata/cols/models and compares
// them with testdata/cols/cols.golden (-update-gen rewrites it).
func TestColsGolden(t *testing.T) {
	src, err := gen.Cols(filepath.Join("testdata", "cols", "models"))
	require.NoError(t, err)
	path := filepath.Join("testdata", "cols", "cols.golden")
	if *updateGen {
		require.NoError(t, os.WriteFile(path, src, 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, string(want), string(src))

	// Named types only, and nothing else.
	src, err = gen.Cols(filepath.Join("testdata", "cols", "models"), "News")
	require.NoError(t, err)
	assert.Contains(t, string(src), "var NewsCols = struct {")
	assert.NotContains(t, string(src), "UserCols")
}

func TestColsErrors(t *testing.T) {
	empty := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(empty, "a.go"), []byte("package a\n\ntype T struct{ X int }\n"), 0o644))
	bad := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(bad, "a.go"), []byte("package a\n\ntype T struct{"), 0o644))
	for _, c := range []struct {
		dir   string
		types []string
		want  string
	}{
		{filepath.Join(t.TempDir(), "none"), nil, "no such file or directory"},
		{t.TempDir(), nil, "no Go files"},
		{empty, nil, "package a (" + empty + ") has no struct with db or rel tags"},
		{filepath.Join("testdata", "cols", "models"), []string{"Missing"}, "no struct type Missing in package models"},
		{bad, nil, "expected"},
	} {
		_, err := gen.Cols(c.dir, c.types...)
		require.ErrorIs(t, err, gen.ErrInvalid)
		require.ErrorContains(t, err, c.want)
	}
}

// colsMain queries SQLite through the generated handles; every handle
// must be valid (a bad one has no name).
const colsMain = `package main

import (
	"context"
	"fmt"
	"os"
	"reflect"

	"github.com/kingletdb/kinglet/migrate/gen/testdata/cols_tmp/models"
	"github.com/kingletdb/kinglet/orm"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func run() error {
	for _, handles := range []any{models.UserCols, models.Tweets, models.NewsCols} {
		v := reflect.ValueOf(handles)
		for i := 0; i < v.NumField(); i++ {
			if v.Field(i).Interface().(interface{ Name() string }).Name() == "" {
				return fmt.Errorf("%s.%s is a bad handle", v.Type(), v.Type().Field(i).Name)
			}
		}
	}
	ctx := context.Background()
	db, err := orm.Open(ctx, "sqlite::memory:")
	if err != nil {
		return err
	}
	defer db.Close()
	if err := db.CreateTables(ctx, &models.User{}, &models.Tweet{}, &models.News{}); err != nil {
		return err
	}
	email := "ann@example.com"
	ann := &models.User{Username: "ann", Email: &email}
	ann.Karma.V, ann.Karma.Valid = 5, true
	if err := db.Insert(ctx, ann); err != nil {
		return err
	}
	if err := db.Insert(ctx, &models.User{Username: "bob"}); err != nil {
		return err
	}
	for _, c := range []string{"hi", "again"} {
		if err := db.Insert(ctx, &models.Tweet{UserID: ann.ID, Content: c}); err != nil {
			return err
		}
	}
	users, err := orm.Select[models.User](db).
		Where(models.UserCols.Email.Eq("ann@example.com"), models.UserCols.Karma.Gt(3), models.UserCols.Nick.IsNull()).
		Load(models.UserRel.Tweets).All(ctx)
	if err != nil {
		return err
	}
	n, err := orm.Select[models.User](db).Where(models.UserCols.Email.IsNull()).Count(ctx)
	if err != nil {
		return err
	}
	tweets, err := orm.Select[models.Tweet](db).Where(models.Tweets.UserID.Eq(ann.ID)).
		OrderBy(models.Tweets.ID.Desc()).Load(models.TweetRel.User).All(ctx)
	if err != nil {
		return err
	}
	fmt.Println(len(users), users[0].Username, len(users[0].Tweets), n, tweets[0].Content, tweets[0].User.Username)
	return nil
}
`

// TestColsCompileAndQuery builds the models with their generated handles
// into a program (in testdata/cols_tmp, inside the module) whose queries
// go through them.
func TestColsCompileAndQuery(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a program")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command in PATH")
	}
	src, err := gen.ColsWith(filepath.Join("testdata", "cols", "models"), gen.ColsOptions{NullCols: true})
	require.NoError(t, err)
	dir := filepath.Join("testdata", "cols_tmp")
	require.NoError(t, os.RemoveAll(dir))
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "models"), 0o755))
	t.Cleanup(func() { os.RemoveAll(dir) })
	models, err := os.ReadFile(filepath.Join("testdata", "cols", "models", "models.go"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "models", "models.go"), models, 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "models", "cols_gen.go"), src, 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "main.go"), []byte(colsMain), 0o644))

	// Generating again beside the generated file reads the models only.
	again, err := gen.ColsWith(filepath.Join(dir, "models"), gen.ColsOptions{NullCols: true})
	require.NoError(t, err)
	require.Equal(t, string(src), string(again))

	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Minute)
	defer cancel()
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, goTool, "run", "./"+filepath.ToSlash(dir))
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	require.NoError(t, cmd.Run(), "go run: %s\ncols_gen.go:\n%s", stderr.String(), src)
	assert.Equal(t, "1 ann 2 1 again ann\n", stdout.String())

	// The default handles (a nullable column's a Col of its field's type)
	// compile beside the models too.
	plain, err := gen.Cols(filepath.Join("testdata", "cols", "models"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "models", "cols_gen.go"), plain, 0o644))
	cmd = exec.CommandContext(ctx, goTool, "vet", "./"+filepath.ToSlash(filepath.Join(dir, "models")))
	stderr.Reset()
	cmd.Stderr = &stderr
	require.NoError(t, cmd.Run(), "go vet: %s\ncols_gen.go:\n%s", stderr.String(), plain)
}
