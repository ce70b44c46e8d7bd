package members_test

import (
	"context"
	"testing"
	"time"

	"chainstore/modules/members"
)

// The points rule every cart and earn reads comes from memory, and a
// change reaches another instance (its Redis notice) well before the
// cache's bound; the changing instance reads the new rule at once.
func TestAPointsRuleChangeReachesAnotherInstance(t *testing.T) {
	tn := env.Signup(t)
	ctx := context.Background()
	other := env.Another(t, nil)
	got, err := other.Server.Members.PointsRuleOf(ctx, tn.ID)
	if err != nil || got.PointsPerYuan != 1 {
		t.Fatalf("default rule %+v %v", got, err)
	}
	if _, err := svc().SetPointsRule(ctx, tn.ID, members.PointsRuleInput{PointsPerYuan: 3, Expiry: "never", PointsPerYuanOff: 200}); err != nil {
		t.Fatal(err)
	}
	if mine, err := svc().PointsRuleOf(ctx, tn.ID); err != nil || mine.PointsPerYuan != 3 || mine.PointsPerYuanOff != 200 {
		t.Errorf("the changing instance reads %+v (%v)", mine, err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		got, err = other.Server.Members.PointsRuleOf(ctx, tn.ID)
		if err == nil && got.PointsPerYuan == 3 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("another instance still reads %+v (%v) after 5s", got, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
