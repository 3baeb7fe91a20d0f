// base.lib.nixosSystem (flakes/base/nixos): evaluating a simpleContainer-style configuration
// with tix (option values, errors), real Nix as the oracle for the toplevel's drvPath, a build of
// the toplevel in a chroot store (the files of the system contract, nixos-version --json), and
// as root a container booted from it that serves "It works!".
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { checkoutRoot, have, ok, runProgram, type Run } from "../test-support.js";

const root = checkoutRoot();
const EVAL_CONFIG = path.join(root, "flakes", "base", "nixos", "eval-config.nix");
const TIX = path.join(root, "bin", "tix");
const NIX_ENV: NodeJS.ProcessEnv = { NIX_CONFIG: "experimental-features = nix-command\nsubstituters =", NIX_PATH: "" };
/** The chroot store `tix eval` copies paths and writes derivations into (never the host's /nix). */
const EVAL_STORE = fs.mkdtempSync(path.join(os.tmpdir(), "tix-nixos-eval-store-"));
after(() => fs.rmSync(EVAL_STORE, { recursive: true, force: true }));
const IT_WORKS = "<html><body><h1>It works!</h1></body></html>\n";

function run(cmd: string, args: readonly string[], env: NodeJS.ProcessEnv = {}, timeout = 120_000): Run {
  return runProgram(cmd, args, { env, timeout });
}

/** The simpleContainer template's module, with a fixed configuration revision. */
const CONTAINER_MODULE = `({ pkgs, ... }: {
  boot.isContainer = true;
  system.configurationRevision = "9190c396f4dcfc734e554768c53a81d1c231c6a7";
  networking.useDHCP = false;
  networking.firewall.allowedTCPPorts = [ 80 ];
  services.httpd = { enable = true; adminAddr = "morty@example.org"; };
})`;

const REGISTRY_MODULE = `{
  nix.registry.base.flake = {
    outPath = "/nix/store/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-source";
    rev = "0123456789abcdef0123456789abcdef01234567";
    narHash = "sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
    lastModified = 1592812800;
  };
  nix.settings.sandbox = false;
  nix.extraOptions = "keep-outputs = true\\n";
  environment.etc."tix-test.conf" = { text = "one\\n"; mode = "0640"; user = "alice"; group = "wheel"; };
  users.users.alice = { isNormalUser = true; extraGroups = [ "wheel" ]; };
  systemd.services.hello = {
    description = "say hello";
    wantedBy = [ "multi-user.target" ];
    after = [ "httpd.service" ];
    script = "echo hello; exec sleep 1000";
    environment.GREETING = "hi";
    serviceConfig = { Restart = "on-failure"; User = "alice"; };
  };
}`;

/** Overlays and services beyond httpd: what the Proof's drvPath comparison also covers. */
const OVERLAY_SERVICES_MODULE = `({ pkgs, lib, ... }: {
  nixpkgs.overlays = [
    (final: prev: { hello = prev.hello.overrideAttrs { greeting = "Hi from an overlay"; }; })
    (final: prev: { greeter = final.writeShellScriptBin "greeter" "exec \${final.hello}/bin/hello"; })
  ];
  environment.systemPackages = [ pkgs.greeter ];
  users.users.app = { isSystemUser = true; group = "nogroup"; };
  systemd.services.greeter = {
    description = "greets";
    wantedBy = [ "multi-user.target" ];
    after = [ "network.target" ];
    environment = { GREETER = pkgs.greeter; UNSET = null; };
    preStart = "mkdir -p /run/greeter";
    script = "greeter > /run/greeter/said; exec sleep 1000";
    path = [ pkgs.greeter ];
    serviceConfig = { Restart = "always"; User = "app"; };
  };
  systemd.services.once = {
    requiredBy = [ "multi-user.target" ];
    serviceConfig = { Type = "oneshot"; ExecStart = [ "\${pkgs.busybox}/bin/true" "\${pkgs.busybox}/bin/echo done" ]; };
  };
  networking.firewall.allowedUDPPorts = [ 53 5353 53 ];
  system.nixos.tags = [ "web" "blue" ];
})`;

function system(modules: readonly string[]): string {
  return `(import ${EVAL_CONFIG} { system = "x86_64-linux"; modules = [ ${modules.join(" ")} ]; })`;
}

function tixEval(expr: string): Run {
  return run(TIX, ["eval", "--store", EVAL_STORE, "--impure", "--json", "--expr", expr]);
}

describe("evaluation", () => {
  test("option values of the simpleContainer configuration", () => {
    const e = `let c = ${system([CONTAINER_MODULE])}.config; in {
      inherit (c.networking) hostName useDHCP;
      ports = c.networking.firewall.allowedTCPPorts;
      fw = c.networking.firewall.enable;
      inherit (c.boot) isContainer;
      rev = c.system.configurationRevision;
      httpd = c.services.httpd.enable;
      admin = c.services.httpd.adminAddr;
      services = builtins.attrNames c.systemd.services;
      release = c.system.nixos.release;
      codeName = c.system.nixos.codeName;
      stateVersion = c.system.stateVersion;
      name = c.system.build.toplevel.name;
    }`;
    const got = JSON.parse(ok(tixEval(e), "tix eval")) as Record<string, unknown>;
    assert.deepEqual(got, {
      hostName: "nixos",
      useDHCP: false,
      ports: [80],
      fw: true,
      isContainer: true,
      rev: "9190c396f4dcfc734e554768c53a81d1c231c6a7",
      httpd: true,
      admin: "morty@example.org",
      services: ["httpd"],
      release: "20.03",
      codeName: "Markhor",
      stateVersion: "20.03",
      name: "nixos-system-nixos-20.03pre-git",
    });
  });

  test("the flake exports lib.nixosSystem; the version carries the flake's date", () => {
    const base = path.join(root, "flakes", "base");
    const e = `((builtins.getFlake "path:${base}").lib.nixosSystem { system = "x86_64-linux"; modules = [ { networking.hostName = "web"; } ]; }).config.system.build.toplevel.name`;
    const name = JSON.parse(ok(tixEval(e), "tix eval")) as string;
    assert.match(name, /^nixos-system-web-20\.03\.\d{8}\.[0-9a-z]+$/);
  });

  test("the simpleContainer template evaluates (nixpkgs resolves to base)", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tix-nixos-tpl-"));
    try {
      fs.copyFileSync(path.join(root, "flakes", "templates", "simpleContainer", "flake.nix"), path.join(dir, "flake.nix"));
      const r = run(TIX, ["eval", "--store", EVAL_STORE, "--json", `path:${dir}#nixosConfigurations.container.config.system.build.toplevel.drvPath`]);
      assert.equal(r.status, 0, r.stderr);
      assert.match(JSON.parse(r.stdout) as string, /^\/nix\/store\/[0-9a-z]{32}-nixos-system-nixos-20\.03\.\d{8}\.[0-9a-z]+\.drv$/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test("a definition error in a flake's configuration names its flake.nix; modules of another class are refused", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tix-nixos-file-"));
    try {
      fs.writeFileSync(path.join(dir, "flake.nix"), `{
  inputs.nixpkgs.url = "nixpkgs";
  outputs = { self, nixpkgs }: {
    nixosConfigurations.bad = nixpkgs.lib.nixosSystem {
      system = "x86_64-linux";
      modules = [ { boot.isContainer = true; } { networking.hostName = 5; } ];
    };
    nixosConfigurations.darwin = nixpkgs.lib.nixosSystem {
      modules = [ { _class = "darwin"; } ];
    };
  };
}
`);
      const bad = run(TIX, ["eval", "--store", EVAL_STORE, "--json", `path:${dir}#nixosConfigurations.bad.config.networking.hostName`]);
      assert.notEqual(bad.status, 0);
      assert.match(bad.stderr, /A definition for option `networking\.hostName' is not of type `string'\. Definition values:\n\s*- In `\/nix\/store\/[0-9a-z]{32}-source\/flake\.nix': 5/);
      const darwin = run(TIX, ["eval", "--store", EVAL_STORE, "--json", `path:${dir}#nixosConfigurations.darwin.config.networking.hostName`]);
      assert.notEqual(darwin.status, 0);
      assert.match(darwin.stderr, /The module `\/nix\/store\/[0-9a-z]{32}-source\/flake\.nix` \(class: "darwin"\) cannot be imported into a module evaluation that expects class "nixos"/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test("registry.json pins the flake's locked attributes (Nix's v2 format); nix.conf", () => {
    const e = `let c = ${system([REGISTRY_MODULE])}.config; in {
      registry = builtins.fromJSON c.environment.etc."nix/registry.json".text;
      conf = c.environment.etc."nix/nix.conf".text;
    }`;
    const got = JSON.parse(ok(tixEval(e), "tix eval")) as { registry: unknown; conf: string };
    assert.deepEqual(got.registry, {
      version: 2,
      flakes: [
        {
          exact: true,
          from: { id: "base", type: "indirect" },
          to: {
            type: "path",
            path: "/nix/store/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-source",
            rev: "0123456789abcdef0123456789abcdef01234567",
            narHash: "sha256-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",
            lastModified: 1592812800,
          },
        },
      ],
    });
    assert.equal(got.conf, "sandbox = false\nkeep-outputs = true\n");
  });

  test("nix.conf: settings by name with extra- ones last, lists space-joined, bools spelled out, then extraOptions", () => {
    const m = `{ nix.settings = { extra-substituters = [ "https://a" "https://b" ]; sandbox = true; cores = 2; auto-optimise-store = false; }; nix.extraOptions = "min-free = 1\\n"; }`;
    const conf = JSON.parse(ok(tixEval(`${system([m])}.config.environment.etc."nix/nix.conf".text`), "tix eval")) as string;
    assert.equal(conf, "auto-optimise-store = false\ncores = 2\nsandbox = true\nextra-substituters = https://a https://b\nmin-free = 1\n");
  });

  test("/etc/profile: environment.variables, shellAliases and shellInit after the PATH", () => {
    const m = `{ environment.variables = { EDITOR = "vi"; XDG_DATA_DIRS = [ "/a" "/b c" ]; N = 1; }; environment.shellAliases = { ll = "ls -l"; gone = null; }; environment.shellInit = "umask 022\\n"; }`;
    const profile = JSON.parse(ok(tixEval(`${system([m])}.config.environment.etc.profile.text`), "tix eval")) as string;
    assert.equal(
      profile,
      "export PATH=/run/current-system/sw/bin:/run/current-system/sw/sbin\nexport EDITOR=vi\nexport N=1\nexport XDG_DATA_DIRS='/a:/b c'\nalias ll='ls -l'\numask 022\n",
    );
  });

  test("an unknown option is an error", () => {
    const r = tixEval(`${system(["{ foo.bar = 1; }"])}.config.system.build.toplevel.drvPath`);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /The option `foo' does not exist/);
  });

  test("a type mismatch is an error", () => {
    const r = tixEval(`${system(["{ networking.hostName = 5; }"])}.config.networking.hostName`);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /A definition for option `networking\.hostName' is not of type `string'/);
  });

  test("a failed assertion stops the toplevel", () => {
    const r = tixEval(`${system([`{ assertions = [ { assertion = false; message = "boom"; } { assertion = true; message = "fine"; } ]; }`])}.config.system.build.toplevel.drvPath`);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /Failed assertions:\n\s*- boom\n/);
    assert.doesNotMatch(r.stderr, /fine/);
  });

  test("warnings are traced", () => {
    const r = tixEval(`${system([`{ warnings = [ "careful" ]; }`])}.config.system.build.toplevel.name`);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /warning: careful/);
  });

  test("mkRenamedOptionModule warns at the toplevel and forwards; mkRemovedOptionModule fails an assertion", () => {
    const lib = path.join(root, "flakes", "base", "lib");
    const renamed = tixEval(`${system([`((import ${lib}).mkRenamedOptionModule [ "networking" "name" ] [ "networking" "hostName" ])`, `{ networking.name = "old"; }`])}.config.system.build.toplevel.name`);
    assert.equal(renamed.status, 0, renamed.stderr);
    assert.equal(JSON.parse(renamed.stdout), "nixos-system-old-20.03pre-git");
    assert.match(renamed.stderr, /warning: The option `networking\.name' defined in `[^']*' has been renamed to `networking\.hostName'\./);
    const removed = tixEval(`${system([`((import ${lib}).mkRemovedOptionModule [ "services" "old" ] "Use services.httpd instead.")`, `{ services.old = 1; }`])}.config.system.build.toplevel.name`);
    assert.notEqual(removed.status, 0);
    assert.match(removed.stderr, /Failed assertions:\n {7}- The option definition `services\.old' in `[^']*' no longer has any effect; please remove it\.\n {7}Use services\.httpd instead\./);
  });

  test("overlays reach pkgs", () => {
    const m = `({ pkgs, ... }: { nixpkgs.overlays = [ (final: prev: { marker = "overlaid"; }) ]; environment.etc.marker.text = pkgs.marker; })`;
    const got = JSON.parse(ok(tixEval(`${system([m])}.config.environment.etc.marker.text`), "tix eval")) as string;
    assert.equal(got, "overlaid");
  });

  test("nixpkgs.hostPlatform sets the system; system.name and tags make the toplevel's name", () => {
    const e = `let c = ${system([`{ nixpkgs.hostPlatform = "x86_64-linux"; networking.hostName = ""; system.nixos.tags = [ "zz" "aa" ]; }`])}.config; in {
      system = c.nixpkgs.system;
      hostPlatform = c.nixpkgs.hostPlatform;
      name = c.system.build.toplevel.name;
      label = c.system.nixos.label;
      version = c.system.nixos.version;
    }`;
    assert.deepEqual(JSON.parse(ok(tixEval(e), "tix eval")), {
      system: "x86_64-linux",
      hostPlatform: { system: "x86_64-linux" },
      name: "nixos-system-unnamed-aa-zz-20.03pre-git",
      label: "aa-zz-20.03pre-git",
      version: "20.03pre-git",
    });
    const named = `${system([`{ system.name = "box"; system.nixos.label = "custom"; }`])}.config.system.build.toplevel.name`;
    assert.equal(JSON.parse(ok(tixEval(named), "tix eval")), "nixos-system-box-custom");
  });

  test("a label with characters a store path cannot have is a type error", () => {
    const r = tixEval(`${system([`{ system.nixos.label = "a b"; }`])}.config.system.build.toplevel.name`);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /A definition for option `system\.nixos\.label' is not of type `string matching the pattern \[a-zA-Z0-9:_\\\.-\]\*'/);
  });

  test("systemd.services: script under set -e, preStart, environment with packages and null, ExecStart lists, requiredBy", () => {
    const e = `let s = ${system([OVERLAY_SERVICES_MODULE])}; c = s.config; in {
      dirs = c.system.build.serviceDirs;
      greeter = "\${s.pkgs.greeter}";
      busybox = "\${s.pkgs.busybox}";
      udp = c.system.build.firewallDir.allowed-udp-ports;
      accepted = c.systemd.services.greeter.before;
    }`;
    const got = JSON.parse(ok(tixEval(e), "tix eval")) as {
      dirs: Record<string, Record<string, { text: string; mode: string }>>;
      greeter: string;
      busybox: string;
      udp: string;
      accepted: string[];
    };
    const bb = got.busybox;
    assert.deepEqual(Object.keys(got.dirs).sort(), ["greeter", "once"]);
    const g = got.dirs["greeter"]!;
    assert.equal(
      g["run"]!.text,
      `#!${bb}/bin/sh\nexport PATH=${got.greeter}/bin:$PATH\n(\nset -e\nmkdir -p /run/greeter\n) || exit $?\nset -e\ngreeter > /run/greeter/said; exec sleep 1000\n`,
    );
    assert.equal(g["run"]!.mode, "0555");
    assert.equal(g["environment"]!.text, `GREETER=${got.greeter}\n`);
    assert.equal(g["after"]!.text, "network.target\n");
    assert.equal(g["user"]!.text, "app\n");
    assert.equal(g["restart"]!.text, "always\n");
    const once = got.dirs["once"]!;
    assert.equal(once["run"]!.text, `#!${bb}/bin/sh\n\nset -e\n${bb}/bin/true\nexec ${bb}/bin/echo done\n`);
    assert.equal(once["type"]!.text, "oneshot\n");
    assert.equal(got.udp, "53 5353");
    assert.deepEqual(got.accepted, []);
  });

  test("services.httpd.virtualHosts: one document root and port for busybox httpd; conflicting ones fail an assertion", () => {
    const httpd = `{ services.httpd = { enable = true; adminAddr = "a@example.org"; }; }`;
    const execStart = (m: string) => `${system([httpd, m])}.config.systemd.services.httpd.serviceConfig.ExecStart`;
    const lines = JSON.parse(ok(tixEval(`map (s: builtins.substring (builtins.stringLength "\${(${system(["{ }"])}).pkgs.httpd}/bin/httpd") 1000 s) [
      (${execStart(`{ services.httpd.virtualHosts.site = { documentRoot = "/srv/www"; listen = [ { port = 8080; } ]; }; }`)})
      (${execStart(`{ services.httpd.virtualHosts = { a.documentRoot = "/srv/same"; b = { documentRoot = "/srv/same"; serverAliases = [ "www.b" ]; }; }; }`)})
      (${execStart("{ }")})
    ]`), "tix eval")) as string[];
    assert.deepEqual(lines, [" -f -p 8080 -h /srv/www", " -f -p 80 -h /srv/same", " -f -p 80"]);
    const r = tixEval(`${system([httpd, `{ services.httpd.virtualHosts = { a.documentRoot = "/srv/a"; b.documentRoot = "/srv/b"; }; }`])}.config.system.build.toplevel.drvPath`);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /- services\.httpd: the virtual hosts `a', `b' have different document roots, but busybox httpd serves one/);
  });

  test("nixpkgs.config: sets and functions merge (lists concatenate, packageOverrides compose and reach pkgs)", () => {
    const e = `let s = import ${EVAL_CONFIG} { modules = [
      { nixpkgs.config = { allowUnfree = true; list = [ 1 ]; nested.a = 1; packageOverrides = p: { one = "1"; }; }; }
      { nixpkgs.config = { pkgs, ... }: { list = [ 2 ]; nested.b = 2; packageOverrides = p: { two = p.hello.name; }; }; }
    ]; }; in {
      config = removeAttrs s.config.nixpkgs.config [ "packageOverrides" ];
      overrides = [ s.pkgs.one s.pkgs.two ];
      beforeOverlays = (import ${path.join(root, "flakes", "base")} {
        config.packageOverrides = p: { hello = p.hello.overrideAttrs { greeting = "po"; }; };
        overlays = [ (final: prev: { seen = prev.hello.greeting; }) ];
      }).seen;
    }`;
    assert.deepEqual(JSON.parse(ok(tixEval(e), "tix eval")), {
      config: { allowUnfree: true, list: [2, 1], nested: { a: 1, b: 2 } },
      overrides: ["1", "hello-1.0"],
      beforeOverlays: "po",
    });
  });

  test("an overlay that is not a function is a type error naming the option", () => {
    const r = tixEval(`${system([`{ nixpkgs.overlays = [ { hello = 1; } ]; }`])}.config.nixpkgs.overlays`);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /A definition for option `nixpkgs\.overlays\."\[definition 1-entry 1\]"' is not of type `nixpkgs overlay'/);
  });

  test("nixpkgs.pkgs and eval-config's pkgs argument: the set given, plus nixpkgs.overlays", () => {
    const base = path.join(root, "flakes", "base");
    const e = `let
      given = import ${base} { overlays = [ (final: prev: { marker = "given"; }) ]; };
      viaArg = import ${EVAL_CONFIG} { pkgs = given; modules = [ { nixpkgs.overlays = [ (final: prev: { more = prev.marker + "+overlay"; }) ]; } ]; };
      viaOption = import ${EVAL_CONFIG} { modules = [ { nixpkgs.pkgs = given; } ]; };
      readOnly = import ${EVAL_CONFIG} { modules = [ ${base}/nixos/modules/read-only-pkgs.nix { nixpkgs.pkgs = given; } ]; };
      flake = builtins.getFlake "path:${base}";
    in {
      viaArg = viaArg.pkgs.more;
      viaOption = viaOption.pkgs.marker;
      readOnly = [ readOnly.pkgs.marker readOnly.config.nixpkgs.system ];
      extended = (viaArg.extendModules { modules = [ { networking.hostName = "ext"; } ]; }).pkgs.more;
      modules = builtins.attrNames flake.nixosModules;
      notDetected = (flake.lib.nixosSystem { modules = [ flake.nixosModules.notDetected ({ modulesPath, ... }: { imports = [ (modulesPath + "/installer/scan/not-detected.nix") ]; }) ]; }).config.networking.hostName;
    }`;
    assert.deepEqual(JSON.parse(ok(tixEval(e), "tix eval")), {
      viaArg: "given+overlay",
      viaOption: "given",
      readOnly: ["given", "x86_64-linux"],
      extended: "given+overlay",
      modules: ["notDetected", "readOnlyPkgs"],
      notDetected: "nixos",
    });
    const r = tixEval(`(import ${EVAL_CONFIG} { modules = [ ${base}/nixos/modules/read-only-pkgs.nix { nixpkgs.pkgs = import ${base} { }; nixpkgs.overlays = [ ]; } ]; }).config.nixpkgs`);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /The option `nixpkgs\.overlays' does not exist/);
  });

  test("the simpleContainer flake (nixpkgs = base by path): nix eval 2.8 gives the same toplevel drvPath from tix's lock", { skip: have("nix") ? false : "no nix" }, () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tix-nixos-proof-"));
    const store = fs.mkdtempSync(path.join(os.tmpdir(), "tix-nixos-proof-store-"));
    try {
      const template = fs.readFileSync(path.join(root, "flakes", "templates", "simpleContainer", "flake.nix"), "utf8");
      assert.match(template, /inputs\.nixpkgs\.url = "nixpkgs";/);
      const flake = template.replace('inputs.nixpkgs.url = "nixpkgs";', `inputs.nixpkgs.url = "path:${path.join(root, "flakes", "base")}";`);
      fs.writeFileSync(path.join(dir, "flake.nix"), flake);
      const attr = `path:${dir}#nixosConfigurations.container.config.system.build.toplevel.drvPath`;
      const tix = ok(run(TIX, ["eval", "--store", EVAL_STORE, "--raw", attr]), "tix eval");
      assert.ok(fs.existsSync(path.join(dir, "flake.lock")), "tix wrote the lock file");
      const nixEnv = { ...NIX_ENV, NIX_CONFIG: "experimental-features = nix-command flakes\nsubstituters =" };
      const nix = ok(run("nix", ["eval", "--store", store, "--raw", "--no-update-lock-file", attr], nixEnv, 300_000), "nix eval");
      assert.match(tix, /^\/nix\/store\/[0-9a-z]{32}-nixos-system-nixos-20\.03\.\d{8}\.dirty\.drv$/);
      assert.equal(tix, nix);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      fs.rmSync(store, { recursive: true, force: true });
    }
  });

  test("drvPaths equal real Nix's", { skip: have("nix-instantiate") ? false : "no nix-instantiate" }, () => {
    const e = `map (s: s.config.system.build.toplevel.drvPath) [ ${system([CONTAINER_MODULE])} ${system([CONTAINER_MODULE, REGISTRY_MODULE])} ${system([CONTAINER_MODULE, OVERLAY_SERVICES_MODULE])} ]`;
    const d = fs.mkdtempSync(path.join(os.tmpdir(), "tix-nixos-nix-"));
    try {
      const nix = JSON.parse(ok(run("nix-instantiate", ["--store", d, "--eval", "--strict", "--json", "-E", e], NIX_ENV), "nix-instantiate")) as string[];
      const tix = JSON.parse(ok(tixEval(e), "tix eval")) as string[];
      assert.equal(tix.length, 3);
      assert.deepEqual(tix, nix);
    } finally {
      fs.rmSync(d, { recursive: true, force: true });
    }
  });
});

function buildSkip(): string | false {
  if (process.getuid?.() !== 0) return "needs root (chroot stores)";
  if (!have("bwrap")) return "needs bubblewrap";
  if (!fs.existsSync("/nix/store")) return "needs /nix/store to bind the chroot store over";
  return false;
}

describe("the built toplevel", { skip: buildSkip() }, () => {
  let store: string;
  let top: string;
  /** A path of the chroot store, on the host. */
  const host = (p: string) => path.join(store, p);
  /** Runs argv with the chroot store at /nix/store. */
  const inStore = (argv: string[]) => run("bwrap", ["--dev-bind", "/", "/", "--bind", path.join(store, "nix/store"), "/nix/store", "--", ...argv]);

  before(() => {
    store = fs.mkdtempSync(path.join(os.tmpdir(), "tix-nixos-store-"));
    const e = `${system([CONTAINER_MODULE, REGISTRY_MODULE])}.config.system.build.toplevel`;
    top = ok(run(TIX, ["build", "--store", store, "--impure", "--expr", e, "--no-link", "--print-out-paths"], {}, 600_000), "tix build").trim();
  });

  after(() => {
    if (store) fs.rmSync(store, { recursive: true, force: true });
  });

  test("the system contract's entries", () => {
    assert.match(top, /^\/nix\/store\/[0-9a-z]{32}-nixos-system-nixos-20\.03pre-git$/);
    for (const f of ["init", "activate", "bin/switch-to-configuration", "bin/tix-service"]) {
      const st = fs.statSync(host(top + "/" + f));
      assert.ok((st.mode & 0o111) !== 0, `${f} is executable`);
      const text = fs.readFileSync(host(top + "/" + f), "utf8");
      assert.doesNotMatch(text, /@busybox@/, f);
      assert.match(text, /^#!\/nix\/store\/[0-9a-z]{32}-busybox-[^/]*\/bin\/sh\n/, f);
    }
    assert.equal(fs.readFileSync(host(top + "/nixos-version"), "utf8"), "20.03pre-git");
    assert.equal(fs.readFileSync(host(top + "/configuration-name"), "utf8"), "20.03pre-git");
    assert.equal(fs.readFileSync(host(top + "/system"), "utf8"), "x86_64-linux");
    assert.equal(fs.readFileSync(host(top + "/init-interface-version"), "utf8"), "tix-init 1");
    assert.deepEqual(JSON.parse(fs.readFileSync(host(top + "/version-info.json"), "utf8")), {
      nixosVersion: "20.03pre-git",
      nixosCodeName: "Markhor",
      nixpkgsRevision: null,
      configurationRevision: "9190c396f4dcfc734e554768c53a81d1c231c6a7",
    });
    assert.equal(fs.readFileSync(host(top + "/firewall/allowed-tcp-ports"), "utf8"), "80\n");
    assert.equal(fs.readFileSync(host(top + "/firewall/enable"), "utf8"), "1\n");
  });

  test("etc/: hostname, os-release, registry.json, nix.conf, a copied file with its mode", () => {
    const etc = fs.readlinkSync(host(top + "/etc"));
    const read = (f: string) => fs.readFileSync(host(fs.readlinkSync(host(etc + "/" + f))), "utf8");
    assert.equal(read("hostname"), "nixos\n");
    assert.match(read("os-release"), /^ID=nixos$/m);
    assert.match(read("profile"), /\/run\/current-system\/sw\/bin/);
    assert.equal((JSON.parse(read("nix/registry.json")) as { version: number }).version, 2);
    assert.equal(read("nix/nix.conf"), "sandbox = false\nkeep-outputs = true\n");
    assert.equal(read("tix-test.conf"), "one\n");
    assert.equal(fs.readFileSync(host(etc + "/tix-test.conf.mode"), "utf8"), "0640\n");
    // Owners of copied files are set by an activation snippet, after /etc and the users.
    assert.match(fs.readFileSync(host(top + "/activation.d/50-etc-owners"), "utf8"), /\nchown alice:wheel \/etc\/tix-test\.conf\n/);
  });

  test("users/ and services/", () => {
    const passwd = fs.readFileSync(host(top + "/users/passwd"), "utf8");
    assert.match(passwd, /^root:x:0:0:System administrator:\/root:\/run\/current-system\/sw\/bin\/sh$/m);
    assert.match(passwd, /^alice:x:1000:100::\/home\/alice:\/run\/current-system\/sw\/bin\/sh$/m);
    assert.match(fs.readFileSync(host(top + "/users/group"), "utf8"), /^wheel:x:1:alice$/m);
    const svc = (n: string, f: string) => fs.readFileSync(host(`${top}/services/${n}/${f}`), "utf8");
    assert.match(svc("httpd", "run"), /\nexec \/nix\/store\/[0-9a-z]{32}-httpd-[^ ]*\/bin\/httpd -f -p 80\n/);
    assert.equal(svc("httpd", "restart"), "always\n");
    assert.match(svc("httpd", "check"), /wget -q -O \/dev\/null http:\/\/127\.0\.0\.1:80\//);
    assert.match(svc("hello", "run"), /echo hello; exec sleep 1000/);
    assert.equal(svc("hello", "after"), "httpd\n");
    assert.equal(svc("hello", "user"), "alice\n");
    assert.equal(svc("hello", "restart"), "on-failure\n");
    assert.equal(svc("hello", "environment"), "GREETING=hi\n");
  });

  test("sw/bin: busybox applets, httpd and nixos-version (spec §5)", () => {
    for (const p of ["sh", "cat", "wget", "su", "httpd", "nixos-version"]) assert.ok(fs.existsSync(host(top + "/sw/bin/" + p)) || fs.lstatSync(host(top + "/sw")).isSymbolicLink(), p);
    const nv = (...args: string[]) => inStore([`${top}/sw/bin/nixos-version`, ...args]);
    assert.equal(ok(nv(), "nixos-version"), "20.03pre-git (Markhor)\n");
    assert.equal(ok(nv("--json"), "nixos-version --json"), '{"configurationRevision":"9190c396f4dcfc734e554768c53a81d1c231c6a7","nixosVersion":"20.03pre-git"}\n');
    assert.equal(ok(nv("--configuration-revision"), "nixos-version"), "9190c396f4dcfc734e554768c53a81d1c231c6a7\n");
    const hash = nv("--hash");
    assert.deepEqual([hash.status, hash.stderr], [1, "nixos-version: Nixpkgs commit hash is unknown\n"]);
  });
});

describe("a toplevel with overlays and services, built", { skip: buildSkip() }, () => {
  test("the overlaid package is on sw/bin; the services and UDP ports are in the toplevel; nixos-version knows the revision", () => {
    const store = fs.mkdtempSync(path.join(os.tmpdir(), "tix-nixos-ov-store-"));
    try {
      const rev = `{ system.nixos.revision = "13c15f26d44cf7f54197891a6f0c78ce8149b037"; }`;
      const e = `${system([CONTAINER_MODULE, OVERLAY_SERVICES_MODULE, rev])}.config.system.build.toplevel`;
      const top = ok(run(TIX, ["build", "--store", store, "--impure", "--expr", e, "--no-link", "--print-out-paths"], {}, 600_000), "tix build").trim();
      assert.match(top, /-nixos-system-nixos-blue-web-20\.03pre-git$/);
      const inStore = (argv: string[]) => run("bwrap", ["--dev-bind", "/", "/", "--bind", path.join(store, "nix/store"), "/nix/store", "--", ...argv]);
      assert.equal(ok(inStore([`${top}/sw/bin/greeter`]), "greeter"), "Hi from an overlay\n");
      // With a nixpkgs revision, nixos-version --json has all three keys, sorted, as NixOS prints them.
      assert.equal(
        ok(inStore([`${top}/sw/bin/nixos-version`, "--json"]), "nixos-version --json"),
        '{"configurationRevision":"9190c396f4dcfc734e554768c53a81d1c231c6a7","nixosVersion":"20.03pre-git","nixpkgsRevision":"13c15f26d44cf7f54197891a6f0c78ce8149b037"}\n',
      );
      assert.equal(ok(inStore([`${top}/sw/bin/nixos-version`, "--hash"]), "nixos-version --hash"), "13c15f26d44cf7f54197891a6f0c78ce8149b037\n");
      const host = (p: string) => path.join(store, p);
      assert.deepEqual(fs.readdirSync(host(`${top}/services`)).sort(), ["greeter", "httpd", "once"]);
      assert.equal(fs.readFileSync(host(`${top}/firewall/allowed-udp-ports`), "utf8"), "53 5353\n");
      assert.match(fs.readFileSync(host(`${top}/users/passwd`), "utf8"), /^app:x:999:65534::\/var\/empty:\/run\/current-system\/sw\/bin\/nologin$/m);
    } finally {
      fs.rmSync(store, { recursive: true, force: true });
    }
  });
});

function containerSkip(): string | false {
  const b = buildSkip();
  if (b !== false) return b;
  for (const p of ["nsenter", "ip", "curl"]) if (!have("sh", ["-c", `command -v ${p}`])) return `needs ${p}`;
  return false;
}

describe("a container booted from the toplevel", { skip: containerSkip() }, () => {
  const name = `nx${process.pid % 100000}`;
  const netns = `tixnixos-${process.pid}`;
  let store: string;
  let state: string;
  let top: string;
  const env = () => ({ TIX_STATE_ROOT: state, TIX_CONTAINER_START_TIMEOUT: "40" });
  const inNetns = (argv: string[], e: NodeJS.ProcessEnv = {}) => run("nsenter", [`--net=/run/netns/${netns}`, ...argv], e, 90_000);
  const tix = (...args: string[]) => inNetns([TIX, "container", "--store", store, ...args], env());

  before(() => {
    store = fs.mkdtempSync(path.join(os.tmpdir(), "tix-nixos-ct-store-"));
    state = fs.mkdtempSync(path.join(os.tmpdir(), "tix-nixos-ct-"));
    const e = `${system([CONTAINER_MODULE])}.config.system.build.toplevel`;
    top = ok(run(TIX, ["build", "--store", store, "--impure", "--expr", e, "--no-link", "--print-out-paths"], {}, 600_000), "tix build").trim();
    assert.equal(run("ip", ["netns", "add", netns]).status, 0);
    assert.equal(inNetns(["ip", "link", "set", "lo", "up"]).status, 0);
  });

  after(() => {
    tix("destroy", name);
    run("ip", ["netns", "del", netns]);
    for (const d of [store, state]) if (d) fs.rmSync(d, { recursive: true, force: true });
  });

  test("create, start, It works!, nixos-version inside", () => {
    const c = tix("create", name, "--system-path", top);
    assert.equal(c.status, 0, c.stderr);
    const s = tix("start", name);
    assert.equal(s.status, 0, s.stderr);
    const page = inNetns(["curl", "-sS", "-m", "10", "http://10.233.1.2/"]);
    assert.equal(page.stdout, IT_WORKS, page.stderr);
    const v = tix("run", name, "--", "nixos-version", "--json");
    assert.equal(v.stdout, '{"configurationRevision":"9190c396f4dcfc734e554768c53a81d1c231c6a7","nixosVersion":"20.03pre-git"}\n');
    assert.equal(tix("run", name, "--", "cat", "/etc/hostname").stdout, "nixos\n");
  });
});
