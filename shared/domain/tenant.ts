/** A marketplace using the vault; every stored item and API key belongs to one. */
export interface Tenant {
  readonly tenantId: string;
  readonly name: string;
  readonly createdAt: string;
}
