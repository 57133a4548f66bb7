import { describe, expect, it } from 'vitest'
import { buildPipeline } from './pipeline'
import { pattern, regexp } from '../../../test/support/pipeline-ast'
import { PatternMatcher } from './pattern'
import type { StageExpr } from '../syntax/ast'

function labels(stages: StageExpr[], line: string, stream: Record<string, string> = {}): Record<string, string> | undefined {
  const r = buildPipeline(stages).forStream(stream).process(0n, line)
  return r ? { ...r.labels.labels } : undefined
}

describe('| regexp', () => {
  it.each([
    ['(?P<foo>foo|bar)buzz', 'blah', { app: 'foo' }, {}],
    ['(?P<foo>.*)buzz', 'matchebuzz barbuzz', { app: 'bar' }, { foo: 'matchebuzz bar' }],
    ['(?P<bar>bar)buzz', 'barbuzz', { bar: 'foo' }, { bar_extracted: 'bar' }],
    ['status=(?P<status>\\w+),latency=(?P<latency>\\w+)(ms|ns)', 'status=200,latency=500ms', { app: 'foo' }, { status: '200', latency: '500' }],
    ['\\[conn-(?P<conn>\\d+)\\] (?P<message>.*)', 'ERROR [conn-3] connection reset', {}, { conn: '3', message: 'connection reset' }],
    ['(?P<a>x)|(?P<b>y)', 'y', {}, { a: '', b: 'y' }],
    ['(?P<m>.+)', 'first\nsecond', {}, { m: 'first' }],
  ])('%s on %j', (re, line, stream, want) => {
    expect(labels([regexp(re)], line, stream)).toEqual({ ...stream, ...want })
  })

  it.each([
    ['w.*', /at least one named capture/],
    ['f(.*) (foo|bar|buzz)', /at least one named capture/],
    ['blah (.*) (?P<foo$>foo)', /error parsing regexp|invalid/],
    ['(?P<foo>foo)(?P<foo>barr)', /duplicate|error parsing regexp/],
    ['(unclosed', /error parsing regexp/],
  ])('rejects %s', (re, err) => {
    expect(() => buildPipeline([regexp(re)])).toThrow(err)
  })

  it.each(['blah (.*) (?P<foo>)', 'blah (.*) (?P<foo>foo)(?P<bar>barr)'])('accepts %s', (re) => {
    expect(() => buildPipeline([regexp(re)])).not.toThrow()
  })
})

describe('| pattern', () => {
  const nginx =
    '10.1.0.88 - - [14/Dec/2020:22:56:24 +0000] "GET /static/img/about/bob.jpg HTTP/1.1" 200 60755 "https://grafana.com/" "Mozilla/5.0"'
  it.each([
    ['<ip> - - [<_>] "<method> <uri> <_>" <status> <size> <_>', nginx, {}, { ip: '10.1.0.88', method: 'GET', uri: '/static/img/about/bob.jpg', status: '200', size: '60755' }],
    ['<_> "<method> <path> <_>"<_>', nginx, {}, { method: 'GET', path: '/static/img/about/bob.jpg' }],
    ['foo <bar> buzz', 'foo bar buzz', {}, { bar: 'bar' }],
    ['foo <bar> buzz', 'xfoo bar buzz', {}, {}],
    ['<a> <b> <c>', 'only two', {}, { a: 'only', b: 'two' }],
    ['<status> <rest>', '200 ok', { status: 'x' }, { status_extracted: '200', rest: 'ok' }],
    ['<ip> - <user> [<_>] "<method> <uri> <_>" <status> <bytes> "<_>" "<ua>" rt=<rt>', '1.2.3.4 - bob [t] "POST /a HTTP/2" 500 12 "-" "curl" rt=0.5', {}, { ip: '1.2.3.4', user: 'bob', method: 'POST', uri: '/a', status: '500', bytes: '12', ua: 'curl', rt: '0.5' }],
    ['<a>', '', {}, {}],
  ])('%s on %j', (p, line, stream, want) => {
    expect(labels([pattern(p)], line, stream)).toEqual({ ...stream, ...want })
  })

  it.each([
    ['<_>', /at least one capture/],
    ['foo bar', /at least one capture/],
    ['<a><b>', /consecutive capture/],
    ['<a> <a>', /duplicate capture/],
  ])('rejects %s', (p, err) => {
    expect(() => buildPipeline([pattern(p)])).toThrow(err)
  })

  it('keeps `<` that is not a capture as a literal', () => {
    expect(PatternMatcher.forParser('<1> <a>').matches('<1> x')).toEqual(['x'])
  })
})
