package orm

import (
	"context"
	"reflect"
)

// Model hooks: implement any of these on the model's pointer type. An error
// from a Before hook aborts the operation with nothing written; an error from
// an After hook is returned after the write (inside a Tx, returning it from
// the Tx function rolls the write back).
type (
	BeforeInserter interface {
		BeforeInsert(ctx context.Context) error
	}
	AfterInserter interface {
		AfterInsert(ctx context.Context) error
	}
	BeforeUpdater interface {
		BeforeUpdate(ctx context.Context) error
	}
	AfterUpdater interface {
		AfterUpdate(ctx context.Context) error
	}
	BeforeDeleter interface {
		BeforeDelete(ctx context.Context) error
	}
	AfterDeleter interface {
		AfterDelete(ctx context.Context) error
	}
	// AfterScanner runs after each row is scanned into the model.
	AfterScanner interface {
		AfterScan(ctx context.Context) error
	}
)

var (
	afterScanType      = reflect.TypeFor[AfterScanner]()
	beforeInserterType = reflect.TypeFor[BeforeInserter]()
	afterInserterType  = reflect.TypeFor[AfterInserter]()
)

func hasAfterScan[T any]() bool {
	return reflect.PointerTo(reflect.TypeFor[T]()).Implements(afterScanType)
}
