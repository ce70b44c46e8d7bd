package authz_test

import (
	"github.com/google/uuid"

	"chainstore/tenant"
)

func apitestPrincipal(tenantID, userID uuid.UUID) *tenant.Principal {
	return &tenant.Principal{TenantID: tenantID, UserID: userID}
}
