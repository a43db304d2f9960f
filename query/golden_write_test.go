package query_test

import "github.com/kingletdb/kinglet/query"

// Tables for the write cases:
//
//	users(id, username, email, active, visits, created_at), unique (username)
//	counters(id, name, counter, updated), unique (name) and unique (id, name)
//	tweets(id, user_id, content, likes, created_at)
//	archive(id, user_id, content)
func insertCases() []goldenCase {
	users, tweets := query.Table("users"), query.Table("tweets")
	counters := query.Table("counters")
	ins := query.Insert(users).Columns("username", "email")
	up := query.Insert(counters).Columns("name", "counter").Values("hits", 1)
	return []goldenCase{
		{"one_row", ins.Values("alice", "a@example.com")},
		{"many_rows", ins.Values("a", "a@x").Values("b", nil).Values("c", "c@x")},
		{"rows_method", ins.Rows([]any{"a", "a@x"}, []any{"b", "b@x"})},
		{"without_columns", query.Insert(tweets).Values(1, 2, "hi", 0, nil)},
		{"expression_values", query.Insert(counters).Columns("name", "counter", "updated").
			Values(query.Lower("HITS"), query.V(1).Cast("DECIMAL(10,2)").Add(2), query.Now())},
		{"insert_select", query.Insert(query.Table("archive")).Columns("id", "user_id", "content").
			Select(query.Select(tweets.C("id"), tweets.C("user_id"), tweets.C("content")).From(tweets).
				Where(tweets.C("likes").Eq(0)))},
		{"insert_select_union", query.Insert(query.Table("archive")).Columns("id").
			Select(query.Select(tweets.C("id")).From(tweets).Union(query.Select(users.C("id")).From(users)))},
		{"default_values", query.Insert(users).DefaultValues()},
		{"returning", ins.Values("a", "b").Returning(users.C("id"), users.C("created_at").As("at"))},
		// MySQL and MariaDB take WITH only after the column list
		// (INSERT INTO t (c) WITH … SELECT …), so it moves there.
		{"insert_with_cte", query.Insert(query.Table("archive")).Columns("id").
			With(query.Select(tweets.C("id")).From(tweets).Where(tweets.C("likes").Gt(9)).CTE("hot")).
			Select(query.Select(query.C("id")).From(query.Table("hot")))},
		{"insert_alias", query.Insert(counters.As("c")).Columns("name", "counter").Values("x", 1).
			OnConflict(query.Conflict("name").DoUpdate(query.Assign("counter", counters.As("c").C("counter").Add(1))))},
		{"upsert_do_nothing", up.OnConflict(query.Conflict("name").DoNothing())},
		{"upsert_do_nothing_no_target", up.OnConflict(query.Conflict().DoNothing())},
		{"upsert_update_excluded", up.OnConflict(query.Conflict("name").Update("counter"))},
		{"upsert_update_expression", up.OnConflict(query.Conflict("name").DoUpdate(
			query.Assign("counter", counters.C("counter").Add(query.Excluded("counter"))),
			query.Assign("updated", query.Now())))},
		{"upsert_update_where", up.OnConflict(query.Conflict("name").Update("counter").
			Where(counters.C("counter").Lt(query.Excluded("counter"))))},
		{"upsert_on_constraint", up.OnConflict(query.Conflict().OnConstraint("counters_name_key").DoNothing())},
		{"upsert_target_where", up.OnConflict(query.Conflict("name").TargetWhere(counters.C("counter").Gt(0)).
			DoNothing())},
		{"upsert_update_no_target", up.OnConflict(query.Conflict().Update("counter"))},
		{"upsert_returning", up.OnConflict(query.Conflict("name").Update("counter")).Returning(counters.C("id"))},
		{"upsert_many_rows", query.Insert(counters).Columns("name", "counter").Values("a", 1).Values("b", 2).
			OnConflict(query.Conflict("name").Update("counter"))},
		{"insert_select_upsert", query.Insert(counters).Columns("name", "counter").
			Select(query.Select(users.C("username"), users.C("visits")).From(users)).
			OnConflict(query.Conflict("name").Update("counter"))},
		{"insert_union_upsert", query.Insert(counters).Columns("name", "counter").
			Select(query.Select(users.C("username"), users.C("visits")).From(users).
				UnionAll(query.Select(users.C("email"), users.C("visits")).From(users))).
			OnConflict(query.Conflict("name").DoNothing())},
	}
}

func updateCases() []goldenCase {
	users, tweets := query.Table("users"), query.Table("tweets")
	u, t := users.As("u"), tweets.As("t")
	return []goldenCase{
		{"set_values", query.Update(users).Set("username", "bob").Set("active", false).Where(users.C("id").Eq(7))},
		{"set_expression", query.Update(users).Set("visits", users.C("visits").Add(1)).Where(users.C("id").Eq(7))},
		{"set_all", query.Update(users).SetAll(query.Assign("email", nil), query.Assign("visits", 0)).
			Where(users.C("active").Eq(false))},
		{"set_subquery", query.Update(users).Set("visits", query.Select(query.CountAll()).From(tweets).
			Where(tweets.C("user_id").Eq(users.C("id")))).Where(users.C("id").Eq(1))},
		{"where_or_where", query.Update(users).Set("active", true).Where(users.C("id").Gt(10)).
			Where(users.C("id").Lt(20)).OrWhere(users.C("username").Eq("root"))},
		{"all_rows", query.Update(users).Set("visits", 0).AllRows()},
		{"aliased_table", query.Update(u).Set("visits", u.C("visits").Mul(2)).Where(u.C("id").In(1, 2))},
		{"aliased_table_returning", query.Update(u).Set("visits", 1).Where(u.C("id").Eq(1)).Returning(u.C("id"))}, // SQLite: RETURNING drops the alias, as for DELETE
		{"returning", query.Update(users).Set("visits", 1).Where(users.C("id").Eq(1)).Returning(users.C("id"),
			users.C("visits"))},
		{"from", query.Update(users).Set("visits", tweets.C("likes")).From(tweets).
			Where(tweets.C("user_id").Eq(users.C("id")), tweets.C("likes").Gt(5))},
		{"join", query.Update(u).Set("visits", t.C("likes")).Join(t, t.C("user_id").Eq(u.C("id"))).
			Where(t.C("likes").Gt(5))},
		{"join_and_from", query.Update(u).Set("active", true).Join(t, t.C("user_id").Eq(u.C("id"))).
			From(query.Table("admins")).Where(query.Table("admins").C("name").Eq(u.C("username")))},
		// MariaDB: no WITH before UPDATE (MySQL 8 has it): ErrUnsupported.
		{"with_cte", query.Update(users).Set("active", false).
			With(query.Select(tweets.C("user_id")).From(tweets).Where(tweets.C("likes").Eq(0)).CTE("idle")).
			Where(users.C("id").In(query.Select(query.C("user_id")).From(query.Table("idle"))))},
	}
}

func deleteCases() []goldenCase {
	users, tweets := query.Table("users"), query.Table("tweets")
	u, t := users.As("u"), tweets.As("t")
	return []goldenCase{
		{"where", query.Delete(tweets).Where(tweets.C("id").Eq(3))},
		{"where_or_where", query.Delete(tweets).Where(tweets.C("likes").Eq(0)).
			OrWhere(tweets.C("content").Eq(""), tweets.C("id").Gt(100))},
		{"all_rows", query.Delete(tweets).AllRows()},
		{"aliased_table", query.Delete(t).Where(t.C("likes").Lt(1))},
		// SQLite: RETURNING cannot use the alias ("t"."id"), so the
		// column goes bare.
		{"aliased_table_returning", query.Delete(t).Where(t.C("likes").Lt(1)).Returning(t.C("id"))},
		{"returning", query.Delete(tweets).Where(tweets.C("id").Eq(3)).Returning(tweets.C("id"),
			tweets.C("content"))},
		{"using", query.Delete(tweets).Using(users).
			Where(users.C("id").Eq(tweets.C("user_id")), users.C("active").Eq(false))},
		{"join", query.Delete(t).Join(u, u.C("id").Eq(t.C("user_id"))).Where(u.C("active").Eq(false))},
		{"join_returning", query.Delete(tweets).Join(users, users.C("id").Eq(tweets.C("user_id"))).
			Where(users.C("active").Eq(false)).Returning(tweets.C("id"))},
		{"in_subquery", query.Delete(tweets).Where(tweets.C("user_id").In(
			query.Select(users.C("id")).From(users).Where(users.C("active").Eq(false))))},
		// MariaDB: no WITH before DELETE (MySQL 8 has it): ErrUnsupported.
		{"with_cte", query.Delete(tweets).
			With(query.Select(users.C("id")).From(users).Where(users.C("active").Eq(false)).CTE("gone")).
			Where(tweets.C("user_id").In(query.Select(query.C("id")).From(query.Table("gone"))))},
	}
}
