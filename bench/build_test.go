package bench

// Query building without a database: the statements of query/bench_test.go,
// built for PostgreSQL by kinglet, squirrel (Dollar placeholders), goqu
// (prepared mode, postgres dialect) and by hand (the floor: constant text, or
// a strings.Builder where the text depends on the data, and the argument
// slice). Each sub-benchmark builds the statement from scratch and renders it
// to SQL text and arguments, as a request does; <Statement>/interleaved
// then times all four in turn (see interleaveBuilders). TestBuildEquivalent
// checks that the four produce the same statement with the same arguments.

import (
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	sq "github.com/Masterminds/squirrel"
	"github.com/doug-martin/goqu/v9"
	_ "github.com/doug-martin/goqu/v9/dialect/postgres" // registers goqu's "postgres" dialect

	"github.com/kingletdb/kinglet/dialect"
	"github.com/kingletdb/kinglet/query"
)

var buildSince = time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)

// builder is one library's way to produce one statement.
type builder struct {
	lib   string
	build func() (string, []any, error)
}

// Libraries of the build benchmarks, in the order the results list them.
const (
	libKinglet  = "kinglet"
	libSquirrel = "squirrel"
	libGoqu     = "goqu"
	libHand     = "hand"
)

var (
	psql = sq.StatementBuilder.PlaceholderFormat(sq.Dollar)
	pg   = goqu.Dialect("postgres")
)

// selectBuilders: a SELECT with a join, three predicates, ORDER BY and LIMIT.
// Every library binds the LIMIT, as kinglet does: squirrel through Suffix
// (its Limit writes the number into the text), and goqu compares the boolean
// through V, since its Eq(true) renders IS TRUE without an argument.
var selectBuilders = []builder{
	{libKinglet, func() (string, []any, error) {
		U := query.Table("users").As("u")
		T := query.Table("tweets").As("t")
		return query.Select(U.C("id"), U.C("username"), T.C("content")).
			From(U).
			Join(T, T.C("user_id").Eq(U.C("id"))).
			Where(U.C("active").Eq(true), T.C("created_at").Gt(buildSince), U.C("username").Like("a%")).
			OrderBy(T.C("created_at").Desc()).
			Limit(20).
			Build(dialect.Postgres)
	}},
	{libSquirrel, func() (string, []any, error) {
		return psql.Select("u.id", "u.username", "t.content").
			From("users AS u").
			Join("tweets AS t ON t.user_id = u.id").
			Where(sq.Eq{"u.active": true}).
			Where(sq.Gt{"t.created_at": buildSince}).
			Where(sq.Like{"u.username": "a%"}).
			OrderBy("t.created_at DESC").
			Suffix("LIMIT ?", 20).
			ToSql()
	}},
	{libGoqu, func() (string, []any, error) {
		return pg.From(goqu.T("users").As("u")).Prepared(true).
			Select(goqu.I("u.id"), goqu.I("u.username"), goqu.I("t.content")).
			Join(goqu.T("tweets").As("t"), goqu.On(goqu.I("t.user_id").Eq(goqu.I("u.id")))).
			Where(goqu.I("u.active").Eq(goqu.V(true)), goqu.I("t.created_at").Gt(buildSince), goqu.I("u.username").Like("a%")).
			Order(goqu.I("t.created_at").Desc()).
			Limit(20).
			ToSQL()
	}},
	{libHand, func() (string, []any, error) {
		const text = `SELECT u.id, u.username, t.content FROM users AS u JOIN tweets AS t ON t.user_id = u.id ` +
			`WHERE u.active = $1 AND t.created_at > $2 AND u.username LIKE $3 ORDER BY t.created_at DESC LIMIT $4`
		return text, []any{true, buildSince, "a%", 20}, nil
	}},
}

const buildRows = 100 // rows of the INSERT

// insertBuilders: a 100-row INSERT of four columns, one call per row as a
// caller looping over its data writes it.
var insertBuilders = []builder{
	{libKinglet, func() (string, []any, error) {
		q := query.Insert(query.Table("events")).Columns("id", "name", "active", "created_at")
		for i := range buildRows {
			q = q.Values(int64(i), "event", i%2 == 0, buildSince)
		}
		return q.Build(dialect.Postgres)
	}},
	{libSquirrel, func() (string, []any, error) {
		q := psql.Insert("events").Columns("id", "name", "active", "created_at")
		for i := range buildRows {
			q = q.Values(int64(i), "event", i%2 == 0, buildSince)
		}
		return q.ToSql()
	}},
	{libGoqu, func() (string, []any, error) {
		q := pg.Insert("events").Prepared(true).Cols("id", "name", "active", "created_at")
		for i := range buildRows {
			q = q.Vals(goqu.Vals{int64(i), "event", i%2 == 0, buildSince})
		}
		return q.ToSQL()
	}},
	{libHand, func() (string, []any, error) {
		const head = "INSERT INTO events (id, name, active, created_at) VALUES "
		buf := make([]byte, 0, len(head)+buildRows*24)
		buf = append(buf, head...)
		args := make([]any, 0, 4*buildRows)
		for i := range buildRows {
			if i > 0 {
				buf = append(buf, ", "...)
			}
			for c := range 4 {
				if c == 0 {
					buf = append(buf, "($"...)
				} else {
					buf = append(buf, ", $"...)
				}
				buf = strconv.AppendInt(buf, int64(4*i+c+1), 10)
			}
			buf = append(buf, ')')
			args = append(args, int64(i), "event", i%2 == 0, buildSince)
		}
		return string(buf), args, nil
	}},
}

// upsertBuilders: INSERT … ON CONFLICT (id) DO UPDATE with an EXCLUDED column
// and an expression.
var upsertBuilders = []builder{
	{libKinglet, func() (string, []any, error) {
		U := query.Table("users")
		return query.Insert(U).Columns("id", "username", "visits").
			Values(int64(1), "alice", 1).
			OnConflict(query.Conflict("id").DoUpdate(
				query.Assign("username", query.Excluded("username")),
				query.Assign("visits", U.C("visits").Add(1)),
			)).
			Build(dialect.Postgres)
	}},
	{libSquirrel, func() (string, []any, error) {
		return psql.Insert("users").Columns("id", "username", "visits").
			Values(int64(1), "alice", 1).
			Suffix("ON CONFLICT (id) DO UPDATE SET username = EXCLUDED.username, visits = users.visits + ?", 1).
			ToSql()
	}},
	{libGoqu, func() (string, []any, error) {
		return pg.Insert("users").Prepared(true).Cols("id", "username", "visits").
			Vals(goqu.Vals{int64(1), "alice", 1}).
			OnConflict(goqu.DoUpdate("id", goqu.Record{
				"username": goqu.I("excluded.username"),
				"visits":   goqu.L("? + ?", goqu.I("users.visits"), 1),
			})).
			ToSQL()
	}},
	{libHand, func() (string, []any, error) {
		const text = "INSERT INTO users (id, username, visits) VALUES ($1, $2, $3) " +
			"ON CONFLICT (id) DO UPDATE SET username = EXCLUDED.username, visits = users.visits + $4"
		return text, []any{int64(1), "alice", 1, 1}, nil
	}},
}

// updateBuilders: UPDATE counters SET counter = counter + 1 WHERE id = 42.
var updateBuilders = []builder{
	{libKinglet, func() (string, []any, error) {
		return query.Update(query.Table("counters")).
			Set("counter", query.C("counter").Add(1)).
			Where(query.C("id").Eq(int64(42))).
			Build(dialect.Postgres)
	}},
	{libSquirrel, func() (string, []any, error) {
		return psql.Update("counters").
			Set("counter", sq.Expr("counter + ?", 1)).
			Where(sq.Eq{"id": int64(42)}).
			ToSql()
	}},
	{libGoqu, func() (string, []any, error) {
		return pg.Update("counters").Prepared(true).
			Set(goqu.Record{"counter": goqu.L("? + ?", goqu.C("counter"), 1)}).
			Where(goqu.C("id").Eq(int64(42))).
			ToSQL()
	}},
	{libHand, func() (string, []any, error) {
		return "UPDATE counters SET counter = counter + $1 WHERE id = $2", []any{1, int64(42)}, nil
	}},
}

// buildStatements names the statements, in the order the results list them.
var buildStatements = []struct {
	name     string
	builders []builder
}{
	{"Select", selectBuilders},
	{"Insert100", insertBuilders},
	{"Upsert", upsertBuilders},
	{"Update", updateBuilders},
}

var (
	sinkSQL  string
	sinkArgs []any
)

// buildBatch is how many statements one library builds per turn in the
// interleaved run: enough that the clock's own cost is noise next to it.
const buildBatch = 16

func benchBuilders(b *testing.B, builders []builder) {
	defer b.Run("interleaved", func(b *testing.B) { interleaveBuilders(b, builders) })
	for _, bl := range builders {
		b.Run(bl.lib, func(b *testing.B) {
			if _, _, err := bl.build(); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				s, args, err := bl.build()
				if err != nil {
					b.Fatal(err)
				}
				sinkSQL, sinkArgs = s, args
			}
		})
	}
}

func BenchmarkBuildSelect(b *testing.B)    { benchBuilders(b, selectBuilders) }
func BenchmarkBuildInsert100(b *testing.B) { benchBuilders(b, insertBuilders) }
func BenchmarkBuildUpsert(b *testing.B)    { benchBuilders(b, upsertBuilders) }
func BenchmarkBuildUpdate(b *testing.B)    { benchBuilders(b, updateBuilders) }

// TestBuildEquivalent checks that every library builds the same statement:
// the same number of arguments with the same values, and the same text once
// quoting, parentheses, spacing, case and the placeholders' numbering are
// set aside (the arguments are inlined for the comparison). Run with -v to
// see the SQL.
func TestBuildEquivalent(t *testing.T) {
	for _, st := range buildStatements {
		t.Run(st.name, func(t *testing.T) {
			var wantText, wantArgs string
			var wantN int
			for i, bl := range st.builders {
				text, args, err := bl.build()
				if err != nil {
					t.Fatalf("%s: %v", bl.lib, err)
				}
				canon, err := canonicalSQL(text, args)
				if err != nil {
					t.Fatalf("%s: %v in %s", bl.lib, err, text)
				}
				shown := text
				if len(shown) > 400 {
					shown = shown[:400] + "…"
				}
				t.Logf("%-8s %d args  %s", bl.lib, len(args), shown)
				argText := inlineArgs(args)
				if i == 0 {
					wantText, wantArgs, wantN = canon, argText, len(args)
					continue
				}
				if len(args) != wantN {
					t.Errorf("%s: %d args, %s has %d", bl.lib, len(args), st.builders[0].lib, wantN)
				}
				if argText != wantArgs {
					t.Errorf("%s: args %s\n%s: args %s", bl.lib, argText, st.builders[0].lib, wantArgs)
				}
				if canon != wantText {
					t.Errorf("%s: statement differs\n%s: %s\n%s: %s", bl.lib, bl.lib, canon, st.builders[0].lib, wantText)
				}
			}
		})
	}
}

// canonicalSQL inlines the $n arguments of text and drops what does not
// change the statement's meaning here: identifier quotes, parentheses,
// whitespace, case, and the INNER of INNER JOIN.
func canonicalSQL(text string, args []any) (string, error) {
	var b strings.Builder
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch {
		case c == '$':
			j := i + 1
			for j < len(text) && text[j] >= '0' && text[j] <= '9' {
				j++
			}
			n, err := strconv.Atoi(text[i+1 : j])
			if err != nil || n < 1 || n > len(args) {
				return "", &placeholderError{text[i:j], len(args)}
			}
			b.WriteString(literal(args[n-1]))
			i = j - 1
		case c == '"' || c == '`' || c == '(' || c == ')' || c == ' ' || c == '\t' || c == '\n':
		default:
			b.WriteByte(c)
		}
	}
	s := strings.ToLower(b.String())
	return strings.ReplaceAll(s, "innerjoin", "join"), nil
}

type placeholderError struct {
	ph string
	n  int
}

func (e *placeholderError) Error() string {
	return "placeholder " + e.ph + " out of range of " + strconv.Itoa(e.n) + " args"
}

func literal(v any) string {
	switch v := v.(type) {
	case string:
		return "'" + v + "'"
	case time.Time:
		return "'" + v.UTC().Format(time.RFC3339Nano) + "'"
	case bool:
		return strconv.FormatBool(v)
	case int:
		return strconv.Itoa(v)
	case int64:
		return strconv.FormatInt(v, 10)
	case uint:
		return strconv.FormatUint(uint64(v), 10)
	case uint64:
		return strconv.FormatUint(v, 10)
	}
	return "?unknown?"
}

func inlineArgs(args []any) string {
	parts := make([]string, len(args))
	for i, a := range args {
		parts[i] = literal(a)
	}
	return strings.Join(parts, ",")
}

// interleaveBuilders runs every library's build buildBatch times per
// iteration, the libraries in a new random order each time, and reports each
// one's median batch time over kinglet's as <lib>/kinglet: how many times
// faster kinglet is. The separate runs above repeat one library -count times
// before the next, so a machine whose speed drifts (a shared VM) skews their
// ratios; here every library sees the same moments.
func interleaveBuilders(b *testing.B, builders []builder) {
	times := make([][]time.Duration, len(builders))
	order := make([]int, len(builders))
	for k := range order {
		order[k] = k
	}
	rng := rand.New(rand.NewPCG(3, 4))
	b.ReportAllocs()
	for b.Loop() {
		rng.Shuffle(len(order), func(x, y int) { order[x], order[y] = order[y], order[x] })
		for _, k := range order {
			build := builders[k].build
			start := time.Now()
			for range buildBatch {
				s, args, err := build()
				if err != nil {
					b.Fatalf("%s: %v", builders[k].lib, err)
				}
				sinkSQL, sinkArgs = s, args
			}
			times[k] = append(times[k], time.Since(start))
		}
	}
	med := make([]float64, len(times))
	for k, ts := range times {
		slices.Sort(ts)
		med[k] = float64(ts[len(ts)/2])
	}
	for k := 1; k < len(builders); k++ { // builders[0] is kinglet
		b.ReportMetric(med[k]/med[0], builders[k].lib+"/kinglet")
	}
}
