package orm

import (
	"context"
	"errors"
	"unsafe"

	"github.com/kingletdb/kinglet/fields"
)

// Load asks All to also load the named relations of T (Go field names of
// rel-tagged fields), nested with dots: Load("Tweets", "Tweets.Likes").
func (s SelectQuery[T]) Load(names ...string) SelectQuery[T] {
	s.preload = append(s.preload[:len(s.preload):len(s.preload)], names...)
	return s
}

// loadRelations loads relations for n models laid out stride bytes apart
// from base. (Being written: relation loading lands with its tests.)
func loadRelations(ctx context.Context, c Conn, t *fields.Table, base unsafe.Pointer, n, stride int, names []string) error {
	return errors.New("kinglet: orm: relation loading is not built yet")
}
