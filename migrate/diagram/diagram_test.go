package diagram_test

import (
	"bytes"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/kingletdb/kinglet/fields"
	"github.com/kingletdb/kinglet/migrate/diagram"
	"github.com/kingletdb/kinglet/migrate/schema"
)

var update = flag.Bool("update", false, "rewrite testdata/*.golden")

// shop has what a diagram shows: keys of one and two columns, a nullable
// key, a unique key (one to one), a self-reference, a key to a table the
// schema lacks, a view, and names that need quotes.
var shop = &schema.Schema{Tables: []*schema.Table{
	{Name: "customers", PrimaryKey: []string{"id"},
		Columns: []schema.Column{{Name: "id", Type: "bigint"}, {Name: "email", Type: "varchar(254)"}, {Name: "score", Type: "double precision", Nullable: true}},
		Indexes: []schema.Index{{Name: "customers_email_key", Columns: []string{"email"}, Unique: true}}},
	{Name: "order lines", PrimaryKey: []string{"order_id", "line_no"},
		Columns:     []schema.Column{{Name: "order_id", Type: "bigint"}, {Name: "line_no", Type: "integer"}, {Name: "price", Type: "numeric(10, 2)"}},
		ForeignKeys: []schema.ForeignKey{{Name: "lines_order_fkey", Columns: []string{"order_id"}, RefTable: "orders", RefColumns: []string{"id"}}}},
	{Name: "orders", PrimaryKey: []string{"id"},
		Columns: []schema.Column{{Name: "id", Type: "bigint"}, {Name: "customer_id", Type: "bigint", Nullable: true},
			{Name: "warehouse_id", Type: "bigint"}, {Name: "replaces", Type: "bigint", Nullable: true}},
		ForeignKeys: []schema.ForeignKey{
			{Name: "orders_customer_fkey", Columns: []string{"customer_id"}, RefTable: "customers", RefColumns: []string{"id"}},
			{Name: "orders_replaces_fkey", Columns: []string{"replaces"}, RefTable: "orders", RefColumns: []string{"id"}},
			{Name: "orders_warehouse_fkey", Columns: []string{"warehouse_id"}, RefTable: "stock.warehouses", RefColumns: []string{"id"}},
		}},
	{Name: "profiles", PrimaryKey: []string{"customer_id"},
		Columns:     []schema.Column{{Name: "customer_id", Type: "bigint"}, {Name: "bio", Of: fields.ColumnType{Kind: fields.KindString}}},
		ForeignKeys: []schema.ForeignKey{{Name: "profiles_customer_fkey", Columns: []string{"customer_id"}, RefTable: "customers", RefColumns: []string{"id"}}}},
	{Name: "shipments", PrimaryKey: []string{"id"},
		Columns: []schema.Column{{Name: "id", Type: "bigint"}, {Name: "order_id", Type: "bigint"}, {Name: "line_no", Type: "integer"}},
		ForeignKeys: []schema.ForeignKey{{Name: "shipments_line_fkey", Columns: []string{"order_id", "line_no"}, RefTable: "order lines",
			RefColumns: []string{"order_id", "line_no"}}}},
	{Name: "totals", View: true, Columns: []schema.Column{{Name: "order_id", Type: "bigint", Nullable: true}, {Name: "n", Type: "bigint", Nullable: true}}},
}}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		require.NoError(t, os.WriteFile(path, got, 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "go test ./migrate/diagram -update writes it")
	assert.Equal(t, string(want), string(got))
}

func TestMermaid(t *testing.T) {
	var b bytes.Buffer
	require.NoError(t, diagram.Mermaid(&b, shop))
	golden(t, "shop.mermaid.golden", b.Bytes())
}

// TestDOT compares with the golden file and, where Graphviz is installed,
// renders the graph: dot must accept it without a warning.
func TestDOT(t *testing.T) {
	var b bytes.Buffer
	require.NoError(t, diagram.DOT(&b, shop))
	golden(t, "shop.dot.golden", b.Bytes())
	dot, err := exec.LookPath("dot")
	if err != nil {
		t.Skip("no Graphviz dot in PATH (apt-get install graphviz)")
	}
	cmd := exec.Command(dot, "-Tsvg")
	cmd.Stdin = &b
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	require.NoError(t, cmd.Run(), errOut.String())
	assert.Empty(t, errOut.String())
	assert.Contains(t, out.String(), "<svg")
	assert.Contains(t, out.String(), "shipments_line_fkey")
}
