// Errors of the store layer: what went wrong with a store operation, for the CLI to print.
export class StoreError extends Error {}

