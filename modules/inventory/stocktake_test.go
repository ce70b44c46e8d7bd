package inventory_test

import (
	"context"
	"errors"
	"sync"
	"testing"

	"chainstore/modules/inventory"
)

// TestOpeningStocktakesIsSerialisedPerStore: however many open a count of
// one store at once, one stocktake is counting there and the others are
// told so; another store opens its own meanwhile.
func TestOpeningStocktakesIsSerialisedPerStore(t *testing.T) {
	tn := env.Signup(t)
	store, other := env.CreateStore(t, tn, nil), env.CreateStore(t, tn, nil)
	_, skus := catalog(t, tn, 1, false)
	receive(t, tn, store, skus[0], 1000, 100)
	var wg sync.WaitGroup
	var mu sync.Mutex
	opened, refused := 0, 0
	for i := 0; i < 10; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := svc().OpenStocktake(context.Background(), admin(tn), inventory.OpenStocktakeInput{StoreID: store})
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				opened++
			case errors.Is(err, inventory.ErrStocktakeOpen):
				refused++
			default:
				t.Errorf("open: %v", err)
			}
		}()
	}
	wg.Wait()
	if opened != 1 || refused != 9 {
		t.Fatalf("%d opened and %d refused, want 1 and 9", opened, refused)
	}
	if _, err := svc().OpenStocktake(context.Background(), admin(tn), inventory.OpenStocktakeInput{StoreID: other}); err != nil {
		t.Fatalf("another store's stocktake: %v", err)
	}
	if n := env.Count(t, `SELECT count(*) FROM stocktakes WHERE tenant_id = $1 AND status = 'counting'`, tn.ID); n != 2 {
		t.Fatalf("%d stocktakes counting, want 2", n)
	}
}
