package billing

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/client"
)

// stripeAPI is ChainStore's narrow use of Stripe: one client per service
// (never the package-global stripe.Key), every POST with an idempotency
// key, and errors that never carry the secret key.
type stripeAPI struct {
	api *client.API
}

func newStripe(secretKey, apiURL string) *stripeAPI {
	retries := int64(1)
	cfg := &stripe.BackendConfig{
		URL:               stripe.String(apiURL),
		HTTPClient:        &http.Client{Timeout: 10 * time.Second},
		MaxNetworkRetries: &retries,
		LeveledLogger:     &stripe.LeveledLogger{Level: stripe.LevelError},
	}
	backends := &stripe.Backends{
		API:     stripe.GetBackendWithConfig(stripe.APIBackend, cfg),
		Connect: stripe.GetBackendWithConfig(stripe.ConnectBackend, cfg),
		Uploads: stripe.GetBackendWithConfig(stripe.UploadsBackend, cfg),
	}
	return &stripeAPI{api: client.New(secretKey, backends)}
}

// stripeErr wraps a Stripe failure as ErrStripe, keeping Stripe's own
// message (which never includes the key) for the log.
func stripeErr(step string, err error) error {
	var se *stripe.Error
	if errors.As(err, &se) {
		err = fmt.Errorf("%w: %s: %s (%s, request %s)", ErrStripe, step, se.Msg, se.Code, se.RequestID)
	} else {
		err = fmt.Errorf("%w: %s: %v", ErrStripe, step, err)
	}
	// The client sees ErrStripe's generic message; operators see this.
	slog.Warn("billing: stripe call failed", "err", err.Error())
	return err
}

func (s *stripeAPI) createCustomer(ctx context.Context, tenantID, name, email, idemKey string) (string, error) {
	p := &stripe.CustomerParams{Name: stripe.String(name)}
	if email != "" {
		p.Email = stripe.String(email)
	}
	p.Context = ctx
	p.AddMetadata("tenant_id", tenantID)
	p.SetIdempotencyKey(idemKey)
	c, err := s.api.Customers.New(p)
	if err != nil {
		return "", stripeErr("create customer", err)
	}
	return c.ID, nil
}

type checkoutRequest struct {
	tenantID, customerID, priceID string
	quantity                      int
	trialEnd                      *time.Time
	successURL, cancelURL         string
	idemKey                       string
}

func (s *stripeAPI) createCheckout(ctx context.Context, r checkoutRequest) (*stripe.CheckoutSession, error) {
	p := &stripe.CheckoutSessionParams{
		Mode:              stripe.String(string(stripe.CheckoutSessionModeSubscription)),
		Customer:          stripe.String(r.customerID),
		ClientReferenceID: stripe.String(r.tenantID),
		SuccessURL:        stripe.String(r.successURL),
		CancelURL:         stripe.String(r.cancelURL),
		LineItems: []*stripe.CheckoutSessionLineItemParams{
			{Price: stripe.String(r.priceID), Quantity: stripe.Int64(int64(r.quantity))},
		},
		SubscriptionData: &stripe.CheckoutSessionSubscriptionDataParams{
			Metadata: map[string]string{"tenant_id": r.tenantID},
		},
	}
	if r.trialEnd != nil {
		p.SubscriptionData.TrialEnd = stripe.Int64(r.trialEnd.Unix())
	}
	p.Context = ctx
	p.AddMetadata("tenant_id", r.tenantID)
	p.SetIdempotencyKey(r.idemKey)
	cs, err := s.api.CheckoutSessions.New(p)
	if err != nil {
		return nil, stripeErr("create checkout session", err)
	}
	return cs, nil
}

func (s *stripeAPI) createPortal(ctx context.Context, customerID, returnURL string) (string, string, error) {
	p := &stripe.BillingPortalSessionParams{Customer: stripe.String(customerID), ReturnURL: stripe.String(returnURL)}
	p.Context = ctx
	ps, err := s.api.BillingPortalSessions.New(p)
	if err != nil {
		return "", "", stripeErr("create portal session", err)
	}
	return ps.URL, ps.ID, nil
}

func (s *stripeAPI) getSubscription(ctx context.Context, id string) (*stripe.Subscription, error) {
	p := &stripe.SubscriptionParams{}
	p.Context = ctx
	sub, err := s.api.Subscriptions.Get(id, p)
	if err != nil {
		return nil, stripeErr("get subscription", err)
	}
	return sub, nil
}

// setQuantity changes the subscription item's quantity with proration.
// The key makes a retry of the same change a no-op at Stripe.
func (s *stripeAPI) setQuantity(ctx context.Context, itemID string, quantity int, idemKey string) error {
	p := &stripe.SubscriptionItemParams{
		Quantity:          stripe.Int64(int64(quantity)),
		ProrationBehavior: stripe.String("create_prorations"),
	}
	p.Context = ctx
	p.SetIdempotencyKey(idemKey)
	if _, err := s.api.SubscriptionItems.Update(itemID, p); err != nil {
		return stripeErr("update quantity to "+strconv.Itoa(quantity), err)
	}
	return nil
}
