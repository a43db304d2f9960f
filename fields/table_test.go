package fields_test

import (
	"database/sql"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/kingletdb/kinglet/fields"
)

type Account struct {
	ID        int64     `db:"id,pk"`
	UserName  string    `db:"username,unique,size:64"`
	Email     *string   `db:"email"`
	Active    bool      `db:"active,default:true"`
	CreatedAt time.Time `db:"created_at,default:now"`
	Nickname  string
	Skipped   string `db:"-"`
	secret    string //nolint:unused // unexported: ignored
}

func TestTableBasics(t *testing.T) {
	tab := mustTable[Account](t)
	equal(t, tab.Name, "accounts", "Name")
	equal(t, tab.Type, reflect.TypeFor[Account](), "Type")
	equal(t, columns(tab), []string{"id", "username", "email", "active", "created_at", "nickname"}, "columns")
	equal(t, tab.Columns(), []string{"id", "username", "email", "active", "created_at", "nickname"}, "Columns()")
	equal(t, len(tab.PK), 1, "len(PK)")
	equal(t, tab.PK[0].Column, "id", "PK[0]")
	equal(t, tab.Auto, tab.PK[0], "Auto")
	equal(t, tab.Indexes, []fields.Index{{Name: "uq_accounts_username", Columns: []string{"username"}, Unique: true}}, "Indexes")

	email, ok := tab.FieldByColumn("email")
	equal(t, ok, true, "FieldByColumn(email) ok")
	equal(t, email.GoName, "Email", "email.GoName")
	equal(t, email.Index, []int{2}, "email.Index")
	equal(t, email.Nullable, true, "email.Nullable")
	f, ok := tab.FieldByColumn("EMAIL")
	equal(t, [2]any{f, ok}, [2]any{email, true}, "FieldByColumn ignores case")
	f, ok = tab.FieldByName("Email")
	equal(t, [2]any{f, ok}, [2]any{email, true}, "FieldByName(Email)")
	_, ok = tab.FieldByColumn("nope")
	equal(t, ok, false, "FieldByColumn(nope)")
	_, ok = tab.FieldByName("Skipped")
	equal(t, ok, false, "FieldByName(Skipped)")
	_, ok = tab.FieldByName("secret")
	equal(t, ok, false, "FieldByName(secret)")
}

type Timestamps struct {
	CreatedAt time.Time  `db:"created_at,default:now"`
	UpdatedAt *time.Time `db:"updated_at"`
}

type SoftDelete struct {
	DeletedAt sql.NullTime `db:"deleted_at,index"`
}

type audit struct {
	By string
}

type Article struct {
	ID int64 `db:"id,pk"`
	Timestamps
	*SoftDelete
	audit
	Title   string
	Ignored Timestamps `db:"-"`
	time.Time
}

func TestEmbedded(t *testing.T) {
	tab := mustTable[Article](t)
	equal(t, columns(tab), []string{"id", "created_at", "updated_at", "deleted_at", "by", "title", "time"}, "columns")
	tests := []struct {
		column string
		index  []int
		goName string
	}{
		{"id", []int{0}, "ID"},
		{"created_at", []int{1, 0}, "CreatedAt"},
		{"updated_at", []int{1, 1}, "UpdatedAt"},
		{"deleted_at", []int{2, 0}, "DeletedAt"},
		{"by", []int{3, 0}, "By"},
		{"title", []int{4}, "Title"},
		{"time", []int{6}, "Time"},
	}
	for _, tc := range tests {
		f, ok := tab.FieldByColumn(tc.column)
		if !ok {
			t.Fatalf("no column %s", tc.column)
		}
		equal(t, f.Index, tc.index, tc.column+" Index")
		equal(t, f.GoName, tc.goName, tc.column+" GoName")
		// The index path must reach the same field through reflect.
		equal(t, reflect.TypeFor[Article]().FieldByIndex(f.Index).Name, tc.goName, tc.column+" via reflect")
	}
	equal(t, tab.Indexes, []fields.Index{{Name: "idx_articles_deleted_at", Columns: []string{"deleted_at"}}}, "Indexes")
}

type Base struct {
	ID   int64  `db:"id,pk"`
	Note string `db:"note"`
}

type Override struct {
	Base
	Note string `db:"remark"` // hides Base.Note, as in Go
}

func TestShallowerFieldHidesEmbedded(t *testing.T) {
	tab := mustTable[Override](t)
	equal(t, columns(tab), []string{"id", "remark"}, "columns")
	f, _ := tab.FieldByName("Note")
	equal(t, f.Index, []int{1}, "Note.Index")
}

type Membership struct {
	UserID  int64     `db:"user_id,pk,fk:users.id,on_delete:cascade"`
	GroupID int64     `db:"group_id,pk,fk:groups.id,on_delete:cascade,on_update:cascade"`
	Role    string    `db:"role,default:member,check:role IN ('member','admin')"`
	Since   time.Time `db:"since,index:idx_member_since,index:idx_member_role_since"`
	Rank    int       `db:"rank,unique_index:uq_member_role_rank,check:rank >= 0"`
	Role2   string    `db:"role2,unique_index:uq_member_role_rank,index:idx_member_role_since"`
}

func TestCompositeKeyIndexesForeignKeys(t *testing.T) {
	tab := mustTable[Membership](t)
	equal(t, len(tab.PK), 2, "len(PK)")
	equal(t, [2]string{tab.PK[0].Column, tab.PK[1].Column}, [2]string{"user_id", "group_id"}, "PK")
	equal(t, tab.Auto, (*fields.Field)(nil), "Auto")
	for _, f := range tab.PK {
		equal(t, f.Auto, false, f.Column+".Auto")
		equal(t, f.Nullable, false, f.Column+".Nullable")
	}
	equal(t, tab.Indexes, []fields.Index{
		{Name: "idx_member_since", Columns: []string{"since"}},
		{Name: "idx_member_role_since", Columns: []string{"since", "role2"}},
		{Name: "uq_member_role_rank", Columns: []string{"rank", "role2"}, Unique: true},
	}, "Indexes")
	rank, _ := tab.FieldByColumn("rank")
	equal(t, [2]bool{rank.Indexed, rank.Unique}, [2]bool{true, false}, "rank Indexed, Unique")
	equal(t, tab.ForeignKeys, []fields.ForeignKey{
		{Name: "fk_memberships_user_id", Columns: []string{"user_id"}, RefTable: "users", RefColumns: []string{"id"},
			OnDelete: fields.ActionCascade},
		{Name: "fk_memberships_group_id", Columns: []string{"group_id"}, RefTable: "groups", RefColumns: []string{"id"},
			OnDelete: fields.ActionCascade, OnUpdate: fields.ActionCascade},
	}, "ForeignKeys")
	equal(t, tab.PK[0].FK, &tab.ForeignKeys[0], "user_id.FK points into ForeignKeys")
	equal(t, tab.PK[1].FK == &tab.ForeignKeys[1], true, "group_id.FK is &ForeignKeys[1]")
	equal(t, tab.Checks, []string{"role IN ('member','admin')", "rank >= 0"}, "Checks")
}

type Author struct {
	ID      int64      `db:"id,pk"`
	Name    string     `db:"name"`
	Posts   []Post     `rel:"has_many"`
	Profile *Profile   `db:"-" rel:"has_one,fk:OwnerID,references:ID"`
	Tags    []*Tag     `rel:"many_to_many,through:AuthorTag"`
	Friends []Author   `rel:"many_to_many,through:Friendship,fk:AID,join_fk:BID"`
	Drafts  []Post     `db:"-"`
	Editor  *Author    `db:"-"`
	Meta    Timestamps `db:"-"`
}

type Post struct {
	ID       int64   `db:"id,pk"`
	AuthorID int64   `db:"author_id,fk:authors.id"`
	Author   *Author `rel:"belongs_to"`
	Writer   Author  `rel:"belongs_to,fk:AuthorID"`
}

type Profile struct {
	ID      int64 `db:"id,pk"`
	OwnerID int64 `db:"owner_id"`
}

type Tag struct {
	ID int64 `db:"id,pk"`
}

func TestRelations(t *testing.T) {
	tab := mustTable[Author](t)
	equal(t, columns(tab), []string{"id", "name"}, "columns")
	want := []fields.Relation{
		{Name: "Posts", Kind: fields.HasMany, Index: []int{2}, Type: reflect.TypeFor[[]Post](), Target: reflect.TypeFor[Post](),
			FK: "AuthorID", Tag: "has_many"},
		{Name: "Profile", Kind: fields.HasOne, Index: []int{3}, Type: reflect.TypeFor[*Profile](), Target: reflect.TypeFor[Profile](),
			FK: "OwnerID", References: "ID", Tag: "has_one,fk:OwnerID,references:ID"},
		{Name: "Tags", Kind: fields.ManyToMany, Index: []int{4}, Type: reflect.TypeFor[[]*Tag](), Target: reflect.TypeFor[Tag](),
			FK: "AuthorID", Through: "AuthorTag", JoinFK: "TagID", Tag: "many_to_many,through:AuthorTag"},
		{Name: "Friends", Kind: fields.ManyToMany, Index: []int{5}, Type: reflect.TypeFor[[]Author](), Target: reflect.TypeFor[Author](),
			FK: "AID", Through: "Friendship", JoinFK: "BID", Tag: "many_to_many,through:Friendship,fk:AID,join_fk:BID"},
	}
	equal(t, len(tab.Relations), len(want), "len(Relations)")
	for i, r := range tab.Relations {
		got := fields.Relation{Name: r.Name, Kind: r.Kind, Index: r.Index, Type: r.Type, Target: r.Target,
			FK: r.FK, References: r.References, Through: r.Through, JoinFK: r.JoinFK, Tag: r.Tag}
		equal(t, got, want[i], "Relations["+r.Name+"]")
	}
	r, ok := tab.Relation("Tags")
	equal(t, [2]any{r, ok}, [2]any{tab.Relations[2], true}, "Relation(Tags)")

	post := mustTable[Post](t)
	equal(t, columns(post), []string{"id", "author_id"}, "Post columns")
	equal(t, [2]string{post.Relations[0].FK, post.Relations[1].FK}, [2]string{"AuthorID", "AuthorID"}, "belongs_to FKs")
	equal(t, post.Relations[0].Kind.String(), "belongs_to", "Kind.String")
	equal(t, fields.RelKind(9).String(), "relkind(9)", "RelKind(9).String")
}

func TestCachedTable(t *testing.T) {
	a, err := fields.TableFor[Account]()
	noError(t, err)
	b, err := fields.TableFor[*Account]()
	noError(t, err)
	c, err := fields.Of(&Account{})
	noError(t, err)
	d, err := fields.Of(Account{})
	noError(t, err)
	if a != b || a != c || a != d {
		t.Fatal("TableFor/Of returned different *Table values for one type")
	}
}

func TestConcurrentFirstUse(t *testing.T) {
	// A fresh struct type, so that this test is its first use.
	typ := reflect.StructOf([]reflect.StructField{
		{Name: "ID", Type: reflect.TypeFor[int64](), Tag: `db:"id,pk"`},
		{Name: "Name", Type: reflect.TypeFor[string](), Tag: `db:"name,size:7,index"`},
		{Name: "When", Type: reflect.TypeFor[time.Time]()},
	})
	const n = 32
	got := make([]*fields.Table, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			tab, err := fields.TableOf(typ)
			if err != nil {
				t.Error(err)
			}
			got[i] = tab
		})
	}
	wg.Wait()
	for i := range got {
		if got[i] != got[0] {
			t.Fatalf("goroutine %d got a different *Table", i)
		}
	}
	equal(t, columns(got[0]), []string{"id", "name", "when"}, "columns")
}
