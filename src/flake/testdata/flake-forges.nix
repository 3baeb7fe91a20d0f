{
  inputs = {
    gh.url = "github:NixOS/nixpkgs/nixos-21.11";
    gl.url = "gitlab:veloren/veloren?host=gitlab.example.com";
    srht.url = "sourcehut:~user/repo/main";
    tb.url = "https://example.com/x.tar.gz?foo=bar";
    ind.url = "nixpkgs/nixos-22.05";
    gs.url = "git+https://example.com/x.git?ref=main&dir=sub";
    ssh.url = "git+ssh://git@example.com/x?shallow=1&submodules=1";
    ghdir.url = "github:o/r?dir=a/b";
    p.url = "path:/tmp/fx/lk/p";
  };
  outputs = _: { };
}
