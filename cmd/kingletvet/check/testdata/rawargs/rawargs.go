package rawargs

import (
	"github.com/kingletdb/kinglet/query"
)

const twoMarks = "? + ?"

func reported(x, y int) {
	_ = query.Raw("lower(?)")                       // want `raw SQL "lower\(\?\)" has 1 \? but 0 argument\(s\)`
	_ = query.Raw("? BETWEEN ? AND ?", x, y)        // want `has 3 \? but 2 argument\(s\)`
	_ = query.Raw("coalesce(?, 0)", x, y)           // want `has 1 \? but 2 argument\(s\)`
	_ = query.Raw(twoMarks, x)                      // want `has 2 \? but 1 argument\(s\)`
	_ = query.SQL("id = ?")                         // want `has 1 \? but 0 argument\(s\)`
	_ = query.Raw("name = 'x", x)                   // want `raw SQL "name = 'x": unterminated string literal`
	_ = query.Raw("a /* b", x)                      // want `unterminated block comment`
	_ = query.Raw("a = $1", x)                      // want `\$1 is a positional parameter; write \? and pass the value as an argument`
	_ = query.Raw("a = ? AND b = '?' AND c = ?", x) // want `has 2 \? but 1 argument\(s\)`
	_ = query.Raw(`'\'' || ?`, x, y)                // want `has 0 \? \(1 on MySQL\) but 2 argument\(s\)`
}

func fine(x, y int, args []any, text string) {
	_ = query.Raw("lower(?)", x)
	_ = query.Raw("? + ?", x, y)
	_ = query.Raw("now()")
	_ = query.SQL("count(*)")
	// Spread arguments and texts that are not constants.
	_ = query.Raw("? + ? + ?", args...)
	_ = query.Raw(text, x)
	// Marks inside strings, quoted names, comments and dollar quotes.
	_ = query.Raw("a = '?' AND b = ?", x)
	_ = query.Raw(`"col?" = ?`, x)
	_ = query.Raw("`col?` = ?", x)
	_ = query.Raw("a = ? -- why?\n", x)
	_ = query.Raw("a = ? /* why? /* nested? */ still? */", x)
	_ = query.Raw("$$ body? $$ || ?", x)
	_ = query.Raw("$tag$ body? $tag$ || ?", x)
	_ = query.Raw("E'it''s \\' ?' || ?", x)
	_ = query.Raw("'it''s ?' || ?", x)
	// A literal ?.
	_ = query.Raw("data ?? 'key' AND id = ?", x)
	// Engine-dependent texts: MySQL reads # and \' differently; one engine
	// in which the count fits is enough.
	_ = query.Raw("a = ? # b = ?\n", x)
	_ = query.Raw("a = ? # b = ?\n", x, y)
	_ = query.Raw(`'\'' || ?`, x)
	_ = query.Raw(`'\'' || ?`)
	// $1 inside a string.
	_ = query.Raw("'$1' || ?", x)
}
