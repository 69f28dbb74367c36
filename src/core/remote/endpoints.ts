/** URLs of an OpenAI-compatible server, from the configured base URL (which usually ends in /v1). */

const trim = (s: string): string => s.replace(/\/+$/, '');

export function chatCompletionsUrl(baseUrl: string): string {
  return `${trim(baseUrl)}/chat/completions`;
}

export function modelsUrl(baseUrl: string): string {
  return `${trim(baseUrl)}/models`;
}

/** The server root (base URL without its /v1), where llama-server and vLLM serve /tokenize and llama-server /props. */
export function serverRoot(baseUrl: string): string {
  return trim(baseUrl).replace(/\/v\d+$/, '');
}

/** The base URL as shown to the user: origin and path, never credentials or a query. */
export function displayServer(baseUrl: string): string {
  try {
    const u = new URL(baseUrl);
    return `${u.origin}${trim(u.pathname)}`;
  } catch {
    return '(invalid URL)';
  }
}

/** Loopback hosts, where plain http exposes nothing on the network. */
export function isLoopback(baseUrl: string): boolean {
  try {
    const h = new URL(baseUrl).hostname;
    return h === 'localhost' || h === '[::1]' || /^127\./.test(h);
  } catch {
    return false;
  }
}
