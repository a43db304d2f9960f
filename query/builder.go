package query

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/kingletdb/kinglet/dialect"
)

// Expr is every node of the tree: columns, values, operators, functions and
// whole statements. AppendSQL writes the node into b.
type Expr interface {
	AppendSQL(b *Builder)
}

// Errors wrapped by Build's errors; check them with errors.Is.
var (
	// ErrUnsupported marks a construct the target dialect lacks.
	ErrUnsupported = dialect.ErrUnsupported
	// ErrNoWhere marks an UPDATE or DELETE without WHERE that was not
	// confirmed with AllRows.
	ErrNoWhere = errors.New("kinglet: query: UPDATE or DELETE without WHERE")
	// ErrInvalid marks a malformed query: an empty identifier, a wrong number
	// of raw arguments, a missing alias and the like.
	ErrInvalid = errors.New("kinglet: query: invalid query")
	// ErrTooManyParams marks a statement with more bound parameters than
	// the dialect's MaxParams; it wraps ErrInvalid.
	ErrTooManyParams = fmt.Errorf("%w: too many bound parameters", ErrInvalid)
)

// Builder accumulates SQL text and bound arguments for one dialect. The first
// error wins; later writes are no-ops, so rendering code reads straight through.
type Builder struct {
	d      dialect.Dialect
	q      byte // the dialect's IdentQuote, or 0
	ph     byte // the dialect's Placeholder mark ('?' or '$'), or 0
	max    int  // the dialect's MaxParams
	buf    []byte
	args   []any
	err    error
	depth  int  // statement nesting; a nested statement is parenthesized
	inline bool // DDL and debug output: values as literals
	sel    bool // rendering a select list: aliases print "expr AS alias"
	check  ColumnCheck
	bare   *TableRef // SQLite RETURNING, an index: this table's columns render unqualified
	index  string    // the index whose key parts and WHERE are being rendered (bare is its table)
	ctes   []cteName // the CTEs the WITHs of the statements being rendered define
	// The scopes of unqualified names, kept while check is set (scope.go).
	scopes []scopeFrame
	srcs   []scopeSource
	defs   []string
	detach bool // the next scope is a derived table's or CTE's (scope.go)
}

// ColumnCheck vets each column as it is rendered; an error fails the
// build. The ORM uses it to refuse a column its model lacks before the
// database is called. A table-qualified column is checked against its
// table (alias is its alias, or ""). An unqualified column, C("name"), is
// checked against the plain tables of the statement it stands in (its FROM,
// joins, or the target of an UPDATE or DELETE) and of the statements around
// it, and passes when one of them accepts it or the statement defines the
// name itself: a select-list alias, a column of a derived table or a CTE.
// A check should accept any column of a table it knows nothing about.
type ColumnCheck func(table, alias, column string) error

// NewBuilder returns a Builder for d. Most callers use Build instead.
func NewBuilder(d dialect.Dialect) *Builder {
	b := &Builder{}
	b.setDialect(d)
	return b
}

func (b *Builder) setDialect(d dialect.Dialect) {
	m := dialect.MarksOf(d)
	b.d, b.q, b.ph, b.max = d, m.IdentQuote, m.Placeholder, m.MaxParams
}

// Dialect is the dialect being rendered.
func (b *Builder) Dialect() dialect.Dialect { return b.d }

// Lit appends raw SQL text: keywords and punctuation, never user data.
func (b *Builder) Lit(s string) {
	if b.err == nil {
		b.buf = append(b.buf, s...)
	}
}

// byte appends one punctuation character.
func (b *Builder) byte(c byte) {
	if b.err == nil {
		b.buf = append(b.buf, c)
	}
}

// Ident appends a dotted, quoted identifier: Ident("public", "users") renders
// "public"."users". Empty parts and NUL bytes are errors.
func (b *Builder) Ident(parts ...string) {
	if b.err != nil {
		return
	}
	for i, p := range parts {
		if !b.checkIdent(p) {
			return
		}
		if i > 0 {
			b.buf = append(b.buf, '.')
		}
		b.buf = b.d.AppendIdent(b.buf, p)
	}
}

func (b *Builder) ident(p string) {
	// The usual name fits the buffer as it is and is plain (see copyPlain):
	// copy it between quotes with no call, so that nothing is spilled.
	// Only the length of b.buf is stored back (b.buf = b.buf[:m]): a store of
	// its pointer would pay the write barrier while the collector runs.
	buf, q := b.buf, b.q
	if n, k := len(buf), len(p); q != 0 && k != 0 && k+2 <= cap(buf)-n && b.err == nil {
		buf = buf[:n+k+2]
		if copyPlain(buf[n+1:n+1+k], p, q) {
			buf[n], buf[n+1+k] = q, q
			b.buf = b.buf[:n+k+2]
			return
		}
	}
	b.identSlow(p)
}

// identSlow is ident for a name that needs the buffer to grow (it grows it
// and tries ident again), or quoting (a quote character to double), or is
// wrong (empty, a NUL byte).
func (b *Builder) identSlow(p string) {
	if b.err != nil {
		return
	}
	if b.q != 0 && p != "" && cap(b.buf)-len(b.buf) < len(p)+2 {
		b.buf = slices.Grow(b.buf, len(p)+2)
		b.ident(p)
		return
	}
	if b.checkIdent(p) {
		b.buf = b.d.AppendIdent(b.buf, p)
	}
}

// identPair appends the qualified name "a"."n" when both parts are plain
// (see copyPlain), and reports whether it did; otherwise it appends nothing
// and the caller quotes the parts one by one.
func (b *Builder) identPair(a, n string) bool {
	if b.err != nil || a == "" || n == "" {
		return false
	}
	q := b.q
	at, m := len(b.buf), len(a)+len(n)+5
	if cap(b.buf)-at < m {
		b.buf = slices.Grow(b.buf, m)
	}
	buf := b.buf[:at+m]
	i := at + 1 + len(a)
	if !copyPlain(buf[at+1:], a, q) || !copyPlain(buf[i+3:], n, q) {
		return false
	}
	buf[at], buf[i], buf[i+1], buf[i+2], buf[len(buf)-1] = q, q, '.', q, q
	b.buf = b.buf[:at+m] // the length only, as in ident
	return true
}

// copyPlain copies p to the start of dst and reports whether p is plain: no
// NUL byte and no quote character q, the usual name, which quoting encloses
// as it is. On false, dst holds a part of p.
func copyPlain(dst []byte, p string, q byte) bool {
	dst = dst[:len(p)]
	for i := 0; i < len(p); i++ {
		c := p[i]
		if c == 0 || c == q {
			return false
		}
		dst[i] = c
	}
	return true
}

func (b *Builder) checkIdent(p string) bool {
	if p == "" {
		b.Fail(fmt.Errorf("%w: empty identifier", ErrInvalid))
		return false
	}
	if strings.IndexByte(p, 0) >= 0 {
		b.Fail(fmt.Errorf("%w: identifier %q contains a NUL byte", ErrInvalid, p))
		return false
	}
	return true
}

// Arg appends a bound parameter for v; the Builder alone numbers them. In
// DDL (where engines take no parameters) v is written as a literal instead.
func (b *Builder) Arg(v any) {
	if b.err != nil {
		return
	}
	if b.inline {
		b.literal(v)
		return
	}
	b.args = append(b.args, v)
	// dialect.AppendDollar's short cases, written here so that they inline.
	switch n := len(b.args); {
	case b.ph == '?':
		b.buf = append(b.buf, '?')
	case b.ph == '$' && n < 10:
		b.buf = append(b.buf, '$', byte('0'+n))
	case b.ph == '$' && n < 100:
		b.buf = append(b.buf, '$', byte('0'+n/10), byte('0'+n%10))
	case b.ph == '$' && n < 1000:
		b.buf = append(b.buf, '$', byte('0'+n/100), byte('0'+n/10%10), byte('0'+n%10))
	case b.ph == '$':
		b.buf = dialect.AppendDollar(b.buf, n)
	default:
		b.buf = b.d.AppendPlaceholder(b.buf, n)
	}
}

// Fail records err unless an earlier error is already recorded.
func (b *Builder) Fail(err error) {
	if b.err == nil && err != nil {
		b.err = err
	}
}

// Err is the first error recorded.
func (b *Builder) Err() error { return b.err }

// Require fails with an error naming feature f and the dialect when the
// dialect lacks it, and reports whether it has it.
func (b *Builder) Require(f dialect.Feature) bool {
	if b.d.Has(f) {
		return true
	}
	b.Fail(dialect.Unsupported(b.d, f.String()))
	return false
}

// Unsupported fails with an error naming what and the dialect.
func (b *Builder) Unsupported(what string) { b.Fail(dialect.Unsupported(b.d, what)) }

// Expr appends e; a nil e is an error.
func (b *Builder) Expr(e Expr) {
	if b.err != nil {
		return
	}
	if e == nil {
		b.Fail(fmt.Errorf("%w: nil expression", ErrInvalid))
		return
	}
	e.AppendSQL(b)
}

// Int appends an integer as SQL text; used for lengths and frame offsets
// that are part of the grammar, never for user values.
func (b *Builder) Int(n int64) {
	if b.err == nil {
		b.buf = strconv.AppendInt(b.buf, n, 10)
	}
}

// list appends es separated by ", ".
func (b *Builder) list(es []Expr) {
	for i, e := range es {
		if i > 0 {
			b.Lit(", ")
		}
		b.Expr(e)
	}
}

func (b *Builder) idents(names []string) {
	for i, n := range names {
		if i > 0 {
			b.Lit(", ")
		}
		b.ident(n)
	}
}

// nested renders a statement body, parenthesized when it is not the top-level
// statement (a subquery).
func (b *Builder) nested(body func()) {
	paren := b.depth > 0
	if paren {
		b.byte('(')
	}
	b.depth++
	sel := b.sel
	b.sel = false
	body()
	if len(b.ctes) != 0 {
		b.endCTEs() // the statement's WITH ends with it
	}
	b.sel = sel
	b.depth--
	if paren {
		b.byte(')')
	}
}

var builderPool = sync.Pool{New: func() any { return &Builder{buf: make([]byte, 0, 256), args: make([]any, 0, 16)} }}

// Build renders e for dialect d, returning the SQL text and its bound
// arguments in placeholder order. The text and the arguments of a small
// statement share one allocation, so a text kept long after its query ran
// (a cache keyed by SQL, say) keeps the arguments too: keep a
// strings.Clone of it there.
func Build(d dialect.Dialect, e Expr) (string, []any, error) {
	return BuildChecked(d, e, nil)
}

// BuildChecked is Build with check run on every column (see ColumnCheck).
func BuildChecked(d dialect.Dialect, e Expr, check ColumnCheck) (string, []any, error) {
	if e == nil {
		return buildSized(d, check, nil, 0)
	}
	return buildSized(d, check, e.AppendSQL, 0)
}

// ownArgs is the argument count from which a statement that knows it in
// advance (a many-row INSERT) renders into a slice of its own, handed to the
// caller as it is, instead of copying the pooled Builder's.
const ownArgs = 64

// buildSized renders through render, for a statement expecting about nargs
// arguments (0: unknown). The statement types' Build methods pass their
// render method as a method value, which, unlike a conversion to Expr, does
// not copy the statement to the heap.
func buildSized(d dialect.Dialect, check ColumnCheck, render func(*Builder), nargs int) (string, []any, error) {
	if d == nil {
		return "", nil, fmt.Errorf("%w: nil dialect", ErrInvalid)
	}
	b := builderPool.Get().(*Builder)
	b.setDialect(d)
	b.check = check
	var pooled []any
	if nargs >= ownArgs {
		pooled, b.args = b.args, make([]any, 0, nargs+nargs/8)
	}
	if render == nil {
		b.Fail(fmt.Errorf("%w: nil expression", ErrInvalid))
	} else {
		render(b)
	}
	var (
		sql  string
		args []any
		err  = b.err
	)
	if len(b.args) > b.max && err == nil {
		err = tooManyParams(b)
	}
	if err == nil {
		if pooled != nil {
			sql, args = string(b.buf), b.args[:len(b.args):len(b.args)]
		} else {
			sql, args = textAndArgs(b.buf, b.args)
		}
	}
	if pooled != nil {
		b.args = pooled
	}
	b.reset()
	return sql, args, err
}

func (b *Builder) reset() {
	clear(b.args)
	if cap(b.buf) > 64<<10 || cap(b.args) > 4096 {
		return // let oversized buffers go to the garbage collector
	}
	clear(b.ctes) // a failed build may leave CTE names behind
	*b = Builder{buf: b.buf[:0], args: b.args[:0], ctes: b.ctes[:0], scopes: b.scopes[:0], srcs: b.srcs[:0], defs: b.defs[:0]}
	builderPool.Put(b)
}

// BuildInline renders e with every value written as a literal. Engines accept
// no bound parameters in DDL, and logs want readable text; nothing else
// should use it.
func BuildInline(d dialect.Dialect, e Expr) (string, error) {
	b := &Builder{inline: true}
	b.setDialect(d)
	b.Expr(e)
	return string(b.buf), b.err
}

// Debug renders e with values inlined, for logs only: never execute its
// result. Errors are rendered inline as /* error: … */.
func Debug(d dialect.Dialect, e Expr) string {
	s, err := BuildInline(d, e)
	if err != nil {
		return s + " /* error: " + err.Error() + " */"
	}
	return s
}

// tooManyParams is the error of a statement with more arguments than b's
// dialect takes, which the driver or the server would refuse.
func tooManyParams(b *Builder) error {
	return fmt.Errorf("%w: the statement has %d, %s takes at most %d: split the list into batches, "+
		"or pass it as a subquery or through a temporary table (on PostgreSQL, col = ANY(?) with one array argument)",
		ErrTooManyParams, len(b.args), b.d, b.max)
}
