package inventory

import (
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"chainstore/infra/doc"
	"chainstore/infra/web"
)

// FuzzMovementInput: whatever a client sends as a console movement,
// decoding and validation return an error or a movement the service
// accepts as well-formed — never a panic.
func FuzzMovementInput(f *testing.F) {
	f.Add([]byte(`{"store_id":"0190f5a4-7b1e-7cc2-9a51-2f3f4c1d8e90","kind":"receipt","lines":[{"sku_id":"0190f5a4-7b1e-7cc2-9a51-2f3f4c1d8e91","qty":1000,"unit_cost":5,"expiry_date":"2030-01-01"}]}`))
	f.Add([]byte(`{"store_id":"0190f5a4-7b1e-7cc2-9a51-2f3f4c1d8e90","kind":"adjustment","reason":"x","lines":[{"sku_id":"0190f5a4-7b1e-7cc2-9a51-2f3f4c1d8e91","qty":-1}]}`))
	f.Add([]byte(`{"kind":"damage","lines":[{"qty":9223372036854775807}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		var in ManualMovementInput
		if err := web.DecodeBytes(body, &in); err != nil {
			return
		}
		mv := MoveInput{StoreID: in.StoreID, Kind: Kind(in.Kind), Reason: in.Reason, Source: doc.Of(consoleDocs[Kind(in.Kind)], uuid.Must(uuid.NewV7()))}
		for _, l := range in.Lines {
			mv.Lines = append(mv.Lines, MoveLine{SKUID: l.SKUID, Qty: l.Qty, UnitCost: l.UnitCost})
		}
		err := validateMove(mv)
		if err == nil {
			for _, l := range mv.Lines {
				if l.Qty == 0 || l.SKUID == uuid.Nil || (mv.Kind != KindAdjustment && l.Qty < 0) {
					t.Fatalf("accepted line %+v of %s", l, mv.Kind)
				}
			}
		}
	})
}

func TestDecimal(t *testing.T) {
	for v, want := range map[int64]string{0: "0.000", 5: "0.005", 1250: "1.250", -1250: "-1.250", 123456789: "123456.789"} {
		if got := decimal(v, 3); got != want {
			t.Errorf("decimal(%d) = %s, want %s", v, got, want)
		}
	}
	if got := decimal(-5, 2); !strings.HasPrefix(got, "-0.05") {
		t.Errorf("decimal(-5, 2) = %s", got)
	}
}

// FuzzReceivedLots: the lots a receipt opens never hold more than was
// received, are positive, keep the shipped dates in order, never exceed a
// shipped lot except the earliest (which takes any excess), and cover the
// received quantity up to what was dated.
func FuzzReceivedLots(f *testing.F) {
	f.Add(int64(2000), int64(3000), int64(500), int64(4000))
	f.Add(int64(1), int64(0), int64(0), int64(9))
	f.Add(int64(1000), int64(1000), int64(0), int64(0))
	f.Fuzz(func(t *testing.T, a, b, undated, received int64) {
		const lim = int64(1) << 40
		if a <= 0 || a > lim || b < 0 || b > lim || undated < 0 || undated > lim || received < 0 || received > 3*lim {
			return
		}
		day := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
		lots := []LotQty{{ExpiryDate: day, Qty: a}}
		if b > 0 {
			lots = append(lots, LotQty{ExpiryDate: day.AddDate(0, 0, 9), Qty: b})
		}
		shipped := a + b + undated
		out := receivedLots(lots, shipped, received)
		var sum int64
		for i, o := range out {
			if o.Qty <= 0 || !o.ExpiryDate.Equal(lots[i].ExpiryDate) || (i > 0 && o.Qty > lots[i].Qty) {
				t.Fatalf("lots %v shipped %d received %d: %v", lots, shipped, received, out)
			}
			sum += o.Qty
		}
		dated := a + b
		want := min(received, dated)
		if received > shipped {
			want = dated + received - shipped
		}
		if sum > received || sum != want {
			t.Fatalf("lots %v shipped %d received %d: %v sums to %d, want %d", lots, shipped, received, out, sum, want)
		}
	})
}
