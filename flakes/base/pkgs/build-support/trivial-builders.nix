# Small builders with nixpkgs' interfaces: run a script, write files and scripts, join trees.
{ lib, stdenv, runtimeShell }:
let
  inherit (builtins) isAttrs isList map removeAttrs sort;
  inherit (lib) escapeShellArg;

  runCommandWith = { name, stdenv ? defaultStdenv, runLocal ? false, derivationArgs ? { } }: buildCommand:
    stdenv.mkDerivation ({
      inherit name buildCommand;
      passAsFile = [ "buildCommand" ] ++ (derivationArgs.passAsFile or [ ]);
    }
    // lib.optionalAttrs runLocal { preferLocalBuild = true; allowSubstitutes = false; }
    // removeAttrs derivationArgs [ "passAsFile" ]);

  defaultStdenv = stdenv;

  runCommand = name: env: runCommandWith { inherit name; derivationArgs = env; };
  runCommandLocal = name: env: runCommandWith { inherit name; runLocal = true; derivationArgs = env; };

  writeTextFile =
    { name
    , text
    , executable ? false
    , destination ? ""
    , checkPhase ? ""
    , meta ? { }
    , passthru ? { }
    , allowSubstitutes ? false
    , preferLocalBuild ? true
    , derivationArgs ? { }
    }:
    if destination != "" && !lib.hasPrefix "/" destination then
      throw "writeTextFile: destination '${destination}' of '${name}' must start with '/'"
    else
      runCommandWith
        {
          inherit name;
          derivationArgs = {
            inherit text executable checkPhase meta passthru allowSubstitutes preferLocalBuild destination;
            passAsFile = [ "text" ];
          } // derivationArgs;
        }
        ''
          target="$out$destination"
          if [ -n "$destination" ]; then mkdir -p "$(dirname "$target")"; fi
          if [ -n "''${textPath:-}" ] && [ -e "$textPath" ]; then cat "$textPath" > "$target"; else printf '%s' "$text" > "$target"; fi
          if [ -n "$executable" ]; then chmod +x "$target"; fi
          eval "$checkPhase"
        '';

  writeText = name: text: writeTextFile { inherit name text; };

  writeTextDir = path: text: writeTextFile {
    inherit text;
    name = baseNameOf path;
    destination = "/${path}";
  };

  writeScript = name: text: writeTextFile { inherit name text; executable = true; };

  writeScriptBin = name: text: writeTextFile {
    inherit name text;
    executable = true;
    destination = "/bin/${name}";
    meta.mainProgram = name;
  };

  shellCheck = ''${runtimeShell} -n "$target"'';

  writeShellScript = name: text: writeTextFile {
    inherit name;
    executable = true;
    text = "#!${runtimeShell}\n${text}";
    checkPhase = shellCheck;
  };

  writeShellScriptBin = name: text: writeTextFile {
    inherit name;
    executable = true;
    destination = "/bin/${name}";
    text = "#!${runtimeShell}\n${text}";
    checkPhase = shellCheck;
    meta.mainProgram = name;
  };

  # A script in bin/ with strict shell options and `runtimeInputs` on PATH.
  writeShellApplication =
    { name
    , text
    , runtimeInputs ? [ ]
    , runtimeEnv ? { }
    , checkPhase ? null
    , meta ? { }
    , passthru ? { }
    , derivationArgs ? { }
    , ...
    }:
    writeTextFile {
      inherit name passthru derivationArgs;
      executable = true;
      destination = "/bin/${name}";
      meta = { mainProgram = name; } // meta;
      text = ''
        #!${runtimeShell}
        set -o errexit
        set -o nounset
        set -o pipefail
      '' + lib.concatStrings (lib.mapAttrsToList (n: v: "export ${n}=${escapeShellArg (toString v)}\n") runtimeEnv)
      + lib.optionalString (runtimeInputs != [ ]) ''
        export PATH="${lib.makeBinPath runtimeInputs}:$PATH"
      '' + "\n" + text;
      checkPhase = if checkPhase == null then shellCheck else checkPhase;
    };

  # Joins the trees of `paths`: directories are merged, other entries linked (first one wins).
  symlinkJoin =
    args@{ name
    , paths
    , preferLocalBuild ? true
    , allowSubstitutes ? false
    , postBuild ? ""
    , ...
    }:
    runCommandWith
      {
        inherit name;
        derivationArgs = removeAttrs args [ "name" ] // {
          inherit preferLocalBuild allowSubstitutes postBuild;
          paths = map toString paths;
          passAsFile = [ "paths" ];
        };
      }
      ''
        mkdir -p "$out"
        for p in $(cat "$pathsPath"); do linkTree "$p" "$out"; done
        runHook postBuild
      '';

  # A profile-like tree of packages: `pathsToLink` of each (and of what it propagates to user
  # environments), the outputs to install (meta.outputsToInstall plus extraOutputsToInstall),
  # higher priority (lower meta.priority) first; equal-priority collisions are errors unless
  # ignoreCollisions (identical files are fine when checkCollisionContents).
  buildEnv =
    { name
    , paths
    , pathsToLink ? [ "/" ]
    , extraOutputsToInstall ? [ ]
    , extraPrefix ? ""
    , ignoreCollisions ? false
    , checkCollisionContents ? true
    , includeClosures ? false
    , postBuild ? ""
    , nativeBuildInputs ? [ ]
    , buildInputs ? [ ]
    , passthru ? { }
    , meta ? { }
    , manifest ? ""
    , ignoreSingleFileOutputs ? false
    }:
    let
      isDrv = lib.isDerivation;
      outputsOf = p:
        if !isDrv p then [ p ]
        else
          let
            names = p.outputs or [ "out" ];
            wanted = lib.unique ((p.meta.outputsToInstall or [ (p.outputName or (builtins.head names)) ])
              ++ builtins.filter (o: builtins.elem o names) extraOutputsToInstall);
          in map (o: p.${o} or p) wanted;
      priorityOf = p: if isDrv p then p.meta.priority or 5 else 5;
      indexed = lib.imap0 (i: p: { inherit i p; prio = priorityOf p; }) paths;
      sorted = sort (a: b: if a.prio == b.prio then a.i < b.i else a.prio < b.prio) indexed;
      entries = lib.concatMap (e: map (o: "${toString e.prio}:${toString o}") (outputsOf e.p)) sorted;
    in
    runCommandWith
      {
        inherit name;
        derivationArgs = {
          inherit nativeBuildInputs buildInputs passthru postBuild extraPrefix ignoreSingleFileOutputs;
          meta = meta;
          entries = entries;
          pathsToLink = pathsToLink;
          collisions = if ignoreCollisions then "keep" else if checkCollisionContents then "check" else "strict";
          preferLocalBuild = true;
          allowSubstitutes = false;
          passAsFile = [ "entries" ];
        };
      }
      ''
        mkdir -p "$out"
        seen=" "
        level=""
        snapshot="$NIX_BUILD_TOP/.env-snapshot"
        : > "$snapshot"
        linkOne() {
          p="$1"
          case "$seen" in *" $p "*) return 0 ;; esac
          seen="$seen$p "
          for sub in $pathsToLink; do
            if [ "$sub" = / ]; then sub=""; fi
            [ -e "$p$sub" ] || continue
            if [ ! -d "$p$sub" ]; then
              [ -n "$ignoreSingleFileOutputs" ] && continue
              echo "error: '$p$sub' is a file, not a directory (set ignoreSingleFileOutputs = true to skip it)" >&2
              exit 1
            fi
            mkdir -p "$out$extraPrefix$sub"
            (cd "$p$sub" && find -L . -mindepth 1) | while IFS= read -r rel; do
              rel="''${rel#./}"
              src="$p$sub/$rel"
              dst="$out$extraPrefix$sub/$rel"
              if [ -d "$src" ]; then
                [ -L "$dst" ] && { echo "error: '$dst' is both a directory and a file" >&2; exit 1; }
                mkdir -p "$dst"
              elif [ -e "$dst" ] || [ -L "$dst" ]; then
                grep -qxF "$dst" "$snapshot" && continue
                case "$collisions" in
                  keep) ;;
                  check) cmp -s "$src" "$dst" || { echo "error: collision between '$(readlink -f "$src")' and '$(readlink -f "$dst")'" >&2; exit 1; } ;;
                  *) echo "error: collision between '$(readlink -f "$src")' and '$(readlink -f "$dst")'" >&2; exit 1 ;;
                esac
              else
                ln -s "$src" "$dst"
              fi
            done
          done
          if [ -f "$p/nix-support/propagated-user-env-packages" ]; then
            for q in $(cat "$p/nix-support/propagated-user-env-packages"); do linkOne "$q"; done
          fi
        }
        for entry in $(cat "$entriesPath"); do
          prio="''${entry%%:*}"
          if [ "$prio" != "$level" ]; then
            level="$prio"
            (cd "$out" && find . -mindepth 1 ! -type d) | sed "s|^\.|$out|" > "$snapshot"
          fi
          linkOne "''${entry#*:}"
        done
        rm -f "$snapshot"
        runHook postBuild
      '';

  # A directory of links: `entries` is { name = path; } or [ { name; path; } ].
  linkFarm = name: entries:
    let
      list =
        if isAttrs entries then lib.mapAttrsToList (n: path: { name = n; inherit path; }) entries
        else if isList entries then entries
        else throw "linkFarm: entries of '${name}' must be an attribute set or a list of { name; path; }";
      link = e:
        let dest = "$out/" + escapeShellArg e.name; in ''
          mkdir -p "$(dirname ${dest})"
          ln -s ${escapeShellArg (toString e.path)} ${dest}
        '';
    in
    runCommandLocal name { passthru.entries = entries; } ''
      mkdir -p "$out"
      ${lib.concatMapStrings link list}
    '';

  linkFarmFromDrvs = name: drvs:
    linkFarm name (map (d: { name = d.name; path = d; }) drvs);

  # The store paths of the closure of `paths`, one a line.
  writeClosure = paths:
    let refs = lib.imap0 (i: p: { name = "closure-${toString i}"; path = p; }) (lib.toList paths); in
    runCommandLocal "runtime-deps" {
      exportReferencesGraph = lib.concatMap (r: [ r.name r.path ]) refs;
      graphs = map (r: r.name) refs;
    } ''
      for g in $graphs; do
        awk 'state == 0 { print; state = 1; next }
             state == 1 { state = 2; next }
             state == 2 { n = $0; state = (n > 0) ? 3 : 0; next }
             state == 3 { if (--n == 0) state = 0; next }' "$g"
      done | sort -u > "$out"
    '';

  concatTextFile = { name, files, executable ? false, checkPhase ? "", meta ? { }, destination ? "" }:
    runCommandLocal name { inherit files executable checkPhase meta destination; } ''
      target="$out$destination"
      mkdir -p "$(dirname "$target")"
      cat $files > "$target"
      if [ -n "$executable" ]; then chmod +x "$target"; fi
      eval "$checkPhase"
    '';

  concatText = name: files: concatTextFile { inherit name files; };
  concatScript = name: files: concatTextFile { inherit name files; executable = true; };
in
{
  inherit runCommandWith runCommand runCommandLocal writeTextFile writeText writeTextDir writeScript
    writeScriptBin writeShellScript writeShellScriptBin writeShellApplication symlinkJoin buildEnv
    linkFarm linkFarmFromDrvs writeClosure concatTextFile concatText concatScript;
  runCommandNoCC = runCommand;
  runCommandNoCCLocal = runCommandLocal;
  runCommandCC = runCommand;
}
