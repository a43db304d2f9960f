package dialect_test

import (
	"errors"
	"fmt"

	"github.com/kingletdb/kinglet/dialect"
	"github.com/kingletdb/kinglet/fields"
)

// Each engine quotes identifiers and string literals its own way and numbers
// placeholders its own way.
func ExampleDialect() {
	for _, d := range []dialect.Dialect{dialect.SQLite, dialect.Postgres, dialect.MySQL} {
		var b []byte
		b = d.AppendIdent(b, `odd "name"`)
		b = append(b, " = "...)
		b = d.AppendPlaceholder(b, 1)
		b = append(b, " OR x = "...)
		b = d.AppendString(b, `it's C:\tmp`)
		fmt.Printf("%-8s %s\n", d.Name(), b)
	}
	// Output:
	// sqlite   "odd ""name""" = ? OR x = 'it''s C:\tmp'
	// postgres "odd ""name""" = $1 OR x = 'it''s C:\tmp'
	// mysql    `odd "name"` = ? OR x = 'it''s C:\\tmp'
}

// ForVersion matches the feature set to the server, so that the query
// builder refuses what an older server would reject.
func ExampleForVersion() {
	d, err := dialect.ForVersion("mysql", "10.11.19-MariaDB-0+deb12u1")
	if err != nil {
		panic(err)
	}
	fmt.Println(d, d.Has(dialect.InsertReturning))

	old, _ := dialect.ForVersion("sqlite", "3.31.1")
	fmt.Println(old, old.Has(dialect.InsertReturning), old.Has(dialect.UpdateFrom))
	// Output:
	// mariadb 10.11.19 true
	// sqlite 3.31.1 false false
}

func ExampleParseVersion() {
	v, _ := dialect.ParseVersion("PostgreSQL 15.20 (Debian 15.20-0+deb12u1) on x86_64-pc-linux-gnu")
	fmt.Println(v, v.AtLeast(15, 0, 0))
	// Output: 15.20.0 true
}

func ExampleRequire() {
	err := dialect.Require(dialect.MySQL, dialect.FullJoin)
	fmt.Println(errors.Is(err, dialect.ErrUnsupported))
	fmt.Println(err)
	// Output:
	// true
	// kinglet: not supported by this dialect: FULL JOIN on mysql 8.0.31
}

func ExampleFeature_String() {
	fmt.Println(dialect.LockOf, "|", dialect.AggregateFilter)
	// Output: FOR UPDATE OF | aggregate FILTER (WHERE …)
}

func ExampleDialect_TypeName() {
	ct := fields.ColumnType{Kind: fields.KindDecimal, Precision: 12, Scale: 2}
	for _, d := range []dialect.Dialect{dialect.SQLite, dialect.Postgres, dialect.MySQL} {
		name, _ := d.TypeName(ct)
		fmt.Println(d.Name(), name)
	}
	_, err := dialect.MySQL.TypeName(fields.ColumnType{Kind: fields.KindDecimal})
	fmt.Println(err != nil)
	// Output:
	// sqlite NUMERIC(12,2)
	// postgres NUMERIC(12,2)
	// mysql DECIMAL(12,2)
	// true
}
