package web

import (
	"context"
	"encoding/base64"
	"strconv"

	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"

	"chainstore/infra/problem"
)

// PathID parses a path parameter as a UUID. A malformed id is reported as
// not found: to a client, an id that cannot exist and one that does not are
// the same thing.
func PathID(c *fiber.Ctx, name string, notFound *problem.Error) (uuid.UUID, error) {
	id, err := uuid.Parse(c.Params(name))
	if err != nil {
		return uuid.Nil, notFound
	}
	return id, nil
}

// Page is a cursor page request: rows after Cursor, at most Limit of them.
type Page struct {
	Limit  int
	Cursor uuid.UUID // uuid.Nil for the first page
}

// ParsePage reads ?limit= (1..200, default 50) and ?cursor=.
func ParsePage(c *fiber.Ctx) (Page, error) {
	p := Page{Limit: 50}
	if raw := c.Query("limit"); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n < 1 || n > 200 {
			return p, problem.ErrBadQuery.WithFields(problem.FieldError{Field: "limit", Message: "must be an integer from 1 to 200"})
		}
		p.Limit = n
	}
	if raw := c.Query("cursor"); raw != "" {
		b, err := base64.RawURLEncoding.DecodeString(raw)
		if err != nil || len(b) != 16 {
			return p, problem.ErrBadQuery.WithFields(problem.FieldError{Field: "cursor", Message: "is not a cursor returned by this list"})
		}
		copy(p.Cursor[:], b)
	}
	return p, nil
}

// List is the envelope of every list response.
type List[T any] struct {
	Data       []T     `json:"data"`
	NextCursor *string `json:"next_cursor"`
}

// NewList builds a page from rows fetched with limit+1 (the extra row only
// says another page exists); idOf gives the key the list is ordered by.
func NewList[T any](rows []T, limit int, idOf func(T) uuid.UUID) List[T] {
	out := List[T]{Data: rows}
	if out.Data == nil {
		out.Data = []T{}
	}
	if len(rows) > limit {
		out.Data = rows[:limit]
		last := idOf(rows[limit-1])
		c := base64.RawURLEncoding.EncodeToString(last[:])
		out.NextCursor = &c
	}
	return out
}

// Meta is what the access log and the audit log need to know of a request.
type Meta struct {
	RequestID string
	IP        string
	UserAgent string
}

type metaKey struct{}

// WithMeta returns ctx carrying m.
func WithMeta(ctx context.Context, m Meta) context.Context {
	return context.WithValue(ctx, metaKey{}, m)
}

// MetaFrom returns the request metadata of ctx (zero outside a request).
func MetaFrom(ctx context.Context) Meta {
	m, _ := ctx.Value(metaKey{}).(Meta)
	return m
}

// QueryUUID parses the optional query parameter name as a UUID: nil when
// absent; when malformed, nil and a field error appended to bad, so a
// handler reports every bad parameter at once.
func QueryUUID(c *fiber.Ctx, name string, bad *[]problem.FieldError) *uuid.UUID {
	raw := c.Query(name)
	if raw == "" {
		return nil
	}
	id, err := uuid.Parse(raw)
	if err != nil {
		*bad = append(*bad, problem.FieldError{Field: name, Message: "must be a UUID"})
		return nil
	}
	return &id
}
