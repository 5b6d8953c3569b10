export interface Credentials {
  readonly username: string;
  readonly password: string;
}

export interface HttpResult<T = unknown> {
  readonly status: number;
  readonly body: T;
  readonly headers: Headers;
}

/** A small JSON client for tests: Basic auth, a bearer token, or none. */
export class ApiClient {
  constructor(
    readonly baseUrl: string,
    private readonly auth?: Credentials | { token: string },
  ) {}

  as(auth: Credentials | { token: string } | undefined): ApiClient {
    return new ApiClient(this.baseUrl, auth);
  }

  get<T = unknown>(path: string): Promise<HttpResult<T>> {
    return this.request<T>('GET', path);
  }

  post<T = unknown>(path: string, body?: unknown): Promise<HttpResult<T>> {
    return this.request<T>('POST', path, body);
  }

  put<T = unknown>(path: string, body?: unknown): Promise<HttpResult<T>> {
    return this.request<T>('PUT', path, body);
  }

  patch<T = unknown>(path: string, body?: unknown): Promise<HttpResult<T>> {
    return this.request<T>('PATCH', path, body);
  }

  delete<T = unknown>(path: string): Promise<HttpResult<T>> {
    return this.request<T>('DELETE', path);
  }

  /** Sends `rawBody` as is (for malformed JSON tests). */
  async request<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    options: { rawBody?: string; headers?: Record<string, string> } = {},
  ): Promise<HttpResult<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (this.auth && 'token' in this.auth) headers.authorization = `Bearer ${this.auth.token}`;
    else if (this.auth) {
      headers.authorization = `Basic ${Buffer.from(`${this.auth.username}:${this.auth.password}`).toString('base64')}`;
    }
    let payload: string | undefined = options.rawBody;
    if (body !== undefined) payload = JSON.stringify(body);
    if (payload !== undefined) headers['content-type'] ??= 'application/json';
    const response = await fetch(`${this.baseUrl}/api/v1${path}`, { method, headers, body: payload });
    const text = await response.text();
    let parsed: unknown = text;
    if (text !== '' && (response.headers.get('content-type') ?? '').includes('json'))
      parsed = JSON.parse(text);
    return { status: response.status, body: parsed as T, headers: response.headers };
  }
}

/** Signs in like the browser does: the session cookie (`name=value`) and the CSRF token. */
export async function browserLogin(baseUrl: string, username: string, password: string) {
  const res = await fetch(`${baseUrl}/api/v1/auth/login/`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  const body = (await res.json()) as { csrf_token: string };
  const setCookie = res.headers.get('set-cookie') ?? '';
  return { status: res.status, csrf: body.csrf_token, cookie: setCookie.split(';')[0] ?? '', setCookie };
}
