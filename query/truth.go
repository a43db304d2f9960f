package query

import "strings"

// Conditions whose value is known whatever the row. An UPDATE or DELETE whose
// WHERE always holds is refused like one with no WHERE (ErrNoWhere unless
// AllRows): a filter built from optional parameters that are all absent,
// And(filters...) with no filters, must not touch every row.

const (
	truthUnknown int8 = 0
	truthAlways  int8 = 1  // true for every row
	truthNever   int8 = -1 // false for every row
)

// truthOf is what cond is known to evaluate to for every row: an empty And
// (true) or Or (false), groups of such, NOT of one, an empty IN or NOT IN,
// a bound true or false, and the raw constants 1 = 1, 1 = 0, TRUE, FALSE.
func truthOf(cond Expr) int8 {
	switch x := unwrap(cond).(type) {
	case *junction:
		return x.truth()
	case *not:
		return -truthOf(x.e)
	case *in:
		if x.sub == nil && len(x.vals) == 0 {
			if x.not {
				return truthAlways
			}
			return truthNever
		}
	case value:
		return boolTruth(x.v)
	case *value:
		return boolTruth(x.v)
	case *raw:
		if len(x.args) == 0 {
			return rawTruth(x.text)
		}
	}
	return truthUnknown
}

// truth is AND's or OR's known value: AND holds when every operand always
// holds (so the empty AND) and fails when one never does; OR the reverse.
func (j *junction) truth() int8 {
	and := j.p == precAnd
	unit, zero := truthAlways, truthNever // AND: true is the unit, false absorbs
	if !and {
		unit, zero = truthNever, truthAlways
	}
	all := true
	for _, c := range j.conds {
		switch truthOf(c) {
		case zero:
			return zero
		case unit:
		default:
			all = false
		}
	}
	if all {
		return unit
	}
	return truthUnknown
}

func boolTruth(v any) int8 {
	if b, ok := v.(bool); ok {
		if b {
			return truthAlways
		}
		return truthNever
	}
	return truthUnknown
}

// rawTruth tells the constant conditions written by hand as raw SQL.
func rawTruth(text string) int8 {
	s := strings.ToUpper(strings.Join(strings.Fields(text), ""))
	for len(s) >= 2 && s[0] == '(' && s[len(s)-1] == ')' {
		s = s[1 : len(s)-1]
	}
	switch s {
	case "1=1", "TRUE", "1", "NOTFALSE", "0=0", "''=''":
		return truthAlways
	case "1=0", "0=1", "FALSE", "0", "NOTTRUE":
		return truthNever
	}
	return truthUnknown
}

// alwaysTrue reports whether conds, ANDed, hold for every row: none at all,
// or each of them always true.
func alwaysTrue(conds []Expr) bool {
	for _, c := range conds {
		if truthOf(c) != truthAlways {
			return false
		}
	}
	return true
}

// noWhere is the check of an UPDATE's or DELETE's WHERE: "" when it filters
// rows, else why it does not.
func noWhere(conds []Expr) string {
	if len(conds) == 0 {
		return "has no WHERE"
	}
	if alwaysTrue(conds) {
		return "has a WHERE that holds for every row (an empty And() or the like)"
	}
	return ""
}
