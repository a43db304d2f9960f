package migratetest

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/kingletdb/kinglet/internal/testdb"
)

// ShopTables are the tables of Shop, by name.
var ShopTables = []string{"customers", "employees", "order_lines", "orders", "product_tags", "products", "shipments", "tags"}

// shopDDL is a shop as people write one by hand, not as kinglet would:
// constraints named the engine's way (orders_customer_fkey), a natural
// primary key (products.sku), composite primary keys, a foreign key over two
// columns, a pure join table, a self-reference, a unique constraint over
// two columns, a key declared without actions, checks, defaults, an index
// over two columns and a view. {pk}, {ts} and {now} are the engine's
// auto-increment key, timestamp type and its current value.
const shopDDL = `
CREATE TABLE customers (
	id {pk},
	email VARCHAR(254) NOT NULL,
	name VARCHAR(100) NOT NULL,
	vip BOOLEAN NOT NULL DEFAULT FALSE,
	created_at {ts} NOT NULL DEFAULT {now},
	CONSTRAINT customers_email_key UNIQUE (email)
);
CREATE TABLE products (
	sku VARCHAR(32) NOT NULL PRIMARY KEY,
	title VARCHAR(200) NOT NULL,
	price DECIMAL(10,2) NOT NULL,
	stock INTEGER NOT NULL DEFAULT 0,
	CONSTRAINT products_price_check CHECK (price >= 0)
);
CREATE TABLE orders (
	id {pk},
	customer_id BIGINT NOT NULL,
	status VARCHAR(16) NOT NULL DEFAULT 'new',
	placed_at {ts} NOT NULL,
	note VARCHAR(500),
	CONSTRAINT orders_customer_fkey FOREIGN KEY (customer_id) REFERENCES customers (id) ON DELETE CASCADE,
	CONSTRAINT orders_status_check CHECK (status IN ('new', 'paid', 'shipped'))
);
CREATE INDEX orders_customer_placed_idx ON orders (customer_id, placed_at);
CREATE TABLE order_lines (
	order_id BIGINT NOT NULL,
	line_no INTEGER NOT NULL,
	sku VARCHAR(32) NOT NULL,
	qty INTEGER NOT NULL DEFAULT 1,
	PRIMARY KEY (order_id, line_no),
	CONSTRAINT order_lines_order_fkey FOREIGN KEY (order_id) REFERENCES orders (id) ON DELETE CASCADE,
	CONSTRAINT order_lines_product_fkey FOREIGN KEY (sku) REFERENCES products (sku),
	CONSTRAINT order_lines_qty_check CHECK (qty > 0)
);
CREATE INDEX order_lines_sku_idx ON order_lines (sku);
CREATE TABLE shipments (
	id {pk},
	order_id BIGINT NOT NULL,
	line_no INTEGER NOT NULL,
	carrier VARCHAR(40) NOT NULL,
	tracking VARCHAR(64),
	CONSTRAINT shipments_line_fkey FOREIGN KEY (order_id, line_no) REFERENCES order_lines (order_id, line_no)
		ON DELETE CASCADE ON UPDATE CASCADE,
	CONSTRAINT shipments_tracking_key UNIQUE (carrier, tracking)
);
CREATE TABLE tags (
	id {pk},
	name VARCHAR(40) NOT NULL,
	CONSTRAINT tags_name_key UNIQUE (name)
);
CREATE TABLE product_tags (
	sku VARCHAR(32) NOT NULL,
	tag_id BIGINT NOT NULL,
	PRIMARY KEY (sku, tag_id),
	CONSTRAINT product_tags_sku_fkey FOREIGN KEY (sku) REFERENCES products (sku) ON DELETE CASCADE,
	CONSTRAINT product_tags_tag_fkey FOREIGN KEY (tag_id) REFERENCES tags (id) ON DELETE CASCADE
);
CREATE TABLE employees (
	id {pk},
	name VARCHAR(100) NOT NULL,
	manager_id BIGINT,
	CONSTRAINT employees_manager_fkey FOREIGN KEY (manager_id) REFERENCES employees (id) ON DELETE SET NULL
);
CREATE VIEW order_totals AS
	SELECT o.id AS order_id, COUNT(l.line_no) AS line_count FROM orders o LEFT JOIN order_lines l ON l.order_id = o.id GROUP BY o.id;
INSERT INTO customers (id, email, name, vip, created_at) VALUES (1, 'ann@example.com', 'Ann', TRUE, '2024-01-02 03:04:05');
INSERT INTO customers (id, email, name, created_at) VALUES (2, 'bob@example.com', 'Bob', '2024-02-03 04:05:06');
INSERT INTO products (sku, title, price, stock) VALUES ('TEA-1', 'Green tea', 4.50, 10);
INSERT INTO products (sku, title, price) VALUES ('CUP-2', 'Cup', 12.00);
INSERT INTO tags (id, name) VALUES (1, 'drink');
INSERT INTO tags (id, name) VALUES (2, 'kitchen');
INSERT INTO product_tags (sku, tag_id) VALUES ('TEA-1', 1);
INSERT INTO product_tags (sku, tag_id) VALUES ('TEA-1', 2);
INSERT INTO product_tags (sku, tag_id) VALUES ('CUP-2', 2);
INSERT INTO orders (id, customer_id, status, placed_at) VALUES (10, 1, 'paid', '2024-03-04 05:06:07');
INSERT INTO orders (id, customer_id, placed_at, note) VALUES (11, 1, '2024-03-05 05:06:07', 'gift');
INSERT INTO order_lines (order_id, line_no, sku, qty) VALUES (10, 1, 'TEA-1', 2);
INSERT INTO order_lines (order_id, line_no, sku) VALUES (10, 2, 'CUP-2');
INSERT INTO order_lines (order_id, line_no, sku) VALUES (11, 1, 'TEA-1');
INSERT INTO shipments (id, order_id, line_no, carrier, tracking) VALUES (100, 10, 1, 'post', 'P-1');
INSERT INTO employees (id, name) VALUES (1, 'Boss');
INSERT INTO employees (id, name, manager_id) VALUES (2, 'Dev', 1);
INSERT INTO employees (id, name, manager_id) VALUES (3, 'Ops', 1);
`

// ShopDDL returns the statements that create and fill the shop on engine.
func ShopDDL(engine string) []string {
	r := map[string]*strings.Replacer{
		testdb.SQLite:   strings.NewReplacer("{pk}", "INTEGER PRIMARY KEY AUTOINCREMENT", "{ts}", "DATETIME", "{now}", "CURRENT_TIMESTAMP"),
		testdb.Postgres: strings.NewReplacer("{pk}", "BIGSERIAL PRIMARY KEY", "{ts}", "TIMESTAMPTZ", "{now}", "CURRENT_TIMESTAMP"),
		testdb.MySQL:    strings.NewReplacer("{pk}", "BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY", "{ts}", "DATETIME(6)", "{now}", "CURRENT_TIMESTAMP(6)"),
	}[engine]
	var out []string
	for _, stmt := range strings.Split(r.Replace(shopDDL), ";\n") {
		if stmt = strings.TrimSpace(stmt); stmt != "" {
			out = append(out, stmt)
		}
	}
	return out
}

// CreateShop creates and fills the shop in db.
func CreateShop(t *testing.T, db *testdb.DB) {
	t.Helper()
	for _, stmt := range ShopDDL(db.Engine) {
		_, err := db.DB.ExecContext(t.Context(), stmt)
		require.NoError(t, err, stmt)
	}
}
