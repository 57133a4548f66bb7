/**
 * The label browser: the label names of the range (`labels`); a click on a name lists its values
 * (`label/<name>/values`), a click on a value adds `name="value"` to the query's selector.
 */

export interface LabelSource {
  names(): Promise<readonly string[]>
  values(name: string): Promise<readonly string[]>
}

function button(text: string, onClick: () => void): HTMLButtonElement {
  const b = document.createElement('button')
  b.type = 'button'
  b.textContent = text
  b.title = text
  b.addEventListener('click', onClick)
  return b
}

export class LabelBrowser {
  /** Labels whose values are shown; a refresh shows them again. */
  private readonly open = new Set<string>()

  constructor(
    private readonly list: HTMLUListElement,
    private readonly source: LabelSource,
    private readonly onPick: (name: string, value: string) => void,
    private readonly onError: (err: unknown) => void,
  ) {}

  async refresh(): Promise<void> {
    let names: readonly string[]
    try {
      names = await this.source.names()
    } catch (err) {
      this.onError(err)
      return
    }
    const items = names.map((name) => {
      const li = document.createElement('li')
      li.dataset.label = name
      li.append(
        button(name, () => {
          if (this.open.delete(name)) li.querySelector('ul')?.remove()
          else void this.showValues(li, name)
        }),
      )
      return li
    })
    this.list.replaceChildren(...items)
    await Promise.all(items.filter((li) => this.open.has(li.dataset.label ?? '')).map((li) => this.showValues(li, li.dataset.label ?? '')))
  }

  private async showValues(li: HTMLLIElement, name: string): Promise<void> {
    this.open.add(name)
    let values: readonly string[]
    try {
      values = await this.source.values(name)
    } catch (err) {
      this.onError(err)
      return
    }
    const ul = document.createElement('ul')
    ul.className = 'plain values'
    ul.append(
      ...values.map((value) => {
        const item = document.createElement('li')
        item.append(button(value, () => this.onPick(name, value)))
        return item
      }),
    )
    li.querySelector('ul')?.remove()
    li.append(ul)
  }
}
