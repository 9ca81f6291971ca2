/**
 * Request and response types of each API operation, read from the generated schema
 * (lib/api-schema.d.ts): the path, its method, path and query parameters, JSON body and
 * success body are checked against the backend's OpenAPI at compile time. Types only.
 *
 * (openapi-fetch derives the same types, but would add a second client at run time around
 * what lib/api.ts must do anyway: CSRF, the 401 redirect, Server-Sent Events, ApiError.)
 */
import type { paths } from "./api-schema";

export type Method = "get" | "post" | "put" | "patch" | "delete";

/** The API's paths that answer `M`. */
export type PathWith<M extends Method> = {
  [P in keyof paths]: [NonNullable<paths[P][M]>] extends [never] ? never : P;
}[keyof paths];

export type Operation<P extends keyof paths, M extends Method> = NonNullable<paths[P][M]>;

type JsonOf<R> = R extends { content: { "application/json": infer J } } ? J : undefined;

/** The JSON body of the operation's success answer (undefined for 204). */
export type Success<O> = O extends { responses: infer R }
  ? R extends { 200: infer X }
    ? JsonOf<X>
    : R extends { 201: infer X }
      ? JsonOf<X>
      : undefined
  : never;

type Present<T> = [NonNullable<T>] extends [never] ? false : true;

type PathParams<O> = O extends { parameters: { path?: infer P } } ? (Present<P> extends true ? NonNullable<P> : never) : never;
type QueryParams<O> = O extends { parameters: { query?: infer Q } } ? (Present<Q> extends true ? NonNullable<Q> : never) : never;
type JsonBody<O> = O extends { requestBody?: infer R }
  ? Present<R> extends true
    ? NonNullable<R> extends { content: { "application/json": infer B } }
      ? B
      : never
    : never
  : never;

interface Transport {
  signal?: AbortSignal;
  accept?: string;
  /** Send the browser to sign in on 401 (default true). */
  redirectOn401?: boolean;
}

/** What a call of operation `O` takes: its parameters and body where it has them. */
export type RequestOptions<O> = Transport &
  ([PathParams<O>] extends [never] ? { path?: never } : { path: PathParams<O> }) &
  ([QueryParams<O>] extends [never] ? { query?: never } : { query?: QueryParams<O> }) &
  ([JsonBody<O>] extends [never] ? { body?: never } : { body: JsonBody<O> });

/** `/api/tickets/{ref}` with `{ ref: 12 }` → `/api/tickets/12` (each value URL-encoded). */
export function fillPath(template: string, params: Record<string, string | number> | undefined): string {
  return template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = params?.[name];
    if (value === undefined) throw new Error(`missing path parameter ${name} for ${template}`);
    return encodeURIComponent(String(value));
  });
}
