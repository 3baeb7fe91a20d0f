// flakes/templates: `tix flake show templates` lists every template with its description, and the
// container-with-module template (a third-party flake's module and overlay, from a subdirectory)
// evaluates offline, to the same drvPath as real Nix's when nix is installed.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { checkoutRoot, have, runProgram, type Run } from "../test-support.js";

const root = checkoutRoot();
const TIX = path.join(root, "bin", "tix");
const NIX_ENV: NodeJS.ProcessEnv = { NIX_CONFIG: "experimental-features = nix-command flakes\nsubstituters =", NIX_PATH: "" };
const GIT_ENV: NodeJS.ProcessEnv = {
  GIT_AUTHOR_NAME: "tix",
  GIT_AUTHOR_EMAIL: "tix@example.org",
  GIT_COMMITTER_NAME: "tix",
  GIT_COMMITTER_EMAIL: "tix@example.org",
};

function run(cmd: string, args: readonly string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Run {
  return runProgram(cmd, args, { cwd: opts.cwd, env: { ...GIT_ENV, ...opts.env }, timeout: 300_000 });
}

describe("flakes/templates", () => {
  let tmp: string;
  before(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tix-templates-"));
  });
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  test("tix flake show templates lists every template with its description", () => {
    const r = run(TIX, ["flake", "show", "--store", path.join(tmp, "store"), "templates"]);
    assert.equal(r.status, 0, r.stderr);
    for (const line of [
      "├───container-with-module: template: A NixOS container using a third-party flake's NixOS module and overlay",
      "├───simpleContainer: template: A NixOS container running the Apache web server",
      "└───trivial: template: A flake with one package",
    ]) {
      assert.ok(r.stdout.includes(line), `missing '${line}' in:\n${r.stdout}`);
    }
  });

  test("container-with-module: init copies the third-party flake; the system has its service and package", () => {
    const dir = path.join(tmp, "with-module");
    fs.mkdirSync(dir);
    assert.equal(run("git", ["init", "-q"], { cwd: dir }).status, 0);
    const init = run(TIX, ["flake", "init", "-t", "templates#container-with-module"], { cwd: dir });
    assert.equal(init.status, 0, init.stderr);
    assert.ok(fs.existsSync(path.join(dir, "hydra", "flake.nix")));
    assert.equal(run("git", ["add", "."], { cwd: dir }).status, 0);
    const e = run(
      TIX,
      ["eval", "--store", path.join(tmp, "store"), "--json", ".#nixosConfigurations.container.config", "--apply",
        "c: { ports = c.networking.firewall.allowedTCPPorts; services = builtins.attrNames c.system.build.serviceDirs; " +
        "run = c.system.build.serviceDirs.hydra.run.text; pkg = c.services.hydra.package.name; }"],
      { cwd: dir },
    );
    assert.equal(e.status, 0, e.stderr);
    const got = JSON.parse(e.stdout) as { ports: number[]; services: string[]; run: string; pkg: string };
    assert.deepEqual(got.ports, [80, 3000]);
    assert.deepEqual(got.services, ["httpd", "hydra"]);
    assert.match(got.run, /\/bin\/httpd -f -p 3000 -h \/nix\/store\/[0-9a-z]{32}-hydra-1\/share\/hydra/);
    assert.equal(got.pkg, "hydra-1");
  });

  test("container-with-module: real Nix computes the same toplevel drvPath", { skip: have("nix") ? false : "needs nix" }, () => {
    const dir = path.join(tmp, "oracle");
    fs.cpSync(path.join(root, "flakes", "templates", "container-with-module"), dir, { recursive: true });
    // Real Nix does not know tix's registry: point nixpkgs at the embedded base directly.
    const flake = path.join(dir, "flake.nix");
    fs.writeFileSync(flake, fs.readFileSync(flake, "utf8").replace('url = "nixpkgs";', `url = "path:${path.join(root, "flakes", "base")}";`));
    assert.equal(run("git", ["init", "-q"], { cwd: dir }).status, 0);
    assert.equal(run("git", ["add", "."], { cwd: dir }).status, 0);
    const attr = ".#nixosConfigurations.container.config.system.build.toplevel.drvPath";
    const nix = run("nix", ["eval", "--store", path.join(tmp, "nix-store"), "--no-write-lock-file", "--raw", attr], { cwd: dir, env: NIX_ENV });
    assert.equal(nix.status, 0, nix.stderr);
    const tix = run(TIX, ["eval", "--store", path.join(tmp, "store"), "--no-write-lock-file", "--raw", attr], { cwd: dir });
    assert.equal(tix.status, 0, tix.stderr);
    assert.equal(tix.stdout, nix.stdout);
  });
});
