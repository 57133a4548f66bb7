import { describe, expect, it } from 'vitest'
import { buildLineFilter, lineFilterTest } from './line-filter'
import { lf } from '../../../test/support/pipeline-ast'
import type { LineFilterExpr } from '../syntax/ast'

describe('line filters', () => {
  const cases: Array<[string, LineFilterExpr, string, boolean]> = [
    ['|= "error"', lf('|=', 'error'), 'level=error msg=x', true],
    ['|= "error" (case sensitive)', lf('|=', 'error'), 'level=ERROR', false],
    ['|= ""', lf('|=', ''), 'anything', true],
    ['!= ""', lf('!=', ''), 'anything', false],
    ['!= "debug"', lf('!=', 'debug'), 'level=info', true],
    ['!= "debug"', lf('!=', 'debug'), 'level=debug', false],
    ['|= "a" or "b" on b', lf('|=', 'timeout', 'access denied'), 'access denied for x', true],
    ['|= "a" or "b" on neither', lf('|=', 'timeout', 'access denied'), 'ok', false],
    ['!= "a" or "b" drops a', lf('!=', 'timeout', 'refused'), 'a timeout', false],
    ['!= "a" or "b" drops b', lf('!=', 'timeout', 'refused'), 'conn refused', false],
    ['!= "a" or "b" keeps others', lf('!=', 'timeout', 'refused'), 'fine', true],
    ['|= "a" or "" ignores the empty operand', lf('|=', 'a', ''), 'xyz', false],
    ['|= unicode', lf('|=', '✓'), 'done ✓', true],
    ['|= backslash', lf('|=', 'C:\\data'), 'path C:\\data\\x', true],
    ['|~ unanchored', lf('|~', 'err.r'), 'an error here', true],
    ['|~ alternation', lf('|~', '(timeout|refused)'), 'connection refused', true],
    ['|~ alternation miss', lf('|~', '(timeout|refused)'), 'ok', false],
    ['|~ (?i)', lf('|~', '(?i)error'), 'ERROR: x', true],
    ['|~ dot does not match newline', lf('|~', 'exist.+at db'), 'does not exist\nat db', false],
    ['|~ (?s) dot matches newline', lf('|~', '(?s)exist.+at db'), 'does not exist\nat db', true],
    ['|~ status class', lf('|~', '" 5[0-9]{2} '), '"GET / HTTP/1.1" 503 12', true],
    ['|~ \\d', lf('|~', '\\d{3}ms'), 'took 250ms', true],
    ['|~ \\pL', lf('|~', '^\\pL+$'), 'héllo', true],
    ['!~ regex', lf('!~', 'debug|trace'), 'level=trace', false],
    ['!~ regex keeps', lf('!~', 'debug|trace'), 'level=info', true],
    ['|~ "" matches all', lf('|~', ''), 'x', true],
    ['!~ "" drops all', lf('!~', ''), 'x', false],
    ['|> pattern', lf('|>', '<_> "POST <_> HTTP/1.1" 50<_>'), '1.2.3.4 - - "POST /api HTTP/1.1" 502 12', true],
    ['|> pattern miss', lf('|>', '<_> "POST <_> HTTP/1.1" 50<_>'), '1.2.3.4 - - "GET /api HTTP/1.1" 502 12', false],
    ['|> trailing literal must end the line', lf('|>', '<_> bar'), 'foo bar baz', false],
    ['|> trailing capture', lf('|>', '<_> baz'), 'foo bar baz', true],
    ['|> leading literal', lf('|>', 'foo <_>'), 'foo bar baz', true],
    ['|> empty capture rejected', lf('|>', '<_> bar <_>'), ' bar ', false],
    ['|> adjacent literal', lf('|>', '<_>bar<_>'), ' bar ', true],
    ['!> pattern', lf('!>', '<_> error <_>'), 'an error here', false],
    ['|> or', lf('|>', '<_> GET <_>', '<_> PUT <_>'), 'x PUT y', true],
    ['ip cidr v4', lf('|=', 'ip:192.168.0.0/16'), 'client 192.168.4.5 connected', true],
    ['ip cidr v4 miss', lf('|=', 'ip:192.168.0.0/16'), 'client 10.0.0.1 connected', false],
    ['ip single', lf('|=', 'ip:10.0.0.1'), 'from=10.0.0.1:443', true],
    ['ip range', lf('|=', 'ip:10.0.0.1-10.0.0.9'), 'a 10.0.0.5 b', true],
    ['ip range miss', lf('|=', 'ip:10.0.0.1-10.0.0.9'), 'a 10.0.0.10 b', false],
    ['ip v6 cidr', lf('|=', 'ip:2001:db8::/32'), 'client=2001:db8::1 ok', true],
    ['ip v6 cidr miss', lf('|=', 'ip:2001:db8::/32'), 'client=2001:db9::1 ok', false],
    ['ip v4 does not match v6', lf('|=', 'ip:1.2.3.4'), 'x ::ffff:1.2.3.4 y', false],
    ['ip leading zero is no address', lf('|=', 'ip:1.2.3.4'), 'x 01.2.3.4 y', false],
    ['!= ip', lf('!=', 'ip:10.0.0.0/8'), 'from 10.1.2.3', false],
    ['!= ip keeps', lf('!=', 'ip:10.0.0.0/8'), 'from 172.16.0.1', true],
    ['ip or string', lf('|=', 'ip:::1', 'localhost'), 'connect localhost', true],
  ]
  it.each(cases)('%s on %j', (_name, f, line, want) => {
    expect(lineFilterTest(f)(line)).toBe(want)
  })

  it('buildLineFilter ANDs chained filters', () => {
    const f = buildLineFilter([lf('|=', 'error'), lf('!=', 'timeout'), lf('|~', 'db|cache')])
    expect(f('error in db')).toBe(true)
    expect(f('error in db: timeout')).toBe(false)
    expect(f('error in api')).toBe(false)
    expect(buildLineFilter([])('anything')).toBe(true)
  })

  it('buildLineFilter works on structured clones of the AST', () => {
    const nodes = structuredClone([lf('|=', 'a', 'b'), lf('!=', 'ip:10.0.0.0/8')])
    const f = buildLineFilter(nodes)
    expect(f('b from 1.2.3.4')).toBe(true)
    expect(f('b from 10.2.3.4')).toBe(false)
  })

  it.each([
    [lf('|~', '(unclosed'), /error parsing regexp/],
    [lf('|=', 'ip:300.1.1.1'), /ip: invalid pattern/],
    [lf('|=', 'ip:10.0.0.9-10.0.0.1'), /ip: invalid pattern/],
    [lf('|=', 'ip:10.0.0.0/33'), /ip: invalid pattern/],
    [lf('|~', 'ip:10.0.0.0/8'), /invalid operation/],
    [lf('|>', '<a><b>'), /consecutive capture/],
  ])('rejects %j', (f, err) => {
    expect(() => lineFilterTest(f)).toThrow(err)
  })

  it('runs on a huge line and on lone surrogates', () => {
    const huge = 'x'.repeat(2_000_000) + ' needle'
    expect(lineFilterTest(lf('|=', 'needle'))(huge)).toBe(true)
    expect(lineFilterTest(lf('|~', 'ne+dle$'))(huge)).toBe(true)
    expect(lineFilterTest(lf('|=', 'a'))('\ud800 a')).toBe(true)
  })
})
