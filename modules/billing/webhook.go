package billing

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/google/uuid"
	"github.com/stripe/stripe-go/v76"
	"github.com/stripe/stripe-go/v76/webhook"

	"chainstore/tenant"
)

// Webhook outcomes.
const (
	OutcomeApplied   = "applied"
	OutcomeIgnored   = "ignored"
	OutcomeDuplicate = "duplicate"
)

// stripeRef is a field Stripe sends either as an id or as an expanded
// object with an id.
type stripeRef string

func (r *stripeRef) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		*r = ""
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err == nil {
		*r = stripeRef(s)
		return nil
	}
	var o struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(b, &o); err != nil {
		return err
	}
	*r = stripeRef(o.ID)
	return nil
}

// eventObject is the part of a webhook's object that routing needs: which
// customer, which subscription, and for Checkout the tenant we sent.
type eventObject struct {
	Object            string    `json:"object"`
	ID                string    `json:"id"`
	Customer          stripeRef `json:"customer"`
	Subscription      stripeRef `json:"subscription"`
	ClientReferenceID string    `json:"client_reference_id"`
}

// ParseEvent verifies a webhook delivery's Stripe-Signature (HMAC-SHA256
// with the endpoint secret, at most five minutes old, API version
// 2023-10-16) and decodes it. Any failure is ErrBadSignature or ErrBadEvent.
func (s *Service) ParseEvent(payload []byte, signature string) (stripe.Event, error) {
	if s.webhookSecret == "" {
		return stripe.Event{}, ErrNotConfigured
	}
	ev, err := webhook.ConstructEvent(payload, signature, s.webhookSecret)
	switch {
	case errors.Is(err, webhook.ErrNotSigned), errors.Is(err, webhook.ErrInvalidHeader),
		errors.Is(err, webhook.ErrNoValidSignature), errors.Is(err, webhook.ErrTooOld):
		return ev, ErrBadSignature
	case err != nil:
		return ev, ErrBadEvent.WithDetail("%s", err.Error())
	case ev.ID == "" || ev.Type == "" || ev.Data == nil:
		return ev, ErrBadEvent
	}
	return ev, nil
}

// HandleWebhook processes one verified delivery and reports what it did.
// Each event id is processed once (billing_events, written in the same
// transaction as the change). Subscription state is never taken from the
// event: the subscription is fetched from Stripe, so events that arrive late
// or out of order apply the current state, which is the same whatever the
// order. Unknown event types and customers are recorded and ignored (200,
// so Stripe stops retrying); a Stripe failure is an error (Stripe retries).
func (s *Service) HandleWebhook(ctx context.Context, payload []byte, signature string) (string, error) {
	ev, err := s.ParseEvent(payload, signature)
	if err != nil {
		return "", err
	}
	created := time.Unix(ev.Created, 0).UTC()
	var seen bool
	if err := s.pool.Platform(ctx).Raw(`SELECT EXISTS (SELECT 1 FROM billing_events WHERE event_id = ?)`, ev.ID).Scan(&seen).Error; err != nil {
		return "", fmt.Errorf("billing: webhook: %w", err)
	}
	if seen {
		return OutcomeDuplicate, nil
	}
	var obj eventObject
	handled := true
	switch ev.Type {
	case "checkout.session.completed", "customer.subscription.created", "customer.subscription.updated",
		"customer.subscription.deleted", "invoice.paid", "invoice.payment_failed":
		if err := json.Unmarshal(ev.Data.Raw, &obj); err != nil {
			return "", ErrBadEvent.WithDetail("data.object: %s", err.Error())
		}
		if obj.Object == "subscription" {
			obj.Subscription = stripeRef(obj.ID)
		}
	default:
		handled = false
	}
	tenantID := uuid.Nil
	if handled {
		if tenantID, err = s.tenantFor(ctx, obj); err != nil {
			return "", err
		}
	}
	if tenantID == uuid.Nil {
		return OutcomeIgnored, s.recordIgnored(ctx, ev, created)
	}
	outcome := OutcomeApplied
	err = s.pool.WithTx(ctx, tenantID, func(ctx context.Context) error {
		res := tenant.DB(ctx).Exec(`INSERT INTO billing_events (event_id, type, tenant_id, outcome, created) VALUES (?, ?, ?, 'applied', ?)
			ON CONFLICT (event_id) DO NOTHING`, ev.ID, string(ev.Type), tenantID, created)
		if res.Error != nil {
			return fmt.Errorf("billing: webhook: record event: %w", res.Error)
		}
		if res.RowsAffected == 0 { // a concurrent delivery of the same event won
			outcome = OutcomeDuplicate
			return nil
		}
		applied, err := s.applyEvent(ctx, tenantID, obj, created)
		if err != nil {
			return err
		}
		if !applied {
			outcome = OutcomeIgnored
			return tenant.DB(ctx).Exec(`UPDATE billing_events SET outcome = 'ignored' WHERE event_id = ?`, ev.ID).Error
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	slog.DebugContext(ctx, "billing: webhook", "event", ev.ID, "type", ev.Type, "tenant", tenantID, "outcome", outcome)
	return outcome, nil
}

func (s *Service) recordIgnored(ctx context.Context, ev stripe.Event, created time.Time) error {
	err := s.pool.Platform(ctx).Exec(`INSERT INTO billing_events (event_id, type, outcome, created) VALUES (?, ?, 'ignored', ?)
		ON CONFLICT (event_id) DO NOTHING`, ev.ID, string(ev.Type), created).Error
	if err != nil {
		return fmt.Errorf("billing: webhook: record event: %w", err)
	}
	return nil
}

// tenantFor finds the chain of an event: by its Stripe customer through the
// platform directory, or for Checkout by the client_reference_id we set,
// accepted only when that chain has no other customer.
func (s *Service) tenantFor(ctx context.Context, obj eventObject) (uuid.UUID, error) {
	var ids []uuid.UUID
	if obj.Customer != "" {
		if err := s.pool.Platform(ctx).Raw(`SELECT tenant_id FROM billing_customers WHERE stripe_customer_id = ?`, string(obj.Customer)).Scan(&ids).Error; err != nil {
			return uuid.Nil, fmt.Errorf("billing: webhook: customer: %w", err)
		}
		if len(ids) == 1 {
			return ids[0], nil
		}
	}
	ref, err := uuid.Parse(obj.ClientReferenceID)
	if obj.Object != "checkout.session" || err != nil {
		return uuid.Nil, nil
	}
	if err := s.pool.Platform(ctx).Raw(`SELECT tenant_id FROM billing_customers WHERE tenant_id = ? AND (stripe_customer_id IS NULL OR stripe_customer_id = ?)`,
		ref, string(obj.Customer)).Scan(&ids).Error; err != nil {
		return uuid.Nil, fmt.Errorf("billing: webhook: reference: %w", err)
	}
	if len(ids) == 1 {
		return ids[0], nil
	}
	return uuid.Nil, nil
}

// applyEvent reads the subscription the event is about from Stripe and
// stores its current state. A late event about a subscription the chain has
// replaced changes nothing unless that subscription is live again.
func (s *Service) applyEvent(ctx context.Context, tenantID uuid.UUID, obj eventObject, created time.Time) (bool, error) {
	a, err := s.ensureAccount(ctx, tenantID)
	if err != nil {
		return false, err
	}
	if a.StripeCustomerID == nil && obj.Customer != "" {
		c := string(obj.Customer)
		a.StripeCustomerID = &c
	}
	if a.LastEventCreated == nil || created.After(*a.LastEventCreated) {
		a.LastEventCreated = &created
	}
	if obj.Subscription == "" || s.stripe == nil {
		return false, s.save(ctx, a)
	}
	sub, err := s.stripe.getSubscription(ctx, string(obj.Subscription))
	if err != nil {
		return false, err
	}
	if sub.Customer != nil && a.StripeCustomerID != nil && sub.Customer.ID != *a.StripeCustomerID {
		slog.WarnContext(ctx, "billing: webhook subscription belongs to another customer; ignored", "tenant", tenantID, "subscription", sub.ID)
		return false, s.save(ctx, a)
	}
	status := mapStatus(sub.Status)
	if a.StripeSubscriptionID != nil && *a.StripeSubscriptionID != sub.ID && (status == StatusCanceled || status == StatusIncomplete) {
		return false, s.save(ctx, a) // an old or abandoned subscription: the current one stands
	}
	a.StripeSubscriptionID = &sub.ID
	if sub.Items != nil && len(sub.Items.Data) > 0 {
		it := sub.Items.Data[0]
		a.StripeItemID = &it.ID
		a.QuantitySynced = int(it.Quantity)
		if it.Price != nil {
			if p, err := planBy(tenant.DB(ctx), "stripe_price_id", it.Price.ID); err != nil {
				return false, err
			} else if p != nil {
				a.Plan = p.Code
			}
		}
	}
	if sub.CurrentPeriodEnd > 0 {
		t := time.Unix(sub.CurrentPeriodEnd, 0).UTC()
		a.CurrentPeriodEnd = &t
	}
	switch status {
	case StatusPastDue:
		if a.PastDueSince == nil {
			now := s.now()
			a.PastDueSince = &now
		}
	default:
		a.PastDueSince = nil
	}
	if status == StatusCanceled {
		if a.CanceledAt == nil {
			t := s.now()
			if sub.CanceledAt > 0 {
				t = time.Unix(sub.CanceledAt, 0).UTC()
			}
			a.CanceledAt = &t
		}
	} else {
		a.CanceledAt = nil
	}
	a.Status = status
	return true, s.save(ctx, a)
}

// mapStatus folds Stripe's subscription statuses into ours. Stripe's
// trialing (a trial carried into the subscription, card on file) is a
// subscription in good standing; unpaid is past due; an expired or paused
// subscription grants nothing.
func mapStatus(st stripe.SubscriptionStatus) string {
	switch st {
	case stripe.SubscriptionStatusActive, stripe.SubscriptionStatusTrialing:
		return StatusActive
	case stripe.SubscriptionStatusPastDue, stripe.SubscriptionStatusUnpaid:
		return StatusPastDue
	case stripe.SubscriptionStatusIncomplete:
		return StatusIncomplete
	default: // canceled, incomplete_expired, paused
		return StatusCanceled
	}
}
