import type { NextConfig } from "next";
import { PHASE_DEVELOPMENT_SERVER } from "next/constants";

/**
 * Production (`next build`): a static export into `out/` that the Python
 * backend serves on the same origin as `/api`.
 *
 * Development (`next dev`): the same app, with `/api/*` proxied to a running
 * backend (default http://127.0.0.1:8000, override with DESKPILOT_API_ORIGIN)
 * so cookies stay same-origin. Rewrites are not available in a static export,
 * hence the phase switch.
 */
export default function nextConfig(phase: string): NextConfig {
  const base: NextConfig = {
    trailingSlash: true,
    reactStrictMode: true,
    poweredByHeader: false,
    images: { unoptimized: true },
  };

  if (phase === PHASE_DEVELOPMENT_SERVER) {
    const apiOrigin = (process.env.DESKPILOT_API_ORIGIN ?? "http://127.0.0.1:8000").replace(/\/+$/, "");
    return {
      ...base,
      // `/api/foo` must reach the backend as-is, not be redirected to `/api/foo/`.
      skipTrailingSlashRedirect: true,
      allowedDevOrigins: ["127.0.0.1", "localhost"],
      async rewrites() {
        return [{ source: "/api/:path*", destination: `${apiOrigin}/api/:path*` }];
      },
    };
  }

  return { ...base, output: "export" };
}
