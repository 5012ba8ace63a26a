export type IdPrefix = 'tnt' | 'lst' | 'crd' | 'ord' | 'rpt' | 'evt' | 'pen' | 'led' | 'whk' | 'lnk' | 'hld';

/** Prefixed, time-sortable ids (`ord_01J...`). */
export interface IdGenerator {
  next(prefix: IdPrefix, now?: Date): string;
}
