package billing

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"github.com/stripe/stripe-go/v76"
)

func stripeStatus(s string) stripe.SubscriptionStatus { return stripe.SubscriptionStatus(s) }

func signFuzz(payload []byte, secret string) string {
	t := fmt.Sprint(time.Now().Unix())
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(t + "." + string(payload)))
	return "t=" + t + ",v1=" + hex.EncodeToString(mac.Sum(nil))
}
