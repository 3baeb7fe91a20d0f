// Errors in how a command was called (unknown flags, missing arguments).
export class UsageError extends Error {}
