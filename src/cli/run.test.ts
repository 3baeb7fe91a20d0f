// `tix run` and `tix shell` through bin/tix on a flake in a temp git repository, built into a temp
// chroot store (so the programs run in a namespace that sees it at /nix/store).
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { spawnSync } from "node:child_process";
import { canBuild } from "../build/build-fixtures.js";
import { git, ok, repo, sh, tix, world, type World } from "./flake-test-util.js";

const skip = canBuild() ? false : "needs root, bubblewrap and busybox";

const FLAKE = `{
  outputs = { self }: let
    bb = "\${./bb}/busybox";
    mk = attrs: derivation ({ system = "x86_64-linux"; builder = bb; } // attrs);
    script = bin: body: [ "sh" "-c" "mkdir -p $out/bin; printf '#!\${bb} sh\\\\n\${body}\\\\n' > $out/bin/\${bin}; chmod +x $out/bin/\${bin}" ];
    hello = mk { name = "hello-1.0"; args = script "hello" "echo hello \\"$@\\"; exit 3"; };
    greeter = mk { name = "greeter-2.0"; args = script "greet" "echo greetings"; } // { meta.mainProgram = "greet"; };
    tool = mk { name = "tool-suite-0.5"; pname = "tool"; args = script "tool" "echo tool"; };
    bundle = mk { name = "bundle"; args = [ "sh" "-c" "mkdir -p $out/nix-support; echo \${greeter} > $out/nix-support/propagated-user-env-packages" ]; };
  in {
    packages.x86_64-linux = { inherit hello greeter tool bundle; default = hello; };
    apps.x86_64-linux.app = { type = "app"; program = "\${greeter}/bin/greet"; };
    apps.x86_64-linux.badtype = { type = "foo"; program = "x"; };
    apps.x86_64-linux.notstore = { type = "app"; program = "/bin/sh"; };
    packages.x86_64-linux.notapp = { x = 1; };
  };
}
`;

let fixture: { w: World; dir: string } | null = null;

function flake(): { w: World; dir: string } {
  if (fixture !== null) return fixture;
  const w = world();
  const dir = repo(w, "runflake", { "flake.nix": FLAKE });
  fs.mkdirSync(path.join(dir, "bb"));
  fs.copyFileSync("/bin/busybox", path.join(dir, "bb", "busybox"));
  git(w, dir, "add", "bb");
  git(w, dir, "commit", "-qm", "busybox");
  return (fixture = { w, dir });
}

test("tix run: an app's program runs with ARGS after --; the default package runs with its exit status", { skip }, () => {
  const { w, dir } = flake();
  const app = tix(w, dir, ["run", ".#app"]);
  assert.equal(app.status, 0, app.stderr);
  assert.equal(app.stdout, "greetings\n");
  assert.match(app.stderr, /building '\/nix\/store\/[a-z0-9]{32}-greeter-2\.0\.drv'/);
  // Again, answered from the evaluation cache, into another store: the program's string context
  // (kept in the cache) says what to build.
  const other = sh(w, dir, path.resolve("bin/tix"), ["--store", path.join(w.root, "other-store"), "run", ".#app"]);
  assert.equal(other.stdout, "greetings\n", other.stderr);
  assert.match(other.stderr, /building '\/nix\/store\/[a-z0-9]{32}-greeter-2\.0\.drv'/);

  const def = tix(w, dir, ["run", "--", "a", "--b"]);
  assert.equal(def.stdout, "hello a --b\n");
  assert.equal(def.status, 3, "the program's exit status is tix's");
  // Words after the installable are the program's too; flags only after `--` (as in Nix).
  const after = tix(w, w.root, ["run", `git+file://${dir}#hello`, "x", "--", "--y"]);
  assert.equal(after.stdout, "hello x --y\n");
  assert.equal(after.status, 3);
});

test("tix run: a package runs OUT/bin/ meta.mainProgram, else pname, else its name without the version", { skip }, () => {
  const { w, dir } = flake();
  assert.equal(ok(tix(w, dir, ["run", ".#greeter"]), "greeter"), "greetings\n");
  assert.equal(ok(tix(w, dir, ["run", ".#tool"]), "tool"), "tool\n");
  assert.equal(tix(w, dir, ["run", ".#packages.x86_64-linux.hello"]).stdout, "hello\n");
});

test("tix run: errors say which attribute is wrong and how", { skip }, () => {
  const { w, dir } = flake();
  const cases: [string, RegExp][] = [
    [".#badtype", /^error: attribute 'apps\.x86_64-linux\.badtype' should have type 'app'$/m],
    [".#notstore", /^error: app program '\/bin\/sh' is not in the Nix store$/m],
    [".#notapp", /^error: attribute 'packages\.x86_64-linux\.notapp\.type' does not exist$/m],
    [".#nosuch", /does not provide attribute 'apps\.x86_64-linux\.nosuch', 'packages\.x86_64-linux\.nosuch', 'legacyPackages\.x86_64-linux\.nosuch' or 'nosuch'/],
  ];
  for (const [installable, message] of cases) {
    const r = tix(w, dir, ["run", installable]);
    assert.equal(r.status, 1, installable);
    assert.match(r.stderr, message, installable);
  }
  // A store path has no attributes to find a program in (modern Nix's wording).
  const storeDir = path.join(w.tixStore, "nix", "store");
  const some = fs.readdirSync(storeDir).find((n) => !n.startsWith("."))!;
  const byPath = tix(w, dir, ["run", `/nix/store/${some}`]);
  assert.equal(byPath.status, 1);
  assert.match(byPath.stderr, /^error: installable '\/nix\/store\/[^']+' does not correspond to a Nix language value$/m);
  const flag = tix(w, dir, ["run", ".#hello", "--bogus"]);
  assert.match(flag.stderr, /unrecognised flag '--bogus' \(arguments for the program go after '--'\)/);
  assert.match(ok(tix(w, dir, ["run", "--help"]), "help"), /^Usage: tix run/);
  assert.match(ok(tix(w, dir, ["--help"]), "help"), /^ {2}run .*\n {2}shell /m);
});

test("tix shell: -c runs the command with the installables' bin directories first on PATH", { skip }, () => {
  const { w, dir } = flake();
  const r = tix(w, dir, ["shell", ".#greeter", ".#hello", "-c", "sh", "-c", 'greet; hello there; echo "$PATH"; exit 7']);
  assert.equal(r.status, 7, r.stderr);
  const [greet, hello, PATH] = r.stdout.split("\n");
  assert.equal(greet, "greetings");
  assert.equal(hello, "hello there");
  // Modern Nix's order: the outputs as a sorted set of store paths, then the caller's PATH.
  const dirs = PATH!.split(":");
  const added = dirs.slice(0, 2);
  assert.deepEqual(added, [...added].sort());
  assert.deepEqual(added.map((d) => d.replace(/^\/nix\/store\/[a-z0-9]{32}-/, "")).sort(), ["greeter-2.0/bin", "hello-1.0/bin"]);
  assert.equal(dirs.slice(2).join(":"), process.env["PATH"]);
  // Packages a package propagates (nix-support/propagated-user-env-packages) are on PATH too.
  assert.equal(ok(tix(w, dir, ["shell", ".#bundle", "-c", "greet"]), "bundle"), "greetings\n");
  // Without -c: $SHELL.
  assert.equal(tix(w, dir, ["shell", ".#greeter"], { SHELL: "/bin/false" }).status, 1);
  assert.equal(tix(w, dir, ["shell", ".#greeter"], { SHELL: "/bin/true" }).status, 0);
  // Without $SHELL: bash, as Nix does (it reads the commands from standard input here).
  const noShell = spawnSync(path.resolve("bin/tix"), ["--store", w.tixStore, "shell", ".#greeter"], {
    cwd: dir,
    env: { ...process.env, ...w.env, SHELL: "" },
    input: 'echo "${BASH_VERSION:+bash}"; greet\n',
    encoding: "utf8",
  });
  assert.equal(noShell.stdout, "bash\ngreetings\n", noShell.stderr);
});

test("tix shell: a missing command or installable is a clear error", { skip }, () => {
  const { w, dir } = flake();
  const missing = tix(w, dir, ["shell", ".#greeter", "-c", "no-such-command"]);
  assert.equal(missing.status, 1);
  assert.match(missing.stderr, /^error: unable to execute 'no-such-command': No such file or directory$/m);
  const nosuch = tix(w, dir, ["shell", ".#nosuch", "-c", "true"]);
  assert.equal(nosuch.status, 1);
  assert.match(nosuch.stderr, /does not provide attribute 'packages\.x86_64-linux\.nosuch'/);
  const noCommand = tix(w, dir, ["shell", ".#greeter", "-c"]);
  assert.match(noCommand.stderr, /flag '-c' requires a command/);
  assert.match(ok(tix(w, dir, ["shell", "--help"]), "help"), /^Usage: tix shell/);
});

test("tix run -f FILE ATTR / --expr: a package or app of a Nix expression, not a flake", { skip }, () => {
  const { w, dir } = flake();
  fs.writeFileSync(
    path.join(dir, "plain.nix"),
    `let
  bb = "\${./bb}/busybox";
  mk = attrs: derivation ({ system = "x86_64-linux"; builder = bb; } // attrs);
  script = bin: body: [ "sh" "-c" "mkdir -p $out/bin; printf '#!\${bb} sh\\\\n\${body}\\\\n' > $out/bin/\${bin}; chmod +x $out/bin/\${bin}" ];
in {
  echo = mk { name = "echo-2"; args = script "echo" "echo echoed \\"$@\\""; };
  app = { type = "app"; program = "\${mk { name = "a"; args = script "b" "echo app \\"$@\\""; }}/bin/b"; };
}
`,
  );
  assert.equal(ok(tix(w, dir, ["run", "-f", "plain.nix", "echo", "one", "--", "--two"]), "-f"), "echoed one --two\n");
  assert.equal(ok(tix(w, dir, ["run", "-f", "plain.nix", "app", "--", "x"]), "-f app"), "app x\n");
  assert.equal(ok(tix(w, dir, ["run", "--expr", "(import ./plain.nix).echo"]), "--expr"), "echoed\n");
  assert.equal(ok(tix(w, dir, ["shell", "-f", "plain.nix", "echo", "-c", "echo", "z"]), "shell -f"), "echoed z\n");
});
