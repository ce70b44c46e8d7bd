package postgres

import (
	"database/sql/driver"
	"fmt"
	"strconv"
	"strings"

	"github.com/google/uuid"
)

// UUIDs passes ids as one uuid[] parameter (WHERE id = ANY(?)). GORM
// expands a plain slice into a parenthesised list, which ANY cannot take;
// a driver.Valuer is passed as it is.
type UUIDs []uuid.UUID

// Value is the array's text form, {id,id,…}.
func (a UUIDs) Value() (driver.Value, error) {
	parts := make([]string, len(a))
	for i, id := range a {
		parts[i] = id.String()
	}
	return "{" + strings.Join(parts, ",") + "}", nil
}

// Texts passes strings as one text[] parameter (WHERE code = ANY(?)), each
// element quoted, so commas, quotes, braces and backslashes in the values
// stay values.
type Texts []string

// Value is the array's text form, {"a","b",…}.
func (a Texts) Value() (driver.Value, error) {
	var b strings.Builder
	b.WriteByte('{')
	for i, s := range a {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteByte('"')
		for _, r := range s {
			if r == '"' || r == '\\' {
				b.WriteByte('\\')
			}
			b.WriteRune(r)
		}
		b.WriteByte('"')
	}
	b.WriteByte('}')
	return b.String(), nil
}

// UUIDList scans a uuid[] column (which arrives as its text form).
type UUIDList []uuid.UUID

// Scan reads {id,id,…}; NULL is an empty list.
func (l *UUIDList) Scan(src any) error {
	var s string
	switch v := src.(type) {
	case nil:
		*l = nil
		return nil
	case string:
		s = v
	case []byte:
		s = string(v)
	default:
		return fmt.Errorf("postgres: scan %T into a uuid list", src)
	}
	s = strings.Trim(s, "{}")
	if s == "" {
		*l = UUIDList{}
		return nil
	}
	parts := strings.Split(s, ",")
	out := make(UUIDList, len(parts))
	for i, p := range parts {
		id, err := uuid.Parse(strings.Trim(p, `"`))
		if err != nil {
			return fmt.Errorf("postgres: uuid list: %w", err)
		}
		out[i] = id
	}
	*l = out
	return nil
}

// GormDataType tells GORM's schema parser the column type, without which
// it skips a slice field when scanning.
func (UUIDList) GormDataType() string { return "uuid[]" }

// Dollars rewrites a statement's ? placeholders (GORM's) as $1, $2, …
// (PostgreSQL's, which pgx takes), for a statement sent through pgx. It
// does not look inside quotes: the statement must have no ? but its
// placeholders.
func Dollars(q string) string {
	var b strings.Builder
	n := 0
	for _, r := range q {
		if r == '?' {
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
