// The error the lexer and parser throw: a message (a byte string, like Nix prints it) and the
// source offset Nix reports it at.
import type { Source } from "./ast.js";

export class ParseError extends Error {
  readonly source: Source;
  readonly offset: number;

  constructor(message: string, source: Source, offset: number) {
    super(message);
    this.name = "ParseError";
    this.source = source;
    this.offset = offset;
  }
}
