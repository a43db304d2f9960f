package orm

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sync/atomic"
	"unsafe"

	"github.com/kingletdb/kinglet/fields"
	"github.com/kingletdb/kinglet/query"
)

// ErrUnknownRelation is wrapped when a name given to Load, LoadRelations,
// WhereHas, WhereHasNo or Has is not a relation of the model.
var ErrUnknownRelation = errors.New("kinglet: orm: unknown relation")

// ErrInvalidRelation is wrapped when a relation cannot be resolved: its key
// fields are missing, a model has no usable primary key, or the join model of
// a many_to_many cannot be found.
var ErrInvalidRelation = errors.New("kinglet: orm: invalid relation")

// relationBatch caps the number of keys in one IN (…) list; the dialect's
// parameter limit (dialect.MaxParams) caps it further. Large key sets are
// split into batches of this size. Zero means defaultRelationBatch.
var relationBatch atomic.Int64

const defaultRelationBatch = 1000

func batchSize(maxParams int) int {
	n := int(relationBatch.Load())
	if n <= 0 {
		n = defaultRelationBatch
	}
	if maxParams > 0 && n > maxParams {
		n = maxParams
	}
	return n
}

// Load asks All (and so One and First) to also load the named relations of
// T: Go field names of rel-tagged fields (see fields.Relation), nested with
// dots. Relations are never loaded implicitly.
//
//	users, err := orm.Select[User](db).Load("Tweets", "Tweets.Likes", "Profile").All(ctx)
//
// Each relation named costs one query (one per batch of keys when the keys
// exceed the batch size, 1000 or the dialect's parameter limit), however many
// parents there are: the keys of all parents are collected, deduplicated and
// fetched with IN (…), and the rows are handed to their parents. Nested names
// load the first level, then the next one for all loaded rows together, and
// imply their prefix: users with tweets with likes is three queries, for ten
// users or ten thousand. many_to_many reads the targets joined with the join
// model, in one query per batch.
//
// What lands where:
//   - to-many ([]S or []*S): the related rows ordered by their primary key; a
//     parent with none gets an empty, non-nil slice, so "loaded, none" and
//     "not loaded" (nil) can be told apart.
//   - to-one (*S or S): the related row, or nil (the zero S) when there is
//     none. A has_one with several matching rows takes the one with the
//     lowest primary key. Parents with one belongs_to target share its *S.
//   - a parent whose key is NULL or the zero value (a nil nullable FK, an
//     unsaved model, a key column left out by Columns) relates to nothing and
//     costs nothing.
//
// The join model of a many_to_many (through:Model) is found among the models
// reachable through relations from either side, or else must be made known
// with Register.
//
// A name that is not a relation is an error wrapping ErrUnknownRelation,
// returned before any query runs. Iter loads relations too, a batch of 100
// rows at a time (see Iter). LoadWith loads one relation with a filter, an
// order, a limit per parent or another strategy; JoinLoad fills a to-one
// relation from a JOIN in the same query.
func (s SelectQuery[T]) Load(names ...string) SelectQuery[T] {
	s.preload = append(s.preload[:len(s.preload):len(s.preload)], names...)
	if s.err == nil && s.t != nil {
		if _, err := planLoad(s.t, s.preload); err != nil {
			s.err = err
		}
	}
	return s
}

// LoadRelations loads the named relations (as for SelectQuery.Load) onto
// parents, models already in memory, filling them in place. parents is a
// []T or a []*T of a model struct T (nil pointers are skipped); to load onto
// one model, pass a one-element slice: LoadRelations(ctx, db, []*User{&u}, "Tweets").
// Names are checked before any query runs, also when parents is empty.
func LoadRelations[S ~[]E, E any](ctx context.Context, c Conn, parents S, names ...string) error {
	et := reflect.TypeFor[E]()
	st, byPtr := et, false
	if st.Kind() == reflect.Pointer {
		st, byPtr = st.Elem(), true
	}
	if st.Kind() != reflect.Struct {
		return fmt.Errorf("kinglet: orm: LoadRelations needs a slice of model structs or of pointers to them, not %s", reflect.TypeFor[S]())
	}
	t, err := fields.TableOf(st)
	if err != nil {
		return err
	}
	nodes, err := planLoad(t, names)
	if err != nil {
		return err
	}
	cc, err := coreOf(c)
	if err != nil {
		return err
	}
	if len(nodes) == 0 || len(parents) == 0 {
		return nil
	}
	var set structSet
	if byPtr {
		set.ptrs = make([]unsafe.Pointer, 0, len(parents))
		for i := range parents {
			if p := *(*unsafe.Pointer)(unsafe.Pointer(&parents[i])); p != nil {
				set.ptrs = append(set.ptrs, p)
			}
		}
		set.n = len(set.ptrs)
	} else {
		set.base, set.n, set.stride = unsafe.Pointer(unsafe.SliceData(parents)), len(parents), int(et.Size())
	}
	return (&loader{ctx: ctx, c: cc}).load(set, nodes)
}

// loadRelations loads the named relations onto n models of table t laid out
// stride bytes apart from base (the rows All just scanned).
func loadRelations(ctx context.Context, c Conn, t *fields.Table, base unsafe.Pointer, n, stride int, names []string) error {
	nodes, err := planLoad(t, names)
	if err != nil {
		return err
	}
	cc, err := coreOf(c)
	if err != nil {
		return err
	}
	if len(nodes) == 0 || n == 0 {
		return nil
	}
	return (&loader{ctx: ctx, c: cc}).load(structSet{base: base, n: n, stride: stride}, nodes)
}

// WhereHas keeps the rows of T that have at least one related row through
// the relation name (nested with dots: "Tweets.Likes") matching conds:
//
//	orm.Select[User](db).WhereHas("Tweets", query.Table("tweets").C("likes").Gt(10))
//
// renders WHERE EXISTS (SELECT 1 FROM tweets WHERE tweets.user_id = users.id
// AND tweets.likes > ?). conds apply to the last relation of the path and may
// refer to its table (and, for a many_to_many, to the join model's table,
// which is joined in). A related table that has the same name as an
// enclosing one (a self-referential relation, such as Tweet.ReplyTo) is
// aliased as the snake_case of the relation name ("reply_to"); refer to it
// as query.Table("tweets").As("reply_to").
func (s SelectQuery[T]) WhereHas(name string, conds ...query.Expr) SelectQuery[T] {
	return s.whereHas(name, conds, false)
}

// WhereHasNo keeps the rows of T that have no related row through the
// relation name matching conds: WHERE NOT EXISTS (…), as for WhereHas.
func (s SelectQuery[T]) WhereHasNo(name string, conds ...query.Expr) SelectQuery[T] {
	return s.whereHas(name, conds, true)
}

func (s SelectQuery[T]) whereHas(name string, conds []query.Expr, not bool) SelectQuery[T] {
	if s.err != nil || s.t == nil {
		return s
	}
	e, err := existsFor(s.t, name, conds, not)
	if err != nil {
		s.err = err
		return s
	}
	return s.Where(e)
}

// Has is the EXISTS condition of WhereHas as an expression, to combine with
// others: Where(query.Or(orm.Has[User]("Tweets"), …)). It refers to T's
// table by name, as Select[T] does. A bad name makes the query fail to
// build with an error wrapping ErrUnknownRelation.
func Has[T any](name string, conds ...query.Expr) query.Ex {
	t, err := tableOf[T]()
	if err != nil {
		return query.E(failExpr{err})
	}
	e, err := existsFor(t, name, conds, false)
	if err != nil {
		return query.E(failExpr{err})
	}
	return e
}
