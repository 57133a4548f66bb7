/**
 * An outbound URL from the settings, as Loki takes them: credentials written in the URL
 * (`http://user:pass@host/…`) become a Basic Authorization header and leave the URL.
 */
export interface Endpoint {
  readonly url: string
  readonly headers: Record<string, string>
}

export function endpoint(raw: string, path = ''): Endpoint {
  const u = new URL(raw)
  const headers: Record<string, string> = {}
  if (u.username !== '' || u.password !== '') {
    const user = decodeURIComponent(u.username)
    const pass = decodeURIComponent(u.password)
    headers['Authorization'] = `Basic ${btoa(String.fromCharCode(...new TextEncoder().encode(`${user}:${pass}`)))}`
    u.username = ''
    u.password = ''
  }
  if (path !== '') u.pathname = `${u.pathname.replace(/\/+$/, '')}${path}`
  return { url: u.toString(), headers }
}
