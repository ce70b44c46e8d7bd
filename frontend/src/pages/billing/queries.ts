import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client';
import type { OnboardingStepKey } from '../../api/types';

// Server state of modules/billing: plans, the subscription, Stripe
// redirects and the onboarding checklist.

export function usePlans() {
  return useQuery({ queryKey: ['billing', 'plans'], queryFn: () => unwrap(api.GET('/api/v1/billing/plans')), select: (l) => l.data });
}

export function useSubscription() {
  return useQuery({ queryKey: ['billing', 'subscription'], queryFn: () => unwrap(api.GET('/api/v1/billing/subscription')) });
}

/** useStripeRedirect opens Checkout for a plan, or the customer portal; the browser then leaves for Stripe. */
export function useStripeRedirect() {
  return useMutation({
    mutationFn: (to: { checkout: string } | 'portal') =>
      unwrap(to === 'portal' ? api.POST('/api/v1/billing/portal') : api.POST('/api/v1/billing/checkout', { body: { plan: to.checkout } })),
    onSuccess: ({ url }) => window.location.assign(url),
  });
}

export function useOnboarding() {
  return useQuery({ queryKey: ['onboarding'], queryFn: () => unwrap(api.GET('/api/v1/onboarding')) });
}

export function useMarkStep() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ step, done }: { step: OnboardingStepKey; done: boolean }) =>
      unwrap(api.PUT('/api/v1/onboarding/steps/{step}', { params: { path: { step } }, body: { done } })),
    onSuccess: (checklist) => queryClient.setQueryData(['onboarding'], checklist),
  });
}
