package dialect

import (
	"fmt"
	"strconv"
	"strings"
)

// Version is an engine version, compared component by component.
type Version struct{ Major, Minor, Patch int }

// AtLeast reports whether v >= (major, minor, patch).
func (v Version) AtLeast(major, minor, patch int) bool {
	if v.Major != major {
		return v.Major > major
	}
	if v.Minor != minor {
		return v.Minor > minor
	}
	return v.Patch >= patch
}

// String is the version as major.minor.patch: 16.4.0.
func (v Version) String() string {
	return strconv.Itoa(v.Major) + "." + strconv.Itoa(v.Minor) + "." + strconv.Itoa(v.Patch)
}

// ParseVersion reads the leading "major[.minor[.patch]]" of a server version
// string such as "10.11.19-MariaDB-0+deb12u1" or "15.20 (Debian 15.20-0+deb12u1)".
func ParseVersion(s string) (Version, error) {
	s = strings.TrimSpace(s)
	// PostgreSQL's version() starts with "PostgreSQL ".
	s = strings.TrimPrefix(s, "PostgreSQL ")
	var parts [3]int
	n := 0
	i := 0
	for n < 3 {
		j := i
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		if j == i {
			break
		}
		v, err := strconv.Atoi(s[i:j])
		if err != nil {
			return Version{}, fmt.Errorf("kinglet: dialect: version %q: %w", s, err)
		}
		parts[n] = v
		n++
		if j >= len(s) || s[j] != '.' {
			break
		}
		i = j + 1
	}
	if n == 0 {
		return Version{}, fmt.Errorf("kinglet: dialect: cannot read a version number from %q", s)
	}
	return Version{parts[0], parts[1], parts[2]}, nil
}

// ForVersion returns the dialect for engine ("sqlite", "postgres", "mysql" or
// "mariadb") at the given server version string, with the feature set of that
// version. A MySQL version string that names MariaDB yields the MariaDB dialect.
func ForVersion(engine, version string) (Dialect, error) {
	v, err := ParseVersion(version)
	if err != nil {
		return nil, err
	}
	switch strings.ToLower(engine) {
	case "sqlite", "sqlite3":
		return newSQLite(v), nil
	case "postgres", "postgresql", "pgx":
		return newPostgres(v), nil
	case "mysql", "mariadb":
		if strings.Contains(strings.ToLower(version), "mariadb") || strings.EqualFold(engine, "mariadb") {
			// MariaDB before 11 announces itself in the protocol handshake
			// as "5.5.5-10.11.19-MariaDB"; the real version follows.
			if rest, ok := strings.CutPrefix(strings.TrimSpace(version), "5.5.5-"); ok {
				if rv, err := ParseVersion(rest); err == nil {
					v = rv
				}
			}
			return newMariaDB(v), nil
		}
		return newMySQL(v), nil
	}
	return nil, fmt.Errorf("kinglet: dialect: unknown engine %q (want sqlite, postgres, mysql or mariadb)", engine)
}
