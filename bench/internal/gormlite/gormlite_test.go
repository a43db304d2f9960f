package gormlite_test

import (
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	"gorm.io/gorm"
	"gorm.io/gorm/logger"
	_ "modernc.org/sqlite"

	"github.com/kingletdb/kinglet/bench/internal/gormlite"
)

type item struct {
	ID   int64  `gorm:"primaryKey"`
	Name string `gorm:"column:name"`
}

func (item) TableName() string { return "items" }

func TestRoundTrip(t *testing.T) {
	sdb, err := sql.Open("sqlite", "file:"+filepath.Join(t.TempDir(), "g.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer sdb.Close()
	if _, err := sdb.Exec("CREATE TABLE items (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL)"); err != nil {
		t.Fatal(err)
	}
	db, err := gorm.Open(gormlite.New(sdb), &gorm.Config{SkipDefaultTransaction: true, Logger: logger.Discard})
	if err != nil {
		t.Fatal(err)
	}
	items := []item{{Name: "a"}, {Name: "b`c"}}
	if err := db.Create(&items).Error; err != nil {
		t.Fatal(err)
	}
	if items[0].ID == 0 || items[1].ID != items[0].ID+1 {
		t.Fatalf("ids not filled: %+v", items)
	}
	var got item
	if err := db.First(&got, items[1].ID).Error; err != nil || got != items[1] {
		t.Fatalf("First = %+v, %v; want %+v", got, err, items[1])
	}
	stmt := db.Session(&gorm.Session{DryRun: true}).Where("name = ?", "x").Limit(3).Find(&[]item{}).Statement
	if want := "SELECT * FROM `items` WHERE name = ? LIMIT 3"; stmt.SQL.String() != want {
		t.Errorf("SQL %q, want %q", stmt.SQL.String(), want)
	}
}

func TestQuoteTo(t *testing.T) {
	for in, want := range map[string]string{"a": "`a`", "t.c": "`t`.`c`", "x`y": "`x``y`"} {
		var b strings.Builder
		gormlite.Dialector{}.QuoteTo(&b, in)
		if b.String() != want {
			t.Errorf("QuoteTo(%q) = %s, want %s", in, b.String(), want)
		}
	}
}
