package gen_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kingletdb/kinglet/internal/testdb"
	"github.com/kingletdb/kinglet/migrate/ddl"
	"github.com/kingletdb/kinglet/migrate/diff"
	"github.com/kingletdb/kinglet/migrate/gen"
	"github.com/kingletdb/kinglet/migrate/internal/migratetest"
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
// the schema the models describe, as JSON; and loads the shop's relations
// through the relation fields gen wrote, printing what it found.
const genMain = `package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"

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
	s, err := schema.FromModels(db.Dialect(), Models...)
	if err != nil {
		return err
	}
	shop, err := loadShop(ctx, db)
	if err != nil {
		return err
	}
	return json.NewEncoder(os.Stdout).Encode(map[string]any{"users": users, "posts": posts, "schema": s, "shop": shop})
}

// loadShop walks every kind of relation gen writes.
func loadShop(ctx context.Context, db *orm.DB) ([]string, error) {
	var out []string
	customers, err := orm.Select[Customer](db).Load("Orders.OrderLines.Product").
		OrderBy(query.Table("customers").C("id")).All(ctx)
	if err != nil {
		return nil, err
	}
	for _, c := range customers {
		var orders []string
		for _, o := range c.Orders {
			var lines []string
			for _, l := range o.OrderLines {
				lines = append(lines, fmt.Sprintf("%dx%s", l.Qty, l.Product.Title))
			}
			orders = append(orders, fmt.Sprintf("%d[%s]", o.ID, strings.Join(lines, " ")))
		}
		out = append(out, fmt.Sprintf("customer %s: %s", c.Name, strings.Join(orders, " ")))
	}
	products, err := orm.Select[Product](db).Load("Tags").OrderBy(query.Table("products").C("sku")).All(ctx)
	if err != nil {
		return nil, err
	}
	for _, p := range products {
		var tags []string
		for _, t := range p.Tags {
			tags = append(tags, t.Name)
		}
		out = append(out, fmt.Sprintf("product %s: %s", p.Sku, strings.Join(tags, " ")))
	}
	tags, err := orm.Select[Tag](db).Load("Products").OrderBy(query.Table("tags").C("id")).All(ctx)
	if err != nil {
		return nil, err
	}
	for _, t := range tags {
		out = append(out, fmt.Sprintf("tag %s: %d products", t.Name, len(t.Products)))
	}
	staff, err := orm.Select[Employee](db).Load("Manager", "ManagerEmployees").OrderBy(query.Table("employees").C("id")).All(ctx)
	if err != nil {
		return nil, err
	}
	for _, e := range staff {
		boss := "-"
		if e.Manager != nil {
			boss = e.Manager.Name
		}
		out = append(out, fmt.Sprintf("employee %s: manager %s, %d reports", e.Name, boss, len(e.ManagerEmployees)))
	}
	lines, err := orm.Select[OrderLine](db).Load("Order.Customer").
		OrderBy(query.Table("order_lines").C("order_id"), query.Table("order_lines").C("line_no")).All(ctx)
	if err != nil {
		return nil, err
	}
	for _, l := range lines {
		out = append(out, fmt.Sprintf("line %d/%d: %s", l.OrderID, l.LineNo, l.Order.Customer.Email))
	}
	views, err := orm.Select[OrderTotal](db).OrderBy(query.Table("order_totals").C("order_id")).All(ctx)
	if err != nil {
		return nil, err
	}
	out = append(out, fmt.Sprintf("order_totals: %d rows", len(views)))
	return out, nil
}
`

// TestGoModelsRoundTrip creates tables on every engine: kinglet's own test
// models (with rows), and a shop written by hand with named constraints,
// composite keys, a foreign key over two columns, a join table, a
// self-reference and a view. It inspects them, generates models, and runs
// a program built from them (in testdata/genmodels_<engine>_tmp, inside
// the module) that reads the rows back and loads the relations gen wrote.
// The rows must be the rows the original models read, the relations what
// the shop holds, and the diff of the generated models against the
// database empty.
func TestGoModelsRoundTrip(t *testing.T) {
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
		require.NoError(t, db.CreateTables(ctx, migratetest.Models...))
		migratetest.CreateShop(t, tdb)
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

		s, err := schema.InspectWith(ctx, tdb.DB, tdb.Dialect, schema.Filter{Views: true})
		require.NoError(t, err)
		src, err := gen.Models(s, tdb.Dialect, "main")
		require.NoError(t, err)
		assert.NotContains(t, string(src), "Not described by the tags", "every table round-trips:\n%s", src)
		// A key declared without actions is generated as declared (MariaDB's
		// catalog says RESTRICT); a key over two columns shares its name.
		assert.Contains(t, string(src), `fk:products.sku,fk_name:order_lines_product_fkey"`)
		assert.Regexp(t, `LineNo +int(32|64) +`+"`"+`db:"line_no,fk:order_lines.line_no,fk_name:shipments_line_fkey,on_delete:cascade,on_update:cascade"`, string(src))

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
			Users, Posts []map[string]any
			Schema       *schema.Schema
			Shop         []string
		}
		require.NoError(t, json.Unmarshal(stdout.Bytes(), &got), stdout.String())

		// The rows, as the original models read them; the generated
		// models also have relation fields, not loaded here.
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
		for _, rows := range [][]map[string]any{got.Users, got.Posts} {
			for _, r := range rows {
				delete(r, "GenPosts")
				delete(r, "User")
			}
		}
		assert.JSONEq(t, mustJSON(t, wantUsers), mustJSON(t, got.Users), "models.go:\n%s", src)
		assert.JSONEq(t, mustJSON(t, wantPosts), mustJSON(t, got.Posts))
		require.Len(t, wantUsers, 2)
		require.Len(t, wantPosts, 3)

		assert.Equal(t, []string{
			"customer Ann: 10[2xGreen tea 1xCup] 11[1xGreen tea]",
			"customer Bob: ",
			"product CUP-2: kitchen",
			"product TEA-1: drink kitchen",
			"tag drink: 1 products",
			"tag kitchen: 2 products",
			"employee Boss: manager -, 2 reports",
			"employee Dev: manager Boss, 0 reports",
			"employee Ops: manager Boss, 0 reports",
			"line 10/1: ann@example.com",
			"line 10/2: ann@example.com",
			"line 11/1: ann@example.com",
			"order_totals: 2 rows",
		}, got.Shop)

		// The generated models describe the database they were read from
		// (its views aside), and so the schema of the original models.
		ops, err := diff.Schemas(tdb.Dialect, s, got.Schema, diff.Options{Destructive: true})
		require.NoError(t, err)
		assert.Empty(t, ops, "models.go:\n%s", src)
		live, err := diff.Models(ctx, tdb.DB, tdb.Dialect, diff.Options{Destructive: true}, append([]any{&genUser{}, &genPost{}}, migratetest.Models...)...)
		require.NoError(t, err)
		for _, op := range live {
			if !slices.Contains(migratetest.ShopTables, opTable(op)) {
				t.Errorf("the original models diff against the database: %s", op)
			}
		}
	})
}

// opTable is the table an operation is on.
func opTable(op ddl.Op) string {
	switch op := op.(type) {
	case ddl.DropTable:
		return op.Name
	}
	return ""
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}
