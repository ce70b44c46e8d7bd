// Every failed call becomes an ApiError: the API's problem+json
// (RFC 9457) with its stable code and per-field errors, or a stand-in
// problem when the server could not be reached or answered something else.

export interface FieldError {
  field: string;
  message: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly title: string;
  readonly detail: string;
  readonly errors: FieldError[];
  readonly requestId: string;

  constructor(p: { status: number; code: string; title: string; detail?: string; errors?: FieldError[]; requestId?: string }) {
    super(p.detail ? `${p.title}: ${p.detail}` : p.title);
    this.name = 'ApiError';
    this.status = p.status;
    this.code = p.code;
    this.title = p.title;
    this.detail = p.detail ?? '';
    this.errors = p.errors ?? [];
    this.requestId = p.requestId ?? '';
  }

  /** isForbidden: the caller may not do this (as opposed to "signed out"). */
  get isForbidden(): boolean {
    return this.status === 403;
  }
}

function isProblem(body: unknown): body is { status?: number; code: string; title: string; detail?: string; errors?: FieldError[]; request_id?: string } {
  return typeof body === 'object' && body !== null && typeof (body as { code?: unknown }).code === 'string';
}

/** toApiError builds the error from a response and its parsed body. */
export function toApiError(response: Response, body: unknown): ApiError {
  const requestId = response.headers.get('X-Request-Id') ?? '';
  if (isProblem(body)) {
    return new ApiError({
      status: response.status,
      code: body.code,
      title: body.title,
      detail: body.detail,
      errors: Array.isArray(body.errors) ? body.errors : [],
      requestId: body.request_id ?? requestId,
    });
  }
  return new ApiError({ status: response.status, code: `http.${response.status}`, title: response.statusText || 'HTTP error', requestId });
}

/** networkError stands for a server that could not be reached. */
export function networkError(cause: unknown): ApiError {
  return new ApiError({ status: 0, code: 'network.unreachable', title: 'The server could not be reached', detail: String(cause) });
}

/** asApiError: any thrown value, as an ApiError (programming errors stay visible as `internal`). */
export function asApiError(e: unknown): ApiError {
  if (e instanceof ApiError) return e;
  return new ApiError({ status: 0, code: 'console.internal', title: e instanceof Error ? e.message : String(e) });
}
