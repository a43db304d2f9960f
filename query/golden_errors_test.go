package query_test

import (
	"errors"
	"math"
	"testing"

	"github.com/kingletdb/kinglet/dialect"
	"github.com/kingletdb/kinglet/fields"
	"github.com/kingletdb/kinglet/query"
)

// errorCases are queries that fail to build, on every dialect or on some.
// Constructs that fail only where an engine lacks them also appear, with
// their SQL, in the other groups.
func errorCases() []goldenCase {
	users, tweets := query.Table("users"), query.Table("tweets")
	sel := query.Select(users.C("id")).From(users)
	i64 := fields.ColumnType{Kind: fields.KindInt64}
	return []goldenCase{
		{"update_without_where", query.Update(users).Set("active", false)},
		{"delete_without_where", query.Delete(users)},
		{"update_where_always_true", query.Update(users).Set("active", false).Where(query.And())},
		{"delete_where_always_true", query.Delete(users).Where(query.Or(query.And(), users.C("id").Eq(1)))},
		{"update_without_set", query.Update(users).Where(users.C("id").Eq(1))},
		{"empty_identifier", query.Select(query.C("")).From(users)},
		{"empty_table_name", query.Select().From(query.Table(""))},
		{"empty_alias", query.Select(users.C("id").As("")).From(users)},
		{"nul_in_identifier", query.Select(query.C("a\x00b")).From(users)},
		{"raw_fewer_args_than_placeholders", sel.Where(query.Raw("id = ? OR id = ?", 1))},
		{"raw_more_args_than_placeholders", sel.Where(query.Raw("id = ?", 1, 2))},
		{"raw_args_but_only_quoted_marks", sel.Where(query.Raw("username = '?'", 1))},
		{"derived_table_without_alias", query.Select().From(sel.As(""))},
		{"column_of_derived_table_without_alias", query.Select(sel.As("").C("id")).From(users)},
		{"paginate_page_zero", sel.Paginate(0, 10)},
		{"paginate_size_zero", sel.Paginate(1, 0)},
		{"negative_limit", sel.Limit(-1)},
		{"negative_offset", sel.Offset(-5)},
		{"join_without_on", sel.Join(tweets)},
		{"nil_expression", query.Select(nil).From(users)},
		{"nil_where", sel.Where(nil)},
		{"zero_ex", sel.Where(query.Ex{})},
		{"zero_ex_operand", sel.Where(users.C("id").Eq(query.Ex{}))},
		{"empty_tuple", sel.Where(query.Tuple().Eq(query.Tuple()))},
		{"case_without_when", query.Select(query.Case().Else(1))},
		{"cast_to_injected_type", query.Select(query.C("id").Cast("INT); DROP TABLE users; --"))},
		{"function_name_invalid", query.Select(query.Func("count(*) --"))},
		{"like_escape_not_ascii", sel.Where(users.C("username").LikeEscape("x", 0xe9))},
		{"like_escape_nul", sel.Where(users.C("username").LikeEscape("x", 0))},
		{"negative_frame_offset", query.Select(query.Sum(users.C("id")).Over(query.NewWindow().
			Rows(query.Preceding(-1), query.CurrentRow))).From(users)},
		{"with_inside_compound_member", sel.Union(query.Select(query.C("id")).From(query.Table("x")).
			With(sel.CTE("x")))},
		{"compound_then_where", sel.Union(sel).Where(users.C("id").Gt(1))},
		{"compound_then_lock", sel.Union(sel).ForUpdate()},
		{"compound_then_columns", sel.Union(sel).Columns(users.C("username"))},
		{"insert_without_values", query.Insert(users).Columns("username")},
		{"insert_two_sources", query.Insert(users).Columns("username").Values("a").DefaultValues()},
		{"insert_row_width", query.Insert(users).Columns("username", "email").Values("a", "b").Values("c")},
		{"insert_into_derived_table", query.Insert(sel.As("s")).Values(1)},
		{"upsert_without_action", query.Insert(users).Columns("username").Values("a").
			OnConflict(query.Conflict("username"))},
		{"upsert_do_nothing_without_columns", query.Insert(users).Values(1, "a").
			OnConflict(query.Conflict().DoNothing())},
		{"create_table_without_columns", query.CreateTable(users)},
		{"primary_key_twice", query.CreateTable(users).
			Column(query.ColumnDef{Name: "id", Type: i64, PrimaryKey: true}).PrimaryKey("id")},
		{"auto_increment_not_integer", query.CreateTable(users).Column(query.ColumnDef{Name: "id",
			Type: fields.ColumnType{Kind: fields.KindString, AutoInc: true}, PrimaryKey: true})},
		{"auto_increment_in_composite_key", query.CreateTable(users).Column(
			query.ColumnDef{Name: "id", Type: fields.ColumnType{Kind: fields.KindInt64, AutoInc: true}},
			query.ColumnDef{Name: "k", Type: i64}).PrimaryKey("id", "k")},
		{"decimal_without_precision", query.CreateTable(users).Column(query.ColumnDef{Name: "amount",
			Type: fields.ColumnType{Kind: fields.KindDecimal}})},
		{"sql_type_injected", query.CreateTable(users).Column(query.ColumnDef{Name: "a", SQLType: "INT, b INT"})},
		{"sql_type_unbalanced", query.CreateTable(users).Column(query.ColumnDef{Name: "a", SQLType: "DECIMAL(10,2))"})},
		{"default_not_a_literal", query.CreateTable(users).Column(query.ColumnDef{Name: "a", Type: i64,
			Default: struct{}{}})},
		{"default_nan", query.CreateTable(users).Column(query.ColumnDef{Name: "a",
			Type: fields.ColumnType{Kind: fields.KindFloat64}, Default: math.NaN()})},
		{"foreign_key_bad_action", query.CreateTable(tweets).Column(query.ColumnDef{Name: "user_id", Type: i64}).
			ForeignKey(query.ForeignKey{Columns: []string{"user_id"}, RefTable: users, RefColumns: []string{"id"},
				OnDelete: "EXPLODE"})},
		{"foreign_key_column_count", query.CreateTable(tweets).Column(query.ColumnDef{Name: "user_id", Type: i64}).
			ForeignKey(query.ForeignKey{Columns: []string{"user_id"}, RefTable: users,
				RefColumns: []string{"id", "org"}})},
		{"drop_no_table", query.DropTable()},
		{"index_without_columns", query.CreateIndex("idx", users)},
		{"drop_index_without_table", query.DropIndex("idx", query.TableRef{})},
	}
}

// TestErrorSentinels checks, beyond the golden text, that each refusal wraps
// the right sentinel and names the feature and the dialect.
func TestErrorSentinels(t *testing.T) {
	users, tweets := query.Table("users"), query.Table("tweets")
	sel := query.Select(users.C("id")).From(users)
	ins := query.Insert(users).Columns("username").Values("a")
	all := []dialect.Dialect{dialect.SQLite, dialect.Postgres, dialect.MySQL, dialect.MariaDB}
	cases := []struct {
		name      string
		q         query.Expr
		sentinel  error
		fails     []dialect.Dialect // dialects where it must fail; it must build elsewhere
		fragments []string          // each must appear in the message ({dialect} is checked separately)
	}{
		{"update without where", query.Update(users).Set("a", 1), query.ErrNoWhere, all, []string{"UPDATE users", "AllRows"}},
		{"delete without where", query.Delete(users), query.ErrNoWhere, all, []string{"DELETE FROM users", "AllRows"}},
		{"update where empty and", query.Update(users).Set("a", 1).Where(query.And()), query.ErrNoWhere, all,
			[]string{"UPDATE users", "holds for every row", "AllRows"}},
		{"delete where empty and", query.Delete(users).Where(query.And()), query.ErrNoWhere, all,
			[]string{"DELETE FROM users", "holds for every row", "AllRows"}},
		{"delete where nested empty ands", query.Delete(users).Where(query.And(query.And(), query.And(query.And()))),
			query.ErrNoWhere, all, []string{"DELETE FROM users", "holds for every row"}},
		{"delete where or of empty and", query.Delete(users).Where(query.Or(query.And())), query.ErrNoWhere, all,
			[]string{"DELETE FROM users"}},
		{"delete where or with a true member", query.Delete(users).Where(query.Or(users.C("id").Eq(1), query.And())),
			query.ErrNoWhere, all, []string{"DELETE FROM users"}},
		{"delete where not of empty or", query.Delete(users).Where(query.Not(query.Or())), query.ErrNoWhere, all,
			[]string{"DELETE FROM users"}},
		{"delete where empty not in", query.Delete(users).Where(users.C("id").NotIn()), query.ErrNoWhere, all,
			[]string{"DELETE FROM users"}},
		{"delete where raw 1 = 1", query.Delete(users).Where(query.SQL("1 = 1")), query.ErrNoWhere, all,
			[]string{"DELETE FROM users"}},
		{"delete where true", query.Delete(users).Where(query.V(true)), query.ErrNoWhere, all,
			[]string{"DELETE FROM users"}},
		{"delete where no conditions", query.Delete(users).Where(), query.ErrNoWhere, all,
			[]string{"DELETE FROM users", "has no WHERE"}},
		{"update where true and empty or", query.Update(users).Set("a", 1).Where(query.SQL("TRUE"), query.Not(query.Or())),
			query.ErrNoWhere, all, []string{"UPDATE users"}},
		{"update or where empty", query.Update(users).Set("a", 1).Where(users.C("id").Eq(1)).OrWhere(query.And()),
			query.ErrNoWhere, all, []string{"UPDATE users"}},
		{"delete where and with a false member", query.Delete(users).Where(query.And(query.Or(), query.And())), nil, nil, nil},
		{"delete where empty in", query.Delete(users).Where(users.C("id").In()), nil, nil, nil},
		{"delete where an and with a condition", query.Delete(users).Where(query.And(query.And(), users.C("id").Eq(1))), nil, nil, nil},
		{"update where empty and all rows", query.Update(users).Set("a", 1).Where(query.And()).AllRows(), nil, nil, nil},
		{"update all rows", query.Update(users).Set("a", 1).AllRows(), nil, nil, nil},
		{"delete all rows", query.Delete(users).AllRows(), nil, nil, nil},
		{"distinct on", sel.DistinctOn(users.C("id")), query.ErrUnsupported,
			[]dialect.Dialect{dialect.SQLite, dialect.MySQL, dialect.MariaDB}, []string{"DISTINCT ON"}},
		{"full join", sel.FullJoin(tweets, tweets.C("user_id").Eq(users.C("id"))), query.ErrUnsupported,
			[]dialect.Dialect{dialect.MySQL, dialect.MariaDB}, []string{"FULL JOIN"}},
		{"for update", sel.ForUpdate(), query.ErrUnsupported, []dialect.Dialect{dialect.SQLite}, []string{"FOR UPDATE"}},
		{"for share", sel.ForShare(), query.ErrUnsupported, []dialect.Dialect{dialect.SQLite}, []string{"FOR SHARE"}},
		{"for update of", sel.ForUpdate(query.Of(users), query.NoWait), query.ErrUnsupported,
			[]dialect.Dialect{dialect.SQLite, dialect.MariaDB}, []string{"FOR UPDATE"}},
		{"for no key update", sel.ForNoKeyUpdate(), query.ErrUnsupported,
			[]dialect.Dialect{dialect.SQLite, dialect.MySQL, dialect.MariaDB}, []string{"FOR NO KEY UPDATE"}},
		{"insert returning", ins.Returning(users.C("id")), query.ErrUnsupported,
			[]dialect.Dialect{dialect.MySQL}, []string{"RETURNING"}},
		{"update returning", query.Update(users).Set("a", 1).Where(users.C("id").Eq(1)).Returning(users.C("id")),
			query.ErrUnsupported, []dialect.Dialect{dialect.MySQL, dialect.MariaDB}, []string{"UPDATE … RETURNING"}},
		{"delete returning", query.Delete(users).Where(users.C("id").Eq(1)).Returning(users.C("id")),
			query.ErrUnsupported, []dialect.Dialect{dialect.MySQL}, []string{"DELETE … RETURNING"}},
		{"upsert where", ins.OnConflict(query.Conflict("username").Update("username").Where(users.C("id").Gt(1))),
			query.ErrUnsupported, []dialect.Dialect{dialect.MySQL, dialect.MariaDB}, []string{"WHERE on an upsert"}},
		{"upsert on constraint", ins.OnConflict(query.Conflict().OnConstraint("c").DoNothing()),
			query.ErrUnsupported, []dialect.Dialect{dialect.SQLite, dialect.MySQL, dialect.MariaDB}, nil},
		{"index if not exists", query.CreateIndex("i", users, "a").IfNotExists(), query.ErrUnsupported,
			[]dialect.Dialect{dialect.MySQL}, []string{"CREATE INDEX IF NOT EXISTS"}},
		{"drop index if exists", query.DropIndex("i", users).IfExists(), query.ErrUnsupported,
			[]dialect.Dialect{dialect.MySQL}, []string{"DROP INDEX IF EXISTS"}},
		{"partial index", query.CreateIndex("i", users, "a").Where(query.C("a").Gt(1)), query.ErrUnsupported,
			[]dialect.Dialect{dialect.MySQL, dialect.MariaDB}, []string{"partial index"}},
		{"drop table cascade", query.DropTable(users).Cascade(), query.ErrUnsupported,
			[]dialect.Dialect{dialect.SQLite, dialect.MySQL, dialect.MariaDB}, []string{"CASCADE"}},
		{"drop many tables", query.DropTable(users, tweets), query.ErrUnsupported,
			[]dialect.Dialect{dialect.SQLite}, []string{"DROP TABLE of several tables"}},
		{"materialized cte", query.Select().With(sel.CTE("x").Materialized()).From(query.Table("x")),
			query.ErrUnsupported, []dialect.Dialect{dialect.MySQL, dialect.MariaDB}, []string{"MATERIALIZED"}},
		{"intersect", sel.Intersect(sel), nil, nil, nil},
		{"limit in an IN subquery", sel.Where(users.C("id").In(query.Select(tweets.C("user_id")).From(tweets).Limit(1))),
			query.ErrUnsupported, []dialect.Dialect{dialect.MySQL, dialect.MariaDB}, []string{"LIMIT in an IN subquery"}},
		{"where after union", sel.Union(sel).Where(users.C("id").Eq(1)), query.ErrInvalid, all,
			[]string{"compound", "OrderBy, Limit and Offset"}},
		{"lock after union", sel.Union(sel).ForUpdate(), query.ErrInvalid, all, []string{"compound"}},
		{"fk set default", query.CreateTable(tweets).Column(query.ColumnDef{Name: "u",
			Type: fields.ColumnType{Kind: fields.KindInt64}}).ForeignKey(query.ForeignKey{Columns: []string{"u"},
			RefTable: users, RefColumns: []string{"id"}, OnDelete: "SET DEFAULT"}),
			query.ErrUnsupported, []dialect.Dialect{dialect.MySQL, dialect.MariaDB}, []string{"SET DEFAULT"}},
		{"empty identifier", query.Select(query.C("")), query.ErrInvalid, all, []string{"empty identifier"}},
		{"raw too few args", query.Raw("a = ? AND b = ?", 1), query.ErrInvalid, all, []string{"more ? than"}},
		{"raw too many args", query.Raw("a = ?", 1, 2), query.ErrInvalid, all, []string{"1 ? but 2 argument(s)"}},
		{"raw with $1", query.Raw("a = $1 AND b = ?", 1), query.ErrInvalid, all, []string{"$1 is a positional parameter", "write ?"}},
		{"raw with $1 quoted or in a name", query.Raw("a$1 = '$1' AND b = ?", 1), nil, nil, nil},
		{"derived table without alias", query.Select().From(sel.As("")), query.ErrInvalid, all,
			[]string{"derived table needs an alias"}},
		{"paginate zero", sel.Paginate(0, 10), query.ErrInvalid, all, []string{"Paginate(0, 10)"}},
		{"negative limit", sel.Limit(-1), query.ErrInvalid, all, []string{"LIMIT -1"}},
		{"negative offset", sel.Offset(-1), query.ErrInvalid, all, []string{"OFFSET -1"}},
		{"join without on", sel.LeftJoin(tweets), query.ErrInvalid, all, []string{"LEFT JOIN without ON"}},
		{"join using without columns", sel.JoinUsing(tweets), query.ErrInvalid, all, []string{"JOIN USING without columns"}},
		{"nil expression", sel.Where(nil), query.ErrInvalid, all, []string{"nil expression"}},
		{"insert without source", query.Insert(users), query.ErrInvalid, all, []string{"INSERT INTO users"}},
	}
	for _, c := range cases {
		for _, d := range all {
			fails := false
			for _, f := range c.fails {
				fails = fails || f == d
			}
			if !fails {
				if _, _, err := query.Build(d, c.q); err != nil {
					t.Errorf("%s on %s: unexpected error %v", c.name, d, err)
				}
				continue
			}
			frags := c.fragments
			if errors.Is(c.sentinel, query.ErrUnsupported) {
				frags = append(frags[:len(frags):len(frags)], d.String()) // names the dialect and version
			}
			t.Run(c.name+"/"+d.Name(), func(t *testing.T) { expectErr(t, d, c.q, c.sentinel, frags...) })
		}
	}
}

// TestOlderEngineVersions checks that ForVersion dialects refuse what the
// older server would reject, or fall back to the older spelling.
func TestOlderEngineVersions(t *testing.T) {
	must := func(engine, version string) dialect.Dialect {
		d, err := dialect.ForVersion(engine, version)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	users, tweets := query.Table("users"), query.Table("tweets")
	sqlite331 := must("sqlite", "3.31.1")
	sqlite338 := must("sqlite", "3.38.5")
	maria104 := must("mysql", "10.4.32-MariaDB")
	mysql57 := must("mysql", "5.7.44")

	expectErr(t, sqlite331, query.Insert(users).Values(1).Returning(users.C("id")), query.ErrUnsupported,
		"INSERT … RETURNING", "sqlite 3.31.1")
	expectErr(t, must("sqlite", "3.24.0"), query.Select(query.CountAll().Over(query.NewWindow())),
		query.ErrUnsupported, "window functions")
	expectErr(t, sqlite338, query.Select().From(users).FullJoin(tweets, tweets.C("user_id").Eq(users.C("id"))),
		query.ErrUnsupported, "FULL JOIN", "sqlite 3.38.5")
	expectErr(t, sqlite331, query.Update(users).Set("a", 1).From(tweets).Where(tweets.C("id").Eq(users.C("id"))),
		query.ErrUnsupported, "UPDATE … FROM")
	expectErr(t, maria104, query.Delete(users).Where(users.C("id").Eq(1)).Returning(users.C("id")),
		query.ErrUnsupported, "DELETE … RETURNING", "mariadb 10.4.32")
	expectErr(t, mysql57, query.Select().From(users).ForShare(), query.ErrUnsupported, "FOR SHARE", "mysql 5.7.44")
	expectErr(t, mysql57, query.Select().From(users).Intersect(query.Select().From(tweets)), query.ErrUnsupported,
		"INTERSECT/EXCEPT")

	// Fallbacks rather than refusals.
	expectSQL(t, sqlite338, query.Select().From(users).Where(users.C("email").IsDistinctFrom(users.C("name"))),
		`SELECT * FROM "users" WHERE "users"."email" IS NOT "users"."name"`)
	expectSQL(t, sqlite338, query.Select().From(users).Where(users.C("email").IsNotDistinctFrom(nil)),
		`SELECT * FROM "users" WHERE "users"."email" IS ?`, nil)
	expectSQL(t, must("sqlite", "3.29.0"), query.Select(query.Count(users.C("id")).Filter(users.C("active").Eq(true))).
		From(users),
		`SELECT COUNT(CASE WHEN "users"."active" = ? THEN "users"."id" END) FROM "users"`, true)
	expectSQL(t, maria104, query.Select().From(users).ForShare(), "SELECT * FROM `users` LOCK IN SHARE MODE")
}

func TestBuildNilDialect(t *testing.T) {
	_, _, err := query.Build(nil, query.Select())
	if !errors.Is(err, query.ErrInvalid) {
		t.Errorf("Build(nil dialect) = %v, want ErrInvalid", err)
	}
}
