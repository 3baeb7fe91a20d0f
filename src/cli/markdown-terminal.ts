// Markdown rendered for a plain terminal, as Nix prints a template's `welcomeText`: a level-1
// heading as its bare text, deeper ones with their `##`, paragraphs indented by four columns and
// wrapped at 80, list items as `· item`, code blocks and quotes behind `|`, inline markup
// (`code`, **bold**, _emphasis_, [links](url)) reduced to its text. The common constructs only.

const WIDTH = 80;
const INDENT = "    ";

/** Inline markup reduced to plain text (links keep their target after the text). */
function plainInline(text: string): string {
  return text
    .replace(/`([^`]*)`/g, "$1")
    .replace(/\[([^\]]*)\]\(([^)\s]*)\)/g, "$1 $2")
    .replace(/(\*\*|__)(\S(?:.*?\S)?)\1/g, "$2")
    .replace(/(^|[^\w*])[*_](\S(?:.*?\S)?)[*_](?![\w*])/g, "$1$2");
}

/** Words filled into lines of at most WIDTH columns, each starting with `indent`. */
function wrap(text: string, indent: string): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter((w) => w !== "")) {
    if (line !== "" && indent.length + line.length + 1 + word.length > WIDTH) {
      lines.push(indent + line);
      line = word;
    } else line = line === "" ? word : `${line} ${word}`;
  }
  if (line !== "") lines.push(indent + line);
  return lines;
}

export function renderMarkdownForTerminal(markdown: string): string {
  const lines = markdown.replace(/\r\n/g, "\n").split("\n");
  const blocks: string[][] = [];
  let i = 0;
  const isBlank = (l: string | undefined) => l === undefined || l.trim() === "";
  const LIST_ITEM = /^\s{0,3}([-*+]|\d+[.)])\s+(.*)$/;
  while (i < lines.length) {
    const line = lines[i]!;
    if (isBlank(line)) {
      i++;
      continue;
    }
    const heading = /^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      const text = plainInline(heading[2]!);
      blocks.push([heading[1]!.length === 1 ? text : `${heading[1]} ${text}`]);
      i++;
    } else if (/^\s{0,3}(```|~~~)/.test(line)) {
      const fence = line.trim().slice(0, 3);
      const code: string[] = [];
      for (i++; i < lines.length && !lines[i]!.trim().startsWith(fence); i++) code.push(`      | ${lines[i]}`);
      i++;
      blocks.push(code);
    } else if (line.startsWith("    ") || line.startsWith("\t")) {
      const code: string[] = [];
      for (; i < lines.length && (lines[i]!.startsWith("    ") || lines[i]!.startsWith("\t") || (isBlank(lines[i]) && /^( {4}|\t)/.test(lines[i + 1] ?? ""))); i++) {
        code.push(`      | ${lines[i]!.replace(/^( {4}|\t)/, "")}`.trimEnd());
      }
      blocks.push(code);
    } else if (/^\s{0,3}>/.test(line)) {
      const quote: string[] = [];
      for (; i < lines.length && /^\s{0,3}>/.test(lines[i]!); i++) quote.push(lines[i]!.replace(/^\s{0,3}>\s?/, ""));
      blocks.push(wrap(plainInline(quote.join(" ")), "      | "));
    } else if (LIST_ITEM.test(line)) {
      const items: string[] = [];
      while (i < lines.length && !isBlank(lines[i])) {
        const m = LIST_ITEM.exec(lines[i]!);
        if (m) {
          const marker = /\d/.test(m[1]!) ? m[1]!.replace(")", ".").padStart(7) : "      ·";
          items.push(`${marker} ${plainInline(m[2]!)}`);
        } else items[items.length - 1] += ` ${plainInline(lines[i]!.trim())}`;
        i++;
      }
      blocks.push(items.map((item) => `${item} `));
    } else {
      const para: string[] = [];
      for (; i < lines.length && !isBlank(lines[i]) && !/^\s{0,3}(#{1,6}\s|```|~~~|>)/.test(lines[i]!); i++) para.push(lines[i]!.trim());
      blocks.push(wrap(plainInline(para.join(" ")), INDENT));
    }
  }
  return blocks.map((b) => b.join("\n")).join("\n\n") + (blocks.length > 0 ? "\n" : "");
}
