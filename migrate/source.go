package migrate

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// migration is one version of the merged sequence.
type migration struct {
	version  int64
	name     string
	kind     Kind
	checksum string  // hex SHA-256 of the up file; empty for Go
	up, down *script // down is nil when irreversible
}

// script is one direction of a migration.
type script struct {
	path  string // the SQL file; empty for Go
	stmts []statement
	fn    func(ctx context.Context, tx Execer) error
	noTx  bool
}

func (m *migration) result(d Direction) Result {
	r := Result{Version: m.version, Name: m.name, Kind: m.kind, Direction: d}
	if s := m.script(d); s != nil {
		r.Path = s.path
	}
	return r
}

func (m *migration) script(d Direction) *script {
	if d == Down {
		return m.down
	}
	return m.up
}

// fileName is NNNN_name.up.sql or NNNN_name.down.sql.
var fileName = regexp.MustCompile(`^([0-9]+)_([A-Za-z0-9][A-Za-z0-9_-]{0,199})\.(up|down)\.sql$`)

// validName is the name of a Go migration.
var validName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,199}$`)

// directive is the comment line that marks a SQL file.
const directivePrefix = "-- kinglet:"

// loadSources reads every source of c and merges them into one sequence
// sorted by version, refusing anything ambiguous.
func loadSources(c *config, sx syntax) ([]*migration, error) {
	byVersion := map[int64]*migration{}
	from := map[int64]string{} // where each version was first seen, for messages
	for _, src := range c.fs {
		ms, err := loadFS(src, sx)
		if err != nil {
			return nil, err
		}
		for _, m := range ms {
			if prev, ok := from[m.version]; ok {
				return nil, fmt.Errorf("%w: version %d is both %s and %s", ErrInvalid, m.version, prev, m.up.path)
			}
			byVersion[m.version], from[m.version] = m, m.up.path
		}
	}
	for _, g := range c.goMigs {
		where := fmt.Sprintf("Go migration %d_%s", g.Version, g.Name)
		switch {
		case g.Version <= 0:
			return nil, fmt.Errorf("%w: %s: version must be positive", ErrInvalid, where)
		case !validName.MatchString(g.Name):
			return nil, fmt.Errorf("%w: %s: name must be 1 to 200 letters, digits, _ and -", ErrInvalid, where)
		case g.Up == nil:
			return nil, fmt.Errorf("%w: %s: Up is nil", ErrInvalid, where)
		}
		if prev, ok := from[g.Version]; ok {
			return nil, fmt.Errorf("%w: version %d is both %s and %s", ErrInvalid, g.Version, prev, where)
		}
		m := &migration{version: g.Version, name: g.Name, kind: Go,
			up: &script{fn: g.Up, noTx: g.NoTx}}
		if g.Down != nil {
			m.down = &script{fn: g.Down, noTx: g.NoTx}
		}
		byVersion[g.Version], from[g.Version] = m, where
	}
	if len(byVersion) == 0 {
		var dirs []string
		for _, s := range c.fs {
			dirs = append(dirs, strconv.Quote(s.name()))
		}
		if len(dirs) == 0 {
			return nil, fmt.Errorf("%w: no migrations: give WithFS or WithGo", ErrInvalid)
		}
		return nil, fmt.Errorf("%w: no migrations in %s (files are named NNNN_name.up.sql)", ErrInvalid, strings.Join(dirs, ", "))
	}
	out := make([]*migration, 0, len(byVersion))
	for _, m := range byVersion {
		out = append(out, m)
	}
	slices.SortFunc(out, func(a, b *migration) int { return cmp.Compare(a.version, b.version) })
	return out, nil
}

// name is the directory as messages name it.
func (s fsSource) name() string {
	if s.shown != "" {
		return s.shown
	}
	return s.dir
}

// loadFS reads the SQL migrations of one directory.
func loadFS(src fsSource, sx syntax) ([]*migration, error) {
	fsys, dir := src.fsys, src.dir
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		if pe, ok := err.(*fs.PathError); ok && src.shown != "" {
			err = pe.Err // the path is os.DirFS's ".", not the directory
		}
		return nil, fmt.Errorf("%w: read migrations directory %q: %v", ErrInvalid, src.name(), err)
	}
	ups := map[int64]*migration{}
	downs := map[int64]*script{}
	downNames := map[int64]string{}
	var order []int64
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.EqualFold(path.Ext(name), ".sql") {
			continue
		}
		file := path.Join(dir, name)
		p := file // as messages and results name it
		if src.shown != "" {
			p = filepath.Join(src.shown, name)
		}
		m := fileName.FindStringSubmatch(name)
		if m == nil {
			return nil, fmt.Errorf("%w: %s: want a name like 0001_create_users.up.sql or 0001_create_users.down.sql", ErrInvalid, p)
		}
		v, err := strconv.ParseInt(m[1], 10, 64)
		if err != nil || v <= 0 {
			return nil, fmt.Errorf("%w: %s: version %s must be a positive 64-bit number", ErrInvalid, p, m[1])
		}
		data, err := fs.ReadFile(fsys, file)
		if err != nil {
			return nil, fmt.Errorf("%w: read %s: %v", ErrInvalid, p, err)
		}
		text := normalize(data)
		sc, err := parseScript(p, text, sx)
		if err != nil {
			return nil, err
		}
		if m[3] == "down" {
			if _, dup := downs[v]; dup {
				return nil, fmt.Errorf("%w: %s: a second down file for version %d", ErrInvalid, p, v)
			}
			downs[v], downNames[v] = sc, m[2]
			continue
		}
		if prev, dup := ups[v]; dup {
			return nil, fmt.Errorf("%w: version %d is both %s and %s", ErrInvalid, v, prev.up.path, p)
		}
		sum := sha256.Sum256([]byte(text))
		ups[v] = &migration{version: v, name: m[2], kind: SQL, checksum: hex.EncodeToString(sum[:]), up: sc}
		order = append(order, v)
	}
	for v, d := range downs {
		m, ok := ups[v]
		switch {
		case !ok:
			return nil, fmt.Errorf("%w: %s has no matching .up.sql file", ErrInvalid, d.path)
		case downNames[v] != m.name:
			return nil, fmt.Errorf("%w: %s and %s disagree on the name of version %d", ErrInvalid, m.up.path, d.path, v)
		}
		m.down = d
	}
	out := make([]*migration, 0, len(order))
	for _, v := range order {
		out = append(out, ups[v])
	}
	return out, nil
}

// normalize drops a UTF-8 byte order mark and turns CRLF into LF, so that a
// checkout with Windows line endings keeps the checksum.
func normalize(data []byte) string {
	s := strings.TrimPrefix(string(data), "\ufeff")
	return strings.ReplaceAll(s, "\r\n", "\n")
}

// parseScript reads the directives of a SQL file and splits its statements.
// Directives are comment lines "-- kinglet:<name>" before the first
// statement; the only one is no-transaction.
func parseScript(p, text string, sx syntax) (*script, error) {
	sc := &script{path: p}
	stmts, err := splitStatements(sx, text)
	if se, ok := err.(*splitError); ok {
		return nil, fmt.Errorf("%w: %s:%d: %s", ErrInvalid, p, se.line, se.msg)
	}
	sc.stmts = stmts
	firstLine := 0
	if len(stmts) > 0 {
		firstLine = stmts[0].line
	}
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		d, ok := strings.CutPrefix(line, directivePrefix)
		if !ok {
			continue
		}
		if firstLine > 0 && i+1 >= firstLine {
			return nil, fmt.Errorf("%w: %s:%d: %q must come before the first statement", ErrInvalid, p, i+1, line)
		}
		switch strings.TrimSpace(d) {
		case "no-transaction":
			sc.noTx = true
		default:
			return nil, fmt.Errorf("%w: %s:%d: unknown directive %q (the one directive is %sno-transaction)", ErrInvalid, p, i+1, line, directivePrefix)
		}
	}
	return sc, nil
}
