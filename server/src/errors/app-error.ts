/** Stable error codes; the HTTP layer maps each to a status. */
export type ErrorCode =
  | 'invalid'
  | 'not_authenticated'
  | 'authentication_failed'
  | 'permission_denied'
  | 'not_found'
  | 'conflict'
  | 'throttled'
  | 'method_not_allowed'
  | 'unsupported_media_type'
  | 'payload_too_large'
  | 'service_unavailable';

const statusByCode: Record<ErrorCode, number> = {
  invalid: 400,
  not_authenticated: 401,
  authentication_failed: 401,
  permission_denied: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  throttled: 429,
  service_unavailable: 503,
};

/** Field name (dotted for nesting) to messages, DRF's validation error shape. */
export type FieldErrors = Record<string, string[]>;

/** The one error type services throw; rendered by the error middleware in DRF's shape. */
export class AppError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fieldErrors?: FieldErrors,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'AppError';
    this.status = statusByCode[code];
  }

  static invalid(fieldErrors: FieldErrors): AppError {
    return new AppError('invalid', 'Invalid input.', fieldErrors);
  }

  static invalidField(field: string, message: string): AppError {
    return AppError.invalid({ [field]: [message] });
  }

  static badRequest(message: string): AppError {
    return new AppError('invalid', message);
  }

  static notAuthenticated(): AppError {
    return new AppError('not_authenticated', 'Authentication credentials were not provided.');
  }

  static authenticationFailed(message = 'Invalid credentials.'): AppError {
    return new AppError('authentication_failed', message);
  }

  static forbidden(message = 'You do not have permission to perform this action.'): AppError {
    return new AppError('permission_denied', message);
  }

  static notFound(): AppError {
    return new AppError('not_found', 'Not found.');
  }

  static conflict(message: string, fieldErrors?: FieldErrors): AppError {
    return new AppError('conflict', message, fieldErrors);
  }

  static throttled(retryAfterSeconds: number): AppError {
    return new AppError(
      'throttled',
      `Too many failed sign-in attempts for this user name from this address. ` +
        `Try again in ${retryAfterSeconds} seconds.`,
      undefined,
      { 'Retry-After': String(retryAfterSeconds) },
    );
  }
}
