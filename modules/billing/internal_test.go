package billing_test

import (
	"context"

	"gorm.io/gorm"

	"chainstore/tenant"
)

func tenantDB(ctx context.Context) *gorm.DB { return tenant.DB(ctx) }
