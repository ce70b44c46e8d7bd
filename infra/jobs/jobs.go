// Package jobs runs the background work of DESIGN.md (point expiry, tier
// re-evaluation, birthday benefits, alert sweeps, clean-ups) on River, the
// PostgreSQL-backed job queue, so jobs commit with the data they read and
// survive restarts.
//
// Most work is per tenant. A Task is scheduled once per period: a periodic
// fan-out job lists the tenants and enqueues one job per (task, tenant,
// period), unique by its arguments, so however many instances run the
// scheduler or however often the fan-out repeats, each tenant's task runs
// once per period and a failed tenant retries without holding up the rest.
package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
)

// Task is work done for each tenant every period. Run must be idempotent:
// River retries a failed run, and now is the period's start when it first
// ran, so a retry decides exactly as the first attempt would have.
type Task struct {
	Name  string // stable and unique: "members.expire_points"
	Every time.Duration
	Run   func(ctx context.Context, tenantID uuid.UUID, now time.Time) error
}

// Options configure the runner.
type Options struct {
	DatabaseURL string // the app role's URL
	// Tenants lists the tenants tasks run for (active ones).
	Tenants func(ctx context.Context) ([]uuid.UUID, error)
	Tasks   []Task
	Workers int // concurrent jobs per instance; default 4
	Log     *slog.Logger
}

// Runner owns the River client and its connection pool.
type Runner struct {
	client *river.Client[pgx.Tx]
	pool   *pgxpool.Pool
	tasks  map[string]Task
	log    *slog.Logger
}

// New builds the runner; nothing runs until Start. An insert-only runner
// (RunNow from a CLI) needs no Start.
func New(ctx context.Context, opt Options) (*Runner, error) {
	if opt.Log == nil {
		opt.Log = slog.Default()
	}
	if opt.Workers <= 0 {
		opt.Workers = 4
	}
	pool, err := pgxpool.New(ctx, opt.DatabaseURL)
	if err != nil {
		return nil, fmt.Errorf("jobs: %w", err)
	}
	r := &Runner{pool: pool, tasks: map[string]Task{}, log: opt.Log}
	workers := river.NewWorkers()
	river.AddWorker(workers, &fanOutWorker{r: r, tenants: opt.Tenants})
	river.AddWorker(workers, &tenantTaskWorker{r: r})
	var periodic []*river.PeriodicJob
	for _, t := range opt.Tasks {
		if t.Name == "" || t.Every <= 0 || t.Run == nil {
			pool.Close()
			return nil, fmt.Errorf("jobs: task %q needs a name, a period and a body", t.Name)
		}
		if _, dup := r.tasks[t.Name]; dup {
			pool.Close()
			return nil, fmt.Errorf("jobs: task %q registered twice", t.Name)
		}
		r.tasks[t.Name] = t
		name := t.Name
		periodic = append(periodic, river.NewPeriodicJob(river.PeriodicInterval(t.Every),
			func() (river.JobArgs, *river.InsertOpts) { return FanOutArgs{Task: name}, nil },
			&river.PeriodicJobOpts{ID: name, RunOnStart: true}))
	}
	client, err := river.NewClient(riverpgxv5.New(pool), &river.Config{
		Queues:       map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: opt.Workers}},
		Workers:      workers,
		PeriodicJobs: periodic,
		Logger:       opt.Log,
		JobTimeout:   10 * time.Minute,
	})
	if err != nil {
		pool.Close()
		return nil, fmt.Errorf("jobs: %w", err)
	}
	r.client = client
	return r, nil
}

// Start works jobs until Stop.
func (r *Runner) Start(ctx context.Context) error { return r.client.Start(ctx) }

// Stop lets running jobs finish (until ctx ends) and closes the pool.
func (r *Runner) Stop(ctx context.Context) error {
	err := r.client.Stop(ctx)
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		err = nil
	}
	return err
}

// Close releases the pool; call after Stop (or when never started).
func (r *Runner) Close() { r.pool.Close() }

// RunNow enqueues a fan-out of the task now (operators, tests). Tenants
// whose task already ran this period are not run again.
func (r *Runner) RunNow(ctx context.Context, task string) error {
	if _, ok := r.tasks[task]; !ok {
		return fmt.Errorf("jobs: no task %q", task)
	}
	_, err := r.client.Insert(ctx, FanOutArgs{Task: task}, nil)
	return err
}

// FanOutArgs start one task's round over every tenant.
type FanOutArgs struct {
	Task string `json:"task"`
}

// Kind names the job in River.
func (FanOutArgs) Kind() string { return "fan_out" }

// TenantTaskArgs run one task for one tenant in one period.
type TenantTaskArgs struct {
	Task     string    `json:"task"`
	TenantID uuid.UUID `json:"tenant_id"`
	Period   time.Time `json:"period"` // the period's start: part of the unique key
}

// Kind names the job in River.
func (TenantTaskArgs) Kind() string { return "tenant_task" }

type fanOutWorker struct {
	river.WorkerDefaults[FanOutArgs]
	r       *Runner
	tenants func(ctx context.Context) ([]uuid.UUID, error)
}

func (w *fanOutWorker) Work(ctx context.Context, job *river.Job[FanOutArgs]) error {
	t, ok := w.r.tasks[job.Args.Task]
	if !ok {
		return river.JobCancel(fmt.Errorf("jobs: no task %q", job.Args.Task))
	}
	ids, err := w.tenants(ctx)
	if err != nil {
		return err
	}
	period := time.Now().UTC().Truncate(t.Every)
	params := make([]river.InsertManyParams, 0, len(ids))
	for _, id := range ids {
		params = append(params, river.InsertManyParams{
			Args:       TenantTaskArgs{Task: t.Name, TenantID: id, Period: period},
			InsertOpts: &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByArgs: true}},
		})
	}
	for len(params) > 0 {
		n := min(len(params), 1000)
		if _, err := w.r.client.InsertMany(ctx, params[:n]); err != nil {
			return err
		}
		params = params[n:]
	}
	w.r.log.Info("jobs: fanned out", "task", t.Name, "tenants", len(ids), "period", period)
	return nil
}

type tenantTaskWorker struct {
	river.WorkerDefaults[TenantTaskArgs]
	r *Runner
}

func (w *tenantTaskWorker) Work(ctx context.Context, job *river.Job[TenantTaskArgs]) error {
	t, ok := w.r.tasks[job.Args.Task]
	if !ok {
		return river.JobCancel(fmt.Errorf("jobs: no task %q", job.Args.Task))
	}
	return t.Run(ctx, job.Args.TenantID, job.Args.Period)
}
