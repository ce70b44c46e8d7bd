package einvoice

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"testing"
	"time"

	"chainstore/infra/httpsig"
	"github.com/google/uuid"
)

type answerTransport struct {
	key    []byte
	status int
	body   []byte
}

func (a answerTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp := &http.Response{StatusCode: a.status, Header: http.Header{}, Body: io.NopCloser(bytes.NewReader(a.body)), Request: req}
	httpsig.SignResponse(resp.Header, a.key, a.status, req.URL.EscapedPath(), a.body, time.Now())
	return resp, nil
}

// FuzzInvoiceAnswers feeds any signed answer to Issue and Query: no panic,
// and no error only for an issued invoice of the request.
func FuzzInvoiceAnswers(f *testing.F) {
	f.Add(201, []byte(`{"id":"01900000-0000-7000-8000-0000000000aa","kind":"blue","status":"issued","number":"26310000000000000001","issued_at":"2026-01-02T03:04:05Z","total":11300,"tax":1300}`))
	f.Add(202, []byte(`{"id":"01900000-0000-7000-8000-0000000000aa","kind":"blue","status":"pending","total":11300,"tax":1300}`))
	f.Add(201, []byte(`{"id":"01900000-0000-7000-8000-0000000000aa","kind":"red","original_id":"x","status":"failed","total":-1,"tax":5}`))
	f.Add(422, []byte(`{"code":"red_exceeds_original","message":"too much"}`))
	f.Add(200, []byte(`[]`))
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		if status < 100 || status > 999 {
			return
		}
		key := []byte("0123456789abcdef")
		c, err := NewClient("http://provider.test", string(key), time.Second)
		if err != nil {
			t.Fatal(err)
		}
		c.hc.Transport = answerTransport{key: key, status: status, body: body}
		c.log = slog.New(slog.DiscardHandler)
		id := uuid.MustParse("01900000-0000-7000-8000-0000000000aa")
		r := Request{ID: id, Kind: KindBlue, SellerTaxID: "91350100M000100Y43", BuyerTitle: "个人",
			Lines: []Line{{Name: "矿泉水", Qty: 1000, Amount: 11300, TaxRateBP: 1300}}, Total: 11300}
		inv, err := c.Issue(context.Background(), r)
		if err == nil && (inv.Status != StatusIssued || inv.ID != id || inv.Total != 11300 || inv.Number == "") {
			t.Fatalf("Issue without error gave %+v", inv)
		}
		if q, err := c.Query(context.Background(), id); err == nil && (q.ID != id || (q.Kind == KindBlue && (q.Tax < 0 || q.Tax > q.Total))) {
			t.Fatalf("Query gave %+v", q)
		}
	})
}
