/**
 * Google's push requests honour robots.txt: the notification path must never be disallowed.
 * Everything else (health, metrics) is off limits to crawlers. Google uses the most specific match,
 * so the Allow line wins for the push path.
 */
export function robotsTxt(pushPath: string): string {
  return `User-agent: *\nAllow: ${pushPath}\nDisallow: /\n`;
}
