package orm_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/kingletdb/kinglet/orm"
)

type exNode struct {
	ID   int64  `db:"id,pk"`
	Name string `db:"name"`
}

func (exNode) TableName() string { return "ex_nodes" }

// A DB with a replica reads from it, and from the primary under
// OnPrimary. (Here each node is a SQLite file of its own, holding a row
// that names it; a real replica replays the primary's writes.)
func ExampleDB_WithReplicas() {
	ctx := context.Background()
	dir, err := os.MkdirTemp("", "kinglet-example")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	open := func(name string) *orm.DB {
		db, err := orm.Open(ctx, "sqlite:"+filepath.Join(dir, name+".db"))
		if err != nil {
			panic(err)
		}
		if err := db.CreateTables(ctx, &exNode{}); err != nil {
			panic(err)
		}
		if err := db.Insert(ctx, &exNode{Name: name}); err != nil {
			panic(err)
		}
		return db
	}
	db, err := open("primary").WithReplicas(ctx, []*orm.DB{open("replica")})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer db.Close()

	row, _ := orm.Select[exNode](db).First(ctx)
	fmt.Println("read from", row.Name)
	row, _ = orm.Select[exNode](db).First(orm.OnPrimary(ctx))
	fmt.Println("OnPrimary: read from", row.Name)
	for _, n := range db.Stats() {
		fmt.Println(n.Name, n.State, n.Reads)
	}
	// Output:
	// read from replica
	// OnPrimary: read from primary
	// primary up 1
	// replica1 up 1
}
