package query_test

import "github.com/kingletdb/kinglet/query"

// Tables shared by the golden cases. The schema they assume (checked against
// the real engines when the golden files were reviewed):
//
//	users(id, username, email, active, manager_id, created_at)
//	tweets(id, user_id, content, likes, created_at)
//	employees(id, name, manager_id, dept, salary)
func identCases() []goldenCase {
	users := query.Table("users")
	tweets := query.Table("tweets")
	u, t := users.As("u"), tweets.As("t")
	e, m := query.Table("employees").As("e"), query.Table("employees").As("m")
	app := query.SchemaTable("app", "users")
	weird := query.Table(`we"ird` + "`t")
	return []goldenCase{
		{"select_star", query.Select().From(users)},
		{"unqualified_columns", query.Select(query.C("id"), query.C("username")).From(users)},
		{"qualified_columns", query.Select(users.C("id"), users.C("username")).From(users).
			Where(users.C("id").Eq(1))},
		{"table_alias", query.Select(u.C("id"), u.C("username")).From(u).Where(u.C("username").Eq("alice"))},
		{"self_join_aliases", query.Select(e.C("name"), m.C("name").As("manager")).From(e).
			LeftJoin(m, e.C("manager_id").Eq(m.C("id")))},
		{"schema_qualified", query.Select(app.C("id"), app.C("username")).From(app).Where(app.C("id").Gt(10))},
		{"schema_qualified_alias", query.Select(app.As("au").C("id")).From(app.As("au")).
			Where(app.As("au").C("active").Eq(true))},
		{"table_star", query.Select(u.Star(), t.C("content")).From(u).Join(t, t.C("user_id").Eq(u.C("id")))},
		{"star_unqualified", query.Select(query.Star()).From(users)},
		{"quote_characters_escaped", query.Select(weird.C(`co"l`), weird.C("it`s").As(`a"b`+"`c")).From(weird).
			Where(weird.C("x'y").Eq("it's"))},
		{"column_alias_in_order_by", query.Select(users.C("username").As("name")).From(users).
			OrderBy(query.C("name"))},
	}
}

func selectCases() []goldenCase {
	users, tweets := query.Table("users"), query.Table("tweets")
	u, t := users.As("u"), tweets.As("t")
	counts := query.Select(tweets.C("user_id"), query.CountAll().As("n")).From(tweets).
		GroupBy(tweets.C("user_id")).As("c")
	popular := query.Select(tweets.C("id"), tweets.C("user_id")).From(tweets).
		Where(tweets.C("likes").Gt(10)).CTE("popular")
	emp := query.Table("employees")
	tree := query.NewCTE("tree",
		query.Select(emp.C("id"), emp.C("name"), query.SQL("0").As("depth")).From(emp).
			Where(emp.C("manager_id").IsNull()).
			UnionAll(query.Select(emp.C("id"), emp.C("name"), query.Table("tree").C("depth").Add(1)).
				From(emp).Join(query.Table("tree"), emp.C("manager_id").Eq(query.Table("tree").C("id")))),
		"id", "name", "depth")
	active := query.Select(users.C("id")).From(users).Where(users.C("active").Eq(true))
	named := query.Select(users.C("username")).From(users)
	return []goldenCase{
		{"columns_with_aliases", query.Select(u.C("id").As("user_id"), query.Lower(u.C("username")).As("name"),
			query.V(1).As("one")).From(u)},
		{"without_from", query.Select(query.V(1).As("x"), query.V("a").As("y"))},
		{"distinct", query.Select(u.C("username")).Distinct().From(u)},
		{"distinct_on", query.Select(t.C("user_id"), t.C("content")).DistinctOn(t.C("user_id")).From(t).
			OrderBy(t.C("user_id"), t.C("created_at").Desc())},
		{"from_two_tables", query.Select(u.C("username"), t.C("content")).From(u, t).
			Where(t.C("user_id").Eq(u.C("id")))},
		{"derived_table", query.Select(counts.C("user_id"), counts.C("n")).From(counts).Where(counts.C("n").Gt(5))},
		{"join_derived_table", query.Select(u.C("username"), counts.C("n")).From(u).
			Join(counts, counts.C("user_id").Eq(u.C("id"))).Where(u.C("active").Eq(true))},
		{"cte", query.Select(popular.C("user_id"), query.CountAll().As("n")).With(popular).
			From(popular.Table()).GroupBy(popular.C("user_id"))},
		{"cte_two", query.Select(popular.C("id")).
			With(popular, active.CTE("active_users", "id")).
			From(popular.Table()).
			Join(query.Table("active_users"), query.Table("active_users").C("id").Eq(popular.C("user_id")))},
		{"cte_materialized", query.Select(query.Star()).With(popular.Materialized()).From(popular.Table())},
		{"with_recursive", query.Select(tree.C("name"), tree.C("depth")).WithRecursive(tree).From(tree.Table()).
			OrderBy(tree.C("depth"))},
		{"inner_join", query.Select(u.C("username"), t.C("content")).From(u).
			Join(t, t.C("user_id").Eq(u.C("id")))},
		{"join_several_conditions", query.Select(u.C("username")).From(u).
			Join(t, t.C("user_id").Eq(u.C("id")), t.C("likes").Gt(100))},
		{"left_join", query.Select(u.C("username"), t.C("content")).From(u).
			LeftJoin(t, t.C("user_id").Eq(u.C("id")))},
		{"right_join", query.Select(u.C("username"), t.C("content")).From(u).
			RightJoin(t, t.C("user_id").Eq(u.C("id")))},
		{"full_join", query.Select(u.C("username"), t.C("content")).From(u).
			FullJoin(t, t.C("user_id").Eq(u.C("id")))},
		{"cross_join", query.Select(u.C("username"), t.C("id")).From(u).CrossJoin(t)},
		{"join_using", query.Select(query.C("username")).From(query.Table("accounts")).
			JoinUsing(query.Table("profiles"), "account_id", "org_id")},
		{"left_join_using", query.Select(query.C("username")).From(query.Table("accounts")).
			LeftJoinUsing(query.Table("profiles"), "account_id")},
		{"where_repeated", query.Select(u.C("id")).From(u).Where(u.C("active").Eq(true)).
			Where(u.C("id").Gt(10), u.C("username").Ne("root"))},
		{"or_where", query.Select(u.C("id")).From(u).Where(u.C("active").Eq(true), u.C("id").Gt(10)).
			OrWhere(u.C("username").Eq("admin"))},
		{"or_where_then_where", query.Select(u.C("id")).From(u).Where(u.C("id").Lt(5)).
			OrWhere(u.C("id").Gt(95)).Where(u.C("active").Eq(true))},
		{"group_by_having", query.Select(t.C("user_id"), query.Sum(t.C("likes")).As("total")).From(t).
			GroupBy(t.C("user_id")).Having(query.Sum(t.C("likes")).Gt(100), query.CountAll().Ge(2))},
		{"order_by_asc_desc", query.Select(u.C("id")).From(u).OrderBy(u.C("username"), u.C("id").Desc())},
		{"order_nulls_first_last", query.Select(u.C("id")).From(u).
			OrderBy(u.C("email").Asc().NullsFirst(), u.C("created_at").Desc().NullsLast())},
		{"order_nulls_last_first", query.Select(u.C("id")).From(u).
			OrderBy(u.C("email").Asc().NullsLast(), u.C("created_at").Desc().NullsFirst())},
		{"order_nulls_expression", query.Select(u.C("id")).From(u).
			OrderBy(query.Coalesce(u.C("email"), u.C("username")).Desc().NullsLast())},
		{"limit", query.Select(u.C("id")).From(u).OrderBy(u.C("id")).Limit(10)},
		{"limit_offset", query.Select(u.C("id")).From(u).OrderBy(u.C("id")).Limit(10).Offset(20)},
		{"offset_without_limit", query.Select(u.C("id")).From(u).OrderBy(u.C("id")).Offset(20)},
		{"paginate", query.Select(u.C("id")).From(u).OrderBy(u.C("id")).Paginate(3, 25)},
		{"paginate_first_page", query.Select(u.C("id")).From(u).OrderBy(u.C("id")).Paginate(1, 25)},
		{"for_update", query.Select(u.C("id")).From(u).Where(u.C("id").Eq(1)).ForUpdate()},
		{"for_update_nowait", query.Select(u.C("id")).From(u).Where(u.C("id").Eq(1)).ForUpdate(query.NoWait)},
		{"for_update_skip_locked", query.Select(u.C("id")).From(u).Limit(5).ForUpdate(query.SkipLocked)},
		{"for_update_of", query.Select(u.C("id"), t.C("id")).From(u).Join(t, t.C("user_id").Eq(u.C("id"))).
			ForUpdate(query.Of(u, t))},
		{"for_share", query.Select(u.C("id")).From(u).Where(u.C("id").Eq(1)).ForShare()},
		{"for_share_of_skip_locked", query.Select(u.C("id")).From(u).ForShare(query.Of(u), query.SkipLocked)},
		{"for_no_key_update", query.Select(u.C("id")).From(u).Where(u.C("id").Eq(1)).ForNoKeyUpdate()},
		{"for_key_share", query.Select(u.C("id")).From(u).ForKeyShare(query.NoWait)},
		{"union", named.Where(users.C("active").Eq(true)).
			Union(query.Select(query.Table("admins").C("name")).From(query.Table("admins")))},
		{"union_all_order_limit", named.UnionAll(query.Select(query.Table("admins").C("name")).
			From(query.Table("admins"))).OrderBy(query.C("username").Desc()).Limit(10).Offset(5)},
		{"union_chain", named.Where(users.C("id").Eq(1)).Union(named.Where(users.C("id").Eq(2))).
			UnionAll(named.Where(users.C("id").Eq(3)))},
		{"union_member_with_limit", named.OrderBy(users.C("id")).Limit(1).
			UnionAll(named.OrderBy(users.C("id").Desc()).Limit(1))},
		{"intersect", named.Intersect(query.Select(query.Table("admins").C("name")).From(query.Table("admins")))},
		{"except", named.Except(query.Select(query.Table("admins").C("name")).From(query.Table("admins")))},
		{"union_then_intersect", named.Where(users.C("id").Lt(10)).Union(named.Where(users.C("id").Gt(90))).
			Intersect(named.Where(users.C("active").Eq(true)))},
		{"with_union", query.Select(popular.C("id")).From(popular.Table()).
			Union(query.Select(tweets.C("id")).From(tweets).Where(tweets.C("likes").Eq(0))).With(popular)},
		{"scalar_subquery", query.Select(u.C("username"),
			query.E(query.Select(query.CountAll()).From(t).Where(t.C("user_id").Eq(u.C("id")))).As("tweets")).
			From(u)},
		{"subquery_comparison", query.Select(t.C("id")).From(t).
			Where(t.C("likes").Gt(query.Select(query.Avg(tweets.C("likes"))).From(tweets)))},
		{"correlated_exists", query.Select(u.C("id")).From(u).
			Where(query.Exists(query.Select(query.SQL("1")).From(t).
				Where(t.C("user_id").Eq(u.C("id")), t.C("likes").Gt(50))))},
		{"in_subquery_with_limit", query.Select(u.C("id")).From(u).
			Where(u.C("id").In(query.Select(t.C("user_id")).From(t).OrderBy(t.C("likes").Desc()).Limit(3)))},
		{"subquery_args_in_order", query.Select(u.C("id")).From(u).
			Where(u.C("active").Eq(true),
				u.C("id").In(query.Select(t.C("user_id")).From(t).Where(t.C("likes").Gt(5))),
				u.C("username").Ne("x")).
			Limit(3)},
	}
}
