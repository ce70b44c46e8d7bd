package doc

import (
	"testing"

	"github.com/google/uuid"
)

func TestValid(t *testing.T) {
	id := uuid.Must(uuid.NewV7())
	for _, tc := range []struct {
		src Source
		ok  bool
	}{
		{Of(Sale, id), true},
		{Of("points_correction", id), true},
		{Of("", id), false},
		{Of("Sale", id), false},
		{Of("sale-1", id), false},
		{Of("_sale", id), false},
		{Of(Sale, uuid.Nil), false},
	} {
		if err := tc.src.Valid(); (err == nil) != tc.ok {
			t.Errorf("%v.Valid() = %v, want ok=%v", tc.src, err, tc.ok)
		}
	}
	if got := Of(Sale, id).String(); got != "sale:"+id.String() {
		t.Errorf("String() = %q", got)
	}
}
