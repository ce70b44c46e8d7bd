package promotions

import (
	"encoding/json"
	"reflect"
	"testing"

	"github.com/google/uuid"

	"chainstore/infra/problem"
	"chainstore/infra/web"
)

// InputSeeds are promotion bodies a console might send, good and bad: the
// fuzz corpus here, and what the HTTP test posts through the real app.
var InputSeeds = []string{
	`{"name":"满100减20","kind":"spend_amount_off","rule":{"steps":[{"threshold":10000,"off":2000}]}}`,
	`{"name":"第二件半价","kind":"nth_item","items":{"categories":["0190f5a4-7b1e-7cc2-9a51-2f3f4c1d8e90"]},"rule":{"n":2,"off_bp":5000}}`,
	`{"name":"会员9折","kind":"tier_discount","audience":{"tiers":["0190f5a4-7b1e-7cc2-9a51-2f3f4c1d8e91"]},"rule":{"off_bp":1000},"per_member_limit":3}`,
	`{"name":"晚市特价","kind":"special_price","items":{"skus":["0190f5a4-7b1e-7cc2-9a51-2f3f4c1d8e92"]},"rule":{"price":990,"limit_qty":2000},
		"window":{"starts":"2026-01-01T00:00:00+08:00","ends":"2026-02-01T00:00:00+08:00","weekdays":[5,6],"times":[{"from":1200,"to":1320}]},"budget":100000}`,
	`{"name":"组合价","kind":"bundle","rule":{"price":1000,"components":[{"items":{"skus":["0190f5a4-7b1e-7cc2-9a51-2f3f4c1d8e93"]},"units":1},{"items":{"skus":["0190f5a4-7b1e-7cc2-9a51-2f3f4c1d8e94"]},"units":2}]}}`,
	`{"name":"每满50减5","kind":"spend_amount_off","rule":{"steps":[{"threshold":5000,"off":500}],"repeat":true},"stores":{"scope":"direct"}}`,
	`{"name":"x","kind":"percent_off","rule":{"off_bp":10001}}`,
	`{"name":"x","kind":"coupon_amount","rule":{"amount":100}}`,
	`{"name":"x","kind":"buy_n_get_m","rule":{"n":0,"m":1},"stores":{"scope":"list"}}`,
	`{"name":"","kind":"nope","window":{"ends":"2020-01-01T00:00:00Z","starts":"2021-01-01T00:00:00Z","weekdays":[9]},"priority":5000}`,
	`{"name":"x","kind":"percent_off","rule":{"off_bp":100},"stores":{"scope":"all","ids":["0190f5a4-7b1e-7cc2-9a51-2f3f4c1d8e95"]}}`,
	`{"name":"x","kind":"percent_off","rule":{"off_bp":100},"budget":0,"per_member_limit":-1,"id":"0190f5a4-7b1e-7cc2-9a51-2f3f4c1d8e96"}`,
	`{"name":"x","kind":"amount_off","rule":{"amount":9223372036854775807}}`,
	`{"name":"x","kind":"spend_percent_off","rule":{"steps":[{"threshold":-1,"off_bp":1}]}}`,
	`{"name":"\u0000","kind":"percent_off"}`,
	`{"name":"x","kind":"percent_off","items":{"skus":["not-a-uuid"]}}`,
	`[]`, `{`, `null`, `{"name":1}`,
}

// FuzzPromotionInput: whatever a client posts as a promotion, decoding and
// validation either refuse it with a client error (4xx problem, never a
// panic or a 5xx) or accept a promotion the engine validates, whose stored
// blocks read back as they were.
func FuzzPromotionInput(f *testing.F) {
	for _, s := range InputSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var in PromotionInput
		if err := web.DecodeBytes(body, &in); err != nil {
			if pe, ok := problem.As(err); !ok || pe.Status < 400 || pe.Status >= 500 {
				t.Fatalf("decoding %q: not a client error: %v", body, err)
			}
			return
		}
		d, fe := in.definition(uuid.Must(uuid.NewV7()))
		if len(fe) > 0 {
			if err := errFields(ErrInvalid, fe); err == nil || err.(*problem.Error).Status != 422 {
				t.Fatalf("field errors %v are not a 422", fe)
			}
			for _, e := range fe {
				if e.Field == "" || e.Message == "" {
					t.Fatalf("an unnamed field error %+v for %q", e, body)
				}
			}
			return
		}
		if err := d.Engine().Validate(); err != nil {
			t.Fatalf("accepted %q, which the engine refuses: %v", body, err)
		}
		items, audience, clock, rule, err := d.blocks()
		if err != nil {
			t.Fatalf("accepted %q, which cannot be stored: %v", body, err)
		}
		row := promotionRow{ID: d.ID, Name: d.Name, NameEn: d.NameEn, Priority: d.Priority, Exclusive: d.Exclusive, StackingGroup: d.Group, Kind: string(d.Kind), StoreScope: string(d.Stores.Scope), StoreIDs: joinIDs(d.Stores.IDs),
			Items: items, Audience: audience, Clock: clock, Rule: rule, StartsAt: d.Window.Starts, EndsAt: d.Window.Ends}
		back, err := row.definition()
		if err != nil {
			t.Fatalf("stored %q does not read back: %v", body, err)
		}
		want, _ := json.Marshal(d.Engine())
		got, _ := json.Marshal(back.Engine())
		var w, g any
		_ = json.Unmarshal(want, &w)
		_ = json.Unmarshal(got, &g)
		if !reflect.DeepEqual(w, g) {
			t.Fatalf("stored %q reads back as\n%s\nnot\n%s", body, got, want)
		}
	})
}
