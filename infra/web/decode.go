// Package web is the small HTTP kit every handler uses: strict JSON
// decoding with per-field validation errors, path and query parsing, cursor
// pagination and request metadata. Errors it returns are *problem.Error.
package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"regexp"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/go-playground/validator/v10"
	"github.com/gofiber/fiber/v2"

	"chainstore/infra/problem"
)

var (
	validateOnce sync.Once
	validate     *validator.Validate
)

// formats are the validation tags that are one pattern each. Every tag a
// request type may use is registered here, where the validator is built, so
// no package has to be imported (or initialised) first for its tags to work.
var formats = map[string]*regexp.Regexp{
	"slug": regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,38}[a-z0-9]$`),
	"code": regexp.MustCompile(`^[A-Za-z0-9_-]{1,32}$`),
	"key":  regexp.MustCompile(`^[a-z][a-z0-9_]{1,39}$`),
	// Mainland mobile numbers, or E.164 for anyone else.
	"phone": regexp.MustCompile(`^(1[3-9]\d{9}|\+[1-9]\d{6,14})$`),
	// Catalog codes: category codes, product and SKU codes, unit codes.
	"catcode":  regexp.MustCompile(`^[A-Za-z0-9_.-]{1,32}$`),
	"itemcode": regexp.MustCompile(`^[A-Za-z0-9_.-]{1,40}$`),
	"unitcode": regexp.MustCompile(`^[a-z0-9_]{1,16}$`),
}

// Matches reports whether s has the format of a pattern tag (slug, code,
// key, phone, catcode, itemcode, unitcode), for input that arrives outside
// a request type (spreadsheet rows). An unknown tag matches nothing.
func Matches(tag, s string) bool {
	re, ok := formats[tag]
	return ok && re.MatchString(s)
}

// Validator returns the shared validator with our tags registered:
// text (printable UTF-8, no control characters: names in Chinese are fine,
// NUL bytes and terminal escapes are not) and the pattern tags of formats.
func Validator() *validator.Validate {
	validateOnce.Do(func() {
		v := validator.New(validator.WithRequiredStructEnabled())
		v.RegisterTagNameFunc(func(f reflect.StructField) string {
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "-" {
				return ""
			}
			return name
		})
		must(v.RegisterValidation("text", func(fl validator.FieldLevel) bool { return IsText(fl.Field().String()) }))
		for tag, re := range formats {
			must(v.RegisterValidation(tag, func(fl validator.FieldLevel) bool { return re.MatchString(fl.Field().String()) }))
		}
		validate = v
	})
	return validate
}

func must(err error) {
	if err != nil {
		panic(err)
	}
}

// IsText reports whether s is valid UTF-8 without control characters, the
// rule for every free-text field (PostgreSQL refuses NUL; logs and terminals
// should never see escapes).
func IsText(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if unicode.IsControl(r) || r == utf8.RuneError || isBidiOverride(r) {
			return false
		}
	}
	return true
}

// isBidiOverride: embedding, override and isolate controls can make text
// display differently from what it is ("Trojan Source"); joiners used by
// emoji and scripts stay allowed.
func isBidiOverride(r rune) bool {
	return (r >= 0x202A && r <= 0x202E) || (r >= 0x2066 && r <= 0x2069)
}

// Decode reads the JSON body of c into dst strictly (unknown fields, wrong
// types and trailing data are errors) and validates it, returning every
// field error at once.
func Decode(c *fiber.Ctx, dst any) error {
	ct := strings.ToLower(string(c.Request().Header.ContentType()))
	if ct != "" && !strings.HasPrefix(ct, "application/json") {
		return problem.ErrUnsupportedType
	}
	return DecodeBytes(c.Body(), dst)
}

// DecodeBytes is Decode without Fiber, for tests and fuzzing.
func DecodeBytes(body []byte, dst any) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return problem.ErrMalformed.WithDetail("the request body is empty; send a JSON object")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		if field, msg, ok := badValueField(body, reflect.TypeOf(dst)); ok {
			return problem.ErrValidation.WithFields(problem.FieldError{Field: field, Message: msg})
		}
		return decodeError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return problem.ErrMalformed.WithDetail("unexpected data after the JSON object")
	}
	return Validate(dst)
}

func decodeError(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return problem.ErrMalformed.WithDetail("invalid JSON at byte %d: %s", syn.Offset, syn.Error())
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			return problem.ErrMalformed.WithDetail("the body must be a JSON object")
		}
		return problem.ErrValidation.WithFields(problem.FieldError{Field: field, Message: "must be " + jsonType(typ.Type)})
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return problem.ErrMalformed.WithDetail("the JSON body ends unexpectedly")
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return problem.ErrValidation.WithFields(problem.FieldError{Field: name, Message: "is not a known field"})
	default:
		return problem.ErrMalformed.WithDetail("%s", err.Error())
	}
}

func jsonType(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.String() {
	case "uuid.UUID":
		return "a UUID string"
	case "time.Time":
		return "an RFC 3339 time (2026-01-31T09:30:00+08:00)"
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Map, reflect.Struct:
		return "an object"
	}
	return "of type " + t.String()
}

// Validate runs the struct's validate tags and turns failures into one
// 422 problem listing every field.
func Validate(v any) error {
	err := Validator().Struct(v)
	if err == nil {
		return nil
	}
	var verrs validator.ValidationErrors
	if !errors.As(err, &verrs) {
		return problem.ErrMalformed.WithDetail("%s", err.Error())
	}
	fields := make([]problem.FieldError, 0, len(verrs))
	for _, fe := range verrs {
		fields = append(fields, problem.FieldError{Field: fieldPath(fe), Message: message(fe)})
	}
	return problem.ErrValidation.WithFields(fields...)
}

// fieldPath drops the struct name: "CreateStoreInput.code" → "code".
func fieldPath(fe validator.FieldError) string {
	ns := fe.Namespace()
	if i := strings.IndexByte(ns, '.'); i >= 0 {
		return ns[i+1:]
	}
	return fe.Field()
}

func message(fe validator.FieldError) string {
	p := fe.Param()
	switch fe.Tag() {
	case "required", "required_without", "required_if":
		return "is required"
	case "min":
		if fe.Kind() == reflect.String {
			return fmt.Sprintf("must be at least %s characters", p)
		}
		if fe.Kind() == reflect.Slice {
			return fmt.Sprintf("must have at least %s items", p)
		}
		return "must be at least " + p
	case "max":
		if fe.Kind() == reflect.String {
			return fmt.Sprintf("must be at most %s characters", p)
		}
		if fe.Kind() == reflect.Slice {
			return fmt.Sprintf("must have at most %s items", p)
		}
		return "must be at most " + p
	case "email":
		return "must be an e-mail address"
	case "oneof":
		return "must be one of: " + strings.ReplaceAll(p, " ", ", ")
	case "text":
		return "must be printable text (no control characters)"
	case "slug":
		return "must be 3-40 lowercase letters, digits or hyphens, starting and ending with a letter or digit"
	case "code":
		return "must be 1-32 letters, digits, '-' or '_'"
	case "key":
		return "must be 2-40 lowercase letters, digits or '_', starting with a letter"
	case "phone":
		return "must be a mobile number (11 digits) or +E.164"
	case "uuid", "uuid4":
		return "must be a UUID"
	case "timezone":
		return "must be an IANA time zone such as Asia/Shanghai"
	case "dive":
		return "has an invalid item"
	}
	return "is invalid (" + fe.Tag() + ")"
}
