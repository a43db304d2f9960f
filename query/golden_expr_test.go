package query_test

import "github.com/kingletdb/kinglet/query"

// whereProducts wraps a condition in a whole statement, so that each golden
// line can be run as is against a scratch table
// products(id, name, price, qty, category, sku, deleted_at).
func whereProducts(cond query.Expr) query.SelectQuery {
	p := query.Table("products")
	return query.Select(p.C("id")).From(p).Where(cond)
}

func exprCases() []goldenCase {
	p := query.Table("products")
	price, qty, name, cat := p.C("price"), p.C("qty"), p.C("name"), p.C("category")
	cheap := query.Select(p.C("id")).From(p).Where(price.Lt(10))
	return []goldenCase{
		{"comparisons", whereProducts(query.And(p.C("id").Eq(1), qty.Ne(2), price.Lt(3.5), price.Le(4),
			qty.Gt(int64(5)), qty.Ge(uint8(6))))},
		{"compare_columns", whereProducts(price.Gt(qty))},
		{"eq_nil_is_null", whereProducts(query.And(p.C("deleted_at").Eq(nil), cat.Ne(nil)))},
		{"is_null_is_not_null", whereProducts(p.C("deleted_at").IsNull().And(cat.IsNotNull()))},
		{"in_list", whereProducts(p.C("id").In(1, 2, 3))},
		{"in_slice", whereProducts(cat.In([]string{"a", "b"}))},
		{"not_in_list", whereProducts(p.C("id").NotIn(4, 5))},
		{"in_empty_always_false", whereProducts(p.C("id").In())},
		{"in_empty_slice_always_false", whereProducts(p.C("id").In([]int64{}))},
		{"not_in_empty_always_true", whereProducts(p.C("id").NotIn())},
		{"in_subquery", whereProducts(p.C("id").In(cheap))},
		{"not_in_subquery", whereProducts(p.C("id").NotIn(cheap))},
		{"in_mixed_expressions", whereProducts(qty.In(price, query.V(7), 8))},
		{"between", whereProducts(price.Between(10, 20))},
		{"not_between", whereProducts(price.NotBetween(qty, qty.Mul(2)))},
		{"like_not_like", whereProducts(name.Like("a%").And(name.NotLike("%z")))},
		{"like_escape", whereProducts(name.LikeEscape("10!%%", '!').Or(name.NotLikeEscape("a!_b", '!')))},
		{"contains_escapes_wildcards", whereProducts(name.Contains(`50%_off\now`))},
		{"starts_ends_with", whereProducts(name.StartsWith("pre_").And(name.EndsWith("%post")))},
		{"ilike", whereProducts(name.ILike("%Phone%"))},
		{"not_ilike", whereProducts(name.NotILike(cat.Concat("%")))},
		{"is_distinct_from", whereProducts(cat.IsDistinctFrom("tools"))},
		{"is_not_distinct_from", whereProducts(cat.IsNotDistinctFrom(p.C("sku")))},
		{"and_or_parentheses", whereProducts(query.Or(query.And(qty.Gt(1), price.Lt(5)), cat.Eq("x")))},
		{"or_inside_and", whereProducts(query.And(query.Or(qty.Gt(1), price.Lt(5)), cat.Eq("x")))},
		{"nested_or_and_or", whereProducts(query.Or(cat.Eq("a"), query.And(query.Or(qty.Eq(1), qty.Eq(2)),
			price.Gt(0))))},
		{"empty_and_or", whereProducts(query.And(query.And(), query.Or().Not()))},
		{"not", whereProducts(query.And(query.Not(qty.Eq(1)), query.Not(query.And(qty.Gt(1), price.Gt(1))),
			p.C("active").Not()))},
		{"arithmetic_precedence", whereProducts(price.Mul(qty).Sub(query.V(1)).Gt(price.Add(qty).Mul(2)))},
		{"arithmetic_right_nesting", whereProducts(price.Sub(qty.Sub(1)).Eq(price.Div(qty.Div(2))).
			And(qty.Mod(3).Eq(price.Neg())))},
		{"comparison_of_comparisons", whereProducts(query.And(price.Gt(1).Eq(false), qty.Between(1, 2).Eq(false),
			cat.IsDistinctFrom("x").Eq(qty.In(1, 2))))},
		{"negation", whereProducts(price.Add(1).Neg().Lt(qty.Neg()))},
		{"concat", query.Select(name.Concat(" - ", cat).As("label")).From(p)},
		{"concat_function", query.Select(query.Concat(name, ":", p.C("id")).Concat("!").As("label")).From(p)},
		{"concat_compared", whereProducts(name.Concat(cat).Eq("ab"))},
		{"exists", whereProducts(query.Exists(cheap))},
		{"not_exists", whereProducts(query.NotExists(cheap.Where(p.C("id").Eq(0))))},
		{"tuple_equality", whereProducts(query.Tuple(cat, name).Eq(query.Tuple("a", "b")))},
		{"tuple_in", whereProducts(query.Tuple(cat, qty).In(query.Tuple("a", 1), query.Tuple("b", 2)))},
		{"tuple_compare_subquery", whereProducts(query.Tuple(cat, qty).In(
			query.Select(p.C("category"), query.Max(p.C("qty"))).From(p).GroupBy(p.C("category"))))},
		{"case_searched", query.Select(name, query.E(query.Case().When(price.Lt(10), "cheap").
			When(price.Lt(100), "fair").Else("dear")).As("band")).From(p)},
		{"case_simple", query.Select(query.E(query.CaseOf(cat).When("a", "first").When("b", "second")).As("rank")).From(p)},
		{"case_in_where", whereProducts(query.E(query.Case().When(qty.Gt(0), price).Else(0)).Gt(5))},
		{"cast", query.Select(price.Cast("DECIMAL(10,2)").As("p"), query.V("42").Cast("CHAR(10)")).From(p)},
		{"collate", whereProducts(name.Collate("C").Eq("abc"))}, // collation names are per engine
		{"collate_mysql", whereProducts(name.Collate("utf8mb4_bin").Eq("abc"))},
		{"collate_order_sqlite", query.Select(name).From(p).OrderBy(name.Collate("NOCASE").Desc())},
		{"bound_value_types", query.Select(query.V(int8(1)), query.V(uint64(2)), query.V(1.5), query.V(true),
			query.V([]byte("raw")), query.V(nil))},
	}
}

func funcCases() []goldenCase {
	t := query.Table("tweets")
	e := query.Table("employees")
	w := query.NewWindow().PartitionBy(e.C("dept")).OrderBy(e.C("salary").Desc())
	return []goldenCase{
		{"func_generic", query.Select(query.Func("ROUND", e.C("salary"), 2).As("r"),
			query.Func("LENGTH", e.C("name"))).From(e)},
		{"func_no_args", query.Select(query.Func("RANDOM")).From(e)},
		{"func_dotted_name", query.Select(query.Func("pg_catalog.lower", e.C("name"))).From(e)},
		{"count_star", query.Select(query.CountAll()).From(e)},
		{"count_column", query.Select(query.Count(e.C("manager_id")).As("n")).From(e)},
		{"count_distinct", query.Select(query.CountDistinct(e.C("dept"))).From(e)},
		{"sum_avg_min_max", query.Select(query.Sum(e.C("salary")), query.Avg(e.C("salary")),
			query.Min(e.C("salary")), query.Max(e.C("salary"))).From(e)},
		{"sum_distinct", query.Select(query.Sum(e.C("salary")).Distinct()).From(e)},
		{"coalesce", query.Select(query.Coalesce(e.C("manager_id"), e.C("id"), 0).As("boss")).From(e)},
		{"lower_upper", query.Select(query.Lower(e.C("name")), query.Upper("x")).From(e).
			Where(query.Lower(e.C("name")).Eq(query.Lower("Bob")))},
		{"function_arithmetic", query.Select(query.Sum(e.C("salary")).Div(query.CountAll()).Add(1)).From(e)},
		{"aggregate_filter", query.Select(query.CountAll().Filter(e.C("salary").Gt(1000)).As("rich"),
			query.Sum(e.C("salary")).Filter(e.C("dept").Eq("it")).As("it_total")).From(e)},
		{"aggregate_filter_distinct", query.Select(query.CountDistinct(e.C("dept")).
			Filter(e.C("salary").Gt(10))).From(e)},
		{"window_partition_order", query.Select(e.C("name"),
			query.Func("ROW_NUMBER").Over(w).As("rn")).From(e)},
		{"window_empty", query.Select(e.C("name"), query.CountAll().Over(query.NewWindow()).As("total")).From(e)},
		{"window_rows_between", query.Select(e.C("name"), query.Avg(e.C("salary")).Over(query.NewWindow().
			OrderBy(e.C("id")).Rows(query.UnboundedPreceding, query.Following(2)))).From(e)},
		{"window_rows_preceding", query.Select(query.Sum(e.C("salary")).Over(query.NewWindow().
			OrderBy(e.C("id")).Rows(query.Preceding(1), query.CurrentRow))).From(e)},
		{"window_range", query.Select(query.Sum(e.C("salary")).Over(query.NewWindow().PartitionBy(e.C("dept")).
			OrderBy(e.C("salary")).Range(query.UnboundedPreceding, query.UnboundedFollowing))).From(e)},
		{"named_window", query.Select(e.C("name"), query.Func("RANK").OverName("w").As("r"),
			query.Sum(e.C("salary")).OverName("w").As("running")).From(e).Window("w", w)},
		{"window_based_on_named", query.Select(query.Sum(e.C("salary")).Over(query.NewWindow().From("w").
			Rows(query.UnboundedPreceding, query.CurrentRow))).From(e).Window("w", w)},
		{"two_named_windows", query.Select(query.Func("RANK").OverName("a"), query.CountAll().OverName("b")).
			From(e).Window("a", query.NewWindow().OrderBy(e.C("id"))).
			Window("b", query.NewWindow().PartitionBy(e.C("dept")))},
		{"window_with_filter", query.Select(query.CountAll().Filter(e.C("salary").Gt(5)).
			Over(query.NewWindow().PartitionBy(e.C("dept")))).From(e)},
		{"window_over_aggregate", query.Select(t.C("user_id"), query.Sum(query.Count(t.C("id"))).
			Over(query.NewWindow()).As("grand")).From(t).GroupBy(t.C("user_id"))},
	}
}

func rawCases() []goldenCase {
	p := query.Table("products")
	return []goldenCase{
		{"raw_renumbered", whereProducts(query.And(p.C("qty").Eq(1),
			query.Raw("lower(name) = ? OR sku = ?", "x", "y"), p.C("price").Gt(2)))},
		{"raw_in_select_list", query.Select(query.Raw("? + qty", 10).As("q")).From(p).Where(p.C("id").Eq(5))},
		{"raw_single_quotes", whereProducts(query.Raw("name <> '?' AND qty > ?", 1))},
		{"raw_doubled_quote", whereProducts(query.Raw("name <> 'it''s ?' AND qty > ?", 1))},
		{"raw_double_quotes", whereProducts(query.Raw(`"name" <> 'a' AND qty > ?`, 1).
			And(query.Raw(`"what?" IS NULL OR ?`, true)))},
		{"raw_backticks", whereProducts(query.Raw("`qty?` > ?", 1))},
		{"raw_line_comment", whereProducts(query.Raw("qty > ? -- why?\n AND price < ?", 1, 2))},
		{"raw_block_comment", whereProducts(query.Raw("qty > /* ? /* nested ? */ ? */ ?", 1))},
		{"raw_dollar_quoted", whereProducts(query.Raw("name <> $$?$$ AND name <> $tag$ ? $tag$ AND qty > ?", 1))},
		{"raw_double_question_mark", whereProducts(query.Raw("tags ?? 'x' AND qty > ?", 1))},
		{"raw_backslash_in_string", whereProducts(query.Raw(`name <> 'a\' AND qty > ?`, 1))},
		{"raw_e_string", whereProducts(query.Raw(`name <> E'\'?' AND qty > ?`, 1))},
		{"raw_expr_args", whereProducts(query.Raw("? BETWEEN ? AND ?", p.C("price"), query.V(1),
			p.C("qty").Add(5)))},
		{"raw_compound_arg_parenthesized", whereProducts(query.Raw("? * 2 > ?", p.C("price").Add(1),
			query.Select(query.Max(p.C("qty"))).From(p)))},
		{"raw_nested_raw", whereProducts(query.Raw("coalesce(?, ?) > ?", query.Raw("price * ?", 2), 0, 3))},
		{"raw_as_operand", whereProducts(query.Raw("qty + ?", 1).Mul(2).Gt(query.SQL("10")))},
		{"sql_keyword", query.Select(query.SQL("CURRENT_DATE").As("today"))},
		{"raw_from_item", query.Select(query.Star()).From(query.Raw("(SELECT ? AS n) AS x", 1))},
	}
}
