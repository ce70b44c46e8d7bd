package demo

import (
	"context"
)

// seedBilling puts the demo chain on its signup trial (the Growth plan's
// entitlements; a no-op when signup already started it) and ticks the
// onboarding steps the seed has done.
func seedBilling(ctx context.Context, d demo) error {
	if err := d.srv.Billing.StartTrial(ctx, d.admin.TenantID); err != nil {
		return err
	}
	for _, step := range []string{"chain_profile", "import_products", "import_members"} {
		if _, err := d.srv.Billing.MarkStep(ctx, d.admin, step, true); err != nil {
			return err
		}
	}
	return nil
}
