package fields

import (
	"errors"
	"strconv"
)

// Sentinels wrapped by every error TableOf returns; check them with errors.Is.
var (
	// ErrBadTag reports a db or rel tag that cannot be parsed or does not fit
	// its field: an unknown option, a malformed value, contradictory options.
	ErrBadTag = errors.New("kinglet: fields: bad struct tag")
	// ErrUnsupportedType reports a field whose Go type cannot be stored in a
	// column (a map, a channel, a struct that is neither a value type nor a
	// relation) and was not skipped with db:"-".
	ErrUnsupportedType = errors.New("kinglet: fields: unsupported field type")
	// ErrInvalidModel reports a model that is wrong as a whole: not a struct,
	// no columns, two fields on one column, a TableName method that fails.
	ErrInvalidModel = errors.New("kinglet: fields: invalid model")
)

// ErrInvalidValue reports a value that a column cannot take: one whose Go
// type does not convert to the field's without loss (Field.Arg), or one the
// engine would store but not give back unchanged (a NaN where it becomes
// NULL, a time outside the range the engine reads back; see
// dialect.Limits). It is wrapped by the errors of every write that refuses
// such a value before it reaches the table.
var ErrInvalidValue = errors.New("kinglet: fields: invalid value")

// Error is what TableOf returns for a model it cannot describe. Its message
// names the struct, the field and the tag option, e.g.
//
//	kinglet: fields: User.Age: tag "size:abc": size must be a positive integer
//
// It unwraps to ErrBadTag, ErrUnsupportedType or ErrInvalidModel.
type Error struct {
	Model  string // the struct type's name
	Field  string // the Go field path inside the struct, e.g. "Base.ID"; empty for the whole model
	Option string // the offending tag or tag option as written; empty if none
	Msg    string // what is wrong
	Err    error  // the sentinel
}

// Error is the message: the model, the field, the tag option and what is
// wrong with it.
func (e *Error) Error() string {
	b := make([]byte, 0, 64)
	b = append(b, "kinglet: fields: "...)
	b = append(b, e.Model...)
	if e.Field != "" {
		b = append(b, '.')
		b = append(b, e.Field...)
	}
	if e.Option != "" {
		b = append(b, ": tag "...)
		b = strconv.AppendQuote(b, e.Option)
	}
	b = append(b, ": "...)
	b = append(b, e.Msg...)
	return string(b)
}

// Unwrap returns the sentinel, so that errors.Is(err, ErrBadTag) works.
func (e *Error) Unwrap() error { return e.Err }
