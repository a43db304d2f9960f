package bench

// The peers, each written the way its documentation shows, on the env's
// *sql.DB (the same driver and pool as raw and kinglet):
//
//   - sqlx: named parameters bound from the struct for writes (NamedQuery
//     and NamedExec, a slice for the 100-row insert), Get and Select for
//     reads, on the same statement text as raw.
//   - bun: its query builders with a model (NewInsert/NewUpdate/NewSelect),
//     WherePK. bun puts values into the SQL text instead of binding them; on
//     PostgreSQL its pool runs pgx's simple protocol, as bun's documentation
//     advises for pgx (each text is new, so preparing it would cost a round
//     trip per call).
//   - GORM: Create, Save, First, Find, with SkipDefaultTransaction (its
//     performance guide's first advice; kinglet, raw and the others run
//     single statements outside a transaction too) and a silent logger.
//     PrepareStmt is left off: no other library here keeps prepared
//     statements, and on MySQL it would change the protocol (one prepared
//     statement reused instead of prepare/execute/close per call), which
//     measures something else than the library.

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/mysqldialect"
	"github.com/uptrace/bun/dialect/pgdialect"
	"github.com/uptrace/bun/dialect/sqlitedialect"
	"github.com/uptrace/bun/schema"
	"gorm.io/driver/mysql"
	"gorm.io/driver/postgres"
	"gorm.io/gorm"
	"gorm.io/gorm/logger"

	"github.com/kingletdb/kinglet/bench/internal/gormlite"
	"github.com/kingletdb/kinglet/internal/testdb"
)

// sqlxUser is sqlx's model: db tags.
type sqlxUser struct {
	ID        int64     `db:"id"`
	Name      string    `db:"name"`
	Email     *string   `db:"email"`
	Age       int       `db:"age"`
	Active    bool      `db:"active"`
	CreatedAt time.Time `db:"created_at"`
}

// sqlxClient is sqlx.
type sqlxClient struct {
	db                                   *sqlx.DB
	insertOneSQL, insertBatchSQL, updSQL string
	getSQL, listSQL                      string
	returning                            bool
	one                                  sqlxUser
	batch                                []sqlxUser
	tgt                                  sqlxUser
	g                                    sqlxUser
	l                                    []sqlxUser
}

var sqlxBindOnce sync.Once

func newSqlxClient(e *env) *sqlxClient {
	// sqlx knows modernc's driver name "sqlite" only when told.
	sqlxBindOnce.Do(func() { sqlx.BindDriver("sqlite", sqlx.QUESTION) })
	ret := ""
	if e.raw.returning {
		ret = " RETURNING id"
	}
	const values = "(:name, :email, :age, :active, :created_at)"
	return &sqlxClient{
		db:             sqlx.NewDb(e.sdb, driverName(e.engine)),
		insertOneSQL:   "INSERT INTO " + tableName + " (" + rawCols + ") VALUES " + values + ret,
		insertBatchSQL: "INSERT INTO " + tableName + " (" + rawCols + ") VALUES " + values + ret,
		updSQL: "UPDATE " + tableName + " SET name = :name, email = :email, age = :age, active = :active, " +
			"created_at = :created_at WHERE id = :id",
		getSQL: e.raw.get, listSQL: e.raw.list, returning: e.raw.returning,
		one:   sqlxUser(e.data.one),
		batch: clone(e.data.batch, func(u user) sqlxUser { return sqlxUser(u) }),
		tgt:   sqlxUser(e.data.target),
	}
}

func driverName(engine string) string {
	if engine == testdb.Postgres {
		return "pgx"
	}
	return engine
}

func (c *sqlxClient) insertOne(ctx context.Context) error {
	c.one.ID = 0
	if !c.returning {
		res, err := c.db.NamedExecContext(ctx, c.insertOneSQL, &c.one)
		if err != nil {
			return err
		}
		c.one.ID, err = res.LastInsertId()
		return err
	}
	rows, err := c.db.NamedQueryContext(ctx, c.insertOneSQL, &c.one)
	if err != nil {
		return err
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return err
		}
		return fmt.Errorf("insert returned no id")
	}
	if err := rows.Scan(&c.one.ID); err != nil {
		return err
	}
	return rows.Close()
}

func (c *sqlxClient) insertBatch(ctx context.Context) error {
	for i := range c.batch {
		c.batch[i].ID = 0
	}
	if !c.returning {
		res, err := c.db.NamedExecContext(ctx, c.insertBatchSQL, c.batch)
		if err != nil {
			return err
		}
		first, err := res.LastInsertId()
		for i := range c.batch {
			c.batch[i].ID = first + int64(i)
		}
		return err
	}
	rows, err := c.db.NamedQueryContext(ctx, c.insertBatchSQL, c.batch)
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

func (c *sqlxClient) update(ctx context.Context, age int) error {
	c.tgt.Age = age
	res, err := c.db.NamedExecContext(ctx, c.updSQL, &c.tgt)
	if err != nil {
		return err
	}
	return affectedOne(res.RowsAffected())
}

func (c *sqlxClient) get(ctx context.Context, id int64) error {
	return c.db.GetContext(ctx, &c.g, c.getSQL, id)
}

func (c *sqlxClient) list(ctx context.Context) (int, error) {
	us := make([]sqlxUser, 0, batchRows)
	err := c.db.SelectContext(ctx, &us, c.listSQL, batchRows)
	c.l = us
	return len(us), err
}

func (c *sqlxClient) inserted() (user, []user) {
	return user(c.one), clone(c.batch, func(u sqlxUser) user { return user(u) })
}
func (c *sqlxClient) got() user { return user(c.g) }
func (c *sqlxClient) listed() []user {
	return clone(c.l, func(u sqlxUser) user { return user(u) })
}

// bunUser is bun's model.
type bunUser struct {
	bun.BaseModel `bun:"table:bench_users"`

	ID        int64     `bun:"id,pk,autoincrement"`
	Name      string    `bun:"name"`
	Email     *string   `bun:"email"`
	Age       int       `bun:"age"`
	Active    bool      `bun:"active"`
	CreatedAt time.Time `bun:"created_at"`
}

func toBun(u user) bunUser {
	return bunUser{ID: u.ID, Name: u.Name, Email: u.Email, Age: u.Age, Active: u.Active, CreatedAt: u.CreatedAt}
}

func fromBun(u bunUser) user {
	return user{ID: u.ID, Name: u.Name, Email: u.Email, Age: u.Age, Active: u.Active, CreatedAt: u.CreatedAt}
}

// bunClient is bun.
type bunClient struct {
	db    *bun.DB
	one   bunUser
	batch []bunUser
	tgt   bunUser
	g     bunUser
	l     []bunUser
}

func newBunClient(e *env) (*bunClient, error) {
	var d schema.Dialect
	switch e.engine {
	case testdb.SQLite:
		d = sqlitedialect.New()
	case testdb.Postgres:
		d = pgdialect.New()
	case testdb.MySQL:
		d = mysqldialect.New()
	default:
		return nil, fmt.Errorf("bun: no dialect for %s", e.engine)
	}
	return &bunClient{
		db: bun.NewDB(e.sdb, d), one: toBun(e.data.one),
		batch: clone(e.data.batch, toBun), tgt: toBun(e.data.target),
	}, nil
}

func (c *bunClient) insertOne(ctx context.Context) error {
	c.one.ID = 0
	_, err := c.db.NewInsert().Model(&c.one).Exec(ctx)
	return err
}

func (c *bunClient) insertBatch(ctx context.Context) error {
	for i := range c.batch {
		c.batch[i].ID = 0
	}
	_, err := c.db.NewInsert().Model(&c.batch).Exec(ctx)
	return err
}

func (c *bunClient) update(ctx context.Context, age int) error {
	c.tgt.Age = age
	res, err := c.db.NewUpdate().Model(&c.tgt).WherePK().Exec(ctx)
	if err != nil {
		return err
	}
	return affectedOne(res.RowsAffected())
}

func (c *bunClient) get(ctx context.Context, id int64) error {
	c.g = bunUser{ID: id}
	return c.db.NewSelect().Model(&c.g).WherePK().Scan(ctx)
}

func (c *bunClient) list(ctx context.Context) (int, error) {
	us := make([]bunUser, 0, batchRows)
	err := c.db.NewSelect().Model(&us).Order("id").Limit(batchRows).Scan(ctx)
	c.l = us
	return len(us), err
}

func (c *bunClient) inserted() (user, []user) { return fromBun(c.one), clone(c.batch, fromBun) }
func (c *bunClient) got() user                { return fromBun(c.g) }
func (c *bunClient) listed() []user           { return clone(c.l, fromBun) }

// gormUser is GORM's model (column names by GORM's naming convention).
type gormUser struct {
	ID        int64 `gorm:"primaryKey"`
	Name      string
	Email     *string
	Age       int
	Active    bool
	CreatedAt time.Time
}

func (gormUser) TableName() string { return tableName }

// gormClient is GORM.
type gormClient struct {
	db    *gorm.DB
	one   gormUser
	batch []gormUser
	tgt   gormUser
	g     gormUser
	l     []gormUser
}

func newGormClient(e *env) (*gormClient, error) {
	var d gorm.Dialector
	switch e.engine {
	case testdb.SQLite:
		d = gormlite.New(e.sdb)
	case testdb.Postgres:
		d = postgres.New(postgres.Config{Conn: e.sdb})
	case testdb.MySQL:
		d = mysql.New(mysql.Config{Conn: e.sdb})
	default:
		return nil, fmt.Errorf("gorm: no dialector for %s", e.engine)
	}
	db, err := gorm.Open(d, &gorm.Config{
		SkipDefaultTransaction: true,
		Logger:                 logger.Default.LogMode(logger.Silent),
	})
	if err != nil {
		return nil, err
	}
	return &gormClient{
		db: db, one: gormUser(e.data.one),
		batch: clone(e.data.batch, func(u user) gormUser { return gormUser(u) }), tgt: gormUser(e.data.target),
	}, nil
}

func (c *gormClient) insertOne(ctx context.Context) error {
	c.one.ID = 0
	return c.db.WithContext(ctx).Create(&c.one).Error
}

func (c *gormClient) insertBatch(ctx context.Context) error {
	for i := range c.batch {
		c.batch[i].ID = 0
	}
	return c.db.WithContext(ctx).Create(&c.batch).Error
}

func (c *gormClient) update(ctx context.Context, age int) error {
	c.tgt.Age = age
	res := c.db.WithContext(ctx).Save(&c.tgt)
	return affectedOne(res.RowsAffected, res.Error)
}

func (c *gormClient) get(ctx context.Context, id int64) error {
	c.g = gormUser{}
	return c.db.WithContext(ctx).First(&c.g, id).Error
}

func (c *gormClient) list(ctx context.Context) (int, error) {
	var us []gormUser
	err := c.db.WithContext(ctx).Order("id").Limit(batchRows).Find(&us).Error
	c.l = us
	return len(us), err
}

func (c *gormClient) inserted() (user, []user) {
	return user(c.one), clone(c.batch, func(u gormUser) user { return user(u) })
}
func (c *gormClient) got() user { return user(c.g) }
func (c *gormClient) listed() []user {
	return clone(c.l, func(u gormUser) user { return user(u) })
}
