// The package set of the embedded `base` flake (flakes/base/pkgs): evaluation (overlays,
// overrides, the bootstrap pin, the flake outputs), builds with tix in one shared chroot store
// (hello, busybox, the trivial builders, every stdenv phase, httpd and the curl shim, a pin
// mismatch), and real Nix as the oracle: same drvPaths, and when nix-build can build in a chroot
// store, the same output NAR hashes.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { checkoutRoot, have, ok, runProgram, type Run } from "../test-support.js";
import { divertedStoreArgs } from "../../src/build/sandbox.js";

const root = checkoutRoot();
const BASE = path.join(root, "flakes", "base");
const TIX = path.join(root, "bin", "tix");
const NIX_ENV: NodeJS.ProcessEnv = { NIX_CONFIG: "experimental-features = nix-command\nsubstituters =", NIX_PATH: "" };

function run(cmd: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): Run {
  return runProgram(cmd, args, { env });
}

// --- the bootstrap pin -------------------------------------------------------------------------

interface Pin {
  url: string;
  sha256?: string;
  hash?: string;
}

const pin = (JSON.parse(fs.readFileSync(path.join(BASE, "bootstrap.json"), "utf8")) as { busybox: Pin }).busybox;

/** sha256 of the NAR of one executable regular file. */
function narHashOfExecutable(file: string): Buffer {
  const parts: Buffer[] = [];
  const str = (s: string | Buffer): void => {
    const b = typeof s === "string" ? Buffer.from(s) : s;
    const len = Buffer.alloc(8);
    len.writeBigUInt64LE(BigInt(b.length));
    parts.push(len, b, Buffer.alloc((8 - (b.length % 8)) % 8));
  };
  for (const s of ["nix-archive-1", "(", "type", "regular", "executable", "", "contents"]) str(s);
  str(fs.readFileSync(file));
  str(")");
  return crypto.createHash("sha256").update(Buffer.concat(parts)).digest();
}

/** Why the host's busybox cannot be the pinned one, or null when it is (or cannot be told). */
function pinProblem(): string | null {
  if (!pin.url.startsWith("file://")) return null;
  const file = fileURLToPath(pin.url);
  if (!fs.existsSync(file)) return `no ${file} (the bootstrap pin's url)`;
  const h = narHashOfExecutable(file);
  const want = pin.hash ?? pin.sha256 ?? "";
  if (/^[0-9a-f]{64}$/.test(want) && want !== h.toString("hex")) return `${file} is not the busybox pinned in flakes/base/bootstrap.json`;
  if (want.startsWith("sha256-") && want !== `sha256-${h.toString("base64")}`) return `${file} is not the busybox pinned in flakes/base/bootstrap.json`;
  return null;
}

function buildSkip(): string | false {
  if (process.getuid?.() !== 0) return "needs root (chroot stores)";
  if (!have("bwrap")) return "needs bubblewrap";
  if (!fs.existsSync("/bin/busybox")) return "needs the host's static busybox at /bin/busybox";
  return pinProblem() ?? false;
}

const skipBuilds = buildSkip();

// --- one store and one expression file for all the builds -------------------------------------

const work = fs.mkdtempSync(path.join(os.tmpdir(), "tix-base-pkgs-"));
const store = path.join(work, "store");
const buildTmp = path.join(work, "tmp");
/** Where `tix eval` copies paths and writes derivations (never the host's /nix). */
const evalStore = path.join(work, "eval-store");
fs.mkdirSync(buildTmp);
after(() => fs.rmSync(work, { recursive: true, force: true }));

const EXPR = `let
  base = import ${BASE};
  pkgs = base { };
  inherit (pkgs) lib;

  tarball = pkgs.runCommand "proj-1.0.tar.gz" { } ''
    mkdir proj-1.0
    printf '#!/bin/sh\\necho "@msg@"\\n' > proj-1.0/prog.in
    echo original > proj-1.0/data.txt
    tar czf "$out" proj-1.0
  '';
  patch = pkgs.writeText "data.patch" ''
    --- a/data.txt
    +++ b/data.txt
    @@ -1 +1 @@
    -original
    +patched
  '';
  phaseNames = [ "Unpack" "Patch" "Configure" "Build" "Check" "Install" "Fixup" "InstallCheck" "Dist" ];
  hooks = lib.listToAttrs (lib.concatMap (p: [
    { name = "pre\${p}"; value = "echo pre\${p} >> $NIX_BUILD_TOP/phases.log"; }
    { name = "post\${p}"; value = "echo post\${p} >> $NIX_BUILD_TOP/phases.log"; }
  ]) phaseNames);
in rec {
  inherit (pkgs) hello busybox httpd curl bash coreutils;

  phased = pkgs.stdenv.mkDerivation (hooks // {
    pname = "phased";
    version = "0.1";
    src = tarball;
    patches = [ patch ];
    outputs = [ "out" "doc" ];
    nativeBuildInputs = [ pkgs.hello ];
    msg = "compiled";
    buildPhase = ''
      runHook preBuild
      substitute prog.in prog --subst-var msg
      chmod +x prog
      hello > greeting
      runHook postBuild
    '';
    doCheck = true;
    checkPhase = ''
      runHook preCheck
      [ "$(sh ./prog)" = "$msg" ]
      runHook postCheck
    '';
    installPhase = ''
      runHook preInstall
      install -Dm755 prog $out/bin/prog
      install -Dm644 -t $doc/share/doc data.txt greeting
      runHook postInstall
    '';
    doInstallCheck = true;
    doDist = true;
    postDist = "echo postDist >> $NIX_BUILD_TOP/phases.log; cp $NIX_BUILD_TOP/phases.log $out/phases.log";
  });
  phasedOverridden = phased.overrideAttrs (final: prev: { version = "0.2"; msg = "v\${final.version}"; });

  text = pkgs.writeText "greeting.txt" "hi there\\n";
  textDir = pkgs.writeTextDir "share/doc/readme" "read me\\n";
  script = pkgs.writeScript "plain-script" "#!/bin/sh\\necho plain\\n";
  shellScript = pkgs.writeShellScript "shell-script" "echo from a shell script";
  shellScriptBin = pkgs.writeShellScriptBin "say" "echo said \\"$@\\"";
  application = pkgs.writeShellApplication { name = "app"; runtimeInputs = [ pkgs.hello ]; text = "hello"; };
  command = pkgs.runCommand "command" { foo = "bar"; } "echo $foo > $out";
  commandLocal = pkgs.runCommandLocal "command-local" { } "mkdir -p $out/a; echo x > $out/a/x";
  joined = pkgs.symlinkJoin { name = "joined"; paths = [ hello shellScriptBin commandLocal ]; postBuild = "echo post > $out/post"; };
  env = pkgs.buildEnv { name = "env"; paths = [ hello shellScriptBin pkgs.gnugrep ]; pathsToLink = [ "/bin" ]; };
  farm = pkgs.linkFarm "farm" { "a/hello" = hello; b = text; };
  wrapped = pkgs.runCommand "wrapped" { nativeBuildInputs = [ pkgs.makeWrapper ]; } ''
    mkdir -p $out/bin
    cp \${pkgs.writeShellScript "show" ''echo "$GREETING|$PATH|$*"''} $out/bin/show
    chmod +w $out/bin/show
    wrapProgram $out/bin/show --set GREETING "it's" --set PATH /bin0 --prefix PATH : /x --suffix PATH : "/y z" --add-flags "-a b" --append-flags z
    makeWrapper $out/bin/show $out/bin/show2 --unset GREETING --run 'echo running'
  '';

  overlaid = (base { overlays = [ (final: prev: { hello = prev.hello.overrideAttrs { greeting = "Hi from an overlay"; }; }) ]; }).hello;
  extended = (pkgs.extend (final: prev: { hello = prev.hello.overrideAttrs (old: { greeting = old.greeting + " (extended)"; }); })).hello;

  mismatch = (base { config.bootstrapBusybox.sha256 = "0000000000000000000000000000000000000000000000000000000000000000"; }).busybox;
}
`;
const exprFile = path.join(work, "pkgs.nix");
fs.writeFileSync(exprFile, EXPR);

const built = new Map<string, string>();

/** Builds attributes of EXPR (once); returns the (logical) path of each one's first output. */
function build(...attrs: string[]): string[] {
  const missing = attrs.filter((a) => !built.has(a));
  if (missing.length > 0) {
    const r = run(TIX, ["build", "--store", store, "-f", exprFile, ...missing, "--no-link", "--json"], { TMPDIR: buildTmp });
    const json = JSON.parse(ok(r, `tix build ${missing.join(" ")}`)) as { outputs: Record<string, string> }[];
    missing.forEach((a, i) => built.set(a, Object.values(json[i]!.outputs)[0]!));
  }
  return attrs.map((a) => built.get(a)!);
}

/** Everything the build tests use, built at once (in parallel); a failure is left to the test concerned. */
const ALL = [
  "hello", "busybox", "httpd", "curl", "bash", "text", "textDir", "script", "shellScript", "shellScriptBin", "application",
  "command", "commandLocal", "joined", "env", "farm", "wrapped", "phased", "phased.doc", "phasedOverridden", "overlaid", "extended",
];

/** Where a store path of the test store is on disk. */
const phys = (p: string): string => path.join(store, p);

/** Runs a command with the test store mounted on /nix/store. */
function inStore(argv: string[], extra: string[] = []): Run {
  return run("bwrap", [...divertedStoreArgs(path.join(store, "nix/store"), "/nix/store", work), ...extra, "--", ...argv]);
}

function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string): void => {
    for (const name of fs.readdirSync(path.join(dir, rel)).sort()) {
      const r = rel === "" ? name : `${rel}/${name}`;
      const p = path.join(dir, r);
      const st = fs.lstatSync(p);
      if (st.isSymbolicLink()) out[r] = `-> ${fs.readlinkSync(p)}`;
      else if (st.isDirectory()) walk(r);
      else out[r] = fs.readFileSync(p, "utf8") + ((st.mode & 0o111) !== 0 ? " [x]" : "");
    }
  };
  walk("");
  return out;
}

// --- evaluation (no builds) ---------------------------------------------------------------------

describe("evaluation", () => {
  const EVAL = `let
  base = import ${BASE};
  pkgs = base { };
  o1 = final: prev: { a = "a1"; b = "b1"; seenC = final.c; };
  o2 = final: prev: { a = prev.a + "+a2"; c = "c2"; };
  g = pkgs.callPackage ({ writeText, greeting ? "x" }: writeText "g" greeting) { };
  repinned = base { config.bootstrapBusybox = { url = "file:///usr/bin/busybox"; sha256 = "sha256-IRgPFZw3aLnmyUbEtxvUCiKahqBavMvyPBDIRuDf72k="; }; };
  overlayPin = base { overlays = [ (final: prev: { bootstrapBusyboxPin = prev.bootstrapBusyboxPin // { url = "file:///opt/bb"; }; }) ]; };
in {
  overlays = map (p: [ p.a p.b p.seenC ]) [ (base { overlays = [ o1 o2 ]; }) ((base { overlays = [ o1 ]; }).extend o2) (pkgs.appendOverlays [ o1 o2 ]) ];
  override = [ g.name (g.override { greeting = "y"; }).text ];
  helloOverride = (pkgs.hello.override { }).drvPath == pkgs.hello.drvPath;
  overrideAttrs = [ (pkgs.hello.overrideAttrs { greeting = "z"; }).greeting ((pkgs.hello.overrideAttrs (o: { version = "2"; })).name) ];
  keepsOverride = ((pkgs.hello.overrideAttrs { greeting = "z"; }).override { }).greeting;
  pin = [ repinned.bootstrapBusybox.url repinned.bootstrapBusybox.outputHash (repinned.bootstrapBusybox.outputHashAlgo or null) overlayPin.bootstrapBusybox.url ];
  samePin = repinned.bootstrapBusybox.outPath == pkgs.bootstrapBusybox.outPath;
  meta = [ pkgs.hello.meta.mainProgram pkgs.hello.name pkgs.hello.version pkgs.hello.pname pkgs.hello.out.meta.mainProgram ];
  passthru = [ pkgs.httpd.defaultDocumentRoot.name (builtins.typeOf pkgs.busybox.bootstrap) ];
  shells = [ (pkgs.stdenv.shell == pkgs.runtimeShell) (pkgs.stdenv.shell == "\${pkgs.busybox}/bin/sh") ];
  isDerivation = map pkgs.lib.isDerivation [ pkgs.hello pkgs.busybox pkgs.httpd pkgs.coreutils pkgs.stdenv ];
  localSystem = [ (base { localSystem = "x86_64-linux"; }).system (base { localSystem = { system = "x86_64-linux"; }; crossSystem = "x86_64-linux"; }).system ];
  crossRefused = (builtins.tryEval (base { crossSystem = "aarch64-linux"; }).hello).success;
}
`;
  const file = path.join(work, "eval.nix");
  fs.writeFileSync(file, EVAL);
  const want = {
    overlays: [["a1+a2", "b1", "c2"], ["a1+a2", "b1", "c2"], ["a1+a2", "b1", "c2"]],
    override: ["g", "y"],
    helloOverride: true,
    overrideAttrs: ["z", "hello-2"],
    keepsOverride: "z",
    pin: ["file:///usr/bin/busybox", "sha256-IRgPFZw3aLnmyUbEtxvUCiKahqBavMvyPBDIRuDf72k=", null, "file:///opt/bb"],
    samePin: true,
    meta: ["hello", "hello-1.0", "1.0", "hello", "hello"],
    passthru: ["httpd-default-document-root", "set"],
    shells: [true, true],
    isDerivation: [true, true, true, true, true],
    localSystem: ["x86_64-linux", "x86_64-linux"],
    crossRefused: false,
  };

  test("overlays in order (final/prev), extend, appendOverlays, override, overrideAttrs, the pin", () => {
    const got = JSON.parse(ok(run(TIX, ["eval", "--store", evalStore, "--impure", "--json", "-f", file]), "tix eval")) as unknown;
    assert.deepEqual(got, want);
  });

  test("real Nix evaluates the same", { skip: have("nix-instantiate") ? false : "no nix-instantiate" }, () => {
    const d = path.join(work, "nix-eval-store");
    const got = JSON.parse(ok(run("nix-instantiate", ["--store", d, "--eval", "--strict", "--json", file], NIX_ENV), "nix-instantiate")) as unknown;
    assert.deepEqual(got, want);
  });

  test("the flake: packages, default, legacyPackages, lib", () => {
    const r = run(TIX, ["eval", "--store", evalStore, "--impure", "--json", "--expr", `let f = builtins.getFlake "path:${BASE}"; in {
      packages = builtins.attrNames f.packages.x86_64-linux;
      default = f.packages.x86_64-linux.default.name;
      same = f.packages.x86_64-linux.hello.drvPath == f.legacyPackages.x86_64-linux.hello.drvPath;
      tools = map (n: f.legacyPackages.x86_64-linux.\${n}.meta.mainProgram) [ "coreutils" "bash" "gnugrep" "curl" "iproute2" ];
      lib = f.lib.hasPrefix "a" "abc";
    }`]);
    assert.deepEqual(JSON.parse(ok(r, "tix eval flake")), {
      packages: ["busybox", "default", "hello", "httpd"],
      default: "hello-1.0",
      same: true,
      tools: ["ls", "bash", "grep", "curl", "ip"],
      lib: true,
    });
  });

  test("an overlay exported by one flake is applied by another (offline, nixpkgs resolves to base)", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tix-base-overlay-flakes-"));
    try {
      fs.mkdirSync(path.join(dir, "tools"));
      fs.mkdirSync(path.join(dir, "app"));
      fs.writeFileSync(path.join(dir, "tools", "flake.nix"), `{
  outputs = { self }: {
    overlays.default = final: prev: {
      greeter = final.writeShellScriptBin "greeter" "exec \${final.hello}/bin/hello";
      hello = prev.hello.overrideAttrs { greeting = "Hello from tools"; };
    };
    # The older single-overlay output name.
    overlay = final: prev: { toolsMarker = "legacy overlay"; };
    nixosModules.default = { pkgs, ... }: { environment.systemPackages = [ pkgs.greeter ]; };
  };
}
`);
      fs.writeFileSync(path.join(dir, "app", "flake.nix"), `{
  inputs.nixpkgs.url = "nixpkgs";
  inputs.tools.url = "path:${path.join(dir, "tools")}";
  outputs = { self, nixpkgs, tools }:
    let
      pkgs = import nixpkgs { system = "x86_64-linux"; overlays = [ tools.overlays.default tools.overlay ]; };
      extended = nixpkgs.legacyPackages.x86_64-linux.extend tools.overlays.default;
    in {
      packages.x86_64-linux = { inherit (pkgs) greeter hello; extendedHello = extended.hello; };
      marker = pkgs.toolsMarker;
      nixosConfigurations.box = nixpkgs.lib.nixosSystem {
        system = "x86_64-linux";
        modules = [ tools.nixosModules.default { boot.isContainer = true; nixpkgs.overlays = [ tools.overlays.default ]; } ];
      };
    };
}
`);
      const app = `path:${path.join(dir, "app")}`;
      const r = run(TIX, ["eval", "--store", evalStore, "--json", "--offline", `${app}#.`, "--apply", `f: {
        greeting = f.packages.x86_64-linux.hello.greeting;
        extended = f.packages.x86_64-linux.extendedHello.greeting;
        greeter = f.packages.x86_64-linux.greeter.name;
        marker = f.marker;
        systemGreeter = builtins.elem f.packages.x86_64-linux.greeter.outPath (map (p: p.outPath) f.nixosConfigurations.box.config.environment.systemPackages);
        systemHello = f.nixosConfigurations.box.pkgs.hello.greeting;
      }`]);
      assert.deepEqual(JSON.parse(ok(r, "tix eval app")), {
        greeting: "Hello from tools",
        extended: "Hello from tools",
        greeter: "greeter",
        marker: "legacy overlay",
        systemGreeter: true,
        systemHello: "Hello from tools",
      });
      const lock = JSON.parse(fs.readFileSync(path.join(dir, "app", "flake.lock"), "utf8")) as { nodes: Record<string, { locked?: { type: string } }> };
      assert.deepEqual(Object.keys(lock.nodes).sort(), ["nixpkgs", "root", "tools"]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test("drvPaths equal real Nix's", { skip: have("nix-instantiate") ? false : "no nix-instantiate" }, () => {
    const attrs = ["hello", "busybox", "httpd", "coreutils", "curl", "phased", "joined", "env", "farm", "application", "wrapped", "overlaid"];
    const e = `let s = import ${exprFile}; in map (a: s.\${a}.drvPath) [ ${attrs.map((a) => `"${a}"`).join(" ")} ]`;
    const d = path.join(work, "nix-eval-store");
    const nix = JSON.parse(ok(run("nix-instantiate", ["--store", d, "--eval", "--strict", "--json", "-E", e], NIX_ENV), "nix-instantiate")) as string[];
    const tix = JSON.parse(ok(run(TIX, ["eval", "--store", evalStore, "--impure", "--json", "--expr", e]), "tix eval")) as string[];
    assert.deepEqual(tix, nix);
    assert.match(tix[0]!, /^\/nix\/store\/[a-z0-9]{32}-hello-1\.0\.drv$/);
  });
});

// --- builds ---------------------------------------------------------------------------------------

describe("builds", { skip: skipBuilds }, () => {
  let hello = "";
  before(() => {
    try {
      build(...ALL);
    } catch {
      // each test builds (and reports) what it needs
    }
    [hello] = build("hello");
  });

  test("hello: bin/hello prints Hello, world!", () => {
    const r = inStore([`${hello}/bin/hello`]);
    assert.equal(ok(r, "hello"), "Hello, world!\n");
    const script = fs.readFileSync(phys(`${hello}/bin/hello`), "utf8");
    assert.match(script, /^#!\/nix\/store\/[a-z0-9]{32}-busybox-1\.35\.0\/bin\/sh\n/);
  });

  test("busybox: the pinned binary and a link per applet", () => {
    const [bb] = build("busybox");
    const bin = phys(`${bb}/bin`);
    assert.ok(fs.lstatSync(path.join(bin, "busybox")).isFile());
    const applets = ok(run("/bin/busybox", ["--list"]), "busybox --list").split("\n").filter((a) => a !== "" && a !== "busybox");
    for (const a of applets) assert.equal(fs.readlinkSync(path.join(bin, a)), "busybox", a);
    assert.equal(fs.readdirSync(bin).length, applets.length + 1);
    assert.equal(ok(inStore([`${bb}/bin/sh`, "-c", "echo $((6 * 7))"]), "sh"), "42\n");
    assert.equal(narHashOfExecutable(path.join(bin, "busybox")).toString("hex"), narHashOfExecutable("/bin/busybox").toString("hex"));
  });

  test("trivial builders make the expected trees", () => {
    const [text, textDir, script, shellScript, shellScriptBin, application, command, commandLocal, joined, env, farm] = build(
      "text", "textDir", "script", "shellScript", "shellScriptBin", "application", "command", "commandLocal", "joined", "env", "farm",
    );
    const [bb] = build("busybox");
    assert.equal(fs.readFileSync(phys(text!), "utf8"), "hi there\n");
    assert.deepEqual(tree(phys(textDir!)), { "share/doc/readme": "read me\n" });
    assert.equal(fs.readFileSync(phys(script!), "utf8"), "#!/bin/sh\necho plain\n");
    assert.ok((fs.statSync(phys(script!)).mode & 0o111) !== 0);
    assert.equal(fs.readFileSync(phys(shellScript!), "utf8"), `#!${bb}/bin/sh\necho from a shell script`);
    assert.equal(ok(inStore([shellScript!]), "shellScript"), "from a shell script\n");
    assert.equal(ok(inStore([`${shellScriptBin}/bin/say`, "a", "b"]), "say"), "said a b\n");
    assert.equal(ok(inStore([`${application}/bin/app`]), "app"), "Hello, world!\n");
    assert.equal(fs.readFileSync(phys(command!), "utf8"), "bar\n");
    assert.deepEqual(tree(phys(commandLocal!)), { "a/x": "x\n" });
    assert.deepEqual(tree(phys(joined!)), {
      "a/x": `-> ${commandLocal}/a/x`,
      "bin/hello": `-> ${hello}/bin/hello`,
      "bin/say": `-> ${shellScriptBin}/bin/say`,
      post: "post\n",
    });
    const envTree = tree(phys(env!));
    assert.equal(envTree["bin/hello"], `-> ${hello}/bin/hello`);
    assert.equal(envTree["bin/say"], `-> ${shellScriptBin}/bin/say`);
    assert.match(envTree["bin/grep"]!, /^-> \/nix\/store\/[a-z0-9]{32}-gnugrep-busybox-1\.35\.0\/bin\/grep$/);
    assert.deepEqual(Object.keys(envTree).sort(), ["bin/egrep", "bin/fgrep", "bin/grep", "bin/hello", "bin/say"]);
    assert.deepEqual(tree(phys(farm!)), { "a/hello": `-> ${hello}`, b: `-> ${text}` });
  });

  test("makeWrapper and wrapProgram", () => {
    const [wrapped] = build("wrapped");
    assert.equal(ok(inStore([`${wrapped}/bin/show`, "c"]), "show"), "it's|/x:/bin0:/y z|-a b c z\n");
    assert.equal(ok(inStore([`${wrapped}/bin/show2`, "d"]), "show2"), "running\nit's|/x:/bin0:/y z|-a b d z\n");
    assert.ok(fs.existsSync(phys(`${wrapped}/bin/.show-wrapped`)));
  });

  test("stdenv.mkDerivation: every phase and hook, tarball, patch, outputs, inputs on PATH, overrideAttrs", () => {
    const [out, doc, overridden] = build("phased", "phased.doc", "phasedOverridden");
    const phases = ["Unpack", "Patch", "Configure", "Build", "Check", "Install", "Fixup", "InstallCheck", "Dist"];
    assert.deepEqual(
      fs.readFileSync(phys(`${out}/phases.log`), "utf8").trim().split("\n"),
      phases.flatMap((p) => [`pre${p}`, `post${p}`]),
    );
    const log = ok(run(TIX, ["log", "--store", store, out!]), "tix log");
    const ran = [...log.matchAll(/^running (\w+)$/gm)].map((m) => m[1]);
    assert.deepEqual(ran, phases.map((p) => `${p[0]!.toLowerCase()}${p.slice(1)}Phase`));
    assert.match(log, /unpacking source archive \/nix\/store\/[a-z0-9]{32}-proj-1\.0\.tar\.gz/);
    assert.match(log, /applying patch \/nix\/store\/[a-z0-9]{32}-data\.patch/);
    assert.match(doc!, /-phased-0\.1-doc$/);
    assert.deepEqual(tree(phys(doc!)), { "share/doc/data.txt": "patched\n", "share/doc/greeting": "Hello, world!\n" });
    assert.match(fs.readFileSync(phys(`${out}/bin/prog`), "utf8"), /^#!\/nix\/store\/[a-z0-9]{32}-busybox-1\.35\.0\/bin\/sh\necho "compiled"\n$/);
    assert.equal(ok(inStore([`${out}/bin/prog`]), "prog"), "compiled\n");
    assert.match(overridden!, /-phased-0\.2$/);
    assert.equal(ok(inStore([`${overridden}/bin/prog`]), "prog"), "v0.2\n");
  });

  test("overlays and pkgs.extend replace hello's greeting", () => {
    const [overlaid, extended] = build("overlaid", "extended");
    assert.equal(ok(inStore([`${overlaid}/bin/hello`]), "overlaid hello"), "Hi from an overlay\n");
    assert.equal(ok(inStore([`${extended}/bin/hello`]), "extended hello"), "Hello, world! (extended)\n");
  });

  test("httpd serves the 45-byte It works! page; the curl shim fetches it", () => {
    const [httpd, curl, bash, bb] = build("httpd", "curl", "bash", "busybox");
    const page = "<html><body><h1>It works!</h1></body></html>\n";
    assert.equal(Buffer.byteLength(page), 45);
    const script = [
      `${bb}/bin/ip link set lo up`,
      `${httpd}/bin/httpd -p 127.0.0.1:8080`,
      "for i in 1 2 3 4 5 6 7 8 9 10; do " + `${curl}/bin/curl -s http://127.0.0.1:8080/ > /dev/null && break; ${bb}/bin/sleep 0.2; done`,
      `${curl}/bin/curl -s http://127.0.0.1:8080/`,
      `${curl}/bin/curl -s -o /dev/null -w '%{http_code}\\n' http://127.0.0.1:8080/missing`,
      `${curl}/bin/curl -sf http://127.0.0.1:8080/missing; echo "exit $?"`,
      `${bash}/bin/bash -c 'echo bash runs $((1 + 1))'`,
    ].join("\n");
    const r = inStore([`${bb}/bin/sh`, "-c", script], ["--unshare-net", "--unshare-pid"]);
    assert.equal(ok(r, "httpd and curl"), `${page}404\nexit 22\nbash runs 2\n`);
  });

  test("a busybox that is not the pinned one fails with a hash mismatch that says how to re-pin", () => {
    const r = run(TIX, ["build", "--store", store, "-f", exprFile, "mismatch", "--no-link"], { TMPDIR: buildTmp });
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /hash mismatch in fixed-output derivation '\/nix\/store\/[a-z0-9]{32}-busybox-bootstrap\.drv'/);
    assert.match(r.stderr, /got: +sha256-\S+\n {7}base's package set starts from the host's static busybox at file:\/\/\/bin\/busybox, pinned by hash\n/);
    assert.match(r.stderr, /\n {9}import base \{ config\.bootstrapBusybox\.sha256 = "sha256-…"; \}/);
    assert.match(r.stderr, /\n {9}nixpkgs\.config\.bootstrapBusybox\.sha256 = "sha256-…";/);
    assert.match(r.stderr, /`nix-hash --type sha256 \/bin\/busybox`/);
  });

  test("real Nix builds the same hello (same output, same NAR hashes)", { skip: have("nix-build") ? false : "no nix-build" }, (t) => {
    const d = path.join(work, "nix-build-store");
    // Nix 2.8's sandbox shows builtin:fetchurl no host file, and has no /bin/sh unless told.
    const r = run("nix-build", ["--store", d, "--option", "extra-sandbox-paths", "/bin/busybox /bin/sh=/bin/busybox", exprFile, "-A", "hello", "--no-out-link"], NIX_ENV);
    if (r.status !== 0 && /Couldn't read a file:\/\/ file/.test(r.stderr)) {
      t.skip("nix-build cannot read file:// URLs in its sandbox here");
      return;
    }
    const out = ok(r, "nix-build").trim();
    assert.equal(out, hello);
    assert.equal(narHashOfTree(path.join(d, out)), narHashOfTree(phys(hello)));
    const bb = fs.readFileSync(phys(`${hello}/bin/hello`), "utf8").split("\n")[0]!.slice(2).replace(/\/bin\/sh$/, "");
    assert.match(bb, /^\/nix\/store\/[a-z0-9]{32}-busybox-1\.35\.0$/);
    assert.equal(narHashOfTree(path.join(d, bb)), narHashOfTree(phys(bb)));
  });
});

/** sha256 (hex) of the NAR serialisation of a file system tree (regular files, executables, links, directories). */
function narHashOfTree(p: string): string {
  const h = crypto.createHash("sha256");
  const str = (s: string | Buffer): void => {
    const b = typeof s === "string" ? Buffer.from(s) : s;
    const len = Buffer.alloc(8);
    len.writeBigUInt64LE(BigInt(b.length));
    h.update(len);
    h.update(b);
    h.update(Buffer.alloc((8 - (b.length % 8)) % 8));
  };
  const dump = (q: string): void => {
    const st = fs.lstatSync(q);
    str("(");
    str("type");
    if (st.isSymbolicLink()) {
      str("symlink");
      str("target");
      str(fs.readlinkSync(q));
    } else if (st.isDirectory()) {
      str("directory");
      for (const name of fs.readdirSync(q).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))) {
        str("entry");
        str("(");
        str("name");
        str(name);
        str("node");
        dump(path.join(q, name));
        str(")");
      }
    } else {
      str("regular");
      if ((st.mode & 0o100) !== 0) {
        str("executable");
        str("");
      }
      str("contents");
      str(fs.readFileSync(q));
    }
    str(")");
  };
  str("nix-archive-1");
  dump(p);
  return h.digest("hex");
}
