/** One bench figure: the vault's value beside the bound measured (or derived) in the same run. */
export interface Figure {
  readonly id: string;
  readonly title: string;
  readonly value: number;
  readonly bound: number;
  readonly unit: string;
  /** `floor`: the least the contract allows; `ceiling`: the most the parts allow. */
  readonly boundKind: 'floor' | 'ceiling' | 'baseline';
  readonly boundLabel: string;
  /** value / bound. */
  readonly ratio: number;
  readonly goal: { readonly op: '<=' | '>='; readonly ratio: number };
  readonly met: boolean;
  /** Counts and secondary figures (calls per sale, capacity units, samples) printed beside it. */
  readonly details: Readonly<Record<string, number | string>>;
}

export function figure(f: Omit<Figure, 'ratio' | 'met'>): Figure {
  if (!(f.bound > 0)) throw new Error(`${f.id}: the ${f.boundKind} must be positive, got ${f.bound}`);
  const ratio = f.value / f.bound;
  const met = f.goal.op === '<=' ? ratio <= f.goal.ratio : ratio >= f.goal.ratio;
  return { ...f, ratio, met };
}

/** Rounds for print and JSON: 3 significant digits are all a noisy run can claim. */
export const round = (x: number) => (Number.isFinite(x) ? Number(x.toPrecision(3)) : x);
