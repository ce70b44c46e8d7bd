// Package problem defines the coded errors every layer returns and the API
// renders as RFC 9457 application/problem+json. A module declares its errors
// once (in its errors.go) with a stable machine code; handlers never build
// ad-hoc error bodies.
package problem

import (
	"errors"
	"fmt"
)

// FieldError is one validation failure of one input field.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// Error is a client-facing failure: an HTTP status, a stable code such as
// "stores.code_taken", a short title and an optional detail.
type Error struct {
	Status int
	Code   string
	Title  string
	Detail string
	Fields []FieldError
	// RetryAfter, when set, becomes a Retry-After header (seconds).
	RetryAfter int
}

func (e *Error) Error() string {
	if e.Detail != "" {
		return e.Code + ": " + e.Detail
	}
	return e.Code + ": " + e.Title
}

// Is matches errors by code, so errors.Is(err, stores.ErrNotFound) holds for
// a copy made WithDetail.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

// New declares a coded error.
func New(status int, code, title string) *Error {
	return &Error{Status: status, Code: code, Title: title}
}

// WithDetail returns a copy carrying a request-specific detail.
func (e *Error) WithDetail(format string, args ...any) *Error {
	c := *e
	c.Detail = fmt.Sprintf(format, args...)
	return &c
}

// WithFields returns a copy carrying field errors.
func (e *Error) WithFields(fields ...FieldError) *Error {
	c := *e
	c.Fields = append(append([]FieldError(nil), e.Fields...), fields...)
	return &c
}

// As extracts a *Error from an error chain.
func As(err error) (*Error, bool) {
	var p *Error
	if errors.As(err, &p) {
		return p, true
	}
	return nil, false
}

// Common errors shared by every surface.
var (
	ErrMalformed       = New(400, "request.malformed", "The request body is not valid JSON")
	ErrValidation      = New(422, "request.invalid", "The request has invalid fields")
	ErrBadQuery        = New(400, "request.bad_query", "A query parameter is invalid")
	ErrUnauthenticated = New(401, "auth.unauthenticated", "Authentication is required")
	ErrForbidden       = New(403, "auth.forbidden", "You do not have permission for this action")
	ErrNotFound        = New(404, "not_found", "Not found")
	ErrRouteNotFound   = New(404, "route.not_found", "No such route")
	ErrMethod          = New(405, "route.method_not_allowed", "Method not allowed")
	ErrTooLarge        = New(413, "request.too_large", "The request body is too large")
	ErrUnsupportedType = New(415, "request.unsupported_media_type", "Send the body as application/json")
	ErrConflict        = New(409, "conflict", "The request conflicts with the current state")
	ErrRateLimited     = New(429, "rate_limited", "Too many requests; retry later")
	ErrInternal        = New(500, "internal", "Internal server error")
	ErrUnavailable     = New(503, "unavailable", "Service temporarily unavailable")
)
