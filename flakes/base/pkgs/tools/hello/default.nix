# hello: bin/hello prints a greeting ("Hello, world!" unless `greeting` is overridden).
# A tiny source tree taken through every phase of stdenv.mkDerivation.
{ stdenv }:
stdenv.mkDerivation (finalAttrs: {
  pname = "hello";
  version = "1.0";
  src = ./src;
  greeting = "Hello, world!";

  buildPhase = ''
    runHook preBuild
    quoted="$(printf '%s' "$greeting" | sed "s/'/'\\\\'''/g")"
    substitute hello.sh.in hello \
      --subst-var pname --subst-var version --subst-var-by greeting "$quoted"
    chmod +x hello
    runHook postBuild
  '';

  doCheck = true;
  checkPhase = ''
    runHook preCheck
    [ "$(sh ./hello)" = "$greeting" ] || { echo "hello printed '$(sh ./hello)', not '$greeting'" >&2; exit 1; }
    runHook postCheck
  '';

  installPhase = ''
    runHook preInstall
    install -Dm755 hello "$out/bin/hello"
    runHook postInstall
  '';

  meta = {
    description = "Prints a friendly greeting";
    longDescription = "A shell program that prints \"${finalAttrs.greeting}\"; override `greeting` with overrideAttrs.";
    mainProgram = "hello";
    platforms = [ "x86_64-linux" "aarch64-linux" ];
  };
})
