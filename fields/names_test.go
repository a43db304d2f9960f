package fields_test

import (
	"testing"

	"github.com/kingletdb/kinglet/fields"
)

func TestSnakeCase(t *testing.T) {
	for in, want := range map[string]string{
		"":            "",
		"ID":          "id",
		"Id":          "id",
		"A":           "a",
		"Name":        "name",
		"UserID":      "user_id",
		"userID":      "user_id",
		"HTTPServer":  "http_server",
		"CreatedAt":   "created_at",
		"URL":         "url",
		"ParseURLNow": "parse_url_now",
		"Address2":    "address2",
		"V2Name":      "v2_name",
		"Sha256Sum":   "sha256_sum",
		"OAuth2Token": "o_auth2_token",
		"Foo_Bar":     "foo_bar",
		"already_ok":  "already_ok",
		"ÜberName":    "über_name",
	} {
		equal(t, fields.SnakeCase(in), want, "SnakeCase("+in+")")
	}
}

func TestPlural(t *testing.T) {
	for in, want := range map[string]string{
		"user":         "users",
		"category":     "categories",
		"day":          "days",
		"key":          "keys",
		"status":       "statuses",
		"address":      "addresses",
		"box":          "boxes",
		"quiz":         "quizes",
		"match":        "matches",
		"dish":         "dishes",
		"person":       "people",
		"child":        "children",
		"man":          "men",
		"human":        "humans",
		"data":         "data",
		"news":         "news",
		"user_address": "user_addresses",
		"sales_person": "sales_people",
		"order_item":   "order_items",
		"y":            "ys",
		"":             "",
		"trailing_":    "trailing_",
	} {
		equal(t, fields.Plural(in), want, "Plural("+in+")")
	}
}

type User struct {
	ID int64 `db:"id,pk"`
}
type Category struct {
	ID int64 `db:"id,pk"`
}
type Person struct {
	ID int64 `db:"id,pk"`
}
type OrderItem struct {
	ID int64 `db:"id,pk"`
}
type HTTPLog struct {
	ID int64 `db:"id,pk"`
}
type Box struct {
	ID int64 `db:"id,pk"`
}
type Page[T any] struct {
	Items T `db:"items,json"`
}

type Legacy struct {
	ID int64 `db:"id,pk"`
}

func (Legacy) TableName() string { return "tbl_legacy" }

type LegacyPtr struct {
	ID int64 `db:"id,pk"`
}

func (*LegacyPtr) TableName() string { return "legacy_ptr" }

func TestTableNames(t *testing.T) {
	equal(t, mustTable[User](t).Name, "users", "User")
	equal(t, mustTable[*User](t).Name, "users", "*User")
	equal(t, mustTable[Category](t).Name, "categories", "Category")
	equal(t, mustTable[Person](t).Name, "people", "Person")
	equal(t, mustTable[OrderItem](t).Name, "order_items", "OrderItem")
	equal(t, mustTable[HTTPLog](t).Name, "http_logs", "HTTPLog")
	equal(t, mustTable[Box](t).Name, "boxes", "Box")
	equal(t, mustTable[Page[[]int]](t).Name, "pages", "Page[[]int]")
	equal(t, mustTable[Legacy](t).Name, "tbl_legacy", "Legacy (value receiver)")
	equal(t, mustTable[LegacyPtr](t).Name, "legacy_ptr", "LegacyPtr (pointer receiver)")
	equal(t, mustTable[struct{ A int }](t).Name, "", "unnamed struct")
}
