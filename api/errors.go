package api

import (
	"errors"
	"log/slog"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"chainstore/infra/postgres"
	"chainstore/infra/problem"
	"chainstore/infra/web"
)

// Problem is the RFC 9457 body every error response carries.
type Problem struct {
	Type      string               `json:"type"`
	Title     string               `json:"title"`
	Status    int                  `json:"status"`
	Detail    string               `json:"detail,omitempty"`
	Code      string               `json:"code"`
	Errors    []problem.FieldError `json:"errors,omitempty"`
	RequestID string               `json:"request_id,omitempty"`
}

// errorHandler is the one place errors become responses: coded errors as
// they are, Fiber's own (404 route, 413 body, 405) mapped to our codes, and
// anything else a logged 500 with a generic message and the request id.
func errorHandler(c *fiber.Ctx, err error) error {
	pe, ok := problem.As(err)
	if !ok {
		var fe *fiber.Error
		if errors.As(err, &fe) {
			pe = fromFiber(fe)
		} else if postgres.IsUnavailable(err) {
			// An outage (refused, reset, shutting down, failing over) is the
			// client's cue to retry, never a 500.
			slog.WarnContext(c.UserContext(), "database unavailable", "err", err.Error(),
				"request_id", web.MetaFrom(c.UserContext()).RequestID, "method", c.Method(), "path", c.Path())
			pe = errDatabaseUnavailable
		} else {
			slog.ErrorContext(c.UserContext(), "unhandled error", "err", err.Error(),
				"request_id", web.MetaFrom(c.UserContext()).RequestID, "method", c.Method(), "path", c.Path())
			pe = problem.ErrInternal
		}
	}
	return writeProblem(c, pe)
}

// errDatabaseUnavailable answers a request that met a PostgreSQL outage.
var errDatabaseUnavailable = &problem.Error{Status: 503, Code: "database.unavailable",
	Title: "The database is unavailable for a moment", Detail: "retry the request", RetryAfter: 2}

func fromFiber(fe *fiber.Error) *problem.Error {
	switch fe.Code {
	case fiber.StatusNotFound:
		return problem.ErrRouteNotFound
	case fiber.StatusMethodNotAllowed:
		return problem.ErrMethod
	case fiber.StatusRequestEntityTooLarge:
		return problem.ErrTooLarge
	case fiber.StatusBadRequest:
		return problem.ErrMalformed.WithDetail("%s", fe.Message)
	case fiber.StatusRequestTimeout:
		return problem.New(408, "request.timeout", "The request took too long to arrive")
	}
	if fe.Code >= 500 {
		return problem.ErrInternal
	}
	return problem.New(fe.Code, "http."+strconv.Itoa(fe.Code), fe.Message)
}

func writeProblem(c *fiber.Ctx, pe *problem.Error) error {
	if pe.RetryAfter > 0 {
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(pe.RetryAfter))
	}
	if pe.Status == fiber.StatusUnauthorized {
		c.Set(fiber.HeaderWWWAuthenticate, `Bearer realm="chainstore"`)
	}
	body := Problem{
		Type: "urn:chainstore:problem:" + pe.Code, Title: pe.Title, Status: pe.Status, Detail: pe.Detail,
		Code: pe.Code, Errors: pe.Fields, RequestID: web.MetaFrom(c.UserContext()).RequestID,
	}
	c.Status(pe.Status)
	if err := c.JSON(body); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/problem+json")
	return nil
}
