import { test } from "node:test";
import assert from "node:assert/strict";
import { renderMarkdownForTerminal } from "./markdown-terminal.js";

// Expected text recorded from Nix 2.8's `flake init` of a template with this welcomeText.
test("welcome text: headings, wrapped paragraphs, lists, code and quotes as Nix renders them for a plain terminal", () => {
  const md = [
    "# Getting started",
    "",
    "This is a paragraph that is quite long, so that it must be wrapped somewhere around sixty or eighty columns when rendered.",
    "",
    "## Second level",
    "",
    "1. one",
    "2. two",
    "",
    "### Third",
    "",
    "```",
    "nix build",
    "nix run",
    "```",
    "",
    "    indented code",
    "",
    "> a quote",
    "",
    "Some **bold** and _emph_ and [a link](https://example.com).",
    "",
  ].join("\n");
  assert.equal(
    renderMarkdownForTerminal(md),
    [
      "Getting started",
      "",
      "    This is a paragraph that is quite long, so that it must be wrapped somewhere",
      "    around sixty or eighty columns when rendered.",
      "",
      "## Second level",
      "",
      "     1. one ",
      "     2. two ",
      "",
      "### Third",
      "",
      "      | nix build",
      "      | nix run",
      "",
      "      | indented code",
      "",
      "      | a quote",
      "",
      "    Some bold and emph and a link https://example.com.",
      "",
    ].join("\n"),
  );
  assert.equal(renderMarkdownForTerminal("welcome!"), "    welcome!\n");
  assert.equal(renderMarkdownForTerminal("- a\n- b `c`\n"), "      \u00b7 a \n      \u00b7 b c \n");
});
