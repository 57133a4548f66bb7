import { describe, expect, it } from 'vitest'
import { endpoint } from './endpoint'

describe('endpoint', () => {
  it('moves credentials into a Basic header and appends the API path', () => {
    expect(endpoint('http://am%40x:p%3Ass@127.0.0.1:9093/alertmanager/', '/api/v2/alerts')).toEqual({
      url: 'http://127.0.0.1:9093/alertmanager/api/v2/alerts',
      headers: { Authorization: `Basic ${btoa('am@x:p:ss')}` },
    })
    expect(endpoint('http://127.0.0.1:9090/api/v1/write')).toEqual({ url: 'http://127.0.0.1:9090/api/v1/write', headers: {} })
  })
})
