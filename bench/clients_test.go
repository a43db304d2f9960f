package bench

// The floor (raw database/sql), kinglet, and native pgx.

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/kingletdb/kinglet/dialect"
	"github.com/kingletdb/kinglet/fields"
	"github.com/kingletdb/kinglet/orm"
	"github.com/kingletdb/kinglet/query"
)

// kUser is kinglet's model of the table.
type kUser struct {
	ID        int64     `db:"id,pk"`
	Name      string    `db:"name,size:64"`
	Email     *string   `db:"email,size:128"`
	Age       int       `db:"age"`
	Active    bool      `db:"active"`
	CreatedAt time.Time `db:"created_at"`
}

func (kUser) TableName() string { return tableName }

func createTableSQL(d dialect.Dialect) (string, error) {
	t, err := fields.TableFor[kUser]()
	if err != nil {
		return "", err
	}
	q, err := query.CreateTableFor(t)
	if err != nil {
		return "", err
	}
	s, _, err := q.Build(d)
	return s, err
}

// rawSQL holds the hand-written statements: the shape kinglet emits
// (RETURNING where the engine has it, a bound LIMIT), written once, as a
// careful programmer would. pgx and sqlx run the same text.
type rawSQL struct {
	d                                         dialect.Dialect
	insertOne, insertBatch, update, get, list string
	returning                                 bool
}

const rawCols = "name, email, age, active, created_at"

func (r rawSQL) ph(n int) string { return string(r.d.AppendPlaceholder(nil, n)) }

func newRawSQL(d dialect.Dialect) rawSQL {
	r := rawSQL{d: d, returning: d.Has(dialect.InsertReturning)}
	ret := ""
	if r.returning {
		ret = " RETURNING id"
	}
	row := func(first int) string {
		return "(" + r.ph(first) + ", " + r.ph(first+1) + ", " + r.ph(first+2) + ", " + r.ph(first+3) + ", " + r.ph(first+4) + ")"
	}
	r.insertOne = "INSERT INTO " + tableName + " (" + rawCols + ") VALUES " + row(1) + ret
	var b strings.Builder
	b.WriteString("INSERT INTO " + tableName + " (" + rawCols + ") VALUES ")
	for i := range batchRows {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(row(5*i + 1))
	}
	b.WriteString(ret)
	r.insertBatch = b.String()
	r.update = "UPDATE " + tableName + " SET name = " + r.ph(1) + ", email = " + r.ph(2) + ", age = " + r.ph(3) +
		", active = " + r.ph(4) + ", created_at = " + r.ph(5) + " WHERE id = " + r.ph(6)
	r.get = "SELECT id, " + rawCols + " FROM " + tableName + " WHERE id = " + r.ph(1)
	r.list = "SELECT id, " + rawCols + " FROM " + tableName + " ORDER BY id LIMIT " + r.ph(1)
	return r
}

func (r rawSQL) insertUser(ctx context.Context, db *sql.DB, u *user) error {
	if r.returning {
		return db.QueryRowContext(ctx, r.insertOne, u.Name, u.Email, u.Age, u.Active, u.CreatedAt).Scan(&u.ID)
	}
	res, err := db.ExecContext(ctx, r.insertOne, u.Name, u.Email, u.Age, u.Active, u.CreatedAt)
	if err != nil {
		return err
	}
	u.ID, err = res.LastInsertId()
	return err
}

func (r rawSQL) insertUsers(ctx context.Context, db *sql.DB, us []user) error {
	args := make([]any, 0, 5*len(us))
	for i := range us {
		u := &us[i]
		args = append(args, u.Name, u.Email, u.Age, u.Active, u.CreatedAt)
	}
	if !r.returning {
		res, err := db.ExecContext(ctx, r.insertBatch, args...)
		if err != nil {
			return err
		}
		first, err := res.LastInsertId()
		for i := range us {
			us[i].ID = first + int64(i)
		}
		return err
	}
	rows, err := db.QueryContext(ctx, r.insertBatch, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	i := 0
	for rows.Next() {
		if i == len(us) {
			return fmt.Errorf("insert returned more than %d ids", len(us))
		}
		if err := rows.Scan(&us[i].ID); err != nil {
			return err
		}
		i++
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if i != len(us) {
		return fmt.Errorf("insert returned %d ids, want %d", i, len(us))
	}
	return nil
}

func affectedOne(n int64, err error) error {
	if err == nil && n != 1 {
		err = fmt.Errorf("update: %d rows affected, want 1", n)
	}
	return err
}

// rawClient is hand-written database/sql: the floor.
type rawClient struct {
	r     rawSQL
	db    *sql.DB
	one   user
	batch []user
	tgt   user
	g     user
	l     []user
}

func newRawClient(e *env) *rawClient {
	return &rawClient{r: e.raw, db: e.sdb, one: e.data.one, batch: slices.Clone(e.data.batch), tgt: e.data.target}
}

func (c *rawClient) insertOne(ctx context.Context) error {
	c.one.ID = 0
	return c.r.insertUser(ctx, c.db, &c.one)
}

func (c *rawClient) insertBatch(ctx context.Context) error {
	for i := range c.batch {
		c.batch[i].ID = 0
	}
	return c.r.insertUsers(ctx, c.db, c.batch)
}

func (c *rawClient) update(ctx context.Context, age int) error {
	u := &c.tgt
	u.Age = age
	res, err := c.db.ExecContext(ctx, c.r.update, u.Name, u.Email, u.Age, u.Active, u.CreatedAt, u.ID)
	if err != nil {
		return err
	}
	return affectedOne(res.RowsAffected())
}

// get reads into a new user, as a function returning the row would (and as
// orm/bench_test.go's raw code does), not into storage kept from the last
// call.
func (c *rawClient) get(ctx context.Context, id int64) error {
	var u user
	err := c.db.QueryRowContext(ctx, c.r.get, id).Scan(&u.ID, &u.Name, &u.Email, &u.Age, &u.Active, &u.CreatedAt)
	c.g = u
	return err
}

func (c *rawClient) list(ctx context.Context) (int, error) {
	rows, err := c.db.QueryContext(ctx, c.r.list, batchRows)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	out := make([]user, 0, batchRows)
	for rows.Next() {
		var u user
		if err := rows.Scan(&u.ID, &u.Name, &u.Email, &u.Age, &u.Active, &u.CreatedAt); err != nil {
			return 0, err
		}
		out = append(out, u)
	}
	c.l = out
	return len(out), rows.Err()
}

func (c *rawClient) inserted() (user, []user) { return c.one, c.batch }
func (c *rawClient) got() user                { return c.g }
func (c *rawClient) listed() []user           { return c.l }

// clone converts a slice element by element.
func clone[T, U any](s []T, f func(T) U) []U {
	out := make([]U, len(s))
	for i, v := range s {
		out[i] = f(v)
	}
	return out
}

// kingletClient is kinglet's orm.
type kingletClient struct {
	db    *orm.DB
	one   kUser
	batch []kUser
	tgt   kUser
	g     kUser
	l     []kUser
}

var kID = orm.Field(func(u *kUser) *int64 { return &u.ID })

func newKingletClient(e *env) *kingletClient {
	return &kingletClient{
		db: orm.New(e.sdb, e.d), one: kUser(e.data.one),
		batch: clone(e.data.batch, func(u user) kUser { return kUser(u) }), tgt: kUser(e.data.target),
	}
}

// newKingletPgxClient is kinglet on a DB over a pgx pool (orm.OpenPool):
// the ORM's reads and writes on pgx directly (outside transactions and
// hooks), the rest through database/sql on the pool.
func newKingletPgxClient(tb testing.TB, e *env) (*kingletClient, error) {
	cfg, err := pgxpool.ParseConfig(e.dsn)
	if err != nil {
		return nil, err
	}
	cfg.MaxConns = poolConns
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		return nil, err
	}
	tb.Cleanup(pool.Close)
	db, err := orm.OpenPool(context.Background(), pool)
	if err != nil {
		return nil, err
	}
	c := newKingletClient(e)
	c.db = db
	return c, nil
}

func (c *kingletClient) insertOne(ctx context.Context) error {
	c.one.ID = 0
	return c.db.Insert(ctx, &c.one)
}

func (c *kingletClient) insertBatch(ctx context.Context) error {
	for i := range c.batch {
		c.batch[i].ID = 0
	}
	return c.db.InsertMany(ctx, c.batch)
}

func (c *kingletClient) update(ctx context.Context, age int) error {
	c.tgt.Age = age
	return c.db.Update(ctx, &c.tgt)
}

func (c *kingletClient) get(ctx context.Context, id int64) (err error) {
	c.g, err = orm.Get[kUser](ctx, c.db, id)
	return err
}

func (c *kingletClient) list(ctx context.Context) (n int, err error) {
	c.l, err = orm.Select[kUser](c.db).OrderBy(kID.Asc()).Limit(batchRows).All(ctx)
	return len(c.l), err
}

func (c *kingletClient) inserted() (user, []user) {
	return user(c.one), clone(c.batch, func(u kUser) user { return user(u) })
}
func (c *kingletClient) got() user { return user(c.g) }
func (c *kingletClient) listed() []user {
	return clone(c.l, func(u kUser) user { return user(u) })
}

// pgxClient is native pgx (PostgreSQL only) through pgxpool, on the same
// statements as raw, with a pool of the same size. It reads lists with
// pgx.CollectRows and RowToStructByPos, as pgx's documentation shows.
type pgxClient struct {
	r     rawSQL
	pool  *pgxpool.Pool
	one   user
	batch []user
	tgt   user
	g     user
	l     []user
}

func newPgxClient(tb testing.TB, e *env) (*pgxClient, error) {
	cfg, err := pgxpool.ParseConfig(e.dsn)
	if err != nil {
		return nil, err
	}
	cfg.MaxConns = poolConns
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		return nil, err
	}
	tb.Cleanup(pool.Close)
	return &pgxClient{r: e.raw, pool: pool, one: e.data.one, batch: slices.Clone(e.data.batch), tgt: e.data.target}, nil
}

func (c *pgxClient) insertOne(ctx context.Context) error {
	u := &c.one
	u.ID = 0
	return c.pool.QueryRow(ctx, c.r.insertOne, u.Name, u.Email, u.Age, u.Active, u.CreatedAt).Scan(&u.ID)
}

func (c *pgxClient) insertBatch(ctx context.Context) error {
	args := make([]any, 0, 5*len(c.batch))
	for i := range c.batch {
		u := &c.batch[i]
		u.ID = 0
		args = append(args, u.Name, u.Email, u.Age, u.Active, u.CreatedAt)
	}
	rows, err := c.pool.Query(ctx, c.r.insertBatch, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	i := 0
	for rows.Next() {
		if i == len(c.batch) {
			return fmt.Errorf("insert returned more than %d ids", len(c.batch))
		}
		if err := rows.Scan(&c.batch[i].ID); err != nil {
			return err
		}
		i++
	}
	return rows.Err()
}

func (c *pgxClient) update(ctx context.Context, age int) error {
	u := &c.tgt
	u.Age = age
	tag, err := c.pool.Exec(ctx, c.r.update, u.Name, u.Email, u.Age, u.Active, u.CreatedAt, u.ID)
	return affectedOne(tag.RowsAffected(), err)
}

func (c *pgxClient) get(ctx context.Context, id int64) error {
	var u user
	err := c.pool.QueryRow(ctx, c.r.get, id).Scan(&u.ID, &u.Name, &u.Email, &u.Age, &u.Active, &u.CreatedAt)
	c.g = u
	return err
}

func (c *pgxClient) list(ctx context.Context) (n int, err error) {
	rows, err := c.pool.Query(ctx, c.r.list, batchRows)
	if err != nil {
		return 0, err
	}
	c.l, err = pgx.CollectRows(rows, pgx.RowToStructByPos[user])
	return len(c.l), err
}

func (c *pgxClient) inserted() (user, []user) { return c.one, c.batch }
func (c *pgxClient) got() user                { return c.g }
func (c *pgxClient) listed() []user           { return c.l }
