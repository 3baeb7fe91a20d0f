{
  inputs = {
    lib.url = "git+file:///tmp/fx/lk/lib";
    a.url = "git+file:///tmp/fx/lk/a";
    a.inputs.c.follows = "lib";
    c.url = "git+file:///tmp/fx/lk/c";
    b.url = "git+file:///tmp/fx/lk/b";
    b.inputs.lib.follows = "lib";
    b2.url = "git+file:///tmp/fx/lk/b?ref=master"; b2.inputs.lib.follows = "a/c";
    n.url = "path:/tmp/fx/lk/p";
    data = { url = "git+file:///tmp/fx/lk/data"; flake = false; };
    w = { type = "path"; path = "/tmp/fx/lk/w ü \"q\" \\ é"; };
    t.url = "file:///tmp/fx/lk/t.tar.gz";
    inner.url = "git+file:///tmp/fx/lk/sub?dir=inner";
    reg.url = "myreg";
    pinned.url = "git+file:///tmp/fx/lk/lib?rev=0d1d8f0435a147e418f2aaf59a9d377694598066";
    selfish.follows = "";
  };
  outputs = _: { };
}
