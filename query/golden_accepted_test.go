package query_test

import (
	"strings"
	"testing"

	"github.com/kingletdb/kinglet/dialect"
	"github.com/kingletdb/kinglet/fields"
	"github.com/kingletdb/kinglet/query"
)

// SQL that a server used to reject (issue 13, §5): each construct renders
// what every engine accepts, or fails to build with an error that names
// the feature and the engine. exec_accepted_test.go runs the same
// constructs on the real engines.

// readmeQuery is the query builder's headline query in README.md, exactly.
func readmeQuery() query.SelectQuery {
	U := query.Table("users").As("u")
	T := query.Table("tweets").As("t")
	q := query.Select(U.C("username"), query.Count(T.C("id")).As("tweets")).
		From(U).
		LeftJoin(T, T.C("user_id").Eq(U.C("id"))).
		Where(U.C("active").Eq(true)).
		GroupBy(U.C("username")).
		OrderBy(query.C("tweets").Desc().NullsLast()).
		Limit(10)
	return q
}

// LongNamedRecord has a table and columns long enough that the derived index
// and constraint names pass every engine's limit.
type LongNamedRecord struct {
	ID     int64  `db:"id,pk"`
	Parent int64  `db:"parent_record_identifier_for_the_long_named_table,fk:long_named_records_of_the_accepted_sql_tests.id,index"`
	Code   string `db:"external_reference_code_that_is_unique_per_record,unique,size:40"`
}

func (LongNamedRecord) TableName() string { return "long_named_records_of_the_accepted_sql_tests" }

func acceptedCases() []goldenCase {
	users, tweets := query.Table("users"), query.Table("tweets")
	u, t := users.As("u"), tweets.As("t")
	likes := query.Sum(t.C("likes"))
	gone := query.NewCTE("gone", query.Delete(tweets).Where(tweets.C("likes").Eq(0)).
		Returning(tweets.C("id"), tweets.C("user_id")))
	added := query.NewCTE("added", query.Insert(tweets).Columns("user_id", "content").Values(1, "hi").
		Returning(tweets.C("id")))
	bumped := query.NewCTE("bumped", query.Update(tweets).Set("likes", tweets.C("likes").Add(1)).
		Where(tweets.C("user_id").Eq(2)).Returning(tweets.C("id")))
	active := query.Select(users.C("id"), users.C("username")).From(users).Where(users.C("active").Eq(true)).
		CTE("active_users")
	counts := query.Select(tweets.C("user_id"), query.CountAll()).From(tweets).GroupBy(tweets.C("user_id")).
		CTE("counts", "uid", "n")
	long, err := fields.Of(&LongNamedRecord{})
	if err != nil {
		panic(err)
	}
	longTable, err := query.CreateTableFor(long)
	if err != nil {
		panic(err)
	}
	longIndex := query.IndexesFor(long)
	return []goldenCase{
		// §5.1: NULLS FIRST/LAST on MySQL orders by the aliased expression.
		{"readme_headline_query", readmeQuery()},
		{"nulls_last_alias_node", query.Select(u.C("username"), likes.As("total")).From(u).
			LeftJoin(t, t.C("user_id").Eq(u.C("id"))).GroupBy(u.C("username")).
			OrderBy(likes.As("total").Asc().NullsLast(), u.C("username"))},
		{"nulls_first_alias_of_expression", query.Select(users.C("email").Concat("!").As("shout")).From(users).
			OrderBy(query.C("shout").Asc().NullsFirst())},
		{"nulls_first_plain_column", query.Select(users.C("id")).From(users).
			OrderBy(users.C("email").Asc().NullsFirst(), query.C("id").Desc().NullsLast())},
		{"nulls_last_on_compound", query.Select(users.C("email").As("e")).From(users).
			Union(query.Select(query.SQL("NULL")).From(users)).OrderBy(query.C("e").Desc().NullsLast())},
		// §5.2: a data-modifying CTE, PostgreSQL only, and only at the top.
		{"cte_delete_returning", query.Select(gone.C("user_id"), query.CountAll()).With(gone).From(gone).
			GroupBy(gone.C("user_id"))},
		{"cte_insert_returning", query.Select(added.C("id")).With(added).From(added)},
		{"cte_update_returning", query.Select(query.CountAll()).With(bumped).From(bumped)},
		{"cte_delete_in_subquery", query.Select(users.C("id")).From(users).
			Where(users.C("id").In(query.Select(gone.C("user_id")).With(gone).From(gone)))},
		// §5.3: index expressions name their table's columns unqualified.
		{"index_lower_expression", query.CreateIndex("idx_users_lower_username", users).
			On(query.Lower(users.C("username")))},
		{"index_qualified_columns_and_where", query.CreateIndex("idx_users_active_email", users).
			On(users.C("email"), query.Lower(users.C("username")).Desc()).Where(users.C("active").Eq(true))},
		{"index_qualified_plain_columns", query.CreateIndex("idx_users_email_id", users).
			On(users.C("email"), users.C("id").Desc())},
		{"index_column_of_another_table", query.CreateIndex("idx_users_bad", users).On(query.Lower(tweets.C("content")))},
		// §5.4: a CTE used in From or Join is defined by the WITH, once.
		{"cte_in_from_without_with", query.Select(active.C("username")).From(active).OrderBy(active.C("username"))},
		{"cte_in_join_without_with", query.Select(users.C("username"), counts.C("n")).From(users).
			Join(counts, counts.C("uid").Eq(users.C("id")))},
		{"cte_in_with_and_from", query.Select(active.C("id")).With(active).From(active)},
		{"cte_with_after_from", query.Select(counts.C("n")).From(counts).Join(active, active.C("id").Eq(counts.C("uid"))).
			With(active)},
		{"cte_subquery_reads_outer", query.Select(active.C("username")).From(active).
			Where(active.C("id").In(query.Select(counts.C("uid")).From(counts).
				Join(active, active.C("id").Eq(counts.C("uid")))))},
		{"cte_in_compound_members", query.Select(active.C("id")).From(active).
			Union(query.Select(counts.C("uid")).From(counts)).Union(query.Select(counts.C("uid")).From(counts))},
		{"cte_scope_ends_with_its_statement", query.Select(query.Select(query.CountAll()).With(counts).From(counts)).
			From(query.Select(counts.C("uid")).From(counts).As("dt"))},
		// §5.5: derived names are at most 63 bytes, the same on every engine.
		{"long_derived_names_table", longTable},
		{"long_derived_names_index", longIndex[0]},
		// §5.6: more parameters than any engine takes.
		{"too_many_params", query.Select(users.C("id")).From(users).Where(users.C("id").In(manyInts(70000)...))},
		// §8: raw fragments that open a quote or comment and do not close it.
		{"raw_unterminated_string", whereProducts(query.Raw("name = 'x AND qty > ?", 1))},
		{"raw_unterminated_identifier", whereProducts(query.Raw("\"name = ?", 1))},
		{"raw_unterminated_backquote", whereProducts(query.Raw("`name = ?", 1))},
		{"raw_unterminated_block_comment", whereProducts(query.Raw("qty > ? /* why", 1))},
		{"raw_unterminated_dollar_body", whereProducts(query.Raw("name = $q$x AND qty > ?", 1))},
		{"raw_line_comment_at_end", whereProducts(query.Raw("qty > ? -- at least", 1)).Where(query.C("id").Gt(2))},
	}
}

func manyInts(n int) []any {
	vs := make([]any, n)
	for i := range vs {
		vs[i] = i
	}
	return vs
}

// TestTooManyParams: the limit is each dialect's, checked at the end of
// Build for every statement, and the error says what to do.
func TestTooManyParams(t *testing.T) {
	users := query.Table("users")
	in := func(n int) query.SelectQuery {
		return query.Select(users.C("id")).From(users).Where(users.C("id").In(manyInts(n)...))
	}
	old, err := dialect.ForVersion("sqlite", "3.31.1")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		d     dialect.Dialect
		limit int
	}{{dialect.SQLite, 32766}, {dialect.Postgres, 65535}, {dialect.MySQL, 65535}, {dialect.MariaDB, 65535}, {old, 999}} {
		if got := c.d.MaxParams(); got != c.limit {
			t.Errorf("%s: MaxParams %d, want %d", c.d, got, c.limit)
		}
		if _, args, err := in(c.limit).Build(c.d); err != nil || len(args) != c.limit {
			t.Errorf("%s: %d parameters: %d args, %v; want them built", c.d, c.limit, len(args), err)
		}
		expectErr(t, c.d, in(c.limit+1), query.ErrTooManyParams, "has "+itoa(c.limit+1), "at most "+itoa(c.limit),
			c.d.String(), "split the list", "subquery", "temporary table", "ANY(?)")
		expectErr(t, c.d, in(c.limit+1), query.ErrInvalid)
		// Every statement, not only IN lists: a many-row INSERT.
		ins := query.Insert(users).Columns("id")
		for i := range c.limit + 1 {
			ins = ins.Values(i)
		}
		expectErr(t, c.d, ins, query.ErrTooManyParams, itoa(c.limit+1))
	}
	// A dialect that states no limit has none.
	if _, _, err := query.Build(noLimit{dialect.SQLite}, in(40000)); err != nil {
		t.Errorf("no limit: %v", err)
	}
}

// noLimit is a dialect whose MaxParams states no limit (0), which MarksOf
// cannot know.
type noLimit struct{ dialect.Dialect }

func (noLimit) MaxParams() int { return 0 }

func itoa(n int) string {
	var b []byte
	for n > 0 || len(b) == 0 {
		b = append([]byte{byte('0' + n%10)}, b...)
		n /= 10
	}
	return string(b)
}

// TestDerivedNames: a derived name over 63 bytes keeps a readable start and
// ends in a hash of the whole name; a shorter one is unchanged.
func TestDerivedNames(t *testing.T) {
	tbl, err := fields.Of(&LongNamedRecord{})
	if err != nil {
		t.Fatal(err)
	}
	names := map[string]bool{}
	for _, ix := range tbl.Indexes {
		names[ix.Name] = true
	}
	for _, fk := range tbl.ForeignKeys {
		names[fk.Name] = true
	}
	if len(names) != 3 {
		t.Fatalf("want 3 distinct names, got %v", names)
	}
	for n := range names {
		if len(n) > fields.MaxNameLen {
			t.Errorf("%s is %d bytes", n, len(n))
		}
		if !strings.HasPrefix(n, "idx_long_named_records") && !strings.HasPrefix(n, "uq_long_named_records") &&
			!strings.HasPrefix(n, "fk_long_named_records") {
			t.Errorf("%s lost its readable prefix", n)
		}
	}
	if got := fields.DerivedName("idx", "app.users", "email"); got != "idx_app_users_email" {
		t.Errorf("short name changed: %s", got)
	}
	a := fields.ShortName(strings.Repeat("a", 70) + "1")
	b := fields.ShortName(strings.Repeat("a", 70) + "2")
	if a == b || len(a) != fields.MaxNameLen || a != fields.ShortName(strings.Repeat("a", 70)+"1") {
		t.Errorf("ShortName: %s and %s", a, b)
	}
	// A name is never cut inside a UTF-8 character.
	u := fields.ShortName("x" + strings.Repeat("é", 40))
	if !strings.HasPrefix(u, "x"+strings.Repeat("é", 25)+"_") || len(u) != 62 {
		t.Errorf("ShortName cut a character: %q (%d bytes)", u, len(u))
	}
}
