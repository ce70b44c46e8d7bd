package members

import (
	"errors"

	"github.com/go-playground/validator/v10"
)

// validationFields lists the JSON names of the fields a validation failed on.
func validationFields(err error) []string {
	var ves validator.ValidationErrors
	if !errors.As(err, &ves) {
		return nil
	}
	out := make([]string, 0, len(ves))
	for _, fe := range ves {
		out = append(out, fe.Field())
	}
	return out
}
