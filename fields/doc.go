// Package fields turns Go model structs into table metadata: columns, keys,
// indexes and the kinds of their values. It knows nothing of SQL text; the
// dialect package maps each Kind to an engine's type name.
package fields
