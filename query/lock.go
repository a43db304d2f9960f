package query

import "github.com/kingletdb/kinglet/dialect"

type lockClause struct {
	strength   string // "UPDATE", "SHARE", "NO KEY UPDATE", "KEY SHARE"
	of         []TableRef
	noWait     bool
	skipLocked bool
}

// LockOption refines a row lock: Of, NoWait, SkipLocked.
type LockOption func(*lockClause)

// Of limits the lock to rows of the given tables: FOR UPDATE OF t
// (PostgreSQL, MySQL 8).
func Of(tables ...TableRef) LockOption {
	return func(l *lockClause) { l.of = append(l.of[:len(l.of):len(l.of)], tables...) }
}

// Lock options: fail at once instead of waiting, or skip locked rows.
var (
	NoWait     LockOption = func(l *lockClause) { l.noWait = true }
	SkipLocked LockOption = func(l *lockClause) { l.skipLocked = true }
)

// ForUpdate locks the selected rows for update. SQLite has no row locks: the
// query fails to build there (use a write transaction instead).
func (q SelectQuery) ForUpdate(opts ...LockOption) SelectQuery { return q.withLock("UPDATE", opts) }

// ForShare takes a shared lock on the selected rows (LOCK IN SHARE MODE on
// MariaDB).
func (q SelectQuery) ForShare(opts ...LockOption) SelectQuery { return q.withLock("SHARE", opts) }

// ForNoKeyUpdate is PostgreSQL's FOR NO KEY UPDATE.
func (q SelectQuery) ForNoKeyUpdate(opts ...LockOption) SelectQuery {
	return q.withLock("NO KEY UPDATE", opts)
}

// ForKeyShare is PostgreSQL's FOR KEY SHARE.
func (q SelectQuery) ForKeyShare(opts ...LockOption) SelectQuery {
	return q.withLock("KEY SHARE", opts)
}

func (q SelectQuery) withLock(strength string, opts []LockOption) SelectQuery {
	l := &lockClause{strength: strength}
	for _, o := range opts {
		o(l)
	}
	q.setRare().lock = l
	return q
}

func (l *lockClause) appendSQL(b *Builder) {
	switch l.strength {
	case "UPDATE":
		if !b.Require(dialect.ForUpdate) {
			return
		}
		b.Lit(" FOR UPDATE")
	case "SHARE":
		switch {
		case b.d.Has(dialect.ForShare):
			b.Lit(" FOR SHARE")
		case b.d.Has(dialect.LockInShareMode):
			if len(l.of) > 0 {
				b.Require(dialect.LockOf)
				return
			}
			b.Lit(" LOCK IN SHARE MODE")
		default:
			b.Require(dialect.ForShare)
			return
		}
	default:
		if !b.Require(dialect.ForNoKeyUpdate) {
			return
		}
		b.Lit(" FOR ")
		b.Lit(l.strength)
	}
	if len(l.of) > 0 {
		if !b.Require(dialect.LockOf) {
			return
		}
		b.Lit(" OF ")
		for i, t := range l.of {
			if i > 0 {
				b.Lit(", ")
			}
			t.AppendSQL(b)
		}
	}
	if l.noWait && b.Require(dialect.LockNoWait) {
		b.Lit(" NOWAIT")
	}
	if l.skipLocked && b.Require(dialect.LockSkipLocked) {
		b.Lit(" SKIP LOCKED")
	}
}
