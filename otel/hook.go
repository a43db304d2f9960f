package kotel

import (
	"context"
	"sync"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric"
	semconv "go.opentelemetry.io/otel/semconv/v1.40.0"
	"go.opentelemetry.io/otel/trace"
	tracenoop "go.opentelemetry.io/otel/trace/noop"

	"github.com/kingletdb/kinglet/orm"
)

// ScopeName is the instrumentation scope of the hook's tracer and meter.
const ScopeName = "github.com/kingletdb/kinglet/otel"

// Hook is the OpenTelemetry hook: add it to a DB with DB.WithHooks. It is
// safe for concurrent use.
type Hook struct {
	tracer    trace.Tracer // nil for a no-op provider: no span to start
	duration  metric.Float64Histogram
	attrs     []attribute.KeyValue
	queryText bool
	start     []trace.SpanStartOption
	names     sync.Map // nameKey → string: "{operation} {table}", made once
	sets      sync.Map // setKey → attribute.Set of a successful statement's measurement
}

var (
	_ orm.QueryHook   = (*Hook)(nil)
	_ orm.TxHook      = (*Hook)(nil)
	_ orm.ArgsIgnorer = (*Hook)(nil)
)

// IgnoresArgs reports that the hook never reads a statement's arguments:
// values are never part of a span or measurement, so the ORM need not copy
// them for it (see orm.ArgsIgnorer).
func (*Hook) IgnoresArgs() bool { return true }

// Option configures a Hook.
type Option func(*config)

type config struct {
	tp        trace.TracerProvider
	mp        metric.MeterProvider
	attrs     []attribute.KeyValue
	queryText bool
}

// WithTracerProvider makes the spans with tp's tracer; the default is the
// global provider (otel.GetTracerProvider) when New runs.
func WithTracerProvider(tp trace.TracerProvider) Option {
	return func(c *config) { c.tp = tp }
}

// WithMeterProvider records the duration histogram with mp's meter; the
// default is the global provider (otel.GetMeterProvider) when New runs.
func WithMeterProvider(mp metric.MeterProvider) Option {
	return func(c *config) { c.mp = mp }
}

// WithAttributes adds attrs to every span and measurement: what kinglet
// does not know per statement, such as the server (semconv.ServerAddress,
// semconv.ServerPort) and the database (semconv.DBNamespace). Keep them few
// and of low cardinality: they are on the histogram too.
func WithAttributes(attrs ...attribute.KeyValue) Option {
	return func(c *config) { c.attrs = append(c.attrs, attrs...) }
}

// WithoutQueryText leaves db.query.text out of the spans. The text is the
// SQL with its placeholders, never the values (kinglet binds every value),
// so it is on by default, as the conventions recommend; leave it out where
// even table and column names must not be exported.
func WithoutQueryText() Option {
	return func(c *config) { c.queryText = false }
}

// New returns a hook that traces and measures statements (see the package
// documentation).
func New(opts ...Option) *Hook {
	c := config{queryText: true}
	for _, o := range opts {
		o(&c)
	}
	if c.tp == nil {
		c.tp = otel.GetTracerProvider()
	}
	if c.mp == nil {
		c.mp = otel.GetMeterProvider()
	}
	h := &Hook{
		attrs:     c.attrs,
		queryText: c.queryText,
		start:     []trace.SpanStartOption{trace.WithSpanKind(trace.SpanKindClient)},
	}
	if _, noop := c.tp.(tracenoop.TracerProvider); !noop {
		// A no-op provider's spans would only carry the caller's span
		// context on, which the caller's context does already.
		h.tracer = c.tp.Tracer(ScopeName, trace.WithSchemaURL(semconv.SchemaURL))
	}
	meter := c.mp.Meter(ScopeName, metric.WithSchemaURL(semconv.SchemaURL))
	var err error
	h.duration, err = meter.Float64Histogram("db.client.operation.duration",
		metric.WithDescription("Duration of database client operations."),
		metric.WithUnit("s"),
		metric.WithExplicitBucketBoundaries(0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 10))
	if err != nil {
		otel.Handle(err) // the meter still returns a working instrument, or a no-op one
	}
	return h
}

// BeforeQuery starts the statement's span: a child of the span in ctx, or
// of its transaction's (see the package documentation).
func (h *Hook) BeforeQuery(ctx context.Context, ev *orm.QueryEvent) context.Context {
	if h.tracer == nil {
		return ctx
	}
	ctx, span := h.tracer.Start(h.parent(ctx, ev.Tx), h.spanName(ev), h.start...)
	if span.IsRecording() {
		var buf [8]attribute.KeyValue
		span.SetAttributes(h.startAttrs(buf[:0], ev)...)
	}
	return ctx
}

// AfterQuery ends the statement's span and records its duration.
func (h *Hook) AfterQuery(ctx context.Context, ev *orm.QueryEvent) {
	if span := trace.SpanFromContext(ctx); h.tracer != nil && span.IsRecording() {
		var buf [4]attribute.KeyValue
		attrs := buf[:0]
		if ev.Returned >= 0 {
			attrs = append(attrs, semconv.DBResponseReturnedRows(int(ev.Returned)))
		} else if ev.Rows >= 0 && ev.Err == nil {
			attrs = append(attrs, attrRowsAffected.Int64(ev.Rows))
		}
		if ev.Err != nil {
			attrs = appendErr(attrs, ev.Err)
			span.SetStatus(codes.Error, ev.Err.Error())
		}
		span.SetAttributes(attrs...)
		span.End()
	}
	if h.duration.Enabled(ctx) {
		h.record(ctx, ev)
	}
}

// attrRowsAffected is the rows a statement changed: the conventions have
// no attribute for it.
const attrRowsAffected = attribute.Key("kinglet.rows_affected")

// startAttrs appends the attributes a statement's span has from its start.
func (h *Hook) startAttrs(attrs []attribute.KeyValue, ev *orm.QueryEvent) []attribute.KeyValue {
	attrs = append(attrs, systemName(ev))
	if ev.Operation != "" {
		attrs = append(attrs, semconv.DBOperationName(ev.Operation), semconv.DBQuerySummary(h.spanName(ev)))
	}
	if ev.Table != "" {
		attrs = append(attrs, semconv.DBCollectionName(ev.Table))
	}
	if h.queryText {
		attrs = append(attrs, semconv.DBQueryText(ev.SQL))
	}
	return append(attrs, h.attrs...)
}

type nameKey struct{ op, table string }

// spanName is "{operation} {table}", "{operation}", or the system's name
// for SQL of the caller's: made once per pair, so that a span that does
// not record costs no string.
func (h *Hook) spanName(ev *orm.QueryEvent) string {
	switch {
	case ev.Operation == "":
		return systemName(ev).Value.AsString()
	case ev.Table == "":
		return ev.Operation
	}
	k := nameKey{ev.Operation, ev.Table}
	if v, ok := h.names.Load(k); ok {
		return v.(string)
	}
	name := ev.Operation + " " + ev.Table
	h.names.Store(k, name)
	return name
}

type setKey struct {
	system    attribute.KeyValue
	op, table string
}

// record records a statement's duration, with the attribute set of its
// kind cached for successful ones.
func (h *Hook) record(ctx context.Context, ev *orm.QueryEvent) {
	secs := ev.Duration.Seconds()
	if ev.Err != nil {
		var buf [8]attribute.KeyValue
		attrs := appendErr(h.metricAttrs(buf[:0], ev), ev.Err)
		h.duration.Record(ctx, secs, metric.WithAttributes(attrs...))
		return
	}
	k := setKey{systemName(ev), ev.Operation, ev.Table}
	if v, ok := h.sets.Load(k); ok {
		h.duration.Record(ctx, secs, metric.WithAttributeSet(v.(attribute.Set)))
		return
	}
	var buf [8]attribute.KeyValue
	set := attribute.NewSet(h.metricAttrs(buf[:0], ev)...)
	h.sets.Store(k, set)
	h.duration.Record(ctx, secs, metric.WithAttributeSet(set))
}

// metricAttrs appends the histogram's attributes of a statement.
func (h *Hook) metricAttrs(attrs []attribute.KeyValue, ev *orm.QueryEvent) []attribute.KeyValue {
	attrs = append(attrs, systemName(ev))
	if ev.Operation != "" {
		attrs = append(attrs, semconv.DBOperationName(ev.Operation), semconv.DBQuerySummary(h.spanName(ev)))
	}
	if ev.Table != "" {
		attrs = append(attrs, semconv.DBCollectionName(ev.Table))
	}
	return append(attrs, h.attrs...)
}
