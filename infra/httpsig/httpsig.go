// Package httpsig is the message signature of ChainStore's provider
// protocols (payments, e-invoices): HMAC-SHA256 under a key both sides hold,
// over what identifies a message and when it was made, so neither side acts
// on a message the other did not send.
//
// A request carries
//
//	X-Timestamp: <unix seconds>
//	X-Signature: hex(HMAC-SHA256(key, METHOD "\n" PATH "\n" TIMESTAMP "\n" BODY))
//
// where PATH is the escaped path as sent (with any prefix of the base URL,
// without the query) and BODY the exact bytes (empty for a GET). The server
// refuses a timestamp more than MaxSkew from its clock; that bounds how long
// a captured request can be replayed, and inside the window the protocols
// make every mutating request idempotent by its id, so a replay changes
// nothing.
//
// A response is signed the same way with its status code in place of the
// method ("200", "404"): the protocols' methods are GET and POST, never a
// number, so a response cannot pass for a request. A client believes no answer, not even a refusal,
// whose signature fails: a forged "approved" would let goods leave unpaid
// and a forged "refused" would let the customer pay twice.
package httpsig

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"strconv"
	"time"
)

// The headers of a signed message.
const (
	HeaderTimestamp = "X-Timestamp"
	HeaderSignature = "X-Signature"
)

// MaxSkew is how far a request's timestamp may be from the server's clock.
const MaxSkew = 5 * time.Minute

// Errors of verification. Neither names the key or the expected signature.
var (
	ErrSignature = errors.New("httpsig: signature missing or wrong")
	ErrStale     = errors.New("httpsig: timestamp missing or outside the freshness window")
)

// Sign is the hex HMAC-SHA256 of head "\n" path "\n" ts "\n" body under key,
// where head is a request's method or a response's status code.
func Sign(key []byte, head, path string, ts int64, body []byte) string {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(head))
	m.Write([]byte{'\n'})
	m.Write([]byte(path))
	m.Write([]byte{'\n'})
	m.Write([]byte(strconv.FormatInt(ts, 10)))
	m.Write([]byte{'\n'})
	m.Write(body)
	return hex.EncodeToString(m.Sum(nil))
}

// SignRequest sets the timestamp and signature headers of req, whose body
// is body, at time now.
func SignRequest(req *http.Request, key, body []byte, now time.Time) {
	ts := now.Unix()
	req.Header.Set(HeaderTimestamp, strconv.FormatInt(ts, 10))
	req.Header.Set(HeaderSignature, Sign(key, req.Method, req.URL.EscapedPath(), ts, body))
}

// VerifyRequest checks a received request whose body is body: ErrStale when
// its timestamp is missing or more than MaxSkew from now, ErrSignature when
// the signature does not match.
func VerifyRequest(r *http.Request, key, body []byte, now time.Time) error {
	ts, err := strconv.ParseInt(r.Header.Get(HeaderTimestamp), 10, 64)
	if err != nil {
		return ErrStale
	}
	if d := now.Sub(time.Unix(ts, 0)); d > MaxSkew || d < -MaxSkew {
		return ErrStale
	}
	return verify(key, r.Header.Get(HeaderSignature), r.Method, r.URL.EscapedPath(), ts, body)
}

// SignResponse sets the signature headers of a response with status and
// body to the request for path. Call it before WriteHeader.
func SignResponse(h http.Header, key []byte, status int, path string, body []byte, now time.Time) {
	ts := now.Unix()
	h.Set(HeaderTimestamp, strconv.FormatInt(ts, 10))
	h.Set(HeaderSignature, Sign(key, strconv.Itoa(status), path, ts, body))
}

// VerifyResponse checks resp, whose body (already read) is body, as the
// answer to a request for path: ErrSignature unless it is signed by key.
// Its timestamp is not checked for freshness: the answer is bound to the
// request's path, and the protocols' clients check the ids inside it.
func VerifyResponse(resp *http.Response, key, body []byte, path string) error {
	ts, err := strconv.ParseInt(resp.Header.Get(HeaderTimestamp), 10, 64)
	if err != nil {
		return ErrSignature
	}
	return verify(key, resp.Header.Get(HeaderSignature), strconv.Itoa(resp.StatusCode), path, ts, body)
}

func verify(key []byte, got, head, path string, ts int64, body []byte) error {
	sig, err := hex.DecodeString(got)
	if err != nil || len(sig) != sha256.Size {
		return ErrSignature
	}
	want, _ := hex.DecodeString(Sign(key, head, path, ts, body))
	if !hmac.Equal(sig, want) {
		return ErrSignature
	}
	return nil
}
