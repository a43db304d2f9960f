package fields

// Kind is the storage class of a column, independent of any engine. Each
// dialect maps a Kind (plus size, precision and key hints) to its own type name.
type Kind uint8

// The kinds a model field can have. KindInvalid is the zero value and is never
// a valid column kind.
const (
	KindInvalid Kind = iota
	KindBool
	KindInt8
	KindInt16
	KindInt32
	KindInt64
	KindUint8
	KindUint16
	KindUint32
	KindUint64
	KindFloat32
	KindFloat64
	KindDecimal // exact numeric with Precision and Scale
	KindString  // VARCHAR(Size) when Size > 0, otherwise unbounded text
	KindBytes
	KindTime // a timestamp with at least microsecond precision, stored as UTC
	KindDate // a calendar date without time of day
	KindJSON
	KindUUID
)

var kindNames = [...]string{
	KindInvalid: "invalid",
	KindBool:    "bool",
	KindInt8:    "int8",
	KindInt16:   "int16",
	KindInt32:   "int32",
	KindInt64:   "int64",
	KindUint8:   "uint8",
	KindUint16:  "uint16",
	KindUint32:  "uint32",
	KindUint64:  "uint64",
	KindFloat32: "float32",
	KindFloat64: "float64",
	KindDecimal: "decimal",
	KindString:  "string",
	KindBytes:   "bytes",
	KindTime:    "time",
	KindDate:    "date",
	KindJSON:    "json",
	KindUUID:    "uuid",
}

// String returns the kind's lower-case name, e.g. "int64".
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind(" + itoa(int(k)) + ")"
}

// IsInteger reports whether k is one of the signed or unsigned integer kinds.
func (k Kind) IsInteger() bool { return k >= KindInt8 && k <= KindUint64 }

// ColumnType is what a dialect needs to choose a column's SQL type name.
type ColumnType struct {
	Kind      Kind
	Size      int  // maximum length for strings and bytes; 0 = unbounded
	Precision int  // total digits for KindDecimal
	Scale     int  // digits after the point for KindDecimal
	AutoInc   bool // an auto-increment integer primary key
	Key       bool // part of a primary key, unique constraint or index (MySQL cannot index TEXT)
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	neg := n < 0
	if neg {
		n = -n
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}
