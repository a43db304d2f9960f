package orm_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/kingletdb/kinglet/orm"
	"github.com/kingletdb/kinglet/query"
)

// Example opens an in-memory SQLite database, creates a table from a model,
// inserts rows and reads them back.
func Example() {
	type User struct {
		ID        int64     `db:"id,pk"` // integer pk: auto-increment
		Username  string    `db:"username,unique,size:64"`
		Email     *string   `db:"email"` // pointer: nullable
		Active    bool      `db:"active"`
		CreatedAt time.Time `db:"created_at,default:now"`
	}
	ctx := context.Background()
	db, err := orm.Open(ctx, "sqlite::memory:")
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	if err := db.CreateTables(ctx, &User{}); err != nil {
		log.Fatal(err)
	}
	for _, name := range []string{"alice", "bob", "anna"} {
		u := &User{Username: name, Active: name != "bob"}
		if err := db.Insert(ctx, u); err != nil {
			log.Fatal(err)
		}
		fmt.Println("inserted", u.Username, "with id", u.ID, "created_at filled:", !u.CreatedAt.IsZero())
	}

	U := query.Table("users")
	users, err := orm.Select[User](db).
		Where(U.C("username").Like("a%"), U.C("active").Eq(true)).
		OrderBy(U.C("username")).
		All(ctx)
	if err != nil {
		log.Fatal(err)
	}
	for _, u := range users {
		fmt.Println(u.ID, u.Username)
	}
	n, _ := orm.Select[User](db).Count(ctx)
	fmt.Println("count:", n)
	_, err = orm.Get[User](ctx, db, int64(42))
	fmt.Println("not found:", errors.Is(err, orm.ErrNotFound))
	// Output:
	// inserted alice with id 1 created_at filled: true
	// inserted bob with id 2 created_at filled: true
	// inserted anna with id 3 created_at filled: true
	// 1 alice
	// 3 anna
	// count: 3
	// not found: true
}

// A transaction commits when the function returns nil and rolls back when it
// returns an error; a nested Tx is a savepoint.
func ExampleDB_Tx() {
	type Account struct {
		ID      int64  `db:"id,pk"`
		Owner   string `db:"owner"`
		Balance int    `db:"balance"`
	}
	ctx := context.Background()
	db, err := orm.Open(ctx, "sqlite::memory:")
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	if err := db.CreateTables(ctx, &Account{}); err != nil {
		log.Fatal(err)
	}
	a, b := &Account{Owner: "a", Balance: 100}, &Account{Owner: "b"}
	_ = db.Insert(ctx, a)
	_ = db.Insert(ctx, b)

	transfer := func(amount int) error {
		return db.Tx(ctx, func(tx *orm.Tx) error {
			a.Balance -= amount
			b.Balance += amount
			if err := tx.Update(ctx, a, "balance"); err != nil {
				return err
			}
			if err := tx.Update(ctx, b, "balance"); err != nil {
				return err
			}
			if a.Balance < 0 {
				return errors.New("insufficient funds")
			}
			return nil
		})
	}
	fmt.Println(transfer(30))
	fmt.Println(transfer(500))

	balances, _ := orm.Pluck[int](ctx, orm.Select[Account](db).OrderBy(query.C("id")), query.C("balance"))
	fmt.Println(balances)

	// Nested: the inner failure undoes only the inner work.
	_ = db.Tx(ctx, func(tx *orm.Tx) error {
		_ = tx.Insert(ctx, &Account{Owner: "c"})
		err := tx.Tx(ctx, func(inner *orm.Tx) error {
			_ = inner.Insert(ctx, &Account{Owner: "d"})
			return errors.New("changed my mind")
		})
		fmt.Println("inner:", err)
		return nil
	})
	owners, _ := orm.Pluck[string](ctx, orm.Select[Account](db).OrderBy(query.C("id")), query.C("owner"))
	fmt.Println(owners)
	// Output:
	// <nil>
	// insufficient funds
	// [70 30]
	// inner: changed my mind
	// [a b c]
}

// Upsert inserts a row, or updates the row with the same unique key; either
// way the model's key is filled in.
func ExampleDB_Upsert() {
	type Setting struct {
		ID    int64  `db:"id,pk"`
		Key   string `db:"key,unique,size:64"`
		Value string `db:"value"`
	}
	ctx := context.Background()
	db, err := orm.Open(ctx, "sqlite::memory:")
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	_ = db.CreateTables(ctx, &Setting{})
	_ = db.Insert(ctx, &Setting{Key: "lang", Value: "en"})

	s := &Setting{Key: "theme", Value: "light"}
	_ = db.Upsert(ctx, s, "key")
	fmt.Println("inserted:", s.ID, s.Key, s.Value)
	s2 := &Setting{Key: "theme", Value: "dark"}
	_ = db.Upsert(ctx, s2, "key")
	fmt.Println("updated:", s2.ID, s2.Key, s2.Value)
	n, _ := orm.Select[Setting](db).Count(ctx)
	fmt.Println("rows:", n)
	// Output:
	// inserted: 2 theme light
	// updated: 2 theme dark
	// rows: 2
}

// InsertMany writes many rows with few multi-row INSERTs and fills their keys.
func ExampleDB_InsertMany() {
	type Point struct {
		ID   int64 `db:"id,pk"`
		X, Y int
	}
	ctx := context.Background()
	db, err := orm.Open(ctx, "sqlite::memory:")
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	_ = db.CreateTables(ctx, &Point{})
	points := []Point{{X: 1, Y: 2}, {X: 3, Y: 4}, {X: 5, Y: 6}}
	if err := db.InsertMany(ctx, points); err != nil {
		log.Fatal(err)
	}
	for _, p := range points {
		fmt.Println(p.ID, p.X, p.Y)
	}
	// Output:
	// 1 1 2
	// 2 3 4
	// 3 5 6
}

// Update changes many rows at once and reports how many; without a Where it
// refuses to run unless AllRows says so.
func ExampleUpdate() {
	type Task struct {
		ID   int64  `db:"id,pk"`
		Done bool   `db:"done"`
		Tag  string `db:"tag"`
	}
	ctx := context.Background()
	db, err := orm.Open(ctx, "sqlite::memory:")
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	_ = db.CreateTables(ctx, &Task{})
	_ = db.InsertMany(ctx, []Task{{Tag: "home"}, {Tag: "work"}, {Tag: "home"}})

	T := query.Table("tasks")
	n, err := orm.Update[Task](db).Set("done", true).Where(T.C("tag").Eq("home")).Exec(ctx)
	fmt.Println(n, err)
	_, err = orm.Update[Task](db).Set("done", false).Exec(ctx)
	fmt.Println(errors.Is(err, query.ErrNoWhere))
	n, err = orm.Delete[Task](db).Where(T.C("done").Eq(true)).Exec(ctx)
	fmt.Println(n, err)
	// Output:
	// 2 <nil>
	// true
	// 2 <nil>
}

// Field makes a typed column handle from a model field: its comparisons take
// the field's Go type, so a wrong value type does not compile.
func ExampleField() {
	type Product struct {
		ID    int64   `db:"id,pk"`
		Name  string  `db:"name"`
		Price float64 `db:"price"`
	}
	Name := orm.Field(func(p *Product) *string { return &p.Name })
	Price := orm.Field(func(p *Product) *float64 { return &p.Price })

	ctx := context.Background()
	db, err := orm.Open(ctx, "sqlite::memory:")
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	_ = db.CreateTables(ctx, &Product{})
	_ = db.InsertMany(ctx, []Product{{Name: "pen", Price: 1.5}, {Name: "book", Price: 12}, {Name: "lamp", Price: 30}})

	cheap, _ := orm.Select[Product](db).Where(Price.Lt(20)).OrderBy(Price.Desc()).All(ctx)
	for _, p := range cheap {
		fmt.Println(p.Name, p.Price)
	}
	// Price.Eq("cheap") would not compile.
	n, _ := orm.Update[Product](db).SetAll(Price.Set(10)).Where(Name.In("pen", "lamp")).Exec(ctx)
	fmt.Println("repriced:", n, "column:", Price.Name())
	// Output:
	// book 12
	// pen 1.5
	// repriced: 2 column: price
}

// Iter streams rows one at a time; breaking out of the loop closes them.
func ExampleSelectQuery_Iter() {
	type Event struct {
		ID   int64  `db:"id,pk"`
		Kind string `db:"kind"`
	}
	ctx := context.Background()
	db, err := orm.Open(ctx, "sqlite::memory:")
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	_ = db.CreateTables(ctx, &Event{})
	_ = db.InsertMany(ctx, []Event{{Kind: "start"}, {Kind: "tick"}, {Kind: "tick"}, {Kind: "stop"}})

	for e, err := range orm.Select[Event](db).OrderBy(query.C("id")).Iter(ctx) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(e.ID, e.Kind)
		if e.Kind == "stop" || e.ID == 3 {
			break
		}
	}
	fmt.Println("connections in use:", db.SQL().Stats().InUse)
	// Output:
	// 1 start
	// 2 tick
	// 3 tick
	// connections in use: 0
}

// GetOrCreate returns the row with the given unique values, creating it if
// needed; concurrent callers end up with the same row.
func ExampleGetOrCreate() {
	type Tag struct {
		ID   int64  `db:"id,pk"`
		Name string `db:"name,unique,size:32"`
	}
	ctx := context.Background()
	db, err := orm.Open(ctx, "sqlite::memory:")
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	_ = db.CreateTables(ctx, &Tag{})
	t1 := &Tag{Name: "go"}
	created, _ := orm.GetOrCreate(ctx, db, t1, "name")
	fmt.Println(t1.ID, created)
	t2 := &Tag{Name: "go"}
	created, _ = orm.GetOrCreate(ctx, db, t2, "name")
	fmt.Println(t2.ID, created)
	// Output:
	// 1 true
	// 1 false
}
