# httpd: busybox's web server as bin/httpd, serving `defaultDocumentRoot` (a single "It works!"
# page, as Apache's default one) unless it is given -h DIR.
{ lib, busybox, runCommand, writeTextFile, runtimeShell }:
let
  defaultDocumentRoot = writeTextFile {
    name = "httpd-default-document-root";
    destination = "/index.html";
    text = "<html><body><h1>It works!</h1></body></html>\n";
    meta.description = "The default page of httpd: <h1>It works!</h1> (45 bytes)";
  };
in
runCommand "httpd-busybox-${busybox.version}"
  {
    pname = "httpd";
    inherit (busybox) version;
    inherit busybox defaultDocumentRoot;
    passthru = {
      inherit defaultDocumentRoot;
      indexPage = "${defaultDocumentRoot}/index.html";
    };
    meta = {
      description = "busybox httpd; serves a default \"It works!\" page unless given -h DIR";
      mainProgram = "httpd";
    };
  }
  ''
    mkdir -p "$out/bin"
    cat > "$out/bin/httpd" <<SCRIPT
    #!${runtimeShell}
    # busybox httpd, with -h $defaultDocumentRoot unless a document root is given.
    for arg in "\$@"; do
      case "\$arg" in
        --) break ;;
        -h | -[!-]*h*) exec $busybox/bin/busybox httpd "\$@" ;;
      esac
    done
    exec $busybox/bin/busybox httpd -h $defaultDocumentRoot "\$@"
    SCRIPT
    chmod 0555 "$out/bin/httpd"
  ''
