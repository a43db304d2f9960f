package fields_test

import (
	"fmt"
	"time"

	"github.com/kingletdb/kinglet/fields"
)

func Example() {
	type Tweet struct {
		ID        int64     `db:"id,pk"`
		UserID    int64     `db:"user_id,fk:users.id,on_delete:cascade,index"`
		Content   string    `db:"content,size:280,check:length(content) > 0"`
		Lang      *string   // nullable, column "lang"
		CreatedAt time.Time `db:",default:now"`
	}
	t, err := fields.TableFor[Tweet]()
	if err != nil {
		panic(err)
	}
	fmt.Println(t.Name, "auto:", t.Auto.Column)
	for _, f := range t.Fields {
		fmt.Printf("%-10s %-6s nullable=%-5v %+v\n", f.Column, f.Kind, f.Nullable, f.ColumnType())
	}
	fmt.Println(t.Indexes[0].Name, t.ForeignKeys[0].RefTable, t.ForeignKeys[0].OnDelete, t.Checks)
	// Output:
	// tweets auto: id
	// id         int64  nullable=false {Kind:int64 Size:0 Precision:0 Scale:0 AutoInc:true Key:true}
	// user_id    int64  nullable=false {Kind:int64 Size:0 Precision:0 Scale:0 AutoInc:false Key:true}
	// content    string nullable=false {Kind:string Size:280 Precision:0 Scale:0 AutoInc:false Key:false}
	// lang       string nullable=true  {Kind:string Size:0 Precision:0 Scale:0 AutoInc:false Key:false}
	// created_at time   nullable=false {Kind:time Size:0 Precision:0 Scale:0 AutoInc:false Key:false}
	// idx_tweets_user_id users cascade [length(content) > 0]
}

func ExampleField_Ptr() {
	type Item struct {
		ID    int64  `db:"id,pk"`
		Title string `db:"title"`
	}
	t, _ := fields.TableFor[Item]()
	var it Item
	p, _ := t.Pointer(&it)

	// What rows.Scan would do with dest[i] = f.Ptr(p):
	*t.Fields[0].Ptr(p).(*int64) = 7
	*t.Fields[1].Ptr(p).(*string) = "hello"
	fmt.Printf("%+v\n", it)

	// And the bind arguments for an INSERT:
	fmt.Println(t.Fields[0].Value(p), t.Fields[1].Value(p))
	// Output:
	// {ID:7 Title:hello}
	// 7 hello
}

func ExampleJSON() {
	var j fields.JSON[map[string][]int]
	_ = j.Scan([]byte(`{"primes":[2,3,5]}`))
	fmt.Println(j.V["primes"])
	v, _ := j.Value()
	fmt.Println(v)
	// Output:
	// [2 3 5]
	// {"primes":[2,3,5]}
}
