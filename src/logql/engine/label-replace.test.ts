/**
 * label_replace: anchored RE2 matching and Go `Regexp.Expand` templates.
 */
import { describe, expect, it } from 'vitest'
import type { LabelReplaceExpr } from '../syntax/ast'
import { compileLabelReplace } from './label-replace'
import { vec } from '../../../test/support/engine-ast'

function lr(dst: string, replacement: string, src: string, regex: string): LabelReplaceExpr {
  return { kind: 'LabelReplaceExpr', left: vec(1), dst, replacement, src, regex }
}

describe('label_replace', () => {
  it.each([
    { name: 'copy with suffix', e: lr('svc', '$1-svc', 'app', '(.*)'), in: { app: 'db' }, out: { app: 'db', svc: 'db-svc' } },
    { name: 'braced group', e: lr('svc', '${1}x', 'app', '(d)b'), in: { app: 'db' }, out: { app: 'db', svc: 'dx' } },
    { name: 'named group', e: lr('n', '$name', 'app', '(?P<name>d).'), in: { app: 'db' }, out: { app: 'db', n: 'd' } },
    { name: '$1x reads group "1x", which is empty', e: lr('n', '$1x', 'app', '(d)b'), in: { app: 'db' }, out: { app: 'db' } },
    { name: '$$ is a dollar', e: lr('n', '$$1', 'app', '(d)b'), in: { app: 'db' }, out: { app: 'db', n: '$1' } },
    { name: 'no match leaves the series', e: lr('n', 'x', 'app', 'zzz'), in: { app: 'db' }, out: { app: 'db' } },
    { name: 'regex is anchored', e: lr('n', 'x', 'app', 'd'), in: { app: 'db' }, out: { app: 'db' } },
    { name: 'empty result removes dst', e: lr('app', '', 'app', '.*'), in: { app: 'db' }, out: {} },
    { name: 'missing src reads as empty', e: lr('n', 'empty', 'nope', ''), in: { app: 'db' }, out: { app: 'db', n: 'empty' } },
  ])('$name', ({ e, in: labels, out }) => {
    expect(compileLabelReplace(e).apply(labels)).toEqual(out)
  })
  it('an invalid regex is a 400', () => {
    expect(() => compileLabelReplace(lr('a', 'b', 'c', '('))).toThrow(/invalid regex in label_replace/)
  })
})
