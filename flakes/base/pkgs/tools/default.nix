# Packages named like the usual tools, made of busybox applets: each is a bin/ of links to the
# busybox binary (busybox runs the applet it is called as), plus a few small scripts.
{ lib, system, busybox }:
let
  inherit (builtins) concatStringsSep attrNames;

  shell = "${busybox}/bin/sh";
  version = busybox.version;

  # A tool package built without stdenv (coreutils is part of stdenv itself).
  # `applets`: links to busybox; `aliases`: { name = "applet ..."; } scripts running busybox with
  # those words first; `scripts`: { name = file; } shell scripts with @shell@/@busybox@ filled in.
  busyboxTool =
    { pname
    , applets ? [ ]
    , aliases ? { }
    , scripts ? { }
    , description
    , longDescription ? ""
    , mainProgram ? null
    , passthru ? { }
    }:
    let
      drv = derivation {
        name = "${pname}-busybox-${version}";
        inherit system pname version;
        builder = shell;
        args = [ "-e" "-c" buildScript ];
        inherit busybox;
        applets = applets;
        aliasNames = attrNames aliases;
        aliasCommands = map (n: aliases.${n}) (attrNames aliases);
        scriptNames = attrNames scripts;
        scriptFiles = map (n: scripts.${n}) (attrNames scripts);
      };
      buildScript = ''
        mkdir -p "$out/bin"
        for a in $applets; do
          if [ ! -L "$busybox/bin/$a" ]; then
            echo "${pname}: busybox has no '$a' applet" >&2
            exit 1
          fi
          ln -s "$busybox/bin/busybox" "$out/bin/$a"
        done
        ${lib.concatStrings (lib.mapAttrsToList (n: cmd: ''
          printf '#!%s\nexec %s %s "$@"\n' "$busybox/bin/sh" "$busybox/bin/busybox" ${lib.escapeShellArg cmd} > "$out/bin/"${lib.escapeShellArg n}
          chmod 0555 "$out/bin/"${lib.escapeShellArg n}
        '') aliases)}
        ${lib.concatStrings (lib.mapAttrsToList (n: file: ''
          sed -e "s|@shell@|$busybox/bin/sh|g" -e "s|@busybox@|$busybox|g" ${file} > "$out/bin/"${lib.escapeShellArg n}
          chmod 0555 "$out/bin/"${lib.escapeShellArg n}
        '') scripts)}
      '';
      programs = applets ++ attrNames aliases ++ attrNames scripts;
    in
    drv // passthru // {
      inherit version;
      meta = {
        inherit description;
        longDescription = "${longDescription} Provided by busybox ${version}: ${concatStringsSep " " programs}.";
        mainProgram = if mainProgram != null then mainProgram else builtins.head programs;
        outputsToInstall = [ "out" ];
      };
    };

  coreutils = busyboxTool {
    pname = "coreutils";
    applets = [
      "[" "base64" "basename" "cat" "chgrp" "chmod" "chown" "chroot" "cp" "cut" "date" "dd" "df"
      "dirname" "du" "echo" "env" "expand" "expr" "factor" "false" "fold" "groups" "head" "hostid"
      "id" "link" "ln" "logname" "ls" "md5sum" "mkdir" "mkfifo" "mknod" "mktemp" "mv" "nl" "nproc"
      "od" "paste" "printf" "pwd" "readlink" "realpath" "rm" "rmdir" "seq" "sha1sum" "sha256sum"
      "sha512sum" "shred" "shuf" "sleep" "sort" "stat" "stty" "sync" "tac" "tail" "tee" "test"
      "timeout" "touch" "tr" "true" "truncate" "tty" "uname" "unexpand" "uniq" "unlink" "wc" "who"
      "whoami" "yes"
    ];
    scripts.install = ./shims/install.sh;
    description = "Core file, text and shell utilities (busybox applets and a small install script)";
    mainProgram = "ls";
  };
in
{
  inherit coreutils busyboxTool;

  bash = busyboxTool {
    pname = "bash";
    applets = [ "sh" "ash" ];
    aliases.bash = "sh";
    description = "A bash stand-in: bin/bash and bin/sh run busybox's ash (POSIX sh, not bash)";
    mainProgram = "bash";
    passthru.shellPath = "/bin/bash";
  };

  gnugrep = busyboxTool {
    pname = "gnugrep";
    applets = [ "grep" "egrep" "fgrep" ];
    description = "grep, egrep and fgrep (busybox applets, not GNU grep)";
  };

  gnused = busyboxTool {
    pname = "gnused";
    applets = [ "sed" ];
    description = "sed (the busybox applet, not GNU sed)";
  };

  gawk = busyboxTool {
    pname = "gawk";
    applets = [ "awk" ];
    aliases.gawk = "awk";
    description = "awk (the busybox applet, not GNU awk); also as gawk";
    mainProgram = "awk";
  };

  findutils = busyboxTool {
    pname = "findutils";
    applets = [ "find" "xargs" ];
    description = "find and xargs (busybox applets)";
  };

  diffutils = busyboxTool {
    pname = "diffutils";
    applets = [ "diff" "cmp" ];
    description = "diff and cmp (busybox applets)";
  };

  gnutar = busyboxTool {
    pname = "gnutar";
    applets = [ "tar" ];
    description = "tar (the busybox applet, not GNU tar)";
  };

  gzip = busyboxTool {
    pname = "gzip";
    applets = [ "gzip" "gunzip" "zcat" ];
    description = "gzip, gunzip and zcat (busybox applets)";
  };

  bzip2 = busyboxTool {
    pname = "bzip2";
    applets = [ "bzip2" "bunzip2" "bzcat" ];
    description = "bzip2, bunzip2 and bzcat (busybox applets)";
  };

  xz = busyboxTool {
    pname = "xz";
    applets = [ "xz" "unxz" "xzcat" "lzma" "unlzma" "lzcat" ];
    description = "xz and lzma decompression (busybox applets; xz cannot compress)";
  };

  gnupatch = busyboxTool {
    pname = "patch";
    applets = [ "patch" ];
    description = "patch (the busybox applet)";
  };

  which = busyboxTool {
    pname = "which";
    applets = [ "which" ];
    description = "which (the busybox applet)";
  };

  less = busyboxTool {
    pname = "less";
    applets = [ "less" "more" ];
    description = "less and more (busybox applets)";
  };

  procps = busyboxTool {
    pname = "procps";
    applets = [ "ps" "top" "free" "kill" "pidof" "uptime" "watch" "sysctl" "w" ];
    description = "Process tools: ps, top, free, kill, pidof, uptime, watch, sysctl (busybox applets)";
    mainProgram = "ps";
  };

  util-linux = busyboxTool {
    pname = "util-linux";
    applets = [
      "mount" "umount" "losetup" "fdisk" "swapon" "swapoff" "setsid" "unshare" "nsenter" "hwclock"
      "dmesg" "renice" "taskset" "more" "getopt" "findfs" "blockdev" "fstrim" "mkswap" "switch_root"
      "pivot_root" "ionice" "logger" "cal" "rev" "hexdump" "setpriv" "fallocate"
    ];
    description = "Linux system utilities: mount, losetup, setsid, unshare, nsenter, dmesg, … (busybox applets)";
    mainProgram = "mount";
  };

  iproute2 = busyboxTool {
    pname = "iproute2";
    applets = [ "ip" "tc" "ipneigh" ];
    description = "ip and tc (busybox applets; no ss or bridge)";
    mainProgram = "ip";
  };

  nettools = busyboxTool {
    pname = "net-tools";
    applets = [ "ifconfig" "route" "netstat" "arp" "hostname" "nameif" "dnsdomainname" ];
    description = "ifconfig, route, netstat, arp, hostname (busybox applets)";
    mainProgram = "ifconfig";
  };

  iputils = busyboxTool {
    pname = "iputils";
    applets = [ "ping" "ping6" "arping" "traceroute" "traceroute6" ];
    description = "ping, arping and traceroute (busybox applets)";
    mainProgram = "ping";
  };

  kmod = busyboxTool {
    pname = "kmod";
    applets = [ "insmod" "rmmod" "modprobe" "lsmod" "depmod" "modinfo" ];
    description = "Kernel module tools (busybox applets)";
    mainProgram = "modprobe";
  };

  netcat = busyboxTool {
    pname = "netcat";
    applets = [ "nc" ];
    description = "nc (the busybox applet)";
  };

  wget = busyboxTool {
    pname = "wget";
    applets = [ "wget" ];
    description = "wget (the busybox applet: HTTP and HTTPS GETs)";
  };

  curl = busyboxTool {
    pname = "curl";
    scripts.curl = ./shims/curl.sh;
    description = "A curl-like command for simple HTTP requests: a shim over busybox wget, not curl";
    longDescription = "Knows GET, POST (-d), -H, -o/-O, -s/-S, -f, -L, -k, -m, -I and -w '%{http_code}'; it does not show the body of HTTP error responses and refuses other options.";
  };

  unzip = busyboxTool {
    pname = "unzip";
    applets = [ "unzip" ];
    description = "unzip (the busybox applet)";
  };

  cpio = busyboxTool {
    pname = "cpio";
    applets = [ "cpio" ];
    description = "cpio (the busybox applet)";
  };

  shadow = busyboxTool {
    pname = "shadow";
    applets = [ "login" "passwd" "su" "nologin" "mkpasswd" ];
    description = "login, passwd, su, nologin, mkpasswd (busybox applets)";
    mainProgram = "login";
  };

}
