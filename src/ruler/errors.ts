/**
 * The ruler's typed errors; src/http maps them to Loki's statuses (400 for a refused group, 404
 * for missing ones) with Loki's texts.
 */

/** The body is not a YAML rule group. */
export class RuleGroupDecodeError extends Error {
  readonly status = 400
  constructor() {
    super('unable to decoded rule group')
    this.name = 'RuleGroupDecodeError'
  }
}

/** The group is refused: Loki's validation errors joined with ", ", or a limit's text. */
export class RuleGroupInvalidError extends Error {
  readonly status = 400
  constructor(message: string) {
    super(message)
    this.name = 'RuleGroupInvalidError'
  }
}

/** Nothing stored under the names asked for. */
export class RuleGroupNotFoundError extends Error {
  readonly status = 404
  constructor(message: 'no rule groups found' | 'group does not exist' | 'group namespace does not exist') {
    super(message)
    this.name = 'RuleGroupNotFoundError'
  }
}
