package kotel

import (
	"context"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/trace"

	"github.com/kingletdb/kinglet/orm"
)

// txKey finds a hook's txState in a transaction's context.
type txKey struct{ h *Hook }

// txState is a transaction's (or savepoint's) span, and the span context
// its statements' callers are expected to carry: the one of the context the
// transaction began with.
type txState struct {
	span  trace.Span
	outer trace.SpanContext
}

// Attributes of transaction spans; the conventions have none.
const (
	attrTxDepth     = attribute.Key("kinglet.transaction.depth")
	attrTxCommitted = attribute.Key("kinglet.transaction.committed")
)

// BeforeTx starts the span of a transaction ("transaction") or savepoint
// ("savepoint", a child of its transaction's).
func (h *Hook) BeforeTx(ctx context.Context, ev *orm.TxEvent) context.Context {
	if h.tracer == nil {
		return ctx
	}
	name := "transaction"
	if ev.Savepoint != "" {
		name = "savepoint"
	}
	txCtx, span := h.tracer.Start(h.parent(ctx, ev.Parent), name, h.start...)
	if !span.IsRecording() {
		return ctx
	}
	attrs := make([]attribute.KeyValue, 0, 2+len(h.attrs))
	attrs = append(attrs, systemOf(ev.Dialect), attrTxDepth.Int(ev.Depth))
	span.SetAttributes(append(attrs, h.attrs...)...)
	return context.WithValue(txCtx, txKey{h}, &txState{span: span, outer: trace.SpanContextFromContext(ctx)})
}

// AfterTx ends the span of a transaction or savepoint: status Error when it
// did not commit because of an error.
func (h *Hook) AfterTx(ctx context.Context, ev *orm.TxEvent) {
	st, _ := ctx.Value(txKey{h}).(*txState)
	if st == nil {
		return
	}
	var buf [3]attribute.KeyValue
	attrs := append(buf[:0], attrTxCommitted.Bool(ev.Committed))
	if ev.Err != nil {
		attrs = appendErr(attrs, ev.Err)
		st.span.SetStatus(codes.Error, ev.Err.Error())
	}
	st.span.SetAttributes(attrs...)
	st.span.End()
}

// parent is the context to start a span of a statement (or savepoint) in
// tx under: ctx with tx's span when ctx carries the span tx began under
// (the caller passed the context of DB.Tx on, as is usual), else ctx.
func (h *Hook) parent(ctx context.Context, tx *orm.TxEvent) context.Context {
	if tx == nil || tx.Context() == nil {
		return ctx
	}
	st, _ := tx.Context().Value(txKey{h}).(*txState)
	if st == nil || !trace.SpanContextFromContext(ctx).Equal(st.outer) {
		return ctx
	}
	return trace.ContextWithSpan(ctx, st.span)
}
