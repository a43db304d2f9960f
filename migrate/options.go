package migrate

import (
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path"
)

// DefaultTable is the name of the history table.
const DefaultTable = "kinglet_migrations"

// Option configures a Runner; New validates every option and reports the
// first invalid one.
type Option interface {
	apply(*config) error
}

type optionFunc func(*config) error

func (f optionFunc) apply(c *config) error { return f(c) }

type fsSource struct {
	fsys  fs.FS
	dir   string
	shown string // the directory as named in messages; "" = dir
}

type config struct {
	fs               []fsSource
	goMigs           []Migration
	table            string
	outOfOrder       bool
	checksumMismatch bool
	logger           *slog.Logger
	dryRun           bool
	progress         func(Result)
}

// WithFS adds the SQL migrations in directory dir of fsys (an embed.FS, or
// os.DirFS): files named NNNN_name.up.sql, each with an optional
// NNNN_name.down.sql. Other files (README.md, .go files) are ignored; a .sql
// file with another kind of name is an error. Subdirectories are not read.
// It may be given more than once.
func WithFS(fsys fs.FS, dir string) Option {
	return optionFunc(func(c *config) error {
		if fsys == nil {
			return fmt.Errorf("%w: WithFS: nil fs.FS", ErrInvalid)
		}
		if dir == "" {
			dir = "."
		}
		dir = path.Clean(dir)
		if !fs.ValidPath(dir) {
			return fmt.Errorf("%w: WithFS: %q is not a valid fs.FS path (slash-separated, relative, no ..)", ErrInvalid, dir)
		}
		c.fs = append(c.fs, fsSource{fsys: fsys, dir: dir})
		return nil
	})
}

// WithDir adds the SQL migrations in directory dir on disk, as
// WithFS(os.DirFS(dir), ".") would, and names its files in results and
// messages dir/file with dir as given: absolute, relative, with "..".
func WithDir(dir string) Option {
	return optionFunc(func(c *config) error {
		if dir == "" {
			return fmt.Errorf("%w: WithDir: empty directory", ErrInvalid)
		}
		c.fs = append(c.fs, fsSource{os.DirFS(dir), ".", dir})
		return nil
	})
}

// DryRun makes the commands that change the database (Up, UpTo, Down,
// DownTo, Redo) only plan: they read the history and return the results
// they would, each with its Statements and no Duration, and change
// nothing. They take no lock and do not create the history table.
func DryRun() Option {
	return optionFunc(func(c *config) error { c.dryRun = true; return nil })
}

// WithProgress calls fn with each migration's result as soon as it has
// been applied or rolled back, before the next one starts: to report a
// long run as it goes. fn runs on the runner's goroutine.
func WithProgress(fn func(Result)) Option {
	return optionFunc(func(c *config) error {
		if fn == nil {
			return fmt.Errorf("%w: WithProgress: nil func", ErrInvalid)
		}
		c.progress = fn
		return nil
	})
}

// WithGo adds migrations written in Go. It may be given more than once.
func WithGo(ms ...Migration) Option {
	return optionFunc(func(c *config) error {
		c.goMigs = append(c.goMigs, ms...)
		return nil
	})
}

// WithTable sets the name of the history table (default kinglet_migrations).
// On SQLite a second table, name_lock, holds the lock.
func WithTable(name string) Option {
	return optionFunc(func(c *config) error {
		if name == "" || len(name) > 58 {
			return fmt.Errorf("%w: WithTable(%q): want a name of 1 to 58 bytes", ErrInvalid, name)
		}
		for i := 0; i < len(name); i++ {
			if name[i] < ' ' || name[i] == 0x7f {
				return fmt.Errorf("%w: WithTable(%q): control character in the name", ErrInvalid, name)
			}
		}
		c.table = name
		return nil
	})
}

// AllowOutOfOrder lets Up apply pending migrations numbered below the latest
// applied one (typical when branches merge); without it Up refuses them with
// ErrOutOfOrder and applies nothing.
func AllowOutOfOrder() Option {
	return optionFunc(func(c *config) error { c.outOfOrder = true; return nil })
}

// AllowChecksumMismatch lets the runner proceed when an applied SQL
// migration's file was edited since (it logs a warning); without it every
// command that changes the database refuses with ErrChecksumMismatch.
func AllowChecksumMismatch() Option {
	return optionFunc(func(c *config) error { c.checksumMismatch = true; return nil })
}

// WithLogger logs each migration applied or rolled back (Info), waits for the
// lock (Info) and tolerated problems (Warn). The default logs nothing.
func WithLogger(l *slog.Logger) Option {
	return optionFunc(func(c *config) error {
		if l == nil {
			return fmt.Errorf("%w: WithLogger: nil logger", ErrInvalid)
		}
		c.logger = l
		return nil
	})
}
