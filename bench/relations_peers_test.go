package bench

// The peers on the relation reads, each the way its documentation shows:
// GORM's Preload and bun's Relation (bun reads a belongs-to relation with a
// JOIN in one query, the rest with a second query, as GORM does). Neither
// has a per-parent limit: newest_3 filters the preloaded tweets with the
// ROW_NUMBER() subquery a user of either writes by hand.

import (
	"context"
	"fmt"
	"time"

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

// newestFilter keeps each user's relNewest newest tweets, for the peers.
var newestFilter = "id IN (SELECT id FROM (SELECT id, ROW_NUMBER() OVER (PARTITION BY user_id ORDER BY created_at DESC, id DESC) AS rn FROM " +
	relTwTable + ") AS x WHERE rn <= ?)"

type gRelUser struct {
	ID        int64 `gorm:"primaryKey"`
	Name      string
	Email     *string
	CreatedAt time.Time
	Tweets    []gRelTweet `gorm:"foreignKey:UserID"`
}

func (gRelUser) TableName() string { return relUserTable }

type gRelTweet struct {
	ID        int64 `gorm:"primaryKey"`
	UserID    int64
	Content   string
	Likes     int
	CreatedAt time.Time
	User      *gRelUser `gorm:"foreignKey:UserID"`
}

func (gRelTweet) TableName() string { return relTwTable }

type gormRel struct {
	db *gorm.DB
	us []gRelUser
	ts []gRelTweet
}

func newGormRel(e *env) (*gormRel, error) {
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
	db, err := gorm.Open(d, &gorm.Config{SkipDefaultTransaction: true, Logger: logger.Default.LogMode(logger.Silent)})
	if err != nil {
		return nil, err
	}
	return &gormRel{db: db}, nil
}

func (g *gormRel) hasMany(ctx context.Context) (int, error) {
	var us []gRelUser
	err := g.db.WithContext(ctx).Preload("Tweets", func(db *gorm.DB) *gorm.DB { return db.Order("id") }).
		Order("id").Limit(relUsers).Find(&us).Error
	g.us = us
	return len(us), err
}

func (g *gormRel) newest(ctx context.Context) (int, error) {
	var us []gRelUser
	err := g.db.WithContext(ctx).Preload("Tweets", func(db *gorm.DB) *gorm.DB {
		return db.Where(newestFilter, relNewest).Order("created_at DESC, id DESC")
	}).Order("id").Limit(relUsers).Find(&us).Error
	g.us = us
	return len(us), err
}

func (g *gormRel) belongsTo(ctx context.Context) (int, error) {
	var ts []gRelTweet
	err := g.db.WithContext(ctx).Preload("User").Order("id").Find(&ts).Error
	g.ts = ts
	return len(ts), err
}

func fromGRelTweet(t gRelTweet) relTweet {
	out := relTweet{ID: t.ID, UserID: t.UserID, Content: t.Content, Likes: t.Likes, CreatedAt: t.CreatedAt}
	if t.User != nil {
		u := fromGRelUser(*t.User)
		out.User = &u
	}
	return out
}

func fromGRelUser(u gRelUser) relUser {
	return relUser{ID: u.ID, Name: u.Name, Email: u.Email, CreatedAt: u.CreatedAt, Tweets: clone(u.Tweets, fromGRelTweet)}
}

func (g *gormRel) users() []relUser   { return clone(g.us, fromGRelUser) }
func (g *gormRel) tweets() []relTweet { return clone(g.ts, fromGRelTweet) }

type bRelUser struct {
	bun.BaseModel `bun:"table:rb_users,alias:u"`

	ID        int64       `bun:"id,pk,autoincrement"`
	Name      string      `bun:"name"`
	Email     *string     `bun:"email"`
	CreatedAt time.Time   `bun:"created_at"`
	Tweets    []bRelTweet `bun:"rel:has-many,join:id=user_id"`
}

type bRelTweet struct {
	bun.BaseModel `bun:"table:rb_tweets,alias:t"`

	ID        int64     `bun:"id,pk,autoincrement"`
	UserID    int64     `bun:"user_id"`
	Content   string    `bun:"content"`
	Likes     int       `bun:"likes"`
	CreatedAt time.Time `bun:"created_at"`
	User      *bRelUser `bun:"rel:belongs-to,join:user_id=id"`
}

type bunRel struct {
	db *bun.DB
	us []bRelUser
	ts []bRelTweet
}

func newBunRel(e *env) (*bunRel, error) {
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
	return &bunRel{db: bun.NewDB(e.sdb, d)}, nil
}

func (b *bunRel) hasMany(ctx context.Context) (int, error) {
	us := make([]bRelUser, 0, relUsers)
	err := b.db.NewSelect().Model(&us).
		Relation("Tweets", func(q *bun.SelectQuery) *bun.SelectQuery { return q.Order("t.id") }).
		Order("u.id").Limit(relUsers).Scan(ctx)
	b.us = us
	return len(us), err
}

func (b *bunRel) newest(ctx context.Context) (int, error) {
	us := make([]bRelUser, 0, relUsers)
	err := b.db.NewSelect().Model(&us).
		Relation("Tweets", func(q *bun.SelectQuery) *bun.SelectQuery {
			return q.Where("t."+newestFilter, relNewest).Order("t.created_at DESC", "t.id DESC")
		}).
		Order("u.id").Limit(relUsers).Scan(ctx)
	b.us = us
	return len(us), err
}

func (b *bunRel) belongsTo(ctx context.Context) (int, error) {
	var ts []bRelTweet
	err := b.db.NewSelect().Model(&ts).Relation("User").Order("t.id").Scan(ctx)
	b.ts = ts
	return len(ts), err
}

func fromBRelTweet(t bRelTweet) relTweet {
	out := relTweet{ID: t.ID, UserID: t.UserID, Content: t.Content, Likes: t.Likes, CreatedAt: t.CreatedAt}
	if t.User != nil {
		u := fromBRelUser(*t.User)
		out.User = &u
	}
	return out
}

func fromBRelUser(u bRelUser) relUser {
	return relUser{ID: u.ID, Name: u.Name, Email: u.Email, CreatedAt: u.CreatedAt, Tweets: clone(u.Tweets, fromBRelTweet)}
}

func (b *bunRel) users() []relUser   { return clone(b.us, fromBRelUser) }
func (b *bunRel) tweets() []relTweet { return clone(b.ts, fromBRelTweet) }
